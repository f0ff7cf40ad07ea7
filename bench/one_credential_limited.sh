#!/bin/bash
# A batch over two credentials, the second limited for hours on its own (every poll, or with
# ON=token every token request, of it answered 429 with Retry-After: 7200, as a daily limit of
# that OAuth client would be); gcx-sim's field defaults otherwise (300 requests per minute per
# token, lognormal run times). Prints gcx-lookup's exit status, wall time, the statuses of the
# result lines and its summary. docs/benchmarks.md, "One credential limited for hours".
#
#   bench/one_credential_limited.sh GCX_LOOKUP GCX_SIM [N=300] [OUTDIR=/tmp/one-limited]
set -u
lookup=$1 simbin=$2 n=${3:-300} out=${4:-/tmp/one-limited} on=${ON:-poll}
mkdir -p "$out"
# The demo org's ids, from a simulator started for a moment.
: > "$out/demo.txt"
: > "$out/sim.txt"
"$simbin" --port 0 > "$out/demo.txt" 2>&1 &
probe=$!
for _ in $(seq 50); do grep -q '^found_number=' "$out/demo.txt" && break; sleep 0.1; done
kill "$probe"
demo() { sed -n "s/^$1=//p" "$out/demo.txt"; }
"$simbin" --port 0 --faults "429=1,retry_after=7200,on=$on,client=$(demo second_client_id)" > "$out/sim.txt" 2>&1 &
sim=$!
for _ in $(seq 50); do grep -q listening "$out/sim.txt" && break; sleep 0.1; done
url=$(sed -n 's/gcx-sim listening on //p' "$out/sim.txt")
creds=$(mktemp)
chmod 600 "$creds"
echo "$(demo second_client_id) $(demo second_client_secret)" > "$creds"
seq 1 "$n" | awk '{printf "+1317555%04d\n",$1}' > "$out/numbers.txt"
start=$(date +%s.%N)
GCX_API_URL=$url GENESYS_CLIENT_ID=$(demo client_id) GENESYS_CLIENT_SECRET=$(demo client_secret) \
  TARGET_FLOW_ID=$(demo lookup_flow_id) \
  "$lookup" --json --concurrency 16 --credentials-file "$creds" < "$out/numbers.txt" > "$out/out.jsonl" 2> "$out/err.txt"
rc=$?
end=$(date +%s.%N)
kill "$sim"
rm -f "$creds"
echo "exit $rc, $(echo "$end - $start" | bc) s"
echo "lines $(wc -l < "$out/out.jsonl"): $(grep -o '"status":"[a-z_]*"' "$out/out.jsonl" | sort | uniq -c | tr '\n' ' ')"
tail -1 "$out/err.txt"
