// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The simulator's state and request pipeline, shared by simulator.cpp (lifecycle, wiring) and
// the route_*.cpp files (one per API area).
#ifndef GCX_SIM_SIMULATOR_IMPL_HPP
#define GCX_SIM_SIMULATOR_IMPL_HPP

#include <httplib.h>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "contacts.hpp"
#include "executions.hpp"
#include "fault_injector.hpp"
#include "gcx_sim/simulator.hpp"
#include "http_server.hpp"
#include "json.hpp"
#include "organization.hpp"
#include "rate_limiter.hpp"
#include "tokens.hpp"

namespace gcx_sim {

inline constexpr const char* correlation_header = "ININ-Correlation-Id";

struct simulator::impl {
  explicit impl(options o);

  using handler = void (impl::*)(const httplib::Request&, httplib::Response&, const std::string&);

  // --- wiring (simulator.cpp) ---
  void install_routes();
  // Every faultable request goes through here: counts it, decides its fault, answers pre-faults
  // itself, runs `h`, then applies post-faults (slow, malformed, drop).
  void serve(detail::endpoint_kind kind, handler h, const httplib::Request& req,
             httplib::Response& res);
  void count_fault(detail::fault f);  // mu held
  // The client a request is attributed to (see client_stats), or nullptr. mu held.
  std::string client_id_of(const httplib::Request& req, std::chrono::steady_clock::time_point now);
  client_stats* client_of(const httplib::Request& req, std::chrono::steady_clock::time_point now);
  // Counts the request by kind, for the total and its client. mu held.
  void count_request(const httplib::Request& req);
  // Counts a 429 answer, for the total and `client` (may be nullptr). mu held.
  void count_429(client_stats* client);
  void reset_locked();  // mu held: zero counters, forget launch bodies, re-seed faults
  void wait_unless_stopping(std::chrono::milliseconds delay);

  // --- shared helpers (simulator.cpp) ---
  static void reply(httplib::Response& res, int status, const detail::json& body);
  static void reply_error(httplib::Response& res, int status, const std::string& code,
                          const std::string& message, const std::string& context_id,
                          detail::json details = detail::json::array(),
                          detail::json params = nullptr);
  // Bearer token, per-token rate limit and permission checks for an /api/v2 request. Answers
  // 401/429/403 itself and returns false when the request must not proceed. `needed`: any one
  // of these permission bits will do (perm_none: any live token).
  bool admit(const httplib::Request& req, httplib::Response& res, const std::string& cid,
             unsigned needed);
  // 415 unless the request declares a JSON body.
  static bool require_json(const httplib::Request& req, httplib::Response& res,
                           const std::string& cid);
  // The phone number input `name` of a launch or an action execution (`value`: nullptr when
  // absent), checked as the platform checks it: absent or null, not a string, or not E.164 is
  // answered 400 invalid.value with `field` as the detail's fieldName (`not_e164`: the message
  // after "Value [<number>] " for a string that is not E.164). The number, or nullopt once
  // answered.
  static std::optional<std::string>
  read_phone_input(httplib::Response& res, const std::string& cid, const detail::json* value,
                   const std::string& name, const std::string& field, const std::string& not_e164);

  // --- routes ---
  void handle_token(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_launch(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_poll(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_reverse_lookup(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_identifier_lookup(const httplib::Request&, httplib::Response&,
                                const std::string& cid);
  void handle_limits(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_limit_namespaces(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_token_info(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_flow(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_flow_version(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_action_execute(const httplib::Request&, httplib::Response&, const std::string& cid);
  void handle_action(const httplib::Request&, httplib::Response&, const std::string& cid);
  const detail::data_action* find_action(const std::string& id) const;
  void handle_stats(const httplib::Request&, httplib::Response&);
  void handle_reset(const httplib::Request&, httplib::Response&);
  void handle_executions(const httplib::Request&, httplib::Response&);

  options opts;
  demo_config demo;                            // demo_org() with options::lookup_action_id
  std::array<detail::data_action, 4> actions;  // lookup, failing, timeout, secure
  fault_spec faults_spec;
  detail::contact_store contacts;  // immutable once serving

  // Everything below is guarded by mu.
  mutable std::mutex mu;
  stats counters;
  detail::token_store tokens;
  detail::fixed_window_limiter api_limiter;  // per token
  detail::fixed_window_limiter org_limiter;  // one key
  detail::daily_limiter daily;
  detail::sliding_window_limiter token_limiter;
  detail::execution_store executions;
  run_time_sampler run_times;
  run_time_sampler action_times;  // the remote's time of each data action execution
  std::unordered_map<std::size_t, std::uint64_t>
      launch_bodies;  // hash of the canonical body -> executions
  std::unique_ptr<detail::fault_injector> faults;
  bool stopping = false;
  std::condition_variable wake;  // interrupts `slow` faults on stop()

  std::unique_ptr<httplib::Server> server;  // a detail::http_server or detail::https_server
  std::thread listener;
  int bound_port = 0;
  std::string error;
};

}  // namespace gcx_sim

#endif
