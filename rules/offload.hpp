// The hardware-offload lints (OFF…): their rule objects and what they share.
// The capability model they apply is compiler/offload/ (data from the kernel
// sources; ../shared/offload-kernel.md has the evidence).
#pragma once

#include <string>
#include <vector>

#include "compiler/offload/check.hpp"
#include "compiler/offload/names.hpp"
#include "rules/lint.hpp"

namespace nftc::lint {

extern const LintRule kOffloadUnsupported;        // OFF001
extern const LintRule kOffloadFieldBeforeProto;   // OFF002
extern const LintRule kOffloadNoAction;           // OFF003
extern const LintRule kOffloadNamedCounter;       // OFF004
extern const LintRule kOffloadDuplicateField;     // OFF005
extern const LintRule kOffloadMergedByNft;        // OFF006
extern const LintRule kOffloadRuleInserted;       // OFF007
extern const LintRule kOffloadChainFamily;        // OFF010
extern const LintRule kOffloadChainHook;          // OFF011
extern const LintRule kOffloadChainPriority;      // OFF012
extern const LintRule kOffloadChainPolicy;        // OFF013
extern const LintRule kOffloadChainDevice;        // OFF014
extern const LintRule kFlowAddPlace;              // OFF020
extern const LintRule kFlowAddAfterEstablished;   // OFF022
extern const LintRule kFlowtableFamily;           // OFF023
extern const LintRule kFlowtableSharedDevice;     // OFF025
extern const LintRule kFlowtableVirtualDevice;    // OFF026
extern const LintRule kFlowNeverOffloaded;        // OFF027
extern const LintRule kFlowBypassed;              // OFF028

namespace offload_lint {

// The kernel the checks assume: --kernel, else the running one.
unsigned kernel(const LintContext& ctx);

// Findings the kernel refuses are errors when compiling for hw-offload and
// warnings for the software target (the ruleset may never meet a NIC).
Severity refused(const LintContext& ctx);
// Findings about offload that silently does not happen: errors for
// hw-offload (what was asked for will not happen), warnings otherwise.
Severity useless(const LintContext& ctx);

// Every chain with flags offload, in batch order.
std::vector<const sema::Chain*> offload_chains(const LintContext& ctx);

// The offload verdict of each rule of an offload chain (rules that could not
// be lowered are left out).
struct RuleCheck {
  const sema::Rule* rule = nullptr;
  const bc::Rule* bytecode = nullptr;
  offload::RuleVerdict verdict;
};
std::vector<RuleCheck> check_rules(const LintContext& ctx, const sema::Chain& chain);

// The span of `word` inside `within` (the first occurrence, as a whole word
// or quoted), or `within` when it is not there: to point at one device of a
// device list.
Span find_word(const LintContext& ctx, Span within, std::string_view word);

// The span of one device in a flowtable's device list (the flowtable's name
// when it cannot be found, for instance behind a variable).
Span device_span(const LintContext& ctx, const sema::Flowtable& f, std::string_view device);

// Chains of `table` that `flow add` may run in: forward base chains and the
// regular chains only they reach (through jump, goto and verdict maps).
// `others` gets the chains some non-forward base chain reaches.
struct Reach {
  std::vector<const sema::Chain*> forward, others;
};
Reach forward_reach(const sema::Table& table);

bool is_flow_add(const sema::Stmt* s);

}  // namespace offload_lint
}  // namespace nftc::lint
