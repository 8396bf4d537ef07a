// The documentation of the lint rules, generated from the rules themselves:
// `nftc rules CODE` prints it, docs/rules/ holds it as Markdown.
#pragma once

#include <string>

#include "rules/lint.hpp"

namespace nftc::lint {

// One rule, as `nftc rules CODE` prints it.
std::string rule_text(const LintRule& rule);
// The table of every rule, as `nftc rules` prints it.
std::string rules_table();
// docs/rules/CODE.md and docs/rules/README.md.
std::string rule_markdown(const LintRule& rule);
std::string rules_index_markdown();
// `nftc rules --format json`.
std::string rules_json(const LintRule* only);

}  // namespace nftc::lint
