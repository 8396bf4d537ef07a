// Owning handles for libnftnl objects, so that every early return frees them.
#pragma once

// bytecode.hpp first: it orders the libc and kernel headers.
#include "compiler/bytecode.hpp"

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include <memory>
#include <new>

namespace nftc::netlink {

template <class T, auto Free>
struct NftnlDeleter {
  void operator()(T* p) const { Free(p); }
};
template <class T, auto Free>
using NftnlPtr = std::unique_ptr<T, NftnlDeleter<T, Free>>;

using TablePtr = NftnlPtr<nftnl_table, nftnl_table_free>;
using ChainPtr = NftnlPtr<nftnl_chain, nftnl_chain_free>;
using RulePtr = NftnlPtr<nftnl_rule, nftnl_rule_free>;
using SetPtr = NftnlPtr<nftnl_set, nftnl_set_free>;
using ElemPtr = NftnlPtr<nftnl_set_elem, nftnl_set_elem_free>;
using ObjPtr = NftnlPtr<nftnl_obj, nftnl_obj_free>;
using FlowtablePtr = NftnlPtr<nftnl_flowtable, nftnl_flowtable_free>;
using ExprPtr = NftnlPtr<nftnl_expr, nftnl_expr_free>;
using UdataPtr = NftnlPtr<nftnl_udata_buf, nftnl_udata_buf_free>;

// libnftnl returns null only when memory runs out.
template <class P>
P checked(P p) {
  if (!p) throw std::bad_alloc();
  return p;
}

// nft's NFT_USERDATA_MAXLEN: the kernel keeps at most this much userdata.
inline constexpr std::uint32_t kUserdataMax = 256;

}  // namespace nftc::netlink
