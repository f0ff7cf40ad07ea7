// gcx-bench-floor: the CPU floor of a lookup against gcx-sim, for bench/run's table.
//
// Not a client anyone should use: hand-written HTTP/1.1 over blocking keep-alive sockets to
// 127.0.0.1, no JSON parser, no error handling beyond giving up. It does exactly the requests a
// lookup needs (one token for the whole run; per number one launch, then polls on gcx's
// schedule), on CONCURRENCY threads with a connection each (gcx-lookup's model), so that its CPU
// seconds per lookup show what the kernel's loopback TCP path, the thread wake-ups and the waits
// cost before any client library adds anything.
//
// With --libcurl (when built with libcurl) the same requests go through a bare libcurl easy handle
// per thread instead: keep-alive, the POST body in CURLOPT_POSTFIELDS, the answer appended to a
// string, no other option or callback. That row shows what libcurl itself costs a lookup, the
// floor of any client built on it (gcx-lookup's curl adapter is one). --libcurl-multi puts every
// lookup in flight on one thread, through one curl multi handle.
//
// TLS: when SIM_URL starts with https://, every mode talks TLS with the peer and its name (the
// URL's host, an IP address or a DNS name) verified. The raw mode then runs the same hand-written
// HTTP through OpenSSL (SSL_read/SSL_write over the blocking socket; when built with OpenSSL), the
// libcurl modes just use https URLs. CA_FILE, when set, names the PEM file of the CA certificates
// to trust (SSL_CTX_load_verify_locations; CURLOPT_CAINFO without a CA directory, as gcx's curl
// adapter sets it); otherwise the system's default store.
//
//   SIM_URL=http[s]://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. POLL_INITIAL_MS=200
//   [CONCURRENCY=N] [CA_FILE=ca.pem]
//   gcx-bench-floor [--libcurl | --libcurl-multi] < numbers.txt     (the variables in its environment)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <vector>
#include <functional>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>

#ifdef GCX_BENCH_FLOOR_CURL
#include <curl/curl.h>
#endif
#ifdef GCX_BENCH_FLOOR_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#endif

namespace {

[[noreturn]] void die(const std::string& what) {
    std::cerr << "gcx-bench-floor: " << what << "\n";
    std::exit(4);
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') die(std::string(name) + " is not set");
    return v;
}

/// Set once in main() before any connection: "http" or "https", and the URL's bare host name
/// (no port, no brackets) that TLS verifies the certificate against.
std::string g_scheme = "http";
std::string g_host_name;

/// CA_FILE, or null when it is not set (then the default trust store).
[[maybe_unused]] const char* ca_file() {
    const char* v = std::getenv("CA_FILE");
    return v != nullptr && *v != '\0' ? v : nullptr;
}

std::string base64(std::string_view in) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        unsigned n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
        if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
        if (i + 2 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += i + 1 < in.size() ? tbl[(n >> 6) & 63] : '=';
        out += i + 2 < in.size() ? tbl[n & 63] : '=';
    }
    return out;
}

std::string string_field(const std::string& body, std::string_view key);

/// The one token of a run, over its own connection.
template <class Connection>
std::string fetch_token(std::uint16_t port, const std::string& host) {
    Connection c(port, host);
    const std::string basic = base64(env("CLIENT_ID") + ":" + env("CLIENT_SECRET"));
    const std::string form = "grant_type=client_credentials";
    const std::string token = string_field(
        c.exchange("/oauth/token",
                   "Authorization: Basic " + basic + "\r\nContent-Type: application/x-www-form-urlencoded\r\n", &form),
        "access_token");
    if (token.empty()) die("no token");
    return token;
}

/// The HTTP/1.1 framing both hand-written connections share. Stream has send_all(data, size)
/// (dies on failure) and recv_some(buffer, size) (> 0 bytes, dies on failure or EOF).
/// `headers`: complete lines, each ending in CRLF. A POST when `body` is not null. Returns the
/// response body; `buf` is the stream's receive buffer, reused across exchanges.
template <class Stream>
std::string http_exchange(Stream& stream, const std::string& host, const std::string& path, const std::string& headers,
                          const std::string* body, std::string& buf) {
    std::string request = (body ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers;
    if (body) request += "Content-Length: " + std::to_string(body->size()) + "\r\n\r\n" + *body;
    else request += "\r\n";
    stream.send_all(request.data(), request.size());
    buf.clear();
    char tmp[16384];
    for (;;) {
        buf.append(tmp, stream.recv_some(tmp, sizeof tmp));
        const auto head_end = buf.find("\r\n\r\n");
        if (head_end == std::string::npos) continue;
        const auto cl = buf.find("Content-Length: ");
        if (cl == std::string::npos || cl > head_end) die("no Content-Length");
        const auto length = std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
        if (buf.compare(0, 12, "HTTP/1.1 200") != 0) die("HTTP status is not 200: " + buf.substr(0, 12));
        if (buf.size() >= head_end + 4 + length) return buf.substr(head_end + 4, length);
    }
}

/// A blocking TCP socket to 127.0.0.1:port with TCP_NODELAY; dies when it cannot connect.
int connect_loopback(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) die("cannot connect");
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/// One keep-alive connection; exchange() sends a request and returns the response body.
class raw_connection {
public:
    raw_connection(std::uint16_t port, const std::string& host) : host_(host), fd_(connect_loopback(port)) {}
    ~raw_connection() { ::close(fd_); }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;

    /// `headers`: complete lines, each ending in CRLF. A POST when `body` is not null.
    std::string exchange(const std::string& path, const std::string& headers, const std::string* body) {
        return http_exchange(*this, host_, path, headers, body, buf_);
    }

    void send_all(const char* data, std::size_t size) {
        for (std::size_t sent = 0; sent < size;) {
            const ssize_t n = ::send(fd_, data + sent, size - sent, MSG_NOSIGNAL);
            if (n <= 0) die("send failed");
            sent += static_cast<std::size_t>(n);
        }
    }
    std::size_t recv_some(char* to, std::size_t size) {
        const ssize_t n = ::recv(fd_, to, size, 0);
        if (n <= 0) die("the server closed the connection");
        return static_cast<std::size_t>(n);
    }

private:
    std::string host_;
    int fd_ = -1;
    std::string buf_;
};

#ifdef GCX_BENCH_FLOOR_TLS
/// OpenSSL's first queued error as text (names no secret), or `fallback`.
std::string ssl_error(const char* fallback) {
    const unsigned long e = ERR_get_error();
    if (e == 0) return fallback;
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    return text;
}

/// The process's one client context: peer verification on, CA_FILE or the default store.
SSL_CTX* tls_context() {
    static SSL_CTX* const ctx = [] {
        SSL_CTX* c = SSL_CTX_new(TLS_client_method());
        if (c == nullptr) die("SSL_CTX_new failed: " + ssl_error("?"));
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
        if (const char* ca = ca_file()) {
            if (SSL_CTX_load_verify_locations(c, ca, nullptr) != 1)
                die("cannot load CA_FILE " + std::string(ca) + ": " + ssl_error("?"));
        } else if (SSL_CTX_set_default_verify_paths(c) != 1) {
            die("cannot load the default CA store: " + ssl_error("?"));
        }
        return c;
    }();
    return ctx;
}

/// raw_connection's exchange over TLS: the same hand-written HTTP through SSL_write/SSL_read on
/// a blocking socket, the certificate verified against g_host_name (an IP address or a DNS name).
class tls_connection {
public:
    tls_connection(std::uint16_t port, const std::string& host) : host_(host), fd_(connect_loopback(port)) {
        ssl_ = SSL_new(tls_context());
        if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) die("SSL_new failed: " + ssl_error("?"));
        unsigned char ip[sizeof(in6_addr)];
        const bool is_ip =
            ::inet_pton(AF_INET, g_host_name.c_str(), ip) == 1 || ::inet_pton(AF_INET6, g_host_name.c_str(), ip) == 1;
        if (is_ip) {  // no SNI for an address (RFC 6066)
            if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), g_host_name.c_str()) != 1)
                die("cannot set the IP address to verify");
        } else if (SSL_set1_host(ssl_, g_host_name.c_str()) != 1 ||
                   SSL_set_tlsext_host_name(ssl_, g_host_name.c_str()) != 1) {
            die("cannot set the host name to verify");
        }
        if (SSL_connect(ssl_) != 1) {
            const long verify = SSL_get_verify_result(ssl_);
            die("TLS handshake failed: " +
                (verify != X509_V_OK ? std::string(X509_verify_cert_error_string(verify)) : ssl_error("?")));
        }
    }
    ~tls_connection() {
        SSL_shutdown(ssl_);  // close_notify, without waiting for the server's
        SSL_free(ssl_);
        ::close(fd_);
    }
    tls_connection(const tls_connection&) = delete;
    tls_connection& operator=(const tls_connection&) = delete;

    std::string exchange(const std::string& path, const std::string& headers, const std::string* body) {
        return http_exchange(*this, host_, path, headers, body, buf_);
    }

    void send_all(const char* data, std::size_t size) {
        std::size_t sent = 0;
        if (SSL_write_ex(ssl_, data, size, &sent) != 1 || sent != size) die("TLS write failed: " + ssl_error("?"));
    }
    std::size_t recv_some(char* to, std::size_t size) {
        std::size_t n = 0;
        if (SSL_read_ex(ssl_, to, size, &n) != 1 || n == 0)
            die("the server closed the connection: " + ssl_error("EOF"));
        return n;
    }

private:
    std::string host_;
    int fd_ = -1;
    SSL* ssl_ = nullptr;
    std::string buf_;
};
#endif

#ifdef GCX_BENCH_FLOOR_CURL
extern "C" std::size_t floor_on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

/// CA_FILE as the handle's only trust store. Without a CA directory (Debian's libcurl has
/// /etc/ssl/certs built in), libcurl reads the file once per handle (its store cache) instead of
/// once per connection, as gcx's curl adapter does.
void set_ca_file(CURL* h) {
    if (const char* ca = ca_file()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, ca);
        curl_easy_setopt(h, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    }
}

/// The same exchange through one bare libcurl easy handle (its own keep-alive connection).
class curl_connection {
public:
    curl_connection(std::uint16_t port, const std::string&) : base_(g_scheme + "://127.0.0.1:" + std::to_string(port)) {
        h_ = curl_easy_init();
        if (h_ == nullptr) die("curl_easy_init failed");
        set_ca_file(h_);
        curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &floor_on_body);
        curl_easy_setopt(h_, CURLOPT_WRITEDATA, static_cast<void*>(&buf_));
        curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    }
    ~curl_connection() {
        curl_easy_cleanup(h_);
        curl_slist_free_all(list_);
    }
    curl_connection(const curl_connection&) = delete;
    curl_connection& operator=(const curl_connection&) = delete;

    std::string exchange(const std::string& path, const std::string& headers, const std::string* body) {
        if (headers != list_text_) {  // the header list, rebuilt only when it changes
            curl_slist_free_all(list_);
            list_ = nullptr;
            for (std::size_t at = 0; at < headers.size();) {
                const auto end = headers.find("\r\n", at);
                list_ = curl_slist_append(list_, headers.substr(at, end - at).c_str());
                at = end + 2;
            }
            list_text_ = headers;
            curl_easy_setopt(h_, CURLOPT_HTTPHEADER, list_);
        }
        const std::string url = base_ + path;
        curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
        if (body) {
            curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
            curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body->c_str());
        } else {
            curl_easy_setopt(h_, CURLOPT_HTTPGET, 1L);
        }
        buf_.clear();
        if (const CURLcode rc = curl_easy_perform(h_); rc != CURLE_OK)
            die(std::string("curl_easy_perform failed: ") + curl_easy_strerror(rc));
        long status = 0;
        curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200) die("HTTP status is not 200: " + std::to_string(status));
        return buf_;
    }

private:
    std::string base_;
    CURL* h_ = nullptr;
    curl_slist* list_ = nullptr;
    std::string list_text_;
    std::string buf_;
};

/// --libcurl-multi: every lookup in flight on ONE thread, through one curl multi handle (its
/// connection cache shared by CONCURRENCY easy handles), with the poll waits as timers of the same
/// event loop. What an event-loop client built on libcurl would cost at best.

struct multi_slot {
    CURL* h = nullptr;
    std::size_t index = 0;  // the number this slot works on
    std::string id;         // its execution id once launched
    std::string body;       // the launch body (kept alive while POSTFIELDS points at it)
    std::string url;
    std::string buf;
    long delay = 0;
    std::chrono::steady_clock::time_point due{};  // when its poll is due; max() when in a transfer
    bool busy = false;
};

int run_multi(std::uint16_t port, const std::string& flow, long poll_initial, long concurrency,
              const std::vector<std::string>& phones) {
    using clock = std::chrono::steady_clock;
    const std::string base = g_scheme + "://127.0.0.1:" + std::to_string(port);
    const std::string token = fetch_token<curl_connection>(port, "");
    curl_slist* get_headers = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
    curl_slist* post_headers = curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
    post_headers = curl_slist_append(post_headers, "Content-Type: application/json");

    CURLM* m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, concurrency);
    std::vector<std::string> lines(phones.size());
    std::vector<multi_slot> slots(static_cast<std::size_t>(concurrency));
    std::size_t next = 0;
    std::size_t done = 0;
    const auto launch = [&](multi_slot& s) {
        if (next >= phones.size()) return;
        s.index = next++;
        s.body = "{\"flowId\":\"" + flow + "\",\"name\":\"floor-" + std::to_string(s.index) +
                 "\",\"inputData\":{\"Flow.PhoneNumber\":\"" + phones[s.index] + "\"}}";
        s.url = base + "/api/v2/flows/executions";
        curl_easy_setopt(s.h, CURLOPT_URL, s.url.c_str());
        curl_easy_setopt(s.h, CURLOPT_HTTPHEADER, post_headers);
        curl_easy_setopt(s.h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(s.body.size()));
        curl_easy_setopt(s.h, CURLOPT_POSTFIELDS, s.body.c_str());
        s.id.clear();
        s.buf.clear();
        s.busy = true;
        s.due = clock::time_point::max();
        curl_multi_add_handle(m, s.h);
    };
    const auto poll = [&](multi_slot& s) {
        s.url = base + "/api/v2/flows/executions/" + s.id;
        curl_easy_setopt(s.h, CURLOPT_URL, s.url.c_str());
        curl_easy_setopt(s.h, CURLOPT_HTTPHEADER, get_headers);
        curl_easy_setopt(s.h, CURLOPT_HTTPGET, 1L);
        s.buf.clear();
        s.busy = true;
        s.due = clock::time_point::max();
        curl_multi_add_handle(m, s.h);
    };
    for (auto& s : slots) {
        s.h = curl_easy_init();
        curl_easy_setopt(s.h, CURLOPT_WRITEFUNCTION, &floor_on_body);
        curl_easy_setopt(s.h, CURLOPT_WRITEDATA, static_cast<void*>(&s.buf));
        curl_easy_setopt(s.h, CURLOPT_PRIVATE, static_cast<void*>(&s));
        curl_easy_setopt(s.h, CURLOPT_NOSIGNAL, 1L);
        set_ca_file(s.h);
        launch(s);
    }
    while (done < phones.size()) {
        int running = 0;
        curl_multi_perform(m, &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(m, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL* h = msg->easy_handle;
            if (msg->data.result != CURLE_OK)
                die(std::string("transfer failed: ") + curl_easy_strerror(msg->data.result));
            void* priv = nullptr;
            curl_easy_getinfo(h, CURLINFO_PRIVATE, &priv);
            auto& s = *static_cast<multi_slot*>(priv);
            curl_multi_remove_handle(m, h);
            s.busy = false;
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (status != 200) die("HTTP status is not 200: " + std::to_string(status));
            if (s.id.empty()) {  // the launch's answer
                s.id = string_field(s.buf, "id");
                if (s.id.empty()) die("no execution id");
                s.delay = poll_initial;
                s.due = clock::now() + std::chrono::milliseconds(s.delay);
                continue;
            }
            const std::string st = string_field(s.buf, "status");
            if (st == "COMPLETED") {
                const bool found = s.buf.find("\"Flow.Found\":true") != std::string::npos;
                lines[s.index] =
                    "{\"phone\":\"" + phones[s.index] + "\",\"status\":\"" + (found ? "found" : "not_found") + "\"}\n";
                ++done;
                launch(s);
                continue;
            }
            if (st != "RUNNING") die("execution ended " + st);
            s.delay = std::min(s.delay * 3 / 2, 2000L);
            s.due = clock::now() + std::chrono::milliseconds(s.delay);
        }
        // Polls that are due go out; the wait is until the next one at most.
        auto now = clock::now();
        auto first = clock::time_point::max();
        for (auto& s : slots) {
            if (s.busy || s.id.empty()) continue;
            if (s.due <= now) poll(s);
            else first = std::min(first, s.due);
        }
        if (done >= phones.size()) break;
        int wait_ms = 1000;
        if (first != clock::time_point::max())
            wait_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(first - now).count());
        long curl_ms = -1;
        curl_multi_timeout(m, &curl_ms);
        if (curl_ms >= 0 && curl_ms < wait_ms) wait_ms = static_cast<int>(curl_ms);
        if (wait_ms > 0) curl_multi_poll(m, nullptr, 0, wait_ms, nullptr);
    }
    for (auto& s : slots) curl_easy_cleanup(s.h);
    curl_multi_cleanup(m);
    curl_slist_free_all(get_headers);
    curl_slist_free_all(post_headers);
    for (const auto& l : lines) std::fputs(l.c_str(), stdout);
    return 0;
}
#endif

/// The string value of "key" in a flat JSON text (good enough for the simulator's answers).
std::string string_field(const std::string& body, std::string_view key) {
    const std::string k = "\"" + std::string(key) + "\":\"";
    const auto at = body.find(k);
    if (at == std::string::npos) return {};
    const auto start = at + k.size();
    return body.substr(start, body.find('"', start) - start);
}

/// One worker: its own connection, numbers taken from the shared list in order.
template <class Connection>
void worker(std::uint16_t port, const std::string& host, const std::string& auth, const std::string& flow,
            long poll_initial, const std::vector<std::string>& phones, std::atomic<std::size_t>& next,
            std::vector<std::string>& lines) {
    Connection c(port, host);
    const std::string post_headers = auth + "Content-Type: application/json\r\n";
    for (std::size_t i = next++; i < phones.size(); i = next++) {
        const std::string& phone = phones[i];
        const std::string body = "{\"flowId\":\"" + flow + "\",\"name\":\"floor-" + std::to_string(i) +
                                 "\",\"inputData\":{\"Flow.PhoneNumber\":\"" + phone + "\"}}";
        const std::string id = string_field(c.exchange("/api/v2/flows/executions", post_headers, &body), "id");
        if (id.empty()) die("no execution id");
        long delay = poll_initial;
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            const std::string x = c.exchange("/api/v2/flows/executions/" + id, auth, nullptr);
            const std::string status = string_field(x, "status");
            if (status == "COMPLETED") {
                const bool found = x.find("\"Flow.Found\":true") != std::string::npos;
                lines[i] = "{\"phone\":\"" + phone + "\",\"status\":\"" + (found ? "found" : "not_found") + "\"}\n";
                break;
            }
            if (status != "RUNNING") die("execution ended " + status);
            delay = std::min(delay * 3 / 2, 2000L);
        }
    }
}

template <class Connection>
int run(std::uint16_t port, const std::string& host, const std::string& flow, long poll_initial, long concurrency,
        const std::vector<std::string>& phones) {
    const std::string token = fetch_token<Connection>(port, host);
    const std::string auth = "Authorization: Bearer " + token + "\r\n";

    // Like gcx-lookup --concurrency N: N threads, each with its own connection, blocking.
    std::vector<std::string> lines(phones.size());
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (long t = 1; t < concurrency; ++t)
        threads.emplace_back(worker<Connection>, port, std::cref(host), std::cref(auth), std::cref(flow), poll_initial,
                             std::cref(phones), std::ref(next), std::ref(lines));
    worker<Connection>(port, host, auth, flow, poll_initial, phones, next, lines);
    for (auto& t : threads) t.join();
    for (const auto& l : lines) std::fputs(l.c_str(), stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view mode = argc > 1 ? argv[1] : "";
    const bool libcurl = mode == "--libcurl";
    const bool libcurl_multi = mode == "--libcurl-multi";
    if (argc > 2 || (argc == 2 && !libcurl && !libcurl_multi))
        die("usage: gcx-bench-floor [--libcurl | --libcurl-multi] < numbers.txt");
    const std::string url = env("SIM_URL");
    const bool tls = url.rfind("https://", 0) == 0;
    if (!tls && url.rfind("http://", 0) != 0) die("SIM_URL is not an http:// or https:// URL");
    const auto colon = url.rfind(':');
    const auto port = static_cast<std::uint16_t>(std::strtoul(url.c_str() + colon + 1, nullptr, 10));
    const std::string host = url.substr(url.find("//") + 2);  // "127.0.0.1:PORT", the Host header
    g_scheme = tls ? "https" : "http";
    g_host_name = host.substr(0, host.rfind(':'));  // the bare name TLS verifies: "127.0.0.1"
    if (g_host_name.size() >= 2 && g_host_name.front() == '[' && g_host_name.back() == ']')
        g_host_name = g_host_name.substr(1, g_host_name.size() - 2);
    if (tls) std::signal(SIGPIPE, SIG_IGN);  // a TLS write to a closed socket dies() instead
    const std::string flow = env("FLOW_ID");
    const char* poll_env = std::getenv("POLL_INITIAL_MS");
    const long poll_initial = poll_env ? std::strtol(poll_env, nullptr, 10) : 200;
    const char* conc_env = std::getenv("CONCURRENCY");
    const long concurrency = std::max(1L, conc_env ? std::strtol(conc_env, nullptr, 10) : 1L);

    std::vector<std::string> phones;
    for (std::string line; std::getline(std::cin, line);)
        if (!line.empty()) phones.push_back(line);

    if (libcurl || libcurl_multi) {
#ifdef GCX_BENCH_FLOOR_CURL
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (libcurl_multi) return run_multi(port, flow, poll_initial, concurrency, phones);
        return run<curl_connection>(port, host, flow, poll_initial, concurrency, phones);
#else
        die("--libcurl: this gcx-bench-floor was built without libcurl");
#endif
    }
    if (tls) {
#ifdef GCX_BENCH_FLOOR_TLS
        return run<tls_connection>(port, host, flow, poll_initial, concurrency, phones);
#else
        die("https: this gcx-bench-floor was built without OpenSSL (use --libcurl or --libcurl-multi)");
#endif
    }
    return run<raw_connection>(port, host, flow, poll_initial, concurrency, phones);
}
