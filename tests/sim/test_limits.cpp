// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "sim_test_support.hpp"

using namespace sim_test;

TEST_CASE("limits: per-token rate limit answers 429 with Retry-After", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 3;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    for (int i = 0; i < 3; ++i) CHECK(poll(c, token, "x")->status == 404);

    auto r = poll(c, token, "x");
    const json err = require_error(r, 429, "too.many.requests.retry.after");
    const std::string retry_after = r->get_header_value("Retry-After");
    REQUIRE(!retry_after.empty());
    const int seconds = std::stoi(retry_after);
    CHECK(seconds >= 1);
    CHECK(seconds <= 60);
    CHECK(err.at("message") == "Rate limit exceeded the maximum. Retry the request in [" + retry_after + "] seconds");
    CHECK(s.sim.snapshot().rate_limited == 1);

    // The budget is per token.
    const std::string other = full_token(s, c);
    CHECK(poll(c, other, "x")->status == 404);
}

TEST_CASE("limits: token creation rate limit answers 400 invalid_request", "[sim][limits]") {
    auto o = quick_options();
    o.token_rate_limit_per_minute = 2;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    full_token(s, c);
    full_token(s, c);
    auto r = request_token(c, demo.client_id, demo.client_secret);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body) == json{{"error", "invalid_request"},
                                       {"description", "rate limit exceeded; retry later"},
                                       {"error_description", "rate limit exceeded; retry later"}});
    const auto st = s.sim.snapshot();
    CHECK(st.tokens_issued == 2);
    CHECK(st.token_rate_limited == 1);
    CHECK(st.token_failures == 1);
    // The limit is per client.
    CHECK(request_token(c, demo.no_launch_client_id, demo.no_launch_client_secret)->status == 200);
}

TEST_CASE("limits: start() rejects bad options", "[sim][limits]") {
    auto o = quick_options();
    o.contact_count = 10001;
    gcx_sim::simulator a(o);
    CHECK_FALSE(a.start());
    o = quick_options();
    o.faults = "503=2";
    gcx_sim::simulator b(o);
    CHECK_FALSE(b.start());
    CHECK(b.last_error().find("503") != std::string::npos);
}

TEST_CASE("limits: Retry-After of the per-token limit counts to the end of the token's window", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 2;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    CHECK(poll(c, token, "x")->status == 404);  // opens the window
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    CHECK(poll(c, token, "x")->status == 404);
    auto r = poll(c, token, "x");
    require_error(r, 429, "too.many.requests.retry.after");
    // 60 s after the first request, less the 2.2 s since, rounded up.
    const int seconds = std::stoi(r->get_header_value("Retry-After"));
    CHECK(seconds >= 56);
    CHECK(seconds <= 58);
    // Genesys sends only Retry-After (the inin-ratelimit-* headers were removed in 2021).
    for (const auto& h : r->headers) CHECK(h.first.rfind("inin-ratelimit", 0) == std::string::npos);
}

TEST_CASE("limits: the org-wide limit counts the requests of every token and client", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 0;
    o.org_rate_limit_per_minute = 4;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string a = full_token(s, c);
    const std::string b = full_token(s, c);
    const std::string other = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    CHECK(poll(c, a, "x")->status == 404);
    CHECK(poll(c, b, "x")->status == 404);
    CHECK(poll(c, other, "x")->status == 404);
    CHECK(poll(c, a, "x")->status == 404);
    for (const std::string& t : {a, b, other}) {
        auto r = poll(c, t, "x");
        const json err = require_error(r, 429, "too.many.requests.retry.after");
        const int seconds = std::stoi(r->get_header_value("Retry-After"));
        CHECK(seconds >= 1);
        CHECK(seconds <= 60);
        CHECK(err.at("message") ==
              "Rate limit exceeded the maximum. Retry the request in [" + std::to_string(seconds) + "] seconds");
    }
    // Token requests are not /api/v2 requests: still served.
    CHECK(request_token(c, demo.client_id, demo.client_secret)->status == 200);
    const auto st = s.sim.snapshot();
    CHECK(st.org_rate_limited == 3);
    CHECK(st.rate_limited == 0);
    CHECK(st.answered_429 == 3);
}

TEST_CASE("limits: a token's 429 does not use up the org-wide budget", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 1;
    o.org_rate_limit_per_minute = 2;
    running_sim s(o);
    auto c = s.client();
    const std::string a = full_token(s, c);
    const std::string b = full_token(s, c);
    CHECK(poll(c, a, "x")->status == 404);
    for (int i = 0; i < 3; ++i) CHECK(poll(c, a, "x")->status == 429);  // a's own limit
    CHECK(poll(c, b, "x")->status == 404);                              // the org's second request
    CHECK(poll(c, b, "x")->status == 429);                              // the org's budget is spent now
    const auto st = s.sim.snapshot();
    CHECK(st.rate_limited == 3);
    CHECK(st.org_rate_limited == 1);
}

TEST_CASE("limits: the daily limit answers 429 with Retry-After to the end of the UTC day", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 0;
    o.daily_limit = 3;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    for (int i = 0; i < 3; ++i) CHECK(poll(c, token, "x")->status == 404);
    auto r = poll(c, token, "x");
    const auto now = std::chrono::system_clock::now();
    require_error(r, 429, "too.many.requests.retry.after");
    const long seconds = std::stol(r->get_header_value("Retry-After"));
    const auto since_midnight =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() % 86400;
    const long to_midnight = static_cast<long>(86400 - since_midnight);
    CHECK(seconds >= 1);
    CHECK(seconds <= 86400);
    CHECK(std::labs(seconds - to_midnight) <= 2);
    // The budget is the organisation's: another client's token is refused too.
    const std::string other = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    CHECK(poll(c, other, "x")->status == 429);
    const auto st = s.sim.snapshot();
    CHECK(st.daily_limited == 2);
    CHECK(st.answered_429 == 2);
}

TEST_CASE("limits: GET /api/v2/organizations/limits/namespaces/platform.api reports the limits", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 120;
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    // Any live token will do: the no-launch client has no architect or admin permission for it.
    const std::string token = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    const char* path = "/api/v2/organizations/limits/namespaces/platform.api";
    auto r = c.Get(path, bearer(token));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body) == json::parse(R"({"entities":[{"key":"client.credentials.token.rate.per.minute",
                                     "namespace":"platform.api","value":120}]})"));

    require_error(c.Get(path), 401, "authentication.required");
    require_error(c.Get("/api/v2/organizations/limits/namespaces/no.such.namespace", bearer(token)), 404, "not.found");
    const json namespaces = body_of(c.Get("/api/v2/organizations/limits/namespaces", bearer(token)));
    CHECK(namespaces.at("entities") == json::parse(R"([{"name":"platform.api"}])"));
}

TEST_CASE("limits: the limits endpoint lists the org-wide and daily limits when they are set", "[sim][limits]") {
    auto o = quick_options();
    o.rate_limit_per_minute = 0;
    o.org_rate_limit_per_minute = 900;
    o.daily_limit = 50000;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json body = body_of(c.Get("/api/v2/organizations/limits/namespaces/platform.api", bearer(token)));
    CHECK(body.at("entities") == json::parse(R"([
    {"key":"client.credentials.token.rate.per.minute","namespace":"platform.api","value":0},
    {"key":"org.api.rate.per.minute","namespace":"platform.api","value":900},
    {"key":"org.api.requests.per.day","namespace":"platform.api","value":50000}])"));
}
