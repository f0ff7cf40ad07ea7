// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CALL_EVENTS_HPP
#define GCX_CALL_EVENTS_HPP

// detail::call_events: what an api_call (call.hpp) keeps and does to raise its events
// (events.hpp): the lookup it belongs to, the path its events show, when its request went out and
// since when it waits for the budget; and the events themselves, built from the call's context
// and scrubbed with the call's own scrubber (which knows the credentials). Sans-I/O like the call:
// every time is handed in. Nothing here runs unless the configuration has a hook.

#include <gcx/api_error.hpp>
#include <gcx/clock.hpp>
#include <gcx/config.hpp>
#include <gcx/events.hpp>
#include <gcx/retry.hpp>

#include <cstdint>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace detail {

/// The call an event is about, as api_call describes it at the time.
struct call_context {
    const client_config& cfg;
    std::size_t credential;
    operation op;               ///< the call's operation, or operation::token for its token request
    const http::request& base;  ///< the call's request (not used for a token request)
    int attempt;                ///< 1 for the first try
};

class call_events {
public:
    void set_lookup_id(std::uint64_t id) noexcept { lookup_id_ = id; }
    std::uint64_t lookup_id() const noexcept { return lookup_id_; }
    /// The path events show instead of the URL's (a server-chosen id before scrubbing); empty: the URL's.
    void set_shown_path(std::string path) { shown_path_ = std::move(path); }

    /// The request went out now (its answer's duration counts from here).
    void sent(time_point now) noexcept { sent_at_ = now; }
    /// The call was told to wait for the budget (only the first of a row of waits counts).
    void wait(time_point now) noexcept {
        if (waiting_) return;
        waiting_ = true;
        wait_since_ = now;
    }

    /// Raises `k` about the call in `c`, with its method, path (scrubbed), attempt, credential and
    /// lookup; `fill` adds the rest.
    template <class Scrub, class Fill>
    void raise(event_kind k, const call_context& c, time_point now, const Scrub& scrub, Fill&& fill) const {
        const bool token = c.op == operation::token;
        std::string path = token                 ? std::string(event_path(c.cfg.endpoints.login)) + "/oauth/token"
                           : shown_path_.empty() ? std::string(event_path(c.base.url))
                                                 : shown_path_;
        scrub(path);
        event e;
        e.kind = k;
        e.at = now;
        e.lookup = lookup_id_;
        e.operation = c.op;
        e.credential = c.credential;
        e.method = token ? "POST" : http::to_string(c.base.verb);
        e.path = path;
        e.attempt = c.attempt;
        fill(e);
        detail::raise(c.cfg.on_event, e);
    }

    /// request_sent, after the budget_wait that ended with it (if it waited).
    template <class Scrub>
    void request_sent(const call_context& c, time_point now, const Scrub& scrub) {
        if (waiting_) {
            waiting_ = false;
            raise(event_kind::budget_wait, c, now, scrub, [&](event& e) { e.duration = remaining(wait_since_, now); });
        }
        raise(event_kind::request_sent, c, now, scrub, [](event&) {});
    }

    /// request_answered: the status (and correlation id), or the failure's kind and code.
    template <class Scrub>
    void answered(const call_context& c, const result<http::response>& r, time_point now, const Scrub& scrub) const {
        std::string code;
        if (!r) {
            code = r.error().code;
            scrub(code);
        }
        raise(event_kind::request_answered, c, now, scrub, [&](event& e) {
            e.duration = remaining(sent_at_, now);
            if (r) {
                e.status = r->status;
                if (const auto* id = r->header("ININ-Correlation-Id")) e.correlation_id = event_safe_id(*id);
            } else {
                e.error_kind = to_string(r.error().kind);
                e.error_code = event_safe_code(code);
            }
        });
    }

    /// token_fetched: the token request in `c` gave a token.
    template <class Scrub>
    void token_fetched(const call_context& c, time_point now, const Scrub& scrub) const {
        raise(event_kind::token_fetched, c, now, scrub, [&](event& e) { e.duration = remaining(sent_at_, now); });
    }

    /// What was decided about a failed attempt: retry_scheduled (a retry, or a token renewal), or
    /// token_refused for a token request that stops. (A call that stops otherwise shows in its
    /// operation's outcome.)
    template <class Scrub>
    void decided(const call_context& c, const retry_decision& d, const error& failure, time_point now,
                 const Scrub& scrub) const {
        using v = retry_decision::verdict;
        if (d.what == v::stop && c.op != operation::token) return;
        std::string code = failure.code;
        scrub(code);
        const event_kind k = d.what == v::stop ? event_kind::token_refused : event_kind::retry_scheduled;
        raise(k, c, now, scrub, [&](event& e) {
            e.status = failure.http_status;
            e.error_kind = to_string(failure.kind);
            e.error_code = event_safe_code(code);
            if (d.what == v::retry) {
                e.reason = d.reason;
                e.duration = d.delay;
            } else if (d.what == v::renew_token) {
                e.reason = "token_renewal";
            }
        });
    }

private:
    std::string shown_path_;
    std::uint64_t lookup_id_ = 0;
    time_point sent_at_{};
    time_point wait_since_{};
    bool waiting_ = false;
};

}  // namespace detail
GCX_NAMESPACE_END

#endif
