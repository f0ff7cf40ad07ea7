// Test doubles for the state machines: a scripted transport and a manual clock.
// The transport never opens a socket; the clock never sleeps.
#ifndef GCX_TESTS_FAKES_HPP
#define GCX_TESTS_FAKES_HPP

#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace fakes {

using gcx::http::method;

inline const std::string client_id = "test-client-id";
inline const std::string client_secret = "S3cr3t-Do-Not-Print-7f1c";
inline const std::string access_token = "TOKEN-must-stay-hidden-91ab";
inline const std::string flow_id = "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33";
inline const std::string exec_id = "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10";
inline const std::string phone = "+13175550123";

/// A clock that moves only when something sleeps (or the test advances it). Thread-safe.
class manual_clock {
public:
    gcx::time_point now() const {
        std::lock_guard<std::mutex> lk(s_->m);
        return s_->now;
    }
    std::chrono::system_clock::time_point system_now() const {
        std::lock_guard<std::mutex> lk(s_->m);
        return std::chrono::system_clock::time_point{std::chrono::hours{500000}} + (s_->now - start());
    }
    void sleep_until(gcx::time_point t) const {
        std::lock_guard<std::mutex> lk(s_->m);
        if (t > s_->now) {
            s_->slept += t - s_->now;
            s_->now = t;
        }
    }
    void advance(gcx::milliseconds d) const {
        std::lock_guard<std::mutex> lk(s_->m);
        s_->now += d;
    }
    /// Time since the clock was made.
    gcx::milliseconds elapsed() const { return std::chrono::duration_cast<gcx::milliseconds>(now() - start()); }
    static gcx::time_point start() { return gcx::time_point{std::chrono::hours{1000}}; }

private:
    struct state {
        std::mutex m;
        gcx::time_point now = start();
        gcx::time_point::duration slept{};
    };
    std::shared_ptr<state> s_ = std::make_shared<state>();
};

using answer = gcx::result<gcx::http::response>;

inline gcx::http::response respond(int status, std::string body, gcx::http::headers h = {}) {
    gcx::http::response r;
    r.status = status;
    r.body = std::move(body);
    r.fields = std::move(h);
    r.fields.push_back({"Content-Type", "application/json"});
    return r;
}

inline answer token_ok(int expires_in = 86400, const std::string& tok = access_token) {
    return respond(200, R"({"access_token":")" + tok + R"(","token_type":"bearer","expires_in":)" +
                            std::to_string(expires_in) + "}");
}
inline answer launched(const std::string& id = exec_id) {
    return respond(
        200,
        R"({"id":")" + id +
            R"(","name":"gcx-lookup-x","flowVersion":{"id":"3.0","name":"3.0"},"selfUri":"/api/v2/flows/executions/)" +
            id + R"("})",
        {{"ININ-Correlation-Id", "corr-launch-1"}});
}
/// A poll's answer: the execution `id` (the one the launch named) in status `st`.
inline answer status(const std::string& st, const std::string& extra = "", const std::string& id = exec_id) {
    return respond(
        200,
        R"({"id":")" + id +
            R"(","name":"gcx-lookup-x","flowVersion":{"id":"3.0","name":"3.0","type":"WORKFLOW"},"dateLaunched":"2026-05-20T14:03:11.204Z","status":")" +
            st + "\"" + extra + "}");
}
inline answer running() { return status("RUNNING"); }
inline answer completed(const std::string& output_data = R"({"Flow.Found":true,"Flow.ContactId":"8a7f"})",
                        const std::string& id = exec_id) {
    return status(
        "COMPLETED",
        R"(,"dateCompleted":"2026-05-20T14:03:11.987Z","completionReason":"Success","outputData":)" + output_data, id);
}
inline answer error_body(int st, const std::string& code, const std::string& message, gcx::http::headers h = {}) {
    h.push_back({"ININ-Correlation-Id", "corr-" + code});
    return respond(st,
                   R"({"message":")" + message + R"(","code":")" + code + R"(","status":)" + std::to_string(st) +
                       R"(,"contextId":"corr-)" + code + R"(","details":[],"errors":[]})",
                   std::move(h));
}
inline answer transport_failure(gcx::delivery d, const std::string& what = "connection reset by peer") {
    gcx::error e = gcx::make_error(gcx::errc::transport, what);
    e.code = d == gcx::delivery::not_sent ? "connect" : "receive";
    e.sent = d;
    return e;
}

/// Which endpoint a request is for.
enum class endpoint { token, launch, poll, whitepages, identifier, action, other, any };
inline constexpr endpoint classify_any = endpoint::any;
inline endpoint classify(const gcx::http::request& r) {
    if (r.url.find("/oauth/token") != std::string::npos) return endpoint::token;
    if (r.url.find("/api/v2/externalcontacts/reversewhitepageslookup") != std::string::npos)
        return endpoint::whitepages;
    if (r.url.find("/api/v2/externalcontacts/identifierlookup/contacts") != std::string::npos)
        return endpoint::identifier;
    if (r.verb == method::post && r.url.find("/api/v2/integrations/actions/") != std::string::npos &&
        r.url.find("/execute") != std::string::npos)
        return endpoint::action;
    if (r.verb == method::post && r.url.find("/api/v2/flows/executions") != std::string::npos) return endpoint::launch;
    if (r.verb == method::get && r.url.find("/api/v2/flows/executions/") != std::string::npos) return endpoint::poll;
    return endpoint::other;
}

/// A transport that answers from a script, in order, and records every request.
/// When the script is empty, `fallback` answers (if set); otherwise the request fails.
class scripted_transport {
public:
    struct step {
        endpoint expect;
        answer reply;
    };
    struct state {
        std::mutex m;
        std::deque<step> script;
        std::vector<gcx::http::request> log;
        std::vector<std::string> mismatches;
        std::function<answer(const gcx::http::request&)> fallback;
    };

    gcx::result<gcx::http::response> send(const gcx::http::request& r) {
        std::function<answer(const gcx::http::request&)> fb;
        {
            std::lock_guard<std::mutex> lk(s_->m);
            s_->log.push_back(r);
            if (!s_->script.empty()) {
                step st = std::move(s_->script.front());
                s_->script.pop_front();
                if (st.expect != endpoint::any && st.expect != classify(r)) s_->mismatches.push_back(r.url);
                return st.reply;
            }
            fb = s_->fallback;
        }
        if (fb) return fb(r);
        return gcx::make_error(gcx::errc::transport, "unexpected request (script is empty)");
    }

    scripted_transport& then(endpoint e, answer a) {
        std::lock_guard<std::mutex> lk(s_->m);
        s_->script.push_back({e, std::move(a)});
        return *this;
    }
    void set_fallback(std::function<answer(const gcx::http::request&)> f) {
        std::lock_guard<std::mutex> lk(s_->m);
        s_->fallback = std::move(f);
    }
    std::size_t count(endpoint e) const {
        std::lock_guard<std::mutex> lk(s_->m);
        std::size_t n = 0;
        for (const auto& r : s_->log) n += classify(r) == e;
        return n;
    }
    std::vector<gcx::http::request> log() const {
        std::lock_guard<std::mutex> lk(s_->m);
        return s_->log;
    }
    std::size_t unused() const {
        std::lock_guard<std::mutex> lk(s_->m);
        return s_->script.size();
    }
    std::vector<std::string> mismatches() const {
        std::lock_guard<std::mutex> lk(s_->m);
        return s_->mismatches;
    }

private:
    std::shared_ptr<state> s_ = std::make_shared<state>();
};

inline gcx::client_config config() {
    gcx::client_config c;
    c.client_id = client_id;
    c.client_secret = gcx::secret(client_secret);
    c.endpoints = *gcx::endpoints::from_region("mypurecloud.com");
    c.flow_id = flow_id;
    c.budget.requests_per_minute = 0;  // no pacing: the scripts count requests, not time
    c.budget.token_requests_per_minute = 0;
    c.poll.adaptive = false;  // the fixed schedule: 200 ms, x1.5, up to 2 s
    c.poll.initial = gcx::milliseconds{200};
    return c;
}

template <class J = gcx::json::boost_json>
using client = gcx::basic_client<scripted_transport, J, manual_clock>;

/// A client over a fresh script, with jitter fixed at 0.5 so delays are exact. The config must
/// be valid (tests of invalid ones call gcx::session::create or basic_client::create).
/// Pacing is off unless the test's config turns it on, so the scripts see no budget waits.
template <class J = gcx::json::boost_json>
client<J> make_client(gcx::client_config c = config()) {
    auto s = gcx::session::create(std::move(c));
    if (!s) throw std::logic_error("fakes::make_client: " + s.error().describe());
    client<J> cl(std::move(*s));
    cl.set_jitter([] { return 0.5; });
    return cl;
}

/// True if `text` contains any of the test secrets (or the Basic credential built from them).
inline bool leaks_secret(const std::string& text) {
    std::string basic = gcx::detail::base64(client_id + ":" + client_secret);
    return text.find(client_secret) != std::string::npos || text.find(access_token) != std::string::npos ||
           text.find(basic) != std::string::npos;
}

}  // namespace fakes

#endif
