#!/usr/bin/env python3
"""Offload flags in the batch: chain `flags offload` (NFT_CHAIN_HW_OFFLOAD)
and flowtable `flags offload` / `counter` (NFT_FLOWTABLE_HW_OFFLOAD,
NFT_FLOWTABLE_COUNTER) are sent exactly where the source says them.

Each case's batch from `nftc compile --emit netlink` is compared, message by
message, with what `nft --debug=mnl -c` sends (this kernel has no flowtable
module and no offload-capable device, so the messages are the evidence).
A control case drops the `flags offload` from nftc's input and must differ,
so the comparison is shown to see the flag.

On kernels >= 6.16 a netdev chain may name a device that does not exist
yet, and `flags offload` is accepted there: that case is also loaded with
`nft -f` and with `nftc apply`, and the listings (which show `flags
offload`) compared.

Every case runs in a network namespace created here and deleted after.
Needs root; exit 77 (skip) without it, unless CI=true.

  offload_test.py --nftc NFTC --mnl-print MNL_PRINT
"""

import argparse
import atexit
import os
import platform
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential as d  # noqa: E402

CHAIN = """table netdev off {
\tchain ingress {
\t\ttype filter hook ingress device "nftcoffl0" priority 1; policy accept;
\t\tflags offload;
\t\tip saddr 10.0.0.1 counter drop
\t\ttcp dport 22 accept
\t}
\tchain plain {
\t\ttype filter hook ingress device "nftcoffl1" priority 2; policy accept;
\t\tip saddr 10.0.0.2 drop
\t}
}
"""

CASES = [
    ("netdev chain with flags offload, and one without", CHAIN),
    ("flowtable with flags offload and counter", """table inet ft {
\tflowtable f {
\t\thook ingress priority filter
\t\tdevices = { "nftcoffl0", "nftcoffl1" }
\t\tflags offload
\t\tcounter
\t}
\tchain forward {
\t\ttype filter hook forward priority filter; policy accept;
\t\tmeta l4proto { tcp, udp } flow add @f
\t}
}
"""),
    ("flowtable with counter only", """table ip ft {
\tflowtable f {
\t\thook ingress priority 10
\t\tdevices = { "nftcoffl0" }
\t\tcounter
\t}
}
"""),
    ("flowtable with flags offload only", """table ip6 ft {
\tflowtable f {
\t\thook ingress priority -10
\t\tdevices = { "nftcoffl0" }
\t\tflags offload
\t}
}
"""),
    ("flowtable without flags", """table ip ft {
\tflowtable f {
\t\thook ingress priority 0
\t\tdevices = { "nftcoffl0" }
\t}
}
"""),
]


def nftc_messages(text, args):
    with tempfile.NamedTemporaryFile("w", suffix=".nft") as src, tempfile.NamedTemporaryFile(suffix=".batch") as out:
        src.write(text)
        src.flush()
        r = d.run([args.nftc, "compile", "--color", "never", "--emit", "netlink", "-o", out.name, src.name])
        if r.returncode != 0:
            return None, r.stderr
        p = d.run([args.mnl_print, "--no-end", out.name])
    lines = d.ANSI.sub("", p.stdout).split("\n")
    return "\n".join(l for l in lines if "sequence number" not in l).rstrip("\n"), ""


def nft_messages(text):
    with tempfile.NamedTemporaryFile("w", suffix=".nft") as src:
        src.write(text)
        src.flush()
        with d.Netns() as ns:
            r = ns.exec(["nft", "--debug=mnl", "-c", "-f", src.name])
    return d.nft_batch_text(r.stdout)


def kernel_at_least(major, minor):
    parts = platform.release().split(".")
    try:
        return (int(parts[0]), int(parts[1])) >= (major, minor)
    except (IndexError, ValueError):
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nftc", required=True)
    p.add_argument("--mnl-print", required=True)
    args = p.parse_args()
    ci = os.environ.get("CI") == "true"
    if os.geteuid() != 0:
        print("offload_test: needs root for network namespaces", file=sys.stderr)
        return 1 if ci else 77
    atexit.register(d.cleanup)

    failed = 0

    def report(ok, name, detail=""):
        nonlocal failed
        print(("ok   " if ok else "FAIL ") + name)
        if not ok:
            failed += 1
            if detail:
                print(detail)

    for name, text in CASES:
        expected = nft_messages(text)
        got, err = nftc_messages(text, args)
        if expected is None or got is None:
            report(False, f"{name}: messages", f"nft sent no batch" if expected is None else err)
            continue
        ok = got == expected
        report(ok, f"{name}: nftc's messages are nft's", "" if ok else "".join(
            d.difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft --debug=mnl", "nftc")))
        # The controls: without the flag nftc's batch must differ from
        # nft's with it (the comparison sees the flag).
        for flag in ("flags offload", "\t\tcounter\n"):
            if flag in text:
                control, err = nftc_messages(text.replace(flag, "\n"), args)
                report(control is not None and control != expected,
                       f"{name}: dropping `{flag.strip()}` changes the messages", err)

    # Through the kernel (>= 6.16: an offload chain on a device that does
    # not exist yet is accepted).
    if kernel_at_least(6, 16):
        with tempfile.NamedTemporaryFile("w", suffix=".nft") as src:
            src.write(CHAIN)
            src.flush()
            with d.Netns() as a:
                r = a.exec(["nft", "-f", src.name])
                expected = a.exec(["nft", "list", "ruleset"]).stdout if r.returncode == 0 else None
            with d.Netns() as b:
                r2 = b.exec([args.nftc, "apply", "--color", "never", src.name])
                got = b.exec(["nft", "list", "ruleset"]).stdout if r2.returncode == 0 else None
        if expected is None:
            report(False, "offload chain through the kernel: nft -f loads it", r.stderr)
        elif got is None:
            report(False, "offload chain through the kernel: nftc apply loads it", r2.stderr)
        else:
            ok = got == expected and got.count("flags offload") == 1
            report(ok, "offload chain through the kernel: listings identical, `flags offload` on one chain",
                   "".join(d.difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "nft -f",
                                                  "nftc apply")))
    else:
        print(f"note: kernel {platform.release()} < 6.16 refuses an offload chain on a missing device; "
              "messages compared only")

    print(f"offload_test: {'FAILED ' + str(failed) if failed else 'all passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
