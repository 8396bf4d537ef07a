// The JSON front end: the document, its commands and declarations. Values
// and statements are in json_input_expr.cpp.
#include "compiler/json_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "compiler/json_input_reader.hpp"

namespace nftc {

using json_input::Json;
using json_input::Node;

bool looks_like_json(std::string_view text) {
  std::size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

namespace json_input {

// ---------------------------------------------------------------------------
// Positions

std::string pointer_step(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Positions::Positions(std::string_view text) : text_(text) {
  std::string ptr;
  skip_blanks();
  if (i_ < text_.size()) value(ptr);
}

void Positions::skip_blanks() {
  while (i_ < text_.size() && (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) ++i_;
}

// A string starting at i_ (its quote), decoded enough for object keys.
std::string Positions::key() {
  std::string out;
  ++i_;
  while (i_ < text_.size() && text_[i_] != '"') {
    if (text_[i_] == '\\' && i_ + 1 < text_.size()) {
      char c = text_[++i_];
      if (c == 'u' && i_ + 4 < text_.size()) {
        unsigned v = static_cast<unsigned>(std::stoul(std::string(text_.substr(i_ + 1, 4)), nullptr, 16));
        out += v < 0x80 ? static_cast<char>(v) : '?';
        i_ += 4;
      } else {
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
      }
    } else {
      out += text_[i_];
    }
    ++i_;
  }
  ++i_;  // closing quote
  return out;
}

void Positions::value(std::string& ptr) {
  std::size_t slot = entries_.size();
  entries_.push_back({static_cast<std::uint32_t>(i_), 0, ptr});
  const std::size_t base = ptr.size();
  char c = text_[i_];
  if (c == '{' || c == '[') {
    ++i_;
    for (std::size_t n = 0;; ++n) {
      skip_blanks();
      if (i_ >= text_.size() || text_[i_] == '}' || text_[i_] == ']') break;
      if (text_[i_] == ',') {
        ++i_;
        skip_blanks();
      }
      if (c == '{') {
        ptr += "/" + pointer_step(key());
        skip_blanks();
        ++i_;  // ':'
        skip_blanks();
      } else {
        ptr += "/" + std::to_string(n);
      }
      value(ptr);
      ptr.resize(base);
    }
    ++i_;
  } else if (c == '"') {
    key();
  } else {
    while (i_ < text_.size() && std::string_view(",}] \t\r\n").find(text_[i_]) == std::string_view::npos) ++i_;
  }
  entries_[slot].end = static_cast<std::uint32_t>(i_);
  by_pointer_.emplace(entries_[slot].pointer, slot);
}

std::optional<Positions::Entry> Positions::find(const std::string& pointer) const {
  auto it = by_pointer_.find(pointer);
  if (it == by_pointer_.end()) return std::nullopt;
  return entries_[it->second];
}

const Positions::Entry* Positions::innermost(std::uint32_t offset) const {
  const Entry* best = nullptr;
  for (const Entry& e : entries_)
    if (e.begin <= offset && offset < e.end && (!best || e.end - e.begin <= best->end - best->begin)) best = &e;
  return best;
}

// ---------------------------------------------------------------------------
// Nodes and shared helpers

std::string_view Node::only_key() const {
  if (!j->is_object() || j->size() != 1) return {};
  return j->begin().key();
}

Node Node::only_value() const { return {&j->begin().value(), ptr + "/" + pointer_step(j->begin().key())}; }

Span Reader::span(const Node& n) const {
  auto e = pos_.find(n.ptr);
  if (!e) return Span{file_, 0, 0};
  return Span{file_, e->begin, e->end};
}

void Reader::error(const Node& n, std::string message) {
  sink_.error("JSN002", span(n), fmt::format("{}: {}", n.ptr.empty() ? "/" : n.ptr, message))
      .with_help("see libnftables-json(5) for the schema nft reads");
  failed_ = true;
}

ast::Expr* Reader::new_expr(ast::ExprKind k, const Node& n) {
  return script_.arena.expr(k, span(n));
}

ast::Ident Reader::ident(const Node& n) {
  ast::Ident id;
  id.span = span(n);
  if (n->is_string()) id.text = own(n->get<std::string>());
  else if (n->is_number()) id.text = own(n->dump());
  else error(n, "expected a string");
  return id;
}

std::optional<std::string> Reader::str(const Node& n, const char* key, bool required) {
  if (!n.has(key)) {
    if (required) error(n, fmt::format("missing \"{}\"", key));
    return std::nullopt;
  }
  Node v = n.at(key);
  if (!v->is_string()) {
    error(v, fmt::format("\"{}\" must be a string", key));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::uint64_t> Reader::uint(const Node& n, const char* key, bool required) {
  if (!n.has(key)) {
    if (required) error(n, fmt::format("missing \"{}\"", key));
    return std::nullopt;
  }
  Node v = n.at(key);
  if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
    error(v, fmt::format("\"{}\" must be a non-negative integer", key));
    return std::nullopt;
  }
  return v->get<std::uint64_t>();
}

std::optional<std::int64_t> Reader::sint(const Node& n, const char* key, bool required) {
  if (!n.has(key)) {
    if (required) error(n, fmt::format("missing \"{}\"", key));
    return std::nullopt;
  }
  Node v = n.at(key);
  if (!v->is_number_integer()) {
    error(v, fmt::format("\"{}\" must be an integer", key));
    return std::nullopt;
  }
  return v->get<std::int64_t>();
}

ast::Expr* Reader::symbol(const Node& n, std::string_view text) {
  ast::Expr* e = new_expr(ast::ExprKind::symbol, n);
  e->text = text;
  return e;
}

ast::Expr* Reader::time_value(const Node& n) {
  if (n->is_string()) return symbol(n, own(n->get<std::string>()));
  if (!n->is_number_integer()) {
    error(n, "expected a time in seconds");
    return nullptr;
  }
  return symbol(n, own(fmt::format("{}s", n->get<std::int64_t>())));
}

// ---------------------------------------------------------------------------
// Commands

namespace {

struct OpName {
  std::string_view name;
  ast::CmdOp op;
};
constexpr OpName kOps[] = {
    {"add", ast::CmdOp::add},         {"create", ast::CmdOp::create}, {"insert", ast::CmdOp::insert},
    {"replace", ast::CmdOp::replace}, {"delete", ast::CmdOp::del},    {"destroy", ast::CmdOp::destroy},
    {"flush", ast::CmdOp::flush},     {"reset", ast::CmdOp::reset},   {"rename", ast::CmdOp::rename},
    {"list", ast::CmdOp::list},       {"get", ast::CmdOp::get},
};

struct ObjName {
  std::string_view name;
  ast::CmdObj obj;
  std::optional<ast::ObjKind> kind;
};
constexpr ObjName kObjs[] = {
    {"table", ast::CmdObj::table, {}},
    {"chain", ast::CmdObj::chain, {}},
    {"rule", ast::CmdObj::rule, {}},
    {"set", ast::CmdObj::set, {}},
    {"map", ast::CmdObj::map, {}},
    {"element", ast::CmdObj::element, {}},
    {"flowtable", ast::CmdObj::flowtable, {}},
    {"ruleset", ast::CmdObj::ruleset, {}},
    {"counter", ast::CmdObj::object, ast::ObjKind::counter},
    {"quota", ast::CmdObj::object, ast::ObjKind::quota},
    {"limit", ast::CmdObj::object, ast::ObjKind::limit},
    {"ct helper", ast::CmdObj::object, ast::ObjKind::ct_helper},
    {"ct timeout", ast::CmdObj::object, ast::ObjKind::ct_timeout},
    {"ct expectation", ast::CmdObj::object, ast::ObjKind::ct_expect},
    {"secmark", ast::CmdObj::object, ast::ObjKind::secmark},
    {"synproxy", ast::CmdObj::object, ast::ObjKind::synproxy},
    {"tunnel", ast::CmdObj::object, ast::ObjKind::tunnel},
};

const ObjName* find_obj(std::string_view k) {
  for (const ObjName& o : kObjs)
    if (o.name == k) return &o;
  return nullptr;
}

}  // namespace

bool Reader::read(const Json& root) {
  Node doc{&root, ""};
  if (!root.is_object() || !root.contains("nftables")) {
    error(doc, "a libnftables JSON document is an object with an \"nftables\" array");
    return false;
  }
  Node list = doc.at("nftables");
  if (!list->is_array()) {
    error(list, "\"nftables\" must be an array");
    return false;
  }
  for (std::size_t i = 0; i < list->size(); ++i) command(list.item(i));
  return !failed_;
}

void Reader::command(const Node& item) {
  std::string_view key = item.only_key();
  if (key.empty()) {
    error(item, "each command is an object with one key (add, delete, table, rule, …)");
    return;
  }
  if (key == "metainfo") {
    Node m = item.only_value();
    if (m.has("json_schema_version")) {
      auto v = uint(m, "json_schema_version", false);
      if (v && *v > 1) error(m.at("json_schema_version"), fmt::format("JSON schema version {} is not supported (only 1)", *v));
    }
    return;
  }
  for (const OpName& op : kOps)
    if (op.name == key) {
      Node w = item.only_value();
      if (w.only_key().empty()) {
        error(w, fmt::format("\"{}\" takes an object with one key (table, chain, rule, …)", key));
        return;
      }
      object_command(op.op, false, w);
      return;
    }
  if (find_obj(key)) {
    object_command(ast::CmdOp::add, true, item);
    return;
  }
  error(item, fmt::format("unknown command '{}'", key));
}

bool Reader::handle(ast::Handle& h, const Node& n, bool named, const char* name_key) {
  if (!n->is_object()) {
    error(n, "expected an object");
    return false;
  }
  if (auto f = str(n, "family", false)) {
    auto fam = ast::family_from_name(*f);
    if (!fam) {
      error(n.at("family"), fmt::format("unknown family '{}'", *f));
      return false;
    }
    h.family = *fam;
    h.family_explicit = true;
    h.family_span = span(n.at("family"));
  }
  if (n.has("handle")) {
    h.handle = uint(n, "handle", false);
    h.handle_span = span(n.at("handle"));
  }
  if (n.has("index")) h.index = uint(n, "index", false);
  if (named && n.has(name_key)) h.name = ident(n.at(name_key));
  return true;
}

void Reader::object_command(ast::CmdOp op, bool implicit, const Node& wrapper) {
  std::string_view key = wrapper.only_key();
  const ObjName* on = find_obj(key);
  Node n = wrapper.only_value();
  if (on == nullptr) {
    error(wrapper, fmt::format("unknown object '{}'", key));
    return;
  }
  ast::Command c;
  c.op = op;
  c.obj = on->obj;
  c.obj_kind = on->kind;
  c.implicit_add = implicit;
  c.span = span(wrapper);
  if (on->obj == ast::CmdObj::ruleset) {
    script_.commands.push_back(std::move(c));
    return;
  }
  bool full = op == ast::CmdOp::add || op == ast::CmdOp::create || op == ast::CmdOp::insert ||
              op == ast::CmdOp::replace;
  if (!handle(c.h, n, on->obj != ast::CmdObj::table)) return;
  const bool needs_table = on->obj != ast::CmdObj::table;
  if (on->obj == ast::CmdObj::table) {
    if (n.has("name")) c.h.table = ident(n.at("name"));
  } else if (n.has("table")) {
    c.h.table = ident(n.at("table"));
  }
  if (!c.h.table.span.valid() && (needs_table || !c.h.handle)) {
    error(n, fmt::format("missing \"{}\"", needs_table ? "table" : "name"));
    return;
  }
  if (!c.h.family_explicit && (full || op == ast::CmdOp::rename)) c.h.family = ast::Family::ip;
  if (implicit) {
    // The listing form (nft -j list ruleset): handles are the old kernel's.
    c.h.handle.reset();
  } else if (on->obj == ast::CmdObj::rule && c.h.handle &&
             (op == ast::CmdOp::add || op == ast::CmdOp::insert || op == ast::CmdOp::create)) {
    // For add and insert, a rule's "handle" is where it goes (nft: position).
    c.h.position = c.h.handle;
    c.h.position_span = c.h.handle_span;
    c.h.handle.reset();
  }
  if (on->obj == ast::CmdObj::rule) {
    // A rule's chain is its handle name.
    c.h.name = n.has("chain") ? ident(n.at("chain")) : ast::Ident{};
    if (!n.has("chain")) {
      error(n, "missing \"chain\"");
      return;
    }
  } else if (on->obj != ast::CmdObj::table && !n.has("name") && !c.h.handle && op != ast::CmdOp::flush &&
             op != ast::CmdOp::list) {
    error(n, "missing \"name\"");
    return;
  }
  if (op == ast::CmdOp::rename) {
    if (auto nn = str(n, "newname", true)) c.new_name = ident(n.at("newname"));
    else return;
  }
  switch (on->obj) {
    case ast::CmdObj::table:
      if (full) c.table = table_decl(n);
      break;
    case ast::CmdObj::chain:
      if (full) c.chain = chain_decl(n);
      break;
    case ast::CmdObj::rule:
      if (full) {
        c.rule = rule_decl(n);
        if (c.rule == nullptr) return;
      }
      break;
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      if (full) c.set = set_decl(n, on->obj == ast::CmdObj::map);
      break;
    case ast::CmdObj::element:
      if (!n.has("elem")) {
        if (op != ast::CmdOp::flush && op != ast::CmdOp::list) error(n, "missing \"elem\"");
        break;
      }
      c.elements = set_elements(n.at("elem"));
      break;
    case ast::CmdObj::flowtable:
      if (full) c.flowtable = flowtable_decl(n);
      break;
    case ast::CmdObj::object:
      if (full) c.object = obj_decl(n, *on->kind);
      break;
    default: break;
  }
  script_.commands.push_back(std::move(c));
}

// ---------------------------------------------------------------------------
// Declarations

std::vector<ast::Ident> Reader::flags(const Node& n) {
  std::vector<ast::Ident> out;
  if (n->is_string()) out.push_back(ident(n));
  else if (n->is_array())
    for (std::size_t i = 0; i < n->size(); ++i) out.push_back(ident(n.item(i)));
  else error(n, "flags are a string or an array of strings");
  return out;
}

ast::TableDecl* Reader::table_decl(const Node& n) {
  ast::TableDecl* t = script_.arena.make<ast::TableDecl>();
  if (n.has("name")) t->name = ident(n.at("name"));
  if (n.has("flags")) t->flags = flags(n.at("flags"));
  if (n.has("comment")) t->comment = ident(n.at("comment"));
  t->span = span(n);
  return t;
}

std::vector<ast::Expr*> Reader::devices(const Node& n) {
  std::vector<ast::Expr*> out;
  if (n->is_string()) out.push_back(symbol(n, own(n->get<std::string>())));
  else if (n->is_array())
    for (std::size_t i = 0; i < n->size(); ++i) {
      Node d = n.item(i);
      if (d->is_string()) out.push_back(symbol(d, own(d->get<std::string>())));
      else error(d, "a device name must be a string");
    }
  else error(n, "\"dev\" is a device name or an array of them");
  for (ast::Expr* e : out) e->quoted = true;
  return out;
}

std::optional<ast::PrioritySpec> Reader::priority(const Node& n) {
  ast::PrioritySpec p;
  p.span = span(n);
  if (n->is_number_integer()) {
    p.number = n->get<std::int64_t>();
  } else if (n->is_string()) {
    // A name with an optional offset, as nft -j lists some: "filter + 5".
    std::string s = n->get<std::string>();
    std::size_t op = s.find_first_of("+-");
    std::string name = s.substr(0, op);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    p.name.text = own(name);
    p.name.span = p.span;
    if (op != std::string::npos) {
      std::int64_t off = std::strtoll(s.c_str() + op + 1, nullptr, 10);
      p.offset = s[op] == '-' ? -off : off;
    }
  } else {
    error(n, "\"prio\" must be an integer or a priority name");
    return std::nullopt;
  }
  return p;
}

ast::ChainDecl* Reader::chain_decl(const Node& n) {
  ast::ChainDecl* c = script_.arena.make<ast::ChainDecl>();
  if (n.has("name")) c->name = ident(n.at("name"));
  c->span = span(n);
  if (n.has("hook") || n.has("type")) {
    ast::HookSpec h;
    if (!n.has("type") || !n.has("hook") || !n.has("prio")) {
      error(n, "a base chain needs \"type\", \"hook\" and \"prio\"");
      return c;
    }
    h.type = ident(n.at("type"));
    h.hook = ident(n.at("hook"));
    h.span = span(n);
    if (n.has("dev")) {
      h.devices = devices(n.at("dev"));
      h.devices_list_form = n.at("dev")->is_array();
    }
    c->hook = std::move(h);
    c->priority = priority(n.at("prio"));
  }
  if (n.has("policy")) c->policy = symbol(n.at("policy"), ident(n.at("policy")).text);
  if (n.has("comment")) c->comment = ident(n.at("comment"));
  return c;
}

ast::RuleDecl* Reader::rule_decl(const Node& n) {
  ast::RuleDecl* r = script_.arena.make<ast::RuleDecl>();
  r->span = span(n);
  if (!n.has("expr")) {
    error(n, "missing \"expr\"");
    return nullptr;
  }
  Node list = n.at("expr");
  if (!list->is_array()) {
    error(list, "\"expr\" must be an array of statements");
    return nullptr;
  }
  for (std::size_t i = 0; i < list->size(); ++i)
    if (ast::Stmt* s = stmt(list.item(i))) script_.arena.push(r->stmts, s);
  if (n.has("comment")) r->comment = ident(n.at("comment"));
  return r;
}

// A set's "type" / a map's "map": a type name, an array of them (a
// concatenation), or {"typeof": EXPR}.
void Reader::set_type(const Node& n, ast::SetDecl& s, bool data) {
  auto& names = data ? s.data_type : s.key_type;
  auto& exprs = data ? s.data_typeof : s.key_typeof;
  (data ? s.data_span : s.key_span) = span(n);
  if (n->is_string()) {
    std::string t = n->get<std::string>();
    if (data) {
      static constexpr std::pair<std::string_view, ast::ObjKind> objs[] = {
          {"counter", ast::ObjKind::counter},       {"quota", ast::ObjKind::quota},
          {"limit", ast::ObjKind::limit},           {"secmark", ast::ObjKind::secmark},
          {"synproxy", ast::ObjKind::synproxy},     {"ct helper", ast::ObjKind::ct_helper},
          {"ct timeout", ast::ObjKind::ct_timeout}, {"ct expectation", ast::ObjKind::ct_expect},
          {"tunnel", ast::ObjKind::tunnel}};
      for (auto [name, kind] : objs)
        if (t == name) {
          s.data_object = kind;
          return;
        }
    }
    if (data && !s.key_typeof.empty() && (t == "verdict" || t == "queue")) {
      s.data_keyword = own(t);  // typeof … : verdict
      return;
    }
    names.push_back(ident(n));
  } else if (n->is_array()) {
    for (std::size_t i = 0; i < n->size(); ++i) names.push_back(ident(n.item(i)));
  } else if (n.only_key() == "typeof") {
    Node e = n.only_value();
    ast::Expr* x = expr(e);
    if (x == nullptr) return;
    if (x->kind == ast::ExprKind::concat) exprs.assign(x->items.begin(), x->items.end());
    else exprs.push_back(x);
    if (data && x->kind == ast::ExprKind::symbol) {
      exprs.clear();
      s.data_keyword = x->text;  // typeof … : verdict
    }
  } else {
    error(n, "a set type is a type name, an array of type names or {\"typeof\": EXPR}");
  }
}

ast::SetDecl* Reader::set_decl(const Node& n, bool is_map) {
  ast::SetDecl* s = script_.arena.make<ast::SetDecl>();
  s->is_map = is_map || n.has("map");
  s->span = span(n);
  if (n.has("name")) s->name = ident(n.at("name"));
  if (n.has("type")) set_type(n.at("type"), *s, false);
  if (n.has("map")) set_type(n.at("map"), *s, true);
  if (n.has("flags")) s->flags = flags(n.at("flags"));
  if (n.has("policy")) s->policy = ident(n.at("policy"));
  if (n.has("timeout")) s->timeout = time_value(n.at("timeout"));
  if (n.has("gc-interval")) s->gc_interval = time_value(n.at("gc-interval"));
  if (n.has("size")) s->size = uint(n, "size", false);
  if (n.has("auto-merge")) s->auto_merge = n.at("auto-merge")->is_boolean() && n.at("auto-merge")->get<bool>();
  if (n.has("comment")) s->comment = ident(n.at("comment"));
  if (n.has("stmt")) {
    Node l = n.at("stmt");
    if (l->is_array())
      for (std::size_t i = 0; i < l->size(); ++i)
        if (ast::Stmt* st = stmt(l.item(i))) s->stmts.push_back(st);
  }
  if (n.has("elem")) s->elements = set_elements(n.at("elem"));
  // `: interval TYPE` has no JSON form: a map whose data are ranges is one.
  std::function<bool(const ast::Expr*)> ranged = [&](const ast::Expr* e) {
    if (e == nullptr) return false;
    if (e->kind == ast::ExprKind::range || e->kind == ast::ExprKind::prefix) return true;
    return e->kind == ast::ExprKind::concat && std::any_of(e->items.begin(), e->items.end(), ranged);
  };
  if (s->is_map && s->elements && !s->data_type.empty())
    for (const ast::Expr* item : s->elements->items)
      if (item->kind == ast::ExprKind::mapping && ranged(item->b)) s->data_interval = true;
  return s;
}

ast::FlowtableDecl* Reader::flowtable_decl(const Node& n) {
  ast::FlowtableDecl* f = script_.arena.make<ast::FlowtableDecl>();
  f->span = span(n);
  if (n.has("name")) f->name = ident(n.at("name"));
  if (n.has("hook")) f->hook = ident(n.at("hook"));
  if (n.has("prio")) f->priority = priority(n.at("prio"));
  if (n.has("dev")) {
    f->devices = devices(n.at("dev"));
    f->devices_given = true;
  }
  if (n.has("flags"))
    for (const ast::Ident& fl : flags(n.at("flags"))) {
      if (fl.text == "offload") {
        f->offload_flag = true;
        f->offload_span = fl.span;
      } else if (fl.text == "counter") {
        f->counter = true;
      }
    }
  if (n.has("counter")) f->counter = true;
  if (n.has("comment")) f->comment = ident(n.at("comment"));
  return f;
}

ast::ObjDecl* Reader::obj_decl(const Node& n, ast::ObjKind kind) {
  ast::ObjDecl* o = script_.arena.make<ast::ObjDecl>();
  o->kind = kind;
  o->span = span(n);
  if (n.has("name")) o->name = ident(n.at("name"));
  if (n.has("comment")) o->comment = ident(n.at("comment"));
  auto l3 = [&] {
    if (auto f = str(n, "l3proto", false)) o->l3proto = ast::family_from_name(*f);
  };
  switch (kind) {
    case ast::ObjKind::counter:
      o->packets = uint(n, "packets", false).value_or(0);
      o->bytes = uint(n, "bytes", false).value_or(0);
      break;
    case ast::ObjKind::quota: {
      ast::QuotaSpec q;
      q.value = uint(n, "bytes", false).value_or(0);
      q.unit = "bytes";
      if (auto u = uint(n, "used", false)) {
        q.used = *u;
        q.used_unit = "bytes";
      }
      if (n.has("inv") && n.at("inv")->is_boolean() && n.at("inv")->get<bool>()) q.mode = "over";
      o->quota = q;
      break;
    }
    case ast::ObjKind::limit: {
      std::string_view mode;
      o->limit = rate(n, mode);
      o->limit_mode = mode;
      break;
    }
    case ast::ObjKind::ct_helper:
      if (n.has("type")) o->helper_type = ident(n.at("type"));
      if (n.has("protocol")) o->l4proto = ident(n.at("protocol"));
      l3();
      break;
    case ast::ObjKind::ct_timeout:
      if (n.has("protocol")) o->l4proto = ident(n.at("protocol"));
      l3();
      if (n.has("policy") && n.at("policy")->is_object()) {
        Node p = n.at("policy");
        for (auto it = p->begin(); it != p->end(); ++it) {
          Node v = p.at(it.key().c_str());
          ast::Ident state;
          state.text = own(it.key());
          state.span = span(v);
          o->timeout_policy.emplace_back(state, time_value(v));
        }
      }
      break;
    case ast::ObjKind::ct_expect:
      if (n.has("protocol")) o->l4proto = ident(n.at("protocol"));
      l3();
      o->expect_dport = uint(n, "dport", false);
      o->expect_size = uint(n, "size", false);
      if (n.has("timeout")) {
        Node t = n.at("timeout");
        // Milliseconds, as nft -j lists them.
        o->expect_timeout = t->is_number_integer() ? symbol(t, own(fmt::format("{}ms", t->get<std::int64_t>())))
                                                   : time_value(t);
      }
      break;
    case ast::ObjKind::secmark:
      if (n.has("context")) o->secmark_context = ident(n.at("context"));
      break;
    case ast::ObjKind::synproxy:
      o->mss = uint(n, "mss", false);
      o->wscale = uint(n, "wscale", false);
      if (n.has("flags"))
        for (const ast::Ident& f : flags(n.at("flags"))) {
          if (f.text == "timestamp") o->timestamp = true;
          if (f.text == "sack-perm") o->sack_perm = true;
        }
      break;
    case ast::ObjKind::tunnel: {
      // As the nft parser keeps them: scalars, "ip saddr"-style addresses,
      // then a type marker (no value) followed by the type's own options.
      auto option = [&](std::string_view key, const Node& v) {
        ast::Ident k;
        k.text = key;
        k.span = span(v);
        ast::Expr* val = nullptr;
        if (v->is_number_integer()) {
          val = new_expr(ast::ExprKind::number, v);
          val->num = v->get<std::uint64_t>();
          val->text = own(v->dump());
        } else {
          val = expr(v);
        }
        o->tunnel_options.emplace_back(k, val);
      };
      static constexpr std::pair<std::string_view, std::string_view> addrs[] = {
          {"src-ipv4", "ip saddr"}, {"dst-ipv4", "ip daddr"}, {"src-ipv6", "ip6 saddr"}, {"dst-ipv6", "ip6 daddr"}};
      for (const char* k : {"id", "src-ipv4", "dst-ipv4", "src-ipv6", "dst-ipv6", "sport", "dport", "tos", "ttl"}) {
        if (!n.has(k)) continue;
        std::string_view key = k;
        for (auto [from, to] : addrs)
          if (key == from) key = to;
        option(key, n.at(k));
      }
      if (auto type = str(n, "type", false)) {
        ast::Ident marker;
        marker.text = own(*type);
        marker.span = span(n.at("type"));
        o->tunnel_options.emplace_back(marker, nullptr);
        if (n.has("tunnel")) {
          Node sub = n.at("tunnel");
          auto members = [&](const Node& m) {
            if (!m->is_object()) return error(m, "expected an object");
            for (auto it = m->begin(); it != m->end(); ++it) {
              std::string_view key = own(it.key());
              if (key == "dir") key = "direction";
              if (key == "hwid") key = "id";
              option(key, m.at(it.key().c_str()));
            }
          };
          if (sub->is_array())
            for (std::size_t i = 0; i < sub->size(); ++i) members(sub.item(i));
          else members(sub);
        }
      }
      break;
    }
  }
  return o;
}

}  // namespace json_input

// ---------------------------------------------------------------------------
// Entry points

bool parse_json_file(SourceManager& sm, DiagnosticSink& sink, FileId file, ast::Script& script) {
  const std::string& text = sm.file(file).text;
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    std::uint32_t at = e.byte > 0 ? static_cast<std::uint32_t>(std::min<std::size_t>(e.byte - 1, text.size())) : 0;
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error …"
    if (auto p = what.find(": "); p != std::string::npos) what = what.substr(p + 2);
    sink.error("JSN001", Span{file, at, std::min<std::uint32_t>(at + 1, static_cast<std::uint32_t>(text.size()))},
               fmt::format("invalid JSON: {}", what));
    return false;
  }
  json_input::Positions pos(text);
  json_input::Reader reader(sm, sink, file, script, pos);
  return reader.read(root);
}

void add_json_pointers(const SourceManager& sm, DiagnosticSink& sink) {
  std::unordered_map<FileId, std::unique_ptr<json_input::Positions>> index;
  for (Diagnostic& d : sink.all()) {
    if (!d.primary.valid() || d.code.rfind("JSN", 0) == 0 || d.code.rfind("SYN", 0) == 0) continue;
    const SourceFile& f = sm.file(d.primary.file);
    if (!looks_like_json(f.text)) continue;
    auto& p = index[d.primary.file];
    if (!p) {
      if (!nlohmann::json::accept(f.text)) continue;
      p = std::make_unique<json_input::Positions>(f.text);
    }
    if (const auto* e = p->innermost(d.primary.begin))
      if (d.message.find(" (at ") == std::string::npos)
        d.message += fmt::format(" (at {})", e->pointer.empty() ? "/" : e->pointer);
  }
}

}  // namespace nftc
