// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Data actions (docs/genesys-api.md 11.4): POST /api/v2/integrations/actions/{actionId}/execute
// runs one synchronously, GET /api/v2/integrations/actions/{actionId} describes it (the Action
// model of the Platform API SDKs). The lookup actions search the same contact store as the
// reverse-whitepages lookup and answer flat keys; the other two stand for a remote that fails and
// one that never answers within the action's timeoutSeconds.
#include <algorithm>
#include <chrono>

#include "errors.hpp"
#include "json_schema.hpp"
#include "query.hpp"
#include "simulator_impl.hpp"

namespace gcx_sim {

using detail::action_behaviour;
using detail::data_action;
using detail::json;
using detail::object_schema;
using detail::typed;

namespace {

const char* const action_phone_input = "phoneNumber";
const char* const e164_pattern = "^\\+[1-9][0-9]{7,14}$";

// The two integrations the actions belong to (ids and names invented).
constexpr const char* platform_integration_id = "1a3c5e7f-9b2d-4f6a-8c0e-3b5d7f9a1c24";
constexpr const char* platform_integration_name = "gcx-sim Genesys Cloud Data Actions";
constexpr const char* crm_integration_id = "8e0a2c4d-6f1b-4d3e-9a5c-7b9d1f3a5c68";
constexpr const char* crm_integration_name = "gcx-sim CRM Web Services";

// A boolean query parameter as a Java service reads one (Boolean.parseBoolean): "true" in any
// case is true, anything else (or nothing) false [I].
bool query_flag(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return false;
  std::string value = req.get_param_value(name);
  std::transform(value.begin(), value.end(), value.begin(), [](char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  });
  return value == "true";
}

std::string action_uri(const data_action& a) { return "/api/v2/integrations/actions/" + a.id; }

bool on_platform(const data_action& a) { return a.behaviour == action_behaviour::lookup; }

// Every action has the same contract: phoneNumber in, flat contact keys out.
json input_schema() {
  json phone = typed("string", "The caller's number, E.164");
  phone["pattern"] = e164_pattern;
  return object_schema("Request", "The number to look up.", json::array({action_phone_input}),
                       json{{action_phone_input, std::move(phone)}});
}

json success_schema() {
  return object_schema("Response", "The first contact with the number, if any.",
                       json::array({"found"}), detail::contact_properties(/*flow=*/false));
}

// ActionConfig: how the action calls its remote and translates the answer (illustrative: the
// simulator does not run Velocity templates or JSONPath, it answers what they would produce).
json action_config(const data_action& a) {
  const std::string url =
      on_platform(a)
          ? "/api/v2/externalcontacts/reversewhitepageslookup"
            "?lookupVal=$esc.url(${input.phoneNumber})"
          : "https://crm.gcx-sim.invalid/v1/contacts?phone=$esc.url(${input.phoneNumber})";
  const json translation_map{{"ids", "$.contacts[*].id"},
                             {"firstNames", "$.contacts[*].firstName"},
                             {"lastNames", "$.contacts[*].lastName"},
                             {"emails", "$.contacts[*].workEmail"},
                             {"tiers", "$.contacts[*].customFields.tier_text"}};
  json defaults = json::object();
  for (const auto& item : translation_map.items()) defaults[item.key()] = "[]";
  const char* success_template =
      "#set($n = $ids.size())\n"
      "{\"found\": #if($n > 0)true#{else}false#end, \"matchCount\": $n"
      "#if($n > 0), \"contactId\": $successTemplateUtils.firstFromArray(\"${ids}\"), "
      "\"firstName\": $successTemplateUtils.firstFromArray(\"${firstNames}\"), "
      "\"lastName\": $successTemplateUtils.firstFromArray(\"${lastNames}\"), "
      "\"email\": $successTemplateUtils.firstFromArray(\"${emails}\"), "
      "\"tier\": $successTemplateUtils.firstFromArray(\"${tiers}\")#end}";
  return json{{"timeoutSeconds", a.timeout_seconds},
              {"request",
               {{"requestUrlTemplate", url},
                {"requestType", "GET"},
                {"headers", json::object()},
                {"requestTemplate", "${input.rawRequest}"}}},
              {"response",
               {{"translationMap", translation_map},
                {"translationMapDefaults", defaults},
                {"successTemplate", success_template}}}};
}

// The lookup action's answer: the first contact with the number (cell phones first, as the
// reverse-whitepages lookup orders them). Keys the contact lacks, and every key but found and
// matchCount when nothing matched, are left out (the success schema requires only found).
json lookup_output(const detail::contact_store& contacts, const std::string& number) {
  const std::vector<std::size_t>& matches = contacts.find_by_phone(number);
  json out{{"found", !matches.empty()}, {"matchCount", matches.size()}};
  if (matches.empty()) return out;
  const detail::contact c = contacts.get(matches.front());
  auto copy = [&](const json& from, const char* key, const char* as) {
    auto it = from.find(key);
    if (it != from.end() && it->is_string()) out[as] = *it;
  };
  copy(c.body, "id", "contactId");
  copy(c.body, "firstName", "firstName");
  copy(c.body, "lastName", "lastName");
  copy(c.body, "workEmail", "email");
  if (auto fields = c.body.find("customFields"); fields != c.body.end() && fields->is_object()) {
    copy(*fields, "tier_text", "tier");
  }
  return out;
}

}  // namespace

void simulator::impl::handle_action(const httplib::Request& req, httplib::Response& res,
                                    const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_action_view | detail::perm_bridge_view)) return;
  const data_action* a = find_action(req.matches[1]);
  if (a == nullptr) return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  // Without expand=contract the contract names its schemas by URI only [I]: a client that wants
  // to read them asks for them.
  // [I: the SDK documents expand=contract; Genesys' own Terraform provider reads actions with it]
  const bool expanded = detail::expands(req, "contract");
  json input = expanded ? json{{"inputSchema", input_schema()}}
                        : json{{"inputSchemaUri", action_uri(*a) + "/schemas/input.json"}};
  json output = expanded ? json{{"successSchema", success_schema()}}
                         : json{{"successSchemaUri", action_uri(*a) + "/schemas/success.json"}};
  if (expanded &&
      query_flag(req, "flatten")) {  // the contract is flat already: flattening changes nothing
    input["inputSchemaFlattened"] = input_schema();
    output["successSchemaFlattened"] =
        json{{"schema", success_schema()}, {"arrayProperties", json::array()}};
  }
  json out{{"id", a->id},
           {"name", a->name},
           {"integrationId", on_platform(*a) ? platform_integration_id : crm_integration_id},
           {"category", on_platform(*a) ? platform_integration_name : crm_integration_name},
           {"contract", {{"input", std::move(input)}, {"output", std::move(output)}}},
           {"version", 1},
           {"secure", a->secure}};
  if (query_flag(req, "includeConfig")) out["config"] = action_config(*a);  // SDK: default false
  out["selfUri"] = action_uri(*a);
  reply(res, 200, out);
}

void simulator::impl::handle_action_execute(const httplib::Request& req, httplib::Response& res,
                                            const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_action_execute | detail::perm_bridge_execute)) return;
  const data_action* a = find_action(req.matches[1]);
  if (a == nullptr) return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  if (!require_json(req, res, cid)) return;
  const json body = detail::parse_request(req.body);
  if (body.is_discarded() || !body.is_object()) {
    return reply_error(res, 400, "bad.request", detail::malformed_message, cid);
  }

  // The body is checked against the input schema before the remote is called [I: messages].
  const auto phone = body.find(action_phone_input);
  const std::optional<std::string> checked = read_phone_input(
      res, cid, phone == body.end() ? nullptr : &*phone, action_phone_input, action_phone_input,
      std::string("does not match the pattern [") + e164_pattern + "] of field [" +
          action_phone_input + "].");
  if (!checked) return;
  const std::string& number = *checked;
  // `flatten` (query) reformats nested output into Architect's dotted keys; this output is flat,
  // so it is the same either way.

  // How long the remote takes; one that never answers waits out the action's timeoutSeconds.
  const std::chrono::milliseconds timeout = std::chrono::seconds(a->timeout_seconds);
  std::chrono::milliseconds remote = timeout;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (a->behaviour != action_behaviour::remote_times_out) {
      remote = opts.action_time ? *opts.action_time : action_times.next();
    }
    ++counters.actions_executed;
  }
  if (remote >= timeout) {  // status and code inferred (see sim/README.md)
    wait_unless_stopping(timeout);
    return reply_error(res, 504, "request.timeout",
                       "The action [" + a->name + "] timed out: its remote did not answer within " +
                           std::to_string(a->timeout_seconds) + " seconds (timeoutSeconds).",
                       cid, json::array({json{{"errorCode", "ACTION.TIMEOUT"}}}));
  }
  wait_unless_stopping(remote);
  if (a->behaviour == action_behaviour::remote_fails) {  // status and code inferred
    return reply_error(res, 502, "bad.gateway",
                       "REST call for action execute failed. Message: Request to backend service "
                       "failed. Response from web service: {\"status\":500,\"message\":\"Internal "
                       "Server Error\"}",
                       cid, json::array({json{{"errorCode", "ACTION.REMOTE_ENDPOINT"}}}));
  }
  reply(res, 200, lookup_output(contacts, number));
}

}  // namespace gcx_sim
