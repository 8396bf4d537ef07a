// The JSON front end: libnftables JSON (schema version 1, as `nft -j` reads
// and writes it; see libnftables-json(5)) → the same AST the nft parser
// builds (compiler/ast.hpp), so analysis, lowering, lints and backends run
// unchanged. See docs/json-input.md.
#pragma once

#include <string_view>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nftc {

// Whether the text is JSON rather than nft syntax: its first non-blank
// character is `{` or `[` (an nft script never starts with either).
bool looks_like_json(std::string_view text);

// Reads the JSON document `file` (already in `sm`) into `script`, appending
// its commands. Every error names the JSON pointer of the offending value and
// points at its line and column. Returns false if any error was reported.
bool parse_json_file(SourceManager& sm, DiagnosticSink& sink, FileId file, ast::Script& script);

// Adds the JSON pointer of the innermost value of a JSON input that contains
// each diagnostic's primary span (reported by later passes, which only know
// spans) to its message, once.
void add_json_pointers(const SourceManager& sm, DiagnosticSink& sink);

}  // namespace nftc
