// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The fixed simulated organisation: OAuth clients with their roles, and the flows.
#ifndef GCX_SIM_ORGANIZATION_HPP
#define GCX_SIM_ORGANIZATION_HPP

#include <string>

#include "gcx_sim/simulator.hpp"

namespace gcx_sim::detail {

// Permissions granted to a client through its roles (client credentials ignore OAuth scopes).
enum permission : unsigned {
  perm_none = 0,                  // any live token will do
  perm_flow_launch = 1u << 0,     // architect:flow:launch
  perm_execution_view = 1u << 1,  // architect:flowExecution:view
  perm_contact_view = 1u << 2,    // externalContacts:contact:view
  perm_flow_view = 1u << 3,       // architect:flow:view
  perm_action_execute = 1u << 4,  // integrations:action:execute
  perm_bridge_execute = 1u << 5,  // bridge:actions:execute
  perm_action_view = 1u << 6,     // integrations:action:view
  perm_bridge_view = 1u << 7,     // bridge:actions:view
};
const char* permission_name(permission p);
// "[a]" or "[a, b]": the permissions of `any_of` (one bit or several) as a 403 names them.
std::string permission_list(unsigned any_of);

struct oauth_client {
  std::string id;
  std::string secret;
  unsigned permissions;
  std::string name;
};

// What the simulated flow does once its run time is over.
enum class flow_behaviour { lookup, fail };

// The "Output from flow" variables a workflow declares (its version's outputSchema) and sets.
enum class flow_outputs {
  standard,  // Flow.Found, Flow.MatchCount, Flow.ContactId, ..., Flow.externalContact
  renamed,   // the same facts under other names: Flow.CustomerFound, Flow.Contact, ...
  none,      // no output variables: every execution's outputData is {}
};

struct flow {
  std::string id;
  std::string name;
  std::string type;               // lower-case flow type as in GET /api/v2/flows?type=
  std::string published_version;  // empty = never published
  flow_behaviour behaviour;
  flow_outputs outputs = flow_outputs::standard;
};

// What a data action's remote does (see simulator.hpp).
enum class action_behaviour { lookup, remote_fails, remote_times_out };

struct data_action {
  std::string id;
  std::string name;
  action_behaviour behaviour;
  bool secure;
  int timeout_seconds;  // ActionConfig.timeoutSeconds, 1-60
};

const demo_config& demo_org();
const oauth_client* find_client(const std::string& id);
const flow* find_flow(const std::string& id);

}  // namespace gcx_sim::detail

#endif
