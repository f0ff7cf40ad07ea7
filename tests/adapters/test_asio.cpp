// gcx::adapters::asio_client against gcx-sim (a separate process) over real loopback sockets,
// HTTP and HTTPS (the throw-away CA of test_pki.hpp): completion tokens, threads, deadlines, 429s,
// dropped launches, TLS. The connection cap is in test_asio_connections.cpp, async_check in
// test_asio_check.cpp (three files, so the build compiles them side by side).

#include "asio_support.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace asio_test;

TEST_CASE("asio: every completion token gets the lookup's answer: a callback, use_future, deferred, use_awaitable",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "100"});
    asio::io_context io;
    auto client = make_client(io, config_for(sim));

    // A callback, with typed outputs.
    std::optional<gcx::result<gcx::lookup_result<gcx::customer_lookup>>> typed;
    int calls = 0;
    client.async_lookup<gcx::customer_lookup>(found_number(123), [&](auto r) {
        ++calls;
        typed = std::move(r);
    });
    // use_future, JSON outputs.
    std::future<lookup_r> fut = client.async_lookup(unknown_number(7), asio::use_future);
    // deferred: nothing happens before it is launched.
    auto deferred = client.async_find_contacts(found_number(123), asio::deferred);
    std::optional<gcx::result<gcx::direct_result<J::value>>> contacts;
    std::move(deferred)([&](auto r) { contacts = std::move(r); });
    CHECK(calls == 0);  // never inside the initiating function

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
    std::optional<lookup_r> awaited;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            awaited = co_await client.async_lookup(found_number(5), asio::use_awaitable);
        },
        asio::detached);
#endif
    run_bounded(io);

    CHECK(calls == 1);
    REQUIRE(typed);
    REQUIRE(*typed);
    CHECK((*typed)->outputs.Found == true);
    CHECK((*typed)->outputs.ContactId.has_value());
    CHECK_FALSE((*typed)->execution.id.empty());

    REQUIRE(fut.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    lookup_r u = fut.get();
    REQUIRE(u);
    CHECK_FALSE(found_flag(u));

    REQUIRE(contacts);
    REQUIRE(*contacts);
    CHECK((*contacts)->contacts.as_array().size() >= 1);

#if defined(BOOST_ASIO_HAS_CO_AWAIT)
    REQUIRE(awaited);
    REQUIRE(*awaited);
    CHECK(found_flag(*awaited));
#endif
    CHECK(sim.stat("tokens_issued") == 1);
    CHECK(client.idle_connections() >= 1);  // kept alive
}

TEST_CASE("asio: 4 threads running one io_context share one token and one pool, and every lookup completes once",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "100", "--threads", "256"});  // a thread per connection
    asio::io_context io(4);
    auto client = make_client(io, config_for(sim));
    constexpr int n = 200;
    std::atomic<int> calls{0}, ok{0}, found{0};
    std::vector<std::atomic<int>> per(n);
    for (int i = 0; i < n; ++i) {
        client.async_lookup(i % 2 ? found_number(i) : unknown_number(i), [&, i](lookup_r r) {
            ++per[static_cast<std::size_t>(i)];
            ++calls;
            if (r) {
                ++ok;
                found += found_flag(r) ? 1 : 0;
            }
        });
    }
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k) threads.emplace_back([&] { io.run_for(std::chrono::seconds(60)); });
    for (auto& th : threads) th.join();
    CHECK(calls == n);
    CHECK(ok == n);
    CHECK(found == n / 2);
    int once = 0;
    for (auto& p : per) once += p.load() == 1;
    CHECK(once == n);
    CHECK(sim.stat("tokens_issued") == 1);
    CHECK(sim.stat("launches") == n);
}

TEST_CASE("asio: a lookup bound to the caller's strand and cancellation slot, on 2 threads, is cancelled there "
          "after it ended without a race",
          "[adapters][asio]") {
    // The slot belongs to the caller, who emits on the handler's executor (as parallel_group and
    // the awaitable operators do). The lookup must clear it there too, not on its own strand: this
    // case, under scripts/hardening.sh's ThreadSanitizer, saw the race when it did.
    sim_process sim({"--rate-limit", "0", "--run-ms", "50"});
    asio::io_context io(2);
    auto cfg = config_for(sim);
    cfg.poll.adaptive = false;  // poll at 50 ms: the lookup ends well within the caller's 800 ms below
    auto client = make_client(io, cfg);
    auto user = asio::make_strand(io);
    asio::cancellation_signal signal;
    std::atomic<int> calls{0}, ok{0};
    asio::post(user, [&] {
        client.async_lookup(found_number(1),
                            asio::bind_cancellation_slot(signal.slot(), asio::bind_executor(user, [&](lookup_r r) {
                                                             ++calls;
                                                             ok += r ? 1 : 0;
                                                         })));
        // Queued behind this handler on the caller's strand: the lookup ends while the first runs.
        asio::post(user, [] { std::this_thread::sleep_for(std::chrono::milliseconds(800)); });
        asio::post(user, [&] { signal.emit(asio::cancellation_type::terminal); });
    });
    std::thread other([&] { io.run_for(std::chrono::seconds(60)); });
    io.run_for(std::chrono::seconds(60));
    other.join();
    CHECK(calls == 1);
    CHECK(ok == 1);  // ended before the emit: the late cancellation changes nothing
}

TEST_CASE("asio: a lookup past its deadline ends with errc::timeout", "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "5000"});
    asio::io_context io;
    auto cfg = config_for(sim);
    cfg.lookup_timeout = std::chrono::milliseconds(600);
    auto client = make_client(io, cfg);
    std::optional<lookup_r> got;
    client.async_lookup(found_number(3), [&](lookup_r r) { got = std::move(r); });
    run_bounded(io);
    REQUIRE(got);
    REQUIRE_FALSE(*got);
    INFO(got->error().describe());
    CHECK(got->error().kind == gcx::errc::timeout);
    CHECK_FALSE(got->error().execution_id.empty());
}

TEST_CASE("asio: launches answered 429 pause and are sent again: every lookup succeeds", "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "50", "--faults", "429=0.3,on=launch", "--seed", "5"});
    asio::io_context io;
    auto cfg = config_for(sim);
    cfg.lookup_timeout = std::chrono::seconds(60);
    auto client = make_client(io, cfg);
    constexpr int n = 40;
    int ok = 0, calls = 0;
    std::string first_error;
    for (int i = 0; i < n; ++i)
        client.async_lookup(found_number(i), [&](lookup_r r) {
            ++calls;
            ok += r.has_value();
            if (!r && first_error.empty()) first_error = r.error().describe();
        });
    run_bounded(io);
    INFO(first_error);
    CHECK(calls == n);
    CHECK(ok == n);
    CHECK(sim.stat("faults_429") > 0);
    CHECK(sim.stat("launches") == n);
    CHECK(sim.stat("duplicate_launches") == 0);
}

TEST_CASE("asio: launches dropped unanswered are never sent twice, over http and https", "[adapters][asio]") {
    const auto& pki = gcx_test::test_pki::instance();
    for (bool tls : {false, true}) {
        INFO((tls ? "https" : "http"));
        std::vector<std::string> args{"--rate-limit",       "0",      "--run-ms", "50", "--faults",
                                      "drop=0.2,on=launch", "--seed", "11"};
        if (tls) args.insert(args.end(), {"--tls-cert", pki.server_cert, "--tls-key", pki.server_key});
        sim_process sim(args, tls ? pki.ca_cert : std::string());
        asio::io_context io;
        gcx::adapters::asio_options o;
        if (tls) o.ca_file = pki.ca_cert;
        auto client = make_client(io, config_for(sim), o);
        constexpr int n = 60;
        int calls = 0, ok = 0, dropped = 0;
        std::string other;
        for (int i = 0; i < n; ++i)
            client.async_lookup(i % 2 ? found_number(i) : unknown_number(i), [&](lookup_r r) {
                ++calls;
                if (r) {
                    ++ok;
                } else if ((r.error().code == gcx::codes::empty_reply || r.error().code == gcx::codes::recv) &&
                           r.error().sent == gcx::delivery::maybe) {
                    ++dropped;
                } else if (other.empty()) {
                    other = r.error().describe();
                }
            });
        run_bounded(io);
        INFO(other);
        CHECK(calls == n);
        CHECK(ok + dropped == n);
        CHECK(dropped > 0);
        const auto st = sim.stats();
        CHECK(st.at("faults_drop").to_number<std::int64_t>() > 0);
        CHECK(st.at("duplicate_launches").to_number<std::int64_t>() == 0);
        CHECK(st.at("launches").to_number<std::int64_t>() <= n);
    }
}

TEST_CASE("asio: over https the throw-away CA is trusted when given, and an unknown CA is refused once as certificate",
          "[adapters][asio]") {
    const auto& pki = gcx_test::test_pki::instance();
    sim_process sim({"--rate-limit", "0", "--run-ms", "50", "--tls-cert", pki.server_cert, "--tls-key", pki.server_key},
                    pki.ca_cert);
    REQUIRE(sim.url.rfind("https://", 0) == 0);
    {
        asio::io_context io;
        gcx::adapters::asio_options o;
        o.ca_file = pki.ca_cert;
        auto client = make_client(io, config_for(sim), o);
        std::optional<lookup_r> a, b;
        client.async_lookup(found_number(123), [&](lookup_r r) { a = std::move(r); });
        client.async_lookup(unknown_number(1), [&](lookup_r r) { b = std::move(r); });
        run_bounded(io);
        REQUIRE(a);
        INFO((*a ? std::string() : a->error().describe()));
        REQUIRE(*a);
        CHECK(found_flag(*a));
        REQUIRE(b);
        REQUIRE(*b);
        CHECK_FALSE(found_flag(*b));
    }
    {
        const auto before = sim.stats();
        asio::io_context io;
        auto client = make_client(io, config_for(sim));  // the system store: the test CA is unknown
        std::optional<lookup_r> a;
        client.async_lookup(found_number(123), [&](lookup_r r) { a = std::move(r); });
        run_bounded(io);
        REQUIRE(a);
        REQUIRE_FALSE(*a);
        INFO(a->error().describe());
        CHECK(a->error().code == gcx::codes::certificate);
        CHECK(a->error().sent == gcx::delivery::not_sent);
        const auto after = sim.stats();
        CHECK(delta(before, after, "connections_accepted") - 1 == 1);  // one handshake (- 1: the stats request)
        CHECK(delta(before, after, "token_requests") == 0);
    }
    {
        // A CA file that cannot be read: errc::config, nothing sent.
        asio::io_context io;
        gcx::adapters::asio_options o;
        o.ca_file = "/nonexistent/gcx-ca.pem";
        auto client = make_client(io, config_for(sim), o);
        std::optional<lookup_r> a;
        client.async_lookup(found_number(123), [&](lookup_r r) { a = std::move(r); });
        run_bounded(io);
        REQUIRE(a);
        REQUIRE_FALSE(*a);
        CHECK(a->error().kind == gcx::errc::config);
    }
}
