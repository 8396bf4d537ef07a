// A reader for the bytecode text of `nft --debug=netlink` (the nftables
// test suite's .payload files), back into the bytecode IR. Tests use it to
// prove the printer round-trips and to compare lowering output with nft's.
//
// The text leaves some attributes out. What the rule itself tells (host
// byte order, SCTP vs DCCP, set ids, shift lengths) is recovered by
// backends/bytecode/recover.hpp; the rest stays at its default: socket
// level, osf ttl and flags, synproxy flags, set key and data types, element
// timeouts, comments (the text shows only their userdata length and sum),
// and a log snaplen or qthreshold of 0, which reads as unset.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/bytecode.hpp"

namespace nftc::test {

struct PayloadError {
  std::size_t line = 0;  // 1-based, in the text given to the parser
  std::string message;
};

// One block of a .payload file: an optional "# rule" line, the anonymous
// sets' lines, "family table chain", and "  [ … ]" lines, up to a blank line.
struct PayloadBlock {
  std::string rule_text;           // after "# "; empty if the block has none
  std::size_t first_line = 0;      // 1-based line of the first line after the "#" line
  std::vector<std::string> lines;  // the block as written, without the "#" line
  std::optional<bc::Rule> rule;    // absent when the block did not parse
  std::optional<PayloadError> error;
};

// Splits a whole .payload file into blocks and parses each.
std::vector<PayloadBlock> parse_payload_file(std::string_view text);

// Parses one block given without its "#" line, e.g. a test's expectation.
// Error lines count from 1 at the first line of `text`.
struct PayloadResult {
  std::optional<bc::Rule> rule;
  std::optional<PayloadError> error;
};
PayloadResult parse_payload_block(std::string_view text);

}  // namespace nftc::test
