// The printer against the nftables test suite: every block of every
// .payload file is read into the IR and printed back, and the lines must be
// the file's lines.
//
// The suite is read in place from $NFTC_SHARED_DIR (else the build's
// NFTC_SHARED_DIR) under nft-tests/tests/py. Without it the test is skipped,
// except in CI (CI=true), where that is a failure.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backends/bytecode/print.hpp"
#include "tests/support/payload_text.hpp"
#include "tests/support/files.hpp"

namespace {

using nftc::test::read_file;

namespace fs = std::filesystem;
using nftc::test::PayloadBlock;

fs::path suite_dir() {
  const char* env = std::getenv("NFTC_SHARED_DIR");
  fs::path shared = env && *env ? fs::path(env) : fs::path(NFTC_SHARED_DIR);
  return shared / "nft-tests" / "tests" / "py";
}

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string_view(ci) == "true";
}

std::vector<fs::path> payload_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename().string().find(".payload") != std::string::npos)
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Lines of the suite that nft cannot have printed: hand edits that the
// suite's own checker never looks at (it compares only expression and
// element lines). Each is matched by file suffix and line number.
struct SuiteDefect {
  std::string_view file;
  std::size_t line;
  std::string_view why;
};
constexpr SuiteDefect kSuiteDefects[] = {
    {"ip/icmp.t.payload.ip", 258, "'__set%d  test-ip4 input': a set line mangled by hand"},
    {"any/meta.t.payload", 1080, "expressions without a 'family table chain' line"},
    {"inet/fib.t.payload", 35, "an element line without the set lines before it"},
    {"inet/fib.t.payload", 41, "an element line without the set lines before it"},
};

const SuiteDefect* known_defect(const fs::path& file, std::size_t line) {
  for (const SuiteDefect& d : kSuiteDefects)
    if (file.generic_string().ends_with(d.file) && d.line == line) return &d;
  return nullptr;
}

struct Tally {
  std::size_t files = 0, blocks = 0, lines = 0;
  std::size_t exact = 0;            // byte for byte
  std::size_t trailing_ws = 0;      // equal once the suite's trailing blanks are dropped
  std::size_t defect_lines = 0;     // in blocks that fail on a known suite defect
  std::size_t defect_exprs = 0;     // their expression lines
  std::size_t defect_exprs_ok = 0;  // those that round-trip on their own
  std::size_t reparsed_differently = 0;
  std::vector<const SuiteDefect*> defects_seen;
  std::vector<std::string> failures;
};

// The expression lines of a block that cannot be read whole, each read and
// printed as the only expression of a rule.
void count_lone_exprs(const PayloadBlock& block, Tally& tally) {
  for (const std::string& line : block.lines) {
    if (!line.starts_with("  [ ")) continue;
    ++tally.defect_exprs;
    std::string text = "ip t c\n" + line + "\n";
    nftc::test::PayloadResult r = nftc::test::parse_payload_block(text);
    if (r.rule && nftc::bytecode_text::rule_text(*r.rule) == text) ++tally.defect_exprs_ok;
  }
}

void compare_block(const fs::path& file, const PayloadBlock& block, Tally& tally) {
  tally.lines += block.lines.size();
  if (!block.rule) {
    std::size_t bad = block.error ? block.error->line : block.first_line;
    if (const SuiteDefect* d = known_defect(file, bad)) {
      tally.defect_lines += block.lines.size();
      tally.defects_seen.push_back(d);
      count_lone_exprs(block, tally);
      return;
    }
    tally.failures.push_back(file.string() + ":" + std::to_string(bad) + ": " +
                             (block.error ? block.error->message : std::string("no rule")));
    return;
  }
  std::string text = nftc::bytecode_text::rule_text(*block.rule);
  // Reading the printed text back must give the same IR.
  nftc::test::PayloadResult again = nftc::test::parse_payload_block(text);
  if (!again.rule || !(*again.rule == *block.rule)) ++tally.reparsed_differently;
  std::vector<std::string> printed = lines_of(text);
  for (std::size_t k = 0; k < block.lines.size(); ++k) {
    std::string_view want = block.lines[k];
    std::string_view got = k < printed.size() ? std::string_view(printed[k]) : std::string_view("<nothing>");
    if (got == want) {
      ++tally.exact;
    } else if (!want.starts_with(" ") && !want.starts_with("\t") && got == trim_right(want)) {
      // Only "family table chain" lines carry these; nft-test.py ignores them.
      ++tally.trailing_ws;
    } else {
      tally.failures.push_back(file.string() + ":" + std::to_string(block.first_line + k) +
                               ":\n  want: " + std::string(want) + "\n  got:  " + std::string(got));
    }
  }
  if (printed.size() > block.lines.size())
    tally.failures.push_back(file.string() + ":" + std::to_string(block.first_line) + ": printed " +
                             std::to_string(printed.size() - block.lines.size()) + " extra lines");
}

}  // namespace

TEST_CASE("bytecode printer round-trips every nftables test-suite payload block") {
  fs::path dir = suite_dir();
  if (!fs::is_directory(dir)) {
    if (in_ci()) FAIL("the nftables test suite is missing: " << dir.string());
    std::cout << "payload round trip skipped: the nftables test suite is not at " << dir.string() << "\n";
    return;
  }
  Tally tally;
  for (const fs::path& file : payload_files(dir)) {
    ++tally.files;
    for (const PayloadBlock& block : nftc::test::parse_payload_file(read_file(file))) {
      ++tally.blocks;
      compare_block(file, block, tally);
    }
  }
  std::cout << "payload round trip: " << tally.files << " files, " << tally.blocks << " blocks, "
            << tally.lines << " lines: " << tally.exact << " exact, " << tally.trailing_ws
            << " equal but for the suite's trailing blanks, " << tally.defect_lines
            << " in blocks with a known suite defect (" << tally.defect_exprs_ok << " of their "
            << tally.defect_exprs << " expression lines round-trip alone), " << tally.failures.size()
            << " failing\n";
  for (std::size_t k = 0; k < tally.failures.size() && k < 40; ++k) std::cout << tally.failures[k] << "\n";
  CHECK(tally.files > 0);
  CHECK(tally.reparsed_differently == 0);
  CHECK(tally.defect_exprs_ok == tally.defect_exprs);
  for (const SuiteDefect& d : kSuiteDefects)
    CHECK_MESSAGE(std::count(tally.defects_seen.begin(), tally.defects_seen.end(), &d) == 1,
                  "the suite defect at " << d.file << ":" << d.line << " is gone: drop it from the list");
  CHECK(tally.failures.empty());
  CHECK(tally.exact + tally.trailing_ws + tally.defect_lines == tally.lines);
}
