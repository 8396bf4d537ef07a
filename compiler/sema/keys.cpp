// The keys of meta, ct, rt, socket, tunnel and xfrm expressions, indexed by
// the kernel's key numbers (nft's meta_templates, ct_templates, …): the
// token nft prints, the datatype, the length in bits and the byte order of
// the value the kernel loads.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include "compiler/sema/proto.hpp"

#include <linux/netfilter/nf_conntrack_common.h>
#include <net/if.h>

#include <array>

namespace nftc::sema {

namespace {

constexpr KeyTemplate key(std::string_view token, const Datatype* dtype, unsigned len, ByteOrder order) {
  return KeyTemplate{token, dtype, static_cast<std::uint16_t>(len), order};
}

constexpr ByteOrder kHost = ByteOrder::host, kBig = ByteOrder::big;
constexpr unsigned kIfnameBits = IFNAMSIZ * 8;
constexpr unsigned kHelperNameBits = 16 * 8;  // NF_CT_HELPER_NAME_LEN

template <std::size_t N>
struct KeyTable {
  std::array<KeyTemplate, N> keys{};
  constexpr KeyTable(std::initializer_list<std::pair<std::uint32_t, KeyTemplate>> list) {
    for (const auto& [k, t] : list) keys[k] = t;
  }
  const KeyTemplate* find(std::uint32_t k) const {
    return k < N && !keys[k].token.empty() ? &keys[k] : nullptr;
  }
  std::optional<std::uint32_t> by_name(std::string_view token) const {
    for (std::uint32_t k = 0; k < N; ++k)
      if (!keys[k].token.empty() && keys[k].token == token) return k;
    return std::nullopt;
  }
};

constexpr std::uint32_t kMetaBriIifHwaddr = bc::uapi::kMetaBriIifHwaddr;

const KeyTable<kMetaBriIifHwaddr + 1> kMetaKeys{
    {NFT_META_LEN, key("length", &integer_type, 32, kHost)},
    {NFT_META_PROTOCOL, key("protocol", &ethertype_type, 16, kBig)},
    {NFT_META_NFPROTO, key("nfproto", &nfproto_type, 8, kHost)},
    {NFT_META_L4PROTO, key("l4proto", &inet_protocol_type, 8, kHost)},
    {NFT_META_PRIORITY, key("priority", &tchandle_type, 32, kHost)},
    {NFT_META_MARK, key("mark", &mark_type, 32, kHost)},
    {NFT_META_IIF, key("iif", &ifindex_type, 32, kHost)},
    {NFT_META_IIFNAME, key("iifname", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_IIFTYPE, key("iiftype", &arphrd_type, 16, kHost)},
    {NFT_META_OIF, key("oif", &ifindex_type, 32, kHost)},
    {NFT_META_OIFNAME, key("oifname", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_OIFTYPE, key("oiftype", &arphrd_type, 16, kHost)},
    {NFT_META_SKUID, key("skuid", &uid_type, 32, kHost)},
    {NFT_META_SKGID, key("skgid", &gid_type, 32, kHost)},
    {NFT_META_NFTRACE, key("nftrace", &integer_type, 1, kHost)},
    {NFT_META_RTCLASSID, key("rtclassid", &realm_type, 32, kHost)},
    {NFT_META_BRI_IIFNAME, key("ibrname", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_BRI_OIFNAME, key("obrname", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_PKTTYPE, key("pkttype", &pkttype_type, 8, kHost)},
    {NFT_META_CPU, key("cpu", &integer_type, 32, kHost)},
    {NFT_META_IIFGROUP, key("iifgroup", &devgroup_type, 32, kHost)},
    {NFT_META_OIFGROUP, key("oifgroup", &devgroup_type, 32, kHost)},
    {NFT_META_CGROUP, key("cgroup", &integer_type, 32, kHost)},
    // Random numbers have no byte order; big endian avoids a conversion.
    {NFT_META_PRANDOM, key("random", &integer_type, 32, kBig)},
    {NFT_META_SECPATH, key("ipsec", &boolean_type, 8, kHost)},
    {NFT_META_IIFKIND, key("iifkind", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_OIFKIND, key("oifkind", &ifname_type, kIfnameBits, kHost)},
    {NFT_META_BRI_IIFPVID, key("ibrpvid", &integer_type, 16, kHost)},
    {NFT_META_BRI_IIFVPROTO, key("ibrvproto", &ethertype_type, 16, kBig)},
    {NFT_META_TIME_NS, key("time", &date_type, 64, kHost)},
    {NFT_META_TIME_DAY, key("day", &day_type, 8, kHost)},
    {NFT_META_TIME_HOUR, key("hour", &hour_type, 32, kHost)},
    {NFT_META_SECMARK, key("secmark", &integer_type, 32, kHost)},
    {NFT_META_SDIF, key("sdif", &ifindex_type, 32, kHost)},
    {NFT_META_SDIFNAME, key("sdifname", &ifname_type, kIfnameBits, kHost)},
    {bc::uapi::kMetaBriBroute, key("broute", &integer_type, 1, kHost)},
    {kMetaBriIifHwaddr, key("ibrhwaddr", &etheraddr_type, 48, kBig)},
};

const KeyTable<__NFT_CT_MAX> kCtKeys{
    {NFT_CT_STATE, key("state", &ct_state_type, 32, kHost)},
    {NFT_CT_DIRECTION, key("direction", &ct_dir_type, 8, kHost)},
    {NFT_CT_STATUS, key("status", &ct_status_type, 32, kHost)},
    {NFT_CT_MARK, key("mark", &mark_type, 32, kHost)},
    {NFT_CT_EXPIRATION, key("expiration", &time_type, 32, kHost)},
    {NFT_CT_HELPER, key("helper", &string_type, kHelperNameBits, kHost)},
    {NFT_CT_L3PROTOCOL, key("l3proto", &nfproto_type, 8, kHost)},
    // The address type follows the network protocol (ct_expr_update_type).
    {NFT_CT_SRC, key("saddr", &invalid_type, 0, kBig)},
    {NFT_CT_DST, key("daddr", &invalid_type, 0, kBig)},
    {NFT_CT_PROTOCOL, key("protocol", &inet_protocol_type, 8, kBig)},
    {NFT_CT_PROTO_SRC, key("proto-src", &inet_service_type, 16, kBig)},
    {NFT_CT_PROTO_DST, key("proto-dst", &inet_service_type, 16, kBig)},
    {NFT_CT_LABELS, key("label", &ct_label_type, 128, kHost)},
    {NFT_CT_BYTES, key("bytes", &integer_type, 64, kHost)},
    {NFT_CT_PKTS, key("packets", &integer_type, 64, kHost)},
    {NFT_CT_AVGPKT, key("avgpkt", &integer_type, 64, kHost)},
    {NFT_CT_ZONE, key("zone", &integer_type, 16, kHost)},
    {NFT_CT_EVENTMASK, key("event", &ct_event_type, 32, kHost)},
    {NFT_CT_SRC_IP, key("ip saddr", &ipaddr_type, 32, kBig)},
    {NFT_CT_DST_IP, key("ip daddr", &ipaddr_type, 32, kBig)},
    {NFT_CT_SRC_IP6, key("ip6 saddr", &ip6addr_type, 128, kBig)},
    {NFT_CT_DST_IP6, key("ip6 daddr", &ip6addr_type, 128, kBig)},
    {NFT_CT_SECMARK, key("secmark", &integer_type, 32, kHost)},
    {NFT_CT_ID, key("id", &integer_type, 32, kBig)},
};

// rt nexthop is IPv4 unless `rt ip6 nexthop` says otherwise.
const KeyTable<__NFT_RT_MAX> kRtKeys{
    {NFT_RT_CLASSID, key("classid", &realm_type, 32, kHost)},
    {NFT_RT_NEXTHOP4, key("nexthop", &ipaddr_type, 32, kBig)},
    {NFT_RT_NEXTHOP6, key("nexthop", &ip6addr_type, 128, kBig)},
    {NFT_RT_TCPMSS, key("mtu", &integer_type, 16, kHost)},
    {NFT_RT_XFRM, key("ipsec", &boolean_type, 8, kHost)},
};

const KeyTable<__NFT_SOCKET_MAX> kSocketKeys{
    {NFT_SOCKET_TRANSPARENT, key("transparent", &integer_type, 8, kHost)},
    {NFT_SOCKET_MARK, key("mark", &mark_type, 32, kHost)},
    {NFT_SOCKET_WILDCARD, key("wildcard", &integer_type, 8, kHost)},
    {NFT_SOCKET_CGROUPV2, key("cgroupv2", &cgroupv2_type, 64, kHost)},
};

const KeyTable<__NFT_TUNNEL_MAX> kTunnelKeys{
    {NFT_TUNNEL_PATH, key("path", &boolean_type, 8, kHost)},
    {NFT_TUNNEL_ID, key("id", &integer_type, 32, kHost)},
};

// ipsec saddr/daddr are IPv4 unless `ipsec … ip6 saddr` says otherwise.
const KeyTable<__NFT_XFRM_KEY_MAX> kXfrmKeys{
    {NFT_XFRM_KEY_DADDR_IP4, key("daddr", &ipaddr_type, 32, kBig)},
    {NFT_XFRM_KEY_SADDR_IP4, key("saddr", &ipaddr_type, 32, kBig)},
    {NFT_XFRM_KEY_DADDR_IP6, key("daddr", &ip6addr_type, 128, kBig)},
    {NFT_XFRM_KEY_SADDR_IP6, key("saddr", &ip6addr_type, 128, kBig)},
    {NFT_XFRM_KEY_REQID, key("reqid", &integer_type, 32, kHost)},
    {NFT_XFRM_KEY_SPI, key("spi", &integer_type, 32, kBig)},
};

}  // namespace

const KeyTemplate* meta_template(std::uint32_t k) { return kMetaKeys.find(k); }

std::optional<std::uint32_t> meta_key_by_name(std::string_view token) {
  if (auto k = kMetaKeys.by_name(token)) return k;
  // Older names nft still accepts.
  if (token == "ibriport") return NFT_META_BRI_IIFNAME;
  if (token == "obriport") return NFT_META_BRI_OIFNAME;
  if (token == "secpath") return NFT_META_SECPATH;
  return std::nullopt;
}

std::vector<std::string_view> meta_key_names() {
  std::vector<std::string_view> names;
  for (const KeyTemplate& t : kMetaKeys.keys)
    if (!t.token.empty()) names.push_back(t.token);
  return names;
}

bool meta_key_is_unqualified(std::uint32_t k) {
  switch (k) {
    case NFT_META_IIF:
    case NFT_META_OIF:
    case NFT_META_IIFNAME:
    case NFT_META_OIFNAME:
    case NFT_META_IIFGROUP:
    case NFT_META_OIFGROUP:
      return true;
    default:
      return false;
  }
}

const KeyTemplate* ct_template(std::uint32_t k) { return kCtKeys.find(k); }

std::optional<std::uint32_t> ct_key_by_name(std::string_view token) { return kCtKeys.by_name(token); }

std::vector<std::string_view> ct_key_names() {
  std::vector<std::string_view> names;
  for (const KeyTemplate& t : kCtKeys.keys)
    if (!t.token.empty()) names.push_back(t.token);
  return names;
}

CtDirection ct_key_direction(std::uint32_t k) {
  switch (k) {
    case NFT_CT_SRC_IP:
    case NFT_CT_DST_IP:
    case NFT_CT_SRC_IP6:
    case NFT_CT_DST_IP6:
      return CtDirection::required;
    case NFT_CT_SRC:
    case NFT_CT_DST:
    case NFT_CT_L3PROTOCOL:
    case NFT_CT_PROTOCOL:
    case NFT_CT_PROTO_SRC:
    case NFT_CT_PROTO_DST:
    case NFT_CT_BYTES:
    case NFT_CT_PKTS:
    case NFT_CT_AVGPKT:
    case NFT_CT_ZONE:
      return CtDirection::optional;
    default:
      return CtDirection::none;
  }
}

const KeyTemplate* rt_template(std::uint32_t k) { return kRtKeys.find(k); }
std::optional<std::uint32_t> rt_key_by_name(std::string_view token) { return kRtKeys.by_name(token); }

const KeyTemplate* socket_template(std::uint32_t k) { return kSocketKeys.find(k); }
std::optional<std::uint32_t> socket_key_by_name(std::string_view token) { return kSocketKeys.by_name(token); }

const KeyTemplate* tunnel_template(std::uint32_t k) { return kTunnelKeys.find(k); }
std::optional<std::uint32_t> tunnel_key_by_name(std::string_view token) { return kTunnelKeys.by_name(token); }

const KeyTemplate* xfrm_template(std::uint32_t k) { return kXfrmKeys.find(k); }
std::optional<std::uint32_t> xfrm_key_by_name(std::string_view token) { return kXfrmKeys.by_name(token); }

namespace {
constexpr TimeoutState kTcpTimeouts[] = {
    {"syn_sent", 120}, {"syn_recv", 60},  {"established", 432000}, {"fin_wait", 120},
    {"close_wait", 60}, {"last_ack", 30}, {"time_wait", 120},      {"close", 10},
    {"syn_sent2", 120}, {"retrans", 300}, {"unack", 300},
};
constexpr TimeoutState kUdpTimeouts[] = {{"unreplied", 30}, {"replied", 120}};
}  // namespace

std::span<const TimeoutState> timeout_states(std::uint8_t l4proto) {
  if (l4proto == 6) return kTcpTimeouts;
  if (l4proto == 17) return kUdpTimeouts;
  return {};
}

}  // namespace nftc::sema
