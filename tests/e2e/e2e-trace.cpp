// gcx-lookup --trace and --trace-json against gcx-sim: one line per event on stderr, on every
// transport, through faults; an event for every request the simulator received; never a secret,
// a token or a phone number.
#include "sim_process.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <unistd.h>
#include <vector>

using e2e::run;
using e2e::sim_process;

namespace {
e2e::run_result lookup(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& input = {}) {
    std::vector<std::string> a{GCX_LOOKUP_BIN};
    a.insert(a.end(), args.begin(), args.end());
    return run(a, env, input);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    for (std::size_t pos = 0; pos < text.size();) {
        auto nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        v.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return v;
}

// The numbers of the batch: found (+1317555xxxx) and unknown (+1415555xxxx) ones.
std::vector<std::string> numbers(int n) {
    std::vector<std::string> v;
    for (int i = 0; i < n; ++i) v.push_back((i % 2 ? "+1317555" : "+1415555") + std::to_string(3000 + i));
    return v;
}
std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + "\n";
    return s;
}
}  // namespace

TEST_CASE(
    "e2e trace: --trace-json writes one event per line, an answer for every request the simulator saw, on every transport") {
    const auto nums = numbers(40);
    for (const char* transport : {"curl", "curl-threads", "httplib"}) {
        sim_process sim({"--rate-limit", "0", "--faults", "429=0.05,503=0.05,drop=0.03,on=poll", "--seed", "11"});
        auto env = sim.env();
        auto r = lookup({"--json", "--quiet", "--trace-json", "--rate", "0", "--concurrency", "8", "--poll-ms", "50",
                         "--transport", transport},
                        env, joined(nums));
        INFO(transport << "\n" << r.err.substr(0, 4000));
        CHECK(r.exit_code == 1);  // half the numbers are unknown
        std::map<std::string, int> kinds;
        int retries = 0;
        for (const auto& line : lines_of(r.err)) {
            INFO(line);
            auto v = boost::json::parse(line).as_object();  // every stderr line is an event
            REQUIRE(v.at("t").is_double());
            kinds[std::string(v.at("event").as_string())]++;
            retries += v.at("event") == "retry_scheduled";
            CHECK(line.find(env.at("GENESYS_CLIENT_SECRET")) == std::string::npos);
            CHECK(line.find("Bearer") == std::string::npos);
            for (const auto& n : nums) CHECK(line.find(n.substr(2)) == std::string::npos);
        }
        // What the demo client sent, as the simulator counted it (its own /sim/stats not included).
        const auto received =
            sim.stats().at("clients").at(env.at("GENESYS_CLIENT_ID")).at("requests").to_number<std::int64_t>();
        // One event per request gcx handed to the transport, and one answer (or failure) for each.
        // libcurl may itself send a GET again on a kept-alive connection that died before an
        // answer (a dropped poll): the simulator then counts one request more than gcx sent.
        CHECK(kinds["request_sent"] == kinds["request_answered"]);
        CHECK(kinds["request_sent"] <= received);
        CHECK(received <= kinds["request_sent"] + sim.stat("faults_injected"));
        if (std::string(transport) == "httplib") CHECK(kinds["request_sent"] == received);
        CHECK(kinds["lookup_finished"] == 40);
        CHECK(kinds["token_fetched"] == 1);
        CHECK(sim.stat("faults_injected") > 0);
        CHECK(retries > 0);
    }
}

TEST_CASE("e2e trace: --trace writes text lines with the time, and no progress bar, and none without it") {
    sim_process sim({"--rate-limit", "0"});
    auto r = lookup({"--trace", "--poll-ms", "50", "+13175550123"}, sim.env());
    CHECK(r.exit_code == 0);
    auto lines = lines_of(r.err);
    int events = 0;
    for (const auto& l : lines) {
        if (l.rfind("[", 0) != 0) continue;  // the simulator notice, the summary
        ++events;
        CHECK(l.find("] ") == 10);
    }
    CHECK(events >= 7);  // token sent/answered/fetched, launch sent/answered, poll sent/answered, finished
    CHECK(r.err.find("lookup_finished lookup=1 ms=") != std::string::npos);
    CHECK(r.err.find("outcome=ok requests=3") != std::string::npos);
    CHECK(r.err.find("3175550123") == std::string::npos);

    auto quiet = lookup({"--poll-ms", "50", "+13175550123"}, sim.env());
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.find("request_sent") == std::string::npos);
}

TEST_CASE("e2e-trace: a trace reader that goes away loses the trace, never the results") {
    sim_process sim;
    char dir[] = "/tmp/gcx-e2e-trace-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string out = std::string(dir) + "/out", status = std::string(dir) + "/status";
    // stderr (the trace) into a pipe whose reader quits after its first bytes; stdout to a file.
    auto r =
        run({"/bin/sh", "-c", "{ \"$0\" --trace --json \"$3\" \"$4\" 2>&1 >\"$1\"; echo $? >\"$2\"; } | head -c 20",
             GCX_LOOKUP_BIN, out, status, "+13175550123", "+14155550000"},
            sim.env());
    const std::string results = e2e::detail::slurp(out);
    INFO(results << r.out << r.err);
    CHECK(e2e::detail::slurp(status) == "1\n");  // one found, one not found: not 141 (SIGPIPE)
    CHECK(lines_of(results).size() == 2);
    CHECK(results.find("\"status\":\"found\"") != std::string::npos);
    CHECK(results.find("\"status\":\"not_found\"") != std::string::npos);
    std::remove(out.c_str());
    std::remove(status.c_str());
    ::rmdir(dir);
}

TEST_CASE("e2e-trace: lookups cut off after the grace that follows Ctrl-C still end in the trace") {
    sim_process sim({"--run-time", "fixed", "--run-ms", "30000", "--rate-limit", "0"});
    char dir[] = "/tmp/gcx-e2e-trace-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string trace = std::string(dir) + "/trace", status = std::string(dir) + "/status";
    auto r = run({"/bin/sh", "-c",
                  "\"$0\" --trace --concurrency 2 --rate 0 \"$3\" \"$4\" 2>\"$1\" & pid=$!; sleep 2; kill -INT $pid; "
                  "wait $pid; echo $? >\"$2\"",
                  GCX_LOOKUP_BIN, trace, status, "+13175550123", "+14155550000"},
                 sim.env());
    const std::string t = e2e::detail::slurp(trace);
    INFO(t << r.out << r.err);
    CHECK(e2e::detail::slurp(status) == "130\n");
    int finished = 0;
    for (const auto& l : lines_of(t)) {
        if (l.find("lookup_finished") == std::string::npos) continue;
        ++finished;
        CHECK(l.find("outcome=error") != std::string::npos);
        CHECK(l.find("error_code=interrupted") != std::string::npos);
        CHECK(l.find("strategy=flow") != std::string::npos);
        CHECK(l.find("requests=") != std::string::npos);
    }
    CHECK(finished == 2);  // lookup 1 and lookup 2, each once
    CHECK(t.find("lookup_finished lookup=1 ") != std::string::npos);
    CHECK(t.find("lookup_finished lookup=2 ") != std::string::npos);
    std::remove(trace.c_str());
    std::remove(status.c_str());
    ::rmdir(dir);
}

TEST_CASE("e2e-trace: a request still in flight when the grace after Ctrl-C ends is answered in the trace") {
    // Every answer takes 8 s: the first lookup's token request is still out when the 5 s grace
    // after the Ctrl-C (at 2 s) ends. Before: its request_sent was left without a request_answered.
    sim_process sim({"--run-time", "fixed", "--run-ms", "30000", "--rate-limit", "0", "--latency-ms", "8000"});
    char dir[] = "/tmp/gcx-e2e-trace-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    const std::string trace = std::string(dir) + "/trace", status = std::string(dir) + "/status";
    auto r = run({"/bin/sh", "-c",
                  "\"$0\" --trace --concurrency 2 --rate 0 \"$3\" \"$4\" 2>\"$1\" & pid=$!; sleep 2; kill -INT $pid; "
                  "wait $pid; echo $? >\"$2\"",
                  GCX_LOOKUP_BIN, trace, status, "+13175550123", "+14155550000"},
                 sim.env());
    const std::string t = e2e::detail::slurp(trace);
    INFO(t << r.out << r.err);
    CHECK(e2e::detail::slurp(status) == "130\n");
    int sent = 0, answered = 0, interrupted = 0;
    for (const auto& l : lines_of(t)) {
        sent += l.find("request_sent ") != std::string::npos;
        if (l.find("request_answered ") == std::string::npos) continue;
        ++answered;
        interrupted += l.find("error_code=interrupted") != std::string::npos;
    }
    CHECK(sent >= 1);
    CHECK(answered == sent);
    CHECK(interrupted >= 1);
    CHECK(t.find("lookup_finished lookup=1 ") != std::string::npos);
    std::remove(trace.c_str());
    std::remove(status.c_str());
    ::rmdir(dir);
}
