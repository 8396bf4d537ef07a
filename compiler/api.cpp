#include "compiler/api.hpp"

#include <sstream>

#include "backends/json/json.hpp"
#include "backends/nft/print.hpp"
#include "compiler/listing/listing.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/json_input.hpp"
#include "compiler/parser.hpp"
#include "compiler/render.hpp"
#include "compiler/sema/analyzer.hpp"

namespace nftc {

namespace {

void list(const sema::Analysis& analysis, DiagnosticSink& sink, const TextCompileRequest& req, TextCompileResult& r) {
  std::unique_ptr<listing::Listing> l = listing::list_ruleset(analysis, sink);
  nft_text::PrintOptions po;
  po.stateless = req.listing_stateless;
  po.values.numeric_protocols = req.listing_numeric_protocols;
  r.listing = nft_text::ruleset_text(l->ruleset, po);
  if (req.listing_json) {
    json_text::PrintOptions jo;
    jo.stateless = req.listing_stateless;
    jo.values.numeric_protocols = req.listing_numeric_protocols;
    r.json = json_text::to_text(json_text::ruleset_json(*l, jo));
  }
  static const char* const families[] = {"", "inet", "ip", "arp", "", "netdev", "", "bridge", "", "", "ip6"};
  for (const sema::Table* t : l->ruleset.tables)
    for (const sema::Chain* c : t->chains)
      for (const sema::Rule* rule : c->rules)
        r.listed_rules.push_back({families[static_cast<unsigned>(t->family) % 11], t->name, c->name,
                                  nft_text::rule_text(*rule, po)});
}

}  // namespace

TextCompileResult compile_text(const TextCompileRequest& req) {
  TextCompileResult r;
  SourceManager sm;
  DiagnosticSink sink;
  FileId file = sm.add(req.name, req.text);
  ParseOptions po;
  po.include_dirs = req.include_dirs;
  for (const std::string& d : req.defines) {
    auto eq = d.find('=');
    po.defines.emplace_back(d.substr(0, eq), eq == std::string::npos ? std::string() : d.substr(eq + 1));
  }
  ast::Script script;
  if (looks_like_json(req.text)) parse_json_file(sm, sink, file, script);
  else parse_file(sm, sink, file, script, po);
  if (!req.json_text.empty() && !sink.has_errors()) {
    FileId json = sm.add(req.name + ".json", req.json_text);
    parse_json_file(sm, sink, json, script);
  }
  if (req.until != Stage::parse && !sink.has_errors()) {
    sema::Analyzer analyzer(sm, sink, sema::AnalyseOptions{});
    std::unique_ptr<sema::Analysis> analysis = analyzer.run(script);
    if (req.until == Stage::lower && !sink.has_errors()) r.bytecode = lower::lower_analysis(*analysis, sink, {true, false}).text;
    if (req.until == Stage::lower && req.listing && !sink.has_errors()) list(*analysis, sink, req, r);
  }
  add_json_pointers(sm, sink);
  std::ostringstream out;
  render_concise(out, sm, sink.all(), RenderOptions{});
  r.diagnostics = out.str();
  r.ok = !sink.has_errors();
  return r;
}

}  // namespace nftc
