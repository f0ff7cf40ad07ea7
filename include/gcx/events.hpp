// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_EVENTS_HPP
#define GCX_EVENTS_HPP

// The event hook: what a lookup did, as structured records, for logs, metrics and traces
// (docs/events.md maps them to OpenTelemetry spans; event_format.hpp writes them as text or JSON).
//
//   client_config cfg = ...;
//   cfg.on_event = [](const gcx::event& e) { log(gcx::to_json(e)); };
//
// The operations raise them as they step (every driver: basic_client, curl_multi_runner, the
// Asio adapter), on the thread stepping the operation, so a hook shared by a client used from
// several threads must be thread-safe. An event never holds a secret, a token, a phone number
// or an output value: paths have no query string and the number never appears in them, and a
// server-chosen text (an error code, a correlation id) is passed on only when it has the shape
// such a text has (event_safe_code, event_safe_id). Every string_view points into memory that
// lives only during the call: copy what you keep. An exception thrown by the hook is swallowed
// (a hook cannot break a lookup). Unset (the default), no event is built. A hook must not make a
// lookup on the same client: it runs inside a lookup's step (for the blocking client, possibly
// while that lookup fetches the token the new one would wait for, up to budget.queue_timeout).

#include <gcx/clock.hpp>
#include <gcx/operation.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

enum class event_kind {
    request_sent,      ///< a request went to the transport
    request_answered,  ///< its answer (status), or its failure (error_kind, error_code), came back
    retry_scheduled,  ///< the call will be sent again after `duration` (reason: "backoff", "retry_after", "token_renewal")
    token_fetched,    ///< a token request was answered with a token (duration: the exchange's)
    token_refused,    ///< a token request failed for good (error_kind, error_code: the OAuth error)
    budget_wait,      ///< a request waited `duration` for room in the request budget (or a 429 pause)
    lookup_finished,  ///< a lookup ended (strategy, source, requests, polls, duration: elapsed, outcome)
};

/// The kind's name as events are logged: "request_sent", "request_answered", ...
inline const char* to_string(event_kind k) noexcept {
    switch (k) {
    case event_kind::request_sent: return "request_sent";
    case event_kind::request_answered: return "request_answered";
    case event_kind::retry_scheduled: return "retry_scheduled";
    case event_kind::token_fetched: return "token_fetched";
    case event_kind::token_refused: return "token_refused";
    case event_kind::budget_wait: return "budget_wait";
    case event_kind::lookup_finished: return "lookup_finished";
    }
    return "event";
}

/// One event. Members that do not apply to a kind keep their default (empty, 0).
struct event {
    event_kind kind = event_kind::request_sent;
    time_point at{};           ///< the driver's monotonic time when it happened
    std::uint64_t lookup = 0;  ///< which lookup: 1, 2, ... per client (0: a request of no lookup)
    gcx::operation operation = gcx::operation::launch;  ///< which call (request, retry, budget and token events)
    std::size_t credential = 0;                         ///< which of the client's credentials (0: client_id)
    std::string_view method;                            ///< "GET" or "POST"
    std::string_view path;  ///< e.g. "/api/v2/flows/executions/<id>": ids, no query, never the number
    int attempt = 0;  ///< 1 for a call's first send, 2 for the next (a retry, a renewed token, another credential)
    int status = 0;   ///< request_answered, retry, refused: the HTTP status (0: none)
    std::string_view error_kind;      ///< a failure's errc name ("server", "transport", ...)
    std::string_view error_code;      ///< its code when safe to show ("too.many.requests", "connect")
    std::string_view correlation_id;  ///< request_answered: ININ-Correlation-Id (a UUID) when sent
    std::string_view reason;   ///< retry_scheduled: "backoff", "retry_after", "token_renewal" or "other_credential"
    milliseconds duration{0};  ///< answered, token_fetched: the exchange; retry: the delay;
                               ///< budget_wait: the wait; lookup_finished: the elapsed time
    // lookup_finished
    std::string_view strategy;  ///< "flow", "direct", "data-action", ...
    std::string_view source;    ///< which path answered: "flow", "direct", "data_action"
    std::string_view outcome;   ///< "ok" or "error" (error_kind and error_code then say which)
    int requests = 0;           ///< HTTP requests the lookup sent (token requests included)
    int polls = 0;              ///< execution polls answered
};

/// The hook's type. Called synchronously; keep it short (copy the event to a queue for slow sinks).
using event_hook = std::function<void(const event&)>;

/// `code` when it has the shape of an error code (letters, digits, '.', '_', '-', ':' up to 64
/// characters, no run of 4 digits and at most 6 digits in all: never a number, grouped or not, or
/// a token), else empty.
inline std::string_view event_safe_code(std::string_view code) noexcept {
    if (code.size() > 64) return {};
    int digits = 0, all_digits = 0;
    for (char c : code) {
        const bool digit = c >= '0' && c <= '9';
        digits = digit ? digits + 1 : 0;
        all_digits += digit;
        if (digits >= 4 || all_digits > 6) return {};
        if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '.' && c != '_' && c != '-' &&
            c != ':')
            return {};
    }
    return code;
}

/// `id` when it is a UUID (8-4-4-4-12 hex digits), else empty.
inline std::string_view event_safe_id(std::string_view id) noexcept {
    if (id.size() != 36) return {};
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) return {};
    }
    return id;
}

/// The path of `url` for an event: from the first '/' after the authority up to '?' or '#'
/// (a query may hold the number), e.g. "/api/v2/flows/executions".
inline std::string_view event_path(std::string_view url) noexcept {
    const auto scheme = url.find("://");
    const auto from = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (from == std::string_view::npos) return {};
    url = url.substr(from);
    return url.substr(0, url.find_first_of("?#"));
}

namespace detail {
/// Calls the hook, if any; what it throws stays here.
inline void raise(const event_hook& hook, const event& e) noexcept {
    if (!hook) return;
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    try {
        hook(e);
    } catch (...) {}
#else
    hook(e);
#endif
}
}  // namespace detail

GCX_NAMESPACE_END

#endif
