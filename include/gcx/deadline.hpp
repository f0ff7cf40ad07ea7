// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_DEADLINE_HPP
#define GCX_DEADLINE_HPP

// An operation's time bound. The lookup timeout runs from the operation's first request, so a
// lookup that waits its turn for the request budget is not charged for it; that wait has its own
// bound, budget_policy::queue_timeout. Plain value: an operation hands it on to each call it
// makes, and a strategy to its fallback.

#include <gcx/clock.hpp>
#include <gcx/config.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

/// An operation's time bound. `timeout` (client_config::lookup_timeout) runs from the first
/// request; until then the operation may wait for the budget until `queue_until`.
struct op_deadline {
    time_point created{};      ///< when the operation was made
    time_point queue_until{};  ///< its first request must start by then
    milliseconds timeout{};
    std::optional<time_point> started;  ///< when its first request went out

    static op_deadline from(time_point now, const client_config& c) {
        return op_deadline{now, now + c.budget.queue_timeout, c.lookup_timeout, std::nullopt};
    }
    /// The latest time anything of the operation may happen.
    time_point until() const noexcept { return started ? *started + timeout : queue_until + timeout; }
    /// Whether the operation ran out of time: its lookup timeout, or its wait for the budget.
    bool expired(time_point now) const noexcept { return started ? now >= *started + timeout : now >= queue_until; }
    void start(time_point now) noexcept {
        if (!started) started = now;
    }
    /// Moves the deadline later by `by` (a wait not charged to it), within longest_wait.
    void extend(milliseconds by) noexcept {
        if (by.count() > 0) timeout = std::min(longest_wait, timeout + std::min(by, longest_wait));
    }
};

namespace detail {
inline const char* deadline_hint() noexcept {
    return "raise the lookup timeout, or check network access to Genesys Cloud";
}

/// The error of an operation whose first request waited longer than budget_policy::queue_timeout.
inline error queue_error(const std::string& doing) {
    error e = make_error(errc::timeout, "waited longer than the queue timeout for the request budget (" + doing + ")",
                         "lower the concurrency, add credentials, or raise budget.queue_timeout");
    e.code = std::string(codes::queue_timeout);
    return e;
}

/// The error of an operation that ran out of time `doing` something: its lookup timeout (code
/// deadline), or its wait for the budget before the first request (code queue_timeout).
inline error expired_error(const op_deadline& d, const std::string& doing) {
    if (d.started) {
        error e = make_error(errc::timeout, "the lookup deadline passed during the " + doing, deadline_hint());
        e.code = std::string(codes::deadline);
        return e;
    }
    return queue_error(doing);
}

/// The error of a call whose credential a 429 paused until `at`, longer than the retry ceiling
/// (a daily or org-wide limit): failing now, as the 429 itself would have.
inline error paused_error(time_point now, time_point at) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(at - now).count() + 1;
    error e = make_error(errc::rate_limited,
                         "Genesys Cloud asked every request of this client to wait " + std::to_string(wait) +
                             " s, more than the retry ceiling",
                         "a daily or org-wide limit: run the rest later");
    e.code = std::string(codes::retry_ceiling);
    e.retry_after_seconds = static_cast<int>(std::min<std::int64_t>(wait, 1 << 30));
    return e;
}
}  // namespace detail

GCX_NAMESPACE_END

#endif
