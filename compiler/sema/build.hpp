// AST → unevaluated IR: what nft's parser actions build (payload
// expressions with their protocol templates, symbols for values, statements
// with their arguments), before evaluation gives them types.
#pragma once

#include "compiler/ast.hpp"
#include "compiler/sema/context.hpp"

namespace nftc::sema {

class Builder {
 public:
  explicit Builder(EvalCtx& ctx) : ctx_(ctx) {}

  Expr* expr(const ast::Expr& e);
  // A statement, or nullptr after reporting an error.
  Stmt* stmt(const ast::Stmt& s);
  // All statements of a rule (nullptr on error).
  Rule* rule(const ast::RuleDecl& r, Chain* chain);
  // A set element key with its options (timeout, expires, comment, stmts).
  Expr* set_elem(const ast::Expr& e);
  // A time value in milliseconds (symbol such as 30s, number of seconds, variable).
  bool time_ms(const ast::Expr& e, std::uint64_t& ms, bool allow_never = false);
  // The text of a string-valued expression (symbol or variable).
  bool text(const ast::Expr& e, std::string& out);

  // Rate and quota specifications, shared by statements and named objects.
  bool limit(const ast::RateSpec& rate, std::string_view mode, LimitStmt& out);
  void quota(const ast::QuotaSpec& spec, QuotaStmt& out);

  // Selectors of extension headers and options (build_exthdr.cpp).
  Expr* exthdr_selector(const ast::Expr& e);

  EvalCtx& ctx() { return ctx_; }

 private:
  Expr* selector(const ast::Expr& e);
  Expr* payload_selector(const ast::Expr& e);
  Expr* set_literal(const ast::Expr& e);
  Expr* verdict(const ast::Expr& e);
  const ast::Expr& resolve(const ast::Expr& e);  // follows $variables
  bool fail(Span span, std::string message);

  EvalCtx& ctx_;
};

}  // namespace nftc::sema
