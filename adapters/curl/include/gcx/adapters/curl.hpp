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
// "Was the request sent?" (gcx::error::sent): gcx enables libcurl's debug callback
// (CURLOPT_VERBOSE + CURLOPT_DEBUGFUNCTION; nothing is printed and nothing is kept) and counts
// the request bytes libcurl reports as written to the connection (CURLINFO_HEADER_OUT and
// CURLINFO_DATA_OUT events, which libcurl emits after a successful write), and also reads
// CURLINFO_REQUEST_SIZE. A failure is delivery::not_sent only when it is a resolve, connect,
// proxy or TLS-handshake failure (or a timeout) AND neither counter saw a single byte; every
// other failure is delivery::maybe. libcurl silently sends a request again on a fresh
// connection when a reused one closes before answering; for a POST gcx refuses the rewind of the
// body that this needs (see gcx_curl_seek_body), so a POST whose body was taken is never sent
// twice: such a transfer fails with code "empty_reply" and delivery::maybe. (A GET may be
// re-sent that way; that is harmless, and the bytes written on the dead connection still count.)
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

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
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
    /// It must not replace what gcx relies on: CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION,
    /// CURLOPT_DEBUGFUNCTION, CURLOPT_VERBOSE, CURLOPT_ERRORBUFFER and their data pointers.
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
    std::size_t bytes_out = 0;   ///< request bytes libcurl reported written
    bool too_large = false;
    bool out_of_memory = false;
    std::string_view body;       ///< POST body, handed to libcurl by gcx_curl_read_body
    std::size_t body_read = 0;   ///< how much of it libcurl has taken
    bool replay_refused = false; ///< libcurl wanted to send the body a second time
};

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

// The POST body, through a read callback rather than CURLOPT_POSTFIELDS, for the sake of the
// seek callback below.
inline std::size_t gcx_curl_read_body(char* buffer, std::size_t size, std::size_t nitems, void* user) {
    auto* ex = static_cast<curl_exchange*>(user);
    const std::size_t n = std::min(size * nitems, ex->body.size() - ex->body_read);
    std::memcpy(buffer, ex->body.data() + ex->body_read, n);
    ex->body_read += n;
    return n;
}

// libcurl silently sends a request again on a fresh connection when a reused connection closes
// without answering, and for that it rewinds the body. A flow launch must never be sent twice
// unless the server certainly did not act on it, and a connection that closed after the whole
// request was written proves nothing: so once any of the body was taken, rewinding is refused
// and the transfer fails (CURLE_SEND_FAIL_REWIND, reported as delivery::maybe) instead.
inline int gcx_curl_seek_body(void* user, curl_off_t offset, int origin) {
    auto* ex = static_cast<curl_exchange*>(user);
    if (offset == 0 && origin == SEEK_SET && ex->body_read == 0) return CURL_SEEKFUNC_OK;
    ex->replay_refused = true;
    return CURL_SEEKFUNC_FAIL;
}

inline int gcx_curl_on_debug(CURL*, curl_infotype type, char*, std::size_t size, void* user) {
    // Count only; the bytes may hold the Authorization header and are never looked at.
    if (type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
        static_cast<curl_exchange*>(user)->bytes_out += size;
    return 0;
}
} // extern "C"

struct curl_slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

/// A mutex-guarded stack of idle easy handles. LIFO, so one thread sending one request after
/// another always gets the handle whose connection is still open.
class curl_handle_pool {
public:
    explicit curl_handle_pool(std::size_t max_idle) : max_idle_(max_idle) {}
    curl_handle_pool(const curl_handle_pool&) = delete;
    curl_handle_pool& operator=(const curl_handle_pool&) = delete;
    ~curl_handle_pool() {
        for (CURL* h : idle_) curl_easy_cleanup(h);
    }

    CURL* take() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                CURL* h = idle_.back();
                idle_.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }

    void give_back(CURL* h) noexcept {
        if (h == nullptr) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < max_idle_) {
                try {
                    idle_.push_back(h);
                    return;
                } catch (...) {
                }
            }
        }
        curl_easy_cleanup(h);  // outside the lock: it may close connections
    }

    std::size_t idle() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return idle_.size();
    }

private:
    mutable std::mutex mutex_;
    std::vector<CURL*> idle_;
    std::size_t max_idle_;
};

/// Returns a borrowed handle to the pool however send() leaves.
class curl_borrowed {
public:
    explicit curl_borrowed(curl_handle_pool& pool) : pool_(pool), h_(pool.take()) {}
    curl_borrowed(const curl_borrowed&) = delete;
    curl_borrowed& operator=(const curl_borrowed&) = delete;
    ~curl_borrowed() {
        // Drop the finished transfer's options, which point into send()'s stack frame (error
        // buffer, callback data, header list), before the handle can be used or cleaned up
        // elsewhere. Connections and caches survive curl_easy_reset.
        if (h_ != nullptr) curl_easy_reset(h_);
        pool_.give_back(h_);
    }
    CURL* get() const noexcept { return h_; }

private:
    curl_handle_pool& pool_;
    CURL* h_;
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
        const std::string where = detail::describe_target(req, *target);

        detail::curl_borrowed handle(st.pool);
        CURL* h = handle.get();
        if (h == nullptr) {
            return detail::transport_error(errc::transport, "out_of_memory", delivery::not_sent,
                                           where + ": curl_easy_init failed");
        }
        // Forget the previous request's options; live connections and caches stay.
        curl_easy_reset(h);

        http::response res;
        detail::curl_exchange ex;
        ex.res = &res;
        ex.max_body = st.opts.max_response_bytes;
        char errbuf[CURL_ERROR_SIZE];
        errbuf[0] = '\0';

        CURLcode set_rc = CURLE_OK;
        auto set = [&set_rc, h](CURLoption opt, auto value) {
            CURLcode rc = curl_easy_setopt(h, opt, value);
            if (rc != CURLE_OK && set_rc == CURLE_OK) set_rc = rc;
        };

        // Request headers. libcurl adds Host, Accept and Content-Length itself; it would also add
        // "Content-Type: application/x-www-form-urlencoded" to a POST and "Expect: 100-continue"
        // to a large body, which the empty "Name:" form suppresses.
        detail::curl_slist_ptr headers;
        bool oom = false;
        auto add_header = [&](const std::string& line) {
            curl_slist* l = curl_slist_append(headers.get(), line.c_str());
            if (l == nullptr) {
                oom = true;
                return;
            }
            headers.release();
            headers.reset(l);
        };
        for (const auto& f : req.fields) {
            // "Name;" is libcurl's spelling of a header with an empty value.
            add_header(f.value.empty() ? f.name + ";" : f.name + ": " + f.value);
        }
        if (req.verb == http::method::post && req.header("Content-Type") == nullptr) add_header("Content-Type:");
        if (req.header("Expect") == nullptr) add_header("Expect:");
        if (oom) {
            return detail::transport_error(errc::transport, "out_of_memory", delivery::not_sent,
                                           where + ": out of memory building the request");
        }

        using std::chrono::milliseconds;
        const long total_ms = clamp_ms(req.timeout);
        const long connect_ms = std::min(total_ms, clamp_ms(st.opts.connect_timeout));

        set(CURLOPT_URL, req.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
        set(CURLOPT_PROTOCOLS_STR, "http,https");
#else
        set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: required with threads
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_TIMEOUT_MS, total_ms);
        set(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
        set(CURLOPT_TCP_KEEPALIVE, 1L);
        set(CURLOPT_HTTPHEADER, headers.get());
        if (req.header("User-Agent") == nullptr && !st.opts.user_agent.empty())
            set(CURLOPT_USERAGENT, st.opts.user_agent.c_str());
        if (req.verb == http::method::post) {
            set(CURLOPT_POST, 1L);
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
            // Not CURLOPT_POSTFIELDS: see gcx_curl_seek_body (no silent second send).
            ex.body = req.body;  // not copied: req outlives the transfer
            set(CURLOPT_READFUNCTION, &detail::gcx_curl_read_body);
            set(CURLOPT_READDATA, static_cast<void*>(&ex));
            set(CURLOPT_SEEKFUNCTION, &detail::gcx_curl_seek_body);
            set(CURLOPT_SEEKDATA, static_cast<void*>(&ex));
        } else {
            set(CURLOPT_HTTPGET, 1L);
        }

        // TLS.
        set(CURLOPT_SSL_VERIFYPEER, st.opts.verify_peer ? 1L : 0L);
        set(CURLOPT_SSL_VERIFYHOST, st.opts.verify_host ? 2L : 0L);
        if (!st.opts.ca_file.empty()) set(CURLOPT_CAINFO, st.opts.ca_file.c_str());
        if (!st.opts.ca_path.empty()) set(CURLOPT_CAPATH, st.opts.ca_path.c_str());

        // Proxy: an empty string also stops libcurl from reading http_proxy & co.
        set(CURLOPT_PROXY, st.opts.proxy.c_str());
        if (!st.opts.proxy.empty()) set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);

        // Response: body with a cap (MAXFILESIZE refuses an announced Content-Length early; the
        // write callback catches chunked or lying bodies), headers of the last response.
        set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(
                                           std::min<std::size_t>(st.opts.max_response_bytes, 0x7fffffffffffffffULL)));
        set(CURLOPT_WRITEFUNCTION, &detail::gcx_curl_on_body);
        set(CURLOPT_WRITEDATA, static_cast<void*>(&ex));
        set(CURLOPT_HEADERFUNCTION, &detail::gcx_curl_on_header);
        set(CURLOPT_HEADERDATA, static_cast<void*>(&ex));

        // "Was anything sent?": count request bytes written (see the top of this header).
        set(CURLOPT_DEBUGFUNCTION, &detail::gcx_curl_on_debug);
        set(CURLOPT_DEBUGDATA, static_cast<void*>(&ex));
        set(CURLOPT_VERBOSE, 1L);
        set(CURLOPT_ERRORBUFFER, errbuf);

        if (set_rc != CURLE_OK) {
            return detail::transport_error(errc::config, "curl_option", delivery::not_sent,
                                           where + ": libcurl refused an option: " + curl_easy_strerror(set_rc),
                                           "this libcurl lacks a feature gcx needs (TLS, HTTP/1.1...)");
        }
        if (st.opts.configure) st.opts.configure(h);

        const auto started = std::chrono::steady_clock::now();
        const CURLcode rc = curl_easy_perform(h);
        const auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);

        if (rc == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            res.status = static_cast<int>(status);
            return res;
        }

        long request_size = 0;
        curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
        const bool wrote = ex.bytes_out > 0 || request_size > 0;
        return classify(rc, ex, wrote, elapsed, req.timeout, where, errbuf);
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

    static long clamp_ms(std::chrono::milliseconds d) noexcept {
        const auto v = d.count();
        if (v <= 0) return 1;
        if (v > 0x7fffffffL) return 0x7fffffffL;
        return static_cast<long>(v);
    }

    static error classify(CURLcode rc, const detail::curl_exchange& ex, bool wrote, std::chrono::milliseconds elapsed,
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
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
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

    std::shared_ptr<const state> state_;
};

} // namespace adapters
GCX_NAMESPACE_END

#endif
