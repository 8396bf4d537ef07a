#!/usr/bin/env python3
"""Differential test of the netlink backend against nft and the kernel.

For every dump of the nftables shell suite (tests/shell/testcases/**/dumps/
*.nft) and every file in examples/:

  1. load it with `nft -f` in a fresh network namespace; files nft cannot
     load on this kernel are counted, not compared;
  2. load it with `nftc apply` in another fresh namespace;
  3. compare the two `nft list ruleset` outputs.

Files with flowtables cannot be loaded here (this kernel has no flowtable
module), so for them the batch nftc builds is compared, message by
message, with the one `nft --debug=mnl -c` prints (sequence numbers aside).

Namespaces are named nftc-diff-<pid>-<n>, created for one file and deleted
right after, also on interruption; the root namespace is never touched.
Needs root (CAP_SYS_ADMIN for namespaces). Without it the test is skipped
(exit 77), unless CI=true: then it fails.

Exit status: 0 when every loadable file round-trips identically and every
flowtable batch matches; 1 otherwise; 2 on usage errors; 77 when skipped.
"""

import argparse
import atexit
import concurrent.futures
import difflib
import itertools
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DEVICE_RE = re.compile(r'\bdevices?\s*=?\s*(\{[^}]*\}|"[^"]*"|[A-Za-z0-9_.-]+)')

_live = set()
_live_lock = threading.Lock()
_counter = itertools.count()


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def cleanup():
    with _live_lock:
        names = list(_live)
        _live.clear()
    for ns in names:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


class Netns:
    """A fresh network namespace, deleted on exit."""

    def __init__(self, devices=()):
        self.name = f"nftc-diff-{os.getpid()}-{next(_counter)}"
        self.devices = devices

    def __enter__(self):
        r = run(["ip", "netns", "add", self.name])
        if r.returncode != 0:
            raise RuntimeError(f"ip netns add {self.name}: {r.stderr.strip()}")
        with _live_lock:
            _live.add(self.name)
        run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        # The kernel has no dummy links here: a veth pair per device.
        for i, dev in enumerate(self.devices):
            run(["ip", "-n", self.name, "link", "add", dev, "type", "veth", "peer", "name", f"nftcp{i}"])
        return self

    def exec(self, cmd, **kw):
        return run(["ip", "netns", "exec", self.name] + cmd, **kw)

    def __exit__(self, *exc):
        run(["ip", "netns", "del", self.name])
        with _live_lock:
            _live.discard(self.name)


def devices_of(text):
    """Device names the ruleset hooks to, other than lo and wildcards."""
    names = []
    for m in DEVICE_RE.finditer(text):
        for name in re.findall(r'"([^"]*)"|([A-Za-z0-9_.-]+)', m.group(1)):
            name = name[0] or name[1]
            if name and name != "lo" and "*" not in name and len(name) < 16 and name not in names:
                names.append(name)
    return names


def normalise(listing):
    # Timers run between the two loads.
    listing = re.sub(r" expires [0-9dhms]+", "", listing)
    listing = re.sub(r" last used [0-9dhms]+", " last used", listing)
    return listing


def nft_batch_text(debug_output):
    """The batch part of `nft --debug=mnl -c` output, without sequence numbers."""
    lines = ANSI.sub("", debug_output).split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith("| 00016 |")), None)
    if start is None:
        return None
    out = []
    for i, l in enumerate(lines[start - 2:]):
        if i > 3 and l.startswith("| 02576 |"):  # nft talks to the kernel again: the batch is over
            out = out[:-2]
            break
        if "sequence number" not in l:
            out.append(l)
    return "\n".join(out).rstrip("\n")


# Why nft 1.0.6 cannot load a file on this kernel, from its first error.
UNLOADABLE = [
    (re.compile(r"syntax error"), "syntax newer than nft 1.0.6"),
    (re.compile(r"Could not process rule: No such file or directory"),
     "the kernel lacks the module or feature (ENOENT)"),
    (re.compile(r"Could not process rule: (Invalid argument|Operation not supported)"),
     "the kernel refuses nft 1.0.6's batch"),
    (re.compile(r"Assertion .* failed"), "nft 1.0.6 crashes (assertion)"),
    (re.compile(r"Error: "), "nft 1.0.6's evaluation refuses it (later nft accepts it)"),
]
ERROR_LINE = re.compile(r":(\d+):\d+(-\d+)?: Error: ")


def why_unloadable(path, stderr):
    """(category, detail): the category of the error and the offending line."""
    first = (stderr.strip().splitlines() or [""])[0]
    category = next((c for pattern, c in UNLOADABLE if pattern.search(first)), "other")
    m = ERROR_LINE.search(first)
    detail = first[first.find("Error: "):] if "Error: " in first else first
    if m:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        n = int(m.group(1))
        if 0 < n <= len(lines):
            detail += f" [line {n}: {lines[n - 1].strip()}]"
    return category, detail


class Result:
    def __init__(self, path, kind, detail=""):
        self.path, self.kind, self.detail = path, kind, detail
        self.messages, self.messages_detail = None, ""
        self.category = ""


def check_file(path, args):
    text = open(path, encoding="utf-8", errors="replace").read()
    devices = devices_of(text)
    if "flowtable" in text:
        return check_messages(path, devices, args)
    result = check_listing(path, text, devices, args)
    if args.all_messages:
        m = check_messages(path, devices, args)
        result.messages = m.kind
        result.messages_detail = m.detail
    return result


def check_listing(path, text, devices, args):
    with Netns(devices) as a:
        r = a.exec(["nft", "-f", path])
        if r.returncode != 0:
            result = Result(path, "not-loadable")
            result.category, result.detail = why_unloadable(path, r.stderr)
            return result
        expected = normalise(a.exec(["nft", "list", "ruleset"]).stdout)
    with Netns(devices) as b:
        r = b.exec([args.nftc, "apply", "--color", "never", path])
        if r.returncode != 0:
            return Result(path, "differing", "nftc apply failed:\n" + r.stderr.strip())
        if args.perturb:
            b.exec(["nft", "add", "table", "ip", "nftc_perturb"])
        got = normalise(b.exec(["nft", "list", "ruleset"]).stdout)
    if got == expected:
        return Result(path, "identical")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft -f", "nftc apply"))
    if got == normalise(text):
        # The suite's dump is what a later nft lists; nft 1.0.6 loses
        # something on the way (its bug), nftc does not.
        return Result(path, "nft-differs", diff)
    return Result(path, "differing", diff)


def check_messages(path, devices, args):
    with Netns(devices) as a:
        r = a.exec(["nft", "--debug=mnl", "-c", "-f", path])
        expected = nft_batch_text(r.stdout)
    if expected is None:
        result = Result(path, "not-loadable")
        result.category, result.detail = why_unloadable(path, r.stderr or "nft sent no batch")
        return result
    with tempfile.NamedTemporaryFile(suffix=".batch") as f:
        r = run([args.nftc, "compile", "--color", "never", "--emit", "netlink", "-o", f.name, path])
        if r.returncode != 0:
            return Result(path, "messages-differing", "nftc compile failed:\n" + r.stderr.strip())
        p = run([args.mnl_print, "--no-end", f.name])
    got = "\n".join(l for l in ANSI.sub("", p.stdout).split("\n") if "sequence number" not in l).rstrip("\n")
    if args.perturb:
        got = got.replace("|00002|", "|00003|", 1)  # the type of one attribute
    if got == expected:
        return Result(path, "messages-identical")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft --debug=mnl", "nftc"))
    return Result(path, "messages-differing", diff)


def check_py_script(path, args):
    """A py-suite table: the rules nft loads, through nft and through nftc."""
    lines = open(path, encoding="utf-8").read().splitlines()
    n = int(lines[0].split()[2])
    context, rules = lines[1:1 + n], lines[1 + n:]
    args.py_total[path] = len(rules)
    with Netns() as a:
        r = a.exec(["nft", "-f", path])
        if r.returncode != 0:
            # Keep the rules nft loads on this kernel: halve the rule list
            # until each part loads or is one rule nft refuses.
            with tempfile.NamedTemporaryFile("w", suffix=".nft") as trial:
                def loads(part):
                    trial.seek(0)
                    trial.truncate()
                    trial.write("\n".join(["flush ruleset"] + context + part) + "\n")
                    trial.flush()
                    return a.exec(["nft", "-f", trial.name]).returncode == 0

                def keep(part):
                    if not part or loads(part):
                        return part
                    if len(part) == 1:
                        return []
                    half = len(part) // 2
                    return keep(part[:half]) + keep(part[half:])

                rules = keep(rules)
                a.exec(["nft", "flush", "ruleset"])
            if not rules:
                return Result(path, "not-loadable", "nft loads none of the rules"), 0
            path = os.path.join(args.tmp, os.path.basename(path))
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(context + rules) + "\n")
            r = a.exec(["nft", "-f", path])
            if r.returncode != 0:
                return Result(path, "not-loadable", r.stderr.strip()), 0
        expected = normalise(a.exec(["nft", "list", "ruleset"]).stdout)
    with Netns() as b:
        r = b.exec([args.nftc, "apply", "--color", "never", path])
        if r.returncode != 0:
            return Result(path, "differing", "nftc apply failed:\n" + r.stderr.strip()), len(rules)
        if args.perturb:
            b.exec(["nft", "add", "table", "ip", "nftc_perturb"])
        got = normalise(b.exec(["nft", "list", "ruleset"]).stdout)
        if got != expected:
            kernel = rule_blocks(b.exec(["nft", "--debug=netlink", "list", "ruleset"]).stdout)
    if got == expected:
        return Result(path, "identical"), len(rules)
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft -f", "nftc apply"))
    # nft 1.0.6 and nftc (after nft 1.1.6) may build different bytecode for
    # a rule; then nft 1.0.6 lists nftc's differently. What matters here is
    # that the kernel holds exactly the bytecode nftc built (whether that is
    # nft 1.1.6's is the conformance runner's payload check).
    with tempfile.NamedTemporaryFile(suffix=".batch") as f:
        c = run([args.nftc, "compile", "--color", "never", "--emit", "netlink", "-o", f.name, path])
        sent = rule_blocks(run([args.mnl_print, "--rules", f.name]).stdout) if c.returncode == 0 else None
    # The batch adds rules chain after chain in turn; the kernel lists them
    # chain by chain.
    if sent is not None and sorted(map(tuple, sent)) == sorted(map(tuple, kernel)):
        return Result(path, "bytecode-differs", diff), len(rules)
    return Result(path, "differing", diff), len(rules)


def rule_blocks(text):
    """Rules as libnftnl prints them, without handles, positions and counts."""
    blocks, current = [], None
    for line in ANSI.sub("", text).splitlines():
        if line.startswith("  ["):
            line = re.sub(r"(\[ lookup .*?) 0x0 \]$", r"\1 ]", line)
            line = re.sub(r"\[ counter pkts \d+ bytes \d+ \]", "[ counter ]", line)
            line = re.sub(r"\b__(set|map)(\d+|%d)\b", r"__\1N", line)  # the kernel numbers anonymous sets
            if current is None:
                current = []
                blocks.append(current)
            current.append(line)
        else:
            current = None
    return blocks


def run_py(args):
    """--py: the py suite's rules, table by table (nftc-py-scripts writes them)."""
    with tempfile.TemporaryDirectory() as scripts:
        args.tmp = scripts
        args.py_total = {}
        r = run([args.py_scripts, args.suite, scripts])
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        files = sorted(os.path.join(scripts, f) for f in os.listdir(scripts) if f.endswith(".nft"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda f: check_py_script(f, args), files))
    rules = sum(n for _, n in results)
    total = sum(args.py_total.values())
    identical = sum(n for r, n in results if r.kind == "identical")
    bad = [r for r, _ in results if r.kind == "differing"]
    for r in bad:
        print(f"DIFFERING {os.path.basename(r.path)}")
        print(r.detail)
    other = [r for r, _ in results if r.kind == "bytecode-differs"]
    for r in other:
        print(f"BYTECODE-DIFFERS {os.path.basename(r.path)}: nftc's bytecode is not nft 1.0.6's, the kernel holds "
              "nftc's exactly; nft 1.0.6 lists it as:")
        print("\n".join(l for l in r.detail.splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")))
    print(f"differential --py: {len(results)} tables, {total} rules nftc accepts, {rules} of them nft loads "
          f"on this kernel; "
          f"tables identical: {sum(1 for r, _ in results if r.kind == 'identical')}, differing: {len(bad)}, "
          f"bytecode differs from nft 1.0.6's (the kernel holds nftc's exactly): {len(other)}, "
          f"not loadable: {sum(1 for r, _ in results if r.kind == 'not-loadable')}; "
          f"rules in identical tables: {identical} ({100.0 * identical / max(rules, 1):.1f}%)")
    return 1 if bad else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nftc", required=True, help="the nftc binary")
    p.add_argument("--mnl-print", required=True, help="the nftc-mnl-print binary")
    p.add_argument("--suite", default=os.path.join(repo, "..", "shared", "nft-tests"), help="nftables source tree")
    p.add_argument("--examples", default=os.path.join(repo, "examples"))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("-v", "--verbose", action="store_true", help="show the diff of every differing file")
    p.add_argument("--all-messages", action="store_true",
                   help="also compare the netlink messages of files without flowtables (a stricter check than the "
                        "listings: nft 1.0.6 and nftc may send different bytes for the same ruleset)")
    p.add_argument("--py", action="store_true",
                   help="compare the py suite's rules instead of the shell dumps (needs --py-scripts)")
    p.add_argument("--py-scripts", help="the nftc-py-scripts binary")
    p.add_argument("--perturb", action="store_true",
                   help="self-check: change what nftc loads (an extra table) and sends (one attribute type); "
                        "succeeds only if every compared file is then reported as differing")
    p.add_argument("files", nargs="*", help="check these files instead")
    args = p.parse_args()
    for name in ("nftc", "mnl_print", "py_scripts"):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))

    ci = os.environ.get("CI") == "true"
    if os.geteuid() != 0:
        print("differential: needs root for network namespaces", file=sys.stderr)
        return 1 if ci else 77
    if run(["nft", "--version"]).returncode != 0:
        print("differential: nft is not installed", file=sys.stderr)
        return 1 if ci else 77

    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (cleanup(), os._exit(130)))
    if args.py:
        return run_py(args)

    files = list(args.files)
    if not files:
        shell = os.path.join(args.suite, "tests", "shell", "testcases")
        if not os.path.isdir(shell):
            print(f"differential: no suite at {shell}", file=sys.stderr)
            return 1 if ci else 77
        for root, _, names in os.walk(shell):
            if os.path.basename(root) == "dumps":
                files += [os.path.join(root, n) for n in names if n.endswith(".nft")]
        if os.path.isdir(args.examples):
            for root, _, names in os.walk(args.examples):
                files += [os.path.join(root, n) for n in names if n.endswith(".nft")]
        files.sort()
    # Empty dumps load nothing: nothing to compare.
    empty = 0
    if not args.files:
        empty = sum(1 for f in files if os.path.getsize(f) == 0)
        files = [f for f in files if os.path.getsize(f) > 0]

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(lambda f: check_file(f, args), files):
            results.append(r)

    counts = {}
    for r in results:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    bad = [r for r in results if r.kind in ("differing", "messages-differing")]
    extra = {}
    for r in results:
        if r.messages is None:
            continue
        extra[r.messages] = extra.get(r.messages, 0) + 1
        if r.messages == "messages-differing":
            print(f"MESSAGES-DIFFER {r.path}")
            if args.verbose:
                print(r.messages_detail)
    for r in bad:
        print(f"DIFFERING {r.path}")
        if args.verbose or len(bad) <= 5:
            print(r.detail)
    for r in results:
        if r.kind == "nft-differs":
            print(f"NFT-DIFFERS {r.path}: nftc's listing is the suite's dump, nft 1.0.6's is not")
            if args.verbose:
                print(r.detail)
        if r.kind == "not-loadable":
            print(f"NOT-LOADABLE {os.path.relpath(r.path, args.suite)}: {r.category}: {r.detail}")
    loadable = counts.get("identical", 0) + counts.get("differing", 0) + counts.get("nft-differs", 0)
    ft = counts.get("messages-identical", 0) + counts.get("messages-differing", 0)
    print(f"differential: {len(results)} files; loadable by nft: {loadable}; "
          f"identical: {counts.get('identical', 0)}; differing: {counts.get('differing', 0)}; "
          f"nft 1.0.6 differs from the dump, nftc does not: {counts.get('nft-differs', 0)}; "
          f"not loadable: {counts.get('not-loadable', 0)}")
    apply_failed = sum(1 for r in results if r.kind == "differing" and r.detail.startswith("nftc apply failed"))
    print(f"differential: {empty} empty dumps skipped; of the {loadable} files nft loads, nftc apply loads "
          f"{loadable - apply_failed} and {counts.get('identical', 0) + counts.get('nft-differs', 0)} list as nft's "
          f"listing or, where nft 1.0.6 loses something, as the suite's dump")
    print(f"differential: flowtable files compared by netlink messages: {ft}; "
          f"identical: {counts.get('messages-identical', 0)}; differing: {counts.get('messages-differing', 0)}")
    if args.all_messages:
        print(f"differential: netlink messages of the other files: identical to nft's: "
              f"{extra.get('messages-identical', 0)}; differing: {extra.get('messages-differing', 0)}; "
              f"nft sent none: {extra.get('not-loadable', 0)}")
    categories = {}
    for r in results:
        if r.kind == "not-loadable":
            categories[r.category] = categories.get(r.category, 0) + 1
    for c, n in sorted(categories.items(), key=lambda kv: -kv[1]):
        print(f"differential: not loadable by nft 1.0.6 on this kernel: {n}: {c}")
    if loadable:
        print(f"differential: round trip identical {100.0 * counts.get('identical', 0) / loadable:.1f}%")
    if args.perturb:
        compared = loadable + ft
        caught = counts.get("differing", 0) + counts.get("nft-differs", 0) + counts.get("messages-differing", 0)
        print(f"differential --perturb: {caught} of {compared} compared files differ"
              + (" (every one: the comparison sees a difference)" if caught == compared and compared else ""))
        return 0 if caught == compared and compared else 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
