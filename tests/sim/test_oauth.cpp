// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "sim_test_support.hpp"

using namespace sim_test;

TEST_CASE("oauth: client credentials grant issues a bearer token", "[sim][oauth]") {
    running_sim s;
    auto c = s.client();
    auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(!r->get_header_value("ININ-Correlation-Id").empty());
    const json body = json::parse(r->body);
    CHECK(body.at("token_type") == "bearer");
    CHECK(body.at("expires_in") == 86400);
    CHECK(body.at("access_token").get<std::string>().size() >= 32);
    // Tokens are opaque and fresh each time.
    CHECK(token_for(c, s.sim.demo().client_id, s.sim.demo().client_secret) !=
          body.at("access_token").get<std::string>());
}

TEST_CASE("oauth: bad or missing credentials are 401 invalid_client", "[sim][oauth]") {
    running_sim s;
    auto c = s.client();
    auto check_invalid_client = [](const httplib::Result& r) {
        REQUIRE(r);
        CHECK(r->status == 401);
        const json body = json::parse(r->body);
        CHECK(body == json{{"error", "invalid_client"},
                           {"description", "authentication failed"},
                           {"error_description", "authentication failed"}});
    };
    check_invalid_client(request_token(c, s.sim.demo().client_id, "wrong-secret"));
    check_invalid_client(request_token(c, "no-such-client", s.sim.demo().client_secret));
    check_invalid_client(c.Post("/oauth/token", "grant_type=client_credentials", "application/x-www-form-urlencoded"));
    CHECK(s.sim.snapshot().token_failures == 3);
    CHECK(s.sim.snapshot().tokens_issued == 0);
}

TEST_CASE("oauth: wrong or missing grant type is 400", "[sim][oauth]") {
    running_sim s;
    auto c = s.client();
    auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret, "password");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body).at("error") == "unsupported_grant_type");

    // A JSON body is not a form: there is no grant_type.
    c.set_basic_auth(s.sim.demo().client_id, s.sim.demo().client_secret);
    r = c.Post("/oauth/token", R"({"grant_type":"client_credentials"})", "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body).at("error") == "invalid_request");
}

TEST_CASE("oauth: tokens expire after token_ttl_seconds", "[sim][oauth]") {
    auto o = quick_options();
    o.token_ttl_seconds = 1;
    running_sim s(o);
    auto c = s.client();
    auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
    REQUIRE(r);
    CHECK(json::parse(r->body).at("expires_in") == 1);
    const std::string token = json::parse(r->body).at("access_token");
    CHECK(poll(c, token, "no-such-execution")->status == 404);  // accepted: reaches the lookup
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    require_error(poll(c, token, "no-such-execution"), 401, "bad.credentials");
}
