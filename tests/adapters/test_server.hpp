// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_TESTS_ADAPTERS_TEST_SERVER_HPP
#define GCX_TESTS_ADAPTERS_TEST_SERVER_HPP

// An in-process HTTP(S) server on 127.0.0.1 for the transport tests, built on cpp-httplib.
//
//     gcx_test::test_server srv;                       // or test_server srv{cert, key} for HTTPS
//     srv.get("/hello", [](const httplib::Request&, httplib::Response& res) { ... });
//     srv.start();                                     // binds port 0, serves on its own thread
//     transport.send(gcx_test::get(srv.url("/hello")));
//     CHECK(srv.connections() == 1);
//
// Connection counting: httplib's Server accepts each TCP connection on its listening thread and
// hands it, exactly once, to the task queue made by `Server::new_task_queue`. The server
// installs a queue that counts those hand-overs and forwards them to an httplib::ThreadPool, so
// connections() is the exact number of accepted connections (every request on a keep-alive
// connection then runs on the same pool task).
//
// Routes must be added before start(). Handlers run on the server's pool threads: state they
// share with the test must be atomic or locked. wait_for_release() lets a handler hang until
// the test (or the server's destructor) releases it, so "never answers" cannot hang the suite.

#include <httplib.h>

#include "test_pki.hpp"  // test_pki, for the HTTPS tests

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gcx_test {

class test_server {
public:
    using handler = httplib::Server::Handler;

    /// Plain HTTP.
    test_server() : server_(std::make_unique<httplib::Server>()) { configure(); }

    /// HTTPS with this certificate chain and key (PEM files).
    test_server(const std::string& cert_file, const std::string& key_file)
        : server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())), tls_(true) {
        if (!server_->is_valid()) throw std::runtime_error("test_server: cannot load " + cert_file);
        configure();
    }

    test_server(const test_server&) = delete;
    test_server& operator=(const test_server&) = delete;

    ~test_server() { stop(); }

    test_server& get(const std::string& pattern, handler h) {
        server_->Get(pattern, std::move(h));
        return *this;
    }
    test_server& post(const std::string& pattern, handler h) {
        server_->Post(pattern, std::move(h));
        return *this;
    }
    /// The underlying server, for anything else (before start()).
    httplib::Server& raw() { return *server_; }

    void start() {
        port_ = server_->bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("test_server: cannot bind 127.0.0.1");
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        // The socket already listens (bind_to_any_port); wait for the accept loop anyway so
        // stop() never races with listen_after_bind().
        while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

    void stop() {
        release();
        if (thread_.joinable()) {
            server_->stop();
            thread_.join();
        }
    }

    std::uint16_t port() const { return static_cast<std::uint16_t>(port_); }

    /// "http://127.0.0.1:<port><path>" (https for a TLS server); `host` may be "localhost".
    std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
        return std::string(tls_ ? "https" : "http") + "://" + host + ":" + std::to_string(port_) + path;
    }

    /// TCP connections accepted so far.
    std::size_t connections() const { return counters_->connections.load(); }

    /// Requests routed so far (any path).
    std::size_t requests() const { return counters_->requests.load(); }

    /// Blocks a handler until release() (or the server stops), at most `max`. True if released.
    bool wait_for_release(std::chrono::milliseconds max) {
        std::unique_lock<std::mutex> lock(release_mutex_);
        return release_cv_.wait_for(lock, max, [this] { return released_; });
    }

    void release() {
        {
            std::lock_guard<std::mutex> lock(release_mutex_);
            released_ = true;
        }
        release_cv_.notify_all();
    }

private:
    struct counters {
        std::atomic<std::size_t> connections{0};
        std::atomic<std::size_t> requests{0};
    };

    /// Counts each accepted connection on its way to the worker threads.
    class counting_queue : public httplib::TaskQueue {
    public:
        counting_queue(std::shared_ptr<counters> c, std::size_t threads) : counters_(std::move(c)), pool_(threads) {}
        void enqueue(std::function<void()> fn) override {
            counters_->connections.fetch_add(1);
            pool_.enqueue(std::move(fn));
        }
        void shutdown() override { pool_.shutdown(); }

    private:
        std::shared_ptr<counters> counters_;
        httplib::ThreadPool pool_;
    };

    void configure() {
        auto c = counters_;
        // Enough workers for every connection the tests hold open at once (each keep-alive
        // connection occupies one worker until it closes).
        server_->new_task_queue = [c] { return new counting_queue(c, 16); };
        server_->set_pre_routing_handler([c](const httplib::Request&, httplib::Response&) {
            c->requests.fetch_add(1);
            return httplib::Server::HandlerResponse::Unhandled;
        });
        server_->set_tcp_nodelay(true);             // httplib writes headers and body separately
        server_->set_keep_alive_max_count(100000);  // httplib's default closes after 5 requests
        server_->set_keep_alive_timeout(5);
        server_->set_read_timeout(5, 0);
        server_->set_write_timeout(5, 0);
    }

    std::unique_ptr<httplib::Server> server_;
    bool tls_ = false;
    int port_ = 0;
    std::thread thread_;
    std::shared_ptr<counters> counters_ = std::make_shared<counters>();
    std::mutex release_mutex_;
    std::condition_variable release_cv_;
    bool released_ = false;
};

/// A 127.0.0.1 port nothing listens on (bound, then closed).
inline std::uint16_t refused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() failed");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

}  // namespace gcx_test

#endif
