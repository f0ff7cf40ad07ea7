// include/gcx/error_codes.hpp: the codes gcx sets are distinct, and the retry rule knows the
// transport codes by these names (a custom transport that uses them gets the same treatment).
#include <gcx/error_codes.hpp>
#include <gcx/retry.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string_view>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_error_codes {

TEST_CASE("error_codes: every code is a distinct, non-empty lower-case name") {
    namespace c = gcx::codes;
    const std::string_view all[] = {
        c::deadline,       c::queue_timeout,   c::retry_ceiling, c::max_polls,      c::phone,         c::flow_id,
        c::token_response, c::launch_response, c::json,          c::connect,        c::resolve,       c::tls,
        c::certificate,    c::proxy,           c::send,          c::recv,           c::empty_reply,   c::partial,
        c::protocol,       c::timeout,         c::too_large,     c::canceled,       c::out_of_memory, c::unknown,
        c::bad_url,        c::bad_header,      c::bad_proxy,     c::insecure_http,  c::redirect,      c::found_output,
        c::proxy_refused,  c::proxy_tunnel,    c::action_id,     c::action_response};
    std::set<std::string_view> seen;
    for (auto code : all) {
        INFO(code);
        CHECK_FALSE(code.empty());
        for (char ch : code) CHECK(((ch >= 'a' && ch <= 'z') || ch == '_'));
        CHECK(seen.insert(code).second);
    }
}

TEST_CASE("error_codes: certificate and too_large are never retried, connect is") {
    gcx::retry_policy p;
    auto attempt = [&](std::string_view code) {
        gcx::error e = gcx::make_error(gcx::errc::transport, "x");
        e.code = std::string(code);
        e.sent = gcx::delivery::not_sent;
        gcx::failed_attempt a;
        a.failure = &e;
        a.time_left = gcx::milliseconds{60000};
        return gcx::decide_retry(p, a, 0.5).what;
    };
    using v = gcx::retry_decision::verdict;
    CHECK(attempt(gcx::codes::certificate) == v::stop);
    CHECK(attempt(gcx::codes::too_large) == v::stop);
    CHECK(attempt(gcx::codes::proxy_refused) == v::stop);  // a proxy's policy or credentials
    CHECK(attempt(gcx::codes::connect) == v::retry);
    CHECK(attempt(gcx::codes::tls) == v::retry);
}

}  // namespace unit_error_codes
