#include "rules/docs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nftc/version.hpp"

namespace nftc::lint {

namespace {

std::string indent(std::string_view text, std::string_view by) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out += by;
    out += text.substr(start, nl - start);
    out += '\n';
    start = nl + 1;
  }
  return out;
}

}  // namespace

std::string rule_text(const LintRule& r) {
  std::string out = fmt::format("{} ({}): {}\n\ncategory {}, {} by default, since {}\n\n", r.code, r.slug, r.summary,
                                category_name(r.category), severity_name(r.severity), r.since);
  out += fmt::format("What it does\n{}\n", indent(r.doc.what, "  "));
  out += fmt::format("Why is this bad\n{}\n", indent(r.doc.why, "  "));
  out += fmt::format("Example\n{}\n", indent(r.doc.example, "    "));
  out += fmt::format("Use instead\n{}\n", indent(r.doc.instead, "    "));
  out += fmt::format("Fix safety\n{}", indent(r.doc.fix_safety, "  "));
  return out;
}

std::string rules_table() {
  std::string out;
  for (const LintRule* r : all_rules())
    out += fmt::format("{:<7} {:<34} {:<12} {:<8} {}\n", r->code, r->slug, category_name(r->category),
                       severity_name(r->severity), r->summary);
  return out;
}

std::string rule_markdown(const LintRule& r) {
  std::string out = fmt::format("# {} {}\n\n{}\n\n", r.code, r.slug, r.summary);
  out += fmt::format("Category: {}. Default severity: {}. Since: nftc {}.\n\n", category_name(r.category),
                     severity_name(r.severity), r.since);
  out += fmt::format("## What it does\n\n{}\n\n", r.doc.what);
  out += fmt::format("## Why is this bad\n\n{}\n\n", r.doc.why);
  out += fmt::format("## Example\n\n```nft\n{}\n```\n\n", r.doc.example);
  out += fmt::format("## Use instead\n\n```nft\n{}\n```\n\n", r.doc.instead);
  out += fmt::format("## Fix safety\n\n{}\n", r.doc.fix_safety);
  return out;
}

std::string rules_index_markdown() {
  std::string out =
      "# Lint rules\n\nGenerated from rules/ by the docs test (`NFTC_REGEN=1` rewrites this directory); "
      "`nftc rules CODE` prints the same text.\n\n| Code | Name | Category | Default | Summary |\n"
      "|------|------|----------|---------|---------|\n";
  for (const LintRule* r : all_rules())
    out += fmt::format("| [{}]({}.md) | {} | {} | {} | {} |\n", r->code, r->code, r->slug, category_name(r->category),
                       severity_name(r->severity), r->summary);
  out +=
      "\n## Errors, not lints\n\n"
      "Some mistakes make nft or the kernel refuse the ruleset, so `nftc check` and `nftc lint` report them as "
      "errors (never suppressible, see [the codes](../diagnostics.md#codes)) rather than as lint rules:\n\n"
      "| mistake | code |\n|---------|------|\n"
      "| an undefined variable (with a *did you mean*) | SYN005 |\n"
      "| an undefined set or map (`@name`, with a *did you mean*) | SEM001 |\n"
      "| an undefined chain (`jump`/`goto`), counter, quota, limit or other named object, or flowtable (`flow "
      "add @name`), each with a *did you mean* | SEM002 |\n"
      "| jumps and gotos that form a loop reached from a base chain (the kernel answers EMLINK) | KRN006 |\n"
      "| jumps nested deeper than the kernel allows | KRN011 |\n\n"
      "Unused chains are [COR005](COR005.md): a regular chain no base chain reaches, including chains only "
      "reached from other unreached chains: chains that jump to each other in a loop no base chain reaches are "
      "each reported there (the kernel only walks the chains a base chain reaches).\n";
  return out;
}

std::string rules_json(const LintRule* only) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const LintRule* r : all_rules()) {
    if (only != nullptr && r != only) continue;
    list.push_back({{"code", r->code},
                    {"slug", r->slug},
                    {"category", category_name(r->category)},
                    {"severity", severity_name(r->severity)},
                    {"since", r->since},
                    {"summary", r->summary},
                    {"what", r->doc.what},
                    {"why", r->doc.why},
                    {"example", r->doc.example},
                    {"instead", r->doc.instead},
                    {"fix_safety", r->doc.fix_safety}});
  }
  return list.dump(2) + "\n";
}

RenderOptions::CodeHelp code_help(std::string_view code) {
  RenderOptions::CodeHelp h;
  const LintRule* r = find_rule(code);
  if (r == nullptr || r->code != code) {
    if (find_builtin_code(code) != nullptr && *kHomepage != '\0')
      h.help_uri = fmt::format("{}/blob/main/docs/diagnostics.md#codes", kHomepage);
    return h;
  }
  h.full_description = std::string(r->doc.what);
  if (*kHomepage != '\0') h.help_uri = fmt::format("{}/blob/main/docs/rules/{}.md", kHomepage, r->code);
  h.default_level = r->severity == Severity::error ? "error" : r->severity == Severity::warning ? "warning" : "note";
  return h;
}

}  // namespace nftc::lint
