// nftc fmt: nft source text laid out as `nft list ruleset` lays out blocks,
// keeping what people commit (comments, defines, includes, variables, the
// command form, the order and names as written). See docs/fmt.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/parser.hpp"
#include "compiler/source.hpp"

namespace nftc::formatter {

struct FormatOptions {
  std::size_t width = 120;  // element lists wider than this are wrapped at commas
  ParseOptions parse;       // -I and -D, to read includes and variables as nft would
  bool verify = true;       // parse the result again and compare (see format_file)
};

struct FormatResult {
  std::optional<std::string> text;  // the formatted text; empty optional if refused
  std::string internal_error;       // set when the result would not mean what the input means
};

// Formats file `file` of `sm`. A file with a syntax error is refused: the
// located error goes to `sink` and `text` stays empty. Errors that do not
// stop the parser (unknown variables, missing includes: a file may be a
// fragment of a ruleset) do not stop the formatter either.
//
// With `verify`, the result is parsed again and must give the same syntax
// tree (spans aside), the same tokens and the same comments as the input;
// otherwise `internal_error` says what differs and `text` stays empty.
FormatResult format_file(SourceManager& sm, DiagnosticSink& sink, FileId file, const FormatOptions& opts);

// Checks that `after` means what `before` means: same syntax tree, tokens
// and comments. Returns what differs, or an empty string.
std::string check_equivalent(std::string_view name, std::string_view before, std::string_view after,
                             const ParseOptions& parse);

// The comments of an nft text, in order, trailing blanks removed.
std::vector<std::string> comments_of(std::string_view text);

// A unified diff (`diff -u` style, 3 lines of context) from `a` to `b`;
// empty if they are equal.
std::string unified_diff(std::string_view a, std::string_view b, std::string_view name_a, std::string_view name_b);

}  // namespace nftc::formatter
