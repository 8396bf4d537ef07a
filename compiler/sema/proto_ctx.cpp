// The protocol context (nft's proto_ctx) and rule post-processing: merging
// adjacent payload matches into one load (nft's stmt_reduce), which both
// the bytecode and the offload analysis depend on.
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter.h>

#include <algorithm>

#include "compiler/sema/analyzer.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::sema {

void ProtoCtx::init(Family f, bool inner_ctx) {
  *this = ProtoCtx{};
  family = f;
  inner = inner_ctx;
  const HookProtoDesc& h = hook_proto_desc(f);
  protocol[size_t(h.base)].desc = h.desc;
}

void ProtoCtx::update(ProtoBase base, Span loc, const ProtoDesc* d) {
  Base& b = protocol[size_t(base)];
  if (base == ProtoBase::transport && b.num_protos < kProtoCtxNumProtos) {
    bool found = false;
    for (unsigned i = 0; i < b.num_protos; i++)
      if (b.protos[i].desc == d) found = true;
    if (!found) {
      b.protos[b.num_protos].desc = d;
      b.protos[b.num_protos].location = loc;
      b.num_protos++;
    }
  }
  b.location = loc;
  b.desc = d;
}

const ProtoDesc* ProtoCtx::find_conflict(ProtoBase base, const ProtoDesc* d) const {
  const Base& b = protocol[size_t(base)];
  switch (base) {
    case ProtoBase::ll:
    case ProtoBase::network:
      if (d != b.desc) return b.desc;
      break;
    case ProtoBase::transport:
      for (unsigned i = 0; i < b.num_protos; i++)
        if (d != b.protos[i].desc) return b.protos[i].desc;
      break;
    default:
      break;
  }
  return nullptr;
}

namespace {

void payload_pctx_update(ProtoCtx& ctx, Span loc, const Expr* left, const Expr* right) {
  std::uint32_t proto = static_cast<std::uint32_t>(export_u64(right->value, right->len, right->byteorder));
  const ProtoDesc* base = ctx.desc(left->payload().base);
  const ProtoDesc* desc = proto_find_upper(base, proto);
  if (desc == nullptr) {
    if (base == &proto_icmp) {
      // Type 0 is echo-reply: pretend echo, a zero means "not set".
      ctx.icmp_type = proto ? static_cast<std::uint8_t>(proto) : 8;
    } else if (base == &proto_icmp6) {
      if (proto == 129) proto = 128;
      ctx.icmp_type = static_cast<std::uint8_t>(proto);
    }
    return;
  }
  if (desc->base == base->base && !left->payload().is_raw && desc->base == ProtoBase::ll &&
      ctx.stacked_ll_count < kProtoCtxNumProtos) {
    ctx.stacked_ll[ctx.stacked_ll_count++] = base;
  }
  ctx.update(desc->base, loc, desc);
}

void meta_pctx_update(ProtoCtx& ctx, Span loc, const Expr* left, const Expr* right) {
  const HookProtoDesc& h = hook_proto_desc(ctx.family);
  const ProtoDesc* desc;
  switch (left->meta().key) {
    case NFT_META_IIFTYPE:
      if (h.base < ProtoBase::network && ctx.family != Family::inet && ctx.family != Family::netdev) return;
      desc = proto_dev_desc(static_cast<std::uint16_t>(right->value.u32()));
      if (desc == nullptr) desc = &proto_unknown;
      ctx.update(ProtoBase::ll, loc, desc);
      break;
    case NFT_META_NFPROTO: {
      std::uint8_t protonum = static_cast<std::uint8_t>(right->value.u32());
      if (protonum == NFPROTO_IPV4 && h.desc == &proto_ip) break;
      if (protonum == NFPROTO_IPV6 && h.desc == &proto_ip6) break;
      desc = proto_find_upper(h.desc, protonum);
      if (desc == nullptr) {
        desc = &proto_unknown;
        if (protonum == static_cast<std::uint8_t>(ctx.family) && h.base == ProtoBase::network) desc = h.desc;
      }
      ctx.update(ProtoBase::network, loc, desc);
      break;
    }
    case NFT_META_L4PROTO:
      desc = proto_find_upper(&proto_inet_service, right->value.u32() & 0xff);
      if (desc == nullptr) desc = &proto_unknown;
      ctx.update(ProtoBase::transport, loc, desc);
      break;
    case NFT_META_PROTOCOL: {
      if (h.base != ProtoBase::ll) return;
      if (ctx.family != Family::netdev && ctx.family != Family::bridge) return;
      std::uint16_t v = static_cast<std::uint16_t>(right->value.u32());
      std::uint16_t htons_v = static_cast<std::uint16_t>((v >> 8) | (v << 8));
      // nft looks the link number up as ntohs(mpz_get_uint16(value)).
      desc = proto_find_upper(h.desc, htons_v);
      if (desc == nullptr) desc = &proto_unknown;
      ctx.update(ProtoBase::network, loc, desc);
      break;
    }
    default:
      break;
  }
}

void ct_pctx_update(ProtoCtx& ctx, Span loc, const Expr* left, const Expr* right) {
  std::uint32_t nhproto = right->value.u32();
  const ProtoDesc* base = ctx.desc(left->ct().base);
  if (!base) return;
  const ProtoDesc* desc = proto_find_upper(base, nhproto);
  if (!desc) return;
  ctx.update(static_cast<ProtoBase>(static_cast<int>(left->ct().base) + 1), loc, desc);
}

void pctx_update(ProtoCtx& ctx, Span loc, const Expr* left, const Expr* right) {
  switch (left->kind) {
    case Kind::payload: payload_pctx_update(ctx, loc, left, right); break;
    case Kind::meta: meta_pctx_update(ctx, loc, left, right); break;
    case Kind::ct: ct_pctx_update(ctx, loc, left, right); break;
    default: break;
  }
}

}  // namespace

void relational_pctx_update(ProtoCtx& pctx, const Expr* rel) {
  const Expr* left = rel->left;
  const Expr* right = rel->right;
  bool has_update = left->kind == Kind::payload || left->kind == Kind::meta || left->kind == Kind::ct;
  if (!has_update || !(left->flags & kExprProtocol)) return;
  if (right->is_singleton()) {
    pctx_update(pctx, rel->span, left, right);
  } else if (right->kind == Kind::set) {
    for (const Expr* i : right->items)
      if (i->left && i->left->kind == Kind::value) pctx_update(pctx, rel->span, left, i->left);
  } else if (left->kind == Kind::meta && right->kind == Kind::set_ref) {
    const Expr* key = right->set_ref().set->key;
    Expr tmp;
    tmp.kind = Kind::value;
    tmp.dtype = key->dtype;
    tmp.byteorder = key->byteorder;
    tmp.len = key->len;
    pctx_update(pctx, rel->span, left, &tmp);
  }
}

// ---------------------------------------------------------------------------
// Payload merging

namespace {

bool payload_is_adjacent(const Expr* e1, const Expr* e2) {
  return e1->payload().base == e2->payload().base && e1->payload().offset + e1->len == e2->payload().offset;
}

bool payload_can_merge(const Expr* e1, const Expr* e2) {
  if (e1->payload().inner_desc != e2->payload().inner_desc) return false;
  if (!payload_is_adjacent(e1, e2)) return false;
  if (e1->payload().offset % 8 || e1->len % 8 || e2->payload().offset % 8 || e2->len % 8) return false;
  unsigned total = e1->len + e2->len;
  if (total < e1->len || total > 16 * 8) return false;
  if (total <= 4 * 8) return true;                       // still a fast-path load
  if (e1->payload().base == ProtoBase::ll) return true;  // link layer is never fast-path
  return e1->len > 4 * 8 || e2->len > 4 * 8;
}

Op rel_op(const Expr* e) { return e->op == Op::implicit ? Op::eq : e->op; }

Expr* constant_expr_join(IrArena& ir, const Expr* e1, const Expr* e2) {
  std::string data = e1->value.to_bytes_string(div_round_up(e1->len, 8), e1->byteorder) +
                     e2->value.to_bytes_string(div_round_up(e2->len, 8), e2->byteorder);
  return constant_expr(ir, e1->span.merge(e2->span.file == e1->span.file ? e2->span : e1->span), &invalid_type,
                       ByteOrder::big, e1->len + e2->len,
                       Value::from_bytes(std::span<const std::uint8_t>(
                                             reinterpret_cast<const std::uint8_t*>(data.data()), data.size()),
                                         ByteOrder::big));
}

void payload_do_merge(EvalCtx& ctx, std::vector<Stmt*>& sa, std::vector<Stmt*>& stmts) {
  std::stable_sort(sa.begin(), sa.end(), [](const Stmt* a, const Stmt* b) {
    const PayloadData& pa = a->expr->left->payload();
    const PayloadData& pb = b->expr->left->payload();
    if (pa.base != pb.base) return pa.base < pb.base;
    return pa.offset < pb.offset;
  });
  std::size_t j = 0;
  Expr* last = sa[0]->expr;
  for (std::size_t i = 1; i < sa.size(); i++) {
    Stmt* stmt = sa[i];
    Expr* self = stmt->expr;
    if (!payload_can_merge(last->left, self->left) || rel_op(last) != rel_op(self)) {
      last = self;
      j = i;
      continue;
    }
    Expr* e1 = payload_expr(ctx.ir, last->left->span, nullptr, 0);
    e1->payload().base = last->left->payload().base;
    e1->payload().offset = last->left->payload().offset;
    e1->len = last->left->len + self->left->len;
    e1->payload().inner_desc = last->left->payload().inner_desc;
    e1->span = last->left->span.file == self->left->span.file ? last->left->span.merge(self->left->span)
                                                              : last->left->span;
    Expr* e2 = constant_expr_join(ctx.ir, last->right, self->right);
    // Keep the statement that carries a protocol key, so that the header is
    // known before it is used (ether type ip ether saddr … ip saddr …).
    if (self->left->flags & kExprProtocol) {
      std::swap(last, self);
      e1->flags |= kExprProtocol;
      stmt = sa[j];
      j = i;
    }
    last->left = e1;
    last->right = e2;
    stmts.erase(std::find(stmts.begin(), stmts.end(), stmt));
  }
}

}  // namespace

bool payloads_merge(const Expr* a, const Expr* b) {
  return a && b && a->kind == Kind::payload && b->kind == Kind::payload && payload_can_merge(a, b);
}

bool rule_postprocess(EvalCtx& ctx, Rule* rule) {
  std::vector<Stmt*>& stmts = rule->stmts;
  // nft merges adjacent payload matches into one longer load, which the
  // kernel cannot offload (a load may not exceed the field it matches): in
  // hardware-offload chains nftc keeps one load per field.
  const bool merge = !(rule->chain && (rule->chain->flags & NFT_CHAIN_HW_OFFLOAD));
  std::vector<Stmt*> sa;
  std::vector<Stmt*> redundant;
  for (std::size_t k = 0; k < stmts.size(); ++k) {
    Stmt* stmt = stmts[k];
    if (stmt->type != StmtType::expression) {
      if (merge && sa.size() >= 2) payload_do_merge(ctx, sa, stmts);
      sa.clear();
      // The merge may have removed statements before this one.
      k = static_cast<std::size_t>(std::find(stmts.begin(), stmts.end(), stmt) - stmts.begin());
      continue;
    }
    Expr* e = stmt->expr;
    if (e->kind != Kind::relational || e->right->kind != Kind::value) continue;
    if (e->left->kind == Kind::payload) {
      if (e->op == Op::eq || e->op == Op::implicit) sa.push_back(stmt);
    } else if (e->left->kind == Kind::meta && (e->op == Op::eq || e->op == Op::implicit)) {
      // `meta protocol ip` is redundant in an ip table.
      if (e->left->meta().key == NFT_META_PROTOCOL && !e->left->meta().inner_desc) {
        std::uint16_t protocol = static_cast<std::uint16_t>(e->right->value.u32());
        if ((rule->chain && rule->chain->family == Family::ip && protocol == 0x0800) ||
            (rule->chain && rule->chain->family == Family::ip6 && protocol == 0x86dd))
          redundant.push_back(stmts.size() > k + 1 ? stmt : nullptr);
      }
    }
  }
  if (merge && sa.size() > 1) payload_do_merge(ctx, sa, stmts);
  // nft deletes a redundant statement only when another statement follows.
  for (Stmt* r : redundant)
    if (r) stmts.erase(std::find(stmts.begin(), stmts.end(), r));
  return true;
}

}  // namespace nftc::sema
