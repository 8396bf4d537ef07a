// What the kernel checks when it receives a rule or an object, as data: the
// validate functions of the expression modules (where an expression may
// run), the init functions (which attributes they accept), and the object
// inits. kernel_checks.cpp is the engine that reads these tables; the table
// with the kernel source of every row is docs/kernel-checks.md.
//
// Hooks are kept as the kernel keeps them: a bit per hook number of the
// table's family (nft_chain_validate_hooks tests 1 << hooknum), so netdev's
// ingress and egress are bits 0 and 1 and inet's ingress is bit 5.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "compiler/sema/ir.hpp"

namespace nftc::sema::kern {

// Families as a set.
enum FamilyBits : std::uint8_t {
  kIp = 1, kIp6 = 2, kInet = 4, kArp = 8, kBridge = 16, kNetdev = 32,
  kInetLike = kIp | kIp6 | kInet,
  kAnyFamily = 63,
};
std::uint8_t family_bit(Family f);

// Hooks as a set, in each family's own numbering.
enum HookBits : std::uint8_t {
  kPre = 1 << 0, kIn = 1 << 1, kFwd = 1 << 2, kOut = 1 << 3, kPost = 1 << 4,  // NF_INET_*, NF_BR_*
  kInetIngress = 1 << 5,                                                     // NF_INET_INGRESS
  kIngress = 1 << 0, kEgress = 1 << 1,                                       // NF_NETDEV_*
  kAnyHook = 0xff,
};

// One expression of a rule as the kernel receives it, by the module that
// implements it.
enum class Op : std::uint8_t {
  fib, meta_get, meta_set, ct_get, ct_set, snat, dnat, masq, redir, reject, tproxy, queue, fwd, dup,
  synproxy, synproxy_ref, flow_offload, socket, osf, xfrm, rt, exthdr_set, numgen, hash, limit, quota, connlimit,
  dynset,  // add, update or delete @set from the packet path
};

// Which instances of an expression a row is about.
enum class Match : std::uint8_t {
  any,
  key,           // the key (meta, ct, rt) is `value`
  fib_oif,       // result oif or oifname
  fib_type_iif,  // result type, looked up with iif
  fib_type_oif,  // result type, looked up with oif
  fib_type,      // result type, neither iif nor oif
  xfrm_in,       // ipsec in
  xfrm_out,      // ipsec out
};

// Families and the hooks in them.
struct Where {
  std::uint8_t families = 0;
  std::uint8_t hooks = 0;
};

// A validate function (nft_chain_validate_hooks, nft_chain_validate_dependency):
// where an expression may run. The kernel runs it for a base chain when the
// rule is added and, for a regular chain, for every base chain that reaches
// it through jumps, gotos and verdict maps; it answers EOPNOTSUPP.
struct HookRule {
  Op op;
  Match match;
  std::uint32_t value;
  std::string_view what;        // the expression, as the message names it
  std::array<Where, 4> where;   // families not listed here: EOPNOTSUPP in any hook
  bool nat_chain;               // only in chains of type nat
  std::string_view source;      // kernel file and function
};
std::span<const HookRule> hook_rules();

// What the kernel's meta and ct modules accept, per key.
enum class Dir : std::uint8_t { none, optional, required };  // NFTA_CT_DIRECTION
struct MetaKeyRule {
  std::uint32_t key;
  std::uint8_t get_families;   // 0: the key cannot be read
  std::uint8_t set_families;   // 0: the key cannot be set
  std::string_view source;
};
struct CtKeyRule {
  std::uint32_t key;
  bool get;                    // nft_ct_get_init knows it
  Dir get_dir;
  std::uint8_t get_families;   // families nft_ct_get_init sizes the key for (else EAFNOSUPPORT)
  bool set;                    // nft_ct_set_init knows it
  Dir set_dir;
};
const MetaKeyRule* meta_key_rule(std::uint32_t key);
const CtKeyRule* ct_key_rule(std::uint32_t key);

// Families where the kernel has connection tracking (nf_ct_netns_get): the
// others answer EPROTO. Bridge needs nf_conntrack_bridge.
inline constexpr std::uint8_t kConntrackFamilies = kInetLike | kBridge;
// Families the fib expression is registered for (else ENOENT).
inline constexpr std::uint8_t kFibFamilies = kInetLike | kNetdev;
// The kernel's jump stack (NFT_JUMP_STACK_SIZE): a chain reached through
// this many jumps from a base chain is refused (EMLINK).
inline constexpr unsigned kJumpStackSize = 16;
// XFRM_MAX_DEPTH: ipsec spnum is below it (else ERANGE).
inline constexpr unsigned kXfrmMaxDepth = 6;
// NFT_SET_EXPR_MAX: statements a set keeps per element (else E2BIG).
inline constexpr unsigned kSetExprMax = 2;
// NFT_LIMIT_PKT_BURST_DEFAULT: the burst of a packet limit that gives none.
inline constexpr unsigned kLimitPktBurstDefault = 5;

// The conntrack helpers the kernel registers (nf_conntrack_*.c): name,
// transport protocols, and whether there is an IPv6 variant.
struct HelperRule {
  std::string_view name;
  bool tcp, udp;
  bool ipv6;
};
std::span<const HelperRule> helper_rules();

std::string_view family_name(Family f);
// "prerouting", "ingress", … for hook number `hook` of family `f`.
std::string_view hook_name(Family f, unsigned hook);
// Message pieces: "(the kernel answers EINVAL)", "set" or "map", "a filter
// chain on the input hook".
std::string answer(std::string_view errno_name);
std::string_view set_word(const Set& set);
std::string chain_desc(const Chain& base);
// The family names in a set, "ip, ip6 and inet".
std::string family_names(std::uint8_t families);
// The hook names in a set for family `f`, "prerouting, input and forward".
std::string hook_names(Family f, std::uint8_t hooks);

}  // namespace nftc::sema::kern
