#include "compiler/offload/report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "compiler/offload/check.hpp"
#include "compiler/offload/names.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::offload {

namespace {

// Where a rule's packets are handled.
enum class Place { hardware, refused, flowtable, slow_path, software };

std::string_view place_name(Place p) {
  switch (p) {
    case Place::hardware: return "hardware";
    case Place::refused: return "refused";
    case Place::flowtable: return "flowtable";
    case Place::slow_path: return "slow-path";
    case Place::software: return "software";
  }
  return "software";
}

struct RuleEntry {
  const sema::Rule* rule = nullptr;
  Place place = Place::software;
  std::string why;
  std::vector<std::string> keys;
};

struct ChainEntry {
  const sema::Table* table = nullptr;
  const sema::Chain* chain = nullptr;
  Place place = Place::software;
  std::string why;
  std::vector<RuleEntry> rules;
};

struct FlowtableEntry {
  const sema::Table* table = nullptr;
  const sema::Flowtable* flowtable = nullptr;
  bool hardware = false;
};

bool has_flow_add(const sema::Rule& r) {
  for (const sema::Stmt* s : r.stmts)
    if (s->type == sema::StmtType::flow_offload) return true;
  return false;
}

const sema::Flowtable* flowtable_named(const sema::Table& t, const sema::Rule& r) {
  for (const sema::Stmt* s : r.stmts)
    if (s->type == sema::StmtType::flow_offload)
      for (const sema::Flowtable* f : t.flowtables)
        if (f->name == s->as<sema::FlowStmt>().table_name) return f;
  return nullptr;
}

bool hw_flowtable(const sema::Flowtable& f, const ReportOptions& o) {
  return (f.flags & NFT_FLOWTABLE_HW_OFFLOAD) || o.hw_target;
}

std::string devices(const std::vector<std::string>& d) {
  std::string s;
  for (const std::string& x : d) s += (s.empty() ? "" : ", ") + x;
  return s;
}

ChainEntry offload_chain(const sema::Table& t, const sema::Chain& c, const lower::Emitted& bc,
                         const ReportOptions& o) {
  ChainEntry e{&t, &c, Place::hardware, {}, {}};
  std::vector<ChainProblem> problems = check_chain(c, o.kernel);
  bool refused = false;
  for (const ChainProblem& p : problems) refused = refused || p.refused;
  if (!problems.empty()) {
    e.place = refused ? Place::refused : Place::software;
    e.why = problems.front().message;
  } else {
    e.why = fmt::format("netdev ingress chain with flags offload on {} at tc priority {}; packets the NIC does not "
                        "handle still run through it in software",
                        devices(c.devices), c.priority);
  }
  for (const sema::Rule* r : c.rules) {
    RuleEntry re{r, Place::hardware, {}, {}};
    auto it = bc.rule_index.find(r);
    if (it == bc.rule_index.end()) continue;
    RuleVerdict v = check_rule(bc.rules[it->second], o.kernel);
    for (const Key& k : v.keys) re.keys.push_back(k.name);
    if (!v.offloadable()) {
      re.place = Place::refused;
      re.why = v.problems.front().message;
    } else if (e.place != Place::hardware) {
      re.place = e.place == Place::refused ? Place::refused : Place::software;
      re.why = "the chain is not offloaded";
    } else {
      re.why = "a hardware classifier rule";
    }
    e.rules.push_back(std::move(re));
  }
  return e;
}

ChainEntry software_chain(const sema::Table& t, const sema::Chain& c, const ReportOptions& o) {
  ChainEntry e{&t, &c, Place::software, "no flags offload: every packet is handled in software", {}};
  bool forward = c.base && c.hooknum == NF_INET_FORWARD &&
                 (t.family == sema::Family::ip || t.family == sema::Family::ip6 || t.family == sema::Family::inet);
  bool after_flow = false;
  for (const sema::Rule* r : c.rules) {
    RuleEntry re{r, Place::software, "software", {}};
    if (forward && has_flow_add(*r)) {
      const sema::Flowtable* f = flowtable_named(t, *r);
      re.place = Place::flowtable;
      re.why = f == nullptr ? "sends flows to a flowtable this table does not have"
               : hw_flowtable(*f, o)
                   ? fmt::format("offloads TCP and UDP flows to flowtable {} in hardware (devices {}); their later "
                                 "packets skip the forward and postrouting chains",
                                 f->name, devices(f->devices))
                   : fmt::format("offloads TCP and UDP flows to flowtable {}'s software fast path; their later "
                                 "packets skip the forward and postrouting chains",
                                 f->name);
      after_flow = true;
    } else if (after_flow) {
      re.place = Place::slow_path;
      re.why = "only packets of flows that are not offloaded (new connections, other protocols) reach this rule";
    }
    e.rules.push_back(std::move(re));
  }
  if (forward && after_flow) e.why = "forward chain that offloads flows: rules after `flow add` see the slow path only";
  return e;
}

struct Report {
  std::vector<ChainEntry> chains;
  std::vector<FlowtableEntry> flowtables;
};

Report build(const sema::Analysis& a, const lower::Emitted& bc, const ReportOptions& o) {
  Report r;
  for (const sema::Table* t : a.ruleset.tables) {
    for (const sema::Flowtable* f : t->flowtables) r.flowtables.push_back({t, f, hw_flowtable(*f, o)});
    for (const sema::Chain* c : t->chains)
      r.chains.push_back(is_offload_chain(*c) ? offload_chain(*t, *c, bc, o) : software_chain(*t, *c, o));
  }
  return r;
}

std::string first_line(std::string_view s) {
  std::size_t nl = s.find('\n');
  std::string out(nl == std::string_view::npos ? s : s.substr(0, nl));
  while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(out.begin());
  return out;
}

std::string table_name(const sema::Table& t) {
  return fmt::format("{} {}", family_name(static_cast<std::uint32_t>(t.family)), t.name);
}

}  // namespace

std::string report_text(const SourceManager& sm, const sema::Analysis& analysis, const lower::Emitted& bytecode,
                        const ReportOptions& o) {
  Report r = build(analysis, bytecode, o);
  std::string out = fmt::format("offload report (kernel {}, target {})\n", kernel_name(o.kernel),
                                o.hw_target ? "hw-offload" : "sw");
  for (const FlowtableEntry& f : r.flowtables)
    out += fmt::format("flowtable {} {}: {} (devices {})\n", table_name(*f.table), f.flowtable->name,
                       f.hardware ? "hardware offload" : "software fast path", devices(f.flowtable->devices));
  for (const ChainEntry& c : r.chains) {
    out += fmt::format("chain {} {}: {} — {}\n", table_name(*c.table), c.chain->name, place_name(c.place), c.why);
    for (const RuleEntry& e : c.rules) {
      Position p = e.rule->span.valid() ? sm.begin(e.rule->span) : Position{};
      out += fmt::format("  {:>4}  {:<9}  {}\n", p.line, place_name(e.place),
                         e.rule->span.valid() ? first_line(sm.text(e.rule->span)) : "");
      if (e.place != Place::software) out += fmt::format("        {:<9}  {}\n", "", e.why);
      if (!e.keys.empty()) {
        std::string k;
        for (const std::string& x : e.keys) k += (k.empty() ? "" : ", ") + x;
        out += fmt::format("        {:<9}  keys: {}\n", "", k);
      }
    }
  }
  return out;
}

std::string report_json(const SourceManager& sm, const sema::Analysis& analysis, const lower::Emitted& bytecode,
                        const ReportOptions& o) {
  Report r = build(analysis, bytecode, o);
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["kernel"] = kernel_name(o.kernel);
  j["target"] = o.hw_target ? "hw-offload" : "sw";
  j["flowtables"] = nlohmann::ordered_json::array();
  for (const FlowtableEntry& f : r.flowtables)
    j["flowtables"].push_back({{"family", family_name(static_cast<std::uint32_t>(f.table->family))},
                               {"table", f.table->name},
                               {"name", f.flowtable->name},
                               {"hardware", f.hardware},
                               {"devices", f.flowtable->devices}});
  j["chains"] = nlohmann::ordered_json::array();
  for (const ChainEntry& c : r.chains) {
    nlohmann::ordered_json cj{{"family", family_name(static_cast<std::uint32_t>(c.table->family))},
                              {"table", c.table->name},
                              {"chain", c.chain->name},
                              {"handled", place_name(c.place)},
                              {"why", c.why}};
    cj["rules"] = nlohmann::ordered_json::array();
    for (const RuleEntry& e : c.rules) {
      nlohmann::ordered_json rj;
      if (e.rule->span.valid()) {
        Position p = sm.begin(e.rule->span);
        rj["file"] = sm.file(e.rule->span.file).name;
        rj["line"] = p.line;
        rj["text"] = std::string(sm.text(e.rule->span));
      }
      rj["handled"] = place_name(e.place);
      rj["why"] = e.why;
      rj["keys"] = e.keys;
      cj["rules"].push_back(std::move(rj));
    }
    j["chains"].push_back(std::move(cj));
  }
  return j.dump(2) + "\n";
}

}  // namespace nftc::offload
