// Every protocol header nft knows, as data (nft's proto.c): fields at nft's
// template indices with their types, bit offsets and lengths; how headers
// stack; checksums; inner (tunnel) headers. Offsets are in bits from the
// start of the header; the comments name the C struct members nft takes
// them from.
//
// Protocol link values are what nft compares with the exported bytes of the
// key read as a host integer: ethertypes are htons(ETH_P_*) on the
// little-endian hosts nftc models, IP protocol numbers are plain bytes.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include "compiler/sema/proto.hpp"

#include <net/if_arp.h>

#include <initializer_list>

namespace nftc::sema {

namespace {

using Templates = std::array<HdrTemplate, kProtoHdrsMax>;
using Links = std::array<ProtoLink, kProtoUpperMax>;

struct At {
  unsigned index;
  HdrTemplate tmpl;
};

constexpr Templates templates(std::initializer_list<At> fields) {
  Templates t{};
  for (const At& f : fields) t[f.index] = f.tmpl;
  return t;
}

constexpr Links links(std::initializer_list<ProtoLink> list) {
  Links l{};
  unsigned i = 0;
  for (const ProtoLink& p : list) l[i++] = p;
  return l;
}

// A header field in network byte order.
constexpr HdrTemplate field(std::string_view token, const Datatype* dtype, unsigned offset, unsigned len) {
  return HdrTemplate{token, dtype, static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(len),
                     ByteOrder::big, 0, IcmpDep::any};
}
// An ICMP field that exists only for some message types.
constexpr HdrTemplate icmp_field(std::string_view token, const Datatype* dtype, unsigned offset, unsigned len,
                                 IcmpDep dep) {
  return HdrTemplate{token, dtype, static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(len),
                     ByteOrder::big, 0, dep};
}
// A pseudo field read with a meta key (nft's PROTO_META_TEMPLATE: no byte
// order, no offset).
constexpr HdrTemplate meta_field(std::string_view token, const Datatype* dtype, std::uint8_t key, unsigned len) {
  return HdrTemplate{token, dtype, 0, static_cast<std::uint16_t>(len), ByteOrder::invalid, key, IcmpDep::any};
}

constexpr std::array<std::uint8_t, kProtoHdrsMax> order(std::initializer_list<std::uint8_t> fields) {
  std::array<std::uint8_t, kProtoHdrsMax> o{};
  unsigned i = 0;
  for (std::uint8_t f : fields) o[i++] = f;
  return o;
}

constexpr std::array<unsigned, kProtoHdrsMax> pseudohdr(std::initializer_list<unsigned> fields) {
  std::array<unsigned, kProtoHdrsMax> o{};
  unsigned i = 0;
  for (unsigned f : fields) o[i++] = f;
  return o;
}

constexpr std::uint32_t mask(std::initializer_list<unsigned> fields) {
  std::uint32_t m = 0;
  for (unsigned f : fields) m |= 1u << f;
  return m;
}

constexpr std::uint32_t kEthIp = be16(0x0800), kEthArp = be16(0x0806), kEthIp6 = be16(0x86dd),
                        kEth8021q = be16(0x8100), kEth8021ad = be16(0x88a8);

constexpr std::uint8_t kCsumNone = NFT_PAYLOAD_CSUM_NONE, kCsumInet = NFT_PAYLOAD_CSUM_INET,
                       kCsumSctp = NFT_PAYLOAD_CSUM_SCTP;

// The transport protocols reachable from IPv4, IPv6 and the extension
// headers that carry a next header.
constexpr Links kIpsecUpper = links({
    {IPPROTO_ESP, &proto_esp},
    {IPPROTO_AH, &proto_ah},
    {IPPROTO_COMP, &proto_comp},
    {IPPROTO_UDP, &proto_udp},
    {IPPROTO_UDPLITE, &proto_udplite},
    {IPPROTO_TCP, &proto_tcp},
    {IPPROTO_DCCP, &proto_dccp},
    {IPPROTO_SCTP, &proto_sctp},
});
constexpr Links kIp6Upper = links({
    {IPPROTO_ESP, &proto_esp},
    {IPPROTO_AH, &proto_ah},
    {IPPROTO_COMP, &proto_comp},
    {IPPROTO_UDP, &proto_udp},
    {IPPROTO_UDPLITE, &proto_udplite},
    {IPPROTO_TCP, &proto_tcp},
    {IPPROTO_DCCP, &proto_dccp},
    {IPPROTO_SCTP, &proto_sctp},
    {IPPROTO_ICMP, &proto_icmp},
    {IPPROTO_IGMP, &proto_igmp},
    {IPPROTO_ICMPV6, &proto_icmp6},
    {IPPROTO_GRE, &proto_gre},
    {IPPROTO_GRE, &proto_gretap},
});
constexpr Links kLlUpper = links({
    {kEthIp, &proto_ip},
    {kEthArp, &proto_arp},
    {kEthIp6, &proto_ip6},
    {kEth8021q, &proto_vlan},
    {kEth8021ad, &proto_vlan},
});
// Tunnels carry no 802.1ad.
constexpr Links kInnerUpper = links({
    {kEthIp, &proto_ip},
    {kEthArp, &proto_arp},
    {kEthIp6, &proto_ip6},
    {kEth8021q, &proto_vlan},
});

constexpr HdrTemplate kL4protoMeta = meta_field("l4proto", &inet_protocol_type, NFT_META_L4PROTO, 8);

}  // namespace

const HdrTemplate proto_unknown_template{"unknown", &invalid_type, 0, 0, ByteOrder::invalid, 0, IcmpDep::any};

const ProtoDesc proto_unknown{.name = "unknown", .base = ProtoBase::invalid};

// ---------------------------------------------------------------------------
// Transport layer

// struct ip_auth_hdr
const ProtoDesc proto_ah{
    .name = "ah",
    .id = ProtoId::ah,
    .base = ProtoBase::transport,
    .protocol_key = AHHDR_NEXTHDR,
    .protocols = kIpsecUpper,
    .templates = templates({
        {AHHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {AHHDR_HDRLENGTH, field("hdrlength", &integer_type, 8, 8)},
        {AHHDR_RESERVED, field("reserved", &integer_type, 16, 16)},
        {AHHDR_SPI, field("spi", &integer_type, 32, 32)},
        {AHHDR_SEQUENCE, field("sequence", &integer_type, 64, 32)},
    }),
    .format = {.order = order({AHHDR_SPI, AHHDR_HDRLENGTH, AHHDR_NEXTHDR}),
               .filter = mask({AHHDR_RESERVED, AHHDR_SEQUENCE})},
};

// struct ip_esp_hdr
const ProtoDesc proto_esp{
    .name = "esp",
    .id = ProtoId::esp,
    .base = ProtoBase::transport,
    .templates = templates({
        {ESPHDR_SPI, field("spi", &integer_type, 0, 32)},
        {ESPHDR_SEQUENCE, field("sequence", &integer_type, 32, 32)},
    }),
};

// struct ip_comp_hdr
const ProtoDesc proto_comp{
    .name = "comp",
    .id = ProtoId::comp,
    .base = ProtoBase::transport,
    .protocol_key = COMPHDR_NEXTHDR,
    .protocols = kIpsecUpper,
    .templates = templates({
        {COMPHDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 0, 8)},
        {COMPHDR_FLAGS, field("flags", &bitmask_type, 8, 8)},
        {COMPHDR_CPI, field("cpi", &integer_type, 16, 16)},
    }),
};

// struct icmphdr: un.echo.{id,sequence}, un.gateway, un.frag.mtu
const ProtoDesc proto_icmp{
    .name = "icmp",
    .id = ProtoId::icmp,
    .base = ProtoBase::transport,
    .checksum_type = kCsumInet,
    .checksum_key = ICMPHDR_CHECKSUM,
    .protocol_key = ICMPHDR_TYPE,
    .templates = templates({
        {ICMPHDR_TYPE, field("type", &icmp_type_type, 0, 8)},
        {ICMPHDR_CODE, field("code", &icmp_code_type, 8, 8)},
        {ICMPHDR_CHECKSUM, icmp_field("checksum", &integer_type, 16, 16, IcmpDep::any)},
        {ICMPHDR_ID, icmp_field("id", &integer_type, 32, 16, IcmpDep::echo)},
        {ICMPHDR_SEQ, icmp_field("sequence", &integer_type, 48, 16, IcmpDep::echo)},
        {ICMPHDR_GATEWAY, icmp_field("gateway", &integer_type, 32, 32, IcmpDep::address)},
        {ICMPHDR_MTU, icmp_field("mtu", &integer_type, 48, 16, IcmpDep::mtu)},
    }),
};

// struct igmp
const ProtoDesc proto_igmp{
    .name = "igmp",
    .id = ProtoId::igmp,
    .base = ProtoBase::transport,
    .checksum_type = kCsumInet,
    .checksum_key = IGMPHDR_CHECKSUM,
    .templates = templates({
        {IGMPHDR_TYPE, field("type", &igmp_type_type, 0, 8)},
        {IGMPHDR_MRT, field("mrt", &integer_type, 8, 8)},
        {IGMPHDR_CHECKSUM, field("checksum", &integer_type, 16, 16)},
        {IGMPHDR_GROUP, field("group", &integer_type, 32, 32)},
    }),
};

// struct udphdr; VXLAN and GENEVE ride on it (their link value is unused).
const ProtoDesc proto_udp{
    .name = "udp",
    .id = ProtoId::udp,
    .base = ProtoBase::transport,
    .protocols = links({{0, &proto_vxlan}, {0, &proto_geneve}}),
    .templates = templates({
        {UDPHDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {UDPHDR_DPORT, field("dport", &inet_service_type, 16, 16)},
        {UDPHDR_LENGTH, field("length", &integer_type, 32, 16)},
        {UDPHDR_CHECKSUM, field("checksum", &integer_type, 48, 16)},
    }),
};

const ProtoDesc proto_udplite{
    .name = "udplite",
    .id = ProtoId::udplite,
    .base = ProtoBase::transport,
    .templates = templates({
        {UDPHDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {UDPHDR_DPORT, field("dport", &inet_service_type, 16, 16)},
        {UDPHDR_CSUMCOV, field("csumcov", &integer_type, 32, 16)},
        {UDPHDR_CHECKSUM, field("checksum", &integer_type, 48, 16)},
    }),
};

// struct tcphdr; doff, reserved and flags are bit fields of bytes 12-13.
const ProtoDesc proto_tcp{
    .name = "tcp",
    .id = ProtoId::tcp,
    .base = ProtoBase::transport,
    .checksum_type = kCsumInet,
    .checksum_key = TCPHDR_CHECKSUM,
    .templates = templates({
        {TCPHDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {TCPHDR_DPORT, field("dport", &inet_service_type, 16, 16)},
        {TCPHDR_SEQ, field("sequence", &integer_type, 32, 32)},
        {TCPHDR_ACKSEQ, field("ackseq", &integer_type, 64, 32)},
        {TCPHDR_DOFF, field("doff", &integer_type, 96, 4)},
        {TCPHDR_RESERVED, field("reserved", &integer_type, 100, 4)},
        {TCPHDR_FLAGS, field("flags", &tcp_flag_type, 104, 8)},
        {TCPHDR_WINDOW, field("window", &integer_type, 112, 16)},
        {TCPHDR_CHECKSUM, field("checksum", &integer_type, 128, 16)},
        {TCPHDR_URGPTR, field("urgptr", &integer_type, 144, 16)},
    }),
    .format = {.filter = mask({TCPHDR_SEQ, TCPHDR_ACKSEQ, TCPHDR_DOFF, TCPHDR_RESERVED, TCPHDR_URGPTR})},
};

// struct dccp_hdr: dccph_type is bits 3-6 of byte 8.
const ProtoDesc proto_dccp{
    .name = "dccp",
    .id = ProtoId::dccp,
    .base = ProtoBase::transport,
    .templates = templates({
        {DCCPHDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {DCCPHDR_DPORT, field("dport", &inet_service_type, 16, 16)},
        {DCCPHDR_TYPE, field("type", &dccp_pkttype_type, 67, 4)},
    }),
};

// struct sctphdr
const ProtoDesc proto_sctp{
    .name = "sctp",
    .id = ProtoId::sctp,
    .base = ProtoBase::transport,
    .checksum_type = kCsumSctp,
    .checksum_key = SCTPHDR_CHECKSUM,
    .templates = templates({
        {SCTPHDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {SCTPHDR_DPORT, field("dport", &inet_service_type, 16, 16)},
        {SCTPHDR_VTAG, field("vtag", &integer_type, 32, 32)},
        {SCTPHDR_CHECKSUM, field("checksum", &integer_type, 64, 32)},
    }),
};

// The ports common to udp, tcp, dccp and sctp (`th sport`).
const ProtoDesc proto_th{
    .name = "th",
    .id = ProtoId::th,
    .base = ProtoBase::transport,
    .templates = templates({
        {THDR_SPORT, field("sport", &inet_service_type, 0, 16)},
        {THDR_DPORT, field("dport", &inet_service_type, 16, 16)},
    }),
};

// struct grehdr: flags and version are bit fields of the first 16 bits.
const ProtoDesc proto_gre{
    .name = "gre",
    .id = ProtoId::gre,
    .base = ProtoBase::transport,
    .templates = templates({
        {0, kL4protoMeta},
        {GREHDR_FLAGS, field("flags", &integer_type, 0, 5)},
        {GREHDR_VERSION, field("version", &integer_type, 13, 3)},
        {GREHDR_PROTOCOL, field("protocol", &ethertype_type, 16, 16)},
    }),
    .inner = {.hdrsize = 4, .flags = bc::uapi::kInnerNh | bc::uapi::kInnerTh, .type = bc::uapi::kInnerGeneve + 1},
};

const ProtoDesc proto_gretap{
    .name = "gretap",
    .id = ProtoId::gretap,
    .base = ProtoBase::transport,
    .templates = templates({{0, kL4protoMeta}}),
    .inner = {.hdrsize = 4,
              .flags = bc::uapi::kInnerLl | bc::uapi::kInnerNh | bc::uapi::kInnerTh,
              .type = bc::uapi::kInnerGeneve + 2},
};

// struct icmp6_hdr; taddr is nd_neighbor_solicit.nd_ns_target, daddr
// nd_redirect.nd_rd_dst.
const ProtoDesc proto_icmp6{
    .name = "icmpv6",
    .id = ProtoId::icmpv6,
    .base = ProtoBase::transport,
    .checksum_type = kCsumInet,
    .checksum_key = ICMP6HDR_CHECKSUM,
    .protocol_key = ICMP6HDR_TYPE,
    .templates = templates({
        {ICMP6HDR_TYPE, field("type", &icmp6_type_type, 0, 8)},
        {ICMP6HDR_CODE, field("code", &icmpv6_code_type, 8, 8)},
        {ICMP6HDR_CHECKSUM, icmp_field("checksum", &integer_type, 16, 16, IcmpDep::any)},
        {ICMP6HDR_PPTR, icmp_field("parameter-problem", &integer_type, 32, 32, IcmpDep::icmp6_param_prob)},
        {ICMP6HDR_MTU, icmp_field("mtu", &integer_type, 32, 32, IcmpDep::icmp6_too_big)},
        {ICMP6HDR_ID, icmp_field("id", &integer_type, 32, 16, IcmpDep::icmp6_echo)},
        {ICMP6HDR_SEQ, icmp_field("sequence", &integer_type, 48, 16, IcmpDep::icmp6_echo)},
        {ICMP6HDR_MAXDELAY, icmp_field("max-delay", &integer_type, 32, 16, IcmpDep::icmp6_mgmq)},
        {ICMP6HDR_TADDR, icmp_field("taddr", &ip6addr_type, 64, 128, IcmpDep::icmp6_address)},
        {ICMP6HDR_DADDR, icmp_field("daddr", &ip6addr_type, 192, 128, IcmpDep::icmp6_redirect)},
    }),
};

// ---------------------------------------------------------------------------
// Network layer

// struct iphdr; version/ihl and dscp/ecn are bit fields.
const ProtoDesc proto_ip{
    .name = "ip",
    .id = ProtoId::ip,
    .base = ProtoBase::network,
    .checksum_type = kCsumInet,
    .checksum_key = IPHDR_CHECKSUM,
    .protocols = links({
        {IPPROTO_ICMP, &proto_icmp},
        {IPPROTO_IGMP, &proto_igmp},
        {IPPROTO_ICMPV6, &proto_icmp6},
        {IPPROTO_ESP, &proto_esp},
        {IPPROTO_AH, &proto_ah},
        {IPPROTO_COMP, &proto_comp},
        {IPPROTO_UDP, &proto_udp},
        {IPPROTO_UDPLITE, &proto_udplite},
        {IPPROTO_TCP, &proto_tcp},
        {IPPROTO_DCCP, &proto_dccp},
        {IPPROTO_SCTP, &proto_sctp},
        {IPPROTO_GRE, &proto_gre},
        {IPPROTO_GRE, &proto_gretap},
    }),
    .templates = templates({
        {0, kL4protoMeta},
        {IPHDR_VERSION, field("version", &integer_type, 0, 4)},
        {IPHDR_HDRLENGTH, field("hdrlength", &integer_type, 4, 4)},
        {IPHDR_DSCP, field("dscp", &dscp_type, 8, 6)},
        {IPHDR_ECN, field("ecn", &ecn_type, 14, 2)},
        {IPHDR_LENGTH, field("length", &integer_type, 16, 16)},
        {IPHDR_ID, field("id", &integer_type, 32, 16)},
        {IPHDR_FRAG_OFF, field("frag-off", &xinteger_type, 48, 16)},
        {IPHDR_TTL, field("ttl", &integer_type, 64, 8)},
        {IPHDR_PROTOCOL, field("protocol", &inet_protocol_type, 72, 8)},
        {IPHDR_CHECKSUM, field("checksum", &integer_type, 80, 16)},
        {IPHDR_SADDR, field("saddr", &ipaddr_type, 96, 32)},
        {IPHDR_DADDR, field("daddr", &ipaddr_type, 128, 32)},
    }),
    .format = {.order = order({IPHDR_SADDR, IPHDR_DADDR, IPHDR_DSCP, IPHDR_ECN, IPHDR_TTL, IPHDR_ID, IPHDR_PROTOCOL,
                               IPHDR_LENGTH}),
               .filter = mask({IPHDR_VERSION, IPHDR_HDRLENGTH, IPHDR_FRAG_OFF})},
    .pseudohdr = pseudohdr({IPHDR_SADDR, IPHDR_DADDR, IPHDR_PROTOCOL, IPHDR_LENGTH}),
};

// struct ipv6hdr; version, dscp, ecn and flowlabel are bit fields of the
// first 32 bits.
const ProtoDesc proto_ip6{
    .name = "ip6",
    .id = ProtoId::ip6,
    .base = ProtoBase::network,
    .protocols = kIp6Upper,
    .templates = templates({
        {0, kL4protoMeta},
        {IP6HDR_VERSION, field("version", &integer_type, 0, 4)},
        {IP6HDR_DSCP, field("dscp", &dscp_type, 4, 6)},
        {IP6HDR_ECN, field("ecn", &ecn_type, 10, 2)},
        {IP6HDR_FLOWLABEL, field("flowlabel", &integer_type, 12, 20)},
        {IP6HDR_LENGTH, field("length", &integer_type, 32, 16)},
        {IP6HDR_NEXTHDR, field("nexthdr", &inet_protocol_type, 48, 8)},
        {IP6HDR_HOPLIMIT, field("hoplimit", &integer_type, 56, 8)},
        {IP6HDR_SADDR, field("saddr", &ip6addr_type, 64, 128)},
        {IP6HDR_DADDR, field("daddr", &ip6addr_type, 192, 128)},
    }),
    .format = {.order = order({IP6HDR_SADDR, IP6HDR_DADDR, IP6HDR_DSCP, IP6HDR_ECN, IP6HDR_HOPLIMIT,
                               IP6HDR_FLOWLABEL, IP6HDR_NEXTHDR, IP6HDR_LENGTH}),
               .filter = mask({IP6HDR_VERSION})},
    .pseudohdr = pseudohdr({IP6HDR_SADDR, IP6HDR_DADDR, IP6HDR_NEXTHDR, IP6HDR_LENGTH}),
};

// struct arp_hdr (packed), Ethernet/IPv4 addresses only.
const ProtoDesc proto_arp{
    .name = "arp",
    .id = ProtoId::arp,
    .base = ProtoBase::network,
    .templates = templates({
        {ARPHDR_HRD, field("htype", &integer_type, 0, 16)},
        {ARPHDR_PRO, field("ptype", &ethertype_type, 16, 16)},
        {ARPHDR_HLN, field("hlen", &integer_type, 32, 8)},
        {ARPHDR_PLN, field("plen", &integer_type, 40, 8)},
        {ARPHDR_OP, field("operation", &arpop_type, 48, 16)},
        {ARPHDR_SADDR_ETHER, field("saddr ether", &etheraddr_type, 64, 48)},
        {ARPHDR_SADDR_IP, field("saddr ip", &ipaddr_type, 112, 32)},
        {ARPHDR_DADDR_ETHER, field("daddr ether", &etheraddr_type, 144, 48)},
        {ARPHDR_DADDR_IP, field("daddr ip", &ipaddr_type, 192, 32)},
    }),
    .format = {.filter = mask({ARPHDR_HRD, ARPHDR_PRO, ARPHDR_HLN, ARPHDR_PLN, ARPHDR_SADDR_ETHER,
                               ARPHDR_DADDR_ETHER, ARPHDR_SADDR_IP, ARPHDR_DADDR_IP})},
};

// Mixed IPv4/IPv6 (inet) tables: the network protocol is chosen at the link
// layer by the netfilter protocol, read with meta nfproto.
const ProtoDesc proto_inet{
    .name = "inet",
    .base = ProtoBase::ll,
    .protocols = links({{NFPROTO_IPV4, &proto_ip}, {NFPROTO_IPV6, &proto_ip6}}),
    .templates = templates({{0, meta_field("nfproto", &nfproto_type, NFT_META_NFPROTO, 8)}}),
};

// When the network protocol is unknown (IPv4 or IPv6): the transport
// protocols common to both, chosen with meta l4proto.
const ProtoDesc proto_inet_service{
    .name = "inet-service",
    .base = ProtoBase::transport,
    .protocol_key = 0,
    .protocols = kIp6Upper,
    .templates = templates({{0, kL4protoMeta}}),
};

// ---------------------------------------------------------------------------
// Link layer

// struct vlan_hdr: pcp, dei (alias cfi) and id are bit fields of the TCI.
const ProtoDesc proto_vlan{
    .name = "vlan",
    .id = ProtoId::vlan,
    .base = ProtoBase::ll,
    .protocol_key = VLANHDR_TYPE,
    .length = 32,
    .protocols = kLlUpper,
    .templates = templates({
        {VLANHDR_PCP, field("pcp", &integer_type, 0, 3)},
        {VLANHDR_DEI, field("dei", &integer_type, 3, 1)},
        {VLANHDR_CFI, field("cfi", &integer_type, 3, 1)},
        {VLANHDR_VID, field("id", &integer_type, 4, 12)},
        {VLANHDR_TYPE, field("type", &ethertype_type, 16, 16)},
    }),
};

// struct ether_header
const ProtoDesc proto_eth{
    .name = "ether",
    .id = ProtoId::ether,
    .base = ProtoBase::ll,
    .protocol_key = ETHHDR_TYPE,
    .length = 112,
    .protocols = kLlUpper,
    .templates = templates({
        {ETHHDR_DADDR, field("daddr", &etheraddr_type, 0, 48)},
        {ETHHDR_SADDR, field("saddr", &etheraddr_type, 48, 48)},
        {ETHHDR_TYPE, field("type", &ethertype_type, 96, 16)},
    }),
    .format = {.order = order({ETHHDR_SADDR, ETHHDR_DADDR, ETHHDR_TYPE})},
};

// netdev tables: the network protocol is read with meta protocol.
const ProtoDesc proto_netdev{
    .name = "netdev",
    .base = ProtoBase::ll,
    .protocols = kLlUpper,
    .templates = templates({{0, meta_field("protocol", &ethertype_type, NFT_META_PROTOCOL, 16)}}),
};

// ---------------------------------------------------------------------------
// Tunnels (inner headers)

// struct vxlanhdr: flags byte, then the 24-bit VNI at byte 4.
const ProtoDesc proto_vxlan{
    .name = "vxlan",
    .id = ProtoId::vxlan,
    .base = ProtoBase::inner,
    .protocols = kInnerUpper,
    .templates = templates({
        {VXLANHDR_FLAGS, field("flags", &bitmask_type, 0, 8)},
        {VXLANHDR_VNI, field("vni", &integer_type, 32, 24)},
    }),
    .inner = {.hdrsize = 8,
              .flags = bc::uapi::kInnerHdrsize | bc::uapi::kInnerLl | bc::uapi::kInnerNh | bc::uapi::kInnerTh,
              .type = bc::uapi::kInnerVxlan},
};

// struct gnvhdr
const ProtoDesc proto_geneve{
    .name = "geneve",
    .id = ProtoId::geneve,
    .base = ProtoBase::inner,
    .protocols = kInnerUpper,
    .templates = templates({
        {GNVHDR_TYPE, field("type", &ethertype_type, 16, 16)},
        {GNVHDR_VNI, field("vni", &integer_type, 32, 24)},
    }),
    .inner = {.hdrsize = 8,
              .flags = bc::uapi::kInnerHdrsize | bc::uapi::kInnerLl | bc::uapi::kInnerNh | bc::uapi::kInnerTh,
              .type = bc::uapi::kInnerGeneve},
};

// ---------------------------------------------------------------------------
// Lookups

namespace {

// nft's proto_definitions, indexed by ProtoId.
constexpr std::array<const ProtoDesc*, 22> kDefinitions = {
    nullptr,     &proto_ah,    &proto_esp,  &proto_comp,  &proto_icmp,   &proto_igmp, &proto_udp,   &proto_udplite,
    &proto_tcp,  &proto_dccp,  &proto_sctp, &proto_th,    &proto_ip,     &proto_ip6,  &proto_icmp6, &proto_arp,
    &proto_vlan, &proto_eth,   &proto_vxlan, &proto_geneve, &proto_gre,  &proto_gretap,
};

constexpr const ProtoDesc* kInnerProtocols[] = {&proto_vxlan, &proto_geneve, &proto_gre, &proto_gretap};

// ARPHRD device types and their link layer protocols.
struct DevProtoDesc {
  std::uint16_t type;
  const ProtoDesc* desc;
};
constexpr DevProtoDesc kDevProtoDescs[] = {{ARPHRD_ETHER, &proto_eth}};

}  // namespace

const HookProtoDesc& hook_proto_desc(Family family) {
  static const HookProtoDesc bridge{ProtoBase::ll, &proto_eth};
  static const HookProtoDesc netdev{ProtoBase::ll, &proto_netdev};
  static const HookProtoDesc inet{ProtoBase::ll, &proto_inet};
  static const HookProtoDesc ip{ProtoBase::network, &proto_ip};
  static const HookProtoDesc ip6{ProtoBase::network, &proto_ip6};
  static const HookProtoDesc arp{ProtoBase::network, &proto_arp};
  switch (family) {
    case Family::bridge: return bridge;
    case Family::netdev: return netdev;
    case Family::inet: return inet;
    case Family::ip: return ip;
    case Family::ip6: return ip6;
    case Family::arp: return arp;
  }
  static const HookProtoDesc none{};
  return none;
}

bool proto_dev_type(const ProtoDesc* desc, std::uint16_t& type) {
  for (const DevProtoDesc& d : kDevProtoDescs) {
    if (d.desc == desc) {
      type = d.type;
      return true;
    }
    for (const ProtoLink& link : d.desc->protocols) {
      if (link.desc == nullptr) break;
      if (link.desc == desc) {
        type = d.type;
        return true;
      }
    }
  }
  return false;
}

const ProtoDesc* proto_dev_desc(std::uint16_t type) {
  for (const DevProtoDesc& d : kDevProtoDescs)
    if (d.type == type) return d.desc;
  return nullptr;
}

const ProtoDesc* proto_find_upper(const ProtoDesc* base, unsigned num) {
  for (const ProtoLink& link : base->protocols) {
    if (link.desc == nullptr) break;
    if (link.num == num) return link.desc;
  }
  return nullptr;
}

int proto_find_num(const ProtoDesc* base, const ProtoDesc* desc) {
  for (const ProtoLink& link : base->protocols) {
    if (link.desc == nullptr) break;
    if (link.desc == desc) return static_cast<int>(link.num);
  }
  return -1;
}

const ProtoDesc* proto_find_desc(ProtoId id) {
  auto i = static_cast<std::size_t>(id);
  return i < kDefinitions.size() ? kDefinitions[i] : nullptr;
}

const ProtoDesc* proto_find_inner(std::uint32_t type, std::uint32_t hdrsize, std::uint32_t flags) {
  for (const ProtoDesc* d : kInnerProtocols)
    if (d->inner.type == type && d->inner.hdrsize == hdrsize && d->inner.flags == flags) return d;
  return &proto_unknown;
}

std::string_view proto_base_name(ProtoBase b) {
  switch (b) {
    case ProtoBase::invalid: return "invalid";
    case ProtoBase::ll: return "link layer";
    case ProtoBase::network: return "network layer";
    case ProtoBase::transport: return "transport layer";
    case ProtoBase::inner: return "payload data";
  }
  return "invalid";
}

std::string_view proto_base_token(ProtoBase b) {
  switch (b) {
    case ProtoBase::invalid: return "invalid";
    case ProtoBase::ll: return "ll";
    case ProtoBase::network: return "nh";
    case ProtoBase::transport: return "th";
    case ProtoBase::inner: return "ih";
  }
  return "invalid";
}

const ProtoDesc* proto_by_name(std::string_view name) {
  for (const ProtoDesc* d : kDefinitions)
    if (d != nullptr && d->name == name) return d;
  return nullptr;
}

int proto_field_index(const ProtoDesc* desc, std::string_view token) {
  for (std::size_t i = 0; i < desc->templates.size(); ++i) {
    const HdrTemplate& t = desc->templates[i];
    // Index 0 of some headers is a meta key (l4proto, nfproto), not a field.
    if (t.meta_key != 0 || t.token.empty()) continue;
    if (t.token == token) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace nftc::sema
