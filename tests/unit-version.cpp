// gcx/version.hpp: the version macros and the inline ABI namespace gcx::v0. (CMakeLists.txt
// refuses to configure when the header and project() disagree.)
#include <gcx/error.hpp>
#include <gcx/version.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_version {

TEST_CASE("version: the string is MAJOR.MINOR.PATCH of the numeric macros") {
    const std::string expected = std::to_string(GCX_VERSION_MAJOR) + "." + std::to_string(GCX_VERSION_MINOR) + "." +
                                 std::to_string(GCX_VERSION_PATCH);
    CHECK(std::string(GCX_VERSION_STRING) == expected);
    STATIC_REQUIRE(GCX_VERSION_MAJOR >= 0);
    STATIC_REQUIRE(GCX_VERSION_MINOR >= 0);
    STATIC_REQUIRE(GCX_VERSION_PATCH >= 0);
}

// The inline namespace is named after the major version: 0.x is gcx::v0.
#if GCX_VERSION_MAJOR == 0
TEST_CASE("version: public names live in gcx::v0 and are reachable as gcx::") {
    STATIC_REQUIRE(std::is_same_v<gcx::error, gcx::v0::error>);
    STATIC_REQUIRE(std::is_same_v<gcx::errc, gcx::v0::errc>);
    gcx::v0::error e = gcx::make_error(gcx::errc::config, "x");
    CHECK(e.kind == gcx::v0::errc::config);
}
#endif

namespace probe {
GCX_NAMESPACE_BEGIN
struct declared_between_the_macros {};
GCX_NAMESPACE_END
}  // namespace probe

TEST_CASE("version: GCX_NAMESPACE_BEGIN/END open and close gcx and its inline namespace") {
    STATIC_REQUIRE(
        std::is_same_v<probe::gcx::declared_between_the_macros, probe::gcx::v0::declared_between_the_macros>);
}

}  // namespace unit_version
