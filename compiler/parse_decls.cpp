// Parse actions for defines, includes, declarations and commands.
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <fmt/format.h>

#include "compiler/input.hpp"
#include "compiler/parse_actions.hpp"
#include "compiler/spell.hpp"

namespace nftc::parse {

const ast::Define* ParserState::lookup(std::string_view name) const {
  for (auto s = scopes.rbegin(); s != scopes.rend(); ++s)
    for (auto v = s->vars.rbegin(); v != s->vars.rend(); ++v)
      if ((*v)->name.text == name) return *v;
  return nullptr;
}

std::vector<std::string_view> ParserState::visible_variable_names() const {
  std::vector<std::string_view> names;
  for (const Scope& s : scopes)
    for (const ast::Define* d : s.vars) names.push_back(d->name.text);
  return names;
}

void ParserState::switch_to(FileId id, grammar::TokenStream& tokens) {
  file = id;
  const std::string& source = sm.file(id).text;
  grammar::lex_file(source, tokens);
  set_stream(source, tokens);
}

namespace {

std::vector<ast::Expr*> take_marked_exprs(ParserState& st) {
  st.pop_mark();  // statements mark
  std::size_t mark = st.pop_mark();
  std::vector<ast::Expr*> out(st.exprs.begin() + static_cast<std::ptrdiff_t>(mark), st.exprs.end());
  st.exprs.resize(mark);
  return out;
}

std::vector<ast::Stmt*> take_marked_stmts(ParserState& st) {
  std::size_t smark = st.pop_mark();
  std::size_t emark = st.pop_mark();
  st.exprs.resize(emark);
  std::vector<ast::Stmt*> out(st.stmts.begin() + static_cast<std::ptrdiff_t>(smark), st.stmts.end());
  st.stmts.resize(smark);
  return out;
}

// The name of a declaration: pushed by obj_name inside a table block, or
// the command's name for `add chain ip t c { … }`.
ast::Ident decl_name(ParserState& st) {
  if (!st.tables.empty() && !st.idents.empty()) {
    ast::Ident id = st.idents.back();
    st.idents.pop_back();
    return id;
  }
  return st.cmd.h.name;
}

// Reads a priority starting at the token after `priority`.
ast::PrioritySpec read_priority(ParserState& st, const Tokens& t, std::size_t i) {
  ast::PrioritySpec p;
  p.span = st.span(t[i].begin, t.back().end());
  if (t.text(i) == "$") {
    p.variable = st.pop_expr();
    p.span = p.variable->span;
    return p;
  }
  if (t.text(i) == "-" && t[i + 1].kind == TokenKind::number) {
    p.number = -static_cast<std::int64_t>(t.number(i + 1));
    p.span = st.span(t[i].begin, t[i + 1].end());
    return p;
  }
  if (t[i].kind == TokenKind::number) {
    p.number = static_cast<std::int64_t>(t.number(i));
    p.span = st.token_span(t[i]);
    return p;
  }
  p.name = ident_from(st, t[i]);
  p.span = p.name.span;
  if (i + 2 < t.size() + 1 && (t.text(i + 1) == "+" || t.text(i + 1) == "-") && i + 2 < t.size()) {
    std::int64_t off = static_cast<std::int64_t>(t.number(i + 2));
    p.offset = t.text(i + 1) == "+" ? off : -off;
    p.span = st.span(t[i].begin, t[i + 2].end());
  }
  return p;
}

std::optional<ast::ObjKind> obj_kind_from(std::string_view k, std::string_view next) {
  if (k == "counter") return ast::ObjKind::counter;
  if (k == "quota") return ast::ObjKind::quota;
  if (k == "limit") return ast::ObjKind::limit;
  if (k == "secmark") return ast::ObjKind::secmark;
  if (k == "synproxy") return ast::ObjKind::synproxy;
  if (k == "tunnel") return ast::ObjKind::tunnel;
  if (k == "helper") return ast::ObjKind::ct_helper;
  if (k == "timeout") return ast::ObjKind::ct_timeout;
  if (k == "expectation") return ast::ObjKind::ct_expect;
  if (k == "ct") return obj_kind_from(next, "");
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// define / include

void on_define(ParserState& st, const Tokens& t, Span span, int kind) {
  if (st.probing) {  // an item parsed again for its error message: no effect
    if (kind != 2) st.pop_expr();
    return;
  }
  ast::Ident name = ident_from(st, t[1]);
  if (kind == 2) {
    // undefine: like nft (symbol_unbind), removes the name from the current
    // scope only, and an unknown name is no error.
    auto& v = st.scopes.back().vars;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const ast::Define* d) { return d->name.text == name.text; }),
            v.end());
    return;
  }
  ast::Expr* value = st.pop_expr();
  if (kind == 0) {
    if (const ast::Define* prev = st.lookup(name.text)) {
      st.diags.error("SYN006", name.span, fmt::format("redefinition of variable '{}'", name.text))
          .with_related(prev->name.span, "first defined here")
          .with_help("use 'redefine' to change the value of a variable");
      st.had_error = true;
      return;
    }
  }
  ast::Define* d = st.script.arena.make<ast::Define>();
  d->name = name;
  d->value = value;
  d->span = span;
  st.scopes.back().vars.push_back(d);
  st.script.defines.push_back(d);
}

namespace {

bool has_glob_magic(std::string_view p) { return p.find_first_of("*?[") != std::string_view::npos; }

// Files matching `pattern`, sorted, directories left out.
std::vector<std::string> glob_files(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), GLOB_NOESCAPE | GLOB_MARK, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = g.gl_pathv[i];
      if (!p.empty() && p.back() != '/') out.push_back(std::move(p));
    }
  }
  globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) != nullptr) return buf;
  return path;
}

}  // namespace

void on_include(ParserState& st, const Token path_tok, Span span, bool (*parse_items)(ParserState&, FileId)) {
  if (st.probing) return;  // an item parsed again for its error message
  std::string name(st.token_text(path_tok));
  name = name.substr(1, name.size() - 2);
  const bool magic = has_glob_magic(name);

  // nft: absolute and ./ ../ paths as given; other names through the
  // include path (-I directories, the main file's directory, sysconfdir).
  std::vector<std::string> files;
  bool searched = name[0] == '/' || name.rfind("./", 0) == 0 || name.rfind("../", 0) == 0;
  if (searched) {
    files = glob_files(name);
  } else {
    std::vector<std::string> dirs = st.opts.include_dirs;
    dirs.insert(dirs.end(), st.opts.default_include_dirs.begin(), st.opts.default_include_dirs.end());
    for (const std::string& dir : dirs) {
      std::vector<std::string> found = glob_files(dir + "/" + name);
      files.insert(files.end(), found.begin(), found.end());
      if (!found.empty() && !magic) break;
    }
  }
  if (files.empty()) {
    if (magic) return;  // a wildcard that matches nothing is not an error
    st.diags.error("IO006", span, fmt::format("include file '{}' not found", name))
        .with_help(searched ? "the path is relative to the current directory"
                            : "relative names are searched in the -I directories, the main file's directory and /etc");
    st.had_error = true;
    return;
  }
  if (st.include_stack.size() >= 16) {
    st.diags.error("IO008", span, "includes are nested more than 16 levels deep");
    st.had_error = true;
    return;
  }
  for (const std::string& f : files) {
    std::string canon = canonical(f);
    if (std::find(st.include_stack.begin(), st.include_stack.end(), canon) != st.include_stack.end()) {
      std::string chain;
      for (const std::string& s : st.include_stack) chain += s + " → ";
      st.diags.error("IO007", span, fmt::format("include cycle: '{}' includes itself", f))
          .with_help("the include chain is " + chain + canon);
      st.had_error = true;
      continue;
    }
    auto id = read_input(st.sm, st.diags, ReadRequest{f, span, true});
    if (!id) {
      st.had_error = true;
      continue;
    }
    st.include_stack.push_back(canon);
    const FileId saved_file = st.file;
    const std::string_view saved_text = st.text;
    const grammar::TokenStream* saved_stream = st.stream;
    const std::uint32_t saved_last = st.last_index;
    grammar::TokenStream tokens;
    st.switch_to(*id, tokens);
    if (!parse_items(st, *id)) st.had_error = true;
    st.file = saved_file;
    st.set_stream(saved_text, *saved_stream);
    st.last_index = saved_last;
    st.include_stack.pop_back();
    st.script.includes.push_back(span);
  }
}

// ---------------------------------------------------------------------------
// Blocks

void on_table_block_begin(ParserState& st, Span span) {
  ast::TableDecl* t = st.script.arena.make<ast::TableDecl>();
  t->name = st.cmd.h.table;
  t->has_block = true;
  t->span = span;
  st.tables.push_back(t);
  st.scopes.emplace_back();
}

void on_table_block_end(ParserState& st, Span span) {
  st.tables.back()->span = st.tables.back()->span.merge(span);
  st.scopes.pop_back();
}

void on_chain_block_begin(ParserState& st, Span span) {
  ast::ChainDecl* c = st.script.arena.make<ast::ChainDecl>();
  c->name = decl_name(st);
  c->span = c->name.span.valid() && c->name.span.file == span.file ? c->name.span.merge(span) : span;
  st.chains.push_back(c);
  st.scopes.emplace_back();
}

void on_chain_block_end(ParserState& st, Span span) {
  ast::ChainDecl* c = st.chains.back();
  if (c->span.file == span.file) c->span = c->span.merge(span);
  st.scopes.pop_back();
}

void on_set_block_begin(ParserState& st, Span span, bool is_map) {
  ast::SetDecl* s = st.script.arena.make<ast::SetDecl>();
  s->name = decl_name(st);
  s->is_map = is_map;
  s->span = s->name.span.valid() && s->name.span.file == span.file ? s->name.span.merge(span) : span;
  st.sets.push_back(s);
}

void on_set_block_end(ParserState& st, Span span) {
  ast::SetDecl* s = st.sets.back();
  if (s->span.file == span.file) s->span = s->span.merge(span);
}

void on_flowtable_block_begin(ParserState& st, Span span) {
  ast::FlowtableDecl* f = st.script.arena.make<ast::FlowtableDecl>();
  f->name = decl_name(st);
  f->span = f->name.span.valid() && f->name.span.file == span.file ? f->name.span.merge(span) : span;
  st.flowtables.push_back(f);
}

void on_flowtable_block_end(ParserState& st, Span span) {
  ast::FlowtableDecl* f = st.flowtables.back();
  if (f->span.file == span.file) f->span = f->span.merge(span);
}

void on_obj_begin(ParserState& st, Span span) {
  ast::ObjDecl* o = st.script.arena.make<ast::ObjDecl>();
  o->name = decl_name(st);
  o->span = o->name.span.valid() ? o->name.span : span;
  st.objects.push_back(o);
}

void on_decl_end(ParserState& st, std::string_view keyword, Span span) {
  ast::TableDecl* table = st.tables.back();
  if (keyword == "chain") {
    ast::ChainDecl* c = st.chains.back();
    st.chains.pop_back();
    c->span = span;
    table->items.push_back({c});
  } else if (keyword == "set" || keyword == "map") {
    ast::SetDecl* s = st.sets.back();
    st.sets.pop_back();
    s->span = span;
    table->items.push_back({s});
  } else if (keyword == "flowtable") {
    ast::FlowtableDecl* f = st.flowtables.back();
    st.flowtables.pop_back();
    f->span = span;
    table->items.push_back({f});
  } else {
    ast::ObjDecl* o = st.objects.back();
    st.objects.pop_back();
    o->kind = obj_kind_from(keyword, "").value_or(ast::ObjKind::counter);
    o->span = span;
    table->items.push_back({o});
  }
}

// ---------------------------------------------------------------------------
// Chain properties

void on_hook_spec(ParserState& st, const Tokens& t, Span span) {
  ast::ChainDecl* c = st.chains.back();
  ast::HookSpec h;
  h.type = ident_from(st, t[1]);
  h.hook = ident_from(st, t[3]);
  h.devices = std::move(st.pending_devices);
  h.devices_list_form = st.pending_devices_list;
  st.pending_devices.clear();
  h.span = span;
  std::size_t p = t.find("priority", 4);
  c->priority = read_priority(st, t, p + 1);
  c->hook = std::move(h);
}

void on_devices(ParserState& st, Span, bool list_form, int owner) {
  std::vector<ast::Expr*> devices = take_marked_exprs(st);
  switch (owner) {
    case 0:
      st.pending_devices = std::move(devices);
      st.pending_devices_list = list_form;
      break;
    case 1:
      st.chains.back()->devices = std::move(devices);
      break;
    default:
      st.flowtables.back()->devices = std::move(devices);
      st.flowtables.back()->devices_given = true;
      break;
  }
}

void on_policy(ParserState& st, const Tokens& t, Span span) {
  ast::ChainDecl* c = st.chains.back();
  if (t.text(1) == "$") {
    c->policy = st.pop_expr();
    return;
  }
  ast::Expr* e = new_expr(st, ast::ExprKind::symbol, st.token_span(t[1]));
  e->text = t.text(1);
  (void)span;
  c->policy = st.pop_expr();
}

void on_chain_flags(ParserState& st, Span span) {
  st.chains.back()->offload_flag = true;
  st.chains.back()->offload_span = span;
}

void on_comment(ParserState& st, int owner) {
  ast::Ident c = ident_from(st, st.last());
  switch (owner) {
    case 0: st.tables.back()->comment = c; break;
    case 1: st.chains.back()->comment = c; break;
    case 2: st.sets.back()->comment = c; break;
    case 3: st.flowtables.back()->comment = c; break;
    default: st.objects.back()->comment = c; break;
  }
}

void on_table_flags(ParserState& st, const Tokens& t) {
  for (std::size_t i = 1; i < t.size(); i += 2) st.tables.back()->flags.push_back(ident_from(st, t[i]));
}

// ---------------------------------------------------------------------------
// Set and map properties

namespace {
void read_type_atoms(ParserState& st, const Tokens& t, std::size_t from, std::size_t to, std::vector<ast::Ident>& out) {
  for (std::size_t i = from; i < to; ++i)
    if (t.text(i) != ".") out.push_back(ident_from(st, t[i]));
}
}  // namespace

void on_set_prop(ParserState& st, const Tokens& t, Span span, std::string_view prop) {
  ast::SetDecl* s = st.sets.back();
  if (prop == "type") {
    read_type_atoms(st, t, 1, t.size(), s->key_type);
    s->key_span = span;
  } else if (prop == "maptype") {
    std::size_t colon = t.find(":");
    read_type_atoms(st, t, 1, colon, s->key_type);
    s->key_span = st.span(t[1].begin, t[colon - 1].end());
    std::size_t d = colon + 1;
    if (auto k = obj_kind_from(t.text(d), t.text(d + 1))) {
      s->data_object = k;
    } else {
      if (t.text(d) == "interval") {
        s->data_interval = true;
        ++d;
      }
      read_type_atoms(st, t, d, t.size(), s->data_type);
    }
    s->data_span = st.span(t[colon + 1].begin, t.back().end());
  } else if (prop == "typeof" || prop == "maptypeof") {
    std::vector<ast::Expr*> exprs = take_marked_exprs(st);
    std::size_t colon = prop == "maptypeof" ? t.find(":") : t.size();
    std::uint32_t colon_pos = colon < t.size() ? t[colon].begin : span.end;
    for (ast::Expr* e : exprs) (e->span.begin < colon_pos ? s->key_typeof : s->data_typeof).push_back(e);
    s->key_span = st.span(t[1].begin, colon < t.size() ? t[colon - 1].end() : t.back().end());
    if (colon < t.size()) {
      std::size_t d = colon + 1;
      s->data_span = st.span(t[d].begin, t.back().end());
      if (auto k = obj_kind_from(t.text(d), t.text(d + 1))) {
        // `typeof K : ct helper` is an object map (nft: NFT_OBJECT_CT_HELPER),
        // not a map to the ct helper expression.
        s->data_object = k;
        s->data_typeof.clear();
      } else if (t.text(d) == "interval") {
        s->data_interval = true;
      }
      if (s->data_typeof.empty() && !s->data_object) s->data_keyword = t.text(d);
    }
  } else if (prop == "flags") {
    for (std::size_t i = 1; i < t.size(); i += 2) s->flags.push_back(ident_from(st, t[i]));
  } else if (prop == "timeout") {
    s->timeout = st.pop_expr();
  } else if (prop == "gc-interval") {
    s->gc_interval = st.pop_expr();
  } else if (prop == "size") {
    s->size = t.number(1);
  } else if (prop == "policy") {
    s->policy = ident_from(st, t[1]);
  } else if (prop == "auto-merge") {
    s->auto_merge = true;
  } else if (prop == "elements") {
    s->elements = st.pop_expr();
  } else if (prop == "stateful") {
    std::vector<ast::Stmt*> stmts = take_marked_stmts(st);
    s->stmts.insert(s->stmts.end(), stmts.begin(), stmts.end());
  }
}

void on_flowtable_prop(ParserState& st, const Tokens& t, Span span) {
  ast::FlowtableDecl* f = st.flowtables.back();
  std::string_view w = t.text(0);
  if (w == "hook") {
    f->hook = ident_from(st, t[1]);
    f->priority = read_priority(st, t, 3);
  } else if (w == "counter") {
    f->counter = true;
  } else if (w == "flags") {
    f->offload_flag = true;
    f->offload_span = span;
  }
}

void on_obj_config(ParserState& st, const Tokens& t, Span span, std::string_view what) {
  ast::ObjDecl* o = st.objects.back();
  if (what == "counter") {
    o->packets = t.number(1);
    o->bytes = t.number(3);
  } else if (what == "quota") {
    ast::QuotaSpec q;
    std::size_t i = 0;
    if (t.text(i) == "over" || t.text(i) == "until") q.mode = t.text(i++);
    q.value = t.number(i++);
    q.unit = t.text(i++);
    if (t.text(i) == "used") {
      q.used = t.number(i + 1);
      q.used_unit = t.text(i + 2);
    }
    o->quota = q;
  } else if (what == "limit") {
    ast::RateSpec r;
    std::size_t i = 1;
    if (t.text(i) == "over" || t.text(i) == "until") o->limit_mode = t.text(i++);
    r.span = span;
    r.rate = t.number(i++);
    if (t.text(i) != "/") r.rate_unit = t.text(i++);
    ++i;
    r.time_unit = t.text(i++);
    if (t.text(i) == "burst") {
      r.burst = t.number(i + 1);
      r.burst_unit = t.text(i + 2);
    }
    o->limit = r;
  } else if (what == "secmark") {
    o->secmark_context = ident_from(st, t[0]);
  } else if (what == "synproxy") {
    o->mss = t.number(1);
    std::size_t w = t.find("wscale");
    if (w != std::string_view::npos) o->wscale = t.number(w + 1);
    o->timestamp = t.has("timestamp");
    o->sack_perm = t.has("sack-perm") || t.has("sack-permitted");
  } else if (what == "helper") {
    o->helper_type = ident_from(st, t[1]);
    o->l4proto = ident_from(st, t[3]);
  } else if (what == "l3proto") {
    o->l3proto = ast::family_from_name(t.text(1));
  } else if (what == "protocol") {
    o->l4proto = ident_from(st, t[1]);
  } else if (what == "timeout-state") {
    o->timeout_policy.emplace_back(ident_from(st, t[0]), st.pop_expr());
  } else if (what == "dport") {
    o->expect_dport = t.number(1);
  } else if (what == "expect-timeout") {
    o->expect_timeout = st.pop_expr();
  } else if (what == "size") {
    o->expect_size = t.number(1);
  } else if (what == "tunnel-addr") {
    ast::Ident key = ident_from(st, t[0]);
    key.span = st.span(t[0].begin, t[1].end());
    key.text = st.text.substr(t[0].begin, t[1].end() - t[0].begin);
    o->tunnel_options.emplace_back(key, st.pop_expr());
  } else if (what == "tunnel-scalar") {
    ast::Expr* v = new_expr(st, ast::ExprKind::symbol, st.token_span(t[1]));
    v->text = t.text(1);
    if (t[1].kind == TokenKind::number) {
      v->kind = ast::ExprKind::number;
      v->num = t.number(1);
    }
    o->tunnel_options.emplace_back(ident_from(st, t[0]), st.pop_expr());
  } else if (what == "tunnel-geneve") {
    // class N opt-type N data "…"
    for (std::size_t i = 0; i + 1 < t.size(); i += 2) {
      ast::Expr* v = new_expr(st, t[i + 1].kind == TokenKind::number ? ast::ExprKind::number : ast::ExprKind::symbol,
                              st.token_span(t[i + 1]));
      v->num = t.number(i + 1);
      ast::Ident text = ident_from(st, t[i + 1]);
      v->text = text.text;
      v->quoted = text.quoted;
      o->tunnel_options.emplace_back(ident_from(st, t[i]), st.pop_expr());
    }
  } else if (what == "tunnel-sub") {
    // A section marker: the options that follow belong to erspan/vxlan/geneve.
    o->tunnel_options.emplace_back(ident_from(st, t[0]), nullptr);
  }
}

// ---------------------------------------------------------------------------
// Commands

void on_table_spec(ParserState& st, const Tokens& t) {
  if (t.size() > 0) st.cmd.h.table = ident_from(st, t.back());
}

void on_cmd(ParserState& st, const Tokens& t, Span span, ast::CmdOp op) {
  ast::Command& c = st.cmd;
  c.op = op;
  c.span = span;
  // The object keyword: after the verb, or first for a verb-less add.
  bool implicit = t.text(0) != "add" && t.text(0) != "create" && t.text(0) != "insert" && t.text(0) != "replace" &&
                  t.text(0) != "delete" && t.text(0) != "destroy" && t.text(0) != "get" && t.text(0) != "list" &&
                  t.text(0) != "reset" && t.text(0) != "flush" && t.text(0) != "rename" && t.text(0) != "import" &&
                  t.text(0) != "export" && t.text(0) != "monitor" && t.text(0) != "describe";
  c.implicit_add = implicit;
  std::size_t k = implicit ? 0 : 1;
  std::string_view kw = t.text(k);
  std::string_view next = t.text(k + 1);
  auto objects = [&](ast::ObjKind kind) {
    c.obj = ast::CmdObj::objects;
    c.obj_kind = kind;
  };
  if (kw == "table") c.obj = ast::CmdObj::table;
  else if (kw == "tables") c.obj = ast::CmdObj::tables;
  else if (kw == "chain") c.obj = ast::CmdObj::chain;
  else if (kw == "chains") c.obj = ast::CmdObj::chains;
  else if (kw == "rule") c.obj = ast::CmdObj::rule;
  else if (kw == "rules") c.obj = ast::CmdObj::rules;
  else if (kw == "set") c.obj = ast::CmdObj::set;
  else if (kw == "sets") c.obj = ast::CmdObj::sets;
  else if (kw == "map") c.obj = ast::CmdObj::map;
  else if (kw == "maps") c.obj = ast::CmdObj::maps;
  else if (kw == "element") c.obj = ast::CmdObj::element;
  else if (kw == "flowtable") c.obj = ast::CmdObj::flowtable;
  else if (kw == "flowtables") c.obj = ast::CmdObj::flowtables;
  else if (kw == "ruleset") c.obj = ast::CmdObj::ruleset;
  else if (kw == "hooks") c.obj = ast::CmdObj::hooks;
  else if (kw == "meter") c.obj = ast::CmdObj::meter;
  else if (kw == "meters") c.obj = ast::CmdObj::meters;
  else if (kw == "flow") c.obj = next == "tables" ? ast::CmdObj::flow_tables : ast::CmdObj::flow_table;
  else if (kw == "counters") objects(ast::ObjKind::counter);
  else if (kw == "quotas") objects(ast::ObjKind::quota);
  else if (kw == "limits") objects(ast::ObjKind::limit);
  else if (kw == "secmarks") objects(ast::ObjKind::secmark);
  else if (kw == "synproxys") objects(ast::ObjKind::synproxy);
  else if (kw == "tunnels") objects(ast::ObjKind::tunnel);
  else if (kw == "ct" && next == "helpers") c.obj = ast::CmdObj::ct_helpers;
  else if (kw == "ct" && t.text(k + 2) == "table") objects(*obj_kind_from(next, ""));  // list ct timeout table T
  else if (auto o = obj_kind_from(kw, next)) {
    c.obj = ast::CmdObj::object;
    c.obj_kind = o;
  } else if (op == ast::CmdOp::add || op == ast::CmdOp::create) {
    c.obj = ast::CmdObj::rule;  // `add ip t c accept`, `ip t c accept`
  } else {
    c.obj = ast::CmdObj::ruleset;  // describe, import, export, monitor
  }

  if (op == ast::CmdOp::describe) {
    c.elements = st.pop_expr();
    return;
  }
  switch (c.obj) {
    case ast::CmdObj::table:
      if (!st.tables.empty()) {
        c.table = st.tables.back();
        st.tables.pop_back();
      }
      break;
    case ast::CmdObj::chain:
      if (!st.chains.empty()) {
        c.chain = st.chains.back();
        st.chains.pop_back();
      }
      break;
    case ast::CmdObj::set:
    case ast::CmdObj::map:
      if (!st.sets.empty()) {
        c.set = st.sets.back();
        st.sets.pop_back();
      }
      break;
    case ast::CmdObj::flowtable:
      if (!st.flowtables.empty()) {
        c.flowtable = st.flowtables.back();
        st.flowtables.pop_back();
      }
      break;
    case ast::CmdObj::object:
      if (!st.objects.empty()) {
        c.object = st.objects.back();
        st.objects.pop_back();
        c.object->kind = *c.obj_kind;
      }
      break;
    case ast::CmdObj::element:
      if (!st.exprs.empty()) c.elements = st.pop_expr();
      break;
    default:
      break;
  }
}

void on_command_line(ParserState& st, Span span) {
  st.cmd.span = st.cmd.span.valid() ? st.cmd.span : span;
  st.script.commands.push_back(std::move(st.cmd));
  st.cmd = ast::Command{};
}

}  // namespace nftc::parse
