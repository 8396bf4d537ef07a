// Interval helpers shared by analysis and lowering (nft's intervals.c).
#pragma once

#include <vector>

#include "compiler/sema/ir.hpp"

namespace nftc::sema {

// The low and high ends of an element key (value, prefix, range, mapping).
Value range_low(const Expr* e);
Value range_high(const Expr* e);
// Turns every element key of a set expression into a range_value;
// `recycle`: the keys it replaces are referred to nowhere else.
void set_to_range(IrArena& ir, Expr* init, bool recycle = false);
// Sorts set elements by key as nft does.
void list_expr_sort(std::vector<Expr*>& items);
Value sort_value(const Expr* e);

}  // namespace nftc::sema
