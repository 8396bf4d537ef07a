#include "compiler/driver.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <fstream>
#include <iostream>

#include "backends/netlink/apply.hpp"
#include "backends/netlink/batch.hpp"

#include "compiler/diagnostics.hpp"
#include "compiler/input.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/parser.hpp"
#include "compiler/sema/analyzer.hpp"
#include "compiler/render.hpp"
#include "nftc/version.hpp"

namespace nftc {
namespace {

// Renders every diagnostic once, at the end, to standard error (or standard
// output for the machine-readable formats, which tools read from there).
void emit_diagnostics(const DriverOptions& o, const SourceManager& sm, DiagnosticSink& sink) {
  auto format = parse_diagnostic_format(o.diagnostic_format).value_or(DiagnosticFormat::human);
  bool to_stdout = format == DiagnosticFormat::json || format == DiagnosticFormat::sarif;
  if (sink.empty() && format != DiagnosticFormat::json && format != DiagnosticFormat::sarif) return;
  RenderOptions ro;
  ro.color = want_color(o.color, to_stdout ? STDOUT_FILENO : STDERR_FILENO);
  render(format, to_stdout ? std::cout : std::cerr, sm, sink.all(), ro);
}

bool has_io_error(const DiagnosticSink& sink) {
  for (const Diagnostic& d : sink.all())
    if (d.code.rfind("IO", 0) == 0 && d.severity == Severity::error) return true;
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
    parse_file(l.sm, l.sink, *id, l.script, po);
  }
  if (l.sink.has_errors()) return;
  sema::Analyzer analyzer(l.sm, l.sink, sema::AnalyseOptions{});
  l.analysis = analyzer.run(l.script);
}

ExitCode run_check(const DriverOptions& o) {
  Loaded l;
  load(o, l);
  if (l.analysis && !l.sink.has_errors()) lower::lower_analysis(*l.analysis, l.sink);
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

ExitCode run_compile(const DriverOptions& o) {
  Loaded l;
  load(o, l);
  if (o.emit == "netlink") {
    netlink::Batch batch;
    if (l.analysis && !l.sink.has_errors()) batch = netlink::build_batch(*l.analysis, l.sink);
    if (!l.sink.has_errors()) write_binary(o, batch.bytes, l.sink);
    emit_diagnostics(o, l.sm, l.sink);
    return exit_code_for(l.sink);
  }
  std::string text;
  if (l.analysis && !l.sink.has_errors()) {
    lower::Emitted e = lower::lower_analysis(*l.analysis, l.sink);
    if (o.emit == "bytecode") text = std::move(e.text);
    else if (!l.sink.has_errors()) {
      emit_diagnostics(o, l.sm, l.sink);
      return not_yet(fmt::format("compile --emit {}", o.emit));
    }
  }
  emit_diagnostics(o, l.sm, l.sink);
  if (l.sink.has_errors()) return exit_code_for(l.sink);
  std::cout << text;
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

ExitCode run_lint(const DriverOptions&) { return not_yet("lint"); }
ExitCode run_fmt(const DriverOptions&) { return not_yet("fmt"); }
ExitCode run_rules(const DriverOptions&) { return not_yet("rules"); }

ExitCode run_version(const DriverOptions&) {
  std::cout << "nftc " << kVersion << '\n';
  return ExitCode::ok;
}

}  // namespace nftc
