#include "tests/conformance/compare.hpp"

#include <set>

#include "tests/conformance/text.hpp"

namespace nftc::conformance {

namespace {

bool is_expression(std::string_view line) { return line.starts_with("  ["); }

bool is_set_declaration(std::string_view line) { return line.starts_with("__"); }

// A block line as the strict comparison sees it: set declarations without
// the table they were captured in.
std::string strict_form(std::string_view line) {
  if (!is_set_declaration(line)) return std::string(line);
  std::vector<std::string_view> w = split(line, ' ');
  if (w.size() > 1) w[1] = "<table>";
  return join(w, " ");
}

std::vector<std::string> strict_lines(const std::vector<std::string>& block, std::optional<std::size_t> header) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < block.size(); ++i)
    if (i != header) out.push_back(strict_form(block[i]));
  while (!out.empty() && is_blank(out.back())) out.pop_back();
  return out;
}

std::set<std::string> element_set(std::string_view line) {
  std::set<std::string> out;
  std::string_view rest = line;
  for (;;) {
    std::size_t p = rest.find("element");
    std::string piece(trim(rest.substr(0, p)));
    if (!out.insert(piece).second) return out;
    if (p == std::string_view::npos) return out;
    rest.remove_prefix(p + 7);
  }
}

}  // namespace

std::optional<std::vector<std::string>> last_rule_block(std::string_view bytecode, std::string_view header) {
  std::vector<std::string_view> lines = split_lines(bytecode);
  std::size_t h = lines.size();
  for (std::size_t i = lines.size(); i-- > 0;)
    if (rtrim(lines[i]) == header) {
      h = i;
      break;
    }
  if (h == lines.size()) return std::nullopt;
  std::size_t begin = h;
  while (begin > 0 && !is_blank(lines[begin - 1]) && !is_expression(lines[begin - 1])) --begin;
  // Named sets and their element batches come before the rule in the same
  // run of lines; only the anonymous sets just before it belong to it.
  bool anonymous = true;  // the set the element lines at i belong to (none seen: keep them)
  for (std::size_t i = begin; i < h; ++i) {
    if (is_set_declaration(lines[i])) {
      anonymous = true;
    } else if (!ltrim(lines[i]).starts_with("element")) {
      anonymous = false;
      begin = i + 1;
    } else if (!anonymous) {
      begin = i + 1;
    }
  }
  std::size_t end = h + 1;
  while (end < lines.size() && !is_blank(lines[end]) && lines[end].starts_with(" ")) ++end;
  return std::vector<std::string>(lines.begin() + static_cast<long>(begin), lines.begin() + static_cast<long>(end));
}

std::optional<std::size_t> rule_header_index(const std::vector<std::string>& block) {
  for (std::size_t i = 0; i < block.size(); ++i) {
    if (!is_expression(block[i])) continue;
    if (i == 0 || is_set_declaration(block[i - 1]) || payload_line_relevant(block[i - 1]) || is_blank(block[i - 1]))
      return std::nullopt;
    return i - 1;
  }
  return std::nullopt;
}

bool payload_line_relevant(std::string_view line) {
  return line.starts_with("  [ ") || ltrim(line).starts_with("element");
}

bool same_elements(std::string_view want, std::string_view got) {
  if (!ltrim(want).starts_with("element") || !ltrim(got).starts_with("element")) return false;
  return element_set(want) == element_set(got);
}

PayloadComparison compare_payload(const std::vector<std::string>& expected, const std::vector<std::string>& got,
                                  std::string_view header) {
  PayloadComparison r;
  std::size_t g = 0;
  int exact = 0;
  r.matched = !expected.empty();
  for (std::size_t i = 0; i < expected.size() && r.matched; ++i) {
    const std::string& want = expected[i];
    if (!payload_line_relevant(want)) continue;
    const std::string* line = nullptr;
    while (g < got.size() && !line)
      if (payload_line_relevant(got[g++])) line = &got[g - 1];
    if (line && *line == want) {
      ++exact;
      continue;
    }
    if (line && same_elements(want, *line)) continue;
    r.matched = false;
    r.first_mismatch = static_cast<int>(i);
  }
  r.matched = r.matched && exact > 0;

  std::optional<std::size_t> got_header;
  for (std::size_t i = 0; i < got.size() && !got_header; ++i)
    if (rtrim(got[i]) == header) got_header = i;
  r.strict = strict_lines(expected, rule_header_index(expected)) == strict_lines(got, got_header);
  return r;
}

std::string unified_diff(const std::vector<std::string>& from, const std::vector<std::string>& to,
                         std::string_view from_name, std::string_view to_name) {
  // Longest common subsequence table; the blocks are a few dozen lines.
  const std::size_t n = from.size(), m = to.size();
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = from[i] == to[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out = "--- " + std::string(from_name) + "\n+++ " + std::string(to_name) + "\n";
  out += "@@ -1," + std::to_string(n) + " +1," + std::to_string(m) + " @@\n";
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && from[i] == to[j]) {
      out += " " + from[i++] + "\n";
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out += "-" + from[i++] + "\n";
    } else {
      out += "+" + to[j++] + "\n";
    }
  }
  return out;
}

}  // namespace nftc::conformance
