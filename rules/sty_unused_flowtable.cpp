// STY003: flowtables no `flow add` uses.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_flowtables(const LintContext& ctx, Findings& out) {
  Uses u = collect_uses(ctx);
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Flowtable* f : t->flowtables)
      if (!u.flowtables.count({t, f->name}))
        out.report(f->span, fmt::format("flowtable '{}' is never used: no `flow add @{}` sends connections to it",
                                        f->name, f->name))
            .with_help(fmt::format("add `meta l4proto {{ tcp, udp }} flow add @{}` to a forward chain", f->name));
}

}  // namespace

const LintRule kUnusedFlowtable{
    .code = "STY003",
    .slug = "unused-flowtable",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a flowtable is never the target of `flow add`",
    .doc = {.what = "Finds flowtables no `flow add @name` statement of their table uses.",
            .why = "A flowtable only speeds up connections a rule sends to it; on its own it does nothing, and "
                   "`flags offload` on it offloads nothing.",
            .example = "flowtable ft { hook ingress priority filter; devices = { eth0, eth1 }; }",
            .instead = "flowtable ft { hook ingress priority filter; devices = { eth0, eth1 }; }\nchain forward { "
                       "type filter hook forward priority filter; meta l4proto { tcp, udp } flow add @ft }",
            .fix_safety = "No automatic fix."},
    .check = check_flowtables,
};

}  // namespace nftc::lint
