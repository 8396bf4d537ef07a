// Bytecode expressions as libnftnl expressions, attribute by attribute as
// nft's netlink_linearize.c sets them.
#pragma once

#include "backends/netlink/nftnl.hpp"
#include "backends/netlink/writer.hpp"

#include <stdexcept>
#include <string>

namespace nftc::netlink {

// Something the kernel would take but libnftnl 1.2.4 cannot say, or the
// batch cannot express without the kernel's state. Reported as NLK001.
struct Unsupported : std::runtime_error {
  Span span;
  Unsupported(Span s, const std::string& what) : std::runtime_error(what), span(s) {}
};

// One expression as libnftnl holds it. Throws Unsupported for the ones
// libnftnl 1.2.4 does not know (inner, bitwise with a second register):
// put_rule_expr writes those attribute by attribute.
ExprPtr make_expr(const bc::Expr& expr);

// Appends the expression to the open rule message as an NFTA_LIST_ELEM of
// NFTA_RULE_EXPRESSIONS, and records its span.
void put_rule_expr(Writer& w, const bc::Expr& expr);

}  // namespace nftc::netlink
