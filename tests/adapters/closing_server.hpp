// gcx — tests: a server that closes every kept-alive connection right after answering, without
// "Connection: close" (the raw socket helpers of raw_server.hpp). It answers token, launch and poll
// requests, one per connection, and counts what it received: a launch received twice for one
// number is a duplicate launch. Used by adapters-closing-server (closing_server_count.cpp) and
// the asio client's tests.
#ifndef GCX_TESTS_ADAPTERS_CLOSING_SERVER_HPP
#define GCX_TESTS_ADAPTERS_CLOSING_SERVER_HPP

#include "raw_server.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gcx_test {

/// Answers one request per connection, then closes it.
class closing_server {
public:
    closing_server() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 128) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            std::fprintf(stderr, "bind failed\n");
            std::exit(2);
        }
        port_ = ntohs(a.sin_port);
        accept_ = std::thread([this] { accept_loop(); });
    }
    ~closing_server() {
        stop_ = true;
        accept_.join();
        while (active_.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ::close(fd_);
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    std::atomic<int> connections{0}, tokens{0}, launches{0}, polls{0};
    int launched_twice() {
        std::lock_guard<std::mutex> lock(m_);
        int n = 0;
        for (const auto& kv : per_number_)
            if (kv.second > 1) n += kv.second - 1;
        return n;
    }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) continue;
            ++connections;
            ++active_;
            std::thread([this, c] {
                serve(c);
                ::close(c);  // right after answering, without "Connection: close"
                --active_;
            }).detach();
        }
    }

    void serve(int fd) {
        std::string head, body;
        if (!raw_server::read_request(fd, head, body)) return;
        if (head.rfind("POST /oauth/token", 0) == 0) {
            ++tokens;
            raw_server::write_all(
                fd, raw_server::ok(R"({"access_token":"tok-closing","token_type":"bearer","expires_in":86400})"));
        } else if (head.rfind("POST /api/v2/flows/executions", 0) == 0) {
            const int id = ++launches;
            {
                auto p = body.find("+1");
                std::lock_guard<std::mutex> lock(m_);
                ++per_number_[p == std::string::npos ? body : body.substr(p, 12)];
            }
            raw_server::write_all(fd, raw_server::ok(R"({"id":"exec-)" + std::to_string(id) + R"("})"));
        } else if (head.rfind("GET /api/v2/flows/executions/", 0) == 0) {
            ++polls;
            raw_server::write_all(fd, raw_server::ok(R"({"id":")" + raw_server::polled_id(head) +
                                                     R"(","status":"COMPLETED","outputData":{"Flow.Found":false}})"));
        } else {
            raw_server::write_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> active_{0};
    std::thread accept_;
    std::mutex m_;
    std::map<std::string, int> per_number_;
};

}  // namespace gcx_test

#endif
