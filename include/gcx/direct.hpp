// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_DIRECT_HPP
#define GCX_DIRECT_HPP

// Direct lookup without a flow, sans-I/O: one External Contacts request, no polling. It needs
// only the externalContacts:contact:view permission (docs/genesys-api.md).
//
//   GET  {api}/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=%2B1...[&expand=..][&divisionId=..]
//        -> {"contacts": [ExternalContact, ...]}   (at most 25)
//   POST {api}/api/v2/externalcontacts/identifierlookup/contacts  {"type":"Phone","value":"+1..."}
//        -> ExternalContact, or 404 when no contact has that identifier (no match, not an error)
//
// Both are reads, so they are retried like polls. The answer is the list of contacts, and the
// same outputs a lookup workflow gives (Flow.Found, Flow.MatchCount, Flow.ContactId,
// Flow.externalContact), so code written for the flow's outputs works unchanged.

#include <gcx/lookup.hpp>
#include <gcx/one_call.hpp>
#include <gcx/phone.hpp>

GCX_NAMESPACE_BEGIN

/// The outputs a lookup workflow would give for these contacts (an array of ExternalContact).
template <class J>
typename J::value synthesize_flow_outputs(const typename J::value& contacts) {
    auto out = J::make_object();
    std::size_t n = J::kind_of(contacts) == json::kind::array ? J::size(contacts) : 0;
    J::set(out, "Flow.Found", J::make_bool(n > 0));
    J::set(out, "Flow.MatchCount", J::make_int(static_cast<std::int64_t>(n)));
    typename J::value first = J::make_null();
    J::for_each_element(contacts, [&](const typename J::value& c) {
        first = c;
        return false;
    });
    auto id = J::kind_of(first) == json::kind::object ? json::get_string_or<J>(first, "id") : std::string();
    J::set(out, "Flow.ContactId", id.empty() ? J::make_null() : J::make_string(id));
    J::set(out, "Flow.externalContact", std::move(first));
    return out;
}

/// A direct lookup's answer: the matched contacts (a JSON array, empty when none matched).
template <class V>
struct direct_result {
    V contacts;
    std::string correlation_id;
    int requests = 0;
    std::size_t credential = 0;  ///< which of the client's credentials it went out with (execution_info::credential)
    milliseconds queued{0};      ///< the wait for the request budget before its request (execution_info::queued)
};

template <class J>
class direct_lookup_operation : public detail::one_call_operation<direct_lookup_operation<J>, J> {
    using base = detail::one_call_operation<direct_lookup_operation<J>, J>;
    friend base;
    using base::call_;

public:
    using value_type = typename J::value;

    /// Prepares a direct lookup of `phone` on the session's client (`opt`: the config's by default).
    direct_lookup_operation(session s, std::string_view phone, time_point now)
        : direct_lookup_operation(s, phone, now, s.config().direct) {}
    direct_lookup_operation(session s, std::string_view phone, time_point now, direct_options opt)
        : direct_lookup_operation(s, phone, op_deadline::from(now, s.config()), s.pick(now), std::move(opt)) {
        if (s.config().on_event) this->set_lookup_id(s.next_lookup_id());  // a lookup of its own: number its events
    }

    /// The same within a time bound already running (a strategy's fallback), on a chosen credential.
    direct_lookup_operation(session s, std::string_view phone, op_deadline deadline, std::size_t credential,
                            direct_options opt)
        : base(s, credential, operation::direct_lookup, /*idempotent=*/true,
               deadline.started ? request_governor::kind::continuing : request_governor::kind::fresh, deadline),
          method_(opt.method), created_(deadline.created) {
        const client_config& cfg = s.config();
        auto number = detail::checked_number(cfg, /*need_flow=*/false, phone);
        if (!number) {
            finish(number.error());
            return;
        }
        number_ = *number;
        http::request r;
        r.fields.push_back({"Accept", "application/json"});
        if (method_ == direct_method::reverse_whitepages) {
            r.verb = http::method::get;
            r.url = cfg.endpoints.api +
                    "/api/v2/externalcontacts/reversewhitepageslookup?lookupVal=" + http::url_encode(number_);
            append_expand(r.url, opt.expand, '&');
            if (!opt.division_id.empty()) r.url += "&divisionId=" + http::url_encode(opt.division_id);
        } else {
            r.verb = http::method::post;
            r.url = cfg.endpoints.api + "/api/v2/externalcontacts/identifierlookup/contacts";
            append_expand(r.url, opt.expand, '?');
            r.fields.push_back({"Content-Type", "application/json"});
            auto body = J::make_object();
            J::set(body, "type", J::make_string("Phone"));
            J::set(body, "value", J::make_string(number_));
            r.body = J::serialize(body);
        }
        this->start(std::move(r));
    }

    // next(), on_response(), done(), tokens(), set_lookup_id(), bound(): one_call_operation's.

    result<direct_result<value_type>> take_result() {
        if (error_) return std::move(*error_);
        return direct_result<value_type>{std::move(contacts_), correlation_id_, requests_, call_.credential(), queued_};
    }

private:
    // one_call_operation's hooks: requests are counted; the lookup's answer gives the correlation id.
    void on_sent(time_point now) {
        if (requests_++ == 0) queued_ = remaining(created_, now);
    }
    bool on_api_answer(http::response& r) {
        if (const auto* c = r.header("ININ-Correlation-Id")) correlation_id_ = call_.shown(*c, number_);
        // identifierlookup answers 404 when no contact has the number: a result, not an error.
        // Only Genesys's own 404 (an ErrorBody with its code): a gateway's or a wrong URL's 404
        // page would make every number "not found".
        if (method_ == direct_method::identifier && r.status == 404 && is_error_body(r.body)) {
            contacts_ = J::make_array();
            this->stop();
            return false;
        }
        return true;
    }

    void on_finished(time_point now) {
        if (this->done()) return;
        auto& out = call_.outcome();
        if (!out) {
            finish(std::move(out.error()));
            return;
        }
        auto v = J::parse(out->body);
        if (!v || J::kind_of(*v) != json::kind::object) {
            error e = v ? make_error(errc::protocol, "the external contacts answer is not a JSON object") : v.error();
            if (call_.retry_unreadable(e, now)) return;
            finish(std::move(call_.outcome().error()));
            return;
        }
        if (method_ == direct_method::identifier) {
            contacts_ = J::make_array();
            J::push_back(contacts_, std::move(*v));
        } else {
            const auto* c = J::find(*v, "contacts");
            if (!c || J::kind_of(*c) == json::kind::null) {
                contacts_ = J::make_array();
            } else if (J::kind_of(*c) == json::kind::array) {
                contacts_ = *c;
            } else {
                error e = make_error(errc::protocol, "reversewhitepageslookup: 'contacts' is not an array");
                e.request = operation::direct_lookup;
                finish(std::move(e));
                return;
            }
        }
        this->stop();
    }

    // expand is a multi-valued query parameter: one expand=... per comma-separated value, the
    // first after `first` ('?' or '&').
    static void append_expand(std::string& url, std::string_view expand, char first) {
        while (!expand.empty()) {
            auto comma = expand.find(',');
            auto item = expand.substr(0, comma);
            if (!item.empty()) {
                url += first;
                url += "expand=" + http::url_encode(item);
                first = '&';
            }
            expand = comma == std::string_view::npos ? std::string_view{} : expand.substr(comma + 1);
        }
    }

    // An ErrorBody as Genesys Cloud sends it: a JSON object with a non-empty "code".
    static bool is_error_body(std::string_view body) {
        auto v = J::parse(body, 8);
        return v && J::kind_of(*v) == json::kind::object && !json::get_string_or<J>(*v, "code").empty();
    }

    void finish(error e) {
        detail::redact_number(e, number_);
        call_.scrub(e);
        error_ = std::move(e);
        this->stop();
    }

    direct_method method_;
    time_point created_{};
    milliseconds queued_{0};
    std::string number_;
    std::string correlation_id_;
    int requests_ = 0;
    value_type contacts_ = J::make_array();
    std::optional<error> error_;
};

/// A direct lookup's answer in the shape of a flow lookup's: the outputs a lookup workflow would
/// give (synthesize_flow_outputs), execution.source "direct". What lookup_strategy::direct and
/// flow_then_direct return.
template <class J>
result<lookup_result<typename J::value>> direct_as_lookup(result<direct_result<typename J::value>> d) {
    if (!d) return std::move(d.error());
    lookup_result<typename J::value> out{synthesize_flow_outputs<J>(d->contacts), {}};
    out.execution.source = "direct";
    out.execution.status = "COMPLETED";
    out.execution.found = J::size(d->contacts) != 0;  // what Flow.Found says
    out.execution.correlation_id = std::move(d->correlation_id);
    out.execution.requests = d->requests;
    out.execution.credential = d->credential;
    out.execution.queued = d->queued;
    return out;
}

/// Whether a flow lookup that failed with `e` may fall back to a direct lookup
/// (lookup_strategy::flow_then_direct): the flow could not be launched at all (403 or 404 on the
/// launch), so no execution started.
inline bool launch_refused(const error& e) noexcept {
    return e.execution_id.empty() && !e.code.empty() && (e.kind == errc::permission || e.kind == errc::not_found);
}

GCX_NAMESPACE_END

#endif
