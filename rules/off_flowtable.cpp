// OFF023, OFF025, OFF026: flowtables the kernel refuses, or cannot offload
// to hardware: the wrong family (the hook is KRN007's), a device in two flowtables, virtual
// devices under `flags offload`.
#include <fmt/format.h>

#include <map>

#include "rules/offload.hpp"

namespace nftc::lint {

namespace {

void check_family(const LintContext& ctx, Findings& out) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Flowtable* f : t->flowtables)
      if (!offload::flowtable_family_ok(static_cast<std::uint32_t>(t->family)))
        out.report(f->span,
                   fmt::format("flowtable '{}' in a table of the {} family: the kernel has flowtables for ip, ip6 and "
                               "inet tables only and refuses it",
                               f->name, offload::family_name(static_cast<std::uint32_t>(t->family))),
                   offload_lint::refused(ctx))
            .with_help("define the flowtable, and the forward chain that uses it, in an inet table");
}

void check_shared(const LintContext& ctx, Findings& out) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables) {
    std::map<std::string, const sema::Flowtable*> owner;
    for (const sema::Flowtable* f : t->flowtables)
      for (const std::string& d : f->devices) {
        auto [it, fresh] = owner.emplace(d, f);
        if (fresh || it->second == f) continue;
        out.report(offload_lint::device_span(ctx, *f, d),
                   fmt::format("device {} is already in flowtable '{}' of this table: the kernel allows a device in "
                               "one flowtable per table and refuses this one (\"File exists\")",
                               d, it->second->name),
                   offload_lint::refused(ctx))
            .with_related(offload_lint::device_span(ctx, *it->second, d), "first listed here")
            .with_help("list each device in one flowtable; send all the flows through it");
      }
  }
}

void check_virtual(const LintContext& ctx, Findings& out) {
  for (const sema::Table* t : ctx.analysis.ruleset.tables)
    for (const sema::Flowtable* f : t->flowtables) {
      bool hw = (f->flags & NFT_FLOWTABLE_HW_OFFLOAD) || ctx.target == Target::hw_offload;
      if (!hw) continue;
      for (const std::string& d : f->devices) {
        const offload::VirtualDevice* v = offload::virtual_device(d);
        if (v == nullptr) continue;
        out.report(offload_lint::device_span(ctx, *f, d),
                   fmt::format("{} looks like a {} device, which cannot offload flows to hardware: the kernel refuses "
                               "a flowtable with flags offload on it (\"Operation not supported\")",
                               d, v->kind),
                   offload_lint::refused(ctx))
            .with_help(fmt::format("list {} instead (the kernel follows the path from the {} device to them), or "
                                   "drop `flags offload` for a software flowtable",
                                   v->advice, v->kind));
      }
    }
}

}  // namespace

const LintRule kFlowtableFamily{
    .code = "OFF023",
    .slug = "flowtable-family",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "a flowtable in a netdev, bridge or arp table",
    .doc = {.what = "Finds flowtables declared in tables of families other than ip, ip6 and inet.",
            .why = "The kernel registers flowtable types for IPv4, IPv6 and inet only; elsewhere it refuses the "
                   "flowtable (\"No such file or directory\").",
            .example = "table netdev edge { flowtable ft { hook ingress priority 0; devices = { eth0 }; } }",
            .instead = "table inet fw { flowtable ft { hook ingress priority 0; devices = { eth0 }; } }",
            .fix_safety = "No automatic fix."},
    .check = check_family,
};

const LintRule kFlowtableSharedDevice{
    .code = "OFF025",
    .slug = "flowtable-device-in-two-flowtables",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "one device in two flowtables of a table",
    .doc = {.what = "Finds a device listed in two flowtables of the same table.",
            .why = "A device's ingress hook can feed one flowtable per table: the kernel refuses the second "
                   "(\"File exists\").",
            .example = "flowtable a { hook ingress priority 0; devices = { eth0, eth1 }; }\nflowtable b { hook "
                       "ingress priority 0; devices = { eth1, eth2 }; }",
            .instead = "flowtable ft { hook ingress priority 0; devices = { eth0, eth1, eth2 }; }",
            .fix_safety = "No automatic fix."},
    .check = check_shared,
};

const LintRule kFlowtableVirtualDevice{
    .code = "OFF026",
    .slug = "flowtable-offload-virtual-device",
    .category = Category::offload,
    .severity = Severity::error,
    .since = "0.1",
    .summary = "a hardware-offloaded flowtable lists a virtual device",
    .doc = {.what = "For flowtables with `flags offload` (every flowtable when compiling with `--target "
                    "hw-offload`), finds devices whose names are those of virtual devices: bridges (`br-lan`), "
                    "VLANs (`eth0.2`), veth, bonds, WireGuard, PPP and PPPoE, tunnels, loopback. The names are "
                    "conventions; nftc cannot see the system's devices.",
            .why = "Hardware flow offload binds to the NIC's driver; virtual devices have none, and the kernel "
                   "refuses the whole flowtable with \"Operation not supported\". The kernel follows a forwarding "
                   "path through bridges, VLANs and PPPoE to the real device, so the flowtable should list the "
                   "lower devices.",
            .example = "flowtable ft { hook ingress priority 0; devices = { br-lan, eth0.2 }; flags offload; }",
            .instead = "flowtable ft { hook ingress priority 0; devices = { lan1, lan2, eth0 }; flags offload; }",
            .fix_safety = "No automatic fix: only the system knows the lower devices."},
    .check = check_virtual,
};

}  // namespace nftc::lint
