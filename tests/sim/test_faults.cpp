// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include <vector>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

gcx_sim::options with_faults(const std::string& spec, std::uint64_t seed = 1) {
    auto o = quick_options();
    o.faults = spec;
    o.seed = seed;
    return o;
}

// The statuses of `n` polls of an unknown execution (404 when not faulted; -1 = no response).
std::vector<int> poll_statuses(const gcx_sim::options& o, int n) {
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    std::vector<int> statuses;
    for (int i = 0; i < n; ++i) {
        auto r = poll(c, token, "x");
        statuses.push_back(r ? r->status : -1);
    }
    return statuses;
}

}  // namespace

TEST_CASE("faults: specification syntax", "[sim][faults]") {
    gcx_sim::fault_spec spec;
    std::string error;
    REQUIRE(gcx_sim::parse_faults(
        " 429=0.05, 502=0.02,503=0.05,504=0.02,drop=0.02,slow=0.01,malformed=0.02,slow_ms=2500 ", spec, error));
    CHECK(spec.p429 == 0.05);
    CHECK(spec.malformed == 0.02);
    CHECK(spec.slow_ms == 2500);
    CHECK(spec.on_launch);
    CHECK_FALSE(spec.on_token);

    REQUIRE(gcx_sim::parse_faults("drop=1,on=launch+token,skip=2,max=1", spec, error));
    CHECK(spec.on_launch);
    CHECK(spec.on_token);
    CHECK_FALSE(spec.on_poll);
    CHECK(spec.skip == 2);
    CHECK(spec.max == 1);

    REQUIRE(gcx_sim::parse_faults("504after=0.25,429=0.5,retry_after=42", spec, error));
    CHECK(spec.p504_after == 0.25);
    CHECK(spec.retry_after == 42);
    CHECK(spec.any());

    REQUIRE(gcx_sim::parse_faults("503=0.5,token=1", spec, error));
    CHECK(spec.on_token);
    CHECK(spec.on_poll);
    REQUIRE(gcx_sim::parse_faults("", spec, error));
    CHECK_FALSE(spec.any());

    for (const char* bad : {"503", "503=1.5", "503=-0.1", "418=0.1", "drop=0.6,slow=0.6", "on=everything", "slow_ms=-1",
                            "token=yes", "max=x", "retry_after=-1", "retry_after=86401", "504after=0.6,503=0.6"}) {
        INFO(bad);
        CHECK_FALSE(gcx_sim::parse_faults(bad, spec, error));
        CHECK(!error.empty());
    }
}

TEST_CASE("faults: the same seed gives the same faults", "[sim][faults]") {
    const std::string spec = "429=0.2,503=0.3";
    const auto first = poll_statuses(with_faults(spec, 7), 40);
    const auto again = poll_statuses(with_faults(spec, 7), 40);
    const auto other = poll_statuses(with_faults(spec, 8), 40);
    CHECK(first == again);
    CHECK(first != other);
    CHECK(std::count(first.begin(), first.end(), 429) > 0);
    CHECK(std::count(first.begin(), first.end(), 503) > 0);
    CHECK(std::count(first.begin(), first.end(), 404) > 0);
}

TEST_CASE("faults: a 503 on launch starts nothing", "[sim][faults]") {
    running_sim s(with_faults("503=1,on=launch"));
    auto c = s.client();
    const std::string token = full_token(s, c);  // token requests are not faulted by default
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "a"));
    require_error(r, 503, "service.unavailable");
    CHECK(r->get_header_value("Retry-After") == "1");
    auto st = s.sim.snapshot();
    CHECK(st.launch_requests == 1);
    CHECK(st.launches == 0);
    CHECK(st.faults_503 == 1);
    CHECK(st.faults_injected == 1);

    // Resending the same body after a pre-launch fault is no duplicate.
    launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "a"));
    CHECK(s.sim.snapshot().duplicate_launches == 0);
}

TEST_CASE("faults: an injected 429 carries Retry-After: 1", "[sim][faults]") {
    running_sim s(with_faults("429=1,on=poll"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = poll(c, token, "x");
    const json err = require_error(r, 429, "too.many.requests.retry.after");
    CHECK(r->get_header_value("Retry-After") == "1");
    CHECK(err.at("message") == "Rate limit exceeded the maximum. Retry the request in [1] seconds");
    CHECK(s.sim.snapshot().rate_limited == 0);  // a fault, not the rate limiter
}

TEST_CASE("faults: retry_after sets the Retry-After of injected 429s and 503s", "[sim][faults]") {
    running_sim s(with_faults("429=0.5,503=0.5,on=poll,retry_after=37"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    int seen429 = 0, seen503 = 0;
    for (int i = 0; i < 40 && (seen429 == 0 || seen503 == 0); ++i) {
        auto r = poll(c, token, "x");
        REQUIRE(r);
        REQUIRE((r->status == 429 || r->status == 503));
        CHECK(r->get_header_value("Retry-After") == "37");
        if (r->status == 429) {
            ++seen429;
            CHECK(body_of(r).at("message") == "Rate limit exceeded the maximum. Retry the request in [37] seconds");
        } else {
            ++seen503;
        }
    }
    CHECK(seen429 > 0);
    CHECK(seen503 > 0);
}

TEST_CASE("faults: retry_after=none sends the 503s without Retry-After, the 429s still with one", "[sim][faults]") {
    gcx_sim::fault_spec spec;
    std::string error;
    REQUIRE(gcx_sim::parse_faults("503=0.5,retry_after=none", spec, error));
    CHECK(spec.retry_after == -1);
    running_sim s(with_faults("429=0.5,503=0.5,on=poll,retry_after=none"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    int seen429 = 0, seen503 = 0;
    for (int i = 0; i < 40 && (seen429 == 0 || seen503 == 0); ++i) {
        auto r = poll(c, token, "x");
        REQUIRE(r);
        REQUIRE((r->status == 429 || r->status == 503));
        if (r->status == 429) {
            ++seen429;
            CHECK(r->get_header_value("Retry-After") == "1");
        } else {
            ++seen503;
            CHECK_FALSE(r->has_header("Retry-After"));
        }
    }
    CHECK(seen429 > 0);
    CHECK(seen503 > 0);
}

TEST_CASE("faults: a launch answered 504 after the fact did start its execution", "[sim][faults]") {
    running_sim s(with_faults("504after=1,on=launch,max=1"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json body = launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "lookup-504");
    auto r = launch(c, token, body);
    const json err = require_error(r, 504, "request.timeout");
    CHECK_FALSE(err.contains("id"));  // the gateway's answer, not the launch's
    auto st = s.sim.snapshot();
    CHECK(st.launch_requests == 1);
    CHECK(st.launches == 1);
    CHECK(st.faults_504 == 1);
    const json listing = body_of(c.Get("/sim/executions"));
    REQUIRE(listing.size() == 1);  // the execution exists, though its id was not told
    CHECK(listing.at(0).at("name") == "lookup-504");

    launch(c, token, body);  // a client that re-sends it launches the flow twice
    CHECK(s.sim.snapshot().duplicate_launches == 1);
}

TEST_CASE("faults: a dropped launch did start, and resending it is a duplicate", "[sim][faults]") {
    running_sim s(with_faults("drop=1,on=launch,max=1"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json body = launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "lookup-42");
    auto r = launch(c, token, body);
    CHECK_FALSE(r);  // connection closed without a response
    auto st = s.sim.snapshot();
    CHECK(st.launches == 1);
    CHECK(st.faults_drop == 1);
    CHECK(st.duplicate_launches == 0);

    r = launch(c, token, body);  // the naive retry
    REQUIRE(r);
    CHECK(r->status == 200);
    st = s.sim.snapshot();
    CHECK(st.launches == 2);
    CHECK(st.duplicate_launches == 1);
}

TEST_CASE("faults: malformed and slow answers come after the launch", "[sim][faults]") {
    SECTION("malformed") {
        running_sim s(with_faults("malformed=1,on=launch"));
        auto c = s.client();
        const std::string token = full_token(s, c);
        auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "m"));
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(json::parse(r->body, nullptr, false).is_discarded());
        CHECK(s.sim.snapshot().launches == 1);
        CHECK(s.sim.snapshot().faults_malformed == 1);
    }
    SECTION("slow") {
        running_sim s(with_faults("slow=1,slow_ms=300,on=launch"));
        auto c = s.client();
        const std::string token = full_token(s, c);
        const auto start = std::chrono::steady_clock::now();
        auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "s"));
        const auto elapsed = std::chrono::steady_clock::now() - start;
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(elapsed >= std::chrono::milliseconds(300));
        CHECK(s.sim.snapshot().launches == 1);
    }
}

TEST_CASE("faults: the token endpoint is faulted only when asked", "[sim][faults]") {
    {
        running_sim s(with_faults("503=1"));
        auto c = s.client();
        CHECK(request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret)->status == 200);
    }
    {
        running_sim s(with_faults("503=1,token=1"));
        auto c = s.client();
        auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
        require_error(r, 503, "service.unavailable");
        CHECK(s.sim.snapshot().tokens_issued == 0);
    }
}

TEST_CASE("faults: client= faults only that OAuth client's requests, its token requests too", "[sim][faults]") {
    std::string second;
    {
        running_sim probe(quick_options());
        second = probe.sim.demo().second_client_id;
    }
    running_sim s(with_faults("429=1,on=poll+token,retry_after=7200,client=" + second));
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);  // the first client: neither its token nor its polls
    CHECK(poll(c, token, "x")->status == 404);
    auto refused = request_token(c, demo.second_client_id, demo.second_client_secret);
    require_error(refused, 429, "too.many.requests.retry.after");
    CHECK(refused->get_header_value("Retry-After") == "7200");
    CHECK(s.sim.snapshot().answered_429 == 1);

    gcx_sim::fault_spec spec;
    std::string error;
    REQUIRE(gcx_sim::parse_faults("429=1,client=abc-123", spec, error));
    CHECK(spec.client == "abc-123");
    CHECK_FALSE(gcx_sim::parse_faults("429=1,client=", spec, error));
}

TEST_CASE("faults: skip and max select which requests fail, reset re-arms them", "[sim][faults]") {
    running_sim s(with_faults("504=1,on=poll,skip=1,max=1"));
    auto c = s.client();
    const std::string token = full_token(s, c);
    CHECK(poll(c, token, "x")->status == 404);
    require_error(poll(c, token, "x"), 504, "request.timeout");
    CHECK(poll(c, token, "x")->status == 404);
    s.sim.reset_stats();
    CHECK(poll(c, token, "x")->status == 404);
    CHECK(poll(c, token, "x")->status == 504);
}

TEST_CASE("faults: stop() is prompt with a slow request and idle keep-alive clients", "[sim][faults]") {
    running_sim s(with_faults("slow=1,slow_ms=60000,on=poll"));
    auto idle = s.client();
    idle.set_keep_alive(true);
    const std::string token = full_token(s, idle);  // leaves an idle keep-alive connection

    std::thread slow_client([&s, token] {
        auto c = s.client();
        poll(c, token, "x");  // parked for a minute unless stop() interrupts it
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto start = std::chrono::steady_clock::now();
    s.sim.stop();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    slow_client.join();
}
