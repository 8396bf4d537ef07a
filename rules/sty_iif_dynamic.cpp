// STY006: iif/oif on interfaces that come and go.
#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>

#include <array>

#include "rules/rules.hpp"

namespace nftc::lint {

namespace {

// Interfaces created and destroyed at run time, by the tools that name them so.
constexpr std::array<std::string_view, 16> kDynamicPrefixes = {
    "ppp", "wg", "tun", "tap", "vpn", "l2tp", "ipsec", "vti", "gre", "docker", "veth", "virbr", "vnet", "lxc",
    "br-", "wwan"};

bool dynamic_name(std::string_view name) {
  for (std::string_view p : kDynamicPrefixes)
    if (name.substr(0, p.size()) == p) return true;
  return false;
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

void check_sty_iif_dynamic(const LintContext& ctx, Findings& out) {
  for (const ChainView& v : chain_views(ctx)) {
    for (const RuleModel& r : v.rules) {
      for (const Match& m : r.matches) {
        bool iif = m.field.id == fields::meta(NFT_META_IIF);
        bool oif = m.field.id == fields::meta(NFT_META_OIF);
        if (!iif && !oif) continue;
        // The names as written: the value, or each element of a set.
        std::vector<const sema::Expr*> values;
        for_each_expr(m.expr->right, [&](const sema::Expr* e) {
          if (e->kind == sema::Kind::value) values.push_back(e);
        });
        for (const sema::Expr* e : values) {
          std::string_view name = unquote(ctx.text(e->span));
          if (!dynamic_name(name)) continue;
          std::string_view kw = iif ? "iif" : "oif";
          out.report(e->span, fmt::format("{} turns '{}' into an interface index when the rule is loaded: when the "
                                          "interface is recreated it gets a new index and the rule stops matching",
                                          kw, name))
              .with_help(fmt::format("match the name instead: {}name \"{}\"", kw, name));
        }
      }
    }
  }
}

}  // namespace

const LintRule kIifOnDynamicInterface{
    .code = "STY006",
    .slug = "iif-on-dynamic-interface",
    .category = Category::style,
    .severity = Severity::warning,
    .since = "0.1",
    .summary = "`iif`/`oif` names an interface that is created and destroyed at run time",
    .doc = {.what = "Finds `iif`/`oif` matches on interfaces whose names say they come and go: ppp, WireGuard, "
                    "tun/tap, VPN and container interfaces.",
            .why = "`iif` compares interface indexes, resolved once when the rule is loaded (and loading fails if "
                   "the interface does not exist yet). A reconnecting PPP or VPN link gets a new index and the "
                   "rule silently stops matching.",
            .example = "iif ppp0 accept",
            .instead = "iifname \"ppp0\" accept",
            .fix_safety = "Switching to iifname is safe for matching; it is a little slower (a string "
                          "comparison)."},
    .check = check_sty_iif_dynamic,
};

}  // namespace nftc::lint
