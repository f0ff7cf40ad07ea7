// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_SIGPIPE_HPP
#define GCX_ADAPTERS_HTTPLIB_SIGPIPE_HPP

// Keeps a write to a reset connection from killing the process with SIGPIPE (see SIGPIPE in
// gcx/adapters/httplib.hpp).

#include <gcx/version.hpp>

#if !defined(_WIN32)
#include <csignal>
#include <pthread.h>
#include <time.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// Blocks SIGPIPE in this thread for its lifetime and swallows one raised meanwhile.
class sigpipe_guard {
public:
    explicit sigpipe_guard(bool enabled) noexcept {
#if !defined(_WIN32)
        if (!enabled) return;
        // One already pending is not ours to swallow.
        if (pending()) return;
        const sigset_t pipe = pipe_set();
        active_ = pthread_sigmask(SIG_BLOCK, &pipe, &old_) == 0;
#else
        (void)enabled;
#endif
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard() {
#if !defined(_WIN32)
        if (!active_) return;
        if (pending()) {
            const sigset_t pipe = pipe_set();
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
            timespec zero{0, 0};
            (void)sigtimedwait(&pipe, nullptr, &zero);
#else
            int sig = 0;
            (void)sigwait(&pipe, &sig);
#endif
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
#endif
    }

private:
#if !defined(_WIN32)
    static sigset_t pipe_set() noexcept {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        return pipe;
    }

    /// Whether a SIGPIPE is pending for this thread (or the process).
    static bool pending() noexcept {
        sigset_t set;
        sigemptyset(&set);
        return sigpending(&set) == 0 && sigismember(&set, SIGPIPE);
    }

    sigset_t old_{};
    bool active_ = false;
#endif
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
