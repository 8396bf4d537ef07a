#include "tests/conformance/text.hpp"

namespace nftc::conformance {

std::string_view ltrim(std::string_view s) {
  std::size_t b = s.find_first_not_of(kWhitespace);
  return b == std::string_view::npos ? std::string_view{} : s.substr(b);
}

std::string_view rtrim(std::string_view s) {
  std::size_t e = s.find_last_not_of(kWhitespace);
  return e == std::string_view::npos ? std::string_view{} : s.substr(0, e + 1);
}

std::string_view trim(std::string_view s) { return rtrim(ltrim(s)); }

bool is_blank(std::string_view s) { return s.find_first_not_of(kWhitespace) == std::string_view::npos; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    std::size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  for (s = ltrim(s); !s.empty(); s = ltrim(s)) {
    std::size_t e = s.find_first_of(kWhitespace);
    out.push_back(s.substr(0, e));
    if (e == std::string_view::npos) break;
    s.remove_prefix(e);
  }
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string join(const std::vector<std::string_view>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string header_rule(std::string_view line) {
  std::string_view t = trim(line);
  return std::string(t.size() >= 2 ? t.substr(2) : std::string_view{});
}

}  // namespace nftc::conformance
