// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CLIENT_HPP
#define GCX_CLIENT_HPP

// basic_client<Transport, Json, Clock>: the synchronous driver most users call.
//
//   Transport: anything with   result<http::response> send(const http::request&)
//              (gcx::adapters::curl_transport, httplib_transport, or your own; it must be safe to
//              call from several threads at once if the client is). The request carries no Host
//              or Content-Length header: the transport adds what its HTTP stack needs.
//   Json:      a backend traits type (gcx::json::boost_json, gcx::json::nlohmann, or your own).
//   Clock:     gcx::steady_clock, or a test clock (see clock.hpp). The client is the only part
//              of gcx that asks a clock for the time; the operations are handed it.
//
// A client is made from a configuration that was checked (basic_client::create, or a
// gcx::session): an invalid one is refused before any request. One client holds one session: one
// token cache and one request budget per credential, shared by every lookup on every thread.
// Share it rather than making one per lookup, or every lookup pays for a token request and
// the budget is not shared.

#include <gcx/check.hpp>
#include <gcx/data_action.hpp>
#include <gcx/direct.hpp>
#include <gcx/lookup.hpp>
#include <gcx/session.hpp>
#include <gcx/strategy.hpp>
#include <gcx/transport.hpp>

#include <utility>

GCX_NAMESPACE_BEGIN

template <class Transport, class Json, class Clock = steady_clock>
class basic_client {
    static_assert(check_transport<Transport>());
    // With a Transport or a Json that the checks refuse, the members' bodies are left out (each
    // `if constexpr (usable)`), so that a program calling them gets the one message of
    // check_transport or check_backend, not others from the bodies (clang goes on after one).
    static constexpr bool usable = is_transport_v<Transport> && json::backend_detail::is_defined<Json>::value;

public:
    using json_type = Json;
    using value_type = json::value_of<Json>;

    /// A client for `cfg`, or the configuration error (no request is sent either way).
    static result<basic_client> create(client_config cfg, Transport transport = Transport{}, Clock clock = Clock{}) {
        auto s = gcx::session::create(std::move(cfg));
        if (!s) return s.error();
        return basic_client(std::move(*s), std::move(transport), std::move(clock));
    }

    /// The same for a configuration that may not have been read (client_config::from_env()).
    static result<basic_client> create(result<client_config> cfg, Transport transport = Transport{},
                                       Clock clock = Clock{}) {
        if (!cfg) return cfg.error();
        return create(std::move(*cfg), std::move(transport), std::move(clock));
    }

    /// A client on a session (shared with other drivers, e.g. an event loop, if wanted).
    explicit basic_client(gcx::session s, Transport transport = Transport{}, Clock clock = Clock{})
        : session_(std::move(s)), transport_(std::move(transport)), clock_(std::move(clock)) {}

    /// Looks up `phone` (E.164; separators such as spaces and dashes are dropped) and returns
    /// the flow's outputData as a JSON object, with the execution's details.
    result<lookup_result<value_type>> lookup(std::string_view phone) {
        if constexpr (usable) return lookup(phone, Json::make_null());
        else return error{};
    }

    /// The same, with extra flow inputs (a JSON object of "Flow.<Var>" keys) sent beside the number.
    ///
    /// config().strategy picks the path (strategy.hpp): the flow (default), a direct External
    /// Contacts lookup (outputs shaped like the flow's: Flow.Found, Flow.MatchCount,
    /// Flow.ContactId, Flow.externalContact), the flow with the direct lookup as fallback when
    /// the flow cannot be launched (403 or 404 on launch), or a data action (config().action;
    /// outputs as the action returns them, execution.found its verdict), alone or with the flow or
    /// the direct lookup as fallback when it cannot run. A data action gets the extra inputs
    /// without their "Flow." prefix. execution.source says which path answered.
    result<lookup_result<value_type>> lookup(std::string_view phone, value_type extra_inputs) {
        if constexpr (usable) {
            strategy_operation<Json> op(session_, phone, clock_.now(), std::move(extra_inputs));
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// Looks up `phone` and maps the flow's outputs into T, a struct described with
    /// BOOST_DESCRIBE_STRUCT whose members name the output variables (member `Found` binds
    /// "Flow.Found"). See reflect.hpp for the rules; gcx::customer_lookup fits the tutorial's flow.
    template <class T>
    result<lookup_result<T>> lookup(std::string_view phone, const map_options& opt = {}) {
        if constexpr (usable) return map_outputs<Json, T>(lookup(phone), opt, e164_or_empty(phone));
        else return error{};
    }

    /// The same with typed extra inputs: a described struct whose members become "Flow.<member>"
    /// entries of inputData, beside the phone number (for a data action: "<member>" inputs).
    template <class T, class Inputs>
    result<lookup_result<T>> lookup(std::string_view phone, const Inputs& inputs, const map_options& opt = {}) {
        if constexpr (usable)
            return map_outputs<Json, T>(lookup(phone, write_inputs<Json>(inputs)), opt, e164_or_empty(phone));
        else return error{};
    }

    /// Every contact with this number, straight from External Contacts (no flow): a JSON array of
    /// ExternalContact, empty when none matched. Same token handling, retries, deadline and errors.
    result<direct_result<value_type>> find_contacts(std::string_view phone) {
        return find_contacts(phone, config().direct);
    }
    result<direct_result<value_type>> find_contacts(std::string_view phone, const direct_options& opt) {
        if constexpr (usable) {
            direct_lookup_operation<Json> op(session_, phone, clock_.now(), opt);
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// Executes the configured data action (config().action, or `opt`) for `phone`, whatever the
    /// strategy: `extra_inputs` (a JSON object keyed as the action names its inputs, or null) go
    /// beside the number. Same token handling, retries, deadline and errors as lookup().
    result<lookup_result<value_type>> execute_action(std::string_view phone) {
        if constexpr (usable) return execute_action(phone, Json::make_null(), config().action);
        else return error{};
    }
    result<lookup_result<value_type>> execute_action(std::string_view phone, value_type extra_inputs) {
        return execute_action(phone, std::move(extra_inputs), config().action);
    }
    result<lookup_result<value_type>> execute_action(std::string_view phone, value_type extra_inputs,
                                                     const data_action_options& opt) {
        if constexpr (usable) {
            data_action_operation<Json> op(session_, phone, clock_.now(), std::move(extra_inputs), opt);
            run(op);
            return op.take_result();
        } else {
            return error{};
        }
    }

    /// The preflight check (check.hpp): credentials, the flow and its input variable, the
    /// permissions that can be probed without side effects, the limits, one round trip. Never
    /// launches a flow. `opt.network` describes this client's transport for the report.
    check_report check(check_options opt = {}) {
        if constexpr (usable) {
            check_operation<Json> op(session_, clock_.now(), std::move(opt));
            run(op);
            return op.take_result();
        } else {
            return check_report{};
        }
    }

    /// The same, and the flow's outputs against what T reads (each member's variable and JSON
    /// type, and the outputs T does not read).
    template <class T>
    check_report check(check_options opt = {}, const map_options& mo = {}) {
        if constexpr (usable) opt.outputs = output_expectations<Json, T>(mo);
        return check(std::move(opt));
    }

    /// Runs any sans-I/O operation to completion on this thread.
    template <class Operation>
    void run(Operation& op) {
        if constexpr (usable) {
            for (;;) {
                action a = op.next(clock_.now());
                switch (a.kind) {
                case action::type::done: return;
                case action::type::send: {
                    auto r = transport_.send(a.request);
                    op.on_response(std::move(r), clock_.now(), clock_.system_now());
                    break;
                }
                case action::type::sleep: clock_.sleep_until(a.until); break;
                case action::type::wait_token:
                    // Another thread is fetching the token. Wait on the real condition variable,
                    // bounded by the lookup's remaining time.
                    op.tokens().wait_for(a.generation, remaining(clock_.now(), a.until));
                    break;
                }
            }
        }
    }

    const client_config& config() const noexcept { return session_.config(); }
    /// What this client's operations share (token caches, budgets, learned run times).
    const gcx::session& session() const noexcept { return session_; }
    /// The token cache of credential `credential` (std::out_of_range past the configured ones).
    token_cache& tokens(std::size_t credential = 0) { return session_.tokens(credential); }
    Transport& transport() noexcept { return transport_; }
    Clock& clock() noexcept { return clock_; }

    /// Replaces the source of retry jitter (values in [0, 1)); for tests and simulations.
    void set_jitter(jitter_fn j) { session_.set_jitter(std::move(j)); }

private:
    // The number as the lookup sends it, to scrub from a mapping error (empty: refused, nothing sent).
    static std::string e164_or_empty(std::string_view phone) {
        auto n = normalize_e164(phone);
        return n ? std::move(*n) : std::string();
    }

    gcx::session session_;
    Transport transport_;
    Clock clock_;
};

GCX_NAMESPACE_END

#endif
