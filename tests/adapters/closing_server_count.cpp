// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// adapters-closing-server: counts what a server that closes every kept-alive connection right
// after answering (without "Connection: close") costs, per transport. The server (a raw socket
// server in this process) answers token, launch and poll requests, one per connection, then
// closes it. Lookups run against it; the program prints the failed lookups by error code, the
// launches the server received, and launches received twice for one number (there must be none).
//
//     adapters-closing-server <curl|curl-multi|httplib> [lookups=2000] [concurrency=4]
//
// Exit status: 1 when a launch arrived twice, else 0 (failures are what it measures, not errors).
// docs/reliability.md has the figures before and after the keep-alive rules of
// gcx/adapters/common/keepalive.hpp.

#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/lookup.hpp>
#include <gcx/session.hpp>

#include "closing_server.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using json = gcx::json::boost_json;
using gcx_test::closing_server;

std::string number(int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "+1317555%04d", i % 10000);
    return buf;
}

gcx::client_config config(const closing_server& srv) {
    gcx::client_config c;
    c.client_id = "closing-client";
    c.client_secret = gcx::secret("closing-secret-value");
    c.endpoints = gcx::endpoints::from_urls(srv.base_url()).value();
    c.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    c.lookup_timeout = std::chrono::seconds(10);
    c.request_timeout = std::chrono::seconds(5);
    c.poll.adaptive = false;
    c.poll.initial = std::chrono::milliseconds(1);
    c.poll.min_interval = std::chrono::milliseconds(1);
    c.poll.max = std::chrono::milliseconds(2);
    c.budget.requests_per_minute = 0;
    c.budget.token_requests_per_minute = 0;
    return c;
}

struct tally {
    std::mutex m;
    int ok = 0;
    std::map<std::string, int> failed;  // by error code
    template <class R>
    void add(const R& r) {
        std::lock_guard<std::mutex> lock(m);
        if (r) ++ok;
        else ++failed[r.error().code.empty() ? std::string("(none)") : r.error().code];
    }
};

template <class Transport>
void run_threads(const closing_server& srv, int lookups, int concurrency, tally& t) {
    auto cl = gcx::basic_client<Transport, json>::create(config(srv), Transport{}).value();
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < concurrency; ++k) {
        threads.emplace_back([&] {
            for (int i; (i = next++) < lookups;) t.add(cl.lookup(number(i)));
        });
    }
    for (auto& th : threads) th.join();
}

void run_multi(const closing_server& srv, int lookups, int concurrency, tally& t) {
    auto tokens = std::make_unique<gcx::session>(gcx::session::create(config(srv)).value());
    using op_t = gcx::lookup_operation<json>;
    gcx::adapters::curl_multi_runner loop;
    int next = 0;
    std::function<void()> add_one = [&] {
        const int i = next++;
        loop.add(op_t(*tokens, number(i), loop.now()), [&](op_t& op) {
            t.add(op.take_result());
            if (next < lookups) add_one();
        });
    };
    for (int k = 0; k < concurrency && next < lookups; ++k) add_one();
    loop.run();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <curl|curl-multi|httplib> [lookups=2000] [concurrency=4]\n", argv[0]);
        return 2;
    }
    const std::string transport = argv[1];
    const int lookups = argc > 2 ? std::atoi(argv[2]) : 2000;
    const int concurrency = argc > 3 ? std::atoi(argv[3]) : 4;
    tally t;
    {
        closing_server srv;
        const auto t0 = std::chrono::steady_clock::now();
        if (transport == "curl") run_threads<gcx::adapters::curl_transport>(srv, lookups, concurrency, t);
        else if (transport == "httplib") run_threads<gcx::adapters::httplib_transport>(srv, lookups, concurrency, t);
        else if (transport == "curl-multi") run_multi(srv, lookups, concurrency, t);
        else {
            std::fprintf(stderr, "unknown transport %s\n", transport.c_str());
            return 2;
        }
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        int failed = 0;
        std::string by_code;
        for (const auto& kv : t.failed) {
            failed += kv.second;
            by_code += " " + kv.first + "=" + std::to_string(kv.second);
        }
        const int twice = srv.launched_twice();
        std::printf("%s: %d lookups, concurrency %d, %lld ms: ok %d, failed %d%s; server: connections %d, tokens %d, "
                    "launches %d, polls %d, launched twice %d\n",
                    transport.c_str(), lookups, concurrency, static_cast<long long>(ms), t.ok, failed, by_code.c_str(),
                    srv.connections.load(), srv.tokens.load(), srv.launches.load(), srv.polls.load(), twice);
        return twice > 0 ? 1 : 0;
    }
}
