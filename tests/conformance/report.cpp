#include "tests/conformance/report.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "tests/conformance/text.hpp"

namespace nftc::conformance {

namespace {

// "123/456  27.0%", or "-" for what the stage does not measure or the file does not have.
std::string cell(const Score& s, bool measured) {
  if (!measured || s.total == 0) return "-";
  return fmt::format("{}/{} {:5.1f}%", s.passed, s.total, s.percent());
}

// The columns of the score table, in order, and whether the run measured them.
std::vector<std::pair<const Score*, bool>> columns(const FileScores& s, const RunResult& r) {
  return {{&s.parse, true},
          {&s.decisions, r.measured_decisions},
          {&s.payload, r.measured_payload},
          {&s.strict, r.measured_payload},
          {&s.canonical, r.measured_listing},
          {&s.listed, r.measured_listing},
          {&s.json, r.measured_listing},
          {&s.context, r.measured_decisions}};
}

constexpr const char* kColumnNames[] = {"parse",     "decisions", "payload", "payload-strict",
                                        "canonical", "listed",    "json",    "context"};

std::string row(const FileScores& s, const RunResult& r) {
  std::string out = fmt::format("{:<26}", s.file);
  for (const auto& [score, measured] : columns(s, r)) out += fmt::format(" {:>16}", cell(*score, measured));
  return out + "\n";
}

nlohmann::json score_json(const Score& s, bool measured) {
  if (!measured) return nullptr;
  return {{"passed", s.passed}, {"total", s.total}, {"percent", s.percent()}};
}

nlohmann::json scores_json(const FileScores& s, const RunResult& r) {
  return {{"parse", score_json(s.parse, true)},
          {"decisions", score_json(s.decisions, r.measured_decisions)},
          {"payload", score_json(s.payload, r.measured_payload)},
          {"payload_strict", score_json(s.strict, r.measured_payload)},
          {"canonical", score_json(s.canonical, r.measured_listing)},
          {"listed", score_json(s.listed, r.measured_listing)},
          {"json", score_json(s.json, r.measured_listing)},
          {"context", score_json(s.context, r.measured_decisions)}};
}

std::string numbered(const std::string& text) {
  std::string out;
  int n = 0;
  for (std::string_view l : split_lines(text)) out += fmt::format("  {:>3} | {}\n", ++n, l);
  return out;
}

}  // namespace

void print_summary(std::ostream& out, const RunResult& r, const ReportOptions& o) {
  out << "nftc conformance: " << o.suite << ", stage " << stage_name(r.stage) << "\n\n";
  out << fmt::format("{:<26}", "file");
  for (const char* name : kColumnNames) out << fmt::format(" {:>16}", name);
  out << "\n";
  if (o.per_file)
    for (const FileScores& s : r.files) out << row(s, r);
  out << row(r.totals, r) << "\n";
  out << "parse      ok rule lines that parse in every table and chain\n";
  if (r.measured_decisions)
    out << "decisions  rule lines accepted (ok) or rejected (fail) as the suite says, in every table and chain\n";
  if (r.measured_payload)
    out << "payload    payload blocks reproduced for every case using them, compared as nft-test.py does\n"
           "           (payload-strict: line for line; see tests/conformance/compare.hpp)\n";
  if (r.measured_listing)
    out << "canonical  ok rule lines with a canonical form (third field) listed as that form, in every table and chain\n"
           "listed     ok rule lines listed as nft-test.py expects (the canonical form, else the rule itself)\n"
           "json       ok rule lines with a .t.json form listed as JSON as nft-test.py expects (.t.json.output, else .t.json)\n";
  if (r.measured_decisions) out << "context    set, element and object lines accepted or rejected as the suite says\n";
  out << fmt::format("\n{} test files, {} cases (rule line x table x chain), {} lines skipped as needing a fix\n",
                     r.files.size(), r.cases, r.need_fix);
  if (r.dumps.total)
    out << fmt::format("shell dumps accepted: {} ({} of them empty)\n", cell(r.dumps, true), r.empty_dumps);
  if (r.listing.total)
    out << fmt::format("shell dumps listed back byte for byte (listing): {}\n", cell(r.listing, true));
  if (r.json_listing.total)
    out << fmt::format("shell dumps listed as their .json-nft form (json-listing): {}\n", cell(r.json_listing, true));
  if (r.json_dumps.total)
    out << fmt::format("shell .json-nft dumps read as JSON and listed as the .nft dump (json-dumps): {}\n",
                       cell(r.json_dumps, true));
  if (r.measured_payload)
    out << fmt::format("ok rule lines with a .t.json form added from it, payload reproduced (json-input): {}\n",
                       cell(r.totals.json_input, true));
  out << fmt::format("json: {} of {} ok rule lines have a .t.json form, {} a .t.json.output form, {} blocks invalid\n",
                     r.json.with_json, r.json.ok_rules, r.json.with_json_output, r.json.invalid_blocks);
  if (!r.issues.empty()) out << r.issues.size() << " issues in the suite (--issues shows them)\n";
}

void print_diffs(std::ostream& out, const RunResult& r) {
  for (const Failure& f : r.failures) {
    std::string where = f.file + (f.line ? ":" + std::to_string(f.line) : "");
    if (!f.where.empty()) where += " [" + f.where + "]";
    out << "=== " << failure_kind_name(f.kind) << " " << where << ": " << f.summary << "\n";
    if (!f.rule.empty()) out << "rule: " << f.rule << "\n";
    out << f.diff;
    if (!f.script.empty()) out << "script:\n" << numbered(f.script);
    if (!f.diagnostics.empty()) {
      out << "diagnostics:\n";
      for (std::string_view l : split_lines(f.diagnostics)) out << "  " << l << "\n";
    }
    out << "\n";
  }
}

void print_issues(std::ostream& out, const RunResult& r) {
  for (const SuiteIssue& i : r.issues)
    out << i.file << (i.line ? ":" + std::to_string(i.line) : "") << ": " << i.message << "\n";
}

nlohmann::json to_json(const RunResult& r, const ReportOptions& o) {
  nlohmann::json j;
  j["suite"] = o.suite;
  j["stage"] = stage_name(r.stage);
  j["totals"] = scores_json(r.totals, r);
  j["totals"]["dumps"] = score_json(r.dumps, r.dumps.total > 0);
  j["totals"]["listing"] = score_json(r.listing, r.listing.total > 0);
  j["totals"]["json_listing"] = score_json(r.json_listing, r.json_listing.total > 0);
  j["totals"]["json_input"] = score_json(r.totals.json_input, r.measured_payload);
  j["totals"]["json_dumps"] = score_json(r.json_dumps, r.json_dumps.total > 0);
  j["cases"] = r.cases;
  j["need_fix_skipped"] = r.need_fix;
  j["empty_dumps"] = r.empty_dumps;
  j["json_forms"] = {{"ok_rules", r.json.ok_rules},
                     {"with_json", r.json.with_json},
                     {"with_json_output", r.json.with_json_output},
                     {"invalid_blocks", r.json.invalid_blocks}};
  j["files"] = nlohmann::json::array();
  for (const FileScores& s : r.files) {
    nlohmann::json f = scores_json(s, r);
    f["file"] = s.file;
    j["files"].push_back(std::move(f));
  }
  j["failures"] = nlohmann::json::array();
  for (const Failure& f : r.failures) {
    nlohmann::json e = {{"kind", failure_kind_name(f.kind)}, {"file", f.file},       {"line", f.line},
                        {"where", f.where},                   {"rule", f.rule},       {"summary", f.summary},
                        {"script", f.script},                 {"diagnostics", f.diagnostics}};
    if (!f.diff.empty()) e["diff"] = f.diff;
    j["failures"].push_back(std::move(e));
  }
  j["issues"] = nlohmann::json::array();
  for (const SuiteIssue& i : r.issues)
    j["issues"].push_back({{"file", i.file}, {"line", i.line}, {"message", i.message}});
  return j;
}

}  // namespace nftc::conformance
