// The AST: what the text says, with an exact span on every node, before any
// meaning is attached. Semantic analysis reads it and builds the ruleset IR.
//
// Expressions are one node type with a kind (like nft's own `struct expr`):
// they nest freely and the analyser rewrites them into typed IR nodes.
// Statements, objects and commands are distinct types. All nodes live in an
// Arena owned by the Script; text is a string_view into the source, which
// the SourceManager keeps alive and never moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <deque>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "compiler/memory.hpp"
#include "compiler/source.hpp"

namespace nftc::ast {

// An array of T stored in the Arena (below). It owns nothing and has no
// destructor, so the nodes that hold one are trivially destructible and the
// arena frees them without visiting them. Grow it with Arena::push.
template <typename T>
class List {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  List() = default;
  T* begin() const { return data_; }
  T* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) const { return data_[i]; }
  T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("ast::List::at");
    return data_[i];
  }
  T& front() const { return data_[0]; }
  T& back() const { return data_[size_ - 1]; }

 private:
  friend class Arena;
  T* data_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
};

enum class Family : std::uint8_t { ip, ip6, inet, arp, bridge, netdev };
std::string_view family_name(Family f);
std::optional<Family> family_from_name(std::string_view name);

// A name as written (quotes removed), with its span.
struct Ident {
  std::string_view text;
  Span span;
  bool quoted = false;
  bool empty() const { return text.empty() && !span.valid(); }
};

// ---------------------------------------------------------------------------
// Expressions

enum class ExprKind : std::uint8_t {
  symbol,         // a word, quoted string, address, time, classid: `text`
  number,         // an integer literal: `num` (and `text` as written)
  boolean,        // exists / missing: `num` 1 or 0
  variable,       // $name: `text` = name, `def` = the define it refers to
  wildcard,       // '*' as a set element key
  selector,       // a packet or metadata selector: `sel`
  binop,          // a OP b for & | ^ << >>: `binop`, `a`, `b`
  concat,         // a . b . c: `items`
  prefix,         // a / N: `a`, `num`
  range,          // a - b: `a`, `b`
  list,           // a, b, c (flag lists on the right-hand side): `items`
  set,            // { … }: `items`: set_elem, mapping, nested set, or, for an element
                  // without options (most of them), its key alone
  set_elem,       // an element key with options: `a`, `elem`
  mapping,        // key : value inside a set: `a` (set_elem, or the key alone), `b`
  set_ref,        // @name: `text`
  map,            // a map { … } / a map @m: `a` key, `b` set or set_ref
  verdict,        // accept, drop, jump c, …: `verdict`, `a` chain name expr
};

enum class BinOp : std::uint8_t { band, bor, bxor, lshift, rshift };
enum class RelOp : std::uint8_t { implicit, eq, neq, lt, gt, lte, gte, negate /* '!' */ };
enum class VerdictKind : std::uint8_t { accept, drop, continue_, jump, goto_, return_, queue };

std::string_view binop_text(BinOp op);
std::string_view relop_text(RelOp op);
std::string_view verdict_text(VerdictKind v);

// The kinds of selectors, one per grammar family in nft(8).
enum class SelectorKind : std::uint8_t {
  payload,        // proto + field, e.g. tcp dport; `inner` names the tunnel for vxlan/geneve/gre/gretap
  payload_raw,    // @base,offset,length: `base`, `n1` offset, `n2` length
  exthdr,         // IPv6 extension header field: proto (hbh, rt, rt0, rt2, srh, frag, dst, mh), field, `n1` index
  exthdr_exists,  // exthdr hbh|rt|frag|dst|mh (for "exists"/"missing")
  tcp_option,     // tcp option NAME|NUM [field]; raw form: `n1` offset, `n2` length, `raw` = true
  ip_option,      // ip option lsrr|rr|ssrr|ra [type|length|value|ptr|addr]
  sctp_chunk,     // sctp chunk NAME [field]
  dccp_option,    // dccp option N: `n1`
  meta,           // meta KEY, or an unqualified key like mark/iifname
  ct,             // ct [original|reply] KEY, ct [dir] ip|ip6 saddr|daddr
  rt,             // rt [ip|ip6] KEY
  fib,            // fib FLAG[.FLAG…] RESULT: `flags` list, `field` result
  socket,         // socket KEY, socket cgroupv2 level N
  osf,            // osf [ttl loose|skip] version|name
  numgen,         // numgen inc|random mod N [offset M]
  hash,           // jhash EXPR mod N [seed S] [offset O] / symhash mod N [offset O]
  xfrm,           // ipsec in|out [spnum N] KEY / ipsec in|out [spnum N] ip|ip6 saddr|daddr
  tunnel,         // tunnel path|id
};

struct Define;
struct Stmt;

// What an expression stands for in its statement, where the grammar alone
// tells (NAT's address and port parts).
enum class ExprRole : std::uint8_t { none, nat_address, nat_port };

struct Selector {
  SelectorKind kind = SelectorKind::payload;
  std::string_view proto;      // protocol / header / option / chunk name, "" if none
  std::string_view field;      // field or key name
  std::string_view qualifier;  // ct direction, rt/ct/xfrm family, hash/numgen type, osf ttl mode, xfrm dir, payload base, inner tunnel
  List<std::string_view> flags;    // fib tuple flags
  std::uint64_t n1 = 0, n2 = 0, n3 = 0, n4 = 0;  // offsets, lengths, mod/seed/offset, indices
  bool has_n3 = false, has_n4 = false;            // optional numbers (seed, offset, spnum)
  bool unqualified_meta = false;                  // `mark` rather than `meta mark`
  bool raw = false;                               // tcp option @N,off,len form
};

struct ElemOptions {
  struct Expr* timeout = nullptr;   // symbol (time) or variable
  struct Expr* expires = nullptr;
  Ident comment;
  List<Stmt*> stmts;                // per-element counter/limit/quota/connlimit/last
  bool empty() const { return timeout == nullptr && expires == nullptr && comment.empty() && stmts.empty(); }
};
inline constexpr ElemOptions kNoElemOptions{};

// Kept small (a 1M-element set is millions of these): the parts only one
// kind has live in the arena behind a pointer; Arena::expr sets them up.
struct Expr {
  ExprKind kind = ExprKind::symbol;
  bool quoted = false;              // symbol written as "…"
  bool asterisk = false;            // symbol written as eth* (a wildcard string)
  ExprRole role = ExprRole::none;
  BinOp binop = BinOp::band;
  VerdictKind verdict = VerdictKind::accept;
  Span span;
  std::string_view text;
  std::uint64_t num = 0;
  Expr* a = nullptr;
  Expr* b = nullptr;
  List<Expr*> items;
  // The one part only some kinds have (read it only for its kind).
  union {
    Selector* sel = nullptr;        // kind == selector (never null then)
    const Define* def;              // kind == variable (null if undefined)
    ElemOptions* elem;              // kind == set_elem, if it has options (Arena::elem_options)
  };
  // A set element's options (none for other kinds).
  const ElemOptions& options() const {
    return kind == ExprKind::set_elem && elem != nullptr ? *elem : kNoElemOptions;
  }
};
static_assert(sizeof(Expr) <= 88);
static_assert(std::is_trivially_destructible_v<Expr>);

// ---------------------------------------------------------------------------
// Statements

struct VerdictStmt { Expr* verdict; };                    // verdict expression
struct VmapStmt { Expr* key; Expr* map; };                 // key vmap { … } | @m | $v
struct MatchStmt { Expr* lhs; RelOp op; Expr* rhs; Span op_span; };
struct AssignStmt { Expr* lhs; Expr* value; };             // payload/meta/ct/exthdr set

struct CounterStmt { std::optional<std::uint64_t> packets, bytes; };
enum class ObjKind : std::uint8_t {
  counter, quota, limit, ct_helper, ct_timeout, ct_expect, secmark, synproxy, tunnel
};
std::string_view obj_kind_name(ObjKind k);
struct ObjrefStmt { ObjKind kind; Expr* name; };           // counter name X, ct timeout set X, …

struct RateSpec {
  std::uint64_t rate = 0;
  std::string_view rate_unit;       // "" for packets, else bytes|kbytes|mbytes
  std::string_view time_unit;       // second|minute|hour|day|week
  std::optional<std::uint64_t> burst;
  std::string_view burst_unit;      // packets|bytes|kbytes|mbytes
  Span span;
};
struct LimitStmt { RateSpec rate; std::string_view mode; /* "", over, until */ };
struct QuotaSpec {
  std::string_view mode;            // "", over, until
  std::uint64_t value = 0;
  std::string_view unit;
  std::optional<std::uint64_t> used;
  std::string_view used_unit;
};
struct QuotaStmt { QuotaSpec quota; };
struct ConnlimitStmt { std::uint64_t count; bool over; };
struct LastStmt { bool has_used = false; bool never = false; Expr* used = nullptr; };

struct LogStmt {
  std::optional<Expr*> prefix;      // string (may reference $variables)
  std::optional<std::uint64_t> group, snaplen, queue_threshold;
  std::string_view level;
  List<Ident> flags;                // tcp sequence, tcp options, ip options, skuid, ether, all
};

struct RejectStmt {
  std::string_view with;            // "", icmp, icmpv6, icmpx, tcp
  Expr* code = nullptr;             // the reason: symbol or number; nullptr for tcp reset
  Span with_span;
};

enum class NatKind : std::uint8_t { snat, dnat, masquerade, redirect };
struct NatStmt {
  NatKind kind;
  std::string_view family;          // "", ip, ip6
  Expr* addr = nullptr;
  Expr* port = nullptr;
  List<Ident> flags;                // random, fully-random, persistent
  bool addr_port_map = false;       // `ip addr . port to …`
  bool interval = false;            // `interval to …`
  bool prefix = false;              // `prefix to …`
  bool to_keyword = false;
};

struct TproxyStmt { std::string_view family; Expr* addr = nullptr; Expr* port = nullptr; };
struct QueueStmt {
  List<Ident> flags;                // bypass, fanout
  Expr* num = nullptr;              // number, range, variable, map, numgen, hash
  bool to_form = false;             // `queue … to EXPR`
};
struct DupStmt { Expr* addr; Expr* dev = nullptr; };
struct FwdStmt { std::string_view family; Expr* to; Expr* dev = nullptr; };

enum class SetOp : std::uint8_t { add, update, del };
struct SetStmt {
  SetOp op;
  Expr* set;                        // set_ref or variable
  Expr* key;                        // set_elem (with options)
  List<Stmt*> stmts;                // stateful statements inside the braces
  Expr* data = nullptr;             // map statements: the value
  bool legacy_form = false;         // `set add ELEM @set`
};
struct MeterStmt { Ident name; std::optional<std::uint64_t> size; Expr* key; Stmt* stmt; };
struct NotrackStmt {};
struct FlowOffloadStmt { Ident flowtable; bool legacy_offload_keyword; };
struct SynproxyStmt {
  std::optional<std::uint64_t> mss, wscale;
  bool timestamp = false, sack_perm = false;
};
struct RuleDecl;
struct ChainStmt { VerdictKind kind; List<RuleDecl*> rules; };  // jump { … }
struct OptstripStmt { Expr* option; };                    // reset tcp option X
struct XtStmt { Ident type; Ident name; };

// A statement's data kept apart, in the arena: the statements with many
// options are few, and inline they would make every statement as large as
// the largest (Stmt 128 -> 64 bytes). ast::visit sees through it.
template <typename T>
struct Boxed {
  static_assert(std::is_trivially_destructible_v<T>);
  T* p = nullptr;
  const T& operator*() const { return *p; }
  T& operator*() { return *p; }
  const T* operator->() const { return p; }
  T* operator->() { return p; }
};
template <typename T>
inline constexpr bool kIsBoxed = false;
template <typename T>
inline constexpr bool kIsBoxed<Boxed<T>> = true;

struct Stmt {
  Span span;
  std::variant<VerdictStmt, VmapStmt, MatchStmt, AssignStmt, CounterStmt, ObjrefStmt, Boxed<LimitStmt>,
               Boxed<QuotaStmt>, ConnlimitStmt, LastStmt, Boxed<LogStmt>, RejectStmt, Boxed<NatStmt>, TproxyStmt,
               QueueStmt, DupStmt, FwdStmt, Boxed<SetStmt>, Boxed<MeterStmt>, NotrackStmt, FlowOffloadStmt,
               SynproxyStmt, ChainStmt, OptstripStmt, Boxed<XtStmt>>
      data;
};
static_assert(std::is_trivially_destructible_v<Stmt>);
static_assert(sizeof(Stmt) <= 64);

// Calls f with the statement's data (boxed data unboxed).
template <typename F>
decltype(auto) visit(const Stmt& s, F&& f) {
  return std::visit(
      [&](const auto& d) -> decltype(auto) {
        if constexpr (kIsBoxed<std::decay_t<decltype(d)>>) return f(*d);
        else return f(d);
      },
      s.data);
}
// ---------------------------------------------------------------------------
// Objects

struct RuleDecl {
  List<Stmt*> stmts;
  Ident comment;
  Span span;
};

struct PrioritySpec;
struct HookSpec {
  Ident type;                       // filter, nat, route
  Ident hook;                       // input, prerouting, ingress, …
  std::vector<Expr*> devices;       // device "x" / devices = { … } / $var
  bool devices_list_form = false;
  Span span;
};

// A priority as written: a number, a variable, or a name with an offset.
struct PrioritySpec {
  std::optional<std::int64_t> number;  // priority -150
  Expr* variable = nullptr;            // priority $prio
  Ident name;                          // filter, raw, mangle, dstnat, …
  std::int64_t offset = 0;             // name + N / name - N
  Span span;
};

struct ChainDecl {
  Ident name;
  std::optional<HookSpec> hook;
  std::optional<PrioritySpec> priority;
  Expr* policy = nullptr;           // symbol accept|drop or variable
  bool offload_flag = false;        // flags offload
  Span offload_span;
  std::vector<Expr*> devices;       // `devices = { … }` on its own line
  Ident comment;
  std::vector<RuleDecl*> rules;
  Span span;
};

struct SetDecl {
  Ident name;
  bool is_map = false;
  std::vector<Ident> key_type;      // type a . b
  std::vector<Expr*> key_typeof;    // typeof a . b (selectors)
  std::vector<Ident> data_type;     // map data type; "verdict" for vmaps
  std::vector<Expr*> data_typeof;
  bool data_interval = false;       // type … : interval …
  std::optional<ObjKind> data_object;  // map to counter/quota/limit/secmark/synproxy/ct timeout/ct expectation
  std::string_view data_keyword;    // typeof … : queue | verdict (STRING)
  std::vector<Ident> flags;
  Expr* timeout = nullptr;
  Expr* gc_interval = nullptr;
  std::optional<std::uint64_t> size;
  Ident policy;                     // performance | memory
  bool auto_merge = false;
  std::vector<Stmt*> stmts;         // counter, quota, limit, … applied to every element
  Expr* elements = nullptr;         // set expression or variable
  Ident comment;
  Span span, key_span, data_span;
};

struct FlowtableDecl {
  Ident name;
  Ident hook;
  std::optional<PrioritySpec> priority;
  std::vector<Expr*> devices;
  bool devices_given = false;
  bool counter = false;
  bool offload_flag = false;
  Span offload_span;
  Ident comment;
  Span span;
};

// Stateful objects share one declaration; only the fields of `kind` are set.
struct ObjDecl {
  ObjKind kind = ObjKind::counter;
  Ident name;
  // counter
  std::optional<std::uint64_t> packets, bytes;
  // quota
  std::optional<QuotaSpec> quota;
  // limit
  std::optional<RateSpec> limit;
  std::string_view limit_mode;
  // ct helper: type "ftp" protocol tcp; l3proto ip
  Ident helper_type;
  Ident l4proto;
  std::optional<Family> l3proto;
  // ct timeout: protocol, l3proto, policy = { state : time, … }
  std::vector<std::pair<Ident, Expr*>> timeout_policy;
  // ct expectation: protocol, dport, timeout, size, l3proto
  std::optional<std::uint64_t> expect_dport, expect_size;
  Expr* expect_timeout = nullptr;
  // secmark
  Ident secmark_context;
  // synproxy
  std::optional<std::uint64_t> mss, wscale;
  bool timestamp = false, sack_perm = false;
  // tunnel: kept as key/value pairs in order (id, ip saddr, …, erspan/vxlan/geneve blocks)
  std::vector<std::pair<Ident, Expr*>> tunnel_options;
  Ident comment;
  Span span;
};

struct TableItem {
  std::variant<ChainDecl*, SetDecl*, FlowtableDecl*, ObjDecl*> item;
};

struct TableDecl {
  Ident name;
  std::vector<Ident> flags;         // dormant, owner, persist
  Ident comment;
  std::vector<TableItem> items;     // in source order
  bool has_block = false;
  Span span;
};

// ---------------------------------------------------------------------------
// Commands

enum class CmdOp : std::uint8_t {
  add, create, insert, replace, del, destroy, get, list, reset, flush, rename, describe, import, export_, monitor
};
std::string_view cmd_op_name(CmdOp op);

enum class CmdObj : std::uint8_t {
  table, chain, rule, set, map, element, flowtable, object, ruleset,
  // listing forms
  tables, chains, sets, maps, flowtables, objects, rules, hooks, meters, meter, flow_tables, flow_table, ct_helpers
};

// What a command names: family, table, chain/set/object name, and the
// numeric selectors (handle, position, index) where given.
struct Handle {
  Family family = Family::ip;
  bool family_explicit = false;
  Span family_span;
  Ident table;
  Ident name;                       // chain, set, flowtable or object name
  std::optional<std::uint64_t> handle, position, index;
  Span handle_span, position_span;
};

struct Command {
  CmdOp op = CmdOp::add;
  CmdObj obj = CmdObj::table;
  std::optional<ObjKind> obj_kind;  // for stateful objects
  bool implicit_add = false;        // a block or `rule …` without `add`
  Handle h;
  TableDecl* table = nullptr;
  ChainDecl* chain = nullptr;
  RuleDecl* rule = nullptr;
  SetDecl* set = nullptr;
  FlowtableDecl* flowtable = nullptr;
  ObjDecl* object = nullptr;
  Expr* elements = nullptr;         // element commands, describe
  Ident new_name;                   // rename
  Span span;
};

// ---------------------------------------------------------------------------
// Defines and the script

struct Define {
  Ident name;
  Expr* value = nullptr;
  Span span;
};

// Node types whose every member has a default member initializer (or is a
// class that initialises itself), so that `new T` leaves nothing
// indeterminate.
template <typename T>
inline constexpr bool kInitialisedMembers = false;
template <> inline constexpr bool kInitialisedMembers<Expr> = true;
template <> inline constexpr bool kInitialisedMembers<Stmt> = true;  // the variant value-initialises its first alternative
template <> inline constexpr bool kInitialisedMembers<Selector> = true;
template <> inline constexpr bool kInitialisedMembers<RuleDecl> = true;

// A store of T that never moves what it holds: objects are constructed in
// place in chunks of growing size (one allocation per chunk, not per node),
// taken from the arena's region, which frees them.
template <typename T>
class Pool {
 public:
  Pool() = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  Pool(Pool&& o) noexcept : chunks_(std::move(o.chunks_)), used_(o.used_), size_(o.size_) {
    o.chunks_.clear();
    o.used_ = o.size_ = 0;
  }
  Pool& operator=(Pool&&) = delete;
  ~Pool() {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      for (std::size_t c = 0; c < chunks_.size(); ++c) {
        std::size_t n = c + 1 == chunks_.size() ? used_ : capacity(c);
        for (std::size_t i = 0; i < n; ++i) std::launder(chunks_[c] + i)->~T();
      }
    }
  }
  template <typename... Args>
  T* make(Region& region, Args&&... args) {
    if (chunks_.empty() || used_ == capacity(chunks_.size() - 1)) {
      static_assert(alignof(T) <= alignof(std::max_align_t));
      chunks_.reserve(chunks_.size() + 1);
      chunks_.push_back(static_cast<T*>(region.allocate(capacity(chunks_.size()) * sizeof(T), alignof(T))));
      used_ = 0;
    }
    T* p;
    if constexpr (sizeof...(Args) == 0 && kInitialisedMembers<T>) {
      // Default-initialised: every member has an initializer, which GCC
      // stores one by one; value-initialisation (T{}) clears the node
      // through `rep stos` or a call to memcpy, dearer for nodes made by the
      // million.
      p = ::new (static_cast<void*>(chunks_.back() + used_)) T;
    } else {
      p = ::new (static_cast<void*>(chunks_.back() + used_)) T{std::forward<Args>(args)...};
    }
    ++used_;
    ++size_;
    return p;
  }
  std::size_t size() const { return size_; }

 private:
  static std::size_t capacity(std::size_t chunk) { return std::size_t{16} << std::min<std::size_t>(chunk, 8); }
  std::vector<T*> chunks_;
  std::size_t used_ = 0;  // in the last chunk
  std::size_t size_ = 0;
};

// Owns every node; addresses are stable as nodes are added.
class Arena {
 public:
  template <typename T, typename... Args>
  T* make(Args&&... args) {
    return store<T>().make(region_, std::forward<Args>(args)...);
  }
  // A new expression of `kind` (with its selector if it is one).
  Expr* expr(ExprKind kind, Span span) {
    Expr* e = exprs_.make(region_);
    e->kind = kind;
    e->span = span;
    if (kind == ExprKind::selector) e->sel = selectors_.make(region_);
    return e;
  }
  // A set element's options, made when it first has one (most have none).
  ElemOptions& elem_options(Expr* e) {
    if (e->elem == nullptr) e->elem = elem_options_.make(region_);
    return *e->elem;
  }
  std::size_t expr_count() const { return exprs_.size(); }
  // Bytes of nodes and lists by kind, for the benchmark's memory figures.
  struct Usage {
    std::size_t exprs, selectors, elem_options, stmts, rules, decls, lists;
  };
  Usage usage() const {
    return {exprs_.size() * sizeof(Expr),
            selectors_.size() * sizeof(Selector),
            elem_options_.size() * sizeof(ElemOptions),
            stmts_.size() * sizeof(Stmt),
            rules_.size() * sizeof(RuleDecl),
            chains_.size() * sizeof(ChainDecl) + sets_.size() * sizeof(SetDecl) +
                flowtables_.size() * sizeof(FlowtableDecl) + objects_.size() * sizeof(ObjDecl) +
                tables_.size() * sizeof(TableDecl) + defines_.size() * sizeof(Define),
            list_bytes_};
  }

  // Statement data kept apart (Boxed).
  template <typename T>
  Boxed<T> box(T value) {
    return Boxed<T>{::new (allocate(sizeof(T), alignof(T))) T(std::move(value))};
  }

  // Lists: a copy of [first, last), or of `init`.
  template <typename T, typename It>
  List<T> list(It first, It last) {
    List<T> l;
    reserve(l, static_cast<std::size_t>(std::distance(first, last)));
    for (; first != last; ++first) l.data_[l.size_++] = *first;
    return l;
  }
  template <typename T>
  List<T> list(std::initializer_list<T> init) {
    return list<T>(init.begin(), init.end());
  }
  template <typename T>
  List<T> list(const std::vector<T>& v) {
    return list<T>(v.begin(), v.end());
  }
  // Appends, doubling the storage when it is full (the old storage stays
  // in the arena until the arena goes).
  template <typename T>
  void push(List<T>& l, T value) {
    if (l.size_ == l.capacity_) reserve(l, l.size_ == 0 ? 4 : std::size_t{l.size_} * 2);
    l.data_[l.size_++] = value;
  }

 private:
  template <typename T>
  void reserve(List<T>& l, std::size_t n) {
    if (n <= l.capacity_) return;
    T* data = static_cast<T*>(allocate(n * sizeof(T), alignof(T)));
    if (l.size_ != 0) std::copy(l.data_, l.data_ + l.size_, data);
    l.data_ = data;
    l.capacity_ = static_cast<std::uint32_t>(n);
  }
  // Raw storage for lists and boxed statement data.
  void* allocate(std::size_t bytes, std::size_t align) {
    list_bytes_ += bytes;
    return region_.allocate(bytes, align);
  }
  // First: it outlives the pools, whose destructors run in its memory.
  Region region_;
  std::size_t list_bytes_ = 0;

  template <typename T>
  Pool<T>& store();
  Pool<Expr> exprs_;
  Pool<Selector> selectors_;
  Pool<ElemOptions> elem_options_;
  Pool<Stmt> stmts_;
  Pool<RuleDecl> rules_;
  Pool<ChainDecl> chains_;
  Pool<SetDecl> sets_;
  Pool<FlowtableDecl> flowtables_;
  Pool<ObjDecl> objects_;
  Pool<TableDecl> tables_;
  Pool<Define> defines_;
};

template <> inline Pool<Expr>& Arena::store<Expr>() { return exprs_; }
template <> inline Pool<Stmt>& Arena::store<Stmt>() { return stmts_; }
template <> inline Pool<RuleDecl>& Arena::store<RuleDecl>() { return rules_; }
template <> inline Pool<ChainDecl>& Arena::store<ChainDecl>() { return chains_; }
template <> inline Pool<SetDecl>& Arena::store<SetDecl>() { return sets_; }
template <> inline Pool<FlowtableDecl>& Arena::store<FlowtableDecl>() { return flowtables_; }
template <> inline Pool<ObjDecl>& Arena::store<ObjDecl>() { return objects_; }
template <> inline Pool<TableDecl>& Arena::store<TableDecl>() { return tables_; }
template <> inline Pool<Define>& Arena::store<Define>() { return defines_; }

struct Script {
  Arena arena;
  std::deque<std::string> owned_text;  // text not in any source file (-D values)
  std::string_view own(std::string s) { return owned_text.emplace_back(std::move(s)); }
  std::vector<Command> commands;
  std::vector<Define*> defines;     // every define, in order (for lints: unused variables)
  std::vector<Span> includes;       // every include directive
};

}  // namespace nftc::ast
