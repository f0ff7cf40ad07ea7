#!/usr/bin/python3
"""bench/poll_frontier.py: what any poll schedule can do on a given run-time distribution.

For executions whose run times are lognormal (MEDIAN_MS, default 800; SIGMA, default 0.35: the
field figures gcx-sim draws from), computes for a few schedules the mean number of polls per
execution and the median and p95 of the wait from completion to the poll that sees it:

  - the best "first poll at t1, then every s" schedule at each budget of polls per execution
    (searched over t1 in 5 ms steps and s from 100 to 600 ms in 25 ms steps): the frontier that gcx's learned schedule
    (include/gcx/poll_schedule.hpp) aims at, knowing the distribution exactly;
  - a fixed 1 s loop (what users of the SDKs write);
  - gcx's old default (first 200 ms, then x1.5).

Polls counted here are polls only: a flow lookup costs one launch more. Standard library only;
a seeded sample of SAMPLES (5000) run times, so every run prints the same figures.

  bench/poll_frontier.py
  MEDIAN_MS=2500 bench/poll_frontier.py      a slower flow
"""
import math
import os
import random

MEDIAN = float(os.environ.get("MEDIAN_MS", "800"))
SIGMA = float(os.environ.get("SIGMA", "0.35"))
rng = random.Random(int(os.environ.get("SEED", "1")))
RUNS = sorted(MEDIAN * math.exp(SIGMA * rng.gauss(0, 1)) for _ in range(int(os.environ.get("SAMPLES", "5000"))))


def evaluate(poll_times):
    """poll_times(run) -> (polls, wait) for one run; returns mean polls, median and p95 wait."""
    polls, waits = 0, []
    for t in RUNS:
        p, w = poll_times(t)
        polls += p
        waits.append(w)
    waits.sort()
    return polls / len(RUNS), waits[len(waits) // 2], waits[int(len(waits) * 0.95)]


def first_then_step(first, step):
    def at(t):
        k = 0 if t <= first else math.ceil((t - first) / step)
        return 1 + k, first + k * step - t
    return at


def growing(first, factor):
    def at(t):
        polls, when, gap = 1, first, first
        while when < t:
            gap *= factor
            when += gap
            polls += 1
        return polls, when - t
    return at


def best_at(budget):
    best = None
    lo, hi = int(RUNS[len(RUNS) // 10]), int(RUNS[len(RUNS) * 9 // 10])
    for first in range(lo, hi, 5):
        for step in range(100, 601, 25):
            polls, median, p95 = evaluate(first_then_step(first, step))
            if polls <= budget and (best is None or median < best[2]):
                best = (first, step, median, polls, p95)
    return best


def main():
    print("Run times: lognormal, median %.0f ms, sigma %.2f (%d seeded samples)." % (MEDIAN, SIGMA, len(RUNS)))
    print()
    print("| schedule | polls per execution | requests per lookup (+1 launch) | wait after completion, median | p95 |")
    print("|---|---:|---:|---:|---:|")
    for budget in (1.3, 1.4, 1.45, 1.5, 1.6, 1.8, 2.0):
        b = best_at(budget)
        if b:
            print("| best first-then-step at <= %.2f polls: first %d ms, then every %d ms | %.3f | %.2f | %.0f ms | %.0f ms |"
                  % (budget, b[0], b[1], b[3], b[3] + 1, b[2], b[4]))
    polls, median, p95 = evaluate(first_then_step(1000, 1000))
    print("| fixed 1 s loop | %.3f | %.2f | %.0f ms | %.0f ms |" % (polls, polls + 1, median, p95))
    polls, median, p95 = evaluate(growing(200, 1.5))
    print("| gcx's old default: 200 ms, then x1.5 | %.3f | %.2f | %.0f ms | %.0f ms |" % (polls, polls + 1, median, p95))


if __name__ == "__main__":
    main()
