#include "compiler/source.hpp"

#include <algorithm>
#include <cassert>

namespace nftc {

FileId SourceManager::add(std::string name, std::string text, Span included_from) {
  files_.push_back(SourceFile{std::move(name), std::move(text), included_from, {}});
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::text(const Span& span) const {
  if (!span.valid()) return {};
  const std::string& t = files_.at(span.file).text;
  std::uint32_t b = std::min<std::uint32_t>(span.begin, static_cast<std::uint32_t>(t.size()));
  std::uint32_t e = std::min<std::uint32_t>(span.end, static_cast<std::uint32_t>(t.size()));
  return std::string_view(t).substr(b, e > b ? e - b : 0);
}

void SourceManager::index_lines(FileId id) const {
  SourceFile& f = files_.at(id);
  if (!f.line_starts.empty()) return;
  f.line_starts.push_back(0);
  for (std::uint32_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
}

Position SourceManager::position(FileId id, std::uint32_t offset) const {
  index_lines(id);
  const auto& starts = files_.at(id).line_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  std::uint32_t line = static_cast<std::uint32_t>(it - starts.begin());
  return Position{line, offset - starts[line - 1] + 1};
}

Position SourceManager::end(const Span& span) const {
  if (span.end <= span.begin) return begin(span);
  return position(span.file, span.end - 1);
}

std::string_view SourceManager::line_text(FileId id, std::uint32_t line) const {
  index_lines(id);
  const SourceFile& f = files_.at(id);
  if (line == 0 || line > f.line_starts.size()) return {};
  std::uint32_t b = f.line_starts[line - 1];
  std::uint32_t e = line < f.line_starts.size() ? f.line_starts[line] : f.text.size();
  std::string_view s = std::string_view(f.text).substr(b, e - b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<Span> SourceManager::include_chain(FileId id) const {
  std::vector<Span> chain;
  for (Span s = files_.at(id).included_from; s.valid(); s = files_.at(s.file).included_from) {
    chain.push_back(s);
    if (chain.size() > files_.size()) break;  // defensive: never loop
  }
  return chain;
}

}  // namespace nftc
