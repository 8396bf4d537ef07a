#!/usr/bin/env python3
"""Validates nftc's JSON diagnostics against docs/diagnostics.schema.json.

For every golden case whose command asks for --format=json, this runs the
real nftc binary the way nftc-golden does (in the case's directory, with the
same standard input) and validates what it prints; it also validates the
expectation stored in the case. A few documents that break the contract must
be rejected, so that a schema that accepts anything cannot pass.

    check_schema.py --nftc build/nftc SCHEMA CASE.golden...
"""
import copy
import json
import os
import shlex
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_schema.py: python3-jsonschema is missing: run scripts/deps.sh")


def parse_case(path):
    """Returns (argv, stdin, expected stdout) of a golden case."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while lines[i].startswith("#"):
        i += 1
    if not lines[i].startswith("$ "):
        raise ValueError(f"{path}: no '$ nftc ...' line")
    words = shlex.split(lines[i][2:])
    argv, stdin = [], "/dev/null"
    j = 0
    while j < len(words):
        w = words[j]
        if w == "<&-":
            stdin = None
        elif w == "<":
            j += 1
            stdin = words[j]
        elif w.startswith("<"):
            stdin = w[1:]
        else:
            argv.append(w)
        j += 1
    rest = "\n".join(lines[i + 1:])
    out = rest.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
    return argv, stdin, out


def wants_json(argv):
    # `lint --report offload --format=json` prints the offload report, a
    # document of its own (docs/offload.md), not diagnostics.
    if any(a == "--report" or a.startswith("--report=") for a in argv):
        return False
    return "--format=json" in argv or any(
        a == "--format" and b == "json" for a, b in zip(argv, argv[1:]))


def run_nftc(nftc, case_dir, argv, stdin):
    env = dict(os.environ, LC_ALL="C")
    if stdin is None:  # `<&-`: the child closes its standard input
        return subprocess.run([nftc] + argv[1:], cwd=case_dir, capture_output=True, env=env,
                              check=False, preexec_fn=lambda: os.close(0)).stdout.decode("utf-8")
    with open(os.path.join(case_dir, stdin), "rb") as f:
        return subprocess.run([nftc] + argv[1:], cwd=case_dir, stdin=f, capture_output=True,
                              env=env, check=False).stdout.decode("utf-8")


def broken_documents(good):
    """Variants of a valid document that the schema must reject."""
    d = good["diagnostics"][0]

    def variant(change):
        doc = copy.deepcopy(good)
        change(doc, doc["diagnostics"][0])
        return doc

    yield "version 2", variant(lambda doc, _: doc.update(version=2))
    yield "no code", variant(lambda _, x: x.pop("code"))
    yield "severity 'fatal'", variant(lambda _, x: x.update(severity="fatal"))
    yield "an unknown field", variant(lambda _, x: x.update(extra=1))
    yield "a column as text", variant(lambda _, x: x.update(column=str(d["column"])))
    yield "line 0 with a column", variant(lambda _, x: x.update(line=0, column=3))
    yield "a lower-case code", variant(lambda _, x: x.update(code="syn001"))
    yield "related without message", variant(
        lambda _, x: x.update(related=[{"file": "a", "line": 1, "column": 1, "end_line": 1, "end_column": 1}]))


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "--nftc":
        sys.exit(__doc__)
    nftc, schema_path, cases = os.path.abspath(args[1]), args[2], args[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    failures, checked, sample = [], 0, None
    for case in sorted(cases):
        argv, stdin, expected = parse_case(case)
        if not wants_json(argv):
            continue
        actual = run_nftc(nftc, os.path.dirname(os.path.abspath(case)), argv, stdin)
        for what, text in (("nftc's output", actual), ("the expectation", expected)):
            checked += 1
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as e:
                failures.append(f"{case}: {what} is not JSON: {e}")
                continue
            for err in validator.iter_errors(doc):
                path = "/".join(str(p) for p in err.absolute_path)
                failures.append(f"{case}: {what}: at '{path}': {err.message}")
            if sample is None and doc.get("diagnostics"):
                sample = doc

    if checked == 0 or sample is None:
        failures.append("no golden case produced JSON diagnostics: nothing was validated")
    else:
        for name, doc in broken_documents(sample):
            if validator.is_valid(doc):
                failures.append(f"the schema accepts a document with {name}")

    for f in failures:
        print(f)
    print(f"diagnostics schema: {checked} documents checked, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
