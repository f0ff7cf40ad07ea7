// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include <cstdio>
#include <fstream>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {
const char* const reverse_path = "/api/v2/externalcontacts/reversewhitepageslookup";
const char* const identifier_path = "/api/v2/externalcontacts/identifierlookup/contacts";

httplib::Result reverse(httplib::Client& c, const std::string& token, const std::string& query) {
    return c.Get((std::string(reverse_path) + "?" + query).c_str(), bearer(token));
}
}  // namespace

TEST_CASE("contacts: reverse whitepages lookup by E.164 number", "[sim][contacts]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);

    json body = body_of(reverse(c, token, "lookupVal=%2B13175550123&expand=contacts.externalOrganization"));
    REQUIRE(body.at("contacts").size() == 1);
    const json& maria = body.at("contacts")[0];
    CHECK(maria.at("id") == "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b");
    CHECK(maria.at("firstName") == "Maria");
    CHECK(maria.at("title") == "Purchasing Manager");
    CHECK(maria.at("workPhone").at("extension") == 204);
    CHECK(maria.at("address").at("city") == "Indianapolis");
    CHECK(maria.at("externalOrganization").at("name") == "Acme Corp");
    CHECK(maria.at("type") == "Curated");

    // Without expand the organisation is a reference.
    body = body_of(reverse(c, token, "lookupVal=%2B13175550123"));
    CHECK(body.at("contacts")[0].at("externalOrganization") ==
          json{{"id", "0f9e8d7c-6b5a-4432-9876-543210fedcba"},
               {"selfUri", "/api/v2/externalcontacts/organizations/0f9e8d7c-6b5a-4432-9876-543210fedcba"}});

    // By email too; nothing for an unknown number or an unencoded '+' (it decodes to a space).
    CHECK(body_of(reverse(c, token, "lookupVal=Maria.Schmidt%40example.com")).at("contacts").size() == 1);
    CHECK(body_of(reverse(c, token, "lookupVal=%2B14155550000")).at("contacts") == json::array());
    auto raw = s.client();
    raw.set_url_encode(false);  // httplib::Client would otherwise send the '+' as %2B
    CHECK(body_of(reverse(raw, token, "lookupVal=+13175550123")).at("contacts") == json::array());
    require_error(reverse(c, token, "expand=contacts.externalOrganization"), 400, "bad.request");
    CHECK(s.sim.snapshot().direct_lookups == 6);
}

TEST_CASE("contacts: identifier lookup returns one contact or 404", "[sim][contacts]") {
    running_sim s;
    auto c = s.client();
    const std::string token = full_token(s, c);
    auto lookup = [&](const json& body) {
        return c.Post(identifier_path, bearer(token), body.dump(), "application/json");
    };

    const json maria = body_of(lookup({{"type", "Phone"}, {"value", "+13175550123"}}));
    CHECK(maria.at("lastName") == "Schmidt");
    CHECK(maria.at("cellPhone").at("e164") == "+13175550123");

    const json other = body_of(lookup({{"type", "Phone"}, {"value", gcx_sim::simulator::found_number(5)}}));
    CHECK(other.at("cellPhone").at("e164") == "+13175550005");

    require_error(lookup({{"type", "Phone"}, {"value", gcx_sim::simulator::unknown_number(5)}}), 404, "not.found");
    require_error(lookup({{"type", "Phone"}, {"value", "3175550123"}}), 400, "invalid.value");
    // As the platform documents the value ("+1 704 298 4733"): separators after the '+' are
    // dropped (before: 400 invalid.value).
    CHECK(body_of(lookup({{"type", "Phone"}, {"value", "+1 317 555 0123"}})).at("lastName") == "Schmidt");
    CHECK(body_of(lookup({{"type", "Phone"}, {"value", "+1 (317) 555-0123"}})).at("lastName") == "Schmidt");
    require_error(lookup({{"type", "Phone"}, {"value", "1 317 555 0123"}}), 400, "invalid.value");
    require_error(lookup({{"type", "Fax"}, {"value", "+13175550123"}}), 400, "invalid.value");
    require_error(lookup({{"value", "+13175550123"}}), 400, "bad.request");
}

TEST_CASE("contacts: direct lookups need a token", "[sim][contacts]") {
    running_sim s;
    auto c = s.client();
    require_error(c.Get((std::string(reverse_path) + "?lookupVal=%2B13175550123").c_str()), 401,
                  "authentication.required");
    // The no-launch client has externalContacts:contact:view.
    const std::string token = token_for(c, s.sim.demo().no_launch_client_id, s.sim.demo().no_launch_client_secret);
    CHECK(reverse(c, token, "lookupVal=%2B13175550123")->status == 200);
}

TEST_CASE("contacts: a contacts file replaces the generated set", "[sim][contacts]") {
    const std::string path = "gcx-sim-test-contacts.json";
    {
        std::ofstream out(path);
        out << R"([{"firstName":"Ada","lastName":"Lovelace",
               "homePhone":{"e164":"+442071234567","display":"+44 20 7123 4567"},
               "customFields":{"tier_text":"Platinum"}}])";
    }
    auto o = quick_options();
    o.contacts_file = path;
    running_sim s(o);
    auto c = s.client();
    const std::string token = full_token(s, c);
    const json found = body_of(reverse(c, token, "lookupVal=%2B442071234567"));
    REQUIRE(found.at("contacts").size() == 1);
    CHECK(found.at("contacts")[0].at("firstName") == "Ada");
    CHECK(found.at("contacts")[0].at("id").is_string());
    CHECK(body_of(reverse(c, token, "lookupVal=%2B13175550123")).at("contacts").empty());

    auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+442071234567", "ada"));
    const json out = wait_until_done(c, token, json::parse(r->body).at("id")).at("outputData");
    CHECK(json::parse(out.at("Flow.CustomerProfile").get<std::string>()).at("segment") == "Platinum");
    std::remove(path.c_str());

    gcx_sim::options missing = quick_options();
    missing.contacts_file = "no-such-file.json";
    gcx_sim::simulator broken(missing);
    CHECK_FALSE(broken.start());
    CHECK(broken.last_error().find("no-such-file.json") != std::string::npos);
}

TEST_CASE("contacts: the found number gcx-sim names is one its contacts have, whatever the set", "[sim][contacts]") {
    for (int count : {124, 10, 0}) {
        INFO(count);
        auto o = quick_options();
        o.contact_count = count;
        running_sim s(o);
        const std::string known = s.sim.known_number();
        if (count == 0) {
            CHECK(known.empty());
            continue;
        }
        // Before: found_number(123) whatever the set, which 10 contacts do not have.
        CHECK(known == (count > 123 ? gcx_sim::simulator::found_number(123) : gcx_sim::simulator::found_number(0)));
        auto c = s.client();
        const std::string token = full_token(s, c);
        CHECK(body_of(reverse(c, token, "lookupVal=%2B" + known.substr(1))).at("contacts").size() >= 1);
    }
}
