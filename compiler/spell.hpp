// "Did you mean": the closest candidate by edit distance.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftc {

// Damerau-Levenshtein distance (optimal string alignment), case-sensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible
// typo: at most one edit for short words, two for longer, never the word
// itself.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace nftc
