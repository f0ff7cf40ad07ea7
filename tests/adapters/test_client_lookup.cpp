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
#include <thread>
#include <vector>

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
    /// What the next requests meet. `once` faults hit only the first matching request.
    enum class fault { none, launch_429_once, poll_hang, poll_huge, poll_cut_once };

    explicit fake_genesys(fault f = fault::none) : fault_(f) {
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
            if (fault_ == fault::launch_429_once && !faulted_.exchange(true)) {
                rs.status = 429;
                rs.set_header("Retry-After", "1");
                rs.set_content(R"({"message":"Rate limit exceeded the maximum. Retry the request in [1] seconds",)"
                               R"("code":"too.many.requests.retry.after","status":429})", "application/json");
                return;
            }
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
            if (fault_ == fault::poll_hang) {
                srv_.wait_for_release(std::chrono::seconds(20));  // never answers within the lookup's deadline
                return;
            }
            if (fault_ == fault::poll_huge) {
                rs.set_content(std::string(5 * 1024 * 1024, ' ') + "{}", "application/json");  // over the 4 MiB cap
                return;
            }
            if (fault_ == fault::poll_cut_once && !faulted_.exchange(true)) {
                // Promise 1000 bytes, send 10, then drop the connection.
                rs.set_content_provider(1000, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
                    sink.write("{\"id\":\"c0", 10);
                    return false;
                });
                return;
            }
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

    fault fault_;
    std::atomic<bool> faulted_{false};
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

ADAPTER_TEST("4 threads x 25 lookups through one client share one token and few connections") {
    fake_genesys fake;
    gcx::basic_client<Transport, gcx::json::boost_json> client(config_for(fake));
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                auto r = client.lookup(phone);
                if (r && r->execution.status == "COMPLETED") ++ok;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 100);
    CHECK(fake.tokens() == 1);
    CHECK(fake.launches() == 100);
    INFO("connections accepted: " << fake.connections());
    CHECK(fake.connections() <= 8);  // at most one per concurrent lookup (4), with slack for reconnects
}

ADAPTER_TEST("a server that never answers a poll: the lookup deadline fires, no hang") {
    fake_genesys fake(fake_genesys::fault::poll_hang);
    auto cfg = config_for(fake);
    cfg.lookup_timeout = 1500ms;
    gcx::basic_client<Transport, gcx::json::boost_json> client(cfg);
    auto start = std::chrono::steady_clock::now();
    auto r = client.lookup(phone);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.has_value());
    INFO(r.error().describe());
    CHECK(r.error().kind == gcx::errc::timeout);
    CHECK(r.error().execution_id.rfind("c0a8012e", 0) == 0);
    CHECK(took < 3s);
    CHECK(fake.launches() == 1);
}

ADAPTER_TEST("an oversized poll answer is a too_large transport error, never a truncation") {
    fake_genesys fake(fake_genesys::fault::poll_huge);
    auto cfg = config_for(fake);
    cfg.retry.base_delay = 1ms;
    cfg.retry.max_retries = 1;
    gcx::basic_client<Transport, gcx::json::boost_json> client(cfg);
    auto r = client.lookup(phone);
    REQUIRE_FALSE(r.has_value());
    INFO(r.error().describe());
    CHECK(r.error().kind == gcx::errc::transport);
    CHECK(r.error().code == "too_large");
}

ADAPTER_TEST("a connection closed mid-response on a poll is retried on a new connection") {
    fake_genesys fake(fake_genesys::fault::poll_cut_once);
    auto cfg = config_for(fake);
    cfg.retry.base_delay = 1ms;
    gcx::basic_client<Transport, gcx::json::boost_json> client(cfg);
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    CHECK(r->execution.status == "COMPLETED");
    CHECK(fake.launches() == 1);
    CHECK(fake.connections() == 2);
}

ADAPTER_TEST("a 429 with Retry-After on launch is waited out and the launch sent once more") {
    fake_genesys fake(fake_genesys::fault::launch_429_once);
    gcx::basic_client<Transport, gcx::json::boost_json> client(config_for(fake));
    auto start = std::chrono::steady_clock::now();
    auto r = client.lookup(phone);
    REQUIRE(r.has_value());
    CHECK(std::chrono::steady_clock::now() - start >= 1s);
    CHECK(fake.launches() == 1);  // the 429 started nothing
}
