// COR003: a rule identical to an earlier rule of the same chain.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

// What the kernel sees of a rule, without the per-batch set ids that make
// two identical rules with anonymous sets differ.
std::vector<bc::Expr> normalised(const bc::Rule& r) {
  std::vector<bc::Expr> out = r.exprs;
  for (bc::Expr& e : out) {
    std::visit(
        [](auto& k) {
          if constexpr (requires { k.set_id; }) k.set_id = 0;
        },
        e.kind);
  }
  return out;
}

bool same_sets(const bc::Rule& a, const bc::Rule& b) {
  if (a.anonymous_sets.size() != b.anonymous_sets.size()) return false;
  for (std::size_t i = 0; i < a.anonymous_sets.size(); ++i) {
    bc::Set x = a.anonymous_sets[i], y = b.anonymous_sets[i];
    x.id = y.id = 0;
    if (!(x == y)) return false;
  }
  return true;
}

}  // namespace

bool same_rule(const LintContext& ctx, const sema::Rule* x, const sema::Rule* y) {
  const bc::Rule* a = ctx.bytecode_of(x);
  const bc::Rule* b = ctx.bytecode_of(y);
  return a && b && normalised(*a) == normalised(*b) && same_sets(*a, *b);
}

namespace {

void check_cor_duplicate(const LintContext& ctx, Findings& out) {
  for (const ChainView& v : chain_views(ctx)) {
    for (std::size_t j = 1; j < v.rules.size(); ++j) {
      const bc::Rule* b = ctx.bytecode_of(v.rules[j].rule);
      if (b == nullptr || b->exprs.empty()) continue;
      for (std::size_t i = 0; i < j; ++i) {
        const bc::Rule* a = ctx.bytecode_of(v.rules[i].rule);
        if (a == nullptr || !same_rule(ctx, v.rules[i].rule, v.rules[j].rule)) continue;
        Diagnostic& d = out.report(v.rules[j].rule->span,
                                   fmt::format("this rule duplicates {}", rule_place(ctx, v.rules[i].rule->span)));
        d.with_related(v.rules[i].rule->span, "the same rule");
        d.with_help("delete one of them");
        break;
      }
    }
  }
}

}  // namespace

const LintRule kDuplicateRule{
    .code = "COR003",
    .slug = "duplicate-rule",
    .category = Category::correctness,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a rule compiles to the same bytecode as an earlier rule of the same chain",
    .doc = {.what = "Finds rules that the kernel would see as identical to an earlier rule of the same chain, "
                    "however they are written (`tcp dport 22` and `tcp dport ssh` are the same rule).",
            .why = "A duplicate is dead weight at best; when the earlier copy has a verdict, the later one never "
                   "runs, and counters on it stay at zero.",
            .example = "tcp dport 22 accept\ntcp dport ssh accept",
            .instead = "tcp dport 22 accept",
            .fix_safety = "No automatic fix: which copy sits in the intended place is the author's call."},
    .check = check_cor_duplicate,
};

}  // namespace nftc::lint
