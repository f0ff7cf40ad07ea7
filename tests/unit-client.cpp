// include/gcx/client.hpp: lookup<T> end to end through basic_client, on every backend.
#include "fakes.hpp"

#include <gcx/models.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_client {

using namespace fakes;

namespace user {
struct profile {
    std::string customerId;
    std::string segment;
    std::optional<std::string> preferredLanguage;
    int openCases = 0;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, segment, preferredLanguage, openCases))

struct phone {
    std::optional<std::string> display, e164;
};
BOOST_DESCRIBE_STRUCT(phone, (), (display, e164))

struct contact {
    std::string id, firstName, lastName;
    std::optional<phone> cellPhone;
    std::optional<std::string> workEmail;
};
BOOST_DESCRIBE_STRUCT(contact, (), (id, firstName, lastName, cellPhone, workEmail))

// The output variables of the tutorial's flow, as the user declares them.
struct outputs {
    profile CustomerProfile;  // the flow outputs it as a JSON-encoded string
    std::optional<contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (CustomerProfile, externalContact))

struct required_only {
    bool Found;
};
BOOST_DESCRIBE_STRUCT(required_only, (), (Found))

struct extra_inputs {
    std::string Channel;
    int Priority;
};
BOOST_DESCRIBE_STRUCT(extra_inputs, (), (Channel, Priority))
/// Outputs keyed by the number looked up: a mapping error's path would hold it.
struct by_number_entry {
    std::string tier;
};
BOOST_DESCRIBE_STRUCT(by_number_entry, (), (tier))
struct by_number {
    std::map<std::string, by_number_entry> ByPhone;
};
BOOST_DESCRIBE_STRUCT(by_number, (), (ByPhone))
}  // namespace user

namespace {
// docs/genesys-api.md 9.5, variant B, verbatim.
const std::string variant_b = R"({
  "id": "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10",
  "status": "COMPLETED",
  "dateLaunched": "2026-05-20T14:03:11.204Z",
  "dateCompleted": "2026-05-20T14:03:12.301Z",
  "completionReason": "Success",
  "flowVersion": { "id": "3.0", "name": "3.0" },
  "outputData": {
    "Flow.CustomerProfile": "{\"customerId\":\"CRM-100482\",\"segment\":\"Gold\",\"preferredLanguage\":\"de-DE\",\"openCases\":2}",
    "Flow.externalContact": {
      "id": "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b",
      "firstName": "Maria",
      "lastName": "Schmidt",
      "cellPhone": { "display": "+1 317-555-0123", "e164": "+13175550123", "countryCode": "1", "acceptsSMS": true },
      "workEmail": "maria.schmidt@example.com",
      "type": "Curated"
    }
  },
  "selfUri": "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"
})";
}  // namespace

#if GCX_TEST_NLOHMANN
#define GCX_BACKENDS gcx::json::boost_json, gcx::json::nlohmann
#else
#define GCX_BACKENDS gcx::json::boost_json
#endif

TEMPLATE_TEST_CASE("client: variant B of a COMPLETED execution maps into a user struct", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, respond(200, variant_b));
    auto r = cl.template lookup<user::outputs>(phone);
    REQUIRE(r);
    const auto& o = r->outputs;
    CHECK(o.CustomerProfile.customerId == "CRM-100482");
    CHECK(o.CustomerProfile.segment == "Gold");
    CHECK(o.CustomerProfile.preferredLanguage == "de-DE");
    CHECK(o.CustomerProfile.openCases == 2);
    REQUIRE(o.externalContact);
    CHECK(o.externalContact->firstName == "Maria");
    CHECK(o.externalContact->cellPhone->e164 == "+13175550123");
    CHECK(r->execution.id == exec_id);
    CHECK(r->execution.completion_reason == "Success");
}

TEMPLATE_TEST_CASE("client: variant B maps into the ready-made gcx::customer_lookup", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, respond(200, variant_b));
    auto r = cl.template lookup<gcx::customer_lookup>(phone);
    REQUIRE(r);
    const auto& o = r->outputs;
    CHECK_FALSE(o.Found);  // variant B has no Flow.Found
    REQUIRE(o.externalContact);
    CHECK(o.externalContact->lastName == "Schmidt");
    CHECK(o.externalContact->type == "Curated");
    REQUIRE(o.CustomerProfile);
    auto profile = gcx::from_json_text<TestType, user::profile>(o.CustomerProfile->text);
    REQUIRE(profile);
    CHECK(profile->customerId == "CRM-100482");
}

TEMPLATE_TEST_CASE("client: a completed flow with no outputs explains the mapping error", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, status("COMPLETED"));
    auto r = cl.template lookup<user::required_only>(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK(r.error().path == R"(outputData["Flow.Found"])");
    CHECK(r.error().execution_id == exec_id);
    CHECK(r.error().hint.find("Output from flow") != std::string::npos);
}

TEMPLATE_TEST_CASE("client: a wrong output type names the path and both kinds", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.Found":"yes"})"));
    auto r = cl.template lookup<user::required_only>(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK(r.error().path == R"(outputData["Flow.Found"])");
    CHECK(r.error().message.find("bool") != std::string::npos);
    CHECK(r.error().message.find("string") != std::string::npos);
}

TEMPLATE_TEST_CASE("client: a mapping error whose path holds the number shows it scrubbed", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.ByPhone":{"+13175550123":{"tier":7}}})"));
    auto r = cl.template lookup<user::by_number>(" +1 317-555-0123");  // as typed: normalised first
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK(r.error().path == R"(outputData["Flow.ByPhone"]["[phone number]"].tier)");
    CHECK_FALSE(leaks_secret(r.error().describe()));
    CHECK(r.error().describe().find("3175550123") == std::string::npos);

    // The sans-I/O operation's take_result_as<T>() (what the Asio client calls) scrubs it too.
    auto cl2 = make_client<TestType>();
    cl2.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.ByPhone":{"+13175550123":{"tier":7}}})"));
    gcx::strategy_operation<TestType> op(cl2.session(), phone, cl2.clock().now());
    cl2.run(op);
    auto r2 = op.template take_result_as<user::by_number>();
    REQUIRE_FALSE(r2);
    CHECK(r2.error().path.find("3175550123") == std::string::npos);
}

TEMPLATE_TEST_CASE("client: typed extra inputs are sent as Flow.-prefixed inputData", "[client]", GCX_BACKENDS) {
    auto cl = make_client<TestType>();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed(R"({"Flow.Found":true})"));
    auto r = cl.template lookup<user::required_only>(phone, user::extra_inputs{"voice", 2});
    REQUIRE(r);
    CHECK(r->outputs.Found);
    auto body = boost::json::parse(cl.transport().log()[1].body);
    CHECK(body.at("inputData") ==
          boost::json::parse(R"({"Flow.Channel":"voice","Flow.Priority":2,"Flow.PhoneNumber":"+13175550123"})"));
}

TEST_CASE("client: the sans-I/O operation maps with take_result_as") {
    auto session = gcx::session::create(config());
    REQUIRE(session);
    auto now = manual_clock::start();
    const auto wall = std::chrono::system_clock::now();
    gcx::lookup_operation<gcx::json::boost_json> op(*session, phone, now);
    op.next(now);
    op.on_response(token_ok(), now, wall);
    op.next(now);
    op.on_response(launched(), now, wall);
    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::sleep);
    op.next(a.until);
    op.on_response(respond(200, variant_b), a.until, wall);
    REQUIRE(op.next(a.until).kind == gcx::action::type::done);
    auto r = op.take_result_as<user::outputs>();
    REQUIRE(r);
    CHECK(r->outputs.externalContact->lastName == "Schmidt");
}

}  // namespace unit_client
