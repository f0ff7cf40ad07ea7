// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP
#define GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP

// The httplib clients of a transport: how a new one is set up (keep-alive, TLS and trust, proxy,
// the user's configure hook), the idle ones kept per scheme://host:port for reuse, and what gcx
// knows of a client's connection (its socket, how long it has been idle).

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/httplib/options.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The socket of a client's current connection, as httplib's socket-options hook hands it over
/// when it opens one (httplib's own socket() is read without its lock). The watch thread and the
/// check before reuse read it.
struct httplib_socket_slot {
    std::atomic<socket_t> fd{INVALID_SOCKET};
    std::atomic<std::uint32_t> generation{0};  ///< one more per connection opened
};

/// A client, its socket slot, and since when it has been idle (set when given back to the pool).
struct httplib_connection {
    std::unique_ptr<httplib::ClientImpl> client;
    std::shared_ptr<httplib_socket_slot> socket;
    std::chrono::steady_clock::time_point idle_since{};
    explicit operator bool() const noexcept { return client != nullptr; }
};

/// A new client for `u`'s host and port (an httplib::SSLClient for https), configured by `opts`
/// and, when not null, going through `proxy` (with its Basic credentials, if any).
inline httplib_connection httplib_make_client(const http::url_parts& u, const httplib_options& opts,
                                              const proxy_target* proxy) {
    std::unique_ptr<httplib::ClientImpl> c;
#if defined(CPPHTTPLIB_OPENSSL_SUPPORT)
    if (u.scheme == "https") {
        auto s = std::make_unique<httplib::SSLClient>(u.host, u.port);
        s->enable_server_certificate_verification(opts.verify_peer);
        if (!opts.ca_file.empty() || !opts.ca_path.empty()) s->set_ca_cert_path(opts.ca_file, opts.ca_path);
        c = std::move(s);
    }
#endif
    if (!c) c = std::make_unique<httplib::ClientImpl>(u.host, u.port);
    c->set_keep_alive(true);
    // httplib writes headers and body separately: without TCP_NODELAY, Nagle holds the
    // body back until the server's delayed ACK (~40 ms per POST).
    c->set_tcp_nodelay(true);
    c->set_follow_location(false);
    c->set_url_encode(false);  // the target is already percent-encoded by gcx
    // (The proxy's credentials go with each request, httplib_exchange::request: httplib sends
    // none when the user or the password is empty.)
    if (proxy) c->set_proxy(proxy->url.host, proxy->url.port);
    auto slot = std::make_shared<httplib_socket_slot>();
    c->set_socket_options([slot](socket_t sock) {
        slot->fd.store(sock);
        slot->generation.fetch_add(1);
    });
    if (opts.configure) opts.configure(*c);
    httplib_connection conn;
    conn.client = std::move(c);
    conn.socket = std::move(slot);
    return conn;
}

/// Idle clients per origin ("scheme://host:port"), mutex-guarded, at most `max_idle` each.
class httplib_client_pool {
public:
    explicit httplib_client_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    httplib_client_pool(const httplib_client_pool&) = delete;
    httplib_client_pool& operator=(const httplib_client_pool&) = delete;

    /// The most recently used idle client for `origin` (LIFO: its connection is the likeliest
    /// to be open), or an empty one.
    httplib_connection take(const std::string& origin) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = idle_.find(origin);
        if (it == idle_.end() || it->second.empty()) return {};
        auto c = std::move(it->second.back());
        it->second.pop_back();
        return c;
    }

    /// Keeps `c` for reuse, idle from now, or drops it when `origin` has max_idle idle clients already.
    void give_back(const std::string& origin, httplib_connection c) {
        c.idle_since = std::chrono::steady_clock::now();
        httplib_connection surplus;  // destroyed outside the lock
        std::lock_guard<std::mutex> lock(mutex_);
        auto& stack = idle_[origin];
        if (stack.size() < max_idle_) {
            stack.push_back(std::move(c));
        } else {
            surplus = std::move(c);
        }
    }

    /// Idle clients, over all origins.
    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& kv : idle_) n += kv.second.size();
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<httplib_connection>> idle_;
    std::size_t max_idle_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
