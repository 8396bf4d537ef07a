#!/usr/bin/env bash
# Benchmark (never a test): `nftc lint --statistics` over every tests/shell
# dump of the nftables suite and the examples, in one process. Prints the
# statistics, the number of files and the wall time of the best of N runs.
#
#   bench/lint_dumps.sh [NFTC] [RUNS]
#
# The suite is read from ../shared/nft-tests or $NFTC_SHARED_DIR/nft-tests.
# Empty dumps (tests whose ruleset ends empty) are left out: nftc refuses
# an empty input (IO004) before linting.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nftc=${1:-$root/build/nftc}
runs=${2:-5}
suite=${NFTC_SHARED_DIR:-$root/../shared}/nft-tests/tests/shell/testcases

mapfile -t files < <(find "$suite" -path '*/dumps/*.nft' -size +0 | sort)
files+=("$root"/examples/*.nft)

"$nftc" lint --no-config --statistics --format concise "${files[@]}" 2>/dev/null || true
best=
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$nftc" lint --no-config --statistics --format concise "${files[@]}" >/dev/null 2>&1 || true
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [[ -z $best || $ms -lt $best ]] && best=$ms
done
echo "files: ${#files[@]}  best of $runs: ${best} ms"
