#include "backends/bytecode/recover.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace nftc::bytecode_text {
namespace {

// Host-order data is stored in this machine's order; the text shows it as
// a number, most significant byte first.
void to_host_order(std::span<std::uint8_t> bytes) {
  if constexpr (std::endian::native == std::endian::little) std::reverse(bytes.begin(), bytes.end());
}

void make_host(bc::Value& v) {
  if (v.host_endian) return;
  to_host_order({v.bytes.data(), v.bytes.size()});
  v.host_endian = true;
}

// The byte order nft gives what these keys load: their datatype's, except
// that strings carry none.
bool meta_key_host(std::uint32_t key) {
  switch (key) {
    case NFT_META_PROTOCOL:
    case NFT_META_PRANDOM:
    case NFT_META_BRI_IIFVPROTO:
    case bc::uapi::kMetaBriIifHwaddr:
    case NFT_META_IIFNAME:
    case NFT_META_OIFNAME:
    case NFT_META_BRI_IIFNAME:
    case NFT_META_BRI_OIFNAME:
    case NFT_META_IIFKIND:
    case NFT_META_OIFKIND:
    case NFT_META_SDIFNAME:
      return false;
    default:
      return true;
  }
}

bool ct_key_host(std::uint32_t key) {
  switch (key) {
    case NFT_CT_STATE:
    case NFT_CT_DIRECTION:
    case NFT_CT_STATUS:
    case NFT_CT_MARK:
    case NFT_CT_SECMARK:
    case NFT_CT_EXPIRATION:
    case NFT_CT_L3PROTOCOL:
    case NFT_CT_LABELS:
    case NFT_CT_PKTS:
    case NFT_CT_BYTES:
    case NFT_CT_AVGPKT:
    case NFT_CT_ZONE:
    case NFT_CT_EVENTMASK:
      return true;
    default:
      return false;
  }
}

// What each 4-byte register slot holds, as far as the rule so far tells.
class Registers {
 public:
  struct Slot {
    bool known = false;
    bool host = false;
    std::uint32_t len = 0;  // of the value starting here; 0 if unknown
  };

  void write(bc::Reg r, std::uint32_t len, bool host) {
    std::optional<std::uint32_t> s = r.slot();
    if (!s) return;
    std::uint32_t n = std::max<std::uint32_t>(1, (len + 3) / 4);
    for (std::uint32_t k = 0; k < n && *s + k < slots_.size(); ++k)
      slots_[*s + k] = Slot{true, host, k == 0 ? len : 0};
  }
  Slot read(bc::Reg r, std::uint32_t word = 0) const {
    std::optional<std::uint32_t> s = r.slot();
    if (!s || *s + word >= slots_.size()) return {};
    return slots_[*s + word];
  }

 private:
  std::array<Slot, NFT_REG32_COUNT> slots_{};
};

// Reverses each host-order field of an element value into host order.
void fields_to_host_order(bc::Bytes& bytes, const std::vector<bc::Field>& fields) {
  std::size_t pos = 0;
  for (const bc::Field& f : fields) {
    if (pos >= bytes.size()) break;
    std::size_t len = std::min<std::size_t>(f.len, bytes.size() - pos);
    if (f.host_endian) to_host_order({bytes.data() + pos, len});
    pos += (f.len + 3) / 4 * 4;
  }
}

// The 4-byte word each field starts at.
std::vector<std::uint32_t> field_words(const std::vector<bc::Field>& fields) {
  std::vector<std::uint32_t> out;
  std::uint32_t w = 0;
  for (const bc::Field& f : fields) {
    out.push_back(w);
    w += (f.len + 3) / 4;
  }
  return out;
}

class Inference {
 public:
  explicit Inference(bc::Rule& rule) : rule_(rule) {}

  void run() {
    assign_set_ids();
    for (std::size_t i = 0; i < rule_.exprs.size(); ++i) visit(rule_.exprs[i].kind, i);
    for (bc::Set& set : rule_.anonymous_sets) {
      for (bc::SetElement& el : set.elements) {
        fields_to_host_order(el.key, set.key_fields);
        if (el.key_end) fields_to_host_order(*el.key_end, set.key_fields);
        if (auto* d = std::get_if<bc::Bytes>(&el.data)) fields_to_host_order(*d, set.data_fields);
      }
    }
  }

 private:
  // Each reference to an anonymous set's name takes the next set so named.
  void assign_set_ids() {
    std::vector<bool> taken(rule_.anonymous_sets.size());
    for (std::size_t k = 0; k < rule_.anonymous_sets.size(); ++k)
      rule_.anonymous_sets[k].id = static_cast<std::uint32_t>(k + 1);
    auto take = [&](const std::string& name, std::uint32_t& id) {
      for (std::size_t k = 0; k < rule_.anonymous_sets.size(); ++k) {
        if (taken[k] || rule_.anonymous_sets[k].name != name) continue;
        taken[k] = true;
        id = rule_.anonymous_sets[k].id;
        return;
      }
    };
    for (bc::Expr& x : rule_.exprs) {
      if (auto* e = std::get_if<bc::Lookup>(&x.kind)) take(e->set, e->set_id);
      if (auto* e = std::get_if<bc::Dynset>(&x.kind)) take(e->set, e->set_id);
      if (auto* e = std::get_if<bc::ObjrefMap>(&x.kind)) take(e->set, e->set_id);
    }
  }

  bc::Set* set_by_id(std::uint32_t id) {
    if (id == 0 || id > rule_.anonymous_sets.size()) return nullptr;
    return &rule_.anonymous_sets[id - 1];
  }

  // How the first expression after `from` that reads `slot` takes it:
  // host order, network order, or not telling.
  std::optional<bool> consumer_host(std::size_t from, std::uint32_t slot) const {
    for (std::size_t j = from; j < rule_.exprs.size(); ++j) {
      const bc::ExprKind& k = rule_.exprs[j].kind;
      bc::RegisterUse use = bc::register_use(k);
      if (std::ranges::any_of(use.reads, [&](bc::Reg r) { return r.slot() == slot; }))
        return reader_host(k, slot);
      if (use.writes && use.writes->slot() == slot) return std::nullopt;
    }
    return std::nullopt;
  }

  static std::optional<bool> reader_host(const bc::ExprKind& k, std::uint32_t slot) {
    auto at = [&](const std::optional<bc::Reg>& r) { return r && r->slot() == slot; };
    if (auto* e = std::get_if<bc::MetaSet>(&k)) return meta_key_host(e->key);
    if (auto* e = std::get_if<bc::CtSet>(&k)) return ct_key_host(e->key);
    if (auto* e = std::get_if<bc::Byteorder>(&k)) return e->op == NFT_BYTEORDER_HTON;
    if (auto* e = std::get_if<bc::Dup>(&k)) return at(e->sreg_dev);  // an ifindex
    if (auto* e = std::get_if<bc::Fwd>(&k)) return at(e->sreg_dev);
    if (std::holds_alternative<bc::Queue>(k)) return true;  // a queue number
    if (std::holds_alternative<bc::PayloadSet>(k) || std::holds_alternative<bc::ExthdrSet>(k) ||
        std::holds_alternative<bc::Nat>(k) || std::holds_alternative<bc::Masq>(k) ||
        std::holds_alternative<bc::Redir>(k) || std::holds_alternative<bc::Tproxy>(k))
      return false;  // packet bytes, addresses and ports
    return std::nullopt;
  }

  void key_fields_from(bc::Reg sreg, std::uint32_t set_id) {
    bc::Set* set = set_by_id(set_id);
    if (!set) return;
    std::vector<std::uint32_t> words = field_words(set->key_fields);
    for (std::size_t k = 0; k < set->key_fields.size(); ++k) {
      Registers::Slot s = regs_.read(sreg, words[k]);
      set->key_fields[k].host_endian = s.known && s.host;
    }
  }

  void visit(bc::ExprKind& kind, std::size_t i) {
    if (auto* e = std::get_if<bc::PayloadLoad>(&kind)) return regs_.write(e->dreg, e->len, false);
    if (auto* e = std::get_if<bc::ExthdrLoad>(&kind)) {
      if (e->op == NFT_EXTHDR_OP_SCTP && l4proto_ == IPPROTO_DCCP) e->op = NFT_EXTHDR_OP_DCCP;
      return regs_.write(e->dreg, e->len, false);
    }
    if (auto* e = std::get_if<bc::ExthdrSet>(&kind)) {
      if (e->op == NFT_EXTHDR_OP_SCTP && l4proto_ == IPPROTO_DCCP) e->op = NFT_EXTHDR_OP_DCCP;
      return;
    }
    if (auto* e = std::get_if<bc::MetaLoad>(&kind)) {
      if (e->key == NFT_META_L4PROTO) l4proto_slot_ = e->dreg.slot();
      return regs_.write(e->dreg, 0, meta_key_host(e->key));
    }
    if (auto* e = std::get_if<bc::CtLoad>(&kind)) return regs_.write(e->dreg, 0, ct_key_host(e->key));
    if (auto* e = std::get_if<bc::Rt>(&kind))
      return regs_.write(e->dreg, 0, e->key != NFT_RT_NEXTHOP4 && e->key != NFT_RT_NEXTHOP6);
    if (auto* e = std::get_if<bc::Socket>(&kind)) return regs_.write(e->dreg, 0, true);
    if (auto* e = std::get_if<bc::Fib>(&kind))
      return regs_.write(e->dreg, 0, e->result != NFT_FIB_RESULT_OIFNAME);
    if (auto* e = std::get_if<bc::Osf>(&kind)) return regs_.write(e->dreg, 0, false);  // an OS name
    if (auto* e = std::get_if<bc::Xfrm>(&kind)) return regs_.write(e->dreg, 0, e->key == NFT_XFRM_KEY_REQID);
    if (auto* e = std::get_if<bc::Tunnel>(&kind)) return regs_.write(e->dreg, 0, true);
    if (auto* e = std::get_if<bc::Numgen>(&kind)) return regs_.write(e->dreg, 4, true);
    if (auto* e = std::get_if<bc::Hash>(&kind)) return regs_.write(e->dreg, 4, true);
    if (auto* e = std::get_if<bc::Byteorder>(&kind))
      return regs_.write(e->dreg, e->len, e->op == NFT_BYTEORDER_NTOH);
    if (auto* e = std::get_if<bc::Inner>(&kind)) return visit(e->expr->kind, i);
    if (auto* e = std::get_if<bc::Bitwise>(&kind)) return bitwise(*e);
    if (auto* e = std::get_if<bc::Cmp>(&kind)) {
      if (regs_.read(e->sreg).host) make_host(e->data);
      if (l4proto_slot_ && e->sreg.slot() == l4proto_slot_ && e->op == NFT_CMP_EQ &&
          e->data.bytes.size() == 1)
        l4proto_ = e->data.bytes[0];
      return;
    }
    if (auto* e = std::get_if<bc::Range>(&kind)) {
      if (regs_.read(e->sreg).host) {
        make_host(e->from);
        make_host(e->to);
      }
      return;
    }
    if (auto* e = std::get_if<bc::Immediate>(&kind)) {
      auto* v = std::get_if<bc::Value>(&e->data);
      if (!v) return;
      std::optional<std::uint32_t> slot = e->dreg.slot();
      if (slot && consumer_host(i + 1, *slot).value_or(false)) make_host(*v);
      return regs_.write(e->dreg, static_cast<std::uint32_t>(v->bytes.size()), v->host_endian);
    }
    if (auto* e = std::get_if<bc::ObjrefMap>(&kind)) return key_fields_from(e->sreg, e->set_id);
    if (auto* e = std::get_if<bc::Lookup>(&kind)) return lookup(*e, i);
  }

  void bitwise(bc::Bitwise& e) {
    Registers::Slot src = regs_.read(e.sreg);
    bool host = src.known && src.host;
    switch (e.op) {
      case bc::uapi::kBitwiseMaskXor:
        if (host) {
          make_host(e.mask);
          make_host(e.xor_value);
        }
        break;
      case NFT_BITWISE_LSHIFT:
      case NFT_BITWISE_RSHIFT:
        make_host(e.data);  // the shift count is a host-order u32
        e.len = src.len ? src.len : 4;
        break;
      default:
        if (host && !e.data.bytes.empty()) make_host(e.data);
        e.len = !e.data.bytes.empty() ? static_cast<std::uint32_t>(e.data.bytes.size())
                : src.len             ? src.len
                                      : 4;
        break;
    }
    regs_.write(e.dreg, e.len, host);
  }

  void lookup(bc::Lookup& e, std::size_t i) {
    key_fields_from(e.sreg, e.set_id);
    if (!e.dreg) return;
    bc::Set* set = set_by_id(e.set_id);
    std::optional<std::uint32_t> dslot = e.dreg->slot();
    if (!set || !dslot || set->data_fields.empty()) return regs_.write(*e.dreg, 0, false);
    std::vector<std::uint32_t> words = field_words(set->data_fields);
    for (std::size_t k = 0; k < set->data_fields.size(); ++k)
      set->data_fields[k].host_endian = consumer_host(i + 1, *dslot + words[k]).value_or(false);
    regs_.write(*e.dreg, set->data_len, set->data_fields[0].host_endian);
  }

  bc::Rule& rule_;
  Registers regs_;
  std::optional<std::uint32_t> l4proto_slot_;  // where "meta load l4proto" put it
  std::optional<std::uint8_t> l4proto_;        // the protocol matched there
};

}  // namespace

void recover_unprinted(bc::Rule& rule) { Inference(rule).run(); }

}  // namespace nftc::bytecode_text
