// include/gcx/session.hpp (with call.hpp): what the operations of one client share — the request
// budget, the remembered refusal of the credentials, several credentials — tested with the
// scripted transport and the manual clock.
#include "fakes.hpp"

#include <gcx/session.hpp>
#include <gcx/strategy.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_session {

using namespace fakes;
using gcx::errc;
using J = gcx::json::boost_json;
using ms = gcx::milliseconds;

namespace {
const auto wall = std::chrono::system_clock::time_point{std::chrono::hours{500000}};

gcx::session paced_session(double per_minute, gcx::client_config c = config()) {
    c.budget.requests_per_minute = per_minute;
    auto s = gcx::session::create(std::move(c));
    REQUIRE(s);
    s->set_jitter([] { return 0.5; });
    return *s;
}

/// Gives credential `i` of the session a token, as a client that already made one request has.
void prime(const gcx::session& s, gcx::time_point now, std::size_t i = 0) {
    auto& t = s.tokens(i);
    REQUIRE(t.acquire(now).st == gcx::token_cache::state::fetch);
    REQUIRE(t.complete<J>(*token_ok(), now));
}
}  // namespace

TEST_CASE("session: a 429 to one lookup pauses the other lookups of the client until Retry-After") {
    auto s = paced_session(0);  // no pacing: only the pause is under test
    const auto t0 = manual_clock::start();
    prime(s, t0);
    gcx::lookup_operation<J> a(s, phone, t0), b(s, phone, t0);
    REQUIRE(a.next(t0).kind == gcx::action::type::send);
    a.on_response(error_body(429, "too.many.requests", "slow", {{"Retry-After", "5"}}), t0, wall);
    auto next_b = b.next(t0 + ms{10});
    REQUIRE(next_b.kind == gcx::action::type::sleep);
    CHECK(next_b.until == t0 + ms{5000});
    CHECK(b.next(t0 + ms{5000}).kind == gcx::action::type::send);
    CHECK(s.budget().counters().rate_limited == 1);
}

TEST_CASE("session: the lookup timeout starts with the first request, waiting for the budget has its own bound") {
    auto c = config();
    c.lookup_timeout = ms{2000};
    auto s = paced_session(60, c);  // 57 a minute after headroom: one every ~1.05 s, fresh_burst + 1 at once
    const auto t0 = manual_clock::start();
    const int at_once = c.budget.fresh_burst + 1;
    prime(s, t0);
    std::vector<gcx::lookup_operation<J>> ops;
    for (int i = 0; i < 10; ++i) ops.emplace_back(s, phone, t0);
    int sent = 0;
    gcx::time_point last_wake = t0;
    for (auto& op : ops) {
        auto a = op.next(t0);
        if (a.kind == gcx::action::type::send) ++sent;
        else last_wake = std::max(last_wake, a.until);
    }
    CHECK(sent == at_once);
    // The tenth launch is due more than 2 s later (after the others that waited, in the order
    // they asked): it is sent, not timed out.
    auto& tenth = ops.back();
    gcx::time_point now = t0;
    gcx::action a;
    std::vector<bool> sent_yet(ops.size(), false);
    for (int i = 0; i < at_once; ++i) sent_yet[static_cast<std::size_t>(i)] = true;
    for (int round = 0; round < 50 && !sent_yet.back(); ++round) {
        gcx::time_point wake = gcx::time_point::max();
        for (std::size_t k = static_cast<std::size_t>(at_once); k < ops.size(); ++k) {
            if (sent_yet[k]) continue;
            a = ops[k].next(now);
            if (a.kind == gcx::action::type::send) sent_yet[k] = true;
            else wake = std::min(wake, a.until);
        }
        if (!sent_yet.back()) now = wake;
    }
    CHECK(a.kind == gcx::action::type::send);
    CHECK(now - t0 > ms{2000});
    tenth.on_response(launched(), now, wall);
    CHECK(tenth.execution().queued == std::chrono::duration_cast<ms>(now - t0));

    // With a queue bound of 1 s the same wait fails, with its own code.
    c.budget.queue_timeout = ms{1000};
    auto strict = paced_session(60, c);
    prime(strict, t0);
    std::vector<gcx::lookup_operation<J>> more;
    for (int i = 0; i < 10; ++i) more.emplace_back(strict, phone, t0);
    for (auto& op : more) (void)op.next(t0);
    now = t0;
    for (int i = 0; i < 50 && (a = more.back().next(now)).kind == gcx::action::type::sleep; ++i) now = a.until;
    CHECK(a.kind == gcx::action::type::done);
    auto r = more.back().take_result();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::timeout);
    CHECK(r.error().code == gcx::codes::queue_timeout);
}

TEST_CASE("session: the lookup that fetched the token is not charged for its wait for the budget after it") {
    auto c = config();
    c.lookup_timeout = ms{5000};
    c.budget.headroom = 1;
    c.budget.fresh_burst = 0;
    c.budget.burst = 0;
    auto s = paced_session(6, c);  // one launch every 10 s
    const auto t0 = manual_clock::start();
    gcx::lookup_operation<J> leader(s, phone, t0), other(s, phone, t0);
    auto a = leader.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);  // the token request: the leader's deadline starts
    REQUIRE(other.next(t0).kind == gcx::action::type::wait_token);
    leader.on_response(token_ok(), t0, wall);
    REQUIRE(other.next(t0).kind == gcx::action::type::send);  // woken first, it takes the budget's slot
    a = leader.next(t0);
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until == t0 + ms{10000});  // not cut at t0 + 5 s: the wait is queueing, not the lookup's work
    a = leader.next(a.until);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(classify(a.request) == endpoint::launch);
}

TEST_CASE("session: the lookup that fetched the token waits for the budget at most queue_timeout, as the others") {
    auto c = config();
    c.lookup_timeout = ms{5000};
    c.budget.queue_timeout = ms{5000};
    c.budget.headroom = 1;         // (below it, the burst is cut to the headroom's room: 0 requests here)
    auto s = paced_session(6, c);  // one request every 10 s
    const auto t0 = manual_clock::start();
    // The budget is booked far ahead (the polls of earlier lookups, say): the next room is 100 s away.
    for (int i = 0; i < 13; ++i) REQUIRE(s.budget().admit(t0, gcx::request_governor::kind::continuing) == t0);
    gcx::lookup_operation<J> op(s, phone, t0);
    REQUIRE(op.next(t0).kind == gcx::action::type::send);  // the token request: its deadline starts
    op.on_response(token_ok(), t0 + ms{100}, wall);
    auto now = t0 + ms{100};
    gcx::action a;
    for (int i = 0; i < 20 && (a = op.next(now)).kind == gcx::action::type::sleep; ++i) now = a.until;
    REQUIRE(a.kind == gcx::action::type::done);  // before: it slept 105 s, its deadline moved with each wait
    CHECK(now == t0 + ms{5000});
    auto r = op.take_result();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == gcx::codes::queue_timeout);
}

TEST_CASE("session: an API 401 that a fresh token does not cure is remembered, not paid again by every lookup") {
    auto cl = make_client();
    int minted = 0;
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok(86400, "TOKEN-" + std::to_string(++minted));
        return error_body(401, "bad.credentials", "Invalid login credentials.");
    });
    for (int i = 0; i < 10; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::auth);
        CHECK(r.error().http_status == 401);
        CHECK(r.error().message.find("TOKEN-") == std::string::npos);
    }
    CHECK(cl.transport().count(endpoint::token) == 2);   // before: 11 (one fetched per lookup)
    CHECK(cl.transport().count(endpoint::launch) == 2);  // before: 20
    CHECK(cl.tokens().refusals() == 1);
    // After the back-off the client tries again (the cached token, refused, then a fresh one).
    cl.clock().advance(cl.config().refused_credentials_backoff);
    (void)cl.lookup(phone);
    CHECK(cl.transport().count(endpoint::token) == 4);
    CHECK(cl.tokens().refusals() == 2);
}

TEST_CASE("session: a remembered 401 shows later lookups none of the first lookup's answer, its number included") {
    auto cl = make_client();
    // The server quotes the launch it refused, and so the first lookup's phone number.
    const std::string echo = "token refused for inputData Flow.PhoneNumber=+13175550123";
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(401, "bad.credentials", echo))
        .then(endpoint::token, token_ok(86400, "TOKEN-second-aaaaaaaa"))
        .then(endpoint::launch, error_body(401, "bad.credentials", echo));
    auto first = cl.lookup("+13175550123");
    REQUIRE_FALSE(first);
    CHECK(first.error().message.find("3175550123") == std::string::npos);  // its own number: redacted
    auto later = cl.lookup("+442071838750");  // another caller: fails from the memory, sends nothing
    REQUIRE_FALSE(later);
    CHECK(later.error().kind == errc::auth);
    CHECK(later.error().http_status == 401);
    CHECK(later.error().code == "bad.credentials");
    INFO(later.error().describe());
    CHECK(later.error().describe().find("3175550123") == std::string::npos);  // before: the first's number
    CHECK(later.error().message.find("inputData") == std::string::npos);
    CHECK(cl.transport().log().size() == 4);
}

TEST_CASE("session: a launch a fresh token of one credential cannot make goes on with the other credential") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        const auto auth = r.header("Authorization");
        switch (classify(r)) {
        case endpoint::token:
            return token_ok(86400, *auth == "Basic " + gcx::detail::base64("second-client-id:second-secret-value-42")
                                       ? "second-token"
                                       : "first-token");
        case endpoint::launch:
            if (auth && *auth == "Bearer first-token") return error_body(401, "bad.credentials", "refused");
            return launched();
        default: return completed();
        }
    });
    for (int i = 0; i < 4; ++i) REQUIRE(cl.lookup(phone));
    CHECK(cl.tokens(0).refusals() == 1);
    CHECK(cl.transport().count(endpoint::launch) == 6);  // two refused with the first credential, then 4
}

TEST_CASE("session: a refused secret fails every later lookup of the client without another token request") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token)
            return respond(401, R"({"error":"invalid_client","description":"client not found"})");
        return respond(500, "{}");
    });
    for (int i = 0; i < 20; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::auth);
        CHECK(r.error().code == "invalid_client");
    }
    CHECK(cl.transport().count(endpoint::token) == 1);
    CHECK(cl.tokens().refusals() == 1);
    // After the back-off the client tries once more.
    cl.clock().advance(cl.config().refused_credentials_backoff);
    (void)cl.lookup(phone);
    CHECK(cl.transport().count(endpoint::token) == 2);
}

TEST_CASE("session: a 2xx token answer that is not a token is tried twice, with a hint, then remembered") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) {
            gcx::http::response html;
            html.status = 200;
            html.body = "<html><body>Please sign in to the Wi-Fi</body></html>";
            html.fields.push_back({"Content-Type", "text/html"});
            return html;
        }
        return respond(500, "{}");
    });
    for (int i = 0; i < 10; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::protocol);
        CHECK(r.error().code == gcx::codes::token_response);
        CHECK(r.error().hint.find("captive portal") != std::string::npos);
    }
    CHECK(cl.transport().count(endpoint::token) == 2);  // twice, then every lookup fails at once
    CHECK(cl.clock().elapsed() < ms{2000});             // one short backoff, not a deadline spent per number
}

TEST_CASE("session: a retry after a wait longer than the token's life takes a fresh token (no 401)") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok(2, "TOKEN-A-short-lived"))
        .then(endpoint::launch, error_body(429, "too.many.requests", "slow", {{"Retry-After", "3"}}))
        .then(endpoint::token, token_ok(2, "TOKEN-B-short-lived"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup(phone);
    REQUIRE(r);
    auto log = cl.transport().log();
    REQUIRE(log.size() == 5);
    CHECK(*log[3].header("Authorization") == "Bearer TOKEN-B-short-lived");
    CHECK(cl.transport().mismatches().empty());
}

TEST_CASE("session: a Retry-After beyond the ceiling fails at once, saying how long") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, error_body(429, "too.many.requests", "daily limit", {{"Retry-After", "7200"}}));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::rate_limited);
    CHECK(r.error().code == gcx::codes::retry_ceiling);
    CHECK(r.error().retry_after_seconds == 7200);
    CHECK(cl.clock().elapsed() == ms{0});
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("session: several credentials, each with its own token and budget, lookups spread over them") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(60, c);
    REQUIRE(s.credentials() == 2);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    std::vector<gcx::lookup_operation<J>> ops;
    const int at_once = c.budget.fresh_burst + 1;  // on each credential
    int sent = 0;
    for (int i = 0; i < 2 * at_once; ++i) {
        ops.emplace_back(s, phone, t0);
        sent += ops.back().next(t0).kind == gcx::action::type::send;
    }
    CHECK(sent == 2 * at_once);
    CHECK(s.budget(0).counters().admitted == static_cast<std::uint64_t>(at_once));
    CHECK(s.budget(1).counters().admitted == static_cast<std::uint64_t>(at_once));
    CHECK(ops.front().execution().credential == 0);
    CHECK(ops.back().execution().credential == 1);
}

TEST_CASE("session: an extra credential with an empty secret is a configuration error") {
    auto c = config();
    c.extra_credentials.push_back({"x", gcx::secret("")});
    auto s = gcx::session::create(c);
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == errc::config);
}

TEST_CASE("session: a client id given twice among the credentials is a configuration error") {
    for (int which : {0, 1}) {  // the main client's id again, and an extra credential's
        auto c = config();
        c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
        c.extra_credentials.push_back({which == 0 ? c.client_id : "second-client-id", gcx::secret("other-secret-77")});
        auto s = gcx::session::create(c);
        REQUIRE_FALSE(s);
        CHECK(s.error().kind == errc::config);
        CHECK(s.error().message == "extra credential 2 repeats a client id");
        CHECK_FALSE(leaks_secret(s.error().describe()));
    }
}

TEST_CASE("session: a pause longer than a waiting lookup may wait fails it at once, as rate_limited") {
    auto s = paced_session(300);
    const auto t0 = manual_clock::start();
    prime(s, t0);
    gcx::lookup_operation<J> a(s, phone, t0), b(s, phone, t0);
    REQUIRE(a.next(t0).kind == gcx::action::type::send);
    // A daily limit: Retry-After of hours. A fails at the ceiling, B does not wait 10 minutes for nothing.
    a.on_response(error_body(429, "too.many.requests", "daily", {{"Retry-After", "20000"}}), t0, wall);
    REQUIRE(a.done());
    CHECK(a.take_result().error().code == gcx::codes::retry_ceiling);
    CHECK(b.next(t0 + ms{5}).kind == gcx::action::type::done);
    auto r = b.take_result();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::rate_limited);
    CHECK(r.error().code == gcx::codes::retry_ceiling);
    CHECK(r.error().retry_after_seconds >= 19999);
}

TEST_CASE("session: a credential whose refusal is remembered is given no lookup while another works") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    // Credential 1 is refused (a rotated secret): remembered for refused_credentials_backoff.
    auto& refused = s.tokens(1);
    REQUIRE(refused.acquire(t0).st == gcx::token_cache::state::fetch);
    auto r = refused.complete<J>(*error_body(401, "invalid_client", "bad credentials"), t0);
    REQUIRE_FALSE(r);
    refused.abandon(r.error(), t0);
    CHECK(refused.refused(t0));
    CHECK_FALSE(s.tokens(0).refused(t0));
    // Credential 0's budget is busy: its next room is seconds away, credential 1's is now.
    while (s.budget(0).admit(t0, gcx::request_governor::kind::fresh) == t0) {}
    REQUIRE(s.budget(0).next_free(t0) > t0 + ms{500});
    REQUIRE(s.budget(1).next_free(t0) == t0);

    for (int i = 0; i < 10; ++i) CHECK(s.pick(t0) == 0);
    CHECK(s.sooner_credential(0, t0, gcx::time_point::max()) == 0);
    // A lookup on the working credential waits its turn there and does not move to the refused one.
    gcx::lookup_operation<J> op(s, phone, t0);
    CHECK(op.execution().credential == 0);
    auto a = op.next(t0);
    CHECK(a.kind == gcx::action::type::sleep);
    CHECK_FALSE(op.done());
    CHECK(op.execution().credential == 0);

    // Once the back-off has passed, the refused credential is tried again.
    const auto later = t0 + c.refused_credentials_backoff + ms{1};
    CHECK_FALSE(refused.refused(later));
    CHECK(s.sooner_credential(0, later, gcx::time_point::max()) == 1);
}

TEST_CASE("session: when every credential is refused, a lookup still gets one and fails with the refusal") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(0, c);
    const auto t0 = manual_clock::start();
    for (std::size_t i = 0; i < 2; ++i) {
        auto& t = s.tokens(i);
        REQUIRE(t.acquire(t0).st == gcx::token_cache::state::fetch);
        t.abandon(t.complete<J>(*error_body(401, "invalid_client", "bad credentials"), t0).error(), t0);
    }
    gcx::lookup_operation<J> op(s, phone, t0);
    CHECK(op.execution().credential < 2);
    CHECK(op.next(t0).kind == gcx::action::type::done);
    auto r = op.take_result();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::auth);
}

TEST_CASE("session: a lookup whose credential is refused moves to one that works, and so do those waiting for it") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(0, c);
    const auto t0 = manual_clock::start();
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);      // fetches 0's token
    gcx::lookup_operation<J> waiter(s, phone, gcx::op_deadline::from(t0, s.config()), 0);  // waits for it
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    CHECK(waiter.next(t0).kind == gcx::action::type::wait_token);
    // Credential 0 is refused: a rotated secret.
    op.on_response(error_body(401, "invalid_client", "bad credentials"), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    REQUIRE(a.kind == gcx::action::type::send);  // credential 1's token request
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    CHECK(a.request.header("Authorization") != nullptr);
    CHECK(*a.request.header("Authorization") != *s.tokens(0).request(ms{1000}).header("Authorization"));
    op.on_response(token_ok(), t0 + ms{10}, wall);
    a = op.next(t0 + ms{10});
    REQUIRE(a.kind == gcx::action::type::send);  // the launch, on credential 1
    CHECK(a.request.url.find("/api/v2/flows/executions") != std::string::npos);
    op.on_response(launched(), t0 + ms{15}, wall);
    CHECK(op.execution().credential == 1);

    // The lookup that waited for credential 0's token takes credential 1's (no second refusal).
    a = waiter.next(t0 + ms{15});
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url.find("/api/v2/flows/executions") != std::string::npos);
    CHECK(s.tokens(0).refusals() == 1);
    CHECK(s.tokens(1).refusals() == 0);
}

TEST_CASE("session: lookups made at the same moment spread over the credentials") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(300, c);
    const auto t0 = manual_clock::start();
    std::vector<gcx::lookup_operation<J>> ops;
    for (int i = 0; i < 6; ++i) ops.emplace_back(s, phone, t0);
    int on_second = 0;
    for (auto& op : ops) on_second += op.execution().credential == 1;
    CHECK(on_second == 3);
}

TEST_CASE("session: a launch waiting its turn on one credential goes with another that has room, with its token") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    // Credential 0's budget is spent; credential 1's is untouched.
    for (int i = 0; i < 20 && s.budget(0).admit(t0, gcx::request_governor::kind::fresh) == t0; ++i) {}
    REQUIRE(s.budget(0).next_free(t0) > t0 + ms{500});
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);  // at once, on credential 1
    CHECK(s.budget(1).counters().admitted == 1);
    CHECK(a.request.header("Authorization") != nullptr);
    op.on_response(launched(), t0 + ms{5}, wall);
    CHECK(op.execution().credential == 1);
}

namespace {
/// Spends credential `i`'s budget with continuing requests (polls) at `now`, so that its next fresh
/// request waits about `n` intervals.
void spend(const gcx::session& s, std::size_t i, gcx::time_point now, int n) {
    for (int k = 0; k < n; ++k) (void)s.budget(i).admit(now, gcx::request_governor::kind::continuing);
}
bool launches(const gcx::action& a) {
    return a.kind == gcx::action::type::send && a.request.url.find("/api/v2/flows/executions") != std::string::npos;
}
}  // namespace

TEST_CASE("session: fresh lookups go in the order they were asked for, whichever credential has room first") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    c.budget.headroom = 1;          // the burst of 12, not the 3 that 95% of 60 leaves room for
    auto s = paced_session(60, c);  // one request every second per credential
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    spend(s, 0, t0, 8);  // both credentials have room for a launch again at the same moment
    spend(s, 1, t0, 8);
    gcx::lookup_operation<J> first(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    gcx::lookup_operation<J> second(s, phone, gcx::op_deadline::from(t0, s.config()), 1);
    auto a1 = first.next(t0);
    auto a2 = second.next(t0);
    REQUIRE(a1.kind == gcx::action::type::sleep);
    REQUIRE(a2.kind == gcx::action::type::sleep);
    CHECK(a2.until > a1.until);  // the second waits behind the first on its own credential too
    // Meanwhile the first one's credential fills with polls of other lookups: it has room for a
    // launch only seconds later. The first lookup takes the second credential's next room, ahead
    // of the lookup made after it.
    spend(s, 0, a1.until - ms{1}, 4);
    a1 = first.next(a1.until);
    REQUIRE(launches(a1));
    first.on_response(launched(), a1.until + ms{5}, wall);
    CHECK(first.execution().credential == 1);
    CHECK(*a1.request.header("Authorization") == "Bearer " + s.tokens(1).acquire(t0).token.reveal());
    gcx::time_point now = std::max(a2.until, a1.until);
    a2 = second.next(now);
    REQUIRE(a2.kind == gcx::action::type::sleep);
    a2 = second.next(a2.until);
    CHECK(launches(a2));
}

TEST_CASE("session: a lookup that went on its own credential leaves no place behind in the others' queues") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    spend(s, 0, t0, 8);
    spend(s, 1, t0, 8);
    const auto free_at = s.budget(1).next_free(t0);  // when credential 1 has room again
    gcx::lookup_operation<J> first(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a1 = first.next(t0);  // waits in both credentials' queues
    REQUIRE(a1.kind == gcx::action::type::sleep);
    REQUIRE(a1.until <= free_at);
    a1 = first.next(a1.until);
    REQUIRE(launches(a1));  // on its own credential
    // The next lookup on credential 1 goes at once when 1 has room: nothing older waits there.
    gcx::lookup_operation<J> next(s, phone, gcx::op_deadline::from(free_at, s.config()), 1);
    CHECK(launches(next.next(free_at)));
}

TEST_CASE("session: a launch answered 429 goes again at once with another credential that has room") {
    for (const char* retry_after : {"40", "7200"}) {  // a short wait, and one beyond the ceiling
        INFO("Retry-After: " << retry_after);
        auto c = config();
        c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
        auto s = paced_session(60, c);
        const auto t0 = manual_clock::start();
        prime(s, t0, 0);
        prime(s, t0, 1);
        gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
        auto a = op.next(t0);
        REQUIRE(launches(a));
        op.on_response(error_body(429, "too.many.requests.retry.after", "slow", {{"Retry-After", retry_after}}),
                       t0 + ms{5}, wall);
        a = op.next(t0 + ms{5});
        REQUIRE(launches(a));  // not after 40 s or 2 hours on credential 0, nor a failure
        op.on_response(launched(), t0 + ms{10}, wall);
        CHECK(op.execution().credential == 1);
        CHECK(s.budget(0).paused_until() > t0 + ms{30000});  // credential 0 stays paused
    }
}

TEST_CASE("session: a launch answered 429 waits out the Retry-After when no other credential has room sooner") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    c.lookup_timeout = std::chrono::seconds{120};  // time to wait it out
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    s.budget(1).on_rate_limited(t0, ms{60000});  // credential 1 paused for longer
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a = op.next(t0);
    REQUIRE(launches(a));
    op.on_response(error_body(429, "too.many.requests.retry.after", "slow", {{"Retry-After", "40"}}), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until >= t0 + ms{40000});
    a = op.next(a.until);
    CHECK(launches(a));
    op.on_response(launched(), a.until + ms{5}, wall);
    CHECK(op.execution().credential == 0);
}

namespace {
bool polls(const gcx::action& a) {
    return a.kind == gcx::action::type::send && a.request.verb == gcx::http::method::get &&
           a.request.url.find("/api/v2/flows/executions/") != std::string::npos;
}
std::string bearer(const gcx::action& a) {
    for (const auto& f : a.request.fields)
        if (f.name == "Authorization") return f.value;
    return {};
}
/// A two-credential session whose credentials hold the tokens TOKEN-0 and TOKEN-1, and a lookup
/// launched on credential 0 at t0; returns the time its first poll is due.
gcx::time_point launched_on_first(const gcx::session& s, gcx::lookup_operation<J>& op, gcx::time_point t0) {
    for (std::size_t i = 0; i < 2; ++i) {
        REQUIRE(s.tokens(i).acquire(t0).st == gcx::token_cache::state::fetch);
        REQUIRE(s.tokens(i).complete<J>(*token_ok(86400, "TOKEN-" + std::to_string(i)), t0));
    }
    auto a = op.next(t0);
    REQUIRE(launches(a));
    REQUIRE(bearer(a) == "Bearer TOKEN-0");
    op.on_response(launched(), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    REQUIRE(a.kind == gcx::action::type::sleep);
    return a.until;
}
gcx::client_config two_credentials() {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    return c;
}
}  // namespace

TEST_CASE("session: a poll answered 429 goes again with another credential that has room") {
    for (const char* retry_after : {"40", "7200"}) {  // a short wait, and one beyond the ceiling
        INFO("Retry-After: " << retry_after);
        auto s = paced_session(60, two_credentials());
        const auto t0 = manual_clock::start();
        gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
        const auto due = launched_on_first(s, op, t0);
        auto a = op.next(due);
        REQUIRE(polls(a));
        CHECK(bearer(a) == "Bearer TOKEN-0");  // its launch's credential
        op.on_response(error_body(429, "too.many.requests.retry.after", "slow", {{"Retry-After", retry_after}}),
                       due + ms{5}, wall);
        a = op.next(due + ms{5});
        if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
        REQUIRE(a.kind == gcx::action::type::sleep);  // two GETs of one execution, never closer than the floor
        CHECK(a.until == due + ms{5} + s.config().poll.min_interval);
        a = op.next(a.until);
        REQUIRE(polls(a));  // not after 40 s or 2 hours, nor a failure
        CHECK(bearer(a) == "Bearer TOKEN-1");
        op.on_response(completed(), a.until + ms{5}, wall);
        REQUIRE(op.done());
        auto r = op.take_result();
        if (!r) FAIL(r.error().describe());
        CHECK(r->execution.credential == 0);                 // launched there
        CHECK(s.budget(0).paused_until() > t0 + ms{30000});  // credential 0 stays paused
    }
}

TEST_CASE("session: a poll of an execution launched on a credential paused since goes with another") {
    for (int pause_s : {40, 7200}) {  // another lookup's 429: a minute's limit, and a daily one
        INFO("paused for " << pause_s << " s");
        auto s = paced_session(60, two_credentials());
        const auto t0 = manual_clock::start();
        gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
        const auto due = launched_on_first(s, op, t0);
        s.budget(0).on_rate_limited(t0 + ms{10}, std::chrono::seconds{pause_s});
        auto a = op.next(due);
        if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
        REQUIRE(polls(a));  // at once, with the other credential's token
        CHECK(bearer(a) == "Bearer TOKEN-1");
    }
}

TEST_CASE("session: a poll waits out its credential's pause when no other credential has room sooner") {
    auto c = two_credentials();
    c.lookup_timeout = std::chrono::seconds{120};
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    const auto due = launched_on_first(s, op, t0);
    s.budget(1).on_rate_limited(t0 + ms{10}, ms{60000});  // credential 1 paused for longer
    s.budget(0).on_rate_limited(t0 + ms{10}, ms{40000});
    auto a = op.next(due);
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until >= t0 + ms{40000});
    a = op.next(a.until);
    REQUIRE(polls(a));
    CHECK(bearer(a) == "Bearer TOKEN-0");
}

TEST_CASE("session: a token request answered 429 beyond the ceiling sends the lookup to another credential") {
    auto s = paced_session(60, two_credentials());
    const auto t0 = manual_clock::start();
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    op.on_response(error_body(429, "too.many.requests", "daily", {{"Retry-After", "7200"}}), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::send);  // credential 1's token
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    op.on_response(token_ok(86400, "TOKEN-1"), t0 + ms{10}, wall);
    a = op.next(t0 + ms{10});
    REQUIRE(launches(a));
    CHECK(bearer(a) == "Bearer TOKEN-1");
    // The next lookup given credential 0 does not ask its token endpoint again.
    gcx::lookup_operation<J> next(s, phone, gcx::op_deadline::from(t0 + ms{20}, s.config()), 0);
    a = next.next(t0 + ms{20});
    if (a.kind == gcx::action::type::done) FAIL(next.take_result().error().describe());
    CHECK(bearer(a) == "Bearer TOKEN-1");
}

TEST_CASE("session: a token request answered 429 for hours goes with the credential that can send soonest") {
    // Three credentials: 1 holds a token and its budget is full for a while, 2 holds a token and
    // has room now. A lookup given 0, whose token request is answered 429 for two hours, goes with
    // 2 and launches at once, not with 1 seconds later.
    auto c = two_credentials();
    c.extra_credentials.push_back({"third-client-id", gcx::secret("third-secret-value-43")});
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    for (std::size_t i = 1; i <= 2; ++i) {
        REQUIRE(s.tokens(i).acquire(t0).st == gcx::token_cache::state::fetch);
        REQUIRE(s.tokens(i).complete<J>(*token_ok(86400, "TOKEN-" + std::to_string(i)), t0));
    }
    spend(s, 1, t0, 20);  // about 8 s of credential 1's pace ahead
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    op.on_response(error_body(429, "too.many.requests", "daily", {{"Retry-After", "7200"}}), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(launches(a));
    CHECK(bearer(a) == "Bearer TOKEN-2");
}

TEST_CASE("session: a lookup does not go back and forth between a busy credential and one whose tokens are paused") {
    // Credential 0: a fresh token, its budget full for a while. Credential 1: no token, its token
    // requests paused for two hours. A lookup given 1 moves to 0 (it can send sooner) and waits
    // there: 1's budget has room, but without a token it cannot send before the pause ends.
    // (Before, the two moves undid each other within one step, for ever.)
    auto s = paced_session(60, two_credentials());
    const auto t0 = manual_clock::start();
    REQUIRE(s.tokens(0).acquire(t0).st == gcx::token_cache::state::fetch);
    REQUIRE(s.tokens(0).complete<J>(*token_ok(86400, "TOKEN-0"), t0));
    spend(s, 0, t0, 20);  // about 8 s of credential 0's pace ahead
    s.token_budget(1).on_rate_limited(t0, std::chrono::seconds{7200});
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 1);
    auto a = op.next(t0);
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::sleep);
    CHECK(a.until < t0 + std::chrono::seconds{60});
    for (int k = 0; k < 100 && a.kind == gcx::action::type::sleep; ++k) a = op.next(a.until);
    REQUIRE(launches(a));
    CHECK(bearer(a) == "Bearer TOKEN-0");
    CHECK(s.token_budget(1).paused_until() >= t0 + std::chrono::seconds{7200});
}

TEST_CASE("session: a paused budget beside another credential whose token requests are paused: the call waits") {
    // Credential 0 paused for 40 s; credential 1 holds no token and its token requests are paused
    // for two hours: a launch or a poll on 0 waits out the 40 s (it does not move to 1, from which
    // it could send only in two hours, and it does not fail on that pause).
    for (bool poll : {true, false}) {
        INFO((poll ? "a poll" : "a launch"));
        auto c = two_credentials();
        c.lookup_timeout = std::chrono::seconds{120};  // time for the poll to wait it out
        auto s = paced_session(60, c);
        const auto t0 = manual_clock::start();
        prime(s, t0, 0);
        gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
        gcx::time_point now = t0;
        if (poll) {
            auto a = op.next(t0);
            REQUIRE(launches(a));
            op.on_response(launched(), t0 + ms{5}, wall);
            a = op.next(t0 + ms{5});
            REQUIRE(a.kind == gcx::action::type::sleep);
            now = a.until;
        }
        s.token_budget(1).on_rate_limited(t0, std::chrono::hours{2});
        s.budget(0).on_rate_limited(t0, std::chrono::seconds{40});
        auto a = op.next(now);
        if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
        REQUIRE(a.kind == gcx::action::type::sleep);
        CHECK(a.until >= t0 + std::chrono::seconds{40});
        a = op.next(a.until);
        CHECK(launches(a));  // the launch, or the poll (the same path), on credential 0
    }
}

TEST_CASE("session: token requests all answered 429 are tried a bounded number of times, however many credentials") {
    for (bool two : {false, true}) {
        INFO((two ? "two credentials" : "one credential"));
        auto c = two ? two_credentials() : config();
        c.retry.rate_limits_extend_deadline = true;  // the waits are not charged: only the count bounds them
        auto cl = make_client(c);
        cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
            if (classify(r) == endpoint::token)
                return error_body(429, "too.many.requests", "slow", {{"Retry-After", "1"}});
            return error_body(500, "x", "unexpected");
        });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::rate_limited);
        const auto most = static_cast<std::size_t>(std::max(c.retry.max_retries, c.retry.max_rate_limited_retries) + 1);
        CHECK(cl.transport().count(endpoint::token) <= most);
        CHECK(cl.transport().count(endpoint::launch) == 0);
    }
}

TEST_CASE("session: a launch retried after a 503 goes with another credential when its own is paused since") {
    for (int pause_s : {40, 7200}) {  // another lookup's 429: a minute's limit, and a daily one
        INFO("paused for " << pause_s << " s");
        auto s = paced_session(60, two_credentials());
        const auto t0 = manual_clock::start();
        prime(s, t0, 0);
        prime(s, t0, 1);
        gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
        auto a = op.next(t0);
        REQUIRE(launches(a));
        op.on_response(error_body(503, "service.unavailable", "busy", {{"Retry-After", "1"}}), t0 + ms{5}, wall);
        s.budget(0).on_rate_limited(t0 + ms{10}, std::chrono::seconds{pause_s});
        a = op.next(t0 + ms{5});
        REQUIRE(a.kind == gcx::action::type::sleep);  // the 503's Retry-After
        gcx::time_point now = a.until;
        for (int k = 0; k < 20 && a.kind == gcx::action::type::sleep; ++k) a = op.next(now = a.until);
        if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
        CHECK(launches(a));
        CHECK(now < t0 + std::chrono::seconds{5});  // not after the pause
    }
}

TEST_CASE("session: a strategy's second path answered 429 goes with another credential") {
    auto s = paced_session(60, two_credentials());
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    prime(s, t0, 1);
    auto d = gcx::op_deadline::from(t0, s.config());
    d.start(t0);  // as a strategy hands its running deadline to its fallback
    gcx::direct_lookup_operation<J> op(s, phone, d, 0, s.config().direct);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(error_body(429, "too.many.requests.retry.after", "daily", {{"Retry-After", "7200"}}), t0 + ms{5},
                   wall);
    a = op.next(t0 + ms{5});
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::send);  // at once, not a retry_ceiling failure
    CHECK(bearer(a) == "Bearer " + access_token);
    CHECK(s.budget(0).paused_until() > t0 + std::chrono::seconds{3600});
}

TEST_CASE("session: a launch does not leave a credential with room soon for one whose token another call fetches") {
    auto s = paced_session(60, two_credentials());
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    spend(s, 0, t0, 6);  // room for a launch in about 2 s
    REQUIRE(s.budget(0).next_free(t0) < t0 + std::chrono::seconds{5});
    REQUIRE(s.tokens(1).acquire(t0).st == gcx::token_cache::state::fetch);  // another call's token request
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    gcx::time_point now = t0;
    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::sleep);  // on credential 0, not wait_token on 1
    for (int k = 0; k < 20 && a.kind == gcx::action::type::sleep; ++k) a = op.next(now = a.until);
    REQUIRE(launches(a));
    CHECK(now < t0 + std::chrono::seconds{5});
}

TEST_CASE("session: a token request answered 429 for hours moves to a credential whose token is being fetched") {
    // The batch's first moments: credential 0's token request is in flight (another call leads
    // it) when credential 1's is answered 429 for two hours. Waiting for 0's token beats failing.
    auto s = paced_session(60, two_credentials());
    const auto t0 = manual_clock::start();
    REQUIRE(s.tokens(0).acquire(t0).st == gcx::token_cache::state::fetch);  // another call's
    gcx::lookup_operation<J> op(s, phone, gcx::op_deadline::from(t0, s.config()), 1);
    auto a = op.next(t0);
    REQUIRE(a.kind == gcx::action::type::send);
    op.on_response(error_body(429, "too.many.requests", "daily", {{"Retry-After", "7200"}}), t0 + ms{5}, wall);
    a = op.next(t0 + ms{5});
    if (a.kind == gcx::action::type::done) FAIL(op.take_result().error().describe());
    REQUIRE(a.kind == gcx::action::type::wait_token);  // for credential 0's token
    REQUIRE(s.tokens(0).complete<J>(*token_ok(86400, "TOKEN-0"), t0 + ms{50}));
    a = op.next(t0 + ms{50});
    REQUIRE(launches(a));
    CHECK(bearer(a) == "Bearer TOKEN-0");
}

TEST_CASE("session: set_jitter while threads draw jitter is no race (run under TSan)") {
    auto s = gcx::session::create(config());
    REQUIRE(s);
    std::atomic<bool> stop{false};
    std::vector<std::thread> drawers;
    std::atomic<int> out_of_range{0};
    for (int t = 0; t < 2; ++t)
        drawers.emplace_back([&, copy = *s] {
            while (!stop) {
                const double j = copy.jitter();  // a copy of the session shares its jitter source
                if (j < 0 || j >= 1) ++out_of_range;
            }
        });
    for (int i = 0; i < 2000; ++i) s->set_jitter([i] { return (i % 10) / 10.0; });
    stop = true;
    for (auto& t : drawers) t.join();
    CHECK(out_of_range == 0);
    s->set_jitter([] { return 0.25; });
    CHECK(s->jitter() == 0.25);
}

TEST_CASE("session: a poll's 401 after its own launch went through does not refuse the credential") {
    auto cl = make_client();
    int minted = 0, polls = 0;
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token: return token_ok(86400, "TOKEN-" + std::to_string(++minted));
        case endpoint::launch: return launched();
        case endpoint::poll:
            if (++polls <= 2) return error_body(401, "bad.credentials", "Invalid login credentials.");
            return completed();
        default: return error_body(500, "x", "unexpected");
        }
    });
    auto first = cl.lookup(phone);
    REQUIRE_FALSE(first);
    CHECK(first.error().http_status == 401);
    CHECK(cl.tokens().refusals() == 0);
    auto second = cl.lookup(phone);  // its launch and poll go through
    INFO((second ? std::string("ok") : second.error().describe()));
    CHECK(second);
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("session: a lookup on a 429-paused credential goes with another that has room, even before its token") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = paced_session(60, c);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    // Credential 1's token is due for renewal by T (a 120 s life is renewed 60 s before it ends).
    REQUIRE(s.tokens(1).acquire(t0).st == gcx::token_cache::state::fetch);
    REQUIRE(s.tokens(1).complete<J>(*token_ok(120), t0));
    const auto T = t0 + std::chrono::seconds{61};
    s.budget(0).on_rate_limited(T, ms{30000});  // a 429 with Retry-After: 30 on credential 0
    gcx::lookup_operation<J> waiting(s, phone, gcx::op_deadline::from(T, s.config()), 0);
    auto a = waiting.next(T);  // not 30 s of sleep: it renews credential 1's token and launches there
    REQUIRE(a.kind == gcx::action::type::send);
    REQUIRE(a.request.url.find("/oauth/token") != std::string::npos);
    waiting.on_response(token_ok(), T + ms{100}, wall);
    CHECK(launches(waiting.next(T + ms{100})));
}

TEST_CASE("session: a request that does not wait in turn never takes a waiting lookup's place") {
    auto s = paced_session(60);
    const auto t0 = manual_clock::start();
    prime(s, t0, 0);
    spend(s, 0, t0, 8);
    gcx::lookup_operation<J> first(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    auto a1 = first.next(t0);  // waits with the session's first ticket
    REQUIRE(a1.kind == gcx::action::type::sleep);
    // The overload without a ticket is told to wait: it must not forget the lookup's place.
    REQUIRE(s.budget(0).admit(t0 + ms{1}, gcx::request_governor::kind::fresh) > t0 + ms{1});
    gcx::lookup_operation<J> second(s, phone, gcx::op_deadline::from(t0, s.config()), 0);
    REQUIRE(second.next(t0 + ms{2}).kind == gcx::action::type::sleep);
    CHECK_FALSE(launches(second.next(a1.until)));  // the younger asks a moment first, and waits
    CHECK(launches(first.next(a1.until)));
}

namespace {
/// Steps `n` lookups (lookup i on credential i % 2, all made at t0 in index order) to their end
/// over a network that answers in 100 ms; tokens live `token_life` s; `launch_status(k)` is the
/// k-th launch's answer (200 or 429). Returns the lookups in the order their launches went out,
/// and counts launches sent with a token of another credential than the lookup reports.
struct batch_run {
    std::vector<std::size_t> launch_order;
    int wrong_token = 0;
    gcx::time_point end{};
};
batch_run run_batch(const gcx::session& s, std::size_t n, int token_life,
                    std::function<int(std::size_t)> launch_status) {
    const auto t0 = manual_clock::start();
    const std::string basic0 = *s.tokens(0).request(ms{1}).header("Authorization");
    int minted[2] = {0, 0};
    std::vector<gcx::lookup_operation<J>> ops;
    for (std::size_t i = 0; i < n; ++i) ops.emplace_back(s, phone, gcx::op_deadline::from(t0, s.config()), i % 2);
    struct state {
        gcx::time_point at{};
        bool in_flight = false, done = false;
        gcx::http::request sent;
    };
    std::vector<state> st(n);
    for (auto& x : st) x.at = t0;
    batch_run out;
    std::size_t launches_answered = 0;
    for (int guard = 0; guard < 500000; ++guard) {
        std::size_t i = n;
        for (std::size_t k = 0; k < n; ++k)
            if (!st[k].done && (i == n || st[k].at < st[i].at)) i = k;
        if (i == n) break;
        const auto now = st[i].at;
        out.end = now;
        if (st[i].in_flight) {
            st[i].in_flight = false;
            const auto e = classify(st[i].sent);
            answer r = completed();
            if (e == endpoint::token) {
                const std::size_t c = *st[i].sent.header("Authorization") == basic0 ? 0 : 1;
                r = token_ok(token_life, "TOK" + std::to_string(c) + "-" + std::to_string(++minted[c]));
            } else if (e == endpoint::launch) {
                r = launch_status(launches_answered++) == 429
                        ? error_body(429, "too.many.requests", "slow", {{"Retry-After", "3"}})
                        : launched();
            }
            const bool answered = r && r->status == 200 && e == endpoint::launch;
            ops[i].on_response(std::move(r), now, wall + (now - t0));
            // A launch that went through: with the token of the credential it reports (a poll may
            // go with another's while the launch's is paused: see "a poll answered 429 goes again ...").
            const std::string want = "Bearer TOK" + std::to_string(ops[i].execution().credential) + "-";
            if (answered && st[i].sent.header("Authorization")->rfind(want, 0) != 0) ++out.wrong_token;
        }
        const gcx::action a = ops[i].next(now);
        switch (a.kind) {
        case gcx::action::type::done: st[i].done = true; break;
        case gcx::action::type::sleep: st[i].at = std::max(a.until, now + ms{1}); break;
        case gcx::action::type::wait_token: st[i].at = now + ms{10}; break;
        case gcx::action::type::send:
            st[i].in_flight = true;
            st[i].sent = a.request;
            st[i].at = now + ms{100};
            if (launches(a) && std::find(out.launch_order.begin(), out.launch_order.end(), i) == out.launch_order.end())
                out.launch_order.push_back(i);
            break;
        }
    }
    return out;
}
std::size_t inversions(const std::vector<std::size_t>& order) {
    std::size_t k = 0;
    for (std::size_t i = 1; i < order.size(); ++i) k += order[i] < order[i - 1];
    return k;
}
}  // namespace

TEST_CASE("session: a batch over two credentials launches in the order asked and leaves no place in a queue") {
    for (int life : {86400, 120, 90}) {
        for (std::size_t every : {std::size_t{0}, std::size_t{7}, std::size_t{13}}) {  // a 429 on every k-th launch
            INFO("token life " << life << " s, a 429 every " << every << " launches");
            auto c = config();
            c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
            auto s = paced_session(60, c);
            const auto r =
                run_batch(s, 60, life, [every](std::size_t k) { return every && k % every == 3 ? 429 : 200; });
            CHECK(r.launch_order.size() == 60);
            CHECK(r.wrong_token == 0);
            // Without 429s or renewals, strictly in order; a few launches may swap around a renewal.
            CHECK(inversions(r.launch_order) <= (every == 0 && life == 86400 ? 0u : 4u));
            const auto later = r.end + std::chrono::hours{1};  // nothing left waiting in either queue
            CHECK(s.budget(0).next_free(later) == later);
            CHECK(s.budget(1).next_free(later) == later);
        }
    }
}

TEST_CASE("session: threads stepping lookups of one client over two credentials leave no place behind (TSan)") {
    auto c = config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    c.budget.requests_per_minute = 6000;
    auto cl = make_client(c);
    std::atomic<int> minted{0}, launched_n{0};
    cl.transport().set_fallback([&](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token: return token_ok(120, "TOK" + std::to_string(minted.fetch_add(1)));
        case endpoint::launch:
            if (launched_n.fetch_add(1) % 11 == 5)
                return error_body(429, "too.many.requests", "slow", {{"Retry-After", "1"}});
            return launched();
        default: return completed();
        }
    });
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) ok += cl.lookup(phone) ? 1 : 0;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 100);
    const auto later = manual_clock::start() + std::chrono::hours{100};
    CHECK(cl.session().budget(0).next_free(later) == later);
    CHECK(cl.session().budget(1).next_free(later) == later);
}

}  // namespace unit_session
