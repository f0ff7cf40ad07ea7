// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP
#define GCX_ADAPTERS_HTTPLIB_CLIENT_POOL_HPP

// The httplib clients of a transport: how a new one is set up (keep-alive, TLS and trust, proxy,
// the user's configure hook), and the idle ones kept per scheme://host:port for reuse.

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/httplib/options.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <cstddef>
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

/// A new client for `u`'s host and port (an httplib::SSLClient for https), configured by `opts`
/// and, when not null, going through `proxy` (with its Basic credentials, if any).
inline std::unique_ptr<httplib::ClientImpl> httplib_make_client(const http::url_parts& u, const httplib_options& opts,
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
    if (proxy) {
        c->set_proxy(proxy->url.host, proxy->url.port);
        if (!proxy->user.empty() || !proxy->password.empty()) c->set_proxy_basic_auth(proxy->user, proxy->password);
    }
    if (opts.configure) opts.configure(*c);
    return c;
}

/// Idle clients per origin ("scheme://host:port"), mutex-guarded, at most `max_idle` each.
class httplib_client_pool {
public:
    explicit httplib_client_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    httplib_client_pool(const httplib_client_pool&) = delete;
    httplib_client_pool& operator=(const httplib_client_pool&) = delete;

    /// The most recently used idle client for `origin` (LIFO: its connection is the likeliest
    /// to be open), or nullptr.
    std::unique_ptr<httplib::ClientImpl> take(const std::string& origin) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = idle_.find(origin);
        if (it == idle_.end() || it->second.empty()) return nullptr;
        auto c = std::move(it->second.back());
        it->second.pop_back();
        return c;
    }

    /// Keeps `c` for reuse, or drops it when `origin` has max_idle idle clients already.
    void give_back(const std::string& origin, std::unique_ptr<httplib::ClientImpl> c) {
        std::unique_ptr<httplib::ClientImpl> surplus;  // destroyed outside the lock
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
    std::map<std::string, std::vector<std::unique_ptr<httplib::ClientImpl>>> idle_;
    std::size_t max_idle_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
