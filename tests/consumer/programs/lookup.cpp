// Laid out by hand for the README, which quotes it (tests/consumer/readme_check.py): not formatted.
// clang-format off
// The README's program for add_subdirectory, find_package and pkg-config (multi-header layout):
// looks a phone number up with the settings from the environment (GENESYS_REGION,
// GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, TARGET_FLOW_ID; GCX_API_URL for a simulator).
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>  // gcx::json::boost_json   (link Boost.JSON)
#include <gcx/adapters/curl.hpp>    // gcx::adapters::curl_transport (link libcurl)

#include <iostream>
#include <optional>
#include <string>

struct outputs {                            // the flow's "Output from flow" variables
    std::optional<bool> Found;              // binds "Flow.Found"
    std::optional<std::string> ContactId;   // binds "Flow.ContactId"
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, ContactId))

int main(int argc, char** argv) {
    using client_type = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>;
    auto client = client_type::create(gcx::client_config::from_env());  // GENESYS_* and TARGET_FLOW_ID
    if (!client) {
        std::cerr << client.error().describe() << "\n";
        return 2;
    }
    auto r = client->lookup<outputs>(argc > 1 ? argv[1] : "+13175550123");
    if (!r) {
        std::cerr << r.error().describe() << "\n";
        return 1;
    }
    bool found = r->outputs.Found.value_or(false);
    std::cout << (found ? "found, contact " + r->outputs.ContactId.value_or("?") : std::string("not found")) << "\n";
    return found ? 0 : 1;
}
