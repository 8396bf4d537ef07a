// Rendering a RunResult: the score table, the diffs, and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "tests/conformance/runner.hpp"

namespace nftc::conformance {

struct ReportOptions {
  std::string suite;     // shown in the heading
  bool per_file = true;  // one row per test file before the totals
};

// The score table and the totals, with counts and percentages.
void print_summary(std::ostream& out, const RunResult& r, const ReportOptions& o);

// Every failure in unified-diff style: what the suite expects against what
// nftc did, with the script compiled and nftc's diagnostics.
void print_diffs(std::ostream& out, const RunResult& r);

// Problems the reader found in the suite itself.
void print_issues(std::ostream& out, const RunResult& r);

// Everything, machine-readable: totals, per-file scores, dumps, failures.
nlohmann::json to_json(const RunResult& r, const ReportOptions& o);

}  // namespace nftc::conformance
