// OFF007: `insert rule` or `replace rule` into an offload chain.
#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_off_rule_inserted(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx)) {
    if (c->family != sema::Family::netdev) continue;  // the kernel offloads (and checks) netdev chains only
    for (const sema::Rule* r : c->rules) {
      bool replace = !r->insert && r->handle && !r->position && !r->index;
      if (!r->insert && !replace) continue;
      out.report(r->span,
                 replace ? "a rule replaced in a chain with flags offload: the kernel refuses it when the batch is "
                           "committed (`nft -c` does not notice)"
                         : "a rule inserted into a chain with flags offload: the kernel refuses it when the batch is "
                           "committed (`nft -c` does not notice)",
                 offload_lint::refused(ctx))
          .with_help("offload chains take rules in append order only: rebuild the chain (delete it and add its rules "
                     "with `add rule`)");
    }
  }
}

}  // namespace

const LintRule kOffloadRuleInserted{
    .code = "OFF007",
    .slug = "offload-rule-inserted",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "`insert rule` or `replace rule` into an offload chain",
    .doc = {.what = "Finds `insert rule` and `replace rule` commands whose chain has `flags offload`.",
            .why = "The kernel offloads rules only in append order and refuses inserted and replaced ones, but "
                   "only in the commit phase: `nft -c` (and `nftc apply --check`) passes the batch, loading it "
                   "fails with \"Operation not supported\".",
            .example = "insert rule netdev filter ingress ip saddr 10.0.0.1 drop",
            .instead = "add rule netdev filter ingress ip saddr 10.0.0.1 drop",
            .fix_safety = "No automatic fix: `add` puts the rule last, which changes the order."},
    .check = check_off_rule_inserted,
};

}  // namespace nftc::lint
