// include/gcx/check.hpp and basic_client::check: the preflight check against scripted answers.
#include "fakes.hpp"

#include <gcx/models.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <map>

namespace unit_check {

using namespace fakes;
using gcx::check_status;

namespace {

const std::string me =
    R"({"organization":{"id":"org-1","name":"Acme"},"homeOrganization":{"id":"org-1","name":"Acme"},)"
    R"("authorizedScope":["architect"],"OAuthClient":{"id":"test-client-id","name":"Lookup Client"}})";
const std::string flow_ok = R"({"id":")" + flow_id +
                            R"(","name":"Customer Lookup","type":"WORKFLOW","active":true,)"
                            R"("deleted":false,"publishedVersion":{"id":"3.0","name":"3.0"}})";
const std::string version_ok =
    R"({"id":"3.0","inputSchema":{"type":"object","required":["Flow.PhoneNumber"],"properties":{"Flow.PhoneNumber":{"type":"string"}}},)"
    R"("outputSchema":{"type":"object","properties":{"Flow.Found":{"type":"boolean"},"Flow.MatchCount":{"type":"integer"},)"
    R"("Flow.ContactId":{"type":"string"},"Flow.CustomerProfile":{"type":"string"},"Flow.externalContact":{"type":"object"},)"
    R"("Flow.Email":{"type":"string"}}}})";
const std::string limits =
    R"({"entities":[{"key":"client.credentials.token.rate.per.minute","namespace":"platform.api","value":300}]})";

/// Answers by URL; `over` replaces the answer of a path (the part after /api/v2).
struct org {
    std::map<std::string, answer> over;
    answer token = token_ok();
    /// The token request's answer by its Basic credential (base64 of "id:secret"), before `token`.
    std::map<std::string, answer> token_for;
    /// GET /tokens/me's answer by the bearer token sent, before `over` and the default.
    std::map<std::string, answer> me_for;
    answer operator()(const gcx::http::request& r) const {
        if (r.url.find("/oauth/token") != std::string::npos) {
            if (const std::string* auth = r.header("Authorization"))
                for (const auto& [basic, a] : token_for)
                    if (*auth == "Basic " + basic) return a;
            return token;
        }
        const auto at = r.url.find("/api/v2");
        const std::string path = at == std::string::npos ? r.url : r.url.substr(at + 7);
        const std::string bare = path.substr(0, path.find('?'));
        if (const std::string* auth = r.header("Authorization"); auth && bare == "/tokens/me")
            for (const auto& [tok, a] : me_for)
                if (*auth == "Bearer " + tok) return a;
        if (auto it = over.find(bare); it != over.end()) return it->second;
        if (bare == "/tokens/me") return respond(200, me);
        if (bare == "/flows/" + flow_id) return respond(200, flow_ok);
        if (bare == "/flows/" + flow_id + "/versions/3.0") return respond(200, version_ok);
        if (bare.rfind("/flows/executions/", 0) == 0)
            return error_body(404, "not.found", "The requested resource was not found.");
        if (bare == "/externalcontacts/reversewhitepageslookup") return respond(200, R"({"contacts":[]})");
        if (bare == "/organizations/limits/namespaces/platform.api") return respond(200, limits);
        return error_body(404, "not.found", "no route");
    }
};

gcx::check_report run(org o, gcx::client_config c = config()) {
    auto cl = make_client(c);
    cl.transport().set_fallback(o);
    return cl.check<gcx::customer_lookup>();
}

check_status status_of(const gcx::check_report& r, const std::string& name) {
    const auto* i = r.find(name);
    if (!i) FAIL("no check named " << name << " in\n" << r.to_text());
    return i->status;
}

struct renamed {
    std::optional<bool> Found;
    std::string Email;
    std::optional<bool> ContactId;  // the flow outputs a string
};
BOOST_DESCRIBE_STRUCT(renamed, (), (Found, Email, ContactId))

}  // namespace

TEST_CASE("check: all ok against a well-formed flow, and no launch") {
    auto c = config();
    c.budget.requests_per_minute = 300;  // paced (the tests' config is not: the limits item would warn)
    auto cl = make_client(c);
    cl.transport().set_fallback(org{});
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(status_of(r, "credentials") == check_status::ok);
    CHECK(r.find("credentials")->message.find("'Lookup Client'") != std::string::npos);
    CHECK(r.find("credentials")->message.find("'Acme'") != std::string::npos);
    CHECK(status_of(r, "endpoints") == check_status::ok);
    CHECK(r.find("endpoints")->message.find("region us_east_1") != std::string::npos);
    CHECK(status_of(r, "flow") == check_status::ok);
    CHECK(r.find("flow")->message.find("published version 3.0") != std::string::npos);
    CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::ok);
    CHECK(status_of(r, "output Found") == check_status::ok);
    CHECK(status_of(r, "output CustomerProfile") == check_status::ok);
    CHECK(r.find("output CustomerProfile")->message.find("JSON in a string") == std::string::npos);  // raw_json: any
    CHECK(status_of(r, "output externalContact") == check_status::ok);
    CHECK(status_of(r, "outputs not read") == check_status::warn);
    CHECK(r.find("outputs not read")->message.find("Flow.Email") != std::string::npos);
    CHECK(status_of(r, "permission architect:flowExecution:view") == check_status::ok);
    CHECK(status_of(r, "permission architect:flow:launch") == check_status::skipped);
    CHECK(status_of(r, "permission architect:flow:view") == check_status::ok);
    CHECK(status_of(r, "limits") == check_status::ok);
    CHECK(r.find("limits")->message.find("client.credentials.token.rate.per.minute = 300") != std::string::npos);
    CHECK(status_of(r, "network") == check_status::ok);
    CHECK(cl.transport().count(endpoint::launch) == 0);
    for (const auto& req : cl.transport().log())
        CHECK((req.verb != method::post || req.url.find("/oauth/token") != std::string::npos));
    CHECK_FALSE(leaks_secret(r.to_text()));
    CHECK_FALSE(leaks_secret(gcx::to_json_text<gcx::json::boost_json>(r)));
}

TEST_CASE("check: refused credentials fail with the OAuth error and its hint, the rest is skipped") {
    org o;
    o.token = respond(401, R"({"error":"invalid_client","description":"client not found"})");
    const auto r = run(o);
    INFO(r.to_text());
    CHECK(status_of(r, "credentials") == check_status::fail);
    CHECK(r.find("credentials")->message.find("invalid_client") != std::string::npos);
    CHECK_FALSE(r.find("credentials")->hint.empty());
    CHECK(r.failed(gcx::check_area::credentials));
    CHECK(status_of(r, "flow") == check_status::skipped);
    CHECK(status_of(r, "output Found") == check_status::skipped);
    CHECK_FALSE(leaks_secret(r.to_text()));
}

TEST_CASE("check: without architect:flow:view the flow checks are skipped, naming the permission") {
    org o;
    o.over.insert_or_assign("/flows/" + flow_id,
                            error_body(403, "missing.any.permissions", "Unable to perform the requested action."));
    const auto r = run(o);
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(status_of(r, "flow") == check_status::skipped);
    CHECK(r.find("flow")->message.find("architect:flow:view") != std::string::npos);
    CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::skipped);
    CHECK(status_of(r, "output Found") == check_status::skipped);
    CHECK(status_of(r, "permission architect:flow:view") == check_status::skipped);
}

TEST_CASE("check: a missing execution view permission fails as a permission") {
    org o;
    o.over.insert_or_assign("/flows/executions/00000000-0000-4000-8000-000000000000",
                            error_body(403, "missing.any.permissions", "Unable to perform the requested action."));
    const auto r = run(o);
    INFO(r.to_text());
    CHECK(status_of(r, "permission architect:flowExecution:view") == check_status::fail);
    CHECK(r.find("permission architect:flowExecution:view")->hint.find("architect:flowExecution:view") !=
          std::string::npos);
    CHECK(r.failed(gcx::check_area::permission));
}

TEST_CASE("check: a flow that is not found, not published, deleted or not a workflow fails") {
    SECTION("not found") {
        org o;
        o.over.insert_or_assign("/flows/" + flow_id,
                                error_body(404, "not.found", "The requested resource was not found."));
        const auto r = run(o);
        CHECK(status_of(r, "flow") == check_status::fail);
        CHECK(r.find("flow")->hint.find("TARGET_FLOW_ID") != std::string::npos);
        CHECK(r.failed(gcx::check_area::configuration));
    }
    SECTION("not published") {
        org o;
        o.over.insert_or_assign(
            "/flows/" + flow_id,
            respond(200, R"({"id":"x","name":"Draft","type":"WORKFLOW","active":false,"deleted":false})"));
        const auto r = run(o);
        CHECK(status_of(r, "flow") == check_status::fail);
        CHECK(r.find("flow")->message.find("never been published") != std::string::npos);
        CHECK(r.find("flow")->hint.find("publish") != std::string::npos);
        CHECK(r.failed(gcx::check_area::configuration));
    }
    SECTION("deleted") {
        org o;
        o.over.insert_or_assign(
            "/flows/" + flow_id,
            respond(200,
                    R"({"id":"x","name":"Old","type":"WORKFLOW","deleted":true,"publishedVersion":{"id":"1.0"}})"));
        const auto r = run(o);
        CHECK(r.find("flow")->message.find("deleted") != std::string::npos);
        CHECK(r.failed(gcx::check_area::configuration));
    }
    SECTION("inbound call") {
        org o;
        o.over.insert_or_assign(
            "/flows/" + flow_id,
            respond(
                200,
                R"({"id":"x","name":"Main IVR","type":"INBOUNDCALL","deleted":false,"publishedVersion":{"id":"12.0"}})"));
        const auto r = run(o);
        CHECK(status_of(r, "flow") == check_status::fail);
        CHECK(r.find("flow")->message.find("inboundcall") != std::string::npos);
        CHECK(r.find("flow")->message.find("only a workflow can be launched through the API") != std::string::npos);
    }
}

TEST_CASE("check: the input variable must exist and be a string, under either spelling") {
    gcx::client_config c = config();
    SECTION("missing") {
        c.input_variable = "Flow.Phone";
        const auto r = run(org{}, c);
        CHECK(status_of(r, "input Flow.Phone") == check_status::fail);
        CHECK(r.find("input Flow.Phone")->message.find("Flow.PhoneNumber") != std::string::npos);  // what it has
    }
    SECTION("bare spelling in the schema") {
        org o;
        o.over.insert_or_assign(
            "/flows/" + flow_id + "/versions/3.0",
            respond(
                200,
                R"({"id":"3.0","inputSchema":{"properties":{"PhoneNumber":{"type":"string"}}},"outputSchema":{"properties":{"Found":{"type":"boolean"}}}})"));
        const auto r = run(o);
        CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::ok);
        CHECK(status_of(r, "output Found") == check_status::ok);
    }
    SECTION("not a string") {
        org o;
        o.over.insert_or_assign(
            "/flows/" + flow_id + "/versions/3.0",
            respond(
                200,
                R"({"id":"3.0","inputSchema":{"properties":{"Flow.PhoneNumber":{"type":"integer"}}},"outputSchema":{"properties":{}}})"));
        const auto r = run(o);
        CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::fail);
        CHECK(r.find("input Flow.PhoneNumber")->message.find("integer") != std::string::npos);
        CHECK(status_of(r, "outputs") == check_status::warn);  // a flow that outputs nothing
    }
    SECTION("no schema: unchecked, not failed") {
        org o;
        o.over.insert_or_assign("/flows/" + flow_id + "/versions/3.0", respond(200, R"({"id":"3.0"})"));
        const auto r = run(o);
        CHECK_FALSE(r.failed());
        CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::skipped);
        CHECK(r.find("input Flow.PhoneNumber")->message.find("unchecked") != std::string::npos);
        CHECK(status_of(r, "output Found") == check_status::skipped);
    }
}

TEST_CASE("check: a member whose variable is missing or has another JSON type names member, variable and both types") {
    auto cl = make_client();
    cl.transport().set_fallback(org{});
    const auto r = cl.check<renamed>();
    INFO(r.to_text());
    CHECK(status_of(r, "output Found") == check_status::ok);
    CHECK(status_of(r, "output Email") == check_status::ok);
    const auto* id = r.find("output ContactId");
    REQUIRE(id);
    CHECK(id->status == check_status::fail);
    CHECK(id->message.find("member ContactId") != std::string::npos);
    CHECK(id->message.find("Flow.ContactId") != std::string::npos);
    CHECK(id->message.find("outputs string") != std::string::npos);
    CHECK(id->message.find("needs boolean") != std::string::npos);

    org o;
    o.over.insert_or_assign(
        "/flows/" + flow_id + "/versions/3.0",
        respond(
            200,
            R"({"id":"3.0","inputSchema":{"properties":{"Flow.PhoneNumber":{"type":"string"}}},"outputSchema":{"properties":{"Flow.CustomerFound":{"type":"boolean"}}}})"));
    cl.transport().set_fallback(o);
    const auto m = cl.check<renamed>();
    INFO(m.to_text());
    CHECK(status_of(m, "output Found") == check_status::warn);  // optional: absent is allowed, but never set
    CHECK(m.find("output Found")->message.find("Flow.Found") != std::string::npos);
    CHECK(status_of(m, "output Email") == check_status::fail);  // required
    CHECK(status_of(m, "outputs not read") == check_status::warn);
    CHECK(m.find("outputs not read")->message.find("Flow.CustomerFound") != std::string::npos);
}

TEST_CASE("check: the direct strategy probes External Contacts and reads no flow") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    org o;
    o.over.insert_or_assign("/externalcontacts/reversewhitepageslookup",
                            error_body(403, "missing.any.permissions", "no"));
    auto cl = make_client(c);
    cl.transport().set_fallback(o);
    const auto r = cl.check();
    INFO(r.to_text());
    CHECK(r.find("flow") == nullptr);
    CHECK(status_of(r, "permission externalContacts:contact:view") == check_status::fail);
    for (const auto& req : cl.transport().log()) CHECK(req.url.find("/flows/") == std::string::npos);
}

TEST_CASE("check: an API URL that answers 404 pages of its own fails as configuration, not as permissions present") {
    // A gateway prefix answering 404 to every path: the check said "credentials ok" and
    // "permission ... present", and every direct lookup then said "not found".
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    org o;
    o.over.insert_or_assign("/externalcontacts/reversewhitepageslookup", respond(404, "<html>Not Found</html>"));
    {
        auto cl = make_client(c);
        cl.transport().set_fallback(o);
        const auto r = cl.check();
        INFO(r.to_text());
        CHECK(status_of(r, "permission externalContacts:contact:view") == check_status::fail);
        CHECK(r.find("permission externalContacts:contact:view")->area == gcx::check_area::configuration);
    }
    o.over.insert_or_assign("/tokens/me", respond(404, "<html>Not Found</html>"));
    auto cl = make_client(c);
    cl.transport().set_fallback(o);
    const auto r = cl.check();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials") == check_status::fail);
    CHECK(r.find("credentials")->area == gcx::check_area::configuration);
    CHECK(r.failed(gcx::check_area::configuration));
}

TEST_CASE("check: a timeout is a network failure with a hint, and a per-token limit below the rate warns") {
    SECTION("timeout") {
        org o;
        gcx::error e = gcx::make_error(gcx::errc::timeout, "the exchange took longer than its timeout");
        e.code = "timeout";
        o.token = e;
        auto c = config();
        c.retry.max_retries = 0;
        const auto r = run(o, c);
        INFO(r.to_text());
        CHECK(status_of(r, "network") == check_status::fail);
        CHECK(status_of(r, "credentials") == check_status::skipped);
        CHECK_FALSE(r.failed(gcx::check_area::credentials));
    }
    SECTION("limits") {
        auto c = config();
        c.budget.requests_per_minute = 600;
        const auto r = run(org{}, c);
        CHECK(status_of(r, "limits") == check_status::warn);
        CHECK(r.find("limits")->hint.find("at most 303") != std::string::npos);
    }
}

TEST_CASE("check: the round trip is measured from the driver's times") {
    auto cl = make_client();
    org o;
    cl.transport().set_fallback([o, clock = cl.clock()](const gcx::http::request& r) {
        clock.advance(gcx::milliseconds{25});
        return o(r);
    });
    const auto r = cl.check();
    INFO(r.to_text());
    CHECK(r.find("network")->message.find("GET /api/v2/tokens/me): 25 ms") != std::string::npos);
    CHECK(r.find("output Found") == nullptr);  // no struct: only the list of outputs
    CHECK(status_of(r, "outputs") == check_status::ok);
}

#if GCX_TEST_NLOHMANN
TEST_CASE("check: the same report with the nlohmann backend") {
    auto cl = make_client<gcx::json::nlohmann>();
    cl.transport().set_fallback(org{});
    const auto r = cl.check<renamed>();
    INFO(r.to_text());
    CHECK(status_of(r, "flow") == check_status::ok);
    CHECK(status_of(r, "output ContactId") == check_status::fail);
    CHECK(status_of(r, "outputs not read") == check_status::warn);
    const auto j = gcx::to_json<gcx::json::nlohmann>(r);
    CHECK(j.at("checks").size() == r.items.size());
}
#endif

namespace {
const std::string action_id = "custom_-_3f6c1a2e-8b4d-4c7e-9a15-6d2b8e4f0c71";
const std::string action_ok =
    R"({"id":")" + action_id +
    R"(","name":"Lookup Contact","category":"CRM","secure":true,)"
    R"("contract":{"input":{"inputSchema":{"type":"object","properties":{"phoneNumber":{"type":"string"}}}},)"
    R"("output":{"successSchema":{"type":"object","properties":{"found":{"type":"boolean"},"firstName":{"type":"string"},)"
    R"("tier":{"type":"string"}}}}},"config":{"timeoutSeconds":10}})";

struct from_action {
    bool found;
    std::optional<std::string> firstName;
    bool tier;  // the action outputs a string
};
BOOST_DESCRIBE_STRUCT(from_action, (), (found, firstName, tier))

gcx::client_config action_config(gcx::lookup_strategy st) {
    gcx::client_config c = config();
    c.strategy = st;
    c.action.action_id = action_id;
    return c;
}
}  // namespace

TEST_CASE("check: the data-action strategy reads the action, its input and its success schema, and never executes it") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action));
    org o;
    o.over.emplace("/integrations/actions/" + action_id, respond(200, action_ok));
    cl.transport().set_fallback(o);
    const auto r = cl.check<from_action>();
    INFO(r.to_text());
    CHECK(status_of(r, "data action") == check_status::warn);  // secure, and the lookup not configured so
    CHECK(r.find("data action")->message.find("times out after 10 s") != std::string::npos);
    CHECK(status_of(r, "action input phoneNumber") == check_status::ok);
    CHECK(status_of(r, "action output found") == check_status::ok);
    CHECK(status_of(r, "action output firstName") == check_status::ok);
    CHECK(status_of(r, "action output tier") == check_status::fail);
    CHECK(r.find("action output tier")->message.find("the action outputs string, the member needs boolean") !=
          std::string::npos);
    CHECK(status_of(r, "permission integrations:action:execute") == check_status::skipped);
    CHECK(r.find("flow") == nullptr);  // no flow in this strategy
    for (const auto& req : cl.transport().log()) {
        if (req.url.find("/oauth/token") == std::string::npos)
            CHECK(req.verb == gcx::http::method::get);  // nothing executed, nothing launched
        CHECK(req.url.find("/execute") == std::string::npos);
    }
}

TEST_CASE("check: an action input that also requires others warns, and a type union that allows a string is ok") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action));
    std::string body = action_ok;
    const std::string in = R"("properties":{"phoneNumber":{"type":"string"}}})";
    REQUIRE(body.find(in) != std::string::npos);
    SECTION("another required input: warn, as the flow's check does (before: ok)") {
        body.replace(body.find(in), in.size(),
                     R"("properties":{"phoneNumber":{"type":"string"},"region":{"type":"string"}},)"
                     R"("required":["phoneNumber","region"]})");
        org o;
        o.over.emplace("/integrations/actions/" + action_id, respond(200, body));
        cl.transport().set_fallback(o);
        const auto r = cl.check<from_action>();
        INFO(r.to_text());
        CHECK(status_of(r, "action input phoneNumber") == check_status::warn);
        CHECK(r.find("action input phoneNumber")->message.find("also requires region") != std::string::npos);
    }
    SECTION("a union of string and number takes the number: ok (before: fail, exit 2)") {
        body.replace(body.find(in), in.size(), R"("properties":{"phoneNumber":{"type":["string","number"]}}})");
        org o;
        o.over.emplace("/integrations/actions/" + action_id, respond(200, body));
        cl.transport().set_fallback(o);
        const auto r = cl.check<from_action>();
        INFO(r.to_text());
        CHECK(status_of(r, "action input phoneNumber") == check_status::ok);
    }
}

TEST_CASE("check: an action output named Flow.x is not the member x, which the lookup reads by its name alone") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action));
    std::string body = action_ok;
    const std::string out = R"("found":{"type":"boolean"})";
    REQUIRE(body.find(out) != std::string::npos);
    body.replace(body.find(out), out.size(), R"("Flow.found":{"type":"boolean"})");
    org o;
    o.over.emplace("/integrations/actions/" + action_id, respond(200, body));
    cl.transport().set_fallback(o);
    const auto r = cl.check<from_action>();
    INFO(r.to_text());
    // Before: ok, through the "Flow." aliasing of flow variables; the lookup never finds it.
    CHECK(status_of(r, "action output found") == check_status::fail);
    CHECK(r.find("action output found")->message.find("does not output") != std::string::npos);
}

TEST_CASE("check: without integrations:action:view every action item is listed as skipped") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action));
    org o;
    o.over.emplace("/integrations/actions/" + action_id,
                   error_body(403, "missing.any.permissions", "Unable to perform the requested action."));
    cl.transport().set_fallback(o);
    const auto r = cl.check<from_action>();
    INFO(r.to_text());
    CHECK(status_of(r, "data action") == check_status::skipped);
    CHECK(status_of(r, "action input phoneNumber") == check_status::skipped);  // before: not listed
    CHECK(status_of(r, "action output found") == check_status::skipped);
    CHECK(status_of(r, "permission integrations:action:execute") == check_status::skipped);  // before: not listed
}

TEST_CASE("check: with flatten set the action is read flattened and its flattened success schema compared") {
    auto c = action_config(gcx::lookup_strategy::data_action);
    c.action.secure = true;
    c.action.flatten = true;
    auto cl = make_client(c);
    std::string flattened = action_ok;
    const std::string tail = R"("tier":{"type":"string"}}}}},)";
    REQUIRE(flattened.find(tail) != std::string::npos);
    // the flattened schema has tier a boolean (what the struct reads); the nested one a string
    flattened.replace(flattened.find(tail), tail.size(),
                      R"("tier":{"type":"string"}}},"successSchemaFlattened":{"type":"object","properties":)"
                      R"({"found":{"type":"boolean"},"firstName":{"type":"string"},"tier":{"type":"boolean"}}}}},)");
    org o;
    o.over.emplace("/integrations/actions/" + action_id, respond(200, flattened));
    cl.transport().set_fallback(o);
    const auto r = cl.check<from_action>();
    INFO(r.to_text());
    CHECK(status_of(r, "action output tier") == check_status::ok);
    bool asked_flattened = false;
    for (const auto& req : cl.transport().log())
        asked_flattened = asked_flattened || (req.url.find("/integrations/actions/") != std::string::npos &&
                                              req.url.find("flatten=true") != std::string::npos);
    CHECK(asked_flattened);
}

TEST_CASE("check: an action whose remote may take longer than gcx waits for its answer is a warning") {
    auto c = action_config(gcx::lookup_strategy::data_action);
    c.action.secure = true;
    c.request_timeout = gcx::milliseconds{5000};  // the action allows its remote 10 s
    auto cl = make_client(c);
    org o;
    o.over.emplace("/integrations/actions/" + action_id, respond(200, action_ok));
    cl.transport().set_fallback(o);
    const auto r = cl.check<from_action>();
    INFO(r.to_text());
    CHECK(status_of(r, "data action") == check_status::ok);
    CHECK(status_of(r, "data action timeout") == check_status::warn);
    CHECK(r.find("data action timeout")->message.find("10 s") != std::string::npos);

    c.request_timeout = gcx::milliseconds{16000};  // the default: waits longer than the remote may take
    auto ok = make_client(c);
    ok.transport().set_fallback(o);
    CHECK(ok.check<from_action>().find("data action timeout") == nullptr);
}

TEST_CASE("check: an action the org does not have fails as configuration, and a chain still checks its flow") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_flow));
    cl.transport().set_fallback(org{});  // the action's path answers 404
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "data action") == check_status::fail);
    CHECK(r.failed(gcx::check_area::configuration));
    CHECK(status_of(r, "flow") == check_status::ok);
}

// ---- nested members ---------------------------------------------------------------------------

namespace {
struct contact_card {
    std::string firstName;
    std::optional<std::string> email;
};
BOOST_DESCRIBE_STRUCT(contact_card, (), (firstName, email))

struct nested_outputs {
    bool Found;
    std::optional<contact_card> externalContact;
};
BOOST_DESCRIBE_STRUCT(nested_outputs, (), (Found, externalContact))

std::string version_with_contact(const std::string& contact_schema) {
    return R"({"id":"3.0","inputSchema":{"properties":{"Flow.PhoneNumber":{"type":"string"}}},)"
           R"("outputSchema":{"properties":{"Flow.Found":{"type":"boolean"},"Flow.externalContact":)" +
           contact_schema + "}}}";
}

gcx::check_report run_nested(const std::string& contact_schema) {
    org o;
    o.over.insert_or_assign("/flows/" + flow_id + "/versions/3.0", respond(200, version_with_contact(contact_schema)));
    auto cl = make_client();
    cl.transport().set_fallback(o);
    return cl.check<nested_outputs>();
}
}  // namespace

TEST_CASE("check: a struct member's own members are compared with the schema's properties of it") {
    SECTION("all there") {
        const auto r =
            run_nested(R"({"type":"object","properties":{"firstName":{"type":"string"},"email":{"type":"string"}}})");
        INFO(r.to_text());
        CHECK_FALSE(r.failed());
        CHECK(status_of(r, "output externalContact.firstName") == check_status::ok);
        CHECK(status_of(r, "output externalContact.email") == check_status::ok);
    }
    SECTION("a required member missing fails, an optional one warns") {
        const auto r = run_nested(R"({"type":"object","properties":{"lastName":{"type":"string"}}})");
        INFO(r.to_text());
        CHECK(status_of(r, "output externalContact.firstName") == check_status::fail);
        CHECK(r.find("output externalContact.firstName")->message.find("Flow.externalContact.firstName") !=
              std::string::npos);
        CHECK(status_of(r, "output externalContact.email") == check_status::warn);
        CHECK(r.failed());
        CHECK_FALSE(r.failed(gcx::check_area::credentials));
    }
    SECTION("another type fails") {
        const auto r = run_nested(R"({"type":"object","properties":{"firstName":{"type":"array"}}})");
        INFO(r.to_text());
        CHECK(status_of(r, "output externalContact.firstName") == check_status::fail);
        CHECK(r.find("output externalContact.firstName")->message.find("array") != std::string::npos);
    }
    SECTION("no properties: unchecked, never a failure") {
        const auto r = run_nested(R"({"type":"object"})");
        INFO(r.to_text());
        CHECK_FALSE(r.failed());
        CHECK(status_of(r, "output externalContact.*") == check_status::skipped);
        CHECK(r.find("output externalContact.firstName") == nullptr);
    }
}

// ---- several credentials ----------------------------------------------------------------------

namespace {
const std::string second_id = "second-client-id";
const std::string second_secret = "Second-S3cret-Never-Printed-42";

gcx::client_config two_credentials() {
    gcx::client_config c = config();
    c.extra_credentials.push_back(gcx::credential{second_id, gcx::secret(second_secret)});
    return c;
}
std::string basic_of(const std::string& id, const std::string& secret) {
    return gcx::detail::base64(id + ":" + secret);
}
bool text_has_no_secret(const gcx::check_report& r) {
    const std::string text = r.to_text() + gcx::to_json_text<gcx::json::boost_json>(r);
    return !leaks_secret(text) && text.find(second_secret) == std::string::npos;
}
std::size_t token_requests(fakes::scripted_transport& t) {
    std::size_t n = 0;
    for (const auto& req : t.log()) n += req.url.find("/oauth/token") != std::string::npos;
    return n;
}
}  // namespace

TEST_CASE("check: every credential's token is checked, one item each named by its client id") {
    auto cl = make_client(two_credentials());
    cl.transport().set_fallback(org{});
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(r.find("credentials") == nullptr);
    CHECK(status_of(r, "credentials " + client_id) == check_status::ok);
    CHECK(status_of(r, "credentials " + second_id) == check_status::ok);
    CHECK(r.find("credentials " + client_id)->message.find("the checks below use it") != std::string::npos);
    CHECK(r.find("credentials " + second_id)->message.find("the checks below use it") == std::string::npos);
    CHECK(token_requests(cl.transport()) == 2);
    CHECK(status_of(r, "flow") == check_status::ok);
    const std::string text = r.to_text() + gcx::to_json_text<gcx::json::boost_json>(r);
    CHECK_FALSE(leaks_secret(text));
    CHECK(text.find(second_secret) == std::string::npos);
    CHECK(text.find(basic_of(second_id, second_secret)) == std::string::npos);
}

TEST_CASE("check: a refused extra credential fails as credentials, and the others are still checked") {
    org o;
    o.token_for.insert_or_assign(basic_of(second_id, second_secret),
                                 respond(401, R"({"error":"invalid_client","description":"client not found"})"));
    auto cl = make_client(two_credentials());
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials " + client_id) == check_status::ok);
    CHECK(status_of(r, "credentials " + second_id) == check_status::fail);
    CHECK(r.find("credentials " + second_id)->message.find("invalid_client") != std::string::npos);
    CHECK(r.find("credentials " + second_id)->hint.find("credentials-file") != std::string::npos);
    CHECK(r.failed(gcx::check_area::credentials));
    CHECK(status_of(r, "flow") == check_status::ok);  // read with the first credential
    CHECK(status_of(r, "permission architect:flowExecution:view") == check_status::ok);
    CHECK(text_has_no_secret(r));
}

TEST_CASE("check: when the first credential is refused the later checks use the next that works") {
    org o;
    o.token_for.insert_or_assign(basic_of(client_id, client_secret),
                                 respond(401, R"({"error":"invalid_client","description":"client not found"})"));
    auto cl = make_client(two_credentials());
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials " + client_id) == check_status::fail);
    CHECK(r.find("credentials " + client_id)->hint.find("GENESYS_CLIENT_ID") != std::string::npos);
    CHECK(status_of(r, "credentials " + second_id) == check_status::ok);
    CHECK(r.find("credentials " + second_id)->message.find("the checks below use it") != std::string::npos);
    CHECK(status_of(r, "flow") == check_status::ok);
    CHECK(r.failed(gcx::check_area::credentials));
    CHECK(text_has_no_secret(r));
}

TEST_CASE("check: with every credential refused the rest is skipped") {
    org o;
    o.token = respond(401, R"({"error":"invalid_client","description":"client not found"})");
    auto cl = make_client(two_credentials());
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials " + client_id) == check_status::fail);
    CHECK(status_of(r, "credentials " + second_id) == check_status::fail);
    CHECK(status_of(r, "flow") == check_status::skipped);
    CHECK(status_of(r, "limits") == check_status::skipped);
    for (const auto& req : cl.transport().log()) CHECK(req.url.find("/flows/") == std::string::npos);
}

TEST_CASE("check: credentials of two organizations fail: a lookup on the second would look in another org") {
    org o;
    o.token_for.insert_or_assign(basic_of(second_id, second_secret), token_ok(86400, "second-token"));
    o.me_for.insert_or_assign("second-token", respond(200, R"({"organization":{"id":"org-2","name":"Other"}})"));
    auto cl = make_client(two_credentials());
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials " + client_id) == check_status::ok);
    CHECK(status_of(r, "credentials " + second_id) == check_status::fail);
    CHECK(r.find("credentials " + second_id)->message.find("(id 'org-1')") != std::string::npos);
    CHECK(r.find("credentials " + second_id)->hint.find("same org") != std::string::npos);
    CHECK(r.failed(gcx::check_area::credentials));
    // The same org for both: no failure.
    org same;
    same.token_for.insert_or_assign(basic_of(second_id, second_secret), token_ok(86400, "second-token"));
    auto ok = make_client(two_credentials());
    ok.transport().set_fallback(same);
    CHECK_FALSE(ok.check<gcx::customer_lookup>().failed());
}

TEST_CASE(
    "check: a token endpoint's outage or rate limit is not the credentials' fault, and its 404 is the login URL") {
    auto c = config();
    c.retry.max_retries = 0;
    for (int status : {503, 500, 429}) {
        CAPTURE(status);
        org o;
        o.token = respond(status, "<html>busy</html>", {{"Retry-After", "1000"}});
        const auto r = run(o, c);
        INFO(r.to_text());
        CHECK(status_of(r, "credentials") == check_status::fail);
        CHECK(r.failed());
        CHECK_FALSE(r.failed(gcx::check_area::credentials));  // gcx-lookup: exit 4, not 3
        CHECK_FALSE(r.failed(gcx::check_area::configuration));
    }
    org wrong_url;
    wrong_url.token = respond(404, "<html>Not Found</html>");
    const auto r = run(wrong_url, c);
    INFO(r.to_text());
    CHECK(r.find("credentials")->area == gcx::check_area::configuration);
    CHECK(r.find("credentials")->hint.find("login URL") != std::string::npos);
    CHECK_FALSE(r.failed(gcx::check_area::credentials));
}

TEST_CASE("check: a GET tokens/me that does not get through leaves the rest skipped, saying why") {
    org o;
    gcx::error e = gcx::make_error(gcx::errc::transport, "connection reset");
    e.code = "reset";
    o.over.insert_or_assign("/tokens/me", e);
    auto c = config();
    c.retry.max_retries = 0;
    const auto r = run(o, c);
    INFO(r.to_text());
    CHECK(status_of(r, "credentials") == check_status::ok);  // a token was obtained
    CHECK(status_of(r, "network") == check_status::fail);
    for (const char* name : {"flow", "limits", "permissions"}) {
        CAPTURE(name);
        CHECK(status_of(r, name) == check_status::skipped);
        CHECK(r.find(name)->message.find("the API did not answer") != std::string::npos);
    }
}

TEST_CASE("check: a flow read that fails with 401 or 500 says nothing of architect:flow:view") {
    for (int status : {401, 500}) {
        CAPTURE(status);
        org o;
        o.over.insert_or_assign("/flows/" + flow_id, error_body(status, "some.code", "failed"));
        auto c = config();
        c.retry.max_retries = 0;
        const auto r = run(o, c);
        INFO(r.to_text());
        CHECK(status_of(r, "flow") == check_status::fail);
        CHECK(status_of(r, "permission architect:flow:view") == check_status::skipped);
        CHECK(r.find("permission architect:flow:view")->message.find("not known") != std::string::npos);
        CHECK(status_of(r, "permission architect:flowExecution:view") == check_status::ok);  // still probed
        CHECK(r.failed(gcx::check_area::credentials) == (status == 401));
    }
}

TEST_CASE("check: a token echoed by an earlier step is not shown, whichever token the check holds at its end") {
    // A second credential's token, echoed in its own tokens/me answer: the calls after it use
    // the first credential's token.
    const std::string second_token = "SECOND-token-must-stay-hidden-5d2e";
    gcx::client_config c = two_credentials();
    org o;
    o.token_for.insert_or_assign(basic_of(second_id, second_secret), token_ok(86400, second_token));
    o.me_for.insert_or_assign(second_token,
                              respond(200, R"({"organization":{"id":"org-1","name":"Acme"},"OAuthClient":{"id":")" +
                                               second_id + R"(","name":"echo )" + second_token + R"("}})"));
    const auto r = run(o, c);
    INFO(r.to_text());
    CHECK((r.to_text() + gcx::to_json_text<gcx::json::boost_json>(r)).find(second_token) == std::string::npos);

    // One credential whose token is renewed after a 401: the first one, echoed, is not shown either.
    auto cl = make_client();
    const std::string renewed = "RENEWED-token-abcdef-0001";
    cl.transport()
        .then(endpoint::token, token_ok(86400, access_token))
        .then(endpoint::other, respond(200, R"({"organization":{"id":"org-1","name":"echo )" + access_token +
                                                R"("},"OAuthClient":{"id":"x","name":"y"}})"))
        .then(endpoint::other, error_body(401, "bad.credentials", "Invalid login credentials."))
        .then(endpoint::token, token_ok(86400, renewed));
    cl.transport().set_fallback(org{});
    const auto renewal = cl.check<gcx::customer_lookup>();
    INFO(renewal.to_text());
    CHECK(renewal.to_text().find(access_token) == std::string::npos);
}

TEST_CASE("check: a 429 on the first credential's tokens/me lists the credentials after it as not checked") {
    org o;
    o.over.insert_or_assign("/tokens/me",
                            respond(429, R"({"code":"too.many.requests","status":429})", {{"Retry-After", "3600"}}));
    const auto r = run(o, two_credentials());
    INFO(r.to_text());
    CHECK(status_of(r, "rate limit") == check_status::fail);
    REQUIRE(r.find("credentials " + second_id));  // before: no item at all
    CHECK(status_of(r, "credentials " + second_id) == check_status::skipped);
}

TEST_CASE("check: a 429 is reported within one lookup_timeout even when rate limits extend lookups' deadlines") {
    auto c = config();
    c.retry.rate_limits_extend_deadline = true;  // as gcx-lookup's batches set it
    c.retry.retry_after_ceiling = std::chrono::seconds{180};
    org o;
    o.over.insert_or_assign(
        "/flows/" + flow_id,
        respond(429, R"({"code":"too.many.requests.retry.after","status":429})", {{"Retry-After", "100"}}));
    auto cl = make_client(c);
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(cl.clock().elapsed() <= c.lookup_timeout);  // before: 30 waits of 100 s
    CHECK(status_of(r, "rate limit") == check_status::fail);
}

TEST_CASE("check: an input variable configured without Flow. fails against a flow whose input is Flow.PhoneNumber") {
    auto c = config();
    c.input_variable = "PhoneNumber";  // inputData is keyed as configured: the launch would be refused
    const auto r = run(org{}, c);
    INFO(r.to_text());
    REQUIRE(r.find("input PhoneNumber"));
    CHECK(status_of(r, "input PhoneNumber") == check_status::fail);
    CHECK(r.find("input PhoneNumber")->hint.find("Flow.PhoneNumber") != std::string::npos);
    CHECK(r.failed(gcx::check_area::configuration));
}

TEST_CASE("check: the text report turns C1 controls and line separators from a server's names into spaces") {
    org o;
    o.over.insert_or_assign("/flows/" + flow_id,
                            respond(200, R"({"id":")" + flow_id +
                                             R"(","name":"Lookup\u009b2J\u0085[fail] forged\u2028x","type":"WORKFLOW",)"
                                             R"("publishedVersion":{"id":"3.0"}})"));
    const std::string text = run(o).to_text();
    INFO(text);
    CHECK(text.find("\xC2\x9B") == std::string::npos);  // CSI
    CHECK(text.find("\xC2\x85") == std::string::npos);  // NEL
    CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(text.find("Lookup 2J [fail] forged x") != std::string::npos);
}

TEST_CASE("check: the data action is read with its contract expanded, where its schemas are") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::data_action;
    c.action.action_id = action_id;
    auto cl = make_client(c);
    cl.transport().set_fallback(org{});
    (void)cl.check<gcx::customer_lookup>();
    int asked = 0;
    for (const auto& req : cl.transport().log())
        if (req.url.find("/integrations/actions/") != std::string::npos) {
            ++asked;
            CHECK(req.url.find("expand=contract") != std::string::npos);
        }
    CHECK(asked == 1);
}

TEST_CASE("check: a secret or token the server puts in a flow's name or a limit's key is not shown") {
    org o;
    const std::string flow_named = R"({"id":")" + flow_id + R"(","name":")" + client_secret +
                                   R"(","type":"WORKFLOW","publishedVersion":{"id":"3.0"}})";
    o.over.insert_or_assign("/flows/" + flow_id, respond(200, flow_named));
    o.over.insert_or_assign("/organizations/limits/namespaces/platform.api",
                            respond(200, R"({"entities":[{"key":")" + access_token + R"(","value":1}]})"));
    const auto r = run(o);
    INFO(r.to_text());
    CHECK(r.find("flow")->message.find("[REDACTED]") != std::string::npos);
    CHECK(text_has_no_secret(r));
    CHECK(r.to_text().find(access_token) == std::string::npos);
}

TEST_CASE("check: a 429 it cannot wait out stops the check at once, as a rate limit, not a network failure") {
    org o;
    o.over.insert_or_assign(
        "/flows/" + flow_id,
        respond(429, R"({"code":"too.many.requests.retry.after","status":429})", {{"Retry-After", "100"}}));
    auto cl = make_client();
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "rate limit") == check_status::fail);
    CHECK(r.find("rate limit")->message.find("asked to wait 100 s") != std::string::npos);
    CHECK(status_of(r, "network") == check_status::ok);
    CHECK(status_of(r, "limits") == check_status::skipped);  // not made, and said so
    CHECK(r.find("limits")->message.find("rate limited") != std::string::npos);
    CHECK(cl.clock().elapsed() < gcx::milliseconds{1000});  // not the 30 s deadline
    for (const auto& req : cl.transport().log()) CHECK(req.url.find("/limits/") == std::string::npos);
}

TEST_CASE("check: a credential's own token 429 does not stop the checks of the others") {
    org o;
    o.token_for.insert_or_assign(basic_of(client_id, client_secret), respond(429, "{}", {{"Retry-After", "1000"}}));
    auto c = two_credentials();
    c.retry.max_retries = 0;
    auto cl = make_client(c);
    cl.transport().set_fallback(o);
    const auto r = cl.check<gcx::customer_lookup>();
    INFO(r.to_text());
    CHECK(status_of(r, "credentials " + client_id) == check_status::fail);
    CHECK(status_of(r, "credentials " + second_id) == check_status::ok);
    CHECK(status_of(r, "flow") == check_status::ok);  // read with the second
    CHECK(r.find("rate limit") == nullptr);
    CHECK_FALSE(r.failed(gcx::check_area::credentials));
}

TEST_CASE("check: the limits item counts the credentials lookups go with: not a refused one, a 429'd one yes") {
    for (bool refused : {true, false}) {
        INFO((refused ? "second credential refused" : "first credential's token request answered 429"));
        org o;
        if (refused)
            o.token_for.insert_or_assign(
                basic_of(second_id, second_secret),
                respond(401, R"({"error":"invalid_client","description":"client not found"})"));
        else
            o.token_for.insert_or_assign(basic_of(client_id, client_secret),
                                         respond(429, "{}", {{"Retry-After", "1000"}}));
        auto c = two_credentials();
        c.retry.max_retries = 0;
        c.budget.requests_per_minute = 300;
        auto cl = make_client(c);
        cl.transport().set_fallback(o);
        const auto r = cl.check<gcx::customer_lookup>();
        INFO(r.to_text());
        REQUIRE(r.find("limits") != nullptr);
        const std::string& m = r.find("limits")->message;
        if (refused)
            CHECK(m.find("each of 1 working credential (the other failed above: no lookup goes with it)") !=
                  std::string::npos);
        else CHECK(m.find("each of 2 credentials at") != std::string::npos);  // a 429 is not the credential's fault
    }
}

TEST_CASE("check: an answer too large to read did get through: not a network failure") {
    org o;
    gcx::error big = gcx::make_error(gcx::errc::transport, "response body exceeds max_response_bytes");
    big.code = std::string(gcx::codes::too_large);
    o.over.insert_or_assign("/organizations/limits/namespaces/platform.api", big);
    auto c = config();
    c.budget.requests_per_minute = 300;
    const auto r = run(o, c);
    INFO(r.to_text());
    CHECK(status_of(r, "limits") == check_status::skipped);
    CHECK(status_of(r, "network") == check_status::ok);
    CHECK_FALSE(r.failed());
}

}  // namespace unit_check
