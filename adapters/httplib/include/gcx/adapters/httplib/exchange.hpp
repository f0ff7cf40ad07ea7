// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP
#define GCX_ADAPTERS_HTTPLIB_EXCHANGE_HPP

// One request over cpp-httplib: the httplib::Request made from a gcx request, with the handlers
// that enforce the body cap and the deadline while the answer arrives, and the response read.

#include <gcx/adapters/httplib/options.hpp>
#include <gcx/http.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
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
    std::atomic<bool> headers_done{false};  ///< status line and headers read (the watch thread reads it)

    /// `req` as httplib sends it (`u` is its URL split), with opts' User-Agent when it has none.
    /// The answer's body goes into `res`, up to opts.max_response_bytes, until `deadline`.
    httplib::Request request(const http::request& req, const http::url_parts& u, const httplib_options& opts,
                             clock::time_point deadline) {
        httplib::Request hr;
        hr.method = http::to_string(req.verb);
        hr.path = u.target;
        for (const auto& f : req.fields) hr.headers.emplace(f.name, f.value);
        if (req.header("User-Agent") == nullptr && !opts.user_agent.empty())
            hr.headers.emplace("User-Agent", opts.user_agent);
        if (req.verb == http::method::post) hr.body = req.body;

        const std::size_t cap = opts.max_response_bytes;
        hr.response_handler = [this, cap, deadline](const httplib::Response& r) {
            headers_done.store(true);
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
