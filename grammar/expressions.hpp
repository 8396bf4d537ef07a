// Expressions: values, selectors (payload, meta, ct, …), binary operators,
// concatenations, the right-hand side of matches, sets, maps and the
// expressions of statements. Rule names follow nft's parser_bison.y.
#pragma once

#include "grammar/tokens.hpp"

namespace nftc::grammar {

using pegtl::at;
using pegtl::if_must;
using pegtl::list;
using pegtl::must;
using pegtl::not_at;
using pegtl::seq;


// ---------------------------------------------------------------------------
// Names and values

// identifier: a non-keyword word, or `last` (nft's identifier rule).
struct identifier : sor<plain_word, NFTC_KW("last")> {};
// string: a word, an address, a time, a quoted or an asterisk string.
struct string_value : string_terminal {};
struct variable_name : sor<plain_word, any_word> {};
struct variable_ref : seq<dollar, variable_name> {};
struct symbol_value : symbol_terminal {};
// A string pushed as a symbol where the grammar takes `string` as a value.
struct string_symbol : string_value {};
struct symbol_expr : sor<variable_ref, symbol_value> {};
struct integer_value : number {};
struct boolean_value : sor<NFTC_KW("exists"), NFTC_KW("missing")> {};
// Keywords nft accepts as values on the right-hand side (keyword_expr and
// the protocol names of primary_rhs_expr).
struct keyword_value
    : sor<NFTC_KW("ether"), NFTC_KW("ip"), NFTC_KW("ip6"), NFTC_KW("vlan"), NFTC_KW("arp"), NFTC_KW("dnat"),
          NFTC_KW("snat"), NFTC_KW("ecn"), NFTC_KW("reset"), NFTC_KW("destroy"), NFTC_KW("last"), NFTC_KW("tcp"),
          NFTC_KW("udp"), NFTC_KW("udplite"), NFTC_KW("esp"), NFTC_KW("ah"), NFTC_KW("icmp"), NFTC_KW("igmp"),
          NFTC_KW("icmpv6"), NFTC_KW("gre"), NFTC_KW("comp"), NFTC_KW("dccp"), NFTC_KW("sctp"),
          NFTC_KW("redirect")> {};
// The subset that statement expressions accept (keyword_expr only).
struct stmt_keyword_value
    : sor<NFTC_KW("ether"), NFTC_KW("ip"), NFTC_KW("ip6"), NFTC_KW("vlan"), NFTC_KW("arp"), NFTC_KW("dnat"),
          NFTC_KW("snat"), NFTC_KW("ecn"), NFTC_KW("reset"), NFTC_KW("destroy"), NFTC_KW("last")> {};

struct set_ref : seq<at_sign, identifier> {};

// ---------------------------------------------------------------------------
// Selectors. Each is one action in parse_actions that reads the tokens it
// matched; fields that depend on the protocol are listed here as in nft's
// grammar and checked against the protocol tables by the analyser.

struct ip_family_kw : sor<NFTC_KW("ip"), NFTC_KW("ip6")> {};

// @ll,OFF,LEN / @nh / @th / @ih
struct payload_base : sor<NFTC_KW("ll"), NFTC_KW("nh"), NFTC_KW("th"), NFTC_KW("ih")> {};
struct sel_payload_raw : seq<at_sign, payload_base, comma, number, comma, number> {};

struct ether_field : sor<NFTC_KW("saddr"), NFTC_KW("daddr"), NFTC_KW("type")> {};
struct vlan_field : sor<NFTC_KW("id"), NFTC_KW("cfi"), NFTC_KW("dei"), NFTC_KW("pcp"), NFTC_KW("type")> {};
struct arp_field : sor<NFTC_KW("htype"), NFTC_KW("ptype"), NFTC_KW("hlen"), NFTC_KW("plen"), NFTC_KW("operation"),
                       seq<sor<NFTC_KW("saddr"), NFTC_KW("daddr")>, sor<NFTC_KW("ether"), NFTC_KW("ip")>>> {};
struct ip_field : sor<NFTC_KW("version"), NFTC_KW("hdrlength"), NFTC_KW("dscp"), NFTC_KW("ecn"), NFTC_KW("length"),
                      NFTC_KW("id"), NFTC_KW("frag-off"), NFTC_KW("ttl"), NFTC_KW("protocol"), NFTC_KW("checksum"),
                      NFTC_KW("saddr"), NFTC_KW("daddr")> {};
struct ip_option_type : sor<NFTC_KW("lsrr"), NFTC_KW("rr"), NFTC_KW("ssrr"), NFTC_KW("ra")> {};
struct ip_option_field
    : sor<NFTC_KW("type"), NFTC_KW("length"), NFTC_KW("value"), NFTC_KW("ptr"), NFTC_KW("addr")> {};
struct icmp_field : sor<NFTC_KW("type"), NFTC_KW("code"), NFTC_KW("checksum"), NFTC_KW("id"), NFTC_KW("sequence"),
                        NFTC_KW("gateway"), NFTC_KW("mtu")> {};
struct igmp_field : sor<NFTC_KW("type"), NFTC_KW("checksum"), NFTC_KW("mrt"), NFTC_KW("group")> {};
struct ip6_field : sor<NFTC_KW("version"), NFTC_KW("dscp"), NFTC_KW("ecn"), NFTC_KW("flowlabel"), NFTC_KW("length"),
                       NFTC_KW("nexthdr"), NFTC_KW("hoplimit"), NFTC_KW("saddr"), NFTC_KW("daddr")> {};
struct icmp6_field : sor<NFTC_KW("type"), NFTC_KW("code"), NFTC_KW("checksum"), NFTC_KW("param-problem"),
                         NFTC_KW("mtu"), NFTC_KW("id"), NFTC_KW("sequence"), NFTC_KW("max-delay"), NFTC_KW("taddr"),
                         NFTC_KW("daddr")> {};
struct ah_field : sor<NFTC_KW("nexthdr"), NFTC_KW("hdrlength"), NFTC_KW("reserved"), NFTC_KW("spi"),
                      NFTC_KW("sequence")> {};
struct esp_field : sor<NFTC_KW("spi"), NFTC_KW("sequence")> {};
struct comp_field : sor<NFTC_KW("nexthdr"), NFTC_KW("flags"), NFTC_KW("cpi")> {};
struct udp_field : sor<NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("length"), NFTC_KW("checksum")> {};
struct udplite_field : sor<NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("csumcov"), NFTC_KW("checksum")> {};
struct tcp_field : sor<NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("sequence"), NFTC_KW("ackseq"), NFTC_KW("doff"),
                       NFTC_KW("reserved"), NFTC_KW("flags"), NFTC_KW("window"), NFTC_KW("checksum"),
                       NFTC_KW("urgptr")> {};
struct dccp_field : sor<NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("type")> {};
struct sctp_field : sor<NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("vtag"), NFTC_KW("checksum")> {};
struct th_field : sor<NFTC_KW("sport"), NFTC_KW("dport")> {};
struct gre_field : sor<NFTC_KW("version"), NFTC_KW("flags"), NFTC_KW("protocol")> {};

struct sel_ether : seq<NFTC_KW("ether"), ether_field> {};
struct sel_vlan : seq<NFTC_KW("vlan"), vlan_field> {};
struct sel_arp : seq<NFTC_KW("arp"), arp_field> {};
// What follows `ip`: an option or a header field (one named choice, so that
// a misspelt field is reported as "expected an ip header field").
struct ip_option_sel : seq<NFTC_KW("option"), ip_option_type, opt<ip_option_field>> {};
struct ip_after : sor<ip_option_sel, ip_field> {};
struct sel_ip : seq<NFTC_KW("ip"), ip_after> {};
struct sel_icmp : seq<NFTC_KW("icmp"), icmp_field> {};
struct sel_igmp : seq<NFTC_KW("igmp"), igmp_field> {};
struct sel_ip6 : seq<NFTC_KW("ip6"), ip6_field> {};
struct sel_icmp6 : seq<NFTC_KW("icmpv6"), icmp6_field> {};
struct sel_ah : seq<NFTC_KW("ah"), ah_field> {};
struct sel_esp : seq<NFTC_KW("esp"), esp_field> {};
struct sel_comp : seq<NFTC_KW("comp"), comp_field> {};
struct sel_udp : seq<NFTC_KW("udp"), udp_field> {};
struct sel_udplite : seq<NFTC_KW("udplite"), udplite_field> {};
struct sel_th : seq<NFTC_KW("th"), th_field> {};
struct dccp_after : sor<seq<NFTC_KW("option"), number>, dccp_field> {};
struct sel_dccp : seq<NFTC_KW("dccp"), dccp_after> {};

// tcp option …
struct tcpopt_sack : sor<NFTC_KW("sack0"), NFTC_KW("sack1"), NFTC_KW("sack2"), NFTC_KW("sack3"), NFTC_KW("sack")> {};
struct tcpopt_type
    : sor<NFTC_KW("echo"), NFTC_KW("eol"), NFTC_KW("fastopen"), NFTC_KW("md5sig"), NFTC_KW("mptcp"), NFTC_KW("mss"),
          NFTC_KW("maxseg"), NFTC_KW("nop"), NFTC_KW("noop"), NFTC_KW("sack-permitted"), NFTC_KW("sack-perm"),
          NFTC_KW("timestamp"), NFTC_KW("window"), tcpopt_sack, number> {};
struct tcpopt_kind_and_field
    : sor<seq<sor<NFTC_KW("mss"), NFTC_KW("maxseg")>, NFTC_KW("size")>,
          seq<tcpopt_sack, sor<NFTC_KW("left"), NFTC_KW("right")>>, seq<NFTC_KW("window"), NFTC_KW("count")>,
          seq<NFTC_KW("timestamp"), sor<NFTC_KW("tsval"), NFTC_KW("tsecr")>>,
          seq<NFTC_KW("mptcp"), NFTC_KW("subtype")>, seq<tcpopt_type, NFTC_KW("length")>> {};
struct tcpopt_raw : seq<at_sign, tcpopt_type, comma, number, comma, number> {};
struct tcp_option_sel : seq<NFTC_KW("option"), sor<tcpopt_raw, tcpopt_kind_and_field, tcpopt_type>> {};
struct tcp_after : sor<tcp_option_sel, tcp_field> {};
struct sel_tcp : seq<NFTC_KW("tcp"), tcp_after> {};

// sctp chunk …
struct sctp_chunk_type
    : sor<NFTC_KW("data"), NFTC_KW("init-ack"), NFTC_KW("init"), NFTC_KW("sack"), NFTC_KW("heartbeat-ack"),
          NFTC_KW("heartbeat"), NFTC_KW("abort"), NFTC_KW("shutdown-complete"), NFTC_KW("shutdown-ack"),
          NFTC_KW("shutdown"), NFTC_KW("error"), NFTC_KW("cookie-echo"), NFTC_KW("cookie-ack"), NFTC_KW("ecne"),
          NFTC_KW("cwr"), NFTC_KW("asconf-ack"), NFTC_KW("forward-tsn"), NFTC_KW("asconf")> {};
struct sctp_chunk_field
    : sor<NFTC_KW("type"), NFTC_KW("flags"), NFTC_KW("length"), NFTC_KW("tsn"), NFTC_KW("stream"), NFTC_KW("ssn"),
          NFTC_KW("ppid"), NFTC_KW("init-tag"), NFTC_KW("a-rwnd"), NFTC_KW("num-outbound-streams"),
          NFTC_KW("num-inbound-streams"), NFTC_KW("initial-tsn"), NFTC_KW("cum-tsn-ack"),
          NFTC_KW("num-gap-ack-blocks"), NFTC_KW("num-dup-tsns"), NFTC_KW("lowest-tsn"), NFTC_KW("seqno"),
          NFTC_KW("new-cum-tsn")> {};
struct sctp_chunk_sel : seq<NFTC_KW("chunk"), sctp_chunk_type, opt<sctp_chunk_field>> {};
struct sctp_after : sor<sctp_chunk_sel, sctp_field> {};
struct sel_sctp : seq<NFTC_KW("sctp"), sctp_after> {};

// Tunnels with an inner header: vxlan/geneve/gre/gretap.
struct inner_header
    : sor<sel_ether, sel_vlan, sel_arp, sel_ip, sel_icmp, sel_igmp, sel_ip6, sel_icmp6, sel_ah, sel_esp, sel_comp,
          sel_udp, sel_udplite, sel_tcp, sel_dccp, sel_sctp, sel_th> {};
struct inner_inet_header
    : sor<sel_ip, sel_icmp, sel_igmp, sel_ip6, sel_icmp6, sel_ah, sel_esp, sel_comp, sel_udp, sel_udplite, sel_tcp,
          sel_dccp, sel_sctp, sel_th> {};
struct sel_vxlan : seq<NFTC_KW("vxlan"), sor<NFTC_KW("vni"), NFTC_KW("flags"), inner_header>> {};
struct sel_geneve : seq<NFTC_KW("geneve"), sor<NFTC_KW("vni"), NFTC_KW("type"), inner_header>> {};
struct sel_gre : seq<NFTC_KW("gre"), sor<gre_field, inner_inet_header>> {};
struct sel_gretap : seq<NFTC_KW("gretap"), inner_header> {};

// The payload selectors, spliced into `selector` and `stmt_selector` (one
// dispatch instead of two).
#define NFTC_PAYLOAD_SELECTORS                                                                                  \
  sel_payload_raw, sel_ether, sel_vlan, sel_arp, sel_ip, sel_icmp, sel_igmp, sel_ip6, sel_icmp6, sel_ah, sel_esp, \
      sel_comp, sel_udp, sel_udplite, sel_tcp, sel_dccp, sel_sctp, sel_th, sel_vxlan, sel_geneve, sel_gre, sel_gretap

// IPv6 extension headers.
struct index_spec : seq<lbracket, number, rbracket> {};
struct sel_exthdr
    : sor<seq<NFTC_KW("hbh"), sor<NFTC_KW("nexthdr"), NFTC_KW("hdrlength")>>,
          seq<NFTC_KW("rt0"), NFTC_KW("addr"), index_spec>, seq<NFTC_KW("rt2"), NFTC_KW("addr")>,
          seq<NFTC_KW("srh"), sor<NFTC_KW("last-entry"), NFTC_KW("flags"), NFTC_KW("tag"),
                                  seq<NFTC_KW("sid"), index_spec>>>,
          seq<NFTC_KW("rt"), sor<NFTC_KW("nexthdr"), NFTC_KW("hdrlength"), NFTC_KW("type"), NFTC_KW("seg-left")>>,
          seq<NFTC_KW("frag"), sor<NFTC_KW("nexthdr"), NFTC_KW("reserved2"), NFTC_KW("reserved"), NFTC_KW("frag-off"),
                                   NFTC_KW("more-fragments"), NFTC_KW("id")>>,
          seq<NFTC_KW("dst"), sor<NFTC_KW("nexthdr"), NFTC_KW("hdrlength")>>,
          seq<NFTC_KW("mh"), sor<NFTC_KW("nexthdr"), NFTC_KW("hdrlength"), NFTC_KW("type"), NFTC_KW("reserved"),
                                 NFTC_KW("checksum")>>> {};
struct sel_exthdr_exists
    : seq<NFTC_KW("exthdr"),
          sor<NFTC_KW("hbh"), NFTC_KW("rt"), NFTC_KW("frag"), NFTC_KW("dst"), NFTC_KW("mh")>> {};

// meta
struct meta_key_qualified
    : sor<NFTC_KW("length"), NFTC_KW("protocol"), NFTC_KW("priority"), NFTC_KW("random"), NFTC_KW("secmark"),
          NFTC_KW("nfproto"), NFTC_KW("l4proto"), NFTC_KW("iifkind"), NFTC_KW("oifkind"), NFTC_KW("ibrpvid"),
          NFTC_KW("ibrvproto"), NFTC_KW("sdifname"), NFTC_KW("sdif"), NFTC_KW("broute"), NFTC_KW("ibrhwaddr"),
          NFTC_KW("secpath")> {};
struct meta_key_unqualified
    : sor<NFTC_KW("mark"), NFTC_KW("iif"), NFTC_KW("iifname"), NFTC_KW("iiftype"), NFTC_KW("oif"),
          NFTC_KW("oifname"), NFTC_KW("oiftype"), NFTC_KW("skuid"), NFTC_KW("skgid"), NFTC_KW("nftrace"),
          NFTC_KW("rtclassid"), NFTC_KW("ibrname"), NFTC_KW("ibriport"), NFTC_KW("obrname"), NFTC_KW("obriport"),
          NFTC_KW("pkttype"), NFTC_KW("cpu"), NFTC_KW("iifgroup"), NFTC_KW("oifgroup"), NFTC_KW("cgroup"),
          NFTC_KW("ipsec"), NFTC_KW("time"), NFTC_KW("day"), NFTC_KW("hour")> {};
struct meta_key : sor<meta_key_qualified, meta_key_unqualified> {};
struct sel_meta : seq<NFTC_KW("meta"), meta_key> {};
struct sel_meta_unqualified : meta_key_unqualified {};

// socket
struct sel_socket : seq<NFTC_KW("socket"), sor<seq<NFTC_KW("cgroupv2"), NFTC_KW("level"), number>,
                                               NFTC_KW("transparent"), NFTC_KW("mark"), NFTC_KW("wildcard")>> {};
// rt
struct sel_rt : seq<NFTC_KW("rt"), opt<ip_family_kw>,
                    sor<NFTC_KW("classid"), NFTC_KW("nexthop"), NFTC_KW("mtu"), NFTC_KW("ipsec")>> {};
// ct
struct ct_dir : sor<NFTC_KW("original"), NFTC_KW("reply")> {};
struct ct_key_dir_optional : sor<NFTC_KW("bytes"), NFTC_KW("packets"), NFTC_KW("avgpkt"), NFTC_KW("zone")> {};
struct ct_key
    : sor<NFTC_KW("l3proto"), NFTC_KW("protocol"), NFTC_KW("mark"), NFTC_KW("state"), NFTC_KW("direction"),
          NFTC_KW("status"), NFTC_KW("expiration"), NFTC_KW("helper"), NFTC_KW("saddr"), NFTC_KW("daddr"),
          NFTC_KW("proto-src"), NFTC_KW("proto-dst"), NFTC_KW("label"), NFTC_KW("event"), NFTC_KW("secmark"),
          NFTC_KW("id"), ct_key_dir_optional> {};
struct ct_key_dir : sor<NFTC_KW("saddr"), NFTC_KW("daddr"), NFTC_KW("l3proto"), NFTC_KW("protocol"),
                        NFTC_KW("proto-src"), NFTC_KW("proto-dst"), ct_key_dir_optional> {};
struct ct_key_proto_field : seq<ip_family_kw, sor<NFTC_KW("saddr"), NFTC_KW("daddr")>> {};
struct ct_after : sor<seq<ct_dir, sor<ct_key_proto_field, ct_key_dir>>, ct_key> {};
struct sel_ct : seq<NFTC_KW("ct"), ct_after> {};
// numgen / hash
struct offset_opt : opt<NFTC_KW("offset"), number> {};
struct sel_numgen : seq<NFTC_KW("numgen"), sor<NFTC_KW("inc"), NFTC_KW("random")>, NFTC_KW("mod"), number, offset_opt> {};
struct concat_expr;
struct sel_jhash : transactional, seq<NFTC_KW("jhash"), concat_expr, NFTC_KW("mod"), number, opt<NFTC_KW("seed"), number>, offset_opt> {};
struct sel_symhash : seq<NFTC_KW("symhash"), NFTC_KW("mod"), number, offset_opt> {};
// fib
struct fib_flag : sor<NFTC_KW("saddr"), NFTC_KW("daddr"), NFTC_KW("mark"), NFTC_KW("iif"), NFTC_KW("oif")> {};
struct sel_fib : seq<NFTC_KW("fib"), list<fib_flag, dot>,
                     sor<NFTC_KW("oifname"), NFTC_KW("oif"), NFTC_KW("type"), NFTC_KW("check")>> {};
// osf
struct sel_osf : seq<NFTC_KW("osf"), opt<NFTC_KW("ttl"), sor<NFTC_KW("loose"), NFTC_KW("skip")>>,
                     sor<NFTC_KW("version"), NFTC_KW("name")>> {};
// ipsec (xfrm)
struct sel_xfrm : seq<NFTC_KW("ipsec"), sor<NFTC_KW("in"), NFTC_KW("out")>, opt<NFTC_KW("spnum"), number>,
                      sor<NFTC_KW("spi"), NFTC_KW("reqid"), seq<ip_family_kw, sor<NFTC_KW("saddr"), NFTC_KW("daddr")>>>> {};
// tunnel
struct sel_tunnel : seq<NFTC_KW("tunnel"), sor<NFTC_KW("path"), NFTC_KW("id")>> {};

// Every selector (nft's selector_expr). Order matters where prefixes are
// shared: `rt classid` before `rt nexthdr`, `ip option` before `ip`, and
// `ipsec in|out` (xfrm) before the unqualified meta key `ipsec`.
struct selector
    : sor<NFTC_PAYLOAD_SELECTORS, sel_rt, sel_exthdr, sel_exthdr_exists, sel_xfrm, sel_meta, sel_meta_unqualified,
          sel_tunnel, sel_socket, sel_ct, sel_numgen, sel_jhash, sel_symhash, sel_fib, sel_osf> {};
// The selectors that may stand in statement expressions (primary_stmt_expr):
// no exthdr, no xfrm.
struct stmt_selector
    : sor<NFTC_PAYLOAD_SELECTORS, sel_rt, sel_meta, sel_meta_unqualified, sel_tunnel, sel_socket, sel_ct, sel_numgen,
          sel_jhash, sel_symhash, sel_fib, sel_osf> {};
#undef NFTC_PAYLOAD_SELECTORS

// ---------------------------------------------------------------------------
// Operators

struct op_lshift : sor<NFTC_P("<<"), NFTC_KW("lshift")> {};
struct op_rshift : sor<NFTC_P(">>"), NFTC_KW("rshift")> {};
struct op_and : sor<punct<'&'>, NFTC_KW("and")> {};
struct op_xor : sor<punct<'^'>, NFTC_KW("xor")> {};
struct op_or : sor<punct<'|'>, NFTC_KW("or")> {};

// Binary operator chains: OPERAND (OP OPERAND)*, with nft's C precedence
// (<< >> over & over ^ over |, each left-associative) applied by the
// chain's action (parse_actions: on_binop_chain). One flat chain instead of
// a rule per precedence level keeps the parser from descending four levels
// for every value.
struct binop : sor<op_lshift, op_rshift, op_and, op_xor, op_or> {};
template <typename Operand>
struct binop_more : seq<binop, Operand> {};
template <typename First, typename Operand>
struct binop_chain : seq<First, star<binop_more<Operand>>> {};

// Left-hand side (expr): a selector, a value, a variable or (…).
struct basic_expr;
struct basic_rhs_expr;
struct paren_expr : transactional, seq<lparen, basic_expr, rparen> {};
struct primary_expr : sor<selector, integer_value, variable_ref, symbol_value, paren_expr> {};
struct primary_rhs_expr;
struct basic_expr : binop_chain<primary_expr, primary_rhs_expr> {};
struct concat_tail : seq<dot, basic_expr> {};
struct concat_expr : seq<basic_expr, star<concat_tail>> {};

// Right-hand side (rhs_expr).
struct paren_rhs_expr : transactional, seq<lparen, basic_rhs_expr, rparen> {};
struct primary_rhs_expr
    : sor<integer_value, variable_ref, symbol_value, boolean_value, keyword_value, paren_rhs_expr> {};
struct basic_rhs_expr : binop_chain<primary_rhs_expr, primary_rhs_expr> {};
// a/N and a-b
struct prefix_tail : seq<slash, number> {};
struct range_tail : seq<dash, basic_rhs_expr> {};
struct multiton_tail : sor<prefix_tail, range_tail> {};
struct multiton_or_basic_rhs : seq<basic_rhs_expr, opt<multiton_tail>> {};
struct concat_rhs_tail : seq<dot, multiton_or_basic_rhs> {};
struct concat_rhs_expr : seq<multiton_or_basic_rhs, star<concat_rhs_tail>> {};

// Verdicts (verdict_expr); jump/goto take a chain name or a variable.
struct chain_target : sor<variable_ref, identifier> {};
struct verdict_jump : seq<NFTC_KW("jump"), chain_target> {};
struct verdict_goto : seq<NFTC_KW("goto"), chain_target> {};
struct verdict_expr : sor<NFTC_KW("accept"), NFTC_KW("drop"), NFTC_KW("continue"), NFTC_KW("return"), verdict_jump,
                          verdict_goto> {};

// Sets: { elem, elem : value, … }
struct set_expr;
struct stateful_stmt;
// nft's time_spec is a STRING token ("30s", "1h30m", "never"): no number,
// quoted string or variable (nft: "unexpected number, expecting string").
struct time_value : string_token {};
struct comment_spec : seq<NFTC_KW("comment"), string_value> {};
struct elem_timeout : seq<NFTC_KW("timeout"), time_value> {};
struct elem_expires : seq<NFTC_KW("expires"), time_value> {};
struct elem_comment : comment_spec {};
struct elem_option : sor<elem_timeout, elem_expires, elem_comment> {};
struct elem_stmt : seq<stateful_stmt> {};
struct wildcard_elem : star_sign {};
struct set_elem_key : sor<wildcard_elem, concat_rhs_expr> {};
struct elem_begin : pegtl::success {};
struct set_elem_expr : seq<elem_begin, set_elem_key, star<elem_stmt>, star<elem_option>, star<elem_stmt>> {};
struct set_rhs_expr : sor<verdict_expr, concat_rhs_expr> {};
struct mapping_tail : seq<colon, set_rhs_expr> {};
struct set_member : transactional, sor<set_expr, seq<set_elem_expr, opt<mapping_tail>>> {};
struct set_begin : lbrace {};
struct set_list : seq<set_member, opt_newlines, star<comma, opt_newlines, opt<set_member, opt_newlines>>> {};
struct set_expr : seq<set_begin, opt_newlines, opt<set_list>, rbrace> {};

// Lists on the right-hand side: a, b, c (at least two items).
struct list_item : basic_rhs_expr {};
struct list_more : seq<comma, list_item> {};
struct list_tail : plus<list_more> {};

// The right-hand side of a match, with nft's forms:
//   VALUE | VALUE, VALUE… | VALUE / MASK, MASK… | VALUE, VALUE… / MASK, MASK… | { … } | @set
struct rhs_mask : transactional, seq<slash, list_item, list_tail> {};
struct rhs_list : transactional, seq<list_tail, opt<rhs_mask>> {};
struct rhs_after_basic : sor<rhs_list, rhs_mask, seq<opt<multiton_tail>, star<concat_rhs_tail>>> {};
struct rhs_value : seq<basic_rhs_expr, rhs_after_basic> {};
struct match_rhs : sor<set_expr, set_ref, rhs_value> {};

struct relational_op
    : sor<NFTC_P("=="), NFTC_KW("eq"), NFTC_P("!="), NFTC_KW("ne"), NFTC_P("<="), NFTC_KW("le"), NFTC_P(">="),
          NFTC_KW("ge"), punct<'<'>, NFTC_KW("lt"), punct<'>'>, NFTC_KW("gt"), punct<'!'>, NFTC_KW("not")> {};

// `expr map …` on the left-hand side, and the whole left-hand side.
struct lhs_map_tail : transactional, seq<NFTC_KW("map"), match_rhs> {};
struct lhs_expr : sor<set_expr, seq<concat_expr, opt<lhs_map_tail>>> {};

// Statement expressions (stmt_expr): the values of `set`, NAT, dup, fwd, …
struct basic_stmt_expr;
struct paren_stmt_expr : transactional, seq<lparen, basic_stmt_expr, rparen> {};
struct primary_stmt_expr
    : sor<stmt_selector, integer_value, boolean_value, variable_ref, symbol_value, stmt_keyword_value,
          paren_stmt_expr> {};
struct basic_stmt_expr : binop_chain<primary_stmt_expr, primary_stmt_expr> {};
struct concat_stmt_tail : seq<dot, primary_stmt_expr> {};
// Transactional: a map that fails inside its set (`map { 1.2.3.4` at the end
// of the file) must leave nothing behind for the statement that goes on.
struct map_stmt_tail : transactional, seq<NFTC_KW("map"), sor<set_expr, set_ref, variable_ref>> {};
struct stmt_list_more : seq<comma, basic_stmt_expr> {};
struct stmt_list_tail : plus<stmt_list_more> {};
struct stmt_prefix_tail : seq<slash, number> {};
struct stmt_range_tail : seq<dash, basic_stmt_expr> {};
struct stmt_after_basic
    : sor<stmt_list_tail, stmt_prefix_tail, stmt_range_tail, seq<star<concat_stmt_tail>, opt<map_stmt_tail>>> {};
struct stmt_expr : seq<basic_stmt_expr, stmt_after_basic> {};

}  // namespace nftc::grammar
