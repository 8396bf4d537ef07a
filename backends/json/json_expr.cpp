// Expressions, values and statements as nft's json.c prints them.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>

#include <fmt/format.h>

#include "backends/json/json_printer.hpp"
#include "backends/nft/print.hpp"
#include "compiler/listing/names.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"
#include "compiler/sema/types_impl.hpp"

namespace nftc::json_text {

using listing::data_rate;
using listing::family_name;
using listing::time_unit;
using sema::Datatype;
using sema::Expr;
using sema::Kind;
using sema::Op;
using sema::Stmt;
using sema::StmtType;

namespace {

const char* ct_dir_name(int dir) { return dir == 0 ? "original" : dir == 1 ? "reply" : nullptr; }

Json key_object(std::string_view token) {
  Json j = Json::object();
  j["key"] = token;
  return j;
}

}  // namespace

// ---------------------------------------------------------------------------
// Values (datatype_json)

Json JsonPrinter::integer(const Expr& e) {
  if (e.value.fits_u64()) return e.value.u64();
  return "0x" + e.value.to_hex();
}

std::string JsonPrinter::printed(const Datatype* d, const Expr& e) {
  std::string out;
  Expr copy = e;
  copy.dtype = d;
  d->print(copy, out, vals_);
  if (!out.empty() && out.front() == '"') {
    out.erase(0, 1);
    if (auto q = out.find('"'); q != std::string::npos) out.resize(q);
  }
  return out;
}

Json JsonPrinter::symbolic(const sema::SymbolTable* tbl, const Expr& e) {
  std::uint64_t val = sema::detail::symbol_key(e);
  if (tbl != nullptr)
    for (const sema::SymbolicConstant& s : tbl->symbols)
      if (s.value == val) {
        if (vals_.numeric_symbols) return val;
        return std::string(s.identifier);
      }
  return value_at(sema::datatype_basetype(e.dtype), e, true);
}

// The json printer of a type nft gives one, if `d` is such a type.
std::optional<Json> JsonPrinter::own_json(const Datatype* d, const Expr& e) {
  // integer and xinteger, and their clones (set key types, raw payloads).
  if (d->type == sema::TYPE_INTEGER &&
      (d->print == sema::detail::integer_type_print || d->print == sema::detail::xinteger_type_print))
    return integer(e);
  if (d == &sema::string_type) {
    std::string s = e.value.to_bytes_string(sema::div_round_up(e.len, 8), sema::ByteOrder::host);
    if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
    return s;
  }
  if (d == &sema::boolean_type) return sema::detail::symbol_key(e) != 0;
  if (d == &sema::inet_protocol_type) {
    if (!vals_.numeric_protocols) {
      std::string_view name = sema::protocol_name(static_cast<std::uint8_t>(e.value.u64()));
      if (!name.empty()) return std::string(name);
    }
    return integer(e);
  }
  if (d == &sema::inet_service_type) {
    std::uint16_t port = static_cast<std::uint16_t>(e.value.u64());
    if (vals_.services) {
      std::string_view name = sema::service_name(port);
      if (!name.empty()) return std::string(name);
    }
    return port;
  }
  if (d == &sema::mark_type) return symbolic(nullptr, e);
  if (d == &sema::time_type) return e.value.u64() / 1000;
  if (d == &sema::uid_type || d == &sema::gid_type) return static_cast<std::uint32_t>(e.value.u64());
  if (d == &sema::devgroup_type) {
    std::string s = printed(d, e);
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return integer(e);
    return s;
  }
  if (d == &sema::ct_label_type) return e.value.scan1(0);
  return std::nullopt;
}

Json JsonPrinter::value_at(const Datatype* d, const Expr& e, bool only_own) {
  for (; d != nullptr; d = d->basetype) {
    if (auto j = own_json(d, e)) return *j;
    if (only_own) continue;
    if (d->sym_tbl != nullptr) return symbolic(d->sym_tbl, e);
    if (d->print != nullptr) return printed(d, e);
  }
  return integer(e);
}

Json JsonPrinter::value(const Expr& e) { return value_at(e.dtype, e, false); }

// ---------------------------------------------------------------------------
// Expressions

Json JsonPrinter::binop(Op op, const Expr& e) {
  Json a = Json::array();
  if (e.kind == Kind::binop && e.op == op) {
    for (auto& x : binop(op, *e.left)) a.push_back(std::move(x));
    for (auto& x : binop(op, *e.right)) a.push_back(std::move(x));
  } else {
    a.push_back(expr(e));
  }
  return a;
}

Json JsonPrinter::verdict(const Expr& e) {
  const auto& v = e.as<sema::VerdictData>();
  const char* name = nullptr;
  bool with_chain = false;
  switch (v.verdict) {
    case NFT_CONTINUE: name = "continue"; break;
    case NFT_BREAK: name = "break"; break;
    case NFT_JUMP: name = "jump", with_chain = true; break;
    case NFT_GOTO: name = "goto", with_chain = true; break;
    case NFT_RETURN: name = "return"; break;
    case NF_ACCEPT: name = "accept"; break;
    case NF_DROP: name = "drop"; break;
    case NF_QUEUE: name = "queue"; break;
    default: name = "unknown"; break;
  }
  Json j = Json::object();
  if (with_chain && v.chain != nullptr) j[name] = {{"target", expr(*v.chain)}};
  else j[name] = nullptr;
  return j;
}

Json JsonPrinter::set_elem(const Expr& e, const Expr& val) {
  Json root = expr(val);
  const sema::ElemData* ed = std::holds_alternative<sema::ElemData>(e.data) ? &e.elem() : nullptr;
  if (ed == nullptr || (!ed->timeout && !ed->expiration && !ed->has_comment && ed->stmts.empty())) return root;
  Json elem = Json::object();
  elem["val"] = std::move(root);
  if (ed->timeout) elem["timeout"] = ed->timeout / 1000;
  if (ed->expiration) elem["expires"] = ed->expiration / 1000;
  if (ed->has_comment) elem["comment"] = ed->comment;
  for (const Stmt* s : ed->stmts) {
    Json st = stmt(*s);
    for (auto& [k, v] : st.items())
      if (!elem.contains(k)) elem[k] = v;
  }
  return {{"elem", std::move(elem)}};
}

Json JsonPrinter::payload(const Expr& e) {
  const auto& p = e.payload();
  bool known = p.desc && p.tmpl && p.desc != &sema::proto_unknown && p.tmpl != &sema::proto_unknown_template;
  Json root = Json::object();
  if (known) {
    if (p.inner_desc) root["tunnel"] = p.inner_desc->name;
    root["protocol"] = p.desc->name;
    root["field"] = p.tmpl->token;
  } else {
    root["base"] = sema::proto_base_token(p.base);
    root["offset"] = p.offset;
    root["len"] = e.len;
  }
  return {{"payload", std::move(root)}};
}

Json JsonPrinter::exthdr(const Expr& e) {
  const auto& x = e.exthdr();
  bool exists = x.flags & NFT_EXTHDR_F_PRESENT;
  std::string_view field = x.tmpl ? x.tmpl->token : "unknown";
  Json root = Json::object();
  if (x.op == NFT_EXTHDR_OP_TCPOPT) {
    if (x.desc) {
      static const char* const offs[] = {"", "1", "2", "3"};
      unsigned off = x.offset / 64;
      root["name"] = std::string(x.desc->name) + (off < 4 ? offs[off] : "");
      if (!exists) root["field"] = field;
    } else {
      root["base"] = x.raw_type;
      root["offset"] = x.offset;
      root["len"] = e.len;
    }
    return {{"tcp option", std::move(root)}};
  }
  if (x.op == NFT_EXTHDR_OP_DCCP) return {{"dccp option", {{"type", x.raw_type}}}};
  if (x.desc) root["name"] = x.desc->name;
  else root["name"] = nullptr;
  if (!exists) root["field"] = field;
  if (x.op == NFT_EXTHDR_OP_IPV4) return {{"ip option", std::move(root)}};
  if (x.op == NFT_EXTHDR_OP_SCTP) return {{"sctp chunk", std::move(root)}};
  return {{"exthdr", std::move(root)}};
}

Json JsonPrinter::ct(std::uint32_t key, int dir) {
  const sema::KeyTemplate* t = sema::ct_template(key);
  Json root = key_object(t ? t->token : "unknown");
  if (dir >= 0)
    if (const char* d = ct_dir_name(dir)) root["dir"] = d;
  return {{"ct", std::move(root)}};
}

Json JsonPrinter::expr(const Expr& e) {
  switch (e.kind) {
    case Kind::value: return value(e);
    case Kind::verdict: return verdict(e);
    case Kind::symbol: return std::get<sema::SymbolData>(e.data).text;
    case Kind::prefix: return {{"prefix", {{"addr", expr(*e.left)}, {"len", e.as<sema::PrefixData>().prefix_len}}}};
    case Kind::range: {
      auto saved = vals_;
      vals_.services = false;
      vals_.numeric_protocols = true;
      Json j = {{"range", Json::array({expr(*e.left), expr(*e.right)})}};
      vals_ = saved;
      return j;
    }
    case Kind::payload: return payload(e);
    case Kind::exthdr: return exthdr(e);
    case Kind::meta: {
      const sema::KeyTemplate* t = sema::meta_template(e.meta().key);
      return {{"meta", key_object(t ? t->token : "unknown")}};
    }
    case Kind::socket: {
      const sema::KeyTemplate* t = sema::socket_template(e.as<sema::SocketData>().key);
      return {{"socket", key_object(t ? t->token : "unknown")}};
    }
    case Kind::osf: {
      const auto& o = e.as<sema::OsfData>();
      Json root = key_object((o.flags & NFT_OSF_F_VERSION) ? "version" : "name");
      if (o.ttl == 1) root["ttl"] = "loose";
      else if (o.ttl == 2) root["ttl"] = "skip";
      return {{"osf", std::move(root)}};
    }
    case Kind::ct: return ct(e.ct().key, e.ct().direction);
    case Kind::concat: {
      Json a = Json::array();
      for (const Expr* i : e.items) a.push_back(expr(*i));
      return {{"concat", std::move(a)}};
    }
    case Kind::list: {
      Json a = Json::array();
      for (const Expr* i : e.items) a.push_back(expr(*i));
      return a;
    }
    case Kind::set: {
      Json a = Json::array();
      for (const Expr* i : e.items) a.push_back(expr(*i));
      return {{"set", std::move(a)}};
    }
    case Kind::set_ref: {
      const sema::Set* set = e.set_ref().set;
      if (sema::set_is_anonymous(set->flags) && set->init) return expr(*set->init);
      return "@" + set->name;
    }
    case Kind::set_elem:
      if (e.left->kind == Kind::mapping)
        return Json::array({set_elem(e, *e.left->left), expr(*e.left->right)});
      return set_elem(e, *e.left);
    case Kind::set_elem_catchall: return "*";
    case Kind::mapping: return Json::array({expr(*e.left), expr(*e.right)});
    case Kind::map: {
      const Expr* m = e.right;
      bool vmap = m->kind == Kind::set_ref && m->set_ref().set->data && m->set_ref().set->data->dtype &&
                  m->set_ref().set->data->dtype->type == sema::TYPE_VERDICT;
      Json j = Json::object();
      j[vmap ? "vmap" : "map"] = {{"key", expr(*e.left)}, {"data", expr(*m)}};
      return j;
    }
    case Kind::unary: return expr(*e.left);
    case Kind::binop: {
      Json j = Json::object();
      j[std::string(listing::op_text(e.op))] = binop(e.op, e);
      return j;
    }
    case Kind::relational: {
      bool saved = relational_;
      relational_ = true;
      std::string_view op = listing::op_text(e.op);
      Json j = {{"match", {{"op", op.empty() ? "in" : op}, {"left", expr(*e.left)}, {"right", expr(*e.right)}}}};
      relational_ = saved;
      return j;
    }
    case Kind::numgen: {
      const auto& n = e.as<sema::NumgenData>();
      const char* mode = n.type == NFT_NG_INCREMENTAL ? "inc" : n.type == NFT_NG_RANDOM ? "random" : "unknown";
      return {{"numgen", {{"mode", mode}, {"mod", n.mod}, {"offset", n.offset}}}};
    }
    case Kind::hash: {
      const auto& h = e.as<sema::HashData>();
      Json root = {{"mod", h.mod}};
      if (h.seed_set) root["seed"] = h.seed;
      if (h.offset) root["offset"] = h.offset;
      if (h.type != NFT_HASH_SYM && e.left) root["expr"] = expr(*e.left);
      Json j = Json::object();
      j[h.type == NFT_HASH_SYM ? "symhash" : "jhash"] = std::move(root);
      return j;
    }
    case Kind::rt: {
      std::uint32_t key = e.as<sema::RtData>().key;
      const sema::KeyTemplate* t = sema::rt_template(key);
      Json root = key_object(t ? t->token : "unknown");
      if (key == NFT_RT_NEXTHOP4) root["family"] = "ip";
      else if (key == NFT_RT_NEXTHOP6) root["family"] = "ip6";
      return {{"rt", std::move(root)}};
    }
    case Kind::tunnel: {
      const sema::KeyTemplate* t = sema::tunnel_template(e.as<sema::TunnelData>().key);
      return {{"tunnel", key_object(t ? t->token : "unknown")}};
    }
    case Kind::fib: {
      const auto& f = e.as<sema::FibData>();
      static const char* const names[] = {"saddr", "daddr", "mark", "iif", "oif"};
      std::uint32_t flags = f.flags & ~static_cast<std::uint32_t>(NFTA_FIB_F_PRESENT);
      const char* result = "unknown";
      if (f.result == NFT_FIB_RESULT_OIF) result = (!relational_ && (f.flags & NFTA_FIB_F_PRESENT)) ? "check" : "oif";
      else if (f.result == NFT_FIB_RESULT_OIFNAME) result = "oifname";
      else if (f.result == NFT_FIB_RESULT_ADDRTYPE) result = "type";
      Json root = {{"result", result}};
      if (flags) {
        Json a = Json::array();
        for (unsigned i = 0; i < std::size(names); ++i)
          if (flags & (1u << i)) {
            a.push_back(names[i]);
            flags &= ~(1u << i);
          }
        if (flags) a.push_back(flags);
        root["flags"] = std::move(a);
      }
      return {{"fib", std::move(root)}};
    }
    case Kind::xfrm: {
      const auto& x = e.as<sema::XfrmData>();
      if (x.direction > 1) return nullptr;
      const sema::KeyTemplate* t = sema::xfrm_template(x.key);
      Json root = key_object(t ? t->token : "unknown");
      if (x.key == NFT_XFRM_KEY_DADDR_IP4 || x.key == NFT_XFRM_KEY_SADDR_IP4) root["family"] = "ip";
      else if (x.key == NFT_XFRM_KEY_DADDR_IP6 || x.key == NFT_XFRM_KEY_SADDR_IP6) root["family"] = "ip6";
      root["dir"] = x.direction == 0 ? "in" : "out";
      root["spnum"] = x.spnum;
      return {{"ipsec", std::move(root)}};
    }
    default: {
      // nft prints what has no json form as text.
      nft_text::PrintOptions po;
      po.stateless = opts_.stateless;
      po.values = vals_;
      return nft_text::expr_text(e, po);
    }
  }
}

// ---------------------------------------------------------------------------
// Statements

Json JsonPrinter::stateless_stmts(const std::vector<Stmt*>& stmts) {
  bool saved = opts_.stateless;
  opts_.stateless = true;
  Json a = Json::array();
  for (const Stmt* s : stmts) a.push_back(stmt(*s));
  opts_.stateless = saved;
  return a;
}

Json JsonPrinter::stmt(const Stmt& s) {
  static const char* const set_ops[] = {"add", "update", "delete"};
  switch (s.type) {
    case StmtType::expression:
    case StmtType::verdict: return expr(*s.expr);
    case StmtType::counter:
      if (opts_.stateless) return {{"counter", nullptr}};
      return {{"counter",
               {{"packets", s.as<sema::CounterStmt>().packets}, {"bytes", s.as<sema::CounterStmt>().bytes}}}};
    case StmtType::last: {
      const auto& l = s.as<sema::LastStmt>();
      if (opts_.stateless || l.set == 0) return {{"last", nullptr}};
      return {{"last", {{"used", l.used}}}};
    }
    case StmtType::payload: {
      const auto& p = s.as<sema::PayloadStmt>();
      return {{"mangle", {{"key", expr(*p.expr)}, {"value", expr(*p.val)}}}};
    }
    case StmtType::exthdr: {
      const auto& x = s.as<sema::ExthdrStmt>();
      return {{"mangle", {{"key", expr(*x.expr)}, {"value", expr(*x.val)}}}};
    }
    case StmtType::meta: {
      const auto& m = s.as<sema::MetaStmt>();
      const sema::KeyTemplate* t = sema::meta_template(m.key);
      return {{"mangle", {{"key", {{"meta", key_object(t ? t->token : "unknown")}}}, {"value", expr(*m.expr)}}}};
    }
    case StmtType::ct: {
      const auto& c = s.as<sema::CtStmt>();
      return {{"mangle", {{"key", ct(c.key, c.direction)}, {"value", expr(*c.expr)}}}};
    }
    case StmtType::quota: {
      const auto& q = s.as<sema::QuotaStmt>();
      std::uint64_t bytes;
      std::string_view unit = data_rate(q.bytes, bytes);
      Json root = {{"val", bytes}, {"val_unit", unit}};
      if (q.flags & NFT_QUOTA_F_INV) root["inv"] = true;
      if (!opts_.stateless && q.used) {
        std::uint64_t used;
        std::string_view uunit = data_rate(q.used, used);
        root["used"] = used;
        root["used_unit"] = uunit;
      }
      return {{"quota", std::move(root)}};
    }
    case StmtType::limit: {
      const auto& l = s.as<sema::LimitStmt>();
      std::uint64_t rate = l.rate, burst = l.burst;
      std::string_view rate_unit, burst_unit;
      if (l.type == NFT_LIMIT_PKT_BYTES) {
        rate_unit = data_rate(l.rate, rate);
        burst_unit = data_rate(l.burst, burst);
      }
      Json root = {{"rate", rate}, {"burst", burst}, {"per", time_unit(l.unit)}};
      if (l.flags & NFT_LIMIT_F_INV) root["inv"] = true;
      if (!rate_unit.empty()) root["rate_unit"] = rate_unit;
      if (!burst_unit.empty()) root["burst_unit"] = burst_unit;
      return {{"limit", std::move(root)}};
    }
    case StmtType::fwd: {
      const auto& f = s.as<sema::FwdStmt>();
      Json root = Json::object();
      root["dev"] = f.dev ? expr(*f.dev) : Json(nullptr);
      if (f.addr) {
        root["family"] = family_name(f.family);
        root["addr"] = expr(*f.addr);
      }
      return {{"fwd", std::move(root)}};
    }
    case StmtType::notrack: return {{"notrack", nullptr}};
    case StmtType::dup: {
      const auto& d = s.as<sema::DupStmt>();
      if (d.to == nullptr) return {{"dup", nullptr}};
      Json root = {{"addr", expr(*d.to)}};
      if (d.dev) root["dev"] = expr(*d.dev);
      return {{"dup", std::move(root)}};
    }
    case StmtType::log: {
      const auto& l = s.as<sema::LogStmt>();
      static const char* const levels[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"};
      Json root = Json::object();
      if (l.flags & sema::kLogPrefix) root["prefix"] = l.prefix;
      if (l.flags & sema::kLogGroup) root["group"] = l.group;
      if (l.flags & sema::kLogSnaplen) root["snaplen"] = l.snaplen;
      if (l.flags & sema::kLogQthreshold) root["queue-threshold"] = l.qthreshold;
      if ((l.flags & sema::kLogLevel) && l.level != 4)
        root["level"] = l.level < std::size(levels) ? levels[l.level] : "unknown";
      Json flags = Json::array();
      if ((l.logflags & NF_LOG_MASK) == NF_LOG_MASK) {
        flags.push_back("all");
      } else {
        if (l.logflags & NF_LOG_TCPSEQ) flags.push_back("tcp sequence");
        if (l.logflags & NF_LOG_TCPOPT) flags.push_back("tcp options");
        if (l.logflags & NF_LOG_IPOPT) flags.push_back("ip options");
        if (l.logflags & NF_LOG_UID) flags.push_back("skuid");
        if (l.logflags & NF_LOG_MACDECODE) flags.push_back("ether");
      }
      if (!flags.empty()) root["flags"] = std::move(flags);
      if (root.empty()) return {{"log", nullptr}};
      return {{"log", std::move(root)}};
    }
    case StmtType::nat: {
      const auto& n = s.as<sema::NatStmt>();
      static const char* const types[] = {"snat", "dnat", "masquerade", "redirect"};
      Json root = Json::object();
      if (n.family == NFPROTO_IPV4 || n.family == NFPROTO_IPV6) root["family"] = family_name(n.family);
      if (n.addr) root["addr"] = expr(*n.addr);
      if (n.proto) root["port"] = expr(*n.proto);
      Json flags = Json::array();
      if (n.flags & NF_NAT_RANGE_PROTO_RANDOM) flags.push_back("random");
      if (n.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) flags.push_back("fully-random");
      if (n.flags & NF_NAT_RANGE_PERSISTENT) flags.push_back("persistent");
      if (n.flags & NF_NAT_RANGE_NETMAP) flags.push_back("netmap");
      if (!flags.empty()) root["flags"] = std::move(flags);
      if (n.type_flags & sema::kNatFlagPrefix) root["type_flags"] = Json::array({"prefix"});
      Json j = Json::object();
      j[types[n.type & 3]] = root.empty() ? Json(nullptr) : std::move(root);
      return j;
    }
    case StmtType::reject: {
      const auto& r = s.as<sema::RejectStmt>();
      const char* type = nullptr;
      Json jexpr;
      bool has_expr = false;
      switch (r.type) {
        case NFT_REJECT_TCP_RST: type = "tcp reset"; break;
        case NFT_REJECT_ICMPX_UNREACH:
          type = "icmpx";
          jexpr = expr(*r.expr);
          has_expr = true;
          break;
        case NFT_REJECT_ICMP_UNREACH:
          if (r.family == NFPROTO_IPV4 || r.family == NFPROTO_IPV6) {
            type = r.family == NFPROTO_IPV4 ? "icmp" : "icmpv6";
            jexpr = expr(*r.expr);
            has_expr = true;
          }
          break;
        default: break;
      }
      if (!type && !has_expr) return {{"reject", nullptr}};
      Json root = Json::object();
      if (type) root["type"] = type;
      if (has_expr) root["expr"] = std::move(jexpr);
      return {{"reject", std::move(root)}};
    }
    case StmtType::set: {
      const auto& st = s.as<sema::SetStmt>();
      Json root = {{"op", set_ops[st.op % 3]}, {"elem", expr(*st.key)},
                   {"set", "@" + st.set->set_ref().set->name}};
      if (!st.stmts.empty()) root["stmt"] = stateless_stmts(st.stmts);
      return {{"set", std::move(root)}};
    }
    case StmtType::map: {
      const auto& m = s.as<sema::MapStmt>();
      Json root = {{"op", set_ops[m.op % 3]},
                   {"elem", expr(*m.key)},
                   {"data", expr(*m.data)},
                   {"map", "@" + m.set->set_ref().set->name}};
      if (!m.stmts.empty()) root["stmt"] = stateless_stmts(m.stmts);
      return {{"map", std::move(root)}};
    }
    case StmtType::objref: {
      const auto& o = s.as<sema::ObjrefStmt>();
      static const char* const names[] = {"unknown",    "counter", "quota",   "ct helper", "limit",
                                          "unknown",    "tunnel",  "ct timeout", "secmark", "ct expectation",
                                          "synproxy"};
      const char* name = o.type < std::size(names) ? names[o.type] : "unknown";
      Json j = Json::object();
      j[name] = expr(*o.expr);
      return j;
    }
    case StmtType::meter: {
      const auto& m = s.as<sema::MeterStmt>();
      bool saved = opts_.stateless;
      opts_.stateless = true;
      Json inner = stmt(*m.stmt);
      opts_.stateless = saved;
      Json root = {{"key", expr(*m.key)}, {"stmt", std::move(inner)}, {"size", m.size}};
      if (m.set) root["name"] = m.set->set_ref().set->name;
      return {{"meter", std::move(root)}};
    }
    case StmtType::queue: {
      const auto& q = s.as<sema::QueueStmt>();
      Json root = Json::object();
      if (q.queue) root["num"] = expr(*q.queue);
      Json flags = Json::array();
      if (q.flags & NFT_QUEUE_FLAG_BYPASS) flags.push_back("bypass");
      if (q.flags & NFT_QUEUE_FLAG_CPU_FANOUT) flags.push_back("fanout");
      if (!flags.empty()) root["flags"] = std::move(flags);
      if (root.empty()) return {{"queue", nullptr}};
      return {{"queue", std::move(root)}};
    }
    case StmtType::connlimit: {
      const auto& c = s.as<sema::ConnlimitStmt>();
      Json root = {{"val", c.count}};
      if (c.flags & NFT_CONNLIMIT_F_INV) root["inv"] = true;
      return {{"ct count", std::move(root)}};
    }
    case StmtType::tproxy: {
      const auto& t = s.as<sema::TproxyStmt>();
      Json root = Json::object();
      if (t.table_family == NFPROTO_INET && t.family != NFPROTO_UNSPEC) root["family"] = family_name(t.family);
      if (t.addr) root["addr"] = expr(*t.addr);
      if (t.port) root["port"] = expr(*t.port);
      return {{"tproxy", std::move(root)}};
    }
    case StmtType::synproxy: {
      const auto& p = s.as<sema::SynproxyStmt>();
      Json root = Json::object();
      if (p.flags & NF_SYNPROXY_OPT_MSS) root["mss"] = p.mss;
      if (p.flags & NF_SYNPROXY_OPT_WSCALE) root["wscale"] = p.wscale;
      Json flags = Json::array();
      if (p.flags & NF_SYNPROXY_OPT_TIMESTAMP) flags.push_back("timestamp");
      if (p.flags & NF_SYNPROXY_OPT_SACK_PERM) flags.push_back("sack-perm");
      if (!flags.empty()) root["flags"] = std::move(flags);
      if (root.empty()) return {{"synproxy", nullptr}};
      return {{"synproxy", std::move(root)}};
    }
    case StmtType::optstrip: return {{"reset", expr(*s.as<sema::OptstripStmt>().expr)}};
    case StmtType::flow_offload:
      return {{"flow", {{"op", "add"}, {"flowtable", "@" + s.as<sema::FlowStmt>().table_name}}}};
    case StmtType::xt: return {{"xt", {{"type", "match"}, {"name", s.as<sema::XtStmt>().name}}}};
    default: {
      // nft prints what has no json form as text (chain bindings).
      nft_text::PrintOptions po;
      po.stateless = opts_.stateless;
      po.values = vals_;
      return nft_text::stmt_text(s, po);
    }
  }
}

Json expr_json(const sema::Expr& expr, const PrintOptions& opts) {
  JsonPrinter p(opts);
  return p.expr(expr);
}

Json stmt_json(const sema::Stmt& stmt, const PrintOptions& opts) {
  JsonPrinter p(opts);
  return p.stmt(stmt);
}

}  // namespace nftc::json_text
