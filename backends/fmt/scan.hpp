// The formatter's view of the source: every token of the text in order,
// comments, newlines and line continuations included, with whether blanks
// preceded it. The grammar's lexer (grammar/lexer.hpp) classifies the
// tokens; this scanner only adds what the parser skips.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "grammar/lexer.hpp"

namespace nftc::formatter {

enum class PieceKind : std::uint8_t {
  token,         // a token of the grammar (grammar::TokenKind in `lex`)
  comment,       // "# …" up to the end of the line, newline excluded
  newline,       // '\n'
  continuation,  // '\\' then a newline: a blank to nft
};

struct Piece {
  PieceKind kind = PieceKind::token;
  grammar::TokenKind lex = grammar::TokenKind::end;
  std::uint32_t begin = 0, end = 0;
  bool space_before = false;  // blanks (or a continuation) separate it from the previous piece
};

// Splits `text` into pieces. Stops at the first byte no token accepts (a
// junk token is kept, so that the caller can refuse the file).
std::vector<Piece> scan(std::string_view text);

inline std::string_view piece_text(std::string_view text, const Piece& p) {
  return text.substr(p.begin, p.end - p.begin);
}

}  // namespace nftc::formatter
