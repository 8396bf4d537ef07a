// Protocol, extension header, option and chunk tables against nft: fields
// checked by hand where the suite shows them, then every simple match in the
// suite's .payload files ("PROTO FIELD VALUE", "tcp option NAME FIELD
// VALUE", …) checked against the load nft emitted for it: offset, length,
// the mask of a bit field, and the value of a symbolic constant.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "compiler/sema/proto.hpp"
#include "sema_test_ctx.hpp"
#include "tests/support/payload_text.hpp"

namespace {

namespace fs = std::filesystem;
using namespace nftc::sema;

const HdrTemplate& tmpl(const ProtoDesc& d, std::string_view token) {
  int i = proto_field_index(&d, token);
  REQUIRE_MESSAGE(i >= 0, d.name << " has no field " << token);
  return d.templates[static_cast<std::size_t>(i)];
}

// The load nft emits for a field: whole bytes around it, and the mask of
// its bits when it is not byte aligned (as `bitwise` prints it).
struct Load {
  unsigned offset_bytes, len_bytes;
  std::string mask;  // empty when aligned
};
Load load_of(unsigned offset, unsigned len) {
  unsigned shift_in = offset % 8;
  unsigned n = (shift_in + len + 7) / 8;
  Load l{offset / 8, n, {}};
  if (shift_in != 0 || len % 8 != 0) {
    Value m = Value::bitmask(len).shl(n * 8 - shift_in - len);
    std::string hex = m.to_hex();
    l.mask = "0x" + std::string(n * 2 - hex.size(), '0') + hex;
  }
  return l;
}

std::string_view base_text(ProtoBase b) {
  switch (b) {
    case ProtoBase::ll: return "link";
    case ProtoBase::network: return "network";
    case ProtoBase::transport: return "transport";
    case ProtoBase::inner: return "tunnel";
    case ProtoBase::invalid: break;
  }
  return "?";
}

}  // namespace

TEST_CASE("protocol fields by hand: offsets, lengths, types as nft has them") {
  CHECK(tmpl(proto_ip, "dscp").offset == 8);
  CHECK(tmpl(proto_ip, "dscp").len == 6);
  CHECK(tmpl(proto_ip, "dscp").dtype == &dscp_type);
  CHECK(load_of(8, 6).mask == "0xfc");
  CHECK(load_of(12, 20).mask == "0x0fffff");
  CHECK(tmpl(proto_ip, "saddr").offset == 96);
  CHECK(tmpl(proto_ip, "frag-off").dtype == &xinteger_type);
  CHECK(tmpl(proto_ip6, "flowlabel").offset == 12);
  CHECK(tmpl(proto_ip6, "daddr").offset == 192);
  CHECK(tmpl(proto_tcp, "flags").offset == 104);
  CHECK(tmpl(proto_tcp, "flags").dtype == &tcp_flag_type);
  CHECK(tmpl(proto_dccp, "type").offset == 67);
  CHECK(tmpl(proto_icmp6, "daddr").offset == 192);
  CHECK(tmpl(proto_icmp6, "taddr").icmp_dep == IcmpDep::icmp6_address);
  CHECK(tmpl(proto_icmp, "mtu").icmp_dep == IcmpDep::mtu);
  CHECK(tmpl(proto_arp, "saddr ip").offset == 112);
  CHECK(tmpl(proto_arp, "daddr ether").dtype == &etheraddr_type);
  CHECK(tmpl(proto_vlan, "cfi").offset == tmpl(proto_vlan, "dei").offset);
  CHECK(tmpl(proto_gre, "version").offset == 13);
  CHECK(tmpl(proto_vxlan, "vni").offset == 32);
  CHECK(tmpl(proto_vxlan, "vni").len == 24);
  CHECK(proto_field_index(&proto_ip, "l4proto") == -1);  // a meta key, not a field
  CHECK(proto_field_index(&proto_ip, "nosuchfield") == -1);
  for (const ProtoDesc* d : {&proto_ip, &proto_ip6, &proto_gre, &proto_inet_service}) {
    CHECK(d->templates[0].meta_key == NFT_META_L4PROTO);
    CHECK(d->templates[0].byteorder == ByteOrder::invalid);
  }
  CHECK(proto_inet.templates[0].meta_key == NFT_META_NFPROTO);
  CHECK(proto_netdev.templates[0].meta_key == NFT_META_PROTOCOL);
  CHECK(proto_netdev.templates[0].len == 16);
}

TEST_CASE("protocol descriptions: ids, bases, checksums, lengths, links") {
  for (unsigned i = 1; i <= static_cast<unsigned>(ProtoId::gretap); ++i) {
    const ProtoDesc* d = proto_find_desc(static_cast<ProtoId>(i));
    REQUIRE(d != nullptr);
    CHECK(static_cast<unsigned>(d->id) == i);
    CHECK(proto_by_name(d->name) == d);
  }
  CHECK(proto_by_name("icmpv6") == &proto_icmp6);
  CHECK(proto_by_name("ether") == &proto_eth);
  CHECK(proto_by_name("inet") == nullptr);
  CHECK(proto_eth.length == 112);
  CHECK(proto_vlan.length == 32);
  CHECK(proto_ip.checksum_type == NFT_PAYLOAD_CSUM_INET);
  CHECK(proto_ip.checksum_key == IPHDR_CHECKSUM);
  CHECK(proto_sctp.checksum_type == NFT_PAYLOAD_CSUM_SCTP);
  CHECK(proto_udp.checksum_type == NFT_PAYLOAD_CSUM_NONE);
  CHECK(proto_ip.pseudohdr[2] == IPHDR_PROTOCOL);
  CHECK(proto_ip6.format.filter == 1u << IP6HDR_VERSION);

  CHECK(proto_find_upper(&proto_ip, IPPROTO_TCP) == &proto_tcp);
  CHECK(proto_find_upper(&proto_ip, IPPROTO_GRE) == &proto_gre);  // the first link wins
  CHECK(proto_find_num(&proto_ip, &proto_gretap) == IPPROTO_GRE);
  CHECK(proto_find_upper(&proto_inet, NFPROTO_IPV6) == &proto_ip6);
  CHECK(proto_find_upper(&proto_ip6, IPPROTO_ICMPV6) == &proto_icmp6);
  CHECK(proto_find_upper(&proto_ip, 200) == nullptr);
  // Ethertypes link by the host-order value of their network-order bytes.
  CHECK(proto_find_upper(&proto_eth, 0x0008) == &proto_ip);
  CHECK(proto_find_num(&proto_eth, &proto_vlan) == 0x0081);
  CHECK(proto_find_num(&proto_vxlan, &proto_ip6) == 0xdd86);
  CHECK(proto_find_num(&proto_udp, &proto_vxlan) == 0);
  CHECK(proto_find_num(&proto_tcp, &proto_ip) == -1);

  CHECK(hook_proto_desc(Family::ip).desc == &proto_ip);
  CHECK(hook_proto_desc(Family::ip).base == ProtoBase::network);
  CHECK(hook_proto_desc(Family::inet).desc == &proto_inet);
  CHECK(hook_proto_desc(Family::inet).base == ProtoBase::ll);
  CHECK(hook_proto_desc(Family::bridge).desc == &proto_eth);
  CHECK(hook_proto_desc(Family::netdev).desc == &proto_netdev);
  CHECK(hook_proto_desc(Family::arp).desc == &proto_arp);

  std::uint16_t type = 0;
  CHECK(proto_dev_type(&proto_ip, type));
  CHECK(type == 1);  // ARPHRD_ETHER
  CHECK(!proto_dev_type(&proto_tcp, type));
  CHECK(proto_dev_desc(1) == &proto_eth);
  CHECK(proto_dev_desc(772) == nullptr);

  CHECK(proto_find_inner(1, 8, 0xf) == &proto_vxlan);
  CHECK(proto_find_inner(2, 8, 0xf) == &proto_geneve);
  CHECK(proto_find_inner(3, 4, 0xc) == &proto_gre);
  CHECK(proto_find_inner(4, 4, 0xe) == &proto_gretap);
  CHECK(proto_find_inner(1, 4, 0xf) == &proto_unknown);
  CHECK(proto_base_name(ProtoBase::network) == "network layer");
  CHECK(proto_base_token(ProtoBase::inner) == "ih");
  CHECK(proto_unknown_template.dtype == &invalid_type);
}

TEST_CASE("meta, ct, rt, socket, tunnel and xfrm keys") {
  const KeyTemplate* t = meta_template(NFT_META_IIFNAME);
  REQUIRE(t != nullptr);
  CHECK(t->token == "iifname");
  CHECK(t->len == 128);
  CHECK(t->dtype == &ifname_type);
  CHECK(meta_template(NFT_META_PROTOCOL)->byteorder == ByteOrder::big);
  CHECK(meta_template(NFT_META_PRANDOM)->byteorder == ByteOrder::big);
  CHECK(meta_template(NFT_META_NFTRACE)->len == 1);
  CHECK(meta_template(NFT_META_TIME_NS)->dtype == &date_type);
  CHECK(meta_template(36) == nullptr);  // a hole in the kernel's numbering
  CHECK(meta_template(37)->token == "ibrhwaddr");
  CHECK(meta_template(35)->token == "broute");
  CHECK(meta_template(38) == nullptr);
  CHECK(meta_key_by_name("mark") == NFT_META_MARK);
  CHECK(meta_key_by_name("ibriport") == NFT_META_BRI_IIFNAME);
  CHECK(meta_key_by_name("obriport") == NFT_META_BRI_OIFNAME);
  CHECK(meta_key_by_name("secpath") == NFT_META_SECPATH);
  CHECK(meta_key_by_name("ipsec") == NFT_META_SECPATH);
  CHECK(meta_key_by_name("sdifname") == NFT_META_SDIFNAME);
  CHECK(!meta_key_by_name("nosuchkey"));
  CHECK(meta_key_is_unqualified(NFT_META_IIFGROUP));
  CHECK(!meta_key_is_unqualified(NFT_META_MARK));
  CHECK(meta_key_names().size() == 37);

  CHECK(ct_template(NFT_CT_STATE)->dtype == &ct_state_type);
  CHECK(ct_template(NFT_CT_SRC)->len == 0);
  CHECK(ct_template(NFT_CT_PROTO_DST)->byteorder == ByteOrder::big);
  CHECK(ct_template(NFT_CT_ID)->byteorder == ByteOrder::big);
  CHECK(ct_template(NFT_CT_LABELS)->len == 128);
  CHECK(ct_template(NFT_CT_HELPER)->len == 128);
  CHECK(ct_key_by_name("ip6 daddr") == NFT_CT_DST_IP6);
  CHECK(ct_key_by_name("proto-src") == NFT_CT_PROTO_SRC);
  CHECK(ct_key_by_name("label") == NFT_CT_LABELS);
  CHECK(ct_key_direction(NFT_CT_SRC_IP) == CtDirection::required);
  CHECK(ct_key_direction(NFT_CT_ZONE) == CtDirection::optional);
  CHECK(ct_key_direction(NFT_CT_STATE) == CtDirection::none);

  CHECK(rt_key_by_name("nexthop") == NFT_RT_NEXTHOP4);
  CHECK(rt_template(NFT_RT_NEXTHOP6)->len == 128);
  CHECK(rt_template(NFT_RT_TCPMSS)->token == "mtu");
  CHECK(socket_key_by_name("cgroupv2") == NFT_SOCKET_CGROUPV2);
  CHECK(socket_template(NFT_SOCKET_MARK)->dtype == &mark_type);
  CHECK(tunnel_key_by_name("id") == NFT_TUNNEL_ID);
  CHECK(tunnel_template(NFT_TUNNEL_PATH)->dtype == &boolean_type);
  CHECK(xfrm_key_by_name("saddr") == NFT_XFRM_KEY_SADDR_IP4);
  CHECK(xfrm_template(NFT_XFRM_KEY_SPI)->byteorder == ByteOrder::big);
  CHECK(xfrm_template(NFT_XFRM_KEY_REQID)->byteorder == ByteOrder::host);
  CHECK(xfrm_template(0) == nullptr);
}

TEST_CASE("extension headers, options and chunks") {
  const ExthdrDesc* frag = exthdr_by_name("frag");
  REQUIRE(frag != nullptr);
  CHECK(frag->type == IPPROTO_FRAGMENT);
  CHECK(exthdr_field_index(frag, "more-fragments") == FRAGHDR_MFRAGS);
  CHECK(frag->templates[FRAGHDR_MFRAGS].offset == 31);
  CHECK(exthdr_find_proto(IPPROTO_ROUTING) == exthdr_by_name("rt"));
  CHECK(exthdr_find_proto(IPPROTO_TCP) == nullptr);
  CHECK(exthdr_find_desc(ExthdrId::srh) == exthdr_by_name("srh"));
  CHECK(exthdr_by_name("srh")->templates[RT4HDR_TAG].offset == 48);
  CHECK(exthdr_by_name("rt0")->templates[RT0HDR_ADDR_1 + 1].token == "addr[2]");
  CHECK(exthdr_template_at(exthdr_by_name("srh"), 40, 8)->token == "flags");
  CHECK(exthdr_template_at(exthdr_by_name("srh"), 41, 8) == nullptr);

  CHECK(tcpopt_by_name("mss") == tcpopt_by_name("maxseg"));
  CHECK(tcpopt_by_name("mss")->name == "maxseg");
  CHECK(tcpopt_by_name("sack-permitted")->type == TCPOPT_KIND_SACK_PERMITTED);
  CHECK(tcpopt_by_name("sack3")->name == "sack");
  CHECK(tcpopt_by_name("echo")->name == "timestamp");
  CHECK(tcpopt_by_kind(34)->name == "fastopen");
  CHECK(tcpopt_by_kind(6) == nullptr);
  CHECK(tcpopt_kind_by_name("sack2") == TCPOPT_KIND_SACK2);
  auto f = tcpopt_find(TCPOPT_KIND_SACK2, TCPOPT_SACK_RIGHT);
  REQUIRE(f);
  CHECK(f->field == TCPOPT_SACK_RIGHT2);
  CHECK(f->tmpl->offset == 176);
  CHECK(f->kind == TCPOPT_KIND_SACK);
  f = tcpopt_find(200, TCPOPT_COMMON_LENGTH);
  REQUIRE(f);
  CHECK(f->desc == &tcpopt_fallback);
  CHECK(f->kind == 200);
  CHECK(tcpopt_find(200, 5)->tmpl == &exthdr_unknown_template);
  CHECK(!tcpopt_find(TCPOPT_KIND_NOP, TCPOPT_COMMON_LENGTH));  // nop has no length
  CHECK(!tcpopt_find(300, 0));
  f = tcpopt_find(TCPOPT_KIND_MPTCP, TCPOPT_MPTCP_SUBTYPE);
  REQUIRE(f);
  CHECK(f->tmpl->dtype == &mptcpopt_subtype);
  CHECK(f->tmpl->len == 4);

  CHECK(ipopt_by_name("ra")->type == 148);
  CHECK(ipopt_by_type(131)->name == "lsrr");
  CHECK(ipopt_by_name("rr")->templates[IPOPT_FIELD_ADDR_0].dtype == &ipaddr_type);
  CHECK(sctp_chunk_by_name("forward-tsn")->type == 192);
  CHECK(sctp_chunk_by_type(14)->name == "shutdown-complete");
  CHECK(sctp_chunk_by_name("init-ack")->templates[SCTP_CHUNK_INIT_TSN].offset == 128);
  CHECK(sctp_chunk_by_name("nosuchchunk") == nullptr);
  CHECK(dccpopt_find_desc(0)->name == "padding");
  CHECK(dccpopt_find_desc(20)->name == "reserved_short");
  CHECK(dccpopt_find_desc(44)->name == "data_checksum");
  CHECK(dccpopt_find_desc(100)->name == "reserved_long");
  CHECK(dccpopt_find_desc(255)->name == "ccid_specific");
}

namespace {

fs::path suite_dir() {
  const char* env = std::getenv("NFTC_SHARED_DIR");
  fs::path shared = env && *env ? fs::path(env) : fs::path(NFTC_SHARED_DIR);
  return shared / "nft-tests" / "tests" / "py";
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// What a rule line loads, if it is one field match this test understands.
struct Expected {
  std::string load;             // the "… load …" text up to " => reg"
  std::string mask;             // the bitwise mask, for bit fields
  const HdrTemplate* tmpl = nullptr;
  std::string value;            // a lone symbolic value after the field
  unsigned shift = 0, bytes = 0;
};

std::optional<Expected> expected_for(const std::vector<std::string>& w) {
  if (w.size() < 2) return std::nullopt;
  Expected e;
  std::size_t next = 0;
  if (w[0] == "tcp" && w.size() >= 4 && w[1] == "option") {
    auto kind = tcpopt_kind_by_name(w[2]);
    if (!kind) return std::nullopt;
    const ExthdrDesc* desc = tcpopt_by_name(w[2]);
    int field = exthdr_field_index(desc, w[3]);
    if (field < 0) return std::nullopt;
    auto f = tcpopt_find(*kind, static_cast<unsigned>(field));
    if (!f) return std::nullopt;
    Load l = load_of(f->tmpl->offset, f->tmpl->len);
    e.load = fmt::format("exthdr load tcpopt {}b @ {} + {}", l.len_bytes, f->kind, l.offset_bytes);
    e.mask = l.mask;
    e.tmpl = f->tmpl;
    next = 4;
  } else if (w[0] == "sctp" && w.size() >= 4 && w[1] == "chunk") {
    const ExthdrDesc* desc = sctp_chunk_by_name(w[2]);
    if (desc == nullptr) return std::nullopt;
    int field = exthdr_field_index(desc, w[3]);
    if (field < 0) return std::nullopt;
    const HdrTemplate& t = desc->templates[static_cast<std::size_t>(field)];
    Load l = load_of(t.offset, t.len);
    e.load = fmt::format("exthdr load {}b @ {} + {}", l.len_bytes, desc->type, l.offset_bytes);
    e.mask = l.mask;
    e.tmpl = &t;
    next = 4;
  } else if (const ExthdrDesc* x = exthdr_by_name(w[0])) {
    int field = exthdr_field_index(x, w[1]);
    if (field < 0) return std::nullopt;
    const HdrTemplate& t = x->templates[static_cast<std::size_t>(field)];
    Load l = load_of(t.offset, t.len);
    e.load = fmt::format("exthdr load ipv6 {}b @ {} + {}", l.len_bytes, x->type, l.offset_bytes);
    e.mask = l.mask;
    e.tmpl = &t;
    next = 2;
  } else if (const ProtoDesc* d = proto_by_name(w[0])) {
    int field = -1;
    if (w.size() >= 3) field = proto_field_index(d, w[1] + " " + w[2]), next = 3;
    if (field < 0) field = proto_field_index(d, w[1]), next = 2;
    if (field < 0) return std::nullopt;
    const HdrTemplate& t = d->templates[static_cast<std::size_t>(field)];
    // A VLAN header follows the Ethernet header (stacked link layer).
    unsigned stacked = d == &proto_vlan ? proto_eth.length : 0;
    Load l = load_of(stacked + t.offset, t.len);
    e.load = fmt::format("payload load {}b @ {} header + {}", l.len_bytes, base_text(d->base), l.offset_bytes);
    e.mask = l.mask;
    e.tmpl = &t;
  } else {
    return std::nullopt;
  }
  if (next < w.size() && w[next] == "set") return std::nullopt;  // a statement, not a match
  for (std::size_t i = next; i < w.size(); ++i) {
    // A prefix loads only the bytes it covers; a second field of the same
    // header may be merged into one load with the first.
    if (w[i].find('/') != std::string::npos || w[i] == w[0]) return std::nullopt;
  }
  Load l = load_of(e.tmpl->offset, e.tmpl->len);
  e.bytes = l.len_bytes;
  e.shift = l.len_bytes * 8 - e.tmpl->offset % 8 - e.tmpl->len;
  // A lone value, then nothing or a verdict.
  if (next < w.size() && (next + 1 == w.size() || w[next + 1] == "accept" || w[next + 1] == "drop"))
    e.value = w[next];
  return e;
}

// The value nft would compare with, as the payload text prints it.
std::optional<std::string> cmp_text(const Expected& e, nftc::sema::testing::TestCtx& ctx) {
  const Datatype* d = e.tmpl->dtype;
  if (e.value.empty() || d == nullptr || e.bytes > 4) return std::nullopt;
  bool symbolic = false;
  for (const Datatype* t = d; t != nullptr; t = t->basetype) symbolic |= t->sym_tbl != nullptr;
  if (!symbolic || datatype_basetype(d) == &bitmask_type || d->basetype == &bitmask_type) return std::nullopt;
  const Expr* c = ctx.parse(*d, e.value);
  if (c == nullptr || c->len == 1) return std::nullopt;  // not a symbol
  Value v = c->value.shl(e.shift);
  std::string hex = v.to_hex();
  if (hex.size() > e.bytes * 2) return std::nullopt;
  return "cmp eq reg 1 0x" + std::string(e.bytes * 2 - hex.size(), '0') + hex;
}

}  // namespace

TEST_CASE("every simple field match in the suite loads what the tables say") {
  fs::path dir = suite_dir();
  if (!fs::is_directory(dir)) {
    const char* ci = std::getenv("CI");
    if (ci && std::string_view(ci) == "true") FAIL("the nftables test suite is not there, and CI=true");
    MESSAGE("the nftables test suite is not there; skipped");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().filename().string().find(".payload") != std::string::npos)
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  // Written by hand in an older format (32-bit compare values throughout).
  constexpr std::string_view kOddFiles[] = {"any/icmpX.t.netdev.payload"};

  nftc::sema::testing::TestCtx ctx;
  unsigned checked = 0, values = 0, merged_loads = 0;
  std::vector<std::string> failures;
  for (const fs::path& file : files) {
    std::string rel = file.lexically_relative(dir).string();
    if (std::find(std::begin(kOddFiles), std::end(kOddFiles), rel) != std::end(kOddFiles)) continue;
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    for (const nftc::test::PayloadBlock& block : nftc::test::parse_payload_file(text.str())) {
      auto e = expected_for(words(block.rule_text));
      if (!e) continue;
      ++checked;
      auto where = [&] { return fmt::format("{}:{}: {}", rel, block.first_line, block.rule_text); };
      auto load = std::find_if(block.lines.begin(), block.lines.end(),
                               [&](const std::string& l) { return l.find(e->load + " ") != std::string::npos; });
      if (load == block.lines.end()) {
        // nft merges adjacent loads (with the dependency too, e.g. ether
        // saddr with ether type): a longer load from the same offset.
        std::string where_from = e->load.substr(e->load.find(" @ "));
        bool merged = std::any_of(block.lines.begin(), block.lines.end(), [&](const std::string& l) {
          return l.find(where_from + " =>") != std::string::npos;
        });
        if (!merged) failures.push_back(where() + ": no '" + e->load + "'");
        merged_loads += merged;
        continue;
      }
      auto next = load + 1;
      if (!e->mask.empty()) {
        if (next == block.lines.end() || next->find("& " + e->mask + " )") == std::string::npos) {
          failures.push_back(where() + ": no mask " + e->mask);
          continue;
        }
        ++next;
      }
      if (auto cmp = cmp_text(*e, ctx); cmp && next != block.lines.end() && next->find("cmp eq") != std::string::npos) {
        ++values;
        if (next->find(*cmp) == std::string::npos) failures.push_back(where() + ": expected " + *cmp + ", got " + *next);
      }
    }
  }
  MESSAGE(fmt::format("{} field matches checked in {} files ({} merged into a longer load), {} symbolic values",
                      checked, files.size(), merged_loads, values));
  CHECK(checked > 1000);
  CHECK(merged_loads < 10);
  CHECK(values > 50);
  for (const std::string& f : failures) FAIL_CHECK(f);
}
