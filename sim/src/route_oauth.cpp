// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// POST /oauth/token: the client-credentials grant (docs section 2, 9.1).
#include "base64.hpp"
#include "errors.hpp"
#include "simulator_impl.hpp"
#include "text.hpp"

namespace gcx_sim {

void simulator::impl::handle_token(const httplib::Request& req, httplib::Response& res,
                                   const std::string&) {
  // OAuth errors keep the OAuth shape, not ErrorBody.
  auto fail = [&](int status, const char* oauth_code, const char* description) {
    ++counters.token_failures;
    reply(res, status, detail::oauth_error(oauth_code, description));
  };

  // The client authenticates first; only then is the grant looked at.
  std::string id;
  std::string secret;
  const detail::oauth_client* client = nullptr;
  if (detail::basic_credentials(req.get_header_value("Authorization"), id, secret)) {
    client = detail::find_client(id);
    if (client != nullptr && client->secret != secret) client = nullptr;
  }
  // cpp-httplib puts the fields of an application/x-www-form-urlencoded body into params.
  const std::string grant = req.has_param("grant_type") ? req.get_param_value("grant_type") : "";

  std::lock_guard<std::mutex> lock(mu);
  if (client == nullptr) return fail(401, "invalid_client", "authentication failed");
  if (grant.empty()) return fail(400, "invalid_request", "missing grant_type");
  if (grant != "client_credentials") {
    return fail(400, "unsupported_grant_type", "unsupported grant type");
  }
  const auto now = std::chrono::steady_clock::now();
  long retry_after = 0;  // the token endpoint's limit has no Retry-After (docs 2)
  if (!token_limiter.try_acquire(client->id, now, retry_after)) {
    ++counters.token_rate_limited;
    return fail(400, "invalid_request", "rate limit exceeded; retry later");
  }
  const std::string token = tokens.issue(client->id, client->permissions,
                                         std::chrono::seconds(opts.token_ttl_seconds), now);
  ++counters.tokens_issued;
  reply(res, 200,
        detail::json{{"access_token", token},
                     {"token_type", "bearer"},
                     {"expires_in", opts.token_ttl_seconds}});
}

}  // namespace gcx_sim
