// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "sim_test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

using namespace sim_test;

TEST_CASE("flows: numbers of the generated contact set", "[sim][flows]") {
    CHECK(gcx_sim::simulator::found_number(123) == "+13175550123");
    CHECK(gcx_sim::simulator::found_number(7) == "+13175550007");
    CHECK(gcx_sim::simulator::unknown_number(42) == "+14155550042");
    CHECK_THROWS_AS(gcx_sim::simulator::found_number(10000), std::out_of_range);
    CHECK_THROWS_AS(gcx_sim::simulator::unknown_number(-1), std::out_of_range);
}

TEST_CASE("flows: launch, RUNNING, then COMPLETED with Maria Schmidt", "[sim][flows]") {
    auto o = quick_options();
    o.run_time = std::chrono::milliseconds(300);  // long enough to see RUNNING first
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string flow = s.sim.demo().lookup_flow_id;

    auto r = launch(c, token, launch_body(flow, "+13175550123", "lookup-1"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const json launched = json::parse(r->body);
    const std::string id = launched.at("id");
    CHECK(launched.at("name") == "lookup-1");
    CHECK(launched.at("flowVersion") ==
          json{{"id", "3.0"}, {"name", "3.0"}, {"selfUri", "/api/v2/flows/" + flow + "/versions/3.0"}});
    CHECK(launched.at("selfUri") == "/api/v2/flows/executions/" + id);

    const json running = body_of(poll(c, token, id));
    CHECK(running.at("status") == "RUNNING");
    CHECK(running.at("flowVersion").at("type") == "WORKFLOW");
    CHECK(running.at("dateLaunched").get<std::string>().size() == 24);  // 2026-05-20T14:03:11.204Z
    CHECK(!running.contains("outputData"));
    CHECK(!running.contains("dateCompleted"));

    const json done = wait_until_done(c, token, id);
    CHECK(done.at("status") == "COMPLETED");
    CHECK(done.at("completionReason") == "Success");
    CHECK(done.at("dateCompleted").is_string());
    const json& out = done.at("outputData");
    CHECK(out.at("Flow.Found") == true);
    CHECK(out.at("Flow.MatchCount") == "1");  // an Integer, sent as a string
    CHECK(out.at("Flow.ContactId") == "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");
    REQUIRE(out.at("Flow.CustomerProfile").is_string());
    const json profile = json::parse(out.at("Flow.CustomerProfile").get<std::string>());
    CHECK(profile ==
          json{{"customerId", "CRM-100482"}, {"segment", "Gold"}, {"preferredLanguage", "de-DE"}, {"openCases", 2}});
    const json& contact = out.at("Flow.externalContact");
    CHECK(contact.at("firstName") == "Maria");
    CHECK(contact.at("lastName") == "Schmidt");
    CHECK(contact.at("workEmail") == "maria.schmidt@example.com");
    CHECK(contact.at("cellPhone").at("e164") == "+13175550123");
    CHECK(contact.at("externalOrganization").at("name") == "Acme Corp");
    CHECK(contact.at("customFields").at("tier_text") == "Gold");
}

TEST_CASE("flows: a number nobody has completes with Found false", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::unknown_number(1), "x"));
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    CHECK(done.at("status") == "COMPLETED");
    const json& out = done.at("outputData");
    CHECK(out.at("Flow.Found") == false);
    CHECK(out.at("Flow.MatchCount") == "0");
    CHECK(out.at("Flow.ContactId").is_null());
    CHECK(out.at("Flow.CustomerProfile").is_null());
    CHECK(out.at("Flow.externalContact").is_null());
}

TEST_CASE("flows: generated contacts are found by their number", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::found_number(2999), "y"));
    REQUIRE(r->status == 200);
    const json out = wait_until_done(c, token, json::parse(r->body).at("id")).at("outputData");
    CHECK(out.at("Flow.Found") == true);
    CHECK(out.at("Flow.externalContact").at("cellPhone").at("e164") == "+13175552999");

    // Maria's work phone is contact 199's mobile: two matches, the mobile owner first.
    r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550199", "z"));
    const json shared = wait_until_done(c, token, json::parse(r->body).at("id")).at("outputData");
    CHECK(shared.at("Flow.MatchCount") == "2");
    CHECK(shared.at("Flow.externalContact").at("cellPhone").at("e164") == "+13175550199");
}

TEST_CASE("flows: the failing flow ends FAILED with flowErrorInfo", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = launch(c, token, launch_body(s.sim.demo().failing_flow_id, "+13175550123", "f"));
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    CHECK(done.at("status") == "FAILED");
    CHECK(done.at("completionReason") == "Error");
    CHECK(!done.contains("outputData"));
    const json& info = done.at("flowErrorInfo");
    CHECK(info.at("code") == "flow.execution.error");
    CHECK(info.at("status") == 500);
    CHECK(info.at("message").is_string());
    CHECK(info.at("contextId").is_string());
    CHECK(info.at("details").is_array());
}

TEST_CASE("flows: missing or unknown bearer token is 401", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const json body = launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "n");
    require_error(c.Post("/api/v2/flows/executions", body.dump(), "application/json"), 401, "authentication.required");
    require_error(launch(c, "not-a-token", body), 401, "bad.credentials");
    require_error(c.Get("/api/v2/flows/executions/abc"), 401, "authentication.required");
    CHECK(s.sim.snapshot().unauthorized == 3);
    CHECK(s.sim.snapshot().launches == 0);
}

TEST_CASE("flows: a client without architect:flow:launch gets 403", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = token_for(c, s.sim.demo().no_launch_client_id, s.sim.demo().no_launch_client_secret);
    const json err = require_error(launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "p")), 403,
                                   "missing.any.permissions");
    CHECK(err.at("message").get<std::string>().find("architect:flow:launch") != std::string::npos);
    CHECK(err.at("messageParams").at("permissions") == "[architect:flow:launch]");
    // It may still view executions.
    require_error(poll(c, token, "no-such-execution"), 404, "not.found");
}

TEST_CASE("flows: launch request validation", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    const auto& demo = s.sim.demo();

    SECTION("unknown, missing or non-string flowId is 404") {
        require_error(launch(c, token, launch_body("00000000-0000-4000-8000-000000000000", "+13175550123", "a")), 404,
                      "not.found");
        require_error(launch(c, token, json{{"inputData", {{"Flow.PhoneNumber", "+13175550123"}}}}), 404, "not.found");
        require_error(launch(c, token, json{{"flowId", 42}}), 404, "not.found");
    }
    SECTION("malformed JSON is 400 bad.request") {
        require_error(c.Post("/api/v2/flows/executions", bearer(token), "{\"flowId\":", "application/json"), 400,
                      "bad.request");
        require_error(c.Post("/api/v2/flows/executions", bearer(token), "[1,2]", "application/json"), 400,
                      "bad.request");
    }
    SECTION("a body nested deeper than 64 levels is 400, and the simulator lives on") {
        // Before: a 64 KB body of brackets took a worker's stack (the error message and the
        // duplicate key dump()ed it recursively): a segfault of the whole simulator.
        const std::string deep = std::string(32000, '[') + std::string(32000, ']');
        require_error(
            c.Post("/api/v2/flows/executions", bearer(token),
                   R"({"flowId":")" + demo.lookup_flow_id + R"(","inputData":{"Flow.PhoneNumber":)" + deep + "}}",
                   "application/json"),
            400, "bad.request");
        // The body, inputData and 62 arrays: 64 levels, accepted; one more array: 65, refused.
        const auto nested = [&](int arrays) {
            return R"({"flowId":")" + demo.lookup_flow_id + R"(","inputData":{"Flow.PhoneNumber":"+13175550123","x":)" +
                   std::string(static_cast<std::size_t>(arrays), '[') +
                   std::string(static_cast<std::size_t>(arrays), ']') + "}}";
        };
        CHECK(c.Post("/api/v2/flows/executions", bearer(token), nested(62), "application/json")->status == 200);
        require_error(c.Post("/api/v2/flows/executions", bearer(token), nested(63), "application/json"), 400,
                      "bad.request");
        CHECK(launch(c, token, launch_body(demo.lookup_flow_id, "+13175550123", "after"))->status == 200);
    }
    SECTION("a chunked body is 411 and a compressed one 415, before either is read") {
        // cpp-httplib holds the 512000-byte limit against Content-Length only: before, a chunked
        // or gzip body of any size was read whole, without a token. The requests' headers go
        // alone, on a socket of their own: the answer must come before any of the body is sent
        // (sending it too would race the server's close of a connection whose body it never read).
        const auto head_only = [&](const std::string& framing) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<std::uint16_t>(s.sim.port()));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
            const std::string req =
                "POST /api/v2/flows/executions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                "\r\nContent-Type: application/json\r\n" + framing + "\r\n";
            REQUIRE(::send(fd, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size()));
            std::string got;
            char buf[512];
            for (;;) {  // the status line and the headers (the server answers without the body)
                const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0) break;
                got.append(buf, static_cast<std::size_t>(n));
                if (got.find("\r\n\r\n") != std::string::npos) break;
            }
            ::close(fd);
            return got.substr(0, got.find("\r\n"));
        };
        CHECK(head_only("Transfer-Encoding: chunked\r\n") == "HTTP/1.1 411 Length Required");
        CHECK(head_only("Content-Encoding: gzip\r\nContent-Length: 100000\r\n") ==
              "HTTP/1.1 415 Unsupported Media Type");
        CHECK(s.sim.snapshot().launches == 0);
    }
    SECTION("a body that is not JSON is 415") {
        require_error(c.Post("/api/v2/flows/executions", bearer(token), "flowId=x", "text/plain"), 415,
                      "unsupported.media.type");
    }
    SECTION("unpublished flow is 400 flow.not.published") {
        require_error(launch(c, token, launch_body(demo.unpublished_flow_id, "+13175550123", "b")), 400,
                      "flow.not.published");
    }
    SECTION("inbound call flow is not launchable") {
        const json err = require_error(launch(c, token, launch_body(demo.inboundcall_flow_id, "+13175550123", "c")),
                                       400, "invalid.value");
        CHECK(err.at("message").get<std::string>().find("inboundcall") != std::string::npos);
    }
    SECTION("unknown flowVersion is 404, the published one is accepted") {
        json body = launch_body(demo.lookup_flow_id, "+13175550123", "d");
        body["flowVersion"] = "9.0";
        require_error(launch(c, token, body), 404, "not.found");
        body["flowVersion"] = "3.0";
        CHECK(launch(c, token, body)->status == 200);
    }
    SECTION("Flow.PhoneNumber must be an E.164 string") {
        const json bad_values[] = {"abc",           "13175550123", "+0131755501", "+123456", "+1234567890123456",
                                   "+1317555 0123", 13175550123LL, nullptr};
        for (const json& value : bad_values) {
            INFO("Flow.PhoneNumber = " << value.dump());
            json body{{"flowId", demo.lookup_flow_id}, {"inputData", {{"Flow.PhoneNumber", value}}}};
            const json err = require_error(launch(c, token, body), 400, "invalid.value");
            CHECK(err.at("details") == json::array({{{"errorCode", "invalid.value"}, {"fieldName", "inputData"}}}));
        }
        require_error(launch(c, token, json{{"flowId", demo.lookup_flow_id}}), 400, "invalid.value");
        CHECK(s.sim.snapshot().launches == 0);
    }
}

TEST_CASE("flows: unknown execution id is 404", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    require_error(poll(c, token, "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"), 404, "not.found");
    require_error(c.Get("/api/v2/flows/executions/a/b", bearer(token)), 404, "not.found");
}
