// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// basic_client over each shipped transport, against a test server that speaks the Genesys
// shapes (fake_genesys.hpp): the whole lookup over real sockets.

#include "fake_genesys.hpp"
#include "transport_test_support.hpp"

#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gcx_test::config_for;
using gcx_test::fake_genesys;

namespace {
const std::string& phone = gcx_test::phone;
}  // namespace

ADAPTER_TEST("full lookup: token, launch, two RUNNING polls, COMPLETED outputs") {
    fake_genesys fake;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(config_for(fake)).value();
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    const auto& out = r->outputs.as_object();
    CHECK(out.at("Flow.Found").as_bool());
    CHECK(out.at("Flow.FirstName").as_string() == "Maria");
    CHECK(out.at("Flow.Tier").as_string() == "Gold");
    CHECK(r->execution.status == "COMPLETED");
    CHECK(r->execution.polls == 3);
    CHECK(r->execution.requests == 5);  // token, launch, 3 polls
    CHECK_FALSE(r->execution.correlation_id.empty());
    CHECK(fake.tokens() == 1);
    CHECK(fake.launches() == 1);
    CHECK(fake.polls() == 3);
    CHECK(fake.connections() == 1);  // token, launch and polls share one keep-alive connection
}

ADAPTER_TEST("50 lookups through one client open at most a handful of connections") {
    fake_genesys fake;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(config_for(fake)).value();
    int ok = 0;
    for (int i = 0; i < 50; ++i) {
        auto r = client.lookup(phone);
        if (r && r->execution.status == "COMPLETED") ++ok;
    }
    CHECK(ok == 50);
    CHECK(fake.tokens() == 1);  // one cached token for all lookups
    CHECK(fake.launches() == 50);
    CHECK(fake.polls() == 150);
    INFO("connections accepted: " << fake.connections());
    CHECK(fake.connections() <= 2);
}

ADAPTER_TEST("4 threads x 25 lookups through one client share one token and few connections") {
    fake_genesys fake;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(config_for(fake)).value();
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                auto r = client.lookup(phone);
                if (r && r->execution.status == "COMPLETED") ++ok;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 100);
    CHECK(fake.tokens() == 1);
    CHECK(fake.launches() == 100);
    INFO("connections accepted: " << fake.connections());
    CHECK(fake.connections() <= 8);  // at most one per concurrent lookup (4), with slack for reconnects
}

ADAPTER_TEST("a server that never answers a poll: the lookup deadline fires, no hang") {
    fake_genesys fake(fake_genesys::fault::poll_hang);
    auto cfg = config_for(fake);
    cfg.lookup_timeout = 1500ms;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(cfg).value();
    auto start = std::chrono::steady_clock::now();
    auto r = client.lookup(phone);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.has_value());
    INFO(r.error().describe());
    CHECK(r.error().kind == gcx::errc::timeout);
    CHECK(r.error().execution_id.rfind("c0a8012e", 0) == 0);
    CHECK(took < 3s);
    CHECK(fake.launches() == 1);
}

ADAPTER_TEST("an oversized poll answer is a too_large transport error, never a truncation") {
    fake_genesys fake(fake_genesys::fault::poll_huge);
    auto cfg = config_for(fake);
    cfg.retry.base_delay = 1ms;
    cfg.retry.max_retries = 1;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup(phone);
    REQUIRE_FALSE(r.has_value());
    INFO(r.error().describe());
    CHECK(r.error().kind == gcx::errc::transport);
    CHECK(r.error().code == "too_large");
}

ADAPTER_TEST("a connection closed mid-response on a poll is retried on a new connection") {
    fake_genesys fake(fake_genesys::fault::poll_cut_once);
    auto cfg = config_for(fake);
    cfg.retry.base_delay = 1ms;
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    CHECK(r->execution.status == "COMPLETED");
    CHECK(fake.launches() == 1);
    CHECK(fake.connections() == 2);
}

ADAPTER_TEST("a 429 with Retry-After on launch is waited out and the launch sent once more") {
    fake_genesys fake(fake_genesys::fault::launch_429_once);
    auto client = gcx::basic_client<Transport, gcx::json::boost_json>::create(config_for(fake)).value();
    auto start = std::chrono::steady_clock::now();
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    CHECK(std::chrono::steady_clock::now() - start >= 1s);
    CHECK(fake.launches() == 1);  // the 429 started nothing
}
