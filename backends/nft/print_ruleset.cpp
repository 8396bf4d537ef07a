// Tables and what they hold, as `nft list ruleset` prints them (rule.c):
// objects, then named sets and maps, flowtables and chains, each in the
// order the kernel keeps them, separated by blank lines.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter_bridge.h>

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>

#include "backends/nft/printer.hpp"
#include "compiler/listing/names.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::nft_text {

using listing::data_rate;
using listing::family_name;
using listing::hook_name;
using listing::object_type_name;
using listing::time_unit;
using sema::Expr;
using sema::Family;

namespace {

struct PrioTag {
  int value;
  const char* name;
};
constexpr PrioTag kStdPrios[] = {{-300, "raw"},     {-150, "mangle"},  {-100, "dstnat"},
                                 {0, "filter"},     {50, "security"},  {100, "srcnat"}};
constexpr PrioTag kBridgePrios[] = {{-300, "dstnat"}, {-200, "filter"}, {100, "out"}, {300, "srcnat"}};

// nft's std_prio_family_hook_compat.
bool prio_compat(int prio, Family family, std::uint32_t hook) {
  if (family == Family::bridge) {
    switch (prio) {
      case -300: return hook == NF_BR_PRE_ROUTING;
      case -200: return true;
      case 100: return hook == NF_BR_LOCAL_OUT;
      case 300: return hook == NF_BR_POST_ROUTING;
      default: return false;
    }
  }
  bool ip_like = family == Family::inet || family == Family::ip || family == Family::ip6;
  switch (prio) {
    case 0: return ip_like || family == Family::arp || family == Family::netdev;
    case -300:
    case -150:
    case 50: return ip_like;
    case -100: return ip_like && (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_OUT);
    case 100: return ip_like && (hook == NF_INET_LOCAL_IN || hook == NF_INET_POST_ROUTING);
    default: return false;
  }
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("\"{}\"", items[i]);
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string proto_name(std::uint8_t l4) {
  std::string_view n = sema::protocol_name(l4);
  return n.empty() ? std::to_string(l4) : std::string(n);
}

}  // namespace

std::string Printer::priority(Family family, std::uint32_t hook, std::int32_t prio) const {
  if (!opts_.numeric_priority) {
    const PrioTag* tags = family == Family::bridge ? kBridgePrios : kStdPrios;
    std::size_t n = family == Family::bridge ? std::size(kBridgePrios) : std::size(kStdPrios);
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t offset = static_cast<std::int64_t>(prio) - tags[i].value;
      if (std::llabs(offset) > 10) continue;
      if (!prio_compat(tags[i].value, family, hook)) break;
      std::string s = tags[i].name;
      if (offset > 0) s += fmt::format(" + {}", offset);
      else if (offset < 0) s += fmt::format(" - {}", -offset);
      return s;
    }
  }
  return std::to_string(prio);
}

void Printer::set_key(const Expr& e) {
  if (e.dtype->size || e.dtype->type == sema::TYPE_VERDICT) out_ += e.dtype->name;
  else expr(e);
}

void Printer::set(const sema::Set& s) {
  const char* type = sema::set_is_anonymous(s.flags) && (s.flags & NFT_SET_EVAL) ? "meter"
                     : sema::set_is_map(s.flags)                                  ? "map"
                                                                                   : "set";
  out_ += fmt::format("\t{} {} {{\n\t\t", type, s.name);
  out_ += s.key_typeof ? "typeof " : "type ";
  if (s.key_typeof) expr(*s.key);
  else set_key(*s.key);
  if (sema::set_is_datamap(s.flags) && s.data) {
    out_ += " : ";
    if (s.data->flags & sema::kExprInterval) out_ += "interval ";
    if (s.key_typeof) expr(*s.data);
    else set_key(*s.data);
  } else if (sema::set_is_objmap(s.flags)) {
    out_ += fmt::format(" : {}", object_type_name(s.objtype));
  }
  out_ += '\n';
  if (!(s.flags & NFT_SET_CONSTANT)) {
    if (s.has_policy && s.policy != NFT_SET_POL_PERFORMANCE)
      out_ += fmt::format("\t\tpolicy {}\n", s.policy == NFT_SET_POL_MEMORY ? "memory" : "unknown");
    if (s.size > 0) {
      out_ += fmt::format("\t\tsize {}", s.size);
      if (s.count > 0) out_ += fmt::format("\t# count {}", s.count);
      out_ += '\n';
    }
  }
  std::uint32_t flags = s.flags;
  if (s.timeout) flags &= ~static_cast<std::uint32_t>(NFT_SET_TIMEOUT);
  if (flags & (NFT_SET_CONSTANT | NFT_SET_INTERVAL | NFT_SET_TIMEOUT | NFT_SET_EVAL)) {
    const char* delim = "";
    out_ += "\t\tflags ";
    if (s.flags & NFT_SET_CONSTANT) out_ += delim, out_ += "constant", delim = ",";
    if (s.flags & NFT_SET_EVAL) out_ += delim, out_ += "dynamic", delim = ",";
    if (s.flags & NFT_SET_INTERVAL) out_ += delim, out_ += "interval", delim = ",";
    if (s.flags & NFT_SET_TIMEOUT) out_ += delim, out_ += "timeout";
    out_ += '\n';
  }
  if (!s.stmts.empty()) {
    out_ += "\t\t";
    const char* sep = "";
    for (const sema::Stmt* st : s.stmts) {
      out_ += sep;
      stateless_stmt(*st);
      sep = " ";
    }
    out_ += '\n';
  }
  if (s.automerge) out_ += "\t\tauto-merge\n";
  if (s.timeout) {
    out_ += "\t\ttimeout ";
    time(s.timeout);
    out_ += '\n';
  }
  if (s.gc_int) {
    out_ += "\t\tgc-interval ";
    time(s.gc_int);
    out_ += '\n';
  }
  if (!s.comment.empty()) out_ += fmt::format("\t\tcomment \"{}\"\n", s.comment);
  if (s.init != nullptr && !s.init->items.empty()) {
    out_ += "\t\telements = ";
    bool elem_comment = false;
    for (const Expr* i : s.init->items)
      if (i->kind == sema::Kind::set_elem && i->elem().has_comment) elem_comment = true;
    if (s.timeout || elem_comment ||
        (s.flags & (NFT_SET_MAP | NFT_SET_OBJECT | NFT_SET_TIMEOUT | NFT_SET_CONCAT)) || !s.stmts.empty())
      force_newline_ = true;
    expr(*s.init);
    force_newline_ = false;
    out_ += '\n';
  }
  out_ += "\t}\n";
}

void Printer::chain(const sema::Chain& c) {
  out_ += fmt::format("\tchain {} {{\n", c.name);
  if (!c.comment.empty()) {
    out_.pop_back();
    out_ += fmt::format("\n\t\tcomment \"{}\"\n", c.comment);
  }
  if (c.base) {
    out_ += fmt::format("\t\ttype {} hook {}", c.type, hook_name(c.family, c.hooknum));
    std::vector<std::string> devices = sorted(c.devices);
    if (devices.size() == 1) out_ += fmt::format(" device \"{}\"", devices[0]);
    else if (devices.size() > 1) out_ += fmt::format(" devices = {{ {} }}", quoted_list(devices));
    out_ += fmt::format(" priority {};", priority(c.family, c.hooknum, c.priority));
    out_ += fmt::format(" policy {};", c.policy.value_or(NF_ACCEPT) == NF_DROP ? "drop" : "accept");
    if (c.flags & NFT_CHAIN_HW_OFFLOAD) out_ += " flags offload;";
    out_ += '\n';
  }
  for (const sema::Rule* r : c.rules) {
    out_ += "\t\t";
    rule(*r);
    out_ += '\n';
  }
  out_ += "\t}\n";
}

void Printer::flowtable(const sema::Flowtable& f) {
  out_ += fmt::format("\tflowtable {} {{\n", f.name);
  if (f.has_hook)
    out_ += fmt::format("\t\thook {} priority {}\n", hook_name(Family::netdev, f.hooknum),
                        priority(Family::netdev, f.hooknum, f.priority));
  if (!f.devices.empty()) out_ += fmt::format("\t\tdevices = {{ {} }}\n", quoted_list(sorted(f.devices)));
  if (f.flags & NFT_FLOWTABLE_HW_OFFLOAD) out_ += "\t\tflags offload\n";
  if (f.flags & NFT_FLOWTABLE_COUNTER) out_ += "\t\tcounter\n";
  out_ += "\t}\n";
}

void Printer::object(const sema::Object& o) {
  out_ += fmt::format("\t{} {} {{", object_type_name(o.type), o.name);
  auto comment = [&] {
    if (!o.comment.empty()) out_ += fmt::format("\n\t\tcomment \"{}\"", o.comment);
  };
  switch (o.type) {
    case NFT_OBJECT_COUNTER:
      comment();
      if (opts_.stateless) out_ += '\n';
      else out_ += fmt::format("\n\t\tpackets {} bytes {}\n", o.counter.packets, o.counter.bytes);
      break;
    case NFT_OBJECT_QUOTA: {
      comment();
      std::uint64_t bytes;
      std::string_view unit = data_rate(o.quota.bytes, bytes);
      out_ += fmt::format("\n\t\t{}{} {}", (o.quota.flags & NFT_QUOTA_F_INV) ? "over " : "", bytes, unit);
      if (!opts_.stateless && o.quota.used) {
        std::uint64_t used;
        std::string_view uunit = data_rate(o.quota.used, used);
        out_ += fmt::format(" used {} {}", used, uunit);
      }
      out_ += '\n';
      break;
    }
    case NFT_OBJECT_SECMARK:
      comment();
      out_ += fmt::format("\n\t\t\"{}\"\n", o.secmark_ctx);
      break;
    case NFT_OBJECT_CT_HELPER:
      comment();
      out_ += fmt::format("\n\t\ttype \"{}\" protocol {}\n", o.helper.name, proto_name(o.helper.l4proto));
      out_ += fmt::format("\t\tl3proto {}\n", family_name(o.helper.l3proto));
      break;
    case NFT_OBJECT_CT_TIMEOUT: {
      comment();
      out_ += fmt::format("\n\t\tprotocol {}\n", proto_name(o.timeout.l4proto));
      out_ += fmt::format("\t\tl3proto {}\n", family_name(o.timeout.l3proto));
      out_ += "\t\tpolicy = { ";
      auto states = sema::timeout_states(o.timeout.l4proto);
      bool comma = false;
      for (std::size_t i = 0; i < states.size() && i < o.timeout.values.size(); ++i) {
        if (o.timeout.values[i] == states[i].dflt) continue;
        if (comma) out_ += ", ";
        out_ += fmt::format("{} : ", states[i].name);
        time(std::uint64_t{o.timeout.values[i]} * 1000);
        comma = true;
      }
      out_ += " }\n";
      break;
    }
    case NFT_OBJECT_CT_EXPECT:
      comment();
      out_ += fmt::format("\n\t\tprotocol {}\n", proto_name(o.expect.l4proto));
      out_ += fmt::format("\t\tdport {}\n", o.expect.dport);
      out_ += "\t\ttimeout ";
      time(o.expect.timeout);
      out_ += fmt::format("\n\t\tsize {}\n", o.expect.size);
      out_ += fmt::format("\t\tl3proto {}\n", family_name(o.expect.l3proto));
      break;
    case NFT_OBJECT_LIMIT: {
      comment();
      const char* inv = (o.limit.flags & NFT_LIMIT_F_INV) ? "over " : "";
      out_ += "\n\t\t";
      if (o.limit.type == NFT_LIMIT_PKTS) {
        out_ += fmt::format("rate {}{}/{}", inv, o.limit.rate, time_unit(o.limit.unit));
        if (o.limit.burst > 0 && o.limit.burst != 5) out_ += fmt::format(" burst {} packets", o.limit.burst);
      } else {
        std::uint64_t rate;
        std::string_view unit = data_rate(o.limit.rate, rate);
        out_ += fmt::format("rate {}{} {}/{}", inv, rate, unit, time_unit(o.limit.unit));
        if (o.limit.burst > 0) {
          std::uint64_t burst;
          std::string_view bunit = data_rate(o.limit.burst, burst);
          out_ += fmt::format(" burst {} {}", burst, bunit);
        }
      }
      out_ += '\n';
      break;
    }
    case NFT_OBJECT_SYNPROXY: {
      comment();
      std::uint32_t flags = o.synproxy.flags;
      if (flags & NF_SYNPROXY_OPT_MSS) out_ += fmt::format("\n\t\tmss {}", o.synproxy.mss);
      if (flags & NF_SYNPROXY_OPT_WSCALE) out_ += fmt::format("\n\t\twscale {}", o.synproxy.wscale);
      if (flags & (NF_SYNPROXY_OPT_TIMESTAMP | NF_SYNPROXY_OPT_SACK_PERM))
        out_ += fmt::format("\n\t\t{} {}", (flags & NF_SYNPROXY_OPT_TIMESTAMP) ? "timestamp" : "",
                            (flags & NF_SYNPROXY_OPT_SACK_PERM) ? "sack-perm" : "");
      out_ += '\n';
      break;
    }
    case NFT_OBJECT_TUNNEL: {
      const auto& t = o.tunnel;
      comment();
      out_ += fmt::format("\n\t\tid {}", t.id);
      auto addr = [&](const Expr* a, const char* what) {
        if (a == nullptr) return;
        if (a->len == 32) out_ += fmt::format("\n\t\tip {} ", what);
        else if (a->len == 128) out_ += fmt::format("\n\t\tip6 {} ", what);
        else return;
        expr(*a);
      };
      addr(t.src, "saddr");
      addr(t.dst, "daddr");
      if (t.sport) out_ += fmt::format("\n\t\tsport {}", t.sport);
      if (t.dport) out_ += fmt::format("\n\t\tdport {}", t.dport);
      if (t.tos) out_ += fmt::format("\n\t\ttos {}", t.tos);
      if (t.ttl) out_ += fmt::format("\n\t\tttl {}", t.ttl);
      using Type = decltype(t.type);
      if (t.type == Type::erspan) {
        out_ += fmt::format("\n\t\terspan {{\n\t\t\tversion {}", t.erspan.version);
        if (t.erspan.version == 1) out_ += fmt::format("\n\t\t\tindex {}", t.erspan.index);
        else
          out_ += fmt::format("\n\t\t\tdirection {}\n\t\t\tid {}", t.erspan.direction ? "egress" : "ingress",
                              t.erspan.hwid);
        out_ += "\n\t\t}";
      } else if (t.type == Type::vxlan) {
        out_ += fmt::format("\n\t\tvxlan {{\n\t\t\tgbp {}\n\t\t}}", t.vxlan_gbp);
      } else if (t.type == Type::geneve) {
        out_ += "\n\t\tgeneve {";
        for (const auto& g : t.geneve) {
          std::string data;
          for (std::uint8_t b : g.data) data += fmt::format("{:x}", b);
          out_ += fmt::format("\n\t\t\tclass 0x{:x} opt-type 0x{:x} data \"0x{}\"", g.cls, g.type, data);
        }
        out_ += "\n\t\t}";
      }
      out_ += '\n';
      break;
    }
    default: out_ += " unknown {\n"; break;
  }
  out_ += "\t}\n";
}

void Printer::table(const sema::Table& t) {
  out_ += fmt::format("table {} {} {{", family_name(t.family), t.name);
  if (t.flags & NFT_TABLE_F_OWNER) out_ += " # progname nft";
  out_ += '\n';
  const char* delim = "";
  if (t.flags) {
    static const char* const names[] = {"dormant", "owner", "persist"};
    out_ += "\tflags ";
    bool comma = false;
    for (unsigned i = 0; i < std::size(names); ++i) {
      if (!(t.flags & (1u << i))) continue;
      if (comma) out_ += ',';
      out_ += names[i];
      comma = true;
    }
    out_ += '\n';
    delim = "\n";
  }
  if (!t.comment.empty()) out_ += fmt::format("\tcomment \"{}\"\n", t.comment);
  for (const sema::Object* o : t.objects) {
    out_ += delim;
    object(*o);
    delim = "\n";
  }
  for (const sema::Set* s : t.sets) {
    if (sema::set_is_anonymous(s->flags)) continue;
    out_ += delim;
    set(*s);
    delim = "\n";
  }
  for (const sema::Flowtable* f : t.flowtables) {
    out_ += delim;
    flowtable(*f);
    delim = "\n";
  }
  for (const sema::Chain* c : t.chains) {
    if (c->anonymous || (c->flags & NFT_CHAIN_BINDING)) continue;
    out_ += delim;
    chain(*c);
    delim = "\n";
  }
  out_ += "}\n";
}

std::string table_text(const sema::Table& table, const PrintOptions& opts) {
  Printer p(opts);
  p.table(table);
  return p.take();
}

std::string ruleset_text(const sema::Ruleset& ruleset, const PrintOptions& opts) {
  Printer p(opts);
  for (const sema::Table* t : ruleset.tables) p.table(*t);
  return p.take();
}

}  // namespace nftc::nft_text

namespace nftc::nft_text {

std::string emit_nft(const sema::Analysis& analysis, DiagnosticSink& sink, const PrintOptions& opts) {
  std::unique_ptr<listing::Listing> l = listing::list_ruleset(analysis, sink);
  return ruleset_text(l->ruleset, opts);
}

}  // namespace nftc::nft_text
