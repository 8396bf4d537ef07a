// The bytecode IR: per rule, the nftables VM expressions exactly as nft
// hands them to libnftnl, each with the span of the source construct it came
// from. The bytecode printer, the netlink builder and the offload model read
// it; lowering writes it.
//
// One struct per kernel expression, or per operation where the kernel picks
// a different implementation (payload load and payload set, ...). Each holds
// exactly the attributes libnftnl can set, with the kernel's numbers: the
// uapi constants of <linux/netfilter/nf_tables.h>. Expressions live in a
// std::variant, so a new kind fails to compile in every std::visit until it
// is handled.
//
// Byte order: data holds the bytes the kernel holds. Network-order fields
// are big-endian; host-order integers (meta mark, ct state, ...) are in the
// byte order of the machine nftc runs on, which is the kernel nftc talks to.
// Such values are marked host_endian, as nft marks them for libnftnl, whose
// debug output then reads them back as numbers.
#pragma once

// <netinet/in.h> must come before <linux/netfilter.h>: the kernel's
// <linux/in.h> steps aside for glibc's definitions only in that order. So
// include this header before any <linux/...> header of your own.
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compiler/source.hpp"

namespace nftc::bc {

// Kernel constants newer than the uapi header Debian 12 ships (Linux 6.1),
// named after their uapi names. The values are kernel ABI and cannot change.
namespace uapi {
inline constexpr std::uint32_t kPayloadTunnelHeader = 4;  // NFT_PAYLOAD_TUN_HEADER
// NFT_BITWISE_MASK_XOR: 6.1 headers before 6.1.187 call it NFT_BITWISE_BOOL.
inline constexpr std::uint32_t kBitwiseMaskXor = 0;
inline constexpr std::uint32_t kBitwiseAnd = 3;           // NFT_BITWISE_AND
inline constexpr std::uint32_t kBitwiseOr = 4;            // NFT_BITWISE_OR
inline constexpr std::uint32_t kBitwiseXor = 5;           // NFT_BITWISE_XOR
inline constexpr std::uint32_t kMetaBriBroute = 35;       // NFT_META_BRI_BROUTE
inline constexpr std::uint32_t kMetaBriIifHwaddr = 37;    // NFT_META_BRI_IIFHWADDR
inline constexpr std::uint32_t kInnerVxlan = 1;           // enum nft_inner_type
inline constexpr std::uint32_t kInnerGeneve = 2;
inline constexpr std::uint32_t kInnerHdrsize = 1 << 0;  // enum nft_inner_flags
inline constexpr std::uint32_t kInnerLl = 1 << 1;
inline constexpr std::uint32_t kInnerNh = 1 << 2;
inline constexpr std::uint32_t kInnerTh = 1 << 3;
// nft's element userdata flag for an interval without an end ("10-").
inline constexpr std::uint32_t kElemIntervalOpen = 1;
}  // namespace uapi

// Up to NFT_DATA_VALUE_MAXLEN bytes, stored inline: values and set elements
// are many and small, so they cost no allocation each.
class Bytes {
 public:
  static constexpr std::size_t kCapacity = 64;  // NFT_DATA_VALUE_MAXLEN

  Bytes() = default;
  Bytes(std::initializer_list<std::uint8_t> bytes);
  explicit Bytes(std::span<const std::uint8_t> bytes);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::uint8_t* data() const { return buf_.data(); }
  std::uint8_t* data() { return buf_.data(); }
  const std::uint8_t* begin() const { return buf_.data(); }
  const std::uint8_t* end() const { return buf_.data() + size_; }
  std::uint8_t* begin() { return buf_.data(); }
  std::uint8_t* end() { return buf_.data() + size_; }
  std::uint8_t operator[](std::size_t i) const { return buf_[i]; }
  std::uint8_t& operator[](std::size_t i) { return buf_[i]; }
  std::span<const std::uint8_t> span() const { return {buf_.data(), size_}; }

  // Throws std::length_error past kCapacity.
  void push_back(std::uint8_t b);
  void append(std::span<const std::uint8_t> bytes);
  void resize(std::size_t n);  // new bytes are zero
  void clear() { size_ = 0; }

  bool operator==(const Bytes& o) const;

 private:
  std::array<std::uint8_t, kCapacity> buf_{};
  std::uint8_t size_ = 0;
};

// A register as the kernel numbers it (enum nft_registers): NFT_REG_VERDICT
// (0), the 16-byte NFT_REG_1..4 (1-4) and the 4-byte NFT_REG32_00..15
// (8-23). NFT_REG_1 overlays NFT_REG32_00..03, and so on.
struct Reg {
  std::uint32_t number = NFT_REG_VERDICT;

  static constexpr Reg verdict() { return {NFT_REG_VERDICT}; }
  static constexpr Reg r128(std::uint32_t n) { return {NFT_REG_1 + n - 1}; }  // n in 1..4
  static constexpr Reg r32(std::uint32_t n) { return {NFT_REG32_00 + n}; }    // n in 0..15
  // The 4-byte slot (0-15) where the register's data begins; none for the
  // verdict register or an invalid number.
  std::optional<std::uint32_t> slot() const;

  bool operator==(const Reg&) const = default;
};

// An expression operand: cmp and range data, bitwise masks, immediates.
// libnftnl takes one byte-order flag for an operand and no field sizes, so
// for a concatenation nft passes the first field's: do the same.
struct Value {
  Bytes bytes;               // what the kernel holds
  bool host_endian = false;  // a host-order integer (see the file comment)

  // An unsigned integer in network byte order, `len` bytes wide.
  static Value big_endian(std::uint64_t v, std::size_t len);
  // An unsigned integer in the host's byte order, `len` bytes wide.
  static Value host(std::uint64_t v, std::size_t len);
  // A string NUL-padded to `len` bytes (interface names, ...).
  static Value string(std::string_view s, std::size_t len);

  bool operator==(const Value&) const = default;
};

// One field of a concatenation: its length without padding, and its order.
struct Field {
  std::uint32_t len = 0;
  bool host_endian = false;
  bool operator==(const Field&) const = default;
};

// A verdict: NF_ACCEPT, NF_DROP, NF_QUEUE, NFT_CONTINUE, NFT_BREAK,
// NFT_JUMP, NFT_GOTO, NFT_RETURN, ...; jump and goto name their chain.
struct Verdict {
  std::int32_t code = NF_DROP;
  std::string chain;
  std::uint32_t chain_id = 0;  // an anonymous chain of the same batch (NFTA_VERDICT_CHAIN_ID)
  bool operator==(const Verdict&) const = default;
};

// A heap-held value with value semantics, for the one expression that nests
// another (inner).
template <class T>
class Box {
 public:
  Box() : p_(std::make_unique<T>()) {}
  Box(T v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT: implicit on purpose
  Box(const Box& o) : p_(std::make_unique<T>(*o.p_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = std::make_unique<T>(*o.p_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;
  const T& operator*() const { return *p_; }
  T& operator*() { return *p_; }
  const T* operator->() const { return p_.get(); }
  T* operator->() { return p_.get(); }
  bool operator==(const Box& o) const { return *p_ == *o.p_; }

 private:
  std::unique_ptr<T> p_;
};

struct Expr;

// ---- Data movement and comparison -----------------------------------------

// A payload expression with a destination register.
struct PayloadLoad {
  std::uint32_t base = NFT_PAYLOAD_NETWORK_HEADER;  // NFT_PAYLOAD_*, uapi::kPayloadTunnelHeader
  std::uint32_t offset = 0;                         // bytes from the base
  std::uint32_t len = 0;                            // bytes
  Reg dreg;
  bool operator==(const PayloadLoad&) const = default;
};

// A payload expression with a source register: packet mangling.
struct PayloadSet {
  std::uint32_t base = NFT_PAYLOAD_NETWORK_HEADER;
  std::uint32_t offset = 0;
  std::uint32_t len = 0;
  Reg sreg;
  std::uint32_t csum_type = NFT_PAYLOAD_CSUM_NONE;  // NFT_PAYLOAD_CSUM_*
  std::uint32_t csum_offset = 0;
  std::uint32_t csum_flags = 0;  // NFT_PAYLOAD_L4CSUM_PSEUDOHDR
  bool operator==(const PayloadSet&) const = default;
};

struct Cmp {
  std::uint32_t op = NFT_CMP_EQ;  // NFT_CMP_*
  Reg sreg;
  Value data;
  bool operator==(const Cmp&) const = default;
};

struct Range {
  std::uint32_t op = NFT_RANGE_EQ;  // NFT_RANGE_*
  Reg sreg;
  Value from, to;
  bool operator==(const Range&) const = default;
};

// uapi::kBitwiseMaskXor (NFT_BITWISE_MASK_XOR) uses mask and xor_value; the shifts use data (the
// shift count, a host-order u32); AND/OR/XOR use data or sreg2.
struct Bitwise {
  std::uint32_t op = uapi::kBitwiseMaskXor;  // NFT_BITWISE_*, uapi::kBitwise*
  // nft leaves NFTA_BITWISE_OP out for prefix masks and flag tests (the
  // kernel's default is mask-and-xor) but sends it for `&`, `|` and `^`.
  bool op_explicit = false;
  Reg sreg, dreg;
  std::uint32_t len = 0;
  Value mask, xor_value, data;
  std::optional<Reg> sreg2;
  bool operator==(const Bitwise&) const = default;
};

struct Byteorder {
  std::uint32_t op = NFT_BYTEORDER_HTON;  // NFT_BYTEORDER_*
  Reg sreg, dreg;
  std::uint32_t len = 0;   // bytes to convert
  std::uint32_t size = 0;  // width of each item: 2, 4 or 8
  bool operator==(const Byteorder&) const = default;
};

struct Immediate {
  Reg dreg;
  std::variant<Value, Verdict> data;  // a verdict goes to NFT_REG_VERDICT
  bool operator==(const Immediate&) const = default;
};

// ---- Sets -----------------------------------------------------------------

struct Lookup {
  Reg sreg;
  std::optional<Reg> dreg;   // maps
  std::string set;           // "__set%d" for an anonymous set
  std::uint32_t set_id = 0;  // NFTA_LOOKUP_SET_ID, for a set of the same transaction
  std::uint32_t flags = 0;   // NFT_LOOKUP_F_INV
  bool operator==(const Lookup&) const = default;
};

struct Dynset {
  std::uint32_t op = NFT_DYNSET_OP_ADD;  // NFT_DYNSET_OP_*
  Reg sreg_key;
  std::optional<Reg> sreg_data;
  std::string set;
  std::uint32_t set_id = 0;
  std::uint64_t timeout_ms = 0;  // 0: none given
  std::uint32_t flags = 0;       // NFT_DYNSET_F_*
  std::vector<Expr> exprs;       // stateful expressions for the new element
  bool operator==(const Dynset&) const;
};

// An objref through a map (NFTA_OBJREF_SET_*).
struct ObjrefMap {
  Reg sreg;
  std::string set;
  std::uint32_t set_id = 0;
  bool operator==(const ObjrefMap&) const = default;
};

// An objref to a named stateful object; secmark is one.
struct Objref {
  std::uint32_t type = NFT_OBJECT_COUNTER;  // NFT_OBJECT_*
  std::string name;
  bool operator==(const Objref&) const = default;
};

// ---- Packet and connection metadata ---------------------------------------

struct MetaLoad {
  std::uint32_t key = NFT_META_LEN;  // NFT_META_*, uapi::kMetaBri*
  Reg dreg;
  bool operator==(const MetaLoad&) const = default;
};

struct MetaSet {
  std::uint32_t key = NFT_META_MARK;
  Reg sreg;
  bool operator==(const MetaSet&) const = default;
};

struct CtLoad {
  std::uint32_t key = NFT_CT_STATE;  // NFT_CT_*
  Reg dreg;
  std::optional<std::uint8_t> dir;  // IP_CT_DIR_ORIGINAL (0) or IP_CT_DIR_REPLY (1)
  bool operator==(const CtLoad&) const = default;
};

struct CtSet {
  std::uint32_t key = NFT_CT_MARK;
  Reg sreg;
  std::optional<std::uint8_t> dir;
  bool operator==(const CtSet&) const = default;
};

struct ExthdrLoad {
  std::uint32_t op = NFT_EXTHDR_OP_IPV6;  // NFT_EXTHDR_OP_*
  std::uint8_t type = 0;                  // header, option or chunk type
  std::uint32_t offset = 0;
  std::uint32_t len = 0;
  std::uint32_t flags = 0;  // NFT_EXTHDR_F_PRESENT
  Reg dreg;
  bool operator==(const ExthdrLoad&) const = default;
};

struct ExthdrSet {
  std::uint32_t op = NFT_EXTHDR_OP_TCPOPT;
  std::uint8_t type = 0;
  std::uint32_t offset = 0;
  std::uint32_t len = 0;
  Reg sreg;
  bool operator==(const ExthdrSet&) const = default;
};

// An exthdr without registers: it strips a TCP option.
struct ExthdrReset {
  std::uint32_t op = NFT_EXTHDR_OP_TCPOPT;
  std::uint8_t type = 0;
  bool operator==(const ExthdrReset&) const = default;
};

struct Rt {
  std::uint32_t key = NFT_RT_CLASSID;  // NFT_RT_*
  Reg dreg;
  bool operator==(const Rt&) const = default;
};

struct Socket {
  std::uint32_t key = NFT_SOCKET_TRANSPARENT;  // NFT_SOCKET_*
  Reg dreg;
  std::uint32_t level = 0;  // cgroupv2 ancestor level
  bool operator==(const Socket&) const = default;
};

struct Osf {
  Reg dreg;
  std::uint8_t ttl = 0;     // NF_OSF_TTL_*
  std::uint32_t flags = 0;  // NFT_OSF_F_VERSION
  bool operator==(const Osf&) const = default;
};

struct Fib {
  std::uint32_t flags = 0;                    // NFTA_FIB_F_*
  std::uint32_t result = NFT_FIB_RESULT_OIF;  // NFT_FIB_RESULT_*
  Reg dreg;
  bool operator==(const Fib&) const = default;
};

struct Xfrm {
  std::uint32_t key = NFT_XFRM_KEY_SPI;  // NFT_XFRM_KEY_*
  std::uint8_t dir = 0;                  // XFRM_POLICY_IN (0) or _OUT (1)
  std::uint32_t spnum = 0;               // index in the secpath
  Reg dreg;
  bool operator==(const Xfrm&) const = default;
};

struct Tunnel {
  std::uint32_t key = NFT_TUNNEL_PATH;  // NFT_TUNNEL_*
  Reg dreg;
  bool operator==(const Tunnel&) const = default;
};

struct Numgen {
  Reg dreg;
  std::uint32_t type = NFT_NG_INCREMENTAL;  // NFT_NG_*
  std::uint32_t modulus = 0;
  std::uint32_t offset = 0;
  bool operator==(const Numgen&) const = default;
};

struct Hash {
  std::uint32_t type = NFT_HASH_JENKINS;  // NFT_HASH_*
  Reg sreg, dreg;                         // symhash reads no register
  std::uint32_t len = 0;
  std::uint32_t modulus = 0;
  std::optional<std::uint32_t> seed;  // none: the kernel picks a random one
  std::uint32_t offset = 0;
  bool operator==(const Hash&) const = default;
};

// An expression applied to the inner headers of a tunnel packet.
struct Inner {
  std::uint32_t num = 0;    // NFTA_INNER_NUM
  std::uint32_t type = 0;   // uapi::kInner* (nft adds GRE and gretap after them)
  std::uint32_t flags = 0;  // uapi::kInner{Hdrsize,Ll,Nh,Th}
  std::uint32_t hdrsize = 0;
  Box<Expr> expr;  // a payload or meta load
  bool operator==(const Inner&) const;
};

// ---- Statements -----------------------------------------------------------

struct Counter {
  std::uint64_t packets = 0, bytes = 0;
  bool operator==(const Counter&) const = default;
};

struct Limit {
  std::uint64_t rate = 0;
  std::uint64_t unit = 1;  // seconds per period
  std::uint32_t burst = 0;
  std::uint32_t type = NFT_LIMIT_PKTS;  // NFT_LIMIT_*
  std::uint32_t flags = 0;              // NFT_LIMIT_F_INV
  bool operator==(const Limit&) const = default;
};

struct Quota {
  std::uint64_t bytes = 0, consumed = 0;
  std::uint32_t flags = 0;  // NFT_QUOTA_F_*
  bool operator==(const Quota&) const = default;
};

struct Connlimit {
  std::uint32_t count = 0;
  std::uint32_t flags = 0;  // NFT_CONNLIMIT_F_INV
  bool operator==(const Connlimit&) const = default;
};

struct Last {
  bool set = false;         // false: never seen
  std::uint64_t msecs = 0;  // since the last match
  bool operator==(const Last&) const = default;
};

// Unset attributes are not sent, and that matters: a snaplen of 0 copies
// nothing, no snaplen the whole packet. libnftnl prints snaplen and
// qthreshold (0 when unset) only with a group, level and flags only
// without one.
struct Log {
  std::optional<std::string> prefix;
  std::optional<std::uint16_t> group;
  std::optional<std::uint32_t> snaplen;
  std::optional<std::uint16_t> qthreshold;
  std::optional<std::uint32_t> level;  // NFT_LOGLEVEL_*
  std::optional<std::uint32_t> flags;  // NF_LOG_* (linux/netfilter/nf_log.h)
  bool operator==(const Log&) const = default;
};

struct Reject {
  std::uint32_t type = NFT_REJECT_ICMP_UNREACH;  // NFT_REJECT_*
  std::uint8_t icmp_code = 0;
  bool operator==(const Reject&) const = default;
};

struct Nat {
  std::uint32_t type = NFT_NAT_SNAT;  // NFT_NAT_*
  std::uint32_t family = NFPROTO_IPV4;
  std::optional<Reg> addr_min, addr_max, proto_min, proto_max;
  std::optional<std::uint32_t> flags;  // NF_NAT_RANGE_* (linux/netfilter/nf_nat.h)
  bool operator==(const Nat&) const = default;
};

struct Masq {
  std::optional<Reg> proto_min, proto_max;
  std::optional<std::uint32_t> flags;
  bool operator==(const Masq&) const = default;
};

struct Redir {
  std::optional<Reg> proto_min, proto_max;
  std::optional<std::uint32_t> flags;
  bool operator==(const Redir&) const = default;
};

struct Tproxy {
  std::uint32_t family = NFPROTO_UNSPEC;
  std::optional<Reg> addr, port;
  bool operator==(const Tproxy&) const = default;
};

struct Queue {
  std::uint16_t num = 0;         // the first queue
  std::uint16_t total = 0;       // how many queues, from num on
  std::uint16_t flags = 0;       // NFT_QUEUE_FLAG_*
  std::optional<Reg> sreg_qnum;  // the queue number comes from a register
  bool operator==(const Queue&) const = default;
};

struct Dup {
  std::optional<Reg> sreg_addr, sreg_dev;
  bool operator==(const Dup&) const = default;
};

struct Fwd {
  std::optional<Reg> sreg_dev, sreg_addr;
  std::optional<std::uint32_t> nfproto;
  bool operator==(const Fwd&) const = default;
};

struct Notrack {
  bool operator==(const Notrack&) const = default;
};

struct Synproxy {
  std::uint16_t mss = 0;
  std::uint8_t wscale = 0;
  std::uint32_t flags = 0;  // NF_SYNPROXY_OPT_*
  bool operator==(const Synproxy&) const = default;
};

struct FlowOffload {
  std::string flowtable;
  bool operator==(const FlowOffload&) const = default;
};

using ExprKind =
    std::variant<PayloadLoad, PayloadSet, Cmp, Range, Bitwise, Byteorder, Immediate, Lookup, Dynset,
                 ObjrefMap, Objref, MetaLoad, MetaSet, CtLoad, CtSet, ExthdrLoad, ExthdrSet, ExthdrReset, Rt,
                 Socket, Osf, Fib, Xfrm, Tunnel, Numgen, Hash, Inner, Counter, Limit, Quota, Connlimit, Last,
                 Log, Reject, Nat, Masq, Redir, Tproxy, Queue, Dup, Fwd, Notrack, Synproxy, FlowOffload>;

// An expression and where it came from. Equality compares what the kernel
// sees, not where it came from: spans are left out.
struct Expr {
  ExprKind kind;
  Span span;

  bool operator==(const Expr& o) const { return kind == o.kind; }
};

// libnftnl's name of the expression ("payload", "cmp", ...): what
// nftnl_expr_alloc takes and what the debug text shows.
std::string_view expr_name(const ExprKind& kind);

// The registers an expression reads and the one it writes, for data flow
// over a rule. Verdict immediates write NFT_REG_VERDICT.
struct RegisterUse {
  std::vector<Reg> reads;
  std::optional<Reg> writes;
};
RegisterUse register_use(const ExprKind& kind);

// ---- Sets and rules -------------------------------------------------------

// An objmap element's object.
struct ObjectName {
  std::string name;
  bool operator==(const ObjectName&) const = default;
};

struct SetElement {
  Bytes key;                     // empty for the catch-all element
  std::optional<Bytes> key_end;  // intervals of concatenations
  std::variant<std::monostate, Bytes, Verdict, ObjectName> data;
  std::uint32_t flags = 0;  // NFT_SET_ELEM_INTERVAL_END, NFT_SET_ELEM_CATCHALL
  std::optional<std::uint64_t> timeout_ms;
  std::optional<std::uint64_t> expiration_ms;
  std::optional<std::string> comment;  // userdata
  bool interval_open = false;          // userdata: uapi::kElemIntervalOpen
  std::vector<Expr> exprs;             // per-element stateful expressions
  Span span;                           // the element as written

  bool operator==(const SetElement& o) const;  // ignores span
};

// A set as nft creates it: anonymous ones in the same transaction as the
// rule that uses them, named ones with their table.
struct Set {
  std::string name;  // "__set%d", "__map%d", "__objmap%d": the kernel numbers them
  std::string table;
  std::uint32_t family = NFPROTO_UNSPEC;
  std::uint32_t id = 0;         // NFTA_SET_ID, how expressions of the same transaction name it
  std::uint32_t flags = 0;      // NFT_SET_*
  std::uint32_t key_type = 0;   // nft datatype id (concatenations combine them)
  std::uint32_t key_len = 0;    // bytes
  std::uint32_t data_type = 0;  // maps: nft datatype id, or NFT_DATA_VERDICT
  std::uint32_t data_len = 0;
  std::uint32_t obj_type = 0;           // objmaps: NFT_OBJECT_*
  std::optional<std::uint32_t> size;    // NFTA_SET_DESC_SIZE
  std::optional<std::uint32_t> policy;  // NFT_SET_POL_*
  std::optional<std::uint64_t> timeout_ms;
  std::optional<std::uint32_t> gc_interval_ms;
  // How keys and data split into fields (NFTA_SET_DESC_CONCAT gives the key
  // field lengths); every element shares it. Empty: one big-endian field.
  std::vector<Field> key_fields;
  std::vector<Field> data_fields;
  std::vector<Expr> exprs;  // stateful expressions every element gets
  std::vector<SetElement> elements;
  Span span;

  bool operator==(const Set& o) const;  // ignores span
};

struct Rule {
  std::uint32_t family = NFPROTO_UNSPEC;  // NFPROTO_*
  std::string table;
  std::string chain;
  std::vector<Set> anonymous_sets;  // created before the rule, in order
  std::vector<Expr> exprs;
  std::optional<std::string> comment;  // userdata
  Span span;

  bool operator==(const Rule& o) const;  // ignores spans
};

// The userdata bytes nft attaches, in libnftnl's type-length-value layout.
std::vector<std::uint8_t> rule_userdata(const Rule& rule);
std::vector<std::uint8_t> element_userdata(const SetElement& element);

}  // namespace nftc::bc
