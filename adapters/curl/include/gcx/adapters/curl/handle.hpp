// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_HANDLE_HPP
#define GCX_ADAPTERS_CURL_HANDLE_HPP

// One libcurl easy handle as both curl_transport and curl_multi_runner use it: the options that
// never change between requests (TLS, trust, proxy, body cap, callbacks), set once; the per-request
// options, whose first refusal is kept; the request headers; and what a request leaves behind.

#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/curl/exchange.hpp>
#include <gcx/adapters/curl/header_lists.hpp>
#include <gcx/adapters/curl/options.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <fstream>
#include <memory>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

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
#if LIBCURL_VERSION_NUM >= 0x075700    // 7.87.0
        // A transfer that times out while its name is being resolved returns at once, leaving the
        // resolver's thread behind, instead of waiting for getaddrinfo: a DNS server that does not
        // answer held curl_transport::send, and curl_multi_runner's whole loop, for its retries.
        h->set(CURLOPT_QUICK_EXIT, 1L);
#endif
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
        else if (drop_builtin_ca_dir(easy, !o.ca_file.empty()))
            h->set(CURLOPT_CAPATH, static_cast<const char*>(nullptr));

        // Proxy: an empty string also stops libcurl from reading http_proxy & co; and an
        // explicit no-proxy list (even empty) stops it from reading no_proxy / NO_PROXY, which it
        // otherwise honours even with CURLOPT_PROXY set. libcurl's own no_proxy rules are not
        // used at all: each request goes through the proxy or not as proxy_bypassed says (route(),
        // from curl_prepare), the rule the plain-http check and the error classification read
        // (libcurl 7.88 reads an IPv6 host in a range as a name, and older ones have no ranges).
        // libcurl quotes the proxy URL in some of its error messages ("Unsupported proxy syntax in
        // '...'"): it gets the URL without the credentials, which go in options of their own
        // (libcurl copies every string option). curl_init_error refused a proxy parse_proxy refuses.
        const auto proxy = o.proxy.empty() ? result<proxy_target>(proxy_target{}) : parse_proxy(o.proxy);
        h->proxy_url_ = proxy && !o.proxy.empty() ? proxy_url_without_credentials(*proxy) : std::string();
        h->set(CURLOPT_PROXY, h->proxy_url_.c_str());
        h->via_proxy_ = !h->proxy_url_.empty();
        h->set(CURLOPT_NOPROXY, "");
        const std::string& proxy_url = h->proxy_url_;
        if (!proxy_url.empty()) {
            h->set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
            if (!proxy->user.empty() || !proxy->password.empty()) {
                h->set(CURLOPT_PROXYUSERNAME, proxy->user.c_str());
                h->set(CURLOPT_PROXYPASSWORD, proxy->password.c_str());
            }
        }

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

    /// Sends the next request through the configured proxy or directly (a host the no_proxy list
    /// names: proxy_bypassed); nothing to do without a proxy.
    void route(bool via_proxy) {
        if (proxy_url_.empty() || via_proxy == via_proxy_) return;
        set(CURLOPT_PROXY, via_proxy ? proxy_url_.c_str() : "");
        via_proxy_ = via_proxy;
    }
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

    /// Makes libcurl send `fields`, then `user_agent` (see curl_header_lists::build), reusing the
    /// list of the last request with the same method when it was built from the same. False: out
    /// of memory.
    bool set_headers(const http::headers& fields, bool post, const std::string* user_agent) {
        curl_slist* list = headers_.find(fields, post, user_agent);
        if (list == nullptr) {
            set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));  // before its list is freed
            active_ = nullptr;
            list = headers_.build(fields, post, user_agent);
            if (list == nullptr) return false;
        }
        if (active_ != list) {
            set(CURLOPT_HTTPHEADER, list);
            active_ = list;
        }
        return true;
    }

    /// Starts the keep-alive bookkeeping of a transfer to `origin` (see curl_outcome); `fresh`:
    /// it was told to open a new connection.
    void start_keepalive(const std::string& origin, bool fresh) {
        if (origin_ != origin) {
            origin_ = origin;
            kept_ = false;
        }
        fresh_ = fresh;
    }
    /// Ends it: whether the transfer left its connection open, at `now`.
    void end_keepalive(bool kept, std::chrono::steady_clock::time_point now) noexcept {
        kept_ = kept;
        kept_at_ = now;
    }
    /// Whether the previous transfer, to the same origin as this one, left a connection open less
    /// than keepalive_memory::soon ago, and this one was not told to open a new one.
    bool kept_recently(std::chrono::steady_clock::time_point now) const noexcept {
        return kept_ && !fresh_ && now - kept_at_ < keepalive_memory::soon;
    }
    const std::string& origin() const noexcept { return origin_; }
    /// Whether the previous transfer went to `origin` and left its connection open (in the
    /// handle's cache, for curl_transport), and when it ended.
    bool left_open_to(const std::string& origin) const noexcept { return kept_ && origin_ == origin; }
    std::chrono::steady_clock::time_point left_at() const noexcept { return kept_at_; }

    /// Ends a request: drops what points into it (the POST body, the response); the method is
    /// set again by every request. Connections, caches and the fixed options stay.
    void end_request() noexcept {
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
        curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
        ex_.res = nullptr;
    }

private:
    explicit curl_handle(CURL* easy) noexcept : easy_(easy) {}

    CURL* easy_;
    curl_exchange ex_;
    char errbuf_[CURL_ERROR_SIZE];
    CURLcode setup_rc_ = CURLE_OK;     // an option make() set was refused: every request fails
    CURLcode transfer_rc_ = CURLE_OK;  // the same, for the current request
    curl_header_lists headers_;
    curl_slist* active_ = nullptr;  // the list CURLOPT_HTTPHEADER points at
    std::string proxy_url_;         // the proxy, without its credentials ("" for none)
    bool via_proxy_ = false;        // what CURLOPT_PROXY says now (route)
    // Keep-alive bookkeeping (start_keepalive, end_keepalive).
    std::string origin_;
    bool fresh_ = false;
    bool kept_ = false;
    std::chrono::steady_clock::time_point kept_at_{};
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
