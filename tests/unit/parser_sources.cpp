// Defines and their scopes, includes (search path, globs, cycles, depth),
// and the lexical structure: comments, line continuations, separators.
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "tests/unit/parser_test.hpp"

namespace fs = std::filesystem;
using nftc::test::ast_of;
using nftc::test::errors_of;
using nftc::test::rule_of;

namespace {

// A temporary directory with files, removed at the end of the test.
struct TempDir {
  fs::path root;
  TempDir() {
    root = fs::temp_directory_path() / ("nftc-parser-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(root);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string write(const std::string& name, std::string_view text) const {
    fs::path p = root / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

// Parses `file` (already written) as the main file.
std::unique_ptr<nftc::test::Parsed> parse_file_at(const std::string& path, const nftc::ParseOptions& opts = {}) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return nftc::test::parse(text, opts, path);
}

}  // namespace

TEST_CASE("defines: values of every kind, used where nft allows variables") {
  CHECK(ast_of("define a = 1.2.3.4\ndefine b = { 22, 80 }\ndefine c = \"eth0\"\ndefine d = -10\n"
               "define e = { }\ndefine f = tcp\n") ==
        "(define a 1.2.3.4)\n(define b (set (elem 22) (elem 80)))\n(define c \"eth0\")\n(define d -10)\n"
        "(define e (set))\n(define f tcp)\n");
  CHECK(ast_of("define ports = { 22, 80 }\nadd rule ip t c tcp dport $ports accept") ==
        "(define ports (set (elem 22) (elem 80)))\n(add rule ip table=t name=c (rule (match (payload tcp dport) "
        "$ports) accept))\n");
  CHECK(ast_of("define c = other\nadd rule ip t c jump $c") ==
        "(define c other)\n(add rule ip table=t name=c (rule jump $c))\n");
}

TEST_CASE("a variable refers to its define") {
  auto p = nftc::test::parse("define a = 1.2.3.4\nadd rule ip t c ip saddr $a");
  REQUIRE(p->ok);
  const auto& m = std::get<nftc::ast::MatchStmt>(p->cmd().rule->stmts.at(0)->data);
  REQUIRE(m.rhs->kind == nftc::ast::ExprKind::variable);
  REQUIRE(m.rhs->def != nullptr);
  CHECK(m.rhs->def == p->script.defines.at(0));
  CHECK(p->text(m.rhs->span) == "$a");
  CHECK(p->text(m.rhs->def->name.span) == "a");
}

TEST_CASE("unknown variables: an error with did-you-mean") {
  CHECK(errors_of("define ports = 22\nadd rule ip t c tcp dport $port") ==
        "test.nft:2:27: error[SYN005]: unknown variable '$port'\n");
}

TEST_CASE("define twice is an error; redefine replaces; undefine removes") {
  CHECK(errors_of("define a = 1\ndefine a = 2") == "test.nft:2:8: error[SYN006]: redefinition of variable 'a'\n");
  auto p = nftc::test::parse("define a = 1\nredefine a = 2\nadd rule ip t c meta mark $a");
  REQUIRE(p->ok);
  const auto& m = std::get<nftc::ast::MatchStmt>(p->cmd().rule->stmts.at(0)->data);
  CHECK(nftc::ast::dump(*m.rhs->def->value) == "2");
  CHECK(errors_of("define a = 1\nundefine a\nadd rule ip t c meta mark $a") ==
        "test.nft:3:27: error[SYN005]: unknown variable '$a'\n");
  // As in nft, undefining an unknown name is no error.
  CHECK(nftc::test::parse("undefine nothing")->ok);
}

TEST_CASE("defines are scoped to their table or chain block") {
  CHECK(nftc::test::parse("table ip t {\n define x = 1\n chain c { meta mark $x }\n}").get()->ok);
  CHECK(errors_of("table ip t {\n define x = 1\n}\nadd rule ip t c meta mark $x") ==
        "test.nft:4:27: error[SYN005]: unknown variable '$x'\n");
  CHECK(errors_of("table ip t {\n chain c {\n  define y = 1\n }\n chain d { meta mark $y }\n}") ==
        "test.nft:5:22: error[SYN005]: unknown variable '$y'\n");
  // An inner block may not define a name its outer scope has; redefine may.
  CHECK(errors_of("define x = 1\ntable ip t {\n define x = 2\n}") ==
        "test.nft:3:9: error[SYN006]: redefinition of variable 'x'\n");
  CHECK(nftc::test::parse("define x = 1\ntable ip t {\n redefine x = 2\n}").get()->ok);
  // undefine works on the current scope only.
  CHECK(nftc::test::parse("define x = 1\ntable ip t {\n undefine x\n chain c { meta mark $x }\n}").get()->ok);
}

TEST_CASE("-D definitions are variables of the outermost scope") {
  nftc::ParseOptions opts;
  opts.defines = {{"lan", "10.0.0.0/8"}};
  auto p = nftc::test::parse("add rule ip t c ip saddr $lan", opts);
  CHECK(p->ok);
}

TEST_CASE("-D values are nft source, parsed as nft parses `define NAME=VALUE; `") {
  nftc::ParseOptions opts;
  opts.defines = {{"lan", "192.168.1.0/24"}, {"ports", "{ 22, 80 }"}};
  auto p = nftc::test::parse("add rule ip t c ip saddr $lan tcp dport $ports accept\n", opts);
  INFO(p->errors());
  REQUIRE(p->ok);
  // They are not the file's defines (the unused-variable lint reads those).
  CHECK(p->script.defines.empty());
  // The defines are a source of their own.
  REQUIRE(p->sm.size() == 2);
  CHECK(p->sm.file(1).name == "<cmdline>");
  CHECK(p->sm.file(1).text == "define lan=192.168.1.0/24; define ports={ 22, 80 }; \n");
}

TEST_CASE("-D: a bad value is an error located in <cmdline>, and the file is not parsed") {
  nftc::ParseOptions opts;
  opts.defines = {{"lan", "192.168.1.0/"}};
  std::string e = errors_of("add rule ip t c ip saddr $lan\n", opts);
  CHECK(e.rfind("<cmdline>:1:", 0) == 0);
  CHECK(e.find('\n') == e.size() - 1);  // one error
  // Commands are no values.
  opts.defines = {{"x", "1; add table ip t"}};
  CHECK(errors_of("", opts).rfind("<cmdline>:1:", 0) == 0);
}

TEST_CASE("includes: relative names through -I, then the main file's directory") {
  TempDir d;
  d.write("inc/rules.nft", "add table ip from_inc\n");
  std::string main = d.write("main.nft", "include \"rules.nft\"\n");
  nftc::ParseOptions opts;
  opts.include_dirs = {(d.root / "inc").string()};
  auto p = parse_file_at(main, opts);
  INFO(p->errors());
  CHECK(p->ok);
  CHECK(p->dump() == "(add table ip table=from_inc)\n");
  REQUIRE(p->script.includes.size() == 1);

  // Without -I, the main file's directory is searched.
  d.write("beside.nft", "add table ip beside\n");
  std::string main2 = d.write("main2.nft", "include \"beside.nft\"\n");
  auto p2 = parse_file_at(main2);
  CHECK(p2->dump() == "(add table ip table=beside)\n");
}

TEST_CASE("includes: spans of included nodes point into the included file") {
  TempDir d;
  std::string inc = d.write("x.nft", "add table ip inc\n");
  std::string main = d.write("main.nft", "include \"" + inc + "\"\n");
  auto p = parse_file_at(main);
  REQUIRE(p->ok);
  const auto& c = p->cmd();
  CHECK(p->sm.file(c.span.file).name == inc);
  CHECK(p->text(c.span) == "add table ip inc");
  CHECK(p->sm.include_chain(c.span.file).size() == 1);
}

TEST_CASE("includes inside blocks add items to that block") {
  TempDir d;
  std::string inc = d.write("chains.nft", "chain c { accept }\nset s { type ipv4_addr; }\n");
  std::string main = d.write("main.nft", "table ip t {\n include \"" + inc + "\"\n chain d { drop }\n}\n");
  auto p = parse_file_at(main);
  INFO(p->errors());
  CHECK(p->dump() ==
        "(implicit-add table ip table=t (table t (chain c (rule accept)) (set s type=ipv4_addr) "
        "(chain d (rule drop))))\n");
}

TEST_CASE("includes: globs in alphabetical order, no match is no error") {
  TempDir d;
  d.write("conf.d/20-b.nft", "add table ip b\n");
  d.write("conf.d/10-a.nft", "add table ip a\n");
  fs::create_directories(d.root / "conf.d" / "30-dir.nft");  // directories are skipped
  std::string main = d.write("main.nft", "include \"" + (d.root / "conf.d").string() + "/*.nft\"\n" +
                                             "include \"" + d.root.string() + "/none/*.nft\"\n");
  auto p = parse_file_at(main);
  INFO(p->errors());
  CHECK(p->ok);
  CHECK(p->dump() == "(add table ip table=a)\n(add table ip table=b)\n");
}

TEST_CASE("includes: a missing file, a cycle, too deep") {
  TempDir d;
  std::string main = d.write("main.nft", "include \"nowhere.nft\"\n");
  CHECK(parse_file_at(main)->errors() == main + ":1:1: error[IO006]: include file 'nowhere.nft' not found\n");

  std::string a = d.write("a.nft", "include \"b.nft\"\n");
  d.write("b.nft", "include \"a.nft\"\n");
  auto p = parse_file_at(a);
  CHECK_FALSE(p->ok);
  CHECK(p->errors().find("error[IO007]: include cycle") != std::string::npos);

  // A chain of 20 files, each including the next.
  for (int i = 0; i < 20; ++i)
    d.write("deep" + std::to_string(i) + ".nft", "include \"deep" + std::to_string(i + 1) + ".nft\"\n");
  d.write("deep20.nft", "\n");
  auto deep = parse_file_at((d.root / "deep0.nft").string());
  CHECK_FALSE(deep->ok);
  CHECK(deep->errors().find("error[IO008]: includes are nested more than 16 levels deep") != std::string::npos);
}

TEST_CASE("a syntax error in an included file is reported there") {
  TempDir d;
  std::string inc = d.write("bad.nft", "add table ip ok\nadd tabel ip bad\n");
  std::string main = d.write("main.nft", "include \"" + inc + "\"\nadd table ip after\n");
  auto p = parse_file_at(main);
  // (`add tabel ip bad` reads as a rule in chain 'ip' of table 'tabel', as in nft.)
  CHECK(p->errors() == inc + ":2:11: error[SYN001]: expected a chain name, found keyword 'ip'\n");
  CHECK(p->dump() == "(add table ip table=ok)\n(add table ip table=after)\n");
}

TEST_CASE("comments: after text the newline stays a separator, a comment line disappears") {
  CHECK(ast_of("# leading\nadd table ip a # trailing\n  # indented comment line\nadd table ip b") ==
        "(add table ip table=a)\n(add table ip table=b)\n");
  // A comment line between statements does not end the rule early: flex's
  // comment_line swallows its newline, and the rule's newline came before.
  CHECK(ast_of("table ip t {\n chain c {\n  tcp dport 22 # ssh\n  # next\n  accept\n }\n}") ==
        "(implicit-add table ip table=t (table t (chain c (rule (match (payload tcp dport) 22)) (rule accept))))\n");
  // A '#' inside a quoted string is not a comment.
  CHECK(rule_of("log prefix \"#1 \"") == "(rule (log prefix=\"#1 \"))");
}

TEST_CASE("line continuations join lines") {
  CHECK(rule_of("tcp dport 22 \\\n  accept") == "(rule (match (payload tcp dport) 22) accept)");
  CHECK(ast_of("table ip t {\n chain c {\n  ip saddr 1.2.3.4 \\\n   counter \\\n   drop\n }\n}") ==
        "(implicit-add table ip table=t (table t (chain c (rule (match (payload ip saddr) 1.2.3.4) (counter) "
        "drop))))\n");
}

TEST_CASE("separators: newlines and ';', optional before '}'") {
  CHECK(ast_of("table ip t { chain c { accept; drop } }") ==
        "(implicit-add table ip table=t (table t (chain c (rule accept) (rule drop))))\n");
  CHECK(ast_of("table ip t {\n\n chain c {\n\n  accept\n\n }\n\n}\n\n") ==
        "(implicit-add table ip table=t (table t (chain c (rule accept))))\n");
  CHECK(ast_of(";;\n;add table ip t;;") == "(add table ip table=t)\n");
}

TEST_CASE("CRLF line ends are an error, as in nft") {
  CHECK(errors_of("add table ip t\r\n") ==
        "test.nft:1:15: error[SYN003]: CRLF line terminators are not supported by nft\n");
}

TEST_CASE("keywords nft accepts as names") {
  // `last` is a keyword that nft's identifier rule accepts.
  CHECK(ast_of("add chain ip t last") == "(add chain ip table=t name=last)\n");
  // Words that are keywords in one scanner state only are names elsewhere.
  CHECK(ast_of("add chain ip t saddr") == "(add chain ip table=t name=saddr)\n");
  CHECK(ast_of("add table ip dport") == "(add table ip table=dport)\n");
}

TEST_CASE("names are not quoted strings (nft's identifier is a STRING token)") {
  CHECK(errors_of("add chain ip t \"my chain\"") ==
        "test.nft:1:16: error[SYN001]: expected a chain name, found string \"my chain\"\n");
}
