// include/gcx/credential_scrub.hpp: which texts are a call's credentials (its token, every OAuth
// client's secret and Basic credential), and that none of them is left in an error or a text
// after scrubbing. unit-call checks the same through an api_call answering an echoing server.
#include <gcx/credential_scrub.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_credential_scrub {

namespace {

const std::string token = "TOKEN-must-stay-hidden-91ab";
const std::string main_id = "main-client-id";
const std::string main_secret = "Main-S3cr3t-7f1c";
const std::string extra_id = "extra-client-id";
const std::string extra_secret = "Extra-S3cr3t-22d0";

gcx::client_config two_clients() {
    gcx::client_config c;
    c.client_id = main_id;
    c.client_secret = gcx::secret(main_secret);
    c.extra_credentials.push_back({extra_id, gcx::secret(extra_secret)});
    return c;
}

std::vector<std::string> named(const gcx::client_config& c, const gcx::secret& tok) {
    std::vector<std::string> out;
    gcx::detail::for_each_credential(c, tok, [&out](std::string_view s) { out.emplace_back(s); });
    return out;
}

std::string basic(const std::string& id, const std::string& secret) { return gcx::detail::base64(id + ":" + secret); }

}  // namespace

TEST_CASE("credential_scrub: names the token, then each client's secret and Basic credential") {
    const auto c = two_clients();
    CHECK(named(c, gcx::secret(token)) == std::vector<std::string>{token, main_secret, basic(main_id, main_secret),
                                                                   extra_secret, basic(extra_id, extra_secret)});
    // No token yet (or none any more): only the clients' credentials.
    CHECK(named(c, gcx::secret()) == std::vector<std::string>{main_secret, basic(main_id, main_secret), extra_secret,
                                                              basic(extra_id, extra_secret)});
}

TEST_CASE("credential_scrub: an error that echoes any credential in any of its texts keeps none") {
    const auto c = two_clients();
    gcx::error e = gcx::make_error(gcx::errc::bad_request, "invalid token " + token + " for this request",
                                   "secret " + main_secret + " was sent");
    e.code = "basic-" + basic(main_id, main_secret);
    e.path = "/api/v2/things/" + extra_secret;
    e.correlation_id = basic(extra_id, extra_secret);
    e.execution_id = "exec-" + token;
    gcx::detail::scrub_credentials(e, c, gcx::secret(token));
    for (const std::string& cred : named(c, gcx::secret(token)))
        for (const std::string* s : {&e.message, &e.hint, &e.code, &e.path, &e.correlation_id, &e.execution_id}) {
            CAPTURE(cred, *s);
            CHECK(s->find(cred) == std::string::npos);
        }
    CHECK(e.message == "invalid token [REDACTED] for this request");
    CHECK(e.hint == "secret [REDACTED] was sent");
    CHECK(e.path == "/api/v2/things/[REDACTED]");
    CHECK(e.correlation_id == "[REDACTED]");
    CHECK(e.execution_id == "exec-[REDACTED]");
}

TEST_CASE("credential_scrub: a text outside an error is scrubbed the same way, a cut-off credential too") {
    const auto c = two_clients();
    std::string text = "id " + extra_secret + " and " + basic(main_id, main_secret);
    gcx::detail::scrub_credentials(text, c, gcx::secret(token));
    CHECK(text == "id [REDACTED] and [REDACTED]");
    // A server text cut to length ends in "..." and may stop inside the token.
    std::string cut = "echo " + token.substr(0, 10) + "...";
    gcx::detail::scrub_credentials(cut, c, gcx::secret(token));
    CHECK(cut == "echo [REDACTED]...");
    // Without the token handed in, the token is not known and stays; the secrets still go.
    std::string no_token = token + " " + main_secret;
    gcx::detail::scrub_credentials(no_token, c, gcx::secret());
    CHECK(no_token == token + " [REDACTED]");
}

TEST_CASE("credential_scrub: a cut-off credential is scrubbed where words follow the cut, as after retries") {
    // explain_stop adds " (after 5 retries)" after the server's text was cut: the cut-off tail
    // of an echoed token once survived, 10 of its characters.
    const auto c = two_clients();
    std::string text = "echo " + token.substr(0, 10) + "... (after 5 retries)";
    gcx::detail::scrub_credentials(text, c, gcx::secret(token));
    CHECK(text == "echo [REDACTED]... (after 5 retries)");
}

TEST_CASE("credential_scrub: the number looked up is scrubbed as sent, percent-encoded in a query, and as digits") {
    for (std::string text : {std::string("lookupVal=%2B13175550123&x=1"), std::string("lookupVal=%2b13175550123"),
                             std::string("\"+13175550123\""), std::string("for 13175550123 now"),
                             std::string("cut +131755501... (after 5 retries)")}) {
        CAPTURE(text);
        gcx::detail::redact_number(text, "+13175550123");
        CHECK(text.find("1317555") == std::string::npos);
        CHECK(text.find("[phone number]") != std::string::npos);
    }
    std::string other = "HTTP 503 after 2 retries";  // nothing of the number: unchanged
    gcx::detail::redact_number(other, "+13175550123");
    CHECK(other == "HTTP 503 after 2 retries");
}

TEST_CASE("credential_scrub: the number reformatted by a server (national, grouped) is scrubbed, other digits kept") {
    const std::pair<std::string, std::string> cases[] = {
        {"exec 3175550123 done", "exec [phone number] done"},
        {"call 317-555-0123.", "call [phone number]."},
        {"(317) 555 0123", "([phone number]"},
        {"tel:1.317.555.0123", "tel:[phone number]"},
        {"555-0123 and 5550123", "[phone number] and [phone number]"},
        {"id 6f1c0a2e-5550-4123-9d0b-2c3e4f5a6b7c", "id 6f1c0a2e-5550-4123-9d0b-2c3e4f5a6b7c"},  // 55504123: not it
        {"case 12345678, HTTP 404", "case 12345678, HTTP 404"},
        {"555 0124", "555 0124"},
        {"caller 317 - 555 - 0123", "caller [phone number]"},
        {"no flow for 317-555-012...", "no flow for [phone number]..."},  // cut by clip
        {"(317) 555...", "([phone number]..."},
        {"HTTP 404...", "HTTP 404..."},             // 3 digits: not a part of the number worth hiding
        {"order 1317555", "order [phone number]"},  // 7 of its digits in a row
        // Grouped with other separators (before: each kept as it was)
        {"+1\xc2\xa0"
         "317\xc2\xa0"
         "555\xc2\xa0"
         "0123 end",
         "+[phone number] end"},  // U+00A0
        {"+1\xe2\x80\xaf"
         "317\xe2\x80\xaf"
         "555 0123",
         "+[phone number]"},  // U+202F
        {"q=%2B1%20317%20555%200123&x=1", "q=%2B[phone number]&x=1"},
        {"+1_317_555_0123", "+[phone number]"},
        {"+1,317,555,0123", "+[phone number]"},
        {"+1%2D317%2d555%2D0123", "+[phone number]"},
        {"a%41317%41555%410123", "a%41317%41555%410123"},  // %41 is a letter: no separator
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text);
        std::string t = text;
        gcx::detail::redact_number(t, "+13175550123");
        CHECK(t == expected);
    }
    gcx::error e;
    e.execution_id = "exec-317-555-0123";
    e.message = "no contact for (317) 555-0123";
    gcx::detail::redact_number(e, "+13175550123");
    CHECK(e.execution_id == "exec-[phone number]");
    CHECK(e.message == "no contact for ([phone number]");
}

}  // namespace unit_credential_scrub
