// Golden tests of the listing: every tests/golden/listing/NAME.nft is
// compiled, and its `--emit nft` and `--emit json` outputs compared with
// NAME.nft.list and NAME.nft.json beside it (the JSON indented, to read
// as a diff). After a deliberate change, NFTC_REGEN=1 rewrites them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "backends/json/json.hpp"
#include "compiler/api.hpp"
#include "tests/support/files.hpp"

namespace {

using nftc::test::read_file;
using nftc::test::write_file;

namespace fs = std::filesystem;

bool regen() {
  const char* r = std::getenv("NFTC_REGEN");
  return r != nullptr && std::string(r) == "1";
}

void check_golden(const fs::path& expected, const std::string& got) {
  if (regen()) {
    write_file(expected, got);
    return;
  }
  INFO("golden file: " << expected.string() << " (NFTC_REGEN=1 rewrites it)");
  REQUIRE(fs::exists(expected));
  CHECK(read_file(expected) == got);
}

}  // namespace

TEST_CASE("listing golden files") {
  setenv("TZ", "UTC-2", 1);
  const fs::path dir = fs::path(NFTC_TESTS_DIR) / "golden" / "listing";
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".nft") inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE_FALSE(inputs.empty());
  for (const fs::path& in : inputs) {
    CAPTURE(in.string());
    nftc::TextCompileRequest req;
    req.name = in.filename().string();
    req.text = read_file(in);
    req.listing = true;
    req.listing_json = true;
    nftc::TextCompileResult res = nftc::compile_text(req);
    INFO(res.diagnostics);
    REQUIRE(res.ok);
    check_golden(fs::path(in.string() + ".list"), res.listing);
    check_golden(fs::path(in.string() + ".json"), nlohmann::ordered_json::parse(res.json).dump(2) + "\n");
  }
}

TEST_CASE("a listing is a fixed point: the listing of a listing is itself") {
  setenv("TZ", "UTC-2", 1);
  const fs::path dir = fs::path(NFTC_TESTS_DIR) / "golden" / "listing";
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".nft") continue;
    CAPTURE(e.path().string());
    nftc::TextCompileRequest req;
    req.text = read_file(e.path());
    req.listing = true;
    nftc::TextCompileResult first = nftc::compile_text(req);
    REQUIRE(first.ok);
    req.text = first.listing;
    nftc::TextCompileResult second = nftc::compile_text(req);
    INFO(second.diagnostics);
    REQUIRE(second.ok);
    CHECK(second.listing == first.listing);
  }
}

TEST_CASE("JSON text has nft's layout: one line, \", \" and \": \" separators") {
  nftc::json_text::Json j = {{"a", 1}, {"b", nftc::json_text::Json::array({"x", nullptr})}, {"c", "q\"/"}};
  CHECK(nftc::json_text::to_text(j) == "{\"a\": 1, \"b\": [\"x\", null], \"c\": \"q\\\"/\"}\n");
}
