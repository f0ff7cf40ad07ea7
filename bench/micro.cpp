// gcx-bench-micro: Google Benchmark micro-benchmarks of gcx's own work, without any socket.
//
//   json/parse/<backend>/<doc>       J::parse of a COMPLETED poll answer (variant_b, large)
//   json/map/<backend>/<doc>         read_outputs of its (already parsed) outputData into the user struct
//   json/parse+map/<backend>/<doc>   both, as a lookup does them; the summary after the table gives
//                                    (parse+map)/parse per backend: the reflection's own cost
//   launch/request/<backend>         a lookup_operation up to its first send: config and number
//                                    checked, launch body built and serialized, Authorization added
//   launch/request+answer/<backend>  the same, then the launch answer (section 9.3) parsed
//   lookup/<outputs>/<backend>       a whole lookup through basic_client over an in-memory transport
//                                    (token cached as in production, launch, one poll, mapping):
//                                    counters allocs/lookup (every operator new of the process),
//                                    gcx_allocs/lookup (the same minus the transport's own: the
//                                    copies of the canned answers), bytes/lookup, requests/lookup
//   lookup/json_outputs+events/<backend>  the same with an event hook that counts the events
//                                    (events/lookup): what client_config::on_event costs when set
//
// Heap allocations are counted by replacing the global operator new in this program.
//
//   gcx-bench-micro                                   everything (about a minute)
//   gcx-bench-micro --benchmark_filter=lookup         one group
//   gcx-bench-micro --benchmark_min_time=0.01         a quick smoke run (the CTest test)
// The exit status is 1 when a benchmark reported an error (a lookup or a mapping failed).
#include "fixtures.hpp"

#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#if defined(GCX_BENCH_WITH_NLOHMANN)
#include <gcx/json/nlohmann.hpp>
#endif

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

// ---- counting allocations ----------------------------------------------------------------------
// Every plain and array form is replaced (the nothrow forms of libstdc++ call these); the aligned
// forms are left alone (they pair with each other) and are not counted.

namespace {
std::atomic<std::uint64_t> g_allocs{0};
std::atomic<std::uint64_t> g_bytes{0};

void* counted_alloc(std::size_t n) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::uint64_t allocs() { return g_allocs.load(std::memory_order_relaxed); }
std::uint64_t alloc_bytes() { return g_bytes.load(std::memory_order_relaxed); }

/// Sets allocs (and bytes) per iteration from counts taken around the timing loop.
struct alloc_meter {
    benchmark::State& state;
    std::uint64_t a0 = allocs(), b0 = alloc_bytes();
    ~alloc_meter() {
        state.counters["allocs"] =
            benchmark::Counter(static_cast<double>(allocs() - a0), benchmark::Counter::kAvgIterations);
        state.counters["bytes"] =
            benchmark::Counter(static_cast<double>(alloc_bytes() - b0), benchmark::Counter::kAvgIterations);
    }
};

// ---- JSON: parse, map, both --------------------------------------------------------------------

template <class J>
void bm_parse(benchmark::State& state, const std::string* doc) {
    alloc_meter meter{state};
    for (auto _ : state) {
        auto v = J::parse(*doc);
        if (!v) state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(doc->size()));
}

template <class J, class T>
void bm_map(benchmark::State& state, const std::string* doc) {
    auto v = J::parse(*doc);
    const auto* od = v ? J::find(*v, "outputData") : nullptr;
    if (!od) {
        state.SkipWithError("no outputData");
        return;
    }
    alloc_meter meter{state};
    for (auto _ : state) {
        auto r = gcx::read_outputs<J, T>(*od);
        if (!r) state.SkipWithError(r.error().describe().c_str());
        benchmark::DoNotOptimize(r);
    }
}

template <class J, class T>
void bm_parse_map(benchmark::State& state, const std::string* doc) {
    alloc_meter meter{state};
    for (auto _ : state) {
        auto v = J::parse(*doc);
        const auto* od = v ? J::find(*v, "outputData") : nullptr;
        if (!od) {
            state.SkipWithError("no outputData");
            break;
        }
        auto r = gcx::read_outputs<J, T>(*od);
        if (!r) state.SkipWithError(r.error().describe().c_str());
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(doc->size()));
}

// ---- the launch --------------------------------------------------------------------------------

gcx::client_config bench_config() {
    gcx::client_config c;
    c.client_id = "bench-client-id";
    c.client_secret = gcx::secret("bench-client-secret");
    c.endpoints = *gcx::endpoints::from_region("mypurecloud.com");
    c.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    // CPU, not the request budget, is measured here: millions of launches at one instant would
    // otherwise be paced (the first few go, the rest are told to wait).
    c.budget.requests_per_minute = 0;
    c.budget.token_requests_per_minute = 0;
    return c;
}

gcx::http::response answer(const std::string& body) {
    gcx::http::response r;
    r.status = 200;
    r.fields.reserve(2);
    r.fields.push_back({"Content-Type", "application/json"});
    r.fields.push_back({"ININ-Correlation-Id", "5b1e3c2d-9f8a-4d7b-a6c5-1e2f3a4b5c6d"});
    r.body = body;
    return r;
}

/// A session whose token cache already holds a token, as every lookup but a client's first sees it.
template <class J>
gcx::session primed_session(const gcx::client_config& cfg, gcx::time_point now) {
    auto s = gcx::session::create(cfg).value();
    (void)s.tokens().acquire(now);
    (void)s.tokens().template complete<J>(answer(bench::token_answer()), now);
    return s;
}

template <class J>
void bm_launch_request(benchmark::State& state) {
    const auto cfg = bench_config();
    const gcx::time_point now{};
    auto session = primed_session<J>(cfg, now);
    alloc_meter meter{state};
    for (auto _ : state) {
        gcx::lookup_operation<J> op(session, "+13175550123", now);
        gcx::action a = op.next(now);
        if (a.kind != gcx::action::type::send) state.SkipWithError("no launch request");
        benchmark::DoNotOptimize(a.request.body.data());
    }
}

template <class J>
void bm_launch_request_answer(benchmark::State& state) {
    const auto cfg = bench_config();
    const gcx::time_point now{};
    const auto wall = std::chrono::system_clock::time_point{};
    auto session = primed_session<J>(cfg, now);
    const gcx::http::response launched = answer(bench::launch_answer());
    alloc_meter meter{state};
    for (auto _ : state) {
        gcx::lookup_operation<J> op(session, "+13175550123", now);
        gcx::action a = op.next(now);
        benchmark::DoNotOptimize(a.request.body.data());
        op.on_response(launched, now, wall);  // copies the answer, as a transport hands over a new one
        if (op.execution().id.empty()) state.SkipWithError("launch answer not read");
    }
}

// ---- a whole lookup ----------------------------------------------------------------------------

/// Time that moves only when the driver sleeps: the poll wait costs nothing.
struct virtual_clock {
    std::shared_ptr<gcx::time_point> t = std::make_shared<gcx::time_point>(std::chrono::hours{1});
    gcx::time_point now() const { return *t; }
    std::chrono::system_clock::time_point system_now() const {
        return std::chrono::system_clock::time_point{} + t->time_since_epoch();
    }
    void sleep_until(gcx::time_point until) const {
        if (until > *t) *t = until;
    }
};

/// Answers token, launch and poll requests from memory, and counts what it did.
struct memory_transport {
    struct counts {
        std::uint64_t requests = 0, tokens = 0, allocs = 0;
    };
    const std::string* poll_body = nullptr;
    std::shared_ptr<counts> n = std::make_shared<counts>();

    gcx::result<gcx::http::response> send(const gcx::http::request& r) const {
        const auto a0 = allocs();
        ++n->requests;
        const std::string* body = poll_body;
        if (r.url.find("/oauth/token") != std::string::npos) {
            body = &bench::token_answer();
            ++n->tokens;
        } else if (r.verb == gcx::http::method::post) {
            body = &bench::launch_answer();
        }
        gcx::result<gcx::http::response> out(answer(*body));
        n->allocs += allocs() - a0;
        return out;
    }
};

template <class J, class T>
void bm_lookup(benchmark::State& state, const std::string* poll_body, bool hooked) {
    memory_transport transport;
    transport.poll_body = poll_body;
    auto n = transport.n;
    auto cfg = bench_config();
    auto events = std::make_shared<std::uint64_t>(0);
    if (hooked) cfg.on_event = [events](const gcx::event&) { ++*events; };  // the cheapest sink: a count
    auto client = gcx::basic_client<memory_transport, J, virtual_clock>::create(cfg, transport).value();
    auto once = [&]() -> bool {
        if constexpr (std::is_same_v<T, void>) {
            auto r = client.lookup("+13175550123");
            if (!r) state.SkipWithError(r.error().describe().c_str());
            benchmark::DoNotOptimize(r);
            return bool(r);
        } else {
            auto r = client.template lookup<T>("+13175550123");
            if (!r) state.SkipWithError(r.error().describe().c_str());
            benchmark::DoNotOptimize(r);
            return bool(r);
        }
    };
    if (!once()) return;  // the client's first lookup fetches the token: not part of the figures

    const auto requests0 = n->requests, tokens0 = n->tokens, transport_allocs0 = n->allocs;
    const auto a0 = allocs(), b0 = alloc_bytes();
    for (auto _ : state)
        if (!once()) break;
    const auto total = static_cast<double>(allocs() - a0);
    const auto in_transport = static_cast<double>(n->allocs - transport_allocs0);
    using C = benchmark::Counter;
    state.counters["allocs/lookup"] = C(total, C::kAvgIterations);
    state.counters["gcx_allocs/lookup"] = C(total - in_transport, C::kAvgIterations);
    state.counters["bytes/lookup"] = C(static_cast<double>(alloc_bytes() - b0), C::kAvgIterations);
    state.counters["requests/lookup"] = C(static_cast<double>(n->requests - requests0), C::kAvgIterations);
    state.counters["tokens"] = C(static_cast<double>(n->tokens - tokens0));
    if (hooked) state.counters["events/lookup"] = C(static_cast<double>(*events), C::kAvgIterations);
}

// ---- registration ------------------------------------------------------------------------------

struct doc_case {
    const char* name;
    const std::string* body;
};

template <class J>
void register_backend(const char* backend) {
    const std::string b = backend;
    const doc_case docs[] = {{"variant_b", &bench::variant_b_execution()}, {"large", &bench::large_execution()}};
    for (const auto& d : docs) {
        benchmark::RegisterBenchmark(("json/parse/" + b + "/" + d.name).c_str(), bm_parse<J>, d.body);
    }
    benchmark::RegisterBenchmark(("json/map/" + b + "/variant_b").c_str(), bm_map<J, bench::variant_b_outputs>,
                                 &bench::variant_b_execution());
    benchmark::RegisterBenchmark(("json/map/" + b + "/large").c_str(), bm_map<J, bench::large_outputs>,
                                 &bench::large_execution());
    benchmark::RegisterBenchmark(("json/parse+map/" + b + "/variant_b").c_str(),
                                 bm_parse_map<J, bench::variant_b_outputs>, &bench::variant_b_execution());
    benchmark::RegisterBenchmark(("json/parse+map/" + b + "/large").c_str(), bm_parse_map<J, bench::large_outputs>,
                                 &bench::large_execution());

    benchmark::RegisterBenchmark(("launch/request/" + b).c_str(), bm_launch_request<J>);
    benchmark::RegisterBenchmark(("launch/request+answer/" + b).c_str(), bm_launch_request_answer<J>);

    benchmark::RegisterBenchmark(("lookup/json_outputs/" + b + "/variant_b").c_str(), bm_lookup<J, void>,
                                 &bench::variant_b_execution(), false)
        ->Unit(benchmark::kMicrosecond);
    // The same with an event hook set (client_config::on_event) that only counts the events.
    benchmark::RegisterBenchmark(("lookup/json_outputs+events/" + b + "/variant_b").c_str(), bm_lookup<J, void>,
                                 &bench::variant_b_execution(), true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("lookup/typed/" + b + "/variant_b").c_str(), bm_lookup<J, bench::variant_b_outputs>,
                                 &bench::variant_b_execution(), false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("lookup/typed/" + b + "/large").c_str(), bm_lookup<J, bench::large_outputs>,
                                 &bench::large_execution(), false)
        ->Unit(benchmark::kMicrosecond);
}

/// The console table, then the reflection's cost per backend and document as a ratio; remembers
/// whether any benchmark failed (for the exit status).
class summary_reporter : public benchmark::ConsoleReporter {
public:
    explicit summary_reporter(OutputOptions opts) : ConsoleReporter(opts) {}
    bool failed = false;

    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& r : runs) {
            if (r.error_occurred) failed = true;
            if (r.error_occurred) continue;
            // One figure per benchmark: the median when there are repetitions (also the only
            // figure reported with --benchmark_report_aggregates_only), else the run itself.
            const std::string name = r.run_name.str();
            const double ns = r.GetAdjustedCPUTime() * unit_ns(r.time_unit);
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
                cpu_ns_[name] = ns;
                from_median_.insert(name);
            } else if (r.run_type == Run::RT_Iteration && from_median_.count(name) == 0) {
                cpu_ns_[name] = ns;
            }
        }
        ConsoleReporter::ReportRuns(runs);
    }

    void Finalize() override {
        ConsoleReporter::Finalize();
        bool header = false;
        for (const auto& [name, parse_map] : cpu_ns_) {
            const std::string prefix = "json/parse+map/";
            if (name.compare(0, prefix.size(), prefix) != 0) continue;
            const auto rest = name.substr(prefix.size());
            auto parse = cpu_ns_.find("json/parse/" + rest);
            if (parse == cpu_ns_.end() || parse->second <= 0) continue;
            if (!header) {
                GetOutputStream() << "\nreflection cost (CPU time" << (from_median_.empty() ? "" : ", medians")
                                  << "): parse+map vs parse alone, same backend (target: at most +50%)\n";
                header = true;
            }
            const double ratio = parse_map / parse->second;
            char line[200];
            std::snprintf(line, sizeof line,
                          "  %-24s parse %9.0f ns   parse+map %9.0f ns   ratio %.2f  (%+.0f%%)  %s\n", rest.c_str(),
                          parse->second, parse_map, ratio, (ratio - 1) * 100, ratio <= 1.5 ? "met" : "NOT met");
            GetOutputStream() << line;
        }
    }

private:
    static double unit_ns(benchmark::TimeUnit u) {
        switch (u) {
        case benchmark::kNanosecond: return 1;
        case benchmark::kMicrosecond: return 1e3;
        case benchmark::kMillisecond: return 1e6;
        case benchmark::kSecond: return 1e9;
        }
        return 1;
    }
    std::map<std::string, double> cpu_ns_;
    std::set<std::string> from_median_;
};

}  // namespace

int main(int argc, char** argv) {
    register_backend<gcx::json::boost_json>("boost_json");
#if defined(GCX_BENCH_WITH_NLOHMANN)
    register_backend<gcx::json::nlohmann>("nlohmann");
#endif
    // The summary needs the console reporter; it is only used when no other format is asked for.
    // It honours --benchmark_color (auto: colour on a terminal), as the library's own one does.
    bool console = true;
    bool color = isatty(STDOUT_FILENO) != 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--benchmark_format=", 19) == 0 && std::strcmp(argv[i] + 19, "console") != 0)
            console = false;
        if (std::strncmp(argv[i], "--benchmark_color=", 18) == 0) {
            const std::string v = argv[i] + 18;
            if (v != "auto") color = v == "true" || v == "yes" || v == "1";
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    if (!console) {
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
        return 0;
    }
    summary_reporter reporter(color ? benchmark::ConsoleReporter::OO_Defaults : benchmark::ConsoleReporter::OO_Tabular);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return reporter.failed ? 1 : 0;
}
