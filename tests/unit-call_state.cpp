// include/gcx/call_state.hpp: what an api_call holds moves whole, and what belongs to one call at
// a time (handed_over) is left empty in the source. The calls' own moves (a call moved with its
// request out, or while it leads the token fetch) are in unit-call.
#include "fakes.hpp"

#include <gcx/call_state.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <type_traits>
#include <utility>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_call_state {

using gcx::detail::handed_over;

TEST_CASE("call_state: a handed_over value moves to its new holder and leaves the default behind") {
    handed_over<std::uint64_t> a = std::uint64_t{42};
    handed_over<std::uint64_t> b(std::move(a));
    CHECK(static_cast<std::uint64_t&>(b) == 42);
    CHECK(static_cast<std::uint64_t&>(a) == 0);

    handed_over<bool> lead = true;
    handed_over<bool> other;
    other = std::move(lead);
    CHECK(static_cast<bool&>(other));
    CHECK_FALSE(static_cast<bool&>(lead));

    static_cast<std::uint64_t&>(a) = 7;  // used as the value it wraps
    CHECK(static_cast<std::uint64_t&>(a) == 7);
}

TEST_CASE("call_state: a moved state keeps every member, its lead and ticket included, and the source keeps none") {
    auto s = gcx::session::create(fakes::config()).value();
    const auto t0 = fakes::manual_clock::start();
    gcx::detail::api_call_state st(s, 0, gcx::operation::poll, true, gcx::request_governor::kind::continuing,
                                   gcx::op_deadline{t0, t0 + gcx::milliseconds{1000}, gcx::milliseconds{500}, t0});
    st.sent_at_ = t0 + gcx::milliseconds{40};
    st.last_now_ = t0 + gcx::milliseconds{50};
    st.paused_credit_ = t0 + gcx::milliseconds{60};
    st.phase_ = gcx::detail::call_phase::sent;
    st.retries_ = 2;
    st.leader_ = true;
    st.ticket_ = std::uint64_t{9};
    st.outcome_ = gcx::make_error(gcx::errc::timeout, "kept");

    gcx::detail::api_call_state moved(std::move(st));
    CHECK(moved.sent_at_ == t0 + gcx::milliseconds{40});
    CHECK(moved.last_now_ == t0 + gcx::milliseconds{50});
    CHECK(moved.paused_credit_ == t0 + gcx::milliseconds{60});
    CHECK(moved.phase_ == gcx::detail::call_phase::sent);
    CHECK(moved.retries_ == 2);
    CHECK(moved.op_ == gcx::operation::poll);
    CHECK(moved.s_.valid());
    CHECK(static_cast<bool&>(moved.leader_));
    CHECK(static_cast<std::uint64_t&>(moved.ticket_) == 9);
    REQUIRE_FALSE(moved.outcome_);
    CHECK(moved.outcome_.error().message == "kept");

    CHECK_FALSE(st.s_.valid());
    CHECK_FALSE(static_cast<bool&>(st.leader_));
    CHECK(static_cast<std::uint64_t&>(st.ticket_) == 0);
}

TEST_CASE("call_state: a call that moves off a refused credential keeps its place, leaving only that queue") {
    auto c = fakes::config();
    c.extra_credentials.push_back({"second-client-id", gcx::secret("second-secret-value-42")});
    auto s = gcx::session::create(c).value();
    const auto t0 = fakes::manual_clock::start();
    auto& refused = s.tokens(0);  // credential 0 is refused (a rotated secret)
    REQUIRE(refused.acquire(t0).st == gcx::token_cache::state::fetch);
    auto r = refused.complete<gcx::json::boost_json>(*fakes::error_body(401, "invalid_client", "bad credentials"), t0);
    REQUIRE_FALSE(r);
    refused.abandon(r.error(), t0);
    gcx::detail::api_call_state st(s, 0, gcx::operation::launch, false, gcx::request_governor::kind::fresh,
                                   gcx::op_deadline::from(t0, s.config()));
    st.ticket_ = std::uint64_t{9};  // its place, in the queues of both credentials
    REQUIRE(st.move_off_refused_credential(t0, r.error()));
    CHECK(st.cred_ == 1);
    CHECK(static_cast<std::uint64_t&>(st.ticket_) == 9);  // before: a new place, behind the later calls
    st.release_ticket();
}

TEST_CASE("call_state: the state's moves do not throw") {
    STATIC_REQUIRE(std::is_nothrow_move_constructible<handed_over<std::uint64_t>>::value);
    STATIC_REQUIRE(std::is_nothrow_move_assignable<handed_over<bool>>::value);
    STATIC_REQUIRE(std::is_nothrow_move_constructible<gcx::detail::api_call_state>::value);
}

}  // namespace unit_call_state
