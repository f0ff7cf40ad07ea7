// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// basic_client over each shipped transport, against a test server that speaks the Genesys
// shapes (genesys-api.md sections 2, 1.3, 9.1-9.5): the whole lookup over real sockets.

#include "transport_test_support.hpp"

#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <string>

using namespace std::chrono_literals;
using gcx_test::test_server;

namespace {

const std::string client_id = "adapter-test-client";
const std::string client_secret = "adapter-S3cret-value";
const std::string access_token = "tok-adapter-1";
const std::string flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
const std::string phone = "+13175550123";

/// Serves /oauth/token and the flow execution endpoints; every execution reports RUNNING on
/// its first two polls and COMPLETED with outputData on the third.
class fake_genesys {
public:
    fake_genesys() {
        srv_.post("/oauth/token", [this](const httplib::Request& rq, httplib::Response& rs) {
            // Basic base64("adapter-test-client:adapter-S3cret-value")
            if (rq.get_header_value("Authorization") != "Basic YWRhcHRlci10ZXN0LWNsaWVudDphZGFwdGVyLVMzY3JldC12YWx1ZQ==" ||
                rq.body != "grant_type=client_credentials") {
                rs.status = 401;
                rs.set_content(R"({"error":"invalid_client","description":"authentication failed"})", "application/json");
                return;
            }
            tokens_.fetch_add(1);
            rs.set_content(R"({"access_token":")" + access_token + R"(","token_type":"bearer","expires_in":86400})",
                           "application/json");
        });
        srv_.post("/api/v2/flows/executions", [this](const httplib::Request& rq, httplib::Response& rs) {
            if (!authorized(rq, rs)) return;
            boost::system::error_code ec;
            auto body = boost::json::parse(rq.body, ec);
            const auto* obj = ec ? nullptr : body.if_object();
            const auto* input = obj && obj->contains("inputData") ? obj->at("inputData").if_object() : nullptr;
            if (!obj || !obj->contains("flowId") || obj->at("flowId") != boost::json::value(flow_id) || !input ||
                !input->contains("Flow.PhoneNumber") || input->at("Flow.PhoneNumber") != boost::json::value(phone)) {
                rs.status = 400;
                rs.set_content(R"({"message":"bad launch","code":"bad.request","status":400})", "application/json");
                return;
            }
            const std::string id = "c0a8012e-7d3f-4b7e-9a51-" + std::to_string(100000000000 + launches_.fetch_add(1));
            {
                std::lock_guard<std::mutex> lock(mutex_);
                polls_[id] = 0;
            }
            rs.set_header("ININ-Correlation-Id", "corr-" + id);
            rs.set_content(R"({"id":")" + id + R"(","name":"gcx-lookup","flowVersion":{"id":"3.0","name":"3.0"},)"
                           R"("selfUri":"/api/v2/flows/executions/)" + id + R"("})",
                           "application/json");
        });
        srv_.get(R"(/api/v2/flows/executions/([0-9a-f-]+))", [this](const httplib::Request& rq, httplib::Response& rs) {
            if (!authorized(rq, rs)) return;
            const std::string id = rq.matches[1].str();
            int n = 0;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                auto it = polls_.find(id);
                if (it == polls_.end()) {
                    rs.status = 404;
                    rs.set_content(R"({"message":"not found","code":"not.found","status":404})", "application/json");
                    return;
                }
                n = ++it->second;
            }
            polls_total_.fetch_add(1);
            std::string head = R"({"id":")" + id + R"(","name":"gcx-lookup","flowVersion":{"id":"3.0","name":"3.0","type":"WORKFLOW"},)"
                               R"("dateLaunched":"2026-05-20T14:03:11.204Z",)";
            if (n <= 2) {
                rs.set_content(head + R"("status":"RUNNING"})", "application/json");
                return;
            }
            rs.set_content(head + R"("status":"COMPLETED","dateCompleted":"2026-05-20T14:03:11.987Z",)"
                                  R"("completionReason":"Success","outputData":{"Flow.Found":true,"Flow.MatchCount":1,)"
                                  R"("Flow.ContactId":"8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b","Flow.FirstName":"Maria",)"
                                  R"("Flow.LastName":"Schmidt","Flow.Tier":"Gold","Flow.ErrorMessage":null}})",
                           "application/json");
        });
        srv_.start();
    }
    fake_genesys(const fake_genesys&) = delete;
    fake_genesys& operator=(const fake_genesys&) = delete;
    ~fake_genesys() { srv_.stop(); }  // before the members the handlers use are destroyed

    std::string base_url() const { return srv_.url(""); }
    std::size_t connections() const { return srv_.connections(); }
    int tokens() const { return tokens_.load(); }
    long long launches() const { return launches_.load(); }
    int polls() const { return polls_total_.load(); }

private:
    static bool authorized(const httplib::Request& rq, httplib::Response& rs) {
        if (rq.get_header_value("Authorization") == "Bearer " + access_token) return true;
        rs.status = 401;
        rs.set_content(R"({"message":"bad credentials","code":"bad.credentials","status":401})", "application/json");
        return false;
    }

    test_server srv_;
    std::atomic<int> tokens_{0};
    std::atomic<long long> launches_{0};
    std::atomic<int> polls_total_{0};
    std::mutex mutex_;
    std::map<std::string, int> polls_;  // guarded by mutex_
};

gcx::client_config config_for(const fake_genesys& fake) {
    gcx::client_config cfg;
    cfg.client_id = client_id;
    cfg.client_secret = gcx::secret(client_secret);
    cfg.endpoints = gcx::endpoints::from_urls(fake.base_url()).value();
    cfg.flow_id = flow_id;
    cfg.lookup_timeout = 10s;
    cfg.request_timeout = 5s;
    cfg.poll.initial = 1ms;  // real sleeps: keep the suite fast
    cfg.poll.max = 2ms;
    return cfg;
}

} // namespace

ADAPTER_TEST("full lookup: token, launch, two RUNNING polls, COMPLETED outputs") {
    fake_genesys fake;
    gcx::basic_client<Transport, gcx::json::boost_json> client(config_for(fake));
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    const auto& out = r->outputs.as_object();
    CHECK(out.at("Flow.Found").as_bool());
    CHECK(out.at("Flow.FirstName").as_string() == "Maria");
    CHECK(out.at("Flow.Tier").as_string() == "Gold");
    CHECK(r->execution.status == "COMPLETED");
    CHECK(r->execution.polls == 3);
    CHECK(r->execution.requests == 5);  // token, launch, 3 polls
    CHECK_FALSE(r->execution.correlation_id.empty());
    CHECK(fake.tokens() == 1);
    CHECK(fake.launches() == 1);
    CHECK(fake.polls() == 3);
    CHECK(fake.connections() == 1);  // token, launch and polls share one keep-alive connection
}

ADAPTER_TEST("50 lookups through one client open at most a handful of connections") {
    fake_genesys fake;
    gcx::basic_client<Transport, gcx::json::boost_json> client(config_for(fake));
    int ok = 0;
    for (int i = 0; i < 50; ++i) {
        auto r = client.lookup(phone);
        if (r && r->execution.status == "COMPLETED") ++ok;
    }
    CHECK(ok == 50);
    CHECK(fake.tokens() == 1);  // one cached token for all lookups
    CHECK(fake.launches() == 50);
    CHECK(fake.polls() == 150);
    INFO("connections accepted: " << fake.connections());
    CHECK(fake.connections() <= 2);
}
