// STY005: a `define` nothing refers to.
#include <fmt/format.h>

#include <map>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Every $name written in the sources, outside comments and quoted strings.
std::map<std::string, int, std::less<>> references(const SourceManager& sm, FileId first) {
  std::map<std::string, int, std::less<>> refs;
  for (std::size_t f = first; f < sm.size(); ++f) {
    std::string_view t = sm.file(static_cast<FileId>(f)).text;
    bool quoted = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      if (c == '"') quoted = !quoted;
      else if (c == '\n') quoted = false;
      else if (c == '#' && !quoted) {
        while (i < t.size() && t[i] != '\n') ++i;
      } else if (c == '$' && !quoted) {
        std::size_t j = i + 1;
        while (j < t.size() && name_char(t[j])) ++j;
        if (j > i + 1) ++refs[std::string(t.substr(i + 1, j - i - 1))];
        i = j - 1;
      }
    }
  }
  return refs;
}

void check_sty_unused_variable(const LintContext& ctx, Findings& out) {
  auto refs = references(ctx.sm, ctx.first_file);
  for (const ast::Define* d : ctx.script.defines) {
    if (refs.count(d->name.text)) continue;
    out.report(d->name.span.valid() ? d->name.span : d->span,
               fmt::format("variable '{}' is defined but never used", d->name.text))
        .with_help("delete the define, or refer to it as $" + std::string(d->name.text));
  }
}

}  // namespace

const LintRule kUnusedVariable{
    .code = "STY005",
    .slug = "unused-variable",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a variable is defined but never used",
    .doc = {.what = "Finds `define NAME = …` whose `$NAME` appears nowhere in the ruleset and its includes.",
            .why = "An unused variable is often the trace of a rule that was meant to use it and uses a copy of "
                   "the value instead, which then drifts.",
            .example = "define admin_net = 192.0.2.0/24\nchain input { type filter hook input priority filter; ip "
                       "saddr 192.0.2.0/24 tcp dport 22 accept }",
            .instead = "define admin_net = 192.0.2.0/24\nchain input { type filter hook input priority filter; ip "
                       "saddr $admin_net tcp dport 22 accept }",
            .fix_safety = "No automatic fix."},
    .check = check_sty_unused_variable,
};

}  // namespace nftc::lint
