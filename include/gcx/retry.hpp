// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_RETRY_HPP
#define GCX_RETRY_HPP

// When to try again, and how long to wait. Pure functions and plain policies: the operations
// apply them; nothing here sleeps.

#include <gcx/clock.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// Retries of one logical request (a token fetch, a launch, one poll).
struct retry_policy {
    int max_retries = 5;                      ///< retries after the first attempt, per request
    milliseconds base_delay{200};             ///< first backoff
    milliseconds max_delay{5000};             ///< backoff cap
    std::chrono::seconds retry_after_ceiling{180}; ///< a longer Retry-After is not waited for (as the Java/.NET SDKs)
    milliseconds retry_after_default{3000};   ///< a 429 without Retry-After waits this long
};

/// How often an execution is polled: starts short, grows by `factor`, capped.
struct poll_policy {
    milliseconds initial{200};
    milliseconds max{2000};
    double factor = 1.5;
    int max_polls = 1000;  ///< a hostile server that says RUNNING forever is cut off here
};

/// Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
/// many clients that failed together do not retry together. `jitter01` is in [0, 1).
inline milliseconds backoff_delay(const retry_policy& p, int retry_index, double jitter01) noexcept {
    double d = static_cast<double>(p.base_delay.count());
    for (int i = 0; i < retry_index && d < static_cast<double>(p.max_delay.count()); ++i) d *= 2;
    d = std::min(d, static_cast<double>(p.max_delay.count()));
    jitter01 = std::clamp(jitter01, 0.0, 1.0);
    return milliseconds{static_cast<std::int64_t>(d / 2 + jitter01 * d / 2)};
}

/// The next poll interval after `current`.
inline milliseconds next_poll_interval(const poll_policy& p, milliseconds current) noexcept {
    auto next = static_cast<double>(current.count()) * p.factor;
    return std::min(milliseconds{static_cast<std::int64_t>(next)}, p.max);
}

namespace detail {
inline int month_index(std::string_view m) noexcept {
    static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (m == names[i]) return i;
    return -1;
}
// Days from 1970-01-01 to y-m-d (proleptic Gregorian), after H. Hinnant's public-domain algorithm.
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = m > 2 ? m - 3 : m + 9;
    const unsigned doy = (153 * mp + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
inline bool parse_uint(std::string_view s, std::int64_t& out) noexcept {
    if (s.empty() || s.size() > 12) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}
} // namespace detail

/// Parses a Retry-After value: delta-seconds ("42") or an IMF-fixdate
/// ("Wed, 21 Oct 2026 07:28:00 GMT"), as the wait from `now`. A date in the past gives 0.
/// Anything else gives nullopt.
inline std::optional<milliseconds> parse_retry_after(std::string_view v, std::chrono::system_clock::time_point now) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    std::int64_t secs = 0;
    if (detail::parse_uint(v, secs)) return milliseconds{secs * 1000};
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters)
    if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' ||
        v[19] != ':' || v[22] != ':' || v[25] != ' ' || v.substr(26) != "GMT")
        return std::nullopt;
    std::int64_t day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    int mon = detail::month_index(v.substr(8, 3));
    if (mon < 0 || !detail::parse_uint(v.substr(5, 2), day) || !detail::parse_uint(v.substr(12, 4), year) ||
        !detail::parse_uint(v.substr(17, 2), hh) || !detail::parse_uint(v.substr(20, 2), mm) ||
        !detail::parse_uint(v.substr(23, 2), ss) || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
        return std::nullopt;
    std::int64_t epoch = detail::days_from_civil(year, static_cast<unsigned>(mon + 1), static_cast<unsigned>(day)) * 86400 +
                         hh * 3600 + mm * 60 + ss;
    // Compare in seconds first: a year such as 0001 or 9999 as a system_clock time_point
    // (nanoseconds on libstdc++) would overflow.
    const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (epoch <= now_s) return milliseconds{0};
    if (epoch - now_s > 1000000000) return milliseconds{(epoch - now_s) * 1000};  // decades ahead
    auto at = std::chrono::system_clock::time_point{std::chrono::seconds{epoch}};
    if (at <= now) return milliseconds{0};
    return std::chrono::duration_cast<milliseconds>(at - now);
}

GCX_NAMESPACE_END

#endif
