// A unified diff for `nftc fmt --check` and `--diff`: the longest common
// subsequence of lines between the common head and tail, then hunks with
// three lines of context, as `diff -u` prints them.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "backends/fmt/format.hpp"

namespace nftc::formatter {
namespace {

// Lines with their '\n' (the last may have none).
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t p = 0;
  while (p < s.size()) {
    std::size_t e = s.find('\n', p);
    e = e == std::string_view::npos ? s.size() : e + 1;
    out.push_back(s.substr(p, e - p));
    p = e;
  }
  return out;
}

enum class Op : std::uint8_t { same, del, ins };

// The edit script from a to b. Beyond kMaxCells the middle is one
// replacement, which is still a correct (if coarse) diff.
std::vector<Op> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  constexpr std::size_t kMaxCells = std::size_t{16} << 20;
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  std::vector<Op> ops(head, Op::same);
  if (n * m > kMaxCells || n == 0 || m == 0) {
    ops.insert(ops.end(), n, Op::del);
    ops.insert(ops.end(), m, Op::ins);
  } else {
    // lcs[i][j]: the LCS length of a[i..n) and b[j..m) (of the middle).
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
      for (std::size_t j = m; j-- > 0;)
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        ops.push_back(Op::same);
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        ops.push_back(Op::del);
        ++i;
      } else {
        ops.push_back(Op::ins);
        ++j;
      }
    }
  }
  ops.insert(ops.end(), tail, Op::same);
  return ops;
}

void put_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

// "5" for one line, "4,0" for none (the line before), "5,3" otherwise.
std::string hunk_range(std::size_t start, std::size_t count) {
  if (count == 1) return fmt::format("{}", start + 1);
  if (count == 0) return fmt::format("{},0", start);
  return fmt::format("{},{}", start + 1, count);
}

}  // namespace

std::string unified_diff(std::string_view a_text, std::string_view b_text, std::string_view name_a,
                         std::string_view name_b) {
  if (a_text == b_text) return {};
  const std::vector<std::string_view> a = split_lines(a_text), b = split_lines(b_text);
  const std::vector<Op> ops = edit_script(a, b);
  constexpr std::size_t kContext = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", name_a, name_b);
  // Position of each op in a and b.
  std::vector<std::size_t> ia(ops.size() + 1), ib(ops.size() + 1);
  for (std::size_t k = 0; k < ops.size(); ++k) {
    ia[k + 1] = ia[k] + (ops[k] != Op::ins);
    ib[k + 1] = ib[k] + (ops[k] != Op::del);
  }
  std::size_t k = 0;
  while (k < ops.size()) {
    if (ops[k] == Op::same) {
      ++k;
      continue;
    }
    // A hunk: from kContext before the change to kContext after the last
    // change that is at most 2*kContext unchanged lines from the next.
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    for (;;) {
      while (end < ops.size() && ops[end] != Op::same) ++end;
      std::size_t same = end;
      while (same < ops.size() && ops[same] == Op::same) ++same;
      if (same < ops.size() && same - end <= 2 * kContext) {
        end = same;
        continue;
      }
      end = std::min(end + kContext, ops.size());
      break;
    }
    std::size_t na = ia[end] - ia[start], nb = ib[end] - ib[start];
    out += fmt::format("@@ -{} +{} @@\n", hunk_range(ia[start], na), hunk_range(ib[start], nb));
    for (std::size_t x = start; x < end; ++x) {
      if (ops[x] == Op::same) put_line(out, ' ', a[ia[x]]);
      else if (ops[x] == Op::del) put_line(out, '-', a[ia[x]]);
      else put_line(out, '+', b[ib[x]]);
    }
    k = end;
  }
  return out;
}

}  // namespace nftc::formatter
