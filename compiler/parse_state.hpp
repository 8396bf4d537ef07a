// The state the PEGTL actions build the AST in.
//
// Actions fire when a rule has matched; values flow through stacks
// (expressions, statements, rules, marks), and declarations through frames
// (the table, chain, set … being parsed). A rule marked `transactional` in
// the grammar snapshots the stacks when it starts and restores them when it
// fails, so that alternatives which backtrack after some actions ran leave
// no trace (see parse_control.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/parser.hpp"
#include "grammar/tokens.hpp"

namespace nftc::parse {

// A syntax error raised at a commit point (must<>), caught by the nearest
// recovery point.
struct SyntaxError {
  std::size_t pos;          // the token where the rule failed
  std::string_view expected;  // the rule's phrase from the error table
};

struct Scope {
  std::vector<ast::Define*> vars;  // lookups search from the back
};

struct Snapshot {
  std::uint32_t exprs, stmts, marks, rules, tables, chains, sets, flowtables, objects, scopes, idents, pending_elems,
      binops;
};
// What a transactional rule of the grammar can change: its rules are
// statements and expressions, which never push a declaration frame.
struct StmtSnapshot {
  std::uint32_t exprs, stmts, marks, rules, scopes, idents, pending_elems, binops;
};

struct ParserState : grammar::LexState {
  ParserState(SourceManager& s, DiagnosticSink& d, ast::Script& sc, const ParseOptions& o)
      : sm(s), diags(d), script(sc), opts(o) {}

  SourceManager& sm;
  DiagnosticSink& diags;
  ast::Script& script;
  const ParseOptions& opts;
  FileId file = kNoFile;

  // Value stacks.
  std::vector<ast::Expr*> exprs;
  std::vector<ast::Stmt*> stmts;
  std::vector<std::size_t> marks;
  std::vector<ast::RuleDecl*> rules;
  std::vector<ast::Ident> idents;             // names, flags, units collected for the enclosing rule
  std::vector<ast::ElemOptions> pending_elems; // options of the set elements being parsed
  std::vector<ast::Expr*> pending_devices;     // `device`/`devices` of a hook spec being parsed
  struct PendingBinop {
    ast::BinOp op;
    std::uint32_t pos;  // the operator's token index, to tell the chains apart
  };
  std::vector<PendingBinop> binops;            // operators of the binop chains being parsed
  bool pending_devices_list = false;

  // Declaration frames.
  std::vector<ast::TableDecl*> tables;
  std::vector<ast::ChainDecl*> chains;
  std::vector<ast::SetDecl*> sets;
  std::vector<ast::FlowtableDecl*> flowtables;
  std::vector<ast::ObjDecl*> objects;

  // Variable scopes: the file, then each table and chain block.
  std::vector<Scope> scopes;

  // The command being built by the current top-level line.
  ast::Command cmd;

  // Named rules in progress (grammar/errors.hpp: rule_name): where each
  // started, to fold what it expected into its name when it fails there.
  struct NameMark {
    std::size_t token_pos;  // the index of the first token of the rule
    std::size_t far_pos;    // the farthest failure when it started …
    std::size_t count;      // … and how many expectations were recorded there
  };
  std::vector<NameMark> name_marks;
  NameMark name_mark(std::size_t offset) const { return {offset, far_pos, far_expected.size()}; }
  // A named rule failed: if nothing in it got past its first token, what it
  // expected there becomes its name (the keywords stay "did you mean"
  // candidates).
  void fold_expected(const NameMark& m, std::string_view name) {
    if (far_pos != m.token_pos) return;
    std::size_t from = m.far_pos == m.token_pos ? std::min(m.count, far_expected.size()) : 0;
    far_hidden.insert(far_hidden.end(), far_expected.begin() + static_cast<std::ptrdiff_t>(from), far_expected.end());
    far_expected.resize(from);
    far_expected.push_back({name, nullptr, nullptr, 0, 0, true});
  }

  // Files on the include stack (canonical paths) for cycle detection.
  std::vector<std::string> include_stack;

  // After an error, further errors are suppressed until an item parses
  // again: they are almost always knock-on errors of the first.
  bool suppress_errors = false;
  std::vector<FileId> crlf_reported;  // files already told about CRLF: once per file
  // A failed item is being parsed again to learn what was expected
  // (grammar::recover): actions must not report, define or include.
  bool probing = false;
  bool had_error = false;

  Snapshot snapshot() const {
    auto n = [](const auto& v) { return static_cast<std::uint32_t>(v.size()); };
    return {n(exprs),  n(stmts),      n(marks),   n(rules),  n(tables),        n(chains), n(sets),
            n(flowtables), n(objects), n(scopes), n(idents), n(pending_elems), n(binops)};
  }
  StmtSnapshot stmt_snapshot() const {
    auto n = [](const auto& v) { return static_cast<std::uint32_t>(v.size()); };
    return {n(exprs), n(stmts), n(marks), n(rules), n(scopes), n(idents), n(pending_elems), n(binops)};
  }
  void restore(const StmtSnapshot& s) {
    auto cut = [](auto& v, std::size_t n) {
      if (v.size() != n) v.resize(n);
    };
    cut(exprs, s.exprs);
    cut(stmts, s.stmts);
    cut(marks, s.marks);
    cut(rules, s.rules);
    cut(scopes, s.scopes);
    cut(idents, s.idents);
    cut(pending_elems, s.pending_elems);
    cut(binops, s.binops);
  }
  void restore(const Snapshot& s) {
    // Most failed transactions pushed nothing: check before resizing.
    auto cut = [](auto& v, std::size_t n) {
      if (v.size() != n) v.resize(n);
    };
    cut(exprs, s.exprs);
    cut(stmts, s.stmts);
    cut(marks, s.marks);
    cut(rules, s.rules);
    cut(tables, s.tables);
    cut(chains, s.chains);
    cut(sets, s.sets);
    cut(flowtables, s.flowtables);
    cut(objects, s.objects);
    cut(scopes, s.scopes);
    cut(idents, s.idents);
    cut(pending_elems, s.pending_elems);
    cut(binops, s.binops);
  }

  Span span(std::size_t begin, std::size_t end) const {
    return Span::make(file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end));
  }
  Span token_span(const grammar::Token& t) const { return span(t.begin, t.end()); }
  std::string_view token_text(const grammar::Token& t) const { return text.substr(t.begin, t.length); }

  ast::Expr* pop_expr() {
    // Input the grammar matched only in part (an unclosed string swallowing
    // the rest of a line, say) can leave an action short of operands: report
    // it as the syntax error it is rather than read past the stack.
    if (exprs.empty()) throw SyntaxError{far_pos, {}};
    ast::Expr* e = exprs.back();
    exprs.pop_back();
    return e;
  }
  std::size_t pop_mark() {
    std::size_t m = marks.back();
    marks.pop_back();
    return m;
  }

  // Variables.
  const ast::Define* lookup(std::string_view name) const;
  std::vector<std::string_view> visible_variable_names() const;

  // Switches the parser to another file (for includes): lexes it into
  // `tokens`, which must outlive the parse of that file.
  void switch_to(FileId id, grammar::TokenStream& tokens);
};

}  // namespace nftc::parse
