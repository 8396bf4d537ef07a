// Relations, sets, maps and mappings (nft's evaluate.c): matches get their
// final shape here: singleton sets collapse, ranges and sets turn the left
// side big-endian, anonymous sets are declared, invertible operations move
// to the constant side.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include <algorithm>
#include <vector>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

bool evaluate_range_sides(EvalCtx& ctx, Expr* range);

namespace {

// ---------------------------------------------------------------------------
// Transferring invertible operations to the constant side

int binop_can_transfer(EvalCtx& ctx, Expr* left, Expr* right) {
  switch (right->kind) {
    case Kind::value:
      break;
    case Kind::set_elem:
      return binop_can_transfer(ctx, left, right->left);
    case Kind::range: {
      int err = binop_can_transfer(ctx, left, right->left);
      if (err <= 0) return err;
      return binop_can_transfer(ctx, left, right->right);
    }
    case Kind::mapping:
      return binop_can_transfer(ctx, left, right->left);
    default:
      return 0;
  }
  switch (left->op) {
    case Op::lshift:
      if (right->value.scan1(0) < left->right->value.u32()) {
        ctx.error2(right->span, left->span, "comparison is always false");
        return -1;
      }
      return 1;
    case Op::rshift:
      if (ctx.ectx.len < right->len + left->right->value.u32()) ctx.ectx.len += left->right->value.u32();
      return 1;
    case Op::bxor:
      return left->right->is_constant() ? 1 : 0;
    default:
      return 0;
  }
}

bool binop_transfer_one(EvalCtx& ctx, const Expr* left, Expr*& right) {
  switch (right->kind) {
    case Kind::mapping:
      return binop_transfer_one(ctx, left, right->left);
    case Kind::value:
      break;
    case Kind::set_elem:
      return binop_transfer_one(ctx, left, right->left);
    case Kind::range:
      if (!binop_transfer_one(ctx, left, right->left)) return false;
      return binop_transfer_one(ctx, left, right->right);
    default:
      return true;
  }
  Op op;
  switch (left->op) {
    case Op::lshift: op = Op::rshift; break;
    case Op::rshift: op = Op::lshift; break;
    case Op::bxor: op = Op::bxor; break;
    default: return ctx.error(left->span, "invalid binary operation");
  }
  right = binop_expr(ctx.ir, right->span, op, right, left->right);
  return expr_evaluate(ctx, right);
}

void binop_transfer_handle_lhs(Expr*& expr) {
  Expr* left = expr;
  switch (left->op) {
    case Op::rshift: {
      // Mask out the bits the shift would have dropped.
      unsigned shift = left->right->value.u32() & 0xff;
      left->right->value = Value::bitmask(left->left->len).shl(shift);
      left->op = Op::band;
      break;
    }
    case Op::lshift:
    case Op::bxor: {
      Expr* tmp = left->left;
      tmp->dtype = left->dtype;
      expr = tmp;
      break;
    }
    default:
      break;
  }
}

int binop_transfer_rhs(EvalCtx& ctx, Expr* left, Expr*& right) {
  switch (right->kind) {
    case Kind::value:
    case Kind::range: {
      int err = binop_can_transfer(ctx, left, right);
      if (err <= 0) return err;
      if (!binop_transfer_one(ctx, left, right)) return -1;
      break;
    }
    case Kind::set:
      for (Expr* i : right->items) {
        int err = binop_can_transfer(ctx, left, i);
        if (err <= 0) return err;
      }
      for (Expr*& i : right->items)
        if (!binop_transfer_one(ctx, left, i)) return -1;
      break;
    case Kind::set_ref: {
      Set* s = right->set_ref().set;
      if (!set_is_anonymous(s->flags)) return 0;
      return binop_transfer_rhs(ctx, left, s->init);
    }
    default:
      return 0;
  }
  return 1;
}

}  // namespace

bool binop_transfer(EvalCtx& ctx, Expr*& expr) {
  if (expr->left->kind != Kind::binop) return true;
  int ret = binop_transfer_rhs(ctx, expr->left, expr->right);
  if (ret < 0) return false;
  if (ret == 0) return true;
  binop_transfer_handle_lhs(expr->left);
  return true;
}

namespace {

bool lhs_is_meta_hour(const Expr* e) {
  return e->kind == Kind::meta && (e->meta().key == NFT_META_TIME_HOUR || e->meta().key == NFT_META_TIME_DAY);
}

void optimize_singleton_set(Expr* rel, Expr*& right) {
  Expr* set = rel->right;
  Expr* i = set->items.front();
  if (i->elem().stmts.empty()) {
    switch (i->left->kind) {
      case Kind::prefix:
      case Kind::range:
      case Kind::value:
        rel->right = right = i->left;
        break;
      default:
        break;
    }
  }
  if (rel->op == Op::implicit && rel->right->dtype->basetype && rel->right->dtype->basetype->type == TYPE_BITMASK &&
      rel->right->dtype->type != TYPE_CT_STATE)
    rel->op = Op::eq;
}

}  // namespace

bool expr_evaluate_relational(EvalCtx& ctx, Expr*& expr) {
  Expr* rel = expr;
  if (rel->right->kind == Kind::symbol && rel->right->sym().symtype == SymbolType::set &&
      !expr_evaluate(ctx, rel->right))
    return false;
  if (!expr_evaluate(ctx, rel->left)) return false;
  Expr* left = rel->left;
  ProtoCtx& pctx = ctx.pctx();

  if (lhs_is_meta_hour(rel->left) && rel->right->kind == Kind::range) {
    if (!evaluate_range_sides(ctx, rel->right)) return false;
    Expr* range = rel->right;
    // Ranges across midnight (meta hour 23:15-03:22) invert the match.
    if (range->left->value.compare(range->right->value) > 0) {
      if (rel->op == Op::eq || rel->op == Op::implicit) {
        std::swap(range->left, range->right);
        rel->op = Op::neq;
      } else if (rel->op == Op::neq) {
        std::swap(range->left, range->right);
        rel->op = Op::eq;
      }
    }
  }

  if (!expr_evaluate(ctx, rel->right)) return false;
  Expr* right = rel->right;
  if (!right->is_constant())
    return ctx.error2(right->span, rel->span,
                      fmt::format("right hand side of relational expression ({}) must be constant",
                                  op_symbol(rel->op)));
  if (left->is_constant())
    return ctx.error2(left->span, right->span,
                      fmt::format("relational expression ({}) has constant value", op_symbol(rel->op)));
  if (!datatype_equal(left->dtype, right->dtype))
    return ctx.error2(right->span, left->span,
                      fmt::format("datatype mismatch, expected {}, expression has type {}", left->dtype->desc,
                                  right->dtype->desc));
  if (((left->kind == Kind::meta && left->meta().key == NFT_META_SECMARK) ||
       (left->kind == Kind::ct && left->ct().key == NFT_CT_SECMARK)) &&
      (right->flags & kExprConstant))
    return ctx.error2(right->span, left->span, "cannot be used with right hand side constant value");

  if (left->kind != Kind::concat) {
    switch (rel->op) {
      case Op::eq:
      case Op::implicit:
      case Op::neq:
        if (right->kind == Kind::set && right->items.size() == 1) optimize_singleton_set(rel, right);
        break;
      default:
        break;
    }
  }

  switch (rel->op) {
    case Op::eq:
    case Op::implicit:
    case Op::neq:
    case Op::neg:
      if (rel->op == Op::eq || rel->op == Op::implicit) relational_pctx_update(pctx, rel);
      if (rel->op == Op::neg) {
        if (left->kind == Kind::binop)
          return ctx.error2(left->span, right->span, "cannot combine negation with binary expression");
        if (right->kind != Kind::value || right->dtype->basetype == nullptr ||
            right->dtype->basetype->type != TYPE_BITMASK)
          return ctx.error2(left->span, right->span,
                            "negation can only be used with singleton bitmask values; did you mean \"!=\"?");
      }
      switch (right->kind) {
        case Kind::range:
          if (!byteorder_conversion(ctx, rel->left, ByteOrder::big)) return false;
          if (!byteorder_conversion(ctx, right->left, ByteOrder::big)) return false;
          if (!byteorder_conversion(ctx, right->right, ByteOrder::big)) return false;
          break;
        case Kind::prefix:
          if (!byteorder_conversion(ctx, right->left, left->byteorder)) return false;
          break;
        case Kind::value:
          if (!byteorder_conversion(ctx, rel->right, left->byteorder)) return false;
          break;
        case Kind::set: {
          if (right->items.empty()) return ctx.error(right->span, "set is empty");
          right = rel->right = implicit_set_declaration(ctx, "__set%d", left, nullptr, right,
                                                         right->set_expr().set_flags | NFT_SET_ANONYMOUS);
          if (right == nullptr) return false;
          [[fallthrough]];
        }
        case Kind::set_ref:
          if (is_ct_addr_any(rel->left)) return ctx.error(left->span, "specify either ip or ip6 for address matching");
          if ((right->set_ref().set->flags & NFT_SET_INTERVAL) &&
              !byteorder_conversion(ctx, rel->left, ByteOrder::big))
            return false;
          break;
        case Kind::concat:
          return ctx.error2(left->span, right->span,
                            "use concatenations with sets and maps, not singleton values");
        default:
          return ctx.error(right->span, fmt::format("invalid expression type {}", kind_name(right->kind)));
      }
      break;
    case Op::lt:
    case Op::gt:
    case Op::lte:
    case Op::gte:
      if (left->kind == Kind::concat)
        return ctx.error2(left->span, rel->span,
                          fmt::format("relational expression ({}) is undefined for {} expressions",
                                      op_symbol(rel->op), kind_name(left->kind)));
      if (!right->is_singleton())
        return ctx.error2(right->span, rel->span,
                          fmt::format("relational expression ({}) is undefined for {} expressions",
                                      op_symbol(rel->op), kind_name(right->kind)));
      if (!byteorder_conversion(ctx, rel->left, ByteOrder::big)) return false;
      if (!byteorder_conversion(ctx, rel->right, ByteOrder::big)) return false;
      break;
    default:
      return ctx.error(rel->span, "invalid relational operation");
  }
  return binop_transfer(ctx, expr);
}

// ---------------------------------------------------------------------------
// Set elements and sets

static bool evaluate_elem_stmts(EvalCtx& ctx, Expr* elem) {
  Set* set = ctx.set;
  auto& es = elem->elem().stmts;
  if (es.empty()) return true;
  std::size_t nset = set->stmts.size();
  if (nset > 0 && es.size() != nset)
    return ctx.error(elem->left->span, fmt::format("number of statements mismatch, set expects {} but element has {}",
                                                   nset, es.size()));
  if (nset == 0) {
    if (!set_is_anonymous(set->flags) && !(set->flags & NFT_SET_EVAL))
      return ctx.error(es.front()->span,
                       fmt::format("missing statement in {} declaration", set_is_map(set->flags) ? "map" : "set"));
    return true;
  }
  for (std::size_t i = 0; i < es.size(); ++i)
    if (set->stmts[i]->type != es[i]->type)
      return ctx.error(es[i]->span, fmt::format("statement mismatch, element expects {}, but {} has type {}",
                                                stmt_type_name(es[i]->type), set_is_map(set->flags) ? "map" : "set",
                                                stmt_type_name(set->stmts[i]->type)));
  return true;
}

static bool elem_key_compatible(const Expr* set_key, const Expr* elem_key) {
  if (expr_type_catchall(elem_key)) return true;
  if (elem_key->kind == Kind::mapping) return datatype_compatible(set_key->dtype, elem_key->left->dtype);
  return datatype_compatible(set_key->dtype, elem_key->dtype);
}

static void collect_tree(Expr* e, std::vector<Expr*>& out) {
  if (e == nullptr) return;
  out.push_back(e);
  collect_tree(e->left, out);
  collect_tree(e->right, out);
  for (Expr* i : e->items) collect_tree(i, out);
}

// Evaluates an element's key. A symbol, prefix or range key was built for
// this element alone and evaluates to constants without being recorded
// anywhere else: the nodes of the key as written and those made on the way
// that the value does not keep (the symbols, a prefix's mask and binop) are
// given back to the arena. A set of a million elements is that many
// nodes fewer.
static bool evaluate_elem_key(EvalCtx& ctx, Expr* elem) {
  const Kind written = elem->left->kind;
  if ((written != Kind::symbol && written != Kind::prefix && written != Kind::range) || ctx.ir.journaling())
    return expr_evaluate(ctx, elem->left);
  thread_local std::vector<Expr*> dead, live;
  dead.clear();
  live.clear();
  collect_tree(elem->left, dead);
  ctx.ir.start_journal();
  bool ok = expr_evaluate(ctx, elem->left);
  ctx.ir.stop_journal();
  if (!ok) return false;
  dead.insert(dead.end(), ctx.ir.journal().begin(), ctx.ir.journal().end());
  collect_tree(elem->left, live);
  for (Expr* e : dead)
    if (std::find(live.begin(), live.end(), e) == live.end()) ctx.ir.recycle(e);
  return true;
}

bool expr_evaluate_set_elem(EvalCtx& ctx, Expr*& expr) {
  Expr* elem = expr;
  if (ctx.set) {
    if (!evaluate_elem_stmts(ctx, elem)) return false;
    const Expr* key = ctx.set->key;
    ctx.ectx.set(key->dtype, key->byteorder, key->len, 0);
    ctx.ectx.key = key;
  }
  if (!evaluate_elem_key(ctx, elem)) return false;
  if (ctx.set && !(ctx.set->flags & (NFT_SET_ANONYMOUS | NFT_SET_INTERVAL))) {
    const Expr* bad = nullptr;
    switch (elem->left->kind) {
      case Kind::prefix:
      case Kind::range:
      case Kind::range_value:
        bad = elem->left;
        break;
      case Kind::concat:
        for (const Expr* k : elem->left->items)
          if (k->kind == Kind::prefix || k->kind == Kind::range || k->kind == Kind::range_value) bad = k;
        break;
      default:
        break;
    }
    if (bad)
      return ctx.error_with_help(bad->span,
                                 fmt::format("a {} element needs an interval {}", kind_name(bad->kind),
                                             set_is_map(ctx.set->flags) ? "map" : "set"),
                                 fmt::format("add 'flags interval' to the {} declaration",
                                             set_is_map(ctx.set->flags) ? "map" : "set"));
  }
  if (ctx.set && !elem_key_compatible(ctx.set->key, elem->left))
    return ctx.error(elem->left->span, fmt::format("element mismatches {} definition, expected {}, not '{}'",
                                                   set_is_map(ctx.set->flags) ? "map" : "set",
                                                   ctx.set->key->dtype->desc, elem->left->dtype->desc));
  elem->dtype = elem->left->dtype;
  elem->len = elem->left->len;
  return true;
}

bool expr_evaluate_set(EvalCtx& ctx, Expr*& expr) {
  Expr* set = expr;
  std::vector<Expr*> out;
  out.reserve(set->items.size());
  // Evaluating may expand members (nested sets, mappings of sets): build
  // the new list as we go.
  for (std::size_t idx = 0; idx < set->items.size(); ++idx) {
    Expr* i = set->items[idx];
    ctx.recursion.list++;
    bool ok = expr_evaluate(ctx, i);
    ctx.recursion.list--;
    if (!ok) return false;
    if (i->kind == Kind::set_elem && i->left->kind == Kind::mapping && i->left->left->kind == Kind::set) {
      // { {a, b} : x } maps every member of the inner set.
      for (Expr* j : i->left->left->items) {
        Expr* m = mapping_expr(ctx.ir, i->span, j->left, i->left->right);
        set->items.push_back(set_elem_expr(ctx.ir, i->span, m));
      }
      continue;
    }
    Expr* key = i->kind == Kind::set_elem ? i->left : i;
    if (key->kind == Kind::set_ref) return ctx.error(key->span, "set reference cannot be part of another set");
    if (!key->is_constant()) return ctx.error(key->span, "set member is not constant");
    if (key->kind == Kind::set) {
      // Merge nested set definitions.
      for (Expr* j : key->items) out.push_back(j);
      set->set_expr().set_flags |= key->set_expr().set_flags;
      continue;
    }
    if (!key->is_singleton()) {
      set->set_expr().set_flags |= NFT_SET_INTERVAL;
      if ((key->kind == Kind::mapping && key->left->kind == Kind::concat) || key->kind == Kind::concat)
        set->set_expr().set_flags |= NFT_SET_CONCAT;
    }
    out.push_back(i);
  }
  set->items = std::move(out);
  if (ctx.set && (ctx.set->flags & NFT_SET_CONCAT)) set->set_expr().set_flags |= NFT_SET_CONCAT;
  set->set_expr().set_flags |= NFT_SET_CONSTANT;
  set->dtype = ctx.ectx.dtype ? ctx.ectx.dtype : &invalid_type;
  set->len = ctx.ectx.len;
  set->flags |= kExprConstant;
  return true;
}

// ---------------------------------------------------------------------------
// Maps

static void map_set_concat_info(Expr* map) {
  Set* s = map->right->set_ref().set;
  s->flags |= s->init->set_expr().set_flags;
  if ((s->flags & NFT_SET_INTERVAL) && map->left->kind == Kind::concat) {
    s->field_len = map->left->concat().field_len;
    s->field_count = map->left->concat().field_count;
    map->right->flags |= NFT_SET_CONCAT;
  }
}

static void mapping_expr_expand_one(EvalCtx& ctx, Expr* i) {
  switch (i->right->kind) {
    case Kind::value:
      i->right = range_expr(ctx.ir, i->span, i->right, i->right);
      break;
    case Kind::concat:
      for (Expr*& j : i->right->items)
        if (j->kind == Kind::value) j = range_expr(ctx.ir, j->span, j, j);
      i->right->flags &= ~kExprSingleton;
      break;
    default:
      break;
  }
}

static bool mapping_expr_expand(EvalCtx& ctx) {
  if (!set_is_anonymous(ctx.set->flags)) return true;
  for (Expr* i : ctx.set->init->items) {
    if (i->left->kind != Kind::mapping) return ctx.error(i->span, fmt::format("expected mapping, not {}", kind_name(i->kind)));
    mapping_expr_expand_one(ctx, i->left);
  }
  return true;
}

// The end of a map lookup's evaluation, once its map is known (nft repeats
// it for data maps and object maps): the key must fit the map's key type, the
// lookup takes the map's data type, and interval maps want a big-endian key.
bool map_lookup_finish(EvalCtx& ctx, Expr* map) {
  Set* s = map->right->set_ref().set;
  if (!datatype_compatible(s->key->dtype, map->left->dtype))
    return ctx.error2(map->right->span, map->left->span,
                      fmt::format("datatype mismatch, map expects {}, mapping expression has type {}",
                                  s->key->dtype->desc, map->left->dtype->desc));
  map->dtype = s->data->dtype;
  map->flags |= kExprConstant;
  if ((s->flags & NFT_SET_INTERVAL) && !byteorder_conversion(ctx, map->left, ByteOrder::big)) return false;
  return true;
}

bool expr_evaluate_map(EvalCtx& ctx, Expr*& expr) {
  Expr* map = expr;
  ExprCtx ectx = ctx.ectx;
  std::uint32_t set_flags = NFT_SET_MAP;
  if (is_ct_addr_any(map->left)) return ctx.error(map->left->span, "specify either ip or ip6 for address matching");
  if (map->left->kind == Kind::concat)
    for (const Expr* i : map->left->items)
      if (is_ct_addr_any(i)) return ctx.error(i->span, "specify either ip or ip6 for address matching");
  ctx.ectx.set(nullptr, 0);
  if (!expr_evaluate(ctx, map->left)) return false;
  if (map->left->is_constant()) return ctx.error(map->left->span, "map expression can not be constant");
  ctx.stmt_len = 0;
  Expr* mappings = map->right;
  switch (mappings->kind) {
    case Kind::set: {
      set_flags |= mappings->set_expr().set_flags;
      Expr* key;
      if (ctx.ectx.key && ctx.ectx.key->kind == Kind::concat)
        key = ctx.ir.clone(ctx.ectx.key);
      else
        key = constant_expr(ctx.ir, map->span, ctx.ectx.dtype ? ctx.ectx.dtype : &invalid_type, ctx.ectx.byteorder,
                            ctx.ectx.len, Value());
      if (ectx.dtype == nullptr) return ctx.error(map->span, "implicit map expression without known datatype");
      Expr* data;
      if (ectx.dtype->type == TYPE_VERDICT) {
        data = verdict_expr(ctx.ir, Span{}, 0, nullptr);
      } else {
        const Datatype* dtype = ctx.types.set_datatype(ectx.dtype, ectx.byteorder);
        data = constant_expr(ctx.ir, Span{}, dtype, dtype->byteorder, ectx.len, Value());
      }
      mappings = implicit_set_declaration(ctx, "__map%d", key, data, mappings, NFT_SET_ANONYMOUS | set_flags);
      if (mappings == nullptr) return false;
      map->right = mappings;
      Set* s = mappings->set_ref().set;
      ctx.set = s;
      if (!expr_evaluate(ctx, s->init)) return false;
      if (s->init->kind != Kind::set) return ctx.error(s->init->span, "expression is not a map");
      if (set_is_interval(s->init->set_expr().set_flags) && !(s->init->set_expr().set_flags & NFT_SET_CONCAT) &&
          !interval_set_eval(ctx, s, s->init))
        return false;
      ctx.ectx.set(s->key->dtype, s->key->len);
      if (!binop_transfer(ctx, expr)) return false;
      if (s->data->flags & kExprInterval) {
        s->data->len *= 2;
        if (!mapping_expr_expand(ctx)) return false;
      }
      s->key->len = ctx.ectx.len;
      ctx.set = nullptr;
      map = expr;
      map_set_concat_info(map);
      break;
    }
    case Kind::symbol:
      if (!expr_evaluate(ctx, map->right)) return false;
      if (map->right->kind != Kind::set_ref || !set_is_datamap(map->right->set_ref().set->flags))
        return ctx.error(map->right->span, "expression is not a map");
      break;
    case Kind::set_ref:
      if (!set_is_map(mappings->set_ref().set->flags)) return ctx.error(map->right->span, "expression is not a map");
      break;
    default:
      return ctx.error2(map->right->span, map->left->span,
                        fmt::format("invalid mapping expression {}", kind_name(map->right->kind)));
  }
  return map_lookup_finish(ctx, map);
}

static bool data_mapping_has_interval(const Expr* data) {
  if (data->kind == Kind::range || data->kind == Kind::range_value || data->kind == Kind::prefix) return true;
  if (data->kind != Kind::concat) return false;
  for (const Expr* i : data->items)
    if (i->kind == Kind::range || i->kind == Kind::range_value || i->kind == Kind::prefix) return true;
  return false;
}

static bool elem_data_compatible(const Expr* set_data, const Expr* elem_data) {
  if (elem_data->kind == Kind::range) return elem_data_compatible(set_data, elem_data->left);
  return datatype_compatible(set_data->dtype, elem_data->dtype);
}

bool expr_evaluate_mapping(EvalCtx& ctx, Expr*& expr) {
  const Expr* key = ctx.ectx.key;
  Expr* mapping = expr;
  Set* set = ctx.set;
  if (set == nullptr) return ctx.error(mapping->span, "mapping outside of map context");
  if (!set_is_map(set->flags)) return ctx.error(set->span, "set is not a map");
  ctx.ectx.set(set->key->dtype, set->key->len);
  ctx.ectx.key = key;
  if (!expr_evaluate(ctx, mapping->left)) return false;
  if (!mapping->left->is_constant()) return ctx.error(mapping->left->span, "key must be a constant");
  mapping->flags |= mapping->left->flags & kExprSingleton;
  if (set->data == nullptr) return ctx.error(set->span, "map has no mapping data");
  unsigned datalen = (!set_is_anonymous(set->flags) && (set->data->flags & kExprInterval)) ? set->data->len / 2
                                                                                           : set->data->len;
  ctx.ectx.set(set->data->dtype, set->data->byteorder, datalen, 0);
  if (!expr_evaluate(ctx, mapping->right)) return false;
  if (!mapping->right->is_constant()) return ctx.error(mapping->right->span, "value must be a constant");
  if (set_is_anonymous(set->flags) && data_mapping_has_interval(mapping->right)) set->data->flags |= kExprInterval;
  if (!set_is_anonymous(set->flags) && (set->data->flags & kExprInterval)) mapping_expr_expand_one(ctx, mapping);
  if (!(set->data->flags & kExprInterval) && !mapping->right->is_singleton())
    return ctx.error(mapping->right->span, "value must be a singleton");
  if (set_is_objmap(set->flags) && mapping->right->kind != Kind::value)
    return ctx.error(mapping->right->span, fmt::format("object mapping data should be a value, not {}",
                                                       kind_name(mapping->right->kind)));
  if (set_is_datamap(set->flags) && !elem_data_compatible(set->data, mapping->right))
    return ctx.error(mapping->right->span,
                     fmt::format("element mapping mismatches map definition, expected {}, not '{}'",
                                 set->data->dtype->desc, mapping->right->dtype->desc));
  mapping->flags |= kExprConstant;
  return true;
}

bool expr_evaluate_symbol_range(EvalCtx& ctx, Expr*& expr) {
  SymbolData& sd = expr->sym();
  Expr* left = symbol_expr(ctx.ir, expr->span, sd.symtype, sd.text);
  Expr* right = symbol_expr(ctx.ir, expr->span, sd.symtype, sd.high);
  Expr* range = range_expr(ctx.ir, expr->span, left, right);
  if (!expr_evaluate(ctx, range)) return false;
  if (range->kind == Kind::range && ctx.set && range->left->kind == Kind::value && range->right->kind == Kind::value) {
    Expr* cr = ctx.ir.expr(Kind::range_value, expr->span);
    cr->dtype = range->left->dtype;
    cr->byteorder = range->left->byteorder;
    cr->len = range->left->len;
    cr->value = range->left->value;
    cr->as<RangeValueData>().high = range->right->value;
    cr->flags = kExprConstant;
    expr = cr;
    return true;
  }
  expr = range;
  return true;
}

}  // namespace nftc::sema
