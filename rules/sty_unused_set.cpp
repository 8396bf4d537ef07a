// STY002: named sets and maps nothing refers to.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_sets(const LintContext& ctx, Findings& out) {
  Uses u = collect_uses(ctx);
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    for (const sema::Set* s : t->sets) {
      if (s->anonymous() || u.sets.count(s)) continue;
      std::string_view kind = (s->flags & (NFT_SET_MAP | NFT_SET_OBJECT)) ? "map" : "set";
      out.report(s->span, fmt::format("{} '{}' is never used: no rule of table {} refers to it", kind, s->name, t->name))
          .with_help(fmt::format("refer to it with @{} in a rule, or delete it", s->name));
    }
  }
}

}  // namespace

const LintRule kUnusedSet{
    .code = "STY002",
    .slug = "unused-set",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a named set or map is never referred to",
    .doc = {.what = "Finds named sets and maps that no rule refers to (lookups, maps, verdict maps, `add @set`, "
                    "object maps).",
            .why = "Elements added to a set nothing reads change nothing: often a rule refers to a misspelt or "
                   "renamed set in another table.",
            .example = "set blocklist { type ipv4_addr; }\nchain input { type filter hook input priority filter; }",
            .instead = "set blocklist { type ipv4_addr; }\nchain input { type filter hook input priority filter; ip "
                       "saddr @blocklist drop }",
            .fix_safety = "No automatic fix."},
    .check = check_sets,
};

}  // namespace nftc::lint
