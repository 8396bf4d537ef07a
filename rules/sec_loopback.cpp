// SEC004: a default-drop input chain that drops loopback traffic.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_sec_loopback(const LintContext& ctx, Findings& out) {
  std::vector<ChainView> chains = chain_views(ctx);
  // A new TCP connection over the loopback device to some local service.
  Probe lo;
  lo.with(fields::ct_state(), sema::Value(kCtStateNew))
      .with(fields::meta(NFT_META_IIF), sema::Value(kLoopbackIndex))
      .with(fields::iifname(), string_value("lo", 128))
      .with(fields::meta(NFT_META_L4PROTO), sema::Value(6))
      .with(fields::ip_protocol(), sema::Value(6))
      .with(fields::ip6_nexthdr(), sema::Value(6))
      .with(fields::th_dport(), sema::Value(5432));
  for (const ChainView& v : chains) {
    if (!is_filter_hook(*v.chain, "input")) continue;
    if (probe_fate(chains, v, lo) != Fate::dropped) continue;
    Span at = v.chain->policy_span.valid() ? v.chain->policy_span : v.chain->span;
    Diagnostic& d = out.report(at, fmt::format("input chain '{}' drops traffic on the loopback interface: local "
                                               "programs cannot reach each other",
                                               v.chain->name));
    d.with_help("accept it early: `iif lo accept`");
  }
}

}  // namespace

const LintRule kLoopbackNotAccepted{
    .code = "SEC004",
    .slug = "loopback-not-accepted",
    .category = Category::security,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "a default-drop input chain drops new connections on the loopback interface",
    .doc = {.what = "Follows a new connection arriving on `lo` to a local service through each input chain and "
                    "reports chains where it can only be dropped.",
            .why = "Databases, resolvers, desktop sessions and many daemons talk over 127.0.0.1 and ::1. Dropping "
                   "loopback traffic breaks them in ways that look like application bugs.",
            .example = "chain input {\n    type filter hook input priority filter; policy drop;\n    ct state "
                       "established,related accept\n    tcp dport 22 accept\n}",
            .instead = "chain input {\n    type filter hook input priority filter; policy drop;\n    iif lo accept\n   "
                       " ct state established,related accept\n    tcp dport 22 accept\n}",
            .fix_safety = "No automatic fix."},
    .check = check_sec_loopback,
};

}  // namespace nftc::lint
