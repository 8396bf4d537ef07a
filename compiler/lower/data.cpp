// Constant data for the kernel: values, concatenations (each field padded to
// a 32-bit register word), ranges and prefixes (both ends), verdicts.
#include "compiler/lower/data.hpp"

#include <fmt/format.h>

#include "compiler/lower/lower.hpp"
#include "compiler/sema/datatype.hpp"
#include "compiler/sema/exprs.hpp"

namespace nftc::lower {

using sema::ByteOrder;
using sema::bytes_of;
using sema::Expr;
using sema::Kind;

namespace {

constexpr std::size_t kMaxBytes = bc::Bytes::kCapacity;

unsigned padded_bytes(unsigned bits) { return sema::netlink_padded_len(bits) / 8; }

bool is_string(const Expr* e) { return sema::expr_basetype(e)->type == sema::TYPE_STRING; }
bool is_integer(const Expr* e) { return sema::expr_basetype(e)->type == sema::TYPE_INTEGER; }

// Writes `v` for field `i` at `out`; returns the padded length.
unsigned export_pad(std::uint8_t* out, const sema::Value& v, const Expr* i) {
  export_value(v, i->byteorder, bytes_of(i->len), out);
  return padded_bytes(i->len);
}

sema::Value switch_byteorder(const sema::Value& v, const Expr* e) {
  return v.byteswapped(bytes_of(e->len));
}

void check_len(std::size_t len, const Expr* e) {
  if (len > kMaxBytes)
    throw LowerError(e->span, fmt::format("the value takes {} bytes; the kernel takes at most {}", len, kMaxBytes));
}

Data finish(const std::uint8_t* buf, std::size_t len, const Expr* e) {
  check_len(len, e);
  Data d;
  d.bytes = bc::Bytes(std::span<const std::uint8_t>(buf, len));
  return d;
}

// One field of a concatenated key (nft's __netlink_gen_concat_key).
unsigned concat_key_field(std::uint32_t flags, const Expr* i, std::uint8_t* out, ByteOrder& order) {
  order = i->byteorder;
  sema::Value value;
  const Expr* ref = i;
  switch (i->kind) {
    case Kind::range: {
      const Expr* e = (flags & sema::kExprIntervalEnd) ? i->right : i->left;
      value = e->value;
      if (is_integer(e) && e->byteorder == ByteOrder::host) {
        value = switch_byteorder(value, e);
        order = ByteOrder::big;
      }
      ref = e;
      break;
    }
    case Kind::range_value:
      value = (flags & sema::kExprIntervalEnd) ? i->as<sema::RangeValueData>().high : i->value;
      if (is_integer(i) && i->byteorder == ByteOrder::host) {
        value = switch_byteorder(value, i);
        order = ByteOrder::big;
      }
      break;
    case Kind::prefix: {
      const Expr* base = i->left;
      if (flags & sema::kExprIntervalEnd) {
        sema::Value v = sema::Value::bitmask(i->len - i->as<sema::PrefixData>().prefix_len);
        if (i->byteorder == ByteOrder::host) {
          v = switch_byteorder(v, i);
          order = ByteOrder::big;
        }
        v = base->value.add(v);
        return export_pad(out, v, i);
      }
      return export_pad(out, base->value, i);
    }
    case Kind::value:
      value = i->value;
      if (!(flags & (sema::kExprInterval | sema::kExprIntervalEnd))) break;
      if (is_integer(i) && i->byteorder == ByteOrder::host) {
        value = switch_byteorder(value, i);
        order = ByteOrder::big;
      }
      break;
    default:
      throw LowerError(i->span, fmt::format("a {} cannot be part of a set element", sema::kind_name(i->kind)));
  }
  // Exported in the expression's own order: a switched host value comes out
  // big-endian, and `order` only tells libnftnl how to print it.
  return export_pad(out, value, ref);
}

// One field of concatenated data (nft's __netlink_gen_concat_data).
unsigned concat_data_field(bool end, const Expr* i, std::uint8_t* out) {
  switch (i->kind) {
    case Kind::range: {
      const Expr* e = end ? i->right : i->left;
      return export_pad(out, e->value, e);
    }
    case Kind::range_value:
      return export_pad(out, end ? i->as<sema::RangeValueData>().high : i->value, i);
    case Kind::prefix: {
      if (end) {
        sema::Value v = sema::Value::bitmask(i->len - i->as<sema::PrefixData>().prefix_len);
        return export_pad(out, i->left->value.add(v), i);
      }
      return export_pad(out, i->left->value, i);
    }
    case Kind::value: return export_pad(out, i->value, i);
    default:
      throw LowerError(i->span, fmt::format("a {} cannot be part of a set element", sema::kind_name(i->kind)));
  }
}

void add_field(Data& d, const Expr* i, ByteOrder order) {
  std::size_t n = d.sizes.size();
  if (order == ByteOrder::host && !is_string(i) && n < 32) d.byteorder |= 1u << n;
  d.sizes.push_back(bytes_of(i->len));
}

Data concat_key(const Expr* e) {
  std::size_t len = padded_bytes(e->len);
  check_len(len, e);
  std::uint8_t buf[kMaxBytes * 2] = {};
  unsigned offset = 0;
  Data d;
  for (const Expr* i : e->items) {
    ByteOrder order = ByteOrder::invalid;
    offset += concat_key_field(e->flags, i, buf + offset, order);
    if (offset > kMaxBytes) check_len(offset, e);
    add_field(d, i, order);
  }
  d.bytes = bc::Bytes(std::span<const std::uint8_t>(buf, len));
  return d;
}

Data concat_data(const Expr* e, bool expand) {
  std::size_t len = padded_bytes(e->len) * (expand ? 2 : 1);
  check_len(len, e);
  std::uint8_t buf[kMaxBytes * 2] = {};
  unsigned offset = 0;
  Data d;
  // nft passes the expression's flags as the "end" argument: any flag (the
  // constant flag, say) picks the upper end of ranges and prefixes.
  bool end = e->flags != 0;
  for (const Expr* i : e->items) {
    offset += concat_data_field(expand ? false : end, i, buf + offset);
    add_field(d, i, i->byteorder);
  }
  if (expand) {
    for (const Expr* i : e->items) {
      offset += concat_data_field(true, i, buf + offset);
      add_field(d, i, i->byteorder);
    }
  }
  d.bytes = bc::Bytes(std::span<const std::uint8_t>(buf, len));
  return d;
}

Data constant_data(const Expr* e) {
  Data d = raw_data(e->value, e->byteorder, bytes_of(e->len));
  if (is_string(e)) d.byteorder = 0;
  return d;
}

Data range_data(const Expr* e) {
  std::size_t len = padded_bytes(e->left->len) * 2;
  check_len(len, e);
  std::uint8_t buf[kMaxBytes * 2] = {};
  unsigned offset = export_pad(buf, e->left->value, e->left);
  export_pad(buf + offset, e->right->value, e->right);
  Data d = finish(buf, len, e);
  d.sizes = {bytes_of(e->left->len), bytes_of(e->right->len)};
  return d;
}

Data range_value_data(const Expr* e) {
  std::size_t len = padded_bytes(e->len) * 2;
  check_len(len, e);
  std::uint8_t buf[kMaxBytes * 2] = {};
  unsigned offset = export_pad(buf, e->value, e);
  export_pad(buf + offset, e->as<sema::RangeValueData>().high, e);
  Data d = finish(buf, len, e);
  d.sizes = {bytes_of(e->len), bytes_of(e->len)};
  return d;
}

Data prefix_data(const Expr* e) {
  std::size_t len = padded_bytes(e->len) * 2;
  check_len(len, e);
  std::uint8_t buf[kMaxBytes * 2] = {};
  const Expr* base = e->left;
  unsigned offset = export_pad(buf, base->value, e);
  sema::Value high = base->value.add(sema::Value::bitmask(e->len - e->as<sema::PrefixData>().prefix_len));
  export_pad(buf + offset, high, base);
  Data d = finish(buf, len, e);
  d.sizes = {bytes_of(base->len), bytes_of(base->len)};
  return d;
}

Data verdict_data(const Expr* e) {
  Data d;
  d.is_verdict = true;
  const sema::VerdictData& v = e->as<sema::VerdictData>();
  d.verdict.code = v.verdict;
  if ((v.verdict == sema::kVerdictJump || v.verdict == sema::kVerdictGoto) && v.chain != nullptr) {
    const Expr* c = v.chain;
    std::string name = c->value.to_bytes_string(c->len / 8, ByteOrder::host);
    if (auto nul = name.find('\0'); nul != std::string::npos) name.resize(nul);
    d.verdict.chain = std::move(name);
  }
  return d;
}

}  // namespace

bc::Value Data::value(std::size_t len) const {
  bc::Value v = value();
  if (len < v.bytes.size()) v.bytes.resize(len);
  return v;
}

std::vector<bc::Field> Data::fields() const {
  std::vector<bc::Field> out;
  if (sizes.empty()) {
    if (byteorder != 0) out.push_back({static_cast<std::uint32_t>(bytes.size()), true});
    return out;
  }
  for (std::size_t n = 0; n < sizes.size(); ++n)
    out.push_back({sizes[n], n < 32 && (byteorder & (1u << n)) != 0});
  return out;
}

void export_value(const sema::Value& v, ByteOrder order, std::size_t len, std::uint8_t* out) {
  v.to_bytes(std::span<std::uint8_t>(out, len), order == ByteOrder::host ? ByteOrder::host : ByteOrder::big);
}

Data raw_data(const sema::Value& v, ByteOrder order, unsigned len_bytes) {
  if (len_bytes > kMaxBytes) throw LowerError({}, fmt::format("a {}-byte value is too wide for the kernel", len_bytes));
  Data d;
  d.bytes.resize(len_bytes);
  export_value(v, order, len_bytes, d.bytes.data());
  d.byteorder = order == ByteOrder::host ? 0xffffffffu : 0;
  return d;
}

Data gen_data(const Expr* e, bool expand) {
  switch (e->kind) {
    case Kind::value: return constant_data(e);
    case Kind::concat: return concat_data(e, expand);
    case Kind::verdict: return verdict_data(e);
    case Kind::range: return range_data(e);
    case Kind::range_value: return range_value_data(e);
    case Kind::prefix: return prefix_data(e);
    default:
      throw LowerError(e->span, fmt::format("a {} is not constant data", sema::kind_name(e->kind)));
  }
}

Data gen_key(const Expr* e, std::uint32_t flags) {
  switch (e->kind) {
    case Kind::value: return constant_data(e);
    case Kind::concat: {
      // The interval flags steer how each field is exported.
      Expr copy = *e;
      copy.flags |= flags;
      return concat_key(&copy);
    }
    case Kind::range: return range_data(e);
    case Kind::prefix: return prefix_data(e);
    case Kind::mapping: return gen_key(e->left, flags);
    default:
      throw LowerError(e->span, fmt::format("a {} cannot be a set element key", sema::kind_name(e->kind)));
  }
}

}  // namespace nftc::lower
