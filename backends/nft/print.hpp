// The nft text backend: the ruleset IR in the exact text `nft list ruleset`
// prints (nft's rule.c, statement.c, expression.c and the datatype
// printers). Fed a listing (compiler/listing), it prints what nft would list
// after loading the same ruleset; it prints any other ruleset IR too, which
// is how diagnostics show an expression.
//
//   table inet t {
//   	set s {
//   		type ipv4_addr
//   		elements = { 10.0.0.1 }
//   	}
//
//   	chain c {
//   		type filter hook input priority filter; policy accept;
//   		ip saddr @s counter packets 0 bytes 0 accept
//   	}
//   }
#pragma once

#include <string>

#include "compiler/listing/listing.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::nft_text {

struct PrintOptions {
  bool stateless = false;  // nft -s: no counter values, quota usage, element expiry
  sema::PrintOptions values;  // -n, -S, -p (numeric_protocols), -T
  bool numeric_priority = false;  // -y: chain priorities as numbers
};

// The whole listing, as `nft list ruleset` prints it.
std::string ruleset_text(const sema::Ruleset& ruleset, const PrintOptions& opts = {});

// One table, chain body, rule, statement or expression, as they appear
// in that listing (rules without indentation or trailing newline).
std::string table_text(const sema::Table& table, const PrintOptions& opts = {});
std::string rule_text(const sema::Rule& rule, const PrintOptions& opts = {});
std::string stmt_text(const sema::Stmt& stmt, const PrintOptions& opts = {});
std::string expr_text(const sema::Expr& expr, const PrintOptions& opts = {});

// `nftc compile --emit nft`: the listing of an analysed ruleset.
std::string emit_nft(const sema::Analysis& analysis, DiagnosticSink& sink, const PrintOptions& opts = {});

}  // namespace nftc::nft_text
