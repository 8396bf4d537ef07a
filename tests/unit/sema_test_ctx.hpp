// A ParseCtx for unit tests of datatype parsers: owns the IR and keeps the
// last error (and help) instead of reporting it.
#pragma once

#include <string>

#include "compiler/sema/datatype.hpp"

namespace nftc::sema::testing {

class TestCtx : public ParseCtx {
 public:
  IrArena& arena() override { return arena_; }
  bool error(Span, std::string message) override {
    error_ = std::move(message);
    help_.clear();
    return false;
  }
  bool error_with_help(Span, std::string message, std::string help) override {
    error_ = std::move(message);
    help_ = std::move(help);
    return false;
  }

  // Parses `text` as a symbol of type `dtype` (symbol_parse); nullptr on
  // error, with the message in last_error().
  const Expr* parse(const Datatype& dtype, std::string text) {
    Expr* sym = arena_.expr(Kind::symbol);
    sym->dtype = &dtype;
    sym->sym().text = std::move(text);
    Expr* out = nullptr;
    error_.clear();
    help_.clear();
    if (!symbol_parse(*this, *sym, out)) return nullptr;
    return out;
  }

  // The value a symbol parses to, or ~0 when it does not parse.
  std::uint64_t value(const Datatype& dtype, std::string text) {
    const Expr* e = parse(dtype, std::move(text));
    return e != nullptr ? e->value.u64() : ~std::uint64_t{0};
  }

  // A constant of type `dtype` holding `v`, `len` bits in `order`.
  Expr* constant_of(const Datatype& dtype, std::uint64_t v, unsigned len, ByteOrder order) {
    return constant(Span{}, &dtype, order, len, Value(v));
  }

  const std::string& last_error() const { return error_; }
  const std::string& last_help() const { return help_; }

 private:
  IrArena arena_;
  std::string error_, help_;
};

// How `nft list` prints a constant, with default options unless given.
inline std::string printed(const Expr& e, const PrintOptions& opts = {}) {
  std::string out;
  datatype_print(e, out, opts);
  return out;
}

}  // namespace nftc::sema::testing
