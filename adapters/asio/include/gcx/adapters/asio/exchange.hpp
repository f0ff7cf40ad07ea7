// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_EXCHANGE_HPP
#define GCX_ADAPTERS_ASIO_EXCHANGE_HPP

// One HTTP/1.1 exchange of the asio client, over a plain or TLS stream: a kept-alive connection
// taken from the pool or a new one (resolve, connect, TLS handshake), the request written, the
// answer read, the connection given back; its timer (connect timeout, deadline) and its failures
// (classify.hpp). asio_exchange is the part of asio_op (operation.hpp) that does this.

#include <gcx/adapters/asio/classify.hpp>
#include <gcx/adapters/asio/connection.hpp>
#include <gcx/adapters/asio/shared.hpp>
#include <gcx/adapters/common/preflight.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

// asio_ns and beast_http: connection.hpp and classify.hpp.

/// What a request starts in Genesys Cloud that a cancel cannot take back: a flow execution (POST
/// .../flows/executions) or a data action's run (POST .../integrations/actions/{id}/execute).
enum class starts { nothing, flow, action };

inline starts what_it_starts(const http::request& r) {
    if (r.verb != http::method::post) return starts::nothing;
    std::string_view path(r.url);
    path = path.substr(0, path.find_first_of("?#"));
    const auto ends_with = [&](std::string_view tail) {
        return path.size() >= tail.size() && path.substr(path.size() - tail.size()) == tail;
    };
    if (ends_with("/api/v2/flows/executions")) return starts::flow;
    if (ends_with("/execute") && path.find("/api/v2/integrations/actions/") != std::string_view::npos)
        return starts::action;
    return starts::nothing;
}

/// One exchange at a time on a strand, for the operation that derives from it (asio_op). That
/// operation provides, as overrides: hand_in(result<http::response>, bool then_step), which takes
/// the exchange's outcome; interrupted(ec), true when a completion has nothing left to do (the
/// operation was cancelled or ended); keep(), the owner of this object (the completions hold it).
/// Not a template on the operation: the Beast and Asio operations it starts (resolve, connect,
/// TLS handshake, write, read, on plain and TLS streams) are compiled once per translation unit,
/// not once per operation and completion handler the unit uses.
class asio_exchange {
protected:
    using tcp = asio_ns::ip::tcp;
    using strand_type = asio_ns::strand<asio_ns::any_io_executor>;

    explicit asio_exchange(std::shared_ptr<asio_shared> st)
        : st_(std::move(st)), strand_(asio_ns::make_strand(st_->ex)), io_timer_(strand_), resolver_(strand_) {}
    asio_exchange(const asio_exchange&) = delete;
    asio_exchange& operator=(const asio_exchange&) = delete;
    // Destroyed while queued for a connection (its io_context went away with the lookup's
    // handlers in it): the queue forgets it. Were its turn already on its way, the waiter finds it
    // gone and passes the connection or the slot on (send).
    virtual ~asio_exchange() {
        if (wait_id_ != 0) st_->pool.cancel_wait(origin_, wait_id_);
    }

    virtual void hand_in(result<http::response> r, bool then_step) = 0;
    virtual bool interrupted(const boost::system::error_code& ec) = 0;
    virtual std::shared_ptr<asio_exchange> keep() = 0;

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
        launch_kind_ = what_it_starts(req_);
        launch_pending_ = launch_kind_ != starts::nothing;
        started_ = std::chrono::steady_clock::now();
        deadline_ = started_ + bounded_timeout(req_.timeout);
        expired_ = connect_bound_ = writing_ = written_ = false;
        const bool post = req_.verb == http::method::post;
        // The queue holds the exchange weakly: a strong hold would keep it (and, through its
        // shared state, the queue itself) alive for ever if its io_context were destroyed while it
        // waits, and a token fetch it held would never be handed back. While the io_context
        // lives, its pending timer (arm_io) keeps the exchange alive; when its turn comes, the
        // pool takes it under its lock (a strong hold until on_turn has run), so a timer or a
        // cancellation that then finds the turn taken (stop_waiting false) may let go of it. An
        // exchange gone before its turn is skipped: the connection or the slot goes to the next.
        auto grant = st_->pool.acquire(
            origin_, post, st_->opts.post_max_idle, st_->keepalive,
            [w = std::weak_ptr<asio_exchange>(keep())]() -> asio_pool::turn {
                auto self = w.lock();
                if (!self) return {};
                return [self](std::unique_ptr<asio_connection> c) {
                    asio_ns::post(self->strand_, [self, c = std::move(c)]() mutable { self->on_turn(std::move(c)); });
                };
            });
        if (grant.conn) {
            use_kept(std::move(grant.conn));
        } else if (grant.open_new) {
            open_new();
        } else {
            // Every connection allowed is in use: wait for one, within the request's deadline.
            wait_id_ = grant.wait_id;
            arm_io(deadline_, false);
        }
        return std::nullopt;
    }

    // The queue's turn came (on the strand): a connection to reuse, or a slot to open one in.
    void on_turn(std::unique_ptr<asio_connection> c) {
        const bool ours = wait_id_ != 0;
        wait_id_ = 0;
        // Its deadline passed while the turn was on its way (the timer found the turn already
        // taken, and left the rest to here): the request is not sent.
        const bool late = ours && std::chrono::steady_clock::now() >= deadline_;
        if (!ours || late || interrupted({})) {
            // Gone meanwhile (timed out, cancelled, ended): pass the connection or the slot on.
            if (c) st_->pool.give_back(origin_, std::move(c), st_->in_flight.load(std::memory_order_relaxed));
            else st_->pool.release(origin_);
            if (late && !interrupted({})) {
                expired_ = true;
                fail(asio_phase::queue, asio_ns::error::timed_out);
            }
            return;
        }
        if (c) use_kept(std::move(c));
        else open_new();
    }

    // Leaves the queue for a connection; true when this exchange was waiting there (it then has
    // nothing pending and its caller ends it).
    bool stop_waiting() {
        if (wait_id_ == 0) return false;
        const bool left = st_->pool.cancel_wait(origin_, wait_id_);
        if (left) wait_id_ = 0;
        return left;  // else its turn is posted: on_turn passes the connection or the slot on
    }

    // Abandons a host name resolution in progress; true when there was one (its caller then ends
    // the exchange at once). Asio resolves on a thread of its own, one name after another, and a
    // cancel does not stop a getaddrinfo already running: waiting for it would hold the deadline
    // and a cancellation up for as long as a slow DNS server takes. Its late completion is ignored.
    bool stop_resolving() {
        if (!resolving_) return false;
        resolving_ = false;
        ++resolve_seq_;
        resolver_.cancel();
        return true;
    }

    void use_kept(std::unique_ptr<asio_connection> c) {
        conn_ = std::move(c);
        reused_ = true;
        arm_io(deadline_, false);
        write();
    }

    // Opens a connection in a slot of the pool: resolve, connect, TLS handshake, then the request.
    void open_new() {
        reused_ = false;
        conn_ = std::make_unique<asio_connection>(st_->ex, url_.scheme == "https" ? &st_->tls : nullptr);
        conn_->on_end = [w = std::weak_ptr<asio_shared>(st_), origin = origin_] {
            if (auto s = w.lock()) s->pool.release(origin);
        };
        const auto now = std::chrono::steady_clock::now();
        const auto connect_deadline = std::min(deadline_, now + st_->opts.connect_timeout);
        arm_io(connect_deadline, connect_deadline < deadline_);
        boost::system::error_code ec;
        const auto address = asio_ns::ip::make_address(url_.host, ec);
        if (!ec) {
            resolved_ = {tcp::endpoint(address, url_.port)};
            connect();
            return;
        }
        resolving_ = true;
        resolver_.async_resolve(
            url_.host, std::to_string(url_.port),
            [self = keep(), seq = ++resolve_seq_](boost::system::error_code e, tcp::resolver::results_type res) {
                if (seq != self->resolve_seq_ || !self->resolving_) return;  // abandoned
                self->resolving_ = false;
                if (self->interrupted(e)) return;
                if (self->expired_)  // the connect timeout passed while resolving
                    return self->fail(asio_phase::connect, asio_ns::error::timed_out);
                if (e) return self->fail(asio_phase::resolve, e);
                self->resolved_.assign(res.begin(), res.end());
                self->connect();
            });
    }

    // Arms the exchange's timer: at `at` the connection is closed and the exchange fails.
    void arm_io(std::chrono::steady_clock::time_point at, bool connect_bound) {
        const std::uint64_t seq = ++io_seq_;
        connect_bound_ = connect_bound;
        io_timer_.expires_at(at);
        io_timer_.async_wait([self = keep(), seq](boost::system::error_code ec) {
            if (ec || seq != self->io_seq_) return;
            if (self->stop_waiting()) {  // no connection came free in time
                self->expired_ = true;
                return self->fail(asio_phase::queue, asio_ns::error::timed_out);
            }
            if (!self->conn_) return;
            self->expired_ = true;
            if (self->stop_resolving())  // the connect timeout or the deadline passed while resolving
                return self->fail(asio_phase::connect, asio_ns::error::timed_out);
            self->conn_->close();  // a pending connect, handshake, write or read ends with an error
        });
    }

    void connect() {
        asio_ns::async_connect(
            conn_->socket(), resolved_,
            asio_ns::bind_executor(strand_, [self = keep()](boost::system::error_code ec, const tcp::endpoint&) {
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
                          asio_ns::bind_executor(strand_, [self = keep()](boost::system::error_code e) {
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
        const bool default_port =
            (url_.scheme == "https" && url_.port == 443) || (url_.scheme == "http" && url_.port == 80);
        std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
        if (!default_port) host += ":" + std::to_string(url_.port);
        out_.set(beast_http::field::host, host);
        for (const auto& h : req_.fields) out_.set(h.name, h.value);
        if (req_.header("User-Agent") == nullptr && !st_->opts.user_agent.empty())
            out_.set(beast_http::field::user_agent, st_->opts.user_agent);
        out_.keep_alive(true);
        if (req_.verb == http::method::post) out_.body() = req_.body;
        out_.prepare_payload();
        writing_ = true;
        conn_->with_stream([this](auto& stream) {
            beast_http::async_write(
                stream, out_,
                asio_ns::bind_executor(strand_, [self = keep()](boost::system::error_code ec, std::size_t n) {
                    if (n > 0) self->written_ = true;
                    if (self->interrupted(ec)) return;
                    if (ec) return self->fail(asio_phase::write, ec);
                    self->written_ = true;
                    self->read();
                }));
        });
    }

    // Reads the answer; an interim one (1xx: a 103 Early Hints) is skipped, as libcurl does, and
    // the next read on the same buffer gets the real one (up to 8 interims: then a broken answer).
    void read(int interims = 0) {
        parser_.emplace();
        parser_->body_limit(static_cast<std::uint64_t>(st_->opts.max_response_bytes));
        const std::size_t h = st_->opts.max_header_bytes;
        parser_->header_limit(h == 0 || h > std::numeric_limits<std::uint32_t>::max()
                                  ? std::numeric_limits<std::uint32_t>::max()
                                  : static_cast<std::uint32_t>(h));
        conn_->with_stream([this, interims](auto& stream) {
            beast_http::async_read(
                stream, conn_->buffer, *parser_,
                asio_ns::bind_executor(strand_, [self = keep(), interims](boost::system::error_code ec, std::size_t) {
                    if (self->interrupted(ec)) return;
                    if (ec) return self->fail(asio_phase::read, ec);
                    if (const unsigned status = self->parser_->get().result_int(); status >= 100 && status <= 199) {
                        if (interims < 8) return self->read(interims + 1);
                        return self->fail(asio_phase::read, beast_http::make_error_code(beast_http::error::bad_status));
                    }
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
        for (const auto& f : msg)
            r.fields.push_back(http::header{std::string(f.name_string()), std::string(f.value())});
        r.body = std::move(msg.body());
        if (msg.keep_alive() && conn_->buffer.size() == 0)
            st_->pool.give_back(origin_, std::move(conn_), st_->in_flight.load(std::memory_order_relaxed));
        else conn_->close();
        conn_.reset();
        hand_in(std::move(r), /*then_step=*/true);
    }

    void fail(asio_phase phase, const boost::system::error_code& ec) {
        ++io_seq_;
        io_timer_.cancel();
        bool verify_failed = false;
        if (phase == asio_phase::handshake && conn_ && conn_->tls)
            verify_failed = SSL_get_verify_result(conn_->tls->native_handle()) != X509_V_OK;
        const bool got_some = parser_ && parser_->got_some();
        // No answer on a connection kept from an earlier exchange: the server closes them early.
        if (reused_ && phase == asio_phase::read && !got_some && !expired_)
            st_->keepalive.closed_early(origin_, std::chrono::steady_clock::now());
        if (conn_) conn_->close();
        conn_.reset();
        parser_.reset();
        error e =
            asio_classify(phase, ec, expired_, connect_bound_, written_, got_some, verify_failed, req_.timeout, where_);
        hand_in(std::move(e), /*then_step=*/true);
    }

    std::shared_ptr<asio_shared> st_;
    strand_type strand_;
    asio_ns::steady_timer io_timer_;  // the exchange's connect timeout and deadline
    tcp::resolver resolver_;
    std::uint64_t io_seq_ = 0;
    std::uint64_t wait_id_ = 0;  // queued for a connection (asio_pool::acquire), 0: not
    std::uint64_t resolve_seq_ = 0;
    bool resolving_ = false;  // a host name resolution is pending (stop_resolving)
    // The exchange in progress is a flow launch, not yet handed in.
    bool launch_pending_ = false;
    starts launch_kind_ = starts::nothing;  ///< what the request in flight starts

    // The exchange in progress.
    http::request req_;
    http::url_parts url_;
    std::string where_, origin_;
    std::chrono::steady_clock::time_point started_{}, deadline_{};
    bool reused_ = false, expired_ = false, connect_bound_ = false, written_ = false;
    bool writing_ = false;  // the request's write started: Asio may have sent it all before its handler runs
    std::unique_ptr<asio_connection> conn_;
    std::vector<tcp::endpoint> resolved_;
    beast_http::request<beast_http::string_body> out_;
    std::optional<beast_http::response_parser<beast_http::string_body>> parser_;
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
