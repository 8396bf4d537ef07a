// The batch: each analysed command as the messages nft's mnl.c sends for it,
// in command order. Rules bring their anonymous sets (a set message, then
// its elements) just before them, as nft does.
#include "backends/netlink/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <tuple>
#include <unordered_map>

#include "backends/netlink/exprs.hpp"
#include "backends/netlink/nftnl.hpp"
#include "backends/netlink/udata.hpp"
#include "backends/netlink/writer.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/sema/datatype.hpp"

namespace nftc::netlink {

namespace {

using sema::Action;

// Kernel messages newer than the uapi header Debian 12 ships (Linux 6.3).
constexpr std::uint16_t kMsgDestroyTable = 26;  // NFT_MSG_DESTROYTABLE
constexpr std::uint16_t kMsgDestroyChain = 27;
constexpr std::uint16_t kMsgDestroyRule = 28;
constexpr std::uint16_t kMsgDestroySet = 29;
constexpr std::uint16_t kMsgDestroySetElem = 30;
constexpr std::uint16_t kMsgDestroyObj = 31;
constexpr std::uint16_t kMsgDestroyFlowtable = 32;

std::uint16_t family_of(sema::Family f) { return static_cast<std::uint16_t>(f); }

std::uint16_t excl(const Action& a) { return a.op == ast::CmdOp::create ? NLM_F_EXCL : 0; }

// Records the span of the top-level attribute `type` written at or after
// `from` (libnftnl writes an object's attributes in one go).
void mark_attr(Writer& w, std::uint32_t from, std::uint16_t type, Span span) {
  if (!span.valid()) return;
  const auto* base = reinterpret_cast<const char*>(w.nlh());
  for (std::uint32_t at = from; at + sizeof(nlattr) <= w.here();) {
    const auto* attr = reinterpret_cast<const nlattr*>(base + at);
    if (attr->nla_len < sizeof(nlattr)) return;
    if (mnl_attr_get_type(attr) == type) return w.part(at, attr->nla_len, span);
    at += MNL_ALIGN(attr->nla_len);
  }
}

std::vector<std::uint8_t> comment_udata(std::uint8_t type, const std::string& comment) {
  UdataPtr buf = checked(UdataPtr(nftnl_udata_buf_alloc(kUserdataMax)));
  nftnl_udata_put_strz(buf.get(), type, comment.c_str());
  const auto* data = static_cast<const std::uint8_t*>(nftnl_udata_buf_data(buf.get()));
  return {data, data + nftnl_udata_buf_len(buf.get())};
}

// A NULL-terminated array of device names, as libnftnl takes it, in the
// order nft sends them: its evaluate_device_expr reverses the list.
struct DeviceArray {
  std::vector<const char*> names;
  explicit DeviceArray(const std::vector<std::string>& devices) {
    for (auto it = devices.rbegin(); it != devices.rend(); ++it) names.push_back(it->c_str());
    names.push_back(nullptr);
  }
};

class Builder {
 public:
  Builder(const sema::Analysis& analysis, DiagnosticSink& sink) : analysis_(analysis), sink_(sink) {}

  void run();
  Batch finish() { return w_.finish(); }

 private:
  void table(const Action& a);
  void chain(const Action& a);
  void rule(const Action& a);
  void set(const Action& a);
  void elements(const Action& a);
  void flowtable(const Action& a);
  void object(const Action& a);
  void remove(const Action& a);
  void flush(const Action& a);

  void set_message(const bc::Set& s, const sema::Set& set, std::uint16_t flags, Span span);
  void anonymous_set(const bc::Set& s, const sema::Set& set, Span rule_span);
  void element_messages(const bc::Set& s, const std::vector<bc::SetElement>& elements, std::uint16_t type,
                        std::uint16_t flags, Span span);
  ElemPtr element(const bc::SetElement& el);
  // A message that names an object by name or handle (deletions).
  void name_or_handle(std::uint16_t name_attr, std::uint16_t handle_attr, const Action& a);

  using SetKey = std::tuple<sema::Family, std::string, std::string>;
  static SetKey key_of(const bc::Set& s) { return {static_cast<sema::Family>(s.family), s.table, s.name}; }

  const sema::Analysis& analysis_;
  DiagnosticSink& sink_;
  Writer w_;
  lower::LowerContext lower_;
  std::set<SetKey> created_sets_;  // named sets this batch creates: elements name them by id too
  std::unordered_map<const sema::Chain*, const Action*> parent_rule_;
  std::set<const sema::Set*> sent_anonymous_;  // anonymous sets sent ahead of their rule
};

void Builder::run() {
  // nft numbers chains and named sets as it parses them, in source order.
  std::vector<const Action*> chains, sets;
  for (const Action& a : analysis_.actions) {
    if (a.kind == Action::Kind::add_chain && a.chain != nullptr) chains.push_back(&a);
    if (a.kind == Action::Kind::add_set && a.set != nullptr && !a.set->anonymous()) sets.push_back(&a);
  }
  auto by_position = [](const Action* x, const Action* y) {
    return std::tie(x->span.file, x->span.begin) < std::tie(y->span.file, y->span.begin);
  };
  std::stable_sort(chains.begin(), chains.end(), by_position);
  std::stable_sort(sets.begin(), sets.end(), [](const Action* x, const Action* y) {
    return std::tie(x->set->span.file, x->set->span.begin) < std::tie(y->set->span.file, y->set->span.begin);
  });
  for (const Action* a : chains) lower_.chain_id(a->chain);
  // The rule an anonymous chain is bound in.
  for (const Action& a : analysis_.actions) {
    if (a.kind != Action::Kind::add_rule || a.rule == nullptr) continue;
    for (const sema::Stmt* st : a.rule->stmts)
      if (st->type == sema::StmtType::chain) parent_rule_[st->as<sema::ChainStmt>().chain] = &a;
  }
  for (const Action* a : sets) lower_.set_id(a->set);

  for (const Action& a : analysis_.actions) {
    try {
      switch (a.kind) {
        case Action::Kind::add_table: table(a); break;
        case Action::Kind::add_chain: chain(a); break;
        case Action::Kind::add_rule: rule(a); break;
        case Action::Kind::add_set: set(a); break;
        case Action::Kind::add_elements: elements(a); break;
        case Action::Kind::add_flowtable: flowtable(a); break;
        case Action::Kind::add_object: object(a); break;
        case Action::Kind::del: remove(a); break;
        case Action::Kind::flush: flush(a); break;
        case Action::Kind::rename:
          throw Unsupported(a.span, "renaming a chain needs its handle, which only the kernel knows");
        case Action::Kind::other:
          sink_.warning("NLK002", a.span,
                        fmt::format("`{}` is not part of a batch: nothing is sent for it", ast::cmd_op_name(a.op)))
              .with_help("run it with nft after loading the ruleset");
          break;
      }
    } catch (const Unsupported& e) {
      w_.abandon();
      sink_.error("NLK001", e.span.valid() ? e.span : a.span, e.what());
    } catch (const lower::LowerError& e) {
      w_.abandon();
      sink_.error("LOW001", e.span.valid() ? e.span : a.span, e.what());
    }
  }
}

// ---- Tables and chains -------------------------------------------------------

void Builder::table(const Action& a) {
  const sema::Table& t = *a.table;
  TablePtr nlt = checked(TablePtr(nftnl_table_alloc()));
  nftnl_table_set_u32(nlt.get(), NFTNL_TABLE_FAMILY, family_of(t.family));
  nftnl_table_set_u32(nlt.get(), NFTNL_TABLE_FLAGS, t.flags);
  if (!t.comment.empty()) {
    auto ud = comment_udata(NFTNL_UDATA_TABLE_COMMENT, t.comment);
    nftnl_table_set_data(nlt.get(), NFTNL_TABLE_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));
  }
  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWTABLE, family_of(t.family), excl(a), "table", a.span);
  mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, t.name.c_str());
  nftnl_table_nlmsg_build_payload(nlh, nlt.get());
  w_.end();
}

void Builder::chain(const Action& a) {
  const sema::Chain& c = *a.chain;
  ChainPtr nlc = checked(ChainPtr(nftnl_chain_alloc()));
  nftnl_chain_set_u32(nlc.get(), NFTNL_CHAIN_FAMILY, family_of(c.family));
  if (c.flags & NFT_CHAIN_HW_OFFLOAD) nftnl_chain_set_u32(nlc.get(), NFTNL_CHAIN_FLAGS, NFT_CHAIN_HW_OFFLOAD);
  if (c.base) {
    nftnl_chain_set_u32(nlc.get(), NFTNL_CHAIN_HOOKNUM, c.hooknum);
    nftnl_chain_set_s32(nlc.get(), NFTNL_CHAIN_PRIO, c.priority);
  }
  DeviceArray devices(c.devices);
  if (c.devices.size() == 1)
    nftnl_chain_set_str(nlc.get(), NFTNL_CHAIN_DEV, c.devices.front().c_str());
  else if (c.devices.size() > 1)
    nftnl_chain_set_data(nlc.get(), NFTNL_CHAIN_DEVICES, devices.names.data(), 0);
  if (!c.comment.empty()) {
    auto ud = comment_udata(NFTNL_UDATA_CHAIN_COMMENT, c.comment);
    nftnl_chain_set_data(nlc.get(), NFTNL_CHAIN_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));
  }

  // nft evaluates the rule that binds the chain first: its anonymous sets
  // come before the chain.
  if (c.anonymous) {
    if (auto it = parent_rule_.find(&c); it != parent_rule_.end()) {
      for (const sema::Set* set : it->second->anonymous_sets) {
        if (!sent_anonymous_.insert(set).second) continue;
        anonymous_set(lower::lower_set(lower_, *set), *set, it->second->span);
      }
    }
  }

  const std::uint16_t family = family_of(c.family);
  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWCHAIN, family, NLM_F_CREATE | excl(a), c.anonymous ? "anonymous chain" : "chain",
                           c.span);
  mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, c.table.c_str());
  if (!c.anonymous) {
    mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, c.name.c_str());
  } else {
    // The kernel names a bound chain itself; the batch refers to it by id.
    mnl_attr_put_u32(nlh, NFTA_CHAIN_ID, htonl(lower_.chain_id(&c)));
    if (c.flags) nftnl_chain_set_u32(nlc.get(), NFTNL_CHAIN_FLAGS, c.flags);
  }
  if (c.base) {
    std::uint32_t from = w_.here();
    mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, c.type.c_str());
    w_.part(from, c.hook_span);
  }
  if (c.policy) {
    std::uint32_t from = w_.here();
    mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(*c.policy));
    w_.part(from, c.policy_span);
  }
  std::uint32_t from = w_.here();
  nftnl_chain_nlmsg_build_payload(nlh, nlc.get());
  Span hook = c.hook_span;
  if (hook.valid() && c.priority_span.valid() && hook.file == c.priority_span.file) hook = hook.merge(c.priority_span);
  mark_attr(w_, from, NFTA_CHAIN_HOOK, hook);
  mark_attr(w_, from, NFTA_CHAIN_FLAGS, c.offload_span);
  if (c.flags & NFT_CHAIN_HW_OFFLOAD) w_.commit_hint(c.offload_span.valid() ? c.offload_span : c.span);
  w_.end();
}

// ---- Rules -------------------------------------------------------------------

void Builder::rule(const Action& a) {
  const sema::Rule& rule = *a.rule;
  const sema::Chain& chain = *a.chain;
  bc::Rule r = lower::lower_rule(lower_, rule, chain, a.anonymous_sets);
  for (std::size_t i = 0; i < r.anonymous_sets.size(); ++i)
    if (sent_anonymous_.insert(a.anonymous_sets[i]).second) anonymous_set(r.anonymous_sets[i], *a.anonymous_sets[i], r.span);

  RulePtr nlr = checked(RulePtr(nftnl_rule_alloc()));
  nftnl_rule_set_u32(nlr.get(), NFTNL_RULE_FAMILY, r.family);
  const bool replace = a.op == ast::CmdOp::replace;
  if (rule.index)
    throw Unsupported(rule.span, "a rule index names the kernel's rules: use `handle` or `position` instead");
  if (!replace) {
    // `add rule … handle N` means after rule N, as `position N` does.
    std::optional<std::uint64_t> position = rule.position ? rule.position : rule.handle;
    if (position) nftnl_rule_set_u64(nlr.get(), NFTNL_RULE_POSITION, *position);
  } else if (!rule.handle) {
    throw Unsupported(rule.span, "`replace rule` needs the handle of the rule it replaces");
  }
  std::vector<std::uint8_t> ud = bc::rule_userdata(r);
  if (!ud.empty()) nftnl_rule_set_data(nlr.get(), NFTNL_RULE_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));

  std::uint16_t flags = replace ? NLM_F_REPLACE : NLM_F_CREATE | (rule.insert ? 0 : NLM_F_APPEND);
  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWRULE, static_cast<std::uint16_t>(r.family), flags, "rule", r.span);
  mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, r.table.c_str());
  if (chain.anonymous) mnl_attr_put_u32(nlh, NFTA_RULE_CHAIN_ID, htonl(lower_.chain_id(&chain)));
  else mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, r.chain.c_str());
  if (replace) mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(*rule.handle));
  nlattr* nest = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
  for (const bc::Expr& x : r.exprs) put_rule_expr(w_, x);
  mnl_attr_nest_end(nlh, nest);
  nftnl_rule_nlmsg_build_payload(nlh, nlr.get());
  w_.end();
}

// ---- Sets and elements ---------------------------------------------------------

void Builder::set(const Action& a) {
  bc::Set s = lower::lower_set(lower_, *a.set);
  set_message(s, *a.set, NLM_F_CREATE | excl(a), a.set->span.valid() ? a.set->span : a.span);
  created_sets_.insert(key_of(s));
}

// The size nft 1.0.6 gives a constant set: the number of its elements,
// counted again by set_to_intervals for an interval set, plus the range
// from zero it adds in front. An upper bound of what the set holds, which is
// all the kernel needs (later nft sends no size for constant sets).
std::uint32_t constant_set_size(const sema::Set& set) {
  const auto& items = set.init->items;
  std::uint32_t size = static_cast<std::uint32_t>(items.size());
  if (!(set.flags & NFT_SET_INTERVAL) || (set.flags & NFT_SET_CONCAT)) return size;
  bool first = true;
  for (const sema::Expr* i : items) {
    const sema::Expr* key = i->left != nullptr && i->left->kind == sema::Kind::mapping ? i->left->left : i->left;
    if (key == nullptr || key->kind == sema::Kind::set_elem_catchall) continue;
    if (first && key->kind == sema::Kind::range_value && !key->value.is_zero()) ++size;
    first = false;
    ++size;
  }
  return size;
}

// nft's mnl_nft_set_add.
void Builder::set_message(const bc::Set& s, const sema::Set& set, std::uint16_t flags, Span span) {
  SetPtr nls = checked(SetPtr(nftnl_set_alloc()));
  nftnl_set* n = nls.get();
  nftnl_set_set_u32(n, NFTNL_SET_FAMILY, s.family);
  nftnl_set_set_u32(n, NFTNL_SET_ID, s.id);
  nftnl_set_set_u32(n, NFTNL_SET_FLAGS, s.flags);
  nftnl_set_set_u32(n, NFTNL_SET_KEY_TYPE, s.key_type);
  nftnl_set_set_u32(n, NFTNL_SET_KEY_LEN, s.key_len);
  if (s.flags & NFT_SET_MAP) {
    nftnl_set_set_u32(n, NFTNL_SET_DATA_TYPE, s.data_type);
    nftnl_set_set_u32(n, NFTNL_SET_DATA_LEN, s.data_len);
  }
  if (s.flags & NFT_SET_OBJECT) nftnl_set_set_u32(n, NFTNL_SET_OBJ_TYPE, s.obj_type);
  if (s.timeout_ms) nftnl_set_set_u64(n, NFTNL_SET_TIMEOUT, *s.timeout_ms);
  if (s.gc_interval_ms) nftnl_set_set_u32(n, NFTNL_SET_GC_INTERVAL, *s.gc_interval_ms);
  if (!(s.flags & NFT_SET_CONSTANT)) {
    if (s.policy) nftnl_set_set_u32(n, NFTNL_SET_POLICY, *s.policy);
    if (s.size) nftnl_set_set_u32(n, NFTNL_SET_DESC_SIZE, *s.size);
  } else if (set.init != nullptr) {
    nftnl_set_set_u32(n, NFTNL_SET_DESC_SIZE, constant_set_size(set));
  }
  std::vector<std::uint8_t> ud = set_userdata(set);
  nftnl_set_set_data(n, NFTNL_SET_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));
  if (set.field_count > 0 && set.field_len[0] != 0) {
    // Bytes per field, one byte each, as libnftnl keeps them.
    nftnl_set_set_data(n, NFTNL_SET_DESC_CONCAT, set.field_len.data(), set.field_count);
  }
  for (const bc::Expr& x : s.exprs) nftnl_set_add_expr(n, make_expr(x).release());

  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWSET, static_cast<std::uint16_t>(s.family), flags,
                           set.anonymous() ? "anonymous set" : (s.flags & NFT_SET_MAP ? "map" : "set"), span);
  mnl_attr_put_strz(nlh, NFTA_SET_TABLE, s.table.c_str());
  mnl_attr_put_strz(nlh, NFTA_SET_NAME, s.name.c_str());
  nftnl_set_nlmsg_build_payload(nlh, n);
  w_.end();
}

// A set nft declares for a rule: the set, then its elements, by id.
void Builder::anonymous_set(const bc::Set& s, const sema::Set& set, Span rule_span) {
  Span span = s.span.valid() ? s.span : rule_span;
  set_message(s, set, NLM_F_CREATE, span);
  element_messages(s, s.elements, NFT_MSG_NEWSETELEM, NLM_F_CREATE, span);
}

void Builder::elements(const Action& a) {
  bc::Set s = lower::lower_set(lower_, *a.set);
  std::vector<bc::SetElement> elements = lower::lower_elements(*a.set, a.elements, true, &s);
  element_messages(s, elements, NFT_MSG_NEWSETELEM, NLM_F_CREATE | excl(a), a.span);
}

// alloc_nftnl_setelem.
ElemPtr Builder::element(const bc::SetElement& el) {
  ElemPtr e = checked(ElemPtr(nftnl_set_elem_alloc()));
  nftnl_set_elem* n = e.get();
  if (!el.key.empty()) nftnl_set_elem_set(n, NFTNL_SET_ELEM_KEY, el.key.data(), static_cast<std::uint32_t>(el.key.size()));
  if (el.key_end)
    nftnl_set_elem_set(n, NFTNL_SET_ELEM_KEY_END, el.key_end->data(), static_cast<std::uint32_t>(el.key_end->size()));
  if (el.timeout_ms) nftnl_set_elem_set_u64(n, NFTNL_SET_ELEM_TIMEOUT, *el.timeout_ms);
  if (el.expiration_ms) nftnl_set_elem_set_u64(n, NFTNL_SET_ELEM_EXPIRATION, *el.expiration_ms);
  for (const bc::Expr& x : el.exprs) nftnl_set_elem_add_expr(n, make_expr(x).release());
  std::vector<std::uint8_t> ud = bc::element_userdata(el);
  if (!ud.empty()) nftnl_set_elem_set(n, NFTNL_SET_ELEM_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));
  if (const auto* v = std::get_if<bc::Verdict>(&el.data)) {
    nftnl_set_elem_set_u32(n, NFTNL_SET_ELEM_VERDICT, static_cast<std::uint32_t>(v->code));
    if (!v->chain.empty()) nftnl_set_elem_set_str(n, NFTNL_SET_ELEM_CHAIN, v->chain.c_str());
  } else if (const auto* d = std::get_if<bc::Bytes>(&el.data)) {
    nftnl_set_elem_set(n, NFTNL_SET_ELEM_DATA, d->data(), static_cast<std::uint32_t>(d->size()));
  } else if (const auto* o = std::get_if<bc::ObjectName>(&el.data)) {
    nftnl_set_elem_set_str(n, NFTNL_SET_ELEM_OBJREF, o->name.c_str());
  }
  if (el.flags != 0) nftnl_set_elem_set_u32(n, NFTNL_SET_ELEM_FLAGS, el.flags);
  return e;
}

// mnl_nft_setelem_batch: the elements in as many messages as it takes to
// keep each element list under 64 KiB, the most a netlink attribute holds.
void Builder::element_messages(const bc::Set& s, const std::vector<bc::SetElement>& elements, std::uint16_t type,
                               std::uint16_t flags, Span span) {
  if (elements.empty()) return;
  const bool with_id = s.name.starts_with("__") || created_sets_.contains(key_of(s));
  std::string what = type == NFT_MSG_NEWSETELEM ? "set element" : "set element deletion";
  std::uint16_t number = 0;
  std::size_t i = 0;
  while (i < elements.size()) {
    nlmsghdr* nlh = w_.begin(type, static_cast<std::uint16_t>(s.family), flags, what, span);
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, s.table.c_str());
    mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, s.name.c_str());
    if (with_id) mnl_attr_put_u32(nlh, NFTA_SET_ELEM_LIST_SET_ID, htonl(s.id));
    std::uint32_t list_from = w_.here();
    nlattr* list = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
    for (; i < elements.size(); ++i) {
      std::uint32_t from = w_.here();
      nlattr* nest = mnl_attr_nest_start(nlh, ++number);
      ElemPtr e = element(elements[i]);
      nftnl_set_elem_nlmsg_build_payload(nlh, e.get());
      mnl_attr_nest_end(nlh, nest);
      if (w_.here() - list_from > UINT16_MAX) {
        if (from == list_from + sizeof(nlattr)) throw Unsupported(elements[i].span, "a set element larger than 64 KiB");
        w_.truncate(from);
        break;
      }
      w_.part(from, elements[i].span);
    }
    mnl_attr_nest_end(nlh, list);
    w_.end();
  }
}

// ---- Flowtables and objects ----------------------------------------------------

void Builder::flowtable(const Action& a) {
  const sema::Flowtable& ft = *a.flowtable;
  FlowtablePtr nlf = checked(FlowtablePtr(nftnl_flowtable_alloc()));
  nftnl_flowtable* f = nlf.get();
  nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FAMILY, family_of(ft.family));
  nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_HOOKNUM, ft.has_hook ? ft.hooknum : 0);
  nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_PRIO, ft.has_hook ? static_cast<std::uint32_t>(ft.priority) : 0);
  DeviceArray devices(ft.devices);
  if (!ft.devices.empty()) nftnl_flowtable_set_data(f, NFTNL_FLOWTABLE_DEVICES, devices.names.data(), 0);
  nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FLAGS, ft.flags);

  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWFLOWTABLE, family_of(ft.family), NLM_F_CREATE | excl(a), "flowtable", ft.span);
  mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_TABLE, ft.table.c_str());
  mnl_attr_put_strz(nlh, NFTA_FLOWTABLE_NAME, ft.name.c_str());
  std::uint32_t from = w_.here();
  nftnl_flowtable_nlmsg_build_payload(nlh, f);
  mark_attr(w_, from, NFTA_FLOWTABLE_HOOK, ft.hook_span);
  mark_attr(w_, from, NFTA_FLOWTABLE_FLAGS, ft.offload_span);
  if (ft.flags & NFT_FLOWTABLE_HW_OFFLOAD) w_.commit_hint(ft.offload_span.valid() ? ft.offload_span : ft.span);
  w_.end();
}

void set_tunnel(nftnl_obj* o, const sema::Object& obj, Span span) {
  const auto& t = obj.tunnel;
  nftnl_obj_set_u32(o, NFTNL_OBJ_TUNNEL_ID, t.id);
  if (t.sport) nftnl_obj_set_u16(o, NFTNL_OBJ_TUNNEL_SPORT, t.sport);
  if (t.dport) nftnl_obj_set_u16(o, NFTNL_OBJ_TUNNEL_DPORT, t.dport);
  if (t.tos) nftnl_obj_set_u8(o, NFTNL_OBJ_TUNNEL_TOS, t.tos);
  if (t.ttl) nftnl_obj_set_u8(o, NFTNL_OBJ_TUNNEL_TTL, t.ttl);
  auto address = [&](const sema::Expr* e, std::uint16_t v4, std::uint16_t v6) {
    if (e == nullptr) return;
    std::size_t len = (e->len + 7) / 8;
    std::vector<std::uint8_t> bytes(len);
    e->value.to_bytes(bytes, sema::ByteOrder::big);
    if (len == 4) {
      std::uint32_t raw = 0;  // network order in memory, as nft passes it
      std::memcpy(&raw, bytes.data(), 4);
      nftnl_obj_set_u32(o, v4, raw);
    } else {
      nftnl_obj_set_data(o, v6, bytes.data(), static_cast<std::uint32_t>(len));
    }
  };
  address(t.src, NFTNL_OBJ_TUNNEL_IPV4_SRC, NFTNL_OBJ_TUNNEL_IPV6_SRC);
  address(t.dst, NFTNL_OBJ_TUNNEL_IPV4_DST, NFTNL_OBJ_TUNNEL_IPV6_DST);
  using Type = decltype(t.type);
  switch (t.type) {
    case Type::none: break;
    case Type::vxlan: nftnl_obj_set_u32(o, NFTNL_OBJ_TUNNEL_VXLAN_GBP, t.vxlan_gbp); break;
    case Type::erspan:
      nftnl_obj_set_u32(o, NFTNL_OBJ_TUNNEL_ERSPAN_VERSION, t.erspan.version);
      if (t.erspan.version == 1) nftnl_obj_set_u32(o, NFTNL_OBJ_TUNNEL_ERSPAN_V1_INDEX, t.erspan.index);
      if (t.erspan.version == 2) {
        nftnl_obj_set_u8(o, NFTNL_OBJ_TUNNEL_ERSPAN_V2_DIR, t.erspan.direction);
        nftnl_obj_set_u8(o, NFTNL_OBJ_TUNNEL_ERSPAN_V2_HWID, t.erspan.hwid);
      }
      break;
    case Type::geneve: throw Unsupported(span, "libnftnl 1.2.4 cannot send geneve tunnel options");
  }
}

// nft's mnl_nft_obj_add.
void Builder::object(const Action& a) {
  const sema::Object& obj = *a.object;
  ObjPtr nlo = checked(ObjPtr(nftnl_obj_alloc()));
  nftnl_obj* o = nlo.get();
  nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, family_of(obj.family));
  nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, obj.type);
  if (!obj.comment.empty()) {
    auto ud = comment_udata(NFTNL_UDATA_OBJ_COMMENT, obj.comment);
    nftnl_obj_set_data(o, NFTNL_OBJ_USERDATA, ud.data(), static_cast<std::uint32_t>(ud.size()));
  }
  switch (obj.type) {
    case NFT_OBJECT_COUNTER:
      nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_PKTS, obj.counter.packets);
      nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_BYTES, obj.counter.bytes);
      break;
    case NFT_OBJECT_QUOTA:
      nftnl_obj_set_u64(o, NFTNL_OBJ_QUOTA_BYTES, obj.quota.bytes);
      nftnl_obj_set_u64(o, NFTNL_OBJ_QUOTA_CONSUMED, obj.quota.used);
      nftnl_obj_set_u32(o, NFTNL_OBJ_QUOTA_FLAGS, obj.quota.flags);
      break;
    case NFT_OBJECT_LIMIT:
      nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_RATE, obj.limit.rate);
      nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_UNIT, obj.limit.unit);
      nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_BURST, obj.limit.burst);
      nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_TYPE, obj.limit.type);
      nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_FLAGS, obj.limit.flags);
      break;
    case NFT_OBJECT_CT_HELPER:
      nftnl_obj_set_str(o, NFTNL_OBJ_CT_HELPER_NAME, obj.helper.name.c_str());
      nftnl_obj_set_u8(o, NFTNL_OBJ_CT_HELPER_L4PROTO, obj.helper.l4proto);
      if (obj.helper.l3proto) nftnl_obj_set_u16(o, NFTNL_OBJ_CT_HELPER_L3PROTO, obj.helper.l3proto);
      break;
    case NFT_OBJECT_CT_TIMEOUT: {
      nftnl_obj_set_u8(o, NFTNL_OBJ_CT_TIMEOUT_L4PROTO, obj.timeout.l4proto);
      if (obj.timeout.l3proto) nftnl_obj_set_u16(o, NFTNL_OBJ_CT_TIMEOUT_L3PROTO, obj.timeout.l3proto);
      std::array<std::uint32_t, NFTNL_CTTIMEOUT_ARRAY_MAX> values{};
      for (std::size_t i = 0; i < obj.timeout.values.size() && i < values.size(); ++i) values[i] = obj.timeout.values[i];
      nftnl_obj_set_data(o, NFTNL_OBJ_CT_TIMEOUT_ARRAY, values.data(), sizeof values);
      break;
    }
    case NFT_OBJECT_CT_EXPECT:
      if (obj.expect.l3proto) nftnl_obj_set_u16(o, NFTNL_OBJ_CT_EXPECT_L3PROTO, obj.expect.l3proto);
      nftnl_obj_set_u8(o, NFTNL_OBJ_CT_EXPECT_L4PROTO, obj.expect.l4proto);
      nftnl_obj_set_u16(o, NFTNL_OBJ_CT_EXPECT_DPORT, obj.expect.dport);
      nftnl_obj_set_u32(o, NFTNL_OBJ_CT_EXPECT_TIMEOUT, obj.expect.timeout);
      nftnl_obj_set_u8(o, NFTNL_OBJ_CT_EXPECT_SIZE, obj.expect.size);
      break;
    case NFT_OBJECT_SECMARK: nftnl_obj_set_str(o, NFTNL_OBJ_SECMARK_CTX, obj.secmark_ctx.c_str()); break;
    case NFT_OBJECT_SYNPROXY:
      nftnl_obj_set_u16(o, NFTNL_OBJ_SYNPROXY_MSS, obj.synproxy.mss);
      nftnl_obj_set_u8(o, NFTNL_OBJ_SYNPROXY_WSCALE, obj.synproxy.wscale);
      nftnl_obj_set_u32(o, NFTNL_OBJ_SYNPROXY_FLAGS, obj.synproxy.flags);
      break;
    case NFT_OBJECT_TUNNEL: set_tunnel(o, obj, obj.span); break;
    default: throw Unsupported(obj.span, fmt::format("unknown object type {}", obj.type));
  }
  nlmsghdr* nlh = w_.begin(NFT_MSG_NEWOBJ, family_of(obj.family), NLM_F_CREATE | excl(a), "object", obj.span);
  mnl_attr_put_strz(nlh, NFTA_OBJ_TABLE, obj.table.c_str());
  mnl_attr_put_strz(nlh, NFTA_OBJ_NAME, obj.name.c_str());
  nftnl_obj_nlmsg_build_payload(nlh, o);
  w_.end();
}

// ---- Deletions and flushes -----------------------------------------------------

void Builder::name_or_handle(std::uint16_t name_attr, std::uint16_t handle_attr, const Action& a) {
  if (!a.name.empty()) mnl_attr_put_strz(w_.nlh(), name_attr, a.name.c_str());
  else if (a.handle) mnl_attr_put_u64(w_.nlh(), handle_attr, htobe64(*a.handle));
}

void Builder::remove(const Action& a) {
  const bool destroy = a.op == ast::CmdOp::destroy;
  const std::uint16_t family = family_of(a.family);
  switch (a.obj) {
    case ast::CmdObj::table:
      w_.begin(destroy ? kMsgDestroyTable : std::uint16_t{NFT_MSG_DELTABLE}, family, 0, "table deletion", a.span);
      if (!a.table_name.empty()) mnl_attr_put_strz(w_.nlh(), NFTA_TABLE_NAME, a.table_name.c_str());
      else if (a.handle) mnl_attr_put_u64(w_.nlh(), NFTA_TABLE_HANDLE, htobe64(*a.handle));
      break;
    case ast::CmdObj::chain:
      w_.begin(destroy ? kMsgDestroyChain : std::uint16_t{NFT_MSG_DELCHAIN}, family, 0, "chain deletion", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_CHAIN_TABLE, a.table_name.c_str());
      name_or_handle(NFTA_CHAIN_NAME, NFTA_CHAIN_HANDLE, a);
      break;
    case ast::CmdObj::rule:
      if (!a.handle) throw Unsupported(a.span, "deleting a rule needs its handle");
      w_.begin(destroy ? kMsgDestroyRule : std::uint16_t{NFT_MSG_DELRULE}, family, 0, "rule deletion", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_RULE_TABLE, a.table_name.c_str());
      if (!a.name.empty()) mnl_attr_put_strz(w_.nlh(), NFTA_RULE_CHAIN, a.name.c_str());
      mnl_attr_put_u64(w_.nlh(), NFTA_RULE_HANDLE, htobe64(*a.handle));
      break;
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      w_.begin(destroy ? kMsgDestroySet : std::uint16_t{NFT_MSG_DELSET}, family, 0, "set deletion", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_SET_TABLE, a.table_name.c_str());
      name_or_handle(NFTA_SET_NAME, NFTA_SET_HANDLE, a);
      break;
    case ast::CmdObj::element: {
      bc::Set s = lower::lower_set(lower_, *a.set);
      std::vector<bc::SetElement> elements = lower::lower_elements(*a.set, a.elements, false, &s);
      element_messages(s, elements, destroy ? kMsgDestroySetElem : std::uint16_t{NFT_MSG_DELSETELEM}, 0, a.span);
      return;
    }
    case ast::CmdObj::flowtable:
      w_.begin(destroy ? kMsgDestroyFlowtable : std::uint16_t{NFT_MSG_DELFLOWTABLE}, family, 0, "flowtable deletion", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_FLOWTABLE_TABLE, a.table_name.c_str());
      name_or_handle(NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE, a);
      break;
    case ast::CmdObj::object: {
      w_.begin(destroy ? kMsgDestroyObj : std::uint16_t{NFT_MSG_DELOBJ}, family, 0, "object deletion", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_OBJ_TABLE, a.table_name.c_str());
      name_or_handle(NFTA_OBJ_NAME, NFTA_OBJ_HANDLE, a);
      ObjPtr nlo = checked(ObjPtr(nftnl_obj_alloc()));
      nftnl_obj_set_u32(nlo.get(), NFTNL_OBJ_FAMILY, family);
      nftnl_obj_set_u32(nlo.get(), NFTNL_OBJ_TYPE, a.object_type);
      nftnl_obj_nlmsg_build_payload(w_.nlh(), nlo.get());
      break;
    }
    default: throw Unsupported(a.span, "nothing to delete");
  }
  w_.end();
}

void Builder::flush(const Action& a) {
  const std::uint16_t family = family_of(a.family);
  switch (a.obj) {
    case ast::CmdObj::ruleset:
      // Every table (of the family, if one is named) goes.
      w_.begin(NFT_MSG_DELTABLE, a.family_explicit ? family : std::uint16_t{NFPROTO_UNSPEC}, 0, "ruleset flush", a.span);
      break;
    case ast::CmdObj::table:
    case ast::CmdObj::chain:
      w_.begin(NFT_MSG_DELRULE, family, 0, a.obj == ast::CmdObj::table ? "table flush" : "chain flush", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_RULE_TABLE, a.table_name.c_str());
      if (a.obj == ast::CmdObj::chain) mnl_attr_put_strz(w_.nlh(), NFTA_RULE_CHAIN, a.name.c_str());
      break;
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      w_.begin(NFT_MSG_DELSETELEM, family, 0, "set flush", a.span);
      mnl_attr_put_strz(w_.nlh(), NFTA_SET_ELEM_LIST_SET, a.name.c_str());
      mnl_attr_put_strz(w_.nlh(), NFTA_SET_ELEM_LIST_TABLE, a.table_name.c_str());
      break;
    default: throw Unsupported(a.span, "nothing to flush");
  }
  w_.end();
}

}  // namespace

Batch build_batch(const sema::Analysis& analysis, DiagnosticSink& sink) {
  Builder b(analysis, sink);
  b.run();
  return b.finish();
}

}  // namespace nftc::netlink
