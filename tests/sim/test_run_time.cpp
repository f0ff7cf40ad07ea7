// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Execution run times "as the field is": lognormal draws from a seeded sampler.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

std::vector<long long> draws(gcx_sim::run_time_sampler& s, std::size_t n) {
    std::vector<long long> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(s.next().count());
    return out;
}

// Milliseconds since 1970 of "2026-05-20T14:03:11.204Z".
long long epoch_ms(const std::string& iso) {
    std::tm tm{};
    int millis = 0;
    REQUIRE(std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                        &tm.tm_min, &tm.tm_sec, &millis) == 7);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<long long>(timegm(&tm)) * 1000 + millis;
}

}  // namespace

TEST_CASE("flows: field run times over 2,000 draws have median 800 ms and 87% in 0.5-1.5 s", "[sim][flows][run_time]") {
    const gcx_sim::options defaults;
    CHECK(defaults.run_time_field.median == std::chrono::milliseconds(800));
    CHECK(defaults.run_time_field.sigma == 0.35);

    gcx_sim::run_time_sampler sampler(defaults.run_time_field, 1);
    std::vector<long long> ms = draws(sampler, 2000);
    std::vector<long long> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    const long long median = sorted[sorted.size() / 2];
    CHECK(median >= 770);
    CHECK(median <= 830);
    const auto within = std::count_if(ms.begin(), ms.end(), [](long long v) { return v >= 500 && v <= 1500; });
    // The distribution puts 87.4% there; 2,000 draws put the share within about +-1.5 points.
    CHECK(within >= 1700);  // 85%
    CHECK(within <= 1790);  // 89.5%
    // ln(run time) has the configured spread.
    double sum = 0;
    double sum_sq = 0;
    for (long long v : ms) {
        const double l = std::log(static_cast<double>(v));
        sum += l;
        sum_sq += l * l;
    }
    const double n = static_cast<double>(ms.size());
    const double sigma = std::sqrt((sum_sq - sum * sum / n) / (n - 1));
    CHECK(sigma > 0.33);
    CHECK(sigma < 0.37);
    CHECK(sorted.front() > 0);
}

TEST_CASE("flows: the run-time sampler repeats for a seed, differs between seeds, restarts on reset",
          "[sim][flows][run_time]") {
    const gcx_sim::run_time_distribution dist;
    gcx_sim::run_time_sampler a(dist, 42);
    gcx_sim::run_time_sampler b(dist, 42);
    gcx_sim::run_time_sampler c(dist, 43);
    const auto first = draws(a, 50);
    CHECK(draws(b, 50) == first);
    CHECK(draws(c, 50) != first);
    a.reset();
    CHECK(draws(a, 50) == first);

    gcx_sim::run_time_sampler fixed({std::chrono::milliseconds(120), 0.0}, 7);
    CHECK(draws(fixed, 5) == std::vector<long long>(5, 120));
}

TEST_CASE("flows: without a fixed run time each launch runs for the sampler's next draw", "[sim][flows][run_time]") {
    auto o = quick_options();
    o.run_time.reset();  // field
    o.run_time_field = {std::chrono::milliseconds(150), 0.5};
    o.seed = 9;
    o.rate_limit_per_minute = 0;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);

    auto ran_for = [&](int i) {
        auto r = launch(
            c, token,
            launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::found_number(i), "run-" + std::to_string(i)));
        REQUIRE(r);
        REQUIRE(r->status == 200);
        const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
        CHECK(done.at("status") == "COMPLETED");
        return epoch_ms(done.at("dateCompleted")) - epoch_ms(done.at("dateLaunched"));
    };

    gcx_sim::run_time_sampler expected(o.run_time_field, o.seed);
    std::vector<long long> want = draws(expected, 3);
    std::vector<long long> got;
    for (int i = 0; i < 3; ++i) got.push_back(ran_for(i));
    // dateLaunched and dateCompleted are whole milliseconds, each truncated.
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("launch " << i);
        CHECK(std::llabs(got[i] - want[i]) <= 1);
    }
    CHECK(!(want[0] == want[1] && want[1] == want[2]));

    // reset_stats() starts the sequence again, so runs after a reset are reproducible.
    s.sim.reset_stats();
    CHECK(std::llabs(ran_for(3) - want[0]) <= 1);
}

TEST_CASE("flows: with a visibility lag an execution is answered RUNNING past its dateCompleted",
          "[sim][flows][run_time]") {
    auto o = quick_options();
    o.run_time = std::chrono::milliseconds(50);
    o.visibility_lag = std::chrono::milliseconds(1000);
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "lagging"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const std::string id = json::parse(r->body).at("id");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // past its 50 ms run, within the lag
    CHECK(body_of(poll(c, token, id)).at("status") == "RUNNING");

    const json done = wait_until_done(c, token, id);
    CHECK(done.at("status") == "COMPLETED");
    // The run time the answer states is the execution's own: the lag is not in it.
    CHECK(std::llabs(epoch_ms(done.at("dateCompleted")) - epoch_ms(done.at("dateLaunched")) - 50) <= 1);
    const json seen = body_of(c.Get("/sim/executions")).at(0);
    CHECK(epoch_ms(seen.at("dateFirstSeenDone")) - epoch_ms(seen.at("dateLaunched")) >= 1050 - 1);
}

TEST_CASE("flows: with a latency every answer comes at least that long after its request", "[sim][flows][run_time]") {
    auto o = quick_options();
    o.latency = std::chrono::milliseconds(300);
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const auto sent = std::chrono::steady_clock::now();
    auto r = poll(c, token, "x");
    const auto took = std::chrono::steady_clock::now() - sent;
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(took >= std::chrono::milliseconds(300));
    // /sim/* is the test's own channel: no latency there.
    CHECK(body_of(c.Get("/sim/stats")).at("polls") == 1);
}

TEST_CASE("flows: start() rejects a negative or huge latency or visibility lag", "[sim][flows][run_time]") {
    auto o = quick_options();
    o.latency = std::chrono::milliseconds(-1);
    gcx_sim::simulator a(o);
    CHECK_FALSE(a.start());
    o.latency = std::chrono::milliseconds(0);
    o.visibility_lag = std::chrono::milliseconds(600001);
    gcx_sim::simulator b(o);
    CHECK_FALSE(b.start());
}

TEST_CASE("flows: start() rejects a negative median or a sigma outside [0, 5]", "[sim][flows][run_time]") {
    auto o = quick_options();
    o.run_time.reset();
    o.run_time_field.sigma = -0.1;
    gcx_sim::simulator a(o);
    CHECK_FALSE(a.start());
    o.run_time_field.sigma = std::nan("");
    gcx_sim::simulator b(o);
    CHECK_FALSE(b.start());
    o.run_time_field = {std::chrono::milliseconds(-1), 0.35};
    gcx_sim::simulator c(o);
    CHECK_FALSE(c.start());
}

TEST_CASE("flows: by default the simulator is as the field is: drawn run times, 300 requests per "
          "minute per token",
          "[sim][flows][run_time]") {
    const gcx_sim::options defaults;
    CHECK_FALSE(defaults.run_time.has_value());
    CHECK(defaults.rate_limit_per_minute == 300);
    CHECK(defaults.org_rate_limit_per_minute == 0);
    CHECK(defaults.daily_limit == 0);

    // A default simulator's first execution runs for the default sampler's first draw.
    auto o = defaults;
    o.threads = 4;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "default"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    gcx_sim::run_time_sampler expected(defaults.run_time_field, defaults.seed);
    CHECK(std::llabs(epoch_ms(done.at("dateCompleted")) - epoch_ms(done.at("dateLaunched")) -
                     expected.next().count()) <= 1);
}

TEST_CASE("run time: every draw is at most an hour, whatever the median and sigma", "[sim][run_time]") {
    // Before: a median near INT_MAX with sigma 5 overflowed into executions completed in 1819.
    gcx_sim::run_time_sampler s({std::chrono::milliseconds(2147483647), 5.0}, 7);
    for (long long ms : draws(s, 2000)) {
        CHECK(ms >= 0);
        CHECK(ms <= 3600000);
    }
}
