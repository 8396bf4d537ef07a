// The installed nft as the compiler under test: each script goes to
// `nft -c -f` inside a network namespace made for the run, so the suite can
// be scored against nft itself and nftc's disagreements with it listed.
#pragma once

#include <string>

#include "compiler/api.hpp"

namespace nftc::conformance {

class NftOracle {
 public:
  // Creates the namespace; throws std::runtime_error when that fails (needs root).
  explicit NftOracle(std::string nft_path);
  ~NftOracle();
  NftOracle(const NftOracle&) = delete;
  NftOracle& operator=(const NftOracle&) = delete;

  // ok is nft's exit status; diagnostics its standard error. No bytecode.
  TextCompileResult operator()(const TextCompileRequest& req) const;

 private:
  std::string nft_;
  std::string netns_;
};

}  // namespace nftc::conformance
