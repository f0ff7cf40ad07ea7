// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The JSON Schemas of the contracts the simulator describes: a flow version's input and output
// variables (route_info.cpp, draft-07 as Architect publishes them: each variable a "$ref" to
// Architect's definition of its type) and a data action's request and response
// (route_actions.cpp, draft-04 with inline types, as an action's contract is written).
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

// Architect's definitions of the variable types the simulated flows use, as a flow version's
// schemas carry them: each a "oneOf" of null (a variable not set) and its values. archInteger
// takes a string holding an integer too, and is sent that way in outputData ("2").
inline json architect_definitions() {
  auto def = [](const char* id, json values) {
    json one_of = json::array({json{{"type", "null"}, {"description", "Not set."}}});
    for (auto& v : values) one_of.push_back(std::move(v));
    return json{{"archDataTypeId", id}, {"oneOf", std::move(one_of)}};
  };
  return json{
      {"archString", def("str", json::array({json{{"type", "string"}, {"maxLength", 32000}}}))},
      {"archInteger",
       def("int", json::array({json{{"type", "integer"},
                                    {"minimum", -999999999999999},
                                    {"maximum", 999999999999999}},
                               json{{"type", "string"},
                                    {"minLength", 1},
                                    {"maxLength", 16},
                                    {"description", "An integer, written as a string."}}}))},
      {"archBoolean", def("bool", json::array({json{{"type", "boolean"}}}))}};
}

// One flow variable of an Architect type ("string", "integer", "boolean"): a reference to its
// definition.
inline json variable(const std::string& type, const char* description) {
  const char* def = type == "integer"   ? "archInteger"
                    : type == "boolean" ? "archBoolean"
                                        : "archString";
  json v{{"$ref", std::string("#/definitions/") + def}};
  if (description != nullptr && *description != '\0') v["description"] = description;
  return v;
}

// A flow version's inputSchema or outputSchema (`input`): draft-07, no other properties allowed.
inline json flow_schema(bool input, json required, json properties) {
  json s{{"$schema", "http://json-schema.org/draft-07/schema#"},
         {"title", input ? "Flow input schema" : "Flow output schema"},
         {"description", input ? "The variables marked 'Input to flow'."
                               : "The variables marked 'Output from flow'."},
         {"type", "object"}};
  if (!required.empty()) s["required"] = std::move(required);
  s["properties"] = std::move(properties);
  s["additionalProperties"] = false;
  s["definitions"] = architect_definitions();
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
  for (const property& p : all) {
    if (flow) out[p.variable] = variable(p.type, p.description);
    else out[p.key] = typed(p.type, p.description);
  }
  return out;
}

}  // namespace gcx_sim::detail

#endif
