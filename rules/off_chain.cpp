// OFF010–OFF014: a chain with flags offload that the kernel refuses or never
// offloads. The checks are compiler/offload/chains.cpp's; each rule reports
// one kind of issue.
#include <fmt/format.h>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

using offload::ChainIssue;

template <ChainIssue... Issues>
void report_issues(const LintContext& ctx, Findings& out, void (*extra)(const LintContext&, const sema::Chain&, Diagnostic&)) {
  unsigned k = offload_lint::kernel(ctx);
  for (const sema::Chain* c : offload_lint::offload_chains(ctx))
    for (const offload::ChainProblem& p : offload::check_chain(*c, k)) {
      if (((p.issue != Issues) && ...)) continue;
      Diagnostic& d = out.report(p.span, p.message, p.refused ? offload_lint::refused(ctx) : offload_lint::useless(ctx));
      if (extra) extra(ctx, *c, d);
    }
}

void family_help(const LintContext&, const sema::Chain& c, Diagnostic& d) {
  if (!c.base)
    d.with_help("put `flags offload` on the netdev ingress base chain that jumps here, and the rules in it");
  else
    d.with_help("hardware offload chains are `type filter hook ingress device \"eth0\" priority 1; flags offload;` "
                "in a netdev table; drop `flags offload` here");
}

void hook_help(const LintContext&, const sema::Chain&, Diagnostic& d) {
  d.with_help("use `hook ingress`: the hardware classifies packets as they arrive");
}

void priority_help(const LintContext&, const sema::Chain& c, Diagnostic& d) {
  std::string to = c.priority < 1 ? "1" : "65535";
  d.with_help(fmt::format("use a priority between 1 and 65535, for instance {}", to));
  if (c.priority_span.valid())
    d.with_fix(Fix{fmt::format("set the priority to {}", to), false, {TextEdit{c.priority_span, to}}});
}

// `policy drop` → `policy accept` and a last rule `drop`: the same in
// software, and offloadable. Safe only when every rule of the chain is
// written inside its block (a later `add rule` would land after the drop).
void policy_fix(const LintContext& ctx, const sema::Chain& c, Diagnostic& d) {
  d.with_help("keep `policy accept` and end the chain with a rule `drop`, which the hardware takes");
  if (!c.policy_span.valid() || !c.span.valid()) return;
  for (const sema::Rule* r : c.rules)
    if (r->span.file != c.span.file || r->span.begin < c.span.begin || r->span.end > c.span.end) return;
  std::string_view block = ctx.text(c.span);
  std::size_t brace = block.rfind('}');
  if (brace == std::string_view::npos) return;
  std::size_t line = block.rfind('\n', brace);
  std::string_view before = block.substr(line == std::string_view::npos ? 0 : line + 1,
                                         brace - (line == std::string_view::npos ? 0 : line + 1));
  std::string insert;
  if (line != std::string_view::npos && before.find_first_not_of(" \t") == std::string_view::npos) {
    std::string indent(before);
    insert = (indent.find('\t') != std::string::npos ? "\t" : "  ") + std::string("drop\n") + indent;
  } else {
    insert = "drop; ";
  }
  std::uint32_t at = c.span.begin + static_cast<std::uint32_t>(brace);
  std::string_view policy = ctx.text(c.policy_span);
  Span word = offload_lint::find_word(ctx, c.policy_span, "drop");
  if (policy.find("drop") == std::string_view::npos) return;
  d.with_fix(Fix{"make the policy accept and end the chain with a rule `drop`",
                 true,
                 {TextEdit{word, "accept"}, TextEdit{Span{c.span.file, at, at}, insert}}});
}

void device_help(const LintContext&, const sema::Chain&, Diagnostic& d) {
  d.with_help("name the device to offload to: `type filter hook ingress device \"eth0\" priority 1;`");
}

void check_family(const LintContext& ctx, Findings& out) {
  report_issues<ChainIssue::not_netdev, ChainIssue::not_base>(ctx, out, family_help);
}
void check_hook(const LintContext& ctx, Findings& out) { report_issues<ChainIssue::hook>(ctx, out, hook_help); }
void check_priority(const LintContext& ctx, Findings& out) {
  report_issues<ChainIssue::priority>(ctx, out, priority_help);
}
void check_policy(const LintContext& ctx, Findings& out) {
  report_issues<ChainIssue::policy_drop>(ctx, out, policy_fix);
}
void check_device(const LintContext& ctx, Findings& out) {
  report_issues<ChainIssue::no_device>(ctx, out, device_help);
}

constexpr std::string_view kOffloadChain =
    "table netdev filter {\n  chain ingress {\n    type filter hook ingress device \"eth0\" priority 1; flags "
    "offload;\n    ip saddr 192.0.2.1 drop\n  }\n}";

}  // namespace

const LintRule kOffloadChainFamily{
    .code = "OFF010",
    .slug = "offload-chain-not-netdev-ingress",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "`flags offload` on a chain that is not a netdev base chain",
    .doc = {.what = "Finds `flags offload` on regular chains and on base chains of the ip, ip6, inet, bridge and "
                    "arp families.",
            .why = "Only netdev ingress base chains are bound to a NIC. The kernel refuses `flags offload` on "
                   "regular chains and inet ingress chains, but accepts it on other base chains whose priority is "
                   "between 1 and 65535 and then offloads nothing: the flag is silently useless.",
            .example = "table inet filter {\n  chain input {\n    type filter hook input priority 10; flags "
                       "offload;\n  }\n}",
            .instead = std::string_view(kOffloadChain),
            .fix_safety = "No automatic fix."},
    .check = check_family,
};

const LintRule kOffloadChainHook{
    .code = "OFF011",
    .slug = "offload-chain-hook",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "`flags offload` on a netdev chain of a hook other than ingress",
    .doc = {.what = "Finds netdev chains with `flags offload` on the egress hook.",
            .why = "The kernel offloads ingress chains only. On kernels from 6.16 it accepts an egress offload "
                   "chain whose device does not exist yet, and refuses it as soon as the device is there.",
            .example = "type filter hook egress device \"eth0\" priority 1; flags offload;",
            .instead = "type filter hook ingress device \"eth0\" priority 1; flags offload;",
            .fix_safety = "No automatic fix: the hook decides which packets the chain sees."},
    .check = check_hook,
};

const LintRule kOffloadChainPriority{
    .code = "OFF012",
    .slug = "offload-chain-priority",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "an offload chain's priority is outside 1..65535",
    .doc = {.what = "Finds chains with `flags offload` whose priority is 0, negative, or above 65535 (named "
                    "priorities included: `filter` is 0).",
            .why = "The kernel passes the priority to the driver as the tc priority, a number from 1 to 65535, "
                   "and refuses the chain (\"Operation not supported\") otherwise.",
            .example = "type filter hook ingress device \"eth0\" priority filter; flags offload;",
            .instead = "type filter hook ingress device \"eth0\" priority 1; flags offload;",
            .fix_safety = "Unsafe: the priority also orders the chain among the other chains of the hook."},
    .check = check_priority,
};

const LintRule kOffloadChainPolicy{
    .code = "OFF013",
    .slug = "offload-chain-policy-drop",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "an offload chain has policy drop",
    .doc = {.what = "Finds netdev chains with `flags offload` and `policy drop`.",
            .why = "The hardware has no default verdict: the kernel refuses the policy, but only when the batch "
                   "is committed, so `nft -c` passes it and loading fails with \"Operation not supported\".",
            .example = "chain ingress {\n  type filter hook ingress device \"eth0\" priority 1; policy drop; flags "
                       "offload;\n  ip saddr 192.0.2.1 accept\n}",
            .instead = "chain ingress {\n  type filter hook ingress device \"eth0\" priority 1; policy accept; flags "
                       "offload;\n  ip saddr 192.0.2.1 accept\n  drop\n}",
            .fix_safety = "Safe when the chain's rules are all written in its block: a last rule `drop` does what "
                          "the policy did. Not offered otherwise."},
    .check = check_policy,
};

const LintRule kOffloadChainDevice{
    .code = "OFF014",
    .slug = "offload-chain-without-device",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "an offload chain names no device",
    .doc = {.what = "Finds netdev chains with `flags offload` and no `device` or an empty `devices` list.",
            .why = "The kernel binds an offload chain to the hardware of its devices; with none it refuses the "
                   "chain (\"Invalid argument\").",
            .example = "type filter hook ingress priority 1; flags offload;",
            .instead = "type filter hook ingress device \"eth0\" priority 1; flags offload;",
            .fix_safety = "No automatic fix."},
    .check = check_device,
};

}  // namespace nftc::lint
