// The match model the lints reason with: interval arithmetic, rules turned
// into field constraints, and subsumption.
#include <doctest/doctest.h>

#include "compiler/diagnostics.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/parser.hpp"
#include "compiler/sema/analyzer.hpp"
#include "rules/engine.hpp"
#include "rules/model.hpp"
#include "rules/rules.hpp"

using namespace nftc;
using namespace nftc::lint;

namespace {

// A ruleset analysed and lowered, for tests that need the models or the
// lints' findings.
struct Analysed {
  SourceManager sm;
  DiagnosticSink sink;
  ast::Script script;
  std::unique_ptr<sema::Analysis> analysis;
  lower::Emitted emitted;

  explicit Analysed(const std::string& text) {
    FileId f = sm.add("test.nft", text);
    parse_file(sm, sink, f, script, ParseOptions{});
    REQUIRE_MESSAGE(!sink.has_errors(), "the test ruleset must be valid");
    sema::Analyzer an(sm, sink, sema::AnalyseOptions{});
    analysis = an.run(script);
    REQUIRE(!sink.has_errors());
    emitted = lower::lower_analysis(*analysis, sink);
  }
  // The models of the rules of chain `c` of the first table.
  std::vector<RuleModel> chain(std::string_view name) const {
    std::vector<RuleModel> out;
    for (const sema::Chain* c : analysis->ruleset.tables.front()->chains)
      if (c->name == name)
        for (const sema::Rule* r : c->rules) out.push_back(model_rule(*r));
    return out;
  }
  std::vector<std::string> lint(std::string_view code) {
    LintOptions o;
    o.select = {std::string(code)};
    LintContext ctx{sm, script, *analysis, emitted, Target::sw, 0, 0};
    DiagnosticSink out;
    run_lints(ctx, o, out);
    std::vector<std::string> lines;
    for (const Diagnostic& d : out.all()) lines.push_back(d.code + " " + std::to_string(sm.begin(d.primary).line));
    return lines;
  }
};

std::string table(std::string_view rules, std::string_view hook = "input", std::string_view policy = "accept") {
  return "table inet t {\n chain c {\n  type filter hook " + std::string(hook) + " priority 0; policy " +
         std::string(policy) + ";\n" + std::string(rules) + "\n }\n}\n";
}

}  // namespace

TEST_CASE("interval sets: union, intersection, complement, subsets") {
  IntervalSet a = IntervalSet::range(16, sema::Value(10), sema::Value(20));
  IntervalSet b = IntervalSet::range(16, sema::Value(15), sema::Value(30));
  CHECK(a.intersect(b) == IntervalSet::range(16, sema::Value(15), sema::Value(20)));
  CHECK(a.unite(b) == IntervalSet::range(16, sema::Value(10), sema::Value(30)));
  CHECK(a.unite(IntervalSet::range(16, sema::Value(21), sema::Value(25))) == IntervalSet::range(16, sema::Value(10), sema::Value(25)));
  IntervalSet c = a.complement();
  CHECK(c.ranges().size() == 2);
  CHECK(c.contains(sema::Value(9)));
  CHECK_FALSE(c.contains(sema::Value(10)));
  CHECK(c.contains(sema::Value(65535)));
  CHECK(c.complement() == a);
  CHECK(IntervalSet::all(8).complement().empty());
  CHECK(IntervalSet::single(16, sema::Value(15)).subset_of(a));
  CHECK_FALSE(b.subset_of(a));
}

TEST_CASE("rules become field constraints") {
  Analysed x(table("  ip saddr 10.0.0.0/8 tcp dport { 22, 80-90 } accept\n  ct state established,related accept"));
  auto rules = x.chain("c");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].terminal);
  CHECK(rules[0].verdict == VerdictKind::accept);
  auto fields0 = merge_fields(rules[0]);
  bool saw_port = false;
  for (const MergedField& f : fields0)
    if (f.field.id == fields::th_dport()) {
      saw_port = true;
      CHECK(f.allowed.contains(sema::Value(22)));
      CHECK(f.allowed.contains(sema::Value(85)));
      CHECK_FALSE(f.allowed.contains(sema::Value(23)));
    }
  CHECK(saw_port);
  auto fields1 = merge_fields(rules[1]);
  REQUIRE(fields1.size() == 1);
  CHECK(is_ct_state(fields1[0].field));
  CHECK(fields1[0].allowed.contains(sema::Value(2)));   // established
  CHECK(fields1[0].allowed.contains(sema::Value(4)));   // related
  CHECK_FALSE(fields1[0].allowed.contains(sema::Value(8)));  // new
}

TEST_CASE("subsumption is exact where it can be and silent where it cannot") {
  Analysed x(table("  ip saddr 10.0.0.0/8 accept\n  ip saddr 10.1.2.3 drop\n  ip saddr 11.0.0.1 drop\n"
                   "  ip saddr 10.0.0.0/8 limit rate 1/second accept\n  ip saddr 10.9.9.9 tcp dport 22 drop"));
  auto r = x.chain("c");
  CHECK(covers(r[0], r[1]));
  CHECK_FALSE(covers(r[0], r[2]));
  CHECK(covers(r[0], r[4]));          // more matches: still inside
  CHECK_FALSE(covers(r[3], r[1]));    // a limit may not match
  CHECK_FALSE(covers(r[1], r[0]));
}

TEST_CASE("a map lookup in a statement makes the rule conditional") {
  Analysed x("table ip t {\n chain c {\n  type nat hook prerouting priority dstnat;\n  dnat to ip saddr map { "
             "1.1.1.1 : 2.2.2.2 }\n  ip saddr 1.1.1.1 dnat to 3.3.3.3\n }\n}\n");
  auto r = x.chain("c");
  CHECK(r[0].opaque);
  CHECK_FALSE(covers(r[0], r[1]));
  CHECK(x.lint("COR001").empty());
}

TEST_CASE("each correctness lint fires where it should and only there") {
  CHECK(Analysed(table("  accept\n  tcp dport 22 drop")).lint("COR001") == std::vector<std::string>{"COR001 5"});
  CHECK(Analysed(table("  tcp dport 22 accept\n  accept")).lint("COR001").empty());
  CHECK(Analysed(table("  ip saddr 10.0.0.0/8 accept\n  ip saddr 10.1.2.3 drop")).lint("COR002") ==
        std::vector<std::string>{"COR002 5"});
  CHECK(Analysed(table("  ip saddr 10.1.2.3 drop\n  ip saddr 10.0.0.0/8 accept")).lint("COR002").empty());
  CHECK(Analysed(table("  ip saddr @s accept\n  ip saddr 10.1.2.3 drop")
                     .insert(15, " set s { type ipv4_addr; }\n"))
            .lint("COR002")
            .empty());
  CHECK(Analysed(table("  tcp dport 22 accept\n  tcp dport ssh accept")).lint("COR003") ==
        std::vector<std::string>{"COR003 5"});
  CHECK(Analysed(table("  tcp dport 22 accept\n  udp dport 22 accept")).lint("COR003").empty());
  CHECK(Analysed(table("  ip saddr 1.1.1.1 ip saddr 2.2.2.2 accept")).lint("COR004") ==
        std::vector<std::string>{"COR004 4"});
  CHECK(Analysed(table("  ip saddr 1.1.1.0/24 ip saddr 1.1.1.1 accept")).lint("COR004").empty());
}

TEST_CASE("each security lint fires where it should and only there") {
  std::string stateless = table("  tcp dport { 80, 443 } accept", "input", "drop");
  std::string good = table("  iif lo accept\n  ct state invalid drop\n  ct state established,related accept\n"
                           "  tcp dport 22 accept",
                           "input", "drop");
  CHECK(Analysed(stateless).lint("SEC001").size() == 1);
  CHECK(Analysed(good).lint("SEC001").empty());
  CHECK(Analysed(stateless).lint("SEC002").size() == 1);
  CHECK(Analysed(good).lint("SEC002").empty());
  CHECK(Analysed(table("  ip saddr 192.0.2.0/24 tcp dport 22 accept", "input", "drop")).lint("SEC002").empty());
  CHECK(Analysed(stateless).lint("SEC004").size() == 1);
  CHECK(Analysed(good).lint("SEC004").empty());
  CHECK(Analysed(table("  ct state established,related accept\n  tcp dport 22 accept", "input", "drop"))
            .lint("SEC003") == std::vector<std::string>{"SEC003 5"});
  CHECK(Analysed(good).lint("SEC003").empty());
  CHECK(Analysed(table("  ct state vmap { invalid : drop, established : accept, related : accept }\n  tcp dport 22 "
                       "accept",
                       "input", "drop"))
            .lint("SEC003")
            .empty());
}

TEST_CASE("matches after a statement that changed the packet are not taken as exact") {
  Analysed x(table("  meta mark 1 accept\n  meta mark set 1 meta mark 1 drop\n  meta mark 3 meta mark set 2 meta mark 2 "
                   "accept"));
  auto r = x.chain("c");
  CHECK_FALSE(r[0].opaque);
  CHECK(r[1].opaque);
  CHECK_FALSE(covers(r[0], r[1]));  // packets with any mark reach the drop
  CHECK(contradiction(merge_fields(r[2])) == nullptr);
  CHECK(x.lint("COR002").empty());
  CHECK(x.lint("COR004").empty());
}

TEST_CASE("the security probes come from an interface other than the loopback") {
  // Accepting loopback traffic does not accept replies or SSH from outside.
  std::string lo_only = table("  iif lo accept\n  tcp dport 80 accept", "input", "drop");
  CHECK(Analysed(lo_only).lint("SEC001").size() == 1);
  CHECK(Analysed(lo_only).lint("SEC002").size() == 1);
  CHECK(Analysed(lo_only).lint("SEC004").empty());
  // A rule on some other interface may accept them: silent.
  std::string lan = table("  iifname \"eth1\" accept", "input", "drop");
  CHECK(Analysed(lan).lint("SEC001").empty());
  CHECK(Analysed(lan).lint("SEC002").empty());
  // ... and it can accept invalid packets, when the chain is stateful.
  CHECK(Analysed(table("  ct state established accept\n  iifname \"eth1\" accept", "input", "drop")).lint("SEC003") ==
        std::vector<std::string>{"SEC003 5"});
}
