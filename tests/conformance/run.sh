#!/usr/bin/env bash
# Builds nftc-conformance if needed and runs it over the nftables test suite,
# printing the totals.
#
#   tests/conformance/run.sh                    # everything, stage lower
#   tests/conformance/run.sh --stage parse      # parsing only
#   tests/conformance/run.sh --per-file         # a row per test file too
#   tests/conformance/run.sh --filter ip/ --diff
#
# Other options go to the runner (nftc-conformance --help). BUILD_DIR picks the
# build directory (default: build/ at the top of the source tree);
# NFTC_SHARED_DIR the directory holding nft-tests/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$src/build}

args=()
quiet=(--quiet)
for a in "$@"; do
  if [[ $a == --per-file ]]; then quiet=(); else args+=("$a"); fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [[ ! -f $build/CMakeCache.txt ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if ! cmake -S "$src" -B "$build" "${generator[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    exit 2
  fi
fi
if ! cmake --build "$build" --target nftc-conformance >"$log" 2>&1; then
  cat "$log" >&2
  exit 2
fi

exec "$build/nftc-conformance" "${quiet[@]}" "${args[@]}"
