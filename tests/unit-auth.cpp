// include/gcx/auth.hpp: the token cache and the token answer parser.
#include "fakes.hpp"

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_auth {

using namespace fakes;
using J = gcx::json::boost_json;
using st = gcx::token_cache::state;
using namespace std::chrono_literals;

namespace {
gcx::http::response body(int status, std::string b) { return respond(status, std::move(b)); }
}  // namespace

TEST_CASE("auth: the token request is Basic auth with a form body") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.mypurecloud.ie");
    auto r = c.request(gcx::milliseconds{5000});
    CHECK(r.verb == method::post);
    CHECK(r.url == "https://login.mypurecloud.ie/oauth/token");
    CHECK(*r.header("Authorization") == "Basic aWQ6cHc=");
    CHECK(*r.header("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(r.body == "grant_type=client_credentials");
    CHECK(r.timeout == gcx::milliseconds{5000});
}

TEST_CASE("auth: base64 of every tail length") {
    CHECK(gcx::detail::base64("") == "");
    CHECK(gcx::detail::base64("f") == "Zg==");
    CHECK(gcx::detail::base64("fo") == "Zm8=");
    CHECK(gcx::detail::base64("foo") == "Zm9v");
    CHECK(gcx::detail::base64("foob") == "Zm9vYg==");
}

TEST_CASE("auth: first caller fetches, the next waits, then both have the token") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    auto a = c.acquire(now);
    CHECK(a.st == st::fetch);
    auto b = c.acquire(now);
    CHECK(b.st == st::wait);
    bool called = false;
    c.on_change([&] { called = true; });
    CHECK_FALSE(called);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"abc","token_type":"bearer","expires_in":86400})"), now));
    CHECK(called);
    auto b2 = c.acquire(now, b.generation);
    REQUIRE(b2.st == st::ready);
    CHECK(b2.token.reveal() == "abc");
}

TEST_CASE("auth: a token is stale refresh_window before it expires") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"abc","token_type":"bearer","expires_in":3600})"), now));
    CHECK(c.acquire(now + 3539s).st == st::ready);
    CHECK(c.acquire(now + 3540s).st == st::fetch);
}

TEST_CASE("auth: fresh_token gives the token held until its renewal is due, and leads no fetch") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    CHECK_FALSE(c.fresh_token(now));  // none yet, and asking starts no fetch:
    REQUIRE(c.acquire(now).st == st::fetch);
    CHECK_FALSE(c.fresh_token(now));  // one in flight is not held
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"abc","token_type":"bearer","expires_in":3600})"), now));
    REQUIRE(c.fresh_token(now + 3539s));
    CHECK(c.fresh_token(now + 3539s)->reveal() == "abc");
    CHECK_FALSE(c.fresh_token(now + 3540s));  // due for renewal: the one who renews it uses acquire()
    CHECK(c.acquire(now + 3540s).st == st::fetch);
}

TEST_CASE("auth: while a renewal is in flight the others go on with the old token until near its expiry") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"old","token_type":"bearer","expires_in":3600})"), now));
    // Stale at 3540 s: the first caller renews, the next one is not held up.
    REQUIRE(c.acquire(now + 3540s).st == st::fetch);
    auto other = c.acquire(now + 3541s);
    REQUIRE(other.st == st::ready);
    CHECK(other.token.reveal() == "old");
    // 10 s before it expires, the old token is no longer lent out: wait for the renewal.
    CHECK(c.acquire(now + 3589s).st == st::ready);
    auto late = c.acquire(now + 3590s);
    CHECK(late.st == st::wait);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"new","token_type":"bearer","expires_in":3600})"), now + 3591s));
    auto after = c.acquire(now + 3591s, late.generation);
    REQUIRE(after.st == st::ready);
    CHECK(after.token.reveal() == "new");
}

TEST_CASE("auth: a token rejected with 401 is not lent out during the renewal") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"old","token_type":"bearer","expires_in":3600})"), now));
    c.invalidate(gcx::secret("old"));
    REQUIRE(c.acquire(now + 1s).st == st::fetch);
    CHECK(c.acquire(now + 1s).st == st::wait);
}

TEST_CASE("auth: a token's life counts from when its request was sent, not from a slow answer") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    const auto sent = manual_clock::start();
    REQUIRE(c.acquire(sent).st == st::fetch);
    // Answered 15 s later: the token may have been issued at once, and expire at sent + 300 s.
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"old","token_type":"bearer","expires_in":300})"), sent));
    REQUIRE(c.acquire(sent + 241s).st == st::fetch);  // stale 60 s before the end: renewal in flight
    CHECK(c.acquire(sent + 289s).st == st::ready);    // lent out until 10 s before it expires
    CHECK(c.acquire(sent + 290s).st == st::wait);     // before: lent out until answered + 290 s
}

TEST_CASE("auth: refuse remembers a fresh token's 401 as a refusal of the credentials, unless a newer token came") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"new","token_type":"bearer","expires_in":600})"), now));
    const auto why = gcx::make_error(gcx::errc::auth, "refused");
    c.refuse(gcx::secret("old"), why, now);  // a 401 for a token already replaced: nothing remembered
    CHECK(c.acquire(now).st == st::ready);
    CHECK_FALSE(c.refused(now));
    c.refuse(gcx::secret("new"), why, now);
    CHECK(c.refused(now));
    auto t = c.acquire(now + 1s);
    REQUIRE(t.st == st::failed);
    CHECK(t.failure.kind == gcx::errc::auth);
    CHECK(t.failure.message.find("answered HTTP") != std::string::npos);
    CHECK(c.refusals() == 1);
    CHECK(c.acquire(now + 61s).st == st::fetch);  // after the back-off (60 s by default)
}

TEST_CASE("auth: a refused renewal leaves the old token lent out until near its expiry, then the refusal") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"old","token_type":"bearer","expires_in":3600})"), now));
    auto renew = c.acquire(now + 3540s);  // stale: this caller renews
    REQUIRE(renew.st == st::fetch);
    auto refused = c.complete<J>(*error_body(401, "invalid_client", "secret rotated"), now + 3541s);
    REQUIRE_FALSE(refused);
    c.abandon(refused.error(), now + 3541s);
    auto during = c.acquire(now + 3542s);  // before: failed, though "old" works for 48 s more
    REQUIRE(during.st == st::ready);
    CHECK(during.token.reveal() == "old");
    CHECK_FALSE(c.refused(now + 3542s));
    CHECK(c.acquire(now + 3590s).st == st::failed);  // 10 s before it expires: the refusal
    CHECK(c.refused(now + 3590s));
}

TEST_CASE("auth: a short-lived token renews at half its life, not always") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s);
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"abc","token_type":"bearer","expires_in":4})"), now));
    CHECK(c.acquire(now + 1s).st == st::ready);
    CHECK(c.acquire(now + 2s).st == st::fetch);
}

TEST_CASE("auth: invalidate drops only the token that was rejected") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    REQUIRE(c.complete<J>(body(200, R"({"access_token":"new","token_type":"bearer","expires_in":600})"), now));
    c.invalidate(gcx::secret("old"));  // a late 401 for a token already replaced
    CHECK(c.acquire(now).st == st::ready);
    c.invalidate(gcx::secret("new"));
    CHECK(c.acquire(now).st == st::fetch);
}

TEST_CASE("auth: a waiter gets the leader's permanent failure but a transient one hands over the fetch") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    auto w = c.acquire(now);
    REQUIRE(w.st == st::wait);
    c.abandon(gcx::make_error(gcx::errc::auth, "invalid_client"), now);
    auto f = c.acquire(now, w.generation);
    CHECK(f.st == st::failed);
    CHECK(f.failure.kind == gcx::errc::auth);
    // a new caller gets the remembered refusal too, without a fetch, until the back-off passed
    CHECK(c.acquire(now + gcx::milliseconds{59999}).st == st::failed);
    CHECK(c.refusals() == 1);
    now += gcx::milliseconds{60000};
    REQUIRE(c.acquire(now).st == st::fetch);
    auto w2 = c.acquire(now);
    c.abandon(gcx::make_error(gcx::errc::transport, "reset"), now);
    CHECK(c.acquire(now, w2.generation).st == st::fetch);
}

TEST_CASE("auth: refused() says while a refusal is remembered, not for a transient failure or a fresh token") {
    auto now = manual_clock::start();
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    CHECK_FALSE(c.refused(now));
    REQUIRE(c.acquire(now).st == st::fetch);
    CHECK_FALSE(c.refused(now));  // a fetch in flight
    c.abandon(gcx::make_error(gcx::errc::transport, "reset"), now);
    CHECK_FALSE(c.refused(now));  // the next caller fetches again
    REQUIRE(c.acquire(now).st == st::fetch);
    c.abandon(gcx::make_error(gcx::errc::auth, "invalid_client"), now);
    CHECK(c.refused(now));
    CHECK(c.refused(now + 59999ms));
    CHECK_FALSE(c.refused(now + 60000ms));
    // A token obtained afterwards clears it.
    REQUIRE(c.acquire(now + 60000ms).st == st::fetch);
    REQUIRE(c.complete<J>(*token_ok(), now + 60000ms));
    CHECK_FALSE(c.refused(now + 60000ms));
}

TEST_CASE("auth: a refusal back-off of milliseconds::max() remembers the refusal, it does not forget it at once") {
    auto now = manual_clock::start();
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", std::chrono::seconds{60},
                       gcx::milliseconds::max());
    REQUIRE(c.acquire(now).st == st::fetch);
    c.abandon(gcx::make_error(gcx::errc::auth, "invalid_client"), now);
    CHECK(c.acquire(now + 1ms).st == st::failed);
    CHECK(c.acquire(now + std::chrono::hours{24 * 365}).st == st::failed);
    CHECK(c.refused(now + std::chrono::hours{24 * 365}));
}

TEST_CASE("auth: a waiter gets a refused certificate or an oversized answer as is, without a second fetch") {
    // Both are transport errors, but a second token request would meet them again.
    for (const char* code : {"certificate", "too_large"}) {
        gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
        auto now = manual_clock::start();
        REQUIRE(c.acquire(now).st == st::fetch);
        auto w = c.acquire(now);
        REQUIRE(w.st == st::wait);
        gcx::error e = gcx::make_error(gcx::errc::transport, "refused");
        e.code = code;
        c.abandon(e, now);
        auto f = c.acquire(now, w.generation);
        CHECK(f.st == st::failed);
        CHECK(f.failure.code == code);
    }
}

TEST_CASE("auth: token answers that are not a token are protocol errors") {
    for (const char* b :
         {"", "null", "[]", R"({"token_type":"bearer"})", R"({"access_token":""})", R"({"access_token":7})",
          R"({"access_token":"a","token_type":"mac"})", R"({"access_token":"a","expires_in":-5})"}) {
        INFO(b);
        auto r = gcx::parse_token_response<J>(b);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::protocol);
    }
    auto ok = gcx::parse_token_response<J>(R"({"access_token":"a","token_type":"Bearer"})");
    REQUIRE(ok);
    CHECK(ok->expires_in == 86400s);  // the documented default when a proxy dropped it
}

TEST_CASE("auth: OAuth error bodies map to auth, and the rate limit to rate_limited") {
    gcx::token_cache c("id", gcx::secret(client_secret), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    auto bad = c.complete<J>(
        body(400,
             R"({"error":"invalid_client","description":"client not found","error_description":"client not found"})"),
        now);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == gcx::errc::auth);
    CHECK(bad.error().code == "invalid_client");
    CHECK(bad.error().message == "client not found");
    auto rl = c.complete<J>(
        body(
            400,
            R"({"error":"invalid_request","description":"rate limit exceeded; retry later","error_description":"rate limit exceeded; retry later"})"),
        now);
    REQUIRE_FALSE(rl);
    CHECK(rl.error().kind == gcx::errc::rate_limited);
    auto html = c.complete<J>(body(503, "<html>down</html>"), now);
    REQUIRE_FALSE(html);
    CHECK(html.error().kind == gcx::errc::server);
    for (const auto* e : {&bad.error(), &rl.error(), &html.error()}) CHECK_FALSE(leaks_secret(e->describe() + e->hint));
}

TEST_CASE("auth: expires_in present but not a positive integer in range is a protocol error, absent is 24 h") {
    for (const char* exp :
         {R"("3600")", "0.5", "3600.0", "1e3", "1e308", "-1e308", "18446744073709551616", "18446744073709551615",
          "9223372036854775807", "315360001", "0", "-5", "null", "true", "[3600]", "{}"}) {
        INFO(exp);
        auto r = gcx::parse_token_response<J>(
            std::string(R"({"access_token":"a","token_type":"bearer","expires_in":)") + exp + "}");
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::protocol);
        CHECK(r.error().code == gcx::codes::token_response);
        CHECK(r.error().message.find("expires_in") != std::string::npos);
    }
    // Beyond a double's range, the answer is not JSON that every backend reads (json::boost_json).
    for (const char* exp : {"1e999", "-1e999"}) {
        auto r = gcx::parse_token_response<J>(
            std::string(R"({"access_token":"a","token_type":"bearer","expires_in":)") + exp + "}");
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::protocol);
    }
    for (std::int64_t good : {std::int64_t{1}, std::int64_t{3600}, std::int64_t{86400}, gcx::max_token_lifetime}) {
        auto r = gcx::parse_token_response<J>(R"({"access_token":"a","token_type":"bearer","expires_in":)" +
                                              std::to_string(good) + "}");
        REQUIRE(r);
        CHECK(r->expires_in == std::chrono::seconds{good});
    }
    auto absent = gcx::parse_token_response<J>(R"({"access_token":"a","token_type":"bearer"})");
    REQUIRE(absent);
    CHECK(absent->expires_in == 86400s);
}

TEST_CASE(
    "auth: a token that cannot stand in a header (CR/LF, space, control, non-ASCII) is the server's protocol error") {
    for (const char* tok :
         {R"(abc\r\nX-Injected: 1)", R"(abc\n)", R"(a b)", R"(a\tb)", R"(a\u0000b)", R"(a\u007fb)", "caf\xc3\xa9"}) {
        INFO(tok);
        auto r = gcx::parse_token_response<J>(std::string(R"({"access_token":")") + tok +
                                              R"(","token_type":"bearer","expires_in":3600})");
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::protocol);
        CHECK(r.error().code == gcx::codes::token_response);
    }
    // What real tokens look like is accepted: base64url, JWT dots, base64 padding.
    auto ok = gcx::parse_token_response<J>(R"({"access_token":"eyJ0.a-b_c~d+e/f==","token_type":"bearer"})");
    REQUIRE(ok);
}

TEST_CASE(
    "auth: a redirect from the token endpoint is a protocol error naming the login URL, remembered like a refusal") {
    gcx::token_cache c("id", gcx::secret(client_secret), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    for (int status : {301, 302, 303, 307, 308}) {
        INFO(status);
        auto r =
            c.complete<J>(respond(status, "<html>moved</html>", {{"Location", "https://portal.example/login"}}), now);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::protocol);
        CHECK(r.error().code == gcx::codes::redirect);
        CHECK(r.error().http_status == status);
        CHECK(r.error().message.find("https://portal.example/login") != std::string::npos);
        CHECK(r.error().hint.find("login URL") != std::string::npos);
        CHECK_FALSE(gcx::token_cache::is_transient(r.error()));
    }
    auto last = c.complete<J>(respond(302, ""), now);
    REQUIRE_FALSE(last);
    c.abandon(last.error(), now);
    auto next = c.acquire(now + 1s);
    CHECK(next.st == st::failed);  // every lookup gets it at once for the back-off, without a request
    CHECK(next.failure.code == gcx::codes::redirect);
}

TEST_CASE("auth: with a zero back-off, waiters get the leader's refusal instead of fetching again") {
    // With no refusal back-off, each caller that waited on a refused fetch would send a token
    // request of its own with the same bad credentials; only a later caller asks again.
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com", 60s, gcx::milliseconds{0});
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    auto w = c.acquire(now);
    REQUIRE(w.st == st::wait);
    c.abandon(gcx::make_error(gcx::errc::auth, "invalid_client"), now);
    CHECK(c.acquire(now, w.generation).st == st::failed);
    CHECK(c.acquire(now).st == st::fetch);  // a new caller: nothing remembered
}

TEST_CASE("auth: a Retry-After past the ceiling on the token request is remembered") {
    // Forgotten, every lookup would send a token request at once and be refused the same way.
    auto e = gcx::make_error(gcx::errc::rate_limited, "too many token requests");
    e.code = std::string(gcx::codes::retry_ceiling);
    CHECK_FALSE(gcx::token_cache::is_transient(e));
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    c.abandon(e, now);
    CHECK(c.acquire(now + 1s).st == st::failed);  // fails at once for the back-off, without a token request
}
TEST_CASE("auth: the waiters of a fetch that spent its retries get its failure, a later caller fetches again") {
    // A login URL refusing every connection: each waiter trying as many times again cost six
    // token requests per lookup at the token pace.
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    auto w = c.acquire(now);
    REQUIRE(w.st == st::wait);
    auto connect = gcx::make_error(gcx::errc::transport, "connection refused (after 5 retries)");
    connect.code = std::string(gcx::codes::connect);
    c.abandon(connect, now, /*spent=*/true);
    auto f = c.acquire(now, w.generation);
    CHECK(f.st == st::failed);
    CHECK(f.failure.code == gcx::codes::connect);
    CHECK_FALSE(c.refused(now));  // not remembered: the next lookup tries again
    CHECK(c.acquire(now + 1ms).st == st::fetch);
    // A fetch given up for the caller's own reason (its deadline, a cancel) hands it over.
    auto w2 = c.acquire(now + 1ms);
    REQUIRE(w2.st == st::wait);
    c.abandon(connect, now + 1ms);
    CHECK(c.acquire(now + 1ms, w2.generation).st == st::fetch);
}

TEST_CASE("auth: a 2xx answer that is not a token is remembered like a refusal") {
    gcx::token_cache c("id", gcx::secret("pw"), "https://login.x.com");
    auto now = manual_clock::start();
    REQUIRE(c.acquire(now).st == st::fetch);
    auto r = c.complete<J>(body(200, "<html>login</html>"), now);
    REQUIRE_FALSE(r);
    REQUIRE(r.error().code == gcx::codes::token_response);
    c.abandon(r.error(), now);
    CHECK(c.refused(now + 1000ms));
    CHECK(c.acquire(now + 1000ms).st == st::failed);
    CHECK(c.acquire(now + 60000ms).st == st::fetch);
}

}  // namespace unit_auth
