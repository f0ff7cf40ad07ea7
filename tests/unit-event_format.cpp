// include/gcx/event_format.hpp: an event as one text line and as one JSON object: the members its
// kind uses and no others, in a fixed order, strings escaped so that any path stays one line.
#include <gcx/event_format.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace unit_event_format {

namespace {
gcx::event answered() {
    gcx::event e;
    e.kind = gcx::event_kind::request_answered;
    e.operation = gcx::operation::poll;
    e.method = "GET";
    e.path = "/api/v2/flows/executions/c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10";
    e.attempt = 2;
    e.status = 200;
    e.duration = gcx::milliseconds{41};
    e.correlation_id = "0d6a3b1c-1f2e-4a5b-8c9d-0e1f2a3b4c5d";
    return e;
}
}  // namespace

TEST_CASE("event_format: to_text writes the kind, then name=value for the members the kind uses") {
    CHECK(gcx::to_text(answered()) == "request_answered operation=poll method=GET path=/api/v2/flows/executions/"
                                      "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10 attempt=2 credential=0 status=200 ms=41 "
                                      "correlation_id=0d6a3b1c-1f2e-4a5b-8c9d-0e1f2a3b4c5d");
    gcx::event fin;
    fin.kind = gcx::event_kind::lookup_finished;
    fin.duration = gcx::milliseconds{812};
    fin.strategy = "flow";
    fin.source = "flow";
    fin.outcome = "ok";
    fin.requests = 3;
    fin.polls = 1;
    CHECK(gcx::to_text(fin) == "lookup_finished ms=812 strategy=flow source=flow outcome=ok requests=3 polls=1");
}

TEST_CASE("event_format: to_json is one JSON object with numbers as numbers") {
    const std::string line = gcx::to_json(answered());
    CHECK(line.find('\n') == std::string::npos);
    auto v = boost::json::parse(line).as_object();
    CHECK(v.at("event").as_string() == "request_answered");
    CHECK(v.at("operation").as_string() == "poll");
    CHECK(v.at("status").as_int64() == 200);
    CHECK(v.at("ms").as_int64() == 41);
    CHECK(v.at("attempt").as_int64() == 2);
    CHECK_FALSE(v.contains("reason"));
    CHECK_FALSE(v.contains("requests"));
}

TEST_CASE("event_format: quotes, backslashes, spaces and control characters stay inside one line") {
    gcx::event e = answered();
    e.path = "/a b\"c\\d\ne\x01\x7f";
    const std::string json = gcx::to_json(e);
    CHECK(json.find('\n') == std::string::npos);
    auto v = boost::json::parse(json).as_object();
    CHECK(v.at("path").as_string() == "/a b\"c\\d\ne\x01\x7f");
    const std::string text = gcx::to_text(e);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.find("path=\"/a b\\\"c\\\\d\\u000ae\\u0001\\u007f\"") != std::string::npos);
}

TEST_CASE("event_format: U+2028, U+2029 and C1 controls (NEL) are escaped: a server's text cannot forge a line") {
    gcx::event e = answered();
    e.path = "/api/v2/flows/executions/x\xE2\x80\xA8[ 0.5] lookup_finished\xE2\x80\xA9y\xC2\x85z\xC2\x9B"
             "31m";
    for (const std::string& line : {gcx::to_text(e), gcx::to_json(e)}) {
        CAPTURE(line);
        for (const char* raw : {"\xE2\x80\xA8", "\xE2\x80\xA9", "\xC2\x85", "\xC2\x9B"})
            CHECK(line.find(raw) == std::string::npos);
        CHECK(line.find("\\u2028") != std::string::npos);
        CHECK(line.find("\\u2029") != std::string::npos);
        CHECK(line.find("\\u0085") != std::string::npos);
        CHECK(line.find("\\u009b") != std::string::npos);
    }
    auto v = boost::json::parse(gcx::to_json(e)).as_object();
    CHECK(v.at("path").as_string() == e.path);  // the same text, read back
    e.path = "/api/v2/M\xC3\xBCller";           // other UTF-8 is kept as it is
    CHECK(gcx::to_json(e).find("M\xC3\xBCller") != std::string::npos);
}

TEST_CASE("event_format: every kind has its name") {
    for (auto k : {gcx::event_kind::request_sent, gcx::event_kind::request_answered, gcx::event_kind::retry_scheduled,
                   gcx::event_kind::token_fetched, gcx::event_kind::token_refused, gcx::event_kind::budget_wait,
                   gcx::event_kind::lookup_finished}) {
        gcx::event e;
        e.kind = k;
        const std::string name = gcx::to_string(k);
        CHECK(name != "event");
        CHECK(gcx::to_text(e).rfind(name, 0) == 0);
        CHECK(boost::json::parse(gcx::to_json(e)).as_object().at("event").as_string() == name);
    }
}

}  // namespace unit_event_format
