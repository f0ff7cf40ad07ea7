// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CLIENT_HPP
#define GCX_CLIENT_HPP

// basic_client<Transport, Json, Clock>: the synchronous driver most users call.
//
//   Transport: anything with   result<http::response> send(const http::request&)
//              (gcx::adapters::curl_transport, httplib_transport, or your own; it must be safe to
//              call from several threads at once if the client is).
//   Json:      a backend traits type (gcx::json::boost_json, gcx::json::nlohmann, or your own).
//   Clock:     gcx::steady_clock, or a test clock (see clock.hpp).
//
// One client holds one token cache: share it (it is thread-safe when the transport is) rather
// than making one per lookup, or every lookup pays for a token request.

#include <gcx/direct.hpp>
#include <gcx/lookup.hpp>
#include <gcx/transport.hpp>

#include <memory>
#include <utility>

GCX_NAMESPACE_BEGIN

template <class Transport, class Json, class Clock = steady_clock>
class basic_client {
    static_assert(check_transport<Transport>());

public:
    using json_type = Json;
    using value_type = json::value_of<Json>;

    explicit basic_client(client_config cfg, Transport transport = Transport{}, Clock clock = Clock{})
        : cfg_(std::make_shared<const client_config>(std::move(cfg))),
          tokens_(std::make_shared<token_cache>(cfg_->client_id, cfg_->client_secret, cfg_->endpoints.login,
                                                cfg_->token_refresh_window)),
          transport_(std::move(transport)), clock_(std::move(clock)) {}

    /// Looks up `phone` (E.164; separators such as spaces and dashes are dropped) and returns
    /// the flow's outputData as a JSON object, with the execution's details.
    result<lookup_result<value_type>> lookup(std::string_view phone) { return lookup(phone, Json::make_null()); }

    /// The same, with extra flow inputs (a JSON object of "Flow.<Var>" keys) sent beside the number.
    ///
    /// config().strategy picks the path: the flow (default), a direct External Contacts lookup
    /// (outputs shaped like the flow's: Flow.Found, Flow.MatchCount, Flow.ContactId,
    /// Flow.externalContact), or the flow with the direct lookup as fallback when the flow cannot
    /// be launched (403 or 404 on launch). execution.source says which path answered.
    result<lookup_result<value_type>> lookup(std::string_view phone, value_type extra_inputs) {
        if (cfg_->strategy == lookup_strategy::direct) return lookup_direct(phone);
        lookup_operation<Json> op(*tokens_, *cfg_, phone, clock_.now(), std::move(extra_inputs), jitter_);
        run(op);
        auto r = op.take_result();
        if (r || cfg_->strategy != lookup_strategy::flow_then_direct || !launch_refused(r.error())) return r;
        auto d = lookup_direct(phone);
        if (d) d->execution.fallback_reason = r.error().describe();
        return d;
    }

    /// Looks up `phone` and maps the flow's outputs into T, a struct described with
    /// BOOST_DESCRIBE_STRUCT whose members name the output variables (member `Found` binds
    /// "Flow.Found"). See reflect.hpp for the rules; gcx::customer_lookup fits the tutorial's flow.
    template <class T>
    result<lookup_result<T>> lookup(std::string_view phone, const map_options& opt = {}) {
        return map_outputs<Json, T>(lookup(phone), opt);
    }

    /// The same with typed extra inputs: a described struct whose members become "Flow.<member>"
    /// entries of inputData, beside the phone number.
    template <class T, class Inputs>
    result<lookup_result<T>> lookup(std::string_view phone, const Inputs& inputs, const map_options& opt = {}) {
        return map_outputs<Json, T>(lookup(phone, write_inputs<Json>(inputs)), opt);
    }

    /// Every contact with this number, straight from External Contacts (no flow): a JSON array of
    /// ExternalContact, empty when none matched. Same token handling, retries, deadline and errors.
    result<direct_result<value_type>> find_contacts(std::string_view phone) { return find_contacts(phone, cfg_->direct); }
    result<direct_result<value_type>> find_contacts(std::string_view phone, const direct_options& opt) {
        direct_lookup_operation<Json> op(*tokens_, *cfg_, phone, clock_.now(), opt, jitter_);
        run(op);
        return op.take_result();
    }

    /// Runs any sans-I/O operation to completion on this thread.
    template <class Operation>
    void run(Operation& op) {
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

    const client_config& config() const noexcept { return *cfg_; }
    token_cache& tokens() noexcept { return *tokens_; }
    Transport& transport() noexcept { return transport_; }
    Clock& clock() noexcept { return clock_; }

    /// Replaces the source of retry jitter (values in [0, 1)); for tests and simulations.
    void set_jitter(jitter_fn j) { jitter_ = std::move(j); }

private:
    result<lookup_result<value_type>> lookup_direct(std::string_view phone) {
        return direct_as_lookup<Json>(find_contacts(phone));
    }

    std::shared_ptr<const client_config> cfg_;
    std::shared_ptr<token_cache> tokens_;
    Transport transport_;
    Clock clock_;
    jitter_fn jitter_;
};

GCX_NAMESPACE_END

#endif
