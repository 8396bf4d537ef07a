// Payload, extension header and ct address evaluation, and the protocol
// dependencies nft inserts for them (evaluate.c and payload.c): `tcp dport
// 22` in an inet table becomes `meta l4proto tcp tcp dport 22`.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter.h>

#include <algorithm>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

bool expr_evaluate_bits(EvalCtx& ctx, Expr*& exprp);

namespace {

constexpr unsigned kRegSizeBits = 16 * 8;  // NFT_REG_SIZE

// ICMP types nft uses for its dependencies.
constexpr std::uint8_t kIcmpEchoReply = 0, kIcmpDestUnreach = 3, kIcmpRedirect = 5, kIcmpEcho = 8;
constexpr std::uint8_t kIcmp6DstUnreach = 1, kIcmp6PacketTooBig = 2, kIcmp6ParamProb = 4, kIcmp6EchoRequest = 128,
                       kIcmp6EchoReply = 129, kMldListenerQuery = 130, kMldListenerReport = 131,
                       kMldListenerReduction = 132, kNdNeighborSolicit = 135, kNdNeighborAdvert = 136,
                       kNdRedirect = 137;

std::uint8_t expr_offset_shift(const Expr* e, unsigned offset, unsigned& extra_len) {
  unsigned new_offset = offset % 8;
  unsigned len = round_up(e->len, 8);
  int shift = static_cast<int>(len) - static_cast<int>(new_offset + e->len);
  while (shift < 0) {
    shift += 8;
    extra_len += 8;
  }
  return static_cast<std::uint8_t>(shift);
}

bool stmt_dependency_evaluate(EvalCtx& ctx, Stmt* stmt) {
  unsigned stmt_len = ctx.stmt_len;
  if (!stmt_evaluate(ctx, stmt)) return ctx.error(stmt->span, "dependency statement is invalid");
  ctx.stmt_len = stmt_len;
  return true;
}

// Inserts a dependency before the statement being evaluated, then checks
// that no earlier statement matches the same header field.
bool rule_stmt_dep_add(EvalCtx& ctx, Stmt* nstmt) {
  auto& stmts = ctx.rule->stmts;
  auto it = std::find(stmts.begin(), stmts.end(), ctx.stmt);
  stmts.insert(it, nstmt);
  const Expr* nl = nstmt->expr->left;
  for (Stmt* s : stmts) {
    if (s == nstmt) break;
    if (s->type != StmtType::expression || s->expr->kind != Kind::relational || s->expr->right->kind != Kind::value ||
        s->expr->left->kind != Kind::payload || s->expr->left->kind != nl->kind || s->expr->left->len != nl->len)
      continue;
    const PayloadData& a = s->expr->left->payload();
    const PayloadData& b = nl->payload();
    if (a.desc != b.desc || a.inner_desc != b.inner_desc || a.base != b.base || a.offset != b.offset) continue;
    return ctx.error2(s->span, nstmt->span, "conflicting statements");
  }
  return true;
}

bool payload_add_dependency(EvalCtx& ctx, const ProtoDesc* desc, const ProtoDesc* upper, const Expr* expr,
                            Stmt*& res) {
  int protocol = proto_find_num(desc, upper);
  if (protocol < 0)
    return ctx.error(expr->span, fmt::format("conflicting protocols specified: {} vs. {}", desc->name, upper->name));
  const HdrTemplate* tmpl = &desc->templates[desc->protocol_key];
  Expr* left = tmpl->meta_key ? meta_expr(ctx.ir, expr->span, tmpl->meta_key)
                              : payload_expr(ctx.ir, expr->span, desc, desc->protocol_key);
  Expr* right = constant_expr(ctx.ir, expr->span, tmpl->dtype, tmpl->dtype->byteorder, tmpl->len,
                              constant_data(static_cast<std::uint32_t>(protocol), tmpl->len, tmpl->dtype->byteorder));
  Expr* dep = relational_expr(ctx.ir, expr->span, Op::eq, left, right);
  Stmt* stmt = expr_stmt(ctx.ir, expr->span, dep);
  if (!stmt_dependency_evaluate(ctx, stmt)) return false;
  if (ctx.inner_desc) {
    if (tmpl->meta_key) left->meta().inner_desc = ctx.inner_desc;
    else left->payload().inner_desc = ctx.inner_desc;
  }
  relational_pctx_update(ctx.pctx(), dep);
  res = stmt;
  return true;
}

const ProtoDesc* payload_ll_hdr(const ProtoCtx& pctx) {
  switch (pctx.family) {
    case Family::inet: return &proto_inet;
    case Family::bridge: return &proto_eth;
    case Family::netdev: return &proto_netdev;
    default: return nullptr;
  }
}

// Mixed IPv4/IPv6 and bridge tables: which lower protocol to depend on.
const ProtoDesc* payload_gen_special_dependency(EvalCtx& ctx, const Expr* expr) {
  ProtoCtx& pctx = ctx.pctx();
  const PayloadData& p = expr->payload();
  switch (p.base) {
    case ProtoBase::ll:
      return payload_ll_hdr(pctx);
    case ProtoBase::transport:
      if (p.desc == &proto_icmp || p.desc == &proto_icmp6 || p.desc == &proto_igmp) {
        const ProtoDesc* desc = pctx.desc(ProtoBase::ll);
        if (desc == nullptr) {
          desc = payload_ll_hdr(pctx);
          if (desc == nullptr) break;
        }
        if (p.inner_desc && !(p.inner_desc->inner.flags & (1u << 1) /* NFT_INNER_LL */)) desc = &proto_netdev;
        const ProtoDesc* upper = (p.desc == &proto_icmp || p.desc == &proto_igmp) ? &proto_ip : &proto_ip6;
        Stmt* nstmt = nullptr;
        if (!payload_add_dependency(ctx, desc, upper, expr, nstmt)) return nullptr;
        // Added after the statement being evaluated's position in nft
        // (list_add_tail before ctx->stmt).
        auto& stmts = ctx.rule->stmts;
        stmts.insert(std::find(stmts.begin(), stmts.end(), ctx.stmt), nstmt);
        return upper;
      }
      return &proto_inet_service;
    default:
      break;
  }
  return nullptr;
}

bool payload_gen_dependency(EvalCtx& ctx, const Expr* expr, Stmt*& res) {
  ProtoCtx& pctx = ctx.pctx();
  const HookProtoDesc& h = hook_proto_desc(pctx.family);
  const PayloadData& p = expr->payload();
  if (p.base < h.base) {
    if (static_cast<int>(p.base) < static_cast<int>(h.base) - 1)
      return ctx.error(expr->span, "payload base is invalid for this family");
    std::uint16_t type;
    if (!proto_dev_type(p.desc, type))
      return ctx.error(expr->span, "protocol specification is invalid for this family");
    Stmt* stmt = meta_iiftype_stmt(ctx.ir, expr->span, type);
    if (!stmt_dependency_evaluate(ctx, stmt)) return false;
    res = stmt;
    return true;
  }
  const ProtoDesc* desc = pctx.desc(static_cast<ProtoBase>(static_cast<int>(p.base) - 1));
  if (desc == nullptr) {
    desc = payload_gen_special_dependency(ctx, expr);
    if (ctx.errors && desc == nullptr) return false;
  }
  if (desc == nullptr)
    return ctx.error(expr->span, fmt::format("ambiguous payload specification: no {} protocol specified",
                                             proto_base_name(static_cast<ProtoBase>(static_cast<int>(p.base) - 1))));
  if (pctx.family == Family::bridge && desc == &proto_eth) {
    // Prefer skb->protocol: it also matches VLAN-encapsulated traffic.
    if (p.desc == &proto_ip || p.desc == &proto_ip6) desc = &proto_netdev;
  }
  return payload_add_dependency(ctx, desc, p.desc, expr, res);
}

bool ll_conflict_resolution_gen_dependency(EvalCtx& ctx, int protocol, const Expr* expr, Stmt*& res) {
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* desc = pctx.desc(expr->payload().base);
  const HdrTemplate* tmpl = &desc->templates[desc->protocol_key];
  Expr* left = payload_expr(ctx.ir, expr->span, desc, desc->protocol_key);
  Expr* right = constant_expr(ctx.ir, expr->span, tmpl->dtype, tmpl->dtype->byteorder, tmpl->len,
                              constant_data(static_cast<std::uint32_t>(protocol), tmpl->len, tmpl->dtype->byteorder));
  Expr* dep = relational_expr(ctx.ir, expr->span, Op::eq, left, right);
  Stmt* stmt = expr_stmt(ctx.ir, dep->span, dep);
  if (!stmt_dependency_evaluate(ctx, stmt)) return ctx.error(expr->span, "dependency statement is invalid");
  if (ctx.inner_desc) left->payload().inner_desc = ctx.inner_desc;
  res = stmt;
  return true;
}

bool meta_iiftype_gen_dependency(EvalCtx& ctx, Expr* payload, Stmt*& res) {
  std::uint16_t type;
  if (!proto_dev_type(payload->payload().desc, type))
    return ctx.error(payload->span, "protocol specification is invalid for this family");
  Stmt* nstmt = meta_iiftype_stmt(ctx.ir, payload->span, type);
  if (!stmt_dependency_evaluate(ctx, nstmt)) return false;
  if (ctx.inner_desc) nstmt->expr->left->meta().inner_desc = ctx.inner_desc;
  res = nstmt;
  return true;
}

bool proto_is_dummy(const ProtoDesc* d) { return d == &proto_inet || d == &proto_netdev; }

// Returns 1 when the conflict cannot be resolved, 0 when it was, -1 on
// error (nft's resolve_ll_protocol_conflict).
int resolve_ll_protocol_conflict(EvalCtx& ctx, const ProtoDesc* desc, Expr* payload) {
  ProtoCtx& pctx = ctx.pctx();
  Stmt* nstmt = nullptr;
  if (proto_is_dummy(desc)) {
    if (ctx.inner_desc) {
      pctx.update(ProtoBase::ll, payload->span, &proto_eth);
    } else {
      if (!meta_iiftype_gen_dependency(ctx, payload, nstmt)) return -1;
      desc = payload->payload().desc;
      if (!rule_stmt_dep_add(ctx, nstmt)) return -1;
    }
  } else {
    for (unsigned i = 0; i < pctx.stacked_ll_count; i++)
      if (pctx.stacked_ll[i] == payload->payload().desc) return 0;
  }
  int link = proto_find_num(desc, payload->payload().desc);
  if (link < 0 || !ll_conflict_resolution_gen_dependency(ctx, link, payload, nstmt)) return 1;
  for (unsigned i = 0; i < pctx.stacked_ll_count; i++) payload->payload().offset += pctx.stacked_ll[i]->length;
  if (!rule_stmt_dep_add(ctx, nstmt)) return -1;
  return 0;
}

std::uint8_t icmp_dep_to_type(IcmpDep t) {
  switch (t) {
    case IcmpDep::echo: return kIcmpEcho;
    case IcmpDep::mtu: return kIcmpDestUnreach;
    case IcmpDep::address: return kIcmpRedirect;
    case IcmpDep::icmp6_echo: return kIcmp6EchoRequest;
    case IcmpDep::icmp6_too_big: return kIcmp6PacketTooBig;
    case IcmpDep::icmp6_param_prob: return kIcmp6ParamProb;
    case IcmpDep::icmp6_mgmq: return kMldListenerQuery;
    case IcmpDep::icmp6_address: return kNdNeighborSolicit;
    case IcmpDep::icmp6_redirect: return kNdRedirect;
    case IcmpDep::any: break;
  }
  return 0;
}

bool icmp6_address_type_match(std::uint8_t type) {
  switch (type) {
    case kMldListenerQuery:
    case kMldListenerReport:
    case kMldListenerReduction:
    case kNdNeighborSolicit:
    case kNdNeighborAdvert:
    case kNdRedirect:
      return true;
    default:
      return false;
  }
}

Stmt* icmp_type_set_dependency(EvalCtx& ctx, const Expr* expr, const ProtoDesc* desc, const Datatype* type,
                               std::initializer_list<std::uint8_t> values) {
  Expr* left = payload_expr(ctx.ir, expr->span, desc, desc->protocol_key);
  Expr* set = set_expr(ctx.ir, expr->span);
  for (std::uint8_t v : values) {
    Expr* c = constant_expr(ctx.ir, expr->span, type, ByteOrder::big, 8, Value(v));
    set->items.push_back(set_elem_expr(ctx.ir, expr->span, c));
  }
  return expr_stmt(ctx.ir, expr->span, relational_expr(ctx.ir, expr->span, Op::implicit, left, set));
}

Stmt* icmp_type_dependency(EvalCtx& ctx, const Expr* expr, const ProtoDesc* desc, const Datatype* type,
                           std::uint8_t value) {
  Expr* left = payload_expr(ctx.ir, expr->span, desc, desc->protocol_key);
  Expr* right = constant_expr(ctx.ir, expr->span, type, ByteOrder::big, 8, Value(value));
  return expr_stmt(ctx.ir, expr->span, relational_expr(ctx.ir, expr->span, Op::eq, left, right));
}

// Fields that exist only for some ICMP types (echo id/sequence, mtu, …)
// depend on the type.
bool payload_gen_icmp_dependency(EvalCtx& ctx, const Expr* expr, Stmt*& res) {
  ProtoCtx& pctx = ctx.pctx();
  const HdrTemplate* tmpl = expr->payload().tmpl;
  const ProtoDesc* desc = expr->payload().desc;
  std::uint8_t cur = pctx.icmp_type;
  std::uint8_t type = 0;
  Stmt* stmt = nullptr;
  auto bad = [&]() {
    return ctx.error(expr->span, fmt::format("incompatible icmp match: rule has {}, need {}", cur, type));
  };
  switch (tmpl->icmp_dep) {
    case IcmpDep::any:
      return true;
    case IcmpDep::echo:
      if (cur == kIcmpEcho) return res = nullptr, true;
      type = kIcmpEcho;
      if (cur) return bad();
      stmt = icmp_type_set_dependency(ctx, expr, desc, &icmp_type_type, {kIcmpEcho, kIcmpEchoReply});
      break;
    case IcmpDep::mtu:
    case IcmpDep::address:
      type = icmp_dep_to_type(tmpl->icmp_dep);
      if (cur == type) return res = nullptr, true;
      if (cur) return bad();
      stmt = icmp_type_dependency(ctx, expr, desc, &icmp_type_type, type);
      break;
    case IcmpDep::icmp6_echo:
      if (cur == kIcmp6EchoRequest || cur == kIcmp6EchoReply) return res = nullptr, true;
      type = kIcmp6EchoRequest;
      if (cur) return bad();
      stmt = icmp_type_set_dependency(ctx, expr, desc, &icmp6_type_type, {kIcmp6EchoRequest, kIcmp6EchoReply});
      break;
    case IcmpDep::icmp6_address:
      if (icmp6_address_type_match(cur)) return res = nullptr, true;
      type = kNdNeighborSolicit;
      if (cur) return bad();
      stmt = icmp_type_set_dependency(ctx, expr, desc, &icmp6_type_type,
                                      {kMldListenerQuery, kMldListenerReport, kMldListenerReduction,
                                       kNdNeighborSolicit, kNdNeighborAdvert, kNdRedirect});
      break;
    case IcmpDep::icmp6_redirect:
    case IcmpDep::icmp6_too_big:
    case IcmpDep::icmp6_mgmq:
    case IcmpDep::icmp6_param_prob:
      type = icmp_dep_to_type(tmpl->icmp_dep);
      if (cur == type) return res = nullptr, true;
      if (cur) return bad();
      stmt = icmp_type_dependency(ctx, expr, desc, &icmp6_type_type, type);
      break;
  }
  pctx.icmp_type = type;
  if (!stmt_dependency_evaluate(ctx, stmt)) return false;
  res = stmt;
  return true;
}

// 0: fine, 1: handled (stop), -1: error. Mirrors nft's return codes.
int evaluate_payload_deps(EvalCtx& ctx, Expr* expr) {
  Expr* payload = expr;
  PayloadData& p = payload->payload();
  ProtoBase base = p.base;
  if (p.is_raw) return 0;
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* desc = pctx.desc(base);
  Stmt* nstmt = nullptr;

  auto check_icmp = [&](const ProtoDesc* d) -> int {
    if (d != &proto_icmp && d != &proto_icmp6) return 0;
    if (p.tmpl == nullptr || p.tmpl->icmp_dep == IcmpDep::any) return 0;
    Stmt* dep = nullptr;
    if (!payload_gen_icmp_dependency(ctx, expr, dep)) return -1;
    if (dep && !rule_stmt_dep_add(ctx, dep)) return -1;
    return 0;
  };

  if (desc == nullptr) {
    if (!payload_gen_dependency(ctx, payload, nstmt)) return -1;
    if (!rule_stmt_dep_add(ctx, nstmt)) return -1;
    desc = pctx.desc(base);
    if (desc == p.desc) return check_icmp(desc);
    if (base == ProtoBase::ll) {
      int link = proto_find_num(desc, p.desc);
      if (link < 0 || !ll_conflict_resolution_gen_dependency(ctx, link, payload, nstmt)) {
        if (!ctx.errors)
          ctx.error(payload->span,
                    fmt::format("conflicting protocols specified: {} vs. {}", desc->name, p.desc->name));
        return -1;
      }
      if (pctx.stacked_ll_count) p.offset += pctx.stacked_ll[0]->length;
      if (!rule_stmt_dep_add(ctx, nstmt)) return -1;
      return 1;
    }
    return check_icmp(desc);
  }

  if (p.base == desc->base && pctx.is_ambiguous(base)) {
    const ProtoDesc* conflict = pctx.find_conflict(base, p.desc);
    ctx.error(payload->span, fmt::format("conflicting protocols specified: {} vs. {}",
                                         conflict ? conflict->name : "?", p.desc->name));
    return -1;
  }
  if (desc == p.desc) {
    if (desc->base == ProtoBase::ll)
      for (unsigned i = 0; i < pctx.stacked_ll_count; i++) p.offset += pctx.stacked_ll[i]->length;
    return check_icmp(desc);
  }
  if (base == ProtoBase::ll) {
    int err = resolve_ll_protocol_conflict(ctx, desc, payload);
    if (err <= 0) return err;
    desc = pctx.desc(base);
    if (desc == p.desc) return 0;
  }
  ctx.error(payload->span, fmt::format("conflicting {} protocols specified: {} vs. {}", proto_base_name(base),
                                       pctx.desc(base)->name, p.desc->name));
  return -1;
}

bool expr_evaluate_payload(EvalCtx& ctx, Expr*& exprp) {
  const Expr* key = ctx.ectx.key;
  Expr* expr = exprp;
  if (expr->payload().evaluated) return true;
  if (evaluate_payload_deps(ctx, expr) < 0) return false;
  ctx.ectx.set(expr->dtype, expr->byteorder, expr->len, 0);
  ctx.ectx.key = key;
  if (payload_needs_adjustment(expr)) {
    if (!expr_evaluate_bits(ctx, exprp)) return false;
  }
  expr->payload().evaluated = true;
  return true;
}

bool payload_gen_inner_dependency(EvalCtx& ctx, const Expr* expr, Stmt*& res) {
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* inner = expr->payload().inner_desc;
  const ProtoDesc* desc = pctx.desc(static_cast<ProtoBase>(static_cast<int>(inner->base) - 1));
  if (desc == nullptr) desc = &proto_ip;
  const HdrTemplate* tmpl = &inner->templates[0];
  int protocol = proto_find_num(desc, inner);
  if (protocol < 0)
    return ctx.error(expr->span, fmt::format("conflicting protocols specified: {} vs. {}", desc->name, inner->name));
  Expr* left = meta_expr(ctx.ir, expr->span, tmpl->meta_key);
  Expr* right = constant_expr(ctx.ir, expr->span, tmpl->dtype, tmpl->dtype->byteorder, tmpl->len,
                              constant_data(static_cast<std::uint32_t>(protocol), tmpl->len, tmpl->dtype->byteorder));
  res = expr_stmt(ctx.ir, expr->span, relational_expr(ctx.ir, expr->span, Op::eq, left, right));
  return true;
}

bool expr_evaluate_inner(EvalCtx& ctx, Expr*& exprp) {
  Expr* expr = exprp;
  const ProtoDesc* inner = expr->payload().inner_desc;
  // The outer context decides the tunnel; evaluate the dependency there.
  ProtoCtx& outer = ctx.pctx_store[0];
  const ProtoDesc* desc = outer.desc(ProtoBase::transport);
  if (desc == nullptr && inner->base < ProtoBase::inner) {
    Stmt* nstmt = nullptr;
    if (!payload_gen_inner_dependency(ctx, expr, nstmt)) return false;
    if (!rule_stmt_dep_add(ctx, nstmt)) return false;
    outer.update(ProtoBase::transport, expr->span, inner);
  }
  if (inner->base == ProtoBase::inner) {
    desc = outer.desc(ProtoBase::transport);
    if (desc == nullptr) return ctx.error(expr->span, "no transport protocol specified");
    if (proto_find_num(desc, inner) < 0)
      return ctx.error(expr->span, fmt::format("unexpected transport protocol {}", desc->name));
    outer.update(inner->base, expr->span, inner);
  }
  if (expr->payload().base != ProtoBase::inner) ctx.inner_desc = inner;
  return expr_evaluate_payload(ctx, exprp);
}

bool exthdr_gen_dependency(EvalCtx& ctx, const Expr* expr, const ProtoDesc* dependency, ProtoBase pb, Stmt*& res) {
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* desc = pctx.desc(pb);
  if (desc == nullptr) {
    if (expr->exthdr().op == NFT_EXTHDR_OP_TCPOPT &&
        (pctx.family == Family::netdev || pctx.family == Family::bridge || pctx.family == Family::inet)) {
      desc = &proto_inet_service;
    } else {
      return ctx.error(expr->span,
                       fmt::format("cannot generate dependency: no {} protocol specified", proto_base_name(pb)));
    }
  }
  return payload_add_dependency(ctx, desc, dependency, expr, res);
}

}  // namespace

bool expr_evaluate_bits(EvalCtx& ctx, Expr*& exprp) {
  Expr* expr = exprp;
  unsigned len = expr->len, extra_len = 0;
  // A payload statement's value keeps its shape.
  if (ctx.stmt && ctx.stmt->type == StmtType::payload) return true;
  std::uint8_t shift;
  if (expr->kind == Kind::payload) shift = expr_offset_shift(expr, expr->payload().offset, extra_len);
  else shift = expr_offset_shift(expr, expr->exthdr().offset, extra_len);
  unsigned masklen = len + shift;
  if (masklen > kRegSizeBits)
    return ctx.error(expr->span, fmt::format("mask length {} exceeds allowed maximum of {}", masklen, kRegSizeBits));
  Value bitmask = Value::bitmask(len).shl(shift);
  Expr* mask = constant_expr(ctx.ir, expr->span, expr_basetype(expr), ByteOrder::host, masklen, bitmask);
  Expr* band = binop_expr(ctx.ir, expr->span, Op::band, expr, mask);
  band->dtype = expr->dtype;
  band->byteorder = expr->byteorder;
  band->len = masklen;
  if (shift) {
    ByteOrder byteorder;
    Expr* shifted = band;
    if ((ctx.ectx.key || ctx.stmt_len > 0) && div_round_up(masklen, 8) > 1) {
      Op op = expr->byteorder == ByteOrder::host ? Op::hton : Op::ntoh;
      shifted = unary_expr(ctx.ir, expr->span, op, band);
      shifted->len = masklen;
      byteorder = ByteOrder::host;
    } else {
      byteorder = expr->byteorder;
    }
    Expr* off = constant_expr(ctx.ir, expr->span, expr_basetype(expr), ByteOrder::host, 8, Value(shift));
    Expr* rshift = binop_expr(ctx.ir, expr->span, Op::rshift, shifted, off);
    rshift->dtype = expr->dtype;
    rshift->byteorder = byteorder;
    rshift->len = masklen;
    exprp = rshift;
  } else {
    exprp = band;
  }
  if (extra_len) expr->len += extra_len;
  return true;
}

bool expr_evaluate_payload_inner(EvalCtx& ctx, Expr*& exprp) {
  if (exprp->payload().inner_desc) return expr_evaluate_inner(ctx, exprp);
  return expr_evaluate_payload(ctx, exprp);
}

// For payload statements: dependencies only (nft's __expr_evaluate_payload).
bool payload_evaluate_dependencies(EvalCtx& ctx, Expr* expr) { return evaluate_payload_deps(ctx, expr) >= 0; }

bool exthdr_evaluate_common(EvalCtx& ctx, Expr*& exprp) {
  const Expr* key = ctx.ectx.key;
  Expr* expr = exprp;
  if (expr->exthdr().flags & NFT_EXTHDR_F_PRESENT) expr->dtype = &boolean_type;
  ctx.ectx.set(expr->dtype, expr->byteorder, expr->len, 0);
  ctx.ectx.key = key;
  if (expr->exthdr().offset % 8 != 0 || expr->len % 8 != 0) {
    if (!expr_evaluate_bits(ctx, exprp)) return false;
  }
  const ExthdrData& x = expr->exthdr();
  if (x.op == NFT_EXTHDR_OP_TCPOPT) {
    constexpr unsigned max_tcpoptlen = (15 * 4 - 20) * 8;
    unsigned totlen = x.tmpl->len + x.offset;
    if (totlen > max_tcpoptlen)
      return ctx.error(expr->span,
                       fmt::format("offset and size {} exceeds max tcp headerlen ({})", totlen, max_tcpoptlen));
  } else if (x.op == NFT_EXTHDR_OP_IPV4) {
    constexpr unsigned max_ipoptlen = 40 * 8;
    unsigned totlen = x.offset + x.tmpl->len;
    if (totlen > max_ipoptlen)
      return ctx.error(expr->span,
                       fmt::format("offset and size {} exceeds max ip option len ({})", totlen, max_ipoptlen));
  }
  return true;
}

bool expr_evaluate_exthdr(EvalCtx& ctx, Expr*& exprp) {
  Expr* expr = exprp;
  const ProtoDesc* dependency;
  switch (expr->exthdr().op) {
    case NFT_EXTHDR_OP_TCPOPT:
    case NFT_EXTHDR_OP_SCTP:
    case NFT_EXTHDR_OP_DCCP:
      return exthdr_evaluate_common(ctx, exprp);
    case NFT_EXTHDR_OP_IPV4:
      dependency = &proto_ip;
      break;
    default:
      dependency = &proto_ip6;
      break;
  }
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* base = pctx.desc(ProtoBase::network);
  if (base == dependency) return exthdr_evaluate_common(ctx, exprp);
  if (base) return ctx.error(expr->span, fmt::format("cannot use exthdr with {}", base->name));
  Stmt* nstmt = nullptr;
  if (!exthdr_gen_dependency(ctx, expr, dependency, ProtoBase::ll, nstmt)) return false;
  // nft prepends it to the rule (list_add to the head of the statements).
  ctx.rule->stmts.insert(ctx.rule->stmts.begin(), nstmt);
  return exthdr_evaluate_common(ctx, exprp);
}

// ct saddr/daddr need the network protocol known.
static bool ct_gen_nh_dependency(EvalCtx& ctx, Expr* ct) {
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* base_now = pctx.desc(ProtoBase::network);
  const ProtoDesc* base;
  CtData& c = ct->ct();
  switch (c.nfproto) {
    case NFPROTO_IPV4: base = &proto_ip; break;
    case NFPROTO_IPV6: base = &proto_ip6; break;
    default:
      base = pctx.desc(ProtoBase::network);
      if (base == &proto_ip) c.nfproto = NFPROTO_IPV4;
      else if (base == &proto_ip6) c.nfproto = NFPROTO_IPV6;
      if (base) break;
      return ctx.error(ct->span, fmt::format("cannot determine ip protocol version, use \"ip {0}addr\" or \"ip6 "
                                             "{0}addr\" instead",
                                             c.key == NFT_CT_SRC ? 's' : 'd'));
  }
  if (base == base_now) return true;
  if (base_now && base_now != base)
    return ctx.error(ct->span, fmt::format("conflicting dependencies: {} vs. {}", base->name, base_now->name));
  if (pctx.family == Family::ip || pctx.family == Family::ip6) return true;
  Expr* left = ct_expr(ctx.ir, ct->span, NFT_CT_L3PROTOCOL, c.direction);
  Expr* right = constant_expr(ctx.ir, ct->span, left->dtype, left->dtype->byteorder, left->len,
                              constant_data(c.nfproto, left->len, left->dtype->byteorder));
  Expr* dep = relational_expr(ctx.ir, ct->span, Op::eq, left, right);
  relational_pctx_update(pctx, dep);
  return rule_stmt_dep_add(ctx, expr_stmt(ctx.ir, dep->span, dep));
}

static void ct_expr_update_type(ProtoCtx& pctx, Expr* e) {
  CtData& c = e->ct();
  const ProtoDesc* desc = pctx.desc(c.base);
  switch (c.key) {
    case NFT_CT_SRC:
    case NFT_CT_DST:
      if (desc == &proto_ip) {
        e->dtype = &ipaddr_type;
        c.nfproto = NFPROTO_IPV4;
      } else if (desc == &proto_ip6) {
        e->dtype = &ip6addr_type;
        c.nfproto = NFPROTO_IPV6;
      }
      e->len = e->dtype->size;
      break;
    case NFT_CT_PROTO_SRC:
    case NFT_CT_PROTO_DST:
      if (desc) e->dtype = &inet_service_type;
      break;
    case NFT_CT_SRC_IP:
    case NFT_CT_DST_IP:
      e->dtype = &ipaddr_type;
      e->len = e->dtype->size;
      break;
    case NFT_CT_SRC_IP6:
    case NFT_CT_DST_IP6:
      e->dtype = &ip6addr_type;
      e->len = e->dtype->size;
      break;
    default:
      break;
  }
}

bool expr_evaluate_ct(EvalCtx& ctx, Expr*& expr) {
  Expr* ct = expr;
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* base = pctx.desc(ProtoBase::network);
  switch (ct->ct().key) {
    case NFT_CT_SRC:
    case NFT_CT_DST:
      if (!ct_gen_nh_dependency(ctx, ct)) return false;
      break;
    case NFT_CT_SRC_IP:
    case NFT_CT_DST_IP:
      if (base == &proto_ip6)
        return ctx.error2(ct->span, pctx.protocol[size_t(ProtoBase::network)].location,
                          fmt::format("conflicting protocols specified: {} vs. {}", base->name, proto_ip.name));
      break;
    case NFT_CT_SRC_IP6:
    case NFT_CT_DST_IP6:
      if (base == &proto_ip)
        return ctx.error2(ct->span, pctx.protocol[size_t(ProtoBase::network)].location,
                          fmt::format("conflicting protocols specified: {} vs. {}", base->name, proto_ip6.name));
      break;
    default:
      break;
  }
  ct_expr_update_type(pctx, ct);
  ctx.ectx.set(ct->dtype, ct->byteorder, ct->len, 0);
  return true;
}

}  // namespace nftc::sema

namespace nftc::sema {
// For the reject statement, which generates its own dependency.
bool payload_gen_dependency_public(EvalCtx& ctx, const Expr* expr, Stmt*& res) {
  return payload_gen_dependency(ctx, expr, res);
}
}  // namespace nftc::sema
