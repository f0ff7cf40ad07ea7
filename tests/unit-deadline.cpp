// include/gcx/deadline.hpp: the lookup timeout runs from the first request; the wait for the
// budget before it has its own bound, and each says which ran out.
#include <gcx/deadline.hpp>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_deadline {

using ms = gcx::milliseconds;

TEST_CASE("deadline: before the first request only the queue bound counts, after it the lookup timeout") {
    gcx::client_config c;
    c.lookup_timeout = ms{2000};
    c.budget.queue_timeout = ms{10000};
    const gcx::time_point t0{std::chrono::hours{5}};
    auto d = gcx::op_deadline::from(t0, c);
    CHECK(d.created == t0);
    CHECK_FALSE(d.expired(t0 + ms{9999}));  // waiting its turn: 9.999 s is fine though the timeout is 2 s
    CHECK(d.expired(t0 + ms{10000}));
    CHECK(d.until() == t0 + ms{12000});
    d.start(t0 + ms{5000});
    d.start(t0 + ms{7000});  // the first request counts, not later ones
    CHECK(*d.started == t0 + ms{5000});
    CHECK_FALSE(d.expired(t0 + ms{6999}));
    CHECK(d.expired(t0 + ms{7000}));
    CHECK(d.until() == t0 + ms{7000});
}

TEST_CASE("deadline: the error says which bound ran out") {
    gcx::client_config c;
    const gcx::time_point t0{std::chrono::hours{5}};
    auto d = gcx::op_deadline::from(t0, c);
    auto queued = gcx::detail::expired_error(d, "flow launch");
    CHECK(queued.kind == gcx::errc::timeout);
    CHECK(queued.code == gcx::codes::queue_timeout);
    d.start(t0);
    auto late = gcx::detail::expired_error(d, "flow launch");
    CHECK(late.code == gcx::codes::deadline);
    CHECK(late.message.find("flow launch") != std::string::npos);
}

TEST_CASE("deadline: a pause past the retry ceiling is a rate_limited error with the wait in whole seconds") {
    const gcx::time_point t0{std::chrono::hours{5}};
    auto e = gcx::detail::paused_error(t0, t0 + std::chrono::milliseconds{3600500});
    CHECK(e.kind == gcx::errc::rate_limited);
    CHECK(e.code == gcx::codes::retry_ceiling);
    CHECK(e.retry_after_seconds == 3601);
    CHECK(e.message.find("3601 s") != std::string::npos);
    // A pause of years does not overflow the int.
    auto far = gcx::detail::paused_error(t0, t0 + std::chrono::hours{24 * 365 * 100});
    CHECK(far.retry_after_seconds == 1 << 30);
}

}  // namespace unit_deadline
