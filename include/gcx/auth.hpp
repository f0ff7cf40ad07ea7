// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_AUTH_HPP
#define GCX_AUTH_HPP

// OAuth client credentials, as a shared token cache with a sans-I/O interface.
//
// One cache per set of credentials, shared by every lookup of a client (and every thread).
// A lookup asks acquire(now):
//   ready -> use ticket.token;
//   fetch -> this caller is the one that fetches: send request(), hand the answer to complete(),
//            and on failure either retry (its own decision) or abandon();
//   wait  -> another caller is fetching; wait (wait_for() blocks, on_change() calls back) and
//            ask again with the generation from the ticket;
//   failed-> the fetch this caller waited for failed for a reason that retrying cannot fix.
// So N concurrent lookups cause one token request ("single flight"). A token is renewed
// `refresh_window` before it expires; while that renewal is in flight the other callers go on
// with the old token as long as it has life left (so a refresh holds up only the caller that
// fetches), and a 401 invalidates exactly the token it rejected.

#include <gcx/api_error.hpp>
#include <gcx/clock.hpp>
#include <gcx/error_codes.hpp>
#include <gcx/http.hpp>
#include <gcx/secret.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

namespace detail {
inline std::string base64(std::string_view in) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                 static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += tbl[(n >> 6) & 63];
        out += tbl[n & 63];
    }
    if (i < in.size()) {
        auto n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += i + 1 < in.size() ? tbl[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}
}  // namespace detail

/// The longest token lifetime (`expires_in`, seconds) gcx accepts: 10 years.
inline constexpr std::int64_t max_token_lifetime = 10LL * 365 * 86400;

/// A parsed token answer.
struct token_grant {
    secret access_token;
    std::chrono::seconds expires_in{0};
};

/// Parses a 2xx answer of POST /oauth/token: {"access_token", "token_type":"bearer", "expires_in"}.
template <class J>
result<token_grant> parse_token_response(std::string_view body) {
    auto bad = [](std::string why) {
        error e = make_error(errc::protocol, "unreadable token response: " + std::move(why),
                             "the login URL may point at something that is not Genesys Cloud's /oauth/token "
                             "(a wrong region or GCX_LOGIN_URL, a proxy or captive portal answering instead)");
        e.code = std::string(codes::token_response);
        return e;
    };
    auto v = J::parse(body, 16);
    if (!v) return bad("not JSON");
    if (J::kind_of(*v) != json::kind::object) return bad("not a JSON object");
    const auto* tok = J::find(*v, "access_token");
    if (!tok || J::kind_of(*tok) != json::kind::string || J::get_string(*tok).empty()) return bad("no access_token");
    // The token goes into an Authorization header as it is: a byte that cannot stand there (a
    // space, CR/LF or another control character, non-ASCII) is the server's fault, not the caller's.
    for (char c : J::get_string(*tok))
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return bad("access_token has a character that cannot be sent in a header (a space, a control "
                       "character or non-ASCII)");
    if (const auto* tt = J::find(*v, "token_type")) {
        if (J::kind_of(*tt) != json::kind::string || !http::iequals(J::get_string(*tt), "bearer"))
            return bad("token_type is not bearer");
    }
    // Genesys always sends expires_in; if a proxy drops it, assume the documented default (24 h).
    // Present, it must be a JSON integer (no string, fraction or exponent) in (0, 10 years].
    std::int64_t exp = 86400;
    if (const auto* e = J::find(*v, "expires_in")) {
        if (J::kind_of(*e) != json::kind::integer) return bad("expires_in is not an integer");
        exp = J::get_int(*e);
    }
    if (exp <= 0 || exp > max_token_lifetime) return bad("expires_in out of range");
    return token_grant{secret(std::string(J::get_string(*tok))), std::chrono::seconds{exp}};
}

class token_cache {
public:
    enum class state { ready, fetch, wait, failed };

    struct ticket {
        state st = state::wait;
        secret token;                  ///< for ready
        std::uint64_t generation = 0;  ///< for wait: pass it back to acquire() and wait_for()
        gcx::error failure;            ///< for failed
    };

    static constexpr std::uint64_t no_generation = ~std::uint64_t{0};

    /// `refused_backoff`: how long a refusal of the credentials (or another failure that another
    /// try cannot fix) is remembered: every caller gets it at once, without a token request.
    token_cache(std::string client_id, secret client_secret, std::string login_base_url,
                std::chrono::seconds refresh_window = std::chrono::seconds{60},
                milliseconds refused_backoff = milliseconds{60000})
        : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)),
          token_url_(std::move(login_base_url) + "/oauth/token"), refresh_window_(refresh_window),
          // At most 400 days: added to a time point, a longer one (max() for "for ever") would
          // overflow into the past and forget the refusal at once.
          refused_backoff_(std::clamp<milliseconds>(refused_backoff, milliseconds{0}, longest_wait)) {}

    token_cache(const token_cache&) = delete;
    token_cache& operator=(const token_cache&) = delete;

    /// What the caller should do to get a token. `waited` is the generation of a previous
    /// `wait` ticket (no_generation on a first call).
    ticket acquire(time_point now, std::uint64_t waited = no_generation) {
        std::lock_guard<std::mutex> lk(m_);
        ticket t;
        // Hands out the token held, if `now` is before `until` (stale_at_: it is fresh;
        // usable_until_: it is lent out while it still works).
        const auto lend = [&](time_point until) {
            if (token_.empty() || now >= until) return false;
            t.st = state::ready;
            t.token = token_;
            return true;
        };
        if (lend(stale_at_)) return t;
        if (fetching_) {
            if (lend(usable_until_)) return t;  // a renewal in flight: the old one still works
            t.st = state::wait;
            t.generation = generation_;
            return t;
        }
        // The last fetch ended in a failure that another try cannot fix: the callers that waited
        // for it, and every caller until the back-off has passed, get it as it is; so do the
        // callers that waited for a fetch that spent its retries (abandon). A token obtained
        // before it (a refused renewal) is lent out until a little before it expires.
        const bool waited_for_it = waited != no_generation && waited < generation_;
        if (has_failure_ && ((!is_transient(failure_) && (now < failed_until_ || waited_for_it)) ||
                             (failure_spent_ && waited_for_it))) {
            if (lend(usable_until_)) return t;
            t.st = state::failed;
            t.failure = failure_;
            return t;
        }
        fetching_ = true;
        t.st = state::fetch;
        return t;
    }

    /// The token held while it is fresh (before its renewal is due), without leading a fetch or
    /// waiting for one: what a call can send with at once on this credential.
    std::optional<secret> fresh_token(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        if (token_.empty() || now >= stale_at_) return std::nullopt;
        return token_;
    }

    /// Whether a caller leads a token fetch now (when it ends is not known).
    bool fetching() const {
        std::lock_guard<std::mutex> lk(m_);
        return fetching_;
    }

    /// The token request (Basic auth, form body). Only the fetching caller sends it.
    http::request request(milliseconds timeout) const {
        http::request r;
        r.verb = http::method::post;
        r.url = token_url_;
        r.fields.push_back({"Authorization", "Basic " + detail::base64(client_id_ + ":" + client_secret_.reveal())});
        r.fields.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        r.fields.push_back({"Accept", "application/json"});
        r.body = "grant_type=client_credentials";
        r.timeout = timeout;
        return r;
    }

    /// The fetching caller hands in the answer to the request it sent at `sent` (the token's life
    /// is counted from then: the server may have issued it at once, and a slow answer must not
    /// make it look younger). On success the token is stored, waiters are woken, and the token is
    /// returned. On failure the fetch stays in flight: the caller retries (same request) or calls
    /// abandon().
    template <class J>
    result<secret> complete(const http::response& r, time_point sent) {
        if (r.status < 200 || r.status > 299) return error_from_response<J>(r, operation::token);
        auto g = parse_token_response<J>(r.body);
        if (!g) return g.error();
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard<std::mutex> lk(m_);
            token_ = g->access_token;
            // A short-lived token renews at half its life at the latest, never "always stale".
            auto window = std::min<std::chrono::seconds>(refresh_window_, g->expires_in / 2);
            stale_at_ = sent + (g->expires_in - window);
            // Lent out during a renewal until a little before it expires (a tenth of its life,
            // 1 to 10 s, and never past half of it: the request's own time on the way).
            const auto margin = std::min(
                std::clamp<std::chrono::seconds>(g->expires_in / 10, std::chrono::seconds{1}, std::chrono::seconds{10}),
                g->expires_in / 2);
            usable_until_ = sent + (g->expires_in - margin);
            fetching_ = false;
            has_failure_ = false;
            ++generation_;
            ++tokens_fetched_;
            cbs.swap(callbacks_);
        }
        cv_.notify_all();
        for (auto& cb : cbs) cb();
        return g->access_token;
    }

    /// The fetching caller gives up with `e` at `now`; waiters wake and either fail with it (when
    /// it is not transient: then every caller does, for the back-off) or take over the fetch.
    /// `spent`: the caller gave up because it spent its retries on `e` (a login URL that refused
    /// every connection, a token endpoint answering 5xx each time), not for a reason of its own
    /// (its deadline, a cancel, a move to another credential): the callers that waited for this
    /// fetch fail with it too, instead of each trying as many times again. Later callers try anew.
    void abandon(const gcx::error& e, time_point now, bool spent = false) {
        std::vector<std::function<void()>> cbs;
        {
            std::lock_guard<std::mutex> lk(m_);
            fetching_ = false;
            has_failure_ = true;
            failure_ = e;
            failure_spent_ = spent;
            if (!is_transient(e)) {
                failed_until_ = now + refused_backoff_;
                ++refusals_;
            }
            ++generation_;
            cbs.swap(callbacks_);
        }
        cv_.notify_all();
        for (auto& cb : cbs) cb();
    }

    /// Blocks until the fetch of `generation` ended or `max_wait` passed (synchronous drivers).
    void wait_for(std::uint64_t generation, milliseconds max_wait) {
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait_for(lk, max_wait, [&] { return generation_ != generation || !fetching_; });
    }

    /// Calls `cb` once, when the fetch in flight ends (asynchronous drivers). If none is in
    /// flight, calls it at once.
    void on_change(std::function<void()> cb) {
        {
            std::lock_guard<std::mutex> lk(m_);
            if (fetching_) {
                callbacks_.push_back(std::move(cb));
                return;
            }
        }
        cb();
    }

    /// A 401 said `rejected` is no good: drop it, unless a newer token already replaced it.
    void invalidate(const secret& rejected) {
        std::lock_guard<std::mutex> lk(m_);
        if (token_ == rejected) token_ = secret();
    }

    /// The API answered a request made with one of this cache's tokens (a 2xx).
    void accepted() noexcept {
        if (!accepted_.load(std::memory_order_relaxed)) accepted_.store(true, std::memory_order_relaxed);
    }
    /// Whether the API ever took one of its tokens: then a 401 is no refusal of the credentials.
    bool ever_accepted() const noexcept { return accepted_.load(std::memory_order_relaxed); }

    /// A 401 refused `rejected` though it was fresh (the API does not take this client's tokens:
    /// an IP allow-list, a client of another org or region): remembered as a refusal of the
    /// credentials (`e`, scrubbed), so that no lookup fetches a token only to have it refused
    /// until the back-off has passed. Nothing changes if a newer token already replaced it.
    /// What later lookups fail with is `e`'s status, code, hint and correlation id, never the
    /// server's message, path or execution id: the answer was to one lookup's request, and may
    /// quote its inputs (its phone number), which no other lookup may show.
    void refuse(const secret& rejected, const gcx::error& e, time_point now) {
        std::lock_guard<std::mutex> lk(m_);
        if (fetching_ || !(token_ == rejected || token_.empty())) return;
        token_ = secret();
        has_failure_ = true;
        failure_ = e;
        failure_.message = "an earlier request was answered HTTP " + std::to_string(e.http_status) +
                           (e.code.empty() ? std::string() : " (" + e.code + ")") +
                           " with a fresh token of this OAuth client; remembered: lookups on it fail without "
                           "asking again for " +
                           std::to_string(refused_backoff_.count() / 1000) + " s";
        failure_.path.clear();
        failure_.execution_id.clear();
        failed_until_ = now + refused_backoff_;
        ++refusals_;
    }

    /// Whether a lookup given these credentials at `now` would fail at once: a refusal (a failure
    /// another try cannot fix) is remembered, and no token obtained before it is still fresh.
    /// session::pick and session::sooner_credential pass over such credentials.
    bool refused(time_point now) const {
        std::lock_guard<std::mutex> lk(m_);
        return has_failure_ && !is_transient(failure_) && now < failed_until_ && !fetching_ &&
               (token_.empty() || now >= usable_until_);
    }

    /// How many tokens this cache obtained (for tests and statistics).
    std::uint64_t tokens_fetched() const {
        std::lock_guard<std::mutex> lk(m_);
        return tokens_fetched_;
    }

    /// How many times the credentials were refused (failures remembered for the back-off).
    std::uint64_t refusals() const {
        std::lock_guard<std::mutex> lk(m_);
        return refusals_;
    }

    /// Whether another try may succeed where `e` failed (the next waiter then fetches again).
    /// A 2xx answer that is not a token (a login page, a captive portal) is tried twice by the
    /// fetching caller, then remembered like a refusal, as a redirect (a wrong login URL) is: the
    /// login URL answers that way every time, and each lookup of a batch asking again cost two
    /// requests at the token pace for the same error.
    static bool is_transient(const gcx::error& e) noexcept {
        const errc k = e.kind;
        return (k == errc::transport || k == errc::timeout || k == errc::rate_limited || k == errc::server ||
                k == errc::protocol) &&
               !detail::is_permanent_transport_failure(e) && e.code != codes::retry_ceiling &&
               e.code != codes::redirect &&      // a redirect is the URL's answer, every time
               e.code != codes::token_response;  // and so is a login page
    }

private:
    const std::string client_id_;
    const secret client_secret_;
    const std::string token_url_;
    const std::chrono::seconds refresh_window_;
    const milliseconds refused_backoff_;

    mutable std::mutex m_;
    std::condition_variable cv_;
    secret token_;
    time_point stale_at_{};
    time_point usable_until_{};
    bool fetching_ = false;
    bool has_failure_ = false;
    bool failure_spent_ = false;  ///< the fetch that failed spent its retries (abandon)
    gcx::error failure_;
    time_point failed_until_{};
    std::uint64_t refusals_ = 0;
    std::uint64_t generation_ = 0;
    std::uint64_t tokens_fetched_ = 0;
    std::vector<std::function<void()>> callbacks_;
    std::atomic<bool> accepted_{false};  // accepted()
};

GCX_NAMESPACE_END

#endif
