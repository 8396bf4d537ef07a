#include "compiler/ast_dump.hpp"

#include <fmt/format.h>

namespace nftc::ast {
namespace {

struct Dumper {
  const DumpOptions& opt;
  std::string out;

  void put(std::string_view s) { out += s; }
  void span(const Span& s) {
    if (opt.spans && s.valid()) out += fmt::format("@{}-{}", s.begin, s.end);
  }
  void ident(const Ident& id) {
    if (id.quoted) out += fmt::format("\"{}\"", id.text);
    else out += id.text;
  }
  void field(std::string_view name, const Ident& id) {
    if (id.empty()) return;
    out += fmt::format(" {}=", name);
    ident(id);
  }
  void field(std::string_view name, std::string_view v) {
    if (!v.empty()) out += fmt::format(" {}={}", name, v);
  }
  template <typename T>
  void field(std::string_view name, const std::optional<T>& v) {
    if (v) out += fmt::format(" {}={}", name, *v);
  }
  void flag(std::string_view name, bool b) {
    if (b) out += fmt::format(" {}", name);
  }
  template <typename Range>
  void idents(std::string_view name, const Range& v, std::string_view sep = ",") {
    if (v.empty()) return;
    out += fmt::format(" {}=", name);
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += sep;
      ident(v[i]);
    }
  }
  void expr_field(std::string_view name, const Expr* e) {
    if (e == nullptr) return;
    out += fmt::format(" {}=", name);
    expr(*e);
  }
  // A set's item: an element without options is its key, shown as one.
  void element(const Expr& e) {
    if (e.kind == ExprKind::set_elem || e.kind == ExprKind::mapping || e.kind == ExprKind::set) {
      expr(e);
      return;
    }
    put("(elem ");
    expr(e);
    put(")");
    span(e.span);
  }
  template <typename Range>
  void exprs(const Range& v) {
    for (const Expr* e : v) {
      put(" ");
      expr(*e);
    }
  }
  template <typename Range>
  void stmts(const Range& v) {
    for (const Stmt* s : v) {
      put(" ");
      stmt(*s);
    }
  }

  void selector(const Expr& e) {
    const Selector& s = *e.sel;
    switch (s.kind) {
      case SelectorKind::payload:
        put(s.unqualified_meta ? "(payload" : "(payload");
        out += fmt::format(" {} {}", s.proto, s.field);
        field("q", s.qualifier);
        break;
      case SelectorKind::payload_raw: out += fmt::format("(raw {} {} {}", s.qualifier, s.n1, s.n2); break;
      case SelectorKind::exthdr:
        out += fmt::format("(exthdr {} {}", s.proto, s.field);
        if (s.n1) out += fmt::format(" [{}]", s.n1);
        break;
      case SelectorKind::exthdr_exists: out += fmt::format("(exthdr-exists {}", s.proto); break;
      case SelectorKind::tcp_option:
        out += fmt::format("(tcp-option {}", s.proto);
        if (s.raw) out += fmt::format(" @{},{}", s.n1, s.n2);
        field("field", s.field);
        break;
      case SelectorKind::ip_option:
        out += fmt::format("(ip-option {}", s.proto);
        field("field", s.field);
        break;
      case SelectorKind::sctp_chunk:
        out += fmt::format("(sctp-chunk {}", s.proto);
        field("field", s.field);
        break;
      case SelectorKind::dccp_option: out += fmt::format("(dccp-option {}", s.n1); break;
      case SelectorKind::meta: out += fmt::format("({} {}", s.unqualified_meta ? "meta-unqualified" : "meta", s.field); break;
      case SelectorKind::ct:
        put("(ct");
        field("dir", s.qualifier);
        field("proto", s.proto);
        out += fmt::format(" {}", s.field);
        break;
      case SelectorKind::rt:
        put("(rt");
        field("family", s.qualifier);
        out += fmt::format(" {}", s.field);
        break;
      case SelectorKind::fib:
        put("(fib ");
        for (std::size_t i = 0; i < s.flags.size(); ++i) out += fmt::format("{}{}", i ? "." : "", s.flags[i]);
        out += fmt::format(" {}", s.field);
        break;
      case SelectorKind::socket:
        out += fmt::format("(socket {}", s.field);
        if (s.field == "cgroupv2") out += fmt::format(" level={}", s.n1);
        break;
      case SelectorKind::osf:
        put("(osf");
        field("ttl", s.qualifier);
        out += fmt::format(" {}", s.field);
        break;
      case SelectorKind::numgen:
        out += fmt::format("(numgen {} mod={}", s.qualifier, s.n1);
        if (s.has_n3) out += fmt::format(" offset={}", s.n3);
        break;
      case SelectorKind::hash:
        out += fmt::format("({}", s.qualifier);
        if (e.a) {
          put(" ");
          expr(*e.a);
        }
        out += fmt::format(" mod={}", s.n1);
        if (s.has_n4) out += fmt::format(" seed={}", s.n2);
        if (s.has_n3) out += fmt::format(" offset={}", s.n3);
        break;
      case SelectorKind::xfrm:
        out += fmt::format("(ipsec {}", s.qualifier);
        if (s.has_n3) out += fmt::format(" spnum={}", s.n1);
        field("proto", s.proto);
        out += fmt::format(" {}", s.field);
        break;
      case SelectorKind::tunnel: out += fmt::format("(tunnel {}", s.field); break;
    }
    put(")");
  }

  void elem_options(const ElemOptions& eo) {
    expr_field("timeout", eo.timeout);
    expr_field("expires", eo.expires);
    field("comment", eo.comment);
    stmts(eo.stmts);
  }

  void expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::symbol:
        if (e.quoted) out += fmt::format("\"{}\"", e.text);
        else put(e.text);
        break;
      case ExprKind::number: put(e.text.empty() ? fmt::format("{}", e.num) : std::string(e.text)); break;
      case ExprKind::boolean: put(e.num ? "exists" : "missing"); break;
      case ExprKind::variable:
        out += fmt::format("${}", e.text);
        if (e.def == nullptr) put("?");
        break;
      case ExprKind::wildcard: put("*"); break;
      case ExprKind::selector: selector(e); break;
      case ExprKind::binop:
        out += fmt::format("({}", binop_text(e.binop));
        if (e.a) {
          put(" ");
          expr(*e.a);
        }
        if (e.b) {
          put(" ");
          expr(*e.b);
        }
        put(")");
        break;
      case ExprKind::concat:
        put("(.");
        exprs(e.items);
        put(")");
        break;
      case ExprKind::prefix:
        put("(/ ");
        expr(*e.a);
        out += fmt::format(" {})", e.num);
        break;
      case ExprKind::range:
        put("(- ");
        expr(*e.a);
        put(" ");
        expr(*e.b);
        put(")");
        break;
      case ExprKind::list:
        put("(,");
        exprs(e.items);
        put(")");
        break;
      case ExprKind::set:
        put("(set");
        for (const Expr* i : e.items) {
          put(" ");
          element(*i);
        }
        put(")");
        break;
      case ExprKind::set_elem:
        put("(elem ");
        if (e.a) expr(*e.a);
        elem_options(e.options());
        put(")");
        break;
      case ExprKind::mapping:
        put("(: ");
        element(*e.a);
        put(" ");
        expr(*e.b);
        put(")");
        break;
      case ExprKind::set_ref: out += fmt::format("@{}", e.text); break;
      case ExprKind::map:
        put("(map ");
        expr(*e.a);
        put(" ");
        expr(*e.b);
        put(")");
        break;
      case ExprKind::verdict:
        put(verdict_text(e.verdict));
        if (e.a) {
          put(" ");
          expr(*e.a);
        }
        break;
    }
    if (e.role == ExprRole::nat_address) put("#addr");
    if (e.role == ExprRole::nat_port) put("#port");
    span(e.span);
  }

  void rate(const RateSpec& r) {
    out += fmt::format(" {}", r.rate);
    if (!r.rate_unit.empty()) out += fmt::format(" {}", r.rate_unit);
    out += fmt::format("/{}", r.time_unit);
    if (r.burst) out += fmt::format(" burst={}{}", *r.burst, r.burst_unit.empty() ? "" : " " + std::string(r.burst_unit));
  }
  void quota(const QuotaSpec& q) {
    field("mode", q.mode);
    out += fmt::format(" {} {}", q.value, q.unit);
    if (q.used) out += fmt::format(" used={} {}", *q.used, q.used_unit);
  }

  void stmt(const Stmt& s) {
    ast::visit(s, [&](const auto& v) { stmt_body(v); });
    span(s.span);
  }
  void stmt_body(const VerdictStmt& v) { expr(*v.verdict); }
  void stmt_body(const VmapStmt& v) {
    put("(vmap ");
    expr(*v.key);
    put(" ");
    expr(*v.map);
    put(")");
  }
  void stmt_body(const MatchStmt& m) {
    put("(match ");
    expr(*m.lhs);
    if (m.op != RelOp::implicit) out += fmt::format(" {}", relop_text(m.op));
    put(" ");
    expr(*m.rhs);
    put(")");
  }
  void stmt_body(const AssignStmt& a) {
    put("(set ");
    expr(*a.lhs);
    put(" ");
    expr(*a.value);
    put(")");
  }
  void stmt_body(const CounterStmt& c) {
    put("(counter");
    field("packets", c.packets);
    field("bytes", c.bytes);
    put(")");
  }
  void stmt_body(const ObjrefStmt& o) {
    out += fmt::format("(objref {} ", obj_kind_name(o.kind));
    expr(*o.name);
    put(")");
  }
  void stmt_body(const LimitStmt& l) {
    put("(limit");
    field("mode", l.mode);
    rate(l.rate);
    put(")");
  }
  void stmt_body(const QuotaStmt& q) {
    put("(quota");
    quota(q.quota);
    put(")");
  }
  void stmt_body(const ConnlimitStmt& c) { out += fmt::format("(ct-count{} {})", c.over ? " over" : "", c.count); }
  void stmt_body(const LastStmt& l) {
    put("(last");
    if (l.has_used) {
      put(" used=");
      if (l.never) put("never");
      else if (l.used) expr(*l.used);
    }
    put(")");
  }
  void stmt_body(const LogStmt& l) {
    put("(log");
    if (l.prefix) expr_field("prefix", *l.prefix);
    field("group", l.group);
    field("snaplen", l.snaplen);
    field("queue-threshold", l.queue_threshold);
    field("level", l.level);
    idents("flags", l.flags, " ");
    put(")");
  }
  void stmt_body(const RejectStmt& r) {
    put("(reject");
    field("with", r.with);
    if (r.code) {
      put(" ");
      expr(*r.code);
    }
    put(")");
  }
  void stmt_body(const NatStmt& n) {
    static constexpr std::string_view kinds[] = {"snat", "dnat", "masquerade", "redirect"};
    out += fmt::format("({}", kinds[static_cast<int>(n.kind)]);
    field("family", n.family);
    flag("to", n.to_keyword);
    flag("addr.port", n.addr_port_map);
    flag("interval", n.interval);
    flag("prefix", n.prefix);
    expr_field("addr", n.addr);
    expr_field("port", n.port);
    idents("flags", n.flags);
    put(")");
  }
  void stmt_body(const TproxyStmt& t) {
    put("(tproxy");
    field("family", t.family);
    expr_field("addr", t.addr);
    expr_field("port", t.port);
    put(")");
  }
  void stmt_body(const QueueStmt& q) {
    put("(queue");
    idents("flags", q.flags);
    flag("to", q.to_form);
    expr_field("num", q.num);
    put(")");
  }
  void stmt_body(const DupStmt& d) {
    put("(dup");
    expr_field("to", d.addr);
    expr_field("device", d.dev);
    put(")");
  }
  void stmt_body(const FwdStmt& f) {
    put("(fwd");
    field("family", f.family);
    expr_field("to", f.to);
    expr_field("device", f.dev);
    put(")");
  }
  void stmt_body(const SetStmt& s) {
    static constexpr std::string_view ops[] = {"add", "update", "delete"};
    out += fmt::format("({}{} ", s.legacy_form ? "set-legacy " : "set-", ops[static_cast<int>(s.op)]);
    expr(*s.set);
    put(" ");
    expr(*s.key);
    stmts(s.stmts);
    expr_field("data", s.data);
    put(")");
  }
  void stmt_body(const MeterStmt& m) {
    put("(meter ");
    ident(m.name);
    field("size", m.size);
    put(" ");
    expr(*m.key);
    put(" ");
    stmt(*m.stmt);
    put(")");
  }
  void stmt_body(const NotrackStmt&) { put("(notrack)"); }
  void stmt_body(const FlowOffloadStmt& f) {
    out += fmt::format("(flow-{} @", f.legacy_offload_keyword ? "offload" : "add");
    ident(f.flowtable);
    put(")");
  }
  void stmt_body(const SynproxyStmt& s) {
    put("(synproxy");
    field("mss", s.mss);
    field("wscale", s.wscale);
    flag("timestamp", s.timestamp);
    flag("sack-perm", s.sack_perm);
    put(")");
  }
  void stmt_body(const ChainStmt& c) {
    out += fmt::format("({}-chain", verdict_text(c.kind));
    for (const RuleDecl* r : c.rules) {
      put(" ");
      rule(*r);
    }
    put(")");
  }
  void stmt_body(const OptstripStmt& o) {
    put("(reset ");
    expr(*o.option);
    put(")");
  }
  void stmt_body(const XtStmt& x) {
    put("(xt ");
    ident(x.type);
    put(" ");
    ident(x.name);
    put(")");
  }

  void rule(const RuleDecl& r) {
    put("(rule");
    stmts(r.stmts);
    field("comment", r.comment);
    put(")");
    span(r.span);
  }

  void priority(const std::optional<PrioritySpec>& p) {
    if (!p) return;
    put(" prio=");
    if (p->number) out += fmt::format("{}", *p->number);
    else if (p->variable) expr(*p->variable);
    else {
      ident(p->name);
      if (p->offset > 0) out += fmt::format("+{}", p->offset);
      else if (p->offset < 0) out += fmt::format("{}", p->offset);
    }
  }
  void devices(std::string_view name, const std::vector<Expr*>& devs) {
    if (devs.empty()) return;
    out += fmt::format(" {}=[", name);
    for (std::size_t i = 0; i < devs.size(); ++i) {
      if (i) put(",");
      expr(*devs[i]);
    }
    put("]");
  }

  void chain(const ChainDecl& c) {
    put("(chain ");
    ident(c.name);
    if (c.hook) {
      put(" (hook ");
      ident(c.hook->type);
      put(" ");
      ident(c.hook->hook);
      devices(c.hook->devices_list_form ? "devices" : "device", c.hook->devices);
      put(")");
    }
    priority(c.priority);
    expr_field("policy", c.policy);
    flag("offload", c.offload_flag);
    devices("devices", c.devices);
    field("comment", c.comment);
    for (const RuleDecl* r : c.rules) {
      put(" ");
      rule(*r);
    }
    put(")");
  }

  void set(const SetDecl& s) {
    out += fmt::format("({} ", s.is_map ? "map" : "set");
    ident(s.name);
    idents("type", s.key_type, ".");
    if (!s.key_typeof.empty()) {
      put(" typeof=");
      for (std::size_t i = 0; i < s.key_typeof.size(); ++i) {
        if (i) put(".");
        expr(*s.key_typeof[i]);
      }
    }
    flag("data-interval", s.data_interval);
    idents("data", s.data_type, ".");
    if (!s.data_typeof.empty()) {
      put(" data-typeof=");
      for (std::size_t i = 0; i < s.data_typeof.size(); ++i) {
        if (i) put(".");
        expr(*s.data_typeof[i]);
      }
    }
    if (s.data_object) out += fmt::format(" data-object={}", obj_kind_name(*s.data_object));
    field("data-keyword", s.data_keyword);
    idents("flags", s.flags);
    expr_field("timeout", s.timeout);
    expr_field("gc-interval", s.gc_interval);
    field("size", s.size);
    field("policy", s.policy);
    flag("auto-merge", s.auto_merge);
    stmts(s.stmts);
    expr_field("elements", s.elements);
    field("comment", s.comment);
    put(")");
  }

  void flowtable(const FlowtableDecl& f) {
    put("(flowtable ");
    ident(f.name);
    field("hook", f.hook);
    priority(f.priority);
    devices("devices", f.devices);
    flag("counter", f.counter);
    flag("offload", f.offload_flag);
    field("comment", f.comment);
    put(")");
  }

  void object(const ObjDecl& o) {
    out += fmt::format("({} ", obj_kind_name(o.kind));
    ident(o.name);
    field("packets", o.packets);
    field("bytes", o.bytes);
    if (o.quota) quota(*o.quota);
    if (o.limit) {
      field("mode", o.limit_mode);
      rate(*o.limit);
    }
    field("type", o.helper_type);
    field("protocol", o.l4proto);
    if (o.l3proto) out += fmt::format(" l3proto={}", family_name(*o.l3proto));
    if (!o.timeout_policy.empty()) {
      put(" policy={");
      for (std::size_t i = 0; i < o.timeout_policy.size(); ++i) {
        if (i) put(",");
        ident(o.timeout_policy[i].first);
        put(":");
        expr(*o.timeout_policy[i].second);
      }
      put("}");
    }
    field("dport", o.expect_dport);
    expr_field("timeout", o.expect_timeout);
    field("size", o.expect_size);
    field("context", o.secmark_context);
    field("mss", o.mss);
    field("wscale", o.wscale);
    flag("timestamp", o.timestamp);
    flag("sack-perm", o.sack_perm);
    for (const auto& [k, v] : o.tunnel_options) {
      put(" ");
      ident(k);
      if (v) {
        put("=");
        expr(*v);
      }
    }
    field("comment", o.comment);
    put(")");
  }

  void table(const TableDecl& t) {
    put("(table ");
    ident(t.name);
    idents("flags", t.flags);
    field("comment", t.comment);
    for (const TableItem& item : t.items) {
      put(" ");
      std::visit(
          [&](const auto* p) {
            using T = std::decay_t<decltype(*p)>;
            if constexpr (std::is_same_v<T, ChainDecl>) chain(*p);
            else if constexpr (std::is_same_v<T, SetDecl>) set(*p);
            else if constexpr (std::is_same_v<T, FlowtableDecl>) flowtable(*p);
            else object(*p);
          },
          item.item);
    }
    put(")");
  }

  void command(const Command& c) {
    static constexpr std::string_view objs[] = {
        "table",  "chain", "rule",       "set",   "map",    "element", "flowtable", "object",
        "ruleset", "tables", "chains",    "sets",  "maps",   "flowtables", "objects", "rules",
        "hooks",  "meters", "meter",     "flow-tables", "flow-table", "ct-helpers"};
    out += fmt::format("({}{} {}", c.implicit_add ? "implicit-" : "", cmd_op_name(c.op), objs[static_cast<int>(c.obj)]);
    if (c.obj_kind) out += fmt::format(" kind={}", obj_kind_name(*c.obj_kind));
    if (c.h.family_explicit) out += fmt::format(" {}", family_name(c.h.family));
    field("table", c.h.table);
    field("name", c.h.name);
    field("handle", c.h.handle);
    field("position", c.h.position);
    field("index", c.h.index);
    field("new-name", c.new_name);
    if (c.table) {
      put(" ");
      table(*c.table);
    }
    if (c.chain) {
      put(" ");
      chain(*c.chain);
    }
    if (c.rule) {
      put(" ");
      rule(*c.rule);
    }
    if (c.set) {
      put(" ");
      set(*c.set);
    }
    if (c.flowtable) {
      put(" ");
      flowtable(*c.flowtable);
    }
    if (c.object) {
      put(" ");
      object(*c.object);
    }
    if (c.elements) {
      put(" ");
      expr(*c.elements);
    }
    put(")");
    span(c.span);
  }
};

}  // namespace

std::string dump(const Script& script, const DumpOptions& opts) {
  Dumper d{opts, {}};
  for (const Define* def : script.defines) {
    d.put("(define ");
    d.ident(def->name);
    if (def->value) {
      d.put(" ");
      d.expr(*def->value);
    }
    d.put(")\n");
  }
  for (const Command& c : script.commands) {
    d.command(c);
    d.put("\n");
  }
  return d.out;
}

std::string dump(const Command& cmd, const DumpOptions& opts) {
  Dumper d{opts, {}};
  d.command(cmd);
  return d.out;
}

std::string dump(const Expr& e, const DumpOptions& opts) {
  Dumper d{opts, {}};
  d.expr(e);
  return d.out;
}

std::string dump(const Stmt& s, const DumpOptions& opts) {
  Dumper d{opts, {}};
  d.stmt(s);
  return d.out;
}

std::string dump(const RuleDecl& r, const DumpOptions& opts) {
  Dumper d{opts, {}};
  d.rule(r);
  return d.out;
}

}  // namespace nftc::ast
