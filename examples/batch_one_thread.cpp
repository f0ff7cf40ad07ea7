// Many lookups in flight on one thread: gcx::adapters::curl_multi_runner keeps `in_flight`
// lookups going through one libcurl multi handle and starts the next number as each one ends.
// The answers are mapped into a struct, as with basic_client::lookup<T>.
//
//   batch_one_thread [PHONE...]
//
// Uses GENESYS_* / TARGET_FLOW_ID from the environment when GENESYS_CLIENT_ID is set, otherwise
// an in-process gcx-sim (so it runs anywhere, and in CI).
#include <gcx/gcx.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

struct outputs {
    std::optional<bool> Found;                             // binds "Flow.Found"
    std::optional<gcx::external_contact> externalContact;  // an object in outputData
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact))

int main(int argc, char** argv) {
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (int rc = examples::env_or_sim_config(sim, cfg)) return rc;

    std::vector<std::string> phones(argv + 1, argv + argc);
    if (phones.empty()) phones = {"+13175550123", "+14155550100", "+13175550001", "+13175550002", "+13175550003"};

    using json = gcx::json::boost_json;
    using lookup = gcx::lookup_operation<json>;
    // What every lookup of this loop shares: one token and one request budget per OAuth client.
    auto session = gcx::session::create(cfg);
    if (!session) {
        std::cerr << session.error().describe() << "\n";
        return 2;
    }
    gcx::adapters::curl_multi_runner loop;
    const std::size_t in_flight = 3;
    std::size_t next = 0, failures = 0;

    // A lookup's deadline starts when it is constructed: make each one when it is about to run.
    std::function<void()> start_next = [&] {
        if (next >= phones.size()) return;
        const std::string phone = phones[next++];
        loop.add(lookup(*session, phone, loop.now()), [&, phone](lookup& op) {
            auto r = op.take_result_as<outputs>();
            if (!r) {
                ++failures;
                std::cout << phone << ": " << r.error().describe() << "\n";
            } else if (r->outputs.Found.value_or(false) && r->outputs.externalContact) {
                const auto& c = *r->outputs.externalContact;
                std::cout << phone << ": " << c.firstName.value_or("") << " " << c.lastName.value_or("") << "\n";
            } else {
                std::cout << phone << ": not found\n";
            }
            start_next();  // keep `in_flight` going
        });
    };
    for (std::size_t i = 0; i < in_flight; ++i) start_next();
    loop.run();  // returns when every number has its answer
    std::cout << phones.size() << " lookups, " << session->tokens().tokens_fetched() << " token(s)\n";
    return failures == 0 ? 0 : 1;
}
