// The datatype framework and the core types: integers, strings, addresses,
// protocols, services, marks, times, booleans. The types of individual
// protocols and keys (tcp flags, ct states, …) are in types_*.cpp.
#include "compiler/sema/datatype.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <fmt/format.h>

#include "compiler/sema/types_impl.hpp"
#include "compiler/spell.hpp"

namespace nftc::sema {

// ---------------------------------------------------------------------------
// Framework

Expr* ParseCtx::constant(Span span, const Datatype* dtype, ByteOrder order, unsigned len_bits, const Value& v) {
  Expr* e = arena().expr(Kind::value, span);
  e->dtype = dtype;
  e->byteorder = order;
  e->len = len_bits;
  e->value = v;
  e->flags |= kExprConstant | kExprSingleton;
  return e;
}

Expr* ParseCtx::constant_bytes(Span span, const Datatype* dtype, ByteOrder order, unsigned len_bits,
                               std::span<const std::uint8_t> bytes) {
  return constant(span, dtype, order, len_bits, Value::from_bytes(bytes, order));
}

bool symbol_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const Datatype* dtype = sym.dtype;
  if (dtype == nullptr) return ctx.error(sym.span, "no symbol type information");
  for (const Datatype* d = dtype; d != nullptr; d = d->basetype) {
    if (d->parse != nullptr) return d->parse(ctx, sym, out);
    if (d->sym_tbl != nullptr) return symbolic_constant_parse(ctx, sym, *d->sym_tbl, out);
  }
  if (dtype->type == TYPE_VERDICT) {
    // nft suggests the closest verdict, else `jump NAME`.
    static constexpr std::string_view verdicts[] = {"continue", "break", "return", "accept", "drop", "queue", "stolen"};
    const std::string& text = const_cast<Expr&>(sym).sym().text;
    std::vector<std::string_view> cands(std::begin(verdicts), std::end(verdicts));
    if (auto m = closest_match(text, cands))
      return ctx.error(sym.span, fmt::format("could not parse {}; did you mean '{}'?", dtype->desc, *m));
    return ctx.error(sym.span, fmt::format("could not parse {}; did you mean 'jump {}'?", dtype->desc, text));
  }
  return ctx.error(sym.span, fmt::format("could not parse symbolic {} expression", dtype->desc));
}

bool symbolic_constant_parse(ParseCtx& ctx, const Expr& sym, const SymbolTable& tbl, Expr*& out) {
  const std::string& text = std::get<SymbolData>(sym.data).text;
  const Datatype* dtype = sym.dtype;
  for (const SymbolicConstant& s : tbl.symbols) {
    if (s.identifier == text) {
      std::array<std::uint8_t, 8> buf{};
      unsigned bytes = (dtype->size + 7) / 8;
      // nft stores the constant's host-order bytes and reads them back in
      // the type's byte order (constant_data_ptr).
      Value host(s.value);
      host.to_bytes(std::span<std::uint8_t>(buf.data(), bytes), ByteOrder::host);
      out = ctx.constant_bytes(sym.span, dtype, dtype->byteorder, dtype->size,
                               std::span<const std::uint8_t>(buf.data(), bytes));
      return true;
    }
  }
  // Not a symbol: try the base type's parser (a number, usually).
  for (const Datatype* d = dtype; d != nullptr && d->basetype != nullptr; d = d->basetype) {
    if (d->basetype->parse == nullptr) continue;
    Expr* res = nullptr;
    // Run the base parser quietly first: on failure, a did-you-mean over
    // the symbols is the better message.
    class Quiet : public ParseCtx {
     public:
      explicit Quiet(ParseCtx& p) : parent_(p) {}
      IrArena& arena() override { return parent_.arena(); }
      bool error(Span, std::string m) override {
        msg = std::move(m);
        return false;
      }
      bool error_with_help(Span, std::string m, std::string) override {
        msg = std::move(m);
        return false;
      }
      std::string msg;

     private:
      ParseCtx& parent_;
    } quiet(ctx);
    if (!d->basetype->parse(quiet, sym, res)) {
      std::vector<std::string_view> names;
      for (const SymbolicConstant& s : tbl.symbols) names.push_back(s.identifier);
      if (auto m = closest_match(text, names))
        return ctx.error(sym.span, fmt::format("could not parse {} expression; did you mean '{}'?", dtype->desc, *m));
      return ctx.error(sym.span, quiet.msg);
    }
    if (res != nullptr) {
      out = res;
      return true;
    }
    break;
  }
  return ctx.error(sym.span, fmt::format("could not parse {}", dtype->desc));
}

bool datatype_prefix_notation(const Datatype* d) { return d->type == TYPE_IPADDR || d->type == TYPE_IP6ADDR; }

const Datatype* TypeStore::concat_type(std::uint32_t type) {
  // Names and descriptions join the members' with " . ".
  Datatype& d = types_.emplace_back();
  d.type = type;
  unsigned n = 0;
  for (std::uint32_t t = type; t != 0; t >>= kTypeBits) ++n;
  d.subtypes = n;
  d.size = 0;
  for (unsigned i = n; i-- > 0;) {
    const Datatype* sub = concat_subtype_lookup(type, i);
    if (sub == nullptr) continue;
    if (!d.owned_name.empty()) {
      d.owned_name += " . ";
      d.owned_desc += ", ";
    }
    d.owned_name += sub->name;
    d.owned_desc += sub->desc;
    d.size += (sub->size + 31) / 32 * 32;
  }
  d.owned_desc = "concatenation of (" + d.owned_desc + ")";
  d.name = d.owned_name;
  d.desc = d.owned_desc;
  return &d;
}

const Datatype* TypeStore::set_datatype(const Datatype* orig, ByteOrder order) {
  Datatype* d = clone(orig);
  d->byteorder = order;
  return d;
}

Datatype* TypeStore::clone(const Datatype* orig) {
  Datatype& d = types_.emplace_back(*orig);
  if (!orig->owned_name.empty()) d.name = d.owned_name;
  if (!orig->owned_desc.empty()) d.desc = d.owned_desc;
  return &d;
}

// ---------------------------------------------------------------------------
// Core types

namespace {

const std::string& sym_text(const Expr& sym) { return std::get<SymbolData>(sym.data).text; }

// mpz_set_str(v, s, 0): "0x…" hex, "0…" octal, else decimal.
bool parse_c_integer(std::string_view s, Value& v) {
  if (s.empty()) return false;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return Value::parse(s.substr(2), 16, v);
  if (s.size() > 1 && s[0] == '0') return Value::parse(s.substr(1), 8, v);
  return Value::parse(s, 10, v);
}

// strtoumax(s, &end, 0) accepting the whole string.
bool parse_strtoumax(std::string_view s, std::uint64_t& out) {
  Value v;
  if (!parse_c_integer(s, v) || !v.fits_u64()) return false;
  out = v.u64();
  return true;
}

bool integer_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  Value v;
  if (!parse_c_integer(sym_text(sym), v)) return ctx.error(sym.span, fmt::format("could not parse {}", sym.dtype->desc));
  out = ctx.constant(sym.span, sym.dtype, ByteOrder::host, 1, v);
  return true;
}

bool string_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  Value v = Value::from_bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()),
                              ByteOrder::host);
  out = ctx.constant(sym.span, &string_type, ByteOrder::host, static_cast<unsigned>((s.size() + 1) * 8), v);
  return true;
}

bool lladdr_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  std::vector<std::uint8_t> buf;
  std::size_t i = 0;
  for (;;) {
    std::size_t j = i;
    unsigned n = 0;
    while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) {
      n = n * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(s[j])) ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10);
      if (n > 0xff) break;
      ++j;
    }
    if (j == i || n > 0xff) return ctx.error(sym.span, "invalid link layer address");
    buf.push_back(static_cast<std::uint8_t>(n));
    if (j >= s.size()) break;
    i = j + 1;
  }
  out = ctx.constant_bytes(sym.span, sym.dtype, ByteOrder::big, static_cast<unsigned>(buf.size() * 8), buf);
  return true;
}

bool ipaddr_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  // nft resolves host names here unless -N is given; nftc never does DNS:
  // a ruleset must not mean different things on different machines.
  // Numeric forms are read as getaddrinfo reads them (inet_aton: "10.1" is
  // 10.0.0.1, "255" is 0.0.0.255, "0xff" too).
  in_addr addr{};
  if (inet_aton(sym_text(sym).c_str(), &addr) == 0)
    return ctx.error_with_help(sym.span, fmt::format("'{}' is not an IPv4 address", sym_text(sym)),
                               "nftc does not resolve host names; write the address");
  out = ctx.constant_bytes(sym.span, &ipaddr_type, ByteOrder::big, 32,
                           std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(&addr), 4));
  return true;
}

bool ip6addr_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  in6_addr addr{};
  if (inet_pton(AF_INET6, sym_text(sym).c_str(), &addr) != 1)
    return ctx.error_with_help(sym.span, fmt::format("'{}' is not an IPv6 address", sym_text(sym)),
                               "nftc does not resolve host names; write the address");
  out = ctx.constant_bytes(sym.span, &ip6addr_type, ByteOrder::big, 128,
                           std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(&addr), 16));
  return true;
}

bool inet_protocol_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  std::uint64_t n;
  std::uint8_t proto;
  const std::string& s = sym_text(sym);
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0])) && parse_strtoumax(s, n)) {
    if (n > 0xff) return ctx.error(sym.span, "protocol out of range");
    proto = static_cast<std::uint8_t>(n);
  } else if (auto p = protocol_number(s)) {
    proto = *p;
  } else {
    return ctx.error(sym.span, fmt::format("could not resolve protocol name '{}'", s));
  }
  out = ctx.constant(sym.span, &inet_protocol_type, ByteOrder::host, 8, Value(proto));
  return true;
}

bool inet_service_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  std::uint64_t n;
  std::uint16_t port;
  const std::string& s = sym_text(sym);
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0])) && parse_strtoumax(s, n)) {
    if (n > 0xffff) return ctx.error(sym.span, "service out of range");
    port = static_cast<std::uint16_t>(n);
  } else if (auto p = service_port(s)) {
    port = *p;
  } else {
    return ctx.error(sym.span, fmt::format("could not resolve service '{}'", s));
  }
  // Stored big-endian: the value is the port number itself.
  out = ctx.constant(sym.span, &inet_service_type, ByteOrder::big, 16, Value(port));
  return true;
}

bool mark_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  // nft consults /etc/iproute2/rt_marks; nftc's symbol table is empty, so a
  // mark is a number.
  return integer_type_parse(ctx, sym, out);
}

bool time_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  std::uint64_t ms;
  std::string err;
  if (!time_parse(sym_text(sym), ms, err)) return ctx.error(sym.span, err);
  if (ms > 0xffffffffu) return ctx.error(sym.span, "value too large");
  out = ctx.constant(sym.span, &time_type, ByteOrder::host, 32, Value(ms));
  return true;
}

bool boolean_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  Expr* n = nullptr;
  if (!integer_type_parse(ctx, sym, n)) return false;
  out = ctx.constant(sym.span, &boolean_type, ByteOrder::host, 1, Value(n->value.is_zero() ? 0 : 1));
  return true;
}

bool priority_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  Value v;
  if (parse_c_integer(s, v)) {
    int num = std::atoi(s.c_str());
    out = ctx.constant(sym.span, &integer_type, ByteOrder::host, 32, Value(static_cast<std::uint32_t>(num)));
    return true;
  }
  Value str = Value::from_bytes(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()),
                                ByteOrder::host);
  out = ctx.constant(sym.span, &string_type, ByteOrder::host, static_cast<unsigned>(s.size() * 8), str);
  return true;
}

bool policy_type_parse(ParseCtx& ctx, const Expr& sym, Expr*& out) {
  const std::string& s = sym_text(sym);
  std::uint32_t policy;
  if (s == "accept") policy = 1;
  else if (s == "drop") policy = 0;
  else return ctx.error(sym.span, fmt::format("'{}' is not a chain policy: use accept or drop", s));
  out = ctx.constant(sym.span, &integer_type, ByteOrder::host, 32, Value(policy));
  return true;
}

constexpr SymbolicConstant kNfprotoSymbols[] = {{"ipv4", 2}, {"ipv6", 10}};
constexpr SymbolTable kNfprotoTable{SymbolTable::decimal, kNfprotoSymbols};
constexpr SymbolicConstant kBooleanSymbols[] = {{"exists", 1}, {"missing", 0}};
constexpr SymbolTable kBooleanTable{SymbolTable::decimal, kBooleanSymbols};

}  // namespace

const Datatype invalid_type{.type = TYPE_INVALID, .name = "invalid", .desc = "invalid",
                            .print = detail::invalid_type_print};
const Datatype verdict_type{.type = TYPE_VERDICT, .name = "verdict", .desc = "netfilter verdict",
                            .print = detail::verdict_type_print};
const Datatype nfproto_type{.type = TYPE_NFPROTO, .size = 8, .name = "nf_proto", .desc = "netfilter protocol",
                            .basetype = &integer_type, .sym_tbl = &kNfprotoTable};
const Datatype bitmask_type{.type = TYPE_BITMASK, .name = "bitmask", .desc = "bitmask", .basetype = &integer_type,
                            .basefmt = "0x%Zx"};
const Datatype integer_type{.type = TYPE_INTEGER, .name = "integer", .desc = "integer", .parse = integer_type_parse,
                            .print = detail::integer_type_print};
const Datatype xinteger_type{.type = TYPE_INTEGER, .name = "integer", .desc = "integer", .basetype = &integer_type,
                             .parse = integer_type_parse, .print = detail::xinteger_type_print};
const Datatype queue_type{.type = TYPE_INTEGER, .is_typeof = true, .name = "queue", .desc = "queue",
                          .basetype = &integer_type, .print = detail::queue_type_print};
const Datatype string_type{.type = TYPE_STRING, .byteorder = ByteOrder::host, .name = "string", .desc = "string",
                           .parse = string_type_parse, .print = detail::string_type_print};
const Datatype lladdr_type{.type = TYPE_LLADDR, .byteorder = ByteOrder::big, .name = "ll_addr",
                           .desc = "link layer address", .basetype = &integer_type, .parse = lladdr_type_parse,
                           .print = detail::lladdr_type_print};
const Datatype ipaddr_type{.type = TYPE_IPADDR, .byteorder = ByteOrder::big, .size = 32, .name = "ipv4_addr",
                           .desc = "IPv4 address", .basetype = &integer_type, .parse = ipaddr_type_parse,
                           .print = detail::ipaddr_type_print};
const Datatype ip6addr_type{.type = TYPE_IP6ADDR, .byteorder = ByteOrder::big, .size = 128, .name = "ipv6_addr",
                            .desc = "IPv6 address", .basetype = &integer_type, .parse = ip6addr_type_parse,
                            .print = detail::ip6addr_type_print};
const Datatype inet_protocol_type{.type = TYPE_INET_PROTOCOL, .size = 8, .name = "inet_proto",
                                  .desc = "Internet protocol", .basetype = &integer_type,
                                  .parse = inet_protocol_type_parse,
                                  .print = detail::inet_protocol_type_print};
const Datatype inet_service_type{.type = TYPE_INET_SERVICE, .byteorder = ByteOrder::big, .size = 16,
                                 .name = "inet_service", .desc = "internet network service",
                                 .basetype = &integer_type, .parse = inet_service_type_parse,
                                 .print = detail::inet_service_type_print};
const Datatype mark_type{.type = TYPE_MARK, .byteorder = ByteOrder::host, .size = 32, .name = "mark",
                         .desc = "packet mark", .basetype = &integer_type, .basefmt = "0x%.8Zx",
                         .parse = mark_type_parse,
                         .print = detail::mark_type_print};
const Datatype time_type{.type = TYPE_TIME, .byteorder = ByteOrder::host, .size = 32, .name = "time",
                         .desc = "relative time", .basetype = &integer_type, .parse = time_type_parse,
                         .print = detail::time_type_print};
const Datatype boolean_type{.type = TYPE_BOOLEAN, .byteorder = ByteOrder::host, .size = 1, .name = "boolean",
                            .desc = "boolean type", .basetype = &integer_type, .parse = boolean_type_parse,
                            .sym_tbl = &kBooleanTable};
const Datatype priority_type{.type = TYPE_STRING, .name = "priority", .desc = "priority type",
                             .parse = priority_type_parse};
const Datatype policy_type{.type = TYPE_STRING, .name = "policy", .desc = "policy type", .parse = policy_type_parse};

// ---------------------------------------------------------------------------
// Time strings

bool time_parse(std::string_view str, std::uint64_t& out, std::string& error) {
  constexpr unsigned kMaxDigits = 8;
  enum : unsigned { DAY = 1, HOUR = 2, MIN = 4, SECS = 8, MSECS = 16 };
  std::uint64_t d = 0, h = 0, m = 0, s = 0, ms = 0;
  unsigned mask = 0, k = 0;
  auto num_before = [&](std::size_t i) -> std::uint64_t {
    std::uint64_t v = 0;
    for (std::size_t j = i - k; j < i; ++j) v = v * 10 + static_cast<unsigned>(str[j] - '0');
    return v;
  };
  for (std::size_t i = 0; i < str.size(); ++i) {
    char c = str[i];
    switch (c) {
      case 'd':
        if (mask & DAY) return error = "day has been specified twice", false;
        d = num_before(i), k = 0, mask |= DAY;
        break;
      case 'h':
        if (mask & HOUR) return error = "hour has been specified twice", false;
        h = num_before(i), k = 0, mask |= HOUR;
        break;
      case 'm':
        if (str.substr(i) == "ms") {
          if (mask & MSECS) return error = "millisecond has been specified twice", false;
          ms = num_before(i), k = 0, mask |= MSECS;
          ++i;
          break;
        }
        if (mask & MIN) return error = "minute has been specified twice", false;
        m = num_before(i), k = 0, mask |= MIN;
        break;
      case 's':
        if (mask & SECS) return error = "second has been specified twice", false;
        s = num_before(i), k = 0, mask |= SECS;
        break;
      default:
        if (c < '0' || c > '9') return error = fmt::format("'{}' is not a time: use units d, h, m, s, ms", str), false;
        if (k++ >= kMaxDigits) return error = "value too large", false;
        break;
    }
  }
  if (mask == 0) {
    out = static_cast<std::uint64_t>(std::atoll(std::string(str).c_str())) * 1000;
  } else {
    out = 86400000ull * d + 3600000ull * h + 60000ull * m + 1000ull * s + ms;
  }
  return true;
}

std::string time_to_string(std::uint64_t ms) {
  std::string out;
  std::uint64_t days = ms / 86400000, hours = ms / 3600000 % 24, mins = ms / 60000 % 60, secs = ms / 1000 % 60,
                msec = ms % 1000;
  if (days) out += std::to_string(days) + "d";
  if (hours) out += std::to_string(hours) + "h";
  if (mins) out += std::to_string(mins) + "m";
  if (secs) out += std::to_string(secs) + "s";
  if (msec) out += std::to_string(msec) + "ms";
  if (out.empty()) out = "0s";
  return out;
}

}  // namespace nftc::sema
