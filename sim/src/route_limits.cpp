// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// GET /api/v2/organizations/limits/namespaces[/{namespace}]: the organisation's limits, as the
// simulator is configured. Any live token may read them (no permission needed).
#include "errors.hpp"
#include "simulator_impl.hpp"

namespace gcx_sim {

using detail::json;

namespace {

constexpr const char* platform_api = "platform.api";

json limit(const char* key, const char* ns, std::uint64_t value) {
  return json{{"key", key}, {"namespace", ns}, {"value", value}};
}

std::uint64_t non_negative(int n) { return n < 0 ? 0 : static_cast<std::uint64_t>(n); }

}  // namespace

void simulator::impl::handle_limits(const httplib::Request& req, httplib::Response& res,
                                    const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_none)) return;
  const std::string ns = req.matches[1];
  if (ns != platform_api) {
    return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  }
  // The platform's key for the per-token limit; the org-wide and daily limits have no documented
  // key, so theirs are invented (and only listed when set). 0 = unlimited in the simulator.
  json entities = json::array();
  entities.push_back(limit("client.credentials.token.rate.per.minute", platform_api,
                           non_negative(opts.rate_limit_per_minute)));
  if (opts.org_rate_limit_per_minute > 0) {
    entities.push_back(limit("org.api.rate.per.minute", platform_api,
                             non_negative(opts.org_rate_limit_per_minute)));
  }
  if (opts.daily_limit > 0) {
    entities.push_back(limit("org.api.requests.per.day", platform_api, opts.daily_limit));
  }
  reply(res, 200, json{{"entities", std::move(entities)}});
}

void simulator::impl::handle_limit_namespaces(const httplib::Request& req, httplib::Response& res,
                                              const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_none)) return;
  json entities = json::array();
  entities.push_back(json{{"name", platform_api}});
  reply(res, 200,
        json{{"entities", std::move(entities)},
             {"pageSize", 25},
             {"pageNumber", 1},
             {"total", 1},
             {"pageCount", 1}});
}

}  // namespace gcx_sim
