// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_HPP
#define GCX_CHECK_HPP

// The preflight check, sans-I/O (the contract is in operation.hpp): "why doesn't my lookup
// work?" answered before the first lookup. It reads, one GET after another (never launching a
// flow, nothing with side effects):
//
//   GET /api/v2/tokens/me                                  the token, the org and OAuth client names
//   GET /api/v2/integrations/actions/{actionId}            (data-action strategies) exists, its contract
//   GET /api/v2/flows/{flowId}                             exists, not deleted, a workflow, published
//   GET /api/v2/flows/{flowId}/versions/{versionId}        the input and output schemas
//   GET /api/v2/flows/executions/{an id that cannot exist} 404: architect:flowExecution:view is there
//   GET /api/v2/externalcontacts/reversewhitepageslookup   (direct strategies) externalContacts:contact:view
//   GET /api/v2/organizations/limits/namespaces/platform.api   the request limits
//
// and answers a check_report (check_report.hpp). The flow reads need architect:flow:view, which
// only the check needs: without it they are `skipped`, naming the permission. The launch
// permission cannot be probed without launching: it is listed as not checked. Given the outputs
// a struct reads (output_expectations<J, T>, reflect/schema.hpp), every member is compared with
// the flow version's output schema: a variable the flow does not have (fail, or warn for an
// optional member), a JSON type the member cannot take (fail, naming the member, the variable
// and both types), and the outputs the flow has that the struct does not read (warn). How a
// workflow's variables are keyed in a schema ("Flow.X" or "X") is not documented: both are
// accepted, and what cannot be checked is `skipped` as unchecked, never a failure.
//
// The check runs within one lookup_timeout. It reads no clock: the round trip it reports is the
// difference of the times the driver handed in. The network item describes what the driver says
// of its transport (check_options::network): the core knows no trust store nor proxy.

#include <gcx/call.hpp>
#include <gcx/check_report.hpp>
#include <gcx/reflect/schema.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

GCX_NAMESPACE_BEGIN

struct check_options {
    /// What the code reads from the flow's outputs (output_expectations<J, T>()); nullopt: no
    /// struct, only the list of the flow's outputs is reported.
    std::optional<std::vector<output_expectation>> outputs;
    /// What is read from a data action's answer, when it differs from `outputs` (gcx-lookup reads
    /// the action's found key, not the flow's Found); nullopt: `outputs`.
    std::optional<std::vector<output_expectation>> action_outputs;
    /// Who reads the outputs, for messages ("the struct", "gcx-lookup").
    std::string reader = "the struct";
    /// The driver's transport: TLS trust store, proxy (shown in the network check).
    std::string network;
};

namespace check_detail {

/// The nil-like execution id the permission probe asks for: a valid UUID that is never issued.
inline constexpr std::string_view probe_execution_id = "00000000-0000-4000-8000-000000000000";
/// The number the External Contacts probe looks up: in the 555-01xx range reserved for fiction.
inline constexpr std::string_view probe_number = "+15550100000";

inline std::string lower(std::string s) {
    for (auto& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

inline std::string quoted(std::string_view s) { return "'" + detail::clip(s, 200) + "'"; }

/// "HTTP 404 (not.found): The requested resource was not found."
inline std::string failure_text(const error& e) {
    std::string s;
    if (e.http_status != 0) s = "HTTP " + std::to_string(e.http_status);
    if (!e.code.empty()) s += (s.empty() ? "" : " ") + std::string("(") + e.code + ")";
    if (!e.message.empty()) s += (s.empty() ? "" : ": ") + e.message;
    return s;
}

/// The region whose domain the API URL is on, or empty.
inline std::string region_of(const std::string& api_url) {
    auto u = http::parse_url(api_url);
    if (!u) return {};
    for (const auto& r : regions)
        if (u->host == "api." + std::string(r.domain)) return std::string(r.name);
    return {};
}

}  // namespace check_detail

template <class J>
class check_operation {
public:
    using value_type = typename J::value;

    check_operation(session s, time_point now, check_options opt = {})
        : s_(s), opt_(std::move(opt)),
          call_(s, s.pick(now), operation::poll, /*idempotent=*/true, request_governor::kind::fresh,
                op_deadline::from(now, s.config())) {
        const client_config& cfg = s_.config();
        const std::string region = check_detail::region_of(cfg.endpoints.api);
        report_.add("endpoints", check_status::ok,
                    "API " + cfg.endpoints.api + ", login " + cfg.endpoints.login +
                        (region.empty() ? " (not a Genesys Cloud region's domain: a gateway, a proxy or the simulator)"
                                        : " (region " + region + ")"),
                    {}, check_area::configuration);
        start(step::tokens_me);
    }

    action next(time_point now) {
        for (;;) {
            if (step_ == step::done) return action::done();
            action a = call_.next(now);
            if (a.kind == action::type::send) {
                sent_at_ = now;
                sent_api_ = call_.awaiting_api_answer();
                return a;
            }
            if (a.kind != action::type::done) return a;
            finish_step(now);
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (step_ == step::done) return;
        if (call_.awaiting_api_answer()) answered_ = true;
        // One round trip: the first API request's, else the token request's.
        if (r && (!round_trip_ || (sent_api_ && !api_round_trip_))) {
            round_trip_ = std::chrono::duration_cast<milliseconds>(now - sent_at_);
            round_trip_of_ = sent_api_ ? "GET " + path_ : std::string("the token request");
            api_round_trip_ = sent_api_;
        }
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) finish_step(now);
    }

    bool done() const noexcept { return step_ == step::done; }
    token_cache& tokens() noexcept { return call_.tokens(); }

    check_report take_result() { return std::move(report_); }

private:
    enum class step { tokens_me, data_action, flow, flow_version, probe_executions, probe_contacts, limits, done };

    void start(step st) {
        step_ = st;
        answered_ = false;
        const client_config& cfg = s_.config();
        switch (st) {
        case step::tokens_me: path_ = "/api/v2/tokens/me"; break;
        case step::data_action:
            path_ = "/api/v2/integrations/actions/" + http::url_encode(cfg.action.action_id) + "?includeConfig=true";
            break;
        case step::flow: path_ = "/api/v2/flows/" + http::url_encode(cfg.flow_id); break;
        case step::flow_version:
            path_ = "/api/v2/flows/" + http::url_encode(cfg.flow_id) + "/versions/" + http::url_encode(version_);
            break;
        case step::probe_executions:
            path_ = "/api/v2/flows/executions/" + std::string(check_detail::probe_execution_id);
            break;
        case step::probe_contacts:
            path_ = "/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=" +
                    http::url_encode(check_detail::probe_number);
            break;
        case step::limits: path_ = "/api/v2/organizations/limits/namespaces/platform.api"; break;
        case step::done: return;
        }
        http::request req;
        req.verb = http::method::get;
        req.url = cfg.endpoints.api + path_;
        req.fields.push_back({"Accept", "application/json"});
        call_.start(std::move(req));
    }

    bool uses_flow() const { return gcx::uses_flow(s_.config().strategy); }
    bool uses_action() const { return gcx::uses_data_action(s_.config().strategy); }
    bool uses_direct() const {
        const lookup_strategy st = s_.config().strategy;
        return st == lookup_strategy::direct || st == lookup_strategy::flow_then_direct ||
               st == lookup_strategy::data_action_then_direct;
    }
    // After the data action (or the token): the flow, else the direct lookup's probe, else the limits.
    void start_after_action() {
        if (uses_flow()) return start(step::flow);
        if (uses_direct()) return start(step::probe_contacts);
        return start_limits();
    }

    // The call of the current step ended (answer or error): record it, start the next one.
    void finish_step(time_point now) {
        (void)now;
        auto& out = call_.outcome();
        std::optional<value_type> body;
        if (out) {
            auto v = J::parse(out->body);
            if (v && J::kind_of(*v) == json::kind::object) body = std::move(*v);
        }
        const error* err = out ? nullptr : &out.error();
        switch (step_) {
        case step::tokens_me:
            if (!on_tokens_me(err, body)) return finish_all();
            if (uses_action()) return start(step::data_action);
            return start_after_action();
        case step::data_action:
            on_action(err, body);
            return start_after_action();
        case step::flow:
            if (on_flow(err, body)) return start(step::flow_version);
            return start(step::probe_executions);
        case step::flow_version: on_flow_version(err, body); return start(step::probe_executions);
        case step::probe_executions:
            on_probe(err, "architect:flowExecution:view", "lookups poll each execution for its status and outputs");
            if (uses_direct()) return start(step::probe_contacts);
            return start_limits();
        case step::probe_contacts:
            on_probe(err, "externalContacts:contact:view", "the direct lookup reads External Contacts");
            return start_limits();
        case step::limits:
            on_limits(err, body);
            return finish_all();
        case step::done: return;
        }
    }

    // ---- credentials ----------------------------------------------------------------------

    bool on_tokens_me(const error* err, const std::optional<value_type>& body) {
        if (err && !answered_) {
            // The token request itself failed: what the OAuth server said, and what it means.
            const error& e = *err;
            if (e.kind == errc::transport || e.kind == errc::timeout) {
                report_.add("credentials", check_status::skipped,
                            "no token: the login URL did not answer (see network)", {}, check_area::credentials);
                network_error_ = e;
                return false;
            }
            const bool config = e.code == codes::redirect || e.code == codes::token_response ||
                                e.kind == errc::config || e.kind == errc::protocol;
            report_.add("credentials", check_status::fail, "no token: " + check_detail::failure_text(e),
                        e.hint.empty() ? "check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and the region" : e.hint,
                        config ? check_area::configuration : check_area::credentials);
            return false;
        }
        if (err) {
            // A token, but GET tokens/me was refused: the token works for nothing else either
            // when that is a 401; otherwise say what is known.
            const bool refused = err->kind == errc::auth;
            report_.add("credentials", refused ? check_status::fail : check_status::ok,
                        refused ? "a token was obtained but refused: " + check_detail::failure_text(*err)
                                : "a token was obtained (GET /api/v2/tokens/me failed: " +
                                      check_detail::failure_text(*err) + ")",
                        refused ? err->hint : std::string(), check_area::credentials);
            if (err->kind == errc::transport || err->kind == errc::timeout) network_error_ = *err;
            return !refused && !network_error_;
        }
        std::string who = "a token was obtained";
        if (body) {
            const value_type* client = J::find(*body, "OAuthClient");
            const value_type* org = J::find(*body, "organization");
            if (client && J::kind_of(*client) == json::kind::object)
                who += " for OAuth client " + check_detail::quoted(json::get_string_or<J>(*client, "name")) +
                       " (id " + check_detail::quoted(json::get_string_or<J>(*client, "id")) + ")";
            if (org && J::kind_of(*org) == json::kind::object)
                who += " of organization " + check_detail::quoted(json::get_string_or<J>(*org, "name")) + " (id " +
                       check_detail::quoted(json::get_string_or<J>(*org, "id")) + ")";
            if (const value_type* sc = J::find(*body, "authorizedScope"); sc && J::kind_of(*sc) == json::kind::array) {
                J::for_each_element(*sc, [&](const value_type& x) {
                    if (J::kind_of(x) == json::kind::string) {
                        if (!scopes_.empty()) scopes_ += ", ";
                        scopes_ += detail::clip(J::get_string(x), 100);
                    }
                    return true;
                });
            }
        }
        report_.add("credentials", check_status::ok, who, {}, check_area::credentials);
        return true;
    }

    // ---- the data action --------------------------------------------------------------------

    void on_action(const error* err, const std::optional<value_type>& body) {
        const data_action_options& a = s_.config().action;
        const std::string id = detail::clip(a.action_id, 100);
        if (err && err->http_status == 403) {
            const std::string why = "needs integrations:action:view, which this OAuth client lacks (only the check needs it)";
            report_.add("data action", check_status::skipped, why,
                        "to have the action checked, give the OAuth client a role with integrations:action:view");
            const auto& expected = opt_.action_outputs ? opt_.action_outputs : opt_.outputs;
            if (expected)
                for (const auto& x : *expected) report_.add("action output " + x.member, check_status::skipped, why);
            return;
        }
        if (err && err->http_status == 404) {
            report_.add("data action", check_status::fail, "no data action with id " + id + " in this organization",
                        "check GCX_ACTION_ID (Admin > Integrations > Actions shows it; custom actions look like "
                        "custom_-_<uuid>) and the region",
                        check_area::configuration);
            return;
        }
        if (err || !body) {
            const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
            if (err && (err->kind == errc::transport || err->kind == errc::timeout)) network_error_ = *err;
            report_.add("data action", check_status::fail,
                        "GET /api/v2/integrations/actions/{id} failed: " + check_detail::failure_text(e), e.hint);
            return;
        }
        const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
        const std::string category = json::get_string_or<J>(*body, "category");
        std::string what = "data action " + name;
        if (!category.empty()) what += " (category " + check_detail::quoted(category) + ")";
        const value_type* secure = J::find(*body, "secure");
        const bool is_secure = secure && J::kind_of(*secure) == json::kind::boolean && J::get_bool(*secure);
        if (const value_type* cfgv = J::find(*body, "config"); cfgv && J::kind_of(*cfgv) == json::kind::object) {
            const std::int64_t t = json::get_int_or<J>(*cfgv, "timeoutSeconds", -1);
            if (t > 0) what += ", its remote call times out after " + std::to_string(t) + " s";
        }
        if (is_secure && !a.secure) {
            report_.add("data action", check_status::warn,
                        what + "; it is secure (its inputs and outputs may hold personal data) but the lookup is not "
                               "configured as secure: the server's messages may reach errors",
                        "set action.secure = true for this action", check_area::configuration);
        } else {
            report_.add("data action", check_status::ok, what + (is_secure ? "; secure" : ""), {},
                        check_area::configuration);
        }
        const value_type* contract = J::find(*body, "contract");
        const value_type* input = contract ? J::find(*contract, "input") : nullptr;
        const value_type* output = contract ? J::find(*contract, "output") : nullptr;
        const value_type* in_schema = input ? J::find(*input, "inputSchema") : nullptr;
        const value_type* in_props = properties_of(in_schema);
        const std::string in_name = "action input " + a.input_key;
        if (!in_props) {
            report_.add(in_name, check_status::skipped, "unchecked: the action publishes no input schema", {},
                        check_area::configuration);
        } else if (const value_type* p = J::find(*in_props, a.input_key); !p) {
            report_.add(in_name, check_status::fail,
                        "the action has no input " + a.input_key + "; its inputs: " + names_of(*in_props),
                        "set the input key (action.input_key, --action-input-key) to the action's name for the number",
                        check_area::configuration);
        } else {
            const unsigned t = schema_types(*p);
            if (t != 0 && (t & ~json_types::null) != json_types::string)
                report_.add(in_name, check_status::fail,
                            "action input " + a.input_key + " is " + json_types::to_text(t) +
                                "; the number is sent as a string",
                            "make the action's input a string", check_area::configuration);
            else
                report_.add(in_name, check_status::ok, "action input " + a.input_key + " takes the number", {},
                            check_area::configuration);
        }
        check_outputs(output ? J::find(*output, "successSchema") : nullptr, true);
        report_.add("permission integrations:action:execute", check_status::skipped,
                    "not checked: only an execution would show it, and the check never executes the action",
                    "a 403 on the first lookup means it is missing (or bridge:actions:execute)", check_area::permission);
    }

    // ---- the flow -------------------------------------------------------------------------

    void skip_flow_details(const std::string& why) {
        report_.add("input " + s_.config().input_variable, check_status::skipped, why, {}, check_area::configuration);
        report_.add("outputs", check_status::skipped, why);
        if (opt_.outputs)
            for (const auto& x : *opt_.outputs) report_.add("output " + x.member, check_status::skipped, why);
    }

    // True when the version is to be read.
    bool on_flow(const error* err, const std::optional<value_type>& body) {
        const client_config& cfg = s_.config();
        if (err && err->http_status == 403) {
            flow_view_ = false;
            const std::string why = "needs architect:flow:view, which this OAuth client lacks (only the check needs it)";
            report_.add("flow", check_status::skipped, why,
                        "to have the flow checked, give the OAuth client a role with architect:flow:view");
            skip_flow_details(why);
            return false;
        }
        flow_view_ = true;
        if (err && err->http_status == 404) {
            report_.add("flow", check_status::fail, "no flow with id " + cfg.flow_id + " in this organization",
                        "check TARGET_FLOW_ID (Architect shows the id in the flow's URL) and the region: a flow of "
                        "another org or region is not found",
                        check_area::configuration);
            skip_flow_details("no flow");
            return false;
        }
        if (err || !body) {
            const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
            report_.add("flow", check_status::fail, "GET /api/v2/flows/{id} failed: " + check_detail::failure_text(e),
                        e.hint);
            if (err && (err->kind == errc::transport || err->kind == errc::timeout)) network_error_ = *err;
            skip_flow_details("the flow could not be read");
            return false;
        }
        const std::string name = check_detail::quoted(json::get_string_or<J>(*body, "name"));
        const std::string type = check_detail::lower(json::get_string_or<J>(*body, "type"));
        const value_type* deleted = J::find(*body, "deleted");
        if (deleted && J::kind_of(*deleted) == json::kind::boolean && J::get_bool(*deleted)) {
            report_.add("flow", check_status::fail, "flow " + name + " is deleted",
                        "restore it in Architect or set TARGET_FLOW_ID to the flow in use");
            skip_flow_details("the flow is deleted");
            return false;
        }
        if (!type.empty() && type != "workflow") {
            report_.add("flow", check_status::fail,
                        "flow " + name + " is of type " + detail::clip(type, 40) +
                            ": only a workflow can be launched through the API (an " + detail::clip(type, 40) +
                            " flow is started by its own channel)",
                        "create a Workflow flow in Architect for the lookup and set TARGET_FLOW_ID to its id",
                        check_area::configuration);
            skip_flow_details("not a workflow");
            return false;
        }
        std::string published;
        if (const value_type* pv = J::find(*body, "publishedVersion"); pv && J::kind_of(*pv) == json::kind::object)
            published = json::get_string_or<J>(*pv, "id");
        if (published.empty()) {
            report_.add("flow", check_status::fail, "flow " + name + " has never been published",
                        "publish the flow in Architect: only a published version can be launched");
            skip_flow_details("the flow has no published version");
            return false;
        }
        version_ = cfg.flow_version.empty() ? published : cfg.flow_version;
        report_.add("flow", check_status::ok,
                    "flow " + name + " (" + (type.empty() ? std::string("type not given") : type) +
                        "), published version " + detail::clip(published, 40) +
                        (cfg.flow_version.empty() ? std::string(", which lookups launch")
                                                  : "; lookups launch version " + detail::clip(cfg.flow_version, 40)));
        return true;
    }

    /// A schema's "properties" object, or nullptr.
    static const value_type* properties_of(const value_type* schema) {
        if (!schema || J::kind_of(*schema) != json::kind::object) return nullptr;
        const value_type* p = J::find(*schema, "properties");
        return p && J::kind_of(*p) == json::kind::object ? p : nullptr;
    }

    /// The property `name` (or, for "Flow.X", "X"; for "X", "Flow.X"), and the key it was found under.
    static const value_type* property(const value_type& props, const std::string& name, const std::string& bare,
                                      std::string* key = nullptr) {
        std::vector<std::string> keys{name};
        if (!bare.empty()) keys.push_back(bare);
        if (bare.empty() && name.rfind("Flow.", 0) == 0) keys.push_back(name.substr(5));
        if (name.rfind("Flow.", 0) != 0) keys.push_back("Flow." + name);
        for (const auto& k : keys)
            if (const value_type* v = J::find(props, k)) {
                if (key) *key = k;
                return v;
            }
        return nullptr;
    }

    /// A property's "type" as json_types bits; 0 when absent or not one the check knows.
    static unsigned schema_types(const value_type& prop) {
        if (J::kind_of(prop) != json::kind::object) return 0;
        const value_type* t = J::find(prop, "type");
        if (!t) return 0;
        if (J::kind_of(*t) == json::kind::string) return json_types::from_name(J::get_string(*t));
        if (J::kind_of(*t) != json::kind::array) return 0;
        unsigned bits = 0;
        bool known = true;
        J::for_each_element(*t, [&](const value_type& x) {
            const unsigned b = J::kind_of(x) == json::kind::string ? json_types::from_name(J::get_string(x)) : 0;
            known = known && b != 0;
            bits |= b;
            return true;
        });
        return known ? bits : 0;
    }

    static std::string names_of(const value_type& props, std::size_t max = 12) {
        std::string out;
        std::size_t n = 0;
        J::for_each_member(props, [&](std::string_view k, const value_type&) {
            if (n++ < max) out += (out.empty() ? "" : ", ") + detail::clip(k, 100);
            return true;
        });
        if (n > max) out += ", ... (" + std::to_string(n) + " in all)";
        return out;
    }

    void on_flow_version(const error* err, const std::optional<value_type>& body) {
        if (err || !body) {
            const error e = err ? *err : make_error(errc::protocol, "the answer is not a JSON object");
            const bool configured = !s_.config().flow_version.empty();
            report_.add("flow version", check_status::fail,
                        "version " + detail::clip(version_, 40) + " could not be read: " + check_detail::failure_text(e),
                        configured && e.http_status == 404 ? "the configured flow_version does not exist: leave it "
                                                             "empty to launch the published version"
                                                           : e.hint,
                        configured && e.http_status == 404 ? check_area::configuration : check_area::other);
            skip_flow_details("the flow version could not be read");
            return;
        }
        check_input(J::find(*body, "inputSchema"));
        check_outputs(J::find(*body, "outputSchema"), false);
    }

    void check_input(const value_type* schema) {
        const std::string& var = s_.config().input_variable;
        const std::string name = "input " + var;
        const value_type* props = properties_of(schema);
        if (!props) {
            report_.add(name, check_status::skipped, "unchecked: the flow version publishes no input schema", {},
                        check_area::configuration);
            return;
        }
        std::string key;
        const value_type* p = property(*props, var, {}, &key);
        if (!p) {
            const std::string have = names_of(*props);
            report_.add(name, check_status::fail,
                        "the flow has no input variable " + var +
                            (have.empty() ? std::string(" (it has no inputs)") : "; its inputs: " + have),
                        "in Architect, mark the phone number variable 'Input to flow' and publish, or set the input "
                        "variable (input_variable, --input-var) to the flow's name for it",
                        check_area::configuration);
            return;
        }
        const unsigned t = schema_types(*p);
        std::string extra;
        if (const value_type* req = J::find(*schema, "required"); req && J::kind_of(*req) == json::kind::array)
            J::for_each_element(*req, [&](const value_type& x) {
                if (J::kind_of(x) == json::kind::string && J::get_string(x) != key)
                    extra += (extra.empty() ? "" : ", ") + detail::clip(J::get_string(x), 100);
                return true;
            });
        if (t == 0) {
            report_.add(name, check_status::skipped, "unchecked: the schema gives " + key + " no type gcx knows", {},
                        check_area::configuration);
        } else if ((t & ~json_types::null) != json_types::string) {
            report_.add(name, check_status::fail,
                        "input variable " + key + " is " + json_types::to_text(t) + "; the number is sent as a string",
                        "make " + key + " a String variable in Architect and publish", check_area::configuration);
        } else if (!extra.empty()) {
            report_.add(name, check_status::warn, "input variable " + key + " is a string; the flow also requires " + extra,
                        "pass those inputs with each lookup (lookup(phone, inputs)), or make them optional in the flow",
                        check_area::configuration);
        } else {
            report_.add(name, check_status::ok, "input variable " + key + " is a string", {}, check_area::configuration);
        }
    }

    // The flow version's output schema, or (`action`) the data action's success schema, against
    // what opt_.outputs reads.
    void check_outputs(const value_type* schema, bool action) {
        const std::string who = action ? "the action" : "the flow";
        const std::string pre = action ? "action " : "";
        const auto& expected = action && opt_.action_outputs ? opt_.action_outputs : opt_.outputs;
        const value_type* props = properties_of(schema);
        if (!props) {
            const std::string why = action ? "unchecked: the action publishes no success schema" : "unchecked: the flow version publishes no output schema";
            report_.add(pre + "outputs", check_status::skipped, why);
            if (expected)
                for (const auto& x : *expected) report_.add(pre + "output " + x.member, check_status::skipped, why);
            return;
        }
        const std::size_t count = J::size(*props);
        if (count == 0) {
            report_.add(pre + "outputs", check_status::warn,
                        who + (action ? " declares no outputs" : " declares no output variables") +
                            ": every lookup returns empty outputs",
                        action ? "give the action's output contract the keys the lookup needs"
                               : "in Architect, mark the variables the lookup sets 'Output from flow' and publish");
        } else {
            report_.add(pre + "outputs", check_status::ok,
                        who + " outputs " + std::to_string(count) + " variable" + (count == 1 ? "" : "s") + ": " +
                            names_of(*props, 20));
        }
        if (!expected) return;
        std::vector<std::string> read_keys;
        for (const auto& x : *expected) {
            const std::string item = pre + "output " + x.member;
            std::string key;
            const value_type* p = property(*props, x.variable, x.bare, &key);
            if (!p) {
                const std::string from = action ? (x.bare.empty() ? x.variable : x.bare) : x.variable;
                const std::string msg = opt_.reader + " reads member " + x.member + " from " + from + ", which " + who +
                                        " does not output";
                const std::string fix = action ? "add " + from + " to the action's output contract, or map the member "
                                                 "to the action's name (gcx_json_name)"
                                               : "name an 'Output from flow' variable " + x.variable +
                                                     " in Architect, or map the member to the flow's name (gcx_json_name)";
                if (x.optional)
                    report_.add(item, check_status::warn, msg + ": it will always be empty", fix);
                else
                    report_.add(item, check_status::fail, msg + ": every lookup will fail to map", fix);
                continue;
            }
            read_keys.push_back(key);
            const unsigned t = schema_types(*p);
            const std::string need = json_types::to_text(x.types);
            if (t == 0) {
                report_.add(item, check_status::skipped,
                            "unchecked: member " + x.member + " reads " + key +
                                ", whose schema type gcx does not know (it needs " + need + ")");
                continue;
            }
            const unsigned missing = t & ~x.types & ~json_types::null;
            const std::string has = json_types::to_text(t);
            if (missing == 0) {
                report_.add(item, check_status::ok,
                            "member " + x.member + " reads " + key + " (" + has +
                                (x.json_in_string && (t & json_types::string) != 0 ? ", JSON in a string" : "") + ")");
            } else if (missing == json_types::number && (x.types & json_types::integer) != 0) {
                report_.add(item, check_status::warn,
                            "member " + x.member + " (integer) reads " + key + ", a number: a value with a fraction "
                            "will fail to map",
                            "make the member a double, or the flow's variable an Integer");
            } else {
                report_.add(item, check_status::fail,
                            "member " + x.member + " reads " + key + ": " + who + " outputs " + has +
                                ", the member needs " + need,
                            "change the member's type to take " + has + ", or " + who + "'s output to " + need);
            }
        }
        std::string unread;
        std::size_t n_unread = 0;
        J::for_each_member(*props, [&](std::string_view k, const value_type&) {
            if (std::find(read_keys.begin(), read_keys.end(), k) == read_keys.end()) {
                if (n_unread++ < 20) unread += (unread.empty() ? "" : ", ") + detail::clip(k, 100);
            }
            return true;
        });
        if (n_unread == 0)
            report_.add(pre + "outputs not read", check_status::ok, opt_.reader + " reads every output of " + who);
        else
            report_.add(pre + "outputs not read", check_status::warn,
                        std::to_string(n_unread) + " output" + (n_unread == 1 ? "" : "s") + " of " + who + " " +
                            opt_.reader + " does not read: " + unread,
                        "add members for them if they are needed (a name differing only in spelling is a likely "
                        "mismatch)");
    }

    // ---- permissions ----------------------------------------------------------------------

    void on_probe(const error* err, const char* permission, const char* what) {
        const std::string name = std::string("permission ") + permission;
        if (!err || err->http_status == 404 || err->http_status == 400) {
            report_.add(name, check_status::ok, std::string("present (probed with a harmless read): ") + what, {},
                        check_area::permission);
        } else if (err->http_status == 403) {
            report_.add(name, check_status::fail, std::string("missing: ") + what,
                        std::string("give the OAuth client a role with ") + permission + " (Admin > Roles)",
                        check_area::permission);
        } else {
            if (err->kind == errc::transport || err->kind == errc::timeout) network_error_ = *err;
            report_.add(name, check_status::skipped, "could not be probed: " + check_detail::failure_text(*err),
                        err->hint, check_area::permission);
        }
    }

    void start_limits() {
        add_unprobed_permissions();
        start(step::limits);
    }

    void add_unprobed_permissions() {
        if (permissions_listed_) return;
        permissions_listed_ = true;
        if (uses_flow()) {
            std::string msg = "not checked: only a launch would show it, and the check never launches a flow";
            if (!scopes_.empty()) msg += " (the token's scopes: " + scopes_ + ")";
            report_.add("permission architect:flow:launch", check_status::skipped, msg,
                        "a 403 on the first lookup's launch means it is missing", check_area::permission);
            if (flow_view_ && *flow_view_)
                report_.add("permission architect:flow:view", check_status::ok,
                            "present (the flow could be read; only the check needs it)");
            else if (flow_view_.has_value())
                report_.add("permission architect:flow:view", check_status::skipped,
                            "missing (only the check needs it; lookups work without it): the flow checks were skipped",
                            "to have the flow checked, give the OAuth client a role with architect:flow:view");
        }
    }

    // ---- limits ---------------------------------------------------------------------------

    void on_limits(const error* err, const std::optional<value_type>& body) {
        const client_config& cfg = s_.config();
        const double rate = cfg.budget.requests_per_minute;
        const std::size_t creds = s_.credentials();
        auto per_minute = [](double r) {
            return std::to_string(static_cast<long long>(r + 0.5));
        };
        std::string governor =
            rate <= 0 ? std::string("the request governor does not pace (requests_per_minute 0)")
                      : "the request governor paces each of " + std::to_string(creds) + " credential" +
                            (creds == 1 ? "" : "s") + " at " + per_minute(rate * std::clamp(cfg.budget.headroom, 0.01, 1.0)) +
                            " requests/min (" + per_minute(100 * std::clamp(cfg.budget.headroom, 0.01, 1.0)) +
                            "% of requests_per_minute " + per_minute(rate) + ")";
        if (err || !body) {
            if (err && (err->kind == errc::transport || err->kind == errc::timeout)) network_error_ = *err;
            report_.add("limits", check_status::skipped,
                        "the org's limits could not be read" +
                            (err ? " (" + check_detail::failure_text(*err) + ")" : std::string()) + "; " + governor);
            return;
        }
        long long per_token = -1, org = -1;
        std::string listed;
        if (const value_type* ents = J::find(*body, "entities"); ents && J::kind_of(*ents) == json::kind::array)
            J::for_each_element(*ents, [&](const value_type& e) {
                if (J::kind_of(e) != json::kind::object) return true;
                const std::string key = json::get_string_or<J>(e, "key");
                const std::int64_t v = json::get_int_or<J>(e, "value", -1);
                if (key.empty() || v < 0) return true;
                listed += (listed.empty() ? "" : ", ") + detail::clip(key, 100) + " = " + std::to_string(v);
                if (key == "client.credentials.token.rate.per.minute") per_token = v;
                else if (key.find("org") != std::string::npos && key.find("per.minute") != std::string::npos)
                    org = v;
                return true;
            });
        const std::string msg = (listed.empty() ? std::string("no limit listed") : listed) + "; " + governor;
        if (per_token > 0 && rate > static_cast<double>(per_token)) {
            report_.add("limits", check_status::warn, msg,
                        "the governor would send more than the per-token limit: set budget.requests_per_minute "
                        "(--rate) to at most " + std::to_string(per_token));
        } else if (org > 0 && rate > 0 && rate * static_cast<double>(creds) > static_cast<double>(org)) {
            report_.add("limits", check_status::warn, msg,
                        "all credentials together may exceed the org-wide limit of " + std::to_string(org) +
                            "/min: expect 429s, or lower the rate");
        } else {
            report_.add("limits", check_status::ok, msg);
        }
    }

    // ---- the end --------------------------------------------------------------------------

    void finish_all() {
        const bool got_token = report_.find("credentials") && report_.find("credentials")->status == check_status::ok;
        if (!got_token) {
            const std::string why = "not checked: no token (see credentials)";
            if (uses_flow()) {
                report_.add("flow", check_status::skipped, why);
                skip_flow_details(why);
            }
            report_.add("permissions", check_status::skipped, why, {}, check_area::permission);
            report_.add("limits", check_status::skipped, why);
        } else {
            add_unprobed_permissions();
        }
        std::string net = opt_.network.empty() ? std::string("transport as configured by the driver") : opt_.network;
        if (network_error_) {
            const error& e = *network_error_;
            report_.add("network", check_status::fail, net + "; " + check_detail::failure_text(e),
                        e.hint.empty() ? std::string("check the network path to Genesys Cloud (proxy, firewall, "
                                                     "TLS trust store) and the region; a slow link needs a longer "
                                                     "lookup timeout")
                                       : e.hint);
        } else if (round_trip_) {
            report_.add("network", check_status::ok,
                        net + "; one round trip (" + round_trip_of_ + "): " + std::to_string(round_trip_->count()) +
                            " ms");
        } else {
            report_.add("network", check_status::skipped, net + "; no answer was received");
        }
        step_ = step::done;
    }

    session s_;
    check_options opt_;
    api_call<J> call_;
    check_report report_;
    step step_ = step::tokens_me;
    std::string path_;
    std::string version_;
    std::string scopes_;
    std::optional<bool> flow_view_;
    bool answered_ = false;  // the API (not the token endpoint) answered the current step
    bool sent_api_ = false;
    bool api_round_trip_ = false;
    bool permissions_listed_ = false;
    time_point sent_at_{};
    std::optional<milliseconds> round_trip_;
    std::string round_trip_of_;
    std::optional<error> network_error_;
};

GCX_NAMESPACE_END

#endif
