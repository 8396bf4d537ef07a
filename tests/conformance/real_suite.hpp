// For the unit tests that read the real suite: where it is, or nothing when
// it is missing (a skip, except under CI=true, where it is a failure).
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <string_view>

#include "tests/conformance/suite.hpp"

namespace nftc::conformance {

inline std::optional<Suite> real_suite_or_skip() {
#ifdef NFTC_SHARED_DIR
  if (std::optional<std::filesystem::path> root = locate_suite(NFTC_SHARED_DIR)) return load_suite(*root);
#endif
  const char* ci = std::getenv("CI");
  if (ci && std::string_view(ci) == "true") FAIL("the nftables test suite is not there, and CI=true");
  MESSAGE("the nftables test suite is not there; skipped");
  return std::nullopt;
}

}  // namespace nftc::conformance
