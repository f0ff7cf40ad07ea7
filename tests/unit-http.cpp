// include/gcx/http.hpp: URL parsing, header lookup, encoding.
#include <gcx/config.hpp>
#include <gcx/http.hpp>

#include <catch2/catch.hpp>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_http {

TEST_CASE("http: URLs split into scheme, host, port and target") {
    auto u = gcx::http::parse_url("https://api.mypurecloud.com/api/v2/flows/executions?x=1");
    REQUIRE(u);
    CHECK(u->scheme == "https");
    CHECK(u->host == "api.mypurecloud.com");
    CHECK(u->port == 443);
    CHECK(u->target == "/api/v2/flows/executions?x=1");
    auto l = gcx::http::parse_url("http://127.0.0.1:8080");
    REQUIRE(l);
    CHECK(l->port == 8080);
    CHECK(l->target == "/");
    auto v6 = gcx::http::parse_url("http://[::1]:9/x");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == 9);
    auto upper = gcx::http::parse_url("HTTPS://Api.Example.com?q=1");
    REQUIRE(upper);
    CHECK(upper->scheme == "https");
    CHECK(upper->host == "Api.Example.com");
    CHECK(upper->target == "/?q=1");
    auto plain = gcx::http::parse_url("Http://h:80/a?b/c");
    REQUIRE(plain);
    CHECK(plain->scheme == "http");
    CHECK(plain->target == "/a?b/c");
    for (const char* bad : {"api.mypurecloud.com", "ftp://x/", "httpx://x/", "htt://x/", "http://",
                            "http://user:pw@host/", "http://h:0/", "http://h:x/", "http://[::1/"})
        CHECK_FALSE(gcx::http::parse_url(bad));
}

TEST_CASE("http: a host with a character no host name or address has is refused, not read some other way") {
    // "127.0.0.1:1:2" was split at its last colon into host "127.0.0.1:1" and port 2.
    for (const char* bad : {"http://127.0.0.1:1:2", "http://bad host:3128", "http://h\tx/", "http://h\"x/",
                            "https://api.example.com\r:443/", "http://h%2f/", "http://a,b/"}) {
        CAPTURE(bad);
        auto u = gcx::http::parse_url(bad);
        REQUIRE_FALSE(u);
        CHECK(u.error().kind == gcx::errc::config);
    }
    for (const char* good : {"http://my-proxy_1.example.com:3128", "http://[fe80::1%25eth0]:8080", "https://[::1]/",
                             "http://10.0.0.1", "https://a~b.example"}) {
        CAPTURE(good);
        CHECK(gcx::http::parse_url(good));
    }
}

TEST_CASE("http: a refused URL's error never shows the credentials written in it") {
    for (const char* url : {"https://gwuser:S3cr3tGatewayPassw0rd@gateway.corp.example",
                            "https://gwuser:S3cr3tGatewayPassw0rd@gateway.corp.example/api?x=1",
                            "gwuser:S3cr3tGatewayPassw0rd@gateway.corp.example", "ftp://u:S3cr3tGatewayPassw0rd@h/",
                            // a password holding '/', '?' or '#': the authority's end is not where it seems
                            "https://gwuser:S3cr3tGatewayPassw0rd/x@api.example.com/x",
                            "https://gwuser:S3cr3tGatewayPassw0rd?x@api.example.com",
                            "https://gwuser:S3cr3tGatewayPassw0rd#x@api.example.com"}) {
        CAPTURE(url);
        auto r = gcx::http::parse_url(url);
        REQUIRE_FALSE(r);
        CHECK(r.error().describe().find("S3cr3tGatewayPassw0rd") == std::string::npos);
        CHECK(r.error().describe().find("gwuser") == std::string::npos);
        CHECK(r.error().describe().find("[credentials]") != std::string::npos);
    }
    // Through the configuration, as GCX_API_URL reaches it.
    auto e = gcx::endpoints::from_urls("https://gwuser:S3cr3tGatewayPassw0rd@gateway.corp.example");
    REQUIRE_FALSE(e);
    CHECK(e.error().describe().find("S3cr3tGatewayPassw0rd") == std::string::npos);
    // A long URL is cut.
    auto long_one = gcx::http::parse_url("nope" + std::string(500, 'x'));
    REQUIRE_FALSE(long_one);
    CHECK(long_one.error().message.size() < 300);
}

TEST_CASE("http: header names are case-insensitive") {
    gcx::http::response r;
    r.fields = {{"inin-correlation-id", "abc"}, {"Retry-After", "3"}};
    REQUIRE(r.header("ININ-Correlation-Id"));
    CHECK(*r.header("ININ-Correlation-Id") == "abc");
    CHECK(*r.header("retry-after") == "3");
    CHECK(r.header("Content-Type") == nullptr);
}

TEST_CASE("http: loopback hosts") {
    CHECK(gcx::http::is_loopback_host("localhost"));
    CHECK(gcx::http::is_loopback_host("127.0.0.1"));
    CHECK(gcx::http::is_loopback_host("127.1.2.3"));
    CHECK(gcx::http::is_loopback_host("::1"));
    CHECK_FALSE(gcx::http::is_loopback_host("127example.com"));
    CHECK_FALSE(gcx::http::is_loopback_host("127.attacker.example"));
    CHECK_FALSE(gcx::http::is_loopback_host("127.0.0.1.nip.io"));
    CHECK_FALSE(gcx::http::is_loopback_host("10.0.0.1"));
}

TEST_CASE("http: url_encode keeps unreserved characters") {
    CHECK(gcx::http::url_encode("+13175550123") == "%2B13175550123");
    CHECK(gcx::http::url_encode("a-b_c.d~e") == "a-b_c.d~e");
    CHECK(gcx::http::url_encode("a b/c") == "a%20b%2Fc");
}

TEST_CASE("http: only a strict dotted 127.x.y.z is loopback, what a resolver would be asked is not") {
    using gcx::http::is_loopback_host;
    for (const char* yes :
         {"localhost", "LocalHost", "::1", "[::1]", "127.0.0.1", "127.255.255.255", "127.0.0.0", "127.10.200.3"})
        CHECK(is_loopback_host(yes));
    // libcurl and getaddrinfo do not read these as the IPv4 literal they look like: they go to
    // DNS (999 and 4294967295 are no octet), or are read as octal or as a short form.
    for (const char* no : {"127.0.0.999",
                           "127.0.0.4294967295",
                           "127.0.0.256",
                           "127.1",
                           "127.0.1",
                           "127.0.0.01",
                           "0127.0.0.1",
                           "127.00.0.1",
                           "127.0.0.1.",
                           "127.0.0.1.5",
                           "127..0.1",
                           "127.0.0.",
                           ".127.0.0.1",
                           "127.0.0.-1",
                           "127.0.0.1 ",
                           "1270.0.0.1",
                           "2130706433",
                           "0x7f.0.0.1",
                           "128.0.0.1",
                           "localhost.",
                           "localhost.localdomain",
                           "0:0:0:0:0:0:0:1",
                           "[::1",
                           "::ffff:127.0.0.1",
                           ""})
        CHECK_FALSE(is_loopback_host(no));
}
}  // namespace unit_http

TEST_CASE("http: two different Content-Length values conflict, one value repeated does not") {
    using gcx::http::content_length_conflict;
    using gcx::http::headers;
    CHECK_FALSE(content_length_conflict(headers{}));
    CHECK_FALSE(content_length_conflict(headers{{"Content-Length", "7"}}));
    CHECK_FALSE(content_length_conflict(headers{{"Content-Length", "7"}, {"content-length", " 7 "}}));
    CHECK_FALSE(content_length_conflict(headers{{"Content-Length", "7, 7"}}));
    CHECK(content_length_conflict(headers{{"Content-Length", "7"}, {"CONTENT-LENGTH", "3"}}));
    CHECK(content_length_conflict(headers{{"Content-Length", "7, 3"}}));
    CHECK(content_length_conflict(headers{{"Content-Length", "7"}, {"X-Other", "3"}, {"Content-Length", "07"}}));
}
