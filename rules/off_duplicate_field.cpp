// OFF005: one rule of an offload chain matches the same field twice.
#include <fmt/format.h>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_off_duplicate_field(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const offload_lint::RuleCheck& rc : offload_lint::check_rules(ctx, *c)) {
      const auto& keys = rc.verdict.keys;
      for (std::size_t i = 0; i < keys.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
          if (keys[j].name != keys[i].name || !keys[i].span.valid() || keys[i].span == keys[j].span) continue;
          Diagnostic& d = out.report(keys[i].span,
                                     fmt::format("{} is matched twice in one rule: the hardware key keeps only this "
                                                 "last value, while software requires both",
                                                 keys[i].name));
          if (keys[j].span.valid()) d.with_related(keys[j].span, "first matched here");
          d.with_help("keep one match per field; write a rule per value");
          break;
        }
    }
}

}  // namespace

const LintRule kOffloadDuplicateField{
    .code = "OFF005",
    .slug = "offload-duplicate-field",
    .category = Category::offload,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a rule of an offload chain matches one field twice",
    .doc = {.what = "In chains with `flags offload`, finds rules that compare the same header field or meta key "
                    "twice.",
            .why = "The kernel accepts such a rule, but it fills one hardware key per field, so the second "
                   "comparison overwrites the first. Software requires both values (with different values it matches "
                   "nothing), hardware matches only the last: the two disagree on what the rule does.",
            .example = "ip saddr 10.0.0.1 ip saddr 10.0.0.2 drop",
            .instead = "ip saddr 10.0.0.1 drop\nip saddr 10.0.0.2 drop",
            .fix_safety = "No automatic fix."},
    .check = check_off_duplicate_field,
};

}  // namespace nftc::lint
