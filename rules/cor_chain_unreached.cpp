// COR005: regular chains that no base chain can reach.
#include <fmt/format.h>

#include <set>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_cor_chain_unreached(const LintContext& ctx, Findings& out) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    std::set<std::string> reached;
    std::vector<const sema::Chain*> work;
    for (const sema::Chain* c : t->chains)
      if (c->base) work.push_back(c);
    // Elements added to verdict maps by `add element` commands: counted as
    // reached without asking whether a reached rule looks the map up.
    for (const sema::Action& a : ctx.analysis.actions) {
      if (a.kind != sema::Action::Kind::add_elements || a.table != t) continue;
      for (const std::string& target : verdict_chains(a.elements)) {
        if (!reached.insert(target).second) continue;
        for (const sema::Chain* next : t->chains)
          if (next->name == target) work.push_back(next);
      }
    }
    while (!work.empty()) {
      const sema::Chain* c = work.back();
      work.pop_back();
      for (const sema::Rule* r : c->rules) {
        for (const std::string& target : rule_targets(*r)) {
          if (!reached.insert(target).second) continue;
          for (const sema::Chain* next : t->chains)
            if (next->name == target) work.push_back(next);
        }
      }
    }
    for (const sema::Chain* c : t->chains) {
      if (c->base || reached.count(c->name)) continue;
      Diagnostic& d = out.report(c->name_span.valid() ? c->name_span : c->span, fmt::format("chain '{}' is never used: no base chain of table {} jumps or "
                                                      "goes to it",
                                                      c->name, t->name));
      d.with_help(c->rules.empty() ? "delete it, or jump to it from a base chain"
                                   : "its rules never see a packet: jump to it from a base chain, or delete it");
    }
  }
}

}  // namespace

const LintRule kChainNeverReached{
    .code = "COR005",
    .slug = "chain-never-reached",
    .category = Category::correctness,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a regular chain is not reached from any base chain of its table",
    .doc = {.what = "Follows every jump and goto (verdict maps included) from the base chains of each table and "
                    "reports the regular chains never reached.",
            .why = "Packets only enter a chain with a hook or through a jump; the rules of an unreached chain never "
                   "run. It is often a typo in a jump target or a forgotten jump.",
            .example = "chain input { type filter hook input priority filter; }\nchain ssh_filter { tcp dport 22 "
                       "accept }",
            .instead = "chain input { type filter hook input priority filter; jump ssh_filter }\nchain ssh_filter { "
                       "tcp dport 22 accept }",
            .fix_safety = "No automatic fix."},
    .check = check_cor_chain_unreached,
};

}  // namespace nftc::lint
