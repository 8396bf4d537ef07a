// The scripts built for cases: the context nft-test.py would create, then
// the rule.
#include <doctest/doctest.h>

#include "tests/conformance/script.hpp"

using namespace nftc::conformance;

TEST_CASE("a case's script creates its table, chains, objects, sets and elements") {
  TestFile f = parse_test_file("s.t",
                               ":in;type filter hook input priority 0\n"
                               ":plain;\n"
                               "*inet;tx;in,plain\n"
                               "%c1 type counter;ok\n"
                               "!s1 type ipv4_addr flags interval;ok\n"
                               "?s1 10.0.0.0/8;ok\n"
                               "?s1 10.0.0.0/8;fail\n"
                               "?s1 11.0.0.0/8 ,12.0.0.0/8;ok\n"
                               "!m1 typeof udp dport : meta mark timeout 1m;ok\n"
                               "ip saddr @s1 counter name c1;ok\n");
  REQUIRE(f.rules.size() == 1);
  REQUIRE(f.rules[0].cases.size() == 2);
  CHECK(case_script(f.rules[0].cases[1]) ==
        "add table inet tx\n"
        "add chain inet tx in { type filter hook input priority 0; }\n"
        "add chain inet tx plain\n"
        "add counter inet tx c1\n"
        "add set inet tx s1 { type ipv4_addr; flags interval; }\n"
        "add element inet tx s1 { 10.0.0.0/8 }\n"
        "add element inet tx s1 { 11.0.0.0/8, 12.0.0.0/8 }\n"
        "add map inet tx m1 { typeof udp dport : meta mark; timeout 1m; }\n"
        "add rule inet tx plain ip saddr @s1 counter name c1\n");
}

TEST_CASE("context lines run their own command after the state before them") {
  TestFile f = parse_test_file("s.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;t;c\n"
                               "!s1 type ipv4_addr;ok\n"
                               "?s1 10.0.0.300;fail\n"
                               "%h type ct helper { type \"x\" protocol tcp; };fail\n");
  REQUIRE(f.context.size() == 3);
  const TableContext& t = *f.context[1].before.at(0);
  CHECK(context_script(t) + context_line_command(t, f.context[1]) ==
        "add table ip t\n"
        "add chain ip t c { type filter hook input priority 0; }\n"
        "add set ip t s1 { type ipv4_addr; }\n"
        "add element ip t s1 { 10.0.0.300 }\n");
  CHECK(context_line_command(*f.context[2].before.at(0), f.context[2]) ==
        "add ct helper ip t h { type \"x\" protocol tcp; }\n");
  // A failing line leaves nothing behind.
  CHECK(f.context[2].before.at(0)->sets.at(0).element_batches.empty());
}
