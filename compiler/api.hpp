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
  std::string text;                  // nft script text, or libnftables JSON (told apart by its first character)
  Stage until = Stage::lower;
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;  // NAME=VALUE
  // Also list the ruleset as `nft list ruleset` would after loading it
  // (Stage::lower only): TextCompileResult::listing and listed_rules.
  bool listing = false;
  bool listing_stateless = false;          // nft -s
  bool listing_numeric_protocols = false;  // nft -p
  bool listing_json = false;               // also as `nft -j` lists it (TextCompileResult::json)
  // A libnftables JSON document read after `text`, into the same ruleset
  // (the conformance runner: an nft context, then a rule in JSON).
  std::string json_text = {};
};

// A rule as the listing prints it, with the chain it is in.
struct ListedRule {
  std::string family, table, chain;
  std::string text;  // one line, as `nft list` prints it in the chain
};

struct TextCompileResult {
  bool ok = false;                   // no error diagnostics
  std::string diagnostics;           // concise rendering, one line each
  std::string bytecode;              // `nftc compile --emit bytecode` text (Stage::lower only)
  std::string listing;               // `nftc compile --emit nft` text (when asked for)
  std::vector<ListedRule> listed_rules;  // every rule of the listing, in order
  std::string json;                  // `nftc compile --emit json` text (when asked for)
};

TextCompileResult compile_text(const TextCompileRequest& req);

}  // namespace nftc
