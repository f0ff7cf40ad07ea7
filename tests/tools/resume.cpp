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
                "{\"phone\":\"bad\",\"status\":\"found\"}\n"
                "{\"phone\":\"+14155550002\",\"status\":\"found\"");  // cut short by a killed run
    std::string err;
    auto set = load_resume(f.path, err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 2);
    CHECK(set->find("+13175550123") == rec::found);
    CHECK(set->find("+1.317.555.0123") == rec::found);
    CHECK(set->find("+14155550000") == rec::not_found);
    CHECK(set->find("+14155550001") == rec::none);
    CHECK(set->find("+14155550002") == rec::none);
    CHECK(set->find("bad") == rec::none);
    CHECK(set->find("+13175550124") == rec::none);
}

TEST_CASE("resume: a --json file an editor saved with a byte-order mark is read") {
    temp_file f("\xEF\xBB\xBF{\"phone\":\"+13175550123\",\"status\":\"found\"}\n");
    std::string err;
    auto set = load_resume(f.path, err);
    INFO(err);
    REQUIRE(set.has_value());
    CHECK(set->find("+13175550123") == rec::found);
}

TEST_CASE("resume: a number found in one run and not found in another stands as found") {
    temp_file f("{\"phone\":\"+14155550000\",\"status\":\"not_found\"}\n"
                "{\"phone\":\"+14155550000\",\"status\":\"found\"}\n"
                "{\"phone\":\"+14155550000\",\"status\":\"not_found\"}\n");
    std::string err;
    auto set = load_resume(f.path, err);
    REQUIRE(set.has_value());
    CHECK(set->size() == 1);
    CHECK(set->find("+14155550000") == rec::found);
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
