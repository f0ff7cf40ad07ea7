// The described Genesys models (gcx/models.hpp) against the API's own JSON shapes
// (docs/genesys-api.md section 9). Every test runs on each JSON backend.

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"  // BOOST_DESCRIBE_STRUCT(T, (), ...)
#endif

#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <boost/describe/class.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_models {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

namespace {

// ---- docs/genesys-api.md 9.3 - 9.8 -----------------------------------------------------------

constexpr const char* launch_response = R"({
  "id": "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10",
  "name": "customer-lookup +13175550123",
  "flowVersion": {
    "id": "3.0",
    "name": "3.0",
    "selfUri": "/api/v2/flows/4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33/versions/3.0"
  },
  "selfUri": "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"
})";

constexpr const char* poll_running = R"({
  "id": "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10",
  "name": "customer-lookup +13175550123",
  "flowVersion": {
    "id": "3.0",
    "name": "3.0",
    "type": "WORKFLOW",
    "secure": false,
    "debug": false,
    "selfUri": "/api/v2/flows/4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33/versions/3.0"
  },
  "dateLaunched": "2026-05-20T14:03:11.204Z",
  "status": "RUNNING",
  "selfUri": "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"
})";

constexpr const char* poll_completed_a = R"({
  "id": "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10",
  "name": "customer-lookup +13175550123",
  "flowVersion": { "id": "3.0", "name": "3.0", "type": "WORKFLOW",
                   "selfUri": "/api/v2/flows/4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33/versions/3.0" },
  "dateLaunched": "2026-05-20T14:03:11.204Z",
  "status": "COMPLETED",
  "dateCompleted": "2026-05-20T14:03:11.987Z",
  "completionReason": "Success",
  "outputData": {
    "Flow.Found": true,
    "Flow.MatchCount": "1",
    "Flow.ContactId": "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b",
    "Flow.FirstName": "Maria",
    "Flow.LastName": "Schmidt",
    "Flow.Email": "maria.schmidt@example.com",
    "Flow.Tier": "Gold",
    "Flow.ErrorMessage": null
  },
  "selfUri": "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"
})";

constexpr const char* poll_completed_b = R"({
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

constexpr const char* poll_failed = R"({
  "id": "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10",
  "name": "customer-lookup +13175550123",
  "flowVersion": { "id": "3.0", "name": "3.0", "type": "WORKFLOW" },
  "dateLaunched": "2026-05-20T14:03:11.204Z",
  "status": "FAILED",
  "dateCompleted": "2026-05-20T14:03:12.010Z",
  "completionReason": "Error",
  "flowErrorInfo": {
    "message": "The flow encountered an error while running the Search External Contacts action.",
    "code": "flow.execution.error",
    "status": 500,
    "messageParams": {},
    "contextId": "5b1e3c2d-9f8a-4d7b-a6c5-1e2f3a4b5c6d",
    "details": [],
    "errors": []
  },
  "selfUri": "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"
})";

constexpr const char* error_400 = R"({
  "message": "Value [abc] is not valid for field type [Flow.PhoneNumber]. Allowable values are: string",
  "code": "invalid.value",
  "status": 400,
  "messageWithParams": "Value [abc] is not valid for field type [Flow.PhoneNumber]. Allowable values are: string",
  "messageParams": {},
  "contextId": "0d3f6a1b-8c2e-4f5d-9b7a-2e1c3d4f5a6b",
  "details": [ { "errorCode": "invalid.value", "fieldName": "inputData" } ],
  "errors": []
})";

constexpr const char* error_401 = R"({
  "message": "Invalid login credentials.",
  "code": "bad.credentials",
  "status": 401,
  "contextId": "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
  "details": [],
  "errors": []
})";

constexpr const char* error_403 = R"({
  "message": "Unable to perform the requested action. You must have at least one of the following permissions assigned: [architect:flow:launch]",
  "code": "missing.any.permissions",
  "status": 403,
  "messageWithParams": "Unable to perform the requested action. You must have at least one of the following permissions assigned: [architect:flow:launch]",
  "messageParams": { "permissions": "[architect:flow:launch]" },
  "contextId": "3c2b1a0f-9e8d-4c7b-6a5f-4e3d2c1b0a9f",
  "details": [],
  "errors": []
})";

constexpr const char* error_404 = R"({
  "message": "The requested resource was not found.",
  "code": "not.found",
  "status": 404,
  "contextId": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918",
  "details": [],
  "errors": []
})";

constexpr const char* error_429 = R"({
  "message": "Rate limit exceeded the maximum. Retry the request in [42] seconds",
  "code": "too.many.requests.retry.after",
  "status": 429,
  "contextId": "2a1b0c9d-8e7f-4a6b-5c4d-3e2f1a0b9c8d",
  "details": [],
  "errors": []
})";

constexpr const char* whitepages = R"({
  "contacts": [
    {
      "id": "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b",
      "division": { "id": "e1d2c3b4-a5f6-4789-8abc-def012345678", "name": "Home",
                    "selfUri": "/api/v2/authorization/divisions/e1d2c3b4-a5f6-4789-8abc-def012345678" },
      "firstName": "Maria",
      "lastName": "Schmidt",
      "title": "Purchasing Manager",
      "cellPhone": {
        "display": "+1 317-555-0123",
        "acceptsSMS": true,
        "userInput": "3175550123",
        "e164": "+13175550123",
        "countryCode": "1"
      },
      "workPhone": {
        "display": "+1 317-555-0199",
        "extension": 204,
        "userInput": "+1 317 555 0199",
        "e164": "+13175550199",
        "countryCode": "1"
      },
      "workEmail": "maria.schmidt@example.com",
      "address": {
        "address1": "100 Main St",
        "address2": "Suite 400",
        "city": "Indianapolis",
        "state": "IN",
        "postalCode": "46204",
        "countryCode": "US"
      },
      "externalOrganization": {
        "id": "0f9e8d7c-6b5a-4432-9876-543210fedcba",
        "name": "Acme Corp",
        "selfUri": "/api/v2/externalcontacts/organizations/0f9e8d7c-6b5a-4432-9876-543210fedcba"
      },
      "surveyOptOut": false,
      "customFields": { "tier_text": "Gold" },
      "type": "Curated",
      "createDate": "2024-02-11T09:15:00.000Z",
      "modifyDate": "2026-04-02T16:41:27.512Z",
      "selfUri": "/api/v2/externalcontacts/contacts/8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b"
    }
  ]
})";

template <class J>
typename J::value parse(std::string_view text) {
    auto v = J::parse(text, gcx::json::default_max_depth);
    REQUIRE(v.has_value());
    return std::move(*v);
}

template <class J, class T>
T map_body(std::string_view text) {
    gcx::map_options options;
    options.root = "body";
    auto r = gcx::from_json<J, T>(parse<J>(text), options);
    if (!r) FAIL(r.error().describe());
    return std::move(*r);
}

}  // namespace

// A caller's own view of the tutorial flow's outputs, with the profile typed.
namespace app {
struct profile {
    std::string customerId;
    std::optional<std::string> segment;
    std::optional<std::string> preferredLanguage;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, segment, preferredLanguage, openCases))

struct lookup_outputs {
    std::optional<bool> Found;
    std::optional<profile> CustomerProfile;
    std::optional<gcx::external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(lookup_outputs, (), (Found, CustomerProfile, externalContact))

struct scalar_outputs {
    bool Found = false;
    std::int64_t MatchCount = 0;
    std::string ContactId;
    std::optional<std::string> FirstName;
    std::optional<std::string> LastName;
    std::optional<std::string> Email;
    std::optional<std::string> Tier;
    std::optional<std::string> ErrorMessage;
};
BOOST_DESCRIBE_STRUCT(scalar_outputs, (),
                      (Found, MatchCount, ContactId, FirstName, LastName, Email, Tier, ErrorMessage))
}  // namespace app

TEMPLATE_LIST_TEST_CASE("a COMPLETED execution (variant B) maps as flow_runtime_execution", "[models]", backends) {
    using J = TestType;
    const gcx::flow_runtime_execution exec = map_body<J, gcx::flow_runtime_execution>(poll_completed_b);
    CHECK(exec.id == "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10");
    CHECK(exec.status == "COMPLETED");
    CHECK(exec.dateLaunched == "2026-05-20T14:03:11.204Z");
    CHECK(exec.dateCompleted == "2026-05-20T14:03:12.301Z");
    CHECK(exec.completionReason == "Success");
    REQUIRE(exec.flowVersion.has_value());
    CHECK(exec.flowVersion->id == "3.0");
    CHECK_FALSE(exec.name.has_value());
    CHECK_FALSE(exec.flowErrorInfo.has_value());
    REQUIRE(exec.outputData.has_value());

    auto output_data = exec.outputData->parse<J>();
    REQUIRE(output_data.has_value());

    SECTION("outputData into the ready-made customer_lookup") {
        auto r = gcx::read_outputs<J, gcx::customer_lookup>(*output_data);
        REQUIRE(r.has_value());
        CHECK_FALSE(r->Found.has_value());  // variant B does not output Found
        CHECK_FALSE(r->MatchCount.has_value());
        REQUIRE(r->CustomerProfile.has_value());
        // Kept as is: here, a JSON string holding the profile.
        auto profile = gcx::from_json_text<J, app::profile>(r->CustomerProfile->text);
        REQUIRE(profile.has_value());
        CHECK(profile->customerId == "CRM-100482");
        CHECK(profile->openCases == 2);
        REQUIRE(r->externalContact.has_value());
        CHECK(r->externalContact->firstName == "Maria");
        CHECK(r->externalContact->cellPhone->acceptsSMS == true);
        CHECK(r->externalContact->cellPhone->e164 == "+13175550123");
        CHECK(r->externalContact->type == "Curated");
    }
    SECTION("outputData into a user struct with a nested profile struct") {
        auto r = gcx::read_outputs<J, app::lookup_outputs>(*output_data);
        REQUIRE(r.has_value());
        REQUIRE(r->CustomerProfile.has_value());
        CHECK(r->CustomerProfile->customerId == "CRM-100482");
        CHECK(r->CustomerProfile->segment == "Gold");
        CHECK(r->CustomerProfile->preferredLanguage == "de-DE");
        CHECK(r->CustomerProfile->openCases == 2);
        REQUIRE(r->externalContact.has_value());
        CHECK(r->externalContact->lastName == "Schmidt");
        CHECK(r->externalContact->workEmail == "maria.schmidt@example.com");
    }
}

TEMPLATE_LIST_TEST_CASE("a COMPLETED execution with scalar outputs (variant A) maps", "[models]", backends) {
    using J = TestType;
    const gcx::flow_runtime_execution exec = map_body<J, gcx::flow_runtime_execution>(poll_completed_a);
    CHECK(exec.name == "customer-lookup +13175550123");
    CHECK(exec.flowVersion->type == "WORKFLOW");
    auto r = gcx::read_outputs<J, app::scalar_outputs>(*exec.outputData->parse<J>());
    REQUIRE(r.has_value());
    CHECK(r->Found);
    CHECK(r->MatchCount == 1);
    CHECK(r->ContactId == "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");
    CHECK(r->Tier == "Gold");
    CHECK_FALSE(r->ErrorMessage.has_value());

    auto ready_made = gcx::read_outputs<J, gcx::customer_lookup>(*exec.outputData->parse<J>());
    REQUIRE(ready_made.has_value());
    CHECK(ready_made->Found == true);
    CHECK(ready_made->MatchCount == 1);
    CHECK_FALSE(ready_made->CustomerProfile.has_value());
}

TEMPLATE_LIST_TEST_CASE("RUNNING and FAILED executions map, flowErrorInfo is an error_body", "[models]", backends) {
    using J = TestType;
    const gcx::flow_runtime_execution running = map_body<J, gcx::flow_runtime_execution>(poll_running);
    CHECK(running.status == "RUNNING");
    CHECK(running.flowVersion->secure == false);
    CHECK(running.flowVersion->debug == false);
    CHECK_FALSE(running.outputData.has_value());

    const gcx::flow_runtime_execution failed = map_body<J, gcx::flow_runtime_execution>(poll_failed);
    CHECK(failed.status == "FAILED");
    CHECK(failed.completionReason == "Error");
    REQUIRE(failed.flowErrorInfo.has_value());
    CHECK(failed.flowErrorInfo->code == "flow.execution.error");
    CHECK(failed.flowErrorInfo->status == 500);
    CHECK(failed.flowErrorInfo->contextId == "5b1e3c2d-9f8a-4d7b-a6c5-1e2f3a4b5c6d");
    CHECK(failed.flowErrorInfo->messageParams->empty());
    CHECK(failed.flowErrorInfo->errors->empty());
}

TEMPLATE_LIST_TEST_CASE("an unknown execution status does not fail mapping", "[models]", backends) {
    using J = TestType;
    const gcx::flow_runtime_execution exec = map_body<J, gcx::flow_runtime_execution>(
        R"({"id": "x", "status": "PAUSED_FOR_REVIEW", "dateLaunched": "2026-05-20T14:03:11.204Z", "newField": {"a": 1}})");
    CHECK(exec.status == "PAUSED_FOR_REVIEW");

    gcx::map_options options;
    options.root = "body";
    auto missing = gcx::from_json<J, gcx::flow_runtime_execution>(parse<J>(R"({"id": "x"})"), options);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().path == "body.status");
}

TEMPLATE_LIST_TEST_CASE("the launch response maps", "[models]", backends) {
    using J = TestType;
    const gcx::flow_execution_launch_response launched =
        map_body<J, gcx::flow_execution_launch_response>(launch_response);
    CHECK(launched.id == "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10");
    CHECK(launched.name == "customer-lookup +13175550123");
    CHECK(launched.flowVersion->name == "3.0");
    CHECK(launched.selfUri == "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10");
}

TEMPLATE_LIST_TEST_CASE("the API's error bodies map into error_body", "[models]", backends) {
    using J = TestType;
    const gcx::error_body e400 = map_body<J, gcx::error_body>(error_400);
    CHECK(e400.code == "invalid.value");
    CHECK(e400.status == 400);
    REQUIRE(e400.details.has_value());
    REQUIRE(e400.details->size() == 1);
    CHECK(e400.details->at(0).errorCode == "invalid.value");
    CHECK(e400.details->at(0).fieldName == "inputData");
    CHECK_FALSE(e400.details->at(0).entityId.has_value());

    const gcx::error_body e401 = map_body<J, gcx::error_body>(error_401);
    CHECK(e401.code == "bad.credentials");
    CHECK_FALSE(e401.messageParams.has_value());
    CHECK_FALSE(e401.messageWithParams.has_value());

    const gcx::error_body e403 = map_body<J, gcx::error_body>(error_403);
    CHECK(e403.code == "missing.any.permissions");
    CHECK(e403.messageParams->at("permissions") == "[architect:flow:launch]");

    const gcx::error_body e404 = map_body<J, gcx::error_body>(error_404);
    CHECK(e404.status == 404);
    CHECK(e404.message == "The requested resource was not found.");

    const gcx::error_body e429 = map_body<J, gcx::error_body>(error_429);
    CHECK(e429.code == "too.many.requests.retry.after");
    CHECK(e429.contextId == "2a1b0c9d-8e7f-4a6b-5c4d-3e2f1a0b9c8d");
}

TEMPLATE_LIST_TEST_CASE("error_body nests errors and renames limit.namespace", "[models]", backends) {
    using J = TestType;
    const gcx::error_body e = map_body<J, gcx::error_body>(R"({
        "message": "outer", "status": 400,
        "errors": [ { "message": "inner", "errors": [ { "code": "innermost" } ] } ],
        "limit": { "key": "flows.executions", "namespace": "architect", "value": 300 }
    })");
    CHECK(e.errors->at(0).message == "inner");
    CHECK(e.errors->at(0).errors->at(0).code == "innermost");
    REQUIRE(e.limit.has_value());
    CHECK(e.limit->namespace_ == "architect");
    CHECK(e.limit->value == 300);

    const auto v = gcx::to_json<J>(e);
    const auto* limit = J::find(v, "limit");
    REQUIRE(limit != nullptr);
    CHECK(J::find(*limit, "namespace") != nullptr);
    CHECK(J::find(*limit, "namespace_") == nullptr);
}

TEMPLATE_LIST_TEST_CASE("the reverse whitepages lookup maps into its result", "[models]", backends) {
    using J = TestType;
    const gcx::reverse_whitepages_lookup_result r = map_body<J, gcx::reverse_whitepages_lookup_result>(whitepages);
    REQUIRE(r.contacts);
    REQUIRE(r.contacts->size() == 1);
    const gcx::external_contact& c = (*r.contacts)[0];
    CHECK(c.id == "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");
    CHECK(c.division->name == "Home");
    CHECK(c.title == "Purchasing Manager");
    CHECK(c.cellPhone->userInput == "3175550123");
    CHECK(c.workPhone->extension == 204);
    CHECK(c.workPhone->e164 == "+13175550199");
    CHECK(c.address->city == "Indianapolis");
    CHECK(c.address->countryCode == "US");
    CHECK(c.externalOrganization->name == "Acme Corp");
    CHECK(c.surveyOptOut == false);
    REQUIRE(c.customFields.has_value());
    CHECK(*c.customFields->parse<J>() == parse<J>(R"({"tier_text": "Gold"})"));
    CHECK(c.createDate == "2024-02-11T09:15:00.000Z");
    CHECK_FALSE(c.homePhone.has_value());
    CHECK_FALSE(c.middleName.has_value());

    const gcx::reverse_whitepages_lookup_result empty =
        map_body<J, gcx::reverse_whitepages_lookup_result>(R"({"contacts": []})");
    REQUIRE(empty.contacts);
    CHECK(empty.contacts->empty());
    // The API declares contacts optional: an answer without it, or with null, is no contact, not
    // a mapping error (before: "missing required member contacts").
    for (const char* none : {"{}", R"({"contacts": null})"}) {
        INFO(none);
        auto r2 = gcx::from_json_text<J, gcx::reverse_whitepages_lookup_result>(none);
        REQUIRE(r2);
        CHECK_FALSE(r2->contacts.has_value());
    }
}

TEMPLATE_LIST_TEST_CASE("models survive the round trip and write only what they hold", "[models]", backends) {
    using J = TestType;
    const gcx::reverse_whitepages_lookup_result r = map_body<J, gcx::reverse_whitepages_lookup_result>(whitepages);
    const std::string text = gcx::to_json_text<J>(r);
    auto again = gcx::from_json_text<J, gcx::reverse_whitepages_lookup_result>(text);
    REQUIRE(again.has_value());
    CHECK(gcx::to_json_text<J>(*again) == text);
    CHECK(again->contacts->at(0).workPhone->extension == 204);

    gcx::external_contact c;
    c.firstName = "Maria";
    c.cellPhone = gcx::phone_number{};
    c.cellPhone->e164 = "+13175550123";
    const std::string written = J::serialize(gcx::to_json<J>(c));
    // member order: declaration order (Boost.JSON) or sorted (nlohmann::json)
    const bool only_what_it_holds = written == R"({"firstName":"Maria","cellPhone":{"e164":"+13175550123"}})" ||
                                    written == R"({"cellPhone":{"e164":"+13175550123"},"firstName":"Maria"})";
    INFO(written);
    CHECK(only_what_it_holds);
}

TEMPLATE_LIST_TEST_CASE("a server value of the wrong type is reported with its path", "[models]", backends) {
    using J = TestType;
    gcx::map_options options;
    options.root = "body";
    auto r = gcx::from_json<J, gcx::reverse_whitepages_lookup_result>(
        parse<J>(R"({"contacts": [{"id": "a"}, {"id": "b", "workPhone": {"extension": "two"}}]})"), options);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().path == "body.contacts[1].workPhone.extension");
    CHECK_THAT(r.error().message, Catch::Contains("got a string that is not an integer"));
}

}  // namespace unit_models
