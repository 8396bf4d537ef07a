// The offload report: for every chain and rule of a batch, where its packets
// are handled (the NIC, the flowtable fast path, the software slow path) and
// why, from the same checks the OFF lints apply. Human text and JSON.
#pragma once

#include <string>

#include "compiler/lower/lower.hpp"
#include "compiler/source.hpp"

namespace nftc::offload {

struct ReportOptions {
  unsigned kernel = 0;        // major * 1000 + minor
  bool hw_target = false;     // --target hw-offload: flowtables get flags offload
};

std::string report_text(const SourceManager& sm, const sema::Analysis& analysis, const lower::Emitted& bytecode,
                        const ReportOptions& options);
std::string report_json(const SourceManager& sm, const sema::Analysis& analysis, const lower::Emitted& bytecode,
                        const ReportOptions& options);

}  // namespace nftc::offload
