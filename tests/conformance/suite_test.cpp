// The suite reader on small made-up files, then on the real suite when it is
// there (the counts are those of the snapshot described in
// nft-tests/MANIFEST.txt).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "tests/conformance/real_suite.hpp"
#include "tests/conformance/suite.hpp"
#include "tests/conformance/text.hpp"

using namespace nftc::conformance;

TEST_CASE("text helpers read lines as nft-test.py does") {
  CHECK(split_lines("a\nb\n") == std::vector<std::string_view>{"a", "b"});
  CHECK(split_lines("a\n\nb") == std::vector<std::string_view>{"a", "", "b"});
  CHECK(split_lines("").empty());
  CHECK(split("a;b;;c", ';') == std::vector<std::string_view>{"a", "b", "", "c"});
  CHECK(split_words("  x  y\tz ") == std::vector<std::string_view>{"x", "y", "z"});
  CHECK(is_blank(" \t"));
  CHECK(is_blank(""));
  CHECK_FALSE(is_blank(" x"));
  CHECK(header_rule("# meta mark 7 \n") == "meta mark 7");
  CHECK(header_rule("#x") == "");
}

TEST_CASE("tables, chains and rules") {
  TestFile f = parse_test_file("demo/a.t",
                               ":in;type filter hook input priority 0\n"
                               ":out;type filter hook output priority 0\n"
                               "\n"
                               "*ip;t4;in\n"
                               "*inet;tx;in,out\n"
                               "# a comment;ok\n"
                               "meta mark 1;ok\n"
                               "meta mark 2 ;fail\n"
                               "meta mark 0x3;ok;meta mark 0x00000003  \n"
                               "- meta mark 4;ok\n");
  CHECK(f.issues.empty());
  REQUIRE(f.tables.size() == 2);
  CHECK(f.tables[1]->chains.size() == 2);
  REQUIRE(f.rules.size() == 3);
  CHECK(f.need_fix == 1);

  const RuleLine& r = f.rules[0];
  CHECK(r.line == 7);
  CHECK(r.rule == "meta mark 1");
  CHECK(r.expect == Expect::ok);
  CHECK_FALSE(r.canonical);
  REQUIRE(r.cases.size() == 3);  // ip/t4/in, inet/tx/in, inet/tx/out
  CHECK(r.cases[0].header() == "ip t4 in");
  CHECK(r.cases[0].chain_def().definition == "type filter hook input priority 0");
  CHECK(r.cases[2].header() == "inet tx out");
  CHECK(r.cases[2].file == "demo/a.t");
  CHECK(r.cases[2].line == 7);

  CHECK(f.rules[1].rule == "meta mark 2 ");
  CHECK(f.rules[1].expect == Expect::fail);
  REQUIRE(f.rules[2].canonical);
  CHECK(*f.rules[2].canonical == "meta mark 0x00000003");
}

TEST_CASE("a rule applies to the tables created before it, not after") {
  TestFile f = parse_test_file("b.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;one;c\n"
                               "udp dport 1;ok\n"
                               "*ip6;two;c\n"
                               "udp dport 2;ok\n");
  REQUIRE(f.rules.size() == 2);
  CHECK(f.rules[0].cases.size() == 1);
  CHECK(f.rules[1].cases.size() == 2);
}

TEST_CASE("malformed lines, unknown chains and repeated tables are issues") {
  TestFile f = parse_test_file("c.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;t;c,nosuch\n"
                               "no result field\n"
                               "a;b;c;ok\n"
                               "x;maybe\n"
                               "ip saddr 1.1.1.1;ok\n"
                               "*ip;t;c\n"
                               "ip saddr 2.2.2.2;ok\n");
  CHECK(f.rules.size() == 1);
  CHECK(f.rules[0].cases.size() == 1);
  REQUIRE(f.issues.size() == 5);
  CHECK(f.issues[0].line == 2);  // nosuch
  CHECK(f.issues[1].line == 3);
  CHECK(f.issues[2].line == 4);
  CHECK(f.issues[3].line == 5);
  CHECK(f.issues[4].line == 7);  // and the file stops there
}

TEST_CASE("sets, maps, elements and objects build each case's context") {
  TestFile f = parse_test_file("d.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;t;c\n"
                               "!s1 type ipv4_addr;ok\n"
                               "ip saddr @s1;ok\n"
                               "?s1 10.0.0.1, 10.0.0.2;ok\n"
                               "?s1 10.0.0.3;fail\n"
                               "!m1 type ipv4_addr . inet_service : mark . mark timeout 5s flags interval;ok\n"
                               "!m2 typeof vlan id : meta mark;ok\n"
                               "!bad type x;fail\n"
                               "%q1 type quota over 10 bytes;ok\n"
                               "%h1 type ct helper { type \"x\" protocol udp; };ok\n"
                               "ip saddr @s1;ok\n");
  CHECK(f.issues.empty());
  REQUIRE(f.rules.size() == 2);
  const TableContext& early = *f.rules[0].cases.at(0).table;
  REQUIRE(early.sets.size() == 1);
  CHECK(early.sets[0].element_batches.empty());

  const TableContext& late = *f.rules[1].cases.at(0).table;
  REQUIRE(late.sets.size() == 3);
  CHECK(late.sets[0].element_batches == std::vector<std::vector<std::string>>{{"10.0.0.1", "10.0.0.2"}});
  const Set& m1 = late.sets[1];
  CHECK(m1.is_map());
  CHECK(m1.key == "type ipv4_addr . inet_service");
  CHECK(m1.data == "mark . mark");
  CHECK(m1.timeout == "5s");
  CHECK(m1.flags == "interval");
  CHECK(late.sets[2].key == "typeof vlan id");
  CHECK(late.sets[2].data == "meta mark");
  REQUIRE(late.objects.size() == 2);
  CHECK(late.objects[0].type == "quota");
  CHECK(late.objects[0].spec == "over 10 bytes");
  CHECK(late.objects[1].type == "ct helper");
  CHECK(late.objects[1].spec == "{ type \"x\" protocol udp; }");

  // Every !, ? and % line is also a context line to check on its own.
  REQUIRE(f.context.size() == 8);
  CHECK(f.context[2].expect == Expect::fail);
  CHECK(std::get<Elements>(f.context[2].item).elements == std::vector<std::string>{"10.0.0.3"});
  CHECK(f.context[2].before.at(0)->sets.at(0).element_batches.size() == 1);
  CHECK(std::get<Object>(f.context[7].item).name == "h1");
}

TEST_CASE("payload blocks are found as payload_find_expected finds them") {
  PayloadFile pf = parse_payload_file("x.t.payload", "",
                                      "# meta mark 1\n"
                                      "ip t c\n"
                                      "  [ first ]\n"
                                      "\n"
                                      "# meta mark 2\n"
                                      "ip t c\n"
                                      "  [ second ]\n"
                                      "# meta mark 3\n"
                                      "  [ third ]\n"
                                      "\n"
                                      "# meta mark 1\n"
                                      "  [ again ]\n");
  REQUIRE(pf.blocks.size() == 4);
  const PayloadBlock* b = pf.find("  meta mark 1 ");
  REQUIRE(b);
  CHECK(b->line == 1);
  CHECK(b->lines == std::vector<std::string>{"ip t c", "  [ first ]", ""});
  // Without a blank line a block runs into the next header.
  CHECK(pf.find("meta mark 2")->lines ==
        std::vector<std::string>{"ip t c", "  [ second ]", "# meta mark 3", "  [ third ]", ""});
  CHECK(pf.find("meta mark 3")->lines == std::vector<std::string>{"  [ third ]", ""});
  // At the end of the file a block ends without a blank line.
  CHECK(pf.blocks[3].lines == std::vector<std::string>{"  [ again ]"});
  CHECK_FALSE(pf.find("meta mark 4"));
}

TEST_CASE("a family payload file takes precedence over the generic one, per rule") {
  TestFile f = parse_test_file("e.t",
                               ":c;type filter hook input priority 0\n"
                               "*ip;t4;c\n"
                               "*inet;tx;c\n"
                               "meta mark 1;ok\n"
                               "meta mark 2;ok\n");
  f.payloads.push_back(parse_payload_file("e.t.payload", "", "# meta mark 1\n  [ g1 ]\n\n# meta mark 2\n  [ g2 ]\n"));
  f.payloads.push_back(parse_payload_file("e.t.payload.inet", "inet", "# meta mark 2\n  [ i2 ]\n\n# meta mark 1\n"));
  const auto& one = f.rules[0].cases;
  const auto& two = f.rules[1].cases;
  CHECK(f.expected_payload(one[0])->lines.at(0) == "  [ g1 ]");
  CHECK(f.expected_payload(two[0])->lines.at(0) == "  [ g2 ]");
  CHECK(f.expected_payload(two[1])->lines.at(0) == "  [ i2 ]");
  // An empty family block falls back to the generic one.
  CHECK(f.expected_payload(one[1])->lines.at(0) == "  [ g1 ]");
  CHECK(f.payload_file_of(*f.expected_payload(two[1])).name == "e.t.payload.inet");
  CHECK(f.payload_block_count() == 4);
}

TEST_CASE("json blocks are the trimmed lines joined") {
  JsonFile jf = parse_json_file("f.t.json", "# meta mark 1\n[\n    {\n\t\"x\": 1\n    }\n]\n\n# meta mark 2\n[]\n");
  REQUIRE(jf.blocks.size() == 2);
  CHECK(jf.find("meta mark 1")->text == "[{\"x\": 1}]");
  CHECK(jf.find("meta mark 2")->text == "[]");
}

TEST_CASE("the real suite") {
  std::optional<Suite> suite = real_suite_or_skip();
  if (!suite) return;
  CHECK(suite->files.size() == 105);

  std::size_t lines = 0, ok = 0, cases = 0, blocks = 0, context = 0, need_fix = 0, issues = 0;
  std::set<const PayloadBlock*> used;
  bool every_ok_case_has_payload = true;
  for (const TestFile& f : suite->files) {
    blocks += f.payload_block_count();
    context += f.context.size();
    need_fix += static_cast<std::size_t>(f.need_fix);
    issues += f.issues.size();
    for (const RuleLine& r : f.rules) {
      ++lines;
      ok += r.expect == Expect::ok;
      cases += r.cases.size();
      if (r.expect != Expect::ok) continue;
      for (const TestCase& c : r.cases) {
        const PayloadBlock* b = f.expected_payload(c);
        if (b) used.insert(b);
        else every_ok_case_has_payload = false;
      }
    }
  }
  CHECK(lines == 1981);  // accept/reject decisions
  CHECK(ok == 1765);
  CHECK(blocks == 2532);  // payload blocks
  CHECK(used.size() == blocks);
  CHECK(every_ok_case_has_payload);
  CHECK(cases == 6384);
  CHECK(context == 96);
  CHECK(need_fix == 38);
  CHECK(issues == 0);
  CHECK(suite->dumps.size() == 432);
  // 423 .json-nft files, one of them (sets/dumps/0024named_objects_0) without a .nft.
  CHECK(std::count_if(suite->dumps.begin(), suite->dumps.end(), [](const DumpFile& d) { return d.has_json; }) == 422);
}
