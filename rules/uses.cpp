// What the rules of a batch use: named sets, flowtables and objects.
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

std::string string_of(const sema::Expr* e) {
  std::string s = e->value.to_bytes_string(e->len / 8, sema::ByteOrder::host);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

void object_map_uses(const sema::Table* t, const sema::Set* s, const sema::Expr* init, Uses& u) {
  if (s == nullptr || init == nullptr || !(s->flags & NFT_SET_OBJECT)) return;
  for (const sema::Expr* i : init->items) {
    const sema::Expr* k = i->kind == sema::Kind::set_elem ? i->left : i;
    if (k && k->kind == sema::Kind::mapping && k->right && k->right->kind == sema::Kind::value)
      u.objects.insert({t, s->objtype, string_of(k->right)});
  }
}

void rule_uses(const sema::Table* t, const sema::Rule& r, Uses& u) {
  for (const sema::Stmt* s : r.stmts) {
    for_each_stmt_expr(s, [&](const sema::Expr* e) {
      if (e->kind == sema::Kind::set_ref && e->set_ref().set) {
        u.sets.insert(e->set_ref().set);
        object_map_uses(t, e->set_ref().set, e->set_ref().set->init, u);
      }
    });
    if (s->type == sema::StmtType::flow_offload) u.flowtables.insert({t, s->as<sema::FlowStmt>().table_name});
    if (s->type == sema::StmtType::objref) {
      const auto& o = s->as<sema::ObjrefStmt>();
      if (o.expr && o.expr->kind == sema::Kind::value) u.objects.insert({t, o.type, string_of(o.expr)});
    }
    if (s->type == sema::StmtType::chain && s->as<sema::ChainStmt>().chain)
      for (const sema::Rule* inner : s->as<sema::ChainStmt>().chain->rules) rule_uses(t, *inner, u);
  }
}

}  // namespace

Uses collect_uses(const LintContext& ctx) {
  Uses u;
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    for (const sema::Chain* c : t->chains)
      for (const sema::Rule* r : c->rules) rule_uses(t, *r, u);
    for (const sema::Set* s : t->sets) object_map_uses(t, s, s->init, u);
  }
  for (const sema::Action& a : ctx.analysis.actions)
    if (a.kind == sema::Action::Kind::add_elements && a.table) object_map_uses(a.table, a.set, a.elements, u);
  return u;
}

}  // namespace nftc::lint
