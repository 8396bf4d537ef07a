// The AST of declarations: tables, chains, sets, maps, flowtables and the
// stateful objects, in table blocks (nft's table_block, chain_block, …).
#include "tests/unit/parser_test.hpp"

using nftc::test::ast_of;
using nftc::test::errors_of;

namespace {

// The declarations of `table inet t { BODY }`, without the command around.
std::string table_of(std::string_view body) {
  std::string dump = ast_of("table inet t {\n" + std::string(body) + "\n}");
  const std::string head = "(implicit-add table inet table=t (table t";
  if (dump.rfind(head, 0) != 0) return dump;
  return dump.substr(head.size(), dump.size() - head.size() - 3);  // drop "))\n"
}

}  // namespace

TEST_CASE("table flags and comment") {
  CHECK(table_of("flags dormant,owner\ncomment \"table comment\"") == " flags=dormant,owner comment=\"table comment\"");
  CHECK(table_of("flags persist; comment \"c\";") == " flags=persist comment=\"c\"");
}

TEST_CASE("base chains: type, hook, priority as number, name, name ± offset") {
  CHECK(table_of("chain base {\n type filter hook input priority filter + 10; policy drop;\n comment \"cc\"\n}") ==
        " (chain base (hook filter input) prio=filter+10 policy=drop comment=\"cc\")");
  CHECK(table_of("chain b2 {\n type nat hook prerouting priority dstnat - 5\n policy accept\n}") ==
        " (chain b2 (hook nat prerouting) prio=dstnat-5 policy=accept)");
  CHECK(table_of("chain b3 { type filter hook output priority -150; }") ==
        " (chain b3 (hook filter output) prio=-150)");
  CHECK(table_of("chain b4 { type route hook output priority mangle; }") ==
        " (chain b4 (hook route output) prio=mangle)");
  CHECK(table_of("chain b5 { type filter hook output priority out; }") == " (chain b5 (hook filter output) prio=out)");
  CHECK(ast_of("define p = -10\ntable ip t { chain c { type filter hook input priority $p; } }") ==
        "(define p -10)\n(implicit-add table ip table=t (table t (chain c (hook filter input) prio=$p)))\n");
}

TEST_CASE("priority spans and values") {
  auto p = nftc::test::parse("table ip t { chain c { type filter hook input priority raw - 10; } }");
  REQUIRE(p->ok);
  const auto* c = std::get<nftc::ast::ChainDecl*>(p->cmd().table->items.at(0).item);
  REQUIRE(c->priority);
  CHECK(c->priority->name.text == "raw");
  CHECK(c->priority->offset == -10);
  CHECK(p->text(c->priority->span) == "raw - 10");
  CHECK(p->text(c->hook->span) == "type filter hook input priority raw - 10");
}

TEST_CASE("devices: device, devices = { … }, devices on their own line") {
  CHECK(table_of("chain ing {\n type filter hook ingress device \"eth0\" priority 0;\n}") ==
        " (chain ing (hook filter ingress device=[\"eth0\"]) prio=0)");
  CHECK(table_of("chain ing2 {\n type filter hook ingress devices = { \"eth0\", eth1 } priority -500;\n}") ==
        " (chain ing2 (hook filter ingress devices=[\"eth0\",eth1]) prio=-500)");
  CHECK(table_of("chain ing3 {\n type filter hook ingress devices = {\n  a,\n  b,\n } priority 0;\n}") ==
        " (chain ing3 (hook filter ingress devices=[a,b]) prio=0)");
  CHECK(table_of("chain devs { devices = { a, b } }") == " (chain devs devices=[a,b])");
  CHECK(table_of("chain off { flags offload; }") == " (chain off offload)");
  CHECK(table_of("chain regular { }") == " (chain regular)");
}

TEST_CASE("sets: every property") {
  CHECK(table_of("set s1 { type ipv4_addr; }") == " (set s1 type=ipv4_addr)");
  CHECK(table_of("set s2 {\n type ipv4_addr . inet_service\n flags interval,timeout\n timeout 30s\n"
                 " gc-interval 1m\n size 1024\n policy memory\n auto-merge\n counter\n comment \"sc\"\n"
                 " elements = { 10.0.0.1 . 22 timeout 10s expires 5s comment \"e1\", 10.0.0.0/8 . 80-90 }\n}") ==
        " (set s2 type=ipv4_addr.inet_service flags=interval,timeout timeout=30s gc-interval=1m size=1024 "
        "policy=memory auto-merge (counter) elements=(set (elem (. 10.0.0.1 22) timeout=10s expires=5s "
        "comment=\"e1\") (elem (. (/ 10.0.0.0 8) (- 80 90)))) comment=\"sc\")");
  CHECK(table_of("set s3 { typeof ip saddr . tcp dport; elements = { 1.2.3.4 . 22 counter packets 1 bytes 2 } }") ==
        " (set s3 typeof=(payload ip saddr).(payload tcp dport) elements=(set (elem (. 1.2.3.4 22) "
        "(counter packets=1 bytes=2))))");
  CHECK(table_of("set s4 { type ipv4_addr; flags dynamic; limit rate 10/second; }") ==
        " (set s4 type=ipv4_addr flags=dynamic (limit 10/second))");
}

TEST_CASE("maps: data types, typeof, verdicts, intervals and objects") {
  CHECK(table_of("map m1 { type ipv4_addr : verdict; elements = { 1.2.3.4 : accept, 5.6.7.8 : jump base } }") ==
        " (map m1 type=ipv4_addr data=verdict elements=(set (: (elem 1.2.3.4) accept) (: (elem 5.6.7.8) jump "
        "base)))");
  CHECK(table_of("map m2 { type ipv4_addr : interval ipv4_addr; flags interval; }") ==
        " (map m2 type=ipv4_addr data-interval data=ipv4_addr flags=interval)");
  CHECK(table_of("map m3 { typeof ip saddr : meta mark; }") ==
        " (map m3 typeof=(payload ip saddr) data-typeof=(meta mark))");
  CHECK(table_of("map m4 { typeof ip saddr : verdict; }") == " (map m4 typeof=(payload ip saddr) data-keyword=verdict)");
  CHECK(table_of("map m5 { type ipv4_addr : counter; }") == " (map m5 type=ipv4_addr data-object=counter)");
  // `typeof … : ct helper` is a map to ct helper objects (nft: NFT_OBJECT_CT_HELPER).
  CHECK(table_of("map m6 { typeof ip saddr : ct helper; }") ==
        " (map m6 typeof=(payload ip saddr) data-object=ct helper)");
  CHECK(table_of("map m7 { typeof ip saddr : queue; }") == " (map m7 typeof=(payload ip saddr) data-keyword=queue)");
  CHECK(table_of("map m8 { typeof ip saddr : interval ip daddr; }") ==
        " (map m8 typeof=(payload ip saddr) data-interval data-typeof=(payload ip daddr))");
  CHECK(table_of("map m9 { typeof ip saddr : ct expectation; }") ==
        " (map m9 typeof=(payload ip saddr) data-object=ct expectation)");
  CHECK(table_of("map m10 { typeof ip saddr . tcp dport : ip daddr . tcp dport; }") ==
        " (map m10 typeof=(payload ip saddr).(payload tcp dport) data-typeof=(payload ip daddr).(payload tcp dport))");
}

TEST_CASE("set and map spans: the key and the data as written") {
  auto p = nftc::test::parse("table ip t { map m { typeof ip saddr . tcp dport : interval ip daddr; } }");
  REQUIRE(p->ok);
  const auto* m = std::get<nftc::ast::SetDecl*>(p->cmd().table->items.at(0).item);
  CHECK(p->text(m->key_span) == "ip saddr . tcp dport");
  CHECK(p->text(m->data_span) == "interval ip daddr");
  CHECK(p->text(m->span) == "map m { typeof ip saddr . tcp dport : interval ip daddr; }");
}

TEST_CASE("timeouts are time strings, as in nft (not numbers or variables)") {
  CHECK(errors_of("table ip t { set s { type ipv4_addr; timeout 60; } }") ==
        "test.nft:1:46: error[SYN001]: expected a time such as 30s or 1h, found number 60\n");
  CHECK(errors_of("table ip t { set s { type ipv4_addr; elements = { 1.2.3.4 timeout 60 } } }") != "");
  CHECK(table_of("set s { type ipv4_addr; flags timeout; elements = { 1.2.3.4 timeout never } }") ==
        " (set s type=ipv4_addr flags=timeout elements=(set (elem 1.2.3.4 timeout=never)))");
}

TEST_CASE("flowtables") {
  CHECK(table_of("flowtable f {\n hook ingress priority filter + 1\n devices = { eth0, \"eth1\" }\n counter\n"
                 " flags offload\n comment \"ft\"\n}") ==
        " (flowtable f hook=ingress prio=filter+1 devices=[eth0,\"eth1\"] counter offload comment=\"ft\")");
  CHECK(ast_of("add flowtable inet t f { hook ingress priority 0; devices = { lo }; }") ==
        "(add flowtable inet table=t name=f (flowtable f hook=ingress prio=0 devices=[lo]))\n");
}

TEST_CASE("counters, quotas, limits") {
  CHECK(table_of("counter c1 { packets 10 bytes 20; comment \"cnt\" }") ==
        " (counter c1 packets=10 bytes=20 comment=\"cnt\")");
  CHECK(table_of("counter c2 { }") == " (counter c2)");
  CHECK(table_of("quota q1 { over 25 mbytes used 1 kbytes }") == " (quota q1 mode=over 25 mbytes used=1 kbytes)");
  CHECK(table_of("quota q2 { 25 mbytes; }") == " (quota q2 25 mbytes)");
  CHECK(table_of("limit l1 { rate over 10/second burst 5 packets }") ==
        " (limit l1 mode=over 10/second burst=5 packets)");
  CHECK(table_of("limit l2 { rate 1 mbytes/second burst 1 kbytes }") == " (limit l2 1 mbytes/second burst=1 kbytes)");
  CHECK(ast_of("add counter ip t c packets 1 bytes 2") ==
        "(add object kind=counter ip table=t name=c (counter c packets=1 bytes=2))\n");
  CHECK(ast_of("add quota ip t q 10 mbytes") == "(add object kind=quota ip table=t name=q (quota q 10 mbytes))\n");
  CHECK(ast_of("add limit ip t l rate 10/second") == "(add object kind=limit ip table=t name=l (limit l 10/second))\n");
}

TEST_CASE("secmark, synproxy") {
  CHECK(table_of("secmark sm { \"system_u:object_r:ssh_server_packet_t:s0\" }") ==
        " (secmark sm context=\"system_u:object_r:ssh_server_packet_t:s0\")");
  CHECK(table_of("synproxy sp { mss 1460 wscale 7 timestamp sack-perm }") ==
        " (synproxy sp mss=1460 wscale=7 timestamp sack-perm)");
  CHECK(table_of("synproxy sp2 { mss 1460; wscale 7; timestamp sack-perm; }") ==
        " (synproxy sp2 mss=1460 wscale=7 timestamp sack-perm)");
  // As in nft, timestamp and sack-perm go on one line.
  CHECK_FALSE(nftc::test::parse("table ip t { synproxy sp { mss 1460; wscale 7; timestamp; sack-perm; } }")->ok);
}

TEST_CASE("ct helper, ct timeout, ct expectation") {
  CHECK(table_of("ct helper h { type \"ftp\" protocol tcp; l3proto ip; }") ==
        " (ct helper h type=\"ftp\" protocol=tcp l3proto=ip)");
  CHECK(table_of("ct timeout to { protocol tcp; l3proto ip; policy = { established: 3600, close: 10s } }") ==
        " (ct timeout to protocol=tcp l3proto=ip policy={established:3600,close:10s})");
  CHECK(table_of("ct expectation e { protocol tcp; dport 22; timeout 1m; size 12; l3proto ip; }") ==
        " (ct expectation e protocol=tcp l3proto=ip dport=22 timeout=1m size=12)");
}

TEST_CASE("tunnel objects") {
  CHECK(table_of("tunnel tun {\n id 10\n ip saddr 1.2.3.4\n ip daddr 5.6.7.8\n sport 10 dport 20\n ttl 64\n"
                 " erspan {\n  version 1\n  index 2\n }\n}") ==
        " (tunnel tun id=10 ip saddr=1.2.3.4 ip daddr=5.6.7.8 sport=10 dport=20 ttl=64 erspan version=1 index=2)");
  CHECK(table_of("tunnel g { id 1; geneve { class 1 opt-type 2 data \"abc\" } }") ==
        " (tunnel g id=1 geneve class=1 opt-type=2 data=\"abc\")");
}

TEST_CASE("declaration spans") {
  auto p = nftc::test::parse("table ip t {\n\tchain c {\n\t\taccept\n\t}\n\tset s { type mark; }\n}\n");
  REQUIRE(p->ok);
  const auto& items = p->cmd().table->items;
  REQUIRE(items.size() == 2);
  const auto* c = std::get<nftc::ast::ChainDecl*>(items[0].item);
  CHECK(p->text(c->span) == "chain c {\n\t\taccept\n\t}");
  CHECK(p->text(c->name.span) == "c");
  CHECK(p->text(c->rules.at(0)->span) == "accept");
  const auto* s = std::get<nftc::ast::SetDecl*>(items[1].item);
  CHECK(p->text(s->span) == "set s { type mark; }");
  CHECK(p->text(p->cmd().table->span) == "{\n\tchain c {\n\t\taccept\n\t}\n\tset s { type mark; }\n}");
}
