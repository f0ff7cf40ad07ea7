// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include <atomic>
#include <set>
#include <vector>

#include "sim_test_support.hpp"

using namespace sim_test;

TEST_CASE("stats: counters follow the traffic and /sim/reset zeroes them", "[sim][stats]") {
  running_sim s;
  auto c = s.client();
  const std::string token = full_token(s, c);
  auto r = launch(c, token, launch_body(s.sim.demo().lookup_flow_id, "+13175550123", "one"));
  const std::string id = json::parse(r->body).at("id");
  wait_until_done(c, token, id);
  c.Get("/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B13175550123", bearer(token));

  const gcx_sim::stats st = s.sim.snapshot();
  CHECK(st.token_requests == 1);
  CHECK(st.tokens_issued == 1);
  CHECK(st.launch_requests == 1);
  CHECK(st.launches == 1);
  CHECK(st.duplicate_launches == 0);
  CHECK(st.polls >= 2);
  CHECK(st.direct_lookups == 1);
  CHECK(st.requests_total == 3 + st.polls);
  // httplib::Client without keep-alive opens one connection per request.
  CHECK(st.connections_accepted == st.requests_total);

  // /sim/stats is the same record, by the same names, and is itself not counted.
  const json body = body_of(c.Get("/sim/stats"));
  CHECK(body.at("launches") == 1);
  CHECK(body.at("polls") == st.polls);
  CHECK(body.at("requests_total") == st.requests_total);
  for (const char* key :
       {"tokens_issued", "token_requests", "token_failures", "token_rate_limited",
        "launch_requests", "duplicate_launches", "direct_lookups", "connections_accepted",
        "unauthorized", "forbidden", "rate_limited", "faults_injected", "faults_429", "faults_502",
        "faults_503", "faults_504", "faults_drop", "faults_slow", "faults_malformed"}) {
    INFO(key);
    CHECK(body.at(key).is_number_unsigned());
  }
  CHECK(s.sim.snapshot().requests_total == st.requests_total);

  auto reset = c.Post("/sim/reset", "", "application/json");
  REQUIRE(reset);
  CHECK(reset->status == 204);
  CHECK(s.sim.snapshot().launches == 0);
  CHECK(body_of(c.Get("/sim/stats")).at("requests_total") == 0);
}

TEST_CASE("stats: the same launch body twice is a duplicate", "[sim][stats]") {
  running_sim s;
  auto c = s.client();
  const std::string token = full_token(s, c);
  const auto& flow = s.sim.demo().lookup_flow_id;
  launch(c, token, launch_body(flow, "+13175550123", "a"));
  launch(c, token, launch_body(flow, "+13175550123", "b"));
  CHECK(s.sim.snapshot().duplicate_launches == 0);
  // Same meaning, different bytes: still the same launch.
  launch(c, token,
         json::parse(R"({"inputData":{"Flow.PhoneNumber":"+13175550123"},
                                   "name":"a", "flowId":")" +
                     flow + "\"}"));
  CHECK(s.sim.snapshot().duplicate_launches == 1);
  CHECK(s.sim.snapshot().launches == 3);
}

TEST_CASE("stats: every response has a fresh correlation id", "[sim][stats]") {
  running_sim s;
  auto c = s.client();
  std::set<std::string> ids;
  auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
  ids.insert(r->get_header_value("ININ-Correlation-Id"));
  const std::string token = json::parse(r->body).at("access_token");
  r = poll(c, token, "x");
  require_error(r, 404, "not.found");
  ids.insert(r->get_header_value("ININ-Correlation-Id"));
  // A path that has no route gets an ErrorBody too.
  r = c.Get("/api/v2/nothing/here", bearer(token));
  require_error(r, 404, "not.found");
  ids.insert(r->get_header_value("ININ-Correlation-Id"));
  r = c.Get("/sim/stats");
  ids.insert(r->get_header_value("ININ-Correlation-Id"));
  CHECK(ids.size() == 4);
  CHECK(ids.count("") == 0);
}

TEST_CASE("stats: 16 concurrent keep-alive clients are served, one connection each",
          "[sim][stats]") {
  auto o = quick_options();
  o.threads = 24;
  running_sim s(o);
  constexpr int clients = 16;
  constexpr int requests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&s, &ok, t] {
      auto c = s.client();
      c.set_keep_alive(true);
      auto r = request_token(c, s.sim.demo().client_id, s.sim.demo().client_secret);
      if (!r || r->status != 200) return;
      const std::string token = json::parse(r->body).at("access_token");
      r = launch(c, token,
                 launch_body(s.sim.demo().lookup_flow_id, gcx_sim::simulator::found_number(t),
                             "c-" + std::to_string(t)));
      if (!r || r->status != 200) return;
      const std::string id = json::parse(r->body).at("id");
      for (int i = 0; i < requests; ++i) {
        r = poll(c, token, id);
        if (!r || r->status != 200) return;
      }
      ok += 1;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == clients);
  const auto st = s.sim.snapshot();
  CHECK(st.connections_accepted == static_cast<std::uint64_t>(clients));
  CHECK(st.requests_total == static_cast<std::uint64_t>(clients * (2 + requests)));
  CHECK(st.launches == static_cast<std::uint64_t>(clients));
}
