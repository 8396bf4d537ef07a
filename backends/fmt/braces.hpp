// What each '{' of a file opens, read from the AST: a declaration's block
// (laid out one statement per line), a set expression (elements, wrapped at
// commas), or anything else (kept on its lines).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backends/fmt/scan.hpp"
#include "compiler/ast.hpp"

namespace nftc::formatter {

enum class BraceKind : std::uint8_t {
  other,          // meter, set statement, ct timeout policy, devices, …: inline
  table,          // table … { … }
  chain,          // chain … { … }
  set,            // set/map … { … }
  flowtable,      // flowtable … { … }
  object,         // counter/quota/limit/ct helper/… NAME { … }
  anon_chain,     // jump { … } / goto { … }: a chain body inside a rule
  set_expr,       // { a, b } inside a rule or a property
  element_list,   // the elements of a named set or a define: may be wrapped
};

inline bool is_block(BraceKind k) {
  return k == BraceKind::table || k == BraceKind::chain || k == BraceKind::set || k == BraceKind::flowtable ||
         k == BraceKind::object || k == BraceKind::anon_chain;
}
inline bool is_set_like(BraceKind k) { return k == BraceKind::set_expr || k == BraceKind::element_list; }

struct BraceInfo {
  BraceKind kind = BraceKind::other;
  bool command_form = false;  // the block of an `add`/`create` command: may stay on one line
};

// Keyed by the byte offset of the '{'.
using BraceMap = std::unordered_map<std::uint32_t, BraceInfo>;

// Classifies the braces of `file` from the parsed `script`. `pieces` is the
// file's scan (scan.hpp).
BraceMap classify_braces(const ast::Script& script, FileId file, std::string_view text,
                         const std::vector<Piece>& pieces);

}  // namespace nftc::formatter
