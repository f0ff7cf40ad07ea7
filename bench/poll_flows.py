#!/usr/bin/python3
"""bench/poll_flows.py: what gcx's adaptive polling costs on flows unlike the field's.

For each flow below, starts gcx-sim with --rate-limit 0 (the budget is not what is measured here)
and the flow's run-time flags, looks up N numbers (default 200) with gcx-lookup at its
concurrency, and reads gcx-sim's own record of every execution (GET /sim/executions: its run
time, its polls, when a poll first saw it done) and its counters (GET /sim/stats). Printed per
flow: requests per lookup over the batch, then polls per execution and the median wait from
completion to the poll that saw it, for the first 20 executions (launched before the flow's runs
were learned: they poll on the prior) and from the 41st on (the learned plan).

  bench/poll_flows.py                 the five flows below, one after another (about 4 minutes)
  N=100 bench/poll_flows.py           fewer numbers
  FLOWS="slow wide" bench/poll_flows.py    some of them
  BUILD=dir                           the CMake build directory (default build/bench)

Python 3 standard library only.
"""
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("BUILD", os.path.join(ROOT, "build", "bench")))
N = int(os.environ.get("N", "200"))

# name: (gcx-sim flags, concurrency, what it is)
FLOWS = {
    "field": ([], 16, "the field's curve (lognormal, median 0.8 s, sigma 0.35: gcx-sim's default)"),
    "fast": (["--run-ms", "150"], 16, "every run 150 ms"),
    "fixed3s": (["--run-ms", "3000"], 30, "every run 3 s"),
    "slow": (["--run-median-ms", "5000"], 30, "lognormal, median 5 s, sigma 0.35"),
    "wide": (["--run-sigma", "1.0"], 10, "lognormal, median 0.8 s, sigma 1.0"),
}


def epoch_ms(iso):
    t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() * 1000.0


def get(url, path):
    with urllib.request.urlopen(url + path, timeout=30) as r:
        return json.loads(r.read())


def one(name):
    sim_args, concurrency, what = FLOWS[name]
    log = os.path.join(BUILD, "poll_flows-sim-%s.out" % name)
    sim = subprocess.Popen([os.path.join(BUILD, "sim", "gcx-sim"), "--port", "0", "--rate-limit", "0"] + sim_args,
                           stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            text = open(log).read()
            if re.search(r"^unknown_number=", text, re.M):
                break
            time.sleep(0.05)
        else:
            sys.exit("gcx-sim did not start:\n" + open(log).read())
        url = re.search(r"^gcx-sim listening on (\S+)", text, re.M).group(1)
        demo = dict(re.findall(r"^(\w+)=(\S+)$", text, re.M))
        env = dict(os.environ, GCX_API_URL=url, GENESYS_CLIENT_ID=demo["client_id"],
                   GENESYS_CLIENT_SECRET=demo["client_secret"], TARGET_FLOW_ID=demo["lookup_flow_id"])
        for k in ("GCX_LOGIN_URL", "GCX_CA_FILE"):
            env.pop(k, None)
        numbers = "".join("+1317555%04d\n" % i for i in range(N))
        started = time.monotonic()
        subprocess.run([os.path.join(BUILD, "tools", "gcx-lookup"), "--json", "--quiet", "--rate", "0",
                        "--concurrency", str(concurrency)], input=numbers.encode(), env=env,
                       stdout=subprocess.DEVNULL, check=False)
        wall = time.monotonic() - started
        execs = sorted(get(url, "/sim/executions"), key=lambda e: epoch_ms(e["dateLaunched"]))
        stats = get(url, "/sim/stats")
    finally:
        sim.terminate()
        sim.wait()

    def part(xs):
        waits = [epoch_ms(e["dateFirstSeenDone"]) - epoch_ms(e["dateCompleted"]) for e in xs if e.get("dateFirstSeenDone")]
        polls = statistics.mean(e["polls"] for e in xs) if xs else float("nan")
        return polls, (statistics.median(waits) if waits else float("nan"))

    cold, steady = part(execs[:20]), part(execs[40:])
    return (name, what, concurrency, stats["requests_total"] / max(1, stats["launches"]), cold, steady, wall)


def main():
    names = os.environ.get("FLOWS", " ".join(FLOWS)).split()
    for n in names:
        if n not in FLOWS:
            sys.exit("unknown flow %r (one of: %s)" % (n, " ".join(FLOWS)))
    print("| flow | concurrency | requests per lookup | first 20: polls, median wait | from the 41st: polls, median wait |")
    print("|---|---:|---:|---:|---:|")
    for n in names:
        name, what, c, req, cold, steady, wall = one(n)
        print("| %s (%s) | %d | %.2f | %.2f, %.0f ms | %.2f, %.0f ms |" % (name, what, c, req, cold[0], cold[1], steady[0],
                                                                        steady[1]), flush=True)
    print("\n%d numbers per flow; `gcx-sim --rate-limit 0`, gcx-lookup --rate 0 (no budget)." % N)


if __name__ == "__main__":
    main()
