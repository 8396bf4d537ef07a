// The AST of statements (nft's stmt): verdicts, stateful statements, log,
// reject, NAT, tproxy, queue, dup, fwd, set/map updates, meters, payload
// and meta assignments, object references, anonymous chains.
#include "tests/unit/parser_test.hpp"

using nftc::test::parse;
using nftc::test::rule_of;

TEST_CASE("verdicts") {
  CHECK(rule_of("accept") == "(rule accept)");
  CHECK(rule_of("drop") == "(rule drop)");
  CHECK(rule_of("continue") == "(rule continue)");
  CHECK(rule_of("return") == "(rule return)");
  CHECK(rule_of("jump other") == "(rule jump other)");
  CHECK(rule_of("goto other") == "(rule goto other)");
  // `last` is a keyword nft also accepts as a name.
  CHECK(rule_of("jump last") == "(rule jump last)");
}

TEST_CASE("anonymous chains: jump { … } and goto { … }") {
  CHECK(rule_of("jump { accept; }") == "(rule (jump-chain (rule accept)))");
  CHECK(rule_of("goto { ip saddr 1.2.3.4 drop; accept }") ==
        "(rule (goto-chain (rule (match (payload ip saddr) 1.2.3.4) drop) (rule accept)))");
  CHECK(rule_of("jump {\n counter\n\n accept\n}") == "(rule (jump-chain (rule (counter)) (rule accept)))");
}

TEST_CASE("counter, limit, quota, ct count, last") {
  CHECK(rule_of("counter") == "(rule (counter))");
  CHECK(rule_of("counter packets 1 bytes 2") == "(rule (counter packets=1 bytes=2))");
  CHECK(rule_of("counter bytes 1024 packets 1") == "(rule (counter packets=1 bytes=1024))");
  CHECK(rule_of("limit rate 10/second") == "(rule (limit 10/second))");
  CHECK(rule_of("limit rate over 10/minute burst 5 packets") == "(rule (limit mode=over 10/minute burst=5 packets))");
  CHECK(rule_of("limit rate until 40/day") == "(rule (limit mode=until 40/day))");
  CHECK(rule_of("quota 10 mbytes") == "(rule (quota 10 mbytes))");
  CHECK(rule_of("quota over 10 mbytes used 1 kbytes") == "(rule (quota mode=over 10 mbytes used=1 kbytes))");
  CHECK(rule_of("ct count 10") == "(rule (ct-count 10))");
  CHECK(rule_of("ct count over 10") == "(rule (ct-count over 10))");
  CHECK(rule_of("last") == "(rule (last))");
  CHECK(rule_of("last used never") == "(rule (last used=never))");
  CHECK(rule_of("last used 30s") == "(rule (last used=30s))");
}

TEST_CASE("byte rates: nft's RATE scanner state splits kbytes/second") {
  // "kbytes/second" is one word elsewhere; inside `limit rate` it is three
  // tokens, with or without blanks.
  CHECK(rule_of("limit rate 1 kbytes/second") == "(rule (limit 1 kbytes/second))");
  CHECK(rule_of("limit rate 1 kbytes / second") == "(rule (limit 1 kbytes/second))");
  CHECK(rule_of("limit rate over 1025bytes/second burst 512bytes") ==
        "(rule (limit mode=over 1025 bytes/second burst=512 bytes))");
  CHECK(rule_of("limit rate over 1025bytes/ second burst 512bytes") ==
        "(rule (limit mode=over 1025 bytes/second burst=512 bytes))");
  CHECK(rule_of("limit rate 1025 mbytes/second burst 1025 kbytes") ==
        "(rule (limit 1025 mbytes/second burst=1025 kbytes))");
  auto p = parse("add rule ip t c limit rate 1 mbytes/second");
  REQUIRE(p->ok);
  const auto& l = *std::get<nftc::ast::Boxed<nftc::ast::LimitStmt>>(p->cmd().rule->stmts.at(0)->data);
  CHECK(l.rate.rate == 1);
  CHECK(l.rate.rate_unit == "mbytes");
  CHECK(l.rate.time_unit == "second");
  CHECK(p->text(l.rate.span) == "1 mbytes/second");
}

TEST_CASE("log: every option, flags in every form") {
  CHECK(rule_of("log") == "(rule (log))");
  CHECK(rule_of("log prefix \"x: \" level info group 2 snaplen 100 queue-threshold 10") ==
        "(rule (log prefix=\"x: \" group=2 snaplen=100 queue-threshold=10 level=info))");
  CHECK(rule_of("log prefix aaaaa-aaaaaa group 2") == "(rule (log prefix=aaaaa-aaaaaa group=2))");
  CHECK(rule_of("log flags tcp sequence,options flags ip options flags skuid flags ether flags all") ==
        "(rule (log flags=tcp sequence options ip options skuid ether all))");
  CHECK(rule_of("log level audit") == "(rule (log level=audit))");
}

TEST_CASE("reject: every with form") {
  CHECK(rule_of("reject") == "(rule (reject))");
  CHECK(rule_of("reject with tcp reset") == "(rule (reject with=tcp))");
  CHECK(rule_of("reject with icmp host-unreachable") == "(rule (reject with=icmp host-unreachable))");
  CHECK(rule_of("reject with icmp type host-unreachable") == "(rule (reject with=icmp host-unreachable))");
  CHECK(rule_of("reject with icmpv6 no-route") == "(rule (reject with=icmpv6 no-route))");
  CHECK(rule_of("reject with icmpx 3") == "(rule (reject with=icmpx 3))");
}

TEST_CASE("snat and dnat: families, address and port, ranges, maps, flags") {
  CHECK(rule_of("snat to 1.2.3.4") == "(rule (snat to addr=1.2.3.4#addr))");
  CHECK(rule_of("snat ip to 1.2.3.4:80") == "(rule (snat family=ip to addr=1.2.3.4#addr port=80#port))");
  CHECK(rule_of("snat to 1.2.3.4-1.2.3.10:80-90 random,persistent") ==
        "(rule (snat to addr=(- 1.2.3.4 1.2.3.10)#addr port=(- 80 90)#port flags=random,persistent))");
  CHECK(rule_of("snat to :80") == "(rule (snat to port=80#port))");
  CHECK(rule_of("dnat ip6 to [dead::1]:80") == "(rule (dnat family=ip6 to addr=dead::1#addr port=80#port))");
  CHECK(rule_of("dnat ip to ip saddr map { 1.2.3.4 : 5.6.7.8 }") ==
        "(rule (dnat family=ip to addr=(map (payload ip saddr) (set (: (elem 1.2.3.4) 5.6.7.8)))#addr))");
  CHECK(rule_of("dnat ip addr . port to ip saddr map { 1.2.3.4 : 5.6.7.8 . 80 }") ==
        "(rule (dnat family=ip to addr.port addr=(map (payload ip saddr) (set (: (elem 1.2.3.4) (. 5.6.7.8 80))))"
        "#addr))");
  CHECK(rule_of("snat ip prefix to ip saddr map { 10.0.0.0/8 : 192.168.0.0/16 }") ==
        "(rule (snat family=ip to prefix addr=(map (payload ip saddr) (set (: (elem (/ 10.0.0.0 8)) "
        "(/ 192.168.0.0 16))))#addr))");
  CHECK(rule_of("dnat ip interval to ip saddr map { 10.0.0.0/8 : 1.2.3.4-1.2.3.8 }") ==
        "(rule (dnat family=ip to interval addr=(map (payload ip saddr) (set (: (elem (/ 10.0.0.0 8)) "
        "(- 1.2.3.4 1.2.3.8))))#addr))");
  CHECK(rule_of("dnat to 10.0.0.1 fully-random") == "(rule (dnat to addr=10.0.0.1#addr flags=fully-random))");
}

TEST_CASE("masquerade and redirect") {
  CHECK(rule_of("masquerade") == "(rule (masquerade))");
  CHECK(rule_of("masquerade to :1024-2048 fully-random") ==
        "(rule (masquerade to port=(- 1024 2048)#port flags=fully-random))");
  CHECK(rule_of("masquerade random") == "(rule (masquerade flags=random))");
  CHECK(rule_of("redirect") == "(rule (redirect))");
  CHECK(rule_of("redirect to :8080") == "(rule (redirect to port=8080#port))");
  CHECK(rule_of("redirect to 8080") == "(rule (redirect to port=8080#port))");
}

TEST_CASE("tproxy") {
  CHECK(rule_of("tproxy to 1.2.3.4:80") == "(rule (tproxy addr=1.2.3.4#addr port=80#port))");
  CHECK(rule_of("tproxy ip to :80") == "(rule (tproxy family=ip port=80#port))");
  CHECK(rule_of("tproxy ip6 to [2001:db8::1]") == "(rule (tproxy family=ip6 addr=2001:db8::1#addr))");
}

TEST_CASE("queue: numbers, ranges, flags, and the `to` forms") {
  CHECK(rule_of("queue") == "(rule (queue))");
  CHECK(rule_of("queue num 1") == "(rule (queue num=1))");
  CHECK(rule_of("queue num 1-3 bypass,fanout") == "(rule (queue flags=bypass,fanout num=(- 1 3)))");
  CHECK(rule_of("queue bypass") == "(rule (queue flags=bypass))");
  CHECK(rule_of("queue flags bypass to 1-3") == "(rule (queue flags=bypass to num=(- 1 3)))");
  CHECK(rule_of("queue to numgen inc mod 2") == "(rule (queue to num=(numgen inc mod=2)))");
  CHECK(rule_of("queue to symhash mod 65536") == "(rule (queue to num=(symhash mod=65536)))");
  CHECK(rule_of("queue flags bypass to oifname map { \"eth0\" : 0 }") ==
        "(rule (queue flags=bypass to num=(map (meta-unqualified oifname) (set (: (elem \"eth0\") 0)))))");
}

TEST_CASE("dup and fwd") {
  CHECK(rule_of("dup to 1.2.3.4") == "(rule (dup to=1.2.3.4))");
  CHECK(rule_of("dup to 1.2.3.4 device \"eth0\"") == "(rule (dup to=1.2.3.4 device=\"eth0\"))");
  CHECK(rule_of("fwd to \"eth0\"") == "(rule (fwd to=\"eth0\"))");
  CHECK(rule_of("fwd ip to 1.2.3.4 device \"eth0\"") == "(rule (fwd family=ip to=1.2.3.4 device=\"eth0\"))");
}

TEST_CASE("assignments: meta, ct, payload, exthdr, tcp option") {
  CHECK(rule_of("meta mark set 1") == "(rule (set (meta mark) 1))");
  CHECK(rule_of("mark set 1") == "(rule (set (meta-unqualified mark) 1))");
  CHECK(rule_of("ct mark set meta mark") == "(rule (set (ct mark) (meta mark)))");
  CHECK(rule_of("ct original zone set 1") == "(rule (set (ct dir=original zone) 1))");
  CHECK(rule_of("ip ttl set 64") == "(rule (set (payload ip ttl) 64))");
  CHECK(rule_of("tcp option maxseg size set 1360") == "(rule (set (tcp-option maxseg field=size) 1360))");
  CHECK(rule_of("@ih,58,6 set 0") == "(rule (set (raw ih 58 6) 0))");
  CHECK(rule_of("ct helper set \"h\"") == "(rule (set (ct helper) \"h\"))");
  CHECK(rule_of("meta secmark set \"sm\"") == "(rule (set (meta secmark) \"sm\"))");
  CHECK(rule_of("ct event set new,related") == "(rule (set (ct event) (, new related)))");
}

TEST_CASE("notrack, flow offload, synproxy, optstrip, xt") {
  CHECK(rule_of("notrack") == "(rule (notrack))");
  CHECK(rule_of("flow add @ft") == "(rule (flow-add @ft))");
  CHECK(rule_of("flow offload @ft") == "(rule (flow-offload @ft))");
  CHECK(rule_of("synproxy mss 1460 wscale 7 timestamp sack-perm") ==
        "(rule (synproxy mss=1460 wscale=7 timestamp sack-perm))");
  CHECK(rule_of("reset tcp option mss") == "(rule (reset (tcp-option mss)))");
  CHECK(rule_of("xt match \"foo\"") == "(rule (xt match \"foo\"))");
}

TEST_CASE("object references") {
  CHECK(rule_of("counter name \"c1\"") == "(rule (objref counter \"c1\"))");
  CHECK(rule_of("limit name \"l\"") == "(rule (objref limit \"l\"))");
  CHECK(rule_of("quota name \"q\"") == "(rule (objref quota \"q\"))");
  CHECK(rule_of("synproxy name \"sp\"") == "(rule (objref synproxy \"sp\"))");
  CHECK(rule_of("tunnel name \"tun\"") == "(rule (objref tunnel \"tun\"))");
  CHECK(rule_of("ct timeout set \"to\"") == "(rule (objref ct timeout \"to\"))");
  CHECK(rule_of("ct expectation set \"e\"") == "(rule (objref ct expectation \"e\"))");
  CHECK(rule_of("counter name ip saddr map { 1.2.3.4 : \"c1\" }") ==
        "(rule (objref counter (map (payload ip saddr) (set (: (elem 1.2.3.4) \"c1\")))))");
}

TEST_CASE("set and map statements, old and new syntax, meters") {
  CHECK(rule_of("add @s { ip saddr }") == "(rule (set-add @s (elem (payload ip saddr))))");
  CHECK(rule_of("update @s { ip saddr timeout 10s counter }") ==
        "(rule (set-update @s (elem (payload ip saddr) timeout=10s) (counter)))");
  CHECK(rule_of("delete @s { ip saddr . tcp dport }") ==
        "(rule (set-delete @s (elem (. (payload ip saddr) (payload tcp dport)))))");
  CHECK(rule_of("add @m { ip saddr : 1 }") == "(rule (set-add @m (elem (payload ip saddr)) data=(elem 1)))");
  CHECK(rule_of("set add ip saddr @s") == "(rule (set-legacy add @s (elem (payload ip saddr))))");
  CHECK(rule_of("meter m { ip saddr limit rate 10/second }") ==
        "(rule (meter m (elem (payload ip saddr)) (limit 10/second)))");
  CHECK(rule_of("meter m size 1000 { ip saddr timeout 10s limit rate 10/second }") ==
        "(rule (meter m size=1000 (elem (payload ip saddr) timeout=10s) (limit 10/second)))");
}

TEST_CASE("rule comments") {
  CHECK(rule_of("accept comment \"rule comment\"") == "(rule accept comment=\"rule comment\")");
  CHECK(rule_of("counter comment \"c\"") == "(rule (counter) comment=\"c\")");
  auto p = parse("add rule ip t c tcp dport 22 accept comment \"ssh\"");
  REQUIRE(p->ok);
  const auto* r = p->cmd().rule;
  CHECK(r->comment.quoted);
  CHECK(r->comment.text == "ssh");
  CHECK(p->text(r->comment.span) == "\"ssh\"");
  CHECK(p->text(r->span) == "tcp dport 22 accept comment \"ssh\"");
}

TEST_CASE("statement spans") {
  auto p = parse("add rule ip t c counter packets 1 bytes 2 log prefix \"x\" snat to 1.2.3.4:80");
  REQUIRE(p->ok);
  const auto& s = p->cmd().rule->stmts;
  REQUIRE(s.size() == 3);
  CHECK(p->text(s[0]->span) == "counter packets 1 bytes 2");
  CHECK(p->text(s[1]->span) == "log prefix \"x\"");
  CHECK(p->text(s[2]->span) == "snat to 1.2.3.4:80");
  const auto& n = *std::get<nftc::ast::Boxed<nftc::ast::NatStmt>>(s[2]->data);
  CHECK(p->text(n.addr->span) == "1.2.3.4");
  CHECK(p->text(n.port->span) == "80");
}
