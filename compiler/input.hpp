// Reading input files and standard input, with the checks every entry
// point needs: a clear I/O diagnostic instead of a crash or a silent empty
// ruleset.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diagnostics.hpp"
#include "compiler/source.hpp"

namespace nftc {

struct ReadRequest {
  std::string path;            // "-" reads standard input
  Span included_from;          // the include directive, for included files
  bool allow_empty = false;    // included files may be empty, top-level input may not
};

// Reads one input into `sm`. On failure reports an IO diagnostic and returns
// nothing.
std::optional<FileId> read_input(SourceManager& sm, DiagnosticSink& sink, const ReadRequest& req);

}  // namespace nftc
