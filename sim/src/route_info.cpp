// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Read-only descriptions of the organisation: GET /api/v2/tokens/me (TokenInfo), GET
// /api/v2/flows/{flowId} (Flow) and GET /api/v2/flows/{flowId}/versions/{versionId} (FlowVersion
// with the flow's input and output JSON schemas). Shapes follow the Platform API models; values
// that a real org would have and the simulator has not (users, divisions, dates) are left out.
#include "errors.hpp"
#include "json_schema.hpp"
#include "simulator_impl.hpp"
#include "text.hpp"

namespace gcx_sim {

using detail::flow_schema;
using detail::json;
using detail::typed;
using detail::variable;

namespace {

constexpr const char* org_id = "2d6e0f4a-8c1b-4a7e-9f3d-5b2c1a0e9d84";
constexpr const char* org_name = "gcx-sim Demo Org";

std::string upper(std::string s) {
  for (auto& ch : s) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return s;
}

std::string flow_uri(const detail::flow& f) { return "/api/v2/flows/" + f.id; }

json version_ref(const detail::flow& f) {
  const std::string& v = f.published_version;
  return json{{"id", v},
              {"name", v},
              {"commitVersion", v},
              {"configurationVersion", v},
              {"type", upper(f.type)},
              {"secure", false},
              {"debug", false},
              {"selfUri", flow_uri(f) + "/versions/" + v}};
}

// The variables of the Customer Lookup workflow (see execution_store::output_data).
json input_schema(const detail::flow&) {
  return flow_schema(/*input=*/true, json::array({"Flow.PhoneNumber"}),
                     json{{"Flow.PhoneNumber", variable("string", "The caller's number, E.164")}});
}

json output_schema(const detail::flow& f) {
  if (f.outputs == detail::flow_outputs::none)
    return flow_schema(false, json::array(), json::object());
  if (f.outputs == detail::flow_outputs::renamed) {
    return flow_schema(
        false, json::array(),
        json{{"Flow.CustomerFound", variable("boolean", "A contact has the number")},
             {"Flow.Matches", variable("integer", "How many contacts have the number")},
             {"Flow.CustomerId", variable("string", "The first contact's id")},
             {"Flow.Contact", typed("object", "The ExternalContact")}});
  }
  json properties = detail::contact_properties(/*flow=*/true);
  properties["Flow.CustomerProfile"] =
      variable("string", "A JSON object, encoded: the CRM profile");
  properties["Flow.externalContact"] = typed("object", "The ExternalContact");
  properties["Flow.ErrorMessage"] = variable("string", "");
  return flow_schema(false, json::array(), std::move(properties));
}

// OAuth scopes for the permissions of a client's roles (client credentials grants carry no
// requested scopes; the simulator reports the ones its permissions would need).
json scopes(unsigned permissions) {
  json out = json::array();
  if ((permissions & detail::perm_flow_launch) != 0) {
    out.push_back("architect");
  } else if ((permissions & (detail::perm_execution_view | detail::perm_flow_view)) != 0) {
    out.push_back("architect:readonly");
  }
  if ((permissions & detail::perm_contact_view) != 0) out.push_back("external-contacts:readonly");
  if ((permissions & detail::perm_action_execute) != 0) {
    out.push_back("integrations");
  } else if ((permissions & detail::perm_action_view) != 0) {
    out.push_back("integrations:readonly");
  }
  return out;
}

}  // namespace

void simulator::impl::handle_token_info(const httplib::Request& req, httplib::Response& res,
                                        const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_none)) return;
  const std::string authorization = req.get_header_value("Authorization");
  std::lock_guard<std::mutex> lock(mu);
  // admit() found the token live a moment ago; it cannot have been removed since.
  const detail::token_grant* grant =
      tokens.find(detail::trim(authorization.substr(7)), std::chrono::steady_clock::now());
  const detail::oauth_client* client =
      grant != nullptr ? detail::find_client(grant->client_id) : nullptr;
  if (client == nullptr) {
    return reply_error(res, 401, "bad.credentials", "Invalid login credentials.", cid);
  }
  const json org{{"id", org_id}, {"name", org_name}};
  reply(res, 200,
        json{{"organization", org},
             {"homeOrganization", org},
             {"authorizedScope", scopes(client->permissions)},
             {"OAuthClient", json{{"id", client->id}, {"name", client->name}}}});
}

void simulator::impl::handle_flow(const httplib::Request& req, httplib::Response& res,
                                  const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_flow_view)) return;
  const detail::flow* f = detail::find_flow(req.matches[1]);
  if (f == nullptr) return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  json out{{"id", f->id}, {"name", f->name}, {"type", upper(f->type)}};
  out["active"] = !f->published_version.empty();
  out["system"] = false;
  out["deleted"] = false;
  if (!f->published_version.empty()) out["publishedVersion"] = version_ref(*f);
  out["selfUri"] = flow_uri(*f);
  reply(res, 200, out);
}

void simulator::impl::handle_flow_version(const httplib::Request& req, httplib::Response& res,
                                          const std::string& cid) {
  if (!admit(req, res, cid, detail::perm_flow_view)) return;
  const detail::flow* f = detail::find_flow(req.matches[1]);
  const std::string version = req.matches[2];
  if (f == nullptr || f->published_version.empty() || version != f->published_version) {
    return reply_error(res, 404, "not.found", detail::not_found_message, cid);
  }
  json out = version_ref(*f);
  const json self = out["selfUri"];
  out.erase("selfUri");
  if (f->type == "workflow") {
    out["inputSchema"] = input_schema(*f);
    out["outputSchema"] = output_schema(*f);
  }
  out["selfUri"] = self;
  reply(res, 200, out);
}

}  // namespace gcx_sim
