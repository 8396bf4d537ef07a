// nftc-parse-bench: parses files through the library API (read once, then
// parse N times) and reports the best parse throughput and the peak RSS.
// With --dump it prints the AST instead (compiler/ast_dump.hpp), which is
// how front-end changes are checked for unintended differences.
//
//   nftc-parse-bench [--repeat N] [--dump] [--spans] FILE...
#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast_dump.hpp"
#include "compiler/parser.hpp"
#include "compiler/render.hpp"
#include "grammar/lexer.hpp"

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// CPU time of this process (user and system), in seconds.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  bool dump = false, spans = false;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--dump")) dump = true;
    else if (!std::strcmp(argv[i], "--spans")) spans = true;
    else files.push_back(argv[i]);
  }
  if (files.empty()) {
    std::cerr << "usage: nftc-parse-bench [--repeat N] [--dump] [--spans] FILE...\n";
    return 2;
  }
  int rc = 0;
  for (const char* path : files) {
    std::string text = read_file(path);
    if (dump) {
      nftc::SourceManager sm;
      nftc::DiagnosticSink sink;
      nftc::FileId id = sm.add(path, text);
      nftc::ast::Script script;
      bool ok = nftc::parse_file(sm, sink, id, script, {});
      std::cout << "# " << path << (ok ? "" : " (errors)") << "\n" << nftc::ast::dump(script, {spans, true});
      nftc::render_concise(std::cout, sm, sink.all(), nftc::RenderOptions{});
      continue;
    }
    double best = 1e300, best_cpu = 1e300;
    std::size_t errors = 0;
    nftc::ast::Arena::Usage usage{};
    for (int r = 0; r < repeat; ++r) {
      nftc::SourceManager sm;
      nftc::DiagnosticSink sink;
      nftc::FileId id = sm.add(path, text);
      auto t0 = std::chrono::steady_clock::now();
      double c0 = cpu_seconds();
      {
        nftc::ast::Script script;
        nftc::parse_file(sm, sink, id, script, {});
        auto t1 = std::chrono::steady_clock::now();
        best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
        best_cpu = std::min(best_cpu, cpu_seconds() - c0);
        usage = script.arena.usage();
      }
      errors = sink.error_count();
    }
    double mb = static_cast<double>(text.size()) / 1e6;
    // CPU time too: on a loaded machine the wall time measures the others.
    fmt::print("{}: {:.2f} MB, best of {}: {:.3f} s wall ({:.1f} MB/s), {:.3f} s CPU ({:.1f} MB/s), peak RSS {:.1f} MiB, "
               "{} errors\n",
               path, mb, repeat, best, mb / best, best_cpu, mb / best_cpu,
               static_cast<double>(peak_rss_kib()) / 1024.0, errors);
    auto mib = [](std::size_t b) { return static_cast<double>(b) / (1024.0 * 1024.0); };
    fmt::print("  AST: expressions {:.1f} MiB, selectors {:.1f}, set element options {:.1f}, statements {:.1f}, rules {:.1f}, "
               "declarations {:.1f}, lists {:.1f}; tokens {:.1f} MiB ({} bytes each)\n",
               mib(usage.exprs), mib(usage.selectors), mib(usage.elem_options), mib(usage.stmts), mib(usage.rules),
               mib(usage.decls), mib(usage.lists), mib((text.size() / 5 + 16) * sizeof(nftc::grammar::Token)),
               sizeof(nftc::grammar::Token));
    if (errors) rc = 1;
  }
  return rc;
}
