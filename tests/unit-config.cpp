// include/gcx/config.hpp: regions, endpoints, validation, from_env.
#include "fakes.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_config {

using gcx::errc;

namespace {
gcx::client_config::getenv_fn env(std::map<std::string, std::string> vars) {
    auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
    return [shared](const char* name) -> const char* {
        auto it = shared->find(name);
        return it == shared->end() ? nullptr : it->second.c_str();
    };
}
std::map<std::string, std::string> good_env() {
    return {{"GENESYS_CLIENT_ID", "id-1"},
            {"GENESYS_CLIENT_SECRET", fakes::client_secret},
            {"TARGET_FLOW_ID", fakes::flow_id}};
}
}  // namespace

TEST_CASE("config: all 18 regions resolve by SDK name and by domain") {
    CHECK(gcx::regions.size() == 18);
    for (const auto& r : gcx::regions) {
        auto by_name = gcx::endpoints::from_region(r.name);
        auto by_domain = gcx::endpoints::from_region(r.domain);
        REQUIRE(by_name);
        REQUIRE(by_domain);
        CHECK(by_name->api == "https://api." + std::string(r.domain));
        CHECK(by_name->login == "https://login." + std::string(r.domain));
        CHECK(by_domain->api == by_name->api);
    }
    CHECK(gcx::endpoints::from_region("eu-central-1")->api == "https://api.mypurecloud.de");
    CHECK(gcx::endpoints::from_region("EU_WEST_1")->login == "https://login.mypurecloud.ie");
    CHECK(gcx::endpoints::from_region("eusc_de_east_1")->api == "https://api.edee1.eusc-pure.cloud");
}

TEST_CASE("config: an unlisted domain is accepted, junk is refused") {
    CHECK(gcx::endpoints::from_region("new1.pure.cloud")->api == "https://api.new1.pure.cloud");
    CHECK_FALSE(gcx::endpoints::from_region("not a region"));
    CHECK_FALSE(gcx::endpoints::from_region(""));
    CHECK(gcx::endpoints::from_region("nodots").error().kind == errc::config);
}

TEST_CASE("config: base-URL overrides keep scheme, host, port and path prefix") {
    auto e = gcx::endpoints::from_urls("http://127.0.0.1:8080/", "");
    REQUIRE(e);
    CHECK(e->api == "http://127.0.0.1:8080");
    CHECK(e->login == "http://127.0.0.1:8080");
    auto g = gcx::endpoints::from_urls("https://gateway.example.com:8443/genesys",
                                       "https://gateway.example.com:8443/genesys-login");
    REQUIRE(g);
    CHECK(g->api == "https://gateway.example.com:8443/genesys");
    CHECK(g->login == "https://gateway.example.com:8443/genesys-login");
    CHECK_FALSE(gcx::endpoints::from_urls("ftp://x"));
    CHECK_FALSE(gcx::endpoints::from_urls("http://:80"));
    CHECK_FALSE(gcx::endpoints::from_urls("https://host:99999"));
}

TEST_CASE("config: from_env reads the tutorial's variables") {
    auto vars = good_env();
    vars["GENESYS_REGION"] = "mypurecloud.de";
    auto c = gcx::client_config::from_env(env(vars));
    REQUIRE(c);
    CHECK(c->client_id == "id-1");
    CHECK(c->client_secret.reveal() == fakes::client_secret);
    CHECK(c->flow_id == fakes::flow_id);
    CHECK(c->endpoints.api == "https://api.mypurecloud.de");
    CHECK(c->endpoints.login == "https://login.mypurecloud.de");
}

TEST_CASE("config: GENESYS_REGION defaults to mypurecloud.com") {
    auto c = gcx::client_config::from_env(env(good_env()));
    REQUIRE(c);
    CHECK(c->endpoints.api == "https://api.mypurecloud.com");
}

TEST_CASE("config: GCX_API_URL and GCX_LOGIN_URL override the region") {
    auto vars = good_env();
    vars["GENESYS_REGION"] = "mypurecloud.de";
    vars["GCX_API_URL"] = "http://127.0.0.1:9000";
    auto c = gcx::client_config::from_env(env(vars));
    REQUIRE(c);
    CHECK(c->endpoints.api == "http://127.0.0.1:9000");
    CHECK(c->endpoints.login == "http://127.0.0.1:9000");
    vars["GCX_LOGIN_URL"] = "http://127.0.0.1:9001";
    CHECK(gcx::client_config::from_env(env(vars))->endpoints.login == "http://127.0.0.1:9001");
}

TEST_CASE("config: a missing or malformed variable is a config error naming it, never echoing the secret") {
    struct row {
        const char* var;
        const char* value;  // nullptr: unset
    };
    for (row r :
         {row{"GENESYS_CLIENT_ID", nullptr}, row{"GENESYS_CLIENT_SECRET", nullptr}, row{"TARGET_FLOW_ID", nullptr},
          row{"TARGET_FLOW_ID", "not-a-uuid"}, row{"GENESYS_REGION", "bad region!"}, row{"GCX_API_URL", "gopher://x"},
          row{"GCX_LOGIN_URL", "http://127.0.0.1:1"}}) {
        auto vars = good_env();
        if (r.value) vars[r.var] = r.value;
        else vars.erase(r.var);
        auto c = gcx::client_config::from_env(env(vars));
        INFO(r.var);
        REQUIRE_FALSE(c);
        CHECK(c.error().kind == errc::config);
        auto text = c.error().describe() + c.error().hint;
        CHECK(text.find(std::string(r.var) == "GCX_LOGIN_URL" ? "GCX_API_URL" : r.var) != std::string::npos);
        CHECK_FALSE(fakes::leaks_secret(text));
    }
}

TEST_CASE("config: credentials are never sent over plain http to a remote host") {
    auto c = fakes::config();
    c.endpoints = *gcx::endpoints::from_urls("http://genesys-proxy.internal");
    auto v = c.validate();
    REQUIRE_FALSE(v);
    CHECK(v.error().kind == errc::config);
    c.allow_insecure_http = true;
    CHECK(c.validate());
    c.allow_insecure_http = false;
    c.endpoints = *gcx::endpoints::from_urls("http://localhost:8080");
    CHECK(c.validate());
    c.endpoints = *gcx::endpoints::from_urls("http://127.0.0.2:8080");
    CHECK(c.validate());
}

TEST_CASE("config: every duration is checked: none negative, none over a year, each named when wrong") {
    using ms = gcx::milliseconds;
    using sec = std::chrono::seconds;
    // A duration's max() meant as "for ever" overflowed once added to a time point: a ceiling of
    // seconds::max() stopped every 429 at once, a back-off of milliseconds::max() forgot the
    // refusal at once.
    const std::pair<const char*, std::function<void(gcx::client_config&)>> cases[] = {
        {"retry.retry_after_ceiling", [](gcx::client_config& c) { c.retry.retry_after_ceiling = sec::max(); }},
        {"refused_credentials_backoff", [](gcx::client_config& c) { c.refused_credentials_backoff = ms::max(); }},
        {"unknown_target_backoff", [](gcx::client_config& c) { c.unknown_target_backoff = ms{-1}; }},
        {"budget.min_pause", [](gcx::client_config& c) { c.budget.min_pause = ms::max(); }},
        {"budget.recovery", [](gcx::client_config& c) { c.budget.recovery = sec{-1}; }},
        {"token_refresh_window", [](gcx::client_config& c) { c.token_refresh_window = sec::max(); }},
        {"retry.base_delay", [](gcx::client_config& c) { c.retry.base_delay = ms{-1}; }},
        {"retry.max_delay", [](gcx::client_config& c) { c.retry.max_delay = ms::max(); }},
        {"retry.retry_after_default", [](gcx::client_config& c) { c.retry.retry_after_default = ms::max(); }},
        {"retry.retry_after_min", [](gcx::client_config& c) { c.retry.retry_after_min = ms{-5}; }},
        {"poll.initial", [](gcx::client_config& c) { c.poll.initial = ms::max(); }},
        {"poll.max", [](gcx::client_config& c) { c.poll.max = ms::min(); }},
        {"poll.min_interval", [](gcx::client_config& c) { c.poll.min_interval = ms::max(); }},
    };
    for (const auto& [name, spoil] : cases) {
        CAPTURE(name);
        auto c = fakes::config();
        REQUIRE(c.validate());
        spoil(c);
        auto v = c.validate();
        REQUIRE_FALSE(v);
        CHECK(v.error().kind == errc::config);
        CHECK(v.error().message == std::string(name) + " must be between 0 and a year");
        CHECK_FALSE(gcx::session::create(c));
    }
    // Zero and a year are settings, not errors.
    auto c = fakes::config();
    c.retry.retry_after_ceiling = sec{0};
    c.refused_credentials_backoff = std::chrono::hours{24 * 366};
    c.budget.min_pause = ms{0};
    CHECK(c.validate());
}

namespace {
using spoiler = std::pair<const char*, std::function<void(gcx::client_config&)>>;
/// Each spoiled configuration is refused as a configuration error, by validate() and by
/// session::create, and the message names the budget.
template <std::size_t N>
void each_refused(const spoiler (&bad)[N]) {
    for (const auto& [name, spoil] : bad) {
        CAPTURE(name);
        auto c = fakes::config();
        spoil(c);
        auto v = c.validate();
        REQUIRE_FALSE(v);
        CHECK(v.error().kind == errc::config);
        CHECK(v.error().message.find("budget") != std::string::npos);
        CHECK_FALSE(gcx::session::create(c));
    }
}
}  // namespace

TEST_CASE("config: a headroom above 1, a fresh_burst above burst or a slow_down outside (0, 1] is refused") {
    // The governor clamps them (headroom 1.5 paced at 100%, slow_down 1.5 as 1): said nowhere.
    const spoiler bad[] = {
        {"headroom 1.5", [](gcx::client_config& c) { c.budget.headroom = 1.5; }},  // was paced at 100%, silently
        {"headroom NaN", [](gcx::client_config& c) { c.budget.headroom = std::nan(""); }},
        {"fresh_burst above burst", [](gcx::client_config& c) { c.budget.fresh_burst = c.budget.burst + 1; }},
        {"slow_down 0", [](gcx::client_config& c) { c.budget.slow_down = 0; }},
        {"slow_down 1.5", [](gcx::client_config& c) { c.budget.slow_down = 1.5; }},  // a 429 would speed it up
        {"slow_down NaN", [](gcx::client_config& c) { c.budget.slow_down = std::nan(""); }},
    };
    each_refused(bad);
    auto c = fakes::config();
    c.budget.headroom = 1;
    c.budget.slow_down = 1;
    c.budget.fresh_burst = c.budget.burst;
    CHECK(c.validate());
}

TEST_CASE("config: a rate is 0 (no pacing) or at least 0.01 a minute, and a burst at most 10,000") {
    const spoiler bad[] = {
        {"rate 0.005", [](gcx::client_config& c) { c.budget.requests_per_minute = 0.005; }},  // was: no pacing
        {"rate -1", [](gcx::client_config& c) { c.budget.requests_per_minute = -1; }},
        {"rate NaN", [](gcx::client_config& c) { c.budget.requests_per_minute = std::nan(""); }},
        {"token rate 1e-9", [](gcx::client_config& c) { c.budget.token_requests_per_minute = 1e-9; }},
        {"headroom 0", [](gcx::client_config& c) { c.budget.headroom = 0; }},
        {"burst INT_MAX", [](gcx::client_config& c) { c.budget.burst = std::numeric_limits<int>::max(); }},
        {"fresh_burst -1", [](gcx::client_config& c) { c.budget.fresh_burst = -1; }},
    };
    each_refused(bad);
    auto c = fakes::config();
    c.budget.requests_per_minute = 0;  // no pacing
    CHECK(c.validate());
    c.budget.requests_per_minute = 0.01;
    c.budget.burst = 10000;
    CHECK(c.validate());
}

TEST_CASE("config: the secret type never prints its value") {
    gcx::secret s(fakes::client_secret);
    std::ostringstream os;
    os << s;
    CHECK(os.str() == "[REDACTED]");
    CHECK(s.reveal() == fakes::client_secret);
}

TEST_CASE("config: plain http to an address that only looks like loopback (127.0.0.999) is refused") {
    auto c = fakes::config();
    for (const char* url :
         {"http://127.0.0.999:8080", "http://127.0.0.4294967295", "http://127.1:8080", "http://127.0.0.01:8080"}) {
        INFO(url);
        c.endpoints = *gcx::endpoints::from_urls(url);
        auto v = c.validate();
        REQUIRE_FALSE(v);
        CHECK(v.error().kind == errc::config);
    }
    c.endpoints = *gcx::endpoints::from_urls("http://[::1]:8080");
    CHECK(c.validate());
}

TEST_CASE("config: poll.max_polls below 1 is refused before any launch") {
    for (int n : {0, -3}) {
        auto c = fakes::config();
        c.poll.max_polls = n;
        auto v = c.validate();
        REQUIRE_FALSE(v);  // before: accepted, and every lookup launched a flow it never polled
        CHECK(v.error().kind == errc::config);
        CHECK(v.error().message.find("max_polls") != std::string::npos);
    }
    auto c = fakes::config();
    c.poll.max_polls = 1;
    CHECK(c.validate());
}
}  // namespace unit_config
