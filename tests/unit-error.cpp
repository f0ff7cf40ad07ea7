// gcx::error (gcx/error.hpp): the one error type — its one-line describe(), the kinds, scrubbing
// of echoed secrets, and which transport failures are permanent.
#include <gcx/error.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_error {

using gcx::errc;

namespace {

const std::string secret_text = "S3cr3t-Do-Not-Print-7f1c";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("error: describe() is kind, message, the facts present, then the hint") {
    gcx::error e = gcx::make_error(errc::permission, "flow launch refused", "assign architect:flow:launch");
    e.http_status = 403;
    e.code = "missing.any.permissions";
    e.correlation_id = "3c2b1a0f";
    e.execution_id = "c0a8012e";
    CHECK(e.describe() ==
          "permission: flow launch refused (HTTP 403, code missing.any.permissions, execution c0a8012e, "
          "correlation id 3c2b1a0f) - assign architect:flow:launch");

    gcx::error m = gcx::make_error(errc::mapping, "expected a string, found a number");
    m.path = R"(outputData["Flow.ContactId"])";
    CHECK(m.describe() == R"(mapping: expected a string, found a number (path outputData["Flow.ContactId"]))");
}

TEST_CASE("error: describe() leaves out what is absent") {
    CHECK(gcx::make_error(errc::timeout, "the lookup deadline passed").describe() ==
          "timeout: the lookup deadline passed");
    CHECK(gcx::make_error(errc::config, "GENESYS_CLIENT_ID is not set", "create an OAuth client").describe() ==
          "config: GENESYS_CLIENT_ID is not set - create an OAuth client");
    gcx::error e;  // a default error: protocol, nothing else
    CHECK(e.describe() == "protocol: ");
    CHECK(e.http_status == 0);
    CHECK(e.retry_after_seconds == -1);
    CHECK(e.sent == gcx::delivery::maybe);
}

TEST_CASE("error: describe() is one line whatever a server put in its fields") {
    gcx::error e = gcx::make_error(errc::server, "oops\nFAKE LOG LINE\r\n", "retry\tlater");
    e.code = "x\ny";
    e.correlation_id = std::string("a\0b", 3);
    e.execution_id = "id\x7f";
    const std::string d = e.describe();
    CHECK(d.find('\n') == std::string::npos);
    CHECK(d.find('\r') == std::string::npos);
    CHECK(d.find('\t') == std::string::npos);
    CHECK(d.find('\0') == std::string::npos);
    CHECK(d.find('\x7f') == std::string::npos);
    CHECK(contains(d, "oops FAKE LOG LINE"));
    // The fields themselves are left as they were: describe() only renders.
    CHECK(e.message == "oops\nFAKE LOG LINE\r\n");
}

TEST_CASE("error: every kind has its own name") {
    const errc all[] = {errc::config,      errc::invalid_input, errc::transport,   errc::timeout,      errc::auth,
                        errc::permission,  errc::not_found,     errc::bad_request, errc::rate_limited, errc::server,
                        errc::flow_failed, errc::mapping,       errc::protocol};
    std::set<std::string> names;
    for (auto k : all) {
        std::string n = gcx::to_string(k);
        CHECK(n != "unknown");
        names.insert(n);
    }
    CHECK(names.size() == sizeof(all) / sizeof(all[0]));
    CHECK(std::string(gcx::to_string(errc::rate_limited)) == "rate_limited");
}

TEST_CASE("error: redact() replaces an echoed secret in every text field") {
    gcx::error e = gcx::make_error(errc::auth, "client " + secret_text + " refused", "secret was " + secret_text);
    e.code = secret_text;
    e.path = "x." + secret_text;
    e.correlation_id = secret_text + secret_text;
    gcx::detail::redact(e, secret_text);
    for (const std::string* s : {&e.message, &e.hint, &e.code, &e.path, &e.correlation_id}) {
        CAPTURE(*s);
        CHECK_FALSE(contains(*s, secret_text));
        CHECK(contains(*s, "[REDACTED]"));
    }
    CHECK(e.message == "client [REDACTED] refused");
    CHECK(e.correlation_id == "[REDACTED][REDACTED]");
}

TEST_CASE("error: redact() also removes a secret cut short by the clipping of server text") {
    // A server message clipped to its limit ends in "..." and may end inside the secret.
    gcx::error e = gcx::make_error(errc::bad_request, "value was " + secret_text.substr(0, 9) + "...");
    gcx::detail::redact(e, secret_text);
    CHECK(e.message == "value was [REDACTED]...");
    // Fewer than 4 characters of it: ordinary text, left alone.
    gcx::error short_tail = gcx::make_error(errc::bad_request, "value was S3c...");
    gcx::detail::redact(short_tail, secret_text);
    CHECK(short_tail.message == "value was S3c...");
    // Not clipped (no "..."): a prefix of the secret is not touched.
    gcx::error no_cut = gcx::make_error(errc::bad_request, "value was " + secret_text.substr(0, 9));
    gcx::detail::redact(no_cut, secret_text);
    CHECK(no_cut.message == "value was " + secret_text.substr(0, 9));
}

TEST_CASE("error: redact() ignores needles too short to be secrets") {
    gcx::error e = gcx::make_error(errc::server, "abc at abc");
    gcx::detail::redact(e, "abc");
    CHECK(e.message == "abc at abc");
    gcx::detail::redact(e, "");
    CHECK(e.message == "abc at abc");
    gcx::detail::redact(e, "abc ", "<x>");  // 4 characters: replaced, with the replacement given
    CHECK(e.message == "<x>at abc");
}

TEST_CASE("error: a refused certificate, an oversized answer and a refused request are permanent") {
    auto coded = [](errc kind, const char* code) {
        gcx::error e = gcx::make_error(kind, "x");
        e.code = code;
        return e;
    };
    CHECK(gcx::detail::is_permanent_transport_failure(coded(errc::transport, "certificate")));
    CHECK(gcx::detail::is_permanent_transport_failure(coded(errc::transport, "too_large")));
    CHECK(gcx::detail::is_permanent_transport_failure(coded(errc::config, "")));
    CHECK(gcx::detail::is_permanent_transport_failure(coded(errc::invalid_input, "bad_header")));
    // What another try may fix.
    CHECK_FALSE(gcx::detail::is_permanent_transport_failure(coded(errc::transport, "connect")));
    CHECK_FALSE(gcx::detail::is_permanent_transport_failure(coded(errc::transport, "tls")));
    CHECK_FALSE(gcx::detail::is_permanent_transport_failure(coded(errc::transport, "receive")));
    CHECK_FALSE(gcx::detail::is_permanent_transport_failure(coded(errc::timeout, "timeout")));
}

TEST_CASE("error: make_error sets kind, message and hint, nothing else") {
    auto e = gcx::make_error(errc::invalid_input, "not an E.164 number", "start with + and the country code");
    CHECK(e.kind == errc::invalid_input);
    CHECK(e.message == "not an E.164 number");
    CHECK(e.hint == "start with + and the country code");
    CHECK(e.code.empty());
    CHECK(e.http_status == 0);
    CHECK(e.execution_id.empty());
}

}  // namespace unit_error
