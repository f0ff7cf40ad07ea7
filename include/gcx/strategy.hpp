// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_STRATEGY_HPP
#define GCX_STRATEGY_HPP

// strategy_operation: the lookup the configuration asks for, as one sans-I/O operation (the
// contract is in operation.hpp). It is what basic_client::lookup and gcx-lookup's event loop
// run, so every strategy behaves the same under every driver:
//   lookup_strategy::flow              the workflow (lookup_operation)
//   lookup_strategy::direct            External Contacts directly (direct_lookup_operation)
//   lookup_strategy::flow_then_direct  the workflow; when it cannot be launched at all (403 or
//                                      404 on the launch: no execution started), the direct
//                                      lookup, within what is left of the same deadline.
// The answer has the shape of a flow lookup's either way; execution.source says which path
// answered, execution.fallback_reason why the flow was not used.

#include <gcx/direct.hpp>
#include <gcx/lookup.hpp>

#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

template <class J>
class strategy_operation {
public:
    using value_type = typename J::value;

    /// Prepares a lookup of `phone` with the session's configured strategy. `extra_inputs` (a JSON
    /// object of "Flow.<Var>" keys, or null) go to the flow beside the number.
    strategy_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : strategy_(s.config().strategy) {
        const auto deadline = op_deadline::from(now, s.config());
        const std::size_t credential = s.pick(now);
        if (strategy_ == lookup_strategy::direct) {
            direct_.emplace(s, phone, deadline, credential, s.config().direct);
        } else {
            phone_ = std::string(phone);
            flow_.emplace(s, phone, deadline, credential, std::move(extra_inputs));
            session_.emplace(std::move(s));
        }
    }

    action next(time_point now) {
        for (;;) {
            if (direct_) return direct_->next(now);
            if (!flow_) return action::done();
            action a = flow_->next(now);
            if (a.kind != action::type::done || strategy_ != lookup_strategy::flow_then_direct) return a;
            if (!fallback(now)) return a;
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (direct_) return direct_->on_response(std::move(r), now, wall_now);
        if (flow_) flow_->on_response(std::move(r), now, wall_now);
    }

    bool done() const noexcept {
        if (direct_) return direct_->done();
        if (!flow_) return true;
        // A refused launch may still hand over to the direct lookup (at the next next()).
        return flow_->done() && (strategy_ != lookup_strategy::flow_then_direct || flow_result_.has_value());
    }
    token_cache& tokens() noexcept { return direct_ ? direct_->tokens() : flow_->tokens(); }

    /// The outcome, in the shape of a flow lookup's. Valid once done().
    result<lookup_result<value_type>> take_result() {
        if (flow_result_) return std::move(*flow_result_);
        if (!direct_) return flow_->take_result();
        auto r = direct_as_lookup<J>(direct_->take_result());
        if (r) {
            r->execution.fallback_reason = std::move(fallback_reason_);
            r->execution.requests += flow_requests_;
        }
        return r;
    }

    /// The outcome mapped into T (see map_outputs).
    template <class T>
    result<lookup_result<T>> take_result_as(const map_options& opt = {}) {
        return map_outputs<J, T>(take_result(), opt);
    }

private:
    // The flow is done: start the direct lookup if the launch was refused. True if it started.
    bool fallback(time_point now) {
        if (flow_result_) return false;
        auto r = flow_->take_result();
        if (r || !launch_refused(r.error())) {
            flow_result_.emplace(std::move(r));
            return false;
        }
        fallback_reason_ = r.error().describe();
        flow_requests_ = flow_->execution().requests;
        const op_deadline bound = flow_->bound();
        const std::size_t credential = flow_->execution().credential;
        flow_.reset();
        direct_.emplace(*session_, phone_, bound, credential, session_->config().direct);
        (void)now;
        phone_.clear();
        return true;
    }

    lookup_strategy strategy_;
    std::optional<session> session_;
    std::string phone_;
    std::optional<lookup_operation<J>> flow_;
    std::optional<direct_lookup_operation<J>> direct_;
    std::optional<result<lookup_result<value_type>>> flow_result_;
    std::string fallback_reason_;
    int flow_requests_ = 0;
};

GCX_NAMESPACE_END

#endif
