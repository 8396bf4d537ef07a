// Checks the kernel makes when it receives a rule, an object or a set, that
// nft leaves to it (and so reports only as a bare errno, sometimes only at
// commit): which expressions a family has, the hooks an expression or
// statement may run in, the attribute combinations an expression accepts,
// the depth of jumps. The checks are rows of kernel_table.cpp; the engine
// that applies them is kernel_checks.cpp (rules, objects) and
// kernel_batch.cpp (what base chains reach, sets). Findings are KRN errors at the span of the
// offending expression, naming the errno the kernel would answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/context.hpp"

namespace nftc::sema {

// A rule as the kernel's expression inits take it when it is added to
// `chain` (every chain), and, for a base chain, as the validate callbacks
// check its hook, type and family. A regular chain inherits the hooks of the
// base chains that reach it, which kernel_check_batch verifies once the
// whole batch is known.
bool kernel_check_rule(EvalCtx& ctx, const Chain& chain, const Rule& rule);

// A stateful object as the kernel's object init validates it.
bool kernel_check_object(EvalCtx& ctx, const Table& table, const Object& obj);

// The batch as nft_table_validate walks it at commit: from every base chain
// through jumps, gotos and verdict maps (declared and added elements), the
// hooks of the regular chains reached, the jump depth and loops.
bool kernel_check_batch(EvalCtx& ctx, const std::vector<Table*>& tables, const std::vector<Action>& actions);

// One thing the kernel refuses, before it is reported.
struct KernelFinding {
  std::string code;  // KRN…
  Span span;
  std::string message;
  std::string help;
};

// The first expression of `rule` the kernel's inits refuse in a `family` table.
std::optional<KernelFinding> kernel_rule_init_finding(Family family, const Rule& rule);
// The first expression of `rule` that cannot run from base chain `base`.
std::optional<KernelFinding> kernel_rule_hook_finding(Family family, const Chain& base, const Rule& rule);

}  // namespace nftc::sema
