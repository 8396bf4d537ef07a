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
  std::size_t pos;          // byte offset where the rule failed
  std::string_view expected;  // the rule's phrase from the error table
};

struct Scope {
  std::vector<ast::Define*> vars;  // lookups search from the back
};

struct Snapshot {
  std::size_t exprs, stmts, marks, rules, tables, chains, sets, flowtables, objects, scopes, idents, pending_elems;
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

  // Transaction snapshots of transactional rules in progress.
  std::vector<Snapshot> txn;

  // Files on the include stack (canonical paths) for cycle detection.
  std::vector<std::string> include_stack;

  // After an error, further errors are suppressed until an item parses
  // again: they are almost always knock-on errors of the first.
  bool suppress_errors = false;
  bool had_error = false;

  Snapshot snapshot() const {
    return {exprs.size(),  stmts.size(),      marks.size(),   rules.size(),  tables.size(),
            chains.size(), sets.size(),       flowtables.size(), objects.size(), scopes.size(),
            idents.size(), pending_elems.size()};
  }
  void restore(const Snapshot& s) {
    exprs.resize(s.exprs);
    stmts.resize(s.stmts);
    marks.resize(s.marks);
    rules.resize(s.rules);
    tables.resize(s.tables);
    chains.resize(s.chains);
    sets.resize(s.sets);
    flowtables.resize(s.flowtables);
    objects.resize(s.objects);
    scopes.resize(s.scopes);
    idents.resize(s.idents);
    pending_elems.resize(s.pending_elems);
  }

  Span span(std::size_t begin, std::size_t end) const {
    return Span{file, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
  }
  Span token_span(const grammar::Token& t) const { return span(t.begin, t.end()); }
  std::string_view token_text(const grammar::Token& t) const { return text.substr(t.begin, t.length); }

  ast::Expr* pop_expr() {
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

  // Switches the lexer to another file (for includes).
  void switch_to(FileId id);
};

}  // namespace nftc::parse
