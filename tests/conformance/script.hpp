// The nft scripts the runner compiles: the context nft-test.py creates for a
// case, then the command under test, one command a line.
#pragma once

#include <string>
#include <string_view>

#include "tests/conformance/suite.hpp"

namespace nftc::conformance {

// `add table`, `add chain` for each of the table's chains, then its objects,
// then its sets and maps, each followed by one `add element` per `?` line.
std::string context_script(const TableContext& t);

std::string set_command(const TableContext& t, const Set& s);
std::string elements_command(const TableContext& t, const Elements& e);
std::string object_command(const TableContext& t, const Object& o);
// `add rule <family> <table> <chain> <rule>`, for the case's rule or another
// text in its chain (the canonical form).
std::string rule_command(const TestCase& c);
std::string rule_command(const TestCase& c, std::string_view rule);
// The command a context line runs in table `t`.
std::string context_line_command(const TableContext& t, const ContextLine& line);

// The context of the case's table followed by its rule.
std::string case_script(const TestCase& c);

}  // namespace nftc::conformance
