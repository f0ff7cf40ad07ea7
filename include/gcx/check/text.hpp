// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_TEXT_HPP
#define GCX_CHECK_TEXT_HPP

// The wording the preflight check's items share (check.hpp and check/*.hpp): an error as one
// line, a server's name quoted and clipped, the region an API URL is on. Nothing here holds or
// prints a secret: only what a server answered (clipped) and the configured URLs.

#include <gcx/api_error.hpp>
#include <gcx/config.hpp>
#include <gcx/error.hpp>
#include <gcx/http.hpp>

#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace check_detail {

inline std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

inline std::string quoted(std::string_view s) { return "'" + detail::clip(s, 200) + "'"; }

/// "HTTP 404 (not.found): The requested resource was not found."
inline std::string failure_text(const error& e) {
    std::string s;
    if (e.http_status != 0) s = "HTTP " + std::to_string(e.http_status);
    if (!e.code.empty()) s += (s.empty() ? "" : " ") + std::string("(") + e.code + ")";
    if (!e.message.empty()) s += (s.empty() ? "" : ": ") + e.message;
    return s;
}

/// What to do when the API answered a probe with a 404 or 400 of its own, not Genesys Cloud's.
inline constexpr const char* api_url_hint =
    "check the API URL (GENESYS_REGION, GCX_API_URL or --api-url): it must be the region's API host itself, or a "
    "gateway that passes requests through unchanged";

/// Whether `e` says the request did not get through (the network item reports it). An answer too
/// large to read did get through: the network works, that answer does not.
inline bool is_network(const error& e) noexcept {
    return (e.kind == errc::transport && e.code != codes::too_large) || e.kind == errc::timeout;
}

/// The region whose domain the API URL is on, or empty.
inline std::string region_of(const std::string& api_url) {
    auto u = http::parse_url(api_url);
    if (!u) return {};
    for (const auto& r : regions)
        if (u->host == "api." + std::string(r.domain)) return std::string(r.name);
    return {};
}

}  // namespace check_detail

GCX_NAMESPACE_END

#endif
