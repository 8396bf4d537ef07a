// Running the suite through nftc::compile_text and scoring the results.
//
// What is counted (each total is over the files the filter keeps):
//   parse      `ok` rule lines whose script parses in every table and chain
//   decisions  rule lines (`ok` and `fail`) on which nftc agrees with the
//              suite in every table and chain: an `ok` rule compiles, a `fail`
//              rule is rejected while its context alone is accepted
//   payload    blocks of the *.t.payload* files every case using them
//              (by nft-test.py's lookup and family precedence) reproduces,
//              compared as nft-test.py's payload_check does
//   strict     the same blocks, reproduced line for line (see compare.hpp)
//   canonical  `ok` rule lines with a canonical form (third field) that nftc
//              lists as that form, in every table and chain
//   listed     every `ok` rule line listed as nft-test.py expects: as its
//              canonical form, or as itself when it has none
//   context    `!`, `?` and `%` lines on which nftc agrees with the suite
//   dumps      tests/shell dump listings nftc accepts
//   listing    tests/shell dump listings nftc lists back byte for byte (a
//              fixed point of `nftc compile --emit nft`)
//   json       `ok` rule lines with a .t.json form whose rule `nftc compile
//              --emit json` lists as the .t.json.output form, else as the
//              .t.json form (compared as nft-test.py does: keys sorted)
//   json-listing  tests/shell dumps with a .json-nft form that nftc lists as
//              that form (handles and version sanitized as the shell tests do)
//   json-input `ok` rule lines with a .t.json form whose rule, added FROM that
//              JSON (nft-test.py -j), compiles in every table and chain and
//              reproduces the payload block (compared as payload is)
//   json-dumps tests/shell .json-nft dumps that nftc reads as JSON and lists
//              as the .nft dump, byte for byte
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compiler/api.hpp"
#include "tests/conformance/suite.hpp"

namespace nftc::conformance {

using CompileFn = std::function<TextCompileResult(const TextCompileRequest&)>;

struct RunOptions {
  Stage stage = Stage::lower;        // how far to compile; parse measures parsing only
  std::vector<std::string> filters;  // keep files whose name holds one of these; empty keeps all
  bool dumps = true;                 // run the tests/shell dumps
  CompileFn compile = compile_text;  // replaceable for tests of the runner itself
};

struct Score {
  std::size_t passed = 0;
  std::size_t total = 0;

  void add(bool ok) {
    ++total;
    passed += ok ? 1 : 0;
  }
  Score& operator+=(const Score& o) {
    passed += o.passed;
    total += o.total;
    return *this;
  }
  // 100 when there is nothing to count.
  double percent() const { return total ? 100.0 * static_cast<double>(passed) / static_cast<double>(total) : 100.0; }
};

struct FileScores {
  std::string file;
  Score parse, decisions, payload, strict, canonical, listed, json, context, json_input;
  FileScores& operator+=(const FileScores& o);
};

enum class FailureKind {
  parse, decision, payload, missing_payload, canonical, listed, json, context, dump, listing, json_listing,
  json_input, json_dump
};
std::string_view failure_kind_name(FailureKind k);

// One case that went wrong, with what is needed to show why.
struct Failure {
  FailureKind kind = FailureKind::decision;
  std::string file;    // test file (or dump) name
  int line = 0;
  std::string where;   // "ip t4 input"
  std::string rule;
  std::string summary;      // one line: "expected ok, rejected", "bytecode differs", ...
  std::string script;       // what was compiled
  std::string diagnostics;  // what nftc said
  std::string diff;         // payload and listing failures: expected vs emitted
};

struct JsonCoverage {
  std::size_t ok_rules = 0;           // `ok` rule lines
  std::size_t with_json = 0;          // ... having a .t.json block
  std::size_t with_json_output = 0;   // ... having a .t.json.output block
  std::size_t invalid_blocks = 0;     // blocks whose text is not JSON
};

struct RunResult {
  Stage stage = Stage::lower;
  bool measured_decisions = false;  // stage analyse or lower
  bool measured_payload = false;    // stage lower
  bool measured_listing = false;    // stage lower: canonical, listed, listing
  std::vector<FileScores> files;
  FileScores totals;
  Score dumps;
  Score listing;  // dumps listed back byte for byte
  Score json_listing;  // dumps with a .json-nft form listed as that form
  Score json_dumps;    // .json-nft dumps read as JSON and listed as the .nft dump
  std::size_t empty_dumps = 0;
  std::size_t need_fix = 0;  // `-` lines skipped
  std::size_t cases = 0;     // rule line x table x chain
  JsonCoverage json;
  std::vector<SuiteIssue> issues;
  std::vector<Failure> failures;
};

// Runs every kept file of `suite`.
RunResult run_suite(const Suite& suite, const RunOptions& options);

std::string_view stage_name(Stage s);

// How the runner compares a listed rule with what the suite expects, as
// nft-test.py does: tabs and newlines dropped (output_clean), then equal,
// or for a rule written with a set, equal but for the order of the first
// set's elements (set_check_element).
std::string listed_text(std::string_view text);
// nft-test.py's output_clean: the rule of `chain` as it reads it from the
// table's listing (sets are cut at their closing brace and the rest of the
// rule read on); nothing where nft-test.py would raise.
std::optional<std::string> output_clean(std::string_view pre_output, std::string_view chain);
bool same_set_elements(std::string_view a, std::string_view b);
bool listing_matches(std::string_view want, std::string_view got, std::string_view rule);
// The shell tests' json-sanitize-ruleset.sh: every handle 0, the version
// and release name replaced by placeholders.
void sanitize_json(nlohmann::ordered_json& j);

}  // namespace nftc::conformance
