#include "backends/fmt/format.hpp"

#include <fmt/format.h>

#include "backends/fmt/braces.hpp"
#include "backends/fmt/layout.hpp"
#include "backends/fmt/scan.hpp"
#include "compiler/ast_dump.hpp"

namespace nftc::formatter {
namespace {

// Errors that mean the parser could not read the file as nft would; the
// rest (unknown or redefined variables, include problems) leave the syntax
// tree whole.
bool is_fatal(const Diagnostic& d, FileId file) {
  if (d.severity != Severity::error) return false;
  if (d.code == "SYN005" || d.code == "SYN006") return false;
  if (d.code.rfind("SYN", 0) != 0) return false;
  return !d.primary.valid() || d.primary.file == file;
}

struct Parsed {
  ast::Script script;
  DiagnosticSink sink;
  bool fatal = false;
};

void parse(SourceManager& sm, FileId file, const ParseOptions& po, Parsed& p) {
  parse_file(sm, p.sink, file, p.script, po);
  for (const Diagnostic& d : p.sink.all())
    if (is_fatal(d, file)) p.fatal = true;
}

// The grammar tokens of a text, without the separators the formatter may
// add or drop (';' and newlines).
std::vector<std::string_view> tokens_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (const Piece& p : scan(text))
    if (p.kind == PieceKind::token && piece_text(text, p) != ";") out.push_back(piece_text(text, p));
  return out;
}

}  // namespace

std::vector<std::string> comments_of(std::string_view text) {
  std::vector<std::string> out;
  for (const Piece& p : scan(text)) {
    if (p.kind != PieceKind::comment) continue;
    std::string_view c = piece_text(text, p);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) c.remove_suffix(1);
    out.emplace_back(c);
  }
  return out;
}

std::string check_equivalent(std::string_view name, std::string_view before, std::string_view after,
                             const ParseOptions& po) {
  if (comments_of(before) != comments_of(after)) return "the comments differ";
  if (tokens_of(before) != tokens_of(after)) return "the tokens differ";
  SourceManager sm;
  FileId a = sm.add(std::string(name), std::string(before));
  FileId b = sm.add(std::string(name), std::string(after));
  Parsed pa, pb;
  parse(sm, a, po, pa);
  parse(sm, b, po, pb);
  if (pb.fatal && !pa.fatal) return "the result does not parse";
  if (ast::dump(pa.script) != ast::dump(pb.script)) return "the syntax trees differ";
  return {};
}

FormatResult format_file(SourceManager& sm, DiagnosticSink& sink, FileId file, const FormatOptions& opts) {
  FormatResult r;
  Parsed p;
  parse(sm, file, opts.parse, p);
  if (p.fatal) {
    for (const Diagnostic& d : p.sink.all())
      if (is_fatal(d, file)) sink.all().push_back(d);
    return r;
  }
  const std::string_view text = sm.file(file).text;
  std::vector<Piece> pieces = scan(text);
  BraceMap braces = classify_braces(p.script, file, text, pieces);
  std::string out = layout(text, pieces, braces, LayoutOptions{opts.width});
  if (opts.verify) {
    r.internal_error = check_equivalent(sm.file(file).name, text, out, opts.parse);
    if (!r.internal_error.empty()) return r;
  }
  r.text = std::move(out);
  return r;
}

}  // namespace nftc::formatter
