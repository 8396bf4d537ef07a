// The JSON front end: expressions and statements of libnftables-json(5),
// built as the nft parser builds them (compiler/parse_actions.cpp).
#include <fmt/format.h>

#include "compiler/json_input_reader.hpp"

namespace nftc::json_input {

using K = ast::SelectorKind;

namespace {

struct SelectorName {
  std::string_view key;
  K kind;
};
constexpr SelectorName kSelectors[] = {
    {"payload", K::payload}, {"exthdr", K::exthdr},     {"tcp option", K::tcp_option}, {"ip option", K::ip_option},
    {"sctp chunk", K::sctp_chunk}, {"dccp option", K::dccp_option}, {"meta", K::meta}, {"ct", K::ct},
    {"rt", K::rt},           {"fib", K::fib},           {"socket", K::socket},         {"osf", K::osf},
    {"numgen", K::numgen},   {"jhash", K::hash},        {"symhash", K::hash},          {"ipsec", K::xfrm},
    {"tunnel", K::tunnel},
};

struct BinopName {
  std::string_view key;
  ast::BinOp op;
};
constexpr BinopName kBinops[] = {
    {"&", ast::BinOp::band}, {"|", ast::BinOp::bor}, {"^", ast::BinOp::bxor},
    {"<<", ast::BinOp::lshift}, {">>", ast::BinOp::rshift},
};

struct VerdictName {
  std::string_view key;
  ast::VerdictKind kind;
};
constexpr VerdictName kVerdicts[] = {
    {"accept", ast::VerdictKind::accept}, {"drop", ast::VerdictKind::drop},
    {"continue", ast::VerdictKind::continue_}, {"jump", ast::VerdictKind::jump},
    {"goto", ast::VerdictKind::goto_},    {"return", ast::VerdictKind::return_},
};

std::optional<ast::VerdictKind> verdict_kind(std::string_view k) {
  for (const VerdictName& v : kVerdicts)
    if (v.key == k) return v.kind;
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// Expressions

ast::Expr* Reader::expr(const Node& n) {
  const Json& j = *n;
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (!s.empty() && s[0] == '@') {
      ast::Expr* e = new_expr(ast::ExprKind::set_ref, n);
      e->text = own(s.substr(1));
      return e;
    }
    if (s == "*") return new_expr(ast::ExprKind::wildcard, n);
    return symbol(n, own(std::move(s)));
  }
  if (j.is_number_integer()) {
    ast::Expr* e = new_expr(ast::ExprKind::number, n);
    if (j.is_number_unsigned() || j.get<std::int64_t>() >= 0) {
      e->num = j.get<std::uint64_t>();
      e->text = own(j.dump());
      return e;
    }
    // nft reads a negative integer as the symbol it prints.
    return symbol(n, own(j.dump()));
  }
  if (j.is_boolean()) {
    ast::Expr* e = new_expr(ast::ExprKind::boolean, n);
    e->num = j.get<bool>() ? 1 : 0;
    e->text = j.get<bool>() ? "exists" : "missing";
    return e;
  }
  if (j.is_array()) {
    ast::Expr* e = new_expr(ast::ExprKind::list, n);
    for (std::size_t i = 0; i < j.size(); ++i)
      if (ast::Expr* x = expr(n.item(i))) script_.arena.push(e->items, x);
      else return nullptr;
    return e;
  }
  std::string_view key = n.only_key();
  if (key.empty()) {
    error(n, "an expression is a string, a number, a boolean, an array or an object with one key");
    return nullptr;
  }
  return named_expr(key, n, n.only_value());
}

ast::Expr* Reader::named_expr(std::string_view key, const Node& whole, const Node& v) {
  for (const SelectorName& s : kSelectors)
    if (s.key == key) {
      ast::Expr* e = selector(s.kind, v);
      if (e && s.kind == K::hash) e->sel->qualifier = s.key;
      if (e) e->span = span(whole);
      return e;
    }
  for (const BinopName& b : kBinops)
    if (b.key == key) {
      if (!v->is_array() || v->size() < 2) {
        error(v, fmt::format("\"{}\" takes an array of two or more operands", key));
        return nullptr;
      }
      ast::Expr* acc = expr(v.item(0));
      for (std::size_t i = 1; acc && i < v->size(); ++i) {
        ast::Expr* r = expr(v.item(i));
        if (r == nullptr) return nullptr;
        ast::Expr* e = new_expr(ast::ExprKind::binop, whole);
        e->binop = b.op;
        e->a = acc;
        e->b = r;
        acc = e;
      }
      return acc;
    }
  if (auto vk = verdict_kind(key)) {
    ast::Expr* e = new_expr(ast::ExprKind::verdict, whole);
    e->verdict = *vk;
    e->text = key == "accept" ? "accept" : key == "drop" ? "drop" : key == "continue" ? "continue"
              : key == "jump" ? "jump" : key == "goto" ? "goto" : "return";
    if (*vk == ast::VerdictKind::jump || *vk == ast::VerdictKind::goto_) {
      if (!v.has("target")) {
        error(v, fmt::format("\"{}\" needs {{\"target\": CHAIN}}", key));
        return nullptr;
      }
      e->a = expr(v.at("target"));
    }
    return e;
  }
  if (key == "concat") {
    if (!v->is_array()) {
      error(v, "\"concat\" takes an array");
      return nullptr;
    }
    ast::Expr* e = new_expr(ast::ExprKind::concat, whole);
    for (std::size_t i = 0; i < v->size(); ++i)
      if (ast::Expr* x = expr(v.item(i))) script_.arena.push(e->items, x);
      else return nullptr;
    return e;
  }
  if (key == "set") {
    if (v->is_string() && v->get<std::string>().rfind('@', 0) == 0) return expr(v);
    return set_elements(v);
  }
  if (key == "map") {
    if (!v.has("key") || !v.has("data")) {
      error(v, "\"map\" needs \"key\" and \"data\"");
      return nullptr;
    }
    ast::Expr* e = new_expr(ast::ExprKind::map, whole);
    e->a = expr(v.at("key"));
    Node d = v.at("data");
    e->b = d->is_array() ? set_elements(d) : expr(d);
    if (e->b && e->b->kind == ast::ExprKind::symbol) {
      error(d, "\"data\" of a map expression is a set or a \"@name\" reference");
      return nullptr;
    }
    return e->a && e->b ? e : nullptr;
  }
  if (key == "prefix") {
    auto len = uint(v, "len", true);
    if (!len || !v.has("addr")) {
      if (len) error(v, "missing \"addr\"");
      return nullptr;
    }
    ast::Expr* e = new_expr(ast::ExprKind::prefix, whole);
    e->a = expr(v.at("addr"));
    e->num = *len;
    return e->a ? e : nullptr;
  }
  if (key == "range") {
    if (!v->is_array() || v->size() != 2) {
      error(v, "\"range\" takes an array of two values");
      return nullptr;
    }
    ast::Expr* e = new_expr(ast::ExprKind::range, whole);
    e->a = expr(v.item(0));
    e->b = expr(v.item(1));
    return e->a && e->b ? e : nullptr;
  }
  if (key == "elem") return elem(whole);
  error(whole, fmt::format("unknown expression '{}'", key));
  return nullptr;
}

ast::Expr* Reader::selector(ast::SelectorKind kind, const Node& v) {
  if (!v->is_object()) {
    error(v, "expected an object");
    return nullptr;
  }
  ast::Expr* e = new_expr(ast::ExprKind::selector, v);
  ast::Selector& s = *e->sel;
  s.kind = kind;
  auto text = [&](const char* k, bool required) -> std::string_view {
    auto x = str(v, k, required);
    return x ? own(*x) : std::string_view{};
  };
  switch (kind) {
    case K::payload:
      if (v.has("base")) {
        s.kind = K::payload_raw;
        s.qualifier = text("base", true);
        s.n1 = uint(v, "offset", true).value_or(0);
        s.n2 = uint(v, "len", true).value_or(0);
        break;
      }
      s.proto = text("protocol", true);
      s.field = text("field", true);
      if (s.proto == "arp") {  // "saddr ether" is the field saddr qualified
        if (auto sp = s.field.find(' '); sp != std::string_view::npos) {
          s.qualifier = s.field.substr(sp + 1);
          s.field = s.field.substr(0, sp);
        }
      }
      if (v.has("tunnel")) s.qualifier = text("tunnel", true);
      break;
    case K::exthdr:
      s.proto = text("name", true);
      if (v.has("field")) s.field = text("field", true);
      else s.kind = K::exthdr_exists;
      s.n1 = uint(v, "offset", false).value_or(0);
      break;
    case K::tcp_option:
      if (v.has("base")) {
        s.raw = true;
        Node b = v.at("base");
        if (b->is_number_integer()) s.n3 = b->get<std::uint64_t>();
        s.proto = own(b->is_string() ? b->get<std::string>() : b->dump());
        s.n1 = uint(v, "offset", true).value_or(0);
        s.n2 = uint(v, "len", true).value_or(0);
        break;
      }
      if (v.has("name") && v.at("name")->is_number_integer()) {
        s.n3 = v.at("name")->get<std::uint64_t>();
        s.proto = own(v.at("name")->dump());
      } else {
        s.proto = text("name", true);
      }
      if (v.has("field")) s.field = text("field", true);
      break;
    case K::ip_option:
    case K::sctp_chunk:
      s.proto = text("name", true);
      if (v.has("field")) s.field = text("field", true);
      break;
    case K::dccp_option:
      s.n1 = uint(v, "type", true).value_or(0);
      break;
    case K::meta:
    case K::tunnel:
      s.field = text("key", true);
      break;
    case K::socket:
      s.field = text("key", true);
      if (v.has("level")) s.n1 = uint(v, "level", true).value_or(0);
      break;
    case K::rt:
      s.field = text("key", true);
      if (v.has("family")) s.qualifier = text("family", true);
      break;
    case K::ct:
      s.field = text("key", true);
      if (v.has("dir")) s.qualifier = text("dir", true);
      if (v.has("family")) s.proto = text("family", true);
      break;
    case K::numgen:
      s.qualifier = text("mode", true);
      s.n1 = uint(v, "mod", true).value_or(0);
      if (v.has("offset")) {
        s.n3 = uint(v, "offset", true).value_or(0);
        s.has_n3 = true;
      }
      break;
    case K::hash:
      s.n1 = uint(v, "mod", true).value_or(0);
      if (v.has("seed")) {
        s.n2 = uint(v, "seed", true).value_or(0);
        s.has_n4 = true;
      }
      if (v.has("offset")) {
        s.n3 = uint(v, "offset", true).value_or(0);
        s.has_n3 = true;
      }
      if (v.has("expr")) {
        e->a = expr(v.at("expr"));
        if (e->a == nullptr) return nullptr;
      }
      break;
    case K::fib: {
      s.field = text("result", true);
      if (v.has("flags")) {
        Node f = v.at("flags");
        if (f->is_string()) script_.arena.push(s.flags, own(f->get<std::string>()));
        else if (f->is_array())
          for (std::size_t i = 0; i < f->size(); ++i) script_.arena.push(s.flags, ident(f.item(i)).text);
      }
      break;
    }
    case K::osf:
      s.field = text("key", true);
      if (v.has("ttl")) s.qualifier = text("ttl", true);
      break;
    case K::xfrm:
      s.field = text("key", true);
      if (v.has("dir")) s.qualifier = text("dir", true);
      if (v.has("family")) s.proto = text("family", true);
      if (v.has("spnum")) {
        s.n1 = uint(v, "spnum", true).value_or(0);
        s.has_n3 = true;
      }
      break;
    default: break;
  }
  return failed_ ? nullptr : e;
}

// {"elem": {"val": KEY, "timeout": S, "expires": S, "comment": C, STMT...}}
ast::Expr* Reader::elem(const Node& whole) {
  Node v = whole.only_value();
  if (!v.has("val")) {
    error(v, "missing \"val\"");
    return nullptr;
  }
  ast::Expr* e = new_expr(ast::ExprKind::set_elem, whole);
  e->a = expr(v.at("val"));
  if (e->a == nullptr) return nullptr;
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string& k = it.key();
    Node x = v.at(k.c_str());
    if (k == "val") continue;
    if (k == "timeout") script_.arena.elem_options(e).timeout = time_value(x);
    else if (k == "expires") script_.arena.elem_options(e).expires = time_value(x);
    else if (k == "comment") script_.arena.elem_options(e).comment = ident(x);
    else if (ast::Stmt* s = stmt_of(k, x, x)) script_.arena.push(script_.arena.elem_options(e).stmts, s);  // counter, quota, …
  }
  return e;
}

ast::Expr* Reader::set_elements(const Node& n) {
  ast::Expr* set = new_expr(ast::ExprKind::set, n);
  auto add = [&](const Node& item) -> bool {
    if (item->is_array() && item->size() == 2) {
      // [KEY, DATA]: a mapping.
      ast::Expr* k = expr(item.item(0));
      ast::Expr* d = k ? expr(item.item(1)) : nullptr;
      if (d == nullptr) return false;
      if (k->kind != ast::ExprKind::set_elem) {
        ast::Expr* se = new_expr(ast::ExprKind::set_elem, item.item(0));
        se->a = k;
        k = se;
      }
      ast::Expr* m = new_expr(ast::ExprKind::mapping, item);
      m->a = k;
      m->b = d;
      script_.arena.push(set->items, m);
      return true;
    }
    ast::Expr* x = expr(item);
    if (x == nullptr) return false;
    if (x->kind != ast::ExprKind::set_elem && x->kind != ast::ExprKind::set) {
      ast::Expr* se = new_expr(ast::ExprKind::set_elem, item);
      se->a = x;
      x = se;
    }
    script_.arena.push(set->items, x);
    return true;
  };
  if (n->is_array()) {
    for (std::size_t i = 0; i < n->size(); ++i)
      if (!add(n.item(i))) return nullptr;
  } else if (!add(n)) {
    return nullptr;
  }
  return set;
}

// ---------------------------------------------------------------------------
// Statements

ast::Stmt* Reader::new_stmt(const Node& n) {
  ast::Stmt* s = script_.arena.make<ast::Stmt>();
  s->span = span(n);
  return s;
}

std::optional<ast::RateSpec> Reader::rate(const Node& v, std::string_view& mode) {
  ast::RateSpec r;
  r.span = span(v);
  auto rate = uint(v, "rate", true);
  if (!rate) return std::nullopt;
  r.rate = *rate;
  std::string unit = str(v, "rate_unit", false).value_or("packets");
  if (unit != "packets") r.rate_unit = own(unit);
  r.time_unit = own(str(v, "per", false).value_or("second"));
  if (auto b = uint(v, "burst", false); b && *b > 0) {
    r.burst = *b;
    r.burst_unit = own(str(v, "burst_unit", false).value_or(unit == "packets" ? "packets" : "bytes"));
  }
  if (v.has("inv") && v.at("inv")->is_boolean() && v.at("inv")->get<bool>()) mode = "over";
  return r;
}

std::optional<ast::QuotaSpec> Reader::quota(const Node& v) {
  ast::QuotaSpec q;
  auto val = uint(v, "val", true);
  if (!val) return std::nullopt;
  q.value = *val;
  q.unit = own(str(v, "val_unit", false).value_or("bytes"));
  if (auto u = uint(v, "used", false); u && *u > 0) {
    q.used = *u;
    q.used_unit = own(str(v, "used_unit", false).value_or("bytes"));
  }
  if (v.has("inv") && v.at("inv")->is_boolean() && v.at("inv")->get<bool>()) q.mode = "over";
  return q;
}

ast::Stmt* Reader::nat(std::string_view key, const Node& whole, const Node& v) {
  ast::NatStmt n{};
  n.kind = key == "snat" ? ast::NatKind::snat
           : key == "dnat" ? ast::NatKind::dnat
           : key == "masquerade" ? ast::NatKind::masquerade
                                 : ast::NatKind::redirect;
  if (!v->is_null()) {
    if (!v->is_object()) {
      error(v, "expected an object or null");
      return nullptr;
    }
    if (v.has("family")) n.family = own(str(v, "family", true).value_or(""));
    if (v.has("addr")) {
      n.addr = expr(v.at("addr"));
      if (n.addr == nullptr) return nullptr;
      n.addr->role = ast::ExprRole::nat_address;
      n.to_keyword = true;
    }
    if (v.has("port")) {
      n.port = expr(v.at("port"));
      if (n.port == nullptr) return nullptr;
      n.port->role = ast::ExprRole::nat_port;
      n.to_keyword = true;
    }
    std::vector<ast::Ident> nat_flags;
    if (v.has("flags")) nat_flags = flags(v.at("flags"));
    if (v.has("type_flags"))
      for (const ast::Ident& f : flags(v.at("type_flags"))) {
        if (f.text == "interval") n.interval = true;
        else if (f.text == "prefix") n.prefix = true;
        else if (f.text == "concat") n.addr_port_map = true;
      }
    if (n.prefix) {
      // `prefix to`: the netmap flag and the interval are implied, as in nft syntax.
      n.interval = false;
      std::erase_if(nat_flags, [](const ast::Ident& f) { return f.text == "netmap"; });
    }
    n.flags = script_.arena.list(nat_flags);
  }
  ast::Stmt* s = new_stmt(whole);
  s->data = script_.arena.box(std::move(n));
  return s;
}

ast::Stmt* Reader::stmt(const Node& n) {
  std::string_view key = n.only_key();
  if (key.empty()) {
    error(n, "a statement is an object with one key (match, counter, accept, …)");
    return nullptr;
  }
  return stmt_of(key, n, n.only_value());
}

ast::Stmt* Reader::stmt_of(std::string_view key, const Node& n, const Node& v) {
  // A named object: its name, or a map expression choosing one.
  const bool named = v->is_string() || (v->is_object() && v.only_key() == "map");
  auto objref = [&](ast::ObjKind kind) -> ast::Stmt* {
    ast::Expr* name = expr(v);
    if (name == nullptr) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::ObjrefStmt{kind, name};
    return s;
  };
  auto truthy = [&](const char* k) { return v.has(k) && v.at(k)->is_boolean() && v.at(k)->get<bool>(); };

  if (auto vk = verdict_kind(key)) {
    ast::Expr* e = named_expr(key, n, v);
    if (e == nullptr) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::VerdictStmt{e};
    (void)vk;
    return s;
  }
  if (key == "match") {
    auto op = str(v, "op", true);
    if (!op || !v.has("left") || !v.has("right")) {
      if (op) error(v, "a match needs \"left\" and \"right\"");
      return nullptr;
    }
    static constexpr std::pair<std::string_view, ast::RelOp> ops[] = {
        {"==", ast::RelOp::eq}, {"!=", ast::RelOp::neq}, {"<", ast::RelOp::lt},   {">", ast::RelOp::gt},
        {"<=", ast::RelOp::lte}, {">=", ast::RelOp::gte}, {"in", ast::RelOp::implicit}, {"!", ast::RelOp::negate}};
    std::optional<ast::RelOp> rel;
    for (auto [name, o] : ops)
      if (*op == name) rel = o;
    if (!rel) {
      error(v.at("op"), fmt::format("unknown relational operator '{}'", *op));
      return nullptr;
    }
    ast::Expr* l = expr(v.at("left"));
    ast::Expr* r = l ? expr(v.at("right")) : nullptr;
    if (r == nullptr) return nullptr;
    if (l->kind == ast::ExprKind::selector && l->sel->kind == K::tcp_option && l->sel->raw &&
        r->kind == ast::ExprKind::boolean) {
      // `tcp option N exists` lists as the raw option (base N, offset 0, len 8).
      l->sel->raw = false;
      l->sel->n1 = l->sel->n2 = 0;
    }
    ast::Stmt* s = new_stmt(n);
    s->data = ast::MatchStmt{l, *rel, r, *rel == ast::RelOp::implicit ? Span{} : span(v.at("op"))};
    return s;
  }
  if (key == "counter") {
    if (named) return objref(ast::ObjKind::counter);
    ast::CounterStmt c;
    if (v->is_object()) {
      c.packets = uint(v, "packets", false);
      c.bytes = uint(v, "bytes", false);
    }
    ast::Stmt* s = new_stmt(n);
    s->data = c;
    return s;
  }
  if (key == "mangle") {
    if (!v.has("key") || !v.has("value")) {
      error(v, "\"mangle\" needs \"key\" and \"value\"");
      return nullptr;
    }
    ast::Expr* l = expr(v.at("key"));
    ast::Expr* r = l ? expr(v.at("value")) : nullptr;
    if (r == nullptr) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::AssignStmt{l, r};
    return s;
  }
  if (key == "quota") {
    if (named) return objref(ast::ObjKind::quota);
    auto q = quota(v);
    if (!q) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(ast::QuotaStmt{*q});
    return s;
  }
  if (key == "limit") {
    if (named) return objref(ast::ObjKind::limit);
    ast::LimitStmt l;
    auto r = rate(v, l.mode);
    if (!r) return nullptr;
    l.rate = *r;
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(l);
    return s;
  }
  if (key == "last") {
    ast::LastStmt l;
    if (v->is_object() && v.has("used")) {
      l.has_used = true;
      l.used = symbol(v.at("used"), own(fmt::format("{}ms", uint(v, "used", true).value_or(0))));
    }
    ast::Stmt* s = new_stmt(n);
    s->data = l;
    return s;
  }
  if (key == "flow") {
    auto ft = str(v, "flowtable", true);
    if (!ft) return nullptr;
    ast::Ident name = ident(v.at("flowtable"));
    if (!name.text.empty() && name.text[0] == '@') name.text.remove_prefix(1);
    ast::Stmt* s = new_stmt(n);
    s->data = ast::FlowOffloadStmt{name, false};
    return s;
  }
  if (key == "fwd") {
    ast::FwdStmt f{};
    if (v.has("family")) f.family = own(str(v, "family", true).value_or(""));
    ast::Expr* dev = v.has("dev") ? expr(v.at("dev")) : nullptr;
    if (v.has("addr")) {
      f.to = expr(v.at("addr"));
      f.dev = dev;
    } else {
      f.to = dev;
    }
    if (f.to == nullptr) {
      if (!failed_) error(v, "\"fwd\" needs \"dev\"");
      return nullptr;
    }
    ast::Stmt* s = new_stmt(n);
    s->data = f;
    return s;
  }
  if (key == "notrack") {
    ast::Stmt* s = new_stmt(n);
    s->data = ast::NotrackStmt{};
    return s;
  }
  if (key == "dup") {
    ast::Expr* addr = v.has("addr") ? expr(v.at("addr")) : nullptr;
    ast::Expr* dev = v.has("dev") ? expr(v.at("dev")) : nullptr;
    if (addr == nullptr && dev == nullptr) {
      if (!failed_) error(v, "\"dup\" needs \"addr\" or \"dev\"");
      return nullptr;
    }
    ast::Stmt* s = new_stmt(n);
    s->data = addr ? ast::DupStmt{addr, dev} : ast::DupStmt{dev, nullptr};
    return s;
  }
  if (key == "snat" || key == "dnat" || key == "masquerade" || key == "redirect") return nat(key, n, v);
  if (key == "reject") {
    ast::RejectStmt r;
    if (v->is_object()) {
      if (auto t = str(v, "type", false)) {
        r.with = own(*t == "tcp reset" ? "tcp" : *t);
        r.with_span = span(v.at("type"));
      }
      if (v.has("expr")) r.code = expr(v.at("expr"));
      if (r.with.empty() && r.code) r.with = "icmpx";
    }
    ast::Stmt* s = new_stmt(n);
    s->data = r;
    return s;
  }
  if (key == "set" || key == "map") {
    auto op = str(v, "op", true);
    const char* ref = key == "set" ? "set" : "map";
    if (!op || !v.has("elem") || !v.has(ref)) {
      if (op) error(v, fmt::format("\"{}\" needs \"elem\" and \"{}\"", key, ref));
      return nullptr;
    }
    ast::SetStmt st{};
    st.op = *op == "add" ? ast::SetOp::add : *op == "update" ? ast::SetOp::update : ast::SetOp::del;
    if (*op != "add" && *op != "update" && *op != "delete") {
      error(v.at("op"), fmt::format("unknown set operation '{}'", *op));
      return nullptr;
    }
    st.set = expr(v.at(ref));
    st.key = st.set ? expr(v.at("elem")) : nullptr;
    if (st.key == nullptr) return nullptr;
    if (st.key->kind != ast::ExprKind::set_elem) {
      ast::Expr* se = new_expr(ast::ExprKind::set_elem, v.at("elem"));
      se->a = st.key;
      st.key = se;
    }
    if (key == "map") {
      if (!v.has("data")) {
        error(v, "\"map\" needs \"data\"");
        return nullptr;
      }
      st.data = expr(v.at("data"));
      if (st.data == nullptr) return nullptr;
    }
    if (v.has("stmt") && v.at("stmt")->is_array()) {
      Node l = v.at("stmt");
      for (std::size_t i = 0; i < l->size(); ++i)
        if (ast::Stmt* x = stmt(l.item(i))) script_.arena.push(st.stmts, x);
    }
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(std::move(st));
    return s;
  }
  if (key == "log") {
    ast::LogStmt l;
    if (v->is_object()) {
      if (v.has("prefix")) {
        ast::Expr* p = expr(v.at("prefix"));
        if (p) p->quoted = true;
        l.prefix = p;
      }
      l.group = uint(v, "group", false);
      l.snaplen = uint(v, "snaplen", false);
      l.queue_threshold = uint(v, "queue-threshold", false);
      if (v.has("level")) l.level = own(str(v, "level", true).value_or(""));
      if (v.has("flags")) {
        bool tcp = false;
        for (const ast::Ident& f : flags(v.at("flags"))) {
          ast::Ident a = f, b = f;
          auto sp = f.text.find(' ');
          if (sp == std::string_view::npos) {
            script_.arena.push(l.flags, f);
            continue;
          }
          a.text = f.text.substr(0, sp);
          b.text = f.text.substr(sp + 1);
          if (a.text != "tcp" || !tcp) script_.arena.push(l.flags, a);
          tcp = tcp || a.text == "tcp";
          script_.arena.push(l.flags, b);
        }
      }
    }
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(l);
    return s;
  }
  if (key == "ct helper" || key == "secmark") {
    ast::Expr* sel = new_expr(ast::ExprKind::selector, n);
    sel->sel->kind = key == "ct helper" ? K::ct : K::meta;
    sel->sel->field = key == "ct helper" ? "helper" : "secmark";
    ast::Expr* val = expr(v);
    if (val == nullptr) return nullptr;
    val->quoted = true;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::AssignStmt{sel, val};
    return s;
  }
  if (key == "ct timeout") return objref(ast::ObjKind::ct_timeout);
  if (key == "ct expectation") return objref(ast::ObjKind::ct_expect);
  if (key == "synproxy") {
    if (named) return objref(ast::ObjKind::synproxy);
    ast::SynproxyStmt sp;
    if (v->is_object()) {
      sp.mss = uint(v, "mss", false);
      sp.wscale = uint(v, "wscale", false);
      if (v.has("flags"))
        for (const ast::Ident& f : flags(v.at("flags"))) {
          if (f.text == "timestamp") sp.timestamp = true;
          if (f.text == "sack-perm") sp.sack_perm = true;
        }
    }
    ast::Stmt* s = new_stmt(n);
    s->data = sp;
    return s;
  }
  if (key == "tunnel") return objref(ast::ObjKind::tunnel);
  if (key == "meter") {
    if (!v.has("name") || !v.has("key") || !v.has("stmt")) {
      error(v, "\"meter\" needs \"name\", \"key\" and \"stmt\"");
      return nullptr;
    }
    ast::MeterStmt m{ident(v.at("name")), uint(v, "size", false), expr(v.at("key")), stmt(v.at("stmt"))};
    if (m.key == nullptr || m.stmt == nullptr) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(m);
    return s;
  }
  if (key == "queue") {
    ast::QueueStmt q;
    if (v->is_object()) {
      if (v.has("num")) {
        q.num = expr(v.at("num"));
        if (q.num == nullptr) return nullptr;
        q.to_form = !v.at("num")->is_number_integer() && q.num->kind != ast::ExprKind::range;
      }
      if (v.has("flags")) q.flags = script_.arena.list(flags(v.at("flags")));
    }
    ast::Stmt* s = new_stmt(n);
    s->data = q;
    return s;
  }
  if (key == "vmap") {
    if (!v.has("key") || !v.has("data")) {
      error(v, "\"vmap\" needs \"key\" and \"data\"");
      return nullptr;
    }
    ast::Expr* k = expr(v.at("key"));
    Node d = v.at("data");
    ast::Expr* m = k ? (d->is_array() ? set_elements(d) : expr(d)) : nullptr;
    if (m == nullptr) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::VmapStmt{k, m};
    return s;
  }
  if (key == "ct count") {
    auto val = uint(v, "val", true);
    if (!val) return nullptr;
    ast::Stmt* s = new_stmt(n);
    s->data = ast::ConnlimitStmt{*val, truthy("inv")};
    return s;
  }
  if (key == "tproxy") {
    ast::TproxyStmt t;
    if (v.has("family")) t.family = own(str(v, "family", true).value_or(""));
    if (v.has("addr")) t.addr = expr(v.at("addr"));
    if (v.has("port")) t.port = expr(v.at("port"));
    if (t.addr) t.addr->role = ast::ExprRole::nat_address;
    if (t.port) t.port->role = ast::ExprRole::nat_port;
    ast::Stmt* s = new_stmt(n);
    s->data = t;
    return s;
  }
  if (key == "reset") {
    ast::Expr* opt = expr(v);
    if (opt == nullptr) return nullptr;
    if (opt->kind != ast::ExprKind::selector || opt->sel->kind != K::tcp_option) {
      error(v, "\"reset\" takes a \"tcp option\" expression");
      return nullptr;
    }
    ast::Stmt* s = new_stmt(n);
    s->data = ast::OptstripStmt{opt};
    return s;
  }
  if (key == "xt") {
    ast::Stmt* s = new_stmt(n);
    s->data = script_.arena.box(ast::XtStmt{v.has("type") ? ident(v.at("type")) : ast::Ident{},
                          v.has("name") ? ident(v.at("name")) : ast::Ident{}});
    return s;
  }
  error(n, fmt::format("unknown statement '{}'", key));
  return nullptr;
}

}  // namespace nftc::json_input
