// The printer shared by the JSON backend's files, carrying the output
// flags nft's output_ctx carries while printing. Not a public interface; see
// json.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/json/json.hpp"

namespace nftc::json_text {

class JsonPrinter {
 public:
  explicit JsonPrinter(const PrintOptions& opts) : opts_(opts), vals_(opts.values) {}

  Json expr(const sema::Expr& e);
  Json stmt(const sema::Stmt& s);

 private:
  Json value(const sema::Expr& e);
  Json value_at(const sema::Datatype* d, const sema::Expr& e, bool only_own);
  std::optional<Json> own_json(const sema::Datatype* d, const sema::Expr& e);
  Json symbolic(const sema::SymbolTable* tbl, const sema::Expr& e);
  Json integer(const sema::Expr& e);
  std::string printed(const sema::Datatype* d, const sema::Expr& e);
  Json binop(sema::Op op, const sema::Expr& e);
  Json verdict(const sema::Expr& e);
  Json set_elem(const sema::Expr& e, const sema::Expr& val);
  Json payload(const sema::Expr& e);
  Json exthdr(const sema::Expr& e);
  Json ct(std::uint32_t key, int dir);
  Json stateless_stmts(const std::vector<sema::Stmt*>& stmts);

  PrintOptions opts_;
  sema::PrintOptions vals_;
  bool relational_ = false;  // nft's __NFT_CTX_OUTPUT_RELATIONAL: fib prints "oif", not "check"
};

}  // namespace nftc::json_text
