// include/gcx/retry.hpp: backoff, poll intervals, Retry-After.
#include <gcx/retry.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_retry {

using ms = gcx::milliseconds;

TEST_CASE("retry: backoff doubles up to the cap, with equal jitter") {
    gcx::retry_policy p;
    CHECK(gcx::backoff_delay(p, 0, 0.0) == ms{100});
    CHECK(gcx::backoff_delay(p, 0, 0.999999) < ms{200});
    CHECK(gcx::backoff_delay(p, 1, 0.0) == ms{200});
    CHECK(gcx::backoff_delay(p, 3, 1.0) == ms{1600});
    CHECK(gcx::backoff_delay(p, 10, 1.0) == ms{5000});
    CHECK(gcx::backoff_delay(p, 1000, 0.0) == ms{2500});
}

TEST_CASE("retry: poll intervals grow by the factor up to the cap") {
    gcx::poll_policy p;
    CHECK(gcx::next_poll_interval(p, ms{200}) == ms{300});
    CHECK(gcx::next_poll_interval(p, ms{1500}) == ms{2000});
    CHECK(gcx::next_poll_interval(p, ms{2000}) == ms{2000});
}

TEST_CASE("retry: Retry-After in seconds") {
    auto now = std::chrono::system_clock::now();
    CHECK(*gcx::parse_retry_after("42", now) == ms{42000});
    CHECK(*gcx::parse_retry_after(" 0 ", now) == ms{0});
    CHECK_FALSE(gcx::parse_retry_after("-1", now));
    CHECK_FALSE(gcx::parse_retry_after("", now));
    CHECK_FALSE(gcx::parse_retry_after("soon", now));
}

TEST_CASE("retry: Retry-After as an HTTP date") {
    // 2026-10-21T07:28:00Z
    auto at = std::chrono::system_clock::time_point{std::chrono::seconds{1792567680}};
    CHECK(*gcx::parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", at - std::chrono::seconds{30}) == ms{30000});
    CHECK(*gcx::parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", at + std::chrono::seconds{30}) == ms{0});
    CHECK(*gcx::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at) == ms{0});
    CHECK_FALSE(gcx::parse_retry_after("Wed, 21 Foo 2026 07:28:00 GMT", at));
    CHECK_FALSE(gcx::parse_retry_after("Wed, 21 Oct 2026 07:28:00 UTC", at));
    CHECK_FALSE(gcx::parse_retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", at));
}

TEST_CASE("retry: an answer with several Retry-After values is waited for the longest of them") {
    auto at = std::chrono::system_clock::time_point{std::chrono::seconds{1792567680}};  // 2026-10-21T07:28:00Z
    auto answer = [](std::vector<std::string> values) {
        gcx::http::response r;
        r.status = 429;
        for (auto& v : values) r.fields.push_back({"Retry-After", std::move(v)});
        return r;
    };
    CHECK(*gcx::longest_retry_after(answer({"1", "3600"}), &at) == ms{3600000});  // two fields
    CHECK(*gcx::longest_retry_after(answer({"3600", "1"}), &at) == ms{3600000});
    CHECK(*gcx::longest_retry_after(answer({"5, 60"}), &at) == ms{60000});     // merged by a proxy
    CHECK(*gcx::longest_retry_after(answer({"soon", "7"}), &at) == ms{7000});  // the readable one
    // a date keeps its own comma; merged with a number, the longer wins
    CHECK(*gcx::longest_retry_after(answer({"Wed, 21 Oct 2026 07:29:00 GMT"}), &at) == ms{60000});
    CHECK(*gcx::longest_retry_after(answer({"Wed, 21 Oct 2026 07:29:00 GMT", "5"}), &at) == ms{60000});
    CHECK(*gcx::longest_retry_after(answer({"5", "Wed, 21 Oct 2026 07:29:00 GMT"}), nullptr) == ms{5000});  // no clock
    // merged into one field with a number or another date: the date's own comma is not a separator
    CHECK(*gcx::longest_retry_after(answer({"5, Wed, 21 Oct 2026 08:28:00 GMT"}), &at) == ms{3600000});
    CHECK(*gcx::longest_retry_after(answer({"Wed, 21 Oct 2026 07:29:00 GMT, Wed, 21 Oct 2026 07:30:00 GMT"}), &at) ==
          ms{120000});
    CHECK_FALSE(gcx::longest_retry_after(answer({}), &at));
    CHECK_FALSE(gcx::longest_retry_after(answer({"soon", ""}), &at));

    gcx::failed_attempt a;  // what the retry rule reads
    a.read_retry_after(answer({"1", "3600"}), at);
    CHECK(a.retry_after_sent);
    CHECK(*a.retry_after == ms{3600000});
}

namespace {
using v = gcx::retry_decision::verdict;
using rd = gcx::retry_decision;

gcx::error transport(gcx::errc k, const char* code, gcx::delivery d) {
    gcx::error e = gcx::make_error(k, "x");
    e.code = code;
    e.sent = d;
    return e;
}

/// An API answer of `status` that sent Retry-After (`retry_after`: its value, none if unreadable),
/// with `time_left` before the deadline.
gcx::failed_attempt answered(int status, std::optional<ms> retry_after, ms time_left) {
    gcx::failed_attempt a;
    a.status = status;
    a.retry_after = retry_after;
    a.retry_after_sent = true;
    a.time_left = time_left;
    return a;
}
}  // namespace

TEST_CASE("retry: decide_retry, one rule for every request (table)") {
    gcx::retry_policy p;  // 5 retries, 200 ms base, 180 s ceiling, 3 s default, 1 s minimum
    const auto reset = transport(gcx::errc::transport, "recv", gcx::delivery::maybe);
    const auto refused = transport(gcx::errc::transport, "connect", gcx::delivery::not_sent);
    const auto cert = transport(gcx::errc::transport, "certificate", gcx::delivery::not_sent);
    const auto big = transport(gcx::errc::transport, "too_large", gcx::delivery::maybe);
    const auto cut = transport(gcx::errc::timeout, "timeout", gcx::delivery::maybe);
    const auto limited = gcx::make_error(gcx::errc::rate_limited, "rate limit exceeded");
    const auto server = gcx::make_error(gcx::errc::server, "boom");
    struct row {
        const char* what;
        bool idempotent, token;
        int status;
        const gcx::error* failure;
        std::optional<ms> retry_after;
        bool ra_sent, unreadable, cut_by_deadline;
        int retries;
        v expect;
        std::string_view reason;
        ms delay;
    };
    const ms none{-1};
    const std::vector<row> table = {
        {"poll reset: backoff", true, false, 0, &reset, {}, false, false, false, 0, v::retry, rd::backoff, ms{150}},
        {"launch reset: may have arrived",
         false,
         false,
         0,
         &reset,
         {},
         false,
         false,
         false,
         0,
         v::stop,
         rd::maybe_delivered,
         none},
        {"launch refused connection: never sent",
         false,
         false,
         0,
         &refused,
         {},
         false,
         false,
         false,
         0,
         v::retry,
         rd::backoff,
         ms{150}},
        {"certificate: permanent", true, false, 0, &cert, {}, false, false, false, 0, v::stop, rd::permanent, none},
        {"too large: permanent", true, true, 0, &big, {}, false, false, false, 0, v::stop, rd::permanent, none},
        {"timeout cut by the deadline", true, false, 0, &cut, {}, false, false, true, 0, v::stop, rd::deadline, none},
        {"timeout on its own: backoff",
         true,
         false,
         0,
         &cut,
         {},
         false,
         false,
         false,
         1,
         v::retry,
         rd::backoff,
         ms{300}},
        {"401 api: renew token", true, false, 401, nullptr, {}, false, false, false, 0, v::renew_token, "", none},
        {"401 token: stop", true, true, 401, nullptr, {}, false, false, false, 0, v::stop, rd::permanent, none},
        {"429 Retry-After 7", false, false, 429, nullptr, ms{7000}, true, false, false, 0, v::retry, rd::retry_after,
         ms{7000}},
        {"429 Retry-After 0: the minimum", false, false, 429, nullptr, ms{0}, true, false, false, 0, v::retry,
         rd::retry_after, ms{1000}},
        {"429 no Retry-After: the default",
         true,
         false,
         429,
         nullptr,
         {},
         false,
         false,
         false,
         0,
         v::retry,
         rd::retry_after,
         ms{3000}},
        {"429 beyond the ceiling", true, false, 429, nullptr, ms{200000}, true, false, false, 0, v::stop, rd::ceiling,
         none},
        {"token rate limit (400): backoff",
         true,
         true,
         400,
         &limited,
         {},
         false,
         false,
         false,
         2,
         v::retry,
         rd::retry_after,
         ms{600}},
        {"503 poll: backoff", true, false, 503, &server, {}, false, false, false, 0, v::retry, rd::backoff, ms{150}},
        {"503 launch with Retry-After: not processed", false, false, 503, &server, ms{2000}, true, false, false, 0,
         v::retry, rd::retry_after, ms{2000}},
        {"502 launch: may have started",
         false,
         false,
         502,
         &server,
         {},
         false,
         false,
         false,
         0,
         v::stop,
         rd::maybe_delivered,
         none},
        {"500 api: not transient", true, false, 500, &server, {}, false, false, false, 0, v::stop, rd::permanent, none},
        {"500 token: retried like 503",
         true,
         true,
         500,
         &server,
         {},
         false,
         false,
         false,
         0,
         v::retry,
         rd::backoff,
         ms{150}},
        {"404: stop", true, false, 404, nullptr, {}, false, false, false, 0, v::stop, rd::permanent, none},
        {"unreadable poll answer: retried",
         true,
         false,
         200,
         nullptr,
         {},
         false,
         true,
         false,
         0,
         v::retry,
         rd::backoff,
         ms{150}},
        {"unreadable launch answer: never",
         false,
         false,
         200,
         nullptr,
         {},
         false,
         true,
         false,
         0,
         v::stop,
         rd::maybe_delivered,
         none},
        {"unreadable token answer: once only",
         true,
         true,
         200,
         nullptr,
         {},
         false,
         true,
         false,
         1,
         v::stop,
         rd::exhausted,
         none},
        {"retries spent", true, false, 503, &server, {}, false, false, false, 5, v::stop, rd::exhausted, none},
        {"429 after max_retries: still retried (its own limit)", false, false, 429, nullptr, ms{1000}, true, false,
         false, 5, v::retry, rd::retry_after, ms{1000}},
        {"429 retries spent", false, false, 429, nullptr, ms{1000}, true, false, false, 30, v::stop, rd::exhausted,
         none},
    };
    for (const auto& r : table) {
        INFO(r.what);
        gcx::failed_attempt a;
        a.idempotent = r.idempotent;
        a.token_request = r.token;
        a.status = r.status;
        a.failure = r.failure;
        a.retry_after = r.retry_after;
        a.retry_after_sent = r.ra_sent;
        a.unreadable = r.unreadable;
        a.cut_by_deadline = r.cut_by_deadline;
        a.retries = r.retries;
        a.time_left = ms{60000};
        auto d = gcx::decide_retry(p, a, 0.5);
        CHECK(d.what == r.expect);
        if (r.expect == v::stop) CHECK(d.reason == r.reason);
        if (r.expect == v::retry) {
            CHECK(d.reason == r.reason);
            CHECK(d.delay == r.delay);
        }
    }
}

TEST_CASE("retry: decide_retry stops when the wait would outlast the deadline, and flags a 429") {
    gcx::retry_policy p;
    gcx::failed_attempt a;
    a.status = 429;
    a.retry_after = ms{5000};
    a.retry_after_sent = true;
    a.time_left = ms{4000};
    auto d = gcx::decide_retry(p, a, 0.5);
    CHECK(d.what == v::stop);
    CHECK(d.reason == rd::deadline);
    CHECK(d.rate_limited);  // the budget still pauses for it
    a.time_left = ms{6000};
    d = gcx::decide_retry(p, a, 0.5);
    CHECK(d.what == v::retry);
    CHECK(d.rate_limited);
}

TEST_CASE("retry: a ceiling of seconds::max() is no ceiling, not one that stops every 429") {
    gcx::retry_policy p;
    p.retry_after_ceiling = std::chrono::seconds::max();  // converted to ms, it once overflowed below zero
    gcx::failed_attempt a;
    a.status = 429;
    a.retry_after = ms{2000};
    a.retry_after_sent = true;
    a.time_left = ms{60000};
    auto d = gcx::decide_retry(p, a, 0.5);
    CHECK(d.what == v::retry);
    CHECK(d.delay == ms{2000});
    a.status = 503;  // the other Retry-After path
    d = gcx::decide_retry(p, a, 0.5);
    CHECK(d.what == v::retry);
    CHECK(d.delay == ms{2000});
}

TEST_CASE("retry: a Retry-After of 13 or more digits, or 1e9, is past the ceiling like 12 digits, not garbage") {
    auto now = std::chrono::system_clock::now();
    const ms cap{400LL * 24 * 3600 * 1000};  // 400 days: what a huge value is read as
    for (const char* huge : {"999999999999", "9999999999999", "99999999999999999999", "1e9", "1E9", "1e+9", "2.5e12",
                             "100000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
                             "1e99999999999999999999"}) {
        INFO(huge);
        auto w = gcx::parse_retry_after(huge, now);
        REQUIRE(w);
        CHECK(*w == cap);
        CHECK(gcx::parse_retry_after_delay(huge) == w);
    }
    // One rule: every one of them stops at the ceiling at once, none is retried after the default 3 s.
    gcx::retry_policy p;
    for (const char* huge : {"999999999999", "9999999999999", "1e9"}) {
        INFO(huge);
        gcx::error e = gcx::make_error(gcx::errc::rate_limited, "slow down");
        gcx::failed_attempt a;
        a.status = 429;
        a.failure = &e;
        a.retry_after_sent = true;
        a.retry_after = gcx::parse_retry_after(huge, now);
        a.time_left = ms{3600 * 1000};
        auto d = gcx::decide_retry(p, a, 0.5);
        CHECK(d.what == gcx::retry_decision::verdict::stop);
        CHECK(d.reason == gcx::retry_decision::ceiling);
    }
}

TEST_CASE("retry: a Retry-After number in another notation is rounded up, text, a sign or junk is unreadable") {
    auto now = std::chrono::system_clock::now();
    CHECK(*gcx::parse_retry_after("1.5", now) == ms{2000});
    CHECK(*gcx::parse_retry_after("120.0", now) == ms{120000});
    CHECK(*gcx::parse_retry_after("1.2e2", now) == ms{120000});
    CHECK(*gcx::parse_retry_after("5e-1", now) == ms{1000});
    CHECK(*gcx::parse_retry_after("1e-999999", now) == ms{1000});
    CHECK(*gcx::parse_retry_after("0.0", now) == ms{0});
    CHECK(*gcx::parse_retry_after("000000000000000000000000042", now) == ms{42000});
    for (const char* junk : {"-1", "+5", "1e", "e9", ".", "1.2.3", "12s", "0x10", "inf", "NaN", "1 2", "soon"}) {
        INFO(junk);
        CHECK_FALSE(gcx::parse_retry_after(junk, now));
        CHECK_FALSE(gcx::parse_retry_after_delay(junk));
    }
    // Unreadable says nothing of how long: waited like an absent Retry-After (the default).
    gcx::retry_policy p;
    gcx::error e = gcx::make_error(gcx::errc::rate_limited, "slow down");
    gcx::failed_attempt a;
    a.status = 429;
    a.failure = &e;
    a.retry_after_sent = true;
    a.retry_after = gcx::parse_retry_after("soon", now);
    a.time_left = ms{3600 * 1000};
    auto d = gcx::decide_retry(p, a, 0.5);
    CHECK(d.what == gcx::retry_decision::verdict::retry);
    CHECK(d.delay == p.retry_after_default);
}

TEST_CASE("retry: a Retry-After with more digits than the cap keeps is still rounded up, never down") {
    // Past 400 days' worth of digits the rest are not added; a nonzero one among them still counts,
    // when a negative exponent brings the value back under the cap.
    CHECK(gcx::parse_retry_after_delay("456697.0001928") == ms{456698LL * 1000});
    CHECK(gcx::parse_retry_after_delay("4754175.01985") == ms{4754176LL * 1000});
    CHECK(gcx::parse_retry_after_delay("548805006729e-6") == ms{548806LL * 1000});
    CHECK(gcx::parse_retry_after_delay("548805000000e-6") == ms{548805LL * 1000});  // dropped zeros: exact
    CHECK(gcx::parse_retry_after_delay("4754175.00000000") == ms{4754175LL * 1000});
}

TEST_CASE("retry: the fixed poll interval grows by its factor from 1 ms, rounded up") {
    gcx::poll_policy p;
    p.min_interval = ms{0};
    p.factor = 1.5;
    CHECK(gcx::next_poll_interval(p, ms{1}) == ms{2});  // before: 1 ms for ever
    CHECK(gcx::next_poll_interval(p, ms{2}) == ms{3});
    CHECK(gcx::next_poll_interval(p, ms{200}) == ms{300});
    p.factor = 1.0;
    CHECK(gcx::next_poll_interval(p, ms{7}) == ms{7});
}

TEST_CASE("retry: a Retry-After equal to the ceiling is waited for, one past it is not") {
    // A server asking for exactly the ceiling (180 s) would fail the lookup instead of being waited for.
    gcx::retry_policy p;
    auto d = gcx::decide_retry(p, answered(429, ms{180000}, ms{600000}), 0.5);
    CHECK(d.what == v::retry);
    CHECK(d.delay == ms{180000});
    d = gcx::decide_retry(p, answered(429, ms{181000}, ms{600000}), 0.5);
    CHECK(d.what == v::stop);
    CHECK(d.reason == rd::ceiling);
}

TEST_CASE("retry: a 503 whose Retry-After is past the ceiling stops with 'ceiling'") {
    // A 503 asking for an hour would hold the lookup for that hour, where a 429's fails at once.
    gcx::retry_policy p;
    const auto d = gcx::decide_retry(p, answered(503, ms{3600000}, ms{7200000}), 0.5);
    CHECK(d.what == v::stop);
    CHECK(d.reason == rd::ceiling);
}

TEST_CASE("retry: a 503 with Retry-After 0 waits at least retry_after_min") {
    // "Retry-After: 0" on a 503 would retry at once, again and again, against a failing server.
    gcx::retry_policy p;
    const auto d = gcx::decide_retry(p, answered(503, ms{0}, ms{60000}), 0.5);
    CHECK(d.what == v::retry);
    CHECK(d.delay == p.retry_after_min);
}

TEST_CASE("retry: 429s are retried at least max_retries times, even above max_rate_limited_retries") {
    // Raising max_retries past max_rate_limited_retries would make rate-limited lookups give up sooner.
    gcx::retry_policy p;
    p.max_retries = 50;
    p.max_rate_limited_retries = 30;
    auto a = answered(429, ms{1000}, ms{600000});
    a.retries = 40;
    CHECK(gcx::decide_retry(p, a, 0.5).what == v::retry);
    a.retries = 50;
    CHECK(gcx::decide_retry(p, a, 0.5).reason == rd::exhausted);
}

TEST_CASE("retry: a wait that uses up exactly the time left stops with 'deadline'") {
    // Waiting until the deadline itself leaves no time for the retry: the lookup would wait, then time out.
    gcx::retry_policy p;
    const auto d = gcx::decide_retry(p, answered(429, ms{5000}, ms{5000}), 0.5);
    CHECK(d.what == v::stop);
    CHECK(d.reason == rd::deadline);
}

TEST_CASE("retry: a launch answered 502 or 504 with Retry-After is not sent again") {
    // Only a 503 with Retry-After says the launch was not processed: a 502 or 504 may have started
    // the flow, and sending it again would run the flow twice.
    gcx::retry_policy p;
    for (int status : {502, 504}) {
        INFO(status);
        auto a = answered(status, ms{2000}, ms{60000});
        a.idempotent = false;
        const auto d = gcx::decide_retry(p, a, 0.5);
        CHECK(d.what == v::stop);
        CHECK(d.reason == rd::maybe_delivered);
    }
}

}  // namespace unit_retry
