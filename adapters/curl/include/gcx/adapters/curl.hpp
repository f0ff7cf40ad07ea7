// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_HPP
#define GCX_ADAPTERS_CURL_HPP

// gcx::adapters::curl_transport: a gcx Transport over libcurl (CMake target gcx::curl).
//
//     gcx::adapters::curl_transport http;                      // verified HTTPS, keep-alive
//     gcx::adapters::curl_transport::options o;                // or configure it
//     o.ca_file = "/etc/corp/ca.pem";
//     o.proxy = "http://proxy.corp:3128";
//     gcx::adapters::curl_transport http2{o};
//     gcx::result<gcx::http::response> r = http.send(request);
//
// Thread safety: send() may be called from any number of threads at once on one transport (and
// on its copies, which share its state). Each call borrows a libcurl easy handle from a small
// mutex-guarded pool, or creates one when none is idle, and gives it back afterwards: a handle
// (and the keep-alive connections, TLS sessions and DNS entries it caches) is only ever used by
// one thread at a time, and sequential requests reuse the same handle and so the same
// connection. At most `max_idle_connections` idle handles are kept. Constructing the first
// transport calls curl_global_init once (thread-safe via a function-local static);
// curl_global_cleanup is never called, as other code in the process may still use libcurl.
//
// "Was the request sent?" (gcx::error::sent): gcx reads the request bytes libcurl counts as
// written to a connection in this transfer (CURLINFO_REQUEST_SIZE, which libcurl adds to after
// each successful write of a request, and CURLINFO_SIZE_UPLOAD_T for body bytes sent after it). A
// failure is delivery::not_sent only when it is a resolve, connect, proxy or TLS-handshake
// failure (or a timeout) AND neither counter saw a single byte; every other failure is
// delivery::maybe. (No debug callback: CURLOPT_VERBOSE makes libcurl format every message it
// could print, which cost about a tenth of a lookup's CPU.) libcurl silently sends a request again
// when a reused connection closes before answering: on a fresh connection, or on another idle
// one of the same cache (curl_multi_runner's handles share one). For a POST gcx refuses that
// second send once any request byte was written: before the request goes out on whatever
// connection (CURLOPT_PREREQFUNCTION, libcurl 7.80+, see gcx_curl_prereq), and before a new
// socket is opened (gcx_curl_open_socket, for older libcurl). So a POST is never sent twice: such
// a transfer fails with code "empty_reply" and delivery::maybe. (A GET may be re-sent that way;
// that is harmless, and the bytes written on the dead connection still count.)
//
// Cost: each pooled handle keeps the options that do not change between requests (TLS, proxy,
// callbacks, limits) and its last header lists (one for a POST, one for a GET); a request sets only
// its URL, method, body, timeouts and, when they changed, its headers. The POST body goes with the headers in one write.
//
// Redirects are not followed (a 3xx is returned as a response). Response headers are those of
// the last response: an interim 100 Continue or a proxy's CONNECT answer is dropped. HTTP/1.1
// is used (gcx sends a few small requests; keep-alive is all it needs).

#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>
#include <gcx/result.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>
#if !defined(_WIN32)
#include <sys/socket.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// curl_transport's options: the common ones, plus an escape hatch to libcurl.
struct curl_options : transport_options {
    /// Called on the easy handle just before each transfer, after gcx has set its options: for
    /// settings gcx does not model (client certificates, CURLOPT_RESOLVE, CURLOPT_INTERFACE...).
    /// Handles are reused, so what it sets stays for the handle's later transfers until it sets
    /// it again. It must not replace what gcx relies on: CURLOPT_WRITEFUNCTION,
    /// CURLOPT_HEADERFUNCTION, CURLOPT_OPENSOCKETFUNCTION, CURLOPT_ERRORBUFFER,
    /// CURLOPT_HTTPHEADER, CURLOPT_POSTFIELDS and their data pointers.
    /// Default: empty.
    std::function<void(CURL*)> configure;
};

namespace detail {

/// curl_global_init, once per process, thread-safe (a function-local static).
inline CURLcode curl_global() noexcept {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    return rc;
}

/// The state one transfer's callbacks write into.
struct curl_exchange {
    http::response* res = nullptr;
    std::size_t max_body = 0;
    CURL* easy = nullptr;        ///< the handle doing the transfer
    bool too_large = false;
    bool out_of_memory = false;
    bool no_replay = false;      ///< a POST: never written on a second connection
    bool replay_refused = false; ///< libcurl wanted to send it again (new or other connection)

    void start(CURL* h, http::response* r, std::size_t cap, bool post) noexcept {
        *this = curl_exchange{};
        easy = h;
        res = r;
        max_body = cap;
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
    try {
        auto& fields = ex->res->fields;
        if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
            fields.clear();  // a new response (after 100 Continue, a CONNECT answer...): keep the last
            fields.reserve(8);  // one allocation for a typical answer's headers, not three
        } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
            auto more = trim_ows(line);  // obsolete line folding: continues the previous value
            if (!fields.empty() && !more.empty()) {
                fields.back().value += ' ';
                fields.back().value += more;
            }
        } else {
            auto colon = line.find(':');
            if (colon != std::string_view::npos && colon > 0) {
                fields.push_back(http::header{std::string(line.substr(0, colon)),
                                              std::string(trim_ows(line.substr(colon + 1)))});
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
    if (ex->no_replay && curl_wrote(ex->easy)) {
        ex->replay_refused = true;
        return CURL_SOCKET_BAD;
    }
#ifdef SOCK_CLOEXEC
    return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
#else
    return ::socket(addr->family, addr->socktype, addr->protocol);
#endif
}

#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0
// Called right before each request goes out, on a new or a reused connection: also before
// libcurl's silent second send of a request whose connection closed unanswered.
inline int gcx_curl_prereq(void* user, char*, char*, int, int) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (ex->no_replay && curl_wrote(ex->easy)) {
        ex->replay_refused = true;
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}
#endif

} // extern "C"

struct curl_slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

inline long clamp_ms(std::chrono::milliseconds d) noexcept {
    const auto v = d.count();
    if (v <= 0) return 1;
    if (v > 0x7fffffffL) return 0x7fffffffL;
    return static_cast<long>(v);
}

/// One libcurl easy handle and what its callbacks write into, which live as long as it does.
/// The options that never change between requests are set once, by make(); set_headers() keeps
/// the last header list of a POST and of a GET and rebuilds one only when a request's headers differ.
class curl_handle {
public:
    curl_handle(const curl_handle&) = delete;
    curl_handle& operator=(const curl_handle&) = delete;
    ~curl_handle() {
        if (easy_ != nullptr) curl_easy_cleanup(easy_);
    }

    /// A new handle with the transport's fixed options, or nullptr when libcurl is out of memory.
    /// An option libcurl refuses here fails every request on this handle (transfer_error()).
    static std::unique_ptr<curl_handle> make(const curl_options& o) {
        CURL* easy = curl_easy_init();
        if (easy == nullptr) return nullptr;
        std::unique_ptr<curl_handle> h;
        try {
            h.reset(new curl_handle(easy));
        } catch (...) {
            curl_easy_cleanup(easy);
            throw;
        }
        h->errbuf_[0] = '\0';
        void* ex = static_cast<void*>(&h->ex_);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
        h->set(CURLOPT_PROTOCOLS_STR, "http,https");
#else
        h->set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        h->set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        h->set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: required with threads
        h->set(CURLOPT_FOLLOWLOCATION, 0L);
        h->set(CURLOPT_TCP_KEEPALIVE, 1L);

        // TLS.
        h->set(CURLOPT_SSL_VERIFYPEER, o.verify_peer ? 1L : 0L);
        h->set(CURLOPT_SSL_VERIFYHOST, o.verify_host ? 2L : 0L);
        // Trust. When no ca_path is given and a CA file is in force (ca_file, or libcurl's built-in
        // bundle), libcurl's built-in CA directory is switched off: with a directory, libcurl
        // builds the certificate store anew for every new connection (it caches only stores made
        // from a file alone, CURLOPT_CA_CACHE_TIMEOUT), about 20 ms of CPU each with Debian's
        // 140-certificate bundle. On Debian both hold the same certificates; and ca_file then
        // replaces the system store, as transport_options documents.
        if (!o.ca_file.empty()) h->set(CURLOPT_CAINFO, o.ca_file.c_str());
        if (!o.ca_path.empty()) h->set(CURLOPT_CAPATH, o.ca_path.c_str());
        else if (drop_builtin_ca_dir(easy, !o.ca_file.empty())) h->set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));

        // Proxy: an empty string also stops libcurl from reading http_proxy & co.
        h->set(CURLOPT_PROXY, o.proxy.c_str());
        if (!o.proxy.empty()) h->set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);

        // Response: body with a cap (MAXFILESIZE refuses an announced Content-Length early; the
        // write callback catches chunked or lying bodies), headers of the last response.
        h->set(CURLOPT_MAXFILESIZE_LARGE,
               static_cast<curl_off_t>(std::min<std::size_t>(o.max_response_bytes, 0x7fffffffffffffffULL)));
        h->set(CURLOPT_WRITEFUNCTION, &gcx_curl_on_body);
        h->set(CURLOPT_WRITEDATA, ex);
        h->set(CURLOPT_HEADERFUNCTION, &gcx_curl_on_header);
        h->set(CURLOPT_HEADERDATA, ex);

        // No second send of a POST once it was written (see gcx_curl_prereq, gcx_curl_open_socket).
        h->set(CURLOPT_OPENSOCKETFUNCTION, &gcx_curl_open_socket);
        h->set(CURLOPT_OPENSOCKETDATA, ex);
#if LIBCURL_VERSION_NUM >= 0x075000  // 7.80.0
        h->set(CURLOPT_PREREQFUNCTION, &gcx_curl_prereq);
        h->set(CURLOPT_PREREQDATA, ex);
#endif

        h->set(CURLOPT_ERRORBUFFER, h->errbuf_);
        h->setup_rc_ = h->transfer_rc_;
        return h;
    }

    /// Whether to switch libcurl's built-in CA directory off: libcurl has one (CURLINFO_CAPATH,
    /// libcurl 7.84+; a TLS backend without CA directories has none, and would refuse
    /// CURLOPT_CAPATH) and a CA file is in force (ca_file, or a built-in bundle that exists here).
    static bool drop_builtin_ca_dir(CURL* easy, bool have_ca_file) {
#if LIBCURL_VERSION_NUM >= 0x075400  // 7.84.0
        char* dir = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_CAPATH, &dir) != CURLE_OK || dir == nullptr) return false;
        if (have_ca_file) return true;
        char* file = nullptr;
        return curl_easy_getinfo(easy, CURLINFO_CAINFO, &file) == CURLE_OK && file != nullptr &&
               std::ifstream(file).good();
#else
        (void)easy;
        (void)have_ca_file;
        return false;
#endif
    }

    CURL* easy() const noexcept { return easy_; }
    curl_exchange& exchange() noexcept { return ex_; }
    const char* error_text() const noexcept { return errbuf_; }

    /// Sets one option of the transfer about to run; the first refusal is kept in
    /// transfer_error() until begin() starts the next request.
    template <class V>
    void set(CURLoption opt, V value) noexcept {
        CURLcode rc = curl_easy_setopt(easy_, opt, value);
        if (rc != CURLE_OK && transfer_rc_ == CURLE_OK) transfer_rc_ = rc;
    }

    /// Starts a request: clears what the previous one left (a refused option, the error text).
    void begin() noexcept {
        transfer_rc_ = setup_rc_;
        errbuf_[0] = '\0';
    }
    CURLcode transfer_error() const noexcept { return transfer_rc_; }

    /// Makes libcurl send `fields`, then `user_agent` (if not null and `fields` has none), plus
    /// what suppresses libcurl's own Content-Type and Expect. The User-Agent is a line of the
    /// list rather than CURLOPT_USERAGENT, which libcurl would format anew for every request.
    /// The last list built for a POST and the last for a GET are kept, so a lookup's launch and
    /// polls, which alternate on a handle, do not rebuild theirs. False: out of memory.
    bool set_headers(const http::headers& fields, bool post, const std::string* user_agent) {
        header_list& slot = lists_[post ? 1 : 0];
        if (slot.list && slot.user_agent == user_agent && same(fields, slot.fields)) {
            if (active_ != slot.list.get()) {
                set(CURLOPT_HTTPHEADER, slot.list.get());
                active_ = slot.list.get();
            }
            return true;
        }
        // Request headers. libcurl adds Host, Accept and Content-Length itself; it would also add
        // "Content-Type: application/x-www-form-urlencoded" to a POST and "Expect: 100-continue"
        // to a large body, which the empty "Name:" form suppresses.
        set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
        active_ = nullptr;
        slot.list.reset();
        slot.fields.clear();
        curl_slist_ptr list;
        bool oom = false;
        auto add = [&](const std::string& line) {
            curl_slist* l = curl_slist_append(list.get(), line.c_str());
            if (l == nullptr) {
                oom = true;
                return;
            }
            (void)list.release();
            list.reset(l);
        };
        std::string line;
        for (const auto& f : fields) {
            // "Name;" is libcurl's spelling of a header with an empty value.
            line = f.name;
            if (f.value.empty()) {
                line += ';';
            } else {
                line += ": ";
                line += f.value;
            }
            add(line);
        }
        if (user_agent != nullptr && !user_agent->empty() && http::find_header(fields, "User-Agent") == nullptr)
            add("User-Agent: " + *user_agent);
        if (post && http::find_header(fields, "Content-Type") == nullptr) add("Content-Type:");
        if (http::find_header(fields, "Expect") == nullptr) add("Expect:");
        if (oom) return false;
        slot.fields = fields;
        slot.user_agent = user_agent;
        slot.list = std::move(list);
        set(CURLOPT_HTTPHEADER, slot.list.get());
        active_ = slot.list.get();
        return true;
    }

private:
    explicit curl_handle(CURL* easy) noexcept : easy_(easy) {}

    static bool same(const http::headers& a, const http::headers& b) noexcept {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
        return true;
    }

    CURL* easy_;
    curl_exchange ex_;
    char errbuf_[CURL_ERROR_SIZE];
    CURLcode setup_rc_ = CURLE_OK;     // an option make() set was refused: every request fails
    CURLcode transfer_rc_ = CURLE_OK;  // the same, for the current request
    struct header_list {
        curl_slist_ptr list;
        http::headers fields;  // what it was built from
        const std::string* user_agent = nullptr;  // and with: the transport's options' string
    };
    header_list lists_[2];           // [0] the last GET's, [1] the last POST's
    curl_slist* active_ = nullptr;   // the list CURLOPT_HTTPHEADER points at
};

/// The error for a transfer that ended with `rc` (see the top of this header for delivery).
inline error curl_classify(CURLcode rc, const detail::curl_exchange& ex, bool wrote, std::chrono::milliseconds elapsed,
                      std::chrono::milliseconds budget, const std::string& where, const char* errbuf) {
    // libcurl's error buffer says what happened in words ("Failed to connect to h port p",
    // "SSL certificate problem: ..."): it names hosts and ports, never headers or bodies.
    std::string detail_text = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    const std::string msg = where + ": " + detail_text;
    // Failures that happen before the request is written are not_sent, unless libcurl wrote
    // bytes anyway (a dead reused connection retried on a fresh one).
    const delivery before = wrote ? delivery::maybe : delivery::not_sent;

    if (ex.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        return detail::transport_error(errc::transport, "too_large", delivery::maybe,
                                       where + ": response body exceeds max_response_bytes", detail::hint_too_large());
    }
    if (ex.replay_refused || rc == CURLE_SEND_FAIL_REWIND) {
        return detail::transport_error(errc::transport, "empty_reply", delivery::maybe,
                                       where + ": the connection closed without an answer after the request was sent "
                                               "(it was not sent again: the server may have acted on it)");
    }
    if (ex.out_of_memory || rc == CURLE_OUT_OF_MEMORY) {
        return detail::transport_error(errc::transport, "out_of_memory", wrote ? delivery::maybe : delivery::not_sent,
                                       where + ": out of memory");
    }
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        // A connect timeout shorter than the request's budget is a connect failure the caller
        // may retry; otherwise the request's own deadline passed.
        if (!wrote && elapsed + std::chrono::milliseconds(20) < budget) {
            return detail::transport_error(errc::transport, "connect", delivery::not_sent, msg,
                                           detail::hint_connect());
        }
        return detail::transport_error(errc::timeout, "timeout", before, msg);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return detail::transport_error(errc::transport, "resolve", before, msg, detail::hint_connect());
    case CURLE_COULDNT_CONNECT:
    case CURLE_INTERFACE_FAILED:
        return detail::transport_error(errc::transport, "connect", before, msg, detail::hint_connect());
#if LIBCURL_VERSION_NUM >= 0x074900  // 7.73.0
    case CURLE_PROXY:
        return detail::transport_error(errc::transport, "proxy", before, msg, detail::hint_connect());
#endif
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        // The server's certificate was refused: the same request would be refused again.
        return detail::transport_error(errc::transport, "certificate", before, msg, detail::hint_tls());
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
        return detail::transport_error(errc::transport, "tls", before, msg, detail::hint_tls());
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
        // The local TLS setup is wrong (unreadable ca_file...): nothing was sent.
        return detail::transport_error(errc::config, "tls", before, msg,
                                       "check ca_file, ca_path and any client certificate set in configure");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
        return detail::transport_error(errc::config, "bad_url", before, msg);
    case CURLE_GOT_NOTHING:
        return detail::transport_error(errc::transport, "empty_reply", delivery::maybe, msg);
    case CURLE_SEND_ERROR:
        return detail::transport_error(errc::transport, "send", delivery::maybe, msg);
    case CURLE_RECV_ERROR:
        return detail::transport_error(errc::transport, "recv", delivery::maybe, msg);
    case CURLE_PARTIAL_FILE:
        return detail::transport_error(errc::transport, "partial", delivery::maybe, msg);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return detail::transport_error(errc::transport, "protocol", delivery::maybe, msg);
    default:
        return detail::transport_error(errc::transport, "curl_" + std::to_string(static_cast<int>(rc)),
                                       delivery::maybe, msg);
    }
}

/// Sets `handle` up for `req` (URL, method, body, headers, timeouts, then the user's configure
/// hook) with `res` as where the answer goes. The body is not copied: `req` must outlive the
/// transfer. Returns the error when libcurl refused something (nothing was sent), else nullopt.
template <class Where>
std::optional<error> curl_prepare(curl_handle& handle, const http::request& req, const curl_options& opts,
                                  http::response& res, const Where& where) {
    CURL* h = handle.easy();
    handle.begin();
    const bool post = req.verb == http::method::post;
    if (!handle.set_headers(req.fields, post, &opts.user_agent)) {
        return transport_error(errc::transport, "out_of_memory", delivery::not_sent,
                               where() + ": out of memory building the request");
    }
    const long total_ms = clamp_ms(req.timeout);
    const long connect_ms = std::min(total_ms, clamp_ms(opts.connect_timeout));
    handle.set(CURLOPT_URL, req.url.c_str());
    handle.set(CURLOPT_TIMEOUT_MS, total_ms);
    handle.set(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    if (post) {
        // Not copied. libcurl never sends it twice: see gcx_curl_open_socket.
        handle.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        handle.set(CURLOPT_POSTFIELDS, req.body.c_str());
    } else {
        handle.set(CURLOPT_HTTPGET, 1L);
    }
    if (handle.transfer_error() != CURLE_OK) {
        return transport_error(errc::config, "curl_option", delivery::not_sent,
                               where() + ": libcurl refused an option: " + curl_easy_strerror(handle.transfer_error()),
                               "this libcurl lacks a feature gcx needs (TLS, HTTP/1.1...)");
    }
    if (opts.configure) opts.configure(h);
    handle.exchange().start(h, &res, opts.max_response_bytes, post);
    return std::nullopt;
}

/// What a transfer prepared by curl_prepare and started at `started` gave: the response (any
/// status), or the error.
template <class Where>
result<http::response> curl_outcome(CURLcode rc, curl_handle& handle, http::response res,
                                    std::chrono::steady_clock::time_point started, std::chrono::milliseconds budget,
                                    const Where& where) {
    CURL* h = handle.easy();
    if (rc == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        res.status = static_cast<int>(status);
        return res;
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return curl_classify(rc, handle.exchange(), curl_wrote(h), elapsed, budget, where(), handle.error_text());
}

/// A mutex-guarded stack of idle handles. LIFO, so one thread sending one request after another
/// always gets the handle whose connection is still open.
class curl_handle_pool {
public:
    explicit curl_handle_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    curl_handle_pool(const curl_handle_pool&) = delete;
    curl_handle_pool& operator=(const curl_handle_pool&) = delete;

    /// An idle handle, or a new one made with `o`; nullptr when libcurl is out of memory.
    std::unique_ptr<curl_handle> take(const curl_options& o) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                std::unique_ptr<curl_handle> h = std::move(idle_.back());
                idle_.pop_back();
                return h;
            }
        }
        return curl_handle::make(o);
    }

    void give_back(std::unique_ptr<curl_handle> h) noexcept {
        if (h == nullptr) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < max_idle_) {
                try {
                    idle_.push_back(std::move(h));
                    return;
                } catch (...) {
                }
            }
        }
        h.reset();  // outside the lock: curl_easy_cleanup may close connections
    }

    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return idle_.size();
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<curl_handle>> idle_;
    std::size_t max_idle_;
};

/// Returns a borrowed handle to the pool however send() leaves.
class curl_borrowed {
public:
    curl_borrowed(curl_handle_pool& pool, const curl_options& o) : pool_(pool), h_(pool.take(o)) {}
    curl_borrowed(const curl_borrowed&) = delete;
    curl_borrowed& operator=(const curl_borrowed&) = delete;
    ~curl_borrowed() {
        if (h_ != nullptr) {
            // Drop what points into send()'s request (the POST body); the method is set again by
            // every send(). Connections, caches and the fixed options stay.
            curl_easy_setopt(h_->easy(), CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
            curl_easy_setopt(h_->easy(), CURLOPT_HTTPGET, 1L);
            h_->exchange().res = nullptr;
        }
        pool_.give_back(std::move(h_));
    }
    curl_handle* get() const noexcept { return h_.get(); }

private:
    curl_handle_pool& pool_;
    std::unique_ptr<curl_handle> h_;
};
} // namespace detail

/// A gcx Transport over libcurl: `result<http::response> send(const http::request&)`.
/// Copies share one pool of handles and connections. See the top of this header for the
/// thread-safety contract and how "was the request sent?" is decided.
class curl_transport {
public:
    using options = curl_options;

    /// Default options: verified HTTPS with the system CA store, no proxy, 4 MiB body cap.
    curl_transport() : curl_transport(options{}) {}

    explicit curl_transport(options opts) : state_(std::make_shared<state>(std::move(opts))) {}

    // Copies (and moves: a moved-from transport stays usable) share the pool and options.
    curl_transport(const curl_transport&) = default;
    curl_transport(curl_transport&& other) noexcept : state_(other.state_) {}
    curl_transport& operator=(const curl_transport&) = default;
    curl_transport& operator=(curl_transport&& other) noexcept {
        state_ = other.state_;
        return *this;
    }
    ~curl_transport() = default;

    /// Performs one HTTP exchange. Any HTTP status is a response; an error means no complete
    /// response was received. Never throws (but for std::bad_alloc); safe to call concurrently.
    result<http::response> send(const http::request& req) const {
        const state& st = *state_;
        auto target = detail::preflight(req, st.opts);
        if (!target) return target.error();
        if (st.init_error) return *st.init_error;
        auto where = [&req, &target] { return detail::describe_target(req, *target); };

        detail::curl_borrowed borrowed(st.pool, st.opts);
        detail::curl_handle* handle = borrowed.get();
        if (handle == nullptr) {
            return detail::transport_error(errc::transport, "out_of_memory", delivery::not_sent,
                                           where() + ": curl_easy_init failed");
        }
        http::response res;
        if (auto refused = detail::curl_prepare(*handle, req, st.opts, res, where)) return std::move(*refused);

        const auto started = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(handle->easy());
        return detail::curl_outcome(rc, *handle, std::move(res), started, req.timeout, where);
    }

    /// The options this transport was made with.
    const options& settings() const noexcept { return state_->opts; }

    /// Idle easy handles in the pool (for tests and diagnostics).
    std::size_t idle_handles() const { return state_->pool.idle(); }

private:
    struct state {
        explicit state(options o) : opts(std::move(o)), pool(opts.max_idle_connections) {
            CURLcode rc = detail::curl_global();
            if (rc != CURLE_OK) {
                init_error = std::make_unique<error>(detail::transport_error(
                    errc::config, "curl_init", delivery::not_sent,
                    std::string("curl_global_init failed: ") + curl_easy_strerror(rc)));
            } else if (!opts.proxy.empty()) {
                auto p = detail::parse_proxy(opts.proxy);
                if (!p) init_error = std::make_unique<error>(p.error());
            }
        }
        options opts;
        mutable detail::curl_handle_pool pool;
        std::unique_ptr<error> init_error;  // returned by every send() when set
    };

    std::shared_ptr<const state> state_;
};

} // namespace adapters
GCX_NAMESPACE_END

#endif
