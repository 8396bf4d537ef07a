// Declarations inside tables: chains, sets, maps, flowtables and stateful
// objects, as blocks; and the `define`/`include` lines allowed in every
// block (nft's common_block).
#pragma once

#include "grammar/statements.hpp"

namespace nftc::grammar {

// ---------------------------------------------------------------------------
// define / redefine / undefine / include. `Items` is the item rule of the
// block the line appears in: an included file is parsed as a sequence of
// such items, in the same scope.

struct define_name : identifier {};
struct empty_set_init : seq<lbrace, rbrace> {};
struct negative_init : seq<dash, number> {};
struct initializer : sor<empty_set_init, negative_init, match_rhs> {};
struct define_line : seq<NFTC_KW("define"), must<define_name, equals, initializer>> {};
struct redefine_line : seq<NFTC_KW("redefine"), must<define_name, equals, initializer>> {};
struct undefine_line : seq<NFTC_KW("undefine"), must<define_name>> {};
template <typename Items>
struct include_line : seq<NFTC_KW("include"), must<quoted>> {};
template <typename Items>
struct common_line : seq<sor<include_line<Items>, define_line, redefine_line, undefine_line>, must<end_of_item>> {};

// Lines of a block: items separated by newlines or ';', each item parsed
// with error recovery (see parse_actions.hpp: a failed item is reported
// once and skipped up to the next separator at its nesting depth).
template <typename Item>
struct recover;
template <typename Item>
struct block_lines : star<sor<separator, recover<Item>>> {};

// `chain NAME {` (or set, map, flowtable, table) where an item of a chain,
// set, map or flowtable block was expected, or `table [FAMILY] NAME {` in a
// table block: the block before it was never closed. Peeks at the tokens,
// consumes nothing and records no expectation.
template <bool AnyDecl>
struct decl_ahead {
  using rule_t = decl_ahead;
  using subs_t = pegtl::empty_list;

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class,
            template <typename...> class, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    // Keys first: most lines start with none of these words.
    auto word = [&](const Token& t, std::uint32_t key, std::string_view w) {
      return t.key == key && t.kind == TokenKind::word && st.text.substr(t.begin, t.length) == w;
    };
    static constexpr std::uint32_t k_table = token_key("table"), k_chain = token_key("chain"),
                                   k_set = token_key("set"), k_map = token_key("map"),
                                   k_flowtable = token_key("flowtable");
    auto name = [](const Token& t) { return t.kind == TokenKind::word || t.kind == TokenKind::quoted; };
    auto lbrace_tok = [&](const Token& t) { return t.kind == TokenKind::punct && st.text[t.begin] == '{'; };
    const std::size_t i = detail::offset(in);
    const Token& kw = st.peek(i);
    const bool table = word(kw, k_table, "table");
    if (!table && !(AnyDecl && (word(kw, k_chain, "chain") || word(kw, k_set, "set") || word(kw, k_map, "map") ||
                                word(kw, k_flowtable, "flowtable"))))
      return false;
    // Each token looked at is a word or a string, so the next one exists.
    if (!name(st.peek(i + 1))) return false;
    const Token& after = st.peek(i + 2);
    if (lbrace_tok(after)) return true;
    return table && name(after) && lbrace_tok(st.peek(i + 3));  // table FAMILY NAME {
  }
};
// The lines of a block that ends at its '}' or, when that is missing, before
// the next declaration (unclosed_block).
template <typename Item, bool AnyDecl = true>
struct nested_block_lines : pegtl::star<pegtl::sor<separator, pegtl::seq<pegtl::not_at<decl_ahead<AnyDecl>>, recover<Item>>>> {};
template <bool AnyDecl>
struct unclosed_before_decl {
  using rule_t = unclosed_before_decl;
  using subs_t = pegtl::empty_list;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (!decl_ahead<AnyDecl>::template match<A, M, Action, Control>(in, st)) return false;
    st.unclosed_at = detail::offset(in);
    return true;
  }
};
struct unclosed_block : unclosed_before_decl<true> {};
struct unclosed_table : unclosed_before_decl<false> {};
// An item that contained the unclosed block ends where it ended.
struct after_unclosed {
  using rule_t = after_unclosed;
  using subs_t = pegtl::empty_list;

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    return st.unclosed_at == detail::offset(in);
  }
};
struct decl_end : sor<end_of_item, after_unclosed> {};
template <typename Unclosed = unclosed_block>
struct block_end : pegtl::sor<rbrace, Unclosed, must<rbrace>> {};

// ---------------------------------------------------------------------------
// Chains

struct chain_type : sor<NFTC_KW("filter"), NFTC_KW("nat"), NFTC_KW("route"), any_word> {};
struct hook_name : sor<plain_word, any_word> {};
struct prio_name : sor<NFTC_KW("out"), plain_word> {};
struct prio_offset : seq<sor<plus_sign, dash>, number> {};
struct prio_named : seq<prio_name, opt<prio_offset>> {};
struct prio_number : seq<opt<dash>, number> {};
struct prio_value : sor<variable_ref, prio_number, prio_named> {};
struct prio_spec : seq<NFTC_KW("priority"), must<prio_value>> {};

struct device_name : sor<variable_ref, string_symbol> {};
struct device_list_item : device_name {};
struct device_list : seq<lbrace, opt_newlines, list<device_list_item, seq<comma, opt_newlines>>, opt<comma>,
                         opt_newlines, rbrace> {};
struct devices_value : seq<stmt_mark, sor<device_list, variable_ref>> {};
struct device_single : seq<NFTC_KW("device"), stmt_mark, must<device_name>> {};
struct device_multi : seq<NFTC_KW("devices"), must<equals, devices_value>> {};
struct dev_spec : sor<device_single, device_multi> {};

struct hook_spec : seq<NFTC_KW("type"), must<chain_type, NFTC_KW("hook"), hook_name>, opt<dev_spec>, must<prio_spec>> {};
struct policy_value : sor<variable_ref, NFTC_KW("accept"), NFTC_KW("drop")> {};
struct policy_spec : seq<NFTC_KW("policy"), must<policy_value>> {};
struct chain_flags : seq<NFTC_KW("flags"), must<NFTC_KW("offload")>> {};
struct chain_devices : seq<NFTC_KW("devices"), must<equals, devices_value>> {};
struct chain_comment : comment_spec {};
struct chain_rule : rule {};

struct chain_item;
struct chain_item
    : sor<common_line<chain_item>,
          seq<sor<hook_spec, policy_spec, chain_flags, chain_devices, chain_comment, chain_rule>, must<end_of_item>>> {};
struct chain_block_begin : lbrace {};
struct chain_block : seq<chain_block_begin, nested_block_lines<chain_item>, block_end<>> {};

// ---------------------------------------------------------------------------
// Sets and maps

struct type_atom : sor<plain_word, NFTC_KW("mark"), NFTC_KW("ecn"), NFTC_KW("time")> {};
struct data_type : list<type_atom, dot> {};
struct typeof_atom : selector {};
struct typeof_expr : list<typeof_atom, dot> {};
struct set_key_type : seq<NFTC_KW("type"), must<data_type>> {};
struct set_key_typeof : seq<NFTC_KW("typeof"), stmt_mark, must<typeof_expr>> {};
struct set_flag : sor<NFTC_KW("constant"), NFTC_KW("interval"), NFTC_KW("timeout"), NFTC_KW("dynamic")> {};
struct set_flags : seq<NFTC_KW("flags"), must<list<set_flag, comma>>> {};
struct set_timeout : seq<NFTC_KW("timeout"), must<time_value>> {};
struct set_gc_interval : seq<NFTC_KW("gc-interval"), must<time_value>> {};
struct set_size : seq<NFTC_KW("size"), must<number>> {};
struct set_policy : seq<NFTC_KW("policy"), must<sor<NFTC_KW("performance"), NFTC_KW("memory")>>> {};
struct set_auto_merge : NFTC_KW("auto-merge") {};
struct set_elements_value : sor<set_expr, variable_ref> {};
struct set_elements : seq<NFTC_KW("elements"), must<equals, set_elements_value>> {};
struct set_stateful : seq<stmt_mark, plus<stateful_stmt>> {};
struct set_comment : comment_spec {};

// map data: `type K : [interval] D`, `type K : counter|quota|…`,
// `typeof K : [interval] EXPR|queue|verdict|ct timeout…`
struct map_obj_type : sor<NFTC_KW("counter"), NFTC_KW("quota"), NFTC_KW("limit"), NFTC_KW("secmark"),
                          NFTC_KW("synproxy"),
                          seq<NFTC_KW("ct"), sor<NFTC_KW("timeout"), NFTC_KW("expectation")>>> {};
struct map_data_interval : NFTC_KW("interval") {};
struct map_data_type : sor<map_obj_type, seq<opt<map_data_interval>, data_type>> {};
struct map_data_typeof : sor<map_obj_type, NFTC_KW("queue"), seq<opt<map_data_interval>, typeof_expr>, any_word> {};
struct map_key_type : seq<NFTC_KW("type"), must<data_type, colon, map_data_type>> {};
struct map_key_typeof : seq<NFTC_KW("typeof"), stmt_mark, must<typeof_expr, colon, map_data_typeof>> {};

struct set_item;
struct set_prop : sor<set_key_type, set_key_typeof, set_flags, set_timeout, set_gc_interval, set_size, set_policy,
                      set_stateful, set_comment> {};
struct set_item : sor<common_line<set_item>, seq<set_elements, opt<separator>>, seq<set_auto_merge, opt<separator>>,
                      seq<set_prop, must<end_of_item>>> {};
struct map_item;
struct map_prop : sor<map_key_type, map_key_typeof, set_flags, set_timeout, set_gc_interval, set_size, set_policy,
                      set_stateful, set_comment> {};
struct map_item : sor<common_line<map_item>, seq<set_elements, opt<separator>>, seq<set_auto_merge, opt<separator>>,
                      seq<map_prop, must<end_of_item>>> {};
struct set_block_begin : lbrace {};
struct set_block : seq<set_block_begin, nested_block_lines<set_item>, block_end<>> {};
struct map_block_begin : lbrace {};
struct map_block : seq<map_block_begin, nested_block_lines<map_item>, block_end<>> {};

// ---------------------------------------------------------------------------
// Flowtables

struct flowtable_item;
struct flowtable_hook : seq<NFTC_KW("hook"), must<hook_name, prio_spec>> {};
struct flowtable_devices : seq<NFTC_KW("devices"), must<equals, devices_value>> {};
struct flowtable_counter : NFTC_KW("counter") {};
struct flowtable_flags : seq<NFTC_KW("flags"), must<NFTC_KW("offload")>> {};
struct flowtable_comment : comment_spec {};
struct flowtable_item : sor<common_line<flowtable_item>,
                            seq<sor<flowtable_hook, flowtable_devices, flowtable_flags, flowtable_comment>, must<end_of_item>>,
                            seq<flowtable_counter, opt<separator>>> {};
struct flowtable_block_begin : lbrace {};
struct flowtable_block : seq<flowtable_block_begin, nested_block_lines<flowtable_item>, block_end<>> {};

// ---------------------------------------------------------------------------
// Stateful objects

struct counter_config : seq<NFTC_KW("packets"), number, NFTC_KW("bytes"), number> {};
struct quota_config : quota_args {};
struct limit_config : seq<NFTC_RATE_KW("rate"), must<limit_args>> {};
struct secmark_config : string_value {};
struct synproxy_sack : sor<NFTC_KW("sack-permitted"), NFTC_KW("sack-perm")> {};
struct synproxy_config
    : seq<sor<NFTC_KW("mss"), NFTC_KW("maxseg")>, number, opt<separator, at<NFTC_KW("wscale")>>, NFTC_KW("wscale"),
          number, opt<separator, at<sor<NFTC_KW("timestamp"), synproxy_sack>>>, opt<NFTC_KW("timestamp")>,
          opt<synproxy_sack>> {};
struct obj_comment : comment_spec {};

struct l4proto_name : sor<NFTC_KW("tcp"), NFTC_KW("udp")> {};
struct family_kw;
struct ct_l3proto : seq<NFTC_KW("l3proto"), must<family_kw>> {};
struct ct_protocol : seq<NFTC_KW("protocol"), must<l4proto_name>> {};
struct ct_helper_type : seq<NFTC_KW("type"), must<quoted, NFTC_KW("protocol"), l4proto_name>> {};
// time_spec_or_num_s: seconds as a number, or a time string.
struct timeout_state : seq<any_word, colon, sor<integer_value, time_value>> {};
struct ct_timeout_policy : seq<NFTC_KW("policy"), must<equals, lbrace, opt_newlines, list<timeout_state, seq<comma, opt_newlines>>,
                                                      opt_newlines, rbrace>> {};
struct ct_expect_dport : seq<NFTC_KW("dport"), must<number>> {};
struct ct_expect_timeout : seq<NFTC_KW("timeout"), must<time_value>> {};
struct ct_expect_size : seq<NFTC_KW("size"), must<number>> {};

template <typename Config>
struct obj_item;
template <typename Config>
struct obj_item : sor<common_line<obj_item<Config>>, seq<sor<Config, obj_comment>, opt<separator>>> {};
struct obj_block_begin : lbrace {};
// Creates the object frame right after its name, for configs given inline.
struct obj_begin : pegtl::success {};
template <typename Config>
struct obj_block : seq<obj_block_begin, block_lines<obj_item<Config>>, must<rbrace>> {};

struct ct_helper_config : sor<ct_helper_type, ct_l3proto> {};
struct ct_timeout_config : sor<ct_protocol, ct_timeout_policy, ct_l3proto> {};
struct ct_expect_config : sor<ct_protocol, ct_expect_dport, ct_expect_timeout, ct_expect_size, ct_l3proto> {};

// tunnel objects
struct tunnel_item;
struct tunnel_addr : seq<ip_family_kw, sor<NFTC_KW("saddr"), NFTC_KW("daddr")>, symbol_expr> {};
struct tunnel_scalar : seq<sor<NFTC_KW("id"), NFTC_KW("sport"), NFTC_KW("dport"), NFTC_KW("ttl"), NFTC_KW("tos"),
                               NFTC_KW("version"), NFTC_KW("index"), NFTC_KW("gbp")>, number> {};
struct tunnel_direction : seq<NFTC_KW("direction"), sor<NFTC_KW("ingress"), NFTC_KW("egress")>> {};
struct tunnel_geneve_opt : seq<NFTC_KW("class"), number, NFTC_KW("opt-type"), number, NFTC_KW("data"), string_value> {};
struct tunnel_sub_kind : sor<NFTC_KW("erspan"), NFTC_KW("vxlan"), NFTC_KW("geneve")> {};
struct tunnel_sub : seq<tunnel_sub_kind, lbrace, block_lines<tunnel_item>, must<rbrace>> {};
struct tunnel_item : sor<common_line<tunnel_item>,
                         seq<sor<tunnel_addr, tunnel_scalar, tunnel_direction, tunnel_geneve_opt, obj_comment>, opt<separator>>,
                         seq<tunnel_sub, opt<separator>>> {};
struct tunnel_block : seq<obj_block_begin, block_lines<tunnel_item>, must<rbrace>> {};

// ---------------------------------------------------------------------------
// Tables

struct family_kw : sor<NFTC_KW("ip6"), NFTC_KW("ip"), NFTC_KW("inet"), NFTC_KW("arp"), NFTC_KW("bridge"),
                       NFTC_KW("netdev")> {};
struct obj_name : identifier {};
// The name in each kind of declaration, for "expected a chain name".
struct chain_decl_name : obj_name {};
struct set_decl_name : obj_name {};
struct map_decl_name : obj_name {};
struct flowtable_decl_name : obj_name {};
struct table_flags : seq<NFTC_KW("flags"), must<list<any_word, comma>>> {};
struct table_comment : comment_spec {};

struct chain_decl : seq<NFTC_KW("chain"), must<chain_decl_name, chain_block>> {};
struct set_decl : seq<NFTC_KW("set"), must<set_decl_name, set_block>> {};
struct map_decl : seq<NFTC_KW("map"), must<map_decl_name, map_block>> {};
struct flowtable_decl : seq<NFTC_KW("flowtable"), must<flowtable_decl_name, flowtable_block>> {};
struct counter_decl : seq<NFTC_KW("counter"), must<obj_name, obj_begin, obj_block<counter_config>>> {};
struct quota_decl : seq<NFTC_KW("quota"), must<obj_name, obj_begin, obj_block<quota_config>>> {};
struct limit_decl : seq<NFTC_KW("limit"), must<obj_name, obj_begin, obj_block<limit_config>>> {};
struct secmark_decl : seq<NFTC_KW("secmark"), must<obj_name, obj_begin, obj_block<secmark_config>>> {};
struct synproxy_decl : seq<NFTC_KW("synproxy"), must<obj_name, obj_begin, obj_block<synproxy_config>>> {};
struct ct_helper_decl : seq<NFTC_KW("helper"), must<obj_name, obj_begin, obj_block<ct_helper_config>>> {};
struct ct_timeout_decl : seq<NFTC_KW("timeout"), must<obj_name, obj_begin, obj_block<ct_timeout_config>>> {};
struct ct_expect_decl : seq<NFTC_KW("expectation"), must<obj_name, obj_begin, obj_block<ct_expect_config>>> {};
struct ct_obj_decl : seq<NFTC_KW("ct"), must<sor<ct_helper_decl, ct_timeout_decl, ct_expect_decl>>> {};
struct tunnel_decl : seq<NFTC_KW("tunnel"), must<obj_name, obj_begin, tunnel_block>> {};

struct table_item;
struct table_item : sor<common_line<table_item>, seq<sor<table_flags, table_comment>, must<end_of_item>>,
                        seq<sor<chain_decl, set_decl, map_decl, flowtable_decl, counter_decl, quota_decl, limit_decl,
                                secmark_decl, synproxy_decl, ct_obj_decl, tunnel_decl>,
                            must<decl_end>>> {};
struct table_block_begin : lbrace {};
struct table_block : seq<table_block_begin, nested_block_lines<table_item, false>, block_end<unclosed_table>> {};

}  // namespace nftc::grammar

// PEGTL's analyze(): the lookaheads consume nothing.
template <typename Name, bool AnyDecl>
struct tao::pegtl::analyze_traits<Name, nftc::grammar::decl_ahead<AnyDecl>> : analyze_opt_traits<> {};
template <typename Name, bool AnyDecl>
struct tao::pegtl::analyze_traits<Name, nftc::grammar::unclosed_before_decl<AnyDecl>> : analyze_opt_traits<> {};
template <typename Name>
struct tao::pegtl::analyze_traits<Name, nftc::grammar::after_unclosed> : analyze_opt_traits<> {};
