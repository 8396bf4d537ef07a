#include "tests/conformance/runner.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "tests/conformance/compare.hpp"
#include "tests/conformance/script.hpp"
#include "tests/conformance/text.hpp"

namespace nftc::conformance {

std::string_view stage_name(Stage s) {
  switch (s) {
    case Stage::parse: return "parse";
    case Stage::analyse: return "analyse";
    case Stage::lower: return "lower";
  }
  return "?";
}

std::string_view failure_kind_name(FailureKind k) {
  switch (k) {
    case FailureKind::parse: return "parse";
    case FailureKind::decision: return "decision";
    case FailureKind::payload: return "payload";
    case FailureKind::missing_payload: return "missing-payload";
    case FailureKind::canonical: return "canonical";
    case FailureKind::context: return "context";
    case FailureKind::dump: return "dump";
  }
  return "?";
}

FileScores& FileScores::operator+=(const FileScores& o) {
  parse += o.parse;
  decisions += o.decisions;
  payload += o.payload;
  strict += o.strict;
  canonical += o.canonical;
  context += o.context;
  return *this;
}

namespace {

constexpr const char* kScriptName = "conformance.nft";

// How the cases using one payload block fared.
struct BlockTally {
  std::size_t users = 0, matched = 0, strict = 0;
};
using Tally = std::unordered_map<const PayloadBlock*, BlockTally>;

class Runner {
 public:
  Runner(const RunOptions& o, RunResult& r) : o_(o), r_(r) {}

  void run_file(const TestFile& f) {
    FileScores s;
    s.file = f.name;
    Tally tally;
    for (const RuleLine& rule : f.rules) run_rule(f, rule, s, tally);
    if (decisions())
      for (const ContextLine& line : f.context) run_context_line(f, line, s);
    if (o_.stage == Stage::lower)
      for (const PayloadFile& pf : f.payloads)
        for (const PayloadBlock& b : pf.blocks) {
          const BlockTally& t = tally[&b];
          s.payload.add(t.users && t.matched == t.users);
          s.strict.add(t.users && t.strict == t.users);
        }
    count_json(f);
    r_.need_fix += static_cast<std::size_t>(f.need_fix);
    r_.issues.insert(r_.issues.end(), f.issues.begin(), f.issues.end());
    r_.totals += s;
    r_.files.push_back(std::move(s));
  }

  void run_dump(const DumpFile& d) {
    std::ifstream in(d.path, std::ios::binary);
    if (!in) {
      r_.dumps.add(false);
      fail({FailureKind::dump, d.name, 0, "", "", "cannot read the file", "", "", ""}, "accepted", "unreadable");
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (is_blank(text.str())) ++r_.empty_dumps;
    TextCompileResult res = o_.compile({d.name, text.str(), o_.stage, {}, {}});
    r_.dumps.add(res.ok);
    if (!res.ok) fail({FailureKind::dump, d.name, 0, "", "", "rejected", "", res.diagnostics, ""});
  }

 private:
  bool decisions() const { return o_.stage != Stage::parse; }

  TextCompileResult compile(const std::string& script, Stage until) {
    return o_.compile({kScriptName, script, until, {}, {}});
  }

  // Whether the context of a `fail` case is accepted on its own; a rejection
  // only counts when the case's own command is what nftc rejects.
  bool context_accepted(const std::string& script) {
    auto [it, fresh] = context_cache_.try_emplace(script, false);
    if (fresh) it->second = compile(script, o_.stage).ok;
    return it->second;
  }

  // Records a failure; one without a diff gets one from `want` and `got`, the
  // outcomes the suite expects and nftc produced ("accepted", "rejected", ...).
  void fail(Failure f, std::string_view want = "accepted", std::string_view got = "rejected") {
    if (f.diff.empty()) {
      std::string where = f.file + (f.line ? ":" + std::to_string(f.line) : "");
      if (!f.where.empty()) where += " [" + f.where + "]";
      f.diff = unified_diff({std::string(want)}, {std::string(got)}, "suite " + where, "nftc");
    }
    r_.failures.push_back(std::move(f));
  }

  Failure failure(FailureKind k, const TestCase& c, std::string summary, std::string script, std::string diags) {
    return {k, c.file, c.line, c.header(), c.rule, std::move(summary), std::move(script), std::move(diags), ""};
  }

  void run_rule(const TestFile& f, const RuleLine& rule, FileScores& s, Tally& tally) {
    r_.cases += rule.cases.size();
    if (rule.expect == Expect::fail && !decisions()) return;
    bool parsed = !rule.cases.empty();
    bool agreed = !rule.cases.empty();
    bool canonical = !rule.cases.empty();
    if (rule.cases.empty())
      fail({FailureKind::decision, f.name, rule.line, "", rule.rule, "no table was created before this line", "", "",
            ""},
           expect_name(rule.expect), "not run");
    for (const TestCase& c : rule.cases) {
      if (rule.expect == Expect::fail) {
        agreed = run_fail_case(c) && agreed;
        continue;
      }
      auto [case_parsed, case_agreed] = run_ok_case(f, c, tally);
      parsed = case_parsed && parsed;
      agreed = case_agreed && agreed;
      if (rule.canonical) canonical = run_canonical_case(c) && canonical;
    }
    if (rule.expect == Expect::ok) s.parse.add(parsed);
    if (rule.expect == Expect::ok && rule.canonical) s.canonical.add(canonical);
    if (decisions()) s.decisions.add(agreed);
  }

  // A `fail` rule must be rejected, and its context alone accepted.
  bool run_fail_case(const TestCase& c) {
    const std::string script = case_script(c);
    TextCompileResult res = compile(script, o_.stage);
    if (res.ok) {
      fail(failure(FailureKind::decision, c, "expected fail, accepted", script, res.diagnostics), "rejected",
           "accepted");
      return false;
    }
    if (!context_accepted(context_script(*c.table))) {
      fail(failure(FailureKind::decision, c, "expected fail; rejected, but so is its context without the rule", script,
                   res.diagnostics),
           "rejected, context accepted", "rejected, context rejected");
      return false;
    }
    return true;
  }

  // An `ok` rule must parse, compile, and reproduce its payload block.
  // Returns {parsed, accepted}.
  std::pair<bool, bool> run_ok_case(const TestFile& f, const TestCase& c, Tally& tally) {
    const std::string script = case_script(c);
    TextCompileResult res = compile(script, o_.stage);
    bool parsed = res.ok;
    std::string parse_diags = res.diagnostics;
    if (!res.ok && o_.stage != Stage::parse) {
      TextCompileResult p = compile(script, Stage::parse);
      parsed = p.ok;
      parse_diags = p.diagnostics;
    }
    // One failure per case: a rule that does not parse is rejected too.
    if (!parsed)
      fail(failure(FailureKind::parse, c, "expected ok, does not parse", script, parse_diags), "parses",
           "does not parse");
    else if (!res.ok && decisions())
      fail(failure(FailureKind::decision, c, "expected ok, rejected", script, res.diagnostics));
    if (o_.stage != Stage::lower) return {parsed, res.ok};

    const PayloadBlock* expected = f.expected_payload(c);
    if (!expected) {
      fail(failure(FailureKind::missing_payload, c, "the suite has no payload for this rule", script, ""), "a payload",
           "none");
      return {parsed, res.ok};
    }
    BlockTally& t = tally[expected];
    ++t.users;
    if (!res.ok) return {parsed, false};
    std::optional<PayloadComparison> cmp = compare_case_payload(f, c, *expected, script, res);
    t.matched += cmp && cmp->matched ? 1 : 0;
    t.strict += cmp && cmp->strict ? 1 : 0;
    return {parsed, true};
  }

  // The canonical form of an `ok` rule: nft-test.py adds the listing back
  // when it differs from the rule, and that must be accepted. Its payload is
  // not compared: the listing is stateless (a counter's values are left
  // out, so the form emits different bytecode), and nft-test.py's second
  // payload check re-reads the first rule's output.
  bool run_canonical_case(const TestCase& c) {
    const std::string script = context_script(*c.table) + rule_command(c, *c.canonical);
    TextCompileResult res = compile(script, o_.stage);
    if (!res.ok) fail(failure(FailureKind::canonical, c, "the canonical form is rejected", script, res.diagnostics));
    return res.ok;
  }

  // Compares what `res` emitted for the case's chain with `expected`, and
  // records a failure unless payload_check would pass. Nothing when there is
  // no bytecode for the chain.
  std::optional<PayloadComparison> compare_case_payload(const TestFile& f, const TestCase& c,
                                                        const PayloadBlock& expected, const std::string& script,
                                                        const TextCompileResult& res) {
    const FailureKind kind = FailureKind::payload;
    const std::string expected_name = f.payload_file_of(expected).name + ":" + std::to_string(expected.line);
    std::optional<std::vector<std::string>> got = last_rule_block(res.bytecode, c.header());
    if (!got) {
      fail(failure(kind, c, "no bytecode for chain " + c.header() + " (" + expected_name + ")", script,
                   res.diagnostics),
           "bytecode for " + c.header(), "none");
      return std::nullopt;
    }
    PayloadComparison cmp = compare_payload(expected.lines, *got, c.header());
    if (cmp.matched) return cmp;
    std::vector<std::string> want = expected.lines;
    while (!want.empty() && is_blank(want.back())) want.pop_back();
    Failure fl = failure(kind, c, "bytecode differs from " + expected_name, script, res.diagnostics);
    fl.diff = unified_diff(want, *got, "expected " + expected_name, "nftc " + c.header());
    fail(std::move(fl));
    return cmp;
  }

  void run_context_line(const TestFile& f, const ContextLine& line, FileScores& s) {
    bool agreed = !line.before.empty();
    for (const auto& table : line.before) {
      const std::string context = context_script(*table);
      const std::string script = context + context_line_command(*table, line);
      TextCompileResult res = compile(script, o_.stage);
      std::string summary, want, got;
      if (line.expect == Expect::ok && !res.ok)
        summary = "expected ok, rejected", want = "accepted", got = "rejected";
      if (line.expect == Expect::fail && res.ok)
        summary = "expected fail, accepted", want = "rejected", got = "accepted";
      if (line.expect == Expect::fail && !res.ok && !context_accepted(context))
        summary = "expected fail; rejected, but so is its context without the line",
        want = "rejected, context accepted", got = "rejected, context rejected";
      if (summary.empty()) continue;
      agreed = false;
      fail({FailureKind::context, f.name, line.line, table->family + " " + table->name,
            std::string(trim(context_line_command(*table, line))), summary, script, res.diagnostics, ""},
           want, got);
    }
    s.context.add(agreed);
  }

  void count_json(const TestFile& f) {
    for (const RuleLine& rule : f.rules) {
      if (rule.expect != Expect::ok) continue;
      ++r_.json.ok_rules;
      if (f.json && f.json->find(rule.rule)) ++r_.json.with_json;
      if (f.json_output && f.json_output->find(rule.rule)) ++r_.json.with_json_output;
    }
    for (const auto* jf : {f.json ? &*f.json : nullptr, f.json_output ? &*f.json_output : nullptr}) {
      if (!jf) continue;
      for (const JsonBlock& b : jf->blocks)
        if (!nlohmann::json::accept(b.text)) {
          ++r_.json.invalid_blocks;
          r_.issues.push_back({jf->name, b.line, "the JSON for '" + b.rule + "' does not parse"});
        }
    }
  }

  const RunOptions& o_;
  RunResult& r_;
  std::unordered_map<std::string, bool> context_cache_;
};

bool kept(const std::string& name, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  for (const std::string& f : filters)
    if (name.find(f) != std::string::npos) return true;
  return false;
}

}  // namespace

RunResult run_suite(const Suite& suite, const RunOptions& options) {
  RunResult r;
  r.stage = options.stage;
  r.measured_decisions = options.stage != Stage::parse;
  r.measured_payload = options.stage == Stage::lower;
  r.totals.file = "total";
  Runner runner(options, r);
  for (const TestFile& f : suite.files)
    if (kept(f.name, options.filters)) runner.run_file(f);
  if (options.dumps)
    for (const DumpFile& d : suite.dumps)
      if (kept(d.name, options.filters)) runner.run_dump(d);
  return r;
}

}  // namespace nftc::conformance
