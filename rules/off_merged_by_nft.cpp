// OFF006: adjacent header matches that nft merges into one load the kernel
// refuses to offload.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

bool payload_eq(const sema::Stmt* s) {
  if (s->type != sema::StmtType::expression || s->expr == nullptr) return false;
  const sema::Expr* e = s->expr;
  return e->kind == sema::Kind::relational && (e->op == sema::Op::eq || e->op == sema::Op::implicit) && e->left &&
         e->right && e->left->kind == sema::Kind::payload && e->right->kind == sema::Kind::value;
}

// nft collects runs of payload equality matches (ended by any statement that
// is not an expression), sorts them by offset and merges neighbours.
void check_run(std::vector<const sema::Stmt*> run, Findings& out) {
  std::stable_sort(run.begin(), run.end(), [](const sema::Stmt* a, const sema::Stmt* b) {
    const auto& pa = a->expr->left->payload();
    const auto& pb = b->expr->left->payload();
    return std::tie(pa.base, pa.offset) < std::tie(pb.base, pb.offset);
  });
  for (std::size_t i = 1; i < run.size(); ++i) {
    if (!sema::payloads_merge(run[i - 1]->expr->left, run[i]->expr->left)) continue;
    out.report(run[i]->span, "nft merges this match with the one next to it into one load, which the kernel "
                             "refuses to offload: `nft -f` fails on this rule (nftc keeps them apart)")
        .with_related(run[i - 1]->span, "merged with this match")
        .with_help("load the ruleset with `nftc apply`, which keeps one load per field in offload chains");
  }
}

void check_off_merged_by_nft(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const sema::Rule* r : c->rules) {
      std::vector<const sema::Stmt*> run;
      for (const sema::Stmt* s : r->stmts) {
        if (s->type != sema::StmtType::expression) {
          check_run(std::move(run), out);
          run.clear();
        } else if (payload_eq(s)) {
          run.push_back(s);
        }
      }
      check_run(std::move(run), out);
    }
}

}  // namespace

const LintRule kOffloadMergedByNft{
    .code = "OFF006",
    .slug = "offload-match-merged-by-nft",
    .category = Category::offload,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "adjacent matches nft merges into one load the kernel cannot offload",
    .doc = {.what = "In chains with `flags offload`, finds header matches that nft combines into one longer load: "
                    "`tcp sport` with `tcp dport`, `udp sport` with `udp dport`, `ether daddr` with `ether saddr`, "
                    "`ether saddr` with `ether type`.",
            .why = "nft optimises adjacent matches into one load and one comparison. The kernel offloads a load "
                   "only when it covers one field, so the rule nft sends is refused (\"Operation not supported\"). "
                   "nftc's own output (`nftc apply`, `--emit netlink`) keeps one load per field in offload chains "
                   "and is accepted; the finding is about loading the file with nft.",
            .example = "tcp sport 1024 tcp dport 22 drop",
            .instead = "# load with nftc apply, or match one port per rule:\ntcp dport 22 drop",
            .fix_safety = "No automatic fix: no nft text avoids the merge."},
    .check = check_off_merged_by_nft,
};

}  // namespace nftc::lint
