// Comparing the bytecode nftc emits for a rule with the payload the suite
// expects, the way tests/py/nft-test.py's payload_check does, plus a strict
// comparison and a diff for humans.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftc::conformance {

// The last rule block of `--emit bytecode` text whose chain line is `header`
// ("ip t4 input"): the anonymous-set lines just before that line, the
// line itself, and the expression lines after it. Nothing when no line is
// `header` (trailing whitespace ignored).
std::optional<std::vector<std::string>> last_rule_block(std::string_view bytecode, std::string_view header);

// The lines payload_check compares: expressions ("  [ ") and set elements.
bool payload_line_relevant(std::string_view line);

// Both are element lines ("\telement a\telement b") with the same elements in
// any order. Like nft-test.py, a repeated element ends the list early.
bool same_elements(std::string_view want, std::string_view got);

struct PayloadComparison {
  // As payload_check: each relevant expected line equals the next relevant
  // line of `got` (element lines may differ in order), and at least one
  // matched exactly. Relevant lines `got` has beyond the expected ones are not
  // looked at.
  bool matched = false;
  // Every line equal and in order, none missing or extra, except for what
  // records where the payload was captured rather than what it is: the rule
  // header (absent, "ip", "ip ", or another table's header in a block shared
  // by several families) and the table named by set declaration lines
  // ("__set%d t4 3").
  bool strict = false;
  int first_mismatch = -1;  // index into the expected lines where payload_check stopped
};

// The rule header of an expected block ("ip t4 input", "ip", ...): the
// line before the first expression, unless that is a set line or there is none.
std::optional<std::size_t> rule_header_index(const std::vector<std::string>& block);

// `expected` is a PayloadBlock's lines; `got` comes from last_rule_block, so
// its chain line is `header`.
PayloadComparison compare_payload(const std::vector<std::string>& expected, const std::vector<std::string>& got,
                                  std::string_view header);

// A unified-style diff of two short line lists, in one hunk with full context.
std::string unified_diff(const std::vector<std::string>& from, const std::vector<std::string>& to,
                         std::string_view from_name, std::string_view to_name);

}  // namespace nftc::conformance
