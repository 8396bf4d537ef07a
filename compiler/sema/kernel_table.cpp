// The kernel's checks as data (see kernel_table.hpp). Every row names the
// kernel function it stands for; docs/kernel-checks.md lists the rows with
// what was verified against a running 6.18 kernel.
#include "compiler/sema/kernel_table.hpp"

#include <linux/netfilter/nf_tables.h>

#include <string>
#include <vector>

#include "compiler/bytecode.hpp"

namespace nftc::sema::kern {

namespace {

constexpr std::uint8_t kInetHooks = kPre | kIn | kFwd | kOut | kPost;

// Where each expression may run: the validate callbacks of the expression
// modules, as of Linux 6.18.44.
constexpr HookRule kHookRules[] = {
    // net/netfilter/nft_fib.c nft_fib_validate; nft_fib_netdev.c
    // nft_fib_netdev_validate (added in 6.18.42: netdev egress has no input
    // device).
    {Op::fib, Match::fib_oif, 0, "fib with an oif or oifname result",
     {{{kInetLike, kPre | kIn | kFwd}, {kNetdev, kIngress}}}, false,
     "nft_fib.c nft_fib_validate, nft_fib_netdev.c nft_fib_netdev_validate"},
    {Op::fib, Match::fib_type_iif, 0, "fib … iif type",
     {{{kInetLike, kPre | kIn | kFwd}, {kNetdev, kIngress}}}, false,
     "nft_fib.c nft_fib_validate, nft_fib_netdev.c nft_fib_netdev_validate"},
    {Op::fib, Match::fib_type_oif, 0, "fib … oif type",
     {{{kInetLike, kFwd | kOut | kPost}, {kNetdev, kEgress}}}, false,
     "nft_fib.c nft_fib_validate, nft_fib_netdev.c nft_fib_netdev_validate"},
    {Op::fib, Match::fib_type, 0, "fib type",
     {{{kInetLike, kInetHooks}, {kNetdev, kIngress | kEgress}}}, false,
     "nft_fib.c nft_fib_validate, nft_fib_netdev.c nft_fib_netdev_validate"},

    // net/netfilter/nft_meta.c, net/bridge/netfilter/nft_meta_bridge.c
    {Op::meta_set, Match::key, NFT_META_PKTTYPE, "meta pkttype set",
     {{{kInetLike, kPre}, {kBridge, kPre}, {kNetdev, kIngress}}}, false, "nft_meta.c nft_meta_set_validate"},
    {Op::meta_set, Match::key, bc::uapi::kMetaBriBroute, "meta broute set", {{{kBridge, kPre}}}, false,
     "nft_meta_bridge.c nft_meta_bridge_set_validate"},
    {Op::meta_get, Match::key, NFT_META_SECPATH, "meta ipsec", {{{kInetLike, kPre | kIn | kFwd}, {kNetdev, kIngress}}},
     false, "nft_meta.c nft_meta_get_validate_xfrm"},
    {Op::meta_get, Match::key, NFT_META_SDIF, "meta sdif", {{{kInetLike, kIn | kFwd}}}, false,
     "nft_meta.c nft_meta_get_validate_sdif"},
    {Op::meta_get, Match::key, NFT_META_SDIFNAME, "meta sdifname", {{{kInetLike, kIn | kFwd}}}, false,
     "nft_meta.c nft_meta_get_validate_sdif"},

    // NAT: the chain must be of type nat (nft_chain_validate_dependency).
    {Op::snat, Match::any, 0, "snat", {{{kInetLike, kPost | kIn}}}, true, "nft_nat.c nft_nat_validate"},
    {Op::dnat, Match::any, 0, "dnat", {{{kInetLike, kPre | kOut}}}, true, "nft_nat.c nft_nat_validate"},
    {Op::masq, Match::any, 0, "masquerade", {{{kInetLike, kPost}}}, true, "nft_masq.c nft_masq_validate"},
    {Op::redir, Match::any, 0, "redirect", {{{kInetLike, kPre | kOut}}}, true, "nft_redir.c nft_redir_validate"},

    {Op::reject, Match::any, 0, "reject",
     {{{kIp | kIp6, kPre | kIn | kFwd | kOut},
       {kInet, kPre | kIn | kFwd | kOut | kInetIngress},
       {kBridge, kPre | kIn},
       {kNetdev, kIngress}}},
     false,
     "nft_reject.c nft_reject_validate, nft_reject_inet.c, nft_reject_bridge.c, nft_reject_netdev.c (validate)"},
    {Op::tproxy, Match::any, 0, "tproxy", {{{kInetLike, kPre}}}, false, "nft_tproxy.c nft_tproxy_validate"},
    {Op::queue, Match::any, 0, "queue", {{{kInetLike | kBridge, kInetHooks}}}, false,
     "nft_queue.c nft_queue_validate"},
    {Op::fwd, Match::any, 0, "fwd", {{{kNetdev, kIngress | kEgress}}}, false,
     "nft_fwd_netdev.c nft_fwd_validate"},
    // dup in ip and ip6 (nft_dup_ipv4.c, nft_dup_ipv6.c) has no validate.
    {Op::dup, Match::any, 0, "dup",
     {{{kNetdev, kIngress | kEgress}, {kInetLike | kArp | kBridge, kAnyHook}}}, false,
     "nft_dup_netdev.c nft_dup_netdev_validate"},
    {Op::synproxy, Match::any, 0, "synproxy", {{{kInetLike, kIn | kFwd}}}, false,
     "nft_synproxy.c nft_synproxy_validate"},
    {Op::synproxy_ref, Match::any, 0, "a synproxy object", {{{kInetLike, kIn | kFwd}}}, false,
     "nft_objref.c nft_objref_validate_obj_type"},
    {Op::flow_offload, Match::any, 0, "flow add", {{{kInetLike, kFwd}}}, false,
     "nft_flow_offload.c nft_flow_offload_validate"},
    {Op::socket, Match::any, 0, "socket", {{{kInetLike, kPre | kIn | kOut}}}, false,
     "nft_socket.c nft_socket_validate"},
    // IPv6 went in 6.18.x stable: the fingerprints are IPv4 only.
    {Op::osf, Match::any, 0, "osf", {{{kIp | kInet, kPre | kIn | kFwd}}}, false, "nft_osf.c nft_osf_validate"},
    {Op::xfrm, Match::xfrm_in, 0, "ipsec in", {{{kInetLike, kPre | kIn | kFwd}}}, false,
     "nft_xfrm.c nft_xfrm_validate"},
    {Op::xfrm, Match::xfrm_out, 0, "ipsec out", {{{kInetLike, kFwd | kOut | kPost}}}, false,
     "nft_xfrm.c nft_xfrm_validate"},
    {Op::rt, Match::key, NFT_RT_TCPMSS, "rt mtu", {{{kInetLike, kFwd | kOut | kPost}}}, false,
     "nft_rt.c nft_rt_validate"},
    {Op::rt, Match::any, 0, "rt", {{{kInetLike, kAnyHook}}}, false, "nft_rt.c nft_rt_validate"},
};

constexpr std::uint8_t kGetAll = kAnyFamily;

// nft_meta_get_init / nft_meta_set_init, and the bridge module's
// nft_meta_bridge_get_init / _set_init for the bridge keys.
constexpr MetaKeyRule kMetaKeys[] = {
    {NFT_META_LEN, kGetAll, 0, "nft_meta.c"},
    {NFT_META_PROTOCOL, kGetAll, 0, "nft_meta.c"},
    {NFT_META_NFPROTO, kGetAll, 0, "nft_meta.c"},
    {NFT_META_L4PROTO, kGetAll, 0, "nft_meta.c"},
    {NFT_META_PRIORITY, kGetAll, kAnyFamily, "nft_meta.c"},
    {NFT_META_MARK, kGetAll, kAnyFamily, "nft_meta.c"},
    {NFT_META_IIF, kGetAll, 0, "nft_meta.c"},
    {NFT_META_OIF, kGetAll, 0, "nft_meta.c"},
    {NFT_META_IIFNAME, kGetAll, 0, "nft_meta.c"},
    {NFT_META_OIFNAME, kGetAll, 0, "nft_meta.c"},
    {NFT_META_IIFTYPE, kGetAll, 0, "nft_meta.c"},
    {NFT_META_OIFTYPE, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SKUID, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SKGID, kGetAll, 0, "nft_meta.c"},
    {NFT_META_NFTRACE, 0, kAnyFamily, "nft_meta.c"},
    {NFT_META_RTCLASSID, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SECMARK, kGetAll, kAnyFamily, "nft_meta.c"},
    {NFT_META_PKTTYPE, kGetAll, kAnyFamily, "nft_meta.c"},
    {NFT_META_CPU, kGetAll, 0, "nft_meta.c"},
    {NFT_META_IIFGROUP, kGetAll, 0, "nft_meta.c"},
    {NFT_META_OIFGROUP, kGetAll, 0, "nft_meta.c"},
    {NFT_META_CGROUP, kGetAll, 0, "nft_meta.c"},
    {NFT_META_PRANDOM, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SECPATH, kGetAll, 0, "nft_meta.c"},
    {NFT_META_IIFKIND, kGetAll, 0, "nft_meta.c"},
    {NFT_META_OIFKIND, kGetAll, 0, "nft_meta.c"},
    {NFT_META_TIME_NS, kGetAll, 0, "nft_meta.c"},
    {NFT_META_TIME_DAY, kGetAll, 0, "nft_meta.c"},
    {NFT_META_TIME_HOUR, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SDIF, kGetAll, 0, "nft_meta.c"},
    {NFT_META_SDIFNAME, kGetAll, 0, "nft_meta.c"},
    {NFT_META_BRI_IIFNAME, kBridge, 0, "nft_meta_bridge.c"},
    {NFT_META_BRI_OIFNAME, kBridge, 0, "nft_meta_bridge.c"},
    {NFT_META_BRI_IIFPVID, kBridge, 0, "nft_meta_bridge.c"},
    {NFT_META_BRI_IIFVPROTO, kBridge, 0, "nft_meta_bridge.c"},
    {bc::uapi::kMetaBriBroute, 0, kBridge, "nft_meta_bridge.c"},
    {bc::uapi::kMetaBriIifHwaddr, kBridge, 0, "nft_meta_bridge.c"},
};

// nft_ct_get_init / nft_ct_set_init.
constexpr CtKeyRule kCtKeys[] = {
    {NFT_CT_STATE, true, Dir::none, kAnyFamily, false, Dir::none},
    {NFT_CT_DIRECTION, true, Dir::none, kAnyFamily, false, Dir::none},
    {NFT_CT_STATUS, true, Dir::none, kAnyFamily, false, Dir::none},
    {NFT_CT_MARK, true, Dir::none, kAnyFamily, true, Dir::none},
    {NFT_CT_SECMARK, true, Dir::none, kAnyFamily, true, Dir::none},
    {NFT_CT_EXPIRATION, true, Dir::none, kAnyFamily, false, Dir::none},
    {NFT_CT_HELPER, true, Dir::none, kAnyFamily, false, Dir::none},
    // "For compatibility" the kernel takes a direction it ignores.
    {NFT_CT_L3PROTOCOL, true, Dir::optional, kAnyFamily, false, Dir::none},
    {NFT_CT_PROTOCOL, true, Dir::optional, kAnyFamily, false, Dir::none},
    {NFT_CT_SRC, true, Dir::required, kInetLike, false, Dir::none},
    {NFT_CT_DST, true, Dir::required, kInetLike, false, Dir::none},
    {NFT_CT_PROTO_SRC, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_PROTO_DST, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_LABELS, true, Dir::none, kAnyFamily, true, Dir::none},
    {NFT_CT_PKTS, true, Dir::optional, kAnyFamily, false, Dir::none},
    {NFT_CT_BYTES, true, Dir::optional, kAnyFamily, false, Dir::none},
    {NFT_CT_AVGPKT, true, Dir::optional, kAnyFamily, false, Dir::none},
    {NFT_CT_ZONE, true, Dir::optional, kAnyFamily, true, Dir::optional},
    {NFT_CT_EVENTMASK, false, Dir::none, kAnyFamily, true, Dir::none},
    {NFT_CT_SRC_IP, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_DST_IP, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_SRC_IP6, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_DST_IP6, true, Dir::required, kAnyFamily, false, Dir::none},
    {NFT_CT_ID, true, Dir::none, kAnyFamily, false, Dir::none},
};

// The helpers of net/netfilter/nf_conntrack_{ftp,tftp,sip,irc,amanda,
// netbios_ns,snmp,sane,pptp,h323_main}.c. Names are compared exactly.
constexpr HelperRule kHelpers[] = {
    {"ftp", true, false, true},        {"tftp", false, true, true},   {"sip", true, true, true},
    {"irc", true, false, false},       {"amanda", false, true, true}, {"netbios-ns", false, true, false},
    {"snmp", false, true, false},      {"snmp_trap", false, true, false}, {"sane", true, false, true},
    {"pptp", true, false, false},      {"RAS", false, true, true},    {"Q.931", true, false, true},
};

}  // namespace

std::uint8_t family_bit(Family f) {
  switch (f) {
    case Family::ip: return kIp;
    case Family::ip6: return kIp6;
    case Family::inet: return kInet;
    case Family::arp: return kArp;
    case Family::bridge: return kBridge;
    case Family::netdev: return kNetdev;
  }
  return 0;
}

std::span<const HookRule> hook_rules() { return kHookRules; }

const MetaKeyRule* meta_key_rule(std::uint32_t key) {
  for (const MetaKeyRule& r : kMetaKeys)
    if (r.key == key) return &r;
  return nullptr;
}

const CtKeyRule* ct_key_rule(std::uint32_t key) {
  for (const CtKeyRule& r : kCtKeys)
    if (r.key == key) return &r;
  return nullptr;
}

std::span<const HelperRule> helper_rules() { return kHelpers; }

std::string_view family_name(Family f) {
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

std::string_view hook_name(Family f, unsigned hook) {
  static constexpr std::string_view kInet[] = {"prerouting", "input", "forward", "output", "postrouting", "ingress"};
  static constexpr std::string_view kArpHooks[] = {"input", "output", "forward"};
  static constexpr std::string_view kNetdevHooks[] = {"ingress", "egress"};
  switch (f) {
    case Family::arp: return hook < 3 ? kArpHooks[hook] : "?";
    case Family::netdev: return hook < 2 ? kNetdevHooks[hook] : "?";
    case Family::inet: return hook < 6 ? kInet[hook] : "?";
    default: return hook < 5 ? kInet[hook] : "?";
  }
}

namespace {

std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string answer(std::string_view errno_name) { return "(the kernel answers " + std::string(errno_name) + ")"; }

std::string_view set_word(const Set& set) { return (set.flags & NFT_SET_MAP) ? "map" : "set"; }

std::string chain_desc(const Chain& base) { return "a " + base.type + " chain on the " + base.hook_name + " hook"; }

std::string family_names(std::uint8_t families) {
  std::vector<std::string_view> words;
  for (Family f : {Family::ip, Family::ip6, Family::inet, Family::arp, Family::bridge, Family::netdev})
    if (families & family_bit(f)) words.push_back(family_name(f));
  return join_words(words);
}

std::string hook_names(Family f, std::uint8_t hooks) {
  // The hooks in the order a packet meets them, rather than by number.
  static constexpr unsigned kInetOrder[] = {5, 0, 1, 2, 3, 4};  // inet's ingress first
  static constexpr unsigned kArpOrder[] = {0, 2, 1};
  static constexpr unsigned kNetdevOrder[] = {0, 1};
  std::span<const unsigned> order = f == Family::netdev ? std::span<const unsigned>(kNetdevOrder)
                                    : f == Family::arp  ? std::span<const unsigned>(kArpOrder)
                                    : f == Family::inet ? std::span<const unsigned>(kInetOrder)
                                                        : std::span<const unsigned>(kInetOrder).subspan(1);
  std::vector<std::string_view> words;
  for (unsigned h : order)
    if (hooks & (1u << h)) words.push_back(hook_name(f, h));
  return join_words(words);
}

}  // namespace nftc::sema::kern
