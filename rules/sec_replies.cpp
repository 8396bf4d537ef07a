// SEC001: an input chain that drops the replies to this host's own
// connections.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

constexpr std::uint64_t kCtEstablished = 1u << 1;  // NF_CT_STATE_BIT(IP_CT_ESTABLISHED)

void check_sec_replies(const LintContext& ctx, Findings& out) {
  std::vector<ChainView> chains = chain_views(ctx);
  // A TCP reply to a connection this host opened: established, to an
  // ephemeral port.
  Probe reply;
  reply.with(fields::ct_state(), sema::Value(kCtEstablished))
      .without(fields::meta(NFT_META_IIF), sema::Value(kLoopbackIndex))
      .without(fields::iifname(), string_value("lo", 128))
      .with(fields::meta(NFT_META_L4PROTO), sema::Value(6))
      .with(fields::ip_protocol(), sema::Value(6))
      .with(fields::ip6_nexthdr(), sema::Value(6))
      .with(fields::th_dport(), sema::Value(40000));
  for (const ChainView& v : chains) {
    if (!is_filter_hook(*v.chain, "input")) continue;
    if (probe_fate(chains, v, reply) != Fate::dropped) continue;
    Span at = v.chain->policy_span.valid() ? v.chain->policy_span : v.chain->span;
    Diagnostic& d = out.report(at, fmt::format("input chain '{}' drops the replies to connections this host opens",
                                               v.chain->name));
    d.with_help("accept established and related connections first: `ct state established,related accept`");
  }
}

}  // namespace

const LintRule kInputDropsReplies{
    .code = "SEC001",
    .slug = "input-drops-replies",
    .category = Category::security,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "an input chain drops packets of established connections",
    .doc = {.what = "Follows a TCP packet of an established connection (a reply to a connection this host opened) "
                    "through each input chain, jumps included, and reports chains where it can only be dropped.",
            .why = "Without `ct state established,related accept`, a default-drop input chain also drops the "
                   "answers to the host's own DNS queries, package downloads and outgoing SSH: the machine looks "
                   "broken in ways that are hard to trace to the firewall.",
            .example = "chain input {\n    type filter hook input priority filter; policy drop;\n    tcp dport 22 "
                       "accept\n}",
            .instead = "chain input {\n    type filter hook input priority filter; policy drop;\n    ct state "
                       "established,related accept\n    tcp dport 22 accept\n}",
            .fix_safety = "No automatic fix: where the accept belongs depends on the rest of the chain."},
    .check = check_sec_replies,
};

}  // namespace nftc::lint
