#include "compiler/sema/kernel_checks.hpp"

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter.h>
#include <linux/xfrm.h>

#include <fmt/format.h>

#include <limits>

#include "compiler/sema/exprs.hpp"
#include "compiler/sema/kernel_table.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::sema {

namespace {

using kern::Op;

// ---------------------------------------------------------------------------
// What the kernel receives: the expressions of a rule, by module

struct Fact {
  Op op;
  Span span;
  std::uint32_t key = 0;       // meta, ct, rt key; exthdr op
  std::uint32_t flags = 0;     // fib flags
  std::uint32_t result = 0;    // fib result
  std::int8_t dir = -1;        // ct direction; xfrm direction
  std::uint64_t a = 0, b = 0;  // mod and offset (numgen, hash); spnum; length in bytes; quota bytes and used
  const LimitStmt* limit = nullptr;
  const Set* set = nullptr;                   // dynset: the set changed
  const std::vector<Stmt*>* stmts = nullptr;  // dynset: the statements of each element
  bool timeout = false;                       // dynset: the element gets a timeout
};

void expr_facts(const Expr* e, std::vector<Fact>& out) {
  if (e == nullptr) return;
  Fact f{Op::fib, e->span};
  switch (e->kind) {
    case Kind::fib:
      f.result = e->as<FibData>().result;
      f.flags = e->as<FibData>().flags;
      out.push_back(f);
      break;
    case Kind::meta:
      f.op = Op::meta_get;
      f.key = e->meta().key;
      out.push_back(f);
      break;
    case Kind::ct:
      f.op = Op::ct_get;
      f.key = e->ct().key;
      f.dir = e->ct().direction;
      out.push_back(f);
      break;
    case Kind::socket: f.op = Op::socket, out.push_back(f); break;
    case Kind::osf: f.op = Op::osf, out.push_back(f); break;
    case Kind::rt:
      f.op = Op::rt;
      f.key = e->as<RtData>().key;
      out.push_back(f);
      break;
    case Kind::xfrm:
      f.op = Op::xfrm;
      f.dir = static_cast<std::int8_t>(e->as<XfrmData>().direction);
      f.a = e->as<XfrmData>().spnum;
      out.push_back(f);
      break;
    case Kind::numgen:
      f.op = Op::numgen;
      f.a = e->as<NumgenData>().mod;
      f.b = e->as<NumgenData>().offset;
      out.push_back(f);
      break;
    case Kind::hash:
      f.op = Op::hash;
      f.a = e->as<HashData>().mod;
      f.b = e->as<HashData>().offset;
      out.push_back(f);
      break;
    case Kind::set_ref: return;  // elements are data, not expressions
    default: break;
  }
  expr_facts(e->left, out);
  expr_facts(e->right, out);
  for (const Expr* i : e->items) expr_facts(i, out);
}

void stmt_facts(const Stmt* s, std::vector<Fact>& out) {
  Fact f{Op::fib, s->span};
  auto push = [&](Op op) {
    f.op = op;
    out.push_back(f);
  };
  switch (s->type) {
    case StmtType::expression: expr_facts(s->expr, out); break;
    case StmtType::payload: expr_facts(s->as<PayloadStmt>().val, out); break;
    case StmtType::exthdr: {
      const ExthdrStmt& x = s->as<ExthdrStmt>();
      f.key = x.expr->exthdr().op;
      f.a = div_round_up(x.expr->len, 8);
      f.span = x.expr->span;
      push(Op::exthdr_set);
      expr_facts(x.val, out);
      break;
    }
    case StmtType::meta:
      f.key = s->as<MetaStmt>().key;
      push(Op::meta_set);
      expr_facts(s->as<MetaStmt>().expr, out);
      break;
    case StmtType::ct:
      f.key = s->as<CtStmt>().key;
      f.dir = s->as<CtStmt>().direction;
      push(Op::ct_set);
      expr_facts(s->as<CtStmt>().expr, out);
      break;
    case StmtType::nat: {
      const NatStmt& n = s->as<NatStmt>();
      push(n.type == kNatSnat ? Op::snat : n.type == kNatDnat ? Op::dnat : n.type == kNatMasq ? Op::masq : Op::redir);
      expr_facts(n.addr, out);
      expr_facts(n.proto, out);
      break;
    }
    case StmtType::reject: push(Op::reject); break;
    case StmtType::tproxy:
      push(Op::tproxy);
      expr_facts(s->as<TproxyStmt>().addr, out);
      expr_facts(s->as<TproxyStmt>().port, out);
      break;
    case StmtType::queue:
      push(Op::queue);
      expr_facts(s->as<QueueStmt>().queue, out);
      break;
    case StmtType::dup:
      push(Op::dup);
      expr_facts(s->as<DupStmt>().to, out);
      expr_facts(s->as<DupStmt>().dev, out);
      break;
    case StmtType::fwd:
      push(Op::fwd);
      expr_facts(s->as<FwdStmt>().addr, out);
      expr_facts(s->as<FwdStmt>().dev, out);
      break;
    case StmtType::synproxy: push(Op::synproxy); break;
    case StmtType::flow_offload: push(Op::flow_offload); break;
    case StmtType::connlimit: push(Op::connlimit); break;
    case StmtType::limit:
      f.limit = &s->as<LimitStmt>();
      push(Op::limit);
      break;
    case StmtType::quota:
      f.a = s->as<QuotaStmt>().bytes;
      f.b = s->as<QuotaStmt>().used;
      push(Op::quota);
      break;
    case StmtType::objref: {
      const ObjrefStmt& o = s->as<ObjrefStmt>();
      std::uint32_t type = o.type;
      if (o.expr != nullptr && o.expr->kind == Kind::map && o.expr->right != nullptr &&
          o.expr->right->kind == Kind::set_ref && o.expr->right->set_ref().set != nullptr)
        type = o.expr->right->set_ref().set->objtype;
      if (type == NFT_OBJECT_SYNPROXY) push(Op::synproxy_ref);
      if (o.expr != nullptr && o.expr->kind == Kind::map) expr_facts(o.expr->left, out);
      break;
    }
    case StmtType::set:
    case StmtType::map: {
      bool map = s->type == StmtType::map;
      const Expr* set = map ? s->as<MapStmt>().set : s->as<SetStmt>().set;
      const Expr* key = map ? s->as<MapStmt>().key : s->as<SetStmt>().key;
      f.stmts = map ? &s->as<MapStmt>().stmts : &s->as<SetStmt>().stmts;
      if (set != nullptr && set->kind == Kind::set_ref) f.set = set->set_ref().set;
      f.timeout = key != nullptr && key->kind == Kind::set_elem && key->elem().timeout != 0;
      if (f.set != nullptr) push(Op::dynset);
      expr_facts(key, out);
      if (map) expr_facts(s->as<MapStmt>().data, out);
      for (const Stmt* i : *f.stmts) stmt_facts(i, out);
      break;
    }
    case StmtType::meter: {
      const MeterStmt& m = s->as<MeterStmt>();
      expr_facts(m.key, out);
      if (m.stmt != nullptr) stmt_facts(m.stmt, out);
      break;
    }
    default: break;
  }
}

std::vector<Fact> rule_facts(const Rule& rule) {
  std::vector<Fact> out;
  for (const Stmt* s : rule.stmts) stmt_facts(s, out);
  return out;
}

// ---------------------------------------------------------------------------
// Init: the attributes each module's init accepts

using kern::answer;

KernelFinding init_finding(Span span, std::string message, std::string_view errno_name, std::string help = {}) {
  return {"KRN010", span, fmt::format("{} {}", message, answer(errno_name)), std::move(help)};
}

std::string_view meta_name(std::uint32_t key) {
  const KeyTemplate* t = meta_template(key);
  return t != nullptr ? t->token : "?";
}

std::string ct_name(std::uint32_t key) {
  const KeyTemplate* t = ct_template(key);
  return t != nullptr ? std::string(t->token) : fmt::format("key {}", key);
}

bool needs_conntrack(Op op) {
  switch (op) {
    case Op::ct_get:
    case Op::ct_set:
    case Op::connlimit:
    case Op::synproxy:
    case Op::flow_offload: return true;
    default: return false;
  }
}

std::string_view op_name(const Fact& f) {
  switch (f.op) {
    case Op::ct_get:
    case Op::ct_set: return "ct";
    case Op::connlimit: return "ct count";
    case Op::synproxy: return "synproxy";
    case Op::flow_offload: return "flow add";
    default: return "this expression";
  }
}

std::optional<KernelFinding> fib_init(Family family, const Fact& f) {
  if (!(kern::kFibFamilies & kern::family_bit(family)))
    return init_finding(f.span,
                        fmt::format("the kernel has no fib expression for {} tables", kern::family_name(family)),
                        "ENOENT", fmt::format("fib exists in {} tables", kern::family_names(kern::kFibFamilies)));
  constexpr std::uint32_t kAddr = NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR, kIf = NFTA_FIB_F_IIF | NFTA_FIB_F_OIF;
  if ((f.flags & kAddr) == kAddr) return init_finding(f.span, "fib looks up saddr or daddr, not both", "EINVAL");
  if ((f.flags & kIf) == kIf) return init_finding(f.span, "fib takes iif or oif, not both", "EINVAL");
  if ((f.flags & kAddr) == 0) return init_finding(f.span, "fib needs saddr or daddr", "EINVAL");
  if ((f.result == NFT_FIB_RESULT_OIF || f.result == NFT_FIB_RESULT_OIFNAME) && (f.flags & NFTA_FIB_F_OIF))
    return init_finding(f.span, "fib … oif cannot answer with an output interface (oif, oifname, check)", "EINVAL",
                        "drop `. oif` from the lookup, or ask for `type` instead");
  return std::nullopt;
}

std::optional<KernelFinding> meta_init(Family family, const Fact& f, bool set) {
  const kern::MetaKeyRule* r = kern::meta_key_rule(f.key);
  if (r == nullptr) return std::nullopt;
  std::uint8_t families = set ? r->set_families : r->get_families;
  std::uint8_t other = set ? r->get_families : r->set_families;
  if (families & kern::family_bit(family)) return std::nullopt;
  std::string_view name = meta_name(f.key);
  if (families == 0)
    return init_finding(f.span,
                        set ? fmt::format("meta {} cannot be set", name) : fmt::format("meta {} cannot be read", name),
                        "EOPNOTSUPP",
                        set     ? std::string("the kernel sets meta mark, priority, pkttype, nftrace and secmark, and "
                                                  "broute in bridge tables")
                        : other ? fmt::format("meta {} can only be set", name)
                                : std::string());
  return init_finding(f.span,
                      fmt::format("meta {}{} exists only in {} tables: the kernel has no such key for {} tables", name,
                                  set ? " set" : "", kern::family_names(families), kern::family_name(family)),
                      "EOPNOTSUPP",
                      families == kern::kBridge
                          ? "the bridge keys describe the bridge port a frame passes; use them in a bridge table"
                          : std::string());
}

std::optional<KernelFinding> ct_init(Family family, const Fact& f, bool set) {
  const kern::CtKeyRule* r = kern::ct_key_rule(f.key);
  if (r == nullptr) return std::nullopt;
  std::string name = ct_name(f.key);
  if (!set) {
    if (!r->get) return init_finding(f.span, fmt::format("ct {} cannot be read, only set", name), "EOPNOTSUPP");
    if (r->get_dir == kern::Dir::required && f.dir < 0)
      return init_finding(f.span, fmt::format("ct {} needs a direction", name), "EINVAL",
                          fmt::format("write `ct original {0}` or `ct reply {0}`", name));
    if (r->get_dir == kern::Dir::none && f.dir >= 0)
      return init_finding(f.span, fmt::format("ct {} takes no direction", name), "EINVAL");
    if (!(r->get_families & kern::family_bit(family)))
      return init_finding(f.span,
                          fmt::format("ct {} has no size in {} tables: the kernel knows the address length only in {} "
                                      "tables",
                                      name, kern::family_name(family), kern::family_names(r->get_families)),
                          "EAFNOSUPPORT", fmt::format("match `ct … ip {0}` or `ct … ip6 {0}` instead", name));
  } else {
    if (!r->set)
      return init_finding(f.span, fmt::format("ct {} cannot be set", name), "EOPNOTSUPP",
                          "the kernel sets ct mark, label, zone, event and secmark");
    if (r->set_dir == kern::Dir::none && f.dir >= 0)
      return init_finding(f.span, fmt::format("ct {} set takes no direction", name), "EINVAL");
  }
  return std::nullopt;
}

std::string_view exthdr_kind(std::uint32_t op) {
  switch (op) {
    case NFT_EXTHDR_OP_IPV6: return "IPv6 extension headers";
    case NFT_EXTHDR_OP_IPV4: return "IPv4 options";
    case NFT_EXTHDR_OP_SCTP: return "SCTP chunks";
    case NFT_EXTHDR_OP_DCCP: return "DCCP options";
    default: return "these headers";
  }
}

// nft_limit_init's arithmetic: the token bucket, in nanoseconds, must fit
// in 64 bits (else EOVERFLOW).
bool limit_overflows(const LimitStmt& l) {
  std::uint64_t nsecs = 0, rate_with_burst = 0, tokens = 0;
  if (__builtin_mul_overflow(l.unit, std::uint64_t{1000000000}, &nsecs)) return true;
  std::uint64_t burst = l.burst;
  bool pkts = l.type == NFT_LIMIT_PKTS;
  if (pkts && burst == 0) burst = kern::kLimitPktBurstDefault;
  if (__builtin_add_overflow(l.rate, burst, &rate_with_burst)) return true;
  if (l.rate == 0) return false;
  if (pkts) return __builtin_mul_overflow(nsecs / l.rate, burst, &tokens);
  return __builtin_mul_overflow(nsecs, rate_with_burst, &tokens);
}

std::optional<std::pair<std::string, std::string_view>> limit_refused(const LimitStmt& l) {
  if (l.rate == 0) return std::pair<std::string, std::string_view>{"a limit rate of 0 is no rate", "EINVAL"};
  if (limit_overflows(l))
    return std::pair<std::string, std::string_view>{
        l.type == NFT_LIMIT_PKTS
            ? "this limit's token bucket overflows 64 bits: the kernel counts burst × (time unit in ns ÷ rate)"
            : "this limit's token bucket overflows 64 bits: the kernel counts (rate + burst) × time unit in ns",
        "EOVERFLOW"};
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string_view>> quota_refused(std::uint64_t bytes, std::uint64_t used) {
  if (bytes > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::pair<std::string, std::string_view>{
        fmt::format("a quota of {} bytes is beyond the kernel's signed 64-bit counter", bytes), "EOVERFLOW"};
  if (used > bytes)
    return std::pair<std::string, std::string_view>{
        fmt::format("a quota with {} bytes used of {} is already past its end", used, bytes), "EINVAL"};
  return std::nullopt;
}

using kern::set_word;

// nft_dynset_init: what the set must allow for the packet path to change it.
std::optional<KernelFinding> dynset_init(const Fact& f) {
  const Set& set = *f.set;
  if (set.flags & NFT_SET_INTERVAL)
    return init_finding(f.span,
                        fmt::format("the packet path cannot change interval {} '{}': the kernel's interval sets "
                                    "(rbtree, pipapo) have no update",
                                    set_word(set), set.name),
                        "EOPNOTSUPP", "fill the set from the ruleset, or drop `flags interval`");
  if (set.flags & NFT_SET_CONSTANT)
    return init_finding(f.span,
                        fmt::format("{} '{}' is constant: the packet path cannot change it", set_word(set), set.name),
                        "EBUSY", "drop `flags constant`");
  if (f.timeout && !(set.flags & NFT_SET_TIMEOUT))
    return init_finding(
        f.span, fmt::format("{} '{}' has no timeout flag, so its elements take no timeout", set_word(set), set.name),
        "EOPNOTSUPP", "declare the set with `flags timeout`");
  const std::vector<Stmt*>& stmts = *f.stmts;
  if (stmts.size() > kern::kSetExprMax)
    return init_finding(
        f.span,
        fmt::format("an element keeps at most {} statements; this gives it {}", kern::kSetExprMax, stmts.size()),
        "E2BIG");
  if (!set.stmts.empty() && !stmts.empty()) {
    if (stmts.size() != set.stmts.size())
      return init_finding(f.span,
                          fmt::format("{} '{}' keeps {} statement{} per element; this gives {}", set_word(set),
                                      set.name, set.stmts.size(), set.stmts.size() == 1 ? "" : "s", stmts.size()),
                          "EINVAL", "give the same statements as the set declares, or none");
    for (std::size_t i = 0; i < stmts.size(); ++i)
      if (stmts[i]->type != set.stmts[i]->type)
        return init_finding(
            stmts[i]->span,
            fmt::format("{} '{}' keeps {} as statement {} of each element, not {}", set_word(set), set.name,
                        stmt_type_name(set.stmts[i]->type), i + 1, stmt_type_name(stmts[i]->type)),
            "EOPNOTSUPP", "give the same statements as the set declares, in the same order");
  }
  return std::nullopt;
}

std::optional<KernelFinding> fact_init(Family family, const Fact& f) {
  switch (f.op) {
    case Op::fib: return fib_init(family, f);
    case Op::meta_get: return meta_init(family, f, false);
    case Op::meta_set: return meta_init(family, f, true);
    case Op::ct_get:
    case Op::ct_set:
      if (auto k = ct_init(family, f, f.op == Op::ct_set)) return k;
      break;
    case Op::exthdr_set:
      if (f.key != NFT_EXTHDR_OP_TCPOPT)
        return init_finding(f.span, fmt::format("the kernel cannot write {}, only TCP options", exthdr_kind(f.key)),
                            "EOPNOTSUPP");
      if (f.a != 2 && f.a != 4)
        return init_finding(f.span,
                            fmt::format("the kernel writes TCP option fields of 2 or 4 bytes; this one is {} byte{}",
                                        f.a, f.a == 1 ? "" : "s"),
                            "EOPNOTSUPP", "set a 16- or 32-bit field, e.g. `tcp option maxseg size set …`");
      break;
    case Op::xfrm:
      if (f.a >= kern::kXfrmMaxDepth)
        return init_finding(f.span,
                            fmt::format("ipsec spnum {} is out of range: a packet has at most {} transforms (spnum 0 "
                                        "to {})",
                                        f.a, kern::kXfrmMaxDepth, kern::kXfrmMaxDepth - 1),
                            "ERANGE");
      break;
    case Op::numgen:
    case Op::hash: {
      std::string_view what = f.op == Op::numgen ? "numgen" : "hash";
      if (f.a == 0) return init_finding(f.span, fmt::format("{} mod 0 has no values", what), "ERANGE");
      if (f.b + f.a - 1 > std::numeric_limits<std::uint32_t>::max())
        return init_finding(f.span, fmt::format("{} offset {} + mod {} overflows 32 bits", what, f.b, f.a), "EOVERFLOW",
                            fmt::format("the largest value, offset + mod - 1, must be at most {}",
                                        std::numeric_limits<std::uint32_t>::max()));
      break;
    }
    case Op::limit:
      if (auto why = limit_refused(*f.limit))
        return init_finding(f.span, why->first, why->second,
                            why->second == "EINVAL" ? "use `drop` to refuse all"
                                                    : "use a shorter time unit (per second rather than per day) or a "
                                                      "smaller burst");
      break;
    case Op::quota:
      if (auto why = quota_refused(f.a, f.b)) return init_finding(f.span, why->first, why->second);
      break;
    case Op::dynset:
      if (auto k = dynset_init(f)) return k;
      break;
    default: break;
  }
  if (needs_conntrack(f.op) && !(kern::kConntrackFamilies & kern::family_bit(family)))
    return init_finding(
        f.span,
        fmt::format("{} needs connection tracking, which the kernel does not have in {} tables", op_name(f),
                    kern::family_name(family)),
        "EPROTO", fmt::format("connection tracking works in {} tables", kern::family_names(kern::kConntrackFamilies)));
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Validate: where each expression may run

bool matches(const kern::HookRule& r, const Fact& f) {
  if (r.op != f.op) return false;
  bool type = f.result == NFT_FIB_RESULT_ADDRTYPE;
  switch (r.match) {
    case kern::Match::any: return true;
    case kern::Match::key: return f.key == r.value;
    case kern::Match::fib_oif: return !type;
    case kern::Match::fib_type_iif: return type && (f.flags & NFTA_FIB_F_IIF);
    case kern::Match::fib_type_oif: return type && (f.flags & NFTA_FIB_F_OIF);
    case kern::Match::fib_type: return type && !(f.flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF));
    case kern::Match::xfrm_in: return f.dir == XFRM_POLICY_IN;
    case kern::Match::xfrm_out: return f.dir == XFRM_POLICY_OUT;
  }
  return false;
}

const kern::HookRule* hook_rule(const Fact& f) {
  for (const kern::HookRule& r : kern::hook_rules())
    if (matches(r, f)) return &r;
  return nullptr;
}

// "masquerade is only valid in postrouting chains of type nat", or empty
// when `base` may run it.
std::optional<std::string> hook_violation(const kern::HookRule& r, Family family, const Chain& base) {
  std::uint8_t fam = kern::family_bit(family);
  const kern::Where* where = nullptr;
  std::uint8_t families = 0;
  for (const kern::Where& w : r.where) {
    families |= w.families;
    if (w.families & fam) where = &w;
  }
  if (where == nullptr)
    return fmt::format("{} is not available in {} tables: the kernel runs it in {} tables", r.what,
                       kern::family_name(family), kern::family_names(families));
  if (base.hooknum >= 8) return std::nullopt;  // a hook the kernel does not know: reported already
  bool hook_ok = where->hooks & (1u << base.hooknum);
  bool type_ok = !r.nat_chain || base.type == "nat";
  if (hook_ok && type_ok) return std::nullopt;
  std::string hooks = where->hooks == kern::kAnyHook ? std::string("any") : kern::hook_names(family, where->hooks);
  return fmt::format("{} is only valid in {} chains{}", r.what, hooks, r.nat_chain ? " of type nat" : "");
}

using kern::chain_desc;

// ---------------------------------------------------------------------------
// Objects

std::string_view l3_name(std::uint16_t nfproto) {
  switch (nfproto) {
    case NFPROTO_IPV4: return "ip";
    case NFPROTO_IPV6: return "ip6";
    case NFPROTO_INET: return "inet";
    case NFPROTO_BRIDGE: return "bridge";
    case NFPROTO_NETDEV: return "netdev";
    case NFPROTO_ARP: return "arp";
    default: return "?";
  }
}

std::optional<KernelFinding> object_finding(const Table& table, const Object& obj) {
  Family family = table.family;
  std::uint16_t fam = static_cast<std::uint16_t>(family);
  std::string_view fname = kern::family_name(family);
  auto fail = [&](std::string message, std::string_view errno_name, std::string help = {}) {
    return KernelFinding{"KRN012", obj.span, fmt::format("{} {}", message, answer(errno_name)), std::move(help)};
  };
  auto conntrack = [&](std::string_view what) -> std::optional<KernelFinding> {
    if (kern::kConntrackFamilies & kern::family_bit(family)) return std::nullopt;
    return fail(fmt::format("{} '{}' needs connection tracking, which the kernel does not have in {} tables", what,
                            obj.name, fname),
                "EPROTO",
                fmt::format("connection tracking works in {} tables", kern::family_names(kern::kConntrackFamilies)));
  };
  switch (obj.type) {
    case NFT_OBJECT_CT_HELPER: {
      // nft_ct_helper_obj_init: the helper's layer 3 protocol against the table's.
      std::uint16_t l3 = obj.helper.l3proto != 0 ? obj.helper.l3proto : fam;
      switch (l3) {
        case NFPROTO_IPV4:
        case NFPROTO_IPV6:
          if ((l3 == NFPROTO_IPV4 && family == Family::ip6) || (l3 == NFPROTO_IPV6 && family == Family::ip))
            return fail(fmt::format("ct helper '{}' is for {} (l3proto {}) but table {} is of the {} family", obj.name,
                                    l3 == NFPROTO_IPV4 ? "IPv4" : "IPv6", l3_name(l3), table.name, fname),
                        "EINVAL",
                        fmt::format("drop l3proto, or write `l3proto {}`; an inet table takes either", fname));
          break;
        case NFPROTO_INET:
        case NFPROTO_BRIDGE:
        case NFPROTO_NETDEV: break;
        default:
          return fail(
              fmt::format("ct helper '{}' has no layer 3 protocol in a table of the {} family", obj.name, fname),
              "EAFNOSUPPORT", "give it `l3proto ip` or `l3proto ip6`");
      }
      // nf_conntrack_helper_try_module_get: the helper must exist for the
      // protocols it is asked for.
      bool tcp = obj.helper.l4proto == 6, udp = obj.helper.l4proto == 17;
      bool v4 = l3 != NFPROTO_IPV6, v6 = l3 != NFPROTO_IPV4, either = v4 && v6;
      bool found = false;
      std::vector<std::string_view> names;
      for (const kern::HelperRule& h : kern::helper_rules()) {
        if (!((tcp && h.tcp) || (udp && h.udp))) continue;
        if (!either && v6 && !h.ipv6) continue;
        names.push_back(h.name);
        if (h.name == obj.helper.name) found = true;
      }
      if (!found && (tcp || udp)) {
        std::string list;
        for (std::string_view n : names) list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", n);
        return fail(fmt::format("the kernel has no conntrack helper \"{}\" for {}{}", obj.helper.name,
                                tcp ? "tcp" : "udp", !either && v6 ? " over IPv6" : ""),
                    "ENOENT",
                    fmt::format("helpers for {}{}: {}", tcp ? "tcp" : "udp", !either && v6 ? " over IPv6" : "", list));
      }
      return conntrack("ct helper");
    }
    case NFT_OBJECT_CT_TIMEOUT: return conntrack("ct timeout");
    case NFT_OBJECT_CT_EXPECT: {
      // nft_ct_expect_obj_init: IPv4 or IPv6, and the table's family unless inet.
      std::uint16_t l3 = obj.expect.l3proto != 0 ? obj.expect.l3proto : fam;
      if (l3 != NFPROTO_IPV4 && l3 != NFPROTO_IPV6)
        return fail(
            fmt::format("ct expectation '{}' needs an IPv4 or IPv6 layer 3 protocol; it has {}", obj.name, l3_name(l3)),
            "EAFNOSUPPORT",
            family == Family::inet ? "add `l3proto ip` or `l3proto ip6`"
                                   : "declare it in an ip, ip6 or inet table with l3proto ip or ip6");
      if (family != Family::inet && l3 != fam)
        return fail(fmt::format("ct expectation '{}' is for {} (l3proto {}) but table {} is of the {} family", obj.name,
                                l3 == NFPROTO_IPV4 ? "IPv4" : "IPv6", l3_name(l3), table.name, fname),
                    "EINVAL", "the l3proto of an expectation is the table's family, unless the table is inet");
      return conntrack("ct expectation");
    }
    case NFT_OBJECT_SYNPROXY: return conntrack("synproxy");
    case NFT_OBJECT_LIMIT:
      if (auto why = limit_refused(obj.limit))
        return fail(fmt::format("limit '{}': {}", obj.name, why->first), why->second);
      return std::nullopt;
    case NFT_OBJECT_QUOTA:
      if (auto why = quota_refused(obj.quota.bytes, obj.quota.used))
        return fail(fmt::format("quota '{}': {}", obj.name, why->first), why->second);
      return std::nullopt;
    default: return std::nullopt;
  }
}

void report(EvalCtx& ctx, const KernelFinding& k) { ctx.fail(k.code, k.span, k.message, k.help); }

}  // namespace

// ---------------------------------------------------------------------------

std::optional<KernelFinding> kernel_rule_init_finding(Family family, const Rule& rule) {
  for (const Fact& f : rule_facts(rule))
    if (auto k = fact_init(family, f)) return k;
  return std::nullopt;
}

std::optional<KernelFinding> kernel_rule_hook_finding(Family family, const Chain& base, const Rule& rule) {
  for (const Fact& f : rule_facts(rule)) {
    const kern::HookRule* r = hook_rule(f);
    if (r == nullptr) continue;
    if (auto why = hook_violation(*r, family, base))
      return KernelFinding{"KRN009", f.span, fmt::format("{} {}", *why, answer("EOPNOTSUPP")), {}};
  }
  return std::nullopt;
}

bool kernel_check_rule(EvalCtx& ctx, const Chain& chain, const Rule& rule) {
  Family family = ctx.table != nullptr ? ctx.table->family : chain.family;
  if (auto k = kernel_rule_init_finding(family, rule)) {
    report(ctx, *k);
    return false;
  }
  if (!chain.base) return true;
  if (auto k = kernel_rule_hook_finding(family, chain, rule)) {
    k->help = fmt::format("chain '{}' is {}", chain.name, chain_desc(chain));
    Diagnostic& d = ctx.diags.error(k->code, k->span, k->message);
    d.with_help(k->help);
    if (chain.hook_span.valid()) d.with_related(chain.hook_span, "hooked here");
    ctx.errors = true;
    return false;
  }
  return true;
}

bool kernel_check_object(EvalCtx& ctx, const Table& table, const Object& obj) {
  if (auto k = object_finding(table, obj)) {
    report(ctx, *k);
    return false;
  }
  return true;
}

}  // namespace nftc::sema
