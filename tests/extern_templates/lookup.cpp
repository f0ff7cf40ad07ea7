// A unit that only declares the lookup machinery (GCX_EXTERN_TEMPLATES): basic_client::lookup,
// lookup<T> and find_contacts link against templates.cpp and answer as usual.
#define GCX_EXTERN_TEMPLATES
#include "fakes.hpp"

#include <gcx/gcx.hpp>
#include <gcx/json/boost_json_templates.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>

namespace {
using namespace fakes;

struct outputs {
    bool Found = false;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, ContactId))
}  // namespace

TEST_CASE("extern templates: lookup<T> runs the flow and maps its outputs") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, running())
        .then(endpoint::poll, completed());
    auto r = cl.lookup<outputs>(phone);
    REQUIRE(r);
    CHECK(r->outputs.Found);
    CHECK(r->outputs.ContactId == std::optional<std::string>("8a7f"));
    CHECK(r->execution.id == exec_id);
    CHECK(r->execution.polls == 2);
    CHECK(cl.transport().unused() == 0);
    CHECK(cl.transport().mismatches().empty());
}

TEST_CASE("extern templates: a refused credential is an auth error without the secret") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, respond(401, R"({"error":"invalid_client"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::auth);
    CHECK_FALSE(leaks_secret(r.error().describe()));
}

TEST_CASE("extern templates: find_contacts asks reverse whitepages") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.find_contacts(phone);
    REQUIRE(r);
    CHECK(cl.transport().mismatches().empty());
}
