// Reading the nftables project's own test suite (tests/py and tests/shell
// dumps) into values the conformance runner can execute.
//
// The suite is data, read at run time from where it lives; nothing of it is
// copied into nftc. The reading follows what tests/py/nft-test.py does with
// the same files, so that the counts and the expectations are the ones the
// nftables developers see:
//   - `*family;table;chain,chain` creates a table with the named chains, which
//     must have been declared before by `:chain;definition` lines;
//   - `!name type ... [: data] [timeout T] [flags F];ok` adds a set or map to
//     every table created so far, `?name e1, e2;ok` adds elements to it, and
//     `%name type kind spec;ok` adds a stateful object;
//   - any other line `rule;ok|fail[;canonical]` is a rule, tried in every
//     chain of every table created so far; lines starting with `-` need a fix
//     upstream and are skipped, `#` lines are comments.
// Two deliberate differences, unobservable with the current suite: objects
// are added to every table (nft-test.py stops after the first one), and
// elements may be added to maps (nft-test.py never records maps as
// existing, so it refuses their `?` lines).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nftc::conformance {

enum class Expect { ok, fail };
std::string_view expect_name(Expect e);

// Something in the suite the reader could not make sense of; reported, never fatal.
struct SuiteIssue {
  std::string file;
  int line = 0;  // 1-based; 0 for the whole file
  std::string message;
};

struct Chain {
  std::string name;
  std::string definition;  // "type filter hook input priority 0"; may be empty
  int line = 0;
};

// A named set or map from a `!` line, with the elements `?` lines added so far.
struct Set {
  std::string name;
  std::string key;      // "type ipv4_addr" or "typeof vlan id"
  std::string data;     // map data ("mark", "meta mark"); empty for a set
  std::string timeout;  // "60s"; empty when none
  std::string flags;    // "interval"; empty when none
  std::vector<std::vector<std::string>> element_batches;  // one per `?` line, in order
  int line = 0;

  bool is_map() const { return !data.empty(); }
};

// A stateful object from a `%` line.
struct Object {
  std::string name;
  std::string type;  // "counter", "quota", "ct helper", "ct timeout", ...
  std::string spec;  // the rest: "25 mbytes", "{ type \"ftp\" protocol tcp; }"
  int line = 0;
};

// Elements from a `?` line.
struct Elements {
  std::string set;
  std::vector<std::string> elements;  // trimmed, in order
};

// Everything nft-test.py would have created in one table when a given line
// runs. Shared between the cases that see the same state.
struct TableContext {
  std::string family;
  std::string name;
  std::vector<Chain> chains;  // in the order the `*` line lists them
  std::vector<Object> objects;
  std::vector<Set> sets;
  int line = 0;  // of the `*` line

  const Set* find_set(std::string_view name) const;
};

// One rule in one chain of one table.
struct TestCase {
  std::string file;  // relative to tests/py, e.g. "ip/sets.t"
  int line = 0;      // 1-based
  std::shared_ptr<const TableContext> table;
  std::size_t chain = 0;  // index into table->chains
  std::string rule;       // as written, before the first ';'
  Expect expect = Expect::ok;
  std::optional<std::string> canonical;  // the third field, right-trimmed

  const std::string& family() const { return table->family; }
  const std::string& table_name() const { return table->name; }
  const Chain& chain_def() const { return table->chains[chain]; }
  const std::string& chain_name() const { return chain_def().name; }
  // "ip t4 input": how nft names the rule's chain in bytecode listings.
  std::string header() const;
};

// A rule line of a .t file: one accept/reject decision, run as one case per
// table and chain (none when no table was created before the line).
struct RuleLine {
  int line = 0;
  std::string rule;
  Expect expect = Expect::ok;
  std::optional<std::string> canonical;
  std::vector<TestCase> cases;
};

// A `!`, `?` or `%` line, tried in every table created so far.
struct ContextLine {
  int line = 0;
  Expect expect = Expect::ok;
  std::variant<Set, Elements, Object> item;
  std::vector<std::shared_ptr<const TableContext>> before;  // one per table, the state before the line
};

// A block of a payload file: "# rule" then the lines nft printed for it.
struct PayloadBlock {
  int line = 0;      // of the "# rule" header, 1-based
  std::string rule;  // the header without "# ", trimmed
  // The lines nft-test.py takes as expected: those after the header up to and
  // including the first blank one (or the end of the file), without newlines.
  std::vector<std::string> lines;
};

struct PayloadFile {
  std::string name;    // relative to tests/py, e.g. "ip/ip.t.payload.inet"
  std::string family;  // "inet" for a family-specific file, empty for *.t.payload
  std::vector<PayloadBlock> blocks;

  // The first block whose header names `rule` (compared trimmed), as
  // nft-test.py's payload_find_expected finds it.
  const PayloadBlock* find(std::string_view rule) const;
};

// A block of a .t.json or .t.json.output file.
struct JsonBlock {
  int line = 0;
  std::string rule;
  std::string text;  // the block's lines trimmed and concatenated, as nft-test.py reads them
};

struct JsonFile {
  std::string name;
  std::vector<JsonBlock> blocks;
  const JsonBlock* find(std::string_view rule) const;
};

struct TestFile {
  std::string name;  // relative to tests/py
  std::vector<std::shared_ptr<const TableContext>> tables;  // as they are at the end of the file
  std::vector<RuleLine> rules;
  std::vector<ContextLine> context;
  std::vector<PayloadFile> payloads;  // *.t.payload first, then family files by name
  std::optional<JsonFile> json;         // *.t.json
  std::optional<JsonFile> json_output;  // *.t.json.output
  int need_fix = 0;                     // `-` lines skipped
  std::vector<SuiteIssue> issues;

  // The expected payload for a case: the family-specific file's block if it
  // has one for the rule, else the generic file's; nullptr when neither has.
  const PayloadBlock* expected_payload(const TestCase& c) const;
  // The file holding `block` (which must come from this test file).
  const PayloadFile& payload_file_of(const PayloadBlock& block) const;
  std::size_t payload_block_count() const;
};

// A listing saved by a tests/shell test case.
struct DumpFile {
  std::string name;  // relative to tests/shell/testcases, e.g. "sets/dumps/0001named_interval_0.nft"
  std::filesystem::path path;
  bool has_json = false;  // a sibling .json-nft exists
};

struct Suite {
  std::filesystem::path root;  // holds tests/py and tests/shell
  std::vector<TestFile> files;
  std::vector<DumpFile> dumps;
};

// Parses the text of a .t file. Payload and JSON files are attached separately.
TestFile parse_test_file(std::string name, std::string_view text);
// Parses a payload file; `family` is empty for the generic *.t.payload.
PayloadFile parse_payload_file(std::string name, std::string family, std::string_view text);
JsonFile parse_json_file(std::string name, std::string_view text);

// Reads every tests/py/{any,arp,bridge,inet,ip,ip6,netdev}/**/*.t with its
// payload and JSON siblings, and lists the tests/shell dumps. Files are sorted
// by name. Returns nothing when `root` has no tests/py directory.
std::optional<Suite> load_suite(const std::filesystem::path& root);

// Where the suite lives: $NFTC_SHARED_DIR/nft-tests when that variable is set
// (and then nowhere else, so a wrong setting shows), else the first of
// `compiled_shared_dir`/nft-tests and /work/shared/nft-tests that has tests/py.
// `tried` receives the candidates looked at.
std::optional<std::filesystem::path> locate_suite(std::string_view compiled_shared_dir,
                                                  std::vector<std::string>* tried = nullptr);

}  // namespace nftc::conformance
