// include/gcx/one_call.hpp: the base of the operations of one API call (the direct lookup, the
// data action), driven by hand over a test operation that records what the base tells it.
#include "fakes.hpp"

#include <gcx/one_call.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_one_call {

using namespace fakes;
using J = gcx::json::boost_json;

namespace {
/// One GET that records the base's calls of its hooks; an answer with status `result_status` is
/// its result at once (as identifierlookup's 404 is the direct lookup's).
class probe_operation : public gcx::detail::one_call_operation<probe_operation, J> {
    using base = gcx::detail::one_call_operation<probe_operation, J>;
    friend base;

public:
    probe_operation(gcx::session s, gcx::time_point now, int result_status = 0)
        : base(s, 0, gcx::operation::poll, /*idempotent=*/true, gcx::request_governor::kind::fresh,
               gcx::op_deadline::from(now, s.config())),
          result_status_(result_status) {
        gcx::http::request r;
        r.verb = gcx::http::method::get;
        r.url = s.config().endpoints.api + "/api/v2/flows/executions/" + exec_id;
        start(std::move(r));
    }

    std::vector<std::string> seen;

private:
    void on_sent(gcx::time_point) { seen.emplace_back("sent"); }
    bool on_api_answer(gcx::http::response& r) {
        seen.push_back("answer " + std::to_string(r.status));
        if (r.status != result_status_) return true;
        stop();
        return false;
    }
    void on_finished(gcx::time_point) {
        seen.emplace_back(call_.outcome() ? "finished" : "failed");
        stop();
    }

    int result_status_;
};

const std::chrono::system_clock::time_point wall{std::chrono::hours{500000}};
}  // namespace

TEST_CASE("one_call: the token request, then the request, and the hooks see each send, the answer and the end") {
    auto s = gcx::session::create(config(), [] { return 0.5; }).value();
    const gcx::time_point now = manual_clock::start();
    probe_operation op(s, now);
    CHECK_FALSE(op.done());

    auto a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == s.config().endpoints.login + "/oauth/token");
    op.on_response(token_ok(), now, wall);  // not the API request's answer: no on_api_answer

    a = op.next(now);
    REQUIRE(a.kind == gcx::action::type::send);
    CHECK(a.request.url == s.config().endpoints.api + "/api/v2/flows/executions/" + exec_id);
    op.on_response(completed(), now, wall);

    CHECK(op.done());
    CHECK(op.next(now).kind == gcx::action::type::done);
    CHECK(op.seen == std::vector<std::string>{"sent", "sent", "answer 200", "finished"});
}

TEST_CASE("one_call: an answer the operation takes as its result ends it before the call reads it") {
    auto s = gcx::session::create(config(), [] { return 0.5; }).value();
    const gcx::time_point now = manual_clock::start();
    probe_operation op(s, now, 404);
    op.next(now);
    op.on_response(token_ok(), now, wall);
    op.next(now);
    op.on_response(error_body(404, "not.found", "The requested resource was not found."), now, wall);

    CHECK(op.done());
    CHECK(op.next(now).kind == gcx::action::type::done);
    CHECK(op.seen == std::vector<std::string>{"sent", "sent", "answer 404"});
    op.on_response(completed(), now, wall);  // once done, an answer is ignored
    CHECK(op.seen.size() == 3);
}

}  // namespace unit_one_call
