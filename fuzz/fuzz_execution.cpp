// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// Fuzz target: the execution answers. A whole gcx::lookup_operation<J> is driven by hand (no
// socket, a simulated clock): the token request gets a valid token, the launch gets a valid launch
// answer, and every poll gets the input (a FlowRuntimeExecution, or anything). With the envelope
// "@<status> ra=<Retry-After>" (fuzz_common.hpp) the polls get that status and header; with
// "op=launch" the input answers the launch instead and the polls get a COMPLETED execution.
// A completed lookup is then mapped into gcx::customer_lookup and a variant-B struct.
//
// Invariants: no crash, no sanitizer report; the operation finishes within a bounded number of
// steps (max_polls 4, max_retries and max_rate_limited_retries 2, 30 s deadline on the simulated clock); the launch is sent
// once, and again only after an answer that proves the flow did not start (401, 429, 503 with
// Retry-After); no sleep ends past the deadline and no request's timeout reaches past it; a
// completed lookup has status COMPLETED and an object of outputs; an error carries the execution
// id, names neither the number nor any credential, and describe() is one line.
#include "fuzz_common.hpp"

#include <gcx/lookup.hpp>
#include <gcx/models.hpp>

#include <boost/describe/class.hpp>

#include <chrono>

#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

using namespace gcx_fuzz;

namespace {

struct profile {
    std::string customerId;
    std::optional<std::string> segment;
    std::optional<std::string> preferredLanguage;
    std::optional<int> openCases;
};
BOOST_DESCRIBE_STRUCT(profile, (), (customerId, segment, preferredLanguage, openCases))

struct variant_b {
    std::optional<profile> CustomerProfile;
    std::optional<gcx::external_contact> externalContact;
};
BOOST_DESCRIBE_STRUCT(variant_b, (), (CustomerProfile, externalContact))

gcx::http::response answer(int status, std::string body) {
    gcx::http::response r;
    r.status = status;
    r.body = std::move(body);
    r.fields.push_back({"Content-Type", "application/json"});
    r.fields.push_back({"ININ-Correlation-Id", "corr-fuzz-2"});
    return r;
}

const std::string completed_doc =
    R"({"id":")" + exec_id + R"(","status":"COMPLETED","outputData":{"Flow.Found":true,"Flow.ContactId":"8a7f"}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const envelope env = split(data, size, 200, "poll");
    const bool fuzz_launch = env.op == "launch";

    gcx::client_config cfg;
    cfg.client_id = client_id;
    cfg.client_secret = gcx::secret(client_secret);
    cfg.flow_id = flow_id;
    cfg.poll.max_polls = 4;
    cfg.retry.max_retries = 2;
    cfg.retry.max_rate_limited_retries = 2;  // 429s too, so that the bounds below hold for every answer

    cfg.budget.requests_per_minute = 0;
    cfg.budget.token_requests_per_minute = 0;
    auto session = gcx::session::create(cfg, [] { return 0.5; }).value();
    const gcx::time_point start{std::chrono::hours{1000}};
    gcx::time_point now = start;
    const auto wall0 = std::chrono::system_clock::time_point{std::chrono::hours{500000}};
    gcx::lookup_operation<J> op(session, phone, now);

    int launches = 0, polls = 0;
    bool relaunch_allowed = false;  // the last launch answer proved the flow did not start
    for (int step = 0;; ++step) {
        GCX_FUZZ_CHECK(step < 400, "the lookup did not finish in 400 steps");
        gcx::action a = op.next(now);
        if (a.kind == gcx::action::type::done) break;
        if (a.kind == gcx::action::type::wait_token)
            violated("wait_token with a single caller", __FILE__, __LINE__, "");
        if (a.kind == gcx::action::type::sleep) {
            GCX_FUZZ_CHECK(a.until <= op.deadline(), "a sleep ends past the deadline");
            GCX_FUZZ_CHECK(a.until >= now || step > 0, "sleep into the past");
            if (a.until > now) now = a.until;
            continue;
        }
        // send
        GCX_FUZZ_CHECK(a.request.timeout.count() > 0, "a request without time");
        GCX_FUZZ_CHECK(now + a.request.timeout <= op.deadline() + gcx::milliseconds{1},
                       "a request outlives the deadline");
        const std::string& url = a.request.url;
        gcx::http::response r;
        if (url.find("/oauth/token") != std::string::npos) {
            r = answer(200, R"({"access_token":")" + access_token + R"(","token_type":"bearer","expires_in":86400})");
        } else if (a.request.verb == gcx::http::method::post) {
            ++launches;
            GCX_FUZZ_CHECK(launches == 1 || relaunch_allowed,
                           "the launch was sent again after an answer that does not prove it started nothing");
            if (fuzz_launch) {
                r = answer(env.status, std::string(env.body));
                if (env.retry_after) r.fields.push_back({"Retry-After", *env.retry_after});
                // 401 (refused before processing), 429, and 503 with Retry-After start nothing.
                relaunch_allowed = env.status == 401 || env.status == 429 || (env.status == 503 && env.retry_after);
            } else {
                r = answer(200, R"({"id":")" + exec_id + R"(","name":"gcx-lookup-x","flowVersion":{"id":"3.0"}})");
            }
        } else {
            ++polls;
            if (fuzz_launch) {
                r = answer(200, completed_doc);
            } else {
                r = answer(env.status, std::string(env.body));
                if (env.retry_after) r.fields.push_back({"Retry-After", *env.retry_after});
            }
        }
        now += gcx::milliseconds{3};  // every exchange takes a little time
        op.on_response(std::move(r), now, wall0 + (now - start));
    }
    GCX_FUZZ_CHECK(op.done(), "next() said done but the operation is not");
    GCX_FUZZ_CHECK(launches >= 1 && launches <= 4, "launches: one, plus one after a 401 and max_retries after 429/503");
    GCX_FUZZ_CHECK(polls <= 4 * 3, "more polls than max_polls x (1 + max_retries)");

    auto r = op.take_result();
    if (!r) {
        const gcx::error& e = r.error();
        check_error(e, true, true);
        if (!fuzz_launch) GCX_FUZZ_CHECK(e.execution_id == exec_id, e.describe());
        // Server texts are clipped: an error line stays short whatever the answer's size
        // (status and ids 128, completionReason and messages 300 characters).
        GCX_FUZZ_CHECK(e.describe().size() <= 2500, std::to_string(e.describe().size()));
        GCX_FUZZ_CHECK(e.execution_id.size() <= 131 && e.execution_id.find(phone) == std::string::npos, e.execution_id);
        // A flowErrorInfo.status outside 100-599 is no status, never truncated into one. (Other
        // errors carry the status line's status, whatever three digits the server wrote.)
        if (e.kind == gcx::errc::flow_failed)
            GCX_FUZZ_CHECK(e.http_status == 0 || (e.http_status >= 100 && e.http_status <= 599), e.describe());
        return 0;
    }
    GCX_FUZZ_CHECK(r->execution.status == "COMPLETED", r->execution.status);
    GCX_FUZZ_CHECK(J::kind_of(r->outputs) == gcx::json::kind::object, "outputs not an object");
    GCX_FUZZ_CHECK(!r->execution.id.empty(), "no execution id");
    // The id reported is scrubbed of the credentials and the number, and bounded.
    GCX_FUZZ_CHECK(r->execution.id.size() <= 256, r->execution.id);
    GCX_FUZZ_CHECK(r->execution.id.find(access_token) == std::string::npos, r->execution.id);
    GCX_FUZZ_CHECK(r->execution.id.find(phone) == std::string::npos, r->execution.id);

    auto typed = gcx::map_outputs<J, gcx::customer_lookup>(r);
    if (!typed) {
        GCX_FUZZ_CHECK(typed.error().kind == gcx::errc::mapping, typed.error().describe());
        GCX_FUZZ_CHECK(typed.error().execution_id == r->execution.id, typed.error().describe());
        check_error(typed.error(), false, false);
    }
    // Found: the key "Flow.Found" binds, else "Found". A JSON boolean maps, and the strings
    // "true" and "false" (as Architect sends an Integer as text); anything else present ("no", 0,
    // 1e999) is a mapping error at its path, never a Found value.
    {
        const char* key = J::find(r->outputs, "Flow.Found") ? "Flow.Found" : "Found";
        const auto* f = J::find(r->outputs, key);
        const auto k = f ? J::kind_of(*f) : gcx::json::kind::null;
        const bool text = k == gcx::json::kind::string && (J::get_string(*f) == "true" || J::get_string(*f) == "false");
        const bool maps = k == gcx::json::kind::boolean || text;
        if (typed) {
            GCX_FUZZ_CHECK(typed->outputs.Found.has_value() == maps, key);
            if (typed->outputs.Found)
                GCX_FUZZ_CHECK(*typed->outputs.Found == (text ? J::get_string(*f) == "true" : J::get_bool(*f)), key);
        }
        if (k != gcx::json::kind::null && !maps) {
            // Found is customer_lookup's first member: its error is the one reported.
            GCX_FUZZ_CHECK(!typed && typed.error().path == "outputData[\"" + std::string(key) + "\"]",
                           typed ? std::string("mapped") : typed.error().describe());
        }
    }
    auto b = gcx::map_outputs<J, variant_b>(r);
    if (!b) check_error(b.error(), false, false);
    return 0;
}
