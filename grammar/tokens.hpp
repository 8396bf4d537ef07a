// Terminal rules of the nft grammar.
//
// Each terminal skips blanks, asks the lexer (lexer.hpp) which token starts
// there and accepts it or not. The lexer result is memoised per position,
// since PEG alternatives often look at the same token several times.
// Keywords that fail are recorded at the farthest position reached, which
// is where a syntax error is reported, so that the error can say what was
// expected and suggest the closest keyword.
#pragma once

#include <string_view>
#include <tao/pegtl.hpp>
#include <vector>

#include "grammar/lexer.hpp"

namespace nftc::grammar {

namespace pegtl = tao::pegtl;

// Lexer state every parser state derives from.
struct LexState {
  std::string_view text;  // the whole file being parsed
  Token last;             // the token matched last (its span, for actions)

  // The token at `pos` after blanks (memoised for the last position asked).
  const Token& peek(std::size_t pos) {
    if (pos != memo_pos_) {
      memo_pos_ = pos;
      memo_ = lex_token(text, skip_blanks(text, pos));
    }
    return memo_;
  }

  // Points the lexer at another text (an included file).
  void reset_text(std::string_view t) {
    text = t;
    memo_pos_ = static_cast<std::size_t>(-1);
    far_pos = 0;
    far_expected.clear();
  }
  void reset_far(std::size_t pos) {
    far_pos = pos;
    far_expected.clear();
  }

  // Farthest-failure bookkeeping for error messages.
  std::size_t far_pos = 0;
  std::vector<std::string_view> far_expected;
  void expected(std::size_t token_pos, std::string_view what) {
    if (token_pos > far_pos) {
      far_pos = token_pos;
      far_expected.clear();
    }
    if (token_pos == far_pos) far_expected.push_back(what);
  }

 private:
  std::size_t memo_pos_ = static_cast<std::size_t>(-1);
  Token memo_;
};

bool is_global_keyword(std::string_view word);

namespace detail {

template <typename ParseInput>
std::size_t offset(const ParseInput& in) {
  return static_cast<std::size_t>(in.current() - in.begin());
}

template <typename ParseInput, typename State>
bool accept(ParseInput& in, State& st, const Token& t) {
  st.last = t;
  in.bump(t.end() - offset(in));
  return true;
}

}  // namespace detail

// Base for terminals: a rule with no sub-rules.
template <typename Self>
struct terminal {
  using rule_t = Self;
  using subs_t = pegtl::type_list<>;
};

// A keyword: a word token whose whole text is `Cs...`.
template <char... Cs>
struct kw : terminal<kw<Cs...>> {
  static constexpr char chars[] = {Cs..., '\0'};
  static constexpr std::string_view text{chars, sizeof...(Cs)};

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const Token& t = st.peek(detail::offset(in));
    if (t.kind == TokenKind::word && st.text.substr(t.begin, t.length) == text) return detail::accept(in, st, t);
    st.expected(t.begin, text);
    return false;
  }
};

// A keyword in nft's exclusive RATE scanner state (`limit rate 1
// kbytes/second`): there the scanner has no word rule, so "kbytes/second"
// is three tokens. The keyword may be followed directly by '/'.
template <char... Cs>
struct rate_kw : terminal<rate_kw<Cs...>> {
  static constexpr char chars[] = {Cs..., '\0'};
  static constexpr std::string_view text{chars, sizeof...(Cs)};

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    std::size_t pos = skip_blanks(st.text, detail::offset(in));
    std::string_view rest = st.text.substr(pos);
    if (rest.substr(0, text.size()) == text &&
        (rest.size() == text.size() || rest[text.size()] == '/' || !is_word_char(rest[text.size()]))) {
      Token t;
      t.kind = TokenKind::word;
      t.begin = static_cast<std::uint32_t>(pos);
      t.length = static_cast<std::uint32_t>(text.size());
      return detail::accept(in, st, t);
    }
    st.expected(pos, text);
    return false;
  }
};

// Punctuation: the punct token whose text is `Cs...`.
template <char... Cs>
struct punct : terminal<punct<Cs...>> {
  static constexpr char chars[] = {Cs..., '\0'};
  static constexpr std::string_view text{chars, sizeof...(Cs)};

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const Token& t = st.peek(detail::offset(in));
    if (t.kind == TokenKind::punct && st.text.substr(t.begin, t.length) == text) return detail::accept(in, st, t);
    st.expected(t.begin, text);
    return false;
  }
};

// A token of one of the given kinds, optionally filtered by a predicate on
// its text.
template <typename Pred, TokenKind... Kinds>
struct token_of : terminal<token_of<Pred, Kinds...>> {
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const Token& t = st.peek(detail::offset(in));
    if (((t.kind == Kinds) || ...) && Pred::test(st.text, t)) return detail::accept(in, st, t);
    st.expected(t.begin, Pred::what);
    return false;
  }
};

struct any_text {
  static constexpr std::string_view what = "a value";
  static bool test(std::string_view, const Token&) { return true; }
};
struct not_keyword {
  static constexpr std::string_view what = "a name";
  static bool test(std::string_view s, const Token& t) {
    return t.kind != TokenKind::word || !is_global_keyword(s.substr(t.begin, t.length));
  }
};
struct fits_u64 {
  static constexpr std::string_view what = "a number";
  static bool test(std::string_view, const Token& t) { return !t.overflow; }
};

// Numbers that fit 64 bits (nft's NUM). Larger ones are strings to nft.
struct number : token_of<fits_u64, TokenKind::number> {};
// A non-keyword word (nft's STRING from {string}).
struct plain_word : token_of<not_keyword, TokenKind::word> {};
// Any word, keyword or not: for positions where nft reads every word as a
// string because its scanner is in a state without that keyword.
struct any_word : token_of<any_text, TokenKind::word> {};
struct quoted : token_of<any_text, TokenKind::quoted> {};
struct asterisk_string : token_of<any_text, TokenKind::asterisk> {};
// nft's STRING token: words, addresses, times, class ids, and numbers too
// large for NUM.
struct string_token : token_of<not_keyword, TokenKind::word, TokenKind::address, TokenKind::ip6_bracket,
                               TokenKind::time, TokenKind::classid> {};
struct big_number : terminal<big_number> {
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const Token& t = st.peek(detail::offset(in));
    if (t.kind == TokenKind::number && t.overflow) return detail::accept(in, st, t);
    return false;
  }
};

struct newline : token_of<any_text, TokenKind::newline> {};
struct eof : terminal<eof> {
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const Token& t = st.peek(detail::offset(in));
    if (t.kind != TokenKind::end) {
      st.expected(t.begin, "end of file");
      return false;
    }
    detail::accept(in, st, t);
    return true;
  }
};

// Common punctuation.
struct semicolon : punct<';'> {};
struct comma : punct<','> {};
struct colon : punct<':'> {};
struct dot : punct<'.'> {};
struct lbrace : punct<'{'> {};
struct rbrace : punct<'}'> {};
struct lbracket : punct<'['> {};
struct rbracket : punct<']'> {};
struct lparen : punct<'('> {};
struct rparen : punct<')'> {};
struct slash : punct<'/'> {};
struct dash : punct<'-'> {};
struct plus_sign : punct<'+'> {};
struct equals : punct<'='> {};
struct at_sign : punct<'@'> {};
struct dollar : punct<'$'> {};
struct star_sign : punct<'*'> {};

// Statement separators: a newline or ';'. (`stmt_separator` in nft.)
struct separator : pegtl::sor<newline, semicolon> {};
struct opt_newlines : pegtl::star<newline> {};
// Before a closing brace, a separator is optional.
struct at_rbrace : pegtl::at<rbrace> {};
struct end_of_item : pegtl::sor<separator, at_rbrace, pegtl::at<eof>> {};

}  // namespace nftc::grammar

// Shorthands: NFTC_KW("accept") is grammar::kw<'a','c',…>, NFTC_P("==") is
// grammar::punct<'=','='>.
#define NFTC_KW(str) TAO_PEGTL_INTERNAL_STRING(::nftc::grammar::kw, str)
#define NFTC_RATE_KW(str) TAO_PEGTL_INTERNAL_STRING(::nftc::grammar::rate_kw, str)
#define NFTC_P(str) TAO_PEGTL_INTERNAL_STRING(::nftc::grammar::punct, str)
