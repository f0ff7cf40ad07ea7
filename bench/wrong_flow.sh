#!/bin/bash
# What a 200-number batch (--concurrency 16) with a flow id that names no flow spends, against
# gcx-sim's defaults (docs/benchmarks.md, "A wrong flow id over a batch"):
#   bench/wrong_flow.sh <gcx-lookup binary> [<gcx-sim binary>, default build/dev/sim/gcx-sim]

SIM=${2:-$(cd "$(dirname "$0")/.." && pwd)/build/dev/sim/gcx-sim}
out=$(mktemp); $SIM --port 0 > $out 2>&1 & pid=$!
for i in $(seq 50); do grep -q listening $out && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' $out)
export GCX_API_URL=$url GENESYS_CLIENT_ID=$(sed -n 's/^client_id=//p' $out) GENESYS_CLIENT_SECRET=$(sed -n 's/^client_secret=//p' $out)
export TARGET_FLOW_ID=0f0f0f0f-1111-4222-8333-444444444444
start=$(date +%s.%N)
seq 1 200 | awk '{printf "+1317555%04d\n",$1}' | "$1" --json --concurrency 16 --quiet > /dev/null && rc=0 || rc=$?
end=$(date +%s.%N)
python3 - "$url" "$rc" "$start" "$end" <<'PY'
import json, sys, urllib.request
url, rc, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
s = json.load(urllib.request.urlopen(url + "/sim/stats"))
print(f"exit {rc}, wall {end - start:.1f} s, requests {s['requests_total']}, "
      f"launch_requests {s['launch_requests']}, token_requests {s['token_requests']}")
PY
kill $pid
rm -f "$out"
