#include "backends/fmt/scan.hpp"

namespace nftc::formatter {

std::vector<Piece> scan(std::string_view s) {
  std::vector<Piece> out;
  const std::size_t n = s.size();
  std::size_t p = 0;
  bool space = false;
  auto push = [&](PieceKind k, grammar::TokenKind lex, std::size_t b, std::size_t e) {
    out.push_back(Piece{k, lex, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), space});
    space = false;
  };
  while (p < n) {
    char c = s[p];
    if (c == ' ' || c == '\t') {
      space = true;
      ++p;
      continue;
    }
    if (c == '\\' && p + 1 < n && s[p + 1] == '\n') {
      push(PieceKind::continuation, grammar::TokenKind::end, p, p + 2);
      space = true;
      p += 2;
      continue;
    }
    if (c == '#') {
      std::size_t e = s.find('\n', p);
      if (e == std::string_view::npos) e = n;
      push(PieceKind::comment, grammar::TokenKind::end, p, e);
      p = e;
      continue;
    }
    if (c == '\n') {
      push(PieceKind::newline, grammar::TokenKind::newline, p, p + 1);
      ++p;
      continue;
    }
    grammar::Token t = grammar::lex_token(s, p);
    if (t.kind == grammar::TokenKind::end || t.length == 0) break;
    push(PieceKind::token, t.kind, p, t.end());
    if (t.kind == grammar::TokenKind::junk || t.kind == grammar::TokenKind::crlf) break;
    p = t.end();
  }
  return out;
}

}  // namespace nftc::formatter
