// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_POLL_SCHEDULE_HPP
#define GCX_POLL_SCHEDULE_HPP

// When to poll an execution, learned from the executions a client has seen.
//
// Every poll spends one request of the budget, and every poll too late adds to the wait for the
// customer. A workflow's run times are fairly stable (a search and a CRM call: 0.5 to 1.5 s), and
// each COMPLETED execution says how long it ran (dateLaunched to dateCompleted, both the server's
// clock). So the client keeps the last 64 run times of each flow, fits a lognormal to them, and
// picks, among "first poll at t1, then every s", the schedule with the shortest median wait after
// completion whose average number of polls stays within poll_policy::target_polls. Past the longest run seen, steps grow by
// poll_policy::factor up to poll_policy::max. Before a flow has `min_samples` runs, the same choice
// is made over a prior (lognormal, median 0.8 s, sigma 0.35: the field's figures). Two polls of one
// execution are never closer than poll_policy::min_interval. Thread-safe; sans-I/O.

#include <gcx/clock.hpp>
#include <gcx/retry.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
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
    bool learned = false;  ///< from this flow's own runs (false: the prior, or the fixed schedule)

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

/// A lognormal fitted to `runs` (each at least 1 ms), as `n` quantiles at (i + 0.5) / n, sorted.
/// Planning over the fitted curve rather than the raw runs keeps a plan from fitting the
/// accidents of 64 samples (it would then poll more on the next 64 than it promised).
inline std::vector<milliseconds> lognormal_quantiles(const std::vector<milliseconds>& runs, std::size_t n = 64) {
    double sum = 0, sum2 = 0;
    for (auto r : runs) {
        const double l = std::log(static_cast<double>(std::max<std::int64_t>(r.count(), 1)));
        sum += l;
        sum2 += l * l;
    }
    const double k = static_cast<double>(runs.size());
    const double mu = sum / k, sigma = std::sqrt(std::max(0.0, sum2 / k - mu * mu));
    std::vector<milliseconds> out;
    for (std::size_t i = 0; i < n; ++i) {
        // The standard normal quantile, by inverting erf with Newton's method (a handful of steps).
        const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
        double z = 0;
        for (int it = 0; it < 40; ++it) {
            const double f = 0.5 * std::erfc(-z / std::sqrt(2.0)) - p;
            const double d = std::exp(-z * z / 2) / std::sqrt(2 * 3.14159265358979323846);
            z -= f / d;
        }
        const double v = std::exp(mu + sigma * z);
        out.push_back(milliseconds{static_cast<std::int64_t>(std::min(v, 3.6e6))});
    }
    return out;
}

/// The schedule with the shortest median wait after completion among those whose mean number of
/// polls over `runs` (sorted) is at most `target_polls`; the fewest polls if none is.
inline poll_plan best_plan(const std::vector<milliseconds>& runs, const poll_policy& p, bool learned) {
    poll_plan best;
    best.learned = learned;
    if (runs.empty()) return best;
    static constexpr std::array<int, 10> steps_ms{100, 125, 150, 175, 200, 250, 300, 400, 500, 700};
    const auto floor = std::max(p.min_interval, milliseconds{1});
    const std::size_t n = runs.size();
    double best_delay = 1e18, best_polls = 1e18;
    bool best_ok = false;
    std::vector<double> delays(n);
    for (std::size_t qi = 0; qi < n; ++qi) {
        const double first = static_cast<double>(std::max(runs[qi], floor).count());
        for (int step_ms : steps_ms) {
            const double step = static_cast<double>(std::max(milliseconds{step_ms}, floor).count());
            double polls = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double t = static_cast<double>(runs[i].count());
                double k = t <= first ? 0 : std::ceil((t - first) / step);
                polls += 1 + k;
                delays[i] = first + k * step - t;
            }
            polls /= static_cast<double>(n);
            std::nth_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(n / 2), delays.end());
            const double median = delays[n / 2];
            const bool ok = polls <= p.target_polls;
            const bool better = ok ? (!best_ok || median < best_delay || (median == best_delay && polls < best_polls))
                                   : (!best_ok && polls < best_polls);
            if (better) {
                best_ok = ok;
                best_delay = median;
                best_polls = polls;
                best.first = milliseconds{static_cast<std::int64_t>(first)};
                best.step = milliseconds{static_cast<std::int64_t>(step)};
            }
        }
    }
    best.horizon = std::max(runs.back() + best.step, best.first + best.step);
    return best;
}
}  // namespace detail

/// What a client learned of its flows' run times.
class run_time_stats {
public:
    static constexpr std::size_t window = 64;      ///< runs kept per flow
    static constexpr std::size_t min_samples = 8;  ///< runs before the flow's own figures replace the prior

    /// Records one execution's run time.
    void record(std::string_view flow_id, milliseconds run) {
        std::lock_guard<std::mutex> lk(m_);
        auto& f = flows_[std::string(flow_id)];
        if (f.runs.size() < window) f.runs.push_back(run);
        else f.runs[f.next % window] = run;
        ++f.next;
        // Re-plan at once while learning, then every 8 runs (the plan costs a few hundred microseconds).
        if (f.next <= min_samples * 2 || f.next % 8 == 0) f.dirty = true;
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
            if (!prior_) prior_ = detail::best_plan(prior_runs(), p, false);
            return *prior_;
        }
        auto& f = it->second;
        if (f.dirty || !f.plan) {
            f.plan = detail::best_plan(detail::lognormal_quantiles(f.runs), p, true);
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
    // Quantiles of a lognormal with median 800 ms and sigma 0.35, at (i + 0.5) / 16.
    static std::vector<milliseconds> prior_runs() {
        static constexpr std::array<double, 16> z{-1.863, -1.318, -1.010, -0.776, -0.579, -0.402, -0.237, -0.078,
                                                  0.078,  0.237,  0.402,  0.579,  0.776,  1.010,  1.318,  1.863};
        std::vector<milliseconds> runs;
        for (double zi : z) runs.push_back(milliseconds{static_cast<std::int64_t>(800.0 * std::exp(0.35 * zi))});
        return runs;
    }

    struct flow {
        std::vector<milliseconds> runs;
        std::size_t next = 0;
        bool dirty = true;
        std::optional<poll_plan> plan;
    };
    mutable std::mutex m_;
    std::map<std::string, flow, std::less<>> flows_;
    std::optional<poll_plan> prior_;
};

GCX_NAMESPACE_END

#endif
