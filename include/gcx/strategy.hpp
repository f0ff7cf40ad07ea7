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
//   lookup_strategy::data_action       the data action (data_action_operation): one request
//   lookup_strategy::data_action_then_flow, data_action_then_direct
//                                      the data action; when it cannot run (its execution failed
//                                      with a status of data_action_options::fallback_statuses:
//                                      403, 404 by default), the flow or the direct lookup, within
//                                      what is left of the same deadline, on the same credential.
// The answer has the shape of a flow lookup's either way; execution.source says which path
// answered, execution.fallback_reason why the first path of a chain was not used (the error's
// message says it when the second path failed too), and
// execution.requests counts the requests of both.

#include <gcx/data_action.hpp>
#include <gcx/direct.hpp>
#include <gcx/lookup.hpp>

#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {
/// The extra inputs of a lookup (flow-style "Flow.<Var>" keys, as write_inputs<J> gives them) as a
/// data action takes them: top-level keys without the "Flow." prefix; other keys as they are.
template <class J>
typename J::value action_inputs(typename J::value inputs) {
    if (J::kind_of(inputs) != json::kind::object) return inputs;
    bool prefixed = false;
    J::for_each_member(inputs, [&](std::string_view key, const typename J::value&) {
        prefixed = key.substr(0, 5) == "Flow.";
        return !prefixed;
    });
    if (!prefixed) return inputs;
    auto out = J::make_object();
    J::for_each_member(inputs, [&](std::string_view key, const typename J::value& v) {
        J::set(out, key.substr(0, 5) == "Flow." ? key.substr(5) : key, v);
        return true;
    });
    return out;
}
}  // namespace detail

template <class J>
class strategy_operation : public detail::outputs_as_struct<strategy_operation<J>, J> {
public:
    using value_type = typename J::value;

    /// Prepares a lookup of `phone` with the session's configured strategy. `extra_inputs` (a JSON
    /// object of "Flow.<Var>" keys, or null) go to the flow beside the number; a data action gets
    /// them with the "Flow." prefix dropped (detail::action_inputs: keys without it go as they are).
    strategy_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : strategy_(s.config().strategy), hook_(s.config().on_event), started_(now), last_(now) {
        if (hook_) id_ = s.next_lookup_id();
        const auto deadline = op_deadline::from(now, s.config());
        const std::size_t credential = s.pick(now);
        if (strategy_ == lookup_strategy::direct) {
            direct_.emplace(s, phone, deadline, credential, s.config().direct);
        } else if (uses_data_action(strategy_)) {
            const bool chained = strategy_ != lookup_strategy::data_action;
            auto inputs =
                chained ? detail::action_inputs<J>(extra_inputs) : detail::action_inputs<J>(std::move(extra_inputs));
            action_.emplace(s, phone, deadline, credential, std::move(inputs), s.config().action);
            if (chained) {
                if (s.config().action.secure) detail::collect_strings<J>(extra_inputs, secure_inputs_);
                phone_ = std::string(phone);
                extra_ = std::move(extra_inputs);
                session_.emplace(std::move(s));
            }
        } else {
            phone_ = std::string(phone);
            flow_.emplace(s, phone, deadline, credential, std::move(extra_inputs));
            session_.emplace(std::move(s));
        }
        number_paths();
    }

    action next(time_point now) {
        last_ = now;
        action a = step(now);
        if (a.kind == action::type::send) ++requests_;
        return a;
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        last_ = now;
        if (action_) return action_->on_response(std::move(r), now, wall_now);
        if (direct_) return direct_->on_response(std::move(r), now, wall_now);
        if (flow_) flow_->on_response(std::move(r), now, wall_now);
    }

    bool done() const noexcept {
        // A chain's first path that cannot run may still hand over to the second (at the next next()).
        if (action_) return action_->done() && (!chained() || first_result_.has_value());
        if (direct_) return direct_->done();
        if (!flow_) return true;
        return flow_->done() && (strategy_ != lookup_strategy::flow_then_direct || first_result_.has_value());
    }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept {
        return action_ ? action_->number() : direct_ ? direct_->number() : flow_->number();
    }
    /// The flow execution's id as the lookup reports it (scrubbed of credentials and the number;
    /// empty before the launch was answered, or without a flow).
    std::string execution_id() const { return flow_ ? flow_->execution().id : std::string(); }
    token_cache& tokens() noexcept {
        return action_ ? action_->tokens() : direct_ ? direct_->tokens() : flow_->tokens();
    }

    /// The outcome, in the shape of a flow lookup's. Valid once done(). With an event hook
    /// configured, raises the lookup_finished event (once: the driver takes the result once).
    result<lookup_result<value_type>> take_result() {
        auto r = outcome();
        if (hook_) raise_finished(r);
        return r;
    }

    /// The driver ends the lookup without taking its result (a cancel): the request in flight gets
    /// its request_answered event with `e`, and lookup_finished is raised with `e` as the outcome,
    /// as take_result() would have raised it. Call it once, instead of take_result().
    void abandon(const error& e, time_point now) {
        last_ = now;
        if (!hook_) return;
        if (action_) action_->abandon(e, now);
        else if (direct_) direct_->abandon(e, now);
        else if (flow_) flow_->abandon(e, now);
        raise_finished(result<lookup_result<value_type>>(e));
    }

private:
    action step(time_point now) {
        for (;;) {
            if (action_) {
                action a = action_->next(now);
                if (a.kind != action::type::done || !chained()) return a;
                if (!fallback_from_action()) return a;
                continue;
            }
            if (direct_) return direct_->next(now);
            if (!flow_) return action::done();
            action a = flow_->next(now);
            if (a.kind != action::type::done || strategy_ != lookup_strategy::flow_then_direct) return a;
            if (!fallback()) return a;
        }
    }

    result<lookup_result<value_type>> outcome() {
        if (first_result_) return std::move(*first_result_);
        if (action_) return action_->take_result();
        auto r = direct_ ? direct_as_lookup<J>(direct_->take_result()) : flow_->take_result();
        if (fallback_reason_.empty()) return r;
        if (r) {
            r->execution.fallback_reason = std::move(fallback_reason_);
            r->execution.requests += first_requests_;
            r->execution.queued = first_queued_;
        } else {
            for (const auto& s : secure_inputs_) detail::redact(r.error(), s, "[input]");
            // The second path failed too: what made the first give way is half the answer (a
            // wrong action or flow id behind a refused fallback).
            r.error().message += " (the chain's second path; the first could not run: " + fallback_reason_ + ")";
        }
        return r;
    }

    // Gives the path now running this lookup's number for its events.
    void number_paths() noexcept {
        if (id_ == 0) return;
        if (action_) action_->set_lookup_id(id_);
        if (direct_) direct_->set_lookup_id(id_);
        if (flow_) flow_->set_lookup_id(id_);
    }

    void raise_finished(const result<lookup_result<value_type>>& r) const {
        event e;
        e.kind = event_kind::lookup_finished;
        e.lookup = id_;
        e.at = last_;
        e.duration = remaining(started_, last_);
        e.strategy = to_string(strategy_);
        e.requests = requests_;
        std::string code;
        if (r) {
            e.outcome = "ok";
            e.source = r->execution.source;
            e.polls = r->execution.polls;
        } else {
            e.outcome = "error";
            e.source = action_ ? data_action_source : direct_ ? std::string_view("direct") : std::string_view("flow");
            e.polls = flow_ ? flow_->execution().polls : 0;
            e.error_kind = to_string(r.error().kind);
            code = r.error().code;  // errors are scrubbed of credentials already
            e.error_code = event_safe_code(code);
        }
        detail::raise(hook_, e);
    }

    bool chained() const noexcept {
        return strategy_ == lookup_strategy::data_action_then_flow ||
               strategy_ == lookup_strategy::data_action_then_direct;
    }

    // The flow is done: start the direct lookup if the launch was refused. True if it started.
    bool fallback() {
        if (first_result_) return false;
        auto r = flow_->take_result();
        const bool refused = !r && launch_refused(r.error());
        return hand_over(flow_, std::move(r), refused, [this](const op_deadline& bound, std::size_t credential) {
            direct_.emplace(*session_, phone_, bound, credential, session_->config().direct);
        });
    }

    // The data action is done: start the chain's second path if the action cannot run. True if it started.
    bool fallback_from_action() {
        if (first_result_) return false;
        const bool cannot_run = action_->cannot_run();
        return hand_over(action_, action_->take_result(), cannot_run,
                         [this](const op_deadline& bound, std::size_t credential) {
                             if (strategy_ == lookup_strategy::data_action_then_flow)
                                 flow_.emplace(*session_, phone_, bound, credential, std::move(extra_));
                             else direct_.emplace(*session_, phone_, bound, credential, session_->config().direct);
                         });
    }

    // A chain's first path (`first`) is done with `r`. Its result stands unless it failed and
    // `gives_way`; then the second path starts (start_second) within the first's time bound, on
    // its credential, and the answer will say why (fallback_reason_) and count the first's
    // requests. True if the second path started.
    template <class First, class StartSecond>
    bool hand_over(std::optional<First>& first, result<lookup_result<value_type>> r, bool gives_way,
                   StartSecond start_second) {
        if (r || !gives_way) {
            first_result_.emplace(std::move(r));
            return false;
        }
        fallback_reason_ = r.error().describe();
        first_requests_ = first->execution().requests;
        first_queued_ = first->execution().queued;
        const op_deadline bound = first->bound();
        const std::size_t credential = first->execution().credential;
        first.reset();
        start_second(bound, credential);
        phone_.clear();
        number_paths();
        return true;
    }

    lookup_strategy strategy_;
    std::optional<session> session_;
    std::string phone_;
    value_type extra_ = J::make_null();  // a chain's flow inputs, kept for its fallback
    std::optional<data_action_operation<J>> action_;
    std::optional<lookup_operation<J>> flow_;
    std::optional<direct_lookup_operation<J>> direct_;
    std::optional<result<lookup_result<value_type>>> first_result_;
    std::string fallback_reason_;
    int first_requests_ = 0;
    milliseconds first_queued_{0};
    std::vector<std::string> secure_inputs_;  // a secure action's input values, scrubbed from the second path's error
    event_hook hook_;                         // the session's, copied once: a lookup_finished event per lookup
    time_point started_;                      // for lookup_finished: from the operation's creation
    time_point last_;                         // to the last time the driver handed in
    int requests_ = 0;                        // every request sent, on every path
    std::uint64_t id_ = 0;                    // event::lookup (0: no hook)
};

GCX_NAMESPACE_END

#endif
