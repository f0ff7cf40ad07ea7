// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_HPP
#define GCX_ADAPTERS_ASIO_HPP

// gcx::adapters::basic_asio_client<J>: gcx's lookups as Asio asynchronous operations, over
// Boost.Beast and Boost.Asio's OpenSSL streams (CMake target gcx::asio).
//
//     boost::asio::io_context io;
//     auto client = gcx::adapters::asio_client::create(io.get_executor(), gcx::client_config::from_env()).value();
//     client.async_lookup<gcx::customer_lookup>("+13175550123", [](auto r) { ... });  // a callback
//     auto f = client.async_lookup("+13175550123", boost::asio::use_future);         // std::future
//     auto r = co_await client.async_lookup(phone, boost::asio::use_awaitable);        // C++20
//     auto d = client.async_find_contacts(phone, boost::asio::deferred);               // launched later
//     client.async_check<gcx::customer_lookup>([](gcx::check_report r) { ... });    // the preflight check
//     io.run();
//
// Every function takes any Asio completion token; the completion signature has one argument,
// the same result the blocking client returns:
//     async_lookup<T>(phone, token)            void(gcx::result<gcx::lookup_result<T>>)
//     async_lookup(phone[, inputs], token)     void(gcx::result<gcx::lookup_result<J::value>>)
//     async_find_contacts(phone, token)        void(gcx::result<gcx::direct_result<J::value>>)
//     async_check([check_options,] token)      void(gcx::check_report)
//     async_check<T>(token[, check_options])   void(gcx::check_report)  (also T's members vs the flow's outputs)
// Each runs gcx::strategy_operation<J> (or direct_lookup_operation<J>) exactly as
// basic_client::lookup does: the same strategy, token handling, retries, request budget, poll
// schedule and deadline (lookup_timeout runs from the operation's first request; before it, the
// wait for the request budget is bounded by budget.queue_timeout, counted from when the operation
// is initiated: for asio::deferred, when the deferred operation is launched).
//
// Threading: the client is a cheap handle (copies share everything) and may be used from any
// thread. Any number of threads may run the io_context. Each lookup runs on a strand of its own
// (its I/O, timers and cancellation are serialised there); what lookups share -- the session's
// token caches and request budgets, the pool of kept-alive connections, the TLS context -- is
// guarded by mutexes. The completion handler is invoked through its associated executor (the
// client's executor when it has none); never from inside the initiating function. Its associated
// allocator is not used: an operation's state, requests and answers use the default allocator.
//
// Cancellation: each operation honours its handler's associated cancellation slot
// (asio::bind_cancellation_slot, a parallel group, asio::experimental::awaitable_operators, a
// coroutine's cancellation state...), as Asio defines the types: `terminal` always ends it;
// `partial` (side effects allowed, if known) unless a launch or a data action's request was sent
// and not answered (whether it started is unknown); `total` (no side effect) only before any
// launch or data action's request was sent. A cancellation not honoured is ignored (the lookup
// goes on; a later one may end it). The lookup then completes with errc::transport, code
// "canceled" (gcx::codes::canceled), and no further request is sent. Whether a flow may be
// running is said, never left unknown:
//   - error::execution_id holds the execution id when the launch was answered (the flow runs on
//     in Genesys Cloud: cancelling the lookup does not stop it);
//   - error::sent is delivery::maybe when a launch was written and not answered (the flow may
//     have started; its id is unknown), or was answered; delivery::not_sent when no launch left
//     the process (a token request or a poll may have been sent: neither starts anything);
//   - the message says which of the three it was.
// A request in progress is abandoned by closing its connection; a token fetch in progress is
// handed back to the other lookups waiting for it.
//
// Transport: HTTP/1.1 with keep-alive. Connections are pooled per scheme://host:port: at most
// max_connections open at once per origin (default 64; a request finding none free waits for the
// next, within its deadline), at most max(max_idle_connections, operations in flight) of them
// idle. The keep-alive rules are the other adapters'
// (gcx/adapters/common/keepalive.hpp): an idle connection with anything to read is closed, a POST
// never goes on a connection idle for post_max_idle or to a server seen closing connections
// early, and a request whose connection failed after it was written is never sent again
// (delivery::maybe; the core decides, and never resends a launch). TLS: the server's chain is
// checked against ca_file / ca_path or the system store, and its name against the URL's host
// (asio::ssl::host_name_verification; SNI is sent for host names). Errors carry the same codes
// as curl's and httplib's: resolve, connect, tls, certificate (never retried), send, recv,
// empty_reply, partial, protocol, timeout (errc::timeout), too_large (body over
// max_response_bytes or headers over max_header_bytes); Authorization over plain http to a
// non-loopback host is refused (insecure_http) unless allow_insecure_http.
//
// Not supported: `proxy` (a client made with one fails every request with errc::config, code
// "bad_proxy"), `no_proxy` (ignored).
//
// Lifetime: the client and its operations use the io_context's services: destroy the client
// before the io_context. Operations in flight keep what they need alive (the client may go).
//
// The parts, each in gcx/adapters/asio/: options.hpp (asio_options), connection.hpp (one plain or
// TLS connection), pool.hpp (the connections per origin: idle ones, the cap, the queue), shared.hpp (what a client's operations
// share: session, TLS context, pool), classify.hpp (a failed exchange -> gcx::error),
// exchange.hpp (one HTTP exchange), operation.hpp (asio_op: an operation stepped on its strand,
// its timers and cancellation). This header holds the client.

#include <gcx/adapters/asio/operation.hpp>
#include <gcx/adapters/asio/options.hpp>
#include <gcx/adapters/asio/shared.hpp>
#include <gcx/check.hpp>
#include <gcx/clock.hpp>
#include <gcx/direct.hpp>
#include <gcx/error.hpp>
#include <gcx/fwd.hpp>
#include <gcx/lookup.hpp>
#include <gcx/result.hpp>
#include <gcx/session.hpp>
#include <gcx/strategy.hpp>
#include <gcx/version.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// gcx's lookups as Asio asynchronous operations (see the top of this header).
template <class J>
class basic_asio_client {
public:
    using json_type = J;
    using value_type = typename J::value;
    using executor_type = boost::asio::any_io_executor;
    using options = asio_options;

    /// A client for `cfg` running its operations on `ex`, or the configuration error.
    static result<basic_asio_client> create(executor_type ex, client_config cfg, options opts = {}) {
        auto s = gcx::session::create(std::move(cfg));
        if (!s) return s.error();
        return basic_asio_client(std::move(ex), std::move(*s), std::move(opts));
    }
    static result<basic_asio_client> create(executor_type ex, result<client_config> cfg, options opts = {}) {
        if (!cfg) return cfg.error();
        return create(std::move(ex), std::move(*cfg), std::move(opts));
    }

    /// A client on a session (shared with other drivers, e.g. a blocking basic_client, if wanted).
    basic_asio_client(executor_type ex, gcx::session s, options opts = {})
        : st_(std::make_shared<detail::asio_shared>(std::move(ex), std::move(s), std::move(opts))) {}
    basic_asio_client(boost::asio::io_context& io, gcx::session s, options opts = {})
        : basic_asio_client(io.get_executor(), std::move(s), std::move(opts)) {}

    /// Looks up `phone` with the configured strategy: void(result<lookup_result<J::value>>).
    template <class CompletionToken>
    auto async_lookup(std::string_view phone, CompletionToken&& token) {
        return async_lookup(phone, J::make_null(), std::forward<CompletionToken>(token));
    }

    /// The same with extra flow inputs (a JSON object of "Flow.<Var>" keys).
    template <class CompletionToken>
    auto async_lookup(std::string_view phone, value_type extra_inputs, CompletionToken&& token) {
        return initiate_with<strategy_operation<J>>(std::forward<CompletionToken>(token), phone,
                                                    std::move(extra_inputs));
    }

    /// Looks up `phone` and maps the flow's outputs into T (a described struct; see reflect.hpp):
    /// void(result<lookup_result<T>>).
    template <class T, class CompletionToken>
    auto async_lookup(std::string_view phone, CompletionToken&& token, map_options opt = {}) {
        return initiate<result<lookup_result<T>>>(
            std::forward<CompletionToken>(token),
            [](gcx::session& s, time_point now, std::string p) { return strategy_operation<J>(s, p, now); },
            [opt](strategy_operation<J>& o) { return o.template take_result_as<T>(opt); }, std::string(phone));
    }

    /// Every contact with this number, from External Contacts: void(result<direct_result<J::value>>).
    template <class CompletionToken>
    auto async_find_contacts(std::string_view phone, CompletionToken&& token) {
        return async_find_contacts(phone, config().direct, std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_find_contacts(std::string_view phone, direct_options opt, CompletionToken&& token) {
        return initiate_with<direct_lookup_operation<J>>(std::forward<CompletionToken>(token), phone, std::move(opt));
    }

    /// The preflight check (gcx/check.hpp) on this client's session, as basic_client::check():
    /// void(gcx::check_report). Reads only, never launches a flow. Cancelled, it completes with
    /// what it found and a failing "cancelled" item. An empty `opt.network` is filled with this
    /// client's transport (TLS trust store, no proxy).
    template <class CompletionToken>
    auto async_check(CompletionToken&& token) {
        return async_check(check_options{}, std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_check(check_options opt, CompletionToken&& token) {
        // The options travel behind a pointer: passed by value (with async_check<T>'s default
        // arguments, since replaced by overloads) a co_await with use_awaitable crashed when built
        // by g++ 12 (a bad free of a std::string of the options in the initiation).
        if (opt.network.empty()) opt.network = network_description(*st_);
        return initiate<check_report>(
            std::forward<CompletionToken>(token),
            [](gcx::session& s, time_point now, const std::shared_ptr<check_options>& o) {
                // Copied: an lvalue asio::deferred operation may be launched more than once.
                return check_operation<J>(s, now, *o);
            },
            [](check_operation<J>& c) { return c.take_result(); }, std::make_shared<check_options>(std::move(opt)));
    }
    /// The same, and the flow's outputs against what T reads (each member's variable and JSON
    /// type, nested members, the outputs T does not read), as basic_client::check<T>(). (Overloads,
    /// not default arguments: no temporary in the caller's co_await expression.)
    template <class T, class CompletionToken>
    auto async_check(CompletionToken&& token) {
        return async_check<T>(std::forward<CompletionToken>(token), check_options{}, map_options{});
    }
    template <class T, class CompletionToken>
    auto async_check(CompletionToken&& token, check_options opt) {
        return async_check<T>(std::forward<CompletionToken>(token), std::move(opt), map_options{});
    }
    template <class T, class CompletionToken>
    auto async_check(CompletionToken&& token, check_options opt, const map_options& mo) {
        opt.outputs = output_expectations<J, T>(mo);
        return async_check(std::move(opt), std::forward<CompletionToken>(token));
    }

    executor_type get_executor() const noexcept { return st_->ex; }
    const client_config& config() const noexcept { return st_->session.config(); }
    /// What this client's operations share (token caches, budgets, learned run times).
    const gcx::session& session() const noexcept { return st_->session; }
    token_cache& tokens(std::size_t credential = 0) const { return st_->session.tokens(credential); }
    const options& settings() const noexcept { return st_->opts; }
    /// Idle kept-alive connections in the pool (tests, diagnostics).
    std::size_t idle_connections() const { return st_->pool.idle(); }
    /// Connections open (idle or in use), over all origins: at most max_connections per origin.
    std::size_t open_connections() const { return st_->pool.open(); }

private:
    // The check's network line: what this adapter knows of its transport.
    static std::string network_description(const detail::asio_shared& st) {
        std::string out = "transport asio; ";
        if (st.session.config().endpoints.api.rfind("http://", 0) == 0) out += "plain http (no TLS)";
        else if (!st.opts.ca_file.empty()) out += "TLS trust store: the CA file " + st.opts.ca_file;
        else if (!st.opts.ca_path.empty()) out += "TLS trust store: the CA directory " + st.opts.ca_path;
        else out += "TLS trust store: OpenSSL's default paths";
        return out + "; no proxy (the asio adapter does not use one)";
    }

    // Every async_ function: an Asio initiation that, when run (at once, or when a deferred
    // operation is launched), builds its operation with make(session, now, args...) -- the
    // deadline starts then -- and steps it on a strand of its own (detail::asio_op) until
    // finish(operation) gives the completion's one argument, of type R.
    template <class R, class CompletionToken, class Make, class Finish, class... Args>
    auto initiate(CompletionToken&& token, Make make, Finish finish, Args&&... args) {
        return boost::asio::async_initiate<CompletionToken, void(R)>(
            [make, finish](auto handler, std::shared_ptr<detail::asio_shared> st, auto... a) {
                auto op = make(st->session, std::chrono::steady_clock::now(), std::move(a)...);
                using op_t = detail::asio_op<J, decltype(op), Finish, decltype(handler)>;
                std::make_shared<op_t>(std::move(st), std::move(op), finish, std::move(handler))->start();
            },
            token, st_, std::forward<Args>(args)...);
    }

    // An operation made as Op(session, phone, now, arg), whose completion is its take_result().
    template <class Op, class CompletionToken, class Arg>
    auto initiate_with(CompletionToken&& token, std::string_view phone, Arg arg) {
        return initiate<decltype(std::declval<Op&>().take_result())>(
            std::forward<CompletionToken>(token),
            [](gcx::session& s, time_point now, std::string p, Arg a) { return Op(s, p, now, std::move(a)); },
            [](Op& o) { return o.take_result(); }, std::string(phone), std::move(arg));
    }

    std::shared_ptr<detail::asio_shared> st_;
};

}  // namespace adapters
GCX_NAMESPACE_END

GCX_NAMESPACE_BEGIN
namespace adapters {
/// The asio client with Boost.JSON outputs (include <gcx/json/boost_json.hpp> to use it).
using asio_client = basic_asio_client<json::boost_json>;
}  // namespace adapters
GCX_NAMESPACE_END

#endif
