// (b) gcx through add_subdirectory: validate a number, build and check a configuration, and use
// the Boost.JSON backend. No network.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <iostream>

int main() {
    auto phone = gcx::normalize_e164("+1 (317) 555-0123");
    if (!phone || *phone != "+13175550123") {
        std::cerr << "normalize_e164 failed\n";
        return 1;
    }
    if (gcx::normalize_e164("555-0123")) {
        std::cerr << "a number without a country code was accepted\n";
        return 1;
    }

    gcx::client_config cfg;
    cfg.endpoints = gcx::endpoints::from_region("eu_central_1").value();
    cfg.client_id = "my-client";
    cfg.client_secret = gcx::secret("my-secret");
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    if (auto v = cfg.validate(); !v) {
        std::cerr << v.error().describe() << "\n";
        return 1;
    }

    auto doc = gcx::json::boost_json::parse(R"({"Flow.Found": true})");
    if (!doc || gcx::json::boost_json::kind_of(*doc) != gcx::json::kind::object) return 1;

    std::cout << "gcx " << GCX_VERSION_STRING << ": " << *phone << " via " << cfg.endpoints.api << "\n";
    return cfg.endpoints.api == "https://api.mypurecloud.de" ? 0 : 1;
}
