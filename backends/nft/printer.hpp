// The printer shared by the nft text backend's files: an output string and
// the output flags nft's output_ctx carries while printing. Not a public
// interface; see print.hpp.
#pragma once

#include <string>
#include <string_view>

#include "backends/nft/print.hpp"

namespace nftc::nft_text {

class Printer {
 public:
  explicit Printer(const PrintOptions& opts) : opts_(opts), vals_(opts.values) {}

  void expr(const sema::Expr& e);
  void stmt(const sema::Stmt& s);
  void rule(const sema::Rule& r);
  void table(const sema::Table& t);

  std::string take() { return std::move(out_); }

 private:
  // Ranges print both ends as numbers (NFT_CTX_OUTPUT_NUMERIC_ALL).
  static sema::PrintOptions numeric(sema::PrintOptions v) {
    v.numeric_symbols = v.numeric_protocols = v.numeric_time = true;
    v.services = false;
    return v;
  }

  void value(const sema::Expr& e);
  void time(std::uint64_t ms);
  void ct_key(std::uint32_t key, int dir, std::uint8_t nfproto);
  void meta_key(std::uint32_t key);
  void binop_arg(const sema::Expr& op, const sema::Expr& arg);
  const char* set_delim(const sema::Expr& set, int& count) const;
  void payload(const sema::Expr& e);
  void exthdr(const sema::Expr& e);
  void set_elem(const sema::Expr& e);
  void stateless_stmt(const sema::Stmt& s);
  void nat(const sema::NatStmt& n);
  void log(const sema::LogStmt& l);
  void reject(const sema::RejectStmt& r);

  void set(const sema::Set& s);
  void set_key(const sema::Expr& e);
  void chain(const sema::Chain& c);
  void object(const sema::Object& o);
  void flowtable(const sema::Flowtable& f);
  std::string priority(sema::Family family, std::uint32_t hook, std::int32_t prio) const;

  PrintOptions opts_;
  sema::PrintOptions vals_;
  bool force_newline_ = false;
  std::string out_;
};

}  // namespace nftc::nft_text
