// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Flow executions: created by a launch, RUNNING for the configured run time, then terminal.
#ifndef GCX_SIM_EXECUTIONS_HPP
#define GCX_SIM_EXECUTIONS_HPP

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "contacts.hpp"
#include "json.hpp"
#include "organization.hpp"

namespace gcx_sim::detail {

struct execution {
  std::string id;
  std::string name;
  const flow* launched_flow = nullptr;
  std::string phone;                 // Flow.PhoneNumber
  std::vector<std::size_t> matches;  // contacts found, decided at launch
  std::string error_context_id;      // contextId of flowErrorInfo for failing flows
  std::chrono::system_clock::time_point launched_at;  // for dateLaunched / dateCompleted
  std::chrono::steady_clock::time_point started;      // for the RUNNING -> terminal switch
  std::chrono::milliseconds run_time{0};              // RUNNING this long after `started`
  // What the clients saw, for GET /sim/executions (bench/budget): polls answered, and when the
  // first answer with a terminal status went out.
  mutable std::size_t polls = 0;
  mutable std::vector<long long> poll_offsets_ms;  // each poll's time after the launch (first 16)
  mutable std::chrono::system_clock::time_point first_terminal_answer{};
};

// Not thread-safe.
class execution_store {
public:
  // `visibility_lag`: how long after it completes an execution is still answered RUNNING.
  explicit execution_store(const contact_store& contacts,
                           std::chrono::milliseconds visibility_lag = std::chrono::milliseconds{0})
      : contacts_(contacts), lag_(visibility_lag) {}

  // Starts an execution of `f` (which must be launchable) that runs for `run_time`, and returns it.
  const execution& launch(const flow& f, std::string name, std::string phone,
                          std::chrono::milliseconds run_time);
  const execution* find(const std::string& id) const;

  // Every execution, for GET /sim/executions: [{id, name, dateLaunched, dateCompleted, polls,
  // pollsAtMs, dateFirstSeenDone}] (pollsAtMs: the first 16 polls' times after the launch;
  // dateFirstSeenDone: when a poll was first answered with the terminal status, or null).
  json listing() const;

  // FlowExecutionLaunchResponse (docs 1.3, 9.3).
  static json launch_response(const execution& e);
  // FlowRuntimeExecution as of `now` (docs 1.4, 9.4 to 9.6); counts the poll.
  json runtime(const execution& e, std::chrono::steady_clock::time_point now) const;

private:
  json output_data(const execution& e) const;

  const contact_store& contacts_;
  std::chrono::milliseconds lag_;
  std::unordered_map<std::string, execution> executions_;
};

}  // namespace gcx_sim::detail

#endif
