// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_RETRY_HPP
#define GCX_RETRY_HPP

// When to try again, and how long to wait. Pure functions and plain policies: the operations
// apply them; nothing here sleeps.

#include <gcx/clock.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <iterator>
#include <optional>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// Retries of one logical request (a token fetch, a launch, one poll).
struct retry_policy {
    int max_retries = 5;  ///< retries after the first attempt, per request
    /// A 429 says the request was not processed and when to try again: it is retried up to this
    /// many times per request (each wait at least retry_after_min; the deadline bounds them too),
    /// so that a busy org's 429s do not end a lookup that still has time. At least max_retries.
    int max_rate_limited_retries = 30;
    milliseconds base_delay{200};                   ///< first backoff
    milliseconds max_delay{5000};                   ///< backoff cap
    std::chrono::seconds retry_after_ceiling{180};  ///< a longer Retry-After is not waited for (as the Java/.NET SDKs)
    milliseconds retry_after_default{3000};         ///< a 429 without (a readable) Retry-After waits this long
    milliseconds retry_after_min{1000};             ///< a 429 never waits less, whatever Retry-After says ("0")
    /// A wait for a 429 (its Retry-After) or for the request budget (the pause a 429 puts on
    /// every request of the credential, the slower pace after it) is not charged to the lookup
    /// timeout: a started lookup's deadline moves by it, so that a lookup whose flow already runs
    /// waits the limit out instead of ending with its execution id (gcx-lookup
    /// --wait-rate-limit). The ceiling and the number of retries still bound it.
    bool rate_limits_extend_deadline = false;

    /// The first of its durations that is not usable_duration(), or nullptr.
    const char* unusable_duration() const noexcept {
        return !usable_duration(base_delay)            ? "base_delay"
               : !usable_duration(max_delay)           ? "max_delay"
               : !usable_duration(retry_after_ceiling) ? "retry_after_ceiling"
               : !usable_duration(retry_after_default) ? "retry_after_default"
               : !usable_duration(retry_after_min)     ? "retry_after_min"
                                                       : nullptr;
    }
};

/// How often an execution is polled. Until the client has seen enough executions of a flow to
/// know how long they take (poll_schedule.hpp), it polls at `initial`, growing by `factor` up to
/// `max`; then it polls first where most executions have ended, and then in short steps.
/// Two polls of one execution are never closer than `min_interval`.
struct poll_policy {
    milliseconds initial{700};  ///< the first poll of a flow not yet learned
    milliseconds max{2000};
    double factor = 1.5;
    int max_polls = 1000;            ///< a hostile server that says RUNNING forever is cut off here
    milliseconds min_interval{100};  ///< the floor between two polls of one execution
    bool adaptive = true;            ///< learn the flow's run times (off: the fixed schedule above)
    double target_polls = 1.5;       ///< adaptive: polls per lookup the schedule aims at, on average

    /// The first of its durations that is not usable_duration(), or nullptr.
    const char* unusable_duration() const noexcept {
        return !usable_duration(initial)        ? "initial"
               : !usable_duration(max)          ? "max"
               : !usable_duration(min_interval) ? "min_interval"
                                                : nullptr;
    }
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

/// The next poll interval after `current` (never below min_interval), rounded up, so that it grows
/// by the factor from any start: truncated, 1 ms x 1.5 stayed 1 ms for ever.
inline milliseconds next_poll_interval(const poll_policy& p, milliseconds current) noexcept {
    const auto floor = std::max(p.min_interval, milliseconds{1});
    auto next = std::ceil(static_cast<double>(std::max(current, floor).count()) * std::max(p.factor, 1.0));
    return std::max(std::min(milliseconds{static_cast<std::int64_t>(next)}, std::max(p.max, floor)), floor);
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

/// The longest wait a Retry-After is read as: 400 days. A longer one says nothing more (every
/// ceiling refuses it), and in nanoseconds it would overflow a time_point.
inline constexpr std::int64_t retry_after_max_seconds = 400LL * 24 * 3600;

/// A Retry-After written as a number: delta-seconds ("120", any number of digits), or a decimal
/// number in another notation ("1.5", "1e9", "2.5E+3"), rounded up to whole seconds. Saturates
/// at retry_after_max_seconds, so a huge value is huge, never garbage. Anything else (a sign,
/// letters, an empty value): nullopt.
inline std::optional<std::int64_t> retry_after_number(std::string_view v) noexcept {
    constexpr std::int64_t cap = retry_after_max_seconds;
    std::size_t i = 0;
    auto digit = [&v](std::size_t at) { return at < v.size() && v[at] >= '0' && v[at] <= '9'; };
    // The digits, as one integer d (saturating at the cap) with a decimal exponent x: value d * 10^x.
    std::int64_t d = 0;
    std::int64_t x = 0;
    bool any = false;
    bool dropped = false;  // a nonzero digit past the cap was not added to d: round up for it
    for (; digit(i); ++i, any = true) {
        if (d < cap) {
            d = d * 10 + (v[i] - '0');
        } else {
            ++x;  // d is already past the cap: later digits only multiply it
            dropped = dropped || v[i] != '0';
        }
    }
    if (i < v.size() && v[i] == '.') {
        ++i;
        for (; digit(i); ++i, any = true) {
            if (d < cap) {
                d = d * 10 + (v[i] - '0');
                --x;
            } else {
                dropped = dropped || v[i] != '0';  // a negative exponent may still bring d back
            }
        }
    }
    if (!any) return std::nullopt;
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) negative = v[i++] == '-';
        if (!digit(i)) return std::nullopt;
        std::int64_t e = 0;
        for (; digit(i); ++i)
            if (e < 100000) e = e * 10 + (v[i] - '0');
        x += negative ? -e : e;
    }
    if (i != v.size()) return std::nullopt;
    if (d == 0) return 0;
    for (; x > 0; --x) {
        if (d >= cap) return cap;
        d *= 10;
    }
    bool rounded = false;
    for (; x < 0 && d > 0; ++x) {
        rounded = rounded || d % 10 != 0;
        d /= 10;
    }
    if (x < 0) rounded = true;    // what was left is a fraction of a second
    if (rounded || dropped) ++d;  // up: never wait less than asked
    return std::min(d, cap);
}
}  // namespace detail

namespace detail {
/// Whether `e` is a data action's failure inside the action (its ErrorBody's details name an
/// "ACTION." errorCode, which api_error.hpp's read_action_failure makes the error's code): the
/// action exists and ran, whatever the HTTP status (a remote's 404 may come back as one).
inline bool action_ran(const error& e) noexcept { return e.code.rfind("ACTION.", 0) == 0; }

}  // namespace detail

/// The wait a Retry-After written as a number asks for (see parse_retry_after), without a
/// clock; nullopt for anything else (an HTTP date needs the wall clock: parse_retry_after).
inline std::optional<milliseconds> parse_retry_after_delay(std::string_view v) noexcept {
    if (auto secs = detail::retry_after_number(detail::trim_blanks(v))) return milliseconds{*secs * 1000};
    return std::nullopt;
}

/// Parses a Retry-After value as the wait from `now`: delta-seconds ("42"; any number of digits,
/// a value past 400 days read as 400 days, so the retry ceiling refuses it), a number in another
/// notation ("1.5", "1e9": rounded up to whole seconds, the same cap), or an IMF-fixdate
/// ("Wed, 21 Oct 2026 07:28:00 GMT"; a date in the past gives 0). Anything else gives nullopt:
/// it says nothing of how long, and is waited like an absent one (retry_policy::retry_after_default).
inline std::optional<milliseconds> parse_retry_after(std::string_view v, std::chrono::system_clock::time_point now) {
    v = detail::trim_blanks(v);
    constexpr std::int64_t max_s = detail::retry_after_max_seconds;
    if (auto secs = detail::retry_after_number(v)) return milliseconds{*secs * 1000};
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters)
    if (v.size() != 29 || v[3] != ',' || v[4] != ' ' || v[7] != ' ' || v[11] != ' ' || v[16] != ' ' || v[19] != ':' ||
        v[22] != ':' || v[25] != ' ' || v.substr(26) != "GMT")
        return std::nullopt;
    std::int64_t day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    int mon = detail::month_index(v.substr(8, 3));
    if (mon < 0 || !detail::parse_uint(v.substr(5, 2), day) || !detail::parse_uint(v.substr(12, 4), year) ||
        !detail::parse_uint(v.substr(17, 2), hh) || !detail::parse_uint(v.substr(20, 2), mm) ||
        !detail::parse_uint(v.substr(23, 2), ss) || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
        return std::nullopt;
    std::int64_t epoch =
        detail::days_from_civil(year, static_cast<unsigned>(mon + 1), static_cast<unsigned>(day)) * 86400 + hh * 3600 +
        mm * 60 + ss;
    // Compare in seconds first: a year such as 0001 or 9999 as a system_clock time_point
    // (nanoseconds on libstdc++) would overflow.
    const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (epoch <= now_s) return milliseconds{0};
    if (epoch - now_s > max_s) return milliseconds{max_s * 1000};  // years ahead
    auto at = std::chrono::system_clock::time_point{std::chrono::seconds{epoch}};
    if (at <= now) return milliseconds{0};
    return std::chrono::duration_cast<milliseconds>(at - now);
}

/// The wait an answer's Retry-After asks for, the longest when it gives several (two Retry-After
/// fields, or values a proxy merged into one, "5, 3600"): the client never waits less than any of
/// them asked. An HTTP date is read only against `wall_now` (the driver's wall clock); nullptr:
/// numbers only. nullopt: none that can be read, or no Retry-After at all.
inline std::optional<milliseconds> longest_retry_after(const http::response& r,
                                                       const std::chrono::system_clock::time_point* wall_now) {
    std::optional<milliseconds> longest;
    auto take = [&](std::string_view v) {
        auto w = wall_now != nullptr ? parse_retry_after(v, *wall_now) : parse_retry_after_delay(v);
        if (w && (!longest || *w > *longest)) longest = w;
        return w.has_value();
    };
    static constexpr std::string_view days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (const auto& h : r.fields) {
        if (!http::iequals(h.name, "Retry-After") || take(h.value)) continue;
        // Values merged with commas; a date has a comma of its own, after its day's name.
        std::string_view rest = h.value;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            std::string_view piece = rest.substr(0, comma);
            const std::string_view name = detail::trim_blanks(piece);
            if (comma != std::string_view::npos &&
                std::find(std::begin(days), std::end(days), name) != std::end(days)) {
                comma = rest.find(',', comma + 1);  // "Wed, 21 Oct 2026 07:28:00 GMT" is one value
                piece = rest.substr(0, comma);
            }
            take(piece);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return longest;
}

/// One failed attempt of a request, as the retry rule sees it.
struct failed_attempt {
    bool idempotent = true;          ///< the request may be repeated whatever happened (a GET, a token request)
    bool token_request = false;      ///< the POST /oauth/token of the client credentials grant
    int status = 0;                  ///< the answer's HTTP status; 0 when the exchange failed
    const error* failure = nullptr;  ///< the error: the transport's (status 0) or the one read from the answer
    bool unreadable = false;         ///< a 2xx answer that could not be read
    std::optional<milliseconds> retry_after;  ///< the answer's Retry-After, parsed; nullopt when absent or unreadable
    bool retry_after_sent = false;            ///< the answer had a Retry-After header at all
    bool cut_by_deadline = false;             ///< the request was given only what was left of the deadline
    int retries = 0;                          ///< retries this request already had
    milliseconds time_left{0};                ///< what is left of the deadline

    /// Reads the answer's Retry-After header (if any) into retry_after_sent and retry_after (the
    /// longest wait it asks for: longest_retry_after).
    void read_retry_after(const http::response& r, std::chrono::system_clock::time_point wall_now) {
        if (r.header("Retry-After") == nullptr) return;
        retry_after_sent = true;
        retry_after = longest_retry_after(r, &wall_now);
    }
};

/// What to do about a failed attempt.
struct retry_decision {
    enum class verdict { retry, renew_token, stop };
    verdict what = verdict::stop;
    milliseconds delay{0};          ///< retry: wait this long first
    std::string_view reason;        ///< stop: why (one of the names below); retry: what is waited for
    bool rate_limited = false;      ///< the server asked to slow down (a 429): the budget must pause
    bool extends_deadline = false;  ///< retry: the wait moves the deadline (retry_policy::rate_limits_extend_deadline)

    // Reasons.
    static constexpr std::string_view success = "success";
    static constexpr std::string_view permanent = "permanent";              ///< another try would fail the same way
    static constexpr std::string_view maybe_delivered = "maybe_delivered";  ///< not idempotent, and it may have arrived
    static constexpr std::string_view deadline = "deadline";        ///< the deadline ran out, or would before the retry
    static constexpr std::string_view exhausted = "exhausted";      ///< max_retries spent
    static constexpr std::string_view ceiling = "ceiling";          ///< Retry-After beyond the ceiling
    static constexpr std::string_view backoff = "backoff";          ///< retry: after an exponential backoff
    static constexpr std::string_view retry_after = "retry_after";  ///< retry: after the server's Retry-After
    /// retry: at once (a poll: after the floor) on another credential, this one's budget paused
    static constexpr std::string_view other_credential = "other_credential";
};

/// The one retry rule of gcx, for every request (API calls and token requests alike):
/// - a refused certificate, an oversized answer, a request the transport would not send: stop;
/// - a transport failure or timeout: back off and retry, when the request is idempotent or certainly
///   never reached the server; a timeout that only ran out the lookup's deadline stops;
/// - 401 on an API call: renew the token (the caller allows that once); on a token request: stop;
/// - 429 (or the token endpoint's rate-limit answer): wait Retry-After, at least retry_after_min,
///   retry_after_default when absent; a wait beyond the ceiling stops;
/// - 502, 503, 504 (and 500 on a token request): back off (or wait Retry-After) when idempotent; a
///   launch only on a 503 with Retry-After (the flow certainly did not start);
/// - a 2xx answer that cannot be read: retried when idempotent (a token answer once only);
/// - anything else: stop.
/// Every retry also needs a retry left and time left before the deadline. `jitter01` is in [0, 1).
inline retry_decision decide_retry(const retry_policy& p, const failed_attempt& a, double jitter01) noexcept {
    using v = retry_decision::verdict;
    retry_decision d;
    auto stop = [&d](std::string_view why) {
        d.what = v::stop;
        d.reason = why;
        return d;
    };
    const error* e = a.failure;
    // The ceiling in milliseconds without overflow (a ceiling of seconds::max() is "none").
    const milliseconds ceiling{std::min<std::int64_t>(p.retry_after_ceiling.count(), detail::retry_after_max_seconds) *
                               1000};
    const bool sent_for_sure_not = e && e->sent == delivery::not_sent;
    const bool may_repeat = a.idempotent || (a.status == 0 && sent_for_sure_not);
    if (a.unreadable) {
        if (!a.idempotent) return stop(retry_decision::maybe_delivered);
        if (a.token_request && a.retries >= 1) return stop(retry_decision::exhausted);
        d.delay = backoff_delay(p, a.retries, jitter01);
        d.reason = retry_decision::backoff;
    } else if (a.status == 0) {
        if (e && e->kind == errc::timeout && a.cut_by_deadline) return stop(retry_decision::deadline);
        if (e && detail::is_permanent_transport_failure(*e)) return stop(retry_decision::permanent);
        if (!may_repeat) return stop(retry_decision::maybe_delivered);
        d.delay = backoff_delay(p, a.retries, jitter01);
        d.reason = retry_decision::backoff;
    } else if (a.status == 401 && !a.token_request) {
        d.what = v::renew_token;
        return d;
    } else if (a.status == 429 || (e && e->kind == errc::rate_limited)) {
        d.delay = std::max(a.retry_after.value_or(p.retry_after_default), p.retry_after_min);
        // The token endpoint's "rate limit exceeded" (a 400) says nothing of how long: back off.
        if (a.status != 429 && !a.retry_after) d.delay = backoff_delay(p, a.retries, jitter01);
        d.reason = retry_decision::retry_after;
        d.rate_limited = a.status == 429;
        d.extends_deadline = p.rate_limits_extend_deadline;
        if (d.delay > ceiling) return stop(retry_decision::ceiling);
    } else if (a.status == 502 || a.status == 503 || a.status == 504 || (a.token_request && a.status == 500) ||
               (a.status == 500 && a.failure && a.failure->request == operation::data_action &&
                detail::action_ran(*a.failure))) {
        // (A data action's 500 that names its remote's failure: like a 502, a gateway's.)
        const bool not_processed = a.status == 503 && a.retry_after_sent;
        if (!a.idempotent && !not_processed) return stop(retry_decision::maybe_delivered);
        if (a.retry_after_sent) {
            d.delay = std::max(a.retry_after.value_or(p.retry_after_default), p.retry_after_min);
            d.reason = retry_decision::retry_after;
            if (d.delay > ceiling) return stop(retry_decision::ceiling);
        } else {
            d.delay = backoff_delay(p, a.retries, jitter01);
            d.reason = retry_decision::backoff;
        }
    } else {
        return stop(retry_decision::permanent);
    }
    const int limit = d.rate_limited ? std::max(p.max_retries, p.max_rate_limited_retries) : p.max_retries;
    if (a.retries >= limit) return stop(retry_decision::exhausted);
    if (d.delay >= a.time_left && !d.extends_deadline) return stop(retry_decision::deadline);
    d.what = v::retry;
    return d;
}

GCX_NAMESPACE_END

#endif
