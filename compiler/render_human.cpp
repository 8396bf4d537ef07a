// The human renderer: gcc/nft-style text with the source line and markers.
//
//   main.nft:3:17: error[SEM010]: conflicting protocols specified: udp vs. tcp
//   add rule ip t c udp dport 53 tcp dport 22
//                   ~~~~~~~~~~~~ ^^^^^^^^^^^^
//   main.nft:3:17: note: the earlier protocol match
//   help: …
#include <algorithm>
#include <ostream>
#include <string>

#include "compiler/render.hpp"

namespace nftc {
namespace {

struct Palette {
  bool on = false;
  std::string_view bold() const { return on ? "\033[1m" : ""; }
  std::string_view reset() const { return on ? "\033[0m" : ""; }
  std::string_view severity(Severity s) const {
    if (!on) return "";
    switch (s) {
      case Severity::error: return "\033[1;31m";
      case Severity::warning: return "\033[1;35m";
      case Severity::info: return "\033[1;36m";
    }
    return "";
  }
  std::string_view primary() const { return on ? "\033[1;32m" : ""; }
  std::string_view secondary() const { return on ? "\033[1;34m" : ""; }
};

// Pads up to `column` (1-based, bytes) keeping the source's tabs so that the
// marker lines up under any tab width; UTF-8 continuation bytes take no cell.
void pad_to(std::string& out, std::string_view line, std::uint32_t column) {
  for (std::uint32_t i = 0; i + 1 < column && i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == '\t')
      out += '\t';
    else if ((c & 0xc0) != 0x80)
      out += ' ';
  }
}

std::uint32_t marker_width(std::string_view line, std::uint32_t col_begin, std::uint32_t col_end) {
  std::uint32_t w = 0;
  for (std::uint32_t i = col_begin - 1; i < col_end - 1 && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) ++w;
  return w == 0 ? 1 : w;
}

struct Mark {
  std::uint32_t begin_col, end_col;  // [begin, end) in bytes, 1-based
  char ch;
};

// The span restricted to one line, as columns [begin, end).
Mark mark_on_line(const SourceManager& sm, const Span& span, std::uint32_t line, char ch) {
  Position b = sm.begin(span);
  std::string_view text = sm.line_text(span.file, line);
  std::uint32_t begin_col = b.line == line ? b.column : 1;
  std::uint32_t end_col;
  Position e = sm.position(span.file, span.end);
  if (span.end <= span.begin)
    end_col = begin_col + 1;
  else if (e.line == line)
    end_col = e.column;
  else
    end_col = static_cast<std::uint32_t>(text.size()) + 1;
  if (end_col <= begin_col) end_col = begin_col + 1;
  return Mark{begin_col, end_col, ch};
}

void print_snippet(std::ostream& out, const SourceManager& sm, FileId file, std::uint32_t line,
                   const std::vector<Mark>& marks, const Palette& pal) {
  std::string_view text = sm.line_text(file, line);
  out << text << '\n';
  std::string under;
  std::uint32_t cursor = 1;  // the next column `under` will cover
  // Marks are drawn left to right; the primary wins where two overlap.
  std::vector<Mark> sorted = marks;
  std::sort(sorted.begin(), sorted.end(), [](const Mark& a, const Mark& b) {
    return a.begin_col != b.begin_col ? a.begin_col < b.begin_col : a.ch == '^';
  });
  for (const Mark& m : sorted) {
    if (m.begin_col < cursor) continue;
    std::string pad;
    pad_to(pad, text.substr(cursor - 1 < text.size() ? cursor - 1 : text.size()), m.begin_col - cursor + 1);
    under += pad;
    std::uint32_t width = marker_width(text, m.begin_col, m.end_col);
    under += m.ch == '^' ? pal.primary() : pal.secondary();
    under += std::string(width, m.ch);
    under += pal.reset();
    cursor = m.end_col;
  }
  out << under << '\n';
}

}  // namespace

void render_human(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  const RenderOptions& opts) {
  Palette pal{opts.color};
  for (const Diagnostic& d : diags) {
    if (d.primary.valid()) {
      for (const Span& inc : sm.include_chain(d.primary.file))
        out << pal.bold() << location_string(sm, inc) << ": " << pal.reset() << pal.severity(Severity::info)
            << "note" << pal.reset() << ": in file included from here\n";
    }
    out << pal.bold() << location_string(sm, d.primary, d.path) << ": " << pal.reset()
        << pal.severity(d.severity) << severity_name(d.severity) << '[' << d.code << ']' << pal.reset()
        << ": " << pal.bold() << d.message << pal.reset() << '\n';
    std::vector<const RelatedSpan*> elsewhere;
    if (d.primary.valid()) {
      Position p = sm.begin(d.primary);
      std::vector<Mark> marks{mark_on_line(sm, d.primary, p.line, '^')};
      for (const RelatedSpan& r : d.related) {
        if (r.span.valid() && r.span.file == d.primary.file && sm.begin(r.span).line == p.line)
          marks.push_back(mark_on_line(sm, r.span, p.line, '~'));
        if (!r.label.empty() || !(r.span.valid() && r.span.file == d.primary.file &&
                                  sm.begin(r.span).line == p.line))
          elsewhere.push_back(&r);
      }
      print_snippet(out, sm, d.primary.file, p.line, marks, pal);
    }
    for (const RelatedSpan* r : elsewhere) {
      out << pal.bold() << location_string(sm, r->span) << ": " << pal.reset() << pal.severity(Severity::info)
          << "note" << pal.reset() << ": " << (r->label.empty() ? std::string("related") : r->label) << '\n';
      if (!r->span.valid()) continue;
      Position rp = sm.begin(r->span);
      bool same_line = d.primary.valid() && r->span.file == d.primary.file && rp.line == sm.begin(d.primary).line;
      if (!same_line) print_snippet(out, sm, r->span.file, rp.line, {mark_on_line(sm, r->span, rp.line, '~')}, pal);
    }
    if (!d.help.empty()) out << pal.bold() << "help" << pal.reset() << ": " << d.help << '\n';
    if (d.fix) {
      out << pal.bold() << "fix" << pal.reset() << " (" << (d.fix->safe ? "safe" : "unsafe") << "): "
          << d.fix->description << '\n';
    }
  }
}

}  // namespace nftc
