// Consumer test (a): a program that has nothing of gcx but single_include/gcx/gcx.hpp, with its
// own transport over POSIX sockets (plain HTTP/1.1, one connection per request), looking a
// customer up in gcx-sim and mapping the flow's outputs into its own struct.
//
//   c++ -std=c++17 -I<gcx>/single_include main.cpp -lboost_json -lpthread
//   ./a.out http://127.0.0.1:PORT CLIENT_ID CLIENT_SECRET FLOW_ID PHONE
#define GCX_WITH_BOOST_JSON  // the Boost.JSON backend, from the same single header
#include <gcx/gcx.hpp>       // BOOST_DESCRIBE_STRUCT and BOOST_DESCRIBE_ENUM come with it

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

// ---- the transport: ~50 lines --------------------------------------------------------------------
struct socket_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request& req) const {
        auto url = gcx::http::parse_url(req.url);
        if (!url) return url.error();
        if (url->scheme != "http") return gcx::make_error(gcx::errc::config, "this transport speaks plain http only");
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* ai = nullptr;
        if (getaddrinfo(url->host.c_str(), std::to_string(url->port).c_str(), &hints, &ai) != 0 || !ai)
            return failure("cannot resolve host", gcx::delivery::not_sent);
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        timeval tv{static_cast<time_t>(req.timeout.count() / 1000),
                   static_cast<suseconds_t>(req.timeout.count() % 1000 * 1000)};
        bool connected = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 &&
                         setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0 &&
                         connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
        freeaddrinfo(ai);
        if (!connected) {
            if (fd >= 0) close(fd);
            return failure("cannot connect", gcx::delivery::not_sent);  // nothing sent: safe to resend
        }
        std::string out = std::string(gcx::http::to_string(req.verb)) + " " + url->target +
                          " HTTP/1.1\r\nHost: " + url->host +
                          "\r\nConnection: close\r\nContent-Length: " + std::to_string(req.body.size()) + "\r\n";
        for (const auto& h : req.fields) out += h.name + ": " + h.value + "\r\n";
        out += "\r\n" + req.body;
        std::string in;
        bool ok = true;
        for (std::size_t done = 0; ok && done < out.size();) {
            ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
            ok = n > 0;
            if (ok) done += static_cast<std::size_t>(n);
        }
        char buf[4096];
        for (ssize_t n; ok && (n = recv(fd, buf, sizeof buf, 0)) != 0;) {  // Connection: close -> read to EOF
            ok = n > 0;
            if (ok) in.append(buf, static_cast<std::size_t>(n));
        }
        close(fd);
        auto head_end = in.find("\r\n\r\n");
        if (!ok || head_end == std::string::npos || in.size() < 12)
            return failure("exchange failed", gcx::delivery::maybe);  // the server may have acted on it
        gcx::http::response r;
        r.status = std::stoi(in.substr(9, 3));  // "HTTP/1.1 200 OK"
        for (auto pos = in.find("\r\n") + 2; pos < head_end;) {
            auto eol = in.find("\r\n", pos), colon = in.find(':', pos);
            if (colon < eol)
                r.fields.push_back(
                    {in.substr(pos, colon - pos),
                     in.substr(in.find_first_not_of(' ', colon + 1), eol - in.find_first_not_of(' ', colon + 1))});
            pos = eol + 2;
        }
        r.body = in.substr(head_end + 4);
        return r;
    }

    static gcx::error failure(const char* what, gcx::delivery sent) {
        auto e = gcx::make_error(gcx::errc::transport, what);
        e.sent = sent;
        return e;
    }
};

// ---- the caller's view of the flow's outputs ---------------------------------------------------
struct lookup_outputs {
    bool Found = false;                      // "Flow.Found"
    std::optional<std::int64_t> MatchCount;  // "Flow.MatchCount", may be absent
    std::optional<std::string> ContactId;    // "Flow.ContactId"
};
BOOST_DESCRIBE_STRUCT(lookup_outputs, (), (Found, MatchCount, ContactId))

enum class verdict { found, not_found };
BOOST_DESCRIBE_ENUM(verdict, found, not_found)

static_assert(gcx::is_transport_v<socket_transport>);

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: " << argv[0] << " API_URL CLIENT_ID CLIENT_SECRET FLOW_ID PHONE\n";
        return 2;
    }
    static_assert(GCX_VERSION_MAJOR == 0, "this test was written for gcx 0.x");
    gcx::client_config cfg;
    auto ep = gcx::endpoints::from_urls(argv[1]);
    if (!ep) {
        std::cerr << ep.error().describe() << "\n";
        return 1;
    }
    cfg.endpoints = *ep;
    cfg.client_id = argv[2];
    cfg.client_secret = gcx::secret(argv[3]);
    cfg.flow_id = argv[4];

    auto client = gcx::basic_client<socket_transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup<lookup_outputs>(argv[5]);
    if (!r) {
        std::cerr << "lookup failed: " << r.error().describe() << "\n";
        return 1;
    }
    std::cout << "gcx " << GCX_VERSION_STRING << " single header: execution " << r->execution.id
              << ", Found=" << (r->outputs.Found ? "true" : "false")
              << ", ContactId=" << r->outputs.ContactId.value_or("-") << ", verdict="
              << gcx::to_json_text<gcx::json::boost_json>(r->outputs.Found ? verdict::found : verdict::not_found)
              << "\n";
    return r->outputs.Found ? 0 : 1;
}
