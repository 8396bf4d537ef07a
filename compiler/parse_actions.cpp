// The bodies of the parse actions: values, expressions and statements.
// Declarations and commands are in parse_decls.cpp.
#include <fmt/format.h>

#include "compiler/parse_actions.hpp"
#include "compiler/spell.hpp"

namespace nftc::parse {

bool Tokens::has(std::string_view word) const { return find(word) != std::string_view::npos; }

std::size_t Tokens::find(std::string_view word, std::size_t from) const {
  for (std::size_t i = from; i < n; ++i) {
    const Token& t = data[i];
    if (t.length == word.size() && t.kind != TokenKind::quoted && st->token_text(t) == word) return i;
  }
  return std::string_view::npos;
}

ast::Expr* new_expr(ParserState& st, ast::ExprKind kind, Span span) {
  ast::Expr* e = st.script.arena.expr(kind, span);
  st.exprs.push_back(e);
  return e;
}

ast::Ident ident_from(ParserState& st, const Token& t) {
  ast::Ident id;
  id.span = st.token_span(t);
  id.text = st.token_text(t);
  if (t.kind == TokenKind::quoted || t.kind == TokenKind::ip6_bracket) {
    id.text = id.text.substr(1, id.text.size() - 2);
    id.quoted = t.kind == TokenKind::quoted;
  }
  return id;
}

ast::Stmt* push_stmt(ParserState& st, Span span) {
  ast::Stmt* s = st.script.arena.make<ast::Stmt>();
  s->span = span;
  st.stmts.push_back(s);
  return s;
}

namespace {

// The expressions pushed since the expression mark, which is popped.
std::vector<ast::Expr*> take_exprs_since_mark(ParserState& st) {
  std::size_t stmt_mark = st.pop_mark();
  (void)stmt_mark;
  std::size_t mark = st.pop_mark();
  std::vector<ast::Expr*> out(st.exprs.begin() + static_cast<std::ptrdiff_t>(mark), st.exprs.end());
  st.exprs.resize(mark);
  return out;
}

std::optional<std::uint64_t> number_after(const Tokens& t, std::string_view word) {
  std::size_t i = t.find(word);
  if (i == std::string_view::npos || i + 1 >= t.size() || t[i + 1].kind != TokenKind::number) return std::nullopt;
  return t.number(i + 1);
}

}  // namespace

// ---------------------------------------------------------------------------
// Values

void on_symbol(ParserState& st, const Token& t) {
  ast::Expr* e = new_expr(st, ast::ExprKind::symbol, st.token_span(t));
  e->text = st.token_text(t);
  if (t.kind == TokenKind::quoted || t.kind == TokenKind::ip6_bracket) {
    e->text = e->text.substr(1, e->text.size() - 2);
    e->quoted = t.kind == TokenKind::quoted;
  }
  e->asterisk = t.kind == TokenKind::asterisk;
}

void on_variable(ParserState& st, Span span, const Token& name) {
  ast::Expr* e = new_expr(st, ast::ExprKind::variable, span);
  e->text = st.token_text(name);
  e->def = st.lookup(e->text);
  if (e->def == nullptr && !st.suppress_errors && !st.probing) {
    Diagnostic& d = st.diags.error("SYN005", span, fmt::format("unknown variable '${}'", e->text));
    if (auto m = closest_match(e->text, st.visible_variable_names())) d.with_help(fmt::format("did you mean '${}'?", *m));
    else d.with_help(fmt::format("define it first: define {} = …", e->text));
    st.had_error = true;
  }
}

void on_tunnel_selector(ParserState& st, const Tokens& t, Span span) {
  std::string_view first = t.text(0);
  std::string_view second = t.text(1);
  bool own_field = (is(first, "vxlan") && (is(second, "vni") || is(second, "flags"))) ||
                   (is(first, "geneve") && (is(second, "vni") || is(second, "type"))) ||
                   (is(first, "gre") && (is(second, "version") || is(second, "flags") || is(second, "protocol")));
  if (own_field) {
    on_selector(st, ast::SelectorKind::payload, t, span);
    return;
  }
  // An inner header: the inner selector is on the stack; it becomes this
  // node, qualified with the tunnel.
  ast::Expr* inner = st.pop_expr();
  inner->span = span;
  inner->sel->qualifier = first;
  st.exprs.push_back(inner);
}

void on_proto_selector(ParserState& st, const Tokens& t, Span span) {
  using K = ast::SelectorKind;
  std::string_view second = t.text(1);
  K kind = K::payload;
  if (is(second, "option")) {
    std::string_view proto = t.text(0);
    kind = is(proto, "ip") ? K::ip_option : is(proto, "tcp") ? K::tcp_option : K::dccp_option;
  } else if (is(second, "chunk")) {
    kind = K::sctp_chunk;
  }
  on_selector(st, kind, t, span);
}

void on_selector(ParserState& st, ast::SelectorKind kind, const Tokens& t, Span span) {
  using K = ast::SelectorKind;
  ast::Expr* hashed = nullptr;
  if (kind == K::hash && is(t.text(0), "jhash")) hashed = st.pop_expr();

  ast::Expr* e = new_expr(st, ast::ExprKind::selector, span);
  ast::Selector& s = *e->sel;
  s.kind = kind;
  switch (kind) {
    case K::payload:
      s.proto = t.text(0);
      s.field = t.text(1);
      if (t.size() > 2 && is(s.proto, "arp")) s.qualifier = t.text(2);  // saddr ether|ip
      break;
    case K::payload_raw:
      // @ base , off , len
      s.qualifier = t.text(1);
      s.n1 = t.number(3);
      s.n2 = t.number(5);
      break;
    case K::exthdr:
      s.proto = t.text(0);
      s.field = t.text(1);
      if (t.size() > 3) s.n1 = t.number(3);  // addr[N], sid[N]
      break;
    case K::exthdr_exists:
      s.proto = t.text(1);
      break;
    case K::tcp_option:
      // tcp option @TYPE,OFF,LEN | tcp option TYPE [FIELD]
      if (is(t.text(2), "@")) {
        s.raw = true;
        s.proto = t.text(3);
        if (t[3].kind == TokenKind::number) s.n3 = t.number(3);
        s.n1 = t.number(5);
        s.n2 = t.number(7);
      } else {
        s.proto = t.text(2);
        if (t[2].kind == TokenKind::number) s.n3 = t.number(2);
        if (t.size() > 3) s.field = t.text(3);
      }
      break;
    case K::ip_option:
      s.proto = t.text(2);
      if (t.size() > 3) s.field = t.text(3);
      break;
    case K::sctp_chunk:
      s.proto = t.text(2);
      if (t.size() > 3) s.field = t.text(3);
      break;
    case K::dccp_option:
      s.n1 = t.number(2);
      break;
    case K::meta:
      if (is(t.text(0), "meta")) {
        s.field = t.text(1);
      } else {
        s.field = t.text(0);
        s.unqualified_meta = true;
      }
      break;
    case K::socket:
      s.field = t.text(1);
      if (is(s.field, "cgroupv2")) s.n1 = t.number(3);
      break;
    case K::rt:
      if (is(t.text(1), "ip") || is(t.text(1), "ip6")) {
        s.qualifier = t.text(1);
        s.field = t.text(2);
      } else {
        s.field = t.text(1);
      }
      break;
    case K::ct: {
      // ct KEY | ct DIR KEY | ct DIR ip|ip6 saddr|daddr
      std::size_t i = 1;
      if (is(t.text(1), "original") || is(t.text(1), "reply")) {
        s.qualifier = t.text(1);
        i = 2;
      }
      if (is(t.text(i), "ip") || is(t.text(i), "ip6")) {
        s.proto = t.text(i);
        ++i;
      }
      s.field = t.text(i);
      break;
    }
    case K::numgen:
      s.qualifier = t.text(1);  // inc | random
      s.n1 = t.number(3);       // mod
      if (auto off = number_after(t, "offset")) {
        s.n3 = *off;
        s.has_n3 = true;
      }
      break;
    case K::hash: {
      s.qualifier = t.text(0);  // jhash | symhash
      if (auto mod = number_after(t, "mod")) s.n1 = *mod;
      if (auto seed = number_after(t, "seed")) {
        s.n2 = *seed;
        s.has_n4 = true;  // has seed
      }
      if (auto off = number_after(t, "offset")) {
        s.n3 = *off;
        s.has_n3 = true;
      }
      e->a = hashed;
      break;
    }
    case K::fib: {
      for (std::size_t i = 1; i + 1 < t.size(); i += 2) st.script.arena.push(s.flags, t.text(i));
      s.field = t.text(t.size() - 1);
      break;
    }
    case K::osf:
      if (is(t.text(1), "ttl")) {
        s.qualifier = t.text(2);
        s.field = t.text(3);
      } else {
        s.field = t.text(1);
      }
      break;
    case K::xfrm: {
      s.qualifier = t.text(1);  // in | out
      std::size_t i = 2;
      if (is(t.text(2), "spnum")) {
        s.n1 = t.number(3);
        s.has_n3 = true;
        i = 4;
      }
      if (is(t.text(i), "ip") || is(t.text(i), "ip6")) {
        s.proto = t.text(i);
        ++i;
      }
      s.field = t.text(i);
      break;
    }
    case K::tunnel:
      s.field = t.text(1);
      break;
  }
}

void on_verdict(ParserState& st, const Tokens& t, Span span) {
  // The grammar matched one of the six verdict keywords, whose first letters
  // differ.
  std::string_view w = t.text(0);
  ast::VerdictKind kind = ast::VerdictKind::goto_;
  switch (w[0]) {
    case 'a': kind = ast::VerdictKind::accept; break;
    case 'd': kind = ast::VerdictKind::drop; break;
    case 'c': kind = ast::VerdictKind::continue_; break;
    case 'r': kind = ast::VerdictKind::return_; break;
    case 'j': kind = ast::VerdictKind::jump; break;
    default: break;
  }
  ast::Expr* target = nullptr;
  if ((kind == ast::VerdictKind::jump || kind == ast::VerdictKind::goto_) && t.size() > 1) {
    if (t[1].kind == TokenKind::punct && st.text[t[1].begin] == '$') {
      target = st.pop_expr();
    } else {
      target = st.script.arena.expr(ast::ExprKind::symbol, st.token_span(t[1]));
      target->text = t.text(1);
    }
  }
  ast::Expr* e = new_expr(st, ast::ExprKind::verdict, span);
  e->verdict = kind;
  e->a = target;
  e->text = w;
}

// ---------------------------------------------------------------------------
// Operators, concatenations, lists and sets

void on_binop_more(ParserState& st, const Tokens& t) {
  std::string_view op = t.text(0);
  ast::BinOp b = ast::BinOp::bor;
  if (is(op, "<<") || is(op, "lshift")) b = ast::BinOp::lshift;
  else if (is(op, ">>") || is(op, "rshift")) b = ast::BinOp::rshift;
  else if (is(op, "&") || is(op, "and")) b = ast::BinOp::band;
  else if (is(op, "^") || is(op, "xor")) b = ast::BinOp::bxor;
  st.binops.push_back({b, static_cast<std::uint32_t>(t.data - st.toks)});
}

namespace {

int precedence(ast::BinOp op) {
  switch (op) {
    case ast::BinOp::lshift:
    case ast::BinOp::rshift: return 4;
    case ast::BinOp::band: return 3;
    case ast::BinOp::bxor: return 2;
    case ast::BinOp::bor: return 1;
  }
  return 0;
}

}  // namespace

// The chain that started at `begin` is complete: its operands are the last
// exprs on the stack and its operators the binops at or after `begin`
// (nested chains, inside parentheses, have consumed theirs). Builds the tree
// by precedence, each level left-associative.
void on_binop_chain(ParserState& st, std::size_t begin) {
  std::size_t k = st.binops.size();
  while (k > 0 && st.binops[k - 1].pos >= begin) --k;
  const std::size_t nops = st.binops.size() - k;
  if (nops == 0) return;
  const std::size_t first = st.exprs.size() - nops - 1;
  std::vector<ast::Expr*> out;
  std::vector<ast::BinOp> ops;
  out.reserve(nops + 1);
  ops.reserve(nops);
  auto reduce = [&] {
    ast::Expr* right = out.back();
    out.pop_back();
    ast::Expr* left = out.back();
    ast::Expr* e = st.script.arena.expr(ast::ExprKind::binop, left->span.merge(right->span));
    e->binop = ops.back();
    e->a = left;
    e->b = right;
    out.back() = e;
    ops.pop_back();
  };
  for (std::size_t i = 0; i < nops; ++i) {
    out.push_back(st.exprs[first + i]);
    ast::BinOp op = st.binops[k + i].op;
    while (!ops.empty() && precedence(ops.back()) >= precedence(op)) reduce();
    ops.push_back(op);
  }
  out.push_back(st.exprs.back());
  while (!ops.empty()) reduce();
  st.exprs.resize(first);
  st.exprs.push_back(out.front());
  st.binops.resize(k);
}

// Chains of tails extend the node the first tail created: an operand of a
// concatenation or list is never itself one (parentheses hold only basic
// expressions), so a concat/list on the left is always the chain's own.
static void extend_or_create(ParserState& st, ast::ExprKind kind) {
  ast::Expr* right = st.pop_expr();
  ast::Expr* left = st.pop_expr();
  if (left->kind == kind) {
    st.script.arena.push(left->items, right);
    left->span = left->span.merge(right->span);
    st.exprs.push_back(left);
    return;
  }
  ast::Expr* e = new_expr(st, kind, left->span.merge(right->span));
  e->items = st.script.arena.list({left, right});
}

void on_concat(ParserState& st) { extend_or_create(st, ast::ExprKind::concat); }
void on_list_more(ParserState& st) { extend_or_create(st, ast::ExprKind::list); }

void on_prefix(ParserState& st, std::uint64_t len, Span span) {
  ast::Expr* a = st.pop_expr();
  ast::Expr* e = new_expr(st, ast::ExprKind::prefix, a->span.merge(span));
  e->a = a;
  e->num = len;
}

void on_range(ParserState& st) {
  ast::Expr* b = st.pop_expr();
  ast::Expr* a = st.pop_expr();
  ast::Expr* e = new_expr(st, ast::ExprKind::range, a->span.merge(b->span));
  e->a = a;
  e->b = b;
}

void on_set(ParserState& st, Span span) {
  std::size_t mark = st.pop_mark();
  ast::List<ast::Expr*> items =
      st.script.arena.list<ast::Expr*>(st.exprs.begin() + static_cast<std::ptrdiff_t>(mark), st.exprs.end());
  st.exprs.resize(mark);
  ast::Expr* e = new_expr(st, ast::ExprKind::set, span);
  e->items = items;
}

void on_elem(ParserState& st, Span span, bool bare_if_plain) {
  ast::Expr* key = st.pop_expr();
  std::size_t mark = st.pop_mark();
  // Most elements of a large set have no options: the key stands for the
  // element (one node instead of two; see ast.hpp, ExprKind::set).
  if (bare_if_plain && st.pending_elems.back().empty() && st.stmts.size() == mark && key->span == span) {
    st.pending_elems.pop_back();
    st.exprs.push_back(key);
    return;
  }
  ast::Expr* e = new_expr(st, ast::ExprKind::set_elem, span);
  e->a = key;
  ast::ElemOptions options = st.pending_elems.back();
  st.pending_elems.pop_back();
  options.stmts =
      st.script.arena.list<ast::Stmt*>(st.stmts.begin() + static_cast<std::ptrdiff_t>(mark), st.stmts.end());
  if (!options.empty()) st.script.arena.elem_options(e) = options;
  st.stmts.resize(mark);
}

void on_mapping(ParserState& st) {
  ast::Expr* value = st.pop_expr();
  ast::Expr* key = st.pop_expr();
  ast::Expr* e = new_expr(st, ast::ExprKind::mapping, key->span.merge(value->span));
  e->a = key;
  e->b = value;
}

void on_rhs_mask(ParserState& st, Span span) {
  ast::Expr* mask = st.pop_expr();
  // A placeholder binop with no left operand: on_match applies the mask to
  // the left-hand side (`flags & mask == value`), as nft does.
  ast::Expr* e = new_expr(st, ast::ExprKind::binop, span);
  e->binop = ast::BinOp::band;
  e->b = mask;
}

void on_map_expr(ParserState& st, Span span) {
  ast::Expr* map = st.pop_expr();
  ast::Expr* key = st.pop_expr();
  ast::Expr* e = new_expr(st, ast::ExprKind::map, key->span.merge(span));
  e->a = key;
  e->b = map;
}

// ---------------------------------------------------------------------------
// Statements

void on_match(ParserState& st, const Tokens& t, Span span, bool explicit_op) {
  ast::Expr* rhs = st.pop_expr();
  ast::Expr* mask = nullptr;
  if (rhs->kind == ast::ExprKind::binop && rhs->a == nullptr) {
    mask = rhs->b;
    rhs = st.pop_expr();
  }
  ast::Expr* lhs = st.pop_expr();
  if (mask != nullptr) {
    ast::Expr* masked = st.script.arena.expr(ast::ExprKind::binop, {});
    masked->binop = ast::BinOp::band;
    masked->a = lhs;
    masked->b = mask;
    masked->span = lhs->span.merge(mask->span);
    lhs = masked;
  }
  ast::RelOp op = ast::RelOp::implicit;
  Span op_span;
  if (explicit_op) {
    std::string_view o = t.text(0);
    op_span = st.token_span(t[0]);
    if (is(o, "==") || is(o, "eq")) op = ast::RelOp::eq;
    else if (is(o, "!=") || is(o, "ne")) op = ast::RelOp::neq;
    else if (is(o, "<") || is(o, "lt")) op = ast::RelOp::lt;
    else if (is(o, ">") || is(o, "gt")) op = ast::RelOp::gt;
    else if (is(o, "<=") || is(o, "le")) op = ast::RelOp::lte;
    else if (is(o, ">=") || is(o, "ge")) op = ast::RelOp::gte;
    else op = ast::RelOp::negate;
  }
  ast::Stmt* s = push_stmt(st, lhs->span.merge(span));
  s->data = ast::MatchStmt{lhs, op, rhs, op_span};
}

void on_assign(ParserState& st, Span span) {
  ast::Expr* value = st.pop_expr();
  ast::Expr* lhs = st.pop_expr();
  ast::Stmt* s = push_stmt(st, lhs->span.merge(span));
  s->data = ast::AssignStmt{lhs, value};
}

void on_vmap(ParserState& st, Span span) {
  ast::Expr* map = st.pop_expr();
  ast::Expr* key = st.pop_expr();
  ast::Stmt* s = push_stmt(st, key->span.merge(span));
  s->data = ast::VmapStmt{key, map};
}

void on_counter(ParserState& st, const Tokens& t, Span span) {
  ast::CounterStmt c;
  if (t.size() > 1) {  // most counters are the bare keyword
    c.packets = number_after(t, "packets");
    c.bytes = number_after(t, "bytes");
  }
  push_stmt(st, span)->data = c;
}

// Reads `[over|until] N [unit] / time [burst N unit]` starting at token i.
static ast::RateSpec read_rate(ParserState& st, const Tokens& t, std::size_t i, std::string_view& mode) {
  ast::RateSpec r;
  if (is(t.text(i), "over") || is(t.text(i), "until")) mode = t.text(i++);
  r.span = st.token_span(t[i]);
  r.rate = t.number(i++);
  if (!is(t.text(i), "/")) r.rate_unit = t.text(i++);
  ++i;  // '/'
  r.time_unit = t.text(i);
  r.span = r.span.merge(st.token_span(t[i]));
  ++i;
  if (is(t.text(i), "burst")) {
    r.burst = t.number(i + 1);
    r.burst_unit = t.text(i + 2);
  }
  return r;
}

void on_limit(ParserState& st, const Tokens& t, Span span) {
  ast::LimitStmt l;
  l.rate = read_rate(st, t, 2, l.mode);
  push_stmt(st, span)->data = st.script.arena.box(l);
}

static ast::QuotaSpec read_quota(const Tokens& t, std::size_t i) {
  ast::QuotaSpec q;
  if (is(t.text(i), "over") || is(t.text(i), "until")) q.mode = t.text(i++);
  q.value = t.number(i++);
  q.unit = t.text(i++);
  if (is(t.text(i), "used")) {
    q.used = t.number(i + 1);
    q.used_unit = t.text(i + 2);
  }
  return q;
}

void on_quota(ParserState& st, const Tokens& t, Span span) {
  push_stmt(st, span)->data = st.script.arena.box(ast::QuotaStmt{read_quota(t, 1)});
}

void on_connlimit(ParserState& st, const Tokens& t, Span span) {
  bool over = is(t.text(2), "over");
  push_stmt(st, span)->data = ast::ConnlimitStmt{t.number(over ? 3 : 2), over};
}

void on_last(ParserState& st, const Tokens& t, Span span) {
  ast::LastStmt l;
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  if (t.has("used")) {
    l.has_used = true;
    l.never = is(t.text(2), "never");
    if (!values.empty()) l.used = values.front();
  }
  push_stmt(st, span)->data = l;
}

void on_objref(ParserState& st, const Tokens& t, Span span) {
  ast::ObjrefStmt o;
  std::string_view k = t.text(0);
  if (is(k, "counter")) o.kind = ast::ObjKind::counter;
  else if (is(k, "limit")) o.kind = ast::ObjKind::limit;
  else if (is(k, "quota")) o.kind = ast::ObjKind::quota;
  else if (is(k, "synproxy")) o.kind = ast::ObjKind::synproxy;
  else if (is(k, "tunnel")) o.kind = ast::ObjKind::tunnel;
  else o.kind = is(t.text(1), "timeout") ? ast::ObjKind::ct_timeout : ast::ObjKind::ct_expect;
  o.name = st.pop_expr();
  push_stmt(st, span)->data = o;
}

void on_log(ParserState& st, const Tokens& t, Span span) {
  ast::LogStmt l;
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  if (!values.empty()) l.prefix = values.front();
  l.group = number_after(t, "group");
  l.snaplen = number_after(t, "snaplen");
  l.queue_threshold = number_after(t, "queue-threshold");
  if (std::size_t i = t.find("level"); i != std::string_view::npos) l.level = t.text(i + 1);
  for (std::size_t i = t.find("flags"); i != std::string_view::npos; i = t.find("flags", i + 1)) {
    std::size_t j = i + 1;
    std::string_view f = t.text(j);
    if (is(f, "tcp")) {
      st.script.arena.push(l.flags, ident_from(st, t[j]));
      for (++j; j < t.size(); j += 2) {
        st.script.arena.push(l.flags, ident_from(st, t[j]));  // sequence / options
        if (!is(t.text(j + 1), ",")) break;
      }
    } else if (is(f, "ip")) {
      st.script.arena.push(l.flags, ident_from(st, t[j]));
      st.script.arena.push(l.flags, ident_from(st, t[j + 1]));
    } else {
      st.script.arena.push(l.flags, ident_from(st, t[j]));
    }
  }
  push_stmt(st, span)->data = st.script.arena.box(l);
}

void on_reject(ParserState& st, const Tokens& t, Span span) {
  ast::RejectStmt r;
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  if (std::size_t i = t.find("with"); i != std::string_view::npos) {
    r.with = t.text(i + 1);
    r.with_span = st.token_span(t[i + 1]);
    if (!values.empty()) r.code = values.front();
  }
  push_stmt(st, span)->data = r;
}

void on_nat(ParserState& st, const Tokens& t, Span span) {
  ast::NatStmt n;
  std::string_view k = t.text(0);
  n.kind = is(k, "snat") ? ast::NatKind::snat
           : is(k, "dnat") ? ast::NatKind::dnat
           : is(k, "masquerade") ? ast::NatKind::masquerade
                               : ast::NatKind::redirect;
  for (ast::Expr* e : take_exprs_since_mark(st)) {
    if (e->role == ast::ExprRole::nat_port) n.port = e;
    else n.addr = e;
  }
  if (is(t.text(1), "ip") || is(t.text(1), "ip6")) n.family = t.text(1);
  n.to_keyword = t.has("to");
  std::size_t after_family = n.family.empty() ? 1 : 2;
  n.addr_port_map = is(t.text(after_family), "addr") && is(t.text(after_family + 1), ".");
  n.interval = is(t.text(after_family), "interval");
  n.prefix = is(t.text(after_family), "prefix");
  // Flags come last: a comma-separated list of flag keywords.
  std::size_t first_flag = t.size();
  for (std::size_t i = t.size(); i-- > 1;) {
    std::string_view w = t.text(i);
    if (is(w, "random") || is(w, "fully-random") || is(w, "persistent")) first_flag = i;
    else if (!is(w, ",")) break;
  }
  for (std::size_t i = first_flag; i < t.size(); ++i)
    if (!is(t.text(i), ",")) st.script.arena.push(n.flags, ident_from(st, t[i]));
  push_stmt(st, span)->data = st.script.arena.box(n);
}

void on_tproxy(ParserState& st, const Tokens& t, Span span) {
  ast::TproxyStmt p;
  for (ast::Expr* e : take_exprs_since_mark(st)) {
    if (e->role == ast::ExprRole::nat_port) p.port = e;
    else p.addr = e;
  }
  if (is(t.text(1), "ip") || is(t.text(1), "ip6")) p.family = t.text(1);
  push_stmt(st, span)->data = p;
}

void on_queue(ParserState& st, const Tokens& t, Span span) {
  ast::QueueStmt q;
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  if (!values.empty()) q.num = values.front();
  for (std::size_t i = 1; i < t.size(); ++i) {
    std::string_view w = t.text(i);
    if (is(w, "bypass") || is(w, "fanout")) st.script.arena.push(q.flags, ident_from(st, t[i]));
    if (is(w, "to")) {
      q.to_form = true;
      break;
    }
    if (is(w, "num")) ++i;
  }
  push_stmt(st, span)->data = q;
}

void on_dup(ParserState& st, const Tokens&, Span span) {
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  ast::DupStmt d{values.at(0), values.size() > 1 ? values[1] : nullptr};
  push_stmt(st, span)->data = d;
}

void on_fwd(ParserState& st, const Tokens& t, Span span) {
  std::vector<ast::Expr*> values = take_exprs_since_mark(st);
  ast::FwdStmt f{};
  if (is(t.text(1), "ip") || is(t.text(1), "ip6")) f.family = t.text(1);
  f.to = values.at(0);
  f.dev = values.size() > 1 ? values[1] : nullptr;
  push_stmt(st, span)->data = f;
}

void on_flow_offload(ParserState& st, const Tokens& t, Span span) {
  ast::FlowOffloadStmt f{ident_from(st, t.back()), is(t.text(1), "offload")};
  push_stmt(st, span)->data = f;
}

void on_synproxy(ParserState& st, const Tokens& t, Span span) {
  ast::SynproxyStmt s;
  s.mss = number_after(t, "mss");
  if (!s.mss) s.mss = number_after(t, "maxseg");
  s.wscale = number_after(t, "wscale");
  s.timestamp = t.has("timestamp");
  s.sack_perm = t.has("sack-perm") || t.has("sack-permitted");
  push_stmt(st, span)->data = s;
}

void on_set_stmt(ParserState& st, const Tokens& t, Span span, bool legacy) {
  std::size_t stmt_mark = st.pop_mark();
  std::size_t expr_mark = st.pop_mark();
  std::vector<ast::Expr*> values(st.exprs.begin() + static_cast<std::ptrdiff_t>(expr_mark), st.exprs.end());
  st.exprs.resize(expr_mark);
  ast::SetStmt s{};
  std::string_view op = t.text(legacy ? 1 : 0);
  s.op = is(op, "add") ? ast::SetOp::add : is(op, "update") ? ast::SetOp::update : ast::SetOp::del;
  s.legacy_form = legacy;
  if (legacy) {
    // set add KEY @s
    s.key = values.at(0);
    s.set = values.at(1);
  } else {
    s.set = values.at(0);
    s.key = values.at(1);
    if (values.size() > 2) s.data = values[2];
  }
  s.stmts = st.script.arena.list<ast::Stmt*>(st.stmts.begin() + static_cast<std::ptrdiff_t>(stmt_mark), st.stmts.end());
  st.stmts.resize(stmt_mark);
  push_stmt(st, span)->data = st.script.arena.box(std::move(s));
}

void on_meter(ParserState& st, const Tokens& t, Span span) {
  ast::Stmt* inner = st.stmts.back();
  st.stmts.pop_back();
  std::size_t stmt_mark = st.pop_mark();
  std::size_t expr_mark = st.pop_mark();
  ast::Expr* key = st.exprs.at(expr_mark);
  st.exprs.resize(expr_mark);
  st.stmts.resize(stmt_mark);
  ast::MeterStmt m{ident_from(st, t[1]), number_after(t, "size"), key, inner};
  push_stmt(st, span)->data = st.script.arena.box(m);
}

void on_optstrip(ParserState& st, const Tokens& t, Span span) {
  ast::Expr* opt = st.script.arena.expr(ast::ExprKind::selector, st.span(t[1].begin, t.back().end()));
  opt->sel->kind = ast::SelectorKind::tcp_option;
  opt->sel->proto = t.text(3);
  if (t[3].kind == TokenKind::number) opt->sel->n3 = t.number(3);
  push_stmt(st, span)->data = ast::OptstripStmt{opt};
}

void on_xt(ParserState& st, const Tokens& t, Span span) {
  push_stmt(st, span)->data = st.script.arena.box(ast::XtStmt{ident_from(st, t[1]), ident_from(st, t[2])});
}

void on_chain_stmt(ParserState& st, const Tokens& t, Span span) {
  std::size_t mark = st.pop_mark();
  st.scopes.pop_back();
  ast::ChainStmt c;
  c.kind = is(t.text(0), "jump") ? ast::VerdictKind::jump : ast::VerdictKind::goto_;
  c.rules = st.script.arena.list<ast::RuleDecl*>(st.rules.begin() + static_cast<std::ptrdiff_t>(mark), st.rules.end());
  st.rules.resize(mark);
  push_stmt(st, span)->data = std::move(c);
}

void on_simple_stmt(ParserState& st, Span span) { push_stmt(st, span)->data = ast::NotrackStmt{}; }

ast::RuleDecl* build_rule(ParserState& st, Span span) {
  std::size_t mark = st.pop_mark();
  ast::RuleDecl* r = st.script.arena.make<ast::RuleDecl>();
  r->span = span;
  r->stmts = st.script.arena.list<ast::Stmt*>(st.stmts.begin() + static_cast<std::ptrdiff_t>(mark), st.stmts.end());
  st.stmts.resize(mark);
  // A trailing comment: rule_comment pushed its text, and it is the last
  // token of the rule.
  if (!st.idents.empty() && st.idents.back().span.end == span.end && st.idents.back().span.begin >= span.begin &&
      (r->stmts.empty() || st.idents.back().span.begin >= r->stmts.back()->span.end)) {
    r->comment = st.idents.back();
    st.idents.pop_back();
  }
  return r;
}

}  // namespace nftc::parse
