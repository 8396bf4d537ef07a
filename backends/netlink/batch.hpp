// The netlink backend: the analysed commands as the one nf_tables batch nft
// sends for them (NFNL_MSG_BATCH_BEGIN, one message per object, rule or
// element list, NFNL_MSG_BATCH_END), built with libnftnl as nft's mnl.c
// builds it. Every message remembers the source span it came from, and the
// spans of its parts (expressions, elements, hook, policy), so that a kernel
// error can be reported where it belongs.
#pragma once

// bytecode.hpp first: it orders the libc and kernel headers.
#include "compiler/bytecode.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/sema/analyzer.hpp"

namespace nftc::netlink {

// A part of a message (an attribute, with everything nested in it) and the
// source construct it came from. Offsets count from the message header, as
// the kernel's NLMSGERR_ATTR_OFFS does.
struct PartSpan {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  Span span;
};

struct Message {
  std::uint32_t seq = 0;
  std::uint32_t offset = 0;  // in Batch::bytes
  std::uint32_t length = 0;
  std::uint16_t type = 0;    // NFT_MSG_*, or NFNL_MSG_BATCH_BEGIN/END
  std::string what;          // what the message adds or removes: "rule", "set", "set elements", ...
  Span span;                 // the command or declaration it came from
  std::vector<PartSpan> parts;
  // What a failed commit most likely points at: the `flags offload` of a
  // chain or flowtable, which only the commit hands to the hardware.
  Span commit_hint;

  // The most specific span for an error at `offset` (0: none given).
  Span span_at(std::uint32_t offset) const;
};

struct Batch {
  std::vector<std::uint8_t> bytes;
  std::vector<Message> messages;  // in order, batch begin and end included

  const Message* find(std::uint32_t seq) const;
  // The messages between begin and end: what the kernel acknowledges.
  std::size_t command_count() const;
};

// Builds the batch for the analysed commands, exactly as nft sends it:
// requests without NLM_F_ACK, ending with NFNL_MSG_BATCH_END. What
// libnftnl 1.2.4 cannot express, or what needs the kernel's state, is
// reported to `sink` (NLK codes); the batch is then incomplete and must not
// be sent.
Batch build_batch(const sema::Analysis& analysis, DiagnosticSink& sink);

}  // namespace nftc::netlink
