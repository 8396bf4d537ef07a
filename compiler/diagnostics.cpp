#include "compiler/diagnostics.hpp"

#include <algorithm>

namespace nftc {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
  }
  return "error";
}

Diagnostic& DiagnosticSink::report(std::string code, Severity sev, Span primary, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = sev;
  d.primary = primary;
  d.message = std::move(message);
  diags_.push_back(std::move(d));
  return diags_.back();
}

std::size_t DiagnosticSink::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(diags_.begin(), diags_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

void DiagnosticSink::sort_by_location() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.primary.file != b.primary.file) return a.primary.file < b.primary.file;
    return a.primary.begin < b.primary.begin;
  });
}

const DiagnosticCode* find_builtin_code(std::string_view code) {
  for (const auto& c : builtin_codes())
    if (c.code == code) return &c;
  return nullptr;
}

}  // namespace nftc
