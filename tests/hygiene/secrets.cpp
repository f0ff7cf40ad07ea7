// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Secret hygiene: run every error path and look for credentials and phone numbers in everything
// a user or a log gets to see.
//
//   1. gcx-lookup, the program, against gcx-sim (its own process): wrong secret, wrong client,
//      missing role, failing / unpublished / non-launchable / unknown flow, invalid numbers,
//      unreachable API, bad region, plain http to a remote host, bad flow id, every sim fault
//      kind, a faulted batch. stdout and stderr, in text and --json form, are scanned for the
//      client secrets, their Basic credentials and every access token issued. The token is
//      random, so /oauth/token goes through a small proxy in this process that records each
//      token the simulator issues (GCX_LOGIN_URL points at it; the API calls go straight to
//      the simulator).
//   2. basic_client over a scripted transport whose server echoes the credentials and the
//      number back in every field it controls (message, code, contextId, correlation header,
//      flowErrorInfo, OAuth description), for every status on every call.
//   3. basic_client over curl against gcx-sim in-process, with a transport wrapper that
//      records the tokens from the wire, through the same error paths and every fault kind.
//
// Phone numbers: error messages, hints and every other error field must not contain the number
// looked up. What the product prints *about* the number is output, not a log: the "phone" field
// of --json and the "<number>: " that starts each text line are skipped.
//
// GCX_HYGIENE_TIMES=1 in the environment prints how long each gcx-lookup run took.

#include "../e2e/sim_process.hpp"
#include "fakes.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx_sim/simulator.hpp>

#include <catch2/catch.hpp>

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace bj = boost::json;

namespace {

const std::string found_number = "+13175550123";    // contact 123 of gcx-sim
const std::string unknown_number = "+14155550000";  // nobody
const std::string wrong_secret = "HygieneWrongSecret-7d1f0c2b-9e";

/// Everything that must never be shown, collected as the test learns it.
class forbidden {
public:
    void add(const std::string& s) {
        std::lock_guard<std::mutex> lk(m_);
        if (s.size() >= 6) items_.insert(s);
    }
    void add_credentials(const std::string& id, const std::string& secret) {
        add(secret);
        add(gcx::detail::base64(id + ":" + secret));
    }
    /// The first forbidden string found in `text`, or "".
    std::string find_in(const std::string& text) const {
        std::lock_guard<std::mutex> lk(m_);
        for (const auto& s : items_)
            if (text.find(s) != std::string::npos) return s;
        return {};
    }
    std::size_t size() const {
        std::lock_guard<std::mutex> lk(m_);
        return items_.size();
    }

private:
    mutable std::mutex m_;
    std::set<std::string> items_;
};

/// A 127.0.0.1 port nothing listens on (bound, then closed).
int refused_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("refused_port: bind failed");
    ::close(fd);  // never listened: connecting is refused at once
    return ntohs(a.sin_port);
}

std::string error_texts(const gcx::error& e) {
    return e.describe() + "\n" + e.message + "\n" + e.hint + "\n" + e.code + "\n" + e.path + "\n" + e.correlation_id +
           "\n" + e.execution_id;
}

// ---- a login proxy that learns the tokens ----------------------------------------------------

/// Forwards POST /oauth/token to `upstream` and records every access_token in the answers.
class token_proxy {
public:
    token_proxy(std::string upstream, forbidden& f) : upstream_(std::move(upstream)), f_(f) {
        srv_.Post("/oauth/token", [this](const httplib::Request& rq, httplib::Response& rs) {
            httplib::Client c(upstream_);
            c.set_read_timeout(10);
            httplib::Headers h;
            for (const char* name : {"Authorization", "Accept"})
                if (rq.has_header(name)) h.emplace(name, rq.get_header_value(name));
            auto r = c.Post("/oauth/token", h, rq.body, rq.get_header_value("Content-Type").c_str());
            if (!r) {
                rs.status = 502;
                rs.set_content(R"({"message":"login proxy: upstream failed","code":"bad.gateway","status":502})",
                               "application/json");
                return;
            }
            boost::system::error_code ec;
            auto v = bj::parse(r->body, ec);
            if (!ec && v.is_object())
                if (const auto* t = v.as_object().if_contains("access_token"); t && t->is_string())
                    f_.add(std::string(t->as_string()));
            rs.status = r->status;
            for (const char* name : {"Retry-After", "ININ-Correlation-Id"})
                if (r->has_header(name)) rs.set_header(name, r->get_header_value(name));
            rs.set_content(r->body, r->get_header_value("Content-Type").c_str());
        });
        port_ = srv_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { srv_.listen_after_bind(); });
        while (!srv_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~token_proxy() {
        srv_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    std::string upstream_;
    forbidden& f_;
    httplib::Server srv_;
    int port_ = 0;
    std::thread thread_;
};

// ---- the program -----------------------------------------------------------------------------

struct cli_case {
    std::string name;
    std::vector<std::string> args;                   // without the program and the output flag
    std::map<std::string, std::string> env_changes;  // "" value: remove
    std::string input;                               // stdin (batch mode)
    int expect_exit = -1;                            // -1: any
    std::vector<std::string> numbers;                // numbers asked for (PII in error texts)
};

/// Checks one run's stdout/stderr. `json` output: one object per line.
void check_cli_output(const cli_case& c, bool json, const e2e::run_result& r, const forbidden& f) {
    INFO("case: " << c.name << (json ? " (--json)" : " (text)") << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(f.find_in(r.out) == "");
    CHECK(f.find_in(r.err) == "");
    if (c.expect_exit >= 0) CHECK(r.exit_code == c.expect_exit);
    for (const auto& n : c.numbers) CHECK(r.err.find(n) == std::string::npos);
    // Error lines must not repeat the number (beyond the line's own "<number>: " label / "phone").
    std::size_t pos = 0;
    while (pos < r.out.size()) {
        auto nl = r.out.find('\n', pos);
        std::string line = r.out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? r.out.size() : nl + 1;
        std::string checked;
        if (json) {
            boost::system::error_code ec;
            auto v = bj::parse(line, ec);
            if (ec || !v.is_object() || !v.as_object().contains("error")) continue;
            checked = bj::serialize(v.at("error"));
        } else {
            if (line.find(": error: ") == std::string::npos) continue;
            checked = line.substr(line.find(": error: "));
        }
        for (const auto& n : c.numbers) {
            INFO("error line: " << checked);
            CHECK(checked.find(n) == std::string::npos);
        }
    }
}

void run_cli_cases(const std::vector<cli_case>& cases, const e2e::sim_process& sim, const std::string& login_url,
                   const forbidden& f) {
    for (const auto& c : cases) {
        for (bool json : {false, true}) {
            auto env = sim.env();
            env["GCX_LOGIN_URL"] = login_url;
            for (const auto& [k, v] : c.env_changes) {
                if (v.empty()) env.erase(k);
                else env[k] = v;
            }
            std::vector<std::string> args{GCX_LOOKUP_BIN, "--quiet"};
            if (json) args.push_back("--json");
            args.insert(args.end(), c.args.begin(), c.args.end());
            const auto t0 = std::chrono::steady_clock::now();
            auto r = e2e::run(args, env, c.input, std::chrono::seconds{60});
            if (std::getenv("GCX_HYGIENE_TIMES"))
                std::fprintf(stderr, "%6lld ms  %s\n",
                             static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                        std::chrono::steady_clock::now() - t0)
                                                        .count()),
                             c.name.c_str());
            check_cli_output(c, json, r, f);
        }
    }
}

// ---- the library over a recording transport --------------------------------------------------

/// curl_transport that records every access token it sees in a token answer.
struct token_recording_transport {
    gcx::adapters::curl_transport inner;
    forbidden* f = nullptr;
    gcx::result<gcx::http::response> send(const gcx::http::request& r) const {
        auto out = inner.send(r);
        if (out && r.url.find("/oauth/token") != std::string::npos) {
            boost::system::error_code ec;
            auto v = bj::parse(out->body, ec);
            if (!ec && v.is_object())
                if (const auto* t = v.as_object().if_contains("access_token"); t && t->is_string())
                    f->add(std::string(t->as_string()));
        }
        return out;
    }
};

gcx::client_config sim_config(const gcx_sim::simulator& sim) {
    gcx::client_config c;
    c.endpoints = *gcx::endpoints::from_urls(sim.base_url());
    c.client_id = sim.demo().client_id;
    c.client_secret = gcx::secret(sim.demo().client_secret);
    c.flow_id = sim.demo().lookup_flow_id;
    c.lookup_timeout = gcx::milliseconds{3000};
    c.retry.max_retries = 2;
    c.poll.initial = gcx::milliseconds{20};
    return c;
}

}  // namespace

TEST_CASE("hygiene: gcx-lookup never prints a secret, a token or the number in an error") {
    forbidden f;
    e2e::sim_process sim;
    token_proxy proxy(sim.url, f);
    f.add_credentials(sim.demo.at("client_id"), sim.demo.at("client_secret"));
    f.add_credentials(sim.demo.at("no_launch_client_id"), sim.demo.at("no_launch_client_secret"));
    f.add_credentials(sim.demo.at("client_id"), wrong_secret);
    f.add_credentials("no-such-client-id", sim.demo.at("client_secret"));

    const std::string refused = "http://127.0.0.1:" + std::to_string(refused_port());
    const std::vector<cli_case> cases = {
        {"found (baseline)", {found_number}, {}, "", 0, {}},
        {"not found", {unknown_number}, {}, "", 1, {}},
        {"wrong secret", {found_number}, {{"GENESYS_CLIENT_SECRET", wrong_secret}}, "", 3, {found_number}},
        {"wrong client id", {found_number}, {{"GENESYS_CLIENT_ID", "no-such-client-id"}}, "", 3, {found_number}},
        {"missing role",
         {found_number},
         {{"GENESYS_CLIENT_ID", sim.demo.at("no_launch_client_id")},
          {"GENESYS_CLIENT_SECRET", sim.demo.at("no_launch_client_secret")}},
         "",
         3,
         {found_number}},
        {"failing flow", {"--flow-id", sim.demo.at("failing_flow_id"), found_number}, {}, "", 4, {found_number}},
        {"unpublished flow",
         {"--flow-id", sim.demo.at("unpublished_flow_id"), found_number},
         {},
         "",
         2,
         {found_number}},
        {"inboundcall flow",
         {"--flow-id", sim.demo.at("inboundcall_flow_id"), found_number},
         {},
         "",
         2,
         {found_number}},
        {"unknown flow",
         {"--flow-id", "00000000-0000-4000-8000-000000000000", found_number},
         {},
         "",
         2,
         {found_number}},
        {"invalid number", {"317-555-0123"}, {}, "", 2, {"317-555-0123", "3175550123"}},
        {"invalid number 2", {"+1317555012x"}, {}, "", 2, {"+1317555012x", "+1317555012"}},
        {"too long number", {"+1317555012345678"}, {}, "", 2, {"+1317555012345678"}},
        {"unreachable API URL",
         {found_number},
         {{"GCX_API_URL", refused}, {"GCX_LOGIN_URL", refused}},
         "",
         4,
         {found_number}},
        {"unreachable API, reachable login", {found_number}, {{"GCX_API_URL", refused}}, "", 4, {found_number}},
        {"bad region",
         {found_number},
         {{"GCX_API_URL", ""}, {"GCX_LOGIN_URL", ""}, {"GENESYS_REGION", "not a region!"}},
         "",
         2,
         {found_number}},
        {"http to a remote host",
         {found_number},
         {{"GCX_API_URL", "http://api.example.com"}, {"GCX_LOGIN_URL", ""}},
         "",
         2,
         {found_number}},
        {"bad flow id", {found_number}, {{"TARGET_FLOW_ID", "not-a-uuid"}}, "", 2, {found_number}},
        {"missing secret", {found_number}, {{"GENESYS_CLIENT_SECRET", ""}}, "", 2, {found_number}},
        {"direct, missing role for contacts?",
         {"--direct", found_number},
         {{"GENESYS_CLIENT_ID", sim.demo.at("no_launch_client_id")},
          {"GENESYS_CLIENT_SECRET", sim.demo.at("no_launch_client_secret")}},
         "",
         -1,
         {}},
        {"flow-then-direct",
         {"--strategy", "flow-then-direct", found_number},
         {{"GENESYS_CLIENT_ID", sim.demo.at("no_launch_client_id")},
          {"GENESYS_CLIENT_SECRET", sim.demo.at("no_launch_client_secret")}},
         "",
         -1,
         {}},
        {"httplib transport, wrong secret",
         {"--transport", "httplib", found_number},
         {{"GENESYS_CLIENT_SECRET", wrong_secret}},
         "",
         3,
         {found_number}},
        {"check", {"--check"}, {}, "", 0, {}},
        {"check, wrong secret", {"--check"}, {{"GENESYS_CLIENT_SECRET", wrong_secret}}, "", 3, {}},
        {"check, read-only client",
         {"--check"},
         {{"GENESYS_CLIENT_ID", sim.demo.at("no_launch_client_id")},
          {"GENESYS_CLIENT_SECRET", sim.demo.at("no_launch_client_secret")}},
         "",
         0,
         {}},
        {"check, unreachable API", {"--check"}, {{"GCX_API_URL", refused}, {"GCX_LOGIN_URL", refused}}, "", 4, {}},
    };
    run_cli_cases(cases, sim, proxy.url(), f);
    CHECK(f.size() > 8);  // tokens were learnt
}

namespace {
/// A Genesys Cloud that echoes what it was sent into what it controls: the launch answer's id is
/// the bearer token it received (or the number), the execution's texts are 1 MB long, the Found
/// output is whatever the test sets. One process-local httplib server on 127.0.0.1.
class echoing_genesys {
public:
    std::string token = "EchoedBearerToken-5f0e9d1c7b";
    std::string launch_id;    // "" : the bearer token as received; otherwise this text
    std::string poll_answer;  // the whole poll answer
    explicit echoing_genesys() {
        srv_.Post("/oauth/token", [this](const httplib::Request&, httplib::Response& rs) {
            rs.set_content(R"({"access_token":")" + token + R"(","token_type":"bearer","expires_in":86400})",
                           "application/json");
        });
        srv_.Post("/api/v2/flows/executions", [this](const httplib::Request& rq, httplib::Response& rs) {
            std::string id = launch_id;
            if (id.empty()) {
                id = rq.get_header_value("Authorization");
                if (id.rfind("Bearer ", 0) == 0) id = id.substr(7);
            }
            rs.set_content(bj::serialize(bj::object{{"id", id}}), "application/json");
        });
        srv_.Get(R"(/api/v2/flows/executions/.*)", [this](const httplib::Request&, httplib::Response& rs) {
            rs.set_content(poll_answer, "application/json");
        });
        port_ = srv_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { srv_.listen_after_bind(); });
        while (!srv_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~echoing_genesys() {
        srv_.stop();
        thread_.join();
    }
    std::map<std::string, std::string> env() const {
        return {{"GENESYS_CLIENT_ID", "echo-client"},
                {"GENESYS_CLIENT_SECRET", "EchoClientSecret-1b2c3d4e"},
                {"TARGET_FLOW_ID", "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33"},
                {"GCX_API_URL", "http://127.0.0.1:" + std::to_string(port_)}};
    }

private:
    httplib::Server srv_;
    int port_ = 0;
    std::thread thread_;
};

// Without an id: the launch ids here differ (they echo secrets), and an answer naming another
// execution than the one polled is refused (lookup.hpp).
std::string execution(const std::string& status, const std::string& extra) {
    return R"({"status":")" + status + "\"" + extra + "}";
}
}  // namespace

TEST_CASE("hygiene: gcx-lookup scrubs and clips every server text: an echoed execution id, 1 MB reasons and statuses") {
    echoing_genesys g;
    forbidden f;
    f.add(g.token);
    f.add_credentials("echo-client", "EchoClientSecret-1b2c3d4e");
    const std::string huge(1 << 20, 'z');
    struct step {
        std::string name, launch_id, poll;
        int exit;
    };
    const std::vector<step> steps = {
        {"id echoes the token, found", "", execution("COMPLETED", R"(,"outputData":{"Flow.Found":true})"), 0},
        {"id echoes the token, flow failed", "", execution("FAILED", R"(,"completionReason":"Error")"), 4},
        {"id echoes the number, flow failed", found_number, execution("FAILED", R"(,"completionReason":"Error")"), 4},
        {"id is the number, found", found_number, execution("COMPLETED", R"(,"outputData":{"Flow.Found":true})"), 0},
        {"1 MB completionReason", "", execution("FAILED", R"(,"completionReason":")" + huge + "\""), 4},
        {"1 MB unknown status until the deadline", "", execution(huge, ""), 4},
        {"1 MB launch id", huge, "", 4},
    };
    for (const auto& st : steps) {
        g.launch_id = st.launch_id;
        g.poll_answer = st.poll;
        for (bool json : {false, true}) {
            std::vector<std::string> args{GCX_LOOKUP_BIN, "--quiet", "--timeout", "2", "--poll-ms", "50"};
            if (json) args.push_back("--json");
            args.push_back(found_number);
            auto r = e2e::run(args, g.env(), "", std::chrono::seconds{60});
            INFO(st.name << (json ? " (--json)" : " (text)") << "\nstdout (" << r.out.size() << " bytes):\n"
                         << r.out.substr(0, 2000) << "\nstderr:\n"
                         << r.err.substr(0, 2000));
            CHECK(r.exit_code == st.exit);
            CHECK(f.find_in(r.out) == "");
            CHECK(f.find_in(r.err) == "");
            CHECK(r.out.size() < 3000);  // one line (or a short block) per number, whatever the server sent
            // The number appears only as the line's own label ("<number>: ", "phone").
            std::size_t labels = 0;
            for (auto pos = r.out.find(found_number); pos != std::string::npos; pos = r.out.find(found_number, pos + 1))
                ++labels;
            CHECK(labels == 1);
        }
    }
}

TEST_CASE("hygiene: gcx-lookup takes only JSON true for found, a non-boolean Found is an error naming its path") {
    echoing_genesys g;
    struct step {
        std::string outputs;
        int exit;
        std::string status;
    };
    const std::vector<step> steps = {
        {R"({"Flow.Found":"false"})", 4, "error"},
        {R"({"Flow.Found":0})", 4, "error"},
        {R"({"Flow.Found":1e300})", 4, "error"},
        {R"({"Flow.Found":false,"Found":true})", 1, "not_found"},
        {R"({"Found":true,"Flow.Found":false})", 1, "not_found"},
        {R"({"Flow.Found":true})", 0, "found"},
    };
    g.launch_id = "c0a8012e-7d3f-4b7e-9a51-3f2d6e8b9a10";
    for (const auto& st : steps) {
        g.poll_answer = execution("COMPLETED", R"(,"outputData":)" + st.outputs);
        auto r = e2e::run({GCX_LOOKUP_BIN, "--quiet", "--json", found_number}, g.env(), "", std::chrono::seconds{60});
        INFO(st.outputs << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
        CHECK(r.exit_code == st.exit);
        boost::system::error_code ec;
        auto v = bj::parse(r.out, ec);
        REQUIRE_FALSE(ec);
        CHECK(v.at("status") == st.status.c_str());
        if (st.status == "error") {
            CHECK(v.at("error").at("kind") == "mapping");
            CHECK(v.at("error").at("path") == R"(outputData["Flow.Found"])");
        } else {
            CHECK(v.at("outputs").at("Found") == (st.status == "found"));
        }
    }
}

namespace {
struct fault_case {
    std::string spec;
    std::vector<std::string> extra_args;
    int expect_exit;
};

void run_fault_cases(const std::vector<fault_case>& faults) {
    for (const auto& fc : faults) {
        forbidden f;
        e2e::sim_process sim({"--faults", fc.spec});
        token_proxy proxy(sim.url, f);
        f.add_credentials(sim.demo.at("client_id"), sim.demo.at("client_secret"));
        std::vector<std::string> args = fc.extra_args;
        args.push_back(found_number);
        run_cli_cases({{"faults " + fc.spec, args, {}, "", fc.expect_exit, {found_number}}}, sim, proxy.url(), f);
    }
}
}  // namespace

TEST_CASE("hygiene: gcx-lookup under gcx-sim faults on launches and token requests") {
    run_fault_cases({
        {"502=1,on=launch", {}, 4},
        {"504=1,on=launch", {}, 4},
        // gcx-lookup waits out 429s without charging --timeout (30 of them per request): a ceiling
        // of 0 makes the first one end the batch (retry_ceiling).
        {"429=1,on=launch", {"--max-retry-after", "0"}, 4},
        {"drop=1,on=launch", {}, 4},
        {"malformed=1,on=launch", {}, 4},
        {"502=1,on=token", {"--timeout", "3"}, 4},
        {"malformed=1,on=token", {"--timeout", "3"}, 4},
    });
}

TEST_CASE("hygiene: gcx-lookup under gcx-sim faults on polls") {
    run_fault_cases({
        {"503=1,on=poll", {"--timeout", "3"}, 4},
        {"drop=1,on=poll", {"--timeout", "3"}, 4},
        {"malformed=1,on=poll", {"--timeout", "3"}, 4},
        {"slow=1,slow_ms=3000,on=poll", {"--timeout", "1"}, 4},
    });
}

TEST_CASE("hygiene: gcx-lookup, a faulted batch at concurrency 4") {
    forbidden f;
    e2e::sim_process sim(
        {"--faults", "429=0.1,502=0.1,503=0.1,drop=0.1,malformed=0.1,slow=0.05,slow_ms=2500,token=1", "--seed", "5"});
    token_proxy proxy(sim.url, f);
    f.add_credentials(sim.demo.at("client_id"), sim.demo.at("client_secret"));
    std::string input;
    std::vector<std::string> numbers;
    for (int i = 0; i < 24; ++i) {
        char n[32];
        std::snprintf(n, sizeof n, "%s%04d", i % 2 ? "+1317555" : "+1415555", 100 + i);
        numbers.push_back(n);
        input += std::string(n) + "\n";
    }
    // --rate 0: no pacing. Each 429 still pauses the whole batch for its Retry-After, but with
    // pacing on every 429 also halves the pace, and the 7 or so here slowed 24 lookups to 30 s
    // per run; the pace changes when requests go out, not what gcx-lookup prints.
    run_cli_cases({{"faulted batch", {"--concurrency", "4", "--timeout", "2", "--rate", "0"}, {}, input, -1, numbers}},
                  sim, proxy.url(), f);
}

TEST_CASE("hygiene: basic_client errors never carry what a hostile server echoes back") {
    using namespace fakes;
    forbidden f;
    f.add_credentials(client_id, client_secret);
    f.add(access_token);
    const std::string basic = gcx::detail::base64(client_id + ":" + client_secret);
    // What the server saw: the login server gets the Basic credential (never a token), the API
    // gets the bearer token; both get the number (in the launch body or the lookup query).
    const std::string echo =
        "token " + access_token + " basic " + basic + " secret " + client_secret + " number " + phone;
    const std::string login_echo = "basic " + basic + " secret " + client_secret + " number " + phone;
    auto echo_body = [&](int st) {
        return respond(st,
                       R"({"message":")" + echo + R"(","code":")" + echo + R"(","status":)" + std::to_string(st) +
                           R"(,"contextId":")" + echo + R"(","messageWithParams":")" + echo +
                           R"(","messageParams":{"p":")" + echo + R"("}})",
                       {{"ININ-Correlation-Id", echo}, {"Retry-After", "99999"}});
    };
    auto oauth_echo = [&](int st) {
        return respond(st,
                       R"({"error":")" + login_echo + R"(","description":")" + login_echo +
                           R"(","error_description":")" + login_echo + R"(","message":")" + login_echo + R"("})",
                       {{"ININ-Correlation-Id", login_echo}});
    };
    std::vector<std::string> texts;
    auto run = [&](std::vector<answer> script, gcx::client_config c = config()) {
        auto cl = make_client(std::move(c));
        for (auto& a : script) cl.transport().then(classify_any, std::move(a));
        cl.transport().set_fallback([&](const gcx::http::request& rq) {
            return fakes::classify(rq) == endpoint::token ? oauth_echo(500) : echo_body(500);
        });
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        texts.push_back(error_texts(r.error()));
        auto d = cl.find_contacts(phone);
        if (!d) texts.push_back(error_texts(d.error()));
    };
    for (int st : {400, 401, 403, 404, 429, 500, 502, 503, 504}) run({oauth_echo(st)});
    run({respond(200, "{\"access_token\":\"" + access_token + "\",\"token_type\":\"mac\"}")});
    for (int st : {400, 401, 403, 404, 409, 415, 422, 429, 500, 502, 503, 504}) {
        run({token_ok(), echo_body(st), token_ok(), echo_body(st)});              // launch
        run({token_ok(), launched(), echo_body(st), token_ok(), echo_body(st)});  // poll
    }
    run({token_ok(), respond(200, "{\"notid\":\"" + echo + "\"")});  // truncated launch
    run({token_ok(), launched(),
         status("FAILED", R"(,"completionReason":")" + echo + R"(","flowErrorInfo":{"message":")" + echo +
                              R"(","code":")" + echo + R"(","contextId":")" + echo + R"("})")});
    run({token_ok(), launched(), status("TERMINATED")});
    run({token_ok(), transport_failure(gcx::delivery::maybe, "reset " + echo)});
    gcx::client_config slow = config();
    slow.lookup_timeout = gcx::milliseconds{1000};
    run({token_ok(), launched()}, slow);  // polls answered 500 until the deadline
    // Mapping errors quote paths and kinds, never values.
    {
        auto cl = make_client();
        cl.transport()
            .then(classify_any, token_ok())
            .then(classify_any, launched())
            .then(classify_any,
                  completed(R"({"Flow.Found":")" + echo + R"(","Flow.CustomerProfile":"{\")" + access_token +
                            R"(")"
                            R"(,"Flow.MatchCount":")" +
                            phone + R"("})"));
        auto r = cl.lookup<gcx::customer_lookup>(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == gcx::errc::mapping);
        texts.push_back(error_texts(r.error()));
    }
    for (const auto& t : texts) {
        INFO(t);
        CHECK(f.find_in(t) == "");
        CHECK(t.find(phone) == std::string::npos);
    }
    CHECK(texts.size() > 50);
}

TEST_CASE("hygiene: a secret or number cut in two by the length limit on server messages is still scrubbed") {
    // gcx keeps 300 characters of a server's message and appends "..."; an echoed secret that
    // straddles the cut must not leave its first characters behind.
    using namespace fakes;
    const std::string basic = gcx::detail::base64(client_id + ":" + client_secret);
    for (const std::string& needle : {access_token, client_secret, basic, phone}) {
        for (std::size_t kept = 1; kept < needle.size(); ++kept) {
            const std::string pad(300 - kept, 'x');  // the cut falls after `kept` characters of needle
            const std::string body = R"({"message":")" + pad + needle + R"( and more","code":"bad.request"})";
            auto cl = make_client();
            cl.transport().then(classify_any, token_ok());
            if (needle == basic || needle == client_secret) {
                // The login server is the one that saw these.
                cl = make_client();
                cl.transport().then(classify_any, respond(401, R"({"error":"invalid_client","error_description":")" +
                                                                   pad + needle + R"( and more"})"));
            } else {
                cl.transport().then(classify_any, respond(400, body));
            }
            auto r = cl.lookup(phone);
            REQUIRE_FALSE(r);
            const std::string t = error_texts(r.error());
            INFO("kept " << kept << " of " << needle << ": " << t);
            CHECK(t.find("...") != std::string::npos);  // the message was cut
            if (kept >= 4) CHECK(t.find(needle.substr(0, kept) + "...") == std::string::npos);
            CHECK(t.find(needle) == std::string::npos);
        }
    }
}

TEST_CASE("hygiene: basic_client against gcx-sim, every error path and fault kind, tokens from the wire") {
    std::vector<std::string> texts;
    forbidden f;
    auto lookups = [&](gcx_sim::options so, auto&& adjust, int n = 1) {
        const auto t0 = std::chrono::steady_clock::now();
        gcx_sim::simulator sim(so);
        REQUIRE(sim.start());
        f.add_credentials(sim.demo().client_id, sim.demo().client_secret);
        f.add_credentials(sim.demo().no_launch_client_id, sim.demo().no_launch_client_secret);
        gcx::client_config c = sim_config(sim);
        adjust(c, sim);
        f.add_credentials(c.client_id, c.client_secret.reveal());
        auto cl = gcx::basic_client<token_recording_transport, gcx::json::boost_json>::create(
                      c, token_recording_transport{{}, &f})
                      .value();
        int errors = 0;  // lookups and direct lookups that failed
        for (int i = 0; i < n; ++i) {
            auto r = cl.lookup(i % 2 ? unknown_number : found_number);
            if (!r) {
                ++errors;
                texts.push_back(error_texts(r.error()));
            }
            auto d = cl.find_contacts(found_number);
            if (!d) {
                ++errors;
                texts.push_back(error_texts(d.error()));
            }
        }
        if (std::getenv("GCX_HYGIENE_TIMES"))
            std::fprintf(stderr, "%6lld ms  basic_client, faults \"%s\", %d lookup(s), %d error(s)\n",
                         static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    std::chrono::steady_clock::now() - t0)
                                                    .count()),
                         so.faults.c_str(), n, errors);
        return errors;
    };
    auto none = [](gcx::client_config&, const gcx_sim::simulator&) {};
    gcx_sim::options base;
    base.run_time = std::chrono::milliseconds{20};
    CHECK(lookups(base, [](gcx::client_config& c, const gcx_sim::simulator&) {
              c.client_secret = gcx::secret(wrong_secret);
          }) == 2);
    CHECK(lookups(base, [](gcx::client_config& c, const gcx_sim::simulator& s) {
              c.client_id = s.demo().no_launch_client_id;
              c.client_secret = gcx::secret(s.demo().no_launch_client_secret);
          }) >= 1);
    for (auto flow : {&gcx_sim::demo_config::failing_flow_id, &gcx_sim::demo_config::unpublished_flow_id,
                      &gcx_sim::demo_config::inboundcall_flow_id})
        CHECK(lookups(base,
                      [flow](gcx::client_config& c, const gcx_sim::simulator& s) { c.flow_id = s.demo().*flow; }) >= 1);
    CHECK(lookups(base, [](gcx::client_config& c, const gcx_sim::simulator&) {
              c.flow_id = "00000000-0000-4000-8000-000000000000";
          }) >= 1);
    CHECK(lookups(base, [](gcx::client_config& c, const gcx_sim::simulator&) { c.input_variable = "Flow.Number"; }) >=
          1);
    // The per-token rate limit (429 from the simulator itself, Retry-After up to a minute). The
    // 429 pauses the whole client until its Retry-After; the lookups after it would wait out that
    // pause (up to 60 s) and then succeed, which adds no error text: they give up at once instead
    // (a pause past the retry ceiling and the queue timeout fails as the 429 itself would).
    gcx_sim::options limited = base;
    limited.rate_limit_per_minute = 3;
    CHECK(lookups(
              limited,
              [](gcx::client_config& c, const gcx_sim::simulator&) {
                  c.retry.retry_after_ceiling = std::chrono::seconds{30};
                  c.budget.queue_timeout = gcx::milliseconds{1000};
              },
              3) >= 1);
    for (const char* spec :
         {"502=1,on=launch", "504=1,on=launch", "503=1,on=poll", "429=1,on=launch", "drop=1,on=launch",
          "drop=1,on=poll", "malformed=1,on=launch", "malformed=1,on=poll", "slow=1,slow_ms=3500,on=poll",
          "502=1,on=token", "drop=1,on=token", "malformed=1,on=token", "503=1,on=lookup", "drop=1,on=lookup"}) {
        gcx_sim::options so = base;
        so.faults = spec;
        INFO(spec);
        CHECK(lookups(so, none) >= 1);
    }
    for (const auto& t : texts) {
        INFO(t);
        CHECK(f.find_in(t) == "");
        CHECK(t.find(found_number) == std::string::npos);
        CHECK(t.find(unknown_number) == std::string::npos);
    }
    CHECK(texts.size() >= 20);
}
