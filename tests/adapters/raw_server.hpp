// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// raw_server: a TCP server on 127.0.0.1 that speaks bytes, not HTTP, so a test can make it
// misbehave freely (cut answers, hang, close after reading a request). Linux sockets only.
#ifndef GCX_TEST_RAW_SERVER_HPP
#define GCX_TEST_RAW_SERVER_HPP

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gcx_test {

/// A TCP server on 127.0.0.1 that hands each accepted connection to `handler(fd, index)` on its
/// own thread. Stops (shutting every connection down) at destruction.
class raw_server {
public:
    using handler = std::function<void(int fd, int connection_index)>;
    explicit raw_server(handler h) : h_(std::move(h)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            throw std::runtime_error("raw_server: bind failed");
        port_ = ntohs(a.sin_port);
        accept_ = std::thread([this] {
            for (int i = 0;; ++i) {
                pollfd p{fd_, POLLIN, 0};
                while (!stop_ && ::poll(&p, 1, 50) == 0) {}
                if (stop_) return;
                int c = ::accept(fd_, nullptr, nullptr);
                if (c < 0) return;
                std::lock_guard<std::mutex> lk(m_);
                conns_.push_back(c);
                workers_.emplace_back([this, c, i] { h_(c, i); });
            }
        });
    }
    raw_server(const raw_server&) = delete;
    raw_server& operator=(const raw_server&) = delete;
    ~raw_server() {
        stop_ = true;
        accept_.join();
        {
            std::lock_guard<std::mutex> lk(m_);
            for (int c : conns_) ::shutdown(c, SHUT_RDWR);
        }
        for (auto& w : workers_) w.join();
        for (int c : conns_) ::close(c);
        ::close(fd_);
    }
    std::string url(const std::string& path) const { return base_url() + path; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    bool stopping() const { return stop_; }

    /// Reads one request (headers, then Content-Length bytes of body). False at end of stream.
    /// `heads` (if given) counts request heads seen, complete with their body or not.
    static bool read_request(int fd, std::string& head, std::string& body, std::atomic<int>* heads = nullptr) {
        std::string buf;
        char tmp[4096];
        std::size_t end;
        while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
            ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n <= 0) return false;
            buf.append(tmp, static_cast<std::size_t>(n));
        }
        if (heads) ++*heads;
        head = buf.substr(0, end);
        body = buf.substr(end + 4);
        std::size_t length = 0;
        for (const char* name : {"Content-Length: ", "content-length: "})
            if (auto p = head.find(name); p != std::string::npos)
                length = std::stoul(head.substr(p + std::strlen(name)));
        while (body.size() < length) {
            ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n <= 0) return false;
            body.append(tmp, static_cast<std::size_t>(n));
        }
        return true;
    }
    static bool write_all(int fd, const std::string& s) {
        std::size_t off = 0;
        while (off < s.size()) {
            ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }
    /// The execution id a poll's request line names ("GET /api/v2/flows/executions/<id> HTTP/1.1"),
    /// for an answer about that execution (gcx refuses one about another).
    static std::string polled_id(const std::string& head) {
        const std::string at = "/flows/executions/";
        const auto from = head.find(at);
        if (from == std::string::npos) return {};
        const auto begin = from + at.size();
        return head.substr(begin, head.find_first_of(" ?\r\n", begin) - begin);
    }

    /// A 200 answer with a JSON body.
    static std::string ok(const std::string& json_body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(json_body.size()) + "\r\n\r\n" + json_body;
    }

private:
    handler h_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread accept_;
    std::mutex m_;
    std::vector<int> conns_;
    std::vector<std::thread> workers_;
};

}  // namespace gcx_test

#endif
