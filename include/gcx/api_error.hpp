// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_API_ERROR_HPP
#define GCX_API_ERROR_HPP

// Turns a non-2xx Genesys answer into a gcx::error with a hint that says what to do, and words
// why a failed call was not retried (detail::explain_stop).
// Bodies are read as ErrorBody ({message, code, status, contextId, messageParams, ...}) or, for
// /oauth/token, the OAuth shape ({error, description, error_description}); a body that is
// neither (HTML from a proxy, a truncated answer) still gives a typed error.

#include <gcx/deadline.hpp>
#include <gcx/error.hpp>
#include <gcx/error_codes.hpp>
#include <gcx/http.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/operation.hpp>
#include <gcx/retry.hpp>

#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// True for the token endpoint's "token creation rate limit" answer:
/// 400 invalid_request with a description starting "rate limit exceeded".
inline bool is_token_rate_limit(int status, std::string_view oauth_error, std::string_view description) noexcept {
    return status == 400 && oauth_error == "invalid_request" && description.substr(0, 19) == "rate limit exceeded";
}

namespace detail {
/// Server text made safe to hold: at most `n` bytes (cut before a UTF-8 character that would not
/// fit whole, so valid UTF-8 stays valid), control characters as spaces, "..." when cut.
inline std::string clip(std::string_view s, std::size_t n = 300) {
    if (s.size() > n)  // step back over continuation bytes (10xxxxxx) to the start of the cut character
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    std::string out(s.substr(0, n));
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    if (s.size() > n) out += "...";
    return out;
}

/// What an answer is taken for (error::kind), and what to do about it (error::hint).
struct verdict {
    errc kind;
    std::string hint;
};

/// The token endpoint's answers; `rate_limit`: is_token_rate_limit.
inline verdict token_verdict(int s, bool rate_limit) {
    if (rate_limit)
        return {
            errc::rate_limited,
            "Genesys limits how fast an OAuth client may create tokens; gcx retries with backoff and caches one token per client"};
    if (s == 400 || s == 401 || s == 403)
        return {
            errc::auth,
            "check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, that the OAuth client uses the Client Credentials grant, and that GENESYS_REGION is the org's region"};
    if (s == 429)
        return {errc::rate_limited,
                "too many token requests; reuse one client (it caches the token) instead of creating one per lookup"};
    if (s >= 500) return {errc::server, "the Genesys login service failed; retry later"};
    if (s == 404)  // Genesys's token endpoint is there whatever the credentials: the URL names another
        return {errc::config,
                "the login URL has no token endpoint: check GENESYS_REGION, GCX_LOGIN_URL or --login-url; it must be "
                "the region's login host itself, e.g. https://login.mypurecloud.com"};
    return {errc::auth, "the token endpoint refused the request"};
}

/// One row of api_verdict's table: an answer of `status` to `op` (any operation when empty) is
/// taken for `kind`, and `hint` says what to do. 422 is read as 400, and any status from 500 up
/// as 500.
struct verdict_row {
    int status;
    std::optional<operation> op;
    errc kind;
    std::string_view hint;
};

/// The API's answers to a launch, a poll, a lookup or a data action. The first row that matches
/// wins; 403 names the permission the operation needs.
inline verdict api_verdict(int s, operation op) {
    if (s == 403) {
        verdict v{errc::permission, "the OAuth client's role lacks a permission"};
        if (op == operation::data_action)
            v.hint +=
                ": assign a role with integrations:action:execute (or bridge:actions:execute) to the OAuth client";
        else if (std::string perm = required_permission(op); !perm.empty())
            v.hint += ": assign a role with " + perm +
                      (op == operation::launch || op == operation::poll ? " (and the flow's division)" : "") +
                      " to the OAuth client";
        return v;
    }
    static constexpr verdict_row rows[] = {
        {400, operation::launch, errc::bad_request,
         "the flow refused the launch: check that the flow is a published Workflow and that its input variable "
         "(e.g. Flow.PhoneNumber) is marked 'Input to flow' with a matching type"},
        {400, operation::data_action, errc::bad_request,
         "the data action refused its input or its remote call failed (the code is the action's): check the action's "
         "input contract (the input key, e.g. phoneNumber) and test the action in Admin > Integrations > Actions"},
        {400, std::nullopt, errc::bad_request, "the request was refused as invalid; see the message and code"},
        {401, std::nullopt, errc::auth,
         "the access token was refused even after a fresh one was fetched; check the OAuth client is active and in "
         "this org and region"},
        {404, operation::launch, errc::not_found,
         "no such flow: check TARGET_FLOW_ID, that the flow is published, and that it belongs to this org and region"},
        {404, operation::poll, errc::not_found,
         "the execution id is unknown or expired (executions are kept for several days)"},
        {404, operation::data_action, errc::not_found,
         "no such data action: check GCX_ACTION_ID, that the action is published (not a draft), and that it belongs "
         "to this org and region"},
        {404, std::nullopt, errc::not_found, "no such resource"},
        {415, std::nullopt, errc::bad_request,
         "the server refused the Content-Type; a transport must send the request's headers unchanged"},
        {429, std::nullopt, errc::rate_limited,
         "rate limited (client-credentials tokens get about 300 requests per minute); slow down or spread lookups "
         "over time"},
        {500, operation::data_action, errc::server,
         "the data action failed: its remote system failed or timed out (an action waits at most its "
         "config.timeoutSeconds, 1 to 60 s), or Genesys Cloud did; an execution that may have run is retried (502, "
         "503, 504, or a remote's failure) only when data_action_options::idempotent is set"},
        {500, std::nullopt, errc::server,
         "Genesys Cloud failed to answer; retries were exhausted or the request could not safely be repeated"},
    };
    const int key = s == 422 ? 400 : s >= 500 ? 500 : s;
    for (const auto& r : rows)
        if (r.status == key && (!r.op || *r.op == op)) return {r.kind, std::string(r.hint)};
    return {errc::bad_request, "unexpected HTTP status"};
}

/// An execution of a data action that failed inside the action names why in the ErrorBody's
/// details[].errorCode ("ACTION.REMOTE_ENDPOINT": its remote failed or answered an error;
/// "ACTION.TIMEOUT"), behind a top-level code that may only say "internal.server.error", and says
/// it in words in the first nested errors[].message ("REST call for action execute failed. ..."):
/// both are what the user needs, and replace the generic ones in `e`.
template <class J>
void read_action_failure(const typename J::value& body, error& e) {
    if (const auto* details = J::find(body, "details"); details && J::kind_of(*details) == json::kind::array) {
        J::for_each_element(*details, [&e](const typename J::value& d) {
            if (J::kind_of(d) != json::kind::object) return true;
            std::string code = json::get_string_or<J>(d, "errorCode");
            if (code.rfind("ACTION.", 0) != 0) return true;
            e.code = std::move(code);
            return false;
        });
    }
    if (const auto* nested = J::find(body, "errors"); nested && J::kind_of(*nested) == json::kind::array) {
        J::for_each_element(*nested, [&e](const typename J::value& n) {
            if (J::kind_of(n) != json::kind::object) return true;
            std::string m = json::get_string_or<J>(n, "message", json::get_string_or<J>(n, "userMessage"));
            if (m.empty()) return true;
            e.message = std::move(m);
            return false;
        });
    }
}
}  // namespace detail

/// The error for an HTTP answer with a non-2xx status. `wall_now` (the driver's wall clock) reads
/// a Retry-After given as an HTTP date into retry_after_seconds; without it only delta-seconds are.
template <class J>
error error_from_response(const http::response& r, operation op,
                          std::optional<std::chrono::system_clock::time_point> wall_now = std::nullopt) {
    error e;
    e.http_status = r.status;
    e.request = op;
    if (const auto* cid = r.header("ININ-Correlation-Id")) e.correlation_id = *cid;

    std::string description;  // OAuth error text, if any
    auto parsed = J::parse(r.body, 32);
    bool json_body = parsed && J::kind_of(*parsed) == json::kind::object;
    if (json_body) {
        const auto& b = *parsed;
        if (op == operation::token) {
            e.code = json::get_string_or<J>(b, "error");
            description = json::get_string_or<J>(b, "error_description", json::get_string_or<J>(b, "description"));
            e.message = description;
        }
        if (e.code.empty()) e.code = json::get_string_or<J>(b, "code");
        if (e.message.empty()) e.message = json::get_string_or<J>(b, "message");
        if (e.correlation_id.empty()) e.correlation_id = json::get_string_or<J>(b, "contextId");
        if (op == operation::data_action) {
            // The integrations service's own shape: errorCode, userMessage, correlationId.
            if (e.code.empty()) e.code = json::get_string_or<J>(b, "errorCode");
            if (e.message.empty()) e.message = json::get_string_or<J>(b, "userMessage");
            if (e.correlation_id.empty()) e.correlation_id = json::get_string_or<J>(b, "correlationId");
            detail::read_action_failure<J>(b, e);
        }
    }
    // Identifiers chosen by the server (from the body or the header): bounded, without control characters.
    e.code = detail::clip(e.code, 128);
    e.correlation_id = detail::clip(e.correlation_id, 128);
    if (e.message.empty()) {
        e.message = std::string(to_string(op)) + " failed with HTTP " + std::to_string(r.status);
        if (!json_body && !r.body.empty()) e.message += " and a non-JSON body";
    } else {
        e.message = detail::clip(e.message);
    }
    // A number needs no clock; an HTTP date is read only against the driver's wall time.
    if (auto v = longest_retry_after(r, wall_now ? &*wall_now : nullptr))
        e.retry_after_seconds = static_cast<int>(std::min<std::int64_t>((v->count() + 999) / 1000, 1 << 30));

    const int s = r.status;
    if (s >= 300 && s <= 399) {
        // Transports never follow a redirect (the credentials would go along): the URL is wrong,
        // or something between gcx and Genesys Cloud answers for it. The server's fault, not the caller's.
        e.kind = errc::protocol;
        e.code = std::string(codes::redirect);
        e.message = std::string(to_string(op)) + " was answered with a redirect (HTTP " + std::to_string(s) + ")";
        if (const auto* to = r.header("Location"); to && !to->empty()) e.message += " to " + detail::clip(*to, 200);
        e.hint = op == operation::token
                     ? "gcx never follows redirects: check the login URL (GENESYS_REGION, GCX_LOGIN_URL or "
                       "--login-url); it must be the region's login host itself, e.g. https://login.mypurecloud.com, "
                       "not a proxy or portal that redirects"
                     : "gcx never follows redirects: check the API URL (GENESYS_REGION, GCX_API_URL or --api-url); "
                       "it must be the region's API host itself, e.g. https://api.mypurecloud.com";
        return e;
    }
    detail::verdict v = op == operation::token ? detail::token_verdict(s, is_token_rate_limit(s, e.code, description))
                                               : detail::api_verdict(s, op);
    e.kind = v.kind;
    e.hint = std::move(v.hint);
    if (op == operation::data_action && detail::action_ran(e) && s >= 400 && s != 429)
        e.hint = "the data action ran and its remote system failed or answered an error (" + e.code +
                 "; the message says what it answered, unless the action is secure): check the remote, and test "
                 "the action in Admin > Integrations > Actions" +
                 (s >= 500 ? "; an execution that failed this way is retried only when data_action_options::idempotent "
                             "is set"
                           : "");
    return e;
}

namespace detail {
/// Words a retry decision's stop into the error of the failed attempt `e` (a call of `op`, the
/// attempt's own operation `attempt_op`: the call's, or its token request): why it was not sent
/// again, that the deadline ran out, how many retries were spent, the ceiling's Retry-After.
inline void explain_stop(error& e, const retry_decision& d, operation attempt_op, operation op, bool cut_by_deadline,
                         bool idempotent, int retries) {
    const std::string what = to_string(attempt_op);
    if (d.reason == retry_decision::maybe_delivered) {
        e.hint =
            "the " + what + " may have reached Genesys Cloud, so it was not sent again " +
            (op == operation::data_action
                 ? "(a data action may change its remote system; set data_action_options::idempotent for a read-only one)"
                 : "(a second launch could start a second flow)");
    } else if (d.reason == retry_decision::deadline && e.kind == errc::timeout && cut_by_deadline &&
               e.http_status == 0) {
        // The request was given only what was left of the lookup's deadline: that deadline,
        // not the request, is what ran out, whichever timer noticed first.
        e.code = std::string(codes::deadline);
        e.message = "the lookup deadline passed during the " + what + ": " + e.message;
        e.hint = deadline_hint();
        if (!idempotent && e.sent != delivery::not_sent)
            e.hint += "; the " + what + " may have reached Genesys Cloud, so it was not sent again";
    } else if (d.reason == retry_decision::deadline) {
        e.message += " (no time left in the lookup deadline to retry)";
    } else if (d.reason == retry_decision::exhausted) {
        e.message += " (after " + std::to_string(retries) + " retries)";
    } else if (d.reason == retry_decision::ceiling) {
        e.kind = errc::rate_limited;
        e.code = std::string(codes::retry_ceiling);
        e.retry_after_seconds = static_cast<int>(std::min<std::int64_t>((d.delay.count() + 999) / 1000, 1 << 30));
        e.hint = "the server asked to wait " + std::to_string(e.retry_after_seconds) +
                 " s, more than the retry ceiling (a daily or org-wide limit?); " + e.hint;
    }
}
}  // namespace detail

GCX_NAMESPACE_END

#endif
