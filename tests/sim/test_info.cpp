// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// GET /api/v2/tokens/me, /api/v2/flows/{id} and /api/v2/flows/{id}/versions/{version}.
#include "sim_test_support.hpp"

using namespace sim_test;

TEST_CASE("oauth: GET /api/v2/tokens/me names the organisation, the scopes and the OAuth client", "[sim][oauth]") {
    running_sim s;
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const json me = body_of(c.Get("/api/v2/tokens/me", bearer(full_token(s, c))));
    REQUIRE(me.at("organization").at("id").is_string());
    CHECK(me.at("organization").at("name") == "gcx-sim Demo Org");
    CHECK(me.at("homeOrganization") == me.at("organization"));
    CHECK(me.at("authorizedScope") == json::array({"architect", "external-contacts:readonly", "integrations"}));
    CHECK(me.at("OAuthClient") == json{{"id", demo.client_id}, {"name", "gcx-sim Customer Lookup"}});

    const json other = body_of(
        c.Get("/api/v2/tokens/me", bearer(token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret))));
    CHECK(other.at("OAuthClient").at("id") == demo.no_launch_client_id);
    CHECK(other.at("authorizedScope") ==
          json::array({"architect:readonly", "external-contacts:readonly", "integrations:readonly"}));
    CHECK(other.at("organization") == me.at("organization"));

    require_error(c.Get("/api/v2/tokens/me"), 401, "authentication.required");
    require_error(c.Get("/api/v2/tokens/me", bearer("not-a-token")), 401, "bad.credentials");
}

TEST_CASE("flows: GET /api/v2/flows/{id} describes the flow and its published version", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    const json flow = body_of(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str(), bearer(token)));
    CHECK(flow.at("id") == demo.lookup_flow_id);
    CHECK(flow.at("name") == "Customer Lookup");
    CHECK(flow.at("type") == "WORKFLOW");
    CHECK(flow.at("active") == true);
    CHECK(flow.at("deleted") == false);
    CHECK(flow.at("publishedVersion").at("id") == "3.0");
    CHECK(flow.at("selfUri") == "/api/v2/flows/" + demo.lookup_flow_id);

    const json draft = body_of(c.Get(("/api/v2/flows/" + demo.unpublished_flow_id).c_str(), bearer(token)));
    CHECK(draft.at("active") == false);
    CHECK(!draft.contains("publishedVersion"));
    const json ivr = body_of(c.Get(("/api/v2/flows/" + demo.inboundcall_flow_id).c_str(), bearer(token)));
    CHECK(ivr.at("type") == "INBOUNDCALL");

    require_error(c.Get("/api/v2/flows/00000000-0000-4000-8000-000000000000", bearer(token)), 404, "not.found");
    // The read-only client lacks architect:flow:view.
    const std::string read_only = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    const json err = require_error(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str(), bearer(read_only)), 403,
                                   "missing.any.permissions");
    CHECK(err.at("messageParams").at("permissions") == "[architect:flow:view]");
    require_error(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str()), 401, "authentication.required");
}

TEST_CASE("flows: the published version of the lookup flow carries its input and output schemas", "[sim][flows]") {
    running_sim s;
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    const std::string path = "/api/v2/flows/" + demo.lookup_flow_id + "/versions/3.0";
    const json version = body_of(c.Get(path.c_str(), bearer(token)));
    CHECK(version.at("id") == "3.0");
    CHECK(version.at("type") == "WORKFLOW");
    CHECK(version.at("selfUri") == path);
    // Architect's shape: draft-07, no other properties, each variable a $ref to a definition
    // whose oneOf lists its JSON forms (archInteger: null, an integer, a string holding one).
    const json& in = version.at("inputSchema");
    CHECK(in.at("$schema") == "http://json-schema.org/draft-07/schema#");
    CHECK(in.at("type") == "object");
    CHECK(in.at("additionalProperties") == false);
    CHECK(in.at("required") == json::array({"Flow.PhoneNumber"}));
    CHECK(in.at("properties").at("Flow.PhoneNumber").at("$ref") == "#/definitions/archString");
    CHECK(in.at("definitions").at("archString").at("oneOf").size() == 2);
    const json& out = version.at("outputSchema");
    CHECK(out.at("type") == "object");
    CHECK_FALSE(out.contains("required"));
    CHECK(out.at("properties").at("Flow.Found").at("$ref") == "#/definitions/archBoolean");
    CHECK(out.at("properties").at("Flow.MatchCount").at("$ref") == "#/definitions/archInteger");
    const json& integer = out.at("definitions").at("archInteger").at("oneOf");
    REQUIRE(integer.size() == 3);
    CHECK(integer[0].at("type") == "null");
    CHECK(integer[1].at("type") == "integer");
    CHECK(integer[2].at("type") == "string");
    CHECK(out.at("properties").at("Flow.externalContact").at("type") == "object");

    // Every output a completed lookup returns is described.
    auto r = launch(c, token, launch_body(demo.lookup_flow_id, "+13175550123", "schema"));
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    for (const auto& item : done.at("outputData").items()) {
        INFO(item.key());
        CHECK(out.at("properties").contains(item.key()));
    }

    require_error(c.Get(("/api/v2/flows/" + demo.lookup_flow_id + "/versions/2.0").c_str(), bearer(token)), 404,
                  "not.found");
    require_error(c.Get(("/api/v2/flows/" + demo.unpublished_flow_id + "/versions/3.0").c_str(), bearer(token)), 404,
                  "not.found");
    // These reads count as other requests of the client.
    const auto st = s.sim.snapshot();
    CHECK(st.other_requests == 3);
    CHECK(st.clients.at(demo.client_id).other_requests == 3);
}

TEST_CASE("flows: the renamed-outputs flow publishes and sets other output names", "[sim][flows]") {
    auto o = quick_options();
    running_sim s(o);
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    const json flow = body_of(c.Get(("/api/v2/flows/" + demo.renamed_flow_id).c_str(), bearer(token)));
    CHECK(flow.at("name") == "Customer Lookup (Renamed Outputs)");
    CHECK(flow.at("type") == "WORKFLOW");
    CHECK(flow.at("publishedVersion").at("id") == "2.0");
    const json version =
        body_of(c.Get(("/api/v2/flows/" + demo.renamed_flow_id + "/versions/2.0").c_str(), bearer(token)));
    const json& props = version.at("outputSchema").at("properties");
    CHECK(props.size() == 4);
    CHECK(props.at("Flow.CustomerFound").at("$ref") == "#/definitions/archBoolean");
    CHECK(props.at("Flow.Contact").at("type") == "object");
    CHECK(!props.contains("Flow.Found"));
    CHECK(version.at("inputSchema").at("properties").contains("Flow.PhoneNumber"));

    // An execution sets exactly the variables its schema declares.
    auto r = launch(c, token, launch_body(demo.renamed_flow_id, "+13175550123", "renamed"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    REQUIRE(done.at("status") == "COMPLETED");
    const json& out = done.at("outputData");
    CHECK(out.size() == 4);
    CHECK(out.at("Flow.CustomerFound") == true);
    CHECK(out.at("Flow.Matches") == "1");  // an Integer, sent as a string
    CHECK(out.at("Flow.Contact").at("firstName") == "Maria");
    CHECK(out.at("Flow.CustomerId") == out.at("Flow.Contact").at("id"));
}

TEST_CASE("flows: the no-outputs flow declares no outputs and returns an empty outputData", "[sim][flows]") {
    running_sim s(quick_options());
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = full_token(s, c);
    const json version =
        body_of(c.Get(("/api/v2/flows/" + demo.no_outputs_flow_id + "/versions/1.0").c_str(), bearer(token)));
    CHECK(version.at("outputSchema").at("properties") == json::object());
    auto r = launch(c, token, launch_body(demo.no_outputs_flow_id, "+13175550123", "nothing"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const json done = wait_until_done(c, token, json::parse(r->body).at("id"));
    CHECK(done.at("status") == "COMPLETED");
    CHECK(done.at("outputData") == json::object());
}

TEST_CASE("oauth: the runner client lacks only architect:flow:view, the launch-only client all but launch",
          "[sim][oauth]") {
    running_sim s(quick_options());
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string runner = token_for(c, demo.no_flow_view_client_id, demo.no_flow_view_client_secret);
    const json me = body_of(c.Get("/api/v2/tokens/me", bearer(runner)));
    CHECK(me.at("OAuthClient").at("name") == "gcx-sim Runner");
    const json err = require_error(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str(), bearer(runner)), 403,
                                   "missing.any.permissions");
    CHECK(err.at("messageParams").at("permissions") == "[architect:flow:view]");
    auto r = launch(c, runner, launch_body(demo.lookup_flow_id, "+13175550123", "runner"));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(wait_until_done(c, runner, json::parse(r->body).at("id")).at("status") == "COMPLETED");
    require_error(c.Get("/api/v2/flows/executions/00000000-0000-4000-8000-000000000000", bearer(runner)), 404,
                  "not.found");

    const std::string launcher = token_for(c, demo.launch_only_client_id, demo.launch_only_client_secret);
    CHECK(body_of(c.Get("/api/v2/tokens/me", bearer(launcher))).at("OAuthClient").at("name") == "gcx-sim Launch Only");
    r = launch(c, launcher, launch_body(demo.lookup_flow_id, "+13175550123", "launcher"));
    REQUIRE(r);
    CHECK(r->status == 200);
    require_error(poll(c, launcher, json::parse(r->body).at("id")), 403, "missing.any.permissions");
    require_error(c.Get(("/api/v2/flows/" + demo.lookup_flow_id).c_str(), bearer(launcher)), 403,
                  "missing.any.permissions");
}
