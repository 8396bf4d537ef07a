#include "compiler/driver.hpp"

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

#include "backends/json/json.hpp"
#include "backends/nft/print.hpp"
#include "backends/netlink/apply.hpp"
#include "backends/netlink/batch.hpp"

#include "compiler/diagnostics.hpp"
#include "compiler/input.hpp"
#include "compiler/json_input.hpp"
#include "compiler/lower/lower.hpp"
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
ExitCode run_fmt(const DriverOptions&) { return not_yet("fmt"); }
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

  load(o, l);
  if (l.analysis && !l.sink.has_errors()) {
    lower::Emitted e = lower::lower_analysis(*l.analysis, l.sink);
    if (!l.sink.has_errors()) {
      lint::LintContext ctx{l.sm, l.script, *l.analysis, e, lo.target, 0};
      lint::run_lints(ctx, lo, l.sink);
    }
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
