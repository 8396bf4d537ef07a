// Source files, spans and line/column mapping.
//
// Every node of the AST and both IRs carries a Span: a file id plus a byte
// range. Line and column are only computed when a diagnostic is rendered.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nftc {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = 0xffffffffu;

// A half-open byte range [begin, end) in one source file.
struct Span {
  FileId file = kNoFile;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  // Builds the span with the file and begin in one 64-bit register: GCC 12
  // otherwise assembles a returned Span in memory with two 32-bit stores and
  // reads it back with one 64-bit load, which stalls (store forwarding).
  static Span make(FileId file, std::uint32_t begin, std::uint32_t end) {
    static_assert(sizeof(FileId) == 4 && std::endian::native == std::endian::little);
    const std::uint64_t head = std::uint64_t{file} | (std::uint64_t{begin} << 32);
    Span s;
    std::memcpy(static_cast<void*>(&s), &head, sizeof head);
    s.end = end;
    return s;
  }

  bool valid() const { return file != kNoFile; }
  std::uint32_t size() const { return end - begin; }
  // The smallest span covering both; both must be in the same file.
  Span merge(const Span& other) const {
    if (!valid()) return other;
    if (!other.valid()) return *this;
    return make(file, begin < other.begin ? begin : other.begin, end > other.end ? end : other.end);
  }
  bool operator==(const Span&) const = default;
};

// A resolved position: 1-based line, 1-based column counted in bytes.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct SourceFile {
  std::string name;      // as the user wrote it ("-" shows as "<stdin>")
  std::string text;      // the whole content, read once
  Span included_from;    // the include directive that pulled it in, if any
  std::vector<std::uint32_t> line_starts;  // computed lazily
};

// Owns the text of every file read during one compilation.
class SourceManager {
 public:
  FileId add(std::string name, std::string text, Span included_from = {});
  const SourceFile& file(FileId id) const { return files_.at(id); }
  std::size_t size() const { return files_.size(); }

  std::string_view text(const Span& span) const;
  Position position(FileId id, std::uint32_t offset) const;
  Position begin(const Span& span) const { return position(span.file, span.begin); }
  // The position of the last byte of the span (the start for an empty span).
  Position end(const Span& span) const;
  // The text of line `line` (1-based) without its newline.
  std::string_view line_text(FileId id, std::uint32_t line) const;
  // The chain of include directives that led to `id`, innermost first.
  std::vector<Span> include_chain(FileId id) const;

 private:
  void index_lines(FileId id) const;
  // A deque: file text must never move, spans and string_views point into it.
  mutable std::deque<SourceFile> files_;
};

}  // namespace nftc
