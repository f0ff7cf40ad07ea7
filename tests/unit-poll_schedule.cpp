// include/gcx/poll_schedule.hpp: the learned poll schedule, its floor, and hostile run times.
#include <gcx/poll_schedule.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <random>
#include <vector>

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

/// Lognormal run times from mt19937 and Box-Muller: the same values with every standard library
/// (std::lognormal_distribution's are the implementation's own).
std::vector<ms> portable_lognormal_runs(int n, double median_ms, double sigma, unsigned seed) {
    std::mt19937 gen(seed);
    std::vector<ms> out;
    const double two_pi = 2 * 3.14159265358979323846;
    for (int i = 0; i < n; ++i) {
        const double u1 = (static_cast<double>(gen()) + 1) / 4294967297.0,
                     u2 = static_cast<double>(gen()) / 4294967296.0;
        const double z = std::sqrt(-2 * std::log(u1)) * std::cos(two_pi * u2);
        out.push_back(ms{static_cast<std::int64_t>(median_ms * std::exp(sigma * z))});
    }
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

TEST_CASE("poll_schedule: polls answered RUNNING past the reported completion move the plan later by that lag") {
    gcx::poll_policy p;
    gcx::run_time_stats plain, lagging, early, few, hostile;
    const auto runs = lognormal_runs(64, 800, 0.35, 7);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        plain.record("f", runs[i]);
        // A platform whose answers trail its dates by about 150 ms: some RUNNING polls went out up to
        // 150 ms after the reported completion; most RUNNING polls, before it.
        lagging.record("f", runs[i], i % 4 == 0 ? ms{40 + static_cast<std::int64_t>(i) * 2} : ms{-300});
        // No lag: the last RUNNING poll always went out before the completion (or there was none).
        early.record("f", runs[i],
                     i % 3 == 0 ? std::optional<ms>() : std::optional<ms>(ms{-1 - static_cast<std::int64_t>(i)}));
        hostile.record("f", runs[i], ms{3600000});  // dates that say nothing of what a poll sees
    }
    for (int i = 0; i < 3; ++i) few.record("f", ms{800}, ms{500});  // too few figures to move on
    for (int i = 3; i < 64; ++i) few.record("f", ms{800});
    const auto base = plain.plan("f", p);
    const auto moved = lagging.plan("f", p);
    CHECK(base.shift == ms{0});
    CHECK(moved.shift == ms{40 + 56 * 2});  // the second greatest of the last 32 (i = 56; i = 60 is the greatest)
    CHECK(moved.first == base.first + moved.shift);
    CHECK(moved.step == base.step);
    CHECK(early.plan("f", p).first == base.first);
    CHECK(early.plan("f", p).shift == ms{0});
    CHECK(few.plan("f", p).shift == ms{0});
    CHECK(hostile.plan("f", p).shift == ms{10000});  // bounded

    // One odd execution (dates that say it ended at once) moves nothing; two do, until 32 more
    // executions have pushed them out of the window, with or without a poll answered RUNNING.
    gcx::run_time_stats odd;
    for (int i = 0; i < 16; ++i) odd.record("f", ms{800}, ms{-200});
    odd.record("f", ms{0}, ms{9000});
    CHECK(odd.plan("f", p).shift == ms{0});
    odd.record("f", ms{0}, ms{8000});
    CHECK(odd.plan("f", p).shift == ms{8000});
    for (int i = 0; i < 32; ++i) odd.record("f", ms{800});
    for (int i = 0; i < 8; ++i) odd.record("f", ms{800});  // re-planned every 8 runs
    CHECK(odd.plan("f", p).shift == ms{0});
}

TEST_CASE("poll_schedule: a run time is plausible only if it fits in what the client saw, but for a second") {
    CHECK(gcx::detail::plausible_run_time(ms{783}, ms{900}));
    CHECK(gcx::detail::plausible_run_time(ms{1900}, ms{900}));  // rounding and the server's own skew
    CHECK_FALSE(gcx::detail::plausible_run_time(ms{1901}, ms{900}));
    CHECK_FALSE(gcx::detail::plausible_run_time(ms{3000000}, ms{1000}));  // 50 minutes in one second
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

TEST_CASE("poll_schedule: past the horizon, steps grow to the cap") {
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

TEST_CASE("poll_schedule: on the field's run times the plan keeps to the target at the frontier's wait") {
    // Lognormal, median 800 ms, sigma 0.35: bench/poll_frontier.py's best "first, then every s"
    // at <= 1.5 polls waits 195 ms (median), at <= 1.45 polls 213 ms.
    gcx::poll_policy p;
    const gcx::detail::lognormal_fit field{std::log(800.0), 0.35};
    const auto plan = gcx::detail::best_plan(field, p, true);
    const auto c = gcx::detail::evaluate_plan(plan, field, p);
    CHECK(c.polls <= p.target_polls);
    CHECK(c.polls >= p.target_polls - 0.01);  // spends what it may: the earliest first poll
    CHECK(c.median_wait <= 198);
    CHECK(c.median_wait >= 190);
    // No schedule of the family on a 5 ms x 25 ms grid does better within the target.
    double frontier = 1e18;
    for (std::int64_t first = 600; first <= 1300; first += 5)
        for (std::int64_t step = 100; step <= 600; step += 25) {
            gcx::poll_plan q;
            q.first = ms{first};
            q.step = ms{step};
            q.horizon = plan.horizon;
            const auto qc = gcx::detail::evaluate_plan(q, field, p);
            if (qc.polls <= p.target_polls) frontier = std::min(frontier, qc.median_wait);
        }
    CHECK(c.median_wait <= frontier + 1);
    // The curve's figures agree with 20,000 sampled runs polled as a lookup polls them.
    const auto sampled = evaluate(plan, p, portable_lognormal_runs(20000, 800, 0.35, 5));
    CHECK(std::abs(sampled.polls - c.polls) < 0.02);
    CHECK(std::abs(sampled.median_delay - c.median_wait) < 6);
    // The prior is that same curve.
    gcx::run_time_stats stats;
    const auto prior = stats.plan("new-flow", p);
    CHECK_FALSE(prior.learned);
    CHECK(prior.first == plan.first);
    CHECK(prior.step == plan.step);
}

TEST_CASE("poll_schedule: on the prior, steps grow past its 90th percentile, a learned plan's past its 99.87th") {
    // Before any of its runs ended, a flow is polled on the field's curve (median 800 ms). Every
    // lookup in flight then polls a slow flow on that plan: its steps stop at 1.25 s, not 2.3 s.
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    const auto prior = stats.plan("slow", p);
    REQUIRE_FALSE(prior.learned);
    CHECK(prior.horizon >= ms{1240});
    CHECK(prior.horizon <= ms{1260});
    const auto on_prior = [&](ms run) { return evaluate(prior, p, {run}).polls; };
    CHECK(on_prior(ms{3000}) <= 7);   // 10 with 200 ms steps to 2.3 s
    CHECK(on_prior(ms{5000}) <= 8);   // 13
    CHECK(on_prior(ms{800}) <= 1.0);  // the field's runs are polled as before
    CHECK(on_prior(ms{1150}) == 2);
    // The field's curve, as the prior, still keeps to the target.
    CHECK(evaluate(prior, p, portable_lognormal_runs(20000, 800, 0.35, 3)).polls <= p.target_polls);
    // Learned on the same curve, the plan's steps hold to its 99.87th percentile.
    for (ms run : portable_lognormal_runs(64, 800, 0.35, 4)) stats.record("field", run);
    const auto learned = stats.plan("field", p);
    REQUIRE(learned.learned);
    CHECK(learned.horizon > ms{2000});
}

TEST_CASE("poll_schedule: runs spread over seconds are polled with steps of seconds, within poll.max") {
    // A slow flow (median 5 s) or a wide one (sigma 1): with steps of at most 600 ms the plan kept
    // to the target only with a late first poll, and waited 2.07 s and 1.72 s (median).
    gcx::poll_policy p;
    for (const auto& [median, sigma, wait_at_most] :
         {std::tuple{5000.0, 0.35, 1300.0}, std::tuple{800.0, 1.0, 900.0}}) {
        CAPTURE(median, sigma);
        const gcx::detail::lognormal_fit fit{std::log(median), sigma};
        const auto plan = gcx::detail::best_plan(fit, p, true);
        const auto c = gcx::detail::evaluate_plan(plan, fit, p);
        CAPTURE(plan.first.count(), plan.step.count());
        CHECK(c.polls <= p.target_polls);
        CHECK(c.median_wait <= wait_at_most);
        CHECK(plan.step > ms{600});
        CHECK(plan.step <= p.max);
        // The sampled runs, polled as a lookup polls them, agree.
        const auto sampled = evaluate(plan, p, portable_lognormal_runs(20000, median, sigma, 7));
        CHECK(sampled.polls <= p.target_polls + 0.03);
        CHECK(sampled.median_delay <= wait_at_most + 50);
    }
    // poll.max bounds the steps: the user's longest interval between two polls.
    gcx::poll_policy tight;
    tight.max = ms{900};
    const auto plan = gcx::detail::best_plan({std::log(5000.0), 0.35}, tight, true);
    CHECK(plan.step <= ms{900});
}

TEST_CASE("poll_schedule: learning a seeded stream with 16 in flight converges within the limits") {
    // As bench/poll_learning.py replays it: execution i is planned knowing executions 0 .. i-16.
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    const auto runs = portable_lognormal_runs(3000, 800, 0.35, 18);
    std::vector<double> waits;
    double polls = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (i >= 16) stats.record("f", runs[i - 16]);
        const auto c = evaluate(stats.plan("f", p), p, {runs[i]});
        polls += c.polls;
        waits.push_back(c.median_delay);
    }
    std::sort(waits.begin(), waits.end());
    polls /= static_cast<double>(runs.size());
    // The frontier is 1.5 polls at 195 ms. This stream gives 1.505 polls and 199 ms; with a window
    // of 64 runs it polled 1.525 times, the old 64-run fit on 64 quantiles about 1.54 times.
    CHECK(polls <= p.target_polls + 0.015);
    CHECK(polls >= p.target_polls - 0.05);
    CHECK(waits[waits.size() / 2] <= 208);
    CHECK(stats.samples("f") == gcx::run_time_stats::window);
    // The last plan is about the one for the true curve (the fit of 256 runs: mu within ~2 %).
    const auto last = stats.plan("f", p);
    const auto truth = gcx::detail::best_plan(gcx::detail::lognormal_fit{std::log(800.0), 0.35}, p, true);
    CHECK(last.learned);
    CHECK(std::abs(static_cast<double>((last.first - truth.first).count())) <= 60);
    CHECK(std::abs(static_cast<double>((last.step - truth.step).count())) <= 50);
}

TEST_CASE("poll_schedule: hostile run times give a usable plan") {
    gcx::poll_policy p;
    const std::vector<std::vector<ms>> cases{std::vector<ms>(300, ms{0}),
                                             std::vector<ms>(300, ms{3600000}),
                                             std::vector<ms>(300, ms{800}),
                                             std::vector<ms>(300, ms{-5}),
                                             std::vector<ms>(300, ms{100000000}),
                                             [] {  // half instant, half an hour or more
                                                 std::vector<ms> v;
                                                 for (int i = 0; i < 300; ++i) v.push_back(i % 2 ? ms{0} : ms{3600000});
                                                 return v;
                                             }()};
    for (const auto& runs : cases) {
        gcx::run_time_stats stats;
        for (auto r : runs) stats.record("h", r);
        const auto plan = stats.plan("h", p);
        CHECK(plan.learned);
        CHECK(plan.first >= p.min_interval);
        CHECK(plan.first <= ms{3700000});
        CHECK(plan.step >= p.min_interval);
        CHECK(plan.horizon >= plan.first + plan.step);
        CHECK(plan.next(p, ms{0}, ms{0}) >= p.min_interval);
        const auto c = gcx::detail::evaluate_plan(plan, gcx::detail::fit_lognormal(runs), p);
        CHECK(std::isfinite(c.polls));
        CHECK(std::isfinite(c.median_wait));
        CHECK(c.polls >= 1);
    }
    // All runs equal: the first poll at that run time, and one poll does (almost) always.
    gcx::run_time_stats same;
    for (int i = 0; i < 64; ++i) same.record("s", ms{1200});
    const auto plan = same.plan("s", p);
    CHECK(plan.first >= ms{1190});
    CHECK(plan.first <= ms{1260});
}

TEST_CASE("poll_schedule: a flow's own runs replace the prior only from the 8th") {
    // Learned from fewer runs, the plan would follow the first few runs' chance values.
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    const auto prior = stats.plan("f", p);
    for (int i = 0; i < 7; ++i) stats.record("f", ms{3000});
    const auto plan = stats.plan("f", p);
    CHECK_FALSE(plan.learned);
    CHECK(plan.first == prior.first);
    stats.record("f", ms{3000});
    CHECK(stats.plan("f", p).learned);
}

TEST_CASE("poll_schedule: runs of 50 ms and 20 s alike put the first poll within 2 minutes") {
    // An unbounded spread of run times would put the first poll minutes after the launch.
    gcx::poll_policy p;
    gcx::run_time_stats stats;
    for (int i = 0; i < 64; ++i) stats.record("h", ms{i % 2 ? 50 : 20000});
    CHECK(stats.plan("h", p).first <= ms{120000});
}

}  // namespace unit_poll_schedule
