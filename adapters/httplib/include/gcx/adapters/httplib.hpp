// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
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
#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/shared_state.hpp>
#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/adapters/common/transport_base.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/httplib/classify.hpp>
#include <gcx/adapters/httplib/client_pool.hpp>
#include <gcx/adapters/httplib/deadline_watch.hpp>
#include <gcx/adapters/httplib/exchange.hpp>
#include <gcx/adapters/httplib/options.hpp>
#include <gcx/adapters/httplib/sigpipe.hpp>
#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

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
