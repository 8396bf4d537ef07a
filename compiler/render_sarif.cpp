// SARIF 2.1.0: one run, the codes that occur as reportingDescriptors, one
// result per diagnostic. Columns are counted in UTF-16 code units, as the
// run's columnKind says (nftc counts bytes elsewhere); SARIF's endColumn is
// exclusive. Absolute file names become file:// URIs; relative ones stay
// relative to %SRCROOT%, which originalUriBaseIds maps to the directory
// nftc ran in, so GitHub code scanning resolves them against the checkout.
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "compiler/render.hpp"
#include "nftc/version.hpp"

namespace nftc {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kSrcRoot = "%SRCROOT%";

// UTF-16 code units in a run of UTF-8 text (a byte that is not valid UTF-8
// counts as one unit, as a replacement character would).
std::uint32_t utf16_units(std::string_view s) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += c >= 0xF0 ? 2 : 1;            // four-byte sequences are surrogate pairs
  }
  return n;
}

// The 1-based UTF-16 column of a byte offset.
std::uint32_t sarif_column(const SourceManager& sm, FileId file, std::uint32_t offset) {
  Position p = sm.position(file, offset);
  std::string_view text = sm.file(file).text;
  std::uint32_t line_start = offset - (p.column - 1);
  return 1 + utf16_units(text.substr(line_start, offset - line_start));
}

// A region; a result's empty span still shows one character, a fix's
// empty deletion (an insertion point) stays empty.
ordered_json sarif_region(const SourceManager& sm, const Span& span, bool keep_empty = false) {
  Position b = sm.begin(span);
  std::uint32_t end = span.end;
  std::string_view text = sm.file(span.file).text;
  if (end == span.begin && !keep_empty && end < text.size() && text[end] != '\n') ++end;
  Position e = sm.position(span.file, end);
  ordered_json r;
  r["startLine"] = b.line;
  r["startColumn"] = sarif_column(sm, span.file, span.begin);
  r["endLine"] = e.line;
  r["endColumn"] = sarif_column(sm, span.file, end);
  return r;
}

// RFC 3986: keep unreserved characters and '/', percent-encode the rest.
std::string uri_path(std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

ordered_json artifact_location(std::string_view name) {
  ordered_json art;
  if (!name.empty() && name.front() == '/') {
    art["uri"] = "file://" + uri_path(name);
  } else {
    std::string rel(name);
    if (rel.rfind("./", 0) == 0) rel.erase(0, 2);
    art["uri"] = uri_path(rel);
    art["uriBaseId"] = std::string(kSrcRoot);
  }
  return art;
}

ordered_json sarif_location(const SourceManager& sm, const Span& span, std::string_view path) {
  ordered_json phys;
  phys["artifactLocation"] = artifact_location(span.valid() ? std::string_view(sm.file(span.file).name) : path);
  // A diagnostic about a whole file (unreadable, empty, binary) points at
  // its start: consumers such as GitHub code scanning want a line.
  if (span.valid()) phys["region"] = sarif_region(sm, span);
  else phys["region"] = {{"startLine", 1}, {"startColumn", 1}, {"endLine", 1}, {"endColumn", 1}};
  ordered_json loc;
  loc["physicalLocation"] = std::move(phys);
  return loc;
}

std::string_view sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "error";
}

std::string base_uri(const RenderOptions& opts) {
  std::string dir = opts.base_dir;
  if (dir.empty()) {
    std::error_code ec;
    dir = std::filesystem::current_path(ec).string();
    if (ec) dir = "/";
  }
  if (dir.back() != '/') dir += '/';
  return "file://" + uri_path(dir);
}

ordered_json rule_descriptor(const std::string& code, const RenderOptions& opts) {
  ordered_json rule;
  rule["id"] = code;
  const DiagnosticCode* info = opts.describe ? opts.describe(code) : find_builtin_code(code);
  if (info != nullptr) {
    rule["name"] = std::string(info->slug);
    rule["shortDescription"] = {{"text", std::string(info->summary)}};
  }
  if (opts.help) {
    RenderOptions::CodeHelp h = opts.help(code);
    if (!h.full_description.empty()) rule["fullDescription"] = {{"text", h.full_description}};
    if (!h.help_uri.empty()) rule["helpUri"] = h.help_uri;
    if (!h.default_level.empty()) rule["defaultConfiguration"] = {{"level", h.default_level}};
  }
  return rule;
}

ordered_json sarif_fix(const SourceManager& sm, const Fix& fix) {
  // SARIF groups replacements by artifact.
  std::map<FileId, ordered_json> by_file;
  for (const TextEdit& e : fix.edits) {
    ordered_json rep;
    rep["deletedRegion"] = sarif_region(sm, e.span, true);
    rep["insertedContent"] = {{"text", e.replacement}};
    by_file[e.span.file].push_back(std::move(rep));
  }
  ordered_json changes = ordered_json::array();
  for (auto& [file, reps] : by_file) {
    ordered_json ch;
    ch["artifactLocation"] = artifact_location(sm.file(file).name);
    ch["replacements"] = std::move(reps);
    changes.push_back(std::move(ch));
  }
  ordered_json out;
  out["description"] = {{"text", fix.description + (fix.safe ? " (safe)" : " (unsafe: may change meaning)")}};
  out["artifactChanges"] = std::move(changes);
  return out;
}

}  // namespace

void render_sarif(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  const RenderOptions& opts) {
  // Rules: every code that appears, in first-seen order.
  std::map<std::string, std::size_t> rule_index;
  ordered_json rules = ordered_json::array();
  for (const Diagnostic& d : diags) {
    if (rule_index.count(d.code)) continue;
    rule_index[d.code] = rules.size();
    rules.push_back(rule_descriptor(d.code, opts));
  }

  ordered_json results = ordered_json::array();
  for (const Diagnostic& d : diags) {
    ordered_json r;
    r["ruleId"] = d.code;
    r["ruleIndex"] = rule_index[d.code];
    r["level"] = std::string(sarif_level(d.severity));
    std::string text = d.message;
    if (!d.help.empty()) text += "\nhelp: " + d.help;
    r["message"] = {{"text", text}};
    r["locations"] = ordered_json::array({sarif_location(sm, d.primary, d.path)});
    if (!d.related.empty()) {
      ordered_json rel = ordered_json::array();
      int id = 0;
      for (const RelatedSpan& s : d.related) {
        if (!s.span.valid()) continue;
        ordered_json l = sarif_location(sm, s.span, "");
        l["id"] = id++;
        if (!s.label.empty()) l["message"] = {{"text", s.label}};
        rel.push_back(std::move(l));
      }
      if (!rel.empty()) r["relatedLocations"] = std::move(rel);
    }
    if (d.fix && !d.fix->edits.empty()) r["fixes"] = ordered_json::array({sarif_fix(sm, *d.fix)});
    results.push_back(std::move(r));
  }

  ordered_json driver;
  driver["name"] = "nftc";
  driver["version"] = kVersion;
  driver["semanticVersion"] = kVersion;
  if (*kHomepage != '\0') driver["informationUri"] = kHomepage;
  driver["rules"] = std::move(rules);
  ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["originalUriBaseIds"] = {{std::string(kSrcRoot), {{"uri", base_uri(opts)}}}};
  run["columnKind"] = "utf16CodeUnits";
  run["results"] = std::move(results);
  ordered_json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered_json::array({std::move(run)});
  out << root.dump(2) << '\n';
}

}  // namespace nftc
