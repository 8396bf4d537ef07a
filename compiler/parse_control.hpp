// PEGTL control for the nft grammar: undo for transactional rules, syntax
// errors as values, and error recovery at item boundaries.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>
#include <type_traits>

#include "compiler/parse_state.hpp"
#include "grammar/errors.hpp"

namespace nftc::parse {

namespace pegtl = tao::pegtl;

// Reports a syntax error at the farthest point any alternative reached
// (where the text stopped making sense), naming what was expected there.
void report_syntax_error(ParserState& st, std::size_t pos, std::string_view expected);

// Skips from the token `item_start` past the error at token `error_pos` to
// the next newline or ';' at the item's brace depth, or to the '}' that
// closes the enclosing block. Returns the index of the token to continue at.
std::size_t resync_index(const ParserState& st, std::size_t item_start, std::size_t error_pos);

// Rules with neither a transaction nor a name run with PEGTL's defaults: no
// hooks at all on the hot path. (No unwind hook either: a syntax error is
// caught by `recover`, which restores the stacks itself.)
template <typename Rule>
struct control : pegtl::normal<Rule> {
  static constexpr bool transactional = std::is_base_of_v<grammar::transactional, Rule>;
  static constexpr bool named = !grammar::rule_name<Rule>.empty();

  // A transactional rule keeps its snapshot on the C++ stack and restores
  // it when the rule fails. (A syntax error unwinds past it: `recover`
  // restores its own snapshot.)
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput>
  static bool match(ParseInput& in, ParserState& st) {
    if constexpr (transactional) {
      const StmtSnapshot snap = st.stmt_snapshot();
      if (pegtl::normal<Rule>::template match<A, M, Action, Control>(in, st)) return true;
      st.restore(snap);
      return false;
    } else {
      return pegtl::normal<Rule>::template match<A, M, Action, Control>(in, st);
    }
  }
  template <typename ParseInput>
  static void start(const ParseInput& in, ParserState& st) {
    if constexpr (named)
      if (st.recording) st.name_marks.push_back(st.name_mark(grammar::detail::offset(in)));
  }
  template <typename ParseInput>
  static void success(const ParseInput&, ParserState& st) {
    if constexpr (named)
      if (st.recording) st.name_marks.pop_back();
  }
  template <typename ParseInput>
  static void failure(const ParseInput&, ParserState& st) {
    if constexpr (named) {
      if (st.recording) {
        st.fold_expected(st.name_marks.back(), grammar::rule_name<Rule>);
        st.name_marks.pop_back();
      }
    }
  }
  // A commit point failed: the error is at the next token, where the
  // farthest failure is recorded too.
  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParserState&) {
    throw SyntaxError{grammar::detail::offset(in), grammar::error_message<Rule>};
  }
};

}  // namespace nftc::parse

namespace nftc::grammar {

// Parses one item of a block; on a syntax error reports it once, skips to
// the item's end, and succeeds so that the block goes on. Fails (consuming
// nothing) only where the block ends: before '}' or at the end of the file.
template <typename Item>
struct recover {
  using rule_t = recover;
  using subs_t = pegtl::type_list<Item>;

  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput>
  static bool match(ParseInput& in, parse::ParserState& st) {
    const std::size_t start = detail::offset(in);
    const Token& first = st.peek(start);
    if (first.kind == TokenKind::end) return false;
    if (first.kind == TokenKind::punct && st.text[first.begin] == '}') return false;
    const auto saved = in.iterator();
    const parse::Snapshot snap = st.snapshot();
    const std::size_t name_depth = st.name_marks.size();
    auto rollback = [&] {
      st.restore(snap);
      st.name_marks.resize(name_depth);
    };
    st.reset_far(start);
    std::size_t error_pos = start;
    std::string_view expected;
    if (attempt<A, Action, Control>(in, st, error_pos, expected)) {
      if (!st.probing) st.suppress_errors = false;
      return true;
    }
    rollback();
    if (!st.probing) {
      // Parse the item again, recording what each rule expected, to learn
      // what was expected where it failed. Actions run but change nothing
      // that lasts (parse_state.hpp: probing).
      in.iterator() = saved;
      st.probing = st.recording = true;
      st.reset_far(start);
      std::size_t probe_pos = start;
      std::string_view probe_expected;
      (void)attempt<A, Action, Control>(in, st, probe_pos, probe_expected);
      st.probing = st.recording = false;
      rollback();
      in.iterator() = saved;
      // After an error, an item that fails at its very first token is
      // almost always a knock-on of the first error (a missing brace, say):
      // stay quiet about it. An error inside an item is a new one.
      if (st.suppress_errors && std::max(error_pos, st.far_pos) <= start) {
        st.had_error = true;
      } else {
        st.suppress_errors = false;
        parse::report_syntax_error(st, error_pos, expected);
      }
    }
    std::size_t resume = parse::resync_index(st, start, std::max(error_pos, st.far_pos));
    in.bump(resume - detail::offset(in));
    return true;
  }

  // Matches the item; on failure leaves where and what in error_pos/expected.
  template <pegtl::apply_mode A, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput>
  static bool attempt(ParseInput& in, parse::ParserState& st, std::size_t& error_pos, std::string_view& expected) {
    try {
      return pegtl::match<Item, A, pegtl::rewind_mode::required, Action, Control>(in, st);
    } catch (const parse::SyntaxError& e) {
      error_pos = e.pos;
      expected = e.expected;
      return false;
    }
  }
};

}  // namespace nftc::grammar

// recover<Item> consumes input whenever it succeeds (the item, or at least
// one token skipped).
template <typename Name, typename Item>
struct tao::pegtl::analyze_traits<Name, nftc::grammar::recover<Item>> : analyze_any_traits<Item> {};
