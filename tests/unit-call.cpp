// One API call (include/gcx/call.hpp): the token through the shared cache, the 401 rule, what is
// retried and for how long, and the lookup's one deadline. Most tests drive api_call through
// basic_client (a launch and polls are calls) over the scripted transport and the manual clock of
// fakes.hpp; the last ones drive an api_call by hand, as an event loop would.
#include "fakes.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_call {

using namespace fakes;
using gcx::errc;
using J = gcx::json::boost_json;

namespace {
/// A transport failure with the given kind and code that certainly sent nothing.
fakes::answer coded_failure(gcx::errc kind, const std::string& code) {
    gcx::error e = gcx::make_error(kind, "refused: " + code);
    e.code = code;
    e.sent = gcx::delivery::not_sent;
    return e;
}
}  // namespace

TEST_CASE("call: 401 mid-run fetches exactly one new token and repeats the call once") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok(86400, "old-token"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(401, "bad.credentials", "Invalid login credentials."))
        .then(endpoint::token, token_ok(86400, "new-token"))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(cl.transport().count(endpoint::token) == 2);
    CHECK(cl.transport().count(endpoint::poll) == 2);
    CHECK(*cl.transport().log().back().header("Authorization") == "Bearer new-token");
}

TEST_CASE("call: a second 401 in a row is an auth error, not a loop") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "Invalid login credentials."))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "Invalid login credentials."));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::auth);
    CHECK(r.error().http_status == 401);
    CHECK(cl.transport().count(endpoint::launch) == 2);
    CHECK(cl.transport().unused() == 0);
}

TEST_CASE("call: 429 on launch waits Retry-After seconds, then launches") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch,
              error_body(429, "too.many.requests.retry.after",
                         "Rate limit exceeded the maximum. Retry the request in [7] seconds", {{"Retry-After", "7"}}))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{7000 + 200});
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("call: 429 with an HTTP-date Retry-After is honoured") {
    auto cl = make_client();
    // manual_clock's wall time starts at 500000 h after the epoch = 2027-01-15T08:00:00Z
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(429, "too.many.requests.retry.after", "slow down",
                                         {{"Retry-After", "Fri, 15 Jan 2027 08:00:05 GMT"}}))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    // 200 ms before the first poll, then until 08:00:05 wall time (4.8 s later)
    CHECK(cl.clock().elapsed() == gcx::milliseconds{5000});
}

TEST_CASE("call: a Retry-After beyond the ceiling fails at once as rate_limited") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch,
              error_body(429, "too.many.requests.retry.after", "daily limit", {{"Retry-After", "86400"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::rate_limited);
    CHECK(r.error().retry_after_seconds == 86400);
    CHECK(cl.clock().elapsed() == gcx::milliseconds{0});
}

TEST_CASE("call: a 429 on a poll longer than the time left ends the lookup with its execution id, or, with "
          "rate_limits_extend_deadline, is waited out without charging the deadline") {
    for (bool extend : {false, true}) {
        CAPTURE(extend);
        auto c = config();
        c.lookup_timeout = gcx::milliseconds{5000};
        c.retry.rate_limits_extend_deadline = extend;
        auto cl = make_client(c);
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::launch, launched())
            .then(endpoint::poll, error_body(429, "too.many.requests.retry.after", "Retry the request in [60] seconds",
                                             {{"Retry-After", "60"}}))
            .then(endpoint::poll, running())
            .then(endpoint::poll, completed());
        auto r = cl.lookup(phone);
        if (!extend) {
            REQUIRE_FALSE(r);
            CHECK(r.error().kind == errc::rate_limited);
            CHECK(r.error().execution_id == exec_id);
            CHECK(cl.clock().elapsed() == gcx::milliseconds{200});  // failed at once: no use waiting
            CHECK(cl.transport().count(endpoint::poll) == 1);
        } else {
            REQUIRE(r);
            CHECK(cl.transport().count(endpoint::poll) == 3);
            // 200 ms to the first poll, 60 s for the 429, then the polls of the fixed schedule.
            CHECK(cl.clock().elapsed() == gcx::milliseconds{200 + 60000 + 300});
            CHECK(cl.transport().count(endpoint::launch) == 1);
        }
    }
}

TEST_CASE("call: with rate_limits_extend_deadline, a lookup held by another's 429 pause is not charged for it") {
    // Two lookups of one client; A's poll gets a 429 with Retry-After 60 s, which pauses the
    // credential. B, launched, is due to poll during the pause: by default it waits within its
    // 5 s deadline and ends; with the option its deadline moves by the pause and it completes.
    for (bool extend : {false, true}) {
        CAPTURE(extend);
        auto c = config();
        c.lookup_timeout = gcx::milliseconds{5000};
        c.retry.rate_limits_extend_deadline = extend;
        auto s = gcx::session::create(c).value();
        s.set_jitter([] { return 0.5; });
        const auto t0 = manual_clock::start();
        const auto wall = std::chrono::system_clock::time_point{std::chrono::hours{500000}};
        gcx::lookup_operation<J> a(s, phone, t0), b(s, "+14155550100", t0);
        // Both: token (A fetches, B waits), launch.
        REQUIRE(a.next(t0).kind == gcx::action::type::send);
        a.on_response(token_ok(), t0, wall);
        for (auto* op : {&a, &b}) {
            auto x = op->next(t0);
            REQUIRE(x.kind == gcx::action::type::send);
            op->on_response(launched(), t0, wall);
        }
        // A polls at 200 ms and is told to wait 60 s: every request of the credential pauses.
        const auto at200 = t0 + gcx::milliseconds{200};
        REQUIRE(a.next(at200).kind == gcx::action::type::send);
        a.on_response(error_body(429, "too.many.requests.retry.after", "slow down", {{"Retry-After", "60"}}), at200,
                      wall);
        // B's poll is due at 200 ms: held by the pause.
        auto x = b.next(at200);
        REQUIRE(x.kind == gcx::action::type::sleep);
        auto now = x.until;
        for (int i = 0; i < 10 && !b.done(); ++i) {
            x = b.next(now);
            if (x.kind == gcx::action::type::send) {
                b.on_response(completed(), now, wall);
                continue;
            }
            if (x.kind == gcx::action::type::sleep) now = std::max(now, x.until);
        }
        REQUIRE(b.done());
        auto r = b.take_result();
        if (!extend) {
            REQUIRE_FALSE(r);
            CHECK(r.error().kind == errc::timeout);
        } else {
            REQUIRE(r);
            CHECK(now >= t0 + gcx::milliseconds{60000});
        }
    }
}

TEST_CASE("call: 503 on a poll is retried with backoff") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(503, "service.unavailable", "Service Unavailable"))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    // 200 ms poll wait + backoff(0) = 200 * (0.5 + 0.5 * 0.5) = 150 ms
    CHECK(cl.clock().elapsed() == gcx::milliseconds{350});
}

TEST_CASE("call: a connection reset after the launch was sent is not re-sent") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, transport_failure(gcx::delivery::maybe));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::transport);
    CHECK(r.error().hint.find("not sent again") != std::string::npos);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("call: a launch that certainly never left is sent again") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, transport_failure(gcx::delivery::not_sent, "connection refused"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("call: a refused server certificate is not retried, on the token request or the launch") {
    // The same request would meet the same certificate: five more tries would only delay the error.
    auto on_token = make_client();
    on_token.transport().set_fallback(
        [](const gcx::http::request&) { return coded_failure(errc::transport, "certificate"); });
    auto r = on_token.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "certificate");
    CHECK(r.error().message.find("retries") == std::string::npos);
    CHECK(on_token.transport().count(endpoint::token) == 1);
    CHECK(on_token.clock().elapsed() == gcx::milliseconds{0});

    auto on_launch = make_client();
    on_launch.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, coded_failure(errc::transport, "certificate"));
    r = on_launch.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "certificate");
    CHECK(on_launch.transport().count(endpoint::launch) == 1);
    CHECK(on_launch.transport().unused() == 0);
}

TEST_CASE("call: an oversized poll answer and a request the transport refused are not retried") {
    auto huge = make_client();
    huge.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, coded_failure(errc::transport, "too_large"));
    auto r = huge.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "too_large");
    CHECK(r.error().execution_id == exec_id);
    CHECK(huge.transport().count(endpoint::poll) == 1);

    for (auto kind : {errc::config, errc::invalid_input}) {
        auto refused = make_client();
        refused.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
        refused.transport().set_fallback(
            [kind](const gcx::http::request&) { return coded_failure(kind, "bad_header"); });
        r = refused.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == kind);
        CHECK(refused.transport().count(endpoint::poll) == 1);
    }
}

TEST_CASE("call: a TLS handshake that broke off is retried like a refused connection") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, coded_failure(errc::transport, "tls"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("call: 502 on launch is not repeated (the flow may have started)") {
    auto cl = make_client();
    gcx::http::response html;
    html.status = 502;
    html.body = "<html><body>Bad Gateway</body></html>";
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, html);
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::server);
    CHECK(r.error().http_status == 502);
    CHECK(r.error().message.find("non-JSON") != std::string::npos);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("call: 503 with Retry-After on launch is repeated (the flow did not start)") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(503, "service.unavailable", "Service Unavailable", {{"Retry-After", "1"}}))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("call: a non-JSON 502 on every poll ends as a typed server error") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([](const gcx::http::request&) -> answer {
        gcx::http::response r;
        r.status = 502;
        r.body = "upstream connect error or disconnect/reset before headers";
        return r;
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::server);
    CHECK(r.error().execution_id == exec_id);
    CHECK(cl.transport().count(endpoint::poll) == 6);  // first try + max_retries (5)
}

TEST_CASE("call: every request's timeout fits in what is left of the deadline") {
    auto c = config();
    c.lookup_timeout = gcx::milliseconds{3000};
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    cl.transport().set_fallback([](const gcx::http::request&) { return running(); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    for (const auto& q : cl.transport().log()) CHECK(q.timeout <= gcx::milliseconds{3000});
    CHECK(cl.transport().log().back().timeout < gcx::milliseconds{3000});
}

TEST_CASE("call: the token-creation rate limit is retried with backoff, not reported as bad credentials") {
    auto cl = make_client();
    auto limited = respond(
        400,
        R"({"error":"invalid_request","description":"rate limit exceeded; retry later","error_description":"rate limit exceeded; retry later"})");
    cl.transport()
        .then(endpoint::token, limited)
        .then(endpoint::token, limited)
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(cl.transport().count(endpoint::token) == 3);
    // backoff 150 ms then 300 ms (jitter 0.5), then the 200 ms poll wait
    CHECK(cl.clock().elapsed() == gcx::milliseconds{150 + 300 + 200});
}

TEST_CASE("call: a token-creation rate limit that never ends is rate_limited, not auth") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request&) {
        return respond(
            400,
            R"({"error":"invalid_request","description":"rate limit exceeded; retry later","error_description":"rate limit exceeded; retry later"})");
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::rate_limited);
}

TEST_CASE("call: an unreadable token answer is a protocol error") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request&) { return respond(200, "<html>login</html>"); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
}

TEST_CASE("call: 8 threads through one client cause exactly one token request") {
    auto cl = make_client();
    std::atomic<int> launches{0};
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token:
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the others pile up
            return token_ok();
        case endpoint::launch: return launched("exec-" + std::to_string(++launches));
        case endpoint::poll: return completed(R"({"Flow.Found":true})", r.url.substr(r.url.rfind('/') + 1));
        default: return respond(404, "{}");
        }
    });
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 5; ++j) ok += cl.lookup(phone).has_value();
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 40);
    CHECK(cl.transport().count(endpoint::token) == 1);
    CHECK(cl.tokens().tokens_fetched() == 1);
}

TEST_CASE("call: waiters fail with the leader's auth error instead of piling on") {
    auto cl = make_client();
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return respond(401, R"({"error":"invalid_client","description":"authentication failed"})");
        }
        return respond(500, "{}");
    });
    std::vector<std::thread> threads;
    std::atomic<int> auth_errors{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            auto r = cl.lookup(phone);
            auth_errors += !r && r.error().kind == errc::auth;
        });
    for (auto& t : threads) t.join();
    CHECK(auth_errors == 8);
    CHECK(cl.transport().count(endpoint::token) == 1);
}

TEST_CASE("call: a poll that times out on what was left of the deadline fails with code deadline") {
    // Whichever timer fires first, the transport's (given only the time left) or the lookup's,
    // the cause the caller sees is the lookup deadline.
    auto c = config();
    c.lookup_timeout = gcx::milliseconds{3000};
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    const auto& clock = cl.clock();
    cl.transport().set_fallback([&clock](const gcx::http::request& q) -> answer {
        clock.advance(q.timeout - gcx::milliseconds{5});  // a transport timer that fires a little early
        gcx::error e = gcx::make_error(gcx::errc::timeout, "operation timed out");
        e.code = "timeout";
        e.sent = gcx::delivery::maybe;
        return e;
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::timeout);
    CHECK(r.error().code == "deadline");
    CHECK(r.error().execution_id == exec_id);
    CHECK(r.error().message.find("deadline") != std::string::npos);
    CHECK(cl.transport().count(endpoint::poll) == 1);
}

TEST_CASE("call: a poll timing out on its own full request timeout is retried, not a deadline") {
    auto c = config();
    c.lookup_timeout = gcx::milliseconds{3600000};
    c.request_timeout = gcx::milliseconds{2000};
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::launch, launched());
    const auto& clock = cl.clock();
    int polls = 0;
    cl.transport().set_fallback([&clock, &polls](const gcx::http::request& q) -> answer {
        if (++polls == 1) {
            clock.advance(q.timeout);
            gcx::error e = gcx::make_error(gcx::errc::timeout, "operation timed out");
            e.code = "timeout";
            e.sent = gcx::delivery::maybe;
            return e;
        }
        return completed();
    });
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(polls == 2);
}

// ---- api_call driven by hand ------------------------------------------------------------------

namespace {

gcx::http::request poll_request() {
    gcx::http::request q;
    q.verb = gcx::http::method::get;
    q.url = "https://api.mypurecloud.com/api/v2/flows/executions/" + exec_id;
    q.fields.push_back({"Accept", "application/json"});
    return q;
}

gcx::http::request launch_request() {
    gcx::http::request q;
    q.verb = gcx::http::method::post;
    q.url = "https://api.mypurecloud.com/api/v2/flows/executions";
    q.fields.push_back({"Content-Type", "application/json"});
    q.body = R"({"flowId":")" + flow_id + R"("})";
    return q;
}

/// One call over its own token cache, with jitter fixed at 0.5.
struct hand_call {
    gcx::client_config cfg = config();
    std::optional<gcx::session> made;  // from cfg, when first needed (tests change cfg first)
    gcx::time_point now = manual_clock::start();
    std::chrono::system_clock::time_point wall = std::chrono::system_clock::time_point{std::chrono::hours{500000}};
    std::optional<gcx::api_call<J>> call;

    gcx::op_deadline deadline(gcx::milliseconds budget = gcx::milliseconds{30000}) const {
        return gcx::op_deadline{now, now + gcx::milliseconds{600000}, budget, now};  // a running operation's
    }
    gcx::session& session() {
        if (!made) made = gcx::session::create(cfg, [] { return 0.5; }).value();
        return *made;
    }
    void make(gcx::operation op, bool idempotent, gcx::milliseconds budget = gcx::milliseconds{30000}) {
        call.emplace(session(), 0, op, idempotent,
                     idempotent ? gcx::request_governor::kind::continuing : gcx::request_governor::kind::fresh,
                     deadline(budget));
    }
};

}  // namespace

TEST_CASE("call: the first call fetches the token, then sends its request with the bearer token") {
    hand_call h;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    auto a = h.call->next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == h.cfg.endpoints.login + "/oauth/token");
    h.call->on_response(token_ok(), h.now, h.wall);

    a = h.call->next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == poll_request().url);
    REQUIRE(a.request.header("Authorization"));
    CHECK(*a.request.header("Authorization") == "Bearer " + access_token);
    REQUIRE(a.request.header("Accept"));  // the base request's own headers are kept
    CHECK(a.request.timeout == h.cfg.request_timeout);
    h.call->on_response(completed(), h.now, h.wall);

    CHECK(h.call->finished());
    CHECK(h.call->next(h.now).kind == gcx::action::type::done);
    REQUIRE(h.call->outcome());
    CHECK(h.call->outcome()->status == 200);
    CHECK(h.session().tokens().tokens_fetched() == 1);
}

TEST_CASE("call: a cached token is used without a token request") {
    hand_call h;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    h.call->next(h.now);
    h.call->on_response(token_ok(), h.now, h.wall);
    h.call->next(h.now);
    h.call->on_response(completed(), h.now, h.wall);

    gcx::api_call<J> second(h.session(), 0, gcx::operation::poll, true, gcx::request_governor::kind::continuing,
                            h.deadline());
    second.start(poll_request());
    auto a = second.next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == poll_request().url);
}

TEST_CASE("call: a call that finds the token being fetched waits, then uses that token") {
    hand_call h;
    h.make(gcx::operation::launch, false);
    h.call->start(launch_request());
    auto leader = h.call->next(h.now);
    REQUIRE(leader.kind == gcx::action::type::send);  // the token request

    gcx::api_call<J> waiter(h.session(), 0, gcx::operation::poll, true, gcx::request_governor::kind::continuing,
                            h.deadline());
    waiter.start(poll_request());
    auto w = waiter.next(h.now);
    REQUIRE(w.kind == gcx::action::type::wait_token);
    CHECK(w.until == h.now + gcx::milliseconds{30000});  // no longer than its deadline

    h.call->on_response(token_ok(), h.now, h.wall);
    w = waiter.next(h.now);
    REQUIRE(w.kind == gcx::action::type::send);
    CHECK(*w.request.header("Authorization") == "Bearer " + access_token);
    CHECK(h.session().tokens().tokens_fetched() == 1);
}

TEST_CASE("call: a call destroyed while fetching the token hands the fetch to a waiting call") {
    hand_call h;
    h.make(gcx::operation::launch, false);
    h.call->start(launch_request());
    REQUIRE(h.call->next(h.now).kind == gcx::action::type::send);  // took the token fetch

    gcx::api_call<J> waiter(h.session(), 0, gcx::operation::poll, true, gcx::request_governor::kind::continuing,
                            h.deadline());
    waiter.start(poll_request());
    REQUIRE(waiter.next(h.now).kind == gcx::action::type::wait_token);

    h.call.reset();  // e.g. the lookup was cancelled with its token request in flight
    auto a = waiter.next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == h.cfg.endpoints.login + "/oauth/token");  // the waiter fetches now
}

TEST_CASE("call: a launch is not sent again after a failure that may have reached the server, a poll is") {
    for (bool idempotent : {false, true}) {
        CAPTURE(idempotent);
        hand_call h;
        h.make(idempotent ? gcx::operation::poll : gcx::operation::launch, idempotent);
        h.call->start(idempotent ? poll_request() : launch_request());
        h.call->next(h.now);
        h.call->on_response(token_ok(), h.now, h.wall);
        h.call->next(h.now);
        h.call->on_response(transport_failure(gcx::delivery::maybe), h.now, h.wall);
        auto a = h.call->next(h.now);
        if (!idempotent) {
            CHECK(a.kind == gcx::action::type::done);
            REQUIRE_FALSE(h.call->outcome());
            CHECK(h.call->outcome().error().kind == errc::transport);
            CHECK(h.call->outcome().error().hint.find("not sent again") != std::string::npos);
        } else {
            REQUIRE(a.kind == gcx::action::type::sleep);
            CHECK(a.until == h.now + gcx::milliseconds{150});  // backoff(0) at jitter 0.5
            a = h.call->next(a.until);
            REQUIRE(a.kind == gcx::action::type::send);
        }
    }
}

TEST_CASE("call: a deadline already passed ends the call before any request") {
    hand_call h;
    h.make(gcx::operation::poll, true, gcx::milliseconds{0});
    h.call->start(poll_request());
    auto a = h.call->next(h.now);
    CHECK(a.kind == gcx::action::type::done);
    REQUIRE_FALSE(h.call->outcome());
    CHECK(h.call->outcome().error().kind == errc::timeout);
    CHECK(h.call->outcome().error().code == "deadline");
}

TEST_CASE("call: the request timeout is what is left of the deadline when that is shorter") {
    hand_call h;
    h.make(gcx::operation::poll, true, gcx::milliseconds{5000});
    h.call->start(poll_request());
    auto a = h.call->next(h.now);
    CHECK(a.request.timeout == gcx::milliseconds{5000});  // the token request too
    h.now += gcx::milliseconds{1200};
    h.call->on_response(token_ok(), h.now, h.wall);
    a = h.call->next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.timeout == gcx::milliseconds{3800});
}

TEST_CASE("call: an error that echoes the token, the secret or the Basic credential is scrubbed") {
    hand_call h;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    h.call->next(h.now);
    h.call->on_response(token_ok(), h.now, h.wall);
    h.call->next(h.now);
    const std::string basic = gcx::detail::base64(client_id + ":" + client_secret);
    h.call->on_response(
        error_body(400, "invalid.value", "token " + access_token + " secret " + client_secret + " basic " + basic),
        h.now, h.wall);
    REQUIRE(h.call->finished());
    REQUIRE_FALSE(h.call->outcome());
    const auto& e = h.call->outcome().error();
    CHECK(e.kind == errc::bad_request);
    CHECK_FALSE(leaks_secret(e.describe()));
    CHECK(e.message.find("[REDACTED]") != std::string::npos);
}

TEST_CASE("call: retry_unreadable repeats a read after a backoff, until the retries are spent") {
    hand_call h;
    h.cfg.retry.max_retries = 2;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    h.call->next(h.now);
    h.call->on_response(token_ok(), h.now, h.wall);
    for (int i = 0; i < 2; ++i) {
        auto a = h.call->next(h.now);
        REQUIRE(a.kind == gcx::action::type::send);
        h.call->on_response(respond(200, "{\"status\":"), h.now, h.wall);
        REQUIRE(h.call->retry_unreadable(gcx::make_error(errc::protocol, "unreadable answer"), h.now));
        a = h.call->next(h.now);
        REQUIRE(a.kind == gcx::action::type::sleep);
        h.now = a.until;
    }
    h.call->next(h.now);
    h.call->on_response(respond(200, "{\"status\":"), h.now, h.wall);
    CHECK_FALSE(h.call->retry_unreadable(gcx::make_error(errc::protocol, "unreadable answer"), h.now));
    REQUIRE(h.call->finished());
    CHECK(h.call->outcome().error().kind == errc::protocol);
    CHECK(h.call->outcome().error().message.find("after 2 retries") != std::string::npos);
}

TEST_CASE("call: a call moved while its request is out keeps everything, its send time included") {
    hand_call h;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    h.call->next(h.now);
    h.call->on_response(token_ok(), h.now, h.wall);
    const gcx::time_point sent = h.now + gcx::milliseconds{40};
    REQUIRE(h.call->next(sent).kind == gcx::action::type::send);
    REQUIRE(h.call->awaiting_api_answer());
    REQUIRE(h.call->sent_at() == sent);

    gcx::api_call<J> moved(std::move(*h.call));  // a driver that keeps its operations in a vector
    CHECK(moved.awaiting_api_answer());
    CHECK(moved.sent_at() == sent);
    CHECK(moved.credential() == 0);

    gcx::api_call<J> assigned(h.session(), 0, gcx::operation::launch, false, gcx::request_governor::kind::fresh,
                              h.deadline());
    assigned = std::move(moved);
    CHECK(assigned.sent_at() == sent);
    assigned.on_response(completed(), sent + gcx::milliseconds{90}, h.wall);
    CHECK(assigned.finished());
    REQUIRE(assigned.outcome());
    CHECK(assigned.outcome()->status == 200);
    CHECK(h.session().tokens().tokens_fetched() == 1);
}

TEST_CASE("call: a call moved while it leads the token fetch hands the lead over, the source releases nothing") {
    hand_call h;
    h.make(gcx::operation::poll, true);
    h.call->start(poll_request());
    REQUIRE(h.call->next(h.now).kind == gcx::action::type::send);  // the token request: this call leads

    gcx::api_call<J> moved(std::move(*h.call));
    h.call.reset();  // the moved-from call ends: it must not abandon the fetch it no longer leads
    moved.on_response(token_ok(), h.now, h.wall);
    auto a = moved.next(h.now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == poll_request().url);
    CHECK(h.session().tokens().tokens_fetched() == 1);
}

TEST_CASE("call: a 401 after a 429 that followed a renewal renews the token again") {
    // The renewed token was accepted (the 429 took it): a later 401 is a new expiry, not the same
    // one twice, and the lookup renews again instead of failing with auth.
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "expired"))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "1"}}))
        .then(endpoint::launch, error_body(401, "bad.credentials", "expired"))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    INFO((r ? std::string("ok") : r.error().describe()));
    REQUIRE(r);
    CHECK(cl.transport().count(endpoint::token) == 3);
}

}  // namespace unit_call
