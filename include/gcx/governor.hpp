// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_GOVERNOR_HPP
#define GCX_GOVERNOR_HPP

// The request budget of one set of credentials, shared by every operation of a client, sans-I/O.
//
// Genesys Cloud gives a client-credentials token about 300 requests per minute and answers 429
// past it; org-wide and daily limits come on top, told only by a 429's Retry-After. A batch that
// ignores the budget spends a minute's worth in its first seconds and then waits, or fails. The
// governor paces requests evenly at a share of the budget instead:
//   admit(now, kind) -> now:  send it (it is counted);
//                    -> T > now: ask again at T (the operation sleeps; nothing was counted).
// Continuing requests (polls, retries, the second half of a lookup) may run `burst` requests
// ahead of the pace, fresh ones (a launch, a direct lookup) only `fresh_burst`, so a lookup already
// launched is not queued behind new launches: the difference is room for polls that fall due
// together (the first polls of launches made together) to go on time. Over any minute at most budget x headroom + burst
// requests go out (300 x 0.95 + 12 = 297 by default): the burst is cut to what the headroom
// leaves (budget x (1 - headroom), at least 1), so that a budget set to the server's own limit is
// never run over (at 60 a minute: a burst of 3, not 12). Fresh requests that had to wait go in the
// order they first asked (a ticket each): a lookup started early is never overtaken for ever by
// later ones, so results printed in input order are not held up behind a starved lookup. (A
// client of several credentials queues each fresh request in all their governors at once with
// one ticket: call_state.hpp, take_turn.) A 429 pauses every operation of the client
// until its Retry-After (at least min_pause) and halves the pace, which then climbs back to full
// over `recovery`. Thread-safe; reads no clock (times are handed in).

#include <gcx/clock.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <set>

GCX_NAMESPACE_BEGIN

/// How fast a client's requests go. requests_per_minute 0 switches pacing off (429s still pause).
struct budget_policy {
    double requests_per_minute = 300;       ///< the budget of one credential (Genesys: 300 per token per minute)
    double headroom = 0.95;                 ///< pace at this share of it
    int burst = 12;                         ///< continuing requests may run this many ahead of the pace
    int fresh_burst = 3;                    ///< fresh requests (launches) this many (at most `burst`)
    milliseconds min_pause{1000};           ///< a 429 pauses everything at least this long
    double slow_down = 0.5;                 ///< a 429 multiplies the pace by this ...
    std::chrono::seconds recovery{60};      ///< ... and it climbs back to full over this long
    double token_requests_per_minute = 60;  ///< token requests, paced on their own
    milliseconds queue_timeout{600000};     ///< how long a lookup may wait for the budget before its first request

    /// What makes the rates unusable, or nullptr. A rate below 0.01 a minute would be taken for no
    /// pacing at all; a burst beyond 10,000 would overflow the pace's arithmetic.
    const char* unusable() const noexcept {
        auto rate_ok = [](double r) { return r == 0 || (r >= 0.01 && r <= 1e9); };
        if (!rate_ok(requests_per_minute) || !rate_ok(token_requests_per_minute) || !(headroom > 0))
            return "the request budget must be a rate of 0 (no pacing) or 0.01 to 1e9 a minute";
        if (burst < 0 || burst > 10000 || fresh_burst < 0) return "budget.burst and fresh_burst must be 0 to 10000";
        if (!(headroom <= 1)) return "budget.headroom must be above 0 and at most 1 (a share of the budget)";
        if (fresh_burst > burst) return "budget.fresh_burst must be at most budget.burst";
        if (!(slow_down > 0 && slow_down <= 1))
            return "budget.slow_down must be above 0 and at most 1 (a 429 slows the pace)";
        return nullptr;
    }

    /// The first of its durations that is not usable_duration(), or nullptr.
    const char* unusable_duration() const noexcept {
        return !usable_duration(min_pause)       ? "min_pause"
               : !usable_duration(recovery)      ? "recovery"
               : !usable_duration(queue_timeout) ? "queue_timeout"
                                                 : nullptr;
    }
};

class request_governor {
public:
    enum class kind { fresh, continuing };

    struct stats {
        std::uint64_t admitted = 0;      ///< requests let through
        std::uint64_t deferred = 0;      ///< times an operation was told to wait
        std::uint64_t rate_limited = 0;  ///< 429s reported
    };

    request_governor() = default;
    /// `rate_per_minute` 0: no pacing.
    request_governor(double rate_per_minute, const budget_policy& p)
        : rate_(rate_per_minute >= 0.01 ? std::min(rate_per_minute, 1e7) * std::clamp(p.headroom, 0.01, 1.0) : 0.0),
          burst_(burst_within(rate_per_minute, p)), fresh_burst_(std::clamp(p.fresh_burst, 0, burst_)),
          min_pause_(std::clamp<milliseconds>(p.min_pause, milliseconds{0}, longest_wait)),
          slow_down_(std::clamp(p.slow_down, 0.05, 1.0)),
          recovery_(std::clamp<std::chrono::seconds>(p.recovery, std::chrono::seconds{0},
                                                     std::chrono::duration_cast<std::chrono::seconds>(longest_wait))) {}

    request_governor(const request_governor&) = delete;
    request_governor& operator=(const request_governor&) = delete;

    /// May a request of this kind go now? `now` if so (and it is counted), else when to ask again.
    /// `ticket` is the caller's place in the queue of fresh requests (0: none yet, one is drawn):
    /// keep it across calls, and hand it to forget() if the request is given up while it holds one.
    /// A caller that waits on several governors at once (session: one queue for all credentials)
    /// brings the same nonzero ticket to each, drawn from one counter of its own; admission sets it
    /// to 0.
    time_point admit(time_point now, kind k, std::uint64_t& ticket) {
        std::lock_guard<std::mutex> lk(m_);
        const bool fresh = k == kind::fresh;
        auto defer = [&](time_point at) {
            ++stats_.deferred;
            if (fresh) {
                if (ticket == 0) ticket = next_ticket_++;
                waiting_.insert(ticket);  // a ticket from outside (session) enters on its first wait here
                if (ticket == *waiting_.begin()) head_due_ = at;
            }
            return at;
        };
        if (now < paused_until_) return defer(paused_until_);
        // An older fresh request is waiting: this one goes after it (a moment after the older one is
        // due, so that one is asked first). An older one that is late by more than a grace (it is
        // away fetching the token, say) is not waited for.
        const auto grace =
            std::max<time_point::duration>(milliseconds{50}, rate_ > 0 ? interval_at(now) : milliseconds{0});
        const bool older_waiting = !waiting_.empty() && (ticket == 0 || *waiting_.begin() < ticket);
        if (fresh && older_waiting && now < head_due_ + grace) {
            const auto at = rate_ > 0 ? std::max(tat_ - times(interval_at(now), fresh_burst_), now) : now;
            // Once the older one is late, ask again in an eighth of the grace, not every millisecond
            // (a grace is one interval of the pace: seconds at a low budget).
            const auto again = now < head_due_ ? head_due_ + milliseconds{1}
                                               : std::min<time_point>(head_due_ + grace, now + grace / 8);
            return defer(std::max(at, again));
        }
        if (rate_ > 0) {
            const auto interval = interval_at(now);
            if (tat_ < now) tat_ = now;
            // Requests that ran ahead at a slowed pace are at most burst + 1 of the pace now: as
            // the pace recovers from a 429, the time they ran ahead by shrinks with it (else the
            // budget would stand idle, every operation told to wait, for up to burst x the
            // slowest interval: 40 s and more).
            const auto ahead = times(interval, burst_ + 1);
            if (ahead < std::chrono::duration_cast<time_point::duration>(longest_wait))
                tat_ = std::min(tat_, now + ahead);
            const auto tolerance = times(interval, fresh ? fresh_burst_ : burst_);
            if (tat_ - now > tolerance) return defer(tat_ - tolerance);
            tat_ += interval;
        }
        if (ticket != 0) {
            waiting_.erase(ticket);
            ticket = 0;
        }
        ++stats_.admitted;
        return now;
    }

    /// Without a place in the queue (polls, retries, or a caller that does not wait in turn).
    time_point admit(time_point now, kind k) {
        // The youngest of all (no number a session or this governor hands out): never another's
        // ticket, so forget() below cannot erase a waiting request's place.
        std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
        auto at = admit(now, k, none);
        forget(none);
        return at;
    }

    /// A request that held `ticket` was given up: the next one in the queue goes first.
    void forget(std::uint64_t ticket) {
        if (ticket == 0) return;
        std::lock_guard<std::mutex> lk(m_);
        waiting_.erase(ticket);
    }

    /// When a fresh request asking now would be admitted, behind those already waiting (to choose
    /// among credentials: the one with the shorter queue, not only the earlier pace).
    time_point next_free(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (rate_ <= 0) return std::max(now, paused_until_);
        const auto interval = interval_at(now);
        const auto at = std::max({now, paused_until_, tat_ - times(interval, fresh_burst_)});
        return at + times(interval, waiting_.size());
    }

    /// A 429 answered: pause everything for `wait` (at least min_pause) and slow down.
    void on_rate_limited(time_point now, milliseconds wait) {
        std::lock_guard<std::mutex> lk(m_);
        ++stats_.rate_limited;
        // One slow-down per pause: the 429s of requests that were in flight together count once.
        if (now >= paused_until_) factor_ = std::max(0.05, factor_at(now) * slow_down_);
        wait = std::min(wait, longest_wait);  // no overflow, whatever the server says
        paused_until_ = std::max(paused_until_, now + std::max(wait, min_pause_));
        slowed_at_ = paused_until_;
    }

    /// Until when a 429 paused every request (in the past when none did).
    time_point paused_until() const {
        std::lock_guard<std::mutex> lk(m_);
        return paused_until_;
    }

    /// Requests per minute this governor paces at now (after headroom and any slow-down).
    double pace(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        return rate_ * factor_at(now);
    }

    stats counters() const {
        std::lock_guard<std::mutex> lk(m_);
        return stats_;
    }

private:
    // The burst over the pace that a minute's headroom leaves room for: budget x headroom + burst
    // stays within the budget (as configured with headroom 1: the user's choice).
    static int burst_within(double rate_per_minute, const budget_policy& p) noexcept {
        const int burst = std::max(0, p.burst);
        if (!(rate_per_minute >= 0.01) || !(p.headroom < 1.0)) return burst;
        const double room = std::floor(std::min(rate_per_minute, 1e7) * (1.0 - std::clamp(p.headroom, 0.01, 1.0)));
        return std::min(burst, std::max(1, static_cast<int>(std::min(room, 1e4))));
    }
    double factor_at(time_point now) const {
        if (factor_ >= 1.0 || now <= slowed_at_) return factor_;
        const double r = std::chrono::duration<double>(recovery_).count();
        const double t = std::chrono::duration<double>(now - slowed_at_).count();
        if (r <= 0 || t >= r) return 1.0;
        return factor_ + (1.0 - factor_) * t / r;
    }
    // Rounded up: truncated, 60 s / 285 fitted 286 requests into a minute. At most longest_wait
    // (a rate of 0.01 a minute after headroom and slow-downs is one request in 2,000 hours).
    time_point::duration interval_at(time_point now) const {
        const double per_minute = rate_ * factor_at(now);
        return times(std::chrono::ceil<time_point::duration>(std::chrono::duration<double>(60.0 / per_minute)), 1);
    }
    // `interval` x `n`, at most longest_wait: the slowest pace times the largest burst or queue
    // stays a time the clock can add (no signed overflow).
    template <class N>
    static time_point::duration times(time_point::duration interval, N n) {
        constexpr auto cap = std::chrono::duration_cast<time_point::duration>(longest_wait).count();
        const double v = static_cast<double>(interval.count()) * static_cast<double>(n);
        return time_point::duration{v >= static_cast<double>(cap) ? cap : static_cast<time_point::rep>(v)};
    }

    double rate_ = 0;  // per minute, after headroom
    int burst_ = 12;
    int fresh_burst_ = 3;
    milliseconds min_pause_{1000};
    double slow_down_ = 0.5;
    std::chrono::seconds recovery_{60};

    mutable std::mutex m_;
    time_point tat_{};           // when the pace has room again (GCRA's theoretical arrival time)
    time_point paused_until_{};  // a 429 stops everything until then
    double factor_ = 1.0;        // pace multiplier after a 429, recovering
    time_point slowed_at_{};
    std::uint64_t next_ticket_ = 1;
    time_point head_due_{};            // when the oldest waiting fresh request was told to come back
    std::set<std::uint64_t> waiting_;  // tickets of fresh requests that had to wait, oldest first
    stats stats_;
};

GCX_NAMESPACE_END

#endif
