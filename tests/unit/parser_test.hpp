// Helpers for the parser unit tests: parse a text, look at the AST through
// ast::dump(), and at the diagnostics in their concise rendering.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/ast_dump.hpp"
#include "compiler/parser.hpp"
#include "compiler/render.hpp"

namespace nftc::test {

struct Parsed {
  SourceManager sm;
  DiagnosticSink sink;
  ast::Script script;
  FileId file = kNoFile;
  bool ok = false;

  // The whole script, one command (or define) per line.
  std::string dump(bool spans = false) const { return ast::dump(script, {spans, true}); }
  // Diagnostics as `file:line:col: severity[CODE]: message`, one per line.
  std::string errors() const {
    std::ostringstream out;
    render_concise(out, sm, sink.all(), RenderOptions{});
    return out.str();
  }
  const ast::Command& cmd(std::size_t i = 0) const { return script.commands.at(i); }
  // The text a span covers.
  std::string_view text(const Span& s) const { return sm.text(s); }
};

inline std::unique_ptr<Parsed> parse(std::string_view text, const ParseOptions& opts = {},
                                     std::string name = "test.nft") {
  auto p = std::make_unique<Parsed>();
  p->file = p->sm.add(std::move(name), std::string(text));
  p->ok = parse_file(p->sm, p->sink, p->file, p->script, opts);
  return p;
}

// The dump of a text that must parse without errors.
inline std::string ast_of(std::string_view text, const ParseOptions& opts = {}) {
  auto p = parse(text, opts);
  INFO("input: ", text, "\ndiagnostics: ", p->errors());
  CHECK(p->ok);
  return p->dump();
}

// The dump of the single rule of `add rule ip t c RULE`, without the
// command around it: "(rule (match …) …)".
inline std::string rule_of(std::string_view rule) {
  auto p = parse("add rule ip t c " + std::string(rule) + "\n");
  INFO("rule: ", rule, "\ndiagnostics: ", p->errors());
  CHECK(p->ok);
  if (p->script.commands.size() != 1 || p->cmd().rule == nullptr) return "<no rule>";
  return ast::dump(*p->cmd().rule);
}

// The diagnostics of a text that must fail.
inline std::string errors_of(std::string_view text, const ParseOptions& opts = {}) {
  auto p = parse(text, opts);
  INFO("input: ", text);
  CHECK_FALSE(p->ok);
  return p->errors();
}

}  // namespace nftc::test
