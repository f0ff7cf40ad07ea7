// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ONE_CALL_HPP
#define GCX_ONE_CALL_HPP

// What an operation of one API call and no polling (direct_lookup_operation,
// data_action_operation) has of the operation contract (operation.hpp): the call, started by the
// operation's constructor and run to its end, with next(), on_response(), done(), tokens() around
// it. The operation itself reads the answer.

#include <gcx/call.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {

/// The base of an operation `Op` of one api_call (CRTP). Op provides, to this base (a friend):
///   void on_sent(time_point now)              a request of the call went out
///   bool on_api_answer(http::response& r)     the API request's answer, before the call reads it;
///                                             false: it is the operation's result (Op stopped)
///   void on_finished(time_point now)          the call is done: its outcome() (it may retry)
template <class Op, class J>
class one_call_operation {
public:
    action next(time_point now) {
        for (;;) {
            if (!running_) return action{};
            action a = call_.next(now);
            if (a.kind == action::type::send) self().on_sent(now);
            if (a.kind != action::type::done) return a;
            self().on_finished(now);  // may schedule a retry: ask the call again
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (!running_) return;
        // The API request's answer (not the token request's) goes to Op first.
        if (r && call_.awaiting_api_answer() && !self().on_api_answer(*r)) return call_.answer_taken(*r, now);
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) self().on_finished(now);
    }

    bool done() const noexcept { return !running_; }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept { return static_cast<const Op&>(*this).number_; }
    /// A cancel: the request in flight gets its request_answered event with `e` (api_call::abandon).
    void abandon(const error& e, time_point now) const {
        if (running_) call_.abandon(e, now);
    }
    token_cache& tokens() noexcept { return call_.tokens(); }
    /// Which lookup its events belong to (event::lookup; strategy_operation numbers them).
    void set_lookup_id(std::uint64_t id) noexcept { call_.set_lookup_id(id); }
    const op_deadline& bound() const noexcept { return call_.deadline(); }

protected:
    one_call_operation(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
                       op_deadline deadline)
        : call_(std::move(s), credential, op, idempotent, kind, deadline) {}

    /// Sends `r` (the constructor's last step, unless it finished the operation already).
    void start(http::request r) {
        call_.start(std::move(r));
        running_ = true;
    }

    /// The operation is done (its result or its error is set): next() answers done from now on.
    void stop() noexcept { running_ = false; }

    api_call<J> call_;

private:
    bool running_ = false;
    Op& self() noexcept { return static_cast<Op&>(*this); }
};

}  // namespace detail

GCX_NAMESPACE_END

#endif
