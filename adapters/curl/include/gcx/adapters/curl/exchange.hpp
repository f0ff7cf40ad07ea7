// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_EXCHANGE_HPP
#define GCX_ADAPTERS_CURL_EXCHANGE_HPP

// One libcurl transfer's callbacks and the state they write into: the response body (with its
// cap) and headers, "did libcurl write any byte of the request?", and the guards that refuse a
// second send of a POST (see "Was the request sent?" in gcx/adapters/curl.hpp).

#include <gcx/adapters/common/socket_probe.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>
#if !defined(_WIN32)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The sockets of the connections in a connection cache that several handles share
/// (curl_multi_runner's): each added when libcurl opens it (gcx_curl_open_socket), removed when
/// libcurl closes it (gcx_curl_close_socket). So the prerequest callback, which is told only the
/// local port of the connection a request is about to go on, can look at that connection's socket.
/// One thread (the runner's).
class curl_socket_registry {
public:
    void add(curl_socket_t fd) { fds_.push_back(fd); }
    void remove(curl_socket_t fd) noexcept {
        auto it = std::find(fds_.begin(), fds_.end(), fd);
        if (it != fds_.end()) {
            *it = fds_.back();
            fds_.pop_back();
        }
    }
    /// The socket of the connection from local port `local_port` to `peer_ip`:`peer_port` (what
    /// the prerequest callback is told; Linux gives the same local port to connections to two
    /// hosts, the login's and the API's, both on 443, so the ports alone may name the wrong one),
    /// or CURL_SOCKET_BAD. `peer_ip` as libcurl writes it (inet_ntop's form); empty or null: not
    /// compared.
    curl_socket_t find(int local_port, int peer_port, const char* peer_ip = nullptr) const noexcept {
#if !defined(_WIN32)
        if (local_port <= 0) return CURL_SOCKET_BAD;
        auto port_of = [](const sockaddr_storage& a) {
            if (a.ss_family == AF_INET)
                return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port));
            if (a.ss_family == AF_INET6)
                return static_cast<int>(ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port));
            return -1;
        };
        auto ip_is = [peer_ip](const sockaddr_storage& a) {
            if (peer_ip == nullptr || *peer_ip == '\0') return true;
            char text[INET6_ADDRSTRLEN] = {};
            const void* at = a.ss_family == AF_INET
                                 ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in&>(a).sin_addr)
                                 : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6&>(a).sin6_addr);
            return ::inet_ntop(a.ss_family, at, text, sizeof text) != nullptr && std::strcmp(text, peer_ip) == 0;
        };
        for (curl_socket_t fd : fds_) {
            sockaddr_storage local{}, peer{};
            socklen_t len = sizeof local, peer_len = sizeof peer;
            if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0 || port_of(local) != local_port)
                continue;
            if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 || port_of(peer) != peer_port ||
                !ip_is(peer))
                continue;
            return fd;
        }
#else
        (void)local_port;
        (void)peer_port;
        (void)peer_ip;
#endif
        return CURL_SOCKET_BAD;
    }

private:
    std::vector<curl_socket_t> fds_;
};

/// The state one transfer's callbacks write into.
struct curl_exchange {
    http::response* res = nullptr;
    std::size_t max_body = 0;
    std::size_t max_headers = 0;   ///< most bytes of status lines and headers
    std::size_t header_bytes = 0;  ///< received so far
    CURL* easy = nullptr;          ///< the handle doing the transfer
    bool too_large = false;
    bool headers_too_large = false;
    bool length_conflict = false;  ///< two different Content-Length values (http::content_length_conflict)
    bool out_of_memory = false;
    bool no_replay = false;         ///< a POST: never written on a second connection
    bool replay_refused = false;    ///< libcurl wanted to send it again (new or other connection)
    bool resent = false;            ///< libcurl sent it again: a reused connection closed unanswered
    bool via_proxy = false;         ///< the request goes through the proxy (not bypassed by no_proxy)
    bool request_went = false;      ///< the prerequest callback let the request go once already
    long bytes_before_request = 0;  ///< CURLINFO_REQUEST_SIZE then: a proxy's CONNECT request
    bool opened = false;            ///< libcurl opened a socket for this transfer
    bool stale_refused = false;     ///< refused on a reused connection with bytes waiting
    /// No header block is open: the next line is a status line (the first, or the next response's
    /// after a 1xx or a proxy's CONNECT answer), else a trailer after a chunked body (dropped).
    bool between_blocks = true;
    /// The sockets of the shared connection cache (curl_multi_runner), for the prerequest
    /// callback's look at a reused connection; nullptr: not looked at there (curl_transport
    /// looks at its own handle's connection before the transfer). Kept across transfers.
    curl_socket_registry* sockets = nullptr;

    void start(CURL* h, http::response* r, std::size_t cap, std::size_t header_cap, bool post) noexcept {
        curl_socket_registry* keep = sockets;
        *this = curl_exchange{};
        sockets = keep;
        easy = h;
        res = r;
        max_body = cap;
        max_headers = header_cap;
        no_replay = post;
    }
};

/// Whether libcurl wrote any byte of a request to a connection during the current transfer.
inline bool curl_wrote(CURL* h) noexcept {
    long request_size = 0;
    curl_off_t uploaded = 0;
    const bool a = curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size) == CURLE_OK && request_size > 0;
    const bool b = curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &uploaded) == CURLE_OK && uploaded > 0;
    return a || b;
}

/// Whether libcurl wrote any byte of *this request* to a connection during the current transfer:
/// unlike curl_wrote, not counting the CONNECT request that opened a proxy's tunnel before it
/// (CURLINFO_REQUEST_SIZE counts that too). With libcurl 7.80+ the prerequest callback tells
/// when the request went; before that, curl_wrote.
inline bool curl_request_written(const curl_exchange& ex) noexcept {
#if LIBCURL_VERSION_NUM >= 0x075000      // 7.80.0
    if (!ex.request_went) return false;  // it never went: what was counted was a CONNECT's
    long request_size = 0;
    curl_off_t uploaded = 0;
    curl_easy_getinfo(ex.easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(ex.easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    return request_size > ex.bytes_before_request || uploaded > 0;
#else
    return curl_wrote(ex.easy);
#endif
}

inline std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

extern "C" {
// Callbacks handed to C: C linkage, and no exception may escape them.
inline std::size_t gcx_curl_on_body(char* data, std::size_t size, std::size_t nmemb, void* user) {
    auto* ex = static_cast<curl_exchange*>(user);
    const std::size_t n = size * nmemb;
    if (n > ex->max_body - std::min(ex->max_body, ex->res->body.size())) {
        ex->too_large = true;
        return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
    }
    try {
        ex->res->body.append(data, n);
    } catch (...) {
        ex->out_of_memory = true;
        return 0;
    }
    return n;
}

inline std::size_t gcx_curl_on_header(char* data, std::size_t size, std::size_t nitems, void* user) {
    auto* ex = static_cast<curl_exchange*>(user);
    const std::size_t n = size * nitems;
    std::string_view line(data, n);
    if (ex->max_headers > 0 && n > ex->max_headers - std::min(ex->max_headers, ex->header_bytes)) {
        ex->headers_too_large = true;
        return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
    }
    ex->header_bytes += n;
    try {
        auto& fields = ex->res->fields;
        if (ex->between_blocks) {
            // A status line starts a new response (after 100 Continue, a CONNECT answer...): keep
            // the last one's headers. Anything else here follows a body: a chunked body's
            // trailers, which are not the response's headers (a Retry-After or a Connection
            // there must not count).
            if (line.size() >= 5 && http::iequals(line.substr(0, 5), "HTTP/")) {
                ex->between_blocks = false;
                fields.clear();
                fields.reserve(8);  // one allocation for a typical answer's headers, not three
            }
        } else if (line == "\r\n" || line == "\n") {
            ex->between_blocks = true;  // the empty line that ends a header block (one of blanks is not)
            // libcurl 7.88 takes the last Content-Length: a body cut short (or run into the next
            // answer) would be returned as the whole one.
            if (http::content_length_conflict(fields)) {
                ex->length_conflict = true;
                return 0;  // != n: libcurl aborts with CURLE_WRITE_ERROR
            }
        } else if (line.front() == ' ' || line.front() == '\t') {
            auto more = trim_ows(line);  // obsolete line folding: continues the previous value
            if (!fields.empty() && !more.empty()) {
                fields.back().value += ' ';
                fields.back().value += more;
            }
        } else {
            auto colon = line.find(':');
            if (colon != std::string_view::npos && colon > 0) {
                fields.push_back(
                    http::header{std::string(line.substr(0, colon)), std::string(trim_ows(line.substr(colon + 1)))});
            }
        }
    } catch (...) {
        ex->out_of_memory = true;
        return 0;
    }
    return n;
}

// libcurl silently sends a request again on a fresh connection when a reused connection closes
// without answering. A flow launch must never be sent twice unless the server certainly did not
// act on it, and a connection that closed after the request was written proves nothing: so once
// any byte of a POST was written, opening another socket for it is refused and the transfer fails
// (reported as "empty_reply", delivery::maybe) instead. Otherwise this is libcurl's own default,
// plus close-on-exec.
inline curl_socket_t gcx_curl_open_socket(void* user, curlsocktype, struct curl_sockaddr* addr) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (curl_request_written(*ex)) {
        if (ex->no_replay) {
            ex->replay_refused = true;
            return CURL_SOCKET_BAD;
        }
        ex->resent = true;
    }
#ifdef SOCK_CLOEXEC
    const curl_socket_t fd = ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
#else
    const curl_socket_t fd = ::socket(addr->family, addr->socktype, addr->protocol);
#endif
    if (fd == CURL_SOCKET_BAD) return fd;
    ex->opened = true;
    if (ex->sockets != nullptr) {
        try {
            ex->sockets->add(fd);
        } catch (...) {
            ::close(fd);
            ex->out_of_memory = true;
            return CURL_SOCKET_BAD;
        }
    }
    return fd;
}

/// libcurl closes a socket of the shared cache (CURLOPT_CLOSESOCKETDATA: its curl_socket_registry).
inline int gcx_curl_close_socket(void* registry, curl_socket_t fd) {
    static_cast<curl_socket_registry*>(registry)->remove(fd);
    return ::close(fd);
}

#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0
// Called right before each request goes out, on a new or a reused connection: also before
// libcurl's silent second send of a request whose connection closed unanswered. Refused: a second
// call after bytes were written since the first. (Not "any byte written": through a proxy, the
// CONNECT request that opened the tunnel counts in CURLINFO_REQUEST_SIZE, and every POST through
// a proxy was refused that way.)
//
// Also, for a request about to go on a connection of a shared cache that this transfer did not
// open: refused when that connection has bytes waiting. libcurl 7.88 takes it for alive: a POST
// written into one that ends (a TLS close_notify, a FIN behind one) would be lost, "maybe sent",
// and any request would read what a server wrote unasked (an idle connection's 408, stray bytes
// after an answer) as its own answer: another request's. Nothing of the request was written
// then: the caller sends it again on a new connection (stale_refused).
inline int gcx_curl_prereq(void* user, char* primary_ip, char*, int primary_port, int local_port) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (!ex->request_went && !ex->opened && ex->sockets != nullptr) {
        const curl_socket_t fd = ex->sockets->find(local_port, primary_port, primary_ip);
        if (fd != CURL_SOCKET_BAD && idle_socket_stirred(fd)) {
            ex->stale_refused = true;
            return CURL_PREREQFUNC_ABORT;
        }
    }
    long request_size = 0;
    curl_easy_getinfo(ex->easy, CURLINFO_REQUEST_SIZE, &request_size);
    if (!ex->request_went) {
        ex->request_went = true;
        ex->bytes_before_request = request_size;
        return CURL_PREREQFUNC_OK;
    }
    curl_off_t uploaded = 0;
    curl_easy_getinfo(ex->easy, CURLINFO_SIZE_UPLOAD_T, &uploaded);
    if (request_size > ex->bytes_before_request || uploaded > 0) {
        if (ex->no_replay) {
            ex->replay_refused = true;
            return CURL_PREREQFUNC_ABORT;
        }
        ex->resent = true;
    }
    return CURL_PREREQFUNC_OK;
}
#endif

}  // extern "C"

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
