// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP
#define GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP

// One request over cpp-httplib: the httplib::Request made from a gcx request, with the handlers
// that enforce the body cap and the deadline while the answer arrives, and the response read.

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/httplib/options.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// What one exchange's handlers write into. It must stay where it is while the request made by
/// request() is sent (the handlers point at it).
struct httplib_exchange {
    using clock = std::chrono::steady_clock;

    http::response res;                     ///< the body as it arrives; status and headers once complete
    bool too_large = false;                 ///< the body cap refused the answer
    bool late = false;                      ///< the deadline passed while the answer arrived
    bool interim = false;                   ///< a 1xx came before the answer (httplib 0.11 cannot read past it)
    std::atomic<bool> headers_done{false};  ///< status line and headers read (the watch thread reads it)

    /// `req` as httplib sends it (`u` is its URL split), with opts' User-Agent when it has none.
    /// The answer's body goes into `res`, up to opts.max_response_bytes, until `deadline`.
    httplib::Request request(const http::request& req, const http::url_parts& u, const httplib_options& opts,
                             clock::time_point deadline, const proxy_target* proxy = nullptr) {
        httplib::Request hr;
        if (proxy && (!proxy->user.empty() || !proxy->password.empty()))
            hr.headers.insert(httplib::make_basic_authentication_header(proxy->user, proxy->password, true));
        hr.method = http::to_string(req.verb);
        hr.path = u.target;
        for (const auto& f : req.fields) hr.headers.emplace(f.name, f.value);
        if (req.header("User-Agent") == nullptr && !opts.user_agent.empty())
            hr.headers.emplace("User-Agent", opts.user_agent);
        if (req.verb == http::method::post) hr.body = req.body;

        const std::size_t cap = opts.max_response_bytes;
        hr.response_handler = [this, cap, deadline](const httplib::Response& r) {
            headers_done.store(true);
            if (r.status >= 100 && r.status <= 199) {  // it would read the real answer as a body, to the timeout
                interim = true;
                return false;
            }
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            if (r.has_header("Content-Length") && r.get_header_value<std::uint64_t>("Content-Length") > cap) {
                too_large = true;  // refuse before reading a byte of it
                return false;
            }
            return true;
        };
        hr.content_receiver = [this, cap, deadline](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
            if (n > cap - std::min(cap, res.body.size())) {
                too_large = true;
                return false;
            }
            if (clock::now() >= deadline) {
                late = true;
                return false;
            }
            res.body.append(data, n);
            return true;
        };
        return hr;
    }

    /// Whether the connection must not be used again after `hres`: a "Connection: close" in any
    /// case or list ("Close", "keep-alive, close": httplib closes only on "close" exactly), or an
    /// HTTP/1.0 answer without keep-alive.
    static bool closes_connection(const httplib::Response& hres) {
        bool close = false, keep_alive = false;
        const auto range = hres.headers.equal_range("Connection");  // names compare without case
        for (auto it = range.first; it != range.second; ++it) {
            const std::string& v = it->second;
            for (std::size_t at = 0; at <= v.size();) {
                const std::size_t comma = std::min(v.find(',', at), v.size());
                std::string option = v.substr(at, comma - at);
                option.erase(0, option.find_first_not_of(" \t"));
                option.erase(option.find_last_not_of(" \t") + 1);
                for (auto& c : option) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                close = close || option == "close";
                keep_alive = keep_alive || option == "keep-alive";
                at = comma + 1;
            }
        }
        return close || (hres.version == "HTTP/1.0" && !keep_alive);
    }

    /// The complete answer `hres` (its body already in `res`).
    http::response take(const httplib::Response& hres) {
        res.status = hres.status;
        res.fields.reserve(hres.headers.size());
        for (const auto& h : hres.headers) res.fields.push_back(http::header{h.first, h.second});
        return std::move(res);
    }
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
