// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_PREFLIGHT_HPP
#define GCX_ADAPTERS_COMMON_PREFLIGHT_HPP

// The checks both adapters make before a request may touch the network, and the proxy option's
// parsing.

#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <string>

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

    if (u.scheme == "http" && !opt.allow_insecure_http && !http::is_loopback_host(u.host) &&
        req.header("Authorization") != nullptr) {
        return transport_error(errc::config, std::string(codes::insecure_http), delivery::not_sent,
                               describe_target(req, u) +
                                   ": refusing to send an Authorization header over plain http to a non-loopback host",
                               "use an https:// URL, or set allow_insecure_http for a trusted gateway");
    }

    if (req.timeout.count() <= 0) {
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                               describe_target(req, u) + ": no time left to send the request");
    }
    return parsed;
}

/// The proxy option split, or a config error. An empty option means "no proxy".
inline result<http::url_parts> parse_proxy(const std::string& proxy) {
    auto p = http::parse_url(proxy);
    if (!p || p->scheme != "http") {
        return transport_error(errc::config, std::string(codes::bad_proxy), delivery::not_sent,
                               "invalid proxy option: expected \"http://host:port\"");
    }
    return p;
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
