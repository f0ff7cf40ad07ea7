// error_from_response (gcx/api_error.hpp): a non-2xx Genesys answer becomes a gcx::error with the
// right kind, the server's code and correlation id, clipped text and a hint for the call it
// answered (docs/genesys-api.md 2, 4.1-4.4). Every test runs on each JSON backend.
#include <gcx/api_error.hpp>
#include <gcx/json/boost_json.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_api_error {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

using gcx::errc;
using gcx::operation;

namespace {

gcx::http::response answer(int status, std::string body, gcx::http::headers h = {}) {
    gcx::http::response r;
    r.status = status;
    r.body = std::move(body);
    r.fields = std::move(h);
    return r;
}

/// An ErrorBody as Genesys sends it (docs/genesys-api.md 4.1, 9.7).
gcx::http::response error_body(int status, const std::string& code, const std::string& message,
                               const std::string& context_id = "ctx-1", gcx::http::headers h = {}) {
    return answer(status,
                  R"({"message":")" + message + R"(","code":")" + code + R"(","status":)" + std::to_string(status) +
                      R"(,"contextId":")" + context_id + R"(","details":[],"errors":[]})",
                  std::move(h));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEMPLATE_LIST_TEST_CASE("api_error: each API status maps to the kind a caller acts on", "[api_error]", backends) {
    using J = TestType;
    struct row {
        int status;
        errc kind;
    };
    const row rows[] = {
        {400, errc::bad_request}, {401, errc::auth},        {403, errc::permission},  {404, errc::not_found},
        {415, errc::bad_request}, {418, errc::bad_request}, {422, errc::bad_request}, {429, errc::rate_limited},
        {500, errc::server},      {502, errc::server},      {503, errc::server},      {504, errc::server},
    };
    for (auto op : {operation::launch, operation::poll, operation::direct_lookup}) {
        for (const auto& x : rows) {
            CAPTURE(gcx::to_string(op), x.status);
            auto e = gcx::error_from_response<J>(error_body(x.status, "some.code", "Some message."), op);
            CHECK(e.kind == x.kind);
            CHECK(e.http_status == x.status);
            CHECK(e.code == "some.code");
            CHECK(e.message == "Some message.");
            CHECK(e.correlation_id == "ctx-1");
            CHECK_FALSE(e.hint.empty());
        }
    }
}

TEMPLATE_LIST_TEST_CASE("api_error: a 403 names the permission the call needs", "[api_error]", backends) {
    using J = TestType;
    auto body = error_body(403, "missing.any.permissions", "Unable to perform the requested action.");
    CHECK(contains(gcx::error_from_response<J>(body, operation::launch).hint, "architect:flow:launch"));
    CHECK(contains(gcx::error_from_response<J>(body, operation::poll).hint, "architect:flowExecution:view"));
    CHECK(contains(gcx::error_from_response<J>(body, operation::direct_lookup).hint, "externalContacts:contact:view"));
    CHECK(std::string(gcx::required_permission(operation::token)).empty());
}

TEMPLATE_LIST_TEST_CASE("api_error: hints differ by call where the cause does", "[api_error]", backends) {
    using J = TestType;
    auto launch404 = gcx::error_from_response<J>(error_body(404, "not.found", "Not found."), operation::launch);
    auto poll404 = gcx::error_from_response<J>(error_body(404, "not.found", "Not found."), operation::poll);
    CHECK(contains(launch404.hint, "TARGET_FLOW_ID"));
    CHECK(contains(poll404.hint, "execution"));
    auto launch400 = gcx::error_from_response<J>(error_body(400, "invalid.value", "Bad value."), operation::launch);
    auto poll400 = gcx::error_from_response<J>(error_body(400, "invalid.value", "Bad value."), operation::poll);
    CHECK(contains(launch400.hint, "Input to flow"));
    CHECK_FALSE(contains(poll400.hint, "Input to flow"));
    auto e415 = gcx::error_from_response<J>(error_body(415, "unsupported.media.type", "No."), operation::launch);
    CHECK(contains(e415.hint, "Content-Type"));
    auto e429 =
        gcx::error_from_response<J>(error_body(429, "too.many.requests.retry.after", "Slow down."), operation::poll);
    CHECK(contains(e429.hint, "300 requests per minute"));
}

TEMPLATE_LIST_TEST_CASE("api_error: token endpoint answers are read in the OAuth shape", "[api_error]", backends) {
    using J = TestType;
    const std::string bad_client =
        R"({"error":"invalid_client","description":"client not found","error_description":"client not found"})";
    for (int s : {400, 401, 403}) {
        CAPTURE(s);
        auto e = gcx::error_from_response<J>(answer(s, bad_client), operation::token);
        CHECK(e.kind == errc::auth);
        CHECK(e.code == "invalid_client");
        CHECK(e.message == "client not found");
        CHECK(contains(e.hint, "GENESYS_CLIENT_ID"));
    }
    // Only `description`: used when `error_description` is absent.
    auto d = gcx::error_from_response<J>(
        answer(401, R"({"error":"invalid_client","description":"authentication failed"})"), operation::token);
    CHECK(d.message == "authentication failed");

    auto s500 = gcx::error_from_response<J>(answer(500, R"({"error":"server_error"})"), operation::token);
    CHECK(s500.kind == errc::server);
    auto s429 = gcx::error_from_response<J>(answer(429, "{}"), operation::token);
    CHECK(s429.kind == errc::rate_limited);
    auto s418 = gcx::error_from_response<J>(answer(418, "{}"), operation::token);
    CHECK(s418.kind == errc::auth);
}

TEMPLATE_LIST_TEST_CASE("api_error: the token-creation rate limit is rate_limited, not bad credentials", "[api_error]",
                        backends) {
    using J = TestType;
    auto e = gcx::error_from_response<J>(
        answer(
            400,
            R"({"error":"invalid_request","description":"rate limit exceeded; retry later","error_description":"rate limit exceeded; retry later"})"),
        operation::token);
    CHECK(e.kind == errc::rate_limited);
    CHECK(e.code == "invalid_request");
    // The same text on another status, or another error code, is not that limit.
    CHECK(gcx::is_token_rate_limit(400, "invalid_request", "rate limit exceeded; retry later"));
    CHECK_FALSE(gcx::is_token_rate_limit(401, "invalid_request", "rate limit exceeded; retry later"));
    CHECK_FALSE(gcx::is_token_rate_limit(400, "invalid_client", "rate limit exceeded; retry later"));
    CHECK_FALSE(gcx::is_token_rate_limit(400, "invalid_request", "rate limit"));
    auto other = gcx::error_from_response<J>(
        answer(400, R"({"error":"invalid_request","error_description":"grant_type missing"})"), operation::token);
    CHECK(other.kind == errc::auth);
}

TEMPLATE_LIST_TEST_CASE("api_error: the correlation id comes from the header first, then contextId", "[api_error]",
                        backends) {
    using J = TestType;
    auto both = gcx::error_from_response<J>(
        error_body(500, "internal.server.error", "Oops.", "from-body", {{"ININ-Correlation-Id", "from-header"}}),
        operation::poll);
    CHECK(both.correlation_id == "from-header");
    auto lower = gcx::error_from_response<J>(
        error_body(500, "internal.server.error", "Oops.", "from-body", {{"inin-correlation-id", "lower-case-header"}}),
        operation::poll);
    CHECK(lower.correlation_id == "lower-case-header");
    auto body_only =
        gcx::error_from_response<J>(error_body(500, "internal.server.error", "Oops.", "from-body"), operation::poll);
    CHECK(body_only.correlation_id == "from-body");
    auto html = gcx::error_from_response<J>(answer(502, "<html>Bad Gateway</html>", {{"ININ-Correlation-Id", "gw-1"}}),
                                            operation::poll);
    CHECK(html.correlation_id == "gw-1");
}

TEMPLATE_LIST_TEST_CASE("api_error: a body that is not a JSON object still gives a typed error", "[api_error]",
                        backends) {
    using J = TestType;
    auto html = gcx::error_from_response<J>(answer(502, "<html><body>Bad Gateway</body></html>"), operation::launch);
    CHECK(html.kind == errc::server);
    CHECK(html.code.empty());
    CHECK(html.message == "flow launch failed with HTTP 502 and a non-JSON body");
    auto empty = gcx::error_from_response<J>(answer(503, ""), operation::poll);
    CHECK(empty.message == "execution poll failed with HTTP 503");
    auto array = gcx::error_from_response<J>(answer(400, R"(["not","an","object"])"), operation::direct_lookup);
    CHECK(array.kind == errc::bad_request);
    CHECK(contains(array.message, "non-JSON"));
    auto cut = gcx::error_from_response<J>(answer(500, R"({"message":"trunc)"), operation::poll);
    CHECK(cut.kind == errc::server);
    CHECK(contains(cut.message, "non-JSON"));
    // An object without message or code: the generic message, no code.
    auto bare = gcx::error_from_response<J>(answer(404, "{}"), operation::poll);
    CHECK(bare.message == "execution poll failed with HTTP 404");
    CHECK(bare.kind == errc::not_found);
}

TEST_CASE("api_error: clipped text never ends inside a UTF-8 character") {
    // 299 ASCII bytes, then a 2-byte, a 3-byte and a 4-byte character straddling the 300-byte cut.
    for (const std::string ch : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
        CAPTURE(ch.size());
        const std::string s = std::string(299, 'a') + ch + "tail";
        CHECK(gcx::detail::clip(s) == std::string(299, 'a') + "...");
        const std::string fits = std::string(300 - ch.size(), 'a') + ch + "tail";
        CHECK(gcx::detail::clip(fits) == fits.substr(0, 300) + "...");
    }
    CHECK(gcx::detail::clip(std::string(400, '\x80')) == "...");  // no character starts anywhere
    CHECK(gcx::detail::clip("M\xC3\xBCller") == "M\xC3\xBCller");
}

TEMPLATE_LIST_TEST_CASE("api_error: server text is clipped and loses its control characters", "[api_error]", backends) {
    using J = TestType;
    const std::string long_message(1000, 'm');
    const std::string long_code(500, 'c');
    const std::string long_context(500, 'x');
    auto e = gcx::error_from_response<J>(error_body(400, long_code, long_message, long_context), operation::poll);
    CHECK(e.message == std::string(300, 'm') + "...");
    CHECK(e.code == std::string(128, 'c') + "...");
    CHECK(e.correlation_id == std::string(128, 'x') + "...");

    auto ctl = gcx::error_from_response<J>(
        error_body(400, "bad\\ncode", "line one\\nline two\\tand\\u0001more", "id\\r\\n2"), operation::poll);
    CHECK(ctl.message == "line one line two and more");
    CHECK(ctl.code == "bad code");
    CHECK(ctl.correlation_id == "id  2");
    // Exactly at the limit: kept whole, no "..." added.
    auto exact = gcx::error_from_response<J>(error_body(400, "c", std::string(300, 'k')), operation::poll);
    CHECK(exact.message == std::string(300, 'k'));
}

TEMPLATE_LIST_TEST_CASE("api_error: Retry-After is kept in whole seconds, rounded up", "[api_error]", backends) {
    using J = TestType;
    auto secs =
        gcx::error_from_response<J>(error_body(429, "too.many.requests.retry.after",
                                               "Retry the request in [42] seconds", "c", {{"Retry-After", "42"}}),
                                    operation::launch);
    CHECK(secs.kind == errc::rate_limited);
    CHECK(secs.retry_after_seconds == 42);
    auto none = gcx::error_from_response<J>(error_body(429, "too.many.requests", "Slow down."), operation::launch);
    CHECK(none.retry_after_seconds == -1);
    auto junk = gcx::error_from_response<J>(
        error_body(429, "too.many.requests", "Slow down.", "c", {{"Retry-After", "soon"}}), operation::launch);
    CHECK(junk.retry_after_seconds == -1);
    auto on_503 = gcx::error_from_response<J>(
        error_body(503, "service.unavailable", "Busy.", "c", {{"Retry-After", "5"}}), operation::poll);
    CHECK(on_503.kind == errc::server);
    CHECK(on_503.retry_after_seconds == 5);
    // two of them (or merged ones): the longest
    auto two = gcx::error_from_response<J>(error_body(429, "too.many.requests.retry.after", "Slow down.", "c",
                                                      {{"Retry-After", "1"}, {"Retry-After", "3600"}}),
                                           operation::launch);
    CHECK(two.retry_after_seconds == 3600);
}

TEMPLATE_LIST_TEST_CASE("api_error: 422 reads as 400, every status from 500 up as a server failure, and a data "
                        "action has hints of its own",
                        "[api_error]", backends) {
    using J = TestType;
    auto hint = [](int status, operation op) {
        return gcx::error_from_response<J>(error_body(status, "some.code", "Some message."), op).hint;
    };
    CHECK(hint(422, operation::launch) == hint(400, operation::launch));
    CHECK(hint(422, operation::poll) == hint(400, operation::poll));
    for (int status : {500, 501, 599, 600, 999}) {
        CAPTURE(status);
        auto e = gcx::error_from_response<J>(error_body(status, "some.code", "Some message."), operation::poll);
        CHECK(e.kind == errc::server);
        CHECK(e.hint == hint(500, operation::poll));
        CHECK(contains(hint(status, operation::data_action), "data_action_options::idempotent"));
    }
    CHECK(contains(hint(400, operation::data_action), "input contract"));
    CHECK(contains(hint(404, operation::data_action), "GCX_ACTION_ID"));
    CHECK(contains(hint(403, operation::data_action), "integrations:action:execute"));
    CHECK(hint(404, operation::direct_lookup) == "no such resource");
    for (int status : {405, 409, 418}) {
        CAPTURE(status);
        auto e = gcx::error_from_response<J>(error_body(status, "some.code", "Some message."), operation::launch);
        CHECK(e.kind == errc::bad_request);
        CHECK(e.hint == "unexpected HTTP status");
    }
}

TEST_CASE("api_error: every operation has a name for messages") {
    for (auto op : {operation::token, operation::launch, operation::poll, operation::direct_lookup}) {
        CAPTURE(static_cast<int>(op));
        CHECK(std::string(gcx::to_string(op)) != "request");
    }
}

TEMPLATE_LIST_TEST_CASE(
    "api_error: a 3xx is the server's protocol error (code redirect) with the URL to check, on every call",
    "[api_error]", backends) {
    using J = TestType;
    for (auto op : {operation::token, operation::launch, operation::poll, operation::direct_lookup}) {
        for (int status : {300, 301, 302, 303, 304, 307, 308}) {
            INFO(to_string(op) << " " << status);
            auto e =
                gcx::error_from_response<J>(answer(status, R"({"error":"invalid_client","code":"bad.credentials"})",
                                                   {{"Location", "https://x.example/\r\nY"}}),
                                            op);
            CHECK(e.kind == errc::protocol);
            CHECK(e.code == gcx::codes::redirect);
            CHECK(e.http_status == status);
            CHECK(e.message.find("https://x.example/") != std::string::npos);
            CHECK(e.describe().find('\n') == std::string::npos);
            CHECK(e.hint.find(op == operation::token ? "login URL" : "API URL") != std::string::npos);
        }
    }
}

TEMPLATE_LIST_TEST_CASE("api_error: a correlation id header is clipped and single-line even when the body is not JSON",
                        "[api_error]", backends) {
    using J = TestType;
    auto e = gcx::error_from_response<J>(
        answer(502, "<html>bad gateway</html>", {{"ININ-Correlation-Id", std::string(1 << 20, 'c') + "\nforged"}}),
        operation::launch);
    CHECK(e.correlation_id.size() <= 131);
    CHECK(e.describe().size() < 1000);
}

TEMPLATE_LIST_TEST_CASE("api_error: a Retry-After of 13 digits or 1e9 is kept as a long wait, not dropped as junk",
                        "[api_error]", backends) {
    using J = TestType;
    for (const char* ra : {"9999999999999", "1e9"}) {
        INFO(ra);
        auto e = gcx::error_from_response<J>(
            error_body(429, "too.many.requests", "Slow down.", "c", {{"Retry-After", ra}}), operation::launch);
        CHECK(e.retry_after_seconds == 400 * 24 * 3600);
    }
}
}  // namespace unit_api_error
