// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_FLOW_HPP
#define GCX_CHECK_FLOW_HPP

// The preflight check's flow items, from GET /api/v2/flows/{flowId} (exists, not deleted, a
// workflow, published: the "flow" item) and GET /api/v2/flows/{flowId}/versions/{versionId} (the
// input and output schemas, matched by check/schema_match.hpp). Both need architect:flow:view,
// which only the check needs: a 403 makes the flow's items `skipped`, naming it.

#include <gcx/check/schema_match.hpp>
#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/config.hpp>
#include <gcx/json/backend.hpp>

#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// What the flow items compare the flow with.
struct flow_check_context {
    const client_config& cfg;
    const std::optional<std::vector<output_expectation>>& outputs;  ///< what the struct reads
    const std::string& reader;                                      ///< who reads them
};

/// The items that depend on the flow version (input, outputs, each output), marked skipped.
inline void skip_flow_details(check_report& report, const flow_check_context& c, const std::string& why) {
    report.add("input " + c.cfg.input_variable, check_status::skipped, why, {}, check_area::configuration);
    report.add("outputs", check_status::skipped, why);
    skip_outputs(report, c.outputs, "", why);
}

/// Adds the "flow" item from the flow read (`err`: nullptr when it answered 2xx, with `body`,
/// nullptr when not a JSON object). Returns the version to read (the configured flow_version,
/// else the published one), or nullopt when the version is not to be read (the flow's details
/// are then skipped). `flow_view` says whether architect:flow:view is present.
template <class J>
std::optional<std::string> report_flow(check_report& report, const flow_check_context& c, const error* err,
                                       const typename J::value* body, std::optional<bool>& flow_view) {
    using value_type = typename J::value;
    const client_config& cfg = c.cfg;
    if (err && err->http_status == 403) {
        flow_view = false;
        const std::string why = "needs architect:flow:view, which this OAuth client lacks (only the check needs it)";
        report.add("flow", check_status::skipped, why,
                   "to have the flow checked, give the OAuth client a role with architect:flow:view");
        skip_flow_details(report, c, why);
        return std::nullopt;
    }
    // Read (2xx) or known not to exist (404): the permission is there. Any other failure (401,
    // 5xx, the network) says nothing of it: left unknown.
    if (!err || err->http_status == 404) flow_view = true;
    if (err && err->http_status == 404) {
        report.add("flow", check_status::fail, "no flow with id " + cfg.flow_id + " in this organization",
                   "check TARGET_FLOW_ID (Architect shows the id in the flow's URL) and the region: a flow of "
                   "another org or region is not found",
                   check_area::configuration);
        skip_flow_details(report, c, "no flow");
        return std::nullopt;
    }
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        report.add("flow", check_status::fail, "GET /api/v2/flows/{id} failed: " + check_detail::failure_text(e),
                   e.hint, e.kind == errc::auth ? check_area::credentials : check_area::other);
        skip_flow_details(report, c, "the flow could not be read");
        return std::nullopt;
    }
    const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
    const std::string type = check_detail::lower(json::get_string_or<J>(*body, "type"));
    const value_type* deleted = J::find(*body, "deleted");
    if (deleted && J::kind_of(*deleted) == json::kind::boolean && J::get_bool(*deleted)) {
        report.add("flow", check_status::fail, "flow " + name + " is deleted",
                   "restore it in Architect or set TARGET_FLOW_ID to the flow in use", check_area::configuration);
        skip_flow_details(report, c, "the flow is deleted");
        return std::nullopt;
    }
    if (!type.empty() && type != "workflow") {
        report.add("flow", check_status::fail,
                   "flow " + name + " is of type " + detail::clip(type, 40) +
                       ": only a workflow can be launched through the API (an " + detail::clip(type, 40) +
                       " flow is started by its own channel)",
                   "create a Workflow flow in Architect for the lookup and set TARGET_FLOW_ID to its id",
                   check_area::configuration);
        skip_flow_details(report, c, "not a workflow");
        return std::nullopt;
    }
    std::string published;
    if (const value_type* pv = J::find(*body, "publishedVersion"); pv && J::kind_of(*pv) == json::kind::object)
        published = json::get_string_or<J>(*pv, "id");
    if (published.empty()) {
        report.add("flow", check_status::fail, "flow " + name + " has never been published",
                   "publish the flow in Architect: only a published version can be launched",
                   check_area::configuration);  // as a batch's launch of it: a configuration error (exit 2)
        skip_flow_details(report, c, "the flow has no published version");
        return std::nullopt;
    }
    report.add("flow", check_status::ok,
               "flow " + name + " (" + (type.empty() ? std::string("type not given") : type) + "), published version " +
                   detail::clip(published, 40) +
                   (cfg.flow_version.empty() ? std::string(", which lookups launch")
                                             : "; lookups launch version " + detail::clip(cfg.flow_version, 40)));
    return cfg.flow_version.empty() ? published : cfg.flow_version;
}

/// Adds the items of the flow version `version` (its input and output schemas against the
/// configured input variable and the outputs read), or "flow version" when it could not be read.
template <class J>
void report_flow_version(check_report& report, const flow_check_context& c, const std::string& version,
                         const error* err, const typename J::value* body) {
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        const bool configured = !c.cfg.flow_version.empty();
        report.add("flow version", check_status::fail,
                   "version " + detail::clip(version, 40) + " could not be read: " + check_detail::failure_text(e),
                   configured && e.http_status == 404 ? "the configured flow_version does not exist: leave it "
                                                        "empty to launch the published version"
                                                      : e.hint,
                   configured && e.http_status == 404 ? check_area::configuration : check_area::other);
        skip_flow_details(report, c, "the flow version could not be read");
        return;
    }
    match_input<J>(report, J::find(*body, "inputSchema"), c.cfg.input_variable);
    schema_match_options how;
    how.reader = c.reader;
    match_outputs<J>(report, J::find(*body, "outputSchema"), c.outputs, how);
}

GCX_NAMESPACE_END

#endif
