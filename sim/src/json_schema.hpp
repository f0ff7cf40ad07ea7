// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The JSON Schemas (draft-04) of the contracts the simulator describes: a flow's input and output
// variables (route_info.cpp) and a data action's request and response (route_actions.cpp).
#ifndef GCX_SIM_JSON_SCHEMA_HPP
#define GCX_SIM_JSON_SCHEMA_HPP

#include <string>
#include <utility>

#include "json.hpp"

namespace gcx_sim::detail {

// One property: {"type", "description"}.
inline json typed(const char* type, const char* description) {
  return json{{"type", type}, {"description", description}};
}

// An object's schema (`description`: nullptr for none).
inline json object_schema(const std::string& title, const char* description, json required,
                          json properties) {
  json s{{"$schema", "http://json-schema.org/draft-04/schema#"}, {"title", title}};
  if (description != nullptr) s["description"] = description;
  s["type"] = "object";
  s["required"] = std::move(required);
  s["properties"] = std::move(properties);
  s["additionalProperties"] = true;
  return s;
}

// What the lookup workflow and the data actions both give of the first contact with the number,
// named as the actions' output keys ("found", ...) or, `flow`, as the workflow's output variables
// ("Flow.Found", ...).
inline json contact_properties(bool flow) {
  struct property {
    const char* key;
    const char* variable;
    const char* type;
    const char* description;
  };
  static const property all[] = {
      {"found", "Flow.Found", "boolean", "A contact has the number"},
      {"matchCount", "Flow.MatchCount", "integer", "How many contacts have the number"},
      {"contactId", "Flow.ContactId", "string", "The first contact's id"},
      {"firstName", "Flow.FirstName", "string", ""},
      {"lastName", "Flow.LastName", "string", ""},
      {"email", "Flow.Email", "string", "The contact's work email"},
      {"tier", "Flow.Tier", "string", "The contact's customFields.tier_text"},
  };
  json out = json::object();
  for (const property& p : all) out[flow ? p.variable : p.key] = typed(p.type, p.description);
  return out;
}

}  // namespace gcx_sim::detail

#endif
