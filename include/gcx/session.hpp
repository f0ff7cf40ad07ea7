// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SESSION_HPP
#define GCX_SESSION_HPP

// gcx::session: what every operation of one client shares, behind one cheap, copyable handle:
//   - the configuration, checked once when the session is made (a session cannot hold an
//     invalid one, so no operation validates it again);
//   - per credential: the token cache, the request budget (request_governor) and the token
//     requests' own budget;
//   - the run times learned per flow (run_time_stats), for the poll schedule;
//   - a launch's 404 (no such flow), remembered for a while (refusal_memory);
//   - the source of retry jitter.
// basic_client holds one; drivers of their own (an event loop, Asio) make one with
// session::create and hand it to each operation. Copies share everything; thread-safe.

#include <gcx/auth.hpp>
#include <gcx/config.hpp>
#include <gcx/governor.hpp>
#include <gcx/linkage.hpp>
#include <gcx/operation.hpp>
#include <gcx/poll_schedule.hpp>
#include <gcx/refusal_memory.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

class session {
public:
    /// A session for `cfg`, or the configuration error (nothing is sent either way).
    static result<session> create(client_config cfg, jitter_fn jitter = {});

    const client_config& config() const noexcept { return s_->cfg; }
    /// False only for a session that was moved from.
    bool valid() const noexcept { return s_ != nullptr; }

    /// How many credentials (OAuth clients) the session spreads its requests over.
    std::size_t credentials() const noexcept { return s_->creds.size(); }
    token_cache& tokens(std::size_t credential = 0) const { return s_->creds.at(credential)->tokens; }
    request_governor& budget(std::size_t credential = 0) const { return s_->creds.at(credential)->budget; }
    request_governor& token_budget(std::size_t credential = 0) const { return s_->creds.at(credential)->token_budget; }
    run_time_stats& run_times() const noexcept { return s_->runs; }
    /// A launch answered 404 (no such flow), remembered: refused_launches().recall(now).
    refusal_memory& refused_launches() const noexcept { return s_->launches_refused; }

    /// The credential a new lookup should use: the one whose budget has room first; among those
    /// with room now, the one given the fewest lookups (lookups made together spread evenly).
    /// Credentials whose refusal is remembered (token_cache::refused) are passed over while any
    /// other is left: their budget is always free, as nothing can be sent with them.
    std::size_t pick(time_point now) const {
        std::size_t best = 0;
        time_point best_at = time_point::max();
        std::uint64_t best_count = 0;
        bool best_refused = true;
        for (std::size_t i = 0; i < s_->creds.size(); ++i) {
            const bool refused = s_->creds.size() > 1 && s_->creds[i]->tokens.refused(now);
            if (refused && !best_refused) continue;
            const auto at = could_send_at(i, now);
            const auto count = s_->creds[i]->picked.load(std::memory_order_relaxed);
            if ((best_refused && !refused) || at < best_at || (at == best_at && count < best_count)) {
                best = i;
                best_at = at;
                best_count = count;
                best_refused = refused;
            }
        }
        s_->creds[best]->picked.fetch_add(1, std::memory_order_relaxed);
        return best;
    }

    /// When `current` is refused for good (token_cache::refused: an invalid_client remembered), the
    /// credential not refused whose budget has room first; else `current`.
    std::size_t instead_of_refused(std::size_t current, time_point now) const {
        if (!s_->creds.at(current)->tokens.refused(now)) return current;
        return sooner_credential(current, now, time_point::max());
    }

    /// A number for the next lookup's events (event::lookup): 1, 2, ... per session.
    std::uint64_t next_lookup_id() const noexcept { return s_->lookups.fetch_add(1, std::memory_order_relaxed) + 1; }

    /// A place in the queue of fresh requests (request_governor::admit's ticket), one order for
    /// every credential: a call waiting its turn holds the same ticket in each credential's queue.
    std::uint64_t next_ticket() const noexcept { return s_->tickets.fetch_add(1, std::memory_order_relaxed) + 1; }

    /// When credential `i` could send a request asked for now: when its budget has room, and,
    /// while it holds no fresh token, not before its token requests may go (a 429 pauses them too),
    /// nor, while another caller fetches its token, before that request could time out (when it
    /// ends is unknown: sooner than a long pause, not sooner than a short wait). Every move between
    /// credentials compares these: a call only moves to one that can send clearly sooner, so moves end.
    time_point could_send_at(std::size_t i, time_point now) const {
        const per_credential& c = *s_->creds.at(i);
        const time_point at = c.budget.next_free(now);
        if (c.tokens.fresh_token(now)) return at;
        if (c.tokens.fetching()) return std::max(at, now + s_->cfg.request_timeout);
        return std::max(at, c.token_budget.next_free(now));
    }

    /// The credential other than `current` whose budget has room soonest, if that is before
    /// `before`; else `current` (instead_of_refused). A credential whose refusal is remembered is
    /// never one.
    std::size_t sooner_credential(std::size_t current, time_point now, time_point before) const {
        std::size_t best = current;
        for (std::size_t i = 0; i < s_->creds.size(); ++i) {
            if (i == current || s_->creds[i]->tokens.refused(now)) continue;
            const time_point free_at = could_send_at(i, now);
            if (free_at < before) {
                best = i;
                before = free_at;
            }
        }
        return best;
    }

    /// A jitter value in [0, 1).
    double jitter() const {
        std::lock_guard<std::mutex> lk(s_->jitter_m);
        return s_->jitter ? s_->jitter() : detail::default_jitter();
    }
    /// Replaces the source of retry jitter (for tests and simulations); shared by every copy, and
    /// safe while lookups run (they draw under the same lock).
    void set_jitter(jitter_fn j) {
        std::lock_guard<std::mutex> lk(s_->jitter_m);
        s_->jitter = std::move(j);
    }

private:
    struct per_credential {
        per_credential(const client_config& c, const credential& k)
            : tokens(k.client_id, k.client_secret, c.endpoints.login, c.token_refresh_window,
                     c.refused_credentials_backoff),
              budget(c.budget.requests_per_minute, c.budget),
              token_budget(c.budget.token_requests_per_minute, c.budget) {}
        token_cache tokens;
        request_governor budget;
        request_governor token_budget;
        std::atomic<std::uint64_t> picked{0};  // lookups given this credential
    };
    struct shared {
        explicit shared(milliseconds unknown_target_backoff) : launches_refused(unknown_target_backoff) {}
        client_config cfg;
        std::vector<std::unique_ptr<per_credential>> creds;
        run_time_stats runs;
        refusal_memory launches_refused;
        jitter_fn jitter;
        std::mutex jitter_m;                    // guards jitter: set_jitter may run beside lookups
        std::atomic<std::uint64_t> lookups{0};  // lookup ids handed out
        std::atomic<std::uint64_t> tickets{0};  // places in the fresh requests' queue handed out
    };

    session(client_config cfg, jitter_fn jitter);

    std::shared_ptr<shared> s_;
};

#if GCX_DETAIL_DEFINITIONS
GCX_DETAIL_INLINE result<session> session::create(client_config cfg, jitter_fn jitter) {
    if (auto v = cfg.validate(); !v) return v.error();
    return session(std::move(cfg), std::move(jitter));
}

GCX_DETAIL_INLINE session::session(client_config cfg, jitter_fn jitter)
    : s_(std::make_shared<shared>(cfg.unknown_target_backoff)) {
    s_->cfg = std::move(cfg);
    s_->jitter = std::move(jitter);
    s_->creds.push_back(
        std::make_unique<per_credential>(s_->cfg, credential{s_->cfg.client_id, s_->cfg.client_secret}));
    for (const auto& k : s_->cfg.extra_credentials) s_->creds.push_back(std::make_unique<per_credential>(s_->cfg, k));
}
#endif

GCX_NAMESPACE_END

#endif
