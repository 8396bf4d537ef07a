#include "grammar/lexer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <iterator>
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
std::uint64_t number_value(std::string_view digits, bool& overflow) {
  overflow = false;
  // Most numbers are short decimals: no base to find, no overflow possible.
  if (digits.size() <= 19 && !digits.empty() && digits[0] != '0') {
    std::uint64_t v = 0;
    for (char d : digits) {
      if (!is_digit(d)) {
        overflow = true;
        return 0;
      }
      v = v * 10 + static_cast<unsigned>(d - '0');
    }
    return v;
  }
  unsigned base = 10;
  if (digits.size() > 2 && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
  }
  std::uint64_t v = 0;
  overflow = false;
  for (char d : digits) {
    unsigned dv = is_digit(d) ? unsigned(d - '0') : unsigned((d | 0x20) - 'a' + 10);
    if (dv >= base || __builtin_mul_overflow(v, std::uint64_t{base}, &v) || __builtin_add_overflow(v, dv, &v)) {
      overflow = true;
      return 0;
    }
  }
  return v;
}

void set_number_value(std::string_view s, Token& t) {
  bool overflow = false;
  (void)number_value(s.substr(t.begin, t.length), overflow);
  t.overflow = overflow;
}

// The key of the word s[p, p + len), reading whole words where the buffer
// allows it (the same value as token_key).
inline std::uint32_t word_key(const char* d, std::size_t n, std::size_t p, std::size_t len, bool punct = false) {
  std::uint64_t head = 0, tail = 0;
  if (p + 8 <= n) {
    std::memcpy(&head, d + p, 8);
    if (len < 8) head &= (std::uint64_t{1} << (8 * len)) - 1;
  } else {
    head = detail::load_le(std::string_view(d, n), p, len < 8 ? len : 8);
  }
  if (len > 8) std::memcpy(&tail, d + p + len - 8, 8);
  return detail::mix_key(head, tail, len, punct);
}
static_assert(std::endian::native == std::endian::little, "word_key reads words little-endian");

// After a decimal number or an IPv4 address, these characters start no
// pattern that could make a longer token: the token ends here.
inline bool ends_number(const char* d, std::size_t n, std::size_t at) {
  if (at >= n) return true;
  switch (d[at]) {
    case ' ': case '\t': case '\n': case ',': case ';': case '}': case ')': case ']': case '/': case '-':
      return true;
    default:
      return false;
  }
}

// An IPv6 address starting at p that spans the whole run of hex digits,
// ':' and '.' there: then no other pattern can match longer (words, class
// ids and MAC addresses cannot hold "::" or more than one ':' group of
// this form), so it is the token. Returns its length, or 0 to take the
// general path.
std::size_t whole_ip6(const char* d, std::size_t n, std::size_t p) {
  std::size_t i = p;
  while (i < n && (char_is(d[i], kHex) || d[i] == ':' || d[i] == '.')) ++i;
  if (i - p < 2 || !valid_ip6(std::string_view(d, n), p, i - p)) return 0;
  return i - p;
}

// The common tokens, recognised without trying every pattern: a word that
// cannot be anything else, a decimal or hex number, an IPv4 address, and
// punctuation that starts no longer token. In the RATE state (`rate_state`)
// a word ends at '/'. Returns false to take the general path. With
// `Terminated`, d[n] is a NUL (which no pattern continues with), and the
// loops need no bounds checks.
template <bool Terminated>
[[gnu::always_inline]] inline bool lex_fast(const char* d, std::size_t n, std::size_t p, Token& t, bool rate_state) {
  auto in = [&](std::size_t i) { return Terminated || i < n; };
  const char c = d[p];
  auto done = [&](TokenKind k, std::size_t len) {
    t.kind = k;
    t.length = static_cast<std::uint32_t>(len);
    return true;
  };
  if (char_is(c, kLetter) || c == '_') {
    std::size_t i = p + 1;
    if (rate_state) {
      while (in(i) && char_is(d[i], kWordTail) && d[i] != '/') ++i;
    } else {
      while (in(i) && char_is(d[i], kWordTail)) ++i;
    }
    // A word cannot be an address, a class id or a time unless a ':' follows
    // it and it is all hex digits; an asterisk string needs '*' or '\\'.
    if (in(i) && (d[i] == ':' || d[i] == '*' || d[i] == '\\')) {
      if (d[i] != ':') return false;
      bool hex = true;
      for (std::size_t j = p; j < i; ++j) hex &= char_is(d[j], kHex);
      if (hex) {
        if (std::size_t a = whole_ip6(d, n, p)) return done(TokenKind::address, a);
        return false;
      }
    }
    done(TokenKind::word, i - p);
    t.key = word_key(d, n, p, i - p);
    return true;
  }
  if (char_is(c, kDigit)) {
    std::size_t i = p + 1;
    if (c == '0' && in(i) && (d[i] == 'x' || d[i] == 'X')) {
      // {hexstring}: no other pattern matches longer.
      std::size_t j = i + 1;
      while (in(j) && char_is(d[j], kHex)) ++j;
      if (j == i + 1) return false;
      done(TokenKind::number, j - p);
      if (j - p > 18) set_number_value(std::string_view(d, n), t);
      return true;
    }
    while (in(i) && char_is(d[i], kDigit)) ++i;
    if (in(i) && d[i] == '.' && i - p <= 3) {
      std::size_t a = match_ip4(std::string_view(d, n), p);
      if (a > 0 && (ends_number(d, n, p + a) || (p + a < n && d[p + a] == ':'))) return done(TokenKind::address, a);
      return false;
    }
    if (!ends_number(d, n, i)) {
      if (in(i) && (d[i] == ':' || char_is(d[i], kHex)))
        if (std::size_t a = whole_ip6(d, n, p)) return done(TokenKind::address, a);
      return false;
    }
    if (c == '0' && i - p > 1) return false;  // octal: let the general path decide
    done(TokenKind::number, i - p);
    if (i - p > 19) set_number_value(std::string_view(d, n), t);
    return true;
  }
  switch (c) {
    case '{': case '}': case '(': case ')': case ',': case ';': case '@': case '$': case '^': case '&': case '|':
    case '=': case '+': case '*': case '/': case '-': case ']': case '<': case '>': case '!':
      break;
    case '.':
      // Before a blank the dot of a concatenation; otherwise it may start
      // a longer word (".foo") or asterisk string.
      if (!in(p + 1) || !(char_is(d[p + 1], kBlank) || d[p + 1] == '\n')) return false;
      break;
    case ':':
      // Only "::" starts an IPv6 address; a lone ':' starts nothing longer.
      if (in(p + 1) && d[p + 1] == ':') return false;
      break;
    default:
      return false;
  }
  std::size_t len = 1;
  if (in(p + 1)) {
    char e = d[p + 1];
    if ((e == '=' && (c == '=' || c == '!' || c == '<' || c == '>')) || (c == '<' && e == '<') || (c == '>' && e == '>'))
      len = 2;
  }
  done(TokenKind::punct, len);
  t.key = word_key(d, n, p, len, true);
  return true;
}

constexpr std::string_view kPunct2[] = {"==", "!=", "<=", ">=", "<<", ">>"};
constexpr std::string_view kPunct1 = "<>,.:;{}[]()^&|!/-*@$=+";
// The grammar's punctuation terminals compare keys only (tokens.hpp: punct):
// no two punctuation tokens may share one.
static_assert([] {
  std::uint32_t keys[std::size(kPunct2) + kPunct1.size()]{};
  std::size_t n = 0;
  for (std::string_view op : kPunct2) keys[n++] = token_key(op, true);
  for (std::size_t i = 0; i < kPunct1.size(); ++i) keys[n++] = token_key(kPunct1.substr(i, 1), true);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (keys[i] == keys[j] || keys[i] == 0) return false;
  return true;
}());

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

namespace {

// Every pattern of nft's scanner, the longest match winning.
void lex_general(std::string_view s, std::size_t p, Token& t) {
  const char c = s[p];
  auto make = [&](TokenKind k, std::size_t len) {
    t.kind = k;
    t.length = static_cast<std::uint32_t>(len);
  };
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


}  // namespace

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
    const void* q = std::memchr(s.data() + p + 1, '"', s.size() - p - 1);
    if (q == nullptr) return make(TokenKind::junk, 1);  // unterminated
    return make(TokenKind::quoted, static_cast<const char*>(q) - (s.data() + p) + 1);
  }
  if (lex_fast<false>(s.data(), s.size(), p, t, false)) return;
  lex_general(s, p, t);
}

std::uint64_t token_number(std::string_view text, const Token& t) {
  bool overflow = false;
  std::uint64_t v = number_value(text.substr(t.begin, t.length), overflow);
  return overflow ? 0 : v;
}

namespace {

// The words of nft's exclusive RATE scanner state that `limit rate` takes.
bool is_rate_word(std::string_view w) {
  switch (w.size()) {
    case 3: return w == "day";
    case 4: return w == "rate" || w == "over" || w == "hour" || w == "week";
    case 5: return w == "bytes" || w == "until" || w == "burst";
    case 6: return w == "second" || w == "minute" || w == "kbytes" || w == "mbytes";
    case 7: return w == "packets";
    default: return false;
  }
}

}  // namespace

void lex_file(const std::string& source, TokenStream& out) {
  const std::string_view s = source;
  const char* d = s.data();  // d[n] is the string's terminating NUL
  const std::size_t n = s.size();
  auto& toks = out.tokens;
  toks.clear();
  // Tokens average five bytes or more; growing past this is rare.
  toks.reserve(n / 5 + 16);
  // After `rate` the scanner is in its RATE state until the rate ends.
  bool rate_state = false;
  std::size_t p = 0;
  for (;;) {
    // Blanks inline; comments and line continuations in skip_blanks.
    while (char_is(d[p], kBlank)) ++p;
    if (d[p] == '#' || d[p] == '\\') p = skip_blanks(s, p);
    // Built in registers and stored once.
    Token t;
    t.begin = static_cast<std::uint32_t>(p);
    if (p >= n) {
      toks.push_back(t);
      break;
    }
    const char c = d[p];
    if (c == '\n') {
      t.kind = TokenKind::newline;
      t.length = 1;
      rate_state = false;
    } else {
      if (c == '"' || c == '\r' || !lex_fast<true>(d, n, p, t, rate_state)) lex_token(s, p, t);
      if (rate_state && !(t.kind == TokenKind::number || (t.kind == TokenKind::punct && c == '/') ||
                          (t.kind == TokenKind::word && is_rate_word(s.substr(p, t.length))))) {
        // The rate has ended: this token is one of the ordinary scanner.
        rate_state = false;
        if (!lex_fast<true>(d, n, p, t, false)) lex_token(s, p, t);
      }
      if (t.length == 4 && t.kind == TokenKind::word && std::memcmp(d + p, "rate", 4) == 0) rate_state = true;
    }
    toks.push_back(t);
    p += t.length;
  }
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
