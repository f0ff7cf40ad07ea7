// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "sim_test_support.hpp"

using namespace sim_test;

TEST_CASE("limits: per-token rate limit answers 429 with Retry-After", "[sim][limits]") {
  auto o = quick_options();
  o.rate_limit_per_minute = 3;
  running_sim s(o);
  auto c = s.client();
  const std::string token = full_token(s, c);
  for (int i = 0; i < 3; ++i) CHECK(poll(c, token, "x")->status == 404);

  auto r = poll(c, token, "x");
  const json err = require_error(r, 429, "too.many.requests.retry.after");
  const std::string retry_after = r->get_header_value("Retry-After");
  REQUIRE(!retry_after.empty());
  const int seconds = std::stoi(retry_after);
  CHECK(seconds >= 1);
  CHECK(seconds <= 60);
  CHECK(err.at("message") ==
        "Rate limit exceeded the maximum. Retry the request in [" + retry_after + "] seconds");
  CHECK(s.sim.snapshot().rate_limited == 1);

  // The budget is per token.
  const std::string other = full_token(s, c);
  CHECK(poll(c, other, "x")->status == 404);
}

TEST_CASE("limits: token creation rate limit answers 400 invalid_request", "[sim][limits]") {
  auto o = quick_options();
  o.token_rate_limit_per_minute = 2;
  running_sim s(o);
  auto c = s.client();
  const auto& demo = s.sim.demo();
  full_token(s, c);
  full_token(s, c);
  auto r = request_token(c, demo.client_id, demo.client_secret);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(json::parse(r->body) == json{{"error", "invalid_request"},
                                     {"description", "rate limit exceeded; retry later"},
                                     {"error_description", "rate limit exceeded; retry later"}});
  const auto st = s.sim.snapshot();
  CHECK(st.tokens_issued == 2);
  CHECK(st.token_rate_limited == 1);
  CHECK(st.token_failures == 1);
  // The limit is per client.
  CHECK(request_token(c, demo.no_launch_client_id, demo.no_launch_client_secret)->status == 200);
}

TEST_CASE("limits: start() rejects bad options", "[sim][limits]") {
  auto o = quick_options();
  o.contact_count = 10001;
  gcx_sim::simulator a(o);
  CHECK_FALSE(a.start());
  o = quick_options();
  o.faults = "503=2";
  gcx_sim::simulator b(o);
  CHECK_FALSE(b.start());
  CHECK(b.last_error().find("503") != std::string::npos);
}
