// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP
#define GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP

// The options every HTTP stack needs, shared by both shipped transports (gcx/adapters/curl.hpp,
// gcx/adapters/httplib.hpp). What they share besides: gcx/adapters/common/transport_error.hpp
// (errors), gcx/adapters/common/preflight.hpp (the checks made before a request touches the
// network), gcx/adapters/common/shared_state.hpp, gcx/adapters/common/transport_base.hpp (their
// constructors, settings() and those checks). Include one of the adapter headers rather than
// these.

#include <gcx/version.hpp>

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
