// Laid out by hand for the README, which quotes it (tests/consumer/readme_check.py): not formatted.
// clang-format off
// The README's "Using the library in one screen", as it stands there: built by consumer.find_package.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>      // link Boost::json (-lboost_json)
#include <gcx/adapters/curl.hpp>        // link libcurl
#include <iostream>

struct outputs {                        // the flow's "Output from flow" variables
    std::optional<bool> Found;                        // binds "Flow.Found"
    std::optional<gcx::external_contact> externalContact;
    std::optional<gcx::raw_json> CustomerProfile;     // keep as JSON
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact, CustomerProfile))

int main() {
    // Your own transport instead of curl_transport: any type with gcx::result<gcx::http::response>
    // send(const gcx::http::request&). The request carries no Host or Content-Length: add them.
    using client_type = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>;
    auto client = client_type::create(gcx::client_config::from_env());  // GENESYS_* and TARGET_FLOW_ID
    if (!client) { std::cerr << client.error().describe() << "\n"; return 2; }
    auto r = client->lookup<outputs>("+13175550123");
    if (!r) { std::cerr << r.error().describe() << "\n"; return 1; }
    if (r->outputs.Found.value_or(false)) std::cout << *r->outputs.externalContact->firstName << "\n";
}
