// include/gcx/operation.hpp: the vocabulary every operation shares.
#include <gcx/operation.hpp>

#include <catch2/catch.hpp>

#include <iterator>
#include <set>
#include <string>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_operation {

TEST_CASE("operation: actions say what to do, and a default action is done") {
    CHECK(gcx::action{}.kind == gcx::action::type::done);
    CHECK(gcx::action::done().kind == gcx::action::type::done);
    const gcx::time_point t{std::chrono::hours{3}};
    auto s = gcx::action::sleep(t);
    CHECK(s.kind == gcx::action::type::sleep);
    CHECK(s.until == t);
    CHECK(s.request.url.empty());
}

TEST_CASE("operation: each operation has its own name, description and required permission") {
    using gcx::operation;
    const operation all[] = {operation::token,         operation::launch,      operation::poll,
                             operation::direct_lookup, operation::data_action, operation::check};
    std::set<std::string> names, texts;
    for (operation op : all) {
        CHECK_FALSE(std::string(gcx::name(op)).empty());
        CHECK_FALSE(std::string(gcx::to_string(op)).empty());
        names.insert(gcx::name(op));
        texts.insert(gcx::to_string(op));
    }
    CHECK(names.size() == std::size(all));
    CHECK(texts.size() == std::size(all));
    CHECK(std::string(gcx::name(operation::direct_lookup)) == "direct_lookup");
    CHECK(std::string(gcx::to_string(operation::launch)) == "flow launch");
    CHECK(std::string(gcx::required_permission(operation::launch)) == "architect:flow:launch");
    CHECK(std::string(gcx::required_permission(operation::poll)) == "architect:flowExecution:view");
    CHECK(std::string(gcx::required_permission(operation::direct_lookup)) == "externalContacts:contact:view");
    CHECK(std::string(gcx::required_permission(operation::data_action)) == "integrations:action:execute");
    CHECK(std::string(gcx::required_permission(operation::token)).empty());
    CHECK(std::string(gcx::required_permission(operation::check)).empty());
}

TEST_CASE("operation: the default jitter is in [0, 1) and not constant") {
    double lo = 1, hi = 0;
    for (int i = 0; i < 1000; ++i) {
        const double j = gcx::detail::default_jitter();
        REQUIRE(j >= 0.0);
        REQUIRE(j < 1.0);
        lo = std::min(lo, j);
        hi = std::max(hi, j);
    }
    CHECK(hi - lo > 0.5);
}

}  // namespace unit_operation
