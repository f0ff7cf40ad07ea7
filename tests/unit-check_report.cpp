// include/gcx/check_report.hpp: the preflight check's report value, as text and as JSON.
#include <gcx/check_report.hpp>
#include <gcx/json/boost_json.hpp>

#include <catch2/catch.hpp>

#include <boost/json.hpp>

namespace unit_check_report {

using gcx::check_status;

TEST_CASE("check_report: statuses, failed(), find() and counts") {
    gcx::check_report r;
    CHECK_FALSE(r.failed());
    r.add("credentials", check_status::ok, "a token was obtained", {}, gcx::check_area::credentials);
    r.add("flow", check_status::skipped, "needs architect:flow:view");
    CHECK_FALSE(r.failed());
    r.add("permission architect:flowExecution:view", check_status::fail, "missing", "give the role",
          gcx::check_area::permission);
    CHECK(r.failed());
    CHECK(r.failed(gcx::check_area::permission));
    CHECK_FALSE(r.failed(gcx::check_area::credentials));
    CHECK(r.count(check_status::skipped) == 1);
    REQUIRE(r.find("flow"));
    CHECK(r.find("flow")->status == check_status::skipped);
    CHECK(r.find("nothing") == nullptr);
    CHECK(std::string(gcx::to_string(check_status::warn)) == "warn");
}

TEST_CASE("check_report: text has one line per check, the hint below, and a count") {
    gcx::check_report r;
    r.add("credentials", check_status::ok, "token obtained");
    r.add("flow", check_status::fail, "flow 'A\nB' has never been published", "publish it");
    const std::string t = r.to_text();
    CHECK(t.find("[ok     ] credentials: token obtained\n") != std::string::npos);
    CHECK(t.find("[fail   ] flow: flow 'A B' has never been published\n          -> publish it\n") !=
          std::string::npos);
    CHECK(t.find("1 ok, 0 warnings, 1 failed, 0 skipped") != std::string::npos);
}

TEST_CASE("check_report: JSON is {checks: [{name, status, message, hint}]}") {
    gcx::check_report r;
    r.add("credentials", check_status::ok, "token obtained");
    r.add("flow", check_status::skipped, "needs \"architect:flow:view\"", "give the role");
    const auto v = boost::json::parse(gcx::to_json_text<gcx::json::boost_json>(r));
    const auto& checks = v.at("checks").as_array();
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].as_object().size() == 4);
    CHECK(checks[0].at("status") == "ok");
    CHECK(checks[0].at("hint") == "");
    CHECK(checks[1].at("name") == "flow");
    CHECK(checks[1].at("status") == "skipped");
    CHECK(checks[1].at("message") == "needs \"architect:flow:view\"");
}

}  // namespace unit_check_report
