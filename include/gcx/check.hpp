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
// Every credential's token is checked (one item each; with several, named by client id), and
// the later reads use the first credential whose token works.
//
// The check runs within one lookup_timeout. It reads no clock: the round trip it reports is the
// difference of the times the driver handed in. The network item describes what the driver says
// of its transport (check_options::network): the core knows no trust store nor proxy.
//
// The items are worded in check/*.hpp, one concept each: credentials.hpp (the token),
// data_action.hpp, flow.hpp, schema_match.hpp (schemas against what is sent and read),
// permissions.hpp (the probes), limits.hpp, network.hpp (the round trip), text.hpp (shared words).

#include <gcx/call.hpp>
#include <gcx/check/credentials.hpp>
#include <gcx/check/data_action.hpp>
#include <gcx/check/flow.hpp>
#include <gcx/check/limits.hpp>
#include <gcx/check/network.hpp>
#include <gcx/check/permissions.hpp>
#include <gcx/check/schema_match.hpp>
#include <gcx/check_report.hpp>
#include <gcx/reflect/schema.hpp>

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

template <class J>
class check_operation {
public:
    using value_type = typename J::value;

    check_operation(session s, time_point now, check_options opt = {})
        : s_(s), opt_(std::move(opt)), call_(s, 0, operation::check, /*idempotent=*/true, request_governor::kind::fresh,
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
                net_.sent(now, call_.awaiting_api_answer());
                return a;
            }
            if (a.kind != action::type::done) return a;
            finish_step();
        }
    }

    void on_response(result<http::response> r, time_point now, std::chrono::system_clock::time_point wall_now) {
        if (step_ == step::done) return;
        if (call_.awaiting_api_answer()) answered_ = true;
        net_.answered(r.has_value(), now, "GET " + path_);
        call_.on_response(std::move(r), now, wall_now);
        if (call_.finished()) finish_step();
    }

    bool done() const noexcept { return step_ == step::done; }
    token_cache& tokens() noexcept { return call_.tokens(); }

    check_report take_result() { return std::move(report_); }

private:
    enum class step { tokens_me, data_action, flow, flow_version, probe_executions, probe_contacts, limits, done };

    void start(step st) {
        if (limited_ && st != step::done) return finish_all();
        step_ = st;
        answered_ = false;
        const client_config& cfg = s_.config();
        switch (st) {
        case step::tokens_me: path_ = "/api/v2/tokens/me"; break;
        case step::data_action:
            // The schemas come only when the contract is expanded (the SDK's expand=contract).
            path_ = "/api/v2/integrations/actions/" + http::url_encode(cfg.action.action_id) +
                    "?expand=contract&includeConfig=true";
            if (cfg.action.flatten) path_ += "&flatten=true";  // the schemas as the lookup reads the answer
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
        scrub_items();  // with the token the last step used: the next may renew it
        call_.start(std::move(req));
    }

    // What the server sent back as data (a flow's name, a limit's key) is shown as it came: a
    // credential in it (an echo, or a name chosen badly) is removed like one in an error. Each
    // call knows the secrets and its own token: the items are scrubbed before a call takes
    // another token (the next step, another credential) and at the end.
    void scrub_items() {
        for (check_item& i : report_.items) {
            call_.scrub(i.message);
            call_.scrub(i.hint);
        }
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
    flow_check_context flow_context() const { return {s_.config(), opt_.outputs, opt_.reader}; }

    // One credentials item per credential: "credentials" when there is one, else named by the
    // client id (never the secret).
    credential_item credential_item_of(std::size_t i) const {
        credential_item it;
        if (s_.credentials() == 1) return it;
        const client_config& c = s_.config();
        it.name = "credentials " + detail::clip(i == 0 ? c.client_id : c.extra_credentials[i - 1].client_id, 100);
        if (i > 0) {
            it.hint = "check this OAuth client's id and secret (client_config::extra_credentials, gcx-lookup's "
                      "--credentials-file) and the region: all credentials must be of the same org";
            it.own_hint = true;
        }
        return it;
    }
    // The calls from now on go with credential i, within the same deadline.
    void use_credential(std::size_t i) {
        scrub_items();
        cred_ = i;
        call_ =
            api_call<J>(s_, i, operation::check, /*idempotent=*/true, request_governor::kind::fresh, call_.deadline());
    }

    // The call of the current step ended (answer or error): record it, start the next one.
    void finish_step() {
        auto& out = call_.outcome();
        std::optional<value_type> parsed;
        if (out) {
            auto v = J::parse(out->body);
            if (v && J::kind_of(*v) == json::kind::object) parsed = std::move(*v);
        }
        const value_type* body = parsed ? &*parsed : nullptr;
        const error* err = out ? nullptr : &out.error();
        // A request that did not get through is the network item's failure (the flow version's
        // own failure is reported as it is).
        if (err && step_ != step::flow_version) net_.note(*err);
        // A 429 the call could not wait out: every later request of this client would wait too,
        // until the deadline. This step is reported, the rest is not made (finish_all).
        // A token request's 429 is that OAuth client's own (the next credential is still checked).
        if (err && err->kind == errc::rate_limited && !limited_ && (step_ != step::tokens_me || answered_))
            limited_ = *err;
        switch (step_) {
        case step::tokens_me: {
            std::string scopes, org;
            const token_check t =
                report_credential<J>(report_, credential_item_of(cred_), err, answered_, body, scopes, org);
            if (!org.empty() && org_.empty()) org_ = org;
            if (!org.empty() && org != org_) {  // a lookup on this one would look in another org
                check_item& it = report_.items.back();
                it.status = check_status::fail;
                it.message +=
                    ", not of the organization of the credentials before it (id " + check_detail::quoted(org_) + ")";
                it.hint = "all credentials must be of the same org: its flow, contacts and limits are the org's";
                it.area = check_area::credentials;
            }
            // "ok" also when the token works but GET tokens/me did not get through.
            if (report_.items.back().status == check_status::ok) got_token_ = true;
            // Refused, or of another org: no lookup goes with it (an outage or a 429 is not its fault).
            const check_item& last = report_.items.back();
            if (last.status == check_status::fail && last.area != check_area::other) ++failed_credentials_;
            if (t == token_check::working && !use_) {
                use_ = cred_;
                scopes_ = std::move(scopes);
            }
            if (cred_ + 1 < s_.credentials()) {  // every credential's token, one after another
                use_credential(cred_ + 1);
                return start(step::tokens_me);
            }
            if (!use_) return finish_all();
            if (*use_ != cred_) use_credential(*use_);
            if (s_.credentials() > 1)
                if (check_item* i = report_.find(credential_item_of(*use_).name))
                    i->message += "; the checks below use it";
            if (uses_action()) return start(step::data_action);
            return start_after_action();
        }
        case step::data_action:
            report_data_action<J>(report_, s_.config(), err, body,
                                  opt_.action_outputs ? opt_.action_outputs : opt_.outputs, opt_.reader);
            return start_after_action();
        case step::flow:
            if (auto v = report_flow<J>(report_, flow_context(), err, body, flow_view_)) {
                version_ = std::move(*v);
                return start(step::flow_version);
            }
            return start(step::probe_executions);
        case step::flow_version:
            report_flow_version<J>(report_, flow_context(), version_, err, body);
            return start(step::probe_executions);
        case step::probe_executions:
            report_probe(report_, err, "architect:flowExecution:view",
                         "lookups poll each execution for its status and outputs");
            if (uses_direct()) return start(step::probe_contacts);
            return start_limits();
        case step::probe_contacts:
            report_probe(report_, err, "externalContacts:contact:view", "the direct lookup reads External Contacts");
            return start_limits();
        case step::limits:
            report_limits<J>(report_, s_.config(), s_.credentials(), err, body, failed_credentials_);
            return finish_all();
        case step::done: return;
        }
    }

    void start_limits() {
        add_unprobed_permissions();
        start(step::limits);
    }

    void add_unprobed_permissions() {
        if (permissions_listed_) return;
        permissions_listed_ = true;
        if (uses_flow()) report_unprobed_permissions(report_, scopes_, flow_view_);
    }

    // Ends the check: what was not reached is listed as skipped, saying why (the flow and its
    // details, the permission probes, or one "permissions" item without a token, the limits),
    // after a `rate limit` item when a 429 stopped it; then the network item.
    void finish_all() {
        if (limited_ && !report_.find("rate limit")) {
            const error& e = *limited_;
            std::string wait =
                e.retry_after_seconds >= 0 ? " and asked to wait " + std::to_string(e.retry_after_seconds) + " s" : "";
            report_.add("rate limit", check_status::fail,
                        "Genesys Cloud answered " + check_detail::failure_text(e) + wait +
                            ": the checks after that request were not made",
                        "this client's or the org's request limit is spent for now: run the check again later",
                        check_area::other);
        }
        for (std::size_t i = 0; s_.credentials() > 1 && i < s_.credentials(); ++i)  // a 429 stopped before them
            if (!report_.find(credential_item_of(i).name))
                report_.add(credential_item_of(i).name, check_status::skipped,
                            "not checked: rate limited (see rate limit)", {}, check_area::credentials);
        if (!use_ || limited_) {  // no token, the API did not answer GET tokens/me, or a 429 stopped it
            const std::string why = limited_     ? "not checked: rate limited (see rate limit)"
                                    : got_token_ ? "not checked: the API did not answer (see network)"
                                                 : "not checked: no token (see credentials)";
            if (uses_flow() && !report_.find("flow")) {
                report_.add("flow", check_status::skipped, why);
                skip_flow_details(report_, flow_context(), why);
            }
            const std::string executions = "permission architect:flowExecution:view",
                              contacts = "permission externalContacts:contact:view";
            if (!use_ && !report_.find("permissions"))
                report_.add("permissions", check_status::skipped, why, {}, check_area::permission);
            if (use_ && uses_flow() && !report_.find(executions))
                report_.add(executions, check_status::skipped, why, {}, check_area::permission);
            if (use_ && uses_direct() && !report_.find(contacts))
                report_.add(contacts, check_status::skipped, why, {}, check_area::permission);
            if (!report_.find("limits")) report_.add("limits", check_status::skipped, why);
        }
        if (use_) add_unprobed_permissions();
        net_.report(report_, opt_.network);
        scrub_items();
        step_ = step::done;
    }

    session s_;
    check_options opt_;
    api_call<J> call_;
    check_report report_;
    check_network net_;
    step step_ = step::tokens_me;
    std::string path_;
    std::string version_;
    std::string scopes_;
    std::string org_;  // the organization of the first credential whose tokens/me answered
    std::optional<bool> flow_view_;
    bool answered_ = false;           // the API (not the token endpoint) answered the current step
    bool got_token_ = false;          // a credentials item is ok
    std::size_t cred_ = 0;            // the credential of the current call
    std::optional<std::size_t> use_;  // the first credential whose token works: the later steps use it
    bool permissions_listed_ = false;
    std::optional<error> limited_;        // a 429 not waited out: the check stops there
    std::size_t failed_credentials_ = 0;  // credentials whose item failed (tokens_me)
};

GCX_NAMESPACE_END

#endif
