// nftc fmt over a corpus: every tests/shell dump (../shared), every
// examples/*.nft and every tests/golden/fmt/*.nft input. For each file that
// parses, the formatted text must be
//   (a) a fixed point of the formatter (idempotence),
//   (b) the same ruleset: the same bytecode from `compile --emit bytecode`
//       when the input compiles, and the same syntax tree in any case,
//   (c) the same comments, in the same order.
// The counts are printed; measure them with
//   build/tests/nftc_unit_tests -tc='fmt corpus*'
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "backends/fmt/format.hpp"
#include "compiler/api.hpp"
#include "tests/support/files.hpp"

namespace {

using nftc::test::read_file;

namespace fs = std::filesystem;

std::vector<fs::path> corpus(std::size_t& dumps) {
  std::vector<fs::path> files;
  const fs::path shell = fs::path(NFTC_SHARED_DIR) / "nft-tests" / "tests" / "shell" / "testcases";
  if (fs::exists(shell))
    for (const auto& e : fs::recursive_directory_iterator(shell))
      if (e.path().extension() == ".nft" && e.path().parent_path().filename() == "dumps") files.push_back(e.path());
  dumps = files.size();
  for (const fs::path& dir : {fs::path(NFTC_TESTS_DIR) / ".." / "examples", fs::path(NFTC_TESTS_DIR) / "golden" / "fmt"})
    if (fs::exists(dir))
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".nft") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> format_text(const std::string& name, const std::string& text) {
  nftc::SourceManager sm;
  nftc::DiagnosticSink sink;
  nftc::FileId id = sm.add(name, text);
  nftc::formatter::FormatOptions fo;
  fo.verify = false;  // this test checks the result itself
  return nftc::formatter::format_file(sm, sink, id, fo).text;
}

std::string bytecode(const std::string& name, const std::string& text, bool& ok) {
  nftc::TextCompileRequest req;
  req.name = name;
  req.text = text;
  nftc::TextCompileResult r = nftc::compile_text(req);
  ok = r.ok;
  return r.bytecode;
}

}  // namespace

TEST_CASE("fmt corpus: idempotent, same bytecode, comments kept") {
  std::size_t dumps = 0;
  const std::vector<fs::path> files = corpus(dumps);
  if (dumps == 0) MESSAGE("the tests/shell suite is not in ../shared: only examples and goldens are checked");
  REQUIRE_FALSE(files.empty());
  std::size_t total = 0, refused = 0, idempotent = 0, same_tree = 0, compiled = 0, same_bytecode = 0,
              comments = 0, unchanged = 0;
  std::vector<std::string> failures;
  for (const fs::path& f : files) {
    const std::string name = f.string();
    const std::string text = read_file(f);
    ++total;
    std::optional<std::string> out = format_text(name, text);
    if (!out) {
      ++refused;
      // Only the goldens that show a syntax error may be refused.
      if (name.find("syntax-error") == std::string::npos) failures.push_back(name + ": refused");
      continue;
    }
    unchanged += *out == text;
    std::optional<std::string> again = format_text(name, *out);
    if (again && *again == *out) ++idempotent;
    else failures.push_back(name + ": not idempotent");
    if (nftc::formatter::check_equivalent(name, text, *out, {}).empty()) ++same_tree;
    else failures.push_back(name + ": syntax tree differs");
    bool ok_in = false, ok_out = false;
    std::string bc_in = bytecode(name, text, ok_in);
    std::string bc_out = bytecode(name, *out, ok_out);
    if (ok_in) {
      ++compiled;
      if (ok_out && bc_in == bc_out) ++same_bytecode;
      else failures.push_back(name + ": bytecode differs");
    }
    if (nftc::formatter::comments_of(text) == nftc::formatter::comments_of(*out)) ++comments;
    else failures.push_back(name + ": comments differ");
  }
  const std::size_t formatted = total - refused;
  std::cout << "fmt corpus: " << total << " files (" << dumps << " tests/shell dumps), " << refused
            << " refused (syntax errors)\n"
            << "  idempotent          " << idempotent << "/" << formatted << "\n"
            << "  same syntax tree    " << same_tree << "/" << formatted << "\n"
            << "  same bytecode       " << same_bytecode << "/" << compiled << " (files that compile)\n"
            << "  comments kept       " << comments << "/" << formatted << "\n"
            << "  already formatted   " << unchanged << "/" << formatted << " (fmt changes nothing)\n";
  for (const std::string& s : failures) std::cout << "  FAIL " << s << "\n";
  CHECK(failures.empty());
  CHECK(idempotent == formatted);
  CHECK(same_bytecode == compiled);
}

// Every `rule;ok` line of tests/py, written badly on purpose (doubled
// blanks, two rules per line joined by ';', no indentation), one file per
// .t file: the formatter must accept all of them, and the result must be
// idempotent and mean the same.
TEST_CASE("fmt corpus: tests/py rules written badly") {
  const fs::path py = fs::path(NFTC_SHARED_DIR) / "nft-tests" / "tests" / "py";
  if (!fs::exists(py)) return;
  std::vector<fs::path> ts;
  for (const auto& e : fs::recursive_directory_iterator(py))
    if (e.path().extension() == ".t") ts.push_back(e.path());
  std::sort(ts.begin(), ts.end());
  std::size_t files = 0, rules = 0, good = 0, compiled = 0, same_bytecode = 0;
  std::vector<std::string> failures;
  for (const fs::path& t : ts) {
    std::istringstream in(read_file(t));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || std::string("#*:-!?%@").find(line[0]) != std::string::npos) continue;
      auto semi = line.find(';');
      if (semi == std::string::npos || line.compare(semi, 4, ";ok") != 0) continue;
      std::string rule = line.substr(0, semi), messy;
      for (char c : rule) messy += c == ' ' ? std::string("  ") : std::string(1, c);
      lines.push_back(std::move(messy));
    }
    if (lines.empty()) continue;
    ++files;
    rules += lines.size();
    std::string text = "table inet t {\n chain c {\n";
    for (std::size_t i = 0; i < lines.size(); i += 2)
      text += "  " + lines[i] + (i + 1 < lines.size() ? " ; " + lines[i + 1] : "") + "\n";
    text += " }\n}\n";
    const std::string name = t.filename().string();
    std::optional<std::string> out = format_text(name, text);
    if (!out) {
      failures.push_back(name + ": refused");
      continue;
    }
    std::optional<std::string> again = format_text(name, *out);
    std::string why = nftc::formatter::check_equivalent(name, text, *out, {});
    if (!again || *again != *out) failures.push_back(name + ": not idempotent");
    else if (!why.empty()) failures.push_back(name + ": " + why);
    else ++good;
    bool ok_in = false, ok_out = false;
    std::string bc_in = bytecode(name, text, ok_in);
    std::string bc_out = bytecode(name, *out, ok_out);
    if (ok_in) {
      ++compiled;
      if (ok_out && bc_in == bc_out) ++same_bytecode;
      else failures.push_back(name + ": bytecode differs");
    }
  }
  std::cout << "fmt corpus (tests/py): " << files << " files, " << rules << " rules; " << good << "/" << files
            << " idempotent with the same syntax tree, tokens and comments; same bytecode " << same_bytecode << "/"
            << compiled << " (files that compile)\n";
  for (const std::string& s : failures) std::cout << "  FAIL " << s << "\n";
  CHECK(failures.empty());
}
