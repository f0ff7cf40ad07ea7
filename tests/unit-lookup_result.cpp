// include/gcx/lookup_result.hpp: map_outputs binds "Flow."-prefixed outputs for a flow's answer
// and plain keys for a data action's, keeps the execution on success and its id on a mapping
// error, and says why when there were no outputs at all; is_failed_status.
#include <gcx/json/boost_json.hpp>
#include <gcx/lookup_result.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>

namespace unit_lookup_result {

struct found_only {
    bool Found = false;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(found_only, (), (Found, ContactId))

using J = gcx::json::boost_json;

namespace {
gcx::result<gcx::lookup_result<J::value>> answer(const char* outputs, const char* source = "flow") {
    gcx::lookup_result<J::value> r{*J::parse(outputs), {}};
    r.execution.id = "exec-7";
    r.execution.source = source;
    r.execution.requests = 3;
    return r;
}
}  // namespace

TEST_CASE("lookup_result: a flow's outputs bind Flow.-prefixed keys, and the execution stays") {
    auto m = gcx::map_outputs<J, found_only>(answer(R"({"Flow.Found":true,"Flow.ContactId":"8a7f"})"));
    REQUIRE(m);
    CHECK(m->outputs.Found);
    CHECK(m->outputs.ContactId == "8a7f");
    CHECK(m->execution.id == "exec-7");
    CHECK(m->execution.requests == 3);
}

TEST_CASE("lookup_result: a data action's outputs bind plain keys") {
    auto m = gcx::map_outputs<J, found_only>(
        answer(R"({"Found":true,"ContactId":"c1"})", std::string(gcx::data_action_source).c_str()));
    REQUIRE(m);
    CHECK(m->outputs.Found);
    CHECK(m->outputs.ContactId == "c1");
}

TEST_CASE("lookup_result: a mapping error keeps the execution id, and no outputs at all says why") {
    auto wrong = gcx::map_outputs<J, found_only>(answer(R"({"Flow.Found":"yes"})"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().kind == gcx::errc::mapping);
    CHECK(wrong.error().execution_id == "exec-7");

    auto empty = gcx::map_outputs<J, found_only>(answer("{}"));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().hint.find("without any output") != std::string::npos);

    auto action_empty = gcx::map_outputs<J, found_only>(answer("{}", "data_action"));
    REQUIRE_FALSE(action_empty);
    CHECK(action_empty.error().hint.find("data action answered without any output") != std::string::npos);
}

TEST_CASE("lookup_result: an error passes through map_outputs unchanged") {
    gcx::result<gcx::lookup_result<J::value>> failed = gcx::make_error(gcx::errc::timeout, "too slow");
    auto m = gcx::map_outputs<J, found_only>(std::move(failed));
    REQUIRE_FALSE(m);
    CHECK(m.error().kind == gcx::errc::timeout);
}

TEST_CASE("lookup_result: FAILED, ERROR and TERMINATED end an execution unsuccessfully, nothing else does") {
    for (const char* s : {"FAILED", "ERROR", "TERMINATED"}) CHECK(gcx::is_failed_status(s));
    for (const char* s : {"COMPLETED", "RUNNING", "UNKNOWN", "failed", ""}) CHECK_FALSE(gcx::is_failed_status(s));
}

}  // namespace unit_lookup_result
