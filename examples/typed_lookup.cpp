// The README's example as a complete program: map the flow's outputs into your own struct.
//
//   typed_lookup [PHONE]
//
// Uses GENESYS_* / TARGET_FLOW_ID from the environment when GENESYS_CLIENT_ID is set, otherwise
// an in-process gcx-sim (so it runs anywhere, and in CI).
#include <gcx/gcx.hpp>
#include <gcx/adapters/curl.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <iostream>
#include <memory>

// The flow's "Output from flow" variables, as this program wants them.
struct profile {
    std::string customerId;
    std::string segment;
    std::optional<std::string> preferredLanguage;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, segment, preferredLanguage, openCases))

struct outputs {
    std::optional<bool> Found;                             // binds "Flow.Found"
    std::optional<gcx::external_contact> externalContact;  // an object in outputData
    std::optional<profile> CustomerProfile;                // a JSON-encoded string in outputData
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact, CustomerProfile))

int main(int argc, char** argv) {
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (int rc = examples::env_or_sim_config(sim, cfg)) return rc;

    // Your own transport instead of curl_transport: any type with gcx::result<gcx::http::response>
    // send(const gcx::http::request&). The request carries no Host or Content-Length: add them.
    auto client = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>::create(cfg);
    if (!client) {
        std::cerr << client.error().describe() << "\n";
        return 2;
    }
    auto r = client->lookup<outputs>(argc > 1 ? argv[1] : "+13175550123");
    if (!r) {
        std::cerr << r.error().describe() << "\n";
        return 1;
    }
    const outputs& o = r->outputs;
    if (!o.Found.value_or(false) || !o.externalContact) {
        std::cout << "not found (execution " << r->execution.id << ")\n";
        return 1;
    }
    const auto& c = *o.externalContact;
    std::cout << c.firstName.value_or("") << " " << c.lastName.value_or("");
    if (o.CustomerProfile)
        std::cout << ", " << o.CustomerProfile->segment << " customer " << o.CustomerProfile->customerId;
    std::cout << "\n";
    return 0;
}
