#!/usr/bin/env bash
# Installs the Debian packages nftc needs to build and test, and nothing else.
# Idempotent: when everything is installed it only asks dpkg and returns at
# once (no apt-get update). Run as root, or as a user with sudo.
#
#   bash scripts/deps.sh
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config ccache
  # libraries (see README.md, "Dependencies", for why each is there)
  tao-pegtl-dev libfmt-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libnftnl-dev libmnl-dev
  # tests
  doctest-dev python3 python3-jsonschema nftables iproute2
)

# dpkg-query prints one status line per known package and complains on
# stderr about the ones it has never heard of; both count as missing.
installed=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${packages[@]}" 2>/dev/null |
            awk '$1 == "installed" { print $2 }' || true)
missing=()
for p in "${packages[@]}"; do
  grep -qx -- "$p" <<<"$installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

echo "deps.sh: installing ${missing[*]}" >&2
sudo=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "deps.sh: run as root (or install sudo)" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
