// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_DATA_ACTION_HPP
#define GCX_DATA_ACTION_HPP

// A lookup through a published data action, sans-I/O (operation.hpp has the contract): one
// request, no polling. The action runs on Genesys Cloud (a CRM call, a reverse-whitepages
// lookup...) and its result comes back in the same answer (docs/genesys-api.md 11.4).
//
//   POST {api}/api/v2/integrations/actions/{actionId}/execute[?flatten=true]
//        {"phoneNumber": "+1...", <extra inputs>}  -> the action's output: a JSON object
//
// The number goes under data_action_options::input_key, beside the extra inputs (a JSON object
// of the action's input names; typed: write_inputs<J>(inputs, "")). The answer is the lookup's
// outputs as the action returns them, without a "Flow." prefix: map_outputs (and every
// take_result_as) binds member X to the key X. Found or not found is decided by the rule of
// data_action_options (its found_key, else any output with a value) and is execution_info::found.
//
// Retries, the request governor, the deadline, error kinds and scrubbing are api_call's, as for
// every request. Executing an action is not idempotent in general (it may write), so it is
// retried like a flow launch: only when it certainly did not run (429, no connection, 503 with
// Retry-After); data_action_options::idempotent declares a read-only action, retried like a GET.
// A failed execution (a remote system's 4xx or timeout comes back as a Genesys ErrorBody) is
// classified by its HTTP status, its server code kept. With data_action_options::secure, no error
// carries a value of the action's inputs or outputs: the server's message is dropped, the input
// values are scrubbed from every text, and mapping errors never quote values in any case.

#include <gcx/lookup.hpp>
#include <gcx/one_call.hpp>
#include <gcx/phone.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

namespace detail {
/// Every string and number of a JSON value (object members and array elements, at any depth
/// below json::default_max_depth), as a server would echo it, for scrubbing a secure action's
/// input values from errors. (redact passes over those shorter than 4 characters.)
template <class J>
void collect_strings(const typename J::value& v, std::vector<std::string>& out, std::size_t depth = 0) {
    if (depth > json::default_max_depth) return;
    switch (J::kind_of(v)) {
    case json::kind::string: out.emplace_back(J::get_string(v)); return;
    case json::kind::integer:
    case json::kind::uint:
    case json::kind::number: out.push_back(J::serialize(v)); return;
    case json::kind::object:
        J::for_each_member(v, [&](std::string_view, const typename J::value& m) {
            collect_strings<J>(m, out, depth + 1);
            return true;
        });
        return;
    case json::kind::array:
        J::for_each_element(v, [&](const typename J::value& m) {
            collect_strings<J>(m, out, depth + 1);
            return true;
        });
        return;
    default: return;
    }
}

/// A secure action's error answer with only what cannot hold a value of its inputs or outputs:
/// the code, the status and the contextId of an ErrorBody, or the errorCode and correlationId of
/// the integrations' own shape (empty if the body is not JSON).
template <class J>
std::string withheld_error_body(std::string_view body) {
    auto v = J::parse(body, 32);
    if (!v || J::kind_of(*v) != json::kind::object) return std::string();
    auto out = J::make_object();
    for (const char* key :
         {"code", "status", "contextId", "errorCode", "correlationId"})  // ErrorBody's, the integrations'
        if (const auto* m = J::find(*v, key)) {
            const auto k = J::kind_of(*m);
            if (k == json::kind::string || k == json::kind::integer) J::set(out, key, *m);
        }
    // The errorCode that says the action ran and its remote failed ("ACTION.REMOTE_ENDPOINT"):
    // Genesys's word, not the action's data.
    error probe;
    read_action_failure<J>(*v, probe);
    if (action_ran(probe)) {
        auto detail = J::make_object();
        J::set(detail, "errorCode", J::make_string(probe.code));
        auto details = J::make_array();
        J::push_back(details, std::move(detail));
        J::set(out, "details", std::move(details));
    }
    return J::serialize(out);
}
}  // namespace detail

template <class J>
class data_action_operation : public detail::one_call_operation<data_action_operation<J>, J>,
                              public detail::outputs_as_struct<data_action_operation<J>, J> {
    using base = detail::one_call_operation<data_action_operation<J>, J>;
    friend base;
    using base::call_;

public:
    using value_type = typename J::value;

    /// Prepares the execution of the session's configured data action (client_config::action)
    /// for `phone`. `extra_inputs` (a JSON object keyed as the action names its inputs, or null)
    /// go beside the number; the number wins over an extra input of the same name.
    data_action_operation(session s, std::string_view phone, time_point now, value_type extra_inputs = J::make_null())
        : data_action_operation(s, phone, now, std::move(extra_inputs), s.config().action) {}
    data_action_operation(session s, std::string_view phone, time_point now, value_type extra_inputs,
                          data_action_options opt)
        : data_action_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(extra_inputs),
                                std::move(opt)) {
        if (s.config().on_event) this->set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's), on a chosen credential.
    data_action_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                          value_type extra_inputs, data_action_options opt)
        : base(s, credential, operation::data_action, opt.idempotent,
               deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          opt_(std::move(opt)), created_(deadline.created) {
        const client_config& cfg = s.config();
        info_.credential = credential;
        info_.source = std::string(data_action_source);
        if (opt_.action_id.empty()) {
            finish(make_error(errc::config, "GCX_ACTION_ID is not set", "the id of the published data action"));
            return;
        }
        if (auto v = validate_action_id(opt_.action_id); !v) {
            finish(v.error());
            return;
        }
        if (opt_.input_key.empty()) {
            finish(make_error(errc::config, "the data action input key is empty"));
            return;
        }
        auto number = detail::checked_number(cfg, /*need_flow=*/false, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        const auto k = J::kind_of(extra_inputs);
        if (k != json::kind::null && k != json::kind::object) {
            finish(make_error(errc::invalid_input, "extra data action inputs must be a JSON object"));
            return;
        }
        if (opt_.secure) detail::collect_strings<J>(extra_inputs, inputs_);
        value_type body = k == json::kind::object ? std::move(extra_inputs) : J::make_object();
        J::set(body, opt_.input_key, J::make_string(number_));
        http::request r;
        r.verb = http::method::post;
        r.url = cfg.endpoints.api + "/api/v2/integrations/actions/" + http::url_encode(opt_.action_id) + "/execute";
        if (opt_.flatten) r.url += "?flatten=true";
        r.fields.push_back({"Content-Type", "application/json"});
        r.fields.push_back({"Accept", "application/json"});
        r.body = J::serialize(body);
        this->start(std::move(r));
    }

    // next(), on_response(), done(), tokens(), set_lookup_id(), bound(): one_call_operation's.
    const execution_info& execution() const noexcept { return info_; }
    const data_action_options& options() const noexcept { return opt_; }

    /// Whether the execution failed with an HTTP status of data_action_options::fallback_statuses
    /// (403, 404 by default): the action cannot run, and a chain may take its second path. Valid
    /// once done(). Only a Genesys Cloud answer counts (an ErrorBody: a gateway's HTML page is not
    /// one), and a 403 or 404 that says the action ran and its remote answered so (an "ACTION."
    /// errorCode) does not: the action exists, and it ran.
    bool cannot_run() const noexcept {
        if (!error_ || answered_status_ == 0 || error_->http_status != answered_status_) return false;
        if (error_->code.empty()) return false;  // no ErrorBody
        if ((answered_status_ == 403 || answered_status_ == 404) && detail::action_ran(*error_)) return false;
        for (int s : opt_.fallback_statuses)
            if (s == answered_status_) return true;
        return false;
    }

    /// The outcome: the action's answer (an object) as the outputs, execution.source
    /// "data_action", execution.found set. Valid once done().
    result<lookup_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return lookup_result<value_type>{std::move(outputs_), info_};
    }

private:
    // one_call_operation's hooks: the first request waited `queued` for the budget; the execute
    // request's answer gives the correlation id and the status (a secure action's failure body
    // may quote its inputs or outputs: only its code, status and contextId are kept).
    void on_sent(time_point now) {
        if (info_.requests++ == 0) info_.queued = remaining(created_, now);
    }
    bool on_api_answer(http::response& r) {
        if (const auto* c = r.header("ININ-Correlation-Id")) info_.correlation_id = call_.shown(*c, number_);
        answered_status_ = r.status;
        if (opt_.secure && (r.status < 200 || r.status > 299)) r.body = detail::withheld_error_body<J>(r.body);
        return true;
    }

    void on_finished(time_point now) {
        if (this->done()) return;
        info_.credential = call_.credential();  // it may have moved
        auto& out = call_.outcome();
        if (!out) {
            finish(std::move(out.error()));
            return;
        }
        const int status = out->status;
        value_type v = J::make_object();
        if (!out->body.empty()) {
            auto parsed = J::parse(out->body);
            if (!parsed || (J::kind_of(*parsed) != json::kind::object && J::kind_of(*parsed) != json::kind::null)) {
                error e = parsed ? make_error(errc::protocol, std::string("the data action answer is a ") +
                                                                  json::to_string(J::kind_of(*parsed)) +
                                                                  ", not a JSON object")
                                 : parsed.error();
                if (parsed) e.code = std::string(codes::action_response);
                e.http_status = status;
                e.correlation_id = info_.correlation_id;
                if (call_.retry_unreadable(e, now)) return;  // only a read-only (idempotent) action
                finish(std::move(call_.outcome().error()));
                return;
            }
            if (J::kind_of(*parsed) == json::kind::object) v = std::move(*parsed);
        }
        if (auto f = found(v); !f) {
            error e = std::move(f.error());
            e.http_status = status;
            e.correlation_id = info_.correlation_id;
            e.request = operation::data_action;
            finish(std::move(e));
            return;
        } else {
            info_.found = *f;
        }
        info_.status = "COMPLETED";
        outputs_ = std::move(v);
        this->stop();
    }

    // The found rule (data_action_options): the found_key output if present, else any output with
    // a value (not null, false, 0, or an empty string, array or object: {"contacts":[],"matchCount":0}
    // found nothing).
    result<bool> found(const value_type& outputs) const {
        if (!opt_.found_key.empty()) {
            if (const auto* f = J::find(outputs, opt_.found_key)) {
                const json::kind k = J::kind_of(*f);
                if (k == json::kind::boolean) return J::get_bool(*f);
                if (k == json::kind::null) return false;
                const std::string key = detail::clip(opt_.found_key, 128);
                // The value itself is never quoted: it may be personal data.
                error e = make_error(errc::mapping,
                                     "the data action's \"" + key + "\" output is a " + json::to_string(k) +
                                         ", not a JSON boolean: only true means found",
                                     "make the action's \"" + key +
                                         "\" output a boolean (true when a contact matched), or change "
                                         "data_action_options::found_key (empty: found when any output has a value)");
                e.code = std::string(codes::found_output);
                e.path = "output[\"" + key + "\"]";
                return e;
            }
        }
        bool any = false;
        J::for_each_member(outputs, [&any](std::string_view, const value_type& m) {
            switch (J::kind_of(m)) {
            case json::kind::null: break;
            case json::kind::boolean: any = J::get_bool(m); break;
            case json::kind::integer: any = J::get_int(m) != 0; break;
            case json::kind::uint: any = J::get_uint(m) != 0; break;
            case json::kind::number: any = J::get_double(m) != 0; break;
            case json::kind::string: any = !J::get_string(m).empty(); break;
            case json::kind::array:
            case json::kind::object: any = J::size(m) != 0; break;
            }
            return !any;
        });
        return any;
    }

    void finish(error e) {
        detail::redact_number(e, number_);  // personal data
        if (opt_.secure) {
            for (const auto& s : inputs_) detail::redact(e, s, "[input]");
            if (e.http_status >= 400) e.message += " (the server's message is withheld: the data action is secure)";
        }
        call_.scrub(e);
        error_ = std::move(e);
        this->stop();
    }

    data_action_options opt_;
    time_point created_{};
    int answered_status_ = 0;  // the HTTP status of the execute request's last answer
    execution_info info_;
    std::string number_;
    std::vector<std::string> inputs_;  // a secure action's input values, scrubbed from errors
    value_type outputs_ = J::make_object();
    std::optional<error> error_;
};

GCX_NAMESPACE_END

#endif
