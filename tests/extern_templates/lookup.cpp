// A unit that only declares the lookup machinery (GCX_EXTERN_TEMPLATES, CMakeLists.txt):
// basic_client::lookup, lookup<T> and find_contacts link against the unit
// gcx_separate_compilation() generates, and answer as usual.
#include "fakes.hpp"

#include <gcx/gcx.hpp>
#include <gcx/json/boost_json_templates.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace {
using namespace fakes;

struct outputs {
    bool Found = false;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, ContactId))

// The README's struct: the library's own models, whose readers the generated unit compiles.
struct readme_outputs {
    std::optional<bool> Found;
    std::optional<gcx::external_contact> externalContact;
    std::optional<gcx::raw_json> CustomerProfile;
};
BOOST_DESCRIBE_STRUCT(readme_outputs, (), (Found, externalContact, CustomerProfile))
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

TEST_CASE("extern templates: the library's models map through the readers the other unit compiled") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.Found":true,"Flow.externalContact":{"id":"c-1","firstName":"Ada",)"
                                        R"("cellPhone":{"e164":"+13175550123","extension":12},)"
                                        R"("externalOrganization":{"name":"Acme","employeeCount":40}},)"
                                        R"("Flow.CustomerProfile":{"tier":"Gold","score":97.5}})"));
    auto r = cl.lookup<readme_outputs>(phone);
    REQUIRE(r);
    CHECK(r->outputs.Found == std::optional<bool>(true));
    REQUIRE(r->outputs.externalContact);
    const gcx::external_contact& c = *r->outputs.externalContact;
    CHECK(c.firstName == std::optional<std::string>("Ada"));
    REQUIRE(c.cellPhone);
    CHECK(c.cellPhone->e164 == std::optional<std::string>("+13175550123"));
    CHECK(c.cellPhone->extension == std::optional<int>(12));
    REQUIRE(c.externalOrganization);
    CHECK(c.externalOrganization->employeeCount == std::optional<std::int64_t>(40));
    REQUIRE(r->outputs.CustomerProfile);
    CHECK(r->outputs.CustomerProfile->text == R"({"tier":"Gold","score":97.5})");
}

TEST_CASE("extern templates: a model member of the wrong type is a mapping error with its path") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll,
              completed(R"({"Flow.Found":true,"Flow.externalContact":{"cellPhone":{"extension":"x"}}})"));
    auto r = cl.lookup<readme_outputs>(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK(r.error().describe().find("cellPhone") != std::string::npos);
}

TEST_CASE("extern templates: a client with two credentials is built by the other unit's session") {
    auto cfg = fakes::config();
    cfg.extra_credentials.push_back({"second-client", gcx::secret("second-secret")});
    auto cl = make_client(cfg);
    CHECK(cl.session().credentials() == 2);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    auto r = cl.lookup<outputs>(phone);
    REQUIRE(r);
    CHECK(r->outputs.Found);
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
