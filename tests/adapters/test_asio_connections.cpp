// gcx::adapters::asio_client against gcx-sim and small raw servers: connections (the per-origin
// cap, its queue, 1,000 lookups in flight on one thread, a server closing connections), deadlines
// and cancellation (while queued, while resolving a host name).

#include "asio_support.hpp"
#include "closing_server.hpp"
#include "raw_server.hpp"
#include "slow_dns.hpp"
#include "test_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace asio_test;

/// Every 20 ms on `t`, until `ready()` says so: then a terminal cancellation on `signal`.
template <class Ready>
void cancel_when(asio::steady_timer& t, asio::cancellation_signal& signal, Ready ready) {
    t.expires_after(std::chrono::milliseconds(20));
    t.async_wait([&t, &signal, ready](boost::system::error_code) mutable {
        if (ready()) signal.emit(asio::cancellation_type::terminal);
        else cancel_when(t, signal, std::move(ready));
    });
}

// Samples client.open_connections() every 2 ms while `io` runs; the highest count seen.
struct open_watch {
    open_watch(asio::io_context& io, const client_t& c) : timer(io), client(c) { tick(); }
    void tick() {
        peak = std::max(peak, client.open_connections());
        timer.expires_after(std::chrono::milliseconds(2));
        timer.async_wait([this](boost::system::error_code ec) {
            if (!ec && !done) tick();
        });
    }
    asio::steady_timer timer;
    const client_t& client;
    std::size_t peak = 0;
    bool done = false;
};

TEST_CASE(
    "asio: 1,000 lookups in flight on one thread against gcx-sim, each answered once, one token, one launch each, "
    "over at most max_connections connections",
    "[adapters][asio]") {
    // gcx-sim gives each kept-alive connection a thread; the client opens at most 64 (the default
    // max_connections) however many lookups are in flight.
    sim_process sim({"--rate-limit", "0", "--run-ms", "300", "--threads", "128"});
    asio::io_context io;
    auto cfg = config_for(sim);
    cfg.lookup_timeout = std::chrono::seconds(60);
    auto client = make_client(io, cfg);
    const std::size_t cap = gcx::adapters::asio_options{}.max_connections;
    REQUIRE(cap == 64);
    // GCX_ASIO_IN_FLIGHT changes the count (1 to 10,000).
    int n = 1000;
    if (const char* v = std::getenv("GCX_ASIO_IN_FLIGHT")) n = std::clamp(std::atoi(v), 1, 10000);
    const auto count = static_cast<std::size_t>(n);
    std::vector<int> calls(count, 0), ok(count, 0), found(count, 0);
    std::string first_error;
    std::size_t done = 0;
    open_watch watch(io, client);
    for (int i = 0; i < n; ++i) {
        const std::string phone = i % 2 ? found_number(i) : unknown_number(i);
        client.async_lookup(phone, [&, i](lookup_r r) {
            const auto k = static_cast<std::size_t>(i);
            ++calls[k];
            ok[k] = r.has_value();
            if (r) found[k] = found_flag(r);
            else if (first_error.empty()) first_error = r.error().describe();
            if (++done == count) {
                watch.done = true;
                watch.timer.cancel();
            }
        });
    }
    run_bounded(io);
    INFO(first_error);
    int n_ok = 0, n_found = 0, once = 0, right = 0;
    for (std::size_t k = 0; k < count; ++k) {
        once += calls[k] == 1;
        n_ok += ok[k];
        n_found += found[k];
        right += found[k] == static_cast<int>(k % 2);  // odd indexes are known numbers
    }
    CHECK(once == n);
    CHECK(n_ok == n);
    CHECK(n_found == n / 2);
    CHECK(right == n);
    CHECK(watch.peak >= 1);
    CHECK(watch.peak <= cap);
    CHECK(client.open_connections() <= cap);
    const auto st = sim.stats();
    CHECK(st.at("launches").to_number<std::int64_t>() == n);
    CHECK(st.at("duplicate_launches").to_number<std::int64_t>() == 0);
    CHECK(st.at("tokens_issued").to_number<std::int64_t>() == 1);
    // Connections are kept and shared: far fewer than lookups (+ 1: the stats request).
    CHECK(st.at("connections_accepted").to_number<std::int64_t>() <= static_cast<std::int64_t>(2 * cap + 1));
}

TEST_CASE(
    "asio: with max_connections 2, 40 lookups in flight share two connections and all complete, and 0 means no limit",
    "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "100"});
    for (std::size_t cap : {std::size_t{2}, std::size_t{0}}) {
        INFO("max_connections " << cap);
        const auto before = sim.stats();
        asio::io_context io;
        gcx::adapters::asio_options o;
        o.max_connections = cap;
        auto client = make_client(io, config_for(sim), o);
        open_watch watch(io, client);
        int ok = 0, done = 0;
        for (int i = 0; i < 40; ++i)
            client.async_lookup(found_number(i), [&](lookup_r r) {
                ok += r.has_value();
                if (++done == 40) {
                    watch.done = true;
                    watch.timer.cancel();
                }
            });
        run_bounded(io);
        CHECK(ok == 40);
        const auto after = sim.stats();
        CHECK(delta(before, after, "launches") == 40);
        if (cap == 2) {
            CHECK(watch.peak <= 2);
            CHECK(delta(before, after, "connections_accepted") <= 2 + 1);
        } else {
            CHECK(watch.peak > 2);  // a connection per launch in flight
        }
    }
}

TEST_CASE("asio pool: a waiter is taken under the lock when its turn comes, and held until its turn has run, "
          "one gone before its turn is skipped",
          "[adapters][asio]") {
    // An exchange queued for a connection is held weakly by the queue; its timer or a cancellation
    // that finds its turn taken (cancel_wait false) lets go of it, trusting the turn to end it. So
    // the turn must hold it from the moment it is taken out of the queue, not from when it runs.
    using gcx::adapters::detail::asio_connection;
    using gcx::adapters::detail::asio_pool;
    struct waiter_state {
        int turns = 0;
    };
    asio_pool pool(4, 1);
    gcx::adapters::detail::keepalive_memory memory;
    const std::string origin = "http://127.0.0.1:9";
    auto claim_of = [](std::weak_ptr<waiter_state> w, std::function<void(waiter_state&)> on_run) {
        return [w, on_run]() -> asio_pool::turn {
            auto held = w.lock();
            if (!held) return {};
            return [held, on_run](std::unique_ptr<asio_connection> c) {
                CHECK_FALSE(c);  // a slot, not a connection: release() below
                ++held->turns;
                on_run(*held);
            };
        };
    };
    auto first = pool.acquire(origin, false, std::chrono::seconds(1), memory, [] { return asio_pool::turn{}; });
    REQUIRE(first.open_new);  // the one slot

    auto gone = std::make_shared<waiter_state>();
    auto waiting = std::make_shared<waiter_state>();
    std::weak_ptr<waiter_state> gone_w = gone, waiting_w = waiting;
    auto g1 = pool.acquire(origin, false, std::chrono::seconds(1), memory, claim_of(gone, [](waiter_state&) {}));
    std::uint64_t wait_id = 0;
    auto g2 = pool.acquire(origin, false, std::chrono::seconds(1), memory, claim_of(waiting, [&](waiter_state&) {
                               // Its timer fires now, on another thread: the turn is taken, so the
                               // timer lets go of the exchange. The turn still holds it.
                               CHECK_FALSE(pool.cancel_wait(origin, wait_id));
                               waiting.reset();
                               CHECK_FALSE(waiting_w.expired());
                           }));
    REQUIRE(g1.wait_id != 0);
    REQUIRE(g2.wait_id != 0);
    wait_id = g2.wait_id;
    gone.reset();  // destroyed while queued (its io_context went): never cancel_wait'ed
    REQUIRE(gone_w.expired());

    pool.release(origin);        // the slot goes past the one gone to the one waiting
    CHECK(waiting_w.expired());  // the turn ran and let go of it
    CHECK(pool.open() == 1);     // the slot is the waiter's now

    // No one waiting but those gone: the slot is freed.
    auto gone2 = std::make_shared<waiter_state>();
    auto g3 = pool.acquire(origin, false, std::chrono::seconds(1), memory, claim_of(gone2, [](waiter_state&) {}));
    REQUIRE(g3.wait_id != 0);
    gone2.reset();
    pool.release(origin);
    CHECK(pool.open() == 0);
}

TEST_CASE("asio: a request queued for the one connection fails at its lookup's deadline without being sent, or ends "
          "at once when cancelled, and the queue moves on",
          "[adapters][asio]") {
    // max_connections 1 and launches answered after 1.5 s. A launches at once; B starts at 1 s
    // and queues for the connection, which it gets when A's launch is answered (1.5 s). A's
    // first poll then queues behind B's launch (answered at 3 s) past A's deadline (2.5 s).
    sim_process sim({"--rate-limit", "0", "--run-ms", "50", "--faults", "slow=1,slow_ms=1500,on=launch"});
    asio::io_context io;
    gcx::adapters::asio_options o;
    o.max_connections = 1;
    auto cfg = config_for(sim);
    cfg.lookup_timeout = std::chrono::milliseconds(2500);
    cfg.poll.adaptive = false;  // poll 50 ms after the launch (the learned schedule waits ~1 s)
    auto client = make_client(io, cfg, o);
    std::optional<lookup_r> a, b, c;
    std::int64_t polls_when_a_ended = -1;
    client.async_lookup(found_number(1), [&](lookup_r r) {
        polls_when_a_ended = sim.stat("polls");
        a = std::move(r);
    });
    asio::steady_timer t(io);
    t.expires_after(std::chrono::milliseconds(1000));
    t.async_wait([&](boost::system::error_code) {
        client.async_lookup(found_number(2), [&](lookup_r r) { b = std::move(r); });
    });
    run_bounded(io);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE_FALSE(*a);
    INFO(a->error().describe());
    CHECK(a->error().kind == gcx::errc::timeout);
    CHECK(a->error().message.find("waiting for a free connection") != std::string::npos);
    CHECK_FALSE(a->error().execution_id.empty());  // launched, then its poll never got a connection
    CHECK(polls_when_a_ended == 0);
    CHECK(b->has_value());
    CHECK(sim.stat("launches") == 2);
    CHECK(client.open_connections() <= 1);

    // Cancelled while queued: ends at once, nothing launched; the connection stays usable.
    io.restart();
    asio::cancellation_signal signal;
    client.async_lookup(found_number(3), [&](lookup_r r) { a = std::move(r); });
    client.async_lookup(found_number(4),
                        asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { c = std::move(r); }));
    t.expires_after(std::chrono::milliseconds(300));
    t.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    run_bounded(io);
    REQUIRE(c);
    REQUIRE_FALSE(*c);
    INFO(c->error().describe());
    CHECK(c->error().code == gcx::codes::canceled);
    CHECK(c->error().sent == gcx::delivery::not_sent);
    REQUIRE(a);
    CHECK(a->has_value());
    CHECK(sim.stat("launches") == 3);
    CHECK(client.open_connections() <= 1);
}

TEST_CASE("asio: a lookup cancelled mid-poll ends with code canceled and the execution id, and polls no more",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "3000"});
    asio::io_context io;
    auto cfg = config_for(sim);
    auto finished = std::make_shared<std::vector<std::string>>();  // lookup_finished outcomes and codes
    cfg.on_event = [finished](const gcx::event& ev) {
        if (ev.kind == gcx::event_kind::lookup_finished)
            finished->push_back(std::string(ev.outcome) + " " + std::string(ev.error_code));
    };
    auto client = make_client(io, cfg);

    asio::cancellation_signal signal;
    std::optional<lookup_r> got;
    client.async_lookup(found_number(1),
                        asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
    // Cancel once the launch was answered (the sim counts it), while the lookup polls.
    asio::steady_timer t(io);
    std::int64_t polls_at_cancel = -1;
    cancel_when(t, signal, [&] {
        if (sim.stat("launches") != 1 || sim.stat("polls") < 1) return false;
        polls_at_cancel = sim.stat("polls");
        return true;
    });
    run_bounded(io);
    REQUIRE(got);
    REQUIRE_FALSE(*got);
    const gcx::error& e = got->error();
    INFO(e.describe());
    CHECK(e.kind == gcx::errc::transport);
    CHECK(e.code == gcx::codes::canceled);
    CHECK_FALSE(e.execution_id.empty());
    CHECK(e.sent == gcx::delivery::maybe);
    CHECK(e.message.find("launched") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(sim.stat("polls") <= polls_at_cancel + 1);  // at most the poll in flight when cancelled
    CHECK(sim.stat("launches") == 1);
    CHECK(*finished == std::vector<std::string>{"error canceled"});  // its events end as any lookup's

    // Cancelled before anything was launched: not_sent, and no flow started.
    asio::io_context io2;
    auto client2 = make_client(io2, config_for(sim));
    asio::cancellation_signal signal2;
    std::optional<lookup_r> got2;
    client2.async_lookup(found_number(2),
                         asio::bind_cancellation_slot(signal2.slot(), [&](lookup_r r) { got2 = std::move(r); }));
    asio::post(io2, [&] { signal2.emit(asio::cancellation_type::terminal); });
    run_bounded(io2);
    REQUIRE(got2);
    REQUIRE_FALSE(*got2);
    INFO(got2->error().describe());
    CHECK(got2->error().code == gcx::codes::canceled);
    CHECK(got2->error().sent == gcx::delivery::not_sent);
    CHECK(got2->error().execution_id.empty());
    CHECK(sim.stat("launches") == 1);
}

TEST_CASE("asio: with fewer connections than lookups in flight, a server closing each connection after answering "
          "loses no launch",
          "[adapters][asio]") {
    // A connection given back goes straight to the next request queued for one. A launch handed
    // one the server had already closed was lost (empty_reply, may have been delivered: 272 of
    // 1,000 lookups with 64 connections and 200 in flight): the handover now applies the
    // keep-alive rules acquire applies.
    gcx_test::closing_server srv;
    asio::io_context io;
    gcx::client_config cfg;
    cfg.client_id = "closing-client";
    cfg.client_secret = gcx::secret("closing-secret-value");
    cfg.endpoints = gcx::endpoints::from_urls(srv.base_url()).value();
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    cfg.lookup_timeout = std::chrono::seconds(20);
    cfg.poll.adaptive = false;
    cfg.poll.initial = std::chrono::milliseconds(1);
    cfg.poll.min_interval = std::chrono::milliseconds(1);
    cfg.budget.requests_per_minute = 0;
    cfg.budget.token_requests_per_minute = 0;
    gcx::adapters::asio_options o;
    o.max_connections = 4;
    auto client = make_client(io, cfg, o);
    const int lookups = 300, in_flight = 40;
    int next = 0, ok = 0;
    std::map<std::string, int> failed;  // by code
    std::function<void()> add_one = [&] {
        char number[16];
        std::snprintf(number, sizeof number, "+1317555%04d", next++);
        client.async_lookup(number, [&](lookup_r r) {
            if (r) ++ok;
            else ++failed[r.error().code];
            if (next < lookups) add_one();
        });
    };
    for (int k = 0; k < in_flight; ++k) add_one();
    run_bounded(io);
    std::string codes;
    for (const auto& [code, n] : failed) codes += code + "=" + std::to_string(n) + " ";
    INFO("failed: " << codes);
    CHECK(srv.launched_twice() == 0);
    CHECK(srv.launches.load() >= ok);
    // The first launch on a connection the server closed as it handed it over teaches the client
    // that this server closes connections early; at most that one is lost.
    CHECK(ok >= lookups - 1);
}

TEST_CASE("asio: a queued launch whose deadline passes while a connection is on its way to it is not sent",
          "[adapters][asio]") {
    // One connection. A's launch is answered after 900 ms; B's waits in the queue with a 1 s
    // deadline. The io thread is busy from 300 to 1300 ms, so when it comes back A's answer (which
    // hands the connection to B) and B's deadline are due together: B was sent 300 ms late.
    std::mutex m;
    std::vector<std::string> launches;
    gcx_test::raw_server srv([&](int fd, int) {
        std::string head, body;
        while (gcx_test::raw_server::read_request(fd, head, body)) {
            if (head.rfind("POST /oauth/token", 0) == 0) {
                gcx_test::raw_server::write_all(
                    fd, gcx_test::raw_server::ok(R"({"access_token":"tok","token_type":"bearer","expires_in":86400})"));
            } else if (head.rfind("POST /api/v2/flows/executions", 0) == 0) {
                {
                    std::lock_guard<std::mutex> lock(m);
                    launches.push_back(body);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(900));
                gcx_test::raw_server::write_all(fd, gcx_test::raw_server::ok(R"({"id":"exec-1"})"));
            } else {
                gcx_test::raw_server::write_all(
                    fd, gcx_test::raw_server::ok(
                            R"({"id":"exec-1","status":"COMPLETED","outputData":{"Flow.Found":false}})"));
            }
        }
    });
    gcx::client_config cfg;
    cfg.client_id = "queue-client";
    cfg.client_secret = gcx::secret("queue-secret-value-123");
    cfg.endpoints = gcx::endpoints::from_urls(srv.base_url()).value();
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    cfg.lookup_timeout = std::chrono::milliseconds(1000);
    cfg.budget.requests_per_minute = 0;
    cfg.budget.token_requests_per_minute = 0;
    asio::io_context io;
    gcx::adapters::asio_options o;
    o.max_connections = 1;
    auto client = make_client(io, cfg, o);
    std::optional<lookup_r> a, b;
    client.async_lookup("+13175550123", [&](lookup_r r) { a = std::move(r); });
    client.async_lookup("+13175550124", [&](lookup_r r) { b = std::move(r); });
    asio::steady_timer busy(io, std::chrono::milliseconds(300));
    busy.async_wait([](boost::system::error_code) { std::this_thread::sleep_for(std::chrono::milliseconds(1000)); });
    run_bounded(io);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // anything sent late reaches the server
    REQUIRE(b);
    REQUIRE_FALSE(*b);
    INFO(b->error().describe());
    CHECK(b->error().kind == gcx::errc::timeout);
    CHECK(b->error().sent == gcx::delivery::not_sent);
    std::lock_guard<std::mutex> lock(m);
    REQUIRE(launches.size() == 1);
    CHECK(launches[0].find("+13175550123") != std::string::npos);  // A's; B's never left
}

TEST_CASE("asio: a data-action lookup cancelled while its action runs says the action may have run",
          "[adapters][asio]") {
    // A data action is not idempotent: once its request is written, a cancel cannot say "not sent".
    sim_process sim({"--rate-limit", "0", "--action-ms", "3000"});
    asio::io_context io;
    auto cfg = config_for(sim);
    cfg.strategy = gcx::lookup_strategy::data_action;
    cfg.action.action_id = sim.demo.at("lookup_action_id");
    auto kinds = std::make_shared<std::vector<gcx::event_kind>>();
    cfg.on_event = [kinds](const gcx::event& ev) { kinds->push_back(ev.kind); };
    auto client = make_client(io, cfg);
    asio::cancellation_signal signal;
    std::optional<lookup_r> got;
    client.async_lookup(found_number(1),
                        asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
    asio::steady_timer t(io);
    cancel_when(t, signal, [&] { return sim.stat("action_requests") == 1; });
    run_bounded(io);
    REQUIRE(got);
    REQUIRE_FALSE(*got);
    const gcx::error& e = got->error();
    INFO(e.describe());
    CHECK(e.code == gcx::codes::canceled);
    CHECK(e.sent == gcx::delivery::maybe);
    CHECK(e.message.find("the action may have run") != std::string::npos);
    CHECK(e.message.find("flow") == std::string::npos);
    CHECK(e.execution_id.empty());
    // The events end as a finished lookup's do: every request answered (canceled), then lookup_finished.
    REQUIRE_FALSE(kinds->empty());
    CHECK(kinds->back() == gcx::event_kind::lookup_finished);
    CHECK(std::count(kinds->begin(), kinds->end(), gcx::event_kind::request_sent) ==
          std::count(kinds->begin(), kinds->end(), gcx::event_kind::request_answered));
    CHECK(std::count(kinds->begin(), kinds->end(), gcx::event_kind::lookup_finished) == 1);
}

TEST_CASE("asio: a lookup whose host name does not resolve ends at its deadline, and at once when cancelled",
          "[adapters][asio]") {
    // Asio resolves on a thread of its own and cannot stop a getaddrinfo in progress: the lookup
    // waited for it (5 s of a slow DNS server, with a 1 s deadline), and a cancelled one too.
    slow_dns::hold();
    gcx::client_config cfg;
    cfg.client_id = "dns-client";
    cfg.client_secret = gcx::secret("dns-secret-value-123");
    cfg.endpoints = gcx::endpoints::from_urls(std::string("https://") + slow_dns::name + ":8443").value();
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    cfg.lookup_timeout = std::chrono::milliseconds(1000);
    cfg.budget.requests_per_minute = 0;
    cfg.budget.token_requests_per_minute = 0;
    cfg.retry.max_retries = 0;
    asio::io_context io;
    auto client = make_client(io, cfg);
    std::optional<lookup_r> timed_out, cancelled;
    asio::cancellation_signal signal;
    client.async_lookup("+13175550123", [&](lookup_r r) { timed_out = std::move(r); });
    asio::steady_timer t(io, std::chrono::milliseconds(1500));
    t.async_wait([&](boost::system::error_code) {
        client.async_lookup("+13175550124",
                            asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { cancelled = std::move(r); }));
        t.expires_after(std::chrono::milliseconds(100));
        t.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    });
    // Both complete while the resolutions still hang (io.run() would wait for the resolver's
    // thread: its work is outstanding until getaddrinfo returns).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!(timed_out && cancelled) && std::chrono::steady_clock::now() < give_up)
        io.run_one_for(std::chrono::milliseconds(50));
    const bool both_before_release = timed_out && cancelled;
    slow_dns::release();
    run_bounded(io);
    CHECK(both_before_release);
    CHECK(slow_dns::started() >= 1);
    REQUIRE(timed_out);
    REQUIRE_FALSE(*timed_out);
    INFO(timed_out->error().describe());
    CHECK(timed_out->error().kind == gcx::errc::timeout);
    CHECK(timed_out->error().sent == gcx::delivery::not_sent);
    REQUIRE(cancelled);
    REQUIRE_FALSE(*cancelled);
    CHECK(cancelled->error().code == gcx::codes::canceled);
    CHECK(cancelled->error().sent == gcx::delivery::not_sent);
}

TEST_CASE("asio: total and partial cancellations are honoured only as Asio defines them, terminal always",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "1500"});
    // One lookup, a cancellation of `type` once `when()` holds (no `when`: right after it is
    // initiated, before any of its steps ran); the outcome.
    auto run = [&](asio::cancellation_type type, std::function<bool()> when) {
        asio::io_context io;
        auto client = make_client(io, config_for(sim));
        asio::cancellation_signal signal;
        std::optional<lookup_r> got;
        client.async_lookup(found_number(3),
                            asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
        asio::steady_timer t(io);
        if (!when) signal.emit(type);
        std::function<void()> watch = [&] {
            t.expires_after(std::chrono::milliseconds(10));
            t.async_wait([&](boost::system::error_code) {
                if (got) return;
                if (when()) signal.emit(type);
                else watch();
            });
        };
        if (when) watch();
        run_bounded(io);
        REQUIRE(got);
        return std::move(*got);
    };
    using ct = asio::cancellation_type;

    // After the launch was answered a flow runs: `total` (no side effect) cannot be honoured.
    auto polls_before = sim.stat("polls");
    auto total = run(ct::total, [&] { return sim.stat("polls") > polls_before; });
    INFO((total ? std::string("answered") : total.error().describe()));
    CHECK(total.has_value());  // the lookup went on to its answer
    // `partial` (side effects allowed, if known): the flow's execution id is known.
    polls_before = sim.stat("polls");
    auto partial = run(ct::partial, [&] { return sim.stat("polls") > polls_before; });
    REQUIRE_FALSE(partial.has_value());
    CHECK(partial.error().code == gcx::codes::canceled);
    CHECK_FALSE(partial.error().execution_id.empty());
    // Before anything started, `total` ends it.
    const auto launches_before = sim.stat("launches");
    auto early = run(ct::total, nullptr);
    REQUIRE_FALSE(early.has_value());
    CHECK(early.error().sent == gcx::delivery::not_sent);
    CHECK(sim.stat("launches") == launches_before);
}

TEST_CASE("asio: an io_context destroyed with lookups queued for a connection destroys them, and their session "
          "stays usable",
          "[adapters][asio]") {
    // One connection allowed, a launch that takes 3 s: the other lookups wait in the queue, one of
    // them the token renewal of a 2 s token. Destroying the io_context must destroy every one of
    // them (a future gets broken_promise), and hand the token fetch back: a new client on the same
    // session looks up as usual.
    sim_process sim(
        {"--rate-limit", "0", "--run-ms", "50", "--token-ttl", "2", "--faults", "slow=1,slow_ms=3000,on=launch,max=1"});
    auto cfg = config_for(sim);
    cfg.lookup_timeout = std::chrono::seconds(8);
    std::optional<gcx::session> shared;
    std::vector<std::future<lookup_r>> futures;
    {
        asio::io_context io;
        gcx::adapters::asio_options o;
        o.max_connections = 1;
        {
            auto client = make_client(io, cfg, o);
            shared = client.session();
            futures.push_back(client.async_lookup(found_number(1), asio::use_future));  // the slow launch
            futures.push_back(client.async_lookup(found_number(2), asio::use_future));  // queued
            io.run_for(std::chrono::milliseconds(1200));                                // the token is stale now
            futures.push_back(client.async_lookup(found_number(3), asio::use_future));  // renews it: queued
            futures.push_back(client.async_lookup(found_number(4), asio::use_future));
            io.run_for(std::chrono::milliseconds(300));
        }  // the client, then the io_context, as documented
    }
    int ready = 0;
    for (auto& f : futures)
        if (f.wait_for(std::chrono::milliseconds(500)) == std::future_status::ready) ++ready;
    CHECK(ready == static_cast<int>(futures.size()));

    asio::io_context io2;
    client_t again(io2, *shared);
    std::optional<lookup_r> got;
    again.async_lookup(found_number(5), [&](lookup_r r) { got = std::move(r); });
    io2.run_for(std::chrono::seconds(20));
    REQUIRE(got);  // a token fetch never handed back would hold it until its bounds ran out
    INFO((*got ? std::string("answered") : got->error().describe()));
    CHECK(got->has_value());
}

TEST_CASE("asio: a total cancellation arriving while the launch is being written is not honoured", "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0", "--run-ms", "300"});
    asio::io_context io;
    auto cfg = config_for(sim);
    asio::cancellation_signal signal;
    bool armed = true;
    // The hook runs on the lookup's strand as the launch is handed to the transport: the
    // cancellation is emitted at that moment (as any posted cancellation may land between the
    // write's start and its completion handler).
    cfg.on_event = [&](const gcx::event& e) {
        if (armed && e.kind == gcx::event_kind::request_sent && e.operation == gcx::operation::launch) {
            armed = false;
            signal.emit(asio::cancellation_type::total);
        }
    };
    auto client = make_client(io, cfg);
    const auto launches_before = sim.stat("launches");
    std::optional<lookup_r> got;
    client.async_lookup(found_number(3),
                        asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
    run_bounded(io);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server counts the launch
    REQUIRE(got);
    INFO((*got ? std::string("answered") : got->error().describe()));
    const auto launched = sim.stat("launches") - launches_before;
    CHECK(launched == 1);  // the launch reached the server
    // asio.hpp: `total` (no side effect) only before any launch's request was sent.
    CHECK(got->has_value());
}

TEST_CASE("asio: a cancelled lookup's execution id is scrubbed of the number, as the core's errors are",
          "[adapters][asio]") {
    const std::string number = "+13175550123";
    gcx_test::test_server srv;
    std::atomic<int> polls{0};
    srv.post("/oauth/token", [](const httplib::Request&, httplib::Response& rs) {
        rs.set_content(R"({"access_token":"tok-review-1","token_type":"bearer","expires_in":86400})",
                       "application/json");
    });
    // A launch answer whose id holds the number (an id no Genesys sends, but the core redacts it).
    srv.post("/api/v2/flows/executions", [](const httplib::Request&, httplib::Response& rs) {
        rs.set_content(R"({"id":"run-13175550123","flowVersion":{"id":"1.0"}})", "application/json");
    });
    srv.get(R"(/api/v2/flows/executions/(.*))", [&](const httplib::Request&, httplib::Response& rs) {
        ++polls;
        rs.set_content(R"({"id":"run-13175550123","status":"RUNNING"})", "application/json");
    });
    srv.start();
    gcx::client_config cfg;
    cfg.endpoints = gcx::endpoints::from_urls(srv.url("")).value();
    cfg.client_id = "review-client";
    cfg.client_secret = gcx::secret("review-secret-value");
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    cfg.budget.requests_per_minute = 0;
    cfg.poll.initial = std::chrono::milliseconds(50);
    cfg.lookup_timeout = std::chrono::milliseconds(1500);

    auto run = [&](bool cancel) {
        asio::io_context io;
        auto client = make_client(io, cfg);
        asio::cancellation_signal signal;
        std::optional<lookup_r> got;
        client.async_lookup(number,
                            asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
        asio::steady_timer t(io);
        std::function<void()> watch = [&] {
            t.expires_after(std::chrono::milliseconds(10));
            t.async_wait([&](boost::system::error_code) {
                if (got) return;
                if (polls.load() > 0) signal.emit(asio::cancellation_type::terminal);
                else watch();
            });
        };
        if (cancel) watch();
        run_bounded(io);
        REQUIRE(got);
        REQUIRE_FALSE(got->has_value());
        return got->error();
    };
    const gcx::error timed_out = run(false);  // the core ends it at its deadline, mid-poll
    INFO("core: " << timed_out.describe());
    CHECK(timed_out.execution_id.find("13175550123") == std::string::npos);
    polls = 0;
    const gcx::error cancelled = run(true);  // the adapter ends it, mid-poll
    INFO("adapter: " << cancelled.describe());
    CHECK(cancelled.code == gcx::codes::canceled);
    CHECK_FALSE(cancelled.execution_id.empty());
    CHECK(cancelled.execution_id.find("13175550123") == std::string::npos);
}

#include "raw_server.hpp"

TEST_CASE("asio: an interim 1xx answer to a launch is skipped, and its real answer goes to no other request",
          "[adapters][asio]") {
    // One connection allowed. A's launch is answered "103 Early Hints", then, 300 ms later, 200
    // with A's execution. B's launch waits in the queue for that connection.
    std::atomic<int> launches{0};
    gcx_test::raw_server srv([&](int fd, int) {
        std::string head, body;
        while (gcx_test::raw_server::read_request(fd, head, body)) {
            if (head.rfind("POST /oauth/token", 0) == 0) {
                gcx_test::raw_server::write_all(
                    fd, gcx_test::raw_server::ok(R"({"access_token":"tok","token_type":"bearer","expires_in":86400})"));
            } else if (head.rfind("POST /api/v2/flows/executions", 0) == 0) {
                ++launches;
                if (body.find("+13175550123") != std::string::npos) {  // A
                    gcx_test::raw_server::write_all(
                        fd, "HTTP/1.1 103 Early Hints\r\nLink: </hints.css>; rel=preload\r\n\r\n");
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    gcx_test::raw_server::write_all(fd, gcx_test::raw_server::ok(R"({"id":"exec-A"})"));
                } else {  // B
                    gcx_test::raw_server::write_all(fd, gcx_test::raw_server::ok(R"({"id":"exec-B"})"));
                }
            } else {
                const std::string who = head.find("exec-A") != std::string::npos ? "A" : "B";
                gcx_test::raw_server::write_all(
                    fd, gcx_test::raw_server::ok(
                            R"({"id":"exec-)" + who +
                            R"(","status":"COMPLETED","outputData":{"Flow.Found":true,"Flow.Who":")" + who + R"("}})"));
            }
        }
    });
    gcx::client_config cfg;
    cfg.client_id = "interim-client";
    cfg.client_secret = gcx::secret("interim-secret-value-123");
    cfg.endpoints = gcx::endpoints::from_urls(srv.base_url()).value();
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    cfg.lookup_timeout = std::chrono::milliseconds(5000);
    cfg.budget.requests_per_minute = 0;
    cfg.budget.token_requests_per_minute = 0;
    cfg.poll.initial = std::chrono::milliseconds(50);
    asio::io_context io;
    gcx::adapters::asio_options o;
    o.max_connections = 1;
    auto client = make_client(io, cfg, o);
    std::optional<lookup_r> a, b;
    client.async_lookup("+13175550123", [&](lookup_r r) { a = std::move(r); });
    client.async_lookup("+13175550124", [&](lookup_r r) { b = std::move(r); });
    run_bounded(io);
    REQUIRE(a);
    REQUIRE(b);
    INFO("A: " << (*a ? "exec " + (*a)->execution.id : a->error().describe()));
    INFO("B: " << (*b ? "exec " + (*b)->execution.id : b->error().describe()));
    CHECK(launches.load() == 2);
    // B looked up +13175550124: whatever happened to A, B never gets A's execution.
    if (*b) {
        CHECK((*b)->execution.id == "exec-B");
        const auto* who = (*b)->outputs.as_object().if_contains("Flow.Who");
        CHECK((who && who->is_string() && who->as_string() == "B"));
    }
    // The interim answer is skipped (as curl does): A gets its execution.
    CHECK(a->has_value());
}
