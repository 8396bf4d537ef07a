// Lowering: the evaluated ruleset IR to the bytecode IR, register by
// register as nft's netlink_linearize.c does it, and sets and their elements
// as nft's netlink.c and mnl.c build them. The result is what the kernel
// receives: the bytecode printer, the netlink backend and the offload model
// all read it.
#pragma once

// bytecode.hpp first: it orders the libc and kernel headers.
#include "compiler/bytecode.hpp"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diagnostics.hpp"
#include "compiler/sema/analyzer.hpp"

namespace nftc::lower {

// An expression the kernel cannot take as written: more register space than
// the VM has, a value wider than a register. Reported as a diagnostic.
struct LowerError : std::runtime_error {
  Span span;
  LowerError(Span s, const std::string& what) : std::runtime_error(what), span(s) {}
};

// State shared by the rules and sets of one batch: the transaction ids of
// sets, which expressions of the same batch use to name them.
class LowerContext {
 public:
  std::uint32_t set_id(const sema::Set* set);
  // The transaction id of an anonymous chain (jump { … }), which the kernel
  // names itself: rules and verdicts of the same batch refer to it by id.
  // Ids are given on first request; asking for every set and chain in
  // source order first numbers them as nft does (chains and named sets as it
  // parses them, anonymous sets as it evaluates them).
  std::uint32_t chain_id(const sema::Chain* chain);

 private:
  std::unordered_map<const sema::Set*, std::uint32_t> ids_;
  std::unordered_map<const sema::Chain*, std::uint32_t> chain_ids_;
  std::uint32_t next_ = 0, next_chain_ = 0;
};

// A rule's expressions. `anonymous_sets` are the sets evaluation declared for
// it, created in the same batch just before it.
bc::Rule lower_rule(LowerContext& ctx, const sema::Rule& rule, const sema::Chain& chain,
                    const std::vector<sema::Set*>& anonymous_sets);

// A set declaration, with the elements of an anonymous set.
bc::Set lower_set(LowerContext& ctx, const sema::Set& set);

// The elements of `init` (a set expression) as the kernel gets them for
// `set`: intervals split into start and end elements. `layout`, if given,
// gets the key and data field layout the elements were built with.
std::vector<bc::SetElement> lower_elements(const sema::Set& set, const sema::Expr* init, bool add,
                                           bc::Set* layout = nullptr);
// The same, one element at a time: `emit` gets each element as it is built,
// and `layout` has the field layouts once the first element has given them.
using ElementSink = std::function<void(bc::SetElement&&)>;
void lower_elements(const sema::Set& set, const sema::Expr* init, bool add, bc::Set* layout, const ElementSink& emit);

// One batch as `--emit bytecode` shows it: named sets with their elements,
// anonymous sets before their rule, rules.
struct Emitted {
  std::string text;
  std::vector<bc::Rule> rules;
  std::vector<bc::Set> sets;  // named sets, with the elements added to them
  // Which entry of `rules` each lowered rule became.
  std::unordered_map<const sema::Rule*, std::size_t> rule_index;
};
// What lower_analysis keeps: `nftc check` only wants the diagnostics, so it
// lowers everything but keeps neither the text nor the bytecode.
struct LowerOptions {
  bool text = true;      // Emitted::text
  bool bytecode = true;  // Emitted::rules, sets and rule_index
};
Emitted lower_analysis(const sema::Analysis& analysis, DiagnosticSink& sink, const LowerOptions& opts = {});

}  // namespace nftc::lower
