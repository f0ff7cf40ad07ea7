// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_POOL_HPP
#define GCX_ADAPTERS_CURL_POOL_HPP

// The idle libcurl easy handles a transport or runner keeps for reuse (and with them their
// connections), and the borrowing of one for a request.

#include <gcx/adapters/curl/handle.hpp>
#include <gcx/adapters/curl/options.hpp>
#include <gcx/version.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// A mutex-guarded stack of idle handles. LIFO, so one thread sending one request after another
/// always gets the handle whose connection is still open.
class curl_handle_pool {
public:
    explicit curl_handle_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    curl_handle_pool(const curl_handle_pool&) = delete;
    curl_handle_pool& operator=(const curl_handle_pool&) = delete;

    /// An idle handle, or a new one made with `o`; nullptr when libcurl is out of memory.
    std::unique_ptr<curl_handle> take(const curl_options& o) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                std::unique_ptr<curl_handle> h = std::move(idle_.back());
                idle_.pop_back();
                return h;
            }
        }
        return curl_handle::make(o);
    }

    void give_back(std::unique_ptr<curl_handle> h) noexcept {
        if (h == nullptr) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < max_idle_) {
                try {
                    idle_.push_back(std::move(h));
                    return;
                } catch (...) {}
            }
        }
        h.reset();  // outside the lock: curl_easy_cleanup may close connections
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<curl_handle>> idle_;
    std::size_t max_idle_;
};

/// Returns a borrowed handle to the pool however send() leaves.
class curl_borrowed {
public:
    curl_borrowed(curl_handle_pool& pool, const curl_options& o) : pool_(pool), h_(pool.take(o)) {}
    curl_borrowed(const curl_borrowed&) = delete;
    curl_borrowed& operator=(const curl_borrowed&) = delete;
    ~curl_borrowed() {
        if (h_ != nullptr) h_->end_request();  // nothing of send()'s request stays pointed at
        pool_.give_back(std::move(h_));
    }
    curl_handle* get() const noexcept { return h_.get(); }

private:
    curl_handle_pool& pool_;
    std::unique_ptr<curl_handle> h_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
