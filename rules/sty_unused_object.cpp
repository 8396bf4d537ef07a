// STY004: named stateful objects nothing refers to.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

std::string_view object_word(std::uint32_t type) {
  switch (type) {
    case NFT_OBJECT_COUNTER: return "counter";
    case NFT_OBJECT_QUOTA: return "quota";
    case NFT_OBJECT_LIMIT: return "limit";
    case NFT_OBJECT_CT_HELPER: return "ct helper";
    case NFT_OBJECT_CT_TIMEOUT: return "ct timeout";
    case NFT_OBJECT_CT_EXPECT: return "ct expectation";
    case NFT_OBJECT_SECMARK: return "secmark";
    case NFT_OBJECT_SYNPROXY: return "synproxy";
    default: return "object";
  }
}

void check_objects(const LintContext& ctx, Findings& out) {
  Uses u = collect_uses(ctx);
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Object* o : t->objects)
      if (!u.objects.count({t, o->type, o->name}))
        out.report(o->span, fmt::format("{} '{}' is never used: no rule or map of table {} refers to it",
                                        object_word(o->type), o->name, t->name))
            .with_help(o->type == NFT_OBJECT_COUNTER ? fmt::format("count with `counter name {}` in a rule", o->name)
                                                     : std::string("refer to it from a rule, or delete it"));
}

}  // namespace

const LintRule kUnusedObject{
    .code = "STY004",
    .slug = "unused-object",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a named counter, quota, limit or other stateful object is never referred to",
    .doc = {.what = "Finds named stateful objects that no rule or object map refers to.",
            .why = "A named counter counts only the rules that name it: unreferenced, it stays at zero and hides "
                   "that the rule meant to use it names another object.",
            .example = "counter http_hits {}\nchain input { type filter hook input priority filter; tcp dport 80 "
                       "accept }",
            .instead = "counter http_hits {}\nchain input { type filter hook input priority filter; tcp dport 80 "
                       "counter name http_hits accept }",
            .fix_safety = "No automatic fix."},
    .check = check_objects,
};

}  // namespace nftc::lint
