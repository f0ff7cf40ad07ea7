// include/gcx/data_action.hpp and the data-action strategies: the request, the found rule, mapping
// into described structs (no "Flow." prefix), retries, remote failures, secure actions, the chains'
// fallbacks, the configuration, and the operation driven by hand.
#include "fakes.hpp"

#include <gcx/data_action.hpp>
#include <gcx/json/nlohmann.hpp>
#include <gcx/strategy.hpp>

#include <catch2/catch.hpp>

#include <map>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_data_action {

using namespace fakes;
using gcx::errc;
using J = gcx::json::boost_json;

inline const std::string action_id = "custom_-_5b8e1f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b";
inline const std::string execute_url =
    "https://api.mypurecloud.com/api/v2/integrations/actions/" + action_id + "/execute";

struct address {
    std::string city;
    std::optional<std::string> zip;
};
BOOST_DESCRIBE_STRUCT(address, (), (city, zip))

struct customer {
    bool found = false;
    std::optional<std::string> contactId;
    std::optional<int> openCases;
    std::optional<address> home;       // the action may send it as an object or as a JSON string
    std::optional<gcx::raw_json> crm;  // kept as text
    std::optional<std::string> tier;   // "Customer-Tier" (the rename hook)
    friend std::string_view gcx_json_name(const customer*, std::string_view m) {
        return m == "tier" ? std::string_view("Customer-Tier") : m;
    }
};
BOOST_DESCRIBE_STRUCT(customer, (), (found, contactId, openCases, home, crm, tier))

struct strict_customer {
    bool found = false;
    std::string contactId;
    int openCases = 0;
    address home;
};
BOOST_DESCRIBE_STRUCT(strict_customer, (), (found, contactId, openCases, home))

struct extra_inputs {
    std::string channel;
    std::optional<int> maxResults;
};
BOOST_DESCRIBE_STRUCT(extra_inputs, (), (channel, maxResults))

namespace {
gcx::client_config action_config(gcx::lookup_strategy s = gcx::lookup_strategy::data_action) {
    auto c = config();
    c.strategy = s;
    if (s == gcx::lookup_strategy::data_action || s == gcx::lookup_strategy::data_action_then_direct)
        c.flow_id.clear();  // no flow needed
    c.action.action_id = action_id;
    return c;
}

const std::string found_answer =
    R"({"found":true,"contactId":"8a7f","openCases":2,"home":"{\"city\":\"Indianapolis\",\"zip\":\"46204\"}","crm":{"id":7,"tags":["vip"]},"Customer-Tier":"gold"})";

answer executed(const std::string& body = found_answer) {
    return respond(200, body, {{"ININ-Correlation-Id", "corr-action-1"}});
}
}  // namespace

// ---- found, not found, the request -------------------------------------------------------------

TEST_CASE("data_action: one POST to execute with the number under the input key, answer mapped without a prefix") {
    auto cl = make_client(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed());
    auto r = cl.lookup<customer>("+1 317 555 0123");
    REQUIRE(r);
    const auto req = cl.transport().log().back();
    CHECK(req.verb == method::post);
    CHECK(req.url == execute_url);
    CHECK(boost::json::parse(req.body) == boost::json::parse(R"({"phoneNumber":"+13175550123"})"));
    CHECK(req.header("Content-Type") != nullptr);
    CHECK(*req.header("Authorization") == "Bearer " + access_token);
    CHECK(r->outputs.found);
    CHECK(r->outputs.contactId == "8a7f");
    CHECK(r->outputs.openCases == 2);
    REQUIRE(r->outputs.home);  // a JSON string holding an object
    CHECK(r->outputs.home->city == "Indianapolis");
    REQUIRE(r->outputs.crm);
    CHECK(boost::json::parse(r->outputs.crm->text) == boost::json::parse(R"({"id":7,"tags":["vip"]})"));
    CHECK(r->outputs.tier == "gold");
    CHECK(r->execution.source == "data_action");
    CHECK(r->execution.found == true);
    CHECK(r->execution.status == "COMPLETED");
    CHECK(r->execution.id.empty());
    CHECK(r->execution.correlation_id == "corr-action-1");
    CHECK(r->execution.requests == 2);  // token, execute
    CHECK(r->execution.fallback_reason.empty());
    CHECK(cl.transport().count(endpoint::launch) == 0);
    CHECK(cl.transport().mismatches().empty());
}

TEST_CASE("data_action: the JSON answer is the outputs as the action returns them") {
    auto cl = make_client(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs == boost::json::parse(found_answer));
    CHECK(r->outputs.as_object().find("Flow.found") == r->outputs.as_object().end());
}

TEST_CASE("data_action: found false or null is not found, and not an error") {
    for (std::string v : {"false", "null"}) {
        INFO(v);
        auto cl = make_client(action_config());
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::action, executed(R"({"found":)" + v + R"(,"contactId":"8a7f"})"));
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(r->execution.found == false);
        CHECK(r->outputs.at("contactId") == "8a7f");
    }
}

TEST_CASE("data_action: without the found key, any output with a value is found") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed(R"({"contactId":null,"name":null})"))
        .then(endpoint::action, executed(R"({"contactId":null,"name":"Maria"})"))
        .then(endpoint::action, executed(R"({})"))
        .then(endpoint::action, respond(200, ""));  // no body at all: no outputs
    auto none = cl.lookup(phone);
    REQUIRE(none);
    CHECK(none->execution.found == false);
    auto some = cl.lookup(phone);
    REQUIRE(some);
    CHECK(some->execution.found == true);
    auto empty = cl.lookup(phone);
    REQUIRE(empty);
    CHECK(empty->execution.found == false);
    auto no_body = cl.lookup(phone);
    REQUIRE(no_body);
    CHECK(no_body->execution.found == false);
    CHECK(no_body->outputs == boost::json::object{});

    // An action wrapping a search answers an empty list: that found nothing. Only a value counts.
    for (const char* nothing : {R"({"contacts":[],"matchCount":0})", R"({"name":"","vip":false,"profile":{}})",
                                R"({"score":0.0,"count":0})"}) {
        INFO(nothing);
        cl.transport().then(endpoint::action, executed(nothing));
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(r->execution.found == false);
    }
    for (const char* something : {R"({"contacts":[{"id":"8a7f"}],"matchCount":1})", R"({"vip":true})",
                                  R"({"matchCount":2})", R"({"profile":{"id":"x"}})"}) {
        INFO(something);
        cl.transport().then(endpoint::action, executed(something));
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(r->execution.found == true);
    }
}

TEST_CASE("data_action: found_key names another output, or none") {
    auto c = action_config();
    c.action.found_key = "matched";
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed(R"({"matched":false,"found":true,"name":"Maria"})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.found == false);

    c.action.found_key.clear();  // the any-non-null rule only: a "found" output is one like any other
    auto any = make_client(c);
    any.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":"no"})"));
    auto a = any.lookup(phone);
    REQUIRE(a);
    CHECK(a->execution.found == true);
}

TEST_CASE("data_action: a found output that is not a boolean is a mapping error that never quotes it") {
    auto cl = make_client(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":"Maria Schmidt"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::mapping);
    CHECK(r.error().code == gcx::codes::found_output);
    CHECK(r.error().path == R"(output["found"])");
    CHECK(r.error().http_status == 200);
    CHECK(r.error().message.find("string") != std::string::npos);
    CHECK(r.error().describe().find("Maria") == std::string::npos);
}

TEST_CASE("data_action: typed extra inputs go beside the number, without a prefix, and the number wins") {
    auto cl = make_client(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed());
    auto r = cl.lookup<customer>(phone, extra_inputs{"voice", 3});
    REQUIRE(r);
    CHECK(boost::json::parse(cl.transport().log().back().body) ==
          boost::json::parse(R"({"channel":"voice","maxResults":3,"phoneNumber":"+13175550123"})"));

    // JSON extras keyed as the action names them; an extra "phoneNumber" does not replace the number.
    cl.transport().then(endpoint::action, executed());
    auto j = cl.lookup(phone, boost::json::parse(R"({"phoneNumber":"+19999999999","region":"EU"})"));
    REQUIRE(j);
    CHECK(boost::json::parse(cl.transport().log().back().body) ==
          boost::json::parse(R"({"phoneNumber":"+13175550123","region":"EU"})"));

    cl.transport().then(endpoint::action, executed());
    auto bad = cl.execute_action(phone, boost::json::parse("[1,2]"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == errc::invalid_input);
    CHECK(cl.transport().unused() == 1);  // nothing sent
}

TEST_CASE("data_action: input key, flatten and the action id in the URL come from the options") {
    auto c = action_config();
    c.action.input_key = "ani";
    c.action.flatten = true;
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":true})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    const auto req = cl.transport().log().back();
    CHECK(req.url == execute_url + "?flatten=true");
    CHECK(boost::json::parse(req.body) == boost::json::parse(R"({"ani":"+13175550123"})"));

    // execute_action runs any action, whatever the strategy.
    gcx::data_action_options other;
    other.action_id = "custom_-_other";
    auto flow_client = make_client();
    flow_client.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":true})"));
    auto x = flow_client.execute_action(phone, boost::json::value(nullptr), other);
    REQUIRE(x);
    CHECK(flow_client.transport().log().back().url ==
          "https://api.mypurecloud.com/api/v2/integrations/actions/custom_-_other/execute");
}

TEST_CASE("data_action: an invalid number sends nothing") {
    auto cl = make_client(action_config());
    auto r = cl.lookup("not a number");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::invalid_input);
    CHECK(cl.transport().log().empty());
}

TEST_CASE("data_action: an answer that is not a JSON object is a protocol error, not retried") {
    auto cl = make_client(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"(["+13175550123"])"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(r.error().code == gcx::codes::action_response);
    CHECK(cl.transport().count(endpoint::action) == 1);

    auto idem = action_config();
    idem.action.idempotent = true;  // a read-only action: an unreadable answer is asked again
    auto ro = make_client(idem);
    ro.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed("{not json"))
        .then(endpoint::action, executed(R"({"found":true})"));
    auto again = ro.lookup(phone);
    REQUIRE(again);
    CHECK(again->execution.found == true);
    CHECK(again->execution.requests == 3);
}

// ---- mapping errors ----------------------------------------------------------------------------

TEST_CASE("data_action: mapping errors name the output path, never a value, with a data-action hint") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action,
              executed(R"({"found":true,"contactId":"8a7f","openCases":"Maria Schmidt","home":{"city":"Indy"}})"));
    auto r = cl.lookup<strict_customer>(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::mapping);
    CHECK(r.error().path == R"(output["openCases"])");
    CHECK(r.error().describe().find("Maria") == std::string::npos);
    CHECK(r.error().hint.find("data action") != std::string::npos);

    cl.transport().then(endpoint::action,
                        executed(R"({"found":true,"contactId":"8a7f","openCases":1,"home":{"zip":"46204"}})"));
    auto nested = cl.lookup<strict_customer>(phone);
    REQUIRE_FALSE(nested);
    CHECK(nested.error().path == R"(output["home"].city)");

    cl.transport().then(endpoint::action,
                        executed(R"({"found":true,"openCases":1,"home":{"city":"Indy"},"Flow.contactId":"x"})"));
    auto missing = cl.lookup<strict_customer>(phone);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().path == R"(output["contactId"])");  // "Flow.contactId" binds nothing here

    cl.transport().then(endpoint::action, executed(R"({"found":false})"));
    auto empty = cl.lookup<strict_customer>(phone);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().path == R"(output["contactId"])");
}

TEST_CASE("data_action: a JSON string that is not JSON is a mapping error at its path") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed(R"({"found":true,"home":"Indianapolis, IN"})"));
    auto r = cl.lookup<customer>(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::mapping);
    CHECK(r.error().path.rfind(R"(output["home"])", 0) == 0);
    CHECK(r.error().describe().find("Indianapolis") == std::string::npos);
}

// ---- retries, failures, secrets ----------------------------------------------------------------

TEST_CASE("data_action: a 429 is waited out and retried, a 401 renews the token") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "2"}}))
        .then(endpoint::action, error_body(401, "bad.credentials", "expired"))
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.found == true);
    CHECK(r->execution.requests == 5);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{2000});
    CHECK(cl.transport().unused() == 0);
}

TEST_CASE("data_action: a 5xx or a lost answer is not executed again, unless the action is declared read-only") {
    for (int st : {500, 502, 504}) {
        INFO(st);
        auto cl = make_client(action_config());
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::action, error_body(st, "internal.server.error", "The remote endpoint timed out"))
            .then(endpoint::action, executed());
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::server);
        CHECK(r.error().http_status == st);
        CHECK(r.error().code == "internal.server.error");  // the server's code, kept
        CHECK(cl.transport().count(endpoint::action) == 1);
    }
    {
        auto cl = make_client(action_config());
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::action, error_body(502, "bad.gateway", "upstream"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().hint.find("idempotent") != std::string::npos);
    }
    auto c = action_config();
    c.action.idempotent = true;
    auto ro = make_client(c);
    ro.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(504, "gateway.timeout", "timed out"))
        .then(endpoint::action, transport_failure(gcx::delivery::maybe))
        .then(endpoint::action, executed());
    auto r = ro.lookup(phone);
    REQUIRE(r);
    CHECK(ro.transport().count(endpoint::action) == 3);

    // Not sent at all (no connection): retried either way.
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, transport_failure(gcx::delivery::not_sent))
        .then(endpoint::action, transport_failure(gcx::delivery::maybe));
    auto lost = cl.lookup(phone);
    REQUIRE_FALSE(lost);
    CHECK(lost.error().kind == errc::transport);
    CHECK(cl.transport().count(endpoint::action) == 2);
}

TEST_CASE("data_action: a remote failure is classified by status, its code kept, the number scrubbed") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(
            endpoint::action,
            error_body(
                400, "bad.request",
                "REST call for action execute failed. Response from web service: no customer +13175550123 with token " +
                    access_token));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::bad_request);
    CHECK(r.error().http_status == 400);
    CHECK(r.error().code == "bad.request");
    CHECK(r.error().correlation_id == "corr-bad.request");
    CHECK(r.error().message.find("Response from web service") != std::string::npos);  // not secure: kept
    CHECK(r.error().message.find(phone) == std::string::npos);
    CHECK(r.error().message.find("[phone number]") != std::string::npos);
    CHECK_FALSE(leaks_secret(r.error().describe()));
    CHECK(r.error().hint.find("input contract") != std::string::npos);

    cl.transport().then(endpoint::action,
                        error_body(403, "missing.any.permissions", "need one of [integrations:action:execute]"));
    auto p = cl.lookup(phone);
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == errc::permission);
    CHECK(p.error().hint.find("integrations:action:execute") != std::string::npos);

    cl.transport().then(endpoint::action, error_body(404, "not.found", "no action"));
    auto n = cl.lookup(phone);
    REQUIRE_FALSE(n);
    CHECK(n.error().kind == errc::not_found);
    CHECK(n.error().hint.find("GCX_ACTION_ID") != std::string::npos);
}

namespace {
// A failure inside the action as Genesys reports it (help-centre articles; the status is the
// remote's or 500, not known): an "ACTION." errorCode in details, the remote's words nested.
answer action_failed(int status, const std::string& top_code, const std::string& top_message,
                     const std::string& nested) {
    return respond(
        status,
        R"({"message":")" + top_message + R"(","code":")" + top_code + R"(","status":)" + std::to_string(status) +
            R"(,"contextId":"corr-ran","details":[{"errorCode":"ACTION.REMOTE_ENDPOINT"}],"errors":[{"message":")" +
            nested + R"(","code":"X","status":)" + std::to_string(status) + "}]}",
        {{"ININ-Correlation-Id", "corr-ran"}});
}
const std::string generic_500 =
    "The server encountered an unexpected condition which prevented it from fulfilling the request.";
const std::string remote_words = "REST call for action execute failed. Message: Connection reset [corr-ran]";
}  // namespace

TEST_CASE("data_action: a failure inside the action names its errorCode and the remote's words, not a missing action") {
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, action_failed(404, "not.found", remote_words, remote_words));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    INFO(r.error().describe());
    CHECK(r.error().code == "ACTION.REMOTE_ENDPOINT");
    CHECK(r.error().message.find("Connection reset") != std::string::npos);
    CHECK(r.error().hint.find("GCX_ACTION_ID") == std::string::npos);  // the action exists: it ran
    CHECK(r.error().hint.find("remote") != std::string::npos);

    cl.transport().then(endpoint::action, action_failed(500, "internal.server.error", generic_500, remote_words));
    auto s = cl.lookup(phone);
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == errc::server);
    CHECK(s.error().code == "ACTION.REMOTE_ENDPOINT");
    CHECK(s.error().message.find("Connection reset") != std::string::npos);  // not the generic words
    CHECK(cl.transport().count(endpoint::action) == 2);                      // not read-only: not executed again
}

TEST_CASE("data_action: a read-only action whose remote failed (a 500 naming it) is executed again") {
    auto c = action_config();
    c.action.idempotent = true;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, action_failed(500, "internal.server.error", generic_500, remote_words))
        .then(endpoint::action, executed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.found == true);
    CHECK(cl.transport().count(endpoint::action) == 2);
    // A plain 500 (Genesys Cloud's own failure) is still not retried.
    cl.transport().then(endpoint::action, error_body(500, "internal.server.error", generic_500));
    auto plain = cl.lookup(phone);
    REQUIRE_FALSE(plain);
    CHECK(cl.transport().count(endpoint::action) == 3);
}

TEST_CASE("data_action: a secure action's failure keeps the errorCode that says it ran, none of its words") {
    auto c = action_config();
    c.action.secure = true;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, action_failed(500, "internal.server.error", generic_500, remote_words));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "ACTION.REMOTE_ENDPOINT");
    CHECK(r.error().message.find("Connection reset") == std::string::npos);
}

TEST_CASE("data_action: a secure action has none of its input or output values in any error") {
    auto c = action_config();
    c.action.secure = true;
    auto cl = make_client(c);
    const std::string leaky =
        "Remote said: customer Maria Schmidt (+13175550123, account ACCT-99172) not in segment platinum-emea";
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, error_body(400, "bad.request", leaky));
    auto r = cl.lookup(phone, boost::json::parse(R"({"Flow.account":"ACCT-99172","segment":"platinum-emea"})"));
    REQUIRE_FALSE(r);
    const std::string text = r.error().describe();
    CHECK(r.error().kind == errc::bad_request);
    CHECK(r.error().code == "bad.request");  // the code is kept
    CHECK(r.error().correlation_id == "corr-bad.request");
    for (std::string v : {"Maria", "+13175550123", "ACCT-99172", "platinum-emea", "Remote said"}) {
        INFO(v);
        CHECK(text.find(v) == std::string::npos);
    }
    CHECK(r.error().message.find("withheld") != std::string::npos);
    // The inputs went out as they are (secure only concerns what gcx shows).
    CHECK(boost::json::parse(cl.transport().log().back().body) ==
          boost::json::parse(R"({"account":"ACCT-99172","segment":"platinum-emea","phoneNumber":"+13175550123"})"));

    // A value of an input echoed in the code or the correlation id is scrubbed as well.
    cl.transport().then(endpoint::action,
                        respond(500, R"({"code":"no.ACCT-99172","message":"x","contextId":"ctx-platinum-emea"})"));
    auto e = cl.lookup(phone, boost::json::parse(R"({"account":"ACCT-99172","segment":"platinum-emea"})"));
    REQUIRE_FALSE(e);
    CHECK(e.error().describe().find("ACCT-99172") == std::string::npos);
    CHECK(e.error().describe().find("platinum-emea") == std::string::npos);
    // A number input too (only string inputs were scrubbed).
    cl.transport().then(endpoint::action,
                        respond(500, R"({"code":"no.account.99172001","message":"x","contextId":"ctx-99172001"})"));
    auto n = cl.lookup(phone, boost::json::parse(R"({"account":99172001})"));
    REQUIRE_FALSE(n);
    CHECK(n.error().describe().find("99172001") == std::string::npos);

    // Mapping errors never quote a value; the found rule's neither.
    cl.transport()
        .then(endpoint::action, executed(R"({"found":"Maria Schmidt"})"))
        .then(endpoint::action,
              executed(R"({"found":true,"contactId":"8a7f","openCases":"Maria Schmidt","home":{"city":"x"}})"));
    auto f = cl.lookup(phone);
    REQUIRE_FALSE(f);
    CHECK(f.error().describe().find("Maria") == std::string::npos);
    auto m = cl.lookup<strict_customer>(phone);
    REQUIRE_FALSE(m);
    CHECK(m.error().path == R"(output["openCases"])");
    CHECK(m.error().describe().find("Maria") == std::string::npos);
}

TEST_CASE("data_action: the deadline bounds the waits, as for every request") {
    auto c = action_config();
    c.lookup_timeout = gcx::milliseconds{5000};
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "3"}}))
        .then(endpoint::action, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "3"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::rate_limited);
    CHECK(r.error().message.find("no time left") != std::string::npos);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{3000});
    CHECK(cl.transport().count(endpoint::action) == 2);
}

// ---- the chains --------------------------------------------------------------------------------

TEST_CASE("data_action: data_action_then_flow falls back to the flow on 403, on the same token") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_flow));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(403, "missing.any.permissions", "need [integrations:action:execute]"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.found":true,"Flow.contactId":"8a7f"})"));
    auto r = cl.lookup<customer>(phone, extra_inputs{"voice", std::nullopt});
    REQUIRE(r);
    CHECK(r->execution.source == "flow");
    CHECK(r->execution.fallback_reason.find("permission") != std::string::npos);
    CHECK(r->execution.requests == 4);  // token, refused execute, launch, poll
    CHECK(r->execution.id == exec_id);
    CHECK_FALSE(r->execution.found.has_value());
    CHECK(r->outputs.found);  // one struct serves both: member found binds "Flow.found" for the flow
    CHECK(r->outputs.contactId == "8a7f");
    CHECK(cl.transport().count(endpoint::token) == 1);
    const auto log = cl.transport().log();
    CHECK(boost::json::parse(log[1].body) == boost::json::parse(R"({"channel":"voice","phoneNumber":"+13175550123"})"));
    const auto launch = boost::json::parse(log[2].body);
    CHECK(launch.at("inputData") ==
          boost::json::parse(R"({"Flow.channel":"voice","Flow.PhoneNumber":"+13175550123"})"));
}

TEST_CASE("data_action: data_action_then_direct falls back to External Contacts on 404") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(404, "not.found", "Action custom_-_x not found"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[{"id":"8a7f","firstName":"Maria"}]})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("not_found") != std::string::npos);
    CHECK(r->execution.requests == 3);
    CHECK(r->outputs.at("Flow.Found").as_bool());
}

TEST_CASE("data_action: the chains fall back on the configured statuses only") {
    // A remote failure (400, 500) or a found_output error is an answer of the action: no fallback.
    for (int st : {400, 500}) {
        INFO(st);
        auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_flow));
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, error_body(st, "remote.failed", "no"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().http_status == st);
        CHECK(cl.transport().count(endpoint::launch) == 0);
    }
    {
        auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_direct));
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":1})"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == gcx::codes::found_output);
        CHECK(cl.transport().count(endpoint::whitepages) == 0);
    }
    {
        // A not-found answer is an answer: no fallback either.
        auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_direct));
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed(R"({"found":false})"));
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(r->execution.source == "data_action");
        CHECK(r->execution.found == false);
        CHECK(cl.transport().count(endpoint::whitepages) == 0);
    }
    // The action's own failure status, added to the list, falls back too; 404 then does not.
    auto c = action_config(gcx::lookup_strategy::data_action_then_direct);
    c.action.fallback_statuses = {400};
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(400, "bad.request", "remote 404"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"))
        .then(endpoint::action, error_body(404, "not.found", "no action"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("bad_request") != std::string::npos);
    auto n = cl.lookup(phone);
    REQUIRE_FALSE(n);
    CHECK(n.error().kind == errc::not_found);
    CHECK(cl.transport().count(endpoint::whitepages) == 1);
}

TEST_CASE(
    "data_action: an action that ran and whose remote answered 404, or a gateway's page, is no reason to fall back") {
    for (auto s : {gcx::lookup_strategy::data_action_then_flow, gcx::lookup_strategy::data_action_then_direct}) {
        INFO(gcx::to_string(s));
        auto cl = make_client(action_config(s));
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::action, action_failed(404, "not.found", remote_words, remote_words));
        auto ran = cl.lookup(phone);
        REQUIRE_FALSE(ran);
        CHECK(ran.error().code == "ACTION.REMOTE_ENDPOINT");
        // A 404 that is not Genesys Cloud's answer (a gateway's HTML page) says nothing of the action.
        cl.transport().then(endpoint::action, respond(404, "<html><body>404 Not Found</body></html>"));
        auto page = cl.lookup(phone);
        REQUIRE_FALSE(page);
        CHECK(cl.transport().count(endpoint::launch) == 0);
        CHECK(cl.transport().count(endpoint::whitepages) == 0);
        CHECK(cl.transport().count(endpoint::action) == 2);
    }
}

TEST_CASE("data_action: when the chain's second path fails too, the error still says why the first gave way") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_flow));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(404, "not.found", "Action not found"))
        .then(endpoint::launch, error_body(403, "missing.any.permissions", "need [architect:flow:launch]"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    INFO(r.error().describe());
    CHECK(r.error().kind == errc::permission);                            // the second path's failure
    CHECK(r.error().message.find("GCX_ACTION_ID") != std::string::npos);  // and the first's, with its hint
    CHECK(r.error().message.find("Action not found") != std::string::npos);
    CHECK(r.error().message.find(phone) == std::string::npos);
}

TEST_CASE("data_action: a refused token is no reason to fall back") {
    auto cl = make_client(action_config(gcx::lookup_strategy::data_action_then_direct));
    cl.transport().then(endpoint::token, respond(401, R"({"error":"invalid_client","description":"bad"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::auth);
    CHECK(cl.transport().count(endpoint::whitepages) == 0);
}

TEST_CASE("data_action: the fallback runs within what is left of the same deadline") {
    auto c = action_config(gcx::lookup_strategy::data_action_then_direct);
    c.lookup_timeout = gcx::milliseconds{10000};
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "4"}}))
        .then(endpoint::action, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "4"}}))
        .then(endpoint::action, error_body(403, "missing.any.permissions", "no"))
        .then(endpoint::whitepages, error_body(503, "unavailable", "busy", {{"Retry-After", "3"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::server);
    CHECK(r.error().message.find("no time left") != std::string::npos);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{8000});
}

TEST_CASE("data_action: a secure action's fallback reason holds none of its values") {
    auto c = action_config(gcx::lookup_strategy::data_action_then_direct);
    c.action.secure = true;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(403, "missing.any.permissions", "customer Maria Schmidt is restricted"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("permission") != std::string::npos);
    CHECK(r->execution.fallback_reason.find("Maria") == std::string::npos);
}

TEST_CASE("data_action: a secure action's 404 in the integrations' own shape still falls back, with its code") {
    // {errorCode, userMessage, correlationId}: the words go, the code and the id stay, so the
    // chain knows the action could not run.
    auto c = action_config(gcx::lookup_strategy::data_action_then_direct);
    c.action.secure = true;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action,
              respond(404,
                      R"({"status":404,"errorCode":"NOT_FOUND","userMessage":"customer Maria Schmidt: no such action",)"
                      R"("correlationId":"6d2b8e4f-aaaa-4c1e-8d59-0c2f5b7a1e33"})"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("NOT_FOUND") != std::string::npos);
    CHECK(r->execution.fallback_reason.find("Maria") == std::string::npos);
}

// ---- the operation by hand, the other backend --------------------------------------------------

TEST_CASE("data_action: the strategy operation runs under a hand-written driver") {
    auto s = gcx::session::create(action_config(gcx::lookup_strategy::data_action_then_flow));
    REQUIRE(s);
    const auto now = manual_clock::start();
    const auto wall = std::chrono::system_clock::now();
    gcx::strategy_operation<J> op(*s, phone, now);
    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::token);
    op.on_response(token_ok(), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::action);
    op.on_response(error_body(404, "not.found", "no action"), now, wall);
    CHECK_FALSE(op.done());  // the flow is next
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::launch);
    op.on_response(launched(), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::sleep);
    a = op.next(a.until);
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(completed(), a.until, wall);
    CHECK(op.next(now).kind == gcx::action::type::done);
    CHECK(op.done());
    auto r = op.take_result();
    REQUIRE(r);
    CHECK(r->execution.source == "flow");
    CHECK(r->execution.requests == 4);

    // A data action's 404 is not remembered (refusal_memory.hpp): the same session asks again.
    gcx::data_action_operation<J> direct_op(*s, phone, now);
    a = direct_op.next(now);  // the token is cached by now
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == execute_url);
    direct_op.on_response(executed(R"({"found":true,"contactId":"8a7f"})"), now, wall);
    CHECK(direct_op.done());
    auto m = direct_op.take_result_as<customer>();
    REQUIRE(m);
    CHECK(m->outputs.contactId == "8a7f");
}

TEST_CASE("data_action: the nlohmann backend gives the same answer") {
    using N = gcx::json::nlohmann;
    auto cl = make_client<N>(action_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::action, executed());
    auto r = cl.lookup<customer>(phone, extra_inputs{"chat", 1});
    REQUIRE(r);
    CHECK(r->outputs.home->city == "Indianapolis");
    CHECK(r->outputs.tier == "gold");
    CHECK(r->execution.found == true);
    CHECK(boost::json::parse(cl.transport().log().back().body) ==
          boost::json::parse(R"({"channel":"chat","maxResults":1,"phoneNumber":"+13175550123"})"));
}

// ---- configuration -----------------------------------------------------------------------------

TEST_CASE("data_action: the configuration needs an action id of the right form, and no flow") {
    auto c = action_config();
    CHECK(c.validate());
    c.action.action_id.clear();
    auto missing = c.validate();
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == errc::config);
    CHECK(missing.error().message.find("GCX_ACTION_ID") != std::string::npos);
    for (std::string bad :
         {std::string("custom/../x"), std::string("has space"), std::string(257, 'a'), std::string("x?flatten=true"),
          std::string("."), std::string("..")}) {  // "." and "..": path steps, kept as they are by url_encode
        INFO(bad);
        c.action.action_id = bad;
        auto v = c.validate();
        REQUIRE_FALSE(v);
        CHECK(v.error().kind == errc::config);
        CHECK(v.error().code == gcx::codes::action_id);
    }
    c.action.action_id = action_id;
    c.action.input_key.clear();
    CHECK_FALSE(c.validate());
    c.action.input_key = "phoneNumber";
    c.action.fallback_statuses = {403, 42};
    CHECK_FALSE(c.validate());

    // data_action_then_flow needs the flow too; data_action_then_direct does not.
    auto chain = action_config(gcx::lookup_strategy::data_action_then_flow);
    chain.flow_id.clear();
    CHECK_FALSE(chain.validate());
    CHECK(action_config(gcx::lookup_strategy::data_action_then_direct).validate());
    // The other strategies need no action id.
    auto flow = config();
    CHECK(flow.validate());
}

TEST_CASE("data_action: from_env reads GCX_ACTION_ID, and TARGET_FLOW_ID only when the flow is used") {
    auto env = [](std::map<std::string, std::string> vars) {
        return [vars](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    };
    const std::map<std::string, std::string> base{{"GENESYS_CLIENT_ID", "id"}, {"GENESYS_CLIENT_SECRET", "s"}};
    auto with_action = base;
    with_action["GCX_ACTION_ID"] = action_id;
    auto c = gcx::client_config::from_env(gcx::lookup_strategy::data_action, env(with_action));
    REQUIRE(c);
    CHECK(c->action.action_id == action_id);
    CHECK(c->flow_id.empty());

    auto no_action = gcx::client_config::from_env(gcx::lookup_strategy::data_action, env(base));
    REQUIRE_FALSE(no_action);
    CHECK(no_action.error().message.find("GCX_ACTION_ID") != std::string::npos);

    auto no_flow = gcx::client_config::from_env(gcx::lookup_strategy::data_action_then_flow, env(with_action));
    REQUIRE_FALSE(no_flow);
    CHECK(no_flow.error().message.find("TARGET_FLOW_ID") != std::string::npos);

    auto bad = with_action;
    bad["GCX_ACTION_ID"] = "a b";
    auto b = gcx::client_config::from_env(gcx::lookup_strategy::data_action, env(bad));
    REQUIRE_FALSE(b);
    CHECK(b.error().code == gcx::codes::action_id);
    CHECK(b.error().message.find("GCX_ACTION_ID") != std::string::npos);
}

TEST_CASE("data_action: strategy names round-trip") {
    using S = gcx::lookup_strategy;
    for (S s : {S::flow, S::direct, S::flow_then_direct, S::data_action, S::data_action_then_flow,
                S::data_action_then_direct}) {
        INFO(gcx::to_string(s));
        CHECK(gcx::parse_lookup_strategy(gcx::to_string(s)) == s);
    }
    CHECK(std::string(gcx::to_string(S::data_action_then_flow)) == "data-action-then-flow");
    CHECK(gcx::parse_lookup_strategy("data_action_then_direct") == S::data_action_then_direct);
    CHECK_FALSE(gcx::parse_lookup_strategy("data-action-then"));
    CHECK_FALSE(gcx::parse_lookup_strategy(""));
    CHECK(gcx::uses_flow(S::data_action_then_flow));
    CHECK_FALSE(gcx::uses_flow(S::data_action_then_direct));
    CHECK(gcx::uses_data_action(S::data_action_then_direct));
    CHECK_FALSE(gcx::uses_data_action(S::flow_then_direct));
}

TEST_CASE("data_action: error_from_response knows the execute call") {
    using gcx::operation;
    CHECK(std::string(gcx::to_string(operation::data_action)) == "data action execution");
    CHECK(std::string(gcx::required_permission(operation::data_action)) == "integrations:action:execute");
    auto e = gcx::error_from_response<J>(*error_body(504, "gateway.timeout", "The remote endpoint timed out"),
                                         operation::data_action);
    CHECK(e.kind == errc::server);
    CHECK(e.code == "gateway.timeout");
    CHECK(e.hint.find("timeoutSeconds") != std::string::npos);
}

TEST_CASE("data_action: a remote's 401 (an ACTION. errorCode) is not executed again, nor a refusal of the client") {
    auto cl = make_client(action_config());
    int minted = 0;
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token: return token_ok(86400, "TOKEN-" + std::to_string(++minted));
        case endpoint::action: return action_failed(401, "bad.credentials", "remote refused", remote_words);
        default: return error_body(500, "x", "unexpected");
        }
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "ACTION.REMOTE_ENDPOINT");
    CHECK(cl.transport().count(endpoint::action) == 1);  // the action ran: no new token, no second execution
    CHECK(cl.tokens().refusals() == 0);
    (void)cl.lookup(phone);
    CHECK(cl.transport().count(endpoint::action) == 2);  // the next lookup runs
}

TEST_CASE("data_action: without the found key, one output with a value is found, whatever outputs follow it") {
    // Without the found key, a zero after the contact's id would report the contact as not found.
    auto cl = make_client(action_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, executed(R"({"contactId":"8a7f","openCases":0})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.found == true);
}

}  // namespace unit_data_action
