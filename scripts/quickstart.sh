#!/usr/bin/env bash
# README command 1: installs what is missing, builds nftc (release, in build/),
# and runs its main job on a shipped example.
#
#   bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

example=examples/openwrt-fw4-offload.nft
# The main job: compile for a router with hardware flow offloading. It
# prints the ruleset nftc would load (flowtables get `flags offload`) and any
# offload findings; it fails (exit 1) on an error-level finding.
main_job=(compile --target hw-offload)

bash scripts/deps.sh

echo "quickstart: building nftc (release) in build/"
generator=()
[[ -f build/CMakeCache.txt ]] || generator=(-G Ninja)  # an existing build/ keeps its own
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target nftc --parallel 2

echo "quickstart: \$ build/nftc ${main_job[*]} $example"
status=0
build/nftc "${main_job[@]}" "$example" || status=$?
if ((status == 0)); then
  echo "quickstart: nftc ${main_job[*]} compiled $example with no error (exit 0)"
fi
exit "$status"
