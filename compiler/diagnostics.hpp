// Diagnostics: what every pass reports, as values.
//
// Passes append to a DiagnosticSink and never print; one renderer turns the
// sink into text at the end (see render.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source.hpp"

namespace nftc {

enum class Severity { error, warning, info };
std::string_view severity_name(Severity s);

struct RelatedSpan {
  Span span;
  std::string label;
};

struct TextEdit {
  Span span;                // the bytes to replace (empty span = insertion)
  std::string replacement;
};

struct Fix {
  std::string description;
  bool safe = false;        // safe: cannot change what the ruleset means
  std::vector<TextEdit> edits;
};

struct Diagnostic {
  std::string code;         // stable, e.g. "SYN001", "OFF003"
  Severity severity = Severity::error;
  std::string message;      // states the problem
  Span primary;
  std::vector<RelatedSpan> related;
  std::string help;         // says what to do; may be empty
  std::optional<Fix> fix;
  std::string path;         // the file a span-less diagnostic is about (I/O errors)

  Diagnostic& with_related(Span s, std::string label) {
    related.push_back({s, std::move(label)});
    return *this;
  }
  Diagnostic& with_help(std::string h) {
    help = std::move(h);
    return *this;
  }
  Diagnostic& with_fix(Fix f) {
    fix = std::move(f);
    return *this;
  }
};

class DiagnosticSink {
 public:
  Diagnostic& report(std::string code, Severity sev, Span primary, std::string message);
  Diagnostic& error(std::string code, Span primary, std::string message) {
    return report(std::move(code), Severity::error, primary, std::move(message));
  }
  Diagnostic& warning(std::string code, Span primary, std::string message) {
    return report(std::move(code), Severity::warning, primary, std::move(message));
  }

  const std::vector<Diagnostic>& all() const { return diags_; }
  std::vector<Diagnostic>& all() { return diags_; }
  std::size_t count(Severity s) const;
  std::size_t error_count() const { return count(Severity::error); }
  bool has_errors() const { return error_count() != 0; }
  bool empty() const { return diags_.empty(); }
  // Order by file, then position, keeping the report order of ties.
  void sort_by_location();

 private:
  std::vector<Diagnostic> diags_;
};

// The codes nftc itself reports (lint rules have their own table in rules/).
struct DiagnosticCode {
  std::string_view code;
  std::string_view slug;
  std::string_view summary;
};
const std::vector<DiagnosticCode>& builtin_codes();
const DiagnosticCode* find_builtin_code(std::string_view code);

}  // namespace nftc
