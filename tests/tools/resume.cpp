// gcx-lookup's --resume reader (tools/gcx-lookup/resume.hpp), on files, without a process.
#include "resume.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

using gcx_lookup::load_resume;
using gcx_lookup::resume_set;
using rec = resume_set::recorded;

namespace {
struct temp_file {
    std::string path;
    explicit temp_file(const std::string& text) {
        char tmpl[] = "/tmp/gcx-tools-resume-XXXXXX";
        const int fd = ::mkstemp(tmpl);
        if (fd >= 0) ::close(fd);
        path = tmpl;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    }
    ~temp_file() { std::remove(path.c_str()); }
};
}  // namespace

TEST_CASE("resume: found and not found stand, errors do not, and numbers compare in E.164 form") {
    temp_file f("{\"phone\":\"+1 (317) 555-0123\",\"status\":\"found\",\"executionId\":\"x\"}\n"
                "{\"phone\":\"+14155550000\",\"status\":\"not_found\"}\n"
                "{\"phone\":\"+14155550001\",\"status\":\"error\",\"error\":{\"kind\":\"timeout\"}}\n"
                "\n"
                "{\"phone\":\"bad\",\"status\":\"found\"}\n");
    std::string err;
    auto set = load_resume(f.path, err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 2);
    CHECK_FALSE(set->fragment_at);
    CHECK(set->take("+1.317.555.0123") == rec::found);
    CHECK(set->take("+14155550000") == rec::not_found);
    CHECK(set->take("+14155550001") == rec::none);
    CHECK(set->take("bad") == rec::none);
    CHECK(set->take("+13175550124") == rec::none);
}

TEST_CASE("resume: each standing result answers one line: a number given twice and answered once is looked up again") {
    temp_file f("{\"phone\":\"+13175550123\",\"status\":\"found\"}\n"
                "{\"phone\":\"+14155550000\",\"status\":\"not_found\"}\n"
                "{\"phone\":\"+14155550000\",\"status\":\"found\"}\n");
    std::string err;
    auto set = load_resume(f.path, err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 3);
    CHECK(set->take("+13175550123") == rec::found);
    CHECK(set->take("+1 317 555 0123") == rec::none);  // before: skipped, and lost from the output
    // Found in one run and not found in another: both stand, as found.
    CHECK(set->take("+14155550000") == rec::found);
    CHECK(set->take("+14155550000") == rec::found);
    CHECK(set->take("+14155550000") == rec::none);
}

TEST_CASE("resume: a last --json line without its line end does not stand, and is where an appending run cuts") {
    const std::string complete = "{\"phone\":\"+13175550123\",\"status\":\"found\"}\n";
    temp_file f(complete + "{\"phone\":\"+14155550002\",\"status\":\"found\"}");  // even whole JSON: no line end
    std::string err;
    auto set = load_resume(f.path, err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 1);
    REQUIRE(set->fragment_at);
    CHECK(*set->fragment_at == complete.size());
    CHECK(set->take("+14155550002") == rec::none);
}

TEST_CASE("resume: a --json file an editor saved with a byte-order mark is read") {
    temp_file f("\xEF\xBB\xBF{\"phone\":\"+13175550123\",\"status\":\"found\"}\n");
    std::string err;
    auto set = load_resume(f.path, err);
    INFO(err);
    REQUIRE(set.has_value());
    CHECK(set->take("+13175550123") == rec::found);
}

TEST_CASE("resume: --csv rows are told apart by their bytes: two rows of one number each stand for themselves") {
    const std::string head = "id,name,phone,gcx_status,gcx_error_kind,gcx_error_code,FirstName\n";
    const std::string rows = "1,Alice,+13175550123,error,timeout,deadline,\n"
                             "3,\"Alice, office\",+13175550123,found,,,\"Maria \"\"M\"\"\"\n";
    temp_file f(head + rows + "2,Bob,+13175550124,found,,,\"Ja");  // cut inside a quoted cell
    std::string err;
    auto set = load_resume(f.path, err, true);
    INFO(err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 1);
    CHECK(set->header == "id,name,phone,gcx_status,gcx_error_kind,gcx_error_code,FirstName");
    REQUIRE(set->fragment_at);
    CHECK(*set->fragment_at == head.size() + rows.size());
    // Row 1 was an error: looked up again, although its number stands for row 3.
    CHECK(set->take("+13175550123", "1,Alice,+13175550123") == rec::none);
    CHECK(set->take("+13175550123", "3,\"Alice, office\",+13175550123") == rec::found);
    CHECK(set->take("+13175550123", "3,\"Alice, office\",+13175550123") == rec::none);
    CHECK(set->take("+13175550124", "2,Bob,+13175550124") == rec::none);
}

TEST_CASE("resume: a missing file is an empty set, text output and a directory are errors") {
    std::string err;
    auto none = load_resume("/tmp/gcx-tools-resume-does-not-exist.jsonl", err);
    REQUIRE(none.has_value());
    CHECK(none->size() == 0);

    temp_file text("+13175550123: found\n");
    CHECK_FALSE(load_resume(text.path, err).has_value());
    CHECK(err.find("not gcx-lookup --json output") != std::string::npos);

    err.clear();
    CHECK_FALSE(load_resume("/tmp", err).has_value());
    CHECK_FALSE(err.empty());
}

TEST_CASE("resume: a --csv header cut short, or a last row too long to keep, is cut off whole") {
    std::string err;
    temp_file head("phone,gcx_status,gcx_error_kind,gcx_error_code");  // killed while writing the header
    auto h = load_resume(head.path, err, true);
    REQUIRE(h.has_value());
    REQUIRE(h->fragment_at);
    CHECK(*h->fragment_at == 0);  // before: the header stood, and the first row was written onto it
    const std::string rows = "phone,gcx_status,gcx_error_kind,gcx_error_code\r\n+13175550123,found,,\r\n";
    temp_file big(rows + "+13175550124,found,,\"" + std::string(70000, 'x'));  // over the 64 KiB record bound
    auto b = load_resume(big.path, err, true);
    REQUIRE(b.has_value());
    REQUIRE(b->fragment_at);
    CHECK(*b->fragment_at == rows.size());
    CHECK(b->size() == 1);
}
