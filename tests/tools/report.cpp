// gcx-lookup's output formats (tools/gcx-lookup/report.hpp): classification, the --json line and
// the text block, fed with lookup results built here (no process, no socket).
#include "report.hpp"
#include "input.hpp"
#include "options.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace bj = boost::json;
using gcx_lookup::status;

namespace {

gcx::lookup_result<bj::value> completed(const char* outputs_json) {
    gcx::lookup_result<bj::value> r;
    r.outputs = bj::parse(outputs_json);
    r.execution.id = "5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21";
    r.execution.source = "flow";
    return r;
}

/// Parses a --json line; fails the test (rather than throwing) when it is not JSON.
bj::value parse_line(const std::string& line) {
    boost::system::error_code ec;
    bj::value v = bj::parse(line, ec);
    INFO(line);
    REQUIRE_FALSE(ec);
    return v;
}

}  // namespace

TEST_CASE("report: Flow.Found true is found, false is not_found, and the prefix is dropped in --json") {
    auto found = gcx_lookup::classify("+13175550123", completed(R"({"Flow.Found":true,"Flow.ContactId":"c-1"})"));
    CHECK(found.st == status::found);
    auto j = parse_line(gcx_lookup::to_json_line(found));
    CHECK(j.at("status") == "found");
    CHECK(j.at("outputs").at("ContactId") == "c-1");
    CHECK(j.at("executionId") == "5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21");

    auto missing = gcx_lookup::classify("+14155550000", completed(R"({"Flow.Found":false,"Flow.ContactId":null})"));
    CHECK(missing.st == status::not_found);
    CHECK(parse_line(gcx_lookup::to_json_line(missing)).at("status") == "not_found");
}

TEST_CASE("report: with an index (--unordered) a --json line leads with it, a result's and an error's alike") {
    auto found = gcx_lookup::classify("+13175550123", completed(R"({"Flow.Found":true})"));
    const std::string line = gcx_lookup::to_json_line(found, std::size_t{41});
    CHECK(line.rfind("{\"index\":41,\"phone\":\"+13175550123\"", 0) == 0);
    CHECK(parse_line(line).at("status") == "found");
    CHECK(parse_line(gcx_lookup::to_json_line(found)).as_object().if_contains("index") == nullptr);

    gcx::error e;
    e.kind = gcx::errc::invalid_input;
    e.message = "not a phone number";
    auto bad = gcx_lookup::classify("bad", gcx::result<gcx::lookup_result<bj::value>>(e));
    auto j = parse_line(gcx_lookup::to_json_line(bad, std::size_t{0}));
    CHECK(j.at("index") == 0);
    CHECK(j.at("status") == "error");
    CHECK(parse_line(gcx_lookup::to_json_line(bad)).as_object().if_contains("index") == nullptr);
}

TEST_CASE("report: a number beyond double's range in an output is written as null, so the line stays JSON") {
    // Boost.JSON reads 1e999 as an infinity and on its own would write "Infinity" back.
    auto o = gcx_lookup::classify("+13175550123",
                                  completed(R"({"Flow.Found":true,"Flow.Score":-1e999,"Flow.Nested":{"x":[1e999]}})"));
    const std::string line = gcx_lookup::to_json_line(o);
    CHECK(line.find("Infinity") == std::string::npos);
    auto j = parse_line(line);
    CHECK(j.at("outputs").at("Score").is_null());
    CHECK(j.at("outputs").at("Nested").at("x").at(0).is_null());

    const std::string text = gcx_lookup::to_text(o);
    CHECK(text.find("Infinity") == std::string::npos);
}

TEST_CASE("report: an invalid line's echo is UTF-8 whatever bytes it had, so --json stays JSON") {
    gcx::error e;
    e.kind = gcx::errc::invalid_input;
    e.code = "phone";
    e.message = "not an E.164 number";
    // A Latin-1 no-break space (copied from a spreadsheet), a lone continuation byte, an overlong
    // '/', a surrogate, a truncated 3-byte sequence; and valid multi-byte characters kept.
    const std::string input = "+1\xA0"
                              "317\x80"
                              "555\xC0\xAF"
                              "01\xED\xA0\x80"
                              "23\xE2\x82 caf\xC3\xA9 \xE2\x82\xAC";
    auto o = gcx_lookup::classify(input, gcx::result<gcx::lookup_result<bj::value>>(e));
    const std::string line = gcx_lookup::to_json_line(o);
    bj::error_code ec;
    const bj::value j = bj::parse(line, ec);  // Boost.JSON refuses invalid UTF-8
    REQUIRE_FALSE(ec);
    const std::string phone(j.at("phone").as_string());
    CHECK(phone.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(phone.find("caf\xC3\xA9") != std::string::npos);
    CHECK(phone.find("\xE2\x82\xAC") != std::string::npos);
    CHECK(gcx_lookup::valid_utf8("\xF4\x90\x80\x80") ==
          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                // past U+10FFFF
    CHECK(gcx_lookup::valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");  // U+1F600 kept
}

TEST_CASE("report: an error line carries kind, status, code and hint, and no outputs") {
    gcx::error e;
    e.kind = gcx::errc::permission;
    e.http_status = 403;
    e.code = "missing.permissions";
    e.message = "launching the flow was refused";
    e.hint = "grant Architect > Flow > Launch";
    auto o = gcx_lookup::classify("+13175550123", gcx::result<gcx::lookup_result<bj::value>>(e));
    CHECK(o.st == status::error);
    auto j = parse_line(gcx_lookup::to_json_line(o));
    CHECK(j.at("status") == "error");
    CHECK(j.at("outputs").is_null());
    CHECK(j.at("error").at("httpStatus") == 403);
    CHECK(j.at("error").at("code") == "missing.permissions");
    CHECK(gcx_lookup::exit_status({o}) != 0);
}

TEST_CASE(
    "report: a launch answered 404 or 400 and a data action answered 404 exit 2 (configuration), a poll 404 exits 4") {
    auto exit_for = [](gcx::errc kind, int http, std::optional<gcx::operation> request, std::string code = {}) {
        gcx::error e;
        e.kind = kind;
        e.http_status = http;
        e.request = request;
        e.code = std::move(code);
        auto o = gcx_lookup::classify("+13175550123", gcx::result<gcx::lookup_result<bj::value>>(e));
        return gcx_lookup::exit_status({o});
    };
    using gcx::errc;
    using gcx::operation;
    CHECK(exit_for(errc::not_found, 404, operation::launch) == gcx_lookup::exit_usage);
    CHECK(exit_for(errc::bad_request, 400, operation::launch) == gcx_lookup::exit_usage);
    CHECK(exit_for(errc::not_found, 404, operation::data_action) == gcx_lookup::exit_usage);
    // a 404 that says the action ran and its remote answered so: one number's answer, not the id
    CHECK(exit_for(errc::not_found, 404, operation::data_action, "ACTION.REMOTE_ENDPOINT") == gcx_lookup::exit_failure);
    CHECK(exit_for(errc::not_found, 404, operation::poll) == gcx_lookup::exit_failure);  // the execution is gone
    CHECK(exit_for(errc::bad_request, 400, operation::data_action) == gcx_lookup::exit_failure);  // its remote failed
    CHECK(exit_for(errc::server, 500, operation::launch) == gcx_lookup::exit_failure);
    CHECK(exit_for(errc::not_found, 404, std::nullopt) == gcx_lookup::exit_failure);
    CHECK(exit_for(errc::auth, 401, operation::launch) == gcx_lookup::exit_auth);
}

TEST_CASE("report: lines that sent no request are not counted as lookups: invalid, or queued behind a long pause") {
    auto outcome_of = [](gcx::errc kind, std::string code, std::optional<gcx::operation> request) {
        gcx::error e;
        e.kind = kind;
        e.code = std::move(code);
        e.request = request;
        return gcx_lookup::classify("+13175550123", gcx::result<gcx::lookup_result<bj::value>>(e));
    };
    using gcx::errc;
    CHECK_FALSE(outcome_of(errc::invalid_input, "phone", std::nullopt).looked_up);
    CHECK_FALSE(outcome_of(errc::rate_limited, "retry_ceiling", std::nullopt).looked_up);      // paused before sending
    CHECK(outcome_of(errc::rate_limited, "retry_ceiling", gcx::operation::launch).looked_up);  // the 429 itself
    CHECK(outcome_of(errc::timeout, "deadline", std::nullopt).looked_up);
    gcx::error polled;  // its flow was launched, then a poll waited behind the pause: looked up
    polled.kind = errc::rate_limited;
    polled.code = "retry_ceiling";
    polled.execution_id = "5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21";
    CHECK(gcx_lookup::classify("+13175550123", gcx::result<gcx::lookup_result<bj::value>>(polled)).looked_up);
    CHECK(outcome_of(errc::server, "", gcx::operation::poll).looked_up);
}

TEST_CASE("report: a --json line is exact JSON: escapes, key order, the execution fields and fallbackReason") {
    auto r = completed(R"({"Flow.Found":true,"Flow.Name":"A \"quoted\" name\n","Flow.Tags":["x",1],"plain":null})");
    r.execution.fallback_reason = "flow \"lookup\" timed out";
    auto o = gcx_lookup::classify("+13175550123", std::move(r));
    CHECK(gcx_lookup::to_json_line(o) ==
          R"({"phone":"+13175550123","status":"found","executionId":"5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21",)"
          R"("source":"flow","outputs":{"Found":true,"Name":"A \"quoted\" name\n","Tags":["x",1],"plain":null},)"
          R"("fallbackReason":"flow \"lookup\" timed out"})");

    auto direct = completed(R"(7)");  // outputs that are not an object: an empty "outputs"
    direct.execution.id.clear();
    direct.execution.source = "direct";
    auto d = gcx_lookup::classify("+14155550000", std::move(direct));
    CHECK(gcx_lookup::to_json_line(d) ==
          R"({"phone":"+14155550000","status":"not_found","executionId":null,"source":"direct","outputs":{}})");
}

TEST_CASE("report: two outputs with one name once Flow. is dropped: the Flow. one, in the first one's place") {
    // As gcx::read_outputs binds them: "Flow.X" wins over "X", whatever their order.
    auto o = gcx_lookup::classify("+13175550123", completed(R"({"Id":"b","Found":true,"Flow.Id":"a"})"));
    CHECK(gcx_lookup::to_json_line(o) ==
          R"({"phone":"+13175550123","status":"found","executionId":"5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21",)"
          R"("source":"flow","outputs":{"Id":"a","Found":true}})");
    const std::string text = gcx_lookup::to_text(o);
    CHECK(text.find("Id:") != std::string::npos);
    CHECK(text.find(" b\n") == std::string::npos);
}

TEST_CASE("report: a Found output that is not a JSON boolean is an error naming its path, never found") {
    for (const char* found : {R"("false")", R"("true")", "0", "1", "1e999", "[]", "{}", R"("")"}) {
        for (const char* key : {"Flow.Found", "Found"}) {
            INFO(key << " = " << found);
            auto o = gcx_lookup::classify(
                "+13175550123",
                completed((std::string(R"({")") + key + "\":" + found + R"(,"Flow.ContactId":"c-1"})").c_str()));
            REQUIRE(o.st == status::error);
            CHECK(o.err->kind == gcx::errc::mapping);
            CHECK(o.err->code == gcx::codes::found_output);
            CHECK(o.err->path == std::string("outputData[\"") + key + "\"]");
            CHECK(o.err->execution_id == "5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21");
            auto j = parse_line(gcx_lookup::to_json_line(o));
            CHECK(j.at("status") == "error");
            CHECK(j.at("error").at("kind") == "mapping");
            CHECK(j.at("error").at("path").as_string() == std::string("outputData[\"") + key + "\"]");
            CHECK(gcx_lookup::to_text(o).find("outputData[\"") != std::string::npos);
            CHECK(gcx_lookup::exit_status({o}) == gcx_lookup::exit_failure);
        }
    }
    // null is a Found the flow did not set: not found (not "any output at all").
    auto unset = gcx_lookup::classify("+13175550123", completed(R"({"Flow.Found":null,"Flow.ContactId":"c-1"})"));
    CHECK(unset.st == status::not_found);
}

TEST_CASE("report: Flow.Found wins over a bare Found, and the printed Found agrees with the status") {
    for (const char* outs : {R"({"Flow.Found":false,"Found":true})", R"({"Found":true,"Flow.Found":false})"}) {
        INFO(outs);
        auto o = gcx_lookup::classify("+13175550123", completed(outs));
        CHECK(o.st == status::not_found);
        auto j = parse_line(gcx_lookup::to_json_line(o));
        CHECK(j.at("status") == "not_found");
        CHECK(j.at("outputs").at("Found") == false);
        CHECK(j.at("outputs").as_object().size() == 1);
    }
    for (const char* outs : {R"({"Flow.Found":true,"Found":false})", R"({"Found":false,"Flow.Found":true})"}) {
        INFO(outs);
        auto o = gcx_lookup::classify("+13175550123", completed(outs));
        CHECK(o.st == status::found);
        auto j = parse_line(gcx_lookup::to_json_line(o));
        CHECK(j.at("outputs").at("Found") == true);
    }
    // A non-boolean bare Found beside a boolean Flow.Found is not the one read: no error.
    auto o = gcx_lookup::classify("+13175550123", completed(R"({"Found":"yes","Flow.Found":false})"));
    CHECK(o.st == status::not_found);
    CHECK(parse_line(gcx_lookup::to_json_line(o)).at("outputs").at("Found") == false);
}

TEST_CASE(
    "report: text output shows CR, LF and escape sequences from the server as spaces: no forged line, nothing for the terminal") {
    auto r = completed(R"({"Flow.Found":true,
        "Flow.externalContact":{"firstName":"Eve\r\n+19995550000: found","lastName":"\u001b]0;pwned\u0007",
                                "title":"\u001b[2J","workEmail":"a@b\nc",
                                "workPhone":{"display":"+1\r555"},"externalOrganization":{"name":"Org\u001b[31m"}},
        "Flow.Note\r\nforged: x":"line1\nline2\u001b[1;1H\u007f",
        "Flow.Score":{"k":"v\n"}})");
    r.execution.id = "exec\r\n+14155550000: not found (execution x)\u001b[2J";
    const std::string text = gcx_lookup::to_text(gcx_lookup::classify("+13175550123", std::move(r)));
    INFO(text);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find('\x7f') == std::string::npos);
    // One line for the number, then only indented detail lines: none starts like a result.
    std::size_t lines = 0;
    for (std::size_t pos = 0; pos < text.size(); ++lines) {
        const auto nl = text.find('\n', pos);
        REQUIRE(nl != std::string::npos);
        const std::string line = text.substr(pos, nl - pos);
        if (lines == 0) CHECK(line == "+13175550123: found");
        else CHECK(line.rfind("  ", 0) == 0);
        pos = nl + 1;
    }
    CHECK(lines == 9);  // the number, name, title, email, phone, company, 2 other outputs, via
    CHECK(text.find("Eve  +19995550000: found") != std::string::npos);
    CHECK(text.find("execution exec  +14155550000") != std::string::npos);

    auto nf = completed(R"({"Flow.Found":false})");
    nf.execution.id = "id\n+1: found";
    const std::string nf_text = gcx_lookup::to_text(gcx_lookup::classify("+14155550000", std::move(nf)));
    CHECK(nf_text == "+14155550000: not found (execution id +1: found)\n");
}

TEST_CASE(
    "report: an error's line echoes the input clipped to 200 bytes on a character boundary, control characters as spaces") {
    gcx::error e = gcx::make_error(gcx::errc::invalid_input, "invalid phone number: x");
    const std::string line = "\x1b[2J" + std::string(195, 'a') + "\xc3\xa9" + std::string(100, 'b');  // é at 199-200
    auto o = gcx_lookup::classify(line, e);
    CHECK(o.phone == " [2J" + std::string(195, 'a') + "...");  // é not cut in two
    const std::string text = gcx_lookup::to_text(o);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    CHECK(gcx_lookup::classify("+1 317 555", e).phone == "+1 317 555");
}

namespace {
/// The line_reader's lines over `input` (through a pipe fed by a thread).
std::vector<gcx_lookup::input_line> read_all(const std::string& input) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    std::thread writer([&] {
        for (std::size_t done = 0; done < input.size();) {
            const auto n = ::write(p[1], input.data() + done, std::min<std::size_t>(input.size() - done, 7000));
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::close(p[1]);
    });
    gcx_lookup::line_reader r(p[0]);
    std::vector<gcx_lookup::input_line> out;
    while (auto l = r.next()) out.push_back(std::move(*l));
    writer.join();
    ::close(p[0]);
    return out;
}
}  // namespace

TEST_CASE(
    "input: lines are trimmed, blanks and comments skipped, and a line over 4 KiB is kept only in part and flagged") {
    const std::string big(300000, '7');  // spans several reads of the reader's buffer
    auto lines = read_all("  +13175550123\r\n\n# comment\n\t+14155550000 \n" + big + "\n" + std::string(4096, '1') +
                          "\n+15555550100");
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].text == "+13175550123");
    CHECK(lines[1].text == "+14155550000");
    CHECK(lines[2].too_long);
    CHECK(lines[2].text == big.substr(0, gcx_lookup::kept_of_long_line));
    CHECK_FALSE(lines[3].too_long);  // exactly 4096 bytes: not over
    CHECK(lines[3].text.size() == 4096);
    CHECK(lines[4].text == "+15555550100");  // no final newline
    for (const auto& l : lines) CHECK(l.text.size() <= 4096);
}

TEST_CASE("input: a lone CR ends a line (Excel for Mac's CSV), and CR LF is one line end") {
    auto mac = read_all("+13175550123\r+14155550000\r\r# comment\r+15555550100\r");
    REQUIRE(mac.size() == 3);
    CHECK(mac[0].text == "+13175550123");
    CHECK(mac[1].text == "+14155550000");
    CHECK(mac[2].text == "+15555550100");
    auto mixed = read_all("+13175550123\r\n+14155550000\n+15555550100\r\n\r\n+16175550000");
    REQUIRE(mixed.size() == 4);
    CHECK(mixed[3].text == "+16175550000");
}

TEST_CASE("input: a UTF-8 BOM before the first line is dropped (a list saved by Notepad), one later is not") {
    auto lines = read_all("\xEF\xBB\xBF+13175550123\r\n\xEF\xBB\xBF+14155550000\n");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == "+13175550123");
    CHECK(lines[1].text == "\xEF\xBB\xBF+14155550000");    // not a BOM there: refused as a number later
    auto only = read_all("\xEF\xBB\xBF\n+13175550123\n");  // a BOM on a line of its own: a blank line
    REQUIRE(only.size() == 1);
    CHECK(only[0].text == "+13175550123");
}

TEST_CASE("shown: C1 controls (U+009B CSI and the rest) and lone bytes 0x80 to 0x9F are spaces, other UTF-8 is kept") {
    using gcx_lookup::shown;
    CHECK(shown("a\xC2\x9B"
                "31mred") == "a 31mred");  // U+009B, CSI in UTF-8
    CHECK(shown("a\x9B"
                "31mred") == "a 31mred");     // a lone 0x9B byte (CSI in 8-bit terminals)
    CHECK(shown("\xC2\x85next") == " next");  // U+0085 NEL
    CHECK(shown("M\xC3\xBCller \xE2\x82\xAC 5 \xF0\x9F\x98\x80") == "M\xC3\xBCller \xE2\x82\xAC 5 \xF0\x9F\x98\x80");
    CHECK(shown("\xC2\xA0nbsp") == "\xC2\xA0nbsp");             // U+00A0 is not a control
    CHECK(shown("x\x1b]0;title\x07y\x7f") == "x ]0;title y ");  // C0 and DEL, as before
}

TEST_CASE("eta: the lookups left at the requests per lookup the ended ones took, less what those in flight sent, at "
          "the pace, after a 429 pause still running") {
    // 100 of 1,000 done with 250 requests: 900 more at 2.5 each is 2,250 requests, at 300 a minute 450 s.
    CHECK(gcx_lookup::eta_seconds(0, 250, 250, 100, 900, 300) == Approx(450));
    // every credential paused for 57 s more: those come first
    CHECK(gcx_lookup::eta_seconds(57, 250, 250, 100, 900, 300) == Approx(507));
    // two credentials: twice the pace, half the time
    CHECK(gcx_lookup::eta_seconds(0, 250, 250, 100, 900, 600) == Approx(225));
    // 100 lines answered from a --resume file and 10 looked up with 25 requests: 2.5 per lookup, not 0.23
    CHECK(gcx_lookup::eta_seconds(0, 25, 25, 10, 10, 300) == Approx(5));
    // Early in a batch: 1 of 30 ended with 3 requests while 8 in flight sent 13 (a token, launches,
    // polls): 29 left at 3 is 87, of which 13 went already: 74 at 300 a minute, 14.8 s (before:
    // 16 sent / 1 ended x 29 = 92.8 s for a batch that took about 16).
    CHECK(gcx_lookup::eta_seconds(0, 16, 3, 1, 29, 300) == Approx(14.8));
    // in flight sent more than the estimate leaves: nothing more to send, only the pause
    CHECK(gcx_lookup::eta_seconds(2, 100, 3, 1, 5, 300) == Approx(2));
    // nothing to estimate from
    CHECK(gcx_lookup::eta_seconds(0, 0, 0, 0, 1000, 300) < 0);
    CHECK(gcx_lookup::eta_seconds(0, 2500, 2500, 1000, 0, 300) < 0);
    CHECK(gcx_lookup::eta_seconds(0, 250, 250, 100, 900, 0) < 0);
}
