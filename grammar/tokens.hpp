// Terminal rules of the nft grammar, and the ordered choice it is built with.
//
// The grammar runs over the tokens of a file (lexer.hpp): each terminal
// accepts the next token or not, and a keyword compares an integer key
// computed once per token before it compares the text.
//
// `sor` here is PEGTL's ordered choice with a dispatch on the next token: it
// knows at compile time which tokens each alternative can start with (its
// "first set") and tries only those that can match. The result is exactly
// that of PEGTL's sor, in a fraction of the time for the large choices of
// the grammar (statements, selectors, header fields).
//
// Failures are recorded at the farthest position reached, which is where a
// syntax error is reported, so that the error can say what was expected
// there and suggest the closest keyword.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>
#include <utility>
#include <vector>

#include "grammar/lexer.hpp"

namespace nftc::grammar {

namespace pegtl = tao::pegtl;

// The name of a rule in "expected …" when it fails at its first token (the
// table is in errors.hpp): what it expected there is folded into the name.
template <typename Rule>
inline constexpr std::string_view rule_name{};

// ---------------------------------------------------------------------------
// First sets: which tokens a rule can start with.

// One element of a first set: a keyword or punctuation (`key` of `kind`), or
// any token of `kind` (when `kind_only`). `text` is what an error message
// says was expected.
struct FirstItem {
  std::uint32_t key = 0;
  TokenKind kind = TokenKind::end;
  bool kind_only = false;
  std::string_view text;
};

// first_of<Rule>: `any` (no useful first set: try it on every token),
// `nullable` (may succeed without consuming), and `items`.
template <typename Rule, typename = void>
struct first_of;

namespace detail {

template <std::size_t N, std::size_t M>
constexpr std::array<FirstItem, N + M> concat(const std::array<FirstItem, N>& a, const std::array<FirstItem, M>& b) {
  std::array<FirstItem, N + M> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = a[i];
  for (std::size_t i = 0; i < M; ++i) out[N + i] = b[i];
  return out;
}

struct first_any {
  static constexpr bool any = true;
  static constexpr bool nullable = true;
  static constexpr std::array<FirstItem, 0> items{};
};
struct first_empty {
  static constexpr bool any = false;
  static constexpr bool nullable = true;
  static constexpr std::array<FirstItem, 0> items{};
};

template <typename... Rules>
struct first_seq;
template <>
struct first_seq<> : first_empty {};
// The tail of a sequence matters only after a nullable head; it is not even
// instantiated otherwise (the grammar is recursive through such tails).
struct first_none {
  static constexpr bool any = false;
  static constexpr bool nullable = false;
  static constexpr std::array<FirstItem, 0> items{};
};
template <typename R, typename... Rs>
struct first_seq<R, Rs...> {
  using head = first_of<R>;
  using tail = std::conditional_t<head::nullable, first_seq<Rs...>, first_none>;
  static constexpr bool any = head::any || tail::any;
  static constexpr bool nullable = head::nullable && tail::nullable;
  static constexpr auto items = concat(head::items, tail::items);
};

template <typename... Rules>
struct first_alt;
template <>
struct first_alt<> {
  static constexpr bool any = false;
  static constexpr bool nullable = false;
  static constexpr std::array<FirstItem, 0> items{};
};
template <typename R, typename... Rs>
struct first_alt<R, Rs...> {
  using head = first_of<R>;
  using tail = first_alt<Rs...>;
  static constexpr bool any = head::any || tail::any;
  static constexpr bool nullable = head::nullable || tail::nullable;
  static constexpr auto items = concat(head::items, tail::items);
};

// Makes a first set nullable (opt, star, lookahead).
template <typename F>
struct first_nullable {
  static constexpr bool any = F::any;
  static constexpr bool nullable = true;
  static constexpr auto items = F::items;
};

template <typename T, typename = void>
struct has_first_items : std::false_type {};
template <typename T>
struct has_first_items<T, std::void_t<decltype(T::first_items)>> : std::true_type {};

}  // namespace detail

// Rules of our own declare `first_items` (and `first_any`/`first_nullable`
// when they need to); a named grammar rule defers to what it derives from;
// PEGTL's combinators are handled below; anything else is "any".
template <typename Rule, typename>
struct first_of {
  using impl = std::conditional_t<std::is_same_v<typename Rule::rule_t, Rule>, detail::first_any,
                                  first_of<typename Rule::rule_t>>;
  static constexpr bool any = impl::any;
  static constexpr bool nullable = impl::nullable;
  static constexpr auto items = impl::items;
};
template <typename Rule>
struct first_of<Rule, std::enable_if_t<detail::has_first_items<Rule>::value>> {
  static constexpr bool any = Rule::first_any;
  static constexpr bool nullable = Rule::first_nullable;
  static constexpr auto items = Rule::first_items;
};
template <typename... Rs>
struct first_of<pegtl::internal::seq<Rs...>> : detail::first_seq<Rs...> {};
template <typename... Rs>
struct first_of<pegtl::internal::sor<Rs...>> : detail::first_alt<Rs...> {};
template <typename R>
struct first_of<pegtl::internal::opt<R>> : detail::first_nullable<first_of<R>> {};
template <typename R>
struct first_of<pegtl::internal::star<R>> : detail::first_nullable<first_of<R>> {};
template <typename R>
struct first_of<pegtl::internal::plus<R>> : first_of<R> {};
template <typename R>
struct first_of<pegtl::internal::at<R>> : detail::first_nullable<first_of<R>> {};
template <>
struct first_of<pegtl::internal::success> : detail::first_empty {};
template <typename... Rs>
struct sor;
template <typename... Rs>
struct first_of<sor<Rs...>> : detail::first_alt<Rs...> {};
// must<> raises on a mismatch: it is never skipped.
template <typename R>
struct first_of<pegtl::internal::must<R>> : detail::first_any {};

// ---------------------------------------------------------------------------
// Lexer state every parser state derives from.
//
// The grammar runs over the tokens of the file (lexer.hpp: lex_file), not its
// bytes: a position of the PEGTL input is the index of the next token, and a
// terminal that matches advances it by one. Newlines are tokens too.

struct LexState {
  std::string_view text;               // the whole file being parsed
  const TokenStream* stream = nullptr;  // its tokens
  const Token* toks = nullptr;         // stream->tokens.data()
  std::uint32_t last_index = 0;        // the token matched last (for actions)
  // Where a block that lacked its '}' was ended, before the next
  // declaration (grammar/objects.hpp: unclosed_block): the item around it
  // ends there too.
  std::size_t unclosed_at = static_cast<std::size_t>(-1);

  // The token at index `i` (the last token of a stream is `end`, and no
  // terminal moves past it).
  const Token& peek(std::size_t i) const { return toks[i]; }
  const Token& last() const { return toks[last_index]; }

  // Points the parser at the tokens of another text (an included file).
  void set_stream(std::string_view t, const TokenStream& s) {
    text = t;
    stream = &s;
    toks = s.tokens.data();
    last_index = 0;
    reset_far(0);
  }

  // Farthest-failure bookkeeping for error messages: what was expected at
  // the token `far_pos`. An entry is a keyword or punctuation, a phrase (a
  // rule's name in the error table), or the alternatives a dispatching sor
  // skipped.
  struct Expected {
    std::string_view text;             // keyword, punctuation or phrase
    const FirstItem* items = nullptr;  // skipped alternatives: their first items …
    const std::uint8_t* alts = nullptr;  // … the alternative each item belongs to …
    std::size_t count = 0;
    std::uint64_t mask = 0;            // … and which alternatives were skipped
    bool phrase = false;
  };
  // Expectations are recorded only while `recording`: when an item fails,
  // `recover` parses it again with recording on to learn what was expected
  // (the happy path pays nothing for error messages).
  bool recording = false;
  std::size_t far_pos = 0;
  std::vector<Expected> far_expected;
  // Keywords folded into a phrase: still candidates for "did you mean".
  std::vector<Expected> far_hidden;

  void reset_far(std::size_t pos) {
    far_pos = pos;
    far_expected.clear();
    far_hidden.clear();
  }
  // Returns false if the token `token_pos` is before the farthest failure.
  bool advance_far(std::size_t token_pos) {
    if (token_pos < far_pos) return false;
    if (token_pos > far_pos) reset_far(token_pos);
    return true;
  }
  void expected(std::size_t token_pos, std::string_view what) {
    if (recording && advance_far(token_pos)) far_expected.push_back({what});
  }
};

namespace detail {

// The index of the next token.
template <typename ParseInput>
std::size_t offset(const ParseInput& in) {
  return static_cast<std::size_t>(in.current() - in.begin());
}

// Accepts the token at `i`, the next one.
template <typename ParseInput, typename State>
bool accept(ParseInput& in, State& st, std::size_t i) {
  st.last_index = static_cast<std::uint32_t>(i);
  in.bump(1);
  return true;
}

}  // namespace detail

// Base for terminals: a rule with no sub-rules.
template <typename Self>
struct terminal {
  using rule_t = Self;
  using subs_t = pegtl::type_list<>;
  static constexpr bool first_any = false;
  static constexpr bool first_nullable = false;
};

// A keyword: a word token whose whole text is `Cs...`.
template <char... Cs>
struct kw : terminal<kw<Cs...>> {
  static constexpr char chars[] = {Cs..., '\0'};
  static constexpr std::string_view text{chars, sizeof...(Cs)};
  static constexpr std::uint32_t key = token_key(text);
  static constexpr std::array<FirstItem, 1> first_items{FirstItem{key, TokenKind::word, false, text}};

  // The key matched: confirm (keywords are short; no call to memcmp).
  static bool same_text(const char* p) {
    for (std::size_t i = 0; i < sizeof...(Cs); ++i)
      if (p[i] != chars[i]) return false;
    return true;
  }

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const std::size_t i = detail::offset(in);
    const Token& t = st.peek(i);
    if (t.key == key && t.kind == TokenKind::word && t.length == text.size() && same_text(st.text.data() + t.begin))
      return detail::accept(in, st, i);
    st.expected(i, text);
    return false;
  }
};

// Punctuation: the punct token whose text is `Cs...`.
template <char... Cs>
struct punct : terminal<punct<Cs...>> {
  static constexpr char chars[] = {Cs..., '\0'};
  static constexpr std::string_view text{chars, sizeof...(Cs)};
  static constexpr std::uint32_t key = token_key(text, true);
  static constexpr std::array<FirstItem, 1> first_items{FirstItem{key, TokenKind::punct, false, text}};

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const std::size_t i = detail::offset(in);
    const Token& t = st.peek(i);
    // Punctuation keys are unique among punctuation (one or two bytes).
    if (t.key == key && t.kind == TokenKind::punct) return detail::accept(in, st, i);
    st.expected(i, text);
    return false;
  }
};

// A token of one of the given kinds, optionally filtered by a predicate on
// its text.
template <typename Pred, TokenKind... Kinds>
struct token_of : terminal<token_of<Pred, Kinds...>> {
  static constexpr std::array<FirstItem, sizeof...(Kinds)> first_items{FirstItem{0, Kinds, true, Pred::what}...};

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const std::size_t i = detail::offset(in);
    const Token& t = st.peek(i);
    if (((t.kind == Kinds) || ...) && Pred::test(st.text, t)) return detail::accept(in, st, i);
    st.expected(i, Pred::what);
    return false;
  }
};

struct any_text {
  static constexpr std::string_view what = "a value";
  static bool test(std::string_view, const Token&) { return true; }
};
struct not_keyword {
  static constexpr std::string_view what = "a name";
  static bool test(std::string_view text, const Token& t) { return !is_global_keyword(text, t); }
};
struct fits_u64 {
  static constexpr std::string_view what = "a number";
  static bool test(std::string_view, const Token& t) { return !t.overflow; }
};
struct too_big {
  static constexpr std::string_view what = "a number";
  static bool test(std::string_view, const Token& t) { return t.overflow; }
};
struct a_newline {
  static constexpr std::string_view what = "a newline";
  static bool test(std::string_view, const Token&) { return true; }
};
struct a_quoted_string {
  static constexpr std::string_view what = "a quoted string";
  static bool test(std::string_view, const Token&) { return true; }
};

struct string_pred {
  static constexpr std::string_view what = "a string";
  static bool test(std::string_view text, const Token& t) { return !is_global_keyword(text, t); }
};
struct symbol_pred {
  static constexpr std::string_view what = "a value";
  static bool test(std::string_view text, const Token& t) {
    return t.kind == TokenKind::number ? t.overflow : !is_global_keyword(text, t);
  }
};

// Numbers that fit 64 bits (nft's NUM). Larger ones are strings to nft.
struct number : token_of<fits_u64, TokenKind::number> {};
// A non-keyword word (nft's STRING from {string}).
struct plain_word : token_of<not_keyword, TokenKind::word> {};
// Any word, keyword or not: for positions where nft reads every word as a
// string because its scanner is in a state without that keyword.
struct any_word : token_of<any_text, TokenKind::word> {};
struct quoted : token_of<a_quoted_string, TokenKind::quoted> {};
struct asterisk_string : token_of<any_text, TokenKind::asterisk> {};
// nft's STRING token: words, addresses, times, class ids, and numbers too
// large for NUM.
struct string_token : token_of<not_keyword, TokenKind::word, TokenKind::address, TokenKind::ip6_bracket,
                               TokenKind::time, TokenKind::classid> {};
struct big_number : token_of<too_big, TokenKind::number> {};
// nft's `string`: a quoted or an asterisk string, or a STRING token (one
// terminal rather than a choice of three: values are the commonest tokens).
struct string_terminal : token_of<string_pred, TokenKind::quoted, TokenKind::asterisk, TokenKind::word,
                                  TokenKind::address, TokenKind::ip6_bracket, TokenKind::time, TokenKind::classid> {};
// A symbol: a string, or a number too large for 64 bits.
struct symbol_terminal : token_of<symbol_pred, TokenKind::quoted, TokenKind::asterisk, TokenKind::word,
                                  TokenKind::address, TokenKind::ip6_bracket, TokenKind::time, TokenKind::classid,
                                  TokenKind::number> {};
struct newline : token_of<a_newline, TokenKind::newline> {};

struct eof : terminal<eof> {
  static constexpr std::array<FirstItem, 1> first_items{FirstItem{0, TokenKind::end, true, "end of file"}};
  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    const std::size_t i = detail::offset(in);
    if (st.peek(i).kind != TokenKind::end) {
      st.expected(i, "end of file");
      return false;
    }
    st.last_index = static_cast<std::uint32_t>(i);  // consumes nothing: the end stays the next token
    return true;
  }
};

// ---------------------------------------------------------------------------
// The dispatching ordered choice.

namespace detail {

inline constexpr std::size_t kTokenKinds = static_cast<std::size_t>(TokenKind::junk) + 1;

struct KeyMask {
  std::uint32_t key = 0;
  std::uint64_t mask = 0;
};

template <typename... Rules>
struct dispatch_table {
  static_assert(sizeof...(Rules) <= 64, "a sor of more than 64 alternatives");
  static constexpr std::size_t n_items = (first_of<Rules>::items.size() + ... + 0);

  // Every first item with the index of its alternative (for error messages).
  static constexpr auto items = [] {
    std::array<FirstItem, n_items> out{};
    std::size_t k = 0;
    ((std::copy(first_of<Rules>::items.begin(), first_of<Rules>::items.end(), out.begin() + k),
      k += first_of<Rules>::items.size()),
     ...);
    return out;
  }();
  static constexpr auto alts = [] {
    std::array<std::uint8_t, n_items> out{};
    std::size_t k = 0;
    std::uint8_t i = 0;
    ((std::fill(out.begin() + k, out.begin() + k + first_of<Rules>::items.size(), i),
      k += first_of<Rules>::items.size(), ++i),
     ...);
    return out;
  }();

  // Alternatives to try on every token.
  static constexpr std::uint64_t always = [] {
    std::uint64_t m = 0, bit = 1;
    ((m |= (first_of<Rules>::any || first_of<Rules>::nullable) ? bit : 0, bit <<= 1), ...);
    return m;
  }();
  static constexpr std::uint64_t all = sizeof...(Rules) == 64 ? ~0ull : (1ull << sizeof...(Rules)) - 1;

  // Alternatives by token kind (for kind-only items).
  static constexpr auto by_kind = [] {
    std::array<std::uint64_t, kTokenKinds> out{};
    for (std::size_t i = 0; i < n_items; ++i)
      if (items[i].kind_only) out[static_cast<std::size_t>(items[i].kind)] |= 1ull << alts[i];
    return out;
  }();

  // Keyed items merged by key, in a table where no two keys share a slot
  // (a perfect hash found at compile time: slot = key * mult >> (32 - bits)),
  // so that looking a token up is one load and one comparison. An empty slot
  // has mask 0.
  static constexpr std::size_t n_keys = [] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < n_items; ++i) {
      if (items[i].kind_only) continue;
      bool seen = false;
      for (std::size_t j = 0; j < i; ++j) seen = seen || (!items[j].kind_only && items[j].key == items[i].key);
      n += seen ? 0 : 1;
    }
    return n;
  }();
  struct HashParams {
    std::uint32_t mult;
    unsigned bits;
  };
  static constexpr bool collision_free(std::uint32_t mult, unsigned bits) {
    std::array<std::uint32_t, std::size_t{1} << 12> used{};  // key + 1 per slot, 0 if empty
    for (std::size_t i = 0; i < n_items; ++i) {
      if (items[i].kind_only) continue;
      const std::size_t h = static_cast<std::uint32_t>(items[i].key * mult) >> (32 - bits);
      if (used[h] != 0 && used[h] != items[i].key + 1u) return false;
      used[h] = items[i].key + 1u;
    }
    return true;
  }
  static constexpr HashParams params = [] {
    unsigned bits = 1;
    while ((std::size_t{1} << bits) < 2 * n_keys) ++bits;
    std::uint32_t mult = 2654435761u;
    for (;; ++bits) {
      for (int attempt = 0; attempt < 256; ++attempt) {
        if (n_keys == 0 || collision_free(mult, bits)) return HashParams{mult, bits};
        mult = (mult * 1664525u + 1013904223u) | 1u;
      }
    }
  }();
  static_assert(params.bits <= 12, "a dispatch table of more than 4096 slots");
  static constexpr std::size_t n_slots = std::size_t{1} << params.bits;
  static constexpr std::size_t slot(std::uint32_t key) {
    return static_cast<std::uint32_t>(key * params.mult) >> (32 - params.bits);
  }
  static constexpr auto slots = [] {
    std::array<KeyMask, n_slots> out{};
    for (std::size_t i = 0; i < n_items; ++i) {
      if (items[i].kind_only) continue;
      KeyMask& e = out[slot(items[i].key)];
      e.key = items[i].key;
      e.mask |= 1ull << alts[i];
    }
    return out;
  }();

  // The alternatives that can start with token `t`. (A token that is not a
  // word or punctuation has key 0 and meets empty slots only; a word that
  // happens to share a punctuation's key only costs a try that fails.)
  static std::uint64_t candidates(const Token& t) {
    std::uint64_t m = always | by_kind[static_cast<std::size_t>(t.kind)];
    if constexpr (n_keys > 0) {
      const KeyMask& e = slots[slot(t.key)];
      if (e.key == t.key) m |= e.mask;
    }
    return m;
  }
};

}  // namespace detail

// The first sets are computed when a match is instantiated, not when the
// class is: alternatives may be declared but not yet defined here.
template <typename... Rules>
struct sor {
  using rule_t = sor;
  using subs_t = pegtl::type_list<Rules...>;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, std::size_t... I, typename ParseInput, typename State>
  static bool match(std::index_sequence<I...>, ParseInput& in, State& st) {
    using table = detail::dispatch_table<Rules...>;
    const std::size_t i = detail::offset(in);
    const std::uint64_t try_mask = table::candidates(st.peek(i));
    if (st.recording) {
      if (const std::uint64_t skipped = table::all & ~try_mask; skipped != 0 && st.advance_far(i))
        st.far_expected.push_back({{}, table::items.data(), table::alts.data(), table::n_items, skipped, false});
    }
    if constexpr (sizeof...(Rules) > 4) {
      // Only the candidates, in order, through a table: no test per
      // alternative that cannot match.
      using try_fn = bool (*)(ParseInput&, State&);
      static constexpr try_fn alternatives[] = {&try_alternative<Rules, A, Action, Control, ParseInput, State>...};
      for (std::uint64_t m = try_mask; m != 0; m &= m - 1)
        if (alternatives[std::countr_zero(m)](in, st)) return true;
      return false;
    } else {
      return ((((try_mask >> I) & 1) != 0 &&
               Control<Rules>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st)) ||
              ...);
    }
  }
  template <typename Rule, pegtl::apply_mode A, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool try_alternative(ParseInput& in, State& st) {
    return Control<Rule>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st);
  }

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    return match<A, M, Action, Control>(std::index_sequence_for<Rules...>(), in, st);
  }
};

// opt, star and plus as in PEGTL, but they look at the next token first and
// do not even start their rule when it cannot match (no transaction, no
// marker, no control hooks for a hopeless attempt).
// A rule whose actions must be undone when it fails after some of them ran
// (the parser's control restores the value stacks); see parse_control.hpp.
struct transactional {};

namespace detail {

template <typename... Rules>
struct single_or_seq {
  using type = pegtl::seq<Rules...>;
};
template <typename Rule>
struct single_or_seq<Rule> {
  using type = Rule;
};

template <typename T>
struct is_sor : std::false_type {};
template <typename... Rs>
struct is_sor<sor<Rs...>> : std::true_type {};

// A sor dispatches by itself; other rules are looked at first. (A
// transactional sor is looked at too: that saves its snapshot.)
template <typename Rule, typename ParseInput, typename State>
bool admits(ParseInput& in, State& st) {
  if constexpr (is_sor<typename Rule::rule_t>::value && !std::is_base_of_v<transactional, Rule>) return true;
  using table = dispatch_table<Rule>;
  const std::size_t i = offset(in);
  if (table::candidates(st.peek(i)) != 0) return true;
  if (st.recording && st.advance_far(i)) {
    if constexpr (!rule_name<Rule>.empty()) {
      st.far_hidden.push_back({{}, table::items.data(), table::alts.data(), table::n_items, 1, false});
      st.far_expected.push_back({rule_name<Rule>, nullptr, nullptr, 0, 0, true});
    } else {
      st.far_expected.push_back({{}, table::items.data(), table::alts.data(), table::n_items, 1, false});
    }
  }
  return false;
}

}  // namespace detail

template <typename... Rules>
struct opt {
  using rule_t = opt;
  using subs_t = pegtl::type_list<Rules...>;
  using inner = typename detail::single_or_seq<Rules...>::type;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (detail::admits<inner>(in, st))
      (void)Control<inner>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st);
    return true;
  }
};

template <typename... Rules>
struct star {
  using rule_t = star;
  using subs_t = pegtl::type_list<Rules...>;
  using inner = typename detail::single_or_seq<Rules...>::type;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    while (detail::admits<inner>(in, st) &&
           Control<inner>::template match<A, pegtl::rewind_mode::required, Action, Control>(in, st)) {
    }
    return true;
  }
};

template <typename... Rules>
struct plus {
  using rule_t = plus;
  using subs_t = pegtl::type_list<Rules...>;
  using inner = typename detail::single_or_seq<Rules...>::type;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (!detail::admits<inner>(in, st) || !Control<inner>::template match<A, M, Action, Control>(in, st)) return false;
    return star<inner>::template match<A, M, Action, Control>(in, st);
  }
};

template <typename... Rs>
struct first_of<opt<Rs...>> : detail::first_nullable<first_of<typename opt<Rs...>::inner>> {};
template <typename... Rs>
struct first_of<star<Rs...>> : detail::first_nullable<first_of<typename star<Rs...>::inner>> {};
template <typename... Rs>
struct first_of<plus<Rs...>> : first_of<typename plus<Rs...>::inner> {};

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
struct separator : sor<newline, semicolon> {};
struct opt_newlines : star<newline> {};
// Before a closing brace, a separator is optional.
struct at_rbrace : pegtl::at<rbrace> {};
struct end_of_item : sor<separator, at_rbrace, pegtl::at<eof>> {};

}  // namespace nftc::grammar

// PEGTL's analyze() (grammar_analyze_test.cpp) needs to know how our own
// rules consume input.
namespace tao::pegtl {
template <typename Name, char... Cs>
struct analyze_traits<Name, nftc::grammar::kw<Cs...>> : analyze_any_traits<> {};
template <typename Name, char... Cs>
struct analyze_traits<Name, nftc::grammar::punct<Cs...>> : analyze_any_traits<> {};
template <typename Name, typename Pred, nftc::grammar::TokenKind... Kinds>
struct analyze_traits<Name, nftc::grammar::token_of<Pred, Kinds...>> : analyze_any_traits<> {};
// eof consumes nothing but can only succeed once (like PEGTL's eof).
template <typename Name>
struct analyze_traits<Name, nftc::grammar::eof> : analyze_opt_traits<> {};
template <typename Name, typename... Rules>
struct analyze_traits<Name, nftc::grammar::sor<Rules...>> : analyze_sor_traits<Rules...> {};
template <typename Name, typename... Rules>
struct analyze_traits<Name, nftc::grammar::opt<Rules...>> : analyze_opt_traits<Rules...> {};
template <typename Name, typename... Rules>
struct analyze_traits<Name, nftc::grammar::star<Rules...>> : analyze_traits<Name, typename opt<Rules..., Name>::rule_t> {};
template <typename Name, typename... Rules>
struct analyze_traits<Name, nftc::grammar::plus<Rules...>>
    : analyze_traits<Name, typename seq<Rules..., opt<Name>>::rule_t> {};
}  // namespace tao::pegtl

// Shorthands: NFTC_KW("accept") is grammar::kw<'a','c',…>, NFTC_P("==") is
// grammar::punct<'=','='>.
#define NFTC_KW(str) TAO_PEGTL_INTERNAL_STRING(::nftc::grammar::kw, str)
// A keyword of nft's RATE scanner state; the lexer cuts "kbytes/second"
// into three tokens there, so it is an ordinary keyword to the grammar.
#define NFTC_RATE_KW(str) NFTC_KW(str)
#define NFTC_P(str) TAO_PEGTL_INTERNAL_STRING(::nftc::grammar::punct, str)
