// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_HPP
#define GCX_ADAPTERS_HTTPLIB_HPP

// gcx::adapters::httplib_transport: a gcx Transport over cpp-httplib (CMake target gcx::httplib).
// HTTPS needs httplib built with CPPHTTPLIB_OPENSSL_SUPPORT (Debian's pkg-config file defines it);
// without it an https:// request fails with errc::config.
//
//     gcx::adapters::httplib_transport http;                   // verified HTTPS, keep-alive
//     gcx::result<gcx::http::response> r = http.send(request);
//
// Thread safety: send() may be called from any number of threads at once on one transport (and
// on its copies, which share its state). Each call borrows an httplib client for the request's
// scheme://host:port from a mutex-guarded pool, or creates one, and gives it back afterwards, so
// a client and its keep-alive connection are only ever used by one thread at a time and
// sequential requests reuse one connection (httplib reconnects by itself when the server has
// closed an idle one). A client that failed is discarded rather than reused. At most
// `max_idle_connections` idle clients are kept per scheme://host:port.
//
// "Was the request sent?" (gcx::error::sent): httplib reports where an exchange failed.
// Failing to resolve (httplib then leaves its error unset), to connect, to go through the proxy
// or to complete the TLS handshake or certificate check all happen before the request is
// written: delivery::not_sent. A write or read failure, a timeout while waiting for the answer
// and everything else: delivery::maybe.
//
// Timeouts: httplib has no whole-exchange timeout. gcx sets its connect timeout to
// min(connect_timeout, request.timeout) and its per-read and per-write timeouts to
// request.timeout, and abandons the response as soon as the deadline has passed while the body
// arrives. While httplib reads the status line and headers it offers no hook, so a per-transport
// watch thread stops the client 50 ms after the deadline (httplib_deadline_watch): a server that
// never answers, trickles its headers or sends headers without end is cut off at
// request.timeout (+50 ms), and the headers read meanwhile are all the memory it can take.
//
// TLS: httplib checks the certificate chain and the host name together. verify_peer = false
// turns both off; verify_host = false alone cannot be honoured and is ignored (the check stays
// on: failing closed). When both ca_file and ca_path are set, httplib uses ca_file only.
//
// SIGPIPE: writing to a connection the server has reset raises SIGPIPE, which kills a process
// that has not ignored it; httplib does not prevent that on the client side. With
// suppress_sigpipe (the default) gcx blocks SIGPIPE in the sending thread during send() and
// discards one raised meanwhile; the process's signal disposition is not touched.
//
// Redirects are not followed (a 3xx is returned as a response); an interim 100 Continue is
// dropped by httplib. Responses are decompressed when the server compresses them anyway; the
// size cap applies to the decompressed bytes.

#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#include <csignal>
#include <pthread.h>
#include <time.h>
#endif

GCX_NAMESPACE_BEGIN
namespace adapters {

/// httplib_transport's options: the common ones, plus httplib specifics.
struct httplib_options : transport_options {
    /// Called once on every new client, after gcx has configured it (for https it is an
    /// httplib::SSLClient): for settings gcx does not model (client certificates via
    /// ssl_context(), set_interface, set_hostname_addr_map...). It must not turn off keep-alive
    /// or turn on redirects. Default: empty.
    std::function<void(httplib::ClientImpl&)> configure;

    /// Block SIGPIPE in the sending thread during send() (see the top of this header).
    /// Default: on. Turn it off if the program already ignores SIGPIPE.
    bool suppress_sigpipe = true;
};

namespace detail {

/// Blocks SIGPIPE in this thread for its lifetime and swallows one raised meanwhile.
class sigpipe_guard {
public:
    explicit sigpipe_guard(bool enabled) noexcept {
#if !defined(_WIN32)
        if (!enabled) return;
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        // One already pending is not ours to swallow.
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) return;
        active_ = pthread_sigmask(SIG_BLOCK, &pipe, &old_) == 0;
#else
        (void)enabled;
#endif
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;
    ~sigpipe_guard() {
#if !defined(_WIN32)
        if (!active_) return;
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
            timespec zero{0, 0};
            (void)sigtimedwait(&pipe, nullptr, &zero);
#else
            int sig = 0;
            (void)sigwait(&pipe, &sig);
#endif
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
#endif
    }

private:
#if !defined(_WIN32)
    sigset_t old_{};
    bool active_ = false;
#endif
};

/// Cuts off an exchange that outlives its deadline while httplib reads the status line and
/// headers, where it offers no hook: a server sending headers without end would otherwise hold
/// the request (and grow its memory) for ever. At the deadline it calls ClientImpl::stop(), which
/// httplib makes safe to call from another thread (it shuts the socket down; the sending thread's
/// read then fails). One thread per transport, started by the first request.
class httplib_deadline_watch {
public:
    using clock = std::chrono::steady_clock;

    httplib_deadline_watch() = default;
    httplib_deadline_watch(const httplib_deadline_watch&) = delete;
    httplib_deadline_watch& operator=(const httplib_deadline_watch&) = delete;
    ~httplib_deadline_watch() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

    /// Watches `client` until disarm(); at `deadline` it is stopped.
    std::uint64_t arm(httplib::ClientImpl* client, clock::time_point deadline) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
        const std::uint64_t id = ++next_id_;
        armed_.emplace(id, entry{client, deadline, false});
        cv_.notify_all();
        return id;
    }

    /// Stops watching. Returns whether the deadline fired. Once it returns, the watch never
    /// touches the client again.
    bool disarm(std::uint64_t id) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = armed_.find(id);
        if (it == armed_.end()) return false;
        const bool fired = it->second.fired;
        armed_.erase(it);
        return fired;
    }

private:
    struct entry {
        httplib::ClientImpl* client;
        clock::time_point deadline;
        bool fired;
    };

    void run() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            const auto now = clock::now();
            auto next = clock::time_point::max();
            for (auto& kv : armed_) {
                entry& e = kv.second;
                if (e.fired) continue;
                if (e.deadline <= now) {
                    e.fired = true;
                    e.client->stop();  // under mutex_: disarm() cannot return meanwhile
                } else {
                    next = std::min(next, e.deadline);
                }
            }
            if (next == clock::time_point::max()) cv_.wait(lock);
            else cv_.wait_until(lock, next);
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::map<std::uint64_t, entry> armed_;
    std::uint64_t next_id_ = 0;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace detail

/// A gcx Transport over cpp-httplib: `result<http::response> send(const http::request&)`.
/// Copies share one pool of clients and connections. See the top of this header for the
/// thread-safety contract, how "was the request sent?" is decided, and the timeout model.
class httplib_transport {
public:
    using options = httplib_options;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    httplib_transport() : httplib_transport(options{}) {}

    explicit httplib_transport(options opts) : state_(std::make_shared<state>(std::move(opts))) {}

    // Copies (and moves: a moved-from transport stays usable) share the pool and options.
    httplib_transport(const httplib_transport&) = default;
    httplib_transport(httplib_transport&& other) noexcept : state_(other.state_) {}
    httplib_transport& operator=(const httplib_transport&) = default;
    httplib_transport& operator=(httplib_transport&& other) noexcept {
        state_ = other.state_;
        return *this;
    }
    ~httplib_transport() = default;

    /// Performs one HTTP exchange. Any HTTP status is a response; an error means no complete
    /// response was received. Never throws (but for std::bad_alloc); safe to call concurrently.
    result<http::response> send(const http::request& req) const {
        state& st = *state_;
        auto target = detail::preflight(req, st.opts);
        if (!target) return target.error();
        if (st.init_error) return *st.init_error;
        const http::url_parts& u = *target;
        const std::string where = detail::describe_target(req, u);
#if !defined(CPPHTTPLIB_OPENSSL_SUPPORT)
        if (u.scheme == "https") {
            return detail::transport_error(errc::config, "tls", delivery::not_sent,
                                           where + ": cpp-httplib was built without OpenSSL support",
                                           "define CPPHTTPLIB_OPENSSL_SUPPORT (and link OpenSSL)");
        }
#endif
        const std::string origin = u.scheme + "://" + u.host + ":" + std::to_string(u.port);

        using std::chrono::milliseconds;
        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        const auto deadline = started + req.timeout;

        std::unique_ptr<httplib::ClientImpl> client = st.take(origin);
        if (!client) client = st.make_client(u);

        client->set_connection_timeout(std::min(req.timeout, st.opts.connect_timeout));
        client->set_read_timeout(req.timeout);
        client->set_write_timeout(req.timeout);

        httplib::Request hr;
        hr.method = http::to_string(req.verb);
        hr.path = u.target;
        for (const auto& f : req.fields) hr.headers.emplace(f.name, f.value);
        if (req.header("User-Agent") == nullptr && !st.opts.user_agent.empty())
            hr.headers.emplace("User-Agent", st.opts.user_agent);
        if (req.verb == http::method::post) hr.body = req.body;

        http::response res;
        bool too_large = false;
        bool late = false;
        const std::size_t cap = st.opts.max_response_bytes;
        hr.response_handler = [&](const httplib::Response& r) {
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            if (r.has_header("Content-Length") && r.get_header_value<std::uint64_t>("Content-Length") > cap) {
                too_large = true;  // refuse before reading a byte of it
                return false;
            }
            return true;
        };
        hr.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
            if (n > cap - std::min(cap, res.body.size())) {
                too_large = true;
                return false;
            }
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            res.body.append(data, n);
            return true;
        };

        httplib::Response hres;
        httplib::Error err = httplib::Error::Success;  // left unset by httplib when DNS fails
        bool ok = false;
        {
            detail::sigpipe_guard guard(st.opts.suppress_sigpipe);
            // A small margin past the deadline, so the handlers above see it first when they can.
            const auto watch = st.watch.arm(client.get(), deadline + milliseconds(50));
            ok = client->send(hr, hres, err);
            if (st.watch.disarm(watch)) {
                late = true;
                ok = false;  // stopped: the connection is gone, whatever httplib says
                if (err == httplib::Error::Success) err = httplib::Error::Read;
            }
        }
        const auto elapsed = std::chrono::duration_cast<milliseconds>(clock::now() - started);

        if (ok) {
            st.give_back(origin, std::move(client));
            res.status = hres.status;
            res.fields.reserve(hres.headers.size());
            for (const auto& h : hres.headers) res.fields.push_back(http::header{h.first, h.second});
            return res;
        }
        // A client that failed may hold a connection in an unknown state: never reuse it.
        client.reset();
        return classify(err, too_large, late, elapsed, req.timeout, where);
    }

    /// The options this transport was made with.
    const options& settings() const noexcept { return state_->opts; }

    /// Idle clients in the pool, over all hosts (for tests and diagnostics).
    std::size_t idle_connections() const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        std::size_t n = 0;
        for (const auto& kv : state_->idle) n += kv.second.size();
        return n;
    }

private:
    struct state {
        explicit state(options o) : opts(std::move(o)) {
            if (!opts.proxy.empty()) {
                auto p = detail::parse_proxy(opts.proxy);
                if (p) {
                    proxy = *p;
                } else {
                    init_error = std::make_unique<error>(p.error());
                }
            }
        }

        std::unique_ptr<httplib::ClientImpl> take(const std::string& origin) {
            std::lock_guard<std::mutex> lock(mutex);
            auto it = idle.find(origin);
            if (it == idle.end() || it->second.empty()) return nullptr;
            auto c = std::move(it->second.back());  // LIFO: the most recently used connection
            it->second.pop_back();
            return c;
        }

        void give_back(const std::string& origin, std::unique_ptr<httplib::ClientImpl> c) {
            std::unique_ptr<httplib::ClientImpl> surplus;  // destroyed outside the lock
            std::lock_guard<std::mutex> lock(mutex);
            auto& stack = idle[origin];
            if (stack.size() < opts.max_idle_connections) {
                stack.push_back(std::move(c));
            } else {
                surplus = std::move(c);
            }
        }

        std::unique_ptr<httplib::ClientImpl> make_client(const http::url_parts& u) const {
            std::unique_ptr<httplib::ClientImpl> c;
#if defined(CPPHTTPLIB_OPENSSL_SUPPORT)
            if (u.scheme == "https") {
                auto s = std::make_unique<httplib::SSLClient>(u.host, u.port);
                s->enable_server_certificate_verification(opts.verify_peer);
                if (!opts.ca_file.empty() || !opts.ca_path.empty()) s->set_ca_cert_path(opts.ca_file, opts.ca_path);
                c = std::move(s);
            }
#endif
            if (!c) c = std::make_unique<httplib::ClientImpl>(u.host, u.port);
            c->set_keep_alive(true);
            // httplib writes headers and body separately: without TCP_NODELAY, Nagle holds the
            // body back until the server's delayed ACK (~40 ms per POST).
            c->set_tcp_nodelay(true);
            c->set_follow_location(false);
            c->set_url_encode(false);  // the target is already percent-encoded by gcx
            if (proxy) c->set_proxy(proxy->host, proxy->port);
            if (opts.configure) opts.configure(*c);
            return c;
        }

        options opts;
        std::optional<http::url_parts> proxy;
        std::unique_ptr<error> init_error;  // returned by every send() when set
        mutable std::mutex mutex;
        std::map<std::string, std::vector<std::unique_ptr<httplib::ClientImpl>>> idle;  // guarded by mutex
        detail::httplib_deadline_watch watch;  // declared last: stopped first, before the pool goes
    };

    static error classify(httplib::Error err, bool too_large, bool late, std::chrono::milliseconds elapsed,
                          std::chrono::milliseconds budget, const std::string& where) {
        using std::chrono::milliseconds;
        if (too_large) {
            return detail::transport_error(errc::transport, "too_large", delivery::maybe,
                                           where + ": response body exceeds max_response_bytes", detail::hint_too_large());
        }
        // poll() sleeps at least the timeout; a few ms of slack absorbs clock granularity.
        const bool deadline_passed = late || elapsed + milliseconds(5) >= budget;
        switch (err) {
        case httplib::Error::Success:  // httplib returned false without an error: name resolution
            return detail::transport_error(errc::transport, "resolve", delivery::not_sent,
                                           where + ": could not resolve the host name", detail::hint_connect());
        case httplib::Error::Connection:
        case httplib::Error::BindIPAddress:
            return detail::transport_error(errc::transport, "connect", delivery::not_sent,
                                           where + ": could not connect", detail::hint_connect());
        case httplib::Error::ConnectionTimeout:
            if (deadline_passed) {
                return detail::transport_error(errc::timeout, "timeout", delivery::not_sent,
                                               where + ": timed out while connecting");
            }
            return detail::transport_error(errc::transport, "connect", delivery::not_sent,
                                           where + ": connect timed out", detail::hint_connect());
        case httplib::Error::SSLConnection:
            return detail::transport_error(errc::transport, "tls", delivery::not_sent,
                                           where + ": TLS handshake failed", detail::hint_tls());
        case httplib::Error::SSLServerVerification:
            return detail::transport_error(errc::transport, "certificate", delivery::not_sent,
                                           where + ": server certificate verification failed", detail::hint_tls());
        case httplib::Error::SSLLoadingCerts:
            return detail::transport_error(errc::config, "tls", delivery::not_sent,
                                           where + ": could not load the CA certificates",
                                           "check that ca_file / ca_path name readable PEM certificates");
        case httplib::Error::Read:
            if (deadline_passed) {
                return detail::transport_error(errc::timeout, "timeout", delivery::maybe,
                                               where + ": no complete response within " +
                                                   std::to_string(budget.count()) + " ms");
            }
            return detail::transport_error(errc::transport, "recv", delivery::maybe,
                                           where + ": connection closed or reset before a complete response");
        case httplib::Error::Write:
            if (deadline_passed) {
                return detail::transport_error(errc::timeout, "timeout", delivery::maybe,
                                               where + ": timed out while sending the request");
            }
            return detail::transport_error(errc::transport, "send", delivery::maybe,
                                           where + ": failed to send the request");
        case httplib::Error::Canceled:
            if (late) {
                return detail::transport_error(errc::timeout, "timeout", delivery::maybe,
                                               where + ": no complete response within " +
                                                   std::to_string(budget.count()) + " ms");
            }
            return detail::transport_error(errc::transport, "canceled", delivery::maybe, where + ": request canceled");
        case httplib::Error::Compression:
            return detail::transport_error(errc::transport, "protocol", delivery::maybe,
                                           where + ": could not decompress the response");
        default:
            return detail::transport_error(errc::transport, "unknown", delivery::maybe,
                                           where + ": request failed (" + httplib::to_string(err) + ")");
        }
    }

    std::shared_ptr<state> state_;
};

} // namespace adapters
GCX_NAMESPACE_END

#endif
