// The lint framework: rules, the table of all rules, and what a rule sees.
//
// A rule is one file in rules/ defining a `LintRule` with its documentation
// and a check function; registry.cpp lists every rule once. Checks read the
// analysed ruleset (typed IR and bytecode) and report findings; the engine
// decides which rules run, applies suppressions and the configuration, and
// hands the findings to the renderers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/lower/lower.hpp"
#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/sema/analyzer.hpp"

namespace nftc::lint {

enum class Category { correctness, security, style, offload };
std::string_view category_name(Category c);

// What the ruleset is compiled for.
enum class Target { sw, hw_offload };

struct RuleDoc {
  std::string_view what;        // What it does
  std::string_view why;         // Why is this bad
  std::string_view example;     // Example (nft text)
  std::string_view instead;     // Use instead (nft text)
  std::string_view fix_safety;  // whether and how the finding's fix can change meaning
};

struct LintContext;
class Findings;

struct LintRule {
  std::string_view code;  // stable: COR001, SEC002, OFF010, ...
  std::string_view slug;  // the bad pattern: rule-after-unconditional-verdict
  Category category;
  Severity severity;      // the default
  std::string_view since; // the nftc version that introduced it
  std::string_view summary;
  RuleDoc doc;
  void (*check)(const LintContext& ctx, Findings& out);
};

// Every rule, in code order.
const std::vector<const LintRule*>& all_rules();
// A rule by code (any case) or slug.
const LintRule* find_rule(std::string_view code_or_slug);
// For renderers that carry rule metadata (SARIF): lint rules and built-in codes.
const DiagnosticCode* describe_code(std::string_view code);

// What a check sees: the whole analysed batch.
struct LintContext {
  const SourceManager& sm;
  const ast::Script& script;
  const sema::Analysis& analysis;
  const lower::Emitted& bytecode;
  Target target = Target::sw;
  // The kernel the offload checks assume (major * 1000 + minor).
  unsigned kernel = 0;

  // The bytecode of a rule, or nullptr when it could not be lowered.
  const bc::Rule* bytecode_of(const sema::Rule* rule) const;
  // The source text of a span.
  std::string_view text(Span span) const;
};

// Where a check reports: the rule's code and default severity are applied;
// a check only states the problem.
class Findings {
 public:
  Findings(const LintRule& rule, std::vector<Diagnostic>& out) : rule_(rule), out_(out) {}
  Diagnostic& report(Span primary, std::string message);
  // For findings whose severity is not the rule's default.
  Diagnostic& report(Span primary, std::string message, Severity severity);

 private:
  const LintRule& rule_;
  std::vector<Diagnostic>& out_;
};

}  // namespace nftc::lint
