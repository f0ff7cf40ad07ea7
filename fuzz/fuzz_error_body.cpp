// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Fuzz target: a non-2xx answer. The input is an ErrorBody (or OAuth error, or anything) with an
// optional envelope "@<status> op=<token|launch|poll|direct> ra=<Retry-After>" (fuzz_common.hpp);
// without one it is a 400 to a launch. It goes through gcx::error_from_response<J> for the
// operation given and for every other one, through the described ErrorBody model
// (gcx::from_json<J, gcx::error_body>), and through gcx::parse_retry_after.
//
// Invariants: no crash, no sanitizer report; the error's kind follows the HTTP status (the table
// in api_error.hpp); http_status is the status; message and hint are never empty; the message is
// clipped (at most 303 characters when it came from the body); describe() is one line.
#include "fuzz_common.hpp"

#include <gcx/models.hpp>
#include <gcx/retry.hpp>

#include <chrono>

using namespace gcx_fuzz;
using gcx::errc;

namespace {

errc expected_kind(int s, gcx::operation op, const gcx::error& e) {
    if (s >= 300 && s <= 399) return errc::protocol;  // a redirect, on any call: never followed
    if (op == gcx::operation::token) {
        if (e.kind == errc::rate_limited && (s == 400 || s == 429)) return errc::rate_limited;
        if (s == 400 || s == 401 || s == 403) return errc::auth;
        if (s == 429) return errc::rate_limited;
        if (s >= 500) return errc::server;
        if (s == 404) return errc::config;  // the login URL names no token endpoint
        return errc::auth;
    }
    switch (s) {
    case 400:
    case 422:
    case 415: return errc::bad_request;
    case 401: return errc::auth;
    case 403: return errc::permission;
    case 404: return errc::not_found;
    case 429: return errc::rate_limited;
    default: return s >= 500 ? errc::server : errc::bad_request;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const envelope env = split(data, size, 400, "launch");
    gcx::http::response r;
    r.status = env.status;
    r.body = std::string(env.body);
    r.fields.push_back({"Content-Type", "application/json"});
    r.fields.push_back({"ININ-Correlation-Id", "corr-fuzz-1"});
    if (env.retry_after) r.fields.push_back({"Retry-After", *env.retry_after});

    const gcx::operation given = op_of(env.op);
    for (gcx::operation op :
         {given, gcx::operation::token, gcx::operation::launch, gcx::operation::poll, gcx::operation::direct_lookup}) {
        gcx::error e = gcx::error_from_response<J>(r, op);
        check_error(e, false, false);
        GCX_FUZZ_CHECK(e.http_status == env.status, e.describe());
        GCX_FUZZ_CHECK(e.request == op, e.describe());  // the request that failed
        GCX_FUZZ_CHECK(e.kind == expected_kind(env.status, op, e), e.describe());
        if (env.status >= 300 && env.status <= 399) GCX_FUZZ_CHECK(e.code == gcx::codes::redirect, e.describe());
        GCX_FUZZ_CHECK(!e.hint.empty(), e.describe());
        GCX_FUZZ_CHECK(e.message.size() <= 303 || e.message.find("failed with HTTP") != std::string::npos, e.message);
        if (op == gcx::operation::token && e.kind == errc::rate_limited && env.status == 400)
            GCX_FUZZ_CHECK(e.code == "invalid_request", e.describe());
    }

    // The described model of the same body, at the default and at a small depth limit.
    if (auto v = J::parse(env.body, 64)) {
        auto model = gcx::from_json<J, gcx::error_body>(*v);
        if (!model) {
            GCX_FUZZ_CHECK(model.error().kind == errc::mapping && !model.error().path.empty(),
                           model.error().describe());
            check_error(model.error(), false, false);
        }
        gcx::map_options shallow;
        shallow.max_depth = 3;
        auto limited = gcx::from_json<J, gcx::error_body>(*v, shallow);
        if (!limited) check_error(limited.error(), false, false);
    }

    if (env.retry_after) {
        const std::string& ra = *env.retry_after;
        const auto now = std::chrono::system_clock::time_point{std::chrono::hours{500000}};
        constexpr std::int64_t cap_ms = gcx::detail::retry_after_max_seconds * 1000;
        const auto d = gcx::parse_retry_after(ra, now);
        if (d) GCX_FUZZ_CHECK(d->count() >= 0 && d->count() <= cap_ms, ra);
        // A number needs no clock, and reads the same with one.
        const auto delay = gcx::parse_retry_after_delay(ra);
        if (delay) GCX_FUZZ_CHECK(d && *d == *delay, ra);
        // Digits alone (any number of them) are always read: their value, or the cap. One rule:
        // a value past the ceiling is past it however it is written, never "garbage".
        std::string_view digits(ra);
        while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t')) digits.remove_prefix(1);
        while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
        if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos) {
            GCX_FUZZ_CHECK(delay.has_value(), ra);
            while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
            std::int64_t expect = cap_ms;
            if (digits.size() <= 9) {
                std::int64_t v = 0;
                for (char c : digits) v = v * 10 + (c - '0');
                expect = std::min(v * 1000, cap_ms);
            }
            GCX_FUZZ_CHECK(delay->count() == expect, ra);
            // One more digit never asks for less.
            auto longer = gcx::parse_retry_after_delay(std::string(digits) + "7");
            GCX_FUZZ_CHECK(longer && *longer >= *delay, ra);
        }
        // The retry rule: a 429 whose wait is past the ceiling stops at once, and only then.
        gcx::retry_policy p;
        gcx::error e = gcx::make_error(errc::rate_limited, "slow down");
        gcx::failed_attempt a;
        a.status = 429;
        a.failure = &e;
        a.retry_after_sent = true;
        a.retry_after = d;
        a.time_left = gcx::milliseconds{cap_ms + 1000};
        const auto verdict = gcx::decide_retry(p, a, 0.5);
        const auto waited = std::max(d.value_or(p.retry_after_default), p.retry_after_min);
        GCX_FUZZ_CHECK((verdict.reason == gcx::retry_decision::ceiling) == (waited > p.retry_after_ceiling), ra);
        if (!d)
            GCX_FUZZ_CHECK(
                verdict.what == gcx::retry_decision::verdict::retry && verdict.delay == p.retry_after_default, ra);
    }
    return 0;
}
