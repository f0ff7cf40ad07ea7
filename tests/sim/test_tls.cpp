// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// gcx-sim over HTTPS (options::tls_cert_file / tls_key_file), as Genesys Cloud is reached.
#include "sim_test_support.hpp"
#include "test_pki.hpp"

using namespace sim_test;

namespace {

gcx_sim::options tls_options() {
    gcx_sim::options o = quick_options();
    const auto& pki = gcx_test::test_pki::instance();
    o.tls_cert_file = pki.server_cert;
    o.tls_key_file = pki.server_key;
    return o;
}

}  // namespace

TEST_CASE("tls: with a certificate the simulator serves a whole lookup over https, one connection", "[sim][tls]") {
    running_sim s(tls_options());
    REQUIRE(s.sim.base_url().rfind("https://127.0.0.1:", 0) == 0);
    httplib::Client c(s.sim.base_url());
    c.set_ca_cert_path(gcx_test::test_pki::instance().ca_cert.c_str());
    c.enable_server_certificate_verification(true);
    c.set_read_timeout(10, 0);
    c.set_tcp_nodelay(true);
    c.set_keep_alive(true);

    const std::string token = full_token(s, c);
    auto launched =
        launch(c, token, launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::found_number(123), "tls-1"));
    REQUIRE(launched);
    REQUIRE(launched->status == 200);
    const json done = wait_until_done(c, token, json::parse(launched->body).at("id").get<std::string>());
    CHECK(done.at("status") == "COMPLETED");
    CHECK(done.at("outputData").at("Flow.Found") == true);

    const auto st = s.sim.snapshot();
    CHECK(st.tokens_issued == 1);
    CHECK(st.launches == 1);
    CHECK(st.connections_accepted == 1);  // keep-alive over TLS
}

TEST_CASE("tls: a client that does not trust the certificate's CA gets no answer", "[sim][tls]") {
    running_sim s(tls_options());
    httplib::Client c(s.sim.base_url());
    c.enable_server_certificate_verification(true);  // system store: the throw-away CA is not in it
    c.set_read_timeout(10, 0);
    auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
    CHECK_FALSE(r);
    CHECK(s.sim.snapshot().token_requests == 0);
}

TEST_CASE("tls: a plain-http request to the https port is not served", "[sim][tls]") {
    running_sim s(tls_options());
    httplib::Client c("http://127.0.0.1:" + std::to_string(s.sim.port()));
    c.set_read_timeout(5, 0);
    auto r = c.Get("/sim/stats");
    CHECK((!r || r->status != 200));
    CHECK(s.sim.snapshot().requests_total == 0);
}

TEST_CASE("tls: a certificate without its key, or an unreadable one, fails start() with a reason", "[sim][tls]") {
    gcx_sim::options only_cert = quick_options();
    only_cert.tls_cert_file = gcx_test::test_pki::instance().server_cert;
    gcx_sim::simulator a(only_cert);
    CHECK_FALSE(a.start());
    CHECK(a.last_error().find("tls_key_file") != std::string::npos);

    gcx_sim::options missing = quick_options();
    missing.tls_cert_file = "/nonexistent/gcx-sim.pem";
    missing.tls_key_file = "/nonexistent/gcx-sim.key";
    gcx_sim::simulator b(missing);
    CHECK_FALSE(b.start());
    CHECK(b.last_error().find("TLS certificate") != std::string::npos);
    CHECK(b.port() == 0);
}
