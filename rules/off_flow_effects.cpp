// OFF027–OFF028: what flow offloading never does or silently skips: flows of
// protocols and connections the kernel never offloads, and statements the
// offloaded packets no longer pass through.
#include "rules/offload.hpp"
#include "rules/rules.hpp"

#include <fmt/format.h>

namespace nftc::lint {

namespace {

bool protocol_field(const Field& f) {
  return f.id == fields::meta(NFT_META_L4PROTO) || f.id == fields::ip_protocol() || f.id == fields::ip6_nexthdr();
}

std::string protocol_name(std::uint64_t p) {
  switch (p) {
    case 1: return "icmp";
    case 2: return "igmp";
    case 33: return "dccp";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "icmpv6";
    case 132: return "sctp";
    case 136: return "udplite";
    default: return std::to_string(p);
  }
}

bool table_has_flow_add(const sema::Table& t) {
  for (const sema::Chain* c : t.chains)
    for (const sema::Rule* r : c->rules)
      for (const sema::Stmt* s : r->stmts)
        if (offload_lint::is_flow_add(s)) return true;
  return false;
}

void check_never(const LintContext& ctx, Findings& out) {
  unsigned k = offload_lint::kernel(ctx);
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    if (!table_has_flow_add(*t)) continue;
    for (const sema::Chain* c : t->chains)
      for (const sema::Rule* r : c->rules) {
        bool flow = false;
        for (const sema::Stmt* s : r->stmts) {
          flow = flow || offload_lint::is_flow_add(s);
          if (s->type == sema::StmtType::objref && s->as<sema::ObjrefStmt>().type == NFT_OBJECT_CT_HELPER)
            out.report(s->span, "connections with a conntrack helper are never offloaded: their packets always "
                                "take the slow path",
                       Severity::info)
                .with_help("expected for FTP, SIP and the like; assign helpers only to the ports that need them");
        }
        if (!flow) continue;
        RuleModel m = model_rule(*r);
        for (const Match& match : m.matches) {
          if (!match.exact || !protocol_field(match.field)) continue;
          std::vector<std::string> bad;
          for (const auto& [lo, hi] : match.allowed.ranges())
            for (std::uint64_t p = lo.u64(); p <= hi.u64() && bad.size() < 4; ++p)
              if (!offload::flow_protocol_ok(static_cast<std::uint8_t>(p), k)) bad.push_back(protocol_name(p));
          if (bad.empty()) continue;
          std::string names;
          for (const std::string& b : bad) names += (names.empty() ? "" : ", ") + b;
          out.report(match.span,
                     fmt::format("the flowtable offloads TCP and UDP{} only: flows of protocol {} are never "
                                 "offloaded",
                                 k >= offload::version(5, 18) ? " (and GRE without NAT)" : "", names),
                     Severity::warning)
              .with_help("match `meta l4proto { tcp, udp }` before `flow add`");
        }
      }
  }
}

// Statements whose effect offloaded packets skip.
std::string_view bypassed(const sema::Stmt* s) {
  switch (s->type) {
    case sema::StmtType::counter: return "counter";
    case sema::StmtType::limit: return "limit";
    case sema::StmtType::log: return "log";
    case sema::StmtType::quota: return "quota";
    case sema::StmtType::meta: return "meta set";
    case sema::StmtType::payload: return "header change";
    case sema::StmtType::ct: return "ct set";
    case sema::StmtType::objref: return "named object";
    default: return {};
  }
}

// A rule only new or invalid connections reach: offloaded packets would not
// match it anyway.
bool only_unestablished(const sema::Rule& r) {
  RuleModel m = model_rule(r);
  Probe established;
  established.with(fields::ct_state(), sema::Value(2));
  for (const Match& match : m.matches)
    if (match.exact && is_ct_state(match.field)) return !probe_may_match(m, established);
  return false;
}

void report_rule(const sema::Rule& r, std::size_t from, const sema::Stmt& flow, Findings& out) {
  if (only_unestablished(r)) return;
  for (std::size_t i = from; i < r.stmts.size(); ++i) {
    std::string_view what = bypassed(r.stmts[i]);
    if (what.empty()) continue;
    out.report(r.stmts[i]->span,
               fmt::format("packets of offloaded flows skip this {}: once `flow add` has offloaded a connection, its "
                           "packets bypass the forward and postrouting chains",
                           what))
        .with_related(flow.span, "flows are offloaded here")
        .with_help("count with the flowtable's `counter;` and keep per-packet work before `flow add` or for flows "
                   "that are not offloaded");
  }
}

void check_bypassed(const LintContext& ctx, Findings& out) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    if (t->family != sema::Family::ip && t->family != sema::Family::ip6 && t->family != sema::Family::inet) continue;
    const sema::Stmt* first_flow = nullptr;
    for (const sema::Chain* c : t->chains) {
      if (!c->base || c->hooknum != NF_INET_FORWARD) continue;
      bool after = false;
      for (const sema::Rule* r : c->rules) {
        if (after) {
          report_rule(*r, 0, *first_flow, out);
          continue;
        }
        for (std::size_t i = 0; i < r->stmts.size(); ++i)
          if (offload_lint::is_flow_add(r->stmts[i])) {
            after = true;
            if (!first_flow) first_flow = r->stmts[i];
            report_rule(*r, i + 1, *r->stmts[i], out);
            break;
          }
      }
    }
    if (first_flow == nullptr) continue;
    for (const sema::Chain* c : t->chains)
      if (c->base && c->hooknum == NF_INET_POST_ROUTING)
        for (const sema::Rule* r : c->rules) report_rule(*r, 0, *first_flow, out);
  }
}

}  // namespace

const LintRule kFlowNeverOffloaded{
    .code = "OFF027",
    .slug = "flow-never-offloaded",
    .category = Category::offload,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "`flow add` for flows the kernel never offloads",
    .doc = {.what = "Finds `flow add` rules that let through protocols other than TCP, UDP and (from Linux 5.18) "
                    "GRE, and, in tables that offload flows, connections given a conntrack helper (reported as "
                    "information).",
            .why = "The kernel offloads only TCP, UDP and GREv0 without NAT, and never a connection with a helper "
                   "(FTP, SIP, ...): for those `flow add` silently does nothing.",
            .example = "meta l4proto { tcp, udp, icmp } flow add @ft",
            .instead = "meta l4proto { tcp, udp } flow add @ft",
            .fix_safety = "No automatic fix."},
    .check = check_never,
};

const LintRule kFlowBypassed{
    .code = "OFF028",
    .slug = "statement-bypassed-by-flow-offload",
    .category = Category::offload,
    .severity = Severity::info,
    .since = "0.1",
    .summary = "a statement offloaded flows skip",
    .doc = {.what = "In tables that offload flows, finds counters, limits, quotas, logs, mark and header changes "
                    "after the `flow add` rule of a forward chain and in postrouting chains, except in rules only "
                    "new or invalid connections reach.",
            .why = "Once a connection is in the flowtable, its packets go from ingress straight to the output "
                   "device: they skip every later forward rule and the postrouting chains. Counters stop counting, "
                   "limits stop limiting, DSCP and marks are no longer set, and nothing says so.",
            .example = "meta l4proto { tcp, udp } flow add @ft\nct state established,related counter accept",
            .instead = "flowtable ft { hook ingress priority 0; devices = { eth0, eth1 }; counter; }\n...\nmeta l4proto { "
                       "tcp, udp } flow add @ft\nct state established,related accept",
            .fix_safety = "No automatic fix."},
    .check = check_bypassed,
};

}  // namespace nftc::lint
