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
