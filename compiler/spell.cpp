#include "compiler/spell.hpp"

#include <algorithm>

namespace nftc {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.empty()) return std::nullopt;
  const std::size_t limit = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_dist = limit + 1;
  for (std::string_view c : candidates) {
    if (c == word) continue;
    std::size_t d = edit_distance(word, c);
    if (d < best_dist) {
      best_dist = d;
      best = std::string(c);
    }
  }
  return best;
}

}  // namespace nftc
