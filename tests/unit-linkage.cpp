// gcx/linkage.hpp: by default (neither GCX_EXTERN_TEMPLATES nor GCX_INSTANTIATE_TEMPLATES) every
// function it marks is defined in the headers, inline. The opt-in's two modes are tested by
// tests/extern_templates (a two-unit program, and what the declaring unit's object defines).
#include "fakes.hpp"

#include <gcx/linkage.hpp>
#include <gcx/session.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace unit_linkage {

#define GCX_TEST_LINKAGE_STR2(...) #__VA_ARGS__
#define GCX_TEST_LINKAGE_STR(...) GCX_TEST_LINKAGE_STR2(__VA_ARGS__)

TEST_CASE("linkage: by default the marked functions are defined here, inline") {
    STATIC_REQUIRE(GCX_DETAIL_DEFINITIONS == 1);
    CHECK(std::string(GCX_TEST_LINKAGE_STR(GCX_DETAIL_INLINE)) == "inline");
}

TEST_CASE("linkage: a session is built by the inline definitions") {
    auto s = gcx::session::create(fakes::config());
    REQUIRE(s);
    CHECK(s->valid());
    CHECK(s->credentials() == 1);
}

#undef GCX_TEST_LINKAGE_STR
#undef GCX_TEST_LINKAGE_STR2

}  // namespace unit_linkage
