// include/gcx/strategy.hpp: each strategy, each fallback reason, the deadline across the
// fallback, and the operation driven by hand as an event loop would.
#include "fakes.hpp"

#include <gcx/models.hpp>
#include <gcx/strategy.hpp>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_strategy {

using namespace fakes;
using gcx::errc;
using J = gcx::json::boost_json;

namespace {
const std::string contact = R"({"id":"8a7f","firstName":"Maria","lastName":"Schmidt"})";
gcx::client_config with(gcx::lookup_strategy s) {
    auto c = config();
    c.strategy = s;
    return c;
}
}  // namespace

TEST_CASE("strategy: flow runs the workflow only") {
    auto cl = make_client(with(gcx::lookup_strategy::flow));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "flow");
    CHECK(r->execution.requests == 3);
    CHECK(cl.transport().unused() == 0);
}

TEST_CASE("strategy: direct asks External Contacts only, in the flow's output shape") {
    auto c = with(gcx::lookup_strategy::direct);
    c.flow_id.clear();  // no flow needed
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages, respond(200, R"({"contacts":[)" + contact + "]}"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->execution.fallback_reason.empty());
    CHECK(cl.transport().count(endpoint::launch) == 0);
}

TEST_CASE("strategy: flow_then_direct falls back when the launch is refused with 403") {
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(403, "missing.any.permissions", "need [architect:flow:launch]"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[)" + contact + "]}"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("permission") != std::string::npos);
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->execution.requests == 3);  // token, refused launch, direct lookup
    CHECK(cl.transport().count(endpoint::token) == 1);
}

TEST_CASE("strategy: flow_then_direct falls back on 404 but not on a failed flow, a 400 or a timeout") {
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(404, "not.found", "no flow"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.fallback_reason.find("not_found") != std::string::npos);

    auto failed = make_client(with(gcx::lookup_strategy::flow_then_direct));
    failed.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, status("FAILED"));
    auto f = failed.lookup(phone);
    REQUIRE_FALSE(f);
    CHECK(f.error().kind == errc::flow_failed);
    CHECK(failed.transport().count(endpoint::whitepages) == 0);

    auto bad = make_client(with(gcx::lookup_strategy::flow_then_direct));
    bad.transport().then(endpoint::token, token_ok()).then(endpoint::launch, error_body(400, "bad.request", "input"));
    auto b = bad.lookup(phone);
    REQUIRE_FALSE(b);
    CHECK(b.error().kind == errc::bad_request);
    CHECK(bad.transport().count(endpoint::whitepages) == 0);
}

TEST_CASE("strategy: when the direct lookup fails too, the error still says why the launch gave way") {
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(404, "not.found", "flow not found"))
        .then(endpoint::whitepages, error_body(403, "missing.any.permissions", "need [externalContacts:contact:view]"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    INFO(r.error().describe());
    CHECK(r.error().kind == errc::permission);
    CHECK(r.error().message.find("TARGET_FLOW_ID") != std::string::npos);
    CHECK(r.error().message.find("flow not found") != std::string::npos);
}

TEST_CASE("strategy: the fallback runs within what is left of the same deadline") {
    auto c = with(gcx::lookup_strategy::flow_then_direct);
    c.lookup_timeout = gcx::milliseconds{10000};
    auto cl = make_client(c);
    // The launch waits out two 429s (4 s each), then is refused: 8 s of the 10 are spent.
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "4"}}))
        .then(endpoint::launch, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "4"}}))
        .then(endpoint::launch, error_body(403, "missing.any.permissions", "no"))
        .then(endpoint::whitepages, error_body(503, "unavailable", "busy", {{"Retry-After", "3"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    // The direct lookup's 503 asks for 3 s, more than the 2 s left: it stops on the deadline,
    // where a fresh deadline would have retried.
    CHECK(r.error().kind == errc::server);
    CHECK(r.error().message.find("no time left") != std::string::npos);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{8000});
    CHECK(cl.transport().count(endpoint::whitepages) == 1);
}

TEST_CASE("strategy: the operation runs under a hand-written driver like any other") {
    auto s = gcx::session::create(with(gcx::lookup_strategy::flow_then_direct));
    REQUIRE(s);
    const auto now = manual_clock::start();
    const auto wall = std::chrono::system_clock::now();
    gcx::strategy_operation<J> op(*s, phone, now);
    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(token_ok(), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::launch);
    op.on_response(error_body(404, "not.found", "no flow"), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::whitepages);
    CHECK_FALSE(op.done());
    op.on_response(respond(200, R"({"contacts":[)" + contact + "]}"), now, wall);
    CHECK(op.next(now).kind == gcx::action::type::done);
    CHECK(op.done());
    auto r = op.take_result_as<gcx::customer_lookup>();
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->outputs.Found.value_or(false));
}

TEST_CASE("strategy: the default is the flow, with no fallback") {
    auto cl = make_client();
    CHECK(cl.config().strategy == gcx::lookup_strategy::flow);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(403, "missing.any.permissions", "no"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::permission);
    CHECK(cl.transport().count(endpoint::whitepages) == 0);
}

TEST_CASE("strategy: a flow_then_direct fallback reports the credential the direct lookup went out with") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::flow_then_direct;
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-123")});
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));  // credential 0
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(403, "missing.any.permissions", "no launch"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);  // credential 1: the launch refused, then the direct lookup
    REQUIRE(r);
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.credential == 1);  // before: 0
}

// ---- answers and inputs the paths must not misread (each failed before its fix) --------------------

TEST_CASE("strategy: a gateway's 404 page on the launch is neither a missing flow to fall back from nor to remember") {
    // data_action.hpp (cannot_run) and direct.hpp (identifier 404) take only a Genesys ErrorBody
    // for "the target does not exist"; the flow chain and refusal_memory take any 404.
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, respond(404, "<html><body>404 Not Found</body></html>"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    CHECK_FALSE(r);  // before: answered by the direct lookup
    CHECK(cl.transport().count(endpoint::whitepages) == 0);
    auto again = cl.lookup(phone);  // within unknown_target_backoff
    REQUIRE(again);                 // before: the remembered "no such flow"
    CHECK(again->execution.source == "flow");
    CHECK(cl.transport().count(endpoint::launch) == 2);  // before: 1
}

TEST_CASE("strategy: a secure action's input values stay out of its chain's flow error") {
    auto c = with(gcx::lookup_strategy::data_action_then_flow);
    c.action.action_id = "custom_-_5b8e1f3a";
    c.action.secure = true;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(404, "not.found", "no action"))
        .then(endpoint::launch,
              error_body(400, "invalid.value", "Value [ACCT-99172] is not valid for field type [Flow.account]"));
    auto r = cl.lookup(phone, boost::json::parse(R"({"Flow.account":"ACCT-99172"})"));
    REQUIRE_FALSE(r);
    CHECK(cl.transport().count(endpoint::launch) == 1);
    CHECK(r.error().describe().find("ACCT-99172") == std::string::npos);  // before: quoted
}

TEST_CASE("strategy: execution.queued after a fallback is the budget wait, not the first path's run") {
    auto c = with(gcx::lookup_strategy::data_action_then_flow);
    c.action.action_id = "custom_-_5b8e1f3a";
    auto cl = make_client(c);  // pacing off: nothing ever waits for the budget
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::action, error_body(429, "too.many.requests", "slow", {{"Retry-After", "3"}}))
        .then(endpoint::action, error_body(404, "not.found", "no action"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.source == "flow");
    CHECK(r->execution.queued == gcx::milliseconds{0});  // before: 3000 (the action's 429 wait)
}

TEST_CASE("strategy: a FAILED execution without flowErrorInfo keeps the launch's correlation id") {
    auto cl = make_client(with(gcx::lookup_strategy::flow));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())  // ININ-Correlation-Id: corr-launch-1
        .then(endpoint::poll, status("FAILED", R"(,"completionReason":"Error")"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::flow_failed);
    CHECK(r.error().correlation_id == "corr-launch-1");  // before: empty
}

TEST_CASE("strategy: the launch answer's flowVersion id is scrubbed like the poll's") {
    auto cl = make_client(with(gcx::lookup_strategy::flow));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, respond(200, R"({"id":")" + exec_id + R"(","flowVersion":{"id":")" + phone + " " +
                                                 access_token + R"("}})"))
        .then(endpoint::poll,
              respond(200, R"({"id":")" + exec_id +
                               R"(","dateLaunched":"2026-05-20T14:03:11.204Z","status":"COMPLETED","outputData":{}})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.flow_version.find(phone) == std::string::npos);  // before: kept
    CHECK_FALSE(leaks_secret(r->execution.flow_version));
}

TEST_CASE("strategy: a data action error in the integrations' own shape is read (userMessage, correlationId)") {
    // help.mypurecloud.com "Data action returns a 400 error": an execution's failure body.
    auto c = with(gcx::lookup_strategy::data_action);
    c.flow_id.clear();
    c.action.action_id = "custom_-_5b8e1f3a";
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(
            endpoint::action,
            respond(
                400,
                R"({"status":400,"errorCode":"BAD_REQUEST","userMessage":"The request could not be understood by the server due to malformed syntax.","userParams":[],"correlationId":"fbb8bb72-0637-4028-b7d8-caba6686244b","details":[{"errorCode":"ACTION.REMOTE_ENDPOINT"}],"errors":[{"status":400,"errorCode":"BAD_REQUEST","userMessage":"REST call for action execute failed. Message: Request to backend service failed.","userParams":[],"details":[],"errors":[]}]})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "ACTION.REMOTE_ENDPOINT");
    CHECK(r.error().correlation_id == "fbb8bb72-0637-4028-b7d8-caba6686244b");                  // before: empty
    CHECK(r.error().message.find("REST call for action execute failed") != std::string::npos);  // before: generic
}

TEST_CASE(
    "strategy: a chain's fallback flow asks its launch again once a remembered refusal ran out while the action ran") {
    // A launch's 404 is remembered for unknown_target_backoff; the chain's flow starts when the
    // action gives way, up to a timeout after the lookup was made: the memory is asked then.
    auto c = config();
    c.strategy = gcx::lookup_strategy::data_action_then_flow;
    c.action.action_id = "custom_-_5b8e1f3a";
    c.unknown_target_backoff = gcx::milliseconds{60000};
    auto s = gcx::session::create(c);
    REQUIRE(s);
    const auto t0 = manual_clock::start();
    const auto wall = std::chrono::system_clock::now();
    {  // at t0 a flow lookup's launch is answered 404: remembered until t0 + 60 s
        gcx::lookup_operation<J> op(*s, phone, t0);
        op.next(t0);
        op.on_response(token_ok(), t0, wall);
        auto a = op.next(t0);
        REQUIRE(classify(a.request) == endpoint::launch);
        op.on_response(error_body(404, "not.found", "no flow"), t0, wall);
        REQUIRE(op.next(t0).kind == gcx::action::type::done);
        REQUIRE_FALSE(op.take_result());
    }
    const auto t50 = t0 + gcx::milliseconds{50000}, t65 = t0 + gcx::milliseconds{65000};
    gcx::strategy_operation<J> op(*s, phone, t50);
    auto a = op.next(t50);
    REQUIRE(classify(a.request) == endpoint::action);
    op.on_response(error_body(404, "not.found", "no action"), t65, wall);  // a slow remote: 15 s later
    a = op.next(t65);
    REQUIRE(a.kind == gcx::action::type::send);  // before: done, with the refusal that had run out
    CHECK(classify(a.request) == endpoint::launch);
    // Within the memory, the chain's flow still gets the refusal without asking.
    gcx::strategy_operation<J> again(*s, phone, t65);
    again.next(t65);
    again.on_response(error_body(404, "not.found", "no action"), t65, wall);
    auto b = again.next(t65);
    REQUIRE(b.kind == gcx::action::type::send);
    again.on_response(error_body(404, "not.found", "no flow"), t65, wall);  // remembered again at t65
    gcx::strategy_operation<J> third(*s, phone, t65 + gcx::milliseconds{1000});
    third.next(t65 + gcx::milliseconds{1000});
    third.on_response(error_body(404, "not.found", "no action"), t65 + gcx::milliseconds{1000}, wall);
    CHECK(third.next(t65 + gcx::milliseconds{1000}).kind == gcx::action::type::done);
}

TEST_CASE("strategy: flow_then_direct does not fall back once the flow was launched, even on a poll's 404") {
    // The flow was launched and may have run (and acted): a fallback would do the lookup a second
    // time and hide why the flow's lookup failed.
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(404, "not.found", "execution not found"))
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::not_found);
    CHECK(cl.transport().count(endpoint::whitepages) == 0);
}

TEST_CASE("strategy: flow_then_direct does not fall back when the launch fails on its credentials") {
    // A 401 is no refusal of the flow: falling back would hide the credential failure behind a
    // direct lookup's answer.
    auto cl = make_client(with(gcx::lookup_strategy::flow_then_direct));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));  // the credential worked once: a later 401 is not a refusal of it
    cl.transport()
        .then(endpoint::launch, error_body(401, "bad.credentials", "Invalid login credentials."))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "Invalid login credentials."))
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::auth);
    CHECK(cl.transport().count(endpoint::whitepages) == 0);
}

}  // namespace unit_strategy
