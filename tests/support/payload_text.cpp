// The reader mirrors backends/bytecode/print.cpp form for form, and shares
// its vocabulary (backends/bytecode/names.hpp). It reads values as the text
// shows them, most significant byte first, and leaves what the text does
// not say (host byte order, SCTP vs DCCP, set ids, some lengths) to
// backends/bytecode/recover.hpp.
#include "tests/support/payload_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "backends/bytecode/names.hpp"
#include "backends/bytecode/recover.hpp"

namespace nftc::test {
namespace {

namespace bt = nftc::bytecode_text;

struct Failure {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::string_view w : split(s, ' '))
    if (!w.empty()) out.push_back(w);
  return out;
}

std::uint64_t parse_uint(std::string_view s, int base = 10) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) fail(fmt::format("bad number '{}'", s));
  return v;
}

// "0x1f" → 31.
std::uint64_t parse_hex(std::string_view s) {
  if (!s.starts_with("0x")) fail(fmt::format("expected a 0x number, found '{}'", s));
  return parse_uint(s.substr(2), 16);
}

std::uint32_t named(bt::NameTable table, std::string_view word, std::string_view what) {
  auto v = bt::value_of(table, word);
  if (!v) fail(fmt::format("unknown {} '{}'", what, word));
  return *v;
}

void append_hex(bc::Bytes& out, std::string_view digits) {
  if (digits.empty() || digits.size() % 2) fail(fmt::format("odd hex digits '{}'", digits));
  for (std::size_t i = 0; i < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(parse_uint(digits.substr(i, 2), 16)));
}

// The words of an expression body. Empty words (from a doubled space) are
// skipped, except by raw_until(), which a log prefix needs to keep its spaces.
class Tokens {
 public:
  explicit Tokens(std::vector<std::string_view> toks) : toks_(std::move(toks)) { skip_empty(); }

  bool done() const { return pos_ >= toks_.size(); }
  std::string_view peek() const { return done() ? std::string_view{} : toks_[pos_]; }
  std::string_view next() {
    if (done()) fail("unexpected end of line");
    std::string_view t = toks_[pos_++];
    skip_empty();
    return t;
  }
  // Steps over the current word without skipping the empty ones after it.
  void step_raw() {
    if (done()) fail("unexpected end of line");
    ++pos_;
  }
  // The words up to the next `is_end` word, empty ones included, joined
  // back with the spaces between them.
  template <class Pred>
  std::string raw_until(Pred is_end) {
    std::size_t end = pos_;
    while (end < toks_.size() && !(toks_[end].size() && is_end(toks_[end]))) ++end;
    std::size_t last = end;
    // At the end of the body, its final space is the format's.
    if (end == toks_.size() && last > pos_ && toks_[last - 1].empty()) --last;
    std::string out;
    for (std::size_t k = pos_; k < last; ++k) {
      if (k > pos_) out += ' ';
      out += toks_[k];
    }
    pos_ = end;
    skip_empty();
    return out;
  }
  bool accept(std::string_view w) {
    if (done() || toks_[pos_] != w) return false;
    next();
    return true;
  }
  void expect(std::string_view w) {
    if (!accept(w)) fail(fmt::format("expected '{}', found '{}'", w, peek()));
  }
  std::uint64_t number() { return parse_uint(next()); }
  template <class T>
  T number_as() {
    return static_cast<T>(number());
  }
  // "word N"
  template <class T>
  T after(std::string_view word) {
    expect(word);
    return number_as<T>();
  }
  bc::Reg regnum() { return bc::Reg{number_as<std::uint32_t>()}; }
  bc::Reg reg() {
    expect("reg");
    return regnum();
  }
  // "word N" when the next token is `word`.
  std::optional<bc::Reg> reg_after(std::string_view word, bool with_reg_keyword) {
    if (!accept(word)) return std::nullopt;
    return with_reg_keyword ? reg() : regnum();
  }
  // Hex groups ("0x0a000001 0x0050"); a trailing ")" glued to the last one
  // (bitwise with data) is left for the caller to see via `closed`.
  bc::Value value(bool* closed = nullptr) {
    bc::Value v;
    while (!done() && peek().starts_with("0x")) {
      std::string_view t = next();
      if (closed && t.ends_with(")")) {
        append_hex(v.bytes, t.substr(2, t.size() - 3));
        *closed = true;
        return v;
      }
      append_hex(v.bytes, t.substr(2));
    }
    if (v.bytes.empty()) fail(fmt::format("expected a value, found '{}'", peek()));
    return v;
  }

 private:
  void skip_empty() {
    while (pos_ < toks_.size() && toks_[pos_].empty()) ++pos_;
  }
  std::vector<std::string_view> toks_;
  std::size_t pos_ = 0;
};

bc::Verdict parse_verdict(Tokens& t) {
  bc::Verdict v{static_cast<std::int32_t>(named(bt::verdict_names(), t.next(), "verdict")), {}};
  if (t.accept("->")) v.chain = std::string(t.next());
  return v;
}

bc::ExprKind parse_expr(std::string_view name, Tokens& t);

bc::ExprKind parse_payload(Tokens& t) {
  auto len_b = [&] {
    std::string_view s = t.next();
    if (!s.ends_with("b")) fail(fmt::format("expected a length in bytes, found '{}'", s));
    return static_cast<std::uint32_t>(parse_uint(s.substr(0, s.size() - 1)));
  };
  auto base = [&] {
    std::uint32_t b = named(bt::payload_base_names(), t.next(), "payload base");
    t.expect("header");
    t.expect("+");
    return b;
  };
  if (t.accept("load")) {
    bc::PayloadLoad e;
    e.len = len_b();
    t.expect("@");
    e.base = base();
    e.offset = t.number_as<std::uint32_t>();
    t.expect("=>");
    e.dreg = t.reg();
    return e;
  }
  t.expect("write");
  bc::PayloadSet e;
  e.sreg = t.reg();
  t.expect("=>");
  e.len = len_b();
  t.expect("@");
  e.base = base();
  e.offset = t.number_as<std::uint32_t>();
  e.csum_type = t.after<std::uint32_t>("csum_type");
  e.csum_offset = t.after<std::uint32_t>("csum_off");
  t.expect("csum_flags");
  e.csum_flags = static_cast<std::uint32_t>(parse_hex(t.next()));
  return e;
}

bc::ExprKind parse_bitwise(Tokens& t) {
  bc::Bitwise e;
  e.dreg = t.reg();
  t.expect("=");
  t.expect("(");
  e.sreg = t.reg();
  std::string_view op = t.next();
  if (op == "<<" || op == ">>") {
    e.op = op == "<<" ? NFT_BITWISE_LSHIFT : NFT_BITWISE_RSHIFT;
    e.data = t.value();
    t.expect(")");
    return e;
  }
  if (op == "|" || op == "^")
    e.op = op == "|" ? bc::uapi::kBitwiseOr : bc::uapi::kBitwiseXor;
  else if (op == "&")
    e.op = bc::uapi::kBitwiseAnd;
  else
    fail(fmt::format("unknown bitwise operator '{}'", op));
  if (t.peek() == "reg") {
    e.sreg2 = t.reg();
    t.expect(")");
    return e;
  }
  bool closed = false;
  bc::Value v = t.value(&closed);
  if (closed) {  // "( reg 1 | 0x0a)": a boolean with data
    e.data = std::move(v);
    return e;
  }
  if (op != "&") fail("expected ')' after the operand");
  e.op = bc::uapi::kBitwiseMaskXor;
  e.mask = std::move(v);
  e.len = static_cast<std::uint32_t>(e.mask.bytes.size());
  t.expect(")");
  t.expect("^");
  e.xor_value = t.value();
  return e;
}

// "hton(reg" "1," "4," "4)" — the byteorder and hash forms glue
// punctuation to their numbers.
std::uint64_t glued_number(Tokens& t, std::string_view suffix) {
  std::string_view s = t.next();
  if (!s.ends_with(suffix)) fail(fmt::format("expected '{}' after '{}'", suffix, s));
  s.remove_suffix(suffix.size());
  return s.starts_with("0x") ? parse_hex(s) : parse_uint(s);
}

bc::ExprKind parse_byteorder(Tokens& t) {
  bc::Byteorder e;
  e.dreg = t.reg();
  t.expect("=");
  std::string_view call = t.next();  // "hton(reg"
  if (!call.ends_with("(reg")) fail(fmt::format("expected 'hton(reg' or 'ntoh(reg', found '{}'", call));
  e.op = named(bt::byteorder_op_names(), call.substr(0, call.size() - 4), "byteorder operation");
  e.sreg = bc::Reg{static_cast<std::uint32_t>(glued_number(t, ","))};
  e.size = static_cast<std::uint32_t>(glued_number(t, ","));
  e.len = static_cast<std::uint32_t>(glued_number(t, ")"));
  return e;
}

bc::ExprKind parse_hash(Tokens& t) {
  bc::Hash e;
  e.dreg = t.reg();
  t.expect("=");
  if (t.accept("symhash()")) {
    e.type = NFT_HASH_SYM;
  } else {
    t.expect("jhash(reg");
    e.type = NFT_HASH_JENKINS;
    e.sreg = bc::Reg{static_cast<std::uint32_t>(glued_number(t, ","))};
    e.len = static_cast<std::uint32_t>(glued_number(t, ","));
    e.seed = static_cast<std::uint32_t>(glued_number(t, ")"));
  }
  t.expect("%");
  e.modulus = t.after<std::uint32_t>("mod");
  if (t.accept("offset")) e.offset = t.number_as<std::uint32_t>();
  return e;
}

bc::ExprKind parse_exthdr(Tokens& t) {
  std::string_view verb = t.next();
  if (verb == "reset") {
    t.expect("tcpopt");
    return bc::ExthdrReset{NFT_EXTHDR_OP_TCPOPT, t.number_as<std::uint8_t>()};
  }
  if (verb == "op") {  // libnftnl's fallback for a register-less exthdr
    bc::ExthdrReset e{t.number_as<std::uint32_t>(), 0};
    t.expect("len");
    if (t.number() != 0) fail("a register-less exthdr with a length");
    e.type = t.after<std::uint8_t>("type");
    t.expect("offset");
    t.number();
    return e;
  }
  // SCTP and DCCP print no operation word; ByteOrder::run tells them apart.
  std::uint32_t op = NFT_EXTHDR_OP_SCTP;
  if (t.peek() != "reg" && !t.peek().ends_with("b")) op = named(bt::exthdr_op_names(), t.next(), "exthdr op");
  auto len_type_offset = [&](std::uint32_t& len, std::uint8_t& type, std::uint32_t& offset) {
    std::string_view s = t.next();
    if (!s.ends_with("b")) fail(fmt::format("expected a length in bytes, found '{}'", s));
    len = static_cast<std::uint32_t>(parse_uint(s.substr(0, s.size() - 1)));
    t.expect("@");
    type = t.number_as<std::uint8_t>();
    t.expect("+");
    offset = t.number_as<std::uint32_t>();
  };
  if (verb == "load") {
    bc::ExthdrLoad e;
    e.op = op;
    len_type_offset(e.len, e.type, e.offset);
    if (t.accept("present")) e.flags = NFT_EXTHDR_F_PRESENT;
    t.expect("=>");
    e.dreg = t.reg();
    return e;
  }
  if (verb != "write") fail(fmt::format("unknown exthdr form '{}'", verb));
  bc::ExthdrSet e;
  e.op = op;
  e.sreg = t.reg();
  t.expect("=>");
  len_type_offset(e.len, e.type, e.offset);
  return e;
}

bc::ExprKind parse_fib(Tokens& t) {
  std::vector<std::string_view> before;
  while (!t.done() && t.peek() != "=>") before.push_back(t.next());
  t.expect("=>");
  bc::Fib e;
  e.dreg = t.reg();
  if (!before.empty() && before.back() == "present") {
    e.flags |= NFTA_FIB_F_PRESENT;
    before.pop_back();
  }
  if (before.empty()) fail("fib without a result");
  e.result = named(bt::fib_result_names(), before.back(), "fib result");
  before.pop_back();
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (i % 2 == 1) {
      if (before[i] != ".") fail("expected '.' between fib flags");
      continue;
    }
    e.flags |= named(bt::fib_flag_names(), before[i], "fib flag");
  }
  return e;
}

bc::ExprKind parse_limit(Tokens& t) {
  bc::Limit e;
  t.expect("rate");
  std::string_view rate = t.next();  // "400/minute" or "400/2" followed by "minute"
  std::size_t slash = rate.find('/');
  if (slash == std::string_view::npos) fail(fmt::format("bad limit rate '{}'", rate));
  e.rate = parse_uint(rate.substr(0, slash));
  std::string_view after = rate.substr(slash + 1);
  std::uint64_t count = 1;
  if (!after.empty() && std::isdigit(static_cast<unsigned char>(after[0]))) {
    count = parse_uint(after);
    after = t.next();
  }
  static constexpr std::pair<std::string_view, std::uint64_t> units[] = {
      {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 604800}};
  auto unit = std::ranges::find(units, after, &std::pair<std::string_view, std::uint64_t>::first);
  if (unit == std::end(units)) fail(fmt::format("unknown limit unit '{}'", after));
  e.unit = count * unit->second;
  e.burst = t.after<std::uint32_t>("burst");
  t.expect("type");
  e.type = named(bt::limit_type_names(), t.next(), "limit type");
  t.expect("flags");
  e.flags = static_cast<std::uint32_t>(parse_hex(t.next()));
  return e;
}

bc::ExprKind parse_log(Tokens& t) {
  bc::Log e;
  auto is_keyword = [](std::string_view w) {
    return w == "group" || w == "level" || bt::value_of(bt::log_flag_names(), w).has_value();
  };
  if (t.peek() == "prefix") {
    // The prefix is printed raw: it runs up to the next keyword, and may
    // hold spaces of its own.
    t.step_raw();
    e.prefix = t.raw_until([&](std::string_view w) { return is_keyword(w) || w == "]"; });
  }
  if (t.accept("group")) {
    e.group = t.number_as<std::uint16_t>();
    // 0 prints for unset too; nft users do not ask for 0.
    if (auto snaplen = t.after<std::uint32_t>("snaplen")) e.snaplen = snaplen;
    if (auto qthreshold = t.after<std::uint16_t>("qthreshold")) e.qthreshold = qthreshold;
    return e;
  }
  if (t.accept("level")) e.level = t.number_as<std::uint32_t>();
  while (auto flag = bt::value_of(bt::log_flag_names(), t.peek())) {
    t.next();
    e.flags = e.flags.value_or(0) | *flag;
  }
  return e;
}

bc::ExprKind parse_queue(Tokens& t) {
  bc::Queue e;
  if (t.accept("num")) {
    std::string_view nums = t.next();  // "2" or "1-65535"
    std::size_t dash = nums.find('-');
    e.num = static_cast<std::uint16_t>(parse_uint(nums.substr(0, dash)));
    e.total = dash == std::string_view::npos
                  ? 1
                  : static_cast<std::uint16_t>(parse_uint(nums.substr(dash + 1)) - e.num + 1);
  } else {
    e.sreg_qnum = t.reg_after("sreg_qnum", false);
    if (!e.sreg_qnum) fail("expected 'num' or 'sreg_qnum'");
  }
  while (auto flag = bt::value_of(bt::queue_flag_names(), t.peek())) {
    t.next();
    e.flags = static_cast<std::uint16_t>(e.flags | *flag);
  }
  return e;
}

// proto_min/proto_max/flags, shared by nat, masq and redir.
template <class E>
void parse_proto_range(Tokens& t, E& e) {
  e.proto_min = t.reg_after("proto_min", true);
  e.proto_max = t.reg_after("proto_max", true);
  if (t.accept("flags")) e.flags = static_cast<std::uint32_t>(parse_hex(t.next()));
}

bc::ExprKind parse_ct(Tokens& t) {
  auto dir = [&]() -> std::optional<std::uint8_t> {
    if (!t.accept(",")) return std::nullopt;
    t.expect("dir");
    return static_cast<std::uint8_t>(named(bt::ct_dir_names(), t.next(), "ct direction"));
  };
  if (t.accept("load")) {
    bc::CtLoad e;
    e.key = named(bt::ct_key_names(), t.next(), "ct key");
    t.expect("=>");
    e.dreg = t.reg();
    e.dir = dir();
    return e;
  }
  t.expect("set");
  bc::CtSet e;
  e.key = named(bt::ct_key_names(), t.next(), "ct key");
  t.expect("with");
  e.sreg = t.reg();
  e.dir = dir();
  return e;
}

template <class E>
E parse_keyed_load(Tokens& t, bt::NameTable keys, std::string_view what) {
  t.expect("load");
  E e;
  e.key = named(keys, t.next(), what);
  t.expect("=>");
  e.dreg = t.reg();
  return e;
}

bc::ExprKind parse_expr(std::string_view name, Tokens& t) {
  if (name == "payload") return parse_payload(t);
  if (name == "cmp") {
    bc::Cmp e;
    e.op = named(bt::cmp_op_names(), t.next(), "cmp operator");
    e.sreg = t.reg();
    e.data = t.value();
    return e;
  }
  if (name == "range") {
    bc::Range e;
    e.op = named(bt::range_op_names(), t.next(), "range operator");
    e.sreg = t.reg();
    // From and to have the same length, so each takes half the groups.
    std::vector<std::string_view> groups;
    while (t.peek().starts_with("0x")) groups.push_back(t.next().substr(2));
    if (groups.empty() || groups.size() % 2) fail("range needs two values of the same length");
    for (std::size_t k = 0; k < groups.size(); ++k)
      append_hex(k < groups.size() / 2 ? e.from.bytes : e.to.bytes, groups[k]);
    return e;
  }
  if (name == "bitwise") return parse_bitwise(t);
  if (name == "byteorder") return parse_byteorder(t);
  if (name == "immediate") {
    bc::Immediate e;
    e.dreg = t.reg();
    if (t.peek().starts_with("0x"))
      e.data = t.value();
    else
      e.data = parse_verdict(t);
    return e;
  }
  if (name == "lookup") {
    bc::Lookup e;
    e.sreg = t.reg();
    t.expect("set");
    e.set = std::string(t.next());
    e.dreg = t.reg_after("dreg", false);
    if (t.peek().starts_with("0x")) e.flags = static_cast<std::uint32_t>(parse_hex(t.next()));
    return e;
  }
  if (name == "dynset") {
    bc::Dynset e;
    e.op = named(bt::dynset_op_names(), t.next(), "dynset operation");
    t.expect("reg_key");
    e.sreg_key = t.regnum();
    t.expect("set");
    e.set = std::string(t.next());
    e.sreg_data = t.reg_after("sreg_data", false);
    if (t.accept("timeout")) {
      std::string_view ms = t.next();
      if (!ms.ends_with("ms")) fail("expected a timeout in ms");
      e.timeout_ms = parse_uint(ms.substr(0, ms.size() - 2));
    }
    while (t.accept("expr")) {
      t.expect("[");
      std::string_view inner = t.next();
      e.exprs.push_back(bc::Expr{parse_expr(inner, t), {}});
      t.expect("]");
    }
    return e;
  }
  if (name == "objref") {
    if (t.accept("sreg")) {
      bc::ObjrefMap e;
      e.sreg = t.regnum();
      t.expect("set");
      e.set = std::string(t.next());
      return e;
    }
    t.expect("type");
    bc::Objref e;
    e.type = t.number_as<std::uint32_t>();
    t.expect("name");
    e.name = std::string(t.next());
    return e;
  }
  if (name == "meta") {
    if (t.peek() == "load") return parse_keyed_load<bc::MetaLoad>(t, bt::meta_key_names(), "meta key");
    t.expect("set");
    bc::MetaSet e;
    e.key = named(bt::meta_key_names(), t.next(), "meta key");
    t.expect("with");
    e.sreg = t.reg();
    return e;
  }
  if (name == "ct") return parse_ct(t);
  if (name == "exthdr") return parse_exthdr(t);
  if (name == "rt") return parse_keyed_load<bc::Rt>(t, bt::rt_key_names(), "rt key");
  if (name == "socket") return parse_keyed_load<bc::Socket>(t, bt::socket_key_names(), "socket key");
  if (name == "tunnel") return parse_keyed_load<bc::Tunnel>(t, bt::tunnel_key_names(), "tunnel key");
  if (name == "osf") {
    t.expect("dreg");
    return bc::Osf{t.regnum(), 0, 0};
  }
  if (name == "fib") return parse_fib(t);
  if (name == "xfrm") {
    t.expect("load");
    bc::Xfrm e;
    e.dir = static_cast<std::uint8_t>(named(bt::xfrm_dir_names(), t.next(), "xfrm direction"));
    e.spnum = t.number_as<std::uint32_t>();
    e.key = named(bt::xfrm_key_names(), t.next(), "xfrm key");
    t.expect("=>");
    e.dreg = t.reg();
    return e;
  }
  if (name == "numgen") {
    bc::Numgen e;
    e.dreg = t.reg();
    t.expect("=");
    e.type = named(bt::numgen_type_names(), t.next(), "numgen type");
    e.modulus = t.after<std::uint32_t>("mod");
    if (t.accept("offset")) e.offset = t.number_as<std::uint32_t>();
    return e;
  }
  if (name == "hash") return parse_hash(t);
  if (name == "inner") {
    bc::Inner e;
    e.type = t.after<std::uint32_t>("type");
    e.hdrsize = t.after<std::uint32_t>("hdrsize");
    t.expect("flags");
    e.flags = static_cast<std::uint32_t>(parse_uint(t.next(), 16));
    t.expect("[");
    std::string_view inner = t.next();
    *e.expr = bc::Expr{parse_expr(inner, t), {}};
    t.expect("]");
    return e;
  }
  if (name == "counter") {
    bc::Counter e;
    e.packets = t.after<std::uint64_t>("pkts");
    e.bytes = t.after<std::uint64_t>("bytes");
    return e;
  }
  if (name == "limit") return parse_limit(t);
  if (name == "quota") {
    bc::Quota e;
    e.bytes = t.after<std::uint64_t>("bytes");
    e.consumed = t.after<std::uint64_t>("consumed");
    e.flags = t.after<std::uint32_t>("flags");
    return e;
  }
  if (name == "connlimit") {
    bc::Connlimit e;
    e.count = t.after<std::uint32_t>("count");
    t.expect("flags");
    e.flags = static_cast<std::uint32_t>(parse_uint(t.next(), 16));
    return e;
  }
  if (name == "last") {
    if (t.accept("never")) return bc::Last{};
    return bc::Last{true, t.number()};
  }
  if (name == "log") return parse_log(t);
  if (name == "reject") {
    bc::Reject e;
    e.type = t.after<std::uint32_t>("type");
    e.icmp_code = t.after<std::uint8_t>("code");
    return e;
  }
  if (name == "nat") {
    bc::Nat e;
    e.type = named(bt::nat_type_names(), t.next(), "nat type");
    e.family = named(bt::family_names(), t.next(), "family");
    e.addr_min = t.reg_after("addr_min", true);
    e.addr_max = t.reg_after("addr_max", true);
    parse_proto_range(t, e);
    return e;
  }
  if (name == "masq" || name == "redir") {
    bc::Masq e;
    parse_proto_range(t, e);
    if (name == "masq") return e;
    return bc::Redir{e.proto_min, e.proto_max, e.flags};
  }
  if (name == "tproxy") {
    bc::Tproxy e;
    if (auto family = bt::value_of(bt::family_names(), t.peek())) {
      t.next();
      e.family = *family;
    }
    e.addr = t.reg_after("addr", true);
    e.port = t.reg_after("port", true);
    return e;
  }
  if (name == "queue") return parse_queue(t);
  if (name == "dup") {
    bc::Dup e;
    e.sreg_addr = t.reg_after("sreg_addr", false);
    e.sreg_dev = t.reg_after("sreg_dev", false);
    return e;
  }
  if (name == "fwd") {
    bc::Fwd e;
    e.sreg_dev = t.reg_after("sreg_dev", false);
    e.sreg_addr = t.reg_after("sreg_addr", false);
    if (t.accept("nfproto")) e.nfproto = t.number_as<std::uint32_t>();
    return e;
  }
  if (name == "notrack") return bc::Notrack{};
  if (name == "synproxy") {
    bc::Synproxy e;
    e.mss = t.after<std::uint16_t>("mss");
    e.wscale = t.after<std::uint8_t>("wscale");
    return e;
  }
  if (name == "flow_offload") {
    t.expect("flowtable");
    return bc::FlowOffload{std::string(t.next())};
  }
  fail(fmt::format("unknown expression '{}'", name));
}

// "  [ cmp eq reg 1 0x06 ]"
bc::Expr parse_expr_line(std::string_view line) {
  if (!line.starts_with("  [ ") || !line.ends_with("]")) fail("expected '  [ … ]'");
  Tokens t(split(line.substr(4, line.size() - 5), ' '));
  std::string_view name = t.next();
  bc::Expr expr{parse_expr(name, t), {}};
  if (!t.done()) fail(fmt::format("unexpected '{}'", t.peek()));
  return expr;
}

// ---- Sets -----------------------------------------------------------------

// One value of an element line: fields split by " . ", each a run of
// four-byte hex groups; several fields are each padded to four bytes.
bc::Bytes parse_element_value(std::string_view text, std::vector<bc::Field>& fields) {
  bc::Bytes out;
  fields.clear();
  if (text.empty()) return out;  // the catch-all element has no key
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(" . ", start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 3;
  }
  for (std::string_view part : parts) {
    bc::Bytes field;
    for (std::string_view group : words(part)) append_hex(field, group);
    fields.push_back(bc::Field{static_cast<std::uint32_t>(field.size()), false});
    out.append(field.span());
    if (parts.size() > 1) out.resize((out.size() + 3) / 4 * 4);
  }
  return out;
}

struct ParsedElement {
  bc::SetElement element;
  std::vector<bc::Field> key_fields, data_fields;
};

// "element 0a000001 . 0050 - 0a0000ff . 0050 : accept flags 1  userdata len 6 sum 0x6"
ParsedElement parse_element(std::string_view text, bool objmap) {
  ParsedElement out;
  bc::SetElement& el = out.element;
  if (!text.starts_with("element ")) fail("expected 'element'");
  text.remove_prefix(8);
  if (std::size_t at = text.find("  userdata len "); at != std::string_view::npos) {
    std::vector<std::string_view> w = words(text.substr(at));
    if (w.size() != 5 || w[3] != "sum") fail("bad element userdata");
    // Only nft's open-interval flag can be told from a length and a sum.
    if (parse_uint(w[2]) != 6 || parse_hex(w[4]) != 6) fail("element userdata other than an open interval");
    el.interval_open = true;
    text = text.substr(0, at);
  }
  if (std::size_t at = text.rfind(" flags "); at != std::string_view::npos) {
    el.flags = static_cast<std::uint32_t>(parse_uint(text.substr(at + 7)));
    text = text.substr(0, at);
  }
  std::string_view key = text, data;
  bool has_data = false;
  if (std::size_t at = text.find(" : "); at != std::string_view::npos) {
    key = text.substr(0, at);
    data = text.substr(at + 3);
    has_data = true;
  }
  std::string_view key_end;
  if (std::size_t at = key.find(" - "); at != std::string_view::npos) {
    key_end = key.substr(at + 3);
    key = key.substr(0, at);
    std::vector<bc::Field> end_fields;
    el.key_end = parse_element_value(key_end, end_fields);
  }
  el.key = parse_element_value(key, out.key_fields);
  if (!has_data) return out;
  std::vector<std::string_view> w = words(data);
  if (objmap) {
    el.data = bc::ObjectName{std::string(data)};
  } else if (!w.empty() && bt::value_of(bt::verdict_names(), w[0])) {
    Tokens t(w);
    el.data = parse_verdict(t);
    if (!t.done()) fail("unexpected text after the verdict");
  } else {
    el.data = parse_element_value(data, out.data_fields);
  }
  return out;
}

// "__set%d test-ip4 3 size 2"
bc::Set parse_set_line(std::string_view line) {
  std::vector<std::string_view> w = split(line, ' ');
  if (w.size() < 3 || std::ranges::any_of(w, &std::string_view::empty)) fail("malformed set line");
  bc::Set set;
  set.name = std::string(w[0]);
  set.table = std::string(w[1]);
  set.flags = static_cast<std::uint32_t>(parse_uint(w[2], 16));
  for (std::size_t i = 3; i < w.size(); i += 2) {
    if (i + 1 >= w.size()) fail(fmt::format("'{}' without a value", w[i]));
    std::string_view key = w[i], val = w[i + 1];
    auto ms = [&] {
      if (!val.ends_with("ms")) fail(fmt::format("expected milliseconds, found '{}'", val));
      return parse_uint(val.substr(0, val.size() - 2));
    };
    if (key == "timeout")
      set.timeout_ms = ms();
    else if (key == "gc_interval")
      set.gc_interval_ms = static_cast<std::uint32_t>(ms());
    else if (key == "policy")
      set.policy = static_cast<std::uint32_t>(parse_uint(val));
    else if (key == "size")
      set.size = static_cast<std::uint32_t>(parse_uint(val));
    else
      fail(fmt::format("unknown set attribute '{}'", key));
  }
  return set;
}

void parse_element_line(std::string_view line, bc::Set& set) {
  bool objmap = set.flags & NFT_SET_OBJECT;
  bool first = true;
  for (std::string_view chunk : split(line.substr(1), '\t')) {
    ParsedElement p = parse_element(chunk, objmap);
    // Every element shares the set's layout; a catch-all shows none.
    if (!p.element.key.empty()) {
      if (first)
        set.key_fields = p.key_fields;
      else if (p.key_fields != set.key_fields)
        fail("elements with different key layouts");
      first = false;
      set.key_len = static_cast<std::uint32_t>(p.element.key.size());
    }
    if (const auto* d = std::get_if<bc::Bytes>(&p.element.data)) {
      if (set.data_fields.empty())
        set.data_fields = p.data_fields;
      else if (p.data_fields != set.data_fields)
        fail("elements with different data layouts");
      set.data_len = static_cast<std::uint32_t>(d->size());
    } else if (std::holds_alternative<bc::Verdict>(p.element.data)) {
      set.data_type = NFT_DATA_VERDICT;
    }
    set.elements.push_back(std::move(p.element));
  }
}

bool is_indented(std::string_view line) { return line.starts_with(" ") || line.starts_with("\t"); }

// The block's lines without its "#" line; `first` numbers the first one.
PayloadResult parse_lines(const std::vector<std::string>& lines, std::size_t first) {
  PayloadResult result;
  std::size_t i = 0;
  try {
    bc::Rule rule;
    // The header is the unindented line that expressions follow (or the
    // last line); unindented lines before it describe sets.
    auto is_header = [&](std::size_t k) {
      return !is_indented(lines[k]) && (k + 1 == lines.size() || lines[k + 1].starts_with("  "));
    };
    while (i < lines.size() && !is_header(i)) {
      if (is_indented(lines[i])) fail("expected a set line");
      bc::Set set = parse_set_line(lines[i]);
      ++i;
      // nft's element batch: a bare "name table 0" line, then the elements.
      if (i + 1 < lines.size() && lines[i + 1].starts_with("\t") &&
          lines[i] == fmt::format("{} {} 0", set.name, set.table)) {
        ++i;
        parse_element_line(lines[i], set);
        ++i;
      }
      rule.anonymous_sets.push_back(std::move(set));
    }
    if (i == lines.size()) fail("no 'family table chain' line");
    std::vector<std::string_view> header = words(lines[i]);
    if (header.empty() || header.size() > 3) fail("expected 'family table chain'");
    rule.family = named(bt::family_names(), header[0], "family");
    if (header.size() > 1) rule.table = std::string(header[1]);
    if (header.size() > 2) rule.chain = std::string(header[2]);
    for (bc::Set& set : rule.anonymous_sets) set.family = rule.family;
    for (++i; i < lines.size(); ++i) {
      if (lines[i].starts_with("  userdata "))
        fail("rule userdata cannot be recovered from its length and sum");
      rule.exprs.push_back(parse_expr_line(lines[i]));
    }
    bytecode_text::recover_unprinted(rule);
    result.rule = std::move(rule);
  } catch (const Failure& f) {
    result.error = PayloadError{first + std::min(i, lines.empty() ? 0 : lines.size() - 1), f.message};
  } catch (const std::length_error& e) {
    result.error = PayloadError{first + i, e.what()};
  }
  return result;
}

std::vector<std::string> text_lines(std::string_view text) {
  std::vector<std::string> lines;
  for (std::string_view l : split(text, '\n')) lines.emplace_back(l);
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace

PayloadResult parse_payload_block(std::string_view text) { return parse_lines(text_lines(text), 1); }

std::vector<PayloadBlock> parse_payload_file(std::string_view text) {
  std::vector<std::string> lines = text_lines(text);
  std::vector<PayloadBlock> blocks;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].empty()) {
      ++i;
      continue;
    }
    PayloadBlock block;
    if (lines[i].starts_with("#")) {
      std::string_view t = lines[i];
      t.remove_prefix(1);
      if (t.starts_with(" ")) t.remove_prefix(1);
      block.rule_text = std::string(t);
      ++i;
    }
    block.first_line = i + 1;
    while (i < lines.size() && !lines[i].empty() && !lines[i].starts_with("#"))
      block.lines.push_back(lines[i++]);
    if (block.lines.empty()) {
      block.error = PayloadError{block.first_line, "a rule comment without bytecode"};
    } else {
      PayloadResult r = parse_lines(block.lines, block.first_line);
      block.rule = std::move(r.rule);
      block.error = std::move(r.error);
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

}  // namespace nftc::test
