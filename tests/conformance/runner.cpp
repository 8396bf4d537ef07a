#include "tests/conformance/runner.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <tuple>
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
    case FailureKind::listed: return "listed";
    case FailureKind::context: return "context";
    case FailureKind::dump: return "dump";
    case FailureKind::listing: return "listing";
    case FailureKind::json: return "json";
    case FailureKind::json_listing: return "json-listing";
    case FailureKind::json_input: return "json-input";
    case FailureKind::json_dump: return "json-dump";
  }
  return "?";
}

FileScores& FileScores::operator+=(const FileScores& o) {
  parse += o.parse;
  decisions += o.decisions;
  payload += o.payload;
  strict += o.strict;
  canonical += o.canonical;
  listed += o.listed;
  json += o.json;
  context += o.context;
  json_input += o.json_input;
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
    TextCompileRequest req{d.name, text.str(), o_.stage, {}, {}};
    req.listing = o_.stage == Stage::lower;
    req.listing_json = req.listing && d.has_json;
    TextCompileResult res = o_.compile(req);
    r_.dumps.add(res.ok);
    if (!res.ok) fail({FailureKind::dump, d.name, 0, "", "", "rejected", "", res.diagnostics, ""});
    if (o_.stage != Stage::lower) return;
    bool same = res.ok && res.listing == text.str();
    r_.listing.add(same);
    if (res.ok && !same) {
      Failure f{FailureKind::listing, d.name, 0, "", "", "listed differently", "", res.diagnostics, ""};
      f.diff = unified_diff(to_lines(text.str()), to_lines(res.listing), "dump " + d.name, "nftc --emit nft");
      fail(std::move(f));
    }
    if (d.has_json) run_json_dump(d, res);
    if (d.has_json) run_json_input_dump(d, text.str());
  }

  // The .json-nft dump read as JSON must list as the .nft dump.
  void run_json_input_dump(const DumpFile& d, const std::string& want) {
    std::filesystem::path path = d.path;
    path.replace_extension(".json-nft");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!nlohmann::json::accept(text.str())) return;  // not JSON: not counted
    TextCompileRequest req{path.filename().string(), text.str(), Stage::lower, {}, {}};
    req.listing = true;
    TextCompileResult res = o_.compile(req);
    bool same = res.ok && res.listing == want;
    r_.json_dumps.add(same);
    if (same) return;
    Failure f{FailureKind::json_dump, path.filename().string(), 0, "", "",
              res.ok ? "listed differently when read from JSON" : "rejected when read from JSON", "",
              res.diagnostics, ""};
    if (res.ok) f.diff = unified_diff(to_lines(want), to_lines(res.listing), "dump " + d.name, "nftc from JSON");
    fail(std::move(f), "accepted", "rejected");
  }

  // The .json-nft sibling of a dump, as the shell tests compare it: both
  // sanitized, then equal (keys in nft's order).
  void run_json_dump(const DumpFile& d, const TextCompileResult& res) {
    std::filesystem::path path = d.path;
    path.replace_extension(".json-nft");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::ordered_json want = nlohmann::ordered_json::parse(text.str(), nullptr, false);
    nlohmann::ordered_json got = nlohmann::ordered_json::parse(res.json, nullptr, false);
    if (want.is_discarded()) return;  // not JSON: not counted
    sanitize_json(want);
    sanitize_json(got);
    bool same = res.ok && want == got;
    r_.json_listing.add(same);
    if (res.ok && !same) {
      Failure f{FailureKind::json_listing, d.name, 0, "", "", "JSON listed differently", "", res.diagnostics, ""};
      f.diff = unified_diff(to_lines(want.dump(2)), to_lines(got.is_discarded() ? res.json : got.dump(2)),
                            "dump " + path.filename().string(), "nftc --emit json");
      fail(std::move(f));
    }
  }

 private:
  bool decisions() const { return o_.stage != Stage::parse; }

  TextCompileResult compile(const std::string& script, Stage until, bool listing = false, bool json = false) {
    TextCompileRequest req{kScriptName, script, until, {}, {}};
    // As nft-test.py lists a table: stateless, protocols as numbers.
    req.listing = listing && until == Stage::lower;
    req.listing_json = req.listing && json;
    req.listing_stateless = true;
    req.listing_numeric_protocols = true;
    return o_.compile(req);
  }

  static std::vector<std::string> to_lines(const std::string& text) {
    std::vector<std::string> out;
    for (std::string_view l : split_lines(text)) out.emplace_back(l);
    return out;
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
    bool listed = !rule.cases.empty();
    const JsonBlock* json_input = f.json ? f.json->find(rule.rule) : nullptr;
    const JsonBlock* json_output = f.json_output ? f.json_output->find(rule.rule) : nullptr;
    const JsonBlock* json_want = json_output ? json_output : json_input;
    bool json = json_input != nullptr && !rule.cases.empty();
    bool from_json = json;
    if (rule.cases.empty())
      fail({FailureKind::decision, f.name, rule.line, "", rule.rule, "no table was created before this line", "", "",
            ""},
           expect_name(rule.expect), "not run");
    for (const TestCase& c : rule.cases) {
      if (rule.expect == Expect::fail) {
        agreed = run_fail_case(c) && agreed;
        continue;
      }
      auto [case_parsed, case_agreed, case_listed] = run_ok_case(f, c, tally, json_input ? json_want : nullptr, json);
      if (json_input && o_.stage == Stage::lower) from_json = run_json_input_case(f, c, *json_input) && from_json;
      parsed = case_parsed && parsed;
      agreed = case_agreed && agreed;
      listed = case_listed && listed;
    }
    if (rule.expect == Expect::ok) s.parse.add(parsed);
    if (rule.expect == Expect::ok && o_.stage == Stage::lower) {
      s.listed.add(listed);
      if (rule.canonical) s.canonical.add(listed);
      if (json_input) s.json.add(json);
      if (json_input) s.json_input.add(from_json);
    }
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

  // An `ok` rule must parse, compile, reproduce its payload block and be
  // listed as its canonical form. Returns {parsed, accepted, listed}.
  std::tuple<bool, bool, bool> run_ok_case(const TestFile& f, const TestCase& c, Tally& tally,
                                           const JsonBlock* json_want, bool& json) {
    const std::string script = case_script(c);
    TextCompileResult res = compile(script, o_.stage, true, json_want != nullptr);
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
    if (o_.stage != Stage::lower) return {parsed, res.ok, false};

    bool listed = res.ok && run_listed_case(c, script, res);
    if (json_want != nullptr) json = res.ok && run_json_case(c, script, res, *json_want) && json;
    const PayloadBlock* expected = f.expected_payload(c);
    if (!expected) {
      fail(failure(FailureKind::missing_payload, c, "the suite has no payload for this rule", script, ""), "a payload",
           "none");
      return {parsed, res.ok, listed};
    }
    BlockTally& t = tally[expected];
    ++t.users;
    if (!res.ok) return {parsed, false, false};
    std::optional<PayloadComparison> cmp = compare_case_payload(f, c, *expected, script, res);
    t.matched += cmp && cmp->matched ? 1 : 0;
    t.strict += cmp && cmp->strict ? 1 : 0;
    return {parsed, true, listed};
  }

  // The rule's "expr" in the JSON listing, as nft-test.py takes it (the
  // first rule, keys sorted), must be the expected JSON form.
  bool run_json_case(const TestCase& c, const std::string& script, const TextCompileResult& res,
                     const JsonBlock& want_block) {
    nlohmann::json want = nlohmann::json::parse(want_block.text, nullptr, false);
    nlohmann::json listed = nlohmann::json::parse(res.json, nullptr, false);
    nlohmann::json got;
    if (!listed.is_discarded() && listed.contains("nftables"))
      for (const auto& item : listed["nftables"])
        if (item.contains("rule")) {
          got = item["rule"].value("expr", nlohmann::json());
          break;
        }
    if (!want.is_discarded() && want == got) return true;
    Failure fl = failure(FailureKind::json, c, "JSON listed differently from " + want_block.rule, script,
                         res.diagnostics);
    fl.diff = unified_diff(to_lines(want.dump(2)), to_lines(got.dump(2)), "suite json", "nftc --emit json");
    fail(std::move(fl));
    return false;
  }

  // nft-test.py -j: the context as nft text, then the rule added from its
  // .t.json form; its bytecode must reproduce the payload block.
  bool run_json_input_case(const TestFile& f, const TestCase& c, const JsonBlock& block) {
    nlohmann::ordered_json expr = nlohmann::ordered_json::parse(block.text, nullptr, false);
    if (expr.is_discarded()) return false;
    nlohmann::ordered_json rule = {{"family", c.family()}, {"table", c.table_name()}, {"chain", c.chain_name()},
                                   {"expr", expr}};
    nlohmann::ordered_json doc = {{"nftables", {{{"add", {{"rule", rule}}}}}}};
    const std::string script = context_script(*c.table);
    TextCompileRequest req{kScriptName, script, Stage::lower, {}, {}};
    req.json_text = doc.dump(1);
    TextCompileResult res = o_.compile(req);
    const PayloadBlock* expected = f.expected_payload(c);
    std::optional<std::vector<std::string>> got =
        res.ok ? last_rule_block(res.bytecode, c.header()) : std::nullopt;
    if (res.ok && expected && got && compare_payload(expected->lines, *got, c.header()).matched) return true;
    Failure fl = failure(FailureKind::json_input, c,
                         !res.ok ? "rejected when read from JSON" : "bytecode from JSON differs", script + req.json_text,
                         res.diagnostics);
    if (res.ok && expected && got) {
      std::vector<std::string> want = expected->lines;
      while (!want.empty() && is_blank(want.back())) want.pop_back();
      fl.diff = unified_diff(want, *got, "expected payload", "nftc from JSON " + c.header());
    }
    fail(std::move(fl), "accepted", res.ok ? "other bytecode" : "rejected");
    return false;
  }

  // The rule as the listing shows it must be its canonical form, or the
  // rule itself when it has none, as nft-test.py compares them.
  bool run_listed_case(const TestCase& c, const std::string& script, const TextCompileResult& res) {
    const std::string& want = c.canonical ? *c.canonical : c.rule;
    const FailureKind kind = c.canonical ? FailureKind::canonical : FailureKind::listed;
    std::optional<std::string> text = output_clean(res.listing, c.chain_name());
    if (!text || text->empty()) {
      fail(failure(kind, c, "no rule listed in chain " + c.header(), script, res.diagnostics), want, "none");
      return false;
    }
    if (listing_matches(want, *text, c.rule)) return true;
    fail(failure(kind, c, c.canonical ? "listed differently from its canonical form" : "listed differently",
                 script, res.diagnostics),
         std::string(rtrim(want)), *text);
    return false;
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

}  // namespace

namespace {

// Python's s[start:end], negative indices counting from the end.
std::string_view py_slice(std::string_view s, long start, long end) {
  long n = static_cast<long>(s.size());
  auto clamp = [n](long i) { return i < 0 ? std::max(0L, n + i) : std::min(i, n); };
  long a = clamp(start), b = clamp(end);
  return b > a ? s.substr(static_cast<std::size_t>(a), static_cast<std::size_t>(b - a)) : std::string_view();
}

long py_find(std::string_view s, std::string_view what) {
  std::size_t p = s.find(what);
  return p == std::string_view::npos ? -1 : static_cast<long>(p);
}

std::string without_tabs_newlines(std::string_view s) {
  std::string out;
  for (char ch : s)
    if (ch != '\t' && ch != '\n') out += ch;
  return out;
}

}  // namespace

std::string listed_text(std::string_view text) { return std::string(trim(without_tabs_newlines(text))); }

std::optional<std::string> output_clean(std::string_view pre_output, std::string_view chain) {
  long pos_chain = py_find(pre_output, chain);
  if (pos_chain == -1) return std::string();
  std::string_view inter = pre_output.substr(static_cast<std::size_t>(pos_chain));
  long brace_start = py_find(inter, "{");
  long brace_end = py_find(inter, "}");
  std::string_view pre_rule = py_slice(inter, brace_start, brace_end);
  std::string_view rest = py_slice(pre_rule, 1, static_cast<long>(pre_rule.size()));
  if (py_find(rest, "{") > -1) {
    std::string set = std::string(trim(without_tabs_newlines(rest)));
    std::vector<std::string_view> parts = split(set, ';');
    if (parts.size() < 3) return std::nullopt;  // nft-test.py raises IndexError
    std::string first = std::string(trim(parts[2])) + "}";
    std::string again = std::string(chain) + " {;;" + std::string(py_slice(inter, brace_end + 1, static_cast<long>(inter.size())));
    std::optional<std::string> remainder = output_clean(again, chain);
    if (!remainder) return std::nullopt;
    if (remainder->empty()) return first;
    return first + " " + *remainder;
  }
  std::vector<std::string_view> parts = split(pre_rule, ';');
  if (parts.size() < 3) return std::nullopt;
  return std::string(trim(without_tabs_newlines(parts[2])));
}

// nft-test.py's set_check_element: the same rule with the elements of its
// first set in another order.
bool same_set_elements(std::string_view a, std::string_view b) {
  std::size_t pos1 = a.find('{'), pos2 = b.find('{');
  std::size_t end1 = a.find('}'), end2 = b.find('}');
  if (pos1 == std::string_view::npos || pos2 == std::string_view::npos || end1 == std::string_view::npos ||
      end2 == std::string_view::npos || end1 < pos1 || end2 < pos2)
    return false;
  if (a.substr(0, pos1) != b.substr(0, pos2)) return false;
  auto elements = [](std::string_view s) {
    std::string flat;
    for (char ch : s)
      if (ch != ' ') flat += ch;
    std::vector<std::string> out;
    for (std::string_view e : split(flat, ',')) out.emplace_back(e);
    std::sort(out.begin(), out.end());
    return out;
  };
  if (elements(a.substr(pos1 + 1, end1 - pos1 - 1)) != elements(b.substr(pos2 + 1, end2 - pos2 - 1))) return false;
  return a.substr(end1) == b.substr(end2);
}

void sanitize_json(nlohmann::ordered_json& j) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "handle" && v.is_number()) v = 0;
      else if (k == "version" && v.is_string()) v = "VERSION";
      else if (k == "release_name" && v.is_string()) v = "RELEASE_NAME";
      else sanitize_json(v);
    }
  } else if (j.is_array()) {
    for (auto& v : j) sanitize_json(v);
  }
}

// Whether a listed rule passes nft-test.py's check: the expected text, or,
// for a rule written with a set, the same elements in another order.
bool listing_matches(std::string_view want, std::string_view got, std::string_view rule) {
  want = rtrim(want);
  got = rtrim(got);
  if (want == got) return true;
  return rule.find('{') != std::string_view::npos && same_set_elements(want, got);
}

namespace {

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
  r.measured_listing = options.stage == Stage::lower;
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
