// include/gcx/governor.hpp: pacing at the budget, one pause for all on a 429, recovery.
#include <gcx/governor.hpp>
#include <gcx/retry.hpp>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_governor {

using ms = gcx::milliseconds;
using kind = gcx::request_governor::kind;

namespace {
const gcx::time_point t0{std::chrono::hours{1000}};

/// A greedy client: asks again exactly when told, for `span`; returns how many went through.
int greedy(gcx::request_governor& g, gcx::time_point from, ms span, kind k = kind::fresh) {
    int sent = 0;
    for (gcx::time_point now = from; now < from + span;) {
        auto at = g.admit(now, k);
        if (at == now) ++sent;
        else now = at;
    }
    return sent;
}
}  // namespace

TEST_CASE("governor: a greedy batch gets at most budget x headroom + burst in any minute") {
    gcx::budget_policy p;  // 300 per minute, 95%, burst 12
    gcx::request_governor g(p.requests_per_minute, p);
    const int first_minute = greedy(g, t0, ms{60000});
    CHECK(first_minute <= 285 + p.fresh_burst);
    CHECK(first_minute >= 284);
    const int second_minute = greedy(g, t0 + ms{60000}, ms{60000});
    CHECK(second_minute <= 285);
    CHECK(second_minute >= 284);
}

TEST_CASE("governor: continuing requests stay within budget x headroom + burst in a minute, the interval "
          "rounded up") {
    // 60 s / 285 is not a whole number of nanoseconds: truncated, 286 intervals fitted in a minute
    // and 298 continuing requests went through, one more than the bound.
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    CHECK(greedy(g, t0, ms{60000}, kind::continuing) == 285 + p.burst);
}

TEST_CASE("governor: requests are spread over the minute, not spent in its first seconds") {
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    // In the first 5 seconds: the fresh burst and the pace, about 30 requests, not 300.
    const int early = greedy(g, t0, ms{5000});
    CHECK(early <= p.fresh_burst + 1 + 24);
    CHECK(early >= 20);
}

TEST_CASE("governor: continuing requests may run ahead of the pace, fresh ones wait") {
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    greedy(g, t0, ms{1}, kind::fresh);  // the fresh burst is spent
    CHECK(g.admit(t0, kind::fresh) > t0);
    int polls = 0;
    while (g.admit(t0, kind::continuing) == t0) ++polls;
    CHECK(polls == p.burst - p.fresh_burst);  // up to `burst` ahead in all: room for 9 polls due together
    CHECK(g.admit(t0, kind::continuing) > t0);
}

TEST_CASE("governor: a 429 pauses every request until its Retry-After, at least the minimum") {
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    g.on_rate_limited(t0, ms{5000});
    CHECK(g.admit(t0 + ms{10}, kind::fresh) == t0 + ms{5000});
    CHECK(g.admit(t0 + ms{10}, kind::continuing) == t0 + ms{5000});
    CHECK(g.admit(t0 + ms{5000}, kind::continuing) == t0 + ms{5000});
    CHECK(g.counters().rate_limited == 1);
    // "Retry-After: 0" still waits the minimum: never a storm of immediate retries.
    gcx::request_governor h(p.requests_per_minute, p);
    h.on_rate_limited(t0, ms{0});
    CHECK(h.admit(t0, kind::continuing) == t0 + ms{1000});
}

TEST_CASE("governor: a 429 halves the pace, which climbs back to full over the recovery time") {
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    CHECK(g.pace(t0) == Approx(285));
    g.on_rate_limited(t0, ms{1000});
    CHECK(g.pace(t0 + ms{1000}) == Approx(142.5));
    CHECK(g.pace(t0 + ms{31000}) == Approx(213.75));
    CHECK(g.pace(t0 + ms{61000}) == Approx(285));
    // Two in a row slow it further, never to nothing.
    for (int i = 0; i < 20; ++i) g.on_rate_limited(t0 + ms{61000}, ms{1000});
    CHECK(g.pace(t0 + ms{62000}) > 0);
}

TEST_CASE("governor: requests that ran ahead at a slowed pace do not idle the budget as the pace recovers") {
    gcx::budget_policy p;  // 300 a minute, burst 12, a 429 halves the pace, back to full over 60 s
    gcx::request_governor g(p.requests_per_minute, p);
    gcx::time_point t = t0;
    for (int i = 0; i < 6; ++i) {  // six 429s one after the other: the pace at its floor
        g.on_rate_limited(t, ms{1000});
        t += ms{1000};
    }
    REQUIRE(g.pace(t) < 15);
    while (g.admit(t, kind::continuing) == t) {}  // polls run ahead by the burst, at about 4 s each
    // 20 s later the pace has climbed back to 60 % of full: a launch waits for the burst at that
    // pace at most, not for what ran ahead at the slowest one (about 40 s).
    const auto later = t + ms{20000};
    const double per_minute = g.pace(later);
    REQUIRE(per_minute > 100);
    const auto wait = g.admit(later, kind::fresh) - later;
    CHECK(wait <= std::chrono::duration<double>(60.0 / per_minute * (p.burst + 1)));
}

TEST_CASE("governor: no pacing at rate 0, but a 429 still pauses") {
    gcx::budget_policy p;
    gcx::request_governor g(0, p);
    for (int i = 0; i < 1000; ++i) REQUIRE(g.admit(t0, kind::fresh) == t0);
    g.on_rate_limited(t0, ms{2000});
    CHECK(g.admit(t0, kind::fresh) == t0 + ms{2000});
}

TEST_CASE("governor: next_free says when a fresh request would go") {
    gcx::budget_policy p;
    gcx::request_governor g(60, p);  // one a second (after headroom: 57 per minute)
    CHECK(g.next_free(t0) == t0);
    greedy(g, t0, ms{1});
    CHECK(g.next_free(t0) > t0);
}

TEST_CASE("governor: next_free counts the fresh requests already waiting") {
    gcx::budget_policy p;
    gcx::request_governor a(60, p), b(60, p);
    greedy(a, t0, ms{1});
    greedy(b, t0, ms{1});
    REQUIRE(a.next_free(t0) == b.next_free(t0));
    // Three launches wait their turn on `a`: a fourth would go three turns later there.
    std::uint64_t t1 = 0, t2 = 0, t3 = 0;
    REQUIRE(a.admit(t0, kind::fresh, t1) > t0);
    REQUIRE(a.admit(t0, kind::fresh, t2) > t0);
    REQUIRE(a.admit(t0, kind::fresh, t3) > t0);
    CHECK(a.next_free(t0) > b.next_free(t0) + ms{3000});
    a.forget(t1);
    a.forget(t2);
    a.forget(t3);
    CHECK(a.next_free(t0) == b.next_free(t0));
}

TEST_CASE("governor: fresh requests that waited go in the order they first asked") {
    gcx::budget_policy p;
    gcx::request_governor g(60, p);  // one about every 1.05 s after headroom
    greedy(g, t0, ms{1});            // the burst is spent
    std::uint64_t a = 0, b = 0, c = 0;
    const auto at_a = g.admit(t0, kind::fresh, a);
    const auto at_b = g.admit(t0, kind::fresh, b);
    g.admit(t0, kind::fresh, c);
    REQUIRE(at_a > t0);
    CHECK(at_b > at_a);  // B waits behind A even when asked at the same moment
    // At A's time, C and B ask before A: they are told to wait; A, then B, then C go.
    CHECK(g.admit(at_a, kind::fresh, c) > at_a);
    CHECK(g.admit(at_a, kind::fresh, b) > at_a);
    CHECK(g.admit(at_a, kind::fresh, a) == at_a);
    CHECK(a == 0);
    gcx::time_point now = at_a;
    while (g.admit(now, kind::fresh, c) == now) FAIL("C overtook B");
    while ((now = std::max(now + ms{1}, now)), g.admit(now, kind::fresh, b) != now) {}
    CHECK(b == 0);
    CHECK(c != 0);
    // A request given up leaves the queue, so the next one is not blocked behind it.
    g.forget(c);
    std::uint64_t d = 0;
    gcx::time_point later = now + ms{60000};
    CHECK(g.admit(later, kind::fresh, d) == later);
}

TEST_CASE("governor: a request behind a late one asks again in an eighth of the grace, not every millisecond") {
    // The older request's turn came and it did not ask (away renewing the token, say): the younger
    // one waits at most one grace (an interval of the pace) for it, asking a few times, not once a ms.
    for (double rate : {300.0, 10.0}) {
        INFO(rate);
        gcx::budget_policy p;
        gcx::request_governor g(rate, p);
        greedy(g, t0, ms{1});  // the burst is spent
        std::uint64_t head = 0, young = 0;
        const auto head_due = g.admit(t0, kind::fresh, head);
        REQUIRE(head_due > t0);
        gcx::time_point now = head_due, at;
        int asks = 0;
        while ((at = g.admit(now, kind::fresh, young)) != now) {
            REQUIRE(at > now);
            now = at;
            ++asks;
        }
        CHECK(asks <= 9);
        CHECK(now - head_due <= std::chrono::milliseconds(static_cast<long>(60000 / (rate * p.headroom))) + ms{50});
        CHECK(young == 0);
    }
}

TEST_CASE("governor: a ticket drawn outside takes its place by its number, ahead of later ones already waiting") {
    gcx::budget_policy p;
    gcx::request_governor g(60, p);
    greedy(g, t0, ms{1});  // the burst is spent
    // Tickets 7 and 9 come from one counter outside (a session's, shared by its credentials):
    // 9 waits here first; 7, older, asks afterwards and goes ahead of it.
    std::uint64_t younger = 9, older = 7;
    const auto at_younger = g.admit(t0, kind::fresh, younger);
    REQUIRE(at_younger > t0);
    const auto at_older = g.admit(t0, kind::fresh, older);
    CHECK(at_older > t0);
    CHECK(older == 7);  // kept while it waits
    CHECK(g.admit(at_older, kind::fresh, younger) > at_older);
    CHECK(g.admit(at_older, kind::fresh, older) == at_older);
    CHECK(older == 0);  // admitted: nothing left to forget
}

TEST_CASE("governor: 429s of requests in flight together slow the pace once, and no Retry-After overflows") {
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    for (int i = 0; i < 10; ++i) g.on_rate_limited(t0 + ms{i}, ms{2000});
    CHECK(g.pace(t0 + ms{2000}) == Approx(142.5));
    // A server's 99999999999 s or a date centuries ahead: a long pause, never a wrapped one.
    gcx::request_governor h(p.requests_per_minute, p);
    h.on_rate_limited(t0, ms{std::chrono::hours{24 * 365 * 1000}});
    CHECK(h.paused_until() > t0 + std::chrono::hours{24 * 300});
    CHECK(h.admit(t0 + ms{1}, kind::continuing) == h.paused_until());
    auto ra = gcx::parse_retry_after("99999999999", std::chrono::system_clock::now());
    REQUIRE(ra);
    CHECK(*ra <= ms{std::chrono::hours{24 * 400}});
}

TEST_CASE("governor: the slowest budget the configuration accepts, slowed by 429s, does not overflow") {
    gcx::budget_policy p;
    p.requests_per_minute = 0.01;
    p.headroom = 0.01;
    p.burst = 10000;
    REQUIRE(p.unusable() == nullptr);
    gcx::request_governor g(p.requests_per_minute, p);
    auto t = t0;
    for (int i = 0; i < 5; ++i) {  // five 429s, each after the last pause: the pace at its floor
        g.on_rate_limited(t, ms{1000});
        t = g.paused_until();
    }
    CHECK(g.admit(t, kind::continuing) == t);  // before: told to come back in 2.5 million hours
    auto at = t;
    for (int i = 0; i < 100 && at == t; ++i) at = g.admit(t, kind::continuing);
    CHECK(at > t);  // the burst (one request every 139 days, 10,000 ahead) is cut at 400 days
    CHECK(at <= t + gcx::longest_wait);
    CHECK(g.next_free(t) > t);
    CHECK(g.next_free(t) <= t + gcx::longest_wait * 2);
}

TEST_CASE("governor: a minimum pause or recovery of a duration's max() is a long one, never one in the past") {
    gcx::budget_policy p;
    p.min_pause = ms::max();
    p.recovery = std::chrono::seconds::max();
    gcx::request_governor g(p.requests_per_minute, p);
    g.on_rate_limited(t0, ms{2000});
    CHECK(g.paused_until() > t0 + std::chrono::hours{24 * 300});
    CHECK(g.admit(t0 + ms{5000}, kind::continuing) == g.paused_until());
    CHECK(g.pace(g.paused_until() + std::chrono::hours{1}) < 285.0);  // still recovering, slowly
}

TEST_CASE("governor: a later 429 with a shorter Retry-After does not shorten the pause") {
    // Two requests in flight answered 429 asking for 30 s and then 2 s: ending the pause after 2 s
    // sends every request again 28 s early, into the same rate limit.
    gcx::budget_policy p;
    gcx::request_governor g(p.requests_per_minute, p);
    g.on_rate_limited(t0, ms{30000});
    g.on_rate_limited(t0 + ms{10}, ms{2000});
    CHECK(g.paused_until() == t0 + ms{30000});
    CHECK(g.admit(t0 + ms{3000}, kind::continuing) == t0 + ms{30000});
}

TEST_CASE("governor: a fresh_burst above burst is cut to burst, fresh requests stay paced") {
    // A configuration refuses fresh_burst 20 over burst 5; a governor made from it directly must
    // still pace launches, not let them out all at once.
    gcx::budget_policy p;
    p.burst = 5;
    p.fresh_burst = 20;
    CHECK(p.unusable() != nullptr);
    gcx::request_governor g(p.requests_per_minute, p);
    int sent = 0;  // not greedy(): uncut, fresh requests at one instant may never be told to wait
    while (sent < 1000 && g.admit(t0, kind::fresh) == t0) ++sent;
    CHECK(sent == p.burst + 1);
}

TEST_CASE("governor: a headroom above 1 paces at the budget, not above it") {
    // A configuration refuses headroom 1.5; a governor made from it directly must not send faster
    // than the budget.
    gcx::budget_policy p;
    p.headroom = 1.5;
    CHECK(p.unusable() != nullptr);
    gcx::request_governor g(p.requests_per_minute, p);
    CHECK(g.pace(t0) == Approx(300));
}

TEST_CASE("governor: a 429 never speeds the pace up, whatever slow_down says") {
    // A configuration refuses slow_down 1.5; a governor made from it directly must not send faster
    // after a 429.
    gcx::budget_policy p;
    p.slow_down = 1.5;
    CHECK(p.unusable() != nullptr);
    gcx::request_governor g(p.requests_per_minute, p);
    g.on_rate_limited(t0, ms{1000});
    CHECK(g.pace(t0 + ms{2000}) <= Approx(285));
}

TEST_CASE("governor: without pacing, fresh requests that waited out a pause go in order") {
    // At rate 0, the launches held by a 429 go in the order they asked, not whichever asks first
    // when the pause ends.
    gcx::budget_policy p;
    gcx::request_governor g(0, p);
    g.on_rate_limited(t0, ms{2000});
    std::uint64_t a = 0, b = 0;
    const auto at = g.admit(t0, kind::fresh, a);
    REQUIRE(g.admit(t0, kind::fresh, b) == at);
    CHECK(g.admit(at, kind::fresh, b) > at);  // B asks first at the end of the pause: A goes first
    CHECK(g.admit(at, kind::fresh, a) == at);
}

TEST_CASE(
    "governor: the burst stays within the headroom, so a budget set to the server's own limit is never run over") {
    // At 60 a minute, 95% is 57 and a burst of 12 made 69 in the first minute: a 429 from a
    // server whose limit is 60. The burst is cut to what the headroom leaves (3); at 300 a
    // minute (room for 15) it stays 12.
    for (const double rate : {60.0, 30.0, 300.0}) {
        CAPTURE(rate);
        gcx::budget_policy p;
        gcx::request_governor g(rate, p);
        CHECK(greedy(g, t0, ms{60000}, kind::continuing) <= static_cast<int>(rate));
    }
    gcx::budget_policy p;
    gcx::request_governor g(300, p);
    CHECK(greedy(g, t0, ms{60000}, kind::continuing) == 285 + p.burst);
    // Headroom 1 is the user's choice: the burst as configured.
    p.headroom = 1;
    gcx::request_governor all(60, p);
    CHECK(greedy(all, t0, ms{60000}, kind::continuing) == 60 + p.burst);
}

}  // namespace unit_governor
