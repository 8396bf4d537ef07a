// Expression primitives and header helpers the delinearizer needs: nft's
// constant helpers (expression.c), payload templates looked up from raw
// offsets (payload.c), extension header and option templates (exthdr.c,
// tcpopt.c, ipopt.c, sctp_chunk.c, dccpopt.c) and ct types (ct.c).
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_tables.h>

#include "compiler/listing/internal.hpp"

namespace nftc::listing::detail {

using sema::HdrTemplate;
using sema::ProtoBase;
using sema::ProtoDesc;

Expr* value_from_bytes(IrArena& ir, Span s, std::span<const std::uint8_t> bytes) {
  return sema::constant_expr(ir, s, &sema::invalid_type, ByteOrder::invalid, static_cast<unsigned>(bytes.size() * 8),
                             Value::from_bytes(bytes, ByteOrder::big));
}

void set_type(Expr* e, const sema::Datatype* dtype, ByteOrder order) {
  if (e == nullptr) return;
  switch (e->kind) {
    case Kind::prefix: set_type(e->left, dtype, order); return;
    case Kind::range:
      set_type(e->left, dtype, order);
      set_type(e->right, dtype, order);
      return;
    case Kind::set:
      for (Expr* i : e->items) set_type(i, dtype, order);
      return;
    case Kind::mapping:
    case Kind::set_elem: set_type(e->left, dtype, order); return;
    case Kind::set_ref: {
      sema::Set* set = e->set_ref().set;
      if (set != nullptr && set->init != nullptr && sema::set_is_anonymous(set->flags))
        set_type(set->init, dtype, order);
      return;
    }
    default:
      e->dtype = dtype;
      e->byteorder = order;
      return;
  }
}

Expr* splice(IrArena& ir, Expr* e, unsigned len) {
  Expr* slice = sema::constant_expr(ir, e->span, &sema::invalid_type, ByteOrder::invalid, len, Value());
  unsigned shift = e->len - len;
  slice->value = (e->value & Value::bitmask(len).shl(shift)).shr(shift);
  e->len -= len;
  return slice;
}

Expr* bitmask_to_binops(IrArena& ir, Expr* e) {
  unsigned n = e->value.popcount();
  if (n <= 1) return e;
  Expr* binop = nullptr;
  for (unsigned bit = e->value.scan1(0); bit != kNone; bit = e->value.scan1(bit + 1)) {
    Value v;
    v.set_bit(bit);
    Expr* flag = sema::constant_expr(ir, e->span, e->dtype, e->byteorder, e->len, v);
    binop = binop ? sema::binop_expr(ir, e->span, Op::bor, binop, flag) : flag;
  }
  return binop;
}

Expr* range_to_prefix(IrArena& ir, Expr* range) {
  const Expr* left = range->left;
  const Expr* right = range->right;
  unsigned len = left->len;
  Value x = left->value ^ right->value;
  unsigned n1 = x.scan0(0);
  if (n1 == kNone) return range;
  unsigned n2 = x.scan1(n1 + 1);
  if (n2 < len) return range;
  unsigned plen = len - n1;
  if (left->value.scan1(0) < len - plen) return range;
  return sema::prefix_expr(ir, range->span, range->left, plen);
}

Value range_low(const Expr* e) {
  switch (e->kind) {
    case Kind::value: return e->value;
    case Kind::range_value: return e->value;
    case Kind::prefix:
    case Kind::range:
    case Kind::mapping: return range_low(e->left);
    default: return Value();
  }
}

Value range_high(const Expr* e) {
  switch (e->kind) {
    case Kind::value: return e->value;
    case Kind::range_value: return e->as<sema::RangeValueData>().high;
    case Kind::prefix: {
      unsigned plen = e->as<sema::PrefixData>().prefix_len;
      return range_low(e->left).add(Value::bitmask(e->len >= plen ? e->len - plen : 0));
    }
    case Kind::range: return range_high(e->right);
    case Kind::mapping: return range_high(e->left);
    default: return Value();
  }
}

// ---------------------------------------------------------------------------
// Payload

bool payload_is_known(const Expr* e) {
  const auto& p = e->payload();
  return p.desc && p.tmpl && p.desc != &sema::proto_unknown && p.tmpl != &sema::proto_unknown_template;
}

bool payload_expr_cmp(const Expr* a, const Expr* b) {
  const auto& x = a->payload();
  const auto& y = b->payload();
  return x.inner_desc == y.inner_desc && x.desc == y.desc && x.tmpl == y.tmpl && x.base == y.base &&
         x.offset == y.offset;
}

std::uint8_t icmp_dep_to_type(sema::IcmpDep t) {
  using sema::IcmpDep;
  switch (t) {
    case IcmpDep::echo: return 8;              // ICMP_ECHO
    case IcmpDep::icmp6_echo: return 128;      // ICMP6_ECHO_REQUEST
    case IcmpDep::mtu: return 3;               // ICMP_DEST_UNREACH
    case IcmpDep::address: return 5;           // ICMP_REDIRECT
    case IcmpDep::icmp6_too_big: return 2;         // ICMP6_PACKET_TOO_BIG
    case IcmpDep::icmp6_mgmq: return 130;      // MLD_LISTENER_QUERY
    case IcmpDep::icmp6_param_prob: return 4;        // ICMP6_PARAM_PROB
    case IcmpDep::icmp6_redirect: return 137;  // ND_REDIRECT
    case IcmpDep::icmp6_address: return 135;   // ND_NEIGHBOR_SOLICIT
    case IcmpDep::any: break;
  }
  return 0;
}

bool icmp_dep_type_match(sema::IcmpDep t, std::uint8_t type) {
  using sema::IcmpDep;
  switch (t) {
    case IcmpDep::echo: return type == 8 || type == 0;
    case IcmpDep::icmp6_echo: return type == 128 || type == 129;
    case IcmpDep::icmp6_address:
      return type == 135 || type == 136 || type == 137 || type == 130 || type == 131 || type == 132;
    case IcmpDep::any: return true;
    default: return icmp_dep_to_type(t) == type;
  }
}

namespace {

// nft's get_stacked_desc: a link-layer offset past the outer header falls
// in a stacked one (vlan in vlan).
const ProtoDesc* stacked_desc(const sema::ProtoCtx& ctx, const ProtoDesc* top, const Expr* e, unsigned& skip) {
  unsigned off = e->payload().offset;
  skip = 0;
  if (e->payload().base != ProtoBase::ll || off < top->length) return top;
  unsigned total = 0;
  for (unsigned i = 0; i < ctx.stacked_ll_count; ++i) {
    const ProtoDesc* stacked = ctx.stacked_ll[i];
    if (off < stacked->length) {
      skip = total;
      return stacked;
    }
    off -= stacked->length;
    total += stacked->length;
  }
  skip = total;
  return top;
}

unsigned mask_to_offset(const Expr* mask) { return mask ? mask->value.scan1(0) : 0; }
unsigned mask_length(const Expr* mask) { return mask->value.scan0(mask_to_offset(mask) + 1); }

}  // namespace

void payload_expr_complete(Expr* e, const sema::ProtoCtx& ctx) {
  const ProtoDesc* desc = ctx.desc(e->payload().base);
  if (desc == nullptr || desc == &sema::proto_inet) return;
  unsigned total = 0;
  desc = stacked_desc(ctx, desc, e, total);
  unsigned off = e->payload().offset - total;
  for (unsigned i = 0; i < desc->templates.size(); ++i) {
    const HdrTemplate& t = desc->templates[i];
    if (t.offset != off || t.len != e->len) continue;
    if (t.meta_key && i == 0) continue;
    if (t.icmp_dep != sema::IcmpDep::any && ctx.icmp_type && !icmp_dep_type_match(t.icmp_dep, ctx.icmp_type))
      continue;
    e->dtype = t.dtype;
    e->payload().desc = desc;
    e->byteorder = t.byteorder;
    e->payload().tmpl = &t;
    return;
  }
}

std::vector<Expr*> payload_expr_expand(IrArena& ir, Expr* e, const sema::ProtoCtx& ctx) {
  std::vector<Expr*> out;
  unsigned off = e->payload().offset;
  const ProtoDesc* desc = ctx.desc(e->payload().base);
  if (desc != nullptr && desc != &sema::proto_unknown) {
    unsigned total = 0;
    desc = stacked_desc(ctx, desc, e, total);
    off -= total;
    for (unsigned i = 1; i < desc->templates.size(); ++i) {
      const HdrTemplate& t = desc->templates[i];
      if (t.len == 0) break;
      if (t.offset != off) continue;
      if (t.icmp_dep != sema::IcmpDep::any && ctx.icmp_type && !icmp_dep_type_match(t.icmp_dep, ctx.icmp_type))
        continue;
      if (t.len <= e->len) {
        out.push_back(sema::payload_expr(ir, e->span, desc, i));
        e->len -= t.len;
        e->payload().offset += t.len;
        off += t.len;
        if (e->len == 0) return out;
      } else if (e->len > 0) {
        Expr* n = sema::payload_expr(ir, e->span, desc, i);
        n->len = e->len;
        out.push_back(n);
        return out;
      } else {
        break;
      }
    }
  }
  Expr* n = sema::payload_expr(ir, e->span, nullptr, 0);
  sema::payload_init_raw(n, e->payload().base, off, e->len);
  if (e->payload().inner_desc) n->dtype = &sema::integer_type;
  out.push_back(n);
  return out;
}

bool payload_expr_trim(Expr* e, Expr* mask, const sema::ProtoCtx& ctx, unsigned& shift) {
  unsigned off = e->payload().offset;
  unsigned mask_offset = mask_to_offset(mask);
  unsigned mask_len = mask_length(mask);
  unsigned payload_len = e->len;
  const ProtoDesc* desc = ctx.desc(e->payload().base);
  if (desc == nullptr) return false;
  unsigned total = 0;
  desc = stacked_desc(ctx, desc, e, total);
  off -= total;
  unsigned skip = sema::round_up(mask->len, 8) - mask_len;
  off += skip;
  unsigned len = 0;
  for (unsigned i = 1; i < desc->templates.size(); ++i) {
    const HdrTemplate& t = desc->templates[i];
    if (t.offset != off) continue;
    if (t.len > payload_len) return false;
    payload_len -= t.len;
    off += t.len;
    len += t.len;
    if (payload_len == 0) return false;
    if (mask_offset + len == mask_len) {
      e->payload().offset += skip;
      e->len = len;
      shift = mask_offset;
      return true;
    }
  }
  return false;
}

bool payload_expr_trim_force(Expr* e, Expr* mask, unsigned& shift) {
  unsigned mask_len = mask_length(mask);
  if (payload_is_known(e) || e->len <= mask_len) return false;
  unsigned off = e->payload().offset + sema::round_up(mask->len, 8) - mask_len;
  if (sema::round_up(off, 8) > 255) return false;
  unsigned real_len = mask->value.popcount();
  if (real_len > e->len) return false;
  e->payload().offset = off;
  e->len = real_len;
  shift = mask_to_offset(mask);
  return true;
}

bool stmt_payload_expr_trim(IrArena& ir, Stmt* stmt, const sema::ProtoCtx& pctx) {
  auto& ps = stmt->as<sema::PayloadStmt>();
  Expr* expr = ps.val;
  Expr* payload = expr->left;
  Expr* mask = expr->right;
  (void)ir;
  if (payload->kind != Kind::payload || mask->kind != Kind::value) return false;
  if (payload_is_known(payload) || !pctx.desc(payload->payload().base) || payload->len % 16 != 0) return false;
  unsigned n;
  switch (expr->op) {
    case Op::band: n = mask->value.scan0(0); break;
    case Op::bor:
    case Op::bxor: n = mask->value.scan1(0); break;
    default: return false;
  }
  if (n == kNone) return false;
  unsigned mask_offset = payload->len - n;
  unsigned offset = payload->payload().offset + mask_offset;
  const ProtoDesc* desc = pctx.desc(payload->payload().base);
  for (unsigned i = 1; i < desc->templates.size(); ++i) {
    const HdrTemplate& t = desc->templates[i];
    if (t.len == 0) return false;
    if (t.offset + t.len < offset) continue;
    unsigned shift;
    if (t.offset % 16 < 8) shift = 8 - (t.offset % 8 + t.len) + 8;
    else shift = 16 - (t.offset % 16 + t.len);
    Value bitmask = Value::bitmask(t.len).shl(shift);
    switch (expr->op) {
      case Op::band: {
        Value untouched = Value::bitmask(payload->len) ^ bitmask;
        if ((mask->value & untouched) != untouched) return false;
        break;
      }
      default:
        if ((mask->value & bitmask) != mask->value) return false;
        break;
    }
    mask->value = bitmask & mask->value;
    mask->len -= t.offset - payload->payload().offset;
    if (shift) {
      mask->len -= shift;
      mask->value = mask->value.shr(shift);
    }
    payload->payload().offset = t.offset;
    payload->len = t.len;
    ps.expr = payload;
    if (expr->op == Op::band && mask->value.is_zero()) ps.val = mask;
    return true;
  }
  return false;
}

bool payload_is_stacked(const ProtoDesc* desc, const Expr* rel) {
  const Expr* left = rel->left;
  if (left->kind != Kind::payload || !(left->flags & sema::kExprProtocol) || rel->op != Op::eq) return false;
  // mpz_get_be16: the value's low 16 bits, byte-swapped.
  std::uint16_t v = static_cast<std::uint16_t>(rel->right->value.u32());
  v = static_cast<std::uint16_t>((v >> 8) | (v << 8));
  const ProtoDesc* next = sema::proto_find_upper(desc, v);
  return next && desc && next->base == desc->base;
}

// ---------------------------------------------------------------------------
// Extension headers

namespace {

const HdrTemplate* first_template(const sema::ExthdrDesc* desc, unsigned offset, unsigned len) {
  for (const HdrTemplate& t : desc->templates)
    if (t.dtype != nullptr && t.offset == offset && t.len == len) return &t;
  return nullptr;
}

void tcpopt_init_raw(Expr* e, std::uint8_t type, unsigned off, unsigned len, std::uint32_t flags) {
  auto& x = e->exthdr();
  e->len = len;
  x.flags = flags;
  x.offset = off;
  x.op = NFT_EXTHDR_OP_TCPOPT;
  x.tmpl = &sema::exthdr_unknown_template;
  e->dtype = flags & NFT_EXTHDR_F_PRESENT ? &sema::boolean_type : &sema::integer_type;
  const sema::ExthdrDesc* desc = sema::tcpopt_by_kind(type);
  if (desc == nullptr) return;
  x.desc = desc;
  if (const HdrTemplate* t = first_template(desc, off, len)) {
    if (!(flags & NFT_EXTHDR_F_PRESENT)) e->dtype = t->dtype;
    x.tmpl = t;
  }
}

void ipopt_init_raw(Expr* e, std::uint8_t type, unsigned off, unsigned len, std::uint32_t flags, bool set_unknown) {
  auto& x = e->exthdr();
  e->len = len;
  x.flags = flags;
  x.offset = off;
  x.desc = sema::ipopt_by_type(type);
  if (x.desc == nullptr) {
    x.tmpl = &sema::exthdr_unknown_template;
    x.op = NFT_EXTHDR_OP_IPV4;
    return;
  }
  if (const HdrTemplate* t = first_template(x.desc, off, len)) {
    e->dtype = flags & NFT_EXTHDR_F_PRESENT ? &sema::boolean_type : t->dtype;
    x.tmpl = t;
    x.op = NFT_EXTHDR_OP_IPV4;
  } else if (set_unknown) {
    x.tmpl = &sema::exthdr_unknown_template;
    x.op = NFT_EXTHDR_OP_IPV4;
  }
}

void sctp_chunk_init_raw(Expr* e, std::uint8_t type, unsigned off, unsigned len, std::uint32_t flags) {
  auto& x = e->exthdr();
  e->len = len;
  x.flags = flags;
  x.offset = off;
  x.op = NFT_EXTHDR_OP_SCTP;
  x.tmpl = &sema::exthdr_unknown_template;
  e->dtype = flags & NFT_EXTHDR_F_PRESENT ? &sema::boolean_type : &sema::integer_type;
  const sema::ExthdrDesc* desc = sema::sctp_chunk_by_type(type);
  if (desc == nullptr) return;
  x.desc = desc;
  if (const HdrTemplate* t = first_template(desc, off, len)) {
    if (!(flags & NFT_EXTHDR_F_PRESENT)) e->dtype = t->dtype;
    x.tmpl = t;
  }
}

void dccpopt_init_raw(Expr* e, std::uint8_t type, unsigned off, unsigned len) {
  auto& x = e->exthdr();
  const sema::ExthdrDesc* desc = sema::dccpopt_find_desc(type);
  e->len = len;
  e->dtype = &sema::boolean_type;
  x.offset = off;
  x.desc = desc;
  x.flags = NFT_EXTHDR_F_PRESENT;
  x.op = NFT_EXTHDR_OP_DCCP;
  const HdrTemplate* t = desc ? &desc->templates[sema::DCCPOPT_FIELD_TYPE] : nullptr;
  x.tmpl = t && t->offset == off && t->len == len ? t : &sema::exthdr_unknown_template;
}

}  // namespace

void exthdr_init_raw(Expr* e, std::uint8_t type, unsigned offset, unsigned len, std::uint8_t op, std::uint32_t flags) {
  auto& x = e->exthdr();
  x.raw_type = type;
  switch (op) {
    case NFT_EXTHDR_OP_TCPOPT: return tcpopt_init_raw(e, type, offset, len, flags);
    case NFT_EXTHDR_OP_IPV4: return ipopt_init_raw(e, type, offset, len, flags, true);
    case NFT_EXTHDR_OP_SCTP: return sctp_chunk_init_raw(e, type, offset, len, flags);
    case NFT_EXTHDR_OP_DCCP: return dccpopt_init_raw(e, type, offset, len);
    default: break;
  }
  x.op = op;
  e->len = len;
  x.flags = flags;
  x.offset = offset;
  x.desc = sema::exthdr_find_proto(type);
  const HdrTemplate* tmpl = nullptr;
  if (x.desc != nullptr) {
    tmpl = first_template(x.desc, offset, len);
    if (tmpl == nullptr && x.desc->id == sema::ExthdrId::rt) {
      for (sema::ExthdrId id : {sema::ExthdrId::srh, sema::ExthdrId::rt0, sema::ExthdrId::rt2}) {
        const sema::ExthdrDesc* d = sema::exthdr_find_desc(id);
        if (d && (tmpl = first_template(d, offset, len))) {
          x.desc = d;
          break;
        }
      }
    }
  }
  if (tmpl == nullptr) tmpl = &sema::exthdr_unknown_template;
  x.tmpl = tmpl;
  e->dtype = flags & NFT_EXTHDR_F_PRESENT ? &sema::boolean_type : tmpl->dtype;
}

bool exthdr_find_template(Expr* e, const Expr* mask, unsigned& shift) {
  unsigned mask_offset = mask->value.scan1(0);
  unsigned mlen = mask->value.scan0(mask_offset + 1);
  unsigned off = e->exthdr().offset + sema::round_up(mask->len, 8) - mlen;
  bool found = false;
  auto& x = e->exthdr();
  switch (x.op) {
    case NFT_EXTHDR_OP_IPV4:
      if (x.tmpl != &sema::exthdr_unknown_template || x.desc == nullptr) return false;
      ipopt_init_raw(e, x.desc->type, off, mlen - mask_offset, 0, false);
      found = x.tmpl != &sema::exthdr_unknown_template;
      break;
    case NFT_EXTHDR_OP_TCPOPT:
      if (x.tmpl != &sema::exthdr_unknown_template || x.desc == nullptr) return false;
      tcpopt_init_raw(e, x.desc->type, off, mlen - mask_offset, 0);
      found = x.tmpl != &sema::exthdr_unknown_template;
      break;
    case NFT_EXTHDR_OP_IPV6:
      exthdr_init_raw(e, x.raw_type, off, mlen - mask_offset, x.op, 0);
      found = x.tmpl != &sema::exthdr_unknown_template;
      break;
    default: break;
  }
  if (found) shift = mask_offset;
  return found;
}

void ct_expr_update_type(const sema::ProtoCtx& ctx, Expr* e) {
  const ProtoDesc* desc = ctx.desc(e->ct().base);
  switch (e->ct().key) {
    case NFT_CT_SRC:
    case NFT_CT_DST:
      if (desc == &sema::proto_ip) {
        e->dtype = &sema::ipaddr_type;
        e->ct().nfproto = NFPROTO_IPV4;
      } else if (desc == &sema::proto_ip6) {
        e->dtype = &sema::ip6addr_type;
        e->ct().nfproto = NFPROTO_IPV6;
      }
      e->len = e->dtype->size;
      break;
    case NFT_CT_PROTO_SRC:
    case NFT_CT_PROTO_DST:
      if (desc != nullptr) e->dtype = &sema::inet_service_type;
      break;
    case NFT_CT_SRC_IP:
    case NFT_CT_DST_IP:
      e->dtype = &sema::ipaddr_type;
      e->len = e->dtype->size;
      break;
    case NFT_CT_SRC_IP6:
    case NFT_CT_DST_IP6:
      e->dtype = &sema::ip6addr_type;
      e->len = e->dtype->size;
      break;
    default: break;
  }
}

}  // namespace nftc::listing::detail
