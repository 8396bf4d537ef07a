// What several rules share: chains with their rules modelled, where rules
// lead, and how a finding names a place.
#include <fmt/format.h>

#include "rules/rules.hpp"

namespace nftc::lint {

std::vector<ChainView> chain_views(const LintContext& ctx) {
  std::vector<ChainView> out;
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    for (const sema::Chain* c : t->chains) {
      ChainView v;
      v.table = t;
      v.chain = c;
      for (const sema::Rule* r : c->rules) v.rules.push_back(model_rule(*r));
      out.push_back(std::move(v));
    }
  }
  return out;
}

namespace {

std::string chain_of(const sema::Expr* verdict) {
  const auto& v = verdict->as<sema::VerdictData>();
  if ((v.verdict != sema::kVerdictJump && v.verdict != sema::kVerdictGoto) || v.chain == nullptr ||
      v.chain->kind != sema::Kind::value)
    return {};
  std::string s = v.chain->value.to_bytes_string(v.chain->len / 8, sema::ByteOrder::host);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

}  // namespace

std::vector<std::string> rule_targets(const sema::Rule& rule) {
  std::vector<std::string> out;
  for (const sema::Stmt* s : rule.stmts) {
    for_each_stmt_expr(s, [&](const sema::Expr* e) {
      if (e->kind == sema::Kind::verdict) {
        std::string c = chain_of(e);
        if (!c.empty()) out.push_back(std::move(c));
      } else if (e->kind == sema::Kind::set_ref && e->set_ref().set && !e->set_ref().set->anonymous() &&
                 e->set_ref().set->init) {
        // A named verdict map: its elements name chains too.
        for_each_expr(e->set_ref().set->init, [&](const sema::Expr* x) {
          if (x->kind == sema::Kind::verdict) {
            std::string c = chain_of(x);
            if (!c.empty()) out.push_back(std::move(c));
          }
        });
      }
    });
    if (s->type == sema::StmtType::chain && s->as<sema::ChainStmt>().chain) {
      for (const sema::Rule* r : s->as<sema::ChainStmt>().chain->rules)
        for (std::string& c : rule_targets(*r)) out.push_back(std::move(c));
    }
  }
  return out;
}

std::string rule_place(const LintContext& ctx, Span span) {
  if (!span.valid()) return "an earlier rule";
  Position p = ctx.sm.begin(span);
  return fmt::format("the rule at line {}", p.line);
}

}  // namespace nftc::lint

namespace nftc::lint {

const sema::Value* Probe::get(const std::string& field) const {
  for (const auto& [f, v] : values)
    if (f == field) return &v;
  return nullptr;
}

namespace fields {
std::string meta(unsigned key) { return fmt::format("meta/{}/", key); }
std::string ct_state() { return "ct/0/-1"; }
std::string ip_protocol() { return "payload/2/72/8/"; }
std::string ip6_nexthdr() { return "payload/2/48/8/"; }
std::string th_dport() { return "payload/3/16/16/"; }
std::string iifname() { return meta(6); }
}  // namespace fields

bool is_filter_hook(const sema::Chain& c, std::string_view hook) {
  if (!c.base || c.type != "filter" || c.hook_name != hook) return false;
  return c.family == sema::Family::ip || c.family == sema::Family::ip6 || c.family == sema::Family::inet;
}

namespace {

}  // namespace

bool probe_may_match(const RuleModel& r, const Probe& p) {
  for (const MergedField& f : merge_fields(r)) {
    const sema::Value* v = p.get(f.field.id);
    if (v != nullptr && !f.allowed.contains(*v)) return false;
  }
  return true;
}

bool probe_surely_matches(const RuleModel& r, const Probe& p) {
  if (r.opaque) return false;
  for (const Match& m : r.matches)
    if (!m.exact) return false;
  for (const MergedField& f : merge_fields(r)) {
    const sema::Value* v = p.get(f.field.id);
    if (v == nullptr || !f.allowed.contains(*v)) return false;
  }
  return true;
}

std::optional<VerdictKind> vmap_verdict(const RuleModel& r, const Probe& p, std::string& target) {
  for (const sema::Stmt* s : r.rule->stmts) {
    if (s->type != sema::StmtType::verdict || s->expr == nullptr || s->expr->kind != sema::Kind::map) continue;
    const sema::Expr* map = s->expr;
    RuleModel probe_key;
    sema::Expr rel;
    rel.kind = sema::Kind::relational;
    rel.op = sema::Op::eq;
    rel.left = map->left;
    const sema::Expr* ref = map->right;
    if (ref == nullptr || ref->kind != sema::Kind::set_ref || !ref->set_ref().set || !ref->set_ref().set->init)
      return std::nullopt;
    for (const sema::Expr* i : ref->set_ref().set->init->items) {
      const sema::Expr* k = i->kind == sema::Kind::set_elem ? i->left : i;
      if (k == nullptr || k->kind != sema::Kind::mapping || k->right == nullptr ||
          k->right->kind != sema::Kind::verdict)
        return std::nullopt;
      // Does the probe's value fall under this element's key?
      sema::Expr elem_rel = rel;
      elem_rel.right = k->left;
      sema::Rule tmp;
      sema::Stmt st;
      st.type = sema::StmtType::expression;
      st.expr = &elem_rel;
      tmp.stmts.push_back(&st);
      RuleModel em = model_rule(tmp);
      if (em.matches.empty() || !em.matches.front().exact) return std::nullopt;
      const sema::Value* v = p.get(em.matches.front().field.id);
      if (v == nullptr) return std::nullopt;
      if (!em.matches.front().allowed.contains(*v)) continue;
      const auto& vd = k->right->as<sema::VerdictData>();
      switch (vd.verdict) {
        case sema::kVerdictAccept: return VerdictKind::accept;
        case sema::kVerdictDrop: return VerdictKind::drop;
        case sema::kVerdictJump:
        case sema::kVerdictGoto:
          if (vd.chain && vd.chain->kind == sema::Kind::value) {
            target = vd.chain->value.to_bytes_string(vd.chain->len / 8, sema::ByteOrder::host);
            if (auto nul = target.find('\0'); nul != std::string::npos) target.resize(nul);
          }
          return vd.verdict == sema::kVerdictJump ? VerdictKind::jump : VerdictKind::goto_;
        case sema::kVerdictReturn: return VerdictKind::return_;
        case sema::kVerdictContinue: return VerdictKind::continue_;
        default: return std::nullopt;
      }
    }
    return VerdictKind::continue_;  // no element: the lookup fails, the rule does not match
  }
  return std::nullopt;
}

namespace {

const ChainView* find_view(const std::vector<ChainView>& chains, const sema::Table* t, std::string_view name) {
  for (const ChainView& v : chains)
    if (v.table == t && v.chain->name == name) return &v;
  return nullptr;
}

Fate fate_in(const std::vector<ChainView>& chains, const ChainView& chain, const Probe& p, int depth,
             std::optional<std::size_t> first_rules = std::nullopt) {
  if (depth > 16) return Fate::accepted;  // too deep to follow: say nothing
  std::size_t n = first_rules ? std::min(*first_rules, chain.rules.size()) : chain.rules.size();
  for (std::size_t idx = 0; idx < n; ++idx) {
    const RuleModel& r = chain.rules[idx];
    if (!probe_may_match(r, p)) continue;
    bool sure = probe_surely_matches(r, p);
    VerdictKind v = r.verdict;
    std::string target = r.target;
    if (v == VerdictKind::vmap) {
      auto mv = vmap_verdict(r, p, target);
      if (!mv) return Fate::accepted;  // unsure
      v = *mv;
    }
    switch (v) {
      case VerdictKind::accept:
      case VerdictKind::nat:
      case VerdictKind::queue: return Fate::accepted;
      case VerdictKind::drop:
      case VerdictKind::reject:
        if (sure) return Fate::dropped;
        break;
      case VerdictKind::jump:
      case VerdictKind::goto_: {
        const ChainView* next = find_view(chains, chain.table, target);
        if (next == nullptr) return Fate::accepted;  // an anonymous or unknown chain: unsure
        Fate f = fate_in(chains, *next, p, depth + 1);
        if (f == Fate::accepted) return f;
        if (f == Fate::dropped && sure) return f;
        if (v == VerdictKind::goto_ && sure) return Fate::falls_through;
        break;
      }
      case VerdictKind::return_:
        if (sure) return Fate::falls_through;
        break;
      default: break;
    }
  }
  if (!chain.chain->base || first_rules) return Fate::falls_through;
  return chain.chain->policy && *chain.chain->policy == NF_DROP ? Fate::dropped : Fate::accepted;
}

}  // namespace

Fate probe_fate(const std::vector<ChainView>& chains, const ChainView& chain, const Probe& p,
                std::optional<std::size_t> first_rules) {
  return fate_in(chains, chain, p, 0, first_rules);
}

}  // namespace nftc::lint
