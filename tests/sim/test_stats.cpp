// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include <atomic>
#include <set>
#include <vector>

#include "sim_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

using namespace sim_test;

TEST_CASE("stats: counters follow the traffic and /sim/reset zeroes them", "[sim][stats]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "one"));
    const std::string id = json::parse(r->body).at("id");
    wait_until_done(c, token, id);
    c.Get("/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B13175550123", bearer(token));

    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.token_requests == 1);
    CHECK(st.tokens_issued == 1);
    CHECK(st.launch_requests == 1);
    CHECK(st.launches == 1);
    CHECK(st.duplicate_launches == 0);
    CHECK(st.polls >= 2);
    CHECK(st.direct_lookups == 1);
    CHECK(st.requests_total == 3 + st.polls);
    // httplib::Client without keep-alive opens one connection per request.
    CHECK(st.connections_accepted == st.requests_total);

    // /sim/stats is the same record, by the same names, and is itself not counted.
    const json body = body_of(c.Get("/sim/stats"));
    CHECK(body.at("launches") == 1);
    CHECK(body.at("polls") == st.polls);
    CHECK(body.at("requests_total") == st.requests_total);
    for (const char* key :
         {"tokens_issued",      "token_requests", "token_failures",  "token_rate_limited", "launch_requests",
          "duplicate_launches", "direct_lookups", "action_requests", "actions_executed",   "connections_accepted",
          "unauthorized",       "forbidden",      "rate_limited",    "faults_injected",    "faults_429",
          "faults_502",         "faults_503",     "faults_504",      "faults_drop",        "faults_slow",
          "faults_malformed"}) {
        INFO(key);
        CHECK(body.at(key).is_number_unsigned());
    }
    CHECK(s.sim.snapshot().requests_total == st.requests_total);

    auto reset = c.Post("/sim/reset", "", "application/json");
    REQUIRE(reset);
    CHECK(reset->status == 204);
    CHECK(s.sim.snapshot().launches == 0);
    CHECK(body_of(c.Get("/sim/stats")).at("requests_total") == 0);

    // As `curl -X POST` sends it: no Content-Length, an empty body (before: 400 bad.request).
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(s.sim.port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    const std::string req = "POST /sim/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
    char buf[256] = {};
    const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    REQUIRE(n > 12);
    CHECK(std::string(buf, 12) == "HTTP/1.1 204");
}

TEST_CASE("stats: the same launch body twice is a duplicate", "[sim][stats]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    const auto& flow = s.sim.demo().lookup_flow_id;
    launch(c, token, launch_body(flow, "+13175550123", "a"));
    launch(c, token, launch_body(flow, "+13175550123", "b"));
    CHECK(s.sim.snapshot().duplicate_launches == 0);
    // Same meaning, different bytes: still the same launch.
    launch(c, token,
           json::parse(R"({"inputData":{"Flow.PhoneNumber":"+13175550123"},
                                   "name":"a", "flowId":")" +
                       flow + "\"}"));
    CHECK(s.sim.snapshot().duplicate_launches == 1);
    CHECK(s.sim.snapshot().launches == 3);
}

TEST_CASE("stats: every response has a fresh correlation id", "[sim][stats]") {
    running_sim s;
    auto c = s.client();
    std::set<std::string> ids;
    auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
    ids.insert(r->get_header_value("ININ-Correlation-Id"));
    const std::string token = json::parse(r->body).at("access_token");
    r = poll(c, token, "x");
    require_error(r, 404, "not.found");
    ids.insert(r->get_header_value("ININ-Correlation-Id"));
    // A path that has no route gets an ErrorBody too.
    r = c.Get("/api/v2/nothing/here", bearer(token));
    require_error(r, 404, "not.found");
    ids.insert(r->get_header_value("ININ-Correlation-Id"));
    r = c.Get("/sim/stats");
    ids.insert(r->get_header_value("ININ-Correlation-Id"));
    CHECK(ids.size() == 4);
    CHECK(ids.count("") == 0);
}

TEST_CASE("stats: 16 concurrent keep-alive clients are served, one connection each", "[sim][stats]") {
    auto o = quick_options();
    o.threads = 24;
    running_sim s(o);
    constexpr int clients = 16;
    constexpr int requests = 20;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&s, &ok, t] {
            auto c = s.client();
            c.set_keep_alive(true);
            auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
            if (!r || r->status != 200) return;
            const std::string token = json::parse(r->body).at("access_token");
            r = launch(c, token,
                       launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::found_number(t),
                                   "c-" + std::to_string(t)));
            if (!r || r->status != 200) return;
            const std::string id = json::parse(r->body).at("id");
            for (int i = 0; i < requests; ++i) {
                r = poll(c, token, id);
                if (!r || r->status != 200) return;
            }
            ok += 1;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == clients);
    const auto st = s.sim.snapshot();
    CHECK(st.connections_accepted == static_cast<std::uint64_t>(clients));
    CHECK(st.requests_total == static_cast<std::uint64_t>(clients * (2 + requests)));
    CHECK(st.launches == static_cast<std::uint64_t>(clients));
}

TEST_CASE("stats: requests are counted by kind and by client, 429 answers too", "[sim][stats]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 2;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    const std::string other = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    request_token(c, demo.client_id, "wrong secret");  // a token request of no client

    // client_id: a launch and a poll, then a 429.
    auto r = launch(c, token, launch_body(demo.lookup_flow_id, "+13175550123", "kinds"));
    REQUIRE(r->status == 200);
    CHECK(poll(c, token, json::parse(r->body).at("id"))->status == 200);
    CHECK(poll(c, token, "x")->status == 429);
    // no_launch_client_id: a direct lookup, a limits read (other), then a 429 on an unknown path.
    c.Get("/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B13175550123", bearer(other));
    CHECK(c.Get("/api/v2/organizations/limits/namespaces/platform.api", bearer(other))->status == 200);
    c.Get("/api/v2/no/such/path", bearer(other));
    // Nobody's: no token.
    c.Get("/api/v2/no/such/path");

    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.token_requests == 3);
    CHECK(st.launch_requests == 1);
    CHECK(st.polls == 2);
    CHECK(st.direct_lookups == 1);
    CHECK(st.other_requests == 3);
    CHECK(st.requests_total == 10);
    CHECK(st.requests_total == st.token_requests + st.launch_requests + st.polls + st.direct_lookups +
                                   st.action_requests + st.other_requests);
    CHECK(st.rate_limited == 1);
    CHECK(st.answered_429 == 1);

    REQUIRE(st.clients.size() == 2);
    const gcx_sim::client_stats& full = st.clients.at(demo.client_id);
    CHECK(full.requests == 4);
    CHECK(full.token_requests == 1);
    CHECK(full.launch_requests == 1);
    CHECK(full.polls == 2);
    CHECK(full.direct_lookups == 0);
    CHECK(full.other_requests == 0);
    CHECK(full.answered_429 == 1);
    const gcx_sim::client_stats& no_launch = st.clients.at(demo.no_launch_client_id);
    CHECK(no_launch.requests == 4);
    CHECK(no_launch.token_requests == 1);
    CHECK(no_launch.direct_lookups == 1);
    CHECK(no_launch.other_requests == 2);
    CHECK(no_launch.answered_429 == 0);  // an unknown path is answered 404 before any limit

    // /sim/stats carries the same, clients keyed by id.
    const json body = body_of(c.Get("/sim/stats"));
    CHECK(body.at("other_requests") == 3);
    CHECK(body.at("answered_429") == 1);
    CHECK(body.at("org_rate_limited") == 0);
    CHECK(body.at("daily_limited") == 0);
    CHECK(body.at("clients").at(demo.client_id) == json{{"requests", 4},
                                                        {"token_requests", 1},
                                                        {"launch_requests", 1},
                                                        {"polls", 2},
                                                        {"direct_lookups", 0},
                                                        {"action_requests", 0},
                                                        {"other_requests", 0},
                                                        {"answered_429", 1}});
    s.sim.reset_stats();
    CHECK(s.sim.snapshot().clients.empty());
}

TEST_CASE("stats: 429 faults count as 429 answers of the client", "[sim][stats]") {
    auto o = quick_options();
    o.faults = "429=1,on=poll";
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    CHECK(poll(c, token, "x")->status == 429);
    CHECK(poll(c, token, "x")->status == 429);
    const auto st = s.sim.snapshot();
    CHECK(st.faults_429 == 2);
    CHECK(st.rate_limited == 0);
    CHECK(st.answered_429 == 2);
    CHECK(st.clients.at(s.sim.demo().client_id).answered_429 == 2);
}

TEST_CASE("stats: the second full client launches and polls, on its own per-token budget", "[sim][stats]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 2;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    REQUIRE(!demo.second_client_id.empty());
    CHECK(demo.second_client_id != demo.client_id);
    CHECK(demo.second_client_id != demo.no_launch_client_id);
    const std::string first = full_token(s, c);
    const std::string second = token_for(c, demo.second_client_id, demo.second_client_secret);

    // The first client's token spends its 2 requests, then is refused.
    auto r = launch(c, first, launch_body(demo.lookup_flow_id, "+13175550123", "first"));
    REQUIRE(r->status == 200);
    CHECK(poll(c, first, json::parse(r->body).at("id"))->status == 200);
    CHECK(poll(c, first, "x")->status == 429);
    // The second client has every permission and its own budget.
    r = launch(c, second, launch_body(demo.lookup_flow_id, "+13175550123", "second"));
    REQUIRE(r->status == 200);
    const std::string id = json::parse(r->body).at("id");
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    const json done = body_of(poll(c, second, id));
    CHECK(done.at("status") == "COMPLETED");
    CHECK(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str(), bearer(second))->status == 429);

    const gcx_sim::stats st = s.sim.snapshot();
    REQUIRE(st.clients.size() == 2);
    const gcx_sim::client_stats& two = st.clients.at(demo.second_client_id);
    CHECK(two.token_requests == 1);
    CHECK(two.launch_requests == 1);
    CHECK(two.polls == 1);
    CHECK(two.answered_429 == 1);
    CHECK(st.clients.at(demo.client_id).answered_429 == 1);

    // GET /sim/executions lists both, with their launch and completion times, the polls each was
    // answered and when a poll first saw it done; it is not counted.
    const json list = body_of(c.Get("/sim/executions"));
    REQUIRE(list.is_array());
    CHECK(list.size() == 2);
    bool seen = false;
    for (const json& e : list) {
        if (e.at("id") != id) continue;
        seen = true;
        CHECK(e.at("name") == "second");
        CHECK(e.at("dateLaunched") == done.at("dateLaunched"));
        CHECK(e.at("dateCompleted") == done.at("dateCompleted"));
        CHECK(e.at("polls") == 1);
        REQUIRE(e.at("pollsAtMs").size() == 1);
        CHECK(e.at("pollsAtMs")[0].get<long long>() >= 60);  // polled after the 60 ms sleep
        REQUIRE(e.at("dateFirstSeenDone").is_string());
        // Same ISO-8601 form (UTC, milliseconds): text order is time order.
        CHECK(e.at("dateFirstSeenDone").get<std::string>() >= e.at("dateCompleted").get<std::string>());
    }
    CHECK(seen);
    CHECK(s.sim.snapshot().requests_total == st.requests_total);
}
