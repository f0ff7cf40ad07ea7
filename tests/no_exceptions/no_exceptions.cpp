// Built with -fno-exceptions: every gcx path (config, validation, token, launch, poll, mapping,
// errors) works on results alone. The nlohmann backend with JSON_NOEXCEPTION stands in for the
// JSON library; the transport is scripted in memory.
#include <gcx/gcx.hpp>
#include <gcx/json/nlohmann.hpp>

#include <cstdio>
#include <string>

namespace {
struct canned_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request& r) const {
        gcx::http::response resp;
        resp.status = 200;
        if (r.url.find("/oauth/token") != std::string::npos) {
            resp.body = R"({"access_token":"t","token_type":"bearer","expires_in":86400})";
        } else if (r.verb == gcx::http::method::post) {
            resp.body = R"({"id":"e1"})";
        } else {
            resp.body =
                R"({"id":"e1","status":"COMPLETED","outputData":{"Flow.Found":true,"Flow.MatchCount":1,"Flow.CustomerProfile":"{\"a\":1}"}})";
        }
        return resp;
    }
};
struct instant_clock {
    gcx::time_point now() const { return t; }
    std::chrono::system_clock::time_point system_now() const { return {}; }
    void sleep_until(gcx::time_point x) { t = x; }
    gcx::time_point t{};
};
}  // namespace

int main() {
    gcx::client_config cfg;
    cfg.client_id = "id";
    cfg.client_secret = gcx::secret("secret");
    cfg.flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
    auto made = gcx::basic_client<canned_transport, gcx::json::nlohmann, instant_clock>::create(cfg);
    if (!made) return 3;
    auto& client = *made;

    auto bad = client.lookup<gcx::customer_lookup>("not a number");
    if (bad || bad.error().kind != gcx::errc::invalid_input) return 1;

    auto r = client.lookup<gcx::customer_lookup>("+13175550123");
    if (!r || !r->outputs.Found || !*r->outputs.Found || r->outputs.MatchCount != 1) return 2;
    std::printf("ok without exceptions: execution %s\n", r->execution.id.c_str());
    return 0;
}
