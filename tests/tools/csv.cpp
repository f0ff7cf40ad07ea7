// gcx-lookup's CSV reader and writer (tools/gcx-lookup/csv.hpp) and its --csv output row
// (report.hpp's to_csv_row), fed through a pipe (no lookup, no socket).
#include "csv.hpp"
#include "report.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace bj = boost::json;
using gcx_lookup::csv::reader;
using gcx_lookup::csv::record;

namespace {

/// A pipe whose write end a thread fills with `input`, `chunk` bytes a write (1: the reader sees
/// a BOM or a CRLF cut across reads), then closes.
class pipe_input {
public:
    explicit pipe_input(std::string input, std::size_t chunk = 4096) {
        int p[2];
        REQUIRE(::pipe(p) == 0);
        fd = p[0];
        writer_ = std::thread([w = p[1], input = std::move(input), chunk] {
            for (std::size_t at = 0; at < input.size();) {
                const auto n = ::write(w, input.data() + at, std::min(chunk, input.size() - at));
                if (n <= 0) break;
                at += static_cast<std::size_t>(n);
            }
            ::close(w);
        });
    }
    ~pipe_input() {
        ::close(fd);  // a reader that stopped early: the writer gets EPIPE and ends
        writer_.join();
    }
    pipe_input(const pipe_input&) = delete;
    pipe_input& operator=(const pipe_input&) = delete;
    int fd = -1;

private:
    std::thread writer_;
};

std::vector<record> read_all(const std::string& input, std::size_t chunk = 4096, bool* bom = nullptr,
                             std::size_t max = gcx_lookup::csv::max_record_bytes) {
    pipe_input in(input, chunk);
    reader r(in.fd, max);
    std::vector<record> out;
    while (auto rec = r.next()) out.push_back(std::move(*rec));
    if (bom) *bom = r.bom();
    CHECK(r.read_error() == 0);
    return out;
}

using fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv reader: quoted fields keep commas, doubled quotes and newlines, and raw keeps the bytes as written") {
    const std::string input = "name,phone,note\n"
                              "\"Schmidt, Maria\",+13175550123,\"she said \"\"hi\"\"\"\n"
                              "Bob,+14155550000,\"two\nlines\"\n"
                              "\"\",x,\n";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        INFO("chunk " << chunk);
        auto r = read_all(input, chunk);
        REQUIRE(r.size() == 4);
        CHECK(r[0].fields == fields{"name", "phone", "note"});
        CHECK(r[1].fields == fields{"Schmidt, Maria", "+13175550123", "she said \"hi\""});
        CHECK(r[1].raw == "\"Schmidt, Maria\",+13175550123,\"she said \"\"hi\"\"\"");
        CHECK(r[2].fields == fields{"Bob", "+14155550000", "two\nlines"});
        CHECK(r[2].raw == "Bob,+14155550000,\"two\nlines\"");
        CHECK(r[3].fields == fields{"", "x", ""});
        for (const auto& rec : r) {
            CHECK(rec.error.empty());
            CHECK(rec.end == "\n");
        }
        CHECK(r[0].line == 1);
        CHECK(r[1].line == 2);
        CHECK(r[2].line == 3);
        CHECK(r[3].line == 5);  // the embedded newline took line 4
    }
}

TEST_CASE(
    "csv reader: CRLF, LF and a lone CR end records, inside quotes they are data, and lines count physical lines") {
    const std::string input = "a,b\r\n1,\"x\r\ny\"\r\n2,z\n3,w\r4,v";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{4096}}) {
        auto r = read_all(input, chunk);
        REQUIRE(r.size() == 5);
        CHECK(r[0].end == "\r\n");
        CHECK(r[1].fields == fields{"1", "x\r\ny"});
        CHECK(r[1].raw == "1,\"x\r\ny\"");
        CHECK(r[1].end == "\r\n");
        CHECK(r[2].fields == fields{"2", "z"});
        CHECK(r[2].end == "\n");
        CHECK(r[3].fields == fields{"3", "w"});
        CHECK(r[3].end == "\r");
        CHECK(r[4].fields == fields{"4", "v"});
        CHECK(r[4].end.empty());
        CHECK(r[1].line == 2);
        CHECK(r[2].line == 4);
        CHECK(r[3].line == 5);
        CHECK(r[4].line == 6);
    }
}

TEST_CASE("csv reader: a UTF-8 BOM is dropped from the first record and remembered, even cut across reads") {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{4096}}) {
        bool bom = false;
        auto r = read_all("\xEF\xBB\xBFphone,name\n+13175550123,Maria\n", chunk, &bom);
        CHECK(bom);
        REQUIRE(r.size() == 2);
        CHECK(r[0].raw == "phone,name");
        CHECK(r[0].fields == fields{"phone", "name"});
    }
    bool bom = true;
    auto r = read_all("\xEF\xBBphone\n", 1, &bom);  // not a whole BOM: data
    CHECK_FALSE(bom);
    REQUIRE(r.size() == 1);
    CHECK(r[0].raw == "\xEF\xBBphone");
    CHECK(read_all("", 1, &bom).empty());
    CHECK_FALSE(bom);
}

TEST_CASE("csv reader: a final record without a line end is read whole, quoted or not") {
    auto r = read_all("h\nlast");
    REQUIRE(r.size() == 2);
    CHECK(r[1].fields == fields{"last"});
    CHECK(r[1].end.empty());
    r = read_all("h\n\"a,\"\"b\"");
    REQUIRE(r.size() == 2);
    CHECK(r[1].fields == fields{"a,\"b"});
    CHECK(r[1].error.empty());
}

TEST_CASE("csv reader: blank lines are skipped and still counted as lines") {
    auto r = read_all("h1,h2\n\n\r\n1,2\n\n");
    REQUIRE(r.size() == 2);
    CHECK(r[1].fields == fields{"1", "2"});
    CHECK(r[1].line == 4);
}

TEST_CASE("csv reader: malformed records carry the line they start on, and reading goes on after them") {
    const std::string input = "a,b\n"                // 1
                              "x\"y,1\n"             // 2: a quote inside an unquoted field
                              "\"ok\"z,2\n"          // 3: a character after the closing quote
                              "\"multi\nline\",3\n"  // 4-5: fine
                              " \"q\",4\n"           // 6: a space, then a quote: unquoted field with a quote
                              "good,5\n"             // 7
                              "\"open,6\nand on\n";  // 8-: a quote never closed
    auto r = read_all(input);
    REQUIRE(r.size() == 7);
    CHECK(r[1].line == 2);
    CHECK(r[1].error.find("quote inside an unquoted field") != std::string::npos);
    CHECK(r[1].raw == "x\"y,1");
    CHECK(r[2].line == 3);
    CHECK(r[2].error.find("after the closing quote") != std::string::npos);
    CHECK(r[2].raw == "\"ok\"z,2");
    CHECK(r[3].line == 4);
    CHECK(r[3].error.empty());
    CHECK(r[3].fields == fields{"multi\nline", "3"});
    CHECK(r[4].line == 6);
    CHECK_FALSE(r[4].error.empty());
    CHECK(r[5].line == 7);
    CHECK(r[5].error.empty());
    CHECK(r[5].fields == fields{"good", "5"});
    CHECK(r[6].line == 8);
    CHECK(r[6].error.find("still open at the end of the input") != std::string::npos);
    CHECK(r[6].raw == "\"open,6\nand on\n");
}

TEST_CASE("csv reader: a record over the bound is malformed, only its first bytes are held, and the next one is read") {
    std::string huge(1024 * 1024, 'x');  // 1 MiB in one unquoted field
    std::string input = "h,i\n1," + huge + "\n2,after\n";
    auto r = read_all(input);
    REQUIRE(r.size() == 3);
    CHECK(r[1].too_long);
    CHECK(r[1].error.find("longer than 65536 bytes") != std::string::npos);
    CHECK(r[1].raw.size() <= gcx_lookup::csv::kept_of_long_record);
    CHECK(r[1].raw.rfind("1,xxx", 0) == 0);
    CHECK(r[1].fields.empty());
    CHECK(r[2].error.empty());
    CHECK(r[2].fields == fields{"2", "after"});
    CHECK(r[2].line == 3);

    // A quote left open runs on; the record is cut at the bound, and what follows its close is read.
    input = "h\n\"" + std::string(200, 'y') + "\n" + std::string(200, 'z') + "\"\nnext\n";
    r = read_all(input, 4096, nullptr, 100);
    REQUIRE(r.size() == 3);
    CHECK(r[1].too_long);
    CHECK(r[1].error.find("longer than 100 bytes (a quote left open?)") != std::string::npos);
    CHECK(r[1].raw.size() <= 100);
    CHECK(r[2].fields == fields{"next"});
    CHECK(r[2].line == 4);
}

TEST_CASE("csv: quoted() quotes only what needs it, cell() disarms formulas and control characters") {
    using gcx_lookup::csv::cell;
    using gcx_lookup::csv::quoted;
    CHECK(quoted("plain") == "plain");
    CHECK(quoted("") == "");
    CHECK(quoted("a,b") == "\"a,b\"");
    CHECK(quoted("say \"x\"") == "\"say \"\"x\"\"\"");
    CHECK(quoted("two\nlines") == "\"two\nlines\"");
    CHECK(quoted("cr\r") == "\"cr\r\"");

    CHECK(cell("Maria") == "Maria");
    CHECK(cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(cell("+cmd|'/C calc'!A0") == "'+cmd|'/C calc'!A0");
    CHECK(cell("-2+3+cmd") == "'-2+3+cmd");
    CHECK(cell("\tx") == "'\tx");
    CHECK(cell("+13175550123") == "+13175550123");  // a phone number stays a phone number
    CHECK(cell("+1 (317) 555-0123") == "+1 (317) 555-0123");
    CHECK(cell("-12.5") == "-12.5");
    CHECK(cell("a\x1b[31mred") == "a [31mred");
    // C1 controls (U+0080 to U+009F: NEL, CSI...) too, as text mode does (before: written raw)
    CHECK(cell("ls\xc2\x85nel \xc2\x9b"
               "31m") == "ls nel  31m");
    CHECK(cell("caf\xc3\xa9 \xc2\xa0x") == "caf\xc3\xa9 \xc2\xa0x");    // other UTF-8 kept as it is
    CHECK(cell("line\r\nforged,found") == "\"line\r\nforged,found\"");  // inside quotes: one cell
}

TEST_CASE("csv: the phone column is --column's (case ignored, exact wins) or the first phone-like header") {
    using gcx_lookup::csv::phone_column;
    using gcx_lookup::csv::phone_like;
    for (const char* yes : {"phone", "Phone Number", "mobilePhone", "MSISDN", "E.164", "Tel.", "tel_no", "CellNo",
                            "cell", "Telefonnummer", "Mobile"})
        CHECK(phone_like(yes));
    for (const char* no : {"name", "Order number", "hotel", "excellent", "Intel", "id", ""})
        CHECK_FALSE(phone_like(no));

    std::string err;
    const fields header{"id", "Order number", "Mobile", "Phone"};
    CHECK(phone_column(header, std::nullopt, err) == std::optional<std::size_t>(2));
    CHECK(phone_column(header, std::string("phone"), err) == std::optional<std::size_t>(3));
    CHECK(phone_column(header, std::string("Order number"), err) == std::optional<std::size_t>(1));
    CHECK(phone_column(fields{"phone", "PHONE"}, std::string("PHONE"), err) == std::optional<std::size_t>(1));
    CHECK(phone_column(fields{"id", " Home phone "}, std::string("home phone"), err) == std::optional<std::size_t>(1));
    CHECK(phone_column(fields{"id", "x"}, std::string(" X "), err) == std::optional<std::size_t>(1));  // before: none
    CHECK_FALSE(phone_column(fields{"Phone", "PHONE"}, std::string("phone"), err));
    CHECK(err.find("2 columns") != std::string::npos);
    CHECK_FALSE(phone_column(header, std::string("fax"), err));
    CHECK(err.find("--column fax: no such column") != std::string::npos);
    CHECK(err.find("\"Order number\"") != std::string::npos);

    CHECK_FALSE(phone_column(fields{"id", "name\x1b[2J", std::string(300, 'n')}, std::nullopt, err));
    CHECK(err.find("no column of the CSV header looks like a phone column") != std::string::npos);
    CHECK(err.find("--column") != std::string::npos);
    CHECK(err.find("\"id\"") != std::string::npos);
    CHECK(err.find('\x1b') == std::string::npos);
    CHECK(err.size() < 500);
}

namespace {
struct csv_rows {
    explicit csv_rows(std::string input) : in(std::move(input)), rows(in.fd) {}
    pipe_input in;
    gcx_lookup::csv::rows rows;
};
}  // namespace

TEST_CASE(
    "csv rows: each row keeps its bytes, a malformed one goes whole into its first column, empty rows are skipped") {
    csv_rows c("\xEF\xBB\xBF"
               "id,Phone,note\r\n"
               "1,+13175550123,\"a, b\"\r\n"
               "2,\"oops\"x,c\r\n"
               ",,\r\n"
               "3,  \t,c\r\n"
               "4,+1415\r\n"
               "5, +14155550000 ,\"multi\r\nline\"\r\n");
    std::string err;
    REQUIRE(c.rows.read_header(std::nullopt, err));
    CHECK(c.rows.line_end() == "\r\n");
    CHECK(c.rows.output_header({"Found", "externalContact.firstName", "a,b"}) ==
          "\xEF\xBB\xBF"
          "id,Phone,note,gcx_status,gcx_error_kind,gcx_error_code,Found,externalContact.firstName,\"a,b\"\r\n");

    auto l = c.rows.next();
    REQUIRE(l);
    CHECK(l->row == "1,+13175550123,\"a, b\"");
    CHECK(l->text == "+13175550123");
    CHECK_FALSE(l->error);

    l = c.rows.next();
    REQUIRE(l);
    REQUIRE(l->error);
    CHECK(l->error->kind == gcx::errc::invalid_input);
    CHECK(l->error->code == "csv_malformed");
    CHECK(l->error->message.find("line 3: ") == 0);
    CHECK(l->row == "\"2,\"\"oops\"\"x,c\",,");  // the raw text in one cell, then the empty columns

    l = c.rows.next();  // ",," was skipped
    REQUIRE(l);
    REQUIRE(l->error);
    CHECK(l->error->code == "phone");
    CHECK(l->error->message == "line 5: the phone column (Phone) is empty");
    CHECK(l->row == "3,  \t,c");

    l = c.rows.next();
    REQUIRE(l);
    REQUIRE(l->error);
    CHECK(l->error->code == "csv_malformed");
    CHECK(l->error->message == "line 6: malformed CSV row: 2 fields where the header has 3");
    CHECK(l->row == "\"4,+1415\",,");

    l = c.rows.next();
    REQUIRE(l);
    CHECK_FALSE(l->error);
    CHECK(l->text == "+14155550000");
    CHECK(l->row == "5, +14155550000 ,\"multi\r\nline\"");
    CHECK_FALSE(c.rows.next());
}

TEST_CASE("csv rows: a line of spaces or tabs is a blank line, not a malformed row") {
    csv_rows c("id,Phone\n1,+13175550123\n   \n\t\n \t , \n2,+14155550000\n");
    std::string err;
    REQUIRE(c.rows.read_header(std::nullopt, err));
    auto l = c.rows.next();
    REQUIRE(l);
    CHECK(l->text == "+13175550123");
    l = c.rows.next();
    REQUIRE(l);
    CHECK_FALSE(l->error);
    CHECK(l->text == "+14155550000");
    CHECK_FALSE(c.rows.next());
}

TEST_CASE("csv rows: no header, a malformed header, or no phone column is an error before any row") {
    std::string err;
    {
        csv_rows c("");
        CHECK_FALSE(c.rows.read_header(std::nullopt, err));
        CHECK(err.find("no CSV header") != std::string::npos);
    }
    {
        csv_rows c("\n\nid,\"pho\"ne\n");
        CHECK_FALSE(c.rows.read_header(std::nullopt, err));
        CHECK(err.find("line 3: the CSV header is malformed") == 0);
    }
    {
        csv_rows c("id,name\n1,x\n");
        CHECK_FALSE(c.rows.read_header(std::nullopt, err));
        CHECK(err.find("looks like a phone column") != std::string::npos);
    }
    for (const char* column : {"", "phone"}) {
        // No header row: the first row is a customer's, and none of it is echoed.
        INFO(column);
        for (const char* first : {"+13175550123", "+44 (0)20 7183 8750", "020 7183 8750"}) {
            INFO(first);  // as typed, in a form no lookup accepts, national: none is echoed
            csv_rows c(std::string(first) + ",Maria Schmidt\n+14155550000,John Doe\n");
            CHECK_FALSE(c.rows.read_header(*column ? std::optional<std::string>(column) : std::nullopt, err));
            CHECK(err.find("looks like data, not a header row") != std::string::npos);
            CHECK(err.find("0123") == std::string::npos);
            CHECK(err.find("8750") == std::string::npos);
            CHECK(err.find("Maria") == std::string::npos);
        }
    }
    {
        csv_rows c("id,name\n1,+13175550123");
        REQUIRE(c.rows.read_header(std::string("NAME"), err));
        CHECK(c.rows.line_end() == "\n");
        auto l = c.rows.next();
        REQUIRE(l);
        CHECK(l->text == "+13175550123");
    }
}

namespace {
gcx::lookup_result<bj::value> completed(const char* outputs_json) {
    gcx::lookup_result<bj::value> r;
    r.outputs = bj::parse(outputs_json);
    r.execution.id = "5c1d2f2e-0a9b-4b4e-9f53-4f1c9d0e7a21";
    r.execution.source = "flow";
    return r;
}
}  // namespace

TEST_CASE("csv output row: the original part, the status, the error, then each --fields path made safe") {
    const char* outputs = R"({"Flow.Found":true,"Found":false,"Flow.ContactId":"c-1","Flow.Count":2,)"
                          R"("Flow.externalContact":{"firstName":"Maria","lastName":"=1+1","tags":["a","b"],)"
                          R"("cell":{"e164":"+13175550123"},"note":"x\ny"},"Flow.Nothing":null})";
    auto o = gcx_lookup::classify("+13175550123", completed(outputs));
    o.row = "1,\"Schmidt, Maria\"";
    const std::vector<std::string> paths{"Found",
                                         "Flow.ContactId",
                                         "Count",
                                         "externalContact.firstName",
                                         "externalContact.lastName",
                                         "externalContact.tags",
                                         "externalContact.tags.1",
                                         "externalContact.cell.e164",
                                         "externalContact.note",
                                         "Nothing",
                                         "missing.path",
                                         "externalContact.tags.9"};
    CHECK(
        gcx_lookup::to_csv_row(o, paths, "\r\n") ==
        "1,\"Schmidt, Maria\",found,,,true,c-1,2,Maria,'=1+1,\"[\"\"a\"\",\"\"b\"\"]\",b,+13175550123,\"x\ny\",,,\r\n");

    auto nf = gcx_lookup::classify("+14155550000", completed(R"({"Flow.Found":false,"Flow.ContactId":null})"));
    nf.row = "2,x";
    CHECK(gcx_lookup::to_csv_row(nf, {"Found", "ContactId"}, "\n") == "2,x,not_found,,,false,\n");

    gcx::error e = gcx::make_error(gcx::errc::invalid_input, "line 9: malformed CSV row: x");
    e.code = "csv_malformed";
    auto bad = gcx_lookup::classify("3,\"x", gcx::result<gcx::lookup_result<bj::value>>(e));
    bad.row = "\"3,\"\"x\",";
    CHECK(gcx_lookup::to_csv_row(bad, {"Found"}, "\n") == "\"3,\"\"x\",,error,invalid_input,csv_malformed,\n");

    gcx::error srv = gcx::make_error(gcx::errc::server, "boom");
    srv.code = "=cmd,\"x\"";
    auto s = gcx_lookup::classify("+13175550123", gcx::result<gcx::lookup_result<bj::value>>(srv));
    s.row = "4";
    CHECK(gcx_lookup::to_csv_row(s, {}, "\n") == "4,error,server,\"'=cmd,\"\"x\"\"\"\n");
}
