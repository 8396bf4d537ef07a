// COR004: matches in one rule that no packet can satisfy together.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_cor_never_true(const LintContext& ctx, Findings& out) {
  for (const ChainView& v : chain_views(ctx)) {
    for (const RuleModel& m : v.rules) {
      std::vector<MergedField> fields = merge_fields(m);
      const MergedField* f = contradiction(fields);
      if (f == nullptr || f->matches.empty()) continue;
      const Match* last = f->matches.back();
      std::string_view what = last->expr && last->expr->left ? ctx.text(last->expr->left->span) : std::string_view{};
      std::string msg = what.empty() ? std::string("this rule can never match: its matches contradict each other")
                                     : fmt::format("this rule can never match: no packet satisfies every match on "
                                                   "'{}'",
                                                   what);
      Diagnostic& d = out.report(last->span, std::move(msg));
      for (std::size_t i = 0; i + 1 < f->matches.size(); ++i) d.with_related(f->matches[i]->span, "contradicts this");
      d.with_help("a rule matches when all its matches hold; to match either value, use a set: { a, b }");
    }
  }
}

}  // namespace

const LintRule kMatchNeverTrue{
    .code = "COR004",
    .slug = "match-never-true",
    .category = Category::correctness,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a rule's matches contradict each other, so it never matches",
    .doc = {.what = "Finds rules that constrain the same field twice in ways no packet satisfies at once "
                    "(`ip saddr 1.1.1.1 ip saddr 2.2.2.2`, `tcp dport 22 tcp dport != 22`).",
            .why = "All matches of a rule must hold together. Writing two values usually means either was meant, "
                   "and the rule silently does nothing.",
            .example = "ip saddr 1.1.1.1 ip saddr 2.2.2.2 accept",
            .instead = "ip saddr { 1.1.1.1, 2.2.2.2 } accept",
            .fix_safety = "No automatic fix."},
    .check = check_cor_never_true,
};

}  // namespace nftc::lint
