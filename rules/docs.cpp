#include "rules/docs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

}  // namespace nftc::lint
