// include/gcx/poll_schedule.hpp: the learned poll schedule, its floor, and hostile run times.
#include <gcx/poll_schedule.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_poll_schedule {

using ms = gcx::milliseconds;

namespace {
/// Mean polls and median wait after completion of a plan over run times (what best_plan optimises).
struct cost {
    double polls = 0, median_delay = 0;
};
cost evaluate(const gcx::poll_plan& plan, const gcx::poll_policy& p, const std::vector<ms>& runs) {
    std::vector<double> delays;
    double polls = 0;
    for (ms run : runs) {
        ms t = plan.first, prev = plan.first;
        int n = 1;
        while (t < run) {
            prev = plan.next(p, t, prev);
            t += prev;
            ++n;
        }
        polls += n;
        delays.push_back(static_cast<double>((t - run).count()));
    }
    std::sort(delays.begin(), delays.end());
    return {polls / static_cast<double>(runs.size()), delays[delays.size() / 2]};
}

std::vector<ms> lognormal_runs(int n, double median_ms, double sigma, unsigned seed) {
    std::mt19937 gen(seed);
    std::lognormal_distribution<double> d(std::log(median_ms), sigma);
    std::vector<ms> out;
    for (int i = 0; i < n; ++i) out.push_back(ms{static_cast<std::int64_t>(d(gen))});
    return out;
}
}  // namespace

TEST_CASE("poll_schedule: run times from the execution's own dates") {
    CHECK(gcx::detail::reported_run_time("2026-05-20T14:03:11.204Z", "2026-05-20T14:03:12.301Z") == ms{1097});
    CHECK(gcx::detail::reported_run_time("2026-05-20T23:59:59.900Z", "2026-05-21T00:00:00.100Z") == ms{200});
    CHECK(gcx::detail::reported_run_time("2026-05-20T14:03:11Z", "2026-05-20T14:03:12.5Z") == ms{1500});
    // Hostile or unusable: completed before launched, over an hour, not a date, garbage after it.
    CHECK_FALSE(gcx::detail::reported_run_time("2026-05-20T14:03:12.000Z", "2026-05-20T14:03:11.000Z"));
    CHECK_FALSE(gcx::detail::reported_run_time("2026-05-20T14:03:12.000Z", "2026-05-20T16:03:11.000Z"));
    CHECK_FALSE(gcx::detail::reported_run_time("yesterday", "2026-05-20T14:03:11.000Z"));
    CHECK_FALSE(gcx::detail::reported_run_time("2026-05-20T14:03:11.000Z", "2026-05-20T14:03:12.000Zjunk"));
    CHECK_FALSE(gcx::detail::reported_run_time("2026-13-20T14:03:11.000Z", "2026-13-20T14:03:12.000Z"));
}

TEST_CASE("poll_schedule: a plan learned from 64 runs keeps to the polls target on the next runs") {
    gcx::poll_policy p;  // target 1.5 polls
    gcx::run_time_stats stats;
    for (auto r : lognormal_runs(64, 800, 0.35, 7)) stats.record("f", r);
    auto plan = stats.plan("f", p);
    REQUIRE(plan.learned);
    // Judged on 4,000 runs it has not seen (loose bounds: 64 samples give a fit, not the truth).
    auto runs = lognormal_runs(4000, 800, 0.35, 99);
    auto c = evaluate(plan, p, runs);
    CHECK(c.polls <= p.target_polls + 0.15);
    CHECK(c.median_delay <= 300);
    // Better than today's fixed schedule (200 ms, x1.5) on both counts.
    gcx::poll_policy fixed_p;
    fixed_p.adaptive = false;
    fixed_p.initial = ms{200};
    gcx::run_time_stats none;
    auto fixed = none.plan("f", fixed_p);
    auto f = evaluate(fixed, fixed_p, runs);
    CHECK(f.polls > 3.0);
    CHECK(c.polls < f.polls);
}

TEST_CASE("poll_schedule: the client learns a flow's run times and plans from them") {
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    auto prior = stats.plan("flow-a", p);
    CHECK_FALSE(prior.learned);
    CHECK(prior.first > ms{500});  // the prior: field workflows take 0.5 to 1.5 s
    for (int i = 0; i < 8; ++i) stats.record("flow-a", ms{300 + i});
    auto learned = stats.plan("flow-a", p);
    CHECK(learned.learned);
    CHECK(learned.first >= ms{295});  // about the runs' own time, not the prior's
    CHECK(learned.first <= ms{315});
    CHECK(stats.samples("flow-a") == 8);
    CHECK_FALSE(stats.plan("flow-b", p).learned);  // per flow
}

TEST_CASE("poll_schedule: two polls of one execution are never closer than the floor") {
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    for (int i = 0; i < 64; ++i) stats.record("fast", ms{0});  // a hostile or instant flow
    auto plan = stats.plan("fast", p);
    CHECK(plan.first >= p.min_interval);
    CHECK(plan.next(p, ms{0}, ms{1}) >= p.min_interval);
    CHECK(plan.next(p, ms{100000}, ms{1}) >= p.min_interval);
    // The fixed schedule too, whatever its initial wait (1 ms x 1.5 once stayed 1 ms for ever).
    gcx::poll_policy tiny;
    tiny.adaptive = false;
    tiny.initial = ms{1};
    auto fixed = stats.plan("fast", tiny);
    CHECK(fixed.first >= ms{100});
    ms prev = fixed.first;
    for (int i = 0; i < 10; ++i) {
        auto d = fixed.next(tiny, ms{1000}, prev);
        CHECK(d >= ms{100});
        CHECK(d >= prev);
        prev = d;
    }
    CHECK(prev == tiny.max);
}

TEST_CASE("poll_schedule: past the longest run seen, steps grow to the cap") {
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    for (int i = 0; i < 16; ++i) stats.record("f", ms{800});
    auto plan = stats.plan("f", p);
    ms prev = plan.step, since = plan.horizon;
    for (int i = 0; i < 20; ++i) {
        prev = plan.next(p, since, prev);
        since += prev;
    }
    CHECK(prev == p.max);
}

}  // namespace unit_poll_schedule
