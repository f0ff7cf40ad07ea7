// gcx-lookup through an HTTP proxy (tests/e2e/test_proxy.hpp, on loopback) to gcx-sim: --proxy,
// the environment variables, what bypasses the proxy, and a dead proxy.
#include "sim_process.hpp"
#include "test_pki.hpp"
#include "test_proxy.hpp"

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

using e2e::run;
using e2e::sim_process;
using e2e::test_proxy;

namespace {
const std::string found = "+13175550123";
const std::string unknown = "+14155550000";
const char* const transports[] = {"curl", "curl-threads", "httplib"};

e2e::run_result lookup(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                       const std::string& input = {}) {
    std::vector<std::string> a{GCX_LOOKUP_BIN};
    a.insert(a.end(), args.begin(), args.end());
    return run(a, env, input, std::chrono::seconds{60});
}

sim_process tls_sim() {
    const auto& pki = gcx_test::test_pki::instance();
    return sim_process({"--rate-limit", "0", "--tls-cert", pki.server_cert, "--tls-key", pki.server_key}, pki.ca_cert);
}

/// The port of an https://127.0.0.1:PORT URL.
std::string port_of(const std::string& url) { return url.substr(url.rfind(':') + 1); }

/// A loopback port nothing listens on (bound, then closed).
int dead_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool any_starts_with(const std::vector<std::string>& lines, const std::string& prefix) {
    for (const auto& l : lines)
        if (l.rfind(prefix, 0) == 0) return true;
    return false;
}

std::string input_of(int n) {
    std::string in;
    for (int i = 0; i < n; ++i) in += (i % 2 ? unknown : found) + "\n";
    return in;
}
}  // namespace

TEST_CASE("e2e proxy: --proxy sends plain http through the proxy (absolute form), on every transport") {
    sim_process sim({"--rate-limit", "0"});
    for (const char* transport : transports) {
        INFO(transport);
        test_proxy proxy;
        auto r = lookup(
            {"--json", "--transport", transport, "--concurrency", "2", "--poll-ms", "20", "--proxy", proxy.url()},
            sim.env(), input_of(4));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 1);  // half found, half not: no error
        CHECK(r.out.find("\"status\":\"found\"") != std::string::npos);
        CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
        // Every request went through the proxy: the token, the launches and the polls.
        const auto seen = proxy.requests();
        CHECK(any_starts_with(seen, "POST " + sim.url + "/oauth/token"));
        CHECK(any_starts_with(seen, "POST " + sim.url + "/api/v2/flows/executions"));
        CHECK(proxy.forwarded() == static_cast<int>(seen.size()));
        CHECK(proxy.forwarded() >= 1 + 4 + 4);
    }
    CHECK(sim.stat("launches") == 12);
}

TEST_CASE("e2e proxy: https_proxy / HTTPS_PROXY take https through the proxy with CONNECT, on every transport") {
    sim_process sim = tls_sim();
    const std::string ca = gcx_test::test_pki::instance().ca_cert;
    // gcx-sim.test resolves only in the proxy: the lookups can only succeed through it.
    const std::string api = "https://gcx-sim.test:" + port_of(sim.url);
    for (const char* var : {"https_proxy", "HTTPS_PROXY"}) {
        for (const char* transport : {"curl", "curl-threads"}) {  // httplib: the next test
            INFO(var << " " << transport);
            test_proxy proxy("gcx-sim.test");
            auto env = sim.env();
            env["GCX_API_URL"] = api;
            env[var] = proxy.url();
            env["http_proxy"] = "http://127.0.0.1:" + std::to_string(dead_port());  // not for https
            auto r =
                lookup({"--json", "--transport", transport, "--concurrency", "2", "--poll-ms", "20", "--ca-file", ca},
                       env, input_of(4));
            INFO(r.out << r.err);
            CHECK(r.exit_code == 1);
            CHECK(r.out.find("\"status\":\"found\"") != std::string::npos);
            CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
            CHECK(proxy.tunnels() >= 1);
            CHECK(proxy.forwarded() == 0);
            for (const auto& l : proxy.requests()) CHECK(l == "CONNECT gcx-sim.test:" + port_of(sim.url));
        }
    }
}

TEST_CASE("e2e proxy: --transport httplib refuses https through a proxy before any request, and never hangs") {
    sim_process sim = tls_sim();
    const std::string ca = gcx_test::test_pki::instance().ca_cert;
    test_proxy proxy("gcx-sim.test");
    auto env = sim.env();
    env["GCX_API_URL"] = "https://gcx-sim.test:" + port_of(sim.url);
    env["https_proxy"] = proxy.url();
    auto r = lookup({"--transport", "httplib", "--ca-file", ca, found}, env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--transport curl") != std::string::npos);
    CHECK(proxy.requests().empty());
    // no_proxy naming the host: direct, allowed (and the host does not resolve without the proxy)
    env["no_proxy"] = "gcx-sim.test";
    auto d = lookup({"--transport", "httplib", "--ca-file", ca, "--timeout", "2", found}, env);
    CHECK(d.exit_code == 4);
    CHECK(d.err.find("--transport curl") == std::string::npos);
}

TEST_CASE("e2e proxy: credentials in the proxy URL go as Proxy-Authorization, and a dead proxy never shows them") {
    sim_process sim = tls_sim();
    const std::string ca = gcx_test::test_pki::instance().ca_cert;
    const std::string password = "Pr0xy-Passw0rd-42";
    for (const char* transport : {"curl", "curl-threads"}) {  // https through a proxy: not httplib
        INFO(transport);
        {
            test_proxy proxy("gcx-sim.test");
            auto env = sim.env();
            env["GCX_API_URL"] = "https://gcx-sim.test:" + port_of(sim.url);
            auto r = lookup(
                {"--transport", transport, "--ca-file", ca, "--proxy", proxy.url_with("alice:" + password), found},
                env);
            INFO(r.out << r.err);
            CHECK(r.exit_code == 0);
            REQUIRE_FALSE(proxy.authorizations().empty());
            // base64("alice:Pr0xy-Passw0rd-42")
            CHECK(proxy.authorizations().front() == "Basic YWxpY2U6UHIweHktUGFzc3cwcmQtNDI=");
            CHECK(r.err.find(password) == std::string::npos);
        }
        // Nothing listens at the proxy's address: a transport error with code "proxy", exit 4,
        // in well under the time limit, and the password nowhere.
        const std::string dead = "http://alice:" + password + "@127.0.0.1:" + std::to_string(dead_port());
        for (bool json : {true, false}) {
            std::vector<std::string> args{"--transport", transport, "--ca-file", ca,   "--timeout",
                                          "3",           "--proxy", dead,        found};
            if (json) args.insert(args.begin(), "--json");
            auto env = sim.env();
            env["GCX_API_URL"] = "https://gcx-sim.test:" + port_of(sim.url);
            auto r = lookup(args, env);
            INFO(r.out << r.err);
            CHECK(r.exit_code == 4);
            if (json) {
                auto j = boost::json::parse(r.out.substr(0, r.out.find('\n'))).as_object();
                CHECK(j.at("error").at("kind") == "transport");
                CHECK(j.at("error").at("code") == "proxy");
            } else {
                CHECK(r.out.find("proxy") != std::string::npos);
            }
            CHECK(r.out.find(password) == std::string::npos);
            CHECK(r.err.find(password) == std::string::npos);
            CHECK(r.out.find("alice") == std::string::npos);
        }
    }
    CHECK(sim.stat("launches") == 2);
}

TEST_CASE("e2e proxy: loopback hosts (and the built-in simulator) bypass environment proxies, not --proxy") {
    const std::string dead = "http://127.0.0.1:" + std::to_string(dead_port());
    SECTION("the built-in simulator with every proxy variable pointing at a dead proxy") {
        auto r = lookup({"--quiet", found}, {{"https_proxy", dead}, {"HTTPS_PROXY", dead}, {"http_proxy", dead}});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
    }
    SECTION("gcx-sim on 127.0.0.1, http and https") {
        sim_process plain({"--rate-limit", "0"});
        sim_process tls = tls_sim();
        for (const sim_process* sim : {&plain, &tls}) {
            test_proxy proxy;
            auto env = sim->env();
            env["https_proxy"] = env["http_proxy"] = proxy.url();
            auto r = lookup({"--ca-file", gcx_test::test_pki::instance().ca_cert, found}, env);
            INFO(r.out << r.err);
            CHECK(r.exit_code == 0);
            CHECK(proxy.requests().empty());
            // --proxy is taken for loopback too.
            auto via =
                lookup({"--ca-file", gcx_test::test_pki::instance().ca_cert, "--proxy", proxy.url(), found}, env);
            INFO(via.out << via.err);
            CHECK(via.exit_code == 0);
            CHECK_FALSE(proxy.requests().empty());
        }
    }
}

TEST_CASE("e2e proxy: --proxy '' and no_proxy / NO_PROXY go direct, on every transport") {
    sim_process sim = tls_sim();
    const std::string ca = gcx_test::test_pki::instance().ca_cert;
    const std::string port = port_of(sim.url);
    for (const char* transport : transports) {
        INFO(transport);
        test_proxy proxy("gcx-sim.test");
        auto env = sim.env();
        env["https_proxy"] = proxy.url();
        env["GCX_API_URL"] = "https://gcx-sim.test:" + port;
        // Direct, gcx-sim.test does not resolve: the proxy was not used.
        auto direct_fails = [&](std::vector<std::string> extra, const std::map<std::string, std::string>& more) {
            std::vector<std::string> args{"--json", "--transport", transport, "--ca-file", ca, "--timeout", "1"};
            args.insert(args.end(), extra.begin(), extra.end());
            args.push_back(found);
            auto e = env;
            for (const auto& [k, v] : more) e[k] = v;
            auto r = lookup(args, e);
            INFO(r.out << r.err);
            CHECK(r.exit_code == 4);
            // (libcurl says resolve; httplib 0.11 says connect when the name does not resolve; on
            // a loaded machine the last retry may run out of time: timeout, or deadline when the
            // 1 s lookup deadline passes between retries, seen once with ctest -j4 beside three
            // other builds) - never the proxy.
            CHECK((r.out.find("\"code\":\"resolve\"") != std::string::npos ||
                   r.out.find("\"code\":\"connect\"") != std::string::npos ||
                   r.out.find("\"code\":\"timeout\"") != std::string::npos ||
                   r.out.find("\"code\":\"deadline\"") != std::string::npos));
            CHECK(r.out.find("\"code\":\"proxy\"") == std::string::npos);
            CHECK(proxy.requests().empty());
        };
        direct_fails({"--proxy", ""}, {});
        direct_fails({"--proxy="}, {});
        direct_fails({}, {{"no_proxy", "example.com, gcx-sim.test"}});
        direct_fails({}, {{"NO_PROXY", ".test"}});
        direct_fails({}, {{"no_proxy", "*"}});
        direct_fails({"--proxy", proxy.url()}, {{"NO_PROXY", "GCX-SIM.TEST"}});  // the flag still honours it, as curl

        // And with a near miss in no_proxy, the proxy is used.
        auto r = lookup({"--transport", transport, "--ca-file", ca, found}, [&] {
            auto e = env;
            e["no_proxy"] = "sim.test,other-gcx-sim.test,127.0.0.1";
            return e;
        }());
        INFO(r.out << r.err);
        if (std::string(transport) == "httplib") {  // https through a proxy: refused up front
            CHECK(r.exit_code == 2);
            CHECK(proxy.requests().empty());
        } else {
            CHECK(r.exit_code == 0);
            CHECK(proxy.tunnels() >= 1);
        }
    }
    // NO_PROXY with --proxy and a reachable loopback sim: answered directly.
    test_proxy proxy;
    auto env = sim.env();
    env["NO_PROXY"] = "127.0.0.1";
    auto r = lookup({"--ca-file", ca, "--proxy", proxy.url(), found}, env);
    CHECK(r.exit_code == 0);
    CHECK(proxy.requests().empty());
}

TEST_CASE("e2e proxy: an unusable proxy URL is a usage error that does not print it") {
    auto r = lookup({"--proxy", "socks5://bob:Secret-Socks-1@proxy:1080", found}, {});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--proxy") != std::string::npos);
    CHECK(r.err.find("Secret-Socks-1") == std::string::npos);
    sim_process sim = tls_sim();
    auto env = sim.env();
    env["GCX_API_URL"] = "https://gcx-sim.test:" + port_of(sim.url);
    env["https_proxy"] = "socks5://bob:Secret-Socks-1@proxy:1080";
    r = lookup({found}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("https_proxy") != std::string::npos);
    CHECK(r.err.find("Secret-Socks-1") == std::string::npos);
}
