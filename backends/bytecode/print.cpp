// The formats follow libnftnl's *_snprintf functions: every expression body
// ends in a space, so "[ cmp eq reg 1 0x06 ]" and "[ masq ]" come out of the
// same "[ name body]" frame.
#include "backends/bytecode/print.hpp"

#include <fmt/format.h>

#include <bit>
#include <iterator>
#include <numeric>
#include <ostream>

#include "backends/bytecode/names.hpp"

namespace nftc::bytecode_text {
namespace {

constexpr bool kLittleEndianHost = std::endian::native == std::endian::little;

template <class... Args>
void put(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

// Four bytes per group, groups separated by a space and each led by
// `prefix`; back to front when `reverse`.
void put_hex_groups(std::string& out, std::span<const std::uint8_t> bytes, bool reverse,
                    std::string_view prefix) {
  std::string_view sep;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i % 4 == 0) {
      out += sep;
      out += prefix;
      sep = " ";
    }
    put(out, "{:02x}", bytes[reverse ? bytes.size() - 1 - i : i]);
  }
}

// Expressions pass libnftnl one byte-order flag and no field sizes, so a
// host-endian value is reversed as a whole, concatenation or not.
void put_value(std::string& out, const bc::Value& v) {
  put_hex_groups(out, v.bytes.span(), v.host_endian && kLittleEndianHost, "0x");
}

// Set elements pass the field sizes too: fields are printed one by one,
// " . " between them, each padded to four bytes in the data.
void put_element_value(std::string& out, const bc::Bytes& bytes, const std::vector<bc::Field>& fields) {
  if (fields.empty()) {
    put_hex_groups(out, bytes.span(), false, "");
    return;
  }
  std::size_t pos = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += " . ";
    std::size_t len = fields[i].len != 0 ? fields[i].len : bytes.size();
    len = std::min(len, bytes.size() - std::min(pos, bytes.size()));
    put_hex_groups(out, bytes.span().subspan(pos, len), fields[i].host_endian && kLittleEndianHost, "");
    pos += (len + 3) / 4 * 4;
    if (pos / 4 >= bytes.size() / 4) break;  // libnftnl's end test, in words
  }
}

void put_verdict(std::string& out, const bc::Verdict& v) {
  out += name_of(verdict_names(), static_cast<std::uint32_t>(v.code));
  if (!v.chain.empty()) put(out, " -> {}", v.chain);
}

void put_userdata(std::string& out, std::string_view lead, const std::vector<std::uint8_t>& udata) {
  unsigned sum = std::accumulate(udata.begin(), udata.end(), 0u);
  put(out, "{}userdata len {} sum 0x{:x}", lead, udata.size(), sum);
}

// libnftnl's limit unit: the largest of minute, hour, day, week that
// divides the period, with a count in front when it is not 1.
void put_limit_unit(std::string& out, std::uint64_t seconds) {
  static constexpr struct {
    unsigned size;
    std::string_view name;
  } units[] = {{0, "second"}, {60, "minute"}, {60, "hour"}, {24, "day"}, {7, "week"}};
  std::size_t i = 1;
  for (; i < std::size(units); ++i) {
    if (seconds % units[i].size) break;
    seconds /= units[i].size;
  }
  if (seconds > 1) put(out, "{} ", seconds);
  out += units[i - 1].name;
}

void put_flag_words(std::string& out, NameTable table, std::uint32_t flags) {
  for (const NamedValue& f : table)
    if (flags & f.value) put(out, "{} ", f.name);
}

std::string_view exthdr_op_word(std::uint32_t op) {
  // libnftnl names only these three; SCTP and DCCP print nothing.
  std::string_view name = name_of(exthdr_op_names(), op);
  return name == "unknown" ? "" : name;
}

void put_body(std::string& out, const bc::ExprKind& kind);

// The text between "[ name " and "]".
struct BodyPrinter {
  std::string& out;

  std::uint32_t r(bc::Reg reg) const { return reg.number; }

  void operator()(const bc::PayloadLoad& e) {
    put(out, "load {}b @ {} header + {} => reg {} ", e.len, name_of(payload_base_names(), e.base), e.offset,
        r(e.dreg));
  }
  void operator()(const bc::PayloadSet& e) {
    put(out, "write reg {} => {}b @ {} header + {} csum_type {} csum_off {} csum_flags 0x{:x} ", r(e.sreg),
        e.len, name_of(payload_base_names(), e.base), e.offset, e.csum_type, e.csum_offset, e.csum_flags);
  }
  void operator()(const bc::Cmp& e) {
    put(out, "{} reg {} ", name_of(cmp_op_names(), e.op), r(e.sreg));
    put_value(out, e.data);
    out += ' ';
  }
  void operator()(const bc::Range& e) {
    put(out, "{} reg {} ", name_of(range_op_names(), e.op), r(e.sreg));
    put_value(out, e.from);
    out += ' ';
    put_value(out, e.to);
    out += ' ';
  }
  void operator()(const bc::Bitwise& e) {
    switch (e.op) {
      case bc::uapi::kBitwiseMaskXor:
        put(out, "reg {} = ( reg {} & ", r(e.dreg), r(e.sreg));
        put_value(out, e.mask);
        out += " ) ^ ";
        put_value(out, e.xor_value);
        out += ' ';
        return;
      case NFT_BITWISE_LSHIFT:
      case NFT_BITWISE_RSHIFT:
        put(out, "reg {} = ( reg {} {} ", r(e.dreg), r(e.sreg), e.op == NFT_BITWISE_LSHIFT ? "<<" : ">>");
        put_value(out, e.data);
        out += " ) ";
        return;
      case bc::uapi::kBitwiseAnd:
      case bc::uapi::kBitwiseOr:
      case bc::uapi::kBitwiseXor: {
        std::string_view sym = e.op == bc::uapi::kBitwiseAnd ? "&" : e.op == bc::uapi::kBitwiseOr ? "|" : "^";
        put(out, "reg {} = ( reg {} {} ", r(e.dreg), r(e.sreg), sym);
        if (e.sreg2)
          put(out, "reg {} ", r(*e.sreg2));
        else
          put_value(out, e.data);  // no space before ")" here: libnftnl's quirk
        out += ") ";
        return;
      }
      default:
        return;  // libnftnl prints nothing it does not know
    }
  }
  void operator()(const bc::Byteorder& e) {
    put(out, "reg {} = {}(reg {}, {}, {}) ", r(e.dreg), name_of(byteorder_op_names(), e.op), r(e.sreg),
        e.size, e.len);
  }
  void operator()(const bc::Immediate& e) {
    put(out, "reg {} ", r(e.dreg));
    if (const auto* v = std::get_if<bc::Value>(&e.data))
      put_value(out, *v);
    else
      put_verdict(out, std::get<bc::Verdict>(e.data));
    out += ' ';
  }
  void operator()(const bc::Lookup& e) {
    put(out, "reg {} set {} ", r(e.sreg), e.set);
    if (e.dreg) put(out, "dreg {} ", r(*e.dreg));
    if (e.flags) put(out, "0x{:x} ", e.flags);
  }
  void operator()(const bc::Dynset& e) {
    put(out, "{} reg_key {} set {} ", name_of(dynset_op_names(), e.op), r(e.sreg_key), e.set);
    if (e.sreg_data) put(out, "sreg_data {} ", r(*e.sreg_data));
    if (e.timeout_ms) put(out, "timeout {}ms ", e.timeout_ms);
    for (const bc::Expr& x : e.exprs) {
      put(out, "expr [ {} ", bc::expr_name(x.kind));
      put_body(out, x.kind);
      out += "] ";
    }
  }
  void operator()(const bc::ObjrefMap& e) { put(out, "sreg {} set {} ", r(e.sreg), e.set); }
  void operator()(const bc::Objref& e) { put(out, "type {} name {} ", e.type, e.name); }
  void operator()(const bc::MetaLoad& e) {
    put(out, "load {} => reg {} ", name_of(meta_key_names(), e.key), r(e.dreg));
  }
  void operator()(const bc::MetaSet& e) {
    put(out, "set {} with reg {} ", name_of(meta_key_names(), e.key), r(e.sreg));
  }
  void operator()(const bc::CtLoad& e) {
    put(out, "load {} => reg {} ", name_of(ct_key_names(), e.key), r(e.dreg));
    if (e.dir) put(out, ", dir {} ", name_of(ct_dir_names(), *e.dir));
  }
  void operator()(const bc::CtSet& e) {
    put(out, "set {} with reg {} ", name_of(ct_key_names(), e.key), r(e.sreg));
    if (e.dir) put(out, ", dir {} ", name_of(ct_dir_names(), *e.dir));
  }
  void operator()(const bc::ExthdrLoad& e) {
    std::string_view op = exthdr_op_word(e.op);
    put(out, "load{}{} {}b @ {} + {}{} => reg {} ", op.empty() ? "" : " ", op, e.len, e.type, e.offset,
        e.flags & NFT_EXTHDR_F_PRESENT ? " present" : "", r(e.dreg));
  }
  void operator()(const bc::ExthdrSet& e) {
    std::string_view op = exthdr_op_word(e.op);
    put(out, "write{}{} reg {} => {}b @ {} + {} ", op.empty() ? "" : " ", op, r(e.sreg), e.len, e.type,
        e.offset);
  }
  void operator()(const bc::ExthdrReset& e) {
    if (e.op == NFT_EXTHDR_OP_TCPOPT)
      put(out, "reset tcpopt {} ", e.type);
    else
      put(out, "op {} len 0 type {} offset 0 ", e.op, e.type);
  }
  void operator()(const bc::Rt& e) {
    put(out, "load {} => reg {} ", name_of(rt_key_names(), e.key), r(e.dreg));
  }
  void operator()(const bc::Socket& e) {
    put(out, "load {} => reg {} ", name_of(socket_key_names(), e.key), r(e.dreg));
  }
  void operator()(const bc::Osf& e) { put(out, "dreg {} ", r(e.dreg)); }
  void operator()(const bc::Fib& e) {
    // Flag names joined by " . ", then the result; unknown bits print as
    // "unknown 0x…" glued to the result, as libnftnl does.
    std::uint32_t flags = e.flags & ~std::uint32_t{NFTA_FIB_F_PRESENT};
    for (const NamedValue& f : fib_flag_names()) {
      if (!(flags & f.value)) continue;
      put(out, "{} ", f.name);
      flags &= ~f.value;
      if (flags) out += ". ";
    }
    if (flags) put(out, "unknown 0x{:x}", flags);
    put(out, "{}{} => reg {} ", name_of(fib_result_names(), e.result),
        e.flags & NFTA_FIB_F_PRESENT ? " present" : "", r(e.dreg));
  }
  void operator()(const bc::Xfrm& e) {
    put(out, "load {} {} {} => reg {} ", name_of(xfrm_dir_names(), e.dir), e.spnum,
        name_of(xfrm_key_names(), e.key), r(e.dreg));
  }
  void operator()(const bc::Tunnel& e) {
    put(out, "load {} => reg {} ", name_of(tunnel_key_names(), e.key), r(e.dreg));
  }
  void operator()(const bc::Numgen& e) {
    if (e.type != NFT_NG_INCREMENTAL && e.type != NFT_NG_RANDOM) return;
    put(out, "reg {} = {} mod {} ", r(e.dreg), name_of(numgen_type_names(), e.type), e.modulus);
    if (e.offset) put(out, "offset {} ", e.offset);
  }
  void operator()(const bc::Hash& e) {
    if (e.type == NFT_HASH_SYM)
      put(out, "reg {} = symhash() % mod {} ", r(e.dreg), e.modulus);
    else
      put(out, "reg {} = jhash(reg {}, {}, 0x{:x}) % mod {} ", r(e.dreg), r(e.sreg), e.len, e.seed.value_or(0),
          e.modulus);
    if (e.offset) put(out, "offset {} ", e.offset);
  }
  void operator()(const bc::Inner& e) {
    put(out, "type {} hdrsize {} flags {:x} [ {} ", e.type, e.hdrsize, e.flags, bc::expr_name(e.expr->kind));
    put_body(out, e.expr->kind);
    out += "] ";
  }
  void operator()(const bc::Counter& e) { put(out, "pkts {} bytes {} ", e.packets, e.bytes); }
  void operator()(const bc::Limit& e) {
    put(out, "rate {}/", e.rate);
    put_limit_unit(out, e.unit);
    put(out, " burst {} type {} flags 0x{:x} ", e.burst, name_of(limit_type_names(), e.type), e.flags);
  }
  void operator()(const bc::Quota& e) {
    put(out, "bytes {} consumed {} flags {} ", e.bytes, e.consumed, e.flags);
  }
  void operator()(const bc::Connlimit& e) { put(out, "count {} flags {:x} ", e.count, e.flags); }
  void operator()(const bc::Last& e) {
    if (e.set)
      put(out, "{} ", e.msecs);
    else
      out += "never ";
  }
  void operator()(const bc::Log& e) {
    if (e.prefix) put(out, "prefix {} ", *e.prefix);
    if (e.group) {
      put(out, "group {} snaplen {} qthreshold {} ", *e.group, e.snaplen.value_or(0),
          e.qthreshold.value_or(0));
      return;
    }
    if (e.level) put(out, "level {} ", *e.level);
    if (e.flags) put_flag_words(out, log_flag_names(), *e.flags);
  }
  void operator()(const bc::Reject& e) { put(out, "type {} code {} ", e.type, e.icmp_code); }
  void operator()(const bc::Nat& e) {
    put(out, "{} {} ", name_of(nat_type_names(), e.type), name_of(family_names(), e.family));
    if (e.addr_min) put(out, "addr_min reg {} ", r(*e.addr_min));
    if (e.addr_max) put(out, "addr_max reg {} ", r(*e.addr_max));
    put_proto_range(e.proto_min, e.proto_max, e.flags);
  }
  void operator()(const bc::Masq& e) { put_proto_range(e.proto_min, e.proto_max, e.flags); }
  void operator()(const bc::Redir& e) { put_proto_range(e.proto_min, e.proto_max, e.flags); }
  void operator()(const bc::Tproxy& e) {
    if (e.family != NFPROTO_UNSPEC) put(out, "{} ", name_of(family_names(), e.family));
    if (e.addr) put(out, "addr reg {} ", r(*e.addr));
    if (e.port) put(out, "port reg {} ", r(*e.port));
  }
  void operator()(const bc::Queue& e) {
    if (!e.sreg_qnum) {
      put(out, "num {}", e.num);
      auto last = static_cast<std::uint16_t>(e.num + e.total - 1);
      if (e.total && last != e.num) put(out, "-{}", last);
      out += ' ';
    } else {
      put(out, "sreg_qnum {} ", r(*e.sreg_qnum));
    }
    put_flag_words(out, queue_flag_names(), e.flags);
  }
  void operator()(const bc::Dup& e) {
    if (e.sreg_addr) put(out, "sreg_addr {} ", r(*e.sreg_addr));
    if (e.sreg_dev) put(out, "sreg_dev {} ", r(*e.sreg_dev));
  }
  void operator()(const bc::Fwd& e) {
    if (e.sreg_dev) put(out, "sreg_dev {} ", r(*e.sreg_dev));
    if (e.sreg_addr) put(out, "sreg_addr {} ", r(*e.sreg_addr));
    if (e.nfproto) put(out, "nfproto {} ", *e.nfproto);
  }
  void operator()(const bc::Notrack&) {}
  void operator()(const bc::Synproxy& e) { put(out, "mss {} wscale {} ", e.mss, e.wscale); }
  void operator()(const bc::FlowOffload& e) { put(out, "flowtable {} ", e.flowtable); }

  void put_proto_range(const std::optional<bc::Reg>& min, const std::optional<bc::Reg>& max,
                       const std::optional<std::uint32_t>& flags) {
    if (min) put(out, "proto_min reg {} ", r(*min));
    if (max) put(out, "proto_max reg {} ", r(*max));
    if (flags) put(out, "flags 0x{:x} ", *flags);
  }
};

void put_body(std::string& out, const bc::ExprKind& kind) { std::visit(BodyPrinter{out}, kind); }

void put_expr(std::string& out, const bc::Expr& expr) {
  put(out, "[ {} ", bc::expr_name(expr.kind));
  put_body(out, expr.kind);
  out += ']';
}

void put_element(std::string& out, const bc::SetElement& el, const bc::Set& set) {
  out += "element ";
  put_element_value(out, el.key, set.key_fields);
  if (el.key_end) {
    out += " - ";
    put_element_value(out, *el.key_end, set.key_fields);
  }
  if (const auto* d = std::get_if<bc::Bytes>(&el.data)) {
    out += " : ";
    put_element_value(out, *d, set.data_fields);
  } else if (const auto* v = std::get_if<bc::Verdict>(&el.data)) {
    out += " : ";
    put_verdict(out, *v);
  } else if (const auto* o = std::get_if<bc::ObjectName>(&el.data)) {
    put(out, " : {}", o->name);
  }
  if (el.flags) put(out, " flags {}", el.flags);
  std::vector<std::uint8_t> udata = bc::element_userdata(el);
  if (!udata.empty()) put_userdata(out, "  ", udata);
}

void put_set(std::string& out, const bc::Set& set) {
  put(out, "{} {} {:x}", set.name, set.table, set.flags);
  if (set.timeout_ms) put(out, " timeout {}ms", *set.timeout_ms);
  if (set.gc_interval_ms) put(out, " gc_interval {}ms", *set.gc_interval_ms);
  if (set.policy) put(out, " policy {}", *set.policy);
  if (set.size) put(out, " size {}", *set.size);
  out += '\n';
  if (set.elements.empty()) return;
  // nft announces the element batch with a bare set (name and table only).
  put(out, "{} {} 0\n", set.name, set.table);
  for (const bc::SetElement& el : set.elements) {
    out += '\t';
    put_element(out, el, set);
  }
  out += '\n';
}

void put_rule(std::string& out, const bc::Rule& rule, const PrintOptions& opts) {
  if (opts.anonymous_sets)
    for (const bc::Set& set : rule.anonymous_sets) put_set(out, set);
  out += name_of(family_names(), rule.family);
  if (!rule.table.empty()) put(out, " {}", rule.table);
  if (!rule.chain.empty()) put(out, " {}", rule.chain);
  for (const bc::Expr& expr : rule.exprs) {
    out += "\n  ";
    put_expr(out, expr);
  }
  std::vector<std::uint8_t> udata = bc::rule_userdata(rule);
  if (!udata.empty()) put_userdata(out, "\n  ", udata);
  out += '\n';
}

}  // namespace

std::string rule_text(const bc::Rule& rule, const PrintOptions& opts) {
  std::string out;
  put_rule(out, rule, opts);
  return out;
}

void print_rule(std::ostream& out, const bc::Rule& rule, const PrintOptions& opts) {
  out << rule_text(rule, opts);
}

std::string set_text(const bc::Set& set) {
  std::string out;
  put_set(out, set);
  return out;
}

void print_set(std::ostream& out, const bc::Set& set) { out << set_text(set); }

std::string expr_text(const bc::Expr& expr) {
  std::string out;
  put_expr(out, expr);
  return out;
}

std::string value_text(const bc::Value& value) {
  std::string out;
  put_value(out, value);
  return out;
}

std::string element_text(const bc::SetElement& element, const bc::Set& set) {
  std::string out;
  put_element(out, element, set);
  return out;
}

}  // namespace nftc::bytecode_text
