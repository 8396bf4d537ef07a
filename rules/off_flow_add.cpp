// OFF020–OFF022: `flow add` statements that cannot work or never offload
// TCP: in the wrong chain or family, naming a flowtable the kernel will not
// find, or behind a rule that accepts established connections first.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rules/offload.hpp"
#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

using offload_lint::is_flow_add;

template <typename F>
void each_flow_add(const LintContext& ctx, F&& f) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Chain* c : t->chains)
      for (std::size_t i = 0; i < c->rules.size(); ++i)
        for (const sema::Stmt* s : c->rules[i]->stmts)
          if (is_flow_add(s)) f(*t, *c, i, *s);
}

bool flowtable_family(sema::Family f) {
  return f == sema::Family::ip || f == sema::Family::ip6 || f == sema::Family::inet;
}

void check_place(const LintContext& ctx, Findings& out) {
  each_flow_add(ctx, [&](const sema::Table& t, const sema::Chain& c, std::size_t, const sema::Stmt& s) {
    if (!flowtable_family(t.family)) {
      out.report(s.span, fmt::format("`flow add` in a table of the {} family: flowtables and `flow add` exist in "
                                     "ip, ip6 and inet tables only",
                                     offload::family_name(static_cast<std::uint32_t>(t.family))))
          .with_help("move the flowtable and the `flow add` rule to an inet table's forward chain");
      return;
    }
    offload_lint::Reach reach = offload_lint::forward_reach(t);
    bool forward = std::count(reach.forward.begin(), reach.forward.end(), &c) > 0;
    bool other = std::count(reach.others.begin(), reach.others.end(), &c) > 0;
    if (other) {
      out.report(s.span,
                 c.base ? fmt::format("`flow add` in a chain of the {} hook: the kernel takes it in forward chains "
                                      "only and refuses the ruleset",
                                      c.hook_name)
                        : fmt::format("`flow add` in chain '{}', which a chain of another hook than forward reaches: "
                                      "the kernel refuses the ruleset",
                                      c.name),
                 offload_lint::refused(ctx))
          .with_help("flows are offloaded as they are forwarded: put `flow add` in a `hook forward` chain");
    } else if (!forward) {
      out.report(s.span, fmt::format("`flow add` in chain '{}', which no forward chain reaches: it never runs", c.name),
                 offload_lint::useless(ctx))
          .with_help("jump to this chain from a `hook forward` chain, or move the rule there");
    }
  });
}

// The ct state match of a rule that accepts established connections.
const Match* accepts_established(const RuleModel& r) {
  Probe established;
  established.with(fields::ct_state(), sema::Value(2));  // NF_CT_STATE_ESTABLISHED_BIT
  const Match* state = nullptr;
  for (const Match& m : r.matches)
    if (m.exact && is_ct_state(m.field)) state = &m;
  if (!probe_may_match(r, established)) return nullptr;
  if (state != nullptr && r.verdict == VerdictKind::accept) return state;
  std::string target;
  static const Match whole{};
  if (r.verdict == VerdictKind::vmap)
    if (auto v = vmap_verdict(r, established, target); v && *v == VerdictKind::accept) return state ? state : &whole;
  return nullptr;
}

void check_order(const LintContext& ctx, Findings& out) {
  std::set<const sema::Chain*> reported;  // once per chain: at its first `flow add`
  each_flow_add(ctx, [&](const sema::Table&, const sema::Chain& c, std::size_t i, const sema::Stmt& s) {
    if (!reported.insert(&c).second) return;
    for (std::size_t j = 0; j < i; ++j) {
      RuleModel m = model_rule(*c.rules[j]);
      const Match* state = accepts_established(m);
      if (state == nullptr) continue;
      out.report(state->span.valid() ? state->span : c.rules[j]->span,
                 "established connections are accepted before they reach `flow add`: TCP connections are never "
                 "offloaded (the kernel offloads TCP only once it is established)")
          .with_related(s.span, "never reached by established TCP")
          .with_help("put the `flow add` rule first in the chain, as OpenWrt's fw4 does");
      return;
    }
  });
}

}  // namespace

const LintRule kFlowAddPlace{
    .code = "OFF020",
    .slug = "flow-add-outside-forward",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "`flow add` outside a forward chain, or in a family without flowtables",
    .doc = {.what = "Finds `flow add` (`flow offload`) statements in regular chains no forward chain reaches, and "
                    "in places the kernel refuses that its checks (KRN009, KRN010) have not already reported: "
                    "tables of other families than ip, ip6 and inet, chains a non-forward base chain reaches.",
            .why = "The flowtable fast path takes over forwarded connections: the kernel refuses `flow add` "
                   "anywhere a packet is not being forwarded, and a chain no forward chain reaches never runs it.",
            .example = "chain input {\n  type filter hook input priority filter;\n  meta l4proto { tcp, udp } flow "
                       "add @ft\n}",
            .instead = "chain forward {\n  type filter hook forward priority filter;\n  meta l4proto { tcp, udp } "
                       "flow add @ft\n}",
            .fix_safety = "No automatic fix."},
    .check = check_place,
};

const LintRule kFlowAddAfterEstablished{
    .code = "OFF022",
    .slug = "flow-add-after-established-accept",
    .category = Category::offload,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "established connections are accepted before `flow add`",
    .doc = {.what = "Finds a rule that accepts `ct state established` packets (directly or through a ct state "
                    "verdict map) before the `flow add` rule of the same chain.",
            .why = "The kernel offloads a TCP connection only from a packet that belongs to an established, "
                   "assured connection. If such packets are accepted earlier, `flow add` only ever sees the first "
                   "packets of a connection and TCP is never offloaded (UDP only by chance), silently.",
            .example = "ct state established,related accept\nmeta l4proto { tcp, udp } flow add @ft",
            .instead = "meta l4proto { tcp, udp } flow add @ft\nct state established,related accept",
            .fix_safety = "No automatic fix: moving rules changes their order."},
    .check = check_order,
};

}  // namespace nftc::lint
