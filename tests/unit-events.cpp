// include/gcx/events.hpp: which events a lookup raises, in which order and with what, on every
// strategy and through retries, token refusals and budget waits; that no event carries a secret, a
// token, the number or an output value, whatever the server echoes; that a throwing hook cannot
// break a lookup; and the filters (event_safe_code, event_safe_id, event_path).
#include "fakes.hpp"

#include <gcx/client.hpp>
#include <gcx/event_format.hpp>
#include <gcx/events.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace unit_events {

using namespace fakes;
using gcx::event_kind;

namespace {
// What a hook saw: each event as its kind and its JSON line (the string_views die with the call).
struct recorder {
    struct seen {
        event_kind kind;
        gcx::operation op;
        std::string line;
        int status;
        int attempt;
        long long ms;
        std::string reason, error_code, outcome, path;
        int requests, polls;
    };
    std::shared_ptr<std::vector<seen>> events = std::make_shared<std::vector<seen>>();

    gcx::event_hook hook() const {
        auto ev = events;
        return [ev](const gcx::event& e) {
            ev->push_back({e.kind, e.operation, gcx::to_json(e), e.status, e.attempt,
                           static_cast<long long>(e.duration.count()), std::string(e.reason), std::string(e.error_code),
                           std::string(e.outcome), std::string(e.path), e.requests, e.polls});
        };
    }
    std::vector<event_kind> kinds() const {
        std::vector<event_kind> k;
        for (const auto& e : *events) k.push_back(e.kind);
        return k;
    }
    std::size_t count(event_kind k) const {
        std::size_t n = 0;
        for (const auto& e : *events) n += e.kind == k;
        return n;
    }
    const seen& first(event_kind k) const {
        for (const auto& e : *events)
            if (e.kind == k) return e;
        throw std::logic_error("no such event");
    }
};

gcx::client_config hooked(const recorder& r, gcx::client_config c = config()) {
    c.on_event = r.hook();
    return c;
}

// The number in every spelling a server could echo it.
bool shows_number(const std::string& s) {
    return s.find("3175550123") != std::string::npos || s.find("317-555") != std::string::npos;
}
}  // namespace

TEST_CASE("events: a flow lookup raises sent and answered for each request, token_fetched, then lookup_finished") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    using k = event_kind;
    CHECK(rec.kinds() == std::vector<k>{k::request_sent, k::request_answered, k::token_fetched, k::request_sent,
                                        k::request_answered, k::request_sent, k::request_answered, k::lookup_finished});
    const auto& ev = *rec.events;
    CHECK(ev[0].op == gcx::operation::token);
    CHECK(ev[0].path == "/oauth/token");
    CHECK(ev[3].op == gcx::operation::launch);
    CHECK(ev[3].path == "/api/v2/flows/executions");
    CHECK(ev[4].status == 200);
    CHECK(ev[5].op == gcx::operation::poll);
    CHECK(ev[5].path == "/api/v2/flows/executions/" + exec_id);
    CHECK(ev[5].attempt == 1);
    const auto& fin = rec.first(k::lookup_finished);
    CHECK(fin.ms == 200);  // the manual clock: launched at 0, polled once at 200 ms, answered at once
    CHECK(fin.outcome == "ok");
    CHECK(fin.requests == r->execution.requests);
    CHECK(fin.requests == 3);
    CHECK(fin.polls == 1);
    CHECK(fin.line.find(R"("strategy":"flow")") != std::string::npos);
    CHECK(fin.line.find(R"("source":"flow")") != std::string::npos);
    // Every event of the lookup names it; the client's next lookup is number 2.
    for (const auto& e : ev)
        CHECK(e.line.find(R"({"event":")" + std::string(gcx::to_string(e.kind)) + R"(","lookup":1,)") == 0);
    cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(rec.events->back().line.find(R"("lookup":2,)") != std::string::npos);
}

TEST_CASE("events: a 503 on a poll raises retry_scheduled with its delay, and the retry is attempt 2") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(503, "service.unavailable", "busy"))
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    REQUIRE(rec.count(event_kind::retry_scheduled) == 1);
    const auto& retry = rec.first(event_kind::retry_scheduled);
    CHECK(retry.op == gcx::operation::poll);
    CHECK(retry.status == 503);
    CHECK(retry.reason == "backoff");
    CHECK(retry.error_code == "service.unavailable");
    CHECK(retry.attempt == 1);
    CHECK(retry.ms > 0);
    CHECK(rec.events->back().kind == event_kind::lookup_finished);
    CHECK(rec.events->back().requests == 4);
    int last_poll_attempt = 0;
    for (const auto& e : *rec.events)
        if (e.kind == event_kind::request_sent && e.op == gcx::operation::poll) last_poll_attempt = e.attempt;
    CHECK(last_poll_attempt == 2);
}

TEST_CASE("events: a 429 with Retry-After is a retry_after retry of that many seconds") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(429, "too.many.requests", "slow down", {{"Retry-After", "3"}}))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    const auto& retry = rec.first(event_kind::retry_scheduled);
    CHECK(retry.op == gcx::operation::launch);
    CHECK(retry.reason == "retry_after");
    CHECK(retry.ms == 3000);
    CHECK(retry.status == 429);
}

TEST_CASE("events: refused credentials raise token_refused with the OAuth error, and a failed lookup_finished") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport().then(endpoint::token,
                        respond(401, R"({"error":"invalid_client","description":"client not found"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    REQUIRE(rec.count(event_kind::token_refused) == 1);
    const auto& refused = rec.first(event_kind::token_refused);
    CHECK(refused.error_code == "invalid_client");
    CHECK(refused.status == 401);
    const auto& fin = rec.first(event_kind::lookup_finished);
    CHECK(fin.outcome == "error");
    CHECK(fin.line.find(R"("error_kind":"auth")") != std::string::npos);
    CHECK(fin.requests == 1);
}

TEST_CASE("events: a 401 on the launch is a token_renewal retry") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "expired"))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    CHECK(rec.first(event_kind::retry_scheduled).reason == "token_renewal");
    CHECK(rec.count(event_kind::token_fetched) == 2);
    // The launch sent again with the new token is its second send (before: attempt 1 again).
    std::vector<int> launch_attempts;
    for (const auto& e : *rec.events)
        if (e.kind == event_kind::request_sent && e.op == gcx::operation::launch) launch_attempts.push_back(e.attempt);
    CHECK(launch_attempts == std::vector<int>{1, 2});
}

TEST_CASE("events: each request of the preflight check is its own first attempt") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return respond(200, "{}");
    });
    (void)cl.check();
    int checks = 0;
    for (const auto& e : *rec.events) {
        if (e.kind != event_kind::request_sent || e.op == gcx::operation::token) continue;
        ++checks;
        CHECK(e.attempt == 1);  // before: 1, 2, 3... across the check's steps (one call reused)
    }
    CHECK(checks >= 2);
}

TEST_CASE("events: a 429 that moves a call to another credential says so, with the real delay") {
    recorder rec;
    auto c = hooked(rec);
    c.extra_credentials.push_back({"second-id", gcx::secret("second-secret-xyz")});
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(429, "too.many.requests", "slow", {{"Retry-After", "5"}}))
        .then(endpoint::token, token_ok(86400, "second-token"))
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    // Before: retry_scheduled said retry_after 5000 ms, and the poll went 100 ms later on the other
    // credential.
    const auto& retry = rec.first(event_kind::retry_scheduled);
    CHECK(retry.op == gcx::operation::poll);
    CHECK(retry.reason == "other_credential");
    CHECK(retry.ms == cl.config().poll.min_interval.count());
    CHECK(retry.status == 429);
}

TEST_CASE("events: a poll cap reached by a 429 sends nothing more, on this credential or another") {
    recorder rec;
    auto c = hooked(rec);
    c.extra_credentials.push_back({"second-id", gcx::secret("second-secret-xyz")});
    c.poll.max_polls = 3;
    c.lookup_timeout = gcx::milliseconds{4000};  // the 429's wait runs past it: stopped, not retried
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, running())
        .then(endpoint::poll, running())
        .then(endpoint::poll, error_body(429, "too.many.requests", "slow", {{"Retry-After", "10"}}))
        .then(endpoint::token, token_ok(86400, "second-token"))
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    // Before: the poll moved to the other credential, whose token was fetched, and a request_sent
    // was raised for a fourth poll that never went out.
    CHECK(cl.transport().log().size() == 5);  // token, launch, three polls
    CHECK(rec.count(event_kind::request_sent) == rec.count(event_kind::request_answered));
    CHECK(rec.count(event_kind::request_sent) == 5);
    CHECK(rec.first(event_kind::lookup_finished).requests == 5);
}

TEST_CASE("events: the token request after a renewal is attempt 1 again, with all its retries") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    cl.transport()
        .then(endpoint::token, error_body(503, "service.unavailable", "busy"))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", "expired"))
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    std::vector<int> token_attempts;
    for (const auto& e : *rec.events)
        if (e.kind == event_kind::request_sent && e.op == gcx::operation::token) token_attempts.push_back(e.attempt);
    CHECK(token_attempts == std::vector<int>{1, 2, 1});  // the fetch after the 401 starts afresh
}

TEST_CASE("events: a request that waits for the budget raises budget_wait with the time waited") {
    recorder rec;
    auto c = hooked(rec);
    c.budget.requests_per_minute = 60;  // one a second
    c.budget.headroom = 1.0;
    c.budget.burst = 0;
    c.budget.fresh_burst = 0;
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token: return token_ok();
        case endpoint::launch: return launched();
        default: return completed();
        }
    });
    REQUIRE(cl.lookup(phone));
    REQUIRE(cl.lookup(phone));  // its launch comes right after the first lookup's poll: it must wait
    REQUIRE(rec.count(event_kind::budget_wait) >= 1);
    const auto& w = rec.first(event_kind::budget_wait);
    CHECK(w.ms > 0);
    CHECK(w.ms <= 1000);
}

TEST_CASE("events: direct and data-action lookups finish with their strategy and source") {
    recorder rec;
    auto c = hooked(rec);
    c.strategy = gcx::lookup_strategy::direct;
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    REQUIRE(cl.lookup(phone));
    const auto& fin = rec.first(event_kind::lookup_finished);
    CHECK(fin.line.find(R"("strategy":"direct")") != std::string::npos);
    CHECK(fin.line.find(R"("source":"direct")") != std::string::npos);
    CHECK(fin.polls == 0);
    // The External Contacts request's query holds the number: the event's path stops before it.
    bool whitepages = false;
    for (const auto& e : *rec.events)
        if (e.op == gcx::operation::direct_lookup && e.kind == event_kind::request_sent) {
            whitepages = true;
            CHECK(e.path == "/api/v2/externalcontacts/reversewhitepageslookup");
        }
    CHECK(whitepages);

    recorder rec2;
    auto d = hooked(rec2);
    d.strategy = gcx::lookup_strategy::data_action;
    d.action.action_id = "custom_-_0b7e3c55-2f4d-4e1a-9c7b-5d2e8f1a6b90";
    auto cd = make_client(d);
    cd.transport().then(endpoint::token, token_ok()).then(endpoint::action, respond(200, R"({"found":false})"));
    REQUIRE(cd.lookup(phone));
    const auto& fin2 = rec2.first(event_kind::lookup_finished);
    CHECK(fin2.line.find(R"("strategy":"data-action")") != std::string::npos);
    CHECK(fin2.line.find(R"("source":"data_action")") != std::string::npos);
    CHECK(fin2.requests == 2);
}

TEST_CASE("events: an identifier lookup's 404 (no contact) is answered like any other request") {
    recorder rec;
    auto c = hooked(rec);
    c.strategy = gcx::lookup_strategy::direct;
    c.direct.method = gcx::direct_method::identifier;
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::identifier, error_body(404, "not.found", "No contact"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK_FALSE(r->outputs.at("Flow.Found").as_bool());
    using k = event_kind;
    CHECK(rec.kinds() == std::vector<k>{k::request_sent, k::request_answered, k::token_fetched, k::request_sent,
                                        k::request_answered, k::lookup_finished});
    const auto& answered = rec.events->at(4);
    CHECK(answered.op == gcx::operation::direct_lookup);
    CHECK(answered.status == 404);
}

TEST_CASE("events: no event shows a secret, a token, the number or an output, whatever the server echoes") {
    recorder rec;
    auto cl = make_client(hooked(rec));
    // A hostile server puts the number and the token everywhere it can: in the execution id (the
    // poll path), the error code, the correlation id, the message and the outputs.
    const std::string echoed_id = "exec-" + phone + "-" + access_token;
    gcx::http::headers hostile_hdr{{"ININ-Correlation-Id", phone}};
    auto counter = std::make_shared<int>(0);
    cl.transport().set_fallback([&, counter](const gcx::http::request& r) -> answer {
        const int n = ++*counter;
        switch (classify(r)) {
        case endpoint::token: return token_ok();
        case endpoint::launch:
            if (n % 3 == 0) return error_body(503, "code" + phone, "busy " + phone, hostile_hdr);
            return respond(200, R"({"id":")" + echoed_id + R"("})", hostile_hdr);
        default:
            if (n % 2 == 0)
                return respond(502, R"({"code":")" + access_token + R"(","message":")" + phone + R"("})", hostile_hdr);
            return completed(R"({"Flow.Found":true,"Flow.Secret":"OUTPUT-VALUE-77"})");
        }
    });
    cl.transport().then(endpoint::token,
                        respond(502, R"({"error":")" + phone + R"(","description":")" + phone + "\"}"));
    for (int i = 0; i < 30; ++i) (void)cl.lookup(phone);
    REQUIRE(rec.events->size() > 100);
    CHECK(rec.count(event_kind::retry_scheduled) > 0);
    CHECK(rec.count(event_kind::lookup_finished) == 30);
    for (const auto& e : *rec.events) {
        INFO(e.line);
        CHECK_FALSE(leaks_secret(e.line));
        CHECK_FALSE(shows_number(e.line));
        CHECK(e.line.find("OUTPUT-VALUE") == std::string::npos);
        CHECK_FALSE(leaks_secret(gcx::to_text(gcx::event{})));
    }
}

TEST_CASE("events: a hook that throws does not break the lookup") {
    int calls = 0;
    auto c = config();
    c.on_event = [&calls](const gcx::event&) {
        ++calls;
        throw std::runtime_error("sink down");
    };
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(calls == 8);
}

TEST_CASE("events: event_safe_code keeps codes, drops numbers, tokens and odd text") {
    CHECK(gcx::event_safe_code("too.many.requests") == "too.many.requests");
    CHECK(gcx::event_safe_code("invalid_client") == "invalid_client");
    CHECK(gcx::event_safe_code("http2-error:404") == "http2-error:404");
    CHECK(gcx::event_safe_code("+13175550123").empty());
    CHECK(gcx::event_safe_code("13175550123").empty());
    CHECK(gcx::event_safe_code("1-317-555-01-23").empty());  // grouped: no run of 4, 11 digits in all
    CHECK(gcx::event_safe_code("err-317.555.012").empty());
    CHECK(gcx::event_safe_code("e404-s503").empty() == false);  // 6 digits: a code's numbers
    CHECK(gcx::event_safe_code("a b").empty());
    CHECK(gcx::event_safe_code(std::string(65, 'a')).empty());
    CHECK(gcx::event_safe_code("").empty());
}

TEST_CASE("events: event_safe_id keeps only UUIDs") {
    CHECK(gcx::event_safe_id("c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10") == "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10");
    CHECK(gcx::event_safe_id("+13175550123").empty());
    CHECK(gcx::event_safe_id("c0a8012e7d3f4b7e9a513f2d6e8b9a10abcd").empty());
    CHECK(gcx::event_safe_id("g0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10").empty());
}

TEST_CASE("events: event_path keeps the path and drops the query and the fragment") {
    CHECK(gcx::event_path("https://api.mypurecloud.com/api/v2/x?q=%2B1317") == "/api/v2/x");
    CHECK(gcx::event_path("http://127.0.0.1:8080/gw/api/v2/flows/executions") == "/gw/api/v2/flows/executions");
    CHECK(gcx::event_path("https://login.mypurecloud.com").empty());
    CHECK(gcx::event_path("https://h/p#frag") == "/p");
}

}  // namespace unit_events
