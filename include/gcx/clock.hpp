// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CLOCK_HPP
#define GCX_CLOCK_HPP

// Time is a policy. The sans-I/O operations never read a clock: they are handed `now` and answer
// "wake me at T". Only the synchronous driver (basic_client) asks a Clock for the time and to
// sleep, so a test clock can run a 24-hour token lifetime in microseconds.
//
// Clock concept:
//   time_point now()                                  monotonic time (std::chrono::steady_clock)
//   std::chrono::system_clock::time_point system_now() wall time, for HTTP-date Retry-After
//   void sleep_until(time_point)

#include <gcx/version.hpp>

#include <chrono>
#include <thread>

GCX_NAMESPACE_BEGIN

using time_point = std::chrono::steady_clock::time_point;
using milliseconds = std::chrono::milliseconds;

/// The real clock.
struct steady_clock {
    time_point now() const { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point system_now() const { return std::chrono::system_clock::now(); }
    void sleep_until(time_point t) const { std::this_thread::sleep_until(t); }
};

/// The longest wait gcx adds to a time point (a pause, a back-off, a deadline moved by a wait):
/// 400 days. The clock's arithmetic overflows into the past a few hundred years further on.
inline constexpr milliseconds longest_wait{std::chrono::hours{24 * 400}};

/// Whether a duration setting is usable: not negative, and at most a year. Settings are added to
/// time points, where a longer one (a duration's max() meant as "for ever") overflows into the past.
template <class Rep, class Period>
constexpr bool usable_duration(std::chrono::duration<Rep, Period> d) noexcept {
    return d.count() >= 0 && d <= std::chrono::hours{24 * 366};
}

/// Milliseconds from `now` to `t`, never negative.
inline milliseconds remaining(time_point now, time_point t) noexcept {
    return t > now ? std::chrono::duration_cast<milliseconds>(t - now) : milliseconds{0};
}

GCX_NAMESPACE_END

#endif
