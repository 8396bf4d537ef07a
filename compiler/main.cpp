// nftc: the command-line tool. Parses arguments with CLI11 and hands over to
// the driver; everything else lives in libnftc.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/driver.hpp"
#include "compiler/spell.hpp"
#include "nftc/version.hpp"

namespace {

using nftc::DriverOptions;
using nftc::ExitCode;

void add_input_options(CLI::App* sub, DriverOptions& o, bool many_files) {
  if (many_files)
    sub->add_option("FILE", o.files, "ruleset files ('-' reads standard input)")->required();
  else
    sub->add_option("FILE", o.files, "ruleset file ('-' reads standard input)")->required()->expected(1);
  sub->add_option("-I,--includepath", o.include_dirs, "add DIR to the include search path (as nft -I)")
      ->type_name("DIR");
  sub->add_option("-D,--define", o.defines, "define variable NAME with VALUE (as nft -D)")->type_name("NAME=VALUE");
  sub->add_option("--input-format", o.input_format, "input language: auto, nft or json")
      ->check(CLI::IsMember({"auto", "nft", "json"}))
      ->default_str("auto");
}

void add_output_options(CLI::App* sub, DriverOptions& o) {
  sub->add_option("--format", o.diagnostic_format, "diagnostics format: human, concise, json, sarif or github")
      ->check(CLI::IsMember({"human", "concise", "json", "sarif", "github"}))
      ->default_str("human");
  sub->add_option("--color", o.color, "colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
}

void add_target_options(CLI::App* sub, DriverOptions& o) {
  sub->add_option("--target", o.target, "sw (default) or hw-offload: what the ruleset is compiled for")
      ->check(CLI::IsMember({"sw", "hw-offload"}))
      ->default_str("sw");
  sub->add_option("--kernel", o.kernel, "kernel version X.Y to check against (default: the running kernel)")
      ->type_name("X.Y");
}

// CLI11 has no "did you mean" for subcommands; a typo would otherwise be
// reported as an unexpected positional argument.
bool suggest_subcommand(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.empty() || arg[0] == '-') continue;
    std::vector<std::string_view> names;
    std::vector<std::string> storage;
    for (const CLI::App* s : app.get_subcommands({})) storage.push_back(s->get_name());
    for (const auto& n : storage) names.push_back(n);
    for (const auto& n : storage)
      if (n == arg) return false;
    std::cerr << "nftc: unknown command '" << arg << "'";
    if (auto m = nftc::closest_match(arg, names)) std::cerr << "; did you mean '" << *m << "'?";
    std::cerr << "\nRun 'nftc --help' for the list of commands.\n";
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nftc: a compiler and linter for nftables rulesets", "nftc"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", std::string("nftc ") + nftc::kVersion);

  DriverOptions o;

  CLI::App* check = app.add_subcommand("check", "parse and analyse rulesets as nft would, without a kernel");
  add_input_options(check, o, true);
  add_output_options(check, o);
  add_target_options(check, o);

  CLI::App* compile = app.add_subcommand("compile", "compile a ruleset to nft text, JSON, bytecode or a netlink batch");
  add_input_options(compile, o, false);
  add_output_options(compile, o);
  add_target_options(compile, o);
  compile->add_option("--emit", o.emit, "output: nft, json, bytecode or netlink")
      ->check(CLI::IsMember({"nft", "json", "bytecode", "netlink"}))
      ->default_str("nft");
  compile->add_option("-o,--output", o.output, "write the output to FILE instead of standard output")
      ->type_name("FILE");

  CLI::App* apply = app.add_subcommand("apply", "load a ruleset into the kernel as one atomic transaction");
  add_input_options(apply, o, false);
  add_output_options(apply, o);
  add_target_options(apply, o);
  apply->add_flag("-c,--check", o.dry_run, "send the batch without committing it (as nft -c)");

  CLI::App* lint = app.add_subcommand("lint", "run the lint rules over rulesets");
  add_input_options(lint, o, true);
  add_output_options(lint, o);
  add_target_options(lint, o);
  lint->add_option("--select", o.select, "enable only these rule codes or prefixes")->delimiter(',');
  lint->add_option("--ignore", o.ignore, "disable these rule codes or prefixes")->delimiter(',');
  lint->add_option("--fail-on", o.fail_on, "exit 1 on findings of this level or worse: info, warning or error")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->default_str("warning");
  lint->add_flag("--statistics", o.statistics, "print the number of findings per code");
  lint->add_option("--config", o.config, "read lint settings from FILE instead of the nearest nftc.toml")
      ->type_name("FILE");
  lint->add_flag("--no-config", o.no_config, "do not read nftc.toml");
  lint->add_option("--report", o.report, "print a report instead of diagnostics: offload")
      ->check(CLI::IsMember({"offload"}));

  CLI::App* fmt = app.add_subcommand("fmt", "format ruleset files in place, keeping comments");
  add_input_options(fmt, o, true);
  add_output_options(fmt, o);
  fmt->add_flag("--check", o.dry_run, "change nothing; exit 1 and show a diff when a file would change");

  CLI::App* rules = app.add_subcommand("rules", "list the lint rules, or explain one");
  rules->add_option("CODE", o.rule_code, "a rule code or slug");
  rules->add_option("--format", o.diagnostic_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CLI::App* version = app.add_subcommand("version", "print the version of nftc");

  if (suggest_subcommand(app, argc, argv)) return static_cast<int>(ExitCode::usage);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line that says who complains, and where to read more.
    std::string where = "nftc";
    for (const CLI::App* s : app.get_subcommands()) where += " " + s->get_name();
    std::cerr << "nftc: " << e.what() << "\nRun '" << where << " --help' for more information.\n";
    return static_cast<int>(ExitCode::usage);
  }

  ExitCode rc = ExitCode::usage;
  if (*check) rc = nftc::run_check(o);
  else if (*compile) rc = nftc::run_compile(o);
  else if (*apply) rc = nftc::run_apply(o);
  else if (*lint) rc = nftc::run_lint(o);
  else if (*fmt) rc = nftc::run_fmt(o);
  else if (*rules) rc = nftc::run_rules(o);
  else if (*version) rc = nftc::run_version(o);
  return static_cast<int>(rc);
}
