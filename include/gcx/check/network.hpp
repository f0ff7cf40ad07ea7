// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_NETWORK_HPP
#define GCX_CHECK_NETWORK_HPP

// The preflight check's network item: what the driver says of its transport (trust store,
// proxy: the core knows neither), and either the error of a request that did not get through or
// one round trip, the first API request's, else the token request's. It reads no clock: the
// round trip is the difference of the times the driver handed in with the request and its answer.
//
//     check_network net;
//     net.sent(now, /*api=*/true);                          the operation hands out a request
//     net.answered(got_answer, now, "GET /api/v2/flows/x");  its answer (or failure) came
//     net.note(error);                                       a request failed (kept if a network error)
//     net.report(report, "transport curl; ...");             the "network" item

#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/clock.hpp>

#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

class check_network {
public:
    /// A request was handed to the driver at `now`; `api`: an API request, not the token request.
    void sent(time_point now, bool api) noexcept {
        sent_at_ = now;
        sent_api_ = api;
    }

    /// The answer to the last request sent came at `now` (`ok`: an HTTP answer, whatever its
    /// status). `what` names the request ("GET /api/v2/tokens/me").
    void answered(bool ok, time_point now, const std::string& what) {
        if (!ok || (round_trip_ && !(sent_api_ && !api_round_trip_))) return;
        round_trip_ = std::chrono::duration_cast<milliseconds>(now - sent_at_);
        round_trip_of_ = sent_api_ ? what : std::string("the token request");
        api_round_trip_ = sent_api_;
    }

    /// A request failed with `e`: kept (the last one) when it did not get through.
    void note(const error& e) {
        if (check_detail::is_network(e)) error_ = e;
    }

    /// Whether a request did not get through.
    bool failed() const noexcept { return error_.has_value(); }

    /// Adds the "network" item; `description` is the driver's (empty: "transport as configured by
    /// the driver").
    void report(check_report& r, const std::string& description) const {
        const std::string net =
            description.empty() ? std::string("transport as configured by the driver") : description;
        if (error_) {
            const error& e = *error_;
            r.add("network", check_status::fail, net + "; " + check_detail::failure_text(e),
                  e.hint.empty() ? std::string("check the network path to Genesys Cloud (proxy, firewall, TLS trust "
                                               "store) and the region; a slow link needs a longer lookup timeout")
                                 : e.hint);
        } else if (round_trip_) {
            r.add("network", check_status::ok,
                  net + "; one round trip (" + round_trip_of_ + "): " + std::to_string(round_trip_->count()) + " ms");
        } else {
            r.add("network", check_status::skipped, net + "; no answer was received");
        }
    }

private:
    time_point sent_at_{};
    bool sent_api_ = false;
    bool api_round_trip_ = false;
    std::optional<milliseconds> round_trip_;
    std::string round_trip_of_;
    std::optional<error> error_;
};

GCX_NAMESPACE_END

#endif
