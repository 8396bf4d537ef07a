// STY001: an inline suppression that suppresses nothing. The engine reports
// it while applying suppressions (see engine.cpp); this file holds its row.
#include "rules/rules.hpp"

namespace nftc::lint {

const LintRule kUnusedSuppression{
    .code = "STY001",
    .slug = "unused-suppression",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a `# nftc: ignore[CODE]` comment suppresses no finding",
    .doc = {.what = "Reports suppression comments whose codes match no finding on their line or the next one, and "
                    "suppressions that name an error (errors cannot be suppressed).",
            .why = "A stale suppression hides the next real finding of that code on the line, and misleads "
                   "readers about what the line does.",
            .example = "tcp dport 22 accept  # nftc: ignore[COR002]",
            .instead = "tcp dport 22 accept",
            .fix_safety = "Removing an unused suppression is safe: it changes no finding that is reported now."},
    .check = nullptr,
};

}  // namespace nftc::lint
