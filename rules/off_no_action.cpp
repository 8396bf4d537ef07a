// OFF003: a rule of an offload chain without accept, drop, fwd or dup.
#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_off_no_action(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const offload_lint::RuleCheck& rc : offload_lint::check_rules(ctx, *c))
      for (const offload::Problem& p : rc.verdict.problems)
        if (p.reason == offload::Reason::no_action)
          out.report(rc.rule->span, p.message, offload_lint::refused(ctx))
              .with_help("end the rule with `accept` (it then stops the chain for matching packets) or `drop`");
}

}  // namespace

const LintRule kOffloadNoAction{
    .code = "OFF003",
    .slug = "offload-rule-without-action",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "a rule of an offload chain has no accept, drop, fwd or dup",
    .doc = {.what = "In chains with `flags offload`, finds rules without an action the hardware can take: an "
                    "`accept` or `drop` verdict, `fwd to \"dev\"` or `dup to \"dev\"`. A rule that only counts "
                    "(`ip saddr 10.0.0.1 counter`) is one of them.",
            .why = "The kernel refuses to offload a rule with no action (since Linux 5.4): the hardware "
                   "classifier needs something to do with the packets it matches.",
            .example = "ip saddr 10.0.0.1 counter",
            .instead = "ip saddr 10.0.0.1 counter accept",
            .fix_safety = "No automatic fix: adding `accept` stops the chain for the matching packets, which "
                          "changes what later rules see."},
    .check = check_off_no_action,
};

}  // namespace nftc::lint
