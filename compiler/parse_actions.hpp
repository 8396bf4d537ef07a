// PEGTL actions that build the AST. Actions fire when their rule matched;
// see parse_state.hpp for the stacks they use. Most actions read back the
// tokens their rule matched (tokens_of) instead of attaching an action to
// every keyword.
#pragma once

#include <tao/pegtl.hpp>

#include "compiler/parse_control.hpp"
#include "compiler/parse_state.hpp"
#include "grammar/ruleset.hpp"

namespace nftc::parse {

namespace g = grammar;
using g::Token;
using g::TokenKind;

// ---------------------------------------------------------------------------
// Helpers shared by the actions (parse_actions.cpp).

// The tokens a rule matched, a view of the file's tokens. Newline tokens a
// multi-line construct (a set, a device list) matched are in it; actions
// index only the tokens of one line.
struct Tokens {
  const Token* data = nullptr;
  std::size_t n = 0;
  const ParserState* st = nullptr;
  std::size_t size() const { return n; }
  const Token& operator[](std::size_t i) const { return data[i]; }
  const Token& back() const { return data[n - 1]; }
  std::string_view text(std::size_t i) const { return i < n ? st->token_text(data[i]) : std::string_view{}; }
  bool has(std::string_view word) const;
  // The index of the first token with this text at or after `from`, or npos.
  std::size_t find(std::string_view word, std::size_t from = 0) const;
  // The value of a number token (0 for other tokens).
  std::uint64_t number(std::size_t i) const {
    return i < n && data[i].kind == TokenKind::number ? g::token_number(st->text, data[i]) : 0;
  }
};

// Whether `s` is the literal `lit`: inline, for the keyword tests of the
// actions (string_view's == calls memcmp).
template <std::size_t N>
inline bool is(std::string_view s, const char (&lit)[N]) {
  if (s.size() != N - 1) return false;
  for (std::size_t i = 0; i + 1 < N; ++i)
    if (s[i] != lit[i]) return false;
  return true;
}

// Token indices of an action's match.
template <typename ActionInput>
std::size_t begin_of(const ActionInput& in) {
  return static_cast<std::size_t>(in.begin() - in.input().begin());
}
template <typename ActionInput>
std::size_t end_of(const ActionInput& in) {
  return static_cast<std::size_t>(in.end() - in.input().begin());
}
// The tokens [begin, end).
inline Tokens token_range(const ParserState& st, std::size_t begin, std::size_t end) {
  return Tokens{st.toks + begin, end - begin, &st};
}
template <typename ActionInput>
Tokens tokens_of(const ActionInput& in, const ParserState& st) {
  return token_range(st, begin_of(in), end_of(in));
}
// The bytes the tokens [begin, end) cover, leading newlines left out (they
// are separators, not part of the construct).
// (Inline: out of line, GCC returns the 12-byte Span through a store and a
// wider load that stalls, a twentieth of the parse time.)
[[gnu::always_inline]] inline Span trimmed_span(const ParserState& st, std::size_t begin, std::size_t end) {
  // An empty match sits where the previous token ended.
  if (begin == end) {
    const std::uint32_t at = begin == 0 ? 0 : st.peek(begin - 1).end();
    return st.span(at, at);
  }
  std::size_t first = begin;
  while (first < end && st.peek(first).kind == TokenKind::newline) ++first;
  const std::uint32_t stop = st.peek(end - 1).end();
  return st.span(first < end ? st.peek(first).begin : stop, stop);
}
template <typename ActionInput>
Span span_of(const ActionInput& in, const ParserState& st) {
  return trimmed_span(st, begin_of(in), end_of(in));
}
// The value of the number token matched last.
inline std::uint64_t last_number(const ParserState& st) { return g::token_number(st.text, st.last()); }

ast::Expr* new_expr(ParserState& st, ast::ExprKind kind, Span span);
ast::Ident ident_from(ParserState& st, const Token& t);
ast::Stmt* push_stmt(ParserState& st, Span span);

// Values and selectors.
void on_symbol(ParserState& st, const Token& t);
void on_variable(ParserState& st, Span span, const Token& name);
void on_selector(ParserState& st, ast::SelectorKind kind, const Tokens& toks, Span span);
void on_tunnel_selector(ParserState& st, const Tokens& toks, Span span);
void on_proto_selector(ParserState& st, const Tokens& toks, Span span);
void on_verdict(ParserState& st, const Tokens& toks, Span span);
void on_binop_more(ParserState& st, const Tokens& toks);
void on_binop_chain(ParserState& st, std::size_t begin);
void on_concat(ParserState& st);
void on_list_more(ParserState& st);
void on_prefix(ParserState& st, std::uint64_t len, Span span);
void on_range(ParserState& st);
void on_set(ParserState& st, Span span);
void on_elem(ParserState& st, Span span, bool bare_if_plain);
void on_mapping(ParserState& st);
void on_rhs_mask(ParserState& st, Span span);
void on_map_expr(ParserState& st, Span span);

// Statements.
void on_match(ParserState& st, const Tokens& toks, Span span, bool explicit_op);
void on_assign(ParserState& st, Span span);
void on_vmap(ParserState& st, Span span);
void on_counter(ParserState& st, const Tokens& toks, Span span);
void on_limit(ParserState& st, const Tokens& toks, Span span);
void on_quota(ParserState& st, const Tokens& toks, Span span);
void on_connlimit(ParserState& st, const Tokens& toks, Span span);
void on_last(ParserState& st, const Tokens& toks, Span span);
void on_objref(ParserState& st, const Tokens& toks, Span span);
void on_log(ParserState& st, const Tokens& toks, Span span);
void on_reject(ParserState& st, const Tokens& toks, Span span);
void on_nat(ParserState& st, const Tokens& toks, Span span);
void on_tproxy(ParserState& st, const Tokens& toks, Span span);
void on_queue(ParserState& st, const Tokens& toks, Span span);
void on_dup(ParserState& st, const Tokens& toks, Span span);
void on_fwd(ParserState& st, const Tokens& toks, Span span);
void on_flow_offload(ParserState& st, const Tokens& toks, Span span);
void on_synproxy(ParserState& st, const Tokens& toks, Span span);
void on_set_stmt(ParserState& st, const Tokens& toks, Span span, bool legacy);
void on_meter(ParserState& st, const Tokens& toks, Span span);
void on_optstrip(ParserState& st, const Tokens& toks, Span span);
void on_xt(ParserState& st, const Tokens& toks, Span span);
void on_chain_stmt(ParserState& st, const Tokens& toks, Span span);
void on_simple_stmt(ParserState& st, Span span);  // notrack
ast::RuleDecl* build_rule(ParserState& st, Span span);

// Declarations and commands.
void on_define(ParserState& st, const Tokens& toks, Span span, int kind);  // 0 define, 1 redefine, 2 undefine
void on_include(ParserState& st, Token path, Span span, bool (*parse_items)(ParserState&, FileId));
void on_table_block_begin(ParserState& st, Span span);
void on_table_block_end(ParserState& st, Span span);
void on_chain_block_begin(ParserState& st, Span span);
void on_chain_block_end(ParserState& st, Span span);
void on_set_block_begin(ParserState& st, Span span, bool is_map);
void on_set_block_end(ParserState& st, Span span);
void on_flowtable_block_begin(ParserState& st, Span span);
void on_flowtable_block_end(ParserState& st, Span span);
void on_obj_begin(ParserState& st, Span span);
void on_decl_end(ParserState& st, std::string_view keyword, Span span);
void on_hook_spec(ParserState& st, const Tokens& toks, Span span);
void on_devices(ParserState& st, Span span, bool list_form, int owner);
void on_policy(ParserState& st, const Tokens& toks, Span span);
void on_chain_flags(ParserState& st, Span span);
void on_comment(ParserState& st, int owner);  // 0 table 1 chain 2 set 3 flowtable 4 object 5 rule
void on_table_flags(ParserState& st, const Tokens& toks);
void on_set_prop(ParserState& st, const Tokens& toks, Span span, std::string_view prop);
void on_typeof(ParserState& st, std::size_t mark, bool data);
void on_flowtable_prop(ParserState& st, const Tokens& toks, Span span);
void on_obj_config(ParserState& st, const Tokens& toks, Span span, std::string_view what);
void on_table_spec(ParserState& st, const Tokens& toks);
void on_cmd(ParserState& st, const Tokens& toks, Span span, ast::CmdOp op);
void on_command_line(ParserState& st, Span span);

// ---------------------------------------------------------------------------
// The action table.

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

#define NFTC_ACTION(rule) \
  template <>             \
  struct action<rule>

#define NFTC_APPLY                        \
  template <typename ActionInput>         \
  static void apply(const ActionInput& in, ParserState& st)

// Values ---------------------------------------------------------------------

NFTC_ACTION(g::symbol_value) {
  NFTC_APPLY {
    (void)in;
    on_symbol(st, st.last());
  }
};
NFTC_ACTION(g::integer_value) {
  NFTC_APPLY {
    (void)in;
    ast::Expr* e = new_expr(st, ast::ExprKind::number, st.token_span(st.last()));
    e->num = last_number(st);
    e->text = st.token_text(st.last());
  }
};
NFTC_ACTION(g::boolean_value) {
  NFTC_APPLY {
    (void)in;
    ast::Expr* e = new_expr(st, ast::ExprKind::boolean, st.token_span(st.last()));
    e->text = st.token_text(st.last());
    e->num = e->text == "exists" ? 1 : 0;
  }
};
template <typename ActionInput>
void push_keyword_symbol(const ActionInput&, ParserState& st) {
  ast::Expr* e = new_expr(st, ast::ExprKind::symbol, st.token_span(st.last()));
  e->text = st.token_text(st.last());
}
NFTC_ACTION(g::keyword_value) { NFTC_APPLY { push_keyword_symbol(in, st); } };
NFTC_ACTION(g::stmt_keyword_value) { NFTC_APPLY { push_keyword_symbol(in, st); } };
NFTC_ACTION(g::variable_ref) {
  NFTC_APPLY { on_variable(st, span_of(in, st), st.last()); }
};
NFTC_ACTION(g::set_ref) {
  NFTC_APPLY {
    ast::Expr* e = new_expr(st, ast::ExprKind::set_ref, span_of(in, st));
    e->text = st.token_text(st.last());
  }
};
NFTC_ACTION(g::wildcard_elem) {
  NFTC_APPLY { new_expr(st, ast::ExprKind::wildcard, span_of(in, st)); }
};
NFTC_ACTION(g::string_symbol) {
  NFTC_APPLY {
    (void)in;
    on_symbol(st, st.last());
  }
};
NFTC_ACTION(g::time_value) {
  NFTC_APPLY {
    (void)in;
    on_symbol(st, st.last());
  }
};
NFTC_ACTION(g::reject_symbol) {
  NFTC_APPLY {
    (void)in;
    on_symbol(st, st.last());
  }
};
NFTC_ACTION(g::empty_set_init) {
  NFTC_APPLY { new_expr(st, ast::ExprKind::set, span_of(in, st)); }
};
NFTC_ACTION(g::negative_init) {
  NFTC_APPLY {
    ast::Expr* e = new_expr(st, ast::ExprKind::symbol, span_of(in, st));
    e->text = st.text.substr(e->span.begin, e->span.size());
  }
};

// Selectors -------------------------------------------------------------------

template <ast::SelectorKind K>
struct selector_action {
  NFTC_APPLY { on_selector(st, K, tokens_of(in, st), span_of(in, st)); }
};
#define NFTC_SELECTOR(rule, kind) \
  NFTC_ACTION(rule) : selector_action<ast::SelectorKind::kind> {}

NFTC_SELECTOR(g::sel_payload_raw, payload_raw);
NFTC_SELECTOR(g::sel_ether, payload);
NFTC_SELECTOR(g::sel_vlan, payload);
NFTC_SELECTOR(g::sel_arp, payload);
// ip/tcp/dccp/sctp: a header field, or an option or chunk.
template <>
struct action<g::sel_ip> {
  NFTC_APPLY { on_proto_selector(st, tokens_of(in, st), span_of(in, st)); }
};
template <>
struct action<g::sel_tcp> : action<g::sel_ip> {};
template <>
struct action<g::sel_dccp> : action<g::sel_ip> {};
template <>
struct action<g::sel_sctp> : action<g::sel_ip> {};
NFTC_SELECTOR(g::sel_icmp, payload);
NFTC_SELECTOR(g::sel_igmp, payload);
NFTC_SELECTOR(g::sel_ip6, payload);
NFTC_SELECTOR(g::sel_icmp6, payload);
NFTC_SELECTOR(g::sel_ah, payload);
NFTC_SELECTOR(g::sel_esp, payload);
NFTC_SELECTOR(g::sel_comp, payload);
NFTC_SELECTOR(g::sel_udp, payload);
NFTC_SELECTOR(g::sel_udplite, payload);
NFTC_SELECTOR(g::sel_th, payload);
// vxlan/geneve/gre/gretap: their own fields, or an inner header.
template <>
struct action<g::sel_vxlan> {
  NFTC_APPLY { on_tunnel_selector(st, tokens_of(in, st), span_of(in, st)); }
};
template <>
struct action<g::sel_geneve> : action<g::sel_vxlan> {};
template <>
struct action<g::sel_gre> : action<g::sel_vxlan> {};
template <>
struct action<g::sel_gretap> : action<g::sel_vxlan> {};
NFTC_SELECTOR(g::sel_exthdr, exthdr);
NFTC_SELECTOR(g::sel_exthdr_exists, exthdr_exists);
NFTC_SELECTOR(g::sel_meta, meta);
NFTC_SELECTOR(g::sel_meta_unqualified, meta);
NFTC_SELECTOR(g::sel_socket, socket);
NFTC_SELECTOR(g::sel_rt, rt);
NFTC_SELECTOR(g::sel_ct, ct);
NFTC_SELECTOR(g::sel_numgen, numgen);
NFTC_SELECTOR(g::sel_jhash, hash);
NFTC_SELECTOR(g::sel_symhash, hash);
NFTC_SELECTOR(g::sel_fib, fib);
NFTC_SELECTOR(g::sel_osf, osf);
NFTC_SELECTOR(g::sel_xfrm, xfrm);
NFTC_SELECTOR(g::sel_tunnel, tunnel);
#undef NFTC_SELECTOR

// Operators, concatenations, lists, sets --------------------------------------------

// An operator and its right operand matched: remember the operator; the
// chain's action builds the tree once the chain is complete.
template <typename Operand>
struct action<g::binop_more<Operand>> {
  NFTC_APPLY { on_binop_more(st, tokens_of(in, st)); }
};
template <typename ActionInput>
void binop_chain_end(const ActionInput& in, ParserState& st) {
  // Most chains are a single operand: no operator of this chain pending.
  if (st.binops.empty() || st.binops.back().pos < begin_of(in)) return;
  on_binop_chain(st, begin_of(in));
}
NFTC_ACTION(g::basic_expr) { NFTC_APPLY { binop_chain_end(in, st); } };
NFTC_ACTION(g::basic_rhs_expr) { NFTC_APPLY { binop_chain_end(in, st); } };
NFTC_ACTION(g::basic_stmt_expr) { NFTC_APPLY { binop_chain_end(in, st); } };
NFTC_ACTION(g::stmt_lhs_basic) { NFTC_APPLY { binop_chain_end(in, st); } };
NFTC_ACTION(g::concat_tail) { NFTC_APPLY { (void)in; on_concat(st); } };
NFTC_ACTION(g::concat_rhs_tail) { NFTC_APPLY { (void)in; on_concat(st); } };
NFTC_ACTION(g::concat_stmt_tail) { NFTC_APPLY { (void)in; on_concat(st); } };
NFTC_ACTION(g::list_more) { NFTC_APPLY { (void)in; on_list_more(st); } };
NFTC_ACTION(g::stmt_list_more) { NFTC_APPLY { (void)in; on_list_more(st); } };
NFTC_ACTION(g::prefix_tail) { NFTC_APPLY { on_prefix(st, last_number(st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_prefix_tail) { NFTC_APPLY { on_prefix(st, last_number(st), span_of(in, st)); } };
NFTC_ACTION(g::range_tail) { NFTC_APPLY { (void)in; on_range(st); } };
NFTC_ACTION(g::stmt_range_tail) { NFTC_APPLY { (void)in; on_range(st); } };
NFTC_ACTION(g::queue_num_range) { NFTC_APPLY { (void)in; on_range(st); } };
NFTC_ACTION(g::rhs_mask) { NFTC_APPLY { on_rhs_mask(st, span_of(in, st)); } };
NFTC_ACTION(g::set_begin) {
  NFTC_APPLY {
    (void)in;
    st.marks.push_back(st.exprs.size());
  }
};
NFTC_ACTION(g::set_expr) { NFTC_APPLY { on_set(st, span_of(in, st)); } };
NFTC_ACTION(g::elem_begin) {
  NFTC_APPLY {
    (void)in;
    st.pending_elems.emplace_back();
    st.marks.push_back(st.stmts.size());
  }
};
NFTC_ACTION(g::set_elem_expr) { NFTC_APPLY { on_elem(st, span_of(in, st), true); } };
NFTC_ACTION(g::set_stmt_key) { NFTC_APPLY { on_elem(st, span_of(in, st), false); } };
NFTC_ACTION(g::set_stmt_data) { NFTC_APPLY { on_elem(st, span_of(in, st), false); } };
NFTC_ACTION(g::meter_key) { NFTC_APPLY { on_elem(st, span_of(in, st), false); } };
NFTC_ACTION(g::mapping_tail) { NFTC_APPLY { (void)in; on_mapping(st); } };
NFTC_ACTION(g::elem_timeout) {
  NFTC_APPLY {
    (void)in;
    st.pending_elems.back().timeout = st.pop_expr();
  }
};
NFTC_ACTION(g::elem_expires) {
  NFTC_APPLY {
    (void)in;
    st.pending_elems.back().expires = st.pop_expr();
  }
};
NFTC_ACTION(g::elem_comment) {
  NFTC_APPLY {
    (void)in;
    st.pending_elems.back().comment = ident_from(st, st.last());
  }
};
NFTC_ACTION(g::verdict_expr) { NFTC_APPLY { on_verdict(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::lhs_map_tail) { NFTC_APPLY { on_map_expr(st, span_of(in, st)); } };
NFTC_ACTION(g::map_stmt_tail) { NFTC_APPLY { on_map_expr(st, span_of(in, st)); } };
NFTC_ACTION(g::queue_map) { NFTC_APPLY { on_map_expr(st, span_of(in, st)); } };

// Statements ------------------------------------------------------------------

NFTC_ACTION(g::stmt_mark) {
  NFTC_APPLY {
    (void)in;
    st.marks.push_back(st.exprs.size());
    st.marks.push_back(st.stmts.size());
  }
};
NFTC_ACTION(g::rel_explicit) { NFTC_APPLY { on_match(st, tokens_of(in, st), span_of(in, st), true); } };
NFTC_ACTION(g::rel_implicit) { NFTC_APPLY { on_match(st, tokens_of(in, st), span_of(in, st), false); } };
NFTC_ACTION(g::assign_tail) { NFTC_APPLY { on_assign(st, span_of(in, st)); } };
NFTC_ACTION(g::vmap_tail) { NFTC_APPLY { on_vmap(st, span_of(in, st)); } };
NFTC_ACTION(g::stmt_verdict) {
  NFTC_APPLY {
    on_verdict(st, tokens_of(in, st), span_of(in, st));
    ast::Stmt* s = push_stmt(st, span_of(in, st));
    s->data = ast::VerdictStmt{st.pop_expr()};
  }
};
NFTC_ACTION(g::stmt_counter) { NFTC_APPLY { on_counter(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_limit) { NFTC_APPLY { on_limit(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_quota) { NFTC_APPLY { on_quota(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_connlimit) { NFTC_APPLY { on_connlimit(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_last) { NFTC_APPLY { on_last(st, tokens_of(in, st), span_of(in, st)); } };
template <typename ActionInput>
void objref(const ActionInput& in, ParserState& st) {
  on_objref(st, tokens_of(in, st), span_of(in, st));
}
NFTC_ACTION(g::objref_counter) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::objref_limit) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::objref_quota) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::objref_synproxy) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::objref_tunnel) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::objref_ct) { NFTC_APPLY { objref(in, st); } };
NFTC_ACTION(g::stmt_log) { NFTC_APPLY { on_log(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_reject) { NFTC_APPLY { on_reject(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_nat) { NFTC_APPLY { on_nat(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_masquerade) { NFTC_APPLY { on_nat(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_redirect) { NFTC_APPLY { on_nat(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_tproxy) { NFTC_APPLY { on_tproxy(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::nat_addr) {
  NFTC_APPLY {
    (void)in;
    st.exprs.back()->role = ast::ExprRole::nat_address;
  }
};
NFTC_ACTION(g::nat_port) {
  NFTC_APPLY {
    (void)in;
    st.exprs.back()->role = ast::ExprRole::nat_port;
  }
};
NFTC_ACTION(g::stmt_queue) { NFTC_APPLY { on_queue(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_dup) { NFTC_APPLY { on_dup(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_fwd) { NFTC_APPLY { on_fwd(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_notrack) { NFTC_APPLY { on_simple_stmt(st, span_of(in, st)); } };
NFTC_ACTION(g::stmt_flow_offload) { NFTC_APPLY { on_flow_offload(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_synproxy) { NFTC_APPLY { on_synproxy(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_set) { NFTC_APPLY { on_set_stmt(st, tokens_of(in, st), span_of(in, st), false); } };
NFTC_ACTION(g::stmt_set_legacy) { NFTC_APPLY { on_set_stmt(st, tokens_of(in, st), span_of(in, st), true); } };
NFTC_ACTION(g::stmt_meter) { NFTC_APPLY { on_meter(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_optstrip) { NFTC_APPLY { on_optstrip(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::stmt_xt) { NFTC_APPLY { on_xt(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::subchain_begin) {
  NFTC_APPLY {
    (void)in;
    st.marks.push_back(st.rules.size());
    st.scopes.emplace_back();
  }
};
NFTC_ACTION(g::stmt_chain) { NFTC_APPLY { on_chain_stmt(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::rule_begin) {
  NFTC_APPLY {
    (void)in;
    st.marks.push_back(st.stmts.size());
  }
};
NFTC_ACTION(g::rule_comment) {
  NFTC_APPLY {
    (void)in;
    st.idents.push_back(ident_from(st, st.last()));
  }
};
NFTC_ACTION(g::rule) {
  NFTC_APPLY { st.rules.push_back(build_rule(st, span_of(in, st))); }
};
NFTC_ACTION(g::chain_rule) {
  NFTC_APPLY { st.chains.back()->rules.push_back(build_rule(st, span_of(in, st))); }
};
NFTC_ACTION(g::cmd_rule_body) {
  NFTC_APPLY { st.cmd.rule = build_rule(st, span_of(in, st)); }
};

// Declarations ----------------------------------------------------------------

NFTC_ACTION(g::define_line) { NFTC_APPLY { on_define(st, tokens_of(in, st), span_of(in, st), 0); } };
NFTC_ACTION(g::redefine_line) { NFTC_APPLY { on_define(st, tokens_of(in, st), span_of(in, st), 1); } };
NFTC_ACTION(g::undefine_line) { NFTC_APPLY { on_define(st, tokens_of(in, st), span_of(in, st), 2); } };

// Parses an included file as a sequence of `Item`s (defined in parser.cpp).
template <typename Item>
bool parse_included(ParserState& st, FileId file);

template <typename Items>
struct action<g::include_line<Items>> {
  NFTC_APPLY { on_include(st, st.last(), span_of(in, st), &parse_included<Items>); }
};

NFTC_ACTION(g::obj_name) {
  NFTC_APPLY {
    (void)in;
    st.idents.push_back(ident_from(st, st.last()));
  }
};
NFTC_ACTION(g::chain_decl_name) : action<g::obj_name> {};
NFTC_ACTION(g::set_decl_name) : action<g::obj_name> {};
NFTC_ACTION(g::map_decl_name) : action<g::obj_name> {};
NFTC_ACTION(g::flowtable_decl_name) : action<g::obj_name> {};
NFTC_ACTION(g::table_block_begin) { NFTC_APPLY { on_table_block_begin(st, span_of(in, st)); } };
NFTC_ACTION(g::table_block) { NFTC_APPLY { on_table_block_end(st, span_of(in, st)); } };
NFTC_ACTION(g::chain_block_begin) { NFTC_APPLY { on_chain_block_begin(st, span_of(in, st)); } };
NFTC_ACTION(g::chain_block) { NFTC_APPLY { on_chain_block_end(st, span_of(in, st)); } };
NFTC_ACTION(g::set_block_begin) { NFTC_APPLY { on_set_block_begin(st, span_of(in, st), false); } };
NFTC_ACTION(g::map_block_begin) { NFTC_APPLY { on_set_block_begin(st, span_of(in, st), true); } };
NFTC_ACTION(g::set_block) { NFTC_APPLY { on_set_block_end(st, span_of(in, st)); } };
NFTC_ACTION(g::map_block) { NFTC_APPLY { on_set_block_end(st, span_of(in, st)); } };
NFTC_ACTION(g::flowtable_block_begin) { NFTC_APPLY { on_flowtable_block_begin(st, span_of(in, st)); } };
NFTC_ACTION(g::flowtable_block) { NFTC_APPLY { on_flowtable_block_end(st, span_of(in, st)); } };
NFTC_ACTION(g::obj_begin) { NFTC_APPLY { on_obj_begin(st, span_of(in, st)); } };

template <typename ActionInput>
void decl_end(const ActionInput& in, ParserState& st) {
  Tokens t = tokens_of(in, st);
  on_decl_end(st, t.text(0) == "ct" ? t.text(1) : t.text(0), span_of(in, st));
}
NFTC_ACTION(g::chain_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::set_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::map_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::flowtable_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::counter_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::quota_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::limit_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::secmark_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::synproxy_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::ct_obj_decl) { NFTC_APPLY { decl_end(in, st); } };
NFTC_ACTION(g::tunnel_decl) { NFTC_APPLY { decl_end(in, st); } };

NFTC_ACTION(g::hook_spec) { NFTC_APPLY { on_hook_spec(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::device_single) { NFTC_APPLY { on_devices(st, span_of(in, st), false, 0); } };
NFTC_ACTION(g::device_multi) { NFTC_APPLY { on_devices(st, span_of(in, st), true, 0); } };
NFTC_ACTION(g::chain_devices) { NFTC_APPLY { on_devices(st, span_of(in, st), true, 1); } };
NFTC_ACTION(g::flowtable_devices) { NFTC_APPLY { on_devices(st, span_of(in, st), true, 2); } };
NFTC_ACTION(g::policy_spec) { NFTC_APPLY { on_policy(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::chain_flags) { NFTC_APPLY { on_chain_flags(st, span_of(in, st)); } };
NFTC_ACTION(g::chain_comment) { NFTC_APPLY { (void)in; on_comment(st, 1); } };
NFTC_ACTION(g::table_comment) { NFTC_APPLY { (void)in; on_comment(st, 0); } };
NFTC_ACTION(g::set_comment) { NFTC_APPLY { (void)in; on_comment(st, 2); } };
NFTC_ACTION(g::flowtable_comment) { NFTC_APPLY { (void)in; on_comment(st, 3); } };
NFTC_ACTION(g::obj_comment) { NFTC_APPLY { (void)in; on_comment(st, 4); } };
NFTC_ACTION(g::table_flags) { NFTC_APPLY { on_table_flags(st, tokens_of(in, st)); } };

template <typename ActionInput>
void set_prop(const ActionInput& in, ParserState& st, std::string_view prop) {
  on_set_prop(st, tokens_of(in, st), span_of(in, st), prop);
}
NFTC_ACTION(g::set_key_type) { NFTC_APPLY { set_prop(in, st, "type"); } };
NFTC_ACTION(g::map_key_type) { NFTC_APPLY { set_prop(in, st, "maptype"); } };
NFTC_ACTION(g::set_flags) { NFTC_APPLY { set_prop(in, st, "flags"); } };
NFTC_ACTION(g::set_timeout) { NFTC_APPLY { set_prop(in, st, "timeout"); } };
NFTC_ACTION(g::set_gc_interval) { NFTC_APPLY { set_prop(in, st, "gc-interval"); } };
NFTC_ACTION(g::set_size) { NFTC_APPLY { set_prop(in, st, "size"); } };
NFTC_ACTION(g::set_policy) { NFTC_APPLY { set_prop(in, st, "policy"); } };
NFTC_ACTION(g::set_auto_merge) { NFTC_APPLY { set_prop(in, st, "auto-merge"); } };
NFTC_ACTION(g::set_elements) { NFTC_APPLY { set_prop(in, st, "elements"); } };
NFTC_ACTION(g::set_stateful) { NFTC_APPLY { set_prop(in, st, "stateful"); } };
NFTC_ACTION(g::set_key_typeof) { NFTC_APPLY { set_prop(in, st, "typeof"); } };
NFTC_ACTION(g::map_key_typeof) { NFTC_APPLY { set_prop(in, st, "maptypeof"); } };
NFTC_ACTION(g::flowtable_hook) { NFTC_APPLY { on_flowtable_prop(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::flowtable_counter) { NFTC_APPLY { on_flowtable_prop(st, tokens_of(in, st), span_of(in, st)); } };
NFTC_ACTION(g::flowtable_flags) { NFTC_APPLY { on_flowtable_prop(st, tokens_of(in, st), span_of(in, st)); } };

template <typename ActionInput>
void obj_config(const ActionInput& in, ParserState& st, std::string_view what) {
  on_obj_config(st, tokens_of(in, st), span_of(in, st), what);
}
NFTC_ACTION(g::counter_config) { NFTC_APPLY { obj_config(in, st, "counter"); } };
NFTC_ACTION(g::quota_config) { NFTC_APPLY { obj_config(in, st, "quota"); } };
NFTC_ACTION(g::limit_config) { NFTC_APPLY { obj_config(in, st, "limit"); } };
NFTC_ACTION(g::secmark_config) { NFTC_APPLY { obj_config(in, st, "secmark"); } };
NFTC_ACTION(g::synproxy_config) { NFTC_APPLY { obj_config(in, st, "synproxy"); } };
NFTC_ACTION(g::ct_helper_type) { NFTC_APPLY { obj_config(in, st, "helper"); } };
NFTC_ACTION(g::ct_l3proto) { NFTC_APPLY { obj_config(in, st, "l3proto"); } };
NFTC_ACTION(g::ct_protocol) { NFTC_APPLY { obj_config(in, st, "protocol"); } };
NFTC_ACTION(g::timeout_state) { NFTC_APPLY { obj_config(in, st, "timeout-state"); } };
NFTC_ACTION(g::ct_expect_dport) { NFTC_APPLY { obj_config(in, st, "dport"); } };
NFTC_ACTION(g::ct_expect_timeout) { NFTC_APPLY { obj_config(in, st, "expect-timeout"); } };
NFTC_ACTION(g::ct_expect_size) { NFTC_APPLY { obj_config(in, st, "size"); } };
NFTC_ACTION(g::tunnel_addr) { NFTC_APPLY { obj_config(in, st, "tunnel-addr"); } };
NFTC_ACTION(g::tunnel_scalar) { NFTC_APPLY { obj_config(in, st, "tunnel-scalar"); } };
NFTC_ACTION(g::tunnel_direction) { NFTC_APPLY { obj_config(in, st, "tunnel-scalar"); } };
NFTC_ACTION(g::tunnel_geneve_opt) { NFTC_APPLY { obj_config(in, st, "tunnel-geneve"); } };
NFTC_ACTION(g::tunnel_sub_kind) { NFTC_APPLY { obj_config(in, st, "tunnel-sub"); } };

// Commands --------------------------------------------------------------------

NFTC_ACTION(g::cmd_family) {
  NFTC_APPLY {
    (void)in;
    if (auto f = ast::family_from_name(st.token_text(st.last()))) {
      st.cmd.h.family = *f;
      st.cmd.h.family_explicit = true;
      st.cmd.h.family_span = st.token_span(st.last());
    }
  }
};
NFTC_ACTION(g::table_spec) { NFTC_APPLY { on_table_spec(st, tokens_of(in, st)); } };
NFTC_ACTION(g::table_name_spec) { NFTC_APPLY { on_table_spec(st, tokens_of(in, st)); } };
template <typename ActionInput>
void cmd_name(const ActionInput&, ParserState& st) {
  st.cmd.h.name = ident_from(st, st.last());
}
NFTC_ACTION(g::chain_name) { NFTC_APPLY { cmd_name(in, st); } };
NFTC_ACTION(g::cmd_obj_name) { NFTC_APPLY { cmd_name(in, st); } };
NFTC_ACTION(g::table_or_handle) {
  NFTC_APPLY {
    Tokens t = tokens_of(in, st);
    if (!t.has("handle")) st.cmd.h.table = ident_from(st, t.back());
  }
};
NFTC_ACTION(g::new_chain_name) {
  NFTC_APPLY {
    (void)in;
    st.cmd.new_name = ident_from(st, st.last());
  }
};
NFTC_ACTION(g::handle_spec) {
  NFTC_APPLY {
    st.cmd.h.handle = last_number(st);
    st.cmd.h.handle_span = span_of(in, st);
  }
};
NFTC_ACTION(g::position_spec) {
  NFTC_APPLY {
    st.cmd.h.position = last_number(st);
    st.cmd.h.position_span = span_of(in, st);
  }
};
NFTC_ACTION(g::index_spec_cmd) {
  NFTC_APPLY {
    st.cmd.h.index = last_number(st);
    st.cmd.h.position_span = span_of(in, st);
  }
};
template <ast::CmdOp Op>
struct cmd_action {
  NFTC_APPLY { on_cmd(st, tokens_of(in, st), span_of(in, st), Op); }
};
NFTC_ACTION(g::cmd_add) : cmd_action<ast::CmdOp::add> {};
NFTC_ACTION(g::cmd_implicit_add) : cmd_action<ast::CmdOp::add> {};
NFTC_ACTION(g::cmd_create) : cmd_action<ast::CmdOp::create> {};
NFTC_ACTION(g::cmd_insert) : cmd_action<ast::CmdOp::insert> {};
NFTC_ACTION(g::cmd_replace) : cmd_action<ast::CmdOp::replace> {};
NFTC_ACTION(g::cmd_delete) : cmd_action<ast::CmdOp::del> {};
NFTC_ACTION(g::cmd_destroy) : cmd_action<ast::CmdOp::destroy> {};
NFTC_ACTION(g::cmd_get) : cmd_action<ast::CmdOp::get> {};
NFTC_ACTION(g::cmd_list) : cmd_action<ast::CmdOp::list> {};
NFTC_ACTION(g::cmd_reset) : cmd_action<ast::CmdOp::reset> {};
NFTC_ACTION(g::cmd_flush) : cmd_action<ast::CmdOp::flush> {};
NFTC_ACTION(g::cmd_rename) : cmd_action<ast::CmdOp::rename> {};
NFTC_ACTION(g::cmd_import) : cmd_action<ast::CmdOp::import> {};
NFTC_ACTION(g::cmd_export) : cmd_action<ast::CmdOp::export_> {};
NFTC_ACTION(g::cmd_monitor) : cmd_action<ast::CmdOp::monitor> {};
NFTC_ACTION(g::cmd_describe) : cmd_action<ast::CmdOp::describe> {};
NFTC_ACTION(g::command_begin) {
  NFTC_APPLY {
    (void)in;
    st.cmd = ast::Command{};
  }
};
NFTC_ACTION(g::command_line) { NFTC_APPLY { on_command_line(st, span_of(in, st)); } };

#undef NFTC_ACTION
#undef NFTC_APPLY

}  // namespace nftc::parse
