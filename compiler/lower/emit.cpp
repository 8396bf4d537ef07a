// A whole batch lowered in command order, and its `--emit bytecode` text:
// what `nft --debug=netlink` prints for the same commands (sets, element
// batches and rules; tables and chains print nothing there).
#include <fmt/format.h>

#include "backends/bytecode/print.hpp"
#include "compiler/lower/lower.hpp"

namespace nftc::lower {

namespace {

std::string element_batch_text(const bc::Set& set, const std::vector<bc::SetElement>& elements) {
  std::string out = fmt::format("{} {} 0\n", set.name, set.table);
  for (const bc::SetElement& el : elements) {
    out += '\t';
    out += bytecode_text::element_text(el, set);
  }
  out += '\n';
  return out;
}

}  // namespace

Emitted lower_analysis(const sema::Analysis& analysis, DiagnosticSink& sink) {
  Emitted out;
  LowerContext ctx;
  for (const sema::Action& a : analysis.actions) {
    try {
      switch (a.kind) {
        case sema::Action::Kind::add_set: {
          bc::Set s = lower_set(ctx, *a.set);
          out.text += bytecode_text::set_text(s);
          out.sets.push_back(std::move(s));
          break;
        }
        case sema::Action::Kind::add_elements: {
          bc::Set s = lower_set(ctx, *a.set);
          std::vector<bc::SetElement> elements = lower_elements(*a.set, a.elements, true, &s);
          if (elements.empty()) break;
          out.text += element_batch_text(s, elements);
          for (bc::Set& named : out.sets)
            if (named.name == s.name && named.table == s.table && named.family == s.family)
            {
              named.key_fields = s.key_fields;
              named.data_fields = s.data_fields;
              named.elements.insert(named.elements.end(), elements.begin(), elements.end());
            }
          break;
        }
        case sema::Action::Kind::add_rule: {
          bc::Rule r = lower_rule(ctx, *a.rule, *a.chain, a.anonymous_sets);
          out.text += bytecode_text::rule_text(r);
          out.rule_index[a.rule] = out.rules.size();
          out.rules.push_back(std::move(r));
          break;
        }
        default: break;
      }
    } catch (const LowerError& e) {
      sink.error("LOW001", e.span.valid() ? e.span : a.span, e.what());
    }
  }
  return out;
}

}  // namespace nftc::lower
