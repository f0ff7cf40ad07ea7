// 100 lookups in flight on ONE thread of a Boost.Asio program: each is a coroutine that
// co_awaits gcx's asio adapter (gcx/adapters/asio.hpp, target gcx::asio: Beast + OpenSSL).
// The adapter shares one token, one request budget and one keep-alive pool between them.
//
//   async_beast                  100 lookups against gcx-sim, started in-process
//   async_beast NUMBER...        those numbers, against your org when GENESYS_CLIENT_ID (and the
//                                other variables of the README) are set, else against gcx-sim
//
// Built as C++20 with g++ (co_await); in C++17, or without coroutines, the same program runs with
// callbacks.
#include <gcx/adapters/asio.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <boost/asio/io_context.hpp>
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
using lookup_result = gcx::result<gcx::lookup_result<boost::json::value>>;

struct stats {
    int ok = 0, found = 0, failed = 0;
};

void count(const lookup_result& r, stats& st) {
    if (!r) {
        ++st.failed;
        std::cerr << "lookup failed: " << r.error().describe() << "\n";
        return;
    }
    ++st.ok;
    const auto* f = r->outputs.as_object().if_contains("Flow.Found");
    st.found += f && f->is_bool() && f->as_bool();
}

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
asio::awaitable<void> lookup_one(gcx::adapters::asio_client& client, std::string phone, stats& st) {
    lookup_result r = co_await client.async_lookup(phone, asio::use_awaitable);
    count(r, st);
}
#endif

int main(int argc, char** argv) {
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    std::vector<std::string> phones(argv + 1, argv + argc);
    if (std::getenv("GENESYS_CLIENT_ID")) {  // your org: the numbers you give
        if (phones.empty()) {
            std::cerr << "usage: async_beast NUMBER... (with GENESYS_CLIENT_ID set, the numbers to look up)\n";
            return 2;
        }
        if (int rc = examples::env_or_sim_config(sim, cfg)) return rc;
    } else {
        gcx_sim::options so;
        so.run_time = std::chrono::milliseconds{300};
        so.rate_limit_per_minute = 0;
        sim = std::make_unique<gcx_sim::simulator>(so);
        if (!sim->start()) return 1;
        cfg = examples::sim_config(*sim);
        cfg.budget.requests_per_minute = 0;  // this simulator has no rate limit: no pacing
        if (phones.empty())                  // 100 numbers, half of them known to it
            for (int i = 0; i < 100; ++i)
                phones.push_back(i % 2 ? gcx_sim::simulator::found_number(i) : gcx_sim::simulator::unknown_number(i));
    }
    const int total = static_cast<int>(phones.size());

    asio::io_context io;  // run() on this thread only
    auto client = gcx::adapters::asio_client::create(io.get_executor(), cfg);
    if (!client) {
        std::cerr << client.error().describe() << "\n";
        return 2;
    }
    stats st;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::string& phone : phones) {
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
        asio::co_spawn(io, lookup_one(*client, std::move(phone), st), asio::detached);
#else
        client->async_lookup(phone, [&st](lookup_result r) { count(r, st); });
#endif
    }
    io.run();  // returns when every lookup has completed
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);

    std::printf("%d lookups on one thread: %d ok (%d found), %d failed, %lld ms, %llu token(s)\n", total, st.ok,
                st.found, st.failed, static_cast<long long>(ms.count()),
                static_cast<unsigned long long>(client->tokens().tokens_fetched()));
    return st.ok == total && client->tokens().tokens_fetched() == 1 ? 0 : 1;
}
