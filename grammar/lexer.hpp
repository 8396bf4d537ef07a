// The token classifier behind the PEGTL grammar's terminal rules.
//
// nft's scanner (flex) picks the longest match among its patterns, and on a
// tie the keyword. Words may contain '/', '-' and '.', numbers with a
// leading 0 are octal, "1h30m" is one token, "1.2.3.4" and "dead::1" are one
// token each. PEG's ordered choice cannot express "longest match", so every
// terminal of the grammar asks this classifier what token starts at a
// position and accepts or rejects it. The grammar then stays free of
// character-level detail and tokenises exactly as nft does.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nftc::grammar {

enum class TokenKind : std::uint8_t {
  end,          // end of input
  newline,      // '\n' (a comment before it is part of the token)
  crlf,         // "\r\n": nft rejects CRLF line terminators
  punct,        // operators and punctuation, see `text`
  word,         // {string}: letters, digits, '_', '.', '/', '-'
  number,       // decimal, octal or hex that fits 64 bits
  address,      // IPv4, IPv6 or MAC address (flex {addrstring})
  ip6_bracket,  // "[dead::1]" (the text excludes the brackets)
  time,         // "1h30m", "10s", "100ms"
  classid,      // "1:2" before a delimiter
  quoted,       // "..." (the text excludes the quotes)
  asterisk,     // "eth*", "eth\*", "\*"
  junk,         // a character no rule accepts
};

struct Token {
  TokenKind kind = TokenKind::end;
  bool overflow = false;     // a number too large for 64 bits (nft: a string)
  std::uint32_t begin = 0;   // offset of the first byte of the token
  std::uint32_t length = 0;  // bytes consumed, including quotes/brackets
  std::uint32_t key = 0;     // words and punctuation: token_key() of the text, for fast comparison
  std::uint64_t value = 0;   // for numbers

  std::uint32_t end() const { return begin + length; }
};

// A hash of a word or punctuation token's text, computed once by the lexer
// and at compile time for each keyword of the grammar, so that comparing a
// token with a keyword is an integer comparison. Punctuation is salted so
// that it never shares a key with a word of the same text.
constexpr std::uint32_t token_key(std::string_view text, bool punct = false) {
  std::uint32_t h = 2166136261u;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return punct ? h ^ 0x9e3779b9u : h;
}

// Whether a word is a keyword in every scanner state (keywords.cpp).
bool is_global_keyword(std::string_view word);
bool is_global_keyword(std::string_view word, std::uint32_t key);
// Whether the token is a word that is a keyword in every scanner state (so
// never a name). Asked only where a name may stand, not for every word.
inline bool is_global_keyword(std::string_view text, const Token& t) {
  return t.kind == TokenKind::word && is_global_keyword(text.substr(t.begin, t.length), t.key);
}

// Skips blanks, line continuations and comments starting at `pos`. Never
// skips a newline, except one that ends a comment-only line (nft's
// comment_line rule swallows it).
std::size_t skip_blanks(std::string_view text, std::size_t pos);

// Classifies the token at `pos`, which must not be inside blanks (call
// skip_blanks first), into `out`.
void lex_token(std::string_view text, std::size_t pos, Token& out);
inline Token lex_token(std::string_view text, std::size_t pos) {
  Token t;
  lex_token(text, pos, t);
  return t;
}

// Character classes, one table lookup each.
enum CharClass : std::uint8_t { kLetter = 1, kDigit = 2, kHex = 4, kWordTail = 8 };
inline constexpr auto kCharClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    bool hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    bool tail = letter || digit || c == '_' || c == '.' || c == '/' || c == '-';
    t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((letter ? kLetter : 0) | (digit ? kDigit : 0) |
                                                               (hex ? kHex : 0) | (tail ? kWordTail : 0));
  }
  return t;
}();
inline bool char_is(char c, std::uint8_t cls) { return (kCharClass[static_cast<unsigned char>(c)] & cls) != 0; }

// True if `c` may continue a word ({string}'s tail characters).
inline bool is_word_char(char c) { return char_is(c, kWordTail); }

// A readable description of a token for "found …" in error messages:
// "keyword 'fwd'", "number 22", "string \"eth0\"", "newline", "end of file".
std::string describe_token(std::string_view text, const Token& tok, bool is_keyword);

}  // namespace nftc::grammar
