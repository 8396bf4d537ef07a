// The front end's entry point, error messages and resynchronisation.
#include "compiler/parser.hpp"

#include <fmt/format.h>

#include <optional>

#include <tao/pegtl.hpp>

#include "compiler/parse_actions.hpp"
#include "compiler/parse_control.hpp"
#include "compiler/spell.hpp"
#include "grammar/ruleset.hpp"

namespace nftc::parse {

namespace {

using Input = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, std::string_view>;

// The PEGTL input over the current file's tokens: its positions are token
// indices, from the first token to the `end` token, which no terminal moves
// past. PEGTL asks the input for positions only, never for characters (the
// grammar's terminals read the tokens), so the input spans a byte range of
// that many bytes inside the token array itself.
Input token_input(const ParserState& st, const std::string& name) {
  const char* base = reinterpret_cast<const char*>(st.toks);
  return Input(base, base + (st.stream->tokens.size() - 1), name);
}

bool is_phrase(std::string_view s) { return s.find(' ') != std::string_view::npos; }

std::string quote_expected(std::string_view s) { return is_phrase(s) ? std::string(s) : fmt::format("'{}'", s); }

// "expected 'a', 'b' or 'c'"
std::string join_expected(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += quote_expected(items[i]);
  }
  return out;
}

void add_unique(std::vector<std::string_view>& v, std::string_view s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

bool is_word(std::string_view s) { return !s.empty() && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')); }

// What was expected at the farthest failure: the names of named rules
// (phrases), the other tokens, and the keywords a misspelt word may have
// meant.
struct Expectations {
  std::vector<std::string_view> phrases, tokens, keywords;
};

Expectations expected_at_far(const ParserState& st) {
  Expectations x;
  auto visit = [&](const grammar::LexState::Expected& e, bool show) {
    if (e.items != nullptr) {
      for (std::size_t i = 0; i < e.count; ++i) {
        if (((e.mask >> e.alts[i]) & 1) == 0) continue;
        const grammar::FirstItem& item = e.items[i];
        if (show) add_unique(x.tokens, item.text);
        if (!item.kind_only && item.kind == TokenKind::word) add_unique(x.keywords, item.text);
      }
      return;
    }
    if (show) add_unique(e.phrase ? x.phrases : x.tokens, e.text);
    if (!e.phrase && is_word(e.text) && !is_phrase(e.text)) add_unique(x.keywords, e.text);
  };
  for (const auto& e : st.far_expected) visit(e, true);
  for (const auto& e : st.far_hidden) visit(e, false);
  return x;
}

bool mentions_name(std::string_view what) { return what.find("name") != std::string_view::npos; }

// The innermost '{' still open before the token `stop`, if any.
std::optional<Span> open_brace_before(const ParserState& st, std::size_t stop) {
  std::vector<std::uint32_t> open;
  for (std::size_t i = 0; i < stop; ++i) {
    const grammar::Token& t = st.peek(i);
    if (t.kind == TokenKind::end) break;
    if (t.kind == TokenKind::punct && st.text[t.begin] == '{') open.push_back(t.begin);
    if (t.kind == TokenKind::punct && st.text[t.begin] == '}' && !open.empty()) open.pop_back();
  }
  if (open.empty()) return std::nullopt;
  return st.span(open.back(), open.back() + 1);
}

// The innermost '{' that is still open at the end of the file, if any.
std::optional<Span> unclosed_brace(const ParserState& st) {
  return open_brace_before(st, st.stream->tokens.size());
}

}  // namespace

void report_syntax_error(ParserState& st, std::size_t pos, std::string_view expected) {
  st.had_error = true;
  if (st.suppress_errors) return;
  st.suppress_errors = true;

  std::size_t at = pos;
  Expectations x;
  if (st.far_pos >= pos && !st.far_expected.empty()) {
    at = st.far_pos;
    x = expected_at_far(st);
  }
  if (x.tokens.size() > 8) {
    // Too many to list: keep the descriptions among them ("a number").
    std::vector<std::string_view> described;
    for (std::string_view t : x.tokens)
      if (is_phrase(t)) described.push_back(t);
    if (!described.empty()) x.tokens = std::move(described);
  }

  // The most specific description wins: the names of the rules that failed
  // there (an ip header field, a chain name, a statement); else the phrase
  // of the commit point that failed; else the tokens that would have fit.
  // The commit point's phrase is said where it failed, not farther on.
  std::string what;
  if (!x.phrases.empty()) {
    what = join_expected(x.phrases);
  } else if (!expected.empty() && (at == pos || x.tokens.empty() || x.tokens.size() > 8)) {
    what = std::string(expected);
    at = pos;
  } else if (!x.tokens.empty() && x.tokens.size() <= 8) {
    what = join_expected(x.tokens);
  }

  const grammar::Token tok = st.peek(at);
  // Blocks left open at the end of the file each fail there: one error.
  if (!st.diags.all().empty()) {
    const Diagnostic& last = st.diags.all().back();
    if (last.code == "SYN001" && last.primary.file == st.file && last.primary.begin == tok.begin) return;
  }
  std::string_view found_text = st.token_text(tok);
  bool found_keyword = grammar::is_global_keyword(st.text, tok);
  Span where = tok.length > 0 ? st.token_span(tok) : st.span(tok.begin, tok.begin);

  if (tok.kind == TokenKind::crlf) {
    // One file in Windows line endings is one mistake, not one per line.
    if (std::find(st.crlf_reported.begin(), st.crlf_reported.end(), st.file) != st.crlf_reported.end()) return;
    st.crlf_reported.push_back(st.file);
    st.diags.error("SYN003", where, "CRLF line terminators are not supported by nft")
        .with_help("convert the file to Unix line endings, e.g. with dos2unix");
    return;
  }
  if (tok.kind == TokenKind::junk) {
    if (found_text == "\"") {
      st.diags.error("SYN002", where, "this string is never closed").with_help("add the closing '\"'");
    } else {
      st.diags.error("SYN003", where, fmt::format("invalid character '{}'", found_text));
    }
    return;
  }

  std::string found = grammar::describe_token(st.text, tok, found_keyword);
  std::string message = what.empty() ? fmt::format("unexpected {}", found) : fmt::format("expected {}, found {}", what, found);
  Diagnostic& d = st.diags.error("SYN001", where, message);

  if (tok.kind == TokenKind::end) {
    // Most often a block that was never closed: show where it opened.
    if (auto brace = unclosed_brace(st)) {
      d.with_related(*brace, "this '{' is never closed");
      d.with_help("add the missing '}'");
    }
  } else if (tok.kind == TokenKind::word) {
    // A keyword in the wrong place is no misspelling.
    if (found_keyword && mentions_name(what)) {
      d.with_help(fmt::format("'{}' is a keyword of nft and cannot be used as a name", found_text));
    } else if (!found_keyword) {
      if (auto m = closest_match(found_text, x.keywords)) d.with_help(fmt::format("did you mean '{}'?", *m));
    }
  }
}

std::size_t resync_index(const ParserState& st, std::size_t item_start, std::size_t error_pos) {
  int depth = 0;
  for (std::size_t i = item_start;; ++i) {
    const grammar::Token& t = st.peek(i);
    if (t.kind == TokenKind::end) return i;
    const bool past = i >= error_pos;
    const char c = t.kind == TokenKind::punct ? st.text[t.begin] : '\0';
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth == 0) return i > item_start ? i : i + 1;  // never stand still
      --depth;
    } else if (past && depth == 0 && (t.kind == TokenKind::newline || c == ';')) {
      return i > item_start ? i : i + 1;
    }
  }
}

}  // namespace nftc::parse

namespace nftc::parse {

template <>
struct action<grammar::stray_rbrace> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& st) {
    if (!st.suppress_errors)
      st.diags.error("SYN001", span_of(in, st), "unexpected '}': there is no open block to close")
          .with_help("remove it, or look for a missing '{' above");
    st.had_error = true;
  }
};

namespace {

// A declaration where an item or the '}' of a block was expected: the block
// is taken as closed there, so that the declarations after it parse as
// they were meant to (one error for one missing '}').
template <typename ActionInput>
void report_unclosed(const ActionInput& in, ParserState& st) {
  st.had_error = true;
  if (st.suppress_errors || st.probing) return;
  const std::size_t at = begin_of(in);
  const grammar::Token& tok = st.peek(at);
  std::string_view kw = st.token_text(tok);
  Diagnostic& d = st.diags.error("SYN001", st.token_span(tok), fmt::format("expected '}}', found keyword '{}'", kw));
  if (auto brace = open_brace_before(st, at)) d.with_related(*brace, "this '{' is never closed");
  d.with_help(fmt::format("add the missing '}}' before this {}", kw));
}

}  // namespace

template <>
struct action<grammar::unclosed_block> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParserState& st) {
    report_unclosed(in, st);
  }
};
template <>
struct action<grammar::unclosed_table> : action<grammar::unclosed_block> {};

template <typename Item>
bool parse_included(ParserState& st, FileId file) {
  Input in = token_input(st, st.sm.file(file).name);
  try {
    pegtl::parse<grammar::included_file<Item>, action, control>(in, st);
  } catch (const SyntaxError& e) {
    report_syntax_error(st, e.pos, e.expected);
    return false;
  }
  return true;
}

}  // namespace nftc::parse

namespace nftc {

namespace {

// -D NAME=VALUE as nft does it (libnftables.c, load_cmdline_vars): the text
// `define NAME=VALUE; ` for each, parsed as nft source of its own, named
// <cmdline>, before the file, so that a bad value is a located error. Its
// variables become the file's outermost scope; they are not the file's
// defines (script.defines, which the unused-variable lint looks at). The
// files of one batch share one <cmdline>, parsed and reported once.
bool parse_cmdline_defines(SourceManager& sm, DiagnosticSink& sink, ast::Script& script, const ParseOptions& opts,
                           std::vector<ast::Define*>& vars) {
  std::string text;
  for (const auto& [var, value] : opts.defines) text += fmt::format("define {}={}; ", var, value);
  text += '\n';
  FileId id = kNoFile;
  for (std::size_t f = 0; f < sm.size() && id == kNoFile; ++f)
    if (sm.file(static_cast<FileId>(f)).name == "<cmdline>" && sm.file(static_cast<FileId>(f)).text == text)
      id = static_cast<FileId>(f);
  DiagnosticSink again;  // already parsed for an earlier file: its errors are reported
  DiagnosticSink& diags = id == kNoFile ? sink : again;
  if (id == kNoFile) id = sm.add("<cmdline>", std::move(text));

  const std::size_t errors = diags.error_count();
  const std::size_t defines = script.defines.size();
  const std::size_t commands = script.commands.size();
  parse::ParserState st(sm, diags, script, opts);
  grammar::TokenStream tokens;
  st.switch_to(id, tokens);
  st.scopes.emplace_back();
  parse::Input in = parse::token_input(st, sm.file(id).name);
  try {
    tao::pegtl::parse<grammar::file, parse::action, parse::control>(in, st);
  } catch (const parse::SyntaxError& e) {
    parse::report_syntax_error(st, e.pos, e.expected);
  }
  // nft accepts nothing but the defines there (it asserts so).
  if (script.commands.size() > commands && diags.error_count() == errors) {
    diags.error("SYN001", script.commands[commands].span, "expected only a variable's value in -D NAME=VALUE")
        .with_help("-D defines one variable; write the commands in the file");
  }
  script.commands.erase(script.commands.begin() + static_cast<std::ptrdiff_t>(commands), script.commands.end());
  script.defines.resize(defines);
  vars = st.scopes.front().vars;
  return !st.had_error && diags.error_count() == errors;
}

}  // namespace

bool parse_file(SourceManager& sm, DiagnosticSink& sink, FileId file, ast::Script& script, const ParseOptions& opts) {
  ParseOptions effective = opts;
  // nft searches the main file's directory after the -I directories.
  const std::string& name = sm.file(file).name;
  if (auto slash = name.rfind('/'); slash != std::string::npos && name != "<stdin>")
    effective.default_include_dirs.insert(effective.default_include_dirs.begin(), name.substr(0, slash == 0 ? 1 : slash));
  else if (name != "<stdin>")
    effective.default_include_dirs.insert(effective.default_include_dirs.begin(), ".");

  parse::ParserState st(sm, sink, script, effective);
  grammar::TokenStream tokens;
  st.switch_to(file, tokens);
  st.scopes.emplace_back();
  if (!opts.defines.empty() && !parse_cmdline_defines(sm, sink, script, effective, st.scopes.back().vars)) return false;

  parse::Input in = parse::token_input(st, name);
  try {
    tao::pegtl::parse<grammar::file, parse::action, parse::control>(in, st);
  } catch (const parse::SyntaxError& e) {
    parse::report_syntax_error(st, e.pos, e.expected);
  }
  return !st.had_error && !sink.has_errors();
}

}  // namespace nftc
