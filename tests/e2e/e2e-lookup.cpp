// gcx-lookup against gcx-sim, both as separate processes: what a user sees.
#include "sim_process.hpp"
#include "test_pki.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <thread>
#include <poll.h>
#include <sys/stat.h>

using e2e::run;
using e2e::sim_process;

namespace {
const std::string found = "+13175550123";  // contact 123 of the simulator: Maria Schmidt
const std::string unknown = "+14155550000";

e2e::run_result lookup(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& input = {}) {
    std::vector<std::string> a{GCX_LOOKUP_BIN};
    a.insert(a.end(), args.begin(), args.end());
    return run(a, env, input);
}

boost::json::object json_line(const std::string& out) {
    return boost::json::parse(out.substr(0, out.find('\n'))).as_object();
}
}  // namespace

TEST_CASE("e2e: a known number is found and printed") {
    sim_process sim;
    auto r = lookup({found}, sim.env());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(found + ": found") != std::string::npos);
    CHECK(r.out.find("Maria Schmidt") != std::string::npos);
    CHECK(sim.stat("tokens_issued") == 1);
    CHECK(sim.stat("launches") == 1);
}

TEST_CASE("e2e: --json gives the output contract") {
    sim_process sim;
    auto r = lookup({"--json", found}, sim.env());
    REQUIRE(r.exit_code == 0);
    auto j = json_line(r.out);
    CHECK(j.at("phone") == found.c_str());
    CHECK(j.at("status") == "found");
    CHECK(j.at("executionId").is_string());
    CHECK(j.at("source") == "flow");
    const auto& outs = j.at("outputs").as_object();
    CHECK(outs.at("Found") == true);
    CHECK(outs.at("externalContact").at("firstName") == "Maria");
    CHECK(outs.at("CustomerProfile").is_string());  // as the flow gave it: a JSON-encoded string
    CHECK_FALSE(outs.contains("Flow.Found"));
}

TEST_CASE("e2e: an unknown number is not found and exits 1") {
    sim_process sim;
    auto r = lookup({unknown}, sim.env());
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("not found") != std::string::npos);
}

TEST_CASE("e2e: an invalid number exits 2 and sends no request") {
    sim_process sim;
    auto r = lookup({"--json", "317-555-0123"}, sim.env());
    CHECK(r.exit_code == 2);
    auto j = json_line(r.out);
    CHECK(j.at("status") == "error");
    CHECK(j.at("error").at("kind") == "invalid_input");
    CHECK(sim.stat("requests_total") == 0);
    CHECK(sim.stat("token_requests") == 0);
}

TEST_CASE("e2e: a wrong secret exits 3 and never prints the secret") {
    sim_process sim;
    auto env = sim.env();
    env["GENESYS_CLIENT_SECRET"] = "Wrong-Secret-Value-123456";
    auto r = lookup({found}, env);
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("auth") != std::string::npos);
    CHECK(r.out.find("Wrong-Secret-Value-123456") == std::string::npos);
    CHECK(r.err.find("Wrong-Secret-Value-123456") == std::string::npos);
}

TEST_CASE("e2e: a client whose role lacks the launch permission exits 3 with the permission in the hint") {
    sim_process sim;
    auto r = lookup({"--json", found}, sim.env(/*no_launch_client=*/true));
    CHECK(r.exit_code == 3);
    auto j = json_line(r.out);
    CHECK(j.at("error").at("kind") == "permission");
    CHECK(j.at("error").at("httpStatus") == 403);
    CHECK(std::string(j.at("error").at("hint").as_string()).find("architect:flow:launch") != std::string::npos);
    CHECK(j.at("error").at("correlationId").is_string());
}

TEST_CASE("e2e: a FAILED flow exits 4") {
    sim_process sim;
    auto r = lookup({"--json", "--flow-id", sim.demo.at("failing_flow_id"), found}, sim.env());
    CHECK(r.exit_code == 4);
    auto j = json_line(r.out);
    CHECK(j.at("error").at("kind") == "flow_failed");
    CHECK(j.at("executionId").is_string());
}

TEST_CASE("e2e: batch of 200 numbers at concurrency 8 under 429/503 faults") {
    sim_process sim({"--rate-limit", "0", "--faults", "429=0.05,503=0.05", "--seed", "7"});
    std::string input;
    for (int i = 0; i < 200; ++i)
        input += (i % 2 ? "+1317555" : "+1415555") + std::string(4 - std::to_string(i).size(), '0') +
                 std::to_string(i) + "\n";
    auto r = lookup({"--json", "--rate", "0", "--concurrency", "8"}, sim.env(), input);
    INFO(r.err);
    CHECK(r.exit_code == 1);  // half the numbers are unknown
    int lines = 0, found_n = 0, not_found_n = 0;
    std::size_t pos = 0;
    while (pos < r.out.size()) {
        auto nl = r.out.find('\n', pos);
        auto j = boost::json::parse(r.out.substr(pos, nl - pos)).as_object();
        ++lines;
        found_n += j.at("status") == "found";
        not_found_n += j.at("status") == "not_found";
        pos = nl + 1;
    }
    CHECK(lines == 200);
    CHECK(found_n == 100);
    CHECK(not_found_n == 100);
    auto s = sim.stats();
    CHECK(s.at("faults_injected").as_int64() > 0);
    CHECK(s.at("tokens_issued").as_int64() == 1);
    CHECK(s.at("launches").as_int64() == 200);
    CHECK(s.at("duplicate_launches").as_int64() == 0);
}

TEST_CASE("e2e: stdout to a file is block-buffered, or flushed per number with --line-buffered: same lines") {
    sim_process sim({"--rate-limit", "0"});
    std::string input;
    for (int i = 0; i < 40; ++i) input += (i % 2 ? "+1317555" : "+1415555") + std::to_string(1000 + i) + "\n";
    auto phones_and_status = [](const std::string& out) {
        std::vector<std::string> v;
        for (std::size_t pos = 0; pos < out.size();) {
            auto nl = out.find('\n', pos);
            auto j = boost::json::parse(out.substr(pos, nl - pos)).as_object();
            v.push_back(std::string(j.at("phone").as_string()) + " " + std::string(j.at("status").as_string()));
            pos = nl + 1;
        }
        return v;
    };
    auto block = lookup({"--json", "--rate", "0", "--concurrency", "4", "--poll-ms", "20"}, sim.env(), input);
    auto line =
        lookup({"--json", "--rate", "0", "--concurrency", "4", "--poll-ms", "20", "--line-buffered"}, sim.env(), input);
    INFO(block.err << line.err);
    CHECK(block.exit_code == 1);
    CHECK(line.exit_code == 1);
    auto a = phones_and_status(block.out);
    CHECK(a.size() == 40);
    CHECK(a == phones_and_status(line.out));
}

namespace {
/// gcx-sim serving HTTPS with the throw-away test certificate (SAN 127.0.0.1 and localhost).
sim_process tls_sim() {
    const auto& pki = gcx_test::test_pki::instance();
    return sim_process({"--rate-limit", "0", "--tls-cert", pki.server_cert, "--tls-key", pki.server_key}, pki.ca_cert);
}
}  // namespace

TEST_CASE("e2e: over https, --ca-file or GCX_CA_FILE makes gcx-lookup trust the simulator, on every transport") {
    sim_process sim = tls_sim();
    REQUIRE(sim.url.rfind("https://", 0) == 0);
    const std::string ca = gcx_test::test_pki::instance().ca_cert;
    std::string input;
    for (int i = 0; i < 12; ++i) input += (i % 2 ? unknown : found) + "\n";
    // Each stats() request is a connection of its own, counted in the answer it gets.
    auto counts = [&sim] {
        auto st = sim.stats();
        return std::make_pair(st.at("tokens_issued").to_number<std::int64_t>(),
                              st.at("connections_accepted").to_number<std::int64_t>());
    };
    auto before = counts();
    for (const char* transport : {"curl", "curl-threads", "httplib"}) {
        for (bool by_env : {false, true}) {
            INFO(transport << (by_env ? " GCX_CA_FILE" : " --ca-file"));
            auto env = sim.env();
            // --rate 0: the simulator has no rate limit here, and pacing (300 a minute) made each of
            // the six runs take 4 s; what is tested is the TLS trust, not the pace.
            std::vector<std::string> args{"--json",        "--rate", "0",         "--transport", transport,
                                          "--concurrency", "4",      "--poll-ms", "20"};
            if (by_env) env["GCX_CA_FILE"] = ca;
            else args.insert(args.end(), {"--ca-file", ca});
            auto r = lookup(args, env, input);
            INFO(r.out << r.err);
            CHECK(r.exit_code == 1);  // half found, half not: no error
            CHECK(r.out.find("\"status\":\"found\"") != std::string::npos);
            CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
            // One token per run, and one TLS connection per lookup in flight at most (the token
            // request may take one more before the batch starts).
            const auto after = counts();
            CHECK(after.first - before.first == 1);
            CHECK(after.second - before.second - 1 <= 5);
            before = after;
        }
    }
}

TEST_CASE("e2e: over https, a certificate from an unknown CA is refused once, not retried, and exits 4") {
    sim_process sim = tls_sim();
    for (const char* transport : {"curl", "curl-threads", "httplib"}) {
        INFO(transport);
        const auto before = sim.stat("connections_accepted");
        auto r = lookup({"--json", "--transport", transport, found}, sim.env());  // system CA store only
        INFO(r.out << r.err);
        CHECK(r.exit_code == 4);
        auto j = json_line(r.out);
        CHECK(j.at("status") == "error");
        CHECK(j.at("error").at("code") == "certificate");
        CHECK(j.at("error").at("message").as_string().find("retries") == boost::json::string::npos);
        CHECK(sim.stat("connections_accepted") - before - 1 == 1);  // one handshake, then the error
                                                                    // (- 1: the stats request)
        CHECK(sim.stat("token_requests") == 0);
        CHECK(r.out.find(sim.env().at("GENESYS_CLIENT_SECRET")) == std::string::npos);
    }
}

TEST_CASE(
    "e2e: a batch whose launches are dropped unanswered never starts a flow twice, on every transport, http and https") {
    // drop: gcx-sim starts the flow, then closes the connection without a byte. The launch may
    // not be sent again; the lookups still running keep other connections idle beside it.
    const auto& pki = gcx_test::test_pki::instance();
    std::string input;
    for (int i = 0; i < 60; ++i) input += (i % 2 ? unknown : found) + "\n";
    for (bool tls : {false, true}) {
        std::vector<std::string> args{"--rate-limit", "0", "--faults", "drop=0.15,on=launch", "--seed", "11"};
        if (tls) args.insert(args.end(), {"--tls-cert", pki.server_cert, "--tls-key", pki.server_key});
        sim_process sim(args, tls ? pki.ca_cert : std::string());
        for (const char* transport : {"curl", "curl-threads", "httplib"}) {
            INFO((tls ? "https " : "http ") << transport);
            auto env = sim.env();
            if (tls) env["GCX_CA_FILE"] = pki.ca_cert;
            const auto before = sim.stats();
            auto r =
                lookup({"--json", "--rate", "0", "--transport", transport, "--concurrency", "8", "--poll-ms", "20"},
                       env, input);
            const auto after = sim.stats();
            auto delta = [&](const char* k) {
                return after.at(k).to_number<std::int64_t>() - before.at(k).to_number<std::int64_t>();
            };
            CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 60);  // an answer for every number
            CHECK(delta("faults_drop") > 0);
            CHECK(delta("duplicate_launches") == 0);
            CHECK(delta("launches") <= 60);
            CHECK(r.exit_code == 4);  // the dropped ones end as errors ("the server may have acted on it")
            const bool reported = r.out.find("\"code\":\"empty_reply\"") != std::string::npos ||  // curl
                                  r.out.find("\"code\":\"recv\"") != std::string::npos;           // httplib
            CHECK(reported);
        }
    }
}

TEST_CASE("e2e: a launch a gateway answers 504 after the flow started is not sent again") {
    // 504after: gcx-sim starts the flow, then answers 504 request.timeout in the launch's place.
    // Nothing tells the flow did not run: sending the launch again could run it twice.
    sim_process sim({"--rate-limit", "0", "--faults", "504after=0.25,on=launch", "--seed", "3"});
    std::string input;
    for (int i = 0; i < 40; ++i) input += (i % 2 ? unknown : found) + "\n";
    auto r = lookup({"--json", "--rate", "0", "--concurrency", "8", "--poll-ms", "20"}, sim.env(), input);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 40);
    CHECK(sim.stat("faults_504") > 0);
    CHECK(sim.stat("duplicate_launches") == 0);
    CHECK(sim.stat("launch_requests") == 40);
    CHECK(sim.stat("launches") == 40);
    CHECK(r.exit_code == 4);
    CHECK(r.out.find("\"code\":\"request.timeout\"") != std::string::npos);
}

TEST_CASE("e2e: a launch answered 503 is sent again only when the answer says when (Retry-After)") {
    // A 503 with Retry-After: the platform turned the launch away, come back then (sent again).
    // Without one (a gateway's, a load balancer's), nothing says the flow did not start: not sent
    // again, the number's line says so.
    std::string input;
    for (int i = 0; i < 40; ++i) input += (i % 2 ? unknown : found) + "\n";
    for (const bool says_when : {true, false}) {
        INFO((says_when ? "Retry-After: 1" : "no Retry-After"));
        sim_process sim({"--rate-limit", "0", "--faults",
                         std::string("503=0.25,on=launch") + (says_when ? "" : ",retry_after=none"), "--seed", "3"});
        auto r = lookup({"--json", "--rate", "0", "--concurrency", "8", "--poll-ms", "20"}, sim.env(), input);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 40);
        CHECK(sim.stat("faults_503") > 0);
        CHECK(sim.stat("duplicate_launches") == 0);
        if (says_when) {
            CHECK(r.exit_code == 1);  // half the numbers are not found, none failed
            CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
            CHECK(sim.stat("launch_requests") > 40);  // the turned-away ones again
        } else {
            CHECK(r.exit_code == 4);
            CHECK(sim.stat("launch_requests") == 40);
            CHECK(r.out.find("\"code\":\"service.unavailable\"") != std::string::npos);
        }
    }
}

TEST_CASE("e2e: a CA file that cannot be read exits 2 before any connection") {
    sim_process sim = tls_sim();
    for (const char* ca : {"/nonexistent/gcx-ca.pem", "/"}) {  // missing, or a directory
        INFO(ca);
        auto r = lookup({"--ca-file", ca, found}, sim.env());
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("CA file") != std::string::npos);
    }
    CHECK(sim.stat("connections_accepted") == 1);  // only this stats request's own
}

TEST_CASE("e2e: with no credentials the built-in simulator answers") {
    auto r = lookup({found}, {});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("built-in simulator") != std::string::npos);
    CHECK(r.out.find("Maria Schmidt") != std::string::npos);
}

TEST_CASE("e2e: an org named without a client id is a configuration error, never the built-in simulator's answers") {
    // A secrets fetch that failed leaves GENESYS_CLIENT_ID empty beside the rest of a real org's settings.
    const std::map<std::string, std::string> org{{"GENESYS_CLIENT_ID", ""},
                                                 {"GENESYS_CLIENT_SECRET", "s3cr3t-Value-Of-A-Real-Org"},
                                                 {"GENESYS_REGION", "mypurecloud.de"},
                                                 {"TARGET_FLOW_ID", "11111111-2222-4333-8444-555555555555"}};
    for (const auto& only : {std::string("GENESYS_CLIENT_SECRET"), std::string("TARGET_FLOW_ID"),
                             std::string("GENESYS_CLIENT_ID"), std::string("all")}) {
        INFO(only);
        std::map<std::string, std::string> env;
        for (const auto& [k, v] : org)
            if (only == "all" || k == only) env.emplace(k, v);
        auto r = lookup({"--quiet", "--json", found}, env);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());  // no line: nothing was looked up
        CHECK(r.err.find("no OAuth client id") != std::string::npos);
        CHECK(r.err.find("s3cr3t-Value") == std::string::npos);
    }
    // --simulator asks for it whatever is set.
    auto sim = lookup({"--simulator", "--quiet", found}, org);
    CHECK(sim.exit_code == 0);
    CHECK(sim.out.find("Maria Schmidt") != std::string::npos);
}

TEST_CASE("e2e: --direct answers from External Contacts without a flow") {
    sim_process sim;
    auto env = sim.env();
    env.erase("TARGET_FLOW_ID");
    auto r = lookup({"--json", "--direct", found}, env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    auto j = json_line(r.out);
    CHECK(j.at("source") == "direct");
    CHECK(j.at("outputs").at("externalContact").at("lastName") == "Schmidt");
    CHECK(sim.stat("launches") == 0);
    CHECK(sim.stat("direct_lookups") == 1);
}

TEST_CASE("e2e: flow-then-direct rescues a client that may not launch flows") {
    sim_process sim;
    auto r = lookup({"--json", "--strategy", "flow-then-direct", found}, sim.env(/*no_launch_client=*/true));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    auto j = json_line(r.out);
    CHECK(j.at("source") == "direct");
    CHECK(j.at("status") == "found");
    CHECK(std::string(j.at("fallbackReason").as_string()).find("architect:flow:launch") != std::string::npos);
}

TEST_CASE("e2e: the secret is read from a file, never from the command line") {
    sim_process sim;
    auto env = sim.env();
    std::string path = "/tmp/gcx-e2e-secret-" + std::to_string(::getpid());
    {
        FILE* f = std::fopen(path.c_str(), "w");
        std::fputs((env.at("GENESYS_CLIENT_SECRET") + "\n").c_str(), f);
        std::fclose(f);
    }
    env.erase("GENESYS_CLIENT_SECRET");
    // Others may read it: refused, as a --credentials-file is (before: read silently).
    ::chmod(path.c_str(), 0644);
    auto readable = lookup({"--client-secret-file", path, found}, env);
    CHECK(readable.exit_code == 2);
    CHECK(readable.err.find("may be read by others: chmod 600 it") != std::string::npos);
    CHECK(sim.stat("tokens_issued") == 0);
    ::chmod(path.c_str(), 0600);
    auto r = lookup({"--client-secret-file", path, found}, env);
    CHECK(r.exit_code == 0);
    // An empty file is named as the empty source (before: "GENESYS_CLIENT_SECRET is not set").
    {
        FILE* f = std::fopen(path.c_str(), "w");
        std::fputs(" \n", f);
        std::fclose(f);
    }
    auto empty = lookup({"--client-secret-file", path, found}, env);
    std::remove(path.c_str());
    CHECK(empty.exit_code == 2);
    CHECK(empty.err.find("--client-secret-file " + path + " is empty") != std::string::npos);
    auto refused = lookup({"--client-secret", "x", found}, env);
    CHECK(refused.exit_code == 2);
}

TEST_CASE("e2e: the httplib transport gives the same answer") {
    sim_process sim;
    auto r = lookup({"--transport", "httplib", found}, sim.env());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Maria Schmidt") != std::string::npos);
}

TEST_CASE("e2e: a batch gets the same answers from the one-thread curl loop, curl threads and httplib") {
    sim_process sim({"--rate-limit", "0"});
    std::string input;
    for (int i = 0; i < 30; ++i) input += (i % 3 ? "+1317555" : "+1415555") + std::to_string(2000 + i) + "\n";
    input += "12\n";  // invalid: refused before any request, in its place in the output
    // Each line without the execution id (a new execution per run).
    auto answers = [](const std::string& out) {
        std::vector<std::string> v;
        for (std::size_t pos = 0; pos < out.size();) {
            auto nl = out.find('\n', pos);
            auto j = boost::json::parse(out.substr(pos, nl - pos)).as_object();
            j.erase("executionId");
            v.push_back(boost::json::serialize(j));
            pos = nl + 1;
        }
        return v;
    };
    std::vector<std::vector<std::string>> all;
    for (const char* t : {"curl", "curl-threads", "httplib"}) {
        auto r = lookup({"--json", "--rate", "0", "--transport", t, "--concurrency", "6", "--poll-ms", "20"}, sim.env(),
                        input);
        INFO(t << ": " << r.err);
        CHECK(r.exit_code == 2);  // the invalid number is the most severe outcome
        all.push_back(answers(r.out));
    }
    REQUIRE(all[0].size() == 31);
    CHECK(all[0][0].find("\"status\":\"not_found\"") != std::string::npos);
    CHECK(all[0][1].find("\"status\":\"found\"") != std::string::npos);
    CHECK(all[0][30].find("\"kind\":\"invalid_input\"") != std::string::npos);
    CHECK(all[0] == all[1]);
    CHECK(all[0] == all[2]);
    auto s = sim.stats();
    CHECK(s.at("tokens_issued").as_int64() == 3);  // one per run
    CHECK(s.at("launches").as_int64() == 90);
    CHECK(s.at("duplicate_launches").as_int64() == 0);
}

TEST_CASE("e2e: usage errors exit 2") {
    CHECK(lookup({"--bogus"}, {}).exit_code == 2);
    for (const char* valued_flag : {"--json=no", "--quiet=1", "--wait-rate-limit=false"}) {  // turned the flag on
        CAPTURE(valued_flag);
        auto r = lookup({valued_flag, found}, {});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("takes no value") != std::string::npos);
    }
    CHECK(lookup({"--concurrency", "0", found}, {}).exit_code == 2);
    CHECK(lookup({"--strategy", "magic", found}, {}).exit_code == 2);
    sim_process sim;
    auto env = sim.env();
    env.erase("TARGET_FLOW_ID");
    auto r = lookup({found}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("TARGET_FLOW_ID") != std::string::npos);
}

namespace {
/// n numbers, half of them known to gcx-sim.
std::string numbers(int n) {
    std::string input;
    for (int i = 0; i < n; ++i)
        input += (i % 2 ? "+1317555" : "+1415555") + std::string(4 - std::to_string(i).size(), '0') +
                 std::to_string(i) + "\n";
    return input;
}
std::string error_lines(const std::string& out) {
    std::string lines;
    for (std::size_t pos = 0; pos < out.size();) {
        const auto nl = std::min(out.find('\n', pos), out.size());
        const std::string line = out.substr(pos, nl - pos);
        if (line.find("\"status\":\"error\"") != std::string::npos) lines += line + "\n";
        pos = nl + 1;
    }
    return lines;
}
// A "day" of gcx-sim's --daily-limit of 400 days (its longest): its Retry-After is past the 180 s
// ceiling but in the last 3 minutes of a 400-day period (with a real day, a run in the last 3
// minutes before UTC midnight waited it out: a 120 s timeout).
const char* const long_day = "34560000";

int count_lines(const std::string& out, const char* status) {
    int n = 0;
    for (std::size_t pos = 0; pos < out.size();) {
        auto nl = out.find('\n', pos);
        n += boost::json::parse(out.substr(pos, nl - pos)).as_object().at("status") == status;
        pos = nl + 1;
    }
    return n;
}
}  // namespace

TEST_CASE("e2e: -- ends the options: what follows is a number, even one that looks like an option") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "50"});
    auto r = lookup({"--json", "--poll-ms", "50", "--", found, "--json"}, sim.env());
    CHECK(r.exit_code != 0);  // the second "number" is invalid
    REQUIRE(count_lines(r.out, "found") == 1);
    CHECK(r.out.find("invalid phone number") != std::string::npos);
}

TEST_CASE(
    "e2e: a batch bigger than a minute's budget, against the default per-token limit: all answered, no 429 storm") {
    sim_process sim;    // gcx-sim's defaults: 300 requests per token per minute, field-like run times
    const int n = 160;  // about 320 requests (2 a lookup): more than one minute's budget
    auto r = lookup({"--json", "--concurrency", "16"}, sim.env(), numbers(n));
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(count_lines(r.out, "found") == n / 2);
    CHECK(count_lines(r.out, "not_found") == n / 2);
    const auto requests = sim.stat("requests_total");
    CHECK(requests > 300);
    CHECK(sim.stat("rate_limited") * 100 <= requests);  // at most 1% answered 429
    CHECK(sim.stat("duplicate_launches") == 0);
    CHECK(r.err.find("requests") != std::string::npos);  // the summary on stderr
}

TEST_CASE("e2e: 2-second tokens, 16 in flight and a 429 on a third of launches end with no error") {
    sim_process sim(
        {"--token-ttl", "2", "--run-ms", "1000", "--rate-limit", "0", "--faults", "429=0.33,on=launch", "--seed", "5"});
    // A launch meets six 429s in a row once in 240 (0.33 ** 6): they are retried on their own
    // limit (retry_policy::max_rate_limited_retries), not max_retries.
    const int n = 100;
    auto r = lookup({"--json", "--rate", "0", "--concurrency", "16"}, sim.env(), numbers(n));
    INFO(r.err);
    INFO(error_lines(r.out));
    CHECK(r.exit_code == 1);
    CHECK(count_lines(r.out, "error") == 0);
    CHECK(count_lines(r.out, "found") + count_lines(r.out, "not_found") == n);
}

TEST_CASE("e2e: a wrong secret over a batch costs at most two token requests, and every line says why") {
    sim_process sim;
    auto env = sim.env();
    env["GENESYS_CLIENT_SECRET"] = "not-the-secret-0000";
    const int n = 60;
    auto r = lookup({"--json", "--concurrency", "8"}, env, numbers(n));
    CHECK(r.exit_code == 3);
    CHECK(count_lines(r.out, "error") == n);
    CHECK(sim.stat("token_requests") <= 2);
    CHECK(r.out.find("not-the-secret") == std::string::npos);
}

TEST_CASE("e2e: a daily limit's hours-long Retry-After stops the batch: every number still gets one line") {
    sim_process sim({"--daily-limit", "12", "--daily-period", long_day, "--run-ms", "100"});
    const int n = 30;
    auto r = lookup({"--json", "--concurrency", "2"}, sim.env(), numbers(n));
    INFO(r.err);
    CHECK(r.exit_code == 4);
    int lines = 0, limited = 0;
    for (std::size_t pos = 0; pos < r.out.size();) {
        auto nl = r.out.find('\n', pos);
        auto j = boost::json::parse(r.out.substr(pos, nl - pos)).as_object();
        ++lines;
        if (j.at("status") == "error") {
            CHECK(j.at("error").at("kind") == "rate_limited");
            ++limited;
        }
        pos = nl + 1;
    }
    CHECK(lines == n);
    CHECK(limited >= n - 6);                      // 12 requests a day: a handful of lookups at most
    CHECK(sim.stat("requests_total") <= 12 + 4);  // no request after the stop but those in flight
    // The summary counts as lookups only the numbers looked up, the rest apart.
    std::smatch m;
    REQUIRE(std::regex_search(r.err, m, std::regex("gcx-lookup: ([0-9]+) lookups .*; ([0-9]+) lines not looked up")));
    const int looked = std::stoi(m[1]), skipped = std::stoi(m[2]);
    CHECK(looked + skipped == n);
    CHECK(looked <= 8);
    CHECK(skipped >= n - 8);
}

TEST_CASE("e2e: a Retry-After over --max-retry-after stops the batch, and --wait-rate-limit waits it out") {
    // A "day" of 2 s with 5 requests (a batch of 8 needs about 17): the daily limit's 429 says Retry-After 1 or 2 s, over a
    // ceiling of 0 s. No pacing (--rate 0), so the limit is met at once.
    const int n = 8;
    SECTION("by default the batch stops: every number still gets one line, the rest rate_limited") {
        sim_process sim({"--daily-limit", "5", "--daily-period", "2", "--run-ms", "100", "--rate-limit", "0"});
        auto r =
            lookup({"--json", "--concurrency", "2", "--rate", "0", "--max-retry-after", "0"}, sim.env(), numbers(n));
        INFO(r.err);
        CHECK(r.exit_code == 4);
        int lines = 0, ceiling = 0;
        for (std::size_t pos = 0; pos < r.out.size();) {
            auto nl = r.out.find('\n', pos);
            auto j = boost::json::parse(r.out.substr(pos, nl - pos)).as_object();
            ++lines;
            if (j.at("status") == "error" && j.at("error").at("code") == "retry_ceiling") ++ceiling;
            pos = nl + 1;
        }
        CHECK(lines == n);
        CHECK(ceiling >= 1);
    }
    SECTION("--wait-rate-limit: every number answered once the limit lifts") {
        sim_process sim({"--daily-limit", "5", "--daily-period", "2", "--run-ms", "100", "--rate-limit", "0"});
        auto r = lookup({"--json", "--concurrency", "2", "--rate", "0", "--max-retry-after", "0", "--wait-rate-limit"},
                        sim.env(), numbers(n));
        INFO(r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1));
        CHECK(count_lines(r.out, "found") + count_lines(r.out, "not_found") == n);
        CHECK(count_lines(r.out, "error") == 0);
        CHECK(sim.stat("daily_limited") >= 1);  // the limit was met, and waited out
    }
}

TEST_CASE("e2e: results that cannot be written (stdout on a full disk) exit 4 and say so, even with --quiet") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    auto to_full_disk = [&](std::vector<std::string> args, const std::string& input) {
        std::vector<std::string> a{"/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", GCX_LOOKUP_BIN};
        a.insert(a.end(), args.begin(), args.end());
        return e2e::run(a, sim.env(), input);
    };
    auto one = to_full_disk({"--quiet", "--json", found}, "");
    CHECK(one.exit_code == 4);
    CHECK(one.err.find("cannot write the results to standard output") != std::string::npos);
    // A batch stops starting lookups whose results would be lost.
    auto batch = to_full_disk(
        {"--quiet", "--json", "--concurrency", "2", "--rate", "0", "--poll-ms", "20", "--line-buffered"}, numbers(200));
    INFO(batch.err);
    CHECK(batch.exit_code == 4);
    CHECK(batch.err.find("cannot write the results to standard output (No space left on device)") != std::string::npos);
    CHECK(sim.stat("launches") < 100);
}

namespace {
/// gcx-lookup with pipes on stdin and stdout (stderr to a file), for what a stream shows while it
/// runs. `ignore_sigpipe`: started with SIGPIPE ignored, as some parents leave it.
class piped_lookup {
public:
    piped_lookup(std::vector<std::string> args, const std::map<std::string, std::string>& env,
                 bool ignore_sigpipe = false) {
        std::vector<std::string> a{GCX_LOOKUP_BIN};
        a.insert(a.end(), args.begin(), args.end());
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
        char tmpl[] = "/tmp/gcx-e2e-err-XXXXXX";
        const int fe = ::mkstemp(tmpl);
        err_path_ = tmpl;
        auto envs = e2e::detail::environment(env);
        auto av = e2e::detail::argv_of(a);
        auto ev = e2e::detail::argv_of(envs);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {  // async-signal-safe calls only (see e2e::run)
            if (ignore_sigpipe) {
                struct sigaction sa {};
                sa.sa_handler = SIG_IGN;
                ::sigaction(SIGPIPE, &sa, nullptr);
            }
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::dup2(fe, 2);
            ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]), ::close(fe);
            ::execve(av[0], av.data(), ev.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        ::close(fe);
        in_ = in[1];
        out_ = out[0];
    }
    ~piped_lookup() {
        close_input();
        close_output();
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        std::remove(err_path_.c_str());
    }
    piped_lookup(const piped_lookup&) = delete;
    piped_lookup& operator=(const piped_lookup&) = delete;

    void write(const std::string& s) {
        for (std::size_t done = 0; done < s.size();) {
            const auto n = ::write(in_, s.data() + done, s.size() - done);
            if (n <= 0) throw std::runtime_error("write to gcx-lookup failed");
            done += static_cast<std::size_t>(n);
        }
    }
    void close_input() {
        if (in_ >= 0) ::close(in_);
        in_ = -1;
    }
    void close_output() {
        if (out_ >= 0) ::close(out_);
        out_ = -1;
    }
    /// The next line of its stdout (without the newline); "" at its end, or after `limit` with
    /// nothing (so that a test fails rather than hangs).
    std::string line(std::chrono::seconds limit = std::chrono::seconds{30}) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            const auto nl = buf_.find('\n');
            if (nl != std::string::npos) {
                std::string l = buf_.substr(0, nl);
                buf_.erase(0, nl + 1);
                return l;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return {};
            pollfd p{out_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
            char b[4096];
            const auto n = ::read(out_, b, sizeof b);
            if (n <= 0) return {};
            buf_.append(b, static_cast<std::size_t>(n));
        }
    }
    /// Waits for it to end (at most `limit`, then kills it); its wait status.
    int wait(std::chrono::seconds limit = std::chrono::seconds{60}) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        int status = 0;
        while (::waitpid(pid_, &status, WNOHANG) != pid_) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        waited_ = true;
        return status;
    }
    std::string err() const { return e2e::detail::slurp(err_path_); }
    void signal(int sig) const { ::kill(pid_, sig); }

private:
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1;
    bool waited_ = false;
    std::string err_path_, buf_;
};
}  // namespace

TEST_CASE("e2e: numbers on a pipe are looked up as they come: results are written before stdin is closed") {
    sim_process sim({"--rate-limit", "0"});
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        piped_lookup p({"--json", "--rate", "0", "--transport", transport, "--concurrency", "4", "--poll-ms", "20",
                        "--line-buffered"},
                       sim.env());
        p.write(found + "\n" + unknown + "\n");
        // stdin stays open: the first result comes all the same.
        const std::string first = p.line();
        REQUIRE_FALSE(first.empty());
        CHECK(json_line(first).at("phone") == found.c_str());
        CHECK(json_line(first).at("status") == "found");
        CHECK(json_line(p.line()).at("status") == "not_found");
        p.write(found + "\n" + "12\n" + unknown + "\n");
        p.close_input();
        std::vector<std::string> rest;
        for (std::string l = p.line(); !l.empty(); l = p.line())
            rest.push_back(json_line(l).at("status").as_string().c_str());
        CHECK(rest == std::vector<std::string>{"found", "error", "not_found"});
        const int st = p.wait();
        CHECK(WIFEXITED(st));
        CHECK(WEXITSTATUS(st) == 2);  // the invalid line
    }
}

TEST_CASE("e2e: a stream longer than the reorder window keeps input order while slow lookups hold its head") {
    // Mostly invalid lines (answered at once, no request) with a real lookup every 400 lines:
    // each real one holds the window's head while the invalid ones behind it end.
    sim_process sim({"--rate-limit", "0"});
    const int n = 4000;
    std::string input;
    for (int i = 0; i < n; ++i)
        input += (i % 400 == 0 ? (i % 800 ? unknown : found) : "bad-" + std::to_string(i)) + "\n";
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        auto r = lookup({"--json", "--rate", "0", "--transport", transport, "--concurrency", "8", "--poll-ms", "20"},
                        sim.env(), input);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        int i = 0;
        bool in_order = true;
        for (std::size_t pos = 0; pos < r.out.size(); ++i) {
            auto nl = r.out.find('\n', pos);
            auto j = boost::json::parse(r.out.substr(pos, nl - pos)).as_object();
            const std::string want = i % 400 == 0 ? (i % 800 ? unknown : found) : "bad-" + std::to_string(i);
            in_order = in_order && j.at("phone") == want.c_str();
            pos = nl + 1;
        }
        CHECK(i == n);
        CHECK(in_order);
    }
    CHECK(sim.stat("launches") == 2 * n / 400);
}

TEST_CASE(
    "e2e: a batch stopped by a Retry-After over the ceiling still reads the rest of a long stream: one line each") {
    sim_process sim({"--daily-limit", "12", "--daily-period", long_day, "--run-ms", "100"});
    const int n = 3000;  // more than the reorder window and the lines read ahead
    auto r = lookup({"--json", "--concurrency", "2"}, sim.env(), numbers(n) + "not-a-number\n");
    INFO(r.err);
    CHECK(r.exit_code == 2);  // the invalid number is still one (a usage error wins over 4)
    CHECK(count_lines(r.out, "found") + count_lines(r.out, "not_found") + count_lines(r.out, "error") == n + 1);
    CHECK(count_lines(r.out, "error") >= n - 6);
    const auto last = boost::json::parse(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1)).as_object();
    CHECK(last.at("error").at("kind") == "invalid_input");  // before: rate_limited, "not looked up: ..."
    CHECK(sim.stat("requests_total") <= 12 + 4);
}

TEST_CASE("e2e: after a Retry-After over the ceiling a signal ends the batch while its input stream stays open") {
    // A producer that never ends (tail -f, a slow export): the lines of the stopped batch are read
    // as they come, and a scheduler's SIGTERM must not wait for an end of input that never comes.
    sim_process sim({"--daily-limit", "4", "--daily-period", long_day, "--run-ms", "50", "--rate-limit", "0"});
    piped_lookup p({"--json", "--rate", "0", "--line-buffered"}, sim.env());
    p.write(numbers(6));                                          // stdin stays open
    for (int i = 0; i < 6; ++i) REQUIRE_FALSE(p.line().empty());  // the limit met: every line written
    p.signal(SIGTERM);
    const int st = p.wait();  // within the 5 s grace, not at the end of input
    CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 143));
}

TEST_CASE("e2e: the reader going away (EPIPE) stops the batch quietly, as SIGPIPE would, even with SIGPIPE ignored") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    const int n = 300;
    struct variant {
        const char* name;
        bool ignore_sigpipe, builtin_simulator;
    };
    for (const variant v :
         {variant{"default SIGPIPE", false, false}, variant{"SIGPIPE ignored by the parent", true, false},
          variant{"built-in simulator (its server ignores SIGPIPE)", false, true}}) {
        INFO(v.name);
        const auto launches_before = sim.stat("launches");
        std::vector<std::string> args{"--json", "--rate",    "0",  "--concurrency",
                                      "2",      "--poll-ms", "20", "--line-buffered"};
        if (v.builtin_simulator) args.push_back("--simulator");
        piped_lookup p(args, v.builtin_simulator ? std::map<std::string, std::string>{} : sim.env(), v.ignore_sigpipe);
        p.write(numbers(n));
        p.close_input();
        CHECK_FALSE(p.line().empty());  // `| head -1`
        p.close_output();
        const int st = p.wait();
        CHECK(WIFSIGNALED(st));
        CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE));  // the shell shows 141
        const std::string err = p.err();
        CHECK(err.find("cannot write") == std::string::npos);
        CHECK(err.find("lookups (") == std::string::npos);  // no summary
        if (!v.builtin_simulator) CHECK(sim.stat("launches") - launches_before < n / 2);
    }
}

namespace {
/// A file under /tmp removed at scope exit.
struct temp_path {
    std::string path;
    explicit temp_path(const char* stem) {
        char tmpl[64];
        std::snprintf(tmpl, sizeof tmpl, "/tmp/gcx-e2e-%s-XXXXXX", stem);
        const int fd = ::mkstemp(tmpl);
        if (fd >= 0) ::close(fd);
        path = tmpl;
    }
    ~temp_path() { std::remove(path.c_str()); }
    void write(const std::string& s) const { std::ofstream(path, std::ios::binary | std::ios::trunc) << s; }
    void append(const std::string& s) const { std::ofstream(path, std::ios::binary | std::ios::app) << s; }
};
/// The "phone" of each JSON line of `out`, in order.
std::vector<std::string> phones_of(const std::string& out) {
    std::vector<std::string> v;
    for (std::size_t pos = 0; pos < out.size();) {
        auto nl = out.find('\n', pos);
        v.push_back(boost::json::parse(out.substr(pos, nl - pos)).as_object().at("phone").as_string().c_str());
        pos = nl + 1;
    }
    return v;
}
/// Waits (at most 20 s) until the simulator has seen `n` launches.
bool wait_for_launches(const sim_process& sim, std::int64_t n) {
    for (int i = 0; i < 2000; ++i) {
        if (sim.stat("launches") >= n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}
}  // namespace

TEST_CASE("e2e: --unordered writes each result when its lookup ends, each JSON line naming its input place") {
    // Two real lookups of 800 ms at the input's head and middle, invalid lines (answered at once,
    // no request) around them: in input order the first lookup holds every line behind it.
    sim_process sim({"--rate-limit", "0", "--run-ms", "800"});
    const std::vector<std::string> in = {found, "bad-1", "bad-2", unknown, "bad-3"};
    std::string input;
    for (const auto& n : in) input += n + "\n\n# a comment, not counted\n";
    temp_path results("unordered");
    {
        auto r = lookup({"--json", "--unordered", "--rate", "0", "--concurrency", "4"}, sim.env(), input);
        INFO(r.err);
        CHECK(r.exit_code == 2);  // the invalid lines
        const auto phones = phones_of(r.out);
        REQUIRE(phones.size() == in.size());
        CHECK(std::vector<std::string>(phones.begin(), phones.begin() + 3) ==
              std::vector<std::string>{"bad-1", "bad-2", "bad-3"});  // before the lookups that hold them in order
        std::set<std::string> last(phones.begin() + 3, phones.end());
        CHECK(last == std::set<std::string>{found, unknown});
        std::set<std::int64_t> seen;
        for (std::size_t pos = 0; pos < r.out.size();) {
            const auto nl = r.out.find('\n', pos);
            const auto j = boost::json::parse(r.out.substr(pos, nl - pos)).as_object();
            pos = nl + 1;
            const auto index = j.at("index").as_int64();
            REQUIRE(index >= 0);
            REQUIRE(index < static_cast<std::int64_t>(in.size()));
            CHECK(j.at("phone") == in[static_cast<std::size_t>(index)].c_str());
            seen.insert(index);
        }
        CHECK(seen.size() == in.size());
        results.write(r.out);
    }
    {
        // In input order (the default) the first lookup's line comes first and no line has an index.
        auto r = lookup({"--json", "--rate", "0", "--concurrency", "4"}, sim.env(), input);
        CHECK(phones_of(r.out) == in);
        CHECK(r.out.find("\"index\"") == std::string::npos);
    }
    {
        // An unordered output is a --resume file like any other: its answers stand, whatever their order.
        const auto launches = sim.stat("launches");
        auto r = lookup({"--json", "--unordered", "--resume", results.path}, sim.env(), input);
        INFO(r.err);
        CHECK(sim.stat("launches") == launches);
        CHECK(phones_of(r.out) == std::vector<std::string>{"bad-1", "bad-2", "bad-3"});  // errors do not stand
    }
}

TEST_CASE("e2e: a reader that pauses does not stall the lookups in flight: none of them times out meanwhile") {
    // 4 lookups, then 600 invalid lines (a JSON line each, about 150 KB in all: more than the
    // pipe holds), then 4 more lookups, all in flight at once. When the first 4 end, the lines
    // behind them are written and fill the pipe, which nobody reads for 4 s, twice the lookup
    // timeout. The last 4 must still end found: stdout is written by a thread of its own.
    sim_process sim({"--rate-limit", "0", "--run-ms", "300"});
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        std::string input;
        for (int i = 0; i < 4; ++i) input += found + "\n";
        for (int i = 0; i < 600; ++i) input += "not-a-number-" + std::to_string(i) + "\n";
        for (int i = 0; i < 4; ++i) input += found + "\n";
        piped_lookup p({"--json", "--rate", "0", "--transport", transport, "--concurrency", "8", "--timeout", "2"},
                       sim.env());
        p.write(input);
        p.close_input();
        std::this_thread::sleep_for(std::chrono::seconds(4));
        std::string out;
        for (std::string l = p.line(); !l.empty(); l = p.line()) out += l + "\n";
        const int st = p.wait();
        INFO(p.err());
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 2));  // the invalid lines
        CHECK(count_lines(out, "found") == 8);
        CHECK(count_lines(out, "error") == 600);
    }
}

TEST_CASE("e2e: --resume skips the numbers an earlier run found or did not find, and looks up the errors again") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    temp_path results("resume");
    std::remove(results.path.c_str());             // a missing file: the first run
    const std::string spaced = "+1 317 555 0123";  // the found number, as a person types it
    auto first = lookup({"--json", "--resume", results.path}, sim.env(), found + "\n" + unknown + "\nbad\n");
    INFO(first.err);
    CHECK(first.exit_code == 2);
    REQUIRE(phones_of(first.out) == (std::vector<std::string>{found, unknown, "bad"}));
    results.write(first.out);
    results.append("{\"phone\":\"+13175550124\",\"status\":\"fou");  // the last line of a killed run
    const auto launches = sim.stat("launches");

    auto second =
        lookup({"--json", "--resume", results.path}, sim.env(), spaced + "\n" + unknown + "\nbad\n+13175550124\n");
    INFO(second.err);
    CHECK(second.exit_code == 2);  // the invalid line again; the rest found, or not found from the file
    CHECK(phones_of(second.out) == (std::vector<std::string>{"bad", "+13175550124"}));
    CHECK(sim.stat("launches") - launches == 1);
    CHECK(second.err.find("2 answered in the resume file") != std::string::npos);

    // Everything answered: nothing is looked up, and the exit status is the file's (one not found).
    results.append("\n" + second.out);
    auto third = lookup({"--json", "--resume", results.path}, sim.env(), found + "\n" + unknown + "\n+13175550124\n");
    CHECK(third.exit_code == 1);
    CHECK(third.out.empty());
    CHECK(sim.stat("launches") - launches == 1);
}

TEST_CASE("e2e: --resume skips a number given twice only as often as the file answered it") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    temp_path results("resume-twice");
    // An earlier run, interrupted after the first line: the number comes again on line 3.
    results.write("{\"phone\":\"" + found + "\",\"status\":\"found\"}\n");
    auto r = lookup({"--json", "--resume", results.path}, sim.env(), found + "\n" + unknown + "\n" + found + "\n");
    INFO(r.err);
    CHECK(phones_of(r.out) == (std::vector<std::string>{unknown, found}));  // before: line 3 was lost
    CHECK(sim.stat("launches") == 2);
    CHECK(r.err.find("1 answered in the resume file") != std::string::npos);
}

TEST_CASE("e2e: a 429 on a poll longer than --timeout leaves is waited out, not charged to --timeout") {
    // Retry-After 1 s on most polls, a 1 s timeout: the wait never fits in what is left. The
    // seed and one lookup at a time make the simulator's 429s the same on every run. A batch
    // waits out every Retry-After up to the ceiling (the library: retry.rate_limits_extend_deadline).
    const std::vector<std::string> args{"--run-ms", "50", "--rate-limit", "0", "--faults", "429=0.7,on=poll",
                                        "--seed",   "3"};
    const std::string three = "+13175550001\n+13175550002\n+13175550003\n";
    for (const char* flag : {"--timeout", "--wait-rate-limit"}) {
        INFO(flag);
        sim_process sim(args);
        std::vector<std::string> a{"--json", "--timeout", "1"};
        if (std::string(flag) != "--timeout") a.push_back(flag);
        auto r = lookup(a, sim.env(), three);
        INFO(r.err << r.out);
        CHECK(r.exit_code == 0);
        CHECK(count_lines(r.out, "found") == 3);
        CHECK(sim.stat("answered_429") >= 1);
        CHECK(sim.stat("duplicate_launches") == 0);
        CHECK(sim.stat("launches") == 3);
    }
}

TEST_CASE("e2e: a batch stopped by a daily limit does not report the numbers of the resume file again") {
    // The lines never started were each reported with the stop's error, those answered in the
    // resume file too: a number written twice, the second time as an error.
    sim_process sim({"--daily-limit", "12", "--daily-period", long_day, "--run-ms", "100"});
    const int n = 30;
    const std::string input = numbers(n);
    std::vector<std::string> all;
    for (std::size_t pos = 0; pos < input.size();) {
        const auto nl = input.find('\n', pos);
        all.push_back(input.substr(pos, nl - pos));
        pos = nl + 1;
    }
    temp_path results("resume-stop");
    std::string earlier;  // the last three numbers, answered by an earlier run
    for (int i = n - 3; i < n; ++i)
        earlier += "{\"phone\":\"" + all[static_cast<std::size_t>(i)] + "\",\"status\":\"" +
                   (i % 2 ? "found" : "not_found") + "\"}\n";
    results.write(earlier);
    auto r = lookup({"--json", "--concurrency", "2", "--resume", results.path}, sim.env(), input);
    INFO(r.err);
    CHECK(r.exit_code == 4);
    const auto phones = phones_of(r.out);
    CHECK(phones.size() == static_cast<std::size_t>(n - 3));
    for (int i = n - 3; i < n; ++i)
        CHECK(std::count(phones.begin(), phones.end(), all[static_cast<std::size_t>(i)]) == 0);
    CHECK(r.err.find("3 answered in the resume file") != std::string::npos);
}

TEST_CASE("e2e: --resume refuses a file that is not --json output, and text output") {
    sim_process sim;
    temp_path results("resume-text");
    results.write(found + ": found\n  name: Maria Schmidt\n");
    auto r = lookup({"--json", "--resume", results.path}, sim.env(), found + "\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not gcx-lookup --json output") != std::string::npos);
    auto t = lookup({"--resume", results.path}, sim.env(), found + "\n");
    CHECK(t.exit_code == 2);
    CHECK(t.err.find("--json") != std::string::npos);
    CHECK(sim.stat("requests_total") == 0);
}

TEST_CASE("e2e: a number queued again after a rate limit (--wait-rate-limit) when SIGINT comes still gets its line") {
    // One token a minute, each valid 1 s: the second number's token request is refused as rate
    // limited ("rate limit exceeded", a 400 without Retry-After) and retried with a backoff until
    // its retries are spent (5, the last 1.6 to 3.2 s, within the 5 s grace after the signal);
    // --wait-rate-limit then queues the number again, and after the signal it is not started.
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        sim_process sim({"--token-rate-limit", "1", "--token-ttl", "1", "--run-ms", "50", "--rate-limit", "0"});
        // --poll-ms 50: the first lookup ends well within its 1 s token (the learned schedule's first
        // poll, near 1 s, came at the token's end: a second token, refused, and no first line).
        piped_lookup p({"--json", "--rate", "0", "--transport", transport, "--concurrency", "1", "--wait-rate-limit",
                        "--line-buffered", "--trace", "--poll-ms", "50"},
                       sim.env());
        p.write(numbers(1));
        const std::string first = p.line();
        REQUIRE(first.find("\"status\":\"not_found\"") != std::string::npos);
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the token has expired
        p.write("+13175550002\n");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (p.err().find("operation=token method=POST path=/oauth/token attempt=5") == std::string::npos &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        REQUIRE(p.err().find("attempt=5") != std::string::npos);
        p.signal(SIGINT);
        std::string out = first + "\n";
        for (std::string l = p.line(); !l.empty(); l = p.line()) out += l + "\n";
        const int st = p.wait();
        INFO(out << p.err());
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 130));
        const auto phones = phones_of(out);
        REQUIRE(phones.size() == 2);  // the second number too, though it was never started again
        CHECK(phones[1] == "+13175550002");
        CHECK(boost::json::parse(out.substr(out.find('\n') + 1)).at("error").at("code") == "interrupted");
    }
}

TEST_CASE(
    "e2e: SIGINT starts no new lookup, writes those in flight, exits 130, and the resume launches no number twice") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "1500"});
    const int n = 10;
    temp_path results("interrupted");
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        const auto before = sim.stat("launches");
        piped_lookup p({"--json", "--rate", "0", "--transport", transport, "--concurrency", "2", "--line-buffered"},
                       sim.env());
        p.write(numbers(n));  // stdin stays open: a stream that would go on
        REQUIRE(wait_for_launches(sim, before + 2));
        p.signal(SIGINT);
        std::string out;
        for (std::string l = p.line(); !l.empty(); l = p.line()) out += l + "\n";
        const int st = p.wait();
        INFO(out << p.err());
        CHECK(WIFEXITED(st));
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 130));
        CHECK(phones_of(out).size() == 2);  // the two in flight, finished and written
        CHECK(count_lines(out, "error") == 0);
        CHECK(sim.stat("launches") - before == 2);  // nothing started after the signal
        CHECK(p.err().find("interrupted by SIGINT") != std::string::npos);

        results.write(out);
        auto rest =
            lookup({"--json", "--rate", "0", "--transport", transport, "--concurrency", "4", "--resume", results.path},
                   sim.env(), numbers(n));
        CHECK(rest.exit_code == 1);
        CHECK(phones_of(rest.out).size() == n - 2);
        CHECK(sim.stat("launches") - before == n);  // each number launched once over both runs
    }
}

TEST_CASE(
    "e2e: a lookup still in flight after the grace is written as interrupted, and a second signal quits at once") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "60000"});  // a flow that outlasts the grace
    for (const bool unordered : {false, true}) {
        INFO("--unordered " << unordered);
        std::vector<std::string> args{"--json", "--timeout", "120", "--line-buffered"};
        if (unordered) args.emplace_back("--unordered");
        const auto launches = sim.stat("launches");
        piped_lookup p(args, sim.env());
        p.write(found + "\n");
        REQUIRE(wait_for_launches(sim, launches + 1));
        p.signal(SIGTERM);
        const std::string l = p.line();
        REQUIRE_FALSE(l.empty());
        auto j = json_line(l);
        CHECK(j.at("status") == "error");
        CHECK(j.at("error").at("code") == "interrupted");
        CHECK(j.at("executionId").is_string());  // launched: the line names the execution that may run on
        CHECK(std::string(j.at("error").at("message").as_string()).find("may have run") != std::string::npos);
        CHECK(j.contains("index") == unordered);
        CHECK(p.line().empty());  // one line
        const int st = p.wait();
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 143));
        CHECK(p.err().find("1 lookups in flight not finished") != std::string::npos);
    }
    {
        piped_lookup p({"--json", "--timeout", "120", "--line-buffered"}, sim.env());
        p.write(found + "\n");
        REQUIRE(wait_for_launches(sim, 3));
        p.signal(SIGINT);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        p.signal(SIGINT);
        const int st = p.wait();
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 130));
        CHECK(p.line().empty());  // gone before the grace ended: nothing written
    }
}

TEST_CASE("e2e: after SIGINT a lookup still waiting for the budget sends nothing, and its line says it did not start") {
    // 60 requests a minute, 8 in flight: a few launch at once (the burst), the rest wait their
    // turn, about a second each. Ctrl-C after the second launch: those waiting launch nothing.
    sim_process sim({"--run-ms", "300"});
    for (const char* transport : {"curl", "curl-threads"}) {
        INFO(transport);
        const auto before = sim.stat("launches");
        piped_lookup p({"--json", "--rate", "60", "--transport", transport, "--concurrency", "8", "--line-buffered"},
                       sim.env());
        p.write(numbers(8));
        REQUIRE(wait_for_launches(sim, before + 2));
        p.signal(SIGINT);
        std::string out;
        for (std::string l = p.line(); !l.empty(); l = p.line()) out += l + "\n";
        const int st = p.wait();
        INFO(out << p.err());
        CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 130));
        REQUIRE(phones_of(out).size() == 8);  // one line a number handed out, in order
        int unstarted = 0, ran = 0;
        for (std::size_t pos = 0; pos < out.size();) {
            const auto nl = out.find('\n', pos);
            const auto j = boost::json::parse(out.substr(pos, nl - pos)).as_object();
            pos = nl + 1;
            if (j.at("status") != "error") {
                ++ran;
                continue;
            }
            CHECK(j.at("error").at("code") == "interrupted");
            const std::string message(j.at("error").at("message").as_string());
            if (message.find("not started") != std::string::npos) ++unstarted;
            else ++ran;  // cut short after its launch: it may have run
        }
        CHECK(unstarted >= 1);
        CHECK(sim.stat("launches") - before == ran);  // every launch is a line that says it ran or may have
        CHECK(p.err().find(std::to_string(unstarted) + " handed out and not started") != std::string::npos);
    }
}

TEST_CASE("e2e: with standard output closed the batch refuses to start, and says so") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "50"});
    const auto before = sim.stat("launches");
    auto r = e2e::run({"/bin/sh", "-c", "exec \"$0\" \"$@\" >&-", GCX_LOOKUP_BIN, "--json", found}, sim.env());
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("standard output is closed") != std::string::npos);
    CHECK(sim.stat("launches") == before);
    // Closed standard error: the results still go to standard output (and nowhere else).
    auto e =
        e2e::run({"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&-", GCX_LOOKUP_BIN, "--json", "--trace", found}, sim.env());
    CHECK(e.exit_code == 0);
    CHECK(json_line(e.out).at("status") == "found");
}

TEST_CASE("e2e: on a terminal the results are not written into the progress bar's line") {
    // script(1) runs gcx-lookup on a pseudo-terminal: stdout and stderr both on it.
    sim_process sim({"--rate-limit", "0", "--run-ms", "50"});
    const std::string cmd = std::string(GCX_LOOKUP_BIN) + " --rate 0 --poll-ms 50 --concurrency 2 " + found + " " +
                            unknown + " +14155550001";
    auto r = e2e::run({"/usr/bin/script", "-qec", cmd, "/dev/null"}, sim.env());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // two not found
    CHECK(r.out.find("Maria") != std::string::npos);
    CHECK(r.out.find("/3") == std::string::npos);  // no "[#####     ] 1/3" before or among the results
}

TEST_CASE("e2e: a second Ctrl-C loses no result that was complete, even in 64 KiB blocks to a pipe") {
    sim_process sim({"--rate-limit", "0", "--run-time", "fixed", "--run-ms", "1000"});
    piped_lookup p({"--json", "--rate", "0", "--concurrency", "2", "--timeout", "120"}, sim.env());  // block-buffered
    p.write(numbers(10));
    REQUIRE(wait_for_launches(sim, 4));  // the first two are done: their lines wait in the writer's block
    p.signal(SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    p.signal(SIGINT);  // at once, before the two in flight end
    std::string out;
    for (std::string l = p.line(); !l.empty(); l = p.line()) out += l + "\n";
    const int st = p.wait();
    INFO(out << p.err());
    CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 130));
    CHECK(phones_of(out).size() == 2);
    CHECK(count_lines(out, "found") + count_lines(out, "not_found") == 2);  // answered, not interrupted
}

TEST_CASE("e2e: an invalid line is echoed clipped to 200 bytes, its control characters as spaces, in text and --json") {
    sim_process sim;
    const std::string hostile = "+1317\x1b]0;pwned\x07\r\nforged: found" + std::string(500, 'x');
    // (the \n above ends the line: "forged: found..." is a line of its own, invalid too)
    auto text = lookup({}, sim.env(), hostile + "\n");
    INFO(text.out);
    CHECK(text.exit_code == 2);
    CHECK(text.out.find('\x1b') == std::string::npos);
    CHECK(text.out.find('\x07') == std::string::npos);
    CHECK(text.out.find('\r') == std::string::npos);
    CHECK(std::count(text.out.begin(), text.out.end(), '\n') == 2);  // one line per input line
    CHECK(text.out.find(std::string(200, 'x')) == std::string::npos);
    CHECK(text.out.find("...: error: invalid_input") != std::string::npos);
    auto json = lookup({"--json"}, sim.env(), "+1317" + std::string(300, 'y') + "\n");
    const std::string phone(json_line(json.out).at("phone").as_string());
    CHECK(phone == "+1317" + std::string(195, 'y') + "...");
    CHECK(sim.stat("requests_total") == 0);
}

TEST_CASE("e2e: a line over 4 KiB is refused as invalid, echoed clipped, and the lines around it are looked up") {
    sim_process sim({"--rate-limit", "0"});
    const std::string huge = "+1" + std::string(1 << 20, '5');  // 1 MiB in one line
    auto r =
        lookup({"--json", "--rate", "0", "--concurrency", "2"}, sim.env(), found + "\n" + huge + "\n" + unknown + "\n");
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
    CHECK(r.out.size() < 4096);
    std::vector<boost::json::object> lines;
    for (std::size_t pos = 0; pos < r.out.size();) {
        auto nl = r.out.find('\n', pos);
        lines.push_back(boost::json::parse(r.out.substr(pos, nl - pos)).as_object());
        pos = nl + 1;
    }
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].at("status") == "found");
    CHECK(lines[1].at("status") == "error");
    CHECK(lines[1].at("error").at("kind") == "invalid_input");
    CHECK(lines[1].at("error").at("message").as_string().find("longer than 4096 bytes") != boost::json::string::npos);
    CHECK(lines[1].at("phone").as_string().size() == 200 + 3);
    CHECK(lines[2].at("status") == "not_found");
    CHECK(sim.stat("launches") == 2);
}

TEST_CASE("e2e: standard input that cannot be read is a failure that says so, not an empty or short batch") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    // A directory as stdin: read() fails with EISDIR.
    auto r = e2e::run({"/bin/sh", "-c", "exec \"$0\" --json < /", GCX_LOOKUP_BIN}, sim.env(), "");
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("reading the numbers from standard input failed") != std::string::npos);
}

TEST_CASE("e2e: a flow id or a data action id that names nothing in the org exits 2 (configuration), not 4") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = "0f0f0f0f-1111-4222-8333-444444444444";  // well formed, no such flow
    auto r = lookup({"--json", "--concurrency", "4"}, env, numbers(40));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.out, "error") == 40);
    CHECK(json_line(r.out).at("error").at("kind") == "not_found");
    // The 404 is remembered (client_config::unknown_target_backoff): not one launch per number.
    CHECK(sim.stat("launch_requests") <= 4);
    CHECK(sim.stat("launches") == 0);

    auto action = sim.env();
    action["GCX_ACTION_ID"] = "0f0f0f0f-1111-4222-8333-444444444444";
    auto a = lookup({"--json", "--strategy", "data-action", found}, action);
    INFO(a.out << a.err);
    CHECK(a.exit_code == 2);
    CHECK(json_line(a.out).at("error").at("kind") == "not_found");
}

TEST_CASE("e2e: --strategy data-action answers with one request per number, found and not found") {
    sim_process sim({"--rate-limit", "0"});
    auto env = sim.env();
    env["GCX_ACTION_ID"] = sim.demo.at("lookup_action_id");
    auto r = lookup({"--json", "--strategy", "data-action"}, env, found + "\n" + unknown + "\nbad\n");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);  // the invalid line
    const auto lines = phones_of(r.out);
    REQUIRE(lines.size() == 3);
    auto first = json_line(r.out);
    CHECK(first.at("status") == "found");
    CHECK(first.at("source") == "data_action");
    CHECK(first.at("outputs").at("firstName") == "Maria");
    CHECK(count_lines(r.out, "not_found") == 1);  // {"found":false,"matchCount":0}: found says not found
    CHECK(sim.stat("action_requests") == 2);
    CHECK(sim.stat("requests_total") == 3);  // the token request, then one request per number
    CHECK(sim.stat("launches") == 0);

    // Text output, and --action-id instead of the environment.
    auto t = lookup({"--strategy", "data-action", "--action-id", sim.demo.at("lookup_action_id"), found}, sim.env());
    CHECK(t.exit_code == 0);
    CHECK(t.out.find(found + ": found") != std::string::npos);
    CHECK(t.out.find("via:        data action") != std::string::npos);
}

TEST_CASE(
    "e2e: the data-action chains fall back when the action cannot run, and the action's own failure is an error") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "20"});
    // A client without integrations:action:execute: 403 on the action, then the second path.
    struct chain {
        const char* strategy;
        const char* source;
    };
    for (const chain c : {chain{"data-action-then-flow", "flow"}, chain{"data-action-then-direct", "direct"}}) {
        INFO(c.strategy);
        auto env = sim.env();
        // an action id nobody has: 404, the chain's second path answers
        auto r = lookup(
            {"--json", "--strategy", c.strategy, "--action-id", "custom_-_00000000-0000-4000-8000-000000000000", found},
            env);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        auto j = json_line(r.out);
        CHECK(j.at("status") == "found");
        CHECK(j.at("source") == c.source);
    }
    // The failing action (a 502 from its remote): an error, not a fallback (403/404 only by default).
    auto f = lookup(
        {"--json", "--strategy", "data-action-then-flow", "--action-id", sim.demo.at("failing_action_id"), found},
        sim.env());
    INFO(f.out << f.err);
    CHECK(f.exit_code == 4);
    auto j = json_line(f.out);
    CHECK(j.at("status") == "error");
    CHECK(j.at("error").at("kind") == "server");
    // The read-only client may not execute actions: 403, exit 3 with the permission named.
    auto p = lookup({"--json", "--strategy", "data-action", "--action-id", sim.demo.at("lookup_action_id"), found},
                    sim.env(true));
    INFO(p.out << p.err);
    CHECK(p.exit_code == 3);
    CHECK(p.out.find("integrations:action:execute") != std::string::npos);
    // A data-action strategy without an action id is a usage error before any request.
    auto u = lookup({"--strategy", "data-action", found}, sim.env());
    CHECK(u.exit_code == 2);
    CHECK(u.err.find("GCX_ACTION_ID") != std::string::npos);
}

TEST_CASE("e2e: --action-secure keeps the action's failure words out of the line, --action-read-only executes again") {
    sim_process sim({"--rate-limit", "0"});
    const std::vector<std::string> base{"--json", "--strategy", "data-action", "--action-id",
                                        sim.demo.at("failing_action_id")};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        args.push_back(found);
        return lookup(args, sim.env());
    };
    auto plain = with({});
    auto pj = json_line(plain.out);
    CHECK(pj.at("error").at("code") == "ACTION.REMOTE_ENDPOINT");  // the action ran: its remote failed
    CHECK(std::string(pj.at("error").at("message").as_string()).find("REST call") != std::string::npos);

    auto secure = with({"--action-secure"});
    INFO(secure.out << secure.err);
    auto sj = json_line(secure.out);
    CHECK(sj.at("error").at("code") == "ACTION.REMOTE_ENDPOINT");
    CHECK(secure.out.find("REST call") == std::string::npos);
    CHECK(secure.out.find("web service") == std::string::npos);

    const auto before = sim.stat("action_requests");
    auto once = with({});
    CHECK(sim.stat("action_requests") - before == 1);  // may have changed the remote: not sent again
    const auto mid = sim.stat("action_requests");
    auto again = with({"--action-read-only", "--timeout", "5"});
    CHECK(sim.stat("action_requests") - mid > 1);  // read-only: a 502 is worth another try
}
