// Sets and elements as the kernel receives them (nft's mnl_nft_set_add and
// alloc_nftnl_setelem), and the intervals of a non-concatenated interval set
// split into a start element and an end element (intervals.c's
// setelem_to_interval and set_to_intervals).
#include <deque>

#include <fmt/format.h>

#include "compiler/lower/data.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/exprs.hpp"
#include "compiler/sema/intervals.hpp"

namespace nftc::lower {

using sema::Expr;
using sema::Kind;

namespace {

using sema::kNeverTimeout;
constexpr std::uint32_t kDataVerdict = 0xffffff00;  // NFT_DATA_VERDICT

std::uint32_t kernel_type(const sema::Datatype* d) {
  return d->type == sema::TYPE_VERDICT ? kDataVerdict : d->type;
}

bc::Expr stateful(const sema::Stmt* s) {
  bc::Expr x;
  x.span = s->span;
  switch (s->type) {
    case sema::StmtType::connlimit: {
      const auto& c = s->as<sema::ConnlimitStmt>();
      x.kind = bc::Connlimit{c.count, c.flags};
      break;
    }
    case sema::StmtType::counter: {
      const auto& c = s->as<sema::CounterStmt>();
      x.kind = bc::Counter{c.packets, c.bytes};
      break;
    }
    case sema::StmtType::limit: {
      const auto& l = s->as<sema::LimitStmt>();
      x.kind = bc::Limit{l.rate, l.unit, l.burst, l.type, l.flags};
      break;
    }
    case sema::StmtType::quota: {
      const auto& q = s->as<sema::QuotaStmt>();
      x.kind = bc::Quota{q.bytes, q.used, q.flags};
      break;
    }
    case sema::StmtType::last: {
      const auto& l = s->as<sema::LastStmt>();
      x.kind = bc::Last{l.set != 0, l.used};
      break;
    }
    default: throw LowerError(s->span, "only stateful statements can be attached to set elements");
  }
  return x;
}

struct ElementBuilder {
  const sema::Set& set;
  std::uint32_t flags;  // the element batch's set flags
  const ElementSink& emit;
  bc::Set* layout;      // gets the field layouts as soon as the first element gives them
  std::deque<Expr> temps;  // the closed range before the first interval, when one is needed

  void set_fields(std::vector<bc::Field>& fields, const Data& d) {
    if (!fields.empty()) return;
    fields = d.fields();
  }

  // nft's alloc_nftnl_setelem. The element's options (timeout, comment,
  // statements) are those of `opts`, the element as written.
  void element(const Expr* elem, const Expr* opts) {
    bc::SetElement el;
    el.span = elem->span;
    const Expr* k = elem->left;
    const Expr* data = nullptr;
    const Expr* key = k;
    if (k->kind == Kind::mapping) {
      if (!(k->flags & sema::kExprIntervalEnd)) data = k->right;
      key = k->left;
    }
    const bool catchall = key->kind == Kind::set_elem_catchall;
    if (!catchall) {
      if ((flags & NFT_SET_INTERVAL) && key->kind == Kind::concat &&
          key->as<sema::ConcatData>().field_count > 1) {
        Data start = gen_key(key, sema::kExprInterval);
        Data end = gen_key(key, sema::kExprIntervalEnd);
        el.key = start.bytes;
        el.key_end = end.bytes;
        if (layout != nullptr) set_fields(layout->key_fields, start);
      } else {
        Data d = gen_key(key, 0);
        el.key = d.bytes;
        if (layout != nullptr) set_fields(layout->key_fields, d);
      }
    }
    const sema::ElemData* ed = opts != nullptr && opts->kind == Kind::set_elem &&
                                       std::holds_alternative<sema::ElemData>(opts->data)
                                   ? &opts->elem()
                                   : nullptr;
    if (ed != nullptr) {
      if (ed->timeout) el.timeout_ms = ed->timeout == kNeverTimeout ? 0 : ed->timeout;
      if (ed->expiration) el.expiration_ms = ed->expiration;
      for (const sema::Stmt* s : ed->stmts) el.exprs.push_back(stateful(s));
      if (ed->has_comment) el.comment = ed->comment;
    }
    if (k->flags & sema::kExprIntervalOpen) el.interval_open = true;
    if (sema::set_is_datamap(flags) && data != nullptr) {
      Data d = gen_data(data, !(data->flags & sema::kExprSingleton));
      if (d.is_verdict) {
        el.data = d.verdict;
      } else {
        el.data = d.bytes;
        if (layout != nullptr) set_fields(layout->data_fields, d);
      }
    }
    if (sema::set_is_objmap(flags) && data != nullptr) {
      // The kernel takes the object's name as a string (NFTA_SET_ELEM_OBJREF).
      std::string name = data->value.to_bytes_string(sema::Value::kBits / 8, sema::ByteOrder::host);
      if (auto nul = name.find('\0'); nul != std::string::npos) name.resize(nul);
      el.data = bc::ObjectName{std::move(name)};
    }
    if (k->flags & sema::kExprIntervalEnd) el.flags |= NFT_SET_ELEM_INTERVAL_END;
    if (catchall) el.flags |= NFT_SET_ELEM_CATCHALL;
    emit(std::move(el));
  }

  // A set element whose key is `key` (options come separately, see element()).
  static Expr make_elem(const Expr* key) {
    Expr e;
    e.kind = Kind::set_elem;
    e.span = key->span;
    e.left = const_cast<Expr*>(key);
    return e;
  }

  Expr constant(const sema::Value& v, Span span) const {
    Expr c;
    c.kind = Kind::value;
    c.span = span;
    c.dtype = set.key->dtype;
    c.byteorder = sema::ByteOrder::big;
    c.len = set.key->len;
    c.value = v;
    c.flags = sema::kExprConstant | sema::kExprSingleton;
    return c;
  }

  // nft's setelem_to_interval: the start element, and the end element
  // unless the next interval starts right after this one or it runs to the
  // end of the key space. The start and end expressions live on the stack:
  // element() keeps nothing of them.
  void interval(const Expr* elem, const Expr* next) {
    const Expr* k = elem->left;
    const Expr* key = k->kind == Kind::mapping ? k->left : k;
    if (key->kind == Kind::set_elem_catchall) return element(elem, elem);
    const Expr* next_key = nullptr;
    if (next != nullptr) {
      next_key = next->left->kind == Kind::mapping ? next->left->left : next->left;
      if (next_key->kind == Kind::set_elem_catchall) next_key = nullptr;
    }
    if (key->kind != Kind::range_value || (next_key && next_key->kind != Kind::range_value))
      throw LowerError(key->span, "an interval element was not normalised to a range");
    const sema::Value& low_v = key->value;
    const sema::Value& high_v = key->as<sema::RangeValueData>().high;
    bool adjacent = false;
    if (!(k->flags & sema::kExprIntervalEnd) && next_key != nullptr)
      adjacent = high_v.add_u64(1).truncated(set.key->len) == next_key->value;

    Expr low = constant(low_v, key->span);
    Expr low_map;
    Expr* low_key = &low;
    if (k->kind == Kind::mapping) {
      low_map = *k;
      low_map.left = &low;
      low_map.flags &= ~(sema::kExprIntervalEnd | sema::kExprIntervalOpen);
      low_key = &low_map;
    }
    Expr low_elem = make_elem(low_key);
    if (adjacent) return element(&low_elem, elem);
    if (low_v.is_zero() && (k->flags & sema::kExprIntervalEnd)) {
      low_key->flags |= sema::kExprIntervalEnd;
      return element(&low_elem, elem);
    }
    if (high_v.scan0(0) == set.key->len) {
      low_key->flags |= sema::kExprIntervalOpen;
      return element(&low_elem, elem);
    }
    element(&low_elem, elem);
    Expr high = constant(high_v.add_u64(1), key->span);
    high.flags |= sema::kExprIntervalEnd;
    Expr high_elem = make_elem(&high);
    element(&high_elem, nullptr);
  }
};

bool non_concat_range(const sema::Set& set) {
  return (set.flags & NFT_SET_INTERVAL) && !(set.flags & NFT_SET_CONCAT);
}

// nft's segtree_needs_first_segment.
bool needs_first_segment(const sema::Set& set, const Expr* init, bool add) {
  if (!add) return false;
  return set.anonymous() || (set.init && set.init->items.empty()) || (set.init == nullptr && init) ||
         set.init == init;
}

}  // namespace

void lower_elements(const sema::Set& set, const Expr* init, bool add, bc::Set* layout, const ElementSink& emit) {
  if (init == nullptr) return;
  std::uint32_t flags = set.flags;
  if (std::holds_alternative<sema::SetExprData>(init->data)) flags |= init->as<sema::SetExprData>().set_flags;
  if (layout != nullptr) {
    layout->key_fields.clear();
    layout->data_fields.clear();
  }
  ElementBuilder b{set, flags, emit, layout, {}};
  if (!non_concat_range(set)) {
    for (const Expr* e : init->items) b.element(e, e);
    return;
  }
  // The range from zero to the first interval, closed, so that lookups of
  // keys below it fail (nft's set_to_intervals).
  if (needs_first_segment(set, init, add)) {
    for (const Expr* i : init->items) {
      const Expr* key = i->left->kind == Kind::mapping ? i->left->left : i->left;
      if (key->kind == Kind::set_elem_catchall) continue;
      if (key->kind == Kind::range_value && !key->value.is_zero()) {
        Expr r;
        r.kind = Kind::range_value;
        r.dtype = set.key->dtype;
        r.byteorder = set.key->byteorder;
        r.len = set.key->len;
        r.as<sema::RangeValueData>();
        r.flags = sema::kExprIntervalEnd;
        Expr* root = &b.temps.emplace_back(ElementBuilder::make_elem(&b.temps.emplace_back(std::move(r))));
        b.interval(root, set.anonymous() ? init->items.front() : nullptr);
      }
      break;
    }
  }
  const auto& items = init->items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Expr* next = set.anonymous() && i + 1 < items.size() ? items[i + 1] : nullptr;
    b.interval(items[i], next);
  }
}

std::vector<bc::SetElement> lower_elements(const sema::Set& set, const Expr* init, bool add, bc::Set* layout) {
  std::vector<bc::SetElement> out;
  if (init != nullptr) out.reserve(init->items.size());
  lower_elements(set, init, add, layout, [&](bc::SetElement&& el) { out.push_back(std::move(el)); });
  return out;
}

bc::Set lower_set(LowerContext& ctx, const sema::Set& set) {
  bc::Set out;
  out.name = set.name;
  out.table = set.table;
  out.family = static_cast<std::uint32_t>(set.family);
  out.id = ctx.set_id(&set);
  out.flags = set.flags;
  out.span = set.span;
  if (set.key != nullptr) {
    out.key_type = kernel_type(set.key->dtype);
    out.key_len = sema::div_round_up(set.key->len, 8);
  }
  if (sema::set_is_datamap(set.flags) && set.data != nullptr) {
    out.data_type = kernel_type(set.data->dtype);
    out.data_len = sema::div_round_up(set.data->len, 8);
  }
  if (sema::set_is_objmap(set.flags)) out.obj_type = set.objtype;
  if (set.timeout) out.timeout_ms = set.timeout;
  if (set.gc_int) out.gc_interval_ms = static_cast<std::uint32_t>(set.gc_int);
  if (!(set.flags & NFT_SET_CONSTANT)) {
    if (set.has_policy && set.policy != NFT_SET_POL_PERFORMANCE) out.policy = set.policy;
    if (set.size != 0) out.size = set.size;
  }
  for (const sema::Stmt* s : set.stmts) out.exprs.push_back(stateful(s));
  if (set.anonymous() && set.init != nullptr) out.elements = lower_elements(set, set.init, true, &out);
  return out;
}

}  // namespace nftc::lower
