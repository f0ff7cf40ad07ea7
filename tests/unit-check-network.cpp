// include/gcx/check/network.hpp: the network item, its round trip computed from the times handed
// in (no clock is read), and the error of a request that did not get through.
#include <gcx/check/network.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace unit_check_network {

using gcx::check_status;
using namespace std::chrono_literals;

namespace {
const gcx::time_point t0{};
}

TEST_CASE("check network: the first API request's round trip, from the times handed in") {
    gcx::check_network n;
    n.sent(t0, /*api=*/false);  // the token request
    n.answered(true, t0 + 40ms, "GET /api/v2/tokens/me");
    n.sent(t0 + 50ms, /*api=*/true);
    n.answered(true, t0 + 62ms, "GET /api/v2/tokens/me");
    n.sent(t0 + 70ms, /*api=*/true);
    n.answered(true, t0 + 170ms, "GET /api/v2/flows/x");  // not the first API request: not counted
    gcx::check_report r;
    n.report(r, "transport test");
    REQUIRE(r.items.size() == 1);
    CHECK(r.items[0].name == "network");
    CHECK(r.items[0].status == check_status::ok);
    CHECK(r.items[0].message == "transport test; one round trip (GET /api/v2/tokens/me): 12 ms");
}

TEST_CASE("check network: the token request's round trip when no API request was answered") {
    gcx::check_network n;
    n.sent(t0, false);
    n.answered(true, t0 + 25ms, "GET /api/v2/tokens/me");
    n.sent(t0 + 30ms, true);
    n.answered(false, t0 + 90ms, "GET /api/v2/tokens/me");  // a failure is no round trip
    gcx::check_report r;
    n.report(r, "");
    CHECK(r.items[0].status == check_status::ok);
    CHECK(r.items[0].message == "transport as configured by the driver; one round trip (the token request): 25 ms");
}

TEST_CASE("check network: a request that did not get through fails it, other errors do not") {
    gcx::check_network n;
    n.note(gcx::make_error(gcx::errc::auth, "refused"));
    CHECK_FALSE(n.failed());
    gcx::error e = gcx::make_error(gcx::errc::transport, "could not connect");
    e.code = "connect";
    n.note(e);
    CHECK(n.failed());
    gcx::check_report r;
    n.report(r, "transport test");
    CHECK(r.items[0].status == check_status::fail);
    CHECK(r.items[0].message == "transport test; (connect): could not connect");
    CHECK_FALSE(r.items[0].hint.empty());
}

TEST_CASE("check network: skipped when nothing answered") {
    gcx::check_network n;
    n.sent(t0, false);
    gcx::check_report r;
    n.report(r, "transport test");
    CHECK(r.items[0].status == check_status::skipped);
}

}  // namespace unit_check_network
