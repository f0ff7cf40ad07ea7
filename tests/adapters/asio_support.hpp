// gcx — tests of gcx::adapters::asio_client: what the three test files share (the client type, numbers
// gcx-sim knows, a client for a gcx-sim process, a bounded io_context run).
#ifndef GCX_TESTS_ADAPTERS_ASIO_SUPPORT_HPP
#define GCX_TESTS_ADAPTERS_ASIO_SUPPORT_HPP

#include <gcx/adapters/asio.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>

#include "e2e/sim_process.hpp"
#include "test_pki.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

namespace asio_test {

namespace asio = boost::asio;
using J = gcx::json::boost_json;
using client_t = gcx::adapters::asio_client;
using lookup_r = gcx::result<gcx::lookup_result<J::value>>;
using e2e::sim_process;

inline std::string found_number(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "+1317555%04d", i % 3000);
    return b;
}
inline std::string unknown_number(int i) {
    char b[16];
    std::snprintf(b, sizeof b, "+1415555%04d", i % 10000);
    return b;
}

inline gcx::client_config config_for(const sim_process& sim) {
    gcx::client_config c;
    c.endpoints = gcx::endpoints::from_urls(sim.url).value();
    c.client_id = sim.demo.at("client_id");
    c.client_secret = gcx::secret(sim.demo.at("client_secret"));
    c.flow_id = sim.demo.at("lookup_flow_id");
    c.budget.requests_per_minute = 0;  // the simulators here have no rate limit
    c.poll.initial = std::chrono::milliseconds(50);
    return c;
}

inline client_t make_client(asio::io_context& io, const gcx::client_config& cfg, gcx::adapters::asio_options o = {}) {
    auto c = client_t::create(io.get_executor(), cfg, std::move(o));
    REQUIRE(c);
    return std::move(*c);
}

inline bool found_flag(const lookup_r& r) {
    const auto* f = r->outputs.as_object().if_contains("Flow.Found");
    return f && f->is_bool() && f->as_bool();
}

// Runs io until it has no more work, at most a minute (a hang fails instead of blocking CTest).
inline void run_bounded(asio::io_context& io) {
    io.run_for(std::chrono::seconds(60));
    REQUIRE(io.stopped());
}

inline std::int64_t delta(const boost::json::object& before, const boost::json::object& after, const char* k) {
    return after.at(k).to_number<std::int64_t>() - before.at(k).to_number<std::int64_t>();
}

}  // namespace asio_test

#endif
