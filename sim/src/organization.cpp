// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "organization.hpp"

#include <array>

namespace gcx_sim::detail {

namespace {

// Fixed values, so scripts and docs can name them. The lookup flow id is the one of the API doc's
// examples (docs/genesys-api.md 9.2).
const demo_config& config() {
  static const demo_config c{
      "5a1f0c3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
      "gcxSimSecret-Qm3xTq8Lk2Vb9Zr5Hn7Wc4Jd6Fp1Y",
      "6b2e1d4f-3c5e-4f7a-9b0c-1d2e3f4a5b6c",
      "gcxSimNoLaunch-Rk4yUr9Ml3Wc0As6Io8Xd5Ke7Gq",
      "4f6d2e0a-9a3b-4c1e-8d59-0c2f5b7a1e33",
      "b7e1c9d2-5a4f-4e8b-9c3d-2f1e0a9b8c7d",
      "d3c2b1a0-9f8e-4d7c-8b6a-5f4e3d2c1b0a",
      "e9f8a7b6-c5d4-4e3f-a2b1-c0d9e8f7a6b5",
      "7c3f2e5a-4d6f-4a8b-8c1d-2e3f4a5b6c7d",
      "gcxSimSecond-Tn5zVs0Nm4Xd1Bt7Jp9Ye6Lf8Hr",
      "custom_-_3f6c1a2e-8b4d-4c7e-9a15-6d2b8e4f0c71",
      "custom_-_9b2d4f6a-1c3e-4a5b-8d7f-0e2c4a6b8d19",
      "custom_-_5e7a9c1b-3d5f-4b6a-9c8e-2f4a6c8e0b23",
      "custom_-_c4e6a8b0-2d4f-4e6a-8b0c-7d9f1b3d5e47",
      "8e4a2c6f-1b3d-4f5a-9e7c-3a5b7d9f1c24",
      "f1e3d5c7-b9a2-4c4e-8f6a-1b3d5f7a9c36",
      "2c4e6a8b-0d2f-4a6c-9e8b-4d6f8a0c2e58",
      "gcxSimNoFlowView-Hs6aWt1Po5Ye2Cu8Kq0Zf7Mg9Jv",
      "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      "gcxSimLaunchOnly-Ut7bXv2Qp6Zf3Dv9Lr1Ag8Nh0Kw",
  };
  return c;
}

// The full clients' roles grant the integrations:* permissions (not the bridge:* ones, which
// belong to the Bridge actions of on-premises connectors).
constexpr unsigned all_permissions = perm_flow_launch | perm_flow_view | perm_execution_view |
                                     perm_contact_view | perm_action_execute | perm_action_view;

const std::array<oauth_client, 5>& clients() {
  static const std::array<oauth_client, 5> c{{
      {config().client_id, config().client_secret, all_permissions, "gcx-sim Customer Lookup"},
      {config().no_launch_client_id, config().no_launch_client_secret,
       perm_execution_view | perm_contact_view | perm_action_view, "gcx-sim Read Only"},
      {config().second_client_id, config().second_client_secret, all_permissions,
       "gcx-sim Customer Lookup 2"},
      {config().no_flow_view_client_id, config().no_flow_view_client_secret,
       all_permissions & ~perm_flow_view, "gcx-sim Runner"},
      {config().launch_only_client_id, config().launch_only_client_secret, perm_flow_launch,
       "gcx-sim Launch Only"},
  }};
  return c;
}

const std::array<flow, 6>& flows() {
  static const std::array<flow, 6> f{{
      {config().lookup_flow_id, "Customer Lookup", "workflow", "3.0", flow_behaviour::lookup},
      {config().failing_flow_id, "Customer Lookup (Broken)", "workflow", "1.0",
       flow_behaviour::fail},
      {config().unpublished_flow_id, "Customer Lookup (Draft)", "workflow", "",
       flow_behaviour::lookup},
      {config().inboundcall_flow_id, "Main IVR", "inboundcall", "12.0", flow_behaviour::lookup},
      {config().renamed_flow_id, "Customer Lookup (Renamed Outputs)", "workflow", "2.0",
       flow_behaviour::lookup, flow_outputs::renamed},
      {config().no_outputs_flow_id, "Customer Lookup (No Outputs)", "workflow", "1.0",
       flow_behaviour::lookup, flow_outputs::none},
  }};
  return f;
}

}  // namespace

const char* permission_name(permission p) {
  switch (p) {
  case perm_none: return "";
  case perm_flow_launch: return "architect:flow:launch";
  case perm_execution_view: return "architect:flowExecution:view";
  case perm_contact_view: return "externalContacts:contact:view";
  case perm_flow_view: return "architect:flow:view";
  case perm_action_execute: return "integrations:action:execute";
  case perm_bridge_execute: return "bridge:actions:execute";
  case perm_action_view: return "integrations:action:view";
  case perm_bridge_view: return "bridge:actions:view";
  }
  return "";
}

std::string permission_list(unsigned any_of) {
  std::string out = "[";
  for (unsigned bit = 1; bit != 0 && bit <= any_of; bit <<= 1) {
    if ((any_of & bit) == 0) continue;
    if (out.size() > 1) out += ", ";
    out += permission_name(static_cast<permission>(bit));
  }
  return out + "]";
}

const demo_config& demo_org() { return config(); }

const oauth_client* find_client(const std::string& id) {
  for (const auto& c : clients()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const flow* find_flow(const std::string& id) {
  for (const auto& f : flows()) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace gcx_sim::detail
