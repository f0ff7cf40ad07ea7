// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_TRANSFER_HPP
#define GCX_ADAPTERS_CURL_TRANSFER_HPP

// One request on a curl_handle, from both curl_transport and curl_multi_runner: getting a handle
// ready for it, and reading what the transfer gave.

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
/// transfer. Returns the error when libcurl refused something (nothing was sent), else nullopt.
template <class Where>
std::optional<error> curl_prepare(curl_handle& handle, const http::request& req, const curl_options& opts,
                                  http::response& res, const Where& where) {
    CURL* h = handle.easy();
    handle.begin();
    const bool post = req.verb == http::method::post;
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
    if (handle.transfer_error() != CURLE_OK) {
        return transport_error(errc::config, "curl_option", delivery::not_sent,
                               where() + ": libcurl refused an option: " + curl_easy_strerror(handle.transfer_error()),
                               "this libcurl lacks a feature gcx needs (TLS, HTTP/1.1...)");
    }
    if (opts.configure) opts.configure(h);
    handle.exchange().start(h, &res, opts.max_response_bytes, post);
    if (!opts.proxy.empty()) {
        auto u = http::parse_url(req.url);
        handle.exchange().via_proxy = u && !proxy_bypassed(opts.no_proxy, u->host);
    }
    return std::nullopt;
}

/// What a transfer prepared by curl_prepare and started at `started` gave: the response (any
/// status), or the error.
template <class Where>
result<http::response> curl_outcome(CURLcode rc, curl_handle& handle, http::response res,
                                    std::chrono::steady_clock::time_point started, std::chrono::milliseconds budget,
                                    const Where& where) {
    CURL* h = handle.easy();
    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        res.status = static_cast<int>(status);
        return res;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    error e = curl_classify(rc, handle.exchange(), curl_wrote(h), elapsed, budget, where(), handle.error_text());
    if (!handle.exchange().via_proxy) return e;
    long connect_code = 0;  // the proxy's answer to CONNECT: anything but 2xx refused the tunnel
    curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
    if (connect_code >= 300 && e.kind == errc::transport) {
        e.code = std::string(codes::proxy);
        e.sent = delivery::not_sent;  // the bytes written were the CONNECT request's
        e.message += " (the proxy answered " + std::to_string(connect_code) + " to CONNECT)";
        e.hint = connect_code == 407 ? "the proxy wants credentials: http://user:password@host:port"
                                     : "check that the proxy lets this host and port through";
        return e;
    }
    return blame_proxy(std::move(e));
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
