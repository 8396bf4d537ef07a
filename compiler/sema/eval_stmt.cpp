// Statement evaluation (nft's evaluate.c, statement part).
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <linux/netfilter.h>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

bool payload_evaluate_dependencies(EvalCtx& ctx, Expr* expr);
bool exthdr_evaluate_common(EvalCtx& ctx, Expr*& exprp);
bool expr_evaluate_payload_inner(EvalCtx& ctx, Expr*& expr);
bool binop_transfer(EvalCtx& ctx, Expr*& expr);
bool expr_evaluate_map(EvalCtx& ctx, Expr*& expr);
bool elems_evaluate(EvalCtx& ctx, Set* set);

namespace {

bool stmt_error_range(EvalCtx& ctx, const Stmt* stmt, const Expr* e) {
  return ctx.error2(e->span, stmt->span, fmt::format("{}: range argument not supported", stmt_type_name(stmt->type)));
}

// `meta mark set 10.0.0.0/8`-like prefixes become the range they cover.
bool stmt_prefix_conversion(EvalCtx& ctx, Expr*& expr) {
  Expr* prefix = expr;
  Expr* base = prefix->left;
  if (base->kind != Kind::value)
    return ctx.error(prefix->span, fmt::format("you cannot specify a prefix here, unknown type {}", base->dtype->name));
  if (!base->is_constant()) return ctx.error(prefix->span, "prefix expression is undefined for non-constant expressions");
  if (expr_basetype(base)->type != TYPE_INTEGER) return ctx.error(prefix->span, "prefix expression expected integer value");
  unsigned plen = prefix->as<PrefixData>().prefix_len;
  Expr* m1 = constant_expr(ctx.ir, prefix->span, expr_basetype(base), ByteOrder::host, base->len,
                           Value::prefixmask(base->len, plen));
  Expr* band = binop_expr(ctx.ir, prefix->span, Op::band, base, m1);
  Expr* m2 = constant_expr(ctx.ir, prefix->span, expr_basetype(base), ByteOrder::host, base->len,
                           Value::bitmask(prefix->len - plen));
  Expr* bor = binop_expr(ctx.ir, prefix->span, Op::bor, ctx.ir.clone(base), m2);
  Expr* range = range_expr(ctx.ir, prefix->span, band, bor);
  if (!expr_evaluate(ctx, range)) return false;
  expr = range;
  return true;
}

bool stmt_evaluate_arg_checks(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder byteorder,
                              Expr*& expr) {
  if (expr->kind == Kind::payload && expr->dtype->type == TYPE_INTEGER &&
      (expr->dtype->type != datatype_basetype(dtype)->type || expr->len != len))
    return ctx.error2(expr->span, stmt->span,
                      fmt::format("datatype mismatch: expected {}, expression has type {} with length {}",
                                  dtype->desc, expr->dtype->desc, expr->len));
  if (!datatype_compatible(dtype, expr->dtype))
    return ctx.error2(expr->span, stmt->span, fmt::format("datatype mismatch: expected {}, expression has type {}",
                                                          dtype->desc, expr->dtype->desc));
  if (dtype->type == TYPE_MARK && datatype_equal(datatype_basetype(dtype), datatype_basetype(expr->dtype)) &&
      !expr->is_constant())
    return byteorder_conversion(ctx, expr, byteorder);
  switch (expr->kind) {
    case Kind::set:
      return ctx.error2(expr->span, stmt->span, "you cannot use a set here, unknown value to use");
    case Kind::set_ref:
      return ctx.error2(expr->span, stmt->span, "you cannot reference a set here, unknown value to use");
    case Kind::rt:
      return byteorder_conversion(ctx, expr, byteorder);
    case Kind::prefix:
      return stmt_prefix_conversion(ctx, expr);
    case Kind::numgen:
      if (dtype->type == TYPE_IPADDR) return byteorder_conversion(ctx, expr, byteorder);
      break;
    default:
      break;
  }
  return true;
}

bool stmt_evaluate_arg(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder byteorder,
                       Expr*& expr) {
  ctx.ectx.set(dtype, byteorder, len, 0);
  if (!expr_evaluate(ctx, expr)) return false;
  return stmt_evaluate_arg_checks(ctx, stmt, dtype, len, byteorder, expr);
}

// Like stmt_evaluate_arg, keeping the context (the set key, for typeof sets).
bool stmt_evaluate_key(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder byteorder,
                       Expr*& expr) {
  if (!expr_evaluate(ctx, expr)) return false;
  return stmt_evaluate_arg_checks(ctx, stmt, dtype, len, byteorder, expr);
}

bool stmt_evaluate_verdict(EvalCtx& ctx, Stmt* stmt) {
  if (!stmt_evaluate_arg(ctx, stmt, &verdict_type, 0, ByteOrder::invalid, stmt->expr)) return false;
  switch (stmt->expr->kind) {
    case Kind::verdict: {
      VerdictData& v = stmt->expr->verdict();
      if (v.verdict != kVerdictContinue) stmt->flags |= kStmtTerminal;
      if (v.chain != nullptr) {
        if (!stmt_evaluate_arg(ctx, stmt, &string_type, 0, ByteOrder::invalid, v.chain)) return false;
        if (v.chain->kind != Kind::value) return ctx.error(v.chain->span, "not a value expression");
        unsigned len = v.chain->len / 8;
        if (len > 256) return ctx.error(v.chain->span, fmt::format("chain name too long ({}, max 256)", len));
        if (len == 0) return ctx.error(v.chain->span, "chain name length 0 not allowed");
      }
      return true;
    }
    case Kind::map:
      return true;
    default:
      return ctx.error(stmt->span, fmt::format("invalid verdict expression {}", kind_name(stmt->expr->kind)));
  }
}

bool payload_needs_csum(const Expr* p) {
  if (p->payload().base == ProtoBase::inner) return true;
  const ProtoDesc* d = p->payload().desc;
  return d && d->checksum_key;
}

bool payload_is_vlan(const Expr* p) { return p->payload().base == ProtoBase::ll && p->payload().desc == &proto_vlan; }

std::uint8_t offset_shift(const Expr* e, unsigned offset, unsigned& extra_len) {
  unsigned new_offset = offset % 8;
  unsigned len = round_up(e->len, 8);
  int shift = static_cast<int>(len) - static_cast<int>(new_offset + e->len);
  while (shift < 0) {
    shift += 8;
    extra_len += 8;
  }
  return static_cast<std::uint8_t>(shift);
}

bool stmt_evaluate_payload(EvalCtx& ctx, Stmt* stmt) {
  PayloadStmt& ps = stmt->as<PayloadStmt>();
  if (ps.expr->payload().inner_desc)
    return ctx.error(ps.expr->span, "payload statement for this expression is not supported");
  if (!payload_evaluate_dependencies(ctx, ps.expr)) return false;
  Expr* payload = ps.expr;
  if (!stmt_evaluate_arg(ctx, stmt, payload->dtype, payload->len, payload->byteorder, ps.val)) return false;
  if (!ps.val->is_constant() && !byteorder_conversion(ctx, ps.val, payload->byteorder)) return false;
  if (ps.val->kind == Kind::range) return stmt_error_range(ctx, stmt, ps.val);
  bool aligned_fetch = payload_needs_csum(payload) || payload_is_vlan(payload);
  if (!payload_needs_adjustment(payload)) {
    // Checksum updates cannot deal with odd lengths: widen the store.
    if (!aligned_fetch || ((payload->len / 8) & 1) == 0) return true;
  }
  unsigned byte_offset = payload->payload().offset / 8;
  unsigned extra_len = 0;
  unsigned shift_imm = offset_shift(payload, payload->payload().offset, extra_len);
  unsigned byte_size = div_round_up(payload->len + extra_len, 8);
  if (byte_size > 16)
    return ctx.error(ps.expr->span, fmt::format("uneven load cannot span more than 16 bytes, got {}", byte_size));
  if (aligned_fetch && (byte_size & 1)) {
    byte_size++;
    if (byte_offset & 1) byte_offset--;  // prefer a 16-bit aligned fetch
    else shift_imm += 8;
  }
  switch (ps.val->kind) {
    case Kind::value:
      if (shift_imm) ps.val->value = ps.val->value.shl(shift_imm);
      break;
    case Kind::binop: {
      Expr* e = ps.val;
      while (e->left->kind == Kind::binop) e = e->left;
      if (e->left->kind != Kind::payload) break;
      if (!payload_expr_equal(payload, e->left)) break;
      // Adjust the payload to fetch whole bytes.
      e->left->payload().offset = byte_offset * 8;
      e->left->len = byte_size * 8;
      e->left->payload().is_raw = true;
      if (e->right->kind != Kind::value)
        return ctx.error(e->right->span, "payload statement for this expression is not supported");
      if (shift_imm) e->right->value = e->right->value.shl(shift_imm);
      if (e->op == Op::band) {
        unsigned masklen = byte_size * 8;
        Value bitmask = Value::bitmask(payload->len).shl(shift_imm) ^ Value::bitmask(masklen);
        e->right->value = e->right->value | bitmask;
      }
      ps.expr = ctx.ir.clone(e->left);
      ctx.stmt_len = ps.expr->len;
      return expr_evaluate(ctx, ps.val);
    }
    default:
      return ctx.error(ps.val->span, "payload statement for this expression is not supported");
  }
  unsigned masklen = byte_size * 8;
  Value bitmask = Value::bitmask(payload->len).shl(shift_imm) ^ Value::bitmask(masklen);
  // nft exports the mask in the payload's byte order and reimports it.
  std::string data = bitmask.to_bytes_string(byte_size, payload->byteorder);
  Expr* mask = constant_expr(ctx.ir, payload->span, expr_basetype(payload), payload->byteorder, masklen,
                             Value::from_bytes(std::span<const std::uint8_t>(
                                                   reinterpret_cast<const std::uint8_t*>(data.data()), data.size()),
                                               payload->byteorder));
  Expr* bytes = payload_expr(ctx.ir, payload->span, nullptr, 0);
  payload_init_raw(bytes, payload->payload().base, byte_offset * 8, byte_size * 8);
  bytes->payload().is_raw = true;
  bytes->payload().desc = payload->payload().desc;
  bytes->byteorder = payload->byteorder;
  payload->len = bytes->len;
  payload->payload().offset = bytes->payload().offset;
  Expr* band = binop_expr(ctx.ir, payload->span, Op::band, bytes, mask);
  band->dtype = bytes->dtype;
  band->byteorder = bytes->byteorder;
  band->len = bytes->len;
  Expr* bxor = binop_expr(ctx.ir, payload->span, Op::bxor, band, ps.val);
  bxor->dtype = payload->dtype;
  bxor->byteorder = payload->byteorder;
  bxor->len = mask->len;
  ps.val = bxor;
  return expr_evaluate(ctx, ps.val);
}

bool stmt_evaluate_exthdr(EvalCtx& ctx, Stmt* stmt) {
  ExthdrStmt& es = stmt->as<ExthdrStmt>();
  if (!exthdr_evaluate_common(ctx, es.expr)) return false;
  Expr* exthdr = es.expr;
  if (!stmt_evaluate_arg(ctx, stmt, exthdr->dtype, exthdr->len, ByteOrder::big, es.val)) return false;
  if (es.val->kind == Kind::range) return stmt_error_range(ctx, stmt, es.val);
  return true;
}

bool stmt_evaluate_meta(EvalCtx& ctx, Stmt* stmt) {
  MetaStmt& ms = stmt->as<MetaStmt>();
  const KeyTemplate* tmpl = meta_template(ms.key);
  if (tmpl == nullptr) return ctx.error(stmt->span, "unknown meta key");
  ctx.stmt_len = tmpl->len;
  if (!stmt_evaluate_arg(ctx, stmt, tmpl->dtype, tmpl->len, tmpl->byteorder, ms.expr)) return false;
  if (ms.expr->kind == Kind::range) return stmt_error_range(ctx, stmt, ms.expr);
  return true;
}

bool stmt_evaluate_ct(EvalCtx& ctx, Stmt* stmt) {
  CtStmt& cs = stmt->as<CtStmt>();
  const KeyTemplate* tmpl = ct_template(cs.key);
  if (tmpl == nullptr) return ctx.error(stmt->span, "unknown ct key");
  ctx.stmt_len = tmpl->len;
  if (!stmt_evaluate_arg(ctx, stmt, tmpl->dtype, tmpl->len, tmpl->byteorder, cs.expr)) return false;
  if (cs.key == NFT_CT_SECMARK && cs.expr->is_constant())
    return ctx.error(stmt->span, "ct secmark must not be set to constant value");
  if (cs.expr->kind == Kind::range) return stmt_error_range(ctx, stmt, cs.expr);
  return true;
}

}  // namespace

bool stmt_evaluate_stateful(EvalCtx& ctx, Stmt* stmt, std::string_view name) {
  if (!stmt_evaluate(ctx, stmt)) return false;
  if (!(stmt->flags & kStmtStateful))
    return ctx.error(stmt->span, fmt::format("{} statement must be stateful", name));
  return true;
}

// Defined in eval_stmt2.cpp.
bool stmt_evaluate_reject(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_nat(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_tproxy(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_dup(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_fwd(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_queue(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_log(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_set(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_map(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_meter(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_objref(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_synproxy(EvalCtx& ctx, Stmt* stmt);
bool stmt_evaluate_chain(EvalCtx& ctx, Stmt* stmt);

// Shared with eval_stmt2.cpp.
bool stmt_arg(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr) {
  return stmt_evaluate_arg(ctx, stmt, dtype, len, bo, expr);
}
bool stmt_arg_checks(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr) {
  return stmt_evaluate_arg_checks(ctx, stmt, dtype, len, bo, expr);
}
bool stmt_key(EvalCtx& ctx, Stmt* stmt, const Datatype* dtype, unsigned len, ByteOrder bo, Expr*& expr) {
  return stmt_evaluate_key(ctx, stmt, dtype, len, bo, expr);
}
bool stmt_range_error(EvalCtx& ctx, const Stmt* stmt, const Expr* e) { return stmt_error_range(ctx, stmt, e); }

bool stmt_evaluate(EvalCtx& ctx, Stmt* stmt) {
  ctx.stmt_len = 0;
  switch (stmt->type) {
    case StmtType::connlimit:
    case StmtType::counter:
    case StmtType::last:
    case StmtType::limit:
    case StmtType::quota:
      stmt->flags |= kStmtStateful;
      return true;
    case StmtType::flow_offload:
      return ctx.an.check_flowtable(ctx, stmt);
    case StmtType::notrack:
    case StmtType::xt:
      return true;
    case StmtType::expression:
      ctx.ectx.reset();
      return expr_evaluate(ctx, stmt->expr);
    case StmtType::verdict:
      return stmt_evaluate_verdict(ctx, stmt);
    case StmtType::payload:
      return stmt_evaluate_payload(ctx, stmt);
    case StmtType::exthdr:
      return stmt_evaluate_exthdr(ctx, stmt);
    case StmtType::meter:
      return stmt_evaluate_meter(ctx, stmt);
    case StmtType::meta:
      return stmt_evaluate_meta(ctx, stmt);
    case StmtType::ct:
      return stmt_evaluate_ct(ctx, stmt);
    case StmtType::log:
      return stmt_evaluate_log(ctx, stmt);
    case StmtType::reject:
      return stmt_evaluate_reject(ctx, stmt);
    case StmtType::nat:
      return stmt_evaluate_nat(ctx, stmt);
    case StmtType::tproxy:
      return stmt_evaluate_tproxy(ctx, stmt);
    case StmtType::queue:
      return stmt_evaluate_queue(ctx, stmt);
    case StmtType::dup:
      return stmt_evaluate_dup(ctx, stmt);
    case StmtType::fwd:
      return stmt_evaluate_fwd(ctx, stmt);
    case StmtType::set:
      return stmt_evaluate_set(ctx, stmt);
    case StmtType::objref:
      return stmt_evaluate_objref(ctx, stmt);
    case StmtType::map:
      return stmt_evaluate_map(ctx, stmt);
    case StmtType::synproxy:
      return stmt_evaluate_synproxy(ctx, stmt);
    case StmtType::chain:
      return stmt_evaluate_chain(ctx, stmt);
    case StmtType::optstrip:
      return expr_evaluate(ctx, stmt->as<OptstripStmt>().expr);
    case StmtType::invalid:
      break;
  }
  return ctx.error(stmt->span, "unknown statement");
}

}  // namespace nftc::sema
