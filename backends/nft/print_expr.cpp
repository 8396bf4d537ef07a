// Expressions and statements as nft prints them (expression.c,
// statement.c and the printers of payload.c, meta.c, ct.c, exthdr.c, …).
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>

#include <fmt/format.h>

#include "backends/nft/printer.hpp"
#include "compiler/listing/names.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::nft_text {

using listing::data_rate;
using listing::object_type_name;
using listing::time_unit;
using sema::Expr;
using sema::Kind;
using sema::Op;
using sema::Stmt;
using sema::StmtType;

namespace {

using sema::kNeverTimeout;

int precedence(Op op) {
  switch (op) {
    case Op::lshift:
    case Op::rshift: return 1;
    case Op::band: return 2;
    case Op::bxor: return 3;
    case Op::bor: return 4;
    default: return 0;
  }
}

bool must_print_eq_op(const Expr& e) {
  const sema::Datatype* base = e.right->dtype ? e.right->dtype->basetype : nullptr;
  if (base != nullptr && base->type == sema::TYPE_BITMASK && e.right->kind == Kind::value) return true;
  return e.left->kind == Kind::binop;
}

const char* ct_dir_name(int dir) {
  switch (dir) {
    case 0: return "original";
    case 1: return "reply";
    default: return nullptr;
  }
}

const char* log_level_name(std::uint32_t level) {
  static const char* const names[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit"};
  return level < std::size(names) ? names[level] : "unknown";
}

}  // namespace

void Printer::time(std::uint64_t ms) {
  if (vals_.numeric_time) out_ += fmt::format("{}s", ms / 1000);
  else out_ += sema::time_to_string(ms);
}

void Printer::ct_key(std::uint32_t key, int dir, std::uint8_t nfproto) {
  out_ += "ct ";
  if (dir >= 0) {
    if (const char* d = ct_dir_name(dir)) {
      out_ += d;
      out_ += ' ';
    }
    if (key == NFT_CT_SRC || key == NFT_CT_DST) {
      if (const sema::ProtoDesc* desc = sema::proto_find_upper(&sema::proto_inet, nfproto)) {
        out_ += desc->name;
        out_ += ' ';
      }
    }
  }
  const sema::KeyTemplate* t = sema::ct_template(key);
  out_ += t ? t->token : "unknown";
}

void Printer::meta_key(std::uint32_t key) {
  const sema::KeyTemplate* t = sema::meta_template(key);
  std::string_view token = t ? t->token : "unknown";
  if (!sema::meta_key_is_unqualified(key)) out_ += "meta ";
  out_ += token;
}

void Printer::binop_arg(const Expr& op, const Expr& arg) {
  bool paren = arg.kind == Kind::binop && precedence(op.op) != 0 && precedence(op.op) < precedence(arg.op);
  if (paren) out_ += '(';
  expr(arg);
  if (paren) out_ += ')';
}

const char* Printer::set_delim(const Expr& set, int& count) const {
  static const char* const newline = ",\n\t\t\t     ";
  static const char* const singleline = ", ";
  if (force_newline_) return newline;
  if (sema::set_is_anonymous(std::get<sema::SetExprData>(set.data).set_flags)) return singleline;
  if (set.dtype == nullptr) return newline;
  switch (set.dtype->type) {
    case sema::TYPE_NFPROTO:
    case sema::TYPE_INTEGER:
    case sema::TYPE_ARPOP:
    case sema::TYPE_INET_PROTOCOL:
    case sema::TYPE_INET_SERVICE:
    case sema::TYPE_TCP_FLAG:
    case sema::TYPE_DCCP_PKTTYPE:
    case sema::TYPE_MARK:
    case sema::TYPE_IFINDEX:
    case sema::TYPE_CLASSID:
    case sema::TYPE_UID:
    case sema::TYPE_GID:
    case sema::TYPE_CT_DIR:
      if (count < 5) return singleline;
      count = 0;
      break;
    case sema::TYPE_IPADDR:
    case sema::TYPE_CT_STATE:
    case sema::TYPE_CT_STATUS:
    case sema::TYPE_PKTTYPE:
      if (count < 2) return singleline;
      count = 0;
      break;
    default: break;
  }
  return newline;
}

void Printer::payload(const Expr& e) {
  const auto& p = e.payload();
  if (p.inner_desc && p.inner_desc != p.desc) {
    out_ += p.inner_desc->name;
    out_ += ' ';
  }
  bool known = p.desc && p.tmpl && p.desc != &sema::proto_unknown && p.tmpl != &sema::proto_unknown_template;
  if (known) out_ += fmt::format("{} {}", p.desc->name, p.tmpl->token);
  else out_ += fmt::format("@{},{},{}", sema::proto_base_token(p.base), p.offset, e.len);
}

void Printer::exthdr(const Expr& e) {
  const auto& x = e.exthdr();
  std::string_view name = x.desc ? x.desc->name : "unknown-exthdr";
  std::string_view token = x.tmpl ? x.tmpl->token : "unknown";
  bool present = x.flags & NFT_EXTHDR_F_PRESENT;
  switch (x.op) {
    case NFT_EXTHDR_OP_TCPOPT: {
      unsigned offset = x.offset / 64;
      if (x.desc == nullptr) {
        if (x.offset == 0 && present) out_ += fmt::format("tcp option {}", x.raw_type);
        else out_ += fmt::format("tcp option @{},{},{}", x.raw_type, x.offset, e.len);
        return;
      }
      out_ += fmt::format("tcp option {}", name);
      if (present) return;
      if (offset) out_ += std::to_string(offset);
      out_ += fmt::format(" {}", token);
      return;
    }
    case NFT_EXTHDR_OP_IPV4:
      out_ += fmt::format("ip option {}", name);
      if (!present) out_ += fmt::format(" {}", token);
      return;
    case NFT_EXTHDR_OP_SCTP:
      out_ += fmt::format("sctp chunk {}", name);
      if (!present) out_ += fmt::format(" {}", token);
      return;
    case NFT_EXTHDR_OP_DCCP: out_ += fmt::format("dccp option {}", x.raw_type); return;
    default:
      if (present) out_ += fmt::format("exthdr {}", name);
      else out_ += fmt::format("{} {}", name, token);
      return;
  }
}

void Printer::set_elem(const Expr& e) {
  const Expr* key = e.left;
  if (key->kind == Kind::mapping) expr(*key->left);
  else expr(*key);
  const sema::ElemData* ed = std::holds_alternative<sema::ElemData>(e.data) ? &e.elem() : nullptr;
  if (ed != nullptr) {
    for (const Stmt* s : ed->stmts) {
      out_ += ' ';
      stmt(*s);
    }
    if (ed->timeout) {
      out_ += " timeout ";
      if (ed->timeout == kNeverTimeout) out_ += "never";
      else time(ed->timeout);
    }
    if (!opts_.stateless && ed->timeout != kNeverTimeout && ed->expiration) {
      out_ += " expires ";
      time(ed->expiration);
    }
    if (ed->has_comment) out_ += fmt::format(" comment \"{}\"", ed->comment);
  }
  if (key->kind == Kind::mapping) {
    out_ += " : ";
    expr(*key->right);
  }
}

void Printer::value(const Expr& e) { sema::datatype_print(e, out_, vals_); }

void Printer::expr(const Expr& e) {
  switch (e.kind) {
    case Kind::value:
    case Kind::verdict: value(e); return;
    case Kind::symbol: out_ += std::get<sema::SymbolData>(e.data).text; return;
    case Kind::variable: out_ += "$" + std::get<sema::SymbolData>(e.data).text; return;
    case Kind::range_symbol: {
      const auto& s = std::get<sema::SymbolData>(e.data);
      out_ += s.text + "-" + s.high;
      return;
    }
    case Kind::range_value: {
      auto saved = vals_;
      vals_ = numeric(vals_);
      Expr low = e;
      low.kind = Kind::value;
      Expr high = e;
      high.kind = Kind::value;
      high.value = e.as<sema::RangeValueData>().high;
      value(low);
      out_ += '-';
      value(high);
      vals_ = saved;
      return;
    }
    case Kind::prefix:
      expr(*e.left);
      out_ += fmt::format("/{}", e.as<sema::PrefixData>().prefix_len);
      return;
    case Kind::range: {
      auto saved = vals_;
      vals_ = numeric(vals_);
      expr(*e.left);
      out_ += '-';
      expr(*e.right);
      vals_ = saved;
      return;
    }
    case Kind::payload: payload(e); return;
    case Kind::exthdr: exthdr(e); return;
    case Kind::meta: meta_key(e.meta().key); return;
    case Kind::socket: {
      const auto& s = e.as<sema::SocketData>();
      const sema::KeyTemplate* t = sema::socket_template(s.key);
      out_ += fmt::format("socket {}", t ? t->token : "unknown");
      if (s.key == NFT_SOCKET_CGROUPV2) out_ += fmt::format(" level {}", s.level);
      return;
    }
    case Kind::osf: {
      const auto& o = e.as<sema::OsfData>();
      const char* ttl = o.ttl == 1 ? "ttl loose " : o.ttl == 2 ? "ttl skip " : "";
      out_ += fmt::format("osf {}{}", ttl, (o.flags & NFT_OSF_F_VERSION) ? "version" : "name");
      return;
    }
    case Kind::ct: ct_key(e.ct().key, e.ct().direction, e.ct().nfproto); return;
    case Kind::concat: {
      const char* d = "";
      for (const Expr* i : e.items) {
        out_ += d;
        expr(*i);
        d = " . ";
      }
      return;
    }
    case Kind::list: {
      const char* d = "";
      for (const Expr* i : e.items) {
        out_ += d;
        expr(*i);
        d = ",";
      }
      return;
    }
    case Kind::set: {
      out_ += "{ ";
      const char* d = "";
      int count = 0;
      for (const Expr* i : e.items) {
        out_ += d;
        expr(*i);
        ++count;
        d = set_delim(e, count);
      }
      out_ += " }";
      return;
    }
    case Kind::set_ref: {
      const sema::Set* set = e.set_ref().set;
      bool meter = sema::set_is_anonymous(set->flags) && (set->flags & NFT_SET_EVAL);
      if (meter) out_ += set->name;
      else if (sema::set_is_anonymous(set->flags) && set->init) expr(*set->init);
      else out_ += "@" + set->name;
      return;
    }
    case Kind::set_elem: set_elem(e); return;
    case Kind::set_elem_catchall: out_ += '*'; return;
    case Kind::mapping:
      expr(*e.left);
      out_ += " : ";
      expr(*e.right);
      return;
    case Kind::map: {
      expr(*e.left);
      const Expr* m = e.right;
      bool vmap = false;
      if (m->kind == Kind::set_ref && m->set_ref().set->data && m->set_ref().set->data->dtype &&
          m->set_ref().set->data->dtype->type == sema::TYPE_VERDICT)
        vmap = true;
      if (m->kind == Kind::set && !m->items.empty()) {
        const Expr* first = m->items.front();
        const Expr* k = first->kind == Kind::set_elem ? first->left : first;
        vmap = k->kind == Kind::mapping && k->right->kind == Kind::verdict;
      }
      out_ += vmap ? " vmap " : " map ";
      expr(*m);
      return;
    }
    case Kind::unary: expr(*e.left); return;
    case Kind::binop:
    case Kind::relational: {
      binop_arg(e, *e.left);
      if (e.op != Op::implicit && !listing::op_text(e.op).empty() && (e.op != Op::eq || must_print_eq_op(e)))
        out_ += fmt::format(" {} ", listing::op_text(e.op));
      else out_ += ' ';
      binop_arg(e, *e.right);
      return;
    }
    case Kind::numgen: {
      const auto& n = e.as<sema::NumgenData>();
      const char* type = n.type == NFT_NG_INCREMENTAL ? "inc" : n.type == NFT_NG_RANDOM ? "random" : "[unknown numgen]";
      out_ += fmt::format("numgen {} mod {}", type, n.mod);
      if (n.offset) out_ += fmt::format(" offset {}", n.offset);
      return;
    }
    case Kind::hash: {
      const auto& h = e.as<sema::HashData>();
      if (h.type == NFT_HASH_SYM) {
        out_ += "symhash";
      } else {
        out_ += "jhash ";
        if (e.left) expr(*e.left);
      }
      out_ += fmt::format(" mod {}", h.mod);
      if (h.seed_set) out_ += fmt::format(" seed 0x{:x}", h.seed);
      if (h.offset) out_ += fmt::format(" offset {}", h.offset);
      return;
    }
    case Kind::rt: {
      std::uint32_t key = e.as<sema::RtData>().key;
      const char* ip = key == NFT_RT_NEXTHOP4 ? "ip " : key == NFT_RT_NEXTHOP6 ? "ip6 " : "";
      const sema::KeyTemplate* t = sema::rt_template(key);
      out_ += fmt::format("rt {}{}", ip, t ? t->token : "unknown");
      return;
    }
    case Kind::tunnel: {
      const sema::KeyTemplate* t = sema::tunnel_template(e.as<sema::TunnelData>().key);
      out_ += fmt::format("tunnel {}", t ? t->token : "unknown");
      return;
    }
    case Kind::fib: {
      const auto& f = e.as<sema::FibData>();
      std::uint32_t flags = f.flags & ~static_cast<std::uint32_t>(NFTA_FIB_F_PRESENT);
      out_ += "fib ";
      auto flag = [&](std::uint32_t bit, const char* name) {
        if (!(flags & bit)) return;
        out_ += name;
        flags &= ~bit;
        if (flags) out_ += " . ";
      };
      flag(NFTA_FIB_F_SADDR, "saddr");
      flag(NFTA_FIB_F_DADDR, "daddr");
      flag(NFTA_FIB_F_MARK, "mark");
      flag(NFTA_FIB_F_IIF, "iif");
      flag(NFTA_FIB_F_OIF, "oif");
      if (flags) out_ += fmt::format("0x{:x}", flags);
      const char* result = "unknown";
      if (f.result == NFT_FIB_RESULT_OIF) result = (f.flags & NFTA_FIB_F_PRESENT) ? "check" : "oif";
      else if (f.result == NFT_FIB_RESULT_OIFNAME) result = "oifname";
      else if (f.result == NFT_FIB_RESULT_ADDRTYPE) result = "type";
      out_ += fmt::format(" {}", result);
      return;
    }
    case Kind::xfrm: {
      const auto& x = e.as<sema::XfrmData>();
      if (x.direction == 0) out_ += "ipsec in";
      else if (x.direction == 1) out_ += "ipsec out";
      else out_ += fmt::format("ipsec (unknown dir {})", x.direction);
      if (x.spnum) out_ += fmt::format(" spnum {}", x.spnum);
      switch (x.key) {
        case NFT_XFRM_KEY_DADDR_IP4:
        case NFT_XFRM_KEY_SADDR_IP4: out_ += " ip"; break;
        case NFT_XFRM_KEY_DADDR_IP6:
        case NFT_XFRM_KEY_SADDR_IP6: out_ += " ip6"; break;
        case NFT_XFRM_KEY_REQID:
        case NFT_XFRM_KEY_SPI: break;
        default: out_ += fmt::format(" (unknown key 0x{:x})", x.key); return;
      }
      const sema::KeyTemplate* t = sema::xfrm_template(x.key);
      out_ += fmt::format(" {}", t ? t->token : "unknown");
      return;
    }
    case Kind::invalid: return;
  }
}

// ---------------------------------------------------------------------------
// Statements

void Printer::stateless_stmt(const Stmt& s) {
  bool saved = opts_.stateless;
  opts_.stateless = true;
  stmt(s);
  opts_.stateless = saved;
}

void Printer::nat(const sema::NatStmt& n) {
  static const char* const types[] = {"snat", "dnat", "masquerade", "redirect"};
  out_ += types[n.type & 3];
  if (n.addr || n.proto) {
    if (n.family == NFPROTO_IPV4) out_ += " ip";
    else if (n.family == NFPROTO_IPV6) out_ += " ip6";
    if (n.type_flags & sema::kNatFlagPrefix) out_ += " prefix";
    out_ += " to";
  }
  if (n.addr) {
    out_ += ' ';
    if (n.proto) {
      if (n.addr->kind == Kind::value && n.addr->dtype->type == sema::TYPE_IP6ADDR) {
        out_ += '[';
        expr(*n.addr);
        out_ += ']';
      } else if (n.addr->kind == Kind::range && n.addr->left->dtype->type == sema::TYPE_IP6ADDR) {
        out_ += '[';
        expr(*n.addr->left);
        out_ += "]-[";
        expr(*n.addr->right);
        out_ += ']';
      } else {
        expr(*n.addr);
      }
    } else {
      expr(*n.addr);
    }
  }
  if (n.proto) {
    if (!n.addr) out_ += ' ';
    out_ += ':';
    expr(*n.proto);
  }
  if (n.flags) {
    const char* delim = " ";
    if (n.flags & NF_NAT_RANGE_PROTO_RANDOM) out_ += delim, out_ += "random", delim = ",";
    if (n.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) out_ += delim, out_ += "fully-random", delim = ",";
    if (n.flags & NF_NAT_RANGE_PERSISTENT) out_ += delim, out_ += "persistent";
  }
}

void Printer::log(const sema::LogStmt& l) {
  out_ += "log";
  if (l.flags & sema::kLogPrefix) out_ += fmt::format(" prefix \"{}\"", l.prefix);
  if (l.flags & sema::kLogGroup) out_ += fmt::format(" group {}", l.group);
  if (l.flags & sema::kLogSnaplen) out_ += fmt::format(" snaplen {}", l.snaplen);
  if (l.flags & sema::kLogQthreshold) out_ += fmt::format(" queue-threshold {}", l.qthreshold);
  if ((l.flags & sema::kLogLevel) && l.level != 4) out_ += fmt::format(" level {}", log_level_name(l.level));
  if ((l.logflags & NF_LOG_MASK) == NF_LOG_MASK) {
    out_ += " flags all";
    return;
  }
  if (l.logflags & (NF_LOG_TCPSEQ | NF_LOG_TCPOPT)) {
    const char* delim = " ";
    out_ += " flags tcp";
    if (l.logflags & NF_LOG_TCPSEQ) {
      out_ += " sequence";
      delim = ",";
    }
    if (l.logflags & NF_LOG_TCPOPT) out_ += fmt::format("{}options", delim);
  }
  if (l.logflags & NF_LOG_IPOPT) out_ += " flags ip options";
  if (l.logflags & NF_LOG_UID) out_ += " flags skuid";
  if (l.logflags & NF_LOG_MACDECODE) out_ += " flags ether";
}

void Printer::reject(const sema::RejectStmt& r) {
  out_ += "reject";
  std::uint8_t code = static_cast<std::uint8_t>(r.icmp_code);
  switch (r.type) {
    case NFT_REJECT_TCP_RST: out_ += " with tcp reset"; break;
    case NFT_REJECT_ICMPX_UNREACH:
      if (code == NFT_REJECT_ICMPX_PORT_UNREACH) break;
      out_ += " with icmpx ";
      expr(*r.expr);
      break;
    case NFT_REJECT_ICMP_UNREACH:
      if (r.family == NFPROTO_IPV4) {
        if (!r.verbose_print && code == 3) break;  // ICMP_PORT_UNREACH
        out_ += " with icmp ";
        expr(*r.expr);
      } else if (r.family == NFPROTO_IPV6) {
        if (!r.verbose_print && code == 4) break;  // ICMP6_DST_UNREACH_NOPORT
        out_ += " with icmpv6 ";
        expr(*r.expr);
      }
      break;
    default: break;
  }
}

void Printer::stmt(const Stmt& s) {
  static const char* const set_ops[] = {"add", "update", "delete"};
  switch (s.type) {
    case StmtType::expression:
    case StmtType::verdict: expr(*s.expr); return;
    case StmtType::chain: {
      const auto& c = s.as<sema::ChainStmt>();
      out_ += c.expr->verdict().verdict == NFT_GOTO ? "goto {\n" : "jump {\n";
      for (const sema::Rule* r : c.chain->rules) {
        out_ += "\t\t\t";
        rule(*r);
        out_ += '\n';
      }
      out_ += "\t\t}";
      return;
    }
    case StmtType::meter: {
      const auto& m = s.as<sema::MeterStmt>();
      out_ += "meter ";
      if (m.set) {
        expr(*m.set);
        out_ += ' ';
      }
      out_ += fmt::format("size {} {{ ", m.size);
      expr(*m.key);
      out_ += ' ';
      stateless_stmt(*m.stmt);
      out_ += " }";
      return;
    }
    case StmtType::connlimit: {
      const auto& c = s.as<sema::ConnlimitStmt>();
      out_ += fmt::format("ct count {}{}", c.flags ? "over " : "", c.count);
      return;
    }
    case StmtType::counter: {
      out_ += "counter";
      if (!opts_.stateless) {
        const auto& c = s.as<sema::CounterStmt>();
        out_ += fmt::format(" packets {} bytes {}", c.packets, c.bytes);
      }
      return;
    }
    case StmtType::last: {
      out_ += "last";
      if (opts_.stateless) return;
      const auto& l = s.as<sema::LastStmt>();
      out_ += " used ";
      if (l.set) time(l.used);
      else out_ += "never";
      return;
    }
    case StmtType::objref: {
      const auto& o = s.as<sema::ObjrefStmt>();
      switch (o.type) {
        case NFT_OBJECT_CT_HELPER: out_ += "ct helper set "; break;
        case NFT_OBJECT_CT_TIMEOUT: out_ += "ct timeout set "; break;
        case NFT_OBJECT_CT_EXPECT: out_ += "ct expectation set "; break;
        case NFT_OBJECT_SECMARK: out_ += "meta secmark set "; break;
        default: out_ += fmt::format("{} name ", object_type_name(o.type)); break;
      }
      expr(*o.expr);
      return;
    }
    case StmtType::log: log(s.as<sema::LogStmt>()); return;
    case StmtType::limit: {
      const auto& l = s.as<sema::LimitStmt>();
      const char* inv = (l.flags & NFT_LIMIT_F_INV) ? "over " : "";
      if (l.type == NFT_LIMIT_PKTS) {
        out_ += fmt::format("limit rate {}{}/{} burst {} packets", inv, l.rate, time_unit(l.unit), l.burst);
      } else {
        std::uint64_t rate;
        std::string_view unit = data_rate(l.rate, rate);
        out_ += fmt::format("limit rate {}{} {}/{}", inv, rate, unit, time_unit(l.unit));
        if (l.burst != 0) {
          std::uint64_t burst;
          std::string_view bunit = data_rate(l.burst, burst);
          out_ += fmt::format(" burst {} {}", burst, bunit);
        }
      }
      return;
    }
    case StmtType::queue: {
      const auto& q = s.as<sema::QueueStmt>();
      const char* delim = " flags ";
      out_ += "queue";
      if (q.flags & NFT_QUEUE_FLAG_BYPASS) {
        out_ += delim;
        out_ += "bypass";
        delim = ",";
      }
      if (q.flags & NFT_QUEUE_FLAG_CPU_FANOUT) {
        out_ += delim;
        out_ += "fanout";
      }
      out_ += " to ";
      if (q.queue) expr(*q.queue);
      else out_ += '0';
      return;
    }
    case StmtType::quota: {
      const auto& q = s.as<sema::QuotaStmt>();
      std::uint64_t bytes;
      std::string_view unit = data_rate(q.bytes, bytes);
      out_ += fmt::format("quota {}{} {}", (q.flags & NFT_QUOTA_F_INV) ? "over " : "", bytes, unit);
      if (!opts_.stateless && q.used) {
        std::uint64_t used;
        std::string_view uunit = data_rate(q.used, used);
        out_ += fmt::format(" used {} {}", used, uunit);
      }
      return;
    }
    case StmtType::reject: reject(s.as<sema::RejectStmt>()); return;
    case StmtType::nat: nat(s.as<sema::NatStmt>()); return;
    case StmtType::set: {
      const auto& st = s.as<sema::SetStmt>();
      out_ += fmt::format("{} ", set_ops[st.op % 3]);
      expr(*st.set);
      out_ += " { ";
      expr(*st.key);
      for (const Stmt* x : st.stmts) {
        out_ += ' ';
        stateless_stmt(*x);
      }
      out_ += " }";
      return;
    }
    case StmtType::map: {
      const auto& m = s.as<sema::MapStmt>();
      out_ += fmt::format("{} ", set_ops[m.op % 3]);
      expr(*m.set);
      out_ += " { ";
      expr(*m.key);
      for (const Stmt* x : m.stmts) {
        out_ += ' ';
        stateless_stmt(*x);
      }
      out_ += " : ";
      expr(*m.data);
      out_ += " }";
      return;
    }
    case StmtType::dup: {
      const auto& d = s.as<sema::DupStmt>();
      out_ += "dup";
      if (d.to) {
        out_ += " to ";
        expr(*d.to);
        if (d.dev) {
          out_ += " device ";
          expr(*d.dev);
        }
      }
      return;
    }
    case StmtType::fwd: {
      const auto& f = s.as<sema::FwdStmt>();
      if (f.addr) {
        const char* fam = f.family == NFPROTO_IPV4 ? "ip" : f.family == NFPROTO_IPV6 ? "ip6" : "unknown";
        out_ += fmt::format("fwd {} to ", fam);
        expr(*f.addr);
        out_ += " device ";
        if (f.dev) expr(*f.dev);
      } else {
        out_ += "fwd to ";
        if (f.dev) expr(*f.dev);
      }
      return;
    }
    case StmtType::optstrip:
      out_ += "reset ";
      expr(*s.as<sema::OptstripStmt>().expr);
      return;
    case StmtType::tproxy: {
      const auto& t = s.as<sema::TproxyStmt>();
      out_ += "tproxy";
      if (t.table_family == NFPROTO_INET && t.family != NFPROTO_UNSPEC)
        out_ += t.family == NFPROTO_IPV4 ? " ip" : t.family == NFPROTO_IPV6 ? " ip6" : " unknown";
      out_ += " to";
      if (t.addr) {
        out_ += ' ';
        if (t.addr->kind == Kind::value && t.addr->dtype->type == sema::TYPE_IP6ADDR) {
          out_ += '[';
          expr(*t.addr);
          out_ += ']';
        } else {
          expr(*t.addr);
        }
      }
      if (t.port) {
        if (!t.addr) out_ += ' ';
        out_ += ':';
        expr(*t.port);
      }
      return;
    }
    case StmtType::synproxy: {
      const auto& p = s.as<sema::SynproxyStmt>();
      const char* ts = (p.flags & NF_SYNPROXY_OPT_TIMESTAMP) ? " timestamp" : "";
      const char* sack = (p.flags & NF_SYNPROXY_OPT_SACK_PERM) ? " sack-perm" : "";
      if (p.flags & (NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE))
        out_ += fmt::format("synproxy mss {} wscale {}{}{}", p.mss, p.wscale, ts, sack);
      else if (p.flags & NF_SYNPROXY_OPT_MSS) out_ += fmt::format("synproxy mss {}{}{}", p.mss, ts, sack);
      else if (p.flags & NF_SYNPROXY_OPT_WSCALE) out_ += fmt::format("synproxy wscale {}{}{}", p.wscale, ts, sack);
      else out_ += fmt::format("synproxy{}{}", ts, sack);
      return;
    }
    case StmtType::payload: {
      const auto& p = s.as<sema::PayloadStmt>();
      expr(*p.expr);
      out_ += " set ";
      expr(*p.val);
      return;
    }
    case StmtType::exthdr: {
      const auto& x = s.as<sema::ExthdrStmt>();
      expr(*x.expr);
      out_ += " set ";
      expr(*x.val);
      return;
    }
    case StmtType::meta: {
      const auto& m = s.as<sema::MetaStmt>();
      meta_key(m.key);
      out_ += " set ";
      expr(*m.expr);
      return;
    }
    case StmtType::ct: {
      const auto& c = s.as<sema::CtStmt>();
      ct_key(c.key, c.direction, 0);
      out_ += " set ";
      expr(*c.expr);
      return;
    }
    case StmtType::notrack: out_ += "notrack"; return;
    case StmtType::flow_offload: out_ += fmt::format("flow add @{}", s.as<sema::FlowStmt>().table_name); return;
    case StmtType::xt: out_ += fmt::format("xt {}", s.as<sema::XtStmt>().name); return;
    case StmtType::invalid: return;
  }
}

void Printer::rule(const sema::Rule& r) {
  const char* sep = "";
  for (const Stmt* s : r.stmts) {
    out_ += sep;
    stmt(*s);
    sep = " ";
  }
  if (r.has_comment) out_ += fmt::format(" comment \"{}\"", r.comment);
}

std::string rule_text(const sema::Rule& rule, const PrintOptions& opts) {
  Printer p(opts);
  p.rule(rule);
  return p.take();
}

std::string stmt_text(const sema::Stmt& stmt, const PrintOptions& opts) {
  Printer p(opts);
  p.stmt(stmt);
  return p.take();
}

std::string expr_text(const sema::Expr& expr, const PrintOptions& opts) {
  Printer p(opts);
  p.expr(expr);
  return p.take();
}

}  // namespace nftc::nft_text
