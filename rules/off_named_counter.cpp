// OFF004: `counter name X` in an offload chain.
#include <fmt/format.h>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_off_named_counter(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const offload_lint::RuleCheck& rc : offload_lint::check_rules(ctx, *c))
      for (const offload::Problem& p : rc.verdict.problems) {
        if (p.reason != offload::Reason::named_counter) continue;
        // The whole statement (`counter name X`), not only the name.
        Span at = p.span;
        for (const sema::Stmt* s : rc.rule->stmts)
          if (s->type == sema::StmtType::objref && s->span.valid() && p.span.valid() && s->span.file == p.span.file &&
              s->span.begin <= p.span.begin && p.span.end <= s->span.end)
            at = s->span;
        Diagnostic& d = out.report(at.valid() ? at : rc.rule->span, p.message, offload_lint::refused(ctx));
        d.with_help("count with an anonymous `counter` in this rule");
        if (at.valid() && ctx.text(at).rfind("counter", 0) == 0)
          d.with_fix(Fix{"replace the named counter with an anonymous `counter`", false, {TextEdit{at, "counter"}}});
      }
}

}  // namespace

const LintRule kOffloadNamedCounter{
    .code = "OFF004",
    .slug = "offload-named-counter",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "`counter name` in an offload chain",
    .doc = {.what = "In chains with `flags offload`, finds references to named counter objects.",
            .why = "A named counter is an object reference, which has no hardware form: the kernel refuses the "
                   "rule. An anonymous `counter` is offloaded (since Linux 5.13) and the kernel adds the hardware's "
                   "packet counts to it when the ruleset is listed.",
            .example = "counter ssh { }\n...\ntcp dport 22 counter name ssh drop",
            .instead = "tcp dport 22 counter drop",
            .fix_safety = "Unsafe: the counts no longer go to the named object, so whatever reads it sees no more "
                          "packets."},
    .check = check_off_named_counter,
};

}  // namespace nftc::lint
