// include/gcx/check/limits.hpp: the org's request limits against what the request governor
// sends. Every test runs on each JSON backend.
#include <gcx/check/limits.hpp>
#include <gcx/json/boost_json.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

namespace unit_check_limits {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

using gcx::check_status;

namespace {

template <class J>
gcx::check_item limits_of(const std::string& body, double rate, std::size_t credentials, std::size_t failed = 0) {
    gcx::client_config cfg;
    cfg.budget.requests_per_minute = rate;
    cfg.budget.headroom = 0.95;
    auto v = J::parse(body);
    REQUIRE(v);
    gcx::check_report r;
    gcx::report_limits<J>(r, cfg, credentials, nullptr, &*v, failed);
    REQUIRE(r.items.size() == 1);
    CHECK(r.items[0].name == "limits");
    return r.items[0];
}

const std::string per_token_300 =
    R"({"entities":[{"key":"client.credentials.token.rate.per.minute","namespace":"platform.api","value":300}]})";

}  // namespace

TEMPLATE_LIST_TEST_CASE("check limits: the limits listed and the governor's pace, ok within them", "", backends) {
    const auto i = limits_of<TestType>(per_token_300, 300, 2);
    CHECK(i.status == check_status::ok);
    CHECK(i.message.find("client.credentials.token.rate.per.minute = 300") != std::string::npos);
    CHECK(i.message.find("each of 2 credentials at 285 requests/min (95% of requests_per_minute 300)") !=
          std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: a rate above the per-token limit warns with the rate to set", "", backends) {
    const auto i = limits_of<TestType>(per_token_300, 400, 1);
    CHECK(i.status == check_status::warn);
    CHECK(i.hint.find("at most 303") != std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: what is compared is the paced rate (with headroom), and no pacing warns", "",
                        backends) {
    // 300 a minute with 95% headroom paces at 285, with a burst of 12 at most 297: within 300.
    // 305 paces at 290, 302 with the burst: over.
    CHECK(limits_of<TestType>(per_token_300, 300, 1).status == check_status::ok);
    const auto over = limits_of<TestType>(per_token_300, 305, 1);
    CHECK(over.status == check_status::warn);
    CHECK(over.hint.find("at most 303") != std::string::npos);      // (300 - 12) / 0.95
    const auto unpaced = limits_of<TestType>(per_token_300, 0, 1);  // --rate 0
    CHECK(unpaced.status == check_status::warn);
    CHECK(unpaced.hint.find("without pacing") != std::string::npos);
    CHECK(unpaced.hint.find("at most 300") != std::string::npos);
    CHECK(limits_of<TestType>(R"({"entities":[]})", 0, 1).status == check_status::ok);  // no limit listed
}

TEMPLATE_LIST_TEST_CASE("check limits: all credentials together above an org-wide limit warn", "", backends) {
    const std::string body = R"({"entities":[{"key":"client.credentials.token.rate.per.minute","value":300},)"
                             R"({"key":"org.api.rate.per.minute","value":500}]})";
    CHECK(limits_of<TestType>(body, 300, 1).status == check_status::ok);
    const auto i = limits_of<TestType>(body, 300, 2);
    CHECK(i.status == check_status::warn);
    CHECK(i.hint.find("org-wide limit of 500/min") != std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: credentials that failed their check are not counted, and the line says so", "",
                        backends) {
    const std::string org_600 = R"({"entities":[{"key":"org.api.rate.per.minute","value":600}]})";
    // Three credentials at 285/min + a burst of 12 each exceed 600/min; the two that work do not.
    CHECK(limits_of<TestType>(org_600, 300, 3).status == check_status::warn);
    const auto i = limits_of<TestType>(org_600, 300, 3, 1);
    CHECK(i.status == check_status::ok);
    CHECK(i.message.find("each of 2 working credentials (the other failed above: no lookup goes with it) at 285") !=
          std::string::npos);
    const auto two = limits_of<TestType>(org_600, 300, 3, 2);
    CHECK(two.message.find("each of 1 working credential (the other 2 failed above") != std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: a per-user or per-client limit is not taken for an org-wide one", "", backends) {
    // org.app.user.rate.per.minute (3000) is per user and OAuth client: 16 credentials at 300 stay
    // within it each, so no warning about an org-wide limit.
    const std::string body = R"({"entities":[{"key":"client.credentials.token.rate.per.minute","value":300},)"
                             R"({"key":"org.app.user.rate.per.minute","value":3000}]})";
    const auto i = limits_of<TestType>(body, 300, 16);
    CHECK(i.status == check_status::ok);
    CHECK(i.message.find("org.app.user.rate.per.minute = 3000") != std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: malformed entries are left out, not a crash", "", backends) {
    const auto i = limits_of<TestType>(
        R"({"entities":[7,{"key":3,"value":1},{"key":"x","value":"y"},{"key":"a.b","value":-1}]})", 300, 1);
    CHECK(i.status == check_status::ok);
    CHECK(i.message.find("no limit listed") != std::string::npos);
    CHECK(limits_of<TestType>(R"({"entities":{"key":"x"}})", 0, 1).message.find("does not pace") != std::string::npos);
}

TEMPLATE_LIST_TEST_CASE("check limits: unreadable limits are skipped, with the error", "", backends) {
    gcx::client_config cfg;
    gcx::check_report r;
    gcx::error e = gcx::make_error(gcx::errc::auth, "refused");
    e.http_status = 403;
    gcx::report_limits<TestType>(r, cfg, 1, &e, nullptr);
    gcx::report_limits<TestType>(r, cfg, 1, nullptr, nullptr);
    REQUIRE(r.items.size() == 2);
    CHECK(r.items[0].status == check_status::skipped);
    CHECK(r.items[0].message.find("HTTP 403") != std::string::npos);
    CHECK(r.items[1].status == check_status::skipped);
}

}  // namespace unit_check_limits
