// Rule lowering: statements and expressions to VM expressions, with nft's
// register allocation, so the bytecode is byte for byte what nft sends.
//
// Registers are counted in 32-bit words from NFT_REG_1, as nft does; an
// allocation takes a whole 16-byte register unless it is for a
// concatenation, which takes as many words as its fields. A register number
// goes to the kernel as the 16-byte register when it is aligned to one and
// as a 32-bit register otherwise.
#include "compiler/lower/lower.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_log.h>

#include "compiler/lower/data.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::lower {

using sema::ByteOrder;
using sema::bytes_of;
using sema::Expr;
using sema::Kind;
using sema::Op;
using sema::Stmt;
using sema::StmtType;

std::uint32_t LowerContext::set_id(const sema::Set* set) {
  auto [it, inserted] = ids_.emplace(set, 0);
  if (inserted) it->second = ++next_;
  return it->second;
}

std::uint32_t LowerContext::chain_id(const sema::Chain* chain) {
  auto [it, inserted] = chain_ids_.emplace(chain, 0);
  if (inserted) it->second = ++next_chain_;
  return it->second;
}

namespace {

constexpr std::uint32_t kRegWords = NFT_REG_SIZE / NFT_REG32_SIZE;  // 4
constexpr std::uint32_t kMaxWords = NFT_REG32_15 - NFT_REG32_00 + 1;  // 16

class RuleLowerer {
 public:
  RuleLowerer(LowerContext& ctx, std::vector<bc::Expr>& out) : ctx_(ctx), out_(out) {}

  void stmt(const Stmt* s);

 private:
  // --- registers ---------------------------------------------------------
  std::uint32_t get_register_bits(unsigned bits, Span span) {
    std::uint32_t n = sema::netlink_register_space(bits);
    if (reg_low_ + n > NFT_REG_1 + kMaxWords)
      throw LowerError(span, "the rule needs more register space than the kernel has (64 bytes)");
    std::uint32_t reg = reg_low_;
    reg_low_ += n;
    return reg;
  }
  void release_register_bits(unsigned bits) { reg_low_ -= sema::netlink_register_space(bits); }
  std::uint32_t get_register(const Expr* e, Span span) {
    return get_register_bits(e && e->kind == Kind::concat ? e->len : NFT_REG_SIZE * 8, span);
  }
  void release_register(const Expr* e) {
    release_register_bits(e && e->kind == Kind::concat ? e->len : NFT_REG_SIZE * 8);
  }
  // nft's netlink_put_register: the 16-byte register when aligned to one.
  static bc::Reg put(std::uint32_t reg) {
    if (reg == NFT_REG_VERDICT) return bc::Reg::verdict();
    reg -= NFT_REG_1;
    if (reg % kRegWords == 0) return bc::Reg{NFT_REG_1 + reg / kRegWords};
    return bc::Reg{reg + NFT_REG32_00};
  }

  template <typename T>
  void emit(T&& kind, Span span) {
    bc::Expr& e = out_.emplace_back();
    e.kind = std::forward<T>(kind);
    e.span = span;
  }

  // --- expressions -------------------------------------------------------
  void expr(const Expr* e, std::uint32_t dreg);
  void concat(const Expr* e, std::uint32_t dreg);
  void payload(const Expr* e, std::uint32_t dreg);
  void meta(const Expr* e, std::uint32_t dreg);
  void map(const Expr* e, std::uint32_t dreg);
  void lookup(const Expr* e);
  void range(const Expr* e);
  void flagcmp(const Expr* e);
  void relational(const Expr* e);
  void binop(const Expr* e, std::uint32_t dreg);
  void bitwise_mask_xor(const Expr* e, std::uint32_t dreg);
  void bitwise_bool(const Expr* e, std::uint32_t dreg);
  void unary(const Expr* e, std::uint32_t dreg);
  void immediate(const Expr* e, std::uint32_t dreg);
  const Expr* prefix_mask(const Expr* e, std::uint32_t sreg);

  std::string set_name(const Expr* ref) const { return ref->set_ref().set->name; }
  std::uint32_t set_id(const Expr* ref) { return ctx_.set_id(ref->set_ref().set); }

  // --- statements --------------------------------------------------------
  bc::Expr stateful(const Stmt* s);
  void payload_stmt(const Stmt* s);
  void nat_stmt(const Stmt* s);
  void queue_stmt(const Stmt* s);
  void set_stmt(const Stmt* s);
  void map_stmt(const Stmt* s);
  void meter_stmt(const Stmt* s);
  void objref_stmt(const Stmt* s);

  LowerContext& ctx_;
  std::vector<bc::Expr>& out_;
  std::uint32_t reg_low_ = NFT_REG_1;
};

// A set element's key, or the expression itself.
const Expr* elem_key(const Expr* e) { return e && e->kind == Kind::set_elem ? e->left : e; }

bc::PayloadLoad payload_load(const Expr* e, std::uint32_t base, bc::Reg dreg) {
  const sema::PayloadData& p = e->payload();
  bc::PayloadLoad l;
  l.base = base;
  l.offset = p.offset / 8;
  l.len = bytes_of(e->len);
  l.dreg = dreg;
  return l;
}

void RuleLowerer::expr(const Expr* e, std::uint32_t dreg) {
  switch (e->kind) {
    case Kind::verdict:
    case Kind::value: return immediate(e, dreg);
    case Kind::unary: return unary(e, dreg);
    case Kind::binop: return binop(e, dreg);
    case Kind::relational: return relational(e);
    case Kind::concat: return concat(e, dreg);
    case Kind::map: return map(e, dreg);
    case Kind::payload: return payload(e, dreg);
    case Kind::exthdr: {
      const sema::ExthdrData& x = e->exthdr();
      bc::ExthdrLoad l;
      l.op = x.op;
      l.type = x.raw_type;
      l.offset = x.offset / 8;
      l.len = bytes_of(e->len);
      l.flags = x.flags;
      l.dreg = put(dreg);
      return emit(l, e->span);
    }
    case Kind::meta: return meta(e, dreg);
    case Kind::rt: return emit(bc::Rt{e->as<sema::RtData>().key, put(dreg)}, e->span);
    case Kind::ct: {
      const sema::CtData& c = e->ct();
      bc::CtLoad l;
      l.key = c.key;
      l.dreg = put(dreg);
      if (c.direction >= 0) l.dir = static_cast<std::uint8_t>(c.direction);
      return emit(l, e->span);
    }
    case Kind::set_elem: return expr(e->left, dreg);
    case Kind::numgen: {
      const sema::NumgenData& n = e->as<sema::NumgenData>();
      return emit(bc::Numgen{put(dreg), n.type, n.mod, n.offset}, e->span);
    }
    case Kind::hash: {
      const sema::HashData& h = e->as<sema::HashData>();
      bc::Hash x;
      if (e->left != nullptr) {
        std::uint32_t sreg = get_register(e->left, e->span);
        expr(e->left, sreg);
        release_register(e->left);
        x.sreg = put(sreg);
        x.len = bytes_of(e->left->len);
      }
      x.dreg = put(dreg);
      x.modulus = h.mod;
      if (h.seed_set) x.seed = h.seed;
      x.offset = h.offset;
      x.type = h.type;
      return emit(x, e->span);
    }
    case Kind::fib: {
      const sema::FibData& f = e->as<sema::FibData>();
      return emit(bc::Fib{f.flags, f.result, put(dreg)}, e->span);
    }
    case Kind::socket: {
      const sema::SocketData& s = e->as<sema::SocketData>();
      return emit(bc::Socket{s.key, put(dreg), s.level}, e->span);
    }
    case Kind::tunnel: return emit(bc::Tunnel{e->as<sema::TunnelData>().key, put(dreg)}, e->span);
    case Kind::osf: {
      const sema::OsfData& o = e->as<sema::OsfData>();
      return emit(bc::Osf{put(dreg), o.ttl, o.flags}, e->span);
    }
    case Kind::xfrm: {
      const sema::XfrmData& x = e->as<sema::XfrmData>();
      return emit(bc::Xfrm{x.key, x.direction, x.spnum, put(dreg)}, e->span);
    }
    default:
      throw LowerError(e->span, fmt::format("a {} expression cannot be lowered here", sema::kind_name(e->kind)));
  }
}

void RuleLowerer::concat(const Expr* e, std::uint32_t dreg) {
  for (const Expr* i : e->items) {
    expr(i, dreg);
    dreg += sema::netlink_register_space(i->len);
  }
}

void RuleLowerer::payload(const Expr* e, std::uint32_t dreg) {
  const sema::PayloadData& p = e->payload();
  std::uint32_t base = static_cast<std::uint32_t>(p.base) - 1;
  if (p.inner_desc != nullptr) {
    // Inner headers: the payload reads relative to the tunnel header.
    if (p.base == sema::ProtoBase::inner) base = bc::uapi::kPayloadTunnelHeader;
    bc::Inner in;
    in.hdrsize = p.inner_desc->inner.hdrsize;
    in.flags = p.inner_desc->inner.flags;
    in.type = p.inner_desc->inner.type;
    *in.expr = bc::Expr{payload_load(e, base, put(dreg)), e->span};
    return emit(std::move(in), e->span);
  }
  emit(payload_load(e, base, put(dreg)), e->span);
}

void RuleLowerer::meta(const Expr* e, std::uint32_t dreg) {
  const sema::MetaData& m = e->meta();
  bc::MetaLoad l{m.key, put(dreg)};
  if (m.inner_desc != nullptr) {
    bc::Inner in;
    in.hdrsize = m.inner_desc->inner.hdrsize;
    in.flags = m.inner_desc->inner.flags;
    in.type = m.inner_desc->inner.type;
    *in.expr = bc::Expr{l, e->span};
    return emit(std::move(in), e->span);
  }
  emit(l, e->span);
}

void RuleLowerer::map(const Expr* e, std::uint32_t dreg) {
  const Expr* key = e->left;
  const Expr* ref = e->right;
  if (ref->kind != Kind::set_ref) throw LowerError(e->span, "a map must refer to a set");
  std::uint32_t sreg = dreg == NFT_REG_VERDICT ? get_register(key, e->span) : dreg;
  // A concatenated key is generated in registers above dreg.
  std::uint32_t regspace = 0;
  if (key->kind == Kind::concat) {
    regspace = sema::netlink_register_space(key->len);
    reg_low_ += regspace;
  }
  expr(key, sreg);
  reg_low_ -= regspace;
  bc::Lookup l;
  l.sreg = put(sreg);
  l.dreg = put(dreg);
  l.set = set_name(ref);
  l.set_id = set_id(ref);
  if (dreg == NFT_REG_VERDICT) release_register(key);
  emit(l, e->span);
}

void RuleLowerer::lookup(const Expr* e) {
  const Expr* ref = e->right;
  std::uint32_t sreg = get_register(e->left, e->span);
  expr(e->left, sreg);
  bc::Lookup l;
  l.sreg = put(sreg);
  l.set = set_name(ref);
  l.set_id = set_id(ref);
  if (e->op == Op::neq) l.flags = NFT_LOOKUP_F_INV;
  release_register(e->left);
  emit(l, e->span);
}

std::uint32_t cmp_op(Op op, Span span) {
  switch (op) {
    case Op::eq:
    case Op::implicit: return NFT_CMP_EQ;
    case Op::neq: return NFT_CMP_NEQ;
    case Op::lt: return NFT_CMP_LT;
    case Op::gt: return NFT_CMP_GT;
    case Op::lte: return NFT_CMP_LTE;
    case Op::gte: return NFT_CMP_GTE;
    default: throw LowerError(span, fmt::format("'{}' is not a comparison", sema::op_symbol(op)));
  }
}

void RuleLowerer::range(const Expr* e) {
  std::uint32_t sreg = get_register(e->left, e->span);
  expr(e->left, sreg);
  if (e->op != Op::eq && e->op != Op::neq && e->op != Op::implicit)
    throw LowerError(e->span, "a range compares with == or != only");
  bc::Range r;
  r.sreg = put(sreg);
  r.op = e->op == Op::neq ? NFT_RANGE_NEQ : NFT_RANGE_EQ;
  r.from = gen_data(e->right->left).value();
  r.to = gen_data(e->right->right).value();
  // nft passes range bounds without a byte-order flag.
  r.from.host_endian = r.to.host_endian = false;
  emit(r, e->span);
  release_register(e->left);
}

void RuleLowerer::flagcmp(const Expr* e) {
  std::uint32_t sreg = get_register(e->left, e->span);
  expr(e->left, sreg);
  unsigned len = bytes_of(e->left->len);
  Data zero = raw_data(sema::Value(), e->right->byteorder, len);
  Data mask = gen_data(e->right);
  if (e->left->kind == Kind::binop) {
    bc::Cmp c;
    c.sreg = put(sreg);
    c.op = NFT_CMP_EQ;
    c.data = mask.value();
    emit(c, e->span);
  } else {
    bc::Bitwise b;
    b.sreg = b.dreg = put(sreg);
    b.len = len;
    b.mask = mask.value();
    b.xor_value = zero.value();
    emit(b, e->span);
    bc::Cmp c;
    c.sreg = put(sreg);
    c.op = e->op == Op::neg ? NFT_CMP_EQ : NFT_CMP_NEQ;
    c.data = zero.value();
    emit(c, e->span);
  }
  release_register(e->left);
}

// A prefix that is not whole bytes of a network-order value: mask the
// register, then compare with the prefix's base (nft's netlink_gen_prefix).
const Expr* RuleLowerer::prefix_mask(const Expr* e, std::uint32_t sreg) {
  const Expr* right = e->right;
  unsigned len = bytes_of(right->len);
  sema::Value mask = sema::Value::prefixmask(right->len, right->as<sema::PrefixData>().prefix_len);
  Data m = raw_data(mask, right->byteorder, len);
  bc::Bitwise b;
  b.sreg = b.dreg = put(sreg);
  b.len = len;
  b.mask = m.value();
  Data zero;
  zero.bytes.resize(len);
  b.xor_value = bc::Value{zero.bytes, m.value().host_endian};
  emit(b, e->span);
  return right->left;
}

void RuleLowerer::relational(const Expr* e) {
  switch (e->op) {
    case Op::implicit:
    case Op::eq:
    case Op::neq:
    case Op::lt:
    case Op::gt:
    case Op::lte:
    case Op::gte:
    case Op::neg: break;
    default: throw LowerError(e->span, fmt::format("'{}' is not a comparison", sema::op_symbol(e->op)));
  }
  const Expr* right = e->right;
  std::uint32_t sreg = 0;
  unsigned len = 0;
  switch (right->kind) {
    case Kind::range: return range(e);
    case Kind::set:
    case Kind::set_ref: return lookup(e);
    case Kind::list: return flagcmp(e);
    case Kind::prefix: {
      sreg = get_register(e->left, e->span);
      unsigned prefix_len = right->as<sema::PrefixData>().prefix_len;
      if (sema::expr_basetype(e->left)->type != sema::TYPE_STRING &&
          (right->byteorder != ByteOrder::big || prefix_len == 0 || prefix_len % 8 != 0)) {
        len = bytes_of(right->len);
        expr(e->left, sreg);
        right = prefix_mask(e, sreg);
      } else {
        // Compare only the prefix's bytes: load no more than them.
        len = bytes_of(prefix_len);
        Expr left = *e->left;
        left.len = prefix_len;
        right = right->left;
        expr(&left, sreg);
      }
      break;
    }
    default:
      if ((e->op == Op::implicit || e->op == Op::neg) && right->dtype->basetype != nullptr &&
          right->dtype->basetype->type == sema::TYPE_BITMASK)
        return flagcmp(e);
      sreg = get_register(e->left, e->span);
      len = bytes_of(right->len);
      expr(e->left, sreg);
      break;
  }
  bc::Cmp c;
  c.sreg = put(sreg);
  c.op = cmp_op(e->op, e->span);
  c.data = gen_data(right).value(len);
  if (c.data.bytes.size() < len) c.data.bytes.resize(len);
  release_register(e->left);
  emit(c, e->span);
}

void RuleLowerer::binop(const Expr* e, std::uint32_t dreg) {
  if (e->op == Op::lshift || e->op == Op::rshift) {
    expr(e->left, dreg);
    bc::Bitwise b;
    b.op = e->op == Op::lshift ? NFT_BITWISE_LSHIFT : NFT_BITWISE_RSHIFT;
    b.sreg = b.dreg = put(dreg);
    b.len = bytes_of(e->len);
    b.data = raw_data(e->right->value, e->right->byteorder, sizeof(std::uint32_t)).value();
    return emit(b, e->span);
  }
  if (e->right->is_constant()) return bitwise_mask_xor(e, dreg);
  bitwise_bool(e, dreg);
}

// A chain of &, | and ^ with constants folds into one mask-and-xor.
void RuleLowerer::bitwise_mask_xor(const Expr* e, std::uint32_t dreg) {
  std::vector<const Expr*> binops;
  const Expr* left = e;
  binops.push_back(left);
  while (left->kind == Kind::binop && left->left != nullptr && left->right->is_constant() &&
         (left->op == Op::band || left->op == Op::bor || left->op == Op::bxor)) {
    if (binops.size() >= 16) throw LowerError(e->span, "too many nested binary operations");
    left = left->left;
    binops.push_back(left);
  }
  // The innermost operand is the last pushed (it is not a foldable binop).
  const Expr* operand = binops.back();
  binops.pop_back();
  expr(operand, dreg);

  sema::Value full = sema::Value::bitmask(e->len);
  sema::Value mask = full, xr;
  while (!binops.empty()) {
    const Expr* i = binops.back();
    binops.pop_back();
    const sema::Value& val = i->right->value;
    switch (i->op) {
      case Op::band:  // xor = 0 ^ (xor & val); mask &= val
        xr = xr & val;
        mask = mask & val;
        break;
      case Op::bor:  // xor = val ^ (xor & ~val); mask &= ~val
        xr = val ^ (xr & ~val);
        mask = mask & ~val;
        break;
      case Op::bxor:  // xor = val ^ (xor & all); mask unchanged
        xr = val ^ (xr & full);
        break;
      default: throw LowerError(i->span, "invalid binary operation");
    }
  }
  unsigned len = bytes_of(e->len);
  bc::Bitwise b;
  b.op = bc::uapi::kBitwiseMaskXor;
  b.op_explicit = true;
  b.sreg = b.dreg = put(dreg);
  b.len = len;
  b.mask = raw_data(mask, e->byteorder, len).value();
  b.xor_value = raw_data(xr, e->byteorder, len).value();
  emit(b, e->span);
}

void RuleLowerer::bitwise_bool(const Expr* e, std::uint32_t dreg) {
  bc::Bitwise b;
  switch (e->op) {
    case Op::bxor: b.op = bc::uapi::kBitwiseXor; break;
    case Op::band: b.op = bc::uapi::kBitwiseAnd; break;
    case Op::bor: b.op = bc::uapi::kBitwiseOr; break;
    default: throw LowerError(e->span, "invalid binary operation");
  }
  expr(e->left, dreg);
  b.sreg = b.dreg = put(dreg);
  std::uint32_t sreg2 = get_register(e->right, e->span);
  expr(e->right, sreg2);
  b.sreg2 = put(sreg2);
  release_register(e->right);
  b.len = bytes_of(e->len);
  emit(b, e->span);
}

void RuleLowerer::unary(const Expr* e, std::uint32_t dreg) {
  const Expr* arg = e->left;
  std::uint32_t size = arg->len % 64 == 0 ? 8 : arg->len % 32 == 0 ? 4 : 2;
  expr(arg, dreg);
  bc::Byteorder b;
  b.sreg = b.dreg = put(dreg);
  b.len = bytes_of(e->len);
  b.size = size;
  if (e->op == Op::hton) b.op = NFT_BYTEORDER_HTON;
  else if (e->op == Op::ntoh) b.op = NFT_BYTEORDER_NTOH;
  else throw LowerError(e->span, "invalid unary operation");
  emit(b, e->span);
}

void RuleLowerer::immediate(const Expr* e, std::uint32_t dreg) {
  bc::Immediate imm;
  imm.dreg = put(dreg);
  Data d = gen_data(e);
  if (e->kind == Kind::verdict) {
    imm.data = d.verdict;
    const sema::VerdictData& v = e->as<sema::VerdictData>();
    return emit(imm, v.chain ? v.chain->span : e->span);
  }
  imm.data = d.value();
  emit(imm, e->span);
}

// --- statements ----------------------------------------------------------

bc::Expr RuleLowerer::stateful(const Stmt* s) {
  bc::Expr x;
  x.span = s->span;
  switch (s->type) {
    case StmtType::connlimit: {
      const auto& c = s->as<sema::ConnlimitStmt>();
      x.kind = bc::Connlimit{c.count, c.flags};
      break;
    }
    case StmtType::counter: {
      const auto& c = s->as<sema::CounterStmt>();
      x.kind = bc::Counter{c.packets, c.bytes};
      break;
    }
    case StmtType::limit: {
      const auto& l = s->as<sema::LimitStmt>();
      x.kind = bc::Limit{l.rate, l.unit, l.burst, l.type, l.flags};
      break;
    }
    case StmtType::quota: {
      const auto& q = s->as<sema::QuotaStmt>();
      x.kind = bc::Quota{q.bytes, q.used, q.flags};
      break;
    }
    case StmtType::last: {
      const auto& l = s->as<sema::LastStmt>();
      x.kind = bc::Last{l.set != 0, l.used};
      break;
    }
    default: throw LowerError(s->span, fmt::format("{} is not a stateful statement", sema::stmt_type_name(s->type)));
  }
  return x;
}

// The field of the template a payload expression reads, or -1.
int payload_field(const Expr* e) {
  const sema::PayloadData& p = e->payload();
  if (p.desc == nullptr || p.tmpl == nullptr) return -1;
  const sema::HdrTemplate* first = p.desc->templates.data();
  if (p.tmpl < first || p.tmpl >= first + p.desc->templates.size()) return -1;
  return static_cast<int>(p.tmpl - first);
}

void RuleLowerer::payload_stmt(const Stmt* s) {
  const auto& ps = s->as<sema::PayloadStmt>();
  std::uint32_t sreg = get_register(ps.val, s->span);
  expr(ps.val, sreg);
  release_register(ps.val);
  const Expr* e = ps.expr;
  const sema::PayloadData& p = e->payload();
  const sema::ProtoDesc* desc = p.desc;
  unsigned csum_off = 0;
  if (desc != nullptr && desc->checksum_key) csum_off = desc->templates[desc->checksum_key].offset;
  bc::PayloadSet set;
  set.sreg = put(sreg);
  set.base = static_cast<std::uint32_t>(p.base) - 1;
  set.offset = p.offset / 8;
  set.len = e->len / 8;
  if (csum_off) {
    set.csum_type = desc->checksum_type;
    set.csum_offset = csum_off / 8;
  }
  bool pseudo = false;
  if (p.base == sema::ProtoBase::network && desc != nullptr) {
    int field = payload_field(e);
    for (unsigned f : desc->pseudohdr)
      if (f != 0 && static_cast<int>(f) == field) pseudo = true;
  }
  if ((p.base == sema::ProtoBase::transport && desc == &sema::proto_udp) || p.base == sema::ProtoBase::inner)
    pseudo = true;
  if (pseudo) set.csum_flags = NFT_PAYLOAD_L4CSUM_PSEUDOHDR;
  emit(set, e->span);
}

unsigned nat_addrlen(std::uint8_t family, Span span) {
  switch (family) {
    case NFPROTO_IPV4: return 32;
    case NFPROTO_IPV6: return 128;
    default: throw LowerError(span, "NAT to an address needs the ip or ip6 family");
  }
}

void RuleLowerer::nat_stmt(const Stmt* s) {
  const auto& n = s->as<sema::NatStmt>();
  std::optional<bc::Reg> amin, amax, pmin, pmax;
  std::optional<std::uint32_t> flags;
  if (n.flags != 0) flags = n.flags;
  int registers = 0;
  const bool concat = n.type_flags & sema::kNatFlagConcat;
  const bool interval = n.type_flags & sema::kNatFlagInterval;

  if (n.addr != nullptr) {
    std::uint32_t amin_reg = get_register(nullptr, s->span);
    registers++;
    if (n.addr->kind == Kind::range) {
      std::uint32_t amax_reg = get_register(nullptr, s->span);
      registers++;
      expr(n.addr->left, amin_reg);
      expr(n.addr->right, amax_reg);
      amin = put(amin_reg);
      amax = put(amax_reg);
    } else {
      expr(n.addr, amin_reg);
      amin = put(amin_reg);
      if (n.addr->kind == Kind::map && n.addr->right->kind == Kind::set_ref &&
          n.addr->right->set_ref().set->data != nullptr &&
          (n.addr->right->set_ref().set->data->flags & sema::kExprInterval)) {
        amin_reg += sema::netlink_register_space(nat_addrlen(n.family, s->span));
        if (concat) pmin = put(amin_reg);
        else amax = put(amin_reg);
      }
    }
    if (concat) {
      std::uint32_t pmin_reg = amin_reg;
      if (interval) {
        pmin_reg += sema::netlink_register_space(nat_addrlen(n.family, s->span));
        amax = put(pmin_reg);
      }
      // The map returns address . port: the port follows the address.
      pmin_reg += sema::netlink_register_space(nat_addrlen(n.family, s->span));
      if (interval) pmax = put(pmin_reg);
      else pmin = put(pmin_reg);
    }
  }
  if (n.proto != nullptr) {
    std::uint32_t pmin_reg = get_register(nullptr, s->span);
    registers++;
    if (n.proto->kind == Kind::range) {
      std::uint32_t pmax_reg = get_register(nullptr, s->span);
      registers++;
      expr(n.proto->left, pmin_reg);
      expr(n.proto->right, pmax_reg);
      pmin = put(pmin_reg);
      pmax = put(pmax_reg);
    } else {
      expr(n.proto, pmin_reg);
      pmin = put(pmin_reg);
    }
  }
  while (registers-- > 0) release_register(nullptr);

  switch (n.type) {
    case sema::kNatSnat:
    case sema::kNatDnat: {
      bc::Nat x;
      x.type = n.type == sema::kNatSnat ? NFT_NAT_SNAT : NFT_NAT_DNAT;
      x.family = n.family;
      x.addr_min = amin;
      x.addr_max = amax;
      x.proto_min = pmin;
      x.proto_max = pmax;
      x.flags = flags;
      return emit(x, s->span);
    }
    case sema::kNatMasq: return emit(bc::Masq{pmin, pmax, flags}, s->span);
    case sema::kNatRedir: return emit(bc::Redir{pmin, pmax, flags}, s->span);
  }
}

void RuleLowerer::queue_stmt(const Stmt* s) {
  const auto& q = s->as<sema::QueueStmt>();
  bc::Queue x;
  const Expr* e = q.queue;
  std::uint64_t low = 0, high = 0;
  std::optional<std::uint32_t> sreg;
  if (e != nullptr) {
    if (e->kind == Kind::value) {
      low = high = e->value.u64();
    } else if (e->kind == Kind::range) {
      low = e->left->value.u64();
      high = e->right->value.u64();
    } else {
      sreg = get_register(e, s->span);
      expr(e, *sreg);
      release_register(e);
    }
  }
  if (sreg) {
    x.sreg_qnum = put(*sreg);
  } else {
    x.num = static_cast<std::uint16_t>(low);
    x.total = static_cast<std::uint16_t>(high - low + 1);
  }
  x.flags = q.flags;
  emit(x, s->span);
}

void RuleLowerer::set_stmt(const Stmt* s) {
  const auto& st = s->as<sema::SetStmt>();
  const Expr* key = elem_key(st.key);
  std::uint32_t sreg = get_register(key, s->span);
  expr(key, sreg);
  release_register(key);
  bc::Dynset d;
  d.sreg_key = put(sreg);
  if (st.key->kind == Kind::set_elem && st.key->elem().timeout > 0) d.timeout_ms = st.key->elem().timeout;
  d.op = st.op;
  d.set = set_name(st.set);
  d.set_id = set_id(st.set);
  for (const Stmt* x : st.stmts) d.exprs.push_back(stateful(x));
  if (st.stmts.size() > 1) d.flags = NFT_DYNSET_F_EXPR;
  emit(std::move(d), s->span);
}

void RuleLowerer::map_stmt(const Stmt* s) {
  const auto& m = s->as<sema::MapStmt>();
  const Expr* key = elem_key(m.key);
  const Expr* data = elem_key(m.data);
  std::uint32_t sreg_key = get_register(key, s->span);
  expr(key, sreg_key);
  std::uint32_t sreg_data = get_register(data, s->span);
  expr(data, sreg_data);
  release_register(key);
  release_register(data);
  bc::Dynset d;
  d.sreg_key = put(sreg_key);
  d.sreg_data = put(sreg_data);
  d.op = m.op;
  d.set = set_name(m.set);
  d.set_id = set_id(m.set);
  if (m.key->kind == Kind::set_elem && m.key->elem().timeout > 0) d.timeout_ms = m.key->elem().timeout;
  // nft sends several expressions without NFT_DYNSET_F_EXPR here.
  for (const Stmt* x : m.stmts) d.exprs.push_back(stateful(x));
  emit(std::move(d), s->span);
}

void RuleLowerer::meter_stmt(const Stmt* s) {
  const auto& m = s->as<sema::MeterStmt>();
  const Expr* key = elem_key(m.key);
  std::uint32_t sreg = get_register(key, s->span);
  expr(key, sreg);
  release_register(key);
  std::uint64_t timeout = m.key->kind == Kind::set_elem ? m.key->elem().timeout : 0;
  bc::Dynset d;
  d.sreg_key = put(sreg);
  d.timeout_ms = timeout;
  d.op = timeout ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD;
  d.set = set_name(m.set);
  d.set_id = set_id(m.set);
  d.exprs.push_back(stateful(m.stmt));
  emit(std::move(d), s->span);
}

void RuleLowerer::objref_stmt(const Stmt* s) {
  const auto& o = s->as<sema::ObjrefStmt>();
  const Expr* e = o.expr;
  if (e->kind == Kind::map) {
    std::uint32_t sreg = get_register(e->left, s->span);
    expr(e->left, sreg);
    release_register(e->left);
    // nft sets this register number as is, without the 32-bit mapping.
    return emit(bc::ObjrefMap{bc::Reg{sreg}, set_name(e->right), set_id(e->right)}, e->span);
  }
  if (e->kind != Kind::value) throw LowerError(e->span, "an object reference must be a name or a map");
  std::string name = e->value.to_bytes_string(bytes_of(e->len), ByteOrder::host);
  if (auto nul = name.find('\0'); nul != std::string::npos) name.resize(nul);
  emit(bc::Objref{o.type, std::move(name)}, e->span);
}

void RuleLowerer::stmt(const Stmt* s) {
  switch (s->type) {
    case StmtType::expression:
    case StmtType::verdict: return expr(s->expr, NFT_REG_VERDICT);
    case StmtType::meter: return meter_stmt(s);
    case StmtType::exthdr: {
      const auto& x = s->as<sema::ExthdrStmt>();
      std::uint32_t sreg = get_register(x.val, s->span);
      expr(x.val, sreg);
      release_register(x.val);
      const sema::ExthdrData& d = x.expr->exthdr();
      bc::ExthdrSet set;
      set.op = d.op;
      set.type = d.raw_type;
      set.offset = d.offset / 8;
      set.len = bytes_of(x.expr->len);
      set.sreg = put(sreg);
      return emit(set, x.expr->span);
    }
    case StmtType::payload: return payload_stmt(s);
    case StmtType::meta: {
      const auto& m = s->as<sema::MetaStmt>();
      std::uint32_t sreg = get_register(m.expr, s->span);
      expr(m.expr, sreg);
      release_register(m.expr);
      return emit(bc::MetaSet{m.key, put(sreg)}, s->span);
    }
    case StmtType::log: {
      const auto& l = s->as<sema::LogStmt>();
      bc::Log x;
      if (l.flags & sema::kLogPrefix) x.prefix = l.prefix;
      if (l.flags & sema::kLogGroup) {
        x.group = l.group;
        if (l.flags & sema::kLogSnaplen) x.snaplen = l.snaplen;
        if (l.flags & sema::kLogQthreshold) x.qthreshold = l.qthreshold;
      } else {
        if (l.flags & sema::kLogLevel) x.level = l.level;
        if (l.logflags) x.flags = l.logflags;
      }
      return emit(x, s->span);
    }
    case StmtType::reject: {
      const auto& r = s->as<sema::RejectStmt>();
      bc::Reject x;
      x.type = r.type;
      x.icmp_code = r.icmp_code == -1 ? 0 : static_cast<std::uint8_t>(r.icmp_code);
      return emit(x, s->span);
    }
    case StmtType::nat: return nat_stmt(s);
    case StmtType::tproxy: {
      const auto& t = s->as<sema::TproxyStmt>();
      bc::Tproxy x;
      x.family = t.family;
      int registers = 0;
      if (t.addr != nullptr) {
        std::uint32_t reg = get_register(nullptr, s->span);
        registers++;
        expr(t.addr, reg);
        x.addr = put(reg);
      }
      if (t.port != nullptr) {
        std::uint32_t reg = get_register(nullptr, s->span);
        registers++;
        expr(t.port, reg);
        x.port = put(reg);
      }
      while (registers-- > 0) release_register(nullptr);
      return emit(x, s->span);
    }
    case StmtType::synproxy: {
      const auto& p = s->as<sema::SynproxyStmt>();
      return emit(bc::Synproxy{p.mss, p.wscale, p.flags}, s->span);
    }
    case StmtType::dup: {
      const auto& d = s->as<sema::DupStmt>();
      bc::Dup x;
      if (d.to != nullptr) {
        std::uint32_t reg = get_register(d.to, s->span);
        expr(d.to, reg);
        if (d.to->dtype != nullptr && d.to->dtype->type == sema::TYPE_IFINDEX) x.sreg_dev = put(reg);
        else x.sreg_addr = put(reg);
      }
      if (d.dev != nullptr) {
        std::uint32_t reg = get_register(d.dev, s->span);
        expr(d.dev, reg);
        x.sreg_dev = put(reg);
        release_register(d.dev);
      }
      if (d.to != nullptr) release_register(d.to);
      return emit(x, s->span);
    }
    case StmtType::queue: return queue_stmt(s);
    case StmtType::ct: {
      const auto& c = s->as<sema::CtStmt>();
      std::uint32_t sreg = get_register(c.expr, s->span);
      expr(c.expr, sreg);
      release_register(c.expr);
      bc::CtSet x;
      x.key = c.key;
      x.sreg = put(sreg);
      if (c.direction >= 0) x.dir = static_cast<std::uint8_t>(c.direction);
      return emit(x, s->span);
    }
    case StmtType::set: return set_stmt(s);
    case StmtType::fwd: {
      const auto& f = s->as<sema::FwdStmt>();
      bc::Fwd x;
      std::uint32_t reg1 = get_register(f.dev, s->span);
      expr(f.dev, reg1);
      x.sreg_dev = put(reg1);
      if (f.addr != nullptr) {
        std::uint32_t reg2 = get_register(f.addr, s->span);
        expr(f.addr, reg2);
        x.sreg_addr = put(reg2);
        release_register(f.addr);
      }
      release_register(f.dev);
      if (f.family) x.nfproto = f.family;
      return emit(x, s->span);
    }
    case StmtType::connlimit:
    case StmtType::counter:
    case StmtType::limit:
    case StmtType::quota:
    case StmtType::last: out_.push_back(stateful(s)); return;
    case StmtType::notrack: return emit(bc::Notrack{}, s->span);
    case StmtType::flow_offload: return emit(bc::FlowOffload{s->as<sema::FlowStmt>().table_name}, s->span);
    case StmtType::objref: return objref_stmt(s);
    case StmtType::map: return map_stmt(s);
    case StmtType::chain: {
      // The anonymous chain has no name until the kernel gives it one.
      const sema::ChainStmt& c = s->as<sema::ChainStmt>();
      bc::Immediate imm;
      imm.dreg = bc::Reg::verdict();
      imm.data = bc::Verdict{c.expr->as<sema::VerdictData>().verdict, {}, ctx_.chain_id(c.chain)};
      return emit(imm, s->span);
    }
    case StmtType::optstrip: {
      const Expr* e = s->as<sema::OptstripStmt>().expr;
      return emit(bc::ExthdrReset{e->exthdr().op, e->exthdr().raw_type}, e->span);
    }
    default:
      throw LowerError(s->span, fmt::format("{} statements cannot be lowered", sema::stmt_type_name(s->type)));
  }
}

}  // namespace

bc::Rule lower_rule(LowerContext& ctx, const sema::Rule& rule, const sema::Chain& chain,
                    const std::vector<sema::Set*>& anonymous_sets) {
  bc::Rule out;
  out.family = static_cast<std::uint32_t>(chain.family);
  out.table = chain.table;
  out.chain = chain.name;
  out.span = rule.span;
  if (rule.has_comment) out.comment = rule.comment;
  for (const sema::Set* s : anonymous_sets) out.anonymous_sets.push_back(lower_set(ctx, *s));
  RuleLowerer l(ctx, out.exprs);
  for (const Stmt* s : rule.stmts) l.stmt(s);
  return out;
}

}  // namespace nftc::lower
