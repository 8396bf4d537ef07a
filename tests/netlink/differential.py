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


class Result:
    def __init__(self, path, kind, detail=""):
        self.path, self.kind, self.detail = path, kind, detail
        self.messages, self.messages_detail = None, ""


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
            return Result(path, "not-loadable", (r.stderr.strip().splitlines() or [""])[0])
        expected = normalise(a.exec(["nft", "list", "ruleset"]).stdout)
    with Netns(devices) as b:
        r = b.exec([args.nftc, "apply", "--color", "never", path])
        if r.returncode != 0:
            return Result(path, "differing", "nftc apply failed:\n" + r.stderr.strip())
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
        return Result(path, "not-loadable", "nft sent no batch")
    with tempfile.NamedTemporaryFile(suffix=".batch") as f:
        r = run([args.nftc, "compile", "--color", "never", "--emit", "netlink", "-o", f.name, path])
        if r.returncode != 0:
            return Result(path, "messages-differing", "nftc compile failed:\n" + r.stderr.strip())
        p = run([args.mnl_print, "--no-end", f.name])
    got = "\n".join(l for l in ANSI.sub("", p.stdout).split("\n") if "sequence number" not in l).rstrip("\n")
    if got == expected:
        return Result(path, "messages-identical")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft --debug=mnl", "nftc"))
    return Result(path, "messages-differing", diff)


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
    p.add_argument("files", nargs="*", help="check these files instead")
    args = p.parse_args()

    ci = os.environ.get("CI") == "true"
    if os.geteuid() != 0:
        print("differential: needs root for network namespaces", file=sys.stderr)
        return 1 if ci else 77
    if run(["nft", "--version"]).returncode != 0:
        print("differential: nft is not installed", file=sys.stderr)
        return 1 if ci else 77

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
    if not args.files:
        files = [f for f in files if os.path.getsize(f) > 0]

    atexit.register(cleanup)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (cleanup(), os._exit(130)))

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
        if r.kind == "not-loadable" and args.verbose:
            print(f"not loadable by nft: {r.path}: {r.detail}")
    loadable = counts.get("identical", 0) + counts.get("differing", 0) + counts.get("nft-differs", 0)
    ft = counts.get("messages-identical", 0) + counts.get("messages-differing", 0)
    print(f"differential: {len(results)} files; loadable by nft: {loadable}; "
          f"identical: {counts.get('identical', 0)}; differing: {counts.get('differing', 0)}; "
          f"nft 1.0.6 differs from the dump, nftc does not: {counts.get('nft-differs', 0)}; "
          f"not loadable: {counts.get('not-loadable', 0)}")
    print(f"differential: flowtable files compared by netlink messages: {ft}; "
          f"identical: {counts.get('messages-identical', 0)}; differing: {counts.get('messages-differing', 0)}")
    if args.all_messages:
        print(f"differential: netlink messages of the other files: identical to nft's: "
              f"{extra.get('messages-identical', 0)}; differing: {extra.get('messages-differing', 0)}; "
              f"nft sent none: {extra.get('not-loadable', 0)}")
    if loadable:
        print(f"differential: round trip identical {100.0 * counts.get('identical', 0) / loadable:.1f}%")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
