#!/usr/bin/env bash
# Validates nftc's SARIF output with Microsoft's SARIF multitool (the npm
# package @microsoft/sarif-multitool, installed once into the build
# directory): the JSON schema and the multitool's own rules. Any result at
# level error or warning fails the test (but see SARIF2005 below).
#
#   validate.sh NFTC CACHE_DIR CASE_DIR
#
# Without node/npm, or when the package cannot be installed, the test is
# skipped (exit 77), except under CI=true, where it fails.
set -uo pipefail

nftc=$(realpath "$1")
cache=$2
cases=$(realpath "$3")
version=5.7.0

skip() {
  echo "sarif-validate: $*" >&2
  if [[ ${CI:-} == true ]]; then exit 1; fi
  exit 77
}

command -v node >/dev/null || skip "node is missing (apt-get install nodejs npm)"
command -v npm >/dev/null || skip "npm is missing (apt-get install npm)"

tool=$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [[ ! -e $tool ]]; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
      "@microsoft/sarif-multitool@$version" >&2 ||
    skip "npm install @microsoft/sarif-multitool@$version failed"
fi
# npm does not run the package's postinstall under every configuration.
chmod u+x "$tool"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each case: a name and the nftc arguments, run in CASE_DIR.
status=0
run_case() {
  local name=$1
  shift
  (cd "$cases" && "$nftc" "$@" >"$work/$name.sarif" 2>"$work/$name.stderr")
  local rc=$?
  if ((rc > 2)); then
    echo "FAIL $name: nftc exited $rc" >&2
    cat "$work/$name.stderr" >&2
    status=1
    return
  fi
  # The native binary, not `npx sarif-multitool`: npx hands the arguments to
  # a shell, which would split "Error;Warning".
  "$tool" validate --level "Error;Warning" -o "$work/$name.validation.sarif" "$work/$name.sarif" \
      >"$work/$name.log" 2>&1
  local findings
  # SARIF2005 asks for the tool's informationUri: nftc gives one only when
  # it was configured with NFTC_HOMEPAGE_URL (it has no URL to invent), so
  # that one warning is accepted when the output has no informationUri.
  findings=$(python3 -c 'import json,sys
log = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
allowed = set()
if not any(run.get("tool", {}).get("driver", {}).get("informationUri") for run in ours.get("runs", [])):
    allowed.add("SARIF2005")
for run in log.get("runs", []):
    for r in run.get("results", []):
        if r.get("level", "warning") in ("error", "warning") and r.get("ruleId") not in allowed:
            print(r.get("level", "warning"), r.get("ruleId"), r.get("message", {}).get("text", r.get("message")))
' "$work/$name.validation.sarif" "$work/$name.sarif" 2>&1)
  if [[ ! -s $work/$name.validation.sarif || -n $findings ]]; then
    echo "FAIL $name:" >&2
    echo "$findings" >&2
    cat "$work/$name.log" >&2
    status=1
  else
    echo "ok   $name"
  fi
}

run_case lint-relative lint --no-config --format sarif COR002-shadowed-rule-fires.nft \
    STY007-deprecated-syntax-fires.nft SEC002-ssh-lockout-fires.nft
run_case lint-absolute lint --no-config --format sarif "$cases/STY001-unused-suppression-fires.nft"
run_case lint-clean lint --no-config --format sarif COR002-shadowed-rule-quiet.nft
run_case check-errors check --format sarif ../render/errors.nft ../render/included.nft
run_case missing-file check --format sarif does-not-exist.nft
exit $status
