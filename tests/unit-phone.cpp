// include/gcx/phone.hpp: E.164 numbers and flow ids, checked before any request.
#include <gcx/phone.hpp>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_phone {

TEST_CASE("phone: valid E.164 numbers pass unchanged") {
    for (const char* n : {"+13175550123", "+4930123456", "+12345678", "+123456789012345", "+447911123456", "+6834002",
                          "+6907290"}) {  // 7 digits: Niue, Tokelau (before: refused)
        auto r = gcx::normalize_e164(n);
        REQUIRE(r);
        CHECK(*r == n);
        CHECK(gcx::is_e164(n));
    }
}

TEST_CASE("phone: separators people type are removed") {
    CHECK(*gcx::normalize_e164("+1 (317) 555-0123") == "+13175550123");
    CHECK(*gcx::normalize_e164(" +49 30.123 456 ") == "+4930123456");
}

TEST_CASE("phone: invalid numbers are typed invalid_input errors") {
    for (const char* n : {"", "+", "3175550123", "+0123456789", "+123456", "+1234567890123456", "+1317555012a",
                          "++13175550123", "+1 317 + 555", "00493012345", "+1317555\n0123", "tel:+13175550123"}) {
        INFO(n);
        auto r = gcx::normalize_e164(n);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::invalid_input);
        CHECK(r.error().code == "phone");
        CHECK_FALSE(r.error().hint.empty());
        CHECK_FALSE(gcx::is_e164(n));
    }
}

TEST_CASE("phone: a bracketed trunk 0 is refused, not sent as another number") {
    // Kept, "+44 (0)20 7183 8750" would be +4402071838750: a valid-looking number that finds nothing.
    for (const char* n : {"+44 (0)20 7183 8750", "+44(0)2071838750", "+49 ( 0 ) 30 123456", "+44 (0) 20 7183 8750"}) {
        INFO(n);
        auto r = gcx::normalize_e164(n);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::invalid_input);
        CHECK(r.error().code == "phone");
        CHECK(r.error().message.find("(0)") != std::string::npos);
        CHECK(r.error().describe().find("7183") == std::string::npos);
    }
    CHECK(*gcx::normalize_e164("+1 (317) 555-0123") == "+13175550123");  // other brackets: separators
    CHECK(*gcx::normalize_e164("+1 (310) 555-0123") == "+13105550123");
}

TEST_CASE("phone: errors do not repeat the number") {
    auto r = gcx::normalize_e164("+9999999999999999999");
    REQUIRE_FALSE(r);
    CHECK(r.error().describe().find("9999999999") == std::string::npos);
}

TEST_CASE("phone: flow ids must be UUIDs") {
    CHECK(gcx::is_uuid("4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33"));
    CHECK(gcx::is_uuid("4F6D2E0A-9A3B-4C1E-8D59-0C2F5B7A1E33"));
    CHECK(gcx::validate_flow_id("4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33"));
    for (const char* id : {"", "customer-lookup", "4f6d2e0a9a3b4c1e8d590c2f5b7a1e33",
                           "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e3", "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33x",
                           "4f6d2e0a-9a3b-4c1e-8d59_0c2f5b7a1e33", "g f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e3"}) {
        INFO(id);
        auto v = gcx::validate_flow_id(id);
        REQUIRE_FALSE(v);
        CHECK(v.error().kind == gcx::errc::invalid_input);
    }
}

}  // namespace unit_phone
