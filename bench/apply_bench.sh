#!/bin/bash
# Apply benchmark: the time `nft -f` and `nftc apply` take to load the same
# large rulesets into the kernel, each in a fresh network namespace (created
# here, deleted on exit; the root namespace is never touched). Prints both
# wall-clock times, the ratio, and checks that both loaded everything.
#
#   bench/apply_bench.sh [NFTC] [RUNS]
#
# NFTC defaults to build/nftc; RUNS (default 3) runs per tool, best kept.
# Rulesets: a set of 1,000,000 IPv4 addresses (and a rule using it); 50,000
# rules in one base chain.
# Needs root. A benchmark prints figures; it is not a test.
set -u

HERE=$(dirname "$(realpath "$0")")
NFTC=$(realpath "${1:-$HERE/../build/nftc}")
RUNS=${2:-3}
if [ "$(id -u)" != 0 ]; then
  echo "apply_bench: needs root for network namespaces" >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/nftc-apply-bench.XXXXXX)
NAMESPACES=()
cleanup() {
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK" || exit 1

N=0
new_ns() {
  N=$((N + 1))
  NS="nftc-bench-$$-$N"
  ip netns add "$NS" || exit 1
  NAMESPACES+=("$NS")
}
drop_ns() {
  ip netns del "$NS"
  unset 'NAMESPACES[-1]'
}

python3 - <<'EOF'
with open("set-1M.nft", "w") as f:
    f.write("table ip bench {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = {\n")
    f.write(",\n".join(f"\t\t\t10.{i >> 16}.{(i >> 8) & 255}.{i & 255}" for i in range(1000000)))
    f.write("\n\t\t}\n\t}\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n")
    f.write("\t\tip saddr @s counter drop\n\t}\n}\n")
with open("rules-50k.nft", "w") as f:
    f.write("table inet bench {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n")
    for i in range(50000):
        f.write(f"\t\tip saddr 10.{(i >> 8) & 255}.{i & 255}.1 tcp dport {i % 65535 + 1} counter accept\n")
    f.write("\t}\n}\n")
EOF

# best_time CMD...: the fastest of RUNS loads, each into a fresh namespace;
# BEST is "wall cpu" in seconds (cpu = user + system time of the loader,
# which includes the kernel's work on the batch, done in its sendmsg);
# LOADED is the line count of `nft list ruleset` afterwards.
best_time() {
  BEST=
  for _ in $(seq "$RUNS"); do
    new_ns
    local t
    t=$(python3 - "$NS" "$@" 2>"$WORK/err" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
r = subprocess.run(["ip", "netns", "exec"] + sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr)
wall = time.monotonic() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {u.ru_utime + u.ru_stime:.3f}")
sys.exit(r.returncode)
PY
)
    local rc=$?
    LOADED=$(ip netns exec "$NS" nft list ruleset | wc -l)
    drop_ns
    if [ "$rc" != 0 ]; then
      BEST=failed
      return 1
    fi
    if [ -z "$BEST" ] || [ "$(echo "${t%% *} < ${BEST%% *}" | bc)" = 1 ]; then BEST=$t; fi
  done
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

printf "%-14s %9s %9s %6s   %9s %9s %6s   %s\n" ruleset "nft wall" "nftc wall" ratio "nft cpu" "nftc cpu" ratio \
  "listing lines nft / nftc"
for f in set-1M.nft rules-50k.nft; do
  if ! best_time nft -f "$f"; then
    printf "%-14s nft cannot load it here: %s\n" "$f" "$(head -1 "$WORK/err")"
    continue
  fi
  nft_best=$BEST nft_lines=$LOADED
  if ! best_time "$NFTC" apply --color never "$f"; then
    printf "%-14s nftc apply failed:\n" "$f"
    head -5 "$WORK/err"
    continue
  fi
  read -r nw nc <<<"$nft_best"
  read -r cw cc <<<"$BEST"
  printf "%-14s %8ss %8ss %5sx   %8ss %8ss %5sx   %s / %s\n" "$f" "$nw" "$cw" "$(ratio "$cw" "$nw")" \
    "$nc" "$cc" "$(ratio "$cc" "$nc")" "$nft_lines" "$LOADED"
done
echo "(ratio = nftc apply / nft -f; best wall clock of $RUNS runs each, including parsing; cpu = user + system)"
