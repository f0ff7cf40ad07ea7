// Laid out by hand for the README, which quotes it (tests/consumer/readme_check.py): not formatted.
// clang-format off
// The README's "API overview", as one complete program: every ```cpp block of that section is a
// verbatim excerpt of this file (tests/consumer/readme_check.py checks it), and the program is
// built and run by the consumer tests. It needs no server: its transport answers from a table,
// the way a unit test's fake would.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <boost/describe.hpp>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

// ---- a transport ------------------------------------------------------------------------------
// Any type with this member function is a transport. gcx hands it a complete request (absolute
// URL, headers including Authorization, body, timeout) and wants the response back, whatever its
// status: a 404 or a 503 is a response, not an error.
struct canned_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request& req) {
        const std::string json = "application/json";
        if (req.url.find("/oauth/token") != std::string::npos)
            return gcx::http::response{200, {{"Content-Type", json}},
                                       R"({"access_token":"t0k3n","token_type":"bearer","expires_in":86400})"};
        if (req.verb == gcx::http::method::post)  // the launch
            return gcx::http::response{200, {{"Content-Type", json}}, R"({"id":"exec-1","status":"RUNNING"})"};
        if (req.url.find("/api/v2/flows/executions/exec-1") != std::string::npos)  // a poll
            return gcx::http::response{200, {{"Content-Type", json}}, R"({"id":"exec-1","status":"COMPLETED",
                "outputData":{"Flow.Found":true,"Flow.MatchCount":1,"Flow.Tier":"Gold",
                              "Flow.Address":"{\"city\":\"Indianapolis\"}","Flow.Tags":["vip"]}})"};
        // Failures are gcx::error values. `sent` tells gcx whether the server may have seen the
        // request: only delivery::not_sent lets it send a flow launch again.
        gcx::error e = gcx::make_error(gcx::errc::transport, "connection refused");
        e.sent = gcx::delivery::not_sent;
        return e;
    }
};

// ---- output structs ---------------------------------------------------------------------------
struct address {
    std::string city;
    std::optional<std::string> postalCode;  // optional: may be missing or null
};
BOOST_DESCRIBE_STRUCT(address, (), (city, postalCode))

enum class tier { Bronze, Silver, Gold };
BOOST_DESCRIBE_ENUM(tier, Bronze, Silver, Gold)

struct customer {
    bool Found = false;                      // "Flow.Found": required
    std::optional<std::int64_t> MatchCount;  // "Flow.MatchCount"
    std::optional<tier> Tier;                // "Flow.Tier": "Gold" -> tier::Gold
    std::optional<address> Address;          // an object, or a string holding one
    std::vector<std::string> Tags;           // "Flow.Tags": an array
};
BOOST_DESCRIBE_STRUCT(customer, (), (Found, MatchCount, Tier, Address, Tags))

struct needs_more {
    bool Found = false;
    std::string CustomerId;  // required, and this flow does not return it
};
BOOST_DESCRIBE_STRUCT(needs_more, (), (Found, CustomerId))

int main() {
    // ---- configuration ----------------------------------------------------------------------
    gcx::client_config cfg;
    cfg.endpoints = gcx::endpoints::from_region("us_east_1").value();  // api./login.mypurecloud.com
    cfg.client_id = "my-oauth-client-id";
    cfg.client_secret = gcx::secret("my-oauth-client-secret");        // never printed
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";              // the lookup workflow
    cfg.lookup_timeout = std::chrono::seconds(10);                      // one deadline for it all

    auto env = gcx::client_config::from_env();  // GENESYS_REGION, GENESYS_CLIENT_ID, ...
    if (!env) std::cout << "from_env: " << env.error().describe() << "\n";

    auto gateway = gcx::endpoints::from_urls("https://gateway.example.com/genesys");
    if (!gateway) return 1;

    // ---- events -------------------------------------------------------------------------------
    cfg.on_event = [](const gcx::event& e) { std::clog << gcx::to_text(e) << '\n'; };

    // ---- a lookup ---------------------------------------------------------------------------
    auto client = gcx::basic_client<canned_transport, gcx::json::boost_json>::create(cfg).value();

    auto r = client.lookup<customer>("+1 (317) 555-0123");
    if (!r) {
        std::cerr << r.error().describe() << "\n";
        return 1;
    }
    const customer& c = r->outputs;
    std::cout << "found=" << c.Found << " gold=" << (c.Tier == tier::Gold)
              << " city=" << (c.Address ? c.Address->city : "-")
              << " execution=" << r->execution.id << " requests=" << r->execution.requests << "\n";

    auto raw = client.lookup("+13175550123");  // outputData as a boost::json::value
    if (raw) std::cout << boost::json::serialize(raw->outputs) << "\n";

    // ---- errors -----------------------------------------------------------------------------
    auto bad = client.lookup<customer>("555-0123");  // no country code: refused, nothing sent
    if (!bad && bad.error().kind == gcx::errc::invalid_input)
        std::cout << "refused: " << bad.error().message << "\n";

    auto m = client.lookup<needs_more>("+13175550123");
    if (!m) {
        const gcx::error& e = m.error();
        switch (e.kind) {
        case gcx::errc::mapping:  // the flow's outputs do not fit the struct
            std::cout << "mapping error at " << e.path << " (execution " << e.execution_id << ")\n";
            break;
        case gcx::errc::auth:
        case gcx::errc::permission:
            std::cout << "fix the OAuth client: " << e.hint << "\n";
            break;
        default:
            std::cout << e.describe() << "\n";
        }
    }
    return c.Found && c.Tier == tier::Gold && !bad && !m ? 0 : 1;
}
