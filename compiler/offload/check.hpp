// The offload verdict on a rule's bytecode, computed as the kernel's
// nft_flow_rule_create computes it: walk the expressions in order, keep the
// dependency context (which L3 and L4 protocols the rule has matched so far),
// and refuse what capabilities.hpp says the kernel refuses. Findings carry
// the span of the bytecode expression they are about, so they point at the
// exact sub-expression of the source.
#pragma once

#include "compiler/offload/capabilities.hpp"

#include <string>
#include <vector>

namespace nftc::offload {

enum class Reason : std::uint8_t {
  no_action,         // no accept/drop/fwd/dup: nft_flow_rule_create counts no action
  unsupported,       // the expression kind has no .offload callback
  named_counter,     // `counter name …`: an objref
  cmp_operator,      // a comparison other than ==
  field,             // a header field the kernel has no flower key for
  field_too_long,    // a load longer than the field (nft merged adjacent matches)
  needs_l3,          // a network-header field before the L3 protocol is known
  needs_l4,          // a transport-header field before the L4 protocol is known
  meta_key,          // a meta key other than protocol, l4proto, iif, iiftype
  iiftype_value,     // meta iiftype compared with something other than ether
  bitwise,           // a mask the kernel cannot express (shifts, xor, other length)
  verdict,           // a verdict other than accept and drop
  fwd_dup_target,    // fwd/dup to an address, or a device not given as a constant
  unloaded_register, // a comparison of a register no offloadable expression loaded
  too_new,           // offloaded only by a later kernel than the one targeted
};

struct Problem {
  std::size_t expr = 0;  // index into bc::Rule::exprs (the rule's span for no_action)
  Span span;
  Reason reason = Reason::unsupported;
  std::string message;   // the problem, in the user's terms
  unsigned since = 0;    // too_new: the first kernel that offloads it
};

// A field the rule matches in hardware.
struct Key {
  std::string name;      // "ip saddr", "meta l4proto"
  std::size_t expr = 0;  // the comparison that sets it
  Span span;
};

struct RuleVerdict {
  // Problems in expression order: the first is the one the kernel stops at.
  // Problems that follow from an earlier one (the comparison after a refused
  // load) are not repeated.
  std::vector<Problem> problems;
  std::vector<Key> keys;  // in match order; a field may appear twice
  unsigned actions = 0;
  bool offloadable() const { return problems.empty(); }
};

// The verdict for `rule` in a chain with flags offload, on `kernel`.
RuleVerdict check_rule(const bc::Rule& rule, unsigned kernel);

}  // namespace nftc::offload

namespace nftc::sema {
struct Chain;
struct Ruleset;
}  // namespace nftc::sema

namespace nftc::offload {

// The chain-level checks on a chain with flags offload.
enum class ChainIssue : std::uint8_t {
  not_netdev,   // another family: refused, or accepted and never offloaded
  not_base,     // a regular chain: EOPNOTSUPP
  hook,         // a netdev hook other than ingress
  priority,     // outside 1..65535: EOPNOTSUPP
  policy_drop,  // EOPNOTSUPP at commit
  no_device,    // EINVAL
};

struct ChainProblem {
  ChainIssue issue;
  Span span;
  std::string message;
  bool refused = true;        // the kernel refuses the batch (false: accepted, silently useless)
  bool commit_only = false;   // refused only at commit: `nft -c` passes it
};

bool is_offload_chain(const sema::Chain& chain);
std::vector<ChainProblem> check_chain(const sema::Chain& chain, unsigned kernel);

// --target hw-offload: every flowtable gets flags offload, as OpenWrt's
// flow_offloading_hw does. Returns how many flowtables changed.
std::size_t set_flowtables_offload(sema::Ruleset& ruleset);

}  // namespace nftc::offload
