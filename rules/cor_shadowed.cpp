// COR002: a rule whose every packet an earlier rule of the chain already
// decided.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

std::string_view verdict_past(VerdictKind v) {
  switch (v) {
    case VerdictKind::accept: return "accepted";
    case VerdictKind::drop: return "dropped";
    case VerdictKind::reject: return "rejected";
    case VerdictKind::queue: return "queued";
    case VerdictKind::goto_: return "sent to another chain";
    case VerdictKind::return_: return "returned";
    case VerdictKind::nat: return "translated";
    default: return "decided";
  }
}


void check_cor_shadowed(const LintContext& ctx, Findings& out) {
  for (const ChainView& v : chain_views(ctx)) {
    for (std::size_t j = 1; j < v.rules.size(); ++j) {
      if (contradiction(merge_fields(v.rules[j])) != nullptr) continue;  // never matches at all: COR004
      for (std::size_t i = 0; i < j; ++i) {
        const RuleModel& a = v.rules[i];
        const RuleModel& b = v.rules[j];
        if (!a.terminal || a.matches.empty()) continue;  // unconditional: COR001
        if (same_rule(ctx, a.rule, b.rule)) continue;  // duplicates: COR003
        if (!covers(a, b)) continue;
        bool same_verdict = a.verdict == b.verdict && a.target == b.target && b.terminal && !b.side_effects;
        std::string msg =
            same_verdict
                ? fmt::format("this rule is redundant: every packet it matches is already {} by {}",
                              verdict_past(a.verdict), rule_place(ctx, a.rule->span))
                : fmt::format("this rule never matches: every packet it would match is {} earlier by {}",
                              verdict_past(a.verdict), rule_place(ctx, a.rule->span));
        Diagnostic& d = out.report(b.rule->span, std::move(msg));
        d.with_related(a.rule->span, "matches everything the later rule matches");
        d.with_help(same_verdict ? "delete the redundant rule"
                                 : "move the more specific rule before the more general one, or narrow the earlier "
                                   "rule");
        break;
      }
    }
  }
}

}  // namespace

const LintRule kShadowedRule{
    .code = "COR002",
    .slug = "shadowed-rule",
    .category = Category::correctness,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "every packet a rule matches is already accepted, dropped or otherwise decided by an earlier rule",
    .doc = {.what = "Compares each rule with the earlier rules of its chain that end the chain (accept, drop, "
                    "reject, queue, goto, return, NAT). When an earlier rule matches every packet the later one "
                    "matches, the later rule can never act. The comparison is exact over addresses and prefixes, "
                    "ports and ranges, protocols, interfaces, connection states, marks and anonymous sets; rules "
                    "with named sets, limits, quotas or bit tests are compared only when written identically, and "
                    "otherwise left alone.",
            .why = "A later, more specific rule that never fires usually means the rules are in the wrong order: "
                   "the exception (drop this host) is written after the general case (accept the network).",
            .example = "ip saddr 10.0.0.0/8 accept\nip saddr 10.1.2.3 drop",
            .instead = "ip saddr 10.1.2.3 drop\nip saddr 10.0.0.0/8 accept",
            .fix_safety = "No automatic fix: reordering changes what the ruleset does."},
    .check = check_cor_shadowed,
};

}  // namespace nftc::lint
