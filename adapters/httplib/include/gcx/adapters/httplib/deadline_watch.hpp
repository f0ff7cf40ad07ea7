// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP
#define GCX_ADAPTERS_HTTPLIB_DEADLINE_WATCH_HPP

// The per-transport thread that stops an httplib client whose request outlived its deadline
// (see Timeouts in gcx/adapters/httplib.hpp).

#include <gcx/version.hpp>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Cuts off an exchange that outlives its deadline while httplib reads the status line and
/// headers, where it offers no hook: a server sending headers without end would otherwise hold
/// the request (and grow its memory) for ever. At the deadline it calls ClientImpl::stop(), which
/// httplib makes safe to call from another thread (it shuts the socket down; the sending thread's
/// read then fails). One thread per transport, started by the first request.
class httplib_deadline_watch {
public:
    using clock = std::chrono::steady_clock;

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
    }

    /// Watches `client` until disarm(); at `deadline` it is stopped.
    std::uint64_t arm(httplib::ClientImpl* client, clock::time_point deadline) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        const std::uint64_t id = ++next_id_;
        armed_.emplace(id, entry{client, deadline, false});
        cv_.notify_all();
        return id;
    }

    /// Stops watching. Returns whether the deadline fired. Once it returns, the watch never
    /// touches the client again.
    bool disarm(std::uint64_t id) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = armed_.find(id);
        if (it == armed_.end()) return false;
        const bool fired = it->second.fired;
        armed_.erase(it);
        return fired;
    }

private:
    struct entry {
        httplib::ClientImpl* client;
        clock::time_point deadline;
        bool fired;
    };

    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            const auto now = clock::now();
            auto next = clock::time_point::max();
            for (auto& kv : armed_) {
                entry& e = kv.second;
                if (e.fired) continue;
                if (e.deadline <= now) {
                    e.fired = true;
                    e.client->stop();  // under mutex_: disarm() cannot return meanwhile
                } else {
                    next = std::min(next, e.deadline);
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
