// The runner with stand-in compilers: one that rejects everything (like the
// placeholder compile_text), one that accepts everything, and an oracle that
// answers exactly what the suite expects, which must score 100%.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/conformance/compare.hpp"
#include "tests/conformance/real_suite.hpp"
#include "tests/conformance/runner.hpp"
#include "tests/conformance/script.hpp"
#include "tests/conformance/text.hpp"

using namespace nftc::conformance;
using nftc::Stage;
using nftc::TextCompileRequest;
using nftc::TextCompileResult;

namespace {

Suite small_suite() {
  Suite s;
  TestFile f = parse_test_file("x/small.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;t4;c\n"
                               "*inet;tx;c\n"
                               "!s type ipv4_addr;ok\n"
                               "?s 10.0.0.1;ok\n"
                               "?s 10.0.0.x;fail\n"
                               "ip saddr @s;ok\n"
                               "ip saddr { 1.1.1.1, 2.2.2.2 };ok;ip saddr { 2.2.2.2, 1.1.1.1 }\n"
                               "ip saddr @nosuch;fail\n");
  f.payloads.push_back(parse_payload_file("x/small.t.payload", "",
                                          "# ip saddr @s\n"
                                          "ip\n"
                                          "  [ payload load 4b @ network header + 12 => reg 1 ]\n"
                                          "  [ lookup reg 1 set s ]\n"
                                          "\n"
                                          "# ip saddr { 1.1.1.1, 2.2.2.2 }\n"
                                          "__set%d t4 3\n"
                                          "__set%d t4 0\n"
                                          "\telement 01010101\telement 02020202\n"
                                          "ip t4 c\n"
                                          "  [ payload load 4b @ network header + 12 => reg 1 ]\n"
                                          "  [ lookup reg 1 set __set%d ]\n"
                                          "\n"));
  f.payloads.push_back(parse_payload_file("x/small.t.payload.inet", "inet",
                                          "# ip saddr @s\n"
                                          "inet tx c\n"
                                          "  [ meta load nfproto => reg 1 ]\n"
                                          "  [ cmp eq reg 1 0x00000002 ]\n"
                                          "  [ payload load 4b @ network header + 12 => reg 1 ]\n"
                                          "  [ lookup reg 1 set s ]\n"
                                          "\n"));
  s.files.push_back(std::move(f));
  return s;
}

// Answers what the suite expects: rejects the scripts of `fail` lines,
// accepts everything else, and emits the expected payload for `ok` rules.
class Oracle {
 public:
  explicit Oracle(const Suite& suite) {
    for (const TestFile& f : suite.files) {
      for (const RuleLine& r : f.rules)
        for (const TestCase& c : r.cases) {
          const std::string script = case_script(c);
          if (r.expect == Expect::fail) {
            reject_.insert(script);
            continue;
          }
          if (const PayloadBlock* b = f.expected_payload(c)) bytecode_[script] = emit(*b, c.header());
          listed_[script] = {c.family(), c.table_name(), c.chain_name(), c.canonical ? *c.canonical : c.rule};
        }
      for (const ContextLine& l : f.context)
        if (l.expect == Expect::fail)
          for (const auto& t : l.before) reject_.insert(context_script(*t) + context_line_command(*t, l));
    }
  }

  TextCompileResult operator()(const TextCompileRequest& req) const {
    ++calls;
    TextCompileResult r;
    r.ok = !reject_.contains(req.text);
    if (!r.ok) r.diagnostics = "oracle: error\n";
    if (r.ok && req.until == Stage::lower) {
      auto it = bytecode_.find(req.text);
      if (it != bytecode_.end()) r.bytecode = "ip other chain\n  [ an earlier rule ]\n\n" + it->second;
      auto l = listed_.find(req.text);
      if (req.listing && l != listed_.end()) {
        r.listed_rules = {l->second};
        r.listing = "table " + l->second.family + " " + l->second.table + " {\n\tchain " + l->second.chain +
                    " {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t" + l->second.text +
                    "\n\t}\n}\n";
      }
    }
    return r;
  }

  mutable std::size_t calls = 0;

 private:
  // The block as nft would print it: the rule header in full, even where the
  // suite abbreviates or omits it.
  static std::string emit(const PayloadBlock& b, const std::string& header) {
    std::vector<std::string> lines = b.lines;
    std::optional<std::size_t> h = rule_header_index(lines);
    if (h) {
      lines[*h] = header;
    } else {
      auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("  ["); });
      lines.insert(first, header);
    }
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
  }

  std::set<std::string> reject_;
  std::map<std::string, std::string> bytecode_;
  std::map<std::string, nftc::ListedRule> listed_;
};

TextCompileResult reject_all(const TextCompileRequest&) {
  TextCompileResult r;
  r.diagnostics = "placeholder: error\n";
  return r;
}
TextCompileResult accept_all(const TextCompileRequest&) {
  TextCompileResult r;
  r.ok = true;
  return r;
}

}  // namespace

TEST_CASE("a compiler that rejects everything scores nothing") {
  Suite s = small_suite();
  RunOptions o;
  o.compile = reject_all;
  RunResult r = run_suite(s, o);
  CHECK(r.cases == 6);
  CHECK(r.totals.parse.passed == 0);
  CHECK(r.totals.parse.total == 2);
  CHECK(r.totals.decisions.passed == 0);  // the fail line's context is rejected too
  CHECK(r.totals.decisions.total == 3);
  CHECK(r.totals.payload.passed == 0);
  CHECK(r.totals.payload.total == 3);
  CHECK(r.totals.context.passed == 0);
  CHECK(r.totals.context.total == 3);
  CHECK(r.totals.canonical.passed == 0);
  CHECK(r.totals.canonical.total == 1);
  CHECK_FALSE(r.failures.empty());
}

TEST_CASE("a compiler that accepts everything agrees on ok lines only, and emits no payload") {
  Suite s = small_suite();
  RunOptions o;
  o.compile = accept_all;
  RunResult r = run_suite(s, o);
  CHECK(r.totals.parse.passed == 2);
  CHECK(r.totals.decisions.passed == 2);
  CHECK(r.totals.context.passed == 2);
  CHECK(r.totals.payload.passed == 0);
  std::size_t no_bytecode = 0;
  for (const Failure& f : r.failures)
    if (f.kind == FailureKind::payload) {
      ++no_bytecode;
      CHECK(f.summary.starts_with("no bytecode for chain"));
    }
  CHECK(no_bytecode == 4);
  CHECK(r.totals.canonical.passed == 0);  // nothing listed
  CHECK(r.totals.listed.passed == 0);
}

TEST_CASE("the oracle scores 100% on the small suite, and a wrong payload shows as a diff") {
  Suite s = small_suite();
  Oracle oracle(s);
  RunOptions o;
  o.compile = std::cref(oracle);
  RunResult r = run_suite(s, o);
  CHECK(r.failures.empty());
  CHECK(r.totals.payload.passed == 3);
  CHECK(r.totals.strict.passed == 3);
  CHECK(r.totals.decisions.passed == 3);
  CHECK(r.totals.context.passed == 3);
  CHECK(r.totals.canonical.passed == 1);
  CHECK(r.totals.listed.passed == 2);

  // Break the inet expectation: only that block fails.
  s.files[0].payloads[1] = parse_payload_file("x/small.t.payload.inet", "inet",
                                              "# ip saddr @s\ninet\n  [ meta load nfproto => reg 2 ]\n\n");
  r = run_suite(s, o);
  CHECK(r.totals.payload.passed == 2);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].kind == FailureKind::payload);
  CHECK(r.failures[0].where == "inet tx c");
  CHECK(r.failures[0].diff.find("-  [ meta load nfproto => reg 2 ]") != std::string::npos);
  CHECK(r.failures[0].diff.find("+  [ meta load nfproto => reg 1 ]") != std::string::npos);
}

TEST_CASE("stage parse measures parsing only, and filters keep files by name") {
  Suite s = small_suite();
  std::set<Stage> stages;
  RunOptions o;
  o.stage = Stage::parse;
  o.compile = [&](const TextCompileRequest& req) {
    stages.insert(req.until);
    return reject_all(req);
  };
  RunResult r = run_suite(s, o);
  CHECK(stages == std::set<Stage>{Stage::parse});
  CHECK_FALSE(r.measured_decisions);
  CHECK(r.totals.parse.total == 2);
  CHECK(r.totals.decisions.total == 0);
  CHECK(r.totals.payload.total == 0);

  o.filters = {"nothing-like-it"};
  CHECK(run_suite(s, o).files.empty());
  o.filters = {"other", "small"};
  CHECK(run_suite(s, o).files.size() == 1);
}

TEST_CASE("the real suite: the placeholder scores 0, the oracle 100%") {
  std::optional<Suite> suite = real_suite_or_skip();
  if (!suite) return;
  RunOptions o;
  RunResult r = run_suite(*suite, o);  // the real compile_text
  CHECK(r.totals.decisions.total == 1981);
  CHECK(r.totals.payload.total == 2532);
  CHECK(r.totals.parse.total == 1765);
  CHECK(r.totals.context.total == 96);
  CHECK(r.totals.canonical.total == 403);
  CHECK(r.dumps.total == 432);

  Oracle oracle(*suite);
  o.compile = std::cref(oracle);
  o.dumps = false;
  r = run_suite(*suite, o);
  for (const Failure& f : r.failures) MESSAGE(f.file << ":" << f.line << " " << f.where << ": " << f.summary);
  CHECK(r.totals.parse.passed == 1765);
  CHECK(r.totals.decisions.passed == 1981);
  CHECK(r.totals.context.passed == 96);
  CHECK(r.totals.payload.passed == 2532);
  CHECK(r.totals.strict.passed == 2532);
  CHECK(r.totals.canonical.passed == 403);
  CHECK(r.totals.listed.passed == 1765);
}

TEST_CASE("listed rules compare as nft-test.py compares them") {
  CHECK(listed_text("\tjump {\n\t\t\taccept\n\t\t}") == "jump {accept}");
  CHECK(listing_matches("ip protocol { 1, 6 } accept", "ip protocol { 6, 1 } accept", "ip protocol { icmp, tcp } accept"));
  CHECK_FALSE(listing_matches("ip protocol { 1, 6 } accept", "ip protocol { 6, 1 } drop", "ip protocol { 1, 6 } accept"));
  CHECK_FALSE(listing_matches("tcp dport 22", "tcp dport 23", "tcp dport 22"));
  CHECK(listing_matches("tcp dport 22 ", "tcp dport 22", "tcp dport 22"));
  const char* table =
      "table ip t {\n\tchain c {\n\t\ttype filter hook input priority filter; policy accept;\n"
      "\t\tip saddr { 1.1.1.1, 2.2.2.2 } tcp dport { 1, 2 } accept\n\t}\n}\n";
  CHECK(output_clean(table, "c") == "ip saddr { 1.1.1.1, 2.2.2.2} tcp dport { 1, 2} accept");
  CHECK(output_clean("table ip t {\n\tchain c {\n\t}\n}\n", "c") == std::nullopt);
}
