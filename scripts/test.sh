#!/usr/bin/env bash
# README command 2: installs what is missing, builds everything with
# AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/, runs every
# test with CTest, and ends with one summary line. Exits non-zero when a test
# fails or the build breaks.
#
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=$PWD
build=build-asan
start=$SECONDS

bash scripts/deps.sh

# -O0 with line tables only (-g1): the PEGTL parser is template-heavy, and full
# debug info roughly doubles its compile time while sanitizer reports need
# only file:line.
# A unity build (sources compiled in batches of 8, the parser's own heavy
# units alone) parses each header and instantiates each template once per
# batch rather than once per source: about 40% less compile time.
config=(-DNFTC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_UNITY_BUILD=ON)
# ccache (from Debian, installed by deps.sh) shares objects between clones
# and worktrees: paths under the source tree are made relative for its hash.
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR=$src
  config+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache "-DCMAKE_CXX_FLAGS=-fdebug-prefix-map=$src=.")
fi
# A build directory keeps the generator it was made with.
[[ -f $build/CMakeCache.txt ]] || config+=(-G Ninja)
cmake -S . -B "$build" "${config[@]}" >/dev/null
cmake --build "$build" --parallel 2
built=$SECONDS

log="$build/ctest.log"
set +o errexit
ctest --test-dir "$build" --output-on-failure --parallel 2 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -o errexit

# Counts from CTest's own lines ("  1/57 Test  #1: unit ....   Passed  0.12 sec").
passed=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$' "$log" || true)
skipped=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .*\*\*\*Skipped' "$log" || true)
total=$(grep -oE 'tests failed out of [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
failed=$((total - passed - skipped))
if ((status != 0 && failed == 0)); then failed=1; fi
echo "nftc tests took $((SECONDS - start)) s (build $((built - start)) s, tests $((SECONDS - built)) s)"
echo "nftc: $passed passed, $failed failed, $skipped skipped"
exit "$status"
