// A small in-process API over the whole pipeline, for tools and tests that
// compile many small rulesets (the conformance runner, benchmarks).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nftc {

enum class Stage {
  parse,    // syntax only
  analyse,  // + semantic analysis (what nft checks before the kernel)
  lower,    // + lowering to bytecode
};

struct TextCompileRequest {
  std::string name = "<input>";      // the file name shown in diagnostics
  std::string text;                  // nft script text
  Stage until = Stage::lower;
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;  // NAME=VALUE
};

struct TextCompileResult {
  bool ok = false;                   // no error diagnostics
  std::string diagnostics;           // concise rendering, one line each
  std::string bytecode;              // `nftc compile --emit bytecode` text (Stage::lower only)
};

TextCompileResult compile_text(const TextCompileRequest& req);

}  // namespace nftc
