// The AST of expressions: selectors of every family, values, operators
// with nft's precedence, concatenations, ranges, prefixes, masks, lists,
// sets (nested, with element options), maps and verdict maps.
#include "tests/unit/parser_test.hpp"

using nftc::test::ast_of;
using nftc::test::rule_of;

TEST_CASE("payload selectors") {
  CHECK(rule_of("ip saddr 1.2.3.4") == "(rule (match (payload ip saddr) 1.2.3.4))");
  CHECK(rule_of("ip6 daddr ::1") == "(rule (match (payload ip6 daddr) ::1))");
  CHECK(rule_of("ether saddr 00:0f:54:0c:11:04") == "(rule (match (payload ether saddr) 00:0f:54:0c:11:04))");
  CHECK(rule_of("vlan id 4094 vlan pcp 7") == "(rule (match (payload vlan id) 4094) (match (payload vlan pcp) 7))");
  CHECK(rule_of("arp saddr ip 1.2.3.4") == "(rule (match (payload arp saddr q=ip) 1.2.3.4))");
  CHECK(rule_of("arp daddr ether aa:bb:cc:aa:bb:cc") == "(rule (match (payload arp daddr q=ether) aa:bb:cc:aa:bb:cc))");
  CHECK(rule_of("tcp dport 22 udp sport 53 th dport 1") ==
        "(rule (match (payload tcp dport) 22) (match (payload udp sport) 53) (match (payload th dport) 1))");
  CHECK(rule_of("icmp type echo-request icmpv6 type nd-neighbor-solicit") ==
        "(rule (match (payload icmp type) echo-request) (match (payload icmpv6 type) nd-neighbor-solicit))");
  CHECK(rule_of("sctp vtag 22 dccp type request ah spi 1 esp sequence 2 comp cpi 3 igmp type 4 udplite csumcov 5") ==
        "(rule (match (payload sctp vtag) 22) (match (payload dccp type) request) (match (payload ah spi) 1) "
        "(match (payload esp sequence) 2) (match (payload comp cpi) 3) (match (payload igmp type) 4) "
        "(match (payload udplite csumcov) 5))");
  CHECK(rule_of("@ll,0,8 & 0x80 == 0x80") == "(rule (match (& (raw ll 0 8) 0x80) == 0x80))");
  CHECK(rule_of("@nh,8,8 0xff @th,16,16 22 @ih,32,32 1") ==
        "(rule (match (raw nh 8 8) 0xff) (match (raw th 16 16) 22) (match (raw ih 32 32) 1))");
}

TEST_CASE("inner headers of tunnels") {
  CHECK(rule_of("vxlan vni 10") == "(rule (match (payload vxlan vni) 10))");
  CHECK(rule_of("vxlan ip saddr 10.141.11.2") == "(rule (match (payload ip saddr q=vxlan) 10.141.11.2))");
  CHECK(rule_of("geneve udp sport 8888") == "(rule (match (payload udp sport q=geneve) 8888))");
  CHECK(rule_of("gre protocol ip") == "(rule (match (payload gre protocol) ip))");
  CHECK(rule_of("gre ip saddr 1.2.3.4") == "(rule (match (payload ip saddr q=gre) 1.2.3.4))");
  CHECK(rule_of("gretap ether saddr 62:87:4d:d6:19:05") ==
        "(rule (match (payload ether saddr q=gretap) 62:87:4d:d6:19:05))");
}

TEST_CASE("extension headers, tcp/ip/dccp options, sctp chunks") {
  CHECK(rule_of("hbh nexthdr 22") == "(rule (match (exthdr hbh nexthdr) 22))");
  CHECK(rule_of("rt0 addr[1] ::1") == "(rule (match (exthdr rt0 addr [1]) ::1))");
  CHECK(rule_of("srh sid[2] ::1") == "(rule (match (exthdr srh sid [2]) ::1))");
  CHECK(rule_of("frag more-fragments 1") == "(rule (match (exthdr frag more-fragments) 1))");
  CHECK(rule_of("exthdr frag exists") == "(rule (match (exthdr-exists frag) exists))");
  CHECK(rule_of("tcp option maxseg size 1") == "(rule (match (tcp-option maxseg field=size) 1))");
  CHECK(rule_of("tcp option sack2 left 1") == "(rule (match (tcp-option sack2 field=left) 1))");
  CHECK(rule_of("tcp option 6 exists") == "(rule (match (tcp-option 6) exists))");
  CHECK(rule_of("tcp option @255,8,8 255") == "(rule (match (tcp-option 255 @8,8) 255))");
  CHECK(rule_of("ip option rr exists") == "(rule (match (ip-option rr) exists))");
  CHECK(rule_of("ip option lsrr ptr 4") == "(rule (match (ip-option lsrr field=ptr) 4))");
  CHECK(rule_of("dccp option 4 exists") == "(rule (match (dccp-option 4) exists))");
  CHECK(rule_of("sctp chunk init num-outbound-streams 3") ==
        "(rule (match (sctp-chunk init field=num-outbound-streams) 3))");
  CHECK(rule_of("sctp chunk data exists") == "(rule (match (sctp-chunk data) exists))");
}

TEST_CASE("meta, with and without the 'meta' keyword") {
  CHECK(rule_of("meta mark 0x4") == "(rule (match (meta mark) 0x4))");
  CHECK(rule_of("mark 0x4") == "(rule (match (meta-unqualified mark) 0x4))");
  CHECK(rule_of("iifname \"eth*\"") == "(rule (match (meta-unqualified iifname) \"eth*\"))");
  CHECK(rule_of("meta l4proto tcp") == "(rule (match (meta l4proto) tcp))");
  CHECK(rule_of("meta ipsec exists") == "(rule (match (meta ipsec) exists))");
  CHECK(rule_of("meta time \"2019-06-21 17:00:00\"") == "(rule (match (meta time) \"2019-06-21 17:00:00\"))");
  CHECK(rule_of("meta priority 8765:4321") == "(rule (match (meta priority) 8765:4321))");
}

TEST_CASE("ct: keys, directions, protocol fields") {
  CHECK(rule_of("ct state established,related") == "(rule (match (ct state) (, established related)))");
  CHECK(rule_of("ct original saddr 1.2.3.4") == "(rule (match (ct dir=original saddr) 1.2.3.4))");
  CHECK(rule_of("ct reply ip daddr 1.2.3.4") == "(rule (match (ct dir=reply proto=ip daddr) 1.2.3.4))");
  CHECK(rule_of("ct original ip6 saddr ::1") == "(rule (match (ct dir=original proto=ip6 saddr) ::1))");
  CHECK(rule_of("ct reply zone 1") == "(rule (match (ct dir=reply zone) 1))");
  CHECK(rule_of("ct original proto-dst 22") == "(rule (match (ct dir=original proto-dst) 22))");
  CHECK(rule_of("ct bytes > 100000") == "(rule (match (ct bytes) > 100000))");
  CHECK(rule_of("ct id 12345 ct label 127 ct event set new") ==
        "(rule (match (ct id) 12345) (match (ct label) 127) (set (ct event) new))");
}

TEST_CASE("rt, fib, socket, osf, numgen, hashes, ipsec, tunnel") {
  CHECK(rule_of("rt classid \"cosmos\"") == "(rule (match (rt classid) \"cosmos\"))");
  CHECK(rule_of("rt ip6 nexthop fd00::1") == "(rule (match (rt family=ip6 nexthop) fd00::1))");
  CHECK(rule_of("fib saddr . iif oif 0") == "(rule (match (fib saddr.iif oif) 0))");
  CHECK(rule_of("fib daddr type local") == "(rule (match (fib daddr type) local))");
  CHECK(rule_of("socket transparent 1") == "(rule (match (socket transparent) 1))");
  CHECK(rule_of("socket cgroupv2 level 1 \"user.slice\"") ==
        "(rule (match (socket cgroupv2 level=1) \"user.slice\"))");
  CHECK(rule_of("osf ttl loose name \"Linux\"") == "(rule (match (osf ttl=loose name) \"Linux\"))");
  CHECK(rule_of("meta mark set numgen inc mod 2 offset 100") ==
        "(rule (set (meta mark) (numgen inc mod=2 offset=100)))");
  CHECK(rule_of("ct mark set jhash ip saddr . ip daddr mod 2 seed 0xdeadbeef offset 1") ==
        "(rule (set (ct mark) (jhash (. (payload ip saddr) (payload ip daddr)) mod=2 seed=3735928559 offset=1)))");
  CHECK(rule_of("ct mark set symhash mod 2") == "(rule (set (ct mark) (symhash mod=2)))");
  CHECK(rule_of("ipsec in spnum 2 ip saddr 1.2.3.4") == "(rule (match (ipsec in spnum=2 proto=ip saddr) 1.2.3.4))");
  CHECK(rule_of("ipsec out reqid 1") == "(rule (match (ipsec out reqid) 1))");
  CHECK(rule_of("tunnel id 10") == "(rule (match (tunnel id) 10))");
}

TEST_CASE("values: numbers, strings, addresses, times, class ids") {
  CHECK(rule_of("meta mark 0x10") == "(rule (match (meta mark) 0x10))");
  CHECK(rule_of("meta mark 010") == "(rule (match (meta mark) 010))");
  CHECK(rule_of("ct expiration 1h30m") == "(rule (match (ct expiration) 1h30m))");
  CHECK(rule_of("ip6 daddr [dead::beef]") == "(rule (match (payload ip6 daddr) dead::beef))");
  CHECK(rule_of("ip6 daddr ::ffff:1.2.3.4") == "(rule (match (payload ip6 daddr) ::ffff:1.2.3.4))");
  CHECK(rule_of("meta priority aabb:0") == "(rule (match (meta priority) aabb:0))");
  // A number too large for 64 bits is a string to nft.
  CHECK(rule_of("@ll,0,128 0xfedcba987654321001234567890abcde") ==
        "(rule (match (raw ll 0 128) 0xfedcba987654321001234567890abcde))");
  auto p = nftc::test::parse("add rule ip t c meta mark 0x10 ct expiration 010");
  REQUIRE(p->ok);
  const auto& m1 = std::get<nftc::ast::MatchStmt>(p->cmd().rule->stmts.at(0)->data);
  CHECK(m1.rhs->kind == nftc::ast::ExprKind::number);
  CHECK(m1.rhs->num == 16);
  const auto& m2 = std::get<nftc::ast::MatchStmt>(p->cmd().rule->stmts.at(1)->data);
  CHECK(m2.rhs->num == 8);  // octal, as strtoull reads it
}

TEST_CASE("relational operators") {
  CHECK(rule_of("tcp dport != 22") == "(rule (match (payload tcp dport) != 22))");
  CHECK(rule_of("tcp dport ne 22 tcp sport eq 1") ==
        "(rule (match (payload tcp dport) != 22) (match (payload tcp sport) == 1))");
  CHECK(rule_of("meta skuid lt 3000 meta skgid >= 10") ==
        "(rule (match (meta skuid) < 3000) (match (meta skgid) >= 10))");
  CHECK(rule_of("ct status ! dnat") == "(rule (match (ct status) ! dnat))");
}

TEST_CASE("binary operators follow C precedence, left to right") {
  CHECK(rule_of("ct mark and 0x23 == 0x11") == "(rule (match (& (ct mark) 0x23) == 0x11))");
  CHECK(rule_of("meta mark set 1 | 2 & 3") == "(rule (set (meta mark) (| 1 (& 2 3))))");
  CHECK(rule_of("meta mark set 1 & 2 | 3") == "(rule (set (meta mark) (| (& 1 2) 3)))");
  CHECK(rule_of("meta mark set 1 ^ 2 | 3 ^ 4") == "(rule (set (meta mark) (| (^ 1 2) (^ 3 4))))");
  CHECK(rule_of("meta mark set 1 << 2 & 3") == "(rule (set (meta mark) (& (<< 1 2) 3)))");
  CHECK(rule_of("meta mark set 1 | 2 | 3") == "(rule (set (meta mark) (| (| 1 2) 3)))");
  CHECK(rule_of("ct mark set ip dscp & 0x0f << 1") == "(rule (set (ct mark) (& (payload ip dscp) (<< 0x0f 1))))");
  CHECK(rule_of("ct mark set (meta mark | 0x10) << 8") == "(rule (set (ct mark) (<< (| (meta mark) 0x10) 8)))");
  CHECK(rule_of("tcp flags & (fin | syn) == fin | syn") ==
        "(rule (match (& (payload tcp flags) (| fin syn)) == (| fin syn)))");
  CHECK(rule_of("meta mark set meta mark lshift 1 rshift 2 xor 3 or 4") ==
        "(rule (set (meta mark) (| (^ (>> (<< (meta mark) 1) 2) 3) 4)))");
}

TEST_CASE("binary operator spans cover both operands") {
  auto p = nftc::test::parse("add rule ip t c ct mark set ct mark & 0xff | 0x10");
  REQUIRE(p->ok);
  const auto& a = std::get<nftc::ast::AssignStmt>(p->cmd().rule->stmts.at(0)->data);
  CHECK(p->text(a.value->span) == "ct mark & 0xff | 0x10");
  CHECK(p->text(a.value->a->span) == "ct mark & 0xff");
}

TEST_CASE("masks: flags / mask, with lists on either side") {
  CHECK(rule_of("tcp flags syn / syn,ack") == "(rule (match (& (payload tcp flags) (, syn ack)) syn))");
  CHECK(rule_of("tcp flags fin,syn / fin,syn") == "(rule (match (& (payload tcp flags) (, fin syn)) (, fin syn)))");
  CHECK(rule_of("tcp flags != syn / fin,syn") == "(rule (match (& (payload tcp flags) (, fin syn)) != syn))");
}

TEST_CASE("lists, ranges, prefixes, concatenations") {
  CHECK(rule_of("ct state new,established, related") == "(rule (match (ct state) (, new established related)))");
  CHECK(rule_of("tcp dport 22-25") == "(rule (match (payload tcp dport) (- 22 25)))");
  CHECK(rule_of("ip saddr 10.0.0.0/8") == "(rule (match (payload ip saddr) (/ 10.0.0.0 8)))");
  CHECK(rule_of("ip saddr 10.0.0.1-10.0.0.9") == "(rule (match (payload ip saddr) (- 10.0.0.1 10.0.0.9)))");
  CHECK(rule_of("meta hour \"00:00\"-\"02:02\"") == "(rule (match (meta hour) (- \"00:00\" \"02:02\")))");
  CHECK(rule_of("ip saddr . tcp dport . meta mark { 1.2.3.4 . 22 . 0x1 }") ==
        "(rule (match (. (payload ip saddr) (payload tcp dport) (meta mark)) (set (elem (. 1.2.3.4 22 0x1)))))");
  CHECK(rule_of("ip saddr . meta mark { 1.2.3.6-1.2.3.8 . 0x200-0x300, 10.0.0.0/8 . 1 }") ==
        "(rule (match (. (payload ip saddr) (meta mark)) (set (elem (. (- 1.2.3.6 1.2.3.8) (- 0x200 0x300))) "
        "(elem (. (/ 10.0.0.0 8) 1)))))");
}

TEST_CASE("anonymous sets: nested, with newlines and trailing commas, wildcards") {
  CHECK(rule_of("tcp dport { 22, 80, }") == "(rule (match (payload tcp dport) (set (elem 22) (elem 80))))");
  CHECK(rule_of("tcp dport {\n 22,\n 80\n}") == "(rule (match (payload tcp dport) (set (elem 22) (elem 80))))");
  CHECK(rule_of("tcp dport { 22, { 80, 443 } }") ==
        "(rule (match (payload tcp dport) (set (elem 22) (set (elem 80) (elem 443)))))");
  CHECK(rule_of("tcp dport { }") == "(rule (match (payload tcp dport) (set)))");
  CHECK(ast_of("table ip t { map m { type ifname : verdict; elements = { \"eth*\" : accept, * : drop } } }") ==
        "(implicit-add table ip table=t (table t (map m type=ifname data=verdict elements=(set (: (elem \"eth*\") "
        "accept) (: (elem *) drop)))))\n");
}

TEST_CASE("set elements with options and statements") {
  CHECK(ast_of("add element ip t s { 1.2.3.4 timeout 10s expires 5s comment \"c\" }") ==
        "(add element ip table=t name=s (set (elem 1.2.3.4 timeout=10s expires=5s comment=\"c\")))\n");
  CHECK(ast_of("add element ip t s { 1.2.3.4 counter packets 1 bytes 2 }") ==
        "(add element ip table=t name=s (set (elem 1.2.3.4 (counter packets=1 bytes=2))))\n");
  CHECK(ast_of("add element ip t s { 1.2.3.4 limit rate 1/second timeout 1s counter }") ==
        "(add element ip table=t name=s (set (elem 1.2.3.4 timeout=1s (limit 1/second) (counter))))\n");
  CHECK(ast_of("add element ip t m { 1.2.3.4 timeout 1s : accept }") ==
        "(add element ip table=t name=m (set (: (elem 1.2.3.4 timeout=1s) accept)))\n");
  CHECK(ast_of("add element ip t m { 1.2.3.4 : 5.6.7.8 . 80 }") ==
        "(add element ip table=t name=m (set (: (elem 1.2.3.4) (. 5.6.7.8 80))))\n");
}

TEST_CASE("element spans") {
  auto p = nftc::test::parse("add element ip t s { 1.2.3.4 timeout 10s, 5.6.7.8 }");
  REQUIRE(p->ok);
  const auto* set = p->cmd().elements;
  REQUIRE(set->items.size() == 2);
  CHECK(p->text(set->span) == "{ 1.2.3.4 timeout 10s, 5.6.7.8 }");
  CHECK(p->text(set->items[0]->span) == "1.2.3.4 timeout 10s");
  CHECK(p->text(set->items[0]->a->span) == "1.2.3.4");
  CHECK(p->text(set->items[0]->options().timeout->span) == "10s");
  CHECK(p->text(set->items[1]->span) == "5.6.7.8");
}

TEST_CASE("maps and verdict maps") {
  CHECK(rule_of("meta mark set ip saddr map { 10.2.3.2 : 0x2a }") ==
        "(rule (set (meta mark) (map (payload ip saddr) (set (: (elem 10.2.3.2) 0x2a)))))");
  CHECK(rule_of("meta mark set vlan id map @map1") == "(rule (set (meta mark) (map (payload vlan id) @map1)))");
  CHECK(rule_of("tcp dport vmap { 22 : accept, 23 : drop }") ==
        "(rule (vmap (payload tcp dport) (set (: (elem 22) accept) (: (elem 23) drop))))");
  CHECK(rule_of("tcp dport vmap @vm") == "(rule (vmap (payload tcp dport) @vm))");
  CHECK(rule_of("ip saddr . tcp dport vmap { 1.2.3.4 . 22 : jump c2, 1.2.3.4 . 23 : goto c3 }") ==
        "(rule (vmap (. (payload ip saddr) (payload tcp dport)) (set (: (elem (. 1.2.3.4 22)) jump c2) "
        "(: (elem (. 1.2.3.4 23)) goto c3))))");
  CHECK(rule_of("ip saddr map { 1.2.3.4 : 5 } 5") ==
        "(rule (match (map (payload ip saddr) (set (: (elem 1.2.3.4) 5))) 5))");
  CHECK(rule_of("ip saddr @s") == "(rule (match (payload ip saddr) @s))");
  CHECK(rule_of("ip saddr != @s") == "(rule (match (payload ip saddr) != @s))");
}

TEST_CASE("keywords as values on the right-hand side") {
  CHECK(rule_of("meta protocol { ip, arp, ip6, vlan }") ==
        "(rule (match (meta protocol) (set (elem ip) (elem arp) (elem ip6) (elem vlan))))");
  CHECK(rule_of("ip protocol { tcp, udp, icmp }") ==
        "(rule (match (payload ip protocol) (set (elem tcp) (elem udp) (elem icmp))))");
  CHECK(rule_of("ct status snat") == "(rule (match (ct status) snat))");
  CHECK(rule_of("fib daddr check missing") == "(rule (match (fib daddr check) missing))");
}

TEST_CASE("selector and match spans") {
  auto p = nftc::test::parse("add rule ip t c ip saddr != 10.0.0.0/8 accept");
  REQUIRE(p->ok);
  const auto* s = p->cmd().rule->stmts.at(0);
  const auto& m = std::get<nftc::ast::MatchStmt>(s->data);
  CHECK(p->text(s->span) == "ip saddr != 10.0.0.0/8");
  CHECK(p->text(m.lhs->span) == "ip saddr");
  CHECK(p->text(m.op_span) == "!=");
  CHECK(p->text(m.rhs->span) == "10.0.0.0/8");
  CHECK(p->text(m.rhs->a->span) == "10.0.0.0");
  CHECK(p->text(p->cmd().rule->stmts.at(1)->span) == "accept");
}
