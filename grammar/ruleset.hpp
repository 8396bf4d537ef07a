// Commands and the whole file (nft's input, line and base_cmd).
#pragma once

#include "grammar/objects.hpp"

namespace nftc::grammar {

// ---------------------------------------------------------------------------
// What a command names.

struct cmd_family : family_kw {};
struct table_name : identifier {};
struct table_spec : seq<opt<cmd_family>, table_name> {};
struct table_name_spec : table_spec {};
struct chain_name : identifier {};
struct chain_spec : seq<table_spec, chain_name> {};
struct cmd_obj_name : identifier {};
struct object_spec : seq<table_spec, cmd_obj_name> {};
struct handle_spec : seq<NFTC_KW("handle"), must<number>> {};
struct position_spec : seq<NFTC_KW("position"), must<number>> {};
struct index_spec_cmd : seq<NFTC_KW("index"), must<number>> {};
struct rule_position : seq<chain_spec, opt<sor<position_spec, handle_spec, index_spec_cmd>>> {};
struct table_or_handle : seq<opt<cmd_family>, sor<handle_spec, identifier>> {};
struct named_or_handle : seq<table_spec, sor<handle_spec, cmd_obj_name>> {};

// ---------------------------------------------------------------------------
// add / create

struct cmd_rule_body : rule {};
struct cmd_table : seq<NFTC_KW("table"), must<table_name_spec>, opt<table_block>> {};
struct cmd_chain : seq<NFTC_KW("chain"), must<chain_spec>, opt<chain_block>> {};
struct cmd_rule : seq<NFTC_KW("rule"), must<rule_position, cmd_rule_body>> {};
struct cmd_set : seq<NFTC_KW("set"), must<object_spec, set_block>> {};
struct cmd_map : seq<NFTC_KW("map"), must<object_spec, map_block>> {};
struct cmd_elements : sor<set_expr, variable_ref> {};
struct cmd_element : seq<NFTC_KW("element"), must<object_spec, cmd_elements>> {};
struct cmd_flowtable : seq<NFTC_KW("flowtable"), must<object_spec>, opt<flowtable_block>> {};
struct cmd_counter : seq<NFTC_KW("counter"), must<object_spec>, obj_begin, opt<sor<obj_block<counter_config>, counter_config>>> {};
struct cmd_quota : seq<NFTC_KW("quota"), must<object_spec, obj_begin, sor<obj_block<quota_config>, quota_config>>> {};
struct cmd_limit : seq<NFTC_KW("limit"), must<object_spec, obj_begin, sor<obj_block<limit_config>, limit_config>>> {};
struct cmd_secmark : seq<NFTC_KW("secmark"), must<object_spec, obj_begin, sor<obj_block<secmark_config>, secmark_config>>> {};
struct cmd_synproxy
    : seq<NFTC_KW("synproxy"), must<object_spec>, obj_begin, opt<sor<obj_block<synproxy_config>, synproxy_config>>> {};
struct cmd_ct_helper : seq<NFTC_KW("helper"), must<object_spec, obj_begin, obj_block<ct_helper_config>>> {};
struct cmd_ct_timeout : seq<NFTC_KW("timeout"), must<object_spec, obj_begin, obj_block<ct_timeout_config>>> {};
struct cmd_ct_expect : seq<NFTC_KW("expectation"), must<object_spec, obj_begin, obj_block<ct_expect_config>>> {};
struct cmd_ct_object : seq<NFTC_KW("ct"), must<sor<cmd_ct_helper, cmd_ct_timeout, cmd_ct_expect>>> {};
struct cmd_tunnel : seq<NFTC_KW("tunnel"), must<object_spec, obj_begin, tunnel_block>> {};
struct cmd_implicit_rule : seq<rule_position, cmd_rule_body> {};

// nft's add_cmd; create_cmd is the same without the rule forms.
struct add_body : sor<cmd_table, cmd_chain, cmd_rule, cmd_set, cmd_map, cmd_element, cmd_flowtable, cmd_counter,
                      cmd_quota, cmd_limit, cmd_secmark, cmd_synproxy, cmd_ct_object, cmd_tunnel, cmd_implicit_rule> {};
struct create_body : sor<cmd_table, cmd_chain, cmd_set, cmd_map, cmd_element, cmd_flowtable, cmd_counter, cmd_quota,
                         cmd_limit, cmd_secmark, cmd_synproxy, cmd_ct_object, cmd_tunnel> {};
struct kw_add : NFTC_KW("add") {};
struct kw_create : NFTC_KW("create") {};
struct cmd_add : seq<kw_add, must<add_body>> {};
struct cmd_create : seq<kw_create, must<create_body>> {};
// A command without a verb is an add (`table ip t { … }`).
struct cmd_implicit_add : add_body {};

struct kw_insert : NFTC_KW("insert") {};
struct cmd_insert : seq<kw_insert, must<NFTC_KW("rule"), rule_position, cmd_rule_body>> {};
struct kw_replace : NFTC_KW("replace") {};
struct cmd_replace : seq<kw_replace, must<NFTC_KW("rule"), chain_spec, handle_spec, cmd_rule_body>> {};

// ---------------------------------------------------------------------------
// delete / destroy

struct del_table : seq<NFTC_KW("table"), must<table_or_handle>> {};
struct del_chain : seq<NFTC_KW("chain"), must<named_or_handle>, opt<chain_block>> {};
struct del_rule : seq<NFTC_KW("rule"), must<chain_spec, handle_spec>> {};
struct del_set : seq<sor<NFTC_KW("set"), NFTC_KW("map")>, must<named_or_handle>> {};
struct del_element : seq<NFTC_KW("element"), must<object_spec, cmd_elements>> {};
struct del_flowtable : seq<NFTC_KW("flowtable"), must<named_or_handle>, opt<flowtable_block>> {};
struct del_object
    : seq<sor<NFTC_KW("counter"), NFTC_KW("quota"), NFTC_KW("limit"), NFTC_KW("secmark"), NFTC_KW("synproxy"),
              NFTC_KW("tunnel")>,
          must<named_or_handle>> {};
// ct objects are deleted by name only (nft: CT ct_obj_type obj_spec).
struct ct_obj_kind : sor<NFTC_KW("helper"), NFTC_KW("timeout"), NFTC_KW("expectation")> {};
struct del_ct_object : seq<NFTC_KW("ct"), must<ct_obj_kind, object_spec>> {};
struct del_body : sor<del_table, del_chain, del_rule, del_set, del_element, del_flowtable, del_object, del_ct_object> {};
struct kw_delete : NFTC_KW("delete") {};
struct kw_destroy : NFTC_KW("destroy") {};
struct cmd_delete : seq<kw_delete, must<del_body>> {};
struct cmd_destroy : seq<kw_destroy, must<del_body>> {};

// ---------------------------------------------------------------------------
// get / list / reset / flush / rename / describe and the monitor commands:
// accepted in files as nft accepts them; they change nothing.

struct kw_get : NFTC_KW("get") {};
struct cmd_get : seq<kw_get, must<NFTC_KW("element"), object_spec, cmd_elements>> {};

// nft's list_cmd_spec_any: `table T`, `T`, or nothing (all tables).
struct list_table_scope : seq<NFTC_KW("table"), table_spec> {};
struct list_scope : sor<list_table_scope, table_spec, opt<cmd_family>> {};
struct list_many_kw
    : sor<NFTC_KW("chains"), NFTC_KW("sets"), NFTC_KW("maps"), NFTC_KW("counters"), NFTC_KW("quotas"),
          NFTC_KW("limits"), NFTC_KW("secmarks"), NFTC_KW("synproxys"), NFTC_KW("flowtables"), NFTC_KW("tunnels")> {};
struct list_object_kw
    : sor<NFTC_KW("counter"), NFTC_KW("quota"), NFTC_KW("limit"), NFTC_KW("secmark"), NFTC_KW("synproxy"),
          NFTC_KW("tunnel"), NFTC_KW("set"), NFTC_KW("map"), NFTC_KW("meter"), NFTC_KW("flowtable")> {};
// `list ct helpers|timeout|expectation table T` lists them all;
// `list ct helper|timeout|expectation T NAME` one.
struct list_ct_many_kw : sor<NFTC_KW("helpers"), NFTC_KW("timeout"), NFTC_KW("expectation")> {};
struct list_ct
    : seq<NFTC_KW("ct"), sor<seq<list_ct_many_kw, NFTC_KW("table"), table_spec>, seq<ct_obj_kind, object_spec>>> {};
struct list_flow : seq<NFTC_KW("flow"), sor<seq<NFTC_KW("tables"), opt<cmd_family>>, seq<NFTC_KW("table"), object_spec>>> {};
struct list_hooks : seq<NFTC_KW("hooks"), opt<cmd_family>, opt<NFTC_KW("device"), string_token>> {};
struct list_body
    : sor<seq<NFTC_KW("ruleset"), opt<cmd_family>>, seq<NFTC_KW("tables"), opt<cmd_family>>,
          seq<NFTC_KW("meters"), opt<cmd_family>>, seq<NFTC_KW("table"), table_spec>, seq<NFTC_KW("chain"), chain_spec>,
          seq<list_many_kw, list_scope>, seq<list_object_kw, object_spec>, list_ct, list_flow, list_hooks> {};
// nft's reset_cmd.
struct reset_rules_scope : sor<seq<NFTC_KW("chain"), chain_spec>, list_table_scope, chain_spec, table_spec,
                               opt<cmd_family>> {};
struct reset_body
    : sor<seq<sor<NFTC_KW("counters"), NFTC_KW("quotas")>, list_scope>,
          seq<sor<NFTC_KW("counter"), NFTC_KW("quota")>, object_spec>, seq<NFTC_KW("rules"), reset_rules_scope>,
          seq<NFTC_KW("rule"), chain_spec, handle_spec>, seq<NFTC_KW("element"), object_spec, cmd_elements>,
          seq<sor<NFTC_KW("set"), NFTC_KW("map")>, object_spec>> {};
struct kw_list : NFTC_KW("list") {};
struct kw_reset : NFTC_KW("reset") {};
struct cmd_list : seq<kw_list, must<list_body>> {};
struct cmd_reset : seq<kw_reset, must<reset_body>> {};

struct flush_body : sor<seq<NFTC_KW("ruleset"), opt<cmd_family>>, seq<NFTC_KW("table"), table_spec>,
                        seq<NFTC_KW("chain"), chain_spec>, seq<sor<NFTC_KW("set"), NFTC_KW("map"), NFTC_KW("meter")>, object_spec>,
                        seq<NFTC_KW("flow"), NFTC_KW("table"), object_spec>> {};
struct kw_flush : NFTC_KW("flush") {};
struct cmd_flush : seq<kw_flush, must<flush_body>> {};

struct kw_rename : NFTC_KW("rename") {};
struct new_chain_name : identifier {};
struct cmd_rename : seq<kw_rename, must<NFTC_KW("chain"), chain_spec, new_chain_name>> {};

struct markup : sor<NFTC_KW("xml"), NFTC_KW("json"), seq<NFTC_KW("vm"), NFTC_KW("json")>> {};
struct kw_import : NFTC_KW("import") {};
struct kw_export : NFTC_KW("export") {};
struct kw_monitor : NFTC_KW("monitor") {};
struct kw_describe : NFTC_KW("describe") {};
struct cmd_import : seq<kw_import, opt<NFTC_KW("ruleset")>, must<markup>> {};
struct cmd_export : seq<kw_export, opt<NFTC_KW("ruleset")>, must<markup>> {};
struct monitor_event : sor<NFTC_KW("new"), NFTC_KW("destroy")> {};
struct monitor_object : sor<NFTC_KW("tables"), NFTC_KW("chains"), NFTC_KW("sets"), NFTC_KW("rules"),
                            NFTC_KW("elements"), NFTC_KW("ruleset"), NFTC_KW("trace")> {};
struct cmd_monitor : seq<kw_monitor, opt<monitor_event>, opt<monitor_object>, opt<markup>> {};
struct cmd_describe : seq<kw_describe, must<primary_expr>> {};

struct command
    : sor<cmd_add, cmd_create, cmd_insert, cmd_replace, cmd_delete, cmd_destroy, cmd_get, cmd_list, cmd_reset,
          cmd_flush, cmd_rename, cmd_import, cmd_export, cmd_monitor, cmd_describe, cmd_implicit_add> {};

// A top-level line: a define/include line or a command, ending at a
// separator or the end of the file.
struct top_item;
// Starts a fresh command (whatever a failed one left behind).
struct command_begin : pegtl::success {};
struct command_end : sor<separator, eof, after_unclosed> {};
struct command_line : seq<command_begin, command, must<command_end>> {};
struct top_item : sor<common_line<top_item>, command_line> {};
// A '}' with no block to close: reported, skipped, and parsing goes on.
struct stray_rbrace : rbrace {};
struct file : seq<block_lines<top_item>, star<stray_rbrace, block_lines<top_item>>, must<eof>> {};

// An included file is a sequence of the items of the block it is included in.
template <typename Item>
struct included_file : seq<block_lines<Item>, star<stray_rbrace, block_lines<Item>>, must<eof>> {};

}  // namespace nftc::grammar
