// SEC002: a default-drop input path where nothing can accept SSH.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

void check_sec_ssh(const LintContext& ctx, Findings& out) {
  std::vector<ChainView> chains = chain_views(ctx);
  // A new SSH connection from anywhere, on any interface.
  Probe ssh;
  ssh.with(fields::ct_state(), sema::Value(kCtStateNew))
      .without(fields::meta(NFT_META_IIF), sema::Value(kLoopbackIndex))
      .without(fields::iifname(), string_value("lo", 128))
      .with(fields::meta(NFT_META_L4PROTO), sema::Value(6))
      .with(fields::ip_protocol(), sema::Value(6))
      .with(fields::ip6_nexthdr(), sema::Value(6))
      .with(fields::th_dport(), sema::Value(22));
  for (const ChainView& v : chains) {
    if (!is_filter_hook(*v.chain, "input")) continue;
    if (probe_fate(chains, v, ssh) != Fate::dropped) continue;
    Span at = v.chain->policy_span.valid() ? v.chain->policy_span : v.chain->span;
    Diagnostic& d = out.report(at, fmt::format("input chain '{}' drops SSH from everywhere: loading this ruleset on a "
                                               "remote machine cuts off remote administration",
                                               v.chain->name));
    d.with_help("accept SSH from where you administer the machine, e.g. `ip saddr 192.0.2.0/24 tcp dport 22 "
                "accept`, or ignore this finding on machines you reach another way");
  }
}

}  // namespace

const LintRule kSshLockout{
    .code = "SEC002",
    .slug = "ssh-lockout",
    .category = Category::security,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "no rule of a default-drop input path can accept a new SSH connection",
    .doc = {.what = "Follows a new TCP connection to port 22 from an arbitrary address through each input chain, "
                    "jumps and verdict maps included. When no rule can accept it, the finding fires. A rule that "
                    "accepts SSH from some addresses or interfaces only counts as accepting it.",
            .why = "Applying such a ruleset over SSH locks its author out; recovering needs console access.",
            .example = "chain input {\n    type filter hook input priority filter; policy drop;\n    ct state "
                       "established,related accept\n    tcp dport { 80, 443 } accept\n}",
            .instead = "chain input {\n    type filter hook input priority filter; policy drop;\n    ct state "
                       "established,related accept\n    tcp dport { 22, 80, 443 } accept\n}",
            .fix_safety = "No automatic fix: which addresses may administer the machine is a policy decision."},
    .check = check_sec_ssh,
};

}  // namespace nftc::lint
