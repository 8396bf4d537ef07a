// nftc-conformance: runs the nftables project's own test suite (tests/py rule
// files with their payloads, tests/shell dump listings) through nftc in
// process and reports how much of it nftc agrees with.
#include <CLI/CLI.hpp>
#include <array>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/conformance/nft_oracle.hpp"
#include "tests/conformance/report.hpp"
#include "tests/conformance/runner.hpp"
#include "tests/conformance/script.hpp"
#include "tests/conformance/suite.hpp"

#ifndef NFTC_SHARED_DIR
#define NFTC_SHARED_DIR ""
#endif

namespace {

using namespace nftc::conformance;

constexpr int kExitBelowThreshold = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkip = 77;  // CTest's SKIP_RETURN_CODE

// A --min-NAME option and, after the run, the total it applies to.
struct Threshold {
  const char* name;
  std::optional<double> min;
  const Score* score = nullptr;
  bool measured = false;
};
using Thresholds = std::array<Threshold, 13>;

// Prints the scripts built for FILE:LINE, one per table and chain.
int print_scripts(const Suite& suite, const std::string& where) {
  std::size_t colon = where.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "nftc-conformance: --script wants FILE:LINE, e.g. ip/sets.t:30\n";
    return kExitUsage;
  }
  const std::string file = where.substr(0, colon);
  const int line = std::atoi(where.c_str() + colon + 1);
  for (const TestFile& f : suite.files) {
    if (f.name != file) continue;
    for (const RuleLine& r : f.rules)
      if (r.line == line) {
        for (const TestCase& c : r.cases)
          std::cout << "# " << f.name << ":" << line << " [" << c.header() << "] expect " << expect_name(c.expect)
                    << "\n"
                    << case_script(c) << "\n";
        return 0;
      }
    for (const ContextLine& l : f.context)
      if (l.line == line) {
        for (const auto& t : l.before)
          std::cout << "# " << f.name << ":" << line << " [" << t->family << " " << t->name << "] expect "
                    << expect_name(l.expect) << "\n"
                    << context_script(*t) << context_line_command(*t, l) << "\n";
        return 0;
      }
    std::cerr << "nftc-conformance: " << file << " has no rule, set, element or object on line " << line << "\n";
    return kExitUsage;
  }
  std::cerr << "nftc-conformance: no test file " << file << "\n";
  return kExitUsage;
}

// A threshold on something the run does not measure is a usage error.
bool thresholds_measured(const Thresholds& th, const std::string& stage) {
  for (const Threshold& t : th)
    if (t.min && !t.measured) {
      std::cerr << "nftc-conformance: --min-" << t.name << " given, but stage " << stage
                << (std::string_view(t.name) == "dumps" || std::string_view(t.name).ends_with("listing") ? " with --no-dumps"
                                                                                                  : "")
                << " does not measure " << t.name
                << "\n";
      return false;
    }
  return true;
}

// 0 when every given threshold is met, else 1 and why not on stderr.
int check_thresholds(const Thresholds& th) {
  int status = 0;
  for (const Threshold& t : th) {
    if (!t.min) continue;
    if (t.score->percent() + 1e-9 < *t.min) {
      std::cerr << "nftc-conformance: " << t.name << " " << t.score->passed << "/" << t.score->total << " = "
                << t.score->percent() << "% is below the threshold of " << *t.min << "%\n";
      status = kExitBelowThreshold;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // As tests/py/nft-test.py: times in the suite are written for UTC+2.
  setenv("TZ", "UTC-2", 1);
  tzset();

  CLI::App app{"Run the nftables test suite through nftc and score the results"};
  std::string suite_dir, stage = "lower", json_path, script, nft_path;
  std::vector<std::string> filters;
  bool diff = false, quiet = false, no_dumps = false, issues = false;
  Thresholds th = {{{"parse", {}},
                                  {"decisions", {}},
                                  {"payload", {}},
                                  {"payload-strict", {}},
                                  {"canonical", {}},
                                  {"listed", {}},
                                  {"json", {}},
                                  {"context", {}},
                                  {"dumps", {}},
                                  {"listing", {}},
                                  {"json-listing", {}},
                                  {"json-input", {}},
                                  {"json-dumps", {}}}};
  app.add_option("--suite", suite_dir, "the suite directory, holding tests/py (default: see below)")
      ->type_name("DIR");
  app.add_option("--stage", stage, "compile until parse, analyse or lower (default lower)")
      ->check(CLI::IsMember({"parse", "analyse", "lower"}));
  app.add_option("--filter", filters, "only test files and dumps whose name holds SUBSTR (repeatable)")
      ->type_name("SUBSTR");
  app.add_flag("--diff", diff, "print a diff for every mismatch");
  app.add_option("--json", json_path, "write the results as JSON to FILE ('-': standard output)")->type_name("FILE");
  app.add_flag("-q,--quiet", quiet, "totals only, no row per file");
  app.add_flag("--no-dumps", no_dumps, "skip the tests/shell dumps");
  app.add_flag("--issues", issues, "list what the reader could not make sense of in the suite");
  app.add_option("--nft", nft_path,
                 "score the installed nft instead of nftc (nft -c in a namespace of its own; needs root; "
                 "decisions only)")
      ->type_name("PATH");
  app.add_option("--script", script, "print the scripts built for a line and exit")->type_name("FILE:LINE");
  for (Threshold& t : th)
    app.add_option(std::string("--min-") + t.name, t.min, std::string("fail below this percentage of ") + t.name)
        ->type_name("PERCENT")
        ->check(CLI::Range(0.0, 100.0));
  app.footer(
      "The suite is looked for in $NFTC_SHARED_DIR/nft-tests when that is set, else in\n"
      "<source>/../shared/nft-tests, else /work/shared/nft-tests. When it is missing the run is\n"
      "skipped (exit 77), or fails when CI=true.\n"
      "Exit status: 0 all thresholds met, 1 a total below its threshold, 2 usage error, 77 skipped.");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> tried;
  std::optional<std::filesystem::path> root;
  if (!suite_dir.empty()) {
    tried.push_back(suite_dir);
    if (std::filesystem::is_directory(std::filesystem::path(suite_dir) / "tests" / "py")) root = suite_dir;
  } else {
    root = locate_suite(NFTC_SHARED_DIR, &tried);
  }
  std::optional<Suite> suite = root ? load_suite(*root) : std::nullopt;
  if (!suite) {
    const char* ci = std::getenv("CI");
    const bool in_ci = ci && std::string(ci) == "true";
    std::cerr << "nftc-conformance: the nftables test suite is not there (looked in:";
    for (const std::string& t : tried) std::cerr << " " << t;
    std::cerr << ")" << (in_ci ? "; CI=true, so this fails\n" : "; skipping\n");
    return in_ci ? kExitBelowThreshold : kExitSkip;
  }
  if (!script.empty()) return print_scripts(*suite, script);

  RunOptions ro;
  ro.stage = stage == "parse" ? nftc::Stage::parse : stage == "analyse" ? nftc::Stage::analyse : nftc::Stage::lower;
  ro.filters = filters;
  ro.dumps = !no_dumps;
  const bool decisions = ro.stage != nftc::Stage::parse, payload = ro.stage == nftc::Stage::lower;
  const bool measured[] = {true,     decisions, payload,  payload,           payload,          payload,
                           payload,  decisions, ro.dumps, ro.dumps && payload, ro.dumps && payload,
                           payload,  ro.dumps && payload};
  for (std::size_t i = 0; i < th.size(); ++i) th[i].measured = measured[i];
  if (!thresholds_measured(th, stage)) return kExitUsage;
  std::optional<NftOracle> oracle;
  if (!nft_path.empty()) {
    try {
      oracle.emplace(nft_path);
    } catch (const std::exception& e) {
      std::cerr << "nftc-conformance: " << e.what() << "\n";
      return kExitUsage;
    }
    ro.compile = std::cref(*oracle);
    if (ro.stage == nftc::Stage::lower) ro.stage = nftc::Stage::analyse;
  }
  RunResult r = run_suite(*suite, ro);

  ReportOptions rep;
  rep.suite = root->string();
  rep.per_file = !quiet;
  if (diff) print_diffs(std::cout, r);
  if (issues) print_issues(std::cout, r);
  if (json_path == "-") {
    std::cout << to_json(r, rep).dump(2) << "\n";
  } else {
    print_summary(std::cout, r, rep);
    if (!json_path.empty()) {
      std::ofstream out(json_path);
      out << to_json(r, rep).dump(2) << "\n";
      if (!out) {
        std::cerr << "nftc-conformance: cannot write " << json_path << "\n";
        return kExitUsage;
      }
    }
  }

  const Score* totals[] = {&r.totals.parse,  &r.totals.decisions, &r.totals.payload, &r.totals.strict,
                           &r.totals.canonical, &r.totals.listed, &r.totals.json, &r.totals.context,
                           &r.dumps, &r.listing, &r.json_listing, &r.totals.json_input, &r.json_dumps};
  for (std::size_t i = 0; i < th.size(); ++i) th[i].score = totals[i];
  return check_thresholds(th);
}
