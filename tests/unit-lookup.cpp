// The lookup operation (launch -> poll -> outputData) driven by basic_client over a scripted
// transport and a manual clock: every path of include/gcx/lookup.hpp. The rules every API call
// follows (token, 401, retries, deadline; include/gcx/call.hpp) are tested in unit-call.cpp.
#include "fakes.hpp"

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_lookup {

using namespace fakes;
using gcx::errc;
using J = gcx::json::boost_json;

TEST_CASE("lookup: completes with no RUNNING poll") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->execution.id == exec_id);
    CHECK(r->execution.status == "COMPLETED");
    CHECK(r->execution.completion_reason == "Success");
    CHECK(r->execution.flow_version == "3.0");
    CHECK(r->execution.correlation_id == "corr-launch-1");
    CHECK(r->execution.polls == 1);
    CHECK(r->execution.requests == 3);
    CHECK(cl.transport().unused() == 0);
    CHECK(cl.transport().mismatches().empty());
}

TEST_CASE("lookup: sends the real launch request shape") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup("+1 (317) 555-0123"));
    auto log = cl.transport().log();
    REQUIRE(log.size() == 3);

    const auto& tok = log[0];
    CHECK(tok.verb == method::post);
    CHECK(tok.url == "https://login.mypurecloud.com/oauth/token");
    CHECK(*tok.header("Authorization") == "Basic " + gcx::detail::base64(client_id + ":" + client_secret));
    CHECK(*tok.header("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(tok.body == "grant_type=client_credentials");

    const auto& launch = log[1];
    CHECK(launch.verb == method::post);
    CHECK(launch.url == "https://api.mypurecloud.com/api/v2/flows/executions");
    CHECK(*launch.header("Authorization") == "Bearer " + access_token);
    CHECK(*launch.header("Content-Type") == "application/json");
    auto body = boost::json::parse(launch.body).as_object();
    CHECK(body.at("flowId").as_string() == flow_id);
    CHECK(body.at("inputData").as_object().at("Flow.PhoneNumber").as_string() == "+13175550123");
    CHECK(body.at("name").as_string().size() > 11);
    CHECK_FALSE(body.contains("flowVersion"));
    CHECK_FALSE(body.contains("attributes"));  // the tutorial's invented field

    const auto& poll = log[2];
    CHECK(poll.verb == method::get);
    CHECK(poll.url == "https://api.mypurecloud.com/api/v2/flows/executions/" + exec_id);
    CHECK(poll.timeout <= gcx::milliseconds{16000});
}

TEST_CASE("lookup: flowVersion, input variable name and extra inputs are sent") {
    auto c = config();
    c.flow_version = "7.0";
    c.input_variable = "Flow.Ani";
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    boost::json::value extra = {{"Flow.Channel", "voice"}};
    REQUIRE(cl.lookup(phone, extra));
    auto body = boost::json::parse(cl.transport().log()[1].body).as_object();
    CHECK(body.at("flowVersion").as_string() == "7.0");
    CHECK(body.at("inputData").as_object().at("Flow.Ani").as_string() == phone);
    CHECK(body.at("inputData").as_object().at("Flow.Channel").as_string() == "voice");
}

TEST_CASE("lookup: one RUNNING poll, then COMPLETED") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, running())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.polls == 2);
    // waits: 200 ms before the first poll, 300 ms before the second
    CHECK(cl.clock().elapsed() == gcx::milliseconds{500});
}

TEST_CASE("lookup: several RUNNING polls back off to the cap") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    for (int i = 0; i < 8; ++i) cl.transport().then(endpoint::poll, running());
    cl.transport().then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.polls == 9);
    // 200, 300, 450, 675, 1013, 1520 (x1.5, rounded up), 2000 (cap), 2000, 2000
    CHECK(cl.clock().elapsed() == gcx::milliseconds{200 + 300 + 450 + 675 + 1013 + 1520 + 2000 + 2000 + 2000});
}

TEST_CASE("lookup: a status value never seen before keeps polling") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, status("QUEUED_FOR_REVIEW"))
        .then(endpoint::poll, status("UNKNOWN"))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.polls == 3);
}

TEST_CASE("lookup: COMPLETED without outputData gives an empty object") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, status("COMPLETED"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs.is_object());
    CHECK(r->outputs.as_object().empty());
}

TEST_CASE("lookup: token reused across lookups") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok());
    for (int i = 0; i < 3; ++i) cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    for (int i = 0; i < 3; ++i) REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::token) == 1);
    CHECK(cl.tokens().tokens_fetched() == 1);
}

TEST_CASE("lookup: token refreshed ahead of expiry") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok(3600, "first-token"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    // 3600 s token, 60 s window: at 3540 s (minus the 200 ms the first lookup took) it is stale.
    cl.clock().advance(std::chrono::seconds{3539});
    cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::token) == 1);
    cl.clock().advance(std::chrono::seconds{1});
    cl.transport()
        .then(endpoint::token, token_ok(3600, "second-token"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::token) == 2);
    CHECK(*cl.transport().log().back().header("Authorization") == "Bearer second-token");
}

TEST_CASE("lookup: a truncated poll answer is retried, then a protocol error") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, respond(200, R"({"id":"c0a8","status":"COMPL)"))
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));

    auto c2 = make_client();
    c2.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    c2.transport().set_fallback([](const gcx::http::request&) -> answer { return respond(200, "{\"status\":"); });
    auto r = c2.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
}

TEST_CASE("lookup: FAILED carries flowErrorInfo, completionReason and the execution id") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(
            endpoint::poll,
            status(
                "FAILED",
                R"(,"completionReason":"Error","flowErrorInfo":{"message":"The flow encountered an error while running the Search External Contacts action.","code":"flow.execution.error","status":500,"contextId":"5b1e3c2d","details":[],"errors":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    const auto& e = r.error();
    CHECK(e.kind == errc::flow_failed);
    CHECK(e.code == "flow.execution.error");
    CHECK(e.execution_id == exec_id);
    CHECK(e.correlation_id == "5b1e3c2d");
    CHECK(e.message.find("FAILED") != std::string::npos);
    CHECK(e.message.find("completionReason: Error") != std::string::npos);
    CHECK(e.message.find("Search External Contacts") != std::string::npos);
    CHECK_FALSE(e.hint.empty());
}

TEST_CASE("lookup: ERROR and TERMINATED are failures too") {
    for (const char* st : {"ERROR", "TERMINATED"}) {
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll, status(st));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::flow_failed);
    }
}

TEST_CASE("lookup: deadline reached while RUNNING is a timeout with the execution id") {
    auto c = config();
    c.lookup_timeout = gcx::milliseconds{5000};
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([](const gcx::http::request&) { return running(); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::timeout);
    CHECK(r.error().execution_id == exec_id);
    CHECK(r.error().message.find("RUNNING") != std::string::npos);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{5000});
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("lookup: a run time longer than the client saw the execution take is not learned") {
    // Both dates are the server's, taken between the launch going out and the poll's answer: a
    // run longer than that is a broken or hostile server's, and learning it would put every later
    // lookup's first poll past its deadline.
    auto c = config();
    c.poll.adaptive = true;  // learning on, as by default
    auto cl = make_client(c);
    const auto& runs = cl.session().run_times();
    const std::string flow = cl.config().flow_id;
    const auto fifty_minutes = status(
        "COMPLETED", R"(,"dateCompleted":"2026-05-20T14:53:11.204Z","completionReason":"Success","outputData":{})");
    cl.transport().then(endpoint::token, token_ok());
    for (int i = 0; i < 8; ++i) cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, fifty_minutes);
    for (int i = 0; i < 8; ++i) REQUIRE(cl.lookup(phone));
    CHECK(runs.samples(flow) == 0);
    // The same lookups with a run time the client could have seen (783 ms) are learned.
    for (int i = 0; i < 8; ++i) cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    for (int i = 0; i < 8; ++i) REQUIRE(cl.lookup(phone));
    CHECK(runs.samples(flow) == 8);
    CHECK(cl.transport().unused() == 0);
}

TEST_CASE("lookup: polls answered RUNNING after the execution's reported completion teach the plan to poll later") {
    // fakes' executions report 783 ms (dateLaunched .204, dateCompleted .987); each is answered
    // RUNNING once, at the plan's first poll (about a second in), and COMPLETED at the next: the
    // platform's answers trail its dates, and the plan learns by how much.
    auto c = config();
    c.poll.adaptive = true;
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok());
    for (int i = 0; i < 8; ++i) {
        cl.transport()
            .then(endpoint::launch, launched())
            .then(endpoint::poll, running())
            .then(endpoint::poll, completed());
        REQUIRE(cl.lookup(phone));
    }
    const auto plan = cl.session().run_times().plan(cl.config().flow_id, cl.config().poll);
    CHECK(plan.learned);
    CHECK(plan.shift > gcx::milliseconds{100});  // the first polls went out about 200 ms after 783 ms
    CHECK(plan.first > gcx::milliseconds{783} + plan.shift - gcx::milliseconds{100});
    CHECK(cl.transport().unused() == 0);
}

TEST_CASE("lookup: a lookup polling on the prior takes the flow's learned plan once there is one") {
    // The lookup starts before any run of the flow ended: it polls on the prior (about 1 s, then
    // steps). While it polls, other lookups learn the flow as taking 6 s: its next poll is the
    // learned plan's first, not the prior's next step.
    auto c = config();
    c.poll.adaptive = true;
    c.lookup_timeout = gcx::milliseconds{30000};
    auto cl = make_client(c);
    auto& runs = cl.session().run_times();
    const std::string flow = cl.config().flow_id;
    REQUIRE_FALSE(runs.plan(flow, cl.config().poll).learned);
    std::vector<gcx::milliseconds> polled_at;
    gcx::poll_plan learned;
    const auto start = cl.clock().now();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([&](const gcx::http::request&) {
        polled_at.push_back(std::chrono::duration_cast<gcx::milliseconds>(cl.clock().now() - start));
        if (polled_at.size() == 1) {
            for (int i = 0; i < 16; ++i) runs.record(flow, gcx::milliseconds{6000});
            learned = runs.plan(flow, cl.config().poll);
        }
        return polled_at.back() >= gcx::milliseconds{6000} ? completed() : running();
    });
    auto r = cl.lookup(phone);
    REQUIRE(r);
    REQUIRE(learned.learned);
    CHECK(learned.first > gcx::milliseconds{5900});
    REQUIRE(polled_at.size() == 2);  // the prior's first poll, then the learned plan's
    CHECK(polled_at[0] < gcx::milliseconds{1500});
    CHECK(polled_at[1] >= learned.first);
    CHECK(polled_at[1] <= learned.first + gcx::milliseconds{50});
}

TEST_CASE("lookup: a first poll planned past the deadline is made before it") {
    // The flow was learned as taking 50 s; this lookup may take 30 s: it still polls once, a second
    // before its deadline, and ends with the execution's status instead of never asking.
    auto c = config();
    c.poll.adaptive = true;
    auto cl = make_client(c);
    for (int i = 0; i < 64; ++i) cl.session().run_times().record(cl.config().flow_id, gcx::milliseconds{50000});
    REQUIRE(cl.session().run_times().plan(cl.config().flow_id, cl.config().poll).first > cl.config().lookup_timeout);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([](const gcx::http::request&) { return running(); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::timeout);
    CHECK(r.error().message.find("RUNNING") != std::string::npos);
    CHECK(cl.transport().count(endpoint::poll) == 1);
    CHECK(cl.clock().elapsed() == cl.config().lookup_timeout);
    // And when the flow is done by then, that one poll gives the result.
    cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    auto ok = cl.lookup(phone);
    REQUIRE(ok);
    CHECK(ok->execution.polls == 1);
}

TEST_CASE("lookup: an invalid phone number is refused with zero requests") {
    for (const char* bad : {"", "13175550123", "+0123456789", "+123456", "+1234567890123456", "+1317555O123",
                            "+1+3175550123", "tel:+13175550123"}) {
        auto cl = make_client();
        auto r = cl.lookup(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::invalid_input);
        CHECK(cl.transport().log().empty());
    }
}

TEST_CASE("lookup: a client with an invalid flow id is never made, so nothing is sent") {
    auto c = config();
    c.flow_id = "customer-lookup";
    scripted_transport t;
    auto cl = client<>::create(c, t);
    REQUIRE_FALSE(cl);
    CHECK(cl.error().kind == errc::config);
    CHECK(cl.error().message.find("customer-lookup") != std::string::npos);
    CHECK(t.log().empty());
    // The session, what an event-loop driver uses, refuses it the same way.
    auto s = gcx::session::create(c);
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == errc::config);
}

TEST_CASE("lookup: a flow lookup on a session whose strategy needs no flow still refuses an invalid flow id") {
    // The session of a direct-strategy client does not check the flow id; a lookup_operation made
    // on it launches the flow all the same (before: the launch went out with "not a flow id").
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    c.flow_id = "not a flow id";
    auto cl = make_client(c);
    gcx::lookup_operation<J> op(cl.session(), phone, cl.clock().now());
    cl.run(op);
    auto r = op.take_result();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::config);
    CHECK(r.error().code == gcx::codes::flow_id);
    CHECK(cl.transport().log().empty());
}

TEST_CASE("lookup: 403 on launch names the permission in the hint") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch,
              error_body(403, "missing.any.permissions",
                         "You must have at least one of the following permissions assigned: [architect:flow:launch]"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::permission);
    CHECK(r.error().code == "missing.any.permissions");
    CHECK(r.error().correlation_id == "corr-missing.any.permissions");
    CHECK(r.error().hint.find("architect:flow:launch") != std::string::npos);
}

TEST_CASE("lookup: 403 on a poll names the view permission") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(403, "missing.any.permissions", "no view"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::permission);
    CHECK(r.error().hint.find("architect:flowExecution:view") != std::string::npos);
}

TEST_CASE("lookup: 404 on launch says wrong or unpublished flow") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(404, "not.found", "The requested resource was not found."));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::not_found);
    CHECK(r.error().request == gcx::operation::launch);
    CHECK(r.error().hint.find("published") != std::string::npos);
    CHECK(r.error().hint.find("TARGET_FLOW_ID") != std::string::npos);
}

TEST_CASE(
    "lookup: an error names the request that failed: the token's, the launch's or a poll's, and none for a bad number") {
    auto token = make_client();
    token.transport().then(endpoint::token, error_body(401, "invalid_client", "bad secret"));
    auto t = token.lookup(phone);
    REQUIRE_FALSE(t);
    CHECK(t.error().request == gcx::operation::token);

    auto poll = make_client();
    poll.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(404, "not.found", "no such execution"));
    auto p = poll.lookup(phone);
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == errc::not_found);
    CHECK(p.error().request == gcx::operation::poll);

    auto bad = make_client();
    auto b = bad.lookup("317-555");
    REQUIRE_FALSE(b);
    CHECK(b.error().kind == errc::invalid_input);
    CHECK_FALSE(b.error().request.has_value());
    CHECK(bad.transport().log().empty());
}

TEST_CASE("lookup: 400 on launch points at the flow's input variable") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch,
              error_body(400, "invalid.value", "Value [abc] is not valid for field type [Flow.PhoneNumber]."));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::bad_request);
    CHECK(r.error().code == "invalid.value");
    CHECK(r.error().hint.find("Input to flow") != std::string::npos);
}

TEST_CASE("lookup: 415 says the transport changed the Content-Type") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(415, "unsupported.media.type", "Unsupported Media Type"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::bad_request);
    CHECK(r.error().hint.find("Content-Type") != std::string::npos);
}

TEST_CASE("lookup: a launch answer without an id is a protocol error and is not re-sent") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, respond(200, "{}"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("lookup: bad credentials are an auth error that never shows the secret") {
    auto cl = make_client();
    cl.transport().then(
        endpoint::token,
        respond(
            401,
            R"({"error":"invalid_client","description":"client not found","error_description":"client not found"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::auth);
    CHECK(r.error().code == "invalid_client");
    CHECK(r.error().hint.find("GENESYS_CLIENT_SECRET") != std::string::npos);
    CHECK(cl.transport().count(endpoint::launch) == 0);
}

TEST_CASE("lookup: the sans-I/O operation can be driven by hand") {
    auto cfg = config();
    cfg.poll.adaptive = false;
    cfg.poll.initial = gcx::milliseconds{200};
    auto session = gcx::session::create(cfg);
    REQUIRE(session);
    auto now = manual_clock::start();
    const auto wall = std::chrono::system_clock::now();
    gcx::lookup_operation<J> op(*session, phone, now);
    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url.find("/oauth/token") != std::string::npos);
    op.on_response(token_ok(), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url.find("/flows/executions") != std::string::npos);
    op.on_response(launched(), now, wall);
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == now + gcx::milliseconds{200});
    now = a.until;
    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(completed(), now, wall);
    a = op.next(now);
    CHECK(a.kind == gcx::action::type::done);
    REQUIRE(op.take_result());
}

TEST_CASE("lookup: polls are timed from when the launch went out and when each poll was due") {
    // The server stamps dateLaunched when the launch arrives and sees a poll when it arrives, so a
    // schedule counted from the answers would fall one round trip later per poll than planned.
    auto cfg = config();
    cfg.poll.adaptive = false;
    cfg.poll.initial = gcx::milliseconds{200};  // fixed: 200 ms, then 300, 450, ...
    auto session = gcx::session::create(cfg);
    REQUIRE(session);
    const auto t0 = manual_clock::start();
    auto at = [&](int ms) { return t0 + gcx::milliseconds{ms}; };
    const auto wall = std::chrono::system_clock::now();
    gcx::lookup_operation<J> op(*session, phone, t0);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);  // the token
    op.on_response(token_ok(), t0, wall);
    a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);  // the launch, out at t0, answered at 50 ms
    op.on_response(launched(), at(50), wall);
    a = op.next(at(50));
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == at(200));  // 200 ms after the launch went out
    // The driver wakes 3 ms late; the answer takes 60 ms: the next poll is still due at 500.
    a = op.next(at(203));
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(running(), at(263), wall);
    a = op.next(at(263));
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == at(500));
    // Sent 400 ms late (the budget): the next one is due 450 ms after it went out.
    a = op.next(at(900));
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(running(), at(1000), wall);
    a = op.next(at(1000));
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == at(1350));
    // An answer slower than the interval: the next poll goes at once, the floor after the last.
    a = op.next(at(1350));
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(running(), at(2100), wall);
    a = op.next(at(2100));
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(completed(), at(2110), wall);
    a = op.next(at(2110));
    CHECK(a.kind == gcx::action::type::done);
    auto r = op.take_result();
    REQUIRE(r);
    CHECK(r->execution.polls == 4);
}

TEST_CASE("lookup: an operation moved while its launch is out still polls from when the launch went out") {
    // A driver may keep its operations in a container that grows (a std::vector of them): the
    // operation is moved between a send and its answer, and must go on as if it had not been.
    auto cfg = config();
    cfg.poll.adaptive = false;
    cfg.poll.initial = gcx::milliseconds{200};
    auto session = gcx::session::create(cfg);
    REQUIRE(session);
    const auto t0 = manual_clock::start();
    auto at = [&](int ms) { return t0 + gcx::milliseconds{ms}; };
    const auto wall = std::chrono::system_clock::now();
    std::vector<gcx::lookup_operation<J>> ops;
    ops.emplace_back(*session, phone, t0);
    REQUIRE(ops[0].next(t0).kind == gcx::action::type::send);  // the token
    ops[0].on_response(token_ok(), t0, wall);
    REQUIRE(ops[0].next(t0).kind == gcx::action::type::send);           // the launch, out at t0
    for (int i = 0; i < 8; ++i) ops.emplace_back(*session, phone, t0);  // the vector grows: ops[0] moves
    ops.erase(ops.begin() + 1, ops.end());
    ops[0].on_response(launched(), at(50), wall);
    auto a = ops[0].next(at(50));
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == at(200));  // not 250: counted from the launch, not from its answer
    a = ops[0].next(at(200));
    REQUIRE(a.kind == gcx::action::type::send);
    ops[0].on_response(completed(), at(240), wall);
    CHECK(ops[0].next(at(240)).kind == gcx::action::type::done);
    auto r = ops[0].take_result();
    REQUIRE(r);
    CHECK(r->execution.polls == 1);
}

TEST_CASE("lookup: no error message or hint contains a secret or token or the number") {
    // Every failure path, including servers that echo the credentials back in their messages.
    auto echo_token = "Invalid token " + access_token;
    auto echo_basic =
        "bad header Basic " + gcx::detail::base64(client_id + ":" + client_secret) + " secret " + client_secret;
    std::vector<std::vector<answer>> scripts = {
        {respond(401, R"({"error":"invalid_client","description":")" + echo_basic + R"("})")},
        {respond(400, R"({"error":"invalid_request","description":"rate limit exceeded; )" + echo_basic + R"("})")},
        {respond(200, "<html>login</html>")},
        {token_ok(), error_body(401, "bad.credentials", echo_token), token_ok(),
         error_body(401, "bad.credentials", echo_token)},
        {token_ok(), error_body(403, "missing.any.permissions", echo_token)},
        {token_ok(), error_body(404, "not.found", "flow not found for " + echo_token)},
        {token_ok(), error_body(400, "invalid.value", "Value [+13175550123] is not valid " + echo_token)},
        {token_ok(), error_body(429, "too.many.requests", echo_token, {{"Retry-After", "999999"}})},
        {token_ok(), respond(502, "<html>" + echo_token + "</html>")},
        {token_ok(), transport_failure(gcx::delivery::maybe, "reset while sending")},
        {token_ok(), respond(200, R"({"notid":")" + access_token + R"("})")},
        {token_ok(), launched(),
         status("FAILED", R"(,"flowErrorInfo":{"message":")" + echo_token + R"(","code":"x"})")},
        {token_ok(), launched(), error_body(403, "missing.any.permissions", echo_token)},
    };
    std::vector<std::string> texts;
    for (auto& script : scripts) {
        auto cl = make_client();
        for (auto& a : script) cl.transport().then(classify_any, a);
        cl.transport().set_fallback([](const gcx::http::request&) { return running(); });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        texts.push_back(r.error().describe() + " | " + r.error().hint);
    }
    for (const char* bad : {"+1317555012", "+13175550123x"}) {
        auto cl = make_client();
        auto r = cl.lookup(bad);
        REQUIRE_FALSE(r);
        texts.push_back(r.error().describe() + " | " + r.error().hint);
    }
    for (const auto& m : texts) {
        INFO(m);
        CHECK_FALSE(leaks_secret(m));
        CHECK(m.find("+1317555012") == std::string::npos);
    }
}

TEST_CASE("lookup: a server that says RUNNING forever is cut off at max_polls") {
    auto c = config();
    c.poll.max_polls = 5;
    c.lookup_timeout = gcx::milliseconds{3600000};
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([](const gcx::http::request&) { return running(); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::timeout);
    CHECK(r.error().code == "max_polls");
    CHECK(cl.transport().count(endpoint::poll) == 5);
}

TEST_CASE("lookup: a hostile, deeply nested answer is a protocol error, not a crash") {
    std::string deep(100000, '[');
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback(
        [&](const gcx::http::request&) { return respond(200, R"({"status":"COMPLETED","outputData":)" + deep); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
}

TEST_CASE("lookup: a launch answer nested too deep is refused and not re-sent") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, respond(200, std::string(5000, '{')));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("lookup: a launch id that echoes the bearer token or the number is scrubbed in errors and in the execution") {
    for (const std::string& id : {access_token, "exec-" + access_token + "-1", phone, "x" + phone + "y"}) {
        INFO(id);
        // A failure after the launch: the error carries the execution id, scrubbed.
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched(id))
            .then(endpoint::poll, status("FAILED", R"(,"completionReason":"Error")", id));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::flow_failed);
        const auto& e = r.error();
        const std::string texts = e.describe() + "|" + e.execution_id + "|" + e.message + "|" + e.hint;
        CHECK_FALSE(leaks_secret(texts));
        CHECK(texts.find(phone) == std::string::npos);
        CHECK_FALSE(e.execution_id.empty());
        // The poll still went to the execution the server named.
        const auto log = cl.transport().log();
        REQUIRE(log.size() == 3);
        CHECK(log[2].url.find(gcx::http::url_encode(id)) != std::string::npos);

        // A success: what execution_info reports is scrubbed the same way.
        auto ok = make_client();
        ok.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched(id))
            .then(endpoint::poll, completed(R"({"Flow.Found":true})", id));
        auto r2 = ok.lookup(phone);
        REQUIRE(r2);
        CHECK_FALSE(leaks_secret(r2->execution.id));
        CHECK(r2->execution.id.find(phone) == std::string::npos);
    }
}

TEST_CASE("lookup: completionReason, an unknown status and the launch id are clipped in errors") {
    const std::string huge(1 << 20, 'x');
    {  // a FAILED execution with a 1 MB completionReason
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll, status("FAILED", R"(,"completionReason":")" + huge + "\""));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::flow_failed);
        CHECK(r.error().message.size() < 600);
        CHECK(r.error().describe().size() < 1000);
    }
    {  // a status never seen before, 1 MB long, until the deadline
        auto c = config();
        c.lookup_timeout = gcx::milliseconds{3000};
        auto cl = make_client(c);
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
        cl.transport().set_fallback([&huge](const gcx::http::request&) { return status(huge); });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::timeout);
        CHECK(r.error().describe().size() < 1000);
    }
    {  // a 1 MB launch id: refused (no poll), its error line short
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, respond(200, R"({"id":")" + huge + "\"}"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::protocol);
        CHECK(r.error().code == gcx::codes::launch_response);
        CHECK(r.error().execution_id.size() <= 131);
        CHECK(r.error().describe().size() < 1000);
        CHECK(cl.transport().count(endpoint::launch) == 1);
        CHECK(cl.transport().count(endpoint::poll) == 0);
    }
    for (const char* step : {".", ".."}) {  // a path step: the poll would go to another resource
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, respond(200, std::string(R"({"id":")") + step + "\"}"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == gcx::codes::launch_response);
        CHECK(cl.transport().count(endpoint::poll) == 0);
    }
    {  // a launch id with a newline: refused, and describe() stays one line
        auto cl = make_client();
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, respond(200, R"({"id":"abc\ndef"})"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == gcx::codes::launch_response);
        CHECK(r.error().describe().find('\n') == std::string::npos);
    }
}

TEST_CASE(
    "lookup: a flowErrorInfo status outside 100-599 is no status, never a truncated one (4294967697 is not 401)") {
    for (const char* st : {"4294967697", "-4294966895", "99", "600", "1e300", "401.5", "\"401\""}) {
        INFO(st);
        auto cl = make_client();
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll,
                  status("FAILED", std::string(R"(,"flowErrorInfo":{"message":"m","code":"c","status":)") + st + "}"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::flow_failed);
        CHECK(r.error().http_status == 0);
    }
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, status("FAILED", R"(,"flowErrorInfo":{"message":"m","code":"c","status":502})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().http_status == 502);
}

TEST_CASE("lookup: a token with CR/LF from the token endpoint is a protocol error, not the caller's invalid input") {
    auto cl = make_client();
    cl.transport().then(
        endpoint::token,
        respond(200, R"({"access_token":"abc\r\nX-Injected: 1","token_type":"bearer","expires_in":3600})"));
    cl.transport().set_fallback([](const gcx::http::request& rq) -> answer {
        if (classify(rq) == endpoint::token)
            return respond(200, R"({"access_token":"abc\r\nX-Injected: 1","token_type":"bearer","expires_in":3600})");
        return launched();
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(r.error().code == gcx::codes::token_response);
    CHECK(cl.transport().count(endpoint::launch) == 0);  // the token was never put in a header
}

TEST_CASE("lookup: a redirect on the token endpoint is a protocol error with the login URL in its hint") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request&) -> answer {
        return respond(302, "", {{"Location", "https://captive.example/portal"}});
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(r.error().code == gcx::codes::redirect);
    CHECK(r.error().http_status == 302);
    CHECK(r.error().hint.find("login URL") != std::string::npos);
    CHECK(cl.transport().count(endpoint::token) == 1);  // never retried
    CHECK(cl.transport().count(endpoint::launch) == 0);
    // The next lookup gets it at once (remembered for the back-off), without a request.
    auto again = cl.lookup(phone);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == gcx::codes::redirect);
    CHECK(cl.transport().count(endpoint::token) == 1);
}

TEST_CASE("lookup: a redirect on the launch is a protocol error naming the API URL, and is not followed or re-sent") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, respond(307, "", {{"Location", "https://elsewhere.example/api/v2/flows/executions"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(r.error().code == gcx::codes::redirect);
    CHECK(r.error().hint.find("API URL") != std::string::npos);
    CHECK(cl.transport().count(endpoint::launch) == 1);
    CHECK(cl.transport().log().size() == 2);
}

TEST_CASE("lookup: poll.max_polls caps the GETs of the execution, its retries too") {
    auto c = config();
    c.poll.max_polls = 5;
    c.lookup_timeout = gcx::milliseconds{3600000};
    SECTION("a 502 between RUNNINGs") {
        auto cl = make_client(c);
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
        auto n = std::make_shared<int>(0);
        cl.transport().set_fallback([n](const gcx::http::request&) -> answer {
            return (*n)++ % 2 == 0 ? respond(502, "<html>bad gateway</html>") : running();
        });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == gcx::codes::max_polls);
        CHECK(cl.transport().count(endpoint::poll) == 5);  // before: 10
    }
    SECTION("unreadable answers") {
        auto cl = make_client(c);
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
        cl.transport().set_fallback([](const gcx::http::request&) -> answer { return respond(200, "{\"status\":"); });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(cl.transport().count(endpoint::poll) == 5);  // before: the retries of the last poll went past it
    }
    SECTION("the cap reached by a failed poll: no retry is scheduled, and no event tells of a request not sent") {
        c.poll.max_polls = 1;
        auto sent = std::make_shared<int>(0), retries = std::make_shared<int>(0), requests = std::make_shared<int>(-1);
        c.on_event = [=](const gcx::event& e) {
            if (e.kind == gcx::event_kind::request_sent) ++*sent;
            if (e.kind == gcx::event_kind::retry_scheduled) ++*retries;
            if (e.kind == gcx::event_kind::lookup_finished) *requests = e.requests;
        };
        auto cl = make_client(c);
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll, respond(502, "<html>bad gateway</html>"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == gcx::codes::max_polls);
        CHECK(cl.transport().log().size() == 3);  // token, launch, one poll
        CHECK(*sent == 3);                        // before: 4, the last for a retry never sent
        CHECK(*retries == 0);
        CHECK(*requests == 3);
    }
}

TEST_CASE("lookup: a poll answered about another execution is refused, its outputs not read") {
    // A cache or a proxy mixing answers up would give another number's customer.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.Found":true,"Flow.ContactId":"someone-else"})",
                                        "99999999-0000-4000-8000-000000000000"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
    CHECK(r.error().code == gcx::codes::execution_response);
    CHECK(r.error().describe().find("someone-else") == std::string::npos);
    // The same answer about this execution is read (an answer without an id too).
    auto ok = make_client();
    ok.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, respond(200, R"({"status":"COMPLETED","outputData":{"Flow.Found":true}})"));
    CHECK(ok.lookup(phone));
}

TEST_CASE("lookup: a failed or unreadable poll is not repeated sooner than poll.min_interval") {
    auto c = config();
    c.poll.min_interval = gcx::milliseconds{1000};
    c.poll.initial = gcx::milliseconds{1000};
    for (const auto& bad : {respond(502, "<html>bad gateway</html>"), respond(200, R"({"status":"RUNN)")}) {
        auto cl = make_client(c);
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll, bad)
            .then(endpoint::poll, completed());
        REQUIRE(cl.lookup(phone));
        CHECK(cl.transport().count(endpoint::poll) == 2);
        CHECK(cl.clock().elapsed() >= gcx::milliseconds{2000});  // first GET at 1 s; before: again at 1.15 s
    }
}

TEST_CASE("lookup: the execution's texts in a successful result hold neither the token nor the number") {
    auto cl = make_client();
    const std::string echo = "Success for " + phone + " with " + access_token;
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll,
              respond(200, R"({"id":")" + exec_id + R"(","flowVersion":{"id":")" + phone + R"("},"dateLaunched":")" +
                               access_token + R"(","dateCompleted":")" + phone +
                               R"(","status":"COMPLETED","completionReason":")" + echo + R"(","outputData":{}})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    const auto& x = r->execution;
    const std::string texts =
        x.completion_reason + "|" + x.flow_version + "|" + x.date_launched + "|" + x.date_completed + "|" + x.status;
    INFO(texts);
    CHECK_FALSE(leaks_secret(texts));
    CHECK(texts.find(phone) == std::string::npos);
    CHECK(x.completion_reason.find("Success for") != std::string::npos);
}

TEST_CASE("lookup: COMPLETED with outputData null gives an empty object") {
    // A flow that set none of its outputs answers null: the lookup would fail instead of finding nothing.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed("null"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs.as_object().empty());
}

TEST_CASE("lookup: execution.polls counts only the polls answered 2xx") {
    // A poll answered 502 and retried would be reported as one more look at the execution.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(502, "bad.gateway", "Bad Gateway"))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(cl.transport().count(endpoint::poll) == 2);
    CHECK(r->execution.polls == 1);
}

TEST_CASE("lookup: a launch that may have reached the server is never sent again") {
    // The flow may already be running: a second launch would run it twice for one call.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, transport_failure(gcx::delivery::maybe))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::transport);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("lookup: a launch answer whose id holds DEL is refused") {
    // An id with a control character would go into the poll's URL and the caller's logs as is.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched("abc\x7f"
                                         "def"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gcx::codes::launch_response);
    CHECK(cl.transport().count(endpoint::poll) == 0);
}

TEST_CASE("lookup: extra flow inputs that are not an object are refused before any request") {
    // Extra inputs given as an array would launch the flow without them (or with a broken body).
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone, boost::json::array{1, 2});
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::invalid_input);
    CHECK(cl.transport().log().empty());
}

TEST_CASE("lookup: a login page answered 200 is tried twice, then the next lookups fail at once without a request") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request&) -> answer { return respond(200, "<html>login</html>"); });
    for (int i = 0; i < 3; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::protocol);
        CHECK(r.error().code == gcx::codes::token_response);
        CHECK(r.error().hint.find("login") != std::string::npos);
    }
    CHECK(cl.transport().count(endpoint::token) == 2);
    CHECK(cl.transport().count(endpoint::launch) == 0);
}

}  // namespace unit_lookup
