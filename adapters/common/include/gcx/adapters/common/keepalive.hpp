// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_COMMON_KEEPALIVE_HPP
#define GCX_ADAPTERS_COMMON_KEEPALIVE_HPP

// When a POST may go on a kept-alive connection. A flow launch is not idempotent, and a POST
// that meets a connection the server has just closed fails with "maybe sent" (gcx never sends it
// again). Nothing proves such a request unprocessed: the server may have read it and closed
// without answering, so the adapters never retry it. What they do instead is keep a POST off a
// connection that is likely to be closing:
//
//   - one idle for transport_options::post_max_idle or longer (a server's keep-alive timeout
//     racing the request: the usual cause with real servers);
//   - any connection to a server seen, in the last minute, closing kept-alive connections soon
//     after answering or failing a request on a reused connection without an answer
//     (keepalive_memory): such a server's POSTs go on new connections;
//   - (httplib) one on which anything is readable while it is idle: a FIN, a reset, a TLS
//     close_notify or stray bytes (cpp-httplib's own check only catches the FIN).
//
// The cost against a well-behaved server is nil (no connection closes early, nothing is learned)
// but for POSTs after a long idle, which open a new connection. What remains is the race the
// client cannot see: a server that closes right after answering, before any such sign reached
// the client, until the first sign arrives (docs/reliability.md).

#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// "scheme://host:port": what keepalive_memory knows a server by.
inline std::string origin_of(const http::url_parts& u) {
    return u.scheme + "://" + u.host + ":" + std::to_string(u.port);
}

/// The origins ("scheme://host:port") of one transport whose servers were seen closing
/// kept-alive connections soon after answering, with when. Mutex-guarded.
class keepalive_memory {
public:
    using clock = std::chrono::steady_clock;

    /// How long one sighting keeps POSTs to that origin on new connections.
    static constexpr std::chrono::seconds remember{60};

    /// An idle connection closed by the server within this of its last answer counts as a
    /// sighting (a keep-alive timeout of the usual 5 s or more does not).
    static constexpr std::chrono::milliseconds soon{1000};

    keepalive_memory() = default;
    keepalive_memory(const keepalive_memory&) = delete;
    keepalive_memory& operator=(const keepalive_memory&) = delete;

    /// The server of `origin` closed a kept-alive connection soon after answering on it.
    void closed_early(const std::string& origin, clock::time_point now) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = seen_.begin(); it != seen_.end();) {
            if (now - it->second > remember) it = seen_.erase(it);
            else ++it;
        }
        seen_[origin] = now;
    }

    /// Whether a POST to `origin` should go on a new connection.
    bool fresh_for_post(const std::string& origin, clock::time_point now) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = seen_.find(origin);
        return it != seen_.end() && now - it->second <= remember;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, clock::time_point> seen_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
