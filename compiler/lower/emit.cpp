// A whole batch lowered in command order, and its `--emit bytecode` text:
// what `nft --debug=netlink` prints for the same commands (sets, element
// batches and rules; tables and chains print nothing there).
#include <fmt/format.h>

#include "backends/bytecode/print.hpp"
#include "compiler/lower/lower.hpp"

namespace nftc::lower {

namespace {

std::string element_batch_head(const bc::Set& set) { return fmt::format("{} {} 0\n", set.name, set.table); }

}  // namespace

Emitted lower_analysis(const sema::Analysis& analysis, DiagnosticSink& sink, const LowerOptions& opts) {
  Emitted out;
  LowerContext ctx;
  for (const sema::Action& a : analysis.actions) {
    try {
      switch (a.kind) {
        case sema::Action::Kind::add_set: {
          bc::Set s = lower_set(ctx, *a.set);
          if (opts.text) out.text += bytecode_text::set_text(s);
          if (opts.bytecode) out.sets.push_back(std::move(s));
          break;
        }
        case sema::Action::Kind::add_elements: {
          bc::Set s = lower_set(ctx, *a.set);
          // Elements are printed as they are built and kept only when asked.
          std::vector<bc::SetElement> elements;
          std::string text;
          bool any = false;
          if (opts.bytecode && a.elements != nullptr) elements.reserve(a.elements->items.size());
          lower_elements(*a.set, a.elements, true, &s, [&](bc::SetElement&& el) {
            if (opts.text) {
              if (!any) text = element_batch_head(s);
              text += '\t';
              text += bytecode_text::element_text(el, s);
            }
            any = true;
            if (opts.bytecode) elements.push_back(std::move(el));
          });
          if (!any) break;
          if (opts.text) {
            text += '\n';
            out.text += text;
          }
          if (!opts.bytecode) break;
          // Every declaration of the set gets the elements: copies for all but
          // the last, which takes them.
          bc::Set* last = nullptr;
          for (bc::Set& named : out.sets)
            if (named.name == s.name && named.table == s.table && named.family == s.family) {
              if (last != nullptr) last->elements.insert(last->elements.end(), elements.begin(), elements.end());
              last = &named;
              named.key_fields = s.key_fields;
              named.data_fields = s.data_fields;
            }
          if (last == nullptr) break;
          if (last->elements.empty()) last->elements = std::move(elements);
          else last->elements.insert(last->elements.end(), std::make_move_iterator(elements.begin()),
                                     std::make_move_iterator(elements.end()));
          break;
        }
        case sema::Action::Kind::add_rule: {
          bc::Rule r = lower_rule(ctx, *a.rule, *a.chain, a.anonymous_sets);
          if (opts.text) out.text += bytecode_text::rule_text(r);
          if (!opts.bytecode) break;
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
