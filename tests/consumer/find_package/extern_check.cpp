// Part of lookup_once (CMakeLists.txt), whose units gcx_separate_compilation() compiles with
// GCX_EXTERN_TEMPLATES: this one includes the extern declarations (with the multi-header tree a
// unit includes <gcx/json/boost_json_templates.hpp> for them) and instantiates a typed lookup
// with gcx's models, so the program links only if the generated unit compiled the machinery.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/json/boost_json_templates.hpp>
#include <gcx/adapters/curl.hpp>

#include <optional>
#include <string_view>

#ifndef GCX_EXTERN_TEMPLATES
#error "gcx_separate_compilation() did not define GCX_EXTERN_TEMPLATES for the target's units"
#endif

namespace {
struct contact_outputs {
    std::optional<bool> Found;
    std::optional<gcx::external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(contact_outputs, (), (Found, externalContact))
}  // namespace

// Called by nothing: an object's undefined symbols must all resolve at link time all the same.
bool gcx_once_contact_found(const gcx::client_config& cfg, std::string_view number) {
    auto client = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>::create(cfg);
    if (!client) return false;
    auto r = client->lookup<contact_outputs>(number);
    return r && r->outputs.externalContact.has_value();
}
