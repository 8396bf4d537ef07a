#include "backends/fmt/braces.hpp"

#include <algorithm>
#include <optional>
#include <variant>

namespace nftc::formatter {
namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

struct Walker {
  FileId file;
  std::string_view text;
  const std::vector<Piece>& pieces;
  BraceMap map;
  bool command_rule = false;  // walking the rule of an explicit `add rule …` command

  bool here(const Span& s) const { return s.valid() && s.file == file; }

  // The first '{' at or after `from` that is still part of the same
  // statement (no newline, ';' or '}' before it).
  std::optional<std::uint32_t> brace_after(std::uint32_t from) const {
    auto it = std::lower_bound(pieces.begin(), pieces.end(), from,
                               [](const Piece& p, std::uint32_t off) { return p.begin < off; });
    for (; it != pieces.end(); ++it) {
      if (it->kind == PieceKind::newline) return std::nullopt;
      if (it->kind != PieceKind::token) continue;
      std::string_view t = piece_text(text, *it);
      if (t == "{") return it->begin;
      if (t == ";" || t == "}") return std::nullopt;
    }
    return std::nullopt;
  }

  void mark_block(const Span& s, BraceKind kind, bool command_form) {
    if (!here(s)) return;
    if (auto b = brace_after(s.begin)) map.emplace(*b, BraceInfo{kind, command_form});
  }

  void expr(const ast::Expr* e, BraceKind set_kind = BraceKind::set_expr) {
    if (e == nullptr) return;
    if (e->kind == ast::ExprKind::set && here(e->span) && e->span.begin < text.size() && text[e->span.begin] == '{')
      map.emplace(e->span.begin, BraceInfo{set_kind, false});
    expr(e->a);
    expr(e->b);
    for (const ast::Expr* i : e->items) expr(i);
    expr(e->options().timeout);
    expr(e->options().expires);
    for (const ast::Stmt* s : e->options().stmts) stmt(s);
  }

  void exprs(const std::vector<ast::Expr*>& v) {
    for (const ast::Expr* e : v) expr(e);
  }

  void rule(const ast::RuleDecl* r) {
    if (r == nullptr) return;
    for (const ast::Stmt* s : r->stmts) stmt(s);
  }

  void stmt(const ast::Stmt* s) {
    if (s == nullptr) return;
    ast::visit(*s, overloaded{
                   [&](const ast::VerdictStmt& v) { expr(v.verdict); },
                   [&](const ast::VmapStmt& v) { expr(v.key); expr(v.map); },
                   [&](const ast::MatchStmt& v) { expr(v.lhs); expr(v.rhs); },
                   [&](const ast::AssignStmt& v) { expr(v.lhs); expr(v.value); },
                   [&](const ast::ObjrefStmt& v) { expr(v.name); },
                   [&](const ast::LastStmt& v) { expr(v.used); },
                   [&](const ast::LogStmt& v) { expr(v.prefix.value_or(nullptr)); },
                   [&](const ast::RejectStmt& v) { expr(v.code); },
                   [&](const ast::NatStmt& v) { expr(v.addr); expr(v.port); },
                   [&](const ast::TproxyStmt& v) { expr(v.addr); expr(v.port); },
                   [&](const ast::QueueStmt& v) { expr(v.num); },
                   [&](const ast::DupStmt& v) { expr(v.addr); expr(v.dev); },
                   [&](const ast::FwdStmt& v) { expr(v.to); expr(v.dev); },
                   [&](const ast::SetStmt& v) {
                     expr(v.set);
                     expr(v.key);
                     expr(v.data);
                     for (const ast::Stmt* x : v.stmts) stmt(x);
                   },
                   [&](const ast::MeterStmt& v) { expr(v.key);
                     stmt(v.stmt); },
                   [&](const ast::ChainStmt& v) {
                     mark_block(s->span, BraceKind::anon_chain, command_rule);
                     for (const ast::RuleDecl* r : v.rules) rule(r);
                   },
                   [&](const ast::OptstripStmt& v) { expr(v.option); },
                   [&](const auto&) {},
               });
  }

  void chain(const ast::ChainDecl* c, bool command_form) {
    if (c == nullptr) return;
    mark_block(c->span, BraceKind::chain, command_form);
    if (c->hook) exprs(c->hook->devices);
    if (c->priority) expr(c->priority->variable);
    expr(c->policy);
    exprs(c->devices);
    for (const ast::RuleDecl* r : c->rules) rule(r);
  }

  void set(const ast::SetDecl* s, bool command_form) {
    if (s == nullptr) return;
    mark_block(s->span, BraceKind::set, command_form);
    exprs(s->key_typeof);
    exprs(s->data_typeof);
    expr(s->timeout);
    expr(s->gc_interval);
    for (const ast::Stmt* x : s->stmts) stmt(x);
    expr(s->elements, BraceKind::element_list);
  }

  void flowtable(const ast::FlowtableDecl* f, bool command_form) {
    if (f == nullptr) return;
    mark_block(f->span, BraceKind::flowtable, command_form);
    if (f->priority) expr(f->priority->variable);
    exprs(f->devices);
  }

  void object(const ast::ObjDecl* o, bool command_form) {
    if (o == nullptr) return;
    mark_block(o->span, BraceKind::object, command_form);
    for (const auto& [k, v] : o->timeout_policy) expr(v);
    for (const auto& [k, v] : o->tunnel_options) expr(v);
    expr(o->expect_timeout);
  }

  void table(const ast::TableDecl* t, bool command_form) {
    if (t == nullptr || !t->has_block) return;
    mark_block(t->span, BraceKind::table, command_form);
    for (const ast::TableItem& item : t->items)
      std::visit(overloaded{
                     [&](const ast::ChainDecl* c) { chain(c, command_form); },
                     [&](const ast::SetDecl* s) { set(s, command_form); },
                     [&](const ast::FlowtableDecl* f) { flowtable(f, command_form); },
                     [&](const ast::ObjDecl* o) { object(o, command_form); },
                 },
                 item.item);
  }

  void command(const ast::Command& c) {
    bool cf = !c.implicit_add;
    table(c.table, cf);
    chain(c.chain, cf);
    command_rule = cf;
    rule(c.rule);
    command_rule = false;
    set(c.set, cf);
    flowtable(c.flowtable, cf);
    object(c.object, cf);
    expr(c.elements, BraceKind::element_list);
  }
};

}  // namespace

BraceMap classify_braces(const ast::Script& script, FileId file, std::string_view text,
                         const std::vector<Piece>& pieces) {
  Walker w{file, text, pieces, {}};
  for (const ast::Define* d : script.defines)
    if (d != nullptr) w.expr(d->value, BraceKind::element_list);
  for (const ast::Command& c : script.commands) w.command(c);
  return std::move(w.map);
}

}  // namespace nftc::formatter
