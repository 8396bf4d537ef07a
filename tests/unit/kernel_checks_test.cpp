// The kernel's own checks (compiler/sema/kernel_checks.cpp and the rows of
// kernel_table.cpp): for each, a ruleset the kernel refuses and a close one
// it takes. The answers were recorded on a 6.18.44 kernel (tests/kernel/
// cases.txt holds the full matrices; scripts/kernel_diff.py --kernel replays
// them).
#include <doctest/doctest.h>

#include <linux/netfilter/nf_tables.h>

#include <string>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/parser.hpp"
#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/kernel_table.hpp"
#include "compiler/sema/proto.hpp"

namespace {

using namespace nftc;

// The diagnostics of `text` after analysis.
std::vector<Diagnostic> analyse(const std::string& text) {
  SourceManager sm;
  DiagnosticSink sink;
  FileId file = sm.add("t.nft", text);
  ast::Script script;
  if (parse_file(sm, sink, file, script, ParseOptions{}) && !sink.has_errors()) {
    sema::Analyzer analyzer(sm, sink, sema::AnalyseOptions{});
    analyzer.run(script);
  }
  return sink.all();
}

// A table of `family` with one base chain on `hook` holding `rule`.
std::string chain(std::string_view family, std::string_view hook, std::string_view rule,
                  std::string_view type = "filter") {
  std::string device = hook == "ingress" || hook == "egress" ? " device \"lo\"" : "";
  int prio = type == "nat" ? (hook == "input" || hook == "postrouting" ? 100 : -100) : 0;
  return "table " + std::string(family) + " t {\n  chain c {\n    type " + std::string(type) + " hook " +
         std::string(hook) + device + " priority " + std::to_string(prio) + ";\n    " + std::string(rule) +
         "\n  }\n}\n";
}

// The code and errno of the first error, "KRN009 EOPNOTSUPP", or "ok".
std::string verdict(const std::string& text) {
  for (const Diagnostic& d : analyse(text)) {
    if (d.severity != Severity::error) continue;
    auto at = d.message.find("(the kernel answers ");
    if (at == std::string::npos) return d.code + " " + d.message;
    std::string errno_name = d.message.substr(at + 20);
    errno_name.pop_back();
    return d.code + " " + errno_name;
  }
  return "ok";
}

std::string in(std::string_view family, std::string_view hook, std::string_view rule,
               std::string_view type = "filter") {
  return verdict(chain(family, hook, rule, type));
}

}  // namespace

TEST_CASE("fib: hooks by result and lookup interface") {
  CHECK(in("ip", "prerouting", "fib daddr . oif type local") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "output", "fib daddr . oif type local") == "ok");
  CHECK(in("ip", "output", "fib daddr . iif type local") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "input", "fib daddr . iif type local") == "ok");
  // Since 6.9 an oif result needs no iif in input and forward.
  CHECK(in("ip", "output", "fib saddr oifname \"lo\"") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "forward", "fib saddr oifname \"lo\"") == "ok");
  CHECK(in("inet", "ingress", "fib daddr type local") == "KRN009 EOPNOTSUPP");
  CHECK(in("inet", "postrouting", "fib daddr type local") == "ok");
  // netdev (6.18.42): egress has no input device.
  CHECK(in("netdev", "egress", "fib saddr oifname \"lo\"") == "KRN009 EOPNOTSUPP");
  CHECK(in("netdev", "ingress", "fib saddr oifname \"lo\"") == "ok");
  CHECK(in("netdev", "ingress", "fib daddr . oif type local") == "KRN009 EOPNOTSUPP");
  CHECK(in("netdev", "egress", "fib daddr . oif type local") == "ok");
}

TEST_CASE("fib: families and attributes") {
  CHECK(in("bridge", "input", "fib daddr type local") == "KRN010 ENOENT");
  CHECK(in("netdev", "ingress", "fib daddr type local") == "ok");
  CHECK(in("ip", "prerouting", "fib saddr . oif oifname \"lo\"") == "KRN010 EINVAL");
  CHECK(in("ip", "prerouting", "fib saddr . iif oifname \"lo\"") == "ok");
  CHECK(in("ip", "forward", "fib daddr . oif check missing") == "KRN010 EINVAL");
  CHECK(in("ip", "forward", "fib daddr check missing") == "ok");
}

TEST_CASE("meta: keys by family, keys that can be set, hooks") {
  CHECK(in("ip", "input", "meta ibrname \"br0\"") == "KRN010 EOPNOTSUPP");
  CHECK(in("inet", "input", "meta obrname \"br0\"") == "KRN010 EOPNOTSUPP");
  CHECK(in("bridge", "input", "meta ibrname \"br0\"") == "ok");
  CHECK(in("netdev", "ingress", "meta ibrvproto 0x8100") == "KRN010 EOPNOTSUPP");
  CHECK(in("bridge", "input", "meta ibrvproto 0x8100") == "ok");

  CHECK(in("ip", "prerouting", "meta broute set 1") == "KRN010 EOPNOTSUPP");
  CHECK(in("bridge", "input", "meta broute set 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("bridge", "prerouting", "meta broute set 1") == "ok");
  CHECK(in("bridge", "prerouting", "meta ibrhwaddr set 00:11:22:33:44:55") == "KRN010 EOPNOTSUPP");
  CHECK(in("bridge", "prerouting", "meta mark set 1") == "ok");
  CHECK(in("ip", "input", "meta iifname set \"x\"") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "meta priority set 1:1") == "ok");
  CHECK(in("ip", "input", "meta nftrace 1") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "meta nftrace set 1") == "ok");

  CHECK(in("ip", "input", "meta pkttype set host") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "prerouting", "meta pkttype set host") == "ok");
  CHECK(in("netdev", "egress", "meta pkttype set host") == "KRN009 EOPNOTSUPP");
  CHECK(in("netdev", "ingress", "meta pkttype set host") == "ok");
  CHECK(in("ip", "output", "meta secpath exists") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "input", "meta secpath exists") == "ok");
  CHECK(in("bridge", "input", "meta secpath exists") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "prerouting", "meta sdif 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "input", "meta sdifname \"lo\"") == "ok");
}

TEST_CASE("ct: keys that can be read or set, directions, families") {
  CHECK(in("ip", "input", "ct state set new") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "ct mark set 1") == "ok");
  CHECK(in("ip", "input", "ct event new") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "ct event set new") == "ok");
  CHECK(in("ip", "input", "ct saddr 1.2.3.4") == "KRN010 EINVAL");
  CHECK(in("ip", "input", "ct original saddr 1.2.3.4") == "ok");
  CHECK(in("ip", "input", "ct proto-src 1") == "KRN010 EINVAL");
  CHECK(in("ip", "input", "ct reply zone set 1") == "ok");
  CHECK(in("netdev", "ingress", "ct state established") == "KRN010 EPROTO");
  CHECK(in("arp", "input", "ct count 1") == "KRN010 EPROTO");
  CHECK(in("bridge", "input", "ct state established") == "ok");
}

TEST_CASE("nat: chain type and hooks") {
  CHECK(in("ip", "postrouting", "masquerade") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "postrouting", "masquerade", "nat") == "ok");
  CHECK(in("ip", "prerouting", "masquerade", "nat") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "prerouting", "snat to 1.2.3.4", "nat") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "input", "snat to 1.2.3.4", "nat") == "ok");
  CHECK(in("ip", "input", "dnat to 1.2.3.4", "nat") == "KRN009 EOPNOTSUPP");
  CHECK(in("inet", "output", "dnat ip to 1.2.3.4", "nat") == "ok");
  CHECK(in("ip6", "postrouting", "redirect", "nat") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip6", "prerouting", "redirect", "nat") == "ok");
}

TEST_CASE("the other hook-restricted statements and expressions") {
  CHECK(in("ip", "postrouting", "reject") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "forward", "reject") == "ok");
  CHECK(in("inet", "ingress", "reject") == "ok");
  CHECK(in("netdev", "egress", "reject") == "KRN009 EOPNOTSUPP");
  CHECK(in("bridge", "forward", "reject") == "KRN009 EOPNOTSUPP");
  CHECK(in("bridge", "input", "reject") == "ok");
  CHECK(in("ip", "input", "meta l4proto tcp tproxy to :1234") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "prerouting", "meta l4proto tcp tproxy to :1234") == "ok");
  CHECK(in("ip", "prerouting", "tcp dport 80 synproxy mss 1460") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "forward", "tcp dport 80 synproxy mss 1460") == "ok");
  CHECK(in("ip", "forward", "socket transparent 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "output", "socket transparent 1") == "ok");
  CHECK(in("ip6", "input", "osf name \"Linux\"") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "input", "osf name \"Linux\"") == "ok");
  CHECK(in("ip", "output", "ipsec in reqid 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "output", "ipsec out reqid 1") == "ok");
  CHECK(in("ip", "prerouting", "rt mtu 1400") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "forward", "rt mtu 1400") == "ok");
  CHECK(in("netdev", "ingress", "rt classid 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("ip", "prerouting", "rt classid 1") == "ok");
  CHECK(in("inet", "ingress", "queue num 1") == "KRN009 EOPNOTSUPP");
  CHECK(in("bridge", "output", "queue num 1") == "ok");
  CHECK(in("netdev", "egress", "fwd to \"lo\"") == "ok");
  CHECK(in("netdev", "egress", "dup to \"lo\"") == "ok");
}

TEST_CASE("objects referenced by rules: synproxy runs where the statement does") {
  std::string text =
      "table ip t {\n  synproxy sp { mss 1460; wscale 7; }\n"
      "  chain c {\n    type filter hook HOOK priority 0;\n    synproxy name sp\n  }\n}\n";
  auto at = [&](std::string hook) { return verdict(std::string(text).replace(text.find("HOOK"), 4, hook)); };
  CHECK(at("output") == "KRN009 EOPNOTSUPP");
  CHECK(at("input") == "ok");
}

TEST_CASE("flow offload runs in forward") {
  std::string text =
      "table ip t {\n  flowtable ft { hook ingress priority 0; devices = { lo }; }\n"
      "  chain c {\n    type filter hook HOOK priority 0;\n    flow add @ft\n  }\n}\n";
  auto at = [&](std::string hook) { return verdict(std::string(text).replace(text.find("HOOK"), 4, hook)); };
  CHECK(at("input") == "KRN009 EOPNOTSUPP");
  CHECK(at("forward") == "ok");
}

TEST_CASE("attributes the inits refuse") {
  CHECK(in("ip", "input", "tcp option window count set 1") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "tcp option maxseg size set 1360") == "ok");
  CHECK(in("ip", "input", "ip option ra value set 1") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "tcp option timestamp tsval set 1") == "ok");
  CHECK(in("ip6", "input", "hbh hdrlength set 1") == "KRN010 EOPNOTSUPP");
  CHECK(in("ip", "input", "ipsec in spnum 6 reqid 1") == "KRN010 ERANGE");
  CHECK(in("ip", "input", "ipsec in spnum 5 reqid 1") == "ok");
  CHECK(in("ip", "input", "meta mark set numgen inc mod 0") == "KRN010 ERANGE");
  CHECK(in("ip", "input", "meta mark set numgen inc mod 2 offset 4294967295") == "KRN010 EOVERFLOW");
  CHECK(in("ip", "input", "meta mark set numgen inc mod 2 offset 4294967294") == "ok");
  CHECK(in("ip", "input", "meta mark set jhash ip saddr mod 0") == "KRN010 ERANGE");
  CHECK(in("ip", "input", "meta mark set symhash mod 2 offset 4294967295") == "KRN010 EOVERFLOW");
  CHECK(in("ip", "input", "meta mark set symhash mod 2") == "ok");
  CHECK(in("ip", "input", "limit rate 0/second") == "KRN010 EINVAL");
  CHECK(in("ip", "input", "limit rate 1/second") == "ok");
}

TEST_CASE("objects: ct helper, expectation, timeout, synproxy, limit") {
  auto obj = [](std::string family, std::string body) {
    return verdict("table " + family + " t {\n  " + body + "\n}\n");
  };
  CHECK(obj("ip", "ct helper h { type \"ftp\" protocol tcp; l3proto ip6; }") == "KRN012 EINVAL");
  CHECK(obj("ip", "ct helper h { type \"ftp\" protocol tcp; l3proto ip; }") == "ok");
  CHECK(obj("inet", "ct helper h { type \"ftp\" protocol tcp; l3proto ip6; }") == "ok");
  CHECK(obj("ip6", "ct helper h { type \"ftp\" protocol tcp; l3proto ip; }") == "KRN012 EINVAL");
  CHECK(obj("ip6", "ct helper h { type \"irc\" protocol tcp; }") == "KRN012 ENOENT");
  CHECK(obj("inet", "ct helper h { type \"irc\" protocol tcp; }") == "ok");
  CHECK(obj("ip", "ct helper h { type \"ftp\" protocol udp; }") == "KRN012 ENOENT");
  CHECK(obj("ip", "ct helper h { type \"tftp\" protocol udp; }") == "ok");
  CHECK(obj("arp", "ct helper h { type \"ftp\" protocol tcp; }") == "KRN012 EAFNOSUPPORT");
  CHECK(obj("netdev", "ct helper h { type \"ftp\" protocol tcp; }") == "KRN012 EPROTO");
  CHECK(obj("bridge", "ct helper h { type \"ftp\" protocol tcp; }") == "ok");

  std::string expect = "ct expectation e { protocol tcp; dport 21; timeout 10s; size 8; L3 }";
  auto with = [&](std::string l3) { return std::string(expect).replace(expect.find("L3"), 2, l3); };
  CHECK(obj("inet", with("")) == "KRN012 EAFNOSUPPORT");
  CHECK(obj("inet", with("l3proto ip;")) == "ok");
  CHECK(obj("ip", with("l3proto ip6;")) == "KRN012 EINVAL");
  CHECK(obj("ip6", with("")) == "ok");
  CHECK(obj("bridge", with("l3proto ip;")) == "KRN012 EINVAL");

  CHECK(obj("netdev", "ct timeout to { protocol tcp; policy = { established: 100 }; }") == "KRN012 EPROTO");
  CHECK(obj("ip", "ct timeout to { protocol tcp; policy = { established: 100 }; }") == "ok");
  CHECK(obj("arp", "synproxy sp { mss 1460; wscale 7; }") == "KRN012 EPROTO");
  CHECK(obj("ip", "synproxy sp { mss 1460; wscale 7; }") == "ok");
  CHECK(obj("ip", "limit l { rate 0/second; }") == "KRN012 EINVAL");
  CHECK(obj("ip", "limit l { rate 1/second; }") == "ok");
}

TEST_CASE("sets the packet path changes (dynset)") {
  auto dyn = [](std::string set, std::string stmt) {
    return verdict("table ip t {\n  " + set + "\n  chain c {\n    type filter hook input priority 0;\n    " + stmt +
                   "\n  }\n}\n");
  };
  CHECK(dyn("set s { type ipv4_addr; flags interval; }", "add @s { ip saddr }") == "KRN010 EOPNOTSUPP");
  CHECK(dyn("set s { type ipv4_addr; }", "add @s { ip saddr }") == "ok");
  CHECK(dyn("set s { type ipv4_addr; flags constant; }", "delete @s { ip saddr }") == "KRN010 EBUSY");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; }", "delete @s { ip saddr }") == "ok");
  CHECK(dyn("set s { type ipv4_addr; }", "add @s { ip saddr timeout 10s }") == "KRN010 EOPNOTSUPP");
  CHECK(dyn("set s { type ipv4_addr; flags timeout; }", "add @s { ip saddr timeout 10s }") == "ok");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; }",
            "add @s { ip saddr counter limit rate 1/second quota 1 mbytes }") == "KRN010 E2BIG");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; }", "add @s { ip saddr counter limit rate 1/second }") == "ok");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; counter; }", "add @s { ip saddr limit rate 1/second }") ==
        "KRN010 EOPNOTSUPP");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; counter; }", "add @s { ip saddr counter quota 1 mbytes }") ==
        "KRN010 EINVAL");
  CHECK(dyn("set s { type ipv4_addr; flags dynamic; counter; }", "add @s { ip saddr counter }") == "ok");
  CHECK(dyn("map m { type ipv4_addr : mark; flags interval; }", "update @m { ip saddr : 1 }") == "KRN010 EOPNOTSUPP");
}

TEST_CASE("set declarations and elements") {
  auto set = [](std::string body) { return verdict("table ip t {\n  set s {\n    " + body + "\n  }\n}\n"); };
  CHECK(set("type ipv4_addr; gc-interval 10s;") == "KRN013 EINVAL");
  CHECK(set("type ipv4_addr; flags timeout; gc-interval 10s;") == "ok");
  CHECK(set("type ipv4_addr; flags dynamic; counter; quota 10 bytes; limit rate 1/second;") == "KRN013 E2BIG");
  CHECK(set("type ipv4_addr; flags dynamic; counter; quota 10 bytes;") == "ok");
  CHECK(set("type ipv4_addr; elements = { 1.2.3.4 timeout 10s }") == "KRN013 EINVAL");
  CHECK(set("type ipv4_addr; elements = { 1.2.3.4 expires 10s }") == "KRN013 EINVAL");
  CHECK(set("type ipv4_addr; flags timeout; elements = { 1.2.3.4 timeout 10s }") == "ok");
  CHECK(set("type ipv4_addr; size 1; elements = { 1.2.3.4, 5.6.7.8 }") == "KRN013 ENFILE");
  CHECK(set("type ipv4_addr; size 2; elements = { 1.2.3.4, 5.6.7.8 }") == "ok");
  CHECK(verdict("table ip t {\n  set s {\n    type ipv4_addr; size 2; elements = { 1.2.3.4, 5.6.7.8 }\n  }\n}\n"
                "add element ip t s { 9.9.9.9 }\n") == "KRN013 ENFILE");
  CHECK(verdict("table ip t {\n  set s {\n    type ipv4_addr; size 2; elements = { 1.2.3.4, 5.6.7.8 }\n  }\n}\n"
                "delete element ip t s { 1.2.3.4 }\nadd element ip t s { 9.9.9.9 }\n") == "ok");
  // An element added twice is one element; a set's declaration is checked even when elements follow.
  const std::string twice =
      "table ip t {\n  set s {\n    type ipv4_addr; size 2; elements = { 1.2.3.4, 5.6.7.8 }\n  }\n}\n";
  CHECK(verdict(twice + twice) == "ok");
  CHECK(
      verdict(
          "table ip t {\n  set s {\n    type ipv4_addr; gc-interval 10s;\n  }\n}\nadd element ip t s { 1.2.3.4 }\n") ==
      "KRN013 EINVAL");
  // Interval sets count their ranges their own way: not checked.
  CHECK(set("type ipv4_addr; size 2; flags interval; elements = { 1.2.3.0/24, 5.6.7.0/24 }") == "ok");
}

TEST_CASE("limits and quotas the kernel cannot hold") {
  CHECK(in("ip", "input", "limit rate 1 mbytes/day") == "KRN010 EOVERFLOW");
  CHECK(in("ip", "input", "limit rate 200 kbytes/day") == "ok");
  CHECK(in("ip", "input", "limit rate 1/week burst 31000 packets") == "KRN010 EOVERFLOW");
  CHECK(in("ip", "input", "limit rate 1/week burst 30000 packets") == "ok");
  CHECK(in("ip", "input", "quota 9223372036854775808 bytes") == "KRN010 EOVERFLOW");
  CHECK(in("ip", "input", "quota 9223372036854775807 bytes") == "ok");
  CHECK(in("ip", "input", "quota 10 bytes used 20 bytes") == "KRN010 EINVAL");
  CHECK(in("ip", "input", "quota 10 bytes used 10 bytes") == "ok");
  CHECK(verdict("table ip t {\n  limit l { rate 1 mbytes/day; }\n}\n") == "KRN012 EOVERFLOW");
  CHECK(verdict("table ip t {\n  quota q { 9223372036854775808 bytes; }\n}\n") == "KRN012 EOVERFLOW");
  CHECK(verdict("table ip t {\n  quota q { 10 bytes; }\n}\n") == "ok");
}

TEST_CASE("regular chains take the hooks of the base chains that reach them") {
  const std::string base_filter = "  chain base {\n    type filter hook postrouting priority 0;\n    jump r\n  }\n";
  const std::string base_nat = "  chain base {\n    type nat hook postrouting priority 100;\n    jump r\n  }\n";
  const std::string r = "  chain r {\n    masquerade\n  }\n";
  CHECK(verdict("table ip t {\n" + base_filter + r + "}\n") == "KRN009 EOPNOTSUPP");
  CHECK(verdict("table ip t {\n" + base_nat + r + "}\n") == "ok");
  CHECK(verdict("table ip t {\n" + r + "}\n") == "ok");  // reached by no base chain

  // The message names the base chain and the way there.
  auto diags = analyse("table ip t {\n" + base_filter +
                       "  chain m {\n    goto r\n  }\n  chain r {\n    masquerade\n  }\n}\n"
                       "add rule ip t base jump m\n");
  REQUIRE(!diags.empty());
  CHECK(diags[0].code == "KRN009");
  CHECK(diags[0].message ==
        "masquerade is only valid in postrouting chains of type nat (the kernel answers EOPNOTSUPP)");
  CHECK(diags[0].help ==
        "chain 'r' is reached from base chain 'base', a filter chain on the postrouting hook (base → r)");
  REQUIRE(diags[0].related.size() == 1);
  CHECK(diags[0].related[0].label == "base chain 'base' hooks here");

  // Verdict maps, declared and filled later, and anonymous chains.
  CHECK(verdict("table ip t {\n  chain b {\n    type filter hook output priority 0;\n"
                "    ip daddr vmap { 1.2.3.4 : jump r }\n  }\n"
                "  chain r {\n    meta l4proto tcp tproxy to :1234\n  }\n}\n") == "KRN009 EOPNOTSUPP");
  CHECK(verdict("table ip t {\n  map m {\n    type ipv4_addr : verdict\n  }\n"
                "  chain b {\n    type filter hook output priority 0;\n    ip daddr vmap @m\n  }\n"
                "  chain r {\n    meta l4proto tcp tproxy to :1234\n  }\n}\n"
                "add element ip t m { 1.2.3.4 : goto r }\n") == "KRN009 EOPNOTSUPP");
  CHECK(verdict("table ip t {\n  map m {\n    type ipv4_addr : verdict\n  }\n"
                "  chain b {\n    type filter hook output priority 0;\n    ip daddr vmap @m\n  }\n"
                "  chain r {\n    meta l4proto tcp tproxy to :1234\n  }\n}\n") == "ok");
  CHECK(verdict(chain("ip", "postrouting", "jump { masquerade; }")) == "KRN009 EOPNOTSUPP");
  CHECK(verdict(chain("ip", "postrouting", "jump { masquerade; }", "nat")) == "ok");
}

TEST_CASE("jump depth and loops a base chain reaches") {
  auto ladder = [](unsigned n, bool from_base) {
    std::string s = "table ip t {\n";
    if (from_base) s += "  chain base {\n    type filter hook input priority 0;\n    jump c1\n  }\n";
    for (unsigned i = 1; i <= n; ++i)
      s += "  chain c" + std::to_string(i) + " {\n    " + (i < n ? "jump c" + std::to_string(i + 1) : "accept") +
           "\n  }\n";
    return s + "}\n";
  };
  CHECK(verdict(ladder(15, true)) == "ok");
  CHECK(verdict(ladder(16, true)) == "KRN011 EMLINK");
  CHECK(verdict(ladder(20, false)) == "ok");

  const std::string loop = "  chain a {\n    jump b\n  }\n  chain b {\n    goto a\n  }\n";
  CHECK(verdict("table ip t {\n" + loop + "}\n") == "ok");  // the kernel takes what no base chain reaches
  CHECK(verdict("table ip t {\n  chain base {\n    type filter hook input priority 0;\n    jump a\n  }\n" + loop +
                "}\n") == "KRN006 EMLINK");
  CHECK(verdict("table ip t {\n  chain a {\n    ip saddr vmap { 1.2.3.4 : jump a }\n  }\n}\n"
                "add chain ip t base { type filter hook input priority 0; }\nadd rule ip t base jump a\n") ==
        "KRN006 EMLINK");
}

TEST_CASE("the tables cover every key nftc knows") {
  for (std::string_view name : nftc::sema::meta_key_names()) {
    auto key = nftc::sema::meta_key_by_name(name);
    REQUIRE(key);
    CHECK_MESSAGE(nftc::sema::kern::meta_key_rule(*key) != nullptr, name);
  }
  for (std::string_view name : nftc::sema::ct_key_names()) {
    auto key = nftc::sema::ct_key_by_name(name);
    REQUIRE(key);
    CHECK_MESSAGE(nftc::sema::kern::ct_key_rule(*key) != nullptr, name);
  }
  for (const auto& r : nftc::sema::kern::hook_rules()) CHECK_MESSAGE(r.where[0].families != 0, r.what);
}

TEST_CASE("hook and family names in messages") {
  using nftc::sema::Family;
  namespace kern = nftc::sema::kern;
  CHECK(kern::hook_names(Family::inet, kern::kPre | kern::kIn | kern::kInetIngress) == "ingress, prerouting and input");
  CHECK(kern::hook_names(Family::netdev, kern::kEgress) == "egress");
  CHECK(kern::hook_names(Family::arp, 0x7) == "input, forward and output");
  CHECK(kern::family_names(kern::kInetLike | kern::kNetdev) == "ip, ip6, inet and netdev");
}
