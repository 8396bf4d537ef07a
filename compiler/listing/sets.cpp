// Sets read back from the kernel (nft's netlink_delinearize_set and
// netlink_delinearize_setelem) and their elements put back together:
// sorted, or intervals rebuilt from start and end elements (segtree.c's
// interval_map_decompose and concat_range_aggregate).
#include <linux/netfilter/nf_tables.h>

#include <algorithm>

#include "compiler/listing/internal.hpp"
#include "compiler/sema/intervals.hpp"

namespace nftc::listing {

using namespace detail;
using sema::Datatype;
using sema::Set;

namespace {

// nft's set_datatype_alloc: only the generic integer type takes the byte
// order nft recorded for the set.
const Datatype* set_datatype(Listing& l, const Datatype* orig, ByteOrder order) {
  if (orig != &sema::integer_type) return orig;
  sema::Datatype* d = l.types.clone(orig);
  d->byteorder = order;
  return d;
}

// nft's dtype_map_from_kernel.
const Datatype* kernel_datatype(Listing& l, std::uint32_t type) {
  if (type == NFT_DATA_VERDICT) return &sema::verdict_type;
  if (type & ~sema::kTypeMask) return l.types.concat_type(type);
  return sema::datatype_lookup(type);
}

// What nft makes of the typeof expression it stored in the set's userdata
// (the build_udata and parse_udata pairs): a fresh expression from the
// same key, or nothing when the kind has no such serialization.
Expr* typeof_expr(Listing& l, const Expr* e) {
  IrArena& ir = l.ruleset.arena;
  if (e == nullptr) return nullptr;
  Span s = e->span;
  switch (e->kind) {
    case Kind::payload: {
      const auto& p = e->payload();
      Expr* x;
      bool known = p.desc && p.desc != &sema::proto_unknown && p.tmpl;
      if (known) {
        x = sema::payload_expr(ir, s, p.desc, static_cast<unsigned>(p.tmpl - p.desc->templates.data()));
        if (e->dtype && e->dtype->type == sema::TYPE_INTEGER) x->len = e->len;
      } else {
        x = sema::payload_expr(ir, s, nullptr, 0);
        x->payload().base = p.base;
        x->payload().offset = p.offset;
        x->payload().is_raw = true;
        x->len = e->len;
        Datatype* d = l.types.clone(&sema::xinteger_type);
        d->size = e->len;
        d->byteorder = ByteOrder::big;
        x->dtype = d;
      }
      x->payload().inner_desc = p.inner_desc;
      return x;
    }
    case Kind::meta: {
      Expr* x = sema::meta_expr(ir, s, e->meta().key);
      x->meta().inner_desc = e->meta().inner_desc;
      return x;
    }
    case Kind::ct: return sema::ct_expr(ir, s, e->ct().key, e->ct().direction);
    case Kind::exthdr: {
      const auto& xh = e->exthdr();
      if (xh.desc == nullptr || xh.tmpl == nullptr) return nullptr;
      Expr* x = ir.clone(e);
      x->dtype = xh.tmpl->dtype ? xh.tmpl->dtype : e->dtype;
      x->len = xh.tmpl->len;
      x->byteorder = ByteOrder::big;
      x->exthdr().offset = xh.tmpl->offset;
      x->exthdr().flags = 0;
      return x;
    }
    case Kind::socket: {
      Expr* x = ir.clone(e);
      x->as<sema::SocketData>().level = 0;
      if (const sema::KeyTemplate* t = sema::socket_template(e->as<sema::SocketData>().key)) {
        x->dtype = t->dtype;
        x->byteorder = t->byteorder;
        x->len = t->len;
      }
      return x;
    }
    case Kind::osf: {
      Expr* x = ir.clone(e);
      x->as<sema::OsfData>() = {};
      x->dtype = &sema::string_type;
      x->byteorder = ByteOrder::host;
      x->len = 16 * 8;
      return x;
    }
    case Kind::numgen:
    case Kind::hash:
    case Kind::fib:
    case Kind::rt:
    case Kind::xfrm: {
      Expr* x = ir.clone(e);
      x->left = nullptr;
      return x;
    }
    case Kind::verdict: {
      Expr* x = sema::symbol_expr(ir, s, sema::SymbolType::value, "verdict");
      x->dtype = &sema::verdict_type;
      x->len = 16 * 8;
      return x;
    }
    case Kind::value:
      if (e->dtype != &sema::queue_type) return nullptr;
      return sema::constant_expr(ir, s, &sema::queue_type, ByteOrder::host, 16, Value());
    case Kind::concat: {
      Expr* x = sema::concat_expr(ir, s);
      std::uint32_t type = 0;
      unsigned len = 0;
      for (const Expr* i : e->items) {
        while (i->kind == Kind::binop) i = i->left;
        Expr* item = typeof_expr(l, i);
        if (item == nullptr) return nullptr;
        type = sema::concat_subtype_add(type, item->dtype->type);
        len += padded_len(item->len);
        x->items.push_back(item);
      }
      x->dtype = l.types.concat_type(type);
      x->len = len;
      return x;
    }
    default: return nullptr;
  }
}

bool typeof_fits(const Expr* e, unsigned len_bits) { return e && sema::div_round_up(e->len, 8) == len_bits / 8; }

// ---------------------------------------------------------------------------
// Elements

class ElementReader {
 public:
  ElementReader(Listing& l, Set* set, sema::Family family, DiagnosticSink& sink)
      : l_(l), ir_(l.ruleset.arena), set_(set), family_(family), sink_(sink) {}

  void read(const bc::SetElement& el) {
    std::uint32_t flags = el.flags;
    add(el, el.key, flags);
    if (!(flags & NFT_SET_ELEM_INTERVAL_END) && el.key_end) add(el, *el.key_end, flags | NFT_SET_ELEM_INTERVAL_END);
  }

 private:
  bool interval() const { return set_->flags & NFT_SET_INTERVAL; }

  // nft's concat_elem_expr.
  Expr* concat_field(const Expr* key, const Datatype* dtype, Expr* data, unsigned& off) {
    Expr* e;
    unsigned sub;
    if (key != nullptr) {
      --off;
      sub = sema::round_up(key->len, 8);
      e = splice(ir_, data, std::min(sub, data->len));
      e->dtype = key->dtype;
      e->byteorder = key->byteorder;
      e->len = key->len;
    } else {
      const Datatype* subtype = sema::concat_subtype_lookup(dtype->type, --off);
      if (subtype == nullptr) subtype = &sema::invalid_type;
      sub = sema::round_up(subtype->size, 8);
      e = splice(ir_, data, std::min(sub, data->len));
      e->dtype = subtype;
      e->byteorder = subtype->byteorder;
    }
    if (sema::expr_basetype(e)->type == sema::TYPE_STRING || (!interval() && e->byteorder == ByteOrder::host))
      switch_byteorder(e->value, e->len / 8);
    if (e->dtype->basetype != nullptr && e->dtype->basetype->type == sema::TYPE_BITMASK)
      e = bitmask_to_binops(ir_, e);
    data->len -= std::min(data->len, padding_len(sub));
    return e;
  }

  Expr* concat_key(Expr* data) {
    const Datatype* dtype = set_->key->dtype;
    unsigned off = dtype->subtypes;
    bool typed = set_->key->kind == Kind::concat;
    Expr* concat = sema::concat_expr(ir_, data->span);
    std::size_t n = 0;
    while (off > 0) {
      const Expr* key = typed && n < set_->key->items.size() ? set_->key->items[n] : nullptr;
      concat->items.push_back(concat_field(key, dtype, data, off));
      ++n;
    }
    return concat;
  }

  Expr* concat_data(Expr* data) {
    const Datatype* dtype = set_->data->dtype;
    unsigned off = dtype->subtypes;
    std::vector<Expr*> fields;
    Expr* concat = sema::concat_expr(ir_, data->span);
    while (off > 0) fields.push_back(concat_field(nullptr, dtype, data, off));
    if (set_->data->flags & sema::kExprInterval) {
      off = dtype->subtypes;
      for (Expr* left : fields) {
        Expr* right = concat_field(nullptr, dtype, data, off);
        Expr* range = sema::range_expr(ir_, data->span, left, right);
        // nft's range_expr_reduce.
        if (left->value == right->value) concat->items.push_back(left);
        else if (left->dtype->type != sema::TYPE_IPADDR && left->dtype->type != sema::TYPE_IP6ADDR)
          concat->items.push_back(range);
        else concat->items.push_back(range_to_prefix(ir_, range));
      }
    } else {
      concat->items = std::move(fields);
    }
    return concat;
  }

  // nft's netlink_parse_interval_elem: map data that is itself a range.
  Expr* interval_data(Expr* e) {
    unsigned len = padded_len(e->len) / 8;
    const Datatype* dtype = set_->data->dtype;
    std::string bytes = e->value.to_bytes_string(len, dtype->byteorder == ByteOrder::host ? ByteOrder::host
                                                                                          : ByteOrder::big);
    auto half = [&](std::size_t at) {
      std::vector<std::uint8_t> b(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + len / 2));
      return sema::constant_expr(ir_, e->span, dtype, dtype->byteorder, (len / 2) * 8,
                                 Value::from_bytes(b, dtype->byteorder == ByteOrder::host ? ByteOrder::host
                                                                                          : ByteOrder::big));
    };
    Expr* range = sema::range_expr(ir_, e->span, half(0), half(len / 2));
    return range_to_prefix(ir_, range);
  }

  void add(const bc::SetElement& el, const bc::Bytes& keybytes, std::uint32_t flags) {
    Span s = set_->span;
    Expr* key;
    if (!keybytes.empty()) {
      key = value_from_bytes(ir_, s, keybytes.span());
      key->dtype = set_->key->dtype;
      key->byteorder = set_->key->byteorder;
      if (set_->key->dtype->subtypes) key = concat_key(key);
      if (!interval() && key->byteorder == ByteOrder::host) switch_byteorder(key->value, key->len / 8);
      if (key->dtype->basetype != nullptr && key->dtype->basetype->type == sema::TYPE_BITMASK)
        key = bitmask_to_binops(ir_, key);
    } else if (flags & NFT_SET_ELEM_CATCHALL) {
      key = sema::catchall_expr(ir_, s);
      key->dtype = set_->key->dtype;
      key->byteorder = set_->key->byteorder;
      key->len = set_->key->len;
    } else {
      sink_.error("LST001", s, "cannot list a set element without a key");
      return;
    }
    if (sema::set_is_datamap(set_->flags) && set_->data != nullptr) {
      Expr* data = nullptr;
      if (const auto* b = std::get_if<bc::Bytes>(&el.data)) {
        data = value_from_bytes(ir_, s, b->span());
      } else if (const auto* v = std::get_if<bc::Verdict>(&el.data)) {
        Expr* chain = nullptr;
        if (v->code == NFT_JUMP || v->code == NFT_GOTO) {
          std::vector<std::uint8_t> name(v->chain.begin(), v->chain.end());
          chain = sema::constant_expr(ir_, s, &sema::string_type, ByteOrder::host,
                                      static_cast<unsigned>(name.size() * 8), Value::from_bytes(name, ByteOrder::host));
        }
        data = sema::verdict_expr(ir_, s, v->code, chain);
      }
      if (data != nullptr) {
        const Datatype* dd = set_->data->dtype;
        data->dtype = dd->is_typeof && dd->basetype ? dd->basetype : dd;
        data->byteorder = set_->data->byteorder;
        if (dd->subtypes) data = concat_data(data);
        else if (set_->data->flags & sema::kExprInterval) data = interval_data(data);
        if (data->byteorder == ByteOrder::host) switch_byteorder(data->value, data->len / 8);
        key = sema::mapping_expr(ir_, s, key, data);
      }
    }
    if (sema::set_is_objmap(set_->flags)) {
      if (const auto* o = std::get_if<bc::ObjectName>(&el.data)) {
        std::vector<std::uint8_t> name(o->name.begin(), o->name.end());
        name.push_back(0);
        Expr* data = value_from_bytes(ir_, s, name);
        data->dtype = &sema::string_type;
        data->byteorder = ByteOrder::host;
        switch_byteorder(data->value, data->len / 8);
        key = sema::mapping_expr(ir_, s, key, data);
      }
    }
    Expr* elem = sema::set_elem_expr(ir_, s, key);
    key->flags |= sema::kExprKernel;
    auto& ed = elem->elem();
    if (el.timeout_ms) ed.timeout = *el.timeout_ms == 0 ? kNeverTimeout : *el.timeout_ms;
    if (el.expiration_ms) ed.expiration = *el.expiration_ms;
    if (el.comment) {
      ed.comment = *el.comment;
      ed.has_comment = true;
    }
    if (el.interval_open) key->flags |= sema::kExprIntervalOpen;
    for (const bc::Expr& x : el.exprs)
      if (Stmt* st = delinearize_set_expr(l_, x, family_, sink_)) ed.stmts.push_back(st);
    if (flags & NFT_SET_ELEM_INTERVAL_END) key->flags |= sema::kExprIntervalEnd;
    set_->init->items.push_back(elem);
  }

  Listing& l_;
  IrArena& ir_;
  Set* set_;
  sema::Family family_;
  DiagnosticSink& sink_;
};

// ---------------------------------------------------------------------------
// segtree.c

Expr* elem_value(Expr* elem) { return elem->left->kind == Kind::mapping ? elem->left->left : elem->left; }

// nft's __expr_to_set_elem: `expr` in place of `low`'s key, keeping its
// data, timeout, comment and statements.
Expr* to_set_elem(IrArena& ir, Expr* low, Expr* expr) {
  if (low->left->kind == Kind::mapping) expr = sema::mapping_expr(ir, low->span, expr, ir.clone(low->left->right));
  Expr* elem = sema::set_elem_expr(ir, low->span, expr);
  elem->left->flags |= sema::kExprKernel;
  const auto& src = low->elem();
  auto& dst = elem->elem();
  if (src.has_comment) {
    dst.comment = src.comment;
    dst.has_comment = true;
  }
  if (src.timeout) dst.timeout = src.timeout;
  if (src.expiration) dst.expiration = src.expiration;
  dst.stmts = src.stmts;
  return elem;
}

Expr* interval_to_prefix(IrArena& ir, Expr* low, Expr* i, const Value& range) {
  Expr* key = elem_value(i);
  unsigned plen = key->len - range.scan0(0);
  Expr* prefix = sema::prefix_expr(ir, low->span, ir.clone(elem_value(low)), plen);
  prefix->len = key->len;
  return to_set_elem(ir, low, prefix);
}

Expr* interval_to_string(IrArena& ir, Expr* low, Expr* i, const Value& range) {
  unsigned len = sema::div_round_up(i->len, 8);
  Expr* key = elem_value(i);
  unsigned plen = key->len - range.scan0(0);
  if (plen > i->len || plen % 8) return interval_to_prefix(ir, low, i, range);
  std::string data = elem_value(low)->value.to_bytes_string(len, ByteOrder::big);
  std::size_t n = data.find('\0');
  if (n == std::string::npos || n == 0) return interval_to_prefix(ir, low, i, range);
  data[n] = '*';
  std::vector<std::uint8_t> bytes(data.begin(), data.end());
  Expr* e = sema::constant_expr(ir, low->span, low->dtype, ByteOrder::host, len * 8,
                                Value::from_bytes(bytes, ByteOrder::host));
  return to_set_elem(ir, low, e);
}

Expr* interval_to_range(IrArena& ir, Expr* low, const Value& range) {
  Expr* key = elem_value(low);
  Expr* high = sema::constant_expr(ir, low->span, low->dtype, low->byteorder, key->len, range.add(key->value));
  return to_set_elem(ir, low, sema::range_expr(ir, low->span, ir.clone(key), high));
}

void add_interval(IrArena& ir, std::vector<Expr*>& out, Expr* low, Expr* i, bool closed) {
  Expr* key = elem_value(low);
  Value range = elem_value(i)->value.sub(key->value);
  if (closed) range = range.sub_u64(1);
  Value p = key->value & range;
  Expr* e;
  if (range.is_zero()) {
    if (sema::expr_basetype(low)->type == sema::TYPE_STRING) switch_byteorder(key->value, key->len / 8);
    low->left->flags |= sema::kExprKernel;
    e = low;
  } else if ((range & range.add_u64(1)).is_zero() && p.is_zero()) {
    if (sema::datatype_prefix_notation(i->dtype)) e = interval_to_prefix(ir, low, i, range);
    else if (sema::expr_basetype(i)->type == sema::TYPE_STRING) e = interval_to_string(ir, low, i, range);
    else e = interval_to_range(ir, low, range);
  } else {
    e = interval_to_range(ir, low, range);
  }
  out.push_back(e);
}

void interval_map_decompose(IrArena& ir, Expr* set) {
  if (set->items.empty()) return;
  std::vector<Expr*> elements;
  Expr* catchall = nullptr;
  for (Expr* i : set->items) {
    if (sema::expr_type_catchall(i->left)) catchall = i;
    else elements.push_back(i);
  }
  std::stable_sort(elements.begin(), elements.end(), [](Expr* a, Expr* b) {
    Expr* ka = elem_value(a);
    if (ka->kind == Kind::concat) return true;
    int c = ka->value.compare(elem_value(b)->value);
    if (c == 0) return (a->left->flags & sema::kExprIntervalEnd) && !(b->left->flags & sema::kExprIntervalEnd);
    return c < 0;
  });
  // Points (single values) become half-closed intervals.
  std::vector<Expr*> ranges;
  bool interval = false;
  for (Expr* i : elements) {
    if (i->left->flags & sema::kExprIntervalEnd) {
      interval = false;
    } else if (interval) {
      Expr* end = ir.clone(i);
      end->left->flags |= sema::kExprIntervalEnd;
      ranges.push_back(end);
    } else {
      interval = true;
    }
    ranges.push_back(i);
  }
  std::vector<Expr*> out;
  Expr* low = nullptr;
  for (Expr* i : ranges) {
    if (low == nullptr) {
      if (!(i->left->flags & sema::kExprIntervalEnd)) low = i;
      continue;
    }
    add_interval(ir, out, low, i, true);
    if (i->left->flags & sema::kExprIntervalEnd) low = nullptr;
  }
  if (low != nullptr) {
    Expr* key = elem_value(low);
    Expr* top = sema::constant_expr(ir, low->span, low->dtype, low->byteorder, key->len, Value::bitmask(key->len));
    Expr* i = sema::set_elem_expr(ir, low->span, top);
    if (top->value == key->value) out.push_back(low);
    else add_interval(ir, out, low, i, false);
  }
  if (catchall != nullptr) {
    catchall->left->flags |= sema::kExprKernel;
    out.push_back(catchall);
  }
  set->items = std::move(out);
}

// nft's range_mask_len: the prefix length of [start, end], or -1.
int range_mask_len(Value start, Value end, unsigned len) {
  while (start.compare(end) <= 0 && !start.test_bit(0) && end.test_bit(0) && len--) {
    start = start.shr(1);
    end = end.shr(1);
  }
  return start == end ? static_cast<int>(len) : -1;
}

void concat_range_aggregate(IrArena& ir, Expr* set) {
  std::vector<Expr*> out;
  Expr* prev = nullptr;
  for (Expr* i : set->items) {
    if (prev == nullptr) {
      prev = i;
      continue;
    }
    Expr* start = elem_value(prev);
    Expr* end = elem_value(i);
    if (start->kind == Kind::concat && end->kind == Kind::concat) {
      for (std::size_t n = 0; n < start->items.size() && n < end->items.size(); ++n) {
        Expr* r1 = start->items[n];
        Expr*& r2 = end->items[n];
        if (r1->value == r2->value) continue;
        bool string_type = sema::expr_basetype(r1)->type == sema::TYPE_STRING &&
                           sema::expr_basetype(r2)->type == sema::TYPE_STRING;
        Value v1 = r1->value, v2 = r2->value;
        if (string_type) {
          switch_byteorder(v1, r1->len / 8);
          switch_byteorder(v2, r2->len / 8);
        }
        int plen = range_mask_len(v1, v2, r1->len);
        if (plen >= 0 && plen % 8 == 0 && string_type) {
          unsigned r1len = sema::div_round_up(r1->len, 8);
          std::string data = r1->value.to_bytes_string(r1len, ByteOrder::host);
          data.resize(r1len + 1, '\0');
          data[static_cast<unsigned>(plen) / 8] = '*';
          data.resize(static_cast<unsigned>(plen) / 8 + 1);
          std::vector<std::uint8_t> bytes(data.begin(), data.end());
          r2 = sema::constant_expr(ir, r1->span, r1->dtype, ByteOrder::host, static_cast<unsigned>(bytes.size() * 8),
                                   Value::from_bytes(bytes, ByteOrder::host));
          continue;
        }
        if (plen < 0 || !sema::datatype_prefix_notation(r1->dtype)) {
          r2 = sema::range_expr(ir, r1->span, r1, r2);
        } else {
          Expr* prefix = sema::prefix_expr(ir, r1->span, r1, static_cast<unsigned>(plen));
          prefix->len = r2->len;
          r2 = prefix;
        }
      }
    }
    out.push_back(i);
    prev = nullptr;
  }
  // The kernel lists a catch-all element last, on its own.
  if (prev != nullptr) out.push_back(prev);
  set->items = std::move(out);
}

}  // namespace

sema::Set* delinearize_set(Listing& l, const sema::Set& decl, const bc::Set& bset, DiagnosticSink& sink) {
  IrArena& ir = l.ruleset.arena;
  Set* set = ir.make<Set>();
  set->name = bset.name;
  set->family = decl.family;
  set->table = decl.table;
  set->span = decl.span;
  set->flags = bset.flags;
  set->automerge = decl.automerge;
  set->comment = decl.comment;
  set->objtype = bset.obj_type;
  set->timeout = bset.timeout_ms.value_or(0);
  set->gc_int = bset.gc_interval_ms.value_or(0);
  set->size = bset.size.value_or(0);
  // The kernel counts elements, not the ends of intervals.
  set->count = static_cast<std::uint32_t>(std::count_if(bset.elements.begin(), bset.elements.end(), [](const auto& e) {
    return !(e.flags & NFT_SET_ELEM_INTERVAL_END);
  }));
  set->policy = bset.policy.value_or(NFT_SET_POL_PERFORMANCE);
  set->has_policy = bset.policy.has_value();
  set->field_count = static_cast<std::uint8_t>(bset.key_fields.size());
  for (std::size_t i = 0; i < bset.key_fields.size() && i < set->field_len.size(); ++i)
    set->field_len[i] = static_cast<std::uint8_t>(bset.key_fields[i].len);

  ByteOrder keyorder = decl.key ? decl.key->byteorder : ByteOrder::invalid;
  ByteOrder dataorder = decl.data ? decl.data->byteorder : ByteOrder::invalid;
  Expr* typeof_key = typeof_expr(l, decl.key);
  Expr* typeof_data = sema::set_is_datamap(bset.flags) ? typeof_expr(l, decl.data) : nullptr;
  bool data_interval = decl.data && (decl.data->flags & sema::kExprInterval);

  const Datatype* datatype = nullptr;
  if (sema::set_is_datamap(bset.flags)) datatype = kernel_datatype(l, bset.data_type);
  if (sema::set_is_objmap(bset.flags)) datatype = &sema::string_type;
  if (datatype != nullptr) {
    const Datatype* d2 = set_datatype(l, datatype, dataorder);
    unsigned klen = bset.data_len * 8;
    unsigned dlen = data_interval ? klen / 2 : klen;
    if (typeof_fits(typeof_data, dlen)) {
      typeof_data->len = klen;
      set->data = typeof_data;
    } else {
      set->data = sema::constant_expr(ir, set->span, d2, dataorder, klen, Value());
      if (!(bset.flags & NFT_SET_OBJECT)) typeof_key = nullptr;  // typeof needs both
    }
    if (data_interval) set->data->flags |= sema::kExprInterval;
  }
  const Datatype* keytype = kernel_datatype(l, bset.key_type);
  if (keytype == nullptr) keytype = &sema::invalid_type;
  unsigned klen = bset.key_len * 8;
  if (typeof_fits(typeof_key, klen)) {
    set->key = typeof_key;
    set->key_typeof = true;
  } else {
    set->key = sema::constant_expr(ir, set->span, set_datatype(l, keytype, keyorder), keyorder, klen, Value());
  }
  sema::Family family = decl.family;
  for (const bc::Expr& x : bset.exprs)
    if (Stmt* st = delinearize_set_expr(l, x, family, sink)) set->stmts.push_back(st);

  set->init = sema::set_expr(ir, set->span);
  set->init->set_expr().set_flags = set->flags;
  set->init->dtype = set->key->dtype;
  set->init->byteorder = set->key->byteorder;
  ElementReader reader(l, set, family, sink);
  for (const bc::SetElement& el : bset.elements) reader.read(el);
  if ((set->flags & NFT_SET_INTERVAL) && set->field_count > 1) concat_range_aggregate(ir, set->init);
  else if (set->flags & NFT_SET_INTERVAL) interval_map_decompose(ir, set->init);
  else sema::list_expr_sort(set->init->items);  // nft's mergesort is stable too
  return set;
}

}  // namespace nftc::listing
