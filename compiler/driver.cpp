#include "compiler/driver.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "backends/fmt/format.hpp"
#include "backends/json/json.hpp"
#include "backends/nft/print.hpp"
#include "backends/netlink/apply.hpp"
#include "backends/netlink/batch.hpp"

#include "compiler/diagnostics.hpp"
#include "compiler/input.hpp"
#include "compiler/json_input.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/offload/check.hpp"
#include "compiler/offload/report.hpp"
#include "compiler/parser.hpp"
#include "compiler/sema/analyzer.hpp"
#include "rules/docs.hpp"
#include "rules/engine.hpp"
#include "compiler/render.hpp"
#include "compiler/spell.hpp"
#include "nftc/version.hpp"

namespace nftc {
namespace {

// Renders every diagnostic once, at the end, to standard error (or standard
// output for the machine-readable formats, which tools read from there: GitHub
// reads workflow commands from a step's standard output).
void emit_diagnostics(const DriverOptions& o, const SourceManager& sm, DiagnosticSink& sink) {
  auto format = parse_diagnostic_format(o.diagnostic_format).value_or(DiagnosticFormat::human);
  bool to_stdout = format == DiagnosticFormat::json || format == DiagnosticFormat::sarif ||
                   format == DiagnosticFormat::github;
  add_json_pointers(sm, sink);
  if (sink.empty() && format != DiagnosticFormat::json && format != DiagnosticFormat::sarif) return;
  RenderOptions ro;
  ro.color = want_color(o.color, to_stdout ? STDOUT_FILENO : STDERR_FILENO);
  ro.describe = lint::describe_code;
  ro.help = lint::code_help;
  render(format, to_stdout ? std::cout : std::cerr, sm, sink.all(), ro);
}

bool has_io_error(const DiagnosticSink& sink) {
  for (const Diagnostic& d : sink.all())
    if ((d.code.rfind("IO", 0) == 0 || d.code.rfind("CFG", 0) == 0) && d.severity == Severity::error) return true;
  return false;
}

ExitCode exit_code_for(const DiagnosticSink& sink) {
  if (has_io_error(sink)) return ExitCode::usage;
  return sink.has_errors() ? ExitCode::findings : ExitCode::ok;
}

ExitCode not_yet(std::string_view what) {
  std::cerr << "nftc " << what << ": not available in this build yet\n";
  return ExitCode::usage;
}

// --kernel X.Y, else the running kernel; nothing (after a message) when the
// text is not a version.
std::optional<unsigned> target_kernel(const DriverOptions& o, std::string_view command) {
  if (o.kernel.empty()) return offload::running_kernel();
  if (auto k = offload::parse_kernel(o.kernel)) return std::min(*k, offload::kNewestKernel);
  std::cerr << fmt::format("nftc {}: --kernel {}: expected a kernel version such as 6.1 or 6.18\n", command, o.kernel);
  return std::nullopt;
}

}  // namespace

ParseOptions parse_options(const DriverOptions& o) {
  ParseOptions p;
  p.include_dirs = o.include_dirs;
  for (const std::string& d : o.defines) {
    auto eq = d.find('=');
    p.defines.emplace_back(d.substr(0, eq), eq == std::string::npos ? std::string() : d.substr(eq + 1));
  }
  return p;
}

// Reads, parses and analyses every input file as one batch, in order.
struct Loaded {
  SourceManager sm;
  DiagnosticSink sink;
  ast::Script script;
  std::unique_ptr<sema::Analysis> analysis;
};

void load(const DriverOptions& o, Loaded& l) {
  ParseOptions po = parse_options(o);
  for (const std::string& f : o.files) {
    auto id = read_input(l.sm, l.sink, ReadRequest{f, {}, false});
    if (!id) continue;
    bool json = o.input_format == "json" || (o.input_format != "nft" && looks_like_json(l.sm.file(*id).text));
    if (json) parse_json_file(l.sm, l.sink, *id, l.script);
    else parse_file(l.sm, l.sink, *id, l.script, po);
  }
  if (l.sink.has_errors()) return;
  sema::Analyzer analyzer(l.sm, l.sink, sema::AnalyseOptions{});
  l.analysis = analyzer.run(l.script);
}

ExitCode run_check(const DriverOptions& o) {
  Loaded l;
  load(o, l);
  // Lowering finds what the kernel would refuse; its output is not needed.
  if (l.analysis && !l.sink.has_errors()) lower::lower_analysis(*l.analysis, l.sink, {false, false});
  emit_diagnostics(o, l.sm, l.sink);
  return exit_code_for(l.sink);
}

// Writes the batch bytes to -o FILE, or to standard output unless that is a
// terminal.
bool write_binary(const DriverOptions& o, const std::vector<std::uint8_t>& bytes, DiagnosticSink& sink) {
  const char* data = reinterpret_cast<const char*>(bytes.data());
  if (o.output.empty() || o.output == "-") {
    if (isatty(STDOUT_FILENO)) {
      // (`path = "-"` trips GCC 12's -Wrestrict false positive.)
      sink.error("IO009", Span{}, "the netlink batch is binary: write it to a file with -o FILE").path =
          std::string(1, '-');
      return false;
    }
    std::cout.write(data, static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return static_cast<bool>(std::cout);
  }
  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  if (out) out.write(data, static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    sink.error("IO009", Span{}, fmt::format("cannot write {}", o.output)).path = o.output;
    return false;
  }
  return true;
}

// The offload lints (OFF…) over a compiled batch: errors for what the kernel
// refuses when compiling for hw-offload, warnings for the software target.
void offload_lints(const DriverOptions& o, Loaded& l, const lower::Emitted& e, unsigned kernel) {
  lint::LintOptions lo;
  lo.select = {"OFF"};
  lo.target = o.target == "hw-offload" ? lint::Target::hw_offload : lint::Target::sw;
  lint::LintContext ctx{l.sm, l.script, *l.analysis, e, lo.target, kernel};
  lint::run_lints(ctx, lo, l.sink);
  l.sink.sort_by_location();
}

ExitCode run_compile(const DriverOptions& o) {
  auto kernel = target_kernel(o, "compile");
  if (!kernel) return ExitCode::usage;
  Loaded l;
  load(o, l);
  // --target hw-offload: flowtables are offloaded to hardware, as OpenWrt's
  // flow_offloading_hw does; then the offload lints check the batch.
  if (l.analysis && !l.sink.has_errors() && o.target == "hw-offload")
    offload::set_flowtables_offload(l.analysis->ruleset);
  if (o.emit == "netlink") {
    netlink::Batch batch;
    if (l.analysis && !l.sink.has_errors()) {
      DiagnosticSink scratch;
      lower::Emitted e = lower::lower_analysis(*l.analysis, scratch);
      if (!scratch.has_errors()) offload_lints(o, l, e, *kernel);
    }
    if (l.analysis && !l.sink.has_errors()) batch = netlink::build_batch(*l.analysis, l.sink);
    if (!l.sink.has_errors()) write_binary(o, batch.bytes, l.sink);
    emit_diagnostics(o, l.sm, l.sink);
    return exit_code_for(l.sink);
  }
  std::string text;
  if (l.analysis && !l.sink.has_errors()) {
    lower::Emitted e = lower::lower_analysis(*l.analysis, l.sink);
    if (!l.sink.has_errors()) offload_lints(o, l, e, *kernel);
    if (o.emit == "bytecode" && !l.sink.has_errors()) text = std::move(e.text);
    else if (o.emit == "nft" && !l.sink.has_errors()) text = nft_text::emit_nft(*l.analysis, l.sink);
    else if (o.emit == "json" && !l.sink.has_errors()) text = json_text::emit_json(*l.analysis, l.sink);
    else if (!l.sink.has_errors()) {
      emit_diagnostics(o, l.sm, l.sink);
      return not_yet(fmt::format("compile --emit {}", o.emit));
    }
  }
  emit_diagnostics(o, l.sm, l.sink);
  if (l.sink.has_errors()) return exit_code_for(l.sink);
  if (o.output.empty() || o.output == "-") {
    std::cout << text;
    return ExitCode::ok;
  }
  // Write beside the target and rename, so a failure never leaves half a file.
  std::string tmp = o.output + ".nftc-tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::cerr << fmt::format("nftc compile: cannot write {}: {}\n", o.output, std::strerror(errno));
      std::remove(tmp.c_str());
      return ExitCode::usage;
    }
  }
  if (std::rename(tmp.c_str(), o.output.c_str()) != 0) {
    std::cerr << fmt::format("nftc compile: cannot write {}: {}\n", o.output, std::strerror(errno));
    std::remove(tmp.c_str());
    return ExitCode::usage;
  }
  return ExitCode::ok;
}

// Compiles the files into one batch and sends it to the kernel of the
// current network namespace as one transaction (nft -f), or only has the
// kernel check it (nft -c).
ExitCode run_apply(const DriverOptions& o) {
  Loaded l;
  load(o, l);
  if (!l.analysis || l.sink.has_errors()) {
    emit_diagnostics(o, l.sm, l.sink);
    return exit_code_for(l.sink);
  }
  if (o.target == "hw-offload") offload::set_flowtables_offload(l.analysis->ruleset);
  netlink::Batch batch = netlink::build_batch(*l.analysis, l.sink);
  if (l.sink.has_errors()) {
    emit_diagnostics(o, l.sm, l.sink);
    return exit_code_for(l.sink);
  }
  netlink::ApplyStatus status = netlink::apply_batch(batch, netlink::ApplyOptions{o.dry_run}, l.sink);
  emit_diagnostics(o, l.sm, l.sink);
  switch (status) {
    case netlink::ApplyStatus::committed:
    case netlink::ApplyStatus::checked: return l.sink.has_errors() ? ExitCode::findings : ExitCode::ok;
    case netlink::ApplyStatus::rejected: return ExitCode::findings;
    case netlink::ApplyStatus::no_permission:
    case netlink::ApplyStatus::failed: return ExitCode::usage;
  }
  return ExitCode::usage;
}
namespace {

// Replaces `path` with `text` atomically: a temporary file beside it, with
// the original's mode (and owner, where allowed), renamed over it. A symbolic link is followed, so the
// file it points to is the one rewritten.
bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  std::error_code ec;
  std::filesystem::path target = std::filesystem::canonical(path, ec);
  if (ec) target = path;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    error = std::strerror(errno);
    return false;
  }
  std::string tmp = target.string() + ".nftc-fmt-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  // The owner too, where we may (root formatting another user's file);
  // before the mode, as a change of owner may clear set-id bits.
  if (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) {
    [[maybe_unused]] int not_allowed = ::fchown(fd, st.st_uid, st.st_gid);  // then the file is ours
  }
  bool ok = ::fchmod(fd, st.st_mode & 07777) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  if (!ok) error = std::strerror(errno);
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = std::strerror(errno);
  }
  if (ok && std::rename(tmp.c_str(), target.c_str()) != 0) {
    ok = false;
    error = std::strerror(errno);
  }
  if (!ok) std::remove(tmp.c_str());
  return ok;
}

}  // namespace

// Formats each file in place; with --check or --diff changes nothing and
// prints what would change. A file that does not parse is never written.
ExitCode run_fmt(const DriverOptions& o) {
  if (o.input_format == "json") {
    std::cerr << "nftc fmt: formats nft source; JSON input is not formatted\n";
    return ExitCode::usage;
  }
  bool failed = false, io_failed = false, changed = false;
  for (const std::string& f : o.files) {
    SourceManager sm;
    DiagnosticSink sink;
    std::optional<FileId> id = read_input(sm, sink, ReadRequest{f, {}, true});
    formatter::FormatResult r;
    if (id) {
      formatter::FormatOptions fo;
      fo.parse = parse_options(o);
      r = formatter::format_file(sm, sink, *id, fo);
    }
    emit_diagnostics(o, sm, sink);
    if (has_io_error(sink)) {
      io_failed = true;
      continue;
    }
    if (!r.internal_error.empty()) {
      std::cerr << fmt::format("nftc fmt: {}: not formatted: {} (a bug in nftc; the file is left as it is)\n",
                               f, r.internal_error);
      failed = true;
      continue;
    }
    if (!r.text) {
      failed = true;
      continue;
    }
    const std::string& before = sm.file(*id).text;
    const std::string& after = *r.text;
    if (o.dry_run || o.show_diff) {
      std::string name = f == "-" ? "<stdin>" : f;
      std::cout << formatter::unified_diff(before, after, name, name + " (formatted)");
      changed |= before != after;
      continue;
    }
    if (f == "-") {
      std::cout << after;
      continue;
    }
    if (before == after) continue;
    std::string error;
    if (!write_atomically(f, after, error)) {
      std::cerr << fmt::format("nftc fmt: cannot write {}: {}\n", f, error);
      io_failed = true;
    }
  }
  std::cout.flush();
  if (io_failed) return ExitCode::usage;
  if (failed || (o.dry_run && changed)) return ExitCode::findings;
  return ExitCode::ok;
}

ExitCode run_lint(const DriverOptions& o) {
  Loaded l;
  lint::LintOptions lo;
  if (!o.no_config) {
    std::optional<std::string> config = o.config;
    if (o.config.empty()) {
      std::string first = o.files.empty() || o.files.front() == "-" ? "." : o.files.front();
      config = lint::find_config(std::filesystem::path(first).parent_path().string());
    }
    if (config && !lint::load_config(*config, lo, l.sink)) {
      emit_diagnostics(o, l.sm, l.sink);
      return ExitCode::usage;
    }
  }
  if (!o.select.empty()) lo.select = o.select;
  lo.ignore.insert(lo.ignore.end(), o.ignore.begin(), o.ignore.end());
  if (!o.fail_on.empty())
    lo.fail_on = o.fail_on == "error" ? Severity::error : o.fail_on == "info" ? Severity::info : Severity::warning;
  if (o.target == "hw-offload") lo.target = lint::Target::hw_offload;
  for (const std::string& s : lo.select) {
    if (lint::find_rule(s) == nullptr &&
        std::none_of(lint::all_rules().begin(), lint::all_rules().end(),
                     [&](const lint::LintRule* r) { return r->code.rfind(s, 0) == 0; })) {
      std::cerr << fmt::format("nftc lint: --select {}: no lint rule has this code or name (see `nftc rules`)\n", s);
      return ExitCode::usage;
    }
  }

  auto kernel = target_kernel(o, "lint");
  if (!kernel) return ExitCode::usage;
  if (o.report == "offload") {
    // The report reads the files as one ruleset, as `check` does.
    load(o, l);
    if (l.analysis && !l.sink.has_errors()) {
      lower::Emitted e = lower::lower_analysis(*l.analysis, l.sink);
      if (!l.sink.has_errors()) {
        offload::ReportOptions ro{*kernel, lo.target == lint::Target::hw_offload};
        std::cout << (o.diagnostic_format == "json" ? offload::report_json(l.sm, *l.analysis, e, ro)
                                                    : offload::report_text(l.sm, *l.analysis, e, ro));
        return ExitCode::ok;
      }
    }
    emit_diagnostics(o, l.sm, l.sink);
    return exit_code_for(l.sink);
  }

  // Each file is its own ruleset (unlike `check`, which reads them as one
  // batch): a file with errors is reported and the others are still linted.
  ParseOptions po = parse_options(o);
  for (const std::string& f : o.files) {
    std::size_t errors = l.sink.error_count();
    auto first = static_cast<FileId>(l.sm.size());
    auto id = read_input(l.sm, l.sink, ReadRequest{f, {}, false});
    if (!id) continue;
    ast::Script script;
    parse_file(l.sm, l.sink, *id, script, po);
    if (l.sink.error_count() != errors) continue;
    sema::Analyzer analyzer(l.sm, l.sink, sema::AnalyseOptions{});
    std::unique_ptr<sema::Analysis> analysis = analyzer.run(script);
    if (!analysis || l.sink.error_count() != errors) continue;
    lower::Emitted e = lower::lower_analysis(*analysis, l.sink);
    if (l.sink.error_count() != errors) continue;
    lint::LintContext ctx{l.sm, script, *analysis, e, lo.target, *kernel, first};
    lint::run_lints(ctx, lo, l.sink);
  }
  l.sink.sort_by_location();
  emit_diagnostics(o, l.sm, l.sink);
  if (o.statistics) {
    std::map<std::string, std::size_t> counts;
    for (const Diagnostic& d : l.sink.all()) ++counts[d.code];
    for (const auto& [code, n] : counts) {
      const DiagnosticCode* info = lint::describe_code(code);
      std::cout << fmt::format("{:>5}  {:<7} {}\n", n, code, info ? info->slug : "");
    }
  }
  if (has_io_error(l.sink)) return ExitCode::usage;
  auto rank = [](Severity s) { return s == Severity::error ? 2 : s == Severity::warning ? 1 : 0; };
  for (const Diagnostic& d : l.sink.all())
    if (rank(d.severity) >= rank(lo.fail_on)) return ExitCode::findings;
  return ExitCode::ok;
}

ExitCode run_rules(const DriverOptions& o) {
  const lint::LintRule* rule = nullptr;
  if (!o.rule_code.empty()) {
    rule = lint::find_rule(o.rule_code);
    if (rule == nullptr) {
      std::vector<std::string_view> names;
      for (const lint::LintRule* r : lint::all_rules()) {
        names.push_back(r->code);
        names.push_back(r->slug);
      }
      std::string hint;
      if (auto m = closest_match(o.rule_code, names)) hint = fmt::format(" (did you mean {}?)", *m);
      std::cerr << fmt::format("nftc rules: no rule is called '{}'{}; `nftc rules` lists them\n", o.rule_code, hint);
      return ExitCode::usage;
    }
  }
  if (o.diagnostic_format == "json") std::cout << lint::rules_json(rule);
  else std::cout << (rule ? lint::rule_text(*rule) : lint::rules_table());
  return ExitCode::ok;
}

ExitCode run_version(const DriverOptions&) {
  std::cout << "nftc " << kVersion << '\n';
  return ExitCode::ok;
}

}  // namespace nftc
