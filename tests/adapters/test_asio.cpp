// gcx::adapters::asio_client against gcx-sim (a separate process) over real loopback sockets,
// HTTP and HTTPS (the throw-away CA of test_pki.hpp).
#include <gcx/adapters/asio.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>

#include "e2e/sim_process.hpp"
#include "test_pki.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#endif

#include <catch2/catch.hpp>

#include <atomic>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
using J = gcx::json::boost_json;
using client_t = gcx::adapters::asio_client;
using lookup_r = gcx::result<gcx::lookup_result<J::value>>;
using e2e::sim_process;

std::string found_number(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "+1317555%04d", i % 3000);
    return b;
}
std::string unknown_number(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "+1415555%04d", i % 10000);
    return b;
}

gcx::client_config config_for(const sim_process& sim) {
    gcx::client_config c;
    c.endpoints = gcx::endpoints::from_urls(sim.url).value();
    c.client_id = sim.demo.at("client_id");
    c.client_secret = gcx::secret(sim.demo.at("client_secret"));
    c.flow_id = sim.demo.at("lookup_flow_id");
    c.budget.requests_per_minute = 0;  // the simulators here have no rate limit
    c.poll.initial = std::chrono::milliseconds(50);
    return c;
}

client_t make_client(asio::io_context& io, const gcx::client_config& cfg, gcx::adapters::asio_options o = {}) {
    auto c = client_t::create(io.get_executor(), cfg, std::move(o));
    REQUIRE(c);
    return std::move(*c);
}

bool found_flag(const lookup_r& r) {
    const auto* f = r->outputs.as_object().if_contains("Flow.Found");
    return f && f->is_bool() && f->as_bool();
}

// Runs io until it has no more work, at most a minute (a hang fails instead of blocking CTest).
void run_bounded(asio::io_context& io) {
    io.run_for(std::chrono::seconds(60));
    REQUIRE(io.stopped());
}

std::int64_t delta(const boost::json::object& before, const boost::json::object& after, const char* k) {
    return after.at(k).to_number<std::int64_t>() - before.at(k).to_number<std::int64_t>();
}

}  // namespace

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
    auto client = make_client(io, config_for(sim));

    asio::cancellation_signal signal;
    std::optional<lookup_r> got;
    client.async_lookup(found_number(1),
                        asio::bind_cancellation_slot(signal.slot(), [&](lookup_r r) { got = std::move(r); }));
    // Cancel once the launch was answered (the sim counts it), while the lookup polls.
    asio::steady_timer t(io);
    std::int64_t polls_at_cancel = -1;
    std::function<void()> watch = [&] {
        t.expires_after(std::chrono::milliseconds(20));
        t.async_wait([&](boost::system::error_code) {
            if (sim.stat("launches") == 1 && sim.stat("polls") >= 1) {
                polls_at_cancel = sim.stat("polls");
                signal.emit(asio::cancellation_type::terminal);
            } else {
                watch();
            }
        });
    };
    watch();
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

namespace {
/// "name=status" of every item, in order (the messages hold round trips, which differ).
std::vector<std::string> outline(const gcx::check_report& r) {
    std::vector<std::string> v;
    for (const auto& i : r.items) v.push_back(i.name + "=" + gcx::to_string(i.status));
    return v;
}
const gcx::check_status* status_in(const gcx::check_report& r, const std::string& name) {
    const auto* i = r.find(name);
    return i ? &i->status : nullptr;
}
}  // namespace

TEST_CASE("asio: async_check answers the report client.check() does, with any completion token, and launches nothing",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0"});
    const auto cfg = config_for(sim);
    asio::io_context io;
    auto client = make_client(io, cfg);

    std::optional<gcx::check_report> typed, plain;
    int calls = 0;
    client.async_check<gcx::customer_lookup>([&](gcx::check_report r) {
        ++calls;
        typed = std::move(r);
    });
    std::future<gcx::check_report> fut = client.async_check(asio::use_future);
    auto deferred = client.async_check(asio::deferred);
    std::move(deferred)([&](gcx::check_report r) { plain = std::move(r); });
    CHECK(calls == 0);  // never inside the initiating function
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
    std::optional<gcx::check_report> awaited;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            awaited = co_await client.async_check<gcx::customer_lookup>(asio::use_awaitable);
        },
        asio::detached);
#endif
    run_bounded(io);

    CHECK(calls == 1);
    REQUIRE(typed);
    INFO(typed->to_text());
    CHECK_FALSE(typed->failed());
    REQUIRE(status_in(*typed, "credentials"));
    CHECK(*status_in(*typed, "credentials") == gcx::check_status::ok);
    REQUIRE(status_in(*typed, "flow"));
    CHECK(*status_in(*typed, "flow") == gcx::check_status::ok);
    REQUIRE(status_in(*typed, "output Found"));
    CHECK(*status_in(*typed, "output Found") == gcx::check_status::ok);
    REQUIRE(typed->find("network"));
    CHECK(typed->find("network")->message.find("transport asio; plain http (no TLS)") != std::string::npos);
    CHECK(typed->find("network")->status == gcx::check_status::ok);

    // The blocking client's report, item for item.
    auto blocking = gcx::basic_client<gcx::adapters::httplib_transport, J>::create(cfg);
    REQUIRE(blocking);
    const gcx::check_report same = blocking->check<gcx::customer_lookup>();
    CHECK(outline(*typed) == outline(same));

    REQUIRE(fut.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    const gcx::check_report f = fut.get();
    CHECK_FALSE(f.failed());
    CHECK(f.find("output Found") == nullptr);  // no struct: no member items
    REQUIRE(plain);
    CHECK(outline(*plain) == outline(f));
#if defined(BOOST_ASIO_HAS_CO_AWAIT)
    REQUIRE(awaited);
    CHECK(outline(*awaited) == outline(*typed));
#endif
    CHECK(sim.stat("launches") == 0);
}

TEST_CASE("asio: async_check fails on a wrong secret (credentials) and on an unknown flow (configuration)",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0"});
    asio::io_context io;
    auto wrong = config_for(sim);
    wrong.client_secret = gcx::secret("not-the-secret-at-all");
    auto unknown = config_for(sim);
    unknown.flow_id = "0f0f0f0f-0000-4000-8000-00000000beef";
    auto bad_secret = make_client(io, wrong);
    auto bad_flow = make_client(io, unknown);
    std::optional<gcx::check_report> secret_r, flow_r;
    bad_secret.async_check([&](gcx::check_report r) { secret_r = std::move(r); });
    bad_flow.async_check<gcx::customer_lookup>([&](gcx::check_report r) { flow_r = std::move(r); });
    run_bounded(io);

    REQUIRE(secret_r);
    INFO(secret_r->to_text());
    CHECK(secret_r->failed(gcx::check_area::credentials));
    REQUIRE(status_in(*secret_r, "credentials"));
    CHECK(*status_in(*secret_r, "credentials") == gcx::check_status::fail);
    CHECK(secret_r->find("credentials")->message.find("invalid_client") != std::string::npos);
    REQUIRE(status_in(*secret_r, "flow"));
    CHECK(*status_in(*secret_r, "flow") == gcx::check_status::skipped);
    CHECK(secret_r->to_text().find("not-the-secret-at-all") == std::string::npos);

    REQUIRE(flow_r);
    INFO(flow_r->to_text());
    CHECK(*status_in(*flow_r, "credentials") == gcx::check_status::ok);
    REQUIRE(status_in(*flow_r, "flow"));
    CHECK(*status_in(*flow_r, "flow") == gcx::check_status::fail);
    CHECK(flow_r->failed(gcx::check_area::configuration));
    CHECK_FALSE(flow_r->failed(gcx::check_area::credentials));
    REQUIRE(status_in(*flow_r, "output Found"));
    CHECK(*status_in(*flow_r, "output Found") == gcx::check_status::skipped);
    CHECK(sim.stat("launches") == 0);
}

TEST_CASE("asio: a cancelled async_check completes once with what it found and a failing cancelled item",
          "[adapters][asio]") {
    sim_process sim({"--rate-limit", "0"});
    asio::io_context io;
    auto client = make_client(io, config_for(sim));
    asio::cancellation_signal signal;
    std::optional<gcx::check_report> got;
    int calls = 0;
    client.async_check(asio::bind_cancellation_slot(signal.slot(), [&](gcx::check_report r) {
        ++calls;
        got = std::move(r);
    }));
    asio::post(io, [&] { signal.emit(asio::cancellation_type::terminal); });
    run_bounded(io);
    CHECK(calls == 1);
    REQUIRE(got);
    INFO(got->to_text());
    REQUIRE(status_in(*got, "cancelled"));
    CHECK(*status_in(*got, "cancelled") == gcx::check_status::fail);
    CHECK(got->find("endpoints") != nullptr);  // what it found before
    CHECK(got->find("network") == nullptr);    // never reached
}
