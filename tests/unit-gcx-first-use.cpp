// include/gcx/gcx.hpp, first use: what a program gets from the umbrella header alone. Nothing of
// Boost.Describe is included here: the description macros must come with <gcx/gcx.hpp>.
#include <gcx/gcx.hpp>

#include <string>

namespace user {
enum class tier { Bronze, Silver, Gold };
BOOST_DESCRIBE_ENUM(tier, Bronze, Silver, Gold)

struct inputs {
    tier Tier = tier::Bronze;
};
BOOST_DESCRIBE_STRUCT(inputs, (), (Tier))

struct outputs {
    bool Found = false;
    tier Tier = tier::Bronze;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, Tier))
}  // namespace user

// The backend and the test framework come after the descriptions, so neither can be what made
// the macros available.
#include <gcx/json/boost_json.hpp>

#include <catch2/catch.hpp>

TEST_CASE("a program that includes only gcx.hpp describes its enums and structs and maps them", "[gcx]") {
    using J = gcx::json::boost_json;
    const auto in = gcx::write_inputs<J>(user::inputs{user::tier::Gold});
    CHECK(J::serialize(in) == R"({"Flow.Tier":"Gold"})");

    const auto out = gcx::read_outputs<J, user::outputs>(*J::parse(R"({"Flow.Found":true,"Flow.Tier":"Silver"})"));
    REQUIRE(out);
    CHECK(out->Found);
    CHECK(out->Tier == user::tier::Silver);
}
