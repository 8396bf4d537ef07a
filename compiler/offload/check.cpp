#include "compiler/offload/check.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include <fmt/format.h>

namespace nftc::offload {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

// What the kernel's struct nft_offload_reg knows about a register.
struct RegState {
  bool loaded = false;    // a key field was loaded into it (reg->len != 0)
  bool poisoned = false;  // it was written by an expression already reported
  std::uint32_t len = 0;  // the key field's length
  std::string name;       // the field, for messages and keys
  bool iiftype = false;
  std::optional<bc::Bytes> data;  // an immediate's constant (fwd/dup devices)
};

std::string_view verdict_name(std::int32_t code) {
  switch (code) {
    case NF_ACCEPT: return "accept";
    case NF_DROP: return "drop";
    case NF_QUEUE: return "queue";
    case NFT_CONTINUE: return "continue";
    case NFT_BREAK: return "break";
    case NFT_JUMP: return "jump";
    case NFT_GOTO: return "goto";
    case NFT_RETURN: return "return";
    default: return "this verdict";
  }
}

std::string_view base_name(std::uint32_t base) {
  switch (base) {
    case NFT_PAYLOAD_LL_HEADER: return "link layer header";
    case NFT_PAYLOAD_NETWORK_HEADER: return "network header";
    case NFT_PAYLOAD_TRANSPORT_HEADER: return "transport header";
    case NFT_PAYLOAD_INNER_HEADER: return "inner header";
    default: return "tunnel header";
  }
}

std::string meta_name(std::uint32_t key) {
  switch (key) {
    case NFT_META_LEN: return "meta length";
    case NFT_META_PROTOCOL: return "meta protocol";
    case NFT_META_PRIORITY: return "meta priority";
    case NFT_META_MARK: return "meta mark";
    case NFT_META_IIF: return "meta iif";
    case NFT_META_OIF: return "meta oif";
    case NFT_META_IIFNAME: return "meta iifname";
    case NFT_META_OIFNAME: return "meta oifname";
    case NFT_META_IIFTYPE: return "meta iiftype";
    case NFT_META_OIFTYPE: return "meta oiftype";
    case NFT_META_SKUID: return "meta skuid";
    case NFT_META_SKGID: return "meta skgid";
    case NFT_META_NFTRACE: return "meta nftrace";
    case NFT_META_RTCLASSID: return "meta rtclassid";
    case NFT_META_SECMARK: return "meta secmark";
    case NFT_META_NFPROTO: return "meta nfproto";
    case NFT_META_L4PROTO: return "meta l4proto";
    case NFT_META_BRI_IIFNAME: return "meta ibrname";
    case NFT_META_BRI_OIFNAME: return "meta obrname";
    case NFT_META_PKTTYPE: return "meta pkttype";
    case NFT_META_CPU: return "meta cpu";
    case NFT_META_IIFGROUP: return "meta iifgroup";
    case NFT_META_OIFGROUP: return "meta oifgroup";
    case NFT_META_CGROUP: return "meta cgroup";
    case NFT_META_PRANDOM: return "meta random";
    case NFT_META_SECPATH: return "meta secpath";
    case NFT_META_IIFKIND: return "meta iifkind";
    case NFT_META_OIFKIND: return "meta oifkind";
    case NFT_META_BRI_IIFPVID: return "meta ibrpvid";
    case NFT_META_BRI_IIFVPROTO: return "meta ibrvproto";
    case NFT_META_TIME_NS: return "meta time";
    case NFT_META_TIME_DAY: return "meta day";
    case NFT_META_TIME_HOUR: return "meta hour";
    case NFT_META_SDIF: return "meta sdif";
    case NFT_META_SDIFNAME: return "meta sdifname";
    default: return fmt::format("meta key {}", key);
  }
}

class Walker {
 public:
  Walker(const bc::Rule& rule, unsigned kernel) : rule_(rule), kernel_(kernel) {}

  RuleVerdict run() {
    for (const bc::Expr& e : rule_.exprs)
      if (is_action(e.kind)) ++out_.actions;
    if (out_.actions == 0 && kernel_ >= kActionCheckSince) {
      Problem p;
      p.expr = rule_.exprs.size();
      p.span = rule_.span;
      p.reason = Reason::no_action;
      p.message = "the rule has no action: the hardware needs accept, drop, fwd or dup";
      out_.problems.push_back(std::move(p));
    }
    for (i_ = 0; i_ < rule_.exprs.size(); ++i_) visit(rule_.exprs[i_]);
    return std::move(out_);
  }

 private:
  // offload_action: an immediate verdict, fwd and dup to a device.
  static bool is_action(const bc::ExprKind& k) {
    if (const auto* imm = std::get_if<bc::Immediate>(&k)) return imm->dreg == bc::Reg::verdict();
    if (const auto* f = std::get_if<bc::Fwd>(&k)) return !f->sreg_addr;
    if (const auto* d = std::get_if<bc::Dup>(&k)) return !d->sreg_addr;
    return false;
  }

  RegState& reg(bc::Reg r) {
    auto slot = r.slot();
    if (!slot) {
      scratch_ = RegState{};
      return scratch_;
    }
    return regs_[*slot];
  }

  void problem(Reason reason, std::string message, unsigned since = 0) {
    const bc::Expr& e = rule_.exprs[i_];
    out_.problems.push_back(Problem{i_, e.span, reason, std::move(message), since});
    // What this expression would have told the dependency context is lost:
    // later fields are not blamed for it.
    if (dep_ == Dep::network) l3_any_ = true;
    if (dep_ == Dep::transport) l4_any_ = true;
    dep_ = Dep::none;
    if (auto w = bc::register_use(e.kind).writes; w && !(*w == bc::Reg::verdict())) {
      RegState& r = reg(*w);
      r = RegState{};
      r.poisoned = true;
    }
  }

  bool too_new(std::string_view what, unsigned since) {
    if (kernel_ >= since) return false;
    problem(Reason::too_new,
            fmt::format("{} is offloaded from Linux {} on; the target kernel is {}", what, kernel_name(since),
                        kernel_name(kernel_)),
            since);
    return true;
  }

  void load(bc::Reg dreg, std::string name, std::uint32_t len, Dep sets, bool iiftype = false) {
    RegState& r = reg(dreg);
    r = RegState{};
    r.loaded = true;
    r.len = len;
    r.name = std::move(name);
    r.iiftype = iiftype;
    dep_ = sets;
  }

  void payload(const bc::PayloadLoad& p) {
    const PayloadField* f = nullptr;
    switch (p.base) {
      case NFT_PAYLOAD_LL_HEADER: f = find_field(p.base, p.offset, 0, 0); break;
      case NFT_PAYLOAD_NETWORK_HEADER:
        if (l3_any_) {
          f = any_field(p.base, p.offset);
        } else if (!l3_) {
          return problem(Reason::needs_l3,
                         "a network header field before the rule matches the network protocol: match `meta "
                         "protocol ip` (or ip6) or `ether type` first");
        } else if (*l3_ != 0x0800 && *l3_ != 0x86dd) {
          return problem(Reason::field,
                         fmt::format("the rule matches network protocol 0x{:04x}: the hardware matches network "
                                     "header fields of IPv4 and IPv6 only",
                                     *l3_));
        } else {
          f = find_field(p.base, p.offset, *l3_, 0);
        }
        break;
      case NFT_PAYLOAD_TRANSPORT_HEADER:
        if (l4_any_) {
          f = any_field(p.base, p.offset);
        } else if (!l4_) {
          return problem(Reason::needs_l4,
                         "a transport header field before the rule matches the transport protocol: match `meta "
                         "l4proto tcp` (or udp) first");
        } else if (*l4_ != IPPROTO_TCP && *l4_ != IPPROTO_UDP) {
          return problem(Reason::field, fmt::format("the rule matches transport protocol {}: the hardware "
                                                       "matches ports of TCP and UDP only",
                                                       *l4_));
        } else {
          f = find_field(p.base, p.offset, 0, *l4_);
        }
        break;
      default: break;
    }
    if (f == nullptr)
      return problem(Reason::field, fmt::format("this field ({} byte{} at {} offset {}) has no hardware key: the "
                                                "hardware matches Ethernet and VLAN headers, IPv4/IPv6 addresses "
                                                "and protocol, and TCP/UDP ports",
                                                p.len, p.len == 1 ? "" : "s", base_name(p.base), p.offset));
    if (p.len > f->len)
      return problem(Reason::field_too_long,
                     fmt::format("one load of {} bytes at {} offset {} spans {} ({} bytes) and what follows it: the "
                                 "hardware matches one field per load (nft merges adjacent matches into one load)",
                                 p.len, base_name(p.base), p.offset, f->name, f->len));
    if (too_new(f->name, f->since)) return;
    load(p.dreg, std::string(f->name), f->len, f->sets);
  }

  void meta(const bc::MetaLoad& m) {
    const MetaKey* k = find_meta_key(m.key);
    if (k == nullptr) {
      std::string name = meta_name(m.key);
      if (m.key == NFT_META_NFPROTO) {
        problem(Reason::meta_key, "meta nfproto is not offloaded (nft adds it before ip and ip6 matches in inet "
                                  "tables; a netdev table matches `meta protocol` instead)");
        l3_any_ = true;
        return;
      }
      return problem(Reason::meta_key, fmt::format("{} is not offloaded: the hardware matches meta protocol, "
                                                   "l4proto, iif and iiftype only",
                                                   name));
    }
    if (too_new(k->name, k->since)) return;
    load(m.dreg, std::string(k->name), k->len, k->sets, m.key == NFT_META_IIFTYPE);
  }

  void cmp(const bc::Cmp& c) {
    RegState& r = reg(c.sreg);
    if (r.poisoned) {
      // The load was reported; what it would have told the context is lost.
      if (dep_ == Dep::network) l3_any_ = true;
      if (dep_ == Dep::transport) l4_any_ = true;
      dep_ = Dep::none;
      return;
    }
    if (!cmp_op_offloaded(c.op))
      return problem(Reason::cmp_operator,
                     fmt::format("only equality is offloaded: the hardware cannot match {} with {}",
                                 r.name.empty() ? "a field" : r.name, op_text(c.op)));
    if (!r.loaded || c.data.bytes.size() > r.len)
      return problem(Reason::unloaded_register, "a comparison of data the hardware has no key for");
    if (r.iiftype) {
      std::uint16_t v = 0;
      if (c.data.bytes.size() >= 2) std::memcpy(&v, c.data.bytes.data(), 2);
      if (v != kIiftypeEther)
        return problem(Reason::iiftype_value, "meta iiftype is offloaded only as `meta iiftype ether`");
    }
    if (dep_ == Dep::network && c.data.bytes.size() >= 2) l3_ = static_cast<std::uint16_t>(c.data.bytes[0] << 8 | c.data.bytes[1]);
    if (dep_ == Dep::transport && !c.data.bytes.empty()) l4_ = c.data.bytes[0];
    dep_ = Dep::none;
    out_.keys.push_back(Key{r.name, i_, rule_.exprs[i_].span});
  }

  static std::string_view op_text(std::uint32_t op) {
    switch (op) {
      case NFT_CMP_NEQ: return "!=";
      case NFT_CMP_LT: return "<";
      case NFT_CMP_LTE: return "<=";
      case NFT_CMP_GT: return ">";
      case NFT_CMP_GTE: return ">=";
      default: return "==";
    }
  }

  void bitwise(const bc::Bitwise& b) {
    RegState& r = reg(b.sreg);
    if (r.poisoned) {
      reg(b.dreg) = r;
      return;
    }
    bool zero_xor = std::all_of(b.xor_value.bytes.begin(), b.xor_value.bytes.end(), [](std::uint8_t x) { return x == 0; });
    if (b.op != NFT_BITWISE_MASK_XOR)
      return problem(Reason::bitwise, "a shift or bitwise operation between registers is not offloaded: only a mask");
    if (!zero_xor || !(b.sreg == b.dreg))
      return problem(Reason::bitwise, "only a plain mask is offloaded (no xor, same register)");
    if (!r.loaded || b.len != r.len)
      return problem(Reason::bitwise,
                     r.loaded ? fmt::format("a {}-byte mask over {} ({} bytes): the hardware masks whole fields only",
                                            b.len, r.name, r.len)
                              : std::string("a mask over data the hardware has no key for"));
  }

  void immediate(const bc::Immediate& imm) {
    if (const auto* v = std::get_if<bc::Verdict>(&imm.data)) {
      if (!verdict_offloaded(v->code))
        problem(Reason::verdict,
                fmt::format("`{}` is not offloaded: the hardware accepts or drops", verdict_name(v->code)));
      return;
    }
    RegState& r = reg(imm.dreg);
    r = RegState{};
    r.data = std::get<bc::Value>(imm.data).bytes;
  }

  void fwd_dup(std::string_view what, const std::optional<bc::Reg>& dev, bool addr) {
    if (addr)
      return problem(Reason::fwd_dup_target, fmt::format("`{}` to an address (through the neighbour table) is not "
                                                         "offloaded; `{} to \"device\"` is",
                                                         what, what));
    if (too_new(fmt::format("`{}`", what), version(5, 4))) return;
    if (!dev) return;
    RegState& r = reg(*dev);
    if (r.poisoned) return;
    if (!r.data)
      problem(Reason::fwd_dup_target, fmt::format("`{}` to a device that is not a constant is not offloaded", what));
  }

  void visit(const bc::Expr& e) {
    std::visit(overloaded{
                   [&](const bc::PayloadLoad& p) { payload(p); },
                   [&](const bc::MetaLoad& m) { meta(m); },
                   [&](const bc::Cmp& c) { cmp(c); },
                   [&](const bc::Bitwise& b) { bitwise(b); },
                   [&](const bc::Immediate& imm) { immediate(imm); },
                   [&](const bc::Counter&) { too_new("`counter`", kCounterSince); },
                   [&](const bc::Fwd& f) { fwd_dup("fwd", f.sreg_dev, f.sreg_addr.has_value()); },
                   [&](const bc::Dup& d) { fwd_dup("dup", d.sreg_dev, d.sreg_addr.has_value()); },
                   [&](const bc::Objref& o) {
                     if (o.type == NFT_OBJECT_COUNTER)
                       problem(Reason::named_counter,
                               fmt::format("`counter name {}` is not offloaded; an anonymous `counter` is", o.name));
                     else
                       unsupported(e.kind);
                   },
                   [&](const auto&) { unsupported(e.kind); },
               },
               e.kind);
  }

  void unsupported(const bc::ExprKind& kind) {
    const ExprCapability& c = capability(kind);
    std::string what(c.syntax);
    if (const auto* ct = std::get_if<bc::CtLoad>(&kind); ct && ct->key == NFT_CT_STATE) what = "`ct state`";
    problem(Reason::unsupported, fmt::format("{} cannot be offloaded: the kernel has no hardware form for it", what));
  }

  const bc::Rule& rule_;
  unsigned kernel_;
  RuleVerdict out_;
  std::size_t i_ = 0;
  std::array<RegState, 16> regs_{};
  RegState scratch_;
  Dep dep_ = Dep::none;
  std::optional<std::uint16_t> l3_;
  std::optional<std::uint8_t> l4_;
  bool l3_any_ = false, l4_any_ = false;
};

}  // namespace

RuleVerdict check_rule(const bc::Rule& rule, unsigned kernel) { return Walker(rule, kernel).run(); }

}  // namespace nftc::offload
