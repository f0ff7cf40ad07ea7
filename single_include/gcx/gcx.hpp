// gcx 0.1.0 - Genesys Cloud CX customer lookup for C++17, as one header.
// Distributed under the Boost Software License, Version 1.0 (https://www.boost.org/LICENSE_1_0.txt).
// SPDX-License-Identifier: BSL-1.0
//
// GENERATED from include/gcx/ and adapters/*/include/ by tools/amalgamate.py: do not edit.
// Regenerate with `python3 tools/amalgamate.py` (or `cmake --build <build> --target amalgamate`).
//
// The core (everything <gcx/gcx.hpp> of the multi-header tree holds) needs only the Boost
// headers (Describe, Mp11) and threads (-pthread). Each optional part needs its third-party
// library; define its macro before including this file:
//
//   #define GCX_WITH_BOOST_JSON  // <gcx/json/boost_json.hpp>, <gcx/json/boost_json_templates.hpp>: Boost.JSON (link -lboost_json)
//   #define GCX_WITH_NLOHMANN    // <gcx/json/nlohmann.hpp>: nlohmann/json (header-only)
//   #define GCX_WITH_CURL        // <gcx/adapters/curl.hpp>, <gcx/adapters/curl_multi.hpp>: libcurl (link -lcurl)
//   #define GCX_WITH_HTTPLIB     // <gcx/adapters/httplib.hpp>: cpp-httplib (build with $(pkg-config --cflags --libs cpp-httplib): Debian's library is built with its OpenSSL, zlib and brotli macros, which every unit must see too)
//   #include "gcx.hpp"
//
// Every part keeps the include guard of its source header, so this file may be included again
// after defining another GCX_WITH_* macro, and mixes safely with the multi-header tree.

// ################################ core ############################################################

// ======== <gcx/version.hpp> =====================================================================
#ifndef GCX_VERSION_HPP
#define GCX_VERSION_HPP

#define GCX_VERSION_MAJOR 0
#define GCX_VERSION_MINOR 1
#define GCX_VERSION_PATCH 0
#define GCX_VERSION_STRING "0.1.0"

// Every public name lives in gcx::v0 (an inline namespace), so two incompatible releases
// linked into one program fail to link instead of silently mixing layouts.
#define GCX_NAMESPACE_BEGIN                                                                                            \
    namespace gcx {                                                                                                    \
    inline namespace v0 {
#define GCX_NAMESPACE_END                                                                                              \
    }                                                                                                                  \
    }

#endif

// ======== <gcx/fwd.hpp> =========================================================================
#ifndef GCX_FWD_HPP
#define GCX_FWD_HPP

// Declarations only, for headers that name gcx types without using them (a member pointer to a
// client, a function taking a config by reference). Include <gcx/gcx.hpp> where they are used.

GCX_NAMESPACE_BEGIN

struct error;
template <class T>
class result;
class secret;
struct client_config;
struct endpoints;
struct retry_policy;
struct poll_policy;
struct steady_clock;
class token_cache;
struct execution_info;
template <class Outputs>
struct lookup_result;
template <class J>
class lookup_operation;
template <class J>
class direct_lookup_operation;
template <class J>
class data_action_operation;
struct data_action_options;
template <class Transport, class Json, class Clock>
class basic_client;
struct raw_json;

namespace http {
struct request;
struct response;
}  // namespace http

namespace json {
struct boost_json;
struct nlohmann;
}  // namespace json

GCX_NAMESPACE_END

#endif

// ======== <gcx/error_codes.hpp> =================================================================
#ifndef GCX_ERROR_CODES_HPP
#define GCX_ERROR_CODES_HPP

// The `code` strings gcx itself puts in an error (beside the Genesys `code` or OAuth `error` a
// server sends, which are kept as they came). Compare against these names, not string literals;
// custom transports use the transport codes to get the same retry treatment as the shipped ones.
// The README's "Errors" section lists them with what each means.

#include <string_view>

GCX_NAMESPACE_BEGIN
namespace codes {

// Decided by the core, before or after a request.
inline constexpr std::string_view deadline = "deadline";  ///< the lookup's deadline passed
inline constexpr std::string_view queue_timeout =
    "queue_timeout";  ///< waited longer than queue_timeout for the request budget
inline constexpr std::string_view retry_ceiling =
    "retry_ceiling";                                        ///< the server asked to wait longer than the ceiling
inline constexpr std::string_view max_polls = "max_polls";  ///< the execution was still running after poll.max_polls
inline constexpr std::string_view phone = "phone";          ///< the phone number is not E.164
inline constexpr std::string_view flow_id = "flow_id";      ///< the flow id is not a UUID
inline constexpr std::string_view token_response = "token_response";    ///< a 2xx token answer that is not a token
inline constexpr std::string_view launch_response = "launch_response";  ///< a launch answer without an execution id
inline constexpr std::string_view execution_response =
    "execution_response";                         ///< a poll answer about another execution than the one polled
inline constexpr std::string_view json = "json";  ///< a body that is not (acceptable) JSON
inline constexpr std::string_view redirect =
    "redirect";  ///< errc::protocol: a 3xx answer (gcx never follows redirects): a wrong login or API URL
inline constexpr std::string_view found_output =
    "found_output";  ///< errc::mapping: a `Found` output (a data action's found_key) present but not a JSON boolean
inline constexpr std::string_view action_id = "action_id";  ///< the data action id is empty or malformed
inline constexpr std::string_view action_response =
    "action_response";  ///< a data action's 2xx answer that is not a JSON object

// Set by transports (errc::transport, errc::timeout or errc::config).
inline constexpr std::string_view connect = "connect";          ///< no connection (refused, unreachable); not sent
inline constexpr std::string_view resolve = "resolve";          ///< the host name did not resolve; not sent
inline constexpr std::string_view tls = "tls";                  ///< the TLS handshake failed (retried like connect)
inline constexpr std::string_view certificate = "certificate";  ///< the server's certificate was refused: never retried
inline constexpr std::string_view proxy = "proxy";              ///< the proxy could not be reached or failed; not sent
inline constexpr std::string_view proxy_refused =
    "proxy_refused";  ///< the proxy answered the CONNECT with a refusal (403, 407...): never retried
inline constexpr std::string_view send = "send";                    ///< writing the request failed
inline constexpr std::string_view recv = "recv";                    ///< reading the answer failed
inline constexpr std::string_view empty_reply = "empty_reply";      ///< the connection closed without an answer
inline constexpr std::string_view partial = "partial";              ///< the answer was cut short
inline constexpr std::string_view protocol = "protocol";            ///< the answer is not HTTP
inline constexpr std::string_view timeout = "timeout";              ///< the exchange took longer than its timeout
inline constexpr std::string_view too_large = "too_large";          ///< the answer is over the body cap: never retried
inline constexpr std::string_view canceled = "canceled";            ///< the transfer was cancelled
inline constexpr std::string_view out_of_memory = "out_of_memory";  ///< the transport could not allocate; not sent
inline constexpr std::string_view unknown = "unknown";              ///< a transport failure its library did not name
inline constexpr std::string_view bad_url = "bad_url";              ///< errc::config: the URL cannot be parsed
inline constexpr std::string_view bad_header = "bad_header";        ///< errc::invalid_input: a header with CR/LF
inline constexpr std::string_view bad_proxy = "bad_proxy";          ///< errc::config: the proxy option cannot be parsed
inline constexpr std::string_view proxy_tunnel =
    "proxy_tunnel";  ///< errc::config: this transport cannot reach https through a proxy (httplib)
inline constexpr std::string_view insecure_http =
    "insecure_http";  ///< errc::config: credentials over plain http refused

}  // namespace codes
GCX_NAMESPACE_END

#endif

// ======== <gcx/error.hpp> =======================================================================
#ifndef GCX_ERROR_HPP
#define GCX_ERROR_HPP

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

// ======== <gcx/result.hpp> ======================================================================
#ifndef GCX_RESULT_HPP
#define GCX_RESULT_HPP

#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN

/// Thrown only by result<T>::value() on an error, for callers who prefer exceptions.
/// Its what() is error::describe(), which never contains a secret.
class exception : public std::runtime_error {
public:
    explicit exception(gcx::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
    const gcx::error& error() const noexcept { return error_; }

private:
    gcx::error error_;
};

namespace detail {
[[noreturn]] inline void throw_error(const error& e) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw exception(e);
#else
    (void)e;
    std::abort();
#endif
}
}  // namespace detail

namespace detail {
/// A parameter type no argument converts to: result<T>'s copies take it when T has none, so they
/// are not copy operations and the implicit ones (deleted) stand: result<T> is then not copyable.
struct no_copy {
    explicit no_copy() = default;
};
}  // namespace detail

/// Either a T or a gcx::error. Every gcx operation returns one: no path needs exceptions.
/// `value()` throws gcx::exception (or aborts without exceptions); `*r` and `r->` do not check.
/// Copyable when T is; an assignment whose T throws while being built leaves a default error.
///
/// A union and a flag rather than std::variant<T, error>: every result<T> is instantiated in each
/// translation unit that uses gcx, and std::variant's machinery (visitation tables, one function
/// per alternative and operation) was a third of the functions a typed lookup compiled at -O0.
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_same_v<std::decay_t<T>, gcx::error>, "result<error> is ambiguous");
    static_assert(std::is_object_v<T> && !std::is_const_v<T>, "result<T>: T must be a non-const object type");
    using copy_source = std::conditional_t<std::is_copy_constructible_v<T>, result, detail::no_copy>;

public:
    using value_type = T;

    result(const T& v) : ok_(true) { ::new (static_cast<void*>(std::addressof(v_))) T(v); }
    result(T&& v) : ok_(true) { ::new (static_cast<void*>(std::addressof(v_))) T(std::move(v)); }
    result(const gcx::error& e) : ok_(false) { ::new (static_cast<void*>(std::addressof(e_))) gcx::error(e); }
    result(gcx::error&& e) : ok_(false) { ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(e)); }

    result(const copy_source& o) : ok_(o.ok_) {
        if (ok_) ::new (static_cast<void*>(std::addressof(v_))) T(o.v_);
        else ::new (static_cast<void*>(std::addressof(e_))) gcx::error(o.e_);
    }
    result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
        if (ok_) ::new (static_cast<void*>(std::addressof(v_))) T(std::move(o.v_));
        else ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(o.e_));
    }
    result& operator=(const copy_source& o) {
        if (this != &o) *this = result(o);  // copy first: a throwing copy leaves *this as it was
        return *this;
    }
    result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this == &o) return *this;
        destroy();
        if (!o.ok_) {
            ::new (static_cast<void*>(std::addressof(e_))) gcx::error(std::move(o.e_));
            ok_ = false;
            return *this;
        }
        // If T's move throws, the union holds nothing: the guard puts an error there first.
        struct guard {
            result* r;
            bool armed = true;
            ~guard() {
                if (!armed) return;
                ::new (static_cast<void*>(std::addressof(r->e_))) gcx::error();
                r->ok_ = false;
            }
        } g{this};
        ::new (static_cast<void*>(std::addressof(v_))) T(std::move(o.v_));
        g.armed = false;
        ok_ = true;
        return *this;
    }
    ~result() { destroy(); }

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }

    T& value() & {
        if (!ok_) detail::throw_error(e_);
        return v_;
    }
    const T& value() const& {
        if (!ok_) detail::throw_error(e_);
        return v_;
    }
    T&& value() && {
        if (!ok_) detail::throw_error(e_);
        return std::move(v_);
    }

    T& operator*() & noexcept { return v_; }
    const T& operator*() const& noexcept { return v_; }
    T&& operator*() && noexcept { return std::move(v_); }
    T* operator->() noexcept { return std::addressof(v_); }
    const T* operator->() const noexcept { return std::addressof(v_); }

    /// The error; only meaningful when !has_value().
    const gcx::error& error() const& noexcept { return e_; }
    gcx::error& error() & noexcept { return e_; }

private:
    void destroy() noexcept {
        if (ok_) v_.~T();
        else e_.~error();
    }

    union {
        T v_;
        gcx::error e_;
    };
    bool ok_;
};

/// result<void>: success, or an error.
template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(const gcx::error& e) : e_(e), ok_(false) {}
    result(gcx::error&& e) : e_(std::move(e)), ok_(false) {}

    bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    void value() const {
        if (!ok_) detail::throw_error(e_);
    }
    const gcx::error& error() const& noexcept { return e_; }
    gcx::error& error() & noexcept { return e_; }

private:
    gcx::error e_;
    bool ok_ = true;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/secret.hpp> ======================================================================
#ifndef GCX_SECRET_HPP
#define GCX_SECRET_HPP

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// A string that must never be printed: the client secret, an access token.
/// It has no implicit conversion to a string and streams as "[REDACTED]"; code that really
/// needs the text (building the Authorization header) says so with reveal().
class secret {
public:
    secret() = default;
    explicit secret(std::string s) : s_(std::move(s)) {}
    secret& operator=(std::string s) {
        s_ = std::move(s);
        return *this;
    }

    const std::string& reveal() const noexcept { return s_; }
    bool empty() const noexcept { return s_.empty(); }

    /// Equal texts. The time taken depends on the lengths only, never on where the texts first
    /// differ, so a comparison with a presented credential does not reveal how much of it was right.
    friend bool operator==(const secret& a, const secret& b) noexcept { return equal(a.s_, b.s_); }
    friend bool operator!=(const secret& a, const secret& b) noexcept { return !equal(a.s_, b.s_); }
    friend std::ostream& operator<<(std::ostream& os, const secret&) { return os << "[REDACTED]"; }

private:
    static bool equal(std::string_view a, std::string_view b) noexcept {
        if (a.size() != b.size()) return false;
        unsigned diff = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
        return diff == 0;
    }

    std::string s_;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/http.hpp> ========================================================================
#ifndef GCX_HTTP_HPP
#define GCX_HTTP_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

namespace detail {
/// `v` without the spaces and tabs around it.
inline std::string_view trim_blanks(std::string_view v) noexcept {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}
}  // namespace detail
namespace http {

enum class method { get, post };

inline const char* to_string(method m) noexcept { return m == method::get ? "GET" : "POST"; }

struct header {
    std::string name;
    std::string value;
};
using headers = std::vector<header>;

/// ASCII case-insensitive comparison, as HTTP header names need.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

/// The first header called `name` (case-insensitive), or nullptr.
inline const std::string* find_header(const headers& hs, std::string_view name) noexcept {
    for (const auto& h : hs)
        if (iequals(h.name, name)) return &h.value;
    return nullptr;
}

/// Whether the headers give two different Content-Length values (also within one field, "7, 3"):
/// the body's length is then unknown, an error the answer cannot be read past (RFC 9112 6.3).
/// Repeats of one value ("7, 7", or the field twice) are not.
inline bool content_length_conflict(const headers& hs) noexcept {
    std::string_view first;
    for (const auto& h : hs) {
        if (!iequals(h.name, "Content-Length")) continue;
        std::string_view v(h.value);
        while (!v.empty()) {
            const auto comma = v.find(',');
            const std::string_view one = detail::trim_blanks(v.substr(0, comma));
            if (first.empty()) first = one;
            else if (one != first) return true;
            v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
        }
    }
    return false;
}

/// What gcx asks a transport to send. `url` is absolute ("https://host[:port]/path?query").
/// `timeout` is the most this exchange may take: the transport must give up after it.
/// Headers may hold secrets (Authorization): a transport must never log their values.
struct request {
    method verb = method::get;
    std::string url;
    headers fields;
    std::string body;
    std::chrono::milliseconds timeout{16000};

    const std::string* header(std::string_view name) const noexcept { return find_header(fields, name); }
};

/// What a transport hands back: any status (4xx/5xx are responses, not transport errors).
struct response {
    int status = 0;
    headers fields;
    std::string body;

    const std::string* header(std::string_view name) const noexcept { return find_header(fields, name); }
};

/// An absolute URL split the way transports need it.
struct url_parts {
    std::string scheme;  ///< "http" or "https"
    std::string host;    ///< without brackets for IPv6
    std::uint16_t port = 0;
    std::string target;  ///< path and query, at least "/"
};

/// A URL as an error shows it: everything between the scheme and the last '@' replaced by
/// "[credentials]" (a password may hold '/', '?' or '#': better to hide a path with an '@' than
/// show a secret), at most 200 characters.
inline std::string shown_url(std::string_view url) {
    std::string out(url);
    const auto sep = out.find("://");
    const std::size_t from = sep == std::string::npos ? 0 : sep + 3;
    const auto at = out.rfind('@');
    if (at != std::string::npos && at >= from) out.replace(from, at - from, "[credentials]");
    if (out.size() > 200) out = out.substr(0, 200) + "...";
    return out;
}

/// Splits "scheme://host[:port][/target]". Only http and https are accepted.
inline result<url_parts> parse_url(std::string_view url) {
    auto bad = [&](const char* why) {
        return make_error(errc::config, "invalid URL '" + shown_url(url) + "': " + why);
    };
    result<url_parts> out{url_parts{}};  // filled in place: no copy of the parts on return
    url_parts& p = *out;
    auto sep = url.find("://");
    if (sep == std::string_view::npos) return bad("no scheme");
    const auto scheme = url.substr(0, sep);
    if (iequals(scheme, "https")) p.scheme = "https";
    else if (iequals(scheme, "http")) p.scheme = "http";
    else return bad("scheme must be http or https");
    auto rest = url.substr(sep + 3);
    std::size_t slash = 0;
    while (slash < rest.size() && rest[slash] != '/' && rest[slash] != '?') ++slash;
    auto authority = rest.substr(0, slash);
    if (slash == rest.size()) p.target = "/";
    else if (rest[slash] == '?') p.target.append("/").append(rest.substr(slash));
    else p.target = rest.substr(slash);
    if (authority.find('@') != std::string_view::npos) return bad("credentials in URLs are not supported");
    std::string_view port_text;
    if (!authority.empty() && authority[0] == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return bad("unterminated IPv6 address");
        p.host = std::string(authority.substr(1, close - 1));
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') return bad("junk after IPv6 address");
            port_text = after.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        p.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
    if (p.host.empty()) return bad("no host");
    // A host name or an IPv4 address (letters, digits, '-', '.', '_', '~'), or an IPv6 address
    // in brackets (hex digits, ':', '.', a '%' zone): "h:1:2" or "bad host" would be read one way
    // here and another (or refused) by a transport.
    const bool ipv6 = authority[0] == '[';
    for (char c : p.host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '.' || c == '_' || c == '~' || (ipv6 && (c == ':' || c == '%'));
        if (!ok) return bad("the host has a character no host name or address has");
    }
    if (!port_text.empty()) {
        unsigned long v = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9') return bad("port is not a number");
            v = v * 10 + static_cast<unsigned long>(c - '0');
            if (v > 65535) return bad("port out of range");
        }
        if (v == 0) return bad("port out of range");
        p.port = static_cast<std::uint16_t>(v);
    } else {
        p.port = p.scheme == "https" ? 443 : 80;
    }
    return out;
}

/// True for hosts that never leave the machine and are never handed to a name resolver:
/// `localhost` (any case), `::1` (also as `[::1]`), and 127.0.0.0/8 written strictly as a dotted
/// IPv4 literal: four decimal octets, each 0-255 without a leading zero ("127.0.0.1", not
/// "127.0.0.01", "127.1", "127.0.0.999" or "127.0.0.4294967295", which libcurl and getaddrinfo
/// read in other ways or pass to DNS). Everything else is not loopback.
inline bool is_loopback_host(std::string_view host) noexcept {
    if (iequals(host, "localhost") || host == "::1" || host == "[::1]") return true;
    int octets = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t start = i;
        unsigned value = 0;
        while (i < host.size() && host[i] >= '0' && host[i] <= '9' && i - start < 3)
            value = value * 10 + static_cast<unsigned>(host[i++] - '0');
        const std::size_t digits = i - start;
        if (digits == 0 || value > 255 || (digits > 1 && host[start] == '0')) return false;
        if (octets == 0 && value != 127) return false;
        ++octets;
        if (i == host.size()) return octets == 4;
        if (host[i] != '.' || octets == 4) return false;
        ++i;
    }
}

/// Percent-encodes a query or path component (RFC 3986 unreserved characters stay).
inline std::string url_encode(std::string_view s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace http
GCX_NAMESPACE_END

#endif

// ======== <gcx/transport.hpp> ===================================================================
#ifndef GCX_TRANSPORT_HPP
#define GCX_TRANSPORT_HPP

// What basic_client needs from a transport, as a trait (C++17), a concept (C++20) and a check
// that stops compilation with one readable message instead of errors deep inside the client:
//
//   gcx::result<gcx::http::response> send(const gcx::http::request&)
//
// callable on the transport object (a const member function is fine), returning exactly
// result<http::response>: not a std::optional, not a response with an error code beside it.
// The request carries no Host and no Content-Length header: the transport adds them (most HTTP
// libraries do it themselves; a raw-socket transport must write both).
//
//     static_assert(gcx::is_transport_v<my_transport>);
//     template <gcx::transport T> void f(T&);          // C++20

#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace transport_detail {
template <class T, class = void>
struct send_result {
    static constexpr bool callable = false;
};
template <class T>
struct send_result<T, std::void_t<decltype(std::declval<T&>().send(std::declval<const http::request&>()))>> {
    static constexpr bool callable = true;
    using type = decltype(std::declval<T&>().send(std::declval<const http::request&>()));
};

template <class T, bool Callable = send_result<T>::callable>
struct returns_response : std::false_type {};
template <class T>
struct returns_response<T, true> : std::is_same<typename send_result<T>::type, result<http::response>> {};
}  // namespace transport_detail

/// True when `t.send(const http::request&)` compiles for an lvalue `T t` and returns exactly
/// gcx::result<gcx::http::response> (by value).
template <class T>
struct is_transport : transport_detail::returns_response<T> {};

template <class T>
inline constexpr bool is_transport_v = is_transport<T>::value;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// The same requirement as a C++20 concept.
template <class T>
concept transport = is_transport_v<T>;
#endif

/// Stops compilation with the required signature when T is not a transport; true otherwise.
/// basic_client checks its Transport with it: `static_assert(gcx::check_transport<Transport>());`
template <class T>
constexpr bool check_transport() {
    static_assert(is_transport_v<T>,
                  "gcx: Transport must have: gcx::result<gcx::http::response> send(const gcx::http::request&)"
                  " — the request carries no Host or Content-Length header: the transport adds them");
    return true;  // false would add a second error to the one above
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/clock.hpp> =======================================================================
#ifndef GCX_CLOCK_HPP
#define GCX_CLOCK_HPP

// Time is a policy. The sans-I/O operations never read a clock: they are handed `now` and answer
// "wake me at T". Only the synchronous driver (basic_client) asks a Clock for the time and to
// sleep, so a test clock can run a 24-hour token lifetime in microseconds.
//
// Clock concept:
//   time_point now()                                  monotonic time (std::chrono::steady_clock)
//   std::chrono::system_clock::time_point system_now() wall time, for HTTP-date Retry-After
//   void sleep_until(time_point)

#include <chrono>
#include <thread>

GCX_NAMESPACE_BEGIN

using time_point = std::chrono::steady_clock::time_point;
using milliseconds = std::chrono::milliseconds;

/// The real clock.
struct steady_clock {
    time_point now() const { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point system_now() const { return std::chrono::system_clock::now(); }
    void sleep_until(time_point t) const { std::this_thread::sleep_until(t); }
};

/// The longest wait gcx adds to a time point (a pause, a back-off, a deadline moved by a wait):
/// 400 days. The clock's arithmetic overflows into the past a few hundred years further on.
inline constexpr milliseconds longest_wait{std::chrono::hours{24 * 400}};

/// Whether a duration setting is usable: not negative, and at most a year. Settings are added to
/// time points, where a longer one (a duration's max() meant as "for ever") overflows into the past.
template <class Rep, class Period>
constexpr bool usable_duration(std::chrono::duration<Rep, Period> d) noexcept {
    return d.count() >= 0 && d <= std::chrono::hours{24 * 366};
}

/// Milliseconds from `now` to `t`, never negative.
inline milliseconds remaining(time_point now, time_point t) noexcept {
    return t > now ? std::chrono::duration_cast<milliseconds>(t - now) : milliseconds{0};
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/phone.hpp> =======================================================================
#ifndef GCX_PHONE_HPP
#define GCX_PHONE_HPP

// Validation of what a lookup sends, done before any request: a phone number in E.164 and a
// flow id in UUID form. Genesys' Search External Contacts and reverse-whitepages lookups match
// on E.164, so a number in any other form would silently find nothing.

#include <cstddef>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// Returns the number in strict E.164 form ("+" then 7 to 15 digits, the first not 0: the
/// shortest in use are 7, e.g. Niue's +683 and Tokelau's +690 with four-digit subscriber numbers).
/// Visual separators a person types are dropped first: spaces, '-', '.', '(' and ')', so
/// "+1 (317) 555-0123" gives "+13175550123". A bracketed 0 ("+44 (0)20 7183 8750", the national
/// trunk prefix written beside the international form) is refused, not kept: kept, it gives
/// another number (+4402071838750), which finds nothing; dropped, it would be wrong for the
/// countries that keep their 0 in E.164 (Italy's +39 06...). Anything else is errc::invalid_input.
/// The message never repeats the number (phone numbers are personal data).
inline result<std::string> normalize_e164(std::string_view input) {
    auto bad = [](std::string why) {
        error e = make_error(errc::invalid_input, "invalid phone number: " + std::move(why),
                             "give the number in E.164 form: '+', country code, subscriber number, e.g. +14155550100");
        e.code = std::string(codes::phone);
        return e;
    };
    std::string out;
    out.reserve(input.size());
    bool seen_plus = false;
    for (std::size_t i = 0; i < input.size(); ++i) {
        const char c = input[i];
        if (c == '(') {  // "(0)", spaces allowed inside: the trunk prefix
            std::size_t j = i + 1;
            while (j < input.size() && input[j] == ' ') ++j;
            if (j < input.size() && input[j] == '0') {
                std::size_t k = j + 1;
                while (k < input.size() && input[k] == ' ') ++k;
                if (k < input.size() && input[k] == ')')
                    return bad("'(0)' is the national trunk prefix, not part of the international number: leave it "
                               "out (+44 (0)20 ... is +44 20 ...), or keep the 0 without brackets where the country "
                               "keeps it (+39 06 ...)");
            }
        }
        if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t') continue;
        if (c == '+') {
            if (seen_plus || !out.empty()) return bad("'+' may only start the number");
            seen_plus = true;
            out += c;
            continue;
        }
        if (c < '0' || c > '9') return bad("it may hold only digits after '+'");
        out += c;
    }
    if (!seen_plus) return bad("it must start with '+' and the country code");
    std::size_t digits = out.size() - 1;
    if (digits < 7 || digits > 15)
        return bad("E.164 numbers have 7 to 15 digits, this one has " + std::to_string(digits));
    if (out[1] == '0') return bad("country codes never start with 0");
    return out;
}

/// True when `s` is a strict E.164 number (no separators).
inline bool is_e164(std::string_view s) noexcept {
    if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/// True for the 8-4-4-4-12 hexadecimal form Genesys uses for flow ids.
inline bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

/// errc::invalid_input unless `flow_id` is a UUID. Unlike phone numbers, the id is echoed:
/// it is configuration, not personal data, and seeing it is how a typo gets found.
inline result<void> validate_flow_id(std::string_view flow_id) {
    if (is_uuid(flow_id)) return {};
    error e =
        make_error(errc::invalid_input, "invalid flow id '" + std::string(flow_id.substr(0, 64)) + "': expected a UUID",
                   "copy the workflow's id from Architect or GET /api/v2/flows?type=workflow&name=...");
    e.code = std::string(codes::flow_id);
    return e;
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/retry.hpp> =======================================================================
#ifndef GCX_RETRY_HPP
#define GCX_RETRY_HPP

// When to try again, and how long to wait. Pure functions and plain policies: the operations
// apply them; nothing here sleeps.

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

// ======== <gcx/governor.hpp> ====================================================================
#ifndef GCX_GOVERNOR_HPP
#define GCX_GOVERNOR_HPP

// The request budget of one set of credentials, shared by every operation of a client, sans-I/O.
//
// Genesys Cloud gives a client-credentials token about 300 requests per minute and answers 429
// past it; org-wide and daily limits come on top, told only by a 429's Retry-After. A batch that
// ignores the budget spends a minute's worth in its first seconds and then waits, or fails. The
// governor paces requests evenly at a share of the budget instead:
//   admit(now, kind) -> now:  send it (it is counted);
//                    -> T > now: ask again at T (the operation sleeps; nothing was counted).
// Continuing requests (polls, retries, the second half of a lookup) may run `burst` requests
// ahead of the pace, fresh ones (a launch, a direct lookup) only `fresh_burst`, so a lookup already
// launched is not queued behind new launches: the difference is room for polls that fall due
// together (the first polls of launches made together) to go on time. Over any minute at most budget x headroom + burst
// requests go out (300 x 0.95 + 12 = 297 by default): the burst is cut to what the headroom
// leaves (budget x (1 - headroom), at least 1), so that a budget set to the server's own limit is
// never run over (at 60 a minute: a burst of 3, not 12). Fresh requests that had to wait go in the
// order they first asked (a ticket each): a lookup started early is never overtaken for ever by
// later ones, so results printed in input order are not held up behind a starved lookup. (A
// client of several credentials queues each fresh request in all their governors at once with
// one ticket: call_state.hpp, take_turn.) A 429 pauses every operation of the client
// until its Retry-After (at least min_pause) and halves the pace, which then climbs back to full
// over `recovery`. Thread-safe; reads no clock (times are handed in).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <set>

GCX_NAMESPACE_BEGIN

/// How fast a client's requests go. requests_per_minute 0 switches pacing off (429s still pause).
struct budget_policy {
    double requests_per_minute = 300;       ///< the budget of one credential (Genesys: 300 per token per minute)
    double headroom = 0.95;                 ///< pace at this share of it
    int burst = 12;                         ///< continuing requests may run this many ahead of the pace
    int fresh_burst = 3;                    ///< fresh requests (launches) this many (at most `burst`)
    milliseconds min_pause{1000};           ///< a 429 pauses everything at least this long
    double slow_down = 0.5;                 ///< a 429 multiplies the pace by this ...
    std::chrono::seconds recovery{60};      ///< ... and it climbs back to full over this long
    double token_requests_per_minute = 60;  ///< token requests, paced on their own
    milliseconds queue_timeout{600000};     ///< how long a lookup may wait for the budget before its first request

    /// What makes the rates unusable, or nullptr. A rate below 0.01 a minute would be taken for no
    /// pacing at all; a burst beyond 10,000 would overflow the pace's arithmetic.
    const char* unusable() const noexcept {
        auto rate_ok = [](double r) { return r == 0 || (r >= 0.01 && r <= 1e9); };
        if (!rate_ok(requests_per_minute) || !rate_ok(token_requests_per_minute) || !(headroom > 0))
            return "the request budget must be a rate of 0 (no pacing) or 0.01 to 1e9 a minute";
        if (burst < 0 || burst > 10000 || fresh_burst < 0) return "budget.burst and fresh_burst must be 0 to 10000";
        if (!(headroom <= 1)) return "budget.headroom must be above 0 and at most 1 (a share of the budget)";
        if (fresh_burst > burst) return "budget.fresh_burst must be at most budget.burst";
        if (!(slow_down > 0 && slow_down <= 1))
            return "budget.slow_down must be above 0 and at most 1 (a 429 slows the pace)";
        return nullptr;
    }

    /// The first of its durations that is not usable_duration(), or nullptr.
    const char* unusable_duration() const noexcept {
        return !usable_duration(min_pause)       ? "min_pause"
               : !usable_duration(recovery)      ? "recovery"
               : !usable_duration(queue_timeout) ? "queue_timeout"
                                                 : nullptr;
    }
};

class request_governor {
public:
    enum class kind { fresh, continuing };

    struct stats {
        std::uint64_t admitted = 0;      ///< requests let through
        std::uint64_t deferred = 0;      ///< times an operation was told to wait
        std::uint64_t rate_limited = 0;  ///< 429s reported
    };

    request_governor() = default;
    /// `rate_per_minute` 0: no pacing.
    request_governor(double rate_per_minute, const budget_policy& p)
        : rate_(rate_per_minute >= 0.01 ? std::min(rate_per_minute, 1e7) * std::clamp(p.headroom, 0.01, 1.0) : 0.0),
          burst_(burst_within(rate_per_minute, p)), fresh_burst_(std::clamp(p.fresh_burst, 0, burst_)),
          min_pause_(std::clamp<milliseconds>(p.min_pause, milliseconds{0}, longest_wait)),
          slow_down_(std::clamp(p.slow_down, 0.05, 1.0)),
          recovery_(std::clamp<std::chrono::seconds>(p.recovery, std::chrono::seconds{0},
                                                     std::chrono::duration_cast<std::chrono::seconds>(longest_wait))) {}

    request_governor(const request_governor&) = delete;
    request_governor& operator=(const request_governor&) = delete;

    /// May a request of this kind go now? `now` if so (and it is counted), else when to ask again.
    /// `ticket` is the caller's place in the queue of fresh requests (0: none yet, one is drawn):
    /// keep it across calls, and hand it to forget() if the request is given up while it holds one.
    /// A caller that waits on several governors at once (session: one queue for all credentials)
    /// brings the same nonzero ticket to each, drawn from one counter of its own; admission sets it
    /// to 0.
    time_point admit(time_point now, kind k, std::uint64_t& ticket) {
        std::lock_guard<std::mutex> lk(m_);
        const bool fresh = k == kind::fresh;
        auto defer = [&](time_point at) {
            ++stats_.deferred;
            if (fresh) {
                if (ticket == 0) ticket = next_ticket_++;
                waiting_.insert(ticket);  // a ticket from outside (session) enters on its first wait here
                if (ticket == *waiting_.begin()) head_due_ = at;
            }
            return at;
        };
        if (now < paused_until_) return defer(paused_until_);
        // An older fresh request is waiting: this one goes after it (a moment after the older one is
        // due, so that one is asked first). An older one that is late by more than a grace (it is
        // away fetching the token, say) is not waited for.
        const auto grace =
            std::max<time_point::duration>(milliseconds{50}, rate_ > 0 ? interval_at(now) : milliseconds{0});
        const bool older_waiting = !waiting_.empty() && (ticket == 0 || *waiting_.begin() < ticket);
        if (fresh && older_waiting && now < head_due_ + grace) {
            const auto at = rate_ > 0 ? std::max(tat_ - times(interval_at(now), fresh_burst_), now) : now;
            // Once the older one is late, ask again in an eighth of the grace, not every millisecond
            // (a grace is one interval of the pace: seconds at a low budget).
            const auto again = now < head_due_ ? head_due_ + milliseconds{1}
                                               : std::min<time_point>(head_due_ + grace, now + grace / 8);
            return defer(std::max(at, again));
        }
        if (rate_ > 0) {
            const auto interval = interval_at(now);
            if (tat_ < now) tat_ = now;
            // Requests that ran ahead at a slowed pace are at most burst + 1 of the pace now: as
            // the pace recovers from a 429, the time they ran ahead by shrinks with it (else the
            // budget would stand idle, every operation told to wait, for up to burst x the
            // slowest interval: 40 s and more).
            const auto ahead = times(interval, burst_ + 1);
            if (ahead < std::chrono::duration_cast<time_point::duration>(longest_wait))
                tat_ = std::min(tat_, now + ahead);
            const auto tolerance = times(interval, fresh ? fresh_burst_ : burst_);
            if (tat_ - now > tolerance) return defer(tat_ - tolerance);
            tat_ += interval;
        }
        if (ticket != 0) {
            waiting_.erase(ticket);
            ticket = 0;
        }
        ++stats_.admitted;
        return now;
    }

    /// Without a place in the queue (polls, retries, or a caller that does not wait in turn).
    time_point admit(time_point now, kind k) {
        // The youngest of all (no number a session or this governor hands out): never another's
        // ticket, so forget() below cannot erase a waiting request's place.
        std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
        auto at = admit(now, k, none);
        forget(none);
        return at;
    }

    /// A request that held `ticket` was given up: the next one in the queue goes first.
    void forget(std::uint64_t ticket) {
        if (ticket == 0) return;
        std::lock_guard<std::mutex> lk(m_);
        waiting_.erase(ticket);
    }

    /// When a fresh request asking now would be admitted, behind those already waiting (to choose
    /// among credentials: the one with the shorter queue, not only the earlier pace).
    time_point next_free(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (rate_ <= 0) return std::max(now, paused_until_);
        const auto interval = interval_at(now);
        const auto at = std::max({now, paused_until_, tat_ - times(interval, fresh_burst_)});
        return at + times(interval, waiting_.size());
    }

    /// A 429 answered: pause everything for `wait` (at least min_pause) and slow down.
    void on_rate_limited(time_point now, milliseconds wait) {
        std::lock_guard<std::mutex> lk(m_);
        ++stats_.rate_limited;
        // One slow-down per pause: the 429s of requests that were in flight together count once.
        if (now >= paused_until_) factor_ = std::max(0.05, factor_at(now) * slow_down_);
        wait = std::min(wait, longest_wait);  // no overflow, whatever the server says
        paused_until_ = std::max(paused_until_, now + std::max(wait, min_pause_));
        slowed_at_ = paused_until_;
    }

    /// Until when a 429 paused every request (in the past when none did).
    time_point paused_until() const {
        std::lock_guard<std::mutex> lk(m_);
        return paused_until_;
    }

    /// Requests per minute this governor paces at now (after headroom and any slow-down).
    double pace(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        return rate_ * factor_at(now);
    }

    stats counters() const {
        std::lock_guard<std::mutex> lk(m_);
        return stats_;
    }

private:
    // The burst over the pace that a minute's headroom leaves room for: budget x headroom + burst
    // stays within the budget (as configured with headroom 1: the user's choice).
    static int burst_within(double rate_per_minute, const budget_policy& p) noexcept {
        const int burst = std::max(0, p.burst);
        if (!(rate_per_minute >= 0.01) || !(p.headroom < 1.0)) return burst;
        const double room = std::floor(std::min(rate_per_minute, 1e7) * (1.0 - std::clamp(p.headroom, 0.01, 1.0)));
        return std::min(burst, std::max(1, static_cast<int>(std::min(room, 1e4))));
    }
    double factor_at(time_point now) const {
        if (factor_ >= 1.0 || now <= slowed_at_) return factor_;
        const double r = std::chrono::duration<double>(recovery_).count();
        const double t = std::chrono::duration<double>(now - slowed_at_).count();
        if (r <= 0 || t >= r) return 1.0;
        return factor_ + (1.0 - factor_) * t / r;
    }
    // Rounded up: truncated, 60 s / 285 fitted 286 requests into a minute. At most longest_wait
    // (a rate of 0.01 a minute after headroom and slow-downs is one request in 2,000 hours).
    time_point::duration interval_at(time_point now) const {
        const double per_minute = rate_ * factor_at(now);
        return times(std::chrono::ceil<time_point::duration>(std::chrono::duration<double>(60.0 / per_minute)), 1);
    }
    // `interval` x `n`, at most longest_wait: the slowest pace times the largest burst or queue
    // stays a time the clock can add (no signed overflow).
    template <class N>
    static time_point::duration times(time_point::duration interval, N n) {
        constexpr auto cap = std::chrono::duration_cast<time_point::duration>(longest_wait).count();
        const double v = static_cast<double>(interval.count()) * static_cast<double>(n);
        return time_point::duration{v >= static_cast<double>(cap) ? cap : static_cast<time_point::rep>(v)};
    }

    double rate_ = 0;  // per minute, after headroom
    int burst_ = 12;
    int fresh_burst_ = 3;
    milliseconds min_pause_{1000};
    double slow_down_ = 0.5;
    std::chrono::seconds recovery_{60};

    mutable std::mutex m_;
    time_point tat_{};           // when the pace has room again (GCRA's theoretical arrival time)
    time_point paused_until_{};  // a 429 stops everything until then
    double factor_ = 1.0;        // pace multiplier after a 429, recovering
    time_point slowed_at_{};
    std::uint64_t next_ticket_ = 1;
    time_point head_due_{};            // when the oldest waiting fresh request was told to come back
    std::set<std::uint64_t> waiting_;  // tickets of fresh requests that had to wait, oldest first
    stats stats_;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/operation.hpp> ===================================================================
#ifndef GCX_OPERATION_HPP
#define GCX_OPERATION_HPP

// The shared vocabulary of gcx's sans-I/O operations: api_call (one request, with its token and
// retries), lookup_operation (launch and poll a flow), direct_lookup_operation (External
// Contacts), and strategy_operation (one of those, or the flow then the direct lookup), which is
// what both shipped drivers run.
//
// The contract, the same for every operation:
//   action next(time_point now)
//       What to do now: send a request, sleep until a time, wait for the token cache, or done.
//       Call it again after each send (once its answer was handed in), sleep or wait.
//   void on_response(result<http::response> answer, time_point now, system_clock::time_point wall_now)
//       The transport's answer to the last `send` (an error when the exchange failed). `now` is
//       the driver's monotonic clock, `wall_now` its wall clock (for an HTTP-date Retry-After).
//   token_cache& tokens()     the cache to wait on for action::type::wait_token
//   bool done() const         true once next() answered done; then take_result()
//
// An operation reads no clock and performs no I/O: every time is handed in by the driver. It
// holds a gcx::session (a cheap handle: the checked configuration, the token cache, the request
// budget and the run-time statistics, all shared with the client that made it), so it may outlive
// the client. It is movable, not thread-safe: one driver steps it at a time.

#include <cstdint>
#include <functional>
#include <random>

GCX_NAMESPACE_BEGIN

namespace detail {
/// What gcx says of each operation, in one place (one switch, so the compiler names an
/// operation added without its line): its short name, its description, and the permission
/// Genesys requires for it (docs/genesys-api.md 1.7, 5.2, 11.4; none for a token or the check).
struct operation_facts {
    const char* name;
    const char* description;
    const char* permission;
};
inline operation_facts facts_of(operation op) noexcept {
    switch (op) {
    case operation::token: return {"token", "token request", ""};
    case operation::launch: return {"launch", "flow launch", "architect:flow:launch"};
    case operation::poll: return {"poll", "execution poll", "architect:flowExecution:view"};
    case operation::direct_lookup: return {"direct_lookup", "external contact lookup", "externalContacts:contact:view"};
    case operation::data_action: return {"data_action", "data action execution", "integrations:action:execute"};
    case operation::check: return {"check", "preflight check request", ""};
    }
    return {"request", "request", ""};
}
}  // namespace detail

inline const char* to_string(operation op) noexcept { return detail::facts_of(op).description; }

/// The permission Genesys requires for each call ("" for a token request or the check's reads).
inline const char* required_permission(operation op) noexcept { return detail::facts_of(op).permission; }

/// The operation's short name for logs and events: "token", "launch", "poll", "direct_lookup",
/// "data_action", "check" (the preflight check's reads).
inline const char* name(operation op) noexcept { return detail::facts_of(op).name; }

/// What a sans-I/O operation asks its driver to do next.
struct action {
    enum class type { send, sleep, wait_token, done };
    type kind = type::done;
    http::request request;         ///< send: the request, Authorization included
    time_point until{};            ///< sleep: wake at; wait_token: wait no longer than
    std::uint64_t generation = 0;  ///< wait_token: pass to token_cache::wait_for

    static action done() { return action{}; }
    static action sleep(time_point t) {
        action a;
        a.kind = type::sleep;
        a.until = t;
        return a;
    }
};

/// Source of jitter in [0, 1). Injectable so that tests see exact delays.
using jitter_fn = std::function<double()>;

namespace detail {
inline double default_jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}
}  // namespace detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/events.hpp> ======================================================================
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

// ======== <gcx/event_format.hpp> ================================================================
#ifndef GCX_EVENT_FORMAT_HPP
#define GCX_EVENT_FORMAT_HPP

// gcx::event (events.hpp) written out: to_text, one line for a log ("request_answered launch POST
// /api/v2/flows/executions status=200 ms=41 attempt=1 ..."), and to_json, one JSON object without a
// newline. Only the members the event's kind uses appear, in a fixed order. No JSON library:
// the strings are escaped here (a control character as \u00XX).

#include <cstdio>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace detail {

// The fields of an event that its kind uses, in order, handed to `put(name, text, quoted)`.
template <class Put>
void event_fields(const event& e, Put&& put) {
    const auto num = [](long long v) { return std::to_string(v); };
    const bool request = e.kind == event_kind::request_sent || e.kind == event_kind::request_answered ||
                         e.kind == event_kind::retry_scheduled;
    if (e.lookup != 0) put("lookup", std::to_string(e.lookup), false);
    if (e.kind != event_kind::lookup_finished) put("operation", std::string_view(name(e.operation)), true);
    if (request) {
        put("method", e.method, true);
        put("path", e.path, true);
        put("attempt", num(e.attempt), false);
    }
    if (e.kind != event_kind::lookup_finished) put("credential", num(static_cast<long long>(e.credential)), false);
    if (e.status != 0) put("status", num(e.status), false);
    if (!e.error_kind.empty()) put("error_kind", e.error_kind, true);
    if (!e.error_code.empty()) put("error_code", e.error_code, true);
    if (!e.reason.empty()) put("reason", e.reason, true);
    if (e.kind != event_kind::request_sent) put("ms", num(static_cast<long long>(e.duration.count())), false);
    if (!e.correlation_id.empty()) put("correlation_id", e.correlation_id, true);
    if (e.kind == event_kind::lookup_finished) {
        put("strategy", e.strategy, true);
        if (!e.source.empty()) put("source", e.source, true);
        put("outcome", e.outcome, true);
        put("requests", num(e.requests), false);
        put("polls", num(e.polls), false);
    }
}

/// `s` as a JSON string. Control characters are escaped, and so are the ones a reader may take
/// for a line break or a terminal command: C1 controls (U+0080 to U+009F, NEL among them) and
/// U+2028, U+2029, so that a server's text cannot forge a trace line.
inline void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    auto escaped = [&out](unsigned code) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", code);
        out += buf;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            escaped(u);
        } else if (const std::size_t n = detail::line_breaker_at(s, i)) {  // U+0080..U+009F, U+2028, U+2029
            const auto last = static_cast<unsigned char>(s[i + n - 1]);
            escaped(n == 2 ? last : 0x2000u + last - 0x80u);
            i += n - 1;
        } else {
            out += c;
        }
    }
    out += '"';
}

}  // namespace detail

/// One line of text: the kind, then name=value pairs (a value with a space or '=' is quoted).
inline std::string to_text(const event& e) {
    std::string out = to_string(e.kind);
    detail::event_fields(e, [&out](std::string_view key, std::string_view value, bool) {
        out += ' ';
        out.append(key.data(), key.size());
        out += '=';
        bool plain = !value.empty();
        for (char c : value)  // printable ASCII only: anything else is written as a JSON string, escaped
            plain = plain && static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && c != '=' &&
                    c != '"';
        if (plain) out.append(value.data(), value.size());
        else detail::append_json_string(out, value);
    });
    return out;
}

/// One JSON object: {"event":"<kind>", then the same fields as to_text}; numbers as JSON numbers.
inline std::string to_json(const event& e) {
    std::string out = "{\"event\":\"";
    out += to_string(e.kind);
    out += '"';
    detail::event_fields(e, [&out](std::string_view key, std::string_view value, bool quoted) {
        out += ",\"";
        out.append(key.data(), key.size());
        out += "\":";
        if (quoted) detail::append_json_string(out, value);
        else out.append(value.data(), value.size());
    });
    out += '}';
    return out;
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/poll_schedule.hpp> ===============================================================
#ifndef GCX_POLL_SCHEDULE_HPP
#define GCX_POLL_SCHEDULE_HPP

// When to poll an execution, learned from the executions a client has seen.
//
// Every poll spends one request of the budget, and every poll too late adds to the wait for the
// customer. A workflow's run times are fairly stable (a search and a CRM call: 0.5 to 1.5 s), and
// each COMPLETED execution says how long it ran (dateLaunched to dateCompleted, both the server's
// clock). So the client keeps the last 256 run times of each flow (64 let the fit's median jitter
// by 4 %, about 35 ms of first poll, which cost polls and wait: bench/poll_learning.py), fits a
// lognormal to them, and picks, among "first poll at t1, then every s", the schedule with the
// shortest median wait after completion whose average number of polls stays within
// poll_policy::target_polls, both computed on the fitted curve itself (no sampled points to round
// the median or the polls). Past the 99.87th percentile, steps grow by poll_policy::factor up to
// poll_policy::max. Before a flow has `min_samples` runs, the same choice is made over a prior
// (lognormal, median 0.8 s, sigma 0.35: the field's figures), whose steps grow past its 90th
// percentile; a lookup polling on the prior takes the learned plan as soon as there is one. Two polls of one execution are
// never closer than poll_policy::min_interval. A run time longer than the client saw the execution
// take is not learned (plausible_run_time), and a lookup whose plan's first poll falls past its
// deadline polls once before it (lookup.hpp). Thread-safe; sans-I/O.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

/// A poll schedule: first poll `first` after the launch was answered, then every `step` until
/// `horizon`, then growing by the policy's factor.
struct poll_plan {
    milliseconds first{700};
    milliseconds step{200};
    milliseconds horizon{3000};
    bool learned = false;   ///< from this flow's own runs (false: the prior, or the fixed schedule)
    milliseconds shift{0};  ///< how much later than the run times alone say the plan polls (run_time_stats::record)

    /// The wait before the next poll, given how long after the launch the last one was and the
    /// previous interval.
    milliseconds next(const poll_policy& p, milliseconds since_launch, milliseconds previous) const {
        const auto floor = std::max(p.min_interval, milliseconds{1});
        milliseconds d = since_launch < horizon ? step : next_poll_interval(p, std::max(previous, step));
        return std::max(d, floor);
    }
};

namespace detail {
/// Days-from-civil based reading of "2026-05-20T14:03:11.204Z" (UTC, optional fraction), in ms
/// since the epoch; nullopt for anything else.
inline std::optional<std::int64_t> parse_iso8601_ms(std::string_view s) noexcept {
    auto digits = [&s](std::size_t at, std::size_t n, std::int64_t& out) {
        if (at + n > s.size()) return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    std::int64_t y, mo, d, h, mi, se;
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    if (!digits(0, 4, y) || !digits(5, 2, mo) || !digits(8, 2, d) || !digits(11, 2, h) || !digits(14, 2, mi) ||
        !digits(17, 2, se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return std::nullopt;
    std::size_t i = 19;
    std::int64_t ms = 0;
    if (i < s.size() && s[i] == '.') {
        std::int64_t scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            ms += (s[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i + 1 != s.size() || s[i] != 'Z') return std::nullopt;
    const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + mi) * 60000 + se * 1000 + ms;
}

/// The run time an execution reports (dateCompleted - dateLaunched), when both are readable and
/// it is plausible (0 to 1 hour).
inline std::optional<milliseconds> reported_run_time(std::string_view launched, std::string_view completed) noexcept {
    auto a = parse_iso8601_ms(launched), b = parse_iso8601_ms(completed);
    if (!a || !b || *b < *a || *b - *a > 3600000) return std::nullopt;
    return milliseconds{*b - *a};
}

/// Whether a reported run time can be true of an execution whose launch this client sent
/// `observed` before the answer that reported it: both dates are the server's, taken between the
/// two, so the run cannot be longer, but for rounding and the skew between the server's own
/// machines (1 s). A hostile or broken server's 50-minute runs would otherwise be learned, and
/// push every later lookup's first poll past its deadline.
inline bool plausible_run_time(milliseconds run, milliseconds observed) noexcept {
    return run <= observed + milliseconds{1000};
}

/// A lognormal fitted to run times: mean and standard deviation of their logarithms. Sigma is kept
/// within [0.01, 2] (all runs equal, or wildly spread hostile values), so the curve stays usable.
struct lognormal_fit {
    double mu = 6.684611727667927;  // log(800 ms): the field's median
    double sigma = 0.35;
};

inline lognormal_fit fit_lognormal(const std::vector<milliseconds>& runs) {
    lognormal_fit f;
    if (runs.empty()) return f;
    double sum = 0, sum2 = 0;
    for (auto r : runs) {
        const double l = std::log(static_cast<double>(std::clamp<std::int64_t>(r.count(), 1, 3600000)));
        sum += l;
        sum2 += l * l;
    }
    const double k = static_cast<double>(runs.size());
    f.mu = sum / k;
    f.sigma = std::clamp(std::sqrt(std::max(0.0, sum2 / k - f.mu * f.mu)), 0.01, 2.0);
    return f;
}

/// Mean polls and median wait after completion of a plan, for run times following `fit`, computed
/// from the curve itself (no sampling): the poll times are those poll_plan::next gives.
struct plan_cost {
    double polls = 0, median_wait = 0;
};

inline plan_cost evaluate_plan(const poll_plan& plan, const lognormal_fit& fit, const poll_policy& p,
                               bool with_median = true) {
    constexpr std::size_t max_polls = 32;  // beyond, a hostile fit: the remaining tail is ignored
    const double scale = 1 / (fit.sigma * std::sqrt(2.0));
    auto survival = [&](double t) { return t <= 0 ? 1.0 : 0.5 * std::erfc((std::log(t) - fit.mu) * scale); };
    std::array<double, max_polls> at{}, done{};
    std::size_t n = 0;
    milliseconds t = std::max(plan.first, std::max(p.min_interval, milliseconds{1})), prev = t;
    plan_cost c;
    c.polls = 1;
    for (;;) {
        at[n] = static_cast<double>(t.count());
        const double s = survival(at[n]);
        done[n++] = 1 - s;
        if (s < 1e-5 || n == max_polls || t > milliseconds{3600000}) break;
        c.polls += s;  // the next poll happens when the run is not over by this one
        prev = plan.next(p, t, prev);
        t += prev;
    }
    if (!with_median) return c;
    // The median wait w: the runs ending within w before the poll that sees them make half of all.
    double lo = 0, hi = at[0];
    for (std::size_t i = 1; i < n; ++i) hi = std::max(hi, at[i] - at[i - 1]);
    for (int it = 0; it < 20; ++it) {
        const double w = (lo + hi) / 2;
        double seen = 0;
        for (std::size_t i = 0; i < n; ++i) seen += done[i] - (1 - survival(std::max(i ? at[i - 1] : 0.0, at[i] - w)));
        (seen >= 0.5 ? hi : lo) = w;
    }
    c.median_wait = hi;
    return c;
}

/// The schedule with the shortest median wait after completion among those whose mean number of
/// polls is at most `target_polls`, for run times following `fit`; the fewest polls if none is.
/// For each step, the earliest first poll within the target is found by bisection (polls only
/// fall as the first poll moves later, and the earliest one waits least); then the steps are
/// compared. Steps: 100 to 600 ms by 25, then by a tenth (rounded to 25 ms) up to poll_policy::max
/// or the 99.87th percentile, whichever is less: a flow whose runs spread over seconds (a median
/// of 5 s, or sigma 1) stays within the target with a late first poll and 600 ms steps, or with
/// an early one and steps of seconds, and the second waits about half as long. Past `horizon`
/// (the 99.87th percentile), steps grow.
inline poll_plan best_plan(const lognormal_fit& fit, const poll_policy& p, bool learned) {
    const auto floor = std::max(p.min_interval, milliseconds{1});
    auto at_z = [&](double z) {
        return milliseconds{static_cast<std::int64_t>(std::clamp(std::exp(fit.mu + z * fit.sigma), 1.0, 3.6e6))};
    };
    poll_plan best;
    best.learned = learned;
    plan_cost best_cost{1e18, 1e18};
    bool best_ok = false;
    const std::int64_t last_step = std::max<std::int64_t>(600, std::min(p.max.count(), at_z(3).count()));
    for (std::int64_t step_ms = 100; step_ms <= last_step;
         step_ms += step_ms < 600 ? 25 : std::max<std::int64_t>(25, step_ms / 10 / 25 * 25)) {
        poll_plan c = best;
        c.step = std::max(milliseconds{step_ms}, floor);
        auto with_first = [&](std::int64_t first) {
            c.first = std::max(milliseconds{first}, floor);
            c.horizon = std::max(at_z(3), c.first + c.step);
            return evaluate_plan(c, fit, p, false).polls <= p.target_polls;
        };
        std::int64_t lo = std::max(at_z(-2), floor).count(), hi = std::max(at_z(4).count(), lo);
        if (with_first(lo)) {
            hi = lo;
        } else if (with_first(hi)) {
            while (hi - lo > 1) {
                const std::int64_t mid = lo + (hi - lo) / 2;
                (with_first(mid) ? hi : lo) = mid;
            }
        }
        const bool ok = with_first(hi);
        const plan_cost cost = evaluate_plan(c, fit, p, ok);
        const bool better =
            ok ? (!best_ok || cost.median_wait < best_cost.median_wait) : (!best_ok && cost.polls < best_cost.polls);
        if (better) {
            best = c;
            best_cost = cost;
            best_ok = ok;
        }
    }
    return best;
}
}  // namespace detail

/// What a client learned of its flows' run times.
class run_time_stats {
public:
    static constexpr std::size_t window = 256;     ///< runs kept per flow
    static constexpr std::size_t min_samples = 8;  ///< runs before the flow's own figures replace the prior
    static constexpr std::size_t lag_window = 32;  ///< executions whose "still running after" figure is kept (record)
    static constexpr std::size_t lag_samples = 4;  ///< of them, before the plan moves by them

    /// Records one execution's run time and how long after its reported completion the last poll
    /// answered RUNNING went out (`running_after`: that poll's send time after the launch's, less
    /// the run time; below zero when it went out before the completion, as it should; none when
    /// the first poll found it done). The server's dates say when an execution ended, not when a
    /// poll can see it: a platform whose status reads trail its executions, or that stamps
    /// dateLaunched later after the launch arrived than a poll takes to arrive, makes every poll
    /// planned on the dates alone too early, and one answered RUNNING past the completion shows
    /// by how much at least. Over the last 32 executions, the second greatest such figure (one odd
    /// execution moves nothing, and leaves the window 32 executions later; 0 when none is above
    /// it; at most 10 s) is that lag, and the plan polls that much later.
    void record(std::string_view flow_id, milliseconds run, std::optional<milliseconds> running_after = std::nullopt) {
        std::lock_guard<std::mutex> lk(m_);
        auto& f = flows_[std::string(flow_id)];
        if (f.runs.size() < window) f.runs.push_back(run);
        else f.runs[f.next % window] = run;
        ++f.next;
        const milliseconds figure = running_after.value_or(no_figure);
        if (f.running_after.size() < lag_window) f.running_after.push_back(figure);
        else f.running_after[f.lag_next % lag_window] = figure;
        ++f.lag_next;
        // Re-plan at once while learning, then every 8 runs (a plan costs a few hundred microseconds),
        // and at once after a poll answered RUNNING past the completion (a lag to follow).
        if (f.next <= min_samples * 2 || f.next % 8 == 0 || figure > milliseconds{0}) f.dirty = true;
    }

    /// The schedule for the next execution of this flow.
    poll_plan plan(std::string_view flow_id, const poll_policy& p) {
        if (!p.adaptive) {
            poll_plan fixed;
            fixed.first = std::max(p.initial, p.min_interval);
            fixed.step = fixed.first;
            fixed.horizon = milliseconds{0};  // grow by the factor from the first poll on
            return fixed;
        }
        std::lock_guard<std::mutex> lk(m_);
        auto it = flows_.find(std::string(flow_id));
        if (it == flows_.end() || it->second.runs.size() < min_samples) {
            if (!prior_) {
                // The prior's steps end at its 90th percentile (1.25 s), not at the 99.87th as a
                // learned plan's: an execution still running then is the first sign of a flow
                // slower than the field's, and growing steps cost a 5-second flow 8 polls where
                // 200 ms steps to 2.3 s cost it 13, for each lookup in flight before any ended.
                const detail::lognormal_fit f{};
                prior_ = detail::best_plan(f, p, false);
                const auto p90 = milliseconds{static_cast<std::int64_t>(std::exp(f.mu + prior_p90_z * f.sigma))};
                prior_->horizon = std::max(std::min(prior_->horizon, p90), prior_->first + prior_->step);
            }
            return *prior_;
        }
        auto& f = it->second;
        if (f.dirty || !f.plan) {
            f.plan = detail::best_plan(detail::fit_lognormal(f.runs), p, true);
            if (f.running_after.size() >= lag_samples) {
                std::vector<milliseconds> top = f.running_after;
                std::nth_element(top.begin(), top.begin() + 1, top.end(), std::greater<>());
                const milliseconds shift = std::clamp(top[1], milliseconds{0}, max_shift);
                f.plan->first += shift;
                f.plan->horizon += shift;
                f.plan->shift = shift;
            }
            f.dirty = false;
        }
        return *f.plan;
    }

    /// Runs recorded for a flow (for tests and statistics).
    std::size_t samples(std::string_view flow_id) const {
        std::lock_guard<std::mutex> lk(m_);
        auto it = flows_.find(std::string(flow_id));
        return it == flows_.end() ? 0 : it->second.runs.size();
    }

private:
    static constexpr double prior_p90_z = 1.2815515655446004;  // the standard normal's 90th percentile
    static constexpr milliseconds max_shift{10000};
    static constexpr milliseconds no_figure{-3600000};  // an execution with no poll answered RUNNING
    struct flow {
        std::vector<milliseconds> runs;
        std::size_t next = 0;
        std::vector<milliseconds> running_after;  // the last lag_window figures (record)
        std::size_t lag_next = 0;
        bool dirty = true;
        std::optional<poll_plan> plan;
    };
    mutable std::mutex m_;
    std::map<std::string, flow, std::less<>> flows_;
    std::optional<poll_plan> prior_;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/config.hpp> ======================================================================
#ifndef GCX_CONFIG_HPP
#define GCX_CONFIG_HPP

// Where gcx talks to and with which credentials. Regions, endpoint derivation
// (https://api.<domain> and https://login.<domain>), gateway overrides, and from_env().

#include <array>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

/// A Genesys Cloud region: the SDKs' enum name and its domain.
struct region {
    std::string_view name;    ///< e.g. "us_east_1"
    std::string_view domain;  ///< e.g. "mypurecloud.com"
};

/// Every region the official SDKs know (2026-08). A domain not listed still works through
/// endpoints::from_domain or a base-URL override: the list grows faster than releases.
inline constexpr std::array<region, 18> regions{{
    {"us_east_1", "mypurecloud.com"},
    {"us_east_2", "use2.us-gov-pure.cloud"},
    {"us_west_2", "usw2.pure.cloud"},
    {"ca_central_1", "cac1.pure.cloud"},
    {"sa_east_1", "sae1.pure.cloud"},
    {"mx_central_1", "mxc1.pure.cloud"},
    {"eu_west_1", "mypurecloud.ie"},
    {"eu_west_2", "euw2.pure.cloud"},
    {"eu_central_1", "mypurecloud.de"},
    {"eu_central_2", "euc2.pure.cloud"},
    {"me_central_1", "mec1.pure.cloud"},
    {"ap_south_1", "aps1.pure.cloud"},
    {"ap_northeast_1", "mypurecloud.jp"},
    {"ap_northeast_2", "apne2.pure.cloud"},
    {"ap_northeast_3", "apne3.pure.cloud"},
    {"ap_southeast_1", "apse1.pure.cloud"},
    {"ap_southeast_2", "mypurecloud.com.au"},
    {"eusc_de_east_1", "edee1.eusc-pure.cloud"},
}};

/// The region with this SDK name ("eu_central_1", also "eu-central-1") or domain
/// ("mypurecloud.de"), or nullopt.
inline std::optional<region> find_region(std::string_view name_or_domain) noexcept {
    for (const auto& r : regions) {
        if (r.domain == name_or_domain) return r;
        if (r.name.size() != name_or_domain.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < r.name.size() && same; ++i) {
            char c = name_or_domain[i];
            if (c == '-') c = '_';
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            same = c == r.name[i];
        }
        if (same) return r;
    }
    return std::nullopt;
}

/// Base URLs: API calls go to `api`, the token request to `login` + "/oauth/token".
/// Both are "scheme://host[:port]" with an optional path prefix (for gateways), no trailing '/'.
struct endpoints {
    std::string api;
    std::string login;

    /// https://api.<domain> and https://login.<domain>. The domain must look like a host name.
    static result<endpoints> from_domain(std::string_view domain) {
        bool ok = !domain.empty() && domain.find('.') != std::string_view::npos;
        for (char c : domain)
            ok = ok &&
                 ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
        if (!ok)
            return make_error(errc::config, "invalid region '" + std::string(domain.substr(0, 64)) + "'",
                              "use a region name such as us_east_1 or a domain such as mypurecloud.com");
        return endpoints{"https://api." + std::string(domain), "https://login." + std::string(domain)};
    }

    /// A region by name or domain; an unknown value that looks like a domain is taken as one.
    static result<endpoints> from_region(std::string_view name_or_domain) {
        if (auto r = find_region(name_or_domain)) return from_domain(r->domain);
        return from_domain(name_or_domain);
    }

    /// Explicit base URLs (a gateway, a proxy, the simulator). `login` defaults to `api`:
    /// one server that serves both /oauth/token and /api/v2 (as gcx-sim does).
    static result<endpoints> from_urls(std::string_view api, std::string_view login = {}) {
        endpoints e{std::string(api), std::string(login.empty() ? api : login)};
        for (auto* u : {&e.api, &e.login}) {
            while (!u->empty() && u->back() == '/') u->pop_back();
            auto p = http::parse_url(*u);
            if (!p) return p.error();
        }
        return e;
    }
};

/// How basic_client::lookup finds the customer.
enum class lookup_strategy {
    flow,                   ///< launch the lookup workflow and poll it (the default)
    direct,                 ///< ask External Contacts directly (no flow; needs externalContacts:contact:view)
    flow_then_direct,       ///< the flow, and the direct lookup when the flow cannot be launched (an ErrorBody 403/404)
    data_action,            ///< execute a published data action: one request (needs integrations:action:execute)
    data_action_then_flow,  ///< the data action, and the flow when the action cannot run (action.fallback_statuses)
    data_action_then_direct,  ///< the data action, and the direct lookup when the action cannot run
};

/// The strategy's name as the command line writes it: "flow", "direct", "flow-then-direct",
/// "data-action", "data-action-then-flow", "data-action-then-direct".
inline const char* to_string(lookup_strategy s) noexcept {
    switch (s) {
    case lookup_strategy::flow: return "flow";
    case lookup_strategy::direct: return "direct";
    case lookup_strategy::flow_then_direct: return "flow-then-direct";
    case lookup_strategy::data_action: return "data-action";
    case lookup_strategy::data_action_then_flow: return "data-action-then-flow";
    case lookup_strategy::data_action_then_direct: return "data-action-then-direct";
    }
    return "unknown";
}

/// The strategy named `name` (to_string's names; '_' may stand for '-', as in the enumerators), or nullopt.
inline std::optional<lookup_strategy> parse_lookup_strategy(std::string_view name) noexcept {
    for (auto s : {lookup_strategy::flow, lookup_strategy::direct, lookup_strategy::flow_then_direct,
                   lookup_strategy::data_action, lookup_strategy::data_action_then_flow,
                   lookup_strategy::data_action_then_direct}) {
        const std::string_view n = to_string(s);
        if (n.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < n.size() && same; ++i) same = n[i] == (name[i] == '_' ? '-' : name[i]);
        if (same) return s;
    }
    return std::nullopt;
}

/// Whether a strategy launches the workflow (first or as a fallback): it needs a flow id.
inline bool uses_flow(lookup_strategy s) noexcept {
    return s == lookup_strategy::flow || s == lookup_strategy::flow_then_direct ||
           s == lookup_strategy::data_action_then_flow;
}
/// Whether a strategy executes a data action: it needs data_action_options::action_id.
inline bool uses_data_action(lookup_strategy s) noexcept {
    return s == lookup_strategy::data_action || s == lookup_strategy::data_action_then_flow ||
           s == lookup_strategy::data_action_then_direct;
}

/// Which External Contacts request a direct lookup makes.
enum class direct_method {
    reverse_whitepages,  ///< GET reversewhitepageslookup: every contact with the number (up to 25)
    identifier,          ///< POST identifierlookup/contacts: the one contact with that Phone identifier
};

struct direct_options {
    direct_method method = direct_method::reverse_whitepages;
    /// Comma-separated; the method's own values: "contacts.externalOrganization" / "externalOrganization".
    std::string expand;
    std::string division_id;  ///< reverse_whitepages: empty = the server's default, all divisions ("*")
};

/// How a data action is executed (lookup_strategy::data_action and its chains; docs/genesys-api.md 11.4).
///
/// Found or not found: when the answer has the key `found_key` (default "found"), JSON true is
/// found, false or null not found, and any other value an error (errc::mapping, code
/// found_output). When it has no such key (or found_key is empty): found when any output has a
/// value (not null, false, 0, "", [] or {}). The verdict is execution_info::found.
struct data_action_options {
    std::string action_id;                  ///< the published action's id (e.g. "custom_-_<uuid>"; GCX_ACTION_ID)
    std::string input_key = "phoneNumber";  ///< the action input that receives the number (E.164)
    bool flatten = false;                   ///< ?flatten=true: the answer flattened as Architect flattens it
    std::string found_key = "found";        ///< the output that says found / not found (see above)
    /// The action's inputs and outputs may hold personal data (Action.secure): no error of the
    /// lookup carries a value of either (the server's message of a failed execution is dropped,
    /// its code kept; input values are scrubbed).
    bool secure = false;
    /// The action only reads (a lookup): an execution that failed after it may have reached
    /// Genesys Cloud (502/503/504, a timeout after sending, an unreadable answer) is retried like a
    /// GET. Off: retried only when certainly not run (429, no connection, 503 with Retry-After), as
    /// a flow launch is.
    bool idempotent = false;
    /// The HTTP statuses of a failed execution on which a chain (data_action_then_flow,
    /// data_action_then_direct) takes its second path: the action cannot run (403: no permission;
    /// 404: no such action; not when the answer says the action ran: docs/genesys-api.md 11.4).
    /// Add a status the action's own failures come back with (502...) to fall back on those too.
    std::vector<int> fallback_statuses{403, 404};
};

/// Checks a data action id before any request: 1 to 256 characters, letters, digits, '-', '_',
/// '.' or '~' (what appears in a URL path segment unencoded; Genesys ids are "custom_-_<uuid>"-like).
inline result<void> validate_action_id(std::string_view id) {
    bool ok = !id.empty() && id.size() <= 256 && id != "." && id != "..";  // not a path step
    for (char c : id)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~');
    if (ok) return {};
    std::string shown(id.substr(0, 64));
    for (auto& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    error e =
        make_error(errc::invalid_input,
                   id.empty() ? std::string("the data action id is empty")
                              : "invalid data action id '" + shown + "': expected letters, digits, '-', '_', '.'",
                   "copy the action's id from Admin > Integrations > Actions, or GET /api/v2/integrations/actions");
    e.code = std::string(codes::action_id);
    return e;
}

/// One OAuth client (Client Credentials grant): its own token and its own request budget.
struct credential {
    std::string client_id;
    secret client_secret;
};

/// Everything a client needs. Defaults are documented next to each member.
struct client_config {
    std::string client_id;
    secret client_secret;
    /// More OAuth clients of the same org: each has its own token and budget, and lookups are
    /// spread over all of them. Org-wide limits still apply to their sum.
    std::vector<credential> extra_credentials;
    gcx::endpoints endpoints{"https://api.mypurecloud.com", "https://login.mypurecloud.com"};

    std::string flow_id;                              ///< the lookup workflow (a UUID)
    std::string flow_version;                         ///< empty: the latest published version
    std::string input_variable = "Flow.PhoneNumber";  ///< the flow's "Input to flow" variable for the number
    std::string execution_name = "gcx-lookup";        ///< prefix of each execution's name (a unique suffix is added)

    milliseconds lookup_timeout{30000};   ///< a lookup's bound from its first request (before: budget.queue_timeout)
    milliseconds request_timeout{16000};  ///< at most this per HTTP exchange (as the Go and JS SDKs)
    std::chrono::seconds token_refresh_window{60};  ///< a token this close to expiry is renewed first
    retry_policy retry;
    poll_policy poll;
    budget_policy budget;  ///< requests per minute per credential, pacing, 429 pauses
    /// After the token endpoint refused the credentials (invalid_client, ...), every lookup fails
    /// at once with that error, without a token request, for this long; then one tries again.
    milliseconds refused_credentials_backoff{60000};
    /// After a launch was answered 404 (the flow id names no flow in the org), every lookup fails
    /// at once with that answer, without a request, for this long (refusal_memory.hpp).
    milliseconds unknown_target_backoff{60000};

    lookup_strategy strategy = lookup_strategy::flow;
    direct_options direct;
    data_action_options action;  ///< lookup_strategy::data_action and its chains

    /// Send the bearer token over plain http:// to a non-loopback host. Off: such a
    /// configuration is refused. Turn on only behind a TLS-terminating proxy you trust.
    bool allow_insecure_http = false;

    /// Structured events (events.hpp): requests sent and answered, retries, tokens, budget waits,
    /// lookups finished; never a secret, a token, a number or an output value. Called on the thread
    /// that steps the lookup (thread-safe if the client is shared); empty (the default): no event is built.
    event_hook on_event;

    /// Checks what can be checked before any request: credentials present, URLs valid and
    /// https (or loopback), flow id a UUID when `need_flow` is set (by default: when the strategy
    /// launches the flow), the data action's id and input key when the strategy executes one.
    result<void> validate() const { return validate(uses_flow(strategy)); }
    /// errc::config unless flow_id is set and a UUID (what a flow lookup needs of the config).
    result<void> validate_flow() const {
        if (flow_id.empty())
            return make_error(errc::config, "TARGET_FLOW_ID is not set", "the id of the published lookup workflow");
        if (auto v = validate_flow_id(flow_id); !v) {
            auto e = v.error();
            e.kind = errc::config;
            return e;
        }
        return {};
    }
    result<void> validate(bool need_flow) const {
        if (client_id.empty())
            return make_error(errc::config, "GENESYS_CLIENT_ID is not set",
                              "create an OAuth client (Client Credentials grant) in Genesys Cloud Admin");
        if (client_secret.empty())
            return make_error(errc::config, "GENESYS_CLIENT_SECRET is not set",
                              "the secret is shown once when the OAuth client is created");
        for (std::size_t i = 0; i < extra_credentials.size(); ++i) {
            const auto& id = extra_credentials[i].client_id;
            if (id.empty() || extra_credentials[i].client_secret.empty())
                return make_error(errc::config, "an extra credential has an empty client id or secret");
            bool repeated = id == client_id;
            for (std::size_t k = 0; k < i; ++k) repeated = repeated || extra_credentials[k].client_id == id;
            if (repeated)
                return make_error(errc::config, "extra credential " + std::to_string(i + 1) + " repeats a client id",
                                  "each credential must be an OAuth client of its own (its own token and budget)");
        }
        for (const auto* u : {&endpoints.api, &endpoints.login}) {
            auto p = http::parse_url(*u);
            if (!p) return p.error();
            if (p->scheme == "http" && !http::is_loopback_host(p->host) && !allow_insecure_http)
                return make_error(errc::config, "refusing to send credentials over plain http to " + p->host,
                                  "use https, or set allow_insecure_http behind a trusted TLS-terminating proxy");
        }
        if (need_flow)
            if (auto v = validate_flow(); !v) return v;
        if (input_variable.empty()) return make_error(errc::config, "the flow input variable name is empty");
        if (uses_data_action(strategy)) {
            if (action.action_id.empty())
                return make_error(errc::config, "GCX_ACTION_ID is not set",
                                  "the id of the published data action (lookup strategy " +
                                      std::string(to_string(strategy)) + ")");
            if (auto v = validate_action_id(action.action_id); !v) {
                auto e = v.error();
                e.kind = errc::config;
                return e;
            }
            if (action.input_key.empty()) return make_error(errc::config, "the data action input key is empty");
            for (int st : action.fallback_statuses)
                if (st < 100 || st > 599)
                    return make_error(errc::config, "data action fallback statuses must be HTTP statuses (100-599)");
        }
        if (lookup_timeout.count() <= 0 || request_timeout.count() <= 0 || !usable_duration(lookup_timeout) ||
            !usable_duration(request_timeout) || !usable_duration(budget.queue_timeout))
            return make_error(errc::config, "timeouts must be positive, and at most a year");
        // Every other duration (usable_duration: none negative, none over a year).
        const std::string bad = !usable_duration(token_refresh_window)          ? "token_refresh_window"
                                : !usable_duration(refused_credentials_backoff) ? "refused_credentials_backoff"
                                : !usable_duration(unknown_target_backoff)      ? "unknown_target_backoff"
                                : retry.unusable_duration()  ? std::string("retry.") + retry.unusable_duration()
                                : poll.unusable_duration()   ? std::string("poll.") + poll.unusable_duration()
                                : budget.unusable_duration() ? std::string("budget.") + budget.unusable_duration()
                                                             : std::string();
        if (!bad.empty()) return make_error(errc::config, bad + " must be between 0 and a year");
        if (!(poll.factor >= 1.0 && poll.factor <= 100.0) || !(poll.target_polls >= 1.0 && poll.target_polls <= 100.0))
            return make_error(errc::config, "poll.factor and poll.target_polls must be between 1 and 100");
        if (poll.max_polls < 1)
            return make_error(errc::config, "poll.max_polls must be at least 1 (a launch needs a poll)");
        if (const char* why = budget.unusable()) return make_error(errc::config, why);
        return {};
    }

    using getenv_fn = std::function<const char*(const char*)>;

    /// Reads the tutorial's variables: GENESYS_REGION (default mypurecloud.com),
    /// GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, TARGET_FLOW_ID, GCX_ACTION_ID (the data action,
    /// for the data-action strategies), and the overrides GCX_API_URL / GCX_LOGIN_URL
    /// (GCX_LOGIN_URL defaults to GCX_API_URL when only that is set).
    /// A missing or malformed value is errc::config naming the variable; the secret's value is
    /// never part of any message. `getenv` is injectable for tests.
    static result<client_config> from_env(const getenv_fn& getenv = {}) {
        return from_env(lookup_strategy::flow, getenv);
    }
    /// The same for a strategy: TARGET_FLOW_ID is needed only by a strategy that launches the flow
    /// (uses_flow), GCX_ACTION_ID only by one that executes a data action (uses_data_action).
    static result<client_config> from_env(lookup_strategy strategy, const getenv_fn& getenv = {}) {
        auto get = [&](const char* name) -> std::string {
            const char* v = getenv ? getenv(name) : std::getenv(name);
            return v ? std::string(v) : std::string();
        };
        client_config c;
        c.strategy = strategy;
        auto named = [](error e, const char* var) {
            e.message = std::string(var) + ": " + e.message;
            e.kind = errc::config;
            return e;
        };
        std::string api = get("GCX_API_URL"), login = get("GCX_LOGIN_URL");
        if (!api.empty() || !login.empty()) {
            if (api.empty()) return make_error(errc::config, "GCX_LOGIN_URL is set but GCX_API_URL is not");
            auto e = endpoints::from_urls(api, login);
            if (!e) return named(e.error(), login.empty() ? "GCX_API_URL" : "GCX_API_URL/GCX_LOGIN_URL");
            c.endpoints = *e;
        } else {
            std::string reg = get("GENESYS_REGION");
            auto e = endpoints::from_region(reg.empty() ? "mypurecloud.com" : reg);
            if (!e) return named(e.error(), "GENESYS_REGION");
            c.endpoints = *e;
        }
        c.client_id = get("GENESYS_CLIENT_ID");
        if (c.client_id.empty())
            return make_error(errc::config, "GENESYS_CLIENT_ID is not set",
                              "export GENESYS_CLIENT_ID=<OAuth client id>");
        c.client_secret = secret(get("GENESYS_CLIENT_SECRET"));
        if (c.client_secret.empty())
            return make_error(errc::config, "GENESYS_CLIENT_SECRET is not set",
                              "export GENESYS_CLIENT_SECRET=<OAuth client secret>");
        c.flow_id = get("TARGET_FLOW_ID");
        if (c.flow_id.empty() && uses_flow(strategy))
            return make_error(errc::config, "TARGET_FLOW_ID is not set", "export TARGET_FLOW_ID=<workflow id>");
        if (!c.flow_id.empty())
            if (auto v = validate_flow_id(c.flow_id); !v) return named(v.error(), "TARGET_FLOW_ID");
        c.action.action_id = get("GCX_ACTION_ID");
        if (c.action.action_id.empty() && uses_data_action(strategy))
            return make_error(errc::config, "GCX_ACTION_ID is not set", "export GCX_ACTION_ID=<data action id>");
        if (!c.action.action_id.empty())
            if (auto v = validate_action_id(c.action.action_id); !v) return named(v.error(), "GCX_ACTION_ID");
        if (auto v = c.validate(); !v) return v.error();
        return c;
    }
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/json/backend.hpp> ================================================================
#ifndef GCX_JSON_BACKEND_HPP
#define GCX_JSON_BACKEND_HPP

// The JSON backend concept. gcx never names a JSON library outside include/gcx/json/<backend>.hpp:
// everything else is written against a *traits type* `J` with the static members below.
// A backend is ~250 lines; see boost_json.hpp and nlohmann.hpp.
//
//   typename J::value                                  the library's DOM value (regular type)
//   result<J::value> J::parse(std::string_view text, std::size_t max_depth)
//                                                      malformed text or nesting deeper than
//                                                      max_depth -> errc::protocol, never a throw
//   std::string J::serialize(const J::value&)
//   json::kind  J::kind_of(const J::value&)
//   const J::value* J::find(const J::value& object, std::string_view key)   nullptr if absent
//                                                      or `object` is not an object
//   bool J::for_each_member(const J::value& object, F f)   f(std::string_view key, const value&)
//                                                      returns bool: false stops the walk;
//                                                      the call returns false if stopped
//   bool J::for_each_element(const J::value& array, F f)   f(const value&) -> bool, likewise
//   std::size_t J::size(const J::value&)             members of an object / elements of an array
//   bool J::get_bool(const value&); std::int64_t J::get_int(const value&);
//   std::uint64_t J::get_uint(const value&); double J::get_double(const value&);
//   std::string_view J::get_string(const value&)     precondition: kind_of matches
//   J::value J::make_null(), make_bool(bool), make_int(std::int64_t), make_uint(std::uint64_t),
//            make_double(double), make_string(std::string_view), make_object(), make_array()
//   void J::set(J::value& object, std::string_view key, J::value v)   insert or replace
//   void J::push_back(J::value& array, J::value v)
//
// Numbers in serialized text: integers as integers; a double as json::append_double writes it
// (the shortest digits that read back as the same double, "97.5", "0.1", "1e+300", "-0.0", "3.0"),
// so every backend writes the same text for the same number, and raw_json texts compare equal.
//
// Optional member (json::parse_temporary below falls back to J::parse without it):
//   R J::parse_temporary(std::string_view text, std::size_t max_depth, F f)
//                                                      parses like J::parse and returns
//                                                      f(const result<J::value>&); the value lives
//                                                      only during the call, so the backend may
//                                                      keep it in scratch memory
//
// Integers: a backend reports kind::integer for values that fit std::int64_t and kind::uint only
// for non-negative values above INT64_MAX, so range checks see exact values.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace json {

enum class kind { null, boolean, integer, uint, number, string, array, object };

inline const char* to_string(kind k) noexcept {
    switch (k) {
    case kind::null: return "null";
    case kind::boolean: return "bool";
    case kind::integer: return "integer";
    case kind::uint: return "unsigned integer";
    case kind::number: return "number";
    case kind::string: return "string";
    case kind::array: return "array";
    case kind::object: return "object";
    }
    return "unknown";
}

/// Default nesting limit for parsing server answers: deep enough for any Genesys shape,
/// shallow enough that a hostile body cannot exhaust the stack.
inline constexpr std::size_t default_max_depth = 64;

/// How deep the text of a raw_json may nest and still be written as JSON (reflect/write.hpp):
/// deeper, it is written as null.
inline constexpr std::size_t max_written_raw_depth = 4096;

/// Members one object of a parsed text may have: far more than any Genesys answer holds, and few
/// enough that nlohmann::ordered_json, which inserts each key by a search through the ones before
/// it, parses a hostile object in milliseconds (60,000 keys took seconds). Every backend refuses
/// a text with a larger object, so that all of them read the same texts.
inline constexpr std::size_t max_object_members = 10000;

// ---- small helpers written once against the concept ----------------------------------------

/// The string member `key` of `object`, or `fallback` when absent or not a string.
template <class J>
std::string get_string_or(const typename J::value& object, std::string_view key, std::string_view fallback = {}) {
    const auto* v = J::find(object, key);
    if (v && J::kind_of(*v) == kind::string) return std::string(J::get_string(*v));
    return std::string(fallback);
}

/// The integer member `key` of `object`, or `fallback` when absent or not an integral number.
template <class J>
std::int64_t get_int_or(const typename J::value& object, std::string_view key, std::int64_t fallback) {
    const auto* v = J::find(object, key);
    if (!v) return fallback;
    switch (J::kind_of(*v)) {
    case kind::integer: return J::get_int(*v);
    case kind::number: {
        double d = J::get_double(*v);
        if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d)
            return static_cast<std::int64_t>(d);
        return fallback;
    }
    default: return fallback;
    }
}

namespace number_detail {
/// The shortest decimal digits d1 d2 ... dk (no sign, no leading zero) and exponent e with
/// |x| = 0.d1d2...dk * 10^e, for finite, non-zero x. Returns k (at most 17).
inline int shortest_digits_printf(double x, char (&digits)[24], int& e) {
    // The first precision whose correctly rounded %e form reads back as x: the shortest digits,
    // and of those the closest to x. snprintf and strtod use the same locale, so its decimal
    // separator does not matter; only the digits and the exponent are kept.
    char buf[40];
    for (int precision = 0; precision <= 16; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision, x);
        if (std::strtod(buf, nullptr) == x || precision == 16) break;
    }
    int k = 0;
    const char* p = buf;
    for (; *p != 'e'; ++p)
        if (*p >= '0' && *p <= '9') digits[k++] = *p;
    e = std::atoi(p + 1) + 1;
    while (k > 1 && digits[k - 1] == '0') --k;  // "%.16e" may end in zeros
    return k;
}

inline int shortest_digits(double x, char (&digits)[24], int& e) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    // Scientific form without a precision: the shortest round-trip digits ("9.75e+01").
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    int k = 0;
    const char* p = buf;
    for (; p != r.ptr && *p != 'e'; ++p)
        if (*p >= '0' && *p <= '9') digits[k++] = *p;
    int exponent = 0;
    std::from_chars(p + (p[1] == '+' ? 2 : 1), r.ptr, exponent);
    e = exponent + 1;
    return k;
#else
    return shortest_digits_printf(x, digits, e);
#endif
}
}  // namespace number_detail

/// Appends the integer `i` as JSON text (its decimal digits, std::to_chars).
template <class Int>
void append_integer(std::string& out, Int i) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// Appends `x` as JSON text: the shortest decimal digits that read back as exactly `x`, laid out
/// as nlohmann/json lays them out: plain decimals from 1e-4 to below 1e15, always with a '.'
/// ("97.5", "0.0001", "3.0", "-0.0"), otherwise one digit before an exponent of at least two
/// digits ("1e+300", "5e-324", "1.7976931348623157e+308", "1e-05"). NaN and infinities become
/// null, as in JSON.stringify: JSON has neither.
inline void append_double(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += "null";
        return;
    }
    if (std::signbit(x)) out += '-';
    if (x == 0) {
        out += "0.0";
        return;
    }
    char d[24];
    int n = 0;  // |x| = 0.d[0]d[1]...d[k-1] * 10^n: the decimal point sits after n digits
    const int k = number_detail::shortest_digits(std::fabs(x), d, n);
    const auto digits = [&](int from, int to) { out.append(d + from, static_cast<std::size_t>(to - from)); };
    constexpr int max_point = 15;  // std::numeric_limits<double>::digits10
    constexpr int min_point = -4;
    if (k <= n && n <= max_point) {  // 12300.0
        digits(0, k);
        out.append(static_cast<std::size_t>(n - k), '0');
        out += ".0";
    } else if (0 < n && n <= max_point) {  // 12.3
        digits(0, n);
        out += '.';
        digits(n, k);
    } else if (min_point < n && n <= 0) {  // 0.00123
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        digits(0, k);
    } else {  // 1.23e+20, 1e-05
        digits(0, 1);
        if (k > 1) {
            out += '.';
            digits(1, k);
        }
        int e = n - 1;
        out += e < 0 ? "e-" : "e+";
        if (e < 0) e = -e;
        if (e < 10) out += '0';
        char buf[8];
        const auto r = std::to_chars(buf, buf + sizeof buf, e);
        out.append(buf, static_cast<std::size_t>(r.ptr - buf));
    }
}

/// Appends `s` as a JSON string, as every backend writes it: '"' and '\\' escaped, \b \t \n
/// \f \r, other control characters as \u00xx, every other byte as it is, except bytes that are
/// not UTF-8 (a Latin-1 name, a cut character): each maximal ill-formed sequence becomes one
/// U+FFFD (Unicode's Table 3-7 and "substitution of maximal subparts", as nlohmann/json's
/// error_handler_t::replace does), so the text is always JSON that a parser takes.
inline void append_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet written
    const auto flush = [&](std::size_t to) { out.append(s.data() + run, to - run); };
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    for (std::size_t i = 0; i < s.size();) {
        const unsigned c = byte(i);
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                ++i;
                continue;
            }
            flush(i);
            run = ++i;
            out += '\\';
            switch (c) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '\b': out += 'b'; break;
            case '\t': out += 't'; break;
            case '\n': out += 'n'; break;
            case '\f': out += 'f'; break;
            case '\r': out += 'r'; break;
            default:
                out += "u00";
                out += "0123456789abcdef"[c >> 4];
                out += "0123456789abcdef"[c & 0xF];
            }
            continue;
        }
        // The length of the sequence `c` starts and the range of its second byte (Table 3-7).
        const std::size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
        const unsigned lo = c == 0xE0 ? 0xA0u : c == 0xF0 ? 0x90u : 0x80u;
        const unsigned hi = c == 0xED ? 0x9Fu : c == 0xF4 ? 0x8Fu : 0xBFu;
        std::size_t k = n == 0 ? 0 : 1;  // bytes of the sequence that are well-formed so far
        while (k > 0 && k < n && i + k < s.size() && byte(i + k) >= (k == 1 ? lo : 0x80u) &&
               byte(i + k) <= (k == 1 ? hi : 0xBFu))
            ++k;
        if (n != 0 && k == n) {
            i += n;
            continue;
        }
        flush(i);
        out += "\xEF\xBF\xBD";  // U+FFFD for the ill-formed prefix (at least the byte at i)
        i += k == 0 ? 1 : k;
        run = i;
    }
    flush(s.size());
    out += '"';
}

namespace backend_detail {
struct parse_probe {
    template <class R>
    bool operator()(const R&) const noexcept {
        return true;
    }
};
template <class J, class = void>
struct has_parse_temporary : std::false_type {};
template <class J>
struct has_parse_temporary<J,
                           std::void_t<decltype(J::parse_temporary(std::string_view(), std::size_t(), parse_probe()))>>
    : std::true_type {};

template <class J, class = void>
struct is_defined : std::false_type {};
template <class J>
struct is_defined<J, std::void_t<decltype(sizeof(J))>> : std::true_type {};
}  // namespace backend_detail

/// Stops compilation with one message naming what to include when J is declared but not defined:
/// <gcx/fwd.hpp> declares gcx::json::boost_json and gcx::json::nlohmann, so a program that names
/// one without its header (or, with the single header, without its GCX_WITH_* macro) would
/// otherwise get "invalid use of incomplete type" at every use. True otherwise. json::value_of
/// checks with it; so can any template over a backend: `static_assert(json::check_backend<J>());`
template <class J>
constexpr bool check_backend() {
    constexpr bool defined = backend_detail::is_defined<J>::value;
    static_assert(defined || !std::is_same_v<J, nlohmann>,
                  "gcx: gcx::json::nlohmann is declared but not defined: with the single header, "
                  "#define GCX_WITH_NLOHMANN before #include <gcx/gcx.hpp> (CMake: link gcx::nlohmann); "
                  "otherwise #include <gcx/json/nlohmann.hpp>");
    static_assert(defined || !std::is_same_v<J, boost_json>,
                  "gcx: gcx::json::boost_json is declared but not defined: with the single header, "
                  "#define GCX_WITH_BOOST_JSON before #include <gcx/gcx.hpp> (CMake: link gcx::boost_json); "
                  "otherwise #include <gcx/json/boost_json.hpp>");
    static_assert(defined || std::is_same_v<J, nlohmann> || std::is_same_v<J, boost_json>,
                  "gcx: the JSON backend type is declared but not defined: include the header that defines it");
    return true;  // false would add a second error to the one above
}

namespace backend_detail {
struct undefined_backend_value {};
template <class J, bool Defined = is_defined<J>::value>
struct checked_value {
    using type = typename J::value;
};
template <class J>
struct checked_value<J, false> {
    static_assert(check_backend<J>());
    using type = undefined_backend_value;  // keeps the one static_assert the only error
};
}  // namespace backend_detail

/// `typename J::value`, checked: when J is declared but not defined, compilation stops with
/// check_backend's one message instead of "invalid use of incomplete type" at every use
/// (basic_client declares its value_type with it).
template <class J>
using value_of = typename backend_detail::checked_value<J>::type;

/// Parses `text` (as J::parse: malformed or deeper than max_depth -> errc::protocol) and returns
/// f(const result<J::value>&). The value must not outlive the call: that lets a backend with
/// J::parse_temporary parse into scratch memory (the reflection walker reads objects that flows
/// encode in JSON strings this way).
template <class J, class F>
decltype(auto) parse_temporary(std::string_view text, std::size_t max_depth, F&& f) {
    if constexpr (backend_detail::has_parse_temporary<J>::value) {
        return J::parse_temporary(text, max_depth, std::forward<F>(f));
    } else {
        const result<typename J::value> parsed = J::parse(text, max_depth);
        return std::forward<F>(f)(parsed);
    }
}

}  // namespace json
GCX_NAMESPACE_END

#endif

// ======== <gcx/raw_json.hpp> ====================================================================
#ifndef GCX_RAW_JSON_HPP
#define GCX_RAW_JSON_HPP

// gcx::raw_json: "keep this JSON as it is". A member of this type takes any JSON value (object,
// array, scalar, null) and stores its serialized text, so a model can carry an open-ended value
// (customFields, a flow output whose shape the flow author owns) without being a template over
// the JSON backend. Parse it later with the backend of your choice:
//
//     struct customer_lookup { std::optional<gcx::raw_json> CustomerProfile; ... };
//     auto v = lookup.CustomerProfile->parse<gcx::json::boost_json>();      // result<boost::json::value>
//     auto p = gcx::from_json_text<J, profile>(lookup.CustomerProfile->text); // straight into a struct
//
// When writing (to_json / write_inputs), the text is parsed and inserted as a JSON value.

#include <cstddef>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

/// Serialized JSON text of one value. An aggregate: `gcx::raw_json{R"({"a":1})"}`.
/// The default value is the JSON `null`.
struct raw_json {
    std::string text = "null";

    /// The value, parsed with backend J. Malformed text or nesting deeper than `max_depth`
    /// gives errc::protocol (never a throw).
    template <class J>
    result<typename J::value> parse(std::size_t max_depth = json::default_max_depth) const {
        return J::parse(text, max_depth);
    }

    /// The raw form of a backend value.
    template <class J>
    static raw_json from(const typename J::value& v) {
        return raw_json{J::serialize(v)};
    }

    // Comparison is textual. Values read by one backend serialize canonically (compact, same member
    // order), so two raw_json read from equal documents by the same backend compare equal. Texts
    // written by hand, or by different backends (nlohmann::json sorts object keys, Boost.JSON keeps
    // document order), may differ for equal values: compare parsed values in that case.
    friend bool operator==(const raw_json& a, const raw_json& b) noexcept { return a.text == b.text; }
    friend bool operator!=(const raw_json& a, const raw_json& b) noexcept { return a.text != b.text; }
    friend bool operator<(const raw_json& a, const raw_json& b) noexcept { return a.text < b.text; }
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/traits.hpp> ==============================================================
#ifndef GCX_REFLECT_TRAITS_HPP
#define GCX_REFLECT_TRAITS_HPP

// Compile-time half of the reflection walker: the options, the rename hook, which C++ types map
// to JSON and how, and the one readable static_assert for those that do not.

// The macros users describe their types with (BOOST_DESCRIBE_STRUCT, _CLASS, _ENUM) come with
// gcx: a program that includes <gcx/gcx.hpp> (or the single header) needs no Boost.Describe
// include of its own.
#include <boost/describe/bases.hpp>
#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

/// How JSON is mapped into C++ (read_outputs, from_json, from_json_text).
struct map_options {
    /// Reject object keys that match no member (at every level). Off: unknown keys are ignored,
    /// so a flow (or the API) may grow new outputs without breaking old clients.
    bool strict = false;
    /// read_outputs: member `X` binds the key prefix + "X" first, then the bare "X".
    std::string_view prefix = "Flow.";
    /// First component of the JSON path in error messages: `outputData["Flow.X"].address.city`.
    std::string_view root = "outputData";
    /// Nesting limit, for the walk and for objects encoded in JSON strings.
    std::size_t max_depth = json::default_max_depth;
};

// ---- the rename hook -------------------------------------------------------------------------
//
// A member's JSON name is its C++ name. For names that are not C++ identifiers (a keyword such as
// `namespace`, an Architect variable `Customer-Tier`, ...) declare, in the namespace of your type
// (or as a hidden friend), a function found by argument-dependent lookup:
//
//     std::string_view gcx_json_name(const my_struct*, std::string_view member);
//
// It receives the C++ member name and returns the JSON name (return `member` itself for the
// others). The returned view must outlive the call: return string literals or `member`.
// It is only ever called with a null pointer; the pointer only selects the type. The same hook on
// a described enum renames its enumerators. At the top level of read_outputs / write_inputs the
// prefix is added to the renamed name, unless the renamed name already starts with the prefix.

namespace reflect_detail {

template <class T, class = void>
struct has_json_name_hook : std::false_type {};
template <class T>
struct has_json_name_hook<
    T, std::void_t<decltype(std::string_view(gcx_json_name(static_cast<const T*>(nullptr), std::string_view())))>>
    : std::true_type {};

/// The JSON name of member (or enumerator) `cpp_name` of T.
template <class T>
std::string_view json_name(std::string_view cpp_name) {
    if constexpr (has_json_name_hook<T>::value) {
        using R = decltype(gcx_json_name(static_cast<const T*>(nullptr), cpp_name));
        constexpr bool a_view = std::is_same_v<std::remove_cv_t<R>, std::string_view> ||
                                std::is_pointer_v<std::decay_t<R>> || std::is_lvalue_reference_v<R>;
        static_assert(a_view,
                      "gcx: gcx_json_name must return a std::string_view (or a const char*) of storage that outlives "
                      "the call, such as a string literal or its `member` argument: a returned std::string would be "
                      "destroyed before gcx reads the name");
        if constexpr (a_view) return std::string_view(gcx_json_name(static_cast<const T*>(nullptr), cpp_name));
        else return cpp_name;  // refused above: no second diagnostic for the dangling view
    } else {
        return cpp_name;
    }
}

/// The class a member pointer's member is declared in (a base, for an inherited member).
template <class P>
struct declaring_class;
template <class M, class C>
struct declaring_class<M C::*> {
    using type = C;
};

/// The JSON name of T's member D (a Boost.Describe descriptor). An inherited member is named by
/// the hook its declaring class sees (its own, or its nearest base's) when that hook renames it,
/// else by T's: a base's hook keeps naming the base's members whatever hook a derived class adds,
/// and a derived class's hook may name members of a base whose hooks leave them alone.
template <class T, class D>
std::string_view member_json_name() {
    using C = typename declaring_class<std::remove_cv_t<decltype(D::pointer)>>::type;
    if constexpr (!std::is_same_v<C, T> && has_json_name_hook<C>::value) {
        const std::string_view own = json_name<C>(D::name);
        if (own != std::string_view(D::name)) return own;
    }
    return json_name<T>(D::name);
}

/// Whether T has described bases: only then may a member be named by another class's hook (the
/// callers keep to json_name<T> otherwise, without a function per member).
template <class T>
inline constexpr bool has_described_bases =
    boost::mp11::mp_size<boost::describe::describe_bases<T, boost::describe::mod_any_access>>::value != 0;

// ---- type classification ---------------------------------------------------------------------

template <class T>
struct type_identity {
    using type = T;
};
template <class>
inline constexpr bool always_false = false;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class V, class C, class A>
struct is_string_map<std::map<std::string, V, C, A>> : std::true_type {};
template <class V, class H, class E, class A>
struct is_string_map<std::unordered_map<std::string, V, H, E, A>> : std::true_type {};

// Character types are integral, but a JSON number in a `char` is almost certainly a mistake.
// signed char / unsigned char stay integers: they are std::int8_t / std::uint8_t.
template <class T>
inline constexpr bool is_character_v = std::is_same_v<T, char> || std::is_same_v<T, wchar_t> ||
#if defined(__cpp_char8_t)
                                       std::is_same_v<T, char8_t> ||
#endif
                                       std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;

/// The described members a struct maps: all accesses, inherited ones included, no statics.
template <class T>
using described_members =
    boost::describe::describe_members<T, boost::describe::mod_any_access | boost::describe::mod_inherited>;

template <class T>
inline constexpr bool is_described_struct_v =
    std::is_class_v<T> && !std::is_union_v<T> && boost::describe::has_describe_members<T>::value;

template <class T>
inline constexpr bool is_described_enum_v = std::is_enum_v<T>&& boost::describe::has_describe_enumerators<T>::value;

enum class shape {
    backend_value,  ///< J::value: kept as is
    raw,            ///< gcx::raw_json: kept as serialized text
    optional,       ///< std::optional<T>
    boolean,
    integer,      ///< every integer type but bool and the character types, range-checked
    floating,     ///< float, double
    string,       ///< std::string
    enumeration,  ///< described enum <-> enumerator name
    array,        ///< std::vector<T>
    map,          ///< std::map / std::unordered_map with std::string keys
    object,       ///< described struct
    unsupported,
};

template <class J, class T>
constexpr shape shape_of() noexcept {
    if constexpr (std::is_same_v<T, typename J::value>) return shape::backend_value;
    else if constexpr (std::is_same_v<T, raw_json>) return shape::raw;
    else if constexpr (is_optional<T>::value) return shape::optional;
    else if constexpr (std::is_same_v<T, bool>) return shape::boolean;
    else if constexpr (std::is_integral_v<T> && !std::is_const_v<T> && !is_character_v<T> && sizeof(T) <= 8)
        return shape::integer;  // not __int128 (integral in GNU modes): JSON integers are read as 64 bits
    else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return shape::floating;
    else if constexpr (std::is_same_v<T, std::string>) return shape::string;
    else if constexpr (is_described_enum_v<T> && !std::is_const_v<T>) return shape::enumeration;
    else if constexpr (is_vector<T>::value) return shape::array;
    else if constexpr (is_string_map<T>::value) return shape::map;
    else if constexpr (is_described_struct_v<T> && !std::is_const_v<T> && std::is_default_constructible_v<T>)
        return shape::object;
    else return shape::unsupported;
}

// ---- the mappability check ------------------------------------------------------------------
//
// unmappable<J, T, Seen>::type walks T's type graph (members, element types, ...) and is the first
// type the walker cannot handle, or void. `Seen` holds the described structs being visited, so a
// recursive model (error_body holds std::vector<error_body>) terminates. Class templates and one
// pack expansion per struct: a member list is not peeled one member at a time (that instantiated
// a function per member with the rest of the list in its name).

template <class T>
struct member_type_of {
    template <class D>
    using fn = std::remove_reference_t<decltype(std::declval<T&>().*D::pointer)>;
};

template <class J, class T, class Seen, shape S = shape_of<J, T>()>
struct unmappable {
    using type = void;  // scalars, strings, enums, raw_json, J::value
};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::unsupported> {
    using type = T;
};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::optional> : unmappable<J, typename T::value_type, Seen> {};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::array> : unmappable<J, typename T::value_type, Seen> {};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::map> : unmappable<J, typename T::mapped_type, Seen> {};

/// The first of the member types Ms... (of a struct already in Seen) that cannot be mapped.
template <class J, class Seen, class... Ms>
struct first_unmappable_member {
    using bad = boost::mp11::mp_remove<boost::mp11::mp_list<typename unmappable<J, Ms, Seen>::type...>, void>;
    using type = boost::mp11::mp_eval_if<boost::mp11::mp_empty<bad>, void, boost::mp11::mp_front, bad>;
};

template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::object> {
    template <class... Ms>
    using of_members = first_unmappable_member<J, boost::mp11::mp_push_back<Seen, T>, Ms...>;
    using member_types = boost::mp11::mp_transform_q<member_type_of<T>, described_members<T>>;
    using type = typename std::conditional_t<boost::mp11::mp_contains<Seen, T>::value, type_identity<void>,
                                             boost::mp11::mp_apply<of_members, member_types>>::type;
};

/// The first type in T's graph that the walker cannot map, or void.
template <class J, class T>
using first_unmappable_t = typename unmappable<J, T, boost::mp11::mp_list<>>::type;

/// Instantiated only for a type the walker cannot map: the compiler prints this class's
/// template argument (the offending type) next to the message.
template <class Unsupported>
struct cannot_map {
    static_assert(always_false<Unsupported>,
                  "gcx: cannot map this type; supported: bool, integers, float, double, std::string, "
                  "described enums, described structs (default-constructible, non-const members), "
                  "std::optional<T>, std::vector<T>, std::map/std::unordered_map<std::string, T>, "
                  "gcx::raw_json and the JSON backend's own value type; "
                  "describe your struct with BOOST_DESCRIBE_STRUCT (and enums with BOOST_DESCRIBE_ENUM)");
};

/// True when T maps with backend J; otherwise ONE static_assert names the offending type.
/// Callers guard the walker with `if constexpr (check_mappable<J, T>())` so a failed check is not
/// followed by pages of errors from the walker's own instantiation.
template <class J, class T>
constexpr bool check_mappable() {
    using bad = first_unmappable_t<J, T>;
    if constexpr (std::is_void_v<bad>) {
        return true;
    } else {
        // Naming the type cannot_map<bad>{} instantiates it, which fires its static_assert. The
        // result does not depend on the failed class (reading a member of it would make clang
        // report a second error and then instantiate the walker anyway).
        using report = decltype(cannot_map<bad>{});
        return std::is_void_v<report>;
    }
}

/// read_outputs / write_inputs bind struct members to flow variables: T must be a described struct.
template <class J, class T>
constexpr bool check_flow_variables() {
    if constexpr (!check_mappable<J, T>()) {
        return false;
    } else {
        static_assert(shape_of<J, T>() == shape::object,
                      "gcx: read_outputs/write_inputs need a described struct whose members name the flow "
                      "variables; describe it with BOOST_DESCRIBE_STRUCT (use from_json/to_json for other types)");
        return shape_of<J, T>() == shape::object;
    }
}

}  // namespace reflect_detail

/// True when T can be mapped to and from JSON with backend J (checked without a diagnostic).
template <class J, class T>
inline constexpr bool is_mappable_v = std::is_void_v<reflect_detail::first_unmappable_t<J, T>>;

GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/path.hpp> ================================================================
#ifndef GCX_REFLECT_PATH_HPP
#define GCX_REFLECT_PATH_HPP

// Where the walker is, and the mapping errors that say so:
//     outputData["Flow.CustomerProfile"].address.city      outputData["Flow.Contacts"][3].id
// The path is a stack of views pushed and popped around each step, rendered only when an error
// is reported (fail fast: the first error ends the walk, while every view is still alive).

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

struct path_segment {
    enum kind_t { member, variable, index } kind;
    std::string_view key;  ///< member / variable: the JSON key
    std::size_t pos;       ///< index: the array index
};

inline bool is_identifier(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

/// `"key"` with JSON-style escapes; very long keys are clipped (a hostile document chooses them).
inline void append_quoted(std::string& out, std::string_view key) {
    std::size_t clip = 120;  // cut before a UTF-8 continuation byte, not inside a character
    while (clip < key.size() && clip > 0 && (static_cast<unsigned char>(key[clip]) & 0xC0) == 0x80) --clip;
    out += '"';
    for (std::size_t i = 0; i < key.size() && i < clip; ++i) {
        const char c = key[i];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    if (key.size() > clip) out += "...";
    out += '"';
}

/// One segment of the current path, kept in the path_scope that pushed it (on the stack): the
/// walk never allocates for its path; the segments are rendered only when an error is.
struct path_node {
    path_segment seg;
    const path_node* up;  ///< the enclosing segment, nullptr at the root
};

inline void append_segment(std::string& out, const path_segment& s) {
    switch (s.kind) {
    case path_segment::index:
        out += '[';
        out += std::to_string(s.pos);
        out += ']';
        return;
    case path_segment::member:
        if (is_identifier(s.key)) {
            if (!out.empty()) out += '.';
            out += s.key;
            return;
        }
        [[fallthrough]];
    case path_segment::variable:  // flow variables always in brackets: they contain dots
        out += '[';
        append_quoted(out, s.key);
        out += ']';
        return;
    }
}

/// `root` and the segments from the outermost to `innermost`. The chain runs inwards-out, so it is
/// walked once per segment rendered (paths are short, and this runs only for an error) rather than
/// copied into a container.
inline std::string render_path(std::string_view root, const path_node* innermost) {
    std::string out(root);
    const path_node* done = nullptr;  // the segments from here inwards are already rendered
    while (done != innermost) {
        const path_node* n = innermost;
        while (n->up != done) n = n->up;  // the outermost segment not rendered yet
        append_segment(out, n->seg);
        done = n;
    }
    return out;
}

/// The walker's state: options, current path and depth, and the first error.
class walk_state {
public:
    explicit walk_state(const map_options& options) : opt(options) {}

    const map_options& opt;
    const path_node* path = nullptr;  ///< innermost segment (see path_scope)
    std::size_t depth = 0;            ///< containers entered so far
    std::optional<gcx::error> err;    ///< set by fail(); built only then (a walk that succeeds never does)
    /// Builds the hint attached to every error (read_outputs explains flow outputs); called
    /// only when an error is recorded, so a successful walk never builds it.
    std::string (*make_hint)(std::string_view prefix) = nullptr;

    /// Records a mapping error at the current path; returns false for `return st.fail(...)`.
    bool fail(std::string message) {
        err = make_error(errc::mapping, std::move(message), make_hint ? make_hint(opt.prefix) : std::string());
        err->path = render_path(opt.root, path);
        return false;
    }

    /// The recorded error, for the result of a failed walk.
    gcx::error take_error() { return err ? std::move(*err) : gcx::error(); }

    /// "expected <what>, got <kind>". Values are never quoted back: they may be personal data.
    bool mismatch(std::string_view expected, json::kind got) {
        std::string m = "expected ";
        m += expected;
        m += ", got ";
        m += json::to_string(got);
        return fail(std::move(m));
    }
};

/// Pushes one path segment for the lifetime of the scope.
class path_scope {
public:
    path_scope(walk_state& st, path_segment seg) : st_(st), node_{seg, st.path} { st_.path = &node_; }
    ~path_scope() { st_.path = node_.up; }
    path_scope(const path_scope&) = delete;
    path_scope& operator=(const path_scope&) = delete;

private:
    walk_state& st_;
    path_node node_;
};

/// Counts one level of nesting for the lifetime of the scope; `ok()` is false past max_depth.
class depth_scope {
public:
    explicit depth_scope(walk_state& st) : st_(st) { ++st_.depth; }
    ~depth_scope() { --st_.depth; }
    depth_scope(const depth_scope&) = delete;
    depth_scope& operator=(const depth_scope&) = delete;

    bool ok() const noexcept { return st_.depth <= st_.opt.max_depth; }
    bool fail() {
        return st_.fail("nesting deeper than the limit of " + std::to_string(st_.opt.max_depth) +
                        " levels (map_options::max_depth)");
    }

private:
    walk_state& st_;
};

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/read_containers.hpp> =====================================================
#ifndef GCX_REFLECT_READ_CONTAINERS_HPP
#define GCX_REFLECT_READ_CONTAINERS_HPP

// The walker's readers for JSON containers: std::vector (arrays), std::map / std::unordered_map
// with string keys (objects), and with_container, which also accepts an object or array that a
// flow encoded in a JSON string. Rules in reflect.hpp.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
bool read_value(walk_state& st, const typename J::value& v, T& out);

/// What with_container calls with the container: f(st, container, ctx).
template <class J>
using container_fn = bool (*)(walk_state&, const typename J::value&, void* ctx);

/// Calls f(st, container, ctx), one nesting level deeper (past map_options::max_depth: an error),
/// with `v` when it has kind `want` (object or array), or with the value a JSON string holds:
/// Architect flows often output objects as JSON-encoded strings. The string is parsed with the
/// same backend, limited to the nesting depth left. Not a template on the caller: it is compiled
/// once per backend, not once per struct or element type.
template <class J>
bool with_container(walk_state& st, const typename J::value& v, json::kind want, container_fn<J> f, void* ctx) {
    auto enter = [&](const typename J::value& container) {
        depth_scope depth(st);
        return depth.ok() ? f(st, container, ctx) : depth.fail();
    };
    const json::kind k = J::kind_of(v);
    if (k == want) return enter(v);
    const char* expected = json::to_string(want);
    if (k != json::kind::string) return st.mismatch(expected, k);

    const std::size_t left = st.opt.max_depth > st.depth ? st.opt.max_depth - st.depth : 0;
    if (left == 0) return depth_scope(st).fail();
    // The parsed value is needed only while it is mapped: a backend may keep it in scratch memory.
    return json::parse_temporary<J>(J::get_string(v), left, [&](const result<typename J::value>& parsed) -> bool {
        if (!parsed)
            return st.fail(std::string("expected ") + expected + ", got a string that does not hold usable JSON (" +
                           parsed.error().message + ")");
        const json::kind inner = J::kind_of(*parsed);
        if (inner != want)
            return st.fail(std::string("expected ") + expected + ", got a string holding JSON " +
                           json::to_string(inner));
        return enter(*parsed);
    });
}

template <class J, class V>
bool read_array_elements(walk_state& st, const typename J::value& array, void* ctx) {
    V& out = *static_cast<V*>(ctx);
    out.clear();
    // Not J::size(array): a hostile array of a million one-byte numbers would reserve a million
    // elements, each perhaps kilobytes, before the first is refused. The vector grows as it reads.
    out.reserve(std::min<std::size_t>(J::size(array), 16));
    std::size_t i = 0;
    return J::for_each_element(array, [&](const typename J::value& element) {
        path_scope at(st, {path_segment::index, {}, i++});
        if constexpr (std::is_same_v<typename V::value_type, bool>) {  // vector<bool> has no bool&
            bool item = false;
            if (!read_value<J>(st, element, item)) return false;
            out.push_back(item);
            return true;
        } else {
            // Read in place, not moved in (a struct of 23 optionals is not cheap to move);
            // a failed element is removed, so `out` ends as it did.
            if (read_value<J>(st, element, out.emplace_back())) return true;
            out.pop_back();
            return false;
        }
    });
}

template <class J, class M>
bool read_map_members(walk_state& st, const typename J::value& object, void* ctx) {
    M& out = *static_cast<M*>(ctx);
    out.clear();
    // The error reported is the one of the smallest key whose entry fails, whatever order the
    // backend keeps keys in (document order, or sorted): the same input, the same error path.
    bool failed = false;
    std::string_view failed_key;
    J::for_each_member(object, [&](std::string_view key, const typename J::value& member) {
        if (failed && key >= failed_key) return true;
        path_scope at(st, {path_segment::member, key, 0});
        typename M::mapped_type item{};
        if (!read_value<J>(st, member, item)) {
            failed = true;
            failed_key = key;
        } else if (!failed) {
            out.insert_or_assign(std::string(key), std::move(item));
        }
        return true;
    });
    return !failed;
}

template <class J, class V>
bool read_array(walk_state& st, const typename J::value& v, V& out) {
    return with_container<J>(st, v, json::kind::array, &read_array_elements<J, V>, &out);
}

template <class J, class M>
bool read_map(walk_state& st, const typename J::value& v, M& out) {
    return with_container<J>(st, v, json::kind::object, &read_map_members<J, M>, &out);
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/names.hpp> ===============================================================
#ifndef GCX_REFLECT_NAMES_HPP
#define GCX_REFLECT_NAMES_HPP

// Which members of a described struct a JSON key names, in about one probe of a small hash table.
// read_members walks an object's keys once and looks each up here: searching the object once per
// member instead (23 members of an ExternalContact, each a scan comparing keys) was most of the
// mapping's cost.

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

namespace names_detail {
inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline std::uint32_t load4(const char* p) noexcept {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
}  // namespace names_detail

/// a == b, inline and in at most two (overlapping) loads per side for up to 16 bytes: JSON keys
/// are short, and a call to memcmp per key was a tenth of the mapping's time.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    using names_detail::load4;
    using names_detail::load8;
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n >= 8) {
        if (n > 16) return std::memcmp(x, y, n) == 0;
        return load8(x) == load8(y) && load8(x + n - 8) == load8(y + n - 8);
    }
    if (n >= 4) return load4(x) == load4(y) && load4(x + n - 4) == load4(y + n - 4);
    for (std::size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return false;
    return true;
}

inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.size() >= prefix.size() && same_text(s.substr(0, prefix.size()), prefix);
}

/// A struct's member-name table: the JSON names (json_name: after the rename hook) of its described
/// members, in declaration order, with an open-addressing hash table over them. It only views
/// storage that member_names<T> owns, and is not a template, so the walker that reads through it
/// is compiled once per JSON backend rather than once per struct. It holds names only, never
/// anything of a document: they never change (describe's string literals, or views the rename
/// hook returns, which must outlive the call; see traits.hpp).
class name_index {
public:
    /// Builds the table over names[0, count) in slots[0, table_size) (a power of two, at least
    /// four times count) and next[0, count).
    name_index(const std::string_view* names, std::uint16_t* next, std::uint16_t* slots, std::size_t count,
               std::size_t table_size) noexcept
        : names_(names), next_(next), slots_(slots), count_(count), mask_(table_size - 1) {
        // Try a few multipliers (odd, from the golden ratio) and keep the first without collisions,
        // else the one needing the fewest extra probes.
        std::uint64_t best_seed = 0;
        std::size_t best_cost = static_cast<std::size_t>(-1);
        for (std::uint64_t k = 0; k < 16 && best_cost != 0; ++k) {
            const std::uint64_t seed = (0x9e3779b97f4a7c15ull + k * 0x2545f4914f6cdd1dull) | 1;
            const std::size_t cost = build(seed);
            if (cost < best_cost) {
                best_cost = cost;
                best_seed = seed;
            }
        }
        build(best_seed);
    }
    name_index(const name_index&) = delete;
    name_index& operator=(const name_index&) = delete;

    std::size_t size() const noexcept { return count_; }
    std::string_view name(std::size_t i) const noexcept { return names_[i]; }

    /// Calls f(i) for every member i named `key`, in declaration order (more than one only when the
    /// rename hook gives two members one name); returns whether there was one.
    template <class F>
    bool for_each_named(std::string_view key, F&& f) const {
        for (std::size_t s = slot_of(key, seed_);; s = (s + 1) & mask_) {
            const std::size_t entry = slots_[s];
            if (entry == 0) return false;
            if (!same_text(names_[entry - 1], key)) continue;
            for (std::size_t i = entry - 1; i != count_; i = next_[i]) f(i);
            return true;
        }
    }

    /// The table size for `count` names: at most a quarter full, so a probe almost always ends at
    /// the first or second slot.
    static constexpr std::size_t table_size_for(std::size_t count) noexcept {
        std::size_t n = 4;
        while (n < 4 * count) n *= 2;
        return n;
    }

private:
    /// Hashes the length and four sampled bytes, not the whole key: member names are short and
    /// differ early, late or in length, and a collision costs only a further probe. The seed is
    /// chosen per struct when the table is built (the one with the fewest collisions).
    std::size_t slot_of(std::string_view key, std::uint64_t seed) const noexcept {
        const std::size_t n = key.size();
        std::uint64_t h = n;
        if (n != 0) {
            auto byte = [&key](std::size_t i) {
                return static_cast<std::uint64_t>(static_cast<unsigned char>(key[i]));
            };
            h ^= byte(0) << 16 | byte(n > 1 ? 1 : 0) << 24 | byte(n / 2) << 32 | byte(n - 1) << 40;
        }
        h *= seed;
        return static_cast<std::size_t>(h >> 40) & mask_;
    }

    /// Fills the table for `seed`; returns the number of probes past the first slot it takes to
    /// find every name.
    std::size_t build(std::uint64_t seed) noexcept {
        seed_ = seed;
        for (std::size_t s = 0; s <= mask_; ++s) slots_[s] = 0;
        std::size_t cost = 0;
        for (std::size_t i = 0; i < count_; ++i) {
            next_[i] = static_cast<std::uint16_t>(count_);
            std::size_t s = slot_of(names_[i], seed);
            for (; slots_[s] != 0; s = (s + 1) & mask_, ++cost) {
                std::size_t first = slots_[s] - 1u;
                if (!same_text(names_[first], names_[i])) continue;
                while (next_[first] != count_) first = next_[first];  // a name given twice: chain it
                next_[first] = static_cast<std::uint16_t>(i);
                break;
            }
            if (slots_[s] == 0) slots_[s] = static_cast<std::uint16_t>(i + 1);
        }
        return cost;
    }

    const std::string_view* names_;
    std::uint16_t* next_;   ///< the next member with the same name, or count
    std::uint16_t* slots_;  ///< first member with a name, + 1; 0: empty
    std::size_t count_;
    std::size_t mask_;
    std::uint64_t seed_ = 0;
};

/// The JSON names of the members D... of T, in declaration order (one pack expansion: no function
/// is instantiated per member).
template <class T, template <class...> class L, class... D>
std::array<std::string_view, sizeof...(D)> json_names(L<D...>) {
    if constexpr (has_described_bases<T>) return {{member_json_name<T, D>()...}};
    else return {{json_name<T>(D::name)...}};
}

/// T's name_index and its storage, built once per T on first use (a function-local static:
/// thread-safe), without allocating.
template <class T>
class member_names {
public:
    static constexpr std::size_t count = boost::mp11::mp_size<described_members<T>>::value;
    static_assert(count < 0xffff, "gcx: a described struct with more than 65534 members");

    static const name_index& get() noexcept {
        static const member_names table;
        return table.index_;
    }

private:
    static constexpr std::size_t table_size = name_index::table_size_for(count);

    member_names() noexcept
        : names_(json_names<T>(described_members<T>{})),
          index_(names_.data(), next_.data(), slots_.data(), count, table_size) {}

    std::array<std::string_view, count> names_;
    std::array<std::uint16_t, count> next_{};
    std::array<std::uint16_t, table_size> slots_{};
    name_index index_;  // last: built over the arrays above
};

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/read_members.hpp> ========================================================
#ifndef GCX_REFLECT_READ_MEMBERS_HPP
#define GCX_REFLECT_READ_MEMBERS_HPP

// The member walker: a JSON object into a described struct. The walk itself (binding keys to
// members, the order of reads, the errors for missing members) is not a template on the struct:
// each struct contributes only a table (its member names, one reader per member type, its members'
// addresses), so the walk is compiled once per JSON backend, and each distinct member type's
// reader once, however many structs use it. Rules in reflect.hpp.

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

/// Reads one member through a type-erased pointer: `v` is the value it binds, or nullptr when the
/// object has no key for it. Absent: an optional is reset (true); any other member is missing (false,
/// nothing recorded: the walker reports it).
template <class J>
using member_reader = bool (*)(walk_state&, const typename J::value* v, void* member);

template <class J, class M>
bool read_member(walk_state& st, const typename J::value* v, void* member) {
    M& m = *static_cast<M*>(member);
    if (v) return read_value<J>(st, *v, m);
    if constexpr (is_optional<M>::value) {
        m.reset();  // an absent optional member (the common case in API models) never touches the path
        return true;
    } else {
        return false;
    }
}

/// One struct being read: its names, a reader and the address of each member, and the walker's
/// scratch space (on the caller's stack frame).
template <class J>
struct members_view {
    struct binding {
        const typename J::value* v;
        const char* key;
        std::size_t key_size;
    };
    const name_index& names;
    const member_reader<J>* read;
    void* const* member;
    bool* seen;      ///< cleared by the caller; bound[i] is valid where seen[i]
    binding* bound;  ///< the value member i binds, and a view of the object's own key for the path
};

inline bool fail_missing(walk_state& st, std::string_view name, bool top, bool prefixed, path_segment::kind_t segment) {
    if (!top) {
        path_scope at(st, {segment, name, 0});
        return st.fail("missing required member \"" + std::string(name) +
                       "\"; make the member std::optional if it may be absent");
    }
    std::string key;
    if (prefixed && !starts_with(name, st.opt.prefix)) key.assign(st.opt.prefix.data(), st.opt.prefix.size());
    key.append(name.data(), name.size());
    path_scope at(st, {segment, key, 0});
    std::string m = "missing required output variable \"" + key + "\"";
    if (key != name) m += " (nor \"" + std::string(name) + "\")";
    return st.fail(m + "; make the member std::optional if the flow may leave it out");
}

/// Reads a struct's members from `object` (with_container has counted its nesting level). One pass over the object's keys finds, through the
/// struct's name table, the value each member binds; a second pass over the members, in declaration
/// order, reads them (so the first error reported is the same whatever the keys' order) and
/// handles the absent ones.
template <class J>
bool read_members(walk_state& st, const typename J::value& object, const members_view<J>& m, bool top) {
    using value = typename J::value;
    const name_index& table = m.names;
    const std::string_view prefix = top ? st.opt.prefix : std::string_view();
    // At the top level "Flow.X" binds member X, unless X itself starts with the prefix: a name
    // that does binds only its exact key.
    const bool prefixed = top && !prefix.empty();
    const path_segment::kind_t segment = top ? path_segment::variable : path_segment::member;

    // Pass 1. The key a member binds is the first one found in its best form: "Flow.X" wins over
    // "X" (as J::find would find them, one member at a time). A key is known (strict mode) when it
    // names a member in either form, even one it does not bind ("Flow.Flow.X").
    auto bind = [&](std::size_t i, const value& v, std::string_view key) {
        m.seen[i] = true;
        m.bound[i] = {&v, key.data(), key.size()};
    };
    // Strict mode: the unknown key reported is the smallest, whatever order the backend keeps.
    bool unknown = false;
    std::string_view unknown_key;
    J::for_each_member(object, [&](std::string_view key, const value& v) {
        bool known = false;
        if (prefixed && starts_with(key, prefix)) {
            known = table.for_each_named(key.substr(prefix.size()), [&](std::size_t i) {
                const std::string_view name = table.name(i);
                if (starts_with(name, prefix)) return;  // binds its exact name only
                // A bare "X" already bound (its key is as long as the name) gives way.
                if (!m.seen[i] || m.bound[i].key_size == name.size()) bind(i, v, key);
            });
        }
        known |= table.for_each_named(key, [&](std::size_t i) {
            if (!m.seen[i]) bind(i, v, key);
        });
        if (!known && st.opt.strict && (!unknown || key < unknown_key)) {
            unknown = true;
            unknown_key = key;
        }
        return true;
    });
    if (unknown) {
        path_scope at(st, {segment, unknown_key, 0});
        return st.fail("unexpected key (strict mode: every key must name a member)");
    }

    // Pass 2.
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (m.seen[i]) {
            const auto& b = m.bound[i];
            path_scope at(st, {segment, {b.key, b.key_size}, 0});
            if (!m.read[i](st, b.v, m.member[i])) return false;
        } else if (!m.read[i](st, nullptr, m.member[i])) {
            return fail_missing(st, table.name(i), top, prefixed, segment);
        }
    }
    return true;
}

/// T's table for read_members: one pack expansion over its described members D...
template <class J, class T, template <class...> class L, class... D>
bool read_described(walk_state& st, const typename J::value& object, T& out, L<D...>, bool top) {
    constexpr std::size_t n = sizeof...(D);
    using member_types = member_type_of<T>;
    static constexpr member_reader<J> readers[n + 1] = {&read_member<J, typename member_types::template fn<D>>...,
                                                        nullptr};
    void* const members[n + 1] = {static_cast<void*>(std::addressof(out.*D::pointer))..., nullptr};
    std::array<bool, n> seen{};  // only the flags are cleared: bound[i] is read where seen[i] only
    std::array<typename members_view<J>::binding, n> bound;
    return read_members<J>(st, object, {member_names<T>::get(), readers, members, seen.data(), bound.data()}, top);
}

/// Reads a described struct from a JSON object; `top`: a flow's outputData (prefixed names).
template <class J, class T>
bool read_struct(walk_state& st, const typename J::value& object, T& out, bool top) {
    return read_described<J>(st, object, out, described_members<T>{}, top);
}

/// A nested struct, for with_container.
template <class J, class T>
bool read_nested_struct(walk_state& st, const typename J::value& object, void* out) {
    return read_struct<J>(st, object, *static_cast<T*>(out), false);
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/read_scalars.hpp> ========================================================
#ifndef GCX_REFLECT_READ_SCALARS_HPP
#define GCX_REFLECT_READ_SCALARS_HPP

// The walker's readers for JSON scalars that need more than a kind check: integers (range-checked),
// float/double, and described enums (by enumerator name). Rules in reflect.hpp.

#include <boost/mp11/algorithm.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class I>
std::string integer_expectation() {
    return "integer in [" + std::to_string(std::numeric_limits<I>::min()) + ", " +
           std::to_string(std::numeric_limits<I>::max()) + "]";
}

/// What a string holds when it is a JSON number as written, nothing around it (at most 64
/// characters): an integer -?(0|[1-9][0-9]*), or a number with a fraction or an exponent.
enum class number_text { none, integer, decimal };

inline number_text kind_of_number_text(std::string_view s) noexcept {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < s.size() && digit(s[i])) ++i;
        return i > from;
    };
    if (s.empty() || s.size() > 64) return number_text::none;
    if (s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return number_text::none;
    bool decimal = false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return number_text::none;
        decimal = true;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return number_text::none;
        decimal = true;
    }
    if (i != s.size()) return number_text::none;
    return decimal ? number_text::decimal : number_text::integer;
}

/// Architect sends Integer (and Decimal) variables as JSON strings ("157"): its output schemas'
/// archInteger is an integer or "a string representation of an integral numeric value". A string
/// holding such a number is read as that number, by `read` (read_integer or read_floating): for an
/// integer (`integral`), only integer text ("3.0" and "1e2" are refused); for a float, any JSON
/// number (a zero mantissa is read as zero whatever its exponent: Boost.JSON 1.81 reads "0e400"
/// as NaN). Any other string is refused.
template <class J, class Read>
bool read_number_text(walk_state& st, const typename J::value& v, const std::string& expected, bool integral,
                      Read&& read) {
    const std::string_view text = J::get_string(v);
    const number_text k = kind_of_number_text(text);
    if (k == number_text::none || (integral && k != number_text::integer))
        return st.fail("expected " + expected + " (or a string holding one), got a string that is not " +
                       (integral ? "an integer" : "a number"));
    std::string_view parsed = text;
    const std::string_view mantissa = text.substr(0, text.find_first_of("eE"));
    if (mantissa.find_first_not_of("-0.") == std::string_view::npos) parsed = text[0] == '-' ? "-0.0" : "0.0";
    return json::parse_temporary<J>(parsed, 1, [&](const result<typename J::value>& n) {
        if (!n) return st.fail("expected " + expected + ", got a string holding a number this backend cannot read");
        return read(*n, J::kind_of(*n));
    });
}

/// Integers are range-checked, never narrowed. A JSON number with a fractional part of zero
/// (`3.0`) is accepted when it is exactly an integer in range: some producers write every number
/// as a double; `3.5` or `1e20` into an int64 is refused. A string holding an integer is read as
/// the integer (read_number_text).
template <class J, class I>
bool read_integer(walk_state& st, const typename J::value& v, json::kind k, I& out) {
    using lim = std::numeric_limits<I>;
    switch (k) {
    case json::kind::integer: {
        const std::int64_t x = J::get_int(v);
        bool fits;
        if constexpr (std::is_signed_v<I>)
            fits = x >= static_cast<std::int64_t>(lim::min()) && x <= static_cast<std::int64_t>(lim::max());
        else fits = x >= 0 && static_cast<std::uint64_t>(x) <= static_cast<std::uint64_t>(lim::max());
        if (!fits) return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
        out = static_cast<I>(x);
        return true;
    }
    case json::kind::uint: {  // above INT64_MAX by the backend rule
        const std::uint64_t x = J::get_uint(v);
        if constexpr (std::is_signed_v<I>) {
            (void)x;
            return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
        } else {
            if (x > static_cast<std::uint64_t>(lim::max()))
                return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
            out = static_cast<I>(x);
            return true;
        }
    }
    case json::kind::number: {
        const double d = J::get_double(v);
        // Bounds as exact powers of two: [min, max + 1) holds every representable I.
        const double upper = std::ldexp(1.0, lim::digits);
        const double lower = std::is_signed_v<I> ? -upper : 0.0;
        if (!(std::isfinite(d) && std::trunc(d) == d))
            return st.fail("expected " + integer_expectation<I>() + ", got a number with a fractional part");
        if (!(d >= lower && d < upper))
            return st.fail("expected " + integer_expectation<I>() + ", got a number out of that range");
        // From 2^52 on, a neighbouring double is another integer: the text may have named another
        // one than `d` (-9223372036854775809 or 9007199254740993.0 read as a neighbour, or a
        // parser one unit in the last place off, as Boost.JSON 1.81 is for some 17-digit texts).
        // Below, a neighbour has a fraction and is refused above. Plain integer text is read
        // exactly (json::kind::integer or uint); a fraction or an exponent up there is refused.
        // A fraction smaller than half the spacing of doubles at that magnitude is lost by the
        // parser itself, as every JSON number with a '.' is a double in both backends: from 2^50
        // that is a fraction below 0.125 (2^51 + 0.2 reads as 2^51), as 1.00000000000000001 reads
        // as 1.
        if (std::fabs(d) >= std::ldexp(1.0, 52))
            return st.fail("expected " + integer_expectation<I>() +
                           ", got a number with a fraction or an exponent too large to be read exactly");
        if constexpr (std::is_signed_v<I>) out = static_cast<I>(static_cast<std::int64_t>(d));
        else out = static_cast<I>(static_cast<std::uint64_t>(d));
        return true;
    }
    case json::kind::string:
        return read_number_text<J>(
            st, v, integer_expectation<I>(), true,
            [&](const typename J::value& n, json::kind nk) { return read_integer<J>(st, n, nk, out); });
    default: return st.mismatch(integer_expectation<I>(), k);
    }
}

/// float/double accept every JSON number (integers included; a large integer rounds to the
/// nearest F, once: not through a double first). A value beyond the target's range is refused
/// rather than turned into infinity. (A decimal number into a float is rounded twice, to the
/// double the parser made of it and then to float: the text is not kept.)
template <class J, class F>
bool read_floating(walk_state& st, const typename J::value& v, json::kind k, F& out) {
    double d;
    switch (k) {
    case json::kind::integer: out = static_cast<F>(J::get_int(v)); return true;  // in range of any F
    case json::kind::uint: out = static_cast<F>(J::get_uint(v)); return true;
    case json::kind::number: d = J::get_double(v); break;
    case json::kind::string:
        return read_number_text<J>(st, v, "number", false, [&](const typename J::value& n, json::kind nk) {
            return read_floating<J>(st, n, nk, out);
        });
    default: return st.mismatch("number", k);
    }
    // A double rounds to F's largest value up to half an ulp above it: 3.4028235e38, the shortest
    // text of FLT_MAX, is a little above it as a double and is a float all the same.
    using lim = std::numeric_limits<F>;
    const double max = static_cast<double>(lim::max());
    const double half_ulp = (max - static_cast<double>(std::nextafter(lim::max(), F{0}))) / 2;
    if (!std::isfinite(d) || (std::fabs(d) >= max + half_ulp && std::fabs(d) != max))
        return st.fail(std::string("expected number in the range of ") +
                       (std::is_same_v<F, float> ? "float" : "double") + ", got a number out of that range");
    out = std::fabs(d) <= max ? static_cast<F>(d) : d > 0 ? lim::max() : lim::lowest();
    return true;
}

template <class E>
std::string enum_expectation() {
    std::string names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        names += names.empty() ? "one of " : ", ";
        names += '"';
        names += json_name<E>(d.name);
        names += '"';
    });
    return names.empty() ? std::string("string naming an enumerator (the enum describes none)") : names;
}

/// Described enums are read from their enumerator names (exact, case-sensitive); numbers refused.
template <class J, class E>
bool read_enum(walk_state& st, const typename J::value& v, json::kind k, E& out) {
    if (k != json::kind::string) return st.mismatch(enum_expectation<E>(), k);
    const std::string_view s = J::get_string(v);
    bool found = false;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        if (!found && json_name<E>(d.name) == s) {
            out = d.value;
            found = true;
        }
    });
    if (!found) return st.fail("expected " + enum_expectation<E>() + ", got a string that names none of them");
    return true;
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/read_value.hpp> ==========================================================
#ifndef GCX_REFLECT_READ_VALUE_HPP
#define GCX_REFLECT_READ_VALUE_HPP

// read_value: one JSON value into one C++ value, dispatched on the type's shape (traits.hpp) to the
// readers for scalars, containers and described structs. Rules in reflect.hpp.

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
bool read_value(walk_state& st, const typename J::value& v, T& out) {
    constexpr shape s = shape_of<J, T>();
    const json::kind k = J::kind_of(v);
    if constexpr (s == shape::backend_value) {
        out = v;
        return true;
    } else if constexpr (s == shape::raw) {
        out.text = J::serialize(v);
        return true;
    } else if constexpr (s == shape::optional) {
        if (k == json::kind::null) {
            out.reset();
            return true;
        }
        if (!out) out.emplace();
        return read_value<J>(st, v, *out);
    } else if constexpr (s == shape::boolean) {
        if (k == json::kind::string) {  // Architect may hand a Boolean over as text, as it does an Integer
            const std::string_view t = J::get_string(v);
            if (t != "true" && t != "false")
                return st.fail("expected bool, got a string that is not \"true\" or \"false\"");
            out = t == "true";
            return true;
        }
        if (k != json::kind::boolean) return st.mismatch("bool", k);
        out = J::get_bool(v);
        return true;
    } else if constexpr (s == shape::integer) {
        return read_integer<J>(st, v, k, out);
    } else if constexpr (s == shape::floating) {
        return read_floating<J>(st, v, k, out);
    } else if constexpr (s == shape::string) {
        if (k != json::kind::string) return st.mismatch("string", k);
        out.assign(J::get_string(v));
        return true;
    } else if constexpr (s == shape::enumeration) {
        return read_enum<J>(st, v, k, out);
    } else if constexpr (s == shape::array) {
        return read_array<J>(st, v, out);
    } else if constexpr (s == shape::map) {
        return read_map<J>(st, v, out);
    } else if constexpr (s == shape::object) {
        return with_container<J>(st, v, json::kind::object, &read_nested_struct<J, T>, &out);
    } else {
        static_assert(always_false<T>, "gcx: unreachable, the public entry points check mappability first");
        return false;
    }
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/read.hpp> ================================================================
#ifndef GCX_REFLECT_READ_HPP
#define GCX_REFLECT_READ_HPP

// JSON -> C++, the public entry points: read_outputs (a flow's outputData, `Flow.`-prefixed keys
// at the top level), from_json (exact names everywhere, for API models) and from_json_text. The
// walk itself: read_value.hpp (dispatch), read_members.hpp (described structs), read_scalars.hpp,
// read_containers.hpp. Rules in reflect.hpp.

#include <string>
#include <string_view>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

inline std::string outputs_hint(std::string_view prefix) {
    return "compare the flow's \"Output from flow\" variables with your struct: each member binds \"" +
           std::string(prefix) + "<member>\"; a variable the flow may leave unset must be a std::optional member";
}

template <class J, class T>
bool read_top_struct(walk_state& st, const typename J::value& object, void* out) {
    return read_struct<J>(st, object, *static_cast<T*>(out), true);
}

/// The walks behind the public entry points: false with st.err set on error. Outputs: a flow's
/// outputData into a described struct (prefixed names at the top, null read as {}); otherwise any
/// value with exact names.
template <class J, bool Outputs, class T>
bool map(walk_state& st, const typename J::value& v, T& out) {
    if constexpr (Outputs) {
        st.make_hint = &outputs_hint;
        if (J::kind_of(v) == json::kind::null)
            return with_container<J>(st, J::make_object(), json::kind::object, &read_top_struct<J, T>, &out);
        return with_container<J>(st, v, json::kind::object, &read_top_struct<J, T>, &out);
    } else {
        return read_value<J>(st, v, out);
    }
}

/// Into an existing object, which may be partly assigned on error.
template <class J, bool Outputs, class T>
result<void> map_into(const typename J::value& v, T& out, const map_options& options) {
    walk_state st(options);
    if (!map<J, Outputs>(st, v, out)) return st.take_error();
    return {};
}

/// A new T mapped inside its result, which is returned as is: one named return value (NRVO; the
/// public functions' other, discarded `return` would defeat it there), so the filled T is never
/// moved. A filled ExternalContact is 3 KB of optionals.
template <class J, bool Outputs, class T>
result<T> mapped(const typename J::value& v, const map_options& options) {
    result<T> out{T{}};
    walk_state st(options);
    if (!map<J, Outputs>(st, v, *out)) out = st.take_error();
    return out;
}

/// What the public functions return after a failed check_mappable (its static_assert has fired).
inline error unmappable_error() { return make_error(errc::mapping, "type cannot be mapped"); }

}  // namespace reflect_detail

// ---- public API ------------------------------------------------------------------------------

/// Maps a JSON value into `out` with exact member names at every level.
/// On error `out` may be partly assigned. Errors: errc::mapping, with `path` set.
template <class J, class T>
result<void> from_json(const typename J::value& v, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::map_into<J, false>(v, out, options);
    else return reflect_detail::unmappable_error();
}

/// Maps a JSON value into a new T (default-constructed first) with exact member names.
template <class J, class T>
result<T> from_json(const typename J::value& v, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::mapped<J, false, T>(v, options);
    else return reflect_detail::unmappable_error();
}

/// Parses `text` (malformed or too deep: errc::protocol) and maps it with from_json.
/// Handy for a gcx::raw_json: `from_json_text<J, profile>(raw.text)`.
template <class J, class T>
result<T> from_json_text(std::string_view text, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) {
        auto v = J::parse(text, options.max_depth);
        if (!v) return std::move(v.error());
        return reflect_detail::mapped<J, false, T>(*v, options);
    } else {
        return reflect_detail::unmappable_error();
    }
}

/// Maps a flow's outputData into `out`: member `X` binds `"Flow.X"` (options.prefix), or the bare
/// `"X"` when the prefixed key is absent. Nested objects use exact names. A null outputData is
/// read as an empty object (a completed flow without outputs).
template <class J, class T>
result<void> read_outputs(const typename J::value& outputData, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>())
        return reflect_detail::map_into<J, true>(outputData, out, options);
    else return reflect_detail::unmappable_error();
}

/// Maps a flow's outputData into a new T; see the overload above.
template <class J, class T>
result<T> read_outputs(const typename J::value& outputData, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>())
        return reflect_detail::mapped<J, true, T>(outputData, options);
    else return reflect_detail::unmappable_error();
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/schema.hpp> ==============================================================
#ifndef GCX_REFLECT_SCHEMA_HPP
#define GCX_REFLECT_SCHEMA_HPP

// What a described struct expects of a flow's outputs, known at compile time: for each member,
// the output variable read_outputs binds it to ("Flow.X", falling back to "X"; the rename hook
// and map_options::prefix apply, as in reflect.hpp), the JSON types it accepts, and whether it
// may be absent; for a member that is itself a described struct (or an optional or vector of
// one), the same of its own members, by their JSON names. The preflight check (check.hpp,
// check/schema_match.hpp) compares this with the output schema Genesys publishes for each flow
// version.
//
//     for (const gcx::output_expectation& x : gcx::output_expectations<J, customer_lookup>())
//         ... x.member, x.variable, x.types, x.optional
//
// JSON types follow JSON Schema's names: "string", "boolean", "integer", "number", "object",
// "array". A struct, map or vector member also accepts "string" (a JSON object or array encoded
// in a string, as Architect flows often output them); raw_json and J::value accept anything.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

/// JSON Schema types, as bits (a member may accept several).
namespace json_types {
inline constexpr unsigned string = 1u << 0;
inline constexpr unsigned boolean = 1u << 1;
inline constexpr unsigned integer = 1u << 2;
inline constexpr unsigned number = 1u << 3;
inline constexpr unsigned object = 1u << 4;
inline constexpr unsigned array = 1u << 5;
inline constexpr unsigned null = 1u << 6;
inline constexpr unsigned any = string | boolean | integer | number | object | array | null;

/// The bit of a JSON Schema type name ("string", ...), 0 for a name it does not know.
inline unsigned from_name(std::string_view name) noexcept {
    if (name == "string") return string;
    if (name == "boolean") return boolean;
    if (name == "integer") return integer;
    if (name == "number") return number;
    if (name == "object") return object;
    if (name == "array") return array;
    if (name == "null") return null;
    return 0;
}

/// "string", "object or string", "any JSON value" (null left out unless it is alone).
inline std::string to_text(unsigned types) {
    if ((types & any) == any) return "any JSON value";
    static constexpr std::pair<unsigned, const char*> names[] = {
        {object, "object"}, {array, "array"},   {boolean, "boolean"}, {integer, "integer"},
        {number, "number"}, {string, "string"}, {null, "null"}};
    std::string out;
    for (const auto& [bit, name] : names) {
        if ((types & bit) == 0 || (bit == null && types != null)) continue;
        if (!out.empty()) out += " or ";
        out += name;
    }
    return out.empty() ? "nothing" : out;
}
}  // namespace json_types

/// What one member of a described struct reads from a flow's outputs.
struct output_expectation {
    std::string member;           ///< the C++ member name
    std::string variable;         ///< the output variable it binds first: prefix + JSON name ("Flow.Found")
    std::string bare;             ///< the name it binds when `variable` is absent ("Found"); empty: none
    unsigned types = 0;           ///< the JSON types it accepts (json_types bits)
    bool optional = false;        ///< std::optional: may be absent (or null)
    bool json_in_string = false;  ///< a struct, map or vector: a JSON string holding one is accepted too
    bool any_string = false;      ///< std::string: every JSON string maps (an enum or a struct's does not)
    /// A described struct, std::optional of one or std::vector of one: what its own members read
    /// (by JSON name, no prefix), as the schema's `properties` of this variable list them
    /// (`in_items`: `items.properties`, for a vector). Empty for other members, and below
    /// max_schema_depth levels.
    std::vector<output_expectation> members;
    bool in_items = false;  ///< `members` are those of each element of an array
};

/// How many levels of nested structs output_expectations lists (a recursive struct ends there).
inline constexpr int max_schema_depth = 8;

namespace reflect_detail {

/// The JSON types a member of type M accepts (after std::optional is unwrapped).
template <class J, class M>
constexpr unsigned accepted_json_types() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return accepted_json_types<J, typename M::value_type>() | json_types::null;
    else if constexpr (s == shape::backend_value || s == shape::raw) return json_types::any;
    else if constexpr (s == shape::boolean) return json_types::boolean;
    else if constexpr (s == shape::integer) return json_types::integer;
    else if constexpr (s == shape::floating) return json_types::integer | json_types::number;
    else if constexpr (s == shape::string || s == shape::enumeration) return json_types::string;
    else if constexpr (s == shape::array) return json_types::array | json_types::string;
    else if constexpr (s == shape::map || s == shape::object) return json_types::object | json_types::string;
    else return 0;
}

template <class J, class M>
constexpr bool any_string() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return any_string<J, typename M::value_type>();
    else return s == shape::string;
}

template <class J, class M>
constexpr bool json_in_string() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return json_in_string<J, typename M::value_type>();
    else return s == shape::array || s == shape::map || s == shape::object;
}

template <class J, class T, template <class...> class L, class... D>
std::vector<output_expectation> expectations_of(L<D...>, std::string_view prefix, int depth);

/// The described struct a member of type M holds (through std::optional, std::vector), if any.
template <class J, class M>
void add_nested(output_expectation& x, int depth) {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) {
        add_nested<J, typename M::value_type>(x, depth);
    } else if constexpr (s == shape::array) {
        using E = typename M::value_type;
        constexpr shape e = shape_of<J, E>();
        if constexpr (e == shape::object || e == shape::optional) {
            const bool was = x.in_items;
            if (was) return;  // a vector of vectors: its elements' members are not listed
            x.in_items = true;
            add_nested<J, E>(x, depth);
            if (x.members.empty()) x.in_items = false;
        }
    } else if constexpr (s == shape::object) {
        if (depth < max_schema_depth) x.members = expectations_of<J, M>(described_members<M>{}, {}, depth + 1);
    }
}

template <class J, class T, class D>
output_expectation expectation_of(std::string_view prefix, int depth) {
    using M = typename member_type_of<T>::template fn<D>;
    output_expectation x;
    x.member = D::name;
    std::string_view name;
    if constexpr (has_described_bases<T>) name = member_json_name<T, D>();
    else name = json_name<T>(D::name);
    // As read_members binds them: "Flow.X" first, then "X"; a name that starts with the prefix
    // binds only itself.
    if (!prefix.empty() && !starts_with(name, prefix)) {
        x.variable = std::string(prefix) + std::string(name);
        x.bare = std::string(name);
    } else {
        x.variable = std::string(name);
    }
    x.types = accepted_json_types<J, M>();
    x.optional = is_optional<M>::value;
    x.json_in_string = json_in_string<J, M>();
    x.any_string = any_string<J, M>();
    add_nested<J, M>(x, depth);
    return x;
}

template <class J, class T, template <class...> class L, class... D>
std::vector<output_expectation> expectations_of(L<D...>, std::string_view prefix, int depth) {
    return {expectation_of<J, T, D>(prefix, depth)...};
}

}  // namespace reflect_detail

/// What each described member of T reads from a flow's outputs, in declaration order; a struct
/// member (or optional or vector of one) lists its own members in `members`, recursively.
template <class J, class T>
std::vector<output_expectation> output_expectations(const map_options& opt = {}) {
    static_assert(reflect_detail::check_flow_variables<J, T>());
    return reflect_detail::expectations_of<J, T>(reflect_detail::described_members<T>{}, opt.prefix, 0);
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect/write.hpp> ===============================================================
#ifndef GCX_REFLECT_WRITE_HPP
#define GCX_REFLECT_WRITE_HPP

// C++ -> JSON: write_inputs (a flow's inputData, `Flow.`-prefixed keys at the top level),
// to_json (exact names everywhere) and to_json_text. Rules in reflect.hpp.

#include <boost/mp11/algorithm.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
typename J::value write_value(const T& v);

template <class J, class T>
typename J::value write_members(const T& v, std::string_view prefix) {
    auto object = J::make_object();
    std::string key;
    boost::mp11::mp_for_each<described_members<T>>([&](auto d) {
        const auto& member = v.*d.pointer;
        using member_type = std::remove_cv_t<std::remove_reference_t<decltype(member)>>;
        if constexpr (is_optional<member_type>::value) {
            if (!member) return;  // an empty optional is left out, not written as null
        }
        std::string_view name;
        if constexpr (has_described_bases<T>) name = member_json_name<T, decltype(d)>();
        else name = json_name<T>(d.name);
        key.clear();
        if (!prefix.empty() && name.compare(0, prefix.size(), prefix) != 0) key.append(prefix.data(), prefix.size());
        key.append(name.data(), name.size());
        J::set(object, key, write_value<J>(member));
    });
    return object;
}

template <class J, class T>
typename J::value write_value(const T& v) {
    constexpr shape s = shape_of<J, T>();
    if constexpr (s == shape::backend_value) {
        return v;
    } else if constexpr (s == shape::raw) {
        // A raw_json holds text gcx wrote itself or the caller promised is JSON; text that does not
        // parse has no faithful JSON form and is written as null. Its depth is the caller's (read
        // with a map_options::max_depth of their choosing, or built in code): not the default
        // limit for server answers (64, which wrote a deeper raw_json as null), but a bound on
        // what a value's destruction may recurse through.
        auto parsed = J::parse(v.text, json::max_written_raw_depth);
        return parsed ? std::move(*parsed) : J::make_null();
    } else if constexpr (s == shape::optional) {
        return v ? write_value<J>(*v) : J::make_null();
    } else if constexpr (s == shape::boolean) {
        return J::make_bool(v);
    } else if constexpr (s == shape::integer) {
        if constexpr (std::is_signed_v<T>) {
            return J::make_int(static_cast<std::int64_t>(v));
        } else {
            const auto u = static_cast<std::uint64_t>(v);
            return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                       ? J::make_int(static_cast<std::int64_t>(u))
                       : J::make_uint(u);
        }
    } else if constexpr (s == shape::floating) {
        // JSON has no NaN or infinity: like JSON.stringify, write null.
        return std::isfinite(v) ? J::make_double(static_cast<double>(v)) : J::make_null();
    } else if constexpr (s == shape::string) {
        return J::make_string(v);
    } else if constexpr (s == shape::enumeration) {
        const char* name = nullptr;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto d) {
            if (!name && v == d.value) name = d.name;
        });
        if (name) return J::make_string(json_name<T>(name));
        // A value outside the described enumerators has no name: write the number, so nothing
        // is lost silently (reading it back is refused, which surfaces the problem).
        using wide = std::conditional_t<std::is_signed_v<std::underlying_type_t<T>>, std::int64_t, std::uint64_t>;
        return write_value<J>(static_cast<wide>(v));
    } else if constexpr (s == shape::array) {
        auto array = J::make_array();
        for (const auto& e : v) J::push_back(array, write_value<J>(static_cast<const typename T::value_type&>(e)));
        return array;
    } else if constexpr (s == shape::map) {
        auto object = J::make_object();
        for (const auto& kv : v) J::set(object, kv.first, write_value<J>(kv.second));
        return object;
    } else if constexpr (s == shape::object) {
        return write_members<J>(v, {});
    } else {
        static_assert(always_false<T>, "gcx: unreachable, the public entry points check mappability first");
        return J::make_null();
    }
}

}  // namespace reflect_detail

// ---- public API ------------------------------------------------------------------------------

/// Serializes `v` to a JSON value with exact member names at every level: empty optional members
/// are left out, enums become their names, raw members are inserted as parsed values.
template <class J, class T>
typename J::value to_json(const T& v) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::write_value<J>(v);
    else return J::make_null();
}

/// to_json, serialized.
template <class J, class T>
std::string to_json_text(const T& v) {
    return J::serialize(to_json<J>(v));
}

/// Builds a flow's inputData: member `X` becomes `"Flow.X"` (`prefix`; a renamed member that
/// already starts with the prefix is kept as is). Nested structs use exact names.
template <class J, class T>
typename J::value write_inputs(const T& inputs, std::string_view prefix = "Flow.") {
    if constexpr (reflect_detail::check_flow_variables<J, T>()) return reflect_detail::write_members<J>(inputs, prefix);
    else return J::make_null();
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/reflect.hpp> =====================================================================
#ifndef GCX_REFLECT_HPP
#define GCX_REFLECT_HPP

// The reflection walker: JSON <-> your structs, over boost::describe::describe_members, written
// once against the JSON backend concept (gcx/json/backend.hpp) and so free of any JSON library.
//
//     struct profile { std::string customerId; std::optional<int> openCases; };
//     BOOST_DESCRIBE_STRUCT(profile, (), (customerId, openCases))
//     struct outputs { bool Found; std::optional<profile> CustomerProfile; };
//     BOOST_DESCRIBE_STRUCT(outputs, (), (Found, CustomerProfile))
//
//     gcx::result<outputs> r = gcx::read_outputs<gcx::json::boost_json, outputs>(outputData);
//     if (!r) std::cerr << r.error().describe();   // ... (path outputData["Flow.Found"])
//
// Entry points (J is the backend traits type, e.g. gcx::json::boost_json):
//   read_outputs<J, T>(outputData, options)      flow outputs -> T; members bind "Flow.<name>"
//   from_json<J, T>(value, options)              any JSON value -> T, exact names everywhere
//   from_json<J>(value, T& out, options)         the same, into an existing object
//   from_json_text<J, T>(text, options)          parse, then from_json
//   write_inputs<J>(inputs, prefix = "Flow.")    T -> a flow's inputData
//   to_json<J>(v) / to_json_text<J>(v)           T -> JSON value / text
//
// Rules
// - Names. At the top level of read_outputs, member `X` binds `"Flow.X"` (map_options::prefix),
//   falling back to the bare `"X"`; when both are present the prefixed key wins. Everywhere else
//   keys are the member names, exactly. For names that are not C++ identifiers, declare the rename
//   hook `gcx_json_name(const T*, std::string_view member) -> std::string_view` next to T (see
//   reflect/traits.hpp).
// - Types. bool; every integer type (char types excluded), range-checked: a value out of range is
//   an error, never narrowed; a JSON number with zero fraction (`3.0`) is accepted when exactly
//   representable. float/double take any JSON number (integers included) within their range.
//   Both also take a string holding a JSON number, exactly ("157", "-3.5e2"; not " 1", "+1",
//   "01"): Architect sends Integer variables as strings (its output schemas' archInteger is an
//   integer or "a string representation of an integral numeric value").
//   std::string. Described enums (BOOST_DESCRIBE_ENUM) as their enumerator names, exact case.
//   Described structs (BOOST_DESCRIBE_STRUCT / _CLASS; inherited and private members included).
//   std::vector<T>, std::map / std::unordered_map<std::string, T>, std::optional<T>.
//   gcx::raw_json (any value, kept as serialized text) and J::value (any value, kept as is).
//   Anything else stops compilation with one static_assert ("gcx: cannot map this type ...").
// - Presence. std::optional takes a missing key or null (-> std::nullopt). A missing key for any
//   other member is an error, and so is null (raw_json and J::value take null as a value).
//   Unknown keys are ignored; map_options::strict refuses them.
// - JSON in strings. A struct, map or vector also accepts a JSON *string* holding an object (or
//   array): Architect flows often output objects that way. It is parsed with the same backend,
//   within the nesting depth left (map_options::max_depth), and mapped like the object itself.
// - Errors. errc::mapping, fail fast, `error::path` = the JSON path, rooted at map_options::root:
//   outputData["Flow.CustomerProfile"].address.city, arrays as [3]. The message says what was
//   expected and what kind of JSON was found. Messages never quote document *values* (they may be
//   phone numbers or names); keys are quoted.
// - Writing. Empty optionals are left out; enums become names (a value outside the described
//   enumerators is written as its number); raw_json is inserted parsed (null if its text is not
//   JSON, or nests deeper than json::max_written_raw_depth, 4096 levels); NaN and infinity
//   become null (JSON has neither).

#endif

// ======== <gcx/models.hpp> ======================================================================
#ifndef GCX_MODELS_HPP
#define GCX_MODELS_HPP

// Described Genesys Cloud models, for gcx::from_json / gcx::to_json (gcx/reflect.hpp).
//
// Member names are the API's JSON names, exactly (camelCase). These are server objects: every
// field the API may omit is std::optional, unknown fields are ignored (the API grows), and
// open-ended enumerations (`status`, `type`) are strings, so a value added by Genesys tomorrow
// does not make today's client fail. Only the fields gcx needs, or that a lookup's caller is
// likely to want, are modelled; read anything else from a gcx::raw_json member or the raw body.
// Field lists: docs/genesys-api.md (sections 1.3, 1.4, 4.1, 5.1); JSON examples: its section 9.

#include <boost/describe/class.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// BOOST_DESCRIBE_STRUCT(T, (), ...) passes zero variadic macro arguments, which clang's -Wpedantic
// flags before C++20 (boostorg/describe#12, #43; the author knows no other workaround).
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

GCX_NAMESPACE_BEGIN

/// DomainEntityRef: a reference to another entity.
struct domain_entity_ref {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(domain_entity_ref, (), (id, name, selfUri))

/// PhoneNumber. `e164`, `countryCode` and `userInput` are set by the server.
struct phone_number {
    std::optional<std::string> display;
    std::optional<int> extension;
    std::optional<bool> acceptsSMS;
    std::optional<std::string> normalizationCountryCode;
    std::optional<std::string> userInput;
    std::optional<std::string> e164;
    std::optional<std::string> countryCode;
};
BOOST_DESCRIBE_STRUCT(phone_number, (),
                      (display, extension, acceptsSMS, normalizationCountryCode, userInput, e164, countryCode))

/// ContactAddress.
struct contact_address {
    std::optional<std::string> address1;
    std::optional<std::string> address2;
    std::optional<std::string> city;
    std::optional<std::string> state;
    std::optional<std::string> postalCode;
    std::optional<std::string> countryCode;
};
BOOST_DESCRIBE_STRUCT(contact_address, (), (address1, address2, city, state, postalCode, countryCode))

/// ExternalOrganization as embedded in a contact (`expand=contacts.externalOrganization`);
/// without the expansion only id and selfUri are present.
struct external_organization {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<domain_entity_ref> division;
    std::optional<std::string> companyType;
    std::optional<std::string> industry;
    std::optional<contact_address> address;
    std::optional<phone_number> phoneNumber;
    std::optional<phone_number> faxNumber;
    std::optional<std::int64_t> employeeCount;
    std::optional<std::int64_t> revenue;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::vector<std::string>> websites;
    std::optional<std::string> externalSystemUrl;
    std::optional<raw_json> customFields;
    std::optional<std::string> modifyDate;
    std::optional<std::string> createDate;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(external_organization, (),
                      (id, name, division, companyType, industry, address, phoneNumber, faxNumber, employeeCount,
                       revenue, tags, websites, externalSystemUrl, customFields, modifyDate, createDate, selfUri))

/// ExternalContact. `type` is one of Ephemeral, Identified, Curated (kept a string: the set may grow).
/// Dates are ISO-8601 strings as sent.
struct external_contact {
    std::optional<std::string> id;
    std::optional<domain_entity_ref> division;
    std::optional<std::string> firstName;
    std::optional<std::string> middleName;
    std::optional<std::string> lastName;
    std::optional<std::string> salutation;
    std::optional<std::string> title;
    std::optional<phone_number> workPhone;
    std::optional<phone_number> cellPhone;
    std::optional<phone_number> homePhone;
    std::optional<phone_number> otherPhone;
    std::optional<std::string> workEmail;
    std::optional<std::string> personalEmail;
    std::optional<std::string> otherEmail;
    std::optional<contact_address> address;
    std::optional<external_organization> externalOrganization;
    std::optional<bool> surveyOptOut;
    std::optional<std::string> externalSystemUrl;
    std::optional<raw_json> customFields;
    std::optional<std::string> type;
    std::optional<std::string> createDate;
    std::optional<std::string> modifyDate;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(external_contact, (),
                      (id, division, firstName, middleName, lastName, salutation, title, workPhone, cellPhone,
                       homePhone, otherPhone, workEmail, personalEmail, otherEmail, address, externalOrganization,
                       surveyOptOut, externalSystemUrl, customFields, type, createDate, modifyDate, selfUri))

/// ErrorBody `details` entry (Detail).
struct error_detail {
    std::optional<std::string> errorCode;
    std::optional<std::string> fieldName;
    std::optional<std::string> entityId;
    std::optional<std::string> entityName;
};
BOOST_DESCRIBE_STRUCT(error_detail, (), (errorCode, fieldName, entityId, entityName))

/// ErrorBody `limit` entry (Limit). Its JSON key `namespace` is a C++ keyword: the member is
/// `namespace_`, renamed by the hook below.
struct error_limit {
    std::optional<std::string> key;
    std::optional<std::string> namespace_;
    std::optional<std::int64_t> value;
};
BOOST_DESCRIBE_STRUCT(error_limit, (), (key, namespace_, value))

inline std::string_view gcx_json_name(const error_limit*, std::string_view member) noexcept {
    return member == "namespace_" ? std::string_view("namespace") : member;
}

/// ErrorBody: every non-2xx API answer, and a failed execution's flowErrorInfo.
/// `errors` nests ErrorBody recursively (the walker's own depth limit bounds it).
struct error_body {
    std::optional<std::string> message;
    std::optional<std::string> code;
    std::optional<int> status;
    std::optional<std::string> entityId;
    std::optional<std::string> entityName;
    std::optional<std::string> messageWithParams;
    std::optional<std::map<std::string, std::string>> messageParams;
    std::optional<std::string> contextId;
    std::optional<std::vector<error_detail>> details;
    std::optional<std::vector<error_body>> errors;
    std::optional<error_limit> limit;
};
BOOST_DESCRIBE_STRUCT(error_body, (),
                      (message, code, status, entityId, entityName, messageWithParams, messageParams, contextId,
                       details, errors, limit))

/// The flow version of an execution: the poll answer carries a full FlowVersion, the launch
/// answer a DomainEntityRef; both fit here (the full version's other fields are ignored).
struct flow_version {
    std::optional<std::string> id;
    std::optional<std::string> name;
    std::optional<std::string> commitVersion;
    std::optional<std::string> configurationVersion;
    std::optional<std::string> type;
    std::optional<bool> secure;
    std::optional<bool> debug;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_version, (), (id, name, commitVersion, configurationVersion, type, secure, debug, selfUri))

/// POST /api/v2/flows/executions answer (FlowExecutionLaunchResponse).
struct flow_execution_launch_response {
    std::string id;  ///< the execution id: the answer is useless without it
    std::optional<std::string> name;
    std::optional<domain_entity_ref> flowVersion;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_execution_launch_response, (), (id, name, flowVersion, selfUri))

/// GET /api/v2/flows/executions/{id} answer (FlowRuntimeExecution).
/// `status`: UNKNOWN, RUNNING, COMPLETED, FAILED, ERROR, TERMINATED, or a value added later:
/// a string, so an unknown status maps and the poller decides (keep polling).
struct flow_runtime_execution {
    std::string id;
    std::optional<std::string> name;
    std::optional<flow_version> flowVersion;
    std::optional<std::string> dateLaunched;
    std::string status;
    std::optional<std::string> dateCompleted;
    std::optional<std::string> completionReason;
    std::optional<error_body> flowErrorInfo;
    std::optional<raw_json> outputData;  ///< only for COMPLETED; map it with read_outputs
    std::optional<domain_entity_ref> conversation;
    std::optional<std::string> selfUri;
};
BOOST_DESCRIBE_STRUCT(flow_runtime_execution, (),
                      (id, name, flowVersion, dateLaunched, status, dateCompleted, completionReason, flowErrorInfo,
                       outputData, conversation, selfUri))

/// GET /api/v2/externalcontacts/reversewhitepageslookup answer. The API may leave `contacts` out
/// (ReverseWhitepagesLookupResult declares it optional): absent, null and [] all mean no contact.
struct reverse_whitepages_lookup_result {
    std::optional<std::vector<external_contact>> contacts;
};
BOOST_DESCRIBE_STRUCT(reverse_whitepages_lookup_result, (), (contacts))

/// The outputs of the tutorial's "Customer Lookup" workflow, for read_outputs: members bind
/// `Flow.Found`, `Flow.MatchCount`, ... `CustomerProfile` is whatever the flow author put there
/// (often a JSON string): map it further with from_json_text<J, your_profile>(p->text), or
/// declare your own outputs struct with a typed member instead.
struct customer_lookup {
    std::optional<bool> Found;
    std::optional<std::int64_t> MatchCount;  ///< an Architect Integer: sent as a string ("1"), read either way
    std::optional<std::string> ContactId;
    std::optional<raw_json> CustomerProfile;
    std::optional<external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(customer_lookup, (), (Found, MatchCount, ContactId, CustomerProfile, externalContact))

GCX_NAMESPACE_END

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#endif

// ======== <gcx/deadline.hpp> ====================================================================
#ifndef GCX_DEADLINE_HPP
#define GCX_DEADLINE_HPP

// An operation's time bound. The lookup timeout runs from the operation's first request, so a
// lookup that waits its turn for the request budget is not charged for it; that wait has its own
// bound, budget_policy::queue_timeout. Plain value: an operation hands it on to each call it
// makes, and a strategy to its fallback.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

/// An operation's time bound. `timeout` (client_config::lookup_timeout) runs from the first
/// request; until then the operation may wait for the budget until `queue_until`.
struct op_deadline {
    time_point created{};      ///< when the operation was made
    time_point queue_until{};  ///< its first request must start by then
    milliseconds timeout{};
    std::optional<time_point> started;  ///< when its first request went out

    static op_deadline from(time_point now, const client_config& c) {
        return op_deadline{now, now + c.budget.queue_timeout, c.lookup_timeout, std::nullopt};
    }
    /// The latest time anything of the operation may happen.
    time_point until() const noexcept { return started ? *started + timeout : queue_until + timeout; }
    /// Whether the operation ran out of time: its lookup timeout, or its wait for the budget.
    bool expired(time_point now) const noexcept { return started ? now >= *started + timeout : now >= queue_until; }
    void start(time_point now) noexcept {
        if (!started) started = now;
    }
    /// Moves the deadline later by `by` (a wait not charged to it), within longest_wait.
    void extend(milliseconds by) noexcept {
        if (by.count() > 0) timeout = std::min(longest_wait, timeout + std::min(by, longest_wait));
    }
};

namespace detail {
inline const char* deadline_hint() noexcept {
    return "raise the lookup timeout, or check network access to Genesys Cloud";
}

/// The error of an operation whose first request waited longer than budget_policy::queue_timeout.
inline error queue_error(const std::string& doing) {
    error e = make_error(errc::timeout, "waited longer than the queue timeout for the request budget (" + doing + ")",
                         "lower the concurrency, add credentials, or raise budget.queue_timeout");
    e.code = std::string(codes::queue_timeout);
    return e;
}

/// The error of an operation that ran out of time `doing` something: its lookup timeout (code
/// deadline), or its wait for the budget before the first request (code queue_timeout).
inline error expired_error(const op_deadline& d, const std::string& doing) {
    if (d.started) {
        error e = make_error(errc::timeout, "the lookup deadline passed during the " + doing, deadline_hint());
        e.code = std::string(codes::deadline);
        return e;
    }
    return queue_error(doing);
}

/// The error of a call whose credential a 429 paused until `at`, longer than the retry ceiling
/// (a daily or org-wide limit): failing now, as the 429 itself would have.
inline error paused_error(time_point now, time_point at) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(at - now).count() + 1;
    error e = make_error(errc::rate_limited,
                         "Genesys Cloud asked every request of this client to wait " + std::to_string(wait) +
                             " s, more than the retry ceiling",
                         "a daily or org-wide limit: run the rest later");
    e.code = std::string(codes::retry_ceiling);
    e.retry_after_seconds = static_cast<int>(std::min<std::int64_t>(wait, 1 << 30));
    return e;
}
}  // namespace detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/api_error.hpp> ===================================================================
#ifndef GCX_API_ERROR_HPP
#define GCX_API_ERROR_HPP

// Turns a non-2xx Genesys answer into a gcx::error with a hint that says what to do, and words
// why a failed call was not retried (detail::explain_stop).
// Bodies are read as ErrorBody ({message, code, status, contextId, messageParams, ...}) or, for
// /oauth/token, the OAuth shape ({error, description, error_description}); a body that is
// neither (HTML from a proxy, a truncated answer) still gives a typed error.

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

// ======== <gcx/auth.hpp> ========================================================================
#ifndef GCX_AUTH_HPP
#define GCX_AUTH_HPP

// OAuth client credentials, as a shared token cache with a sans-I/O interface.
//
// One cache per set of credentials, shared by every lookup of a client (and every thread).
// A lookup asks acquire(now):
//   ready -> use ticket.token;
//   fetch -> this caller is the one that fetches: send request(), hand the answer to complete(),
//            and on failure either retry (its own decision) or abandon();
//   wait  -> another caller is fetching; wait (wait_for() blocks, on_change() calls back) and
//            ask again with the generation from the ticket;
//   failed-> the fetch this caller waited for failed for a reason that retrying cannot fix.
// So N concurrent lookups cause one token request ("single flight"). A token is renewed
// `refresh_window` before it expires; while that renewal is in flight the other callers go on
// with the old token as long as it has life left (so a refresh holds up only the caller that
// fetches), and a 401 invalidates exactly the token it rejected.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

namespace detail {
inline std::string base64(std::string_view in) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                 static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += tbl[(n >> 6) & 63];
        out += tbl[n & 63];
    }
    if (i < in.size()) {
        auto n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += i + 1 < in.size() ? tbl[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}
}  // namespace detail

/// The longest token lifetime (`expires_in`, seconds) gcx accepts: 10 years.
inline constexpr std::int64_t max_token_lifetime = 10LL * 365 * 86400;

/// A parsed token answer.
struct token_grant {
    secret access_token;
    std::chrono::seconds expires_in{0};
};

/// Parses a 2xx answer of POST /oauth/token: {"access_token", "token_type":"bearer", "expires_in"}.
template <class J>
result<token_grant> parse_token_response(std::string_view body) {
    auto bad = [](std::string why) {
        error e = make_error(errc::protocol, "unreadable token response: " + std::move(why),
                             "the login URL may point at something that is not Genesys Cloud's /oauth/token "
                             "(a wrong region or GCX_LOGIN_URL, a proxy or captive portal answering instead)");
        e.code = std::string(codes::token_response);
        return e;
    };
    auto v = J::parse(body, 16);
    if (!v) return bad("not JSON");
    if (J::kind_of(*v) != json::kind::object) return bad("not a JSON object");
    const auto* tok = J::find(*v, "access_token");
    if (!tok || J::kind_of(*tok) != json::kind::string || J::get_string(*tok).empty()) return bad("no access_token");
    // The token goes into an Authorization header as it is: a byte that cannot stand there (a
    // space, CR/LF or another control character, non-ASCII) is the server's fault, not the caller's.
    for (char c : J::get_string(*tok))
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return bad("access_token has a character that cannot be sent in a header (a space, a control "
                       "character or non-ASCII)");
    if (const auto* tt = J::find(*v, "token_type")) {
        if (J::kind_of(*tt) != json::kind::string || !http::iequals(J::get_string(*tt), "bearer"))
            return bad("token_type is not bearer");
    }
    // Genesys always sends expires_in; if a proxy drops it, assume the documented default (24 h).
    // Present, it must be a JSON integer (no string, fraction or exponent) in (0, 10 years].
    std::int64_t exp = 86400;
    if (const auto* e = J::find(*v, "expires_in")) {
        if (J::kind_of(*e) != json::kind::integer) return bad("expires_in is not an integer");
        exp = J::get_int(*e);
    }
    if (exp <= 0 || exp > max_token_lifetime) return bad("expires_in out of range");
    return token_grant{secret(std::string(J::get_string(*tok))), std::chrono::seconds{exp}};
}

class token_cache {
public:
    enum class state { ready, fetch, wait, failed };

    struct ticket {
        state st = state::wait;
        secret token;                  ///< for ready
        std::uint64_t generation = 0;  ///< for wait: pass it back to acquire() and wait_for()
        gcx::error failure;            ///< for failed
    };

    static constexpr std::uint64_t no_generation = ~std::uint64_t{0};

    /// `refused_backoff`: how long a refusal of the credentials (or another failure that another
    /// try cannot fix) is remembered: every caller gets it at once, without a token request.
    token_cache(std::string client_id, secret client_secret, std::string login_base_url,
                std::chrono::seconds refresh_window = std::chrono::seconds{60},
                milliseconds refused_backoff = milliseconds{60000})
        : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)),
          token_url_(std::move(login_base_url) + "/oauth/token"), refresh_window_(refresh_window),
          // At most 400 days: added to a time point, a longer one (max() for "for ever") would
          // overflow into the past and forget the refusal at once.
          refused_backoff_(std::clamp<milliseconds>(refused_backoff, milliseconds{0}, longest_wait)) {}

    token_cache(const token_cache&) = delete;
    token_cache& operator=(const token_cache&) = delete;

    /// What the caller should do to get a token. `waited` is the generation of a previous
    /// `wait` ticket (no_generation on a first call).
    ticket acquire(time_point now, std::uint64_t waited = no_generation) {
        std::lock_guard<std::mutex> lk(m_);
        ticket t;
        // Hands out the token held, if `now` is before `until` (stale_at_: it is fresh;
        // usable_until_: it is lent out while it still works).
        const auto lend = [&](time_point until) {
            if (token_.empty() || now >= until) return false;
            t.st = state::ready;
            t.token = token_;
            return true;
        };
        if (lend(stale_at_)) return t;
        if (fetching_) {
            if (lend(usable_until_)) return t;  // a renewal in flight: the old one still works
            t.st = state::wait;
            t.generation = generation_;
            return t;
        }
        // The last fetch ended in a failure that another try cannot fix: the callers that waited
        // for it, and every caller until the back-off has passed, get it as it is; so do the
        // callers that waited for a fetch that spent its retries (abandon). A token obtained
        // before it (a refused renewal) is lent out until a little before it expires.
        const bool waited_for_it = waited != no_generation && waited < generation_;
        if (has_failure_ && ((!is_transient(failure_) && (now < failed_until_ || waited_for_it)) ||
                             (failure_spent_ && waited_for_it))) {
            if (lend(usable_until_)) return t;
            t.st = state::failed;
            t.failure = failure_;
            return t;
        }
        fetching_ = true;
        t.st = state::fetch;
        return t;
    }

    /// The token held while it is fresh (before its renewal is due), without leading a fetch or
    /// waiting for one: what a call can send with at once on this credential.
    std::optional<secret> fresh_token(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (token_.empty() || now >= stale_at_) return std::nullopt;
        return token_;
    }

    /// Whether a caller leads a token fetch now (when it ends is not known).
    bool fetching() const {
        std::lock_guard<std::mutex> lk(m_);
        return fetching_;
    }

    /// The token request (Basic auth, form body). Only the fetching caller sends it.
    http::request request(milliseconds timeout) const {
        http::request r;
        r.verb = http::method::post;
        r.url = token_url_;
        r.fields.push_back({"Authorization", "Basic " + detail::base64(client_id_ + ":" + client_secret_.reveal())});
        r.fields.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        r.fields.push_back({"Accept", "application/json"});
        r.body = "grant_type=client_credentials";
        r.timeout = timeout;
        return r;
    }

    /// The fetching caller hands in the answer to the request it sent at `sent` (the token's life
    /// is counted from then: the server may have issued it at once, and a slow answer must not
    /// make it look younger). On success the token is stored, waiters are woken, and the token is
    /// returned. On failure the fetch stays in flight: the caller retries (same request) or calls
    /// abandon().
    template <class J>
    result<secret> complete(const http::response& r, time_point sent) {
        if (r.status < 200 || r.status > 299) return error_from_response<J>(r, operation::token);
        auto g = parse_token_response<J>(r.body);
        if (!g) return g.error();
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard<std::mutex> lk(m_);
            token_ = g->access_token;
            // A short-lived token renews at half its life at the latest, never "always stale".
            auto window = std::min<std::chrono::seconds>(refresh_window_, g->expires_in / 2);
            stale_at_ = sent + (g->expires_in - window);
            // Lent out during a renewal until a little before it expires (a tenth of its life,
            // 1 to 10 s, and never past half of it: the request's own time on the way).
            const auto margin = std::min(
                std::clamp<std::chrono::seconds>(g->expires_in / 10, std::chrono::seconds{1}, std::chrono::seconds{10}),
                g->expires_in / 2);
            usable_until_ = sent + (g->expires_in - margin);
            fetching_ = false;
            has_failure_ = false;
            ++generation_;
            ++tokens_fetched_;
            cbs.swap(callbacks_);
        }
        cv_.notify_all();
        for (auto& cb : cbs) cb();
        return g->access_token;
    }

    /// The fetching caller gives up with `e` at `now`; waiters wake and either fail with it (when
    /// it is not transient: then every caller does, for the back-off) or take over the fetch.
    /// `spent`: the caller gave up because it spent its retries on `e` (a login URL that refused
    /// every connection, a token endpoint answering 5xx each time), not for a reason of its own
    /// (its deadline, a cancel, a move to another credential): the callers that waited for this
    /// fetch fail with it too, instead of each trying as many times again. Later callers try anew.
    void abandon(const gcx::error& e, time_point now, bool spent = false) {
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard<std::mutex> lk(m_);
            fetching_ = false;
            has_failure_ = true;
            failure_ = e;
            failure_spent_ = spent;
            if (!is_transient(e)) {
                failed_until_ = now + refused_backoff_;
                ++refusals_;
            }
            ++generation_;
            cbs.swap(callbacks_);
        }
        cv_.notify_all();
        for (auto& cb : cbs) cb();
    }

    /// Blocks until the fetch of `generation` ended or `max_wait` passed (synchronous drivers).
    void wait_for(std::uint64_t generation, milliseconds max_wait) {
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait_for(lk, max_wait, [&] { return generation_ != generation || !fetching_; });
    }

    /// Calls `cb` once, when the fetch in flight ends (asynchronous drivers). If none is in
    /// flight, calls it at once.
    void on_change(std::function<void()> cb) {
        {
            std::lock_guard<std::mutex> lk(m_);
            if (fetching_) {
                callbacks_.push_back(std::move(cb));
                return;
            }
        }
        cb();
    }

    /// A 401 said `rejected` is no good: drop it, unless a newer token already replaced it.
    void invalidate(const secret& rejected) {
        std::lock_guard<std::mutex> lk(m_);
        if (token_ == rejected) token_ = secret();
    }

    /// The API answered a request made with one of this cache's tokens (a 2xx).
    void accepted() noexcept {
        if (!accepted_.load(std::memory_order_relaxed)) accepted_.store(true, std::memory_order_relaxed);
    }
    /// Whether the API ever took one of its tokens: then a 401 is no refusal of the credentials.
    bool ever_accepted() const noexcept { return accepted_.load(std::memory_order_relaxed); }

    /// A 401 refused `rejected` though it was fresh (the API does not take this client's tokens:
    /// an IP allow-list, a client of another org or region): remembered as a refusal of the
    /// credentials (`e`, scrubbed), so that no lookup fetches a token only to have it refused
    /// until the back-off has passed. Nothing changes if a newer token already replaced it.
    /// What later lookups fail with is `e`'s status, code, hint and correlation id, never the
    /// server's message, path or execution id: the answer was to one lookup's request, and may
    /// quote its inputs (its phone number), which no other lookup may show.
    void refuse(const secret& rejected, const gcx::error& e, time_point now) {
        std::lock_guard<std::mutex> lk(m_);
        if (fetching_ || !(token_ == rejected || token_.empty())) return;
        token_ = secret();
        has_failure_ = true;
        failure_ = e;
        failure_.message = "an earlier request was answered HTTP " + std::to_string(e.http_status) +
                           (e.code.empty() ? std::string() : " (" + e.code + ")") +
                           " with a fresh token of this OAuth client; remembered: lookups on it fail without "
                           "asking again for " +
                           std::to_string(refused_backoff_.count() / 1000) + " s";
        failure_.path.clear();
        failure_.execution_id.clear();
        failed_until_ = now + refused_backoff_;
        ++refusals_;
    }

    /// Whether a lookup given these credentials at `now` would fail at once: a refusal (a failure
    /// another try cannot fix) is remembered, and no token obtained before it is still fresh.
    /// session::pick and session::sooner_credential pass over such credentials.
    bool refused(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        return has_failure_ && !is_transient(failure_) && now < failed_until_ && !fetching_ &&
               (token_.empty() || now >= usable_until_);
    }

    /// How many tokens this cache obtained (for tests and statistics).
    std::uint64_t tokens_fetched() const {
        std::lock_guard<std::mutex> lk(m_);
        return tokens_fetched_;
    }

    /// How many times the credentials were refused (failures remembered for the back-off).
    std::uint64_t refusals() const {
        std::lock_guard<std::mutex> lk(m_);
        return refusals_;
    }

    /// Whether another try may succeed where `e` failed (the next waiter then fetches again).
    /// A 2xx answer that is not a token (a login page, a captive portal) is tried twice by the
    /// fetching caller, then remembered like a refusal, as a redirect (a wrong login URL) is: the
    /// login URL answers that way every time, and each lookup of a batch asking again cost two
    /// requests at the token pace for the same error.
    static bool is_transient(const gcx::error& e) noexcept {
        const errc k = e.kind;
        return (k == errc::transport || k == errc::timeout || k == errc::rate_limited || k == errc::server ||
                k == errc::protocol) &&
               !detail::is_permanent_transport_failure(e) && e.code != codes::retry_ceiling &&
               e.code != codes::redirect &&      // a redirect is the URL's answer, every time
               e.code != codes::token_response;  // and so is a login page
    }

private:
    const std::string client_id_;
    const secret client_secret_;
    const std::string token_url_;
    const std::chrono::seconds refresh_window_;
    const milliseconds refused_backoff_;

    mutable std::mutex m_;
    std::condition_variable cv_;
    secret token_;
    time_point stale_at_{};
    time_point usable_until_{};
    bool fetching_ = false;
    bool has_failure_ = false;
    bool failure_spent_ = false;  ///< the fetch that failed spent its retries (abandon)
    gcx::error failure_;
    time_point failed_until_{};
    std::uint64_t refusals_ = 0;
    std::uint64_t generation_ = 0;
    std::uint64_t tokens_fetched_ = 0;
    std::vector<std::function<void()>> callbacks_;
    std::atomic<bool> accepted_{false};  // accepted()
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/credential_scrub.hpp> ============================================================
#ifndef GCX_CREDENTIAL_SCRUB_HPP
#define GCX_CREDENTIAL_SCRUB_HPP

// detail::for_each_credential and detail::scrub_credentials: every credential text a call of a
// client knows (the access token it holds, each OAuth client's secret and Basic credential), and
// removing them from what leaves gcx. Servers sometimes echo what they were sent; whatever a
// server echoed back, no credential leaves in an error (api_call::scrub, call.hpp) or in a
// server-chosen text kept outside one (an execution id, the path an event shows).

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

GCX_NAMESPACE_BEGIN
namespace detail {

/// Calls `f` with each credential text: `token` (the call's access token; skipped when empty),
/// then for the main OAuth client and each of `cfg.extra_credentials` its secret and its Basic
/// credential (base64 of "id:secret", as the token request sends it).
template <class F>
void for_each_credential(const client_config& cfg, const secret& token, F&& f) {
    if (!token.empty()) f(token.reveal());
    f(cfg.client_secret.reveal());
    f(base64(cfg.client_id + ":" + cfg.client_secret.reveal()));
    for (const auto& k : cfg.extra_credentials) {
        f(k.client_secret.reveal());
        f(base64(k.client_id + ":" + k.client_secret.reveal()));
    }
}

/// Replaces every credential for_each_credential names with "[REDACTED]" in every text of `e`
/// (redact, error.hpp: a cut tail of one too).
inline void scrub_credentials(error& e, const client_config& cfg, const secret& token) {
    for_each_credential(cfg, token, [&e](std::string_view c) { redact(e, c); });
}
/// The same in one text.
inline void scrub_credentials(std::string& text, const client_config& cfg, const secret& token) {
    for_each_credential(cfg, token, [&text](std::string_view c) { redact(text, c); });
}

/// The bytes of one separator a server may group a number's digits with, at `s[k]` (0: none): an
/// ASCII space or punctuation byte ("317-555 0123", "(317)", "317_555", "317,555"), a percent-
/// encoded one ("317%20555"), or a Unicode space in UTF-8 (U+00A0, U+2000 to U+200A, U+202F, as
/// a locale's number formatting writes them).
inline std::size_t digit_separator(std::string_view s, std::size_t k) noexcept {
    auto at = [&s](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    auto alnum = [](unsigned c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    auto hex = [](unsigned c) -> int {
        if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
        if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
        if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
        return -1;
    };
    const unsigned c = at(k);
    if (c == '%' && hex(at(k + 1)) >= 0 && hex(at(k + 2)) >= 0) {
        const unsigned decoded = static_cast<unsigned>(hex(at(k + 1)) * 16 + hex(at(k + 2)));
        return decoded >= 0x20 && decoded < 0x7f && !alnum(decoded) ? 3 : 0;
    }
    if (c >= 0x20 && c < 0x7f) return alnum(c) ? 0 : 1;
    if (c == 0xC2 && at(k + 1) == 0xA0) return 2;
    if (c == 0xE2 && at(k + 1) == 0x80 && ((at(k + 2) >= 0x80 && at(k + 2) <= 0x8A) || at(k + 2) == 0xAF)) return 3;
    return 0;
}

/// Replaces with "[phone number]" every run of digits (up to three separators between them:
/// digit_separator) that holds the last 7 digits of `digits`, or is 7 or more of its digits in a
/// row, or 4 or more cut by clip ("..." right after): the number as a server may reformat it, in
/// national form or grouped ("317-555-0123", "(317) 555 0123", "3175550123"), whole or cut.
inline void redact_digit_runs(std::string& s, std::string_view digits) {
    constexpr std::size_t tail_size = 7;
    if (digits.size() < tail_size) return;
    const std::string_view tail = digits.substr(digits.size() - tail_size);
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::string out, run_digits;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (!digit(s[i])) {
            out += s[i++];
            continue;
        }
        std::size_t end = i;  // one past the run's last digit
        run_digits.clear();
        for (std::size_t j = i; j < s.size();) {
            if (digit(s[j])) {
                run_digits += s[j++];
                end = j;
                continue;
            }
            std::size_t k = j;  // at most three separators in a row ("(317) 555", "317 - 555"), then a digit
            for (int n = 0; n < 3 && k < s.size(); ++n) {
                const std::size_t len = digit_separator(s, k);
                if (len == 0) break;
                k += len;
            }
            if (k == j || k >= s.size() || !digit(s[k])) break;
            j = k;
        }
        const bool cut = s.compare(end, 3, "...") == 0;
        const bool part = run_digits.size() >= (cut ? 4u : 7u) && digits.find(run_digits) != std::string_view::npos;
        out += run_digits.find(tail) != std::string::npos || part ? "[phone number]" : s.substr(i, end - i);
        i = end;
    }
    s = std::move(out);
}

/// Replaces the number looked up (E.164, "+13175550123") in an error or a text, in every form a
/// server may echo it: as sent in a JSON body, percent-encoded as sent in a query ("%2B1317...",
/// either case), its digits alone, and any run of digits holding its last seven (redact_digit_runs).
template <class Text>
void redact_number(Text& t, std::string_view number) {
    if (number.empty()) return;
    const std::string_view digits = number[0] == '+' ? number.substr(1) : number;
    redact(t, number, "[phone number]");
    redact(t, "%2B" + std::string(digits), "[phone number]");
    redact(t, "%2b" + std::string(digits), "[phone number]");
    redact(t, digits, "[phone number]");
    if constexpr (std::is_same_v<Text, error>) for_each_text(t, [&](std::string& s) { redact_digit_runs(s, digits); });
    else redact_digit_runs(t, digits);
}

}  // namespace detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/linkage.hpp> =====================================================================
#ifndef GCX_LINKAGE_HPP
#define GCX_LINKAGE_HPP

// Where the opt-in of docs/compile-time.md puts the library's heavier non-template functions.
//
// By default every function is defined in the headers (inline): nothing to link. With the opt-in,
// every unit of the program defines GCX_EXTERN_TEMPLATES and sees only the declarations of the
// functions marked GCX_DETAIL_INLINE, and the one .cpp that defines GCX_INSTANTIATE_TEMPLATES
// compiles their definitions, once, as ordinary functions. A header writes such a function as
//
//     #if GCX_DETAIL_DEFINITIONS
//     GCX_DETAIL_INLINE result<session> session::create(...) { ... }
//     #endif
//
// (the pattern of Boost.Asio's and Boost.JSON's separate compilation). Either macro changes what
// the unit compiles, never what a function does. These functions do not depend on the JSON backend:
// a program that defines GCX_EXTERN_TEMPLATES needs its GCX_INSTANTIATE_TEMPLATES unit whichever
// backend it uses (without it the link fails, on gcx::session::create among others).

#if defined(GCX_INSTANTIATE_TEMPLATES)
#define GCX_DETAIL_DEFINITIONS 1
#define GCX_DETAIL_INLINE
#elif defined(GCX_EXTERN_TEMPLATES)
#define GCX_DETAIL_DEFINITIONS 0
#define GCX_DETAIL_INLINE
#else
#define GCX_DETAIL_DEFINITIONS 1
#define GCX_DETAIL_INLINE inline
#endif

#endif

// ======== <gcx/refusal_memory.hpp> ==============================================================
#ifndef GCX_REFUSAL_MEMORY_HPP
#define GCX_REFUSAL_MEMORY_HPP

// An answer that says the configuration names nothing, remembered for a while. A launch answered
// 404 (the flow id names no flow in this org and region) is the same answer for every number: the
// lookups that follow fail at once with it, without a request, until the back-off has passed;
// then the next lookup asks again (a flow published meanwhile is found). A batch of 2,000 numbers
// with a wrong flow id spends a handful of requests instead of 2,000. What is handed on is the
// answer's status, code, hint and correlation id, never the server's message (which may quote
// the first lookup's inputs). A data action's 404 is not remembered: the status its remote's
// own "not found" is given is not documented, so it may be one number's answer.
// Sans-I/O (the caller hands in the time); thread-safe.

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

class refusal_memory {
public:
    /// `backoff`: how long a refusal is remembered (0: never; at most longest_wait, so that adding
    /// it to a time point cannot overflow).
    explicit refusal_memory(milliseconds backoff)
        : backoff_(std::clamp<milliseconds>(backoff, milliseconds{0}, longest_wait)) {}
    refusal_memory(const refusal_memory&) = delete;
    refusal_memory& operator=(const refusal_memory&) = delete;

    /// The server refused `what` (a flow id, an action id) with `e` at `now`: remembered until
    /// now + the back-off, in place of any earlier refusal.
    void remember(std::string_view what, const error& e, time_point now) {
        if (backoff_.count() == 0) return;
        std::lock_guard<std::mutex> lk(m_);
        what_ = std::string(what);
        refusal_ = e;
        refusal_->message = "an earlier lookup's request was answered HTTP " + std::to_string(e.http_status) +
                            (e.code.empty() ? std::string() : " (" + e.code + ")") +
                            "; remembered: later lookups fail with that answer without asking again for " +
                            std::to_string(backoff_.count() / 1000) + " s";
        refusal_->path.clear();
        refusal_->execution_id.clear();
        until_ = now + backoff_;
        ++remembered_;
    }

    /// The refusal a lookup of `what` starting at `now` fails with, if one is remembered.
    std::optional<error> recall(std::string_view what, time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (!refusal_ || now >= until_ || what != what_) return std::nullopt;
        return refusal_;
    }

    /// How many refusals were remembered (each one answer from the server).
    std::uint64_t remembered() const {
        std::lock_guard<std::mutex> lk(m_);
        return remembered_;
    }

private:
    const milliseconds backoff_;
    mutable std::mutex m_;
    std::string what_;
    std::optional<error> refusal_;
    time_point until_{};
    std::uint64_t remembered_ = 0;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/session.hpp> =====================================================================
#ifndef GCX_SESSION_HPP
#define GCX_SESSION_HPP

// gcx::session: what every operation of one client shares, behind one cheap, copyable handle:
//   - the configuration, checked once when the session is made (a session cannot hold an
//     invalid one, so no operation validates it again);
//   - per credential: the token cache, the request budget (request_governor) and the token
//     requests' own budget;
//   - the run times learned per flow (run_time_stats), for the poll schedule;
//   - a launch's 404 (no such flow), remembered for a while (refusal_memory);
//   - the source of retry jitter.
// basic_client holds one; drivers of their own (an event loop, Asio) make one with
// session::create and hand it to each operation. Copies share everything; thread-safe.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

class session {
public:
    /// A session for `cfg`, or the configuration error (nothing is sent either way).
    static result<session> create(client_config cfg, jitter_fn jitter = {});

    const client_config& config() const noexcept { return s_->cfg; }
    /// False only for a session that was moved from.
    bool valid() const noexcept { return s_ != nullptr; }

    /// How many credentials (OAuth clients) the session spreads its requests over.
    std::size_t credentials() const noexcept { return s_->creds.size(); }
    token_cache& tokens(std::size_t credential = 0) const { return s_->creds.at(credential)->tokens; }
    request_governor& budget(std::size_t credential = 0) const { return s_->creds.at(credential)->budget; }
    request_governor& token_budget(std::size_t credential = 0) const { return s_->creds.at(credential)->token_budget; }
    run_time_stats& run_times() const noexcept { return s_->runs; }
    /// A launch answered 404 (no such flow), remembered: refused_launches().recall(now).
    refusal_memory& refused_launches() const noexcept { return s_->launches_refused; }

    /// The credential a new lookup should use: the one whose budget has room first; among those
    /// with room now, the one given the fewest lookups (lookups made together spread evenly).
    /// Credentials whose refusal is remembered (token_cache::refused) are passed over while any
    /// other is left: their budget is always free, as nothing can be sent with them.
    std::size_t pick(time_point now) const {
        std::size_t best = 0;
        time_point best_at = time_point::max();
        std::uint64_t best_count = 0;
        bool best_refused = true;
        for (std::size_t i = 0; i < s_->creds.size(); ++i) {
            const bool refused = s_->creds.size() > 1 && s_->creds[i]->tokens.refused(now);
            if (refused && !best_refused) continue;
            const auto at = could_send_at(i, now);
            const auto count = s_->creds[i]->picked.load(std::memory_order_relaxed);
            if ((best_refused && !refused) || at < best_at || (at == best_at && count < best_count)) {
                best = i;
                best_at = at;
                best_count = count;
                best_refused = refused;
            }
        }
        s_->creds[best]->picked.fetch_add(1, std::memory_order_relaxed);
        return best;
    }

    /// When `current` is refused for good (token_cache::refused: an invalid_client remembered), the
    /// credential not refused whose budget has room first; else `current`.
    std::size_t instead_of_refused(std::size_t current, time_point now) const {
        if (!s_->creds.at(current)->tokens.refused(now)) return current;
        return sooner_credential(current, now, time_point::max());
    }

    /// A number for the next lookup's events (event::lookup): 1, 2, ... per session.
    std::uint64_t next_lookup_id() const noexcept { return s_->lookups.fetch_add(1, std::memory_order_relaxed) + 1; }

    /// A place in the queue of fresh requests (request_governor::admit's ticket), one order for
    /// every credential: a call waiting its turn holds the same ticket in each credential's queue.
    std::uint64_t next_ticket() const noexcept { return s_->tickets.fetch_add(1, std::memory_order_relaxed) + 1; }

    /// When credential `i` could send a request asked for now: when its budget has room, and,
    /// while it holds no fresh token, not before its token requests may go (a 429 pauses them too),
    /// nor, while another caller fetches its token, before that request could time out (when it
    /// ends is unknown: sooner than a long pause, not sooner than a short wait). Every move between
    /// credentials compares these: a call only moves to one that can send clearly sooner, so moves end.
    time_point could_send_at(std::size_t i, time_point now) const {
        const per_credential& c = *s_->creds.at(i);
        const time_point at = c.budget.next_free(now);
        if (c.tokens.fresh_token(now)) return at;
        if (c.tokens.fetching()) return std::max(at, now + s_->cfg.request_timeout);
        return std::max(at, c.token_budget.next_free(now));
    }

    /// The credential other than `current` whose budget has room soonest, if that is before
    /// `before`; else `current` (instead_of_refused). A credential whose refusal is remembered is
    /// never one.
    std::size_t sooner_credential(std::size_t current, time_point now, time_point before) const {
        std::size_t best = current;
        for (std::size_t i = 0; i < s_->creds.size(); ++i) {
            if (i == current || s_->creds[i]->tokens.refused(now)) continue;
            const time_point free_at = could_send_at(i, now);
            if (free_at < before) {
                best = i;
                before = free_at;
            }
        }
        return best;
    }

    /// A jitter value in [0, 1).
    double jitter() const {
        std::lock_guard<std::mutex> lk(s_->jitter_m);
        return s_->jitter ? s_->jitter() : detail::default_jitter();
    }
    /// Replaces the source of retry jitter (for tests and simulations); shared by every copy, and
    /// safe while lookups run (they draw under the same lock).
    void set_jitter(jitter_fn j) {
        std::lock_guard<std::mutex> lk(s_->jitter_m);
        s_->jitter = std::move(j);
    }

private:
    struct per_credential {
        per_credential(const client_config& c, const credential& k)
            : tokens(k.client_id, k.client_secret, c.endpoints.login, c.token_refresh_window,
                     c.refused_credentials_backoff),
              budget(c.budget.requests_per_minute, c.budget),
              token_budget(c.budget.token_requests_per_minute, c.budget) {}
        token_cache tokens;
        request_governor budget;
        request_governor token_budget;
        std::atomic<std::uint64_t> picked{0};  // lookups given this credential
    };
    struct shared {
        explicit shared(milliseconds unknown_target_backoff) : launches_refused(unknown_target_backoff) {}
        client_config cfg;
        std::vector<std::unique_ptr<per_credential>> creds;
        run_time_stats runs;
        refusal_memory launches_refused;
        jitter_fn jitter;
        std::mutex jitter_m;                    // guards jitter: set_jitter may run beside lookups
        std::atomic<std::uint64_t> lookups{0};  // lookup ids handed out
        std::atomic<std::uint64_t> tickets{0};  // places in the fresh requests' queue handed out
    };

    session(client_config cfg, jitter_fn jitter);

    std::shared_ptr<shared> s_;
};

#if GCX_DETAIL_DEFINITIONS
GCX_DETAIL_INLINE result<session> session::create(client_config cfg, jitter_fn jitter) {
    if (auto v = cfg.validate(); !v) return v.error();
    return session(std::move(cfg), std::move(jitter));
}

GCX_DETAIL_INLINE session::session(client_config cfg, jitter_fn jitter)
    : s_(std::make_shared<shared>(cfg.unknown_target_backoff)) {
    s_->cfg = std::move(cfg);
    s_->jitter = std::move(jitter);
    s_->creds.push_back(
        std::make_unique<per_credential>(s_->cfg, credential{s_->cfg.client_id, s_->cfg.client_secret}));
    for (const auto& k : s_->cfg.extra_credentials) s_->creds.push_back(std::make_unique<per_credential>(s_->cfg, k));
}
#endif

GCX_NAMESPACE_END

#endif

// ======== <gcx/call_events.hpp> =================================================================
#ifndef GCX_CALL_EVENTS_HPP
#define GCX_CALL_EVENTS_HPP

// detail::call_events: what an api_call (call.hpp) keeps and does to raise its events
// (events.hpp): the lookup it belongs to, the path its events show, when its request went out and
// since when it waits for the budget; and the events themselves, built from the call's context
// and scrubbed with the call's own scrubber (which knows the credentials). Sans-I/O like the call:
// every time is handed in. Nothing here runs unless the configuration has a hook.

#include <cstdint>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace detail {

/// The call an event is about, as api_call describes it at the time.
struct call_context {
    const client_config& cfg;
    std::size_t credential;
    operation op;               ///< the call's operation, or operation::token for its token request
    const http::request& base;  ///< the call's request (not used for a token request)
    int attempt;                ///< 1 for the first try
};

class call_events {
public:
    void set_lookup_id(std::uint64_t id) noexcept { lookup_id_ = id; }
    std::uint64_t lookup_id() const noexcept { return lookup_id_; }
    /// The path events show instead of the URL's (a server-chosen id before scrubbing); empty: the URL's.
    void set_shown_path(std::string path) { shown_path_ = std::move(path); }

    /// The request went out now (its answer's duration counts from here).
    void sent(time_point now) noexcept { sent_at_ = now; }
    /// The call was told to wait for the budget (only the first of a row of waits counts).
    void wait(time_point now) noexcept {
        if (waiting_) return;
        waiting_ = true;
        wait_since_ = now;
    }

    /// Raises `k` about the call in `c`, with its method, path (scrubbed), attempt, credential and
    /// lookup; `fill` adds the rest.
    template <class Scrub, class Fill>
    void raise(event_kind k, const call_context& c, time_point now, const Scrub& scrub, Fill&& fill) const {
        const bool token = c.op == operation::token;
        std::string path = token                 ? std::string(event_path(c.cfg.endpoints.login)) + "/oauth/token"
                           : shown_path_.empty() ? std::string(event_path(c.base.url))
                                                 : shown_path_;
        scrub(path);
        event e;
        e.kind = k;
        e.at = now;
        e.lookup = lookup_id_;
        e.operation = c.op;
        e.credential = c.credential;
        e.method = token ? "POST" : http::to_string(c.base.verb);
        e.path = path;
        e.attempt = c.attempt;
        fill(e);
        detail::raise(c.cfg.on_event, e);
    }

    /// request_sent, after the budget_wait that ended with it (if it waited).
    template <class Scrub>
    void request_sent(const call_context& c, time_point now, const Scrub& scrub) {
        if (waiting_) {
            waiting_ = false;
            raise(event_kind::budget_wait, c, now, scrub, [&](event& e) { e.duration = remaining(wait_since_, now); });
        }
        raise(event_kind::request_sent, c, now, scrub, [](event&) {});
    }

    /// request_answered: the status (and correlation id), or the failure's kind and code.
    template <class Scrub>
    void answered(const call_context& c, const result<http::response>& r, time_point now, const Scrub& scrub) const {
        std::string code;
        if (!r) {
            code = r.error().code;
            scrub(code);
        }
        raise(event_kind::request_answered, c, now, scrub, [&](event& e) {
            e.duration = remaining(sent_at_, now);
            if (r) {
                e.status = r->status;
                if (const auto* id = r->header("ININ-Correlation-Id")) e.correlation_id = event_safe_id(*id);
            } else {
                e.error_kind = to_string(r.error().kind);
                e.error_code = event_safe_code(code);
            }
        });
    }

    /// token_fetched: the token request in `c` gave a token.
    template <class Scrub>
    void token_fetched(const call_context& c, time_point now, const Scrub& scrub) const {
        raise(event_kind::token_fetched, c, now, scrub, [&](event& e) { e.duration = remaining(sent_at_, now); });
    }

    /// What was decided about a failed attempt: retry_scheduled (a retry, or a token renewal), or
    /// token_refused for a token request that stops. (A call that stops otherwise shows in its
    /// operation's outcome.)
    template <class Scrub>
    void decided(const call_context& c, const retry_decision& d, const error& failure, time_point now,
                 const Scrub& scrub) const {
        using v = retry_decision::verdict;
        if (d.what == v::stop && c.op != operation::token) return;
        std::string code = failure.code;
        scrub(code);
        const event_kind k = d.what == v::stop ? event_kind::token_refused : event_kind::retry_scheduled;
        raise(k, c, now, scrub, [&](event& e) {
            e.status = failure.http_status;
            e.error_kind = to_string(failure.kind);
            e.error_code = event_safe_code(code);
            if (d.what == v::retry) {
                e.reason = d.reason;
                e.duration = d.delay;
            } else if (d.what == v::renew_token) {
                e.reason = "token_renewal";
            }
        });
    }

private:
    std::string shown_path_;
    std::uint64_t lookup_id_ = 0;
    time_point sent_at_{};
    time_point wait_since_{};
    bool waiting_ = false;
};

}  // namespace detail
GCX_NAMESPACE_END

#endif

// ======== <gcx/call_state.hpp> ==================================================================
#ifndef GCX_CALL_STATE_HPP
#define GCX_CALL_STATE_HPP

// What one api_call (call.hpp) holds: its session and credential, the request, where it stands,
// its token, its retries, its events and its outcome; and the bookkeeping that needs no JSON
// backend (the waits credited to its deadline, its turn in the budget's queues of every credential,
// its moves between credentials, giving back its place and its lead on a token fetch), the same for every backend. A call is moved
// (an operation kept in a growing container, a lookup replacing its launch call by its poll call);
// its moves are the members' own, so that a member added tomorrow cannot be left out of them. The
// two things that belong to one call at a time, its lead on the token fetch and its place in the
// budget's queue, are handed_over: a move leaves them empty in the source, whose destructor then
// releases nothing.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {

/// A value one object holds at a time: a move hands it over and leaves the source's at T{}.
template <class T>
class handed_over {
public:
    handed_over() = default;
    handed_over(T v) noexcept : v_(v) {}  // implicit, both ways: a drop-in for the T it holds
    handed_over(handed_over&& o) noexcept : v_(std::exchange(o.v_, T{})) {}
    handed_over& operator=(handed_over&& o) noexcept {
        v_ = std::exchange(o.v_, T{});
        return *this;
    }
    operator T&() noexcept { return v_; }

private:
    T v_{};
};

enum class call_phase { need_token, token_send, token_sent, ready, sent, sleeping, finished };

/// Everything an api_call holds. Its moves are the members' own, so that no member can be left
/// out of them; the call's lead on a token fetch and its place in the budget's queue belong to
/// one call at a time and stay empty in the source.
struct api_call_state {
    api_call_state(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
                   op_deadline deadline)
        : s_(std::move(s)), cred_(credential), op_(op), idempotent_(idempotent), kind_(kind), deadline_(deadline) {}

    session s_;
    std::size_t cred_ = 0;
    operation op_ = operation::launch;
    bool idempotent_ = false;
    request_governor::kind kind_ = request_governor::kind::fresh;
    op_deadline deadline_;
    http::request base_;
    call_phase phase_ = call_phase::finished;
    call_phase resume_ = call_phase::ready;
    time_point until_{};
    time_point last_now_{};
    time_point sent_at_{};
    time_point paused_credit_{};  // waits credited to the deadline up to here (rate_limits_extend_deadline)
    std::uint64_t waited_ = token_cache::no_generation;
    secret token_;
    handed_over<bool> leader_;           // this call fetches the token the others wait for
    handed_over<std::uint64_t> ticket_;  // place in the budget's queue of fresh requests (0: none)
    std::uint64_t place_ = 0;            // the ticket it was let through with (fresh calls; requeue_elsewhere)
    int retries_ = 0;
    int token_retries_ = 0;
    int api_sends_ = 0;                                // sends of the API request, retries included
    int max_sends_ = std::numeric_limits<int>::max();  // limit_sends
    bool send_cap_hit_ = false;                        // a retry was not made: max_sends_ were spent
    bool token_moved_ = false;   // moved off a 429-answered token request: token_retries_ carries on
    std::size_t moves_now_ = 0;  // moves between credentials at moved_at_ (moves_spent)
    time_point moved_at_{};
    bool renewed_ = false;          // a 401 renewed the token; a second 401 in a row stops
    bool cut_by_deadline_ = false;  // the request in flight was given less than request_timeout
    call_events events_;            // its lookup, shown path and times, for events
    result<http::response> outcome_{make_error(errc::protocol, "call not started")};

    /// Whether the call may go with another of the client's credentials: a client of several, and
    /// not a check (it reads with the credential it checks).
    bool may_change_credential() const noexcept { return s_.credentials() > 1 && op_ != operation::check; }

    // Whether the call has moved between credentials twice per credential at this instant already:
    // whatever the budgets say, a step then stops moving (a bound on the loop of next()).
    bool moves_spent(time_point now) {
        if (now != moved_at_) moves_now_ = 0;
        moved_at_ = now;
        return moves_now_ >= 2 * s_.credentials();
    }
    void moved_to(std::size_t credential) {
        ++moves_now_;
        cred_ = credential;
        token_ = secret();
    }

    /// Until when the call may run: its deadline once started, else its queue bound.
    time_point bound() const noexcept { return deadline_.started ? deadline_.until() : deadline_.queue_until; }

    // A started call that waits until `at` for a 429's Retry-After or its credential's budget is
    // not charged for it (its deadline moves by the part not yet credited) while none of its API
    // requests went out (kind fresh: only its token), or with retry.rate_limits_extend_deadline.
    void credit_wait(time_point now, time_point at) {
        const bool fresh = kind_ == request_governor::kind::fresh;
        if (fresh) at = std::min(at, deadline_.queue_until);  // past it, the call fails (queue_timeout)
        const bool extend = s_.config().retry.rate_limits_extend_deadline && op_ != operation::check;
        if (!(fresh || extend) || !deadline_.started || at <= paused_credit_) return;
        deadline_.extend(remaining(std::max(now, paused_credit_), at));
        paused_credit_ = at;
    }

    // A 429 paused the whole credential for longer than the retry ceiling (a daily or org-wide
    // limit), past this call's bound: no use waiting for it, fail now as the 429 itself would.
    bool paused_past_ceiling(const request_governor& g, time_point now, time_point at) const {
        return at >= bound() && g.paused_until() >= at && remaining(now, at) > s_.config().retry.retry_after_ceiling;
    }

    // May the call send now (on cred_, with token_)? `now` if so (it is counted), else when to ask
    // again. A fresh call of a client with several credentials waits in one queue for all of them:
    // it holds the same ticket (session::next_ticket) in the queue of each credential it asks, and
    // goes with the first whose budget has room. So fresh requests leave in the order they were
    // first asked, whichever credential sends them (results printed in input order are not held up
    // behind one credential's longer queue). Besides its own, it asks only the credentials whose
    // token is fresh now (it sends at once with it: no token is fetched for a turn it may not take),
    // never a refused one; it moves to the one that takes it, with that token.
    time_point take_turn(time_point now) {
        if (kind_ != request_governor::kind::fresh) return s_.budget(cred_).admit(now, kind_, ticket_);
        if (ticket_ == 0) ticket_ = s_.next_ticket();
        const bool any = may_change_credential();
        const std::uint64_t held = ticket_;
        time_point at = s_.budget(cred_).admit(now, kind_, ticket_);
        for (std::size_t i = 0; any && at > now && i < s_.credentials(); ++i) {
            if (i == cred_) continue;
            auto token = s_.tokens(i).refused(now) ? std::nullopt : s_.tokens(i).fresh_token(now);
            if (!token) {
                s_.budget(i).forget(ticket_);  // not first there meanwhile (its ticket keeps its order)
                continue;
            }
            const time_point a = s_.budget(i).admit(now, kind_, ticket_);
            if (a > now) {
                at = std::min(at, a);
                continue;
            }
            cred_ = i;
            token_ = std::move(*token);
            at = now;
        }
        if (at <= now) place_ = held;
        if (at <= now && any) {  // its place in the other queues goes
            ticket_ = held;
            release_ticket();
        }
        return at;
    }

    // A fresh request (a launch, a direct lookup, a data action) answered 429 was turned away
    // before anything ran. With several credentials it goes back to its place (the ticket it went
    // with) in the queue of all of them, instead of waiting out the Retry-After on its own (or
    // failing on one beyond the ceiling), when another credential has room before `until`.
    bool requeue_elsewhere(time_point now, time_point until) {
        if (place_ == 0 || !may_change_credential()) return false;
        if (s_.sooner_credential(cred_, now, until) == cred_) return false;
        kind_ = request_governor::kind::fresh;
        ticket_ = place_;
        return true;
    }

    // No credential it asked has room before `at`, and another, whose token it does not hold
    // fresh (being renewed, or never taken: take_turn does not ask it), has room clearly sooner
    // (a 429 paused the call's own, for seconds or for a day): the call moves there and takes that
    // token, keeping its ticket, hence its place in every queue.
    bool move_to_unasked_credential(time_point now, time_point at) {
        if (kind_ != request_governor::kind::fresh || !may_change_credential() || moves_spent(now)) return false;
        for (std::size_t i = 0; i < s_.credentials(); ++i) {
            if (i == cred_ || s_.tokens(i).refused(now) || s_.tokens(i).fresh_token(now)) continue;
            if (s_.could_send_at(i, now) < at - milliseconds{100}) {
                moved_to(i);
                return true;
            }
        }
        return false;
    }

    // A started call (a poll, a retry, a strategy's second path) whose credential a 429 paused
    // until `at` moves to the credential that can send clearly sooner, taking its token: the
    // executions launched on a credential paused for a minute or a day do not wait for it (any of
    // the org's tokens reads an execution). Calls that wait their first turn: take_turn.
    bool move_paused_call(time_point now, time_point at) {
        if (kind_ != request_governor::kind::continuing || !may_change_credential() ||
            s_.budget(cred_).paused_until() < at || moves_spent(now))
            return false;
        const std::size_t best = s_.sooner_credential(cred_, now, at - milliseconds{100});
        if (best == cred_) return false;
        moved_to(best);
        return true;
    }

    // A 429 paused the token requests of the call's credential until `at` (on its own token
    // request, or on the one it was about to send). With several credentials, the call goes with
    // another that can send clearly sooner (session::could_send_at: its budget, and its token
    // requests unless its token is fresh); nothing was sent with this one. The fetch it led ends
    // with `why` (a transient failure: the next waiter fetches, and moves or waits in turn).
    bool move_off_paused_tokens(time_point now, time_point at, const error& why) {
        if (!may_change_credential() || moves_spent(now)) return false;
        const std::size_t i = s_.sooner_credential(cred_, now, at - milliseconds{100});
        if (i == cred_) return false;
        release_fetch(why);
        moved_to(i);
        token_moved_ = true;
        return true;
    }

    // The call's credential is refused for good and another of the client's is not: the call moves
    // there (session::instead_of_refused), as if picked there: with the refused one nothing went out
    // that ran (a token request, or a request answered 401). Each move leaves a refused credential,
    // so they end.
    bool move_off_refused_credential(time_point now, const error& why) {
        if (!may_change_credential()) return false;
        release_fetch(why);  // a fetch this call led ends here either way: the cache records the refusal
        const std::size_t best = s_.instead_of_refused(cred_, now);
        if (best == cred_) return false;
        if (ticket_ != 0) s_.budget(cred_).forget(ticket_);  // its place elsewhere stays: the ticket keeps its order
        cred_ = best;
        token_ = secret();
        return true;
    }

    // A call that stops while it waits its turn for the budget gives its place up (in every
    // credential's queue: take_turn).
    void release_ticket() {
        if (ticket_ != 0 && s_.valid())
            for (std::size_t i = 0; i < s_.credentials(); ++i) s_.budget(i).forget(ticket_);
        ticket_ = 0;
    }

    // The call leads a new token fetch (after a renewal, or on another credential). The count of
    // its token requests' failures starts again, but not after move_off_paused_tokens: a 429 is a
    // 429 on any credential, and two credentials must not trade a call back and forth unbounded.
    void lead_fetch() {
        leader_ = true;
        if (!token_moved_) token_retries_ = 0;
        token_moved_ = false;
    }

    // The call holds a token: a later fetch (a renewal) counts its failures from 0 again.
    void took_token(secret t) {
        token_ = std::move(t);
        token_moved_ = false;
    }

    // A caller that took the token fetch on itself must hand it back when it stops trying.
    void release_fetch(const error& e, bool spent = false) {
        if (leader_) s_.tokens(cred_).abandon(e, last_now_, spent);
        leader_ = false;
    }
};

}  // namespace detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/call.hpp> ========================================================================
#ifndef GCX_CALL_HPP
#define GCX_CALL_HPP

// One logical API call, sans-I/O (operation.hpp: the contract): get a token through the session's
// cache, wait for room in the request budget, send, and apply the one retry rule (decide_retry,
// retry.hpp) until it succeeds or stops. Every operation is a sequence of these.
//
// - A 429 pauses the whole credential's budget until Retry-After (request_governor), and this
//   call retries after it; a Retry-After beyond the ceiling fails at once (code retry_ceiling).
// - 401: that token is dropped, a new one fetched, the call repeated; a second 401 in a row stops,
//   and is remembered as a refusal of the credential (token_cache::refuse) for the back-off.
// - Before every attempt the token is taken from the cache again, so a retry after a long wait
//   never goes out with a token that expired meanwhile.
// - Time: a call's bound is its operation's op_deadline. The lookup timeout starts with the
//   operation's first request; before that, waiting for the budget may last queue_timeout.

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

template <class J>
class api_call : private detail::api_call_state {
public:
    /// `fresh`: the call starts new work (a launch, a direct lookup) and goes only at the budget's
    /// pace; polls and retries are `continuing` and may run a little ahead.
    api_call(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
             op_deadline deadline)
        : detail::api_call_state(std::move(s), credential, op, idempotent, kind, deadline) {}

    ~api_call() {
        release_fetch(make_error(errc::transport, "token fetch abandoned"));
        release_ticket();
    }
    api_call(api_call&& o) noexcept = default;
    api_call& operator=(api_call&& o) noexcept {
        if (this != &o) {
            release_fetch(make_error(errc::transport, "token fetch abandoned"));
            release_ticket();
            detail::api_call_state::operator=(std::move(o));
        }
        return *this;
    }

    /// Starts (or restarts) the call with `base`: everything but Authorization and timeout.
    /// `shown_path`: the path events show (events.hpp) when the URL's own path holds a text that
    /// must not appear there (a server-chosen id before scrubbing); empty: the URL's path.
    void start(http::request base, std::string shown_path = {}) {
        base_ = std::move(base);
        events_.set_shown_path(std::move(shown_path));
        phase_ = phase::need_token;
        retries_ = 0;
        api_sends_ = 0;  // a new request (the check's steps reuse one call): attempt 1 again
        renewed_ = false;
        outcome_ = make_error(errc::protocol, "call not finished");
    }

    action next(time_point now) {
        last_now_ = now;
        for (;;) {
            switch (phase_) {
            case phase::finished: return action::done();
            case phase::sleeping:
                if (now < until_) return action::sleep(until_);
                phase_ = resume_;
                continue;
            case phase::need_token: {
                if (deadline_.expired(now)) return fail_expired("wait for an access token or the request budget");
                auto t = tokens().acquire(now, waited_);
                waited_ = token_cache::no_generation;
                switch (t.st) {
                case token_cache::state::ready:
                    took_token(std::move(t.token));
                    phase_ = phase::ready;
                    continue;
                case token_cache::state::fetch:
                    lead_fetch();
                    phase_ = phase::token_send;
                    continue;
                case token_cache::state::wait: {
                    waited_ = t.generation;
                    action a;
                    a.kind = action::type::wait_token;
                    a.until = bound();
                    a.generation = t.generation;
                    return a;  // the next call to next() asks the cache again
                }
                case token_cache::state::failed:
                    if (move_off_refused_credential(now, t.failure)) continue;
                    return finish(t.failure);
                }
                continue;
            }
            case phase::token_send: {
                if (deadline_.expired(now)) return fail_expired("waiting for an access token");
                if (auto at = s_.token_budget(cred_).admit(now, request_governor::kind::continuing); at > now) {
                    events_.wait(now);
                    if (s_.token_budget(cred_).paused_until() >= at &&
                        move_off_paused_tokens(now, at, make_error(errc::rate_limited, "token requests paused"))) {
                        phase_ = phase::need_token;
                        continue;
                    }
                    if (paused_past_ceiling(s_.token_budget(cred_), now, at)) return fail_paused(now, at);
                    credit_wait(now, at);
                    return action::sleep(std::min(at, bound()));
                }
                deadline_.start(now);
                sent_at_ = now;  // the token's life counts from here (token_cache::complete)
                phase_ = phase::token_sent;
                action a;
                a.kind = action::type::send;
                a.request = tokens().request(timeout_for(now));
                events_.sent(now);
                if (hooked()) events_.request_sent(context(operation::token), now, scrubber());
                return a;
            }
            case phase::ready: {
                if (deadline_.expired(now)) return fail_expired(to_string(op_));
                if (auto at = take_turn(now); at > now) {
                    phase_ = phase::need_token;  // after the wait, the token is taken afresh
                    events_.wait(now);
                    // Before failing on a long pause: another credential, if one has room sooner.
                    if (move_to_unasked_credential(now, at) || move_paused_call(now, at)) continue;
                    if (paused_past_ceiling(s_.budget(cred_), now, at)) return fail_paused(now, at);
                    // Its first API request still waits after its token request: queue_timeout bounds it too.
                    const bool queued = deadline_.started && kind_ == request_governor::kind::fresh;
                    if (queued && now >= deadline_.queue_until) return finish(detail::queue_error(to_string(op_)));
                    credit_wait(now, at);
                    return action::sleep(std::min({at, bound(), queued ? deadline_.queue_until : at}));
                }
                deadline_.start(now);
                kind_ = request_governor::kind::continuing;  // its retries continue what was started
                phase_ = phase::sent;
                action a;
                a.kind = action::type::send;
                // Room for Authorization first, so adding it does not reallocate the copied headers.
                a.request.fields.reserve(base_.fields.size() + 1);
                a.request = base_;
                a.request.fields.push_back({"Authorization", "Bearer " + token_.reveal()});
                a.request.timeout = timeout_for(now);
                cut_by_deadline_ = a.request.timeout < s_.config().request_timeout;
                ++api_sends_;
                sent_at_ = now;
                events_.sent(now);
                if (hooked()) events_.request_sent(context(op_), now, scrubber());
                return a;
            }
            case phase::token_sent:
            case phase::sent: return action::sleep(now);  // misuse: waiting for on_response; nothing to do
            }
        }
    }

    /// The transport's answer to the last `send`.
    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        last_now_ = now;
        if (phase_ == phase::token_sent) return on_token_response(std::move(r), now, wall_now);
        if (phase_ != phase::sent) return;
        failed_attempt a = attempt_base(now);
        if (hooked()) events_.answered(context(op_), r, now, scrubber());
        if (!r) {
            error e = std::move(r.error());
            a.failure = &e;
            const retry_decision d = decide(a);
            return apply(d, std::move(e), now, phase::need_token);
        }
        http::response& resp = *r;
        if (resp.status >= 200 && resp.status <= 299) {
            tokens().accepted();
            outcome_ = std::move(resp);
            phase_ = phase::finished;
            return;
        }
        error e = error_from_response<J>(resp, op_, wall_now);
        if (resp.status == 401 && detail::action_ran(e)) return finish_void(std::move(e));  // its remote's 401
        if (resp.status == 401 && renewed_) {                                               // a fresh token refused too
            scrub(e);
            // A refusal of the credential (an allow-list, another org's client), remembered only while
            // the API never took one of its tokens (a poll's 401 after its launch is not one).
            if (op_ != operation::check && op_ != operation::poll && !tokens().ever_accepted()) {
                tokens().refuse(token_, e, now);
                if (move_off_refused_credential(now, e)) {
                    if (hooked()) {
                        retry_decision m;
                        m.what = retry_decision::verdict::retry;
                        m.reason = retry_decision::other_credential;
                        events_.decided(context(op_), m, e, now, scrubber());
                    }
                    renewed_ = false;  // nothing ran with it: the same request on another credential
                    phase_ = phase::need_token;
                    return;
                }
            }
            return finish_void(std::move(e));
        }
        a.status = resp.status;
        a.failure = &e;
        a.read_retry_after(resp, wall_now);
        if (resp.status != 401) renewed_ = false;  // the token was taken: a later 401 is a new one
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::need_token);
    }

    /// Schedules the same request again after a backoff because its 2xx answer could not be
    /// read (only sensible for idempotent calls). Returns false (and finishes) when no retry is left.
    bool retry_unreadable(error e, time_point now) {
        failed_attempt a = attempt_base(now);
        a.unreadable = true;
        a.failure = &e;
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::need_token);
        return phase_ != phase::finished;
    }

    /// Removes every credential this call knows (token, secret, Basic credential) from `e`:
    /// whatever a server echoed back, no credential leaves in an error (credential_scrub.hpp).
    void scrub(error& e) const { detail::scrub_credentials(e, s_.config(), token_); }
    /// The same for one server-chosen text (an execution id) that is kept outside an error.
    void scrub(std::string& text) const { detail::scrub_credentials(text, s_.config(), token_); }
    /// A server-chosen text kept in a result (a correlation id): bounded to `max` bytes, one
    /// line, without a credential or the number looked up (`number`, empty: none).
    std::string shown(std::string_view text, std::string_view number, std::size_t max = 128) const {
        std::string s = detail::clip(text, max);
        scrub(s);
        detail::redact_number(s, number);
        return s;
    }

    /// At most `n` sends of the API request, its retries included (a poll's share of
    /// poll.max_polls): a failed attempt past them is not retried, and no event tells of a retry.
    void limit_sends(int n) noexcept { max_sends_ = n; }
    /// Whether the call stopped because limit_sends' sends were spent (its error is the last attempt's).
    bool sends_spent() const noexcept { return send_cap_hit_; }

    /// The lookup this call belongs to, for its events (event::lookup); 0: none.
    void set_lookup_id(std::uint64_t id) noexcept { events_.set_lookup_id(id); }
    std::uint64_t lookup_id() const noexcept { return events_.lookup_id(); }

    bool finished() const noexcept { return phase_ == phase::finished; }
    /// Whether the answer the driver hands in next is the API request's (not the token request's).
    bool awaiting_api_answer() const noexcept { return phase_ == phase::sent; }
    /// A cancel with a request in flight: its request_answered event, with `e` (the call then dies).
    void abandon(const error& e, time_point now) const {
        const bool token = phase_ == phase::token_sent;
        if (hooked() && (token || phase_ == phase::sent))
            events_.answered(context(token ? operation::token : op_), result<http::response>(e), now, scrubber());
    }
    /// The operation took the API answer as its result (a "no contact" 404): the call ends, answered.
    void answer_taken(const http::response& r, time_point now) {
        last_now_ = now;
        phase_ = phase::finished;
        if (hooked()) events_.answered(context(op_), result<http::response>(r), now, scrubber());
    }
    /// When the API request (its last attempt) went out; the lookup schedules polls from it.
    time_point sent_at() const noexcept { return sent_at_; }
    /// The 2xx response, or the error. Valid once finished().
    result<http::response>& outcome() noexcept { return outcome_; }
    token_cache& tokens() { return s_.tokens(cred_); }
    const op_deadline& deadline() const noexcept { return deadline_; }
    const session& owner() const noexcept { return s_; }
    std::size_t credential() const noexcept { return cred_; }

private:
    using phase = detail::call_phase;

    failed_attempt attempt_base(time_point now) const {
        failed_attempt a;
        a.idempotent = idempotent_;
        a.retries = retries_;
        a.cut_by_deadline = cut_by_deadline_;
        a.time_left = remaining(now, deadline_.until());
        return a;
    }

    // Events (events.hpp, call_events.hpp): built only when the configuration has a hook.
    bool hooked() const noexcept { return static_cast<bool>(s_.config().on_event); }
    // `attempt`: the token request's tries; the API request's sends so far (each is counted before
    // its request_sent), so a send after a token renewal or on another credential is one more.
    detail::call_context context(operation op) const noexcept {
        return {s_.config(), cred_, op, base_, op == operation::token ? token_retries_ + 1 : std::max(api_sends_, 1)};
    }
    auto scrubber() const {
        return [this](std::string& text) { scrub(text); };
    }

    retry_decision decide(const failed_attempt& a) const {
        if (op_ == operation::poll) {  // two GETs of one execution never closer than poll.min_interval
            retry_decision d = decide_retry(s_.config().retry, a, s_.jitter());
            if (d.what == retry_decision::verdict::retry) d.delay = std::max(d.delay, s_.config().poll.min_interval);
            return d;
        }
        if (op_ != operation::check) return decide_retry(s_.config().retry, a, s_.jitter());
        retry_policy p = s_.config().retry;  // the check reports a 429 within its timeout, never waits one out
        p.rate_limits_extend_deadline = false;
        return decide_retry(p, a, s_.jitter());
    }

    void on_token_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        failed_attempt a = attempt_base(now);
        a.token_request = true;
        a.idempotent = true;
        a.retries = token_retries_;
        if (hooked()) events_.answered(context(operation::token), r, now, scrubber());
        if (!r) {
            error e = std::move(r.error());
            e.message = "token request: " + e.message;
            a.failure = &e;
            const retry_decision d = decide(a);
            return apply(d, std::move(e), now, phase::token_send);
        }
        auto tok = tokens().template complete<J>(*r, sent_at_);
        if (tok) {
            leader_ = false;
            took_token(std::move(*tok));
            phase_ = phase::ready;
            if (hooked()) events_.token_fetched(context(operation::token), now, scrubber());
            return;
        }
        error e = std::move(tok.error());
        a.status = r->status;
        a.failure = &e;
        a.unreadable = r->status >= 200 && r->status <= 299;
        a.read_retry_after(*r, wall_now);
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::token_send);
    }

    // Carries out a decision about the failed attempt whose error is `e`.
    void apply(const retry_decision& decided, error e, time_point now, phase resume) {
        using v = retry_decision::verdict;
        const bool token_attempt = resume == phase::token_send;
        retry_decision d = decided;
        // limit_sends: no send past the cap, on this credential or another.
        const bool capped = !token_attempt && api_sends_ >= max_sends_;
        if (capped && d.what != v::stop) {
            d.what = v::stop;
            d.reason = retry_decision::exhausted;
            d.delay = milliseconds{0};
            d.extends_deadline = false;
            send_cap_hit_ = true;
        }
        e.request = token_attempt ? operation::token : op_;
        // The event says what is done: a move to another credential goes at once (or after the
        // poll floor), not after the Retry-After that paused this one.
        const auto announce = [&](const retry_decision& shown) {
            if (hooked()) events_.decided(context(token_attempt ? operation::token : op_), shown, e, now, scrubber());
        };
        const auto moved = [&](milliseconds after) {
            retry_decision m = d;
            m.what = v::retry;
            m.delay = after;
            m.reason = retry_decision::other_credential;
            return m;
        };
        if (d.what == v::renew_token) {
            announce(d);
            renewed_ = true;
            tokens().invalidate(token_);
            phase_ = phase::need_token;
            return;
        }
        if (d.rate_limited) (token_attempt ? s_.token_budget(cred_) : s_.budget(cred_)).on_rate_limited(now, d.delay);
        // (Stopped because the wait is beyond the ceiling or the deadline: maybe not elsewhere.)
        const bool turned_away =
            !capped && !token_attempt && d.rate_limited &&
            (d.what == v::retry || d.reason == retry_decision::ceiling || d.reason == retry_decision::deadline);
        if (turned_away && requeue_elsewhere(now, now + d.delay)) {
            announce(moved(milliseconds{0}));
            ++retries_;
            phase_ = phase::need_token;  // its place in every queue again: take_turn
            return;
        }
        if (token_attempt && d.rate_limited && d.reason != retry_decision::exhausted &&
            move_off_paused_tokens(now, now + d.delay, e)) {
            announce(moved(milliseconds{0}));
            ++token_retries_;            // counts on across the move (lead_fetch)
            phase_ = phase::need_token;  // with the other credential's token
            return;
        }
        if (turned_away && move_paused_call(now, now + d.delay)) {
            // Two GETs of one execution, never closer than the floor; the rest go again at once.
            const milliseconds floor = op_ == operation::poll ? s_.config().poll.min_interval : milliseconds{0};
            announce(moved(floor));
            ++retries_;
            until_ = now + floor;
            resume_ = phase::need_token;
            phase_ = phase::sleeping;
            return;
        }
        announce(d);
        if (d.what == v::retry) {
            ++(token_attempt ? token_retries_ : retries_);
            until_ = now + d.delay;
            if (d.extends_deadline) credit_wait(now, until_);  // the wait is not charged
            resume_ = resume;
            phase_ = phase::sleeping;
            return;
        }
        if (token_attempt && move_off_refused_credential(now, e)) {
            phase_ = phase::need_token;  // the other credential's token: nothing was sent with this one
            return;
        }
        detail::explain_stop(e, d, token_attempt ? operation::token : op_, op_, cut_by_deadline_, idempotent_,
                             token_attempt ? token_retries_ : retries_);
        finish_void(std::move(e), token_attempt && d.reason == retry_decision::exhausted);
    }

    milliseconds timeout_for(time_point now) const {
        return std::min(s_.config().request_timeout, std::max(remaining(now, deadline_.until()), milliseconds{1}));
    }

    action fail_expired(const std::string& doing) { return finish(detail::expired_error(deadline_, doing)); }
    action fail_paused(time_point now, time_point at) { return finish(detail::paused_error(now, at)); }

    action finish(error e) {
        finish_void(std::move(e));
        return action::done();
    }
    // `spent_fetch`: a token fetch this call led stopped after its retries (token_cache::abandon).
    void finish_void(error e, bool spent_fetch = false) {
        scrub(e);
        release_fetch(e, spent_fetch);
        release_ticket();
        outcome_ = std::move(e);
        phase_ = phase::finished;
    }
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/lookup_result.hpp> ===============================================================
#ifndef GCX_LOOKUP_RESULT_HPP
#define GCX_LOOKUP_RESULT_HPP

// A lookup's answer, whichever path gave it (the flow, the direct lookup, a data action):
// execution_info (what is known of the execution: id, status, requests, polls, source, ...),
// lookup_result<Outputs> (the outputs, a JSON value or the caller's struct, and the execution),
// and map_outputs, which maps a JSON answer into the caller's struct.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

/// What is known about the execution that answered a lookup.
struct execution_info {
    std::string id;                 ///< flow execution id (a credential or the number echoed in it: replaced)
    std::string status;             ///< last status seen (COMPLETED on success)
    std::string completion_reason;  ///< completionReason, if the server gave one
    std::string flow_version;       ///< the flow version that ran
    std::string date_launched;      ///< ISO-8601, as the server wrote it
    std::string date_completed;
    std::string correlation_id;   ///< ININ-Correlation-Id of the launch
    int polls = 0;                ///< GET requests answered
    int requests = 0;             ///< HTTP requests sent in all (token, launch, polls, retries)
    std::string source = "flow";  ///< which path answered: "flow", "direct" or "data_action"
    std::string fallback_reason;  ///< a chain's second path answered: why the first was not used
    /// Found / not found: the data action's (data_action_options: its found_key, else any output
    /// with a value) and the direct lookup's (a contact matched, as its Flow.Found). Unset for the
    /// flow: its outputs say it (Flow.Found).
    std::optional<bool> found;
    milliseconds since_launch{0};  ///< from the launch's answer to the execution's last answer
    milliseconds queued{0};        ///< waited for the request budget before the first request
    std::size_t credential = 0;    ///< which of the client's credentials it used
};

/// A lookup's answer: the outputs (a JSON value, or the caller's struct) and the execution.
template <class Outputs>
struct lookup_result {
    Outputs outputs;
    execution_info execution;
};

/// The status strings of FlowRuntimeExecution that end an execution unsuccessfully.
inline bool is_failed_status(std::string_view s) noexcept { return s == "FAILED" || s == "ERROR" || s == "TERMINATED"; }

/// The execution_info::source of a data action's answer (data_action.hpp).
inline constexpr std::string_view data_action_source = "data_action";

/// Maps a lookup's outputData into T (a described struct, see reflect.hpp). A mapping error keeps
/// the execution id, and when the flow gave no outputs at all the hint says why that happens.
/// A data action's answer (execution.source "data_action") has no "Flow." prefix: member `X`
/// binds the key `X` (opt.prefix is not used) and error paths start at `output` (unless opt.root
/// was changed from its default). `number`, the E.164 number looked up, is scrubbed from a
/// mapping error (an output keyed or valued by it would show in its path).
template <class J, class T>
result<lookup_result<T>> map_outputs(result<lookup_result<typename J::value>> r, const map_options& opt = {},
                                     std::string_view number = {}) {
    if (!r) return std::move(r.error());
    const bool action = r->execution.source == data_action_source;
    map_options o = opt;
    if (action) {
        o.prefix = std::string_view();
        if (o.root == map_options{}.root) o.root = "output";
    }
    auto mapped = read_outputs<J, T>(r->outputs, o);
    if (!mapped) {
        error e = std::move(mapped.error());
        detail::redact_number(e, number);
        e.execution_id = r->execution.id;
        bool empty = J::kind_of(r->outputs) != json::kind::object || J::size(r->outputs) == 0;
        if (action)
            e.hint = empty ? "the data action answered without any output (it found no match?); make the members it "
                             "may leave out std::optional"
                           : "compare the data action's output contract (successSchema) with your struct: each member "
                             "binds the output key of its name; a key the action may leave out must be a std::optional "
                             "member";
        else if (empty)
            e.hint = "the flow completed without any output: it has no \"Output from flow\" variables, or it found no "
                     "match and set none; make such members std::optional, or set the outputs in the flow";
        return e;
    }
    return lookup_result<T>{std::move(*mapped), std::move(r->execution)};
}

namespace detail {
/// take_result_as<T>() for an operation `Op` whose take_result() is a lookup's answer as JSON
/// (lookup_operation, data_action_operation, strategy_operation): that answer mapped into T by
/// map_outputs (which knows a data action's answer from its execution.source).
template <class Op, class J>
class outputs_as_struct {
public:
    /// The outcome mapped into T (see map_outputs). Valid once done().
    template <class T>
    result<lookup_result<T>> take_result_as(const map_options& opt = {}) {
        Op& op = static_cast<Op&>(*this);
        return map_outputs<J, T>(op.take_result(), opt, op.number());
    }
};
}  // namespace detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/launch_request.hpp> ==============================================================
#ifndef GCX_LAUNCH_REQUEST_HPP
#define GCX_LAUNCH_REQUEST_HPP

// The request that starts a flow execution:
//
//   POST {api}/api/v2/flows/executions
//   {"flowId", "flowVersion"?, "name", "inputData": {"Flow.PhoneNumber": "+1...", extra inputs...}}
//
// `name` is unique per launch, so repeated launches are distinguishable. Without extra inputs and
// with plain text only (the usual case) the body is written directly, as the JSON backend would
// write it, without building a JSON value first.

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace detail {
/// A unique execution name per launch: repeated launches are distinguishable (and a server
/// can tell a retried request from a new lookup).
inline std::string execution_name(std::string_view prefix) {
    static const std::uint64_t seed =
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t n = seed + 0x9E3779B97F4A7C15ULL * ++counter;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(n));
    return std::string(prefix) + "-" + buf;
}

/// True when every string of a launch body is printable ASCII without a quote or a backslash:
/// written between quotes as it is, by any JSON writer.
template <class... S>
bool launch_body_plain(const S&... parts) noexcept {
    auto plain = [](std::string_view s) {
        for (char c : s)
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        return true;
    };
    return (plain(parts) && ...);
}

/// The launch body without extra inputs, written directly (launch_body_plain must hold): the
/// object a JSON backend would serialize, without building it first.
inline std::string launch_body_text(std::string_view flow_id, std::string_view flow_version, std::string_view name,
                                    std::string_view input_variable, std::string_view number) {
    std::string b;
    b.reserve(64 + flow_id.size() + flow_version.size() + name.size() + input_variable.size() + number.size());
    b.append("{\"flowId\":\"").append(flow_id);
    if (!flow_version.empty()) b.append("\",\"flowVersion\":\"").append(flow_version);
    b.append("\",\"name\":\"").append(name);
    b.append("\",\"inputData\":{\"").append(input_variable).append("\":\"").append(number).append("\"}}");
    return b;
}
}  // namespace detail

/// The launch of the configured flow for `number` (E.164, checked), with `extra_inputs` (a JSON
/// object of "Flow.<Var>" keys, or null) beside it in inputData.
template <class J>
http::request launch_request(const client_config& cfg, const std::string& number, typename J::value extra_inputs) {
    http::request r;
    r.verb = http::method::post;
    r.url = cfg.endpoints.api + "/api/v2/flows/executions";
    r.fields.push_back({"Content-Type", "application/json"});
    r.fields.push_back({"Accept", "application/json"});
    const std::string name = detail::execution_name(cfg.execution_name);
    if (J::kind_of(extra_inputs) == json::kind::null &&
        detail::launch_body_plain(cfg.flow_id, cfg.flow_version, name, cfg.input_variable, number)) {
        r.body = detail::launch_body_text(cfg.flow_id, cfg.flow_version, name, cfg.input_variable, number);
        return r;
    }
    typename J::value inputs =
        J::kind_of(extra_inputs) == json::kind::object ? std::move(extra_inputs) : J::make_object();
    J::set(inputs, cfg.input_variable, J::make_string(number));
    typename J::value body = J::make_object();
    J::set(body, "flowId", J::make_string(cfg.flow_id));
    if (!cfg.flow_version.empty()) J::set(body, "flowVersion", J::make_string(cfg.flow_version));
    J::set(body, "name", J::make_string(name));
    J::set(body, "inputData", std::move(inputs));
    r.body = J::serialize(body);
    return r;
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/lookup.hpp> ======================================================================
#ifndef GCX_LOOKUP_HPP
#define GCX_LOOKUP_HPP

// The lookup, sans-I/O: launch the workflow, poll the execution until it ends, hand back its
// outputData. It performs no I/O and reads no clock; a driver feeds it (operation.hpp has the
// contract; client.hpp is the synchronous driver, adapters/curl_multi.hpp an event loop).
// Polls follow the session's learned schedule for the flow (poll_schedule.hpp).
//
//   POST {api}/api/v2/flows/executions  {"flowId", "flowVersion"?, "name", "inputData": {"Flow.PhoneNumber": "+1..."}}
//   GET  {api}/api/v2/flows/executions/{id}   until status is terminal
//     COMPLETED                  -> outputData (an object; absent means no outputs)
//     FAILED, ERROR, TERMINATED  -> errc::flow_failed with flowErrorInfo and completionReason
//     RUNNING, UNKNOWN, any other value -> poll again (new values appear over time)

#include <algorithm>
#include <optional>

GCX_NAMESPACE_BEGIN

namespace detail {
/// What every lookup checks before it sends anything (the session's configuration was checked
/// when it was made): a flow id when the lookup needs one, and the number, normalised to E.164.
inline result<std::string> checked_number(const client_config& cfg, bool need_flow, std::string_view phone) {
    if (need_flow)  // a client whose strategy runs no flow never checked it (client_config::validate)
        if (auto v = cfg.validate_flow(); !v) return v.error();
    return normalize_e164(phone);
}
}  // namespace detail

template <class J>
class lookup_operation : public detail::outputs_as_struct<lookup_operation<J>, J> {
public:
    using value_type = typename J::value;

    /// Prepares a lookup of `phone` on the session's client. `extra_inputs` (a JSON object, or
    /// null) are added to inputData as they are (keys as the flow names them, e.g. "Flow.Channel").
    /// An invalid number finishes the operation at once: no request is sent.
    lookup_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : lookup_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(extra_inputs)) {
        if (s.config().on_event) set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's), on a chosen credential.
    lookup_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                     value_type extra_inputs = J::make_null())
        : call_(s, credential, operation::launch, /*idempotent=*/false,
                deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          created_(deadline.created) {
        const client_config& cfg = s.config();
        info_.credential = credential;
        auto number = detail::checked_number(cfg, /*need_flow=*/true, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        if (J::kind_of(extra_inputs) != json::kind::null && J::kind_of(extra_inputs) != json::kind::object) {
            finish(make_error(errc::invalid_input, "extra flow inputs must be a JSON object"));
            return;
        }
        call_.start(launch_request<J>(cfg, *number, std::move(extra_inputs)));
        phase_ = phase::launching;
        recall_refusal_ = true;  // at the first step, when the launch is about to be asked for (next)
    }

    /// What to do now. Call again after every send/sleep/wait.
    action next(time_point now) {
        for (;;) {
            switch (phase_) {
            case phase::finished: return action{};
            case phase::poll_wait:
                if (now >= deadline()) return finish(timeout_error());
                if (now < poll_at_) return action::sleep(std::min(poll_at_, deadline()));
                start_poll();
                continue;
            case phase::launching:
            case phase::polling: {
                if (recall_refusal_) {
                    // No such flow, a moment ago: checked at the driver's time now, not when the
                    // lookup was made (a chain's fallback flow starts up to a timeout later).
                    recall_refusal_ = false;
                    const session s = call_.owner();
                    if (auto refused = s.refused_launches().recall(s.config().flow_id, now))
                        return finish(std::move(*refused));
                }
                action a = call_.next(now);
                if (a.kind == action::type::send) {
                    // poll.max_polls caps the GETs of the execution, its retries too (a 502
                    // between RUNNINGs, an unreadable answer), not only the answers read.
                    if (phase_ == phase::polling && call_.awaiting_api_answer() &&
                        ++poll_sends_ > call_.owner().config().poll.max_polls)
                        return finish(max_polls_error(poll_sends_ - 1));
                    if (info_.requests++ == 0) info_.queued = remaining(created_, now);
                }
                if (a.kind != action::type::done) return a;
                on_call_finished(now);
                continue;
            }
            }
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (phase_ != phase::launching && phase_ != phase::polling) return;
        if (r && call_.awaiting_api_answer()) {  // not the token request's answer
            if (phase_ == phase::launching) {
                if (const auto* c = r->header("ININ-Correlation-Id")) info_.correlation_id = call_.shown(*c, number_);
            } else if (r->status >= 200 && r->status <= 299) {
                ++info_.polls;
            }
        }
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) on_call_finished(now);
    }

    bool done() const noexcept { return phase_ == phase::finished; }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept { return number_; }
    /// A cancel: the request in flight gets its request_answered event with `e` (api_call::abandon).
    void abandon(const error& e, time_point now) const { call_.abandon(e, now); }
    time_point deadline() const noexcept { return call_.deadline().until(); }
    /// The time bound as it runs (a strategy hands it on to its fallback).
    const op_deadline& bound() const noexcept { return call_.deadline(); }
    token_cache& tokens() noexcept { return call_.tokens(); }
    const execution_info& execution() const noexcept { return info_; }
    /// Which lookup its events belong to (event::lookup; strategy_operation numbers them).
    void set_lookup_id(std::uint64_t id) noexcept { call_.set_lookup_id(id); }

    /// The outcome: outputData (an object) and the execution. Valid once done().
    result<lookup_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return lookup_result<value_type>{std::move(outputs_), info_};
    }

private:
    enum class phase { launching, poll_wait, polling, finished };

    void on_call_finished(time_point now) {
        if (phase_ == phase::launching) info_.credential = call_.credential();  // it may have moved
        auto& out = call_.outcome();
        if (!out) {
            const bool launching = phase_ == phase::launching;
            if (!launching && call_.sends_spent()) return (void)finish(max_polls_error(poll_sends_));
            finish(std::move(out.error()));
            if (launching && error_->request == operation::launch && error_->http_status == 404 &&
                !error_->code.empty())
                call_.owner().refused_launches().remember(call_.owner().config().flow_id, *error_, now);
            return;
        }
        if (phase_ == phase::launching) return on_launched(*out, now);
        on_polled(*out, now);
    }

    void on_launched(const http::response& r, time_point now) {
        // The flow has started: from here on nothing may launch it again.
        // The answer is read here and dropped: parsed into the backend's scratch memory if it has any.
        std::string id, flow_version;
        json::parse_temporary<J>(r.body, json::default_max_depth, [&](const result<typename J::value>& v) {
            if (!v) return;
            id = json::get_string_or<J>(*v, "id");
            if (const auto* fv = J::find(*v, "flowVersion")) flow_version = json::get_string_or<J>(*fv, "id");
        });
        // The id goes into the poll URL as it is, and into errors and output lines: an id no
        // Genesys Cloud sends (over max_execution_id bytes, a control character) is refused.
        // "." and "..", sent as they are (url_encode keeps them), would be path steps: the poll
        // would go to another resource (a client that normalizes paths, as libcurl does).
        const char* bad_id = id.empty()                     ? "has no execution id"
                             : id.size() > max_execution_id ? "has an execution id too long to be one"
                             : has_control_character(id)    ? "has an execution id with a control character"
                             : id == "." || id == ".."      ? "has an execution id that is a path step"
                                                            : nullptr;
        if (bad_id) {
            error e = make_error(errc::protocol, std::string("the launch answer ") + bad_id,
                                 "the flow may have started; it was not launched again");
            e.code = std::string(codes::launch_response);
            e.http_status = r.status;
            e.correlation_id = info_.correlation_id;
            e.execution_id = detail::clip(id, 128);
            e.request = operation::launch;
            finish(std::move(e));
            return;
        }
        // Polls use the id as sent; what is reported (execution_info::id, errors) is scrubbed.
        poll_id_ = id;
        info_.id = std::move(id);
        call_.scrub(info_.id);
        detail::redact_number(info_.id, number_);
        info_.flow_version = call_.shown(flow_version, number_);
        const client_config& cfg = call_.owner().config();
        plan_ = call_.owner().run_times().plan(cfg.flow_id, cfg.poll);
        launched_at_ = now;
        // Polls are timed from when the launch went out (on_polled: each from when the last was
        // due): the server then sees them at the plan's times after dateLaunched (the run times
        // it reports), not one round trip later per poll.
        origin_ = call_.sent_at() == time_point{} ? now : std::min(call_.sent_at(), now);
        interval_ = std::max(plan_.first, cfg.poll.min_interval);
        poll_at_ = std::max(now, origin_ + interval_);
        // A first poll planned past the deadline (a flow learned as slower than this lookup may
        // wait) is made once at the last moment that leaves it time, then the plan resumes.
        if (const time_point end = deadline(); end > now) {
            const time_point last_chance = end - std::min<time_point::duration>(milliseconds{1000}, (end - now) / 2);
            if (poll_at_ > last_chance) {
                resume_at_ = poll_at_;
                poll_at_ = last_chance;
            }
        }
        phase_ = phase::poll_wait;
    }

    void start_poll() {
        const session s = call_.owner();
        if (poll_sends_ >= s.config().poll.max_polls) {
            finish(max_polls_error(poll_sends_));
            return;
        }
        const std::uint64_t id = call_.lookup_id();
        call_ = api_call<J>(s, call_.credential(), operation::poll, /*idempotent=*/true,
                            request_governor::kind::continuing, call_.deadline());
        call_.set_lookup_id(id);
        call_.limit_sends(s.config().poll.max_polls - poll_sends_);  // its retries count against the cap too
        http::request r;
        r.verb = http::method::get;
        r.url = s.config().endpoints.api + "/api/v2/flows/executions/" + http::url_encode(poll_id_);
        r.fields.push_back({"Accept", "application/json"});
        // Events show the id as reported (scrubbed of credentials and the number), not as sent.
        std::string shown;
        if (s.config().on_event)
            shown = std::string(event_path(s.config().endpoints.api)) + "/api/v2/flows/executions/" + info_.id;
        call_.start(std::move(r), std::move(shown));
        phase_ = phase::polling;
    }

    void on_polled(http::response& r, time_point now) {
        auto v = J::parse(r.body);
        if (!v || J::kind_of(*v) != json::kind::object) {
            error e = v ? make_error(errc::protocol, "the execution answer is not a JSON object") : v.error();
            e.http_status = r.status;
            if (call_.retry_unreadable(e, now)) return;  // a GET may be repeated
            finish(std::move(call_.outcome().error()));
            return;
        }
        const auto& x = *v;
        // An answer about another execution (a cache or a proxy mixing answers up) would give
        // another number's customer: refused. (An answer without an id is read: the id is the
        // one this poll asked for.)
        if (const auto* idv = J::find(x, "id");
            idv && J::kind_of(*idv) == json::kind::string && json::get_string_or<J>(x, "id") != poll_id_) {
            error e = make_error(errc::protocol, "the execution answer is about another execution",
                                 "a cache or proxy between gcx and Genesys Cloud may be mixing answers up");
            e.code = std::string(codes::execution_response);
            e.http_status = r.status;
            e.request = operation::poll;
            finish(std::move(e));
            return;
        }
        // Server texts that reach errors and the result: bounded, one line, without a credential
        // or the number (api_call::shown), whatever the server echoes.
        info_.status = call_.shown(json::get_string_or<J>(x, "status"), number_, 128);
        info_.completion_reason = call_.shown(json::get_string_or<J>(x, "completionReason"), number_, 300);
        info_.date_launched = call_.shown(json::get_string_or<J>(x, "dateLaunched"), number_, 64);
        info_.date_completed = call_.shown(json::get_string_or<J>(x, "dateCompleted"), number_, 64);
        if (const auto* fv = J::find(x, "flowVersion"))
            if (auto id = json::get_string_or<J>(*fv, "id"); !id.empty()) info_.flow_version = call_.shown(id, number_);

        info_.since_launch = remaining(launched_at_, now);
        if (info_.status == "COMPLETED") {
            auto run = detail::reported_run_time(info_.date_launched, info_.date_completed);
            if (run && detail::plausible_run_time(*run, remaining(origin_, now))) {
                // How long after the reported completion the last poll answered RUNNING went out
                // (poll_schedule.hpp: the lag of the platform's answers behind its dates).
                std::optional<milliseconds> running_after;
                if (last_running_ != time_point{})
                    running_after = std::chrono::duration_cast<milliseconds>(last_running_ - origin_) - *run;
                call_.owner().run_times().record(call_.owner().config().flow_id, *run, running_after);
            }
            const auto* od = J::find(x, "outputData");
            if (!od || J::kind_of(*od) == json::kind::null) {
                outputs_ = J::make_object();
            } else if (J::kind_of(*od) == json::kind::object) {
                // Moved, not copied: the parsed answer is ours and is dropped right after.
                // (`*v` is not const, so writing through the pointer find() gave is sound.)
                outputs_ = std::move(*const_cast<value_type*>(od));
            } else {
                error e = make_error(errc::protocol, std::string("outputData is a ") +
                                                         json::to_string(J::kind_of(*od)) + ", not an object");
                e.request = operation::poll;
                finish(std::move(e));
                return;
            }
            phase_ = phase::finished;
            return;
        }
        if (is_failed_status(info_.status)) {
            finish(flow_failed(x));
            return;
        }
        // RUNNING, UNKNOWN, or a value this version has never seen: keep polling.
        // The next poll is due an interval after this one was due (a driver waking a millisecond
        // late must not push every later poll back); after this one was sent when it went out
        // late (the budget, a retry), and never sooner than the floor after it.
        const poll_policy& pp = call_.owner().config().poll;
        const time_point sent = std::min(call_.sent_at(), now);
        last_running_ = sent;
        const time_point last = sent - poll_at_ <= milliseconds{50} ? std::min(poll_at_, sent) : sent;
        const milliseconds since_launch = remaining(origin_, last);
        bool switched = false;
        if (!plan_.learned) {
            // Launched on the prior: the flow's own runs may have been learned since (the other
            // lookups in flight ended). When they say it is slower than the prior, their plan from
            // here on: its first poll, or its steps. (Learned as faster, it is learned from the
            // runs that ended first, and this one is not among them: the prior's steps go on.)
            poll_plan learned = call_.owner().run_times().plan(call_.owner().config().flow_id, pp);
            if (learned.learned && learned.first > plan_.first) {
                plan_ = learned;
                switched = true;
            }
        }
        interval_ = switched && since_launch < plan_.first
                        ? plan_.first - since_launch
                        : plan_.next(pp, since_launch, switched ? plan_.step : interval_);
        poll_at_ = std::max({now, last + interval_, sent + std::max(pp.min_interval, milliseconds{1}), resume_at_});
        phase_ = phase::poll_wait;
    }

    error flow_failed(const value_type& x) const {
        error e;
        e.kind = errc::flow_failed;
        e.message = "the flow ended " + info_.status;
        if (!info_.completion_reason.empty()) e.message += " (completionReason: " + info_.completion_reason + ")";
        if (const auto* fe = J::find(x, "flowErrorInfo"); fe && J::kind_of(*fe) == json::kind::object) {
            auto msg = json::get_string_or<J>(*fe, "message");
            if (!msg.empty()) e.message += ": " + detail::clip(msg);
            e.code = detail::clip(json::get_string_or<J>(*fe, "code"), 128);
            e.correlation_id = detail::clip(json::get_string_or<J>(*fe, "contextId"), 128);
            // An HTTP status, or none: a value outside 100-599 is not truncated into one.
            const std::int64_t st = json::get_int_or<J>(*fe, "status", 0);
            e.http_status = st >= 100 && st <= 599 ? static_cast<int>(st) : 0;
        }
        if (e.correlation_id.empty()) e.correlation_id = info_.correlation_id;
        e.hint =
            "the workflow itself failed: open this execution in Architect to see which action failed (a data action, a missing variable, a search error)";
        return e;
    }

    error timeout_error() const {
        error e = make_error(errc::timeout,
                             "the lookup deadline passed while the execution was " +
                                 (info_.status.empty() ? std::string("starting") : info_.status),
                             "the flow is still running: raise the lookup timeout or make the workflow faster");
        e.code = std::string(codes::deadline);
        return e;
    }

    static error max_polls_error(int polls) {
        error e = make_error(errc::timeout, "the execution was still running after " + std::to_string(polls) + " polls",
                             "raise poll.max_polls, or check the flow in Architect");
        e.code = std::string(codes::max_polls);
        return e;
    }

    action finish(error e) {
        if (e.execution_id.empty()) e.execution_id = info_.id;
        detail::redact_number(e, number_);  // personal data
        call_.scrub(e);
        // The markers may be longer than what they replace: the id stays within its clip.
        if (e.execution_id.size() > 131) e.execution_id = detail::clip(e.execution_id, 128);
        error_ = std::move(e);
        phase_ = phase::finished;
        return action{};
    }

    /// The longest execution id taken from a launch answer (Genesys sends UUIDs).
    static constexpr std::size_t max_execution_id = 256;

    static bool has_control_character(std::string_view s) noexcept {
        for (char c : s)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
        return false;
    }

    api_call<J> call_;
    time_point created_{};
    phase phase_ = phase::finished;
    poll_plan plan_;
    time_point launched_at_{};
    time_point origin_{};  // when the launch went out: the plan's times count from here
    milliseconds interval_{0};
    time_point poll_at_{};
    time_point resume_at_{};       // after a first poll brought forward to the deadline: the plan's own first
    time_point last_running_{};    // when the last poll answered RUNNING went out (none: the epoch)
    int poll_sends_ = 0;           // GETs of the execution sent, retries included (poll.max_polls)
    bool recall_refusal_ = false;  // the launch is still to be checked against a remembered "no such flow"
    execution_info info_;
    value_type outputs_ = J::make_null();
    std::optional<error> error_;
    std::string number_;
    std::string poll_id_;  // the execution id as the server sent it (info_.id is scrubbed)
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/one_call.hpp> ====================================================================
#ifndef GCX_ONE_CALL_HPP
#define GCX_ONE_CALL_HPP

// What an operation of one API call and no polling (direct_lookup_operation,
// data_action_operation) has of the operation contract (operation.hpp): the call, started by the
// operation's constructor and run to its end, with next(), on_response(), done(), tokens() around
// it. The operation itself reads the answer.

#include <cstddef>
#include <cstdint>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {

/// The base of an operation `Op` of one api_call (CRTP). Op provides, to this base (a friend):
///   void on_sent(time_point now)              a request of the call went out
///   bool on_api_answer(http::response& r)     the API request's answer, before the call reads it;
///                                             false: it is the operation's result (Op stopped)
///   void on_finished(time_point now)          the call is done: its outcome() (it may retry)
template <class Op, class J>
class one_call_operation {
public:
    action next(time_point now) {
        for (;;) {
            if (!running_) return action{};
            action a = call_.next(now);
            if (a.kind == action::type::send) self().on_sent(now);
            if (a.kind != action::type::done) return a;
            self().on_finished(now);  // may schedule a retry: ask the call again
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (!running_) return;
        // The API request's answer (not the token request's) goes to Op first.
        if (r && call_.awaiting_api_answer() && !self().on_api_answer(*r)) return call_.answer_taken(*r, now);
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) self().on_finished(now);
    }

    bool done() const noexcept { return !running_; }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept { return static_cast<const Op&>(*this).number_; }
    /// A cancel: the request in flight gets its request_answered event with `e` (api_call::abandon).
    void abandon(const error& e, time_point now) const {
        if (running_) call_.abandon(e, now);
    }
    token_cache& tokens() noexcept { return call_.tokens(); }
    /// Which lookup its events belong to (event::lookup; strategy_operation numbers them).
    void set_lookup_id(std::uint64_t id) noexcept { call_.set_lookup_id(id); }
    const op_deadline& bound() const noexcept { return call_.deadline(); }

protected:
    one_call_operation(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
                       op_deadline deadline)
        : call_(std::move(s), credential, op, idempotent, kind, deadline) {}

    /// Sends `r` (the constructor's last step, unless it finished the operation already).
    void start(http::request r) {
        call_.start(std::move(r));
        running_ = true;
    }

    /// The operation is done (its result or its error is set): next() answers done from now on.
    void stop() noexcept { running_ = false; }

    api_call<J> call_;

private:
    bool running_ = false;
    Op& self() noexcept { return static_cast<Op&>(*this); }
};

}  // namespace detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/direct.hpp> ======================================================================
#ifndef GCX_DIRECT_HPP
#define GCX_DIRECT_HPP

// Direct lookup without a flow, sans-I/O: one External Contacts request, no polling. It needs
// only the externalContacts:contact:view permission (docs/genesys-api.md).
//
//   GET  {api}/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B1...[&expand=..][&divisionId=..]
//        -> {"contacts": [ExternalContact, ...]}   (at most 25)
//   POST {api}/api/v2/externalcontacts/identifierlookup/contacts  {"type":"Phone","value":"+1..."}
//        -> ExternalContact, or 404 when no contact has that identifier (no match, not an error)
//
// Both are reads, so they are retried like polls. The answer is the list of contacts, and the
// same outputs a lookup workflow gives (Flow.Found, Flow.MatchCount, Flow.ContactId,
// Flow.externalContact), so code written for the flow's outputs works unchanged.

GCX_NAMESPACE_BEGIN

/// The outputs a lookup workflow would give for these contacts (an array of ExternalContact).
template <class J>
typename J::value synthesize_flow_outputs(const typename J::value& contacts) {
    auto out = J::make_object();
    std::size_t n = J::kind_of(contacts) == json::kind::array ? J::size(contacts) : 0;
    J::set(out, "Flow.Found", J::make_bool(n > 0));
    J::set(out, "Flow.MatchCount", J::make_int(static_cast<std::int64_t>(n)));
    typename J::value first = J::make_null();
    J::for_each_element(contacts, [&](const typename J::value& c) {
        first = c;
        return false;
    });
    auto id = J::kind_of(first) == json::kind::object ? json::get_string_or<J>(first, "id") : std::string();
    J::set(out, "Flow.ContactId", id.empty() ? J::make_null() : J::make_string(id));
    J::set(out, "Flow.externalContact", std::move(first));
    return out;
}

/// A direct lookup's answer: the matched contacts (a JSON array, empty when none matched).
template <class V>
struct direct_result {
    V contacts;
    std::string correlation_id;
    int requests = 0;
    std::size_t credential = 0;  ///< which of the client's credentials it went out with (execution_info::credential)
    milliseconds queued{0};      ///< the wait for the request budget before its request (execution_info::queued)
};

template <class J>
class direct_lookup_operation : public detail::one_call_operation<direct_lookup_operation<J>, J> {
    using base = detail::one_call_operation<direct_lookup_operation<J>, J>;
    friend base;
    using base::call_;

public:
    using value_type = typename J::value;

    /// Prepares a direct lookup of `phone` on the session's client (`opt`: the config's by default).
    direct_lookup_operation(session s, std::string_view phone, time_point now)
        : direct_lookup_operation(s, phone, now, s.config().direct) {}
    direct_lookup_operation(session s, std::string_view phone, time_point now, direct_options opt)
        : direct_lookup_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(opt)) {
        if (s.config().on_event) this->set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's fallback), on a chosen credential.
    direct_lookup_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                            direct_options opt)
        : base(s, credential, operation::direct_lookup, /*idempotent=*/true,
               deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          method_(opt.method), created_(deadline.created) {
        const client_config& cfg = s.config();
        auto number = detail::checked_number(cfg, /*need_flow=*/false, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        http::request r;
        r.fields.push_back({"Accept", "application/json"});
        if (method_ == direct_method::reverse_whitepages) {
            r.verb = http::method::get;
            r.url = cfg.endpoints.api +
                    "/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=" + http::url_encode(number_);
            append_expand(r.url, opt.expand, '&');
            if (!opt.division_id.empty()) r.url += "&divisionId=" + http::url_encode(opt.division_id);
        } else {
            r.verb = http::method::post;
            r.url = cfg.endpoints.api + "/api/v2/externalcontacts/identifierlookup/contacts";
            append_expand(r.url, opt.expand, '?');
            r.fields.push_back({"Content-Type", "application/json"});
            auto body = J::make_object();
            J::set(body, "type", J::make_string("Phone"));
            J::set(body, "value", J::make_string(number_));
            r.body = J::serialize(body);
        }
        this->start(std::move(r));
    }

    // next(), on_response(), done(), tokens(), set_lookup_id(), bound(): one_call_operation's.

    result<direct_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return direct_result<value_type>{std::move(contacts_), correlation_id_, requests_, call_.credential(), queued_};
    }

private:
    // one_call_operation's hooks: requests are counted; the lookup's answer gives the correlation id.
    void on_sent(time_point now) {
        if (requests_++ == 0) queued_ = remaining(created_, now);
    }
    bool on_api_answer(http::response& r) {
        if (const auto* c = r.header("ININ-Correlation-Id")) correlation_id_ = call_.shown(*c, number_);
        // identifierlookup answers 404 when no contact has the number: a result, not an error.
        // Only Genesys's own 404 (an ErrorBody with its code): a gateway's or a wrong URL's 404
        // page would make every number "not found".
        if (method_ == direct_method::identifier && r.status == 404 && is_error_body(r.body)) {
            contacts_ = J::make_array();
            this->stop();
            return false;
        }
        return true;
    }

    void on_finished(time_point now) {
        if (this->done()) return;
        auto& out = call_.outcome();
        if (!out) {
            finish(std::move(out.error()));
            return;
        }
        auto v = J::parse(out->body);
        if (!v || J::kind_of(*v) != json::kind::object) {
            error e = v ? make_error(errc::protocol, "the external contacts answer is not a JSON object") : v.error();
            if (call_.retry_unreadable(e, now)) return;
            finish(std::move(call_.outcome().error()));
            return;
        }
        if (method_ == direct_method::identifier) {
            contacts_ = J::make_array();
            J::push_back(contacts_, std::move(*v));
        } else {
            const auto* c = J::find(*v, "contacts");
            if (!c || J::kind_of(*c) == json::kind::null) {
                contacts_ = J::make_array();
            } else if (J::kind_of(*c) == json::kind::array) {
                contacts_ = *c;
            } else {
                error e = make_error(errc::protocol, "reversewhitepageslookup: 'contacts' is not an array");
                e.request = operation::direct_lookup;
                finish(std::move(e));
                return;
            }
        }
        this->stop();
    }

    // expand is a multi-valued query parameter: one expand=... per comma-separated value, the
    // first after `first` ('?' or '&').
    static void append_expand(std::string& url, std::string_view expand, char first) {
        while (!expand.empty()) {
            auto comma = expand.find(',');
            auto item = expand.substr(0, comma);
            if (!item.empty()) {
                url += first;
                url += "expand=" + http::url_encode(item);
                first = '&';
            }
            expand = comma == std::string_view::npos ? std::string_view{} : expand.substr(comma + 1);
        }
    }

    // An ErrorBody as Genesys Cloud sends it: a JSON object with a non-empty "code".
    static bool is_error_body(std::string_view body) {
        auto v = J::parse(body, 8);
        return v && J::kind_of(*v) == json::kind::object && !json::get_string_or<J>(*v, "code").empty();
    }

    void finish(error e) {
        detail::redact_number(e, number_);
        call_.scrub(e);
        error_ = std::move(e);
        this->stop();
    }

    direct_method method_;
    time_point created_{};
    milliseconds queued_{0};
    std::string number_;
    std::string correlation_id_;
    int requests_ = 0;
    value_type contacts_ = J::make_array();
    std::optional<error> error_;
};

/// A direct lookup's answer in the shape of a flow lookup's: the outputs a lookup workflow would
/// give (synthesize_flow_outputs), execution.source "direct". What lookup_strategy::direct and
/// flow_then_direct return.
template <class J>
result<lookup_result<typename J::value>> direct_as_lookup(result<direct_result<typename J::value>> d) {
    if (!d) return std::move(d.error());
    lookup_result<typename J::value> out{synthesize_flow_outputs<J>(d->contacts), {}};
    out.execution.source = "direct";
    out.execution.status = "COMPLETED";
    out.execution.found = J::size(d->contacts) != 0;  // what Flow.Found says
    out.execution.correlation_id = std::move(d->correlation_id);
    out.execution.requests = d->requests;
    out.execution.credential = d->credential;
    out.execution.queued = d->queued;
    return out;
}

/// Whether a flow lookup that failed with `e` may fall back to a direct lookup
/// (lookup_strategy::flow_then_direct): the flow could not be launched at all (403 or 404 on the
/// launch), so no execution started.
inline bool launch_refused(const error& e) noexcept {
    return e.execution_id.empty() && !e.code.empty() && (e.kind == errc::permission || e.kind == errc::not_found);
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/data_action.hpp> =================================================================
#ifndef GCX_DATA_ACTION_HPP
#define GCX_DATA_ACTION_HPP

// A lookup through a published data action, sans-I/O (operation.hpp has the contract): one
// request, no polling. The action runs on Genesys Cloud (a CRM call, a reverse-whitepages
// lookup...) and its result comes back in the same answer (docs/genesys-api.md 11.4).
//
//   POST {api}/api/v2/integrations/actions/{actionId}/execute[?flatten=true]
//        {"phoneNumber": "+1...", <extra inputs>}  -> the action's output: a JSON object
//
// The number goes under data_action_options::input_key, beside the extra inputs (a JSON object
// of the action's input names; typed: write_inputs<J>(inputs, "")). The answer is the lookup's
// outputs as the action returns them, without a "Flow." prefix: map_outputs (and every
// take_result_as) binds member X to the key X. Found or not found is decided by the rule of
// data_action_options (its found_key, else any output with a value) and is execution_info::found.
//
// Retries, the request governor, the deadline, error kinds and scrubbing are api_call's, as for
// every request. Executing an action is not idempotent in general (it may write), so it is
// retried like a flow launch: only when it certainly did not run (429, no connection, 503 with
// Retry-After); data_action_options::idempotent declares a read-only action, retried like a GET.
// A failed execution (a remote system's 4xx or timeout comes back as a Genesys ErrorBody) is
// classified by its HTTP status, its server code kept. With data_action_options::secure, no error
// carries a value of the action's inputs or outputs: the server's message is dropped, the input
// values are scrubbed from every text, and mapping errors never quote values in any case.

#include <optional>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

namespace detail {
/// Every string and number of a JSON value (object members and array elements, at any depth
/// below json::default_max_depth), as a server would echo it, for scrubbing a secure action's
/// input values from errors. (redact passes over those shorter than 4 characters.)
template <class J>
void collect_strings(const typename J::value& v, std::vector<std::string>& out, std::size_t depth = 0) {
    if (depth > json::default_max_depth) return;
    switch (J::kind_of(v)) {
    case json::kind::string: out.emplace_back(J::get_string(v)); return;
    case json::kind::integer:
    case json::kind::uint:
    case json::kind::number: out.push_back(J::serialize(v)); return;
    case json::kind::object:
        J::for_each_member(v, [&](std::string_view, const typename J::value& m) {
            collect_strings<J>(m, out, depth + 1);
            return true;
        });
        return;
    case json::kind::array:
        J::for_each_element(v, [&](const typename J::value& m) {
            collect_strings<J>(m, out, depth + 1);
            return true;
        });
        return;
    default: return;
    }
}

/// A secure action's error answer with only what cannot hold a value of its inputs or outputs:
/// the code, the status and the contextId of an ErrorBody, or the errorCode and correlationId of
/// the integrations' own shape (empty if the body is not JSON).
template <class J>
std::string withheld_error_body(std::string_view body) {
    auto v = J::parse(body, 32);
    if (!v || J::kind_of(*v) != json::kind::object) return std::string();
    auto out = J::make_object();
    for (const char* key :
         {"code", "status", "contextId", "errorCode", "correlationId"})  // ErrorBody's, the integrations'
        if (const auto* m = J::find(*v, key)) {
            const auto k = J::kind_of(*m);
            if (k == json::kind::string || k == json::kind::integer) J::set(out, key, *m);
        }
    // The errorCode that says the action ran and its remote failed ("ACTION.REMOTE_ENDPOINT"):
    // Genesys's word, not the action's data.
    error probe;
    read_action_failure<J>(*v, probe);
    if (action_ran(probe)) {
        auto detail = J::make_object();
        J::set(detail, "errorCode", J::make_string(probe.code));
        auto details = J::make_array();
        J::push_back(details, std::move(detail));
        J::set(out, "details", std::move(details));
    }
    return J::serialize(out);
}
}  // namespace detail

template <class J>
class data_action_operation : public detail::one_call_operation<data_action_operation<J>, J>,
                              public detail::outputs_as_struct<data_action_operation<J>, J> {
    using base = detail::one_call_operation<data_action_operation<J>, J>;
    friend base;
    using base::call_;

public:
    using value_type = typename J::value;

    /// Prepares the execution of the session's configured data action (client_config::action)
    /// for `phone`. `extra_inputs` (a JSON object keyed as the action names its inputs, or null)
    /// go beside the number; the number wins over an extra input of the same name.
    data_action_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : data_action_operation(s, phone, now, std::move(extra_inputs), s.config().action) {}
    data_action_operation(session s, std::string_view phone, time_point now, value_type extra_inputs,
                          data_action_options opt)
        : data_action_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(extra_inputs),
                                std::move(opt)) {
        if (s.config().on_event) this->set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's), on a chosen credential.
    data_action_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                          value_type extra_inputs, data_action_options opt)
        : base(s, credential, operation::data_action, opt.idempotent,
               deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          opt_(std::move(opt)), created_(deadline.created) {
        const client_config& cfg = s.config();
        info_.credential = credential;
        info_.source = std::string(data_action_source);
        if (opt_.action_id.empty()) {
            finish(make_error(errc::config, "GCX_ACTION_ID is not set", "the id of the published data action"));
            return;
        }
        if (auto v = validate_action_id(opt_.action_id); !v) {
            finish(v.error());
            return;
        }
        if (opt_.input_key.empty()) {
            finish(make_error(errc::config, "the data action input key is empty"));
            return;
        }
        auto number = detail::checked_number(cfg, /*need_flow=*/false, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        const auto k = J::kind_of(extra_inputs);
        if (k != json::kind::null && k != json::kind::object) {
            finish(make_error(errc::invalid_input, "extra data action inputs must be a JSON object"));
            return;
        }
        if (opt_.secure) detail::collect_strings<J>(extra_inputs, inputs_);
        value_type body = k == json::kind::object ? std::move(extra_inputs) : J::make_object();
        J::set(body, opt_.input_key, J::make_string(number_));
        http::request r;
        r.verb = http::method::post;
        r.url = cfg.endpoints.api + "/api/v2/integrations/actions/" + http::url_encode(opt_.action_id) + "/execute";
        if (opt_.flatten) r.url += "?flatten=true";
        r.fields.push_back({"Content-Type", "application/json"});
        r.fields.push_back({"Accept", "application/json"});
        r.body = J::serialize(body);
        this->start(std::move(r));
    }

    // next(), on_response(), done(), tokens(), set_lookup_id(), bound(): one_call_operation's.
    const execution_info& execution() const noexcept { return info_; }
    const data_action_options& options() const noexcept { return opt_; }

    /// Whether the execution failed with an HTTP status of data_action_options::fallback_statuses
    /// (403, 404 by default): the action cannot run, and a chain may take its second path. Valid
    /// once done(). Only a Genesys Cloud answer counts (an ErrorBody: a gateway's HTML page is not
    /// one), and a 403 or 404 that says the action ran and its remote answered so (an "ACTION."
    /// errorCode) does not: the action exists, and it ran.
    bool cannot_run() const noexcept {
        if (!error_ || answered_status_ == 0 || error_->http_status != answered_status_) return false;
        if (error_->code.empty()) return false;  // no ErrorBody
        if ((answered_status_ == 403 || answered_status_ == 404) && detail::action_ran(*error_)) return false;
        for (int s : opt_.fallback_statuses)
            if (s == answered_status_) return true;
        return false;
    }

    /// The outcome: the action's answer (an object) as the outputs, execution.source
    /// "data_action", execution.found set. Valid once done().
    result<lookup_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return lookup_result<value_type>{std::move(outputs_), info_};
    }

private:
    // one_call_operation's hooks: the first request waited `queued` for the budget; the execute
    // request's answer gives the correlation id and the status (a secure action's failure body
    // may quote its inputs or outputs: only its code, status and contextId are kept).
    void on_sent(time_point now) {
        if (info_.requests++ == 0) info_.queued = remaining(created_, now);
    }
    bool on_api_answer(http::response& r) {
        if (const auto* c = r.header("ININ-Correlation-Id")) info_.correlation_id = call_.shown(*c, number_);
        answered_status_ = r.status;
        if (opt_.secure && (r.status < 200 || r.status > 299)) r.body = detail::withheld_error_body<J>(r.body);
        return true;
    }

    void on_finished(time_point now) {
        if (this->done()) return;
        info_.credential = call_.credential();  // it may have moved
        auto& out = call_.outcome();
        if (!out) {
            finish(std::move(out.error()));
            return;
        }
        const int status = out->status;
        value_type v = J::make_object();
        if (!out->body.empty()) {
            auto parsed = J::parse(out->body);
            if (!parsed || (J::kind_of(*parsed) != json::kind::object && J::kind_of(*parsed) != json::kind::null)) {
                error e = parsed ? make_error(errc::protocol, std::string("the data action answer is a ") +
                                                                  json::to_string(J::kind_of(*parsed)) +
                                                                  ", not a JSON object")
                                 : parsed.error();
                if (parsed) e.code = std::string(codes::action_response);
                e.http_status = status;
                e.correlation_id = info_.correlation_id;
                if (call_.retry_unreadable(e, now)) return;  // only a read-only (idempotent) action
                finish(std::move(call_.outcome().error()));
                return;
            }
            if (J::kind_of(*parsed) == json::kind::object) v = std::move(*parsed);
        }
        if (auto f = found(v); !f) {
            error e = std::move(f.error());
            e.http_status = status;
            e.correlation_id = info_.correlation_id;
            e.request = operation::data_action;
            finish(std::move(e));
            return;
        } else {
            info_.found = *f;
        }
        info_.status = "COMPLETED";
        outputs_ = std::move(v);
        this->stop();
    }

    // The found rule (data_action_options): the found_key output if present, else any output with
    // a value (not null, false, 0, or an empty string, array or object: {"contacts":[],"matchCount":0}
    // found nothing).
    result<bool> found(const value_type& outputs) const {
        if (!opt_.found_key.empty()) {
            if (const auto* f = J::find(outputs, opt_.found_key)) {
                const json::kind k = J::kind_of(*f);
                if (k == json::kind::boolean) return J::get_bool(*f);
                if (k == json::kind::null) return false;
                const std::string key = detail::clip(opt_.found_key, 128);
                // The value itself is never quoted: it may be personal data.
                error e = make_error(errc::mapping,
                                     "the data action's \"" + key + "\" output is a " + json::to_string(k) +
                                         ", not a JSON boolean: only true means found",
                                     "make the action's \"" + key +
                                         "\" output a boolean (true when a contact matched), or change "
                                         "data_action_options::found_key (empty: found when any output has a value)");
                e.code = std::string(codes::found_output);
                e.path = "output[\"" + key + "\"]";
                return e;
            }
        }
        bool any = false;
        J::for_each_member(outputs, [&any](std::string_view, const value_type& m) {
            switch (J::kind_of(m)) {
            case json::kind::null: break;
            case json::kind::boolean: any = J::get_bool(m); break;
            case json::kind::integer: any = J::get_int(m) != 0; break;
            case json::kind::uint: any = J::get_uint(m) != 0; break;
            case json::kind::number: any = J::get_double(m) != 0; break;
            case json::kind::string: any = !J::get_string(m).empty(); break;
            case json::kind::array:
            case json::kind::object: any = J::size(m) != 0; break;
            }
            return !any;
        });
        return any;
    }

    void finish(error e) {
        detail::redact_number(e, number_);  // personal data
        if (opt_.secure) {
            for (const auto& s : inputs_) detail::redact(e, s, "[input]");
            if (e.http_status >= 400) e.message += " (the server's message is withheld: the data action is secure)";
        }
        call_.scrub(e);
        error_ = std::move(e);
        this->stop();
    }

    data_action_options opt_;
    time_point created_{};
    int answered_status_ = 0;  // the HTTP status of the execute request's last answer
    execution_info info_;
    std::string number_;
    std::vector<std::string> inputs_;  // a secure action's input values, scrubbed from errors
    value_type outputs_ = J::make_object();
    std::optional<error> error_;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/strategy.hpp> ====================================================================
#ifndef GCX_STRATEGY_HPP
#define GCX_STRATEGY_HPP

// strategy_operation: the lookup the configuration asks for, as one sans-I/O operation (the
// contract is in operation.hpp). It is what basic_client::lookup and gcx-lookup's event loop
// run, so every strategy behaves the same under every driver:
//   lookup_strategy::flow              the workflow (lookup_operation)
//   lookup_strategy::direct            External Contacts directly (direct_lookup_operation)
//   lookup_strategy::flow_then_direct  the workflow; when it cannot be launched at all (403 or
//                                      404 on the launch: no execution started), the direct
//                                      lookup, within what is left of the same deadline.
//   lookup_strategy::data_action       the data action (data_action_operation): one request
//   lookup_strategy::data_action_then_flow, data_action_then_direct
//                                      the data action; when it cannot run (its execution failed
//                                      with a status of data_action_options::fallback_statuses:
//                                      403, 404 by default), the flow or the direct lookup, within
//                                      what is left of the same deadline, on the same credential.
// The answer has the shape of a flow lookup's either way; execution.source says which path
// answered, execution.fallback_reason why the first path of a chain was not used (the error's
// message says it when the second path failed too), and
// execution.requests counts the requests of both.

#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {
/// The extra inputs of a lookup (flow-style "Flow.<Var>" keys, as write_inputs<J> gives them) as a
/// data action takes them: top-level keys without the "Flow." prefix; other keys as they are.
template <class J>
typename J::value action_inputs(typename J::value inputs) {
    if (J::kind_of(inputs) != json::kind::object) return inputs;
    bool prefixed = false;
    J::for_each_member(inputs, [&](std::string_view key, const typename J::value&) {
        prefixed = key.substr(0, 5) == "Flow.";
        return !prefixed;
    });
    if (!prefixed) return inputs;
    auto out = J::make_object();
    J::for_each_member(inputs, [&](std::string_view key, const typename J::value& v) {
        J::set(out, key.substr(0, 5) == "Flow." ? key.substr(5) : key, v);
        return true;
    });
    return out;
}
}  // namespace detail

template <class J>
class strategy_operation : public detail::outputs_as_struct<strategy_operation<J>, J> {
public:
    using value_type = typename J::value;

    /// Prepares a lookup of `phone` with the session's configured strategy. `extra_inputs` (a JSON
    /// object of "Flow.<Var>" keys, or null) go to the flow beside the number; a data action gets
    /// them with the "Flow." prefix dropped (detail::action_inputs: keys without it go as they are).
    strategy_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : strategy_(s.config().strategy), hook_(s.config().on_event), started_(now), last_(now) {
        if (hook_) id_ = s.next_lookup_id();
        const auto deadline = op_deadline::from(now, s.config());
        const std::size_t credential = s.pick(now);
        if (strategy_ == lookup_strategy::direct) {
            direct_.emplace(s, phone, deadline, credential, s.config().direct);
        } else if (uses_data_action(strategy_)) {
            const bool chained = strategy_ != lookup_strategy::data_action;
            auto inputs =
                chained ? detail::action_inputs<J>(extra_inputs) : detail::action_inputs<J>(std::move(extra_inputs));
            action_.emplace(s, phone, deadline, credential, std::move(inputs), s.config().action);
            if (chained) {
                if (s.config().action.secure) detail::collect_strings<J>(extra_inputs, secure_inputs_);
                phone_ = std::string(phone);
                extra_ = std::move(extra_inputs);
                session_.emplace(std::move(s));
            }
        } else {
            phone_ = std::string(phone);
            flow_.emplace(s, phone, deadline, credential, std::move(extra_inputs));
            session_.emplace(std::move(s));
        }
        number_paths();
    }

    action next(time_point now) {
        last_ = now;
        action a = step(now);
        if (a.kind == action::type::send) ++requests_;
        return a;
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        last_ = now;
        if (action_) return action_->on_response(std::move(r), now, wall_now);
        if (direct_) return direct_->on_response(std::move(r), now, wall_now);
        if (flow_) flow_->on_response(std::move(r), now, wall_now);
    }

    bool done() const noexcept {
        // A chain's first path that cannot run may still hand over to the second (at the next next()).
        if (action_) return action_->done() && (!chained() || first_result_.has_value());
        if (direct_) return direct_->done();
        if (!flow_) return true;
        return flow_->done() && (strategy_ != lookup_strategy::flow_then_direct || first_result_.has_value());
    }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept {
        return action_ ? action_->number() : direct_ ? direct_->number() : flow_->number();
    }
    /// The flow execution's id as the lookup reports it (scrubbed of credentials and the number;
    /// empty before the launch was answered, or without a flow).
    std::string execution_id() const { return flow_ ? flow_->execution().id : std::string(); }
    token_cache& tokens() noexcept {
        return action_ ? action_->tokens() : direct_ ? direct_->tokens() : flow_->tokens();
    }

    /// The outcome, in the shape of a flow lookup's. Valid once done(). With an event hook
    /// configured, raises the lookup_finished event (once: the driver takes the result once).
    result<lookup_result<value_type>> take_result() {
        auto r = outcome();
        if (hook_) raise_finished(r);
        return r;
    }

    /// The driver ends the lookup without taking its result (a cancel): the request in flight gets
    /// its request_answered event with `e`, and lookup_finished is raised with `e` as the outcome,
    /// as take_result() would have raised it. Call it once, instead of take_result().
    void abandon(const error& e, time_point now) {
        last_ = now;
        if (!hook_) return;
        if (action_) action_->abandon(e, now);
        else if (direct_) direct_->abandon(e, now);
        else if (flow_) flow_->abandon(e, now);
        raise_finished(result<lookup_result<value_type>>(e));
    }

private:
    action step(time_point now) {
        for (;;) {
            if (action_) {
                action a = action_->next(now);
                if (a.kind != action::type::done || !chained()) return a;
                if (!fallback_from_action()) return a;
                continue;
            }
            if (direct_) return direct_->next(now);
            if (!flow_) return action::done();
            action a = flow_->next(now);
            if (a.kind != action::type::done || strategy_ != lookup_strategy::flow_then_direct) return a;
            if (!fallback()) return a;
        }
    }

    result<lookup_result<value_type>> outcome() {
        if (first_result_) return std::move(*first_result_);
        if (action_) return action_->take_result();
        auto r = direct_ ? direct_as_lookup<J>(direct_->take_result()) : flow_->take_result();
        if (fallback_reason_.empty()) return r;
        if (r) {
            r->execution.fallback_reason = std::move(fallback_reason_);
            r->execution.requests += first_requests_;
            r->execution.queued = first_queued_;
        } else {
            for (const auto& s : secure_inputs_) detail::redact(r.error(), s, "[input]");
            // The second path failed too: what made the first give way is half the answer (a
            // wrong action or flow id behind a refused fallback).
            r.error().message += " (the chain's second path; the first could not run: " + fallback_reason_ + ")";
        }
        return r;
    }

    // Gives the path now running this lookup's number for its events.
    void number_paths() noexcept {
        if (id_ == 0) return;
        if (action_) action_->set_lookup_id(id_);
        if (direct_) direct_->set_lookup_id(id_);
        if (flow_) flow_->set_lookup_id(id_);
    }

    void raise_finished(const result<lookup_result<value_type>>& r) const {
        event e;
        e.kind = event_kind::lookup_finished;
        e.lookup = id_;
        e.at = last_;
        e.duration = remaining(started_, last_);
        e.strategy = to_string(strategy_);
        e.requests = requests_;
        std::string code;
        if (r) {
            e.outcome = "ok";
            e.source = r->execution.source;
            e.polls = r->execution.polls;
        } else {
            e.outcome = "error";
            e.source = action_ ? data_action_source : direct_ ? std::string_view("direct") : std::string_view("flow");
            e.polls = flow_ ? flow_->execution().polls : 0;
            e.error_kind = to_string(r.error().kind);
            code = r.error().code;  // errors are scrubbed of credentials already
            e.error_code = event_safe_code(code);
        }
        detail::raise(hook_, e);
    }

    bool chained() const noexcept {
        return strategy_ == lookup_strategy::data_action_then_flow ||
               strategy_ == lookup_strategy::data_action_then_direct;
    }

    // The flow is done: start the direct lookup if the launch was refused. True if it started.
    bool fallback() {
        if (first_result_) return false;
        auto r = flow_->take_result();
        const bool refused = !r && launch_refused(r.error());
        return hand_over(flow_, std::move(r), refused, [this](const op_deadline& bound, std::size_t credential) {
            direct_.emplace(*session_, phone_, bound, credential, session_->config().direct);
        });
    }

    // The data action is done: start the chain's second path if the action cannot run. True if it started.
    bool fallback_from_action() {
        if (first_result_) return false;
        const bool cannot_run = action_->cannot_run();
        return hand_over(action_, action_->take_result(), cannot_run,
                         [this](const op_deadline& bound, std::size_t credential) {
                             if (strategy_ == lookup_strategy::data_action_then_flow)
                                 flow_.emplace(*session_, phone_, bound, credential, std::move(extra_));
                             else direct_.emplace(*session_, phone_, bound, credential, session_->config().direct);
                         });
    }

    // A chain's first path (`first`) is done with `r`. Its result stands unless it failed and
    // `gives_way`; then the second path starts (start_second) within the first's time bound, on
    // its credential, and the answer will say why (fallback_reason_) and count the first's
    // requests. True if the second path started.
    template <class First, class StartSecond>
    bool hand_over(std::optional<First>& first, result<lookup_result<value_type>> r, bool gives_way,
                   StartSecond start_second) {
        if (r || !gives_way) {
            first_result_.emplace(std::move(r));
            return false;
        }
        fallback_reason_ = r.error().describe();
        first_requests_ = first->execution().requests;
        first_queued_ = first->execution().queued;
        const op_deadline bound = first->bound();
        const std::size_t credential = first->execution().credential;
        first.reset();
        start_second(bound, credential);
        phone_.clear();
        number_paths();
        return true;
    }

    lookup_strategy strategy_;
    std::optional<session> session_;
    std::string phone_;
    value_type extra_ = J::make_null();  // a chain's flow inputs, kept for its fallback
    std::optional<data_action_operation<J>> action_;
    std::optional<lookup_operation<J>> flow_;
    std::optional<direct_lookup_operation<J>> direct_;
    std::optional<result<lookup_result<value_type>>> first_result_;
    std::string fallback_reason_;
    int first_requests_ = 0;
    milliseconds first_queued_{0};
    std::vector<std::string> secure_inputs_;  // a secure action's input values, scrubbed from the second path's error
    event_hook hook_;                         // the session's, copied once: a lookup_finished event per lookup
    time_point started_;                      // for lookup_finished: from the operation's creation
    time_point last_;                         // to the last time the driver handed in
    int requests_ = 0;                        // every request sent, on every path
    std::uint64_t id_ = 0;                    // event::lookup (0: no hook)
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/check_report.hpp> ================================================================
#ifndef GCX_CHECK_REPORT_HPP
#define GCX_CHECK_REPORT_HPP

// The answer of the preflight check (check.hpp, basic_client::check): a list of checks, each
// ok | warn | fail | skipped with a message and a hint (what to do). Plain data: print it
// (to_text), serialise it (to_json / to_json_text, through any JSON backend), or walk `items`.
//
//   {"checks": [{"name": "credentials", "status": "ok", "message": "...", "hint": ""}, ...]}
//
// `area` says what a failing check is about, so a tool can choose its exit status: the
// credentials and the permissions the lookups need (exit 3 in gcx-lookup), the configuration
// (the flow id, the input variable: 2), or anything else (4). A report never holds a secret, a
// token or a phone number.

#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

enum class check_status {
    ok,       ///< checked, and fine
    warn,     ///< works, but probably not as meant (an output the code reads is not in the flow, ...)
    fail,     ///< lookups will fail for this reason
    skipped,  ///< could not be checked (a permission only the check needs, an earlier failure, unknowable)
};

inline const char* to_string(check_status s) noexcept {
    switch (s) {
    case check_status::ok: return "ok";
    case check_status::warn: return "warn";
    case check_status::fail: return "fail";
    case check_status::skipped: return "skipped";
    }
    return "unknown";
}

/// What a check is about (for exit statuses; not serialised).
enum class check_area {
    credentials,    ///< the token, the OAuth client
    permission,     ///< a permission the lookups need
    configuration,  ///< what the configuration names: the flow, its input variable
    other,          ///< the flow's state, its outputs, limits, the network
};

struct check_item {
    std::string name;  ///< "credentials", "flow", "output Found", "permission architect:flow:view", ...
    check_status status = check_status::ok;
    std::string message;  ///< what was found
    std::string hint;     ///< what to do about it (may be empty when ok)
    check_area area = check_area::other;
};

struct check_report {
    std::vector<check_item> items;

    /// Whether any check failed.
    bool failed() const noexcept {
        for (const auto& i : items)
            if (i.status == check_status::fail) return true;
        return false;
    }
    /// Whether a check of `area` failed.
    bool failed(check_area area) const noexcept {
        for (const auto& i : items)
            if (i.status == check_status::fail && i.area == area) return true;
        return false;
    }
    /// The first check called `name`, or nullptr.
    const check_item* find(std::string_view name) const noexcept {
        for (const auto& i : items)
            if (i.name == name) return &i;
        return nullptr;
    }
    check_item* find(std::string_view name) noexcept {
        for (auto& i : items)
            if (i.name == name) return &i;
        return nullptr;
    }
    std::size_t count(check_status s) const noexcept {
        std::size_t n = 0;
        for (const auto& i : items) n += i.status == s;
        return n;
    }

    check_item& add(std::string name, check_status st, std::string message, std::string hint = {},
                    check_area area = check_area::other) {
        items.push_back(check_item{std::move(name), st, std::move(message), std::move(hint), area});
        return items.back();
    }

    /// One line per check, "[ ok ] name: message", the hint on the next line ("       -> hint"),
    /// and a last line that counts them.
    std::string to_text() const {
        std::string out;
        for (const auto& i : items) {
            out += '[';
            const std::string_view st = to_string(i.status);
            out.append(st.data(), st.size());
            out.append(st.size() < 7 ? 7 - st.size() : 0, ' ');
            out += "] ";
            out += one_line(i.name);
            out += ": ";
            out += one_line(i.message);
            out += '\n';
            if (!i.hint.empty()) {
                out += "          -> ";
                out += one_line(i.hint);
                out += '\n';
            }
        }
        out += std::to_string(count(check_status::ok)) + " ok, " + std::to_string(count(check_status::warn)) +
               " warnings, " + std::to_string(count(check_status::fail)) + " failed, " +
               std::to_string(count(check_status::skipped)) + " skipped\n";
        return out;
    }

private:
    // A server's text (a flow name) must not forge lines nor drive the terminal: C0 controls and
    // DEL, C1 controls (U+0080 to U+009F: CSI, NEL) and U+2028/U+2029 become spaces.
    static std::string one_line(const std::string& s) {
        std::string out;
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (const std::size_t n = detail::line_breaker_at(s, i)) {
                out += ' ';
                i += n - 1;
            } else {
                out += c < 0x20 || c == 0x7f ? ' ' : s[i];
            }
        }
        return out;
    }
};

/// {"checks": [{"name", "status", "message", "hint"}, ...]}
template <class J>
typename J::value to_json(const check_report& r) {
    auto checks = J::make_array();
    for (const auto& i : r.items) {
        auto o = J::make_object();
        J::set(o, "name", J::make_string(i.name));
        J::set(o, "status", J::make_string(to_string(i.status)));
        J::set(o, "message", J::make_string(i.message));
        J::set(o, "hint", J::make_string(i.hint));
        J::push_back(checks, std::move(o));
    }
    auto out = J::make_object();
    J::set(out, "checks", std::move(checks));
    return out;
}

template <class J>
std::string to_json_text(const check_report& r) {
    return J::serialize(to_json<J>(r));
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/text.hpp> ==================================================================
#ifndef GCX_CHECK_TEXT_HPP
#define GCX_CHECK_TEXT_HPP

// The wording the preflight check's items share (check.hpp and check/*.hpp): an error as one
// line, a server's name quoted and clipped, the region an API URL is on. Nothing here holds or
// prints a secret: only what a server answered (clipped) and the configured URLs.

#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace check_detail {

inline std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

inline std::string quoted(std::string_view s) { return "'" + detail::clip(s, 200) + "'"; }

/// "HTTP 404 (not.found): The requested resource was not found."
inline std::string failure_text(const error& e) {
    std::string s;
    if (e.http_status != 0) s = "HTTP " + std::to_string(e.http_status);
    if (!e.code.empty()) s += (s.empty() ? "" : " ") + std::string("(") + e.code + ")";
    if (!e.message.empty()) s += (s.empty() ? "" : ": ") + e.message;
    return s;
}

/// What to do when the API answered a probe with a 404 or 400 of its own, not Genesys Cloud's.
inline constexpr const char* api_url_hint =
    "check the API URL (GENESYS_REGION, GCX_API_URL or --api-url): it must be the region's API host itself, or a "
    "gateway that passes requests through unchanged";

/// Whether `e` says the request did not get through (the network item reports it). An answer too
/// large to read did get through: the network works, that answer does not.
inline bool is_network(const error& e) noexcept {
    return (e.kind == errc::transport && e.code != codes::too_large) || e.kind == errc::timeout;
}

/// The region whose domain the API URL is on, or empty.
inline std::string region_of(const std::string& api_url) {
    auto u = http::parse_url(api_url);
    if (!u) return {};
    for (const auto& r : regions)
        if (u->host == "api." + std::string(r.domain)) return std::string(r.name);
    return {};
}

}  // namespace check_detail

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/credentials.hpp> ===========================================================
#ifndef GCX_CHECK_CREDENTIALS_HPP
#define GCX_CHECK_CREDENTIALS_HPP

// The preflight check's credentials item, one per credential (OAuth client): whether a token was
// obtained (POST /oauth/token) and what GET /api/v2/tokens/me says of it (the OAuth client and the
// org, by name and id; the token's scopes). The item names the credential by its client id,
// never by its secret; the token itself is never quoted.

#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

/// What a credentials item said.
enum class token_check {
    working,      ///< a token that the API takes
    refused,      ///< no token, or one the API refused
    unreachable,  ///< the login URL or the API did not answer (see the network item)
};

/// How one credential's item is named and what its failure hint says.
struct credential_item {
    std::string name = "credentials";                                                    ///< the item's name
    std::string hint = "check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and the region";  ///< when refused
    /// `hint` wins over the OAuth error's own (which names the variables of the first credential).
    bool own_hint = false;
};

/// Adds the item of one credential from the outcome of GET /api/v2/tokens/me (`err`: nullptr when
/// it answered 2xx, with `body`, nullptr when not a JSON object). `answered`: the API answered (so
/// a token was obtained). The token's scopes are appended to `scopes` (for the launch permission),
/// and its organization's id is put in `org` (empty when not known).
template <class J>
token_check report_credential(check_report& report, const credential_item& it, const error* err, bool answered,
                              const typename J::value* body, std::string& scopes, std::string& org_id) {
    using value_type = typename J::value;
    if (err && !answered) {
        // The token request itself failed: what the OAuth server said, and what it means.
        const error& e = *err;
        if (check_detail::is_network(e)) {
            report.add(it.name, check_status::skipped, "no token: the login URL did not answer (see network)", {},
                       check_area::credentials);
            return token_check::unreachable;
        }
        const bool config = e.code == codes::redirect || e.code == codes::token_response || e.kind == errc::config ||
                            e.kind == errc::protocol;
        // Only a refusal is the credentials' fault; an outage (5xx) or a rate limit is not.
        const check_area area = config                 ? check_area::configuration
                                : e.kind == errc::auth ? check_area::credentials
                                                       : check_area::other;
        report.add(it.name, check_status::fail, "no token: " + check_detail::failure_text(e),
                   e.hint.empty() || (it.own_hint && e.kind == errc::auth) ? it.hint : e.hint, area);
        return token_check::refused;
    }
    if (err) {
        // A token, but GET tokens/me was refused: the token works for nothing else either when
        // that is a 401; otherwise say what is known.
        const bool refused = err->kind == errc::auth;
        if (err->http_status == 404 && err->code.empty()) {  // not Genesys's answer: a wrong API URL
            report.add(it.name, check_status::fail,
                       "a token was obtained, but the API answered GET /api/v2/tokens/me with HTTP 404 and no "
                       "Genesys Cloud error body",
                       check_detail::api_url_hint, check_area::configuration);
            return token_check::refused;
        }
        report.add(it.name, refused ? check_status::fail : check_status::ok,
                   refused ? "a token was obtained but refused: " + check_detail::failure_text(*err)
                           : "a token was obtained (GET /api/v2/tokens/me failed: " + check_detail::failure_text(*err) +
                                 ")",
                   refused ? err->hint : std::string(), check_area::credentials);
        if (refused) return token_check::refused;
        return check_detail::is_network(*err) ? token_check::unreachable : token_check::working;
    }
    std::string who = "a token was obtained";
    if (body) {
        const value_type* client = J::find(*body, "OAuthClient");
        const value_type* org = J::find(*body, "organization");
        if (client && J::kind_of(*client) == json::kind::object)
            who += " for OAuth client " + check_detail::quoted(json::get_string_or<J>(*client, "name")) + " (id " +
                   check_detail::quoted(json::get_string_or<J>(*client, "id")) + ")";
        if (org && J::kind_of(*org) == json::kind::object) {
            org_id = detail::clip(json::get_string_or<J>(*org, "id"), 100);
            who += " of organization " + check_detail::quoted(json::get_string_or<J>(*org, "name")) + " (id " +
                   check_detail::quoted(org_id) + ")";
        }
        if (const value_type* sc = J::find(*body, "authorizedScope"); sc && J::kind_of(*sc) == json::kind::array) {
            J::for_each_element(*sc, [&](const value_type& x) {
                if (J::kind_of(x) == json::kind::string) {
                    if (!scopes.empty()) scopes += ", ";
                    scopes += detail::clip(J::get_string(x), 100);
                }
                return true;
            });
        }
    }
    report.add(it.name, check_status::ok, who, {}, check_area::credentials);
    return token_check::working;
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/schema_match.hpp> ==========================================================
#ifndef GCX_CHECK_SCHEMA_MATCH_HPP
#define GCX_CHECK_SCHEMA_MATCH_HPP

// The preflight check's schema matching: what a flow version's input and output schemas (or a
// data action's success schema) say, against what the lookup sends and what a struct reads
// (output_expectations<J, T>, reflect/schema.hpp). Each comparison adds items to a check_report:
//
//   match_input<J>(report, inputSchema, "Flow.PhoneNumber")   the number's variable: there, a string
//   match_outputs<J>(report, outputSchema, expected, how)      each member: there, a JSON type it takes
//
// A struct member (or an optional or vector of one) has its own members compared the same way
// with the schema's `properties` of its variable (`items.properties` for a vector), recursively,
// as items "output X.y"; when the schema lists none they are unchecked, never failed.
//
// What the schema does not say is never a failure: a workflow's variables may be keyed "Flow.X"
// or "X" in `properties` (both are accepted), and a type the check does not know is reported as
// unchecked (`skipped`). Architect publishes draft-07 schemas whose variables are references,
// {"$ref": "#/definitions/archInteger"}, to definitions that list their types in `oneOf`
// (archInteger: null, an integer, or a string holding one): both are followed.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// How match_outputs words its items.
struct schema_match_options {
    /// Who reads the outputs, for messages ("the struct", "gcx-lookup").
    std::string reader = "the struct";
    /// The data action's success schema (items "action output ...", keys without "Flow."), not a flow's.
    bool action = false;
};

namespace check_detail {

/// `s` with its "$ref" followed into `root` ("#/definitions/<name>" or "#/$defs/<name>"), up to
/// 8 references deep; nullptr for a reference that cannot be followed.
template <class J>
const typename J::value* resolved(const typename J::value* root, const typename J::value* s) {
    for (int hops = 0; s && J::kind_of(*s) == json::kind::object; ++hops) {
        const typename J::value* ref = J::find(*s, "$ref");
        if (!ref) return s;
        if (hops == 8 || !root || J::kind_of(*ref) != json::kind::string) return nullptr;
        const std::string_view r = J::get_string(*ref);
        std::string_view table;
        if (r.rfind("#/definitions/", 0) == 0) table = "definitions";
        else if (r.rfind("#/$defs/", 0) == 0) table = "$defs";
        else return nullptr;
        const typename J::value* defs = J::find(*root, table);
        if (!defs || J::kind_of(*defs) != json::kind::object) return nullptr;
        // The name is a JSON pointer token: "~1" is '/', "~0" is '~'; a further '/' goes deeper,
        // which these schemas never do.
        const std::string_view token = r.substr(table.size() + 3);
        if (token.find('/') != std::string_view::npos) return nullptr;
        std::string name;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
                name += token[++i] == '0' ? '~' : '/';
            } else {
                name += token[i];
            }
        }
        s = J::find(*defs, name);
    }
    return s;
}

/// A schema's "properties" object (its "$ref" followed into `root`), or nullptr.
template <class J>
const typename J::value* properties_of(const typename J::value* schema, const typename J::value* root = nullptr) {
    schema = resolved<J>(root ? root : schema, schema);
    if (!schema || J::kind_of(*schema) != json::kind::object) return nullptr;
    const typename J::value* p = J::find(*schema, "properties");
    return p && J::kind_of(*p) == json::kind::object ? p : nullptr;
}

/// The names a schema's `required` lists besides `key`, comma-separated ("" when none).
template <class J>
std::string other_required(const typename J::value& schema, const std::string& key) {
    std::string extra;
    const typename J::value* req = J::kind_of(schema) == json::kind::object ? J::find(schema, "required") : nullptr;
    if (req && J::kind_of(*req) == json::kind::array)
        J::for_each_element(*req, [&](const typename J::value& x) {
            if (J::kind_of(x) == json::kind::string && J::get_string(x) != key)
                extra += (extra.empty() ? "" : ", ") + detail::clip(J::get_string(x), 100);
            return extra.size() < 400;
        });
    return extra;
}

/// The property `name` (or, for "Flow.X", "X"; for "X", "Flow.X"), and the key it was found under.
/// `exact`: `name` only (a data action's answer is read by its keys as they are, no "Flow." aliasing).
template <class J>
const typename J::value* property(const typename J::value& props, const std::string& name, const std::string& bare,
                                  std::string* key = nullptr, bool exact = false) {
    std::vector<std::string> keys{name};
    if (!exact && !bare.empty()) keys.push_back(bare);
    if (!exact && bare.empty() && name.rfind("Flow.", 0) == 0) keys.push_back(name.substr(5));
    if (!exact && name.rfind("Flow.", 0) != 0) keys.push_back("Flow." + name);
    for (const auto& k : keys)
        if (const typename J::value* v = J::find(props, k)) {
            if (key) *key = k;
            return v;
        }
    return nullptr;
}

/// A property's "type" as json_types bits ("$ref" followed into `root`; a "oneOf" or "anyOf" of
/// typed schemas, as Architect's definitions are, gives the types of all); 0 when absent or not
/// one the check knows.
/// `budget` bounds the schemas looked at (a hostile document's fan-out of references would
/// otherwise cost its size to the power of the depth): past it, the type is unknown.
template <class J>
unsigned schema_types(const typename J::value& property, const typename J::value* root = nullptr, int depth = 0,
                      int* budget = nullptr) {
    int own_budget = 256;
    if (!budget) budget = &own_budget;
    if (--*budget < 0) return 0;
    const typename J::value* prop = resolved<J>(root, &property);
    if (!prop || J::kind_of(*prop) != json::kind::object || depth > 4) return 0;
    const typename J::value* t = J::find(*prop, "type");
    if (!t) {
        for (const char* alternatives : {"oneOf", "anyOf"}) {
            const typename J::value* a = J::find(*prop, alternatives);
            if (!a || J::kind_of(*a) != json::kind::array || J::size(*a) == 0) continue;
            unsigned bits = 0;
            bool known = true;
            J::for_each_element(*a, [&](const typename J::value& x) {
                const unsigned b = schema_types<J>(x, root, depth + 1, budget);
                known = b != 0;
                bits |= b;
                return known;
            });
            return known ? bits : 0;
        }
        return 0;
    }
    if (J::kind_of(*t) == json::kind::string) return json_types::from_name(J::get_string(*t));
    if (J::kind_of(*t) != json::kind::array) return 0;
    unsigned bits = 0;
    bool known = true;
    J::for_each_element(*t, [&](const typename J::value& x) {
        const unsigned b = J::kind_of(x) == json::kind::string ? json_types::from_name(J::get_string(x)) : 0;
        known = known && b != 0;
        bits |= b;
        return true;
    });
    return known ? bits : 0;
}

/// The keys of a "properties" object, at most `max` of them, clipped.
template <class J>
std::string names_of(const typename J::value& props, std::size_t max = 12) {
    std::string out;
    std::size_t n = 0;
    J::for_each_member(props, [&](std::string_view k, const typename J::value&) {
        if (n++ < max) out += (out.empty() ? "" : ", ") + detail::clip(k, 100);
        return true;
    });
    if (n > max) out += ", ... (" + std::to_string(n) + " in all)";
    return out;
}

template <class J>
void match_member(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root);

/// The members of a struct member `x` (read as `member`, from the schema `p` found at `key`)
/// against the schema's `properties` of it (`items.properties` for a vector): each as
/// match_member; none listed: one `skipped` item "output <member>.*", never a failure.
template <class J>
void match_nested(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root) {
    using value_type = typename J::value;
    const value_type* schema = resolved<J>(root, &p);
    if (x.in_items) schema = schema && J::kind_of(*schema) == json::kind::object ? J::find(*schema, "items") : nullptr;
    const value_type* props = properties_of<J>(schema, root);
    const std::string path = key + (x.in_items ? "[]" : "");
    if (!props) {
        std::string names;
        for (std::size_t i = 0; i < x.members.size() && i < 8; ++i) names += (i ? ", " : "") + x.members[i].member;
        if (x.members.size() > 8) names += ", ... (" + std::to_string(x.members.size()) + " in all)";
        report.add(pre + "output " + member + ".*", check_status::skipped,
                   "unchecked: " + who + "'s schema gives " + path + " no properties (members " + names +
                       " not compared)");
        return;
    }
    for (const auto& m : x.members) {
        const std::string sub = member + "." + m.member;
        const std::string sub_key = path + "." + m.variable;
        const value_type* q = J::find(*props, m.variable);
        if (q) {
            match_member<J>(report, pre, sub, m, *q, sub_key, who, reader, root);
            continue;
        }
        const std::string msg =
            reader + " reads member " + sub + " from " + sub_key + ", which " + who + "'s schema does not list";
        const std::string fix = "add " + m.variable + " to " + path + " in " + who +
                                "'s output, or map the member to the name it has there (gcx_json_name)";
        if (m.optional) report.add(pre + "output " + sub, check_status::warn, msg + ": it will always be empty", fix);
        else
            report.add(pre + "output " + sub, check_status::fail,
                       msg + ": a lookup will fail to map whenever " + path + " is present", fix);
    }
}

/// One member `x` (shown as `member`) against its property's schema `p`, found at `key`: its JSON
/// type (ok; fail when the schema's type is not one the member takes; warn for an integer member
/// reading a number, a number member reading a plain string, a string member reading Architect's
/// integer-or-string; skipped when the schema gives no type gcx knows), then its own members.
template <class J>
void match_member(check_report& report, const std::string& pre, const std::string& member, const output_expectation& x,
                  const typename J::value& p, const std::string& key, const std::string& who, const std::string& reader,
                  const typename J::value* root) {
    using namespace json_types;
    const std::string item = pre + "output " + member;
    const unsigned t = schema_types<J>(p, root);
    const std::string need = to_text(x.types);
    if (t == 0) {
        report.add(item, check_status::skipped,
                   "unchecked: member " + member + " reads " + key +
                       ", whose schema type gcx does not know (it needs " + need + ")");
        return;
    }
    unsigned missing = t & ~x.types & ~null;
    const std::string has = to_text(t);
    // A number member also reads a string holding a number: beside an integer or a number (an
    // Architect Integer or Decimal) the string is one; alone, it may hold anything.
    const bool numeric = (x.types & (integer | number)) != 0;
    bool plain_string = false;
    if (numeric && (missing & string) != 0) {
        missing &= ~string;
        plain_string = (t & (integer | number)) == 0;
    }
    if (missing == 0 && plain_string) {
        report.add(item, check_status::warn,
                   "member " + member + " (a number) reads " + key + ", a string: a value that is not a number " +
                       "will fail to map",
                   "make the member a std::string, or the flow's variable an Integer or a Decimal");
        return;
    }
    if (missing != 0 && (missing & ~(integer | number)) == 0 && x.any_string && (t & string) != 0) {
        report.add(item, check_status::warn,
                   "member " + member + " (a string) reads " + key + ", which " + who + " outputs as " + has +
                       ": Architect sends an Integer as a string, but a JSON number would fail to map",
                   "make the member an integer type: it reads a number and a string holding one");
        return;
    }
    if (missing == 0) {
        report.add(item, check_status::ok,
                   "member " + member + " reads " + key + " (" + has +
                       (x.json_in_string && (t & json_types::string) != 0 ? ", JSON in a string" : "") + ")");
    } else if (missing == json_types::number && (x.types & json_types::integer) != 0) {
        report.add(item, check_status::warn,
                   "member " + member + " (integer) reads " + key +
                       ", a number: a value with a fraction will fail to map",
                   "make the member a double, or the flow's variable an Integer");
        return;
    } else {
        report.add(item, check_status::fail,
                   "member " + member + " reads " + key + ": " + who + " outputs " + has + ", the member needs " + need,
                   "change the member's type to take " + has + ", or " + who + "'s output to " + need);
        return;
    }
    if (!x.members.empty()) match_nested<J>(report, pre, member, x, p, key, who, reader, root);
}

}  // namespace check_detail

/// The flow version's input schema against the variable the number is sent in.
template <class J>
void match_input(check_report& report, const typename J::value* schema, const std::string& var) {
    using value_type = typename J::value;
    const std::string name = "input " + var;
    const value_type* props = check_detail::properties_of<J>(schema);
    if (!props) {
        report.add(name, check_status::skipped, "unchecked: the flow version publishes no input schema", {},
                   check_area::configuration);
        return;
    }
    std::string key;
    const value_type* p = check_detail::property<J>(*props, var, {}, &key);
    if (!p) {
        const std::string have = check_detail::names_of<J>(*props);
        report.add(name, check_status::fail,
                   "the flow has no input variable " + var +
                       (have.empty() ? std::string(" (it has no inputs)") : "; its inputs: " + have),
                   "in Architect, mark the phone number variable 'Input to flow' and publish, or set the input "
                   "variable (input_variable, --input-var) to the flow's name for it",
                   check_area::configuration);
        return;
    }
    if (key != var && key.compare(0, 5, "Flow.") == 0 &&
        var.compare(0, 5, "Flow.") != 0) {  // inputData is keyed as sent
        report.add(name, check_status::fail, "the flow's input is " + key + "; lookups send " + var,
                   "set the input variable (input_variable, --input-var) to " + key, check_area::configuration);
        return;
    }
    const unsigned t = check_detail::schema_types<J>(*p, schema);
    const std::string extra = check_detail::other_required<J>(*schema, key);
    if (t == 0) {
        report.add(name, check_status::skipped, "unchecked: the schema gives " + key + " no type gcx knows", {},
                   check_area::configuration);
    } else if ((t & json_types::string) == 0) {  // a union that allows a string takes it
        report.add(name, check_status::fail,
                   "input variable " + key + " is " + json_types::to_text(t) + "; the number is sent as a string",
                   "make " + key + " a String variable in Architect and publish", check_area::configuration);
    } else if (!extra.empty()) {
        report.add(name, check_status::warn, "input variable " + key + " is a string; the flow also requires " + extra,
                   "pass those inputs with each lookup (lookup(phone, inputs)), or make them optional in the flow",
                   check_area::configuration);
    } else {
        report.add(name, check_status::ok, "input variable " + key + " is a string", {}, check_area::configuration);
    }
}

/// Every member of `expected` marked skipped (the outputs could not be read), as "output <member>".
inline void skip_outputs(check_report& report, const std::optional<std::vector<output_expectation>>& expected,
                         const std::string& prefix, const std::string& why) {
    if (!expected) return;
    for (const auto& x : *expected) report.add(prefix + "output " + x.member, check_status::skipped, why);
}

/// The flow version's output schema, or (`how.action`) the data action's success schema, against
/// what `expected` reads (nullopt: only the list of outputs is reported).
template <class J>
void match_outputs(check_report& report, const typename J::value* schema,
                   const std::optional<std::vector<output_expectation>>& expected,
                   const schema_match_options& how = {}) {
    using value_type = typename J::value;
    const bool action = how.action;
    const std::string who = action ? "the action" : "the flow";
    const std::string pre = action ? "action " : "";
    const value_type* props = check_detail::properties_of<J>(schema);
    if (!props) {
        const std::string why = action ? "unchecked: the action publishes no success schema"
                                       : "unchecked: the flow version publishes no output schema";
        report.add(pre + "outputs", check_status::skipped, why);
        skip_outputs(report, expected, pre, why);
        return;
    }
    const std::size_t count = J::size(*props);
    if (count == 0) {
        report.add(pre + "outputs", check_status::warn,
                   who + (action ? " declares no outputs" : " declares no output variables") +
                       ": every lookup returns empty outputs",
                   action ? "give the action's output contract the keys the lookup needs"
                          : "in Architect, mark the variables the lookup sets 'Output from flow' and publish");
    } else {
        report.add(pre + "outputs", check_status::ok,
                   who + " outputs " + std::to_string(count) + " variable" + (count == 1 ? "" : "s") + ": " +
                       check_detail::names_of<J>(*props, 20));
    }
    if (!expected) return;
    std::vector<std::string> read_keys;
    for (const auto& x : *expected) {
        const std::string item = pre + "output " + x.member;
        std::string key;
        // A data action's answer is read by its keys exactly as named (no "Flow." either way).
        const std::string from = action ? (x.bare.empty() ? x.variable : x.bare) : x.variable;
        const value_type* p = action ? check_detail::property<J>(*props, from, {}, &key, /*exact=*/true)
                                     : check_detail::property<J>(*props, x.variable, x.bare, &key);
        if (!p) {
            const std::string msg =
                how.reader + " reads member " + x.member + " from " + from + ", which " + who + " does not output";
            const std::string fix = action ? "add " + from +
                                                 " to the action's output contract, or map the member "
                                                 "to the action's name (gcx_json_name)"
                                           : "name an 'Output from flow' variable " + x.variable +
                                                 " in Architect, or map the member to the flow's name (gcx_json_name)";
            if (x.optional) report.add(item, check_status::warn, msg + ": it will always be empty", fix);
            else report.add(item, check_status::fail, msg + ": every lookup will fail to map", fix);
            continue;
        }
        read_keys.push_back(key);
        check_detail::match_member<J>(report, pre, x.member, x, *p, key, who, how.reader, schema);
    }
    std::string unread;
    std::size_t n_unread = 0;
    J::for_each_member(*props, [&](std::string_view k, const value_type&) {
        if (std::find(read_keys.begin(), read_keys.end(), k) == read_keys.end()) {
            if (n_unread++ < 20) unread += (unread.empty() ? "" : ", ") + detail::clip(k, 100);
        }
        return true;
    });
    if (n_unread == 0)
        report.add(pre + "outputs not read", check_status::ok, how.reader + " reads every output of " + who);
    else
        report.add(pre + "outputs not read", check_status::warn,
                   std::to_string(n_unread) + " output" + (n_unread == 1 ? "" : "s") + " of " + who + " " + how.reader +
                       " does not read: " + unread,
                   "add members for them if they are needed (a name differing only in spelling is a likely "
                   "mismatch)");
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/data_action.hpp> ===========================================================
#ifndef GCX_CHECK_DATA_ACTION_HPP
#define GCX_CHECK_DATA_ACTION_HPP

// The preflight check's data action items (data-action strategies), from
// GET /api/v2/integrations/actions/{actionId}?includeConfig=true, which needs
// integrations:action:view (only the check needs it: without it the items are `skipped`, naming
// it): the action exists, its name and category, remote timeout, `secure` against the lookup's
// configuration; the input the number goes to; the success schema against what is read
// (check/schema_match.hpp). The execute permission is listed as not checked: the check never
// executes the action.

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// The execute permission's item: never checked (the check never executes the action).
inline void report_execute_permission(check_report& report) {
    report.add("permission integrations:action:execute", check_status::skipped,
               "not checked: only an execution would show it, and the check never executes the action",
               "a 403 on the first lookup means it is missing (or bridge:actions:execute)", check_area::permission);
}

/// Adds the data action's items (`cfg.action`'s) from the action read (`err`: nullptr when it
/// answered 2xx, with `body`, nullptr when not a JSON object). `outputs`: what is read from the
/// action's answer.
template <class J>
void report_data_action(check_report& report, const client_config& cfg, const error* err, const typename J::value* body,
                        const std::optional<std::vector<output_expectation>>& outputs, const std::string& reader) {
    using value_type = typename J::value;
    const data_action_options& a = cfg.action;
    const std::string id = detail::clip(a.action_id, 100);
    if (err && err->http_status == 403) {
        const std::string why =
            "needs integrations:action:view, which this OAuth client lacks (only the check needs it)";
        report.add("data action", check_status::skipped, why,
                   "to have the action checked, give the OAuth client a role with integrations:action:view");
        report.add("action input " + a.input_key, check_status::skipped, why, {}, check_area::configuration);
        skip_outputs(report, outputs, "action ", why);
        report_execute_permission(report);
        return;
    }
    if (err && err->http_status == 404) {
        report.add("data action", check_status::fail, "no data action with id " + id + " in this organization",
                   "check GCX_ACTION_ID (Admin > Integrations > Actions shows it; custom actions look like "
                   "custom_-_<uuid>) and the region",
                   check_area::configuration);
        return;
    }
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        report.add("data action", check_status::fail,
                   "GET /api/v2/integrations/actions/{id} failed: " + check_detail::failure_text(e), e.hint);
        return;
    }
    const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
    const std::string category = json::get_string_or<J>(*body, "category");
    std::string what = "data action " + name;
    if (!category.empty()) what += " (category " + check_detail::quoted(category) + ")";
    const value_type* secure = J::find(*body, "secure");
    const bool is_secure = secure && J::kind_of(*secure) == json::kind::boolean && J::get_bool(*secure);
    std::int64_t remote_s = -1;
    if (const value_type* cfgv = J::find(*body, "config"); cfgv && J::kind_of(*cfgv) == json::kind::object) {
        remote_s = json::get_int_or<J>(*cfgv, "timeoutSeconds", -1);
        if (remote_s > 0) what += ", its remote call times out after " + std::to_string(remote_s) + " s";
    }
    // An execution waits for its remote up to timeoutSeconds (1 to 60): gcx must wait that long too,
    // or a slow remote ends the lookup as a timeout while the action runs on (and, not read-only,
    // it is not sent again).
    const milliseconds waits = std::min(cfg.request_timeout, cfg.lookup_timeout);
    if (remote_s > 0 && remote_s <= 3600 && milliseconds{remote_s * 1000} > waits) {
        report.add("data action timeout", check_status::warn,
                   "the action's remote may take up to " + std::to_string(remote_s) +
                       " s (timeoutSeconds), longer than gcx waits for the execute request's answer (" +
                       std::to_string((waits.count() + 999) / 1000) + " s)",
                   "raise request_timeout and lookup_timeout (gcx-lookup: --request-timeout and --timeout) above " +
                       std::to_string(remote_s) + " s, or lower the action's timeoutSeconds",
                   check_area::configuration);
    }
    if (is_secure && !a.secure) {
        report.add("data action", check_status::warn,
                   what + "; it is secure (its inputs and outputs may hold personal data) but the lookup is not "
                          "configured as secure: the server's messages may reach errors",
                   "set data_action_options::secure (gcx-lookup: --action-secure) for this action",
                   check_area::configuration);
    } else {
        report.add("data action", check_status::ok, what + (is_secure ? "; secure" : ""), {},
                   check_area::configuration);
    }
    const value_type* contract = J::find(*body, "contract");
    const value_type* input = contract ? J::find(*contract, "input") : nullptr;
    const value_type* output = contract ? J::find(*contract, "output") : nullptr;
    const value_type* in_schema = input ? J::find(*input, "inputSchema") : nullptr;
    const value_type* in_props = check_detail::properties_of<J>(in_schema);
    const std::string in_name = "action input " + a.input_key;
    if (!in_props) {
        report.add(in_name, check_status::skipped, "unchecked: the action publishes no input schema", {},
                   check_area::configuration);
    } else if (const value_type* p = J::find(*in_props, a.input_key); !p) {
        report.add(in_name, check_status::fail,
                   "the action has no input " + a.input_key + "; its inputs: " + check_detail::names_of<J>(*in_props),
                   "set the input key (action.input_key, --action-input-key) to the action's name for the number",
                   check_area::configuration);
    } else {
        const unsigned t = check_detail::schema_types<J>(*p, in_schema);
        const std::string extra = check_detail::other_required<J>(*in_schema, a.input_key);
        if (t != 0 && (t & json_types::string) == 0)  // a union that allows a string takes it
            report.add(in_name, check_status::fail,
                       "action input " + a.input_key + " is " + json_types::to_text(t) +
                           "; the number is sent as a string",
                       "make the action's input a string", check_area::configuration);
        else if (!extra.empty())
            report.add(in_name, check_status::warn,
                       "action input " + a.input_key + " takes the number; the action also requires " + extra +
                           ", which lookups do not send",
                       "make those inputs optional in the action's input contract, or give them defaults",
                       check_area::configuration);
        else
            report.add(in_name, check_status::ok, "action input " + a.input_key + " takes the number", {},
                       check_area::configuration);
    }
    schema_match_options how;
    how.reader = reader;
    how.action = true;
    // With flatten the lookup reads the answer flattened: compare with the flattened schema when given.
    const value_type* success = nullptr;
    if (output && a.flatten) success = J::find(*output, "successSchemaFlattened");
    if (output && !success) success = J::find(*output, "successSchema");
    match_outputs<J>(report, success, outputs, how);
    report_execute_permission(report);
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/flow.hpp> ==================================================================
#ifndef GCX_CHECK_FLOW_HPP
#define GCX_CHECK_FLOW_HPP

// The preflight check's flow items, from GET /api/v2/flows/{flowId} (exists, not deleted, a
// workflow, published: the "flow" item) and GET /api/v2/flows/{flowId}/versions/{versionId} (the
// input and output schemas, matched by check/schema_match.hpp). Both need architect:flow:view,
// which only the check needs: a 403 makes the flow's items `skipped`, naming it.

#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// What the flow items compare the flow with.
struct flow_check_context {
    const client_config& cfg;
    const std::optional<std::vector<output_expectation>>& outputs;  ///< what the struct reads
    const std::string& reader;                                      ///< who reads them
};

/// The items that depend on the flow version (input, outputs, each output), marked skipped.
inline void skip_flow_details(check_report& report, const flow_check_context& c, const std::string& why) {
    report.add("input " + c.cfg.input_variable, check_status::skipped, why, {}, check_area::configuration);
    report.add("outputs", check_status::skipped, why);
    skip_outputs(report, c.outputs, "", why);
}

/// Adds the "flow" item from the flow read (`err`: nullptr when it answered 2xx, with `body`,
/// nullptr when not a JSON object). Returns the version to read (the configured flow_version,
/// else the published one), or nullopt when the version is not to be read (the flow's details
/// are then skipped). `flow_view` says whether architect:flow:view is present.
template <class J>
std::optional<std::string> report_flow(check_report& report, const flow_check_context& c, const error* err,
                                       const typename J::value* body, std::optional<bool>& flow_view) {
    using value_type = typename J::value;
    const client_config& cfg = c.cfg;
    if (err && err->http_status == 403) {
        flow_view = false;
        const std::string why = "needs architect:flow:view, which this OAuth client lacks (only the check needs it)";
        report.add("flow", check_status::skipped, why,
                   "to have the flow checked, give the OAuth client a role with architect:flow:view");
        skip_flow_details(report, c, why);
        return std::nullopt;
    }
    // Read (2xx) or known not to exist (404): the permission is there. Any other failure (401,
    // 5xx, the network) says nothing of it: left unknown.
    if (!err || err->http_status == 404) flow_view = true;
    if (err && err->http_status == 404) {
        report.add("flow", check_status::fail, "no flow with id " + cfg.flow_id + " in this organization",
                   "check TARGET_FLOW_ID (Architect shows the id in the flow's URL) and the region: a flow of "
                   "another org or region is not found",
                   check_area::configuration);
        skip_flow_details(report, c, "no flow");
        return std::nullopt;
    }
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        report.add("flow", check_status::fail, "GET /api/v2/flows/{id} failed: " + check_detail::failure_text(e),
                   e.hint, e.kind == errc::auth ? check_area::credentials : check_area::other);
        skip_flow_details(report, c, "the flow could not be read");
        return std::nullopt;
    }
    const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
    const std::string type = check_detail::lower(json::get_string_or<J>(*body, "type"));
    const value_type* deleted = J::find(*body, "deleted");
    if (deleted && J::kind_of(*deleted) == json::kind::boolean && J::get_bool(*deleted)) {
        report.add("flow", check_status::fail, "flow " + name + " is deleted",
                   "restore it in Architect or set TARGET_FLOW_ID to the flow in use", check_area::configuration);
        skip_flow_details(report, c, "the flow is deleted");
        return std::nullopt;
    }
    if (!type.empty() && type != "workflow") {
        report.add("flow", check_status::fail,
                   "flow " + name + " is of type " + detail::clip(type, 40) +
                       ": only a workflow can be launched through the API (an " + detail::clip(type, 40) +
                       " flow is started by its own channel)",
                   "create a Workflow flow in Architect for the lookup and set TARGET_FLOW_ID to its id",
                   check_area::configuration);
        skip_flow_details(report, c, "not a workflow");
        return std::nullopt;
    }
    std::string published;
    if (const value_type* pv = J::find(*body, "publishedVersion"); pv && J::kind_of(*pv) == json::kind::object)
        published = json::get_string_or<J>(*pv, "id");
    if (published.empty()) {
        report.add("flow", check_status::fail, "flow " + name + " has never been published",
                   "publish the flow in Architect: only a published version can be launched",
                   check_area::configuration);  // as a batch's launch of it: a configuration error (exit 2)
        skip_flow_details(report, c, "the flow has no published version");
        return std::nullopt;
    }
    report.add("flow", check_status::ok,
               "flow " + name + " (" + (type.empty() ? std::string("type not given") : type) + "), published version " +
                   detail::clip(published, 40) +
                   (cfg.flow_version.empty() ? std::string(", which lookups launch")
                                             : "; lookups launch version " + detail::clip(cfg.flow_version, 40)));
    return cfg.flow_version.empty() ? published : cfg.flow_version;
}

/// Adds the items of the flow version `version` (its input and output schemas against the
/// configured input variable and the outputs read), or "flow version" when it could not be read.
template <class J>
void report_flow_version(check_report& report, const flow_check_context& c, const std::string& version,
                         const error* err, const typename J::value* body) {
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        const bool configured = !c.cfg.flow_version.empty();
        report.add("flow version", check_status::fail,
                   "version " + detail::clip(version, 40) + " could not be read: " + check_detail::failure_text(e),
                   configured && e.http_status == 404 ? "the configured flow_version does not exist: leave it "
                                                        "empty to launch the published version"
                                                      : e.hint,
                   configured && e.http_status == 404 ? check_area::configuration : check_area::other);
        skip_flow_details(report, c, "the flow version could not be read");
        return;
    }
    match_input<J>(report, J::find(*body, "inputSchema"), c.cfg.input_variable);
    schema_match_options how;
    how.reader = c.reader;
    match_outputs<J>(report, J::find(*body, "outputSchema"), c.outputs, how);
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/limits.hpp> ================================================================
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

// ======== <gcx/check/network.hpp> ===============================================================
#ifndef GCX_CHECK_NETWORK_HPP
#define GCX_CHECK_NETWORK_HPP

// The preflight check's network item: what the driver says of its transport (trust store,
// proxy: the core knows neither), and either the error of a request that did not get through or
// one round trip, the first API request's, else the token request's. It reads no clock: the
// round trip is the difference of the times the driver handed in with the request and its answer.
//
//     check_network net;
//     net.sent(now, /*api=*/true);                          the operation hands out a request
//     net.answered(got_answer, now, "GET /api/v2/flows/x");  its answer (or failure) came
//     net.note(error);                                       a request failed (kept if a network error)
//     net.report(report, "transport curl; ...");             the "network" item

#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

class check_network {
public:
    /// A request was handed to the driver at `now`; `api`: an API request, not the token request.
    void sent(time_point now, bool api) noexcept {
        sent_at_ = now;
        sent_api_ = api;
    }

    /// The answer to the last request sent came at `now` (`ok`: an HTTP answer, whatever its
    /// status). `what` names the request ("GET /api/v2/tokens/me").
    void answered(bool ok, time_point now, const std::string& what) {
        if (!ok || (round_trip_ && !(sent_api_ && !api_round_trip_))) return;
        round_trip_ = std::chrono::duration_cast<milliseconds>(now - sent_at_);
        round_trip_of_ = sent_api_ ? what : std::string("the token request");
        api_round_trip_ = sent_api_;
    }

    /// A request failed with `e`: kept (the last one) when it did not get through.
    void note(const error& e) {
        if (check_detail::is_network(e)) error_ = e;
    }

    /// Whether a request did not get through.
    bool failed() const noexcept { return error_.has_value(); }

    /// Adds the "network" item; `description` is the driver's (empty: "transport as configured by
    /// the driver").
    void report(check_report& r, const std::string& description) const {
        const std::string net =
            description.empty() ? std::string("transport as configured by the driver") : description;
        if (error_) {
            const error& e = *error_;
            r.add("network", check_status::fail, net + "; " + check_detail::failure_text(e),
                  e.hint.empty() ? std::string("check the network path to Genesys Cloud (proxy, firewall, TLS trust "
                                               "store) and the region; a slow link needs a longer lookup timeout")
                                 : e.hint);
        } else if (round_trip_) {
            r.add("network", check_status::ok,
                  net + "; one round trip (" + round_trip_of_ + "): " + std::to_string(round_trip_->count()) + " ms");
        } else {
            r.add("network", check_status::skipped, net + "; no answer was received");
        }
    }

private:
    time_point sent_at_{};
    bool sent_api_ = false;
    bool api_round_trip_ = false;
    std::optional<milliseconds> round_trip_;
    std::string round_trip_of_;
    std::optional<error> error_;
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/check/permissions.hpp> ===========================================================
#ifndef GCX_CHECK_PERMISSIONS_HPP
#define GCX_CHECK_PERMISSIONS_HPP

// The preflight check's permission items. Two permissions the lookups need are probed with a
// harmless read whose answer tells them apart (the platform checks permissions before looking a
// resource up): a GET of an execution id that cannot exist (architect:flowExecution:view: 404
// present, 403 missing) and an External Contacts lookup of a fictional number
// (externalContacts:contact:view). The launch permission cannot be probed without launching: it
// is listed as not checked, with the token's scopes.

#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace check_detail {
/// The nil-like execution id the permission probe asks for: a valid UUID that is never issued.
inline constexpr std::string_view probe_execution_id = "00000000-0000-4000-8000-000000000000";
/// The number the External Contacts probe looks up: in the 555-01xx range reserved for fiction.
inline constexpr std::string_view probe_number = "+15550100000";
}  // namespace check_detail

/// Adds "permission <permission>" from a probe's outcome (`err`: nullptr when it answered 2xx);
/// `what` says what the lookups need it for. A 404 or 400 says the permission let the request
/// through only when it is Genesys Cloud's own answer (an ErrorBody, whose code the error keeps):
/// a gateway's or a wrong API URL's 404 page says nothing of it.
inline void report_probe(check_report& report, const error* err, const char* permission, const char* what) {
    const std::string name = std::string("permission ") + permission;
    if (err && (err->http_status == 404 || err->http_status == 400) && err->code.empty()) {
        report.add(name, check_status::fail,
                   "could not be probed: the API answered HTTP " + std::to_string(err->http_status) +
                       " without a Genesys Cloud error body",
                   check_detail::api_url_hint, check_area::configuration);
    } else if (!err || err->http_status == 404 || err->http_status == 400) {
        report.add(name, check_status::ok, std::string("present (probed with a harmless read): ") + what, {},
                   check_area::permission);
    } else if (err->http_status == 403) {
        report.add(name, check_status::fail, std::string("missing: ") + what,
                   std::string("give the OAuth client a role with ") + permission + " (Admin > Roles)",
                   check_area::permission);
    } else {
        report.add(name, check_status::skipped, "could not be probed: " + check_detail::failure_text(*err), err->hint,
                   check_area::permission);
    }
}

/// The permissions that are not probed (flow strategies): architect:flow:launch, never checked
/// (`scopes`: the token's, quoted), and architect:flow:view, known from the flow read
/// (`flow_view`: nullopt when the flow read failed otherwise than with a 403 or a 404).
inline void report_unprobed_permissions(check_report& report, const std::string& scopes,
                                        std::optional<bool> flow_view) {
    std::string msg = "not checked: only a launch would show it, and the check never launches a flow";
    if (!scopes.empty()) msg += " (the token's scopes: " + scopes + ")";
    report.add("permission architect:flow:launch", check_status::skipped, msg,
               "a 403 on the first lookup's launch means it is missing", check_area::permission);
    if (flow_view && *flow_view)
        report.add("permission architect:flow:view", check_status::ok,
                   "present (the flow could be read; only the check needs it)");
    else if (flow_view.has_value())
        report.add("permission architect:flow:view", check_status::skipped,
                   "missing (only the check needs it; lookups work without it): the flow checks were skipped",
                   "to have the flow checked, give the OAuth client a role with architect:flow:view");
    else
        report.add("permission architect:flow:view", check_status::skipped,
                   "not known: the flow was not read (see flow; only the check needs it)");
}

GCX_NAMESPACE_END

#endif

// ======== <gcx/check.hpp> =======================================================================
#ifndef GCX_CHECK_HPP
#define GCX_CHECK_HPP

// The preflight check, sans-I/O (the contract is in operation.hpp): "why doesn't my lookup
// work?" answered before the first lookup. It reads, one GET after another (never launching a
// flow, nothing with side effects):
//
//   GET /api/v2/tokens/me                                  the token, the org and OAuth client names
//   GET /api/v2/integrations/actions/{actionId}            (data-action strategies) exists, its contract
//   GET /api/v2/flows/{flowId}                             exists, not deleted, a workflow, published
//   GET /api/v2/flows/{flowId}/versions/{versionId}        the input and output schemas
//   GET /api/v2/flows/executions/{an id that cannot exist} 404: architect:flowExecution:view is there
//   GET /api/v2/externalcontacts/reversewhitepageslookup   (direct strategies) externalContacts:contact:view
//   GET /api/v2/organizations/limits/namespaces/platform.api   the request limits
//
// and answers a check_report (check_report.hpp). The flow reads need architect:flow:view, which
// only the check needs: without it they are `skipped`, naming the permission. The launch
// permission cannot be probed without launching: it is listed as not checked. Given the outputs
// a struct reads (output_expectations<J, T>, reflect/schema.hpp), every member is compared with
// the flow version's output schema: a variable the flow does not have (fail, or warn for an
// optional member), a JSON type the member cannot take (fail, naming the member, the variable
// and both types), and the outputs the flow has that the struct does not read (warn). How a
// workflow's variables are keyed in a schema ("Flow.X" or "X") is not documented: both are
// accepted, and what cannot be checked is `skipped` as unchecked, never a failure.
//
// Every credential's token is checked (one item each; with several, named by client id), and
// the later reads use the first credential whose token works.
//
// The check runs within one lookup_timeout. It reads no clock: the round trip it reports is the
// difference of the times the driver handed in. The network item describes what the driver says
// of its transport (check_options::network): the core knows no trust store nor proxy.
//
// The items are worded in check/*.hpp, one concept each: credentials.hpp (the token),
// data_action.hpp, flow.hpp, schema_match.hpp (schemas against what is sent and read),
// permissions.hpp (the probes), limits.hpp, network.hpp (the round trip), text.hpp (shared words).

#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

struct check_options {
    /// What the code reads from the flow's outputs (output_expectations<J, T>()); nullopt: no
    /// struct, only the list of the flow's outputs is reported.
    std::optional<std::vector<output_expectation>> outputs;
    /// What is read from a data action's answer, when it differs from `outputs` (gcx-lookup reads
    /// the action's found key, not the flow's Found); nullopt: `outputs`.
    std::optional<std::vector<output_expectation>> action_outputs;
    /// Who reads the outputs, for messages ("the struct", "gcx-lookup").
    std::string reader = "the struct";
    /// The driver's transport: TLS trust store, proxy (shown in the network check).
    std::string network;
};

template <class J>
class check_operation {
public:
    using value_type = typename J::value;

    check_operation(session s, time_point now, check_options opt = {})
        : s_(s), opt_(std::move(opt)), call_(s, 0, operation::check, /*idempotent=*/true, request_governor::kind::fresh,
                                             op_deadline::from(now, s.config())) {
        const client_config& cfg = s_.config();
        const std::string region = check_detail::region_of(cfg.endpoints.api);
        report_.add("endpoints", check_status::ok,
                    "API " + cfg.endpoints.api + ", login " + cfg.endpoints.login +
                        (region.empty() ? " (not a Genesys Cloud region's domain: a gateway, a proxy or the simulator)"
                                        : " (region " + region + ")"),
                    {}, check_area::configuration);
        start(step::tokens_me);
    }

    action next(time_point now) {
        for (;;) {
            if (step_ == step::done) return action::done();
            action a = call_.next(now);
            if (a.kind == action::type::send) {
                net_.sent(now, call_.awaiting_api_answer());
                return a;
            }
            if (a.kind != action::type::done) return a;
            finish_step();
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (step_ == step::done) return;
        if (call_.awaiting_api_answer()) answered_ = true;
        net_.answered(r.has_value(), now, "GET " + path_);
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) finish_step();
    }

    bool done() const noexcept { return step_ == step::done; }
    token_cache& tokens() noexcept { return call_.tokens(); }

    check_report take_result() { return std::move(report_); }

private:
    enum class step { tokens_me, data_action, flow, flow_version, probe_executions, probe_contacts, limits, done };

    void start(step st) {
        if (limited_ && st != step::done) return finish_all();
        step_ = st;
        answered_ = false;
        const client_config& cfg = s_.config();
        switch (st) {
        case step::tokens_me: path_ = "/api/v2/tokens/me"; break;
        case step::data_action:
            // The schemas come only when the contract is expanded (the SDK's expand=contract).
            path_ = "/api/v2/integrations/actions/" + http::url_encode(cfg.action.action_id) +
                    "?expand=contract&includeConfig=true";
            if (cfg.action.flatten) path_ += "&flatten=true";  // the schemas as the lookup reads the answer
            break;
        case step::flow: path_ = "/api/v2/flows/" + http::url_encode(cfg.flow_id); break;
        case step::flow_version:
            path_ = "/api/v2/flows/" + http::url_encode(cfg.flow_id) + "/versions/" + http::url_encode(version_);
            break;
        case step::probe_executions:
            path_ = "/api/v2/flows/executions/" + std::string(check_detail::probe_execution_id);
            break;
        case step::probe_contacts:
            path_ = "/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=" +
                    http::url_encode(check_detail::probe_number);
            break;
        case step::limits: path_ = "/api/v2/organizations/limits/namespaces/platform.api"; break;
        case step::done: return;
        }
        http::request req;
        req.verb = http::method::get;
        req.url = cfg.endpoints.api + path_;
        req.fields.push_back({"Accept", "application/json"});
        scrub_items();  // with the token the last step used: the next may renew it
        call_.start(std::move(req));
    }

    // What the server sent back as data (a flow's name, a limit's key) is shown as it came: a
    // credential in it (an echo, or a name chosen badly) is removed like one in an error. Each
    // call knows the secrets and its own token: the items are scrubbed before a call takes
    // another token (the next step, another credential) and at the end.
    void scrub_items() {
        for (check_item& i : report_.items) {
            call_.scrub(i.message);
            call_.scrub(i.hint);
        }
    }

    bool uses_flow() const { return gcx::uses_flow(s_.config().strategy); }
    bool uses_action() const { return gcx::uses_data_action(s_.config().strategy); }
    bool uses_direct() const {
        const lookup_strategy st = s_.config().strategy;
        return st == lookup_strategy::direct || st == lookup_strategy::flow_then_direct ||
               st == lookup_strategy::data_action_then_direct;
    }
    // After the data action (or the token): the flow, else the direct lookup's probe, else the limits.
    void start_after_action() {
        if (uses_flow()) return start(step::flow);
        if (uses_direct()) return start(step::probe_contacts);
        return start_limits();
    }
    flow_check_context flow_context() const { return {s_.config(), opt_.outputs, opt_.reader}; }

    // One credentials item per credential: "credentials" when there is one, else named by the
    // client id (never the secret).
    credential_item credential_item_of(std::size_t i) const {
        credential_item it;
        if (s_.credentials() == 1) return it;
        const client_config& c = s_.config();
        it.name = "credentials " + detail::clip(i == 0 ? c.client_id : c.extra_credentials[i - 1].client_id, 100);
        if (i > 0) {
            it.hint = "check this OAuth client's id and secret (client_config::extra_credentials, gcx-lookup's "
                      "--credentials-file) and the region: all credentials must be of the same org";
            it.own_hint = true;
        }
        return it;
    }
    // The calls from now on go with credential i, within the same deadline.
    void use_credential(std::size_t i) {
        scrub_items();
        cred_ = i;
        call_ =
            api_call<J>(s_, i, operation::check, /*idempotent=*/true, request_governor::kind::fresh, call_.deadline());
    }

    // The call of the current step ended (answer or error): record it, start the next one.
    void finish_step() {
        auto& out = call_.outcome();
        std::optional<value_type> parsed;
        if (out) {
            auto v = J::parse(out->body);
            if (v && J::kind_of(*v) == json::kind::object) parsed = std::move(*v);
        }
        const value_type* body = parsed ? &*parsed : nullptr;
        const error* err = out ? nullptr : &out.error();
        // A request that did not get through is the network item's failure (the flow version's
        // own failure is reported as it is).
        if (err && step_ != step::flow_version) net_.note(*err);
        // A 429 the call could not wait out: every later request of this client would wait too,
        // until the deadline. This step is reported, the rest is not made (finish_all).
        // A token request's 429 is that OAuth client's own (the next credential is still checked).
        if (err && err->kind == errc::rate_limited && !limited_ && (step_ != step::tokens_me || answered_))
            limited_ = *err;
        switch (step_) {
        case step::tokens_me: {
            std::string scopes, org;
            const token_check t =
                report_credential<J>(report_, credential_item_of(cred_), err, answered_, body, scopes, org);
            if (!org.empty() && org_.empty()) org_ = org;
            if (!org.empty() && org != org_) {  // a lookup on this one would look in another org
                check_item& it = report_.items.back();
                it.status = check_status::fail;
                it.message +=
                    ", not of the organization of the credentials before it (id " + check_detail::quoted(org_) + ")";
                it.hint = "all credentials must be of the same org: its flow, contacts and limits are the org's";
                it.area = check_area::credentials;
            }
            // "ok" also when the token works but GET tokens/me did not get through.
            if (report_.items.back().status == check_status::ok) got_token_ = true;
            // Refused, or of another org: no lookup goes with it (an outage or a 429 is not its fault).
            const check_item& last = report_.items.back();
            if (last.status == check_status::fail && last.area != check_area::other) ++failed_credentials_;
            if (t == token_check::working && !use_) {
                use_ = cred_;
                scopes_ = std::move(scopes);
            }
            if (cred_ + 1 < s_.credentials()) {  // every credential's token, one after another
                use_credential(cred_ + 1);
                return start(step::tokens_me);
            }
            if (!use_) return finish_all();
            if (*use_ != cred_) use_credential(*use_);
            if (s_.credentials() > 1)
                if (check_item* i = report_.find(credential_item_of(*use_).name))
                    i->message += "; the checks below use it";
            if (uses_action()) return start(step::data_action);
            return start_after_action();
        }
        case step::data_action:
            report_data_action<J>(report_, s_.config(), err, body,
                                  opt_.action_outputs ? opt_.action_outputs : opt_.outputs, opt_.reader);
            return start_after_action();
        case step::flow:
            if (auto v = report_flow<J>(report_, flow_context(), err, body, flow_view_)) {
                version_ = std::move(*v);
                return start(step::flow_version);
            }
            return start(step::probe_executions);
        case step::flow_version:
            report_flow_version<J>(report_, flow_context(), version_, err, body);
            return start(step::probe_executions);
        case step::probe_executions:
            report_probe(report_, err, "architect:flowExecution:view",
                         "lookups poll each execution for its status and outputs");
            if (uses_direct()) return start(step::probe_contacts);
            return start_limits();
        case step::probe_contacts:
            report_probe(report_, err, "externalContacts:contact:view", "the direct lookup reads External Contacts");
            return start_limits();
        case step::limits:
            report_limits<J>(report_, s_.config(), s_.credentials(), err, body, failed_credentials_);
            return finish_all();
        case step::done: return;
        }
    }

    void start_limits() {
        add_unprobed_permissions();
        start(step::limits);
    }

    void add_unprobed_permissions() {
        if (permissions_listed_) return;
        permissions_listed_ = true;
        if (uses_flow()) report_unprobed_permissions(report_, scopes_, flow_view_);
    }

    // Ends the check: what was not reached is listed as skipped, saying why (the flow and its
    // details, the permission probes, or one "permissions" item without a token, the limits),
    // after a `rate limit` item when a 429 stopped it; then the network item.
    void finish_all() {
        if (limited_ && !report_.find("rate limit")) {
            const error& e = *limited_;
            std::string wait =
                e.retry_after_seconds >= 0 ? " and asked to wait " + std::to_string(e.retry_after_seconds) + " s" : "";
            report_.add("rate limit", check_status::fail,
                        "Genesys Cloud answered " + check_detail::failure_text(e) + wait +
                            ": the checks after that request were not made",
                        "this client's or the org's request limit is spent for now: run the check again later",
                        check_area::other);
        }
        for (std::size_t i = 0; s_.credentials() > 1 && i < s_.credentials(); ++i)  // a 429 stopped before them
            if (!report_.find(credential_item_of(i).name))
                report_.add(credential_item_of(i).name, check_status::skipped,
                            "not checked: rate limited (see rate limit)", {}, check_area::credentials);
        if (!use_ || limited_) {  // no token, the API did not answer GET tokens/me, or a 429 stopped it
            const std::string why = limited_     ? "not checked: rate limited (see rate limit)"
                                    : got_token_ ? "not checked: the API did not answer (see network)"
                                                 : "not checked: no token (see credentials)";
            if (uses_flow() && !report_.find("flow")) {
                report_.add("flow", check_status::skipped, why);
                skip_flow_details(report_, flow_context(), why);
            }
            const std::string executions = "permission architect:flowExecution:view",
                              contacts = "permission externalContacts:contact:view";
            if (!use_ && !report_.find("permissions"))
                report_.add("permissions", check_status::skipped, why, {}, check_area::permission);
            if (use_ && uses_flow() && !report_.find(executions))
                report_.add(executions, check_status::skipped, why, {}, check_area::permission);
            if (use_ && uses_direct() && !report_.find(contacts))
                report_.add(contacts, check_status::skipped, why, {}, check_area::permission);
            if (!report_.find("limits")) report_.add("limits", check_status::skipped, why);
        }
        if (use_) add_unprobed_permissions();
        net_.report(report_, opt_.network);
        scrub_items();
        step_ = step::done;
    }

    session s_;
    check_options opt_;
    api_call<J> call_;
    check_report report_;
    check_network net_;
    step step_ = step::tokens_me;
    std::string path_;
    std::string version_;
    std::string scopes_;
    std::string org_;  // the organization of the first credential whose tokens/me answered
    std::optional<bool> flow_view_;
    bool answered_ = false;           // the API (not the token endpoint) answered the current step
    bool got_token_ = false;          // a credentials item is ok
    std::size_t cred_ = 0;            // the credential of the current call
    std::optional<std::size_t> use_;  // the first credential whose token works: the later steps use it
    bool permissions_listed_ = false;
    std::optional<error> limited_;        // a 429 not waited out: the check stops there
    std::size_t failed_credentials_ = 0;  // credentials whose item failed (tokens_me)
};

GCX_NAMESPACE_END

#endif

// ======== <gcx/client.hpp> ======================================================================
#ifndef GCX_CLIENT_HPP
#define GCX_CLIENT_HPP

// basic_client<Transport, Json, Clock>: the synchronous driver most users call.
//
//   Transport: anything with   result<http::response> send(const http::request&)
//              (gcx::adapters::curl_transport, httplib_transport, or your own; it must be safe to
//              call from several threads at once if the client is). The request carries no Host
//              or Content-Length header: the transport adds what its HTTP stack needs.
//   Json:      a backend traits type (gcx::json::boost_json, gcx::json::nlohmann, or your own).
//   Clock:     gcx::steady_clock, or a test clock (see clock.hpp). The client is the only part
//              of gcx that asks a clock for the time; the operations are handed it.
//
// A client is made from a configuration that was checked (basic_client::create, or a
// gcx::session): an invalid one is refused before any request. One client holds one session: one
// token cache and one request budget per credential, shared by every lookup on every thread.
// Share it rather than making one per lookup, or every lookup pays for a token request and
// the budget is not shared.

#include <utility>

GCX_NAMESPACE_BEGIN

template <class Transport, class Json, class Clock = steady_clock>
class basic_client {
    static_assert(check_transport<Transport>());
    // With a Transport or a Json that the checks refuse, the members' bodies are left out (each
    // `if constexpr (usable)`), so that a program calling them gets the one message of
    // check_transport or check_backend, not others from the bodies (clang goes on after one).
    static constexpr bool usable = is_transport_v<Transport> && json::backend_detail::is_defined<Json>::value;

public:
    using json_type = Json;
    using value_type = json::value_of<Json>;

    /// A client for `cfg`, or the configuration error (no request is sent either way).
    static result<basic_client> create(client_config cfg, Transport transport = Transport{}, Clock clock = Clock{}) {
        auto s = gcx::session::create(std::move(cfg));
        if (!s) return s.error();
        return basic_client(std::move(*s), std::move(transport), std::move(clock));
    }

    /// The same for a configuration that may not have been read (client_config::from_env()).
    static result<basic_client> create(result<client_config> cfg, Transport transport = Transport{},
                                       Clock clock = Clock{}) {
        if (!cfg) return cfg.error();
        return create(std::move(*cfg), std::move(transport), std::move(clock));
    }

    /// A client on a session (shared with other drivers, e.g. an event loop, if wanted).
    explicit basic_client(gcx::session s, Transport transport = Transport{}, Clock clock = Clock{})
        : session_(std::move(s)), transport_(std::move(transport)), clock_(std::move(clock)) {}

    /// Looks up `phone` (E.164; separators such as spaces and dashes are dropped) and returns
    /// the flow's outputData as a JSON object, with the execution's details.
    result<lookup_result<value_type>> lookup(std::string_view phone) {
        if constexpr (usable) return lookup(phone, Json::make_null());
        else return error{};
    }

    /// The same, with extra flow inputs (a JSON object of "Flow.<Var>" keys) sent beside the number.
    ///
    /// config().strategy picks the path (strategy.hpp): the flow (default), a direct External
    /// Contacts lookup (outputs shaped like the flow's: Flow.Found, Flow.MatchCount,
    /// Flow.ContactId, Flow.externalContact), the flow with the direct lookup as fallback when
    /// the flow cannot be launched (403 or 404 on launch), or a data action (config().action;
    /// outputs as the action returns them, execution.found its verdict), alone or with the flow or
    /// the direct lookup as fallback when it cannot run. A data action gets the extra inputs
    /// without their "Flow." prefix. execution.source says which path answered.
    result<lookup_result<value_type>> lookup(std::string_view phone, value_type extra_inputs) {
        if constexpr (usable) {
            strategy_operation<Json> op(session_, phone, clock_.now(), std::move(extra_inputs));
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// Looks up `phone` and maps the flow's outputs into T, a struct described with
    /// BOOST_DESCRIBE_STRUCT whose members name the output variables (member `Found` binds
    /// "Flow.Found"). See reflect.hpp for the rules; gcx::customer_lookup fits the tutorial's flow.
    template <class T>
    result<lookup_result<T>> lookup(std::string_view phone, const map_options& opt = {}) {
        if constexpr (usable) return map_outputs<Json, T>(lookup(phone), opt, e164_or_empty(phone));
        else return error{};
    }

    /// The same with typed extra inputs: a described struct whose members become "Flow.<member>"
    /// entries of inputData, beside the phone number (for a data action: "<member>" inputs).
    template <class T, class Inputs>
    result<lookup_result<T>> lookup(std::string_view phone, const Inputs& inputs, const map_options& opt = {}) {
        if constexpr (usable)
            return map_outputs<Json, T>(lookup(phone, write_inputs<Json>(inputs)), opt, e164_or_empty(phone));
        else return error{};
    }

    /// Every contact with this number, straight from External Contacts (no flow): a JSON array of
    /// ExternalContact, empty when none matched. Same token handling, retries, deadline and errors.
    result<direct_result<value_type>> find_contacts(std::string_view phone) {
        return find_contacts(phone, config().direct);
    }
    result<direct_result<value_type>> find_contacts(std::string_view phone, const direct_options& opt) {
        if constexpr (usable) {
            direct_lookup_operation<Json> op(session_, phone, clock_.now(), opt);
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// Executes the configured data action (config().action, or `opt`) for `phone`, whatever the
    /// strategy: `extra_inputs` (a JSON object keyed as the action names its inputs, or null) go
    /// beside the number. Same token handling, retries, deadline and errors as lookup().
    result<lookup_result<value_type>> execute_action(std::string_view phone) {
        if constexpr (usable) return execute_action(phone, Json::make_null(), config().action);
        else return error{};
    }
    result<lookup_result<value_type>> execute_action(std::string_view phone, value_type extra_inputs) {
        return execute_action(phone, std::move(extra_inputs), config().action);
    }
    result<lookup_result<value_type>> execute_action(std::string_view phone, value_type extra_inputs,
                                                     const data_action_options& opt) {
        if constexpr (usable) {
            data_action_operation<Json> op(session_, phone, clock_.now(), std::move(extra_inputs), opt);
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// The preflight check (check.hpp): credentials, the flow and its input variable, the
    /// permissions that can be probed without side effects, the limits, one round trip. Never
    /// launches a flow. `opt.network` describes this client's transport for the report.
    check_report check(check_options opt = {}) {
        if constexpr (usable) {
            check_operation<Json> op(session_, clock_.now(), std::move(opt));
            run(op);
            return op.take_result();
        } else {
            return check_report{};
        }
    }

    /// The same, and the flow's outputs against what T reads (each member's variable and JSON
    /// type, and the outputs T does not read).
    template <class T>
    check_report check(check_options opt = {}, const map_options& mo = {}) {
        if constexpr (usable) opt.outputs = output_expectations<Json, T>(mo);
        return check(std::move(opt));
    }

    /// Runs any sans-I/O operation to completion on this thread.
    template <class Operation>
    void run(Operation& op) {
        if constexpr (usable) {
            for (;;) {
                action a = op.next(clock_.now());
                switch (a.kind) {
                case action::type::done: return;
                case action::type::send: {
                    auto r = transport_.send(a.request);
                    op.on_response(std::move(r), clock_.now(), clock_.system_now());
                    break;
                }
                case action::type::sleep: clock_.sleep_until(a.until); break;
                case action::type::wait_token:
                    // Another thread is fetching the token. Wait on the real condition variable,
                    // bounded by the lookup's remaining time.
                    op.tokens().wait_for(a.generation, remaining(clock_.now(), a.until));
                    break;
                }
            }
        }
    }

    const client_config& config() const noexcept { return session_.config(); }
    /// What this client's operations share (token caches, budgets, learned run times).
    const gcx::session& session() const noexcept { return session_; }
    /// The token cache of credential `credential` (std::out_of_range past the configured ones).
    token_cache& tokens(std::size_t credential = 0) { return session_.tokens(credential); }
    Transport& transport() noexcept { return transport_; }
    Clock& clock() noexcept { return clock_; }

    /// Replaces the source of retry jitter (values in [0, 1)); for tests and simulations.
    void set_jitter(jitter_fn j) { session_.set_jitter(std::move(j)); }

private:
    // The number as the lookup sends it, to scrub from a mapping error (empty: refused, nothing sent).
    static std::string e164_or_empty(std::string_view phone) {
        auto n = normalize_e164(phone);
        return n ? std::move(*n) : std::string();
    }

    gcx::session session_;
    Transport transport_;
    Clock clock_;
};

GCX_NAMESPACE_END

#endif

// ################################ optional parts (GCX_WITH_*) #####################################

// ======== <gcx/json/boost_json.hpp> =============================================================
#if defined(GCX_WITH_BOOST_JSON)
#ifndef GCX_JSON_BOOST_JSON_HPP
#define GCX_JSON_BOOST_JSON_HPP

// The Boost.JSON backend.
//
// Linking: this header uses Boost.JSON as a *compiled* library. Link `Boost::json`
// (CMake: target gcx::boost_json does it; by hand: -lboost_json). gcx never compiles
// boost/json/src.hpp for you, so no program can end up with two copies of Boost.JSON.
// If you prefer Boost.JSON header-only, compile <boost/json/src.hpp> in exactly ONE .cpp of
// your program yourself and skip -lboost_json; gcx does not care which.

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace json {

struct boost_json {
    using value = boost::json::value;

    static result<value> parse(std::string_view text, std::size_t max_depth = default_max_depth) {
        // The parser's work stack starts in a buffer on this stack frame (a heap block only for a
        // deeply nested document); the value is built with the default memory resource.
        unsigned char work[512];
        boost::json::parse_options opt;
        opt.max_depth = max_depth;
        boost::system::error_code ec;
        boost::json::parser p({}, opt, work, sizeof work);
        p.write(text.data(), text.size(), ec);
        if (ec) return parse_error(ec);
        value v = p.release();
        if (const char* why = refused(v, text)) return refused_error(why);
        return v;
    }

    /// J::parse for a value needed only during f (see json::parse_temporary). The parser's work
    /// stack and the value start in buffers on this stack frame (the value in a monotonic arena),
    /// so a small document (a profile a flow encoded in a JSON string) is parsed without touching
    /// the heap, and freeing it is free; a larger one continues in heap blocks of growing size.
    /// 1.5 KB of stack per call: a string inside a string inside a string... doubles its escapes
    /// at every level, so such calls never nest deeply.
    template <class F>
    static decltype(auto) parse_temporary(std::string_view text, std::size_t max_depth, F&& f) {
        unsigned char scratch[1024];
        unsigned char work[512];
        boost::json::monotonic_resource arena(scratch, sizeof scratch);
        boost::json::parse_options opt;
        opt.max_depth = max_depth;
        boost::system::error_code ec;
        // Not the stream_parser of parse(): the text is complete, and the result is the same.
        boost::json::parser p(&arena, opt, work, sizeof work);
        p.reset(&arena);
        p.write(text.data(), text.size(), ec);
        if (ec) return std::forward<F>(f)(result<value>(parse_error(ec)));
        value v = p.release();
        if (const char* why = refused(v, text)) return std::forward<F>(f)(result<value>(refused_error(why)));
        return std::forward<F>(f)(result<value>(std::move(v)));
    }

    /// JSON text of `v`, compact. Numbers are written by gcx rather than Boost.JSON: integers as
    /// integers, doubles in json::append_double's shortest round-trip form ("97.5", where
    /// Boost.JSON 1.81 writes "9.75E1"), the same text the nlohmann backend writes. Non-finite
    /// numbers (a value built in code: parse refuses "1e999") become null, as in nlohmann/json
    /// and JSON.stringify.
    static std::string serialize(const value& v) {
        std::string out;
        serialize_to(out, v);
        return out;
    }

    /// Appends the JSON text of `v` to `out`: the text serialize(v) returns, without a string of
    /// its own (for a caller that writes many values into one line). Strings are escaped as
    /// Boost.JSON escapes them; the walk keeps its own stack, so a value built in code may be
    /// nested deeper than any parse limit.
    static void serialize_to(std::string& out, const value& v) {
        struct frame {
            const value* container;
            std::size_t next;
        };
        frame inline_frames[16];
        std::vector<frame> more;  // containers nested deeper than 16 levels
        std::size_t depth = 0;
        const auto push = [&](const value* c) {
            if (depth < 16) inline_frames[depth] = {c, 0};
            else more.push_back({c, 0});
            ++depth;
        };
        const auto top = [&]() -> frame& { return depth <= 16 ? inline_frames[depth - 1] : more.back(); };
        const auto pop = [&] {
            if (depth > 16) more.pop_back();
            --depth;
        };
        // Writes a scalar or an empty container whole; opens any other container.
        const auto begin = [&](const value& x) {
            switch (x.kind()) {
            case boost::json::kind::null: out += "null"; return;
            case boost::json::kind::bool_: out += x.get_bool() ? "true" : "false"; return;
            case boost::json::kind::int64: return append_integer(out, x.get_int64());
            case boost::json::kind::uint64: return append_integer(out, x.get_uint64());
            case boost::json::kind::double_: return append_double(out, x.get_double());
            case boost::json::kind::string: {
                const auto& str = x.get_string();
                return serialize_to(out, std::string_view(str.data(), str.size()));
            }
            case boost::json::kind::array:
            case boost::json::kind::object: {
                const bool array = x.is_array();
                if (array ? x.get_array().empty() : x.get_object().empty()) {
                    out += array ? "[]" : "{}";
                    return;
                }
                out += array ? '[' : '{';
                return push(&x);
            }
            }
        };
        begin(v);
        while (depth > 0) {
            frame& f = top();
            const std::size_t i = f.next++;
            if (const auto* o = f.container->if_object()) {
                if (i == o->size()) {
                    out += '}';
                    pop();
                    continue;
                }
                if (i > 0) out += ',';
                const auto& kv = o->begin()[i];
                serialize_to(out, std::string_view(kv.key().data(), kv.key().size()));
                out += ':';
                begin(kv.value());  // may push: f is not used after this
            } else {
                const auto& a = f.container->get_array();
                if (i == a.size()) {
                    out += ']';
                    pop();
                    continue;
                }
                if (i > 0) out += ',';
                begin(a[i]);
            }
        }
    }

    /// Appends `s` as a JSON string (json::append_string: invalid UTF-8 becomes U+FFFD, as the
    /// nlohmann backend writes it; Boost.JSON would write the bytes, and nothing could read them).
    static void serialize_to(std::string& out, std::string_view s) { append_string(out, s); }

    /// A table rather than a switch: small enough to be inlined in the walker, which asks for
    /// the kind of every value it reads.
    static kind kind_of(const value& v) noexcept {
        using bk = boost::json::kind;
        static_assert(static_cast<int>(bk::null) == 0 && static_cast<int>(bk::bool_) == 1 &&
                          static_cast<int>(bk::int64) == 2 && static_cast<int>(bk::uint64) == 3 &&
                          static_cast<int>(bk::double_) == 4 && static_cast<int>(bk::string) == 5 &&
                          static_cast<int>(bk::array) == 6 && static_cast<int>(bk::object) == 7,
                      "gcx: boost::json::kind has changed");
        constexpr kind table[] = {kind::null,   kind::boolean, kind::integer, kind::uint,
                                  kind::number, kind::string,  kind::array,   kind::object};
        const bk k = v.kind();
        if (k == bk::uint64)
            return v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX) ? kind::integer : kind::uint;
        return table[static_cast<unsigned char>(k)];
    }

    static const value* find(const value& object, std::string_view key) noexcept {
        const auto* o = object.if_object();
        return o ? o->if_contains(key) : nullptr;
    }

    template <class F>
    static bool for_each_member(const value& object, F&& f) {
        if (const auto* o = object.if_object())
            for (const auto& kv : *o)
                if (!f(std::string_view(kv.key()), kv.value())) return false;
        return true;
    }

    template <class F>
    static bool for_each_element(const value& array, F&& f) {
        if (const auto* a = array.if_array())
            for (const auto& e : *a)
                if (!f(e)) return false;
        return true;
    }

    static std::size_t size(const value& v) noexcept {
        if (const auto* o = v.if_object()) return o->size();
        if (const auto* a = v.if_array()) return a->size();
        return 0;
    }

    static bool get_bool(const value& v) noexcept { return v.get_bool(); }
    static std::int64_t get_int(const value& v) noexcept {
        return v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64());
    }
    static std::uint64_t get_uint(const value& v) noexcept {
        return v.is_uint64() ? v.get_uint64() : static_cast<std::uint64_t>(v.get_int64());
    }
    static double get_double(const value& v) noexcept { return v.get_double(); }
    static std::string_view get_string(const value& v) noexcept { return v.get_string(); }

    static value make_null() noexcept { return nullptr; }
    static value make_bool(bool b) noexcept { return value(b); }
    static value make_int(std::int64_t i) noexcept { return value(i); }
    static value make_uint(std::uint64_t u) noexcept { return value(u); }
    static value make_double(double d) noexcept { return value(d); }
    static value make_string(std::string_view s) { return value(boost::json::string(s)); }
    static value make_object() { return value(boost::json::object()); }
    static value make_array() { return value(boost::json::array()); }

    static void set(value& object, std::string_view key, value v) { object.as_object()[key] = std::move(v); }
    static void push_back(value& array, value v) { array.as_array().push_back(std::move(v)); }

private:
    // What parse() changes or refuses in what Boost.JSON 1.81 read, so that both backends read the
    // same texts as the same values (`text`: what was parsed):
    // - a number Boost.JSON read as a double is read again from its text, exactly (reread_doubles):
    //   Boost.JSON 1.81's own conversion can be a unit in the last place off ("125551911333299.99"
    //   read as 125551911333300, an integer; gcx's own shortest text of a double read back as
    //   another), where nlohmann/json reads the nearest double;
    // - a number beyond a double's range is refused (Boost.JSON makes it an infinity; nlohmann:
    //   "number overflow"), and a NaN (Boost.JSON 1.81 reads "0e999" so) becomes the zero it is;
    // - an object with more than max_object_members members as written (duplicate keys counted,
    //   as nlohmann's parse counts them; Boost.JSON keeps the last of each) is refused.
    // nullptr when the value is read as it should be, else why it is refused. A text without a
    // double is walked once (no heap for a small one); one with a double is scanned once more.
    static const char* refused(value& v, std::string_view text) {
        bool doubles = false;
        if (const char* why = walk(v, doubles, false)) return why;
        // Each member takes 5 bytes at least ("":0,): a shorter text holds no object too large.
        if (text.size() > 5 * max_object_members && !members_within_limit(text))
            return "an object with too many members";
        if (!doubles) return nullptr;
        reread_doubles(v, text);
        return walk(v, doubles, true);
    }

    // One walk of `v` (its own stack): an object with more than max_object_members members is
    // refused; `doubles` says whether it holds a double; with `finish`, an infinite double is
    // refused and a NaN becomes 0.
    static const char* walk(value& v, bool& doubles, bool finish) {
        value* inline_stack[32];  // the containers to look into: no heap for a small answer
        std::vector<value*> more;
        std::size_t n = 0;
        const auto push = [&](value& x) {
            if (!x.is_structured() && !x.is_double()) return;
            if (n < 32) inline_stack[n] = &x;
            else more.push_back(&x);
            ++n;
        };
        push(v);
        while (n > 0) {
            value& x = n > 32 ? *more.back() : *inline_stack[n - 1];
            if (n-- > 32) more.pop_back();
            if (auto* d = x.if_double()) {
                doubles = true;
                if (!finish) continue;
                if (std::isinf(*d)) return "a number beyond the range of a double";
                if (std::isnan(*d)) *d = 0.0;  // (its sign is not known: the NaN's is not the text's)
            } else if (auto* a = x.if_array()) {
                for (auto& e : *a) push(e);
            } else if (auto* o = x.if_object()) {
                if (o->size() > max_object_members) return "an object with too many members";
                for (auto& kv : *o) push(kv.value());
            }
        }
        return nullptr;
    }

    // Whether every object of `text` (parsed by Boost.JSON, so well formed) has at most
    // max_object_members members as written.
    static bool members_within_limit(std::string_view text) {
        constexpr std::size_t array = static_cast<std::size_t>(-1);
        std::vector<std::size_t> members;  // of each open container (`array`: not an object)
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == '{' || c == '[') {
                members.push_back(c == '{' ? 0 : array);
                ++i;
            } else if (c == '}' || c == ']') {
                if (!members.empty()) members.pop_back();
                ++i;
            } else if (c == '"') {
                i = string_end(text, i);
                std::size_t j = i;
                while (j < text.size() && is_space(text[j])) ++j;
                if (j < text.size() && text[j] == ':' && !members.empty() && members.back() != array &&
                    ++members.back() > max_object_members)
                    return false;
            } else {
                ++i;
            }
        }
        return true;
    }

    static bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    // One past the closing quote of the string opening at text[i].
    static std::size_t string_end(std::string_view text, std::size_t i) noexcept {
        for (++i; i < text.size() && text[i] != '"'; ++i)
            if (text[i] == '\\') ++i;
        return i + 1;
    }

    // Reads `text` (parsed by Boost.JSON into `v`, so well formed) again, following it in `v` by
    // key and index, and sets each double of `v` to the nearest double of its number's text
    // (std::from_chars). Members are found by key, in text order, so with a duplicate key the last
    // one's number is the one kept, as Boost.JSON keeps its value; a key with an escape is not
    // followed (its value keeps Boost.JSON's reading). Without a floating-point std::from_chars
    // (libc++ before 17, libstdc++ before 11) nothing is changed.
    static void reread_doubles(value& v, std::string_view text) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
        struct frame {
            value* container;  // nullptr: this part of the text is not in `v` (a dropped duplicate)
            std::size_t index;
        };
        frame inline_frames[32];
        std::vector<frame> more;
        std::size_t depth = 0;
        const auto top = [&]() -> frame& { return depth <= 32 ? inline_frames[depth - 1] : more.back(); };
        std::string_view key;
        bool key_usable = false;
        const auto next_target = [&]() -> value* {  // the place of the value that follows
            if (depth == 0) return nullptr;
            frame& f = top();
            if (!f.container) return nullptr;
            if (auto* a = f.container->if_array()) return f.index < a->size() ? &(*a)[f.index++] : nullptr;
            if (auto* o = f.container->if_object()) return key_usable ? o->if_contains(key) : nullptr;
            return nullptr;
        };
        bool first = true;
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == '{' || c == '[') {
                value* at = first ? &v : next_target();
                first = false;
                if (at && !(c == '{' ? at->is_object() : at->is_array())) at = nullptr;
                if (depth < 32) inline_frames[depth] = {at, 0};
                else more.push_back({at, 0});
                ++depth;
                ++i;
            } else if (c == '}' || c == ']') {
                if (depth > 32) more.pop_back();
                if (depth > 0) --depth;
                ++i;
            } else if (c == '"') {
                const std::size_t end = string_end(text, i);
                std::size_t j = end;
                while (j < text.size() && is_space(text[j])) ++j;
                if (j < text.size() && text[j] == ':') {  // a key: the member that follows
                    key = text.substr(i + 1, end - i - 2);
                    key_usable = key.find('\\') == std::string_view::npos;
                } else if (!first) {
                    (void)next_target();  // a string value: its place in an array is taken
                }
                first = false;
                i = end;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                std::size_t j = i;
                while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '-' || text[j] == '+' ||
                                           text[j] == '.' || text[j] == 'e' || text[j] == 'E'))
                    ++j;
                value* at = first ? &v : next_target();
                first = false;
                if (double* d = at ? at->if_double() : nullptr) {
                    double x = 0;
                    const auto r = std::from_chars(text.data() + i, text.data() + j, x);
                    if (r.ec == std::errc() && r.ptr == text.data() + j) *d = x;  // out of range: Boost.JSON's
                }
                i = j;
            } else if (c == 't' || c == 'f' || c == 'n') {  // true, false, null
                if (!first) (void)next_target();
                first = false;
                while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
            } else {
                ++i;  // white space, ':', ','
            }
        }
#else
        (void)v;
        (void)text;
#endif
    }
    static error refused_error(const char* why) {
        error e = make_error(errc::protocol, std::string("malformed JSON: ") + why);
        e.code = std::string(codes::json);
        return e;
    }

    static error parse_error(const boost::system::error_code& ec) {
        error e = make_error(errc::protocol, "malformed JSON: " + ec.message());
        e.code = std::string(codes::json);
        return e;
    }
};

}  // namespace json
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_BOOST_JSON)

// ======== <gcx/json/boost_json_templates.hpp> ===================================================
#if defined(GCX_WITH_BOOST_JSON)
#ifndef GCX_JSON_BOOST_JSON_TEMPLATES_HPP
#define GCX_JSON_BOOST_JSON_TEMPLATES_HPP

// Opt-in: the lookup machinery for the Boost.JSON backend compiled in one .cpp of the program
// instead of in every unit that calls basic_client::lookup (docs/compile-time.md).
//
//   every unit:   #define GCX_EXTERN_TEMPLATES        before including gcx
//   one .cpp:     #define GCX_INSTANTIATE_TEMPLATES   before including gcx (and nothing else)
//
// With the single header (GCX_WITH_BOOST_JSON) this file is part of it; with the multi-header
// tree include <gcx/json/boost_json_templates.hpp> after <gcx/gcx.hpp>. Without either macro it
// declares nothing. GCX_EXTERN_TEMPLATES without the one .cpp fails to link (undefined
// references to gcx::lookup_operation<...> and the others below).
//
// What it covers: the operations basic_client::lookup, find_contacts and execute_action run
// (strategy_operation, lookup_operation, direct_lookup_operation, data_action_operation, their
// one_call_operation base, api_call), the token and error parsers they share, the reflection's
// readers of the library's own models (gcx::external_contact and the types it holds, gcx::raw_json,
// strings, bools, integers, and their std::optional), and the functions gcx/linkage.hpp marks
// (the session a client is built on). What stays in the unit that calls lookup<T>: the walk of T's
// own members, basic_client itself (a template on the transport), and the copies, moves and
// destructors of the types it handles (the models' included: they are not templates).

#include <cstdint>
#include <optional>
#include <string>

#if defined(GCX_INSTANTIATE_TEMPLATES)
#define GCX_DETAIL_TEMPLATES template
#elif defined(GCX_EXTERN_TEMPLATES)
#define GCX_DETAIL_TEMPLATES extern template
#endif

#ifdef GCX_DETAIL_TEMPLATES
GCX_NAMESPACE_BEGIN
GCX_DETAIL_TEMPLATES class api_call<json::boost_json>;
GCX_DETAIL_TEMPLATES class lookup_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class direct_lookup_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class detail::one_call_operation<direct_lookup_operation<json::boost_json>, json::boost_json>;
GCX_DETAIL_TEMPLATES class data_action_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES class detail::one_call_operation<data_action_operation<json::boost_json>, json::boost_json>;
GCX_DETAIL_TEMPLATES class strategy_operation<json::boost_json>;
GCX_DETAIL_TEMPLATES error error_from_response<json::boost_json>(const http::response&, operation,
                                                                 std::optional<std::chrono::system_clock::time_point>);
GCX_DETAIL_TEMPLATES result<token_grant> parse_token_response<json::boost_json>(std::string_view);
GCX_DETAIL_TEMPLATES result<secret> token_cache::complete<json::boost_json>(const http::response&, time_point);
// The reflection's readers of the library's own models, which a struct such as the README's
// `outputs` (std::optional<gcx::external_contact>, std::optional<gcx::raw_json>) reaches.
#define GCX_DETAIL_READER(M)                                                                                           \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_value<json::boost_json, M>(reflect_detail::walk_state&,             \
                                                                              const boost::json::value&, M&);          \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_value<json::boost_json, std::optional<M>>(                          \
        reflect_detail::walk_state&, const boost::json::value&, std::optional<M>&);                                    \
    GCX_DETAIL_TEMPLATES bool reflect_detail::read_member<json::boost_json, std::optional<M>>(                         \
        reflect_detail::walk_state&, const boost::json::value*, void*);
GCX_DETAIL_READER(external_contact)
GCX_DETAIL_READER(external_organization)
GCX_DETAIL_READER(phone_number)
GCX_DETAIL_READER(contact_address)
GCX_DETAIL_READER(domain_entity_ref)
GCX_DETAIL_READER(raw_json)
GCX_DETAIL_READER(std::string)
GCX_DETAIL_READER(bool)
GCX_DETAIL_READER(int)
GCX_DETAIL_READER(std::int64_t)
#undef GCX_DETAIL_READER
GCX_DETAIL_TEMPLATES bool
reflect_detail::read_members<json::boost_json>(reflect_detail::walk_state&, const boost::json::value&,
                                               const reflect_detail::members_view<json::boost_json>&, bool);
GCX_NAMESPACE_END
#undef GCX_DETAIL_TEMPLATES
#endif

#endif
#endif // defined(GCX_WITH_BOOST_JSON)

// ======== <gcx/json/nlohmann.hpp> ===============================================================
#if defined(GCX_WITH_NLOHMANN)
#ifndef GCX_JSON_NLOHMANN_HPP
#define GCX_JSON_NLOHMANN_HPP

// The nlohmann/json backend (header-only; CMake target gcx::nlohmann).
//
//   gcx::json::nlohmann          nlohmann::json          objects keep keys sorted
//   gcx::json::nlohmann_ordered  nlohmann::ordered_json  objects keep document order (like Boost.JSON)
//   gcx::json::basic_nlohmann<B> any nlohmann::basic_json specialisation
//
// Inside namespace gcx::json the name `nlohmann` is this traits type: the library is always
// spelled ::nlohmann here.

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace json {

namespace nlohmann_detail {
// Can a const object_t be searched with a string_view, without building a std::string?
// (std::map<..., std::less<>> can; older releases and ordered_map's const find cannot.)
template <class Object, class = void>
struct finds_string_view : std::false_type {};
template <class Object>
struct finds_string_view<Object,
                         std::void_t<decltype(std::declval<const Object&>().find(std::declval<std::string_view>()))>>
    : std::true_type {};
}  // namespace nlohmann_detail

template <class BasicJson>
struct basic_nlohmann {
    using value = BasicJson;

    /// Never throws on bad input: the non-throwing parse, with a parser callback that refuses
    /// containers nested deeper than max_depth and objects of more than json::max_object_members
    /// members. What it refuses is discarded as it is read, so a hostile document never becomes
    /// a deep tree (nlohmann's parser itself is iterative) nor a long ordered_map.
    static result<value> parse(std::string_view text, std::size_t max_depth = default_max_depth) {
        bool too_deep = false, too_many = false;
        std::vector<std::size_t> members;  // of the object open at each depth
        typename value::parser_callback_t limit = [&](int depth, typename value::parse_event_t event, value&) {
            const auto at = static_cast<std::size_t>(depth);
            if (event == value::parse_event_t::key) {
                if (at >= members.size() || ++members[at] <= max_object_members) return true;
                too_many = true;
                return false;
            }
            if (event != value::parse_event_t::object_start && event != value::parse_event_t::array_start) return true;
            // `depth` counts the enclosing containers: this one is at nesting level depth + 1.
            if (at >= max_depth) {
                too_deep = true;
                return false;
            }
            if (members.size() < at + 2) members.resize(at + 2);
            members[at + 1] = 0;  // its keys come at depth + 1
            return true;
        };
        // nlohmann reads a NUL byte as the end of the input and skips a UTF-8 byte-order mark:
        // "{}\0junk" and "\xEF\xBB\xBF{}" would parse. Neither is JSON (RFC 8259), and Boost.JSON
        // refuses both: refused here too, so both backends read the same texts.
        const bool not_json = text.find('\0') != std::string_view::npos || text.substr(0, 3) == "\xEF\xBB\xBF";
        value v = not_json ? value(value::value_t::discarded)
                           : value::parse(text.data(), text.data() + text.size(), limit, /*allow_exceptions=*/false);
        if (too_deep || too_many || v.is_discarded()) {
            error e = make_error(
                errc::protocol, too_deep ? "malformed JSON: nested deeper than " + std::to_string(max_depth) + " levels"
                                : too_many ? std::string("malformed JSON: an object with too many members")
                                           : std::string("malformed JSON: syntax error"));
            e.code = std::string(codes::json);
            return e;
        }
        return v;
    }

    /// JSON text of `v`, compact, as nlohmann/json writes it except for doubles: those are
    /// written by json::append_double, whose digits are always the shortest that read back
    /// (nlohmann's Grisu2 gives one or two digits more for about 1 double in 800), so both
    /// backends write the same text for the same number. Strings are written by
    /// json::append_string (invalid UTF-8 replaced by U+FFFD, as nlohmann's own `replace` handler
    /// does), the same text in both backends. The walk keeps its own stack.
    static std::string serialize(const value& v) {
        if constexpr (!std::is_same_v<typename value::number_float_t, double>) {
            return dump(v);  // a float or long double DOM: nlohmann's digits for its own type
        } else {
            std::string out;
            struct frame {
                typename value::const_iterator it, end;
                bool object;
                bool first;
            };
            std::vector<frame> open;  // the containers being written, innermost last
            // Writes a scalar or an empty container whole; opens any other container.
            const auto begin = [&](const value& x) {
                switch (x.type()) {
                case value::value_t::null: out += "null"; return;
                case value::value_t::boolean: out += x.template get<bool>() ? "true" : "false"; return;
                case value::value_t::number_integer:
                    return append_integer(out, *x.template get_ptr<const typename value::number_integer_t*>());
                case value::value_t::number_unsigned:
                    return append_integer(out, *x.template get_ptr<const typename value::number_unsigned_t*>());
                case value::value_t::number_float:
                    return append_double(
                        out, static_cast<double>(*x.template get_ptr<const typename value::number_float_t*>()));
                case value::value_t::string:
                    return append_string(out, *x.template get_ptr<const typename value::string_t*>());
                case value::value_t::array:
                case value::value_t::object:
                    if (x.empty()) break;
                    out += x.is_object() ? '{' : '[';
                    open.push_back({x.cbegin(), x.cend(), x.is_object(), true});
                    return;
                default: break;
                }
                out += dump(x);  // empty containers, binary
            };
            begin(v);
            while (!open.empty()) {
                frame& f = open.back();
                if (f.it == f.end) {
                    out += f.object ? '}' : ']';
                    open.pop_back();
                    continue;
                }
                const auto it = f.it++;
                if (!f.first) out += ',';
                f.first = false;
                if (f.object) {
                    append_string(out, it.key());
                    out += ':';
                }
                begin(*it);  // may push: f is not used after this
            }
            return out;
        }
    }

    static kind kind_of(const value& v) noexcept {
        using t = typename value::value_t;
        switch (v.type()) {
        case t::null: return kind::null;
        case t::boolean: return kind::boolean;
        case t::number_integer: return kind::integer;
        case t::number_unsigned:
            // nlohmann reads every non-negative integer as unsigned; the concept says integer
            // whenever the value fits std::int64_t.
            return *v.template get_ptr<const typename value::number_unsigned_t*>() <=
                           static_cast<std::uint64_t>(INT64_MAX)
                       ? kind::integer
                       : kind::uint;
        case t::number_float: return kind::number;
        case t::string: return kind::string;
        case t::array: return kind::array;
        case t::object: return kind::object;
        case t::binary:     // never produced by parsing JSON text; no JSON kind fits
        case t::discarded:  // only the result of a failed parse, which parse() turns into an error
            return kind::null;
        }
        return kind::null;
    }

    static const value* find(const value& object, std::string_view key) {
        const auto* o = object.template get_ptr<const typename value::object_t*>();
        if (!o) return nullptr;
        using object_t = typename value::object_t;
        typename object_t::const_iterator it;
        if constexpr (nlohmann_detail::finds_string_view<object_t>::value) it = o->find(key);
        else it = o->find(typename value::string_t(key));
        return it == o->end() ? nullptr : &it->second;
    }

    template <class F>
    static bool for_each_member(const value& object, F&& f) {
        if (const auto* o = object.template get_ptr<const typename value::object_t*>())
            for (const auto& kv : *o)
                if (!f(std::string_view(kv.first), kv.second)) return false;
        return true;
    }

    template <class F>
    static bool for_each_element(const value& array, F&& f) {
        if (const auto* a = array.template get_ptr<const typename value::array_t*>())
            for (const auto& e : *a)
                if (!f(e)) return false;
        return true;
    }

    static std::size_t size(const value& v) noexcept { return v.is_object() || v.is_array() ? v.size() : 0; }

    static bool get_bool(const value& v) noexcept { return *v.template get_ptr<const typename value::boolean_t*>(); }
    static std::int64_t get_int(const value& v) noexcept {
        if (const auto* i = v.template get_ptr<const typename value::number_integer_t*>()) return *i;
        return static_cast<std::int64_t>(*v.template get_ptr<const typename value::number_unsigned_t*>());
    }
    static std::uint64_t get_uint(const value& v) noexcept {
        if (const auto* u = v.template get_ptr<const typename value::number_unsigned_t*>()) return *u;
        return static_cast<std::uint64_t>(*v.template get_ptr<const typename value::number_integer_t*>());
    }
    static double get_double(const value& v) noexcept {
        return static_cast<double>(*v.template get_ptr<const typename value::number_float_t*>());
    }
    static std::string_view get_string(const value& v) noexcept {
        return *v.template get_ptr<const typename value::string_t*>();
    }

    static value make_null() noexcept { return value(nullptr); }
    static value make_bool(bool b) noexcept { return value(b); }
    static value make_int(std::int64_t i) noexcept { return value(static_cast<typename value::number_integer_t>(i)); }
    static value make_uint(std::uint64_t u) noexcept {
        return value(static_cast<typename value::number_unsigned_t>(u));
    }
    static value make_double(double d) noexcept { return value(static_cast<typename value::number_float_t>(d)); }
    static value make_string(std::string_view s) { return value(typename value::string_t(s)); }
    static value make_object() { return value::object(); }
    static value make_array() { return value::array(); }

    static void set(value& object, std::string_view key, value v) {
        object[typename value::string_t(key)] = std::move(v);
    }
    static void push_back(value& array, value v) { array.push_back(std::move(v)); }

private:
    static std::string dump(const value& v) { return v.dump(-1, ' ', false, value::error_handler_t::replace); }
};

// Structs rather than aliases, so that <gcx/fwd.hpp> can declare them.
struct nlohmann : basic_nlohmann<::nlohmann::json> {};
struct nlohmann_ordered : basic_nlohmann<::nlohmann::ordered_json> {};

}  // namespace json
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_NLOHMANN)

// ======== <gcx/adapters/common/keepalive.hpp> ===================================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_KEEPALIVE_HPP
#define GCX_ADAPTERS_COMMON_KEEPALIVE_HPP

// When a POST may go on a kept-alive connection. A flow launch is not idempotent, and a POST
// that meets a connection the server has just closed fails with "maybe sent" (gcx never sends it
// again). Nothing proves such a request unprocessed: the server may have read it and closed
// without answering, so the adapters never retry it. What they do instead is keep a POST off a
// connection that is likely to be closing:
//
//   - one idle for transport_options::post_max_idle or longer (a server's keep-alive timeout
//     racing the request: the usual cause with real servers);
//   - any connection to a server seen, in the last minute, closing kept-alive connections soon
//     after answering or failing a request on a reused connection without an answer
//     (keepalive_memory): such a server's POSTs go on new connections;
//   - (httplib) one on which anything is readable while it is idle: a FIN, a reset, a TLS
//     close_notify or stray bytes (cpp-httplib's own check only catches the FIN).
//
// The cost against a well-behaved server is nil (no connection closes early, nothing is learned)
// but for POSTs after a long idle, which open a new connection. What remains is the race the
// client cannot see: a server that closes right after answering, before any such sign reached
// the client, until the first sign arrives (docs/reliability.md).

#include <chrono>
#include <map>
#include <mutex>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// "scheme://host:port": what keepalive_memory knows a server by.
inline std::string origin_of(const http::url_parts& u) {
    return u.scheme + "://" + u.host + ":" + std::to_string(u.port);
}

/// The origins ("scheme://host:port") of one transport whose servers were seen closing
/// kept-alive connections soon after answering, with when. Mutex-guarded.
class keepalive_memory {
public:
    using clock = std::chrono::steady_clock;

    /// How long one sighting keeps POSTs to that origin on new connections.
    static constexpr std::chrono::seconds remember{60};

    /// An idle connection closed by the server within this of its last answer counts as a
    /// sighting (a keep-alive timeout of the usual 5 s or more does not).
    static constexpr std::chrono::milliseconds soon{1000};

    keepalive_memory() = default;
    keepalive_memory(const keepalive_memory&) = delete;
    keepalive_memory& operator=(const keepalive_memory&) = delete;

    /// The server of `origin` closed a kept-alive connection soon after answering on it.
    void closed_early(const std::string& origin, clock::time_point now) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = seen_.begin(); it != seen_.end();) {
            if (now - it->second > remember) it = seen_.erase(it);
            else ++it;
        }
        seen_[origin] = now;
    }

    /// Whether a POST to `origin` should go on a new connection.
    bool fresh_for_post(const std::string& origin, clock::time_point now) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = seen_.find(origin);
        return it != seen_.end() && now - it->second <= remember;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, clock::time_point> seen_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/common/transport_error.hpp> =============================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_TRANSPORT_ERROR_HPP
#define GCX_ADAPTERS_COMMON_TRANSPORT_ERROR_HPP

// The errors both adapters report: how one is made, what a message may say about a request, and
// the hints shared by the adapters' classifications.

#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A transport error. `code` names the failure for programs: "connect", "resolve", "timeout",
/// "tls" (the handshake failed), "certificate" (the server's certificate was refused),
/// "too_large", "bad_url"...; `message` is for people and never holds a header value, a body, a
/// path or a query. The core never retries "certificate", "too_large", errc::config or
/// errc::invalid_input (gcx::detail::is_permanent_transport_failure).
inline error transport_error(errc kind, std::string code, delivery sent, std::string message, std::string hint = {}) {
    error e = make_error(kind, std::move(message), std::move(hint));
    e.code = std::move(code);
    e.sent = sent;
    return e;
}

/// "POST https://api.mypurecloud.com:443": what a message may say about a request. The path
/// and query stay out: they can carry a phone number (reverse whitepages lookup) or an id.
inline std::string describe_target(const http::request& req, const http::url_parts& u) {
    std::string s = http::to_string(req.verb);
    s += ' ';
    s += u.scheme;
    s += "://";
    if (u.host.find(':') != std::string::npos) {
        s += '[';
        s += u.host;
        s += ']';
    } else {
        s += u.host;
    }
    s += ':';
    s += std::to_string(u.port);
    return s;
}

inline const char* hint_connect() {
    return "check the host name, the port, the network and any proxy or firewall in between";
}
inline const char* hint_tls() {
    return "the server's certificate was not accepted: point ca_file/ca_path at the CA that signed it "
           "and make sure the certificate names the host you connect to";
}
inline const char* hint_too_large() { return "raise max_response_bytes if such a large answer is expected"; }

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/transport_options.hpp> ==================================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP
#define GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP

// The options every HTTP stack needs, shared by both shipped transports (gcx/adapters/curl.hpp,
// gcx/adapters/httplib.hpp). What they share besides: gcx/adapters/common/transport_error.hpp
// (errors), gcx/adapters/common/preflight.hpp (the checks made before a request touches the
// network), gcx/adapters/common/shared_state.hpp, gcx/adapters/common/transport_base.hpp (their
// constructors, settings() and those checks). Include one of the adapter headers rather than
// these.

#include <chrono>
#include <cstddef>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// Settings common to curl_transport and httplib_transport. Every default is the safe one.
struct transport_options {
    /// Verify the server certificate chain against the trusted CAs. Turning it off makes HTTPS
    /// no safer than HTTP: use it to debug, never in production. Default: on.
    bool verify_peer = true;

    /// Check that the certificate was issued for the host in the URL (subjectAltName DNS or IP).
    /// Default: on. (httplib checks the chain and the name together: see httplib_transport.)
    bool verify_host = true;

    /// PEM file of CA certificates to trust instead of the system store. Default: empty, the
    /// system store: for curl, libcurl's built-in CA bundle (its built-in CA directory is left
    /// out when that bundle exists, so the store is read once per handle rather than per
    /// connection; set ca_path to use a directory); for httplib, OpenSSL's default paths.
    std::string ca_file;

    /// Directory of CA certificates named by subject hash (`openssl rehash`). Default: empty.
    std::string ca_path;

    /// HTTP proxy as "http://host:port" or "http://user:password@host:port" (HTTPS requests go
    /// through it with CONNECT; the credentials, percent-decoded, go as Basic proxy
    /// authentication and are never part of an error message). Default: empty, connect
    /// directly. Environment variables (https_proxy, no_proxy...) are NOT read, so both adapters
    /// behave the same: read them yourself if you want them.
    std::string proxy;

    /// Hosts reached directly even when `proxy` is set: host names (each also matching its
    /// subdomains; a leading dot is ignored, any case, as libcurl's CURLOPT_NOPROXY) or IP
    /// addresses (exactly, or a range: "10.0.0.0/8", "fd00::/8"), separated by commas or blanks;
    /// "*" alone: every host. Default: empty, every request goes through `proxy`. Every adapter
    /// routes by this one rule (detail::proxy_bypassed): curl sets libcurl's proxy per request
    /// from it, libcurl's own no_proxy matching is not used.
    std::string no_proxy;

    /// Most bytes of response body accepted. A larger body fails the request with
    /// errc::transport, code "too_large"; it is never silently truncated. Default: 4 MiB
    /// (Genesys answers are a few KiB).
    std::size_t max_response_bytes = std::size_t{4} * 1024 * 1024;

    /// Most bytes of status line and headers accepted in one answer. More fails the request with
    /// errc::transport, code "too_large"; 0: no cap of gcx's own. curl: counted exactly
    /// (libcurl's own limit, 300 KiB, stays above it). httplib, which reads headers with no hook:
    /// the bytes it has read from the connection (received less still queued: Linux TCP_INFO and
    /// FIONREAD, glibc), looked at every 5 ms by the transport's watch thread, so the headers held
    /// when it stops them are at most this plus what is read in 5 ms; elsewhere only the request
    /// timeout bounds them there. Default: 256 KiB.
    std::size_t max_header_bytes = std::size_t{256} * 1024;

    /// Most time a new TCP connection (plus the TLS handshake for curl) may take; the request's
    /// own `timeout` caps it further. Default: 10 s.
    std::chrono::milliseconds connect_timeout{10000};

    /// User-Agent sent when the request carries none; empty: none sent (libcurl's
    /// CURLOPT_USERAGENT, if a configure hook sets one, is used only then). One with a CR, LF or
    /// NUL fails every request (code bad_header) before anything is sent. Default: "gcx/<version>".
    std::string user_agent = "gcx/" GCX_VERSION_STRING;

    /// Allow an `Authorization` header over plain http:// to a host that is not loopback.
    /// Default: false, such a request is refused (errc::config) before anything is sent, so a
    /// mistyped URL never puts a client secret or a token on the wire in clear text.
    /// Loopback (localhost, 127.0.0.0/8, ::1) is allowed (tests and gcx-sim use it) unless the
    /// request would go through a `proxy` that is not loopback itself.
    bool allow_insecure_http = false;

    /// Idle keep-alive connections kept for reuse (curl: idle easy handles, each with its own
    /// connection cache; httplib: idle clients per scheme://host:port). Default: 8.
    std::size_t max_idle_connections = 8;

    /// A POST (a flow launch is one; it is never sent twice) never goes on a kept-alive
    /// connection that has been idle this long or longer: it opens a new one, so it cannot race a
    /// server's keep-alive timeout (usually 5 s or more). Whole seconds (libcurl's granularity);
    /// at least 1. GETs reuse connections as before. Default: 2 s.
    std::chrono::seconds post_max_idle{2};
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/common/preflight.hpp> ===================================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_PREFLIGHT_HPP
#define GCX_ADAPTERS_COMMON_PREFLIGHT_HPP

// The checks both adapters make before a request may touch the network, and the proxy option's
// parsing.

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

#if defined(_WIN32)
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <sys/socket.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

inline bool is_token_char(char c) noexcept {
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

/// The proxy option split: where to connect, and the Basic credentials when the URL has some.
struct proxy_target {
    http::url_parts url;         ///< without the credentials
    std::string user, password;  ///< percent-decoded; empty when the URL has none
};

inline std::string percent_decode(std::string_view s) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// The proxy option split, or a config error (whose message never quotes the option: it may
/// hold a password). An empty option means "no proxy".
inline result<proxy_target> parse_proxy(const std::string& proxy) {
    auto bad = [] {
        return transport_error(
            errc::config, std::string(codes::bad_proxy), delivery::not_sent,
            "invalid proxy option: expected \"http://host:port\" or \"http://user:password@host:port\"");
    };
    proxy_target t;
    std::string without = proxy;
    const auto scheme_end = proxy.find("://");
    if (scheme_end != std::string::npos) {
        const auto authority_begin = scheme_end + 3;
        const auto authority_end = std::min(proxy.find('/', authority_begin), proxy.size());
        const auto at = proxy.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
        if (at != std::string::npos && at >= authority_begin) {
            const std::string_view userinfo(proxy.data() + authority_begin, at - authority_begin);
            const auto colon = userinfo.find(':');
            t.user = percent_decode(userinfo.substr(0, colon));
            if (colon != std::string_view::npos) t.password = percent_decode(userinfo.substr(colon + 1));
            without = proxy.substr(0, authority_begin) + proxy.substr(at + 1);
        }
    }
    auto p = http::parse_url(without);
    if (!p || p->scheme != "http" || p->target != "/") return bad();  // a proxy URL has no path
    t.url = std::move(*p);
    return t;
}

/// The proxy's URL without its credentials ("http://host:port"): what a transport hands its HTTP
/// library, which may quote it in an error message. The credentials go separately.
inline std::string proxy_url_without_credentials(const proxy_target& t) {
    const bool ipv6 = t.url.host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + t.url.host + "]" : t.url.host) + ":" + std::to_string(t.url.port);
}

/// A request that went through the proxy and could not connect (or resolve), or (`never_went`:
/// the request itself never left) whose exchange broke off while its tunnel was being opened:
/// that is the proxy's failure, code "proxy" (nothing was sent to the server).
inline error blame_proxy(error e, bool never_went = false) {
    const bool tunnel = never_went && (e.code == codes::recv || e.code == codes::send || e.code == codes::empty_reply ||
                                       e.code == codes::protocol);
    if (e.kind == errc::transport && (tunnel || e.code == codes::connect || e.code == codes::resolve)) {
        e.message += tunnel ? " (opening the proxy's tunnel)" : " (connecting to the proxy)";
        e.code = std::string(codes::proxy);
        e.hint = "check the proxy's address and port and that it is running, or go without it";
    }
    return e;
}

/// The `no_proxy` list as proxy_bypassed reads it: its entries split at commas and blanks,
/// brackets around an IPv6 address dropped, joined by commas.
inline std::string normalized_no_proxy(std::string_view list) {
    auto separator = [](char c) { return c == ',' || c == ' ' || c == '\t'; };
    std::string out;
    for (std::size_t i = 0; i < list.size();) {
        while (i < list.size() && separator(list[i])) ++i;
        std::size_t j = i;
        while (j < list.size() && !separator(list[j])) ++j;
        std::string_view e = list.substr(i, j - i);
        i = j;
        if (e.empty()) continue;
        std::string entry(e);
        if (e.front() == '[') {
            const auto close = e.find(']');
            if (close != std::string_view::npos)
                entry = std::string(e.substr(1, close - 1)) + std::string(e.substr(close + 1));
        }
        if (!out.empty()) out += ',';
        out += entry;
    }
    return out;
}

/// Whether the address `ip` lies in `range`: an address of the same family, optionally "/bits"
/// (none, or 0: the address itself; more than the family has: no range).
inline bool in_address_range(std::string_view ip, std::string_view range, bool v6) {
    const auto slash = range.find('/');
    unsigned bits = 0;
    if (slash != std::string_view::npos) {
        for (std::size_t k = slash + 1; k < range.size() && range[k] >= '0' && range[k] <= '9' && bits <= 1000; ++k)
            bits = bits * 10 + static_cast<unsigned>(range[k] - '0');
        range = range.substr(0, slash);
    }
    const unsigned width = v6 ? 128 : 32;
    if (bits == 0) bits = width;
    if (bits > width || ip.size() >= 64 || range.size() >= 64) return false;
    unsigned char a[16] = {}, b[16] = {};
    const std::string ip_s(ip), range_s(range);
    const int family = v6 ? AF_INET6 : AF_INET;
    if (inet_pton(family, ip_s.c_str(), a) != 1 || inet_pton(family, range_s.c_str(), b) != 1) return false;
    for (unsigned k = 0; k < bits; ++k) {
        const unsigned mask = 0x80u >> (k % 8);
        if ((a[k / 8] & mask) != (b[k / 8] & mask)) return false;
    }
    return true;
}

/// Whether `host` is reached directly by the `no_proxy` list (see transport_options::no_proxy),
/// the one rule every adapter routes by (curl sets libcurl's proxy per request from it): on the
/// list's normalized_no_proxy form, "*" alone, every host; a name, that host and the hosts under
/// it (at a dot, any case; leading and trailing dots ignored, as libcurl's CURLOPT_NOPROXY); an
/// address, that address or, with "/bits", that range of its family.
inline bool proxy_bypassed(std::string_view no_proxy, std::string_view host) {
    auto lower = [](std::string_view s) {
        std::string o(s);
        for (char& c : o)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return o;
    };
    const std::string list = normalized_no_proxy(no_proxy);
    if (list == "*") return true;
    if (!host.empty() && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const bool v6 = host.find(':') != std::string_view::npos;
    const bool ip = v6 || in_address_range(host, host, false);
    if (!ip)
        while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    const std::string h = lower(host);
    std::size_t pos = 0;
    while (pos < list.size()) {
        const auto comma = std::min(list.find(',', pos), list.size());
        std::string_view entry = std::string_view(list).substr(pos, comma - pos);
        pos = comma + 1;
        if (ip) {
            if (in_address_range(h, entry, v6)) return true;
            continue;
        }
        while (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
        while (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
        if (entry.empty()) continue;
        const std::string e = lower(entry);
        if (h == e) return true;
        if (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 &&
            h[h.size() - e.size() - 1] == '.')
            return true;
    }
    return false;
}

/// A request's timeout as a transport may add it to a clock's time: within [0, 366 days]. A
/// `milliseconds::max()` meant as "no timeout" would overflow a steady_clock time_point (its
/// nanoseconds) into the past, and the request would time out at once.
inline std::chrono::milliseconds bounded_timeout(std::chrono::milliseconds t) noexcept {
    return std::clamp(t, std::chrono::milliseconds{0}, std::chrono::milliseconds{366LL * 24 * 3600 * 1000});
}

/// Everything checked before a request may touch the network. On success, the URL split.
/// All failures are delivery::not_sent: nothing left the process.
inline result<http::url_parts> preflight(const http::request& req, const transport_options& opt) {
    auto parsed = http::parse_url(req.url);
    if (!parsed) {
        // parse_url's message quotes the URL; keep only the reason (the query may hold PII).
        error e = parsed.error();
        auto colon = e.message.rfind("': ");
        std::string why = colon == std::string::npos ? std::string("malformed") : e.message.substr(colon + 3);
        return transport_error(errc::config, std::string(codes::bad_url), delivery::not_sent,
                               "invalid request URL: " + why, "the URL must be absolute http:// or https://");
    }
    const http::url_parts& u = *parsed;
    // The URL goes into the request line as it is (url_encode made its variable parts safe): a
    // space, a control character or a CR/LF would end that line and start another request (with
    // the Authorization header in it), a '#' would cut the target. Not quoted: the query may hold PII.
    for (const char ch : req.url)
        if (const auto c = static_cast<unsigned char>(ch); c <= 0x20 || c == 0x7F || c == '#')
            return transport_error(errc::config, std::string(codes::bad_url), delivery::not_sent,
                                   "invalid request URL: a space, a control character or a '#' in it",
                                   "the variable parts of a URL must be percent-encoded (gcx::http::url_encode)");

    for (const auto& h : req.fields) {
        bool ok = !h.name.empty();
        for (char c : h.name) ok = ok && is_token_char(c);
        for (char c : h.value) ok = ok && c != '\r' && c != '\n' && c != '\0';
        if (!ok) {
            // Name the header (if it is printable), never its value.
            std::string name;
            for (char c : h.name) name += is_token_char(c) ? c : '?';
            return transport_error(errc::invalid_input, std::string(codes::bad_header), delivery::not_sent,
                                   describe_target(req, u) + ": header '" + name +
                                       "' has an invalid name or a CR, LF or NUL in its value",
                                   "header values must be single-line");
        }
    }

    // The user agent is a header line too (transports add it themselves).
    if (opt.user_agent.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return transport_error(errc::config, std::string(codes::bad_header), delivery::not_sent,
                               describe_target(req, u) + ": the user_agent option has a CR, LF or NUL",
                               "header values must be single-line");
    }

    // Plain http carries a secret only to this machine: to a loopback host, and not through a
    // proxy elsewhere (a proxy set for the public API, left on while trying gcx-sim on localhost).
    const auto proxied_elsewhere = [&] {
        if (opt.proxy.empty() || proxy_bypassed(opt.no_proxy, u.host)) return false;
        const auto p = parse_proxy(opt.proxy);
        return !p || !http::is_loopback_host(p->url.host);
    };
    if (u.scheme == "http" && !opt.allow_insecure_http && req.header("Authorization") != nullptr) {
        if (!http::is_loopback_host(u.host)) {
            return transport_error(
                errc::config, std::string(codes::insecure_http), delivery::not_sent,
                describe_target(req, u) +
                    ": refusing to send an Authorization header over plain http to a non-loopback host",
                "use an https:// URL, or set allow_insecure_http for a trusted gateway");
        }
        if (proxied_elsewhere()) {
            return transport_error(
                errc::config, std::string(codes::insecure_http), delivery::not_sent,
                describe_target(req, u) +
                    ": refusing to send an Authorization header over plain http through a proxy on another machine",
                "reach this host directly (name it in no_proxy, e.g. 127.0.0.1; gcx-lookup: --proxy '' or "
                "NO_PROXY), use a proxy on this machine, or set allow_insecure_http for a trusted proxy");
        }
    }

    if (req.timeout.count() <= 0) {
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                               describe_target(req, u) + ": no time left to send the request");
    }
    return parsed;
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/common/shared_state.hpp> ================================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_SHARED_STATE_HPP
#define GCX_ADAPTERS_COMMON_SHARED_STATE_HPP

// How a transport's copies share its state (options, pool of connections): a transport holds a
// shared_state<State> and defaults its copy and move operations.

#include <memory>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A shared pointer to a transport's state (never null: construct it with a made state). Copies
/// share it; so do moves: a moved-from transport stays usable (it still shares the state), and
/// moving never throws.
template <class State>
class shared_state {
public:
    explicit shared_state(std::shared_ptr<State> p) noexcept : p_(std::move(p)) {}

    shared_state(const shared_state&) = default;
    shared_state(shared_state&& other) noexcept : p_(other.p_) {}
    shared_state& operator=(const shared_state&) = default;
    shared_state& operator=(shared_state&& other) noexcept {
        p_ = other.p_;
        return *this;
    }
    ~shared_state() = default;

    State& operator*() const noexcept { return *p_; }
    State* operator->() const noexcept { return p_.get(); }

private:
    std::shared_ptr<State> p_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/common/socket_probe.hpp> ================================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_SOCKET_PROBE_HPP
#define GCX_ADAPTERS_COMMON_SOCKET_PROBE_HPP

// Looks at a connection's socket without reading from it: whether an idle one has anything
// waiting (the check before a kept-alive connection is reused for a POST), and how many bytes it
// has received (the header cap of httplib's watch thread).

#include <cstdint>

#if !defined(_WIN32)
#include <poll.h>
#endif
#if defined(__linux__)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

#if !defined(_WIN32)
/// Whether anything is waiting on the socket of an idle kept-alive connection: a FIN, a reset,
/// a TLS close_notify, stray bytes. An idle HTTP/1.1 connection has nothing to read; cpp-httplib
/// 0.11 and libcurl 7.88 take one with readable bytes for alive (they only look for the FIN),
/// gcx does not.
inline bool idle_socket_stirred(int fd) noexcept {
    if (fd < 0) return false;
    short events = POLLIN | POLLPRI;
#if defined(POLLRDHUP)
    events = static_cast<short>(events | POLLRDHUP);
#endif
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, 0) != 0;  // > 0: something is there; < 0: the socket is unusable
}
#else
template <class Socket>
bool idle_socket_stirred(Socket) noexcept {
    return false;
}
#endif

/// A number that tells this socket from any other open in the process, even one that took the
/// same descriptor number after it was closed (the socket's inode). False where unknown.
template <class Socket>
bool socket_identity([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& out) noexcept {
#if defined(__linux__)
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
    out = static_cast<std::uint64_t>(st.st_ino) + 1;  // never 0
    return true;
#else
    return false;  // not known on this platform
#endif
}

/// Bytes the reader of the TCP connection `fd` has taken from it since it was opened: what the
/// connection received (Linux 4.1+, TCP_INFO's tcpi_bytes_received) less what still waits in the
/// socket's receive queue (FIONREAD). Counting what was received alone would count a body that
/// arrived with the headers but was not read yet. False where that is not available (only
/// glibc's struct tcp_info is known to end where the kernel's 64-bit counters begin).
template <class Socket>
bool tcp_bytes_received([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& out) noexcept {
#if defined(__linux__) && defined(TCP_INFO) && defined(__GLIBC__) && defined(FIONREAD)
    // glibc's struct tcp_info stops before the kernel's 64-bit counters; the kernel's structure
    // only ever grows at its end, so these follow it as they follow it in <linux/tcp.h>.
    struct extended {
        tcp_info base;
        std::uint64_t pacing_rate;
        std::uint64_t max_pacing_rate;
        std::uint64_t bytes_acked;
        std::uint64_t bytes_received;
    } info{};
    socklen_t len = sizeof info;
    if (fd < 0 || ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return false;
    if (len < sizeof info) return false;  // an older kernel
    int unread = 0;
    if (::ioctl(fd, FIONREAD, &unread) != 0 || unread < 0) return false;
    const auto waiting = static_cast<std::uint64_t>(unread);
    out = info.bytes_received > waiting ? info.bytes_received - waiting : 0;
    return true;
#else
    return false;  // not known on this platform
#endif
}

/// socket_identity and tcp_bytes_received of one socket, read on a descriptor of the probe's own
/// (a duplicate of `fd`): another thread may close `fd` meanwhile, and the descriptor number go
/// to another connection between two reads of it (the identity of one socket, the bytes of
/// another). Closing the duplicate closes the connection if its owner closed it meanwhile.
template <class Socket>
bool identified_bytes_received([[maybe_unused]] Socket fd, [[maybe_unused]] std::uint64_t& identity,
                               [[maybe_unused]] std::uint64_t& bytes) noexcept {
#if defined(__linux__) && defined(F_DUPFD_CLOEXEC)
    if (fd < 0) return false;
    const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return false;
    const bool ok = socket_identity(own, identity) && tcp_bytes_received(own, bytes);
    ::close(own);
    return ok;
#else
    return false;  // not known on this platform
#endif
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/common/transport_base.hpp> ==============================================
#if defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)
#ifndef GCX_ADAPTERS_COMMON_TRANSPORT_BASE_HPP
#define GCX_ADAPTERS_COMMON_TRANSPORT_BASE_HPP

// What the two shipped transports (curl_transport, httplib_transport) are made of alike: their
// options, a state made from them and shared by copies, settings(), and the checks every send()
// makes before it touches the network.

#include <memory>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Base of a transport whose `State` (possibly const) is constructed from `Options` and has the
/// members `opts` (the options) and `init_error` (a std::unique_ptr<error>, set when the options
/// cannot be used). Copies and moves share the state (shared_state).
template <class Options, class State>
class transport_base {
public:
    using options = Options;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    transport_base() : transport_base(options{}) {}

    explicit transport_base(options opts) : state_(std::make_shared<State>(std::move(opts))) {}

    /// The options this transport was made with.
    const options& settings() const noexcept { return state_->opts; }

protected:
    /// The request's parsed URL, or the error send() returns before anything else: preflight's
    /// refusal of the request, else the options' init_error.
    result<http::url_parts> admit(const http::request& req) const {
        auto target = preflight(req, state_->opts);
        if (target && state_->init_error) return *state_->init_error;
        return target;
    }

    shared_state<State> state_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL) || defined(GCX_WITH_HTTPLIB) || defined(GCX_WITH_ADAPTER_COMMON)

// ======== <gcx/adapters/curl/exchange.hpp> ======================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_EXCHANGE_HPP
#define GCX_ADAPTERS_CURL_EXCHANGE_HPP

// One libcurl transfer's callbacks and the state they write into: the response body (with its
// cap) and headers, "did libcurl write any byte of the request?", and the guards that refuse a
// second send of a POST (see "Was the request sent?" in gcx/adapters/curl.hpp).

#include <curl/curl.h>
#if !defined(_WIN32)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The sockets of the connections in a connection cache that several handles share
/// (curl_multi_runner's): each added when libcurl opens it (gcx_curl_open_socket), removed when
/// libcurl closes it (gcx_curl_close_socket). So the prerequest callback, which is told only the
/// local port of the connection a request is about to go on, can look at that connection's socket.
/// One thread (the runner's).
class curl_socket_registry {
public:
    void add(curl_socket_t fd) { fds_.push_back(fd); }
    void remove(curl_socket_t fd) noexcept {
        auto it = std::find(fds_.begin(), fds_.end(), fd);
        if (it != fds_.end()) {
            *it = fds_.back();
            fds_.pop_back();
        }
    }
    /// The socket of the connection from local port `local_port` to `peer_ip`:`peer_port` (what
    /// the prerequest callback is told; Linux gives the same local port to connections to two
    /// hosts, the login's and the API's, both on 443, so the ports alone may name the wrong one),
    /// or CURL_SOCKET_BAD. `peer_ip` as libcurl writes it (inet_ntop's form); empty or null: not
    /// compared.
    curl_socket_t find(int local_port, int peer_port, const char* peer_ip = nullptr) const noexcept {
#if !defined(_WIN32)
        if (local_port <= 0) return CURL_SOCKET_BAD;
        auto port_of = [](const sockaddr_storage& a) {
            if (a.ss_family == AF_INET)
                return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port));
            if (a.ss_family == AF_INET6)
                return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port));
            return -1;
        };
        auto ip_is = [peer_ip](const sockaddr_storage& a) {
            if (peer_ip == nullptr || *peer_ip == '\0') return true;
            char text[INET6_ADDRSTRLEN] = {};
            const void* at = a.ss_family == AF_INET
                                 ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in&>(a).sin_addr)
                                 : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6&>(a).sin6_addr);
            return ::inet_ntop(a.ss_family, at, text, sizeof text) != nullptr && std::strcmp(text, peer_ip) == 0;
        };
        for (curl_socket_t fd : fds_) {
            sockaddr_storage local{}, peer{};
            socklen_t len = sizeof local, peer_len = sizeof peer;
            if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0 || port_of(local) != local_port)
                continue;
            if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 || port_of(peer) != peer_port ||
                !ip_is(peer))
                continue;
            return fd;
        }
#else
        (void)local_port;
        (void)peer_port;
        (void)peer_ip;
#endif
        return CURL_SOCKET_BAD;
    }

private:
    std::vector<curl_socket_t> fds_;
};

/// The state one transfer's callbacks write into.
struct curl_exchange {
    http::response* res = nullptr;
    std::size_t max_body = 0;
    std::size_t max_headers = 0;   ///< most bytes of status lines and headers
    std::size_t header_bytes = 0;  ///< received so far
    CURL* easy = nullptr;          ///< the handle doing the transfer
    bool too_large = false;
    bool headers_too_large = false;
    bool length_conflict = false;  ///< two different Content-Length values (http::content_length_conflict)
    bool out_of_memory = false;
    bool no_replay = false;         ///< a POST: never written on a second connection
    bool replay_refused = false;    ///< libcurl wanted to send it again (new or other connection)
    bool resent = false;            ///< libcurl sent it again: a reused connection closed unanswered
    bool via_proxy = false;         ///< the request goes through the proxy (not bypassed by no_proxy)
    bool request_went = false;      ///< the prerequest callback let the request go once already
    long bytes_before_request = 0;  ///< CURLINFO_REQUEST_SIZE then: a proxy's CONNECT request
    bool opened = false;            ///< libcurl opened a socket for this transfer
    bool stale_refused = false;     ///< refused on a reused connection with bytes waiting
    /// No header block is open: the next line is a status line (the first, or the next response's
    /// after a 1xx or a proxy's CONNECT answer), else a trailer after a chunked body (dropped).
    bool between_blocks = true;
    /// The sockets of the shared connection cache (curl_multi_runner), for the prerequest
    /// callback's look at a reused connection; nullptr: not looked at there (curl_transport
    /// looks at its own handle's connection before the transfer). Kept across transfers.
    curl_socket_registry* sockets = nullptr;

    void start(CURL* h, http::response* r, std::size_t cap, std::size_t header_cap, bool post) noexcept {
        curl_socket_registry* keep = sockets;
        *this = curl_exchange{};
        sockets = keep;
        easy = h;
        res = r;
        max_body = cap;
        max_headers = header_cap;
        no_replay = post;
    }
};

/// Whether libcurl wrote any byte of a request to a connection during the current transfer.
inline bool curl_wrote(CURL* h) noexcept {
    long request_size = 0;
    curl_off_t uploaded = 0;
    const bool a = curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size) == CURLE_OK && request_size > 0;
    const bool b = curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &uploaded) == CURLE_OK && uploaded > 0;
    return a || b;
}

/// Whether libcurl wrote any byte of *this request* to a connection during the current transfer:
/// unlike curl_wrote, not counting the CONNECT request that opened a proxy's tunnel before it
/// (CURLINFO_REQUEST_SIZE counts that too). With libcurl 7.80+ the prerequest callback tells
/// when the request went; before that, curl_wrote.
inline bool curl_request_written(const curl_exchange& ex) noexcept {
#if LIBCURL_VERSION_NUM >= 0x075000      // 7.80.0
    if (!ex.request_went) return false;  // it never went: what was counted was a CONNECT's
    long request_size = 0;
    curl_off_t uploaded = 0;
    curl_easy_getinfo(ex.easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(ex.easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    return request_size > ex.bytes_before_request || uploaded > 0;
#else
    return curl_wrote(ex.easy);
#endif
}

inline std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

extern "C" {
// Callbacks handed to C: C linkage, and no exception may escape them.
inline std::size_t gcx_curl_on_body(char* data, std::size_t size, std::size_t nmemb, void* user) {
    auto* ex = static_cast<curl_exchange*>(user);
    const std::size_t n = size * nmemb;
    if (n > ex->max_body - std::min(ex->max_body, ex->res->body.size())) {
        ex->too_large = true;
        return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
    }
    try {
        ex->res->body.append(data, n);
    } catch (...) {
        ex->out_of_memory = true;
        return 0;
    }
    return n;
}

inline std::size_t gcx_curl_on_header(char* data, std::size_t size, std::size_t nitems, void* user) {
    auto* ex = static_cast<curl_exchange*>(user);
    const std::size_t n = size * nitems;
    std::string_view line(data, n);
    if (ex->max_headers > 0 && n > ex->max_headers - std::min(ex->max_headers, ex->header_bytes)) {
        ex->headers_too_large = true;
        return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
    }
    ex->header_bytes += n;
    try {
        auto& fields = ex->res->fields;
        if (ex->between_blocks) {
            // A status line starts a new response (after 100 Continue, a CONNECT answer...): keep
            // the last one's headers. Anything else here follows a body: a chunked body's
            // trailers, which are not the response's headers (a Retry-After or a Connection
            // there must not count).
            if (line.size() >= 5 && http::iequals(line.substr(0, 5), "HTTP/")) {
                ex->between_blocks = false;
                fields.clear();
                fields.reserve(8);  // one allocation for a typical answer's headers, not three
            }
        } else if (line == "\r\n" || line == "\n") {
            ex->between_blocks = true;  // the empty line that ends a header block (one of blanks is not)
            // libcurl 7.88 takes the last Content-Length: a body cut short (or run into the next
            // answer) would be returned as the whole one.
            if (http::content_length_conflict(fields)) {
                ex->length_conflict = true;
                return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
            }
        } else if (line.front() == ' ' || line.front() == '\t') {
            auto more = trim_ows(line);  // obsolete line folding: continues the previous value
            if (!fields.empty() && !more.empty()) {
                fields.back().value += ' ';
                fields.back().value += more;
            }
        } else {
            auto colon = line.find(':');
            if (colon != std::string_view::npos && colon > 0) {
                fields.push_back(
                    http::header{std::string(line.substr(0, colon)), std::string(trim_ows(line.substr(colon + 1)))});
            }
        }
    } catch (...) {
        ex->out_of_memory = true;
        return 0;
    }
    return n;
}

// libcurl silently sends a request again on a fresh connection when a reused connection closes
// without answering. A flow launch must never be sent twice unless the server certainly did not
// act on it, and a connection that closed after the request was written proves nothing: so once
// any byte of a POST was written, opening another socket for it is refused and the transfer fails
// (reported as "empty_reply", delivery::maybe) instead. Otherwise this is libcurl's own default,
// plus close-on-exec.
inline curl_socket_t gcx_curl_open_socket(void* user, curlsocktype, struct curl_sockaddr* addr) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (curl_request_written(*ex)) {
        if (ex->no_replay) {
            ex->replay_refused = true;
            return CURL_SOCKET_BAD;
        }
        ex->resent = true;
    }
#ifdef SOCK_CLOEXEC
    const curl_socket_t fd = ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
#else
    const curl_socket_t fd = ::socket(addr->family, addr->socktype, addr->protocol);
#endif
    if (fd == CURL_SOCKET_BAD) return fd;
    ex->opened = true;
    if (ex->sockets != nullptr) {
        try {
            ex->sockets->add(fd);
        } catch (...) {
            ::close(fd);
            ex->out_of_memory = true;
            return CURL_SOCKET_BAD;
        }
    }
    return fd;
}

/// libcurl closes a socket of the shared cache (CURLOPT_CLOSESOCKETDATA: its curl_socket_registry).
inline int gcx_curl_close_socket(void* registry, curl_socket_t fd) {
    static_cast<curl_socket_registry*>(registry)->remove(fd);
    return ::close(fd);
}

#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0
// Called right before each request goes out, on a new or a reused connection: also before
// libcurl's silent second send of a request whose connection closed unanswered. Refused: a second
// call after bytes were written since the first. (Not "any byte written": through a proxy, the
// CONNECT request that opened the tunnel counts in CURLINFO_REQUEST_SIZE, and every POST through
// a proxy was refused that way.)
//
// Also, for a request about to go on a connection of a shared cache that this transfer did not
// open: refused when that connection has bytes waiting. libcurl 7.88 takes it for alive: a POST
// written into one that ends (a TLS close_notify, a FIN behind one) would be lost, "maybe sent",
// and any request would read what a server wrote unasked (an idle connection's 408, stray bytes
// after an answer) as its own answer: another request's. Nothing of the request was written
// then: the caller sends it again on a new connection (stale_refused).
inline int gcx_curl_prereq(void* user, char* primary_ip, char*, int primary_port, int local_port) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (!ex->request_went && !ex->opened && ex->sockets != nullptr) {
        const curl_socket_t fd = ex->sockets->find(local_port, primary_port, primary_ip);
        if (fd != CURL_SOCKET_BAD && idle_socket_stirred(fd)) {
            ex->stale_refused = true;
            return CURL_PREREQFUNC_ABORT;
        }
    }
    long request_size = 0;
    curl_easy_getinfo(ex->easy, CURLINFO_REQUEST_SIZE, &request_size);
    if (!ex->request_went) {
        ex->request_went = true;
        ex->bytes_before_request = request_size;
        return CURL_PREREQFUNC_OK;
    }
    curl_off_t uploaded = 0;
    curl_easy_getinfo(ex->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    if (request_size > ex->bytes_before_request || uploaded > 0) {
        if (ex->no_replay) {
            ex->replay_refused = true;
            return CURL_PREREQFUNC_ABORT;
        }
        ex->resent = true;
    }
    return CURL_PREREQFUNC_OK;
}
#endif

}  // extern "C"

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/header_lists.hpp> ==================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_HEADER_LISTS_HPP
#define GCX_ADAPTERS_CURL_HEADER_LISTS_HPP

// The request header lists a libcurl easy handle sends (CURLOPT_HTTPHEADER), and the cache that
// keeps the last one built for a POST and for a GET, so a lookup's launch and polls, which
// alternate on a handle, do not rebuild theirs.

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

struct curl_slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

/// The last header list built for a GET ([0]) and for a POST ([1]), with what each was built from.
class curl_header_lists {
public:
    /// The list kept for `fields` and `user_agent` (a POST's when `post`), or nullptr when it
    /// must be built again.
    curl_slist* find(const http::headers& fields, bool post, const std::string* user_agent) const noexcept {
        const header_list& slot = lists_[post ? 1 : 0];
        if (slot.list && slot.user_agent == user_agent && same(fields, slot.fields)) return slot.list.get();
        return nullptr;
    }

    /// Frees the list kept for a POST (`post`) or a GET, then builds the lines libcurl sends:
    /// `fields`, then `user_agent` (if not null and `fields` has none), plus what suppresses
    /// libcurl's own Content-Type and Expect. The User-Agent is a line of the list rather than
    /// CURLOPT_USERAGENT, which libcurl would format anew for every request. Returns the new
    /// list, kept until the next build for the same method; nullptr: out of memory.
    /// The handle must no longer point at the freed list.
    curl_slist* build(const http::headers& fields, bool post, const std::string* user_agent) {
        header_list& slot = lists_[post ? 1 : 0];
        slot.list.reset();
        slot.fields.clear();
        // Request headers. libcurl adds Host, Accept and Content-Length itself; it would also add
        // "Content-Type: application/x-www-form-urlencoded" to a POST and "Expect: 100-continue"
        // to a large body, which the empty "Name:" form suppresses.
        curl_slist_ptr list;
        bool oom = false;
        auto add = [&](const std::string& line) {
            curl_slist* l = curl_slist_append(list.get(), line.c_str());
            if (l == nullptr) {
                oom = true;
                return;
            }
            (void)list.release();
            list.reset(l);
        };
        std::string line;
        for (const auto& f : fields) {
            // "Name;" is libcurl's spelling of a header with an empty value.
            line = f.name;
            if (f.value.empty()) {
                line += ';';
            } else {
                line += ": ";
                line += f.value;
            }
            add(line);
        }
        if (user_agent != nullptr && !user_agent->empty() && http::find_header(fields, "User-Agent") == nullptr)
            add("User-Agent: " + *user_agent);
        if (post && http::find_header(fields, "Content-Type") == nullptr) add("Content-Type:");
        if (http::find_header(fields, "Expect") == nullptr) add("Expect:");
        if (oom) return nullptr;
        slot.fields = fields;
        slot.user_agent = user_agent;
        slot.list = std::move(list);
        return slot.list.get();
    }

private:
    static bool same(const http::headers& a, const http::headers& b) noexcept {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
        return true;
    }

    struct header_list {
        curl_slist_ptr list;
        http::headers fields;                     // what it was built from
        const std::string* user_agent = nullptr;  // and with: the transport's options' string
    };
    header_list lists_[2];
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/options.hpp> =======================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_OPTIONS_HPP
#define GCX_ADAPTERS_CURL_OPTIONS_HPP

// The libcurl adapter's options (curl_options), libcurl's global initialisation, and the checks
// of the options made once per transport or runner.

#include <curl/curl.h>

#include <functional>
#include <memory>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// curl_transport's options: the common ones, plus an escape hatch to libcurl.
struct curl_options : transport_options {
    /// Called on the easy handle just before each transfer, after gcx has set its options: for
    /// settings gcx does not model (client certificates, CURLOPT_RESOLVE, CURLOPT_INTERFACE...).
    /// Handles are reused, so what it sets stays for the handle's later transfers until it sets
    /// it again. It must not replace what gcx relies on: CURLOPT_WRITEFUNCTION,
    /// CURLOPT_HEADERFUNCTION, CURLOPT_OPENSOCKETFUNCTION, CURLOPT_ERRORBUFFER,
    /// CURLOPT_HTTPHEADER, CURLOPT_POSTFIELDS and their data pointers.
    /// Default: empty.
    std::function<void(CURL*)> configure;
};

namespace detail {

/// curl_global_init, once per process, thread-safe (a function-local static).
inline CURLcode curl_global() noexcept {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    return rc;
}

/// Why every request of a transport or runner made with `o` must fail (libcurl could not be
/// initialised, the proxy option is malformed), or nullptr.
inline std::unique_ptr<error> curl_init_error(const curl_options& o) {
    const CURLcode rc = curl_global();
    if (rc != CURLE_OK) {
        return std::make_unique<error>(
            transport_error(errc::config, "curl_init", delivery::not_sent,
                            std::string("curl_global_init failed: ") + curl_easy_strerror(rc)));
    }
    if (!o.proxy.empty()) {
        auto p = parse_proxy(o.proxy);
        if (!p) return std::make_unique<error>(p.error());
    }
    return nullptr;
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/handle.hpp> ========================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_HANDLE_HPP
#define GCX_ADAPTERS_CURL_HANDLE_HPP

// One libcurl easy handle as both curl_transport and curl_multi_runner use it: the options that
// never change between requests (TLS, trust, proxy, body cap, callbacks), set once; the per-request
// options, whose first refusal is kept; the request headers; and what a request leaves behind.

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <memory>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// One libcurl easy handle and what its callbacks write into, which live as long as it does.
/// The options that never change between requests are set once, by make(); set_headers() keeps
/// the last header list of a POST and of a GET and rebuilds one only when a request's headers differ.
class curl_handle {
public:
    curl_handle(const curl_handle&) = delete;
    curl_handle& operator=(const curl_handle&) = delete;
    ~curl_handle() {
        if (easy_ != nullptr) curl_easy_cleanup(easy_);
    }

    /// A new handle with the transport's fixed options, or nullptr when libcurl is out of memory.
    /// An option libcurl refuses here fails every request on this handle (transfer_error()).
    static std::unique_ptr<curl_handle> make(const curl_options& o) {
        CURL* easy = curl_easy_init();
        if (easy == nullptr) return nullptr;
        std::unique_ptr<curl_handle> h;
        try {
            h.reset(new curl_handle(easy));
        } catch (...) {
            curl_easy_cleanup(easy);
            throw;
        }
        h->errbuf_[0] = '\0';
        void* ex = static_cast<void*>(&h->ex_);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
        h->set(CURLOPT_PROTOCOLS_STR, "http,https");
#else
        h->set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        h->set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        h->set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: required with threads
#if LIBCURL_VERSION_NUM >= 0x075700    // 7.87.0
        // A transfer that times out while its name is being resolved returns at once, leaving the
        // resolver's thread behind, instead of waiting for getaddrinfo: a DNS server that does not
        // answer held curl_transport::send, and curl_multi_runner's whole loop, for its retries.
        h->set(CURLOPT_QUICK_EXIT, 1L);
#endif
        h->set(CURLOPT_FOLLOWLOCATION, 0L);
        h->set(CURLOPT_TCP_KEEPALIVE, 1L);

        // TLS.
        h->set(CURLOPT_SSL_VERIFYPEER, o.verify_peer ? 1L : 0L);
        h->set(CURLOPT_SSL_VERIFYHOST, o.verify_host ? 2L : 0L);
        // Trust. When no ca_path is given and a CA file is in force (ca_file, or libcurl's built-in
        // bundle), libcurl's built-in CA directory is switched off: with a directory, libcurl
        // builds the certificate store anew for every new connection (it caches only stores made
        // from a file alone, CURLOPT_CA_CACHE_TIMEOUT), about 20 ms of CPU each with Debian's
        // 140-certificate bundle. On Debian both hold the same certificates; and ca_file then
        // replaces the system store, as transport_options documents.
        if (!o.ca_file.empty()) h->set(CURLOPT_CAINFO, o.ca_file.c_str());
        if (!o.ca_path.empty()) h->set(CURLOPT_CAPATH, o.ca_path.c_str());
        else if (drop_builtin_ca_dir(easy, !o.ca_file.empty()))
            h->set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));

        // Proxy: an empty string also stops libcurl from reading http_proxy & co; and an
        // explicit no-proxy list (even empty) stops it from reading no_proxy / NO_PROXY, which it
        // otherwise honours even with CURLOPT_PROXY set. libcurl's own no_proxy rules are not
        // used at all: each request goes through the proxy or not as proxy_bypassed says (route(),
        // from curl_prepare), the rule the plain-http check and the error classification read
        // (libcurl 7.88 reads an IPv6 host in a range as a name, and older ones have no ranges).
        // libcurl quotes the proxy URL in some of its error messages ("Unsupported proxy syntax in
        // '...'"): it gets the URL without the credentials, which go in options of their own
        // (libcurl copies every string option). curl_init_error refused a proxy parse_proxy refuses.
        const auto proxy = o.proxy.empty() ? result<proxy_target>(proxy_target{}) : parse_proxy(o.proxy);
        h->proxy_url_ = proxy && !o.proxy.empty() ? proxy_url_without_credentials(*proxy) : std::string();
        h->set(CURLOPT_PROXY, h->proxy_url_.c_str());
        h->via_proxy_ = !h->proxy_url_.empty();
        h->set(CURLOPT_NOPROXY, "");
        const std::string& proxy_url = h->proxy_url_;
        if (!proxy_url.empty()) {
            h->set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
            if (!proxy->user.empty() || !proxy->password.empty()) {
                h->set(CURLOPT_PROXYUSERNAME, proxy->user.c_str());
                h->set(CURLOPT_PROXYPASSWORD, proxy->password.c_str());
            }
        }

        // Response: body with a cap (MAXFILESIZE refuses an announced Content-Length early; the
        // write callback catches chunked or lying bodies), headers of the last response.
        h->set(CURLOPT_MAXFILESIZE_LARGE,
               static_cast<curl_off_t>(std::min<std::size_t>(o.max_response_bytes, 0x7fffffffffffffffULL)));
        h->set(CURLOPT_WRITEFUNCTION, &gcx_curl_on_body);
        h->set(CURLOPT_WRITEDATA, ex);
        h->set(CURLOPT_HEADERFUNCTION, &gcx_curl_on_header);
        h->set(CURLOPT_HEADERDATA, ex);

        // No second send of a POST once it was written (see gcx_curl_prereq, gcx_curl_open_socket).
        h->set(CURLOPT_OPENSOCKETFUNCTION, &gcx_curl_open_socket);
        h->set(CURLOPT_OPENSOCKETDATA, ex);
#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0
        h->set(CURLOPT_PREREQFUNCTION, &gcx_curl_prereq);
        h->set(CURLOPT_PREREQDATA, ex);
#endif

        h->set(CURLOPT_ERRORBUFFER, h->errbuf_);
        h->setup_rc_ = h->transfer_rc_;
        return h;
    }

    /// Whether to switch libcurl's built-in CA directory off: libcurl has one (CURLINFO_CAPATH,
    /// libcurl 7.84+; a TLS backend without CA directories has none, and would refuse
    /// CURLOPT_CAPATH) and a CA file is in force (ca_file, or a built-in bundle that exists here).
    static bool drop_builtin_ca_dir(CURL* easy, bool have_ca_file) {
#if LIBCURL_VERSION_NUM >= 0x075400  // 7.84.0
        char* dir = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_CAPATH, &dir) != CURLE_OK || dir == nullptr) return false;
        if (have_ca_file) return true;
        char* file = nullptr;
        return curl_easy_getinfo(easy, CURLINFO_CAINFO, &file) == CURLE_OK && file != nullptr &&
               std::ifstream(file).good();
#else
        (void)easy;
        (void)have_ca_file;
        return false;
#endif
    }

    CURL* easy() const noexcept { return easy_; }

    /// Sends the next request through the configured proxy or directly (a host the no_proxy list
    /// names: proxy_bypassed); nothing to do without a proxy.
    void route(bool via_proxy) {
        if (proxy_url_.empty() || via_proxy == via_proxy_) return;
        set(CURLOPT_PROXY, via_proxy ? proxy_url_.c_str() : "");
        via_proxy_ = via_proxy;
    }
    curl_exchange& exchange() noexcept { return ex_; }
    const char* error_text() const noexcept { return errbuf_; }

    /// Sets one option of the transfer about to run; the first refusal is kept in
    /// transfer_error() until begin() starts the next request.
    template <class V>
    void set(CURLoption opt, V value) noexcept {
        CURLcode rc = curl_easy_setopt(easy_, opt, value);
        if (rc != CURLE_OK && transfer_rc_ == CURLE_OK) transfer_rc_ = rc;
    }

    /// Starts a request: clears what the previous one left (a refused option, the error text).
    void begin() noexcept {
        transfer_rc_ = setup_rc_;
        errbuf_[0] = '\0';
    }
    CURLcode transfer_error() const noexcept { return transfer_rc_; }

    /// Makes libcurl send `fields`, then `user_agent` (see curl_header_lists::build), reusing the
    /// list of the last request with the same method when it was built from the same. False: out
    /// of memory.
    bool set_headers(const http::headers& fields, bool post, const std::string* user_agent) {
        curl_slist* list = headers_.find(fields, post, user_agent);
        if (list == nullptr) {
            set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));  // before its list is freed
            active_ = nullptr;
            list = headers_.build(fields, post, user_agent);
            if (list == nullptr) return false;
        }
        if (active_ != list) {
            set(CURLOPT_HTTPHEADER, list);
            active_ = list;
        }
        return true;
    }

    /// Starts the keep-alive bookkeeping of a transfer to `origin` (see curl_outcome); `fresh`:
    /// it was told to open a new connection.
    void start_keepalive(const std::string& origin, bool fresh) {
        if (origin_ != origin) {
            origin_ = origin;
            kept_ = false;
        }
        fresh_ = fresh;
    }
    /// Ends it: whether the transfer left its connection open, at `now`.
    void end_keepalive(bool kept, std::chrono::steady_clock::time_point now) noexcept {
        kept_ = kept;
        kept_at_ = now;
    }
    /// Whether the previous transfer, to the same origin as this one, left a connection open less
    /// than keepalive_memory::soon ago, and this one was not told to open a new one.
    bool kept_recently(std::chrono::steady_clock::time_point now) const noexcept {
        return kept_ && !fresh_ && now - kept_at_ < keepalive_memory::soon;
    }
    const std::string& origin() const noexcept { return origin_; }
    /// Whether the previous transfer went to `origin` and left its connection open (in the
    /// handle's cache, for curl_transport), and when it ended.
    bool left_open_to(const std::string& origin) const noexcept { return kept_ && origin_ == origin; }
    std::chrono::steady_clock::time_point left_at() const noexcept { return kept_at_; }

    /// Ends a request: drops what points into it (the POST body, the response); the method is
    /// set again by every request. Connections, caches and the fixed options stay.
    void end_request() noexcept {
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
        curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
        ex_.res = nullptr;
    }

private:
    explicit curl_handle(CURL* easy) noexcept : easy_(easy) {}

    CURL* easy_;
    curl_exchange ex_;
    char errbuf_[CURL_ERROR_SIZE];
    CURLcode setup_rc_ = CURLE_OK;     // an option make() set was refused: every request fails
    CURLcode transfer_rc_ = CURLE_OK;  // the same, for the current request
    curl_header_lists headers_;
    curl_slist* active_ = nullptr;  // the list CURLOPT_HTTPHEADER points at
    std::string proxy_url_;         // the proxy, without its credentials ("" for none)
    bool via_proxy_ = false;        // what CURLOPT_PROXY says now (route)
    // Keep-alive bookkeeping (start_keepalive, end_keepalive).
    std::string origin_;
    bool fresh_ = false;
    bool kept_ = false;
    std::chrono::steady_clock::time_point kept_at_{};
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/pool.hpp> ==========================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_POOL_HPP
#define GCX_ADAPTERS_CURL_POOL_HPP

// The idle libcurl easy handles a transport or runner keeps for reuse (and with them their
// connections), and the borrowing of one for a request.

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A mutex-guarded stack of idle handles. LIFO, so one thread sending one request after another
/// always gets the handle whose connection is still open.
class curl_handle_pool {
public:
    explicit curl_handle_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    curl_handle_pool(const curl_handle_pool&) = delete;
    curl_handle_pool& operator=(const curl_handle_pool&) = delete;

    /// An idle handle, or a new one made with `o`; nullptr when libcurl is out of memory.
    std::unique_ptr<curl_handle> take(const curl_options& o) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                std::unique_ptr<curl_handle> h = std::move(idle_.back());
                idle_.pop_back();
                return h;
            }
        }
        return curl_handle::make(o);
    }

    void give_back(std::unique_ptr<curl_handle> h) noexcept {
        if (h == nullptr) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < max_idle_) {
                try {
                    idle_.push_back(std::move(h));
                    return;
                } catch (...) {}
            }
        }
        h.reset();  // outside the lock: curl_easy_cleanup may close connections
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<curl_handle>> idle_;
    std::size_t max_idle_;
};

/// Returns a borrowed handle to the pool however send() leaves.
class curl_borrowed {
public:
    curl_borrowed(curl_handle_pool& pool, const curl_options& o) : pool_(pool), h_(pool.take(o)) {}
    curl_borrowed(const curl_borrowed&) = delete;
    curl_borrowed& operator=(const curl_borrowed&) = delete;
    ~curl_borrowed() {
        if (h_ != nullptr) h_->end_request();  // nothing of send()'s request stays pointed at
        pool_.give_back(std::move(h_));
    }
    curl_handle* get() const noexcept { return h_.get(); }

private:
    curl_handle_pool& pool_;
    std::unique_ptr<curl_handle> h_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/classify.hpp> ======================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_CLASSIFY_HPP
#define GCX_ADAPTERS_CURL_CLASSIFY_HPP

// A failed libcurl transfer as a gcx::error: its code, errc, hint and whether the request was
// sent (delivery).

#include <curl/curl.h>

#include <chrono>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The error for a transfer that ended with `rc` (see "Was the request sent?" in gcx/adapters/curl.hpp).
inline error curl_classify(CURLcode rc, const detail::curl_exchange& ex, bool wrote, std::chrono::milliseconds elapsed,
                           std::chrono::milliseconds budget, const std::string& where, const char* errbuf) {
    // libcurl's error buffer says what happened in words ("Failed to connect to h port p",
    // "SSL certificate problem: ..."): it names hosts and ports, never headers or bodies.
    std::string detail_text = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    const std::string msg = where + ": " + detail_text;
    // Failures that happen before the request is written are not_sent, unless libcurl wrote
    // bytes anyway (a dead reused connection retried on a fresh one).
    const delivery before = wrote ? delivery::maybe : delivery::not_sent;

    if (ex.headers_too_large) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": response headers exceed max_header_bytes",
                                       "a server (or something in between) sent headers without end");
    }
    if (ex.length_conflict) {
        return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                                       where + ": the answer gave two different Content-Length values");
    }
    if (ex.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": response body exceeds max_response_bytes", detail::hint_too_large());
    }
    if (ex.replay_refused || rc == CURLE_SEND_FAIL_REWIND) {
        return detail::transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe,
                                       where + ": the connection closed without an answer after the request was sent "
                                               "(it was not sent again: the server may have acted on it)");
    }
    // libcurl refuses one header line over CURL_MAX_HTTP_HEADER (100 KiB in 7.88) with
    // CURLE_OUT_OF_MEMORY and no message, in the middle of a header block: the answer is too
    // large, not the process short of memory, and asking again gets the same.
    bool header_refused = rc == CURLE_OUT_OF_MEMORY && !ex.out_of_memory && !ex.between_blocks;
#if LIBCURL_VERSION_NUM >= 0x080600  // 8.6.0: its own code for it
    header_refused = header_refused || rc == CURLE_TOO_LARGE;
#endif
    if (header_refused) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": a response header line exceeds libcurl's limit (100 KiB)",
                                       "a server (or something in between) sent headers without end");
    }
    if (ex.out_of_memory || rc == CURLE_OUT_OF_MEMORY) {
        return detail::transport_error(errc::transport, std::string(codes::out_of_memory),
                                       wrote ? delivery::maybe : delivery::not_sent, where + ": out of memory");
    }
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        // A connect timeout shorter than the request's budget is a connect failure the caller
        // may retry; otherwise the request's own deadline passed.
        if (!wrote && elapsed + std::chrono::milliseconds(20) < budget) {
            return detail::transport_error(errc::transport, std::string(codes::connect), delivery::not_sent, msg,
                                           detail::hint_connect());
        }
        return detail::transport_error(errc::timeout, std::string(codes::timeout), before, msg);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return detail::transport_error(errc::transport, std::string(codes::resolve), before, msg,
                                       detail::hint_connect());
    case CURLE_COULDNT_CONNECT:
    case CURLE_INTERFACE_FAILED:
        return detail::transport_error(errc::transport, std::string(codes::connect), before, msg,
                                       detail::hint_connect());
#if LIBCURL_VERSION_NUM >= 0x074900  // 7.73.0
    case CURLE_PROXY:
        return detail::transport_error(errc::transport, std::string(codes::proxy), before, msg, detail::hint_connect());
#endif
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        // The server's certificate was refused: the same request would be refused again.
        return detail::transport_error(errc::transport, std::string(codes::certificate), before, msg,
                                       detail::hint_tls());
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
        return detail::transport_error(errc::transport, std::string(codes::tls), before, msg, detail::hint_tls());
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
        // The local TLS setup is wrong (unreadable ca_file...): nothing was sent.
        return detail::transport_error(errc::config, std::string(codes::tls), before, msg,
                                       "check ca_file, ca_path and any client certificate set in configure");
    case CURLE_UNSUPPORTED_PROTOCOL:
        // After the request was written, the server's answer is what libcurl refused ("Received
        // HTTP/0.9", "Unsupported HTTP version"): not the configuration's fault, and a GET may
        // be sent again.
        if (wrote) return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe, msg);
        return detail::transport_error(errc::config, std::string(codes::bad_url), before, msg);
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION: return detail::transport_error(errc::config, std::string(codes::bad_url), before, msg);
    case CURLE_GOT_NOTHING:
        return detail::transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe, msg);
    case CURLE_SEND_ERROR:
        return detail::transport_error(errc::transport, std::string(codes::send), delivery::maybe, msg);
    case CURLE_RECV_ERROR:
        return detail::transport_error(errc::transport, std::string(codes::recv), delivery::maybe, msg);
    case CURLE_PARTIAL_FILE:
        return detail::transport_error(errc::transport, std::string(codes::partial), delivery::maybe, msg);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe, msg);
    default:
        return detail::transport_error(errc::transport, "curl_" + std::to_string(static_cast<int>(rc)), delivery::maybe,
                                       msg);
    }
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/transfer.hpp> ======================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_TRANSFER_HPP
#define GCX_ADAPTERS_CURL_TRANSFER_HPP

// One request on a curl_handle, from both curl_transport and curl_multi_runner: getting a handle
// ready for it, and reading what the transfer gave.

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A duration as libcurl's milliseconds: at least 1 (0 would mean "no timeout").
inline long clamp_ms(std::chrono::milliseconds d) noexcept {
    const auto v = d.count();
    if (v <= 0) return 1;
    if (v > 0x7fffffffL) return 0x7fffffffL;
    return static_cast<long>(v);
}

/// Sets `handle` up for `req` (URL, method, body, headers, timeouts, then the user's configure
/// hook) with `res` as where the answer goes. The body is not copied: `req` must outlive the
/// transfer. A POST goes on a new connection after post_max_idle of idleness, when `memory`
/// says the server of `origin` closes kept-alive connections early (gcx/adapters/common/keepalive.hpp).
/// Any request goes on a new one when `stirred`: the caller saw bytes waiting on the connection it
/// would reuse (a close_notify, a server's unasked 408, stray bytes after an answer), which
/// libcurl 7.88 takes for alive and would read as the answer to the request written next.
/// Returns the error when libcurl refused something (nothing was sent), else nullopt.
template <class Where>
std::optional<error> curl_prepare(curl_handle& handle, const http::request& req, const curl_options& opts,
                                  http::response& res, const Where& where, const keepalive_memory& memory,
                                  const std::string& origin, bool stirred = false) {
    CURL* h = handle.easy();
    handle.begin();
    const bool post = req.verb == http::method::post;
    const bool fresh = stirred || (post && memory.fresh_for_post(origin, std::chrono::steady_clock::now()));
    handle.start_keepalive(origin, fresh);
    if (!handle.set_headers(req.fields, post, &opts.user_agent)) {
        return transport_error(errc::transport, std::string(codes::out_of_memory), delivery::not_sent,
                               where() + ": out of memory building the request");
    }
    const long total_ms = clamp_ms(req.timeout);
    const long connect_ms = std::min(total_ms, clamp_ms(opts.connect_timeout));
    handle.set(CURLOPT_URL, req.url.c_str());
    handle.set(CURLOPT_TIMEOUT_MS, total_ms);
    handle.set(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    if (post) {
        // Not copied. libcurl never sends it twice: see gcx_curl_open_socket.
        handle.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        handle.set(CURLOPT_POSTFIELDS, req.body.c_str());
    } else {
        handle.set(CURLOPT_HTTPGET, 1L);
    }
#if LIBCURL_VERSION_NUM >= 0x074100  // 7.65.0
    // libcurl drops a cached connection idle for more than this many whole seconds; 118 is its default.
    const long max_idle_s = static_cast<long>(std::max<std::chrono::seconds::rep>(opts.post_max_idle.count(), 1));
    handle.set(CURLOPT_MAXAGE_CONN, post ? max_idle_s - 1 : 118L);
#endif
    handle.set(CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
    // The connection a fresh POST replaces is closed when the POST ends, not left idle in the
    // handle's cache (where it would hold one of the server's workers until its keep-alive
    // timeout): curl_easy_perform copies this to its cache, which closes its oldest idle
    // connection beyond it. 5 is libcurl's default. (A multi handle's cache has its own limit.)
    handle.set(CURLOPT_MAXCONNECTS, fresh ? 1L : 5L);
    bool via_proxy = false;
    if (!opts.proxy.empty()) {
        auto u = http::parse_url(req.url);
        via_proxy = u && !proxy_bypassed(opts.no_proxy, u->host);
        handle.route(via_proxy);
    }
    if (handle.transfer_error() != CURLE_OK) {
        return transport_error(errc::config, "curl_option", delivery::not_sent,
                               where() + ": libcurl refused an option: " + curl_easy_strerror(handle.transfer_error()),
                               "this libcurl lacks a feature gcx needs (TLS, HTTP/1.1...)");
    }
    if (opts.configure) opts.configure(h);
    handle.exchange().start(h, &res, opts.max_response_bytes, opts.max_header_bytes, post);
    handle.exchange().via_proxy = via_proxy;
    return std::nullopt;
}

/// What a transfer prepared by curl_prepare and started at `started` gave: the response (any
/// status), or the error. Tells `memory` when the transfer saw its server close a kept-alive
/// connection early: libcurl had to send the request again (a GET) or was refused to (a POST),
/// a reused connection failed without an answer, or (`own_cache`: the handle's connections are
/// its own, as in curl_transport) it needed a new connection where the handle's previous
/// transfer to the same origin, less than keepalive_memory::soon ago, had left one open.
template <class Where>
result<http::response> curl_outcome(CURLcode rc, curl_handle& handle, http::response res,
                                    std::chrono::steady_clock::time_point started, std::chrono::milliseconds budget,
                                    const Where& where, keepalive_memory& memory, bool own_cache) {
    CURL* h = handle.easy();
    {
        const auto now = std::chrono::steady_clock::now();
        long connects = 0;
        if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects) != CURLE_OK) connects = 0;
        const curl_exchange& ex = handle.exchange();
        bool early = ex.resent || ex.replay_refused;
        if (connects == 0 && (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR))
            early = true;
        if (own_cache && connects > 0 && handle.kept_recently(now)) early = true;
        if (early) memory.closed_early(handle.origin(), now);
        // Whether the connection was left open: libcurl's word for it, not the Connection header
        // alone (an answer whose body ends when the server closes, or an HTTP/1.0 one, says nothing
        // and closes it: the next transfer's new connection is not the server closing early).
        const std::string* conn = rc == CURLE_OK ? res.header("Connection") : nullptr;
        bool left_open = rc == CURLE_OK && (conn == nullptr || !http::iequals(*conn, "close"));
#if LIBCURL_VERSION_NUM >= 0x072d00  // 7.45.0: CURLINFO_ACTIVESOCKET
        if (left_open) {
            curl_socket_t socket = CURL_SOCKET_BAD;
            left_open = curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK && socket != CURL_SOCKET_BAD;
        }
#endif
        handle.end_keepalive(left_open, now);
    }
    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        res.status = static_cast<int>(status);
        return res;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    error e = curl_classify(rc, handle.exchange(), curl_request_written(handle.exchange()), elapsed, budget, where(),
                            handle.error_text());
#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0: the prerequest callback says when the request went
    // It never went (a proxy that took the CONNECT and closed, a tunnel's answer refused): not a
    // byte of it left, whatever libcurl's code says, and through a proxy that is the proxy's failure.
    const bool never_went = !handle.exchange().request_went && !handle.exchange().replay_refused;
    if (never_went && e.sent == delivery::maybe) e.sent = delivery::not_sent;
#else
    const bool never_went = false;
#endif
    if (!handle.exchange().via_proxy) return e;
    long connect_code = 0;  // the proxy's answer to CONNECT: anything but 2xx refused the tunnel
    curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
    if (connect_code >= 300 && e.kind == errc::transport) {
        e.code = std::string(codes::proxy_refused);  // a policy or credentials: not retried
        e.sent = delivery::not_sent;                 // the bytes written were the CONNECT request's
        e.message += " (the proxy answered " + std::to_string(connect_code) + " to CONNECT)";
        e.hint = connect_code == 407 ? "the proxy wants credentials: http://user:password@host:port"
                                     : "check that the proxy lets this host and port through";
        return e;
    }
    return blame_proxy(std::move(e), never_went);
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl.hpp> ===============================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_HPP
#define GCX_ADAPTERS_CURL_HPP

// gcx::adapters::curl_transport: a gcx Transport over libcurl (CMake target gcx::curl).
//
//     gcx::adapters::curl_transport http;                      // verified HTTPS, keep-alive
//     gcx::adapters::curl_transport::options o;                // or configure it
//     o.ca_file = "/etc/corp/ca.pem";
//     o.proxy = "http://proxy.corp:3128";
//     gcx::adapters::curl_transport http2{o};
//     gcx::result<gcx::http::response> r = http.send(request);
//
// Thread safety: send() may be called from any number of threads at once on one transport (and
// on its copies, which share its state). Each call borrows a libcurl easy handle from a small
// mutex-guarded pool, or creates one when none is idle, and gives it back afterwards: a handle
// (and the keep-alive connections, TLS sessions and DNS entries it caches) is only ever used by
// one thread at a time, and sequential requests reuse the same handle and so the same
// connection. At most `max_idle_connections` idle handles are kept. Constructing the first
// transport calls curl_global_init once (thread-safe via a function-local static);
// curl_global_cleanup is never called, as other code in the process may still use libcurl.
//
// "Was the request sent?" (gcx::error::sent): gcx reads the request bytes libcurl counts as
// written to a connection in this transfer (CURLINFO_REQUEST_SIZE, which libcurl adds to after
// each successful write of a request, and CURLINFO_SIZE_UPLOAD_T for body bytes sent after it). A
// failure is delivery::not_sent only when it is a resolve, connect, proxy or TLS-handshake
// failure (or a timeout) AND neither counter saw a single byte; every other failure is
// delivery::maybe. (No debug callback: CURLOPT_VERBOSE makes libcurl format every message it
// could print, which cost about a tenth of a lookup's CPU.) libcurl silently sends a request again
// when a reused connection closes before answering: on a fresh connection, or on another idle
// one of the same cache (curl_multi_runner's handles share one). For a POST gcx refuses that
// second send once any request byte was written: before the request goes out on whatever
// connection (CURLOPT_PREREQFUNCTION, libcurl 7.80+, see gcx_curl_prereq), and before a new
// socket is opened (gcx_curl_open_socket, for older libcurl). So a POST is never sent twice: such
// a transfer fails with code "empty_reply" and delivery::maybe. (A GET may be re-sent that way;
// that is harmless, and the bytes written on the dead connection still count.)
//
// Cost: each pooled handle keeps the options that do not change between requests (TLS, proxy,
// callbacks, limits) and its last header lists (one for a POST, one for a GET); a request sets only
// its URL, method, body, timeouts and, when they changed, its headers. The POST body goes with the headers in one write.
//
// The parts, each in gcx/adapters/curl/: options.hpp (curl_options, curl_global_init), exchange.hpp
// (the transfer's callbacks: body cap, headers, the no-second-send guards), header_lists.hpp,
// handle.hpp (an easy handle's set-up), transfer.hpp (one request on a handle), classify.hpp
// (libcurl's error -> gcx::error), pool.hpp (idle handles); curl_multi.hpp uses the same.
//
// Redirects are not followed (a 3xx is returned as a response). Response headers are those of
// the last response: an interim 100 Continue or a proxy's CONNECT answer is dropped. HTTP/1.1
// is used (gcx sends a few small requests; keep-alive is all it needs).

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {

namespace detail {
/// A curl_transport's state, shared by its copies.
struct curl_transport_state {
    explicit curl_transport_state(curl_options o)
        : opts(std::move(o)), pool(opts.max_idle_connections), init_error(curl_init_error(opts)) {}
    curl_options opts;
    mutable curl_handle_pool pool;
    mutable keepalive_memory keepalive;
    std::unique_ptr<error> init_error;  // returned by every send() when set
};
}  // namespace detail

/// A gcx Transport over libcurl: `result<http::response> send(const http::request&)`.
/// Copies (and moves: a moved-from transport stays usable) share one pool of handles and
/// connections. See the top of this header for the thread-safety contract and how "was the
/// request sent?" is decided. Made with no options: verified HTTPS with the system CA store, no
/// proxy, 4 MiB body cap (transport_base).
class curl_transport : public detail::transport_base<curl_options, const detail::curl_transport_state> {
public:
    using transport_base::transport_base;

    /// Performs one HTTP exchange. Any HTTP status is a response; an error means no complete
    /// response was received. Never throws (but for std::bad_alloc); safe to call concurrently.
    result<http::response> send(const http::request& req) const {
        auto target = admit(req);
        if (!target) return target.error();
        const detail::curl_transport_state& st = *state_;
        auto where = [&req, &target] { return detail::describe_target(req, *target); };

        detail::curl_borrowed borrowed(st.pool, st.opts);
        detail::curl_handle* handle = borrowed.get();
        if (handle == nullptr) {
            return detail::transport_error(errc::transport, std::string(codes::out_of_memory), delivery::not_sent,
                                           where() + ": curl_easy_init failed");
        }
        http::response res;
        const std::string origin = detail::origin_of(*target);
        const bool stirred = stirred_connection(*handle, origin);
        if (auto refused = detail::curl_prepare(*handle, req, st.opts, res, where, st.keepalive, origin, stirred))
            return std::move(*refused);

        const auto started = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(handle->easy());
        return detail::curl_outcome(rc, *handle, std::move(res), started, req.timeout, where, st.keepalive, true);
    }

private:
    // Whether the connection the handle's previous transfer to `origin` left open (the one
    // libcurl is about to reuse: the handle's cache is its own) has anything waiting on it: a
    // FIN, a TLS close_notify, stray bytes. libcurl 7.88 only refuses one with a FIN, and over
    // TLS not even that when the close_notify came first. One that stirred soon after its answer
    // also tells the keep-alive memory.
    bool stirred_connection(detail::curl_handle& handle, const std::string& origin) const {
#if LIBCURL_VERSION_NUM >= 0x072d00  // 7.45.0
        if (!handle.left_open_to(origin)) return false;
        curl_socket_t s = CURL_SOCKET_BAD;
        if (curl_easy_getinfo(handle.easy(), CURLINFO_ACTIVESOCKET, &s) != CURLE_OK || s == CURL_SOCKET_BAD)
            return false;
        if (!detail::idle_socket_stirred(s)) return false;
        const auto now = std::chrono::steady_clock::now();
        if (now - handle.left_at() < detail::keepalive_memory::soon) state_->keepalive.closed_early(origin, now);
        return true;
#else
        (void)handle;
        (void)origin;
        return false;
#endif
    }
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/multi_handle.hpp> ==================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_MULTI_HANDLE_HPP
#define GCX_ADAPTERS_CURL_MULTI_HANDLE_HPP

// The libcurl multi handle under curl_multi_runner: it runs the transfers of easy handles added
// to it, reports each finished one with what its owner set, and sleeps until a socket is ready.

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <thread>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

class curl_multi_handle {
public:
    curl_multi_handle() noexcept : multi_(curl_multi_init()) {}
    curl_multi_handle(const curl_multi_handle&) = delete;
    curl_multi_handle& operator=(const curl_multi_handle&) = delete;
    ~curl_multi_handle() {
        if (multi_ != nullptr) curl_multi_cleanup(multi_);
    }

    /// nullptr when curl_multi_init failed (then no transfer can start).
    CURLM* get() const noexcept { return multi_; }

    /// Starts the transfer of `easy` on behalf of `owner` (CURLOPT_PRIVATE). False: refused.
    bool add(CURL* easy, void* owner) noexcept {
        curl_easy_setopt(easy, CURLOPT_PRIVATE, owner);
        return curl_multi_add_handle(multi_, easy) == CURLM_OK;
    }

    /// Stops a transfer still running.
    void remove(CURL* easy) noexcept {
        if (multi_ != nullptr) curl_multi_remove_handle(multi_, easy);
    }

    /// Drives the transfers, and calls `done(owner, easy, result)` for every finished one, which
    /// is taken out of the multi handle first.
    template <class Done>
    void perform(Done&& done) {
        if (multi_ == nullptr) return;
        int running = 0;
        curl_multi_perform(multi_, &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode rc = msg->data.result;
            void* owner = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
            curl_multi_remove_handle(multi_, easy);
            if (owner != nullptr) done(owner, easy, rc);
        }
    }

    /// Sleeps until a socket is ready, libcurl has work (its timeout) or `wait_ms` passed, at most
    /// 1 s; curl_multi_wakeup ends it early.
    void poll(long wait_ms) {
        if (multi_ == nullptr) {
            if (wait_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
            return;
        }
        long curl_ms = -1;
        curl_multi_timeout(multi_, &curl_ms);
        if (curl_ms >= 0 && curl_ms < wait_ms) wait_ms = curl_ms;
        if (wait_ms <= 0) return;
        curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::min(wait_ms, 1000L)), nullptr);
    }

    /// Lets the connection cache hold `want` connections (CURLMOPT_MAXCONNECTS).
    void set_max_connections(std::size_t want) noexcept {
        if (multi_ == nullptr || want == max_connections_) return;
        max_connections_ = want;
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(std::min<std::size_t>(want, 1u << 20)));
    }

private:
    CURLM* multi_;
    std::size_t max_connections_ = 0;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl/multi_task.hpp> ====================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_MULTI_TASK_HPP
#define GCX_ADAPTERS_CURL_MULTI_TASK_HPP

// What curl_multi_runner keeps of each operation (its type erased, its state in the loop, its
// transfer), and the waker that token caches on other threads use to end the loop's poll.

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Wakes a runner's poll from any thread (the token cache's on_change callbacks hold it).
struct curl_multi_waker {
    std::mutex mutex;
    CURLM* multi = nullptr;  // nullptr once the runner is gone
    std::atomic<bool> token_changed{false};

    void notify() {
        token_changed.store(true);
        std::lock_guard<std::mutex> lock(mutex);
#if LIBCURL_VERSION_NUM >= 0x074400  // 7.68.0
        if (multi != nullptr) curl_multi_wakeup(multi);
#endif
    }
};

/// One operation in the loop, its type erased.
class curl_multi_task {
public:
    virtual ~curl_multi_task() = default;
    virtual action next(time_point now) = 0;
    virtual void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall) = 0;
    virtual token_cache& tokens() = 0;
    virtual void complete() = 0;  ///< the operation is done: hand it to its completion

    enum class state { ready, waiting, in_transfer };
    state st = state::ready;
    time_point wake{};        ///< waiting: step again at
    bool token_wait = false;  ///< waiting: also when the token cache's fetch ends
    http::request request;    ///< the request in flight (libcurl reads its body)
    http::response response;  ///< where its answer goes
    std::unique_ptr<curl_handle> handle;
    std::chrono::steady_clock::time_point started{};
};

template <class Operation, class Done>
class curl_multi_model final : public curl_multi_task {
public:
    curl_multi_model(Operation&& op, Done&& done) : op_(std::move(op)), done_(std::move(done)) {}
    action next(time_point now) override { return op_.next(now); }
    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall) override {
        op_.on_response(std::move(r), now, wall);
    }
    token_cache& tokens() override { return op_.tokens(); }
    void complete() override { done_(op_); }

private:
    Operation op_;
    Done done_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/curl_multi.hpp> =========================================================
#if defined(GCX_WITH_CURL)
#ifndef GCX_ADAPTERS_CURL_MULTI_HPP
#define GCX_ADAPTERS_CURL_MULTI_HPP

// gcx::adapters::curl_multi_runner: many lookups in flight on ONE thread (CMake target gcx::curl).
//
// It drives gcx's sans-I/O operations (lookup_operation, direct_lookup_operation, or your own
// with the same next/on_response/tokens shape) with one libcurl multi handle: every transfer of
// every operation shares one poll(2) loop and one connection cache, and the waits between polls
// and retries are timers of the same loop, not sleeping threads.
//
//     auto session = gcx::session::create(cfg).value();  // tokens, budget, schedule: shared by every lookup
//     gcx::adapters::curl_multi_runner loop;             // or loop{options}, as curl_transport
//     using op_t = gcx::strategy_operation<gcx::json::boost_json>;
//     loop.add(op_t(session, "+13175550123", loop.now()), [](op_t& op) {
//         auto r = op.take_result();                     // runs on the loop's thread
//     });
//     loop.run();                                        // returns when every operation ended
//
// Everything added runs at once. To keep N lookups in flight out of a long list, add N and add
// the next one from each completion: an operation's deadline starts when it is constructed.
//
// Same transfers as curl_transport (the same handle set-up, gcx/adapters/curl/handle.hpp, and
// request preparation, gcx/adapters/curl/transfer.hpp): the same options, TLS and proxy rules,
// body cap, error codes, and "was it sent?" answers; a POST is never sent twice (see curl.hpp).
// Connections are kept alive in the multi handle's cache, at most max(max_idle_connections,
// operations in flight) of them.
//
// Thread safety: one runner is used by one thread; add() may be called from inside a completion.
// The token_cache may be shared with clients on other threads: when another thread ends a token
// fetch the loop is woken (curl_multi_wakeup). The `configure` hook must not set CURLOPT_PRIVATE,
// which the runner uses to find a transfer's operation.
//
// The parts: gcx/adapters/curl/multi_task.hpp (an operation in the loop, the waker),
// gcx/adapters/curl/multi_handle.hpp (libcurl's multi handle); this header schedules the operations.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {

class curl_multi_runner {
public:
    using options = curl_options;
    using clock = std::chrono::steady_clock;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    curl_multi_runner() : curl_multi_runner(options{}) {}

    explicit curl_multi_runner(options opts)
        : opts_(std::move(opts)), waker_(std::make_shared<detail::curl_multi_waker>()),
          init_error_(detail::curl_init_error(opts_)) {
        if (multi_.get() == nullptr && !init_error_) {
            init_error_ = std::make_unique<error>(detail::transport_error(
                errc::transport, std::string(codes::out_of_memory), delivery::not_sent, "curl_multi_init failed"));
        }
        set_max_connections();
        std::lock_guard<std::mutex> lock(waker_->mutex);
        waker_->multi = multi_.get();
    }

    curl_multi_runner(const curl_multi_runner&) = delete;
    curl_multi_runner& operator=(const curl_multi_runner&) = delete;

    /// Operations still here are dropped unfinished: their completions never run.
    ~curl_multi_runner() {
        {
            std::lock_guard<std::mutex> lock(waker_->mutex);
            waker_->multi = nullptr;
        }
        for (auto& t : tasks_)
            if (t->st == task::state::in_transfer) multi_.remove(t->handle->easy());
        tasks_.clear();  // an operation that was fetching the token hands the fetch back here
        // Then idle_ goes (its handles are cleaned up), then multi_ (curl_multi_cleanup).
    }

    /// Adds an operation (moved in). `done(Operation&)` runs on the loop's thread once the
    /// operation is done; it may take its result and add() more operations. Nothing happens
    /// before run().
    template <class Operation, class Done>
    void add(Operation op, Done done) {
        tasks_.push_back(std::make_unique<detail::curl_multi_model<Operation, Done>>(std::move(op), std::move(done)));
        set_max_connections();
    }

    /// Runs every operation (those added meanwhile too) until it is done, then returns.
    /// A completion that throws leaves run() with its exception; the other operations stay
    /// and a later run() goes on with them.
    void run() {
        for (;;) {
            perform();
            const time_point now = clock::now();
            const bool token_changed = waker_->token_changed.exchange(false);
            for (std::size_t i = 0; i < tasks_.size();) {
                task& t = *tasks_[i];
                const bool due = t.st == task::state::ready ||
                                 (t.st == task::state::waiting && (now >= t.wake || (t.token_wait && token_changed)));
                if (!due || !step(t, now)) {
                    ++i;
                    continue;
                }
                std::unique_ptr<task> finished = std::move(tasks_[i]);
                tasks_[i] = std::move(tasks_.back());
                tasks_.pop_back();
                try {
                    finished->complete();  // may add to tasks_: they are stepped in this sweep
                } catch (...) {
                    // The operations not yet stepped in this sweep must still see the token change.
                    if (token_changed) waker_->token_changed.store(true);
                    throw;
                }
            }
            if (tasks_.empty()) return;
            wait();
        }
    }

    /// The time the operations should be constructed with.
    time_point now() const { return clock::now(); }

    /// Operations added and not yet done.
    std::size_t size() const noexcept { return tasks_.size(); }

    /// The options this runner was made with.
    const options& settings() const noexcept { return opts_; }

private:
    using task = detail::curl_multi_task;

    // One operation's next move. True when it is done.
    bool step(task& t, time_point now) {
        for (;;) {
            t.token_wait = false;
            action a = t.next(now);
            switch (a.kind) {
            case action::type::done: return true;
            case action::type::sleep:
                t.st = task::state::waiting;
                t.wake = a.until;
                return false;
            case action::type::wait_token: {
                t.st = task::state::waiting;
                t.wake = a.until;
                t.token_wait = true;
                std::shared_ptr<detail::curl_multi_waker> w = waker_;
                t.tokens().on_change([w] { w->notify(); });
                return false;
            }
            case action::type::send:
                if (auto refused = start(t, std::move(a.request))) {
                    t.on_response(std::move(*refused), clock::now(), std::chrono::system_clock::now());
                    continue;  // the operation decides what that error means (retry, or the end)
                }
                return false;
            }
        }
    }

    // Starts a transfer of `req` for `t`, or says why not (nothing was sent then). `stirred`: on a
    // new connection (the one it was about to go on had bytes waiting).
    std::optional<error> start(task& t, http::request req, bool stirred = false) {
        t.request = std::move(req);
        auto target = detail::preflight(t.request, opts_);
        if (!target) return std::move(target.error());
        if (init_error_) return *init_error_;
        auto where = [&t, &target] { return detail::describe_target(t.request, *target); };
        if (!t.handle) {
            t.handle = idle_.take(opts_);
            if (!t.handle)
                return detail::transport_error(errc::transport, std::string(codes::out_of_memory), delivery::not_sent,
                                               where() + ": curl_easy_init failed");
            // The connections of the shared cache, for gcx_curl_prereq's look at a reused one (the
            // handle keeps both, and its exchange the registry, for every later transfer).
            t.handle->exchange().sockets = &sockets_;
            curl_easy_setopt(t.handle->easy(), CURLOPT_CLOSESOCKETFUNCTION, &detail::gcx_curl_close_socket);
            curl_easy_setopt(t.handle->easy(), CURLOPT_CLOSESOCKETDATA, static_cast<void*>(&sockets_));
        }
        t.response = http::response{};
        if (auto refused = detail::curl_prepare(*t.handle, t.request, opts_, t.response, where, keepalive_,
                                                detail::origin_of(*target), stirred)) {
            release(t);
            return refused;
        }
        t.started = clock::now();
        if (!multi_.add(t.handle->easy(), static_cast<void*>(&t))) {
            release(t);
            return detail::transport_error(errc::transport, "curl_multi", delivery::not_sent,
                                           where() + ": libcurl would not start the transfer");
        }
        t.st = task::state::in_transfer;
        return std::nullopt;
    }

    // Drives the transfers, and hands every finished one to its operation.
    void perform() {
        multi_.perform([this](void* owner, CURL*, CURLcode rc) {
            task& t = *static_cast<task*>(owner);
            if (rc == CURLE_ABORTED_BY_CALLBACK && t.handle->exchange().stale_refused) {
                // A request about to go on a reused connection with bytes waiting (a TLS
                // close_notify, a stray answer...): not a byte of it was written. The same
                // request, on a new one.
                release(t);
                if (auto refused = start(t, std::move(t.request), /*stirred=*/true)) {
                    t.st = task::state::ready;
                    t.on_response(std::move(*refused), clock::now(), std::chrono::system_clock::now());
                }
                return;
            }
            auto where = [&t] {
                auto u = http::parse_url(t.request.url);
                return u ? detail::describe_target(t.request, *u) : std::string(http::to_string(t.request.verb));
            };
            // The handles share one connection cache: a new connection proves nothing (own_cache false).
            auto r = detail::curl_outcome(rc, *t.handle, std::move(t.response), t.started, t.request.timeout, where,
                                          keepalive_, false);
            release(t);
            t.st = task::state::ready;
            t.on_response(std::move(r), clock::now(), std::chrono::system_clock::now());
        });
    }

    // The task's easy handle back to the idle ones, pointing at nothing of the task.
    void release(task& t) noexcept {
        if (!t.handle) return;
        t.handle->end_request();
        curl_easy_setopt(t.handle->easy(), CURLOPT_PRIVATE, static_cast<void*>(nullptr));
        idle_.give_back(std::move(t.handle));
    }

    // Sleeps until a socket is ready, the earliest wake-up is due, or the token cache changed.
    void wait() {
        const time_point now = clock::now();
        time_point first = time_point::max();
        bool token_wait = false;
        for (const auto& t : tasks_) {
            if (t->st == task::state::ready) first = now;
            if (t->st != task::state::waiting) continue;
            if (t->wake < first) first = t->wake;
            token_wait = token_wait || t->token_wait;
        }
        long wait_ms = 1000;
        if (first != time_point::max())
            wait_ms = static_cast<long>(std::chrono::ceil<std::chrono::milliseconds>(first - now).count());
#if LIBCURL_VERSION_NUM < 0x074400
        if (token_wait) wait_ms = std::min(wait_ms, 10L);  // no curl_multi_wakeup: look again soon
#endif
        (void)token_wait;
        if (waker_->token_changed.load()) wait_ms = 0;
        multi_.poll(wait_ms);
    }

    // The connection cache holds at least one connection per operation, so none is closed
    // only to be opened again.
    void set_max_connections() { multi_.set_max_connections(std::max(opts_.max_idle_connections, tasks_.size())); }

    options opts_;
    std::shared_ptr<detail::curl_multi_waker> waker_;
    std::unique_ptr<error> init_error_;
    detail::keepalive_memory keepalive_;
    // Before multi_: its cleanup closes the cached connections, which removes them from here.
    detail::curl_socket_registry sockets_;
    detail::curl_multi_handle multi_;  // made after libcurl's global init (init_error_)
    std::vector<std::unique_ptr<task>> tasks_;
    // Every idle handle is kept: their connections live in multi_'s cache, which they share.
    detail::curl_handle_pool idle_{std::numeric_limits<std::size_t>::max()};
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_CURL)

// ======== <gcx/adapters/httplib/classify.hpp> ===================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_CLASSIFY_HPP
#define GCX_ADAPTERS_HTTPLIB_CLASSIFY_HPP

// A failed cpp-httplib exchange as a gcx::error: its code, errc, hint and whether the request
// was sent (delivery).

#include <httplib.h>

#include <chrono>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The error for an exchange httplib reported as failed with `err` (see "Was the request sent?"
/// in gcx/adapters/httplib.hpp). `too_large`: the body cap refused the answer; `headers_too_large`:
/// the header cap did; `late`: gcx abandoned it at its deadline.
inline error httplib_classify(httplib::Error err, bool too_large, bool headers_too_large, bool late,
                              std::chrono::milliseconds elapsed, std::chrono::milliseconds budget,
                              const std::string& where) {
    using std::chrono::milliseconds;
    if (headers_too_large) {
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response headers exceed max_header_bytes",
                               "a server (or something in between) sent headers without end");
    }
    if (too_large) {
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response body exceeds max_response_bytes", hint_too_large());
    }
    // poll() sleeps at least the timeout; a few ms of slack absorbs clock granularity.
    const bool deadline_passed = late || elapsed + milliseconds(5) >= budget;
    // The answer did not come (whole) within the request's budget: a read that ran out of time,
    // or an exchange gcx abandoned at its deadline.
    const auto no_answer_in_time = [&] {
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                               where + ": no complete response within " + std::to_string(budget.count()) + " ms");
    };
    switch (err) {
    case httplib::Error::Success:  // httplib returned false without an error: name resolution
        return transport_error(errc::transport, std::string(codes::resolve), delivery::not_sent,
                               where + ": could not resolve the host name", hint_connect());
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + ": could not connect", hint_connect());
    case httplib::Error::ConnectionTimeout:
        if (deadline_passed) {
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out while connecting");
        }
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + ": connect timed out", hint_connect());
    case httplib::Error::SSLConnection:
        return transport_error(errc::transport, std::string(codes::tls), delivery::not_sent,
                               where + ": TLS handshake failed", hint_tls());
    case httplib::Error::SSLServerVerification:
        return transport_error(errc::transport, std::string(codes::certificate), delivery::not_sent,
                               where + ": server certificate verification failed", hint_tls());
    case httplib::Error::SSLLoadingCerts:
        return transport_error(errc::config, std::string(codes::tls), delivery::not_sent,
                               where + ": could not load the CA certificates",
                               "check that ca_file / ca_path name readable PEM certificates");
    case httplib::Error::Read:
        if (deadline_passed) return no_answer_in_time();
        return transport_error(errc::transport, std::string(codes::recv), delivery::maybe,
                               where + ": connection closed or reset before a complete response");
    case httplib::Error::Write:
        if (deadline_passed) {
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                                   where + ": timed out while sending the request");
        }
        return transport_error(errc::transport, std::string(codes::send), delivery::maybe,
                               where + ": failed to send the request");
    case httplib::Error::Canceled:
        if (late) return no_answer_in_time();
        return transport_error(errc::transport, std::string(codes::canceled), delivery::maybe,
                               where + ": request canceled");
    case httplib::Error::Compression:
        return transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                               where + ": could not decompress the response");
    default:
        return transport_error(errc::transport, std::string(codes::unknown), delivery::maybe,
                               where + ": request failed (" + httplib::to_string(err) + ")");
    }
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib/options.hpp> ====================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_OPTIONS_HPP
#define GCX_ADAPTERS_HTTPLIB_OPTIONS_HPP

// The cpp-httplib adapter's options (httplib_options).

#include <httplib.h>

#include <functional>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// httplib_transport's options: the common ones, plus httplib specifics.
struct httplib_options : transport_options {
    /// Called once on every new client, after gcx has configured it (for https it is an
    /// httplib::SSLClient): for settings gcx does not model (client certificates via
    /// ssl_context(), set_interface, set_hostname_addr_map...). It must not turn off keep-alive
    /// or turn on redirects, and must not replace set_socket_options (gcx uses it to watch
    /// the connection). Default: empty.
    std::function<void(httplib::ClientImpl&)> configure;

    /// Block SIGPIPE in the sending thread during send() (see SIGPIPE in gcx/adapters/httplib.hpp).
    /// Default: on. Turn it off if the program already ignores SIGPIPE.
    bool suppress_sigpipe = true;
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib/client_pool.hpp> ================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP
#define GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP

// The httplib clients of a transport: how a new one is set up (keep-alive, TLS and trust, proxy,
// the user's configure hook), the idle ones kept per scheme://host:port for reuse, and what gcx
// knows of a client's connection (its socket, how long it has been idle).

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The socket of a client's current connection, as httplib's socket-options hook hands it over
/// when it opens one (httplib's own socket() is read without its lock). The watch thread and the
/// check before reuse read it.
struct httplib_socket_slot {
    std::atomic<socket_t> fd{INVALID_SOCKET};
    std::atomic<std::uint32_t> generation{0};  ///< one more per connection opened
};

/// A client, its socket slot, and since when it has been idle (set when given back to the pool).
struct httplib_connection {
    std::unique_ptr<httplib::ClientImpl> client;
    std::shared_ptr<httplib_socket_slot> socket;
    std::chrono::steady_clock::time_point idle_since{};
    explicit operator bool() const noexcept { return client != nullptr; }
};

/// A new client for `u`'s host and port (an httplib::SSLClient for https), configured by `opts`
/// and, when not null, going through `proxy` (with its Basic credentials, if any).
inline httplib_connection httplib_make_client(const http::url_parts& u, const httplib_options& opts,
                                              const proxy_target* proxy) {
    std::unique_ptr<httplib::ClientImpl> c;
#if defined(CPPHTTPLIB_OPENSSL_SUPPORT)
    if (u.scheme == "https") {
        auto s = std::make_unique<httplib::SSLClient>(u.host, u.port);
        s->enable_server_certificate_verification(opts.verify_peer);
        if (!opts.ca_file.empty() || !opts.ca_path.empty()) s->set_ca_cert_path(opts.ca_file, opts.ca_path);
        c = std::move(s);
    }
#endif
    if (!c) c = std::make_unique<httplib::ClientImpl>(u.host, u.port);
    c->set_keep_alive(true);
    // httplib writes headers and body separately: without TCP_NODELAY, Nagle holds the
    // body back until the server's delayed ACK (~40 ms per POST).
    c->set_tcp_nodelay(true);
    c->set_follow_location(false);
    c->set_url_encode(false);  // the target is already percent-encoded by gcx
    // (The proxy's credentials go with each request, httplib_exchange::request: httplib sends
    // none when the user or the password is empty.)
    if (proxy) c->set_proxy(proxy->url.host, proxy->url.port);
    auto slot = std::make_shared<httplib_socket_slot>();
    c->set_socket_options([slot](socket_t sock) {
        slot->fd.store(sock);
        slot->generation.fetch_add(1);
    });
    if (opts.configure) opts.configure(*c);
    httplib_connection conn;
    conn.client = std::move(c);
    conn.socket = std::move(slot);
    return conn;
}

/// Idle clients per origin ("scheme://host:port"), mutex-guarded, at most `max_idle` each.
class httplib_client_pool {
public:
    explicit httplib_client_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    httplib_client_pool(const httplib_client_pool&) = delete;
    httplib_client_pool& operator=(const httplib_client_pool&) = delete;

    /// The most recently used idle client for `origin` (LIFO: its connection is the likeliest
    /// to be open), or an empty one.
    httplib_connection take(const std::string& origin) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = idle_.find(origin);
        if (it == idle_.end() || it->second.empty()) return {};
        auto c = std::move(it->second.back());
        it->second.pop_back();
        return c;
    }

    /// Keeps `c` for reuse, idle from now, or drops it when `origin` has max_idle idle clients already.
    void give_back(const std::string& origin, httplib_connection c) {
        c.idle_since = std::chrono::steady_clock::now();
        httplib_connection surplus;  // destroyed outside the lock
        std::lock_guard<std::mutex> lock(mutex_);
        auto& stack = idle_[origin];
        if (stack.size() < max_idle_) {
            stack.push_back(std::move(c));
        } else {
            surplus = std::move(c);
        }
    }

    /// Idle clients, over all origins.
    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& kv : idle_) n += kv.second.size();
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<httplib_connection>> idle_;
    std::size_t max_idle_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib/deadline_watch.hpp> =============================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP
#define GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP

// The per-transport thread that stops an httplib client whose request outlived its deadline, or
// whose answer's headers outgrew max_header_bytes (see Timeouts in gcx/adapters/httplib.hpp).

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// What the header cap of httplib_deadline_watch watches: the client's socket, and whether the
/// headers are complete.
struct httplib_header_cap {
    std::shared_ptr<const httplib_socket_slot> socket;
    const std::atomic<bool>* headers_done = nullptr;
    std::size_t max_bytes = 0;
};

/// Cuts off an exchange that outlives its deadline while httplib reads the status line and
/// headers, where it offers no hook: a server sending headers without end would otherwise hold
/// the request (and grow its memory) for ever. At the deadline it calls ClientImpl::stop(), which
/// httplib makes safe to call from another thread (it shuts the socket down; the sending thread's
/// read then fails). One thread per transport, started by the first request. stop() waits for
/// the client's socket lock, which httplib holds while it resolves the host, connects and does
/// the TLS handshake: so each stop runs on a thread of its own, outside the watch's lock, and
/// disarm() waits for it. (Before, one request stuck resolving froze every request of the
/// transport, and their deadlines with it.)
///
/// It also caps the headers: until the exchange says its headers are complete, it looks every
/// `tick` at the bytes the connection has received during the request (TCP_INFO) and stops the
/// client past the cap. (Only status line and headers arrive before that point, plus at most one
/// read buffer of body.) Without TCP_INFO only the deadline applies.
class httplib_deadline_watch {
public:
    using clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds tick{5};

    /// Why a watched request was stopped.
    enum class fired { no, deadline, headers };

    using header_cap = httplib_header_cap;

    httplib_deadline_watch() = default;
    httplib_deadline_watch(const httplib_deadline_watch&) = delete;
    httplib_deadline_watch& operator=(const httplib_deadline_watch&) = delete;
    ~httplib_deadline_watch() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
        for (auto& kv : armed_)  // (only a transport destroyed during a send leaves any)
            if (kv.second.stopper.joinable()) kv.second.stopper.join();
    }

    /// Watches `client` until disarm(); at `deadline` it is stopped, and so it is when `cap` has
    /// a socket and the headers outgrow it.
    std::uint64_t arm(httplib::ClientImpl* client, clock::time_point deadline, header_cap cap = {}) {
        entry e{client, deadline, fired::no, std::move(cap), 0, 0, 0, {}};
        if (e.cap.socket) {
            // Bytes the kept-alive connection received before this request; a new connection
            // (another generation) starts from 0. A connection httplib already closed is not
            // counted: its descriptor number may belong to another connection by now.
            e.generation = e.cap.socket->generation.load();
            const auto fd = e.cap.socket->fd.load();
            if (!client->is_socket_open() || !identified_bytes_received(fd, e.identity, e.base)) {
                e.identity = 0;
                e.base = 0;
            }
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        const std::uint64_t id = ++next_id_;
        armed_.emplace(id, std::move(e));
        cv_.notify_all();
        return id;
    }

    /// Stops watching. Returns why the request was stopped, if it was. Once it returns, the watch
    /// never touches the client again.
    fired disarm(std::uint64_t id) {
        std::thread stopper;
        fired why = fired::no;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = armed_.find(id);
            if (it == armed_.end()) return fired::no;
            why = it->second.why;
            stopper = std::move(it->second.stopper);
            armed_.erase(it);
        }
        if (stopper.joinable()) stopper.join();  // the client lives until its stop() returned
        return why;
    }

private:
    struct entry {
        httplib::ClientImpl* client;
        clock::time_point deadline;
        fired why;
        header_cap cap;
        std::uint32_t generation;  ///< of the connection `base` was read on
        std::uint64_t base;        ///< its bytes received before the request
        std::uint64_t identity;    ///< that socket's identity (0: none known yet, nothing counted)
        std::thread stopper{};     ///< runs client->stop() once `why` is set (joined by disarm)
    };

    // Stops `e`'s client on a thread of its own (stop() may wait for the client's socket lock).
    static void fire(entry& e, fired why) {
        e.why = why;
        httplib::ClientImpl* client = e.client;
        try {
            e.stopper = std::thread([client] { client->stop(); });
        } catch (const std::system_error&) {  // no thread to be had (a process at its limit): here, then
            client->stop();                   // (under mutex_: disarm() cannot return meanwhile)
        }
    }

    // Whether the headers of `e`'s answer are still arriving (and can be counted).
    static bool counting(const entry& e) noexcept {
        return e.cap.socket && e.cap.headers_done != nullptr && e.cap.max_bytes > 0 && !e.cap.headers_done->load();
    }

    // Whether `e`'s connection received more than its cap during the request.
    static bool over_cap(entry& e) noexcept {
        const std::uint32_t gen = e.cap.socket->generation.load();
        const auto fd = e.cap.socket->fd.load();
        if (gen != e.generation) {  // httplib opened a new connection: all of it is this request's
            e.generation = gen;
            e.base = 0;
            if (!socket_identity(fd, e.identity)) e.identity = 0;
        }
        // Only the socket pinned above: the slot may still name one httplib closed, whose
        // descriptor number another connection of the process may have taken since. Both read on
        // one duplicate of the descriptor: the sending thread may close it at any time.
        std::uint64_t now_identity = 0, got = 0;
        if (e.identity == 0 || !identified_bytes_received(fd, now_identity, got) || now_identity != e.identity)
            return false;
        // Received less than before the request: the two readings under tcp_bytes_received (bytes
        // received, less those not read yet) straddled an answer's arrival. The socket is the one
        // `base` was read on (its identity above): no progress to judge now. (Taking it for
        // another connection and counting from 0 failed healthy requests on busy kept-alive
        // connections, past 256 KiB received, with "too_large".)
        if (got < e.base) return false;
        return got - e.base > e.cap.max_bytes;
    }

    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            const auto now = clock::now();
            auto next = clock::time_point::max();
            for (auto& kv : armed_) {
                entry& e = kv.second;
                if (e.why != fired::no) continue;
                if (e.deadline <= now) {
                    fire(e, fired::deadline);
                } else if (counting(e) && over_cap(e) && counting(e)) {
                    // (Asked again after counting: headers completed in between make the bytes
                    // read since then body, not headers.)
                    fire(e, fired::headers);
                } else {
                    next = std::min(next, e.deadline);
                    if (counting(e)) next = std::min(next, now + tick);
                }
            }
            if (next == clock::time_point::max()) cv_.wait(lock);
            else cv_.wait_until(lock, next);
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::uint64_t, entry> armed_;
    std::uint64_t next_id_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib/exchange.hpp> ===================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP
#define GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP

// One request over cpp-httplib: the httplib::Request made from a gcx request, with the handlers
// that enforce the body cap and the deadline while the answer arrives, and the response read.

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// What one exchange's handlers write into. It must stay where it is while the request made by
/// request() is sent (the handlers point at it).
struct httplib_exchange {
    using clock = std::chrono::steady_clock;

    http::response res;                     ///< the body as it arrives; status and headers once complete
    bool too_large = false;                 ///< the body cap refused the answer
    bool late = false;                      ///< the deadline passed while the answer arrived
    bool interim = false;                   ///< a 1xx came before the answer (httplib 0.11 cannot read past it)
    std::atomic<bool> headers_done{false};  ///< status line and headers read (the watch thread reads it)

    /// `req` as httplib sends it (`u` is its URL split), with opts' User-Agent when it has none.
    /// The answer's body goes into `res`, up to opts.max_response_bytes, until `deadline`.
    httplib::Request request(const http::request& req, const http::url_parts& u, const httplib_options& opts,
                             clock::time_point deadline, const proxy_target* proxy = nullptr) {
        httplib::Request hr;
        if (proxy && (!proxy->user.empty() || !proxy->password.empty()))
            hr.headers.insert(httplib::make_basic_authentication_header(proxy->user, proxy->password, true));
        hr.method = http::to_string(req.verb);
        hr.path = u.target;
        for (const auto& f : req.fields) hr.headers.emplace(f.name, f.value);
        if (req.header("User-Agent") == nullptr && !opts.user_agent.empty())
            hr.headers.emplace("User-Agent", opts.user_agent);
        if (req.verb == http::method::post) hr.body = req.body;

        const std::size_t cap = opts.max_response_bytes;
        hr.response_handler = [this, cap, deadline](const httplib::Response& r) {
            headers_done.store(true);
            if (r.status >= 100 && r.status <= 199) {  // it would read the real answer as a body, to the timeout
                interim = true;
                return false;
            }
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            if (r.has_header("Content-Length") && r.get_header_value<std::uint64_t>("Content-Length") > cap) {
                too_large = true;  // refuse before reading a byte of it
                return false;
            }
            return true;
        };
        hr.content_receiver = [this, cap, deadline](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
            if (n > cap - std::min(cap, res.body.size())) {
                too_large = true;
                return false;
            }
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            res.body.append(data, n);
            return true;
        };
        return hr;
    }

    /// Whether the connection must not be used again after `hres`: a "Connection: close" in any
    /// case or list ("Close", "keep-alive, close": httplib closes only on "close" exactly), or an
    /// HTTP/1.0 answer without keep-alive.
    static bool closes_connection(const httplib::Response& hres) {
        bool close = false, keep_alive = false;
        const auto range = hres.headers.equal_range("Connection");  // names compare without case
        for (auto it = range.first; it != range.second; ++it) {
            const std::string& v = it->second;
            for (std::size_t at = 0; at <= v.size();) {
                const std::size_t comma = std::min(v.find(',', at), v.size());
                std::string option = v.substr(at, comma - at);
                option.erase(0, option.find_first_not_of(" \t"));
                option.erase(option.find_last_not_of(" \t") + 1);
                for (auto& c : option) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                close = close || option == "close";
                keep_alive = keep_alive || option == "keep-alive";
                at = comma + 1;
            }
        }
        return close || (hres.version == "HTTP/1.0" && !keep_alive);
    }

    /// The complete answer `hres` (its body already in `res`).
    http::response take(const httplib::Response& hres) {
        res.status = hres.status;
        res.fields.reserve(hres.headers.size());
        for (const auto& h : hres.headers) res.fields.push_back(http::header{h.first, h.second});
        return std::move(res);
    }
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib/sigpipe.hpp> ====================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_SIGPIPE_HPP
#define GCX_ADAPTERS_HTTPLIB_SIGPIPE_HPP

// Keeps a write to a reset connection from killing the process with SIGPIPE (see SIGPIPE in
// gcx/adapters/httplib.hpp).

#if !defined(_WIN32)
#include <csignal>
#include <pthread.h>
#include <time.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Blocks SIGPIPE in this thread for its lifetime and swallows one raised meanwhile.
class sigpipe_guard {
public:
    explicit sigpipe_guard(bool enabled) noexcept {
#if !defined(_WIN32)
        if (!enabled) return;
        // One already pending is not ours to swallow.
        if (pending()) return;
        const sigset_t pipe = pipe_set();
        active_ = pthread_sigmask(SIG_BLOCK, &pipe, &old_) == 0;
#else
        (void)enabled;
#endif
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard() {
#if !defined(_WIN32)
        if (!active_) return;
        if (pending()) {
            const sigset_t pipe = pipe_set();
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
            timespec zero{0, 0};
            (void)sigtimedwait(&pipe, nullptr, &zero);
#else
            int sig = 0;
            (void)sigwait(&pipe, &sig);
#endif
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
#endif
    }

private:
#if !defined(_WIN32)
    static sigset_t pipe_set() noexcept {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        return pipe;
    }

    /// Whether a SIGPIPE is pending for this thread (or the process).
    static bool pending() noexcept {
        sigset_t set;
        sigemptyset(&set);
        return sigpending(&set) == 0 && sigismember(&set, SIGPIPE);
    }

    sigset_t old_{};
    bool active_ = false;
#endif
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)

// ======== <gcx/adapters/httplib.hpp> ============================================================
#if defined(GCX_WITH_HTTPLIB)
#ifndef GCX_ADAPTERS_HTTPLIB_HPP
#define GCX_ADAPTERS_HTTPLIB_HPP

// gcx::adapters::httplib_transport: a gcx Transport over cpp-httplib (CMake target gcx::httplib).
// HTTPS needs httplib built with CPPHTTPLIB_OPENSSL_SUPPORT (Debian's pkg-config file defines it);
// without it an https:// request fails with errc::config.
//
//     gcx::adapters::httplib_transport http;                   // verified HTTPS, keep-alive
//     gcx::result<gcx::http::response> r = http.send(request);
//
// Thread safety: send() may be called from any number of threads at once on one transport (and
// on its copies, which share its state). Each call borrows an httplib client for the request's
// scheme://host:port from a mutex-guarded pool, or creates one, and gives it back afterwards, so
// a client and its keep-alive connection are only ever used by one thread at a time and
// sequential requests reuse one connection. Before a kept-alive connection is reused gcx looks
// at its socket: anything readable (a FIN, a reset, a TLS close_notify, stray bytes) closes it
// and the request opens a new one. A POST also opens a new one after post_max_idle of idleness,
// or while the server is known to close connections early (gcx/adapters/common/keepalive.hpp).
// A client that failed is discarded rather than reused. At most `max_idle_connections` idle
// clients are kept per scheme://host:port.
//
// "Was the request sent?" (gcx::error::sent): httplib reports where an exchange failed.
// Failing to resolve (cpp-httplib 0.11 reports it as a connection failure: code "connect"), to
// connect, to go through the proxy or to complete the TLS handshake or certificate check all
// happen before the request is written: delivery::not_sent. A write or read failure, a timeout
// while waiting for the answer and everything else: delivery::maybe.
//
// Timeouts: httplib has no whole-exchange timeout. gcx sets its connect timeout to
// min(connect_timeout, request.timeout) and its per-read and per-write timeouts to
// request.timeout, and abandons the response as soon as the deadline has passed while the body
// arrives. While httplib reads the status line and headers it offers no hook, so a per-transport
// watch thread stops the client 50 ms after the deadline (httplib_deadline_watch): a server that
// never answers or trickles its headers is cut off at request.timeout (+50 ms). The same thread
// caps the headers at max_header_bytes (Linux: the bytes the connection received, looked at
// every 5 ms): headers without end fail with "too_large" at once, not at the timeout.
//
// TLS: httplib checks the certificate chain and the host name together. verify_peer = false
// turns both off; verify_host = false alone cannot be honoured and is ignored (the check stays
// on: failing closed). When both ca_file and ca_path are set, httplib uses ca_file only.
//
// SIGPIPE: writing to a connection the server has reset raises SIGPIPE, which kills a process
// that has not ignored it; httplib does not prevent that on the client side. With
// suppress_sigpipe (the default) gcx blocks SIGPIPE in the sending thread during send() and
// discards one raised meanwhile; the process's signal disposition is not touched.
//
// The parts, each in gcx/adapters/httplib/: options.hpp (httplib_options), client_pool.hpp (a
// client's set-up, the idle ones), exchange.hpp (one request: body cap, deadline), sigpipe.hpp,
// deadline_watch.hpp, classify.hpp (httplib's error -> gcx::error).
//
// Proxy: `proxy` and `no_proxy` as transport_options says, decided per host (the pool is per
// origin), for plain http only. A proxy that cannot be reached fails with code "proxy". An https
// URL that would go through the proxy is refused before anything is sent (errc::config, code
// "proxy_tunnel"): cpp-httplib 0.11 (Debian 12) deadlocks inside SSLClient::connect_with_proxy,
// past the deadline watch, when the proxy refuses the CONNECT with "Connection: close" or an
// HTTP/1.0 answer (tinyproxy's), and a hang is worse than a refusal. curl_transport tunnels.
//
// Redirects are not followed (a 3xx is returned as a response); an interim 100 Continue without
// header fields is dropped by httplib, any other 1xx fails the exchange (errc::protocol, maybe
// sent: cpp-httplib 0.11 would read the real answer as its body). A "Connection: close" in any
// spelling retires the connection. Responses are decompressed when the server compresses them
// anyway; the size cap applies to the decompressed bytes.
//
// Limits of cpp-httplib 0.11 that curl_transport does not have: the host name is resolved with
// no timeout (getaddrinfo), and a TLS handshake is bounded per read, not as a whole; such a
// request can outlast its timeout (the transport's other requests are not held up by it). A
// chunked answer whose chunk is longer than its size line is taken as complete, cut short.

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {

namespace detail {
/// An httplib_transport's state, shared by its copies.
struct httplib_transport_state {
    explicit httplib_transport_state(httplib_options o) : opts(std::move(o)), pool(opts.max_idle_connections) {
        if (!opts.proxy.empty()) {
            auto p = parse_proxy(opts.proxy);
            if (p) {
                proxy = *p;
            } else {
                init_error = std::make_unique<error>(p.error());
            }
        }
    }

    httplib_options opts;
    std::optional<proxy_target> proxy;
    std::unique_ptr<error> init_error;  // returned by every send() when set
    httplib_client_pool pool;
    keepalive_memory keepalive;
    httplib_deadline_watch watch;  // declared last: stopped first, before the pool goes
};
}  // namespace detail

/// A gcx Transport over cpp-httplib: `result<http::response> send(const http::request&)`.
/// Copies (and moves: a moved-from transport stays usable) share one pool of clients and
/// connections. See the top of this header for the thread-safety contract, how "was the request
/// sent?" is decided, and the timeout model. Made with no options: verified HTTPS with the system
/// CA store, no proxy, 4 MiB body cap (transport_base).
class httplib_transport : public detail::transport_base<httplib_options, detail::httplib_transport_state> {
public:
    using transport_base::transport_base;

    /// Performs one HTTP exchange. Any HTTP status is a response; an error means no complete
    /// response was received. Never throws (but for std::bad_alloc); safe to call concurrently.
    result<http::response> send(const http::request& req) const {
        auto target = admit(req);
        if (!target) return target.error();
        detail::httplib_transport_state& st = *state_;
        const http::url_parts& u = *target;
        const std::string where = detail::describe_target(req, u);
#if !defined(CPPHTTPLIB_OPENSSL_SUPPORT)
        if (u.scheme == "https") {
            return detail::transport_error(errc::config, std::string(codes::tls), delivery::not_sent,
                                           where + ": cpp-httplib was built without OpenSSL support",
                                           "define CPPHTTPLIB_OPENSSL_SUPPORT (and link OpenSSL)");
        }
#endif
        const std::string origin = detail::origin_of(u);

        using std::chrono::milliseconds;
        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        const milliseconds timeout = detail::bounded_timeout(req.timeout);
        const auto deadline = started + timeout;

        // The pool is per origin, so whether its clients use the proxy is decided per host.
        const detail::proxy_target* proxy =
            st.proxy && !detail::proxy_bypassed(st.opts.no_proxy, u.host) ? &*st.proxy : nullptr;
        if (proxy && u.scheme == "https") {
            error e = detail::transport_error(
                errc::config, std::string(codes::proxy_tunnel), delivery::not_sent,
                "httplib_transport cannot reach https through a proxy (cpp-httplib 0.11 hangs when the proxy "
                "refuses the tunnel)",
                "use curl_transport (gcx-lookup --transport curl) with a proxy, or list the host in no_proxy");
            return e;
        }
        detail::httplib_connection conn = st.pool.take(origin);
        if (!conn) conn = detail::httplib_make_client(u, st.opts, proxy);
        httplib::ClientImpl& client = *conn.client;

        client.set_connection_timeout(std::min(timeout, st.opts.connect_timeout));
        client.set_read_timeout(timeout);
        client.set_write_timeout(timeout);

        detail::httplib_exchange ex;
        httplib::Request hr = ex.request(req, u, st.opts, deadline, proxy);
        httplib::Response hres;
        httplib::Error err = httplib::Error::Success;  // left unset by httplib when DNS fails
        bool ok = false;
        bool reused = false;
        auto why = detail::httplib_deadline_watch::fired::no;
        {
            detail::sigpipe_guard guard(st.opts.suppress_sigpipe);
            reused = reuse_or_close(conn, origin, req.verb == http::method::post, started);
            // A small margin past the deadline, so the handlers above see it first when they can.
            const auto watch = st.watch.arm(&client, deadline + milliseconds(50),
                                            {conn.socket, &ex.headers_done, st.opts.max_header_bytes});
            ok = client.send(hr, hres, err);
            why = st.watch.disarm(watch);
            if (why != detail::httplib_deadline_watch::fired::no) {
                ok = false;  // stopped: the connection is gone, whatever httplib says
                if (err == httplib::Error::Success) err = httplib::Error::Read;
                if (why == detail::httplib_deadline_watch::fired::deadline) ex.late = true;
            }
        }
        const auto elapsed = std::chrono::duration_cast<milliseconds>(clock::now() - started);

        if (ok) {
            http::response r = ex.take(hres);
            if (http::content_length_conflict(r.fields)) {  // (cpp-httplib 0.11 reads by the first one)
                conn = {};
                return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                                               where + ": the answer gave two different Content-Length values");
            }
            if (!detail::httplib_exchange::closes_connection(hres)) st.pool.give_back(origin, std::move(conn));
            return r;
        }
        if (ex.interim) {  // the request was answered: maybe sent, and the answer cannot be read
            conn = {};
            return detail::transport_error(errc::protocol, std::string(codes::protocol), delivery::maybe,
                                           where + ": an interim 1xx answer came first, which cpp-httplib 0.11 "
                                                   "cannot read past",
                                           "use curl_transport (gcx-lookup --transport curl)");
        }
        // No answer on a connection kept from an earlier exchange: the server closes them early.
        if (reused && !ex.late && !ex.too_large && why != detail::httplib_deadline_watch::fired::headers &&
            !ex.headers_done.load() && (err == httplib::Error::Read || err == httplib::Error::Write)) {
            st.keepalive.closed_early(origin, clock::now());
        }
        // A client that failed may hold a connection in an unknown state: never reuse it.
        conn = {};
        error e = detail::httplib_classify(err, ex.too_large, why == detail::httplib_deadline_watch::fired::headers,
                                           ex.late, elapsed, timeout, where);
        return proxy ? detail::blame_proxy(std::move(e)) : e;
    }

    /// Idle clients in the pool, over all hosts (for tests and diagnostics).
    std::size_t idle_connections() const { return state_->pool.idle(); }

private:
    // Before a request on `conn`: closes its kept-alive connection (the request then opens a new
    // one) when anything is waiting on it, or, for a POST, when it has been idle post_max_idle or
    // its server was seen closing connections early (gcx/adapters/common/keepalive.hpp). Returns
    // whether the request goes on a kept-alive connection.
    bool reuse_or_close(detail::httplib_connection& conn, const std::string& origin, bool post,
                        std::chrono::steady_clock::time_point now) const {
        detail::httplib_transport_state& st = *state_;
        if (!conn.client->is_socket_open()) return false;
        const auto idle = now - conn.idle_since;
        bool close = false;
        if (detail::idle_socket_stirred(conn.socket->fd.load())) {
            close = true;
            if (idle < detail::keepalive_memory::soon) st.keepalive.closed_early(origin, now);
        } else if (post) {
            close = idle >= std::max(st.opts.post_max_idle, std::chrono::seconds(1)) ||
                    st.keepalive.fresh_for_post(origin, now);
        }
        if (close) conn.client->stop();  // idle: closes the socket; send() opens a new one
        return !close;
    }
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
#endif // defined(GCX_WITH_HTTPLIB)
