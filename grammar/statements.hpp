// Statements and rules (nft's stmt, rule and subchain_block).
#pragma once

#include "grammar/expressions.hpp"

namespace nftc::grammar {

// Marks where a statement's values start on the stacks, for statements with
// optional or repeated parts.
struct stmt_mark : pegtl::success {};

// ---------------------------------------------------------------------------
// Stateful statements: also allowed per element and in set declarations.

struct counter_arg : sor<seq<NFTC_KW("packets"), number>, seq<NFTC_KW("bytes"), number>> {};
struct stmt_counter : seq<NFTC_KW("counter"), star<counter_arg>> {};

struct time_unit
    : sor<NFTC_KW("second"), NFTC_KW("minute"), NFTC_KW("hour"), NFTC_KW("day"), NFTC_KW("week")> {};
struct bytes_unit : sor<NFTC_KW("bytes"), NFTC_KW("kbytes"), NFTC_KW("mbytes")> {};
struct rate_mode : sor<NFTC_KW("over"), NFTC_KW("until")> {};
// Inside `limit rate …` nft's scanner is in its exclusive RATE state.
struct rate_time_unit : sor<NFTC_RATE_KW("second"), NFTC_RATE_KW("minute"), NFTC_RATE_KW("hour"),
                            NFTC_RATE_KW("day"), NFTC_RATE_KW("week")> {};
struct rate_bytes_unit : sor<NFTC_RATE_KW("bytes"), NFTC_RATE_KW("kbytes"), NFTC_RATE_KW("mbytes")> {};
struct rate_limit_mode : sor<NFTC_RATE_KW("over"), NFTC_RATE_KW("until")> {};
struct limit_rate_bytes
    : seq<number, rate_bytes_unit, slash, rate_time_unit, opt<NFTC_RATE_KW("burst"), number, rate_bytes_unit>> {};
struct limit_rate_pkts
    : seq<number, slash, rate_time_unit, opt<NFTC_RATE_KW("burst"), number, NFTC_RATE_KW("packets")>> {};
struct limit_args : seq<opt<rate_limit_mode>, sor<limit_rate_bytes, limit_rate_pkts>> {};
struct stmt_limit : seq<NFTC_KW("limit"), NFTC_RATE_KW("rate"), must<limit_args>> {};

struct quota_used : seq<NFTC_KW("used"), number, bytes_unit> {};
struct quota_args : seq<opt<rate_mode>, number, bytes_unit, opt<quota_used>> {};
struct stmt_quota : seq<NFTC_KW("quota"), must<quota_args>> {};

struct stmt_connlimit : seq<NFTC_KW("ct"), NFTC_KW("count"), opt<NFTC_KW("over")>, must<number>> {};
struct last_used : seq<NFTC_KW("used"), sor<NFTC_KW("never"), time_value>> {};
struct stmt_last : seq<NFTC_KW("last"), stmt_mark, opt<last_used>> {};

struct stateful_stmt : transactional, sor<stmt_counter, stmt_limit, stmt_quota, stmt_connlimit, stmt_last> {};

// ---------------------------------------------------------------------------
// Object references: counter name X, ct timeout set X, …

struct objref_counter : seq<NFTC_KW("counter"), NFTC_KW("name"), stmt_expr> {};
struct objref_limit : seq<NFTC_KW("limit"), NFTC_KW("name"), stmt_expr> {};
struct objref_quota : seq<NFTC_KW("quota"), NFTC_KW("name"), stmt_expr> {};
struct objref_synproxy : seq<NFTC_KW("synproxy"), NFTC_KW("name"), stmt_expr> {};
struct objref_tunnel : seq<NFTC_KW("tunnel"), NFTC_KW("name"), stmt_expr> {};
struct objref_ct : seq<NFTC_KW("ct"), sor<NFTC_KW("timeout"), NFTC_KW("expectation")>, NFTC_KW("set"), stmt_expr> {};

// ---------------------------------------------------------------------------
// Other statements

struct log_level : sor<NFTC_KW("emerg"), NFTC_KW("alert"), NFTC_KW("crit"), NFTC_KW("err"), NFTC_KW("warn"),
                       NFTC_KW("notice"), NFTC_KW("info"), NFTC_KW("debug"), NFTC_KW("audit")> {};
struct log_flag_tcp : sor<NFTC_KW("sequence"), NFTC_KW("options")> {};
struct log_flags : sor<seq<NFTC_KW("tcp"), list<log_flag_tcp, comma>>, seq<NFTC_KW("ip"), NFTC_KW("options")>,
                       NFTC_KW("skuid"), NFTC_KW("ether"), NFTC_KW("all")> {};
struct log_prefix : sor<variable_ref, string_symbol> {};
struct log_arg : sor<seq<NFTC_KW("prefix"), log_prefix>, seq<NFTC_KW("group"), number>,
                     seq<NFTC_KW("snaplen"), number>, seq<NFTC_KW("queue-threshold"), number>,
                     seq<NFTC_KW("level"), log_level>, seq<NFTC_KW("flags"), log_flags>> {};
struct stmt_log : seq<NFTC_KW("log"), stmt_mark, star<log_arg>> {};

struct reject_symbol : string_token {};
struct reject_reason : sor<integer_value, reject_symbol> {};
struct reject_icmp : seq<sor<NFTC_KW("icmp"), NFTC_KW("icmpv6"), NFTC_KW("icmpx")>, opt<NFTC_KW("type")>, reject_reason> {};
struct reject_tcp : seq<NFTC_KW("tcp"), NFTC_KW("reset")> {};
struct reject_with : seq<NFTC_KW("with"), must<sor<reject_tcp, reject_icmp>>> {};
struct stmt_reject : seq<NFTC_KW("reject"), stmt_mark, opt<reject_with>> {};

// NAT: snat/dnat/masquerade/redirect with nft's argument forms.
struct nat_flag : sor<NFTC_KW("random"), NFTC_KW("fully-random"), NFTC_KW("persistent")> {};
struct nat_flags : list<nat_flag, comma> {};
struct nat_addr : stmt_expr {};
struct nat_port : stmt_expr {};
struct nat_port_only : seq<colon, nat_port> {};
struct nat_addr_port : sor<nat_port_only, seq<nat_addr, opt<colon, nat_port>>> {};
struct nat_family : ip_family_kw {};
struct nat_map_form : seq<nat_family, NFTC_KW("addr"), dot, NFTC_KW("port"), NFTC_KW("to"), nat_addr> {};
struct nat_interval_form : seq<opt<nat_family>, NFTC_KW("interval"), NFTC_KW("to"), nat_addr> {};
struct nat_prefix_form : seq<opt<nat_family>, NFTC_KW("prefix"), NFTC_KW("to"), nat_addr> {};
struct nat_to : NFTC_KW("to") {};
struct nat_to_form : seq<opt<nat_family>, nat_to, nat_addr_port> {};
struct nat_args : seq<sor<nat_map_form, nat_interval_form, nat_prefix_form, nat_to_form, nat_addr_port>,
                      opt<nat_flags>> {};
struct nat_kind : sor<NFTC_KW("snat"), NFTC_KW("dnat")> {};
struct stmt_nat : seq<nat_kind, stmt_mark, must<nat_args>> {};
struct masq_args : sor<seq<nat_to, nat_port_only, opt<nat_flags>>, nat_flags> {};
struct stmt_masquerade : seq<NFTC_KW("masquerade"), stmt_mark, opt<masq_args>> {};
struct redir_args : sor<seq<nat_to, sor<nat_port_only, nat_port>, opt<nat_flags>>, nat_flags> {};
struct stmt_redirect : seq<NFTC_KW("redirect"), stmt_mark, opt<redir_args>> {};

struct tproxy_args : seq<opt<nat_family>, NFTC_KW("to"), nat_addr_port> {};
struct stmt_tproxy : seq<NFTC_KW("tproxy"), stmt_mark, must<tproxy_args>> {};

struct queue_flag : sor<NFTC_KW("bypass"), NFTC_KW("fanout")> {};
struct queue_flags : list<queue_flag, comma> {};
struct queue_atom : sor<variable_ref, integer_value> {};
struct queue_num_range : transactional, seq<queue_atom, dash, queue_atom> {};
struct queue_num : sor<queue_num_range, queue_atom> {};
struct queue_map : transactional, seq<concat_expr, NFTC_KW("map"), match_rhs> {};
struct queue_target : sor<sel_numgen, sel_jhash, sel_symhash, queue_num, queue_map> {};
struct queue_to : seq<NFTC_KW("to"), queue_target> {};
struct queue_num_arg : seq<NFTC_KW("num"), queue_num> {};
struct queue_flags_form : seq<NFTC_KW("flags"), queue_flags, sor<queue_to, queue_num_arg>> {};
struct queue_compat_form : star<sor<queue_num_arg, queue_flags>> {};
struct stmt_queue : seq<NFTC_KW("queue"), stmt_mark, sor<queue_to, queue_flags_form, queue_compat_form>> {};

struct dup_device : seq<NFTC_KW("device"), stmt_expr> {};
struct stmt_dup : seq<NFTC_KW("dup"), stmt_mark, NFTC_KW("to"), stmt_expr, opt<dup_device>> {};
struct stmt_fwd : seq<NFTC_KW("fwd"), stmt_mark, sor<seq<NFTC_KW("to"), stmt_expr>,
                                          seq<nat_family, NFTC_KW("to"), stmt_expr, dup_device>>> {};

struct stmt_notrack : NFTC_KW("notrack") {};
struct stmt_flow_offload : seq<NFTC_KW("flow"), sor<NFTC_KW("add"), NFTC_KW("offload")>, at_sign, string_value> {};

struct synproxy_arg : sor<seq<sor<NFTC_KW("mss"), NFTC_KW("maxseg")>, number>, seq<NFTC_KW("wscale"), number>,
                          NFTC_KW("timestamp"), NFTC_KW("sack-permitted"), NFTC_KW("sack-perm")> {};
struct stmt_synproxy : seq<NFTC_KW("synproxy"), star<synproxy_arg>> {};

// set/map statements: add @s { key [stateful…] [: data] }, and the old
// `set add KEY @s` form.
struct set_stmt_op : sor<NFTC_KW("add"), NFTC_KW("update"), NFTC_KW("delete")> {};
struct set_stmt_key : seq<elem_begin, concat_expr, star<elem_option>> {};
struct set_stmt_data : seq<colon, elem_begin, concat_expr, star<elem_option>> {};
struct set_stmt_target : sor<set_ref, variable_ref> {};
struct stmt_set : seq<set_stmt_op, stmt_mark, set_stmt_target, lbrace, set_stmt_key, star<stateful_stmt>, opt<set_stmt_data>, rbrace> {};
struct stmt_set_legacy : seq<NFTC_KW("set"), stmt_mark, set_stmt_op, set_stmt_key, set_stmt_target> {};

struct stmt;
struct meter_key : seq<elem_begin, concat_expr, star<elem_option>> {};
struct stmt_meter : seq<NFTC_KW("meter"), stmt_mark, identifier, opt<NFTC_KW("size"), number>, lbrace, meter_key, stmt, rbrace> {};

struct stmt_optstrip : seq<NFTC_KW("reset"), NFTC_KW("tcp"), NFTC_KW("option"), tcpopt_type> {};
struct stmt_xt : seq<NFTC_KW("xt"), any_word, string_value> {};

// jump { … } / goto { … }: an anonymous chain.
struct rule;
struct subchain_begin : lbrace {};
struct subchain_item : sor<separator, seq<rule, end_of_item>> {};
struct stmt_chain : seq<sor<NFTC_KW("jump"), NFTC_KW("goto")>, subchain_begin, star<subchain_item>, must<rbrace>> {};

struct stmt_verdict : verdict_expr {};

// Statements that begin with an expression: KEY set VALUE (payload, meta,
// ct, exthdr), KEY vmap {…}, and matches. A statement never begins with a
// bare word, so that `acept` is reported as an unknown statement.
struct stmt_lhs_primary : sor<selector, integer_value, variable_ref, quoted, paren_expr> {};
struct stmt_lhs_basic : binop_chain<stmt_lhs_primary, primary_rhs_expr> {};
struct stmt_lhs_concat : seq<stmt_lhs_basic, star<concat_tail>> {};
struct assign_tail : seq<NFTC_KW("set"), must<stmt_expr>> {};
struct verdict_map_expr : sor<set_expr, set_ref, variable_ref> {};
struct vmap_tail : seq<NFTC_KW("vmap"), must<verdict_map_expr>> {};
struct rel_explicit : transactional, seq<relational_op, match_rhs> {};
struct rel_implicit : match_rhs {};
struct relational_tail : sor<rel_explicit, rel_implicit> {};
struct stmt_expression
    : sor<seq<set_expr, relational_tail>,
          seq<stmt_lhs_concat, sor<assign_tail, vmap_tail, seq<opt<lhs_map_tail>, relational_tail>>>> {};

struct stmt : transactional,
              sor<stmt_chain, stmt_verdict, objref_counter, stmt_counter, objref_limit, stmt_limit, objref_quota,
                  stmt_quota, stmt_connlimit, objref_ct, stmt_last, stmt_log, stmt_reject, stmt_nat, stmt_masquerade,
                  stmt_redirect, stmt_tproxy, stmt_queue, stmt_dup, stmt_fwd, stmt_notrack, stmt_flow_offload,
                  stmt_meter, stmt_set, stmt_set_legacy, stmt_optstrip, objref_synproxy, stmt_synproxy,
                  objref_tunnel, stmt_xt, stmt_expression> {};

// A rule: statements, then an optional comment.
struct rule_begin : pegtl::success {};
struct rule_comment : comment_spec {};
struct rule : transactional, seq<rule_begin, plus<stmt>, opt<rule_comment>> {};

}  // namespace nftc::grammar
