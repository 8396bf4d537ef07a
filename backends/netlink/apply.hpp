// Sending a batch to the kernel: one nf_tables transaction in the network
// namespace nftc runs in, every message acknowledged, every error reported
// where it came from in the source.
#pragma once

#include "backends/netlink/batch.hpp"

namespace nftc::netlink {

struct ApplyOptions {
  // As nft -c: send the batch without NFNL_MSG_BATCH_END. The kernel checks
  // every message, then aborts the transaction instead of committing it.
  // Errors only the commit finds (hardware offload) go unseen.
  bool check = false;
};

enum class ApplyStatus {
  committed,      // the kernel took the whole batch
  checked,        // --check: the kernel found nothing wrong, and committed nothing
  rejected,       // the kernel rejected the batch; nothing changed (see the diagnostics)
  no_permission,  // no CAP_NET_ADMIN in this network namespace
  failed,         // the socket failed, or answers were lost: the outcome is unknown
};

// Sends `batch` with NLM_F_ACK on every message and reads every answer.
// Kernel errors become APPLY diagnostics at the span of the message, or of
// the part of it, the kernel points at.
ApplyStatus apply_batch(const Batch& batch, const ApplyOptions& options, DiagnosticSink& sink);

// The kernel's answer to one message of a batch (an NLMSG_ERROR): 0 for
// success, else an errno, the offset of the attribute at fault in the
// message (extended ack, 0 if none) and the kernel's text, if any.
struct Answer {
  std::uint32_t seq = 0;
  int error = 0;
  std::uint32_t offset = 0;
  std::string message;
};

// Turns the answers to `batch` into diagnostics and an outcome: errors of
// messages (APPLY001), of the commit (an answer to the batch begin,
// APPLY002), a refused batch (EPERM for the batch begin, APPLY003), answers
// missing (APPLY004). `lost`: the receive buffer overflowed.
ApplyStatus report_answers(const Batch& batch, const std::vector<Answer>& answers, bool lost,
                           const ApplyOptions& options, DiagnosticSink& sink);

// What usually causes `err` (an errno) for a message of type `msg_type`
// (NFT_MSG_*): the help line of an APPLY001 diagnostic.
std::string kernel_error_help(int err, std::uint16_t msg_type);

}  // namespace nftc::netlink
