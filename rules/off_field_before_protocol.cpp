// OFF002: a network or transport header field matched before the rule has
// matched the protocol that says where that header is.
#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_off_field_before_protocol(const LintContext& ctx, Findings& out) {
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const offload_lint::RuleCheck& rc : offload_lint::check_rules(ctx, *c))
      for (const offload::Problem& p : rc.verdict.problems) {
        if (p.reason != offload::Reason::needs_l3 && p.reason != offload::Reason::needs_l4) continue;
        out.report(p.span.valid() ? p.span : rc.rule->span, p.message, offload_lint::refused(ctx))
            .with_help(p.reason == offload::Reason::needs_l4
                           ? "write the protocol's own field (`tcp dport 22`), or match `meta l4proto tcp` before it"
                           : "write the protocol's own field (`ip saddr`), or match `meta protocol ip` before it");
      }
}

}  // namespace

const LintRule kOffloadFieldBeforeProto{
    .code = "OFF002",
    .slug = "offload-field-before-protocol",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "a header field is matched before the protocol that locates it, in an offload chain",
    .doc = {.what = "In chains with `flags offload`, finds network header fields matched before the rule matched "
                    "the network protocol (`meta protocol`, `ether type`, `vlan type`), and transport header fields "
                    "(`th dport`) matched before the transport protocol (`meta l4proto`, `ip protocol`, `ip6 "
                    "nexthdr`).",
            .why = "The kernel builds the hardware key in rule order: it must already know from an earlier match "
                   "that the packet is IPv4 or TCP to tell the hardware what the bytes at that offset are. "
                   "Otherwise it refuses the rule. nft adds the dependency for `tcp dport` but not for `th dport`.",
            .example = "th dport 22 drop",
            .instead = "meta l4proto tcp th dport 22 drop",
            .fix_safety = "No automatic fix: nftc cannot know which protocol is meant."},
    .check = check_off_field_before_protocol,
};

}  // namespace nftc::lint
