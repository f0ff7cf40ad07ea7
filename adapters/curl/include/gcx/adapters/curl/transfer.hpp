// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_TRANSFER_HPP
#define GCX_ADAPTERS_CURL_TRANSFER_HPP

// One request on a curl_handle, from both curl_transport and curl_multi_runner: getting a handle
// ready for it, and reading what the transfer gave.

#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/curl/classify.hpp>
#include <gcx/adapters/curl/handle.hpp>
#include <gcx/adapters/curl/options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

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
