// nftc-py-scripts: the rules of the nftables py suite (tests/py/*/*.t) as
// nft scripts, one per table of each test file, for the differential test
// through the kernel (differential.py --py). Each script is the table's
// context (table, chains, objects, sets and their elements, as nft-test.py
// creates them) followed by one `add rule` per rule line the suite expects
// to pass and nftc accepts, in every chain of the table.
//
//   nftc-py-scripts SUITE_ROOT OUTDIR
//
// The first line of each script is `# context N`: the number of context
// lines that follow it before the rules.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "compiler/api.hpp"
#include "tests/conformance/script.hpp"
#include "tests/conformance/suite.hpp"

namespace fs = std::filesystem;
using namespace nftc::conformance;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: nftc-py-scripts SUITE_ROOT OUTDIR\n";
    return 2;
  }
  auto suite = load_suite(argv[1]);
  if (!suite) {
    std::cerr << "nftc-py-scripts: no suite at " << argv[1] << "\n";
    return 2;
  }
  fs::create_directories(argv[2]);
  int scripts = 0, rules = 0;
  for (const TestFile& f : suite->files) {
    for (const auto& table : f.tables) {
      std::string context = context_script(*table);
      std::string body;
      std::set<std::string> seen;
      for (const RuleLine& rl : f.rules) {
        if (rl.expect != Expect::ok) continue;
        for (const TestCase& c : rl.cases) {
          if (c.family() != table->family || c.table_name() != table->name) continue;
          std::string cmd = rule_command(c);
          if (!seen.insert(cmd).second) continue;
          nftc::TextCompileRequest req;
          req.text = case_script(c);
          if (!nftc::compile_text(req).ok) continue;
          body += cmd;
          ++rules;
        }
      }
      if (body.empty()) continue;
      std::string name = f.name + "." + table->family + "." + table->name + ".nft";
      std::replace(name.begin(), name.end(), '/', '_');
      std::ofstream out(fs::path(argv[2]) / name);
      out << "# context " << std::count(context.begin(), context.end(), '\n') << "\n" << context << body;
      ++scripts;
    }
  }
  std::cout << "nftc-py-scripts: " << scripts << " scripts, " << rules << " rules\n";
  return 0;
}
