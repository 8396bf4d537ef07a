// A compact S-expression rendering of the AST, for tests and debugging.
//
//   (add table ip t (table t (chain c (rule (match (payload ip saddr) == 1.2.3.4) (counter) accept))))
//
// Every node kind and every field the parser sets appears, so that a test
// comparing the text pins the whole shape. With `spans`, each expression and
// statement is followed by @begin-end (byte offsets).
#pragma once

#include <string>

#include "compiler/ast.hpp"

namespace nftc::ast {

struct DumpOptions {
  bool spans = false;
  bool newlines = false;  // one command per line (otherwise separated by "\n" too; rules inline)
};

std::string dump(const Script& script, const DumpOptions& opts = {});
std::string dump(const Command& cmd, const DumpOptions& opts = {});
std::string dump(const Expr& e, const DumpOptions& opts = {});
std::string dump(const Stmt& s, const DumpOptions& opts = {});
std::string dump(const RuleDecl& r, const DumpOptions& opts = {});

}  // namespace nftc::ast
