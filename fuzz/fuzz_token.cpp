// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Fuzz target: the OAuth token answer. The input is the body of POST /oauth/token's answer
// (optionally with an "@status" envelope, see fuzz_common.hpp). It goes through
// gcx::parse_token_response<J> and through the shared token cache (token_cache::complete<J>),
// as a 2xx and, for envelope statuses, as an error answer.
//
// Invariants: no crash, no sanitizer report; a parsed token is non-empty with a lifetime in
// (0, 10 years]; a stored token is handed out by the next acquire() and renewed before it expires;
// a refused answer is a typed error whose describe() is one line.
#include "fuzz_common.hpp"

#include <chrono>

using namespace gcx_fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const envelope env = split(data, size, 200, "token");
    const std::string_view body = env.body;

    // 1. The parser on its own.
    auto parsed = gcx::parse_token_response<J>(body);
    if (parsed) {
        GCX_FUZZ_CHECK(!parsed->access_token.empty(), std::string(body));
        GCX_FUZZ_CHECK(parsed->expires_in.count() > 0 && parsed->expires_in.count() <= 10LL * 365 * 86400,
                       std::to_string(parsed->expires_in.count()));
        // The token can stand in a header as it is: visible ASCII only (no CR/LF, space, control).
        for (char c : parsed->access_token.reveal())
            GCX_FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f,
                           std::string(body));
        // expires_in was absent (the 24 h default) or a JSON integer equal to the lifetime: never
        // a string, a fraction, an exponent or an out-of-range number silently read as something.
        auto v = J::parse(body, 16);
        GCX_FUZZ_CHECK(v && J::kind_of(*v) == gcx::json::kind::object, std::string(body));
        if (const auto* e = J::find(*v, "expires_in")) {
            GCX_FUZZ_CHECK(J::kind_of(*e) == gcx::json::kind::integer, std::string(body));
            GCX_FUZZ_CHECK(J::get_int(*e) == parsed->expires_in.count(), std::string(body));
        } else {
            GCX_FUZZ_CHECK(parsed->expires_in.count() == 86400, std::string(body));
        }
    } else {
        GCX_FUZZ_CHECK(parsed.error().kind == gcx::errc::protocol, parsed.error().describe());
        check_error(parsed.error(), false, false);
    }

    // 2. Through the token cache, as the fetching caller would hand it in.
    gcx::token_cache cache(client_id, gcx::secret(client_secret), "https://login.mypurecloud.com");
    const gcx::time_point now{std::chrono::hours{1000}};
    auto t = cache.acquire(now);
    GCX_FUZZ_CHECK(t.st == gcx::token_cache::state::fetch, "first acquire must fetch");
    gcx::http::response r;
    r.status = env.status;
    r.body = std::string(body);
    r.fields.push_back({"Content-Type", "application/json"});
    if (env.retry_after) r.fields.push_back({"Retry-After", *env.retry_after});
    auto got = cache.complete<J>(r, now);
    const bool ok_status = env.status >= 200 && env.status <= 299;
    if (got) {
        GCX_FUZZ_CHECK(ok_status, "a non-2xx answer was taken as a token");
        GCX_FUZZ_CHECK(parsed.has_value() && got->reveal() == parsed->access_token.reveal(),
                       "cache and parser disagree");
        auto again = cache.acquire(now);
        GCX_FUZZ_CHECK(again.st == gcx::token_cache::state::ready && again.token == *got,
                       "stored token not handed out");
        // Renewed before it expires: at expiry the cache must want a new one.
        auto at_expiry = cache.acquire(now + parsed->expires_in);
        GCX_FUZZ_CHECK(at_expiry.st == gcx::token_cache::state::fetch, "an expired token was still handed out");
        GCX_FUZZ_CHECK(cache.tokens_fetched() == 1, "one answer, one token");
    } else {
        const gcx::error& e = got.error();
        check_error(e, false, false);
        if (!ok_status) {
            GCX_FUZZ_CHECK(e.http_status == env.status, e.describe());
            // A redirect is the server's fault (protocol, code redirect), never a refusal of the credentials.
            const bool redirect = env.status >= 300 && env.status <= 399;
            GCX_FUZZ_CHECK(redirect == (e.kind == gcx::errc::protocol), e.describe());
            // A 404 is the login URL's (no token endpoint there): a configuration error.
            GCX_FUZZ_CHECK(e.kind == gcx::errc::auth || e.kind == gcx::errc::rate_limited ||
                               e.kind == gcx::errc::server || (redirect && e.code == gcx::codes::redirect) ||
                               (env.status == 404 && e.kind == gcx::errc::config),
                           e.describe());
        }
        cache.abandon(e, now);
        // A refusal is remembered for the back-off (60 s by default); after it, a new caller fetches again.
        const auto later = now + gcx::milliseconds{60000};
        auto next = cache.acquire(later);
        GCX_FUZZ_CHECK(next.st == gcx::token_cache::state::fetch,
                       "after abandon and the back-off a new caller fetches again");
        cache.abandon(e, later);
    }
    return 0;
}
