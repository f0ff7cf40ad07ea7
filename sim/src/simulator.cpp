// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The simulator's lifecycle, the HTTP wiring, the request pipeline (faults, auth, rate limit) and
// the /sim/* endpoints. The API routes live in route_*.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <utility>

#include "base64.hpp"
#include "connection_drop.hpp"
#include "counting_thread_pool.hpp"
#include "e164.hpp"
#include "errors.hpp"
#include "ids.hpp"
#include "simulator_impl.hpp"
#include "text.hpp"

namespace gcx_sim {

using detail::endpoint_kind;
using detail::fault;
using detail::json;

namespace {

// Largest request body the platform accepts (request.bytes.max, docs 1.8); larger ones get 413.
constexpr std::size_t max_request_bytes = 512000;

// Pending connections the kernel queues before the accept loop takes them.
constexpr int listen_backlog = 1024;

json clients_json(const std::map<std::string, client_stats>& clients) {
  json out = json::object();
  for (const auto& [id, c] : clients) {
    out[id] = json{{"requests", c.requests},
                   {"token_requests", c.token_requests},
                   {"launch_requests", c.launch_requests},
                   {"polls", c.polls},
                   {"direct_lookups", c.direct_lookups},
                   {"action_requests", c.action_requests},
                   {"other_requests", c.other_requests},
                   {"answered_429", c.answered_429}};
  }
  return out;
}

// Which kind a request is, by method and path alone (as the routes match them).
endpoint_kind kind_of(const httplib::Request& req) {
  const std::string& p = req.path;
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  constexpr const char* executions = "/api/v2/flows/executions";
  if (post && p == "/oauth/token") return endpoint_kind::token;
  if (post && p == executions) return endpoint_kind::launch;
  if (get && p.rfind(std::string(executions) + "/", 0) == 0) {
    const std::size_t id_start = std::char_traits<char>::length(executions) + 1;
    if (p.size() > id_start && p.find('/', id_start) == std::string::npos) {
      return endpoint_kind::poll;
    }
  }
  if ((get && p == "/api/v2/externalcontacts/reversewhitepageslookup") ||
      (post && p == "/api/v2/externalcontacts/identifierlookup/contacts")) {
    return endpoint_kind::lookup;
  }
  constexpr const char* actions = "/api/v2/integrations/actions/";
  constexpr const char* execute = "/execute";
  const std::size_t actions_length = std::char_traits<char>::length(actions);
  const std::size_t execute_length = std::char_traits<char>::length(execute);
  if (post && p.size() > actions_length + execute_length && p.rfind(actions, 0) == 0 &&
      p.compare(p.size() - execute_length, execute_length, execute) == 0 &&
      p.find('/', actions_length) == p.size() - execute_length) {
    return endpoint_kind::action;
  }
  return endpoint_kind::other;
}

json stats_json(const stats& s) {
  return json{{"requests_total", s.requests_total},
              {"connections_accepted", s.connections_accepted},
              {"token_requests", s.token_requests},
              {"tokens_issued", s.tokens_issued},
              {"token_failures", s.token_failures},
              {"token_rate_limited", s.token_rate_limited},
              {"launch_requests", s.launch_requests},
              {"launches", s.launches},
              {"duplicate_launches", s.duplicate_launches},
              {"polls", s.polls},
              {"direct_lookups", s.direct_lookups},
              {"action_requests", s.action_requests},
              {"actions_executed", s.actions_executed},
              {"other_requests", s.other_requests},
              {"unauthorized", s.unauthorized},
              {"forbidden", s.forbidden},
              {"rate_limited", s.rate_limited},
              {"org_rate_limited", s.org_rate_limited},
              {"daily_limited", s.daily_limited},
              {"answered_429", s.answered_429},
              {"faults_injected", s.faults_injected},
              {"faults_429", s.faults_429},
              {"faults_502", s.faults_502},
              {"faults_503", s.faults_503},
              {"faults_504", s.faults_504},
              {"faults_drop", s.faults_drop},
              {"faults_slow", s.faults_slow},
              {"faults_malformed", s.faults_malformed},
              {"clients", clients_json(s.clients)}};
}

// The ErrorBody code for a response cpp-httplib produced itself (no route, bad request line,
// body too large, ...).
const char* code_for_status(int status) {
  switch (status) {
  case 400: return "bad.request";
  case 404: return "not.found";
  case 413: return "request.entity.too.large";
  case 415: return "unsupported.media.type";
  default: return status >= 500 ? "internal.server.error" : "bad.request";
  }
}

const char* message_for_status(int status) {
  switch (status) {
  case 404: return "The requested resource was not found.";
  case 413: return "The request is larger than the maximum allowed size.";
  default:
    return status >= 500 ? "The server encountered an unexpected condition."
                         : "The request could not be understood by the server due to malformed "
                           "syntax.";
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// impl

simulator::impl::impl(options o)
    : opts(std::move(o)),
      api_limiter(static_cast<std::uint64_t>(std::max(opts.rate_limit_per_minute, 0)),
                  std::chrono::minutes(1)),
      org_limiter(static_cast<std::uint64_t>(std::max(opts.org_rate_limit_per_minute, 0)),
                  std::chrono::minutes(1)),
      daily(opts.daily_limit, opts.daily_period), token_limiter(opts.token_rate_limit_per_minute),
      executions(contacts, opts.visibility_lag), run_times(opts.run_time_field, opts.seed),
      action_times(opts.action_time_field, opts.seed ^ 0x616374696f6eULL) {
  demo = detail::demo_org();
  if (!opts.lookup_action_id.empty()) demo.lookup_action_id = opts.lookup_action_id;
  using detail::action_behaviour;
  actions = {{
      {demo.lookup_action_id, "Lookup Contact By Phone", action_behaviour::lookup, false, 10},
      {demo.failing_action_id, "Lookup Contact By Phone (Broken Remote)",
       action_behaviour::remote_fails, false, 10},
      {demo.timeout_action_id, "Lookup Contact By Phone (Slow Remote)",
       action_behaviour::remote_times_out, false, 1},
      {demo.secure_action_id, "Lookup Contact By Phone (Secure)", action_behaviour::lookup, true,
       10},
  }};
}

const detail::data_action* simulator::impl::find_action(const std::string& id) const {
  for (const auto& a : actions) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

void simulator::impl::reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void simulator::impl::reply_error(httplib::Response& res, int status, const std::string& code,
                                  const std::string& message, const std::string& context_id,
                                  json details, json params) {
  reply(
      res, status,
      detail::error_body(status, code, message, context_id, std::move(details), std::move(params)));
}

bool simulator::impl::require_json(const httplib::Request& req, httplib::Response& res,
                                   const std::string& cid) {
  if (detail::starts_with_nocase(req.get_header_value("Content-Type"), "application/json")) {
    return true;
  }
  reply_error(res, 415, "unsupported.media.type",
              "Unsupported Media Type: the request body must be application/json.", cid);
  return false;
}

std::optional<std::string>
simulator::impl::read_phone_input(httplib::Response& res, const std::string& cid, const json* value,
                                  const std::string& name, const std::string& field,
                                  const std::string& not_e164) {
  const auto invalid = [&](const std::string& message) {
    reply_error(res, 400, "invalid.value", message, cid,
                json::array({detail::error_detail("invalid.value", field)}), json::object());
  };
  if (value == nullptr || value->is_null()) {
    invalid("Required input [" + name + "] was not supplied.");
    return std::nullopt;
  }
  if (!value->is_string()) {
    invalid("Value [" + value->dump() + "] is not valid for field type [" + name +
            "]. Allowable values are: string");
    return std::nullopt;
  }
  std::string number = value->get<std::string>();
  if (!detail::is_e164(number)) {
    invalid("Value [" + number + "] " + not_e164);
    return std::nullopt;
  }
  return number;
}

bool simulator::impl::admit(const httplib::Request& req, httplib::Response& res,
                            const std::string& cid, unsigned needed) {
  const std::string authorization = req.get_header_value("Authorization");
  const std::string token = detail::starts_with_nocase(authorization, "Bearer ")
                                ? detail::trim(authorization.substr(7))
                                : std::string();
  std::lock_guard<std::mutex> lock(mu);
  if (token.empty()) {
    ++counters.unauthorized;
    reply_error(res, 401, "authentication.required",
                "No authentication bearer token specified in authorization header.", cid);
    return false;
  }
  const auto now = std::chrono::steady_clock::now();
  const detail::token_grant* grant = tokens.find(token, now);
  if (grant == nullptr) {
    ++counters.unauthorized;
    reply_error(res, 401, "bad.credentials", "Invalid login credentials.", cid);
    return false;
  }
  // The limits, widest first; a refused request counts against none of them.
  long retry_after = 0;
  std::uint64_t stats::*refused_by = nullptr;
  const auto wall_now = std::chrono::system_clock::now();
  constexpr const char* org_key = "org";
  if (!daily.check(wall_now, retry_after)) {
    refused_by = &stats::daily_limited;
  } else if (!org_limiter.check(org_key, now, retry_after)) {
    refused_by = &stats::org_rate_limited;
  } else if (!api_limiter.check(token, now, retry_after)) {
    refused_by = &stats::rate_limited;
  }
  if (refused_by != nullptr) {
    ++(counters.*refused_by);
    count_429(&counters.clients[grant->client_id]);
    res.set_header("Retry-After", std::to_string(retry_after));
    reply_error(res, 429, "too.many.requests.retry.after", detail::rate_limit_message(retry_after),
                cid);
    return false;
  }
  daily.record(wall_now);
  org_limiter.record(org_key, now);
  api_limiter.record(token, now);
  if (needed != detail::perm_none && (grant->permissions & needed) == 0) {
    ++counters.forbidden;
    const std::string list = detail::permission_list(needed);
    reply_error(res, 403, "missing.any.permissions",
                "Unable to perform the requested action. You must have at least one of the "
                "following permissions assigned: " +
                    list,
                cid, json::array(), json{{"permissions", list}});
    return false;
  }
  return true;
}

void simulator::impl::count_fault(fault f) {
  if (f == fault::none) return;
  ++counters.faults_injected;
  switch (f) {
  case fault::status_429: ++counters.faults_429; break;
  case fault::status_502: ++counters.faults_502; break;
  case fault::status_503: ++counters.faults_503; break;
  case fault::status_504:
  case fault::status_504_after: ++counters.faults_504; break;
  case fault::drop: ++counters.faults_drop; break;
  case fault::slow: ++counters.faults_slow; break;
  case fault::malformed: ++counters.faults_malformed; break;
  case fault::none: break;
  }
}

std::string simulator::impl::client_id_of(const httplib::Request& req,
                                          std::chrono::steady_clock::time_point now) {
  const std::string authorization = req.get_header_value("Authorization");
  if (detail::starts_with_nocase(authorization, "Bearer ")) {
    const detail::token_grant* grant = tokens.find(detail::trim(authorization.substr(7)), now);
    return grant == nullptr ? std::string() : grant->client_id;
  }
  std::string id;
  std::string secret;
  if (detail::basic_credentials(authorization, id, secret)) {
    const detail::oauth_client* client = detail::find_client(id);
    if (client != nullptr && client->secret == secret) return client->id;
  }
  return std::string();
}

client_stats* simulator::impl::client_of(const httplib::Request& req,
                                         std::chrono::steady_clock::time_point now) {
  const std::string id = client_id_of(req, now);
  return id.empty() ? nullptr : &counters.clients[id];
}

void simulator::impl::count_request(const httplib::Request& req) {
  client_stats* client = client_of(req, std::chrono::steady_clock::now());
  client_stats ignored;
  client_stats& c = client != nullptr ? *client : ignored;
  ++counters.requests_total;
  ++c.requests;
  switch (kind_of(req)) {
  case endpoint_kind::token: ++counters.token_requests, ++c.token_requests; break;
  case endpoint_kind::launch: ++counters.launch_requests, ++c.launch_requests; break;
  case endpoint_kind::poll: ++counters.polls, ++c.polls; break;
  case endpoint_kind::lookup: ++counters.direct_lookups, ++c.direct_lookups; break;
  case endpoint_kind::action: ++counters.action_requests, ++c.action_requests; break;
  case endpoint_kind::other: ++counters.other_requests, ++c.other_requests; break;
  }
}

void simulator::impl::count_429(client_stats* client) {
  ++counters.answered_429;
  if (client != nullptr) ++client->answered_429;
}

void simulator::impl::wait_unless_stopping(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu);
  wake.wait_for(lock, delay, [this] { return stopping; });
}

void simulator::impl::serve(endpoint_kind kind, handler h, const httplib::Request& req,
                            httplib::Response& res) {
  const std::string cid = res.get_header_value(correlation_header);
  const auto half_latency = opts.latency / 2;
  if (half_latency.count() > 0) wait_unless_stopping(half_latency);
  fault f = fault::none;
  {
    std::lock_guard<std::mutex> lock(mu);
    // client=ID: only that OAuth client's requests (its token, or its credentials on /oauth/token).
    if (faults && (faults_spec.client.empty() ||
                   client_id_of(req, std::chrono::steady_clock::now()) == faults_spec.client))
      f = faults->decide(kind);
    count_fault(f);
    if (f == fault::status_429) count_429(client_of(req, std::chrono::steady_clock::now()));
  }

  // Pre-faults: the request is answered before anything happens (no token, no execution);
  // otherwise it is handled.
  switch (f) {
  case fault::status_429: {  // Genesys's 429 always says how long (retry_after=none: 1 s)
    const int wait = faults_spec.retry_after < 0 ? 1 : faults_spec.retry_after;
    res.set_header("Retry-After", std::to_string(wait));
    reply_error(res, 429, "too.many.requests.retry.after", detail::rate_limit_message(wait), cid);
    break;
  }
  case fault::status_502:  // code invented: the platform documents none for 502
    reply_error(res, 502, "bad.gateway",
                "The server received an invalid response from an upstream server.", cid);
    break;
  case fault::status_503:
    if (faults_spec.retry_after >= 0)
      res.set_header("Retry-After", std::to_string(faults_spec.retry_after));
    reply_error(res, 503, "service.unavailable",
                "Service is currently unavailable. Please try again later.", cid);
    break;
  case fault::status_504:
    reply_error(res, 504, "request.timeout", "The request timed out.", cid);
    break;
  default: (this->*h)(req, res, cid); break;
  }

  // Post-faults: the request took effect (a launch created its execution); only the answer is
  // lost, late, broken or replaced by a gateway's 504, so the client cannot tell whether it did.
  switch (f) {
  case fault::slow: wait_unless_stopping(std::chrono::milliseconds(faults_spec.slow_ms)); break;
  case fault::status_504_after:    // a gateway gave up waiting for the answer: the request ran
    if (res.status >= 400) break;  // it was refused: it did not run, and its answer stands
    res.headers.erase("Location");
    res.headers.erase("Retry-After");
    reply_error(res, 504, "request.timeout", "The request timed out.", cid);
    break;
  case fault::malformed: {
    // Any proper prefix of a JSON object is invalid JSON.
    const std::string body =
        res.body.size() < 2 ? std::string("{\"") : res.body.substr(0, res.body.size() / 2);
    res.status = 200;
    res.headers.erase("Retry-After");
    res.body = body;
    if (!res.has_header("Content-Type")) res.set_header("Content-Type", "application/json");
    break;
  }
  case fault::drop:
    if (!detail::shutdown_connection(req.local_addr, req.local_port, req.remote_addr,
                                     req.remote_port)) {
      // Fallback (socket not found): the status line and headers go out, then the body
      // provider fails and cpp-httplib closes the connection mid-response.
      const std::size_t length = res.body.empty() ? 1 : res.body.size();
      res.body.clear();
      res.headers.erase("Content-Type");
      res.set_content_provider(length, "application/json",
                               [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
    }
    break;
  default: break;
  }
  if (opts.latency > half_latency) wait_unless_stopping(opts.latency - half_latency);
}

void simulator::impl::install_routes() {
  using httplib::Request;
  using httplib::Response;
  using HandlerResponse = httplib::Server::HandlerResponse;
  httplib::Server& s = *server;

  // Every response gets a fresh correlation id before routing; error bodies repeat it.
  s.set_pre_routing_handler([this](const Request& req, Response& res) {
    const std::string cid = detail::random_uuid();
    res.set_header(correlation_header, cid);
    if (req.path.rfind("/sim/", 0) != 0) {
      std::lock_guard<std::mutex> lock(mu);
      count_request(req);
    } else if (req.path == "/sim/reset" && req.method == "POST") {
      // Served before its body is read: a POST without Content-Length (curl -X POST) has an empty
      // body (RFC 9112), which cpp-httplib 0.11 refuses as malformed.
      handle_reset(req, res);
      return HandlerResponse::Handled;
    }
    // Before the body is read: cpp-httplib 0.11 holds set_payload_max_length against the
    // Content-Length only, so a chunked body, or a compressed one once inflated, would be read
    // whole whatever its size. No client of the platform API needs either.
    if (req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos) {
      reply_error(res, 411, "length.required", "The request must declare its Content-Length.", cid);
      return HandlerResponse::Handled;
    }
    if (const std::string ce = req.get_header_value("Content-Encoding");
        !ce.empty() && ce != "identity") {
      reply_error(res, 415, "unsupported.media.type",
                  "Content-Encoding " + ce.substr(0, 32) + " is not accepted.", cid);
      return HandlerResponse::Handled;
    }
    return HandlerResponse::Unhandled;
  });

  auto route = [this](endpoint_kind kind, handler h) {
    return [this, kind, h](const Request& req, Response& res) { serve(kind, h, req, res); };
  };
  s.Post("/oauth/token", route(endpoint_kind::token, &impl::handle_token));
  s.Post("/api/v2/flows/executions", route(endpoint_kind::launch, &impl::handle_launch));
  s.Get(R"(/api/v2/flows/executions/([^/]+))", route(endpoint_kind::poll, &impl::handle_poll));
  s.Get("/api/v2/externalcontacts/reversewhitepageslookup",
        route(endpoint_kind::lookup, &impl::handle_reverse_lookup));
  s.Post("/api/v2/externalcontacts/identifierlookup/contacts",
         route(endpoint_kind::lookup, &impl::handle_identifier_lookup));
  s.Get(R"(/api/v2/organizations/limits/namespaces/([^/]+))",
        route(endpoint_kind::other, &impl::handle_limits));
  s.Get("/api/v2/organizations/limits/namespaces",
        route(endpoint_kind::other, &impl::handle_limit_namespaces));
  s.Get("/api/v2/tokens/me", route(endpoint_kind::other, &impl::handle_token_info));
  s.Get(R"(/api/v2/flows/([^/]+))", route(endpoint_kind::other, &impl::handle_flow));
  s.Get(R"(/api/v2/flows/([^/]+)/versions/([^/]+))",
        route(endpoint_kind::other, &impl::handle_flow_version));
  s.Post(R"(/api/v2/integrations/actions/([^/]+)/execute)",
         route(endpoint_kind::action, &impl::handle_action_execute));
  s.Get(R"(/api/v2/integrations/actions/([^/]+))",
        route(endpoint_kind::other, &impl::handle_action));
  s.Get("/sim/stats", [this](const Request& req, Response& res) { handle_stats(req, res); });
  s.Post("/sim/reset", [this](const Request& req, Response& res) { handle_reset(req, res); });
  s.Get("/sim/executions",
        [this](const Request& req, Response& res) { handle_executions(req, res); });

  // Called for every status >= 400. Fills the ErrorBody of responses cpp-httplib made itself
  // (unknown path, malformed request line, body too large); routed errors already have one.
  httplib::Server::HandlerWithResponse on_error = [](const Request&, Response& res) {
    std::string cid = res.get_header_value(correlation_header);
    if (cid.empty()) {
      cid = detail::random_uuid();
      res.set_header(correlation_header, cid);
    }
    if (!res.body.empty()) return HandlerResponse::Unhandled;
    reply_error(res, res.status, code_for_status(res.status), message_for_status(res.status), cid);
    return HandlerResponse::Handled;
  };
  s.set_error_handler(on_error);

  s.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
    std::string cid = res.get_header_value(correlation_header);
    if (cid.empty()) {
      cid = detail::random_uuid();
      res.set_header(correlation_header, cid);
    }
    reply_error(res, 500, "internal.server.error", message_for_status(500), cid);
  });
}

void simulator::impl::handle_stats(const httplib::Request&, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu);
  reply(res, 200, stats_json(counters));
}

void simulator::impl::reset_locked() {
  counters = stats{};
  launch_bodies.clear();
  if (faults) faults->reset();
  run_times.reset();
  action_times.reset();
}

void simulator::impl::handle_reset(const httplib::Request&, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu);
  reset_locked();
  res.status = 204;
}

void simulator::impl::handle_executions(const httplib::Request&, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(mu);
  reply(res, 200, executions.listing());
}

// ---------------------------------------------------------------------------------------------
// simulator

simulator::simulator(options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

simulator::~simulator() { stop(); }

bool simulator::start() {
  impl& d = *impl_;
  const options& o = d.opts;
  if (d.server) {
    d.error = "already started";
    return false;
  }
  if (o.threads == 0) {
    d.error = "threads must be at least 1";
    return false;
  }
  if (o.contact_count < 0 || o.contact_count > detail::contact_store::max_generated) {
    d.error = "contact_count must be between 0 and 10000";
    return false;
  }
  if (o.latency.count() < 0 || o.latency.count() > 600000 || o.visibility_lag.count() < 0 ||
      o.visibility_lag.count() > 600000) {
    d.error = "latency and visibility_lag must be between 0 and 600000 ms";
    return false;
  }
  if ((o.run_time && o.run_time->count() < 0) || o.token_ttl_seconds <= 0 ||
      o.rate_limit_per_minute < 0 || o.org_rate_limit_per_minute < 0 ||
      o.token_rate_limit_per_minute < 0 || o.port < 0 || o.port > 65535) {
    d.error = "run_time, port and the rate limits must not be negative, token_ttl_seconds must be "
              "positive";
    return false;
  }
  // sigma 5 already puts 1 run in 1000 beyond 5 orders of magnitude from the median.
  if (o.run_time_field.median.count() < 0 || !(o.run_time_field.sigma >= 0) ||
      o.run_time_field.sigma > 5) {
    d.error = "run_time_field: the median must not be negative, sigma must be in [0, 5]";
    return false;
  }
  if ((o.action_time && o.action_time->count() < 0) || o.action_time_field.median.count() < 0 ||
      !(o.action_time_field.sigma >= 0) || o.action_time_field.sigma > 5) {
    d.error = "action_time and the median of action_time_field must not be negative, its sigma "
              "must be in [0, 5]";
    return false;
  }
  if (!o.lookup_action_id.empty()) {
    const std::string& id = o.lookup_action_id;
    bool ok = id.size() <= 128 && id != "." && id != "..";
    for (const char ch : id) {
      const bool alnum =
          (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
      ok = ok && (alnum || ch == '.' || ch == '_' || ch == '-');
    }
    for (std::size_t i = 1; i < d.actions.size(); ++i) ok = ok && d.actions[i].id != id;
    if (!ok) {
      d.error = "lookup_action_id must be 1-128 characters of A-Z a-z 0-9 . _ - and not the id of "
                "another action";
      return false;
    }
  }
  if (!parse_faults(o.faults, d.faults_spec, d.error)) return false;
  if (!o.contacts_file.empty()) {
    if (!d.contacts.load(o.contacts_file, d.error)) return false;
  } else {
    d.contacts.generate(o.contact_count, o.seed);
  }
  {
    std::lock_guard<std::mutex> lock(d.mu);
    d.faults = std::make_unique<detail::fault_injector>(d.faults_spec, o.seed);
    d.stopping = false;
  }

  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    d.error = "tls_cert_file and tls_key_file go together: give both for HTTPS, neither for HTTP";
    return false;
  }
  // The server, and how to widen its listen backlog (a member of the concrete server class).
  std::unique_ptr<httplib::Server> server;
  std::function<bool(int)> widen_backlog;
  if (o.tls_cert_file.empty()) {
    auto plain = std::make_unique<detail::http_server>();
    widen_backlog = [s = plain.get()](int backlog) { return s->widen_backlog(backlog); };
    server = std::move(plain);
  } else {
    auto tls =
        std::make_unique<detail::https_server>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!tls->is_valid()) {
      d.error = "cannot load the TLS certificate or key (PEM files " + o.tls_cert_file + ", " +
                o.tls_key_file + ")";
      return false;
    }
    widen_backlog = [s = tls.get()](int backlog) { return s->widen_backlog(backlog); };
    server = std::move(tls);
  }
  d.server = std::move(server);
  d.server->new_task_queue = [&d] {
    return new detail::counting_thread_pool(d.opts.threads, [&d] {
      std::lock_guard<std::mutex> lock(d.mu);
      ++d.counters.connections_accepted;
    });
  };
  // Keep-alive clients (one worker thread each) may send any number of requests on a connection;
  // an idle one is closed after a few seconds, as real load balancers do.
  d.server->set_keep_alive_max_count(100000);
  d.server->set_keep_alive_timeout(5);
  d.server->set_payload_max_length(max_request_bytes);
  // cpp-httplib writes the status line and headers, then the body, in separate send()s; with
  // Nagle's algorithm the body then waits for the client's delayed ACK (~40 ms per keep-alive
  // request).
  d.server->set_tcp_nodelay(true);
  d.install_routes();

  const int port = o.port == 0 ? d.server->bind_to_any_port(o.host)
                               : (d.server->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    d.error = "cannot listen on " + o.host + ":" + std::to_string(o.port);
    d.server.reset();
    return false;
  }
  d.bound_port = port;
  widen_backlog(listen_backlog);

  // cpp-httplib's stop() does nothing until the accept loop has started, so wait for it: after
  // that, stop() is always effective.
  auto listen_ended = std::make_shared<std::atomic<bool>>(false);
  d.listener = std::thread([&d, listen_ended] {
    d.server->listen_after_bind();
    *listen_ended = true;
  });
  while (!d.server->is_running()) {
    if (*listen_ended) {
      d.listener.join();
      d.error = "the server stopped right after binding";
      d.server.reset();
      d.bound_port = 0;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void simulator::stop() {
  impl& d = *impl_;
  if (!d.server) return;
  {
    std::lock_guard<std::mutex> lock(d.mu);
    d.stopping = true;
  }
  d.wake.notify_all();
  d.server->stop();
  // Workers waiting on idle keep-alive connections would otherwise only notice after the
  // keep-alive timeout: end those connections now.
  detail::shutdown_accepted_connections(d.bound_port);
  if (d.listener.joinable()) d.listener.join();
  d.server.reset();
  d.bound_port = 0;
}

int simulator::port() const { return impl_->bound_port; }

std::string simulator::base_url() const {
  const std::string& host = impl_->opts.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  const char* scheme = impl_->opts.tls_cert_file.empty() ? "http://" : "https://";
  return scheme + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

std::string simulator::last_error() const { return impl_->error; }

stats simulator::snapshot() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->counters;
}

void simulator::reset_stats() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->reset_locked();
}

const demo_config& simulator::demo() const { return impl_->demo; }

namespace {
std::string four_digit_number(const char* prefix, int i) {
  if (i < 0 || i > 9999) throw std::out_of_range("gcx_sim: number index must be in [0, 9999]");
  std::string digits = std::to_string(i);
  return prefix + std::string(4 - digits.size(), '0') + digits;
}
}  // namespace

std::string simulator::found_number(int i) { return four_digit_number("+1317555", i); }

std::string simulator::known_number() const {
  if (!impl_->contacts.find_by_phone(found_number(123)).empty()) return found_number(123);
  return impl_->contacts.first_phone();
}

std::string simulator::unknown_number(int i) { return four_digit_number("+1415555", i); }

}  // namespace gcx_sim
