// gcx's events (gcx/events.hpp) as OpenTelemetry-shaped spans: one span per lookup, a CLIENT
// span per HTTP request inside it, retries, budget waits and tokens as span events. Debian has no
// opentelemetry-cpp, so this program builds the spans itself and prints each as one JSON line in
// the OTLP JSON shape; with an OpenTelemetry SDK, start and end real spans at the same points
// (docs/events.md has the mapping).
//
//   trace_spans [PHONE...]
//
// Several lookups run at once on one thread (curl_multi_runner): the events of different lookups
// interleave, and event::lookup says which one each belongs to. Uses GENESYS_* / TARGET_FLOW_ID
// when GENESYS_CLIENT_ID is set, otherwise an in-process gcx-sim.
#include <gcx/gcx.hpp>
#include <gcx/adapters/curl_multi.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx_sim/simulator.hpp>

#include "example_config.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

struct span {
    std::string name, kind;
    std::uint64_t id = 0, parent = 0;
    gcx::time_point start{}, end{};
    boost::json::object attributes;
    boost::json::array events;
    std::string error;  // OTel status ERROR with this description; empty: UNSET
};

// A low-cardinality span name: the ids in the path as placeholders (OTel's url.template).
std::string url_template(std::string_view path) {
    const std::string_view executions = "/api/v2/flows/executions/";
    const std::string_view actions = "/api/v2/integrations/actions/";
    if (auto at = path.find(executions); at != std::string_view::npos)
        return std::string(path.substr(0, at)) + std::string(executions) + "{executionId}";
    if (auto at = path.find(actions); at != std::string_view::npos)
        return std::string(path.substr(0, at)) + std::string(actions) + "{actionId}/execute";
    return std::string(path);
}

// Turns the events of every lookup into spans, and prints a lookup's spans when it finishes.
class span_builder {
public:
    void on_event(const gcx::event& e) {
        std::lock_guard<std::mutex> lk(m_);  // one thread here, but a hook may be called from many
        auto& l = lookups_[e.lookup];
        if (l.root.id == 0) {
            l.trace = {rng_(), rng_()};
            l.root = span{"gcx.lookup", "INTERNAL", rng_(), 0, e.at, e.at, {}, {}, {}};
        }
        const auto at_ms = [&] { return std::chrono::duration<double, std::milli>(e.at - l.root.start).count(); };
        switch (e.kind) {
        case gcx::event_kind::request_sent: {
            span s{std::string(e.method) + " " + url_template(e.path),
                   "CLIENT",
                   rng_(),
                   l.root.id,
                   e.at,
                   e.at,
                   {},
                   {},
                   {}};
            s.attributes["http.request.method"] = e.method;
            s.attributes["url.template"] = url_template(e.path);
            s.attributes["gcx.operation"] = gcx::name(e.operation);
            s.attributes["gcx.credential"] = e.credential;
            if (e.attempt > 1) s.attributes["http.request.resend_count"] = e.attempt - 1;
            l.request = std::move(s);
            break;
        }
        case gcx::event_kind::request_answered:
            if (l.request) {
                l.request->end = e.at;
                if (e.status != 0) l.request->attributes["http.response.status_code"] = e.status;
                if (!e.error_kind.empty()) l.request->error = std::string(e.error_kind);
                else if (e.status >= 400) l.request->error = std::to_string(e.status);
                if (!l.request->error.empty()) l.request->attributes["error.type"] = l.request->error;
                if (!e.correlation_id.empty()) l.request->attributes["gcx.correlation_id"] = e.correlation_id;
                l.done.push_back(std::move(*l.request));
                l.request.reset();
            }
            break;
        case gcx::event_kind::retry_scheduled:
        case gcx::event_kind::budget_wait:
        case gcx::event_kind::token_fetched:
        case gcx::event_kind::token_refused: {
            boost::json::object ev{{"name", std::string("gcx.") + gcx::to_string(e.kind)},
                                   {"offset_ms", at_ms()},
                                   {"ms", e.duration.count()}};
            if (!e.reason.empty()) ev["reason"] = e.reason;
            if (e.status != 0) ev["status"] = e.status;
            l.root.events.push_back(std::move(ev));
            break;
        }
        case gcx::event_kind::lookup_finished:
            // From the operation's creation (its wait for the budget too); `duration` is in whole
            // milliseconds, so never after the lookup's first event.
            l.root.start = std::min(l.root.start, e.at - e.duration);
            l.root.end = e.at;
            l.root.attributes = {{"gcx.strategy", e.strategy},
                                 {"gcx.source", e.source},
                                 {"gcx.requests", e.requests},
                                 {"gcx.polls", e.polls}};
            if (e.outcome != "ok") l.root.error = std::string(e.error_kind);
            finish(l);
            lookups_.erase(e.lookup);
            break;
        }
    }

    int lookups = 0, request_spans = 0, outside = 0;

private:
    struct lookup_spans {
        std::pair<std::uint64_t, std::uint64_t> trace;
        span root;
        std::optional<span> request;
        std::vector<span> done;
    };

    void finish(const lookup_spans& l) {
        ++lookups;
        print(l, l.root);
        for (const auto& s : l.done) {
            ++request_spans;
            outside += s.start < l.root.start || s.end > l.root.end;
            print(l, s);
        }
    }

    void print(const lookup_spans& l, const span& s) const {
        char trace[33], id[17], parent[17];
        std::snprintf(trace, sizeof trace, "%016llx%016llx", static_cast<unsigned long long>(l.trace.first),
                      static_cast<unsigned long long>(l.trace.second));
        std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(s.id));
        std::snprintf(parent, sizeof parent, "%016llx", static_cast<unsigned long long>(s.parent));
        boost::json::object o{{"traceId", trace},
                              {"spanId", id},
                              {"name", s.name},
                              {"kind", s.kind},
                              {"startTimeUnixNano", unix_nanos(s.start)},
                              {"endTimeUnixNano", unix_nanos(s.end)},
                              {"attributes", s.attributes}};
        if (s.parent != 0) o["parentSpanId"] = parent;
        if (!s.events.empty()) o["events"] = s.events;
        if (!s.error.empty()) o["status"] = {{"code", "ERROR"}, {"message", s.error}};
        std::cout << boost::json::serialize(o) << "\n";
    }

    // event::at is the steady clock; spans want the wall clock.
    std::uint64_t unix_nanos(gcx::time_point t) const {
        const auto wall =
            wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(t - steady_start_);
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(wall.time_since_epoch()).count());
    }

    std::mutex m_;
    std::map<std::uint64_t, lookup_spans> lookups_;
    std::mt19937_64 rng_{std::random_device{}()};
    gcx::time_point steady_start_ = std::chrono::steady_clock::now();
    std::chrono::system_clock::time_point wall_start_ = std::chrono::system_clock::now();
};

}  // namespace

int main(int argc, char** argv) {
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg;
    if (int rc = examples::env_or_sim_config(sim, cfg)) return rc;
    span_builder spans;
    cfg.on_event = [&spans](const gcx::event& e) { spans.on_event(e); };

    std::vector<std::string> phones(argv + 1, argv + argc);
    if (phones.empty()) phones = {"+13175550123", "+14155550100", "+13175550001", "+13175550002", "+13175550003"};

    using op_t = gcx::strategy_operation<gcx::json::boost_json>;  // raises lookup_finished
    auto session = gcx::session::create(cfg);
    if (!session) {
        std::cerr << session.error().describe() << "\n";
        return 2;
    }
    gcx::adapters::curl_multi_runner loop;
    for (const auto& phone : phones)
        loop.add(op_t(*session, phone, loop.now()), [](op_t& op) { (void)op.take_result(); });
    loop.run();
    std::cout << spans.lookups << " lookup spans, " << spans.request_spans << " request spans, " << spans.outside
              << " outside their lookup\n";
    return spans.lookups == static_cast<int>(phones.size()) && spans.outside == 0 ? 0 : 1;
}
