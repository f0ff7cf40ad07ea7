// (c) gcx from an installed package (find_package), with the Boost.JSON backend and the libcurl
// transport: the headers are the version the package says it is, and a client over libcurl builds.
#include <gcx/adapters/curl.hpp>
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <iostream>
#include <string_view>

static_assert(std::string_view(GCX_VERSION_STRING) == GCX_EXPECTED_VERSION,
              "version.hpp and the installed gcxConfigVersion.cmake disagree");

int main() {
    gcx::client_config cfg;
    cfg.client_id = "id";
    cfg.client_secret = gcx::secret("secret");
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    if (auto v = cfg.validate(); !v) {
        std::cerr << v.error().describe() << "\n";
        return 1;
    }
    auto client = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>::create(cfg).value();
    std::cout << "gcx " << GCX_VERSION_STRING << ": client over libcurl built for " << client.config().endpoints.api
              << "\n";
    return 0;
}
