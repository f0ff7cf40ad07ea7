// gcx/gcx.hpp, the umbrella: it brings the whole core, and nothing that names a third-party JSON
// or HTTP library (the backends and adapters are included on their own).

// The unit-test targets link gcx::boost_json (and gcx::nlohmann), which define GCX_WITH_* so that
// the single header (GCX_USE_SINGLE_INCLUDE) would add those parts. The umbrella is tested as a
// program that asked for none of them would include it.
#undef GCX_WITH_BOOST_JSON
#undef GCX_WITH_NLOHMANN
#undef GCX_WITH_CURL
#undef GCX_WITH_HTTPLIB

#include <gcx/gcx.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

// Every header's include guard is defined empty: stringified, a defined guard is "" and an
// undefined one is its own name.
#define GCX_TEST_STR2(x) #x
#define GCX_TEST_STR(x) GCX_TEST_STR2(x)
#define GCX_TEST_INCLUDED(guard) (std::string(GCX_TEST_STR(guard)).empty())

TEST_CASE("gcx.hpp: includes every core header") {
    CHECK(GCX_TEST_INCLUDED(GCX_VERSION_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_ERROR_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_RESULT_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_SECRET_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_HTTP_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_CLOCK_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_PHONE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_RETRY_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_CONFIG_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_JSON_BACKEND_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_RAW_JSON_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_TRAITS_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_NAMES_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_PATH_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_READ_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_REFLECT_WRITE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_MODELS_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_API_ERROR_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_AUTH_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_CALL_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_CALL_STATE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_LOOKUP_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_DIRECT_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_CLIENT_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_ERROR_CODES_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_OPERATION_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_GOVERNOR_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_POLL_SCHEDULE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_SESSION_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_LINKAGE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_DEADLINE_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_STRATEGY_HPP));
    CHECK(GCX_TEST_INCLUDED(GCX_TRANSPORT_HPP));
}

TEST_CASE("gcx.hpp: includes no JSON backend and no transport adapter") {
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_JSON_BOOST_JSON_HPP));
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_JSON_NLOHMANN_HPP));
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_ADAPTERS_TRANSPORT_OPTIONS_HPP));
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_ADAPTERS_CURL_HPP));
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_ADAPTERS_CURL_MULTI_HPP));
    CHECK_FALSE(GCX_TEST_INCLUDED(GCX_ADAPTERS_HTTPLIB_HPP));
    // Nor the libraries themselves (their own include guards).
#if defined(BOOST_JSON_HPP) || defined(BOOST_JSON_VALUE_HPP)
    FAIL("gcx.hpp included Boost.JSON");
#endif
#if defined(INCLUDE_NLOHMANN_JSON_HPP_)
    FAIL("gcx.hpp included nlohmann/json");
#endif
#if defined(CURLINC_CURL_H) || defined(CPPHTTPLIB_HTTPLIB_H)
    FAIL("gcx.hpp included libcurl or cpp-httplib");
#endif
}

TEST_CASE("gcx.hpp: the core's names work without a backend or a transport") {
    auto number = gcx::normalize_e164("+1 (317) 555-0123");
    REQUIRE(number);
    CHECK(*number == "+13175550123");
    auto ep = gcx::endpoints::from_region("eu_central_1");
    REQUIRE(ep);
    CHECK(ep->api == "https://api.mypurecloud.de");
    CHECK(gcx::backoff_delay(gcx::retry_policy{}, 0, 0.0) == gcx::milliseconds{100});
    const gcx::time_point t{std::chrono::seconds{1}};
    CHECK(gcx::remaining(t, t + gcx::milliseconds{5}) == gcx::milliseconds{5});
    CHECK(std::string(gcx::required_permission(gcx::operation::poll)) == "architect:flowExecution:view");
    gcx::token_cache tokens("id", gcx::secret("s"), ep->login);
    CHECK(tokens.request(gcx::milliseconds{1000}).url == "https://login.mypurecloud.de/oauth/token");
    CHECK(gcx::raw_json{}.text == "null");
    gcx::external_contact c;
    CHECK_FALSE(c.id.has_value());
}
