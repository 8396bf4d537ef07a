// OFF001: an expression, operator, field, meta key or verdict the kernel
// cannot offload, in a chain with flags offload.
#include <fmt/format.h>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

using offload::Reason;

bool ours(Reason r) {
  switch (r) {
    case Reason::no_action:
    case Reason::named_counter:
    case Reason::needs_l3:
    case Reason::needs_l4: return false;
    default: return true;
  }
}

std::string help_for(const offload::Problem& p) {
  switch (p.reason) {
    case Reason::cmp_operator:
      return "match the values that pass with `==` in separate rules, or move this match to a software chain";
    case Reason::unsupported:
      return "keep stateful and set-based matching in a software chain (for instance an inet filter chain); "
             "offload chains take one equality match per field";
    case Reason::field:
    case Reason::meta_key:
    case Reason::iiftype_value:
      return "the hardware matches Ethernet/VLAN headers, IPv4/IPv6 addresses and protocol, TCP/UDP ports, "
             "`meta protocol`, `meta l4proto`, `iif` and `iiftype ether`";
    case Reason::field_too_long: return "load it with nftc (`nftc apply`), which keeps one load per field";
    case Reason::bitwise: return "use a prefix (`ip saddr 10.0.0.0/8`) or a whole-field mask";
    case Reason::verdict: return "end offloaded rules with `accept`, `drop`, `fwd to \"dev\"` or `dup to \"dev\"`";
    case Reason::fwd_dup_target: return "name the device literally: `fwd to \"eth1\"`";
    case Reason::too_new: return fmt::format("this needs Linux {} or later (--kernel)", offload::kernel_name(p.since));
    default: return {};
  }
}

void check_off_unsupported(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx)) {
    for (const offload_lint::RuleCheck& rc : offload_lint::check_rules(ctx, *c)) {
      for (const offload::Problem& p : rc.verdict.problems) {
        if (!ours(p.reason)) continue;
        Diagnostic& d = out.report(p.span.valid() ? p.span : rc.rule->span, p.message, offload_lint::refused(ctx));
        if (std::string h = help_for(p); !h.empty()) d.with_help(std::move(h));
        d.with_related(c->offload_span.valid() ? c->offload_span : c->name_span, "the chain is offloaded here");
      }
    }
  }
}

}  // namespace

const LintRule kOffloadUnsupported{
    .code = "OFF001",
    .slug = "offload-unsupported-expression",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "an expression, operator, field or verdict the kernel cannot offload, in an offload chain",
    .doc = {.what = "In chains with `flags offload`, finds what the kernel has no hardware form for: conntrack, "
                    "sets, maps and verdict maps, ranges, comparisons other than `==`, limits, logging, reject, NAT, "
                    "jump and goto, meta keys other than protocol/l4proto/iif/iiftype, header fields other than "
                    "Ethernet/VLAN, IPv4/IPv6 addresses and protocol and TCP/UDP ports, and masks the hardware "
                    "cannot express. The finding points at the sub-expression the kernel stops at. With "
                    "`--kernel X.Y`, constructs offloaded only by later kernels (counters before 5.13, VLAN before "
                    "5.5) are reported too.",
            .why = "The kernel turns each rule of an offload chain into a hardware classifier. One expression "
                   "without a hardware form makes it refuse the whole rule with a bare \"Operation not "
                   "supported\", and the batch is not loaded.",
            .example = "table netdev filter {\n  chain ingress {\n    type filter hook ingress device \"eth0\" "
                       "priority 1; flags offload;\n    tcp dport { 22, 80 } drop\n  }\n}",
            .instead = "table netdev filter {\n  chain ingress {\n    type filter hook ingress device \"eth0\" "
                       "priority 1; flags offload;\n    tcp dport 22 drop\n    tcp dport 80 drop\n  }\n}",
            .fix_safety = "No automatic fix: splitting sets, ranges and `!=` into rules changes the rule count and, "
                          "for `!=`, the logic."},
    .check = check_off_unsupported,
};

}  // namespace nftc::lint
