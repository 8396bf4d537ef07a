// Bytecode back to statements (nft's netlink_delinearize.c, the parsing
// half): each VM expression either loads a register, which holds the
// expression that computed it, or consumes registers and yields a
// statement. Values come back untyped (big-endian integers of invalid
// type); post-processing gives them the types of what they are compared
// with.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_nat.h>

#include <fmt/format.h>

#include <array>

#include "compiler/listing/internal.hpp"

namespace nftc::listing {

using namespace detail;
using sema::Rule;
using sema::Set;

namespace {

constexpr unsigned kMaxRegs = 16;  // NFT_REG32_00 … NFT_REG32_15

// nft's netlink_parse_register: 128-bit registers map to the first of
// their four 32-bit slots; slots are numbered from 1.
unsigned reg_index(bc::Reg r) {
  std::uint32_t n = r.number;
  if (n >= NFT_REG_1 && n <= NFT_REG_4) return 1 + (n - NFT_REG_1) * 4;
  if (n >= NFT_REG32_00) return 1 + n - NFT_REG32_00;
  return 0;
}

unsigned reg_index(const std::optional<bc::Reg>& r) { return r ? reg_index(*r) : 0; }

Expr* string_value(IrArena& ir, Span s, std::string_view text) {
  std::vector<std::uint8_t> bytes(text.begin(), text.end());
  return sema::constant_expr(ir, s, &sema::string_type, ByteOrder::host, static_cast<unsigned>(text.size() * 8),
                             Value::from_bytes(bytes, ByteOrder::host));
}

class RuleParser {
 public:
  RuleParser(Listing& l, const RuleContext& ctx, Rule* rule, DiagnosticSink& sink)
      : l_(l), ir_(l.ruleset.arena), ctx_(ctx), rule_(rule), sink_(sink) {}

  void rule_expr(const bc::Expr& e) {
    parse(e);
    if (stmt_ != nullptr) {
      rule_->stmts.push_back(stmt_);
      stmt_ = nullptr;
    }
  }

  // nft's netlink_parse_set_expr: a stateful expression of a set or element.
  Stmt* set_expr(const bc::Expr& e) {
    parse(e);
    Stmt* s = stmt_;
    stmt_ = nullptr;
    return s;
  }

 private:
  void error(Span s, std::string msg) {
    sink_.error("LST001", s, fmt::format("cannot list this rule as nft would: {}", msg));
  }

  void set_reg(unsigned reg, Expr* e, Span s) {
    if (reg == 0 || reg > kMaxRegs) return error(s, fmt::format("invalid destination register {}", reg));
    regs_[reg] = e;
  }

  Expr* get_reg(unsigned reg, Span s) {
    if (reg == 0 || reg > kMaxRegs) {
      error(s, fmt::format("invalid source register {}", reg));
      return nullptr;
    }
    return regs_[reg] ? ir_.clone(regs_[reg]) : nullptr;
  }

  Expr* concat_from(unsigned reg, unsigned len, Span s) {
    Expr* concat = sema::concat_expr(ir_, s);
    while (len > 0) {
      Expr* e = get_reg(reg, s);
      if (e == nullptr || e->len == 0) {
        error(s, "concatenation size mismatch");
        return nullptr;
      }
      concat->items.push_back(e);
      unsigned consumed = padded_len(e->len);
      len -= std::min(len, consumed);
      reg += register_space(e->len);
    }
    return concat;
  }

  // nft's netlink_parse_concat_key: the set's key type names the fields.
  Expr* concat_key(unsigned reg, const Expr* key, Span s) {
    std::uint32_t type = key->dtype->type;
    unsigned n = type ? sema::div_round_up(32 - static_cast<unsigned>(__builtin_clz(type)), sema::kTypeBits) : 0;
    unsigned len = key->len;
    Expr* concat = sema::concat_expr(ir_, s);
    while (len > 0) {
      Expr* e = get_reg(reg, s);
      if (e == nullptr || e->len == 0) {
        error(s, "concatenation size mismatch");
        return nullptr;
      }
      if (n > 0 && sema::concat_subtype_id(type, --n)) {
        const sema::Datatype* d = sema::concat_subtype_lookup(type, n);
        if (d != nullptr) set_type(e, d, d->byteorder);
      }
      concat->items.push_back(e);
      len -= std::min(len, padded_len(e->len));
      reg += register_space(e->len);
    }
    return concat;
  }

  Expr* concat_data(unsigned reg, unsigned len, Expr* data, Span s) {
    Expr* concat = sema::concat_expr(ir_, s);
    while (len > 0) {
      Expr* e = get_reg(reg, s);
      if (e == nullptr || e->len == 0 || e->len > data->len) {
        error(s, "concatenation size mismatch");
        return nullptr;
      }
      Expr* i = splice(ir_, data, e->len);
      data->len -= std::min(data->len, padding_len(e->len));
      concat->items.push_back(i);
      len -= std::min(len, padded_len(e->len));
      reg += register_space(e->len);
    }
    return concat;
  }

  Set* find_set(const std::string& name, std::uint32_t id, Span s) {
    Set* set = ctx_.find_set ? ctx_.find_set(name, id) : nullptr;
    if (set == nullptr || set->key == nullptr) error(s, fmt::format("unknown set '{}'", name));
    return set;
  }

  void parse(const bc::Expr& e) {
    std::visit([&](const auto& x) { on(x, e.span); }, e.kind);
  }

  // ---- Data movement and comparison -----------------------------------

  void on(const bc::Immediate& x, Span s) {
    unsigned dreg = reg_index(x.dreg);
    if (const auto* v = std::get_if<bc::Verdict>(&x.data)) {
      Expr* chain = nullptr;
      if (v->code == NFT_JUMP || v->code == NFT_GOTO) chain = string_value(ir_, s, v->chain);
      Expr* verdict = sema::verdict_expr(ir_, s, v->code, chain);
      if (dreg != 0) return set_reg(dreg, verdict, s);
      if (v->code == NFT_JUMP || v->code == NFT_GOTO) {
        sema::Chain* binding = ctx_.find_binding_chain ? ctx_.find_binding_chain(v->chain) : nullptr;
        if (binding != nullptr) {
          stmt_ = ir_.stmt(StmtType::chain, s);
          auto& c = stmt_->as<sema::ChainStmt>();
          c.chain = binding;
          c.expr = sema::verdict_expr(ir_, s, v->code, nullptr);
          return;
        }
      }
      stmt_ = sema::verdict_stmt(ir_, s, verdict);
      return;
    }
    const auto& val = std::get<bc::Value>(x.data);
    Expr* e = value_from_bytes(ir_, s, val.bytes.span());
    if (dreg == 0) return error(s, "immediate data into the verdict register");
    set_reg(dreg, e, s);
  }

  static Op cmp_op(std::uint32_t op) {
    switch (op) {
      case NFT_CMP_EQ: return Op::eq;
      case NFT_CMP_NEQ: return Op::neq;
      case NFT_CMP_LT: return Op::lt;
      case NFT_CMP_LTE: return Op::lte;
      case NFT_CMP_GT: return Op::gt;
      case NFT_CMP_GTE: return Op::gte;
      default: return Op::invalid;
    }
  }

  void on(const bc::Cmp& x, Span s) {
    unsigned sreg = reg_index(x.sreg);
    Expr* left = get_reg(sreg, s);
    if (left == nullptr) return error(s, "relational expression has no left hand side");
    Expr* right = value_from_bytes(ir_, s, x.data.bytes.span());
    if (left->len > right->len && sema::expr_basetype(left) != &sema::string_type) {
      right->value = right->value.shl(left->len - right->len);
      unsigned plen = right->len;
      right->len = left->len;
      right = sema::prefix_expr(ir_, s, right, plen);
    } else if (left->len > 0 && left->len < right->len) {
      left = concat_from(sreg, right->len, s);
      if (left == nullptr) return;
      right = concat_data(sreg, right->len, right, s);
      if (right == nullptr) return;
    }
    stmt_ = sema::expr_stmt(ir_, s, sema::relational_expr(ir_, s, cmp_op(x.op), left, right));
  }

  void on(const bc::Range& x, Span s) {
    Expr* left = get_reg(reg_index(x.sreg), s);
    if (left == nullptr) return error(s, "relational expression has no left hand side");
    Op op = x.op == NFT_RANGE_EQ ? Op::eq : x.op == NFT_RANGE_NEQ ? Op::neq : Op::invalid;
    Expr* from = value_from_bytes(ir_, s, x.from.bytes.span());
    Expr* to = value_from_bytes(ir_, s, x.to.bytes.span());
    Expr* right = sema::range_expr(ir_, s, from, to);
    stmt_ = sema::expr_stmt(ir_, s, sema::relational_expr(ir_, s, op, left, right));
  }

  void on(const bc::Lookup& x, Span s) {
    Set* set = find_set(x.set, x.set_id, s);
    if (set == nullptr || set->key == nullptr) return;
    unsigned sreg = reg_index(x.sreg);
    Expr* left = get_reg(sreg, s);
    if (left == nullptr) return error(s, "lookup expression has no left hand side");
    if (left->len < set->key->len) {
      left = concat_from(sreg, set->key->len, s);
      if (left == nullptr) return;
    }
    Expr* right = sema::set_ref_expr(ir_, s, set);
    Expr* e;
    if (x.dreg) {
      e = sema::map_expr(ir_, s, left, right);
      unsigned dreg = reg_index(*x.dreg);
      if (dreg != 0) return set_reg(dreg, e, s);
    } else {
      e = sema::relational_expr(ir_, s, Op::eq, left, right);
    }
    if (x.flags & NFT_LOOKUP_F_INV) e->op = Op::neq;
    stmt_ = sema::expr_stmt(ir_, s, e);
  }

  Expr* bitwise_mask_xor(const bc::Bitwise& x, Span s, Expr* left) {
    Expr* mask = value_from_bytes(ir_, s, x.mask.bytes.span());
    Expr* xor_ = value_from_bytes(ir_, s, x.xor_value.bytes.span());
    Value m = mask->value, xv = xor_->value, o;
    if (m.scan0(0) != mask->len || !xv.is_zero()) {
      o = (m & xv) ^ xv;
      xv = xv & m;
      m = m | o;
    }
    Expr* e = left;
    if (!(left->len > 0 && m.scan0(0) >= left->len)) {
      mask->value = m;
      e = sema::binop_expr(ir_, s, Op::band, e, mask);
      e->len = left->len;
    }
    if (!xv.is_zero()) {
      xor_->value = xv;
      e = sema::binop_expr(ir_, s, Op::bxor, e, xor_);
      e->len = left->len;
    }
    if (!o.is_zero()) {
      Expr* or_ = value_from_bytes(ir_, s, x.xor_value.bytes.span());
      or_->value = o;
      e = sema::binop_expr(ir_, s, Op::bor, e, or_);
      e->len = left->len;
    }
    return e;
  }

  void on(const bc::Bitwise& x, Span s) {
    Expr* left = get_reg(reg_index(x.sreg), s);
    if (left == nullptr) return error(s, "bitwise expression has no left hand side");
    Expr* e = nullptr;
    switch (x.op) {
      case NFT_BITWISE_MASK_XOR: e = bitwise_mask_xor(x, s, left); break;
      case bc::uapi::kBitwiseAnd:
      case bc::uapi::kBitwiseOr:
      case bc::uapi::kBitwiseXor: {
        Expr* right = x.sreg2 ? get_reg(reg_index(*x.sreg2), s) : nullptr;
        if (right == nullptr) return error(s, "bitwise expression has no right hand side");
        Op op = x.op == bc::uapi::kBitwiseXor ? Op::bxor : x.op == bc::uapi::kBitwiseAnd ? Op::band : Op::bor;
        e = sema::binop_expr(ir_, s, op, left, right);
        if (left->len > 0) e->len = left->len;
        break;
      }
      case NFT_BITWISE_LSHIFT:
      case NFT_BITWISE_RSHIFT: {
        Expr* right = value_from_bytes(ir_, s, x.data.bytes.span());
        right->byteorder = ByteOrder::host;
        e = sema::binop_expr(ir_, s, x.op == NFT_BITWISE_LSHIFT ? Op::lshift : Op::rshift, left, right);
        e->len = x.len * 8;
        break;
      }
      default: return error(s, fmt::format("invalid bitwise operation {}", x.op));
    }
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Byteorder& x, Span s) {
    Expr* arg = get_reg(reg_index(x.sreg), s);
    if (arg == nullptr) return error(s, "byteorder expression has no argument");
    Expr* e = sema::unary_expr(ir_, s, x.op == NFT_BYTEORDER_NTOH ? Op::ntoh : Op::hton, arg);
    e->len = arg->len;
    set_reg(reg_index(x.dreg), e, s);
  }

  // ---- Headers ----------------------------------------------------------

  static sema::ProtoBase payload_base(std::uint32_t base) {
    if (base == bc::uapi::kPayloadTunnelHeader) return sema::ProtoBase::inner;
    return static_cast<sema::ProtoBase>(base + 1);
  }

  void on(const bc::PayloadLoad& x, Span s) {
    Expr* e = sema::payload_expr(ir_, s, nullptr, 0);
    sema::payload_init_raw(e, payload_base(x.base), x.offset * 8, x.len * 8);
    unsigned dreg = reg_index(x.dreg);
    if (inner_) inner_reg_ = dreg;
    set_reg(dreg, e, s);
  }

  void on(const bc::PayloadSet& x, Span s) {
    Expr* val = get_reg(reg_index(x.sreg), s);
    if (val == nullptr) return error(s, "payload statement has no expression");
    Expr* e = sema::payload_expr(ir_, s, nullptr, 0);
    sema::payload_init_raw(e, static_cast<sema::ProtoBase>(x.base + 1), x.offset * 8, x.len * 8);
    Stmt* st = ir_.stmt(StmtType::payload, s);
    st->as<sema::PayloadStmt>() = {e, val};
    rule_->stmts.push_back(st);
  }

  void on(const bc::Inner& x, Span s) {
    const sema::ProtoDesc* inner_desc = sema::proto_find_inner(x.type, x.hdrsize, x.flags);
    inner_ = true;
    parse(*x.expr);
    inner_ = false;
    Expr* e = get_reg(inner_reg_, s);
    if (e == nullptr) return error(s, "inner expression loads nothing");
    if (inner_desc != nullptr && e->kind == Kind::payload && e->payload().base == sema::ProtoBase::inner) {
      for (unsigned i = 1; i < inner_desc->templates.size(); ++i) {
        const sema::HdrTemplate& t = inner_desc->templates[i];
        if (t.len == 0) return;
        if (t.offset != e->payload().offset || t.len != e->len) continue;
        e->payload().desc = inner_desc;
        e->payload().tmpl = &t;
        break;
      }
    }
    if (e->kind == Kind::payload) e->payload().inner_desc = inner_desc;
    else if (e->kind == Kind::meta) e->meta().inner_desc = inner_desc;
    else return error(s, "unsupported inner expression");
    set_reg(inner_reg_, e, s);
  }

  void on(const bc::ExthdrLoad& x, Span s) {
    Expr* e = sema::exthdr_expr(ir_, s, nullptr, 0, 0);
    exthdr_init_raw(e, x.type, x.offset * 8, x.len * 8, static_cast<std::uint8_t>(x.op), x.flags);
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::ExthdrSet& x, Span s) {
    Expr* e = sema::exthdr_expr(ir_, s, nullptr, 0, 0);
    exthdr_init_raw(e, x.type, x.offset * 8, x.len * 8, static_cast<std::uint8_t>(x.op), 0);
    Expr* val = get_reg(reg_index(x.sreg), s);
    if (val == nullptr) return error(s, "exthdr statement has no expression");
    set_type(val, e->dtype, e->byteorder);
    Stmt* st = ir_.stmt(StmtType::exthdr, s);
    st->as<sema::ExthdrStmt>() = {e, val};
    rule_->stmts.push_back(st);
  }

  void on(const bc::ExthdrReset& x, Span s) {
    Expr* e = sema::exthdr_expr(ir_, s, nullptr, 0, 0);
    exthdr_init_raw(e, x.type, 0, 0, static_cast<std::uint8_t>(x.op), 0);
    e->exthdr().flags |= NFT_EXTHDR_F_PRESENT;
    Stmt* st = ir_.stmt(StmtType::optstrip, s);
    st->as<sema::OptstripStmt>().expr = e;
    rule_->stmts.push_back(st);
  }

  // ---- Keys ---------------------------------------------------------------

  Expr* keyed(Kind kind, Span s, const sema::KeyTemplate* t) {
    Expr* e = ir_.expr(kind, s);
    e->dtype = t ? t->dtype : &sema::invalid_type;
    e->byteorder = t ? t->byteorder : ByteOrder::invalid;
    e->len = t ? t->len : 0;
    return e;
  }

  void on(const bc::MetaLoad& x, Span s) {
    Expr* e = sema::meta_expr(ir_, s, x.key);
    unsigned dreg = reg_index(x.dreg);
    if (inner_) inner_reg_ = dreg;
    set_reg(dreg, e, s);
  }

  void on(const bc::MetaSet& x, Span s) {
    Expr* e = get_reg(reg_index(x.sreg), s);
    if (e == nullptr) return error(s, "meta statement has no expression");
    stmt_ = ir_.stmt(StmtType::meta, s);
    stmt_->as<sema::MetaStmt>() = {x.key, e};
    if (const sema::KeyTemplate* t = sema::meta_template(x.key)) set_type(e, t->dtype, t->byteorder);
  }

  // The kernel lists a ct direction only for keys that use one
  // (nft_ct_get_dump, nft_ct_set_dump).
  static std::int8_t listed_ct_dir(std::uint32_t key, const std::optional<std::uint8_t>& dir, bool set) {
    if (!dir) return -1;
    switch (key) {
      case NFT_CT_SRC:
      case NFT_CT_DST:
      case NFT_CT_SRC_IP:
      case NFT_CT_DST_IP:
      case NFT_CT_SRC_IP6:
      case NFT_CT_DST_IP6:
      case NFT_CT_PROTO_SRC:
      case NFT_CT_PROTO_DST: return set ? -1 : static_cast<std::int8_t>(*dir);
      case NFT_CT_BYTES:
      case NFT_CT_PKTS:
      case NFT_CT_AVGPKT: return set || *dir > 1 ? -1 : static_cast<std::int8_t>(*dir);
      case NFT_CT_ZONE: return *dir > 1 ? -1 : static_cast<std::int8_t>(*dir);
      default: return -1;
    }
  }

  void on(const bc::CtLoad& x, Span s) {
    std::int8_t dir = listed_ct_dir(x.key, x.dir, false);
    set_reg(reg_index(x.dreg), sema::ct_expr(ir_, s, x.key, dir), s);
  }

  void on(const bc::CtSet& x, Span s) {
    Expr* e = get_reg(reg_index(x.sreg), s);
    if (e == nullptr) return error(s, "ct statement has no expression");
    std::int8_t dir = listed_ct_dir(x.key, x.dir, true);
    stmt_ = ir_.stmt(StmtType::ct, s);
    stmt_->as<sema::CtStmt>() = {x.key, dir, e};
    if (const sema::KeyTemplate* t = sema::ct_template(x.key)) set_type(e, t->dtype, t->byteorder);
  }

  void on(const bc::Rt& x, Span s) { set_reg(reg_index(x.dreg), sema::rt_expr(ir_, s, x.key, false), s); }

  void on(const bc::Socket& x, Span s) {
    Expr* e = keyed(Kind::socket, s, sema::socket_template(x.key));
    e->as<sema::SocketData>() = {x.key, x.level};
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Osf& x, Span s) {
    Expr* e = ir_.expr(Kind::osf, s);
    e->dtype = &sema::string_type;
    e->byteorder = ByteOrder::host;
    e->len = 16 * 8;  // NFT_OSF_MAXGENRELEN
    e->as<sema::OsfData>() = {x.ttl, x.flags};
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Fib& x, Span s) {
    Expr* e = ir_.expr(Kind::fib, s);
    e->len = 32;
    switch (x.result) {
      case NFT_FIB_RESULT_OIF: e->dtype = &sema::ifindex_type; break;
      case NFT_FIB_RESULT_OIFNAME:
        e->dtype = &sema::ifname_type;
        e->len = 16 * 8;
        break;
      default: e->dtype = &sema::fib_addr_type; break;
    }
    if (x.flags & NFTA_FIB_F_PRESENT) {
      e->dtype = &sema::boolean_type;
      e->len = 8;
    }
    e->byteorder = ByteOrder::host;
    e->as<sema::FibData>() = {x.result, x.flags};
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Xfrm& x, Span s) {
    Expr* e = keyed(Kind::xfrm, s, sema::xfrm_template(x.key));
    e->as<sema::XfrmData>() = {x.key, x.dir, static_cast<std::uint8_t>(x.spnum)};
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Tunnel& x, Span s) {
    Expr* e = keyed(Kind::tunnel, s, sema::tunnel_template(x.key));
    e->as<sema::TunnelData>().key = x.key;
    set_reg(reg_index(x.dreg), e, s);
  }

  Expr* integer32(Kind kind, Span s) {
    Expr* e = ir_.expr(kind, s);
    e->dtype = &sema::integer_type;
    e->byteorder = ByteOrder::host;
    e->len = 32;
    return e;
  }

  void on(const bc::Numgen& x, Span s) {
    Expr* e = integer32(Kind::numgen, s);
    e->as<sema::NumgenData>() = {x.type, x.modulus, x.offset};
    set_reg(reg_index(x.dreg), e, s);
  }

  void on(const bc::Hash& x, Span s) {
    Expr* e = integer32(Kind::hash, s);
    // libnftnl leaves the seed out unless nft set one.
    e->as<sema::HashData>() = {x.type, x.modulus, x.seed.value_or(0), x.offset, x.seed.has_value()};
    if (x.type != NFT_HASH_SYM) {
      unsigned sreg = reg_index(x.sreg);
      Expr* in = get_reg(sreg, s);
      if (in == nullptr) return error(s, "hash expression has no input");
      if (in->len < x.len * 8) {
        in = concat_from(sreg, x.len * 8, s);
        if (in == nullptr) return;
      }
      e->left = in;
    }
    set_reg(reg_index(x.dreg), e, s);
  }

  // ---- Sets -----------------------------------------------------------------

  void on(const bc::Dynset& x, Span s) {
    Set* set = find_set(x.set, x.set_id, s);
    if (set == nullptr || set->key == nullptr) return;
    unsigned sreg = reg_index(x.sreg_key);
    Expr* key = get_reg(sreg, s);
    if (key == nullptr) return error(s, "dynset statement has no key expression");
    if (key->len < set->key->len) {
      key = concat_key(sreg, set->key, s);
      if (key == nullptr) return;
    } else if (key->dtype == &sema::invalid_type) {
      set_type(key, set->key->dtype, set->key->byteorder);
    }
    Expr* elem = sema::set_elem_expr(ir_, s, key);
    elem->elem().timeout = x.timeout_ms;
    std::vector<Stmt*> stmts;
    for (const bc::Expr& sub : x.exprs) {
      Stmt* st = set_expr(sub);
      if (st == nullptr) return error(s, "cannot parse a dynset statement");
      stmts.push_back(st);
    }
    Expr* data = nullptr;
    if (x.sreg_data) {
      unsigned dreg = reg_index(*x.sreg_data);
      data = get_reg(dreg, s);
      if (data != nullptr && set->data != nullptr && data->len < set->data->len) data = concat_from(dreg, set->data->len, s);
    }
    if (data != nullptr && set->data != nullptr) {
      set_type(data, set->data->dtype, set->data->byteorder);
      stmt_ = ir_.stmt(StmtType::map, s);
      auto& m = stmt_->as<sema::MapStmt>();
      m.set = sema::set_ref_expr(ir_, s, set);
      m.key = elem;
      m.data = data;
      m.op = x.op;
      m.stmts = std::move(stmts);
    } else if (!stmts.empty() && sema::set_is_anonymous(set->flags)) {
      stmt_ = ir_.stmt(StmtType::meter, s);
      auto& m = stmt_->as<sema::MeterStmt>();
      m.set = sema::set_ref_expr(ir_, s, set);
      m.key = elem;
      m.stmt = stmts.front();
      m.size = set->size;
    } else {
      stmt_ = ir_.stmt(StmtType::set, s);
      auto& m = stmt_->as<sema::SetStmt>();
      m.set = sema::set_ref_expr(ir_, s, set);
      m.op = x.op;
      m.key = elem;
      m.stmts = std::move(stmts);
    }
  }

  void on(const bc::Objref& x, Span s) {
    std::vector<std::uint8_t> name(x.name.begin(), x.name.end());
    name.push_back(0);
    Expr* e = value_from_bytes(ir_, s, name);
    e->dtype = &sema::string_type;
    e->byteorder = ByteOrder::host;
    stmt_ = ir_.stmt(StmtType::objref, s);
    stmt_->as<sema::ObjrefStmt>() = {x.type, e};
  }

  void on(const bc::ObjrefMap& x, Span s) {
    Set* set = find_set(x.set, x.set_id, s);
    if (set == nullptr || set->key == nullptr) return;
    unsigned sreg = reg_index(x.sreg);
    Expr* left = get_reg(sreg, s);
    if (left == nullptr) return error(s, "objref expression has no left hand side");
    if (left->len < set->key->len) {
      left = concat_from(sreg, set->key->len, s);
      if (left == nullptr) return;
    }
    Expr* e = sema::map_expr(ir_, s, left, sema::set_ref_expr(ir_, s, set));
    e->dtype = &sema::string_type;
    e->byteorder = ByteOrder::host;
    stmt_ = ir_.stmt(StmtType::objref, s);
    stmt_->as<sema::ObjrefStmt>() = {set->objtype, e};
  }

  // ---- Statements ---------------------------------------------------------

  void on(const bc::Counter& x, Span s) {
    stmt_ = ir_.stmt(StmtType::counter, s);
    stmt_->flags |= sema::kStmtStateful;
    stmt_->as<sema::CounterStmt>() = {x.packets, x.bytes};
  }

  void on(const bc::Last& x, Span s) {
    stmt_ = ir_.stmt(StmtType::last, s);
    stmt_->flags |= sema::kStmtStateful;
    stmt_->as<sema::LastStmt>() = {x.msecs, x.set ? 1u : 0u};
  }

  void on(const bc::Limit& x, Span s) {
    stmt_ = ir_.stmt(StmtType::limit, s);
    stmt_->flags |= sema::kStmtStateful;
    stmt_->as<sema::LimitStmt>() = {x.rate, x.unit, x.type, x.burst, x.flags};
  }

  void on(const bc::Quota& x, Span s) {
    stmt_ = ir_.stmt(StmtType::quota, s);
    stmt_->flags |= sema::kStmtStateful;
    stmt_->as<sema::QuotaStmt>() = {x.bytes, x.consumed, x.flags};
  }

  void on(const bc::Connlimit& x, Span s) {
    stmt_ = ir_.stmt(StmtType::connlimit, s);
    stmt_->flags |= sema::kStmtStateful;
    stmt_->as<sema::ConnlimitStmt>() = {x.count, x.flags};
  }

  void on(const bc::Log& x, Span s) {
    stmt_ = ir_.stmt(StmtType::log, s);
    auto& l = stmt_->as<sema::LogStmt>();
    if (x.prefix) l.prefix = *x.prefix, l.flags |= sema::kLogPrefix;
    if (x.group) l.group = *x.group, l.flags |= sema::kLogGroup;
    if (x.snaplen) l.snaplen = *x.snaplen, l.flags |= sema::kLogSnaplen;
    if (x.qthreshold) l.qthreshold = *x.qthreshold, l.flags |= sema::kLogQthreshold;
    if (x.level) l.level = *x.level, l.flags |= sema::kLogLevel;
    if (x.flags) l.logflags = *x.flags;
  }

  void on(const bc::Reject& x, Span s) {
    stmt_ = ir_.stmt(StmtType::reject, s);
    auto& r = stmt_->as<sema::RejectStmt>();
    r.type = x.type;
    r.icmp_code = static_cast<std::int8_t>(x.icmp_code);
    r.expr = sema::constant_expr(ir_, s, &sema::integer_type, ByteOrder::host, 8, Value(x.icmp_code));
  }

  static bool nat_addr_map(const Expr* addr, std::uint32_t family, sema::NatStmt& nat) {
    if (addr == nullptr || addr->kind != Kind::map || addr->right->kind != Kind::set_ref) return false;
    const Expr* data = addr->right->set_ref().set->data;
    if (data == nullptr || !(data->flags & sema::kExprInterval)) return false;
    nat.family = static_cast<std::uint8_t>(family);
    unsigned bits = family == NFPROTO_IPV4 ? 32 : family == NFPROTO_IPV6 ? 128 : 0;
    if (bits == 0) return false;
    if (data->len == 2 * bits) {
      nat.type_flags |= sema::kNatFlagInterval;
      return true;
    }
    if (data->len == 2 * (bits + 32)) {
      nat.type_flags |= sema::kNatFlagInterval | sema::kNatFlagConcat;
      return true;
    }
    return false;
  }

  static bool nat_proto_map(const Expr* addr, std::uint32_t family) {
    if (addr == nullptr || addr->kind != Kind::map || addr->right->kind != Kind::set_ref) return false;
    const Expr* data = addr->right->set_ref().set->data;
    if (data == nullptr) return false;
    if (family == NFPROTO_IPV4) return data->len == 32 + 32;
    if (family == NFPROTO_IPV6) return data->len == 128 + 32;
    return false;
  }

  void nat_address(Expr* e, std::uint32_t family) {
    set_type(e, family == NFPROTO_IPV4 ? &sema::ipaddr_type : &sema::ip6addr_type, ByteOrder::big);
  }

  // The proto_min/proto_max pair of nat, masquerade and redirect.
  bool nat_ports(sema::NatStmt& nat, const std::optional<bc::Reg>& min, const std::optional<bc::Reg>& max, Span s) {
    unsigned r1 = reg_index(min), r2 = reg_index(max);
    if (r1) {
      Expr* p = get_reg(r1, s);
      if (p == nullptr) return error(s, "nat statement has no port expression"), false;
      set_type(p, &sema::inet_service_type, ByteOrder::big);
      nat.proto = p;
    }
    if (r2 && r2 != r1) {
      Expr* p = get_reg(r2, s);
      if (p == nullptr) return error(s, "nat statement has no port expression"), false;
      set_type(p, &sema::inet_service_type, ByteOrder::big);
      if (nat.proto != nullptr) p = sema::range_expr(ir_, s, nat.proto, p);
      nat.proto = p;
    }
    return true;
  }

  void on(const bc::Nat& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::nat, s);
    auto& nat = st->as<sema::NatStmt>();
    nat.type = x.type == NFT_NAT_DNAT ? sema::kNatDnat : sema::kNatSnat;
    if (ctx_.family == sema::Family::inet) nat.family = static_cast<std::uint8_t>(x.family);
    if (x.flags) nat.flags = *x.flags;
    if (nat.flags & NF_NAT_RANGE_NETMAP) nat.type_flags |= sema::kNatFlagPrefix;
    Expr* addr = nullptr;
    unsigned r1 = reg_index(x.addr_min);
    if (r1) {
      addr = get_reg(r1, s);
      if (addr == nullptr) return error(s, "nat statement has no address expression");
      nat_address(addr, x.family);
      nat.addr = addr;
    }
    if (nat_addr_map(addr, x.family, nat)) {
      stmt_ = st;
      return;
    }
    unsigned r2 = reg_index(x.addr_max);
    if (r2 && r2 != r1) {
      addr = get_reg(r2, s);
      if (addr == nullptr) return error(s, "nat statement has no address expression");
      nat_address(addr, x.family);
      if (nat.addr != nullptr) addr = range_to_prefix(ir_, sema::range_expr(ir_, s, nat.addr, addr));
      nat.addr = addr;
    }
    if (nat_proto_map(addr, x.family)) {
      nat.family = static_cast<std::uint8_t>(x.family);
      nat.type_flags |= sema::kNatFlagConcat;
      stmt_ = st;
      return;
    }
    if (!nat_ports(nat, x.proto_min, x.proto_max, s)) return;
    stmt_ = st;
  }

  void on(const bc::Masq& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::nat, s);
    auto& nat = st->as<sema::NatStmt>();
    nat.type = sema::kNatMasq;
    if (x.flags) nat.flags = *x.flags;
    if (!nat_ports(nat, x.proto_min, x.proto_max, s)) return;
    stmt_ = st;
  }

  void on(const bc::Redir& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::nat, s);
    auto& nat = st->as<sema::NatStmt>();
    nat.type = sema::kNatRedir;
    if (x.flags) nat.flags = *x.flags;
    if (!nat_ports(nat, x.proto_min, x.proto_max, s)) return;
    stmt_ = st;
  }

  void on(const bc::Tproxy& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::tproxy, s);
    auto& t = st->as<sema::TproxyStmt>();
    t.family = static_cast<std::uint8_t>(x.family);
    t.table_family = static_cast<std::uint8_t>(ctx_.family);
    if (unsigned r = reg_index(x.addr)) {
      Expr* a = get_reg(r, s);
      if (a == nullptr) return;
      if (x.family == NFPROTO_IPV4) set_type(a, &sema::ipaddr_type, ByteOrder::big);
      else if (x.family == NFPROTO_IPV6) set_type(a, &sema::ip6addr_type, ByteOrder::big);
      else return error(s, "tproxy address must be IPv4 or IPv6");
      t.addr = a;
    }
    if (unsigned r = reg_index(x.port)) {
      Expr* p = get_reg(r, s);
      if (p == nullptr) return;
      set_type(p, &sema::inet_service_type, ByteOrder::big);
      t.port = p;
    }
    stmt_ = st;
  }

  void on(const bc::Dup& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::dup, s);
    auto& d = st->as<sema::DupStmt>();
    if (unsigned r = reg_index(x.sreg_addr)) {
      Expr* a = get_reg(r, s);
      if (a == nullptr) return error(s, "dup statement has no destination expression");
      if (ctx_.family == sema::Family::ip) set_type(a, &sema::ipaddr_type, ByteOrder::big);
      else if (ctx_.family == sema::Family::ip6) set_type(a, &sema::ip6addr_type, ByteOrder::big);
      d.to = a;
    }
    if (unsigned r = reg_index(x.sreg_dev)) {
      Expr* dev = get_reg(r, s);
      if (dev == nullptr) return error(s, "dup statement has no output expression");
      set_type(dev, &sema::ifindex_type, ByteOrder::host);
      if (d.to == nullptr) d.to = dev;
      else d.dev = dev;
    }
    stmt_ = st;
  }

  void on(const bc::Fwd& x, Span s) {
    Stmt* st = ir_.stmt(StmtType::fwd, s);
    auto& f = st->as<sema::FwdStmt>();
    if (unsigned r = reg_index(x.sreg_dev)) {
      Expr* dev = get_reg(r, s);
      if (dev == nullptr) return error(s, "fwd statement has no output expression");
      set_type(dev, &sema::ifindex_type, ByteOrder::host);
      f.dev = dev;
    }
    if (x.nfproto) f.family = static_cast<std::uint8_t>(*x.nfproto);
    if (unsigned r = reg_index(x.sreg_addr)) {
      Expr* a = get_reg(r, s);
      if (a == nullptr) return error(s, "fwd statement has no address expression");
      if (f.family == NFPROTO_IPV4) set_type(a, &sema::ipaddr_type, ByteOrder::big);
      else if (f.family == NFPROTO_IPV6) set_type(a, &sema::ip6addr_type, ByteOrder::big);
      else return error(s, "fwd statement has no family");
      f.addr = a;
    }
    stmt_ = st;
  }

  void on(const bc::Queue& x, Span s) {
    Expr* e;
    if (x.sreg_qnum) {
      e = get_reg(reg_index(*x.sreg_qnum), s);
      if (e == nullptr) return error(s, "queue statement has no queue number expression");
    } else {
      e = sema::constant_expr(ir_, s, &sema::integer_type, ByteOrder::host, 16, Value(x.num));
      if (x.total > 1) {
        std::uint16_t high = static_cast<std::uint16_t>(x.num + x.total - 1);
        e = sema::range_expr(ir_, s, e,
                             sema::constant_expr(ir_, s, &sema::integer_type, ByteOrder::host, 16, Value(high)));
      }
    }
    stmt_ = ir_.stmt(StmtType::queue, s);
    stmt_->as<sema::QueueStmt>() = {e, x.flags};
  }

  void on(const bc::Notrack&, Span s) { stmt_ = ir_.stmt(StmtType::notrack, s); }

  void on(const bc::Synproxy& x, Span s) {
    stmt_ = ir_.stmt(StmtType::synproxy, s);
    stmt_->as<sema::SynproxyStmt>() = {x.mss, x.wscale, x.flags};
  }

  void on(const bc::FlowOffload& x, Span s) {
    stmt_ = ir_.stmt(StmtType::flow_offload, s);
    stmt_->as<sema::FlowStmt>().table_name = x.flowtable;
  }

  Listing& l_;
  IrArena& ir_;
  const RuleContext& ctx_;
  Rule* rule_;
  DiagnosticSink& sink_;
  std::array<Expr*, kMaxRegs + 1> regs_{};
  Stmt* stmt_ = nullptr;
  bool inner_ = false;
  unsigned inner_reg_ = 0;
};

}  // namespace

sema::Rule* delinearize_rule(Listing& l, const RuleContext& ctx, const bc::Rule& rule, DiagnosticSink& sink) {
  Rule* r = l.ruleset.arena.make<Rule>();
  r->span = rule.span;
  if (rule.comment) {
    r->comment = *rule.comment;
    r->has_comment = true;
  }
  RuleParser p(l, ctx, r, sink);
  for (const bc::Expr& e : rule.exprs) p.rule_expr(e);
  rule_postprocess(l, r, ctx.family);
  return r;
}

namespace detail {

// The stateful expressions of a set or of its elements (netlink_parse_set_expr).
Stmt* delinearize_set_expr(Listing& l, const bc::Expr& e, sema::Family family, DiagnosticSink& sink) {
  RuleContext ctx;
  ctx.family = family;
  Rule* r = l.ruleset.arena.make<Rule>();
  RuleParser p(l, ctx, r, sink);
  return p.set_expr(e);
}

}  // namespace detail

}  // namespace nftc::listing
