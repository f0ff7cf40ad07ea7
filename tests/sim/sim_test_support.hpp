// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Helpers for the gcx-sim tests: a plain cpp-httplib client talking to a simulator on port 0.
#ifndef GCX_SIM_TEST_SUPPORT_HPP
#define GCX_SIM_TEST_SUPPORT_HPP

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "gcx_sim/simulator.hpp"

namespace sim_test {

using json = nlohmann::json;

// Short executions and few threads keep the tests fast and light.
inline gcx_sim::options quick_options() {
    gcx_sim::options o;
    o.run_time = std::chrono::milliseconds(30);
    o.threads = 8;
    return o;
}

// A started simulator; the test fails at once if it cannot start.
struct running_sim {
    explicit running_sim(gcx_sim::options o = quick_options()) : sim(std::move(o)) { REQUIRE(sim.start()); }
    httplib::Client client() const {
        httplib::Client c(sim.base_url());
        c.set_read_timeout(10, 0);
        c.set_tcp_nodelay(true);  // else each keep-alive POST body waits for a delayed ACK
        return c;
    }
    gcx_sim::simulator sim;
};

inline json body_of(const httplib::Result& r) {
    REQUIRE(r);
    return json::parse(r->body);
}

// POST /oauth/token with Basic credentials.
inline httplib::Result request_token(httplib::Client& c, const std::string& id, const std::string& secret,
                                     const std::string& grant = "client_credentials") {
    c.set_basic_auth(id, secret);
    auto r = c.Post("/oauth/token", "grant_type=" + grant, "application/x-www-form-urlencoded");
    c.set_basic_auth("", "");  // later requests carry their own Authorization
    return r;
}

inline std::string token_for(httplib::Client& c, const std::string& id, const std::string& secret) {
    auto r = request_token(c, id, secret);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body).at("access_token").get<std::string>();
}

inline std::string full_token(const running_sim& s, httplib::Client& c) {
    return token_for(c, s.sim.demo().client_id, s.sim.demo().client_secret);
}

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

inline json launch_body(const std::string& flow_id, const std::string& phone, const std::string& name) {
    return json{{"flowId", flow_id}, {"name", name}, {"inputData", {{"Flow.PhoneNumber", phone}}}};
}

inline httplib::Result launch(httplib::Client& c, const std::string& token, const json& body) {
    return c.Post("/api/v2/flows/executions", bearer(token), body.dump(), "application/json");
}

inline httplib::Result poll(httplib::Client& c, const std::string& token, const std::string& id) {
    return c.Get(("/api/v2/flows/executions/" + id).c_str(), bearer(token));
}

// Polls until the status is no longer RUNNING (at most ~5 s) and returns the last body.
inline json wait_until_done(httplib::Client& c, const std::string& token, const std::string& id) {
    json body;
    for (int i = 0; i < 500; ++i) {
        body = body_of(poll(c, token, id));
        if (body.at("status") != "RUNNING") return body;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("execution " << id << " still RUNNING");
    return body;
}

// Checks the ErrorBody shape and that contextId repeats the correlation header.
inline json require_error(const httplib::Result& r, int status, const std::string& code) {
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    const json body = json::parse(r->body);
    CHECK(body.at("code") == code);
    CHECK(body.at("status") == status);
    CHECK(body.at("message").is_string());
    CHECK(body.at("details").is_array());
    CHECK(body.at("errors").is_array());
    CHECK(!r->get_header_value("ININ-Correlation-Id").empty());
    CHECK(body.at("contextId") == r->get_header_value("ININ-Correlation-Id"));
    return body;
}

}  // namespace sim_test

#endif
