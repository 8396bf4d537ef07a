#include "backends/fmt/layout.hpp"

#include <memory>
#include <optional>

namespace nftc::formatter {
namespace {

// ---------------------------------------------------------------------------
// The tree: statements of blocks, lines of everything else.

struct Group;

struct Item {
  enum class Kind : std::uint8_t { token, group, continuation } kind = Kind::token;
  std::uint32_t piece = 0;  // token or continuation
  std::unique_ptr<Group> group;
};

struct Stmt {
  std::vector<Item> items;
  std::optional<std::uint32_t> comment;  // trailing "# …"
  std::vector<Item> joined;              // chain bodies: `policy …` joined to `type … hook …`
  std::optional<std::uint32_t> joined_comment;
};

struct Entry {
  enum class Kind : std::uint8_t { stmt, comment, blank } kind = Kind::stmt;
  Stmt stmt;
  std::uint32_t comment = 0;
};

// A source line inside the braces of a set expression or another inline
// group; the first is the rest of the '{' line, the last the start of the
// '}' line.
struct Line {
  std::vector<Item> items;
  std::optional<std::uint32_t> comment;
  bool empty() const { return items.empty() && !comment; }
};

struct Group {
  BraceInfo info;
  std::uint32_t open = 0, close = 0;
  bool one_line = true;  // no line break between the braces in the source
  std::optional<std::uint32_t> open_comment;  // blocks: `{ # …`
  std::vector<Entry> body;                    // blocks
  std::vector<Line> lines;                    // everything else
};

class Builder {
 public:
  Builder(std::string_view text, const std::vector<Piece>& ps, const BraceMap& braces)
      : text_(text), ps_(ps), braces_(braces) {}

  std::vector<Entry> file() {
    std::vector<Entry> out;
    while (i_ < ps_.size()) {
      body(out, nullptr, true);
      // A stray '}' at the top (the parser refused the file): keep it.
      if (i_ < ps_.size()) {
        Stmt s;
        s.items.push_back(Item{Item::Kind::token, static_cast<std::uint32_t>(i_++), nullptr});
        out.push_back(Entry{Entry::Kind::stmt, std::move(s), 0});
      }
    }
    return out;
  }

 private:
  std::string_view text(std::size_t k) const { return piece_text(text_, ps_[k]); }
  bool is(std::size_t k, std::string_view s) const { return ps_[k].kind == PieceKind::token && text(k) == s; }

  // Statements up to the '}' that closes the block (left unconsumed) or the
  // end of the text.
  void body(std::vector<Entry>& out, std::optional<std::uint32_t>* open_comment, bool line_empty) {
    Stmt cur;
    bool stmt_on_line = false;  // a statement ended by ';' on this line
    auto finish = [&] {
      if (cur.items.empty()) return;
      out.push_back(Entry{Entry::Kind::stmt, std::move(cur), 0});
      cur = Stmt{};
      stmt_on_line = true;
    };
    while (i_ < ps_.size()) {
      const Piece& p = ps_[i_];
      const auto idx = static_cast<std::uint32_t>(i_);
      switch (p.kind) {
        case PieceKind::newline:
          if (!cur.items.empty()) finish();
          else if (line_empty && !out.empty() && out.back().kind != Entry::Kind::blank)
            out.push_back(Entry{Entry::Kind::blank, {}, 0});
          line_empty = true;
          stmt_on_line = false;
          ++i_;
          break;
        case PieceKind::comment:
          if (!cur.items.empty()) {
            cur.comment = idx;
            finish();
          } else if (stmt_on_line && !out.empty() && out.back().kind == Entry::Kind::stmt && !out.back().stmt.comment) {
            out.back().stmt.comment = idx;
          } else if (!line_empty && open_comment != nullptr && out.empty() && !*open_comment) {
            *open_comment = idx;
          } else {
            out.push_back(Entry{Entry::Kind::comment, {}, idx});
          }
          line_empty = false;
          ++i_;
          break;
        case PieceKind::continuation:
          if (!cur.items.empty()) cur.items.push_back(Item{Item::Kind::continuation, idx, nullptr});
          ++i_;
          break;
        case PieceKind::token:
          if (is(i_, "}")) {
            finish();
            return;
          }
          line_empty = false;
          if (is(i_, ";")) {
            finish();
            ++i_;
          } else if (is(i_, "{")) {
            cur.items.push_back(Item{Item::Kind::group, 0, group()});
          } else {
            cur.items.push_back(Item{Item::Kind::token, idx, nullptr});
            ++i_;
          }
          break;
      }
    }
    finish();
  }

  void lines(std::vector<Line>& out) {
    out.emplace_back();
    while (i_ < ps_.size()) {
      const Piece& p = ps_[i_];
      const auto idx = static_cast<std::uint32_t>(i_);
      switch (p.kind) {
        case PieceKind::newline: out.emplace_back(); ++i_; break;
        case PieceKind::comment: out.back().comment = idx; ++i_; break;
        case PieceKind::continuation: out.back().items.push_back(Item{Item::Kind::continuation, idx, nullptr}); ++i_; break;
        case PieceKind::token:
          if (is(i_, "}")) return;
          if (is(i_, "{")) {
            out.back().items.push_back(Item{Item::Kind::group, 0, group()});
          } else {
            out.back().items.push_back(Item{Item::Kind::token, idx, nullptr});
            ++i_;
          }
          break;
      }
    }
  }

  std::unique_ptr<Group> group() {
    auto g = std::make_unique<Group>();
    g->open = static_cast<std::uint32_t>(i_);
    if (auto it = braces_.find(ps_[i_].begin); it != braces_.end()) g->info = it->second;
    ++i_;
    if (is_block(g->info.kind)) body(g->body, &g->open_comment, false);
    else lines(g->lines);
    g->close = static_cast<std::uint32_t>(i_ < ps_.size() ? i_ : ps_.size() - 1);
    std::uint32_t end = i_ < ps_.size() ? ps_[i_].begin : static_cast<std::uint32_t>(text_.size());
    g->one_line = text_.substr(ps_[g->open].begin, end - ps_[g->open].begin).find('\n') == std::string_view::npos;
    if (i_ < ps_.size()) ++i_;
    return g;
  }

  std::string_view text_;
  const std::vector<Piece>& ps_;
  const BraceMap& braces_;
  std::size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// The printer.

// Assignment and comparison operators get a blank on both sides, as nft
// prints them (`elements = {`, `tcp dport != 22`).
bool is_spaced_operator(const Piece& p, std::string_view t) {
  return p.kind == PieceKind::token && p.lex == grammar::TokenKind::punct &&
         (t == "=" || t == "==" || t == "!=" || t == "<" || t == ">" || t == "<=" || t == ">=");
}

bool first_word_is(std::string_view text, const std::vector<Piece>& ps, const Stmt& s, std::string_view w) {
  return !s.items.empty() && s.items[0].kind == Item::Kind::token && piece_text(text, ps[s.items[0].piece]) == w;
}

class Printer {
 public:
  Printer(std::string_view text, const std::vector<Piece>& ps, const LayoutOptions& opts)
      : text_(text), ps_(ps), opts_(opts) {}

  std::string run(std::vector<Entry>& entries) {
    print_body(entries, 0, BraceKind::other);
    while (!out_.empty() && out_.back() == '\n') out_.pop_back();
    if (!out_.empty()) out_ += '\n';
    return std::move(out_);
  }

 private:
  std::string_view text(std::uint32_t k) const { return piece_text(text_, ps_[k]); }

  std::size_t column() const {
    std::size_t start = out_.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t col = 0;
    for (std::size_t k = start; k < out_.size(); ++k) col = out_[k] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    return col;
  }
  void newline() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
    out_ += '\n';
  }
  void indent(int depth) { out_.append(static_cast<std::size_t>(depth), '\t'); }
  void align(std::size_t col) {
    out_.append(col / 8, '\t');
    out_.append(col % 8, ' ');
  }
  // A trailing comment keeps a tab before it if it has one (nft prints
  // `size 2\t# count 1`), else gets one blank.
  void trailing_comment(std::uint32_t k) {
    std::uint32_t b = ps_[k].begin;
    out_ += b > 0 && text_[b - 1] == '\t' ? '\t' : ' ';
    comment(k);
  }
  void comment(std::uint32_t k) {
    std::string_view c = text(k);
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) c.remove_suffix(1);
    out_ += c;
  }

  // Whether a statement prints over several lines because of a block.
  static bool has_block(const Stmt& s) {
    for (const Item& it : s.items)
      if (it.kind == Item::Kind::group && is_block(it.group->info.kind) &&
          !(it.group->info.command_form && it.group->one_line))
        return true;
    return false;
  }

  // A chain's `type … hook …` followed by `policy …` prints on one line, as
  // nft lists it.
  void join_hook_policy(std::vector<Entry>& entries) {
    for (std::size_t k = 0; k + 1 < entries.size(); ++k) {
      Entry& a = entries[k];
      Entry& b = entries[k + 1];
      if (a.kind != Entry::Kind::stmt || b.kind != Entry::Kind::stmt || a.stmt.comment || !a.stmt.joined.empty())
        continue;
      if (!first_word_is(text_, ps_, a.stmt, "type") || !first_word_is(text_, ps_, b.stmt, "policy")) continue;
      a.stmt.joined = std::move(b.stmt.items);
      a.stmt.joined_comment = b.stmt.comment;
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(k + 1));
    }
  }

  void print_body(std::vector<Entry>& entries, int depth, BraceKind kind) {
    if (kind == BraceKind::chain) join_hook_policy(entries);
    // Units: leading comments and the statement they describe, or comments
    // standing alone. Blank lines go between units.
    struct Unit {
      std::size_t first, last;
      bool blank_before, block;
    };
    std::vector<Unit> units;
    bool open = false, blank = false;
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const Entry& e = entries[k];
      if (e.kind == Entry::Kind::blank) {
        open = false;
        blank = !units.empty();
        continue;
      }
      if (!open) {
        units.push_back(Unit{k, k, blank, false});
        blank = false;
        open = true;
      }
      units.back().last = k;
      if (e.kind == Entry::Kind::stmt) {
        units.back().block = has_block(e.stmt);
        open = false;
      }
    }
    for (std::size_t u = 0; u < units.size(); ++u) {
      if (u > 0 && (units[u].blank_before ||
                    (kind == BraceKind::table && (units[u - 1].block || units[u].block))))
        newline();
      for (std::size_t k = units[u].first; k <= units[u].last; ++k) {
        const Entry& e = entries[k];
        if (e.kind == Entry::Kind::comment) {
          indent(depth);
          comment(e.comment);
          newline();
        } else if (e.kind == Entry::Kind::stmt) {
          print_stmt(e.stmt, depth, kind == BraceKind::chain);
        }
      }
    }
  }

  void print_stmt(const Stmt& s, int depth, bool in_chain) {
    indent(depth);
    print_items(s.items, depth, BraceKind::other);
    bool semi = in_chain && (first_word_is(text_, ps_, s, "type") || first_word_is(text_, ps_, s, "policy"));
    if (semi) out_ += ';';
    if (!s.joined.empty()) {
      out_ += ' ';
      print_items(s.joined, depth, BraceKind::other);
      out_ += ';';
    }
    std::optional<std::uint32_t> c = s.joined.empty() ? s.comment : s.joined_comment;
    if (c) trailing_comment(*c);
    newline();
  }

  // The blank between two items of a line: `parent` is the kind of the
  // braces they are directly in (other for a statement).
  std::string_view gap(const Item* prev, const Item& cur, BraceKind parent) const {
    if (prev == nullptr) return "";
    if (cur.kind == Item::Kind::group) return " ";
    std::string_view b = text(cur.piece);
    if (prev->kind == Item::Kind::group) return b == "," || b == ")" ? "" : " ";
    std::string_view a = text(prev->piece);
    if (a == "," && parent != BraceKind::other) return " ";
    if (is_spaced_operator(ps_[prev->piece], a) || is_spaced_operator(ps_[cur.piece], b)) return " ";
    if (!ps_[cur.piece].space_before) return "";
    if (b == "," || b == ")" || a == "(") return "";
    return " ";
  }

  // `in_braces`: the items are directly inside a non-block group (commas
  // get a blank after them).
  void print_items(const std::vector<Item>& items, int depth, BraceKind parent, bool in_braces = false) {
    const Item* prev = nullptr;
    for (const Item& it : items) {
      if (it.kind == Item::Kind::continuation) {
        out_ += " \\";
        newline();
        indent(depth + 1);
        prev = nullptr;
        continue;
      }
      out_ += gap(prev, it, in_braces ? parent : BraceKind::other);
      if (it.kind == Item::Kind::group) print_group(*it.group, depth);
      else out_ += text(it.piece);
      prev = &it;
    }
  }

  std::string render(const std::vector<Item>& items, int depth, BraceKind parent) {
    std::string saved = std::move(out_);
    out_.clear();
    print_items(items, depth, parent, true);
    std::string r = std::move(out_);
    out_ = std::move(saved);
    return r;
  }

  void print_group(Group& g, int depth) {
    if (is_block(g.info.kind)) {
      print_block(g, depth);
      return;
    }
    print_lines(g, depth);
  }

  void print_block(Group& g, int depth) {
    if (g.info.command_form && g.one_line) {
      out_ += '{';
      for (const Entry& e : g.body) {
        if (e.kind != Entry::Kind::stmt) continue;
        out_ += ' ';
        print_items(e.stmt.items, depth, BraceKind::other);
        out_ += ';';
      }
      out_ += " }";
      return;
    }
    out_ += '{';
    if (g.open_comment) trailing_comment(*g.open_comment);
    newline();
    print_body(g.body, depth + 1, g.info.kind == BraceKind::anon_chain ? BraceKind::chain : g.info.kind);
    indent(depth);
    out_ += '}';
  }

  bool has_group(const std::vector<Item>& items) const {
    for (const Item& it : items)
      if (it.kind != Item::Kind::token) return true;
    return false;
  }

  // Prints one line of elements starting at the current column, wrapping
  // an element list at its commas when it is wider than the limit.
  // `tail` is what follows on the same line (" }" for the last line).
  void print_elements(const std::vector<Item>& items, int depth, const Group& g, std::size_t cont_col,
                      std::size_t tail) {
    const BraceKind k = g.info.kind;
    if (k != BraceKind::element_list || has_group(items)) {
      print_items(items, depth, k, true);
      return;
    }
    std::string whole = render(items, depth, k);
    if (column() + whole.size() + tail <= opts_.width) {
      out_ += whole;
      return;
    }
    // Split at the commas of this level.
    std::vector<std::string> parts;
    std::vector<Item> cur;
    auto flush = [&](bool comma) {
      if (cur.empty() && !comma) return;
      std::string t = render(cur, depth, k);
      if (comma) t += ',';
      parts.push_back(std::move(t));
      cur.clear();
    };
    for (const Item& it : items) {
      // A token (the line has no groups): copy its piece index.
      if (text(it.piece) == ",") flush(true);
      else cur.push_back(Item{it.kind, it.piece, nullptr});
    }
    flush(false);
    bool line_has = false;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      std::size_t extra = p + 1 == parts.size() ? tail : 0;
      if (line_has && column() + 1 + parts[p].size() + extra > opts_.width) {
        newline();
        align(cont_col);
        line_has = false;
      }
      if (line_has) out_ += ' ';
      out_ += parts[p];
      line_has = true;
    }
  }

  void print_lines(const Group& g, int depth) {
    const BraceKind k = g.info.kind;
    const bool set_like = is_set_like(k);
    const std::vector<Line>& ls = g.lines;
    if (ls.size() == 1) {
      if (ls[0].items.empty()) {
        out_ += "{ }";
        return;
      }
      out_ += "{ ";
      std::size_t col = column();
      print_elements(ls[0].items, depth, g, col, 2);
      out_ += " }";
      return;
    }
    // Several lines. The last one holds what precedes '}' on its line.
    const Line& last = ls.back();
    std::vector<const Line*> body;
    bool pending_blank = false;
    for (std::size_t n = 1; n + 1 < ls.size(); ++n) {
      if (ls[n].empty()) {
        pending_blank = !body.empty();
        continue;
      }
      if (pending_blank) body.push_back(nullptr);  // a blank line
      pending_blank = false;
      body.push_back(&ls[n]);
    }
    auto print_line = [&](const Line& l, std::size_t col, std::size_t tail) {
      print_elements(l.items, depth, g, col, tail);
      if (l.comment) {
        if (l.items.empty()) comment(*l.comment);
        else trailing_comment(*l.comment);
      }
    };
    const bool block_style = ls[0].items.empty();
    if (block_style) {
      out_ += '{';
      if (ls[0].comment) trailing_comment(*ls[0].comment);
      newline();
      std::size_t col = static_cast<std::size_t>(depth + 1) * 8;
      for (const Line* l : body) {
        if (l != nullptr) {
          indent(depth + 1);
          print_line(*l, col, 0);
        }
        newline();
      }
      if (!last.items.empty()) {
        if (set_like) {
          indent(depth + 1);
          print_line(last, col, 0);
          newline();
          indent(depth);
          out_ += '}';
        } else {
          indent(depth + 1);
          print_line(last, col, 2);
          out_ += " }";
        }
        return;
      }
      indent(depth);
      out_ += '}';
      return;
    }
    // Aligned: continuation lines start under the first element.
    out_ += "{ ";
    const std::size_t col = column();
    const bool close_after_body = last.items.empty() && set_like && !body.empty() && body.back() != nullptr &&
                                  !body.back()->comment;
    const bool close_after_first = last.items.empty() && set_like && body.empty() && !ls[0].comment;
    print_line(ls[0], col, close_after_first ? 2 : 0);
    if (close_after_first) {
      out_ += " }";
      return;
    }
    newline();
    for (std::size_t n = 0; n < body.size(); ++n) {
      const Line* l = body[n];
      if (l != nullptr) {
        align(col);
        bool closes = close_after_body && n + 1 == body.size();
        print_line(*l, col, closes ? 2 : 0);
        if (closes) {
          out_ += " }";
          return;
        }
      }
      newline();
    }
    if (!last.items.empty()) {
      align(col);
      print_line(last, col, 2);
      out_ += " }";
      return;
    }
    indent(depth);
    out_ += '}';
  }

  std::string_view text_;
  const std::vector<Piece>& ps_;
  const LayoutOptions& opts_;
  std::string out_;
};

}  // namespace

std::string layout(std::string_view text, const std::vector<Piece>& pieces, const BraceMap& braces,
                   const LayoutOptions& opts) {
  Builder b(text, pieces, braces);
  std::vector<Entry> entries = b.file();
  Printer p(text, pieces, opts);
  return p.run(entries);
}

}  // namespace nftc::formatter
