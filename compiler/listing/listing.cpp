// The kernel's view of a ruleset, without a kernel: the analysed commands
// applied in order to tables that keep their objects, sets, flowtables,
// chains and rules in the order the kernel lists them, then read back as
// nft reads them.
#include <fmt/format.h>

#include <algorithm>
#include <list>
#include <unordered_set>

#include "compiler/listing/internal.hpp"
#include "compiler/lower/lower.hpp"

namespace nftc::listing {

using sema::Action;

namespace {

struct KSet {
  const sema::Set* decl = nullptr;
  bc::Set set;
  std::uint64_t handle = 0;
  std::unordered_set<std::string> keys;  // of the elements, to add each once
};

// What identifies an element in the kernel: its key, end and flags.
std::string element_key(const bc::SetElement& e) {
  std::string k(reinterpret_cast<const char*>(e.key.data()), e.key.size());
  k += '\0';
  if (e.key_end) k.append(reinterpret_cast<const char*>(e.key_end->data()), e.key_end->size());
  k += static_cast<char>(e.flags & 0xff);
  return k;
}

struct KRule {
  bc::Rule rule;
  std::list<KSet> anonymous;  // created with the rule
  std::uint64_t handle = 0;
};

struct KChain {
  sema::Chain* decl = nullptr;
  std::string name;
  std::list<KRule> rules;
  std::uint64_t handle = 0;
};

struct KTable {
  sema::Table* decl = nullptr;
  sema::Family family = sema::Family::ip;
  std::string name;
  std::vector<sema::Object*> objects;
  std::list<KSet> sets;
  std::vector<sema::Flowtable*> flowtables;
  std::list<KChain> chains;
  std::uint64_t handle = 0;
  std::uint64_t handles = 0;  // the kernel numbers everything in a table from one counter
  std::unordered_map<const void*, std::uint64_t> object_handles;  // objects and flowtables
};

class Kernel {
 public:
  Kernel(DiagnosticSink& sink) : sink_(sink) {}

  void apply(const Action& a) {
    try {
      switch (a.kind) {
        case Action::Kind::add_table: add_table(a); break;
        case Action::Kind::add_chain: add_chain(a); break;
        case Action::Kind::add_set: add_set(a); break;
        case Action::Kind::add_elements: add_elements(a); break;
        case Action::Kind::add_rule: add_rule(a); break;
        case Action::Kind::add_flowtable: add_flowtable(a); break;
        case Action::Kind::add_object: add_object(a); break;
        case Action::Kind::del: remove(a); break;
        case Action::Kind::flush: flush(a); break;
        case Action::Kind::rename: rename(a); break;
        case Action::Kind::other: break;
      }
    } catch (const lower::LowerError& e) {
      sink_.error("LOW001", e.span.valid() ? e.span : a.span, e.what());
    }
  }

  std::list<KTable>& tables() { return tables_; }

 private:
  KTable* find_table(sema::Family f, std::string_view name) {
    for (KTable& t : tables_)
      if (t.family == f && t.name == name) return &t;
    return nullptr;
  }
  KTable* table_of(const sema::Table* t) { return t ? find_table(t->family, t->name) : nullptr; }

  static KChain* find_chain(KTable& t, std::string_view name) {
    for (KChain& c : t.chains)
      if (c.name == name) return &c;
    return nullptr;
  }

  static KSet* find_set(KTable& t, std::string_view name) {
    for (KSet& s : t.sets)
      if (s.set.name == name) return &s;
    return nullptr;
  }

  void add_table(const Action& a) {
    if (a.table == nullptr || table_of(a.table)) return;
    KTable& t = tables_.emplace_back();
    t.handle = ++table_handles_;
    t.decl = a.table;
    t.family = a.table->family;
    t.name = a.table->name;
  }

  void add_chain(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.chain == nullptr || find_chain(*t, a.chain->name)) return;
    KChain& c = t->chains.emplace_back();
    c.decl = a.chain;
    c.name = a.chain->name;
    c.handle = ++t->handles;
  }

  void add_set(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.set == nullptr || find_set(*t, a.set->name)) return;
    KSet& s = t->sets.emplace_back();
    s.decl = a.set;
    s.set = lower::lower_set(ctx_, *a.set);
    kernel_set(s.set);
    s.handle = ++t->handles;
  }

  // What the kernel makes of a new set: verdict data is a struct nft_verdict.
  static void kernel_set(bc::Set& s) {
    if (sema::set_is_datamap(s.flags) && s.data_type == NFT_DATA_VERDICT) s.data_len = 16;
  }

  // nft names a binding chain (jump { … }) by its transaction id; the kernel
  // lists the chain's name. The rule's chain statements name them in order.
  static void name_binding_chains(bc::Rule& r, const sema::Rule& rule) {
    std::vector<std::string> names;
    for (const sema::Stmt* s : rule.stmts)
      if (s->type == sema::StmtType::chain && s->as<sema::ChainStmt>().chain)
        names.push_back(s->as<sema::ChainStmt>().chain->name);
    std::size_t next = 0;
    for (bc::Expr& e : r.exprs) {
      auto* imm = std::get_if<bc::Immediate>(&e.kind);
      if (imm == nullptr) continue;
      auto* v = std::get_if<bc::Verdict>(&imm->data);
      if (v == nullptr || (v->code != NFT_JUMP && v->code != NFT_GOTO) || !v->chain.empty()) continue;
      if (next < names.size()) v->chain = names[next++];
    }
  }

  void add_elements(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.set == nullptr) return;
    KSet* s = find_set(*t, a.set->name);
    if (s == nullptr) return;
    bc::Set layout = lower::lower_set(ctx_, *a.set);
    std::vector<bc::SetElement> elements = lower::lower_elements(*a.set, a.elements, true, &layout);
    if (s->set.key_fields.empty()) s->set.key_fields = layout.key_fields;
    if (s->set.data_fields.empty()) s->set.data_fields = layout.data_fields;
    // The kernel keeps one element per key: adding it again changes nothing.
    if (s->keys.empty())
      for (const bc::SetElement& e : s->set.elements) s->keys.insert(element_key(e));
    for (bc::SetElement& el : elements)
      if (s->keys.insert(element_key(el)).second) s->set.elements.push_back(std::move(el));
  }

  void add_rule(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.chain == nullptr || a.rule == nullptr) return;
    KChain* c = find_chain(*t, a.chain->name);
    if (c == nullptr) return;
    KRule r;
    r.rule = lower::lower_rule(ctx_, *a.rule, *a.chain, a.anonymous_sets);
    name_binding_chains(r.rule, *a.rule);
    for (bc::Set& s : r.rule.anonymous_sets) kernel_set(s);
    for (std::size_t i = 0; i < r.rule.anonymous_sets.size(); ++i) {
      KSet& s = r.anonymous.emplace_back();
      s.decl = i < a.anonymous_sets.size() ? a.anonymous_sets[i] : nullptr;
      s.set = r.rule.anonymous_sets[i];
      s.handle = ++t->handles;
    }
    r.handle = ++t->handles;
    const sema::Rule& rule = *a.rule;
    auto pos = c->rules.end();
    std::optional<std::uint64_t> at = rule.position ? rule.position : rule.handle;
    if (rule.index) {
      // An index counts the chain's rules from 0.
      if (*rule.index < c->rules.size()) {
        auto it = c->rules.begin();
        std::advance(it, static_cast<long>(*rule.index));
        at = it->handle;
      }
    }
    if (a.op == ast::CmdOp::replace && rule.handle) {
      for (KRule& old : c->rules)
        if (old.handle == *rule.handle) {
          old = std::move(r);
          old.handle = *rule.handle;
          return;
        }
      return;
    }
    if (at) {
      pos = std::find_if(c->rules.begin(), c->rules.end(), [&](const KRule& x) { return x.handle == *at; });
      if (pos != c->rules.end() && !rule.insert) ++pos;
    } else if (rule.insert) {
      pos = c->rules.begin();
    }
    c->rules.insert(pos, std::move(r));
  }

  void add_flowtable(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.flowtable == nullptr) return;
    for (const sema::Flowtable* f : t->flowtables)
      if (f->name == a.flowtable->name) return;
    t->flowtables.push_back(a.flowtable);
    t->object_handles[a.flowtable] = ++t->handles;
  }

  void add_object(const Action& a) {
    KTable* t = table_of(a.table);
    if (t == nullptr || a.object == nullptr) return;
    for (const sema::Object* o : t->objects)
      if (o->type == a.object->type && o->name == a.object->name) return;
    t->objects.push_back(a.object);
    t->object_handles[a.object] = ++t->handles;
  }

  void remove(const Action& a) {
    KTable* t = find_table(a.family, a.table_name);
    if (t == nullptr && a.table != nullptr) t = table_of(a.table);
    if (t == nullptr) return;
    switch (a.obj) {
      case ast::CmdObj::table: tables_.remove_if([&](const KTable& x) { return &x == t; }); break;
      case ast::CmdObj::chain:
        t->chains.remove_if([&](const KChain& c) { return a.handle ? c.handle == *a.handle : c.name == a.name; });
        break;
      case ast::CmdObj::rule:
        for (KChain& c : t->chains)
          if (c.name == a.name) c.rules.remove_if([&](const KRule& r) { return a.handle && r.handle == *a.handle; });
        break;
      case ast::CmdObj::set:
      case ast::CmdObj::map:
        t->sets.remove_if([&](const KSet& s) { return a.handle ? s.handle == *a.handle : s.set.name == a.name; });
        break;
      case ast::CmdObj::element: {
        KSet* s = find_set(*t, a.name);
        if (s == nullptr || a.set == nullptr || a.elements == nullptr) break;
        bc::Set layout = lower::lower_set(ctx_, *a.set);
        std::unordered_set<std::string> gone;
        for (const bc::SetElement& e : lower::lower_elements(*a.set, a.elements, false, &layout))
          gone.insert(element_key(e));
        std::erase_if(s->set.elements, [&](const bc::SetElement& e) { return gone.contains(element_key(e)); });
        s->keys.clear();
        break;
      }
      case ast::CmdObj::flowtable:
        std::erase_if(t->flowtables, [&](const sema::Flowtable* f) { return f->name == a.name; });
        break;
      case ast::CmdObj::object:
        std::erase_if(t->objects,
                      [&](const sema::Object* o) { return o->type == a.object_type && o->name == a.name; });
        break;
      default: break;
    }
  }

  void flush(const Action& a) {
    if (a.obj == ast::CmdObj::ruleset) {
      tables_.remove_if([&](const KTable& t) { return a.table_name.empty() ? true : t.family == a.family; });
      return;
    }
    KTable* t = find_table(a.family, a.table_name);
    if (t == nullptr) return;
    switch (a.obj) {
      case ast::CmdObj::table:
        for (KChain& c : t->chains) c.rules.clear();
        break;
      case ast::CmdObj::chain:
        if (KChain* c = find_chain(*t, a.name)) c->rules.clear();
        break;
      case ast::CmdObj::set:
      case ast::CmdObj::map:
        if (KSet* s = find_set(*t, a.name)) {
          s->set.elements.clear();
          s->keys.clear();
        }
        break;
      default: break;
    }
  }

  void rename(const Action& a) {
    KTable* t = find_table(a.family, a.table_name);
    if (t == nullptr || a.obj != ast::CmdObj::chain) return;
    if (KChain* c = find_chain(*t, a.name)) c->name = a.new_name;
  }

  DiagnosticSink& sink_;
  lower::LowerContext ctx_;
  std::list<KTable> tables_;
  std::uint64_t table_handles_ = 0;  // tables are numbered per network namespace
};

// Reads one table back: sets first (rules refer to them), then chains.
void list_table(Listing& l, KTable& kt, DiagnosticSink& sink) {
  sema::IrArena& ir = l.ruleset.arena;
  sema::Table* t = ir.make<sema::Table>();
  *t = sema::Table{};
  t->name = kt.name;
  t->family = kt.family;
  t->flags = kt.decl->flags;
  t->comment = kt.decl->comment;
  t->span = kt.decl->span;
  t->objects.assign(kt.objects.begin(), kt.objects.end());
  l.handles[t] = kt.handle;
  for (const auto& [node, handle] : kt.object_handles) l.handles[node] = handle;
  t->flowtables.assign(kt.flowtables.begin(), kt.flowtables.end());

  struct Listed {
    sema::Set* set;
    std::uint32_t id;
    bool anonymous;
  };
  std::vector<Listed> sets;
  auto read_set = [&](const KSet& ks) {
    if (ks.decl == nullptr) return;
    sema::Set* s = delinearize_set(l, *ks.decl, ks.set, sink);
    l.handles[s] = ks.handle;
    sets.push_back({s, ks.set.id, sema::set_is_anonymous(ks.set.flags)});
    t->sets.push_back(s);
  };
  for (const KSet& ks : kt.sets) read_set(ks);
  for (const KChain& kc : kt.chains)
    for (const KRule& kr : kc.rules)
      for (const KSet& ks : kr.anonymous) read_set(ks);

  std::vector<std::pair<const KChain*, sema::Chain*>> chains;
  for (const KChain& kc : kt.chains) {
    sema::Chain* c = ir.make<sema::Chain>();
    *c = *kc.decl;
    c->name = kc.name;
    c->rules.clear();
    l.handles[c] = kc.handle;
    chains.emplace_back(&kc, c);
    t->chains.push_back(c);
  }

  RuleContext ctx;
  ctx.family = kt.family;
  ctx.find_set = [&](const std::string& name, std::uint32_t id) -> sema::Set* {
    for (const Listed& s : sets)
      if (s.anonymous && s.id == id && id != 0) return s.set;
    for (const Listed& s : sets)
      if (!s.anonymous && s.set->name == name) return s.set;
    for (const Listed& s : sets)
      if (s.set->name == name) return s.set;
    return nullptr;
  };
  ctx.find_binding_chain = [&](const std::string& name) -> sema::Chain* {
    for (auto& [kc, c] : chains)
      if (c->name == name && (c->anonymous || (c->flags & NFT_CHAIN_BINDING))) return c;
    return nullptr;
  };
  for (auto& [kc, c] : chains)
    for (const KRule& kr : kc->rules) {
      sema::Rule* r = delinearize_rule(l, ctx, kr.rule, sink);
      l.handles[r] = kr.handle;
      c->rules.push_back(r);
    }
  l.ruleset.tables.push_back(t);
}

}  // namespace

std::unique_ptr<Listing> list_ruleset(const sema::Analysis& analysis, DiagnosticSink& sink) {
  auto l = std::make_unique<Listing>();
  Kernel kernel(sink);
  for (const Action& a : analysis.actions) kernel.apply(a);
  for (KTable& t : kernel.tables()) list_table(*l, t, sink);
  return l;
}

}  // namespace nftc::listing
