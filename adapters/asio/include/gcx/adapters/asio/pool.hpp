// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_POOL_HPP
#define GCX_ADAPTERS_ASIO_POOL_HPP

// asio_pool: the asio client's connections per origin -- the idle kept-alive ones, the keep-alive
// rules applied when one is taken (gcx/adapters/common/keepalive.hpp), and the cap on connections
// open at once with its queue of exchanges waiting for one.

#include <gcx/adapters/asio/connection.hpp>
#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/version.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A connection for an exchange, or a place in the queue for one (asio_pool::acquire).
struct connection_grant {
    std::unique_ptr<asio_connection> conn;  ///< an idle kept-alive connection to reuse
    bool open_new = false;                  ///< open a new connection: an open slot is the caller's
    std::uint64_t wait_id = 0;              ///< neither: queued (cancel_wait takes it back)
};

/// The connections of one client per origin, shared by every operation. Mutex-guarded.
///   - Idle kept-alive connections, handed out again under the keep-alive rules.
///   - At most `max_open` connections open per origin (0: no limit): an exchange that finds none
///     idle and no room waits in a queue, first come first served, and is handed the next
///     connection given back, or the slot of the next one closed. Many lookups in flight then
///     share a few connections (a server holds a thread or a buffer for each).
/// A connection's slot is freed by its destruction (asio_connection::on_end calls release()).
class asio_pool {
public:
    /// A waiter's turn: called with a connection to reuse, or null (open a new one in its slot).
    using turn = std::function<void(std::unique_ptr<asio_connection>)>;
    /// What a waiter leaves in the queue: called under the pool's lock when its turn comes, it
    /// returns the turn, which holds the waiter alive until it has run, or an empty one when the
    /// waiter is gone (the connection or the slot then goes to the next one). Taking the waiter
    /// under the lock is what makes cancel_wait's false mean "your turn will run".
    using waiter = std::function<turn()>;

    asio_pool(std::size_t max_idle, std::size_t max_open) : max_idle_(max_idle), max_open_(max_open) {}

    /// An idle connection to `origin` fit for the request, else a new slot, else a place in the
    /// queue (`on_turn` is then called once, under the lock, by the thread that frees a connection
    /// or a slot, unless cancel_wait took it back; the turn it returns runs after the lock). Idle connections found stirred (anything readable while
    /// idle) or, for a POST, idle too long or to a server seen closing early, are closed.
    connection_grant acquire(const std::string& origin, bool post, std::chrono::seconds post_max_idle,
                             keepalive_memory& memory, waiter on_turn) {
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::unique_ptr<asio_connection>> drop;  // closed after the lock is released
        connection_grant g;
        std::lock_guard<std::mutex> lock(mutex_);
        auto& o = origins_[origin];
        const request_kind kind{post, post_max_idle, &memory};
        while (!o.idle.empty() && !g.conn) {
            std::unique_ptr<asio_connection> c = std::move(o.idle.back());
            o.idle.pop_back();
            if (fit(*c, origin, kind, now)) {
                g.conn = std::move(c);
            } else {
                // Its slot is freed here, under the lock (no one waits while a connection is idle).
                c->on_end = nullptr;
                --o.open;
                drop.push_back(std::move(c));
            }
        }
        if (!g.conn) {
            if (max_open_ == 0 || o.open < max_open_) {
                ++o.open;
                g.open_new = true;
            } else {
                g.wait_id = ++last_wait_id_;
                o.waiting.push_back({g.wait_id, std::move(on_turn), kind});
            }
        }
        for (auto& c : drop) c->close();
        return g;
    }

    /// Takes a queued exchange's place back; false when its turn has already come (on_turn was or
    /// is being called).
    bool cancel_wait(const std::string& origin, std::uint64_t id) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto& w = origins_[origin].waiting;
        auto it = std::find_if(w.begin(), w.end(), [id](const queued& q) { return q.id == id; });
        if (it == w.end()) return false;
        w.erase(it);
        return true;
    }

    /// A connection that answered and may be used again: to the first exchange waiting, else
    /// idle. At most max(max_idle_connections, `in_flight` operations) are kept idle per origin,
    /// so that none is closed only to be opened again by a lookup in flight (as curl_multi_runner
    /// does). The waiter's request gets it under the same keep-alive rules as acquire's: when it
    /// is unfit (a POST to a server seen closing connections early, say), it is closed and the
    /// waiter is given its slot to open a new one.
    void give_back(const std::string& origin, std::unique_ptr<asio_connection> c, std::size_t in_flight) {
        const auto now = std::chrono::steady_clock::now();
        c->idle_since = now;
        std::unique_ptr<asio_connection> drop;  // closed after the lock is released
        next next_one;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto& o = origins_[origin];
            next_one = next_turn(o);
            if (!next_one.run) {
                o.idle.push_back(std::move(c));
                if (o.idle.size() > std::max(max_idle_, in_flight)) {
                    drop = std::move(o.idle.front());
                    o.idle.erase(o.idle.begin());
                }
            } else if (!fit(*c, origin, next_one.kind, now)) {
                c->on_end = nullptr;  // its slot passes to the waiter, not back to the pool
                drop = std::move(c);
            }
        }
        if (drop) drop->close();
        if (next_one.run) next_one.run(std::move(c));  // null when unfit: open a new one in its slot
    }

    /// A connection of `origin` closed for good: its slot goes to the first exchange waiting, or
    /// is freed.
    void release(const std::string& origin) {
        turn run;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto& o = origins_[origin];
            if (!(run = next_turn(o).run) && o.open > 0) {
                --o.open;
            }
        }
        if (run) run(nullptr);
    }

    /// Idle connections over all origins (tests, diagnostics).
    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& [name, o] : origins_) n += o.idle.size();
        return n;
    }

    /// Open connections (idle or in use) over all origins (tests, diagnostics).
    std::size_t open() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& [name, o] : origins_) n += o.open;
        return n;
    }

    ~asio_pool() {
        for (auto& [name, o] : origins_)
            for (auto& c : o.idle) {
                c->on_end = nullptr;
                c->close();
            }
    }

private:
    // What a request asks of a kept-alive connection.
    struct request_kind {
        bool post = false;
        std::chrono::seconds post_max_idle{};
        keepalive_memory* memory = nullptr;
    };
    struct queued {
        std::uint64_t id;
        waiter on_turn;
        request_kind kind;
    };

    // The keep-alive rules: a connection with anything to read while idle is closed (a server
    // closing it soon after its last answer is remembered); a POST goes only on one idle less than
    // post_max_idle (at least 1 s), and to a server not seen closing connections early.
    static bool fit(asio_connection& c, const std::string& origin, const request_kind& k,
                    std::chrono::steady_clock::time_point now) {
        const auto idle = now - c.idle_since;
        if (idle_socket_stirred(static_cast<int>(c.socket().native_handle()))) {
            if (idle < keepalive_memory::soon) k.memory->closed_early(origin, now);
            return false;
        }
        return !(k.post &&
                 (idle >= std::max(k.post_max_idle, std::chrono::seconds(1)) || k.memory->fresh_for_post(origin, now)));
    }
    struct per_origin {
        std::vector<std::unique_ptr<asio_connection>> idle;
        std::deque<queued> waiting;
        std::size_t open = 0;  // connections open (idle or in use), and slots handed out
    };
    // The first exchange still there waiting for a connection, out of the queue, and what its
    // request asks of one (an empty turn when none waits). Those gone are skipped.
    struct next {
        turn run;
        request_kind kind;
    };
    static next next_turn(per_origin& o) {
        while (!o.waiting.empty()) {
            queued q = std::move(o.waiting.front());
            o.waiting.pop_front();
            if (turn run = q.on_turn()) return {std::move(run), q.kind};
        }
        return {};
    }
    std::size_t max_idle_, max_open_;
    mutable std::mutex mutex_;
    std::uint64_t last_wait_id_ = 0;
    std::map<std::string, per_origin> origins_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
