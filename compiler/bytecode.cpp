#include "compiler/bytecode.hpp"

#include <libnftnl/udata.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace nftc::bc {

Bytes::Bytes(std::initializer_list<std::uint8_t> bytes) { append({bytes.begin(), bytes.size()}); }

Bytes::Bytes(std::span<const std::uint8_t> bytes) { append(bytes); }

void Bytes::push_back(std::uint8_t b) {
  if (size_ >= kCapacity) throw std::length_error("bytecode value longer than 64 bytes");
  buf_[size_++] = b;
}

void Bytes::append(std::span<const std::uint8_t> bytes) {
  if (size_ + bytes.size() > kCapacity) throw std::length_error("bytecode value longer than 64 bytes");
  std::copy(bytes.begin(), bytes.end(), buf_.begin() + size_);
  size_ = static_cast<std::uint8_t>(size_ + bytes.size());
}

void Bytes::resize(std::size_t n) {
  if (n > kCapacity) throw std::length_error("bytecode value longer than 64 bytes");
  if (n > size_) std::fill(buf_.begin() + size_, buf_.begin() + n, 0);
  size_ = static_cast<std::uint8_t>(n);
}

bool Bytes::operator==(const Bytes& o) const { return std::ranges::equal(span(), o.span()); }

std::optional<std::uint32_t> Reg::slot() const {
  if (number >= NFT_REG_1 && number <= NFT_REG_4)
    return (number - NFT_REG_1) * (NFT_REG_SIZE / NFT_REG32_SIZE);
  if (number >= NFT_REG32_00 && number <= NFT_REG32_15) return number - NFT_REG32_00;
  return std::nullopt;
}

Value Value::big_endian(std::uint64_t v, std::size_t len) {
  Value out;
  out.bytes.resize(len);
  for (std::size_t i = 0; i < len && i < 8; ++i)
    out.bytes[len - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  return out;
}

Value Value::host(std::uint64_t v, std::size_t len) {
  Value out = big_endian(v, len);
  if constexpr (std::endian::native == std::endian::little) std::reverse(out.bytes.begin(), out.bytes.end());
  out.host_endian = true;
  return out;
}

Value Value::string(std::string_view s, std::size_t len) {
  Value out;
  out.bytes.resize(len);
  std::memcpy(out.bytes.data(), s.data(), std::min(s.size(), len));
  return out;
}

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

}  // namespace

std::string_view expr_name(const ExprKind& kind) {
  return std::visit(Overloaded{
                        [](const PayloadLoad&) { return "payload"; },
                        [](const PayloadSet&) { return "payload"; },
                        [](const Cmp&) { return "cmp"; },
                        [](const Range&) { return "range"; },
                        [](const Bitwise&) { return "bitwise"; },
                        [](const Byteorder&) { return "byteorder"; },
                        [](const Immediate&) { return "immediate"; },
                        [](const Lookup&) { return "lookup"; },
                        [](const Dynset&) { return "dynset"; },
                        [](const ObjrefMap&) { return "objref"; },
                        [](const Objref&) { return "objref"; },
                        [](const MetaLoad&) { return "meta"; },
                        [](const MetaSet&) { return "meta"; },
                        [](const CtLoad&) { return "ct"; },
                        [](const CtSet&) { return "ct"; },
                        [](const ExthdrLoad&) { return "exthdr"; },
                        [](const ExthdrSet&) { return "exthdr"; },
                        [](const ExthdrReset&) { return "exthdr"; },
                        [](const Rt&) { return "rt"; },
                        [](const Socket&) { return "socket"; },
                        [](const Osf&) { return "osf"; },
                        [](const Fib&) { return "fib"; },
                        [](const Xfrm&) { return "xfrm"; },
                        [](const Tunnel&) { return "tunnel"; },
                        [](const Numgen&) { return "numgen"; },
                        [](const Hash&) { return "hash"; },
                        [](const Inner&) { return "inner"; },
                        [](const Counter&) { return "counter"; },
                        [](const Limit&) { return "limit"; },
                        [](const Quota&) { return "quota"; },
                        [](const Connlimit&) { return "connlimit"; },
                        [](const Last&) { return "last"; },
                        [](const Log&) { return "log"; },
                        [](const Reject&) { return "reject"; },
                        [](const Nat&) { return "nat"; },
                        [](const Masq&) { return "masq"; },
                        [](const Redir&) { return "redir"; },
                        [](const Tproxy&) { return "tproxy"; },
                        [](const Queue&) { return "queue"; },
                        [](const Dup&) { return "dup"; },
                        [](const Fwd&) { return "fwd"; },
                        [](const Notrack&) { return "notrack"; },
                        [](const Synproxy&) { return "synproxy"; },
                        [](const FlowOffload&) { return "flow_offload"; },
                    },
                    kind);
}

RegisterUse register_use(const ExprKind& kind) {
  using R = RegisterUse;
  auto opt = [](std::initializer_list<std::optional<Reg>> regs) {
    std::vector<Reg> out;
    for (const auto& r : regs)
      if (r) out.push_back(*r);
    return out;
  };
  return std::visit(Overloaded{
                        [](const PayloadLoad& e) {
                          return R{{}, e.dreg};
                        },
                        [](const PayloadSet& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const Cmp& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const Range& e) {
                          return R{{e.sreg}, {}};
                        },
                        [&](const Bitwise& e) {
                          return R{opt({e.sreg, e.sreg2}), e.dreg};
                        },
                        [](const Byteorder& e) {
                          return R{{e.sreg}, e.dreg};
                        },
                        [](const Immediate& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Lookup& e) {
                          return R{{e.sreg}, e.dreg};
                        },
                        [&](const Dynset& e) {
                          return R{opt({e.sreg_key, e.sreg_data}), {}};
                        },
                        [](const ObjrefMap& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const Objref&) { return R{}; },
                        [](const MetaLoad& e) {
                          return R{{}, e.dreg};
                        },
                        [](const MetaSet& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const CtLoad& e) {
                          return R{{}, e.dreg};
                        },
                        [](const CtSet& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const ExthdrLoad& e) {
                          return R{{}, e.dreg};
                        },
                        [](const ExthdrSet& e) {
                          return R{{e.sreg}, {}};
                        },
                        [](const ExthdrReset&) { return R{}; },
                        [](const Rt& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Socket& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Osf& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Fib& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Xfrm& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Tunnel& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Numgen& e) {
                          return R{{}, e.dreg};
                        },
                        [](const Hash& e) {
                          return e.type == NFT_HASH_SYM ? R{{}, e.dreg} : R{{e.sreg}, e.dreg};
                        },
                        [](const Inner& e) { return register_use(e.expr->kind); },
                        [](const Counter&) { return R{}; },
                        [](const Limit&) { return R{}; },
                        [](const Quota&) { return R{}; },
                        [](const Connlimit&) { return R{}; },
                        [](const Last&) { return R{}; },
                        [](const Log&) { return R{}; },
                        [](const Reject&) { return R{}; },
                        [&](const Nat& e) {
                          return R{opt({e.addr_min, e.addr_max, e.proto_min, e.proto_max}), {}};
                        },
                        [&](const Masq& e) {
                          return R{opt({e.proto_min, e.proto_max}), {}};
                        },
                        [&](const Redir& e) {
                          return R{opt({e.proto_min, e.proto_max}), {}};
                        },
                        [&](const Tproxy& e) {
                          return R{opt({e.addr, e.port}), {}};
                        },
                        [&](const Queue& e) {
                          return R{opt({e.sreg_qnum}), {}};
                        },
                        [&](const Dup& e) {
                          return R{opt({e.sreg_addr, e.sreg_dev}), {}};
                        },
                        [&](const Fwd& e) {
                          return R{opt({e.sreg_dev, e.sreg_addr}), {}};
                        },
                        [](const Notrack&) { return R{}; },
                        [](const Synproxy&) { return R{}; },
                        [](const FlowOffload&) { return R{}; },
                    },
                    kind);
}

// Out of line: Expr is complete here.
bool Dynset::operator==(const Dynset& o) const {
  return op == o.op && sreg_key == o.sreg_key && sreg_data == o.sreg_data && set == o.set &&
         set_id == o.set_id && timeout_ms == o.timeout_ms && flags == o.flags && exprs == o.exprs;
}

bool Inner::operator==(const Inner& o) const {
  return num == o.num && type == o.type && flags == o.flags && hdrsize == o.hdrsize && expr == o.expr;
}

bool SetElement::operator==(const SetElement& o) const {
  return key == o.key && key_end == o.key_end && data == o.data && flags == o.flags && timeout_ms == o.timeout_ms &&
         expiration_ms == o.expiration_ms && comment == o.comment && interval_open == o.interval_open &&
         exprs == o.exprs;
}

bool Set::operator==(const Set& o) const {
  return name == o.name && table == o.table && family == o.family && id == o.id && flags == o.flags &&
         key_type == o.key_type && key_len == o.key_len && data_type == o.data_type &&
         data_len == o.data_len && obj_type == o.obj_type && size == o.size && policy == o.policy &&
         timeout_ms == o.timeout_ms && gc_interval_ms == o.gc_interval_ms && key_fields == o.key_fields &&
         data_fields == o.data_fields && exprs == o.exprs && elements == o.elements;
}

bool Rule::operator==(const Rule& o) const {
  return family == o.family && table == o.table && chain == o.chain && anonymous_sets == o.anonymous_sets &&
         exprs == o.exprs && comment == o.comment;
}

namespace {

// One libnftnl userdata attribute: type, length, value.
void put_attr(std::vector<std::uint8_t>& out, std::uint8_t type, std::span<const std::uint8_t> value) {
  out.push_back(type);
  out.push_back(static_cast<std::uint8_t>(value.size()));
  out.insert(out.end(), value.begin(), value.end());
}

// A NUL-terminated string, as nftnl_udata_put_strz stores it.
void put_string(std::vector<std::uint8_t>& out, std::uint8_t type, const std::string& s) {
  std::vector<std::uint8_t> value(s.begin(), s.end());
  value.push_back(0);
  put_attr(out, type, value);
}

}  // namespace

std::vector<std::uint8_t> rule_userdata(const Rule& rule) {
  std::vector<std::uint8_t> out;
  if (rule.comment) put_string(out, NFTNL_UDATA_RULE_COMMENT, *rule.comment);
  return out;
}

std::vector<std::uint8_t> element_userdata(const SetElement& element) {
  std::vector<std::uint8_t> out;
  if (element.comment) put_string(out, NFTNL_UDATA_SET_ELEM_COMMENT, *element.comment);
  if (element.interval_open) {
    std::uint32_t flags = uapi::kElemIntervalOpen;  // a host-order u32, as nftnl_udata_put_u32 stores it
    std::uint8_t raw[sizeof flags];
    std::memcpy(raw, &flags, sizeof flags);
    put_attr(out, NFTNL_UDATA_SET_ELEM_FLAGS, raw);
  }
  return out;
}

}  // namespace nftc::bc
