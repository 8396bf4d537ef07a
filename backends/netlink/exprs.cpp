// Each bytecode expression as the libnftnl expression nft builds for it.
// The bytecode IR keeps exactly libnftnl's attributes, so this is a
// one-to-one mapping; what it decides is only which attributes are sent at
// all, as netlink_linearize.c decides it (a counter without packets, a limit
// without a burst, ...).
#include "backends/netlink/exprs.hpp"

#include <fmt/format.h>

#include <type_traits>

namespace nftc::netlink {

namespace {

// Kernel attributes newer than libnftnl 1.2.4 (uapi nf_tables.h of Linux
// 6.2 and 6.13). Their values are kernel ABI.
constexpr std::uint16_t kNftaBitwiseSreg2 = 8;  // NFTA_BITWISE_SREG2
constexpr std::uint16_t kNftaInnerNum = 1;      // NFTA_INNER_NUM
constexpr std::uint16_t kNftaInnerType = 2;
constexpr std::uint16_t kNftaInnerFlags = 3;
constexpr std::uint16_t kNftaInnerHdrsize = 4;
constexpr std::uint16_t kNftaInnerExpr = 5;

void set_data(nftnl_expr* e, std::uint16_t attr, const bc::Value& v) {
  nftnl_expr_set(e, attr, v.bytes.data(), static_cast<std::uint32_t>(v.bytes.size()));
}

void set_reg(nftnl_expr* e, std::uint16_t attr, bc::Reg r) { nftnl_expr_set_u32(e, attr, r.number); }

void set_reg(nftnl_expr* e, std::uint16_t attr, const std::optional<bc::Reg>& r) {
  if (r) set_reg(e, attr, *r);
}

// The expressions of a dynset or a set: one goes in NFTA_*_EXPR, several in
// NFTA_*_EXPRESSIONS, as nft sends them.
void add_stateful(nftnl_expr* dynset, const std::vector<bc::Expr>& exprs) {
  if (exprs.size() == 1) {
    nftnl_expr_set(dynset, NFTNL_EXPR_DYNSET_EXPR, make_expr(exprs.front()).release(), 0);
    return;
  }
  for (const bc::Expr& x : exprs) nftnl_expr_add_expr(dynset, NFTNL_EXPR_DYNSET_EXPRESSIONS, make_expr(x).release());
}

struct Build {
  nftnl_expr* e;
  Span span;

  void operator()(const bc::PayloadLoad& x) {
    set_reg(e, NFTNL_EXPR_PAYLOAD_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, x.base);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, x.offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, x.len);
  }
  void operator()(const bc::PayloadSet& x) {
    set_reg(e, NFTNL_EXPR_PAYLOAD_SREG, x.sreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, x.base);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, x.offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, x.len);
    // nft names a checksum only for headers that have one.
    if (x.csum_type != NFT_PAYLOAD_CSUM_NONE || x.csum_offset != 0) {
      nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, x.csum_type);
      nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, x.csum_offset);
    }
    if (x.csum_flags != 0) nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS, x.csum_flags);
  }
  void operator()(const bc::Cmp& x) {
    set_reg(e, NFTNL_EXPR_CMP_SREG, x.sreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, x.op);
    set_data(e, NFTNL_EXPR_CMP_DATA, x.data);
  }
  void operator()(const bc::Range& x) {
    set_reg(e, NFTNL_EXPR_RANGE_SREG, x.sreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, x.op);
    set_data(e, NFTNL_EXPR_RANGE_FROM_DATA, x.from);
    set_data(e, NFTNL_EXPR_RANGE_TO_DATA, x.to);
  }
  void operator()(const bc::Bitwise& x) {
    if (x.sreg2) throw Unsupported(span, "libnftnl 1.2.4 has no second source register for bitwise");
    set_reg(e, NFTNL_EXPR_BITWISE_SREG, x.sreg);
    set_reg(e, NFTNL_EXPR_BITWISE_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, x.len);
    if (x.op == NFT_BITWISE_MASK_XOR) {
      if (x.op_explicit) nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, x.op);
      set_data(e, NFTNL_EXPR_BITWISE_MASK, x.mask);
      set_data(e, NFTNL_EXPR_BITWISE_XOR, x.xor_value);
      return;
    }
    nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, x.op);
    set_data(e, NFTNL_EXPR_BITWISE_DATA, x.data);
  }
  void operator()(const bc::Byteorder& x) {
    set_reg(e, NFTNL_EXPR_BYTEORDER_SREG, x.sreg);
    set_reg(e, NFTNL_EXPR_BYTEORDER_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, x.len);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, x.size);
    nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, x.op);
  }
  void operator()(const bc::Immediate& x) {
    set_reg(e, NFTNL_EXPR_IMM_DREG, x.dreg);
    if (const auto* v = std::get_if<bc::Value>(&x.data)) return set_data(e, NFTNL_EXPR_IMM_DATA, *v);
    const auto& v = std::get<bc::Verdict>(x.data);
    if (!v.chain.empty()) nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, v.chain.c_str());
    else if (v.chain_id != 0) nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_CHAIN_ID, v.chain_id);
    nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, static_cast<std::uint32_t>(v.code));
  }
  void operator()(const bc::Lookup& x) {
    set_reg(e, NFTNL_EXPR_LOOKUP_SREG, x.sreg);
    set_reg(e, NFTNL_EXPR_LOOKUP_DREG, x.dreg);
    nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, x.set.c_str());
    nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, x.set_id);
    if (x.flags != 0) nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, x.flags);
  }
  void operator()(const bc::Dynset& x) {
    set_reg(e, NFTNL_EXPR_DYNSET_SREG_KEY, x.sreg_key);
    set_reg(e, NFTNL_EXPR_DYNSET_SREG_DATA, x.sreg_data);
    nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, x.op);
    if (x.timeout_ms != 0) nftnl_expr_set_u64(e, NFTNL_EXPR_DYNSET_TIMEOUT, x.timeout_ms);
    nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, x.set.c_str());
    nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SET_ID, x.set_id);
    if (!x.exprs.empty()) add_stateful(e, x.exprs);
    if (x.flags != 0) nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_FLAGS, x.flags);
  }
  void operator()(const bc::ObjrefMap& x) {
    set_reg(e, NFTNL_EXPR_OBJREF_SET_SREG, x.sreg);
    nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_SET_NAME, x.set.c_str());
    nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_SET_ID, x.set_id);
  }
  void operator()(const bc::Objref& x) {
    nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, x.name.c_str());
    nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, x.type);
  }
  void operator()(const bc::MetaLoad& x) {
    set_reg(e, NFTNL_EXPR_META_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, x.key);
  }
  void operator()(const bc::MetaSet& x) {
    set_reg(e, NFTNL_EXPR_META_SREG, x.sreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, x.key);
  }
  void operator()(const bc::CtLoad& x) {
    set_reg(e, NFTNL_EXPR_CT_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, x.key);
    if (x.dir) nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, *x.dir);
  }
  void operator()(const bc::CtSet& x) {
    set_reg(e, NFTNL_EXPR_CT_SREG, x.sreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, x.key);
    if (x.dir) nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, *x.dir);
  }
  void operator()(const bc::ExthdrLoad& x) {
    set_reg(e, NFTNL_EXPR_EXTHDR_DREG, x.dreg);
    nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, x.type);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, x.offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, x.len);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, x.op);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS, x.flags);
  }
  void operator()(const bc::ExthdrSet& x) {
    set_reg(e, NFTNL_EXPR_EXTHDR_SREG, x.sreg);
    nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, x.type);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, x.offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, x.len);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, x.op);
  }
  void operator()(const bc::ExthdrReset& x) {
    nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, x.type);
    nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, x.op);
  }
  void operator()(const bc::Rt& x) {
    set_reg(e, NFTNL_EXPR_RT_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_RT_KEY, x.key);
  }
  void operator()(const bc::Socket& x) {
    set_reg(e, NFTNL_EXPR_SOCKET_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_SOCKET_KEY, x.key);
    nftnl_expr_set_u32(e, NFTNL_EXPR_SOCKET_LEVEL, x.level);
  }
  void operator()(const bc::Osf& x) {
    set_reg(e, NFTNL_EXPR_OSF_DREG, x.dreg);
    nftnl_expr_set_u8(e, NFTNL_EXPR_OSF_TTL, x.ttl);
    nftnl_expr_set_u32(e, NFTNL_EXPR_OSF_FLAGS, x.flags);
  }
  void operator()(const bc::Fib& x) {
    set_reg(e, NFTNL_EXPR_FIB_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, x.result);
    nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, x.flags);
  }
  void operator()(const bc::Xfrm& x) {
    set_reg(e, NFTNL_EXPR_XFRM_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_XFRM_KEY, x.key);
    nftnl_expr_set_u8(e, NFTNL_EXPR_XFRM_DIR, x.dir);
    nftnl_expr_set_u32(e, NFTNL_EXPR_XFRM_SPNUM, x.spnum);
  }
  void operator()(const bc::Tunnel& x) {
    set_reg(e, NFTNL_EXPR_TUNNEL_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_TUNNEL_KEY, x.key);
  }
  void operator()(const bc::Numgen& x) {
    set_reg(e, NFTNL_EXPR_NG_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, x.type);
    nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, x.modulus);
    nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, x.offset);
  }
  void operator()(const bc::Hash& x) {
    if (x.type == NFT_HASH_JENKINS) {  // symhash reads no register
      set_reg(e, NFTNL_EXPR_HASH_SREG, x.sreg);
      nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_LEN, x.len);
    }
    set_reg(e, NFTNL_EXPR_HASH_DREG, x.dreg);
    nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_MODULUS, x.modulus);
    if (x.seed) nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_SEED, *x.seed);
    nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_OFFSET, x.offset);
    nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_TYPE, x.type);
  }
  void operator()(const bc::Inner&) { throw Unsupported(span, "libnftnl 1.2.4 has no inner expression"); }
  void operator()(const bc::Counter& x) {
    if (x.packets != 0) nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, x.packets);
    if (x.bytes != 0) nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, x.bytes);
  }
  void operator()(const bc::Limit& x) {
    nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, x.rate);
    nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, x.unit);
    nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, x.type);
    if (x.burst > 0) nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, x.burst);
    nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, x.flags);
  }
  void operator()(const bc::Quota& x) {
    nftnl_expr_set_u64(e, NFTNL_EXPR_QUOTA_BYTES, x.bytes);
    nftnl_expr_set_u64(e, NFTNL_EXPR_QUOTA_CONSUMED, x.consumed);
    nftnl_expr_set_u32(e, NFTNL_EXPR_QUOTA_FLAGS, x.flags);
  }
  void operator()(const bc::Connlimit& x) {
    nftnl_expr_set_u32(e, NFTNL_EXPR_CONNLIMIT_COUNT, x.count);
    nftnl_expr_set_u32(e, NFTNL_EXPR_CONNLIMIT_FLAGS, x.flags);
  }
  void operator()(const bc::Last& x) {
    nftnl_expr_set_u32(e, NFTNL_EXPR_LAST_SET, x.set ? 1 : 0);
    nftnl_expr_set_u64(e, NFTNL_EXPR_LAST_MSECS, x.msecs);
  }
  void operator()(const bc::Log& x) {
    if (x.prefix) nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, x.prefix->c_str());
    if (x.group) nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, *x.group);
    if (x.snaplen) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, *x.snaplen);
    if (x.qthreshold) nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, *x.qthreshold);
    if (x.level) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, *x.level);
    if (x.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_FLAGS, *x.flags);
  }
  void operator()(const bc::Reject& x) {
    nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, x.type);
    // nft sends a code even with a TCP reset (0), which the kernel ignores.
    nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, x.icmp_code);
  }
  void operator()(const bc::Nat& x) {
    nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, x.type);
    nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, x.family);
    if (x.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, *x.flags);
    set_reg(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, x.addr_min);
    set_reg(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, x.addr_max);
    set_reg(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, x.proto_min);
    set_reg(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, x.proto_max);
  }
  void operator()(const bc::Masq& x) {
    if (x.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_MASQ_FLAGS, *x.flags);
    set_reg(e, NFTNL_EXPR_MASQ_REG_PROTO_MIN, x.proto_min);
    set_reg(e, NFTNL_EXPR_MASQ_REG_PROTO_MAX, x.proto_max);
  }
  void operator()(const bc::Redir& x) {
    if (x.flags) nftnl_expr_set_u32(e, NFTNL_EXPR_REDIR_FLAGS, *x.flags);
    set_reg(e, NFTNL_EXPR_REDIR_REG_PROTO_MIN, x.proto_min);
    set_reg(e, NFTNL_EXPR_REDIR_REG_PROTO_MAX, x.proto_max);
  }
  void operator()(const bc::Tproxy& x) {
    nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_FAMILY, x.family);
    set_reg(e, NFTNL_EXPR_TPROXY_REG_ADDR, x.addr);
    set_reg(e, NFTNL_EXPR_TPROXY_REG_PORT, x.port);
  }
  void operator()(const bc::Queue& x) {
    if (x.sreg_qnum) {
      set_reg(e, NFTNL_EXPR_QUEUE_SREG_QNUM, x.sreg_qnum);
    } else {
      nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, x.num);
      nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, x.total);
    }
    if (x.flags != 0) nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, x.flags);
  }
  void operator()(const bc::Dup& x) {
    set_reg(e, NFTNL_EXPR_DUP_SREG_ADDR, x.sreg_addr);
    set_reg(e, NFTNL_EXPR_DUP_SREG_DEV, x.sreg_dev);
  }
  void operator()(const bc::Fwd& x) {
    set_reg(e, NFTNL_EXPR_FWD_SREG_DEV, x.sreg_dev);
    set_reg(e, NFTNL_EXPR_FWD_SREG_ADDR, x.sreg_addr);
    if (x.nfproto) nftnl_expr_set_u32(e, NFTNL_EXPR_FWD_NFPROTO, *x.nfproto);
  }
  void operator()(const bc::Notrack&) {}
  void operator()(const bc::Synproxy& x) {
    nftnl_expr_set_u16(e, NFTNL_EXPR_SYNPROXY_MSS, x.mss);
    nftnl_expr_set_u8(e, NFTNL_EXPR_SYNPROXY_WSCALE, x.wscale);
    nftnl_expr_set_u32(e, NFTNL_EXPR_SYNPROXY_FLAGS, x.flags);
  }
  void operator()(const bc::FlowOffload& x) { nftnl_expr_set_str(e, NFTNL_EXPR_FLOW_TABLE_NAME, x.flowtable.c_str()); }
};

// Expressions libnftnl 1.2.4 cannot build, attribute by attribute in the
// order later libnftnl releases use.
bool put_raw(nlmsghdr* nlh, const bc::Expr& x) {
  if (const auto* in = std::get_if<bc::Inner>(&x.kind)) {
    mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "inner");
    nlattr* data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
    mnl_attr_put_u32(nlh, kNftaInnerNum, htonl(in->num));
    mnl_attr_put_u32(nlh, kNftaInnerType, htonl(in->type));
    mnl_attr_put_u32(nlh, kNftaInnerFlags, htonl(in->flags));
    mnl_attr_put_u32(nlh, kNftaInnerHdrsize, htonl(in->hdrsize));
    nlattr* inner = mnl_attr_nest_start(nlh, kNftaInnerExpr);
    ExprPtr e = make_expr(*in->expr);
    nftnl_expr_build_payload(nlh, e.get());
    mnl_attr_nest_end(nlh, inner);
    mnl_attr_nest_end(nlh, data);
    return true;
  }
  if (const auto* b = std::get_if<bc::Bitwise>(&x.kind); b != nullptr && b->sreg2) {
    mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "bitwise");
    nlattr* data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
    mnl_attr_put_u32(nlh, NFTA_BITWISE_SREG, htonl(b->sreg.number));
    mnl_attr_put_u32(nlh, kNftaBitwiseSreg2, htonl(b->sreg2->number));
    mnl_attr_put_u32(nlh, NFTA_BITWISE_DREG, htonl(b->dreg.number));
    mnl_attr_put_u32(nlh, NFTA_BITWISE_OP, htonl(b->op));
    mnl_attr_put_u32(nlh, NFTA_BITWISE_LEN, htonl(b->len));
    mnl_attr_nest_end(nlh, data);
    return true;
  }
  return false;
}

}  // namespace

ExprPtr make_expr(const bc::Expr& x) {
  std::string name(bc::expr_name(x.kind));
  ExprPtr e = checked(ExprPtr(nftnl_expr_alloc(name.c_str())));
  std::visit(Build{e.get(), x.span}, x.kind);
  return e;
}

void put_rule_expr(Writer& w, const bc::Expr& x) {
  std::uint32_t from = w.here();
  nlattr* nest = mnl_attr_nest_start(w.nlh(), NFTA_LIST_ELEM);
  if (!put_raw(w.nlh(), x)) {
    ExprPtr e = make_expr(x);
    nftnl_expr_build_payload(w.nlh(), e.get());
  }
  mnl_attr_nest_end(w.nlh(), nest);
  w.part(from, x.span);
}

}  // namespace nftc::netlink
