// docs/rules/ is generated from the rules: this test fails when the two
// drift apart, and rewrites the directory when NFTC_REGEN=1.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rules/docs.hpp"
#include "rules/lint.hpp"
#include "tests/support/files.hpp"

using namespace nftc::lint;
namespace fs = std::filesystem;

namespace {

using nftc::test::read_file;

fs::path docs_dir() { return fs::path(NFTC_TESTS_DIR).parent_path() / "docs" / "rules"; }

void expect_file(const fs::path& p, const std::string& want) {
  const char* regen = std::getenv("NFTC_REGEN");
  if (regen && std::string(regen) == "1") {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << want;
  }
  INFO(p.string() << " is out of date: run the unit tests with NFTC_REGEN=1 and commit the result");
  CHECK(read_file(p) == want);
}

}  // namespace

TEST_CASE("docs/rules matches the rules") {
  std::set<std::string> expected{"README.md"};
  for (const LintRule* r : all_rules()) {
    std::string name = std::string(r->code) + ".md";
    expected.insert(name);
    expect_file(docs_dir() / name, rule_markdown(*r));
  }
  expect_file(docs_dir() / "README.md", rules_index_markdown());
  for (const auto& e : fs::directory_iterator(docs_dir())) {
    INFO("docs/rules/" << e.path().filename().string() << " documents no rule: delete it");
    CHECK(expected.count(e.path().filename().string()) == 1);
  }
}

TEST_CASE("the rule table is well formed") {
  std::set<std::string_view> codes, slugs;
  for (const LintRule* r : all_rules()) {
    CHECK(codes.insert(r->code).second);
    CHECK(slugs.insert(r->slug).second);
    CHECK(r->code.size() == 6);
    CHECK_FALSE(r->summary.empty());
    CHECK_FALSE(r->doc.what.empty());
    CHECK_FALSE(r->doc.why.empty());
    CHECK_FALSE(r->doc.example.empty());
    CHECK_FALSE(r->doc.instead.empty());
    CHECK_FALSE(r->doc.fix_safety.empty());
    CHECK(find_rule(r->code) == r);
    CHECK(find_rule(r->slug) == r);
  }
}
