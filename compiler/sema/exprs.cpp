#include "compiler/sema/exprs.hpp"

#include <linux/netfilter/nf_tables.h>

namespace nftc::sema {

Expr* constant_expr(IrArena& a, Span s, const Datatype* dtype, ByteOrder bo, unsigned len, const Value& v) {
  Expr* e = a.expr(Kind::value, s);
  e->dtype = dtype;
  e->byteorder = bo;
  e->len = len;
  e->value = v;
  e->flags = kExprConstant | kExprSingleton;
  return e;
}

Expr* symbol_expr(IrArena& a, Span s, SymbolType t, std::string text) {
  Expr* e = a.expr(Kind::symbol, s);
  e->dtype = &invalid_type;
  e->sym().text = std::move(text);
  e->sym().symtype = t;
  return e;
}

Expr* verdict_expr(IrArena& a, Span s, std::int32_t verdict, Expr* chain) {
  Expr* e = a.expr(Kind::verdict, s);
  e->dtype = &verdict_type;
  e->flags = kExprConstant | kExprSingleton;
  e->verdict().verdict = verdict;
  e->verdict().chain = chain;
  return e;
}

Expr* prefix_expr(IrArena& a, Span s, Expr* base, unsigned prefix_len) {
  Expr* e = a.expr(Kind::prefix, s);
  e->dtype = &invalid_type;
  e->left = base;
  e->as<PrefixData>().prefix_len = prefix_len;
  return e;
}

Expr* range_expr(IrArena& a, Span s, Expr* low, Expr* high) {
  Expr* e = a.expr(Kind::range, s);
  e->dtype = &invalid_type;
  e->len = low->len;
  e->left = low;
  e->right = high;
  return e;
}

Expr* unary_expr(IrArena& a, Span s, Op op, Expr* arg) {
  Expr* e = a.expr(Kind::unary, s);
  e->dtype = &invalid_type;
  e->op = op;
  e->left = arg;
  return e;
}

Expr* binop_expr(IrArena& a, Span s, Op op, Expr* left, Expr* right) {
  Expr* e = a.expr(Kind::binop, s);
  e->dtype = left->dtype;
  e->byteorder = left->byteorder;
  e->op = op;
  e->left = left;
  e->right = right;
  return e;
}

Expr* relational_expr(IrArena& a, Span s, Op op, Expr* left, Expr* right) {
  Expr* e = a.expr(Kind::relational, s);
  e->dtype = &verdict_type;
  e->op = op;
  e->left = left;
  e->right = right;
  if (right->dtype == &boolean_type) left->flags |= kExprBoolean;
  return e;
}

Expr* concat_expr(IrArena& a, Span s) {
  Expr* e = a.expr(Kind::concat, s);
  e->dtype = &invalid_type;
  e->concat();
  return e;
}

Expr* list_expr(IrArena& a, Span s) {
  Expr* e = a.expr(Kind::list, s);
  e->dtype = &invalid_type;
  return e;
}

Expr* set_expr(IrArena& a, Span s) {
  Expr* e = a.expr(Kind::set, s);
  e->dtype = &invalid_type;
  e->set_expr();
  return e;
}

Expr* set_ref_expr(IrArena& a, Span s, Set* set) {
  Expr* e = a.expr(Kind::set_ref, s);
  e->dtype = set->key ? set->key->dtype : &invalid_type;
  e->flags = kExprConstant;
  e->set_ref().set = set;
  return e;
}

Expr* set_elem_expr(IrArena& a, Span s, Expr* key) {
  Expr* e = a.expr(Kind::set_elem, s);
  e->dtype = key ? key->dtype : &invalid_type;
  e->len = key ? key->len : 0;
  e->left = key;
  e->elem();
  return e;
}

Expr* mapping_expr(IrArena& a, Span s, Expr* key, Expr* data) {
  Expr* e = a.expr(Kind::mapping, s);
  e->dtype = key->dtype;
  e->byteorder = key->byteorder;
  e->left = key;
  e->right = data;
  return e;
}

Expr* map_expr(IrArena& a, Span s, Expr* key, Expr* mappings) {
  Expr* e = a.expr(Kind::map, s);
  e->dtype = &invalid_type;
  e->left = key;
  e->right = mappings;
  return e;
}

Expr* catchall_expr(IrArena& a, Span s) {
  Expr* e = a.expr(Kind::set_elem_catchall, s);
  e->dtype = &invalid_type;
  e->flags = kExprConstant | kExprSingleton;
  return e;
}

// A key that selects the upper protocol (nft's proto_key_is_protocol).
static bool proto_key_is_protocol(const ProtoDesc* desc, unsigned type) {
  if (type == desc->protocol_key) return true;
  if (desc == &proto_ip6 && type == IP6HDR_NEXTHDR) return true;
  if (desc == &proto_ip && type == IPHDR_PROTOCOL) return true;
  return false;
}

Expr* payload_expr(IrArena& a, Span s, const ProtoDesc* desc, unsigned type) {
  const HdrTemplate* tmpl;
  ProtoBase base;
  std::uint32_t flags = 0;
  if (desc != nullptr) {
    tmpl = &desc->templates[type];
    base = desc->base;
    if (proto_key_is_protocol(desc, type)) flags = kExprProtocol;
  } else {
    tmpl = &proto_unknown_template;
    base = ProtoBase::invalid;
    desc = &proto_unknown;
  }
  Expr* e = a.expr(Kind::payload, s);
  e->dtype = tmpl->dtype;
  e->byteorder = tmpl->byteorder;
  e->len = tmpl->len;
  e->flags = flags;
  PayloadData& p = e->payload();
  p.desc = desc;
  p.tmpl = tmpl;
  p.base = base;
  p.offset = tmpl->offset;
  return e;
}

void payload_init_raw(Expr* e, ProtoBase base, unsigned offset, unsigned len) {
  PayloadData& p = e->payload();
  p.base = base;
  p.offset = offset;
  e->len = len;
  e->dtype = &xinteger_type;
  // A raw 16-bit load at the transport header's port offsets is a port.
  if (base != ProtoBase::transport || len != 16) return;
  if (offset == 0 || offset == 16) {
    p.tmpl = &proto_th.templates[offset == 0 ? THDR_SPORT : THDR_DPORT];
    p.desc = &proto_th;
    e->dtype = &inet_service_type;
  }
}

Expr* exthdr_expr(IrArena& a, Span s, const ExthdrDesc* desc, unsigned type, std::uint8_t op) {
  static const HdrTemplate unknown{.token = "unknown", .dtype = &invalid_type};
  const HdrTemplate* tmpl = desc ? &desc->templates[type] : &unknown;
  Expr* e = a.expr(Kind::exthdr, s);
  e->dtype = tmpl->dtype;
  e->byteorder = ByteOrder::big;
  e->len = tmpl->len;
  ExthdrData& x = e->exthdr();
  x.desc = desc;
  x.raw_type = desc ? desc->type : 0;
  x.tmpl = tmpl;
  x.offset = tmpl->offset;
  x.op = op;
  return e;
}

Expr* meta_expr(IrArena& a, Span s, std::uint32_t key) {
  const KeyTemplate* tmpl = meta_template(key);
  Expr* e = a.expr(Kind::meta, s);
  e->dtype = tmpl ? tmpl->dtype : &invalid_type;
  e->byteorder = tmpl ? tmpl->byteorder : ByteOrder::invalid;
  e->len = tmpl ? tmpl->len : 0;
  MetaData& m = e->meta();
  m.key = key;
  switch (key) {
    case NFT_META_IIFTYPE:
      e->flags |= kExprProtocol;
      break;
    case NFT_META_NFPROTO:
    case NFT_META_PROTOCOL:
      e->flags |= kExprProtocol;
      m.base = ProtoBase::ll;
      break;
    case NFT_META_L4PROTO:
      e->flags |= kExprProtocol;
      m.base = ProtoBase::network;
      break;
    default:
      break;
  }
  return e;
}

Expr* ct_expr(IrArena& a, Span s, std::uint32_t key, std::int8_t direction) {
  const KeyTemplate* tmpl = ct_template(key);
  Expr* e = a.expr(Kind::ct, s);
  e->dtype = tmpl ? tmpl->dtype : &invalid_type;
  e->byteorder = tmpl ? tmpl->byteorder : ByteOrder::invalid;
  e->len = tmpl ? tmpl->len : 0;
  CtData& c = e->ct();
  c.key = key;
  c.direction = direction;
  switch (key) {
    case NFT_CT_SRC:
    case NFT_CT_SRC_IP:
    case NFT_CT_SRC_IP6:
    case NFT_CT_DST:
    case NFT_CT_DST_IP:
    case NFT_CT_DST_IP6:
      c.base = ProtoBase::network;
      break;
    case NFT_CT_PROTO_SRC:
    case NFT_CT_PROTO_DST:
      c.base = ProtoBase::transport;
      break;
    case NFT_CT_PROTOCOL:
      e->flags = kExprProtocol;
      c.base = ProtoBase::network;
      break;
    case NFT_CT_L3PROTOCOL:
      e->flags = kExprProtocol;
      c.base = ProtoBase::ll;
      break;
    default:
      break;
  }
  return e;
}

Expr* rt_expr(IrArena& a, Span s, std::uint32_t key, bool invalid) {
  const KeyTemplate* tmpl = rt_template(key);
  Expr* e = a.expr(Kind::rt, s);
  // `rt nexthop` without ip/ip6: the type is not known yet.
  if (invalid && key == NFT_RT_NEXTHOP4) {
    e->dtype = &invalid_type;
    e->byteorder = tmpl ? tmpl->byteorder : ByteOrder::invalid;
    e->len = 0;
  } else {
    e->dtype = tmpl ? tmpl->dtype : &invalid_type;
    e->byteorder = tmpl ? tmpl->byteorder : ByteOrder::invalid;
    e->len = tmpl ? tmpl->len : 0;
  }
  e->as<RtData>().key = key;
  return e;
}

Stmt* expr_stmt(IrArena& a, Span s, Expr* e) {
  Stmt* st = a.stmt(StmtType::expression, s);
  st->expr = e;
  return st;
}

Stmt* verdict_stmt(IrArena& a, Span s, Expr* e) {
  Stmt* st = a.stmt(StmtType::verdict, s);
  st->expr = e;
  return st;
}

Stmt* meta_iiftype_stmt(IrArena& a, Span s, std::uint16_t type) {
  Expr* left = meta_expr(a, s, NFT_META_IIFTYPE);
  Expr* right = constant_expr(a, s, &arphrd_type, ByteOrder::host, 16, Value(type));
  return expr_stmt(a, s, relational_expr(a, s, Op::eq, left, right));
}

const Datatype* expr_basetype(const Expr* e) {
  const Datatype* d = e->dtype;
  while (d->basetype != nullptr) d = d->basetype;
  return d;
}

bool payload_needs_adjustment(const Expr* e) { return e->payload().offset % 8 != 0 || e->len % 8 != 0; }

bool is_ct_addr_any(const Expr* e) {
  return e->kind == Kind::ct && (e->ct().key == NFT_CT_SRC || e->ct().key == NFT_CT_DST);
}

bool datatype_compatible(const Datatype* a, const Datatype* b) {
  return (a->type == TYPE_MARK && datatype_equal(datatype_basetype(a), datatype_basetype(b))) ||
         datatype_equal(a, b);
}

bool payload_expr_equal(const Expr* a, const Expr* b) {
  return a->kind == Kind::payload && b->kind == Kind::payload && a->payload().desc == b->payload().desc &&
         a->payload().tmpl == b->payload().tmpl;
}

bool expr_type_catchall(const Expr* e) {
  return e->kind == Kind::set_elem_catchall ||
         (e->kind == Kind::mapping && e->left != nullptr && e->left->kind == Kind::set_elem_catchall);
}

bool set_is_anonymous(std::uint32_t f) { return f & NFT_SET_ANONYMOUS; }
bool set_is_datamap(std::uint32_t f) { return f & NFT_SET_MAP; }
bool set_is_objmap(std::uint32_t f) { return f & NFT_SET_OBJECT; }
bool set_is_map(std::uint32_t f) { return set_is_datamap(f) || set_is_objmap(f); }
bool set_is_interval(std::uint32_t f) { return f & NFT_SET_INTERVAL; }
bool set_is_meter_compat(std::uint32_t f) { return f & NFT_SET_EVAL; }

}  // namespace nftc::sema
