// The command evaluator: walks the script's commands in order, keeps the
// "cache" of what the batch has declared so far, and evaluates each object
// as nft does (evaluate.c: cmd_evaluate_add and friends). Checks the kernel
// makes when it receives the batch are predicted here too (KRN codes), each
// against the kernel behaviour it stands for.
#include "compiler/sema/analyzer.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "compiler/sema/build.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/kernel_checks.hpp"
#include "compiler/spell.hpp"

namespace nftc::sema {

namespace {

constexpr std::uint32_t kNoHook = 0xffffffffu;

Family to_family(ast::Family f) {
  switch (f) {
    case ast::Family::ip: return Family::ip;
    case ast::Family::ip6: return Family::ip6;
    case ast::Family::inet: return Family::inet;
    case ast::Family::arp: return Family::arp;
    case ast::Family::bridge: return Family::bridge;
    case ast::Family::netdev: return Family::netdev;
  }
  return Family::ip;
}

std::string_view family_str(Family f) {
  switch (f) {
    case Family::ip: return "ip";
    case Family::ip6: return "ip6";
    case Family::inet: return "inet";
    case Family::arp: return "arp";
    case Family::bridge: return "bridge";
    case Family::netdev: return "netdev";
  }
  return "unknown";
}

// The hook numbers of each family (nft's str2hooknum). ip, ip6, inet and
// bridge share the NF_INET_* numbering; inet adds ingress.
std::uint32_t hook_number(Family family, std::string_view hook) {
  switch (family) {
    case Family::inet:
      if (hook == "ingress") return NF_INET_INGRESS;
      [[fallthrough]];
    case Family::ip:
    case Family::ip6:
    case Family::bridge:
      if (hook == "prerouting") return NF_INET_PRE_ROUTING;
      if (hook == "input") return NF_INET_LOCAL_IN;
      if (hook == "forward") return NF_INET_FORWARD;
      if (hook == "postrouting") return NF_INET_POST_ROUTING;
      if (hook == "output") return NF_INET_LOCAL_OUT;
      break;
    case Family::arp:
      if (hook == "input") return 0;    // NF_ARP_IN
      if (hook == "forward") return 2;  // NF_ARP_FORWARD
      if (hook == "output") return 1;   // NF_ARP_OUT
      break;
    case Family::netdev:
      if (hook == "ingress") return NF_NETDEV_INGRESS;
      if (hook == "egress") return NF_NETDEV_EGRESS;
      break;
  }
  return kNoHook;
}

std::vector<std::string_view> family_hooks(Family family) {
  switch (family) {
    case Family::ip:
    case Family::ip6:
    case Family::bridge: return {"prerouting", "input", "forward", "output", "postrouting"};
    case Family::inet: return {"prerouting", "input", "forward", "output", "postrouting", "ingress"};
    case Family::arp: return {"input", "forward", "output"};
    case Family::netdev: return {"ingress", "egress"};
  }
  return {};
}

constexpr std::uint32_t bit(std::uint32_t n) { return 1u << n; }
constexpr std::uint32_t kInetHooks = bit(NF_INET_PRE_ROUTING) | bit(NF_INET_LOCAL_IN) | bit(NF_INET_FORWARD) |
                                     bit(NF_INET_LOCAL_OUT) | bit(NF_INET_POST_ROUTING);

// The chain types the kernel registers (net/netfilter/nft_chain_filter.c,
// nft_chain_nat.c, nft_chain_route.c): per family, the hooks each accepts.
struct ChainTypeSupport {
  std::string_view type;
  Family family;
  std::uint32_t hooks;
};
constexpr ChainTypeSupport kChainTypes[] = {
    {"filter", Family::ip, kInetHooks},
    {"filter", Family::ip6, kInetHooks},
    {"filter", Family::inet, kInetHooks | bit(NF_INET_INGRESS)},
    {"filter", Family::bridge, kInetHooks},
    {"filter", Family::arp, bit(0) | bit(1)},  // NF_ARP_IN, NF_ARP_OUT
    {"filter", Family::netdev, bit(NF_NETDEV_INGRESS) | bit(NF_NETDEV_EGRESS)},
    {"nat", Family::ip, bit(NF_INET_PRE_ROUTING) | bit(NF_INET_LOCAL_IN) | bit(NF_INET_LOCAL_OUT) |
                            bit(NF_INET_POST_ROUTING)},
    {"nat", Family::ip6, bit(NF_INET_PRE_ROUTING) | bit(NF_INET_LOCAL_IN) | bit(NF_INET_LOCAL_OUT) |
                             bit(NF_INET_POST_ROUTING)},
    {"nat", Family::inet, bit(NF_INET_PRE_ROUTING) | bit(NF_INET_LOCAL_IN) | bit(NF_INET_LOCAL_OUT) |
                              bit(NF_INET_POST_ROUTING)},
    {"route", Family::ip, bit(NF_INET_LOCAL_OUT)},
    {"route", Family::ip6, bit(NF_INET_LOCAL_OUT)},
    {"route", Family::inet, bit(NF_INET_LOCAL_OUT)},
};

// Standard priority names (nft's std_prios / bridge_std_prios) and where
// each may be used (std_prio_family_hook_compat).
struct PrioName {
  std::string_view name;
  std::int32_t value;
};
constexpr PrioName kStdPrios[] = {{"raw", -300},    {"mangle", -150},  {"dstnat", -100},
                                  {"filter", 0},     {"security", 50}, {"srcnat", 100}};
constexpr PrioName kBridgePrios[] = {{"dstnat", -300}, {"filter", -200}, {"out", 100}, {"srcnat", 300}};

bool prio_compatible(std::int32_t prio, Family family, std::uint32_t hook) {
  if (family == Family::bridge) {
    switch (prio) {
      case -300: return hook == NF_INET_PRE_ROUTING;
      case -200: return true;
      case 100: return hook == NF_INET_LOCAL_OUT;
      case 300: return hook == NF_INET_POST_ROUTING;
      default: return false;
    }
  }
  bool inet_like = family == Family::inet || family == Family::ip || family == Family::ip6;
  switch (prio) {
    case 0: return inet_like || family == Family::arp || family == Family::netdev;
    case -300:
    case -150:
    case 50: return inet_like;
    case -100: return inet_like && (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_OUT);
    case 100: return inet_like && (hook == NF_INET_LOCAL_IN || hook == NF_INET_POST_ROUTING);
    default: return false;
  }
}

std::optional<std::int32_t> std_prio(std::string_view name, Family family, std::uint32_t hook) {
  for (const PrioName& p : family == Family::bridge ? std::span<const PrioName>(kBridgePrios)
                                                      : std::span<const PrioName>(kStdPrios)) {
    if (p.name == name && prio_compatible(p.value, family, hook)) return p.value;
  }
  return std::nullopt;
}

std::vector<std::string_view> usable_prio_names(Family family, std::uint32_t hook) {
  std::vector<std::string_view> out;
  for (const PrioName& p : family == Family::bridge ? std::span<const PrioName>(kBridgePrios)
                                                      : std::span<const PrioName>(kStdPrios)) {
    if (prio_compatible(p.value, family, hook)) out.push_back(p.name);
  }
  return out;
}

std::string join(const std::vector<std::string_view>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

constexpr std::uint32_t kObjTunnel = NFT_OBJECT_TUNNEL;  // 6 in the uapi header and in nft

std::uint32_t object_type(ast::ObjKind k) {
  switch (k) {
    case ast::ObjKind::counter: return NFT_OBJECT_COUNTER;
    case ast::ObjKind::quota: return NFT_OBJECT_QUOTA;
    case ast::ObjKind::limit: return NFT_OBJECT_LIMIT;
    case ast::ObjKind::ct_helper: return NFT_OBJECT_CT_HELPER;
    case ast::ObjKind::ct_timeout: return NFT_OBJECT_CT_TIMEOUT;
    case ast::ObjKind::ct_expect: return NFT_OBJECT_CT_EXPECT;
    case ast::ObjKind::secmark: return NFT_OBJECT_SECMARK;
    case ast::ObjKind::synproxy: return NFT_OBJECT_SYNPROXY;
    case ast::ObjKind::tunnel: return kObjTunnel;
  }
  return NFT_OBJECT_COUNTER;
}

std::string_view object_type_name(std::uint32_t t) {
  switch (t) {
    case NFT_OBJECT_COUNTER: return "counter";
    case NFT_OBJECT_QUOTA: return "quota";
    case NFT_OBJECT_LIMIT: return "limit";
    case NFT_OBJECT_CT_HELPER: return "ct helper";
    case NFT_OBJECT_CT_TIMEOUT: return "ct timeout";
    case NFT_OBJECT_CT_EXPECT: return "ct expectation";
    case NFT_OBJECT_SECMARK: return "secmark";
    case NFT_OBJECT_SYNPROXY: return "synproxy";
    case kObjTunnel: return "tunnel";
    default: return "object";
  }
}

std::uint8_t l4proto_number(std::string_view name) {
  if (name == "tcp") return 6;
  if (name == "udp") return 17;
  return 0;
}

// The string a constant string expression holds (a chain name).
std::string value_string(const Expr* e) {
  if (e == nullptr) return {};
  std::string s = e->value.to_bytes_string(div_round_up(e->len, 8), ByteOrder::host);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// The cache

struct Analyzer::Impl {
  Analyzer& an;
  struct TableIndex {
    std::unordered_map<std::string, Chain*> chains;
    std::unordered_map<std::string, Set*> sets;
    std::unordered_map<std::string, Flowtable*> flowtables;
    std::unordered_map<std::string, Object*> objects;  // key: type '/' name
  };
  std::vector<Table*> tables;  // the live cache (deleted tables leave it)
  std::unordered_map<const Table*, TableIndex> index;
  std::vector<Set*> pending_sets;  // anonymous sets of the rule being evaluated
  unsigned binding_chains = 0;

  explicit Impl(Analyzer& a) : an(a) {}

  static std::string object_key(std::uint32_t type, std::string_view name) {
    return fmt::format("{}/{}", type, name);
  }
};

Analyzer::Analyzer(SourceManager& sm, DiagnosticSink& sink, const AnalyseOptions& opts)
    : sm_(sm), sink_(sink), opts_(opts), out_(std::make_unique<Analysis>()), impl_(std::make_unique<Impl>(*this)) {}

Analyzer::~Analyzer() = default;

Table* Analyzer::find_table(Family f, std::string_view name) {
  for (Table* t : impl_->tables)
    if (t->family == f && t->name == name) return t;
  return nullptr;
}

Chain* Analyzer::find_chain(Table* t, std::string_view name) {
  if (t == nullptr) return nullptr;
  auto& m = impl_->index[t].chains;
  auto it = m.find(std::string(name));
  return it == m.end() ? nullptr : it->second;
}

Set* Analyzer::find_set(Table* t, std::string_view name) {
  if (t == nullptr) return nullptr;
  auto& m = impl_->index[t].sets;
  auto it = m.find(std::string(name));
  return it == m.end() ? nullptr : it->second;
}

Flowtable* Analyzer::find_flowtable(Table* t, std::string_view name) {
  if (t == nullptr) return nullptr;
  auto& m = impl_->index[t].flowtables;
  auto it = m.find(std::string(name));
  return it == m.end() ? nullptr : it->second;
}

Object* Analyzer::find_object(Table* t, std::uint32_t type, std::string_view name) {
  if (t == nullptr) return nullptr;
  auto& m = impl_->index[t].objects;
  auto it = m.find(Analyzer::Impl::object_key(type, name));
  return it == m.end() ? nullptr : it->second;
}

void Analyzer::add_implicit_set(EvalCtx&, Set* set) {
  set->anon_id = static_cast<std::uint32_t>(impl_->pending_sets.size());
  impl_->pending_sets.push_back(set);
}

// ---------------------------------------------------------------------------
// Rules

namespace {

// Every expression under `e`, depth first (verdicts' chain names included).
template <typename F>
void walk_expr(Expr* e, F&& f) {
  if (e == nullptr) return;
  f(e);
  walk_expr(e->left, f);
  walk_expr(e->right, f);
  for (Expr* i : e->items) walk_expr(i, f);
  if (e->kind == Kind::set_ref && e->set_ref().set != nullptr && e->set_ref().set->anonymous())
    walk_expr(e->set_ref().set->init, f);
}

template <typename F>
void walk_stmt_exprs(Stmt* s, F&& f) {
  switch (s->type) {
    case StmtType::expression:
    case StmtType::verdict: walk_expr(s->expr, f); break;
    case StmtType::chain: walk_expr(s->as<ChainStmt>().expr, f); break;
    case StmtType::map: walk_expr(s->as<MapStmt>().data, f); break;
    default: break;
  }
}

}  // namespace

bool Analyzer::evaluate_rule(EvalCtx& ctx, Rule* rule) {
  ctx.pctx_store[0].init(ctx.cmd.family, false);
  ctx.pctx_store[1].init(Family::bridge, true);  // the inner (tunnelled) headers start at ethernet
  ctx.ectx.reset();
  ctx.rule = rule;
  Stmt* terminal = nullptr;
  // Evaluation inserts dependency statements before the current one (and
  // at the front): walk by position, finding the current one again after.
  for (std::size_t i = 0; i < rule->stmts.size(); ++i) {
    Stmt* stmt = rule->stmts[i];
    if (terminal != nullptr)
      return ctx.error2(stmt->span, terminal->span, "Statement after terminal statement has no effect");
    ctx.stmt = stmt;
    if (!stmt_evaluate(ctx, stmt)) return false;
    if (stmt->flags & kStmtTerminal) terminal = stmt;
    ctx.inner_desc = nullptr;
    i = static_cast<std::size_t>(std::find(rule->stmts.begin(), rule->stmts.end(), stmt) - rule->stmts.begin());
  }
  if (!rule_postprocess(ctx, rule)) return false;

  // Named objects: the kernel looks them up when the rule (or the anonymous
  // map's elements) arrive, and refuses names it does not know (ENOENT).
  for (Stmt* stmt : rule->stmts) {
    if (stmt->type != StmtType::objref) continue;
    const ObjrefStmt& o = stmt->as<ObjrefStmt>();
    if (o.expr->kind == Kind::value) {
      if (!check_object(ctx, o.type, o.expr)) return false;
    } else if (o.expr->kind == Kind::map && o.expr->right->kind == Kind::set_ref) {
      if (!check_object_elements(ctx, o.expr->right->set_ref().set, o.expr->right->set_ref().set->init))
        return false;
    }
  }

  if (rule->chain != nullptr && !kernel_check_rule(ctx, *rule->chain, *rule)) return false;

  // Jump and goto targets: the kernel looks them up by name when the rule is
  // added (ENOENT) and refuses base chains (EOPNOTSUPP).
  bool ok = true;
  for (Stmt* stmt : rule->stmts) {
    walk_stmt_exprs(stmt, [&](Expr* e) {
      if (e->kind == Kind::verdict) ok = check_jump_target(ctx, e) && ok;
    });
  }
  return ok;
}

bool Analyzer::check_object(EvalCtx& ctx, std::uint32_t type, const Expr* name_expr) {
  if (opts_.define_tables_implicitly || ctx.table == nullptr) return true;
  std::string name = value_string(name_expr);
  if (find_object(ctx.table, type, name) != nullptr) return true;
  std::vector<std::string_view> names;
  for (Object* o : ctx.table->objects)
    if (o->type == type) names.push_back(o->name);
  std::string help = fmt::format("declare it with `{} {} {{ … }}` in table {} before it is used",
                                 object_type_name(type), name, ctx.table->name);
  if (auto m = closest_match(name, names)) help = fmt::format("did you mean '{}'?", *m);
  return ctx.fail("SEM002", name_expr->span,
                  fmt::format("{} '{}' does not exist in table {} {}", object_type_name(type), name,
                              family_str(ctx.table->family), ctx.table->name),
                  help);
}

bool Analyzer::check_flowtable(EvalCtx& ctx, const Stmt* stmt) {
  if (opts_.define_tables_implicitly || ctx.table == nullptr) return true;
  const std::string& name = stmt->as<FlowStmt>().table_name;
  if (find_flowtable(ctx.table, name) != nullptr) return true;
  std::vector<std::string_view> names;
  for (const Flowtable* f : ctx.table->flowtables) names.push_back(f->name);
  std::string help = fmt::format("declare it with `flowtable {} {{ hook ingress priority filter; devices = {{ … }} }}` "
                                 "in table {} before it is used",
                                 name, ctx.table->name);
  if (auto m = closest_match(name, names)) help = fmt::format("did you mean '@{}'?", *m);
  return ctx.fail("SEM002", stmt->span,
                  fmt::format("flowtable '{}' does not exist in table {} {}", name, family_str(ctx.table->family),
                              ctx.table->name),
                  help);
}

bool Analyzer::check_jump_target(EvalCtx& ctx, const Expr* e) {
  const auto& v = e->as<VerdictData>();
  if ((v.verdict != kVerdictJump && v.verdict != kVerdictGoto) || v.chain == nullptr) return true;
  if (v.chain->kind != Kind::value || ctx.table == nullptr) return true;
  std::string name = value_string(v.chain);
  Chain* target = find_chain(ctx.table, name);
  if (target == nullptr) {
    if (opts_.define_tables_implicitly) return true;
    std::vector<std::string_view> names;
    for (auto& [n, c] : impl_->index[ctx.table].chains) names.push_back(n);
    std::string help = "declare the chain before the rule that jumps to it";
    if (auto m = closest_match(name, names)) help = fmt::format("did you mean '{}'?", *m);
    return ctx.fail("SEM002", v.chain->span.valid() ? v.chain->span : e->span,
                    fmt::format("chain '{}' does not exist in table {} {}", name, family_str(ctx.table->family),
                                ctx.table->name),
                    help);
  }
  if (target->base)
    return ctx.fail("KRN003", e->span,
                    fmt::format("'{}' is a base chain: the kernel refuses jumps and gotos to chains with a hook", name),
                    "move the shared rules into a regular chain and jump to that from both places");
  return true;
}

bool Analyzer::check_object_elements(EvalCtx& ctx, const Set* set, const Expr* init) {
  if (set == nullptr || init == nullptr || !(set->flags & (NFT_SET_OBJECT | NFT_SET_MAP))) return true;
  bool ok = true;
  for (const Expr* i : init->items) {
    const Expr* k = i->kind == Kind::set_elem ? i->left : i;
    if (k == nullptr || k->kind != Kind::mapping || k->right == nullptr) continue;
    if ((set->flags & NFT_SET_OBJECT) && k->right->kind == Kind::value)
      ok = check_object(ctx, set->objtype, k->right) && ok;
    // A verdict map's jumps: the kernel looks the chain up when the element
    // is added (ENOENT).
    if (k->right->kind == Kind::verdict) ok = check_jump_target(ctx, k->right) && ok;
  }
  return ok;
}

void Analyzer::add_binding_chain(EvalCtx& ctx, Chain* chain) {
  chain->family = ctx.cmd.family;
  chain->table = ctx.cmd.table;
  chain->name = fmt::format("__chain{}", impl_->binding_chains++);
  Action a;
  a.kind = Action::Kind::add_chain;
  a.table = ctx.table;
  a.chain = chain;
  a.span = chain->span;
  out_->actions.push_back(a);
  std::vector<Set*> outer = std::move(impl_->pending_sets);
  impl_->pending_sets.clear();
  for (Rule* rule : chain->rules) {
    EvalCtx rctx(*this, out_->ruleset.arena, out_->types, sink_);
    rctx.cmd = ctx.cmd;
    rctx.table = ctx.table;
    if (!evaluate_rule(rctx, rule)) {
      ctx.errors = true;
      break;
    }
    Action r;
    r.kind = Action::Kind::add_rule;
    r.table = ctx.table;
    r.chain = chain;
    r.rule = rule;
    r.span = rule->span;
    r.anonymous_sets = std::move(impl_->pending_sets);
    impl_->pending_sets.clear();
    out_->actions.push_back(std::move(r));
  }
  impl_->pending_sets = std::move(outer);
}

bool Analyzer::evaluate_set(EvalCtx& ctx, Set* set) { return set_evaluate(ctx, set); }

// ---------------------------------------------------------------------------
// The command evaluator

namespace {

class CommandEvaluator {
 public:
  CommandEvaluator(Analyzer& an, Analyzer::Impl& impl, const AnalyseOptions& opts)
      : an_(an), impl_(impl), opts_(opts), out_(an.out()) {}

  void run(const ast::Command& c);

 private:
  EvalCtx make_ctx(Family family, std::string_view table) {
    EvalCtx ctx(an_, out_.ruleset.arena, out_.types, an_.sink());
    ctx.cmd.family = family;
    ctx.cmd.table = std::string(table);
    ctx.table = an_.find_table(family, table);
    return ctx;
  }

  // The table a command names, or an error (SEM002) with a suggestion.
  Table* need_table(EvalCtx& ctx, const ast::Handle& h);
  Table* add_table(Family family, const ast::Ident& name, const ast::TableDecl* decl, ast::CmdOp op, Span span);
  Chain* add_chain(EvalCtx& ctx, const ast::ChainDecl* decl, const ast::Ident& name, ast::CmdOp op, Span span);
  void add_rule(EvalCtx& ctx, Chain* chain, const ast::RuleDecl& decl, ast::CmdOp op, const ast::Handle* h);
  Set* add_set(EvalCtx& ctx, const ast::SetDecl& decl, bool is_map, ast::CmdOp op, Span span);
  void add_set_elements(EvalCtx& ctx, Set* set);
  void elements(EvalCtx& ctx, const ast::Command& c);
  void add_flowtable(EvalCtx& ctx, const ast::FlowtableDecl& decl, ast::CmdOp op, Span span);
  void add_object(EvalCtx& ctx, const ast::ObjDecl& decl, ast::CmdOp op, Span span);
  void expand_table(EvalCtx& ctx, Table* table, const ast::TableDecl& decl);
  void remove(const ast::Command& c);
  void flush(const ast::Command& c);
  void rename(const ast::Command& c);

  bool priority(EvalCtx& ctx, const ast::PrioritySpec& spec, Family family, std::uint32_t hook,
                std::string_view hook_name, std::int32_t& out);
  bool devices(EvalCtx& ctx, const std::vector<ast::Expr*>& exprs, std::vector<std::string>& out);
  bool collect_devices(EvalCtx& ctx, const ast::Expr& e, std::vector<std::string>& out);
  Expr* set_key(EvalCtx& ctx, const std::vector<ast::Ident>& types, const std::vector<ast::Expr*>& typeofs,
                Span span, bool& typeof_form);
  bool object_config(EvalCtx& ctx, const ast::ObjDecl& decl, Object* obj);
  bool tunnel_config(EvalCtx& ctx, const ast::ObjDecl& decl, Object* obj);

  Action& push(Action::Kind kind, Span span) {
    Action& a = out_.actions.emplace_back();
    a.kind = kind;
    a.span = span;
    return a;
  }

  Analyzer& an_;
  Analyzer::Impl& impl_;
  const AnalyseOptions& opts_;
  Analysis& out_;
};

Table* CommandEvaluator::need_table(EvalCtx& ctx, const ast::Handle& h) {
  if (ctx.table != nullptr) return ctx.table;
  Family family = to_family(h.family);
  if (opts_.define_tables_implicitly) {
    Table* t = out_.ruleset.arena.make<Table>();
    t->family = family;
    t->name = std::string(h.table.text);
    t->span = h.table.span;
    impl_.tables.push_back(t);
    ctx.table = t;
    return t;
  }
  std::vector<std::string_view> names;
  std::string other_family;
  for (Table* t : impl_.tables) {
    if (t->family == family) names.push_back(t->name);
    else if (t->name == h.table.text) other_family = std::string(family_str(t->family));
  }
  std::string help;
  if (!other_family.empty())
    help = fmt::format("there is a table '{}' in the {} family: name the family, e.g. `{} {}`", h.table.text,
                       other_family, other_family, h.table.text);
  else if (auto m = closest_match(h.table.text, names))
    help = fmt::format("did you mean '{}'?", *m);
  else
    help = fmt::format("declare it first with `table {} {} {{ … }}` or `add table {} {}`", family_str(family),
                       h.table.text, family_str(family), h.table.text);
  ctx.fail("SEM002", h.table.span.valid() ? h.table.span : h.family_span,
           fmt::format("table '{}' does not exist in the {} family", h.table.text, family_str(family)), help);
  return nullptr;
}

Table* CommandEvaluator::add_table(Family family, const ast::Ident& name, const ast::TableDecl* decl,
                                   ast::CmdOp op, Span span) {
  EvalCtx ctx = make_ctx(family, name.text);
  Table* table = ctx.table;
  if (table != nullptr && op == ast::CmdOp::create) {
    ctx.fail("KRN002", name.span,
             fmt::format("table {} {} already exists: `create` fails where `add` would merge", family_str(family),
                         name.text),
             "use `add table` (or a `table` block) to extend an existing table");
  }
  if (table == nullptr) {
    table = out_.ruleset.arena.make<Table>();
    table->family = family;
    table->name = std::string(name.text);
    table->span = span;
    impl_.tables.push_back(table);
    out_.ruleset.tables.push_back(table);
    ctx.table = table;
  }
  if (decl != nullptr) {
    for (const ast::Ident& f : decl->flags) {
      if (f.text == "dormant") table->flags |= NFT_TABLE_F_DORMANT;
      else if (f.text == "owner") table->flags |= NFT_TABLE_F_OWNER;
      else if (f.text == "persist") table->flags |= 0x4;  // NFT_TABLE_F_PERSIST
      else
        ctx.fail("SEM001", f.span, fmt::format("unknown table flag '{}'", f.text),
                 "table flags are dormant, owner and persist");
    }
    if (!decl->comment.empty()) table->comment = std::string(decl->comment.text);
  }
  Action& a = push(Action::Kind::add_table, span);
  a.op = op;
  a.table = table;
  a.family = family;
  a.table_name = table->name;
  if (decl != nullptr && decl->has_block) expand_table(ctx, table, *decl);
  return table;
}

// A table block expands as nft_cmd_expand does: chains, objects, sets (each
// followed by its elements), flowtables, then every chain's rules.
void CommandEvaluator::expand_table(EvalCtx& tctx, Table* table, const ast::TableDecl& decl) {
  std::vector<std::pair<const ast::ChainDecl*, Chain*>> chains;
  for (const ast::TableItem& item : decl.items) {
    if (auto* c = std::get_if<ast::ChainDecl*>(&item.item)) {
      EvalCtx ctx = make_ctx(table->family, table->name);
      chains.emplace_back(*c, add_chain(ctx, *c, (*c)->name, ast::CmdOp::add, (*c)->span));
    }
  }
  for (const ast::TableItem& item : decl.items) {
    if (auto* o = std::get_if<ast::ObjDecl*>(&item.item)) {
      EvalCtx ctx = make_ctx(table->family, table->name);
      add_object(ctx, **o, ast::CmdOp::add, (*o)->span);
    }
  }
  for (const ast::TableItem& item : decl.items) {
    if (auto* s = std::get_if<ast::SetDecl*>(&item.item)) {
      EvalCtx ctx = make_ctx(table->family, table->name);
      if (Set* set = add_set(ctx, **s, (*s)->is_map, ast::CmdOp::add, (*s)->span); set && set->init) {
        EvalCtx ectx = make_ctx(table->family, table->name);
        add_set_elements(ectx, set);
      }
    }
  }
  for (const ast::TableItem& item : decl.items) {
    if (auto* f = std::get_if<ast::FlowtableDecl*>(&item.item)) {
      EvalCtx ctx = make_ctx(table->family, table->name);
      add_flowtable(ctx, **f, ast::CmdOp::add, (*f)->span);
    }
  }
  for (auto& [decl_chain, chain] : chains) {
    if (chain == nullptr) continue;
    for (const ast::RuleDecl* r : decl_chain->rules) {
      EvalCtx ctx = make_ctx(table->family, table->name);
      add_rule(ctx, chain, *r, ast::CmdOp::add, nullptr);
    }
  }
  (void)tctx;
}

bool CommandEvaluator::collect_devices(EvalCtx& ctx, const ast::Expr& e0, std::vector<std::string>& out) {
  const ast::Expr* e = &e0;
  while (e->kind == ast::ExprKind::variable && e->def != nullptr && e->def->value != nullptr) e = e->def->value;
  if (e->kind == ast::ExprKind::set || e->kind == ast::ExprKind::list) {
    for (const ast::Expr* i : e->items) {
      const ast::Expr* item = i->kind == ast::ExprKind::set_elem && i->a ? i->a : i;
      if (!collect_devices(ctx, *item, out)) return false;
    }
    return true;
  }
  Builder b(ctx);
  std::string name;
  if (!b.text(*e, name)) return false;
  if (name.size() >= 16)  // IFNAMSIZ
    return ctx.fail("SEM001", e->span, fmt::format("device name '{}' is too long: at most 15 characters", name));
  out.push_back(std::move(name));
  return true;
}

bool CommandEvaluator::devices(EvalCtx& ctx, const std::vector<ast::Expr*>& exprs, std::vector<std::string>& out) {
  for (const ast::Expr* e : exprs)
    if (!collect_devices(ctx, *e, out)) return false;
  return true;
}

bool CommandEvaluator::priority(EvalCtx& ctx, const ast::PrioritySpec& spec, Family family, std::uint32_t hook,
                                std::string_view hook_name, std::int32_t& out) {
  std::string_view name = spec.name.text;
  std::int64_t offset = spec.offset;
  Span span = spec.span;
  if (spec.number) {
    out = static_cast<std::int32_t>(*spec.number);
    return true;
  }
  std::string text;
  if (spec.variable != nullptr) {
    const ast::Expr* v = spec.variable;
    while (v->kind == ast::ExprKind::variable && v->def != nullptr && v->def->value != nullptr) v = v->def->value;
    if (v->kind == ast::ExprKind::number) {
      out = static_cast<std::int32_t>(v->num);
      return true;
    }
    Builder b(ctx);
    if (!b.text(*v, text)) return false;
    std::string_view t = trim(text);
    std::int64_t n = 0;
    if (parse_int(t, n)) {
      out = static_cast<std::int32_t>(n);
      return true;
    }
    // "name", "name + N" or "name - N", as nft's evaluate_priority reads it.
    offset = 0;
    if (auto op = t.find_first_of("+-"); op != std::string_view::npos && op > 0) {
      std::int64_t off = 0;
      if (!parse_int(trim(t.substr(op + 1)), off))
        return ctx.fail("SEM001", span, fmt::format("invalid priority expression '{}'", t));
      offset = t[op] == '+' ? off : -off;
      t = trim(t.substr(0, op));
    }
    name = t;
  }
  auto base = std_prio(name, family, hook);
  if (!base) {
    std::vector<std::string_view> usable = usable_prio_names(family, hook);
    std::string help = usable.empty() ? "use a number"
                                      : fmt::format("names usable here: {}; or a number", join(usable));
    return ctx.fail("SEM001", span,
                    fmt::format("'{}' is not a valid priority for the {} hook of the {} family", name, hook_name,
                                family_str(family)),
                    help);
  }
  out = static_cast<std::int32_t>(*base + offset);
  return true;
}

Chain* CommandEvaluator::add_chain(EvalCtx& ctx, const ast::ChainDecl* decl, const ast::Ident& name,
                                   ast::CmdOp op, Span span) {
  Family family = ctx.cmd.family;
  Table* table = ctx.table;
  if (table == nullptr) return nullptr;
  Chain* chain = out_.ruleset.arena.make<Chain>();
  chain->name = std::string(name.text);
  chain->family = family;
  chain->table = table->name;
  chain->span = span;
  chain->name_span = name.span;
  bool ok = true;

  if (decl != nullptr) {
    if (decl->hook) {
      const ast::HookSpec& hs = *decl->hook;
      chain->base = true;
      chain->type = std::string(hs.type.text);
      chain->hook_name = std::string(hs.hook.text);
      chain->hook_span = hs.hook.span;
      chain->hooknum = hook_number(family, hs.hook.text);
      if (chain->hooknum == kNoHook) {
        ok = ctx.fail("SEM001", hs.hook.span,
                      fmt::format("The {} family does not support the {} hook", family_str(family), hs.hook.text),
                      fmt::format("hooks of the {} family: {}", family_str(family), join(family_hooks(family))));
      } else {
        const ChainTypeSupport* support = nullptr;
        for (const ChainTypeSupport& t : kChainTypes)
          if (t.type == hs.type.text && t.family == family) support = &t;
        if (support == nullptr) {
          ok = ctx.fail("KRN001", hs.type.span,
                        fmt::format("the kernel has no {} chains in the {} family", hs.type.text, family_str(family)),
                        hs.type.text == "nat" ? "nat chains exist in the ip, ip6 and inet families"
                                              : "route chains exist in the ip, ip6 and inet families");
        } else if (!(support->hooks & bit(chain->hooknum))) {
          std::vector<std::string_view> hooks;
          for (std::string_view h : family_hooks(family))
            if (support->hooks & bit(hook_number(family, h))) hooks.push_back(h);
          ok = ctx.fail("KRN001", hs.hook.span,
                        fmt::format("{} chains of the {} family cannot use the {} hook", hs.type.text,
                                    family_str(family), hs.hook.text),
                        fmt::format("{} chains hook at {}", hs.type.text, join(hooks)));
        }
      }
      if (ok && decl->priority) {
        chain->priority_span = decl->priority->span;
        if (!priority(ctx, *decl->priority, family, chain->hooknum, hs.hook.text, chain->priority)) ok = false;
        else if (chain->type == "nat" && chain->priority <= -200)
          ok = ctx.fail("KRN005", decl->priority->span,
                        fmt::format("nat chains must come after connection tracking: priority {} is at or before "
                                    "conntrack (-200)",
                                    chain->priority),
                        "use `priority dstnat` (-100) for destination NAT or `priority srcnat` (100) for source NAT");
      }
      std::vector<ast::Expr*> devs = hs.devices;
      devs.insert(devs.end(), decl->devices.begin(), decl->devices.end());
      if (!devs.empty()) {
        if (family == Family::netdev || (family == Family::inet && chain->hooknum == NF_INET_INGRESS)) {
          if (!devices(ctx, devs, chain->devices)) ok = false;
        } else {
          ok = ctx.fail("SEM001", devs.front()->span, "This chain type cannot be bound to device",
                        "devices belong to netdev chains and inet ingress chains");
        }
      }
    } else if (!decl->devices.empty()) {
      ok = ctx.fail("SEM001", decl->devices.front()->span, "a device needs a chain with a hook");
    }
    if (decl->policy != nullptr) {
      chain->policy_span = decl->policy->span;
      const ast::Expr* p = decl->policy;
      while (p->kind == ast::ExprKind::variable && p->def != nullptr && p->def->value != nullptr) p = p->def->value;
      std::string text;
      Builder b(ctx);
      if (p->kind == ast::ExprKind::verdict && (p->verdict == ast::VerdictKind::accept ||
                                                p->verdict == ast::VerdictKind::drop)) {
        chain->policy = p->verdict == ast::VerdictKind::accept ? NF_ACCEPT : NF_DROP;
      } else if (p->kind == ast::ExprKind::number && p->num <= 1) {
        chain->policy = static_cast<std::uint32_t>(p->num);
      } else if (b.text(*p, text) && (text == "accept" || text == "drop")) {
        chain->policy = text == "accept" ? NF_ACCEPT : NF_DROP;
      } else {
        ok = ctx.fail("SEM001", decl->policy->span, "invalid policy expression", "a chain policy is accept or drop");
      }
      if (!decl->hook)
        ok = ctx.fail("KRN004", decl->policy->span,
                      fmt::format("chain '{}' has no hook: only base chains have a policy", name.text),
                      "add `type filter hook … priority …;` or remove the policy");
    }
    if (decl->offload_flag) {
      chain->flags |= NFT_CHAIN_HW_OFFLOAD;
      chain->offload_span = decl->offload_span;
    }
    if (!decl->comment.empty()) chain->comment = std::string(decl->comment.text);
  }

  Chain* existing = an_.find_chain(table, chain->name);
  if (existing != nullptr) {
    if (op == ast::CmdOp::create)
      ctx.fail("KRN002", name.span, fmt::format("chain '{}' already exists: `create` fails where `add` merges", name.text));
    if (chain->base && (existing->base != chain->base || existing->type != chain->type ||
                        existing->hooknum != chain->hooknum || existing->priority != chain->priority)) {
      Diagnostic& d = an_.sink().error(
          "KRN008", chain->hook_span.valid() ? chain->hook_span : name.span,
          fmt::format("chain '{}' is declared again with a different type, hook or priority: the kernel cannot "
                      "change them",
                      name.text));
      if (existing->span.valid()) d.with_related(existing->span, "first declared here");
      ctx.errors = true;
      ok = false;
    }
    if (chain->base && ok) {
      // A redeclaration may change the policy (and devices) of the base chain.
      if (chain->policy) existing->policy = chain->policy;
    }
    if (!chain->comment.empty()) existing->comment = chain->comment;
    Action& a = push(Action::Kind::add_chain, span);
    a.op = op;
    a.table = table;
    a.chain = existing;
    return existing;
  }
  table->chains.push_back(chain);
  impl_.index[table].chains.emplace(chain->name, chain);
  Action& a = push(Action::Kind::add_chain, span);
  a.op = op;
  a.table = table;
  a.chain = chain;
  (void)ok;
  return chain;
}

void CommandEvaluator::add_rule(EvalCtx& ctx, Chain* chain, const ast::RuleDecl& decl, ast::CmdOp op,
                                const ast::Handle* h) {
  Builder b(ctx);
  impl_.pending_sets.clear();
  Rule* rule = b.rule(decl, chain);
  if (rule == nullptr) return;
  if (h != nullptr) {
    rule->handle = h->handle;
    rule->position = h->position;
    rule->index = h->index;
  }
  rule->insert = op == ast::CmdOp::insert;
  if (!an_.evaluate_rule(ctx, rule)) {
    impl_.pending_sets.clear();
    return;
  }
  if (op == ast::CmdOp::insert && !rule->position && !rule->index && !rule->handle)
    chain->rules.insert(chain->rules.begin(), rule);
  else
    chain->rules.push_back(rule);
  Action& a = push(Action::Kind::add_rule, rule->span);
  a.op = op;
  a.table = ctx.table;
  a.chain = chain;
  a.rule = rule;
  a.anonymous_sets = std::move(impl_.pending_sets);
  impl_.pending_sets.clear();
}

Expr* CommandEvaluator::set_key(EvalCtx& ctx, const std::vector<ast::Ident>& types,
                                const std::vector<ast::Expr*>& typeofs, Span span, bool& typeof_form) {
  std::vector<Expr*> parts;
  typeof_form = !typeofs.empty();
  if (typeof_form) {
    Builder b(ctx);
    for (const ast::Expr* e : typeofs) {
      Expr* x = b.expr(*e);
      if (x == nullptr) return nullptr;
      parts.push_back(x);
    }
  } else {
    for (const ast::Ident& t : types) {
      const Datatype* dtype = datatype_lookup_byname(t.text);
      if (dtype == nullptr) {
        ctx.fail("SEM001", t.span, fmt::format("unknown datatype {}", t.text),
                 "`nft describe` lists the datatypes; `typeof` takes an expression instead");
        return nullptr;
      }
      parts.push_back(constant_expr(ctx.ir, t.span, dtype, dtype->byteorder, dtype->size, Value()));
    }
  }
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return parts.front();
  Expr* concat = concat_expr(ctx.ir, span);
  concat->items = std::move(parts);
  return concat;
}

Set* CommandEvaluator::add_set(EvalCtx& ctx, const ast::SetDecl& decl, bool is_map, ast::CmdOp op, Span span) {
  Table* table = ctx.table;
  if (table == nullptr) return nullptr;
  Builder b(ctx);
  Set* set = out_.ruleset.arena.make<Set>();
  set->name = std::string(decl.name.text);
  set->family = ctx.cmd.family;
  set->table = table->name;
  set->span = decl.name.span.valid() ? decl.name.span : span;

  std::uint32_t flags = 0;
  for (const ast::Ident& f : decl.flags) {
    if (f.text == "constant") flags |= NFT_SET_CONSTANT;
    else if (f.text == "interval") flags |= NFT_SET_INTERVAL;
    else if (f.text == "timeout") flags |= NFT_SET_TIMEOUT;
    else if (f.text == "dynamic") flags |= NFT_SET_EVAL;
    else {
      ctx.fail("SEM001", f.span, fmt::format("unknown set flag '{}'", f.text),
               "set flags are constant, interval, timeout and dynamic");
      return nullptr;
    }
  }
  bool key_typeof = false;
  if (!decl.key_type.empty() || !decl.key_typeof.empty()) {
    set->key = set_key(ctx, decl.key_type, decl.key_typeof, decl.key_span, key_typeof);
    if (set->key == nullptr) return nullptr;
    set->key_typeof = key_typeof;
  }
  if (is_map) {
    // Map flags add to the map flag; a set's `flags` line replaces them.
    set->flags = flags;
    if (decl.data_object) {
      set->objtype = object_type(*decl.data_object);
      set->flags |= NFT_SET_OBJECT;
    } else if (!decl.data_keyword.empty()) {
      if (decl.data_keyword == "verdict") {
        set->data = verdict_expr(ctx.ir, decl.data_span, kVerdictAccept, nullptr);
        set->data->flags &= ~kExprConstant;
      } else if (decl.data_keyword == "queue") {
        set->data = constant_expr(ctx.ir, decl.data_span, &queue_type, ByteOrder::host, 16, Value());
      } else {
        ctx.fail("SEM001", decl.data_span,
                 fmt::format("map data type '{}' lacks typeof serialization", decl.data_keyword));
        return nullptr;
      }
      set->flags |= NFT_SET_MAP;
      set->data_typeof = true;
    } else if (decl.data_typeof.size() == 1 && decl.data_typeof[0]->kind == ast::ExprKind::selector &&
               decl.data_typeof[0]->sel->kind == ast::SelectorKind::ct && decl.data_typeof[0]->sel->field == "helper") {
      set->objtype = NFT_OBJECT_CT_HELPER;
      set->flags |= NFT_SET_OBJECT;
    } else if (!decl.data_type.empty() || !decl.data_typeof.empty()) {
      bool data_typeof = false;
      set->data = set_key(ctx, decl.data_type, decl.data_typeof, decl.data_span, data_typeof);
      if (set->data == nullptr) return nullptr;
      set->data_typeof = data_typeof;
      if (decl.data_interval) set->data->flags |= kExprInterval;
      set->flags |= NFT_SET_MAP;
    }
  } else {
    set->flags = flags;
  }
  if (decl.timeout != nullptr && !b.time_ms(*decl.timeout, set->timeout)) return nullptr;
  if (decl.gc_interval != nullptr && !b.time_ms(*decl.gc_interval, set->gc_int)) return nullptr;
  if (decl.size) set->size = static_cast<std::uint32_t>(*decl.size);
  if (!decl.policy.empty()) {
    set->has_policy = true;
    set->policy = decl.policy.text == "memory" ? NFT_SET_POL_MEMORY : NFT_SET_POL_PERFORMANCE;
  }
  set->automerge = decl.auto_merge;
  for (const ast::Stmt* s : decl.stmts) {
    Stmt* st = b.stmt(*s);
    if (st == nullptr) return nullptr;
    set->stmts.push_back(st);
  }
  if (!decl.comment.empty()) set->comment = std::string(decl.comment.text);
  if (decl.elements != nullptr) {
    set->init = b.expr(*decl.elements);
    if (set->init == nullptr) return nullptr;
  }

  std::string_view type = is_map ? "map" : "set";
  Set* existing = an_.find_set(table, set->name);
  if (existing != nullptr) {
    if (op == ast::CmdOp::create)
      ctx.fail("KRN002", decl.name.span,
               fmt::format("{} '{}' already exists: `create` fails where `add` merges", type, set->name));
    if ((existing->flags & NFT_SET_EVAL) && (existing->flags & ~NFT_SET_EVAL) == (set->flags & ~NFT_SET_EVAL))
      set->flags |= NFT_SET_EVAL;
  }
  if (!set_evaluate(ctx, set)) return nullptr;
  if (existing != nullptr) {
    if (set_is_interval(set->flags) && !set_is_interval(existing->flags)) {
      ctx.fail("SEM001", set->span, fmt::format("existing {} lacks interval flag", type));
      return nullptr;
    }
    if (set->data && existing->data && !datatype_equal(existing->data->dtype, set->data->dtype)) {
      ctx.fail("SEM001", set->span,
               fmt::format("{} already exists with different datatype ({} vs {})", type, existing->data->dtype->desc,
                           set->data->dtype->desc));
      return nullptr;
    }
    if (existing->key && !datatype_equal(existing->key->dtype, set->key->dtype)) {
      ctx.fail("SEM001", set->span,
               fmt::format("{} already exists with different datatype ({} vs {})", type, existing->key->dtype->desc,
                           set->key->dtype->desc));
      return nullptr;
    }
    std::uint32_t kinds = NFT_SET_MAP | NFT_SET_OBJECT;
    if ((existing->flags & kinds) != (set->flags & kinds)) {
      ctx.fail("SEM001", set->span,
               fmt::format("Cannot merge {} with incompatible existing {} of same name", type,
                           set_is_map(existing->flags) ? "map" : "set"));
      return nullptr;
    }
    set->existing_set = existing;
  } else {
    table->sets.push_back(set);
    impl_.index[table].sets.emplace(set->name, set);
  }
  Action& a = push(Action::Kind::add_set, span);
  a.op = op;
  a.table = table;
  a.set = set;
  return set;
}

// The elements declared with a set (nft's CMD_OBJ_SETELEMS).
void CommandEvaluator::add_set_elements(EvalCtx& ctx, Set* set) {
  if (!elems_evaluate(ctx, set)) return;
  if (!an_.check_object_elements(ctx, set, set->init)) return;
  Action& a = push(Action::Kind::add_elements, set->init ? set->init->span : set->span);
  a.table = ctx.table;
  a.set = set;
  a.elements = set->init;
}

// add/create/delete/destroy element commands (nft's setelem_evaluate).
void CommandEvaluator::elements(EvalCtx& ctx, const ast::Command& c) {
  Table* table = need_table(ctx, c.h);
  if (table == nullptr) return;
  Set* set = an_.find_set(table, c.h.name.text);
  if (set == nullptr) {
    if (c.op == ast::CmdOp::destroy) return;
    std::vector<std::string_view> names;
    for (Set* s : table->sets) names.push_back(s->name);
    std::string help = "declare the set or map before adding elements to it";
    if (auto m = closest_match(c.h.name.text, names)) help = fmt::format("did you mean '{}'?", *m);
    ctx.fail("SEM002", c.h.name.span,
             fmt::format("set '{}' does not exist in table {} {}", c.h.name.text, family_str(table->family),
                         table->name),
             help);
    return;
  }
  if (set->key == nullptr || c.elements == nullptr) return;
  Builder b(ctx);
  Expr* elems = b.expr(*c.elements);
  if (elems == nullptr) return;
  set->existing_set = set;
  ctx.set = set;
  ctx.cmd.op = c.op == ast::CmdOp::del || c.op == ast::CmdOp::destroy ? CmdInfo::Op::del : CmdInfo::Op::add;
  ctx.ectx.set(set->key->dtype, set->key->len);
  if (!expr_evaluate(ctx, elems)) return;
  if (elems->kind != Kind::set) {
    ctx.fail("SEM001", elems->span, "elements must be given in braces: { … }");
    return;
  }
  if (set_is_interval(set->flags)) {
    if (!(set->flags & NFT_SET_CONCAT) && !interval_set_eval(ctx, set, elems)) return;
    elems->set_expr().set_flags |= NFT_SET_INTERVAL;
  }
  ctx.set = nullptr;
  bool removing = c.op == ast::CmdOp::del || c.op == ast::CmdOp::destroy;
  if (!removing && !an_.check_object_elements(ctx, set, elems)) return;
  if (removing) {
    Action& a = push(Action::Kind::del, c.span);
    a.op = c.op;
    a.obj = ast::CmdObj::element;
    a.table = table;
    a.set = set;
    a.elements = elems;
    a.family = table->family;
    a.table_name = table->name;
    a.name = set->name;
    return;
  }
  Action& a = push(Action::Kind::add_elements, c.span);
  a.op = c.op;
  a.table = table;
  a.set = set;
  a.elements = elems;
}

void CommandEvaluator::add_flowtable(EvalCtx& ctx, const ast::FlowtableDecl& decl, ast::CmdOp op, Span span) {
  Table* table = ctx.table;
  if (table == nullptr) return;
  Flowtable* ft = out_.ruleset.arena.make<Flowtable>();
  ft->name = std::string(decl.name.text);
  ft->family = ctx.cmd.family;
  ft->table = table->name;
  ft->span = decl.name.span.valid() ? decl.name.span : span;
  Flowtable* existing = an_.find_flowtable(table, ft->name);
  if (existing == nullptr && decl.hook.empty() && !decl.devices_given) {
    ctx.fail("SEM001", ft->span, "missing hook and priority in flowtable declaration",
             "add `hook ingress priority filter; devices = { … };`");
    return;
  }
  if (existing != nullptr && op == ast::CmdOp::create)
    ctx.fail("KRN002", decl.name.span,
             fmt::format("flowtable '{}' already exists: `create` fails where `add` merges", ft->name));
  if (!decl.hook.empty()) {
    ft->has_hook = true;
    ft->hook_name = std::string(decl.hook.text);
    ft->hook_span = decl.hook.span;
    ft->hooknum = hook_number(Family::netdev, decl.hook.text);
    if (ft->hooknum == kNoHook) {
      ctx.fail("SEM001", decl.hook.span, fmt::format("invalid hook {}", decl.hook.text),
               "flowtables hook at ingress");
      return;
    }
    if (ft->hooknum != NF_NETDEV_INGRESS) {
      ctx.fail("KRN007", decl.hook.span,
               fmt::format("flowtables hook at ingress only: the kernel refuses the {} hook", decl.hook.text));
      return;
    }
    if (decl.priority && !priority(ctx, *decl.priority, Family::netdev, ft->hooknum, decl.hook.text, ft->priority))
      return;
  }
  if (!devices(ctx, decl.devices, ft->devices)) return;
  if (decl.counter) ft->flags |= NFT_FLOWTABLE_COUNTER;
  if (decl.offload_flag) {
    ft->flags |= NFT_FLOWTABLE_HW_OFFLOAD;
    ft->offload_span = decl.offload_span;
  }
  if (!decl.comment.empty()) ft->comment = std::string(decl.comment.text);
  if (existing == nullptr) {
    table->flowtables.push_back(ft);
    impl_.index[table].flowtables.emplace(ft->name, ft);
  } else {
    for (const std::string& d : ft->devices)
      if (std::find(existing->devices.begin(), existing->devices.end(), d) == existing->devices.end())
        existing->devices.push_back(d);
  }
  Action& a = push(Action::Kind::add_flowtable, span);
  a.op = op;
  a.table = table;
  a.flowtable = ft;
}

bool CommandEvaluator::tunnel_config(EvalCtx& ctx, const ast::ObjDecl& decl, Object* obj) {
  auto& t = obj->tunnel;
  using Type = decltype(obj->tunnel.type);
  Type section = Type::none;
  Builder b(ctx);
  for (const auto& [key, value] : decl.tunnel_options) {
    std::string_view k = key.text;
    if (value == nullptr) {  // erspan { / vxlan { / geneve {
      Type next = k == "erspan" ? Type::erspan : k == "vxlan" ? Type::vxlan : Type::geneve;
      if (t.type != Type::none && t.type != next)
        return ctx.fail("SEM001", key.span, "a tunnel has one type: erspan, vxlan or geneve");
      t.type = section = next;
      continue;
    }
    auto number = [&](std::uint64_t max) -> std::optional<std::uint64_t> {
      if (value->kind != ast::ExprKind::number) {
        ctx.fail("SEM001", value->span, fmt::format("{} takes a number", k));
        return std::nullopt;
      }
      if (value->num > max) {
        ctx.fail("SEM001", value->span, fmt::format("{} is at most {}", k, max));
        return std::nullopt;
      }
      return value->num;
    };
    if (k.starts_with("ip ") || k.starts_with("ip6 ")) {
      Expr* e = b.expr(*value);
      if (e == nullptr) return false;
      const Datatype* dt = k.starts_with("ip6") ? &ip6addr_type : &ipaddr_type;
      ctx.ectx.set(dt, dt->byteorder, dt->size, 0);
      if (!expr_evaluate(ctx, e)) return false;
      if (e->kind != Kind::value) return ctx.fail("SEM001", value->span, "a tunnel address is a single address");
      (k.ends_with("saddr") ? t.src : t.dst) = e;
      continue;
    }
    std::optional<std::uint64_t> n;
    if (section == Type::geneve) {
      if (k == "class") {
        if (!(n = number(0xffff))) return false;
        t.geneve.emplace_back().cls = static_cast<std::uint16_t>(*n);
      } else if (k == "opt-type") {
        if (!(n = number(0xff))) return false;
        if (t.geneve.empty()) t.geneve.emplace_back();
        t.geneve.back().type = static_cast<std::uint8_t>(*n);
      } else if (k == "data") {
        std::string text;
        if (!b.text(*value, text)) return false;
        // "0x…" hex, as nft's tunnel_geneve_data_str2array reads it: whole 32-bit words.
        std::string_view hex = text;
        if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
        if (hex.empty() || hex.size() % 8 != 0 || hex.size() > 2 * 124)
          return ctx.fail("SEM001", value->span, fmt::format("Invalid data array {}", text),
                          "geneve option data is hexadecimal, a multiple of 4 bytes, at most 124 bytes");
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = 0; i < hex.size(); i += 2) {
          unsigned v = 0;
          auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
          if (ec != std::errc() || p != hex.data() + i + 2)
            return ctx.fail("SEM001", value->span, fmt::format("Invalid data array {}", text));
          bytes.push_back(static_cast<std::uint8_t>(v));
        }
        if (t.geneve.empty()) t.geneve.emplace_back();
        t.geneve.back().data = std::move(bytes);
      }
      continue;
    }
    if (section == Type::erspan) {
      if (k == "version") {
        if (!(n = number(2))) return false;
        t.erspan.version = static_cast<std::uint32_t>(*n);
      } else if (k == "index") {
        if (!(n = number(0xfffff))) return false;
        t.erspan.index = static_cast<std::uint32_t>(*n);
      } else if (k == "direction") {
        std::string text;
        if (!b.text(*value, text)) return false;
        t.erspan.direction = text == "egress" ? 1 : 0;
      } else if (k == "id") {
        if (!(n = number(0x3f))) return false;
        t.erspan.hwid = static_cast<std::uint8_t>(*n);
      }
      continue;
    }
    if (section == Type::vxlan) {
      if (k == "gbp") {
        if (!(n = number(0xffffffff))) return false;
        t.vxlan_gbp = static_cast<std::uint32_t>(*n);
      }
      continue;
    }
    if (k == "id") {
      if (!(n = number(0xffffffff))) return false;
      t.id = static_cast<std::uint32_t>(*n);
    } else if (k == "sport" || k == "dport") {
      if (!(n = number(0xffff))) return false;
      (k == "sport" ? t.sport : t.dport) = static_cast<std::uint16_t>(*n);
    } else if (k == "ttl" || k == "tos") {
      if (!(n = number(0xff))) return false;
      (k == "ttl" ? t.ttl : t.tos) = static_cast<std::uint8_t>(*n);
    }
  }
  return true;
}

bool CommandEvaluator::object_config(EvalCtx& ctx, const ast::ObjDecl& d, Object* obj) {
  Builder b(ctx);
  switch (d.kind) {
    case ast::ObjKind::counter:
      obj->counter.packets = d.packets.value_or(0);
      obj->counter.bytes = d.bytes.value_or(0);
      return true;
    case ast::ObjKind::quota:
      if (d.quota) b.quota(*d.quota, obj->quota);
      return true;
    case ast::ObjKind::limit:
      if (!d.limit) return ctx.fail("SEM001", d.span, "a limit object needs a rate");
      return b.limit(*d.limit, d.limit_mode, obj->limit);
    case ast::ObjKind::secmark:
      obj->secmark_ctx = std::string(d.secmark_context.text);
      if (obj->secmark_ctx.size() >= 256)
        return ctx.fail("SEM001", d.secmark_context.span, "invalid context: at most 255 characters");
      return true;
    case ast::ObjKind::synproxy:
      obj->synproxy.mss = static_cast<std::uint16_t>(d.mss.value_or(0));
      obj->synproxy.wscale = static_cast<std::uint8_t>(d.wscale.value_or(0));
      obj->synproxy.flags = NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE;
      // nft 1.1 ORs the window scale into the flags, but only in the
      // one-line form (`mss 1460 wscale 5`), and that turns wscale 5 into
      // sack-perm; nft 1.0.6 never does, nor does the block form nft lists.
      if (d.timestamp) obj->synproxy.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
      if (d.sack_perm) obj->synproxy.flags |= NF_SYNPROXY_OPT_SACK_PERM;
      return true;
    case ast::ObjKind::ct_helper:
      obj->helper.name = std::string(d.helper_type.text);
      if (obj->helper.name.size() >= 16)
        return ctx.fail("SEM001", d.helper_type.span, "invalid helper name: at most 15 characters");
      obj->helper.l4proto = l4proto_number(d.l4proto.text);
      if (d.l3proto) obj->helper.l3proto = static_cast<std::uint16_t>(to_family(*d.l3proto));
      return true;
    case ast::ObjKind::ct_timeout: {
      obj->timeout.l4proto = l4proto_number(d.l4proto.text);
      if (d.l3proto) obj->timeout.l3proto = static_cast<std::uint16_t>(to_family(*d.l3proto));
      auto states = timeout_states(obj->timeout.l4proto);
      for (const TimeoutState& s : states) obj->timeout.values.push_back(s.dflt);
      for (const auto& [state, value] : d.timeout_policy) {
        auto it = std::find_if(states.begin(), states.end(), [&](const TimeoutState& s) { return s.name == state.text; });
        if (it == states.end()) {
          std::vector<std::string_view> names;
          for (const TimeoutState& s : states) names.push_back(s.name);
          return ctx.fail("SEM001", state.span, "invalid state for this protocol",
                          fmt::format("states of {}: {}", d.l4proto.text.empty() ? "the protocol" : d.l4proto.text,
                                      join(names)));
        }
        std::uint64_t secs = 0;
        if (value->kind == ast::ExprKind::number) {
          secs = value->num;
        } else {
          std::uint64_t ms = 0;
          if (!b.time_ms(*value, ms)) return false;
          secs = ms / 1000;
        }
        obj->timeout.values[static_cast<std::size_t>(it - states.begin())] = static_cast<std::uint32_t>(secs);
        obj->timeout.states.emplace_back(std::string(state.text), static_cast<std::uint32_t>(secs));
      }
      return true;
    }
    case ast::ObjKind::ct_expect: {
      obj->expect.l4proto = l4proto_number(d.l4proto.text);
      if (d.l3proto) obj->expect.l3proto = static_cast<std::uint16_t>(to_family(*d.l3proto));
      obj->expect.dport = static_cast<std::uint16_t>(d.expect_dport.value_or(0));
      obj->expect.size = static_cast<std::uint8_t>(d.expect_size.value_or(0));
      if (d.expect_timeout != nullptr) {
        std::uint64_t ms = 0;
        if (!b.time_ms(*d.expect_timeout, ms)) return false;
        obj->expect.timeout = static_cast<std::uint32_t>(ms);
      }
      if (!obj->expect.l4proto || !obj->expect.dport || !obj->expect.timeout || !obj->expect.size)
        return ctx.fail("SEM001", d.span, "missing options",
                        "a ct expectation needs protocol, dport, timeout and size");
      return true;
    }
    case ast::ObjKind::tunnel: return tunnel_config(ctx, d, obj);
  }
  return true;
}

void CommandEvaluator::add_object(EvalCtx& ctx, const ast::ObjDecl& decl, ast::CmdOp op, Span span) {
  Table* table = ctx.table;
  if (table == nullptr) return;
  Object* obj = out_.ruleset.arena.make<Object>();
  obj->type = object_type(decl.kind);
  obj->name = std::string(decl.name.text);
  obj->family = ctx.cmd.family;
  obj->table = table->name;
  obj->span = decl.name.span.valid() ? decl.name.span : span;
  if (!decl.comment.empty()) obj->comment = std::string(decl.comment.text);
  Object* existing = an_.find_object(table, obj->type, obj->name);
  if (existing != nullptr && op == ast::CmdOp::create)
    ctx.fail("KRN002", decl.name.span,
             fmt::format("{} '{}' already exists: `create` fails where `add` merges", object_type_name(obj->type),
                         obj->name));
  if (existing == nullptr) {
    table->objects.push_back(obj);
    impl_.index[table].objects.emplace(Analyzer::Impl::object_key(obj->type, obj->name), obj);
  }
  if (!object_config(ctx, decl, obj)) return;
  if (!kernel_check_object(ctx, *table, *obj)) return;
  Action& a = push(Action::Kind::add_object, span);
  a.op = op;
  a.table = table;
  a.object = obj;
  a.object_type = obj->type;
}

void CommandEvaluator::remove(const ast::Command& c) {
  Family family = to_family(c.h.family);
  Action& a = push(Action::Kind::del, c.span);
  a.op = c.op;
  a.obj = c.obj;
  a.family = family;
  a.table_name = std::string(c.h.table.text);
  a.name = std::string(c.h.name.text);
  a.handle = c.h.handle;
  if (c.obj_kind) a.object_type = object_type(*c.obj_kind);
  Table* table = an_.find_table(family, c.h.table.text);
  a.table = table;
  if (table == nullptr) return;
  auto& idx = impl_.index[table];
  switch (c.obj) {
    case ast::CmdObj::table:
      std::erase(impl_.tables, table);
      impl_.index.erase(table);
      break;
    case ast::CmdObj::chain:
      if (!c.h.name.empty()) {
        if (Chain* ch = an_.find_chain(table, c.h.name.text)) {
          std::erase(table->chains, ch);
          idx.chains.erase(ch->name);
        }
      }
      break;
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      if (Set* s = an_.find_set(table, c.h.name.text)) {
        std::erase(table->sets, s);
        idx.sets.erase(s->name);
      }
      break;
    case ast::CmdObj::flowtable:
      if (Flowtable* f = an_.find_flowtable(table, c.h.name.text)) {
        std::erase(table->flowtables, f);
        idx.flowtables.erase(f->name);
      }
      break;
    case ast::CmdObj::object:
      if (Object* o = an_.find_object(table, a.object_type, c.h.name.text)) {
        std::erase(table->objects, o);
        idx.objects.erase(Analyzer::Impl::object_key(o->type, o->name));
      }
      break;
    default: break;
  }
}

void CommandEvaluator::flush(const ast::Command& c) {
  Family family = to_family(c.h.family);
  Action& a = push(Action::Kind::flush, c.span);
  a.op = c.op;
  a.obj = c.obj;
  a.family = family;
  a.family_explicit = c.h.family_explicit;
  a.table_name = std::string(c.h.table.text);
  a.name = std::string(c.h.name.text);
  if (c.obj == ast::CmdObj::ruleset) {
    // Everything declared so far is gone; with a family, only that family.
    std::vector<Table*> keep;
    for (Table* t : impl_.tables) {
      if (c.h.family_explicit && t->family != family) keep.push_back(t);
      else impl_.index.erase(t);
    }
    impl_.tables = std::move(keep);
    return;
  }
  Table* table = an_.find_table(family, c.h.table.text);
  a.table = table;
  if (table == nullptr) return;
  if (c.obj == ast::CmdObj::table) {
    for (Chain* ch : table->chains) ch->rules.clear();
  } else if (c.obj == ast::CmdObj::chain) {
    if (Chain* ch = an_.find_chain(table, c.h.name.text)) ch->rules.clear();
  } else if (c.obj == ast::CmdObj::set || c.obj == ast::CmdObj::map) {
    if (Set* s = an_.find_set(table, c.h.name.text)) {
      a.set = s;
      s->init = nullptr;
    }
  }
}

void CommandEvaluator::rename(const ast::Command& c) {
  Family family = to_family(c.h.family);
  Action& a = push(Action::Kind::rename, c.span);
  a.op = c.op;
  a.obj = c.obj;
  a.family = family;
  a.table_name = std::string(c.h.table.text);
  a.name = std::string(c.h.name.text);
  a.new_name = std::string(c.new_name.text);
  a.handle = c.h.handle;
  Table* table = an_.find_table(family, c.h.table.text);
  a.table = table;
  if (table == nullptr || c.obj != ast::CmdObj::chain) return;
  if (Chain* ch = an_.find_chain(table, c.h.name.text)) {
    auto& chains = impl_.index[table].chains;
    chains.erase(ch->name);
    ch->name = a.new_name;
    chains.emplace(ch->name, ch);
  }
}

void CommandEvaluator::run(const ast::Command& c) {
  Family family = to_family(c.h.family);
  switch (c.op) {
    case ast::CmdOp::add:
    case ast::CmdOp::create:
    case ast::CmdOp::insert:
    case ast::CmdOp::replace: break;
    case ast::CmdOp::del:
    case ast::CmdOp::destroy:
      if (c.obj == ast::CmdObj::element) {
        EvalCtx ctx = make_ctx(family, c.h.table.text);
        elements(ctx, c);
      } else {
        remove(c);
      }
      return;
    case ast::CmdOp::flush: flush(c); return;
    case ast::CmdOp::rename: rename(c); return;
    default: {
      Action& a = push(Action::Kind::other, c.span);
      a.op = c.op;
      a.obj = c.obj;
      a.family = family;
      a.table_name = std::string(c.h.table.text);
      a.name = std::string(c.h.name.text);
      return;
    }
  }

  if (c.obj == ast::CmdObj::table) {
    add_table(family, c.h.table, c.table, c.op, c.span);
    return;
  }
  EvalCtx ctx = make_ctx(family, c.h.table.text);
  if (need_table(ctx, c.h) == nullptr) return;
  switch (c.obj) {
    case ast::CmdObj::chain: {
      Chain* chain = add_chain(ctx, c.chain, c.h.name, c.op, c.span);
      if (chain != nullptr && c.chain != nullptr) {
        for (const ast::RuleDecl* r : c.chain->rules) {
          EvalCtx rctx = make_ctx(family, c.h.table.text);
          add_rule(rctx, chain, *r, ast::CmdOp::add, nullptr);
        }
      }
      return;
    }
    case ast::CmdObj::rule: {
      Chain* chain = an_.find_chain(ctx.table, c.h.name.text);
      if (chain == nullptr) {
        std::vector<std::string_view> names;
        for (Chain* ch : ctx.table->chains) names.push_back(ch->name);
        std::string help = "declare the chain before adding rules to it";
        if (auto m = closest_match(c.h.name.text, names)) help = fmt::format("did you mean '{}'?", *m);
        if (opts_.define_tables_implicitly) {
          chain = out_.ruleset.arena.make<Chain>();
          chain->name = std::string(c.h.name.text);
          chain->family = family;
          chain->table = ctx.table->name;
          ctx.table->chains.push_back(chain);
          impl_.index[ctx.table].chains.emplace(chain->name, chain);
        } else {
          ctx.fail("SEM002", c.h.name.span,
                   fmt::format("chain '{}' does not exist in table {} {}", c.h.name.text, family_str(family),
                               ctx.table->name),
                   help);
          return;
        }
      }
      if (c.rule != nullptr) add_rule(ctx, chain, *c.rule, c.op, &c.h);
      return;
    }
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      if (c.set != nullptr) {
        Set* set = add_set(ctx, *c.set, c.obj == ast::CmdObj::map || c.set->is_map, c.op, c.span);
        if (set != nullptr && set->init != nullptr) {
          EvalCtx ectx = make_ctx(family, c.h.table.text);
          add_set_elements(ectx, set);
        }
      }
      return;
    case ast::CmdObj::element: elements(ctx, c); return;
    case ast::CmdObj::flowtable:
      if (c.flowtable != nullptr) add_flowtable(ctx, *c.flowtable, c.op, c.span);
      return;
    case ast::CmdObj::object:
      if (c.object != nullptr) add_object(ctx, *c.object, c.op, c.span);
      return;
    default: return;
  }
}

}  // namespace

std::unique_ptr<Analysis> Analyzer::run(const ast::Script& script) {
  CommandEvaluator ev(*this, *impl_, opts_);
  for (const ast::Command& c : script.commands) ev.run(c);
  // What the kernel checks at commit: the chains every base chain reaches.
  EvalCtx ctx(*this, out_->ruleset.arena, out_->types, sink_);
  kernel_check_batch(ctx, impl_->tables, out_->actions);
  return std::move(out_);
}

}  // namespace nftc::sema
