// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ERROR_HPP
#define GCX_ERROR_HPP

#include <gcx/error_codes.hpp>
#include <gcx/version.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// What went wrong, in the terms a caller acts on.
enum class errc {
    config,         ///< the client is configured wrongly (missing variable, bad URL, ...)
    invalid_input,  ///< a phone number or flow id refused before any request
    transport,      ///< the HTTP exchange failed (connect, TLS, reset, oversized body)
    timeout,        ///< the lookup's deadline passed
    auth,           ///< credentials or token refused (OAuth error, 401)
    permission,     ///< 403: the OAuth client's role lacks a permission
    not_found,      ///< 404: unknown flow, execution or resource
    bad_request,    ///< 400/415/other 4xx: the request was refused as invalid
    rate_limited,   ///< 429 (or the token-creation limit) and retrying was not possible
    server,         ///< 5xx
    flow_failed,    ///< the execution ended FAILED, ERROR or TERMINATED
    mapping,        ///< the flow's output did not fit the caller's type
    protocol,       ///< the server answered something gcx cannot read (malformed JSON, ...)
};

inline const char* to_string(errc k) noexcept {
    switch (k) {
    case errc::config: return "config";
    case errc::invalid_input: return "invalid_input";
    case errc::transport: return "transport";
    case errc::timeout: return "timeout";
    case errc::auth: return "auth";
    case errc::permission: return "permission";
    case errc::not_found: return "not_found";
    case errc::bad_request: return "bad_request";
    case errc::rate_limited: return "rate_limited";
    case errc::server: return "server";
    case errc::flow_failed: return "flow_failed";
    case errc::mapping: return "mapping";
    case errc::protocol: return "protocol";
    }
    return "unknown";
}

/// How far a failed HTTP exchange got. It decides whether a non-idempotent request (a flow
/// launch) may be sent again: only when the server certainly never saw it.
enum class delivery {
    not_sent,  ///< failed before any byte of the request was written (DNS, connect, TLS handshake)
    maybe,     ///< the request may have reached the server (reset, timeout after sending, ...)
};

/// Which API call a request belongs to: errors' hints, events and permissions differ by it.
enum class operation { token, launch, poll, direct_lookup, data_action, check };

/// The one error type of gcx. Plain data: copy it, log it, compare its fields (kind, code, ...).
/// It never holds a secret: no client secret, no token, no Authorization header.
struct error {
    errc kind = errc::protocol;
    int http_status = 0;  ///< HTTP status, 0 when there was no response
    std::string code;  ///< Genesys `code`, OAuth `error`, or a transport detail ("connect", "tls", "certificate", ...)
    std::string message;              ///< what happened, in words
    std::string correlation_id;       ///< `ININ-Correlation-Id` header or the body's `contextId`
    std::string execution_id;         ///< flow execution id, when one was started
    std::string hint;                 ///< what to do about it
    std::string path;                 ///< JSON path, for mapping errors
    delivery sent = delivery::maybe;  ///< for transport errors: could the server have seen the request?
    int retry_after_seconds = -1;     ///< for rate_limited: what the server asked for, -1 if nothing
    /// The request whose answer or failure this is (a launch refused with 404: the flow id names
    /// no flow; a poll's 404: the execution is gone); empty when no request failed (an invalid
    /// number, a deadline passed while waiting, a flow that ended FAILED, a mapping error).
    std::optional<operation> request;

    /// One line for logs and exception messages: "kind: message (HTTP s, code c, correlation id x) — hint".
    std::string describe() const {
        std::string s = to_string(kind);
        s += ": ";
        s += message;
        std::string extra;
        auto add = [&extra](std::string_view label, std::string_view v) {
            if (v.empty()) return;
            if (!extra.empty()) extra += ", ";
            extra += label;
            extra += v;
        };
        if (http_status != 0) add("HTTP ", std::to_string(http_status));
        add("code ", code);
        add("path ", path);
        add("execution ", execution_id);
        add("correlation id ", correlation_id);
        if (!extra.empty()) s += " (" + extra + ")";
        if (!hint.empty()) {
            s += " - ";
            s += hint;
        }
        // One line, whatever a server put in the code, the correlation id or the execution id:
        // a control character (a newline above all) would let it forge log lines.
        for (auto& c : s)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
        return s;
    }
};

namespace detail {
/// The bytes of a character at s[i] that a reader may take for a line break or a terminal
/// command beyond the C0 controls: a C1 control (U+0080 to U+009F: NEL, CSI) or U+2028/U+2029,
/// in UTF-8; 0 for anything else. (event_format.hpp escapes them, check_report.hpp blanks them.)
inline std::size_t line_breaker_at(std::string_view s, std::size_t i) noexcept {
    const auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    if (at(0) == 0xC2 && at(1) >= 0x80 && at(1) <= 0x9F) return 2;
    if (at(0) == 0xE2 && at(1) == 0x80 && (at(2) == 0xA8 || at(2) == 0xA9)) return 3;
    return 0;
}

/// Replaces every occurrence of `needle` in the error's texts. Servers sometimes echo what they
/// were sent (a token, a number) in their messages; gcx scrubs it before handing errors out.
/// A server's text that was too long has been cut where "..." follows (see api_error.hpp; words
/// such as " (after 5 retries)" may come after it): the cut may fall inside an echoed secret, so
/// "<at least 4 leading characters of the needle>..." is replaced too, wherever it stands.
inline void redact(std::string& s, std::string_view needle, std::string_view replacement = "[REDACTED]") {
    if (needle.size() < 4) return;  // too short to be a secret; would mangle ordinary text
    constexpr std::string_view cut = "...";
    for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + replacement.size()))
        s.replace(pos, needle.size(), replacement);
    for (auto at = s.find(cut); at != std::string::npos; at = s.find(cut, at + cut.size())) {
        const std::string_view before = std::string_view(s).substr(0, at);
        for (std::size_t n = std::min(needle.size() - 1, before.size()); n >= 4; --n) {
            if (before.substr(before.size() - n) == needle.substr(0, n)) {
                s.replace(before.size() - n, n, replacement);
                at = at - n + replacement.size();
                break;
            }
        }
    }
}

/// Calls `f(std::string&)` on every text of an error a server can have put something in, the
/// execution id included.
template <class F>
void for_each_text(error& e, F&& f) {
    for (std::string* s : {&e.message, &e.hint, &e.code, &e.path, &e.correlation_id, &e.execution_id}) f(*s);
}

/// The same over every text of an error (for_each_text).
inline void redact(error& e, std::string_view needle, std::string_view replacement = "[REDACTED]") {
    for_each_text(e, [&](std::string& s) { redact(s, needle, replacement); });
}

/// A transport failure that sending the same request again would meet again, so retrying only
/// delays the error: the transport refused the request itself (errc::config: bad URL, unreadable
/// CA file, plain http with credentials; errc::invalid_input: a bad header), the server's TLS
/// certificate was refused (code "certificate"), or the answer was larger than allowed (code
/// "too_large"). Custom transports use the same codes to get the same treatment.
inline bool is_permanent_transport_failure(const error& e) noexcept {
    return e.kind == errc::config || e.kind == errc::invalid_input || e.code == codes::certificate ||
           e.code == codes::too_large || e.code == codes::proxy_refused;
}
}  // namespace detail

inline error make_error(errc kind, std::string message, std::string hint = {}) {
    error e;
    e.kind = kind;
    e.message = std::move(message);
    e.hint = std::move(hint);
    return e;
}

GCX_NAMESPACE_END

#endif
