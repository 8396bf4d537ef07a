// The .payload reader: what it reads, what it recovers that the text does
// not show (byte order, SCTP vs DCCP, set ids, lengths), and its errors.
#include "tests/support/payload_text.hpp"

#include <doctest/doctest.h>

#include "backends/bytecode/print.hpp"

namespace {

using namespace nftc;
using bc::Value;

bc::Rule parse_rule_text(std::string_view text) {
  test::PayloadResult r = test::parse_payload_block(text);
  if (r.error) FAIL("line " << r.error->line << ": " << r.error->message);
  REQUIRE(r.rule);
  // Whatever it reads prints back as it was written.
  CHECK(bytecode_text::rule_text(*r.rule) == text);
  return *r.rule;
}

template <class T>
const T& expr(const bc::Rule& rule, std::size_t i) {
  REQUIRE(i < rule.exprs.size());
  const T* e = std::get_if<T>(&rule.exprs[i].kind);
  REQUIRE(e);
  return *e;
}

}  // namespace

TEST_CASE("a compared value takes the byte order of what loaded the register") {
  bc::Rule mark = parse_rule_text(
      "ip test-ip4 input\n"
      "  [ meta load mark => reg 1 ]\n"
      "  [ cmp eq reg 1 0x0000002a ]\n");
  CHECK(mark.family == NFPROTO_IPV4);
  CHECK(mark.table == "test-ip4");
  CHECK(mark.chain == "input");
  CHECK(expr<bc::Cmp>(mark, 1).data == Value::host(0x2a, 4));

  bc::Rule port = parse_rule_text(
      "inet t c\n"
      "  [ payload load 2b @ transport header + 2 => reg 1 ]\n"
      "  [ range neq reg 1 0x0016 0x0050 ]\n");
  CHECK(expr<bc::Range>(port, 1).from == Value::big_endian(22, 2));
  CHECK(expr<bc::Range>(port, 1).to == Value::big_endian(80, 2));

  bc::Rule label = parse_rule_text(
      "ip t c\n"
      "  [ ct load label => reg 1 ]\n"
      "  [ bitwise reg 1 = ( reg 1 & 0x80000000 0x00000000 0x00000000 0x00000000 ) ^ 0x00000000 0x00000000 "
      "0x00000000 0x00000000 ]\n"
      "  [ cmp neq reg 1 0x00000000 0x00000000 0x00000000 0x00000000 ]\n");
  const bc::Bitwise& mask = expr<bc::Bitwise>(label, 1);
  CHECK(mask.len == 16);
  CHECK(mask.mask.host_endian);
  CHECK(expr<bc::Cmp>(label, 2).data.host_endian);

  // hton turns a host-order length into network order before a lookup.
  bc::Rule hour = parse_rule_text(
      "ip t c\n"
      "  [ meta load hour => reg 1 ]\n"
      "  [ byteorder reg 1 = hton(reg 1, 4, 4) ]\n"
      "  [ range eq reg 1 0x00000078 0x00013560 ]\n");
  CHECK(expr<bc::Range>(hour, 2).from == Value::big_endian(0x78, 4));
}

TEST_CASE("an immediate takes the byte order of what consumes it") {
  bc::Rule mark = parse_rule_text(
      "ip t c\n"
      "  [ immediate reg 1 0x0000000a ]\n"
      "  [ meta set mark with reg 1 ]\n");
  CHECK(std::get<Value>(expr<bc::Immediate>(mark, 0).data) == Value::host(10, 4));

  bc::Rule nat = parse_rule_text(
      "ip t c\n"
      "  [ immediate reg 1 0xc0a80101 ]\n"
      "  [ immediate reg 2 0x0050 ]\n"
      "  [ nat dnat ip addr_min reg 1 proto_min reg 2 ]\n");
  CHECK(std::get<Value>(expr<bc::Immediate>(nat, 0).data) == Value::big_endian(0xc0a80101, 4));
  CHECK(std::get<Value>(expr<bc::Immediate>(nat, 1).data) == Value::big_endian(80, 2));
}

TEST_CASE("set elements take their fields' byte order from the registers") {
  bc::Rule len = parse_rule_text(
      "__set%d test-ip4 3\n"
      "__set%d test-ip4 0\n"
      "\telement 00000021\telement 00000037\n"
      "ip test-ip4 input\n"
      "  [ meta load len => reg 1 ]\n"
      "  [ lookup reg 1 set __set%d ]\n");
  REQUIRE(len.anonymous_sets.size() == 1);
  const bc::Set& set = len.anonymous_sets[0];
  CHECK(set.name == "__set%d");
  CHECK(set.flags == (NFT_SET_ANONYMOUS | NFT_SET_CONSTANT));
  CHECK(set.family == NFPROTO_IPV4);
  CHECK(set.key_len == 4);
  CHECK(set.key_fields == std::vector<bc::Field>{{4, true}});
  CHECK(set.elements[0].key == Value::host(0x21, 4).bytes);
  CHECK(expr<bc::Lookup>(len, 1).set_id == set.id);

  bc::Rule concat = parse_rule_text(
      "__map%d test-ip4 b\n"
      "__map%d test-ip4 0\n"
      "\telement 00000014 . 01010101 : 01020304\n"
      "ip test-ip4 output\n"
      "  [ ct load mark => reg 1 ]\n"
      "  [ payload load 4b @ network header + 16 => reg 9 ]\n"
      "  [ lookup reg 1 set __map%d dreg 1 ]\n"
      "  [ nat dnat ip addr_min reg 1 ]\n");
  const bc::Set& map = concat.anonymous_sets[0];
  CHECK(map.key_fields == std::vector<bc::Field>{{4, true}, {4, false}});
  CHECK(map.data_fields == std::vector<bc::Field>{{4, false}});
  bc::Bytes key = Value::host(0x14, 4).bytes;
  key.append(Value::big_endian(0x01010101, 4).bytes.span());
  CHECK(map.elements[0].key == key);

  bc::Rule data = parse_rule_text(
      "__map%d test-ip4 b\n"
      "__map%d test-ip4 0\n"
      "\telement 06 . 0016 : 00000001\n"
      "ip t c\n"
      "  [ meta load l4proto => reg 1 ]\n"
      "  [ payload load 2b @ transport header + 2 => reg 9 ]\n"
      "  [ lookup reg 1 set __map%d dreg 1 ]\n"
      "  [ meta set mark with reg 1 ]\n");
  const bc::Set& marks = data.anonymous_sets[0];
  CHECK(marks.key_fields == std::vector<bc::Field>{{1, true}, {2, false}});
  CHECK(marks.elements[0].key == bc::Bytes{0x06, 0, 0, 0, 0x00, 0x16, 0, 0});
  CHECK(std::get<bc::Bytes>(marks.elements[0].data) == Value::host(1, 4).bytes);
}

TEST_CASE("sets: ids in order, verdicts, object maps, intervals, catch-all") {
  bc::Rule two = parse_rule_text(
      "__set%d test-ip6 3\n"
      "__set%d test-ip6 0\n"
      "\telement 80\telement 81\n"
      "__set%d test-ip6 3\n"
      "__set%d test-ip6 0\n"
      "\telement 0021\telement 0037\n"
      "ip6 test-ip6 input\n"
      "  [ payload load 1b @ transport header + 0 => reg 1 ]\n"
      "  [ lookup reg 1 set __set%d ]\n"
      "  [ payload load 2b @ transport header + 4 => reg 1 ]\n"
      "  [ lookup reg 1 set __set%d 0x1 ]\n");
  CHECK(expr<bc::Lookup>(two, 1).set_id == 1);
  CHECK(expr<bc::Lookup>(two, 3).set_id == 2);
  CHECK(expr<bc::Lookup>(two, 3).flags == NFT_LOOKUP_F_INV);
  CHECK(two.anonymous_sets[1].elements[1].key == bc::Bytes{0x00, 0x37});

  bc::Rule vmap = parse_rule_text(
      "__map%d test-ip4 b size 2\n"
      "__map%d test-ip4 0\n"
      "\telement 01010101 : drop\telement  : jump -> other flags 2\n"
      "ip test-ip4 input\n"
      "  [ payload load 4b @ network header + 12 => reg 1 ]\n"
      "  [ lookup reg 1 set __map%d dreg 0 ]\n");
  const bc::Set& v = vmap.anonymous_sets[0];
  CHECK(v.size == 2u);
  CHECK(v.data_type == NFT_DATA_VERDICT);
  CHECK(std::get<bc::Verdict>(v.elements[0].data) == bc::Verdict{NF_DROP, {}});
  CHECK(v.elements[1].key.empty());
  CHECK(v.elements[1].flags == NFT_SET_ELEM_CATCHALL);
  CHECK(std::get<bc::Verdict>(v.elements[1].data) == bc::Verdict{NFT_JUMP, "other"});

  bc::Rule objmap = parse_rule_text(
      "__objmap%d test-ip4 43\n"
      "__objmap%d test-ip4 0\n"
      "\telement 0015 : cthelp1\n"
      "ip test-ip4 input\n"
      "  [ payload load 2b @ transport header + 2 => reg 1 ]\n"
      "  [ objref sreg 1 set __objmap%d ]\n");
  CHECK(std::get<bc::ObjectName>(objmap.anonymous_sets[0].elements[0].data).name == "cthelp1");

  bc::Rule open = parse_rule_text(
      "__set%d test-ip6 7 size 3\n"
      "__set%d test-ip6 0\n"
      "\telement 00\telement 01 flags 1\telement ff  userdata len 6 sum 0x6\n"
      "ip6 test-ip6 input\n"
      "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
      "  [ lookup reg 1 set __set%d ]\n");
  CHECK(open.anonymous_sets[0].elements[1].flags == NFT_SET_ELEM_INTERVAL_END);
  CHECK(open.anonymous_sets[0].elements[2].interval_open);
}

TEST_CASE("what else the text leaves out") {
  bc::Rule dccp = parse_rule_text(
      "inet t c\n"
      "  [ meta load l4proto => reg 1 ]\n"
      "  [ cmp eq reg 1 0x21 ]\n"
      "  [ exthdr load 1b @ 4 + 0 present => reg 1 ]\n");
  CHECK(expr<bc::ExthdrLoad>(dccp, 2).op == NFT_EXTHDR_OP_DCCP);
  bc::Rule sctp = parse_rule_text(
      "inet t c\n"
      "  [ meta load l4proto => reg 1 ]\n"
      "  [ cmp eq reg 1 0x84 ]\n"
      "  [ exthdr load 1b @ 4 + 0 present => reg 1 ]\n");
  CHECK(expr<bc::ExthdrLoad>(sctp, 2).op == NFT_EXTHDR_OP_SCTP);

  bc::Rule shift = parse_rule_text(
      "ip6 t c\n"
      "  [ payload load 2b @ network header + 0 => reg 1 ]\n"
      "  [ bitwise reg 1 = ( reg 1 & 0x0fc0 ) ^ 0x0000 ]\n"
      "  [ byteorder reg 1 = ntoh(reg 1, 2, 2) ]\n"
      "  [ bitwise reg 1 = ( reg 1 >> 0x00000006 ) ]\n");
  const bc::Bitwise& rshift = expr<bc::Bitwise>(shift, 3);
  CHECK(rshift.op == NFT_BITWISE_RSHIFT);
  CHECK(rshift.len == 2);
  CHECK(rshift.data == Value::host(6, 4));

  bc::Rule log = parse_rule_text(
      "ip t c\n"
      "  [ log prefix two  spaces  group 2 snaplen 0 qthreshold 0 ]\n");
  CHECK(expr<bc::Log>(log, 0).prefix == "two  spaces ");

  bc::Rule inner = parse_rule_text(
      "netdev t c\n"
      "  [ inner type 1 hdrsize 8 flags f [ payload load 1b @ network header + 9 => reg 1 ] ]\n"
      "  [ cmp eq reg 1 0x06 ]\n");
  CHECK(expr<bc::Inner>(inner, 0).expr->kind ==
        bc::ExprKind{bc::PayloadLoad{NFT_PAYLOAD_NETWORK_HEADER, 9, 1, bc::Reg::r128(1)}});
}

TEST_CASE("errors name the line") {
  test::PayloadResult bad = test::parse_payload_block(
      "ip t c\n"
      "  [ payload load 2b @ network header + 0 => reg 1 ]\n"
      "  [ cmp eq reg 1 ]\n");
  REQUIRE(bad.error);
  CHECK(bad.error->line == 3);
  CHECK(bad.error->message == "expected a value, found ''");

  test::PayloadResult unknown = test::parse_payload_block("ip t c\n  [ frobnicate reg 1 ]\n");
  REQUIRE(unknown.error);
  CHECK(unknown.error->message == "unknown expression 'frobnicate'");

  test::PayloadResult mangled =
      test::parse_payload_block("__set%d  t c\n\telement 00\nip t c\n  [ notrack ]\n");
  REQUIRE(mangled.error);
  CHECK(mangled.error->line == 1);
}

TEST_CASE("a file splits into blocks at blank lines and '#' lines") {
  std::vector<test::PayloadBlock> blocks = test::parse_payload_file(
      "# tcp dport 22\n"
      "inet t c\n"
      "  [ payload load 2b @ transport header + 2 => reg 1 ]\n"
      "  [ cmp eq reg 1 0x0016 ]\n"
      "\n"
      "# counter\n"
      "inet t c\n"
      "  [ counter pkts 0 bytes 0 ]\n");
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].rule_text == "tcp dport 22");
  CHECK(blocks[0].first_line == 2);
  CHECK(blocks[0].lines.size() == 3);
  REQUIRE(blocks[1].rule);
  CHECK(blocks[1].first_line == 7);
  CHECK(std::holds_alternative<bc::Counter>(blocks[1].rule->exprs[0].kind));
}
