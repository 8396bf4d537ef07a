// nftc fmt writing files: in place and atomically, keeping the mode;
// --check writes nothing; a file that does not parse is never written.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/fmt/format.hpp"
#include "compiler/driver.hpp"
#include "tests/support/files.hpp"

namespace {

using nftc::test::read_file;
using nftc::test::write_file;

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "nftc-fmt-test-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

const char* kMessy = "table ip t{chain c{tcp dport {22,80} accept;drop}}\n";
const char* kTidy = "table ip t {\n\tchain c {\n\t\ttcp dport { 22, 80 } accept\n\t\tdrop\n\t}\n}\n";

}  // namespace

TEST_CASE("fmt rewrites a file in place and keeps its mode") {
  TempDir d;
  fs::path f = d.path / "rules.nft";
  write_file(f, kMessy);
  REQUIRE(::chmod(f.c_str(), 0640) == 0);
  nftc::DriverOptions o;
  o.files = {f.string()};
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::ok);
  CHECK(read_file(f) == kTidy);
  struct stat st {};
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(d.entries() == 1);  // no temporary file left behind
  // Formatting again changes nothing.
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::ok);
  CHECK(read_file(f) == kTidy);
}

TEST_CASE("fmt follows a symbolic link and rewrites its target") {
  TempDir d;
  fs::path target = d.path / "real.nft";
  fs::path link = d.path / "link.nft";
  write_file(target, kMessy);
  fs::create_symlink(target, link);
  nftc::DriverOptions o;
  o.files = {link.string()};
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::ok);
  CHECK(fs::is_symlink(link));
  CHECK(read_file(target) == kTidy);
}

TEST_CASE("fmt --check changes nothing and exits 1 when a file would change") {
  TempDir d;
  fs::path messy = d.path / "messy.nft";
  fs::path tidy = d.path / "tidy.nft";
  write_file(messy, kMessy);
  write_file(tidy, kTidy);
  nftc::DriverOptions o;
  o.dry_run = true;
  o.files = {tidy.string()};
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::ok);
  o.files = {messy.string(), tidy.string()};
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::findings);
  CHECK(read_file(messy) == kMessy);
  o.dry_run = false;
  o.show_diff = true;
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::ok);
  CHECK(read_file(messy) == kMessy);
}

TEST_CASE("fmt never writes a file that does not parse") {
  TempDir d;
  fs::path bad = d.path / "bad.nft";
  fs::path good = d.path / "good.nft";
  const std::string text = "table ip t {\n  chain c {\n    tcp dport 22 acept\n  }\n}\n";
  write_file(bad, text);
  write_file(good, kMessy);
  nftc::DriverOptions o;
  o.diagnostic_format = "concise";
  o.files = {bad.string(), good.string()};
  CHECK(nftc::run_fmt(o) == nftc::ExitCode::findings);
  CHECK(read_file(bad) == text);
  CHECK(read_file(good) == kTidy);  // the other files are still formatted
  CHECK(d.entries() == 2);
}

TEST_CASE("unified diff") {
  using nftc::formatter::unified_diff;
  CHECK(unified_diff("a\n", "a\n", "x", "y").empty());
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "x", "y") == "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  CHECK(unified_diff("a", "a\n", "x", "y") == "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
  CHECK(unified_diff("", "a\n", "x", "y") == "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
}
