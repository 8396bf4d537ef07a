// nftc-robustness: damaged copies of every tests/shell dump of the nftables
// suite (read from ../shared/nft-tests, never copied here) through the
// parser, the analysis and the lowering, as `nftc check` runs them.
//
// Each dump gives truncated copies (cut at fixed fractions of its length and
// just before its last '}') and byte-flipped copies (a few bytes replaced,
// from fixed seeds, so every run sees the same inputs). Every input that is
// rejected must get at least one error, and every error must be located
// (file:line:col); a crash fails the test by itself, and a hang by CTest's
// timeout.
//
//   nftc-robustness [--verbose] [--cuts N] [--seeds N]
//
// Exit: 0 all good, 1 a rejected input without a located error, 2 usage,
// 77 the suite is absent (a failure when CI=true).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lower/lower.hpp"
#include "compiler/parser.hpp"
#include "compiler/render.hpp"
#include "compiler/sema/analyzer.hpp"
#include "tests/conformance/suite.hpp"

#ifndef NFTC_SHARED_DIR
#define NFTC_SHARED_DIR ""
#endif

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkip = 77;

struct Counts {
  std::size_t inputs = 0, accepted = 0, rejected = 0, errors = 0, unlocated = 0;
  std::size_t truncated = 0, flipped = 0;
};

// FNV-1a: the same seed for a dump on every platform (std::hash is not).
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs one input as `nftc check` does; false if it was rejected without a
// located error.
bool run_one(const std::string& name, std::string text, Counts& c, bool verbose) {
  using namespace nftc;
  SourceManager sm;
  DiagnosticSink sink;
  FileId file = sm.add(name, std::move(text));
  ast::Script script;
  ParseOptions po;
  po.default_include_dirs.clear();  // a damaged `include` must not read the host's /etc
  parse_file(sm, sink, file, script, po);
  if (!sink.has_errors()) {
    sema::Analyzer analyzer(sm, sink, sema::AnalyseOptions{});
    std::unique_ptr<sema::Analysis> analysis = analyzer.run(script);
    if (analysis && !sink.has_errors()) lower::lower_analysis(*analysis, sink);
  }
  // Rendering computes every line and column: it must cope with any span.
  std::ostringstream rendered;
  render_concise(rendered, sm, sink.all(), RenderOptions{});

  ++c.inputs;
  if (!sink.has_errors()) {
    ++c.accepted;
    return true;
  }
  ++c.rejected;
  bool ok = true;
  for (const Diagnostic& d : sink.all()) {
    if (d.severity != Severity::error) continue;
    ++c.errors;
    if (!d.primary.valid()) {
      ++c.unlocated;
      ok = false;
      std::cerr << "unlocated error in " << name << ": [" << d.code << "] " << d.message << "\n";
    }
  }
  if (verbose) std::cout << rendered.str();
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  int cuts = 8, seeds = 4;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--verbose") verbose = true;
    else if (a == "--cuts" && i + 1 < argc) cuts = std::atoi(argv[++i]);
    else if (a == "--seeds" && i + 1 < argc) seeds = std::atoi(argv[++i]);
    else {
      std::cerr << "usage: nftc-robustness [--verbose] [--cuts N] [--seeds N]\n";
      return kExitUsage;
    }
  }
  if (cuts < 1 || seeds < 0) {
    std::cerr << "nftc-robustness: --cuts must be at least 1, --seeds at least 0\n";
    return kExitUsage;
  }

  namespace conf = nftc::conformance;
  std::vector<std::string> tried;
  auto root = conf::locate_suite(NFTC_SHARED_DIR, &tried);
  std::optional<conf::Suite> suite;
  if (root) suite = conf::load_suite(*root);
  if (!suite || suite->dumps.empty()) {
    const char* ci = std::getenv("CI");
    bool in_ci = ci != nullptr && std::string_view(ci) == "true";
    std::cerr << "nftc-robustness: the nftables test suite is not there (tried";
    for (const std::string& t : tried) std::cerr << " " << t;
    std::cerr << ")\n";
    return in_ci ? kExitFailed : kExitSkip;
  }

  Counts c;
  std::size_t failed = 0;
  for (const conf::DumpFile& dump : suite->dumps) {
    const std::string text = read_file(dump.path);
    const std::string base = "dumps/" + dump.name;
    auto check = [&](const std::string& name, std::string copy) {
      if (!run_one(name, std::move(copy), c, verbose)) ++failed;
    };
    // Truncated: at k/cuts of the length, and just before the last '}'.
    for (int k = 0; k < cuts; ++k) {
      std::size_t at = text.size() * static_cast<std::size_t>(k) / static_cast<std::size_t>(cuts);
      check(base + "@cut" + std::to_string(at), text.substr(0, at));
      ++c.truncated;
    }
    if (auto brace = text.rfind('}'); brace != std::string::npos) {
      check(base + "@cut" + std::to_string(brace), text.substr(0, brace));
      ++c.truncated;
    }
    // Byte-flipped: seed s replaces s+1 bytes with random values (any byte,
    // NUL and non-ASCII included). mt19937 is the same on every platform.
    if (text.empty()) continue;
    for (int s = 0; s < seeds; ++s) {
      std::mt19937 rng(fnv1a(dump.name) ^ static_cast<std::uint32_t>(s));
      std::string copy = text;
      for (int n = 0; n <= s; ++n) {
        std::size_t pos = rng() % copy.size();
        copy[pos] = static_cast<char>(rng() % 256);
      }
      check(base + "@flip" + std::to_string(s), std::move(copy));
      ++c.flipped;
    }
  }

  std::cout << "nftc-robustness: " << suite->dumps.size() << " dumps, " << c.inputs << " inputs (" << c.truncated
            << " truncated, " << c.flipped << " byte-flipped): " << c.accepted << " accepted, " << c.rejected
            << " rejected with " << c.errors << " errors, " << c.unlocated << " of them unlocated\n";
  if (failed > 0) {
    std::cerr << "nftc-robustness: " << failed << " rejected inputs have an error without a location\n";
    return kExitFailed;
  }
  return 0;
}
