// Chain-level offload checks (nft_chain_offload_support,
// nft_chain_offload_priority, nft_flow_offload_chain) and the hw-offload
// target's flowtable transformation.
#include <fmt/format.h>

#include "compiler/offload/check.hpp"
#include "compiler/offload/names.hpp"
#include "compiler/sema/ir.hpp"

namespace nftc::offload {

bool is_offload_chain(const sema::Chain& chain) { return chain.flags & NFT_CHAIN_HW_OFFLOAD; }

std::vector<ChainProblem> check_chain(const sema::Chain& c, unsigned kernel) {
  std::vector<ChainProblem> out;
  if (!is_offload_chain(c)) return out;
  Span flag = c.offload_span.valid() ? c.offload_span : c.name_span;
  auto add = [&](ChainIssue issue, Span span, std::string message, bool refused = true, bool commit = false) {
    out.push_back(ChainProblem{issue, span.valid() ? span : flag, std::move(message), refused, commit});
  };

  if (!c.base) {
    add(ChainIssue::not_base, flag,
        "flags offload on a regular chain: the kernel offloads base chains only and refuses this one");
    return out;
  }
  const std::uint32_t family = static_cast<std::uint32_t>(c.family);
  bool prio_ok = c.priority >= kChain.min_priority && c.priority <= kChain.max_priority;
  if (family != kChain.family) {
    if (c.family == sema::Family::inet && c.hooknum == NF_INET_INGRESS)
      add(ChainIssue::not_netdev, flag,
          "flags offload on an inet ingress chain: the kernel offloads netdev ingress chains only and refuses this "
          "one");
    else if (prio_ok && kernel >= kChain.family_check_since)
      add(ChainIssue::not_netdev, flag,
          fmt::format("flags offload on a chain of the {} family: the kernel accepts it but offloads only netdev "
                      "chains, so nothing here runs in hardware",
                      family_name(family)),
          false);
    else if (prio_ok)
      add(ChainIssue::not_netdev, flag,
          fmt::format("flags offload on a chain of the {} family: the kernel offloads netdev chains only",
                      family_name(family)),
          false);
    // A priority outside the range is refused in every family.
  } else if (c.hooknum != kChain.hook) {
    add(ChainIssue::hook, c.hook_span,
        fmt::format("flags offload on the netdev {} hook: the kernel offloads ingress chains only and refuses this "
                    "one as soon as its device exists",
                    c.hook_name));
  }
  if (!prio_ok && kernel >= kChain.priority_check_since)
    add(ChainIssue::priority, c.priority_span,
        fmt::format("priority {} in a chain with flags offload: the kernel passes it to the hardware as the tc "
                    "priority, which must be between {} and {}, and refuses the chain",
                    c.priority, kChain.min_priority, kChain.max_priority));
  if (family == kChain.family && c.policy && *c.policy != kChain.policy)
    add(ChainIssue::policy_drop, c.policy_span,
        "policy drop in a chain with flags offload: the kernel refuses it when the batch is committed (`nft -c` "
        "does not notice)",
        true, true);
  if (family == kChain.family && c.devices.size() < kChain.min_devices)
    add(ChainIssue::no_device, c.hook_span,
        "a netdev chain with flags offload and no device: the kernel needs the device to bind the hardware to");
  return out;
}

std::size_t set_flowtables_offload(sema::Ruleset& ruleset) {
  std::size_t n = 0;
  for (sema::Table* t : ruleset.tables)
    for (sema::Flowtable* f : t->flowtables)
      if (!(f->flags & NFT_FLOWTABLE_HW_OFFLOAD)) {
        f->flags |= NFT_FLOWTABLE_HW_OFFLOAD;
        ++n;
      }
  return n;
}

}  // namespace nftc::offload
