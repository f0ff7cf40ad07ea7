// include/gcx/check/schema_match.hpp: a flow's (or a data action's) schemas against what the
// lookup sends and what a struct reads, nested members included. Every test runs on each JSON
// backend.
#include <gcx/check/schema_match.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace unit_check_schema_match {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

using gcx::check_status;

struct address {
    std::string city;
    std::optional<std::string> zip;
};
BOOST_DESCRIBE_STRUCT(address, (), (city, zip))

struct contact {
    std::string firstName;
    std::optional<std::string> email;
    std::int64_t visits;
    std::optional<address> home;
};
BOOST_DESCRIBE_STRUCT(contact, (), (firstName, email, visits, home))

struct order {
    std::string id;
    double total;
};
BOOST_DESCRIBE_STRUCT(order, (), (id, total))

struct outputs {
    bool Found;
    std::optional<contact> externalContact;
    std::vector<order> Orders;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact, Orders))

/// What a lookup workflow's scalar outputs hold, read from Architect's own types.
struct lookup_outputs {
    bool Found;
    std::optional<std::int64_t> MatchCount;  // an Architect Integer: sent as a string, "2"
    std::optional<std::string> ContactId;
    std::optional<std::string> StatusCode;  // a string member reading an Architect Integer
    std::optional<double> Score;            // a number member reading an Architect String
};
BOOST_DESCRIBE_STRUCT(lookup_outputs, (), (Found, MatchCount, ContactId, StatusCode, Score))

/// A tree: output_expectations ends at max_schema_depth.
struct node {
    std::string name;
    std::vector<node> children;
};
BOOST_DESCRIBE_STRUCT(node, (), (name, children))

struct tree_outputs {
    std::optional<node> Root;
};
BOOST_DESCRIBE_STRUCT(tree_outputs, (), (Root))

namespace {

template <class J>
gcx::check_report match(const std::string& schema_text) {
    auto schema = J::parse(schema_text);
    REQUIRE(schema);
    gcx::check_report r;
    gcx::match_outputs<J>(r, &*schema, gcx::output_expectations<J, outputs>());
    return r;
}

check_status status_of(const gcx::check_report& r, const std::string& name) {
    const auto* i = r.find(name);
    if (!i) FAIL("no check named " << name << " in\n" << r.to_text());
    return i->status;
}

const std::string contact_ok =
    R"("Flow.externalContact":{"type":"object","properties":{"firstName":{"type":"string"},"email":{"type":"string"},)"
    R"("visits":{"type":"integer"},"home":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}}}}})";
const std::string orders_ok =
    R"("Flow.Orders":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"total":{"type":"number"}}}})";

std::string outputs_schema(const std::string& contact_prop, const std::string& orders_prop) {
    return R"({"type":"object","properties":{"Flow.Found":{"type":"boolean"},)" + contact_prop + "," + orders_prop +
           "}}";
}

}  // namespace

TEST_CASE("check schema_match: output_expectations lists a struct member's members, through optional and vector") {
    using J = gcx::json::boost_json;
    const auto xs = gcx::output_expectations<J, outputs>();
    REQUIRE(xs.size() == 3);
    CHECK(xs[0].members.empty());
    REQUIRE(xs[1].members.size() == 4);
    CHECK_FALSE(xs[1].in_items);
    CHECK(xs[1].members[0].member == "firstName");
    CHECK(xs[1].members[0].variable == "firstName");  // no Flow. prefix below the top level
    CHECK(xs[1].members[0].bare.empty());
    CHECK_FALSE(xs[1].members[0].optional);
    CHECK(xs[1].members[1].optional);
    CHECK(xs[1].members[2].types == gcx::json_types::integer);
    REQUIRE(xs[1].members[3].members.size() == 2);  // home's city and zip
    REQUIRE(xs[2].members.size() == 2);
    CHECK(xs[2].in_items);

    // A recursive struct is listed down to max_schema_depth levels, then stops.
    const auto t = gcx::output_expectations<J, tree_outputs>();
    const gcx::output_expectation* x = &t[0];
    int levels = 0;
    while (!x->members.empty()) {
        x = &x->members[1];  // children
        ++levels;
    }
    CHECK(levels == gcx::max_schema_depth);
}

TEMPLATE_LIST_TEST_CASE("check schema_match: nested members that match the schema's properties are ok", "", backends) {
    const auto r = match<TestType>(outputs_schema(contact_ok, orders_ok));
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(status_of(r, "output externalContact") == check_status::ok);
    CHECK(status_of(r, "output externalContact.firstName") == check_status::ok);
    CHECK(r.find("output externalContact.firstName")->message.find("Flow.externalContact.firstName") !=
          std::string::npos);
    CHECK(status_of(r, "output externalContact.visits") == check_status::ok);
    CHECK(status_of(r, "output externalContact.home.city") == check_status::ok);
    CHECK(status_of(r, "output Orders.id") == check_status::ok);
    CHECK(r.find("output Orders.id")->message.find("Flow.Orders[].id") != std::string::npos);
    CHECK(status_of(r, "output Orders.total") == check_status::ok);
    CHECK(r.count(check_status::skipped) == 0);
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a nested member missing from the schema fails, an optional one warns", "",
                        backends) {
    const std::string contact =
        R"("Flow.externalContact":{"type":"object","properties":{"visits":{"type":"integer"},"home":{"type":"object","properties":{"zip":{"type":"string"}}}}})";
    const auto r = match<TestType>(outputs_schema(contact, orders_ok));
    INFO(r.to_text());
    CHECK(status_of(r, "output externalContact.firstName") == check_status::fail);
    CHECK(r.find("output externalContact.firstName")->message.find("does not list") != std::string::npos);
    CHECK_FALSE(r.find("output externalContact.firstName")->hint.empty());
    CHECK(status_of(r, "output externalContact.email") == check_status::warn);
    CHECK(status_of(r, "output externalContact.home.city") == check_status::fail);  // two levels down
    CHECK(status_of(r, "output externalContact.home.zip") == check_status::ok);
    CHECK(r.failed());
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a nested member of another JSON type fails, naming both types", "",
                        backends) {
    const std::string orders =
        R"("Flow.Orders":{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"},"total":{"type":"number"}}}})";
    const std::string contact =
        R"("Flow.externalContact":{"type":"object","properties":{"firstName":{"type":"string"},"visits":{"type":"number"}}})";
    const auto r = match<TestType>(outputs_schema(contact, orders));
    INFO(r.to_text());
    CHECK(status_of(r, "output Orders.id") == check_status::fail);
    const auto& m = r.find("output Orders.id")->message;
    CHECK(m.find("integer") != std::string::npos);
    CHECK(m.find("string") != std::string::npos);
    CHECK(status_of(r, "output Orders.total") == check_status::ok);
    CHECK(status_of(r, "output externalContact.visits") == check_status::warn);  // an integer reading a number
    CHECK(status_of(r, "output externalContact.home") == check_status::warn);    // optional, not listed
}

TEMPLATE_LIST_TEST_CASE(
    "check schema_match: no properties for a struct member leaves its members unchecked, never failed", "", backends) {
    const std::string contact = R"("Flow.externalContact":{"type":"object"})";
    const std::string orders = R"("Flow.Orders":{"type":"string"})";  // JSON in a string
    const auto r = match<TestType>(outputs_schema(contact, orders));
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(status_of(r, "output externalContact") == check_status::ok);
    CHECK(status_of(r, "output externalContact.*") == check_status::skipped);
    CHECK(r.find("output externalContact.*")->message.find("unchecked") != std::string::npos);
    CHECK(r.find("output externalContact.*")->message.find("firstName") != std::string::npos);
    CHECK(status_of(r, "output Orders.*") == check_status::skipped);
    CHECK(r.find("output externalContact.firstName") == nullptr);
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a malformed nested schema is unchecked, not a crash", "", backends) {
    const std::string contact = R"("Flow.externalContact":{"type":"object","properties":[1,2]})";
    const std::string orders = R"("Flow.Orders":{"type":"array","items":"object"})";
    const auto r = match<TestType>(outputs_schema(contact, orders));
    INFO(r.to_text());
    CHECK_FALSE(r.failed());
    CHECK(status_of(r, "output externalContact.*") == check_status::skipped);
    CHECK(status_of(r, "output Orders.*") == check_status::skipped);
    const auto r2 = match<TestType>(
        outputs_schema(R"("Flow.externalContact":{"type":"object","properties":{"firstName":7}})", orders_ok));
    INFO(r2.to_text());
    CHECK(status_of(r2, "output externalContact.firstName") == check_status::skipped);  // no type gcx knows
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a data action's success schema keys nested members the same way", "",
                        backends) {
    using J = TestType;
    auto schema = J::parse(R"({"type":"object","properties":{"Found":{"type":"boolean"},)"
                           R"("externalContact":{"type":"object","properties":{"firstName":{"type":"boolean"}}},)"
                           R"("Orders":{"type":"array"}}})");
    REQUIRE(schema);
    gcx::check_report r;
    gcx::schema_match_options how;
    how.action = true;
    how.reader = "gcx-lookup";
    gcx::match_outputs<J>(r, &*schema, gcx::output_expectations<J, outputs>(), how);
    INFO(r.to_text());
    CHECK(status_of(r, "action output externalContact.firstName") == check_status::fail);
    CHECK(r.find("action output externalContact.firstName")->message.find("the action outputs boolean") !=
          std::string::npos);
    CHECK(status_of(r, "action output externalContact.email") == check_status::warn);
    CHECK(r.find("action output externalContact.email")->message.find("gcx-lookup reads") != std::string::npos);
    CHECK(status_of(r, "action output Orders.*") == check_status::skipped);
}

// The shape Architect publishes for a workflow version (draft-07; every variable a "$ref" to a
// definition whose "oneOf" lists its types, archInteger an integer or a string holding one),
// as in the poll answers of Genesys's HRIS integration blueprint.
const std::string architect_definitions =
    R"("definitions":{)"
    R"("archString":{"archDataTypeId":"str","oneOf":[{"type":"null"},{"type":"string","maxLength":32000}]},)"
    R"("archInteger":{"archDataTypeId":"int","oneOf":[{"type":"null"},{"type":"integer"},)"
    R"({"type":"string","minLength":1,"maxLength":16}]},)"
    R"("archBoolean":{"archDataTypeId":"bool","oneOf":[{"type":"null"},{"type":"boolean"}]}})";

TEMPLATE_LIST_TEST_CASE("check schema_match: Architect's schemas are read through their $ref definitions", "",
                        backends) {
    using J = TestType;
    auto out = J::parse(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{)"
                        R"("Flow.Found":{"$ref":"#/definitions/archBoolean"},)"
                        R"("Flow.MatchCount":{"$ref":"#/definitions/archInteger"},)"
                        R"("Flow.ContactId":{"$ref":"#/definitions/archString"},)"
                        R"("Flow.StatusCode":{"$ref":"#/definitions/archInteger"},)"
                        R"("Flow.Score":{"$ref":"#/definitions/archString"},)"
                        R"("Flow.Ids":{"type":"array","items":{"$ref":"#/definitions/archString"}}},)"
                        R"("additionalProperties":false,)" +
                        architect_definitions + "}");
    auto in = J::parse(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{)"
                       R"("Flow.PhoneNumber":{"$ref":"#/definitions/archString"}},"additionalProperties":false,)" +
                       architect_definitions + "}");
    REQUIRE((out && in));
    gcx::check_report r;
    gcx::match_input<J>(r, &*in, "Flow.PhoneNumber");
    gcx::match_outputs<J>(r, &*out, gcx::output_expectations<J, lookup_outputs>());
    INFO(r.to_text());
    CHECK(status_of(r, "input Flow.PhoneNumber") == check_status::ok);
    CHECK(status_of(r, "output Found") == check_status::ok);
    CHECK(status_of(r, "output MatchCount") == check_status::ok);  // an integer member reads both forms
    CHECK(status_of(r, "output ContactId") == check_status::ok);
    CHECK(status_of(r, "output StatusCode") == check_status::warn);  // a JSON integer would not map
    CHECK_THAT(r.find("output StatusCode")->hint, Catch::Contains("integer type"));
    CHECK(status_of(r, "output Score") == check_status::warn);  // only a string holding a number maps
    CHECK(r.count(check_status::skipped) == 0);
    CHECK_FALSE(r.failed());

    // The same variables with Architect's types changed: an Integer where a boolean is read fails.
    auto wrong = J::parse(R"({"type":"object","properties":{"Flow.Found":{"$ref":"#/definitions/archInteger"}},)" +
                          architect_definitions + "}");
    REQUIRE(wrong);
    gcx::check_report w;
    gcx::match_outputs<J>(w, &*wrong, gcx::output_expectations<J, lookup_outputs>());
    INFO(w.to_text());
    CHECK(status_of(w, "output Found") == check_status::fail);
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a struct or vector member reading an Architect Integer fails", "",
                        backends) {
    // Only a std::string member maps both forms' strings; an object, an array or an enumerator
    // name is never "157" nor 157.
    using J = TestType;
    auto out = J::parse(R"({"type":"object","properties":{"Flow.Found":{"$ref":"#/definitions/archBoolean"},)"
                        R"("Flow.externalContact":{"$ref":"#/definitions/archInteger"},)"
                        R"("Flow.Orders":{"$ref":"#/definitions/archInteger"}},)" +
                        architect_definitions + "}");
    REQUIRE(out);
    gcx::check_report r;
    gcx::match_outputs<J>(r, &*out, gcx::output_expectations<J, outputs>());
    INFO(r.to_text());
    CHECK(status_of(r, "output externalContact") == check_status::fail);
    CHECK(status_of(r, "output Orders") == check_status::fail);
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a $ref's name is a JSON pointer token, and a fan-out of references is "
                        "bounded",
                        "", backends) {
    using J = TestType;
    auto out = J::parse(R"({"properties":{"Flow.Found":{"$ref":"#/definitions/a~1b~0c"}},)"
                        R"("definitions":{"a/b~c":{"type":"boolean"}}})");
    REQUIRE(out);
    gcx::check_report r;
    gcx::match_outputs<J>(r, &*out, gcx::output_expectations<J, lookup_outputs>());
    INFO(r.to_text());
    CHECK(status_of(r, "output Found") == check_status::ok);

    // Four definitions, each a oneOf of 300 references to the next: 300^4 walks unbounded.
    std::string defs;
    for (int d = 0; d < 4; ++d) {
        defs += std::string(d ? "," : "") + "\"d" + std::to_string(d) + "\":{\"oneOf\":[";
        for (int k = 0; k < 300; ++k)
            defs +=
                std::string(k ? "," : "") + (d == 3 ? std::string(R"({"type":"boolean"})")
                                                    : "{\"$ref\":\"#/definitions/d" + std::to_string(d + 1) + "\"}");
        defs += "]}";
    }
    auto wide = J::parse(R"({"properties":{"Flow.Found":{"$ref":"#/definitions/d0"}},"definitions":{)" + defs + "}}");
    REQUIRE(wide);
    gcx::check_report w;
    gcx::match_outputs<J>(w, &*wide, gcx::output_expectations<J, lookup_outputs>());
    INFO(w.to_text());
    CHECK(status_of(w, "output Found") == check_status::skipped);  // past the bound: unchecked, at once
}

TEMPLATE_LIST_TEST_CASE("check schema_match: a $ref that cannot be followed leaves the member unchecked", "",
                        backends) {
    using J = TestType;
    for (const char* ref : {R"("#/definitions/archNothing")", R"("other.json#/definitions/archString")", "7",
                            R"("#/definitions/loop")"}) {
        CAPTURE(ref);
        auto out = J::parse(std::string(R"({"properties":{"Flow.Found":{"$ref":)") + ref +
                            R"(}},"definitions":{"loop":{"$ref":"#/definitions/loop"}}})");
        REQUIRE(out);
        gcx::check_report r;
        gcx::match_outputs<J>(r, &*out, gcx::output_expectations<J, lookup_outputs>());
        INFO(r.to_text());
        CHECK(status_of(r, "output Found") == check_status::skipped);
        CHECK_FALSE(r.failed());
    }
}

TEMPLATE_LIST_TEST_CASE("check schema_match: the input variable must be a string the flow has", "", backends) {
    using J = TestType;
    auto ok = J::parse(R"({"properties":{"Flow.PhoneNumber":{"type":"string"}}})");
    auto bare = J::parse(R"({"properties":{"PhoneNumber":{"type":"string"}},"required":["PhoneNumber","Flow.Other"]})");
    auto typed = J::parse(R"({"properties":{"Flow.PhoneNumber":{"type":"integer"}}})");
    auto none = J::parse(R"({"properties":{"Flow.Number":{"type":"string"}}})");
    REQUIRE((ok && bare && typed && none));
    gcx::check_report r;
    gcx::match_input<J>(r, &*ok, "Flow.PhoneNumber");
    gcx::match_input<J>(r, &*bare, "Flow.PhoneNumber");
    gcx::match_input<J>(r, &*typed, "Flow.PhoneNumber");
    gcx::match_input<J>(r, &*none, "Flow.PhoneNumber");
    gcx::match_input<J>(r, nullptr, "Flow.PhoneNumber");
    INFO(r.to_text());
    REQUIRE(r.items.size() == 5);
    CHECK(r.items[0].status == check_status::ok);
    CHECK(r.items[1].status == check_status::warn);  // found as "PhoneNumber"; Flow.Other also required
    CHECK(r.items[1].message.find("Flow.Other") != std::string::npos);
    CHECK(r.items[2].status == check_status::fail);
    CHECK(r.items[2].area == gcx::check_area::configuration);
    CHECK(r.items[3].status == check_status::fail);
    CHECK(r.items[3].message.find("Flow.Number") != std::string::npos);
    CHECK(r.items[4].status == check_status::skipped);
}

}  // namespace unit_check_schema_match
