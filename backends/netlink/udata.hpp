// The userdata nft attaches to sets (udata.cpp explains what it holds).
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/sema/ir.hpp"

namespace nftc::netlink {

// NFTA_SET_USERDATA for `set`, in libnftnl's type-length-value layout.
std::vector<std::uint8_t> set_userdata(const sema::Set& set);

}  // namespace nftc::netlink
