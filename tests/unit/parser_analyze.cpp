// PEGTL's grammar analysis: no rule of the grammar can loop without
// consuming input (which would hang the parser on some input).
#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "compiler/parse_control.hpp"
#include "grammar/ruleset.hpp"

namespace g = nftc::grammar;

TEST_CASE("the grammar has no rule that can loop without consuming input") {
  CHECK(tao::pegtl::analyze<g::file>() == 0);
}

TEST_CASE("the grammars of included files have no such rule either") {
  // An included file is parsed as a sequence of the items of the block that
  // includes it.
  CHECK(tao::pegtl::analyze<g::included_file<g::top_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::table_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::chain_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::set_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::map_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::flowtable_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::tunnel_item>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::obj_item<g::counter_config>>>() == 0);
  CHECK(tao::pegtl::analyze<g::included_file<g::obj_item<g::ct_timeout_config>>>() == 0);
}
