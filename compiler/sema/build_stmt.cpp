// Building unevaluated IR from the AST: statements and rules, with the
// values nft's parser actions compute (limit units, quota bytes, log levels,
// reject codes, NAT flags).
#include <fmt/format.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter.h>

#include <type_traits>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/build.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

namespace {

std::uint64_t time_unit_seconds(std::string_view u) {
  if (u == "second") return 1;
  if (u == "minute") return 60;
  if (u == "hour") return 3600;
  if (u == "day") return 86400;
  if (u == "week") return 604800;
  return 1;
}

std::uint64_t bytes_unit(std::string_view u) {
  if (u == "kbytes") return 1024;
  if (u == "mbytes") return 1024 * 1024;
  return 1;
}

std::uint32_t log_level(std::string_view l) {
  if (l == "emerg") return NFT_LOGLEVEL_EMERG;
  if (l == "alert") return NFT_LOGLEVEL_ALERT;
  if (l == "crit") return NFT_LOGLEVEL_CRIT;
  if (l == "err") return NFT_LOGLEVEL_ERR;
  if (l == "warn") return NFT_LOGLEVEL_WARNING;
  if (l == "notice") return NFT_LOGLEVEL_NOTICE;
  if (l == "info") return NFT_LOGLEVEL_INFO;
  if (l == "debug") return NFT_LOGLEVEL_DEBUG;
  return NFT_LOGLEVEL_AUDIT;
}

std::uint32_t objref_type(ast::ObjKind k) {
  switch (k) {
    case ast::ObjKind::counter: return NFT_OBJECT_COUNTER;
    case ast::ObjKind::quota: return NFT_OBJECT_QUOTA;
    case ast::ObjKind::limit: return NFT_OBJECT_LIMIT;
    case ast::ObjKind::ct_helper: return NFT_OBJECT_CT_HELPER;
    case ast::ObjKind::ct_timeout: return NFT_OBJECT_CT_TIMEOUT;
    case ast::ObjKind::ct_expect: return NFT_OBJECT_CT_EXPECT;
    case ast::ObjKind::secmark: return NFT_OBJECT_SECMARK;
    case ast::ObjKind::synproxy: return NFT_OBJECT_SYNPROXY;
    case ast::ObjKind::tunnel: return NFT_OBJECT_TUNNEL;
  }
  return NFT_OBJECT_COUNTER;
}

}  // namespace

Stmt* Builder::stmt(const ast::Stmt& s) {
  IrArena& ir = ctx_.ir;
  Span span = s.span;
  return ast::visit(s,
      [&](const auto& d) -> Stmt* {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, ast::VerdictStmt>) {
          Expr* v = expr(*d.verdict);
          return v ? verdict_stmt(ir, span, v) : nullptr;
        } else if constexpr (std::is_same_v<T, ast::VmapStmt>) {
          Expr* key = expr(*d.key);
          Expr* map = key ? expr(*d.map) : nullptr;
          if (map == nullptr) return nullptr;
          return verdict_stmt(ir, span, map_expr(ir, span, key, map));
        } else if constexpr (std::is_same_v<T, ast::MatchStmt>) {
          Expr* l = expr(*d.lhs);
          Expr* r = l ? expr(*d.rhs) : nullptr;
          if (r == nullptr) return nullptr;
          Op op = Op::implicit;
          switch (d.op) {
            case ast::RelOp::implicit: op = Op::implicit; break;
            case ast::RelOp::eq: op = Op::eq; break;
            case ast::RelOp::neq: op = Op::neq; break;
            case ast::RelOp::lt: op = Op::lt; break;
            case ast::RelOp::gt: op = Op::gt; break;
            case ast::RelOp::lte: op = Op::lte; break;
            case ast::RelOp::gte: op = Op::gte; break;
            case ast::RelOp::negate: op = Op::neg; break;
          }
          Span rspan = d.op == ast::RelOp::implicit ? span : d.op_span;
          return expr_stmt(ir, span, relational_expr(ir, rspan, op, l, r));
        } else if constexpr (std::is_same_v<T, ast::AssignStmt>) {
          Expr* lhs = expr(*d.lhs);
          Expr* val = lhs ? expr(*d.value) : nullptr;
          if (val == nullptr) return nullptr;
          switch (lhs->kind) {
            case Kind::payload: {
              Stmt* st = ir.stmt(StmtType::payload, span);
              st->as<PayloadStmt>() = {lhs, val};
              return st;
            }
            case Kind::exthdr: {
              Stmt* st = ir.stmt(StmtType::exthdr, span);
              st->as<ExthdrStmt>() = {lhs, val};
              return st;
            }
            case Kind::meta: {
              std::uint32_t key = lhs->meta().key;
              if (key == NFT_META_SECMARK && val->kind != Kind::ct) {
                Stmt* st = ir.stmt(StmtType::objref, span);
                st->as<ObjrefStmt>() = {NFT_OBJECT_SECMARK, val};
                return st;
              }
              Stmt* st = ir.stmt(StmtType::meta, span);
              st->as<MetaStmt>() = {key, val};
              return st;
            }
            case Kind::ct: {
              std::uint32_t key = lhs->ct().key;
              if (key == NFT_CT_HELPER && lhs->ct().direction < 0) {
                Stmt* st = ir.stmt(StmtType::objref, span);
                st->as<ObjrefStmt>() = {NFT_OBJECT_CT_HELPER, val};
                return st;
              }
              Stmt* st = ir.stmt(StmtType::ct, span);
              st->as<CtStmt>() = {key, lhs->ct().direction, val};
              return st;
            }
            default:
              fail(d.lhs->span, fmt::format("a {} expression cannot be set", kind_name(lhs->kind)));
              return nullptr;
          }
        } else if constexpr (std::is_same_v<T, ast::CounterStmt>) {
          Stmt* st = ir.stmt(StmtType::counter, span);
          st->flags |= kStmtStateful;
          st->as<CounterStmt>() = {d.packets.value_or(0), d.bytes.value_or(0)};
          return st;
        } else if constexpr (std::is_same_v<T, ast::ObjrefStmt>) {
          Expr* name = expr(*d.name);
          if (name == nullptr) return nullptr;
          Stmt* st = ir.stmt(StmtType::objref, span);
          st->as<ObjrefStmt>() = {objref_type(d.kind), name};
          return st;
        } else if constexpr (std::is_same_v<T, ast::LimitStmt>) {
          Stmt* st = ir.stmt(StmtType::limit, span);
          st->flags |= kStmtStateful;
          if (!limit(d.rate, d.mode, st->as<LimitStmt>())) return nullptr;
          return st;
        } else if constexpr (std::is_same_v<T, ast::QuotaStmt>) {
          Stmt* st = ir.stmt(StmtType::quota, span);
          st->flags |= kStmtStateful;
          quota(d.quota, st->as<QuotaStmt>());
          return st;
        } else if constexpr (std::is_same_v<T, ast::ConnlimitStmt>) {
          Stmt* st = ir.stmt(StmtType::connlimit, span);
          st->flags |= kStmtStateful;
          st->as<ConnlimitStmt>() = {static_cast<std::uint32_t>(d.count), d.over ? std::uint32_t{NFT_CONNLIMIT_F_INV} : 0u};
          return st;
        } else if constexpr (std::is_same_v<T, ast::LastStmt>) {
          Stmt* st = ir.stmt(StmtType::last, span);
          st->flags |= kStmtStateful;
          LastStmt& l = st->as<LastStmt>();
          if (d.has_used && !d.never && d.used) {
            if (!time_ms(*d.used, l.used)) return nullptr;
            l.set = 1;
          }
          return st;
        } else if constexpr (std::is_same_v<T, ast::LogStmt>) {
          Stmt* st = ir.stmt(StmtType::log, span);
          LogStmt& l = st->as<LogStmt>();
          if (d.prefix) {
            if (!text(**d.prefix, l.prefix)) return nullptr;
            l.flags |= kLogPrefix;
          }
          if (d.group) l.group = static_cast<std::uint16_t>(*d.group), l.flags |= kLogGroup;
          if (d.snaplen) l.snaplen = static_cast<std::uint32_t>(*d.snaplen), l.flags |= kLogSnaplen;
          if (d.queue_threshold)
            l.qthreshold = static_cast<std::uint16_t>(*d.queue_threshold), l.flags |= kLogQthreshold;
          if (!d.level.empty()) l.level = log_level(d.level), l.flags |= kLogLevel;
          for (std::size_t i = 0; i < d.flags.size(); ++i) {
            std::string_view f = d.flags[i].text;
            if (f == "tcp") continue;
            if (f == "sequence") l.logflags |= NF_LOG_TCPSEQ;
            else if (f == "options") {
              bool ip = i > 0 && d.flags[i - 1].text == "ip";
              l.logflags |= ip ? NF_LOG_IPOPT : NF_LOG_TCPOPT;
            } else if (f == "ip") continue;
            else if (f == "skuid") l.logflags |= NF_LOG_UID;
            else if (f == "ether") l.logflags |= NF_LOG_MACDECODE;
            else if (f == "all") l.logflags |= NF_LOG_MASK;
          }
          return st;
        } else if constexpr (std::is_same_v<T, ast::RejectStmt>) {
          Stmt* st = ir.stmt(StmtType::reject, span);
          RejectStmt& r = st->as<RejectStmt>();
          if (d.with.empty()) {
            r.type = static_cast<std::uint32_t>(-1);
            r.icmp_code = -1;
          } else if (d.with == "tcp") {
            r.type = NFT_REJECT_TCP_RST;
            r.icmp_code = 0;
          } else {
            if (d.with == "icmp") r.family = NFPROTO_IPV4, r.type = NFT_REJECT_ICMP_UNREACH;
            else if (d.with == "icmpv6") r.family = NFPROTO_IPV6, r.type = NFT_REJECT_ICMP_UNREACH;
            else r.type = NFT_REJECT_ICMPX_UNREACH;
            r.expr = expr(*d.code);
            if (r.expr == nullptr) return nullptr;
            r.expr->dtype = d.with == "icmp"     ? &reject_icmp_code_type
                            : d.with == "icmpv6" ? &reject_icmpv6_code_type
                                                 : &reject_icmpx_code_type;
            r.icmp_code = 0;
          }
          return st;
        } else if constexpr (std::is_same_v<T, ast::NatStmt>) {
          Stmt* st = ir.stmt(StmtType::nat, span);
          NatStmt& n = st->as<NatStmt>();
          n.type = d.kind == ast::NatKind::snat   ? kNatSnat
                   : d.kind == ast::NatKind::dnat ? kNatDnat
                   : d.kind == ast::NatKind::masquerade ? kNatMasq
                                                        : kNatRedir;
          if (d.family == "ip") n.family = NFPROTO_IPV4;
          else if (d.family == "ip6") n.family = NFPROTO_IPV6;
          if (d.addr) {
            n.addr = expr(*d.addr);
            if (n.addr == nullptr) return nullptr;
          }
          if (d.port) {
            n.proto = expr(*d.port);
            if (n.proto == nullptr) return nullptr;
          }
          // redirect to PORT: the argument is the port.
          if (n.type == kNatRedir && n.addr && !n.proto) std::swap(n.addr, n.proto);
          if (d.addr_port_map) n.type_flags = kNatFlagConcat;
          if (d.prefix) {
            n.type_flags = kNatFlagPrefix;
            n.flags |= NF_NAT_RANGE_NETMAP;
          }
          // Flags given replace the ones the form implies, as in nft.
          if (!d.flags.empty()) n.flags = 0;
          for (const ast::Ident& f : d.flags) {
            if (f.text == "random") n.flags |= NF_NAT_RANGE_PROTO_RANDOM;
            else if (f.text == "fully-random") n.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
            else if (f.text == "persistent") n.flags |= NF_NAT_RANGE_PERSISTENT;
          }
          return st;
        } else if constexpr (std::is_same_v<T, ast::TproxyStmt>) {
          Stmt* st = ir.stmt(StmtType::tproxy, span);
          TproxyStmt& t = st->as<TproxyStmt>();
          if (d.family == "ip") t.family = NFPROTO_IPV4;
          else if (d.family == "ip6") t.family = NFPROTO_IPV6;
          if (d.addr && (t.addr = expr(*d.addr)) == nullptr) return nullptr;
          if (d.port && (t.port = expr(*d.port)) == nullptr) return nullptr;
          return st;
        } else if constexpr (std::is_same_v<T, ast::QueueStmt>) {
          Stmt* st = ir.stmt(StmtType::queue, span);
          QueueStmt& q = st->as<QueueStmt>();
          for (const ast::Ident& f : d.flags) {
            if (f.text == "bypass") q.flags |= NFT_QUEUE_FLAG_BYPASS;
            else if (f.text == "fanout") q.flags |= NFT_QUEUE_FLAG_CPU_FANOUT;
          }
          if (d.num && (q.queue = expr(*d.num)) == nullptr) return nullptr;
          return st;
        } else if constexpr (std::is_same_v<T, ast::DupStmt>) {
          Stmt* st = ir.stmt(StmtType::dup, span);
          DupStmt& dp = st->as<DupStmt>();
          if ((dp.to = expr(*d.addr)) == nullptr) return nullptr;
          if (d.dev && (dp.dev = expr(*d.dev)) == nullptr) return nullptr;
          return st;
        } else if constexpr (std::is_same_v<T, ast::FwdStmt>) {
          Stmt* st = ir.stmt(StmtType::fwd, span);
          FwdStmt& f = st->as<FwdStmt>();
          if (d.family.empty()) {
            if ((f.dev = expr(*d.to)) == nullptr) return nullptr;
          } else {
            f.family = d.family == "ip" ? NFPROTO_IPV4 : NFPROTO_IPV6;
            if ((f.addr = expr(*d.to)) == nullptr) return nullptr;
            if (d.dev && (f.dev = expr(*d.dev)) == nullptr) return nullptr;
          }
          return st;
        } else if constexpr (std::is_same_v<T, ast::SetStmt>) {
          Expr* set = expr(*d.set);
          Expr* key = set ? set_elem(*d.key) : nullptr;
          if (key == nullptr) return nullptr;
          std::uint32_t op = d.op == ast::SetOp::add      ? NFT_DYNSET_OP_ADD
                             : d.op == ast::SetOp::update ? NFT_DYNSET_OP_UPDATE
                                                          : NFT_DYNSET_OP_DELETE;
          std::vector<Stmt*> stmts;
          for (const ast::Stmt* x : d.stmts) {
            Stmt* y = stmt(*x);
            if (y == nullptr) return nullptr;
            stmts.push_back(y);
          }
          if (d.data) {
            Expr* data = set_elem(*d.data);
            if (data == nullptr) return nullptr;
            Stmt* st = ir.stmt(StmtType::map, span);
            st->as<MapStmt>() = {set, key, data, std::move(stmts), op};
            return st;
          }
          Stmt* st = ir.stmt(StmtType::set, span);
          st->as<SetStmt>() = {set, key, std::move(stmts), op};
          return st;
        } else if constexpr (std::is_same_v<T, ast::MeterStmt>) {
          Expr* key = set_elem(*d.key);
          Stmt* inner = key ? stmt(*d.stmt) : nullptr;
          if (inner == nullptr) return nullptr;
          Stmt* st = ir.stmt(StmtType::meter, span);
          MeterStmt& m = st->as<MeterStmt>();
          m.key = key;
          m.stmt = inner;
          m.name = std::string(d.name.text);
          m.size = static_cast<std::uint32_t>(d.size.value_or(0));
          return st;
        } else if constexpr (std::is_same_v<T, ast::NotrackStmt>) {
          return ir.stmt(StmtType::notrack, span);
        } else if constexpr (std::is_same_v<T, ast::FlowOffloadStmt>) {
          Stmt* st = ir.stmt(StmtType::flow_offload, span);
          st->as<FlowStmt>().table_name = std::string(d.flowtable.text);
          return st;
        } else if constexpr (std::is_same_v<T, ast::SynproxyStmt>) {
          Stmt* st = ir.stmt(StmtType::synproxy, span);
          SynproxyStmt& sp = st->as<SynproxyStmt>();
          if (d.mss) sp.mss = static_cast<std::uint16_t>(*d.mss), sp.flags |= NF_SYNPROXY_OPT_MSS;
          if (d.wscale) sp.wscale = static_cast<std::uint8_t>(*d.wscale), sp.flags |= NF_SYNPROXY_OPT_WSCALE;
          if (d.timestamp) sp.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
          if (d.sack_perm) sp.flags |= NF_SYNPROXY_OPT_SACK_PERM;
          return st;
        } else if constexpr (std::is_same_v<T, ast::ChainStmt>) {
          // An anonymous chain: built and evaluated by the analyzer.
          Chain* chain = ir.make<Chain>();
          chain->anonymous = true;
          chain->span = span;
          for (const ast::RuleDecl* r : d.rules) {
            Rule* rule = this->rule(*r, chain);
            if (rule == nullptr) return nullptr;
            chain->rules.push_back(rule);
          }
          Stmt* st = ir.stmt(StmtType::chain, span);
          st->as<ChainStmt>().chain = chain;
          std::int32_t code = d.kind == ast::VerdictKind::jump ? kVerdictJump : kVerdictGoto;
          st->as<ChainStmt>().expr = verdict_expr(ir, span, code, nullptr);
          return st;
        } else if constexpr (std::is_same_v<T, ast::OptstripStmt>) {
          Expr* opt = exthdr_selector(*d.option);
          if (opt == nullptr) return nullptr;
          Stmt* st = ir.stmt(StmtType::optstrip, span);
          st->as<OptstripStmt>().expr = opt;
          return st;
        } else if constexpr (std::is_same_v<T, ast::XtStmt>) {
          fail(span, "xt statements (translated iptables extensions) cannot be compiled: nft lists them but "
                     "cannot add them either");
          return nullptr;
        } else {
          return nullptr;
        }
      });
}

bool Builder::limit(const ast::RateSpec& rate, std::string_view mode, LimitStmt& l) {
  l.unit = time_unit_seconds(rate.time_unit);
  l.flags = mode == "over" ? NFT_LIMIT_F_INV : 0;
  if (rate.rate_unit.empty()) {
    l.rate = rate.rate;
    l.type = NFT_LIMIT_PKTS;
    l.burst = static_cast<std::uint32_t>(rate.burst.value_or(5));
    if (l.burst == 0) return fail(rate.span, "packet limit burst must be > 0");
  } else {
    l.rate = rate.rate * bytes_unit(rate.rate_unit);
    l.type = NFT_LIMIT_PKT_BYTES;
    l.burst = static_cast<std::uint32_t>(rate.burst ? *rate.burst * bytes_unit(rate.burst_unit) : 0);
  }
  return true;
}

void Builder::quota(const ast::QuotaSpec& spec, QuotaStmt& q) {
  q.bytes = spec.value * bytes_unit(spec.unit);
  q.used = spec.used ? *spec.used * bytes_unit(spec.used_unit) : 0;
  q.flags = spec.mode == "over" ? NFT_QUOTA_F_INV : 0;
}

Rule* Builder::rule(const ast::RuleDecl& r, Chain* chain) {
  Rule* rule = ctx_.ir.make<Rule>();
  rule->span = r.span;
  rule->chain = chain;
  if (!r.comment.empty()) {
    rule->comment = std::string(r.comment.text);
    rule->has_comment = true;
  }
  for (const ast::Stmt* s : r.stmts) {
    Stmt* st = stmt(*s);
    if (st == nullptr) return nullptr;
    rule->stmts.push_back(st);
  }
  return rule;
}

}  // namespace nftc::sema
