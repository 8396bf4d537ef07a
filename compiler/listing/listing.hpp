// The listing: the ruleset as `nft list ruleset` sees it, built without a
// kernel. nft lists what it reads back from the kernel: tables, chains,
// sets, flowtables and objects as the kernel stores them, rules and set
// elements as bytecode that it delinearizes back to expressions
// (netlink_delinearize.c, segtree.c). nftc does the same over its own IRs:
// declarations come from the ruleset IR, rules and elements from the
// bytecode IR that lowering produced, delinearized and post-processed step
// by step as nft does. The result is ruleset IR again (sema::Table, Chain,
// Set, Rule, Stmt, Expr), so every printer of that IR prints a listing,
// and a listing can be compared with what the user wrote.
#pragma once

// bytecode.hpp first: it orders the libc and kernel headers.
#include "compiler/bytecode.hpp"

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/datatype.hpp"

namespace nftc::listing {

// A listing owns its IR nodes and run-time datatypes. Objects and
// flowtables are shared with the analysis it was built from, which must
// outlive it.
struct Listing {
  sema::Ruleset ruleset;  // tables in kernel order, each with its lists in kernel order
  sema::TypeStore types;
  // The handles the kernel gives tables, chains, sets, objects, flowtables
  // and rules (what `nft -a` and JSON show), by node.
  std::unordered_map<const void*, std::uint64_t> handles;

  std::uint64_t handle_of(const void* node) const {
    auto it = handles.find(node);
    return it == handles.end() ? 0 : it->second;
  }
};

// Applies the analysed commands as the kernel would (in order: additions,
// deletions, flushes, renames) and lists the result. Lowering errors are
// reported to `sink`; what cannot be lowered is left out.
std::unique_ptr<Listing> list_ruleset(const sema::Analysis& analysis, DiagnosticSink& sink);

// The steps, for tests and tools that start from bytecode.

// A rule's statements from its bytecode (netlink_delinearize_rule): the
// register data flow turned back into expressions, then nft's
// rule_parse_postprocess. `sets` resolves lookups; `chains` resolves
// binding chains (jump { … }).
struct RuleContext {
  sema::Family family = sema::Family::ip;
  // The set a lookup, dynset or objref names (by name, or by the transaction
  // id an anonymous set has); nullptr when unknown.
  std::function<sema::Set*(const std::string& name, std::uint32_t id)> find_set;
  // The binding chain a jump or goto names; nullptr when it is a plain chain.
  std::function<sema::Chain*(const std::string& name)> find_binding_chain;
};
sema::Rule* delinearize_rule(Listing& l, const RuleContext& ctx, const bc::Rule& rule, DiagnosticSink& sink);

// A set as nft reads it back (netlink_delinearize_set): key and data types
// from the kernel's type ids and nft's userdata (typeof expressions, byte
// orders), then its elements (netlink_delinearize_setelem), sorted or
// decomposed back into intervals (segtree.c).
sema::Set* delinearize_set(Listing& l, const sema::Set& decl, const bc::Set& set, DiagnosticSink& sink);

}  // namespace nftc::listing
