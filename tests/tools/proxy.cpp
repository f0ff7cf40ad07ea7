// gcx-lookup's proxy rules (tools/gcx-lookup/proxy.hpp): which proxy the API and login URLs get
// from --proxy and the environment (a map here, not the process's).
#include "proxy.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using gcx_lookup::choose_proxy;

namespace {
const std::string api = "https://api.mypurecloud.com", login = "https://login.mypurecloud.com";

struct fake_env {
    std::map<std::string, std::string> vars;
    const char* operator()(const char* name) const {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    }
};

std::optional<gcx_lookup::proxy_choice> choose(const std::optional<std::string>& flag,
                                               std::map<std::string, std::string> env, const std::string& a = api,
                                               const std::string& l = login) {
    std::string error;
    auto c = choose_proxy(flag, a, l, fake_env{std::move(env)}, error);
    INFO(error);
    if (!c) CHECK_FALSE(error.empty());
    return c;
}
}  // namespace

TEST_CASE("proxy rules: https URLs take https_proxy, then HTTPS_PROXY, none: direct") {
    CHECK(choose({}, {})->proxy.empty());
    CHECK(choose({}, {{"https_proxy", "http://p:3128"}})->proxy == "http://p:3128");
    CHECK(choose({}, {{"HTTPS_PROXY", "http://P:1"}})->proxy == "http://P:1");
    CHECK(choose({}, {{"https_proxy", "http://a:1"}, {"HTTPS_PROXY", "http://b:1"}})->proxy == "http://a:1");
    CHECK(choose({}, {{"https_proxy", "p:3128"}})->proxy == "http://p:3128");  // no scheme: http://, as curl
    // http_proxy is for http URLs only, and HTTP_PROXY is never read (httpoxy).
    CHECK(choose({}, {{"http_proxy", "http://h:1"}})->proxy.empty());
    CHECK(choose({}, {{"HTTP_PROXY", "http://h:1"}}, "http://gw.corp", "http://gw.corp")->proxy.empty());
    CHECK(choose({}, {{"http_proxy", "http://h:1"}}, "http://gw.corp", "http://gw.corp")->proxy == "http://h:1");
}

TEST_CASE("proxy rules: --proxy wins over the environment, '' turns proxies off, no_proxy still applies") {
    const std::map<std::string, std::string> env{{"https_proxy", "http://env:1"}, {"no_proxy", "example.com"}};
    auto c = choose(std::string("http://flag:2"), env);
    CHECK(c->proxy == "http://flag:2");
    CHECK(c->no_proxy == "example.com");  // handed to the transport, which applies it per host
    CHECK(choose(std::string(""), env)->proxy.empty());
    // The flag is taken for loopback too.
    CHECK(choose(std::string("http://flag:2"), {}, "http://127.0.0.1:8080", "http://127.0.0.1:8080")->proxy ==
          "http://flag:2");
    CHECK(choose(std::string("http://flag:2"), {{"NO_PROXY", "127.0.0.1"}})->no_proxy == "127.0.0.1");
}

TEST_CASE("proxy rules: loopback hosts and no_proxy / NO_PROXY hosts go direct without --proxy") {
    const std::map<std::string, std::string> p{{"https_proxy", "http://p:1"}, {"http_proxy", "http://p:1"}};
    for (const char* url :
         {"http://127.0.0.1:3000", "https://localhost:3000", "http://[::1]:3000", "http://127.9.9.9"}) {
        INFO(url);
        CHECK(choose({}, p, url, url)->proxy.empty());
    }
    auto with = [&p](const char* name, const char* value) {
        auto e = p;
        e[name] = value;
        return e;
    };
    CHECK(choose({}, with("no_proxy", "mypurecloud.com"))->proxy.empty());
    CHECK(choose({}, with("NO_PROXY", ".mypurecloud.com"))->proxy.empty());
    CHECK(choose({}, with("no_proxy", "*"))->proxy.empty());
    CHECK(choose({}, with("no_proxy", "purecloud.com"))->proxy == "http://p:1");  // not at a dot boundary
}

TEST_CASE("proxy rules: the API and login URLs are decided each on its own host") {
    // login direct, api through the proxy: the transport is told to skip the login host.
    auto c = choose({}, {{"https_proxy", "http://p:1"}, {"no_proxy", "login.mypurecloud.com"}});
    REQUIRE(c);
    CHECK(c->proxy == "http://p:1");
    CHECK(c->no_proxy == "login.mypurecloud.com");
    // A loopback login (a local token service) and a real API.
    c = choose({}, {{"https_proxy", "http://p:1"}}, api, "http://127.0.0.1:9000");
    REQUIRE(c);
    CHECK(c->proxy == "http://p:1");
    CHECK(c->no_proxy == "127.0.0.1");
    // Two schemes, two different proxies: not expressible with one transport, said so.
    std::string error;
    CHECK_FALSE(choose_proxy({}, api, "http://login.corp",
                             fake_env{{{"https_proxy", "http://a:1"}, {"http_proxy", "http://b:1"}}}, error));
    CHECK(error.find("--proxy") != std::string::npos);
}

TEST_CASE("proxy rules: an unusable proxy URL is refused naming its source, never its text") {
    std::string error;
    // URLs libcurl refuses (two ports, a space in the host, a path) are refused here: they used
    // to reach libcurl, whose error quoted them, password and all, on every line and retry.
    for (const char* bad : {"http://user:s3cretpw@127.0.0.1:1:2", "http://user:s3cretpw@bad host:3128",
                            "http://user:s3cretpw@proxy:3128/x y"}) {
        CAPTURE(bad);
        error.clear();
        CHECK_FALSE(choose_proxy(std::string(bad), api, login, fake_env{}, error));
        CHECK(error.find("--proxy") != std::string::npos);
        CHECK(error.find("s3cretpw") == std::string::npos);
    }
    error.clear();
    CHECK_FALSE(choose_proxy(std::string("socks5://u:Pw-123@h:1"), api, login, fake_env{}, error));
    CHECK(error.find("--proxy") != std::string::npos);
    CHECK(error.find("Pw-123") == std::string::npos);
    error.clear();
    CHECK_FALSE(choose_proxy({}, api, login, fake_env{{{"HTTPS_PROXY", "socks5://u:Pw-123@h:1"}}}, error));
    CHECK(error.find("HTTPS_PROXY") != std::string::npos);
    CHECK(error.find("Pw-123") == std::string::npos);
}
