// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_HTTP_HPP
#define GCX_HTTP_HPP

#include <gcx/result.hpp>

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
