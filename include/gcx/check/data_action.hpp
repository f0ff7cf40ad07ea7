// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_DATA_ACTION_HPP
#define GCX_CHECK_DATA_ACTION_HPP

// The preflight check's data action items (data-action strategies), from
// GET /api/v2/integrations/actions/{actionId}?includeConfig=true, which needs
// integrations:action:view (only the check needs it: without it the items are `skipped`, naming
// it): the action exists, its name and category, remote timeout, `secure` against the lookup's
// configuration; the input the number goes to; the success schema against what is read
// (check/schema_match.hpp). The execute permission is listed as not checked: the check never
// executes the action.

#include <gcx/check/schema_match.hpp>
#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/config.hpp>
#include <gcx/json/backend.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

/// The execute permission's item: never checked (the check never executes the action).
inline void report_execute_permission(check_report& report) {
    report.add("permission integrations:action:execute", check_status::skipped,
               "not checked: only an execution would show it, and the check never executes the action",
               "a 403 on the first lookup means it is missing (or bridge:actions:execute)", check_area::permission);
}

/// Adds the data action's items (`cfg.action`'s) from the action read (`err`: nullptr when it
/// answered 2xx, with `body`, nullptr when not a JSON object). `outputs`: what is read from the
/// action's answer.
template <class J>
void report_data_action(check_report& report, const client_config& cfg, const error* err, const typename J::value* body,
                        const std::optional<std::vector<output_expectation>>& outputs, const std::string& reader) {
    using value_type = typename J::value;
    const data_action_options& a = cfg.action;
    const std::string id = detail::clip(a.action_id, 100);
    if (err && err->http_status == 403) {
        const std::string why =
            "needs integrations:action:view, which this OAuth client lacks (only the check needs it)";
        report.add("data action", check_status::skipped, why,
                   "to have the action checked, give the OAuth client a role with integrations:action:view");
        report.add("action input " + a.input_key, check_status::skipped, why, {}, check_area::configuration);
        skip_outputs(report, outputs, "action ", why);
        report_execute_permission(report);
        return;
    }
    if (err && err->http_status == 404) {
        report.add("data action", check_status::fail, "no data action with id " + id + " in this organization",
                   "check GCX_ACTION_ID (Admin > Integrations > Actions shows it; custom actions look like "
                   "custom_-_<uuid>) and the region",
                   check_area::configuration);
        return;
    }
    if (err || !body) {
        const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
        report.add("data action", check_status::fail,
                   "GET /api/v2/integrations/actions/{id} failed: " + check_detail::failure_text(e), e.hint);
        return;
    }
    const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
    const std::string category = json::get_string_or<J>(*body, "category");
    std::string what = "data action " + name;
    if (!category.empty()) what += " (category " + check_detail::quoted(category) + ")";
    const value_type* secure = J::find(*body, "secure");
    const bool is_secure = secure && J::kind_of(*secure) == json::kind::boolean && J::get_bool(*secure);
    std::int64_t remote_s = -1;
    if (const value_type* cfgv = J::find(*body, "config"); cfgv && J::kind_of(*cfgv) == json::kind::object) {
        remote_s = json::get_int_or<J>(*cfgv, "timeoutSeconds", -1);
        if (remote_s > 0) what += ", its remote call times out after " + std::to_string(remote_s) + " s";
    }
    // An execution waits for its remote up to timeoutSeconds (1 to 60): gcx must wait that long too,
    // or a slow remote ends the lookup as a timeout while the action runs on (and, not read-only,
    // it is not sent again).
    const milliseconds waits = std::min(cfg.request_timeout, cfg.lookup_timeout);
    if (remote_s > 0 && remote_s <= 3600 && milliseconds{remote_s * 1000} > waits) {
        report.add("data action timeout", check_status::warn,
                   "the action's remote may take up to " + std::to_string(remote_s) +
                       " s (timeoutSeconds), longer than gcx waits for the execute request's answer (" +
                       std::to_string((waits.count() + 999) / 1000) + " s)",
                   "raise request_timeout and lookup_timeout (gcx-lookup: --request-timeout and --timeout) above " +
                       std::to_string(remote_s) + " s, or lower the action's timeoutSeconds",
                   check_area::configuration);
    }
    if (is_secure && !a.secure) {
        report.add("data action", check_status::warn,
                   what + "; it is secure (its inputs and outputs may hold personal data) but the lookup is not "
                          "configured as secure: the server's messages may reach errors",
                   "set data_action_options::secure (gcx-lookup: --action-secure) for this action",
                   check_area::configuration);
    } else {
        report.add("data action", check_status::ok, what + (is_secure ? "; secure" : ""), {},
                   check_area::configuration);
    }
    const value_type* contract = J::find(*body, "contract");
    const value_type* input = contract ? J::find(*contract, "input") : nullptr;
    const value_type* output = contract ? J::find(*contract, "output") : nullptr;
    const value_type* in_schema = input ? J::find(*input, "inputSchema") : nullptr;
    const value_type* in_props = check_detail::properties_of<J>(in_schema);
    const std::string in_name = "action input " + a.input_key;
    if (!in_props) {
        report.add(in_name, check_status::skipped, "unchecked: the action publishes no input schema", {},
                   check_area::configuration);
    } else if (const value_type* p = J::find(*in_props, a.input_key); !p) {
        report.add(in_name, check_status::fail,
                   "the action has no input " + a.input_key + "; its inputs: " + check_detail::names_of<J>(*in_props),
                   "set the input key (action.input_key, --action-input-key) to the action's name for the number",
                   check_area::configuration);
    } else {
        const unsigned t = check_detail::schema_types<J>(*p, in_schema);
        const std::string extra = check_detail::other_required<J>(*in_schema, a.input_key);
        if (t != 0 && (t & json_types::string) == 0)  // a union that allows a string takes it
            report.add(in_name, check_status::fail,
                       "action input " + a.input_key + " is " + json_types::to_text(t) +
                           "; the number is sent as a string",
                       "make the action's input a string", check_area::configuration);
        else if (!extra.empty())
            report.add(in_name, check_status::warn,
                       "action input " + a.input_key + " takes the number; the action also requires " + extra +
                           ", which lookups do not send",
                       "make those inputs optional in the action's input contract, or give them defaults",
                       check_area::configuration);
        else
            report.add(in_name, check_status::ok, "action input " + a.input_key + " takes the number", {},
                       check_area::configuration);
    }
    schema_match_options how;
    how.reader = reader;
    how.action = true;
    // With flatten the lookup reads the answer flattened: compare with the flattened schema when given.
    const value_type* success = nullptr;
    if (output && a.flatten) success = J::find(*output, "successSchemaFlattened");
    if (output && !success) success = J::find(*output, "successSchema");
    match_outputs<J>(report, success, outputs, how);
    report_execute_permission(report);
}

GCX_NAMESPACE_END

#endif
