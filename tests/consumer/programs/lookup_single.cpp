// Laid out by hand for the README, which quotes it (tests/consumer/readme_check.py): not formatted.
// clang-format off
// The README's single-header program: the same lookup, with gcx as ONE file.
//   g++ -std=c++17 -I<dir holding gcx/gcx.hpp> lookup_single.cpp -lboost_json -lcurl -pthread
#define GCX_WITH_BOOST_JSON  // gcx::json::boost_json         (link Boost.JSON)
#define GCX_WITH_CURL        // gcx::adapters::curl_transport (link libcurl)
#include <gcx/gcx.hpp>

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
