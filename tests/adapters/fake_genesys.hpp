// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_TESTS_ADAPTERS_FAKE_GENESYS_HPP
#define GCX_TESTS_ADAPTERS_FAKE_GENESYS_HPP

// A test server that speaks the Genesys shapes (docs/genesys-api.md sections 2, 1.3, 5.2, 9.1-9.5) on
// a real loopback socket, for the adapter tests that run whole lookups: basic_client over each
// transport (test_client_lookup.cpp) and curl_multi_runner (test_curl_multi.cpp).
//
//   POST /oauth/token                                  client credentials -> a bearer token
//   POST /api/v2/flows/executions                      launch; any E.164 number in Flow.PhoneNumber
//   GET  /api/v2/flows/executions/{id}                 RUNNING twice, then COMPLETED with outputData
//   GET  /api/v2/externalcontacts/reversewhitepageslookup?lookupVal=..   {"contacts": [...]}
//   POST /api/v2/externalcontacts/identifierlookup/contacts              the contact, or 404
//
// A number is "found" when it is in the directory (`phone` always is, as Maria Schmidt, Gold;
// add_customer() adds more): the flow's outputs then carry that customer, otherwise Flow.Found is
// false. The server remembers which number each execution was launched for (number_of).

#include "test_server.hpp"

#include <gcx/config.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <sys/socket.h>

namespace gcx_test {

inline const std::string client_id = "adapter-test-client";
inline const std::string client_secret = "adapter-S3cret-value";
inline const std::string access_token = "tok-adapter-1";
inline const std::string flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
inline const std::string phone = "+13175550123";

class fake_genesys {
public:
    /// What the next requests meet. `once` faults hit only the first matching request.
    enum class fault { none, launch_429_once, poll_hang, poll_huge, poll_cut_once };

    struct customer {
        std::string contact_id;
        std::string first_name;
        std::string last_name;
        std::string tier;
    };

    /// Worker threads of the server: each keep-alive connection holds one until it closes, so
    /// this bounds the connections served at once (test_server's own pool has 16).
    static constexpr std::size_t workers = 32;

    explicit fake_genesys(fault f = fault::none) : fault_(f) {
        directory_[phone] = customer{"8a7f4c2e-1d3b-4e5f-9a6b-7c8d9e0f1a2b", "Maria", "Schmidt", "Gold"};
        auto accepted = connections_;
        srv_.raw().new_task_queue = [accepted] { return new counting_queue(accepted, workers); };
        srv_.raw().set_socket_options([this](auto sock) {
            httplib::default_socket_options(sock);
            listen_fd_ = static_cast<int>(sock);  // the listening socket (start() runs this on this thread)
        });

        srv_.post("/oauth/token", [this](const httplib::Request& rq, httplib::Response& rs) {
            token_requests_.fetch_add(1);
            {
                // hold_tokens(): the answer waits until release_tokens() (or the end of the test).
                std::unique_lock<std::mutex> lock(gate_mutex_);
                gate_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return !tokens_held_ || closing_; });
            }
            // Basic base64("adapter-test-client:adapter-S3cret-value")
            if (rq.get_header_value("Authorization") !=
                    "Basic YWRhcHRlci10ZXN0LWNsaWVudDphZGFwdGVyLVMzY3JldC12YWx1ZQ==" ||
                rq.body != "grant_type=client_credentials") {
                rs.status = 401;
                rs.set_content(R"({"error":"invalid_client","description":"authentication failed"})",
                               "application/json");
                return;
            }
            tokens_.fetch_add(1);
            rs.set_content(R"({"access_token":")" + access_token + R"(","token_type":"bearer","expires_in":86400})",
                           "application/json");
        });
        srv_.post("/api/v2/flows/executions", [this](const httplib::Request& rq, httplib::Response& rs) {
            launch_attempts_.fetch_add(1);
            if (!authorized(rq, rs)) return;
            if (fault_ == fault::launch_429_once && !faulted_.exchange(true)) {
                rs.status = 429;
                rs.set_header("Retry-After", "1");
                rs.set_content(R"({"message":"Rate limit exceeded the maximum. Retry the request in [1] seconds",)"
                               R"("code":"too.many.requests.retry.after","status":429})",
                               "application/json");
                return;
            }
            boost::system::error_code ec;
            auto body = boost::json::parse(rq.body, ec);
            const auto* obj = ec ? nullptr : body.if_object();
            const auto* input = obj && obj->contains("inputData") ? obj->at("inputData").if_object() : nullptr;
            const auto* number =
                input && input->contains("Flow.PhoneNumber") ? input->at("Flow.PhoneNumber").if_string() : nullptr;
            if (!obj || !obj->contains("flowId") || obj->at("flowId") != boost::json::value(flow_id) || !number ||
                !is_e164(*number)) {
                rs.status = 400;
                rs.set_content(R"({"message":"bad launch","code":"bad.request","status":400})", "application/json");
                return;
            }
            wait_at_launch_barrier();
            const std::string id = "c0a8012e-7d3f-4b7e-9a51-" + std::to_string(100000000000 + launches_.fetch_add(1));
            {
                std::lock_guard<std::mutex> lock(mutex_);
                executions_[id] = execution{0, std::string(number->c_str())};
            }
            rs.set_header("ININ-Correlation-Id", "corr-" + id);
            rs.set_content(R"({"id":")" + id +
                               R"(","name":"gcx-lookup","flowVersion":{"id":"3.0","name":"3.0"},)"
                               R"("selfUri":"/api/v2/flows/executions/)" +
                               id + R"("})",
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
                rs.set_content_provider(1000, "application/json",
                                        [](std::size_t, std::size_t, httplib::DataSink& sink) {
                                            sink.write("{\"id\":\"c0", 10);
                                            return false;
                                        });
                return;
            }
            int n = 0;
            std::string number;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                auto it = executions_.find(id);
                if (it == executions_.end()) {
                    rs.status = 404;
                    rs.set_content(R"({"message":"not found","code":"not.found","status":404})", "application/json");
                    return;
                }
                n = ++it->second.polls;
                number = it->second.number;
            }
            polls_total_.fetch_add(1);
            std::string head = R"({"id":")" + id +
                               R"(","name":"gcx-lookup","flowVersion":{"id":"3.0","name":"3.0","type":"WORKFLOW"},)"
                               R"("dateLaunched":"2026-05-20T14:03:11.204Z",)";
            if (n <= 2) {
                rs.set_content(head + R"("status":"RUNNING"})", "application/json");
                return;
            }
            rs.set_content(head +
                               R"("status":"COMPLETED","dateCompleted":"2026-05-20T14:03:11.987Z",)"
                               R"("completionReason":"Success","outputData":)" +
                               outputs_for(number) + "}",
                           "application/json");
        });
        srv_.get("/api/v2/externalcontacts/reversewhitepageslookup",
                 [this](const httplib::Request& rq, httplib::Response& rs) {
                     if (!authorized(rq, rs)) return;
                     direct_requests_.fetch_add(1);
                     boost::json::array contacts;
                     if (auto c = find(rq.get_param_value("lookupVal")))
                         contacts.push_back(contact_json(*c, rq.get_param_value("lookupVal")));
                     rs.set_header("ININ-Correlation-Id", "corr-rwp");
                     rs.set_content(boost::json::serialize(boost::json::object{{"contacts", std::move(contacts)}}),
                                    "application/json");
                 });
        srv_.post("/api/v2/externalcontacts/identifierlookup/contacts", [this](const httplib::Request& rq,
                                                                               httplib::Response& rs) {
            if (!authorized(rq, rs)) return;
            direct_requests_.fetch_add(1);
            boost::system::error_code ec;
            auto body = boost::json::parse(rq.body, ec);
            const auto* obj = ec ? nullptr : body.if_object();
            const auto* value = obj && obj->contains("value") ? obj->at("value").if_string() : nullptr;
            if (!obj || !obj->contains("type") || obj->at("type") != boost::json::value("Phone") || !value) {
                rs.status = 400;
                rs.set_content(R"({"message":"bad identifier","code":"bad.request","status":400})", "application/json");
                return;
            }
            auto c = find(std::string(value->c_str()));
            if (!c) {
                rs.status = 404;
                rs.set_content(R"({"message":"no contact with that identifier","code":"not.found","status":404})",
                               "application/json");
                return;
            }
            rs.set_content(boost::json::serialize(contact_json(*c, std::string(value->c_str()))), "application/json");
        });
        srv_.start();
        // httplib listens with a backlog of 5: twenty clients connecting at once overflow it, and
        // the kernel drops their SYNs (retransmitted 1 s later). Listening again raises it (Linux).
        if (listen_fd_ >= 0) ::listen(listen_fd_, 128);
    }
    fake_genesys(const fake_genesys&) = delete;
    fake_genesys& operator=(const fake_genesys&) = delete;
    ~fake_genesys() {
        {
            std::lock_guard<std::mutex> lock(gate_mutex_);
            closing_ = true;
        }
        gate_cv_.notify_all();
        srv_.stop();  // before the members the handlers use are destroyed
    }

    std::string base_url() const { return srv_.url(""); }
    /// TCP connections accepted so far.
    std::size_t connections() const { return connections_->load(); }
    /// Requests routed so far (any path).
    std::size_t requests() const { return srv_.requests(); }
    /// Tokens granted (good credentials).
    int tokens() const { return tokens_.load(); }
    /// Token requests received, granted or not.
    int token_requests() const { return token_requests_.load(); }
    /// Executions started.
    long long launches() const { return launches_.load(); }
    /// Launch requests received, whatever they were answered.
    int launch_attempts() const { return launch_attempts_.load(); }
    /// Polls answered with an execution.
    int polls() const { return polls_total_.load(); }
    /// External Contacts requests answered.
    int direct_requests() const { return direct_requests_.load(); }

    /// Adds (or replaces) a customer the flow and External Contacts find by `number`.
    void add_customer(const std::string& number, customer c) {
        std::lock_guard<std::mutex> lock(mutex_);
        directory_[number] = std::move(c);
    }

    /// The number execution `id` was launched for ("" if unknown).
    std::string number_of(const std::string& id) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = executions_.find(id);
        return it == executions_.end() ? std::string() : it->second.number;
    }

    /// Token requests wait (at most 5 s) until release_tokens().
    void hold_tokens() {
        std::lock_guard<std::mutex> lock(gate_mutex_);
        tokens_held_ = true;
    }
    void release_tokens() {
        {
            std::lock_guard<std::mutex> lock(gate_mutex_);
            tokens_held_ = false;
        }
        gate_cv_.notify_all();
    }

    /// No launch is answered until `n` launches have arrived (or one waited 2 s for them:
    /// launch_barrier_missed(), and the barrier is open from then on).
    void hold_launches_until(int n) {
        std::lock_guard<std::mutex> lock(gate_mutex_);
        launch_barrier_ = n;
    }
    /// Whether a launch gave up waiting for the others at the barrier.
    bool launch_barrier_missed() const { return barrier_missed_.load(); }
    /// Launches that reached the barrier so far.
    int launches_at_barrier() const {
        std::lock_guard<std::mutex> lock(gate_mutex_);
        return barrier_arrived_;
    }

private:
    struct execution {
        int polls = 0;
        std::string number;
    };

    /// Counts each accepted connection on its way to the worker threads (as test_server does).
    class counting_queue : public httplib::TaskQueue {
    public:
        counting_queue(std::shared_ptr<std::atomic<std::size_t>> c, std::size_t threads)
            : accepted_(std::move(c)), pool_(threads) {}
        void enqueue(std::function<void()> fn) override {
            accepted_->fetch_add(1);
            pool_.enqueue(std::move(fn));
        }
        void shutdown() override { pool_.shutdown(); }

    private:
        std::shared_ptr<std::atomic<std::size_t>> accepted_;
        httplib::ThreadPool pool_;
    };

    static bool authorized(const httplib::Request& rq, httplib::Response& rs) {
        if (rq.get_header_value("Authorization") == "Bearer " + access_token) return true;
        rs.status = 401;
        rs.set_content(R"({"message":"bad credentials","code":"bad.credentials","status":401})", "application/json");
        return false;
    }

    static bool is_e164(boost::json::string_view s) {
        if (s.size() < 3 || s.size() > 16 || s[0] != '+') return false;
        for (std::size_t i = 1; i < s.size(); ++i)
            if (s[i] < '0' || s[i] > '9') return false;
        return true;
    }

    std::optional<customer> find(const std::string& number) const {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = directory_.find(number);
        if (it == directory_.end()) return std::nullopt;
        return it->second;
    }

    std::string outputs_for(const std::string& number) const {
        auto c = find(number);
        if (!c) return R"({"Flow.Found":false,"Flow.MatchCount":0,"Flow.ContactId":null,"Flow.ErrorMessage":null})";
        boost::json::object out;
        out["Flow.Found"] = true;
        out["Flow.MatchCount"] = 1;
        out["Flow.ContactId"] = c->contact_id;
        out["Flow.FirstName"] = c->first_name;
        out["Flow.LastName"] = c->last_name;
        out["Flow.Tier"] = c->tier;
        out["Flow.ErrorMessage"] = nullptr;
        return boost::json::serialize(out);
    }

    static boost::json::object contact_json(const customer& c, const std::string& number) {
        return boost::json::object{{"id", c.contact_id},
                                   {"firstName", c.first_name},
                                   {"lastName", c.last_name},
                                   {"workPhone", boost::json::object{{"e164", number}}}};
    }

    // After 2 s without the others the barrier is missed, and lets every launch through from then on.
    void wait_at_launch_barrier() {
        std::unique_lock<std::mutex> lock(gate_mutex_);
        if (launch_barrier_ <= 0) return;
        ++barrier_arrived_;
        gate_cv_.notify_all();
        auto open = [this] { return barrier_arrived_ >= launch_barrier_ || barrier_missed_.load() || closing_; };
        if (!gate_cv_.wait_for(lock, std::chrono::seconds(2), open)) {
            barrier_missed_.store(true);
            gate_cv_.notify_all();
        }
    }

    fault fault_;
    std::atomic<bool> faulted_{false};
    int listen_fd_ = -1;
    std::shared_ptr<std::atomic<std::size_t>> connections_ = std::make_shared<std::atomic<std::size_t>>(0);
    test_server srv_;
    std::atomic<int> tokens_{0};
    std::atomic<int> token_requests_{0};
    std::atomic<long long> launches_{0};
    std::atomic<int> launch_attempts_{0};
    std::atomic<int> polls_total_{0};
    std::atomic<int> direct_requests_{0};
    std::atomic<bool> barrier_missed_{false};
    mutable std::mutex mutex_;
    std::map<std::string, execution> executions_;  // guarded by mutex_
    std::map<std::string, customer> directory_;    // guarded by mutex_
    mutable std::mutex gate_mutex_;
    std::condition_variable gate_cv_;
    bool tokens_held_ = false;  // guarded by gate_mutex_
    bool closing_ = false;      // guarded by gate_mutex_
    int launch_barrier_ = 0;    // guarded by gate_mutex_
    int barrier_arrived_ = 0;   // guarded by gate_mutex_
};

inline gcx::client_config config_for(const fake_genesys& fake) {
    gcx::client_config cfg;
    cfg.client_id = client_id;
    cfg.client_secret = gcx::secret(client_secret);
    cfg.endpoints = gcx::endpoints::from_urls(fake.base_url()).value();
    cfg.flow_id = flow_id;
    cfg.lookup_timeout = std::chrono::seconds(10);
    cfg.request_timeout = std::chrono::seconds(5);
    cfg.poll.adaptive = false;                        // the fixed schedule, from 1 ms
    cfg.poll.initial = std::chrono::milliseconds(1);  // real sleeps: keep the suite fast
    cfg.poll.min_interval = std::chrono::milliseconds(1);
    cfg.poll.max = std::chrono::milliseconds(2);
    cfg.budget.requests_per_minute = 0;  // the fake has no rate limit: no pacing
    cfg.budget.token_requests_per_minute = 0;
    return cfg;
}

}  // namespace gcx_test

#endif
