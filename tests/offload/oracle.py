#!/usr/bin/env python3
"""The real-kernel offload oracle: does nftc agree with the kernel on which
rules can be offloaded?

From Linux 6.16 a netdev chain may name a device that does not exist, and
`flags offload` is then accepted on it: the kernel still runs its per-rule
offload check (nft_flow_rule_create) on every rule, for real
(../shared/offload-kernel.md, section 6). This test

  1. builds a matrix of rules: every `ok` rule of the nftables tests/py files
     of the netdev, ip, ip6 and inet families (as written, and with `drop`
     appended so that rules without an action are tried with one too), and
     the rules of tests/offload/rules.txt;
  2. puts each into `table netdev t { chain c { type filter hook ingress
     device "nosuchdev0" priority 1; flags offload; } }` and asks
       - nftc: `nftc lint --target hw-offload --select OFF` (an error
         finding means "the kernel refuses it"),
       - the kernel: `nftc apply` in a network namespace of its own (all
         the files of a namespace in one process: tests/offload/apply_each.cpp);
  3. leaves out rules that are not about offload: those nftc or the kernel
     refuses in the same chain without `flags offload`;
  4. prints the agreement and every disagreement, and fails below
     --min-agreement (percent).

nftc's own netlink output keeps one payload load per field in offload
chains, so this measures nftc's model against what nftc sends. With nft
installed, the same matrix is also loaded with `nft -f` (nft merges adjacent
matches), compared with nftc's prediction for nft (error findings plus
OFF006), and reported for information.

Needs root and a kernel >= 6.16; skipped (exit 77) otherwise, unless
CI=true: then it fails. Namespaces are nftc-offload-<pid>-<n>, deleted on
exit; the root namespace is never touched.
"""

import argparse
import atexit
import concurrent.futures
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from nftc_lint import diagnostics_by_file  # noqa: E402

FAMILIES = ("netdev", "ip", "ip6", "inet")
NAMESPACES = []


def chain_file(rule, offload):
    flags = " flags offload;" if offload else ""
    return ("flush ruleset\n"
            "table netdev t {\n"
            "  counter cnt { }\n"
            "  chain other {\n  }\n"
            "  chain c {\n"
            f"    type filter hook ingress device \"nosuchdev0\" priority 1;{flags}\n"
            f"    {rule}\n"
            "  }\n"
            "}\n")


def suite_rules(suite):
    out = []
    base = os.path.join(suite, "tests", "py")
    for fam in FAMILIES:
        d = os.path.join(base, fam)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith(".t"):
                continue
            with open(os.path.join(d, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    line = line.strip()
                    if not line or line[0] in "#:*!?%-":
                        continue
                    parts = line.split(";")
                    if len(parts) < 2 or parts[1].strip() != "ok":
                        continue
                    rule = parts[0].strip()
                    if "@" in rule or "$" in rule:
                        continue  # named sets and variables the test files declare elsewhere
                    out.append(rule)
    return out


def own_rules():
    out = []
    with open(os.path.join(HERE, "rules.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def matrix(suite):
    rules = []
    seen = set()
    terminal = ("accept", "drop", "return", "continue", "queue")
    with_drop = [x for s in suite_rules(suite)
                 for x in ((s,) if s.split()[-1] in terminal or " reject" in s or s.startswith("reject")
                           else (s, s + " drop"))]
    for r in own_rules() + with_drop:
        if r not in seen:
            seen.add(r)
            rules.append(r)
    return rules


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def classify(diags):
    """'accept', 'refuse' or 'invalid' (nftc cannot compile it at all), and
    whether nft would merge loads (OFF006), from one file's diagnostics."""
    if any(d["severity"] == "error" and not d["code"].startswith("OFF") for d in diags):
        return "invalid", False, ""
    errors = [d for d in diags if d["severity"] == "error"]
    merged = any(d["code"] == "OFF006" for d in diags)
    why = "; ".join(f'{d["code"]} {d["message"]}' for d in errors)
    return ("refuse" if errors else "accept"), merged, why


def nftc_verdicts(nftc, paths):
    """nftc's verdict on every file, from one `nftc lint` run."""
    lint = [nftc, "lint", "--no-config", "--target", "hw-offload", "--select", "OFF", "--format", "json"]
    return {path: classify(diags) for path, diags in diagnostics_by_file(lint, paths, "offload oracle").items()}


def kernel_accepts(cmd, ns, path):
    p = run(["ip", "netns", "exec", ns] + cmd + [path])
    return p.returncode == 0, (p.stdout + p.stderr).strip()


MARK = re.compile(r"^@@@ nftc-apply-each (\d+) (.*)$")


def nftc_apply_each(apply_each, ns, paths):
    """`nftc apply FILE` for each path in turn in namespace ns, in one
    process (nftc-apply-each): {path: (accepted, messages)}."""
    p = subprocess.run(["ip", "netns", "exec", ns, apply_each] + paths, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    out, lines = {}, []
    for line in p.stdout.splitlines():
        m = MARK.match(line)
        if m:
            out[m.group(2)] = (m.group(1) == "0", "\n".join(lines).strip())
            lines = []
        else:
            lines.append(line)
    if p.returncode != 0 or set(out) != set(paths):
        sys.exit(f"offload oracle: nftc-apply-each failed (exit {p.returncode}):\n{p.stdout[-2000:]}")
    return out


def new_ns(n):
    ns = f"nftc-offload-{os.getpid()}-{n}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    NAMESPACES.append(ns)
    return ns


def cleanup():
    for ns in NAMESPACES:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    NAMESPACES.clear()


def kernel_version():
    parts = platform.release().split(".")
    try:
        return int(parts[0]), int(parts[1].split("-")[0])
    except (IndexError, ValueError):
        return 0, 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nftc", required=True)
    ap.add_argument("--apply-each", required=True, help="the nftc-apply-each test helper")
    ap.add_argument("--suite", default=os.path.join(HERE, "..", "..", "..", "shared", "nft-tests"))
    ap.add_argument("--nft", default=shutil.which("nft") or "/usr/sbin/nft")
    ap.add_argument("--min-agreement", type=float, default=100.0)
    ap.add_argument("--min-rules", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    ci = os.environ.get("CI") == "true"

    if os.geteuid() != 0:
        print("offload oracle: needs root for network namespaces", file=sys.stderr)
        return 1 if ci else 77
    if kernel_version() < (6, 16):
        print(f"offload oracle: needs Linux >= 6.16 (absent devices in offload chains); this is "
              f"{platform.release()}", file=sys.stderr)
        return 1 if ci else 77
    if not os.path.isdir(os.path.join(args.suite, "tests", "py")):
        print(f"offload oracle: no nftables tests/py at {args.suite}", file=sys.stderr)
        return 1 if ci else 77

    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (cleanup(), os._exit(130)))

    nftc = os.path.abspath(args.nftc)
    apply_each = os.path.abspath(args.apply_each)
    have_nft = os.access(args.nft, os.X_OK)
    rules = matrix(args.suite)
    work = tempfile.mkdtemp(prefix="nftc-offload-oracle.")
    atexit.register(shutil.rmtree, work, True)
    namespaces = [new_ns(i) for i in range(args.jobs)]

    def paths(i):
        return os.path.join(work, f"{i}-offload.nft"), os.path.join(work, f"{i}-plain.nft")

    for i, rule in enumerate(rules):
        off, plain = paths(i)
        with open(off, "w") as f:
            f.write(chain_file(rule, True))
        with open(plain, "w") as f:
            f.write(chain_file(rule, False))
    verdicts = nftc_verdicts(nftc, [paths(i)[0] for i in range(len(rules))])

    def check(k):
        """The rules of job k, in namespace k: nftc's loads first, in one
        process, then nft's (each file begins with `flush ruleset`)."""
        ns = namespaces[k]
        mine = [(i, r) for i, r in enumerate(rules) if i % len(namespaces) == k and verdicts[paths(i)[0]][0] != "invalid"]
        loaded = nftc_apply_each(apply_each, ns, [paths(i)[0] for i, _ in mine])
        refused = [paths(i)[1] for i, _ in mine if not loaded[paths(i)[0]][0]]
        if refused:
            loaded.update(nftc_apply_each(apply_each, ns, refused))
        out = []
        for i, rule in mine:
            off, plain = paths(i)
            ours, merged, why = verdicts[off]
            ok, msg = loaded[off]
            if not ok and not loaded[plain][0]:
                continue  # not an offload question: the chain refuses it anyway
            result = {"rule": rule, "nftc": ours, "kernel": "accept" if ok else "refuse", "why": why,
                      "kernel_message": msg}
            if have_nft:
                nok, nmsg = kernel_accepts([args.nft, "-f"], ns, off)
                if not nok and not kernel_accepts([args.nft, "-f"], ns, plain)[0]:
                    result["nft"] = None
                else:
                    result["nft"] = "accept" if nok else "refuse"
                    result["nft_predicted"] = "refuse" if (ours == "refuse" or merged) else "accept"
                    result["nft_message"] = nmsg
            out.append(result)
        return out

    # One namespace per job: the rules of a namespace are loaded in order.
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(namespaces)) as pool:
        for part in pool.map(check, range(len(namespaces))):
            results += part

    agree = [r for r in results if r["nftc"] == r["kernel"]]
    differ = [r for r in results if r["nftc"] != r["kernel"]]
    accepted = sum(1 for r in results if r["kernel"] == "accept")
    for r in differ:
        print(f"DIFFER kernel={r['kernel']} nftc={r['nftc']}: {r['rule']}")
        print(f"    nftc: {r['why'] or '(no error finding)'}")
        print(f"    kernel: {r['kernel_message'] or '(accepted)'}")
    if args.verbose:
        for r in agree:
            print(f"agree {r['kernel']}: {r['rule']}")
    total = len(results)
    pct = 100.0 * len(agree) / total if total else 0.0
    print(f"offload oracle: {len(rules)} rules generated, {total} about offload "
          f"({accepted} offloaded, {total - accepted} refused by the kernel); "
          f"nftc agrees on {len(agree)}/{total} = {pct:.2f}%")
    nft_results = [r for r in results if r.get("nft")]
    if nft_results:
        nft_agree = sum(1 for r in nft_results if r["nft"] == r["nft_predicted"])
        for r in nft_results:
            if r["nft"] != r["nft_predicted"] and args.verbose:
                print(f"NFT-DIFFER nft={r['nft']} predicted={r['nft_predicted']}: {r['rule']}")
        print(f"offload oracle (information): loaded with nft -f, nftc predicts {nft_agree}/{len(nft_results)} = "
              f"{100.0 * nft_agree / len(nft_results):.2f}%")
    if total < args.min_rules:
        print(f"offload oracle: only {total} rules about offload, fewer than {args.min_rules}", file=sys.stderr)
        return 1
    return 0 if pct >= args.min_agreement else 1


if __name__ == "__main__":
    sys.exit(main())
