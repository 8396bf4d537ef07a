// The offload verdict on bytecode: the rules the kernel accepted and refused
// in the experiments of ../shared/offload-kernel.md (section 6.2), and where
// each refusal points in the source.
#include <doctest/doctest.h>

#include "compiler/diagnostics.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/offload/check.hpp"
#include "compiler/parser.hpp"
#include "compiler/sema/analyzer.hpp"

using namespace nftc;
using offload::Reason;

namespace {

struct Verdict {
  bool ok = false;
  std::vector<Reason> reasons;
  std::vector<std::string> spans;  // the source text each problem points at
  std::vector<std::string> keys;
};

// `rule` in a netdev chain, with or without flags offload (without, nft's
// payload merging applies, as for the oracle).
Verdict verdict(std::string_view rule, bool offload_chain = true, unsigned kernel = offload::kNewestKernel) {
  std::string text = "table netdev t {\n chain other {\n }\n chain c {\n  type filter hook ingress device "
                     "\"nosuchdev0\" priority 1;" +
                     std::string(offload_chain ? " flags offload;" : "") + "\n  " + std::string(rule) + "\n }\n}\n";
  SourceManager sm;
  DiagnosticSink sink;
  ast::Script script;
  FileId f = sm.add("test.nft", text);
  parse_file(sm, sink, f, script, ParseOptions{});
  REQUIRE_MESSAGE(!sink.has_errors(), rule);
  sema::Analyzer an(sm, sink, sema::AnalyseOptions{});
  auto analysis = an.run(script);
  REQUIRE_MESSAGE(!sink.has_errors(), rule);
  lower::Emitted e = lower::lower_analysis(*analysis, sink);
  REQUIRE_MESSAGE(!sink.has_errors(), rule);
  REQUIRE(e.rules.size() == 1);
  offload::RuleVerdict v = offload::check_rule(e.rules.front(), kernel);
  Verdict out;
  out.ok = v.offloadable();
  for (const offload::Problem& p : v.problems) {
    out.reasons.push_back(p.reason);
    out.spans.emplace_back(p.span.valid() ? sm.text(p.span) : "");
  }
  for (const offload::Key& k : v.keys) out.keys.push_back(k.name);
  return out;
}

}  // namespace

TEST_CASE("rules the kernel offloads") {
  for (std::string_view r : {
           "accept", "drop", "counter accept", "ip saddr 10.0.0.1 drop", "ip saddr 10.0.0.0/8 drop",
           "ip saddr 10.0.0.0/12 drop", "ip daddr 10.0.0.1 ip saddr 10.0.0.2 drop",
           "ip saddr 10.0.0.1 ip daddr 10.0.0.2 drop", "ip protocol tcp drop", "ip protocol tcp tcp dport 22 drop",
           "tcp dport 22 drop", "udp sport 53 drop", "ip6 saddr 2001:db8::1 drop", "ip6 daddr 2001:db8::/32 drop",
           "ip6 nexthdr udp udp dport 53 drop", "ether saddr 00:11:22:33:44:55 drop",
           "ether daddr 00:11:22:33:44:55 drop", "ether type ip drop", "ether type arp drop",
           "ether type 8021q drop", "meta protocol ip6 drop", "meta l4proto tcp drop", "vlan id 10 drop",
           "ether type vlan vlan id 10 vlan type ip ip saddr 1.1.1.1 drop",
           "vlan id 10 vlan type 8021q vlan id 20 drop", "iif \"lo\" accept", "iiftype ether accept",
           "fwd to \"lo\"", "dup to \"lo\"", "dup to \"lo\" drop", "ip saddr 10.0.0.1 counter fwd to \"lo\"",
           "meta protocol ip meta l4proto tcp th dport 22 drop",
           "ether saddr & ff:ff:ff:00:00:00 == 00:11:22:00:00:00 drop", "ip saddr 10.0.0.1 accept comment \"x\"",
           "ip saddr 10.0.0.1 ip saddr 10.0.0.2 drop", "ip saddr 10.0.0.1 udp dport 53 drop",
           "meta protocol ip ip saddr 10.0.0.1 tcp dport 22 counter drop",
           // nftc keeps one load per field in offload chains
           "tcp sport 1024 tcp dport 22 drop", "ether saddr 00:11:22:33:44:55 ether type ip drop",
       }) {
    CAPTURE(r);
    Verdict v = verdict(r);
    CHECK(v.ok);
    CHECK(v.spans.empty());
  }
}

TEST_CASE("rules the kernel refuses, and why") {
  struct Case {
    std::string_view rule;
    Reason reason;
    std::string_view at;  // the source text the first problem points at
  };
  for (const Case& c : std::initializer_list<Case>{
           {"counter", Reason::no_action, "counter"},
           {"vlan pcp 3 drop", Reason::bitwise, "vlan pcp"},
           {"iifname \"lo\" accept", Reason::meta_key, "iifname"},
           {"iiftype loopback accept", Reason::iiftype_value, "iiftype loopback"},
           {"tcp dport != 22 drop", Reason::cmp_operator, "!="},
           {"tcp dport 1-1024 drop", Reason::unsupported, "tcp dport 1-1024"},
           {"tcp dport { 22, 80 } drop", Reason::unsupported, "tcp dport { 22, 80 }"},
           {"ip saddr { 10.0.0.1, 10.0.0.2 } drop", Reason::unsupported, "ip saddr { 10.0.0.1, 10.0.0.2 }"},
           {"meta l4proto { tcp, udp } drop", Reason::unsupported, "meta l4proto { tcp, udp }"},
           {"tcp flags syn drop", Reason::field, "tcp flags"},
           {"ip ttl 1 drop", Reason::field, "ip ttl"},
           {"ip dscp cs1 drop", Reason::field, "ip dscp"},
           {"ip length 100 drop", Reason::field, "ip length"},
           {"ip6 hoplimit 1 drop", Reason::field, "ip6 hoplimit"},
           {"icmp type echo-request drop", Reason::field, "icmp type"},
           {"arp operation request drop", Reason::field, "arp operation"},
           {"meta mark 1 drop", Reason::meta_key, "meta mark"},
           {"meta pkttype broadcast drop", Reason::meta_key, "meta pkttype"},
           {"th dport 22 drop", Reason::needs_l4, "th dport"},
           {"limit rate 10/second accept", Reason::unsupported, "limit rate 10/second"},
           {"log drop", Reason::unsupported, "log"},
           {"jump other", Reason::verdict, "other"},
           {"goto other", Reason::verdict, "other"},
           {"return", Reason::verdict, "return"},
           {"continue", Reason::verdict, "continue"},
           {"meta mark set 1 accept", Reason::unsupported, "meta mark set 1"},
           {"quota 10 mbytes drop", Reason::unsupported, "quota 10 mbytes"},
           {"numgen inc mod 2 0 drop", Reason::unsupported, "numgen inc mod 2"},
       }) {
    CAPTURE(c.rule);
    Verdict v = verdict(c.rule);
    CHECK_FALSE(v.ok);
    REQUIRE_FALSE(v.reasons.empty());
    CHECK(v.reasons.front() == c.reason);
    CHECK(v.spans.front() == c.at);
  }
}

TEST_CASE("one refusal is reported once, not again by what depends on it") {
  Verdict v = verdict("meta l4proto { tcp, udp } th dport 22 drop");
  CHECK(v.reasons == std::vector<Reason>{Reason::unsupported});
  v = verdict("tcp dport != 22 tcp sport 80 drop");
  CHECK(v.reasons == std::vector<Reason>{Reason::cmp_operator});
}

TEST_CASE("nft's merged loads are refused: the oracle's view of a rule") {
  for (std::string_view r : {"tcp sport 1024 tcp dport 22 drop", "tcp dport 22 tcp sport 1024 drop",
                             "udp sport 53 udp dport 53 drop", "ether daddr 00:11:22:33:44:55 ether saddr "
                                                               "00:11:22:33:44:66 drop",
                             "ether saddr 00:11:22:33:44:55 ether type ip drop"}) {
    CAPTURE(r);
    Verdict v = verdict(r, false);
    CHECK_FALSE(v.ok);
    CHECK(v.reasons == std::vector<Reason>{Reason::field_too_long});
  }
  CHECK(verdict("ip saddr 10.0.0.1 ip daddr 10.0.0.2 drop", false).ok);
}

TEST_CASE("what older kernels offload") {
  CHECK_FALSE(verdict("counter drop", true, offload::version(5, 10)).ok);
  CHECK(verdict("counter drop", true, offload::version(5, 13)).ok);
  CHECK_FALSE(verdict("vlan id 10 drop", true, offload::version(5, 4)).ok);
  CHECK(verdict("counter", true, offload::version(5, 3)).reasons == std::vector<Reason>{Reason::too_new});
}

TEST_CASE("the keys a rule sets, for duplicate-field checks") {
  CHECK(verdict("ip saddr 10.0.0.1 ip saddr 10.0.0.2 drop").keys ==
        std::vector<std::string>{"meta protocol", "ip saddr", "ip saddr"});
}

TEST_CASE("kernel versions") {
  CHECK(offload::parse_kernel("6.18") == offload::version(6, 18));
  CHECK(offload::parse_kernel("6.18.44-fc-v595") == offload::version(6, 18));
  CHECK(offload::parse_kernel("5.4.0") == offload::version(5, 4));
  CHECK_FALSE(offload::parse_kernel("six"));
  CHECK_FALSE(offload::parse_kernel("6"));
  CHECK_FALSE(offload::parse_kernel("6.x"));
  CHECK(offload::kernel_name(offload::version(5, 13)) == "5.13");
}

TEST_CASE("the capability table names every bytecode kind as libnftnl does") {
  auto caps = offload::expr_capabilities();
  CHECK(caps[0].name == "payload load");
  CHECK(offload::capability(bc::ExprKind{bc::FlowOffload{}}).name == "flow_offload");
  CHECK(offload::capability(bc::ExprKind{bc::Counter{}}).support == offload::Support::yes);
  CHECK(offload::virtual_device("br-lan") != nullptr);
  CHECK(offload::virtual_device("eth0.2") != nullptr);
  CHECK(offload::virtual_device("eth0") == nullptr);
  CHECK(offload::virtual_device("lan1") == nullptr);
}
