// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "executions.hpp"

#include "errors.hpp"
#include "ids.hpp"
#include "time_format.hpp"

namespace gcx_sim::detail {

namespace {

std::string version_uri(const execution& e) {
  return "/api/v2/flows/" + e.launched_flow->id + "/versions/" + e.launched_flow->published_version;
}

std::string execution_uri(const execution& e) { return "/api/v2/flows/executions/" + e.id; }

std::string upper(std::string s) {
  for (auto& ch : s) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return s;
}

}  // namespace

const execution& execution_store::launch(const flow& f, std::string name, std::string phone,
                                         std::chrono::milliseconds run_time) {
  execution e;
  e.run_time = run_time;
  e.id = random_uuid();
  e.name = std::move(name);
  e.launched_flow = &f;
  e.phone = std::move(phone);
  if (f.behaviour == flow_behaviour::lookup) {
    e.matches = contacts_.find_by_phone(e.phone);
  } else {
    e.error_context_id = random_uuid();
  }
  e.launched_at = std::chrono::system_clock::now();
  e.started = std::chrono::steady_clock::now();
  const std::string id = e.id;
  return executions_.emplace(id, std::move(e)).first->second;
}

const execution* execution_store::find(const std::string& id) const {
  auto it = executions_.find(id);
  return it == executions_.end() ? nullptr : &it->second;
}

json execution_store::listing() const {
  json out = json::array();
  for (const auto& [id, e] : executions_) {
    out.push_back(json{
        {"id", id},
        {"name", e.name},
        {"dateLaunched", iso8601(e.launched_at)},
        {"dateCompleted", iso8601(e.launched_at + e.run_time)},
        {"polls", e.polls},
        {"pollsAtMs", e.poll_offsets_ms},
        {"dateFirstSeenDone", e.first_terminal_answer == std::chrono::system_clock::time_point{}
                                  ? json(nullptr)
                                  : json(iso8601(e.first_terminal_answer))}});
  }
  return out;
}

json execution_store::launch_response(const execution& e) {
  const std::string& version = e.launched_flow->published_version;
  return json{{"id", e.id},
              {"name", e.name},
              {"flowVersion", {{"id", version}, {"name", version}, {"selfUri", version_uri(e)}}},
              {"selfUri", execution_uri(e)}};
}

json execution_store::runtime(const execution& e, std::chrono::steady_clock::time_point now) const {
  const flow& f = *e.launched_flow;
  json out = json::object();
  out["id"] = e.id;
  out["name"] = e.name;
  out["flowVersion"] = json{{"id", f.published_version},
                            {"name", f.published_version},
                            {"commitVersion", f.published_version},
                            {"configurationVersion", f.published_version},
                            {"type", upper(f.type)},
                            {"secure", false},
                            {"debug", false},
                            {"selfUri", version_uri(e)}};
  out["dateLaunched"] = iso8601(e.launched_at);
  ++e.polls;
  if (e.poll_offsets_ms.size() < 16) {
    e.poll_offsets_ms.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(now - e.started).count());
  }
  const bool running = now - e.started < e.run_time + lag_;
  if (!running && e.first_terminal_answer == std::chrono::system_clock::time_point{}) {
    e.first_terminal_answer = std::chrono::system_clock::now();
  }
  if (running) {
    out["status"] = "RUNNING";
  } else if (f.behaviour == flow_behaviour::lookup) {
    out["status"] = "COMPLETED";
    out["dateCompleted"] = iso8601(e.launched_at + e.run_time);
    out["completionReason"] = "Success";
    out["outputData"] = output_data(e);
  } else {
    out["status"] = "FAILED";
    out["dateCompleted"] = iso8601(e.launched_at + e.run_time);
    out["completionReason"] = "Error";
    out["flowErrorInfo"] = error_body(
        500, "flow.execution.error",
        "The flow encountered an error while running the Search External Contacts action.",
        e.error_context_id, json::array(), json::object());
  }
  out["selfUri"] = execution_uri(e);
  return out;
}

// The "Output from flow" variables of the Customer Lookup workflow. It emits both documented
// designs: scalar outputs (docs 9.5 variant A) and a JSON-encoded profile plus the contact object
// (variant B).
json execution_store::output_data(const execution& e) const {
  json out = json::object();
  const flow_outputs style = e.launched_flow->outputs;
  if (style == flow_outputs::none) return out;
  const bool found = !e.matches.empty();
  if (style == flow_outputs::renamed) {
    out["Flow.CustomerFound"] = found;
    out["Flow.Matches"] = std::to_string(e.matches.size());  // an Integer: sent as a string
    const json body = found ? contacts_.get(e.matches.front()).body : json(nullptr);
    out["Flow.CustomerId"] = found && body.contains("id") ? body.at("id") : json(nullptr);
    out["Flow.Contact"] = body;
    return out;
  }
  out["Flow.Found"] = found;
  out["Flow.MatchCount"] = std::to_string(e.matches.size());  // an Integer: sent as a string
  if (!found) {
    for (const char* key : {"Flow.ContactId", "Flow.FirstName", "Flow.LastName", "Flow.Email",
                            "Flow.Tier", "Flow.CustomerProfile", "Flow.externalContact"}) {
      out[key] = nullptr;
    }
    out["Flow.ErrorMessage"] = nullptr;
    return out;
  }
  const contact c = contacts_.get(e.matches.front());
  auto field = [&c](const char* key) -> json {
    auto it = c.body.find(key);
    return it == c.body.end() ? json(nullptr) : *it;
  };
  out["Flow.ContactId"] = field("id");
  out["Flow.FirstName"] = field("firstName");
  out["Flow.LastName"] = field("lastName");
  out["Flow.Email"] = field("workEmail");
  json tier = nullptr;
  if (auto fields = c.body.find("customFields"); fields != c.body.end() && fields->is_object()) {
    if (auto t = fields->find("tier_text"); t != fields->end()) tier = *t;
  }
  out["Flow.Tier"] = tier;
  out["Flow.CustomerProfile"] = c.profile.dump();  // a string holding a JSON object
  out["Flow.externalContact"] = c.body;            // organisation expanded
  out["Flow.ErrorMessage"] = nullptr;
  return out;
}

}  // namespace gcx_sim::detail
