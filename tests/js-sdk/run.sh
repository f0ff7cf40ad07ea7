#!/usr/bin/env bash
# Runs check.js against a freshly started gcx-sim. Exit 77 (skipped) when node/npm are absent.
#   run.sh <path to gcx-sim> <scratch dir for node_modules>
set -euo pipefail
sim_bin=$1
work=$2
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node or npm not available: skipped"
  exit 77
fi
mkdir -p "$work"
cp "$here/package.json" "$here/check.js" "$work/"
if [ ! -d "$work/node_modules/purecloud-platform-client-v2" ]; then
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
out="$work/sim.out"
"$sim_bin" --port 0 --run-ms 100 >"$out" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^unknown_number=' "$out" 2>/dev/null && break; sleep 0.05; done
val() { sed -n "s/^$1=//p" "$out"; }
export SIM_URL; SIM_URL=$(sed -n 's/^gcx-sim listening on //p' "$out")
export CLIENT_ID; CLIENT_ID=$(val client_id)
export CLIENT_SECRET; CLIENT_SECRET=$(val client_secret)
export NO_LAUNCH_CLIENT_ID; NO_LAUNCH_CLIENT_ID=$(val no_launch_client_id)
export NO_LAUNCH_CLIENT_SECRET; NO_LAUNCH_CLIENT_SECRET=$(val no_launch_client_secret)
export FLOW_ID; FLOW_ID=$(val lookup_flow_id)
export FOUND_NUMBER; FOUND_NUMBER=$(val found_number)
cd "$work" && node check.js
