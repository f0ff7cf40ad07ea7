#!/usr/bin/env python3
"""Summarises a clang++ -ftime-trace JSON (docs/compile-time.md):

    clang++ -std=c++17 -O0 -I<include dir> -ftime-trace -ftime-trace-granularity=20 -c FILE -o FILE.o
    python3 docs/compile-time/trace_summary.py FILE.json [N]

prints the compiler's totals per activity (parsing, instantiation, code generation), then the N
(default 30) most expensive entries: headers parsed (Source; a header's time includes the headers
it includes), templates instantiated (InstantiateFunction / InstantiateClass) and functions
generated, each with how many times it occurred and its total time. Times are wall-clock as the trace records them: on a busy
machine compare shares, not seconds. Stdlib only.
"""
import collections
import json
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    events = [e for e in json.load(open(sys.argv[1]))["traceEvents"] if e.get("ph") == "X"]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    print("totals (s)")
    for e in sorted((e for e in events if e["name"].startswith("Total ")), key=lambda e: -e["dur"])[:12]:
        print(f"  {e['dur'] / 1e6:7.3f}  {e['name'][6:]}")
    kinds = ("Source", "InstantiateFunction", "InstantiateClass", "CodeGen Function", "ParseClass")
    agg = collections.defaultdict(lambda: [0, 0.0])
    for e in events:
        if e["name"] in kinds:
            key = (e["name"], e.get("args", {}).get("detail", ""))
            agg[key][0] += 1
            agg[key][1] += e["dur"] / 1e6
    print(f"the {top} most expensive entries (s, count, kind, what)")
    for (kind, what), (n, t) in sorted(agg.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"  {t:7.3f} {n:4d}  {kind:19s} {what[:140]}")


if __name__ == "__main__":
    main()
