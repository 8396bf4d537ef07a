// Names of kernel numbers in the words nft uses, for offload messages.
#pragma once

#include <cstdint>
#include <string_view>

namespace nftc::offload {

// NFPROTO_* as nft spells the family: "ip", "ip6", "inet", "netdev", ...
constexpr std::string_view family_name(std::uint32_t family) {
  switch (family) {
    case 1: return "inet";
    case 2: return "ip";
    case 3: return "arp";
    case 5: return "netdev";
    case 7: return "bridge";
    case 10: return "ip6";
    default: return "unknown";
  }
}

}  // namespace nftc::offload
