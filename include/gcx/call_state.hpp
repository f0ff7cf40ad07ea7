// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CALL_STATE_HPP
#define GCX_CALL_STATE_HPP

// What one api_call (call.hpp) holds: its session and credential, the request, where it stands,
// its token, its retries, its events and its outcome; and the bookkeeping that needs no JSON
// backend (the waits credited to its deadline, its turn in the budget's queues of every credential,
// its moves between credentials, giving back its place and its lead on a token fetch), the same for every backend. A call is moved
// (an operation kept in a growing container, a lookup replacing its launch call by its poll call);
// its moves are the members' own, so that a member added tomorrow cannot be left out of them. The
// two things that belong to one call at a time, its lead on the token fetch and its place in the
// budget's queue, are handed_over: a move leaves them empty in the source, whose destructor then
// releases nothing.

#include <gcx/auth.hpp>
#include <gcx/call_events.hpp>
#include <gcx/clock.hpp>
#include <gcx/deadline.hpp>
#include <gcx/error.hpp>
#include <gcx/governor.hpp>
#include <gcx/http.hpp>
#include <gcx/operation.hpp>
#include <gcx/result.hpp>
#include <gcx/secret.hpp>
#include <gcx/session.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

GCX_NAMESPACE_BEGIN

namespace detail {

/// A value one object holds at a time: a move hands it over and leaves the source's at T{}.
template <class T>
class handed_over {
public:
    handed_over() = default;
    handed_over(T v) noexcept : v_(v) {}  // implicit, both ways: a drop-in for the T it holds
    handed_over(handed_over&& o) noexcept : v_(std::exchange(o.v_, T{})) {}
    handed_over& operator=(handed_over&& o) noexcept {
        v_ = std::exchange(o.v_, T{});
        return *this;
    }
    operator T&() noexcept { return v_; }

private:
    T v_{};
};

enum class call_phase { need_token, token_send, token_sent, ready, sent, sleeping, finished };

/// Everything an api_call holds. Its moves are the members' own, so that no member can be left
/// out of them; the call's lead on a token fetch and its place in the budget's queue belong to
/// one call at a time and stay empty in the source.
struct api_call_state {
    api_call_state(session s, std::size_t credential, operation op, bool idempotent, request_governor::kind kind,
                   op_deadline deadline)
        : s_(std::move(s)), cred_(credential), op_(op), idempotent_(idempotent), kind_(kind), deadline_(deadline) {}

    session s_;
    std::size_t cred_ = 0;
    operation op_ = operation::launch;
    bool idempotent_ = false;
    request_governor::kind kind_ = request_governor::kind::fresh;
    op_deadline deadline_;
    http::request base_;
    call_phase phase_ = call_phase::finished;
    call_phase resume_ = call_phase::ready;
    time_point until_{};
    time_point last_now_{};
    time_point sent_at_{};
    time_point paused_credit_{};  // waits credited to the deadline up to here (rate_limits_extend_deadline)
    std::uint64_t waited_ = token_cache::no_generation;
    secret token_;
    handed_over<bool> leader_;           // this call fetches the token the others wait for
    handed_over<std::uint64_t> ticket_;  // place in the budget's queue of fresh requests (0: none)
    std::uint64_t place_ = 0;            // the ticket it was let through with (fresh calls; requeue_elsewhere)
    int retries_ = 0;
    int token_retries_ = 0;
    int api_sends_ = 0;                                // sends of the API request, retries included
    int max_sends_ = std::numeric_limits<int>::max();  // limit_sends
    bool send_cap_hit_ = false;                        // a retry was not made: max_sends_ were spent
    bool token_moved_ = false;   // moved off a 429-answered token request: token_retries_ carries on
    std::size_t moves_now_ = 0;  // moves between credentials at moved_at_ (moves_spent)
    time_point moved_at_{};
    bool renewed_ = false;          // a 401 renewed the token; a second 401 in a row stops
    bool cut_by_deadline_ = false;  // the request in flight was given less than request_timeout
    call_events events_;            // its lookup, shown path and times, for events
    result<http::response> outcome_{make_error(errc::protocol, "call not started")};

    /// Whether the call may go with another of the client's credentials: a client of several, and
    /// not a check (it reads with the credential it checks).
    bool may_change_credential() const noexcept { return s_.credentials() > 1 && op_ != operation::check; }

    // Whether the call has moved between credentials twice per credential at this instant already:
    // whatever the budgets say, a step then stops moving (a bound on the loop of next()).
    bool moves_spent(time_point now) {
        if (now != moved_at_) moves_now_ = 0;
        moved_at_ = now;
        return moves_now_ >= 2 * s_.credentials();
    }
    void moved_to(std::size_t credential) {
        ++moves_now_;
        cred_ = credential;
        token_ = secret();
    }

    /// Until when the call may run: its deadline once started, else its queue bound.
    time_point bound() const noexcept { return deadline_.started ? deadline_.until() : deadline_.queue_until; }

    // A started call that waits until `at` for a 429's Retry-After or its credential's budget is
    // not charged for it (its deadline moves by the part not yet credited) while none of its API
    // requests went out (kind fresh: only its token), or with retry.rate_limits_extend_deadline.
    void credit_wait(time_point now, time_point at) {
        const bool fresh = kind_ == request_governor::kind::fresh;
        if (fresh) at = std::min(at, deadline_.queue_until);  // past it, the call fails (queue_timeout)
        const bool extend = s_.config().retry.rate_limits_extend_deadline && op_ != operation::check;
        if (!(fresh || extend) || !deadline_.started || at <= paused_credit_) return;
        deadline_.extend(remaining(std::max(now, paused_credit_), at));
        paused_credit_ = at;
    }

    // A 429 paused the whole credential for longer than the retry ceiling (a daily or org-wide
    // limit), past this call's bound: no use waiting for it, fail now as the 429 itself would.
    bool paused_past_ceiling(const request_governor& g, time_point now, time_point at) const {
        return at >= bound() && g.paused_until() >= at && remaining(now, at) > s_.config().retry.retry_after_ceiling;
    }

    // May the call send now (on cred_, with token_)? `now` if so (it is counted), else when to ask
    // again. A fresh call of a client with several credentials waits in one queue for all of them:
    // it holds the same ticket (session::next_ticket) in the queue of each credential it asks, and
    // goes with the first whose budget has room. So fresh requests leave in the order they were
    // first asked, whichever credential sends them (results printed in input order are not held up
    // behind one credential's longer queue). Besides its own, it asks only the credentials whose
    // token is fresh now (it sends at once with it: no token is fetched for a turn it may not take),
    // never a refused one; it moves to the one that takes it, with that token.
    time_point take_turn(time_point now) {
        if (kind_ != request_governor::kind::fresh) return s_.budget(cred_).admit(now, kind_, ticket_);
        if (ticket_ == 0) ticket_ = s_.next_ticket();
        const bool any = may_change_credential();
        const std::uint64_t held = ticket_;
        time_point at = s_.budget(cred_).admit(now, kind_, ticket_);
        for (std::size_t i = 0; any && at > now && i < s_.credentials(); ++i) {
            if (i == cred_) continue;
            auto token = s_.tokens(i).refused(now) ? std::nullopt : s_.tokens(i).fresh_token(now);
            if (!token) {
                s_.budget(i).forget(ticket_);  // not first there meanwhile (its ticket keeps its order)
                continue;
            }
            const time_point a = s_.budget(i).admit(now, kind_, ticket_);
            if (a > now) {
                at = std::min(at, a);
                continue;
            }
            cred_ = i;
            token_ = std::move(*token);
            at = now;
        }
        if (at <= now) place_ = held;
        if (at <= now && any) {  // its place in the other queues goes
            ticket_ = held;
            release_ticket();
        }
        return at;
    }

    // A fresh request (a launch, a direct lookup, a data action) answered 429 was turned away
    // before anything ran. With several credentials it goes back to its place (the ticket it went
    // with) in the queue of all of them, instead of waiting out the Retry-After on its own (or
    // failing on one beyond the ceiling), when another credential has room before `until`.
    bool requeue_elsewhere(time_point now, time_point until) {
        if (place_ == 0 || !may_change_credential()) return false;
        if (s_.sooner_credential(cred_, now, until) == cred_) return false;
        kind_ = request_governor::kind::fresh;
        ticket_ = place_;
        return true;
    }

    // No credential it asked has room before `at`, and another, whose token it does not hold
    // fresh (being renewed, or never taken: take_turn does not ask it), has room clearly sooner
    // (a 429 paused the call's own, for seconds or for a day): the call moves there and takes that
    // token, keeping its ticket, hence its place in every queue.
    bool move_to_unasked_credential(time_point now, time_point at) {
        if (kind_ != request_governor::kind::fresh || !may_change_credential() || moves_spent(now)) return false;
        for (std::size_t i = 0; i < s_.credentials(); ++i) {
            if (i == cred_ || s_.tokens(i).refused(now) || s_.tokens(i).fresh_token(now)) continue;
            if (s_.could_send_at(i, now) < at - milliseconds{100}) {
                moved_to(i);
                return true;
            }
        }
        return false;
    }

    // A started call (a poll, a retry, a strategy's second path) whose credential a 429 paused
    // until `at` moves to the credential that can send clearly sooner, taking its token: the
    // executions launched on a credential paused for a minute or a day do not wait for it (any of
    // the org's tokens reads an execution). Calls that wait their first turn: take_turn.
    bool move_paused_call(time_point now, time_point at) {
        if (kind_ != request_governor::kind::continuing || !may_change_credential() ||
            s_.budget(cred_).paused_until() < at || moves_spent(now))
            return false;
        const std::size_t best = s_.sooner_credential(cred_, now, at - milliseconds{100});
        if (best == cred_) return false;
        moved_to(best);
        return true;
    }

    // A 429 paused the token requests of the call's credential until `at` (on its own token
    // request, or on the one it was about to send). With several credentials, the call goes with
    // another that can send clearly sooner (session::could_send_at: its budget, and its token
    // requests unless its token is fresh); nothing was sent with this one. The fetch it led ends
    // with `why` (a transient failure: the next waiter fetches, and moves or waits in turn).
    bool move_off_paused_tokens(time_point now, time_point at, const error& why) {
        if (!may_change_credential() || moves_spent(now)) return false;
        const std::size_t i = s_.sooner_credential(cred_, now, at - milliseconds{100});
        if (i == cred_) return false;
        release_fetch(why);
        moved_to(i);
        token_moved_ = true;
        return true;
    }

    // The call's credential is refused for good and another of the client's is not: the call moves
    // there (session::instead_of_refused), as if picked there: with the refused one nothing went out
    // that ran (a token request, or a request answered 401). Each move leaves a refused credential,
    // so they end.
    bool move_off_refused_credential(time_point now, const error& why) {
        if (!may_change_credential()) return false;
        release_fetch(why);  // a fetch this call led ends here either way: the cache records the refusal
        const std::size_t best = s_.instead_of_refused(cred_, now);
        if (best == cred_) return false;
        if (ticket_ != 0) s_.budget(cred_).forget(ticket_);  // its place elsewhere stays: the ticket keeps its order
        cred_ = best;
        token_ = secret();
        return true;
    }

    // A call that stops while it waits its turn for the budget gives its place up (in every
    // credential's queue: take_turn).
    void release_ticket() {
        if (ticket_ != 0 && s_.valid())
            for (std::size_t i = 0; i < s_.credentials(); ++i) s_.budget(i).forget(ticket_);
        ticket_ = 0;
    }

    // The call leads a new token fetch (after a renewal, or on another credential). The count of
    // its token requests' failures starts again, but not after move_off_paused_tokens: a 429 is a
    // 429 on any credential, and two credentials must not trade a call back and forth unbounded.
    void lead_fetch() {
        leader_ = true;
        if (!token_moved_) token_retries_ = 0;
        token_moved_ = false;
    }

    // The call holds a token: a later fetch (a renewal) counts its failures from 0 again.
    void took_token(secret t) {
        token_ = std::move(t);
        token_moved_ = false;
    }

    // A caller that took the token fetch on itself must hand it back when it stops trying.
    void release_fetch(const error& e, bool spent = false) {
        if (leader_) s_.tokens(cred_).abandon(e, last_now_, spent);
        leader_ = false;
    }
};

}  // namespace detail

GCX_NAMESPACE_END

#endif
