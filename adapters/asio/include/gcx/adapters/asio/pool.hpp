// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_POOL_HPP
#define GCX_ADAPTERS_ASIO_POOL_HPP

// asio_pool: the asio client's idle kept-alive connections per origin, and the keep-alive rules
// applied when one is taken (gcx/adapters/common/keepalive.hpp).

#include <gcx/adapters/asio/connection.hpp>
#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/version.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Idle kept-alive connections per origin, shared by every operation of a client. Mutex-guarded.
class asio_pool {
public:
    explicit asio_pool(std::size_t max_idle) : max_idle_(max_idle) {}

    /// An idle connection to `origin` fit for the request, or null. Those found stirred (anything
    /// readable while idle) or, for a POST, idle too long or to a server seen closing early, are closed.
    std::unique_ptr<asio_connection> take(const std::string& origin, bool post, std::chrono::seconds post_max_idle,
                                          keepalive_memory& memory) {
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::unique_ptr<asio_connection>> drop;
        std::unique_ptr<asio_connection> found;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = idle_.find(origin);
            if (it == idle_.end()) return nullptr;
            auto& v = it->second;
            while (!v.empty() && !found) {
                std::unique_ptr<asio_connection> c = std::move(v.back());
                v.pop_back();
                const auto idle = now - c->idle_since;
                if (idle_socket_stirred(static_cast<int>(c->socket().native_handle()))) {
                    if (idle < keepalive_memory::soon) memory.closed_early(origin, now);
                    drop.push_back(std::move(c));
                } else if (post && (idle >= std::max(post_max_idle, std::chrono::seconds(1)) ||
                                    memory.fresh_for_post(origin, now))) {
                    drop.push_back(std::move(c));
                } else {
                    found = std::move(c);
                }
            }
        }
        for (auto& c : drop) c->close();
        return found;
    }

    /// A connection that answered and may be used again. At most max(max_idle_connections,
    /// `in_flight` operations) are kept per origin, so that none is closed only to be opened
    /// again by a lookup in flight (as curl_multi_runner does).
    void give_back(const std::string& origin, std::unique_ptr<asio_connection> c, std::size_t in_flight) {
        c->idle_since = std::chrono::steady_clock::now();
        std::unique_ptr<asio_connection> oldest;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto& v = idle_[origin];
            v.push_back(std::move(c));
            if (v.size() > std::max(max_idle_, in_flight)) {
                oldest = std::move(v.front());
                v.erase(v.begin());
            }
        }
        if (oldest) oldest->close();
    }

    /// Idle connections over all origins (tests, diagnostics).
    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& [o, v] : idle_) n += v.size();
        return n;
    }

    ~asio_pool() {
        for (auto& [o, v] : idle_)
            for (auto& c : v) c->close();
    }

private:
    std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::unique_ptr<asio_connection>>> idle_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
