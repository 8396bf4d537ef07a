// Payload comparison as nft-test.py's payload_check does it, the strict
// comparison, the rule block taken from --emit bytecode text, and diffs.
#include <doctest/doctest.h>

#include "tests/conformance/compare.hpp"

using namespace nftc::conformance;

using Lines = std::vector<std::string>;

TEST_CASE("the last rule block of the bytecode text") {
  const std::string bytecode =
      "ip t c\n"
      "  [ one ]\n"
      "__set%d t 3\n"
      "__set%d t 0\n"
      "\telement 01\telement 02\n"
      "ip t c\n"
      "  [ two ]\n"
      "  [ lookup ]\n"
      "\n"
      "ip t other\n"
      "  [ three ]\n";
  auto b = last_rule_block(bytecode, "ip t c");
  REQUIRE(b);
  CHECK(*b == Lines{"__set%d t 3", "__set%d t 0", "\telement 01\telement 02", "ip t c", "  [ two ]", "  [ lookup ]"});
  CHECK(*last_rule_block(bytecode, "ip t other") == Lines{"ip t other", "  [ three ]"});
  CHECK_FALSE(last_rule_block(bytecode, "ip t nope"));
  CHECK_FALSE(last_rule_block("", "ip t c"));
}

TEST_CASE("named sets and their elements before a rule are not part of its block") {
  const std::string bytecode =
      "s t 0\n"
      "s t 0\n"
      "\telement 01\n"
      "__set%d t 3\n"
      "__set%d t 0\n"
      "\telement 02\n"
      "ip t c\n"
      "  [ lookup ]\n";
  auto b = last_rule_block(bytecode, "ip t c");
  REQUIRE(b);
  CHECK(*b == Lines{"__set%d t 3", "__set%d t 0", "\telement 02", "ip t c", "  [ lookup ]"});
  CHECK(*last_rule_block("s t 0\n\telement 01\nip t c\n  [ x ]\n", "ip t c") == Lines{"ip t c", "  [ x ]"});
}

TEST_CASE("relevant lines and element sets") {
  CHECK(payload_line_relevant("  [ cmp eq reg 1 0x1 ]"));
  CHECK(payload_line_relevant("\telement 01"));
  CHECK_FALSE(payload_line_relevant("ip t c"));
  CHECK_FALSE(payload_line_relevant("__set%d t 3"));
  CHECK_FALSE(payload_line_relevant("   [ three spaces ]"));
  CHECK(same_elements("\telement 01\telement 02", "\telement 02 \telement 01"));
  CHECK_FALSE(same_elements("\telement 01\telement 02", "\telement 01\telement 03"));
  CHECK_FALSE(same_elements("  [ x ]", "  [ x ]"));
}

TEST_CASE("payload_check: relevant lines in order, elements as sets") {
  const Lines want = {"__set%d t 3", "\telement 01\telement 02", "ip", "  [ a ]", "  [ b ]", ""};
  const std::string h = "ip t c";
  auto exact = compare_payload(want, {"__set%d t 3", "\telement 01\telement 02", "ip t c", "  [ a ]", "  [ b ]"}, h);
  CHECK(exact.matched);
  CHECK(exact.strict);  // the abbreviated header is allowed

  auto reordered =
      compare_payload(want, {"__set%d t 3", "\telement 02\telement 01", "ip t c", "  [ a ]", "  [ b ]"}, h);
  CHECK(reordered.matched);
  CHECK_FALSE(reordered.strict);

  // Irrelevant lines may differ; relevant lines beyond the expected ones are not looked at.
  auto extra = compare_payload(want, {"__set%d t 7", "\telement 01\telement 02", "ip t c", "  [ a ]", "  [ b ]",
                                      "  [ c ]"}, h);
  CHECK(extra.matched);
  CHECK_FALSE(extra.strict);

  auto wrong = compare_payload(want, {"__set%d t 3", "\telement 01\telement 02", "ip t c", "  [ a ]", "  [ x ]"}, h);
  CHECK_FALSE(wrong.matched);
  CHECK(wrong.first_mismatch == 4);

  auto short_got = compare_payload(want, {"ip t c", "  [ a ]"}, h);
  CHECK_FALSE(short_got.matched);
  CHECK(short_got.first_mismatch == 1);  // the element line found "  [ a ]"

  // Nothing expected, or nothing matched exactly, is no match.
  CHECK_FALSE(compare_payload({}, {"ip t c", "  [ a ]"}, h).matched);
  CHECK_FALSE(compare_payload({"\telement 1"}, {"\telement 1 "}, h).matched);
}

TEST_CASE("strict: the rule header and the table of set declarations are where, not what") {
  const Lines got = {"__set%d tx 3", "\telement 01", "inet tx c", "  [ a ]"};
  CHECK(compare_payload({"__set%d t4 3", "\telement 01", "ip t4 c", "  [ a ]", ""}, got, "inet tx c").strict);
  CHECK(compare_payload({"__set%d tx 3", "\telement 01", "inet", "  [ a ]"}, got, "inet tx c").strict);
  CHECK(compare_payload({"__set%d tx 3", "\telement 01", "  [ a ]"}, got, "inet tx c").strict);
  CHECK_FALSE(compare_payload({"__set%d tx 7", "\telement 01", "inet", "  [ a ]"}, got, "inet tx c").strict);
  CHECK_FALSE(compare_payload({"__set%d tx 3", "\telement 01", "inet", "  [ a ]", "  [ b ]"}, got, "inet tx c")
                  .strict);
}

TEST_CASE("the rule header of an expected block") {
  CHECK(rule_header_index({"__set%d t 3", "\telement 01", "ip t c", "  [ a ]"}) == 2u);
  CHECK(rule_header_index({"ip", "  [ a ]", "  [ b ]"}) == 0u);
  CHECK_FALSE(rule_header_index({"  [ a ]"}));
  CHECK_FALSE(rule_header_index({"__set%d t 3", "\telement 01", "  [ a ]"}));
  CHECK_FALSE(rule_header_index({"ip t c"}));
}

TEST_CASE("unified diff") {
  CHECK(unified_diff({"a", "b", "c"}, {"a", "x", "c", "d"}, "want", "got") ==
        "--- want\n+++ got\n@@ -1,3 +1,4 @@\n a\n-b\n+x\n c\n+d\n");
  CHECK(unified_diff({}, {}, "w", "g") == "--- w\n+++ g\n@@ -1,0 +1,0 @@\n");
}
