#!/usr/bin/python3
"""The tutorial's Python (tutorial_lookup.py: a new requests.Session and a new token per lookup)
as its users run a batch, for bench/budget: a fixed POLL_FIXED_MS (default 1000) poll loop, no
pacing, THREADS (default 16) lookups at once through a ThreadPoolExecutor, results printed in
input order (pool.map) and flushed line by line. A 429 (or any HTTP error) ends that lookup with
an error, as raise_for_status() makes it.

    SIM_URL=.. CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. THREADS=16 POLL_FIXED_MS=1000 \
    /usr/bin/python3 tutorial_budget.py < numbers.txt > results.jsonl
"""
import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tutorial_lookup as tutorial  # noqa: E402

tutorial.POLL_INITIAL = tutorial.POLL_MAX = float(os.environ.get("POLL_FIXED_MS", "1000")) / 1000.0


def main():
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("THREADS", "16"))) as pool:
        return tutorial.print_results(pool.map(tutorial.lookup_or_error, enumerate(tutorial.read_numbers())),
                                      flush_each=True)


if __name__ == "__main__":
    sys.exit(main())
