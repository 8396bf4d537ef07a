// SARIF 2.1.0: one run, the tool's rules as reportingDescriptors, one result
// per diagnostic. Columns are 1-based; SARIF's endColumn is exclusive.
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "compiler/render.hpp"
#include "nftc/version.hpp"

namespace nftc {
namespace {

using nlohmann::ordered_json;

ordered_json sarif_region(const SourceManager& sm, const Span& span) {
  Position b = sm.begin(span);
  Position e = sm.end(span);
  ordered_json r;
  r["startLine"] = b.line;
  r["startColumn"] = b.column;
  r["endLine"] = e.line;
  r["endColumn"] = span.end > span.begin ? e.column + 1 : b.column + 1;
  return r;
}

ordered_json sarif_location(const SourceManager& sm, const Span& span, std::string_view path) {
  ordered_json loc;
  ordered_json phys;
  ordered_json art;
  art["uri"] = span.valid() ? sm.file(span.file).name : std::string(path);
  phys["artifactLocation"] = art;
  if (span.valid()) phys["region"] = sarif_region(sm, span);
  loc["physicalLocation"] = phys;
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

}  // namespace

void render_sarif(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  const RenderOptions& opts) {
  // Rules: every code that appears, in first-seen order.
  std::map<std::string, std::size_t> rule_index;
  ordered_json rules = ordered_json::array();
  for (const Diagnostic& d : diags) {
    if (rule_index.count(d.code)) continue;
    rule_index[d.code] = rules.size();
    ordered_json rule;
    rule["id"] = d.code;
    const DiagnosticCode* info = opts.describe ? opts.describe(d.code) : find_builtin_code(d.code);
    if (info != nullptr) {
      rule["name"] = std::string(info->slug);
      rule["shortDescription"] = {{"text", std::string(info->summary)}};
    }
    rules.push_back(std::move(rule));
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
    if (d.fix && !d.fix->edits.empty()) {
      // SARIF groups replacements by artifact.
      std::map<FileId, ordered_json> by_file;
      for (const TextEdit& e : d.fix->edits) {
        ordered_json rep;
        rep["deletedRegion"] = sarif_region(sm, e.span);
        rep["insertedContent"] = {{"text", e.replacement}};
        by_file[e.span.file].push_back(std::move(rep));
      }
      ordered_json changes = ordered_json::array();
      for (auto& [file, reps] : by_file) {
        ordered_json ch;
        ch["artifactLocation"] = {{"uri", sm.file(file).name}};
        ch["replacements"] = std::move(reps);
        changes.push_back(std::move(ch));
      }
      ordered_json fix;
      fix["description"] = {{"text", d.fix->description}};
      fix["artifactChanges"] = std::move(changes);
      r["fixes"] = ordered_json::array({std::move(fix)});
    }
    results.push_back(std::move(r));
  }

  ordered_json driver;
  driver["name"] = "nftc";
  driver["version"] = kVersion;
  driver["rules"] = std::move(rules);
  ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "utf16CodeUnits";
  run["results"] = std::move(results);
  ordered_json root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered_json::array({std::move(run)});
  out << root.dump(2) << '\n';
}

}  // namespace nftc
