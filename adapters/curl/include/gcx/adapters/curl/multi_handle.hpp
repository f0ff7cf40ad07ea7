// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_MULTI_HANDLE_HPP
#define GCX_ADAPTERS_CURL_MULTI_HANDLE_HPP

// The libcurl multi handle under curl_multi_runner: it runs the transfers of easy handles added
// to it, reports each finished one with what its owner set, and sleeps until a socket is ready.

#include <gcx/version.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <thread>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

class curl_multi_handle {
public:
    curl_multi_handle() noexcept : multi_(curl_multi_init()) {}
    curl_multi_handle(const curl_multi_handle&) = delete;
    curl_multi_handle& operator=(const curl_multi_handle&) = delete;
    ~curl_multi_handle() {
        if (multi_ != nullptr) curl_multi_cleanup(multi_);
    }

    /// nullptr when curl_multi_init failed (then no transfer can start).
    CURLM* get() const noexcept { return multi_; }

    /// Starts the transfer of `easy` on behalf of `owner` (CURLOPT_PRIVATE). False: refused.
    bool add(CURL* easy, void* owner) noexcept {
        curl_easy_setopt(easy, CURLOPT_PRIVATE, owner);
        return curl_multi_add_handle(multi_, easy) == CURLM_OK;
    }

    /// Stops a transfer still running.
    void remove(CURL* easy) noexcept {
        if (multi_ != nullptr) curl_multi_remove_handle(multi_, easy);
    }

    /// Drives the transfers, and calls `done(owner, easy, result)` for every finished one, which
    /// is taken out of the multi handle first.
    template <class Done>
    void perform(Done&& done) {
        if (multi_ == nullptr) return;
        int running = 0;
        curl_multi_perform(multi_, &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* easy = msg->easy_handle;
            const CURLcode rc = msg->data.result;
            void* owner = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
            curl_multi_remove_handle(multi_, easy);
            if (owner != nullptr) done(owner, easy, rc);
        }
    }

    /// Sleeps until a socket is ready, libcurl has work (its timeout) or `wait_ms` passed, at most
    /// 1 s; curl_multi_wakeup ends it early.
    void poll(long wait_ms) {
        if (multi_ == nullptr) {
            if (wait_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
            return;
        }
        long curl_ms = -1;
        curl_multi_timeout(multi_, &curl_ms);
        if (curl_ms >= 0 && curl_ms < wait_ms) wait_ms = curl_ms;
        if (wait_ms <= 0) return;
        curl_multi_poll(multi_, nullptr, 0, static_cast<int>(std::min(wait_ms, 1000L)), nullptr);
    }

    /// Lets the connection cache hold `want` connections (CURLMOPT_MAXCONNECTS).
    void set_max_connections(std::size_t want) noexcept {
        if (multi_ == nullptr || want == max_connections_) return;
        max_connections_ = want;
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(std::min<std::size_t>(want, 1u << 20)));
    }

private:
    CURLM* multi_;
    std::size_t max_connections_ = 0;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
