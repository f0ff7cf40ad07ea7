#!/usr/bin/env bash
# Installs the Debian packages gcx's build, tests and tools need, when any is missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
pkgs=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format python3
  libboost1.81-dev libboost-json1.81-dev
  catch2 nlohmann-json3-dev libcpp-httplib-dev libcurl4-openssl-dev libssl-dev openssl
  libbenchmark-dev
  ca-certificates  # a Recommends of libcurl4 that --no-install-recommends skips: HTTPS to a real org needs it
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
