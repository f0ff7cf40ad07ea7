// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP
#define GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP

// What both shipped transports (gcx/adapters/curl.hpp, gcx/adapters/httplib.hpp) share: the
// options every HTTP stack needs, and the checks made before a request touches the network.
// Include one of the adapter headers rather than this one.

#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

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

    /// HTTP proxy as "http://host:port" (HTTPS requests go through it with CONNECT). Default:
    /// empty, connect directly. Environment variables (https_proxy, no_proxy...) are NOT read,
    /// so both adapters behave the same: read them yourself if you want them.
    std::string proxy;

    /// Most bytes of response body accepted. A larger body fails the request with
    /// errc::transport, code "too_large"; it is never silently truncated. Default: 4 MiB
    /// (Genesys answers are a few KiB).
    std::size_t max_response_bytes = std::size_t{4} * 1024 * 1024;

    /// Most time a new TCP connection (plus the TLS handshake for curl) may take; the request's
    /// own `timeout` caps it further. Default: 10 s.
    std::chrono::milliseconds connect_timeout{10000};

    /// User-Agent sent when the request carries none; empty: none sent (libcurl's
    /// CURLOPT_USERAGENT, if a configure hook sets one, is used only then). Default: "gcx/<version>".
    std::string user_agent = "gcx/" GCX_VERSION_STRING;

    /// Allow an `Authorization` header over plain http:// to a host that is not loopback.
    /// Default: false, such a request is refused (errc::config) before anything is sent, so a
    /// mistyped URL never puts a client secret or a token on the wire in clear text.
    /// Loopback (localhost, 127.0.0.0/8, ::1) is always allowed: tests and gcx-sim use it.
    bool allow_insecure_http = false;

    /// Idle keep-alive connections kept for reuse (curl: idle easy handles, each with its own
    /// connection cache; httplib: idle clients per scheme://host:port). Default: 8.
    std::size_t max_idle_connections = 8;
};

namespace detail {

/// A transport error. `code` names the failure for programs: "connect", "resolve", "timeout",
/// "tls" (the handshake failed), "certificate" (the server's certificate was refused),
/// "too_large", "bad_url"...; `message` is for people and never holds a header value, a body, a
/// path or a query. The core never retries "certificate", "too_large", errc::config or
/// errc::invalid_input (gcx::detail::is_permanent_transport_failure).
inline error transport_error(errc kind, std::string code, delivery sent, std::string message,
                             std::string hint = {}) {
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

inline bool is_token_char(char c) noexcept {
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
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
        return transport_error(errc::config, "bad_url", delivery::not_sent, "invalid request URL: " + why,
                               "the URL must be absolute http:// or https://");
    }
    const http::url_parts& u = *parsed;

    for (const auto& h : req.fields) {
        bool ok = !h.name.empty();
        for (char c : h.name) ok = ok && is_token_char(c);
        for (char c : h.value) ok = ok && c != '\r' && c != '\n' && c != '\0';
        if (!ok) {
            // Name the header (if it is printable), never its value.
            std::string name;
            for (char c : h.name)
                name += is_token_char(c) ? c : '?';
            return transport_error(errc::invalid_input, "bad_header", delivery::not_sent,
                                   describe_target(req, u) + ": header '" + name +
                                       "' has an invalid name or a CR, LF or NUL in its value",
                                   "header values must be single-line");
        }
    }

    if (u.scheme == "http" && !opt.allow_insecure_http && !http::is_loopback_host(u.host) &&
        req.header("Authorization") != nullptr) {
        return transport_error(errc::config, "insecure_http", delivery::not_sent,
                               describe_target(req, u) +
                                   ": refusing to send an Authorization header over plain http to a non-loopback host",
                               "use an https:// URL, or set allow_insecure_http for a trusted gateway");
    }

    if (req.timeout.count() <= 0) {
        return transport_error(errc::timeout, "timeout", delivery::not_sent,
                               describe_target(req, u) + ": no time left to send the request");
    }
    return parsed;
}

/// The proxy option split, or a config error. An empty option means "no proxy".
inline result<http::url_parts> parse_proxy(const std::string& proxy) {
    auto p = http::parse_url(proxy);
    if (!p || p->scheme != "http") {
        return transport_error(errc::config, "bad_proxy", delivery::not_sent,
                               "invalid proxy option: expected \"http://host:port\"");
    }
    return p;
}

inline const char* hint_connect() {
    return "check the host name, the port, the network and any proxy or firewall in between";
}
inline const char* hint_tls() {
    return "the server's certificate was not accepted: point ca_file/ca_path at the CA that signed it "
           "and make sure the certificate names the host you connect to";
}
inline const char* hint_too_large() {
    return "raise max_response_bytes if such a large answer is expected";
}

} // namespace detail
} // namespace adapters
GCX_NAMESPACE_END

#endif
