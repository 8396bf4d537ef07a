#!/usr/bin/env python3
"""Checks that .ci/run runs the README's test command.

The README's Quick start has exactly two commands in its first code block;
the second builds and runs every test. CI must run that same command, so that
what CI checks is what a user is told to run.

    check_ci_command.py README.md .ci/run
"""
import re
import sys


def commands(lines):
    """The command lines of a shell text, without blank lines and comments."""
    out = []
    for line in lines:
        line = re.sub(r"\s+#.*$", "", line).strip()
        if not line or line.startswith("#"):
            continue
        out.append(line)
    return out


def quick_start_commands(readme):
    section = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if not section:
        raise SystemExit("README.md has no '## Quick start' section")
    block = re.search(r"^```[a-z]*\n(.*?)^```", section.group(1), re.M | re.S)
    if not block:
        raise SystemExit("README.md's Quick start has no code block")
    return commands(block.group(1).splitlines())


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        quick = quick_start_commands(f.read())
    if len(quick) != 2:
        print(f"README.md's Quick start should have exactly two commands, has {len(quick)}: {quick}")
        return 1
    with open(sys.argv[2], encoding="utf-8") as f:
        ci = [c for c in commands(f.read().splitlines())
              if not re.match(r"(set|cd|export)\b", c)]
    ci = [re.sub(r"^exec\s+", "", c) for c in ci]
    if ci != [quick[1]]:
        print(f"{sys.argv[2]} should run exactly the README's test command {quick[1]!r}; it runs {ci}")
        return 1
    print(f"ok: README's test command and .ci/run are both {quick[1]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
