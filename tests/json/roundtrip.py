#!/usr/bin/env python3
"""Kernel round trip of nftc's JSON output, and of nftc's JSON input.

For every non-empty dump of the nftables shell suite (tests/shell/testcases/
**/dumps/*.nft), in fresh network namespaces (one per load):

  A. `nft -f DUMP.nft`: the reference; dumps nft cannot load on this kernel
     are counted, not compared (flowtables: this kernel has no module);
  B. `nftc compile --emit json DUMP.nft`, loaded with `nft -j -f`;
  C. that same JSON loaded with `nftc apply` (nftc reading its own JSON);
  D. for dumps with a .json-nft sibling, the suite's JSON loaded with
     `nftc apply` (nftc reading the suite's JSON);

and `nft list ruleset` of B, C and D is compared with A's.

nft here is Debian's 1.0.6, older than the suite (1.1.6). When B fails or
differs, the suite's own .json-nft (if any) is loaded with `nft -j -f` too:
if nft 1.0.6 cannot read or reproduce that either, the case is counted as
"nft 1.0.6 JSON" with nft's reason, apart from nftc's own failures.

Namespaces are nftc-json-<pid>-<n> (tests/netlink/differential.py's Netns),
deleted right after use and on interruption; the root namespace is never
touched. Needs root; without it exits 77 (skip), unless CI=true: then 1.

Exit status: 0 when no count exceeds its --max-* ratchet, 1 otherwise.
"""

import argparse
import atexit
import concurrent.futures
import difflib
import os
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "netlink"))
import differential as d  # noqa: E402  (Netns, devices_of, normalise, cleanup)


def first_line(text):
    return (text.strip().splitlines() or [""])[0]


def listing_after(devices, cmd):
    """Runs cmd in a fresh namespace; (ok, listing or error)."""
    with d.Netns(devices) as ns:
        r = ns.exec(cmd)
        if r.returncode != 0:
            return False, first_line(r.stderr)
        return True, d.normalise(ns.exec(["nft", "list", "ruleset"]).stdout)


def want_json_error(error):
    """nft's JSON parser reports every error at internal:0:0-0."""
    return error.startswith("internal:0:0-0")


def diff(a, b, na, nb):
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), na, nb))


def check(path, args):
    text = open(path, encoding="utf-8", errors="replace").read()
    out = {"path": path}
    if "flowtable" in text:
        out["kind"] = "flowtable"
        return out
    devices = d.devices_of(text)
    ok, want = listing_after(devices, ["nft", "-f", path])
    if not ok:
        out["kind"] = "not-loadable"
        out["detail"] = want
        return out
    r = d.run([args.nftc, "compile", "--color", "never", "--emit", "json", path])
    if r.returncode != 0:
        out["kind"] = "nftc-failed"
        out["detail"] = "nftc compile --emit json: " + first_line(r.stderr)
        return out
    suite_json = os.path.splitext(path)[0] + ".json-nft"
    has_suite_json = os.path.exists(suite_json)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        f.write(r.stdout)
        f.flush()
        ok, got = listing_after(devices, ["nft", "-j", "-f", f.name])
        if ok and got == want:
            out["kind"] = "identical"
        else:
            # Does nft 1.0.6 read the suite's own JSON for this dump?
            reason = got if not ok else "listed differently"
            if has_suite_json:
                sok, sgot = listing_after(devices, ["nft", "-j", "-f", suite_json])
                if not sok or sgot != want:
                    out["kind"] = "nft-json"
                    out["detail"] = ("cannot read the suite's JSON either: " + sgot) if not sok else \
                        "lists the suite's JSON differently too"
                else:
                    out["kind"] = "differing" if ok else "not-loaded"
                    out["detail"] = reason if not ok else diff(want, got, "nft -f", "nft -j -f (nftc json)")
            elif not ok and want_json_error(got):
                # No .json-nft: the suite has no JSON for this dump, and nft
                # 1.0.6's JSON parser refuses what nft 1.1.6 prints.
                out["kind"] = "nft-json-no-suite"
                out["detail"] = "the suite has no .json-nft for it; nft 1.0.6: " + got
            else:
                out["kind"] = "differing" if ok else "not-loaded"
                out["detail"] = reason if not ok else diff(want, got, "nft -f", "nft -j -f (nftc json)")
        # nftc reading its own JSON back.
        aok, agot = listing_after(devices, [args.nftc, "apply", "--color", "never", f.name])
        out["apply"] = "identical" if aok and agot == want else "differing"
        if out["apply"] != "identical":
            out["apply_detail"] = agot if not aok else diff(want, agot, "nft -f", "nftc apply (nftc json)")
    if has_suite_json:
        sok, sgot = listing_after(devices, [args.nftc, "apply", "--color", "never", suite_json])
        out["suite_apply"] = "identical" if sok and sgot == want else "differing"
        if out["suite_apply"] != "identical":
            out["suite_apply_detail"] = sgot if not sok else diff(want, sgot, "nft -f", "nftc apply (.json-nft)")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nftc", required=True)
    p.add_argument("--suite", default=os.path.join(REPO, "..", "shared", "nft-tests"))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--max-differing", type=int, default=0, help="B: nft -j -f of nftc's JSON differs or fails")
    p.add_argument("--max-apply-differing", type=int, default=0, help="C: nftc apply of its own JSON differs")
    p.add_argument("--max-suite-apply-differing", type=int, default=0,
                   help="D: nftc apply of the suite's .json-nft differs")
    p.add_argument("files", nargs="*")
    args = p.parse_args()

    ci = os.environ.get("CI") == "true"
    if os.geteuid() != 0:
        print("json-roundtrip: needs root for network namespaces", file=sys.stderr)
        return 1 if ci else 77
    if d.run(["nft", "--version"]).returncode != 0:
        print("json-roundtrip: nft is not installed", file=sys.stderr)
        return 1 if ci else 77
    files = list(args.files)
    if not files:
        shell = os.path.join(args.suite, "tests", "shell", "testcases")
        if not os.path.isdir(shell):
            print(f"json-roundtrip: no suite at {shell}", file=sys.stderr)
            return 1 if ci else 77
        for root, _, names in os.walk(shell):
            if os.path.basename(root) == "dumps":
                files += [os.path.join(root, n) for n in names if n.endswith(".nft")]
        files = sorted(f for f in files if os.path.getsize(f) > 0)

    atexit.register(d.cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (d.cleanup(), os._exit(130)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda f: check(f, args), files))

    def count(key, value):
        return sum(1 for r in results if r.get(key) == value)

    for r in results:
        if r["kind"] in ("differing", "not-loaded", "nftc-failed"):
            print(f"DIFFERING {r['path']}: {first_line(r.get('detail', ''))}")
            if args.verbose:
                print(r.get("detail", ""))
        if r["kind"] == "nft-json-no-suite":
            print(f"NFT-1.0.6-JSON-NO-SUITE-JSON {r['path']}: {r['detail']}")
        if r["kind"] == "nft-json" and args.verbose:
            print(f"NFT-1.0.6-JSON {r['path']}: {r['detail']}")
        if r.get("apply") == "differing":
            print(f"APPLY-DIFFERING {r['path']}: {first_line(r.get('apply_detail', ''))}")
            if args.verbose:
                print(r.get("apply_detail", ""))
        if r.get("suite_apply") == "differing":
            print(f"SUITE-JSON-APPLY-DIFFERING {r['path']}: {first_line(r.get('suite_apply_detail', ''))}")
            if args.verbose:
                print(r.get("suite_apply_detail", ""))
    loadable = len([r for r in results if r["kind"] not in ("flowtable", "not-loadable")])
    bad = count("kind", "differing") + count("kind", "not-loaded") + count("kind", "nftc-failed")
    apply_bad = count("apply", "differing")
    suite_total = count("suite_apply", "identical") + count("suite_apply", "differing")
    print(f"json-roundtrip: {len(results)} dumps; with flowtables (no module, not loaded): {count('kind', 'flowtable')}; "
          f"not loadable by nft -f: {count('kind', 'not-loadable')}; loadable: {loadable}")
    print(f"json-roundtrip: nft -j -f of nftc's JSON: identical {count('kind', 'identical')} of {loadable}; "
          f"nft 1.0.6 cannot read or reproduce the suite's JSON either: {count('kind', 'nft-json')}; "
          f"no suite JSON and nft 1.0.6 cannot read nft 1.1.6's JSON: {count('kind', 'nft-json-no-suite')}; "
          f"differing: {count('kind', 'differing')}; not loaded: {count('kind', 'not-loaded')}; "
          f"nftc failed: {count('kind', 'nftc-failed')}")
    print(f"json-roundtrip: nftc apply of nftc's JSON: identical {count('apply', 'identical')} of "
          f"{count('apply', 'identical') + apply_bad}")
    print(f"json-roundtrip: nftc apply of the suite's .json-nft: identical {count('suite_apply', 'identical')} "
          f"of {suite_total}")
    failed = bad > args.max_differing or apply_bad > args.max_apply_differing or \
        count("suite_apply", "differing") > args.max_suite_apply_differing
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
