// What the debug text does not show, recovered from the rule itself.
//
// `nft --debug=netlink` text is lossy: a host-order integer prints like a
// network-order one, SCTP and DCCP extension headers print alike, set ids
// and some lengths are not printed. nft knew them from the datatypes of
// what a rule matches; the rule's register data flow still tells:
// - A value takes the byte order of what loaded the register it is
//   compared with (meta mark: host; payload: network); an immediate or map
//   data that of what consumes it (meta set mark: host; nat: network).
//   Set key fields are looked up in the register slots they come from.
// - SCTP vs DCCP: DCCP after a "meta l4proto 33" match, SCTP otherwise.
// - Set ids: anonymous sets are numbered 1, 2, ... in order, and each
//   reference to a name takes the next set of that name.
// - Shift and boolean bitwise lengths: the length of what loaded the
//   register (4 when unknown).
#pragma once

#include "compiler/bytecode.hpp"

namespace nftc::bytecode_text {

// Expects `rule` as read from the text: every value and element field big
// endian, every exthdr without an operation word SCTP, no set ids. Marks and
// reorders host-order values and fields, and fills in the rest.
void recover_unprinted(bc::Rule& rule);

}  // namespace nftc::bytecode_text
