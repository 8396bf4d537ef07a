// Checks the kernel makes when it receives a rule, an object or a set, that
// nft leaves to it (and so reports only as a bare errno, sometimes only at
// commit): which expressions a family has, the hooks an expression or
// statement may run in, the attribute combinations an expression accepts.
// Each check names the kernel function it stands for; findings are KRN
// errors at the span of the offending expression.
#pragma once

#include "compiler/sema/context.hpp"

namespace nftc::sema {

// A rule as the kernel validates it when it is added to `chain`. Hook
// restrictions apply to base chains; a regular chain inherits the hooks of
// the base chains that jump to it, which check_chain_hooks verifies once the
// whole batch is known.
bool kernel_check_rule(EvalCtx& ctx, const Chain& chain, const Rule& rule);

// A stateful object as the kernel's object init validates it.
bool kernel_check_object(EvalCtx& ctx, const Table& table, const Object& obj);

}  // namespace nftc::sema
