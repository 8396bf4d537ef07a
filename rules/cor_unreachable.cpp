// COR001: rules after a rule that ends the chain for every packet.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

std::string_view verdict_word(VerdictKind v) {
  switch (v) {
    case VerdictKind::accept: return "accepts";
    case VerdictKind::drop: return "drops";
    case VerdictKind::reject: return "rejects";
    case VerdictKind::queue: return "queues";
    case VerdictKind::goto_: return "goes to another chain with";
    case VerdictKind::return_: return "returns";
    case VerdictKind::nat: return "translates and accepts";
    default: return "ends the chain for";
  }
}

void check_cor_unreachable(const LintContext& ctx, Findings& out) {
  for (const ChainView& v : chain_views(ctx)) {
    for (std::size_t i = 0; i + 1 < v.rules.size(); ++i) {
      const RuleModel& m = v.rules[i];
      if (!m.terminal || m.opaque || !m.matches.empty()) continue;
      std::size_t rest = v.rules.size() - i - 1;
      const sema::Rule* next = v.rules[i + 1].rule;
      Diagnostic& d = out.report(next->span, rest == 1 ? std::string("this rule is never reached")
                                                       : fmt::format("this rule and the {} after it are never reached",
                                                                     rest - 1));
      d.with_related(m.rule->span, fmt::format("this rule {} every packet", verdict_word(m.verdict)));
      d.with_help("move the rules before the unconditional verdict, or delete them");
      break;
    }
  }
}

}  // namespace

const LintRule kRuleAfterUnconditionalVerdict{
    .code = "COR001",
    .slug = "rule-after-unconditional-verdict",
    .category = Category::correctness,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a rule comes after a rule that accepts, drops or otherwise ends the chain for every packet",
    .doc = {.what = "Finds rules that follow, in the same chain, a rule with no match at all and a verdict that "
                    "ends the chain (accept, drop, reject, queue, goto, return, a NAT statement).",
            .why = "No packet ever reaches the later rules: whatever they were meant to do does not happen, and "
                   "the mistake is silent.",
            .example = "chain input {\n    type filter hook input priority filter; policy drop;\n    accept\n    "
                       "tcp dport 22 drop\n}",
            .instead = "chain input {\n    type filter hook input priority filter; policy drop;\n    tcp dport 22 "
                       "drop\n    accept\n}",
            .fix_safety = "No automatic fix: whether the rules or the unconditional verdict is the mistake is the "
                          "author's call."},
    .check = check_cor_unreachable,
};

}  // namespace nftc::lint
