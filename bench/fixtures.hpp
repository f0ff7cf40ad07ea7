// gcx micro-benchmarks: the documents and the user structs they map into.
//
//   variant_b  the "realistic COMPLETED execution" of docs/genesys-api.md section 9.5, variant B:
//              Flow.CustomerProfile is an object *encoded as a JSON string*, Flow.externalContact
//              a nested object (an ExternalContact).
//   large      the same shape grown to what a generous flow might return: a 50-field customer
//              profile (an object) and 25 full ExternalContacts (as section 9.8), about 30 KB.
#ifndef GCX_BENCH_FIXTURES_HPP
#define GCX_BENCH_FIXTURES_HPP

#include <gcx/models.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

namespace bench {

// ---- variant B ---------------------------------------------------------------------------------

/// What the flow author put in Flow.CustomerProfile (a JSON string holding this object).
struct customer_profile {
    std::string customerId;
    std::string segment;
    std::optional<std::string> preferredLanguage;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(customer_profile, (), (customerId, segment, preferredLanguage, openCases))

/// The caller's outputs struct for variant B: members bind "Flow.<member>".
struct variant_b_outputs {
    std::optional<customer_profile> CustomerProfile;
    std::optional<gcx::external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(variant_b_outputs, (), (CustomerProfile, externalContact))

/// docs/genesys-api.md section 9.5, variant B, as the server sends it (compact).
inline const std::string& variant_b_execution() {
    static const std::string doc =
        R"({"id":"c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10","status":"COMPLETED","dateLaunched":"2026-05-20T14:03:11.204Z",)"
        R"("dateCompleted":"2026-05-20T14:03:12.301Z","completionReason":"Success","flowVersion":{"id":"3.0","name":"3.0"},)"
        R"("outputData":{"Flow.CustomerProfile":"{\"customerId\":\"CRM-100482\",\"segment\":\"Gold\",\"preferredLanguage\":\"de-DE\",\"openCases\":2}",)"
        R"("Flow.externalContact":{"id":"8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b","firstName":"Maria","lastName":"Schmidt",)"
        R"("cellPhone":{"display":"+1 317-555-0123","e164":"+13175550123","countryCode":"1","acceptsSMS":true},)"
        R"("workEmail":"maria.schmidt@example.com","type":"Curated"}},)"
        R"("selfUri":"/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"})";
    return doc;
}

// ---- large -------------------------------------------------------------------------------------

/// A 50-field customer profile: strings, integers, floating point, booleans, optionals.
struct large_profile {
    std::string customerId, accountNumber, segment, tier, status, preferredLanguage, preferredChannel, timezone;
    std::string firstName, lastName, email, mobile, homePhone, street, city, state, postalCode, country;
    std::string accountManager, region;
    std::int64_t openCases, closedCases, ordersLastYear, ordersTotal, loyaltyPoints, npsScore, tenureMonths,
        contractsActive, devicesRegistered, failedPayments;
    double lifetimeValue, averageOrderValue, creditLimit, balance, churnRisk, satisfaction;
    bool vip, marketingOptIn, smsOptIn, emailOptIn, autopay, paperless, fraudFlag, hasOpenComplaint;
    std::optional<std::string> companyName, jobTitle, lastOrderDate, lastContactDate, nextRenewalDate, notes;
};
BOOST_DESCRIBE_STRUCT(large_profile, (),
                      (customerId, accountNumber, segment, tier, status, preferredLanguage, preferredChannel, timezone,
                       firstName, lastName, email, mobile, homePhone, street, city, state, postalCode, country,
                       accountManager, region, openCases, closedCases, ordersLastYear, ordersTotal, loyaltyPoints,
                       npsScore, tenureMonths, contractsActive, devicesRegistered, failedPayments, lifetimeValue,
                       averageOrderValue, creditLimit, balance, churnRisk, satisfaction, vip, marketingOptIn, smsOptIn,
                       emailOptIn, autopay, paperless, fraudFlag, hasOpenComplaint, companyName, jobTitle,
                       lastOrderDate, lastContactDate, nextRenewalDate, notes))

/// The caller's outputs struct for the large execution.
struct large_outputs {
    bool Found = false;
    std::int64_t MatchCount = 0;
    large_profile CustomerProfile;
    std::vector<gcx::external_contact> Contacts;
};
BOOST_DESCRIBE_STRUCT(large_outputs, (), (Found, MatchCount, CustomerProfile, Contacts))

namespace detail {
inline std::string contact_json(int i) {
    char num[8];
    std::snprintf(num, sizeof num, "%04d", i);
    const std::string n = num;
    const std::string id = "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f" + n.substr(0, 4) + "0000";
    return R"({"id":")" + id +
           R"(","division":{"id":"e1d2c3b4-a5f6-4789-8abc-def012345678","name":"Home",)"
           R"("selfUri":"/api/v2/authorization/divisions/e1d2c3b4-a5f6-4789-8abc-def012345678"},)"
           R"("firstName":"Maria)" +
           n +
           R"(","lastName":"Schmidt","title":"Purchasing Manager",)"
           R"("cellPhone":{"display":"+1 317-555-)" +
           n + R"(","acceptsSMS":true,"userInput":"317555)" + n + R"(","e164":"+1317555)" + n +
           R"(","countryCode":"1"},)"
           R"("workPhone":{"display":"+1 317-555-0199","extension":204,"userInput":"+1 317 555 0199","e164":"+13175550199","countryCode":"1"},)"
           R"("workEmail":"maria.schmidt.)" +
           n +
           R"(@example.com",)"
           R"("address":{"address1":"100 Main St","address2":"Suite 400","city":"Indianapolis","state":"IN","postalCode":"46204","countryCode":"US"},)"
           R"("externalOrganization":{"id":"0f9e8d7c-6b5a-4432-9876-543210fedcba","name":"Acme Corp",)"
           R"("selfUri":"/api/v2/externalcontacts/organizations/0f9e8d7c-6b5a-4432-9876-543210fedcba"},)"
           R"("surveyOptOut":false,"customFields":{"tier_text":"Gold"},"type":"Curated",)"
           R"("createDate":"2024-02-11T09:15:00.000Z","modifyDate":"2026-04-02T16:41:27.512Z",)"
           R"("selfUri":"/api/v2/externalcontacts/contacts/)" +
           id + R"("})";
}

inline std::string profile_json() {
    std::string p = "{";
    // "k":"v" when `quoted`, else "k":v (v a number or a literal).
    auto member = [&p](const char* k, const char* v, bool quoted) {
        if (p.size() > 1) p += ',';
        p += '"';
        p += k;
        p += quoted ? "\":\"" : "\":";
        p += v;
        if (quoted) p += '"';
    };
    auto str = [&member](const char* k, const char* v) { member(k, v, true); };
    auto raw = [&member](const char* k, const char* v) { member(k, v, false); };
    str("customerId", "CRM-100482"), str("accountNumber", "ACC-0042-7781-19"), str("segment", "Gold");
    str("tier", "Platinum"), str("status", "active"), str("preferredLanguage", "de-DE");
    str("preferredChannel", "voice"), str("timezone", "Europe/Berlin"), str("firstName", "Maria");
    str("lastName", "Schmidt"), str("email", "maria.schmidt@example.com"), str("mobile", "+13175550123");
    str("homePhone", "+13175550188"), str("street", "100 Main St"), str("city", "Indianapolis");
    str("state", "IN"), str("postalCode", "46204"), str("country", "US"), str("accountManager", "Jonas Weber");
    str("region", "NA-Central");
    raw("openCases", "2"), raw("closedCases", "17"), raw("ordersLastYear", "12"), raw("ordersTotal", "148");
    raw("loyaltyPoints", "48210"), raw("npsScore", "9"), raw("tenureMonths", "77"), raw("contractsActive", "3");
    raw("devicesRegistered", "5"), raw("failedPayments", "0");
    raw("lifetimeValue", "18422.75"), raw("averageOrderValue", "124.47"), raw("creditLimit", "5000.0");
    raw("balance", "-12.5"), raw("churnRisk", "0.083"), raw("satisfaction", "4.6");
    raw("vip", "true"), raw("marketingOptIn", "false"), raw("smsOptIn", "true"), raw("emailOptIn", "true");
    raw("autopay", "true"), raw("paperless", "false"), raw("fraudFlag", "false"), raw("hasOpenComplaint", "false");
    str("companyName", "Acme Corp"), str("jobTitle", "Purchasing Manager"), str("lastOrderDate", "2026-04-30");
    str("lastContactDate", "2026-05-02T10:11:12.000Z"), raw("nextRenewalDate", "null");
    str("notes", "Prefers a call back in the afternoon; speaks German and English.");
    p += '}';
    return p;
}
}  // namespace detail

/// A COMPLETED execution whose outputData holds a 50-field profile and 25 contacts.
inline const std::string& large_execution() {
    static const std::string doc = [] {
        std::string contacts = "[";
        for (int i = 0; i < 25; ++i) {
            if (i) contacts += ',';
            contacts += detail::contact_json(i);
        }
        contacts += ']';
        return R"({"id":"c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10","name":"gcx-lookup-0123456789abcdef",)"
               R"("flowVersion":{"id":"3.0","name":"3.0","commitVersion":"3.0","configurationVersion":"3.0","type":"WORKFLOW",)"
               R"("secure":false,"debug":false,"selfUri":"/api/v2/flows/4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33/versions/3.0"},)"
               R"("dateLaunched":"2026-05-20T14:03:11.204Z","status":"COMPLETED","dateCompleted":"2026-05-20T14:03:12.301Z",)"
               R"("completionReason":"Success","outputData":{"Flow.Found":true,"Flow.MatchCount":25,)"
               R"("Flow.CustomerProfile":)" +
               detail::profile_json() + R"(,"Flow.Contacts":)" + contacts +
               R"(},"selfUri":"/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"})";
    }();
    return doc;
}

// ---- the other answers of a lookup -------------------------------------------------------------

inline const std::string& token_answer() {
    static const std::string doc =
        R"({"access_token":"kX1pQ7rT0vW2yZ4bD6fH8jL0nP2rT4vX6zB8dF0hJ2lN4pR6tV8xZ0bD2fH4jL6n","token_type":"bearer","expires_in":86400})";
    return doc;
}

/// docs/genesys-api.md section 9.3.
inline const std::string& launch_answer() {
    static const std::string doc =
        R"({"id":"c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10","name":"customer-lookup +13175550123",)"
        R"("flowVersion":{"id":"3.0","name":"3.0","selfUri":"/api/v2/flows/4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33/versions/3.0"},)"
        R"("selfUri":"/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10"})";
    return doc;
}

}  // namespace bench

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#endif
