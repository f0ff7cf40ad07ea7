// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Data actions: POST /api/v2/integrations/actions/{id}/execute and GET
// /api/v2/integrations/actions/{id}.
#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

// Data action remotes answer at once, so the tests do not wait (the timeout action still waits
// out its timeoutSeconds, 1 s).
gcx_sim::options action_options() {
    auto o = quick_options();
    o.action_time = std::chrono::milliseconds(5);
    return o;
}

std::string execute_path(const std::string& action_id, const std::string& query = "") {
    return "/api/v2/integrations/actions/" + action_id + "/execute" + query;
}

httplib::Result execute(httplib::Client& c, const std::string& token, const std::string& action_id, const json& body,
                        const std::string& query = "") {
    return c.Post(execute_path(action_id, query).c_str(), bearer(token), body.dump(), "application/json");
}

json phone(const std::string& number) { return json{{"phoneNumber", number}}; }

}  // namespace

TEST_CASE("actions: the lookup action finds Maria Schmidt by phone", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = execute(c, token, s.sim.demo().lookup_action_id, phone("+13175550123"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(!r->get_header_value("ININ-Correlation-Id").empty());
    CHECK(json::parse(r->body) == json{{"found", true},
                                       {"matchCount", 1},
                                       {"contactId", "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b"},
                                       {"firstName", "Maria"},
                                       {"lastName", "Schmidt"},
                                       {"email", "maria.schmidt@example.com"},
                                       {"tier", "Gold"}});

    // A number two contacts share: the first (by cell phone) answers, matchCount says 2.
    const json shared =
        body_of(execute(c, token, s.sim.demo().lookup_action_id, phone(gcx_sim::simulator::found_number(199))));
    CHECK(shared.at("found") == true);
    CHECK(shared.at("matchCount") == 2);
    CHECK(shared.at("contactId").is_string());
    CHECK(shared.at("contactId") != "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");

    // The secure twin answers the same.
    const json secure = body_of(execute(c, token, s.sim.demo().secure_action_id, phone("+13175550123")));
    CHECK(secure.at("firstName") == "Maria");
    CHECK(secure.at("tier") == "Gold");

    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.action_requests == 3);
    CHECK(st.actions_executed == 3);
    CHECK(st.clients.at(s.sim.demo().client_id).action_requests == 3);
}

TEST_CASE("actions: a number nobody has answers found false and no contact keys", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto r = execute(c, token, s.sim.demo().lookup_action_id, phone(gcx_sim::simulator::unknown_number(3)));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body) == json{{"found", false}, {"matchCount", 0}});
}

TEST_CASE("actions: flatten true and false give the same flat answer", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string id = s.sim.demo().lookup_action_id;
    const json plain = body_of(execute(c, token, id, phone("+13175550123")));
    const json flat_true = body_of(execute(c, token, id, phone("+13175550123"), "?flatten=true"));
    const json flat_false = body_of(execute(c, token, id, phone("+13175550123"), "?flatten=false"));
    CHECK(flat_true == plain);
    CHECK(flat_false == plain);
    for (const auto& item : flat_true.items()) {
        INFO(item.key());
        CHECK(!item.value().is_object());
        CHECK(!item.value().is_array());
    }
}

TEST_CASE("actions: bad bodies and inputs answer 400, a non-JSON body 415", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string id = s.sim.demo().lookup_action_id;

    json err = require_error(execute(c, token, id, json::object()), 400, "invalid.value");
    CHECK(err.at("message") == "Required input [phoneNumber] was not supplied.");
    CHECK(err.at("details") == json::array({{{"errorCode", "invalid.value"}, {"fieldName", "phoneNumber"}}}));
    require_error(execute(c, token, id, json{{"phoneNumber", nullptr}}), 400, "invalid.value");
    require_error(execute(c, token, id, json{{"phoneNumber", 13175550123LL}}), 400, "invalid.value");
    err = require_error(execute(c, token, id, phone("3175550123")), 400, "invalid.value");
    CHECK(err.at("message").get<std::string>().find("pattern") != std::string::npos);
    require_error(execute(c, token, id, phone("+1 317 555 0123")), 400, "invalid.value");
    // The input key is matched exactly.
    require_error(execute(c, token, id, json{{"PhoneNumber", "+13175550123"}}), 400, "invalid.value");

    require_error(c.Post(execute_path(id).c_str(), bearer(token), "{\"phoneNumber\":", "application/json"), 400,
                  "bad.request");
    require_error(c.Post(execute_path(id).c_str(), bearer(token), "[]", "application/json"), 400, "bad.request");
    require_error(c.Post(execute_path(id).c_str(), bearer(token), phone("+13175550123").dump(), "text/plain"), 415,
                  "unsupported.media.type");

    // Nothing of it reached the remote.
    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.action_requests == 9);
    CHECK(st.actions_executed == 0);
}

TEST_CASE("actions: an unknown action id answers 404 on execute and on GET", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json err = require_error(
        execute(c, token, "custom_-_00000000-0000-4000-8000-000000000000", phone("+13175550123")), 404, "not.found");
    CHECK(err.at("message") == "The requested resource was not found.");
    require_error(c.Get("/api/v2/integrations/actions/custom_-_00000000-0000-4000-8000-000000000000", bearer(token)),
                  404, "not.found");
    // A flow id is not an action id.
    require_error(execute(c, token, s.sim.demo().lookup_flow_id, phone("+13175550123")), 404, "not.found");
}

TEST_CASE("actions: the failing action answers 502 with an ErrorBody naming the remote", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json err =
        require_error(execute(c, token, s.sim.demo().failing_action_id, phone("+13175550123")), 502, "bad.gateway");
    CHECK(err.at("message").get<std::string>().find("REST call for action execute failed") == 0);
    CHECK(err.at("details") == json::array({{{"errorCode", "ACTION.REMOTE_ENDPOINT"}}}));
    // Its input is checked first, like every action's.
    require_error(execute(c, token, s.sim.demo().failing_action_id, json::object()), 400, "invalid.value");
    CHECK(s.sim.snapshot().actions_executed == 1);
}

TEST_CASE("actions: the timeout action answers 504 after its timeoutSeconds", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json err =
        require_error(execute(c, token, s.sim.demo().timeout_action_id, phone("+13175550123")), 504, "request.timeout");
    CHECK(err.at("message").get<std::string>().find("timeoutSeconds") != std::string::npos);
    CHECK(err.at("details") == json::array({{{"errorCode", "ACTION.TIMEOUT"}}}));
    // Its timeoutSeconds, as its config tells.
    const json action = body_of(
        c.Get(("/api/v2/integrations/actions/" + s.sim.demo().timeout_action_id + "?includeConfig=true").c_str(),
              bearer(token)));
    CHECK(action.at("config").at("timeoutSeconds") == 1);
}

TEST_CASE("actions: a client without integrations:action:execute gets 403", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const auto& demo = s.sim.demo();
    const std::string token = token_for(c, demo.no_launch_client_id, demo.no_launch_client_secret);
    for (const std::string& id :
         {demo.lookup_action_id, demo.failing_action_id, demo.timeout_action_id, demo.secure_action_id}) {
        INFO(id);
        const json err = require_error(execute(c, token, id, phone("+13175550123")), 403, "missing.any.permissions");
        CHECK(err.at("message") ==
              "Unable to perform the requested action. You must have at least one of the following "
              "permissions assigned: [integrations:action:execute, bridge:actions:execute]");
        CHECK(err.at("messageParams") ==
              json{{"permissions", "[integrations:action:execute, bridge:actions:execute]"}});
    }
    // It may read the action (integrations:action:view).
    CHECK(c.Get(("/api/v2/integrations/actions/" + demo.lookup_action_id).c_str(), bearer(token))->status == 200);
    // The bearer token comes first.
    require_error(c.Post(execute_path(demo.lookup_action_id).c_str(), phone("+13175550123").dump(), "application/json"),
                  401, "authentication.required");
    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.forbidden == 4);
    CHECK(st.actions_executed == 0);
}

TEST_CASE("actions: GET action describes the lookup action, config only with includeConfig", "[sim][actions]") {
    running_sim s(action_options());
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string id = s.sim.demo().lookup_action_id;
    const std::string path = "/api/v2/integrations/actions/" + id;

    const json a = body_of(c.Get(path.c_str(), bearer(token)));
    CHECK(a.at("id") == id);
    CHECK(a.at("name") == "Lookup Contact By Phone");
    CHECK(a.at("integrationId").is_string());
    CHECK(a.at("category").is_string());
    CHECK(a.at("version") == 1);
    CHECK(a.at("secure") == false);
    CHECK(a.at("selfUri") == path);
    CHECK(!a.contains("config"));  // includeConfig defaults to false
    // The schemas only with expand=contract; without, their URIs.
    CHECK(!a.at("contract").at("input").contains("inputSchema"));
    CHECK(a.at("contract").at("input").at("inputSchemaUri").is_string());
    CHECK(!a.at("contract").at("output").contains("successSchema"));
    CHECK(a.at("contract").at("output").at("successSchemaUri").is_string());
    const json e = body_of(c.Get((path + "?expand=contract").c_str(), bearer(token)));
    const json& input = e.at("contract").at("input").at("inputSchema");
    CHECK(input.at("type") == "object");
    CHECK(input.at("required") == json::array({"phoneNumber"}));
    CHECK(input.at("properties").at("phoneNumber").at("type") == "string");
    const json& output = e.at("contract").at("output").at("successSchema");
    CHECK(output.at("type") == "object");
    CHECK(output.at("required") == json::array({"found"}));
    for (const char* key : {"found", "matchCount", "contactId", "firstName", "lastName", "email", "tier"}) {
        INFO(key);
        CHECK(output.at("properties").contains(key));
    }
    CHECK(output.at("properties").at("found").at("type") == "boolean");
    CHECK(!e.at("contract").at("input").contains("inputSchemaFlattened"));

    const json full = body_of(c.Get((path + "?includeConfig=true").c_str(), bearer(token)));
    const json& config = full.at("config");
    CHECK(config.at("timeoutSeconds") == 10);
    CHECK(config.at("request").at("requestType") == "GET");
    CHECK(config.at("request").at("requestUrlTemplate").is_string());
    CHECK(config.at("response").at("translationMap").is_object());
    CHECK(config.at("response").at("successTemplate").is_string());
    CHECK(full.at("contract") == a.at("contract"));

    const json flat = body_of(c.Get((path + "?expand=contract&flatten=true").c_str(), bearer(token)));
    CHECK(flat.at("contract").at("input").at("inputSchemaFlattened") == input);
    CHECK(flat.at("contract").at("output").at("successSchemaFlattened") ==
          json{{"schema", output}, {"arrayProperties", json::array()}});

    const auto& demo = s.sim.demo();
    CHECK(
        body_of(c.Get(("/api/v2/integrations/actions/" + demo.secure_action_id).c_str(), bearer(token))).at("secure") ==
        true);
    for (const std::string& other : {demo.failing_action_id, demo.timeout_action_id}) {
        const json b =
            body_of(c.Get(("/api/v2/integrations/actions/" + other + "?expand=contract").c_str(), bearer(token)));
        CHECK(b.at("secure") == false);
        CHECK(b.at("contract") == e.at("contract"));
    }
    // GET action is not an execution.
    CHECK(s.sim.snapshot().action_requests == 0);
}

TEST_CASE("actions: the action ids look like Genesys custom action ids", "[sim][actions]") {
    const gcx_sim::simulator sim;
    const auto& demo = sim.demo();
    for (const std::string& id :
         {demo.lookup_action_id, demo.failing_action_id, demo.timeout_action_id, demo.secure_action_id}) {
        INFO(id);
        CHECK(id.rfind("custom_-_", 0) == 0);
        CHECK(id.size() == 9 + 36);
    }
    CHECK(demo.lookup_action_id == "custom_-_3f6c1a2e-8b4d-4c7e-9a15-6d2b8e4f0c71");
}

TEST_CASE("actions: options::lookup_action_id renames the lookup action", "[sim][actions]") {
    auto o = action_options();
    o.lookup_action_id = "2c4e6a8b-0d2f-4a6c-8e0a-1b3d5f7a9c2e";  // a bare UUID works too
    running_sim s(o);
    CHECK(s.sim.demo().lookup_action_id == o.lookup_action_id);
    auto c = s.client();
    const std::string token = full_token(s, c);
    CHECK(body_of(execute(c, token, o.lookup_action_id, phone("+13175550123"))).at("found") == true);
    require_error(execute(c, token, "custom_-_3f6c1a2e-8b4d-4c7e-9a15-6d2b8e4f0c71", phone("+13175550123")), 404,
                  "not.found");

    for (const std::string& bad : {std::string("a/b"), std::string(".."), std::string(129, 'a'),
                                   std::string("has space"), gcx_sim::simulator().demo().failing_action_id}) {
        INFO(bad);
        auto b = action_options();
        b.lookup_action_id = bad;
        gcx_sim::simulator sim(b);
        CHECK_FALSE(sim.start());
        CHECK(sim.last_error().find("lookup_action_id") != std::string::npos);
    }
}

TEST_CASE("actions: executions count against the token's rate limit", "[sim][actions]") {
    auto o = action_options();
    o.rate_limit_per_minute = 3;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string id = s.sim.demo().lookup_action_id;
    CHECK(execute(c, token, id, phone("+13175550123"))->status == 200);
    CHECK(c.Get(("/api/v2/integrations/actions/" + id).c_str(), bearer(token))->status == 200);
    CHECK(execute(c, token, id, phone("+13175550123"))->status == 200);
    auto r = execute(c, token, id, phone("+13175550123"));
    require_error(r, 429, "too.many.requests.retry.after");
    CHECK(!r->get_header_value("Retry-After").empty());
    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.rate_limited == 1);
    CHECK(st.action_requests == 3);
    CHECK(st.actions_executed == 2);
    CHECK(st.other_requests == 1);
    CHECK(st.requests_total == st.token_requests + st.launch_requests + st.polls + st.direct_lookups +
                                   st.action_requests + st.other_requests);
}

TEST_CASE("actions: faults with on=action hit executions only", "[sim][actions]") {
    gcx_sim::fault_spec spec;
    std::string error;
    REQUIRE(gcx_sim::parse_faults("503=1,on=action", spec, error));
    CHECK(spec.on_action);
    CHECK_FALSE(spec.on_launch);
    CHECK_FALSE(spec.on_poll);
    CHECK_FALSE(spec.on_lookup);
    REQUIRE(gcx_sim::parse_faults("503=1", spec, error));
    CHECK(spec.on_action);  // the default scope, api, includes executions
    REQUIRE(gcx_sim::parse_faults("503=1,on=launch", spec, error));
    CHECK_FALSE(spec.on_action);

    auto o = action_options();
    o.faults = "503=1,on=action";
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const std::string id = s.sim.demo().lookup_action_id;
    auto r = execute(c, token, id, phone("+13175550123"));
    require_error(r, 503, "service.unavailable");
    CHECK(r->get_header_value("Retry-After") == "1");
    CHECK(c.Get(("/api/v2/integrations/actions/" + id).c_str(), bearer(token))->status == 200);
    CHECK(poll(c, token, "x")->status == 404);
    const gcx_sim::stats st = s.sim.snapshot();
    CHECK(st.faults_503 == 1);
    CHECK(st.actions_executed == 0);
}

TEST_CASE("actions: with drawn action times the lookup action answers as well", "[sim][actions]") {
    auto o = quick_options();
    REQUIRE(!o.action_time);  // drawn: lognormal, median 150 ms
    o.action_time_field.median = std::chrono::milliseconds(20);
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    for (int i = 0; i < 3; ++i) {
        const json out = body_of(execute(c, token, s.sim.demo().lookup_action_id, phone("+13175550123")));
        CHECK(out.at("firstName") == "Maria");
    }
    CHECK(s.sim.snapshot().actions_executed == 3);

    auto bad = quick_options();
    bad.action_time_field.sigma = 6;
    gcx_sim::simulator b(bad);
    CHECK_FALSE(b.start());
    CHECK(b.last_error().find("action_time") != std::string::npos);
}
