// The table of every lint rule: adding a rule means adding its file, its
// row here and its tests.
#include <algorithm>
#include <cctype>

#include "rules/lint.hpp"
#include "rules/offload.hpp"
#include "rules/rules.hpp"

namespace nftc::lint {

const std::vector<const LintRule*>& all_rules() {
  static const std::vector<const LintRule*> rules = [] {
    std::vector<const LintRule*> r = {
        &kRuleAfterUnconditionalVerdict,  // COR001
        &kShadowedRule,                   // COR002
        &kDuplicateRule,                  // COR003
        &kMatchNeverTrue,                 // COR004
        &kChainNeverReached,              // COR005
        &kInputDropsReplies,              // SEC001
        &kSshLockout,                     // SEC002
        &kInvalidNotDropped,              // SEC003
        &kLoopbackNotAccepted,            // SEC004
        &kUnusedSuppression,              // STY001
        &kUnusedSet,                      // STY002
        &kUnusedFlowtable,                // STY003
        &kUnusedObject,                   // STY004
        &kUnusedVariable,                 // STY005
        &kIifOnDynamicInterface,          // STY006
        &kDeprecatedSyntax,               // STY007
        // Hardware offload (rules/off_*.cpp)
        &kOffloadUnsupported,             // OFF001
        &kOffloadFieldBeforeProto,        // OFF002
        &kOffloadNoAction,                // OFF003
        &kOffloadNamedCounter,            // OFF004
        &kOffloadDuplicateField,          // OFF005
        &kOffloadMergedByNft,             // OFF006
        &kOffloadRuleInserted,            // OFF007
        &kOffloadChainFamily,             // OFF010
        &kOffloadChainHook,               // OFF011
        &kOffloadChainPriority,           // OFF012
        &kOffloadChainPolicy,             // OFF013
        &kOffloadChainDevice,             // OFF014
        &kFlowAddPlace,                   // OFF020
        &kFlowAddAfterEstablished,        // OFF022
        &kFlowtableFamily,                // OFF023
        &kFlowtableSharedDevice,          // OFF025
        &kFlowtableVirtualDevice,         // OFF026
        &kFlowNeverOffloaded,             // OFF027
        &kFlowBypassed,                   // OFF028
        // End of hardware offload
    };
    std::sort(r.begin(), r.end(), [](const LintRule* a, const LintRule* b) { return a->code < b->code; });
    return r;
  }();
  return rules;
}

std::string_view category_name(Category c) {
  switch (c) {
    case Category::correctness: return "correctness";
    case Category::security: return "security";
    case Category::style: return "style";
    case Category::offload: return "offload";
  }
  return "unknown";
}

const LintRule* find_rule(std::string_view name) {
  for (const LintRule* r : all_rules()) {
    if (r->slug == name) return r;
    if (r->code.size() == name.size() &&
        std::equal(name.begin(), name.end(), r->code.begin(),
                   [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; }))
      return r;
  }
  return nullptr;
}

const DiagnosticCode* describe_code(std::string_view code) {
  if (const DiagnosticCode* c = find_builtin_code(code)) return c;
  static std::vector<DiagnosticCode> lint_codes = [] {
    std::vector<DiagnosticCode> v;
    for (const LintRule* r : all_rules()) v.push_back({r->code, r->slug, r->summary});
    return v;
  }();
  for (const DiagnosticCode& c : lint_codes)
    if (c.code == code) return &c;
  return nullptr;
}

const bc::Rule* LintContext::bytecode_of(const sema::Rule* rule) const {
  auto it = bytecode.rule_index.find(rule);
  return it == bytecode.rule_index.end() ? nullptr : &bytecode.rules[it->second];
}

std::string_view LintContext::text(Span span) const { return span.valid() ? sm.text(span) : std::string_view{}; }

Diagnostic& Findings::report(Span primary, std::string message) {
  return report(primary, std::move(message), rule_.severity);
}

Diagnostic& Findings::report(Span primary, std::string message, Severity severity) {
  Diagnostic& d = out_.emplace_back();
  d.code = std::string(rule_.code);
  d.severity = severity;
  d.primary = primary;
  d.message = std::move(message);
  return d;
}

}  // namespace nftc::lint
