#include "grammar/lexer.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <string>

namespace nftc::grammar {
namespace {

bool is_digit(char c) { return char_is(c, kDigit); }
bool is_hex(char c) { return char_is(c, kHex); }
bool is_letter(char c) { return char_is(c, kLetter); }

// Each matcher returns the length of the longest match of its pattern at
// `p`, or 0.

// {string}: ({letter}|[_.])({letter}|{digit}|[/\-_\.])*
std::size_t match_string(std::string_view s, std::size_t p) {
  if (p >= s.size() || !(is_letter(s[p]) || s[p] == '_' || s[p] == '.')) return 0;
  std::size_t i = p + 1;
  while (i < s.size() && is_word_char(s[i])) ++i;
  return i - p;
}

std::size_t match_digits(std::string_view s, std::size_t p, std::size_t max = SIZE_MAX) {
  std::size_t i = p;
  while (i < s.size() && i - p < max && is_digit(s[i])) ++i;
  return i - p;
}

std::size_t match_hexdigits(std::string_view s, std::size_t p, std::size_t max) {
  std::size_t i = p;
  while (i < s.size() && i - p < max && is_hex(s[i])) ++i;
  return i - p;
}

// {ip4addr}: ([0-9]{1,3}\.){3}[0-9]{1,3}
std::size_t match_ip4(std::string_view s, std::size_t p) {
  std::size_t i = p;
  for (int part = 0; part < 4; ++part) {
    std::size_t n = match_digits(s, i, 3);
    if (n == 0) return 0;
    i += n;
    if (part < 3) {
      if (i >= s.size() || s[i] != '.') return 0;
      ++i;
    }
  }
  return i - p;
}

// {macaddr}: ([[:xdigit:]]{1,2}:){5}[[:xdigit:]]{1,2}
std::size_t match_mac(std::string_view s, std::size_t p) {
  std::size_t i = p;
  for (int part = 0; part < 6; ++part) {
    std::size_t n = match_hexdigits(s, i, 2);
    if (n == 0) return 0;
    i += n;
    if (part < 5) {
      if (i >= s.size() || s[i] != ':') return 0;
      ++i;
    }
  }
  return i - p;
}

// Whether s[p, p+len) is an IPv6 address in one of the forms of nft's
// scanner: eight groups, or fewer groups around exactly one "::", where the
// last 32 bits may be written as an IPv4 address (only with "::").
bool valid_ip6(std::string_view s, std::size_t p, std::size_t len) {
  std::string_view t = s.substr(p, len);
  std::size_t dc = t.find("::");
  bool compressed = dc != std::string_view::npos;
  if (compressed && t.find("::", dc + 1) != std::string_view::npos) return false;
  int groups = 0;
  auto count_side = [&](std::string_view side, bool allow_v4) -> bool {
    if (side.empty()) return true;
    std::size_t i = 0;
    for (;;) {
      std::size_t colon = side.find(':', i);
      std::string_view g = side.substr(i, colon == std::string_view::npos ? std::string_view::npos : colon - i);
      if (colon == std::string_view::npos && allow_v4 && g.find('.') != std::string_view::npos) {
        if (match_ip4(g, 0) != g.size()) return false;
        groups += 2;
        return true;
      }
      if (g.empty() || g.size() > 4) return false;
      for (char c : g)
        if (!is_hex(c)) return false;
      ++groups;
      if (colon == std::string_view::npos) return true;
      i = colon + 1;
    }
  };
  if (compressed) {
    std::string_view left = t.substr(0, dc), right = t.substr(dc + 2);
    if (!count_side(left, false) || !count_side(right, true)) return false;
    return groups <= 7;
  }
  if (!count_side(t, false)) return false;
  return groups == 8;
}

std::size_t match_ip6(std::string_view s, std::size_t p) {
  std::size_t i = p;
  bool colon = false;
  while (i < s.size() && (is_hex(s[i]) || s[i] == ':' || s[i] == '.')) colon |= s[i++] == ':';
  if (i - p < 2 || !colon) return 0;
  for (std::size_t len = i - p; len >= 2; --len)
    if (valid_ip6(s, p, len)) return len;
  return 0;
}

// {timestring}: ([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?
std::size_t match_time(std::string_view s, std::size_t p) {
  static constexpr std::string_view units[] = {"d", "h", "m", "s", "ms"};
  std::size_t best = 0;
  // Depth-first over the five optional groups, keeping the longest.
  auto rec = [&](auto&& self, std::size_t pos, int group) -> void {
    best = std::max(best, pos - p);
    for (int g = group; g < 5; ++g) {
      std::size_t n = match_digits(s, pos);
      if (n == 0) return;
      std::string_view u = units[g];
      if (s.substr(pos + n, u.size()) == u) self(self, pos + n + u.size(), g + 1);
    }
  };
  rec(rec, p, 0);
  return best;
}

// {classid}/[ \t\n:\-},]: the delimiter counts for the longest match but is
// not consumed.
std::size_t match_classid(std::string_view s, std::size_t p, std::size_t& consumed) {
  std::size_t a = match_hexdigits(s, p, 4);
  if (a == 0 || p + a >= s.size() || s[p + a] != ':') return 0;
  std::size_t b = match_hexdigits(s, p + a + 1, 4);
  if (b == 0) return 0;
  std::size_t end = p + a + 1 + b;
  if (end >= s.size()) return 0;
  char d = s[end];
  if (d != ' ' && d != '\t' && d != '\n' && d != ':' && d != '-' && d != '}' && d != ',') return 0;
  consumed = end - p;
  return consumed + 1;
}

// {asteriskstring}: {string}\* | {string}\\\* | \\\* | {string}\\\*{string}
std::size_t match_asterisk(std::string_view s, std::size_t p) {
  std::size_t best = 0;
  if (s.substr(p, 2) == "\\*") best = 2;
  std::size_t w = match_string(s, p);
  if (w > 0) {
    std::size_t q = p + w;
    if (q < s.size() && s[q] == '*') best = std::max(best, w + 1);
    if (s.substr(q, 2) == "\\*") {
      best = std::max(best, w + 2);
      std::size_t w2 = match_string(s, q + 2);
      if (w2 > 0) best = std::max(best, w + 2 + w2);
    }
  }
  return best;
}

// Hex, octal with a leading 0, else decimal; like strtoull, a number that
// does not fit or has bad octal digits is a string to nft.
void set_number_value(std::string_view s, Token& t) {
  std::string_view digits = s.substr(t.begin, t.length);
  unsigned base = 10;
  if (digits.size() > 2 && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
  }
  std::uint64_t v = 0;
  for (char d : digits) {
    unsigned dv = is_digit(d) ? unsigned(d - '0') : unsigned((d | 0x20) - 'a' + 10);
    if (dv >= base || v > (UINT64_MAX - dv) / base) {
      t.overflow = true;
      break;
    }
    v = v * base + dv;
  }
  t.value = v;
}

// The common tokens, recognised without trying every pattern: a word that
// cannot be anything else, a decimal number followed by a delimiter, and
// punctuation that starts no longer token. Returns false to take the
// general path.
bool lex_fast(std::string_view s, std::size_t p, Token& t) {
  const char c = s[p];
  const std::size_t n = s.size();
  auto done = [&](TokenKind k, std::size_t len) {
    t.kind = k;
    t.length = static_cast<std::uint32_t>(len);
    return true;
  };
  if (is_letter(c) || c == '_') {
    // A word cannot be an address, a class id or a time unless a ':' follows
    // its leading hex digits; an asterisk string needs '*' or '\\'. The key
    // is computed in the same pass.
    const char* d = s.data();
    std::size_t i = p;
    std::uint32_t h = 2166136261u;
    while (i < n && char_is(d[i], kHex)) {
      h = (h ^ static_cast<unsigned char>(d[i])) * 16777619u;
      ++i;
    }
    if (i < n && d[i] == ':') return false;
    while (i < n && char_is(d[i], kWordTail)) {
      h = (h ^ static_cast<unsigned char>(d[i])) * 16777619u;
      ++i;
    }
    if (i < n && (d[i] == '*' || d[i] == '\\')) return false;
    done(TokenKind::word, i - p);
    t.key = h;
    return true;
  }
  if (is_digit(c)) {
    const char* d = s.data();
    std::size_t i = p;
    while (i < n && is_digit(d[i])) ++i;
    // After a decimal number or an IPv4 address, these characters start no
    // pattern that could make a longer token: the token ends here.
    auto ends_here = [&](std::size_t at) {
      if (at >= n) return true;
      switch (d[at]) {
        case ' ': case '\t': case '\n': case ',': case ';': case '}': case ')': case ']': case '/': case '-':
          return true;
        default:
          return false;
      }
    };
    if (i < n && d[i] == '.' && i - p <= 3) {
      std::size_t a = match_ip4(s, p);
      if (a > 0 && (ends_here(p + a) || (p + a < n && d[p + a] == ':'))) {
        done(TokenKind::address, a);
        return true;
      }
      return false;
    }
    if (!ends_here(i)) return false;
    done(TokenKind::number, i - p);
    if (c == '0' && i - p > 1) return false;  // octal: let the general path decide
    set_number_value(s, t);
    return true;
  }
  switch (c) {
    case '{': case '}': case '(': case ')': case ',': case ';': case '@': case '$': case '^': case '&': case '|':
    case '=': case '+': case '*': case '/': case '-': case ']':
      break;
    case '<': case '>': case '!':
      break;
    default:
      return false;
  }
  std::size_t len = 1;
  if (p + 1 < n) {
    char d = s[p + 1];
    if ((d == '=' && (c == '=' || c == '!' || c == '<' || c == '>')) || (c == '<' && d == '<') || (c == '>' && d == '>'))
      len = 2;
  }
  done(TokenKind::punct, len);
  t.key = token_key(s.substr(p, len), true);
  return true;
}

constexpr std::string_view kPunct2[] = {"==", "!=", "<=", ">=", "<<", ">>"};
constexpr std::string_view kPunct1 = "<>,.:;{}[]()^&|!/-*@$=+";

}  // namespace

std::size_t skip_blanks(std::string_view s, std::size_t p) {
  const char* d = s.data();
  const std::size_t n = s.size();
  for (;;) {
    while (p < n && (d[p] == ' ' || d[p] == '\t')) ++p;
    if (p >= n) return p;
    if (d[p] == '\\') {
      if (p + 1 < n && d[p + 1] == '\n') {
        p += 2;
        continue;
      }
      if (p + 2 < n && d[p + 1] == '\r' && d[p + 2] == '\n') {
        p += 3;
        continue;
      }
      return p;
    }
    if (d[p] != '#') return p;
    // A comment alone on its line also takes the newline (flex's
    // comment_line, ^[ \t]*#.*\n); after other text it leaves the newline
    // as a token (comment, #.*$).
    std::size_t line_start = p;
    while (line_start > 0 && (d[line_start - 1] == ' ' || d[line_start - 1] == '\t')) --line_start;
    const bool alone = line_start == 0 || d[line_start - 1] == '\n';
    const std::size_t nl = s.find('\n', p);
    if (nl == std::string_view::npos) return n;
    if (!alone) return nl;
    p = nl + 1;
  }
}

void lex_token(std::string_view s, std::size_t p, Token& t) {
  t = Token{};
  t.begin = static_cast<std::uint32_t>(p);
  if (p >= s.size()) return;
  char c = s[p];
  auto make = [&](TokenKind k, std::size_t len) {
    t.kind = k;
    t.length = static_cast<std::uint32_t>(len);
  };
  if (c == '\n') return make(TokenKind::newline, 1);
  if (c == '\r') return s.substr(p, 2) == "\r\n" ? make(TokenKind::crlf, 2) : make(TokenKind::junk, 1);
  if (c == '"') {
    std::size_t q = s.find('"', p + 1);
    if (q == std::string_view::npos) return make(TokenKind::junk, 1);  // unterminated
    return make(TokenKind::quoted, q - p + 1);
  }
  if (lex_fast(s, p, t)) return;

  // Candidates in flex's rule order; the longest wins, the earlier on a tie.
  TokenKind kind = TokenKind::junk;
  std::size_t best = 0;       // length compared for the longest match
  std::size_t consumed = 0;   // bytes the winner consumes
  auto offer = [&](TokenKind k, std::size_t len, std::size_t eat) {
    if (len > best) {
      best = len;
      kind = k;
      consumed = eat;
    }
  };

  // Punctuation rules come first in the scanner, so "." is a dot, not the
  // one-character string "."; ".foo" is still a (longer) string.
  for (std::string_view op : kPunct2)
    if (s.substr(p, 2) == op) offer(TokenKind::punct, 2, 2);
  if (kPunct1.find(c) != std::string_view::npos) offer(TokenKind::punct, 1, 1);
  // "8021q" and "8021ad" are keywords the scanner returns as strings.
  if (s.substr(p, 5) == "8021q") offer(TokenKind::word, 5, 5);
  if (s.substr(p, 6) == "8021ad") offer(TokenKind::word, 6, 6);
  {
    std::size_t a = std::max({match_mac(s, p), match_ip4(s, p), match_ip6(s, p)});
    offer(TokenKind::address, a, a);
  }
  if (c == '[') {
    std::size_t a = match_ip6(s, p + 1);
    if (a > 0 && p + 1 + a < s.size() && s[p + 1 + a] == ']') offer(TokenKind::ip6_bracket, a + 2, a + 2);
  }
  {
    std::size_t tl = match_time(s, p);
    offer(TokenKind::time, tl, tl);
  }
  if (c == '0' && p + 2 < s.size() && (s[p + 1] == 'x' || s[p + 1] == 'X') && is_hex(s[p + 2])) {
    std::size_t n = 2 + match_hexdigits(s, p + 2, SIZE_MAX);
    offer(TokenKind::number, n, n);
  }
  if (is_digit(c)) {
    std::size_t n = match_digits(s, p);
    offer(TokenKind::number, n, n);
  }
  {
    std::size_t eat = 0;
    std::size_t len = match_classid(s, p, eat);
    offer(TokenKind::classid, len, eat);
  }
  {
    std::size_t a = match_asterisk(s, p);
    offer(TokenKind::asterisk, a, a);
  }
  {
    std::size_t w = match_string(s, p);
    offer(TokenKind::word, w, w);
  }

  if (best == 0) return make(TokenKind::junk, 1);
  t.kind = kind;
  t.length = static_cast<std::uint32_t>(consumed);
  if (kind == TokenKind::word || kind == TokenKind::punct)
    t.key = token_key(s.substr(p, consumed), kind == TokenKind::punct);
  if (kind == TokenKind::number) set_number_value(s, t);
}

std::string describe_token(std::string_view s, const Token& tok, bool is_keyword) {
  std::string_view text = s.substr(tok.begin, tok.length);
  switch (tok.kind) {
    case TokenKind::end: return "end of file";
    case TokenKind::newline: return "end of line";
    case TokenKind::crlf: return "a CRLF line terminator";
    case TokenKind::punct: return fmt::format("'{}'", text);
    case TokenKind::word:
      return is_keyword ? fmt::format("keyword '{}'", text) : fmt::format("'{}'", text);
    case TokenKind::number: return fmt::format("number {}", text);
    case TokenKind::address: return fmt::format("address {}", text);
    case TokenKind::ip6_bracket: return fmt::format("address {}", text);
    case TokenKind::time: return fmt::format("time {}", text);
    case TokenKind::classid: return fmt::format("'{}'", text);
    case TokenKind::quoted: return fmt::format("string {}", text);
    case TokenKind::asterisk: return fmt::format("'{}'", text);
    case TokenKind::junk:
      if (!text.empty() && text[0] == '"') return "an unterminated string";
      return fmt::format("invalid character '{}'", text);
  }
  return std::string(text);
}

}  // namespace nftc::grammar
