// The lexer behind the PEGTL grammar's terminal rules.
//
// nft's scanner (flex) picks the longest match among its patterns, and on a
// tie the keyword. Words may contain '/', '-' and '.', numbers with a
// leading 0 are octal, "1h30m" is one token, "1.2.3.4" and "dead::1" are one
// token each. PEG's ordered choice cannot express "longest match", so a file
// is cut into tokens first (lex_file), exactly as nft cuts it, and the
// grammar's terminals match whole tokens. The grammar stays free of
// character-level detail.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <string>
#include <vector>

#include "compiler/memory.hpp"

namespace nftc::grammar {

enum class TokenKind : std::uint8_t {
  end,          // end of input
  newline,      // '\n' (a comment before it is part of the token)
  crlf,         // "\r\n": nft rejects CRLF line terminators
  punct,        // operators and punctuation, see `text`
  word,         // {string}: letters, digits, '_', '.', '/', '-'
  number,       // decimal, octal or hex
  address,      // IPv4, IPv6 or MAC address (flex {addrstring})
  ip6_bracket,  // "[dead::1]" (the text excludes the brackets)
  time,         // "1h30m", "10s", "100ms"
  classid,      // "1:2" before a delimiter
  quoted,       // "..." (the text excludes the quotes)
  asterisk,     // "eth*", "eth\*", "\*"
  junk,         // a character no rule accepts
};

// 16 bytes: a file is lexed whole, so a large file holds millions of these.
struct Token {
  std::uint32_t begin = 0;   // offset of the first byte of the token
  std::uint32_t length = 0;  // bytes consumed, including quotes/brackets
  std::uint32_t key = 0;     // words and punctuation: token_key() of the text, for fast comparison
  TokenKind kind = TokenKind::end;
  bool overflow = false;     // a number too large for 64 bits (nft: a string)

  std::uint32_t end() const { return begin + length; }
};

namespace detail {
// The little-endian integer of up to 8 bytes of `text` from `at`.
constexpr std::uint64_t load_le(std::string_view text, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[at + i])) << (8 * i);
  return v;
}
constexpr std::uint32_t mix_key(std::uint64_t head, std::uint64_t tail, std::size_t n, bool punct) {
  // One multiplication: its high half depends on every bit of the input.
  const std::uint64_t h = (head ^ (tail * 0x9e3779b97f4a7c15ull) ^ (std::uint64_t{n} << 56)) * 0xc2b2ae3d27d4eb4full;
  return static_cast<std::uint32_t>(h >> 32) ^ (punct ? 0x9e3779b9u : 0u);
}
}  // namespace detail

// A hash of a word or punctuation token's text, computed once by the lexer
// and at compile time for each keyword of the grammar, so that comparing a
// token with a keyword is an integer comparison (confirmed on the text: two
// texts may share a key). It reads the first and the last eight bytes, not
// every byte. Punctuation is salted so that it never shares a key with a
// word of the same text.
constexpr std::uint32_t token_key(std::string_view text, bool punct = false) {
  const std::size_t n = text.size();
  const std::uint64_t head = detail::load_le(text, 0, n < 8 ? n : 8);
  const std::uint64_t tail = n > 8 ? detail::load_le(text, n - 8, 8) : 0;
  return detail::mix_key(head, tail, n, punct);
}

// Whether a word is a keyword in every scanner state (keywords.cpp).
bool is_global_keyword(std::string_view word);
bool is_global_keyword(std::string_view word, std::uint32_t key);
// Whether the token is a word that is a keyword in every scanner state (so
// never a name). Asked only where a name may stand, not for every word.
inline bool is_global_keyword(std::string_view text, const Token& t) {
  return t.kind == TokenKind::word && is_global_keyword(text.substr(t.begin, t.length), t.key);
}

// The value of a number token (0 if it overflows 64 bits).
std::uint64_t token_number(std::string_view text, const Token& t);

// Skips blanks, line continuations and comments starting at `pos`. Never
// skips a newline, except one that ends a comment-only line (nft's
// comment_line rule swallows it).
std::size_t skip_blanks(std::string_view text, std::size_t pos);

// Classifies the one token at `pos`, which must not be inside blanks (call
// skip_blanks first), as nft's scanner does outside its exclusive states.
void lex_token(std::string_view text, std::size_t pos, Token& out);
inline Token lex_token(std::string_view text, std::size_t pos) {
  Token t;
  lex_token(text, pos, t);
  return t;
}

// The tokens of a whole file, newlines included, ending with one `end`
// token.
struct TokenStream {
  std::vector<Token, ChunkAllocator<Token>> tokens;  // megabytes for a large file: huge pages
};

// Cuts `text` into tokens as nft's scanner does, including its exclusive
// RATE state: after `rate` (limit rate …), "kbytes/second" is three tokens.
// (A std::string: its terminating NUL ends every scanning loop.)
void lex_file(const std::string& text, TokenStream& out);

// Character classes, one table lookup each.
enum CharClass : std::uint8_t { kLetter = 1, kDigit = 2, kHex = 4, kWordTail = 8, kBlank = 16 };
inline constexpr auto kCharClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    bool hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    bool tail = letter || digit || c == '_' || c == '.' || c == '/' || c == '-';
    bool blank = c == ' ' || c == '\t';
    t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((letter ? kLetter : 0) | (digit ? kDigit : 0) |
                                                               (hex ? kHex : 0) | (tail ? kWordTail : 0) |
                                                               (blank ? kBlank : 0));
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
