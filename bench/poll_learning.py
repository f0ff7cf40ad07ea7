#!/usr/bin/python3
"""bench/poll_learning.py: what gcx's learned poll schedule achieves while it learns (issue 18).

bench/poll_frontier.py gives the best "first poll at t1, then every s" schedule for a run-time
distribution known exactly. gcx does not know it: it fits a lognormal to the run times it has
seen (include/gcx/poll_schedule.hpp) and re-plans as they come. This replays that learning on a
seeded stream of N (1000, as bench/budget) executions whose run times are lognormal (MEDIAN_MS
800, SIGMA 0.35: gcx-sim's field-like defaults), CONCURRENCY (16) in flight: the plan of
execution i knows the run times of executions 0 .. i-16 only. Each execution is polled as
poll_plan::next would (first, then every step up to the horizon, then growing x1.5 up to 2 s,
never closer than 100 ms), and the stream's mean polls per execution and median wait from
completion to the poll that sees it are what bench/budget reports (plus one launch per lookup
for its requests per lookup).

Learners, each replayed on SEEDS (20) streams (seeds 1..SEEDS):

  old     gcx before this change: the last 64 runs, the fit evaluated on 64 quantiles (the median
          wait as the 32nd of 64 points), first poll among those quantiles, steps
          {100,125,150,175,200,250,300,400,500,700}, horizon past the largest quantile
  new     gcx now: the last 256 runs; mean polls and median wait computed on the fitted curve
          (erfc), for each step from 100 to 600 ms by 25 the earliest first poll within the
          target (bisection, 1 ms), horizon at the fit's 99.87th percentile
  new-64  the new planner with the old window of 64 (what the window alone is worth)
  known   the new planner given the true distribution (no learning): the best any learner of
          this family can do; its spread is the noise of a 1000-execution sample itself

For each: mean and standard deviation over the seeds of the stream's polls per execution and
median wait, and how many of the streams met both issue-18 limits (<= 1.5 polls, i.e. <= 2.5
requests per lookup, and median wait <= 200 ms).

The lookup (lookup.hpp) times its polls from when the launch went out and when each poll was due,
so the server sees them at the plan's times after dateLaunched, as here (before, each poll was
timed from the previous answer: one round trip later per poll, which the median pays for: the
best plan puts the median wait at the step, where few waits lie just above it).

EXECUTIONS=file replays instead the run times of a bench/budget run (BUILD/budget/gcx1.executions.json,
gcx-sim's GET /sim/executions), in launch order, each learner learning them in the order they were
seen done, and prints what gcx-sim measured beside them (pollsAtMs: when each poll arrived).

Standard library only; seeded and deterministic (random.Random(seed).gauss).

  bench/poll_learning.py
  SEEDS=5 bench/poll_learning.py        quicker
  N=10000 SEEDS=3 bench/poll_learning.py   long streams: the bias, without the sample noise
  LEARNERS="old new" bench/poll_learning.py
  EXECUTIONS=build/bench/budget/gcx1.executions.json bench/poll_learning.py
"""
import datetime
import json
import math
import os
import random
import statistics

N = int(os.environ.get("N", "1000"))
SEEDS = int(os.environ.get("SEEDS", "20"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "16"))
MEDIAN = float(os.environ.get("MEDIAN_MS", "800"))
SIGMA = float(os.environ.get("SIGMA", "0.35"))
LEARNERS = os.environ.get("LEARNERS", "old new new-64 known").split()
TARGET = 1.5  # poll_policy::target_polls
FLOOR, FACTOR, CAP = 100, 1.5, 2000  # poll_policy::min_interval, factor, max
SQRT2 = math.sqrt(2)


# ---- poll_plan::next, and one execution polled by a plan ------------------------------------------
def next_gap(plan, since, prev):
    first, step, horizon = plan
    d = step if since < horizon else max(min(int(max(prev, step) * FACTOR), CAP), FLOOR)
    return max(d, FLOOR)


def polled(plan, run):
    """(polls, wait after completion) of one execution of run time `run` (ms)."""
    t = max(plan[0], FLOOR)
    prev, n = t, 1
    while t < run:
        prev = next_gap(plan, t, prev)
        t += prev
        n += 1
    return n, t - run


def fit(runs):
    logs = [math.log(min(max(r, 1), 3600000)) for r in runs]
    mu = sum(logs) / len(logs)
    return mu, math.sqrt(max(0.0, sum(x * x for x in logs) / len(logs) - mu * mu))


# ---- the old planner (include/gcx/poll_schedule.hpp before this change) ----------------------------
def ndtri(p):
    z = 0.0
    for _ in range(40):
        z -= (0.5 * math.erfc(-z / SQRT2) - p) / (math.exp(-z * z / 2) / math.sqrt(2 * math.pi))
    return z


Z64 = [ndtri((i + 0.5) / 64) for i in range(64)]
PRIOR16 = [-1.863, -1.318, -1.010, -0.776, -0.579, -0.402, -0.237, -0.078,
           0.078, 0.237, 0.402, 0.579, 0.776, 1.010, 1.318, 1.863]


def old_best_plan(runs):
    n, best = len(runs), None
    for q in runs:
        first = max(q, FLOOR)
        for step in (100, 125, 150, 175, 200, 250, 300, 400, 500, 700):
            polls, delays = 0, []
            for t in runs:
                k = 0 if t <= first else math.ceil((t - first) / step)
                polls += 1 + k
                delays.append(first + k * step - t)
            polls /= n
            delays.sort()
            median, ok = delays[n // 2], polls <= TARGET
            if best is None:
                better = True
            elif ok:
                better = not best[0] or median < best[1] or (median == best[1] and polls < best[2])
            else:
                better = not best[0] and polls < best[2]
            if better:
                best = (ok, median, polls, first, step)
    first, step = best[3], best[4]
    return first, step, max(runs[-1] + step, first + step)


def old_plan(runs):
    if runs is None:
        return old_best_plan(sorted(int(800 * math.exp(0.35 * z)) for z in PRIOR16))
    mu, sigma = fit(runs)
    return old_best_plan([int(min(math.exp(mu + sigma * z), 3.6e6)) for z in Z64])


# ---- the new planner (include/gcx/poll_schedule.hpp now: detail::best_plan) ---------------------------
def evaluate(plan, mu, sigma, with_median=True):
    """Mean polls and median wait of `plan` on lognormal(mu, sigma), from the curve (evaluate_plan)."""
    scale = 1 / (sigma * SQRT2)

    def survival(t):
        return 1.0 if t <= 0 else 0.5 * math.erfc((math.log(t) - mu) * scale)

    at, done = [], []
    t = max(plan[0], FLOOR)
    prev, polls = t, 1.0
    while True:
        s = survival(t)
        at.append(t)
        done.append(1 - s)
        if s < 1e-5 or len(at) == 32 or t > 3600000:
            break
        polls += s
        prev = next_gap(plan, t, prev)
        t += prev
    if not with_median:
        return polls, 0.0
    lo, hi = 0.0, float(max([at[0]] + [b - a for a, b in zip(at, at[1:])]))
    for _ in range(20):
        w = (lo + hi) / 2
        seen = sum(done[i] - (1 - survival(max(at[i - 1] if i else 0.0, at[i] - w))) for i in range(len(at)))
        if seen >= 0.5:
            hi = w
        else:
            lo = w
    return polls, hi


def new_best_plan(mu, sigma, target=TARGET):
    sigma = min(max(sigma, 0.01), 2.0)

    def at_z(z):
        return int(min(max(math.exp(mu + z * sigma), 1.0), 3.6e6))

    best, best_cost, best_ok = (700, 200, 3000), (1e18, 1e18), False
    for step in range(100, 601, 25):
        step = max(step, FLOOR)

        def plan_at(first):
            first = max(first, FLOOR)
            return first, step, max(at_z(3), first + step)

        def ok_at(first):
            return evaluate(plan_at(first), mu, sigma, False)[0] <= target

        lo = max(at_z(-2), FLOOR)
        hi = max(at_z(4), lo)
        if ok_at(lo):
            hi = lo
        elif ok_at(hi):
            while hi - lo > 1:
                mid = lo + (hi - lo) // 2
                if ok_at(mid):
                    hi = mid
                else:
                    lo = mid
        plan = plan_at(hi)
        ok = ok_at(hi)
        polls, median = evaluate(plan, mu, sigma, ok)
        better = (not best_ok or median < best_cost[1]) if ok else (not best_ok and polls < best_cost[0])
        if better:
            best, best_cost, best_ok = plan, (polls, median), ok
    return best


def new_plan(runs):
    return new_best_plan(math.log(800), 0.35) if runs is None else new_best_plan(*fit(runs))


# ---- run_time_stats: a window of runs, re-planned at once while learning, then every 8 runs -------
class Learner:
    def __init__(self, planner, window, known=False):
        self.planner, self.window, self.known = planner, window, known
        self.runs, self.count, self.dirty, self.plan, self.prior = [], 0, True, None, None

    def record(self, run):
        if len(self.runs) < self.window:
            self.runs.append(run)
        else:
            self.runs[self.count % self.window] = run
        self.count += 1
        if self.count <= 16 or self.count % 8 == 0:
            self.dirty = True

    def get(self):
        if self.known:
            if not self.prior:
                self.prior = new_best_plan(math.log(MEDIAN), SIGMA)
            return self.prior
        if len(self.runs) < 8:
            if not self.prior:
                self.prior = self.planner(None)
            return self.prior
        if self.dirty or not self.plan:
            self.plan = self.planner(self.runs)
            self.dirty = False
        return self.plan


def make(name):
    return {"old": lambda: Learner(old_plan, 64), "new": lambda: Learner(new_plan, 256),
            "new-64": lambda: Learner(new_plan, 64), "known": lambda: Learner(new_plan, 256, known=True)}[name]()


def stream(learner, seed):
    rng = random.Random(seed)
    runs = [MEDIAN * math.exp(SIGMA * rng.gauss(0, 1)) for _ in range(N)]
    polls, waits = 0, []
    for i, run in enumerate(runs):
        if i >= CONCURRENCY:
            learner.record(int(runs[i - CONCURRENCY]))  # what has completed: 16 behind
        k, w = polled(learner.get(), run)
        polls += k
        waits.append(w)
    waits.sort()
    return polls / N, waits[N // 2]


def replay(path):
    """The learners on a bench/budget run's own run times, and what gcx-sim measured."""
    def ms(s):
        return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
    ex = sorted(json.load(open(path)), key=lambda e: ms(e["dateLaunched"]))
    launched = [ms(e["dateLaunched"]) for e in ex]
    seen = [ms(e["dateFirstSeenDone"]) for e in ex]
    runs = [ms(e["dateCompleted"]) - a for e, a in zip(ex, launched)]
    order = sorted(range(len(ex)), key=lambda i: seen[i])
    print("Run times of %s: %d executions, median %.0f ms, sigma of the logs %.3f." % (
        path, len(runs), statistics.median(runs), statistics.pstdev([math.log(max(r, 1)) for r in runs])))
    print()
    print("| learner | polls per execution | requests per lookup | median wait after completion |")
    print("|---|---:|---:|---:|")
    for name in LEARNERS:
        learner, j, polls, waits = make(name), 0, 0, []
        for i, run in enumerate(runs):
            while j < len(order) and seen[order[j]] <= launched[i]:
                learner.record(int(runs[order[j]]))
                j += 1
            k, w = polled(learner.get(), run)
            polls += k
            waits.append(w)
        print("| %s, modelled | %.3f | %.3f | %.1f ms |" % (name, polls / len(runs), polls / len(runs) + 1, statistics.median(waits)))
    polls = statistics.mean(len(e["pollsAtMs"]) for e in ex)
    print("| gcx-sim measured | %.3f | %.3f | %.1f ms |" % (polls, polls + 1, statistics.median(s - (a + r) for s, a, r in zip(seen, launched, runs))))


def main():
    if os.environ.get("EXECUTIONS"):
        replay(os.environ["EXECUTIONS"])
        return
    print("Run times lognormal, median %.0f ms, sigma %.2f; %d executions per stream, %d in flight, %d seeded streams."
          % (MEDIAN, SIGMA, N, CONCURRENCY, SEEDS))
    print()
    print("| learner | polls per execution, mean (sd) | requests per lookup | median wait after completion, mean (sd) | streams within both limits |")
    print("|---|---:|---:|---:|---:|")
    for name in LEARNERS:
        res = [stream(make(name), seed) for seed in range(1, SEEDS + 1)]
        polls = [r[0] for r in res]
        waits = [r[1] for r in res]
        sd = (lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0)
        print("| %s | %.3f (%.3f) | %.3f | %.1f ms (%.1f) | %d of %d |" % (
            name, statistics.mean(polls), sd(polls), statistics.mean(polls) + 1, statistics.mean(waits), sd(waits),
            sum(1 for p, w in res if p <= TARGET and w <= 200), len(res)), flush=True)


if __name__ == "__main__":
    main()
