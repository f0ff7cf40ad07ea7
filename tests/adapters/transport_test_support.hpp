// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_TESTS_ADAPTERS_TRANSPORT_TEST_SUPPORT_HPP
#define GCX_TESTS_ADAPTERS_TRANSPORT_TEST_SUPPORT_HPP

// Shared by the adapter tests: request builders, and ADAPTER_TEST, which registers one test
// body (a function template over the transport) once per adapter that was built.

#include "test_server.hpp"

#if defined(GCX_TEST_CURL)
#include <gcx/adapters/curl.hpp>
#endif
#if defined(GCX_TEST_HTTPLIB)
#include <gcx/adapters/httplib.hpp>
#endif
#include <gcx/http.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace gcx_test {

inline gcx::http::request get(std::string url, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    gcx::http::request rq;
    rq.verb = gcx::http::method::get;
    rq.url = std::move(url);
    rq.timeout = timeout;
    return rq;
}

inline gcx::http::request post(std::string url, std::string body, const std::string& content_type,
                               std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    gcx::http::request rq;
    rq.verb = gcx::http::method::post;
    rq.url = std::move(url);
    rq.body = std::move(body);
    rq.fields.push_back({"Content-Type", content_type});
    rq.timeout = timeout;
    return rq;
}

inline std::string loopback_url(std::uint16_t port, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
}

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace gcx_test

#define GCX_TEST_CAT2(a, b) a##b
#define GCX_TEST_CAT(a, b) GCX_TEST_CAT2(a, b)

#if defined(GCX_TEST_CURL)
#define GCX_TEST_CURL_CASE(fn, name)                                                                                   \
    TEST_CASE("curl: " name, "[adapters][curl]") { fn<gcx::adapters::curl_transport>(); }
#else
#define GCX_TEST_CURL_CASE(fn, name)
#endif
#if defined(GCX_TEST_HTTPLIB)
#define GCX_TEST_HTTPLIB_CASE(fn, name)                                                                                \
    TEST_CASE("httplib: " name, "[adapters][httplib]") { fn<gcx::adapters::httplib_transport>(); }
#else
#define GCX_TEST_HTTPLIB_CASE(fn, name)
#endif

/// ADAPTER_TEST("does X") { ... uses Transport ... } registers "curl: does X" and
/// "httplib: does X". The body is a function template: Catch2 assertions work as usual.
#define ADAPTER_TEST_IMPL(fn, name)                                                                                    \
    template <class Transport>                                                                                         \
    static void fn();                                                                                                  \
    GCX_TEST_CURL_CASE(fn, name)                                                                                       \
    GCX_TEST_HTTPLIB_CASE(fn, name)                                                                                    \
    template <class Transport>                                                                                         \
    static void fn()
#define ADAPTER_TEST(name) ADAPTER_TEST_IMPL(GCX_TEST_CAT(gcx_adapter_test_, __LINE__), name)

#endif
