// gcx::adapters::asio_client::async_check against gcx-sim: the report, its failures, cancellation.

#include "asio_support.hpp"

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

#include <string>
#include <vector>

using namespace asio_test;

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

TEST_CASE("asio: a deferred async_check launched twice checks the same both times", "[adapters][asio]") {
    // An lvalue asio::deferred operation may be launched more than once. Each launch shared one
    // copy of the options, and the first moved them out: the second checked no output and
    // described no network.
    sim_process sim({"--rate-limit", "0"});
    asio::io_context io;
    auto client = make_client(io, config_for(sim));
    auto op = client.async_check<gcx::customer_lookup>(asio::deferred);
    std::optional<gcx::check_report> first, second;
    op([&](gcx::check_report r) { first = std::move(r); });
    run_bounded(io);
    io.restart();
    op([&](gcx::check_report r) { second = std::move(r); });
    run_bounded(io);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(outline(*second) == outline(*first));
    const auto* net = second->find("network");
    REQUIRE(net);
    CHECK(net->message.find("transport asio") != std::string::npos);
    CHECK(second->find("output Found") != nullptr);
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
