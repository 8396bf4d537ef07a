// Every lint rule object (one per file in rules/), and what several rules
// share: the chains of the batch with their rules modelled.
#pragma once

#include <optional>
#include <type_traits>
#include <string>
#include <vector>

#include "rules/lint.hpp"
#include "rules/model.hpp"

namespace nftc::lint {

extern const LintRule kRuleAfterUnconditionalVerdict;
extern const LintRule kShadowedRule;
extern const LintRule kDuplicateRule;
extern const LintRule kMatchNeverTrue;
extern const LintRule kChainNeverReached;
extern const LintRule kInputDropsReplies;
extern const LintRule kSshLockout;
extern const LintRule kInvalidNotDropped;
extern const LintRule kLoopbackNotAccepted;
extern const LintRule kUnusedSuppression;
extern const LintRule kUnusedSet;
extern const LintRule kUnusedFlowtable;
extern const LintRule kUnusedObject;
extern const LintRule kUnusedVariable;
extern const LintRule kIifOnDynamicInterface;
extern const LintRule kDeprecatedSyntax;

struct ChainView {
  const sema::Table* table = nullptr;
  const sema::Chain* chain = nullptr;
  std::vector<RuleModel> rules;  // in chain order
};

// Every chain of every table the batch leaves in place, with its rules.
std::vector<ChainView> chain_views(const LintContext& ctx);

// The chains a rule can continue in: jump/goto targets, verdict map targets.
std::vector<std::string> rule_targets(const sema::Rule& rule);
// The chains the verdicts under an expression (map elements) jump or go to.
std::vector<std::string> verdict_chains(const sema::Expr* e);

// Every expression of a rule, depth first (anonymous sets' elements included).
template <typename F>
void for_each_expr(const sema::Expr* e, F&& f) {
  if (e == nullptr) return;
  f(e);
  for_each_expr(e->left, f);
  for_each_expr(e->right, f);
  for (const sema::Expr* i : e->items) for_each_expr(i, f);
  if (e->kind == sema::Kind::set_ref && e->set_ref().set && e->set_ref().set->anonymous())
    for_each_expr(e->set_ref().set->init, f);
  if (e->kind == sema::Kind::verdict) for_each_expr(e->as<sema::VerdictData>().chain, f);
}

template <typename F>
void for_each_stmt_expr(const sema::Stmt* s, F&& f) {
  for_each_expr(s->expr, f);
  auto visit = [&](const auto& member) {
    if constexpr (std::is_convertible_v<std::decay_t<decltype(member)>, const sema::Expr*>) for_each_expr(member, f);
  };
  std::visit(
      [&](const auto& d) {
        if constexpr (requires { d.expr; }) visit(d.expr);
        if constexpr (requires { d.val; }) visit(d.val);
        if constexpr (requires { d.set; }) visit(d.set);
        if constexpr (requires { d.key; }) visit(d.key);
        if constexpr (requires { d.data; }) visit(d.data);
        if constexpr (requires { d.addr; }) visit(d.addr);
        if constexpr (requires { d.proto; }) visit(d.proto);
        if constexpr (requires { d.port; }) visit(d.port);
        if constexpr (requires { d.queue; }) visit(d.queue);
        if constexpr (requires { d.to; }) visit(d.to);
        if constexpr (requires { d.dev; }) visit(d.dev);
      },
      s->data);
}

// The kernel sees the two rules as the same (set transaction ids aside).
bool same_rule(const LintContext& ctx, const sema::Rule* a, const sema::Rule* b);

// The first line of a rule's text, for messages ("rule at line 12").
std::string rule_place(const LintContext& ctx, Span span);

}  // namespace nftc::lint

namespace nftc::lint {

// A concrete packet, described by the fields it has values for; a rule's
// matches on fields the probe leaves open are assumed to hold (so a verdict
// "dropped" is only reached when no rule could accept).
struct Probe {
  struct Field {
    std::string id;
    sema::Value value;
    bool excluded = false;  // the field is anything but `value`
  };
  std::vector<Field> values;
  Probe& with(std::string field, sema::Value v) {
    values.push_back({std::move(field), std::move(v), false});
    return *this;
  }
  // The field has some value other than `v` (a packet from any interface but
  // the loopback).
  Probe& without(std::string field, sema::Value v) {
    values.push_back({std::move(field), std::move(v), true});
    return *this;
  }
  // The field's value, when the probe has exactly one.
  const sema::Value* get(const std::string& field) const;
  const Field* find(const std::string& field) const;
};

enum class Fate { accepted, dropped, falls_through };

// No exact match of the rule excludes the probe.
bool probe_may_match(const RuleModel& r, const Probe& p);
// Every match of the rule is exact and holds for the probe.
bool probe_surely_matches(const RuleModel& r, const Probe& p);
// The verdict a verdict-map rule gives the probe, when the map's key is a
// field the probe has and its elements are plain (`target` gets a jump or
// goto's chain); nothing when unsure.
std::optional<VerdictKind> vmap_verdict(const RuleModel& r, const Probe& p, std::string& target);

// What the chain does with the probe: accepted (or possibly accepted: the
// lints stay silent then), surely dropped, or back to the caller.
// With `first_rules`, only that many rules of `chain` are looked at and the
// policy is not applied (the probe falls through at the end).
Fate probe_fate(const std::vector<ChainView>& chains, const ChainView& chain, const Probe& p,
                std::optional<std::size_t> first_rules = std::nullopt);

// The loopback interface's index in every network namespace.
inline constexpr std::uint64_t kLoopbackIndex = 1;
// ct state new (NF_CT_STATE_BIT(IP_CT_NEW)) as a ct state value.
inline constexpr std::uint64_t kCtStateNew = 1u << 3;

// Field ids of the model for the probes (see model.cpp's field_of).
namespace fields {
std::string meta(unsigned key);
std::string ct_state();
std::string ip_protocol();
std::string ip6_nexthdr();
std::string th_dport();
std::string iifname();
}  // namespace fields

// Input (and other filter) base chains of the ip, ip6 and inet families.
bool is_filter_hook(const sema::Chain& c, std::string_view hook);

}  // namespace nftc::lint

#include <set>
#include <tuple>

namespace nftc::lint {

// What the rules of the batch refer to.
struct Uses {
  std::set<const sema::Set*> sets;
  std::set<std::pair<const sema::Table*, std::string>> flowtables;
  std::set<std::tuple<const sema::Table*, std::uint32_t, std::string>> objects;
};
Uses collect_uses(const LintContext& ctx);

}  // namespace nftc::lint
