// 100 lookups in flight on ONE thread of a Boost.Asio program: each is a coroutine that
// co_awaits gcx's asio adapter (gcx/adapters/asio.hpp, target gcx::asio: Beast + OpenSSL).
// The adapter shares one token, one request budget and one keep-alive pool between them.
//
//   async_beast [API_BASE_URL CLIENT_ID CLIENT_SECRET FLOW_ID]
//
// With no arguments it starts gcx-sim in-process. Built as C++20 with g++ (co_await); in C++17,
// or without coroutines, the same program runs with callbacks.
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
#include <iostream>
#include <memory>
#include <string>

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
    const int total = 100;
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (argc == 5) {
        cfg.endpoints = gcx::endpoints::from_urls(argv[1]).value();
        cfg.client_id = argv[2];
        cfg.client_secret = gcx::secret(argv[3]);
        cfg.flow_id = argv[4];
    } else {
        gcx_sim::options so;
        so.run_time = std::chrono::milliseconds{300};
        so.rate_limit_per_minute = 0;
        sim = std::make_unique<gcx_sim::simulator>(so);
        if (!sim->start()) return 1;
        cfg = examples::sim_config(*sim);
        cfg.budget.requests_per_minute = 0;  // this simulator has no rate limit: no pacing
    }

    asio::io_context io;  // run() on this thread only
    auto client = gcx::adapters::asio_client::create(io.get_executor(), cfg);
    if (!client) {
        std::cerr << client.error().describe() << "\n";
        return 2;
    }
    stats st;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < total; ++i) {
        std::string phone = i % 2 ? gcx_sim::simulator::found_number(i) : gcx_sim::simulator::unknown_number(i);
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
        asio::co_spawn(io, lookup_one(*client, std::move(phone), st), asio::detached);
#else
        client->async_lookup(phone, [&st](lookup_result r) { count(r, st); });
#endif
    }
    io.run();  // returns when all 100 have completed
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);

    std::printf("%d lookups on one thread: %d ok (%d found), %d failed, %lld ms, %llu token(s)\n", total, st.ok,
                st.found, st.failed, static_cast<long long>(ms.count()),
                static_cast<unsigned long long>(client->tokens().tokens_fetched()));
    return st.ok == total && client->tokens().tokens_fetched() == 1 ? 0 : 1;
}
