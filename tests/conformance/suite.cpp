#include "tests/conformance/suite.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include "tests/conformance/text.hpp"

namespace nftc::conformance {

namespace fs = std::filesystem;

std::string_view expect_name(Expect e) { return e == Expect::ok ? "ok" : "fail"; }

const Set* TableContext::find_set(std::string_view set_name) const {
  for (const Set& s : sets)
    if (s.name == set_name) return &s;
  return nullptr;
}

std::string TestCase::header() const { return family() + " " + table_name() + " " + chain_name(); }

namespace {

std::optional<Expect> parse_expect(std::string_view s) {
  s = rtrim(s);
  if (s == "ok") return Expect::ok;
  if (s == "fail") return Expect::fail;
  return std::nullopt;
}

// `name type|typeof KEY... [: DATA...] [timeout T] [flags F]`. More general
// than nft-test.py's token walk (it takes multi-word typeof keys), and equal
// to it on every line the suite has.
std::optional<Set> parse_set_definition(std::string_view def, std::string& error) {
  std::vector<std::string_view> tok = split_words(def);
  if (tok.size() < 3 || (tok[1] != "type" && tok[1] != "typeof")) {
    error = "expected 'NAME type|typeof KEY ...'";
    return std::nullopt;
  }
  Set s;
  s.name = tok[0];
  std::size_t i = 1;
  auto is_option = [](std::string_view t) { return t == "timeout" || t == "flags"; };
  std::vector<std::string_view> key, data;
  while (i < tok.size() && tok[i] != ":" && !is_option(tok[i])) key.push_back(tok[i++]);
  if (i < tok.size() && tok[i] == ":") {
    ++i;
    while (i < tok.size() && !is_option(tok[i])) data.push_back(tok[i++]);
    if (data.empty()) {
      error = "map without data type after ':'";
      return std::nullopt;
    }
  }
  while (i < tok.size()) {
    if (i + 1 >= tok.size()) {
      error = "'" + std::string(tok[i]) + "' without a value";
      return std::nullopt;
    }
    (tok[i] == "timeout" ? s.timeout : s.flags) = tok[i + 1];
    i += 2;
    if (i < tok.size() && !is_option(tok[i])) {
      error = "unexpected '" + std::string(tok[i]) + "'";
      return std::nullopt;
    }
  }
  s.key = join(key, " ");
  s.data = join(data, " ");
  return s;
}

// `name type KIND [SPEC...]`, where KIND is one word or `ct helper|timeout|expectation`.
std::optional<Object> parse_object_definition(std::string_view def, std::string& error) {
  std::vector<std::string_view> tok = split_words(def);
  if (tok.size() < 3 || tok[1] != "type") {
    error = "expected 'NAME type KIND ...'";
    return std::nullopt;
  }
  Object o;
  o.name = tok[0];
  std::size_t words = 1;
  if (tok[2] == "ct" && tok.size() > 3 &&
      (tok[3] == "helper" || tok[3] == "timeout" || tok[3] == "expectation"))
    words = 2;
  o.type = join(std::vector<std::string_view>(tok.begin() + 2, tok.begin() + 2 + static_cast<long>(words)), " ");
  // The spec is everything after the kind, spacing kept.
  std::string_view rest = def;
  for (std::size_t k = 0; k < 2 + words; ++k) {
    rest = ltrim(rest);
    std::size_t end = rest.find_first_of(kWhitespace);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  o.spec = trim(rest);
  return o;
}

class TestFileParser {
 public:
  explicit TestFileParser(std::string name) { f_.name = std::move(name); }

  TestFile run(std::string_view text) {
    int lineno = 0;
    for (std::string_view line : split_lines(text)) {
      ++lineno;
      if (is_blank(line) || line[0] == '#') continue;
      if (!parse_line(line, lineno)) break;
    }
    f_.tables = std::move(tables_);
    return std::move(f_);
  }

 private:
  void issue(int line, std::string message) { f_.issues.push_back({f_.name, line, std::move(message)}); }

  // false: stop reading the file, as nft-test.py does when it cannot create a table.
  bool parse_line(std::string_view line, int lineno) {
    std::string_view body = rtrim(line).substr(1);
    switch (line[0]) {
      case '*': return table_line(body, lineno);
      case ':': chain_line(body, lineno); return true;
      case '!': set_line(body, lineno); return true;
      case '?': elements_line(body, lineno); return true;
      case '%': object_line(line, lineno); return true;
      default: rule_line(line, lineno); return true;
    }
  }

  bool table_line(std::string_view body, int lineno) {
    std::vector<std::string_view> f = split(body, ';');
    if (f.size() < 3) {
      issue(lineno, "table line needs 'family;name;chain[,chain...]'");
      return true;
    }
    auto t = std::make_shared<TableContext>();
    t->family = f[0];
    t->name = f[1];
    t->line = lineno;
    for (const auto& existing : tables_)
      if (existing->family == t->family && existing->name == t->name) {
        issue(lineno, "table " + t->family + " " + t->name + " already exists; the rest of the file is not run");
        return false;
      }
    for (std::string_view chain_name : split(f[2], ',')) {
      auto it = std::find_if(chains_.begin(), chains_.end(), [&](const Chain& c) { return c.name == chain_name; });
      if (it == chains_.end())
        issue(lineno, "chain '" + std::string(chain_name) + "' is not declared by a ':' line before this table");
      else
        t->chains.push_back(*it);
    }
    tables_.push_back(std::move(t));
    return true;
  }

  void chain_line(std::string_view body, int lineno) {
    std::vector<std::string_view> f = split(body, ';');
    if (f.size() < 2) {
      issue(lineno, "chain line needs 'name;definition'");
      return;
    }
    chains_.push_back({std::string(f[0]), std::string(f[1]), lineno});
  }

  // Splits `definition;ok|fail` and checks the result field.
  std::optional<std::pair<std::string_view, Expect>> context_fields(std::string_view body, int lineno) {
    std::vector<std::string_view> f = split(body, ';');
    std::optional<Expect> e = f.size() == 2 ? parse_expect(f[1]) : std::nullopt;
    if (!e) {
      issue(lineno, "expected 'definition;ok' or 'definition;fail'");
      return std::nullopt;
    }
    return std::pair{f[0], *e};
  }

  ContextLine context_line(int lineno, Expect e) {
    ContextLine c;
    c.line = lineno;
    c.expect = e;
    c.before.assign(tables_.begin(), tables_.end());
    return c;
  }

  void set_line(std::string_view body, int lineno) {
    auto fields = context_fields(body, lineno);
    if (!fields) return;
    std::string error;
    std::optional<Set> s = parse_set_definition(fields->first, error);
    if (!s) {
      issue(lineno, "bad set definition: " + error);
      return;
    }
    s->line = lineno;
    ContextLine c = context_line(lineno, fields->second);
    c.item = *s;
    f_.context.push_back(std::move(c));
    if (fields->second != Expect::ok) return;
    if (tables_.empty()) issue(lineno, "set defined before any table");
    for (auto& t : tables_) {
      if (t->find_set(s->name)) {
        issue(lineno, "set " + s->name + " already exists in " + t->family + " " + t->name);
        continue;
      }
      auto next = std::make_shared<TableContext>(*t);
      next->sets.push_back(*s);
      t = std::move(next);
    }
  }

  void elements_line(std::string_view body, int lineno) {
    auto fields = context_fields(body, lineno);
    if (!fields) return;
    std::string_view def = fields->first;
    std::size_t space = def.find(' ');
    if (space == std::string_view::npos) {
      issue(lineno, "expected 'set element[, element...]'");
      return;
    }
    Elements e;
    e.set = def.substr(0, space);
    for (std::string_view el : split(def.substr(space), ',')) e.elements.emplace_back(trim(el));
    ContextLine c = context_line(lineno, fields->second);
    c.item = e;
    f_.context.push_back(std::move(c));
    if (fields->second != Expect::ok) return;
    for (auto& t : tables_) {
      if (!t->find_set(e.set)) {
        issue(lineno, "elements for set " + e.set + ", which " + t->family + " " + t->name + " does not have");
        continue;
      }
      auto next = std::make_shared<TableContext>(*t);
      for (Set& s : next->sets)
        if (s.name == e.set) s.element_batches.push_back(e.elements);
      t = std::move(next);
    }
  }

  void object_line(std::string_view line, int lineno) {
    // An object spec may hold ';' inside braces: then the result follows the last '}'.
    std::string_view def, result;
    std::size_t brace = line.rfind('}');
    if (brace == std::string_view::npos) {
      std::vector<std::string_view> f = split(rtrim(line).substr(1), ';');
      def = f[0];
      result = f.size() == 2 ? f[1] : std::string_view{};
    } else {
      def = line.substr(1, brace);
      result = brace + 2 <= line.size() ? rtrim(line.substr(brace + 2)) : std::string_view{};
    }
    std::optional<Expect> e = parse_expect(result);
    if (!e) {
      issue(lineno, "expected 'object definition;ok' or 'object definition;fail'");
      return;
    }
    std::string error;
    std::optional<Object> o = parse_object_definition(def, error);
    if (!o) {
      issue(lineno, "bad object definition: " + error);
      return;
    }
    o->line = lineno;
    ContextLine c = context_line(lineno, *e);
    c.item = *o;
    f_.context.push_back(std::move(c));
    if (*e != Expect::ok) return;
    for (auto& t : tables_) {
      auto next = std::make_shared<TableContext>(*t);
      next->objects.push_back(*o);
      t = std::move(next);
    }
  }

  void rule_line(std::string_view line, int lineno) {
    std::vector<std::string_view> f = split(line, ';');
    std::optional<Expect> e = f.size() == 2 || f.size() == 3 ? parse_expect(f[1]) : std::nullopt;
    if (!e) {
      issue(lineno, "malformed rule line, skipped: " + std::string(rtrim(line)));
      return;
    }
    if (line[0] == '-') {
      ++f_.need_fix;
      return;
    }
    RuleLine r;
    r.line = lineno;
    r.rule = f[0];
    r.expect = *e;
    if (f.size() == 3) r.canonical = std::string(rtrim(f[2]));
    if (tables_.empty()) issue(lineno, "rule before any table: it runs nowhere");
    for (const auto& t : tables_)
      for (std::size_t c = 0; c < t->chains.size(); ++c)
        r.cases.push_back({f_.name, lineno, t, c, r.rule, r.expect, r.canonical});
    f_.rules.push_back(std::move(r));
  }

  TestFile f_;
  std::vector<Chain> chains_;  // declared so far; a table takes the first of a name
  std::vector<std::shared_ptr<const TableContext>> tables_;
};

// The lines payload_find_expected collects after the header at `header`:
// up to and including the first blank line, skipping repeated headers of the
// same rule.
template <typename Visit>
void collect_block(const std::vector<std::string_view>& lines, std::size_t header, std::string_view rule,
                   Visit visit) {
  for (std::size_t j = header + 1; j < lines.size(); ++j) {
    std::string_view l = lines[j];
    if (!l.empty() && l[0] == '#' && header_rule(l) == rule) continue;
    visit(l);
    if (is_blank(l)) return;
  }
}

std::optional<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

TestFile parse_test_file(std::string name, std::string_view text) { return TestFileParser(std::move(name)).run(text); }

PayloadFile parse_payload_file(std::string name, std::string family, std::string_view text) {
  PayloadFile pf{std::move(name), std::move(family), {}};
  std::vector<std::string_view> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] != '#') continue;
    PayloadBlock b;
    b.line = static_cast<int>(i + 1);
    b.rule = header_rule(lines[i]);
    collect_block(lines, i, b.rule, [&](std::string_view l) { b.lines.emplace_back(l); });
    pf.blocks.push_back(std::move(b));
  }
  return pf;
}

JsonFile parse_json_file(std::string name, std::string_view text) {
  JsonFile jf{std::move(name), {}};
  std::vector<std::string_view> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] != '#') continue;
    JsonBlock b;
    b.line = static_cast<int>(i + 1);
    b.rule = header_rule(lines[i]);
    collect_block(lines, i, b.rule, [&](std::string_view l) { b.text += trim(l); });
    jf.blocks.push_back(std::move(b));
  }
  return jf;
}

const PayloadBlock* PayloadFile::find(std::string_view rule) const {
  rule = trim(rule);
  for (const PayloadBlock& b : blocks)
    if (b.rule == rule) return &b;
  return nullptr;
}

const JsonBlock* JsonFile::find(std::string_view rule) const {
  rule = trim(rule);
  for (const JsonBlock& b : blocks)
    if (b.rule == rule) return &b;
  return nullptr;
}

const PayloadBlock* TestFile::expected_payload(const TestCase& c) const {
  const PayloadFile* generic = nullptr;
  const PayloadFile* specific = nullptr;
  for (const PayloadFile& pf : payloads) {
    if (pf.family.empty()) generic = &pf;
    else if (pf.family == c.family()) specific = &pf;
  }
  // An empty block in the family file counts as absent, as in nft-test.py.
  if (specific)
    if (const PayloadBlock* b = specific->find(c.rule); b && !b->lines.empty()) return b;
  return generic ? generic->find(c.rule) : nullptr;
}

const PayloadFile& TestFile::payload_file_of(const PayloadBlock& block) const {
  for (const PayloadFile& pf : payloads)
    if (!pf.blocks.empty() && &block >= &pf.blocks.front() && &block <= &pf.blocks.back()) return pf;
  throw std::logic_error("payload block not from " + name);
}

std::size_t TestFile::payload_block_count() const {
  std::size_t n = 0;
  for (const PayloadFile& pf : payloads) n += pf.blocks.size();
  return n;
}

std::optional<Suite> load_suite(const fs::path& root) {
  const fs::path py = root / "tests" / "py";
  std::error_code ec;
  if (!fs::is_directory(py, ec)) return std::nullopt;
  Suite suite;
  suite.root = root;

  std::vector<fs::path> t_files;
  for (const char* dir : {"any", "arp", "bridge", "inet", "ip", "ip6", "netdev"}) {
    if (!fs::is_directory(py / dir, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(py / dir, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".t") t_files.push_back(entry.path());
  }
  std::sort(t_files.begin(), t_files.end());

  for (const fs::path& p : t_files) {
    const std::string rel = p.lexically_relative(py).generic_string();
    std::optional<std::string> text = read_text(p);
    if (!text) {
      TestFile f;
      f.name = rel;
      f.issues.push_back({rel, 0, "cannot read the file"});
      suite.files.push_back(std::move(f));
      continue;
    }
    TestFile f = parse_test_file(rel, *text);

    // nft-test.py opens <file>.payload and <file>.payload.<family> for the
    // families the file's tables use; other family files are never read.
    std::vector<std::string> families;
    for (const auto& t : f.tables)
      if (std::find(families.begin(), families.end(), t->family) == families.end()) families.push_back(t->family);
    std::sort(families.begin(), families.end());
    const std::string base = p.string() + ".payload";
    if (auto t = read_text(base)) f.payloads.push_back(parse_payload_file(rel + ".payload", "", *t));
    for (const std::string& fam : families)
      if (auto t = read_text(base + "." + fam))
        f.payloads.push_back(parse_payload_file(rel + ".payload." + fam, fam, *t));
    for (const auto& entry : fs::directory_iterator(p.parent_path(), ec)) {
      const std::string n = entry.path().filename().string();
      const std::string prefix = p.filename().string() + ".payload.";
      if (n.rfind(prefix, 0) != 0 || n.ends_with(".got")) continue;
      if (std::find(families.begin(), families.end(), n.substr(prefix.size())) == families.end())
        f.issues.push_back({rel, 0, "payload file " + n + " is for a family the file's tables do not use"});
    }
    if (auto t = read_text(p.string() + ".json")) f.json = parse_json_file(rel + ".json", *t);
    if (auto t = read_text(p.string() + ".json.output")) f.json_output = parse_json_file(rel + ".json.output", *t);
    suite.files.push_back(std::move(f));
  }

  const fs::path shell = root / "tests" / "shell" / "testcases";
  if (fs::is_directory(shell, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(shell, ec)) {
      const fs::path& p = entry.path();
      if (!entry.is_regular_file() || p.extension() != ".nft" || p.parent_path().filename() != "dumps") continue;
      fs::path json = p;
      json.replace_extension(".json-nft");
      suite.dumps.push_back({p.lexically_relative(shell).generic_string(), p, is_file(json)});
    }
    std::sort(suite.dumps.begin(), suite.dumps.end(),
              [](const DumpFile& a, const DumpFile& b) { return a.name < b.name; });
  }
  return suite;
}

std::optional<fs::path> locate_suite(std::string_view compiled_shared_dir, std::vector<std::string>* tried) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("NFTC_SHARED_DIR"); env && *env) {
    candidates.push_back(fs::path(env) / "nft-tests");
  } else {
    if (!compiled_shared_dir.empty()) candidates.push_back(fs::path(compiled_shared_dir) / "nft-tests");
    candidates.push_back(fs::path("/work/shared/nft-tests"));
  }
  std::error_code ec;
  for (const fs::path& c : candidates) {
    if (tried) tried->push_back(c.lexically_normal().string());
    if (fs::is_directory(c / "tests" / "py", ec)) return c.lexically_normal();
  }
  return std::nullopt;
}

}  // namespace nftc::conformance
