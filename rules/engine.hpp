// Running the lints: which rules run (selection, configuration), the
// findings they make, and which of those survive suppression.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/lint.hpp"

namespace nftc::lint {

struct LintOptions {
  std::vector<std::string> select;  // codes, prefixes or slugs; empty: every rule
  std::vector<std::string> ignore;
  // Per-file ignores: a glob on the file name as given (or its base name) and
  // the codes it ignores.
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  Severity fail_on = Severity::warning;
  Target target = Target::sw;
};

// The nearest nftc.toml in `dir` or a parent directory.
std::optional<std::string> find_config(const std::string& dir);

// Reads [lint] settings from a configuration file into `opts` (command-line
// settings are applied afterwards by the caller). Problems are CFG001
// errors in the sink; returns false then.
//
//   [lint]
//   select = ["COR", "SEC001"]
//   ignore = ["STY005"]
//   fail-on = "error"
//   target = "hw-offload"
//   [lint.per-file-ignores]
//   "generated/*.nft" = ["STY"]
bool load_config(const std::string& path, LintOptions& opts, DiagnosticSink& sink);

// Whether `rule` runs under these options.
bool rule_enabled(const LintRule& rule, const LintOptions& opts);

// Runs the enabled rules over an analysed batch and appends what survives
// per-file ignores and inline suppressions (`# nftc: ignore[CODE, ...]` on
// the finding's line or the line before), plus the unused suppressions.
void run_lints(const LintContext& ctx, const LintOptions& opts, DiagnosticSink& sink);

}  // namespace nftc::lint
