// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
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

#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/shared_state.hpp>
#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/adapters/common/transport_base.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/curl/handle.hpp>
#include <gcx/adapters/curl/options.hpp>
#include <gcx/adapters/curl/pool.hpp>
#include <gcx/adapters/curl/transfer.hpp>
#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

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
