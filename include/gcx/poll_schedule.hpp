// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_POLL_SCHEDULE_HPP
#define GCX_POLL_SCHEDULE_HPP

// When to poll an execution, learned from the executions a client has seen.
//
// Every poll spends one request of the budget, and every poll too late adds to the wait for the
// customer. A workflow's run times are fairly stable (a search and a CRM call: 0.5 to 1.5 s), and
// each COMPLETED execution says how long it ran (dateLaunched to dateCompleted, both the server's
// clock). So the client keeps the last 256 run times of each flow (64 let the fit's median jitter
// by 4 %, about 35 ms of first poll, which cost polls and wait: bench/poll_learning.py), fits a
// lognormal to them, and picks, among "first poll at t1, then every s", the schedule with the
// shortest median wait after completion whose average number of polls stays within
// poll_policy::target_polls, both computed on the fitted curve itself (no sampled points to round
// the median or the polls). Past the 99.87th percentile, steps grow by poll_policy::factor up to
// poll_policy::max. Before a flow has `min_samples` runs, the same choice is made over a prior
// (lognormal, median 0.8 s, sigma 0.35: the field's figures), whose steps grow past its 90th
// percentile; a lookup polling on the prior takes the learned plan as soon as there is one. Two polls of one execution are
// never closer than poll_policy::min_interval. A run time longer than the client saw the execution
// take is not learned (plausible_run_time), and a lookup whose plan's first poll falls past its
// deadline polls once before it (lookup.hpp). Thread-safe; sans-I/O.

#include <gcx/clock.hpp>
#include <gcx/retry.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

/// A poll schedule: first poll `first` after the launch was answered, then every `step` until
/// `horizon`, then growing by the policy's factor.
struct poll_plan {
    milliseconds first{700};
    milliseconds step{200};
    milliseconds horizon{3000};
    bool learned = false;   ///< from this flow's own runs (false: the prior, or the fixed schedule)
    milliseconds shift{0};  ///< how much later than the run times alone say the plan polls (run_time_stats::record)

    /// The wait before the next poll, given how long after the launch the last one was and the
    /// previous interval.
    milliseconds next(const poll_policy& p, milliseconds since_launch, milliseconds previous) const {
        const auto floor = std::max(p.min_interval, milliseconds{1});
        milliseconds d = since_launch < horizon ? step : next_poll_interval(p, std::max(previous, step));
        return std::max(d, floor);
    }
};

namespace detail {
/// Days-from-civil based reading of "2026-05-20T14:03:11.204Z" (UTC, optional fraction), in ms
/// since the epoch; nullopt for anything else.
inline std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) noexcept {
    auto digits = [&s](std::size_t at, std::size_t n, std::int64_t& out) {
        if (at + n > s.size()) return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    std::int64_t y, mo, d, h, mi, se;
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    if (!digits(0, 4, y) || !digits(5, 2, mo) || !digits(8, 2, d) || !digits(11, 2, h) || !digits(14, 2, mi) ||
        !digits(17, 2, se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return std::nullopt;
    std::size_t i = 19;
    std::int64_t ms = 0;
    if (i < s.size() && s[i] == '.') {
        std::int64_t scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            ms += (s[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i + 1 != s.size() || s[i] != 'Z') return std::nullopt;
    const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + mi) * 60000 + se * 1000 + ms;
}

/// The run time an execution reports (dateCompleted - dateLaunched), when both are readable and
/// it is plausible (0 to 1 hour).
inline std::optional<milliseconds> reported_run_time(std::string_view launched, std::string_view completed) noexcept {
    auto a = parse_iso8601_ms(launched), b = parse_iso8601_ms(completed);
    if (!a || !b || *b < *a || *b - *a > 3600000) return std::nullopt;
    return milliseconds{*b - *a};
}

/// Whether a reported run time can be true of an execution whose launch this client sent
/// `observed` before the answer that reported it: both dates are the server's, taken between the
/// two, so the run cannot be longer, but for rounding and the skew between the server's own
/// machines (1 s). A hostile or broken server's 50-minute runs would otherwise be learned, and
/// push every later lookup's first poll past its deadline.
inline bool plausible_run_time(milliseconds run, milliseconds observed) noexcept {
    return run <= observed + milliseconds{1000};
}

/// A lognormal fitted to run times: mean and standard deviation of their logarithms. Sigma is kept
/// within [0.01, 2] (all runs equal, or wildly spread hostile values), so the curve stays usable.
struct lognormal_fit {
    double mu = 6.684611727667927;  // log(800 ms): the field's median
    double sigma = 0.35;
};

inline lognormal_fit fit_lognormal(const std::vector<milliseconds>& runs) {
    lognormal_fit f;
    if (runs.empty()) return f;
    double sum = 0, sum2 = 0;
    for (auto r : runs) {
        const double l = std::log(static_cast<double>(std::clamp<std::int64_t>(r.count(), 1, 3600000)));
        sum += l;
        sum2 += l * l;
    }
    const double k = static_cast<double>(runs.size());
    f.mu = sum / k;
    f.sigma = std::clamp(std::sqrt(std::max(0.0, sum2 / k - f.mu * f.mu)), 0.01, 2.0);
    return f;
}

/// Mean polls and median wait after completion of a plan, for run times following `fit`, computed
/// from the curve itself (no sampling): the poll times are those poll_plan::next gives.
struct plan_cost {
    double polls = 0, median_wait = 0;
};

inline plan_cost evaluate_plan(const poll_plan& plan, const lognormal_fit& fit, const poll_policy& p,
                               bool with_median = true) {
    constexpr std::size_t max_polls = 32;  // beyond, a hostile fit: the remaining tail is ignored
    const double scale = 1 / (fit.sigma * std::sqrt(2.0));
    auto survival = [&](double t) { return t <= 0 ? 1.0 : 0.5 * std::erfc((std::log(t) - fit.mu) * scale); };
    std::array<double, max_polls> at{}, done{};
    std::size_t n = 0;
    milliseconds t = std::max(plan.first, std::max(p.min_interval, milliseconds{1})), prev = t;
    plan_cost c;
    c.polls = 1;
    for (;;) {
        at[n] = static_cast<double>(t.count());
        const double s = survival(at[n]);
        done[n++] = 1 - s;
        if (s < 1e-5 || n == max_polls || t > milliseconds{3600000}) break;
        c.polls += s;  // the next poll happens when the run is not over by this one
        prev = plan.next(p, t, prev);
        t += prev;
    }
    if (!with_median) return c;
    // The median wait w: the runs ending within w before the poll that sees them make half of all.
    double lo = 0, hi = at[0];
    for (std::size_t i = 1; i < n; ++i) hi = std::max(hi, at[i] - at[i - 1]);
    for (int it = 0; it < 20; ++it) {
        const double w = (lo + hi) / 2;
        double seen = 0;
        for (std::size_t i = 0; i < n; ++i) seen += done[i] - (1 - survival(std::max(i ? at[i - 1] : 0.0, at[i] - w)));
        (seen >= 0.5 ? hi : lo) = w;
    }
    c.median_wait = hi;
    return c;
}

/// The schedule with the shortest median wait after completion among those whose mean number of
/// polls is at most `target_polls`, for run times following `fit`; the fewest polls if none is.
/// For each step, the earliest first poll within the target is found by bisection (polls only
/// fall as the first poll moves later, and the earliest one waits least); then the steps are
/// compared. Steps: 100 to 600 ms by 25, then by a tenth (rounded to 25 ms) up to poll_policy::max
/// or the 99.87th percentile, whichever is less: a flow whose runs spread over seconds (a median
/// of 5 s, or sigma 1) stays within the target with a late first poll and 600 ms steps, or with
/// an early one and steps of seconds, and the second waits about half as long. Past `horizon`
/// (the 99.87th percentile), steps grow.
inline poll_plan best_plan(const lognormal_fit& fit, const poll_policy& p, bool learned) {
    const auto floor = std::max(p.min_interval, milliseconds{1});
    auto at_z = [&](double z) {
        return milliseconds{static_cast<std::int64_t>(std::clamp(std::exp(fit.mu + z * fit.sigma), 1.0, 3.6e6))};
    };
    poll_plan best;
    best.learned = learned;
    plan_cost best_cost{1e18, 1e18};
    bool best_ok = false;
    const std::int64_t last_step = std::max<std::int64_t>(600, std::min(p.max.count(), at_z(3).count()));
    for (std::int64_t step_ms = 100; step_ms <= last_step;
         step_ms += step_ms < 600 ? 25 : std::max<std::int64_t>(25, step_ms / 10 / 25 * 25)) {
        poll_plan c = best;
        c.step = std::max(milliseconds{step_ms}, floor);
        auto with_first = [&](std::int64_t first) {
            c.first = std::max(milliseconds{first}, floor);
            c.horizon = std::max(at_z(3), c.first + c.step);
            return evaluate_plan(c, fit, p, false).polls <= p.target_polls;
        };
        std::int64_t lo = std::max(at_z(-2), floor).count(), hi = std::max(at_z(4).count(), lo);
        if (with_first(lo)) {
            hi = lo;
        } else if (with_first(hi)) {
            while (hi - lo > 1) {
                const std::int64_t mid = lo + (hi - lo) / 2;
                (with_first(mid) ? hi : lo) = mid;
            }
        }
        const bool ok = with_first(hi);
        const plan_cost cost = evaluate_plan(c, fit, p, ok);
        const bool better =
            ok ? (!best_ok || cost.median_wait < best_cost.median_wait) : (!best_ok && cost.polls < best_cost.polls);
        if (better) {
            best = c;
            best_cost = cost;
            best_ok = ok;
        }
    }
    return best;
}
}  // namespace detail

/// What a client learned of its flows' run times.
class run_time_stats {
public:
    static constexpr std::size_t window = 256;     ///< runs kept per flow
    static constexpr std::size_t min_samples = 8;  ///< runs before the flow's own figures replace the prior
    static constexpr std::size_t lag_window = 32;  ///< executions whose "still running after" figure is kept (record)
    static constexpr std::size_t lag_samples = 4;  ///< of them, before the plan moves by them

    /// Records one execution's run time and how long after its reported completion the last poll
    /// answered RUNNING went out (`running_after`: that poll's send time after the launch's, less
    /// the run time; below zero when it went out before the completion, as it should; none when
    /// the first poll found it done). The server's dates say when an execution ended, not when a
    /// poll can see it: a platform whose status reads trail its executions, or that stamps
    /// dateLaunched later after the launch arrived than a poll takes to arrive, makes every poll
    /// planned on the dates alone too early, and one answered RUNNING past the completion shows
    /// by how much at least. Over the last 32 executions, the second greatest such figure (one odd
    /// execution moves nothing, and leaves the window 32 executions later; 0 when none is above
    /// it; at most 10 s) is that lag, and the plan polls that much later.
    void record(std::string_view flow_id, milliseconds run, std::optional<milliseconds> running_after = std::nullopt) {
        std::lock_guard<std::mutex> lk(m_);
        auto& f = flows_[std::string(flow_id)];
        if (f.runs.size() < window) f.runs.push_back(run);
        else f.runs[f.next % window] = run;
        ++f.next;
        const milliseconds figure = running_after.value_or(no_figure);
        if (f.running_after.size() < lag_window) f.running_after.push_back(figure);
        else f.running_after[f.lag_next % lag_window] = figure;
        ++f.lag_next;
        // Re-plan at once while learning, then every 8 runs (a plan costs a few hundred microseconds),
        // and at once after a poll answered RUNNING past the completion (a lag to follow).
        if (f.next <= min_samples * 2 || f.next % 8 == 0 || figure > milliseconds{0}) f.dirty = true;
    }

    /// The schedule for the next execution of this flow.
    poll_plan plan(std::string_view flow_id, const poll_policy& p) {
        if (!p.adaptive) {
            poll_plan fixed;
            fixed.first = std::max(p.initial, p.min_interval);
            fixed.step = fixed.first;
            fixed.horizon = milliseconds{0};  // grow by the factor from the first poll on
            return fixed;
        }
        std::lock_guard<std::mutex> lk(m_);
        auto it = flows_.find(std::string(flow_id));
        if (it == flows_.end() || it->second.runs.size() < min_samples) {
            if (!prior_) {
                // The prior's steps end at its 90th percentile (1.25 s), not at the 99.87th as a
                // learned plan's: an execution still running then is the first sign of a flow
                // slower than the field's, and growing steps cost a 5-second flow 8 polls where
                // 200 ms steps to 2.3 s cost it 13, for each lookup in flight before any ended.
                const detail::lognormal_fit f{};
                prior_ = detail::best_plan(f, p, false);
                const auto p90 = milliseconds{static_cast<std::int64_t>(std::exp(f.mu + prior_p90_z * f.sigma))};
                prior_->horizon = std::max(std::min(prior_->horizon, p90), prior_->first + prior_->step);
            }
            return *prior_;
        }
        auto& f = it->second;
        if (f.dirty || !f.plan) {
            f.plan = detail::best_plan(detail::fit_lognormal(f.runs), p, true);
            if (f.running_after.size() >= lag_samples) {
                std::vector<milliseconds> top = f.running_after;
                std::nth_element(top.begin(), top.begin() + 1, top.end(), std::greater<>());
                const milliseconds shift = std::clamp(top[1], milliseconds{0}, max_shift);
                f.plan->first += shift;
                f.plan->horizon += shift;
                f.plan->shift = shift;
            }
            f.dirty = false;
        }
        return *f.plan;
    }

    /// Runs recorded for a flow (for tests and statistics).
    std::size_t samples(std::string_view flow_id) const {
        std::lock_guard<std::mutex> lk(m_);
        auto it = flows_.find(std::string(flow_id));
        return it == flows_.end() ? 0 : it->second.runs.size();
    }

private:
    static constexpr double prior_p90_z = 1.2815515655446004;  // the standard normal's 90th percentile
    static constexpr milliseconds max_shift{10000};
    static constexpr milliseconds no_figure{-3600000};  // an execution with no poll answered RUNNING
    struct flow {
        std::vector<milliseconds> runs;
        std::size_t next = 0;
        std::vector<milliseconds> running_after;  // the last lag_window figures (record)
        std::size_t lag_next = 0;
        bool dirty = true;
        std::optional<poll_plan> plan;
    };
    mutable std::mutex m_;
    std::map<std::string, flow, std::less<>> flows_;
    std::optional<poll_plan> prior_;
};

GCX_NAMESPACE_END

#endif
