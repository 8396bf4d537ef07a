// Small string helpers for reading the suite's line-oriented files. Blank and
// trimmed mean what Python's str.isspace() and str.strip() mean there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nftc::conformance {

inline constexpr std::string_view kWhitespace = " \t\n\r\f\v";

std::string_view ltrim(std::string_view s);
std::string_view rtrim(std::string_view s);
std::string_view trim(std::string_view s);
// True for a line of whitespace only, including the empty line.
bool is_blank(std::string_view s);
// Splits at every `sep`, keeping empty fields (as Python's str.split(sep)).
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits at runs of whitespace, dropping empty fields (as Python's str.split()).
std::vector<std::string_view> split_words(std::string_view s);
// The lines of a file without their newlines; a final newline ends the last
// line rather than starting an empty one.
std::vector<std::string_view> split_lines(std::string_view text);
std::string join(const std::vector<std::string_view>& parts, std::string_view sep);
// The rule a "# rule" header line names: the line trimmed, minus its first two
// characters, as nft-test.py reads it.
std::string header_rule(std::string_view line);

}  // namespace nftc::conformance
