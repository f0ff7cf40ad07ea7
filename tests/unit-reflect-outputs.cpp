// The reflection walker at the top level of a flow: outputData -> struct (read_outputs) and
// struct -> inputData (write_inputs). Every test runs on each JSON backend.

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"  // BOOST_DESCRIBE_STRUCT(T, (), ...)
#endif

#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_reflect_outputs {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

namespace flow {

struct profile {
    std::string customerId;
    std::optional<std::string> segment;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, segment, openCases))

struct outputs {
    bool Found = false;
    std::optional<std::int64_t> MatchCount;
    std::optional<std::string> ContactId;
    std::optional<profile> CustomerProfile;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, MatchCount, ContactId, CustomerProfile))

struct all_optional {
    std::optional<bool> Found;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(all_optional, (), (Found, ContactId))

// Architect variable names need not be C++ identifiers.
struct renamed_outputs {
    std::optional<std::string> customer_tier;
    std::optional<std::string> already_prefixed;
    friend std::string_view gcx_json_name(const renamed_outputs*, std::string_view m) {
        if (m == "customer_tier") return "Customer-Tier";
        if (m == "already_prefixed") return "Flow.Exact Name";
        return m;
    }
};
BOOST_DESCRIBE_STRUCT(renamed_outputs, (), (customer_tier, already_prefixed))

// A member renamed to "Flow.Id" and a member named Id bind the same key, "Flow.Id".
struct prefixed_twins {
    std::optional<std::string> exact;
    std::optional<std::string> Id;
    friend std::string_view gcx_json_name(const prefixed_twins*, std::string_view m) {
        return m == "exact" ? std::string_view("Flow.Id") : m;
    }
};
BOOST_DESCRIBE_STRUCT(prefixed_twins, (), (exact, Id))

struct inputs {
    std::string PhoneNumber;
    std::optional<std::string> Channel;
    std::optional<profile> Hint;
};
BOOST_DESCRIBE_STRUCT(inputs, (), (PhoneNumber, Channel, Hint))

// Six levels of nesting.
struct street_lines {
    std::vector<std::string> lines;
};
BOOST_DESCRIBE_STRUCT(street_lines, (), (lines))
struct postal_address {
    std::string city;
    street_lines street;
};
BOOST_DESCRIBE_STRUCT(postal_address, (), (city, street))
struct site {
    postal_address address;
};
BOOST_DESCRIBE_STRUCT(site, (), (address))
struct account {
    std::vector<site> sites;
};
BOOST_DESCRIBE_STRUCT(account, (), (sites))
struct customer {
    std::map<std::string, account> accounts;
};
BOOST_DESCRIBE_STRUCT(customer, (), (accounts))
struct deep_outputs {
    customer Customer;
};
BOOST_DESCRIBE_STRUCT(deep_outputs, (), (Customer))

struct map_outputs {
    std::optional<std::map<std::string, std::string>> Attributes;
    std::optional<std::vector<std::int64_t>> Scores;
};
BOOST_DESCRIBE_STRUCT(map_outputs, (), (Attributes, Scores))

}  // namespace flow

namespace {

template <class J>
typename J::value parse(std::string_view text) {
    auto v = J::parse(text, gcx::json::default_max_depth);
    REQUIRE(v.has_value());
    return std::move(*v);
}

template <class J, class T>
gcx::error outputs_error(std::string_view text, const gcx::map_options& options = {}) {
    auto r = gcx::read_outputs<J, T>(parse<J>(text), options);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::mapping);
    return r.error();
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("a member binds the Flow.-prefixed output variable", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::outputs>(parse<J>(R"({
        "Flow.Found": true, "Flow.MatchCount": 1, "Flow.ContactId": "8a7f",
        "Flow.CustomerProfile": {"customerId": "CRM-1", "openCases": 2}, "Flow.Other": "ignored"})"));
    REQUIRE(r.has_value());
    CHECK(r->Found);
    CHECK(r->MatchCount == 1);
    CHECK(r->ContactId == "8a7f");
    REQUIRE(r->CustomerProfile.has_value());
    CHECK(r->CustomerProfile->customerId == "CRM-1");
    CHECK(r->CustomerProfile->openCases == 2);
}

TEMPLATE_LIST_TEST_CASE("a member falls back to the bare variable name", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::outputs>(parse<J>(R"({"Found": true, "ContactId": "c"})"));
    REQUIRE(r.has_value());
    CHECK(r->Found);
    CHECK(r->ContactId == "c");
    CHECK_FALSE(r->MatchCount.has_value());
}

TEMPLATE_LIST_TEST_CASE("the prefixed key wins when both are present", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::outputs>(
        parse<J>(R"({"ContactId": "bare", "Flow.ContactId": "prefixed", "Found": false, "Flow.Found": true})"));
    REQUIRE(r.has_value());
    CHECK(r->ContactId == "prefixed");
    CHECK(r->Found);

    // ... and a bad prefixed value is reported even if the bare one would do.
    auto e = outputs_error<J, flow::outputs>(R"({"Found": true, "Flow.Found": "yes"})");
    CHECK(e.path == R"(outputData["Flow.Found"])");
}

TEMPLATE_LIST_TEST_CASE("the prefix is an option", "[reflect][outputs]", backends) {
    using J = TestType;
    gcx::map_options options;
    options.prefix = "Out.";
    auto r =
        gcx::read_outputs<J, flow::all_optional>(parse<J>(R"({"Out.Found": true, "Flow.ContactId": "x"})"), options);
    REQUIRE(r.has_value());
    CHECK(r->Found == true);
    CHECK_FALSE(r->ContactId.has_value());

    options.prefix = "";
    auto bare = gcx::read_outputs<J, flow::all_optional>(parse<J>(R"({"Found": false, "Flow.Found": true})"), options);
    REQUIRE(bare.has_value());
    CHECK(bare->Found == false);
}

TEMPLATE_LIST_TEST_CASE("nested objects inside outputs use exact member names", "[reflect][outputs]", backends) {
    using J = TestType;
    // "Flow." is only a top-level convention: a nested "Flow.customerId" is not customerId.
    auto e =
        outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.CustomerProfile": {"Flow.customerId": "x"}})");
    CHECK(e.path == R"(outputData["Flow.CustomerProfile"].customerId)");
    CHECK_THAT(e.message, Catch::Contains("missing required member \"customerId\""));
}

TEMPLATE_LIST_TEST_CASE("a missing required output variable names both keys it looked for", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    auto e = outputs_error<J, flow::outputs>(R"({"Flow.ContactId": "c"})");
    CHECK(e.path == R"(outputData["Flow.Found"])");
    CHECK_THAT(e.message, Catch::Contains("\"Flow.Found\""));
    CHECK_THAT(e.message, Catch::Contains("\"Found\""));
    CHECK_THAT(e.hint, Catch::Contains("std::optional"));
    CHECK_THAT(e.describe(), Catch::Contains(R"(path outputData["Flow.Found"])"));
}

TEMPLATE_LIST_TEST_CASE("an empty or null outputData maps into an all-optional struct", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    for (const char* doc : {"{}", "null"}) {
        INFO(doc);
        auto r = gcx::read_outputs<J, flow::all_optional>(parse<J>(doc));
        REQUIRE(r.has_value());
        CHECK_FALSE(r->Found.has_value());
        CHECK_FALSE(r->ContactId.has_value());

        auto e = outputs_error<J, flow::outputs>(doc);
        CHECK(e.path == R"(outputData["Flow.Found"])");
    }
    auto not_object = outputs_error<J, flow::outputs>("[1, 2]");
    CHECK(not_object.path == "outputData");
    CHECK(not_object.message == "expected object, got array");
}

TEMPLATE_LIST_TEST_CASE("unset Architect variables arrive as null", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::outputs>(parse<J>(
        R"({"Flow.Found": false, "Flow.MatchCount": null, "Flow.ContactId": null, "Flow.CustomerProfile": null})"));
    REQUIRE(r.has_value());
    CHECK_FALSE(r->Found);
    CHECK_FALSE(r->ContactId.has_value());
    CHECK_FALSE(r->CustomerProfile.has_value());

    auto e = outputs_error<J, flow::outputs>(R"({"Flow.Found": null})");
    CHECK(e.message == "expected bool, got null");
}

TEMPLATE_LIST_TEST_CASE("Integer variables arrive as strings and map into integer members", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    // The shape of a real poll's outputData (Genesys's HRIS integration blueprint): an Integer
    // variable and an Integer collection are strings, an unset String is null.
    auto r = gcx::read_outputs<J, flow::outputs>(
        parse<J>(R"({"Flow.Found": true, "Flow.MatchCount": "2", "Flow.ContactId": null})"));
    REQUIRE(r.has_value());
    CHECK(r->Found);
    CHECK(r->MatchCount == 2);
    CHECK_FALSE(r->ContactId.has_value());

    auto e = outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.MatchCount": "two"})");
    CHECK(e.path == "outputData[\"Flow.MatchCount\"]");
    CHECK_THAT(e.message, Catch::Contains("got a string that is not an integer"));
}

TEMPLATE_LIST_TEST_CASE("strict mode knows both key forms and refuses any other", "[reflect][outputs]", backends) {
    using J = TestType;
    gcx::map_options strict;
    strict.strict = true;
    auto ok = gcx::read_outputs<J, flow::all_optional>(parse<J>(R"({"Flow.Found": true, "ContactId": "c"})"), strict);
    CHECK(ok.has_value());
    auto e = outputs_error<J, flow::all_optional>(R"({"Flow.Found": true, "Flow.Tier": "Gold"})", strict);
    CHECK(e.path == R"(outputData["Flow.Tier"])");
    CHECK_THAT(e.message, Catch::Contains("strict"));
}

TEMPLATE_LIST_TEST_CASE("the rename hook applies to output variables", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::renamed_outputs>(
        parse<J>(R"({"Flow.Customer-Tier": "Gold", "Flow.Exact Name": "x"})"));
    REQUIRE(r.has_value());
    CHECK(r->customer_tier == "Gold");
    CHECK(r->already_prefixed == "x");  // a renamed name that carries the prefix is used as is

    auto bare = gcx::read_outputs<J, flow::renamed_outputs>(parse<J>(R"({"Customer-Tier": "Silver"})"));
    REQUIRE(bare.has_value());
    CHECK(bare->customer_tier == "Silver");

    auto e = outputs_error<J, flow::renamed_outputs>(R"({"Flow.Customer-Tier": 3})");
    CHECK(e.path == R"(outputData["Flow.Customer-Tier"])");

    const auto in = gcx::write_inputs<J>(*r);
    CHECK(J::find(in, "Flow.Customer-Tier") != nullptr);
    CHECK(J::find(in, "Flow.Exact Name") != nullptr);
    CHECK(J::size(in) == 2);
}

TEMPLATE_LIST_TEST_CASE("write_inputs prefixes top-level members only", "[reflect][outputs]", backends) {
    using J = TestType;
    flow::inputs in;
    in.PhoneNumber = "+13175550123";
    CHECK(J::serialize(gcx::write_inputs<J>(in)) == R"({"Flow.PhoneNumber":"+13175550123"})");

    in.Hint = flow::profile{"CRM-1", std::nullopt, 2};
    const auto v = gcx::write_inputs<J>(in);
    REQUIRE(J::find(v, "Flow.Hint") != nullptr);
    const auto& hint = *J::find(v, "Flow.Hint");
    CHECK(J::find(hint, "customerId") != nullptr);
    CHECK(J::find(hint, "Flow.customerId") == nullptr);
    CHECK(J::find(hint, "segment") == nullptr);  // empty optional: left out
    CHECK(J::find(v, "Flow.Channel") == nullptr);

    CHECK(J::serialize(gcx::write_inputs<J>(flow::all_optional{true, std::nullopt}, "In.")) == R"({"In.Found":true})");
    CHECK(J::serialize(gcx::write_inputs<J>(flow::all_optional{true, std::nullopt}, "")) == R"({"Found":true})");

    // What write_inputs writes, read_outputs reads.
    auto back = gcx::read_outputs<J, flow::inputs>(v);
    REQUIRE(back.has_value());
    CHECK(back->PhoneNumber == in.PhoneNumber);
    CHECK(back->Hint->openCases == 2);
}

TEMPLATE_LIST_TEST_CASE("an object encoded in a JSON string is accepted", "[reflect][outputs]", backends) {
    using J = TestType;
    // docs/genesys-api.md 9.5 variant B: the flow author serialised the profile into a string.
    auto r = gcx::read_outputs<J, flow::outputs>(parse<J>(R"({"Flow.Found": true,
        "Flow.CustomerProfile": "{\"customerId\":\"CRM-100482\",\"segment\":\"Gold\",\"preferredLanguage\":\"de-DE\",\"openCases\":2}"})"));
    REQUIRE(r.has_value());
    REQUIRE(r->CustomerProfile.has_value());
    CHECK(r->CustomerProfile->customerId == "CRM-100482");
    CHECK(r->CustomerProfile->segment == "Gold");
    CHECK(r->CustomerProfile->openCases == 2);

    SECTION("maps and vectors too") {
        auto m = gcx::read_outputs<J, flow::map_outputs>(
            parse<J>(R"({"Flow.Attributes": "{\"a\":\"1\",\"b\":\"2\"}", "Flow.Scores": "[3, 4]"})"));
        REQUIRE(m.has_value());
        CHECK(m->Attributes->at("b") == "2");
        CHECK(m->Scores == std::vector<std::int64_t>{3, 4});
    }
    SECTION("errors inside the string are located at the string's member") {
        auto e =
            outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.CustomerProfile": "{\"customerId\": 12}"})");
        CHECK(e.path == R"(outputData["Flow.CustomerProfile"].customerId)");
        CHECK(e.message == "expected string, got integer");
    }
    SECTION("strict mode applies inside the string") {
        gcx::map_options strict;
        strict.strict = true;
        auto e = outputs_error<J, flow::outputs>(
            R"({"Flow.Found": true, "Flow.CustomerProfile": "{\"customerId\": \"c\", \"extra\": 1}"})", strict);
        CHECK(e.path == R"(outputData["Flow.CustomerProfile"].extra)");
    }
}

TEMPLATE_LIST_TEST_CASE("a string that does not hold a JSON object is a mapping error", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    auto e = outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.CustomerProfile": "Gold customer"})");
    CHECK(e.path == R"(outputData["Flow.CustomerProfile"])");
    CHECK_THAT(e.message, Catch::StartsWith("expected object, got a string that does not hold usable JSON"));

    e = outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.CustomerProfile": "[1, 2]"})");
    CHECK(e.message == "expected object, got a string holding JSON array");

    e = outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.CustomerProfile": ""})");
    CHECK(e.path == R"(outputData["Flow.CustomerProfile"])");

    // A bool reads "true" and "false" (Architect sends an Integer as text; a Boolean may come so
    // too), and no other string.
    e = outputs_error<J, flow::outputs>(R"({"Flow.Found": "yes"})");
    CHECK(e.message == "expected bool, got a string that is not \"true\" or \"false\"");
}

TEMPLATE_LIST_TEST_CASE("a hostile 10,000-deep string-encoded object hits the depth limit", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    std::string inner;
    const int levels = 10000;
    for (int i = 0; i < levels; ++i) inner += R"({"a":)";
    inner += "1";
    inner.append(levels, '}');

    auto doc = J::make_object();
    J::set(doc, "Flow.Found", J::make_bool(true));
    J::set(doc, "Flow.CustomerProfile", J::make_string(inner));
    auto r = gcx::read_outputs<J, flow::outputs>(doc);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK(r.error().path == R"(outputData["Flow.CustomerProfile"])");
    CHECK_THAT(r.error().message, Catch::Contains("does not hold usable JSON"));

    // The same text as a raw document is refused by the parser itself.
    auto parsed = J::parse(inner, gcx::json::default_max_depth);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().kind == gcx::errc::protocol);
}

TEMPLATE_LIST_TEST_CASE("the depth left bounds a string-encoded object", "[reflect][outputs]", backends) {
    using J = TestType;
    // outputData is nesting level 1; the object inside the CustomerProfile string is level 2.
    gcx::map_options options;
    options.max_depth = 2;
    const auto doc = parse<J>(R"({"Flow.Found": true, "Flow.CustomerProfile": "{\"customerId\": \"c\"}"})");
    CHECK(gcx::read_outputs<J, flow::outputs>(doc, options).has_value());
    options.max_depth = 1;
    auto r = gcx::read_outputs<J, flow::outputs>(doc, options);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().path == R"(outputData["Flow.CustomerProfile"])");
}

TEMPLATE_LIST_TEST_CASE("deeply nested outputs map, and errors name the whole path", "[reflect][outputs]", backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::deep_outputs>(parse<J>(R"({"Flow.Customer": {"accounts": {"main": {"sites": [
        {"address": {"city": "A", "street": {"lines": ["1 Main St"]}}},
        {"address": {"city": "B", "street": {"lines": ["Suite 4", "2 Side St"]}}}]}}}})"));
    REQUIRE(r.has_value());
    CHECK(r->Customer.accounts.at("main").sites.at(1).address.street.lines.at(1) == "2 Side St");

    auto e = outputs_error<J, flow::deep_outputs>(R"({"Flow.Customer": {"accounts": {"main": {"sites": [
        {"address": {"city": "A", "street": {"lines": []}}},
        {"address": {"city": "B", "street": {"lines": ["ok", false]}}}]}}}})");
    CHECK(e.path == R"(outputData["Flow.Customer"].accounts.main.sites[1].address.street.lines[1])");
    CHECK(e.message == "expected string, got bool");
}

TEMPLATE_LIST_TEST_CASE("read_outputs can fill an existing object", "[reflect][outputs]", backends) {
    using J = TestType;
    flow::outputs out;
    out.ContactId = "stale";
    REQUIRE(gcx::read_outputs<J>(parse<J>(R"({"Flow.Found": true, "Flow.MatchCount": 2})"), out).has_value());
    CHECK(out.Found);
    CHECK(out.MatchCount == 2);
    CHECK_FALSE(out.ContactId.has_value());  // absent from this document, so reset
}

TEMPLATE_LIST_TEST_CASE("the prefixed key wins in whichever order the keys come", "[reflect][outputs]", backends) {
    using J = TestType;
    for (const char* doc : {R"({"ContactId": "bare", "Flow.ContactId": "prefixed", "Found": true})",
                            R"({"Flow.ContactId": "prefixed", "ContactId": "bare", "Found": true})",
                            R"({"Found": true, "Flow.ContactId": "prefixed", "ContactId": "bare", "Flow.Other": 1})"}) {
        INFO(doc);
        auto r = gcx::read_outputs<J, flow::outputs>(parse<J>(doc));
        REQUIRE(r.has_value());
        CHECK(r->ContactId == "prefixed");
        CHECK(r->Found);
    }
    // The bare key's value is not looked at when the prefixed one is there.
    auto ok = gcx::read_outputs<J, flow::outputs>(parse<J>(R"({"Flow.Found": true, "Found": "not a bool"})"));
    CHECK(ok.has_value());
    auto e = outputs_error<J, flow::outputs>(R"({"Flow.Found": true, "Flow.MatchCount": "x", "MatchCount": 3})");
    CHECK(e.path == R"(outputData["Flow.MatchCount"])");
    e = outputs_error<J, flow::outputs>(R"({"MatchCount": "x", "Found": true})");
    CHECK(e.path == R"(outputData["MatchCount"])");
}

TEMPLATE_LIST_TEST_CASE("duplicate keys map as the backend's own lookup finds them", "[reflect][outputs]", backends) {
    using J = TestType;
    const auto doc =
        parse<J>(R"({"Flow.Found": true, "Flow.ContactId": "a", "Flow.Found": false, "Flow.ContactId": "b"})");
    auto r = gcx::read_outputs<J, flow::outputs>(doc);
    REQUIRE(r.has_value());
    CHECK(r->Found == J::get_bool(*J::find(doc, "Flow.Found")));
    CHECK(r->ContactId == std::string(J::get_string(*J::find(doc, "Flow.ContactId"))));
}

TEMPLATE_LIST_TEST_CASE("a renamed \"Flow.X\" member and a member X both bind \"Flow.X\"", "[reflect][outputs]",
                        backends) {
    using J = TestType;
    auto r = gcx::read_outputs<J, flow::prefixed_twins>(parse<J>(R"({"Flow.Id": "p", "Id": "bare"})"));
    REQUIRE(r.has_value());
    CHECK(r->exact == "p");
    CHECK(r->Id == "p");

    auto bare = gcx::read_outputs<J, flow::prefixed_twins>(parse<J>(R"({"Id": "bare"})"));
    REQUIRE(bare.has_value());
    CHECK_FALSE(bare->exact.has_value());  // its name carries the prefix: only "Flow.Id" binds it
    CHECK(bare->Id == "bare");
}

TEMPLATE_LIST_TEST_CASE("strict mode checks every output variable before mapping any", "[reflect][outputs]", backends) {
    using J = TestType;
    gcx::map_options strict;
    strict.strict = true;
    auto e = outputs_error<J, flow::outputs>(R"({"Flow.Found": "yes", "Flow.Tier": "Gold"})", strict);
    CHECK(e.path == R"(outputData["Flow.Tier"])");
    // Both forms of a name are known, also together.
    auto ok = gcx::read_outputs<J, flow::outputs>(parse<J>(R"({"Flow.Found": true, "Found": false, "ContactId": "c"})"),
                                                  strict);
    REQUIRE(ok.has_value());
    CHECK(ok->Found);
    // A prefix alone, or a prefix before an unknown name, is not a member.
    e = outputs_error<J, flow::all_optional>(R"({"Flow.": 1})", strict);
    CHECK(e.path == R"(outputData["Flow."])");
    e = outputs_error<J, flow::all_optional>(R"({"Flow.Flow.Found": 1})", strict);
    CHECK(e.path == R"(outputData["Flow.Flow.Found"])");
}

}  // namespace unit_reflect_outputs
