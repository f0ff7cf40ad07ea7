// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// POST /api/v2/flows/executions and GET /api/v2/flows/executions/{id} (docs section 1, 9.2-9.6).
#include "errors.hpp"
#include "simulator_impl.hpp"

#include <functional>
#include <string>

namespace gcx_sim {

using detail::json;

namespace {

const char* const phone_input = "Flow.PhoneNumber";

const json* member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

void simulator::impl::handle_launch(const httplib::Request& req, httplib::Response& res,
                                    const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_flow_launch)) return;
  if (!require_json(req, res, cid)) return;
  const json body = detail::parse_request(req.body);
  if (body.is_discarded() || !body.is_object()) {
    return reply_error(res, 400, "bad.request", detail::malformed_message, cid);
  }

  const json* flow_id = member(body, "flowId");
  const detail::flow* f = flow_id != nullptr && flow_id->is_string()
                              ? detail::find_flow(flow_id->get<std::string>())
                              : nullptr;
  if (f == nullptr) return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  if (f->type != "workflow") {
    return reply_error(
        res, 400, "invalid.value",
        "Flows of type [" + f->type + "] cannot be launched. Allowable values are: workflow", cid,
        json::array({detail::error_detail("invalid.value", "flowId")}), json::object());
  }
  if (f->published_version.empty()) {  // code invented: the platform documents none for this
    return reply_error(res, 400, "flow.not.published",
                       "Flow [" + f->id + "] has no published version that can be launched.", cid);
  }
  if (const json* version = member(body, "flowVersion");
      version != nullptr && !version->is_null()) {
    if (!version->is_string())
      return reply_error(res, 400, "bad.request", detail::malformed_message, cid);
    const auto& wanted = version->get_ref<const std::string&>();
    if (!wanted.empty() && wanted != f->published_version) {
      return reply_error(res, 404, "not.found", detail::not_found_message, cid);
    }
  }
  const json* name = member(body, "name");
  if (name != nullptr && !name->is_null() && !name->is_string()) {
    return reply_error(res, 400, "bad.request", detail::malformed_message, cid);
  }
  const json* input = member(body, "inputData");
  if (input != nullptr && !input->is_null() && !input->is_object()) {
    return reply_error(res, 400, "bad.request", detail::malformed_message, cid);
  }

  // The workflow's one input variable. Real Architect only checks the schema type (string); the
  // E.164 check stands for the flow rejecting what Search External Contacts cannot use.
  const json* phone =
      input != nullptr && input->is_object() ? member(*input, phone_input) : nullptr;
  const std::optional<std::string> checked =
      read_phone_input(res, cid, phone, phone_input, "inputData",
                       std::string("is not valid for field type [") + phone_input +
                           "]. Allowable values are: E.164 phone number");
  if (!checked) return;
  const std::string& number = *checked;

  // Duplicates are judged on the body's meaning, not its bytes (key order, whitespace), and
  // remembered by a hash: a launch's body may be 500 KB, kept until /sim/reset. (Parsed again as
  // nlohmann::json, whose keys are sorted; its depth was bounded by parse_request above.)
  const std::size_t canonical = std::hash<std::string>{}(nlohmann::json::parse(req.body).dump());
  const std::string execution_name =
      name != nullptr && name->is_string() ? name->get<std::string>() : f->name;
  std::lock_guard<std::mutex> lock(mu);
  const std::chrono::milliseconds run_time = opts.run_time ? *opts.run_time : run_times.next();
  const detail::execution& e = executions.launch(*f, execution_name, number, run_time);
  ++counters.launches;
  if (++launch_bodies[canonical] > 1) ++counters.duplicate_launches;
  reply(res, 200, detail::execution_store::launch_response(e));
}

void simulator::impl::handle_poll(const httplib::Request& req, httplib::Response& res,
                                  const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_execution_view)) return;
  const std::string id = req.matches[1];
  std::lock_guard<std::mutex> lock(mu);
  const detail::execution* e = executions.find(id);
  if (e == nullptr) return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  reply(res, 200, executions.runtime(*e, std::chrono::steady_clock::now()));
}

}  // namespace gcx_sim
