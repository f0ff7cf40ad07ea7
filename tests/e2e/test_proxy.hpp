// A small HTTP proxy on 127.0.0.1 for the end-to-end tests: CONNECT tunnels (for https) and
// absolute-form forwarding (for http, one request per connection, "Connection: close" both
// ways). It resolves the name given to it (`alias`) itself (e.g. gcx-sim.test -> 127.0.0.1),
// so a URL with such a name works only through the proxy, and it records every request line
// it was asked for and every Proxy-Authorization it received.
#ifndef GCX_TESTS_E2E_TEST_PROXY_HPP
#define GCX_TESTS_E2E_TEST_PROXY_HPP

#include "../adapters/raw_server.hpp"

#include <netdb.h>
#include <poll.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace e2e {

class test_proxy {
public:
    /// `alias`, when given, is a host name the proxy resolves to 127.0.0.1 itself.
    explicit test_proxy(const std::string& alias = {})
        : aliases_(alias.empty() ? std::map<std::string, std::string>{}
                                 : std::map<std::string, std::string>{{alias, "127.0.0.1"}}),
          server_([this](int fd, int) { serve(fd); }) {}

    std::string url() const { return server_.base_url(); }
    /// The same proxy URL with credentials in it.
    std::string url_with(const std::string& userinfo) const { return "http://" + userinfo + "@" + url().substr(7); }

    int tunnels() const { return tunnels_.load(); }      ///< CONNECTs answered 200
    int forwarded() const { return forwarded_.load(); }  ///< http requests forwarded
    std::vector<std::string> requests() const {          ///< every request line seen ("CONNECT h:p")
        std::lock_guard<std::mutex> lk(m_);
        return lines_;
    }
    std::vector<std::string> authorizations() const {  ///< every Proxy-Authorization value seen
        std::lock_guard<std::mutex> lk(m_);
        return auths_;
    }

private:
    static std::string header(const std::string& head, const std::string& name) {
        std::size_t pos = head.find("\r\n");
        while (pos != std::string::npos && pos < head.size()) {
            const std::size_t start = pos + 2, end = std::min(head.find("\r\n", start), head.size());
            const std::string line = head.substr(start, end - start);
            const auto colon = line.find(':');
            if (colon != std::string::npos && colon == name.size()) {
                bool same = true;
                for (std::size_t i = 0; i < colon; ++i) same = same && std::tolower(line[i]) == std::tolower(name[i]);
                if (same) return line.substr(line.find_first_not_of(' ', colon + 1));
            }
            pos = end;
            if (end == head.size()) break;
        }
        return {};
    }

    int dial(std::string host, const std::string& port) const {
        if (auto a = aliases_.find(host); a != aliases_.end()) host = a->second;
        addrinfo hints{}, *res = nullptr;
        hints.ai_socktype = SOCK_STREAM;
        if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) return -1;
        int fd = -1;
        for (addrinfo* r = res; r && fd < 0; r = r->ai_next) {
            fd = ::socket(r->ai_family, r->ai_socktype, r->ai_protocol);
            if (fd >= 0 && ::connect(fd, r->ai_addr, r->ai_addrlen) != 0) {
                ::close(fd);
                fd = -1;
            }
        }
        ::freeaddrinfo(res);
        return fd;
    }

    // Copies bytes both ways until either side closes (or the proxy stops).
    void relay(int a, int b) const {
        char buf[16384];
        for (;;) {
            pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
            const int n = ::poll(p, 2, 50);
            if (server_.stopping()) return;
            if (n <= 0) continue;
            for (int i = 0; i < 2; ++i) {
                if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                const ssize_t got = ::recv(p[i].fd, buf, sizeof buf, 0);
                if (got <= 0) return;
                if (!gcx_test::raw_server::write_all(p[1 - i].fd, std::string(buf, static_cast<std::size_t>(got))))
                    return;
            }
        }
    }

    void serve(int client) {
        std::string head, body;
        if (!gcx_test::raw_server::read_request(client, head, body)) return;
        const std::string line = head.substr(0, head.find("\r\n"));
        const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
        const std::string method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        {
            std::lock_guard<std::mutex> lk(m_);
            lines_.push_back(method + " " + target);
            if (auto a = header(head, "Proxy-Authorization"); !a.empty()) auths_.push_back(a);
        }
        const auto bad_gateway = [client] {
            gcx_test::raw_server::write_all(
                client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        };
        if (method == "CONNECT") {
            const auto colon = target.rfind(':');
            const int up = dial(target.substr(0, colon), target.substr(colon + 1));
            if (up < 0) return bad_gateway();
            ++tunnels_;
            if (gcx_test::raw_server::write_all(client, "HTTP/1.1 200 Connection established\r\n\r\n") &&
                (body.empty() || gcx_test::raw_server::write_all(up, body)))
                relay(client, up);
            ::close(up);
            return;
        }
        // Absolute form: http://host:port/path
        if (target.rfind("http://", 0) != 0) return bad_gateway();
        const auto path_at = target.find('/', 7);
        const std::string authority = target.substr(7, path_at - 7);
        const std::string path = path_at == std::string::npos ? "/" : target.substr(path_at);
        const auto colon = authority.rfind(':');
        const int up =
            dial(authority.substr(0, colon), colon == std::string::npos ? "80" : authority.substr(colon + 1));
        if (up < 0) return bad_gateway();
        ++forwarded_;
        std::string out = method + " " + path + line.substr(sp2) + "\r\n";
        for (std::size_t pos = head.find("\r\n"); pos != std::string::npos && pos < head.size();) {
            const std::size_t start = pos + 2, end = std::min(head.find("\r\n", start), head.size());
            const std::string h = head.substr(start, end - start);
            std::string lower = h.substr(0, h.find(':'));
            for (char& c : lower) c = static_cast<char>(std::tolower(c));
            if (lower != "proxy-authorization" && lower != "proxy-connection" && lower != "connection")
                out += h + "\r\n";
            pos = end == head.size() ? std::string::npos : end;
        }
        out += "Connection: close\r\n\r\n" + body;
        if (gcx_test::raw_server::write_all(up, out)) {
            // The answer's head gets "Connection: close" (this connection carries one exchange),
            // then everything until the server closes.
            std::string answer;
            char buf[16384];
            ssize_t got;
            while (answer.find("\r\n\r\n") == std::string::npos && (got = ::recv(up, buf, sizeof buf, 0)) > 0)
                answer.append(buf, static_cast<std::size_t>(got));
            const auto end = answer.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::string rhead;
                for (std::size_t pos = 0; pos < end;) {
                    const std::size_t e = std::min(answer.find("\r\n", pos), end);
                    std::string h = answer.substr(pos, e - pos);
                    std::string lower = h.substr(0, h.find(':'));
                    for (char& c : lower) c = static_cast<char>(std::tolower(c));
                    if (lower != "connection") rhead += h + "\r\n";
                    pos = e + 2;
                }
                if (gcx_test::raw_server::write_all(client,
                                                    rhead + "Connection: close\r\n\r\n" + answer.substr(end + 4)))
                    while ((got = ::recv(up, buf, sizeof buf, 0)) > 0)
                        if (!gcx_test::raw_server::write_all(client, std::string(buf, static_cast<std::size_t>(got))))
                            break;
            }
        }
        ::close(up);
        ::shutdown(client, SHUT_RDWR);
    }

    std::map<std::string, std::string> aliases_;
    std::atomic<int> tunnels_{0}, forwarded_{0};
    mutable std::mutex m_;
    std::vector<std::string> lines_, auths_;
    gcx_test::raw_server server_;  // last: its threads stop before the members above go
};

}  // namespace e2e

#endif
