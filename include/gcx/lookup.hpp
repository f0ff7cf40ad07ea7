// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_LOOKUP_HPP
#define GCX_LOOKUP_HPP

// The lookup, sans-I/O: launch the workflow, poll the execution until it ends, hand back its
// outputData. It performs no I/O and reads no clock; a driver feeds it (operation.hpp has the
// contract; client.hpp is the synchronous driver, adapters/curl_multi.hpp an event loop).
// Polls follow the session's learned schedule for the flow (poll_schedule.hpp).
//
//   POST {api}/api/v2/flows/executions  {"flowId", "flowVersion"?, "name", "inputData": {"Flow.PhoneNumber": "+1..."}}
//   GET  {api}/api/v2/flows/executions/{id}   until status is terminal
//     COMPLETED                  -> outputData (an object; absent means no outputs)
//     FAILED, ERROR, TERMINATED  -> errc::flow_failed with flowErrorInfo and completionReason
//     RUNNING, UNKNOWN, any other value -> poll again (new values appear over time)

#include <gcx/call.hpp>
#include <gcx/launch_request.hpp>
#include <gcx/lookup_result.hpp>
#include <gcx/phone.hpp>
#include <gcx/poll_schedule.hpp>
#include <gcx/reflect.hpp>

#include <algorithm>
#include <optional>

GCX_NAMESPACE_BEGIN

namespace detail {
/// What every lookup checks before it sends anything (the session's configuration was checked
/// when it was made): a flow id when the lookup needs one, and the number, normalised to E.164.
inline result<std::string> checked_number(const client_config& cfg, bool need_flow, std::string_view phone) {
    if (need_flow)  // a client whose strategy runs no flow never checked it (client_config::validate)
        if (auto v = cfg.validate_flow(); !v) return v.error();
    return normalize_e164(phone);
}
}  // namespace detail

template <class J>
class lookup_operation : public detail::outputs_as_struct<lookup_operation<J>, J> {
public:
    using value_type = typename J::value;

    /// Prepares a lookup of `phone` on the session's client. `extra_inputs` (a JSON object, or
    /// null) are added to inputData as they are (keys as the flow names them, e.g. "Flow.Channel").
    /// An invalid number finishes the operation at once: no request is sent.
    lookup_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : lookup_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(extra_inputs)) {
        if (s.config().on_event) set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's), on a chosen credential.
    lookup_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                     value_type extra_inputs = J::make_null())
        : call_(s, credential, operation::launch, /*idempotent=*/false,
                deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          created_(deadline.created) {
        const client_config& cfg = s.config();
        info_.credential = credential;
        auto number = detail::checked_number(cfg, /*need_flow=*/true, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        if (J::kind_of(extra_inputs) != json::kind::null && J::kind_of(extra_inputs) != json::kind::object) {
            finish(make_error(errc::invalid_input, "extra flow inputs must be a JSON object"));
            return;
        }
        call_.start(launch_request<J>(cfg, *number, std::move(extra_inputs)));
        phase_ = phase::launching;
        recall_refusal_ = true;  // at the first step, when the launch is about to be asked for (next)
    }

    /// What to do now. Call again after every send/sleep/wait.
    action next(time_point now) {
        for (;;) {
            switch (phase_) {
            case phase::finished: return action{};
            case phase::poll_wait:
                if (now >= deadline()) return finish(timeout_error());
                if (now < poll_at_) return action::sleep(std::min(poll_at_, deadline()));
                start_poll();
                continue;
            case phase::launching:
            case phase::polling: {
                if (recall_refusal_) {
                    // No such flow, a moment ago: checked at the driver's time now, not when the
                    // lookup was made (a chain's fallback flow starts up to a timeout later).
                    recall_refusal_ = false;
                    const session s = call_.owner();
                    if (auto refused = s.refused_launches().recall(s.config().flow_id, now))
                        return finish(std::move(*refused));
                }
                action a = call_.next(now);
                if (a.kind == action::type::send) {
                    // poll.max_polls caps the GETs of the execution, its retries too (a 502
                    // between RUNNINGs, an unreadable answer), not only the answers read.
                    if (phase_ == phase::polling && call_.awaiting_api_answer() &&
                        ++poll_sends_ > call_.owner().config().poll.max_polls)
                        return finish(max_polls_error(poll_sends_ - 1));
                    if (info_.requests++ == 0) info_.queued = remaining(created_, now);
                }
                if (a.kind != action::type::done) return a;
                on_call_finished(now);
                continue;
            }
            }
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (phase_ != phase::launching && phase_ != phase::polling) return;
        if (r && call_.awaiting_api_answer()) {  // not the token request's answer
            if (phase_ == phase::launching) {
                if (const auto* c = r->header("ININ-Correlation-Id")) info_.correlation_id = call_.shown(*c, number_);
            } else if (r->status >= 200 && r->status <= 299) {
                ++info_.polls;
            }
        }
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) on_call_finished(now);
    }

    bool done() const noexcept { return phase_ == phase::finished; }
    /// The number looked up, E.164 (empty when it was refused).
    const std::string& number() const noexcept { return number_; }
    /// A cancel: the request in flight gets its request_answered event with `e` (api_call::abandon).
    void abandon(const error& e, time_point now) const { call_.abandon(e, now); }
    time_point deadline() const noexcept { return call_.deadline().until(); }
    /// The time bound as it runs (a strategy hands it on to its fallback).
    const op_deadline& bound() const noexcept { return call_.deadline(); }
    token_cache& tokens() noexcept { return call_.tokens(); }
    const execution_info& execution() const noexcept { return info_; }
    /// Which lookup its events belong to (event::lookup; strategy_operation numbers them).
    void set_lookup_id(std::uint64_t id) noexcept { call_.set_lookup_id(id); }

    /// The outcome: outputData (an object) and the execution. Valid once done().
    result<lookup_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return lookup_result<value_type>{std::move(outputs_), info_};
    }

private:
    enum class phase { launching, poll_wait, polling, finished };

    void on_call_finished(time_point now) {
        if (phase_ == phase::launching) info_.credential = call_.credential();  // it may have moved
        auto& out = call_.outcome();
        if (!out) {
            const bool launching = phase_ == phase::launching;
            if (!launching && call_.sends_spent()) return (void)finish(max_polls_error(poll_sends_));
            finish(std::move(out.error()));
            if (launching && error_->request == operation::launch && error_->http_status == 404 &&
                !error_->code.empty())
                call_.owner().refused_launches().remember(call_.owner().config().flow_id, *error_, now);
            return;
        }
        if (phase_ == phase::launching) return on_launched(*out, now);
        on_polled(*out, now);
    }

    void on_launched(const http::response& r, time_point now) {
        // The flow has started: from here on nothing may launch it again.
        // The answer is read here and dropped: parsed into the backend's scratch memory if it has any.
        std::string id, flow_version;
        json::parse_temporary<J>(r.body, json::default_max_depth, [&](const result<typename J::value>& v) {
            if (!v) return;
            id = json::get_string_or<J>(*v, "id");
            if (const auto* fv = J::find(*v, "flowVersion")) flow_version = json::get_string_or<J>(*fv, "id");
        });
        // The id goes into the poll URL as it is, and into errors and output lines: an id no
        // Genesys Cloud sends (over max_execution_id bytes, a control character) is refused.
        // "." and "..", sent as they are (url_encode keeps them), would be path steps: the poll
        // would go to another resource (a client that normalizes paths, as libcurl does).
        const char* bad_id = id.empty()                     ? "has no execution id"
                             : id.size() > max_execution_id ? "has an execution id too long to be one"
                             : has_control_character(id)    ? "has an execution id with a control character"
                             : id == "." || id == ".."      ? "has an execution id that is a path step"
                                                            : nullptr;
        if (bad_id) {
            error e = make_error(errc::protocol, std::string("the launch answer ") + bad_id,
                                 "the flow may have started; it was not launched again");
            e.code = std::string(codes::launch_response);
            e.http_status = r.status;
            e.correlation_id = info_.correlation_id;
            e.execution_id = detail::clip(id, 128);
            e.request = operation::launch;
            finish(std::move(e));
            return;
        }
        // Polls use the id as sent; what is reported (execution_info::id, errors) is scrubbed.
        poll_id_ = id;
        info_.id = std::move(id);
        call_.scrub(info_.id);
        detail::redact_number(info_.id, number_);
        info_.flow_version = call_.shown(flow_version, number_);
        const client_config& cfg = call_.owner().config();
        plan_ = call_.owner().run_times().plan(cfg.flow_id, cfg.poll);
        launched_at_ = now;
        // Polls are timed from when the launch went out (on_polled: each from when the last was
        // due): the server then sees them at the plan's times after dateLaunched (the run times
        // it reports), not one round trip later per poll.
        origin_ = call_.sent_at() == time_point{} ? now : std::min(call_.sent_at(), now);
        interval_ = std::max(plan_.first, cfg.poll.min_interval);
        poll_at_ = std::max(now, origin_ + interval_);
        // A first poll planned past the deadline (a flow learned as slower than this lookup may
        // wait) is made once at the last moment that leaves it time, then the plan resumes.
        if (const time_point end = deadline(); end > now) {
            const time_point last_chance = end - std::min<time_point::duration>(milliseconds{1000}, (end - now) / 2);
            if (poll_at_ > last_chance) {
                resume_at_ = poll_at_;
                poll_at_ = last_chance;
            }
        }
        phase_ = phase::poll_wait;
    }

    void start_poll() {
        const session s = call_.owner();
        if (poll_sends_ >= s.config().poll.max_polls) {
            finish(max_polls_error(poll_sends_));
            return;
        }
        const std::uint64_t id = call_.lookup_id();
        call_ = api_call<J>(s, call_.credential(), operation::poll, /*idempotent=*/true,
                            request_governor::kind::continuing, call_.deadline());
        call_.set_lookup_id(id);
        call_.limit_sends(s.config().poll.max_polls - poll_sends_);  // its retries count against the cap too
        http::request r;
        r.verb = http::method::get;
        r.url = s.config().endpoints.api + "/api/v2/flows/executions/" + http::url_encode(poll_id_);
        r.fields.push_back({"Accept", "application/json"});
        // Events show the id as reported (scrubbed of credentials and the number), not as sent.
        std::string shown;
        if (s.config().on_event)
            shown = std::string(event_path(s.config().endpoints.api)) + "/api/v2/flows/executions/" + info_.id;
        call_.start(std::move(r), std::move(shown));
        phase_ = phase::polling;
    }

    void on_polled(http::response& r, time_point now) {
        auto v = J::parse(r.body);
        if (!v || J::kind_of(*v) != json::kind::object) {
            error e = v ? make_error(errc::protocol, "the execution answer is not a JSON object") : v.error();
            e.http_status = r.status;
            if (call_.retry_unreadable(e, now)) return;  // a GET may be repeated
            finish(std::move(call_.outcome().error()));
            return;
        }
        const auto& x = *v;
        // An answer about another execution (a cache or a proxy mixing answers up) would give
        // another number's customer: refused. (An answer without an id is read: the id is the
        // one this poll asked for.)
        if (const auto* idv = J::find(x, "id");
            idv && J::kind_of(*idv) == json::kind::string && json::get_string_or<J>(x, "id") != poll_id_) {
            error e = make_error(errc::protocol, "the execution answer is about another execution",
                                 "a cache or proxy between gcx and Genesys Cloud may be mixing answers up");
            e.code = std::string(codes::execution_response);
            e.http_status = r.status;
            e.request = operation::poll;
            finish(std::move(e));
            return;
        }
        // Server texts that reach errors and the result: bounded, one line, without a credential
        // or the number (api_call::shown), whatever the server echoes.
        info_.status = call_.shown(json::get_string_or<J>(x, "status"), number_, 128);
        info_.completion_reason = call_.shown(json::get_string_or<J>(x, "completionReason"), number_, 300);
        info_.date_launched = call_.shown(json::get_string_or<J>(x, "dateLaunched"), number_, 64);
        info_.date_completed = call_.shown(json::get_string_or<J>(x, "dateCompleted"), number_, 64);
        if (const auto* fv = J::find(x, "flowVersion"))
            if (auto id = json::get_string_or<J>(*fv, "id"); !id.empty()) info_.flow_version = call_.shown(id, number_);

        info_.since_launch = remaining(launched_at_, now);
        if (info_.status == "COMPLETED") {
            auto run = detail::reported_run_time(info_.date_launched, info_.date_completed);
            if (run && detail::plausible_run_time(*run, remaining(origin_, now))) {
                // How long after the reported completion the last poll answered RUNNING went out
                // (poll_schedule.hpp: the lag of the platform's answers behind its dates).
                std::optional<milliseconds> running_after;
                if (last_running_ != time_point{})
                    running_after = std::chrono::duration_cast<milliseconds>(last_running_ - origin_) - *run;
                call_.owner().run_times().record(call_.owner().config().flow_id, *run, running_after);
            }
            const auto* od = J::find(x, "outputData");
            if (!od || J::kind_of(*od) == json::kind::null) {
                outputs_ = J::make_object();
            } else if (J::kind_of(*od) == json::kind::object) {
                // Moved, not copied: the parsed answer is ours and is dropped right after.
                // (`*v` is not const, so writing through the pointer find() gave is sound.)
                outputs_ = std::move(*const_cast<value_type*>(od));
            } else {
                error e = make_error(errc::protocol, std::string("outputData is a ") +
                                                         json::to_string(J::kind_of(*od)) + ", not an object");
                e.request = operation::poll;
                finish(std::move(e));
                return;
            }
            phase_ = phase::finished;
            return;
        }
        if (is_failed_status(info_.status)) {
            finish(flow_failed(x));
            return;
        }
        // RUNNING, UNKNOWN, or a value this version has never seen: keep polling.
        // The next poll is due an interval after this one was due (a driver waking a millisecond
        // late must not push every later poll back); after this one was sent when it went out
        // late (the budget, a retry), and never sooner than the floor after it.
        const poll_policy& pp = call_.owner().config().poll;
        const time_point sent = std::min(call_.sent_at(), now);
        last_running_ = sent;
        const time_point last = sent - poll_at_ <= milliseconds{50} ? std::min(poll_at_, sent) : sent;
        const milliseconds since_launch = remaining(origin_, last);
        bool switched = false;
        if (!plan_.learned) {
            // Launched on the prior: the flow's own runs may have been learned since (the other
            // lookups in flight ended). When they say it is slower than the prior, their plan from
            // here on: its first poll, or its steps. (Learned as faster, it is learned from the
            // runs that ended first, and this one is not among them: the prior's steps go on.)
            poll_plan learned = call_.owner().run_times().plan(call_.owner().config().flow_id, pp);
            if (learned.learned && learned.first > plan_.first) {
                plan_ = learned;
                switched = true;
            }
        }
        interval_ = switched && since_launch < plan_.first
                        ? plan_.first - since_launch
                        : plan_.next(pp, since_launch, switched ? plan_.step : interval_);
        poll_at_ = std::max({now, last + interval_, sent + std::max(pp.min_interval, milliseconds{1}), resume_at_});
        phase_ = phase::poll_wait;
    }

    error flow_failed(const value_type& x) const {
        error e;
        e.kind = errc::flow_failed;
        e.message = "the flow ended " + info_.status;
        if (!info_.completion_reason.empty()) e.message += " (completionReason: " + info_.completion_reason + ")";
        if (const auto* fe = J::find(x, "flowErrorInfo"); fe && J::kind_of(*fe) == json::kind::object) {
            auto msg = json::get_string_or<J>(*fe, "message");
            if (!msg.empty()) e.message += ": " + detail::clip(msg);
            e.code = detail::clip(json::get_string_or<J>(*fe, "code"), 128);
            e.correlation_id = detail::clip(json::get_string_or<J>(*fe, "contextId"), 128);
            // An HTTP status, or none: a value outside 100-599 is not truncated into one.
            const std::int64_t st = json::get_int_or<J>(*fe, "status", 0);
            e.http_status = st >= 100 && st <= 599 ? static_cast<int>(st) : 0;
        }
        if (e.correlation_id.empty()) e.correlation_id = info_.correlation_id;
        e.hint =
            "the workflow itself failed: open this execution in Architect to see which action failed (a data action, a missing variable, a search error)";
        return e;
    }

    error timeout_error() const {
        error e = make_error(errc::timeout,
                             "the lookup deadline passed while the execution was " +
                                 (info_.status.empty() ? std::string("starting") : info_.status),
                             "the flow is still running: raise the lookup timeout or make the workflow faster");
        e.code = std::string(codes::deadline);
        return e;
    }

    static error max_polls_error(int polls) {
        error e = make_error(errc::timeout, "the execution was still running after " + std::to_string(polls) + " polls",
                             "raise poll.max_polls, or check the flow in Architect");
        e.code = std::string(codes::max_polls);
        return e;
    }

    action finish(error e) {
        if (e.execution_id.empty()) e.execution_id = info_.id;
        detail::redact_number(e, number_);  // personal data
        call_.scrub(e);
        // The markers may be longer than what they replace: the id stays within its clip.
        if (e.execution_id.size() > 131) e.execution_id = detail::clip(e.execution_id, 128);
        error_ = std::move(e);
        phase_ = phase::finished;
        return action{};
    }

    /// The longest execution id taken from a launch answer (Genesys sends UUIDs).
    static constexpr std::size_t max_execution_id = 256;

    static bool has_control_character(std::string_view s) noexcept {
        for (char c : s)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
        return false;
    }

    api_call<J> call_;
    time_point created_{};
    phase phase_ = phase::finished;
    poll_plan plan_;
    time_point launched_at_{};
    time_point origin_{};  // when the launch went out: the plan's times count from here
    milliseconds interval_{0};
    time_point poll_at_{};
    time_point resume_at_{};       // after a first poll brought forward to the deadline: the plan's own first
    time_point last_running_{};    // when the last poll answered RUNNING went out (none: the epoch)
    int poll_sends_ = 0;           // GETs of the execution sent, retries included (poll.max_polls)
    bool recall_refusal_ = false;  // the launch is still to be checked against a remembered "no such flow"
    execution_info info_;
    value_type outputs_ = J::make_null();
    std::optional<error> error_;
    std::string number_;
    std::string poll_id_;  // the execution id as the server sent it (info_.id is scrubbed)
};

GCX_NAMESPACE_END

#endif
