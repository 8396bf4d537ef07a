// nftc-apply-each FILE...: `nftc apply FILE` for each file in turn, in one
// process. The offload oracle loads a few thousand small rulesets, one at a
// time, and one nftc process per ruleset would spend most of the test in
// start-up when nftc is built with sanitizers.
//
// Each file goes through nftc::run_apply, the function behind `nftc apply`,
// as its own transaction. On standard error, after a file's diagnostics:
//
//   @@@ nftc-apply-each EXIT FILE
//
// where EXIT is the exit status `nftc apply FILE` would have had.
#include <iostream>
#include <string>

#include "compiler/driver.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: nftc-apply-each FILE...\n";
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    nftc::DriverOptions o;
    o.files = {argv[i]};
    o.color = "never";
    int rc = static_cast<int>(nftc::run_apply(o));
    std::cout.flush();
    std::cerr << "@@@ nftc-apply-each " << rc << ' ' << argv[i] << '\n';
  }
  return 0;
}
