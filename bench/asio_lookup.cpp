// gcx-bench-asio: bench/run's asio row. The numbers on stdin, CONCURRENCY of them in flight on
// one thread through gcx::adapters::asio_client (gcx/adapters/asio.hpp); one JSON line per number
// on stdout, {"status":"found"|"not_found"|"error"}, as gcx-lookup --json writes it (the harness
// counts them).
//
//   GENESYS_CLIENT_ID=... GENESYS_CLIENT_SECRET=... TARGET_FLOW_ID=... GCX_API_URL=...
//   [CONCURRENCY=16] [POLL_INITIAL_MS=50] [GCX_CA_FILE=ca.pem] gcx-bench-asio < numbers.txt
#include <gcx/adapters/asio.hpp>
#include <gcx/json/boost_json.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

long env_number(const char* name, long fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

struct batch {
    gcx::adapters::asio_client& client;
    std::vector<std::string> numbers;
    std::vector<const char*> status;
    std::size_t next = 0;

    void start_one() {
        if (next == numbers.size()) return;
        const std::size_t i = next++;
        client.async_lookup(numbers[i], [this, i](gcx::result<gcx::lookup_result<boost::json::value>> r) {
            if (!r) {
                status[i] = "error";
                std::cerr << r.error().describe() << "\n";
            } else {
                const auto* f = r->outputs.as_object().if_contains("Flow.Found");
                status[i] = f && f->is_bool() && f->as_bool() ? "found" : "not_found";
            }
            start_one();
        });
    }
};

}  // namespace

int main() {
    auto cfg = gcx::client_config::from_env();
    if (!cfg) {
        std::cerr << cfg.error().describe() << "\n";
        return 2;
    }
    cfg->budget.requests_per_minute = 0;  // bench/run's simulator has no rate limit
    // gcx-lookup --poll-ms's fixed schedule, so that both make the same requests.
    cfg->poll.adaptive = false;
    cfg->poll.initial = std::chrono::milliseconds(env_number("POLL_INITIAL_MS", 50));
    cfg->poll.max = std::max(cfg->poll.max, cfg->poll.initial);
    gcx::adapters::asio_options opts;
    if (const char* ca = std::getenv("GCX_CA_FILE")) opts.ca_file = ca;

    boost::asio::io_context io(1);
    auto client = gcx::adapters::asio_client::create(io.get_executor(), *cfg, opts);
    if (!client) {
        std::cerr << client.error().describe() << "\n";
        return 2;
    }
    batch b{*client, {}, {}};
    for (std::string line; std::getline(std::cin, line);)
        if (!line.empty()) b.numbers.push_back(line);
    b.status.assign(b.numbers.size(), "error");
    const long conc = std::max(1L, env_number("CONCURRENCY", 16));
    for (long k = 0; k < conc; ++k) b.start_one();
    io.run();

    bool all = true;
    for (const char* s : b.status) {
        std::printf("{\"status\":\"%s\"}\n", s);
        all = all && s[0] != 'e';
    }
    return all ? 0 : 1;
}
