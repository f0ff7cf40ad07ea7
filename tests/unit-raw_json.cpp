// gcx::raw_json (gcx/raw_json.hpp): one JSON value kept as its serialized text, parsed later with
// any backend. Every test runs on each JSON backend. How the reflection walker reads and writes
// raw_json members: unit-reflect.cpp.

// BOOST_DESCRIBE_STRUCT(T, (), ...) passes zero variadic macro arguments: clang's -Wpedantic
// flags that before C++20 (boostorg/describe#43).
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

#include <gcx/json/boost_json.hpp>
#include <gcx/raw_json.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <boost/describe/class.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_raw_json {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

namespace rj {
// The header's own example: a flow output the flow author shapes, read into a struct later.
struct profile {
    std::string customerId;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, openCases))

struct customer_lookup {
    std::optional<gcx::raw_json> CustomerProfile;
};
BOOST_DESCRIBE_STRUCT(customer_lookup, (), (CustomerProfile))
}  // namespace rj

TEST_CASE("raw_json: is an aggregate whose default value is JSON null") {
    STATIC_REQUIRE(std::is_aggregate_v<gcx::raw_json>);
    gcx::raw_json r;
    CHECK(r.text == "null");
    gcx::raw_json a{R"({"a":1})"};
    CHECK(a.text == R"({"a":1})");
}

TEST_CASE("raw_json: compares by text, not by value") {
    const gcx::raw_json a{R"({"a":1})"};
    CHECK(gcx::raw_json{} == gcx::raw_json{"null"});
    CHECK(a == gcx::raw_json{R"({"a":1})"});
    CHECK(a != gcx::raw_json{R"({"a":2})"});
    CHECK(a != gcx::raw_json{R"({ "a": 1 })"});  // equal values, different texts
    CHECK(gcx::raw_json{"1"} < gcx::raw_json{"2"});
    CHECK_FALSE(gcx::raw_json{"2"} < gcx::raw_json{"1"});
    std::map<gcx::raw_json, int> keyed{{gcx::raw_json{"[1]"}, 1}, {gcx::raw_json{"[2]"}, 2}};  // usable as a key
    CHECK(keyed.at(gcx::raw_json{"[2]"}) == 2);
}

TEMPLATE_LIST_TEST_CASE("raw_json: parse() gives the backend's value of every JSON kind", "[raw_json]", backends) {
    using J = TestType;
    using gcx::json::kind;
    struct row {
        const char* text;
        kind k;
    };
    const row rows[] = {{R"({"a":[1,2]})", kind::object},
                        {"[1,\"x\",null]", kind::array},
                        {R"("text")", kind::string},
                        {"true", kind::boolean},
                        {"null", kind::null},
                        {"-12", kind::integer},
                        {"2.5", kind::number}};
    for (const auto& x : rows) {
        CAPTURE(x.text);
        auto v = gcx::raw_json{x.text}.template parse<J>();
        REQUIRE(v.has_value());
        CHECK(J::kind_of(*v) == x.k);
    }
    auto dflt = gcx::raw_json{}.template parse<J>();
    REQUIRE(dflt.has_value());
    CHECK(J::kind_of(*dflt) == kind::null);
}

TEMPLATE_LIST_TEST_CASE("raw_json: malformed or too deep text is a protocol error, never a throw", "[raw_json]",
                        backends) {
    using J = TestType;
    for (const char* bad : {"[1,", "{\"a\":}", "", "nul", "{} {}"}) {
        CAPTURE(bad);
        auto r = gcx::raw_json{bad}.template parse<J>();
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == gcx::errc::protocol);
    }
    CHECK_FALSE(gcx::raw_json{"[[[[1]]]]"}.template parse<J>(3).has_value());
    CHECK(gcx::raw_json{"[[[[1]]]]"}.template parse<J>(4).has_value());
    // The default limit is json::default_max_depth.
    const auto depth = gcx::json::default_max_depth;
    const std::string at_limit = std::string(depth, '[') + std::string(depth, ']');
    const std::string past_limit = std::string(depth + 1, '[') + std::string(depth + 1, ']');
    CHECK(gcx::raw_json{at_limit}.template parse<J>().has_value());
    CHECK_FALSE(gcx::raw_json{past_limit}.template parse<J>().has_value());
}

TEMPLATE_LIST_TEST_CASE("raw_json: from() keeps a value as compact text that parses back to it", "[raw_json]",
                        backends) {
    using J = TestType;
    auto v = J::parse(R"({ "k" : [ true, null, 15, "s" ] })", 8);
    REQUIRE(v.has_value());
    const auto raw = gcx::raw_json::template from<J>(*v);
    CHECK(raw.text == R"({"k":[true,null,15,"s"]})");
    auto back = raw.template parse<J>();
    REQUIRE(back.has_value());
    CHECK(*back == *v);
    CHECK(gcx::raw_json::template from<J>(*back) == raw);
}

TEMPLATE_LIST_TEST_CASE("raw_json: a kept flow output is read into a struct later", "[raw_json]", backends) {
    using J = TestType;
    auto out = J::parse(R"({"Flow.CustomerProfile": {"customerId": "CRM-100482", "openCases": 2}})", 16);
    REQUIRE(out.has_value());
    auto kept = gcx::read_outputs<J, rj::customer_lookup>(*out);
    REQUIRE(kept.has_value());
    REQUIRE(kept->CustomerProfile.has_value());
    auto p = gcx::from_json_text<J, rj::profile>(kept->CustomerProfile->text);
    REQUIRE(p.has_value());
    CHECK(p->customerId == "CRM-100482");
    CHECK(p->openCases == 2);

    // Text that does not fit the struct is a mapping error; text that is not JSON a protocol error.
    auto wrong = gcx::from_json_text<J, rj::profile>(gcx::raw_json{R"({"openCases": 1})"}.text);
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().kind == gcx::errc::mapping);
    auto broken = gcx::from_json_text<J, rj::profile>(gcx::raw_json{R"({"customerId": )"}.text);
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().kind == gcx::errc::protocol);
}

TEMPLATE_LIST_TEST_CASE("raw_json: text nested deeper than the answers' limit is written as it is, not as null",
                        "[raw_json]", backends) {
    using J = TestType;
    // Read with a larger map_options::max_depth than the default 64: before, writing it back
    // parsed its text with the default limit and wrote null (and write_inputs sent null).
    const std::string deep = std::string(70, '[') + "1" + std::string(70, ']');
    gcx::map_options opt;
    opt.max_depth = 100;
    auto kept = gcx::from_json_text<J, rj::customer_lookup>("{\"CustomerProfile\":" + deep + "}", opt);
    REQUIRE(kept.has_value());
    REQUIRE(kept->CustomerProfile.has_value());
    CHECK(gcx::to_json_text<J>(*kept) == "{\"CustomerProfile\":" + deep + "}");
    // Past json::max_written_raw_depth it is null, as text that is not JSON is.
    rj::customer_lookup too_deep{gcx::raw_json{std::string(5000, '[') + std::string(5000, ']')}};
    CHECK(gcx::to_json_text<J>(too_deep) == "{\"CustomerProfile\":null}");
}

#if GCX_TEST_NLOHMANN
TEST_CASE("raw_json: texts from different backends may differ for equal values (compare parsed values then)") {
    // nlohmann::json sorts object keys, Boost.JSON keeps document order: the header says so.
    const char* doc = R"({"b":1,"a":2})";
    auto bj = gcx::json::boost_json::parse(doc, 8);
    auto nl = gcx::json::nlohmann::parse(doc, 8);
    REQUIRE(bj.has_value());
    REQUIRE(nl.has_value());
    const auto from_boost = gcx::raw_json::from<gcx::json::boost_json>(*bj);
    const auto from_nlohmann = gcx::raw_json::from<gcx::json::nlohmann>(*nl);
    CHECK(from_boost.text == R"({"b":1,"a":2})");
    CHECK(from_nlohmann.text == R"({"a":2,"b":1})");
    CHECK(from_boost != from_nlohmann);
    auto reparsed = from_nlohmann.parse<gcx::json::boost_json>();
    REQUIRE(reparsed.has_value());
    CHECK(gcx::json::boost_json::find(*reparsed, "b") != nullptr);
    CHECK(from_boost.parse<gcx::json::nlohmann>().value() == *nl);
}
#endif

}  // namespace unit_raw_json
