// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_LIMITS_HPP
#define GCX_CHECK_LIMITS_HPP

// The preflight check's limits item: the org's request limits as
// GET /api/v2/organizations/limits/namespaces/platform.api lists them, against what the request
// governor will send (requests_per_minute × headroom per credential, the number of credentials).
// A warning when the configured rate is above the per-token limit, or all credentials together
// above an org-wide per-minute limit; skipped when the limits could not be read.
//
// Only `client.credentials.token.rate.per.minute` is documented; a key with "org" and
// "per.minute" in it is taken as an org-wide per-minute limit (inferred, docs/check.md).

#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/config.hpp>
#include <gcx/json/backend.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace check_detail {

/// "the request governor paces each of 2 credentials at 285 requests/min (95% of ...)"; with
/// `failed` credentials that failed their check, the working ones only, and says so.
inline std::string governor_text(const client_config& cfg, std::size_t credentials, std::size_t failed) {
    const double rate = cfg.budget.requests_per_minute;
    const std::string others =
        failed == 0   ? std::string()
        : failed == 1 ? " (the other failed above: no lookup goes with it)"
                      : " (the other " + std::to_string(failed) + " failed above: no lookup goes with them)";
    if (rate <= 0) return "the request governor does not pace (requests_per_minute 0)";
    auto per_minute = [](double r) { return std::to_string(static_cast<long long>(r + 0.5)); };
    const double headroom = std::clamp(cfg.budget.headroom, 0.01, 1.0);
    const std::size_t working = credentials - std::min(failed, credentials);
    return "the request governor paces each of " + std::to_string(working) + (failed ? " working" : "") +
           " credential" + (working == 1 ? "" : "s") + others + " at " + per_minute(rate * headroom) +
           " requests/min (" + per_minute(100 * headroom) + "% of requests_per_minute " + per_minute(rate) + ")";
}

}  // namespace check_detail

/// Whether a limit key reads as an org-wide budget per minute ("org.api.rate.per.minute"): "org"
/// and "per.minute" in it, and nothing that makes it per user, app, client or token
/// (`org.app.user.rate.per.minute` is per user and OAuth client).
inline bool org_wide_per_minute(std::string_view key) {
    const auto has = [&](std::string_view w) { return key.find(w) != std::string_view::npos; };
    return has("org") && has("per.minute") && !has("user") && !has("app") && !has("client") && !has("token");
}

/// Adds the "limits" item from the limits request's outcome: `err` when it failed, else `body`
/// (nullptr: the answer was not a JSON object). `failed`: how many of the `credentials` failed
/// their check (lookups go with the others only).
template <class J>
void report_limits(check_report& report, const client_config& cfg, std::size_t credentials, const error* err,
                   const typename J::value* body, std::size_t failed = 0) {
    using value_type = typename J::value;
    const double rate = cfg.budget.requests_per_minute;
    const std::string governor = check_detail::governor_text(cfg, credentials, failed);
    credentials -= std::min(failed, credentials);  // those that send
    if (err || !body) {
        report.add("limits", check_status::skipped,
                   "the org's limits could not be read" +
                       (err ? " (" + check_detail::failure_text(*err) + ")" : std::string()) + "; " + governor);
        return;
    }
    long long per_token = -1, org = -1;
    std::string listed;
    if (const value_type* ents = J::find(*body, "entities"); ents && J::kind_of(*ents) == json::kind::array)
        J::for_each_element(*ents, [&](const value_type& e) {
            if (J::kind_of(e) != json::kind::object) return true;
            const std::string key = json::get_string_or<J>(e, "key");
            const std::int64_t v = json::get_int_or<J>(e, "value", -1);
            if (key.empty() || v < 0) return true;
            listed += (listed.empty() ? "" : ", ") + detail::clip(key, 100) + " = " + std::to_string(v);
            if (key == "client.credentials.token.rate.per.minute") per_token = v;
            else if (org_wide_per_minute(key)) org = v;
            return true;
        });
    const std::string msg = (listed.empty() ? std::string("no limit listed") : listed) + "; " + governor;
    // The most the governor sends per credential in any minute: the rate times the headroom, and
    // the burst continuing requests may run ahead of it (governor.hpp).
    const double headroom = std::clamp(cfg.budget.headroom, 0.01, 1.0);
    const double paced = rate * headroom + std::max(0, cfg.budget.burst);
    if (per_token > 0 && rate <= 0) {
        report.add("limits", check_status::warn, msg,
                   "without pacing a batch meets the per-token limit's 429s after " + std::to_string(per_token) +
                       " requests in a minute: set budget.requests_per_minute (--rate) to at most " +
                       std::to_string(per_token));
    } else if (per_token > 0 && paced > static_cast<double>(per_token)) {
        const auto most = static_cast<long long>(
            std::max(1.0, static_cast<double>(per_token - std::max(0, cfg.budget.burst)) / headroom));
        report.add("limits", check_status::warn, msg,
                   "the governor may send more than the per-token limit in a minute (its pace plus a burst of " +
                       std::to_string(std::max(0, cfg.budget.burst)) +
                       "): set budget.requests_per_minute (--rate) to at most " + std::to_string(most));
    } else if (org > 0 && rate > 0 && paced * static_cast<double>(credentials) > static_cast<double>(org)) {
        report.add("limits", check_status::warn, msg,
                   "all credentials together may exceed the org-wide limit of " + std::to_string(org) +
                       "/min: expect 429s, or lower the rate");
    } else {
        report.add("limits", check_status::ok, msg);
    }
}

GCX_NAMESPACE_END

#endif
