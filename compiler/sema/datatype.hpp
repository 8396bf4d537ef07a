// Datatypes: what a value means (an IPv4 address, a TCP flag, a service),
// how its text is parsed and how it is printed. The ids are nft's (enum
// datatypes), which the kernel stores as set key types; concatenation types
// pack their members' ids in 6-bit groups (TYPE_BITS).
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>

#include "compiler/sema/ir.hpp"
#include "compiler/sema/value.hpp"

namespace nftc::sema {

enum TypeId : std::uint32_t {
  TYPE_INVALID, TYPE_VERDICT, TYPE_NFPROTO, TYPE_BITMASK, TYPE_INTEGER, TYPE_STRING, TYPE_LLADDR, TYPE_IPADDR,
  TYPE_IP6ADDR, TYPE_ETHERADDR, TYPE_ETHERTYPE, TYPE_ARPOP, TYPE_INET_PROTOCOL, TYPE_INET_SERVICE, TYPE_ICMP_TYPE,
  TYPE_TCP_FLAG, TYPE_DCCP_PKTTYPE, TYPE_MH_TYPE, TYPE_TIME, TYPE_MARK, TYPE_IFINDEX, TYPE_ARPHRD, TYPE_REALM,
  TYPE_CLASSID, TYPE_UID, TYPE_GID, TYPE_CT_STATE, TYPE_CT_DIR, TYPE_CT_STATUS, TYPE_ICMP6_TYPE, TYPE_CT_LABEL,
  TYPE_PKTTYPE, TYPE_ICMP_CODE, TYPE_ICMPV6_CODE, TYPE_ICMPX_CODE, TYPE_DEVGROUP, TYPE_DSCP, TYPE_ECN,
  TYPE_FIB_ADDR, TYPE_BOOLEAN, TYPE_CT_EVENTBIT, TYPE_IFNAME, TYPE_IGMP_TYPE, TYPE_TIME_DATE, TYPE_TIME_HOUR,
  TYPE_TIME_DAY, TYPE_CGROUPV2,
  TYPE_MAX = TYPE_CGROUPV2,
};
inline constexpr unsigned kTypeBits = 6;
inline constexpr std::uint32_t kTypeMask = (1u << kTypeBits) - 1;

struct SymbolicConstant {
  std::string_view identifier;
  std::uint64_t value;
};

struct SymbolTable {
  enum Base : std::uint8_t { hexadecimal, decimal };
  Base base = decimal;
  std::span<const SymbolicConstant> symbols;
};

class ParseCtx;
struct Datatype;

// Parses `sym` (kind symbol, dtype set to the expected type) into a constant
// expression in `out`, or reports an error through ctx and returns false.
using ParseFn = bool (*)(ParseCtx& ctx, const Expr& sym, Expr*& out);
// Prints a constant of this type as nft lists it.
using PrintFn = void (*)(const Expr& e, std::string& out, const struct PrintOptions& opts);

struct Datatype {
  std::uint32_t type = TYPE_INVALID;
  ByteOrder byteorder = ByteOrder::invalid;
  bool is_typeof = false;
  unsigned size = 0;       // bits; 0 for variable size
  unsigned subtypes = 0;   // concatenations: the number of members
  std::string_view name{};
  std::string_view desc{};
  const Datatype* basetype = nullptr;
  std::string_view basefmt{};  // printf-like hint for the base printer ("0x%Zx")
  ParseFn parse = nullptr;
  PrintFn print = nullptr;
  const SymbolTable* sym_tbl = nullptr;
  // Runtime-built types (concatenations, clones) own their strings here.
  std::string owned_name{}, owned_desc{};
};

struct PrintOptions {
  bool numeric_symbols = false;  // -n: no symbolic constants
  bool services = false;         // -S: service names for ports
  bool numeric_protocols = false;
  bool numeric_time = false;     // -T
};

// The context parse functions work in: where to allocate, where to report.
class ParseCtx {
 public:
  virtual ~ParseCtx() = default;
  virtual IrArena& arena() = 0;
  // Reports an error at `span`; always returns false, for `return ctx.error(…)`.
  virtual bool error(Span span, std::string message) = 0;
  virtual bool error_with_help(Span span, std::string message, std::string help) = 0;

  // A constant expression of type `dtype` (nft's constant_expr_alloc).
  Expr* constant(Span span, const Datatype* dtype, ByteOrder order, unsigned len_bits, const Value& v);
  // A constant from raw bytes in `order` (nft's constant_expr_alloc with data).
  Expr* constant_bytes(Span span, const Datatype* dtype, ByteOrder order, unsigned len_bits,
                       std::span<const std::uint8_t> bytes);
};

// Built-in types.
extern const Datatype invalid_type, verdict_type, nfproto_type, bitmask_type, integer_type, xinteger_type,
    queue_type, string_type, lladdr_type, ipaddr_type, ip6addr_type, etheraddr_type, ethertype_type, arpop_type,
    inet_protocol_type, inet_service_type, icmp_type_type, tcp_flag_type, dccp_pkttype_type, mh_type_type,
    time_type, mark_type, ifindex_type, arphrd_type, realm_type, tchandle_type, uid_type, gid_type, ct_state_type,
    ct_dir_type, ct_status_type, icmp6_type_type, ct_label_type, pkttype_type, icmp_code_type, icmpv6_code_type,
    icmpx_code_type, devgroup_type, dscp_type, ecn_type, fib_addr_type, boolean_type, ct_event_type, ifname_type,
    igmp_type_type, date_type, hour_type, day_type, cgroupv2_type, priority_type, policy_type,
    reject_icmp_code_type, reject_icmpv6_code_type, reject_icmpx_code_type, mptcpopt_subtype,
    sctp_chunk_type_type, dccp_option_type_type;

const Datatype* datatype_lookup(std::uint32_t type);
const Datatype* datatype_lookup_byname(std::string_view name);
inline const Datatype* datatype_basetype(const Datatype* d) { return d->basetype ? d->basetype : d; }
inline bool datatype_equal(const Datatype* a, const Datatype* b) { return a->type == b->type; }
// A 16-bit value with its two bytes swapped: a host-order constant as it is
// read from a big-endian (network order) field on a little-endian host.
constexpr std::uint16_t be16(std::uint16_t v) { return static_cast<std::uint16_t>((v >> 8) | (v << 8)); }
bool datatype_prefix_notation(const Datatype* d);

// Types built at run time, owned by a TypeStore that lives as long as the
// IR (nft reference-counts them).
class TypeStore {
 public:
  const Datatype* concat_type(std::uint32_t type);
  const Datatype* set_datatype(const Datatype* orig, ByteOrder order);
  Datatype* clone(const Datatype* orig);

 private:
  std::deque<Datatype> types_;
};

inline std::uint32_t concat_subtype_add(std::uint32_t type, std::uint32_t subtype) {
  return type << kTypeBits | subtype;
}
inline std::uint32_t concat_subtype_id(std::uint32_t type, unsigned n) { return (type >> (kTypeBits * n)) & kTypeMask; }
inline const Datatype* concat_subtype_lookup(std::uint32_t type, unsigned n) {
  return datatype_lookup(concat_subtype_id(type, n));
}

// Runs the parser of `sym->dtype` or of its base types (nft's symbol_parse).
bool symbol_parse(ParseCtx& ctx, const Expr& sym, Expr*& out);
bool symbolic_constant_parse(ParseCtx& ctx, const Expr& sym, const SymbolTable& tbl, Expr*& out);

// Prints a constant expression as nft does (datatype_print).
void datatype_print(const Expr& e, std::string& out, const PrintOptions& opts);
// Prints a constant as its symbol in `tbl` (quoted if `quotes`), or else with
// its root base type's printer (nft's symbolic_constant_print).
void symbolic_constant_print(const SymbolTable* tbl, const Expr& e, bool quotes, std::string& out,
                             const PrintOptions& opts);

// Time strings: "1d2h3m4s5ms" → milliseconds; plain numbers are seconds.
bool time_parse(std::string_view text, std::uint64_t& ms, std::string& error);
std::string time_to_string(std::uint64_t ms);

// Names from nft's built-in view of /etc/services and /etc/protocols, so
// results never depend on the machine.
std::optional<std::uint16_t> service_port(std::string_view name);
std::string_view service_name(std::uint16_t port);
std::optional<std::uint8_t> protocol_number(std::string_view name);
std::string_view protocol_name(std::uint8_t number);

}  // namespace nftc::sema
