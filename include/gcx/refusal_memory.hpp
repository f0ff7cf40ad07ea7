// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFUSAL_MEMORY_HPP
#define GCX_REFUSAL_MEMORY_HPP

// An answer that says the configuration names nothing, remembered for a while. A launch answered
// 404 (the flow id names no flow in this org and region) is the same answer for every number: the
// lookups that follow fail at once with it, without a request, until the back-off has passed;
// then the next lookup asks again (a flow published meanwhile is found). A batch of 2,000 numbers
// with a wrong flow id spends a handful of requests instead of 2,000. What is handed on is the
// answer's status, code, hint and correlation id, never the server's message (which may quote
// the first lookup's inputs). A data action's 404 is not remembered: the status its remote's
// own "not found" is given is not documented, so it may be one number's answer.
// Sans-I/O (the caller hands in the time); thread-safe.

#include <gcx/clock.hpp>
#include <gcx/error.hpp>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

class refusal_memory {
public:
    /// `backoff`: how long a refusal is remembered (0: never; at most longest_wait, so that adding
    /// it to a time point cannot overflow).
    explicit refusal_memory(milliseconds backoff)
        : backoff_(std::clamp<milliseconds>(backoff, milliseconds{0}, longest_wait)) {}
    refusal_memory(const refusal_memory&) = delete;
    refusal_memory& operator=(const refusal_memory&) = delete;

    /// The server refused `what` (a flow id, an action id) with `e` at `now`: remembered until
    /// now + the back-off, in place of any earlier refusal.
    void remember(std::string_view what, const error& e, time_point now) {
        if (backoff_.count() == 0) return;
        std::lock_guard<std::mutex> lk(m_);
        what_ = std::string(what);
        refusal_ = e;
        refusal_->message = "an earlier lookup's request was answered HTTP " + std::to_string(e.http_status) +
                            (e.code.empty() ? std::string() : " (" + e.code + ")") +
                            "; remembered: later lookups fail with that answer without asking again for " +
                            std::to_string(backoff_.count() / 1000) + " s";
        refusal_->path.clear();
        refusal_->execution_id.clear();
        until_ = now + backoff_;
        ++remembered_;
    }

    /// The refusal a lookup of `what` starting at `now` fails with, if one is remembered.
    std::optional<error> recall(std::string_view what, time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (!refusal_ || now >= until_ || what != what_) return std::nullopt;
        return refusal_;
    }

    /// How many refusals were remembered (each one answer from the server).
    std::uint64_t remembered() const {
        std::lock_guard<std::mutex> lk(m_);
        return remembered_;
    }

private:
    const milliseconds backoff_;
    mutable std::mutex m_;
    std::string what_;
    std::optional<error> refusal_;
    time_point until_{};
    std::uint64_t remembered_ = 0;
};

GCX_NAMESPACE_END

#endif
