#!/bin/sh
# The front-end benchmark: nftc beside `nft -c -f` on generated rulesets.
#
#   bench/parse_bench.sh [BUILD_DIR] [RULES] [ELEMENTS]
#
# Generates (bench/gen_ruleset.py, fixed seed) a file of RULES rules
# (default 50000) and a file with one set of ELEMENTS elements (default
# 1000000), then prints for each:
#   - nftc parse: the parser alone (nftc-parse-bench, best of 10 in process),
#     and the whole process once under /usr/bin/time;
#   - nftc check: parse, analysis and lowering, as a user runs it;
#   - nft -c -f: run in a network namespace this script creates (and deletes),
#     so the root namespace's ruleset is never touched; needs root and nft.
# with MB/s (file size / wall time), wall, user and system seconds, peak RSS,
# and the nftc check / nft ratios (nft -c sends the batch to the kernel, which
# checks it and throws it away: its system time is the kernel's work).
# Where valgrind is installed, it also prints the parser's instructions per
# byte of a 5,000-rule file: a count, not a time, so it does not move with
# the machine's load and compares two builds where MB/s cannot.
# Measure on a Release build:
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && \
#     cmake --build build-release --target nftc nftc-parse-bench && bench/parse_bench.sh build-release
# It is a benchmark that prints figures, never a timed test: it has no
# pass/fail threshold.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rules=${2:-50000}
elements=${3:-1000000}
nftc="$build/nftc"
pbench="$build/nftc-parse-bench"
for exe in "$nftc" "$pbench"; do
  [ -x "$exe" ] || { echo "parse_bench.sh: $exe not built (cmake --build $build --target nftc nftc-parse-bench)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "parse_bench.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }

work=$(mktemp -d /tmp/nftc-bench.XXXXXX)
ns=""
cleanup() {
  [ -n "$ns" ] && ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

python3 "$here/gen_ruleset.py" rules "$rules" > "$work/rules.nft"
python3 "$here/gen_ruleset.py" set "$elements" > "$work/set.nft"

have_nft=no
if command -v nft >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  ns="nftc-bench-$$"
  if ip netns add "$ns" 2>/dev/null; then have_nft=yes; else ns=""; fi
fi

# Runs a command under /usr/bin/time; prints "wall user rss_kib sys" (or "fail").
measure() {
  if /usr/bin/time -f '%e %U %M %S' -o "$work/time" "$@" >"$work/out" 2>"$work/err"; then
    cat "$work/time"
  else
    echo fail
    sed -n '1,3p' "$work/err" >&2
  fi
}

row() {  # label size "wall user rss sys"
  label=$1 size=$2
  shift 2
  if [ "$1" = fail ]; then
    printf '  %-24s failed\n' "$label"
    return
  fi
  awk -v l="$label" -v s="$size" -v w="$1" -v u="$2" -v r="$3" -v y="$4" 'BEGIN {
    mbs = (w > 0) ? s / 1e6 / w : 0
    printf "  %-24s %7.1f MB/s  wall %7.2f s  user %7.2f s  sys %7.2f s  peak RSS %7.1f MiB\n", l, mbs, w, u, y, r / 1024 }'
}

ratio() {  # label "a_wall a_user a_rss a_sys" "b_wall b_user b_rss b_sys"
  label=$1
  set -- $2 $3
  if [ "$1" = fail ] || [ "$#" -lt 8 ]; then return; fi
  awk -v l="$label" -v aw="$1" -v au="$2" -v ar="$3" -v bw="$5" -v bu="$6" -v br="$7" 'BEGIN {
    printf "  %-24s wall %.2fx  user %.2fx  peak RSS %.2fx\n", l,
      (bw > 0 ? aw / bw : 0), (bu > 0 ? au / bu : 0), (br > 0 ? ar / br : 0) }'
}

for f in rules set; do
  file="$work/$f.nft"
  size=$(wc -c < "$file")
  case $f in
    rules) what="$rules rules" ;;
    set) what="one set of $elements elements" ;;
  esac
  echo "$f.nft: $what, $(awk -v s="$size" 'BEGIN { printf "%.2f MB", s / 1e6 }')"
  "$pbench" --repeat 10 "$file" | sed 's/^[^:]*: /  nftc parser (in process): /'
  parse=$(measure "$pbench" --repeat 1 "$file")
  row "nftc parse (process)" "$size" $parse
  check=$(measure "$nftc" check "$file")
  row "nftc check" "$size" $check
  if [ "$have_nft" = yes ]; then
    nftres=$(measure ip netns exec "$ns" nft -c -f "$file")
    row "nft -c -f ($(nft --version | awk '{print $2}'))" "$size" $nftres
    ratio "nftc check / nft -c" "$check" "$nftres"
  else
    echo "  nft -c -f               skipped (needs root, nft and ip netns)"
  fi
done

if command -v valgrind >/dev/null 2>&1; then
  python3 "$here/gen_ruleset.py" rules 5000 > "$work/rules5k.nft"
  printf 'table inet t {\n}\n' > "$work/empty.nft"
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$pbench" --repeat 1 "$1" 2>&1 |
      awk '/refs:/ { gsub(",", "", $NF); print $NF }'
  }
  base=$(instructions "$work/empty.nft")
  full=$(instructions "$work/rules5k.nft")
  size=$(wc -c < "$work/rules5k.nft")
  # Less the empty file's count: process start-up and reading the file.
  awk -v b="$base" -v f="$full" -v s="$size" 'BEGIN {
    printf "rules5k.nft: 5000 rules, %.2f MB\n  nftc parser (callgrind)  %.1f instructions per byte, %.1fM in all\n",
      s / 1e6, (f - b) / s, (f - b) / 1e6 }'
else
  echo "instructions per byte: skipped (needs valgrind)"
fi
