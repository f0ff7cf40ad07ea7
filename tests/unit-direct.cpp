// include/gcx/direct.hpp and the lookup strategies of basic_client: External Contacts without a flow.
#include "fakes.hpp"

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_direct {

using namespace fakes;
using gcx::errc;

namespace {
const std::string maria =
    R"({"id":"8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b","firstName":"Maria","lastName":"Schmidt","cellPhone":{"display":"+1 317-555-0123","e164":"+13175550123"},"type":"Curated"})";
const std::string other = R"({"id":"11111111-2222-4333-8444-555555555555","firstName":"Max","lastName":"Schmidt"})";

gcx::client_config direct_config(gcx::direct_method m = gcx::direct_method::reverse_whitepages) {
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    c.flow_id.clear();  // a direct lookup needs no flow
    c.direct.method = m;
    return c;
}
}  // namespace

TEST_CASE("direct: the number a server echoes percent-encoded, in a redirect or an error body, is not in the error") {
    // The query carries it as lookupVal=%2B13175550123: only "+13175550123" was scrubbed.
    auto cl = make_client(direct_config());
    cl.transport().then(endpoint::token, token_ok());
    cl.transport().set_fallback([](const gcx::http::request& r) {
        return respond(301, "", {{"Location", r.url + "&x=1"}});
    });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    INFO(r.error().describe());
    CHECK(r.error().code == "redirect");
    CHECK(r.error().describe().find("13175550123") == std::string::npos);
    CHECK(r.error().describe().find("[phone number]") != std::string::npos);

    auto cl2 = make_client(direct_config());
    cl2.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages, error_body(400, "bad.request", "Invalid query parameter lookupVal=%2B13175550123"));
    auto r2 = cl2.lookup(phone);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().describe().find("13175550123") == std::string::npos);
}

TEST_CASE("direct: a correlation id kept in the result is one line without the number or the token") {
    auto cl = make_client(direct_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages,
              respond(200, R"({"contacts":[]})",
                      {{"ININ-Correlation-Id", "echo " + phone + " Bearer " + access_token + "\nforged: line"}}));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    const std::string& id = r->execution.correlation_id;
    INFO(id);
    CHECK(id.find(phone) == std::string::npos);
    CHECK(id.find(access_token) == std::string::npos);
    CHECK(id.find('\n') == std::string::npos);
    CHECK(id.rfind("echo [phone number] Bearer [REDACTED]", 0) == 0);
}

TEST_CASE("direct: reverse whitepages sends the encoded number and maps one match") {
    auto c = direct_config();
    c.direct.expand = "contacts.externalOrganization,division";
    c.direct.division_id = "*";
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages,
              respond(200, R"({"contacts":[)" + maria + "]}", {{"ININ-Correlation-Id", "corr-wp"}}));
    auto r = cl.lookup("+1 317 555 0123");
    REQUIRE(r);
    auto url = cl.transport().log().back().url;
    CHECK(url == "https://api.mypurecloud.com/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B13175550123"
                 "&expand=contacts.externalOrganization&expand=division&divisionId=%2A");
    CHECK(cl.transport().log().back().verb == method::get);
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->outputs.at("Flow.MatchCount").as_int64() == 1);
    CHECK(r->execution.found == true);  // as Flow.Found
    CHECK(r->outputs.at("Flow.ContactId").as_string() == "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");
    CHECK(r->outputs.at("Flow.externalContact").at("firstName").as_string() == "Maria");
    CHECK(r->execution.source == "direct");
    CHECK(r->execution.correlation_id == "corr-wp");
    CHECK(cl.transport().count(endpoint::launch) == 0);
}

TEST_CASE("direct: several matches are all returned, the outputs name the first") {
    auto cl = make_client(direct_config());
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::whitepages, respond(200, R"({"contacts":[)" + maria + "," + other + "]}"));
    auto contacts = cl.find_contacts(phone);
    REQUIRE(contacts);
    CHECK(contacts->contacts.as_array().size() == 2);
    cl.transport().then(endpoint::whitepages, respond(200, R"({"contacts":[)" + maria + "," + other + "]}"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->outputs.at("Flow.MatchCount").as_int64() == 2);
    CHECK(r->outputs.at("Flow.externalContact").at("firstName").as_string() == "Maria");
}

TEST_CASE("direct: no match is Found=false, not an error") {
    auto cl = make_client(direct_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::whitepages, respond(200, R"({"contacts":[]})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK_FALSE(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->outputs.at("Flow.MatchCount").as_int64() == 0);
    CHECK(r->execution.found == false);
    CHECK(r->outputs.at("Flow.ContactId").is_null());
    CHECK(r->outputs.at("Flow.externalContact").is_null());
}

TEST_CASE("direct: identifier lookup posts a Phone identifier and maps the contact") {
    auto c = direct_config(gcx::direct_method::identifier);
    c.direct.expand = "externalOrganization,identifiers";  // the identifier lookup's own values
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::identifier, respond(200, maria));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK(r->execution.found == true);
    auto req = cl.transport().log().back();
    CHECK(req.verb == method::post);
    CHECK(req.url == "https://api.mypurecloud.com/api/v2/externalcontacts/identifierlookup/contacts"
                     "?expand=externalOrganization&expand=identifiers");
    CHECK(boost::json::parse(req.body) == boost::json::parse(R"({"type":"Phone","value":"+13175550123"})"));
    CHECK(r->outputs.at("Flow.Found").as_bool());
    CHECK(r->outputs.at("Flow.externalContact").at("lastName").as_string() == "Schmidt");
}

TEST_CASE("direct: identifier lookup 404 means no match") {
    auto cl = make_client(direct_config(gcx::direct_method::identifier));
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::identifier, error_body(404, "not.found", "No contact"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK_FALSE(r->outputs.at("Flow.Found").as_bool());
}

TEST_CASE("direct: an identifier lookup's 404 without a Genesys error body is an error, not \"no match\"") {
    // A gateway or a wrong API URL answers 404 with a page of its own: every number was "not found".
    for (auto page : {respond(404, "<html><body>Not Found</body></html>"), respond(404, ""),
                      respond(404, R"({"message":"no such route"})")}) {
        auto cl = make_client(direct_config(gcx::direct_method::identifier));
        cl.transport().then(endpoint::token, token_ok()).then(endpoint::identifier, page);
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().http_status == 404);
        CHECK(r.error().kind == errc::not_found);
    }
}

TEST_CASE("direct: a 404 from the login server is an error, not \"no match\"") {
    // A gateway that answers 404 for /oauth/token must not turn every number into Found=false.
    auto cl = make_client(direct_config(gcx::direct_method::identifier));
    cl.transport().then(endpoint::token, respond(404, R"({"message":"no such route"})"));
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::config);  // the login URL names no token endpoint
    CHECK(r.error().hint.find("login URL") != std::string::npos);
    CHECK(cl.transport().count(endpoint::identifier) == 0);
}

TEST_CASE("direct: 403 names externalContacts:contact:view in the hint") {
    for (auto m : {gcx::direct_method::reverse_whitepages, gcx::direct_method::identifier}) {
        auto cl = make_client(direct_config(m));
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::any, error_body(403, "missing.any.permissions", "denied"));
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::permission);
        CHECK(r.error().hint.find("externalContacts:contact:view") != std::string::npos);
    }
}

TEST_CASE("direct: 429 is retried after Retry-After") {
    for (auto m : {gcx::direct_method::reverse_whitepages, gcx::direct_method::identifier}) {
        auto cl = make_client(direct_config(m));
        cl.transport()
            .then(endpoint::token, token_ok())
            .then(endpoint::any, error_body(429, "too.many.requests.retry.after", "slow down", {{"Retry-After", "2"}}))
            .then(endpoint::any, m == gcx::direct_method::identifier ? respond(200, maria)
                                                                     : respond(200, R"({"contacts":[)" + maria + "]}"));
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(cl.clock().elapsed() == gcx::milliseconds{2000});
        CHECK(r->outputs.at("Flow.Found").as_bool());
    }
}

TEST_CASE("direct: an invalid number is refused with zero requests") {
    auto cl = make_client(direct_config());
    auto r = cl.find_contacts("555-0123");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::invalid_input);
    CHECK(cl.transport().log().empty());
}

TEST_CASE("direct: a malformed answer is retried and then a protocol error") {
    auto cl = make_client(direct_config());
    cl.transport().then(endpoint::token, token_ok());
    cl.transport().set_fallback([](const gcx::http::request&) { return respond(200, R"({"contacts":{"oops":1}})"); });
    auto r = cl.lookup(phone);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == errc::protocol);
}

TEST_CASE("direct: the result says which credential the lookup went out with") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-123")});
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return respond(200, R"({"contacts":[{"id":"8a7f"}]})");
    });
    auto first = cl.lookup(phone);
    auto second = cl.lookup(phone);
    REQUIRE(first);
    REQUIRE(second);
    const auto log = cl.transport().log();
    REQUIRE(log.size() == 4);
    CHECK(*log[2].header("Authorization") ==
          "Basic " + gcx::detail::base64(std::string("second-client-id:second-secret-value-123")));
    CHECK(first->execution.credential == 0);
    CHECK(second->execution.credential == 1);  // before: 0
}

TEST_CASE("direct: execution.queued is the wait for the request budget before its request, as a flow lookup's") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::direct;
    c.budget.requests_per_minute = 60;
    c.budget.headroom = 1.0;
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        return classify(r) == endpoint::token ? token_ok() : respond(200, R"({"entities":[]})");
    });
    gcx::milliseconds most{0};
    for (int i = 0; i < 8; ++i) {  // past the burst, each waits its turn (a second at 60 a minute)
        auto r = cl.lookup(phone);
        REQUIRE(r);
        most = std::max(most, r->execution.queued);
    }
    CHECK(most >= gcx::milliseconds{500});  // before: always 0
}

TEST_CASE("direct: reversewhitepageslookup with contacts null is no match, not an error") {
    // Genesys may answer "contacts": null for a number it does not know: that is no match.
    auto cl = make_client(direct_config());
    cl.transport().then(endpoint::token, token_ok()).then(endpoint::whitepages, respond(200, R"({"contacts":null})"));
    auto r = cl.lookup(phone);
    REQUIRE(r);
    CHECK_FALSE(r->outputs.at("Flow.Found").as_bool());
}

}  // namespace unit_direct
