// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Soak: thousands of lookups through ONE gcx::basic_client<curl_transport, boost_json> shared by
// many threads, against gcx-sim (its own process, so this process's memory is the client's)
// with every fault kind on: 429 + Retry-After, 502, 503 + Retry-After, 504, dropped connections,
// answers slower than the lookup deadline, truncated JSON, on launches, polls and token requests,
// and tokens that live a few seconds so they are renewed all through the run.
//
// Every lookup must end with its correct answer, or with a typed error that matches what the
// wire shows happened to it (the transport is wrapped to record each lookup's exchanges):
//   timeout      a request timed out (slow answer) or the deadline was reached
//   transport    the last exchange failed at the transport level (dropped connection)
//   server       the last exchange was 502/503/504
//   rate_limited the last exchange was 429
//   protocol     the last exchange was a 2xx whose body is not JSON (truncated)
// and nothing else. A launch is re-sent only after an answer that proves the first copy started
// nothing (429, 503 with Retry-After, 401, or a failure before any byte was sent); gcx-sim's
// duplicate_launches must stay 0. No lookup may outlive its deadline by more than --slack-ms.
// Tokens: about run time / (ttl / 2) of them (gcx renews at half the life of short tokens).
// Memory: resident set size at 1,000 lookups and at the end; growth must stay under
// --max-growth-kib (default 4096: 1 KiB per lookup over 4,000 lookups would exceed it, while a
// bounded pool of connections and buffers does not grow with the count).
//
//   gcx-soak [--lookups 5000] [--concurrency 16] [--timeout-ms 2000] [--token-ttl 4]
//            [--faults SPEC] [--seed N] [--slack-ms 1000] [--max-growth-kib 4096] [--report FILE]
// Exit status 0 when every check passed; the figures are printed (and written to --report).

#include "sim_process.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GCX_SOAK_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GCX_SOAK_SANITIZED 1
#endif

namespace {

using clock_type = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;
namespace bj = boost::json;

struct settings {
    int lookups = 5000;
    int concurrency = 16;
    int timeout_ms = 2000;
    int token_ttl = 4;
    int slack_ms = 1000;
    long max_growth_kib = 4096;
    std::string seed = "11";
    // 429 at 0.5 %: each 429 pauses every lookup of the client for its Retry-After (1 s from
    // gcx-sim), one after another, so the 429 rate sets the run time: at 2 % (the earlier default,
    // docs/reliability.md) the 5,000 took 200-300 s, nearly all of it in about 200 such pauses; at
    // 0.5 % about 50 pauses remain. --faults with 429=0.02 gives the earlier run.
    std::string faults =
        "429=0.005,502=0.02,503=0.02,504=0.02,drop=0.015,slow=0.004,malformed=0.015,slow_ms=3000,on=launch+poll+token";
    std::string report;
};

// ---- what went over the wire, per lookup -----------------------------------------------------

enum class endpoint { token, launch, poll, other };

struct exchange {
    endpoint where = endpoint::other;
    bool answered = false;  // a response (any status) arrived
    int status = 0;
    bool json_body = false;  // the body parses as JSON
    bool retry_after = false;
    gcx::errc kind = gcx::errc::transport;  // transport failures
    std::string code;
    gcx::delivery sent = gcx::delivery::maybe;
};

thread_local std::vector<exchange>* current_log = nullptr;
// When the current lookup's first request went out: its deadline runs from there (a wait for the
// request budget before it, e.g. behind a 429 pause, is not charged to the lookup timeout).
thread_local std::optional<std::chrono::steady_clock::time_point> first_send;

endpoint classify(const gcx::http::request& r) {
    if (r.url.find("/oauth/token") != std::string::npos) return endpoint::token;
    if (r.url.find("/api/v2/flows/executions") != std::string::npos)
        return r.verb == gcx::http::method::post ? endpoint::launch : endpoint::poll;
    return endpoint::other;
}

/// curl_transport, recording each exchange into the calling thread's current lookup.
struct recording_transport {
    gcx::adapters::curl_transport inner;

    gcx::result<gcx::http::response> send(const gcx::http::request& r) const {
        if (current_log && !first_send) first_send = std::chrono::steady_clock::now();
        auto out = inner.send(r);
        if (current_log) {
            exchange x;
            x.where = classify(r);
            if (out) {
                x.answered = true;
                x.status = out->status;
                boost::system::error_code ec;
                (void)bj::parse(out->body, ec);
                x.json_body = !ec;
                x.retry_after = out->header("Retry-After") != nullptr;
            } else {
                x.kind = out.error().kind;
                x.code = out.error().code;
                x.sent = out.error().sent;
            }
            current_log->push_back(std::move(x));
        }
        return out;
    }
};

using client_t = gcx::basic_client<recording_transport, gcx::json::boost_json>;

// ---- process memory ----------------------------------------------------------------------------

long rss_kib() {
    long pages_total = 0, pages_resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
        std::fclose(f);
    }
    return pages_resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

long peak_rss_kib() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return 0;
}

/// SIGTERM to this process's children (gcx-sim), for the exit paths that skip destructors.
void terminate_children() noexcept {
    const std::string self = std::to_string(::getpid());
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        if (!std::isdigit(static_cast<unsigned char>(entry.path().filename().string()[0]))) continue;
        std::ifstream f(entry.path() / "stat");
        std::string line;
        if (!std::getline(f, line)) continue;
        auto close = line.rfind(')');  // "pid (comm) state ppid ..."
        if (close == std::string::npos) continue;
        std::istringstream rest(line.substr(close + 1));
        std::string state, ppid;
        rest >> state >> ppid;
        if (ppid == self) ::kill(static_cast<pid_t>(std::stol(entry.path().filename().string())), SIGTERM);
    }
}

// ---- the reference answers -----------------------------------------------------------------

std::string four(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "%04d", i);
    return b;
}

/// The contact id gcx-sim holds for each found number, asked directly (reverse whitepages, which
/// the fault scopes leave alone), without gcx.
std::map<std::string, std::string> reference_ids(const e2e::sim_process& sim, const std::vector<std::string>& numbers) {
    httplib::Client c(sim.url);
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    std::string token;
    for (int attempt = 0; attempt < 50 && token.empty(); ++attempt) {  // the token endpoint is faulted too
        httplib::Headers h{{"Authorization", "Basic " + gcx::detail::base64(sim.demo.at("client_id") + ":" +
                                                                            sim.demo.at("client_secret"))}};
        auto r = c.Post("/oauth/token", h, "grant_type=client_credentials", "application/x-www-form-urlencoded");
        if (!r || r->status != 200) continue;
        boost::system::error_code ec;
        auto v = bj::parse(r->body, ec);
        if (!ec && v.is_object() && v.as_object().contains("access_token"))
            token = std::string(v.at("access_token").as_string());
    }
    if (token.empty()) throw std::runtime_error("reference: no token");
    std::map<std::string, std::string> ids;
    for (const auto& n : numbers) {
        auto r =
            c.Get(("/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=" + gcx::http::url_encode(n)).c_str(),
                  httplib::Headers{{"Authorization", "Bearer " + token}});
        if (!r || r->status != 200) throw std::runtime_error("reference: lookup failed");
        const bj::value doc = bj::parse(r->body);
        const auto& contacts = doc.at("contacts").as_array();
        if (contacts.size() != 1) throw std::runtime_error("reference: expected one contact");
        ids[n] = std::string(contacts[0].at("id").as_string());
    }
    // Start the soak from zero (this also re-seeds the fault generator).
    auto reset = c.Post("/sim/reset");
    if (!reset || reset->status != 204) throw std::runtime_error("reference: /sim/reset failed");
    return ids;
}

// ---- one lookup's verdict ----------------------------------------------------------------------

struct verdict {
    std::string outcome;  // found, not_found, or the error kind
    std::string problem;  // empty when the lookup behaved
};

const bj::value* out_var(const bj::value& outputs, const char* name) {
    const auto* o = outputs.if_object();
    return o ? o->if_contains(std::string("Flow.") + name) : nullptr;
}

verdict judge(const std::string& number, bool expect_found, const std::map<std::string, std::string>& ids,
              const gcx::result<gcx::lookup_result<bj::value>>& r, const std::vector<exchange>& log, ms elapsed,
              const settings& s) {
    verdict v;
    // A launch may be sent again only when its previous copy certainly started nothing.
    int launches = 0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log[i].where != endpoint::launch) continue;
        ++launches;
        bool later_launch = false;
        for (std::size_t j = i + 1; j < log.size(); ++j)
            later_launch = later_launch || log[j].where == endpoint::launch;
        if (!later_launch) continue;
        const auto& x = log[i];
        bool proven_unprocessed = x.answered
                                      ? (x.status == 429 || x.status == 401 || (x.status == 503 && x.retry_after))
                                      : x.sent == gcx::delivery::not_sent;
        if (!proven_unprocessed)
            v.problem = "a launch was re-sent after an answer that does not prove it started nothing";
    }
    if (r) {
        const auto& outs = r->outputs;
        const auto* found = out_var(outs, "Found");
        bool is_found = found && found->is_bool() && found->as_bool();
        v.outcome = is_found ? "found" : "not_found";
        if (is_found != expect_found) {
            v.problem = "wrong Found";
        } else if (is_found) {
            const auto* id = out_var(outs, "ContactId");
            const auto* contact = out_var(outs, "externalContact");
            std::string e164;
            if (contact && contact->is_object())
                if (const auto* cp = contact->as_object().if_contains("cellPhone"); cp && cp->is_object())
                    if (const auto* e = cp->as_object().if_contains("e164"); e && e->is_string())
                        e164 = std::string(e->as_string());
            if (!id || !id->is_string() || std::string(id->as_string()) != ids.at(number))
                v.problem = "wrong ContactId";
            else if (e164 != number) v.problem = "wrong contact phone";
        }
        if (launches < 1 && v.problem.empty()) v.problem = "a successful lookup without a launch";
    } else {
        const gcx::error& e = r.error();
        v.outcome = gcx::to_string(e.kind);
        const exchange* last = log.empty() ? nullptr : &log.back();
        bool any_timeout = false;
        for (const auto& x : log) any_timeout = any_timeout || (!x.answered && x.kind == gcx::errc::timeout);
        bool consistent = false;
        switch (e.kind) {
        case gcx::errc::timeout: consistent = any_timeout || elapsed >= ms{s.timeout_ms} - ms{50}; break;
        case gcx::errc::transport: consistent = last && !last->answered && last->kind == gcx::errc::transport; break;
        case gcx::errc::server:
            consistent = last && last->answered && last->status >= 502 && last->status <= 504;
            break;
        case gcx::errc::rate_limited: consistent = last && last->answered && last->status == 429; break;
        case gcx::errc::protocol:
            consistent = last && last->answered && last->status >= 200 && last->status <= 299 && !last->json_body;
            break;
        default: consistent = false;
        }
        if (!consistent) v.problem = "error kind does not match the wire: " + e.describe();
        // Once a launch was answered with its execution, every error names that execution.
        bool started = false;
        for (const auto& x : log)
            started = started || (x.where == endpoint::launch && x.answered && x.status / 100 == 2 && x.json_body);
        if (started && e.execution_id.empty())
            v.problem = "an error after the launch without the execution id: " + e.describe();
    }
    if (elapsed > ms{s.timeout_ms + s.slack_ms})
        v.problem = "lookup outlived its deadline by " + std::to_string(elapsed.count() - s.timeout_ms) + " ms";
    return v;
}

bool parse_args(int argc, char** argv, settings& s) {
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string f = argv[i], v = argv[i + 1];
        if (f == "--lookups") s.lookups = std::stoi(v);
        else if (f == "--concurrency") s.concurrency = std::stoi(v);
        else if (f == "--timeout-ms") s.timeout_ms = std::stoi(v);
        else if (f == "--token-ttl") s.token_ttl = std::stoi(v);
        else if (f == "--slack-ms") s.slack_ms = std::stoi(v);
        else if (f == "--max-growth-kib") s.max_growth_kib = std::stol(v);
        else if (f == "--faults") s.faults = v;
        else if (f == "--seed") s.seed = v;
        else if (f == "--report") s.report = v;
        else {
            std::cerr << "gcx-soak: unknown option " << f << "\n";
            return false;
        }
    }
    return (argc % 2) == 1 && s.lookups > 0 && s.concurrency > 0;
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    if (!parse_args(argc, argv, s)) return 2;

    e2e::sim_process sim({"--run-ms", "15", "--rate-limit", "0", "--token-ttl", std::to_string(s.token_ttl), "--faults",
                          s.faults, "--seed", s.seed});

    // 100 numbers the simulator knows (one contact each) and 100 it does not, interleaved.
    std::vector<std::string> numbers, found_numbers;
    std::vector<bool> known;
    for (int k = 0; k < 100; ++k) {
        int i = 7 + 29 * k;  // 7 .. 2878, never 199 or 123 (those two share a number)
        found_numbers.push_back("+1317555" + four(i));
        numbers.push_back(found_numbers.back());
        known.push_back(true);
        numbers.push_back("+1415555" + four(k * 37 % 10000));
        known.push_back(false);
    }
    const auto ids = reference_ids(sim, found_numbers);

    gcx::client_config cfg;
    cfg.endpoints = *gcx::endpoints::from_urls(sim.url);
    cfg.client_id = sim.demo.at("client_id");
    cfg.client_secret = gcx::secret(sim.demo.at("client_secret"));
    cfg.flow_id = sim.demo.at("lookup_flow_id");
    cfg.lookup_timeout = ms{s.timeout_ms};
    cfg.poll.adaptive = false;  // the fault soak wants many polls, fast
    cfg.poll.initial = ms{20};
    cfg.poll.min_interval = ms{20};
    cfg.poll.max = ms{100};
    cfg.budget.requests_per_minute = 0;  // the simulator runs without a rate limit here: no pacing
    cfg.budget.token_requests_per_minute = 0;
    gcx::adapters::curl_transport::options topt;
    topt.max_idle_connections = static_cast<std::size_t>(s.concurrency) + 2;
    auto client = client_t::create(cfg, recording_transport{gcx::adapters::curl_transport(topt)}).value();

    std::mutex m;
    std::map<std::string, int> outcomes;
    std::vector<std::string> problems;
    long rss_at_1000 = 0;
    ms max_elapsed{0};
    std::atomic<int> next{0}, completed{0};
    std::vector<std::atomic<long long>> started_ns(static_cast<std::size_t>(s.concurrency));
    for (auto& a : started_ns) a = 0;
    std::atomic<bool> finished{false};

    const auto t0 = clock_type::now();
    auto worker = [&](int w) {
        std::vector<exchange> log;
        current_log = &log;
        for (;;) {
            int i = next++;
            if (i >= s.lookups) break;
            const auto& number = numbers[static_cast<std::size_t>(i) % numbers.size()];
            bool expect_found = known[static_cast<std::size_t>(i) % numbers.size()];
            log.clear();
            const auto a = clock_type::now();
            started_ns[static_cast<std::size_t>(w)] = a.time_since_epoch().count();
            first_send.reset();
            auto r = client.lookup(number);
            const auto elapsed = std::chrono::duration_cast<ms>(clock_type::now() - (first_send ? *first_send : a));
            started_ns[static_cast<std::size_t>(w)] = 0;
            verdict v = judge(number, expect_found, ids, r, log, elapsed, s);
            int done = ++completed;
            long rss = done == 1000 ? rss_kib() : 0;
            std::lock_guard<std::mutex> lk(m);
            ++outcomes[v.outcome];
            max_elapsed = std::max(max_elapsed, elapsed);
            if (rss) rss_at_1000 = rss;
            if (!v.problem.empty() && problems.size() < 50)
                problems.push_back("lookup " + std::to_string(i) + ": " + v.problem);
        }
        current_log = nullptr;
    };
    // A watchdog: a lookup running 10 s past its deadline is a hang; stop with a message.
    std::thread watchdog([&] {
        while (!finished) {
            std::this_thread::sleep_for(ms{200});
            const long long now = clock_type::now().time_since_epoch().count();
            for (auto& a : started_ns) {
                long long st = a.load();
                if (st != 0 && now - st > (static_cast<long long>(s.timeout_ms) + 10000) * 1000000LL) {
                    std::cerr << "gcx-soak: HANG: a lookup is still running 10 s past its deadline\n";
                    terminate_children();
                    std::_Exit(3);
                }
            }
        }
    });
    std::vector<std::thread> threads;
    for (int w = 0; w < s.concurrency; ++w) threads.emplace_back(worker, w);
    for (auto& t : threads) t.join();
    finished = true;
    watchdog.join();
    const auto run_ms = std::chrono::duration_cast<ms>(clock_type::now() - t0);
    const long rss_end = rss_kib();
    const long rss_peak = peak_rss_kib();

    auto st = sim.stats();
    auto stat = [&st](const char* k) { return st.at(k).as_int64(); };
    const auto fetched = static_cast<long>(client.tokens().tokens_fetched());
    // gcx renews a token at min(60 s, ttl / 2) before it expires: one every ttl / 2 seconds.
    const double expected_tokens = static_cast<double>(run_ms.count()) / 1000.0 / (s.token_ttl / 2.0) + 1;

    std::ostringstream rep;
    rep << "lookups=" << s.lookups << "\nconcurrency=" << s.concurrency << "\ntimeout_ms=" << s.timeout_ms
        << "\ntoken_ttl_s=" << s.token_ttl << "\nfaults=" << s.faults << "\nrun_ms=" << run_ms.count();
    for (const auto& [k, n] : outcomes) rep << "\noutcome." << k << "=" << n;
    for (const char* k :
         {"requests_total", "token_requests", "tokens_issued", "launch_requests", "launches", "duplicate_launches",
          "polls", "unauthorized", "faults_injected", "faults_429", "faults_502", "faults_503", "faults_504",
          "faults_drop", "faults_slow", "faults_malformed", "connections_accepted"})
        rep << "\nsim." << k << "=" << stat(k);
    rep << "\nclient.tokens_fetched=" << fetched << "\ntokens_expected~=" << static_cast<long>(expected_tokens)
        << "\nmax_lookup_ms=" << max_elapsed.count() << "\nhangs=0"
        << "\nrss_kib_at_1000=" << rss_at_1000 << "\nrss_kib_at_end=" << rss_end
        << "\nrss_growth_kib=" << rss_end - rss_at_1000 << "\npeak_rss_kib=" << rss_peak
        << "\nproblems=" << problems.size() << "\n";
    std::cout << rep.str();
    if (!s.report.empty()) std::ofstream(s.report) << rep.str();

    std::vector<std::string> failures = problems;
    if (stat("duplicate_launches") != 0) failures.push_back("gcx-sim saw duplicate launches");
    if (stat("faults_injected") == 0) failures.push_back("no fault was injected");
    if (completed != s.lookups) failures.push_back("not every lookup completed");
    if (fetched < static_cast<long>(expected_tokens * 0.5) || fetched > static_cast<long>(expected_tokens * 1.5) + 3)
        failures.push_back("tokens fetched (" + std::to_string(fetched) + ") far from run time / (ttl / 2)");
    const long faulted_after_issue = stat("faults_drop") + stat("faults_slow") + stat("faults_malformed");
    if (stat("tokens_issued") < fetched || stat("tokens_issued") > fetched + faulted_after_issue)
        failures.push_back("gcx-sim issued a number of tokens the client's fetches do not explain");
#if !defined(GCX_SOAK_SANITIZED)
    if (s.lookups >= 2000 && rss_end - rss_at_1000 > s.max_growth_kib)
        failures.push_back("memory grew by " + std::to_string(rss_end - rss_at_1000) +
                           " KiB between lookup 1,000 and the end");
#endif
    for (const auto& f : failures) std::cerr << "FAIL: " << f << "\n";
    if (!failures.empty()) return 1;
    std::cout << "soak: PASS\n";
    return 0;
}
