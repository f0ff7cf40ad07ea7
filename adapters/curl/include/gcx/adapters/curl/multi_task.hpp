// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_MULTI_TASK_HPP
#define GCX_ADAPTERS_CURL_MULTI_TASK_HPP

// What curl_multi_runner keeps of each operation (its type erased, its state in the loop, its
// transfer), and the waker that token caches on other threads use to end the loop's poll.

#include <gcx/adapters/curl/handle.hpp>
#include <gcx/auth.hpp>
#include <gcx/call.hpp>
#include <gcx/clock.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Wakes a runner's poll from any thread (the token cache's on_change callbacks hold it).
struct curl_multi_waker {
    std::mutex mutex;
    CURLM* multi = nullptr;  // nullptr once the runner is gone
    std::atomic<bool> token_changed{false};

    void notify() {
        token_changed.store(true);
        std::lock_guard<std::mutex> lock(mutex);
#if LIBCURL_VERSION_NUM >= 0x074400  // 7.68.0
        if (multi != nullptr) curl_multi_wakeup(multi);
#endif
    }
};

/// One operation in the loop, its type erased.
class curl_multi_task {
public:
    virtual ~curl_multi_task() = default;
    virtual action next(time_point now) = 0;
    virtual void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall) = 0;
    virtual token_cache& tokens() = 0;
    virtual void complete() = 0;  ///< the operation is done: hand it to its completion

    enum class state { ready, waiting, in_transfer };
    state st = state::ready;
    time_point wake{};        ///< waiting: step again at
    bool token_wait = false;  ///< waiting: also when the token cache's fetch ends
    http::request request;    ///< the request in flight (libcurl reads its body)
    http::response response;  ///< where its answer goes
    std::unique_ptr<curl_handle> handle;
    std::chrono::steady_clock::time_point started{};
};

template <class Operation, class Done>
class curl_multi_model final : public curl_multi_task {
public:
    curl_multi_model(Operation&& op, Done&& done) : op_(std::move(op)), done_(std::move(done)) {}
    action next(time_point now) override { return op_.next(now); }
    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall) override {
        op_.on_response(std::move(r), now, wall);
    }
    token_cache& tokens() override { return op_.tokens(); }
    void complete() override { done_(op_); }

private:
    Operation op_;
    Done done_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
