#include "compiler/api.hpp"

#include <sstream>

#include "compiler/lower/lower.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/parser.hpp"
#include "compiler/render.hpp"
#include "compiler/sema/analyzer.hpp"

namespace nftc {

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
  parse_file(sm, sink, file, script, po);
  if (req.until != Stage::parse && !sink.has_errors()) {
    sema::Analyzer analyzer(sm, sink, sema::AnalyseOptions{});
    std::unique_ptr<sema::Analysis> analysis = analyzer.run(script);
    if (req.until == Stage::lower && !sink.has_errors()) r.bytecode = lower::lower_analysis(*analysis, sink).text;
  }
  std::ostringstream out;
  render_concise(out, sm, sink.all(), RenderOptions{});
  r.diagnostics = out.str();
  r.ok = !sink.has_errors();
  return r;
}

}  // namespace nftc
