// Rule post-processing (nft's rule_parse_postprocess and expr_postprocess):
// raw loads get their header field from the protocol context the rule
// builds up, values get the types of what they are compared with, masks
// and shifts fold back into bit fields, prefixes and flag lists, and the
// protocol matches nft added as dependencies are dropped again when a
// later match implies them.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_tables.h>

#include <list>

#include "compiler/listing/internal.hpp"

namespace nftc::listing::detail {

using sema::ProtoBase;
using sema::ProtoCtx;
using sema::ProtoDesc;

namespace {

constexpr unsigned kInConcat = 1u << 0;
constexpr unsigned kInSetElem = 1u << 1;
constexpr unsigned kRemoveOpAnd = kInConcat | kInSetElem;

// Matches that might only be there as dependencies of later ones (nft's
// payload_dep_ctx). A dependency found at base B is kept at B + 1: it is
// what a match at the next layer up implies.
struct DepCtx {
  std::uint8_t icmp_type = 0;
  Stmt* prev = nullptr;
  std::array<Stmt*, sema::kProtoBaseMax + 1> pdeps{};
};

struct DlCtx {
  ProtoCtx pctx;
  DepCtx pdctx;
};

unsigned base_index(ProtoBase b) { return static_cast<unsigned>(b); }

class PostProcessor {
 public:
  PostProcessor(Listing& l, std::list<Stmt*>& stmts, sema::Family family)
      : l_(l), ir_(l.ruleset.arena), stmts_(stmts) {
    dls_[0].pctx.init(family, false);
    // The inner headers of a tunnel start at an Ethernet header.
    dls_[1].pctx.init(sema::Family::bridge, true);
    dl_ = &dls_[0];
  }

  void run() {
    for (auto it = stmts_.begin(); it != stmts_.end();) {
      auto next = std::next(it);
      stmt_ = *it;
      StmtType type = stmt_->type;
      select_ctx();
      process(stmt_);
      dl_->pdctx.prev = stmt_;
      if (type != StmtType::expression) dl_->pdctx = DepCtx{};
      it = next;
    }
  }

  // A set element key outside a rule (nothing to depend on).
  void standalone(Expr*& e) {
    flags_ |= kInSetElem;
    postprocess(e);
    flags_ &= ~kInSetElem;
  }

 private:
  // ---- The statement list ------------------------------------------------

  void insert_before(Stmt* at, Stmt* s) {
    auto it = std::find(stmts_.begin(), stmts_.end(), at);
    stmts_.insert(it, s);
  }
  void remove(Stmt* s) {
    auto it = std::find(stmts_.begin(), stmts_.end(), s);
    if (it != stmts_.end()) stmts_.erase(it);
  }

  // ---- Dependencies (payload.c) -------------------------------------------

  bool dep_store_icmp_type(const Stmt* st) {
    const Expr* dep = st->expr;
    if (dep->left->kind != Kind::payload) return false;
    const Expr* right = dep->right;
    if (right->kind != Kind::value || right->len != 8) return false;
    const ProtoDesc* desc = dep->left->payload().desc;
    std::uint8_t type = static_cast<std::uint8_t>(right->value.u32());
    if (desc == &sema::proto_icmp) {
      if (type == 0) type = 8;
      dl_->pdctx.icmp_type = type;
      return type == 8;
    }
    if (desc == &sema::proto_icmp6) {
      dl_->pdctx.icmp_type = type;
      return type == 128 || type == 129;
    }
    return false;
  }

  void dep_store(Stmt* st, ProtoBase base) {
    if (dep_store_icmp_type(st)) return;
    dl_->pdctx.pdeps[base_index(base) + 1] = st;
  }

  static bool dep_exists(const DepCtx& c, ProtoBase base) {
    if (c.pdeps[base_index(base)]) return true;
    return base == ProtoBase::transport && c.pdeps[base_index(ProtoBase::inner)];
  }

  static Expr* dep_get(const DepCtx& c, ProtoBase base) {
    if (c.pdeps[base_index(base)]) return c.pdeps[base_index(base)]->expr;
    if (base == ProtoBase::transport && c.pdeps[base_index(ProtoBase::inner)])
      return c.pdeps[base_index(ProtoBase::inner)]->expr;
    return nullptr;
  }

  void dep_release_at(DepCtx& c, unsigned i) {
    remove(c.pdeps[i]);
    if (c.pdeps[i] == c.prev) c.prev = nullptr;
    if (c.pdeps[i] == stmt_) stmt_ = nullptr;
    c.pdeps[i] = nullptr;
  }

  void dep_release(DepCtx& c, ProtoBase base) {
    if (c.pdeps[base_index(base)]) dep_release_at(c, base_index(base));
    else if (base == ProtoBase::transport && c.pdeps[base_index(ProtoBase::inner)])
      dep_release_at(c, base_index(ProtoBase::inner));
  }

  bool may_kill_icmp(const Expr* e) {
    const Expr* dep = dep_get(dl_->pdctx, e->payload().base);
    sema::IcmpDep d = e->payload().tmpl->icmp_dep;
    if (d == sema::IcmpDep::any) return false;
    if (dep->left->payload().desc != e->payload().desc) return false;
    if (d == sema::IcmpDep::echo || d == sema::IcmpDep::icmp6_echo || d == sema::IcmpDep::icmp6_address) return false;
    return dl_->pdctx.icmp_type == icmp_dep_to_type(d);
  }

  bool may_kill_ll(const Expr* e) {
    const Expr* dep = dep_get(dl_->pdctx, e->payload().base);
    if (dep->left->payload().desc == &sema::proto_vlan) return false;
    if (dep->left->payload().desc == &sema::proto_eth && dep->right->kind == Kind::value && dep->right->len == 16)
      return (dep->right->value.u32() & 0xffff) == 0x8100;  // ETH_P_8021Q
    return true;
  }

  bool may_kill(Expr* e) {
    const Expr* dep = dep_get(dl_->pdctx, e->payload().base);
    sema::Family family = dl_->pctx.family;
    const auto& p = e->payload();
    if (family == sema::Family::bridge || family == sema::Family::netdev || family == sema::Family::inet) {
      if (dep->left->kind == Kind::payload && dep->left->payload().base == ProtoBase::network &&
          (dep->left->payload().desc == &sema::proto_ip || dep->left->payload().desc == &sema::proto_ip6) &&
          p.base == ProtoBase::transport)
        return false;
      if (dep->left->kind == Kind::payload && dep->op == Op::eq && p.base == dep->left->payload().base) {
        if (e->flags & sema::kExprProtocol) return false;
        if (p.base == ProtoBase::ll) return may_kill_ll(e);
      }
    }
    if (p.base != ProtoBase::transport) return true;
    if (p.desc == &sema::proto_th) {
      // th could be any transport protocol: keep the dependency, print raw.
      e->payload().desc = &sema::proto_unknown;
      e->dtype = &sema::xinteger_type;
      return false;
    }
    if (dep->left->kind != Kind::payload || dep->left->payload().base != ProtoBase::transport) return true;
    if (dep->left->payload().desc == &sema::proto_icmp || dep->left->payload().desc == &sema::proto_icmp6)
      return may_kill_icmp(e);
    return true;
  }

  void payload_dependency_kill(Expr* e) {
    if (e->payload().desc != &sema::proto_unknown && dep_exists(dl_->pdctx, e->payload().base) && may_kill(e))
      dep_release(dl_->pdctx, e->payload().base);
  }

  void exthdr_dependency_kill(const Expr* e) {
    switch (e->exthdr().op) {
      case NFT_EXTHDR_OP_TCPOPT:
        if (dep_exists(dl_->pdctx, ProtoBase::transport)) dep_release(dl_->pdctx, ProtoBase::transport);
        break;
      case NFT_EXTHDR_OP_IPV6:
      case NFT_EXTHDR_OP_IPV4:
        if (dep_exists(dl_->pdctx, ProtoBase::network)) dep_release(dl_->pdctx, ProtoBase::network);
        break;
      default: break;
    }
  }

  // The outer dependency of a GRE inner header: `meta l4proto gre`.
  bool meta_outer_may_kill(const Expr* e) {
    DlCtx& outer = dls_[0];
    const ProtoDesc* inner = e->payload().inner_desc;
    Stmt* st = outer.pdctx.pdeps[base_index(inner->base)];
    if (st == nullptr) return false;
    const Expr* dep = st->expr;
    if (dep->left->kind != Kind::meta || dep->left->meta().key != NFT_META_L4PROTO) return false;
    std::uint8_t l4 = static_cast<std::uint8_t>(dep->right->value.u32());
    return l4 == IPPROTO_GRE && (inner == &sema::proto_gre || inner == &sema::proto_gretap);
  }

  void outer_kill(const Expr* e) {
    if (e->payload().inner_desc && meta_outer_may_kill(e)) dep_release(dls_[0].pdctx, e->payload().inner_desc->base);
  }

  // ---- Payload matches ------------------------------------------------------

  void payload_match_expand(Expr* rel, Expr* payload) {
    Expr* right = rel->right;
    ProtoBase base = payload->payload().base;
    std::vector<Expr*> fields = payload_expr_expand(ir_, payload, dl_->pctx);
    Stmt* at = stmt_;
    for (Expr* left : fields) {
      Expr* tmp = splice(ir_, right, left->len);
      set_type(tmp, left->dtype, left->byteorder);
      const sema::HdrTemplate* tmpl = left->payload().tmpl;
      if (tmpl && left->len < tmpl->len) {
        tmp->value = tmp->value.shl(tmpl->len - left->len);
        tmp->len = tmpl->len;
        tmp = sema::prefix_expr(ir_, tmp->span, tmp, left->len);
      }
      Expr* nexpr = sema::relational_expr(ir_, rel->span, rel->op, left, tmp);
      if (rel->op == Op::eq) sema::relational_pctx_update(dl_->pctx, nexpr);
      Stmt* nstmt = sema::expr_stmt(ir_, at->span, nexpr);
      insert_before(at, nstmt);
      if (rel->left->payload().inner_desc) {
        if (rel->left->payload().inner_desc == rel->left->payload().desc) {
          left->payload().desc = rel->left->payload().desc;
          left->payload().tmpl = rel->left->payload().tmpl;
        }
        left->payload().inner_desc = rel->left->payload().inner_desc;
        outer_kill(rel->left);
      }
      if (payload_is_stacked(dl_->pctx.desc(base), nexpr)) base = static_cast<ProtoBase>(base_index(base) - 1);
      payload_dependency_kill(left);
      set_type(tmp, left->dtype, nexpr->byteorder);
      if (rel->op == Op::eq && (left->flags & sema::kExprProtocol)) dep_store(nstmt, base);
    }
    remove(at);
    if (dl_->pdctx.prev == at) dl_->pdctx.prev = nullptr;
    stmt_ = nullptr;
  }

  void payload_icmp_check(Expr* e, const Expr* value) {
    if (e->payload().base != ProtoBase::transport) return;
    if (e->len != 8 || value->len != 8 || dl_->pctx.icmp_type) return;
    const ProtoDesc* desc = dl_->pctx.desc(e->payload().base);
    if (desc != &sema::proto_icmp && desc != &sema::proto_icmp6) return;
    std::uint8_t type = static_cast<std::uint8_t>(value->value.u32());
    for (unsigned i = 1; i < desc->templates.size(); ++i) {
      const sema::HdrTemplate& t = desc->templates[i];
      if (t.len == 0) return;
      if (t.offset != e->payload().offset || t.len != e->len) continue;
      if (desc->protocol_key != i) return;
      e->payload().desc = desc;
      e->payload().tmpl = &t;
      dl_->pctx.icmp_type = type;
      return;
    }
  }

  void payload_match_postprocess(Expr* rel, Expr* payload) {
    if (rel->op == Op::eq || rel->op == Op::neq) {
      if (rel->right->kind == Kind::value) return payload_match_expand(rel, payload);
      if (rel->right->kind == Kind::set_ref) {
        sema::Set* set = rel->right->set_ref().set;
        if (sema::set_is_anonymous(set->flags) && set->init && !set->init->items.empty()) {
          const Expr* elem = set->init->items.front();
          if (elem->kind == Kind::set_elem && elem->left->kind == Kind::value) payload_icmp_check(payload, elem->left);
        }
      }
    }
    payload_expr_complete(payload, dl_->pctx);
    set_type(rel->right, payload->dtype, payload->byteorder);
    payload_dependency_kill(payload);
  }

  // ---- ct and meta matches ----------------------------------------------------

  static std::uint8_t ether_to_nfproto(std::uint16_t l3) {
    if (l3 == 0x0800) return NFPROTO_IPV4;
    if (l3 == 0x86dd) return NFPROTO_IPV6;
    return NFPROTO_UNSPEC;
  }

  static bool meta_dependency_may_kill(const Expr* dep, std::uint8_t& nfproto) {
    switch (dep->left->kind) {
      case Kind::meta:
        switch (dep->left->meta().key) {
          case NFT_META_NFPROTO: nfproto = static_cast<std::uint8_t>(dep->right->value.u32()); break;
          case NFT_META_PROTOCOL:
            nfproto = ether_to_nfproto(static_cast<std::uint16_t>(dep->right->value.u32()));
            break;
          default: return true;
        }
        break;
      case Kind::payload:
        if (dep->left->payload().base != ProtoBase::ll) return true;
        if (dep->left->dtype != &sema::ethertype_type) return true;
        nfproto = ether_to_nfproto(static_cast<std::uint16_t>(dep->right->value.u32()));
        break;
      default: return true;
    }
    return false;
  }

  static bool ct_may_kill(unsigned nfproto, const Expr* ct) {
    switch (ct->ct().key) {
      case NFT_CT_DST:
      case NFT_CT_SRC:
        if (ct->len == 32) return nfproto == NFPROTO_IPV4;
        if (ct->len == 128) return nfproto == NFPROTO_IPV6;
        return false;
      case NFT_CT_DST_IP:
      case NFT_CT_SRC_IP: return nfproto == NFPROTO_IPV4;
      case NFT_CT_DST_IP6:
      case NFT_CT_SRC_IP6: return nfproto == NFPROTO_IPV6;
      default: return false;
    }
  }

  static bool meta_may_kill(std::uint8_t nfproto, const Expr* meta, const Expr* v) {
    if (meta->meta().key != NFT_META_L4PROTO) return true;
    if (v->kind != Kind::value || v->len != 8) return false;
    std::uint8_t l4 = static_cast<std::uint8_t>(v->value.u32());
    if (l4 == IPPROTO_ICMP) return nfproto == NFPROTO_IPV4;
    if (l4 == IPPROTO_ICMPV6) return nfproto == NFPROTO_IPV6;
    return false;
  }

  bool ct_meta_may_kill(const Expr* rel) {
    const Expr* dep = dep_get(dl_->pdctx, ProtoBase::network);
    std::uint8_t nfproto = NFPROTO_UNSPEC;
    if (dep == nullptr) return true;
    if (meta_dependency_may_kill(dep, nfproto)) return true;
    switch (dl_->pctx.family) {
      case sema::Family::inet:
      case sema::Family::netdev:
      case sema::Family::bridge: break;
      case sema::Family::ip:
      case sema::Family::ip6: return static_cast<std::uint8_t>(dl_->pctx.family) == nfproto;
      default: return true;
    }
    if (rel->left->kind == Kind::meta) return meta_may_kill(nfproto, rel->left, rel->right);
    if (rel->left->kind == Kind::ct) return ct_may_kill(nfproto, rel->left);
    return true;
  }

  void ct_meta_common_postprocess(const Expr* rel, ProtoBase base) {
    const Expr* left = rel->left;
    Expr* right = rel->right;
    if (right->kind == Kind::set || right->kind == Kind::set_ref) set_type(right, left->dtype, left->byteorder);
    if (rel->op != Op::eq) return;
    if (right->kind == Kind::range || right->kind == Kind::set || right->kind == Kind::set_ref) return;
    sema::relational_pctx_update(dl_->pctx, rel);
    if (base < ProtoBase::transport) {
      if (dep_exists(dl_->pdctx, base) && ct_meta_may_kill(rel)) dep_release(dl_->pdctx, base);
      if ((left->flags & sema::kExprProtocol) && stmt_ != nullptr) dep_store(stmt_, base);
    }
  }

  // ---- Binary operations ------------------------------------------------------

  static unsigned mask_to_prefix(const Expr* e) {
    unsigned n = e->value.scan1(0);
    if (n == kNone) return 0;
    return e->value.scan0(n + 1) - n;
  }

  static bool mask_is_prefix(const Expr* e) {
    unsigned n1 = e->value.scan1(0);
    if (n1 == kNone) return true;
    unsigned n2 = e->value.scan0(n1 + 1);
    return !(n2 < e->len || n2 == kNone);
  }

  Expr* binop_tree_to_list(Expr* list, Expr* e) {
    if (e->kind == Kind::binop && e->op == Op::bor) {
      if (list == nullptr) list = sema::list_expr(ir_, e->span);
      list = binop_tree_to_list(list, e->left);
      return binop_tree_to_list(list, e->right);
    }
    if (list == nullptr) return e;
    list->items.push_back(e);
    return list;
  }

  static void binop_adjust_one(const Expr* binop, Expr* value, unsigned shift) {
    value->value = value->value.shr(shift);
    if (binop->left->kind == Kind::payload || binop->left->kind == Kind::exthdr) value->len = binop->left->len;
  }

  static void binop_adjust(const Expr* binop, Expr* right, unsigned shift) {
    switch (right->kind) {
      case Kind::value: binop_adjust_one(binop, right, shift); break;
      case Kind::set_ref: {
        sema::Set* set = right->set_ref().set;
        if (!sema::set_is_anonymous(set->flags) || set->init == nullptr) break;
        for (Expr* i : set->init->items) {
          if (i->kind != Kind::set_elem) continue;
          Expr* k = i->left;
          switch (k->kind) {
            case Kind::value: binop_adjust_one(binop, k, shift); break;
            case Kind::range:
              binop_adjust_one(binop, k->left, shift);
              binop_adjust_one(binop, k->right, shift);
              break;
            case Kind::mapping:
              if (k->left->kind == Kind::range) binop_adjust(binop, k->left, shift);
              else binop_adjust_one(binop, k->left, shift);
              break;
            default: break;
          }
        }
        break;
      }
      case Kind::range:
        binop_adjust_one(binop, right->left, shift);
        binop_adjust_one(binop, right->right, shift);
        break;
      default: break;
    }
  }

  // `slot` holds the binop `left & mask` within `e`.
  bool binop_postprocess_at(Expr* e, Expr* left, Expr* mask, Expr*& slot) {
    Expr* binop = slot;
    unsigned shift = 0;
    if ((left->kind == Kind::payload && payload_expr_trim(left, mask, dl_->pctx, shift)) ||
        (left->kind == Kind::exthdr && exthdr_find_template(left, mask, shift))) {
      Expr* right = nullptr;
      switch (e->kind) {
        case Kind::binop:
        case Kind::relational:
        case Kind::map:
          right = e->right;
          binop_adjust(binop, right, shift);
          break;
        default: break;
      }
      slot = left;
      if (left->kind == Kind::payload) payload_match_postprocess(e, left);
      else if (left->kind == Kind::exthdr && right) set_type(right, left->dtype, left->byteorder);
      return true;
    }
    if (left->kind == Kind::payload && e->right && e->right->kind == Kind::value &&
        payload_expr_trim_force(left, mask, shift)) {
      e->right->value = e->right->value.shr(shift);
      slot = left;
      return true;
    }
    return false;
  }

  bool binop_postprocess(Expr* e, Expr*& slot) { return binop_postprocess_at(e, slot->left, slot->right, slot); }

  void map_binop_postprocess(Expr* map) {
    Expr* binop = map->left;
    if (binop->op != Op::band) return;
    if (binop->left->kind == Kind::payload && binop->right->kind == Kind::value) binop_postprocess(map, map->left);
  }

  static bool is_shift_by_zero(const Expr* binop) {
    if (binop->op != Op::rshift && binop->op != Op::lshift) return false;
    const Expr* rhs = binop->right;
    if (rhs->kind != Kind::value || rhs->len > 64) return false;
    return rhs->value.is_zero();
  }

  void relational_binop_postprocess(Expr*& e) {
    Expr* binop = e->left;
    Expr* right = e->right;
    const sema::Datatype* rbase = right->dtype->basetype;
    if (binop->op == Op::band && (e->op == Op::neq || e->op == Op::eq) && rbase &&
        rbase->type == sema::TYPE_BITMASK && right->kind == Kind::value && right->value.is_zero()) {
      // A flag test: data & flags != 0 lists the flags.
      e->left = binop->left;
      e->right = binop_tree_to_list(nullptr, binop->right);
      e->op = e->op == Op::neq ? Op::implicit : Op::neg;
    } else if (sema::datatype_prefix_notation(binop->left->dtype) && binop->op == Op::band &&
               right->kind == Kind::value && mask_is_prefix(binop->right)) {
      e->left = binop->left;
      e->right = sema::prefix_expr(ir_, e->span, right, mask_to_prefix(binop->right));
    } else if (binop->op == Op::band && binop->right->kind == Kind::value) {
      binop_postprocess(e, e->left);
    } else if (binop->op == Op::rshift && binop->left->kind == Kind::binop && binop->left->op == Op::band &&
               binop->right->kind == Kind::value && binop->left->right->kind == Kind::value) {
      // `ip version @s4`: a mask and a shift in front of a lookup.
      binop_postprocess(binop, binop->left);
      if (is_shift_by_zero(binop)) e->left = binop->left;
    }
  }

  bool payload_binop_postprocess(Expr*& e) {
    if (e->op != Op::rshift) return false;
    if (e->left->kind == Kind::unary) e->left = e->left->left;
    if (e->left->kind != Kind::binop || e->left->op != Op::band) return false;
    if (e->left->left->kind != Kind::exthdr && e->left->left->kind != Kind::payload) return false;
    postprocess(e->left->left);
    set_type(e->right, &sema::integer_type, ByteOrder::host);
    postprocess(e->right);
    binop_postprocess(e, e->left);
    e = e->left;
    return true;
  }

  // ---- Values -------------------------------------------------------------------

  Expr* string_constant(const Expr* like, const std::string& data, unsigned len_bits) {
    std::vector<std::uint8_t> bytes(data.begin(), data.end());
    bytes.resize(len_bits / 8);
    return sema::constant_expr(ir_, like->span, like->dtype, ByteOrder::host, len_bits,
                               Value::from_bytes(bytes, ByteOrder::host));
  }

  // nft's expr_postprocess_string: a string without its terminating NUL
  // was a prefix match and prints with a trailing '*'; a literal '*' at the
  // end is escaped.
  Expr* postprocess_string(Expr* e) {
    unsigned len = sema::div_round_up(e->len, 8);
    std::string data = e->value.to_bytes_string(len, ByteOrder::host);
    if (len > 0 && data[len - 1] == '\0') {
      std::size_t n = data.find('\0');
      if (n > 0 && data[n - 1] == '*') {
        std::string s = data.substr(0, n - 1) + "\\*";
        return string_constant(e, s + '\0', static_cast<unsigned>((n + 2) * 8));
      }
      return e;
    }
    std::string s = data;
    s.resize(len + 2, '\0');
    s[len] = '*';
    return string_constant(e, s, e->len + 8);
  }

  void postprocess_value(Expr*& e) {
    bool interval = set_ != nullptr && (set_->flags & NFT_SET_INTERVAL);
    if (e->byteorder == ByteOrder::host && !interval) switch_byteorder(e->value, e->len / 8);
    if (sema::expr_basetype(e)->type == sema::TYPE_STRING) e = postprocess_string(e);
    if (e->dtype->basetype != nullptr && e->dtype->basetype->type == sema::TYPE_BITMASK)
      e = bitmask_to_binops(ir_, e);
  }

  void postprocess_concat(Expr*& e) {
    std::uint32_t type = e->dtype->type;
    unsigned off = e->dtype->subtypes;
    std::uint32_t ntype = 0;
    flags_ |= kInConcat;
    for (Expr*& i : e->items) {
      if (type && off > 0) {
        const sema::Datatype* d = sema::concat_subtype_lookup(type, --off);
        if (d != nullptr) set_type(i, d, d->byteorder);
      }
      postprocess(i);
      ntype = sema::concat_subtype_add(ntype, i->dtype->type);
    }
    flags_ &= ~kInConcat;
    e->dtype = l_.types.concat_type(ntype);
  }

  void postprocess_binop(Expr*& e) {
    if (payload_binop_postprocess(e)) return;
    postprocess(e->left);
    switch (e->op) {
      case Op::lshift:
      case Op::rshift: set_type(e->right, &sema::integer_type, ByteOrder::host); break;
      default:
        if (e->right->len > e->left->len) set_type(e->right, e->left->dtype, ByteOrder::host);
        else set_type(e->right, e->left->dtype, e->left->byteorder);
        if (e->op == Op::band && (flags_ & kRemoveOpAnd) && e->left->kind == Kind::payload &&
            e->right->kind == Kind::value) {
          binop_postprocess_at(e, e->left, e->right, e);
          return;
        }
        break;
    }
    postprocess(e->right);
    if (e->op == Op::lshift || e->op == Op::rshift) set_type(e, &sema::xinteger_type, ByteOrder::host);
    else set_type(e, e->left->dtype, e->left->byteorder);
  }

  static bool lhs_is_meta_hour(const Expr* e) {
    return e->kind == Kind::meta && (e->meta().key == NFT_META_TIME_HOUR || e->meta().key == NFT_META_TIME_DAY);
  }

  void postprocess_relational(Expr*& e) {
    switch (e->left->kind) {
      case Kind::payload: return payload_match_postprocess(e, e->left);
      case Kind::concat:
        if (e->right->kind == Kind::set_ref) e->left->dtype = e->right->dtype;
        set_ = e->right->kind == Kind::set_ref ? e->right->set_ref().set : nullptr;
        postprocess(e->left);
        set_ = nullptr;
        break;
      case Kind::unary:
        if (lhs_is_meta_hour(e->left->left) && e->right->kind == Kind::range) {
          // A range across midnight UTC was stored reversed.
          Expr* r = e->right;
          if (r->left->value.compare(r->right->value) <= 0 && e->op == Op::neq) {
            std::swap(r->left, r->right);
            e->op = Op::implicit;
          }
        }
        postprocess(e->left);
        break;
      default: postprocess(e->left); break;
    }
    set_type(e->right, e->left->dtype, e->left->byteorder);
    postprocess(e->right);
    switch (e->left->kind) {
      case Kind::ct: ct_meta_common_postprocess(e, e->left->ct().base); break;
      case Kind::meta: ct_meta_common_postprocess(e, e->left->meta().base); break;
      case Kind::binop: relational_binop_postprocess(e); break;
      default: break;
    }
  }

  void postprocess(Expr*& e) {
    if (e == nullptr) return;
    switch (e->kind) {
      case Kind::map:
        if (e->left->kind == Kind::binop) map_binop_postprocess(e);
        postprocess(e->left);
        postprocess(e->right);
        break;
      case Kind::mapping:
        postprocess(e->left);
        postprocess(e->right);
        break;
      case Kind::set:
        for (Expr*& i : e->items) postprocess(i);
        break;
      case Kind::concat: postprocess_concat(e); break;
      case Kind::unary:
        postprocess(e->left);
        set_type(e, e->left->dtype, e->left->byteorder == ByteOrder::invalid ? ByteOrder::host : ByteOrder::invalid);
        break;
      case Kind::binop: postprocess_binop(e); break;
      case Kind::relational: postprocess_relational(e); break;
      case Kind::payload:
        payload_expr_complete(e, dl_->pctx);
        outer_kill(e);
        payload_dependency_kill(e);
        break;
      case Kind::value: postprocess_value(e); break;
      case Kind::range:
        postprocess(e->left);
        postprocess(e->right);
        break;
      case Kind::prefix: postprocess(e->left); break;
      case Kind::set_elem:
        flags_ |= kInSetElem;
        postprocess(e->left);
        flags_ &= ~kInSetElem;
        break;
      case Kind::exthdr: exthdr_dependency_kill(e); break;
      case Kind::hash: postprocess(e->left); break;
      case Kind::ct: ct_expr_update_type(dl_->pctx, e); break;
      default: break;
    }
  }

  // ---- Statements -------------------------------------------------------------

  static bool may_merge_range(const Expr* e, const Expr* prev, Op& op) {
    if (prev->kind != Kind::relational || e->kind != Kind::relational) return false;
    const Expr* left = e->left->kind == Kind::unary ? e->left->left : e->left;
    const Expr* prev_left = prev->left->kind == Kind::unary ? prev->left->left : prev->left;
    if (left->kind != prev_left->kind) return false;
    if (e->op == Op::lte && prev->op == Op::gte) {
      op = Op::eq;
      return true;
    }
    if (e->op == Op::gt && prev->op == Op::lt) {
      op = Op::neq;
      return true;
    }
    return false;
  }

  void merge_range(Op op) {
    Stmt* prev = dl_->pdctx.prev;
    Expr* range = sema::range_expr(ir_, prev->span, ir_.clone(prev->expr->right), ir_.clone(stmt_->expr->right));
    set_type(range, stmt_->expr->right->dtype, stmt_->expr->right->byteorder);
    Expr* rel = sema::relational_expr(ir_, prev->span, op, ir_.clone(stmt_->expr->left), range);
    Stmt* nstmt = sema::expr_stmt(ir_, stmt_->span, rel);
    insert_before(stmt_, nstmt);
    remove(prev);
    remove(stmt_);
    stmt_ = nstmt;
  }

  void stmt_expr(Stmt* st) {
    postprocess(st->expr);
    Op op;
    if (dl_->pdctx.prev && stmt_ && stmt_->type == dl_->pdctx.prev->type &&
        may_merge_range(stmt_->expr, dl_->pdctx.prev->expr, op))
      merge_range(op);
  }

  void payload_binop_pp(Expr* binop) {
    Expr* payload = binop->left;
    Expr* mask = binop->right;
    unsigned shift = 0;
    if (payload_expr_trim(payload, mask, dl_->pctx, shift)) {
      binop_adjust(binop, mask, shift);
      payload_expr_complete(payload, dl_->pctx);
      set_type(mask, payload->dtype, payload->byteorder);
    }
  }

  // nft's stmt_payload_binop_postprocess: a payload statement on a field
  // that is not whole bytes loaded, masked and or-ed the field back in.
  void stmt_payload_binop(Stmt* st) {
    auto& ps = st->as<sema::PayloadStmt>();
    Expr* e = ps.val;
    if (e->kind != Kind::binop) return;
    if (e->left->kind == Kind::binop) {
      if (e->op != Op::bor) return;
      Expr* value = e->right;
      if (value->kind != Kind::value) return;
      Expr* binop = e->left;
      if (binop->op != Op::band) return;
      Expr* payload = binop->left;
      if (payload->kind != Kind::payload || !payload_expr_cmp(ps.expr, payload)) return;
      Expr* mask = binop->right;
      if (mask->kind != Kind::value) return;
      Value saved = mask->value;
      mask->value = Value::bitmask(payload->len) ^ mask->value ^ value->value;
      unsigned shift = 0;
      if (!binop_postprocess(e, e->left) && !payload_is_known(payload) &&
          !payload_expr_trim_force(payload, mask, shift)) {
        mask->value = saved;
        return;
      }
      if (shift) value->value = value->value.shr(shift);
      ps.expr = payload;
      ps.val = e->right;
      return;
    }
    if (e->left->kind != Kind::payload) return;
    Expr* payload = e->left;
    Expr* mask = e->right;
    if (mask->kind != Kind::value || !payload_expr_cmp(ps.expr, payload)) return;
    switch (e->op) {
      case Op::band: {
        if (stmt_payload_expr_trim(ir_, st, dl_->pctx)) return;
        Value saved = mask->value;
        mask->value = Value::bitmask(payload->len) ^ mask->value;
        payload_binop_pp(e);
        unsigned unused = 0;
        if (!payload_is_known(e->left) && !payload_expr_trim_force(e->left, mask, unused)) {
          mask->value = saved;
          return;
        }
        mask->value = Value();
        break;
      }
      case Op::bor:
        payload_binop_pp(e);
        if (stmt_payload_expr_trim(ir_, st, dl_->pctx)) return;
        if (!payload_is_known(e->left)) return;
        break;
      case Op::bxor: stmt_payload_expr_trim(ir_, st, dl_->pctx); return;
      default: return;
    }
    ps.expr = e->left;
    ps.val = e->right;
  }

  void stmt_payload(Stmt* st) {
    auto& ps = st->as<sema::PayloadStmt>();
    payload_expr_complete(ps.expr, dl_->pctx);
    if (!payload_is_known(ps.expr)) stmt_payload_binop(st);
    postprocess(ps.expr);
    set_type(ps.val, ps.expr->dtype, ps.expr->byteorder);
    postprocess(ps.val);
  }

  void stmt_reject(Stmt* st) {
    auto& r = st->as<sema::RejectStmt>();
    switch (dl_->pctx.family) {
      case sema::Family::ip:
      case sema::Family::ip6:
        r.family = static_cast<unsigned>(dl_->pctx.family);
        r.expr->dtype = dl_->pctx.family == sema::Family::ip ? &sema::reject_icmp_code_type
                                                              : &sema::reject_icmpv6_code_type;
        if (r.type == NFT_REJECT_TCP_RST && dep_exists(dl_->pdctx, ProtoBase::transport))
          dep_release(dl_->pdctx, ProtoBase::transport);
        break;
      case sema::Family::inet:
      case sema::Family::bridge:
      case sema::Family::netdev: {
        if (r.type == NFT_REJECT_ICMPX_UNREACH) {
          r.expr->dtype = &sema::reject_icmpx_code_type;
          break;
        }
        r.verbose_print = true;
        const ProtoDesc* base = dl_->pctx.desc(ProtoBase::ll);
        const ProtoDesc* desc = dl_->pctx.desc(ProtoBase::network);
        int protocol = sema::proto_find_num(base, desc);
        if (protocol == NFPROTO_IPV4 || protocol == 0x0008) {  // inet, or htons(ETH_P_IP)
          r.family = NFPROTO_IPV4;
          r.expr->dtype = &sema::reject_icmp_code_type;
        } else if (protocol == NFPROTO_IPV6 || protocol == 0xdd86) {
          r.family = NFPROTO_IPV6;
          r.expr->dtype = &sema::reject_icmpv6_code_type;
        }
        if (dep_exists(dl_->pdctx, ProtoBase::network)) dep_release(dl_->pdctx, ProtoBase::network);
        break;
      }
      default: break;
    }
  }

  static bool has_inner_desc(const Expr* e) {
    if (e == nullptr) return false;
    switch (e->kind) {
      case Kind::binop: return has_inner_desc(e->left);
      case Kind::concat:
        for (const Expr* i : e->items)
          if (has_inner_desc(i)) return true;
        return false;
      case Kind::meta: return e->meta().inner_desc != nullptr;
      case Kind::payload: return e->payload().inner_desc != nullptr;
      case Kind::set_elem: return has_inner_desc(e->left);
      default: return false;
    }
  }

  void select_ctx() {
    bool inner = false;
    if (stmt_->type == StmtType::expression && stmt_->expr->left) inner = has_inner_desc(stmt_->expr->left);
    else if (stmt_->type == StmtType::set) inner = has_inner_desc(stmt_->as<sema::SetStmt>().key);
    dl_ = &dls_[inner ? 1 : 0];
  }

  void process(Stmt* st) {
    switch (st->type) {
      case StmtType::expression: stmt_expr(st); break;
      case StmtType::payload: stmt_payload(st); break;
      case StmtType::meter: postprocess(st->as<sema::MeterStmt>().key); break;
      case StmtType::meta:
        if (st->as<sema::MetaStmt>().expr) postprocess(st->as<sema::MetaStmt>().expr);
        break;
      case StmtType::ct: {
        auto& c = st->as<sema::CtStmt>();
        if (c.expr == nullptr) break;
        postprocess(c.expr);
        if (c.expr->kind == Kind::binop && c.key == NFT_CT_EVENTMASK) c.expr = binop_tree_to_list(nullptr, c.expr);
        break;
      }
      case StmtType::nat: {
        auto& n = st->as<sema::NatStmt>();
        postprocess(n.addr);
        postprocess(n.proto);
        break;
      }
      case StmtType::tproxy: {
        auto& t = st->as<sema::TproxyStmt>();
        postprocess(t.addr);
        if (t.port) {
          dl_->pdctx = DepCtx{};
          postprocess(t.port);
        }
        break;
      }
      case StmtType::reject: stmt_reject(st); break;
      case StmtType::set: postprocess(st->as<sema::SetStmt>().key); break;
      case StmtType::map:
        postprocess(st->as<sema::MapStmt>().key);
        postprocess(st->as<sema::MapStmt>().data);
        break;
      case StmtType::dup:
        postprocess(st->as<sema::DupStmt>().to);
        postprocess(st->as<sema::DupStmt>().dev);
        break;
      case StmtType::fwd:
        postprocess(st->as<sema::FwdStmt>().dev);
        postprocess(st->as<sema::FwdStmt>().addr);
        break;
      case StmtType::objref: postprocess(st->as<sema::ObjrefStmt>().expr); break;
      case StmtType::queue: {
        Expr*& q = st->as<sema::QueueStmt>().queue;
        if (q != nullptr && q->kind != Kind::value && q->kind != Kind::range) postprocess(q);
        break;
      }
      default: break;
    }
  }

  Listing& l_;
  IrArena& ir_;
  std::list<Stmt*>& stmts_;
  std::array<DlCtx, 2> dls_{};  // outer headers, tunnel inner headers
  DlCtx* dl_ = nullptr;        // the one the current statement uses
  Stmt* stmt_ = nullptr;
  sema::Set* set_ = nullptr;
  unsigned flags_ = 0;
};

}  // namespace

void rule_postprocess(Listing& l, sema::Rule* rule, sema::Family family) {
  std::list<Stmt*> stmts(rule->stmts.begin(), rule->stmts.end());
  PostProcessor pp(l, stmts, family);
  pp.run();
  rule->stmts.assign(stmts.begin(), stmts.end());
}

void expr_postprocess_standalone(Listing& l, Expr*& e, sema::Family family) {
  std::list<Stmt*> none;
  PostProcessor pp(l, none, family);
  pp.standalone(e);
}

}  // namespace nftc::listing::detail
