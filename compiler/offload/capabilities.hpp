// What the kernel offloads to hardware, as data: the chains it binds to a
// NIC, the bytecode expressions, payload fields, meta keys and verdicts it
// turns into a flower classifier, the dependency each field needs, what a
// flowtable accepts, and the kernel release where each of these changed.
//
// The tables follow net/netfilter/nf_tables_offload.c (nft_flow_rule_create,
// nft_chain_offload_support), nft_payload.c (nft_payload_offload_*),
// nft_meta.c, nft_cmp.c, nft_bitwise.c, nft_immediate.c, nft_counter.c,
// nft_fwd_netdev.c and nft_dup_netdev.c; ../shared/offload-kernel.md gives
// the sources and the experiments behind every row. check.hpp walks a rule
// with them, as nft_flow_rule_create does.
#pragma once

// bytecode.hpp first: it orders the libc and kernel headers.
#include "compiler/bytecode.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace nftc::offload {

// A kernel release as major * 1000 + minor (6.18 → 6018).
inline constexpr unsigned version(unsigned major, unsigned minor) { return major * 1000 + minor; }
// The newest kernel the tables describe: the default when the running one is
// unknown, and what a later kernel is treated as.
inline constexpr unsigned kNewestKernel = version(6, 18);

// "6.18" → 6018; nothing for text that is not MAJOR.MINOR[.anything].
std::optional<unsigned> parse_kernel(std::string_view text);
// The running kernel (uname), or kNewestKernel when it cannot be read.
unsigned running_kernel();
// 6018 → "6.18".
std::string kernel_name(unsigned v);

// ---- Chains ---------------------------------------------------------------

// What a chain with `flags offload` must be (nft_chain_offload_support,
// nft_chain_offload_priority, nft_flow_offload_chain,
// nft_flow_rule_offload_commit).
struct ChainRequirements {
  std::uint32_t family = NFPROTO_NETDEV;
  std::uint32_t hook = NF_NETDEV_INGRESS;
  std::int64_t min_priority = 1;      // the priority is the tc priority: 1..USHRT_MAX
  std::int64_t max_priority = 65535;
  std::uint32_t policy = NF_ACCEPT;   // policy drop: EOPNOTSUPP at commit
  unsigned min_devices = 1;           // an empty device list: EINVAL
  unsigned since = version(5, 3);     // NFT_CHAIN_HW_OFFLOAD
  unsigned priority_check_since = version(5, 4);  // 3bc158f8d033
  unsigned family_check_since = version(5, 19);   // 3a41c64d9c11: non-netdev hooks refused early
  unsigned absent_device_since = version(6, 16);  // name-based hooks: a device may not exist yet
};
inline constexpr ChainRequirements kChain{};

// ---- Rules: bytecode expressions -------------------------------------------

// How nft_flow_rule_create treats an expression kind.
enum class Support : std::uint8_t {
  none,        // no .offload callback: EOPNOTSUPP for the whole rule
  yes,         // offloaded as it is
  restricted,  // offloaded under the conditions check.cpp tests (table below)
};

struct ExprCapability {
  std::string_view name;   // what the construct is, for messages ("payload load", "lookup")
  std::string_view syntax; // what the user wrote, for messages ("a set or map lookup")
  Support support = Support::none;
  bool action = false;     // counts as an action (offload_action): accept/drop, fwd, dup
  unsigned since = 0;      // first kernel with the callback (0: none)
  std::string_view source; // the kernel function
};

// One row per alternative of bc::ExprKind, in the same order (checked at
// compile time), so a new bytecode kind cannot be added without a row.
std::span<const ExprCapability> expr_capabilities();
const ExprCapability& capability(const bc::ExprKind& kind);

// Comparison operators (nft_cmp_offload): NFT_CMP_EQ only.
bool cmp_op_offloaded(std::uint32_t op);
// Verdicts an immediate may carry (nft_immediate_offload_verdict).
bool verdict_offloaded(std::int32_t code);

// ---- Rules: matched fields -------------------------------------------------

// The offload dependency context (struct nft_offload_dep): a field that
// names the next header sets it, the next comparison stores its value.
enum class Dep : std::uint8_t { none, network, transport };

// A header field the kernel turns into a flower key.
struct PayloadField {
  std::string_view name;    // "ip saddr"
  std::uint32_t base;       // NFT_PAYLOAD_*_HEADER
  std::uint32_t offset;     // bytes from the base
  std::uint32_t len;        // bytes: a load may be shorter (a prefix), never longer
  std::uint16_t l3 = 0;     // network header: the L3 protocol (ETH_P_IP, ETH_P_IPV6) it needs
  std::uint8_t l4 = 0;      // transport header: the L4 protocol (IPPROTO_TCP, IPPROTO_UDP) it needs
  Dep sets = Dep::none;     // it names the next header
  unsigned since = version(5, 3);
  std::string_view key;     // the flower key it fills, for the report
};
std::span<const PayloadField> payload_fields();
// The field a load at (base, offset) reads, given the protocols known so far;
// nullptr when the kernel offloads nothing there.
const PayloadField* find_field(std::uint32_t base, std::uint32_t offset, std::uint16_t l3, std::uint8_t l4);
// Any field at (base, offset), whatever the protocols: for messages.
const PayloadField* any_field(std::uint32_t base, std::uint32_t offset);

struct MetaKey {
  std::uint32_t key;        // NFT_META_*
  std::string_view name;    // "meta protocol"
  std::uint32_t len;        // bytes of the flower key
  Dep sets = Dep::none;
  unsigned since = version(5, 3);
  bool verified = true;     // `since` read from the kernel history, not inferred
  std::string_view key_name;
};
std::span<const MetaKey> meta_keys();
const MetaKey* find_meta_key(std::uint32_t key);
// meta iiftype is offloaded only when compared with ARPHRD_ETHER.
inline constexpr std::uint16_t kIiftypeEther = 1;

inline constexpr unsigned kCounterSince = version(5, 13);      // nft_counter_offload
inline constexpr unsigned kActionCheckSince = version(5, 4);   // a rule needs an action

// ---- Flowtables ------------------------------------------------------------

// Table families with a flowtable type (nf_flow_table_inet.c).
bool flowtable_family_ok(std::uint32_t family);
// L4 protocols nft_flow_offload_eval offloads; GRE (v0, no NAT) since 5.18.
struct FlowProtocol {
  std::uint8_t proto;
  std::string_view name;
  unsigned since;
};
std::span<const FlowProtocol> flow_protocols();
bool flow_protocol_ok(std::uint8_t proto, unsigned kernel);

// Device names that are virtual devices by convention (bridge, veth, VLAN,
// bond, WireGuard, PPP, tunnels, loopback): a `flags offload` flowtable
// cannot bind to them, and the flowtable should list their lower devices.
struct VirtualDevice {
  std::string_view pattern;  // fnmatch(3)
  std::string_view kind;     // "bridge"
  std::string_view advice;   // what to list instead
};
std::span<const VirtualDevice> virtual_devices();
const VirtualDevice* virtual_device(std::string_view name);

}  // namespace nftc::offload
