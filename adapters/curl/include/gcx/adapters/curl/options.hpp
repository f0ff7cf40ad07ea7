// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_OPTIONS_HPP
#define GCX_ADAPTERS_CURL_OPTIONS_HPP

// The libcurl adapter's options (curl_options), libcurl's global initialisation, and the checks
// of the options made once per transport or runner.

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/transport_options.hpp>
#include <gcx/error.hpp>

#include <curl/curl.h>

#include <functional>
#include <memory>
#include <string>

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

/// Why every request of a transport or runner made with `o` must fail (libcurl could not be
/// initialised, the proxy option is malformed), or nullptr.
inline std::unique_ptr<error> curl_init_error(const curl_options& o) {
    const CURLcode rc = curl_global();
    if (rc != CURLE_OK) {
        return std::make_unique<error>(
            transport_error(errc::config, "curl_init", delivery::not_sent,
                            std::string("curl_global_init failed: ") + curl_easy_strerror(rc)));
    }
    if (!o.proxy.empty()) {
        auto p = parse_proxy(o.proxy);
        if (!p) return std::make_unique<error>(p.error());
    }
    return nullptr;
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
