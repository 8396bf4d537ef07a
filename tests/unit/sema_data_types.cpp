// Datatypes: nft's ids, names, sizes and byte orders; parsing symbols into
// constants (value, length, byte order) and printing them back as `nft list`
// does. Expected values come from nft's sources and the suite's .payload
// files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

#include "sema_test_ctx.hpp"

namespace {

using namespace nftc::sema;
using nftc::sema::testing::printed;
using nftc::sema::testing::TestCtx;

// The bytes a constant holds, as the kernel would see them.
std::string bytes_of(const Expr& e) {
  std::string s = e.value.to_bytes_string((e.len + 7) / 8, e.byteorder == ByteOrder::host ? ByteOrder::host
                                                                                          : ByteOrder::big);
  std::string hex;
  for (unsigned char c : s) hex += fmt::format("{:02x}", c);
  return hex;
}

}  // namespace

TEST_CASE("the registry holds every type at its nft id, under nft's name") {
  for (std::uint32_t id = 0; id <= TYPE_MAX; ++id) {
    const Datatype* d = datatype_lookup(id);
    REQUIRE(d != nullptr);
    CHECK(d->type == id);
  }
  CHECK(datatype_lookup(TYPE_MAX + 1) == nullptr);
  CHECK(datatype_lookup_byname("ipv4_addr") == &ipaddr_type);
  CHECK(datatype_lookup_byname("ether_type") == &ethertype_type);
  CHECK(datatype_lookup_byname("iface_index") == &ifindex_type);
  CHECK(datatype_lookup_byname("cgroupsv2") == &cgroupv2_type);
  CHECK(datatype_lookup_byname("classid") == &tchandle_type);
  // date_type is also called "time": the first registered wins, as in nft.
  CHECK(datatype_lookup_byname("time") == &time_type);
  CHECK(datatype_lookup_byname("no_such_type") == nullptr);
}

TEST_CASE("sizes and byte orders are nft's") {
  struct Row {
    const Datatype* d;
    unsigned size;
    ByteOrder order;
    const Datatype* base;
  };
  const Row rows[] = {
      {&etheraddr_type, 48, ByteOrder::big, &lladdr_type},   {&ethertype_type, 16, ByteOrder::big, &integer_type},
      {&arpop_type, 16, ByteOrder::big, &integer_type},      {&icmp_type_type, 8, ByteOrder::big, &integer_type},
      {&tcp_flag_type, 8, ByteOrder::big, &bitmask_type},    {&dccp_pkttype_type, 4, ByteOrder::invalid, &integer_type},
      {&mh_type_type, 8, ByteOrder::big, &integer_type},     {&ifindex_type, 32, ByteOrder::host, &integer_type},
      {&arphrd_type, 16, ByteOrder::host, &integer_type},    {&realm_type, 32, ByteOrder::host, &integer_type},
      {&tchandle_type, 32, ByteOrder::host, &integer_type},  {&uid_type, 32, ByteOrder::host, &integer_type},
      {&gid_type, 32, ByteOrder::host, &integer_type},       {&ct_state_type, 32, ByteOrder::host, &bitmask_type},
      {&ct_dir_type, 8, ByteOrder::invalid, &integer_type},  {&ct_status_type, 32, ByteOrder::host, &bitmask_type},
      {&icmp6_type_type, 8, ByteOrder::big, &integer_type},  {&ct_label_type, 128, ByteOrder::host, &bitmask_type},
      {&pkttype_type, 8, ByteOrder::host, &integer_type},    {&icmp_code_type, 8, ByteOrder::big, &integer_type},
      {&devgroup_type, 32, ByteOrder::host, &integer_type},  {&dscp_type, 6, ByteOrder::big, &integer_type},
      {&ecn_type, 2, ByteOrder::big, &integer_type},         {&fib_addr_type, 32, ByteOrder::host, &integer_type},
      {&ct_event_type, 32, ByteOrder::host, &bitmask_type},  {&ifname_type, 128, ByteOrder::host, &string_type},
      {&igmp_type_type, 8, ByteOrder::big, &integer_type},   {&date_type, 64, ByteOrder::host, &integer_type},
      {&hour_type, 32, ByteOrder::host, &integer_type},      {&day_type, 8, ByteOrder::host, &integer_type},
      {&cgroupv2_type, 64, ByteOrder::host, &integer_type},  {&mptcpopt_subtype, 4, ByteOrder::invalid, &integer_type},
  };
  for (const Row& r : rows) {
    CAPTURE(r.d->name);
    CHECK(r.d->size == r.size);
    CHECK(r.d->byteorder == r.order);
    CHECK(r.d->basetype == r.base);
  }
  CHECK(mptcpopt_subtype.type == TYPE_INTEGER);
  CHECK(reject_icmp_code_type.type == TYPE_INVALID);
  CHECK(reject_icmpx_code_type.desc == "reject icmpx code");
}

TEST_CASE("symbols parse to the value nft stores, in the type's byte order") {
  TestCtx ctx;
  const Expr* e = ctx.parse(ethertype_type, "ip");
  REQUIRE(e != nullptr);
  CHECK(e->len == 16);
  CHECK(e->byteorder == ByteOrder::big);
  CHECK(e->value.u64() == 0x0800);
  CHECK(bytes_of(*e) == "0800");
  CHECK(ctx.value(ethertype_type, "vlan") == 0x8100);
  CHECK(ctx.value(ethertype_type, "8021ad") == 0x88a8);
  CHECK(ctx.value(ethertype_type, "ip6") == 0x86dd);

  e = ctx.parse(arpop_type, "request");
  REQUIRE(e != nullptr);
  CHECK(bytes_of(*e) == "0001");
  CHECK(ctx.value(arpop_type, "nak") == 10);

  CHECK(ctx.value(icmp_type_type, "echo-request") == 8);
  CHECK(ctx.value(icmp_type_type, "address-mask-reply") == 18);
  CHECK(ctx.value(icmp6_type_type, "mld-listener-done") == 132);
  CHECK(ctx.value(icmp6_type_type, "mld2-listener-report") == 143);
  CHECK(ctx.value(igmp_type_type, "membership-report-v3") == 0x22);
  CHECK(ctx.value(tcp_flag_type, "syn") == 0x02);
  CHECK(ctx.value(tcp_flag_type, "cwr") == 0x80);
  CHECK(ctx.value(dccp_pkttype_type, "syncack") == 9);
  CHECK(ctx.value(mh_type_type, "home-agent-switch-message") == 12);
  CHECK(ctx.value(dscp_type, "ef") == 0x2e);
  CHECK(ctx.value(dscp_type, "af41") == 0x22);
  CHECK(ctx.value(ecn_type, "ce") == 3);
  CHECK(ctx.value(arphrd_type, "ether") == 1);
  CHECK(ctx.value(arphrd_type, "loopback") == 772);
  CHECK(ctx.value(pkttype_type, "unicast") == 0);
  CHECK(ctx.value(pkttype_type, "other") == 3);
  CHECK(ctx.value(fib_addr_type, "prohibit") == 8);
  CHECK(ctx.value(day_type, "Saturday") == 6);
  CHECK(ctx.value(mptcpopt_subtype, "mp-tcprst") == 8);
  CHECK(ctx.value(nfproto_type, "ipv6") == 10);

  e = ctx.parse(ct_state_type, "established");
  REQUIRE(e != nullptr);
  CHECK(e->len == 32);
  CHECK(bytes_of(*e) == "02000000");
  CHECK(ctx.value(ct_state_type, "new") == 8);
  CHECK(ctx.value(ct_state_type, "untracked") == 64);
  CHECK(ctx.value(ct_dir_type, "reply") == 1);
  CHECK(ctx.value(ct_status_type, "dying") == 0x200);
  // nft's table has bit numbers for these three, not masks.
  CHECK(ctx.value(ct_status_type, "helper") == 13);
  CHECK(ctx.value(ct_status_type, "hw-offload") == 15);
  CHECK(ctx.value(ct_event_type, "label") == 1024);
  CHECK(ctx.value(devgroup_type, "default") == 0);
  CHECK(ctx.value(realm_type, "cosmos") == 0);
}

TEST_CASE("a number where a symbol is expected goes to the base type") {
  TestCtx ctx;
  const Expr* e = ctx.parse(ethertype_type, "0x8847");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 0x8847);
  // integer_type_parse: host order, length 1 until evaluation sets it.
  CHECK(e->byteorder == ByteOrder::host);
  CHECK(e->len == 1);
  CHECK(e->dtype == &ethertype_type);
  CHECK(ctx.value(tcp_flag_type, "0x12") == 0x12);
  CHECK(ctx.value(ct_state_type, "010") == 8);  // octal, as mpz_set_str base 0
  CHECK(ctx.value(devgroup_type, "11") == 11);
  CHECK(ctx.value(day_type, "7") == 7);  // the range is checked later
}

TEST_CASE("a misspelt symbol gets a did-you-mean") {
  TestCtx ctx;
  CHECK(ctx.parse(day_type, "Satturday") == nullptr);
  CHECK(ctx.last_error().find("did you mean 'Saturday'") != std::string::npos);
  CHECK(ctx.parse(ct_state_type, "establised") == nullptr);
  CHECK(ctx.last_error().find("'established'") != std::string::npos);
  CHECK(ctx.parse(icmp_type_type, "echo-requset") == nullptr);
  CHECK(ctx.last_error().find("'echo-request'") != std::string::npos);
  CHECK(ctx.parse(tcp_flag_type, "zzz") == nullptr);
  CHECK(!ctx.last_error().empty());
}

TEST_CASE("icmp codes: the reject names, for matches too") {
  TestCtx ctx;
  const Expr* e = ctx.parse(icmp_code_type, "port-unreachable");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 3);
  CHECK(e->len == 8);
  CHECK(e->dtype == &icmp_code_type);
  CHECK(ctx.value(icmp_code_type, "admin-prohibited") == 13);
  CHECK(ctx.value(icmp_code_type, "frag-needed") == 4);
  CHECK(ctx.value(icmpv6_code_type, "reject-route") == 6);
  CHECK(ctx.value(icmpx_code_type, "admin-prohibited") == 3);
  CHECK(ctx.value(reject_icmpx_code_type, "no-route") == 0);
  CHECK(ctx.value(reject_icmp_code_type, "host-prohibited") == 10);
  CHECK(ctx.value(icmp_code_type, "5") == 5);
}

TEST_CASE("addresses") {
  TestCtx ctx;
  const Expr* e = ctx.parse(etheraddr_type, "00:0f:54:0c:11:4");
  REQUIRE(e != nullptr);
  CHECK(e->len == 48);
  CHECK(bytes_of(*e) == "000f540c1104");
  CHECK(printed(*e) == "00:0f:54:0c:11:04");
  CHECK(ctx.parse(etheraddr_type, "00:0f:zz") == nullptr);

  e = ctx.parse(ipaddr_type, "192.168.0.1");
  REQUIRE(e != nullptr);
  CHECK(printed(*e) == "192.168.0.1");
  e = ctx.parse(ip6addr_type, "::ffff:1.2.3.4");
  REQUIRE(e != nullptr);
  CHECK(printed(*e) == "::ffff:1.2.3.4");
  e = ctx.parse(ip6addr_type, "dead:0:0::1");
  REQUIRE(e != nullptr);
  CHECK(printed(*e) == "dead::1");
}

TEST_CASE("services and protocols come from nftc's own tables") {
  TestCtx ctx;
  const Expr* e = ctx.parse(inet_service_type, "ssh");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 22);
  CHECK(e->len == 16);
  CHECK(bytes_of(*e) == "0016");
  CHECK(ctx.value(inet_service_type, "http") == 80);
  CHECK(ctx.value(inet_service_type, "0x10") == 16);
  CHECK(ctx.parse(inet_service_type, "65536") == nullptr);
  CHECK(ctx.parse(inet_service_type, "no-such-service") == nullptr);

  e = ctx.parse(inet_protocol_type, "tcp");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 6);
  CHECK(e->len == 8);
  CHECK(printed(*e) == "tcp");
  CHECK(printed(*e, PrintOptions{.numeric_protocols = true}) == "6");
  CHECK(ctx.value(inet_protocol_type, "ipv6-icmp") == 58);
  CHECK(ctx.value(inet_protocol_type, "IPv6-ICMP") == 58);  // an alias
  CHECK(ctx.parse(inet_protocol_type, "mptcp") == nullptr);  // 262: nft takes only 0-255
  CHECK(ctx.parse(inet_protocol_type, "256") == nullptr);

  Expr* port = ctx.constant_of(inet_service_type, 22, 16, ByteOrder::big);
  CHECK(printed(*port) == "22");
  CHECK(printed(*port, PrintOptions{.services = true}) == "\"ssh\"");
  port = ctx.constant_of(inet_service_type, 54321, 16, ByteOrder::big);
  CHECK(printed(*port, PrintOptions{.services = true}) == "54321");
}

TEST_CASE("printing: symbols, base formats, quoting") {
  TestCtx ctx;
  CHECK(printed(*ctx.constant_of(ethertype_type, 0x0800, 16, ByteOrder::big)) == "ip");
  CHECK(printed(*ctx.constant_of(ethertype_type, 0x8100, 16, ByteOrder::big)) == "8021q");
  CHECK(printed(*ctx.constant_of(ethertype_type, 0x8847, 16, ByteOrder::big)) == "0x8847");
  CHECK(printed(*ctx.constant_of(ethertype_type, 0x0800, 16, ByteOrder::big), PrintOptions{.numeric_symbols = true}) ==
        "0x0800");
  CHECK(printed(*ctx.constant_of(arpop_type, 1, 16, ByteOrder::big)) == "request");
  CHECK(printed(*ctx.constant_of(tcp_flag_type, 0x02, 8, ByteOrder::big)) == "syn");
  CHECK(printed(*ctx.constant_of(tcp_flag_type, 0x12, 8, ByteOrder::big)) == "0x12");
  CHECK(printed(*ctx.constant_of(ct_state_type, 2, 32, ByteOrder::host)) == "established");
  CHECK(printed(*ctx.constant_of(dscp_type, 0, 6, ByteOrder::big)) == "cs0");
  CHECK(printed(*ctx.constant_of(dscp_type, 0x3f, 6, ByteOrder::big)) == "0x3f");
  CHECK(printed(*ctx.constant_of(dscp_type, 0x03, 6, ByteOrder::big)) == "0x03");
  CHECK(printed(*ctx.constant_of(ecn_type, 3, 2, ByteOrder::big)) == "ce");
  CHECK(printed(*ctx.constant_of(mark_type, 0x16, 32, ByteOrder::host)) == "0x00000016");
  CHECK(printed(*ctx.constant_of(integer_type, 42, 32, ByteOrder::host)) == "42");
  CHECK(printed(*ctx.constant_of(xinteger_type, 42, 32, ByteOrder::host)) == "0x2a");
  CHECK(printed(*ctx.constant_of(icmp_code_type, 3, 8, ByteOrder::big)) == "3");
  CHECK(printed(*ctx.constant_of(reject_icmp_code_type, 3, 8, ByteOrder::big)) == "port-unreachable");
  CHECK(printed(*ctx.constant_of(icmp6_type_type, 132, 8, ByteOrder::big)) == "mld-listener-done");
  CHECK(printed(*ctx.constant_of(pkttype_type, 0, 8, ByteOrder::host)) == "host");
  CHECK(printed(*ctx.constant_of(day_type, 6, 8, ByteOrder::host)) == "\"Saturday\"");
  CHECK(printed(*ctx.constant_of(devgroup_type, 0, 32, ByteOrder::host)) == "\"default\"");
  CHECK(printed(*ctx.constant_of(devgroup_type, 11, 32, ByteOrder::host)) == "11");
  CHECK(printed(*ctx.constant_of(realm_type, 0, 32, ByteOrder::host)) == "\"cosmos\"");
  CHECK(printed(*ctx.constant_of(fib_addr_type, 2, 32, ByteOrder::host)) == "local");
  CHECK(printed(*ctx.constant_of(boolean_type, 1, 1, ByteOrder::host)) == "exists");
  CHECK(printed(*ctx.constant_of(nfproto_type, 2, 8, ByteOrder::host)) == "ipv4");
  CHECK(printed(*ctx.constant_of(time_type, 90061001, 32, ByteOrder::host)) == "1d1h1m1s1ms");
  CHECK(printed(*ctx.constant_of(time_type, 90061001, 32, ByteOrder::host), PrintOptions{.numeric_time = true}) ==
        "90061s");
  CHECK(printed(*ctx.constant_of(uid_type, 1000, 32, ByteOrder::host)) == "1000");
  CHECK(printed(*ctx.constant_of(ifindex_type, 1, 32, ByteOrder::host)) == "\"lo\"");
  CHECK(printed(*ctx.constant_of(ifindex_type, 7, 32, ByteOrder::host)) == "7");
  CHECK(printed(*ctx.constant_of(arphrd_type, 1, 16, ByteOrder::host)) == "ether");
  CHECK(printed(*ctx.constant_of(ct_dir_type, 0, 8, ByteOrder::invalid)) == "original");
  CHECK(printed(*ctx.constant_of(ct_label_type, std::uint64_t{1} << 12, 128, ByteOrder::host)) == "12");

  const Expr* s = ctx.parse(string_type, "eth0");
  REQUIRE(s != nullptr);
  CHECK(s->len == 40);
  CHECK(printed(*s) == "\"eth0\"");
  s = ctx.parse(ifname_type, "eth0");
  REQUIRE(s != nullptr);
  CHECK(s->dtype == &string_type);  // nft's string parser keeps its own type
}

TEST_CASE("classids") {
  TestCtx ctx;
  const Expr* e = ctx.parse(tchandle_type, "1:2");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 0x10002);
  CHECK(e->len == 32);
  CHECK(e->byteorder == ByteOrder::host);
  CHECK(printed(*e) == "1:2");
  CHECK(ctx.value(tchandle_type, "root") == 0xffffffff);
  CHECK(ctx.value(tchandle_type, "none") == 0);
  CHECK(ctx.value(tchandle_type, "abcd:ef") == 0xabcd00ef);
  CHECK(ctx.value(tchandle_type, "0x10") == 0x10);
  CHECK(ctx.parse(tchandle_type, "1:zz") == nullptr);
  CHECK(ctx.parse(tchandle_type, ":1") == nullptr);
  CHECK(printed(*ctx.constant_of(tchandle_type, 0xffffffff, 32, ByteOrder::host)) == "root");
  CHECK(printed(*ctx.constant_of(tchandle_type, 0, 32, ByteOrder::host)) == "none");
  CHECK(printed(*ctx.constant_of(tchandle_type, 0xabcd00ef, 32, ByteOrder::host)) == "abcd:ef");
}

TEST_CASE("users, groups, interfaces: numbers, and names resolved on this machine as nft resolves them") {
  TestCtx ctx;
  CHECK(ctx.value(uid_type, "root") == 0);
  CHECK(ctx.value(gid_type, "root") == 0);
  CHECK(ctx.value(uid_type, "3000") == 3000);
  CHECK(ctx.parse(uid_type, "0x10") == nullptr);  // uids are decimal in nft
  CHECK(ctx.value(gid_type, "0x10") == 16);       // gids take any base
  CHECK(ctx.parse(uid_type, "4294967296") == nullptr);
  CHECK(ctx.parse(uid_type, "no-such-user-nftc") == nullptr);
  CHECK(ctx.last_error() == "unknown user 'no-such-user-nftc'");
  CHECK(ctx.last_help().find("numeric uid") != std::string::npos);
  CHECK(ctx.parse(gid_type, "no-such-group-nftc") == nullptr);
  CHECK(ctx.last_help().find("numeric gid") != std::string::npos);

  const Expr* e = ctx.parse(ifindex_type, "lo");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 1);
  CHECK(e->len == 32);
  CHECK(ctx.value(ifindex_type, "12") == 12);
  CHECK(ctx.parse(ifindex_type, "nftc-no-such-if") == nullptr);
  CHECK(ctx.last_help().find("iifname") != std::string::npos);
  CHECK(ctx.parse(ifindex_type, "-1") == nullptr);
}

TEST_CASE("conntrack labels are bit numbers") {
  TestCtx ctx;
  const Expr* e = ctx.parse(ct_label_type, "127");
  REQUIRE(e != nullptr);
  CHECK(e->len == 128);
  CHECK(e->value.test_bit(127));
  CHECK(e->value.popcount() == 1);
  CHECK(ctx.parse(ct_label_type, "128") == nullptr);
  CHECK(ctx.parse(ct_label_type, "foo") == nullptr);
  CHECK(ctx.last_help().find("connlabel.conf") != std::string::npos);
}

TEST_CASE("dates and hours in the local time zone, as nft under the suite's TZ=UTC-2") {
  const char* old = std::getenv("TZ");
  std::string saved = old != nullptr ? old : "";
  setenv("TZ", "UTC-2", 1);
  tzset();
  TestCtx ctx;
  // any/meta.t.payload: cmp eq reg 1 0x002bd503 0x43f05400
  const Expr* e = ctx.parse(date_type, "1970-05-23 21:07:14");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 0x002bd50343f05400ull);
  CHECK(e->len == 64);
  CHECK(e->byteorder == ByteOrder::host);
  CHECK(ctx.value(date_type, "2019-06-21 17:00:00") == 0x15aa3ebc767d6000ull);
  CHECK(ctx.value(date_type, "2019-07-01 00:01:00") == 0x15ad18eedf981800ull);
  CHECK(ctx.value(date_type, "12341234") == 0x002bd84974a8f400ull);
  CHECK(ctx.value(date_type, "2019-07-01") == 0x15ad18e0e750c000ull);
  CHECK(ctx.parse(date_type, "yesterday") == nullptr);
  CHECK(printed(*ctx.constant_of(date_type, 0x002bd84974a8f400ull, 64, ByteOrder::host)) ==
        "\"1970-05-23 22:07:14\"");

  // any/meta.t.payload: seconds since midnight UTC.
  CHECK(ctx.value(hour_type, "17:00") == 0xd2f0);
  CHECK(ctx.value(hour_type, "17:00:00") == 0xd2f0);
  CHECK(ctx.value(hour_type, "17:00:01") == 0xd2f1);
  CHECK(ctx.value(hour_type, "00:00") == 0x13560);
  CHECK(ctx.value(hour_type, "02:02") == 0x78);
  CHECK(ctx.value(hour_type, "23:59:60") == 0x13560);
  CHECK(ctx.value(hour_type, "3600") == 3600);  // a number is not adjusted
  CHECK(ctx.parse(hour_type, "24:00") == nullptr);
  CHECK(ctx.parse(hour_type, "17:00x") == nullptr);
  CHECK(printed(*ctx.constant_of(hour_type, 0xd2f0, 32, ByteOrder::host)) == "\"17:00\"");
  CHECK(printed(*ctx.constant_of(hour_type, 0xd2f1, 32, ByteOrder::host)) == "\"17:00:01\"");
  CHECK(printed(*ctx.constant_of(hour_type, 0x13560, 32, ByteOrder::host)) == "\"00:00\"");

  if (old != nullptr) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

TEST_CASE("cgroupv2: an inode number when the path does not exist here") {
  TestCtx ctx;
  const Expr* e = ctx.parse(cgroupv2_type, "4242");
  REQUIRE(e != nullptr);
  CHECK(e->len == 64);
  CHECK(e->dtype == &cgroupv2_type);
  CHECK(ctx.parse(cgroupv2_type, "no/such/nftc-cgroup") == nullptr);
  CHECK(ctx.last_error().find("/sys/fs/cgroup/no/such/nftc-cgroup") != std::string::npos);
}

TEST_CASE("verdicts print their names and targets") {
  TestCtx ctx;
  Expr* v = ctx.arena().expr(Kind::verdict);
  v->dtype = &verdict_type;
  v->verdict().verdict = kVerdictAccept;
  CHECK(printed(*v) == "accept");
  v->verdict().verdict = kVerdictDrop;
  CHECK(printed(*v) == "drop");
  v->verdict().verdict = kVerdictReturn;
  CHECK(printed(*v) == "return");
  const Expr* chain = ctx.parse(string_type, "c1");
  v->verdict().verdict = kVerdictJump;
  v->verdict().chain = const_cast<Expr*>(chain);
  CHECK(printed(*v) == "jump c1");
}

TEST_CASE("relative times: units, plain seconds, printing") {
  TestCtx ctx;
  const Expr* e = ctx.parse(time_type, "1d2h3m4s5ms");
  REQUIRE(e != nullptr);
  CHECK(e->value.u64() == 93784005);
  CHECK(e->len == 32);
  CHECK(e->byteorder == ByteOrder::host);
  CHECK(printed(*e) == "1d2h3m4s5ms");
  CHECK(ctx.value(time_type, "10") == 10000);  // no unit: seconds
  CHECK(ctx.value(time_type, "5ms") == 5);
  CHECK(ctx.value(time_type, "2m") == 120000);
  CHECK(ctx.value(time_type, "1h30m") == 5400000);
  CHECK(ctx.parse(time_type, "1h1h") == nullptr);
  CHECK(ctx.parse(time_type, "1w") == nullptr);
  CHECK(ctx.parse(time_type, "50d") == nullptr);  // more than 32 bits of milliseconds
  CHECK(printed(*ctx.constant_of(time_type, 0, 32, ByteOrder::host)) == "0s");
  CHECK(printed(*ctx.constant_of(time_type, 60000, 32, ByteOrder::host)) == "1m");
}
