// include/gcx/reflect/schema.hpp: what a described struct reads from a flow's outputs.
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx/reflect.hpp>

#include <catch2/catch.hpp>

namespace unit_reflect_schema {

namespace jt = gcx::json_types;

struct profile {
    std::string id;
};
BOOST_DESCRIBE_STRUCT(profile, (), (id))

enum class tier { gold, silver };
BOOST_DESCRIBE_ENUM(tier, gold, silver)

struct outputs {
    bool Found;
    std::optional<std::int64_t> MatchCount;
    double Score;
    std::string Name;
    tier Tier;
    std::optional<profile> Profile;
    std::vector<std::string> Tags;
    std::map<std::string, int> Counts;
    gcx::raw_json Raw;
    std::string customer_tier;
    std::string already;
};
BOOST_DESCRIBE_STRUCT(outputs, (),
                      (Found, MatchCount, Score, Name, Tier, Profile, Tags, Counts, Raw, customer_tier, already))

inline std::string_view gcx_json_name(const outputs*, std::string_view m) {
    if (m == "customer_tier") return "Customer-Tier";
    if (m == "already") return "Flow.Already";
    return m;
}

TEST_CASE("reflect schema: each member's variable, JSON types and optionality") {
    const auto xs = gcx::output_expectations<gcx::json::boost_json, outputs>();
    REQUIRE(xs.size() == 11);
    CHECK(xs[0].member == "Found");
    CHECK(xs[0].variable == "Flow.Found");
    CHECK(xs[0].bare == "Found");
    CHECK(xs[0].types == jt::boolean);
    CHECK_FALSE(xs[0].optional);
    CHECK(xs[1].types == (jt::integer | jt::null));
    CHECK(xs[1].optional);
    CHECK(xs[2].types == (jt::integer | jt::number));
    CHECK(xs[3].types == jt::string);
    CHECK(xs[4].types == jt::string);  // an enum by name
    CHECK(xs[5].types == (jt::object | jt::string | jt::null));
    CHECK(xs[5].json_in_string);
    CHECK(xs[6].types == (jt::array | jt::string));
    CHECK(xs[7].types == (jt::object | jt::string));
    CHECK(xs[8].types == jt::any);
    CHECK_FALSE(xs[8].json_in_string);
    CHECK(xs[9].variable == "Flow.Customer-Tier");  // the rename hook
    CHECK(xs[9].member == "customer_tier");
    CHECK(xs[10].variable == "Flow.Already");  // already prefixed: binds only itself
    CHECK(xs[10].bare.empty());
}

TEST_CASE("reflect schema: the prefix option and the shipped customer_lookup") {
    gcx::map_options mo;
    mo.prefix = "";
    const auto xs = gcx::output_expectations<gcx::json::boost_json, gcx::customer_lookup>(mo);
    REQUIRE(xs.size() == 5);
    CHECK(xs[0].variable == "Found");
    CHECK(xs[0].bare.empty());
    CHECK(xs[4].member == "externalContact");
    CHECK((xs[4].types & jt::object) != 0);
    CHECK(gcx::json_types::to_text(jt::object | jt::string | jt::null) == "object or string");
    CHECK(gcx::json_types::to_text(jt::any) == "any JSON value");
    CHECK(gcx::json_types::from_name("boolean") == jt::boolean);
    CHECK(gcx::json_types::from_name("Boolean") == 0);
}

}  // namespace unit_reflect_schema
