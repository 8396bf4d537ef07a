// Whole-file reads and writes for the tests.
#pragma once

#include <filesystem>
#include <string>

namespace nftc::test {

// The bytes of `p`; empty when it cannot be read.
std::string read_file(const std::filesystem::path& p);
// Replaces `p` with `text`.
void write_file(const std::filesystem::path& p, const std::string& text);

}  // namespace nftc::test
