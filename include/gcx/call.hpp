// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CALL_HPP
#define GCX_CALL_HPP

// One logical API call, sans-I/O: get a token (through the shared cache), send, and apply the
// rules of what may be retried, for how long, and what a 401 means. Every operation (launch,
// poll, direct lookup) is a sequence of these.
//
// The driving loop, for any HTTP stack (see client.hpp for the synchronous one):
//   for (;;) {
//     action a = call.next(now);
//     send       -> hand a.request to the transport; call.on_response(answer, now, wall_now)
//     sleep      -> come back at a.until
//     wait_token -> another call is fetching the token: token_cache::wait_for / on_change
//     done       -> call.outcome()
//   }
//
// Rules (design.md, "Errors, retries, time"):
// - 429: wait Retry-After (seconds or HTTP date) unless it exceeds the ceiling or the deadline.
// - 502/503/504 and transport failures: capped exponential backoff with jitter, but only for
//   requests that are safe to repeat. A non-idempotent request (a flow launch) is repeated only
//   when the server certainly did not act on it: 429, 503 with Retry-After, 401 (rejected before
//   processing), or a transport failure with delivery::not_sent.
//   A transport failure the same request would meet again is never retried (see
//   detail::is_permanent_transport_failure): a refused certificate, an oversized answer, a
//   request the transport refused to send (errc::config, errc::invalid_input).
// - 401: invalidate that token, fetch a new one, repeat the call once.
// - Every wait and every request fits inside the one deadline.

#include <gcx/api_error.hpp>
#include <gcx/auth.hpp>
#include <gcx/config.hpp>
#include <gcx/retry.hpp>

#include <atomic>
#include <functional>
#include <random>

GCX_NAMESPACE_BEGIN

/// What a sans-I/O operation asks its driver to do next.
struct action {
    enum class type { send, sleep, wait_token, done };
    type kind = type::done;
    http::request request;         ///< send: the request, Authorization included
    time_point until{};            ///< sleep: wake at; wait_token: wait no longer than
    std::uint64_t generation = 0;  ///< wait_token: pass to token_cache::wait_for
};

/// Source of jitter in [0, 1). Injectable so that tests see exact delays.
using jitter_fn = std::function<double()>;

namespace detail {
inline double default_jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}
} // namespace detail

template <class J>
class api_call {
public:
    api_call(token_cache& tokens, const client_config& cfg, operation op, bool idempotent, time_point deadline,
             jitter_fn jitter = {})
        : tokens_(&tokens), cfg_(&cfg), op_(op), idempotent_(idempotent), deadline_(deadline),
          jitter_(std::move(jitter)) {}

    ~api_call() {
        // Only a call that took the token fetch on itself has something to hand back; the
        // error is built only then (every lookup destroys a few calls).
        if (leader_) release_fetch(make_error(errc::transport, "token fetch abandoned"));
    }
    api_call(api_call&& o) noexcept { *this = std::move(o); }
    api_call& operator=(api_call&& o) noexcept {
        tokens_ = o.tokens_; cfg_ = o.cfg_; op_ = o.op_; idempotent_ = o.idempotent_; deadline_ = o.deadline_;
        jitter_ = std::move(o.jitter_); base_ = std::move(o.base_); phase_ = o.phase_; resume_ = o.resume_;
        until_ = o.until_; waited_ = o.waited_; token_ = std::move(o.token_); leader_ = o.leader_;
        retries_ = o.retries_; token_retries_ = o.token_retries_; repeated_401_ = o.repeated_401_;
        outcome_ = std::move(o.outcome_); sends_ = o.sends_;
        o.leader_ = false;
        return *this;
    }

    /// Starts (or restarts) the call with `base`: everything but Authorization and timeout.
    void start(http::request base) {
        base_ = std::move(base);
        phase_ = phase::need_token;
        retries_ = 0;
        repeated_401_ = false;
        outcome_ = make_error(errc::protocol, "call not finished");
        sends_ = 0;
    }

    action next(time_point now) {
        for (;;) {
            switch (phase_) {
            case phase::finished: return done();
            case phase::sleeping:
                if (now < until_) return sleep(until_);
                phase_ = resume_;
                continue;
            case phase::need_token: {
                if (now >= deadline_) return fail_deadline("waiting for an access token");
                auto t = tokens_->acquire(now, waited_);
                waited_ = token_cache::no_generation;
                switch (t.st) {
                case token_cache::state::ready:
                    token_ = std::move(t.token);
                    phase_ = phase::ready;
                    continue;
                case token_cache::state::fetch:
                    leader_ = true;
                    phase_ = phase::token_send;
                    continue;
                case token_cache::state::wait: {
                    waited_ = t.generation;
                    action a;
                    a.kind = action::type::wait_token;
                    a.until = deadline_;
                    a.generation = t.generation;
                    return a;  // the next call to next() asks the cache again
                }
                case token_cache::state::failed: return finish(t.failure);
                }
                continue;
            }
            case phase::token_send: {
                if (now >= deadline_) return fail_deadline("waiting for an access token");
                phase_ = phase::token_sent;
                action a;
                a.kind = action::type::send;
                a.request = tokens_->request(timeout_for(now));
                ++sends_;
                return a;
            }
            case phase::ready: {
                if (now >= deadline_) return fail_deadline(to_string(op_));
                phase_ = phase::sent;
                action a;
                a.kind = action::type::send;
                // Room for Authorization first, so adding it does not reallocate the copied headers.
                a.request.fields.reserve(base_.fields.size() + 1);
                a.request = base_;
                a.request.fields.push_back({"Authorization", "Bearer " + token_.reveal()});
                a.request.timeout = timeout_for(now);
                cut_by_deadline_ = a.request.timeout < cfg_->request_timeout;
                ++sends_;
                return a;
            }
            case phase::token_sent:
            case phase::sent:
                return sleep(now);  // misuse: waiting for on_response; nothing to do
            }
        }
    }

    /// The transport's answer to the last `send`.
    void on_response(result<http::response> r, time_point now,
                     std::chrono::system_clock::time_point wall_now = std::chrono::system_clock::now()) {
        if (phase_ == phase::token_sent) return on_token_response(std::move(r), now, wall_now);
        if (phase_ != phase::sent) return;
        if (!r) {
            error e = std::move(r.error());
            if (e.kind == errc::timeout && cut_by_deadline_) {
                // The request was given only what was left of the lookup's deadline: that deadline,
                // not the request, is what ran out, whichever timer noticed first.
                e.code = "deadline";
                e.message = "the lookup deadline passed during the " + std::string(to_string(op_)) + ": " + e.message;
                e.hint = deadline_hint();
                if (!idempotent_ && e.sent != delivery::not_sent)
                    e.hint += "; the " + std::string(to_string(op_)) + " may have reached Genesys Cloud, so it was not sent again";
                finish(std::move(e));
                return;
            }
            if (detail::is_permanent_transport_failure(e)) {
                finish(std::move(e));
                return;
            }
            bool safe = idempotent_ || e.sent == delivery::not_sent;
            if (!safe) {
                e.hint = std::string("the ") + to_string(op_) +
                         " may have reached Genesys Cloud, so it was not sent again (a second launch could start a second flow)";
                finish(std::move(e));
                return;
            }
            schedule_retry(std::move(e), backoff(retries_), now, phase::ready, retries_);
            return;
        }
        http::response& resp = *r;
        if (resp.status >= 200 && resp.status <= 299) {
            outcome_ = std::move(resp);
            phase_ = phase::finished;
            return;
        }
        if (resp.status == 401 && !repeated_401_) {
            repeated_401_ = true;
            tokens_->invalidate(token_);
            phase_ = phase::need_token;
            return;
        }
        error e = error_from_response<J>(resp, op_);
        const auto* retry_after = resp.header("Retry-After");
        if (resp.status == 429) {
            schedule_retry(std::move(e), retry_after_delay(retry_after, wall_now), now, phase::ready, retries_);
            return;
        }
        bool transient = resp.status == 502 || resp.status == 503 || resp.status == 504;
        bool certainly_not_processed = resp.status == 503 && retry_after;
        if (transient && (idempotent_ || certainly_not_processed)) {
            auto d = retry_after ? retry_after_delay(retry_after, wall_now) : backoff(retries_);
            schedule_retry(std::move(e), d, now, phase::ready, retries_);
            return;
        }
        finish(std::move(e));
    }

    /// Schedules the same request again after a backoff because its 2xx answer could not be
    /// read (only sensible for idempotent calls). Returns false (and finishes) when no retry is left.
    bool retry_unreadable(error e, time_point now) {
        phase_ = phase::sent;
        schedule_retry(std::move(e), backoff(retries_), now, phase::ready, retries_);
        return phase_ != phase::finished;
    }

    /// Removes every credential this call knows (token, secret, Basic credential) from `e`:
    /// whatever a server echoed back, no credential leaves in an error.
    void scrub(error& e) const {
        if (!token_.empty()) detail::redact(e, token_.reveal());
        detail::redact(e, cfg_->client_secret.reveal());
        detail::redact(e, detail::base64(cfg_->client_id + ":" + cfg_->client_secret.reveal()));
    }

    bool finished() const noexcept { return phase_ == phase::finished; }
    /// The 2xx response, or the error. Valid once finished().
    result<http::response>& outcome() noexcept { return outcome_; }
    /// How many requests (token and API) this call sent.
    int sends() const noexcept { return sends_; }
    token_cache& tokens() noexcept { return *tokens_; }
    time_point deadline() const noexcept { return deadline_; }

private:
    enum class phase { need_token, token_send, token_sent, ready, sent, sleeping, finished };

    void on_token_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (!r) {
            error e = std::move(r.error());
            e.message = "token request: " + e.message;
            if (detail::is_permanent_transport_failure(e)) {
                finish(std::move(e));
                return;
            }
            schedule_retry(std::move(e), backoff(token_retries_), now, phase::token_send, token_retries_);
            return;
        }
        auto tok = tokens_->template complete<J>(*r, now);
        if (tok) {
            leader_ = false;
            token_ = std::move(*tok);
            phase_ = phase::ready;
            return;
        }
        error e = std::move(tok.error());
        const auto* ra = r->header("Retry-After");
        int s = r->status;
        if (e.kind == errc::rate_limited || s == 502 || s == 503 || s == 504 || e.kind == errc::protocol) {
            auto d = (s == 429 || s == 503) && ra ? retry_after_delay(ra, wall_now) : backoff(token_retries_);
            schedule_retry(std::move(e), d, now, phase::token_send, token_retries_);
            return;
        }
        finish(std::move(e));
    }

    milliseconds backoff(int index) const {
        return backoff_delay(cfg_->retry, index, jitter_ ? jitter_() : detail::default_jitter());
    }

    milliseconds retry_after_delay(const std::string* header, std::chrono::system_clock::time_point wall_now) const {
        if (!header) return cfg_->retry.retry_after_default;
        auto s = parse_retry_after(*header, wall_now);
        if (!s) return cfg_->retry.retry_after_default;
        return *s;
    }

    // Retry after `delay` (resuming at `resume`), or give up with `e` when the retries are spent,
    // the delay exceeds the Retry-After ceiling, or it would end past the deadline.
    void schedule_retry(error e, milliseconds delay, time_point now, phase resume, int& counter) {
        if (counter >= cfg_->retry.max_retries) {
            e.message += " (after " + std::to_string(counter) + " retries)";
            finish(std::move(e));
            return;
        }
        if (delay > cfg_->retry.retry_after_ceiling) {
            e.hint = "the server asked to wait " + std::to_string(delay.count() / 1000) +
                     " s, more than the retry ceiling; " + e.hint;
            finish(std::move(e));
            return;
        }
        if (now + delay >= deadline_) {
            e.message += " (no time left in the lookup deadline to retry)";
            finish(std::move(e));
            return;
        }
        ++counter;
        until_ = now + delay;
        resume_ = resume;
        phase_ = phase::sleeping;
    }

    milliseconds timeout_for(time_point now) const {
        return std::min(cfg_->request_timeout, std::max(remaining(now, deadline_), milliseconds{1}));
    }

    static const char* deadline_hint() noexcept {
        return "raise the lookup timeout, or check network access to Genesys Cloud";
    }

    action fail_deadline(const std::string& doing) {
        error e = make_error(errc::timeout, "the lookup deadline passed during the " + doing, deadline_hint());
        e.code = "deadline";
        return finish(std::move(e));
    }

    action finish(error e) {
        scrub(e);
        release_fetch(e);
        outcome_ = std::move(e);
        phase_ = phase::finished;
        return done();
    }

    // A caller that took the token fetch on itself must hand it back when it stops trying.
    void release_fetch(const error& e) {
        if (leader_ && tokens_) tokens_->abandon(e);
        leader_ = false;
    }

    static action done() { return action{}; }
    static action sleep(time_point t) {
        action a;
        a.kind = action::type::sleep;
        a.until = t;
        return a;
    }

    token_cache* tokens_ = nullptr;
    const client_config* cfg_ = nullptr;
    operation op_ = operation::launch;
    bool idempotent_ = false;
    time_point deadline_{};
    jitter_fn jitter_;
    http::request base_;
    phase phase_ = phase::finished;
    phase resume_ = phase::ready;
    time_point until_{};
    std::uint64_t waited_ = token_cache::no_generation;
    secret token_;
    bool leader_ = false;
    int retries_ = 0;
    int token_retries_ = 0;
    bool repeated_401_ = false;
    bool cut_by_deadline_ = false;  // the request in flight was given less than request_timeout
    result<http::response> outcome_{make_error(errc::protocol, "call not started")};
    int sends_ = 0;
};

GCX_NAMESPACE_END

#endif
