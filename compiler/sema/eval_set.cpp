// Set declarations: named sets and maps, the anonymous sets nft declares
// for `{ … }` literals, and their elements (evaluate.c: set_evaluate,
// implicit_set_declaration, elems_evaluate, setelem_evaluate).
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

bool stmt_evaluate_stateful(EvalCtx& ctx, Stmt* stmt, std::string_view name);

namespace {

void key_fix_dtype_byteorder(EvalCtx& ctx, Expr* key) {
  if (key->dtype->byteorder == key->byteorder) return;
  key->dtype = ctx.types.set_datatype(key->dtype, key->byteorder);
}

bool set_expr_evaluate_concat(EvalCtx& ctx, Expr*& expr) {
  std::uint32_t flags = kExprConstant | kExprSingleton, ntype = 0;
  unsigned size = 0;
  ConcatData& cd = expr->concat();
  cd.field_count = 0;
  for (Expr* i : expr->items) {
    if (i->kind == Kind::ct && (i->ct().key == NFT_CT_SRC || i->ct().key == NFT_CT_DST))
      return ctx.error(i->span, "specify either ip or ip6 for address matching");
    if (i->kind == Kind::payload && i->dtype->type == TYPE_INTEGER) {
      Datatype* d = ctx.types.clone(i->dtype);
      d->size = i->len;
      d->byteorder = i->byteorder;
      i->dtype = d;
    }
    if (i->dtype->size == 0 && i->len == 0)
      return ctx.error2(i->span, expr->span,
                        fmt::format("can not use variable sized data types ({}) in concat expressions",
                                    i->dtype->name));
    flags &= i->flags;
    ntype = concat_subtype_add(ntype, i->dtype->type);
    if (cd.field_count < cd.field_len.size()) cd.field_len[cd.field_count++] = static_cast<std::uint8_t>(div_round_up(i->len, 8));
    size += netlink_padded_len(i->len);
    if (size > 16 * 32)
      return ctx.error(i->span, fmt::format("concatenation of size {} exceeds maximum size of {}", size, 16 * 32));
  }
  expr->flags |= flags;
  expr->dtype = ctx.types.concat_type(ntype);
  expr->len = size;
  ctx.ectx.set(expr->dtype, expr->len);
  ctx.ectx.key = expr;
  return true;
}

bool set_key_data_error(EvalCtx& ctx, const Set* set, const Datatype* dtype, std::string_view what) {
  std::string hint;
  if (dtype->size == 0) hint = "try \"typeof expression\" instead of \"type datatype\"";
  std::string msg = fmt::format("unqualified type {} specified in {} definition", dtype->name, what);
  if (hint.empty()) return ctx.error(set->span, msg);
  return ctx.error_with_help(set->span, msg, hint);
}

}  // namespace

bool set_evaluate(EvalCtx& ctx, Set* set) {
  std::string_view type = set_is_map(set->flags) ? "map" : "set";
  if (set->key == nullptr) return ctx.error(set->span, fmt::format("{} definition does not specify key", type));
  if (!set_is_anonymous(set->flags)) {
    Table* table = ctx.an.find_table(set->family, set->table);
    if (table == nullptr) return ctx.error(set->span, fmt::format("table '{}' does not exist", set->table));
  }
  if (!(set->flags & NFT_SET_INTERVAL) && set->automerge)
    return ctx.error(set->span, "auto-merge only works with interval sets");
  if (set->key->len == 0) {
    if (set->key->kind == Kind::concat && !set_expr_evaluate_concat(ctx, set->key)) return false;
    if (set->key->len == 0) return set_key_data_error(ctx, set, set->key->dtype, type);
  }
  if ((set->flags & NFT_SET_INTERVAL) && set->key->kind == Kind::concat) {
    set->field_len = set->key->concat().field_len;
    set->field_count = set->key->concat().field_count;
    set->flags |= NFT_SET_CONCAT;
    set->automerge = false;
  }
  if (set_is_anonymous(set->flags) && set->key->kind == Kind::concat && set->init) {
    for (Expr* i : set->init->items) {
      Expr* key = i->left;
      if (key->kind == Kind::mapping) key = key->left;
      if (key->kind != Kind::concat && key->kind != Kind::set_elem_catchall)
        return ctx.error(i->span, "expression is not a concatenation");
    }
  }
  if (set_is_datamap(set->flags)) {
    if (set->data == nullptr) return ctx.error(set->span, "map definition does not specify mapping data type");
    if (set->data->kind == Kind::concat && !set_expr_evaluate_concat(ctx, set->data)) return false;
    if (set->data->flags & kExprInterval) set->data->len *= 2;
    if (set->data->len == 0 && set->data->dtype->type != TYPE_VERDICT)
      return set_key_data_error(ctx, set, set->data->dtype, type);
  } else if (set_is_objmap(set->flags)) {
    set->data = constant_expr(ctx.ir, Span{}, &string_type, ByteOrder::host, 256 * 8, Value());
  }
  if (set->timeout) set->flags |= NFT_SET_TIMEOUT;
  unsigned num_stmts = 0;
  for (Stmt* st : set->stmts) {
    if (!stmt_evaluate_stateful(ctx, st, type)) return false;
    num_stmts++;
  }
  if (num_stmts > 1) set->flags |= NFT_SET_EXPR;
  if (set_is_anonymous(set->flags)) {
    if (set->init && set->init->kind == Kind::set && set_is_interval(set->init->set_expr().set_flags) &&
        !(set->init->set_expr().set_flags & NFT_SET_CONCAT) && !interval_set_eval(ctx, set, set->init))
      return false;
  }
  return true;
}

Expr* implicit_set_declaration(EvalCtx& ctx, std::string_view name, Expr* key, Expr* data, Expr* init,
                               std::uint32_t flags) {
  if (set_is_datamap(flags)) key_fix_dtype_byteorder(ctx, key);
  Set* set = ctx.ir.make<Set>();
  set->flags = flags;
  set->name = std::string(name);
  set->key = key;
  set->data = data;
  set->init = init;
  set->automerge = flags & NFT_SET_INTERVAL;
  set->family = ctx.cmd.family;
  set->table = ctx.cmd.table;
  set->span = init->span;
  if (!set_evaluate(ctx, set)) return nullptr;
  ctx.an.add_implicit_set(ctx, set);
  return set_ref_expr(ctx.ir, init->span, set);
}

// Elements given with a named set's declaration or `add element`.
bool elems_evaluate(EvalCtx& ctx, Set* set) {
  ctx.set = set;
  if (set->init != nullptr) {
    if (set->key == nullptr) return ctx.error(set->span, "set definition does not specify key");
    ctx.ectx.set(set->key->dtype, set->key->byteorder, set->key->len, 0);
    if (!expr_evaluate(ctx, set->init)) return false;
    if (set->init->kind != Kind::set)
      return ctx.error(set->init->span, fmt::format("set {}: unexpected initial type {}, missing {{ }}?", set->name,
                                                    kind_name(set->init->kind)));
  }
  if (set_is_interval(set->flags) && !(set->flags & NFT_SET_CONCAT) && !interval_set_eval(ctx, set, set->init))
    return false;
  ctx.set = nullptr;
  return true;
}

}  // namespace nftc::sema
