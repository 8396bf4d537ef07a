// The JSON backend: the ruleset IR as libnftables JSON (schema version 1),
// exactly as `nft -j list ruleset` prints it (nft's json.c). Fed a listing
// (compiler/listing), it prints what nft -j would list after loading the
// same ruleset:
//
//   {"nftables": [{"metainfo": {"version": "1.1.6", …, "json_schema_version": 1}},
//                 {"table": {"family": "inet", "name": "t", "handle": 1}},
//                 {"chain": {…}}, {"set": {…}}, {"rule": {…, "expr": [{"match": {…}}]}}]}
//
// Per table: the table, its chains, objects, named sets and maps,
// flowtables, then the rules of every chain.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/listing/listing.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::json_text {

using Json = nlohmann::ordered_json;

struct PrintOptions {
  bool stateless = false;     // nft -s
  sema::PrintOptions values;  // numeric_protocols (-p), services (-S), numeric_symbols (-n)
};

// The whole listing, {"nftables": [metainfo, …]}.
Json ruleset_json(const listing::Listing& listing, const PrintOptions& opts = {});

// One rule, statement or expression, as it appears in that listing.
Json rule_json(const sema::Rule& rule, const sema::Table& table, const sema::Chain& chain,
               const PrintOptions& opts = {});
Json stmt_json(const sema::Stmt& stmt, const PrintOptions& opts = {});
Json expr_json(const sema::Expr& expr, const PrintOptions& opts = {});

// The text nft prints: jansson's default layout (", " and ": " separators,
// one line), then a newline.
std::string to_text(const Json& j);

// `nftc compile --emit json`.
std::string emit_json(const sema::Analysis& analysis, DiagnosticSink& sink, const PrintOptions& opts = {});

}  // namespace nftc::json_text
