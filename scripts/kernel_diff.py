#!/usr/bin/env python3
"""Differential test of nftc's kernel checks against the running kernel.

Reads cases (tests/kernel/cases.txt by default), small rulesets with the
answer the kernel gives them, either one by one:

    === fib-oif-prerouting EOPNOTSUPP
    add table ip t
    add chain ip t c { type filter hook prerouting priority 0; }
    add rule ip t c fib daddr . oif type local

or as a matrix, one rule in a base chain of each hook (`@rule[nat]` for nat
chains), a line per family:

    @rule fib daddr . oif type local
    ip      prerouting=EOPNOTSUPP input=EOPNOTSUPP forward=ok output=ok postrouting=ok

An answer is `ok` or an errno name; alternatives after `|` are what kernels
built without some module answer instead, and `,userspace` (matrix) or a
trailing `userspace` (case) marks rulesets nft 1.0.6 cannot parse. For every
case the script asks nftc (one `nftc lint` run over all cases, each file a
ruleset of its own, with `nftc check`'s errors) and says whether nftc agrees
(rejects with a KRN code naming the first answer, or accepts). With --kernel (root only)
it also loads the case with `nft -f` in a network namespace of its own,
created and deleted by the script, and checks the kernel's answer is one of
the answers; the root namespace's ruleset is never touched.

    scripts/kernel_diff.py [--kernel] [--nftc build/nftc] [--only ID] [cases...]

Exit status 0 when everything agrees, 1 otherwise.
"""
import argparse
import errno
import json
import os
import re
import subprocess
import sys
import tempfile

from nftc_lint import diagnostics_by_file

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

# strerror text (as nft prints it) → errno name.
STRERROR = {os.strerror(n): name for name, n in errno.__dict__.items()
            if name.startswith("E") and isinstance(n, int)}
STRERROR[os.strerror(errno.EOPNOTSUPP)] = "EOPNOTSUPP"  # not its alias ENOTSUP


def matrix_case(rule, chain_type, family, hook, answer, path, lineno):
    device = ' device "lo"' if hook in ("ingress", "egress") else ""
    prio = 0
    if chain_type == "nat":
        prio = 100 if hook in ("input", "postrouting") else -100
    text = (f"add table {family} t\n"
            f"add chain {family} t c {{ type {chain_type} hook {hook}{device} priority {prio}; }}\n"
            f"add rule {family} t c {rule}\n")
    flags = answer.split(",")
    return {"id": f"{rule} [{family} {chain_type} {hook}]", "expect": flags[0], "text": text, "file": path,
            "line": lineno, "nft_userspace": "userspace" in flags[1:]}


def read_cases(path):
    """`=== id answer` blocks, and `@rule[type] RULE` matrices whose lines are
    `family hook=answer ...` (a rule tried in a chain of each hook)."""
    cases, cur, rule = [], None, None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.startswith("=== "):
                parts = line[4:].split()
                cur, rule = {"id": parts[0], "expect": parts[1], "text": "", "file": path, "line": lineno,
                             "nft_userspace": "userspace" in parts[2:]}, None
                cases.append(cur)
            elif line.startswith("@rule"):
                head, _, text = line.partition(" ")
                chain_type = head[len("@rule["):-1] if head.startswith("@rule[") else "filter"
                rule, cur = (text.strip(), chain_type), None
            elif rule is not None and line.strip() and not line.startswith("#"):
                family, *answers = line.split()
                for a in answers:
                    hook, _, answer = a.partition("=")
                    cases.append(matrix_case(rule[0], rule[1], family, hook, answer, path, lineno))
            elif cur is not None:
                cur["text"] += line
            elif line.strip() and not line.startswith("#"):
                sys.exit(f"{path}:{lineno}: text outside a case")
    return cases


def nftc_answer(diags):
    """nftc's answer for one case from its diagnostics: `ok` when it has no
    error, the errno of its KRN error ("... (the kernel answers EOPNOTSUPP)"),
    else `rejected:` and the codes of its errors."""
    errors = [x for x in diags if x["severity"] == "error"]
    if not errors:
        return "ok"
    for x in errors:
        m = re.search(r"the kernel answers (E[A-Z0-9]+)", x["message"])
        if x["code"].startswith("KRN") and m:
            return m.group(1)
    return "rejected:" + ",".join(x["code"] for x in errors)


def run_nftc(nftc, paths):
    """nftc's answer for every file, from one `nftc lint` run: lint analyses
    and lowers each file as a ruleset of its own, as `nftc check` does, so
    the errors are check's; lint rules' own findings are left out."""
    rules = subprocess.run([nftc, "rules", "--format", "json"], capture_output=True, text=True, check=True)
    lint_codes = {r["code"] for r in json.loads(rules.stdout)}
    lint = [nftc, "lint", "--no-config", "--format", "json", "--color=never"]
    out = {}
    for path, diags in diagnostics_by_file(lint, paths, "kernel_diff").items():
        ds = [x for x in diags if x["code"] not in lint_codes]
        out[path] = (nftc_answer(ds), json.dumps(ds, indent=1, ensure_ascii=False))
    return out


def run_kernel(ns, path):
    p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", path], capture_output=True, text=True)
    subprocess.run(["ip", "netns", "exec", ns, "nft", "flush", "ruleset"], capture_output=True)
    if p.returncode == 0:
        return "ok", ""
    m = re.search(r"Error: Could not process rule: ([^\n]+)", p.stderr)
    if m:
        return STRERROR.get(m.group(1).strip(), m.group(1).strip()), p.stderr
    return "nft-userspace-error", p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cases", nargs="*", default=[os.path.join(SRC, "tests/kernel/cases.txt")])
    ap.add_argument("--nftc", default=os.path.join(SRC, "build/nftc"))
    ap.add_argument("--kernel", action="store_true", help="also ask the running kernel (root)")
    ap.add_argument("--only", help="run the case with this id (a prefix)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    cases = [c for path in args.cases for c in read_cases(path)]
    if args.only:
        cases = [c for c in cases if c["id"].startswith(args.only)]
    ns = None
    if args.kernel:
        ns = f"nftc-kc-{os.getpid()}"
        subprocess.run(["ip", "netns", "add", ns], check=True)
    bad = 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, c in enumerate(cases):
                paths.append(os.path.join(tmp, f"case{i}.nft"))
                with open(paths[-1], "w", encoding="utf-8") as f:
                    f.write(c["text"])
            nftc = run_nftc(args.nftc, paths) if os.path.exists(args.nftc) else {}
            for c, path in zip(cases, paths):
                answers = c["expect"].split("|")
                got, out = nftc.get(path, (answers[0], ""))
                status = []
                if got != answers[0]:
                    status.append(f"nftc says {got}")
                if ns is not None:
                    k, kout = run_kernel(ns, path)
                    if k not in answers and not (k == "nft-userspace-error" and c["nft_userspace"]):
                        status.append(f"kernel says {k}")
                        if args.verbose:
                            status.append(kout.strip())
                if status:
                    bad += 1
                    print(f"{c['file']}:{c['line']}: {c['id']} (expected {c['expect']}): " + "; ".join(status))
                    if args.verbose:
                        print(out)
                elif args.verbose:
                    print(f"{c['id']}: {c['expect']} as expected")
    finally:
        if ns is not None:
            subprocess.run(["ip", "netns", "del", ns])
    print(f"{len(cases) - bad}/{len(cases)} cases agree" + (" (nftc and kernel)" if ns else " (nftc)"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
