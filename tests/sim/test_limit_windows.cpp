// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The simulator's rate-limit windows on a made-up clock (sim/src/rate_limiter.hpp).
#include <catch2/catch.hpp>

#include "rate_limiter.hpp"

using gcx_sim::detail::daily_limiter;
using gcx_sim::detail::fixed_window_limiter;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("limits: a token's window is fixed: it opens with its first request, Retry-After counts "
          "to its end",
          "[sim][limits][window]") {
    fixed_window_limiter limiter(2, std::chrono::minutes(1));
    const fixed_window_limiter::clock::time_point t0{seconds(1000)};
    long retry = 0;
    REQUIRE(limiter.check("a", t0, retry));
    limiter.record("a", t0);
    REQUIRE(limiter.check("a", t0 + seconds(30), retry));
    limiter.record("a", t0 + seconds(30));

    CHECK_FALSE(limiter.check("a", t0 + milliseconds(30500), retry));
    CHECK(retry == 30);  // 29.5 s to the window's end, rounded up
    CHECK_FALSE(limiter.check("a", t0 + milliseconds(59999), retry));
    CHECK(retry == 1);  // never 0
    // Other keys have their own windows.
    CHECK(limiter.check("b", t0 + seconds(40), retry));

    // At the window's end both requests are forgotten, although the second is only 30 s old (a
    // sliding window would admit one request here, not two).
    const auto t1 = t0 + seconds(60);
    REQUIRE(limiter.check("a", t1, retry));
    limiter.record("a", t1);
    REQUIRE(limiter.check("a", t1 + seconds(1), retry));
    limiter.record("a", t1 + seconds(1));
    CHECK_FALSE(limiter.check("a", t1 + seconds(2), retry));
    CHECK(retry == 58);
}

TEST_CASE("limits: a limit of 0 admits everything", "[sim][limits][window]") {
    fixed_window_limiter off(0, std::chrono::minutes(1));
    daily_limiter daily_off(0);
    long retry = 0;
    for (int i = 0; i < 1000; ++i) {
        off.record("a", fixed_window_limiter::clock::time_point{});
        daily_off.record(daily_limiter::clock::time_point{});
    }
    CHECK(off.check("a", fixed_window_limiter::clock::time_point{}, retry));
    CHECK(daily_off.check(daily_limiter::clock::time_point{}, retry));
}

TEST_CASE("limits: the daily limit runs per UTC day, Retry-After counts to midnight", "[sim][limits][window]") {
    daily_limiter limiter(2);
    // 2026-12-05T21:30:00Z: 20,792 days and 21.5 hours after 1970-01-01.
    const daily_limiter::clock::time_point evening{seconds(20792LL * 86400 + 21 * 3600 + 1800)};
    long retry = 0;
    limiter.record(evening);
    limiter.record(evening + seconds(1));
    CHECK_FALSE(limiter.check(evening + milliseconds(1500), retry));
    CHECK(retry == 2 * 3600 + 1800 - 1);  // 2:29:58.5 to midnight, rounded up
    const daily_limiter::clock::time_point midnight{seconds(20793LL * 86400)};
    CHECK_FALSE(limiter.check(midnight - milliseconds(1), retry));
    CHECK(retry == 1);
    CHECK(limiter.check(midnight, retry));
}

TEST_CASE("limits: a shorter daily period lifts the daily limit at the period's end", "[sim][limits][window]") {
    daily_limiter limiter(1, seconds(10));
    const daily_limiter::clock::time_point t{seconds(20792LL * 86400 + 3)};  // 3 s into a period
    long retry = 0;
    limiter.record(t);
    CHECK_FALSE(limiter.check(t + milliseconds(500), retry));
    CHECK(retry == 7);  // 6.5 s to the period's end, rounded up
    CHECK(limiter.check(t + seconds(7), retry));
}
