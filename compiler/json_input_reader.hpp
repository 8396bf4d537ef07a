// Internals of the JSON front end (compiler/json_input.hpp): where each value
// is in the text, and the reader that turns values into AST nodes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nftc::json_input {

using Json = nlohmann::ordered_json;

// Where every value of a JSON text is: its JSON pointer and byte range. Built
// by a second, small scan of a text nlohmann already accepted (nlohmann keeps
// no positions; see docs/json-input.md).
class Positions {
 public:
  struct Entry {
    std::uint32_t begin = 0, end = 0;
    std::string pointer;
  };
  // `text` must be valid JSON.
  explicit Positions(std::string_view text);
  // The byte range of the value at `pointer`, if there is one.
  std::optional<Entry> find(const std::string& pointer) const;
  // The innermost value containing byte `offset`.
  const Entry* innermost(std::uint32_t offset) const;

 private:
  void value(std::string& pointer);
  void skip_blanks();
  std::string key();
  std::string_view text_;
  std::size_t i_ = 0;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> by_pointer_;
};

// One step of a JSON pointer (RFC 6901 escapes).
std::string pointer_step(std::string_view key);

// A value with its pointer: what the reader passes around.
struct Node {
  const Json* j = nullptr;
  std::string ptr;

  const Json& operator*() const { return *j; }
  const Json* operator->() const { return j; }
  bool has(const char* key) const { return j->is_object() && j->contains(key); }
  Node at(const char* key) const { return {&(*j)[key], ptr + "/" + pointer_step(key)}; }
  Node item(std::size_t i) const { return {&(*j)[i], ptr + "/" + std::to_string(i)}; }
  // The single key of an object like {"counter": {...}}.
  std::string_view only_key() const;
  Node only_value() const;
};

class Reader {
 public:
  Reader(SourceManager& sm, DiagnosticSink& sink, FileId file, ast::Script& script, const Positions& pos)
      : sm_(sm), sink_(sink), file_(file), script_(script), pos_(pos) {}

  bool read(const Json& root);
  bool failed() const { return failed_; }

  // Values (json_input_expr.cpp).
  ast::Expr* expr(const Node& n);
  ast::Stmt* stmt(const Node& n);
  ast::Expr* set_elements(const Node& n);  // an "elem" array → set expression

  // Helpers shared by both files.
  Span span(const Node& n) const;
  void error(const Node& n, std::string message);
  std::string_view own(std::string s) { return script_.own(std::move(s)); }
  ast::Expr* new_expr(ast::ExprKind k, const Node& n);
  ast::Ident ident(const Node& n);                          // a string value
  std::optional<std::string> str(const Node& n, const char* key, bool required);
  std::optional<std::uint64_t> uint(const Node& n, const char* key, bool required);
  std::optional<std::int64_t> sint(const Node& n, const char* key, bool required);
  ast::Expr* symbol(const Node& n, std::string_view text);  // a symbol at n's span
  ast::Expr* time_value(const Node& n);                     // seconds → "Ns" symbol

 private:
  // Commands and declarations (json_input.cpp).
  void command(const Node& item);
  void object_command(ast::CmdOp op, bool implicit, const Node& wrapper);
  bool handle(ast::Handle& h, const Node& n, bool named, const char* name_key = "name");
  ast::TableDecl* table_decl(const Node& n);
  ast::ChainDecl* chain_decl(const Node& n);
  ast::RuleDecl* rule_decl(const Node& n);
  ast::SetDecl* set_decl(const Node& n, bool is_map);
  ast::FlowtableDecl* flowtable_decl(const Node& n);
  ast::ObjDecl* obj_decl(const Node& n, ast::ObjKind kind);
  std::optional<ast::PrioritySpec> priority(const Node& n);
  std::vector<ast::Expr*> devices(const Node& n);
  std::vector<ast::Ident> flags(const Node& n);
  void set_type(const Node& n, ast::SetDecl& s, bool data);

  // Statements (json_input_expr.cpp).
  ast::Expr* selector(ast::SelectorKind kind, const Node& n);
  ast::Expr* named_expr(std::string_view key, const Node& whole, const Node& v);
  ast::Stmt* new_stmt(const Node& n);
  // The statement {key: v}; `n` is the whole statement (its span).
  ast::Stmt* stmt_of(std::string_view key, const Node& n, const Node& v);
  std::optional<ast::RateSpec> rate(const Node& v, std::string_view& mode);
  std::optional<ast::QuotaSpec> quota(const Node& v);
  ast::Stmt* nat(std::string_view key, const Node& whole, const Node& v);
  ast::Expr* elem(const Node& n);  // a set element, with options

  SourceManager& sm_;
  DiagnosticSink& sink_;
  FileId file_;
  ast::Script& script_;
  const Positions& pos_;
  bool failed_ = false;
};

}  // namespace nftc::json_input
