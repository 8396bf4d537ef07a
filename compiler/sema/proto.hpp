// Protocol descriptions as data: every header nft knows, its fields (name,
// datatype, bit offset, bit length, byte order) and how headers stack (the
// value of a protocol key that selects the upper layer). Parsing, analysis,
// lowering and printing all read these tables; nothing else knows field
// offsets.
//
// The field index of a template is nft's (IPHDR_SADDR etc.), so that code
// can name fields with the enums below.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "compiler/sema/datatype.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::sema {

// (Not icmp6_mtu or icmp6_pptr: <netinet/icmp6.h> defines those as macros,
// which would rewrite the enumerators in any translation unit, or unity
// batch, that includes it first.)
enum class IcmpDep : std::uint8_t {
  any, echo, mtu, address, icmp6_too_big, icmp6_param_prob, icmp6_echo, icmp6_mgmq, icmp6_address, icmp6_redirect,
};

struct HdrTemplate {
  std::string_view token{};
  const Datatype* dtype = nullptr;
  std::uint16_t offset = 0;  // bits from the start of the header
  std::uint16_t len = 0;     // bits
  ByteOrder byteorder = ByteOrder::invalid;
  std::uint8_t meta_key = 0;  // NFT_META_*: a key read with meta, not payload (inet/netdev pseudo headers)
  IcmpDep icmp_dep = IcmpDep::any;
};

enum class ProtoId : std::uint8_t {
  unknown, ah, esp, comp, icmp, igmp, udp, udplite, tcp, dccp, sctp, th, ip, ip6, icmpv6, arp, vlan, ether, vxlan,
  geneve, gre, gretap,
};

struct ProtoDesc;
struct ProtoLink {
  std::uint32_t num = 0;
  const ProtoDesc* desc = nullptr;
};

inline constexpr unsigned kProtoUpperMax = 16;
inline constexpr unsigned kProtoHdrsMax = 20;

struct ProtoDesc {
  std::string_view name{};
  ProtoId id = ProtoId::unknown;
  ProtoBase base = ProtoBase::invalid;
  std::uint8_t checksum_type = 0;   // NFT_PAYLOAD_CSUM_*
  std::uint16_t checksum_key = 0;   // field index of the checksum
  std::uint16_t protocol_key = 0;   // field index that selects the upper protocol
  unsigned length = 0;              // header length in bits (0 if variable)
  std::array<ProtoLink, kProtoUpperMax> protocols{};
  std::array<HdrTemplate, kProtoHdrsMax> templates{};
  struct {
    std::array<std::uint8_t, kProtoHdrsMax> order{};  // printing order of fields when combined
    std::uint32_t filter = 0;                          // fields not printed
  } format{};
  std::array<unsigned, kProtoHdrsMax> pseudohdr{};      // fields in the checksum pseudo header
  struct {
    std::uint32_t hdrsize = 0;
    std::uint32_t flags = 0;
    std::uint32_t type = 0;  // NFT_INNER_*
  } inner{};
};

// The protocol of each base that a family's hook starts from (nft's
// hook_proto_desc): ip → network ip, inet → ll "inet" pseudo header, …
struct HookProtoDesc {
  ProtoBase base = ProtoBase::invalid;
  const ProtoDesc* desc = nullptr;
};
const HookProtoDesc& hook_proto_desc(Family family);

// Link-layer protocol ↔ ARPHRD device type (for `meta iiftype` dependencies).
bool proto_dev_type(const ProtoDesc* desc, std::uint16_t& type);
const ProtoDesc* proto_dev_desc(std::uint16_t type);

const ProtoDesc* proto_find_upper(const ProtoDesc* base, unsigned num);
int proto_find_num(const ProtoDesc* base, const ProtoDesc* desc);
const ProtoDesc* proto_find_desc(ProtoId id);
const ProtoDesc* proto_find_inner(std::uint32_t type, std::uint32_t hdrsize, std::uint32_t flags);
std::string_view proto_base_name(ProtoBase b);   // "link layer", "network layer", …
std::string_view proto_base_token(ProtoBase b);  // "ll", "nh", "th", "ih"

extern const ProtoDesc proto_icmp, proto_igmp, proto_ah, proto_esp, proto_comp, proto_udp, proto_udplite, proto_tcp,
    proto_dccp, proto_sctp, proto_th, proto_icmp6, proto_ip, proto_ip6, proto_inet, proto_inet_service, proto_arp,
    proto_vlan, proto_eth, proto_netdev, proto_unknown, proto_vxlan, proto_geneve, proto_gre, proto_gretap;
extern const HdrTemplate proto_unknown_template;

// Looks a protocol up by the keyword the grammar used (ether, ip, tcp, …).
const ProtoDesc* proto_by_name(std::string_view name);
// The index of a field template by its token, or -1.
int proto_field_index(const ProtoDesc* desc, std::string_view token);

// Field indices (nft's enums).
enum { ETHHDR_INVALID, ETHHDR_DADDR, ETHHDR_SADDR, ETHHDR_TYPE };
enum { VLANHDR_INVALID, VLANHDR_PCP, VLANHDR_DEI, VLANHDR_CFI, VLANHDR_VID, VLANHDR_TYPE };
enum {
  ARPHDR_INVALID, ARPHDR_HRD, ARPHDR_PRO, ARPHDR_HLN, ARPHDR_PLN, ARPHDR_OP, ARPHDR_SADDR_ETHER, ARPHDR_SADDR_IP,
  ARPHDR_DADDR_ETHER, ARPHDR_DADDR_IP,
};
enum {
  IPHDR_INVALID, IPHDR_VERSION, IPHDR_HDRLENGTH, IPHDR_DSCP, IPHDR_ECN, IPHDR_LENGTH, IPHDR_ID, IPHDR_FRAG_OFF,
  IPHDR_TTL, IPHDR_PROTOCOL, IPHDR_CHECKSUM, IPHDR_SADDR, IPHDR_DADDR,
};
enum { ICMPHDR_INVALID, ICMPHDR_TYPE, ICMPHDR_CODE, ICMPHDR_CHECKSUM, ICMPHDR_ID, ICMPHDR_SEQ, ICMPHDR_GATEWAY, ICMPHDR_MTU };
enum { IGMPHDR_INVALID, IGMPHDR_TYPE, IGMPHDR_CHECKSUM, IGMPHDR_MRT, IGMPHDR_GROUP };
enum {
  ICMP6HDR_INVALID, ICMP6HDR_TYPE, ICMP6HDR_CODE, ICMP6HDR_CHECKSUM, ICMP6HDR_PPTR, ICMP6HDR_MTU, ICMP6HDR_ID,
  ICMP6HDR_SEQ, ICMP6HDR_MAXDELAY, ICMP6HDR_TADDR, ICMP6HDR_DADDR,
};
enum {
  IP6HDR_INVALID, IP6HDR_VERSION, IP6HDR_DSCP, IP6HDR_ECN, IP6HDR_FLOWLABEL, IP6HDR_LENGTH, IP6HDR_NEXTHDR,
  IP6HDR_HOPLIMIT, IP6HDR_SADDR, IP6HDR_DADDR, IP6HDR_PROTOCOL,
};
enum { AHHDR_INVALID, AHHDR_NEXTHDR, AHHDR_HDRLENGTH, AHHDR_RESERVED, AHHDR_SPI, AHHDR_SEQUENCE };
enum { ESPHDR_INVALID, ESPHDR_SPI, ESPHDR_SEQUENCE };
enum { COMPHDR_INVALID, COMPHDR_NEXTHDR, COMPHDR_FLAGS, COMPHDR_CPI };
enum { UDPHDR_INVALID, UDPHDR_SPORT, UDPHDR_DPORT, UDPHDR_LENGTH, UDPHDR_CSUMCOV = UDPHDR_LENGTH, UDPHDR_CHECKSUM };
enum {
  TCPHDR_INVALID, TCPHDR_UNSPEC = TCPHDR_INVALID, TCPHDR_SPORT, TCPHDR_DPORT, TCPHDR_SEQ, TCPHDR_ACKSEQ,
  TCPHDR_DOFF, TCPHDR_RESERVED, TCPHDR_FLAGS, TCPHDR_WINDOW, TCPHDR_CHECKSUM, TCPHDR_URGPTR,
};
enum { DCCPHDR_INVALID, DCCPHDR_SPORT, DCCPHDR_DPORT, DCCPHDR_TYPE };
enum { SCTPHDR_INVALID, SCTPHDR_SPORT, SCTPHDR_DPORT, SCTPHDR_VTAG, SCTPHDR_CHECKSUM };
enum { THDR_INVALID, THDR_SPORT, THDR_DPORT };
enum { VXLANHDR_INVALID, VXLANHDR_VNI, VXLANHDR_FLAGS };
enum { GNVHDR_INVALID, GNVHDR_VNI, GNVHDR_TYPE };
enum { GREHDR_INVALID, GREHDR_VERSION, GREHDR_FLAGS, GREHDR_PROTOCOL };
// The pseudo headers of inet and netdev tables.
enum { INETHDR_INVALID, INETHDR_PROTOCOL };
enum { NETDEVHDR_INVALID, NETDEVHDR_PROTOCOL };
enum { INETSRVHDR_INVALID, INETSRVHDR_PROTOCOL };

// ---------------------------------------------------------------------------
// Keys read by meta, ct and the other non-payload selectors: one template
// per kernel key (NFT_META_*, NFT_CT_*, …), indexed by the key.

struct KeyTemplate {
  std::string_view token{};
  const Datatype* dtype = nullptr;
  std::uint16_t len = 0;  // bits
  ByteOrder byteorder = ByteOrder::invalid;
};

const KeyTemplate* meta_template(std::uint32_t key);
std::optional<std::uint32_t> meta_key_by_name(std::string_view token);
const KeyTemplate* ct_template(std::uint32_t key);
std::optional<std::uint32_t> ct_key_by_name(std::string_view token);
const KeyTemplate* rt_template(std::uint32_t key);
const KeyTemplate* socket_template(std::uint32_t key);
const KeyTemplate* tunnel_template(std::uint32_t key);
const KeyTemplate* xfrm_template(std::uint32_t key);

// The tokens of every meta and ct key, for "did you mean".
std::vector<std::string_view> meta_key_names();
std::vector<std::string_view> ct_key_names();
// Keys nft prints without "meta " (iif, oif, iifname, oifname, iifgroup,
// oifgroup; nft's meta_key_is_unqualified).
bool meta_key_is_unqualified(std::uint32_t key);
// Whether a ct key takes a direction (ct original saddr): `ct ip saddr`
// needs one, `ct state` takes none.
enum class CtDirection : std::uint8_t { none, optional, required };
CtDirection ct_key_direction(std::uint32_t key);
// Keys by the token nft's grammar reads. Where a token names two keys the
// IPv4 one is returned (rt nexthop, ipsec saddr/daddr): `rt ip6 nexthop` and
// `ipsec in ip6 saddr` select the IPv6 key, as nft's parser does.
std::optional<std::uint32_t> rt_key_by_name(std::string_view token);
std::optional<std::uint32_t> socket_key_by_name(std::string_view token);
std::optional<std::uint32_t> tunnel_key_by_name(std::string_view token);
std::optional<std::uint32_t> xfrm_key_by_name(std::string_view token);

// Connection-tracking timeout states of a protocol, in the kernel's order,
// with the defaults nft fills in for states a policy leaves out (seconds).
struct TimeoutState {
  std::string_view name;
  std::uint32_t dflt;
};
std::span<const TimeoutState> timeout_states(std::uint8_t l4proto);

// IPv6 extension headers, TCP/IP/DCCP options and SCTP chunks.
enum class ExthdrId : std::uint8_t { unknown, hbh, rt, rt0, rt2, srh, frag, dst, mh };
struct ExthdrDesc {
  std::string_view name{};
  ExthdrId id = ExthdrId::unknown;
  std::uint8_t type = 0;  // IPv6 nexthdr value, or the option/chunk type
  std::array<HdrTemplate, 10> templates{};
};
const ExthdrDesc* exthdr_by_name(std::string_view name);      // hbh, rt, rt0, rt2, srh, frag, dst, mh
const ExthdrDesc* exthdr_find_proto(std::uint8_t nexthdr);
const ExthdrDesc* tcpopt_by_name(std::string_view name);      // eol, nop, maxseg/mss, window, sack-perm, sack0-3, timestamp, …
const ExthdrDesc* tcpopt_by_kind(std::uint8_t kind);
const ExthdrDesc* ipopt_by_name(std::string_view name);       // lsrr, rr, ssrr, ra
const ExthdrDesc* sctp_chunk_by_name(std::string_view name);
int exthdr_field_index(const ExthdrDesc* desc, std::string_view token);

// The template nft uses for fields it has no description of.
extern const HdrTemplate exthdr_unknown_template;
// The description of TCP options nft does not know: kind and length.
extern const ExthdrDesc tcpopt_fallback;

const ExthdrDesc* exthdr_find_desc(ExthdrId id);
// The kind nft's grammar makes of a `tcp option` name: the option's kind on
// the wire, or TCPOPT_KIND_SACK1-3 for sack1-3.
std::optional<unsigned> tcpopt_kind_by_name(std::string_view name);
// What `tcp option KIND FIELD` loads (nft's tcpopt_expr_alloc): sack1-3 become
// the SACK option's later blocks; a kind without description gets
// tcpopt_fallback (kind and length, else exthdr_unknown_template). None if
// the option has no such field or the kind is above 255.
struct TcpoptField {
  const ExthdrDesc* desc = nullptr;
  const HdrTemplate* tmpl = nullptr;
  unsigned field = 0;     // the template index
  std::uint8_t kind = 0;  // the option kind on the wire
};
std::optional<TcpoptField> tcpopt_find(unsigned kind, unsigned field);
const ExthdrDesc* ipopt_by_type(std::uint8_t type);
const ExthdrDesc* sctp_chunk_by_type(std::uint8_t type);
// DCCP option types share descriptions by range (reserved, CCID-specific).
const ExthdrDesc* dccpopt_find_desc(std::uint8_t type);
// The field of `desc` at this bit offset and length, if any (how nft names
// raw loads back: exthdr_init_raw and friends).
const HdrTemplate* exthdr_template_at(const ExthdrDesc* desc, unsigned offset, unsigned len);

// Field indices of extension headers, options and chunks (nft's enums).
enum { HBHHDR_INVALID, HBHHDR_NEXTHDR, HBHHDR_HDRLENGTH };
enum { RTHDR_INVALID, RTHDR_NEXTHDR, RTHDR_HDRLENGTH, RTHDR_TYPE, RTHDR_SEG_LEFT };
enum { RT0HDR_INVALID, RT0HDR_RESERVED, RT0HDR_ADDR_1 };
enum { RT2HDR_INVALID, RT2HDR_RESERVED, RT2HDR_ADDR };
enum { RT4HDR_INVALID, RT4HDR_LASTENT, RT4HDR_FLAGS, RT4HDR_TAG, RT4HDR_SID_1 };
enum {
  FRAGHDR_INVALID, FRAGHDR_NEXTHDR, FRAGHDR_RESERVED, FRAGHDR_FRAG_OFF, FRAGHDR_RESERVED2, FRAGHDR_MFRAGS,
  FRAGHDR_ID,
};
enum { DSTHDR_INVALID, DSTHDR_NEXTHDR, DSTHDR_HDRLENGTH };
enum { MHHDR_INVALID, MHHDR_NEXTHDR, MHHDR_HDRLENGTH, MHHDR_TYPE, MHHDR_RESERVED, MHHDR_CHECKSUM };
enum : unsigned {
  TCPOPT_KIND_EOL = 0, TCPOPT_KIND_NOP = 1, TCPOPT_KIND_MAXSEG = 2, TCPOPT_KIND_WINDOW = 3,
  TCPOPT_KIND_SACK_PERMITTED = 4, TCPOPT_KIND_SACK = 5, TCPOPT_KIND_TIMESTAMP = 8, TCPOPT_KIND_ECHO = 8,
  TCPOPT_KIND_MD5SIG = 19, TCPOPT_KIND_MPTCP = 30, TCPOPT_KIND_FASTOPEN = 34,
  // nft-internal: the second to fourth SACK blocks
  TCPOPT_KIND_SACK1 = 256, TCPOPT_KIND_SACK2 = 257, TCPOPT_KIND_SACK3 = 258,
};
enum { TCPOPT_COMMON_KIND, TCPOPT_COMMON_LENGTH };
enum { TCPOPT_MAXSEG_KIND, TCPOPT_MAXSEG_LENGTH, TCPOPT_MAXSEG_SIZE };
enum { TCPOPT_TS_KIND, TCPOPT_TS_LENGTH, TCPOPT_TS_TSVAL, TCPOPT_TS_TSECR };
enum { TCPOPT_WINDOW_KIND, TCPOPT_WINDOW_LENGTH, TCPOPT_WINDOW_COUNT };
enum {
  TCPOPT_SACK_KIND, TCPOPT_SACK_LENGTH, TCPOPT_SACK_LEFT, TCPOPT_SACK_RIGHT, TCPOPT_SACK_LEFT1, TCPOPT_SACK_RIGHT1,
  TCPOPT_SACK_LEFT2, TCPOPT_SACK_RIGHT2, TCPOPT_SACK_LEFT3, TCPOPT_SACK_RIGHT3,
};
enum { TCPOPT_MPTCP_KIND, TCPOPT_MPTCP_LENGTH, TCPOPT_MPTCP_SUBTYPE };
enum { IPOPT_FIELD_INVALID, IPOPT_FIELD_TYPE, IPOPT_FIELD_LENGTH, IPOPT_FIELD_VALUE, IPOPT_FIELD_PTR, IPOPT_FIELD_ADDR_0 };
enum { DCCPOPT_FIELD_INVALID, DCCPOPT_FIELD_TYPE };
enum { SCTP_CHUNK_COMMON_TYPE, SCTP_CHUNK_COMMON_FLAGS, SCTP_CHUNK_COMMON_LENGTH, SCTP_CHUNK_START_INDEX };
enum { SCTP_CHUNK_DATA_TSN = SCTP_CHUNK_START_INDEX, SCTP_CHUNK_DATA_STREAM, SCTP_CHUNK_DATA_SSN, SCTP_CHUNK_DATA_PPID };
enum {
  SCTP_CHUNK_INIT_TAG = SCTP_CHUNK_START_INDEX, SCTP_CHUNK_INIT_RWND, SCTP_CHUNK_INIT_OSTREAMS,
  SCTP_CHUNK_INIT_ISTREAMS, SCTP_CHUNK_INIT_TSN,
};
enum {
  SCTP_CHUNK_SACK_CTSN_ACK = SCTP_CHUNK_START_INDEX, SCTP_CHUNK_SACK_RWND, SCTP_CHUNK_SACK_GACK_BLOCKS,
  SCTP_CHUNK_SACK_DUP_TSNS,
};
enum { SCTP_CHUNK_SHUTDOWN_CTSN_ACK = SCTP_CHUNK_START_INDEX };
enum { SCTP_CHUNK_ECNE_CWR_MIN_TSN = SCTP_CHUNK_START_INDEX };
enum { SCTP_CHUNK_ASCONF_SEQNO = SCTP_CHUNK_START_INDEX };
enum { SCTP_CHUNK_FORWARD_TSN_NCTSN = SCTP_CHUNK_START_INDEX };

}  // namespace nftc::sema
