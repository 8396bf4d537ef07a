// Expression evaluation (nft's evaluate.c, expression part): symbols become
// typed constants, operators get types and byte orders, constants fold.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/spell.hpp"

namespace nftc::sema {

bool EvalCtx::error(Span span, std::string message) {
  diags.error("SEM001", span, std::move(message));
  errors = true;
  return false;
}

bool EvalCtx::error_with_help(Span span, std::string message, std::string help) {
  diags.error("SEM001", span, std::move(message)).with_help(std::move(help));
  errors = true;
  return false;
}

bool EvalCtx::error2(Span primary, Span secondary, std::string message) {
  Diagnostic& d = diags.error("SEM001", primary, std::move(message));
  if (secondary.valid() && secondary != primary) d.with_related(secondary, "");
  errors = true;
  return false;
}

bool EvalCtx::fail(std::string_view code, Span span, std::string message, std::string help) {
  Diagnostic& d = diags.error(std::string(code), span, std::move(message));
  if (!help.empty()) d.with_help(std::move(help));
  errors = true;
  return false;
}

Value constant_data(std::uint64_t v, unsigned len_bits, ByteOrder order) {
  std::uint8_t buf[8];
  unsigned n = div_round_up(len_bits, 8);
  if (n > 8) n = 8;
  Value(v).to_bytes(std::span<std::uint8_t>(buf, n), ByteOrder::host);
  return Value::from_bytes(std::span<const std::uint8_t>(buf, n), order);
}

std::uint64_t export_u64(const Value& v, unsigned len_bits, ByteOrder order) {
  std::uint8_t buf[8] = {};
  unsigned n = div_round_up(len_bits, 8);
  if (n > 8) n = 8;
  v.to_bytes(std::span<std::uint8_t>(buf, n), order);
  return Value::from_bytes(std::span<const std::uint8_t>(buf, 8), ByteOrder::host).u64();
}

namespace {

bool expr_evaluate_primary(EvalCtx& ctx, Expr* e) {
  ctx.ectx.set(e->dtype, e->byteorder, e->len, 0);
  return true;
}

// ---------------------------------------------------------------------------
// Symbols and values

bool expr_evaluate_symbol(EvalCtx& ctx, Expr*& expr) {
  SymbolData& sd = expr->sym();
  Expr* out = nullptr;
  if (sd.symtype == SymbolType::value) {
    expr->dtype = ctx.ectx.dtype ? ctx.ectx.dtype : &invalid_type;
    if (!symbol_parse(ctx, *expr, out)) return false;
  } else {
    Table* t = ctx.table;
    if (t == nullptr) return ctx.error(expr->span, "no such table");
    Set* set = ctx.an.find_set(t, sd.text);
    if (set == nullptr || set->key == nullptr) {
      std::vector<std::string_view> names;
      for (const Set* s : t->sets)
        if (!s->anonymous() && s->key != nullptr) names.push_back(s->name);
      auto m = closest_match(sd.text, names);
      return ctx.error_with_help(expr->span, fmt::format("set '{}' does not exist in table {}", sd.text, t->name),
                                 m ? fmt::format("did you mean '@{}'?", *m)
                                   : std::string("declare it before it is used, in the same table"));
    }
    out = set_ref_expr(ctx.ir, expr->span, set);
  }
  out->span = expr->span;
  expr = out;
  return expr_evaluate(ctx, expr);
}

bool expr_evaluate_string(EvalCtx& ctx, Expr*& expr) {
  unsigned len = div_round_up(expr->len, 8);
  unsigned data_len = ctx.ectx.len > 0 ? ctx.ectx.len : len + 1;
  if (ctx.ectx.len > 0) {
    if (expr->len > ctx.ectx.len)
      return ctx.error(expr->span, fmt::format("string exceeds maximum length of {}", ctx.ectx.len / 8));
    expr->len = ctx.ectx.len;
  }
  std::string data = expr->value.to_bytes_string(std::max(data_len, len), ByteOrder::host);
  data.resize(std::max<std::size_t>(data_len, len), '\0');
  std::size_t slen = std::strlen(data.c_str());
  if (slen == 0) return ctx.error(expr->span, "empty string is not allowed");
  const Datatype* dtype = ctx.ectx.dtype ? ctx.ectx.dtype : expr->dtype;
  auto make = [&](std::string_view bytes) {
    return constant_expr(ctx.ir, expr->span, dtype, ByteOrder::host, expr->len,
                         Value::from_bytes(std::span<const std::uint8_t>(
                                               reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                                           ByteOrder::host));
  };
  std::size_t last = slen - 1;
  if (data[last] != '*') {
    expr = make(std::string_view(data.c_str(), slen));
    return true;
  }
  if (last == 0) return ctx.error(expr->span, "all-wildcard strings are not supported");
  if (data[last - 1] == '\\') {
    // "eth\*": a literal asterisk.
    std::string unescaped;
    for (std::size_t i = 0; i < slen; ++i) {
      if (data[i] == '\\' && i + 1 < slen) continue;
      unescaped.push_back(data[i]);
    }
    expr = make(unescaped);
    return true;
  }
  // "eth*": a prefix match on the characters before the asterisk.
  Expr* value = make(std::string_view(data.c_str(), last));
  Expr* prefix = prefix_expr(ctx.ir, expr->span, value, static_cast<unsigned>(last * 8));
  prefix->dtype = dtype;
  prefix->flags |= kExprConstant;
  prefix->byteorder = ByteOrder::host;
  prefix->len = expr->len;
  expr = prefix;
  return true;
}

bool expr_evaluate_integer(EvalCtx& ctx, Expr*& expr) {
  if (ctx.ectx.maxval > 0 && expr->value.compare(Value(ctx.ectx.maxval)) > 0)
    return ctx.error(expr->span,
                     fmt::format("value {} exceeds valid range 0-{}", expr->value.to_decimal(), ctx.ectx.maxval));
  unsigned masklen = ctx.stmt_len > ctx.ectx.len ? ctx.stmt_len : ctx.ectx.len;
  Value mask = Value::bitmask(masklen);
  if (expr->value.compare(mask) > 0)
    return ctx.error(expr->span, fmt::format("value {} exceeds valid range 0-{}", expr->value.to_decimal(),
                                             mask.to_decimal()));
  expr->byteorder = ctx.ectx.byteorder;
  expr->len = masklen;
  return true;
}

bool expr_evaluate_value(EvalCtx& ctx, Expr*& expr) {
  switch (expr_basetype(expr)->type) {
    case TYPE_INTEGER:
      return expr_evaluate_integer(ctx, expr);
    case TYPE_STRING:
      return expr_evaluate_string(ctx, expr);
    default:
      return ctx.error(expr->span, fmt::format("unexpected datatype {}", expr->dtype->name));
  }
}

// ---------------------------------------------------------------------------
// Prefixes and ranges

bool expr_evaluate_prefix(EvalCtx& ctx, Expr*& expr) {
  Expr* prefix = expr;
  if (!expr_evaluate(ctx, prefix->left)) return false;
  Expr* base = prefix->left;
  if (!base->is_constant()) return ctx.error(prefix->span, "prefix expression is undefined for non-constant expressions");
  unsigned plen = prefix->as<PrefixData>().prefix_len;
  switch (expr_basetype(base)->type) {
    case TYPE_INTEGER:
    case TYPE_STRING:
      break;
    default:
      return ctx.error(prefix->span, fmt::format("prefix expression is undefined for {} types", base->dtype->desc));
  }
  if (plen > base->len)
    return ctx.error(prefix->span,
                     fmt::format("prefix length {} is invalid for type of {} bits width", plen, base->len));
  Value m = expr_basetype(base)->type == TYPE_INTEGER ? Value::prefixmask(base->len, plen) : Value::bitmask(plen);
  Expr* mask = constant_expr(ctx.ir, prefix->span, expr_basetype(base), ByteOrder::host, base->len, m);
  prefix->left = binop_expr(ctx.ir, prefix->span, Op::band, base, mask);
  if (!expr_evaluate(ctx, prefix->left)) return false;
  base = prefix->left;
  if (base->kind == Kind::prefix) return expr_evaluate_prefix(ctx, prefix->left);
  prefix->dtype = base->dtype;
  prefix->byteorder = base->byteorder;
  prefix->len = base->len;
  prefix->flags |= kExprConstant;
  return true;
}

bool expr_evaluate_range_side(EvalCtx& ctx, const Expr* range, Expr*& side) {
  if (!expr_evaluate(ctx, side)) return false;
  if (expr_basetype(side)->type != TYPE_INTEGER)
    return ctx.error2(side->span, range->span,
                      fmt::format("range expression is undefined for {} types", side->dtype->desc));
  if (!side->is_constant()) return ctx.error2(side->span, range->span, "range is not constant");
  return true;
}

}  // namespace

bool evaluate_range_sides(EvalCtx& ctx, Expr* range) {
  return expr_evaluate_range_side(ctx, range, range->left) && expr_evaluate_range_side(ctx, range, range->right);
}

namespace {

bool expr_evaluate_range(EvalCtx& ctx, Expr*& expr) {
  Expr* range = expr;
  if (!evaluate_range_sides(ctx, range)) return false;
  int c = range->left->value.compare(range->right->value);
  if (c > 0) return ctx.error(range->span, "range has a negative size: the first value is larger than the second");
  if (c == 0) {
    expr = range->left;
    return true;
  }
  range->dtype = range->left->dtype;
  range->flags |= kExprConstant;
  range->len = range->left->len;
  return true;
}

bool expr_evaluate_unary(EvalCtx& ctx, Expr*& expr) {
  Expr* arg = expr->left;
  expr->dtype = ctx.types.clone(arg->dtype);
  expr->byteorder = expr->op == Op::hton ? ByteOrder::big : ByteOrder::host;
  expr->len = arg->len;
  return true;
}

// ---------------------------------------------------------------------------
// Binary operations

bool constant_binop_simplify(EvalCtx& ctx, Expr*& expr) {
  Expr* op = expr;
  const Value& l = op->left->value;
  const Value& r = op->right->value;
  Value mask = Value::bitmask(op->len);
  Value val;
  switch (op->op) {
    case Op::band: val = (l & r) & mask; break;
    case Op::bxor: val = (l ^ r) & mask; break;
    case Op::bor: val = (l | r) & mask; break;
    case Op::lshift: val = l.shl(r.u32()) & mask; break;
    case Op::rshift: val = (l & mask).shr(r.u32()); break;
    default: return ctx.error(op->span, "invalid binary operation");
  }
  expr = constant_expr(ctx.ir, op->span, op->dtype, op->byteorder, op->len, val);
  return expr_evaluate(ctx, expr);
}

bool expr_evaluate_shift(EvalCtx& ctx, Expr*& expr) {
  Expr* op = expr;
  if (!op->right->value.fits_u64() || op->right->value.u64() > 0xffffffffu)
    return ctx.error2(op->right->span, op->left->span, "shifts exceeding 4294967295 bits are not supported");
  unsigned shift = op->right->value.u32();
  if (shift == 0) {
    expr = op->left;
    return true;
  }
  unsigned max_shift_len = ctx.stmt_len > op->left->len ? ctx.stmt_len : op->left->len;
  if (shift >= max_shift_len)
    return ctx.error2(op->right->span, op->left->span,
                      fmt::format("{} shift of {} bits is undefined for type of {} bits width",
                                  op->op == Op::lshift ? "left" : "right", shift, max_shift_len));
  if (!byteorder_conversion(ctx, op->left, ByteOrder::host)) return false;
  if (!byteorder_conversion(ctx, op->right, ByteOrder::host)) return false;
  op->dtype = &integer_type;
  op->byteorder = ByteOrder::host;
  op->len = max_shift_len;
  if (op->left->is_constant()) return constant_binop_simplify(ctx, expr);
  return true;
}

bool expr_evaluate_bitwise(EvalCtx& ctx, Expr*& expr) {
  Expr* op = expr;
  const Datatype* dtype;
  ByteOrder byteorder;
  unsigned max_len;
  if (ctx.stmt_len > op->left->len) {
    max_len = ctx.stmt_len;
    byteorder = ByteOrder::host;
    dtype = &integer_type;
    if (!byteorder_conversion(ctx, op->left, ByteOrder::host)) return false;
  } else {
    max_len = op->left->len;
    byteorder = op->left->byteorder;
    dtype = op->left->dtype;
  }
  if (!byteorder_conversion(ctx, op->right, byteorder)) return false;
  op->dtype = dtype;
  op->byteorder = byteorder;
  op->len = max_len;
  if (op->left->is_constant() && op->right->is_constant()) return constant_binop_simplify(ctx, expr);
  return true;
}

bool expr_evaluate_binop(EvalCtx& ctx, Expr*& expr) {
  Expr* op = expr;
  std::string_view sym = op_symbol(op->op);
  unsigned max_shift_len = ctx.ectx.len;
  if (ctx.recursion.binop >= 0xffff) return ctx.error(op->span, "binary operation limit reached");
  ctx.recursion.binop++;
  struct Guard {
    EvalCtx& c;
    ~Guard() { c.recursion.binop--; }
  } guard{ctx};

  if (!expr_evaluate(ctx, op->left)) return false;
  if (op->op == Op::lshift || op->op == Op::rshift) {
    if (op->left->len > max_shift_len) max_shift_len = op->left->len;
    ctx.ectx.set(&integer_type, op->left->byteorder, max_shift_len, 0);
  }
  if (!expr_evaluate(ctx, op->right)) return false;
  // Evaluation expects the constant on the right.
  if (op->left->is_constant() && !op->right->is_constant()) std::swap(op->left, op->right);
  Expr* left = op->left;
  Expr* right = op->right;
  switch (expr_basetype(left)->type) {
    case TYPE_INTEGER:
    case TYPE_STRING:
      break;
    default:
      return ctx.error2(left->span, op->span,
                        fmt::format("binary operation ({}) is undefined for {} types", sym, left->dtype->desc));
  }
  if (left->is_constant() && !left->is_singleton())
    return ctx.error2(left->span, op->span,
                      fmt::format("binary operation ({}) is undefined for {} expressions", sym, kind_name(left->kind)));
  if (!datatype_equal(expr_basetype(left), expr_basetype(right)))
    return ctx.error2(left->span, op->span,
                      fmt::format("binary operation ({}) with different base types ({} vs {}) is not supported", sym,
                                  expr_basetype(left)->name, expr_basetype(right)->name));
  bool ok;
  switch (op->op) {
    case Op::lshift:
    case Op::rshift:
      if (!right->is_constant())
        return ctx.error2(right->span, op->span,
                          fmt::format("right hand side of binary operation ({}) must be constant", sym));
      if (!right->is_singleton())
        return ctx.error2(left->span, op->span,
                          fmt::format("binary operation ({}) is undefined for {} expressions", sym,
                                      kind_name(right->kind)));
      ok = expr_evaluate_shift(ctx, expr);
      break;
    case Op::band:
    case Op::bxor:
    case Op::bor:
      if (left->is_constant() && !right->is_constant())
        return ctx.error2(right->span, op->span,
                          fmt::format("right hand side of binary operation ({}) must be constant", sym));
      if (right->is_constant() && !right->is_singleton())
        return ctx.error2(left->span, op->span,
                          fmt::format("binary operation ({}) is undefined for {} expressions", sym,
                                      kind_name(right->kind)));
      ok = expr_evaluate_bitwise(ctx, expr);
      break;
    default:
      return ctx.error(op->span, "invalid binary operation");
  }
  if (!ok) return false;
  if (ctx.recursion.binop == 1) {
    unsigned depth = 0;
    for (Expr* o = expr; o && o->kind == Kind::binop && o->left; o = o->left)
      if (++depth >= 16) return ctx.error(o->span, "binary operation limit 16 reached");
  }
  return true;
}

// ---------------------------------------------------------------------------
// Concatenations and lists

bool list_member_evaluate(EvalCtx& ctx, Expr*& e) {
  if (ctx.recursion.list >= 0xffff) return ctx.error(e->span, "list limit reached");
  ctx.recursion.list++;
  bool ok = expr_evaluate(ctx, e);
  ctx.recursion.list--;
  return ok;
}

bool expr_evaluate_concat(EvalCtx& ctx, Expr*& expr) {
  const Datatype* dtype = ctx.ectx.dtype;
  std::uint32_t type = dtype ? dtype->type : 0, ntype = 0;
  int off = dtype ? static_cast<int>(dtype->subtypes) : 0;
  std::uint32_t flags = kExprConstant | kExprSingleton;
  const Expr* key_ctx = nullptr;
  std::size_t key_idx = 0;
  bool have_key = false;
  if (ctx.ectx.key && ctx.ectx.key->kind == Kind::concat) {
    key_ctx = ctx.ectx.key;
    have_key = true;
  }
  bool runaway = false;
  unsigned size = 0;
  ConcatData& cd = expr->concat();
  cd.field_count = 0;
  for (Expr*& i : expr->items) {
    ByteOrder bo = ByteOrder::invalid;
    unsigned dsize = 0;
    const Datatype* tmp;
    if (runaway) return ctx.error2(expr->span, key_ctx ? key_ctx->span : Span{}, "too many concatenation components");
    if (is_ct_addr_any(i)) return ctx.error(i->span, "specify either ip or ip6 for address matching");
    if (expr->is_constant() && dtype && off == 0)
      return ctx.error2(i->span, expr->span, fmt::format("unexpected concat component, expecting {}", dtype->desc));
    const Expr* key = have_key ? key_ctx->items[key_idx] : nullptr;
    if (key) {
      tmp = key->dtype;
      dsize = key->len;
      bo = key->byteorder;
      off--;
    } else if (dtype == nullptr || off == 0) {
      tmp = &invalid_type;
    } else {
      tmp = concat_subtype_lookup(type, static_cast<unsigned>(--off));
      if (tmp == nullptr) tmp = &invalid_type;
      dsize = tmp->size;
      bo = tmp->byteorder;
    }
    ctx.ectx.set(tmp, bo, dsize, 0);
    ctx.ectx.key = i;
    if (!list_member_evaluate(ctx, i)) return false;
    switch (i->kind) {
      case Kind::range:
      case Kind::prefix:
      case Kind::range_value:
        if (ctx.recursion.list > 0) break;
        return ctx.error(i->span, fmt::format("cannot use {} in concatenation", kind_name(i->kind)));
      case Kind::verdict:
      case Kind::symbol:
      case Kind::variable:
      case Kind::list:
      case Kind::set:
      case Kind::set_ref:
      case Kind::mapping:
      case Kind::set_elem_catchall:
      case Kind::range_symbol:
        return ctx.error(i->span, fmt::format("cannot use {} in concatenation", kind_name(i->kind)));
      default:
        break;
    }
    if (i->dtype == nullptr) return ctx.error(i->span, "cannot use this in concatenation, it lacks a datatype");
    flags &= i->flags;
    if (!key && i->dtype->type == TYPE_INTEGER) {
      Datatype* clone = ctx.types.clone(i->dtype);
      clone->size = i->len;
      clone->byteorder = i->byteorder;
      i->dtype = clone;
    }
    if (dtype == nullptr && i->dtype->size == 0)
      return ctx.error2(i->span, expr->span,
                        fmt::format("can not use variable sized data types ({}) in concat expressions",
                                    i->dtype->name));
    if (dsize == 0) dsize = i->dtype->size;
    ntype = concat_subtype_add(ntype, i->dtype->type);
    if (cd.field_count < cd.field_len.size()) cd.field_len[cd.field_count++] = static_cast<std::uint8_t>(div_round_up(dsize, 8));
    size += netlink_padded_len(dsize);
    if (have_key) {
      if (key_idx + 1 >= key_ctx->items.size()) runaway = true;
      else key_idx++;
    }
    ctx.inner_desc = nullptr;
    if (size > 16 * 32)
      return ctx.error(i->span, fmt::format("concatenation of size {} exceeds maximum size of {}", size, 16 * 32));
  }
  expr->flags |= flags;
  expr->dtype = ctx.types.concat_type(ntype);
  expr->len = size;
  if (off > 0)
    return ctx.error(expr->span, fmt::format("datatype mismatch, expected {}, expression has type {}", dtype->desc,
                                             expr->dtype->desc));
  ctx.ectx.set(expr->dtype, expr->len);
  ctx.ectx.key = key_ctx ? key_ctx : expr;
  return true;
}

bool expr_evaluate_list(EvalCtx& ctx, Expr*& expr) {
  Value val;
  for (Expr*& i : expr->items) {
    if (!list_member_evaluate(ctx, i)) return false;
    if (i->kind != Kind::value) return ctx.error(i->span, "list member must be a constant value");
    if (datatype_basetype(i->dtype)->type != TYPE_BITMASK)
      return ctx.error(i->span, fmt::format("basetype of type {} is not bitmask", i->dtype->desc));
    val |= i->value;
  }
  const Datatype* d = ctx.ectx.dtype ? ctx.ectx.dtype : &invalid_type;
  expr = constant_expr(ctx.ir, expr->span, d, ByteOrder::host, ctx.ectx.len, val);
  return true;
}

// ---------------------------------------------------------------------------
// Selectors other than payload (payload and exthdr: eval_payload.cpp)

void expr_dtype_integer_compatible(EvalCtx& ctx, Expr* e) {
  if (ctx.ectx.dtype && ctx.ectx.dtype->basetype == &integer_type && ctx.ectx.len == 32) {
    e->dtype = ctx.ectx.dtype;
    e->len = ctx.ectx.len;
  }
}

bool expr_evaluate_numgen(EvalCtx& ctx, Expr* e) {
  expr_dtype_integer_compatible(ctx, e);
  const NumgenData& n = e->as<NumgenData>();
  unsigned maxval = n.mod + n.offset - 1;
  ctx.ectx.set(e->dtype, e->byteorder, e->len, maxval);
  return true;
}

bool expr_evaluate_hash(EvalCtx& ctx, Expr* e) {
  expr_dtype_integer_compatible(ctx, e);
  ctx.ectx.set(nullptr, 0);
  if (e->left && !expr_evaluate(ctx, e->left)) return false;
  const HashData& h = e->as<HashData>();
  unsigned maxval = h.mod + h.offset - 1;
  ctx.ectx.set(e->dtype, e->byteorder, e->len, maxval);
  return true;
}

bool expr_evaluate_rt(EvalCtx& ctx, Expr* rt) {
  ProtoCtx& pctx = ctx.pctx();
  RtData& r = rt->as<RtData>();
  if (r.key == NFT_RT_NEXTHOP4) {
    const ProtoDesc* desc = pctx.desc(ProtoBase::network);
    if (desc == &proto_ip) rt->dtype = &ipaddr_type;
    else if (desc == &proto_ip6) {
      r.key++;
      rt->dtype = &ip6addr_type;
    }
    rt->len = rt->dtype->size;
  }
  static const char emsg[] = "cannot determine ip protocol version, use \"ip nexthop\" or \"ip6 nexthop\" instead";
  switch (r.key) {
    case NFT_RT_NEXTHOP4:
      if (rt->dtype != &ipaddr_type) return ctx.error(rt->span, emsg);
      if (pctx.family == Family::ip6) return ctx.error(rt->span, "ip nexthop will not match");
      break;
    case NFT_RT_NEXTHOP6:
      if (rt->dtype != &ip6addr_type) return ctx.error(rt->span, emsg);
      if (pctx.family == Family::ip) return ctx.error(rt->span, "ip6 nexthop will not match");
      break;
    default:
      break;
  }
  return expr_evaluate_primary(ctx, rt);
}

bool expr_evaluate_meta(EvalCtx& ctx, Expr* meta) {
  ProtoCtx& pctx = ctx.pctx();
  switch (meta->meta().key) {
    case NFT_META_NFPROTO:
      if (pctx.family != Family::inet && (meta->flags & kExprProtocol))
        return ctx.error(meta->span, "meta nfproto is only useful in the inet family");
      break;
    case NFT_META_TIME_DAY:
      ctx.ectx.set(meta->dtype, meta->byteorder, meta->len, 6);
      return true;
    default:
      break;
  }
  return expr_evaluate_primary(ctx, meta);
}

bool expr_evaluate_socket(EvalCtx& ctx, Expr* e) {
  std::uint32_t key = e->as<SocketData>().key;
  unsigned maxval = (key == NFT_SOCKET_TRANSPARENT || key == NFT_SOCKET_WILDCARD) ? 1 : 0;
  ctx.ectx.set(e->dtype, e->byteorder, e->len, maxval);
  return true;
}

bool expr_evaluate_fib(EvalCtx& ctx, Expr* e) {
  if (e->flags & kExprBoolean) {
    e->as<FibData>().flags |= NFTA_FIB_F_PRESENT;
    e->dtype = &boolean_type;
    e->len = 8;
  }
  return expr_evaluate_primary(ctx, e);
}

bool expr_evaluate_xfrm(EvalCtx& ctx, Expr* e) {
  switch (ctx.pctx().family) {
    case Family::ip:
    case Family::ip6:
    case Family::inet:
      break;
    default:
      return ctx.error(e->span, "ipsec expression is only valid in ip/ip6/inet tables");
  }
  return expr_evaluate_primary(ctx, e);
}

bool verdict_validate_chain(EvalCtx& ctx, Expr* chain) {
  unsigned len = chain->len / 8;
  if (len > 256) return ctx.error(chain->span, fmt::format("chain name too long ({}, max 256)", len));
  if (len == 0) return ctx.error(chain->span, "chain name length 0 not allowed");
  std::string name = chain->value.to_bytes_string(len, ByteOrder::host);
  if (std::strlen(name.c_str()) < 256) return true;
  return ctx.error(chain->span, "chain name must be smaller than 256");
}

bool expr_evaluate_verdict(EvalCtx& ctx, Expr* e) {
  VerdictData& v = e->verdict();
  if ((v.verdict == kVerdictJump || v.verdict == kVerdictGoto) && v.chain && v.chain->kind == Kind::value &&
      !verdict_validate_chain(ctx, v.chain))
    return false;
  return expr_evaluate_primary(ctx, e);
}

}  // namespace

// Defined in eval_payload.cpp and eval_set.cpp.
bool expr_evaluate_payload_inner(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_exthdr(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_ct(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_set(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_set_elem(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_map(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_mapping(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_relational(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_symbol_range(EvalCtx& ctx, Expr*& expr);

bool expr_evaluate(EvalCtx& ctx, Expr*& expr) {
  switch (expr->kind) {
    case Kind::symbol: return expr_evaluate_symbol(ctx, expr);
    case Kind::set_ref: {
      Set* set = expr->set_ref().set;
      ctx.ectx.set(set->key->dtype, set->key->len);
      ctx.ectx.key = set->key;
      return true;
    }
    case Kind::value: return expr_evaluate_value(ctx, expr);
    case Kind::exthdr: return expr_evaluate_exthdr(ctx, expr);
    case Kind::verdict: return expr_evaluate_verdict(ctx, expr);
    case Kind::meta: return expr_evaluate_meta(ctx, expr);
    case Kind::socket: return expr_evaluate_socket(ctx, expr);
    case Kind::tunnel:
    case Kind::osf: return expr_evaluate_primary(ctx, expr);
    case Kind::fib: return expr_evaluate_fib(ctx, expr);
    case Kind::payload: return expr_evaluate_payload_inner(ctx, expr);
    case Kind::rt: return expr_evaluate_rt(ctx, expr);
    case Kind::ct: return expr_evaluate_ct(ctx, expr);
    case Kind::prefix: return expr_evaluate_prefix(ctx, expr);
    case Kind::range: return expr_evaluate_range(ctx, expr);
    case Kind::unary: return expr_evaluate_unary(ctx, expr);
    case Kind::binop: return expr_evaluate_binop(ctx, expr);
    case Kind::concat: return expr_evaluate_concat(ctx, expr);
    case Kind::list: return expr_evaluate_list(ctx, expr);
    case Kind::set: return expr_evaluate_set(ctx, expr);
    case Kind::set_elem: return expr_evaluate_set_elem(ctx, expr);
    case Kind::map: return expr_evaluate_map(ctx, expr);
    case Kind::mapping: return expr_evaluate_mapping(ctx, expr);
    case Kind::relational: return expr_evaluate_relational(ctx, expr);
    case Kind::numgen: return expr_evaluate_numgen(ctx, expr);
    case Kind::hash: return expr_evaluate_hash(ctx, expr);
    case Kind::xfrm: return expr_evaluate_xfrm(ctx, expr);
    case Kind::set_elem_catchall:
      if (ctx.set) expr->len = ctx.set->key->len;
      return true;
    case Kind::range_symbol: return expr_evaluate_symbol_range(ctx, expr);
    case Kind::variable:
    case Kind::invalid:
    case Kind::range_value:
      break;
  }
  return ctx.error(expr->span, fmt::format("unexpected {} expression", kind_name(expr->kind)));
}

bool byteorder_conversion(EvalCtx& ctx, Expr*& expr, ByteOrder order) {
  if (expr->byteorder == order) return true;
  if (expr->kind == Kind::concat) {
    for (Expr*& i : expr->items) {
      if (i->byteorder == ByteOrder::big) continue;
      std::uint32_t bt = expr_basetype(i)->type;
      if (bt == TYPE_STRING) continue;
      if (i->kind == Kind::value) {
        if (i->byteorder == ByteOrder::host) i->value = i->value.byteswapped(div_round_up(i->len, 8));
      } else if (div_round_up(i->len, 8) >= 2) {
        Op op = i->byteorder == ByteOrder::host && order == ByteOrder::big ? Op::hton : Op::ntoh;
        Expr* u = unary_expr(ctx.ir, i->span, op, i);
        if (!expr_evaluate(ctx, u)) return false;
        i = u;
      }
    }
    return true;
  }
  switch (expr_basetype(expr)->type) {
    case TYPE_INTEGER:
      break;
    case TYPE_STRING:
      return true;
    default:
      return ctx.error(expr->span, fmt::format("byteorder mismatch: expected {}, {} got {}",
                                               order == ByteOrder::big ? "big endian" : "host endian",
                                               kind_name(expr->kind),
                                               expr->byteorder == ByteOrder::big ? "big endian" : "host endian"));
  }
  if (expr->is_constant() || div_round_up(expr->len, 8) < 2) {
    expr->byteorder = order;
  } else {
    Op op;
    if (expr->byteorder == ByteOrder::host && order == ByteOrder::big) op = Op::hton;
    else if (expr->byteorder == ByteOrder::big && order == ByteOrder::host) op = Op::ntoh;
    else return ctx.error(expr->span, "invalid byte order conversion");
    expr = unary_expr(ctx.ir, expr->span, op, expr);
    if (!expr_evaluate(ctx, expr)) return false;
  }
  return true;
}

}  // namespace nftc::sema
