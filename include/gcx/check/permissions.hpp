// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_PERMISSIONS_HPP
#define GCX_CHECK_PERMISSIONS_HPP

// The preflight check's permission items. Two permissions the lookups need are probed with a
// harmless read whose answer tells them apart (the platform checks permissions before looking a
// resource up): a GET of an execution id that cannot exist (architect:flowExecution:view: 404
// present, 403 missing) and an External Contacts lookup of a fictional number
// (externalContacts:contact:view). The launch permission cannot be probed without launching: it
// is listed as not checked, with the token's scopes.

#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>

#include <optional>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace check_detail {
/// The nil-like execution id the permission probe asks for: a valid UUID that is never issued.
inline constexpr std::string_view probe_execution_id = "00000000-0000-4000-8000-000000000000";
/// The number the External Contacts probe looks up: in the 555-01xx range reserved for fiction.
inline constexpr std::string_view probe_number = "+15550100000";
}  // namespace check_detail

/// Adds "permission <permission>" from a probe's outcome (`err`: nullptr when it answered 2xx);
/// `what` says what the lookups need it for. A 404 or 400 says the permission let the request
/// through only when it is Genesys Cloud's own answer (an ErrorBody, whose code the error keeps):
/// a gateway's or a wrong API URL's 404 page says nothing of it.
inline void report_probe(check_report& report, const error* err, const char* permission, const char* what) {
    const std::string name = std::string("permission ") + permission;
    if (err && (err->http_status == 404 || err->http_status == 400) && err->code.empty()) {
        report.add(name, check_status::fail,
                   "could not be probed: the API answered HTTP " + std::to_string(err->http_status) +
                       " without a Genesys Cloud error body",
                   check_detail::api_url_hint, check_area::configuration);
    } else if (!err || err->http_status == 404 || err->http_status == 400) {
        report.add(name, check_status::ok, std::string("present (probed with a harmless read): ") + what, {},
                   check_area::permission);
    } else if (err->http_status == 403) {
        report.add(name, check_status::fail, std::string("missing: ") + what,
                   std::string("give the OAuth client a role with ") + permission + " (Admin > Roles)",
                   check_area::permission);
    } else {
        report.add(name, check_status::skipped, "could not be probed: " + check_detail::failure_text(*err), err->hint,
                   check_area::permission);
    }
}

/// The permissions that are not probed (flow strategies): architect:flow:launch, never checked
/// (`scopes`: the token's, quoted), and architect:flow:view, known from the flow read
/// (`flow_view`: nullopt when the flow read failed otherwise than with a 403 or a 404).
inline void report_unprobed_permissions(check_report& report, const std::string& scopes,
                                        std::optional<bool> flow_view) {
    std::string msg = "not checked: only a launch would show it, and the check never launches a flow";
    if (!scopes.empty()) msg += " (the token's scopes: " + scopes + ")";
    report.add("permission architect:flow:launch", check_status::skipped, msg,
               "a 403 on the first lookup's launch means it is missing", check_area::permission);
    if (flow_view && *flow_view)
        report.add("permission architect:flow:view", check_status::ok,
                   "present (the flow could be read; only the check needs it)");
    else if (flow_view.has_value())
        report.add("permission architect:flow:view", check_status::skipped,
                   "missing (only the check needs it; lookups work without it): the flow checks were skipped",
                   "to have the flow checked, give the OAuth client a role with architect:flow:view");
    else
        report.add("permission architect:flow:view", check_status::skipped,
                   "not known: the flow was not read (see flow; only the check needs it)");
}

GCX_NAMESPACE_END

#endif
