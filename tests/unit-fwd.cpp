// gcx/fwd.hpp: a header that only names gcx types (pointers, references, declarations) compiles
// with <gcx/fwd.hpp> alone, and its names are the very types the full headers define.

#include <gcx/fwd.hpp>

#include <string>

// ---- what a user's header may write, having seen only the declarations ------------------------
namespace app {

struct stub_transport;  // the user's own transport, declared as gcx's types are

/// A service that holds a client and the configuration it was made with, by pointer only.
struct lookup_service {
    const gcx::client_config* config = nullptr;
    gcx::token_cache* tokens = nullptr;
    gcx::basic_client<stub_transport, gcx::json::boost_json, gcx::steady_clock>* client = nullptr;
};

std::string flow_of(const gcx::client_config& c);
std::string target_of(const gcx::http::request& r);
int status_of(const gcx::http::response& r);
bool same_secret(const gcx::secret& a, const gcx::secret& b);
gcx::result<int> count_or_error(const gcx::error* e);
std::string text_of(const gcx::raw_json& r);
std::string execution_of(const gcx::lookup_result<gcx::raw_json>& r);
int retries_of(const gcx::retry_policy& p);

}  // namespace app

// ---- the definitions, and the code that uses them ----------------------------------------------
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <catch2/catch.hpp>

#include <type_traits>

namespace app {

struct stub_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request&) {
        // A permanent failure (errc::config): not retried, so the lookup ends at once.
        return gcx::make_error(gcx::errc::config, "no network in this test");
    }
};

std::string flow_of(const gcx::client_config& c) { return c.flow_id; }
std::string target_of(const gcx::http::request& r) { return r.url; }
int status_of(const gcx::http::response& r) { return r.status; }
bool same_secret(const gcx::secret& a, const gcx::secret& b) { return a == b; }
gcx::result<int> count_or_error(const gcx::error* e) {
    if (e) return *e;
    return 1;
}
std::string text_of(const gcx::raw_json& r) { return r.text; }
std::string execution_of(const gcx::lookup_result<gcx::raw_json>& r) { return r.execution.id; }
int retries_of(const gcx::retry_policy& p) { return p.max_retries; }

}  // namespace app

TEST_CASE("fwd: functions declared against the forward declarations take the defined types") {
    gcx::client_config cfg;
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    CHECK(app::flow_of(cfg) == cfg.flow_id);

    gcx::http::request q;
    q.url = "https://api.mypurecloud.com/api/v2/flows/executions";
    CHECK(app::target_of(q) == q.url);
    gcx::http::response a;
    a.status = 202;
    CHECK(app::status_of(a) == 202);

    CHECK(app::same_secret(gcx::secret("s"), gcx::secret("s")));
    CHECK(*app::count_or_error(nullptr) == 1);
    auto e = gcx::make_error(gcx::errc::config, "x");
    CHECK(app::count_or_error(&e).error().kind == gcx::errc::config);
    CHECK(app::text_of(gcx::raw_json{"[1]"}) == "[1]");
    gcx::lookup_result<gcx::raw_json> lr;
    lr.execution.id = "c0a8012e";
    CHECK(app::execution_of(lr) == "c0a8012e");
    CHECK(app::retries_of(gcx::retry_policy{}) == 5);
}

TEST_CASE("fwd: a client declared with the forward-declared template is the full basic_client") {
    gcx::client_config cfg;
    cfg.client_id = "id";
    cfg.client_secret = gcx::secret("secret");
    cfg.endpoints = *gcx::endpoints::from_region("mypurecloud.com");
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    auto client = gcx::basic_client<app::stub_transport, gcx::json::boost_json>::create(cfg).value();
    app::lookup_service svc;
    svc.config = &cfg;
    svc.client = &client;  // the default Clock given in client.hpp is the declared steady_clock
    svc.tokens = &client.tokens();
    STATIC_REQUIRE(std::is_same_v<decltype(client),
                                  gcx::basic_client<app::stub_transport, gcx::json::boost_json, gcx::steady_clock>>);
    auto r = svc.client->lookup("+13175550123");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == gcx::errc::config);
    CHECK(r.error().message.find("no network in this test") != std::string::npos);
}
