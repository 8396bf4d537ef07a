// Interval sets (nft's intervals.c): elements become ranges, are sorted,
// overlapping ones are merged (auto-merge, and always in anonymous sets) or
// reported, and elements already in the set are taken into account.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/intervals.hpp"

namespace nftc::sema {

Value range_low(const Expr* e) {
  switch (e->kind) {
    case Kind::value: return e->value;
    case Kind::range_value: return e->value;
    case Kind::prefix: return range_low(e->left);
    case Kind::range: return range_low(e->left);
    case Kind::mapping: return range_low(e->left);
    default: return Value();
  }
}

Value range_high(const Expr* e) {
  switch (e->kind) {
    case Kind::value: return e->value;
    case Kind::range_value: return e->as<RangeValueData>().high;
    case Kind::prefix: {
      unsigned plen = e->as<PrefixData>().prefix_len;
      return range_low(e->left).add(Value::bitmask(e->len - plen));
    }
    case Kind::range: return range_high(e->right);
    case Kind::mapping: return range_high(e->left);
    default: return Value();
  }
}

namespace {

Expr* make_range_value(IrArena& ir, const Expr* e, const Value& low, const Value& high) {
  Expr* k = ir.expr(Kind::range_value, e->span);
  k->dtype = e->dtype;
  k->byteorder = e->byteorder;
  k->len = e->len;
  k->value = low;
  k->as<RangeValueData>().high = high;
  k->flags = kExprConstant | (e->flags & kExprKernel);
  return k;
}

// Gives back the nodes of a key that a range_value replaced (named sets
// only: an anonymous set's keys may also stand in the rule).
void recycle_key(IrArena& ir, Expr* key) {
  if (key->kind == Kind::prefix || key->kind == Kind::range) {
    if (key->left != nullptr && key->left->kind == Kind::value) ir.recycle(key->left);
    if (key->right != nullptr && key->right->kind == Kind::value) ir.recycle(key->right);
  }
  ir.recycle(key);
}

void setelem_key_to_range(IrArena& ir, Expr*& key, bool recycle) {
  Expr* old = key;
  switch (key->kind) {
    case Kind::set_elem_catchall:
    case Kind::range_value:
      return;
    case Kind::range:
      key = make_range_value(ir, key, key->left->value, key->right->value);
      break;
    case Kind::prefix: {
      Value base = key->left->value;
      if (expr_basetype(key)->type == TYPE_STRING) base = base.byteswapped(key->len / 8);
      unsigned plen = key->as<PrefixData>().prefix_len;
      Value high = Value::bitmask(key->len - plen) | base;
      key = make_range_value(ir, key, base, high);
      break;
    }
    case Kind::value: {
      Value v = key->value;
      if (expr_basetype(key)->type == TYPE_STRING) v = v.byteswapped(key->len / 8);
      key = make_range_value(ir, key, v, v);
      break;
    }
    default:
      return;
  }
  if (recycle) recycle_key(ir, old);
}

void setelem_to_range(IrArena& ir, Expr* elem, bool recycle) {
  if (elem->left->kind == Kind::mapping) setelem_key_to_range(ir, elem->left->left, recycle);
  else setelem_key_to_range(ir, elem->left, recycle);
}

}  // namespace

void set_to_range(IrArena& ir, Expr* init, bool recycle) {
  for (Expr* i : init->items) setelem_to_range(ir, i, recycle);
}

// nft's expr_msort_value: the value elements are sorted by.
Value sort_value(const Expr* e) {
  switch (e->kind) {
    case Kind::binop:
    case Kind::mapping:
    case Kind::range:
      return sort_value(e->left);
    case Kind::value:
      if (expr_basetype(e)->type == TYPE_STRING) {
        // The string's bytes read as one big-endian number: byte order.
        std::string bytes = e->value.to_bytes_string(div_round_up(e->len, 8), ByteOrder::host);
        return Value::from_bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                               bytes.size()),
                                 ByteOrder::big);
      }
      return e->value;
    case Kind::range_value:
      return e->value;
    case Kind::concat: {
      std::string data;
      for (const Expr* i : e->items) data += i->value.to_bytes_string(div_round_up(i->len, 8), ByteOrder::big);
      return Value::from_bytes(
          std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()),
          ByteOrder::big);
    }
    case Kind::set_elem_catchall:
      return Value::bitmask(e->len);
    case Kind::set_elem:
      return sort_value(e->left);
    default:
      return Value();
  }
}

namespace {

// The value an element sorts by when it is stored as is (a number or a
// range): no copy needed. Null when sort_value() has to compute it.
const Value* stored_sort_value(const Expr* e) {
  while (e->kind == Kind::binop || e->kind == Kind::mapping || e->kind == Kind::range || e->kind == Kind::set_elem)
    e = e->left;
  if (e->kind == Kind::range_value) return &e->value;
  if (e->kind == Kind::value && expr_basetype(e)->type != TYPE_STRING) return &e->value;
  return nullptr;
}

bool sorts_before(const Expr* a, const Expr* b) {
  const Value* va = stored_sort_value(a);
  const Value* vb = stored_sort_value(b);
  if (va != nullptr && vb != nullptr) return va->compare(*vb) < 0;
  return sort_value(a).compare(sort_value(b)) < 0;
}

}  // namespace

void list_expr_sort(std::vector<Expr*>& items) {
  // Elements are often written in order already: one pass finds out.
  if (std::is_sorted(items.begin(), items.end(), sorts_before)) return;
  std::stable_sort(items.begin(), items.end(), sorts_before);
}

namespace {

void set_sort_splice(IrArena& ir, Expr* init, Set* set) {
  Set* existing = set->existing_set;
  set_to_range(ir, init, !set->anonymous());
  list_expr_sort(init->items);
  if (!existing || existing->errors) return;
  if (existing->init && existing->init != init) {
    set_to_range(ir, existing->init);
    // Merge the existing (kernel) elements in, sorted.
    std::vector<Expr*> merged;
    merged.reserve(init->items.size() + existing->init->items.size());
    std::merge(existing->init->items.begin(), existing->init->items.end(), init->items.begin(), init->items.end(),
               std::back_inserter(merged), sorts_before);
    init->items = std::move(merged);
    existing->init->items.clear();
  } else if (!existing->init) {
    existing->init = set_expr(ir, Span{});
  }
}

struct Automerge {
  IrArena& ir;
  Set* set;
  Expr* init;
  std::vector<Expr*> purge;
};

bool is_kernel(const Expr* elem) { return elem->left->flags & kExprKernel; }

void setelem_automerge(Automerge& am) {
  std::vector<Expr*> out;
  Expr* prev = nullptr;
  Value prev_low, prev_high;
  for (Expr* i : am.init->items) {
    if (expr_type_catchall(i->left)) {
      out.push_back(i);
      continue;
    }
    Value low = range_low(i->left), high = range_high(i->left);
    if (!prev) {
      prev = i;
      prev_low = low;
      prev_high = high;
      out.push_back(i);
      continue;
    }
    auto key_of = [](Expr* e) -> Expr* { return e->left->kind == Kind::mapping ? e->left->left : e->left; };
    bool contained = prev_low.compare(low) <= 0 && prev_high.compare(high) >= 0;
    bool overlapping = low.compare(prev_high) <= 0;
    bool contiguous = am.set->automerge && low.sub(prev_high) == Value(1);
    if (contained) {
      // remove_overlapping_range
      if (is_kernel(i)) am.purge.push_back(i);
      continue;
    }
    if (overlapping || contiguous) {
      // merge_ranges
      if (is_kernel(prev)) {
        am.purge.push_back(prev);
        key_of(i)->value = key_of(prev)->value;
        prev_high = high;
        out.erase(std::find(out.begin(), out.end(), prev));
        out.push_back(i);
        prev = i;
      } else if (is_kernel(i)) {
        am.purge.push_back(i);
        key_of(prev)->as<RangeValueData>().high = key_of(i)->as<RangeValueData>().high;
        prev_high = high;
      } else {
        key_of(prev)->as<RangeValueData>().high = key_of(i)->as<RangeValueData>().high;
        prev_high = high;
      }
      continue;
    }
    prev = i;
    prev_low = low;
    prev_high = high;
    out.push_back(i);
  }
  am.init->items = std::move(out);
}

bool set_automerge(EvalCtx& ctx, Set* set, Expr* init) {
  if (set->flags & NFT_SET_MAP) {
    set_to_range(ctx.ir, init);
    list_expr_sort(init->items);
    return true;
  }
  set_sort_splice(ctx.ir, init, set);
  Automerge am{ctx.ir, set, init, {}};
  setelem_automerge(am);
  Set* existing = set->existing_set;
  std::vector<Expr*> fresh;
  for (Expr* i : init->items) {
    if (is_kernel(i)) {
      existing->init->items.push_back(i);
    } else {
      if (existing) {
        Expr* c = ctx.ir.clone(i);
        c->left->flags |= kExprKernel;
        existing->init->items.push_back(c);
      }
      fresh.push_back(i);
    }
  }
  init->items = std::move(fresh);
  // Existing elements that a merge replaced would be deleted first in the
  // same transaction (nft emits a delete-element command for them).
  return true;
}

bool setelem_overlap(EvalCtx& ctx, Expr* init) {
  Expr* prev = nullptr;
  Value prev_low, prev_high;
  for (Expr* i : init->items) {
    if (expr_type_catchall(i->left)) continue;
    Value low = range_low(i->left), high = range_high(i->left);
    if (!prev) {
      prev = i;
      prev_low = low;
      prev_high = high;
      continue;
    }
    if (prev_low == low && prev_high == high) {
      prev = i;
      continue;
    }
    bool overlap = (prev_low.compare(low) <= 0 && prev_high.compare(high) >= 0) || low.compare(prev_high) <= 0;
    if (overlap) {
      if (is_kernel(prev)) return ctx.error(i->left->span, "interval overlaps with an existing one");
      if (is_kernel(i)) return ctx.error(prev->left->span, "interval overlaps with an existing one");
      return ctx.error2(i->left->span, prev->left->span, "conflicting intervals specified");
    }
    prev = i;
    prev_low = low;
    prev_high = high;
  }
  return true;
}

bool set_overlap(EvalCtx& ctx, Set* set, Expr* init) {
  Set* existing = set->existing_set;
  set_sort_splice(ctx.ir, init, set);
  bool ok = setelem_overlap(ctx, init);
  std::vector<Expr*> fresh;
  for (Expr* i : init->items) {
    if (is_kernel(i)) {
      existing->init->items.push_back(i);
    } else {
      if (existing) {
        Expr* c = ctx.ir.clone(i);
        c->left->flags |= kExprKernel;
        existing->init->items.push_back(c);
      }
      fresh.push_back(i);
    }
  }
  init->items = std::move(fresh);
  if (existing && existing->init) list_expr_sort(existing->init->items);
  return ok;
}

}  // namespace

bool interval_set_eval(EvalCtx& ctx, Set* set, Expr* init) {
  if (init == nullptr) return true;
  switch (ctx.cmd.op) {
    case CmdInfo::Op::create:
    case CmdInfo::Op::add:
    case CmdInfo::Op::replace:
    case CmdInfo::Op::insert:
      if (set->automerge) return set_automerge(ctx, set, init);
      return set_overlap(ctx, set, init);
    case CmdInfo::Op::del:
    case CmdInfo::Op::destroy:
      set_to_range(ctx.ir, init);
      return true;
    default:
      return true;
  }
}

}  // namespace nftc::sema
