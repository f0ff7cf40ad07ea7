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
// schedule and deadline (which starts when the operation is initiated: for asio::deferred, when
// the deferred operation is launched).
//
// Threading: the client is a cheap handle (copies share everything) and may be used from any
// thread. Any number of threads may run the io_context. Each lookup runs on a strand of its own
// (its I/O, timers and cancellation are serialised there); what lookups share -- the session's
// token caches and request budgets, the pool of kept-alive connections, the TLS context -- is
// guarded by mutexes. The completion handler is invoked through its associated executor (the
// client's executor when it has none); never from inside the initiating function.
//
// Cancellation: each operation honours its handler's associated cancellation slot
// (asio::bind_cancellation_slot, a parallel group, asio::experimental::awaitable_operators, a
// coroutine's cancellation state...); any cancellation type (terminal, partial or total) ends
// it. The lookup then completes with errc::transport, code "canceled" (gcx::codes::canceled),
// and no further request is sent. Whether a flow may be running is said, never left unknown:
//   - error::execution_id holds the execution id when the launch was answered (the flow runs on
//     in Genesys Cloud: cancelling the lookup does not stop it);
//   - error::sent is delivery::maybe when a launch was written and not answered (the flow may
//     have started; its id is unknown), or was answered; delivery::not_sent when no launch left
//     the process (a token request or a poll may have been sent: neither starts anything);
//   - the message says which of the three it was.
// A request in progress is abandoned by closing its connection; a token fetch in progress is
// handed back to the other lookups waiting for it.
//
// Transport: HTTP/1.1 with keep-alive. Connections are pooled per scheme://host:port, at most
// max(max_idle_connections, operations in flight) idle per origin. The keep-alive rules are the other adapters'
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

#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/transport_options.hpp>
#include <gcx/check.hpp>
#include <gcx/direct.hpp>
#include <gcx/error.hpp>
#include <gcx/fwd.hpp>
#include <gcx/http.hpp>
#include <gcx/lookup.hpp>
#include <gcx/result.hpp>
#include <gcx/session.hpp>
#include <gcx/strategy.hpp>
#include <gcx/version.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// The asio client's settings: transport_options (verify_peer, verify_host, ca_file, ca_path,
/// max_response_bytes, max_header_bytes, connect_timeout, user_agent, allow_insecure_http,
/// max_idle_connections (idle per origin, or as many as operations in flight), post_max_idle). `proxy` is not supported (see the top of
/// this header).
struct asio_options : transport_options {};

namespace detail {

namespace asio_ns = boost::asio;
namespace beast_http = boost::beast::http;

/// One HTTP/1.1 connection, plain or TLS, and the bytes read past its last answer.
struct asio_connection {
    using tcp = asio_ns::ip::tcp;
    std::optional<tcp::socket> plain;
    std::optional<asio_ns::ssl::stream<tcp::socket>> tls;
    boost::beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since{};

    asio_connection(const asio_ns::any_io_executor& ex, asio_ns::ssl::context* ctx) {
        if (ctx) tls.emplace(ex, *ctx);
        else plain.emplace(ex);
    }
    tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
    void close() noexcept {
        boost::system::error_code ignored;
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
    }
    /// Calls f(stream) with the stream requests go on.
    template <class F>
    void with_stream(F&& f) {
        if (tls) f(*tls);
        else f(*plain);
    }
};

/// Idle kept-alive connections per origin, shared by every operation of a client. Mutex-guarded.
class asio_pool {
public:
    explicit asio_pool(std::size_t max_idle) : max_idle_(max_idle) {}

    /// An idle connection to `origin` fit for the request, or null. Those found stirred (anything
    /// readable while idle) or, for a POST, idle too long or to a server seen closing early, are closed.
    std::unique_ptr<asio_connection> take(const std::string& origin, bool post, std::chrono::seconds post_max_idle,
                                          keepalive_memory& memory) {
        const auto now = std::chrono::steady_clock::now();
        std::vector<std::unique_ptr<asio_connection>> drop;
        std::unique_ptr<asio_connection> found;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto it = idle_.find(origin);
            if (it == idle_.end()) return nullptr;
            auto& v = it->second;
            while (!v.empty() && !found) {
                std::unique_ptr<asio_connection> c = std::move(v.back());
                v.pop_back();
                const auto idle = now - c->idle_since;
                if (idle_socket_stirred(static_cast<int>(c->socket().native_handle()))) {
                    if (idle < keepalive_memory::soon) memory.closed_early(origin, now);
                    drop.push_back(std::move(c));
                } else if (post && (idle >= std::max(post_max_idle, std::chrono::seconds(1)) ||
                                    memory.fresh_for_post(origin, now))) {
                    drop.push_back(std::move(c));
                } else {
                    found = std::move(c);
                }
            }
        }
        for (auto& c : drop) c->close();
        return found;
    }

    /// A connection that answered and may be used again. At most max(max_idle_connections,
    /// `in_flight` operations) are kept per origin, so that none is closed only to be opened
    /// again by a lookup in flight (as curl_multi_runner does).
    void give_back(const std::string& origin, std::unique_ptr<asio_connection> c, std::size_t in_flight) {
        c->idle_since = std::chrono::steady_clock::now();
        std::unique_ptr<asio_connection> oldest;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto& v = idle_[origin];
            v.push_back(std::move(c));
            if (v.size() > std::max(max_idle_, in_flight)) {
                oldest = std::move(v.front());
                v.erase(v.begin());
            }
        }
        if (oldest) oldest->close();
    }

    /// Idle connections over all origins (tests, diagnostics).
    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::size_t n = 0;
        for (const auto& [o, v] : idle_) n += v.size();
        return n;
    }

    ~asio_pool() {
        for (auto& [o, v] : idle_)
            for (auto& c : v) c->close();
    }

private:
    std::size_t max_idle_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<std::unique_ptr<asio_connection>>> idle_;
};

/// What every operation of one client shares.
struct asio_shared {
    asio_shared(asio_ns::any_io_executor e, gcx::session s, asio_options o)
        : ex(std::move(e)), session(std::move(s)), opts(std::move(o)), tls(asio_ns::ssl::context::tls_client),
          pool(opts.max_idle_connections) {
        if (!opts.proxy.empty()) {
            init_error = transport_error(errc::config, std::string(codes::bad_proxy), delivery::not_sent,
                                         "the asio adapter does not support a proxy",
                                         "leave the proxy option empty, or use the curl adapter");
            return;
        }
        boost::system::error_code ec;
        tls.set_options(asio_ns::ssl::context::default_workarounds | asio_ns::ssl::context::no_sslv2 |
                            asio_ns::ssl::context::no_sslv3 | asio_ns::ssl::context::no_tlsv1 |
                            asio_ns::ssl::context::no_tlsv1_1,
                        ec);
        if (!opts.ca_file.empty() || !opts.ca_path.empty()) {
            if (!opts.ca_file.empty()) tls.load_verify_file(opts.ca_file, ec);
            if (!ec && !opts.ca_path.empty()) tls.add_verify_path(opts.ca_path, ec);
        } else {
            tls.set_default_verify_paths(ec);
        }
        if (ec) {
            tls_error = transport_error(errc::config, std::string(codes::tls), delivery::not_sent,
                                        "could not load the CA certificates (" + ec.message() + ")",
                                        "check that ca_file / ca_path name readable PEM certificates");
        }
    }

    asio_ns::any_io_executor ex;
    gcx::session session;
    asio_options opts;
    asio_ns::ssl::context tls;
    std::optional<error> init_error;  // every request fails with it
    std::optional<error> tls_error;   // every https request fails with it
    keepalive_memory keepalive;
    asio_pool pool;
    std::atomic<std::size_t> in_flight{0};  // operations started and not completed
};

/// Where a request was when it failed.
enum class asio_phase { resolve, connect, handshake, write, read };

/// The gcx::error for an exchange that failed in `phase` with `ec` (see the top of asio.hpp).
/// `expired`: gcx's own timer stopped it; `connect_bound`: that timer was the connect timeout,
/// shorter than the request's; `written`: bytes of the request were written; `got_some`: bytes
/// of an answer were read.
inline error asio_classify(asio_phase phase, const boost::system::error_code& ec, bool expired, bool connect_bound,
                           bool written, bool got_some, bool verify_failed, std::chrono::milliseconds budget,
                           const std::string& where) {
    const std::string why = ec.message();
    switch (phase) {
    case asio_phase::resolve:
        return transport_error(errc::transport, std::string(codes::resolve), delivery::not_sent,
                               where + ": could not resolve the host name (" + why + ")", hint_connect());
    case asio_phase::connect:
        if (expired && !connect_bound)
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out while connecting");
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + (expired ? ": connect timed out" : ": could not connect (" + why + ")"),
                               hint_connect());
    case asio_phase::handshake:
        if (expired && !connect_bound)
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out during the TLS handshake");
        if (verify_failed)
            return transport_error(errc::transport, std::string(codes::certificate), delivery::not_sent,
                                   where + ": server certificate verification failed", hint_tls());
        return transport_error(errc::transport, std::string(codes::tls), delivery::not_sent,
                               where + (expired ? ": TLS handshake timed out" : ": TLS handshake failed (" + why + ")"),
                               hint_tls());
    case asio_phase::write: {
        const delivery d = written ? delivery::maybe : delivery::not_sent;
        if (expired)
            return transport_error(errc::timeout, std::string(codes::timeout), d,
                                   where + ": timed out while sending the request");
        return transport_error(errc::transport, std::string(codes::send), d,
                               where + ": failed to send the request (" + why + ")");
    }
    case asio_phase::read:
        break;
    }
    if (ec == beast_http::error::body_limit)
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response body exceeds max_response_bytes", hint_too_large());
    if (ec == beast_http::error::header_limit)
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response headers exceed max_header_bytes",
                               "a server (or something in between) sent headers without end");
    if (expired)
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                               where + ": no complete response within " + std::to_string(budget.count()) + " ms");
    const bool closed = ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message ||
                        ec == asio_ns::error::eof || ec == asio_ns::error::connection_reset ||
                        ec == asio_ns::ssl::error::stream_truncated || ec == asio_ns::error::broken_pipe;
    if (closed && !got_some)
        return transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe,
                               where + ": the connection closed without an answer after the request was sent "
                                       "(it was not sent again: the server may have acted on it)");
    if (closed)
        return transport_error(errc::transport, std::string(codes::partial), delivery::maybe,
                               where + ": the connection closed before the answer was complete");
    if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category())
        return transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                               where + ": the answer is not HTTP/1.1 (" + why + ")");
    return transport_error(errc::transport, std::string(codes::recv), delivery::maybe,
                           where + ": reading the answer failed (" + why + ")");
}

inline bool is_launch(const http::request& r) {
    constexpr std::string_view tail = "/api/v2/flows/executions";
    return r.verb == http::method::post && r.url.size() >= tail.size() &&
           std::string_view(r.url).substr(r.url.size() - tail.size()) == tail;
}

/// One operation in flight: steps the sans-I/O operation on its strand and completes the handler.
/// Result is what finish(op) returns (a gcx::result).
template <class J, class Operation, class Finish, class Handler>
class asio_op : public std::enable_shared_from_this<asio_op<J, Operation, Finish, Handler>> {
    using tcp = asio_ns::ip::tcp;
    using strand_type = asio_ns::strand<asio_ns::any_io_executor>;
    using result_type = decltype(std::declval<Finish&>()(std::declval<Operation&>()));
    using handler_executor =
        typename asio_ns::associated_executor<Handler, asio_ns::any_io_executor>::type;
    using work_type = std::decay_t<typename asio_ns::prefer_result<
        handler_executor, asio_ns::execution::outstanding_work_t::tracked_t>::type>;

public:
    asio_op(std::shared_ptr<asio_shared> st, Operation op, Finish finish, Handler handler)
        : st_(std::move(st)), strand_(asio_ns::make_strand(st_->ex)), timer_(strand_), io_timer_(strand_),
          resolver_(strand_), op_(std::move(op)), finish_(std::move(finish)), handler_(std::move(handler)),
          work_(asio_ns::prefer(asio_ns::get_associated_executor(handler_, st_->ex),
                                asio_ns::execution::outstanding_work.tracked)) {}

    /// Connects the handler's cancellation slot and takes the first step (posted: never inline).
    void start() {
        st_->in_flight.fetch_add(1, std::memory_order_relaxed);
        auto slot = asio_ns::get_associated_cancellation_slot(handler_);
        if (slot.is_connected()) {
            std::weak_ptr<asio_op> weak = this->shared_from_this();
            slot.assign([weak](asio_ns::cancellation_type type) {
                if (type == asio_ns::cancellation_type::none) return;
                if (auto self = weak.lock()) asio_ns::post(self->strand_, [self] { self->cancel(); });
            });
        }
        asio_ns::post(strand_, [self = this->shared_from_this()] { self->step(); });
    }

private:
    static time_point now() { return std::chrono::steady_clock::now(); }

    // ---- the operation's moves ---------------------------------------------------------------
    void step() {
        if (finished_) return;
        if (cancelled_) return finish_cancelled();
        for (;;) {
            action a = op_->next(now());
            switch (a.kind) {
            case action::type::done: return complete(finish_(*op_));
            case action::type::sleep: {
                const std::uint64_t seq = ++wait_seq_;
                timer_.expires_at(a.until);
                timer_.async_wait([self = this->shared_from_this(), seq](boost::system::error_code) {
                    self->wake(seq);
                });
                return;
            }
            case action::type::wait_token: {
                // Another lookup (maybe on another thread, or a blocking client) fetches the
                // token: go on when it ends or at `until`, whichever is first.
                const std::uint64_t seq = ++wait_seq_;
                timer_.expires_at(a.until);
                timer_.async_wait([self = this->shared_from_this(), seq](boost::system::error_code) {
                    self->wake(seq);
                });
                std::weak_ptr<asio_op> weak = this->shared_from_this();
                op_->tokens().on_change([weak, seq] {
                    if (auto self = weak.lock())
                        asio_ns::post(self->strand_, [self, seq] {
                            if (self->wait_seq_ == seq) self->timer_.cancel();
                            self->wake(seq);
                        });
                });
                return;
            }
            case action::type::send:
                if (auto refused = send(std::move(a.request))) {
                    hand_in(std::move(*refused), /*then_step=*/false);
                    continue;  // the operation decides what that error means
                }
                return;
            }
        }
    }

    void wake(std::uint64_t seq) {
        if (finished_) return;
        if (cancelled_) return finish_cancelled();
        if (seq != wait_seq_) return;  // the other of timer and token change came first
        ++wait_seq_;
        step();
    }

    // Hands an exchange's outcome to the operation.
    void hand_in(result<http::response> r, bool then_step) {
        if (launch_pending_) {
            launch_pending_ = false;
            if (r && r->status >= 200 && r->status < 300) {
                launched_ = true;
                json::parse_temporary<J>(r->body, json::default_max_depth, [&](const result<typename J::value>& v) {
                    if (v && J::kind_of(*v) == json::kind::object)
                        execution_id_ = json::get_string_or<J>(*v, "id").substr(0, 128);
                });
            } else if (!r && r.error().sent == delivery::maybe) {
                launch_maybe_ = true;
            }
        }
        op_->on_response(std::move(r), now(), std::chrono::system_clock::now());
        if (then_step) step();
    }

    // ---- one exchange ------------------------------------------------------------------------
    // Starts `req`; an error when it was refused before anything was sent.
    std::optional<error> send(http::request req) {
        if (st_->init_error) return *st_->init_error;
        auto target = preflight(req, st_->opts);
        if (!target) return std::move(target.error());
        url_ = std::move(*target);
        if (url_.scheme == "https" && st_->tls_error) return *st_->tls_error;
        req_ = std::move(req);
        where_ = describe_target(req_, url_);
        origin_ = origin_of(url_);
        launch_pending_ = is_launch(req_);
        started_ = std::chrono::steady_clock::now();
        deadline_ = started_ + req_.timeout;
        expired_ = connect_bound_ = written_ = false;
        conn_ = st_->pool.take(origin_, req_.verb == http::method::post, st_->opts.post_max_idle, st_->keepalive);
        reused_ = conn_ != nullptr;
        if (reused_) {
            arm_io(deadline_, false);
            write();
            return std::nullopt;
        }
        conn_ = std::make_unique<asio_connection>(st_->ex, url_.scheme == "https" ? &st_->tls : nullptr);
        const auto connect_deadline = started_ + std::min(req_.timeout, st_->opts.connect_timeout);
        arm_io(connect_deadline, connect_deadline < deadline_);
        boost::system::error_code ec;
        const auto address = asio_ns::ip::make_address(url_.host, ec);
        if (!ec) {
            resolved_ = {tcp::endpoint(address, url_.port)};
            connect();
            return std::nullopt;
        }
        resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                [self = this->shared_from_this()](boost::system::error_code e,
                                                                  tcp::resolver::results_type res) {
                                    if (self->interrupted(e)) return;
                                    if (self->expired_)  // the connect timeout passed while resolving
                                        return self->fail(asio_phase::connect, asio_ns::error::timed_out);
                                    if (e) return self->fail(asio_phase::resolve, e);
                                    self->resolved_.assign(res.begin(), res.end());
                                    self->connect();
                                });
        return std::nullopt;
    }

    // Arms the exchange's timer: at `at` the connection is closed and the exchange fails.
    void arm_io(std::chrono::steady_clock::time_point at, bool connect_bound) {
        const std::uint64_t seq = ++io_seq_;
        connect_bound_ = connect_bound;
        io_timer_.expires_at(at);
        io_timer_.async_wait([self = this->shared_from_this(), seq](boost::system::error_code ec) {
            if (ec || seq != self->io_seq_ || !self->conn_) return;
            self->expired_ = true;
            self->resolver_.cancel();
            self->conn_->close();  // a pending connect, handshake, write or read ends with an error
        });
    }

    void connect() {
        asio_ns::async_connect(conn_->socket(), resolved_,
                               asio_ns::bind_executor(strand_, [self = this->shared_from_this()](
                                                                   boost::system::error_code ec, const tcp::endpoint&) {
                                   if (self->interrupted(ec)) return;
                                   if (ec) return self->fail(asio_phase::connect, ec);
                                   boost::system::error_code ignored;
                                   self->conn_->socket().set_option(tcp::no_delay(true), ignored);
                                   if (self->conn_->tls) return self->handshake();
                                   self->arm_io(self->deadline_, false);
                                   self->write();
                               }));
    }

    void handshake() {
        auto& s = *conn_->tls;
        boost::system::error_code ec;
        const bool is_address = (asio_ns::ip::make_address(url_.host, ec), !ec);
        if (!is_address) SSL_set_tlsext_host_name(s.native_handle(), url_.host.c_str());
        if (st_->opts.verify_peer) {
            s.set_verify_mode(asio_ns::ssl::verify_peer, ec);
            if (st_->opts.verify_host) s.set_verify_callback(asio_ns::ssl::host_name_verification(url_.host), ec);
        } else {
            s.set_verify_mode(asio_ns::ssl::verify_none, ec);
        }
        s.async_handshake(asio_ns::ssl::stream_base::client,
                          asio_ns::bind_executor(strand_, [self = this->shared_from_this()](boost::system::error_code e) {
                              if (self->interrupted(e)) return;
                              if (e) return self->fail(asio_phase::handshake, e);
                              self->arm_io(self->deadline_, false);
                              self->write();
                          }));
    }

    void write() {
        out_ = {};
        out_.method(req_.verb == http::method::get ? beast_http::verb::get : beast_http::verb::post);
        out_.target(url_.target);
        out_.version(11);
        const bool default_port = (url_.scheme == "https" && url_.port == 443) || (url_.scheme == "http" && url_.port == 80);
        std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
        if (!default_port) host += ":" + std::to_string(url_.port);
        out_.set(beast_http::field::host, host);
        for (const auto& h : req_.fields) out_.set(h.name, h.value);
        if (req_.header("User-Agent") == nullptr && !st_->opts.user_agent.empty())
            out_.set(beast_http::field::user_agent, st_->opts.user_agent);
        out_.keep_alive(true);
        if (req_.verb == http::method::post) out_.body() = req_.body;
        out_.prepare_payload();
        conn_->with_stream([this](auto& stream) {
            beast_http::async_write(stream, out_,
                                    asio_ns::bind_executor(strand_, [self = this->shared_from_this()](
                                                                        boost::system::error_code ec, std::size_t n) {
                                        if (n > 0) self->written_ = true;
                                        if (self->interrupted(ec)) return;
                                        if (ec) return self->fail(asio_phase::write, ec);
                                        self->written_ = true;
                                        self->read();
                                    }));
        });
    }

    void read() {
        parser_.emplace();
        parser_->body_limit(static_cast<std::uint64_t>(st_->opts.max_response_bytes));
        const std::size_t h = st_->opts.max_header_bytes;
        parser_->header_limit(h == 0 || h > std::numeric_limits<std::uint32_t>::max()
                                  ? std::numeric_limits<std::uint32_t>::max()
                                  : static_cast<std::uint32_t>(h));
        conn_->with_stream([this](auto& stream) {
            beast_http::async_read(stream, conn_->buffer, *parser_,
                                   asio_ns::bind_executor(strand_, [self = this->shared_from_this()](
                                                                       boost::system::error_code ec, std::size_t) {
                                       if (self->interrupted(ec)) return;
                                       if (ec) return self->fail(asio_phase::read, ec);
                                       self->answered();
                                   }));
        });
    }

    void answered() {
        ++io_seq_;
        io_timer_.cancel();
        auto msg = parser_->release();
        parser_.reset();
        http::response r;
        r.status = static_cast<int>(msg.result_int());
        r.fields.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
        for (const auto& f : msg) r.fields.push_back(http::header{std::string(f.name_string()), std::string(f.value())});
        r.body = std::move(msg.body());
        if (msg.keep_alive() && conn_->buffer.size() == 0)
            st_->pool.give_back(origin_, std::move(conn_), st_->in_flight.load(std::memory_order_relaxed));
        else conn_->close();
        conn_.reset();
        hand_in(std::move(r), /*then_step=*/true);
    }

    // True when the handler has nothing to do: the lookup was cancelled (it ends here) or ended.
    bool interrupted(const boost::system::error_code&) {
        if (finished_) return true;
        if (!cancelled_) return false;
        finish_cancelled();
        return true;
    }

    void fail(asio_phase phase, const boost::system::error_code& ec) {
        ++io_seq_;
        io_timer_.cancel();
        bool verify_failed = false;
        if (phase == asio_phase::handshake && conn_ && conn_->tls)
            verify_failed = SSL_get_verify_result(conn_->tls->native_handle()) != X509_V_OK;
        const bool got_some = parser_ && parser_->got_some();
        // No answer on a connection kept from an earlier exchange: the server closes them early.
        if (reused_ && phase == asio_phase::read && !got_some && !expired_) st_->keepalive.closed_early(origin_, std::chrono::steady_clock::now());
        if (conn_) conn_->close();
        conn_.reset();
        parser_.reset();
        error e = asio_classify(phase, ec, expired_, connect_bound_, written_, got_some, verify_failed, req_.timeout,
                                where_);
        hand_in(std::move(e), /*then_step=*/true);
    }

    // ---- the end -----------------------------------------------------------------------------
    void cancel() {
        if (finished_ || cancelled_) return;
        cancelled_ = true;
        timer_.cancel();
        io_timer_.cancel();
        resolver_.cancel();
        if (conn_) conn_->close();  // the pending read or write ends with operation_aborted
        // Whatever was pending (a sleep, a token wait: both arm timer_; a resolve, a connect, a
        // write or a read) completes on the strand, finds cancelled_ and ends the lookup.
    }

    void finish_cancelled() {
        if (finished_) return;
        if (conn_) conn_->close();
        conn_.reset();
        const bool launch_unanswered = launch_pending_ && written_;
        error e = make_error(errc::transport, "the lookup was cancelled");
        e.code = std::string(codes::canceled);
        e.execution_id = execution_id_;
        if (launched_) {
            e.sent = delivery::maybe;
            e.message += ": the flow execution was launched and runs on in Genesys Cloud";
        } else if (launch_unanswered || launch_maybe_) {
            e.sent = delivery::maybe;
            e.message += " after the launch request was sent and before it was answered: the flow may be running "
                         "(its execution id is unknown)";
        } else {
            e.sent = delivery::not_sent;
            e.message += " before any flow was launched";
        }
        if constexpr (std::is_same_v<result_type, check_report>) {
            // A check has no error to complete with: what it found so far, and that it was cut short.
            check_report r = op_ ? finish_(*op_) : check_report{};
            r.add("cancelled", check_status::fail,
                  "the check was cancelled before it ended: the items above are all it found", {}, check_area::other);
            op_.reset();
            return complete(std::move(r));
        } else {
            op_.reset();  // hands back a token fetch in flight and the request budget's ticket
            complete(result_type(std::move(e)));
        }
    }

    void complete(result_type r) {
        if (finished_) return;
        finished_ = true;
        st_->in_flight.fetch_sub(1, std::memory_order_relaxed);
        ++io_seq_;
        ++wait_seq_;
        timer_.cancel();
        io_timer_.cancel();
        auto slot = asio_ns::get_associated_cancellation_slot(handler_);
        if (slot.is_connected()) slot.clear();
        auto ex = asio_ns::get_associated_executor(handler_, st_->ex);
        asio_ns::dispatch(ex, [h = std::move(handler_), r = std::move(r), w = std::move(work_)]() mutable {
            std::move(h)(std::move(r));
        });
    }

    std::shared_ptr<asio_shared> st_;
    strand_type strand_;
    asio_ns::steady_timer timer_;     // sleeps and token waits
    asio_ns::steady_timer io_timer_;  // the exchange's connect timeout and deadline
    tcp::resolver resolver_;
    std::optional<Operation> op_;
    Finish finish_;
    Handler handler_;
    work_type work_;

    std::uint64_t wait_seq_ = 0, io_seq_ = 0;
    bool finished_ = false, cancelled_ = false;
    // The launch: sent and unanswered, answered (with its id), or failed after it may have been written.
    bool launch_pending_ = false, launched_ = false, launch_maybe_ = false;
    std::string execution_id_;

    // The exchange in progress.
    http::request req_;
    http::url_parts url_;
    std::string where_, origin_;
    std::chrono::steady_clock::time_point started_{}, deadline_{};
    bool reused_ = false, expired_ = false, connect_bound_ = false, written_ = false;
    std::unique_ptr<asio_connection> conn_;
    std::vector<tcp::endpoint> resolved_;
    beast_http::request<beast_http::string_body> out_;
    std::optional<beast_http::response_parser<beast_http::string_body>> parser_;
};

}  // namespace detail

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
        using R = result<lookup_result<value_type>>;
        return boost::asio::async_initiate<CompletionToken, void(R)>(
            [](auto handler, std::shared_ptr<detail::asio_shared> st, std::string p, value_type extra) {
                strategy_operation<J> op(st->session, p, std::chrono::steady_clock::now(), std::move(extra));
                launch(std::move(st), std::move(op), [](strategy_operation<J>& o) { return o.take_result(); },
                       std::move(handler));
            },
            token, st_, std::string(phone), std::move(extra_inputs));
    }

    /// Looks up `phone` and maps the flow's outputs into T (a described struct; see reflect.hpp):
    /// void(result<lookup_result<T>>).
    template <class T, class CompletionToken>
    auto async_lookup(std::string_view phone, CompletionToken&& token, map_options opt = {}) {
        using R = result<lookup_result<T>>;
        return boost::asio::async_initiate<CompletionToken, void(R)>(
            [](auto handler, std::shared_ptr<detail::asio_shared> st, std::string p, map_options o) {
                strategy_operation<J> op(st->session, p, std::chrono::steady_clock::now());
                launch(std::move(st), std::move(op),
                       [o](strategy_operation<J>& s) { return s.template take_result_as<T>(o); }, std::move(handler));
            },
            token, st_, std::string(phone), std::move(opt));
    }

    /// Every contact with this number, from External Contacts: void(result<direct_result<J::value>>).
    template <class CompletionToken>
    auto async_find_contacts(std::string_view phone, CompletionToken&& token) {
        return async_find_contacts(phone, config().direct, std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_find_contacts(std::string_view phone, direct_options opt, CompletionToken&& token) {
        using R = result<direct_result<value_type>>;
        return boost::asio::async_initiate<CompletionToken, void(R)>(
            [](auto handler, std::shared_ptr<detail::asio_shared> st, std::string p, direct_options o) {
                direct_lookup_operation<J> op(st->session, p, std::chrono::steady_clock::now(), std::move(o));
                launch(std::move(st), std::move(op), [](direct_lookup_operation<J>& d) { return d.take_result(); },
                       std::move(handler));
            },
            token, st_, std::string(phone), std::move(opt));
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
        return boost::asio::async_initiate<CompletionToken, void(check_report)>(
            [](auto handler, std::shared_ptr<detail::asio_shared> st, std::shared_ptr<check_options> o) {
                if (o->network.empty()) o->network = network_description(*st);
                check_operation<J> op(st->session, std::chrono::steady_clock::now(), std::move(*o));
                launch(std::move(st), std::move(op), [](check_operation<J>& c) { return c.take_result(); },
                       std::move(handler));
            },
            token, st_, std::make_shared<check_options>(std::move(opt)));
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

    template <class Operation, class Finish, class Handler>
    static void launch(std::shared_ptr<detail::asio_shared> st, Operation op, Finish finish, Handler handler) {
        using op_t = detail::asio_op<J, Operation, Finish, std::decay_t<Handler>>;
        std::make_shared<op_t>(std::move(st), std::move(op), std::move(finish), std::move(handler))->start();
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
