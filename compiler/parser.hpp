// The front end: nft script text → AST (compiler/ast.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nftc {

struct ParseOptions {
  std::vector<std::string> include_dirs;                 // -I, searched in order
  std::vector<std::pair<std::string, std::string>> defines;  // -D NAME=VALUE
  // Where include files with relative names are looked for after the -I
  // directories (nft: the directory of the main file, then its sysconfdir).
  std::vector<std::string> default_include_dirs = {"/etc"};
};

// Parses `file` (already read into `sm`) and everything it includes into
// `script`. Syntax errors go to `sink`; parsing resynchronises after each
// one, so one mistake gives one error. Returns false if any error was
// reported.
bool parse_file(SourceManager& sm, DiagnosticSink& sink, FileId file, ast::Script& script, const ParseOptions& opts);

}  // namespace nftc
