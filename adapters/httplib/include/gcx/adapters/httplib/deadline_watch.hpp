// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP
#define GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP

// The per-transport thread that stops an httplib client whose request outlived its deadline, or
// whose answer's headers outgrew max_header_bytes (see Timeouts in gcx/adapters/httplib.hpp).

#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/adapters/httplib/client_pool.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// What the header cap of httplib_deadline_watch watches: the client's socket, and whether the
/// headers are complete.
struct httplib_header_cap {
    std::shared_ptr<const httplib_socket_slot> socket;
    const std::atomic<bool>* headers_done = nullptr;
    std::size_t max_bytes = 0;
};

/// Cuts off an exchange that outlives its deadline while httplib reads the status line and
/// headers, where it offers no hook: a server sending headers without end would otherwise hold
/// the request (and grow its memory) for ever. At the deadline it calls ClientImpl::stop(), which
/// httplib makes safe to call from another thread (it shuts the socket down; the sending thread's
/// read then fails). One thread per transport, started by the first request. stop() waits for
/// the client's socket lock, which httplib holds while it resolves the host, connects and does
/// the TLS handshake: so each stop runs on a thread of its own, outside the watch's lock, and
/// disarm() waits for it. (Before, one request stuck resolving froze every request of the
/// transport, and their deadlines with it.)
///
/// It also caps the headers: until the exchange says its headers are complete, it looks every
/// `tick` at the bytes the connection has received during the request (TCP_INFO) and stops the
/// client past the cap. (Only status line and headers arrive before that point, plus at most one
/// read buffer of body.) Without TCP_INFO only the deadline applies.
class httplib_deadline_watch {
public:
    using clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds tick{5};

    /// Why a watched request was stopped.
    enum class fired { no, deadline, headers };

    using header_cap = httplib_header_cap;

    httplib_deadline_watch() = default;
    httplib_deadline_watch(const httplib_deadline_watch&) = delete;
    httplib_deadline_watch& operator=(const httplib_deadline_watch&) = delete;
    ~httplib_deadline_watch() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
        for (auto& kv : armed_)  // (only a transport destroyed during a send leaves any)
            if (kv.second.stopper.joinable()) kv.second.stopper.join();
    }

    /// Watches `client` until disarm(); at `deadline` it is stopped, and so it is when `cap` has
    /// a socket and the headers outgrow it.
    std::uint64_t arm(httplib::ClientImpl* client, clock::time_point deadline, header_cap cap = {}) {
        entry e{client, deadline, fired::no, std::move(cap), 0, 0, 0, {}};
        if (e.cap.socket) {
            // Bytes the kept-alive connection received before this request; a new connection
            // (another generation) starts from 0. A connection httplib already closed is not
            // counted: its descriptor number may belong to another connection by now.
            e.generation = e.cap.socket->generation.load();
            const auto fd = e.cap.socket->fd.load();
            if (!client->is_socket_open() || !identified_bytes_received(fd, e.identity, e.base)) {
                e.identity = 0;
                e.base = 0;
            }
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        const std::uint64_t id = ++next_id_;
        armed_.emplace(id, std::move(e));
        cv_.notify_all();
        return id;
    }

    /// Stops watching. Returns why the request was stopped, if it was. Once it returns, the watch
    /// never touches the client again.
    fired disarm(std::uint64_t id) {
        std::thread stopper;
        fired why = fired::no;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = armed_.find(id);
            if (it == armed_.end()) return fired::no;
            why = it->second.why;
            stopper = std::move(it->second.stopper);
            armed_.erase(it);
        }
        if (stopper.joinable()) stopper.join();  // the client lives until its stop() returned
        return why;
    }

private:
    struct entry {
        httplib::ClientImpl* client;
        clock::time_point deadline;
        fired why;
        header_cap cap;
        std::uint32_t generation;  ///< of the connection `base` was read on
        std::uint64_t base;        ///< its bytes received before the request
        std::uint64_t identity;    ///< that socket's identity (0: none known yet, nothing counted)
        std::thread stopper{};     ///< runs client->stop() once `why` is set (joined by disarm)
    };

    // Stops `e`'s client on a thread of its own (stop() may wait for the client's socket lock).
    static void fire(entry& e, fired why) {
        e.why = why;
        httplib::ClientImpl* client = e.client;
        try {
            e.stopper = std::thread([client] { client->stop(); });
        } catch (const std::system_error&) {  // no thread to be had (a process at its limit): here, then
            client->stop();                   // (under mutex_: disarm() cannot return meanwhile)
        }
    }

    // Whether the headers of `e`'s answer are still arriving (and can be counted).
    static bool counting(const entry& e) noexcept {
        return e.cap.socket && e.cap.headers_done != nullptr && e.cap.max_bytes > 0 && !e.cap.headers_done->load();
    }

    // Whether `e`'s connection received more than its cap during the request.
    static bool over_cap(entry& e) noexcept {
        const std::uint32_t gen = e.cap.socket->generation.load();
        const auto fd = e.cap.socket->fd.load();
        if (gen != e.generation) {  // httplib opened a new connection: all of it is this request's
            e.generation = gen;
            e.base = 0;
            if (!socket_identity(fd, e.identity)) e.identity = 0;
        }
        // Only the socket pinned above: the slot may still name one httplib closed, whose
        // descriptor number another connection of the process may have taken since. Both read on
        // one duplicate of the descriptor: the sending thread may close it at any time.
        std::uint64_t now_identity = 0, got = 0;
        if (e.identity == 0 || !identified_bytes_received(fd, now_identity, got) || now_identity != e.identity)
            return false;
        // Received less than before the request: the two readings under tcp_bytes_received (bytes
        // received, less those not read yet) straddled an answer's arrival. The socket is the one
        // `base` was read on (its identity above): no progress to judge now. (Taking it for
        // another connection and counting from 0 failed healthy requests on busy kept-alive
        // connections, past 256 KiB received, with "too_large".)
        if (got < e.base) return false;
        return got - e.base > e.cap.max_bytes;
    }

    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            const auto now = clock::now();
            auto next = clock::time_point::max();
            for (auto& kv : armed_) {
                entry& e = kv.second;
                if (e.why != fired::no) continue;
                if (e.deadline <= now) {
                    fire(e, fired::deadline);
                } else if (counting(e) && over_cap(e) && counting(e)) {
                    // (Asked again after counting: headers completed in between make the bytes
                    // read since then body, not headers.)
                    fire(e, fired::headers);
                } else {
                    next = std::min(next, e.deadline);
                    if (counting(e)) next = std::min(next, now + tick);
                }
            }
            if (next == clock::time_point::max()) cv_.wait(lock);
            else cv_.wait_until(lock, next);
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::uint64_t, entry> armed_;
    std::uint64_t next_id_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
