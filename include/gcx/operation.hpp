// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_OPERATION_HPP
#define GCX_OPERATION_HPP

// The shared vocabulary of gcx's sans-I/O operations: api_call (one request, with its token and
// retries), lookup_operation (launch and poll a flow), direct_lookup_operation (External
// Contacts), and strategy_operation (one of those, or the flow then the direct lookup), which is
// what both shipped drivers run.
//
// The contract, the same for every operation:
//   action next(time_point now)
//       What to do now: send a request, sleep until a time, wait for the token cache, or done.
//       Call it again after each send (once its answer was handed in), sleep or wait.
//   void on_response(result<http::response> answer, time_point now, system_clock::time_point wall_now)
//       The transport's answer to the last `send` (an error when the exchange failed). `now` is
//       the driver's monotonic clock, `wall_now` its wall clock (for an HTTP-date Retry-After).
//   token_cache& tokens()     the cache to wait on for action::type::wait_token
//   bool done() const         true once next() answered done; then take_result()
//
// An operation reads no clock and performs no I/O: every time is handed in by the driver. It
// holds a gcx::session (a cheap handle: the checked configuration, the token cache, the request
// budget and the run-time statistics, all shared with the client that made it), so it may outlive
// the client. It is movable, not thread-safe: one driver steps it at a time.

#include <gcx/clock.hpp>
#include <gcx/http.hpp>

#include <cstdint>
#include <functional>
#include <random>

GCX_NAMESPACE_BEGIN

namespace detail {
/// What gcx says of each operation, in one place (one switch, so the compiler names an
/// operation added without its line): its short name, its description, and the permission
/// Genesys requires for it (docs/genesys-api.md 1.7, 5.2, 11.4; none for a token or the check).
struct operation_facts {
    const char* name;
    const char* description;
    const char* permission;
};
inline operation_facts facts_of(operation op) noexcept {
    switch (op) {
    case operation::token: return {"token", "token request", ""};
    case operation::launch: return {"launch", "flow launch", "architect:flow:launch"};
    case operation::poll: return {"poll", "execution poll", "architect:flowExecution:view"};
    case operation::direct_lookup: return {"direct_lookup", "external contact lookup", "externalContacts:contact:view"};
    case operation::data_action: return {"data_action", "data action execution", "integrations:action:execute"};
    case operation::check: return {"check", "preflight check request", ""};
    }
    return {"request", "request", ""};
}
}  // namespace detail

inline const char* to_string(operation op) noexcept { return detail::facts_of(op).description; }

/// The permission Genesys requires for each call ("" for a token request or the check's reads).
inline const char* required_permission(operation op) noexcept { return detail::facts_of(op).permission; }

/// The operation's short name for logs and events: "token", "launch", "poll", "direct_lookup",
/// "data_action", "check" (the preflight check's reads).
inline const char* name(operation op) noexcept { return detail::facts_of(op).name; }

/// What a sans-I/O operation asks its driver to do next.
struct action {
    enum class type { send, sleep, wait_token, done };
    type kind = type::done;
    http::request request;         ///< send: the request, Authorization included
    time_point until{};            ///< sleep: wake at; wait_token: wait no longer than
    std::uint64_t generation = 0;  ///< wait_token: pass to token_cache::wait_for

    static action done() { return action{}; }
    static action sleep(time_point t) {
        action a;
        a.kind = type::sleep;
        a.until = t;
        return a;
    }
};

/// Source of jitter in [0, 1). Injectable so that tests see exact delays.
using jitter_fn = std::function<double()>;

namespace detail {
inline double default_jitter() {
    thread_local std::minstd_rand gen{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}
}  // namespace detail

GCX_NAMESPACE_END

#endif
