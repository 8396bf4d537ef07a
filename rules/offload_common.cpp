// What the offload lints share: severities by target, the offload chains and
// their rules' verdicts, forward reachability for `flow add`.
#include "rules/offload.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>

#include "rules/rules.hpp"

namespace nftc::lint::offload_lint {

unsigned kernel(const LintContext& ctx) { return ctx.kernel != 0 ? ctx.kernel : offload::running_kernel(); }

Severity refused(const LintContext& ctx) { return ctx.target == Target::hw_offload ? Severity::error : Severity::warning; }

Severity useless(const LintContext& ctx) { return refused(ctx); }

std::vector<const sema::Chain*> offload_chains(const LintContext& ctx) {
  std::vector<const sema::Chain*> out;
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Chain* c : t->chains)
      if (offload::is_offload_chain(*c)) out.push_back(c);
  return out;
}

std::vector<RuleCheck> check_rules(const LintContext& ctx, const sema::Chain& chain) {
  std::vector<RuleCheck> out;
  unsigned k = kernel(ctx);
  for (const sema::Rule* r : chain.rules) {
    const bc::Rule* b = ctx.bytecode_of(r);
    if (b == nullptr) continue;
    out.push_back(RuleCheck{r, b, offload::check_rule(*b, k)});
  }
  return out;
}

Span find_word(const LintContext& ctx, Span within, std::string_view word) {
  std::string_view text = ctx.text(within);
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; };
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    bool left = at == 0 || !is_name(text[at - 1]);
    bool right = at + word.size() == text.size() || !is_name(text[at + word.size()]);
    if (left && right) {
      std::uint32_t b = within.begin + static_cast<std::uint32_t>(at);
      return Span{within.file, b, b + static_cast<std::uint32_t>(word.size())};
    }
  }
  return within;
}

Span device_span(const LintContext& ctx, const sema::Flowtable& f, std::string_view device) {
  if (!f.span.valid()) return f.span;
  std::string_view file = ctx.sm.file(f.span.file).text;
  std::size_t from = file.find("devices", f.span.begin);
  if (from == std::string_view::npos) return f.span;
  std::size_t to = file.find('}', from);
  if (to == std::string_view::npos) to = file.size();
  Span list{f.span.file, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)};
  Span at = find_word(ctx, list, device);
  return at == list ? f.span : at;
}

bool is_flow_add(const sema::Stmt* s) { return s->type == sema::StmtType::flow_offload; }

Reach forward_reach(const sema::Table& table) {
  std::map<std::string, const sema::Chain*> by_name;
  for (const sema::Chain* c : table.chains) by_name[c->name] = c;
  auto walk = [&](bool forward) {
    std::set<const sema::Chain*> seen;
    std::deque<const sema::Chain*> todo;
    for (const sema::Chain* c : table.chains)
      if (c->base && (c->hooknum == NF_INET_FORWARD) == forward && table.family != sema::Family::netdev)
        todo.push_back(c);
    while (!todo.empty()) {
      const sema::Chain* c = todo.front();
      todo.pop_front();
      if (!seen.insert(c).second) continue;
      for (const sema::Rule* r : c->rules) {
        for (const std::string& name : rule_targets(*r))
          if (auto it = by_name.find(name); it != by_name.end()) todo.push_back(it->second);
        for (const sema::Stmt* s : r->stmts)
          if (s->type == sema::StmtType::chain && s->as<sema::ChainStmt>().chain)
            todo.push_back(s->as<sema::ChainStmt>().chain);
      }
    }
    return std::vector<const sema::Chain*>(seen.begin(), seen.end());
  };
  Reach r;
  r.forward = walk(true);
  r.others = walk(false);
  // Netdev and bridge base chains: every one is "other".
  if (table.family == sema::Family::netdev || table.family == sema::Family::bridge || table.family == sema::Family::arp)
    for (const sema::Chain* c : table.chains)
      if (c->base) r.others.push_back(c);
  return r;
}

}  // namespace nftc::lint::offload_lint
