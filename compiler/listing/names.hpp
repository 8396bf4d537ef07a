// The words nft's listings use for kernel numbers, shared by the text and
// JSON printers (rule.c's family2str, hooknum2str and obj_type_name,
// statement.c's get_unit and get_rate).
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/sema/ir.hpp"

namespace nftc::listing {

std::string_view family_name(sema::Family family);      // "ip", "inet", …; "unknown"
std::string_view family_name(unsigned nfproto);          // the same from an NFPROTO_* number
std::string_view hook_name(sema::Family family, std::uint32_t hook);  // "input", "ingress", …
std::string_view object_type_name(std::uint32_t type);  // NFT_OBJECT_*: "counter", "ct helper", …
std::string_view time_unit(std::uint64_t seconds);       // "second", "minute", …; "error"
// Bytes in the largest unit that divides them: 2097152 → 2, "mbytes".
std::string_view data_rate(std::uint64_t bytes, std::uint64_t& rate);
// An operator as nft prints it ("==", "&", "hton", …); "" for an implicit one.
std::string_view op_text(sema::Op op);

}  // namespace nftc::listing
