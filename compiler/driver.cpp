#include "compiler/driver.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <iostream>

#include "backends/json/json.hpp"
#include "backends/nft/print.hpp"
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

ExitCode run_compile(const DriverOptions& o) {
  Loaded l;
  load(o, l);
  std::string text;
  if (l.analysis && !l.sink.has_errors()) {
    lower::Emitted e = lower::lower_analysis(*l.analysis, l.sink);
    if (o.emit == "bytecode") text = std::move(e.text);
    else if (o.emit == "nft" && !l.sink.has_errors()) text = nft_text::emit_nft(*l.analysis, l.sink);
    else if (o.emit == "json" && !l.sink.has_errors()) text = json_text::emit_json(*l.analysis, l.sink);
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

ExitCode run_apply(const DriverOptions&) { return not_yet("apply"); }
ExitCode run_lint(const DriverOptions&) { return not_yet("lint"); }
ExitCode run_fmt(const DriverOptions&) { return not_yet("fmt"); }
ExitCode run_rules(const DriverOptions&) { return not_yet("rules"); }

ExitCode run_version(const DriverOptions&) {
  std::cout << "nftc " << kVersion << '\n';
  return ExitCode::ok;
}

}  // namespace nftc
