#!/usr/bin/env bash
# Golden cases that need network interfaces which come and go (STY006 only
# fires on an interface that exists when the ruleset is checked): runs the
# golden runner on tests/lint/netns/*.golden inside a throw-away network
# namespace holding a veth pair. Needs root: exit 77 (skip) without it,
# unless CI=true.
#
#   netns_golden.sh NFTC_GOLDEN NFTC [--regen]
set -uo pipefail
golden=$1
nftc=$2
shift 2
dir=$(dirname "$(realpath "$0")")/netns

if ((EUID != 0)) || ! command -v ip >/dev/null; then
  echo "netns_golden: needs root and iproute2" >&2
  [[ ${CI:-} == true ]] && exit 1
  exit 77
fi
ns=nftc-lint-$$
ip netns add "$ns" || exit 1
trap 'ip netns delete "$ns"' EXIT
ip -n "$ns" link add veth-nftc0 type veth peer name veth-nftc1 || exit 1
ip netns exec "$ns" "$golden" --nftc "$nftc" "$@" "$dir"/*.golden
