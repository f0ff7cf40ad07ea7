// The Clock policy (gcx/clock.hpp): gcx::steady_clock and remaining(), which every deadline and
// request timeout is computed with.
#include <gcx/clock.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <type_traits>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_clock {

using namespace std::chrono_literals;

TEST_CASE("clock: remaining() is the time left until a point, in milliseconds") {
    const gcx::time_point now{std::chrono::hours{1000}};
    CHECK(gcx::remaining(now, now + 2500ms) == gcx::milliseconds{2500});
    CHECK(gcx::remaining(now, now + 1ms) == gcx::milliseconds{1});
    CHECK(gcx::remaining(now, now + std::chrono::hours{24}) == gcx::milliseconds{86'400'000});
}

TEST_CASE("clock: remaining() is zero at and after the point, never negative") {
    const gcx::time_point now{std::chrono::hours{1000}};
    CHECK(gcx::remaining(now, now) == gcx::milliseconds{0});
    CHECK(gcx::remaining(now, now - 1ms) == gcx::milliseconds{0});
    CHECK(gcx::remaining(now, now - std::chrono::hours{5}) == gcx::milliseconds{0});
    CHECK(gcx::remaining(now, gcx::time_point{}) == gcx::milliseconds{0});  // the epoch: long past
}

TEST_CASE("clock: remaining() drops a part of a millisecond rather than promising it") {
    const gcx::time_point now{std::chrono::hours{1000}};
    CHECK(gcx::remaining(now, now + 1500us) == gcx::milliseconds{1});
    CHECK(gcx::remaining(now, now + 999us) == gcx::milliseconds{0});
    CHECK(gcx::remaining(now, now + 1ns) == gcx::milliseconds{0});
}

TEST_CASE("clock: steady_clock is monotonic and gives wall time beside it") {
    gcx::steady_clock c;
    STATIC_REQUIRE(std::is_same_v<decltype(c.now()), gcx::time_point>);
    STATIC_REQUIRE(std::is_same_v<decltype(c.system_now()), std::chrono::system_clock::time_point>);
    auto a = c.now();
    auto b = c.now();
    CHECK(b >= a);
    auto wall = c.system_now();
    auto real = std::chrono::system_clock::now();
    CHECK(std::chrono::abs(real - wall) < std::chrono::seconds{5});
}

TEST_CASE("clock: steady_clock sleeps until the point, and not at all for a past one") {
    gcx::steady_clock c;
    auto start = c.now();
    c.sleep_until(start + 20ms);
    CHECK(c.now() - start >= 20ms);

    auto before = c.now();
    c.sleep_until(before - std::chrono::hours{1});
    CHECK(c.now() - before < std::chrono::seconds{1});  // returned at once (a second is generous on a loaded machine)
}

}  // namespace unit_clock
