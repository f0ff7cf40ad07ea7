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

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
        server_->set_tcp_nodelay(true);  // httplib writes headers and body separately
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

/// A throw-away PKI made with the openssl command line, in a temporary directory removed at
/// exit: a CA, a server certificate it signed for 127.0.0.1 and localhost, and a certificate
/// from the same CA for another name only.
class test_pki {
public:
    static const test_pki& instance() {
        static const test_pki pki;
        return pki;
    }

    std::string ca_cert;      ///< PEM of the CA
    std::string server_cert;  ///< SAN IP:127.0.0.1, DNS:localhost
    std::string server_key;
    std::string other_cert;   ///< SAN DNS:other.invalid only
    std::string other_key;

    test_pki(const test_pki&) = delete;
    test_pki& operator=(const test_pki&) = delete;
    ~test_pki() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

private:
    test_pki() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "gcx-pki-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        auto path = [this](const char* name) { return (dir_ / name).string(); };
        ca_cert = path("ca.pem");
        server_cert = path("server.pem");
        server_key = path("server.key");
        other_cert = path("other.pem");
        other_key = path("other.key");
        write(path("server.ext"),
              "basicConstraints=critical,CA:FALSE\n"
              "keyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth\n"
              "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        write(path("other.ext"),
              "basicConstraints=critical,CA:FALSE\n"
              "keyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth\n"
              "subjectAltName=DNS:other.invalid\n");
        const std::string d = "'" + dir_.string() + "/";
        const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
        run("openssl req -x509" + ec + "-keyout " + d + "ca.key' -out " + d +
            "ca.pem' -days 2 -subj '/CN=gcx test CA' "
            "-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'");
        for (const char* name : {"server", "other"}) {
            const std::string n = name;
            run("openssl req" + ec + "-keyout " + d + n + ".key' -out " + d + n + ".csr' -subj '/CN=gcx test " + n +
                "'");
            run("openssl x509 -req -in " + d + n + ".csr' -CA " + d + "ca.pem' -CAkey " + d +
                "ca.key' -CAcreateserial -days 2 -extfile " + d + n + ".ext' -out " + d + n + ".pem'");
        }
    }

    static void write(const std::string& file, const std::string& text) {
        std::ofstream(file) << text;
    }

    static void run(const std::string& cmd) {
        const std::string quiet = cmd + " >/dev/null 2>&1";
        if (std::system(quiet.c_str()) != 0) throw std::runtime_error("test PKI: command failed: " + cmd);
    }

    std::filesystem::path dir_;
};

} // namespace gcx_test

#endif
