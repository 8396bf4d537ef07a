// Renderers: one small function per output format, all fed the same
// diagnostics. Renderers never decide what is wrong, only how it looks.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nftc {

enum class DiagnosticFormat { human, concise, json, sarif, github };
std::optional<DiagnosticFormat> parse_diagnostic_format(std::string_view name);

struct RenderOptions {
  bool color = false;
  // Describes a code for formats that carry rule metadata (SARIF); the
  // driver passes a lookup over the built-in codes and the lint rules.
  std::function<const DiagnosticCode*(std::string_view)> describe;
  // More about a code for SARIF's rule descriptors: a longer description,
  // where its documentation is, and its default level ("" when it has none).
  struct CodeHelp {
    std::string full_description;
    std::string help_uri;
    std::string default_level;
  };
  std::function<CodeHelp(std::string_view)> help;
  // The directory relative file names are relative to (SARIF's %SRCROOT%);
  // the current directory when empty.
  std::string base_dir;
};

// Decides colour for a stream: "always", "never" or "auto" (a terminal and
// NO_COLOR unset).
bool want_color(std::string_view mode, int fd);

void render_human(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  const RenderOptions& opts);
void render_concise(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                    const RenderOptions& opts);
void render_json(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                 const RenderOptions& opts);
void render_sarif(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  const RenderOptions& opts);
void render_github(std::ostream& out, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                   const RenderOptions& opts);

void render(DiagnosticFormat format, std::ostream& out, const SourceManager& sm,
            const std::vector<Diagnostic>& diags, const RenderOptions& opts);

// "file:line:col" of a span, or the diagnostic's path when it has no span.
std::string location_string(const SourceManager& sm, const Span& span, std::string_view fallback = {});

}  // namespace nftc
