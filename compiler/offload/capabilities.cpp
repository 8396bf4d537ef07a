#include "compiler/offload/capabilities.hpp"

#include <fnmatch.h>
#include <sys/utsname.h>

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace nftc::offload {

std::optional<unsigned> parse_kernel(std::string_view text) {
  unsigned major = 0, minor = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, major);
  if (ec != std::errc() || p == end || *p != '.') return std::nullopt;
  auto [q, ec2] = std::from_chars(p + 1, end, minor);
  if (ec2 != std::errc() || minor >= 1000 || major == 0 || major >= 100) return std::nullopt;
  // "6.18.44-fc" and "6.18-rc1" carry a release and a suffix after the minor.
  if (q != end && *q != '.' && *q != '-' && *q != '+') return std::nullopt;
  return version(major, minor);
}

unsigned running_kernel() {
  struct utsname u {};
  if (uname(&u) != 0) return kNewestKernel;
  return parse_kernel(u.release).value_or(kNewestKernel);
}

std::string kernel_name(unsigned v) { return fmt::format("{}.{}", v / 1000, v % 1000); }

// ---- Expressions -----------------------------------------------------------

namespace {

using S = Support;

// In bc::ExprKind order. `since` is the first mainline release with the
// .offload callback; the netdev chain feature itself is 5.3.
constexpr std::array kExprs = {
    ExprCapability{"payload load", "a header field", S::restricted, false, version(5, 3), "nft_payload.c:nft_payload_offload"},
    ExprCapability{"payload set", "a header change (`… set …`)", S::none, false, 0, "nft_payload.c (set ops: no .offload)"},
    ExprCapability{"cmp", "a comparison", S::restricted, false, version(5, 3), "nft_cmp.c:__nft_cmp_offload"},
    ExprCapability{"range", "a range", S::none, false, 0, "nft_range.c"},
    ExprCapability{"bitwise", "a mask", S::restricted, false, version(5, 3), "nft_bitwise.c:nft_bitwise_offload"},
    ExprCapability{"byteorder", "a byte-order conversion", S::none, false, 0, "nft_byteorder.c"},
    ExprCapability{"immediate", "a verdict or constant", S::restricted, true, version(5, 3), "nft_immediate.c:nft_immediate_offload"},
    ExprCapability{"lookup", "a set, map or verdict map", S::none, false, 0, "nft_lookup.c"},
    ExprCapability{"dynset", "a set update (`add @set`, `update @set`)", S::none, false, 0, "nft_dynset.c"},
    ExprCapability{"objref", "an object map", S::none, false, 0, "nft_objref.c"},
    ExprCapability{"objref", "a named object", S::none, false, 0, "nft_objref.c"},
    ExprCapability{"meta load", "a meta key", S::restricted, false, version(5, 3), "nft_meta.c:nft_meta_get_offload"},
    ExprCapability{"meta set", "`meta … set`", S::none, false, 0, "nft_meta.c (set ops: no .offload)"},
    ExprCapability{"ct load", "conntrack (`ct …`)", S::none, false, 0, "nft_ct.c"},
    ExprCapability{"ct set", "`ct … set`", S::none, false, 0, "nft_ct.c"},
    ExprCapability{"exthdr load", "an extension header or option", S::none, false, 0, "nft_exthdr.c"},
    ExprCapability{"exthdr set", "an option change", S::none, false, 0, "nft_exthdr.c"},
    ExprCapability{"exthdr reset", "`reset tcp option`", S::none, false, 0, "nft_exthdr.c"},
    ExprCapability{"rt", "routing data (`rt …`)", S::none, false, 0, "nft_rt.c"},
    ExprCapability{"socket", "a socket match", S::none, false, 0, "nft_socket.c"},
    ExprCapability{"osf", "`osf`", S::none, false, 0, "nft_osf.c"},
    ExprCapability{"fib", "a `fib` lookup", S::none, false, 0, "nft_fib.c"},
    ExprCapability{"xfrm", "IPsec data (`ipsec …`)", S::none, false, 0, "nft_xfrm.c"},
    ExprCapability{"tunnel", "tunnel metadata", S::none, false, 0, "nft_tunnel.c"},
    ExprCapability{"numgen", "`numgen`", S::none, false, 0, "nft_numgen.c"},
    ExprCapability{"hash", "a hash (`jhash`, `symhash`)", S::none, false, 0, "nft_hash.c"},
    ExprCapability{"inner", "an inner-header match", S::none, false, 0, "nft_inner.c"},
    ExprCapability{"counter", "`counter`", S::yes, false, kCounterSince, "nft_counter.c:nft_counter_offload"},
    ExprCapability{"limit", "`limit`", S::none, false, 0, "nft_limit.c"},
    ExprCapability{"quota", "`quota`", S::none, false, 0, "nft_quota.c"},
    ExprCapability{"connlimit", "`ct count`", S::none, false, 0, "nft_connlimit.c"},
    ExprCapability{"last", "`last`", S::none, false, 0, "nft_last.c"},
    ExprCapability{"log", "`log`", S::none, false, 0, "nft_log.c"},
    ExprCapability{"reject", "`reject`", S::none, false, 0, "nft_reject*.c"},
    ExprCapability{"nat", "NAT (`snat`, `dnat`)", S::none, false, 0, "nft_nat.c"},
    ExprCapability{"masq", "`masquerade`", S::none, false, 0, "nft_masq.c"},
    ExprCapability{"redir", "`redirect`", S::none, false, 0, "nft_redir.c"},
    ExprCapability{"tproxy", "`tproxy`", S::none, false, 0, "nft_tproxy.c"},
    ExprCapability{"queue", "`queue`", S::none, false, 0, "nft_queue.c"},
    ExprCapability{"dup", "`dup`", S::restricted, true, version(5, 4), "nft_dup_netdev.c:nft_dup_netdev_offload"},
    ExprCapability{"fwd", "`fwd`", S::restricted, true, version(5, 4), "nft_fwd_netdev.c:nft_fwd_netdev_offload"},
    ExprCapability{"notrack", "`notrack`", S::none, false, 0, "nft_ct.c"},
    ExprCapability{"synproxy", "`synproxy`", S::none, false, 0, "nft_synproxy.c"},
    ExprCapability{"flow_offload", "`flow add`", S::none, false, 0, "nft_flow_offload.c"},
};
static_assert(kExprs.size() == std::variant_size_v<bc::ExprKind>,
              "every bytecode expression kind needs a row in kExprs, in bc::ExprKind order");

}  // namespace

std::span<const ExprCapability> expr_capabilities() { return kExprs; }

const ExprCapability& capability(const bc::ExprKind& kind) { return kExprs[kind.index()]; }

bool cmp_op_offloaded(std::uint32_t op) { return op == NFT_CMP_EQ; }

bool verdict_offloaded(std::int32_t code) { return code == NF_ACCEPT || code == NF_DROP; }

// ---- Fields ----------------------------------------------------------------

namespace {

constexpr std::uint32_t LL = NFT_PAYLOAD_LL_HEADER;
constexpr std::uint32_t NH = NFT_PAYLOAD_NETWORK_HEADER;
constexpr std::uint32_t TH = NFT_PAYLOAD_TRANSPORT_HEADER;
constexpr std::uint16_t kIp = 0x0800, kIp6 = 0x86dd;

// nft_payload_offload_ll / _ip / _ip6 / _tcp / _udp. VLAN keys came in 5.5
// (a82055af5959, 89d8fd44abfb); their byte order was fixed in 5.13.
constexpr std::array kFields = {
    PayloadField{"ether daddr", LL, 0, 6, 0, 0, Dep::none, version(5, 3), "eth_addrs.dst"},
    PayloadField{"ether saddr", LL, 6, 6, 0, 0, Dep::none, version(5, 3), "eth_addrs.src"},
    PayloadField{"ether type", LL, 12, 2, 0, 0, Dep::network, version(5, 3), "basic.n_proto"},
    PayloadField{"vlan id", LL, 14, 2, 0, 0, Dep::none, version(5, 5), "vlan.vlan_tci"},
    PayloadField{"vlan type", LL, 16, 2, 0, 0, Dep::network, version(5, 5), "vlan.vlan_tpid"},
    PayloadField{"inner vlan id", LL, 18, 2, 0, 0, Dep::none, version(5, 5), "cvlan.vlan_tci"},
    PayloadField{"inner vlan type", LL, 20, 2, 0, 0, Dep::network, version(5, 5), "cvlan.vlan_tpid"},
    PayloadField{"ip protocol", NH, 9, 1, kIp, 0, Dep::transport, version(5, 3), "basic.ip_proto"},
    PayloadField{"ip saddr", NH, 12, 4, kIp, 0, Dep::none, version(5, 3), "ipv4.src"},
    PayloadField{"ip daddr", NH, 16, 4, kIp, 0, Dep::none, version(5, 3), "ipv4.dst"},
    PayloadField{"ip6 nexthdr", NH, 6, 1, kIp6, 0, Dep::transport, version(5, 3), "basic.ip_proto"},
    PayloadField{"ip6 saddr", NH, 8, 16, kIp6, 0, Dep::none, version(5, 3), "ipv6.src"},
    PayloadField{"ip6 daddr", NH, 24, 16, kIp6, 0, Dep::none, version(5, 3), "ipv6.dst"},
    PayloadField{"tcp sport", TH, 0, 2, 0, IPPROTO_TCP, Dep::none, version(5, 3), "tp.src"},
    PayloadField{"tcp dport", TH, 2, 2, 0, IPPROTO_TCP, Dep::none, version(5, 3), "tp.dst"},
    PayloadField{"udp sport", TH, 0, 2, 0, IPPROTO_UDP, Dep::none, version(5, 3), "tp.src"},
    PayloadField{"udp dport", TH, 2, 2, 0, IPPROTO_UDP, Dep::none, version(5, 3), "tp.dst"},
};

// nft_meta_get_offload. iiftype's first release is inferred, not read from
// the history (UNVERIFIED in the fact sheet).
constexpr std::array kMeta = {
    MetaKey{NFT_META_PROTOCOL, "meta protocol", 2, Dep::network, version(5, 3), true, "basic.n_proto"},
    MetaKey{NFT_META_L4PROTO, "meta l4proto", 1, Dep::transport, version(5, 3), true, "basic.ip_proto"},
    MetaKey{NFT_META_IIF, "meta iif", 4, Dep::none, version(5, 5), true, "meta.ingress_ifindex"},
    MetaKey{NFT_META_IIFTYPE, "meta iiftype", 2, Dep::none, version(5, 16), false, "meta.ingress_iftype"},
};

constexpr std::array kFlowProtocols = {
    FlowProtocol{IPPROTO_TCP, "tcp", version(4, 16)},
    FlowProtocol{IPPROTO_UDP, "udp", version(4, 16)},
    FlowProtocol{IPPROTO_GRE, "gre", version(5, 18)},  // 4e8d9584d154: GREv0 without NAT
};

constexpr std::array kVirtual = {
    VirtualDevice{"br-*", "bridge", "its ports"},
    VirtualDevice{"br[0-9]*", "bridge", "its ports"},
    VirtualDevice{"virbr*", "bridge", "its ports"},
    VirtualDevice{"docker*", "bridge", "its ports"},
    VirtualDevice{"*.[0-9]*", "VLAN", "the device it is stacked on"},
    VirtualDevice{"vlan*", "VLAN", "the device it is stacked on"},
    VirtualDevice{"veth*", "veth", "nothing: veth has no hardware to offload to"},
    VirtualDevice{"bond*", "bond", "its member devices"},
    VirtualDevice{"team*", "team", "its member devices"},
    VirtualDevice{"wg*", "WireGuard", "nothing: WireGuard traffic is encrypted in software"},
    VirtualDevice{"pppoe-*", "PPPoE", "the Ethernet device it runs over"},
    VirtualDevice{"ppp*", "PPP", "the Ethernet device it runs over"},
    VirtualDevice{"tun*", "tun", "nothing: tun has no hardware to offload to"},
    VirtualDevice{"tap*", "tap", "nothing: tap has no hardware to offload to"},
    VirtualDevice{"gre*", "GRE tunnel", "the device the tunnel runs over"},
    VirtualDevice{"vxlan*", "VXLAN", "the device the tunnel runs over"},
    VirtualDevice{"lo", "loopback", "nothing: loopback traffic is never forwarded"},
};

}  // namespace

std::span<const PayloadField> payload_fields() { return kFields; }

const PayloadField* find_field(std::uint32_t base, std::uint32_t offset, std::uint16_t l3, std::uint8_t l4) {
  for (const PayloadField& f : kFields) {
    if (f.base != base || f.offset != offset) continue;
    if (f.base == NH && f.l3 != l3) continue;
    if (f.base == TH && f.l4 != l4) continue;
    return &f;
  }
  return nullptr;
}

const PayloadField* any_field(std::uint32_t base, std::uint32_t offset) {
  for (const PayloadField& f : kFields)
    if (f.base == base && f.offset == offset) return &f;
  return nullptr;
}

std::span<const MetaKey> meta_keys() { return kMeta; }

const MetaKey* find_meta_key(std::uint32_t key) {
  for (const MetaKey& m : kMeta)
    if (m.key == key) return &m;
  return nullptr;
}

bool flowtable_family_ok(std::uint32_t family) {
  return family == NFPROTO_IPV4 || family == NFPROTO_IPV6 || family == NFPROTO_INET;
}

std::span<const FlowProtocol> flow_protocols() { return kFlowProtocols; }

bool flow_protocol_ok(std::uint8_t proto, unsigned kernel) {
  for (const FlowProtocol& p : kFlowProtocols)
    if (p.proto == proto) return kernel >= p.since;
  return false;
}

std::span<const VirtualDevice> virtual_devices() { return kVirtual; }

const VirtualDevice* virtual_device(std::string_view name) {
  std::string n(name);
  for (const VirtualDevice& v : kVirtual) {
    std::string p(v.pattern);
    if (fnmatch(p.c_str(), n.c_str(), 0) == 0) return &v;
  }
  return nullptr;
}

}  // namespace nftc::offload
