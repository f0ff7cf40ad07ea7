// include/gcx/retry.hpp: backoff, poll intervals, Retry-After.
#include <gcx/retry.hpp>

#include <catch2/catch.hpp>

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
    CHECK_FALSE(gcx::parse_retry_after("1.5", now));
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
