// Printing constants as `nft list` does, and the registry of datatypes by id
// and name (nft's datatypes[] table).
#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <fmt/format.h>

#include "compiler/sema/types_impl.hpp"

namespace nftc::sema {

namespace detail {

void export_bytes(const Value& v, ByteOrder order, std::span<std::uint8_t> out) {
  v.to_bytes(out, order == ByteOrder::host ? ByteOrder::host : ByteOrder::big);
}

std::uint64_t symbol_key(const Expr& e) {
  std::array<std::uint8_t, 8> buf{};
  std::size_t len = std::min<std::size_t>((e.len + 7) / 8, buf.size());
  export_bytes(e.value, e.byteorder, std::span<std::uint8_t>(buf.data(), len));
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < buf.size(); ++i) v |= std::uint64_t{buf[i]} << (8 * i);
  return v;
}

void gmp_format(std::string& out, std::string_view fmt, const Value& v) {
  std::size_t pct = fmt.find('%');
  if (pct == std::string_view::npos) {
    out += fmt;
    return;
  }
  out += fmt.substr(0, pct);
  std::size_t i = pct + 1;
  unsigned precision = 0;
  if (i < fmt.size() && fmt[i] == '.') {
    for (++i; i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9'; ++i)
      precision = precision * 10 + static_cast<unsigned>(fmt[i] - '0');
  }
  if (i < fmt.size() && fmt[i] == 'Z') ++i;
  char conv = i < fmt.size() ? fmt[i] : 'u';
  std::string digits = conv == 'x' ? v.to_hex() : v.to_decimal();
  if (digits.size() < precision) out.append(precision - digits.size(), '0');
  out += digits;
  if (i + 1 < fmt.size()) out += fmt.substr(i + 1);
}

static const Datatype* root_type(const Datatype* d) {
  while (d->basetype != nullptr) d = d->basetype;
  return d;
}

void basetype_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  const Datatype* root = root_type(e.dtype);
  if (root->print != nullptr) root->print(e, out, opts);
  else gmp_format(out, "0x%Zx", e.value);
}

void invalid_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  gmp_format(out, "0x%Zx [invalid type]", e.value);
}

void verdict_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  if (!std::holds_alternative<VerdictData>(e.data)) {
    out += "unknown verdict";
    return;
  }
  const VerdictData& v = std::get<VerdictData>(e.data);
  auto target = [&](std::string_view what) {
    out += what;
    out += ' ';
    const Expr* chain = v.chain;
    if (chain == nullptr) return;
    if (chain->kind == Kind::value) {
      std::string name = chain->value.to_bytes_string((chain->len + 7) / 8, ByteOrder::host);
      out += name.substr(0, name.find('\0'));
    } else if (chain->kind == Kind::symbol) {
      out += std::get<SymbolData>(chain->data).text;
    } else if (chain->dtype != nullptr) {
      datatype_print(*chain, out, opts);
    }
  };
  switch (v.verdict) {
    case kVerdictContinue: out += "continue"; return;
    case kVerdictBreak: out += "break"; return;
    case kVerdictJump: target("jump"); return;
    case kVerdictGoto: target("goto"); return;
    case kVerdictReturn: out += "return"; return;
    default: break;
  }
  switch (static_cast<std::uint32_t>(v.verdict) & 0xffu) {  // NF_VERDICT_MASK
    case 0: out += "drop"; return;
    case 1: out += "accept"; return;
    case 2: out += "stolen"; return;
    case 3: out += "queue"; return;
    default: out += fmt::format("unknown verdict value {}", static_cast<std::uint32_t>(v.verdict)); return;
  }
}

void integer_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::string_view fmt = "%Zu";
  for (const Datatype* d = e.dtype; d != nullptr; d = d->basetype) {
    if (!d->basefmt.empty()) {
      fmt = d->basefmt;
      break;
    }
  }
  gmp_format(out, fmt, e.value);
}

void xinteger_type_print(const Expr& e, std::string& out, const PrintOptions&) { gmp_format(out, "0x%Zx", e.value); }

void queue_type_print(const Expr&, std::string& out, const PrintOptions&) { out += "queue"; }

void string_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::string s = e.value.to_bytes_string((e.len + 7) / 8, ByteOrder::host);
  out += '"';
  out += std::string_view(s).substr(0, s.find('\0'));
  out += '"';
}

void lladdr_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::string s = e.value.to_bytes_string((e.len + 7) / 8, ByteOrder::big);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != 0) out += ':';
    out += fmt::format("{:02x}", static_cast<std::uint8_t>(s[i]));
  }
}

// nft resolves addresses back to names only with -N (reverse DNS); nftc
// never does, so both print numerically.
void ipaddr_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::array<std::uint8_t, 4> addr{};
  e.value.to_bytes(addr, ByteOrder::big);
  char buf[INET_ADDRSTRLEN];
  out += inet_ntop(AF_INET, addr.data(), buf, sizeof(buf));
}

void ip6addr_type_print(const Expr& e, std::string& out, const PrintOptions&) {
  std::array<std::uint8_t, 16> addr{};
  e.value.to_bytes(addr, ByteOrder::big);
  char buf[INET6_ADDRSTRLEN];
  out += inet_ntop(AF_INET6, addr.data(), buf, sizeof(buf));
}

void inet_protocol_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  if (!opts.numeric_protocols && e.value.compare(Value(0xff)) <= 0) {
    std::string_view name = protocol_name(static_cast<std::uint8_t>(e.value.u64()));
    if (!name.empty()) {
      out += name;
      return;
    }
  }
  integer_type_print(e, out, opts);
}

void inet_service_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  if (opts.services && e.value.compare(Value(0xffff)) <= 0) {
    auto port = static_cast<std::uint16_t>(e.value.u64());
    std::string_view name = service_name(port);
    if (name.empty()) out += std::to_string(port);
    else out += fmt::format("\"{}\"", name);
    return;
  }
  integer_type_print(e, out, opts);
}

void mark_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  // nft's table comes from /etc/iproute2/rt_marks; nftc's is empty.
  symbolic_constant_print(nullptr, e, true, out, opts);
}

void time_type_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  std::uint64_t ms = e.value.u64();
  if (opts.numeric_time) out += fmt::format("{}s", ms / 1000);
  else out += time_to_string(ms);
}

}  // namespace detail

void symbolic_constant_print(const SymbolTable* tbl, const Expr& e, bool quotes, std::string& out,
                             const PrintOptions& opts) {
  if (tbl != nullptr && !opts.numeric_symbols) {
    std::uint64_t key = detail::symbol_key(e);
    for (const SymbolicConstant& s : tbl->symbols) {
      if (s.value != key) continue;
      if (quotes) out += '"';
      out += s.identifier;
      if (quotes) out += '"';
      return;
    }
  }
  detail::basetype_print(e, out, opts);
}

void datatype_print(const Expr& e, std::string& out, const PrintOptions& opts) {
  for (const Datatype* d = e.dtype; d != nullptr; d = d->basetype) {
    if (d->print != nullptr) return d->print(e, out, opts);
    if (d->sym_tbl != nullptr) return symbolic_constant_print(d->sym_tbl, e, false, out, opts);
  }
  // nft aborts here (a type with neither printer nor symbols); print the raw value.
  detail::gmp_format(out, "0x%Zx", e.value);
}

// ---------------------------------------------------------------------------
// The registry: nft's datatypes[], indexed by id.

namespace {

const std::array<const Datatype*, TYPE_MAX + 1>& registry() {
  static const std::array<const Datatype*, TYPE_MAX + 1> types = {
      &invalid_type,       &verdict_type,      &nfproto_type,      &bitmask_type,     &integer_type,
      &string_type,        &lladdr_type,       &ipaddr_type,       &ip6addr_type,     &etheraddr_type,
      &ethertype_type,     &arpop_type,        &inet_protocol_type, &inet_service_type, &icmp_type_type,
      &tcp_flag_type,      &dccp_pkttype_type, &mh_type_type,      &time_type,        &mark_type,
      &ifindex_type,       &arphrd_type,       &realm_type,        &tchandle_type,    &uid_type,
      &gid_type,           &ct_state_type,     &ct_dir_type,       &ct_status_type,   &icmp6_type_type,
      &ct_label_type,      &pkttype_type,      &icmp_code_type,    &icmpv6_code_type, &icmpx_code_type,
      &devgroup_type,      &dscp_type,         &ecn_type,          &fib_addr_type,    &boolean_type,
      &ct_event_type,      &ifname_type,       &igmp_type_type,    &date_type,        &hour_type,
      &day_type,           &cgroupv2_type,
  };
  return types;
}

}  // namespace

const Datatype* datatype_lookup(std::uint32_t type) {
  if (type > TYPE_MAX) return nullptr;
  return registry()[type];
}

const Datatype* datatype_lookup_byname(std::string_view name) {
  for (const Datatype* d : registry())
    if (d->name == name) return d;
  return nullptr;
}

}  // namespace nftc::sema
