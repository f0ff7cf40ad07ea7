// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_TRANSPORT_ERROR_HPP
#define GCX_ADAPTERS_COMMON_TRANSPORT_ERROR_HPP

// The errors both adapters report: how one is made, what a message may say about a request, and
// the hints shared by the adapters' classifications.

#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

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
