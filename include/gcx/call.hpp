// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CALL_HPP
#define GCX_CALL_HPP

// One logical API call, sans-I/O (operation.hpp: the contract): get a token through the session's
// cache, wait for room in the request budget, send, and apply the one retry rule (decide_retry,
// retry.hpp) until it succeeds or stops. Every operation is a sequence of these.
//
// - A 429 pauses the whole credential's budget until Retry-After (request_governor), and this
//   call retries after it; a Retry-After beyond the ceiling fails at once (code retry_ceiling).
// - 401: that token is dropped, a new one fetched, the call repeated; a second 401 in a row stops,
//   and is remembered as a refusal of the credential (token_cache::refuse) for the back-off.
// - Before every attempt the token is taken from the cache again, so a retry after a long wait
//   never goes out with a token that expired meanwhile.
// - Time: a call's bound is its operation's op_deadline. The lookup timeout starts with the
//   operation's first request; before that, waiting for the budget may last queue_timeout.

#include <gcx/api_error.hpp>
#include <gcx/auth.hpp>
#include <gcx/deadline.hpp>
#include <gcx/error_codes.hpp>
#include <gcx/call_events.hpp>
#include <gcx/call_state.hpp>
#include <gcx/credential_scrub.hpp>
#include <gcx/operation.hpp>
#include <gcx/retry.hpp>
#include <gcx/session.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

template <class J>
class api_call : private detail::api_call_state {
public:
    /// `fresh`: the call starts new work (a launch, a direct lookup) and goes only at the budget's
    /// pace; polls and retries are `continuing` and may run a little ahead.
    api_call(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
             op_deadline deadline)
        : detail::api_call_state(std::move(s), credential, op, idempotent, kind, deadline) {}

    ~api_call() {
        release_fetch(make_error(errc::transport, "token fetch abandoned"));
        release_ticket();
    }
    api_call(api_call&& o) noexcept = default;
    api_call& operator=(api_call&& o) noexcept {
        if (this != &o) {
            release_fetch(make_error(errc::transport, "token fetch abandoned"));
            release_ticket();
            detail::api_call_state::operator=(std::move(o));
        }
        return *this;
    }

    /// Starts (or restarts) the call with `base`: everything but Authorization and timeout.
    /// `shown_path`: the path events show (events.hpp) when the URL's own path holds a text that
    /// must not appear there (a server-chosen id before scrubbing); empty: the URL's path.
    void start(http::request base, std::string shown_path = {}) {
        base_ = std::move(base);
        events_.set_shown_path(std::move(shown_path));
        phase_ = phase::need_token;
        retries_ = 0;
        api_sends_ = 0;  // a new request (the check's steps reuse one call): attempt 1 again
        renewed_ = false;
        outcome_ = make_error(errc::protocol, "call not finished");
    }

    action next(time_point now) {
        last_now_ = now;
        for (;;) {
            switch (phase_) {
            case phase::finished: return action::done();
            case phase::sleeping:
                if (now < until_) return action::sleep(until_);
                phase_ = resume_;
                continue;
            case phase::need_token: {
                if (deadline_.expired(now)) return fail_expired("wait for an access token or the request budget");
                auto t = tokens().acquire(now, waited_);
                waited_ = token_cache::no_generation;
                switch (t.st) {
                case token_cache::state::ready:
                    took_token(std::move(t.token));
                    phase_ = phase::ready;
                    continue;
                case token_cache::state::fetch:
                    lead_fetch();
                    phase_ = phase::token_send;
                    continue;
                case token_cache::state::wait: {
                    waited_ = t.generation;
                    action a;
                    a.kind = action::type::wait_token;
                    a.until = bound();
                    a.generation = t.generation;
                    return a;  // the next call to next() asks the cache again
                }
                case token_cache::state::failed:
                    if (move_off_refused_credential(now, t.failure)) continue;
                    return finish(t.failure);
                }
                continue;
            }
            case phase::token_send: {
                if (deadline_.expired(now)) return fail_expired("waiting for an access token");
                if (auto at = s_.token_budget(cred_).admit(now, request_governor::kind::continuing); at > now) {
                    events_.wait(now);
                    if (s_.token_budget(cred_).paused_until() >= at &&
                        move_off_paused_tokens(now, at, make_error(errc::rate_limited, "token requests paused"))) {
                        phase_ = phase::need_token;
                        continue;
                    }
                    if (paused_past_ceiling(s_.token_budget(cred_), now, at)) return fail_paused(now, at);
                    credit_wait(now, at);
                    return action::sleep(std::min(at, bound()));
                }
                deadline_.start(now);
                sent_at_ = now;  // the token's life counts from here (token_cache::complete)
                phase_ = phase::token_sent;
                action a;
                a.kind = action::type::send;
                a.request = tokens().request(timeout_for(now));
                events_.sent(now);
                if (hooked()) events_.request_sent(context(operation::token), now, scrubber());
                return a;
            }
            case phase::ready: {
                if (deadline_.expired(now)) return fail_expired(to_string(op_));
                if (auto at = take_turn(now); at > now) {
                    phase_ = phase::need_token;  // after the wait, the token is taken afresh
                    events_.wait(now);
                    // Before failing on a long pause: another credential, if one has room sooner.
                    if (move_to_unasked_credential(now, at) || move_paused_call(now, at)) continue;
                    if (paused_past_ceiling(s_.budget(cred_), now, at)) return fail_paused(now, at);
                    // Its first API request still waits after its token request: queue_timeout bounds it too.
                    const bool queued = deadline_.started && kind_ == request_governor::kind::fresh;
                    if (queued && now >= deadline_.queue_until) return finish(detail::queue_error(to_string(op_)));
                    credit_wait(now, at);
                    return action::sleep(std::min({at, bound(), queued ? deadline_.queue_until : at}));
                }
                deadline_.start(now);
                kind_ = request_governor::kind::continuing;  // its retries continue what was started
                phase_ = phase::sent;
                action a;
                a.kind = action::type::send;
                // Room for Authorization first, so adding it does not reallocate the copied headers.
                a.request.fields.reserve(base_.fields.size() + 1);
                a.request = base_;
                a.request.fields.push_back({"Authorization", "Bearer " + token_.reveal()});
                a.request.timeout = timeout_for(now);
                cut_by_deadline_ = a.request.timeout < s_.config().request_timeout;
                ++api_sends_;
                sent_at_ = now;
                events_.sent(now);
                if (hooked()) events_.request_sent(context(op_), now, scrubber());
                return a;
            }
            case phase::token_sent:
            case phase::sent: return action::sleep(now);  // misuse: waiting for on_response; nothing to do
            }
        }
    }

    /// The transport's answer to the last `send`.
    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        last_now_ = now;
        if (phase_ == phase::token_sent) return on_token_response(std::move(r), now, wall_now);
        if (phase_ != phase::sent) return;
        failed_attempt a = attempt_base(now);
        if (hooked()) events_.answered(context(op_), r, now, scrubber());
        if (!r) {
            error e = std::move(r.error());
            a.failure = &e;
            const retry_decision d = decide(a);
            return apply(d, std::move(e), now, phase::need_token);
        }
        http::response& resp = *r;
        if (resp.status >= 200 && resp.status <= 299) {
            tokens().accepted();
            outcome_ = std::move(resp);
            phase_ = phase::finished;
            return;
        }
        error e = error_from_response<J>(resp, op_, wall_now);
        if (resp.status == 401 && detail::action_ran(e)) return finish_void(std::move(e));  // its remote's 401
        if (resp.status == 401 && renewed_) {                                               // a fresh token refused too
            scrub(e);
            // A refusal of the credential (an allow-list, another org's client), remembered only while
            // the API never took one of its tokens (a poll's 401 after its launch is not one).
            if (op_ != operation::check && op_ != operation::poll && !tokens().ever_accepted()) {
                tokens().refuse(token_, e, now);
                if (move_off_refused_credential(now, e)) {
                    if (hooked()) {
                        retry_decision m;
                        m.what = retry_decision::verdict::retry;
                        m.reason = retry_decision::other_credential;
                        events_.decided(context(op_), m, e, now, scrubber());
                    }
                    renewed_ = false;  // nothing ran with it: the same request on another credential
                    phase_ = phase::need_token;
                    return;
                }
            }
            return finish_void(std::move(e));
        }
        a.status = resp.status;
        a.failure = &e;
        a.read_retry_after(resp, wall_now);
        if (resp.status != 401) renewed_ = false;  // the token was taken: a later 401 is a new one
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::need_token);
    }

    /// Schedules the same request again after a backoff because its 2xx answer could not be
    /// read (only sensible for idempotent calls). Returns false (and finishes) when no retry is left.
    bool retry_unreadable(error e, time_point now) {
        failed_attempt a = attempt_base(now);
        a.unreadable = true;
        a.failure = &e;
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::need_token);
        return phase_ != phase::finished;
    }

    /// Removes every credential this call knows (token, secret, Basic credential) from `e`:
    /// whatever a server echoed back, no credential leaves in an error (credential_scrub.hpp).
    void scrub(error& e) const { detail::scrub_credentials(e, s_.config(), token_); }
    /// The same for one server-chosen text (an execution id) that is kept outside an error.
    void scrub(std::string& text) const { detail::scrub_credentials(text, s_.config(), token_); }
    /// A server-chosen text kept in a result (a correlation id): bounded to `max` bytes, one
    /// line, without a credential or the number looked up (`number`, empty: none).
    std::string shown(std::string_view text, std::string_view number, std::size_t max = 128) const {
        std::string s = detail::clip(text, max);
        scrub(s);
        detail::redact_number(s, number);
        return s;
    }

    /// At most `n` sends of the API request, its retries included (a poll's share of
    /// poll.max_polls): a failed attempt past them is not retried, and no event tells of a retry.
    void limit_sends(int n) noexcept { max_sends_ = n; }
    /// Whether the call stopped because limit_sends' sends were spent (its error is the last attempt's).
    bool sends_spent() const noexcept { return send_cap_hit_; }

    /// The lookup this call belongs to, for its events (event::lookup); 0: none.
    void set_lookup_id(std::uint64_t id) noexcept { events_.set_lookup_id(id); }
    std::uint64_t lookup_id() const noexcept { return events_.lookup_id(); }

    bool finished() const noexcept { return phase_ == phase::finished; }
    /// Whether the answer the driver hands in next is the API request's (not the token request's).
    bool awaiting_api_answer() const noexcept { return phase_ == phase::sent; }
    /// A cancel with a request in flight: its request_answered event, with `e` (the call then dies).
    void abandon(const error& e, time_point now) const {
        const bool token = phase_ == phase::token_sent;
        if (hooked() && (token || phase_ == phase::sent))
            events_.answered(context(token ? operation::token : op_), result<http::response>(e), now, scrubber());
    }
    /// The operation took the API answer as its result (a "no contact" 404): the call ends, answered.
    void answer_taken(const http::response& r, time_point now) {
        last_now_ = now;
        phase_ = phase::finished;
        if (hooked()) events_.answered(context(op_), result<http::response>(r), now, scrubber());
    }
    /// When the API request (its last attempt) went out; the lookup schedules polls from it.
    time_point sent_at() const noexcept { return sent_at_; }
    /// The 2xx response, or the error. Valid once finished().
    result<http::response>& outcome() noexcept { return outcome_; }
    token_cache& tokens() { return s_.tokens(cred_); }
    const op_deadline& deadline() const noexcept { return deadline_; }
    const session& owner() const noexcept { return s_; }
    std::size_t credential() const noexcept { return cred_; }

private:
    using phase = detail::call_phase;

    failed_attempt attempt_base(time_point now) const {
        failed_attempt a;
        a.idempotent = idempotent_;
        a.retries = retries_;
        a.cut_by_deadline = cut_by_deadline_;
        a.time_left = remaining(now, deadline_.until());
        return a;
    }

    // Events (events.hpp, call_events.hpp): built only when the configuration has a hook.
    bool hooked() const noexcept { return static_cast<bool>(s_.config().on_event); }
    // `attempt`: the token request's tries; the API request's sends so far (each is counted before
    // its request_sent), so a send after a token renewal or on another credential is one more.
    detail::call_context context(operation op) const noexcept {
        return {s_.config(), cred_, op, base_, op == operation::token ? token_retries_ + 1 : std::max(api_sends_, 1)};
    }
    auto scrubber() const {
        return [this](std::string& text) { scrub(text); };
    }

    retry_decision decide(const failed_attempt& a) const {
        if (op_ == operation::poll) {  // two GETs of one execution never closer than poll.min_interval
            retry_decision d = decide_retry(s_.config().retry, a, s_.jitter());
            if (d.what == retry_decision::verdict::retry) d.delay = std::max(d.delay, s_.config().poll.min_interval);
            return d;
        }
        if (op_ != operation::check) return decide_retry(s_.config().retry, a, s_.jitter());
        retry_policy p = s_.config().retry;  // the check reports a 429 within its timeout, never waits one out
        p.rate_limits_extend_deadline = false;
        return decide_retry(p, a, s_.jitter());
    }

    void on_token_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        failed_attempt a = attempt_base(now);
        a.token_request = true;
        a.idempotent = true;
        a.retries = token_retries_;
        if (hooked()) events_.answered(context(operation::token), r, now, scrubber());
        if (!r) {
            error e = std::move(r.error());
            e.message = "token request: " + e.message;
            a.failure = &e;
            const retry_decision d = decide(a);
            return apply(d, std::move(e), now, phase::token_send);
        }
        auto tok = tokens().template complete<J>(*r, sent_at_);
        if (tok) {
            leader_ = false;
            took_token(std::move(*tok));
            phase_ = phase::ready;
            if (hooked()) events_.token_fetched(context(operation::token), now, scrubber());
            return;
        }
        error e = std::move(tok.error());
        a.status = r->status;
        a.failure = &e;
        a.unreadable = r->status >= 200 && r->status <= 299;
        a.read_retry_after(*r, wall_now);
        const retry_decision d = decide(a);
        apply(d, std::move(e), now, phase::token_send);
    }

    // Carries out a decision about the failed attempt whose error is `e`.
    void apply(const retry_decision& decided, error e, time_point now, phase resume) {
        using v = retry_decision::verdict;
        const bool token_attempt = resume == phase::token_send;
        retry_decision d = decided;
        // limit_sends: no send past the cap, on this credential or another.
        const bool capped = !token_attempt && api_sends_ >= max_sends_;
        if (capped && d.what != v::stop) {
            d.what = v::stop;
            d.reason = retry_decision::exhausted;
            d.delay = milliseconds{0};
            d.extends_deadline = false;
            send_cap_hit_ = true;
        }
        e.request = token_attempt ? operation::token : op_;
        // The event says what is done: a move to another credential goes at once (or after the
        // poll floor), not after the Retry-After that paused this one.
        const auto announce = [&](const retry_decision& shown) {
            if (hooked()) events_.decided(context(token_attempt ? operation::token : op_), shown, e, now, scrubber());
        };
        const auto moved = [&](milliseconds after) {
            retry_decision m = d;
            m.what = v::retry;
            m.delay = after;
            m.reason = retry_decision::other_credential;
            return m;
        };
        if (d.what == v::renew_token) {
            announce(d);
            renewed_ = true;
            tokens().invalidate(token_);
            phase_ = phase::need_token;
            return;
        }
        if (d.rate_limited) (token_attempt ? s_.token_budget(cred_) : s_.budget(cred_)).on_rate_limited(now, d.delay);
        // (Stopped because the wait is beyond the ceiling or the deadline: maybe not elsewhere.)
        const bool turned_away =
            !capped && !token_attempt && d.rate_limited &&
            (d.what == v::retry || d.reason == retry_decision::ceiling || d.reason == retry_decision::deadline);
        if (turned_away && requeue_elsewhere(now, now + d.delay)) {
            announce(moved(milliseconds{0}));
            ++retries_;
            phase_ = phase::need_token;  // its place in every queue again: take_turn
            return;
        }
        if (token_attempt && d.rate_limited && d.reason != retry_decision::exhausted &&
            move_off_paused_tokens(now, now + d.delay, e)) {
            announce(moved(milliseconds{0}));
            ++token_retries_;            // counts on across the move (lead_fetch)
            phase_ = phase::need_token;  // with the other credential's token
            return;
        }
        if (turned_away && move_paused_call(now, now + d.delay)) {
            // Two GETs of one execution, never closer than the floor; the rest go again at once.
            const milliseconds floor = op_ == operation::poll ? s_.config().poll.min_interval : milliseconds{0};
            announce(moved(floor));
            ++retries_;
            until_ = now + floor;
            resume_ = phase::need_token;
            phase_ = phase::sleeping;
            return;
        }
        announce(d);
        if (d.what == v::retry) {
            ++(token_attempt ? token_retries_ : retries_);
            until_ = now + d.delay;
            if (d.extends_deadline) credit_wait(now, until_);  // the wait is not charged
            resume_ = resume;
            phase_ = phase::sleeping;
            return;
        }
        if (token_attempt && move_off_refused_credential(now, e)) {
            phase_ = phase::need_token;  // the other credential's token: nothing was sent with this one
            return;
        }
        detail::explain_stop(e, d, token_attempt ? operation::token : op_, op_, cut_by_deadline_, idempotent_,
                             token_attempt ? token_retries_ : retries_);
        finish_void(std::move(e), token_attempt && d.reason == retry_decision::exhausted);
    }

    milliseconds timeout_for(time_point now) const {
        return std::min(s_.config().request_timeout, std::max(remaining(now, deadline_.until()), milliseconds{1}));
    }

    action fail_expired(const std::string& doing) { return finish(detail::expired_error(deadline_, doing)); }
    action fail_paused(time_point now, time_point at) { return finish(detail::paused_error(now, at)); }

    action finish(error e) {
        finish_void(std::move(e));
        return action::done();
    }
    // `spent_fetch`: a token fetch this call led stopped after its retries (token_cache::abandon).
    void finish_void(error e, bool spent_fetch = false) {
        scrub(e);
        release_fetch(e, spent_fetch);
        release_ticket();
        outcome_ = std::move(e);
        phase_ = phase::finished;
    }
};

GCX_NAMESPACE_END

#endif
