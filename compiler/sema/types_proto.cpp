// The datatypes of protocol header fields (nft's proto.c, exthdr.c,
// tcpopt.c, datatype.c's icmp codes): addresses, ethertypes, ICMP types and
// codes, TCP flags, DSCP, ECN, … Their values are what nft stores for them;
// symbol values are host-order integers of the bytes the type stores, so a
// big-endian 16-bit type lists htons(x).
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/igmp.h>
#include <netinet/ip_icmp.h>

#include "compiler/sema/types_impl.hpp"

namespace nftc::sema {

namespace {

// The host-order value of a big-endian 16-bit field holding `v`
// (__constant_htons on the little-endian hosts nftc models).

// ---------------------------------------------------------------------------
// Link layer

constexpr SymbolicConstant kEthertypeSymbols[] = {
    {"ip", be16(0x0800)},    {"arp", be16(0x0806)},    {"ip6", be16(0x86dd)},
    {"8021q", be16(0x8100)}, {"8021ad", be16(0x88a8)},
    {"vlan", be16(0x8100)},  // the old name of 8021q
};
constexpr SymbolTable kEthertypeTable{SymbolTable::hexadecimal, kEthertypeSymbols};

void ethertype_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  symbolic_constant_print(&kEthertypeTable, e, false, out, opts);
}

constexpr SymbolicConstant kArpopSymbols[] = {
    {"request", be16(ARPOP_REQUEST)},     {"reply", be16(ARPOP_REPLY)},        {"rrequest", be16(ARPOP_RREQUEST)},
    {"rreply", be16(ARPOP_RREPLY)},       {"inrequest", be16(ARPOP_InREQUEST)}, {"inreply", be16(ARPOP_InREPLY)},
    {"nak", be16(ARPOP_NAK)},
};
constexpr SymbolTable kArpopTable{SymbolTable::hexadecimal, kArpopSymbols};

// ---------------------------------------------------------------------------
// ICMP, ICMPv6, IGMP

constexpr SymbolicConstant kIcmpTypeSymbols[] = {
    {"echo-reply", ICMP_ECHOREPLY},
    {"destination-unreachable", ICMP_DEST_UNREACH},
    {"source-quench", ICMP_SOURCE_QUENCH},
    {"redirect", ICMP_REDIRECT},
    {"echo-request", ICMP_ECHO},
    {"router-advertisement", ICMP_ROUTERADVERT},
    {"router-solicitation", ICMP_ROUTERSOLICIT},
    {"time-exceeded", ICMP_TIME_EXCEEDED},
    {"parameter-problem", ICMP_PARAMETERPROB},
    {"timestamp-request", ICMP_TIMESTAMP},
    {"timestamp-reply", ICMP_TIMESTAMPREPLY},
    {"info-request", ICMP_INFO_REQUEST},
    {"info-reply", ICMP_INFO_REPLY},
    {"address-mask-request", ICMP_ADDRESS},
    {"address-mask-reply", ICMP_ADDRESSREPLY},
};
constexpr SymbolTable kIcmpTypeTable{SymbolTable::decimal, kIcmpTypeSymbols};

constexpr SymbolicConstant kIgmpTypeSymbols[] = {
    {"membership-query", IGMP_MEMBERSHIP_QUERY},
    {"membership-report-v1", IGMP_V1_MEMBERSHIP_REPORT},
    {"membership-report-v2", IGMP_V2_MEMBERSHIP_REPORT},
    {"membership-report-v3", 0x22},  // IGMP_V3_MEMBERSHIP_REPORT, missing from older libcs
    {"leave-group", IGMP_V2_LEAVE_GROUP},
};
constexpr SymbolTable kIgmpTypeTable{SymbolTable::decimal, kIgmpTypeSymbols};

constexpr SymbolicConstant kIcmp6TypeSymbols[] = {
    {"destination-unreachable", ICMP6_DST_UNREACH},
    {"packet-too-big", ICMP6_PACKET_TOO_BIG},
    {"time-exceeded", ICMP6_TIME_EXCEEDED},
    {"parameter-problem", ICMP6_PARAM_PROB},
    {"echo-request", ICMP6_ECHO_REQUEST},
    {"echo-reply", ICMP6_ECHO_REPLY},
    {"mld-listener-query", MLD_LISTENER_QUERY},
    {"mld-listener-report", MLD_LISTENER_REPORT},
    {"mld-listener-done", MLD_LISTENER_REDUCTION},
    {"mld-listener-reduction", MLD_LISTENER_REDUCTION},
    {"nd-router-solicit", ND_ROUTER_SOLICIT},
    {"nd-router-advert", ND_ROUTER_ADVERT},
    {"nd-neighbor-solicit", ND_NEIGHBOR_SOLICIT},
    {"nd-neighbor-advert", ND_NEIGHBOR_ADVERT},
    {"nd-redirect", ND_REDIRECT},
    {"router-renumbering", ICMP6_ROUTER_RENUMBERING},
    {"ind-neighbor-solicit", 141},  // inverse neighbor discovery (RFC 3122)
    {"ind-neighbor-advert", 142},
    {"mld2-listener-report", 143},
};
constexpr SymbolTable kIcmp6TypeTable{SymbolTable::decimal, kIcmp6TypeSymbols};

// The codes `reject with icmp|icmpv6|icmpx CODE` accepts; `icmp code`
// matches parse them too but print numbers (their types have no table).
constexpr SymbolicConstant kIcmpCodeSymbols[] = {
    {"net-unreachable", ICMP_NET_UNREACH},   {"host-unreachable", ICMP_HOST_UNREACH},
    {"prot-unreachable", ICMP_PROT_UNREACH}, {"port-unreachable", ICMP_PORT_UNREACH},
    {"net-prohibited", ICMP_NET_ANO},        {"host-prohibited", ICMP_HOST_ANO},
    {"admin-prohibited", ICMP_PKT_FILTERED}, {"frag-needed", ICMP_FRAG_NEEDED},
};
constexpr SymbolTable kIcmpCodeTable{SymbolTable::decimal, kIcmpCodeSymbols};

constexpr SymbolicConstant kIcmpv6CodeSymbols[] = {
    {"no-route", ICMP6_DST_UNREACH_NOROUTE},        {"admin-prohibited", ICMP6_DST_UNREACH_ADMIN},
    {"addr-unreachable", ICMP6_DST_UNREACH_ADDR},   {"port-unreachable", ICMP6_DST_UNREACH_NOPORT},
    {"policy-fail", 5},                             // ICMPV6_POLICY_FAIL
    {"reject-route", 6},                            // ICMPV6_REJECT_ROUTE
};
constexpr SymbolTable kIcmpv6CodeTable{SymbolTable::decimal, kIcmpv6CodeSymbols};

// enum nft_reject_inet_code
constexpr SymbolicConstant kIcmpxCodeSymbols[] = {
    {"port-unreachable", 1},  // NFT_REJECT_ICMPX_PORT_UNREACH
    {"admin-prohibited", 3},  // NFT_REJECT_ICMPX_ADMIN_PROHIBITED
    {"no-route", 0},          // NFT_REJECT_ICMPX_NO_ROUTE
    {"host-unreachable", 2},  // NFT_REJECT_ICMPX_HOST_UNREACH
};
constexpr SymbolTable kIcmpxCodeTable{SymbolTable::decimal, kIcmpxCodeSymbols};

bool icmp_code_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return symbolic_constant_parse(ctx, sym, kIcmpCodeTable, out);
}
bool icmpv6_code_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return symbolic_constant_parse(ctx, sym, kIcmpv6CodeTable, out);
}
bool icmpx_code_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  return symbolic_constant_parse(ctx, sym, kIcmpxCodeTable, out);
}

// ---------------------------------------------------------------------------
// Transport and extension headers

constexpr SymbolicConstant kTcpFlagSymbols[] = {
    {"fin", 0x01}, {"syn", 0x02}, {"rst", 0x04}, {"psh", 0x08},
    {"ack", 0x10}, {"urg", 0x20}, {"ecn", 0x40}, {"cwr", 0x80},
};
constexpr SymbolTable kTcpFlagTable{SymbolTable::hexadecimal, kTcpFlagSymbols};

constexpr SymbolicConstant kDccpPkttypeSymbols[] = {
    {"request", 0}, {"response", 1}, {"data", 2},  {"ack", 3},  {"dataack", 4},
    {"closereq", 5}, {"close", 6},   {"reset", 7}, {"sync", 8}, {"syncack", 9},
};
constexpr SymbolTable kDccpPkttypeTable{SymbolTable::hexadecimal, kDccpPkttypeSymbols};

// Mobility header types (RFC 3775, 4068, 5096, 5142).
constexpr SymbolicConstant kMhTypeSymbols[] = {
    {"binding-refresh-request", 0},
    {"home-test-init", 1},
    {"careof-test-init", 2},
    {"home-test", 3},
    {"careof-test", 4},
    {"binding-update", 5},
    {"binding-acknowledgement", 6},
    {"binding-error", 7},
    {"fast-binding-update", 8},
    {"fast-binding-acknowledgement", 9},
    {"fast-binding-advertisement", 10},
    {"experimental-mobility-header", 11},
    {"home-agent-switch-message", 12},
};
constexpr SymbolTable kMhTypeTable{SymbolTable::decimal, kMhTypeSymbols};

constexpr SymbolicConstant kMptcpSubtypeSymbols[] = {
    {"mp-capable", 0}, {"mp-join", 1}, {"dss", 2},          {"add-addr", 3},  {"remove-addr", 4},
    {"mp-prio", 5},    {"mp-fail", 6}, {"mp-fastclose", 7}, {"mp-tcprst", 8},
};
constexpr SymbolTable kMptcpSubtypeTable{SymbolTable::decimal, kMptcpSubtypeSymbols};

// nftc only: the chunk and option names of `sctp chunk NAME` and the DCCP
// option table, as symbols (nft keeps them in its exthdr descriptions).
constexpr SymbolicConstant kSctpChunkTypeSymbols[] = {
    {"data", 0},         {"init", 1},        {"init-ack", 2},      {"sack", 3},
    {"heartbeat", 4},    {"heartbeat-ack", 5}, {"abort", 6},        {"shutdown", 7},
    {"shutdown-ack", 8}, {"error", 9},       {"cookie-echo", 10},  {"cookie-ack", 11},
    {"ecne", 12},        {"cwr", 13},        {"shutdown-complete", 14}, {"asconf-ack", 128},
    {"forward-tsn", 192}, {"asconf", 193},
};
constexpr SymbolTable kSctpChunkTypeTable{SymbolTable::decimal, kSctpChunkTypeSymbols};

constexpr SymbolicConstant kDccpOptionTypeSymbols[] = {
    {"padding", 0},       {"mandatory", 1},         {"slow_receiver", 2},      {"change_l", 32},
    {"confirm_l", 33},    {"change_r", 34},         {"confirm_r", 35},         {"init_cookie", 36},
    {"ndp_count", 37},    {"ack_vector_nonce_0", 38}, {"ack_vector_nonce_1", 39}, {"data_dropped", 40},
    {"timestamp", 41},    {"timestamp_echo", 42},   {"elapsed_time", 43},      {"data_checksum", 44},
};
constexpr SymbolTable kDccpOptionTypeTable{SymbolTable::decimal, kDccpOptionTypeSymbols};

// ---------------------------------------------------------------------------
// IP

constexpr SymbolicConstant kDscpSymbols[] = {
    {"cs0", 0x00},  {"cs1", 0x08},  {"cs2", 0x10},  {"cs3", 0x18},  {"cs4", 0x20},  {"cs5", 0x28},  {"cs6", 0x30},
    {"cs7", 0x38},  {"df", 0x00},   {"be", 0x00},   {"lephb", 0x01}, {"af11", 0x0a}, {"af12", 0x0c}, {"af13", 0x0e},
    {"af21", 0x12}, {"af22", 0x14}, {"af23", 0x16}, {"af31", 0x1a}, {"af32", 0x1c}, {"af33", 0x1e}, {"af41", 0x22},
    {"af42", 0x24}, {"af43", 0x26}, {"va", 0x2c},   {"ef", 0x2e},
};
constexpr SymbolTable kDscpTable{SymbolTable::hexadecimal, kDscpSymbols};

constexpr SymbolicConstant kEcnSymbols[] = {{"not-ect", 0}, {"ect1", 1}, {"ect0", 2}, {"ce", 3}};
constexpr SymbolTable kEcnTable{SymbolTable::hexadecimal, kEcnSymbols};

}  // namespace

const Datatype etheraddr_type{.type = TYPE_ETHERADDR, .byteorder = ByteOrder::big, .size = 48,
                              .name = "ether_addr", .desc = "Ethernet address", .basetype = &lladdr_type};
const Datatype ethertype_type{.type = TYPE_ETHERTYPE, .byteorder = ByteOrder::big, .size = 16,
                              .name = "ether_type", .desc = "Ethernet protocol", .basetype = &integer_type,
                              .basefmt = "0x%.4Zx", .print = ethertype_print, .sym_tbl = &kEthertypeTable};
const Datatype arpop_type{.type = TYPE_ARPOP, .byteorder = ByteOrder::big, .size = 16, .name = "arp_op",
                          .desc = "ARP operation", .basetype = &integer_type, .sym_tbl = &kArpopTable};

const Datatype icmp_type_type{.type = TYPE_ICMP_TYPE, .byteorder = ByteOrder::big, .size = 8, .name = "icmp_type",
                              .desc = "ICMP type", .basetype = &integer_type, .sym_tbl = &kIcmpTypeTable};
const Datatype igmp_type_type{.type = TYPE_IGMP_TYPE, .byteorder = ByteOrder::big, .size = 8, .name = "igmp_type",
                              .desc = "IGMP type", .basetype = &integer_type, .sym_tbl = &kIgmpTypeTable};
const Datatype icmp6_type_type{.type = TYPE_ICMP6_TYPE, .byteorder = ByteOrder::big, .size = 8,
                               .name = "icmpv6_type", .desc = "ICMPv6 type", .basetype = &integer_type,
                               .sym_tbl = &kIcmp6TypeTable};

const Datatype icmp_code_type{.type = TYPE_ICMP_CODE, .byteorder = ByteOrder::big, .size = 8, .name = "icmp_code",
                              .desc = "icmp code", .basetype = &integer_type, .parse = icmp_code_parse};
const Datatype icmpv6_code_type{.type = TYPE_ICMPV6_CODE, .byteorder = ByteOrder::big, .size = 8,
                                .name = "icmpv6_code", .desc = "icmpv6 code", .basetype = &integer_type,
                                .parse = icmpv6_code_parse};
const Datatype icmpx_code_type{.type = TYPE_ICMPX_CODE, .byteorder = ByteOrder::big, .size = 8,
                               .name = "icmpx_code", .desc = "icmpx code", .basetype = &integer_type,
                               .parse = icmpx_code_parse};
// The reject statement's own code types: not registered, type id 0 as in nft.
const Datatype reject_icmp_code_type{.byteorder = ByteOrder::big, .size = 8, .name = "icmp_code",
                                     .desc = "reject icmp code", .basetype = &integer_type,
                                     .sym_tbl = &kIcmpCodeTable};
const Datatype reject_icmpv6_code_type{.byteorder = ByteOrder::big, .size = 8, .name = "icmpv6_code",
                                       .desc = "reject icmpv6 code", .basetype = &integer_type,
                                       .sym_tbl = &kIcmpv6CodeTable};
const Datatype reject_icmpx_code_type{.byteorder = ByteOrder::big, .size = 8, .name = "icmpx_code",
                                      .desc = "reject icmpx code", .basetype = &integer_type,
                                      .sym_tbl = &kIcmpxCodeTable};

const Datatype tcp_flag_type{.type = TYPE_TCP_FLAG, .byteorder = ByteOrder::big, .size = 8, .name = "tcp_flag",
                             .desc = "TCP flag", .basetype = &bitmask_type, .sym_tbl = &kTcpFlagTable};
const Datatype dccp_pkttype_type{.type = TYPE_DCCP_PKTTYPE, .byteorder = ByteOrder::invalid, .size = 4,
                                 .name = "dccp_pkttype", .desc = "DCCP packet type", .basetype = &integer_type,
                                 .sym_tbl = &kDccpPkttypeTable};
const Datatype mh_type_type{.type = TYPE_MH_TYPE, .byteorder = ByteOrder::big, .size = 8, .name = "mh_type",
                            .desc = "Mobility Header Type", .basetype = &integer_type, .sym_tbl = &kMhTypeTable};
// Aliases of integer (TYPE_INTEGER), not registered.
const Datatype mptcpopt_subtype{.type = TYPE_INTEGER, .size = 4, .name = "integer", .desc = "mptcp option subtype",
                                .basetype = &integer_type, .sym_tbl = &kMptcpSubtypeTable};
const Datatype sctp_chunk_type_type{.type = TYPE_INTEGER, .byteorder = ByteOrder::big, .size = 8,
                                    .name = "integer", .desc = "SCTP chunk type", .basetype = &integer_type,
                                    .sym_tbl = &kSctpChunkTypeTable};
const Datatype dccp_option_type_type{.type = TYPE_INTEGER, .byteorder = ByteOrder::big, .size = 8,
                                     .name = "integer", .desc = "DCCP option type", .basetype = &integer_type,
                                     .sym_tbl = &kDccpOptionTypeTable};

const Datatype dscp_type{.type = TYPE_DSCP, .byteorder = ByteOrder::big, .size = 6, .name = "dscp",
                         .desc = "Differentiated Services Code Point", .basetype = &integer_type,
                         .basefmt = "0x%.2Zx", .sym_tbl = &kDscpTable};
const Datatype ecn_type{.type = TYPE_ECN, .byteorder = ByteOrder::big, .size = 2, .name = "ecn",
                        .desc = "Explicit Congestion Notification", .basetype = &integer_type, .basefmt = "0x%.1Zx",
                        .sym_tbl = &kEcnTable};

}  // namespace nftc::sema
