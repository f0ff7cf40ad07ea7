// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_MULTI_HPP
#define GCX_ADAPTERS_CURL_MULTI_HPP

// gcx::adapters::curl_multi_runner: many lookups in flight on ONE thread (CMake target gcx::curl).
//
// It drives gcx's sans-I/O operations (lookup_operation, direct_lookup_operation, or your own
// with the same next/on_response/tokens shape) with one libcurl multi handle: every transfer of
// every operation shares one poll(2) loop and one connection cache, and the waits between polls
// and retries are timers of the same loop, not sleeping threads.
//
//     auto session = gcx::session::create(cfg).value();  // tokens, budget, schedule: shared by every lookup
//     gcx::adapters::curl_multi_runner loop;             // or loop{options}, as curl_transport
//     using op_t = gcx::strategy_operation<gcx::json::boost_json>;
//     loop.add(op_t(session, "+13175550123", loop.now()), [](op_t& op) {
//         auto r = op.take_result();                     // runs on the loop's thread
//     });
//     loop.run();                                        // returns when every operation ended
//
// Everything added runs at once. To keep N lookups in flight out of a long list, add N and add
// the next one from each completion: an operation's deadline starts when it is constructed.
//
// Same transfers as curl_transport (the same handle set-up, gcx/adapters/curl/handle.hpp, and
// request preparation, gcx/adapters/curl/transfer.hpp): the same options, TLS and proxy rules,
// body cap, error codes, and "was it sent?" answers; a POST is never sent twice (see curl.hpp).
// Connections are kept alive in the multi handle's cache, at most max(max_idle_connections,
// operations in flight) of them.
//
// Thread safety: one runner is used by one thread; add() may be called from inside a completion.
// The token_cache may be shared with clients on other threads: when another thread ends a token
// fetch the loop is woken (curl_multi_wakeup). The `configure` hook must not set CURLOPT_PRIVATE,
// which the runner uses to find a transfer's operation.
//
// The parts: gcx/adapters/curl/multi_task.hpp (an operation in the loop, the waker),
// gcx/adapters/curl/multi_handle.hpp (libcurl's multi handle); this header schedules the operations.

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/curl/handle.hpp>
#include <gcx/adapters/curl/multi_handle.hpp>
#include <gcx/adapters/curl/multi_task.hpp>
#include <gcx/adapters/curl/options.hpp>
#include <gcx/adapters/curl/pool.hpp>
#include <gcx/adapters/curl/transfer.hpp>
#include <gcx/auth.hpp>
#include <gcx/call.hpp>
#include <gcx/clock.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {

class curl_multi_runner {
public:
    using options = curl_options;
    using clock = std::chrono::steady_clock;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    curl_multi_runner() : curl_multi_runner(options{}) {}

    explicit curl_multi_runner(options opts)
        : opts_(std::move(opts)), waker_(std::make_shared<detail::curl_multi_waker>()),
          init_error_(detail::curl_init_error(opts_)) {
        if (multi_.get() == nullptr && !init_error_) {
            init_error_ = std::make_unique<error>(detail::transport_error(
                errc::transport, std::string(codes::out_of_memory), delivery::not_sent, "curl_multi_init failed"));
        }
        set_max_connections();
        std::lock_guard<std::mutex> lock(waker_->mutex);
        waker_->multi = multi_.get();
    }

    curl_multi_runner(const curl_multi_runner&) = delete;
    curl_multi_runner& operator=(const curl_multi_runner&) = delete;

    /// Operations still here are dropped unfinished: their completions never run.
    ~curl_multi_runner() {
        {
            std::lock_guard<std::mutex> lock(waker_->mutex);
            waker_->multi = nullptr;
        }
        for (auto& t : tasks_)
            if (t->st == task::state::in_transfer) multi_.remove(t->handle->easy());
        tasks_.clear();  // an operation that was fetching the token hands the fetch back here
        // Then idle_ goes (its handles are cleaned up), then multi_ (curl_multi_cleanup).
    }

    /// Adds an operation (moved in). `done(Operation&)` runs on the loop's thread once the
    /// operation is done; it may take its result and add() more operations. Nothing happens
    /// before run().
    template <class Operation, class Done>
    void add(Operation op, Done done) {
        tasks_.push_back(std::make_unique<detail::curl_multi_model<Operation, Done>>(std::move(op), std::move(done)));
        set_max_connections();
    }

    /// Runs every operation (those added meanwhile too) until it is done, then returns.
    /// A completion that throws leaves run() with its exception; the other operations stay
    /// and a later run() goes on with them.
    void run() {
        for (;;) {
            perform();
            const time_point now = clock::now();
            const bool token_changed = waker_->token_changed.exchange(false);
            for (std::size_t i = 0; i < tasks_.size();) {
                task& t = *tasks_[i];
                const bool due = t.st == task::state::ready ||
                                 (t.st == task::state::waiting && (now >= t.wake || (t.token_wait && token_changed)));
                if (!due || !step(t, now)) {
                    ++i;
                    continue;
                }
                std::unique_ptr<task> finished = std::move(tasks_[i]);
                tasks_[i] = std::move(tasks_.back());
                tasks_.pop_back();
                try {
                    finished->complete();  // may add to tasks_: they are stepped in this sweep
                } catch (...) {
                    // The operations not yet stepped in this sweep must still see the token change.
                    if (token_changed) waker_->token_changed.store(true);
                    throw;
                }
            }
            if (tasks_.empty()) return;
            wait();
        }
    }

    /// The time the operations should be constructed with.
    time_point now() const { return clock::now(); }

    /// Operations added and not yet done.
    std::size_t size() const noexcept { return tasks_.size(); }

    /// The options this runner was made with.
    const options& settings() const noexcept { return opts_; }

private:
    using task = detail::curl_multi_task;

    // One operation's next move. True when it is done.
    bool step(task& t, time_point now) {
        for (;;) {
            t.token_wait = false;
            action a = t.next(now);
            switch (a.kind) {
            case action::type::done: return true;
            case action::type::sleep:
                t.st = task::state::waiting;
                t.wake = a.until;
                return false;
            case action::type::wait_token: {
                t.st = task::state::waiting;
                t.wake = a.until;
                t.token_wait = true;
                std::shared_ptr<detail::curl_multi_waker> w = waker_;
                t.tokens().on_change([w] { w->notify(); });
                return false;
            }
            case action::type::send:
                if (auto refused = start(t, std::move(a.request))) {
                    t.on_response(std::move(*refused), clock::now(), std::chrono::system_clock::now());
                    continue;  // the operation decides what that error means (retry, or the end)
                }
                return false;
            }
        }
    }

    // Starts a transfer of `req` for `t`, or says why not (nothing was sent then). `stirred`: on a
    // new connection (the one it was about to go on had bytes waiting).
    std::optional<error> start(task& t, http::request req, bool stirred = false) {
        t.request = std::move(req);
        auto target = detail::preflight(t.request, opts_);
        if (!target) return std::move(target.error());
        if (init_error_) return *init_error_;
        auto where = [&t, &target] { return detail::describe_target(t.request, *target); };
        if (!t.handle) {
            t.handle = idle_.take(opts_);
            if (!t.handle)
                return detail::transport_error(errc::transport, std::string(codes::out_of_memory), delivery::not_sent,
                                               where() + ": curl_easy_init failed");
            // The connections of the shared cache, for gcx_curl_prereq's look at a reused one (the
            // handle keeps both, and its exchange the registry, for every later transfer).
            t.handle->exchange().sockets = &sockets_;
            curl_easy_setopt(t.handle->easy(), CURLOPT_CLOSESOCKETFUNCTION, &detail::gcx_curl_close_socket);
            curl_easy_setopt(t.handle->easy(), CURLOPT_CLOSESOCKETDATA, static_cast<void*>(&sockets_));
        }
        t.response = http::response{};
        if (auto refused = detail::curl_prepare(*t.handle, t.request, opts_, t.response, where, keepalive_,
                                                detail::origin_of(*target), stirred)) {
            release(t);
            return refused;
        }
        t.started = clock::now();
        if (!multi_.add(t.handle->easy(), static_cast<void*>(&t))) {
            release(t);
            return detail::transport_error(errc::transport, "curl_multi", delivery::not_sent,
                                           where() + ": libcurl would not start the transfer");
        }
        t.st = task::state::in_transfer;
        return std::nullopt;
    }

    // Drives the transfers, and hands every finished one to its operation.
    void perform() {
        multi_.perform([this](void* owner, CURL*, CURLcode rc) {
            task& t = *static_cast<task*>(owner);
            if (rc == CURLE_ABORTED_BY_CALLBACK && t.handle->exchange().stale_refused) {
                // A request about to go on a reused connection with bytes waiting (a TLS
                // close_notify, a stray answer...): not a byte of it was written. The same
                // request, on a new one.
                release(t);
                if (auto refused = start(t, std::move(t.request), /*stirred=*/true)) {
                    t.st = task::state::ready;
                    t.on_response(std::move(*refused), clock::now(), std::chrono::system_clock::now());
                }
                return;
            }
            auto where = [&t] {
                auto u = http::parse_url(t.request.url);
                return u ? detail::describe_target(t.request, *u) : std::string(http::to_string(t.request.verb));
            };
            // The handles share one connection cache: a new connection proves nothing (own_cache false).
            auto r = detail::curl_outcome(rc, *t.handle, std::move(t.response), t.started, t.request.timeout, where,
                                          keepalive_, false);
            release(t);
            t.st = task::state::ready;
            t.on_response(std::move(r), clock::now(), std::chrono::system_clock::now());
        });
    }

    // The task's easy handle back to the idle ones, pointing at nothing of the task.
    void release(task& t) noexcept {
        if (!t.handle) return;
        t.handle->end_request();
        curl_easy_setopt(t.handle->easy(), CURLOPT_PRIVATE, static_cast<void*>(nullptr));
        idle_.give_back(std::move(t.handle));
    }

    // Sleeps until a socket is ready, the earliest wake-up is due, or the token cache changed.
    void wait() {
        const time_point now = clock::now();
        time_point first = time_point::max();
        bool token_wait = false;
        for (const auto& t : tasks_) {
            if (t->st == task::state::ready) first = now;
            if (t->st != task::state::waiting) continue;
            if (t->wake < first) first = t->wake;
            token_wait = token_wait || t->token_wait;
        }
        long wait_ms = 1000;
        if (first != time_point::max())
            wait_ms = static_cast<long>(std::chrono::ceil<std::chrono::milliseconds>(first - now).count());
#if LIBCURL_VERSION_NUM < 0x074400
        if (token_wait) wait_ms = std::min(wait_ms, 10L);  // no curl_multi_wakeup: look again soon
#endif
        (void)token_wait;
        if (waker_->token_changed.load()) wait_ms = 0;
        multi_.poll(wait_ms);
    }

    // The connection cache holds at least one connection per operation, so none is closed
    // only to be opened again.
    void set_max_connections() { multi_.set_max_connections(std::max(opts_.max_idle_connections, tasks_.size())); }

    options opts_;
    std::shared_ptr<detail::curl_multi_waker> waker_;
    std::unique_ptr<error> init_error_;
    detail::keepalive_memory keepalive_;
    // Before multi_: its cleanup closes the cached connections, which removes them from here.
    detail::curl_socket_registry sockets_;
    detail::curl_multi_handle multi_;  // made after libcurl's global init (init_error_)
    std::vector<std::unique_ptr<task>> tasks_;
    // Every idle handle is kept: their connections live in multi_'s cache, which they share.
    detail::curl_handle_pool idle_{std::numeric_limits<std::size_t>::max()};
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
