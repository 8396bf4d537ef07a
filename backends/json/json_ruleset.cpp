// Tables, chains, sets, objects, flowtables and rules as nft's json.c lists
// them, and the text layout jansson gives them.
#include "compiler/bytecode.hpp"  // first: orders the socket and netfilter headers
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <fmt/format.h>

#include "backends/json/json_printer.hpp"
#include "compiler/listing/names.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/proto.hpp"

namespace nftc::json_text {

using listing::data_rate;
using listing::family_name;
using listing::hook_name;
using listing::object_type_name;
using listing::time_unit;
using sema::Family;

namespace {

Json proto_name(std::uint8_t l4) {
  std::string_view n = sema::protocol_name(l4);
  if (n.empty()) return l4;
  return std::string(n);
}

// A list of names: one name alone, else an array (nft's devices).
Json names_json(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  if (names.size() == 1) return names.front();
  Json a = Json::array();
  for (std::string& n : names) a.push_back(std::move(n));
  return a;
}

// nft's set_dtype_json: the type's name, split at " . " into an array.
Json dtype_json(const sema::Datatype* d) {
  std::vector<std::string> parts;
  std::string cur;
  for (char ch : d->name) {
    if (ch == ' ' || ch == '.') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  if (parts.size() == 1) return parts.front();
  Json a = Json::array();
  for (std::string& p : parts) a.push_back(std::move(p));
  return a;
}

class RulesetPrinter {
 public:
  RulesetPrinter(const listing::Listing& l, const PrintOptions& opts) : l_(l), opts_(opts), p_(opts) {}

  Json table(const sema::Table& t) {
    Json root = {{"family", family_name(t.family)}, {"name", t.name}, {"handle", l_.handle_of(&t)}};
    if (t.flags) {
      static const char* const names[] = {"dormant", "owner", "persist"};
      Json a = Json::array();
      for (unsigned i = 0; i < 32; ++i)
        if (t.flags & (1u << i)) a.push_back(i < std::size(names) ? names[i] : "unknown");
      root["flags"] = std::move(a);
    }
    if (!t.comment.empty()) root["comment"] = t.comment;
    return {{"table", std::move(root)}};
  }

  Json chain(const sema::Chain& c) {
    Json root = {{"family", family_name(c.family)}, {"table", c.table}, {"name", c.name}, {"handle", l_.handle_of(&c)}};
    if (!c.comment.empty()) root["comment"] = c.comment;
    if (c.base) {
      if (!c.devices.empty()) root["dev"] = names_json(c.devices);
      root["type"] = c.type;
      root["hook"] = hook_name(c.family, c.hooknum);
      root["prio"] = c.priority;
      root["policy"] = c.policy.value_or(NF_ACCEPT) == NF_DROP ? "drop" : "accept";
    }
    return {{"chain", std::move(root)}};
  }

  Json set(const sema::Set& s) {
    const char* type = "set";
    Json ext;
    bool has_ext = false;
    if (sema::set_is_datamap(s.flags) && s.data) {
      type = "map";
      ext = dtype_json(s.data->dtype);
      has_ext = true;
    } else if (sema::set_is_objmap(s.flags)) {
      type = "map";
      ext = object_type_name(s.objtype);
      has_ext = true;
    } else if (sema::set_is_anonymous(s.flags) && (s.flags & NFT_SET_EVAL)) {
      type = "meter";
    }
    Json root = {{"family", family_name(s.family)}, {"name", s.name}, {"table", s.table}};
    root["type"] = s.key_typeof ? Json{{"typeof", p_.expr(*s.key)}} : dtype_json(s.key->dtype);
    root["handle"] = l_.handle_of(&s);
    if (!s.comment.empty()) root["comment"] = s.comment;
    if (has_ext) root["map"] = std::move(ext);
    if (!(s.flags & NFT_SET_CONSTANT)) {
      if (s.has_policy && s.policy != NFT_SET_POL_PERFORMANCE)
        root["policy"] = s.policy == NFT_SET_POL_MEMORY ? "memory" : "unknown";
      if (s.size) root["size"] = s.size;
    }
    Json flags = Json::array();
    if (s.flags & NFT_SET_CONSTANT) flags.push_back("constant");
    if (s.flags & NFT_SET_INTERVAL) flags.push_back("interval");
    if (s.flags & NFT_SET_TIMEOUT) flags.push_back("timeout");
    if (s.flags & NFT_SET_EVAL) flags.push_back("dynamic");
    if (!flags.empty()) root["flags"] = std::move(flags);
    if (s.timeout) root["timeout"] = s.timeout / 1000;
    if (s.gc_int) root["gc-interval"] = s.gc_int / 1000;
    if (s.automerge) root["auto-merge"] = true;
    if (s.init && !s.init->items.empty()) {
      Json elems = Json::array();
      for (const sema::Expr* i : s.init->items) elems.push_back(p_.expr(*i));
      root["elem"] = std::move(elems);
    }
    if (!s.stmts.empty()) {
      PrintOptions o = opts_;
      o.stateless = true;
      Json a = Json::array();
      for (const sema::Stmt* st : s.stmts) a.push_back(stmt_json(*st, o));
      root["stmt"] = std::move(a);
    }
    Json j = Json::object();
    j[type] = std::move(root);
    return j;
  }

  Json object(const sema::Object& o) {
    Json root = {{"family", family_name(o.family)}, {"name", o.name}, {"table", o.table},
                 {"handle", l_.handle_of(&o)}};
    if (!o.comment.empty()) root["comment"] = o.comment;
    switch (o.type) {
      case NFT_OBJECT_COUNTER:
        root["packets"] = o.counter.packets;
        root["bytes"] = o.counter.bytes;
        break;
      case NFT_OBJECT_QUOTA:
        root["bytes"] = o.quota.bytes;
        root["used"] = o.quota.used;
        root["inv"] = (o.quota.flags & NFT_QUOTA_F_INV) != 0;
        break;
      case NFT_OBJECT_SECMARK: root["context"] = o.secmark_ctx; break;
      case NFT_OBJECT_CT_HELPER:
        root["type"] = o.helper.name;
        root["protocol"] = proto_name(o.helper.l4proto);
        root["l3proto"] = family_name(o.helper.l3proto);
        break;
      case NFT_OBJECT_CT_TIMEOUT: {
        root["protocol"] = proto_name(o.timeout.l4proto);
        root["l3proto"] = family_name(o.timeout.l3proto);
        Json policy = Json::object();
        auto states = sema::timeout_states(o.timeout.l4proto);
        for (std::size_t i = 0; i < states.size() && i < o.timeout.values.size(); ++i)
          if (o.timeout.values[i] != states[i].dflt) policy[std::string(states[i].name)] = o.timeout.values[i];
        root["policy"] = policy.empty() ? Json(nullptr) : std::move(policy);
        break;
      }
      case NFT_OBJECT_CT_EXPECT:
        root["protocol"] = proto_name(o.expect.l4proto);
        root["dport"] = o.expect.dport;
        root["timeout"] = o.expect.timeout;
        root["size"] = o.expect.size;
        root["l3proto"] = family_name(o.expect.l3proto);
        break;
      case NFT_OBJECT_LIMIT: {
        std::uint64_t rate = o.limit.rate, burst = o.limit.burst;
        std::string_view rate_unit, burst_unit;
        if (o.limit.type == NFT_LIMIT_PKT_BYTES) {
          rate_unit = data_rate(o.limit.rate, rate);
          burst_unit = data_rate(o.limit.burst, burst);
        }
        root["rate"] = rate;
        root["per"] = time_unit(o.limit.unit);
        if (o.limit.flags & NFT_LIMIT_F_INV) root["inv"] = true;
        if (!rate_unit.empty()) root["rate_unit"] = rate_unit;
        if (burst) {
          root["burst"] = burst;
          if (!burst_unit.empty()) root["burst_unit"] = burst_unit;
        }
        break;
      }
      case NFT_OBJECT_SYNPROXY: {
        root["mss"] = o.synproxy.mss;
        root["wscale"] = o.synproxy.wscale;
        Json flags = Json::array();
        if (o.synproxy.flags & NF_SYNPROXY_OPT_TIMESTAMP) flags.push_back("timestamp");
        if (o.synproxy.flags & NF_SYNPROXY_OPT_SACK_PERM) flags.push_back("sack-perm");
        if (!flags.empty()) root["flags"] = std::move(flags);
        break;
      }
      case NFT_OBJECT_TUNNEL: {
        const auto& t = o.tunnel;
        root["id"] = t.id;
        auto addr = [&](const sema::Expr* a, const char* v4, const char* v6) {
          if (a == nullptr) return;
          root[a->dtype && a->dtype->type == sema::TYPE_IPADDR ? v4 : v6] = p_.expr(*a);
        };
        addr(t.src, "src-ipv4", "src-ipv6");
        addr(t.dst, "dst-ipv4", "dst-ipv6");
        root["sport"] = t.sport;
        root["dport"] = t.dport;
        root["tos"] = t.tos;
        root["ttl"] = t.ttl;
        using Type = decltype(t.type);
        if (t.type == Type::erspan) {
          root["type"] = "erspan";
          if (t.erspan.version == 1)
            root["tunnel"] = {{"version", t.erspan.version}, {"index", t.erspan.index}};
          else
            root["tunnel"] = {{"version", t.erspan.version},
                              {"dir", t.erspan.direction ? "egress" : "ingress"},
                              {"hwid", t.erspan.hwid}};
        } else if (t.type == Type::vxlan) {
          root["type"] = "vxlan";
          root["tunnel"] = {{"gbp", t.vxlan_gbp}};
        } else if (t.type == Type::geneve) {
          Json opts = Json::array();
          for (const auto& g : t.geneve) {
            std::string data = "0x";
            for (std::uint8_t b : g.data) data += fmt::format("{:x}", b);
            opts.push_back({{"class", g.cls}, {"opt-type", g.type}, {"data", data}});
          }
          root["type"] = "geneve";
          root["tunnel"] = std::move(opts);
        }
        break;
      }
      default: break;
    }
    Json j = Json::object();
    j[object_type_name(o.type)] = std::move(root);
    return j;
  }

  Json flowtable(const sema::Flowtable& f) {
    Json root = {{"family", family_name(f.family)}, {"name", f.name}, {"table", f.table},
                 {"handle", l_.handle_of(&f)}};
    if (f.has_hook) {
      root["hook"] = hook_name(Family::netdev, f.hooknum);
      root["prio"] = f.priority;
    }
    if (!f.devices.empty()) root["dev"] = names_json(f.devices);
    return {{"flowtable", std::move(root)}};
  }

  Json rule(const sema::Rule& r, const sema::Table& t, const sema::Chain& c) {
    Json root = {{"family", family_name(t.family)}, {"table", t.name}, {"chain", c.name},
                 {"handle", l_.handle_of(&r)}};
    if (r.has_comment) root["comment"] = r.comment;
    Json exprs = Json::array();
    for (const sema::Stmt* s : r.stmts) exprs.push_back(p_.stmt(*s));
    if (!exprs.empty()) root["expr"] = std::move(exprs);
    return {{"rule", std::move(root)}};
  }

  void table_full(Json& out, const sema::Table& t) {
    out.push_back(table(t));
    auto listed = [](const sema::Chain* c) { return !c->anonymous && !(c->flags & NFT_CHAIN_BINDING); };
    for (const sema::Chain* c : t.chains)
      if (listed(c)) out.push_back(chain(*c));
    for (const sema::Object* o : t.objects) out.push_back(object(*o));
    for (const sema::Set* s : t.sets)
      if (!sema::set_is_anonymous(s->flags)) out.push_back(set(*s));
    for (const sema::Flowtable* f : t.flowtables) out.push_back(flowtable(*f));
    for (const sema::Chain* c : t.chains)
      if (listed(c))
        for (const sema::Rule* r : c->rules) out.push_back(rule(*r, t, *c));
  }

 private:
  const listing::Listing& l_;
  PrintOptions opts_;
  JsonPrinter p_;
};

void write(std::string& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : j.items()) {
        if (!first) out += ", ";
        first = false;
        out += Json(k).dump();
        out += ": ";
        write(out, v);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& v : j) {
        if (!first) out += ", ";
        first = false;
        write(out, v);
      }
      out += ']';
      return;
    }
    default: out += j.dump(); return;
  }
}

}  // namespace

Json ruleset_json(const listing::Listing& l, const PrintOptions& opts) {
  Json list = Json::array();
  list.push_back(
      {{"metainfo", {{"version", "1.1.6"}, {"release_name", "Commodore Bullmoose #7"}, {"json_schema_version", 1}}}});
  RulesetPrinter p(l, opts);
  for (const sema::Table* t : l.ruleset.tables) p.table_full(list, *t);
  return {{"nftables", std::move(list)}};
}

Json rule_json(const sema::Rule& rule, const sema::Table& table, const sema::Chain& chain, const PrintOptions& opts) {
  static const listing::Listing none;
  RulesetPrinter p(none, opts);
  return p.rule(rule, table, chain);
}

std::string to_text(const Json& j) {
  std::string out;
  write(out, j);
  out += '\n';
  return out;
}

std::string emit_json(const sema::Analysis& analysis, DiagnosticSink& sink, const PrintOptions& opts) {
  std::unique_ptr<listing::Listing> l = listing::list_ruleset(analysis, sink);
  return to_text(ruleset_json(*l, opts));
}

}  // namespace nftc::json_text
