"""One `nftc lint --format json` run over many files, its diagnostics by file.

lint reads each file as a ruleset of its own, so one process answers for
every file: the kernel-cases test and the offload oracle each ask about
thousands of small files, and one nftc process per file would spend most of
the test starting nftc when it is built with sanitizers."""
import json
import subprocess
import sys


def diagnostics_by_file(lint, paths, who):
    """Runs the command line `lint` (an `nftc lint ... --format json`) on
    paths; {path: [diagnostic, ...]} with an entry for every path. Exits,
    with `who` in the message, when nftc prints no JSON or reports a file it
    was not given."""
    p = subprocess.run(lint + paths, capture_output=True, text=True)
    try:
        diags = json.loads(p.stdout)["diagnostics"]
    except (ValueError, KeyError):
        sys.exit(f"{who}: nftc lint gave no JSON (exit {p.returncode}):\n{p.stdout}{p.stderr}")
    by_file = {path: [] for path in paths}
    for d in diags:
        by_file.setdefault(d["file"], []).append(d)
    unknown = set(by_file) - set(paths)
    if unknown:
        sys.exit(f"{who}: nftc lint reported files it was not given: {sorted(unknown)[:3]}")
    return by_file
