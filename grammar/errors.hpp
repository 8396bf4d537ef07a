// What each commit point (must<>) of the grammar expected, as it appears in
// "expected …, found …". One table for the whole grammar; a rule without an
// entry is described by the farthest failure's expected tokens instead.
#pragma once

#include <string_view>

#include "grammar/ruleset.hpp"

namespace nftc::grammar {

template <typename Rule>
inline constexpr std::string_view error_message{};

template <char... Cs>
inline constexpr std::string_view error_message<kw<Cs...>> = kw<Cs...>::text;
template <char... Cs>
inline constexpr std::string_view error_message<punct<Cs...>> = punct<Cs...>::text;

#define NFTC_ERROR(text, ...) \
  template <>                 \
  inline constexpr std::string_view error_message<__VA_ARGS__> = text

NFTC_ERROR("'}'", rbrace);
NFTC_ERROR("'='", equals);
NFTC_ERROR("':'", colon);
NFTC_ERROR("'{'", lbrace);
NFTC_ERROR("a number", number);
NFTC_ERROR("a quoted string", quoted);
NFTC_ERROR("end of file", eof);
NFTC_ERROR("';' or a newline", end_of_item);
NFTC_ERROR("';' or a newline", command_end);
NFTC_ERROR("';' or a newline", decl_end);
NFTC_ERROR("a rate such as 10/second or 1 mbytes/second", limit_args);
NFTC_ERROR("a quota such as 25 mbytes", quota_args);
NFTC_ERROR("'tcp reset', 'icmp', 'icmpv6' or 'icmpx' with a reason", sor<reject_tcp, reject_icmp>);
NFTC_ERROR("an address, ':port' or 'to'", nat_args);
NFTC_ERROR("'to' and an address or port", tproxy_args);
NFTC_ERROR("a value", stmt_expr);
NFTC_ERROR("a verdict map: '{ key : verdict, … }' or '@map'", verdict_map_expr);
NFTC_ERROR("a variable name", define_name);
NFTC_ERROR("a value", initializer);
NFTC_ERROR("a priority: a number, a name such as filter, or name ± number", prio_value);
NFTC_ERROR("a device name", device_name);
NFTC_ERROR("'{ device, … }' or a variable", devices_value);
NFTC_ERROR("a chain type: filter, nat or route", chain_type);
NFTC_ERROR("a hook name", hook_name);
NFTC_ERROR("'priority' and a value", prio_spec);
NFTC_ERROR("'accept' or 'drop'", policy_value);
NFTC_ERROR("a data type such as ipv4_addr", data_type);
NFTC_ERROR("an expression such as ip saddr", typeof_expr);
NFTC_ERROR("set flags: constant, interval, timeout or dynamic", pegtl::list<set_flag, comma>);
NFTC_ERROR("a time such as 30s or 1h", time_value);
NFTC_ERROR("'performance' or 'memory'", sor<NFTC_KW("performance"), NFTC_KW("memory")>);
NFTC_ERROR("'{ element, … }' or a variable", set_elements_value);
NFTC_ERROR("the data type of the map", map_data_type);
NFTC_ERROR("the data expression of the map", map_data_typeof);
NFTC_ERROR("a family: ip, ip6, inet, arp, bridge or netdev", family_kw);
NFTC_ERROR("'tcp' or 'udp'", l4proto_name);
NFTC_ERROR("timeout states such as established: 3600", pegtl::list<timeout_state, pegtl::seq<comma, opt_newlines>>);
NFTC_ERROR("a name", obj_name);
NFTC_ERROR("a chain name", chain_decl_name);
NFTC_ERROR("a set name", set_decl_name);
NFTC_ERROR("a map name", map_decl_name);
NFTC_ERROR("a flowtable name", flowtable_decl_name);
NFTC_ERROR("'{' and the chain's body", chain_block);
NFTC_ERROR("'{' and the set's body", set_block);
NFTC_ERROR("'{' and the map's body", map_block);
NFTC_ERROR("'{' and the flowtable's body", flowtable_block);
NFTC_ERROR("'{' and the tunnel's body", tunnel_block);
NFTC_ERROR("'helper', 'timeout' or 'expectation'", sor<ct_helper_decl, ct_timeout_decl, ct_expect_decl>);
NFTC_ERROR("table flags such as dormant", pegtl::list<any_word, comma>);
NFTC_ERROR("a table name", table_name_spec);
NFTC_ERROR("a table and a chain name", chain_spec);
NFTC_ERROR("a table and a chain name", rule_position);
NFTC_ERROR("a statement", cmd_rule_body);
NFTC_ERROR("a table and an object name", object_spec);
NFTC_ERROR("'{ element, … }' or a variable", cmd_elements);
NFTC_ERROR("what to add: table, chain, rule, set, map, element, flowtable or an object", add_body);
NFTC_ERROR("what to create: table, chain, set, map, element, flowtable or an object", create_body);
NFTC_ERROR("'handle' and a number", handle_spec);
NFTC_ERROR("a table name or 'handle N'", table_or_handle);
NFTC_ERROR("a name or 'handle N'", named_or_handle);
NFTC_ERROR("what to delete: table, chain, rule, set, map, element, flowtable or an object", del_body);
NFTC_ERROR("what to list", list_body);
NFTC_ERROR("what to reset: counters, quotas, rules, rule, element, set or map", reset_body);
NFTC_ERROR("'helper', 'timeout' or 'expectation'", ct_obj_kind);
NFTC_ERROR("what to flush: ruleset, table, chain, set, map or meter", flush_body);
NFTC_ERROR("the new chain name", new_chain_name);
NFTC_ERROR("'json' or 'xml'", markup);
NFTC_ERROR("an expression", primary_expr);
NFTC_ERROR("'helper', 'timeout' or 'expectation'", sor<cmd_ct_helper, cmd_ct_timeout, cmd_ct_expect>);
NFTC_ERROR("a quota such as 25 mbytes", sor<obj_block<quota_config>, quota_config>);
NFTC_ERROR("'rate' and a rate", sor<obj_block<limit_config>, limit_config>);
NFTC_ERROR("a security context string", sor<obj_block<secmark_config>, secmark_config>);
NFTC_ERROR("'{' and the helper's body", obj_block<ct_helper_config>);
NFTC_ERROR("'{' and the timeout policy", obj_block<ct_timeout_config>);
NFTC_ERROR("'{' and the expectation's body", obj_block<ct_expect_config>);
NFTC_ERROR("'{' and the counter's body", obj_block<counter_config>);
NFTC_ERROR("'{' and the quota's body", obj_block<quota_config>);
NFTC_ERROR("'{' and the limit's body", obj_block<limit_config>);
NFTC_ERROR("'{' and the secmark's body", obj_block<secmark_config>);
NFTC_ERROR("'{' and the synproxy's body", obj_block<synproxy_config>);

#undef NFTC_ERROR

#define NFTC_NAME(text, ...) \
  template <>                \
  inline constexpr std::string_view rule_name<__VA_ARGS__> = text

NFTC_NAME("a time such as 30s or 1h", time_value);
NFTC_NAME("a name", identifier);
NFTC_NAME("a table name", table_name);
NFTC_NAME("a chain name", chain_name);
NFTC_NAME("a chain name", chain_decl_name);
NFTC_NAME("a set name", set_decl_name);
NFTC_NAME("a map name", map_decl_name);
NFTC_NAME("a flowtable name", flowtable_decl_name);
NFTC_NAME("a statement", stmt);
// What a block's line may begin with, for a misspelt first word.
NFTC_NAME("a chain, set, map, flowtable or object declaration", table_item);
NFTC_NAME("a rule or a chain property such as type or policy", chain_item);
NFTC_NAME("a set property such as type, flags or elements", set_item);
NFTC_NAME("a map property such as type, flags or elements", map_item);
// After a match's left-hand side (`tcp dport accept`).
NFTC_NAME("a value", relational_tail);
NFTC_NAME("a hook name such as input", hook_name);
NFTC_NAME("an ether header field such as saddr", ether_field);
NFTC_NAME("a vlan header field such as id", vlan_field);
NFTC_NAME("an arp header field such as operation", arp_field);
NFTC_NAME("an ip header field such as saddr", ip_after);
NFTC_NAME("an icmp header field such as type", icmp_field);
NFTC_NAME("an igmp header field such as type", igmp_field);
NFTC_NAME("an ip6 header field such as saddr", ip6_field);
NFTC_NAME("an icmpv6 header field such as type", icmp6_field);
NFTC_NAME("an ah header field such as spi", ah_field);
NFTC_NAME("an esp header field such as spi", esp_field);
NFTC_NAME("a comp header field such as cpi", comp_field);
NFTC_NAME("a udp header field such as dport", udp_field);
NFTC_NAME("a udplite header field such as dport", udplite_field);
NFTC_NAME("a tcp header field such as dport", tcp_after);
NFTC_NAME("a dccp header field such as dport", dccp_after);
NFTC_NAME("an sctp header field such as dport", sctp_after);
NFTC_NAME("sport or dport", th_field);
NFTC_NAME("a meta key such as mark", meta_key);
NFTC_NAME("a ct key such as state", ct_after);

#undef NFTC_NAME

}  // namespace nftc::grammar
