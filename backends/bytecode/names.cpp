#include "backends/bytecode/names.hpp"

// bytecode.hpp first: it orders the glibc and kernel socket headers.
#include "compiler/bytecode.hpp"

#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <linux/netfilter/nf_log.h>
#include <linux/xfrm.h>

#include <algorithm>

namespace nftc::bytecode_text {

std::string_view name_of(NameTable table, std::uint32_t value) {
  auto it = std::ranges::find(table, value, &NamedValue::value);
  return it == table.end() ? "unknown" : it->name;
}

std::optional<std::uint32_t> value_of(NameTable table, std::string_view name) {
  auto it = std::ranges::find(table, name, &NamedValue::name);
  if (it == table.end()) return std::nullopt;
  return it->value;
}

namespace {

constexpr std::uint32_t u32(std::int32_t v) { return static_cast<std::uint32_t>(v); }

constexpr NamedValue kFamilies[] = {
    {NFPROTO_INET, "inet"},     {NFPROTO_IPV4, "ip"},       {NFPROTO_ARP, "arp"},
    {NFPROTO_NETDEV, "netdev"}, {NFPROTO_BRIDGE, "bridge"}, {NFPROTO_IPV6, "ip6"},
};

constexpr NamedValue kVerdicts[] = {
    {NF_ACCEPT, "accept"},       {NF_DROP, "drop"},
    {NF_STOLEN, "stolen"},       {NF_QUEUE, "queue"},
    {NF_REPEAT, "repeat"},       {NF_STOP, "stop"},
    {u32(NFT_RETURN), "return"}, {u32(NFT_JUMP), "jump"},
    {u32(NFT_GOTO), "goto"},     {u32(NFT_CONTINUE), "continue"},
    {u32(NFT_BREAK), "break"},
};

constexpr NamedValue kPayloadBases[] = {
    {NFT_PAYLOAD_LL_HEADER, "link"},
    {NFT_PAYLOAD_NETWORK_HEADER, "network"},
    {NFT_PAYLOAD_TRANSPORT_HEADER, "transport"},
    {NFT_PAYLOAD_INNER_HEADER, "inner"},
    {bc::uapi::kPayloadTunnelHeader, "tunnel"},
};

constexpr NamedValue kCmpOps[] = {
    {NFT_CMP_EQ, "eq"},   {NFT_CMP_NEQ, "neq"}, {NFT_CMP_LT, "lt"},
    {NFT_CMP_LTE, "lte"}, {NFT_CMP_GT, "gt"},   {NFT_CMP_GTE, "gte"},
};

constexpr NamedValue kRangeOps[] = {{NFT_RANGE_EQ, "eq"}, {NFT_RANGE_NEQ, "neq"}};

constexpr NamedValue kByteorderOps[] = {{NFT_BYTEORDER_NTOH, "ntoh"}, {NFT_BYTEORDER_HTON, "hton"}};

constexpr NamedValue kMetaKeys[] = {
    {NFT_META_LEN, "len"},
    {NFT_META_PROTOCOL, "protocol"},
    {NFT_META_NFPROTO, "nfproto"},
    {NFT_META_L4PROTO, "l4proto"},
    {NFT_META_PRIORITY, "priority"},
    {NFT_META_MARK, "mark"},
    {NFT_META_IIF, "iif"},
    {NFT_META_OIF, "oif"},
    {NFT_META_IIFNAME, "iifname"},
    {NFT_META_OIFNAME, "oifname"},
    {NFT_META_IIFTYPE, "iiftype"},
    {NFT_META_OIFTYPE, "oiftype"},
    {NFT_META_SKUID, "skuid"},
    {NFT_META_SKGID, "skgid"},
    {NFT_META_NFTRACE, "nftrace"},
    {NFT_META_RTCLASSID, "rtclassid"},
    {NFT_META_SECMARK, "secmark"},
    {NFT_META_BRI_IIFNAME, "bri_iifname"},
    {NFT_META_BRI_OIFNAME, "bri_oifname"},
    {NFT_META_PKTTYPE, "pkttype"},
    {NFT_META_CPU, "cpu"},
    {NFT_META_IIFGROUP, "iifgroup"},
    {NFT_META_OIFGROUP, "oifgroup"},
    {NFT_META_CGROUP, "cgroup"},
    {NFT_META_PRANDOM, "prandom"},
    {NFT_META_SECPATH, "secpath"},
    {NFT_META_IIFKIND, "iifkind"},
    {NFT_META_OIFKIND, "oifkind"},
    {NFT_META_BRI_IIFPVID, "bri_iifpvid"},
    {NFT_META_BRI_IIFVPROTO, "bri_iifvproto"},
    {NFT_META_TIME_NS, "time"},
    {NFT_META_TIME_DAY, "day"},
    {NFT_META_TIME_HOUR, "hour"},
    {NFT_META_SDIF, "sdif"},
    {NFT_META_SDIFNAME, "sdifname"},
    {bc::uapi::kMetaBriBroute, "broute"},
    {bc::uapi::kMetaBriIifHwaddr, "ibrhwaddr"},
};

constexpr NamedValue kCtKeys[] = {
    {NFT_CT_STATE, "state"},
    {NFT_CT_DIRECTION, "direction"},
    {NFT_CT_STATUS, "status"},
    {NFT_CT_MARK, "mark"},
    {NFT_CT_SECMARK, "secmark"},
    {NFT_CT_EXPIRATION, "expiration"},
    {NFT_CT_HELPER, "helper"},
    {NFT_CT_L3PROTOCOL, "l3protocol"},
    {NFT_CT_PROTOCOL, "protocol"},
    {NFT_CT_SRC, "src"},
    {NFT_CT_DST, "dst"},
    {NFT_CT_PROTO_SRC, "proto_src"},
    {NFT_CT_PROTO_DST, "proto_dst"},
    {NFT_CT_LABELS, "label"},
    {NFT_CT_PKTS, "packets"},
    {NFT_CT_BYTES, "bytes"},
    {NFT_CT_AVGPKT, "avgpkt"},
    {NFT_CT_ZONE, "zone"},
    {NFT_CT_EVENTMASK, "event"},
    {NFT_CT_SRC_IP, "src_ip"},
    {NFT_CT_DST_IP, "dst_ip"},
    {NFT_CT_SRC_IP6, "src_ip6"},
    {NFT_CT_DST_IP6, "dst_ip6"},
    {NFT_CT_ID, "id"},
};

constexpr NamedValue kCtDirs[] = {{IP_CT_DIR_ORIGINAL, "original"}, {IP_CT_DIR_REPLY, "reply"}};

constexpr NamedValue kRtKeys[] = {
    {NFT_RT_CLASSID, "classid"}, {NFT_RT_NEXTHOP4, "nexthop4"}, {NFT_RT_NEXTHOP6, "nexthop6"},
    {NFT_RT_TCPMSS, "tcpmss"},   {NFT_RT_XFRM, "ipsec"},
};

constexpr NamedValue kSocketKeys[] = {
    {NFT_SOCKET_TRANSPARENT, "transparent"},
    {NFT_SOCKET_MARK, "mark"},
    {NFT_SOCKET_WILDCARD, "wildcard"},
    {NFT_SOCKET_CGROUPV2, "cgroupv2"},
};

constexpr NamedValue kXfrmKeys[] = {
    {NFT_XFRM_KEY_DADDR_IP4, "daddr4"}, {NFT_XFRM_KEY_SADDR_IP4, "saddr4"},
    {NFT_XFRM_KEY_DADDR_IP6, "daddr6"}, {NFT_XFRM_KEY_SADDR_IP6, "saddr6"},
    {NFT_XFRM_KEY_REQID, "reqid"},      {NFT_XFRM_KEY_SPI, "spi"},
};

constexpr NamedValue kXfrmDirs[] = {{XFRM_POLICY_IN, "in"}, {XFRM_POLICY_OUT, "out"}};

constexpr NamedValue kTunnelKeys[] = {{NFT_TUNNEL_PATH, "path"}, {NFT_TUNNEL_ID, "id"}};

constexpr NamedValue kFibResults[] = {
    {NFT_FIB_RESULT_OIF, "oif"},
    {NFT_FIB_RESULT_OIFNAME, "oifname"},
    {NFT_FIB_RESULT_ADDRTYPE, "type"},
};

constexpr NamedValue kFibFlags[] = {
    {NFTA_FIB_F_SADDR, "saddr"}, {NFTA_FIB_F_DADDR, "daddr"}, {NFTA_FIB_F_MARK, "mark"},
    {NFTA_FIB_F_IIF, "iif"},     {NFTA_FIB_F_OIF, "oif"},
};

constexpr NamedValue kExthdrOps[] = {
    {NFT_EXTHDR_OP_IPV6, "ipv6"},
    {NFT_EXTHDR_OP_TCPOPT, "tcpopt"},
    {NFT_EXTHDR_OP_IPV4, "ipv4"},
};

constexpr NamedValue kNatTypes[] = {{NFT_NAT_SNAT, "snat"}, {NFT_NAT_DNAT, "dnat"}};

constexpr NamedValue kDynsetOps[] = {
    {NFT_DYNSET_OP_ADD, "add"},
    {NFT_DYNSET_OP_UPDATE, "update"},
    {NFT_DYNSET_OP_DELETE, "delete"},
};

constexpr NamedValue kLimitTypes[] = {{NFT_LIMIT_PKTS, "packets"}, {NFT_LIMIT_PKT_BYTES, "bytes"}};

constexpr NamedValue kLogFlags[] = {
    {NF_LOG_TCPSEQ, "tcpseq"}, {NF_LOG_TCPOPT, "tcpopt"},       {NF_LOG_IPOPT, "ipopt"},
    {NF_LOG_UID, "uid"},       {NF_LOG_MACDECODE, "macdecode"},
};

constexpr NamedValue kQueueFlags[] = {{NFT_QUEUE_FLAG_BYPASS, "bypass"},
                                      {NFT_QUEUE_FLAG_CPU_FANOUT, "fanout"}};

constexpr NamedValue kNumgenTypes[] = {{NFT_NG_INCREMENTAL, "inc"}, {NFT_NG_RANDOM, "random"}};

}  // namespace

NameTable family_names() { return kFamilies; }
NameTable verdict_names() { return kVerdicts; }
NameTable payload_base_names() { return kPayloadBases; }
NameTable cmp_op_names() { return kCmpOps; }
NameTable range_op_names() { return kRangeOps; }
NameTable byteorder_op_names() { return kByteorderOps; }
NameTable meta_key_names() { return kMetaKeys; }
NameTable ct_key_names() { return kCtKeys; }
NameTable ct_dir_names() { return kCtDirs; }
NameTable rt_key_names() { return kRtKeys; }
NameTable socket_key_names() { return kSocketKeys; }
NameTable xfrm_key_names() { return kXfrmKeys; }
NameTable xfrm_dir_names() { return kXfrmDirs; }
NameTable tunnel_key_names() { return kTunnelKeys; }
NameTable fib_result_names() { return kFibResults; }
NameTable fib_flag_names() { return kFibFlags; }
NameTable exthdr_op_names() { return kExthdrOps; }
NameTable nat_type_names() { return kNatTypes; }
NameTable dynset_op_names() { return kDynsetOps; }
NameTable limit_type_names() { return kLimitTypes; }
NameTable log_flag_names() { return kLogFlags; }
NameTable queue_flag_names() { return kQueueFlags; }
NameTable numgen_type_names() { return kNumgenTypes; }

}  // namespace nftc::bytecode_text
