// STY007: syntax nft still accepts but documents as replaced.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

template <typename F>
void each_rule(const ast::RuleDecl& r, F&& f) {
  f(r);
  for (const ast::Stmt* s : r.stmts)
    if (const auto* c = std::get_if<ast::ChainStmt>(&s->data))
      for (const ast::RuleDecl* inner : c->rules) each_rule(*inner, f);
}

template <typename F>
void each_rule(const ast::Script& script, F&& f) {
  for (const ast::Command& c : script.commands) {
    if (c.rule) each_rule(*c.rule, f);
    if (c.chain)
      for (const ast::RuleDecl* r : c.chain->rules) each_rule(*r, f);
    if (c.table)
      for (const ast::TableItem& item : c.table->items)
        if (const auto* ch = std::get_if<ast::ChainDecl*>(&item.item))
          for (const ast::RuleDecl* r : (*ch)->rules) each_rule(*r, f);
  }
}

void check_sty_deprecated(const LintContext& ctx, Findings& out) {
  each_rule(ctx.script, [&](const ast::RuleDecl& r) {
    for (const ast::Stmt* s : r.stmts) {
      const auto* fo = std::get_if<ast::FlowOffloadStmt>(&s->data);
      if (fo == nullptr || !fo->legacy_offload_keyword) continue;
      std::string_view text = ctx.text(s->span);
      std::size_t at = text.find("offload");
      Span kw = s->span;
      if (at != std::string_view::npos) {
        kw.begin = s->span.begin + static_cast<std::uint32_t>(at);
        kw.end = kw.begin + 7;
      }
      Diagnostic& d = out.report(kw, "`flow offload` is the old spelling of `flow add`");
      d.with_help("write `flow add @" + std::string(fo->flowtable.text) + "`");
      if (at != std::string_view::npos) d.with_fix(Fix{"replace `offload` with `add`", true, {TextEdit{kw, "add"}}});
    }
  });
}

}  // namespace

const LintRule kDeprecatedSyntax{
    .code = "STY007",
    .slug = "deprecated-syntax",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "syntax that nft accepts but has replaced (`flow offload` for `flow add`)",
    .doc = {.what = "Finds statements written in a spelling nft keeps only for old rulesets: `flow offload @ft` "
                    "is `flow add @ft`.",
            .why = "nft lists the new spelling, so a ruleset in the old one never matches its own listing, and "
                   "the old keyword suggests hardware offload where only the software fast path is meant.",
            .example = "meta l4proto { tcp, udp } flow offload @ft",
            .instead = "meta l4proto { tcp, udp } flow add @ft",
            .fix_safety = "Safe: both spellings compile to the same bytecode."},
    .check = check_sty_deprecated,
};

}  // namespace nftc::lint
