// gcx-lookup --csv against gcx-sim, both as separate processes: a CSV in, the same rows enriched
// out, byte for byte.
#include "sim_process.hpp"

#include <catch2/catch.hpp>

#include <cstdio>

using e2e::run;
using e2e::sim_process;

namespace {
const std::string found = "+13175550123";  // contact 123 of the simulator: Maria Schmidt
const std::string maria_id = "8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b";
const std::string unknown = "+14155550000";

e2e::run_result lookup(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& input = {}) {
    std::vector<std::string> a{GCX_LOOKUP_BIN};
    a.insert(a.end(), args.begin(), args.end());
    return run(a, env, input);
}

/// The output's records, cut at `end` outside quotes (a quoted field may hold `end`).
std::vector<std::string> records(const std::string& out, const std::string& end) {
    std::vector<std::string> v;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!quoted && out.compare(i, end.size(), end) == 0) {
            v.push_back(cur);
            cur.clear();
            i += end.size() - 1;
            continue;
        }
        if (out[i] == '"') quoted = !quoted;
        cur += out[i];
    }
    if (!cur.empty()) v.push_back(cur);
    return v;
}
}  // namespace

TEST_CASE(
    "e2e csv: rows come back in input order, original fields byte for byte, result and --fields columns appended, past a malformed row") {
    sim_process sim({"--rate-limit", "0"});
    const std::string input = "\xEF\xBB\xBF"
                              "id,\"Name, full\",Phone,note\r\n"  // 1
                              "1,\"Schmidt, Maria\",\"" +
                              found +
                              "\",\"line one\r\nline two\"\r\n"  // 2-3
                              "2,Nobody," +
                              unknown +
                              ",\r\n"  // 4
                              "3,\"Bad \"\"quote\"\" here\"x," +
                              found +
                              ",\r\n"                             // 5: malformed
                              "4,Invalid,317-555-0123,plain\r\n"  // 6: not E.164
                              "5,Again, " +
                              found + " ,\"say \"\"hi\"\"\"";  // 7: no line end
    const std::string header = "\xEF\xBB\xBF"
                               "id,\"Name, full\",Phone,note,gcx_status,gcx_error_kind,gcx_error_code,"
                               "Found,ContactId,externalContact.firstName,MatchCount\r\n";
    const std::string maria = ",found,,,true," + maria_id + ",Maria,1\r\n";
    const std::string want = header + "1,\"Schmidt, Maria\",\"" + found + "\",\"line one\r\nline two\"" + maria +
                             "2,Nobody," + unknown +
                             ",,not_found,,,false,,,0\r\n"
                             "\"3,\"\"Bad \"\"\"\"quote\"\"\"\" here\"\"x," +
                             found +
                             ",\",,,,error,invalid_input,csv_malformed,,,,\r\n"
                             "4,Invalid,317-555-0123,plain,error,invalid_input,phone,,,,\r\n"
                             "5,Again, " +
                             found + " ,\"say \"\"hi\"\"\"" + maria;
    for (const char* transport : {"curl", "curl-threads", "httplib"}) {
        INFO(transport);
        auto r = lookup({"--csv", "--fields", "Found,ContactId,externalContact.firstName,MatchCount", "--transport",
                         transport, "--concurrency", "4", "--rate", "0", "--poll-ms", "20"},
                        sim.env(), input);
        INFO(r.err);
        CHECK(r.exit_code == 2);  // the malformed row and the invalid number, as an invalid line
        CHECK(r.out == want);
        CHECK(r.err.find("gcx-lookup: line 5: malformed CSV row: a character after the closing quote") !=
              std::string::npos);
    }
    CHECK(sim.stat("launches") == 3 * 3);  // neither the malformed row nor the invalid number was sent
    CHECK(sim.stat("duplicate_launches") == 0);
}

TEST_CASE("e2e csv: all found exits 0, with LF line ends kept and no BOM added") {
    sim_process sim({"--rate-limit", "0"});
    auto r = lookup({"--csv", "--poll-ms", "20"}, sim.env(), "phone\n" + found + "\n\n" + found + "\n");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "phone,gcx_status,gcx_error_kind,gcx_error_code\n" + found + ",found,,\n" + found + ",found,,\n");
}

TEST_CASE("e2e csv: the first phone-like header is the phone column unless --column names another") {
    sim_process sim({"--rate-limit", "0"});
    const std::string input = "Order number,Mobile,Home Phone\n"
                              "1001," +
                              unknown + "," + found + "\n";
    auto by_default = lookup({"--csv", "--poll-ms", "20"}, sim.env(), input);
    INFO(by_default.err);
    CHECK(by_default.exit_code == 1);
    CHECK(by_default.out.find("1001," + unknown + "," + found + ",not_found,,\n") != std::string::npos);

    auto chosen = lookup({"--csv", "--column", "home phone", "--poll-ms", "20"}, sim.env(), input);
    INFO(chosen.err);
    CHECK(chosen.exit_code == 0);
    CHECK(chosen.out.find("1001," + unknown + "," + found + ",found,,\n") != std::string::npos);

    auto order = lookup({"--csv", "--column", "Order number", "--poll-ms", "20"}, sim.env(), input);
    CHECK(order.exit_code == 2);  // 1001 is no phone number
    CHECK(order.out.find(",error,invalid_input,phone\n") != std::string::npos);
}

TEST_CASE("e2e csv: no phone column, an unknown --column, or no header exits 2 before any request") {
    sim_process sim;
    auto none = lookup({"--csv"}, sim.env(), "id,name,email\n1,Maria,m@example.com\n");
    CHECK(none.exit_code == 2);
    CHECK(none.out.empty());
    CHECK(none.err.find("no column of the CSV header looks like a phone column") != std::string::npos);
    CHECK(none.err.find("\"id\", \"name\", \"email\"") != std::string::npos);
    CHECK(none.err.find("--column") != std::string::npos);

    auto unknown_column = lookup({"--csv", "--column", "fax"}, sim.env(), "id,phone\n1,+13175550123\n");
    CHECK(unknown_column.exit_code == 2);
    CHECK(unknown_column.err.find("--column fax: no such column") != std::string::npos);

    auto empty = lookup({"--csv"}, sim.env(), "");
    CHECK(empty.exit_code == 2);
    CHECK(empty.err.find("no CSV header") != std::string::npos);

    auto bad_header = lookup({"--csv"}, sim.env(), "id,\"phone\n");
    CHECK(bad_header.exit_code == 2);
    CHECK(bad_header.err.find("line 1: the CSV header is malformed") != std::string::npos);
    CHECK(sim.stat("requests_total") == 0);
}

TEST_CASE(
    "e2e csv: --csv with --json, with numbers as arguments, and --column or --fields without --csv are usage errors") {
    CHECK(lookup({"--csv", "--json"}, {}, "phone\n+13175550123\n").exit_code == 2);
    CHECK(lookup({"--csv", found}, {}).exit_code == 2);
    CHECK(lookup({"--column", "phone", found}, {}).exit_code == 2);
    CHECK(lookup({"--fields", "Found", found}, {}).exit_code == 2);
    CHECK(lookup({"--csv", "--fields", "Found,,ContactId"}, {}, "phone\n").exit_code == 2);
}

TEST_CASE("e2e csv: a header alone gives the header with the result columns and exits 0") {
    sim_process sim;
    auto r = lookup({"--csv", "--fields", "Found"}, sim.env(), "id;x,phone\r\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "id;x,phone,gcx_status,gcx_error_kind,gcx_error_code,Found\r\n");
    CHECK(sim.stat("requests_total") == 0);
}

TEST_CASE("e2e csv: a stream of rows longer than the reorder window keeps input order, each row with its own fields") {
    // Mostly empty phone cells (refused at once, no request) with a real lookup every 400 rows.
    sim_process sim({"--rate-limit", "0"});
    const int n = 3000;
    std::string input = "row,phone,\"note, quoted\"\n";
    auto phone_of = [](int i) { return i % 400 == 0 ? (i % 800 ? unknown : found) : std::string(); };
    for (int i = 0; i < n; ++i) input += std::to_string(i) + "," + phone_of(i) + ",\"n" + std::to_string(i) + "\"\n";
    auto r = lookup({"--csv", "--rate", "0", "--concurrency", "8", "--poll-ms", "20", "--fields", "Found"}, sim.env(),
                    input);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    auto rows = records(r.out, "\n");
    REQUIRE(rows.size() == static_cast<std::size_t>(n) + 1);
    bool in_order = true;
    for (int i = 0; i < n && in_order; ++i) {
        const std::string p = phone_of(i);
        const std::string tail = p.empty()    ? ",error,invalid_input,phone,"
                                 : p == found ? ",found,,,true"
                                              : ",not_found,,,false";
        const std::string want = std::to_string(i) + "," + p + ",\"n" + std::to_string(i) + "\"" + tail;
        in_order = rows[static_cast<std::size_t>(i) + 1] == want;
        INFO(rows[static_cast<std::size_t>(i) + 1] << " != " << want);
        CHECK(in_order);
    }
    CHECK(sim.stat("launches") == n / 400 + 1);
}

TEST_CASE(
    "e2e csv: --resume appending to the earlier run's CSV writes no second header and looks up only what is not answered") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    char tmpl[] = "/tmp/gcx-e2e-csv-resume-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    ::close(fd);
    const std::string file = tmpl;
    std::remove(file.c_str());  // the first run starts without it
    struct cleanup {
        std::string path;
        ~cleanup() { std::remove(path.c_str()); }
    } rm{file};
    // The shell appends stdout to the file that --resume reads, as a user would.
    const std::string cmd =
        std::string("exec '") + GCX_LOOKUP_BIN + "' --csv --resume '" + file + "' >> '" + file + "'";
    const std::string rows = "id,Phone\n1," + found + "\n2," + unknown + "\n3,bad\n";
    auto first = run({"/bin/sh", "-c", cmd}, sim.env(), rows);
    INFO(first.err);
    CHECK(first.exit_code == 2);
    const auto launches = sim.stat("launches");
    CHECK(launches == 2);

    auto second = run({"/bin/sh", "-c", cmd}, sim.env(), rows + "4,+13175550124\n");
    INFO(second.err);
    CHECK(second.exit_code == 2);
    CHECK(sim.stat("launches") - launches == 1);  // only the new row
    CHECK(e2e::detail::slurp(file) == "id,Phone,gcx_status,gcx_error_kind,gcx_error_code\n"
                                      "1," +
                                          found +
                                          ",found,,\n"
                                          "2," +
                                          unknown +
                                          ",not_found,,\n"
                                          "3,bad,error,invalid_input,phone\n"
                                          "3,bad,error,invalid_input,phone\n"  // an error does not stand: tried again
                                          "4,+13175550124,found,,\n");

    // A killed run cut the file's last row short (inside a quoted cell): the next run cuts the
    // fragment off before its own rows (an added line end would have stayed inside the quote).
    std::ofstream(file, std::ios::binary | std::ios::app) << "5,+1317555,found,,,\"Ja";
    auto third = run({"/bin/sh", "-c", cmd}, sim.env(), rows + "4,+13175550124\n6,+13175550125\n");
    INFO(third.err);
    const std::string after = e2e::detail::slurp(file);
    INFO(after);
    CHECK(after.find("5,+1317555") == std::string::npos);
    CHECK(after.find("4,+13175550124,found,,\n3,bad,error") !=
          std::string::npos);  // the rows follow the last whole one
    CHECK(after.find("\n6,+13175550125,found,,\n") != std::string::npos);
    CHECK(sim.stat("launches") - launches == 2);

    // A file of other columns (another --fields) is refused before any request: the rows would
    // not line up under its header.
    const std::string wide =
        std::string("exec '") + GCX_LOOKUP_BIN + "' --csv --fields FirstName --resume '" + file + "' >> '" + file + "'";
    const auto before = e2e::detail::slurp(file);
    auto other = run({"/bin/sh", "-c", wide}, sim.env(), rows);
    CHECK(other.exit_code == 2);
    CHECK(other.err.find("has other columns than this run writes") != std::string::npos);
    CHECK(e2e::detail::slurp(file) == before);
    CHECK(sim.stat("launches") - launches == 2);

    // A file that is not --csv output is refused before any request.
    auto wrong = lookup({"--csv", "--resume", "/etc/passwd"}, sim.env(), rows);
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("not gcx-lookup --csv output") != std::string::npos);
}
