// The bytecode text printer, one expression kind at a time, on IR built by
// hand. Expected texts follow libnftnl's formats (and, where the suite has
// them, its .payload files).
// The project header first: it orders glibc's and the kernel's socket headers.
#include "backends/bytecode/print.hpp"

#include <doctest/doctest.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>

namespace {

using namespace nftc;
using bc::Reg;
using bc::Value;

std::string text(bc::ExprKind kind) { return bytecode_text::expr_text(bc::Expr{std::move(kind), {}}); }

constexpr Reg r1 = Reg::r128(1);
constexpr Reg r2 = Reg::r128(2);

}  // namespace

TEST_CASE("values print in four-byte groups, host-order ones as numbers") {
  CHECK(bytecode_text::value_text(Value::big_endian(6, 1)) == "0x06");
  CHECK(bytecode_text::value_text(Value::big_endian(0xe8, 2)) == "0x00e8");
  CHECK(bytecode_text::value_text(Value{{0xaa, 0xbb, 0xcc, 0xaa, 0xbb, 0xcc}, false}) == "0xaabbccaa 0xbbcc");
  CHECK(bytecode_text::value_text(Value::host(0x2a, 4)) == "0x0000002a");
  CHECK(bytecode_text::value_text(Value::host(0x1234, 2)) == "0x1234");
  CHECK(bytecode_text::value_text(Value::string("lo", 16)) == "0x6c6f0000 0x00000000 0x00000000 0x00000000");
  // A host-order value is reversed as a whole, even past four bytes.
  CHECK(bytecode_text::value_text(Value::host(0x0102030405060708ull, 8)) == "0x01020304 0x05060708");
}

TEST_CASE("payload, cmp, range, bitwise, byteorder") {
  CHECK(text(bc::PayloadLoad{NFT_PAYLOAD_NETWORK_HEADER, 9, 1, r1}) ==
        "[ payload load 1b @ network header + 9 => reg 1 ]");
  CHECK(text(bc::PayloadLoad{bc::uapi::kPayloadTunnelHeader, 0, 4, r1}) ==
        "[ payload load 4b @ tunnel header + 0 => reg 1 ]");
  CHECK(text(bc::PayloadSet{NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, r1, NFT_PAYLOAD_CSUM_INET, 16,
                            NFT_PAYLOAD_L4CSUM_PSEUDOHDR}) ==
        "[ payload write reg 1 => 2b @ transport header + 2 csum_type 1 csum_off 16 csum_flags 0x1 ]");
  CHECK(text(bc::Cmp{NFT_CMP_EQ, r1, Value::big_endian(6, 1)}) == "[ cmp eq reg 1 0x06 ]");
  CHECK(text(bc::Cmp{NFT_CMP_GTE, Reg::r32(1), Value::host(7, 4)}) == "[ cmp gte reg 9 0x00000007 ]");
  CHECK(text(bc::Range{NFT_RANGE_NEQ, r1, Value::big_endian(0x21, 2), Value::big_endian(0x2d, 2)}) ==
        "[ range neq reg 1 0x0021 0x002d ]");

  bc::Bitwise mask;
  mask.sreg = mask.dreg = r1;
  mask.len = 2;
  mask.mask = Value::big_endian(0x0fc0, 2);
  mask.xor_value = Value::big_endian(0, 2);
  CHECK(text(mask) == "[ bitwise reg 1 = ( reg 1 & 0x0fc0 ) ^ 0x0000 ]");

  bc::Bitwise shift;
  shift.op = NFT_BITWISE_RSHIFT;
  shift.sreg = shift.dreg = r1;
  shift.data = Value::host(6, 4);
  CHECK(text(shift) == "[ bitwise reg 1 = ( reg 1 >> 0x00000006 ) ]");

  bc::Bitwise orreg;
  orreg.op = bc::uapi::kBitwiseOr;
  orreg.sreg = orreg.dreg = r1;
  orreg.sreg2 = r2;
  CHECK(text(orreg) == "[ bitwise reg 1 = ( reg 1 | reg 2 ) ]");
  orreg.sreg2.reset();
  orreg.op = bc::uapi::kBitwiseXor;
  orreg.data = Value::big_endian(1, 1);
  CHECK(text(orreg) == "[ bitwise reg 1 = ( reg 1 ^ 0x01) ]");

  CHECK(text(bc::Byteorder{NFT_BYTEORDER_HTON, r1, r1, 4, 4}) == "[ byteorder reg 1 = hton(reg 1, 4, 4) ]");
}

TEST_CASE("immediate data and verdicts") {
  CHECK(text(bc::Immediate{r1, Value{{0x11, 0x22, 0x33, 0x44, 0x55, 0x66}, false}}) ==
        "[ immediate reg 1 0x11223344 0x5566 ]");
  CHECK(text(bc::Immediate{Reg::verdict(), bc::Verdict{NF_ACCEPT, {}}}) == "[ immediate reg 0 accept ]");
  CHECK(text(bc::Immediate{Reg::verdict(), bc::Verdict{NFT_JUMP, "c1"}}) == "[ immediate reg 0 jump -> c1 ]");
  CHECK(text(bc::Immediate{Reg::verdict(), bc::Verdict{NFT_RETURN, {}}}) == "[ immediate reg 0 return ]");
}

TEST_CASE("set references") {
  CHECK(text(bc::Lookup{r1, {}, "__set%d", 1, 0}) == "[ lookup reg 1 set __set%d ]");
  CHECK(text(bc::Lookup{r1, {}, "__set%d", 1, NFT_LOOKUP_F_INV}) == "[ lookup reg 1 set __set%d 0x1 ]");
  CHECK(text(bc::Lookup{r1, Reg::verdict(), "__map%d", 1, 0}) == "[ lookup reg 1 set __map%d dreg 0 ]");

  bc::Dynset add;
  add.sreg_key = r1;
  add.sreg_data = Reg::r32(2);
  add.set = "map1";
  CHECK(text(add) == "[ dynset add reg_key 1 set map1 sreg_data 10 ]");
  bc::Dynset update;
  update.op = NFT_DYNSET_OP_UPDATE;
  update.sreg_key = r1;
  update.set = "s";
  update.timeout_ms = 60000;
  update.exprs.push_back(bc::Expr{bc::Counter{}, {}});
  CHECK(text(update) == "[ dynset update reg_key 1 set s timeout 60000ms expr [ counter pkts 0 bytes 0 ] ]");

  CHECK(text(bc::ObjrefMap{r1, "__objmap%d", 1}) == "[ objref sreg 1 set __objmap%d ]");
  CHECK(text(bc::Objref{NFT_OBJECT_COUNTER, "cnt2"}) == "[ objref type 1 name cnt2 ]");
  CHECK(text(bc::Objref{NFT_OBJECT_SECMARK, "sm"}) == "[ objref type 8 name sm ]");
}

TEST_CASE("meta, ct, exthdr and the other loads") {
  CHECK(text(bc::MetaLoad{NFT_META_L4PROTO, r1}) == "[ meta load l4proto => reg 1 ]");
  CHECK(text(bc::MetaLoad{bc::uapi::kMetaBriIifHwaddr, r1}) == "[ meta load ibrhwaddr => reg 1 ]");
  CHECK(text(bc::MetaSet{bc::uapi::kMetaBriBroute, r1}) == "[ meta set broute with reg 1 ]");
  CHECK(text(bc::CtLoad{NFT_CT_STATE, r1, {}}) == "[ ct load state => reg 1 ]");
  CHECK(text(bc::CtLoad{NFT_CT_SRC_IP, r1, IP_CT_DIR_REPLY}) == "[ ct load src_ip => reg 1 , dir reply ]");
  CHECK(text(bc::CtSet{NFT_CT_ZONE, r1, IP_CT_DIR_ORIGINAL}) == "[ ct set zone with reg 1 , dir original ]");

  CHECK(text(bc::ExthdrLoad{NFT_EXTHDR_OP_IPV6, 43, 0, 1, 0, r1}) ==
        "[ exthdr load ipv6 1b @ 43 + 0 => reg 1 ]");
  CHECK(text(bc::ExthdrLoad{NFT_EXTHDR_OP_TCPOPT, 2, 0, 1, NFT_EXTHDR_F_PRESENT, r1}) ==
        "[ exthdr load tcpopt 1b @ 2 + 0 present => reg 1 ]");
  CHECK(text(bc::ExthdrLoad{NFT_EXTHDR_OP_SCTP, 1, 0, 1, NFT_EXTHDR_F_PRESENT, r1}) ==
        "[ exthdr load 1b @ 1 + 0 present => reg 1 ]");
  CHECK(text(bc::ExthdrLoad{NFT_EXTHDR_OP_IPV4, 7, 2, 1, 0, r1}) ==
        "[ exthdr load ipv4 1b @ 7 + 2 => reg 1 ]");
  CHECK(text(bc::ExthdrSet{NFT_EXTHDR_OP_TCPOPT, 2, 2, 2, r1}) ==
        "[ exthdr write tcpopt reg 1 => 2b @ 2 + 2 ]");
  CHECK(text(bc::ExthdrReset{NFT_EXTHDR_OP_TCPOPT, 30}) == "[ exthdr reset tcpopt 30 ]");

  CHECK(text(bc::Rt{NFT_RT_XFRM, r1}) == "[ rt load ipsec => reg 1 ]");
  CHECK(text(bc::Socket{NFT_SOCKET_CGROUPV2, r1, 2}) == "[ socket load cgroupv2 => reg 1 ]");
  CHECK(text(bc::Osf{r1, 0, NFT_OSF_F_VERSION}) == "[ osf dreg 1 ]");
  CHECK(text(bc::Fib{NFTA_FIB_F_SADDR | NFTA_FIB_F_IIF, NFT_FIB_RESULT_OIFNAME, r1}) ==
        "[ fib saddr . iif oifname => reg 1 ]");
  CHECK(text(bc::Fib{NFTA_FIB_F_DADDR | NFTA_FIB_F_PRESENT, NFT_FIB_RESULT_OIF, r1}) ==
        "[ fib daddr oif present => reg 1 ]");
  CHECK(text(bc::Xfrm{NFT_XFRM_KEY_SADDR_IP4, 0, 2, r1}) == "[ xfrm load in 2 saddr4 => reg 1 ]");
  CHECK(text(bc::Tunnel{NFT_TUNNEL_ID, r1}) == "[ tunnel load id => reg 1 ]");
  CHECK(text(bc::Numgen{r1, NFT_NG_RANDOM, 2, 0}) == "[ numgen reg 1 = random mod 2 ]");
  CHECK(text(bc::Numgen{r1, NFT_NG_INCREMENTAL, 7, 167772161}) ==
        "[ numgen reg 1 = inc mod 7 offset 167772161 ]");
  CHECK(text(bc::Hash{NFT_HASH_JENKINS, r1, r1, 8, 2, 0xdeadbeef, 100}) ==
        "[ hash reg 1 = jhash(reg 1, 8, 0xdeadbeef) % mod 2 offset 100 ]");
  CHECK(text(bc::Hash{NFT_HASH_SYM, {}, r1, 0, 2, 0, 0}) == "[ hash reg 1 = symhash() % mod 2 ]");

  bc::Inner inner;
  inner.type = bc::uapi::kInnerVxlan;
  inner.hdrsize = 8;
  inner.flags = bc::uapi::kInnerHdrsize | bc::uapi::kInnerLl | bc::uapi::kInnerNh | bc::uapi::kInnerTh;
  inner.expr = bc::Expr{bc::MetaLoad{NFT_META_PROTOCOL, r1}, {}};
  CHECK(text(inner) == "[ inner type 1 hdrsize 8 flags f [ meta load protocol => reg 1 ] ]");
}

TEST_CASE("stateful statements") {
  CHECK(text(bc::Counter{2, 1}) == "[ counter pkts 2 bytes 1 ]");
  CHECK(text(bc::Limit{400, 60, 5, NFT_LIMIT_PKTS, 0}) ==
        "[ limit rate 400/minute burst 5 type packets flags 0x0 ]");
  CHECK(text(bc::Limit{1025, 1, 512, NFT_LIMIT_PKT_BYTES, NFT_LIMIT_F_INV}) ==
        "[ limit rate 1025/second burst 512 type bytes flags 0x1 ]");
  CHECK(text(bc::Limit{10, 120, 0, NFT_LIMIT_PKTS, 0}) ==
        "[ limit rate 10/2 minute burst 0 type packets flags 0x0 ]");
  CHECK(text(bc::Limit{40, 86400, 5, NFT_LIMIT_PKTS, 0}) ==
        "[ limit rate 40/day burst 5 type packets flags 0x0 ]");
  CHECK(text(bc::Quota{10726932480ull, 0, NFT_QUOTA_F_INV}) ==
        "[ quota bytes 10726932480 consumed 0 flags 1 ]");
  CHECK(text(bc::Connlimit{3, NFT_CONNLIMIT_F_INV}) == "[ connlimit count 3 flags 1 ]");
  CHECK(text(bc::Last{}) == "[ last never ]");
  CHECK(text(bc::Last{true, 300000}) == "[ last 300000 ]");
}

TEST_CASE("log, reject, nat and the other actions") {
  CHECK(text(bc::Log{}) == "[ log ]");
  bc::Log group;
  group.prefix = "nft-test: ";
  group.group = 2;
  CHECK(text(group) == "[ log prefix nft-test:  group 2 snaplen 0 qthreshold 0 ]");
  bc::Log level;
  level.level = 7;
  level.flags = NF_LOG_IPOPT | NF_LOG_UID;
  CHECK(text(level) == "[ log level 7 ipopt uid ]");

  CHECK(text(bc::Reject{NFT_REJECT_ICMPX_UNREACH, 3}) == "[ reject type 2 code 3 ]");

  bc::Nat nat;
  nat.type = NFT_NAT_DNAT;
  nat.family = NFPROTO_IPV6;
  nat.addr_min = r1;
  nat.addr_max = r2;
  nat.proto_min = Reg::r128(3);
  nat.flags = NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED;
  CHECK(text(nat) == "[ nat dnat ip6 addr_min reg 1 addr_max reg 2 proto_min reg 3 flags 0x3 ]");
  CHECK(text(bc::Masq{}) == "[ masq ]");
  CHECK(text(bc::Masq{r1, r2, NF_NAT_RANGE_PROTO_RANDOM}) ==
        "[ masq proto_min reg 1 proto_max reg 2 flags 0x4 ]");
  CHECK(text(bc::Redir{r1, {}, NF_NAT_RANGE_PROTO_SPECIFIED}) == "[ redir proto_min reg 1 flags 0x2 ]");
  CHECK(text(bc::Tproxy{NFPROTO_IPV4, r1, r2}) == "[ tproxy ip addr reg 1 port reg 2 ]");
  CHECK(text(bc::Tproxy{NFPROTO_UNSPEC, {}, r1}) == "[ tproxy port reg 1 ]");

  CHECK(text(bc::Queue{0, 1, 0, {}}) == "[ queue num 0 ]");
  CHECK(text(bc::Queue{1, 65535, NFT_QUEUE_FLAG_BYPASS | NFT_QUEUE_FLAG_CPU_FANOUT, {}}) ==
        "[ queue num 1-65535 bypass fanout ]");
  CHECK(text(bc::Queue{0, 0, NFT_QUEUE_FLAG_BYPASS, r1}) == "[ queue sreg_qnum 1 bypass ]");

  CHECK(text(bc::Dup{r1, r2}) == "[ dup sreg_addr 1 sreg_dev 2 ]");
  CHECK(text(bc::Fwd{r1, r2, NFPROTO_IPV4}) == "[ fwd sreg_dev 1 sreg_addr 2 nfproto 2 ]");
  CHECK(text(bc::Notrack{}) == "[ notrack ]");
  CHECK(text(bc::Synproxy{1460, 7, 0}) == "[ synproxy mss 1460 wscale 7 ]");
  CHECK(text(bc::FlowOffload{"ft"}) == "[ flow_offload flowtable ft ]");
}

TEST_CASE("sets print their creation line, the element batch line and the elements") {
  bc::Set set;
  set.name = "__set%d";
  set.table = "test-ip4";
  set.flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
  set.size = 2;
  set.key_fields = {{4, true}};
  bc::SetElement a, b;
  a.key = Value::host(0x21, 4).bytes;
  b.key = Value::host(0x37, 4).bytes;
  set.elements = {a, b};
  CHECK(bytecode_text::set_text(set) ==
        "__set%d test-ip4 3 size 2\n__set%d test-ip4 0\n\telement 00000021\telement 00000037\n");

  set.elements.clear();
  set.timeout_ms = 30000;
  set.gc_interval_ms = 1000;
  set.policy = NFT_SET_POL_MEMORY;
  CHECK(bytecode_text::set_text(set) ==
        "__set%d test-ip4 3 timeout 30000ms gc_interval 1000ms policy 1 size 2\n");
}

TEST_CASE("elements: concatenations, intervals, data, verdicts, objects, catch-all, userdata") {
  bc::Set map;
  map.flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_MAP | NFT_SET_INTERVAL | NFT_SET_CONCAT;
  map.key_fields = {{1, false}, {4, true}};
  map.data_fields = {{4, false}, {4, false}};
  bc::SetElement el;
  el.key = bc::Bytes{0x06, 0, 0, 0};
  el.key.append(Value::host(0x12345678, 4).bytes.span());
  el.key_end = bc::Bytes{0x11, 0, 0, 0, 0, 0, 0, 0};
  el.data = bc::Bytes{0xc0, 0xa8, 0x02, 0x00, 0xc0, 0xa8, 0x02, 0xff};
  el.flags = NFT_SET_ELEM_INTERVAL_END;
  CHECK(bytecode_text::element_text(el, map) ==
        "element 06 . 12345678 - 11 . 00000000 : c0a80200 . c0a802ff flags 1");

  bc::Set vmap;
  vmap.key_fields = {{2, false}};
  bc::SetElement jump;
  jump.key = bc::Bytes{0x01, 0x00};
  jump.data = bc::Verdict{NFT_GOTO, "other"};
  CHECK(bytecode_text::element_text(jump, vmap) == "element 0100 : goto -> other");

  bc::SetElement catchall;
  catchall.data = bc::Verdict{NF_ACCEPT, {}};
  catchall.flags = NFT_SET_ELEM_CATCHALL;
  CHECK(bytecode_text::element_text(catchall, vmap) == "element  : accept flags 2");

  bc::SetElement obj;
  obj.key = bc::Bytes{0x01, 0xbb};
  obj.data = bc::ObjectName{"cnt1"};
  CHECK(bytecode_text::element_text(obj, vmap) == "element 01bb : cnt1");

  bc::SetElement open;
  open.key = bc::Bytes{0xff};
  open.interval_open = true;
  CHECK(bytecode_text::element_text(open, bc::Set{}) == "element ff  userdata len 6 sum 0x6");
  open.comment = "a";  // 00 02 'a' 00, then the flag: 01 04 01 00 00 00
  CHECK(bytecode_text::element_text(open, bc::Set{}) == "element ff  userdata len 10 sum 0x69");
}

TEST_CASE("a rule prints its sets, its header and its expressions") {
  bc::Rule rule;
  rule.family = NFPROTO_INET;
  rule.table = "test-inet";
  rule.chain = "input";
  bc::Set set;
  set.name = "__set%d";
  set.table = "test-inet";
  set.flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
  set.key_fields = {{2, false}};
  bc::SetElement e22, e80;
  e22.key = Value::big_endian(22, 2).bytes;
  e80.key = Value::big_endian(80, 2).bytes;
  set.elements = {e22, e80};
  rule.anonymous_sets.push_back(set);
  rule.exprs.push_back({bc::PayloadLoad{NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, r1}, {}});
  rule.exprs.push_back({bc::Lookup{r1, {}, "__set%d", 1, 0}, {}});
  rule.exprs.push_back({bc::Immediate{Reg::verdict(), bc::Verdict{NF_ACCEPT, {}}}, {}});
  CHECK(bytecode_text::rule_text(rule) ==
        "__set%d test-inet 3\n"
        "__set%d test-inet 0\n"
        "\telement 0016\telement 0050\n"
        "inet test-inet input\n"
        "  [ payload load 2b @ transport header + 2 => reg 1 ]\n"
        "  [ lookup reg 1 set __set%d ]\n"
        "  [ immediate reg 0 accept ]\n");
  CHECK(bytecode_text::rule_text(rule, {.anonymous_sets = false}).starts_with("inet test-inet input\n"));

  bc::Rule commented;
  commented.family = NFPROTO_IPV4;
  commented.table = "t";
  commented.chain = "c";
  commented.exprs.push_back({bc::Counter{}, {}});
  commented.comment = "foo";  // 00 04 'f' 'o' 'o' 00
  CHECK(bytecode_text::rule_text(commented) ==
        "ip t c\n  [ counter pkts 0 bytes 0 ]\n  userdata len 6 sum 0x148\n");
}
