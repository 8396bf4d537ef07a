// The layout: the scanned pieces of a file, grouped by its braces, printed
// as `nft list ruleset` lays out blocks. Only blanks, line breaks and
// statement separators change; every token and comment is printed as
// written, in its order. docs/fmt.md states the rules.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "backends/fmt/braces.hpp"
#include "backends/fmt/scan.hpp"

namespace nftc::formatter {

struct LayoutOptions {
  std::size_t width = 120;  // element lists longer than this (tabs count 8) are wrapped at commas
};

std::string layout(std::string_view text, const std::vector<Piece>& pieces, const BraceMap& braces,
                   const LayoutOptions& opts);

}  // namespace nftc::formatter
