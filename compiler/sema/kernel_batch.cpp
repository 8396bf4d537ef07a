// The batch as the kernel validates it at commit (nft_table_validate): from
// every base chain through jumps, gotos and verdict maps, the regular
// chains each reaches, checked against that base chain's hook and type, the
// jump depth and loops; and the sets and elements the batch declares.
#include "compiler/sema/kernel_checks.hpp"

#include <linux/netfilter/nf_tables.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "compiler/sema/exprs.hpp"
#include "compiler/sema/kernel_table.hpp"

namespace nftc::sema {

namespace {

using kern::answer;
using kern::chain_desc;
using kern::set_word;

// ---------------------------------------------------------------------------
// What the base chains reach

std::string verdict_target(const Expr* e) {
  if (e == nullptr || e->kind != Kind::value) return {};
  std::string s = e->value.to_bytes_string(div_round_up(e->len, 8), ByteOrder::host);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

struct Edge {
  Chain* to;
  Span span;  // the jump, goto or verdict map element
};

class Reach {
 public:
  Reach(EvalCtx& ctx, const Table& table, const std::map<const Set*, std::vector<const Expr*>>& elements)
      : ctx_(ctx), table_(table), elements_(elements) {
    for (Chain* c : table.chains) by_name_.emplace(c->name, c);
  }

  bool run();

 private:
  const std::vector<Edge>& edges(const Chain* c);
  void collect(const Expr* e, std::vector<Edge>& out);
  void add_jump(const Expr* verdict, Span span, std::vector<Edge>& out);
  unsigned longest(const Chain* c, std::vector<const Chain*>& stack);
  bool check_hooks(const Chain& base);

  EvalCtx& ctx_;
  const Table& table_;
  const std::map<const Set*, std::vector<const Expr*>>& elements_;
  std::unordered_map<std::string, Chain*> by_name_;
  std::unordered_map<const Chain*, std::vector<Edge>> edges_;
  std::unordered_map<const Chain*, unsigned> longest_;
  std::set<const Chain*> on_stack_;
  bool loop_ = false;
  std::set<std::uint64_t> reported_;  // findings already reported, by span
};

void Reach::add_jump(const Expr* v, Span span, std::vector<Edge>& out) {
  if (v == nullptr || v->kind != Kind::verdict) return;
  const VerdictData& d = v->as<VerdictData>();
  if (d.verdict != kVerdictJump && d.verdict != kVerdictGoto) return;
  auto it = by_name_.find(verdict_target(d.chain));
  if (it != by_name_.end() && !it->second->base) out.push_back({it->second, span.valid() ? span : v->span});
}

void Reach::collect(const Expr* e, std::vector<Edge>& out) {
  if (e == nullptr) return;
  if (e->kind == Kind::verdict) add_jump(e, e->span, out);
  if (e->kind == Kind::set_ref && e->set_ref().set != nullptr) {
    const Set* set = e->set_ref().set;
    bool verdicts = set->data != nullptr && (set->data->kind == Kind::verdict || set->data->dtype == &verdict_type);
    if (!verdicts) return;  // only verdict maps jump
    if (set->anonymous()) {
      collect(set->init, out);
    } else if (auto it = elements_.find(set); it != elements_.end()) {
      for (const Expr* elems : it->second) collect(elems, out);
    }
    return;
  }
  collect(e->left, out);
  collect(e->right, out);
  for (const Expr* i : e->items) collect(i, out);
}

const std::vector<Edge>& Reach::edges(const Chain* c) {
  auto [it, fresh] = edges_.try_emplace(c);
  if (!fresh) return it->second;
  std::vector<Edge> out;
  for (const Rule* r : c->rules) {
    for (const Stmt* s : r->stmts) {
      switch (s->type) {
        case StmtType::expression:
        case StmtType::verdict: collect(s->expr, out); break;
        case StmtType::chain:
          if (s->as<ChainStmt>().chain != nullptr) out.push_back({s->as<ChainStmt>().chain, s->span});
          break;
        case StmtType::map: collect(s->as<MapStmt>().data, out); break;
        default: break;
      }
    }
  }
  return edges_[c] = std::move(out);
}

// The most jumps from `c` down to a chain that jumps no further (nft_chain_validate
// counts them with ctx->level); reports a loop instead when there is one.
unsigned Reach::longest(const Chain* c, std::vector<const Chain*>& stack) {
  if (auto it = longest_.find(c); it != longest_.end()) return it->second;
  on_stack_.insert(c);
  stack.push_back(c);
  unsigned best = 0;
  for (const Edge& e : edges(c)) {
    if (on_stack_.count(e.to)) {
      if (!loop_) {
        loop_ = true;
        std::string path;
        auto from = std::find(stack.begin(), stack.end(), e.to);
        for (auto i = from; i != stack.end(); ++i) path += fmt::format("{} → ", (*i)->name);
        path += e.to->name;
        ctx_.fail("KRN006", e.span,
                  fmt::format("jumps and gotos form a loop: {}, reached from base chain '{}' {}", path,
                              stack.front()->name, answer("EMLINK")),
                  "the kernel follows jumps from every base chain to check the hooks and refuses a loop as too "
                  "deep; break the cycle");
      }
      continue;
    }
    best = std::max(best, 1 + longest(e.to, stack));
    if (loop_) break;
  }
  stack.pop_back();
  on_stack_.erase(c);
  longest_[c] = best;
  return best;
}

bool Reach::check_hooks(const Chain& base) {
  // Breadth first, so the path in the message is a shortest one.
  std::unordered_map<const Chain*, const Chain*> parent{{&base, nullptr}};
  std::vector<const Chain*> queue{&base};
  bool ok = true;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const Chain* c = queue[i];
    for (const Edge& e : edges(c)) {
      if (parent.count(e.to)) continue;
      parent[e.to] = c;
      queue.push_back(e.to);
    }
    if (c == &base) continue;
    for (const Rule* r : c->rules) {
      auto k = kernel_rule_hook_finding(table_.family, base, *r);
      if (!k || !reported_.insert(k->span.begin).second) continue;
      std::string path = c->anonymous ? std::string("an anonymous chain") : fmt::format("'{}'", c->name);
      std::vector<std::string_view> names;
      for (const Chain* p = parent[c]; p != nullptr; p = parent[p]) names.push_back(p->name);
      std::string via;
      for (auto n = names.rbegin(); n != names.rend(); ++n) via += fmt::format("{} → ", *n);
      k->help = fmt::format("chain {} is reached from base chain '{}', {} ({}{}){}", path, base.name, chain_desc(base),
                            via, c->anonymous ? "…" : c->name, k->help.empty() ? "" : "; " + k->help);
      Diagnostic& d = ctx_.diags.error(k->code, k->span, k->message);
      d.with_help(k->help);
      if (base.hook_span.valid()) d.with_related(base.hook_span, fmt::format("base chain '{}' hooks here", base.name));
      ctx_.errors = true;
      ok = false;
    }
  }
  return ok;
}

bool Reach::run() {
  bool ok = true;
  for (const Chain* base : table_.chains) {
    if (!base->base) continue;
    std::vector<const Chain*> stack;
    unsigned depth = longest(base, stack);
    if (loop_) return false;
    if (depth >= kern::kJumpStackSize) {
      // Follow a longest path to the jump that goes one level too deep.
      std::string path = base->name;
      const Chain* c = base;
      Span at;
      for (unsigned level = 0; level < kern::kJumpStackSize; ++level) {
        for (const Edge& e : edges(c)) {
          if (longest_[e.to] + 1 == longest_[c]) {
            at = e.span;
            c = e.to;
            break;
          }
        }
        path += fmt::format(" → {}", c->name);
      }
      ctx_.fail("KRN011", at,
                fmt::format("chain '{}' is {} jumps deep from base chain '{}'; the kernel follows at most {} {}",
                            c->name, kern::kJumpStackSize, base->name, kern::kJumpStackSize - 1, answer("EMLINK")),
                fmt::format("{}; flatten the chain of jumps (goto counts too)", path));
      ok = false;
      continue;
    }
    if (!check_hooks(*base)) ok = false;
  }
  return ok;
}

// nf_tables_newset and nft_add_set_elem: what a set's declaration and
// elements must agree on. The batch's sets and elements, in order.
// An element's key as bytes, to count distinct elements (an element added
// twice is one element to the kernel).
void elem_key(const Expr* e, std::string& out) {
  if (e == nullptr) return;
  switch (e->kind) {
    case Kind::set_elem:
    case Kind::mapping: elem_key(e->left, out); return;
    case Kind::value: out += e->value.to_bytes_string(div_round_up(e->len, 8), ByteOrder::big); return;
    case Kind::concat:
      for (const Expr* i : e->items) {
        elem_key(i, out);
        out += '\x1f';
      }
      return;
    default: out += fmt::format("@{}:{}", e->span.file, e->span.begin); return;  // not counted as equal to another
  }
}

bool check_sets(EvalCtx& ctx, const std::vector<Action>& actions) {
  auto fail = [&](Span span, std::string message, std::string_view errno_name, std::string help = {}) {
    ctx.fail("KRN013", span, fmt::format("{} {}", message, answer(errno_name)), std::move(help));
    return false;
  };
  bool ok = true;
  std::map<const Set*, std::set<std::string>> present;
  for (const Action& a : actions) {
    if (a.set == nullptr) continue;
    const Set& set = a.set->existing_set != nullptr ? *a.set->existing_set : *a.set;
    // A redeclaration points at the set it extends; `add element` marks a set as its own.
    bool first = a.set->existing_set == nullptr || a.set->existing_set == a.set;
    if (a.kind == Action::Kind::add_set && first) {
      if (set.gc_int != 0 && !(set.flags & NFT_SET_TIMEOUT))
        ok = fail(set.span, fmt::format("{} '{}' has a gc-interval but no timeout flag", set_word(set), set.name),
                  "EINVAL", "add `flags timeout`, or drop gc-interval");
      if (set.stmts.size() > kern::kSetExprMax)
        ok = fail(set.span,
                  fmt::format("{} '{}' gives each element {} statements; the kernel keeps at most {}", set_word(set),
                              set.name, set.stmts.size(), kern::kSetExprMax),
                  "E2BIG");
    } else if (a.kind == Action::Kind::flush) {
      present.erase(&set);
    } else if (a.kind == Action::Kind::del && a.obj == ast::CmdObj::element && a.elements != nullptr) {
      auto it = present.find(&set);
      for (const Expr* e : a.elements->items) {
        std::string key;
        elem_key(e, key);
        if (it != present.end()) it->second.erase(key);
      }
    } else if (a.kind == Action::Kind::add_elements && a.elements != nullptr) {
      for (const Expr* e : a.elements->items) {
        if (e->kind != Kind::set_elem) continue;
        const ElemData& d = e->elem();
        if ((d.timeout != 0 || d.expiration != 0) && !(set.flags & NFT_SET_TIMEOUT)) {
          ok = fail(e->span,
                    fmt::format("{} '{}' has no timeout flag, so its elements take no timeout or expiry", set_word(set),
                                set.name),
                    "EINVAL", "declare the set with `flags timeout`");
          break;
        }
      }
      // A declared size is the most elements the kernel holds (an interval
      // set counts its ranges its own way, so only plain sets are counted).
      if (set.size != 0 && !(set.flags & NFT_SET_INTERVAL)) {
        std::set<std::string>& keys = present[&set];
        for (const Expr* e : a.elements->items) {
          std::string key;
          elem_key(e, key);
          keys.insert(std::move(key));
        }
        if (keys.size() > set.size)
          ok = fail(a.elements->span,
                    fmt::format("{} '{}' holds at most {} element{} (size {}); the batch gives it {}", set_word(set),
                                set.name, set.size, set.size == 1 ? "" : "s", set.size, keys.size()),
                    "ENFILE", "raise the size, or leave it out");
      }
    }
  }
  return ok;
}

}  // namespace

bool kernel_check_batch(EvalCtx& ctx, const std::vector<Table*>& tables, const std::vector<Action>& actions) {
  // The elements of each named set, as the batch adds them (a flush forgets them).
  std::map<const Set*, std::vector<const Expr*>> elements;
  for (const Action& a : actions) {
    if (a.kind == Action::Kind::add_elements && a.set != nullptr && a.elements != nullptr) {
      const Set* set = a.set->existing_set != nullptr ? a.set->existing_set : a.set;
      elements[set].push_back(a.elements);
      if (set != a.set) elements[a.set].push_back(a.elements);
    } else if (a.kind == Action::Kind::flush && a.set != nullptr) {
      elements.erase(a.set);
    }
  }
  bool ok = check_sets(ctx, actions);
  for (const Table* t : tables) {
    Reach reach(ctx, *t, elements);
    if (!reach.run()) ok = false;
  }
  return ok;
}

}  // namespace nftc::sema
