// Statement evaluation, continued: reject, NAT, tproxy, dup/fwd, queue, log,
// set/map updates, meters, object references, synproxy, anonymous chains.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter.h>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

namespace {
// ICMP "port unreachable" codes (RFC 792, RFC 4443): the default reject.
constexpr std::uint8_t kIcmpPortUnreach = 3, kIcmp6PortUnreach = 4;
}  // namespace

bool stmt_arg(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr);
bool stmt_arg_checks(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr);
bool stmt_key(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr);
bool stmt_range_error(EvalCtx& ctx, const Stmt* stmt, const Expr* e);
bool stmt_evaluate_stateful(EvalCtx& ctx, Stmt* stmt, std::string_view name);
bool interval_set_eval(EvalCtx& ctx, Set* set, Expr* init);
bool payload_gen_dependency_public(EvalCtx& ctx, const Expr* expr, Stmt*& res);

namespace {

constexpr std::uint16_t kEthPIp = 0x0008, kEthPIpv6 = 0xdd86;  // htons(ETH_P_IP), htons(ETH_P_IPV6) on LE

// ---------------------------------------------------------------------------
// reject

bool reject_gen_dependency(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  Expr* payload = nullptr;
  switch (r.type) {
    case NFT_REJECT_TCP_RST:
      if (pctx.desc(ProtoBase::transport) != nullptr) return true;
      payload = payload_expr(ctx.ir, stmt->span, &proto_tcp, TCPHDR_UNSPEC);
      break;
    case NFT_REJECT_ICMP_UNREACH:
      if (pctx.desc(ProtoBase::network) != nullptr) return true;
      if (r.icmp_code < 0) return ctx.error(stmt->span, "missing icmp error type");
      if (r.family == NFPROTO_IPV4) payload = payload_expr(ctx.ir, stmt->span, &proto_ip, IPHDR_PROTOCOL);
      else payload = payload_expr(ctx.ir, stmt->span, &proto_ip6, IP6HDR_NEXTHDR);
      break;
    default:
      return ctx.error(stmt->span, "cannot generate reject dependency");
  }
  Stmt* nstmt = nullptr;
  if (!payload_gen_dependency_public(ctx, payload, nstmt)) return false;
  // At the start of the rule: `log … reject with tcp reset` must not log
  // what it will not reject.
  ctx.rule->stmts.insert(ctx.rule->stmts.begin(), nstmt);
  return true;
}

bool reject_inet_family(EvalCtx& ctx, Stmt* stmt, const ProtoDesc* desc) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  if (r.type != NFT_REJECT_ICMP_UNREACH) return true;
  int protocol = proto_find_num(pctx.desc(ProtoBase::ll), desc);
  Span other = pctx.protocol[size_t(ProtoBase::network)].location;
  switch (protocol) {
    case NFPROTO_IPV4:
    case kEthPIp:
      if (r.family == NFPROTO_IPV4) return true;
      return ctx.error2(r.expr ? r.expr->span : stmt->span, other, "conflicting protocols specified: ip vs ip6");
    case NFPROTO_IPV6:
    case kEthPIpv6:
      if (r.family == NFPROTO_IPV6) return true;
      return ctx.error2(r.expr ? r.expr->span : stmt->span, other, "conflicting protocols specified: ip vs ip6");
    default:
      return ctx.error(stmt->span, "cannot infer ICMP reject variant to use: explicit value required");
  }
}

bool reject_bridge_family(EvalCtx& ctx, Stmt* stmt, const ProtoDesc* desc) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  int protocol = proto_find_num(pctx.desc(ProtoBase::ll), desc);
  Span other = pctx.protocol[size_t(ProtoBase::network)].location;
  switch (r.type) {
    case NFT_REJECT_ICMPX_UNREACH:
    case NFT_REJECT_TCP_RST:
      if (protocol == kEthPIp || protocol == kEthPIpv6) return true;
      return ctx.error2(stmt->span, other, "cannot reject this network family");
    case NFT_REJECT_ICMP_UNREACH:
      if (protocol == kEthPIp) {
        if (r.family == NFPROTO_IPV4) return true;
        return ctx.error2(r.expr ? r.expr->span : stmt->span, other, "conflicting protocols specified: ip vs ip6");
      }
      if (protocol == kEthPIpv6) {
        if (r.family == NFPROTO_IPV6) return true;
        return ctx.error2(r.expr ? r.expr->span : stmt->span, other, "conflicting protocols specified: ip vs ip6");
      }
      return ctx.error2(stmt->span, other, "cannot reject this network family");
    default:
      return true;
  }
}

bool reject_family(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  auto rerr = [&](std::string msg) {
    return r.expr ? ctx.error2(r.expr->span, stmt->span, std::move(msg)) : ctx.error(stmt->span, std::move(msg));
  };
  switch (pctx.family) {
    case Family::arp:
      return ctx.error(stmt->span, "cannot use reject with arp");
    case Family::ip:
    case Family::ip6:
      switch (r.type) {
        case NFT_REJECT_TCP_RST:
          if (!reject_gen_dependency(ctx, stmt)) return false;
          break;
        case NFT_REJECT_ICMPX_UNREACH:
          return rerr("abstracted ICMP unreachable not supported");
        case NFT_REJECT_ICMP_UNREACH:
          if (r.family == static_cast<unsigned>(pctx.family)) break;
          return rerr("conflicting protocols specified: ip vs ip6");
      }
      break;
    case Family::bridge:
    case Family::netdev: {
      const ProtoDesc* ll = pctx.desc(ProtoBase::ll);
      if (ll != &proto_eth && ll != &proto_vlan && ll != &proto_netdev)
        return ctx.error(stmt->span, "cannot reject from this link layer protocol");
      const ProtoDesc* desc = pctx.desc(ProtoBase::network);
      if (desc && !reject_bridge_family(ctx, stmt, desc)) return false;
      if (r.type != NFT_REJECT_ICMPX_UNREACH && !reject_gen_dependency(ctx, stmt)) return false;
      break;
    }
    case Family::inet: {
      const ProtoDesc* desc = pctx.desc(ProtoBase::network);
      if (desc && !reject_inet_family(ctx, stmt, desc)) return false;
      if (r.type != NFT_REJECT_ICMPX_UNREACH && !reject_gen_dependency(ctx, stmt)) return false;
      break;
    }
  }
  stmt->flags |= kStmtTerminal;
  return true;
}

void reject_default(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  switch (pctx.family) {
    case Family::ip:
    case Family::ip6:
      r.type = NFT_REJECT_ICMP_UNREACH;
      r.family = static_cast<unsigned>(pctx.family);
      r.icmp_code = pctx.family == Family::ip ? kIcmpPortUnreach : kIcmp6PortUnreach;
      break;
    case Family::inet:
    case Family::bridge:
    case Family::netdev: {
      const ProtoDesc* desc = pctx.desc(ProtoBase::network);
      if (desc == nullptr) {
        r.type = NFT_REJECT_ICMPX_UNREACH;
        r.icmp_code = NFT_REJECT_ICMPX_PORT_UNREACH;
        break;
      }
      r.type = NFT_REJECT_ICMP_UNREACH;
      int protocol = proto_find_num(pctx.desc(ProtoBase::ll), desc);
      bool inet = pctx.family == Family::inet;
      if (protocol == kEthPIp || (inet && protocol == NFPROTO_IPV4)) {
        r.family = NFPROTO_IPV4;
        r.icmp_code = kIcmpPortUnreach;
      } else if (protocol == kEthPIpv6 || (inet && protocol == NFPROTO_IPV6)) {
        r.family = NFPROTO_IPV6;
        r.icmp_code = kIcmp6PortUnreach;
      }
      break;
    }
    case Family::arp:
      break;
  }
}

bool reject_icmp(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  Expr* code = nullptr;
  if (!symbol_parse(ctx, *r.expr, code)) return false;
  if (code->value.compare(Value(255)) > 0) return ctx.error(r.expr->span, "reject code must be integer in range 0-255");
  r.icmp_code = static_cast<std::int8_t>(code->value.u32() & 0xff);
  return true;
}

bool reject_reset(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  ProtoCtx& pctx = ctx.pctx();
  const ProtoDesc* desc = pctx.desc(ProtoBase::transport);
  if (desc == nullptr) return true;
  const ProtoDesc* base = pctx.desc(ProtoBase::network);
  if (base == nullptr) base = &proto_inet_service;
  if (proto_find_num(base, desc) != IPPROTO_TCP && r.type == NFT_REJECT_TCP_RST)
    return ctx.error2(stmt->span, pctx.protocol[size_t(ProtoBase::transport)].location,
                      "you cannot use tcp reset with this protocol");
  return true;
}

// ---------------------------------------------------------------------------
// NAT and tproxy

const Datatype* addr_dtype(std::uint8_t family) {
  switch (family) {
    case NFPROTO_IPV4: return &ipaddr_type;
    case NFPROTO_IPV6: return &ip6addr_type;
    default: return &invalid_type;
  }
}

bool nat_evaluate_family(EvalCtx& ctx, Stmt* stmt) {
  NatStmt& n = stmt->as<NatStmt>();
  ProtoCtx& pctx = ctx.pctx();
  switch (pctx.family) {
    case Family::ip:
    case Family::ip6:
      if (n.family == NFPROTO_UNSPEC) n.family = static_cast<std::uint8_t>(pctx.family);
      return true;
    case Family::inet: {
      if (!n.addr) {
        n.family = NFPROTO_INET;
        return true;
      }
      if (n.family != NFPROTO_UNSPEC) return true;
      const ProtoDesc* nproto = pctx.desc(ProtoBase::network);
      if (nproto == &proto_ip) n.family = NFPROTO_IPV4;
      else if (nproto == &proto_ip6) n.family = NFPROTO_IPV6;
      return true;
    }
    default:
      return ctx.error(stmt->span, "NAT is only supported for IPv4/IPv6");
  }
}

bool nat_addr_has_th_expr(const Expr* map) {
  if (!map || map->kind != Kind::map) return false;
  const Expr* concat = map->left;
  if (concat->kind != Kind::concat) return false;
  for (const Expr* i : concat->items) {
    if (i->kind == Kind::payload && i->payload().base == ProtoBase::transport && i->payload().desc != &proto_th)
      return true;
    if (!(i->flags & kExprProtocol)) continue;
    ProtoBase base;
    if (i->kind == Kind::meta) base = i->meta().base;
    else if (i->kind == Kind::payload) base = i->payload().base;
    else return false;
    if (base == ProtoBase::network) return true;
  }
  return false;
}

bool nat_evaluate_transport(EvalCtx& ctx, Stmt* stmt, Expr*& expr, Expr* addr) {
  if (!stmt_arg(ctx, stmt, &inet_service_type, 16, ByteOrder::big, expr)) return false;
  if (ctx.pctx().desc(ProtoBase::transport) == nullptr && !nat_addr_has_th_expr(addr))
    return ctx.error2(expr->span, stmt->span, "transport protocol mapping is only valid after transport protocol match");
  return true;
}

bool stmt_evaluate_l3proto(EvalCtx& ctx, Stmt* stmt, std::uint8_t family) {
  const ProtoDesc* nproto = ctx.pctx().desc(ProtoBase::network);
  if ((nproto == &proto_ip && family != NFPROTO_IPV4) || (nproto == &proto_ip6 && family != NFPROTO_IPV6)) {
    std::string_view fam = family == NFPROTO_IPV4 ? "ip" : family == NFPROTO_IPV6 ? "ip6" : "inet";
    return ctx.error2(stmt->span, ctx.pctx().protocol[size_t(ProtoBase::network)].location,
                      fmt::format("conflicting protocols specified: {} vs. {}. You must specify ip or ip6 family in "
                                  "{} statement",
                                  nproto->name, fam, stmt_type_name(stmt->type)));
  }
  return true;
}

void expr_family_infer(const Expr* expr, std::uint8_t& family) {
  if (expr->kind != Kind::map) return;
  const Expr* m = expr->left;
  if (m->kind == Kind::concat) {
    for (const Expr* i : m->items)
      if (i->kind == Kind::payload) {
        if (i->payload().desc == &proto_ip) family = NFPROTO_IPV4;
        else if (i->payload().desc == &proto_ip6) family = NFPROTO_IPV6;
      }
  } else if (m->kind == Kind::payload) {
    if (m->payload().desc == &proto_ip) family = NFPROTO_IPV4;
    else if (m->payload().desc == &proto_ip6) family = NFPROTO_IPV6;
  }
}

bool stmt_evaluate_addr(EvalCtx& ctx, Stmt* stmt, std::uint8_t& family, Expr*& addr) {
  if (ctx.pctx().family == Family::inet) {
    if (family == NFPROTO_INET || family == NFPROTO_UNSPEC) expr_family_infer(addr, family);
    const Datatype* dtype = addr_dtype(family);
    if (dtype->size == 0) {
      std::string_view name = stmt_type_name(stmt->type);
      return ctx.error_with_help(stmt->span, fmt::format("{} in an inet table needs an address family", name),
                                 fmt::format("write `{0} ip to …` or `{0} ip6 to …`", name));
    }
    return stmt_arg(ctx, stmt, dtype, dtype->size, ByteOrder::big, addr);
  }
  const Datatype* dtype = addr_dtype(static_cast<std::uint8_t>(ctx.pctx().family));
  return stmt_arg(ctx, stmt, dtype, dtype->size, ByteOrder::big, addr);
}

bool nat_evaluate_map(EvalCtx& ctx, Stmt* stmt) {
  NatStmt& n = stmt->as<NatStmt>();
  if (n.proto) return ctx.error2(stmt->span, n.proto->span, "nat map and protocol are mutually exclusive");
  if (n.family == NFPROTO_INET) expr_family_infer(n.addr, n.family);
  std::uint32_t addr_type;
  switch (n.family) {
    case NFPROTO_IPV4: addr_type = TYPE_IPADDR; break;
    case NFPROTO_IPV6: addr_type = TYPE_IP6ADDR; break;
    default:
      return ctx.error_with_help(stmt->span, "cannot tell the address family of this NAT mapping",
                                 "write `ip` or `ip6` after the NAT keyword");
  }
  const Datatype* dtype = ctx.types.concat_type((addr_type << kTypeBits) | TYPE_INET_SERVICE);
  ctx.ectx.set(dtype, dtype->size);
  if (!expr_evaluate(ctx, n.addr)) return false;
  if (ctx.pctx().desc(ProtoBase::transport) == nullptr && !nat_addr_has_th_expr(n.addr))
    return ctx.error2(n.addr->span, stmt->span,
                      "transport protocol mapping is only valid after transport protocol match");
  if (n.addr->kind != Kind::map) return true;
  Expr* data = n.addr->right->set_ref().set->data;
  if (data->flags & kExprInterval) n.type_flags |= kNatFlagInterval;
  data->dtype = dtype;
  if (data->kind != Kind::concat || data->items.size() != 2)
    return stmt_arg_checks(ctx, stmt, dtype, dtype->size, ByteOrder::big, n.addr);
  Expr* one = data->items[0];
  Expr* two = data->items[1];
  const Datatype* dtype2 = addr_dtype(n.family);
  if (!stmt_arg_checks(ctx, stmt, dtype2, dtype2->size, ByteOrder::big, one)) return false;
  return nat_evaluate_transport(ctx, stmt, two, n.addr);
}

bool nat_concat_map(EvalCtx& ctx, Stmt* stmt) {
  NatStmt& n = stmt->as<NatStmt>();
  if (n.addr->kind != Kind::map) return false;
  Expr* m = n.addr->right;
  switch (m->kind) {
    case Kind::set:
      for (Expr* i : m->items)
        if (i->left->kind == Kind::mapping && i->left->right->kind == Kind::concat) {
          n.type_flags |= kNatFlagConcat;
          return true;
        }
      break;
    case Kind::symbol: {
      if (!expr_evaluate(ctx, n.addr->right)) return false;
      Set* s = n.addr->right->set_ref().set;
      if (!set_is_datamap(s->flags)) {
        ctx.error(n.addr->right->span, "expression is not a map");
        return false;
      }
      if (s->data->kind == Kind::concat || s->data->dtype->subtypes) {
        n.type_flags |= kNatFlagConcat;
        return true;
      }
      break;
    }
    default:
      break;
  }
  return false;
}

}  // namespace

bool stmt_evaluate_reject(EvalCtx& ctx, Stmt* stmt) {
  RejectStmt& r = stmt->as<RejectStmt>();
  if (r.icmp_code < 0) {
    reject_default(ctx, stmt);
  } else if (r.expr != nullptr) {
    if (!reject_icmp(ctx, stmt)) return false;
  } else {
    if (!reject_reset(ctx, stmt)) return false;
  }
  return reject_family(ctx, stmt);
}

bool stmt_evaluate_nat(EvalCtx& ctx, Stmt* stmt) {
  NatStmt& n = stmt->as<NatStmt>();
  if (!nat_evaluate_family(ctx, stmt)) return false;
  if (n.addr != nullptr) {
    if (!stmt_evaluate_l3proto(ctx, stmt, n.family)) return false;
    bool concat = nat_concat_map(ctx, stmt);
    if (ctx.errors) return false;
    if (concat || (n.type_flags & kNatFlagConcat)) {
      if (!nat_evaluate_map(ctx, stmt)) return false;
      stmt->flags |= kStmtTerminal;
      return true;
    }
    if (!stmt_evaluate_addr(ctx, stmt, n.family, n.addr)) return false;
  }
  if (n.proto != nullptr) {
    if (!nat_evaluate_transport(ctx, stmt, n.proto, n.addr)) return false;
    n.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
  }
  stmt->flags |= kStmtTerminal;
  return true;
}

bool stmt_evaluate_tproxy(EvalCtx& ctx, Stmt* stmt) {
  TproxyStmt& t = stmt->as<TproxyStmt>();
  ProtoCtx& pctx = ctx.pctx();
  switch (pctx.family) {
    case Family::ip:
    case Family::ip6:
      if (t.family == NFPROTO_UNSPEC) t.family = static_cast<std::uint8_t>(pctx.family);
      break;
    case Family::inet:
      break;
    default:
      return ctx.error(stmt->span, "tproxy is only supported for IPv4/IPv6/INET");
  }
  if (pctx.desc(ProtoBase::transport) == nullptr)
    return ctx.error(stmt->span, "transparent proxy support requires transport protocol match");
  if (!t.addr && !t.port) return ctx.error(stmt->span, "either address or port must be specified");
  if (!stmt_evaluate_l3proto(ctx, stmt, t.family)) return false;
  if (t.addr) {
    if (!stmt_evaluate_addr(ctx, stmt, t.family, t.addr)) return false;
    if (t.addr->kind == Kind::range) return ctx.error(stmt->span, "address ranges are not supported for tproxy");
  }
  if (t.port) {
    if (!nat_evaluate_transport(ctx, stmt, t.port, t.addr)) return false;
    if (t.port->kind == Kind::range) return ctx.error(stmt->span, "port ranges are not supported for tproxy");
  }
  return true;
}

bool stmt_evaluate_synproxy(EvalCtx& ctx, Stmt* stmt) {
  const SynproxyStmt& s = stmt->as<SynproxyStmt>();
  if (s.flags != 0 && !(s.flags & (NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE | NF_SYNPROXY_OPT_TIMESTAMP |
                                   NF_SYNPROXY_OPT_SACK_PERM)))
    return ctx.error(stmt->span, "these flags are not supported for SYNPROXY");
  return true;
}

bool stmt_evaluate_dup(EvalCtx& ctx, Stmt* stmt) {
  DupStmt& d = stmt->as<DupStmt>();
  ProtoCtx& pctx = ctx.pctx();
  switch (pctx.family) {
    case Family::ip:
    case Family::ip6: {
      if (d.to == nullptr) return ctx.error(stmt->span, "missing destination address");
      const Datatype* dtype = addr_dtype(static_cast<std::uint8_t>(pctx.family));
      if (!stmt_arg(ctx, stmt, dtype, dtype->size, ByteOrder::big, d.to)) return false;
      if (d.dev != nullptr) {
        if (!stmt_arg(ctx, stmt, &ifindex_type, 32, ByteOrder::host, d.dev)) return false;
        if (d.dev->kind == Kind::range) return stmt_range_error(ctx, stmt, d.dev);
      }
      break;
    }
    case Family::netdev:
      if (d.to == nullptr) return ctx.error(stmt->span, "missing destination interface");
      if (d.dev != nullptr) return ctx.error(stmt->span, "cannot specify device");
      if (!stmt_arg(ctx, stmt, &ifindex_type, 32, ByteOrder::host, d.to)) return false;
      break;
    default:
      return ctx.error(stmt->span, "dup is not supported in this family");
  }
  if (d.to->kind == Kind::range) return stmt_range_error(ctx, stmt, d.to);
  return true;
}

bool stmt_evaluate_fwd(EvalCtx& ctx, Stmt* stmt) {
  FwdStmt& f = stmt->as<FwdStmt>();
  if (ctx.pctx().family != Family::netdev) return ctx.error(stmt->span, "fwd is only supported in the netdev family");
  if (f.dev == nullptr) return ctx.error(stmt->span, "missing destination interface");
  if (!stmt_arg(ctx, stmt, &ifindex_type, 32, ByteOrder::host, f.dev)) return false;
  if (f.dev->kind == Kind::range) return stmt_range_error(ctx, stmt, f.dev);
  if (f.addr != nullptr) {
    const Datatype* dtype;
    unsigned len;
    switch (f.family) {
      case NFPROTO_IPV4: dtype = &ipaddr_type, len = 32; break;
      case NFPROTO_IPV6: dtype = &ip6addr_type, len = 128; break;
      default: return ctx.error(stmt->span, "missing family");
    }
    if (!stmt_arg(ctx, stmt, dtype, len, ByteOrder::big, f.addr)) return false;
    if (f.addr->kind == Kind::range) return stmt_range_error(ctx, stmt, f.addr);
  }
  stmt->flags |= kStmtTerminal;
  return true;
}

bool stmt_evaluate_queue(EvalCtx& ctx, Stmt* stmt) {
  QueueStmt& q = stmt->as<QueueStmt>();
  if (q.queue != nullptr) {
    if (!stmt_arg(ctx, stmt, &integer_type, 16, ByteOrder::host, q.queue)) return false;
    if ((q.flags & NFT_QUEUE_FLAG_CPU_FANOUT) && q.queue->kind != Kind::range)
      return ctx.error(q.queue->span, "fanout requires a range to be specified");
    if (ctx.ectx.maxval > 0xffff) return ctx.error(q.queue->span, "queue expression max value exceeds 65535");
  }
  stmt->flags |= kStmtTerminal;
  return true;
}

bool stmt_evaluate_log(EvalCtx& ctx, Stmt* stmt) {
  const LogStmt& l = stmt->as<LogStmt>();
  if (l.flags & (kLogGroup | kLogSnaplen | kLogQthreshold)) {
    if (l.flags & kLogLevel) return ctx.error(stmt->span, "level and group are mutually exclusive");
    if (l.logflags) return ctx.error(stmt->span, "flags and group are mutually exclusive");
  }
  if (l.level == NFT_LOGLEVEL_AUDIT && ((l.flags & ~kLogLevel) || l.logflags))
    return ctx.error(stmt->span, "log level audit doesn't support any further options");
  if (l.flags & kLogPrefix) {
    if (l.prefix.size() >= 128) return ctx.error(stmt->span, "log prefix is too long");
    if (l.prefix.empty()) return ctx.error(stmt->span, "log prefix must have a minimum length of 1 character");
  }
  return true;
}

bool stmt_evaluate_set(EvalCtx& ctx, Stmt* stmt) {
  SetStmt& s = stmt->as<SetStmt>();
  ctx.ectx.set(nullptr, 0);
  if (!expr_evaluate(ctx, s.set)) return false;
  if (s.set->kind != Kind::set_ref) return ctx.error(s.set->span, "expression does not refer to a set");
  Set* set = s.set->set_ref().set;
  if (!stmt_key(ctx, stmt, set->key->dtype, set->key->len, set->key->byteorder, s.key->left)) return false;
  if (s.key->elem().has_comment) return ctx.error(s.key->left->span, "key expression comments are not supported");
  for (Stmt* st : s.stmts)
    if (!stmt_evaluate_stateful(ctx, st, "set")) return false;
  // The kernel must pick a set type that allows updates from the packet path.
  set->flags |= NFT_SET_EVAL;
  return true;
}

bool stmt_evaluate_map(EvalCtx& ctx, Stmt* stmt) {
  MapStmt& m = stmt->as<MapStmt>();
  ctx.ectx.set(nullptr, 0);
  if (!expr_evaluate(ctx, m.set)) return false;
  if (m.set->kind != Kind::set_ref) return ctx.error(m.set->span, "expression does not refer to a set");
  Set* set = m.set->set_ref().set;
  if (!set_is_map(set->flags)) return ctx.error(m.set->span, fmt::format("{} is not a map", set->name));
  if (!stmt_key(ctx, stmt, set->key->dtype, set->key->len, set->key->byteorder, m.key->left)) return false;
  if (m.key->elem().has_comment) return ctx.error(m.key->left->span, "key expression comments are not supported");
  if (!stmt_arg(ctx, stmt, set->data->dtype, set->data->len, set->data->byteorder, m.data->left)) return false;
  if (m.data->elem().has_comment) return ctx.error(m.data->span, "data expression comments are not supported");
  if (m.data->elem().timeout > 0) return ctx.error(m.data->span, "data expression timeouts are not supported");
  for (Stmt* st : m.stmts)
    if (!stmt_evaluate_stateful(ctx, st, "map")) return false;
  return true;
}

bool stmt_evaluate_meter(EvalCtx& ctx, Stmt* stmt) {
  MeterStmt& m = stmt->as<MeterStmt>();
  Table* table = ctx.table;
  if (table == nullptr) return ctx.error(stmt->span, "no such table");
  Set* existing = ctx.an.find_set(table, m.name);
  if (existing && (!set_is_meter_compat(existing->flags) || set_is_map(existing->flags)))
    return ctx.error(stmt->span, fmt::format("meter '{}' overlaps an existing {} '{}'", m.name,
                                             set_is_map(existing->flags) ? "map" : "set", existing->name));
  ctx.ectx.set(nullptr, 0);
  if (!expr_evaluate(ctx, m.key)) return false;
  if (m.key->left->is_constant()) return ctx.error(m.key->left->span, "meter key expression can not be constant");
  if (m.key->elem().has_comment) return ctx.error(m.key->left->span, "meter key expression can not contain comments");
  Expr* setref;
  if (existing) {
    if ((existing->flags & NFT_SET_TIMEOUT) && !m.key->elem().timeout)
      return ctx.error(m.key->left->span, fmt::format("existing set '{}' has timeout flag", m.name));
    if (!(existing->flags & NFT_SET_TIMEOUT) && m.key->elem().timeout)
      return ctx.error(m.key->left->span, fmt::format("existing set '{}' lacks timeout flag", m.name));
    if (m.size > 0 && existing->size != m.size)
      return ctx.error(m.key->left->span,
                       fmt::format("existing set '{}' has size {}, meter has {}", m.name, existing->size, m.size));
    setref = set_ref_expr(ctx.ir, m.key->span, existing);
  } else {
    Expr* init = set_expr(ctx.ir, m.key->span);
    if (m.key->elem().timeout) init->set_expr().set_flags |= NFT_SET_TIMEOUT;
    init->set_expr().set_flags |= NFT_SET_EVAL;
    setref = implicit_set_declaration(ctx, m.name, m.key, nullptr, init,
                                      NFT_SET_EVAL | init->set_expr().set_flags);
    if (setref) setref->set_ref().set->size = m.size;
  }
  if (setref == nullptr) return false;
  m.set = setref;
  return stmt_evaluate_stateful(ctx, m.stmt, "meter");
}

static bool stmt_evaluate_objref_map(EvalCtx& ctx, Stmt* stmt) {
  ObjrefStmt& o = stmt->as<ObjrefStmt>();
  Expr* map = o.expr;
  std::uint32_t set_flags = NFT_SET_OBJECT;
  ctx.ectx.set(nullptr, 0);
  if (!expr_evaluate(ctx, map->left)) return false;
  if (map->left->is_constant()) return ctx.error(map->left->span, "map expression can not be constant");
  switch (map->right->kind) {
    case Kind::set: {
      set_flags |= map->right->set_expr().set_flags;
      Expr* key = constant_expr(ctx.ir, stmt->span, ctx.ectx.dtype ? ctx.ectx.dtype : &invalid_type,
                                ctx.ectx.byteorder, ctx.ectx.len, Value());
      Expr* mappings = implicit_set_declaration(ctx, "__objmap%d", key, nullptr, map->right,
                                                set_flags | NFT_SET_ANONYMOUS);
      if (mappings == nullptr) return false;
      Set* s = mappings->set_ref().set;
      s->objtype = o.type;
      map->right = mappings;
      ctx.set = s;
      if (!expr_evaluate(ctx, s->init)) return false;
      if (s->init->kind != Kind::set) return ctx.error(s->init->span, "expression is not a map");
      if (set_is_interval(s->init->set_expr().set_flags) && !(s->init->set_expr().set_flags & NFT_SET_CONCAT) &&
          !interval_set_eval(ctx, s, s->init))
        return false;
      ctx.set = nullptr;
      s->flags |= s->init->set_expr().set_flags;
      if ((s->flags & NFT_SET_INTERVAL) && map->left->kind == Kind::concat) {
        s->field_len = map->left->concat().field_len;
        s->field_count = map->left->concat().field_count;
      }
      break;
    }
    case Kind::symbol:
      if (!expr_evaluate(ctx, map->right)) return false;
      if (map->right->kind != Kind::set_ref) return ctx.error(map->right->span, "expression is not a map");
      if (!set_is_objmap(map->right->set_ref().set->flags))
        return ctx.error(map->right->span, "expression is not a map with objects");
      break;
    default:
      return ctx.error2(map->right->span, map->left->span,
                        fmt::format("invalid mapping expression {}", kind_name(map->right->kind)));
  }
  return map_lookup_finish(ctx, map);
}

bool stmt_evaluate_objref(EvalCtx& ctx, Stmt* stmt) {
  ObjrefStmt& o = stmt->as<ObjrefStmt>();
  if (o.expr->kind == Kind::map) return stmt_evaluate_objref_map(ctx, stmt);
  if (!stmt_arg(ctx, stmt, &string_type, 256 * 8, ByteOrder::host, o.expr)) return false;
  if (!o.expr->is_constant()) return ctx.error(o.expr->span, "counter expression must be constant");
  return true;
}

bool stmt_evaluate_chain(EvalCtx& ctx, Stmt* stmt) {
  ChainStmt& c = stmt->as<ChainStmt>();
  c.chain->flags |= NFT_CHAIN_BINDING;
  ctx.an.add_binding_chain(ctx, c.chain);
  return true;
}

}  // namespace nftc::sema
