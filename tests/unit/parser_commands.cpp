// The AST of commands: verbs, what they name, handles, positions, and the
// forms nft accepts in files (nft's base_cmd, add_cmd, list_cmd, …).
#include "tests/unit/parser_test.hpp"

using nftc::test::ast_of;
using nftc::test::errors_of;

TEST_CASE("add and create: tables, chains, rules") {
  CHECK(ast_of("add table ip t") == "(add table ip table=t)\n");
  CHECK(ast_of("add table t") == "(add table table=t)\n");  // the family is optional (ip)
  CHECK(ast_of("create table inet t2 { flags dormant; comment \"x\"; }") ==
        "(create table inet table=t2 (table t2 flags=dormant comment=\"x\"))\n");
  CHECK(ast_of("add chain ip t c") == "(add chain ip table=t name=c)\n");
  CHECK(ast_of("add chain t c2 { type filter hook input priority 0; policy accept; }") ==
        "(add chain table=t name=c2 (chain c2 (hook filter input) prio=0 policy=accept))\n");
  CHECK(ast_of("create chain ip t c3") == "(create chain ip table=t name=c3)\n");
  CHECK(ast_of("add rule ip t c accept") == "(add rule ip table=t name=c (rule accept))\n");
}

TEST_CASE("rule positions: position, handle, index") {
  CHECK(ast_of("add rule ip t c position 5 drop") == "(add rule ip table=t name=c position=5 (rule drop))\n");
  CHECK(ast_of("add rule ip t c handle 7 drop") == "(add rule ip table=t name=c handle=7 (rule drop))\n");
  CHECK(ast_of("add rule ip t c index 2 drop") == "(add rule ip table=t name=c index=2 (rule drop))\n");
  CHECK(ast_of("insert rule ip t c accept") == "(insert rule ip table=t name=c (rule accept))\n");
  CHECK(ast_of("insert rule ip t c position 3 accept") ==
        "(insert rule ip table=t name=c position=3 (rule accept))\n");
  CHECK(ast_of("insert rule ip t c index 0 accept") == "(insert rule ip table=t name=c index=0 (rule accept))\n");
  CHECK(ast_of("replace rule ip t c handle 4 drop") == "(replace rule ip table=t name=c handle=4 (rule drop))\n");
}

TEST_CASE("commands without a verb are adds, rules without 'rule' too") {
  CHECK(ast_of("table netdev n") == "(implicit-add table netdev table=n)\n");
  CHECK(ast_of("add ip t c accept") == "(add rule ip table=t name=c (rule accept))\n");
  CHECK(ast_of("ip t c counter") == "(implicit-add rule ip table=t name=c (rule (counter)))\n");
  CHECK(ast_of("rule ip t c accept") == "(implicit-add rule ip table=t name=c (rule accept))\n");
}

TEST_CASE("create takes no rule (nft's create_cmd)") {
  CHECK(errors_of("create rule ip t c accept") ==
        "test.nft:1:8: error[SYN001]: expected what to create: table, chain, set, map, element, flowtable or an "
        "object, found keyword 'rule'\n");
}

TEST_CASE("delete and destroy: by name and by handle") {
  CHECK(ast_of("delete table ip t") == "(delete table ip table=t)\n");
  CHECK(ast_of("delete table handle 12") == "(delete table handle=12)\n");
  CHECK(ast_of("delete table ip handle 12") == "(delete table ip handle=12)\n");
  CHECK(ast_of("delete chain ip t c") == "(delete chain ip table=t name=c)\n");
  CHECK(ast_of("delete chain ip t handle 5") == "(delete chain ip table=t handle=5)\n");
  CHECK(ast_of("delete rule ip t c handle 5") == "(delete rule ip table=t name=c handle=5)\n");
  CHECK(ast_of("delete set ip t s") == "(delete set ip table=t name=s)\n");
  CHECK(ast_of("delete map ip t m") == "(delete map ip table=t name=m)\n");
  CHECK(ast_of("delete set ip t handle 9") == "(delete set ip table=t handle=9)\n");
  CHECK(ast_of("delete element ip t s { 1.2.3.4 }") == "(delete element ip table=t name=s (set (elem 1.2.3.4)))\n");
  CHECK(ast_of("delete flowtable ip t f") == "(delete flowtable ip table=t name=f)\n");
  CHECK(ast_of("delete flowtable ip t handle 3") == "(delete flowtable ip table=t handle=3)\n");
  CHECK(ast_of("destroy table ip t") == "(destroy table ip table=t)\n");
  CHECK(ast_of("destroy rule ip t c handle 2") == "(destroy rule ip table=t name=c handle=2)\n");
}

TEST_CASE("delete stateful objects") {
  CHECK(ast_of("delete counter ip t cnt") == "(delete object kind=counter ip table=t name=cnt)\n");
  CHECK(ast_of("delete quota ip t q") == "(delete object kind=quota ip table=t name=q)\n");
  CHECK(ast_of("delete limit ip t l") == "(delete object kind=limit ip table=t name=l)\n");
  CHECK(ast_of("delete secmark ip t s") == "(delete object kind=secmark ip table=t name=s)\n");
  CHECK(ast_of("delete synproxy ip t s") == "(delete object kind=synproxy ip table=t name=s)\n");
  CHECK(ast_of("delete tunnel ip t tun") == "(delete object kind=tunnel ip table=t name=tun)\n");
  CHECK(ast_of("delete counter ip t handle 4") == "(delete object kind=counter ip table=t handle=4)\n");
  CHECK(ast_of("delete ct helper ip t h") == "(delete object kind=ct helper ip table=t name=h)\n");
  CHECK(ast_of("delete ct timeout ip t h") == "(delete object kind=ct timeout ip table=t name=h)\n");
  CHECK(ast_of("delete ct expectation ip t h") == "(delete object kind=ct expectation ip table=t name=h)\n");
  // nft deletes ct objects by name only.
  CHECK_FALSE(nftc::test::parse("delete ct helper ip t handle 4")->ok);
}

TEST_CASE("flush") {
  CHECK(ast_of("flush ruleset") == "(flush ruleset)\n");
  CHECK(ast_of("flush ruleset ip6") == "(flush ruleset ip6)\n");
  CHECK(ast_of("flush table ip t") == "(flush table ip table=t)\n");
  CHECK(ast_of("flush chain ip t c") == "(flush chain ip table=t name=c)\n");
  CHECK(ast_of("flush set ip t s") == "(flush set ip table=t name=s)\n");
  CHECK(ast_of("flush map ip t m") == "(flush map ip table=t name=m)\n");
  CHECK(ast_of("flush meter ip t m") == "(flush meter ip table=t name=m)\n");
}

TEST_CASE("list: one object, or all of a kind in a table, a family or everywhere") {
  CHECK(ast_of("list ruleset") == "(list ruleset)\n");
  CHECK(ast_of("list tables") == "(list tables)\n");
  CHECK(ast_of("list tables ip6") == "(list tables ip6)\n");
  CHECK(ast_of("list table ip t") == "(list table ip table=t)\n");
  CHECK(ast_of("list chain ip t c") == "(list chain ip table=t name=c)\n");
  CHECK(ast_of("list set ip t s") == "(list set ip table=t name=s)\n");
  CHECK(ast_of("list sets") == "(list sets)\n");
  CHECK(ast_of("list sets ip") == "(list sets ip)\n");
  CHECK(ast_of("list sets table ip t") == "(list sets ip table=t)\n");
  CHECK(ast_of("list sets ip t") == "(list sets ip table=t)\n");
  CHECK(ast_of("list counters") == "(list objects kind=counter)\n");
  CHECK(ast_of("list counter ip t c") == "(list object kind=counter ip table=t name=c)\n");
  CHECK(ast_of("list ct helper ip t h") == "(list object kind=ct helper ip table=t name=h)\n");
  CHECK(ast_of("list ct helpers table ip t") == "(list ct-helpers ip table=t)\n");
  CHECK(ast_of("list ct timeout table ip t") == "(list objects kind=ct timeout ip table=t)\n");
  CHECK(ast_of("list flowtables") == "(list flowtables)\n");
  CHECK(ast_of("list flow tables") == "(list flow-tables)\n");
  CHECK(ast_of("list meters") == "(list meters)\n");
  CHECK(ast_of("list hooks") == "(list hooks)\n");
  CHECK(ast_of("list hooks ip device eth0") == "(list hooks ip)\n");
}

TEST_CASE("reset (nft's reset_cmd)") {
  CHECK(ast_of("reset counters") == "(reset objects kind=counter)\n");
  CHECK(ast_of("reset counter ip t c") == "(reset object kind=counter ip table=t name=c)\n");
  CHECK(ast_of("reset quotas table ip t") == "(reset objects kind=quota ip table=t)\n");
  CHECK(ast_of("reset rules") == "(reset rules)\n");
  CHECK(ast_of("reset rules chain ip t c") == "(reset rules ip table=t name=c)\n");
  CHECK(ast_of("reset rules ip t c") == "(reset rules ip table=t name=c)\n");
  CHECK(ast_of("reset rules table ip t") == "(reset rules ip table=t)\n");
  CHECK(ast_of("reset rule ip t c handle 3") == "(reset rule ip table=t name=c handle=3)\n");
  CHECK(ast_of("reset set ip t s") == "(reset set ip table=t name=s)\n");
  CHECK(ast_of("reset element ip t s { 1.2.3.4 }") == "(reset element ip table=t name=s (set (elem 1.2.3.4)))\n");
  // nft has no `reset table`.
  CHECK_FALSE(nftc::test::parse("reset table ip t")->ok);
}

TEST_CASE("rename, get, describe, monitor, import, export") {
  CHECK(ast_of("rename chain ip t c c9") == "(rename chain ip table=t name=c new-name=c9)\n");
  CHECK(ast_of("get element ip t s { 1.2.3.4 }") == "(get element ip table=t name=s (set (elem 1.2.3.4)))\n");
  CHECK(ast_of("describe tcp dport") == "(describe ruleset (payload tcp dport))\n");
  CHECK(ast_of("monitor") == "(monitor ruleset)\n");
  CHECK(ast_of("monitor new tables json") == "(monitor ruleset)\n");
  CHECK(ast_of("export ruleset json") == "(export ruleset)\n");
  CHECK(ast_of("import ruleset json") == "(import ruleset)\n");
}

TEST_CASE("element commands take a set or a variable") {
  CHECK(ast_of("add element ip t s { 1.2.3.4, 5.6.7.8 }") ==
        "(add element ip table=t name=s (set (elem 1.2.3.4) (elem 5.6.7.8)))\n");
  CHECK(ast_of("define x = { 1.2.3.4 }\nadd element ip t s $x") ==
        "(define x (set (elem 1.2.3.4)))\n(add element ip table=t name=s $x)\n");
  CHECK(ast_of("create element ip t s { 1.2.3.4 }") == "(create element ip table=t name=s (set (elem 1.2.3.4)))\n");
}

TEST_CASE("commands are separated by newlines or ';'") {
  CHECK(ast_of("add table ip a; add table ip b\nadd table ip c;") ==
        "(add table ip table=a)\n(add table ip table=b)\n(add table ip table=c)\n");
  // Two commands on one line need a separator.
  CHECK(errors_of("add table ip a add table ip b") ==
        "test.nft:1:16: error[SYN001]: expected ';' or a newline, found keyword 'add'\n");
}

TEST_CASE("a failed command leaves nothing in the next one") {
  auto p = nftc::test::parse("add rule ip t c position 5 frob\nadd rule inet u d accept");
  REQUIRE(p->script.commands.size() == 1);
  CHECK(nftc::ast::dump(p->cmd()) == "(add rule inet table=u name=d (rule accept))");
}

TEST_CASE("command spans cover the command without its separator") {
  auto p = nftc::test::parse("  add table ip t ;\nflush ruleset\n");
  REQUIRE(p->script.commands.size() == 2);
  CHECK(p->text(p->cmd(0).span) == "add table ip t");
  CHECK(p->text(p->cmd(1).span) == "flush ruleset");
  CHECK(p->text(p->cmd(0).h.table.span) == "t");
  CHECK(p->text(p->cmd(0).h.family_span) == "ip");
}

TEST_CASE("handles, positions and indexes carry their spans") {
  auto p = nftc::test::parse("add rule ip t c position 12 accept");
  REQUIRE(p->ok);
  CHECK(p->text(p->cmd().h.position_span) == "position 12");
  p = nftc::test::parse("delete rule ip t c handle 4");
  REQUIRE(p->ok);
  CHECK(p->text(p->cmd().h.handle_span) == "handle 4");
}
