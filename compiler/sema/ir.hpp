// The ruleset IR: what the ruleset means, after semantic analysis.
//
// Expressions are typed (datatype, byte order, length) like nft's own
// evaluated expressions, so that analysis can follow nft's evaluation step
// by step and lowering can emit the same bytecode. Tables own chains, sets,
// flowtables and objects; chains own rules; rules own statements. Every
// node carries the span of the source construct it came from.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "compiler/source.hpp"
#include "compiler/sema/value.hpp"

namespace nftc::sema {

struct Datatype;
struct ProtoDesc;
struct HdrTemplate;
struct ExthdrDesc;
struct Set;
struct Chain;
struct Rule;
struct Stmt;

// Expression kinds (nft's enum expr_types).
enum class Kind : std::uint8_t {
  invalid, verdict, symbol, variable, value, prefix, range, payload, exthdr, meta, socket, osf, ct, concat, list,
  set, set_ref, set_elem, mapping, map, unary, binop, relational, numgen, hash, rt, tunnel, fib, xfrm,
  set_elem_catchall, range_value, range_symbol,
};
std::string_view kind_name(Kind k);

// Operators (nft's enum ops).
enum class Op : std::uint8_t {
  invalid, implicit, hton, ntoh, lshift, rshift, band, bxor, bor, eq, neq, lt, gt, lte, gte, neg,
};
std::string_view op_symbol(Op op);

enum class ProtoBase : std::uint8_t { invalid, ll, network, transport, inner };
inline constexpr unsigned kProtoBaseMax = 4;

// Expression flags (nft's EXPR_F_*).
enum ExprFlags : std::uint32_t {
  kExprConstant = 0x1,
  kExprSingleton = 0x2,
  kExprProtocol = 0x4,
  kExprIntervalEnd = 0x8,
  kExprBoolean = 0x10,
  kExprInterval = 0x20,
  kExprKernel = 0x40,
  kExprRemove = 0x80,
  kExprIntervalOpen = 0x100,
};

enum class SymbolType : std::uint8_t { value, set };

// Verdict codes as the kernel defines them (NF_DROP, NF_ACCEPT, NFT_*).
enum VerdictCode : std::int32_t {
  kVerdictDrop = 0,
  kVerdictAccept = 1,
  kVerdictQueue = 3,
  kVerdictContinue = -1,
  kVerdictBreak = -2,
  kVerdictJump = -3,
  kVerdictGoto = -4,
  kVerdictReturn = -5,
};

// Kind-specific parts of an expression.
struct SymbolData {
  std::string text;
  std::string high;  // range_symbol: the upper bound
  SymbolType symtype = SymbolType::value;
  bool quoted = false;
};
struct VerdictData {
  std::int32_t verdict = kVerdictAccept;
  struct Expr* chain = nullptr;  // jump/goto target (a string value)
};
struct PrefixData {
  unsigned prefix_len = 0;  // `left` is the base
};
struct RangeValueData {
  Value high;  // `value` is the low end
};
struct PayloadData {
  const ProtoDesc* desc = nullptr;
  const HdrTemplate* tmpl = nullptr;
  const ProtoDesc* inner_desc = nullptr;
  ProtoBase base = ProtoBase::invalid;
  unsigned offset = 0;  // bits
  bool is_raw = false;
  bool evaluated = false;
};
struct ExthdrData {
  const ExthdrDesc* desc = nullptr;
  const HdrTemplate* tmpl = nullptr;
  unsigned offset = 0;   // bits
  std::uint8_t raw_type = 0;
  std::uint8_t op = 0;   // NFT_EXTHDR_OP_*
  std::uint32_t flags = 0;  // NFT_EXTHDR_F_*
};
struct MetaData {
  std::uint32_t key = 0;  // NFT_META_*
  ProtoBase base = ProtoBase::invalid;
  const ProtoDesc* inner_desc = nullptr;
};
struct SocketData {
  std::uint32_t key = 0;
  std::uint32_t level = 0;
};
struct OsfData {
  std::uint8_t ttl = 0;
  std::uint32_t flags = 0;
};
struct CtData {
  std::uint32_t key = 0;   // NFT_CT_*
  ProtoBase base = ProtoBase::invalid;
  std::int8_t direction = -1;  // -1: none, 0 original, 1 reply
  std::uint8_t nfproto = 0;
};
struct RtData {
  std::uint32_t key = 0;
};
struct TunnelData {
  std::uint32_t key = 0;
};
struct NumgenData {
  std::uint32_t type = 0;  // NFT_NG_*
  std::uint32_t mod = 0, offset = 0;
};
struct HashData {
  std::uint32_t type = 0;  // NFT_HASH_*
  std::uint32_t mod = 0, seed = 0, offset = 0;
  bool seed_set = false;  // `left` is the hashed expression (jhash)
};
struct FibData {
  std::uint32_t result = 0;  // NFT_FIB_RESULT_*
  std::uint32_t flags = 0;   // NFTA_FIB_F_*
};
struct XfrmData {
  std::uint32_t key = 0;
  std::uint8_t direction = 0;
  std::uint8_t spnum = 0;
};
struct ConcatData {
  std::array<std::uint8_t, 16> field_len{};  // bytes
  std::uint8_t field_count = 0;
};
struct SetExprData {
  std::uint32_t set_flags = 0;  // NFT_SET_* gathered from the elements
};
struct SetRefData {
  Set* set = nullptr;
};
// An element's `timeout never` (nft's NFT_NEVER_TIMEOUT).
inline constexpr std::uint64_t kNeverTimeout = ~std::uint64_t{0};
struct ElemData {
  std::uint64_t timeout = 0, expiration = 0;  // ms; kNeverTimeout for `never`
  std::string comment;
  bool has_comment = false;
  std::vector<Stmt*> stmts;  // `left` is the key
};

struct Expr {
  Kind kind = Kind::invalid;
  Op op = Op::invalid;
  ByteOrder byteorder = ByteOrder::invalid;
  std::uint32_t flags = 0;
  std::uint32_t len = 0;  // bits
  Span span;  // (here, to fill the header's 24 bytes)
  const Datatype* dtype = nullptr;

  Value value;                // value, range_value (low)
  Expr* left = nullptr;       // binop/relational/range/mapping: left; map: key; prefix: base; unary: arg; elem: key; hash: input
  Expr* right = nullptr;      // binop/relational/range/mapping: right; map: mappings
  std::vector<Expr*> items;   // concat, list, set

  std::variant<std::monostate, SymbolData, VerdictData, PrefixData, RangeValueData, PayloadData, ExthdrData,
               MetaData, SocketData, OsfData, CtData, RtData, TunnelData, NumgenData, HashData, FibData, XfrmData,
               ConcatData, SetExprData, SetRefData, ElemData>
      data;

  // Typed access to the kind-specific part (created on first use).
  template <typename T>
  T& as() {
    if (!std::holds_alternative<T>(data)) data.template emplace<T>();
    return std::get<T>(data);
  }
  template <typename T>
  const T& as() const {
    return std::get<T>(data);
  }
  SymbolData& sym() { return as<SymbolData>(); }
  VerdictData& verdict() { return as<VerdictData>(); }
  PayloadData& payload() { return as<PayloadData>(); }
  const PayloadData& payload() const { return as<PayloadData>(); }
  ExthdrData& exthdr() { return as<ExthdrData>(); }
  const ExthdrData& exthdr() const { return as<ExthdrData>(); }
  MetaData& meta() { return as<MetaData>(); }
  const MetaData& meta() const { return as<MetaData>(); }
  CtData& ct() { return as<CtData>(); }
  const CtData& ct() const { return as<CtData>(); }
  ConcatData& concat() { return as<ConcatData>(); }
  SetExprData& set_expr() { return as<SetExprData>(); }
  SetRefData& set_ref() { return as<SetRefData>(); }
  const SetRefData& set_ref() const { return as<SetRefData>(); }
  ElemData& elem() { return as<ElemData>(); }
  const ElemData& elem() const { return as<ElemData>(); }

  bool is_constant() const { return flags & kExprConstant; }
  bool is_singleton() const { return flags & kExprSingleton; }
};

// ---------------------------------------------------------------------------
// Statements (nft's enum stmt_types)

enum class StmtType : std::uint8_t {
  invalid, expression, verdict, meter, counter, payload, meta, limit, log, reject, nat, tproxy, queue, ct, set,
  dup, fwd, xt, quota, notrack, objref, exthdr, flow_offload, connlimit, map, synproxy, chain, optstrip, last,
};
std::string_view stmt_type_name(StmtType t);

enum StmtFlags : std::uint32_t { kStmtTerminal = 0x1, kStmtStateful = 0x2 };

struct PayloadStmt { Expr* expr = nullptr; Expr* val = nullptr; };
struct ExthdrStmt { Expr* expr = nullptr; Expr* val = nullptr; };
struct MetaStmt { std::uint32_t key = 0; Expr* expr = nullptr; };
struct CtStmt { std::uint32_t key = 0; std::int8_t direction = -1; Expr* expr = nullptr; };
struct CounterStmt { std::uint64_t packets = 0, bytes = 0; };
struct LastStmt { std::uint64_t used = 0; std::uint32_t set = 0; };
enum LogFlags : std::uint32_t { kLogPrefix = 1, kLogSnaplen = 2, kLogGroup = 4, kLogQthreshold = 8, kLogLevel = 16 };
struct LogStmt {
  std::string prefix;
  std::uint32_t snaplen = 0;
  std::uint16_t group = 0, qthreshold = 0;
  std::uint32_t level = 4;  // NFT_LOGLEVEL_WARNING
  std::uint32_t logflags = 0;
  std::uint32_t flags = 0;  // LogFlags
};
struct LimitStmt {
  std::uint64_t rate = 0, unit = 0;  // unit in seconds
  std::uint32_t type = 0;            // NFT_LIMIT_PKTS / PKT_BYTES
  std::uint32_t burst = 0;
  std::uint32_t flags = 0;           // NFT_LIMIT_F_INV
};
struct QuotaStmt { std::uint64_t bytes = 0, used = 0; std::uint32_t flags = 0; };
struct ConnlimitStmt { std::uint32_t count = 0, flags = 0; };
struct RejectStmt {
  Expr* expr = nullptr;       // the code as written
  std::uint32_t type = 0;     // NFT_REJECT_*
  std::int8_t icmp_code = -1;
  unsigned family = 0;        // NFPROTO_*
  bool verbose_print = false;  // listing: name the ICMP family even for the default code (inet, bridge, netdev)
};
enum NatType : std::uint8_t { kNatSnat = 0, kNatDnat = 1, kNatMasq = 2, kNatRedir = 3 };
enum NatTypeFlags : std::uint32_t { kNatFlagInterval = 1, kNatFlagPrefix = 2, kNatFlagConcat = 4 };
struct NatStmt {
  NatType type = kNatSnat;
  Expr* addr = nullptr;
  Expr* proto = nullptr;
  std::uint32_t flags = 0;  // NF_NAT_RANGE_*
  std::uint8_t family = 0;
  std::uint32_t type_flags = 0;
};
struct TproxyStmt { Expr* addr = nullptr; Expr* port = nullptr; std::uint8_t family = 0, table_family = 0; };
struct QueueStmt { Expr* queue = nullptr; std::uint16_t flags = 0; };
struct DupStmt { Expr* to = nullptr; Expr* dev = nullptr; };
struct FwdStmt { std::uint8_t family = 0; Expr* addr = nullptr; Expr* dev = nullptr; };
struct SetStmt {
  Expr* set = nullptr;
  Expr* key = nullptr;  // a set_elem
  std::vector<Stmt*> stmts;
  std::uint32_t op = 0;  // NFT_DYNSET_OP_*
};
struct MapStmt {
  Expr* set = nullptr;
  Expr* key = nullptr;
  Expr* data = nullptr;
  std::vector<Stmt*> stmts;
  std::uint32_t op = 0;
};
struct MeterStmt { Expr* set = nullptr; Expr* key = nullptr; Stmt* stmt = nullptr; std::string name; std::uint32_t size = 0; };
struct ObjrefStmt { std::uint32_t type = 0; Expr* expr = nullptr; };  // NFT_OBJECT_*
struct FlowStmt { std::string table_name; };  // the flowtable name
struct SynproxyStmt { std::uint16_t mss = 0; std::uint8_t wscale = 0; std::uint32_t flags = 0; };
struct ChainStmt { Chain* chain = nullptr; Expr* expr = nullptr; };
struct OptstripStmt { Expr* expr = nullptr; };
struct XtStmt { std::string name; std::uint32_t type = 0; };

struct Stmt {
  StmtType type = StmtType::invalid;
  std::uint32_t flags = 0;
  Span span;
  Expr* expr = nullptr;  // expression and verdict statements
  std::variant<std::monostate, PayloadStmt, ExthdrStmt, MetaStmt, CtStmt, CounterStmt, LastStmt, LogStmt, LimitStmt,
               QuotaStmt, ConnlimitStmt, RejectStmt, NatStmt, TproxyStmt, QueueStmt, DupStmt, FwdStmt, SetStmt,
               MapStmt, MeterStmt, ObjrefStmt, FlowStmt, SynproxyStmt, ChainStmt, OptstripStmt, XtStmt>
      data;

  template <typename T>
  T& as() {
    if (!std::holds_alternative<T>(data)) data.template emplace<T>();
    return std::get<T>(data);
  }
  template <typename T>
  const T& as() const {
    return std::get<T>(data);
  }
};

// ---------------------------------------------------------------------------
// Objects

enum class Family : std::uint8_t { ip = 2, ip6 = 10, inet = 1, arp = 3, bridge = 7, netdev = 5 };  // NFPROTO_*

struct Rule {
  std::vector<Stmt*> stmts;
  std::string comment;
  bool has_comment = false;
  Span span;
  Chain* chain = nullptr;
  // Where the rule goes (add/insert, position/handle/index as written).
  std::optional<std::uint64_t> handle, position, index;
  bool insert = false;
};

struct Set {
  std::string name;
  Family family = Family::ip;
  std::string table;
  std::uint32_t flags = 0;        // NFT_SET_*
  Expr* key = nullptr;
  Expr* data = nullptr;
  std::uint32_t objtype = 0;      // NFT_OBJECT_* for object maps
  Expr* init = nullptr;           // elements (a set expression)
  std::uint64_t timeout = 0, gc_int = 0;
  std::uint32_t size = 0;
  std::uint32_t count = 0;        // listing: the elements the kernel holds
  std::uint32_t policy = 0;
  bool has_policy = false;
  std::array<std::uint8_t, 16> field_len{};
  std::uint8_t field_count = 0;
  std::vector<Stmt*> stmts;
  bool automerge = false;
  std::string comment;
  bool key_typeof = false, data_typeof = false;
  // The set as it already is (elements added before): nft's existing_set.
  Set* existing_set = nullptr;
  bool errors = false;
  std::uint32_t anon_id = 0;   // numbering of anonymous sets, for --emit bytecode
  Span span;
  bool anonymous() const { return flags & 0x1; }  // NFT_SET_ANONYMOUS (0x2 is NFT_SET_CONSTANT)
};

struct Chain {
  std::string name;
  Family family = Family::ip;
  std::string table;
  bool base = false;
  std::string type;               // filter, nat, route
  std::string hook_name;
  std::uint32_t hooknum = 0;
  std::int32_t priority = 0;
  std::vector<std::string> devices;
  std::optional<std::uint32_t> policy;  // NF_ACCEPT / NF_DROP
  std::uint32_t flags = 0;        // NFT_CHAIN_HW_OFFLOAD, NFT_CHAIN_BINDING
  std::string comment;
  std::vector<Rule*> rules;
  bool anonymous = false;         // jump { … } chains
  Span span, name_span, hook_span, priority_span, policy_span, offload_span;
};

struct Flowtable {
  std::string name;
  Family family = Family::ip;
  std::string table;
  std::string hook_name;
  std::uint32_t hooknum = 0;
  std::int32_t priority = 0;
  bool has_hook = false;
  std::vector<std::string> devices;
  std::uint32_t flags = 0;        // NFT_FLOWTABLE_HW_OFFLOAD, NFT_FLOWTABLE_COUNTER
  std::string comment;
  Span span, hook_span, offload_span;
};

struct Object {
  std::uint32_t type = 0;         // NFT_OBJECT_*
  std::string name;
  Family family = Family::ip;
  std::string table;
  std::string comment;
  // The configuration, by type.
  CounterStmt counter;
  QuotaStmt quota;
  LimitStmt limit;
  SynproxyStmt synproxy;
  std::string secmark_ctx;
  struct {
    std::string name;
    std::uint8_t l4proto = 0;
    std::uint16_t l3proto = 0;
  } helper;
  struct {
    std::uint8_t l4proto = 0;
    std::uint16_t l3proto = 0;
    std::vector<std::pair<std::string, std::uint32_t>> states;  // as written: name, seconds
    std::vector<std::uint32_t> values;  // every state of the protocol, defaults filled in (seconds)
  } timeout;
  struct {
    std::uint8_t l4proto = 0;
    std::uint16_t l3proto = 0;
    std::uint16_t dport = 0;
    std::uint32_t timeout = 0;
    std::uint8_t size = 0;
  } expect;
  struct {
    std::uint32_t id = 0;
    Expr* src = nullptr;
    Expr* dst = nullptr;
    std::uint16_t sport = 0, dport = 0;
    std::uint8_t ttl = 0, tos = 0;
    enum class Type : std::uint8_t { none, erspan, vxlan, geneve } type = Type::none;
    struct {
      std::uint32_t version = 0, index = 0;
      std::uint8_t direction = 0, hwid = 0;
    } erspan;
    std::uint32_t vxlan_gbp = 0;
    struct Geneve {
      std::uint16_t cls = 0;
      std::uint8_t type = 0;
      std::vector<std::uint8_t> data;
    };
    std::vector<Geneve> geneve;
  } tunnel;
  Span span;
};

struct Table {
  std::string name;
  Family family = Family::ip;
  std::uint32_t flags = 0;        // NFT_TABLE_F_*
  std::string comment;
  std::vector<Chain*> chains;
  std::vector<Set*> sets;
  std::vector<Flowtable*> flowtables;
  std::vector<Object*> objects;
  Span span;
};

// Nodes of one type, allocated in chunks that never move (a million set
// elements cost a few hundred allocations, not millions).
template <typename T>
class NodePool {
 public:
  static constexpr std::size_t kChunk = 1024;

  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;
  ~NodePool() {
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      std::size_t n = c + 1 == chunks_.size() ? used_ : kChunk;
      for (std::size_t i = 0; i < n; ++i) chunks_[c][i].~T();
      std::allocator<T>().deallocate(chunks_[c], kChunk);
    }
  }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (chunks_.empty() || used_ == kChunk) {
      chunks_.reserve(chunks_.size() + 1);
      chunks_.push_back(std::allocator<T>().allocate(kChunk));
      used_ = 0;
    }
    T* slot = chunks_.back() + used_;
    ::new (static_cast<void*>(slot)) T(std::forward<Args>(args)...);
    ++used_;
    return *slot;
  }

 private:
  std::vector<T*> chunks_;
  std::size_t used_ = 0;  // in the last chunk
};

// Owns every IR node of one compilation.
class IrArena {
 public:
  Expr* expr(Kind kind, Span span = {}) {
    Expr* e;
    if (free_ != nullptr) {
      e = free_;
      free_ = e->left;
      e->left = nullptr;
    } else {
      e = &exprs_.emplace_back();
    }
    e->kind = kind;
    e->span = span;
    if (journal_on_) journal_.push_back(e);
    return e;
  }
  // While on, every node expr() hands out is noted in journal().
  void start_journal() {
    journal_.clear();
    journal_on_ = true;
  }
  void stop_journal() { journal_on_ = false; }
  bool journaling() const { return journal_on_; }
  const std::vector<Expr*>& journal() const { return journal_; }
  Expr* clone(const Expr* e);
  // Gives back a node that nothing refers to any more (what evaluation made
  // of a set element's key on the way to its value): the next expr() reuses it.
  void recycle(Expr* e) {
    *e = Expr{};
    e->left = free_;
    free_ = e;
  }
  Stmt* stmt(StmtType type, Span span = {}) {
    Stmt& s = stmts_.emplace_back();
    s.type = type;
    s.span = span;
    return &s;
  }
  template <typename T>
  T* make() {
    if constexpr (std::is_same_v<T, Rule>) return &rules_.emplace_back();
    else if constexpr (std::is_same_v<T, Set>) return &sets_.emplace_back();
    else if constexpr (std::is_same_v<T, Chain>) return &chains_.emplace_back();
    else if constexpr (std::is_same_v<T, Flowtable>) return &flowtables_.emplace_back();
    else if constexpr (std::is_same_v<T, Object>) return &objects_.emplace_back();
    else return &tables_.emplace_back();
  }

 private:
  NodePool<Expr> exprs_;
  Expr* free_ = nullptr;  // recycled nodes, chained through `left`
  std::vector<Expr*> journal_;
  bool journal_on_ = false;
  NodePool<Stmt> stmts_;
  NodePool<Rule> rules_;
  std::deque<Set> sets_;
  std::deque<Chain> chains_;
  std::deque<Flowtable> flowtables_;
  std::deque<Object> objects_;
  std::deque<Table> tables_;
};

// The ruleset: tables in the order they were declared, plus what the
// commands asked for beyond adding (deletions, flushes), in order.
struct Ruleset {
  IrArena arena;
  std::vector<Table*> tables;
};

}  // namespace nftc::sema
