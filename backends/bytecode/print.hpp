// The bytecode text backend: rules and sets in the text of
// `nft --debug=netlink` with a libnftnl that prints values in their exact
// length and byte order (its data_reg changes of late 2025; Debian's 1.2.4
// prints whole 32-bit words). This is the format of the nftables test
// suite's .payload files:
//
//   __set%d test-ip4 3 size 2
//   __set%d test-ip4 0
//   	element 00000016	element 00000050
//   ip test-ip4 input
//     [ payload load 2b @ transport header + 2 => reg 1 ]
//     [ lookup reg 1 set __set%d ]
#pragma once

#include <iosfwd>
#include <string>

#include "compiler/bytecode.hpp"

namespace nftc::bytecode_text {

struct PrintOptions {
  // Print the rule's anonymous sets before it, as nft does.
  bool anonymous_sets = true;
};

// The set lines, the "family table chain" line, one "  [ … ]" line per
// expression, and the userdata line of a commented rule.
void print_rule(std::ostream& out, const bc::Rule& rule, const PrintOptions& opts = {});
std::string rule_text(const bc::Rule& rule, const PrintOptions& opts = {});

// The set's creation line; with elements, the line nft prints when adding
// them ("name table 0") and the tab-separated element line.
void print_set(std::ostream& out, const bc::Set& set);
std::string set_text(const bc::Set& set);

// One expression as it appears in its brackets: "[ cmp eq reg 1 0x06 ]".
std::string expr_text(const bc::Expr& expr);

// An operand as libnftnl prints it: "0x" and eight hex digits per four
// bytes, the last group shorter; a host-endian value is read back to front
// on a little-endian host so that it reads as a number.
std::string value_text(const bc::Value& value);

// One element as the element line shows it, without the leading tab:
// "element 0a000001 . 0050 : accept flags 1".
std::string element_text(const bc::SetElement& element, const bc::Set& set);

}  // namespace nftc::bytecode_text
