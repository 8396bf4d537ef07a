// The machine-readable renderers (concise, JSON, SARIF, GitHub annotations)
// and what all renderers share.
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <ostream>

#include "compiler/render.hpp"
#include "nftc/version.hpp"

namespace nftc {

std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name) {
  if (name == "human") return DiagnosticFormat::human;
  if (name == "concise") return DiagnosticFormat::concise;
  if (name == "json") return DiagnosticFormat::json;
  if (name == "sarif") return DiagnosticFormat::sarif;
  if (name == "github") return DiagnosticFormat::github;
  return std::nullopt;
}

bool want_color(std::string_view mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fd) != 0;
}

std::string location_string(const SourceManager& sm, const Span& span, std::string_view fallback) {
  if (!span.valid()) return fallback.empty() ? std::string("nftc") : std::string(fallback);
  Position p = sm.begin(span);
  return sm.file(span.file).name + ':' + std::to_string(p.line) + ':' + std::to_string(p.column);
}

void render_concise(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                    const RenderOptions&) {
  for (const Diagnostic& d : diags)
    out << location_string(sm, d.primary, d.path) << ": " << severity_name(d.severity) << '[' << d.code
        << "]: " << d.message << '\n';
}

namespace {

using nlohmann::ordered_json;

// Adds file/line/column/end_line/end_column for a span (end is inclusive).
void put_span(ordered_json& j, const SourceManager& sm, const Span& span, std::string_view fallback) {
  if (!span.valid()) {
    j["file"] = std::string(fallback);
    j["line"] = 0;
    j["column"] = 0;
    j["end_line"] = 0;
    j["end_column"] = 0;
    return;
  }
  Position b = sm.begin(span);
  Position e = sm.end(span);
  j["file"] = sm.file(span.file).name;
  j["line"] = b.line;
  j["column"] = b.column;
  j["end_line"] = e.line;
  j["end_column"] = e.column;
}

ordered_json diagnostic_json(const SourceManager& sm, const Diagnostic& d) {
  ordered_json j;
  j["code"] = d.code;
  j["severity"] = std::string(severity_name(d.severity));
  j["message"] = d.message;
  put_span(j, sm, d.primary, d.path);
  j["help"] = d.help.empty() ? ordered_json(nullptr) : ordered_json(d.help);
  ordered_json related = ordered_json::array();
  for (const RelatedSpan& r : d.related) {
    ordered_json rj;
    put_span(rj, sm, r.span, "");
    rj["message"] = r.label;
    related.push_back(std::move(rj));
  }
  j["related"] = std::move(related);
  if (d.fix) {
    ordered_json fj;
    fj["description"] = d.fix->description;
    fj["safe"] = d.fix->safe;
    ordered_json edits = ordered_json::array();
    for (const TextEdit& e : d.fix->edits) {
      ordered_json ej;
      put_span(ej, sm, e.span, "");
      // Exclusive byte offsets make edits easy to apply mechanically.
      ej["offset"] = e.span.begin;
      ej["length"] = e.span.size();
      ej["replacement"] = e.replacement;
      edits.push_back(std::move(ej));
    }
    fj["edits"] = std::move(edits);
    j["fix"] = std::move(fj);
  } else {
    j["fix"] = nullptr;
  }
  ordered_json chain = ordered_json::array();
  if (d.primary.valid())
    for (const Span& inc : sm.include_chain(d.primary.file)) {
      ordered_json ij;
      put_span(ij, sm, inc, "");
      chain.push_back(std::move(ij));
    }
  j["included_from"] = std::move(chain);
  return j;
}

}  // namespace

void render_json(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                 const RenderOptions&) {
  ordered_json root;
  root["version"] = 1;
  ordered_json list = ordered_json::array();
  for (const Diagnostic& d : diags) list.push_back(diagnostic_json(sm, d));
  root["diagnostics"] = std::move(list);
  out << root.dump(2) << '\n';
}

namespace {
// GitHub's workflow commands need %, CR and LF escaped in the message, and
// additionally ',' and ':' in property values.
std::string gh_escape(std::string_view s, bool property) {
  std::string r;
  for (char c : s) {
    switch (c) {
      case '%': r += "%25"; break;
      case '\r': r += "%0D"; break;
      case '\n': r += "%0A"; break;
      case ':': r += property ? "%3A" : ":"; break;
      case ',': r += property ? "%2C" : ","; break;
      default: r += c;
    }
  }
  return r;
}
}  // namespace

void render_github(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                   const RenderOptions&) {
  for (const Diagnostic& d : diags) {
    std::string_view level = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "notice";
    std::vector<std::string> props;
    if (d.primary.valid()) {
      Position b = sm.begin(d.primary);
      Position e = sm.end(d.primary);
      props.push_back("file=" + gh_escape(sm.file(d.primary.file).name, true));
      props.push_back("line=" + std::to_string(b.line));
      props.push_back("col=" + std::to_string(b.column));
      props.push_back("endLine=" + std::to_string(e.line));
      if (e.line == b.line) props.push_back("endColumn=" + std::to_string(e.column));
    } else if (!d.path.empty()) {
      props.push_back("file=" + gh_escape(d.path, true));
    }
    props.push_back("title=" + gh_escape(d.code, true));
    out << "::" << level;
    for (std::size_t i = 0; i < props.size(); ++i) out << (i == 0 ? " " : ",") << props[i];
    out << "::" << gh_escape(d.message, false);
    if (!d.help.empty()) out << gh_escape("\nhelp: " + d.help, false);
    out << '\n';
  }
}

void render(DiagnosticFormat format, std::ostream& out, const SourceManager& sm,
            const std::vector<Diagnostic>& diags, const RenderOptions& opts) {
  switch (format) {
    case DiagnosticFormat::human: render_human(out, sm, diags, opts); return;
    case DiagnosticFormat::concise: render_concise(out, sm, diags, opts); return;
    case DiagnosticFormat::json: render_json(out, sm, diags, opts); return;
    case DiagnosticFormat::sarif: render_sarif(out, sm, diags, opts); return;
    case DiagnosticFormat::github: render_github(out, sm, diags, opts); return;
  }
}

}  // namespace nftc
