// SEC003: a stateful chain that can accept packets conntrack marks invalid.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

constexpr std::uint64_t kCtInvalid = 1;  // NF_CT_STATE_INVALID_BIT

bool uses_ct_state(const ChainView& v) {
  for (const RuleModel& r : v.rules)
    for (const Match& m : r.matches)
      if (m.exact && is_ct_state(m.field)) return true;
  return false;
}

void check_sec_invalid(const LintContext& ctx, Findings& out) {
  std::vector<ChainView> chains = chain_views(ctx);
  // An invalid packet from the network (loopback traffic is commonly and
  // rightly accepted before any state check).
  Probe invalid;
  invalid.with(fields::ct_state(), sema::Value(kCtInvalid))
      .without(fields::meta(NFT_META_IIF), sema::Value(kLoopbackIndex))
      .without(fields::iifname(), string_value("lo", 128));
  for (const ChainView& v : chains) {
    if (!is_filter_hook(*v.chain, "input") && !is_filter_hook(*v.chain, "forward")) continue;
    if (!uses_ct_state(v)) continue;  // a stateless ruleset: conntrack states are not its business
    if (!v.chain->policy || *v.chain->policy != NF_DROP) continue;  // default accept takes them anyway
    // The first rule that accepts an invalid packet outright, unless an
    // earlier rule surely drops it; jumps and lookups we cannot follow are
    // passed over silently.
    for (const RuleModel& r : v.rules) {
      if (!probe_may_match(r, invalid)) continue;
      VerdictKind verdict = r.verdict;
      if (verdict == VerdictKind::vmap) {
        std::string target;
        auto known = vmap_verdict(r, invalid, target);
        if (!known) continue;
        verdict = *known;
      }
      bool sure = probe_surely_matches(r, invalid);
      if ((verdict == VerdictKind::drop || verdict == VerdictKind::reject) && (sure || r.verdict == VerdictKind::vmap))
        break;
      if (verdict != VerdictKind::accept) continue;
      Diagnostic& d = out.report(r.rule->span, "this rule can accept packets that conntrack marks invalid: no "
                                               "earlier rule drops them");
      d.with_help("drop them first: `ct state invalid drop` (or add `invalid : drop` to a ct state verdict map)");
      break;
    }
  }
}

}  // namespace

const LintRule kInvalidNotDropped{
    .code = "SEC003",
    .slug = "invalid-not-dropped",
    .category = Category::security,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a default-drop input or forward chain accepts packets in `ct state invalid`",
    .doc = {.what = "In default-drop input and forward chains that match on `ct state`, finds the first rule that "
                    "could accept a packet conntrack marks invalid arriving from the network, when no earlier rule "
                    "drops such packets. Rules that accept only loopback traffic are not counted.",
            .why = "Invalid packets belong to no known connection (out-of-window TCP, malformed or spoofed "
                   "segments). Accepting them through a port rule lets scans and evasion tricks through that the "
                   "state tracking would have stopped.",
            .example = "ct state established,related accept\ntcp dport 22 accept",
            .instead = "ct state invalid drop\nct state established,related accept\ntcp dport 22 accept",
            .fix_safety = "No automatic fix."},
    .check = check_sec_invalid,
};

}  // namespace nftc::lint
