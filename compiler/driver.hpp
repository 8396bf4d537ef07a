// The driver: read → parse → analyse → lint → emit → render, for each
// subcommand. The CLI (main.cpp) only fills DriverOptions.
#pragma once

#include <string>
#include <vector>

namespace nftc {

enum class ExitCode : int {
  ok = 0,        // success, nothing at the failing level
  findings = 1,  // the input has errors, or lint findings at the failing level
  usage = 2,     // usage or I/O error
};

struct DriverOptions {
  std::vector<std::string> files;
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;  // NAME=VALUE
  std::string input_format = "auto";
  std::string diagnostic_format = "human";
  std::string color = "auto";
  std::string target = "sw";
  std::string kernel;
  std::string emit = "nft";
  std::string output;
  bool dry_run = false;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string fail_on;  // empty: the configuration's, else warning
  bool statistics = false;
  std::string config;
  bool no_config = false;
  std::string report;
  std::string rule_code;
};

ExitCode run_check(const DriverOptions& o);
ExitCode run_compile(const DriverOptions& o);
ExitCode run_apply(const DriverOptions& o);
ExitCode run_lint(const DriverOptions& o);
ExitCode run_fmt(const DriverOptions& o);
ExitCode run_rules(const DriverOptions& o);
ExitCode run_version(const DriverOptions& o);

}  // namespace nftc
