// include/gcx/refusal_memory.hpp: a 404 that names the configuration wrong, remembered per id for
// the back-off; and through lookups and a chain: how many requests a wrong flow id costs.
#include "fakes.hpp"

#include <gcx/refusal_memory.hpp>

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

namespace unit_refusal_memory {

using namespace fakes;
using gcx::errc;
using ms = gcx::milliseconds;

namespace {
gcx::error no_such_flow() {
    gcx::error e = gcx::make_error(errc::not_found, "The requested resource was not found.", "check TARGET_FLOW_ID");
    e.http_status = 404;
    e.request = gcx::operation::launch;
    e.correlation_id = "corr-1";
    return e;
}
}  // namespace

TEST_CASE("refusal memory: a refusal is recalled for its id until the back-off has passed, then forgotten") {
    gcx::refusal_memory m(ms{60000});
    const gcx::time_point t0{std::chrono::hours{1}};
    CHECK_FALSE(m.recall("flow-a", t0));
    m.remember("flow-a", no_such_flow(), t0);
    auto r = m.recall("flow-a", t0 + ms{59999});
    REQUIRE(r);
    CHECK(r->kind == errc::not_found);
    CHECK(r->http_status == 404);
    CHECK(r->request == gcx::operation::launch);
    CHECK(r->correlation_id == "corr-1");  // the answer's own
    CHECK(r->hint == "check TARGET_FLOW_ID");
    CHECK(r->message.find("The requested resource") == std::string::npos);  // the server's text is not handed on
    CHECK(r->message.find("answered HTTP 404") != std::string::npos);
    CHECK(r->message.find("without asking again for 60 s") != std::string::npos);
    CHECK_FALSE(m.recall("flow-b", t0));  // another id is asked
    CHECK_FALSE(m.recall("flow-a", t0 + ms{60000}));
    CHECK(m.remembered() == 1);
}

TEST_CASE("refusal memory: a later refusal replaces the earlier one, and a zero back-off remembers nothing") {
    gcx::refusal_memory m(ms{1000});
    const gcx::time_point t0{std::chrono::hours{1}};
    m.remember("flow-a", no_such_flow(), t0);
    m.remember("flow-b", no_such_flow(), t0 + ms{10});
    CHECK_FALSE(m.recall("flow-a", t0 + ms{20}));
    CHECK(m.recall("flow-b", t0 + ms{20}));

    gcx::refusal_memory never(ms{0});
    never.remember("flow-a", no_such_flow(), t0);
    CHECK_FALSE(never.recall("flow-a", t0));
    CHECK(never.remembered() == 0);
}

TEST_CASE("refusal memory: a back-off of max() is a long one, not an overflow that forgets at once") {
    gcx::refusal_memory m(ms::max());
    const gcx::time_point t0{std::chrono::hours{1}};
    m.remember("flow-a", no_such_flow(), t0);
    CHECK(m.recall("flow-a", t0 + std::chrono::hours{24 * 365}));
}

TEST_CASE("refusal memory: threads remembering and recalling at once") {
    gcx::refusal_memory m(ms{1000});
    const gcx::time_point t0{std::chrono::hours{1}};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&m, t0, i] {
            for (int k = 0; k < 1000; ++k) {
                m.remember(i % 2 ? "flow-a" : "flow-b", no_such_flow(), t0 + ms{k});
                (void)m.recall("flow-a", t0 + ms{k});
            }
        });
    for (auto& t : threads) t.join();
    CHECK(m.remembered() == 4000);
}

// ---- through the operations --------------------------------------------------------------------

TEST_CASE("refusal memory: a launch answered 404 costs one request, not one per lookup, until the back-off") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return error_body(404, "not.found", "The requested resource was not found for +13175550123");
    });
    for (int i = 0; i < 20; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::not_found);
        CHECK(r.error().request == gcx::operation::launch);
        CHECK(r.error().hint.find("TARGET_FLOW_ID") != std::string::npos);
        CHECK(r.error().message.find(phone) == std::string::npos);  // the first number is not handed on
        CHECK((i == 0) == (r.error().message.find("remembered") == std::string::npos));
    }
    CHECK(cl.transport().count(endpoint::launch) == 1);
    // An invalid number is still refused as such.
    CHECK(cl.lookup("317-555").error().kind == errc::invalid_input);
    // After the back-off the next lookup asks again.
    cl.clock().advance(cl.config().unknown_target_backoff);
    (void)cl.lookup(phone);
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("refusal memory: a launch's 400, 403 or 500 is not remembered: each lookup asks") {
    for (int status : {400, 403, 500}) {
        CAPTURE(status);
        auto cl = make_client();
        cl.transport().set_fallback([status](const gcx::http::request& r) -> answer {
            if (classify(r) == endpoint::token) return token_ok();
            return error_body(status, "some.code", "refused");
        });
        for (int i = 0; i < 3; ++i) CHECK_FALSE(cl.lookup(phone));
        CHECK(cl.transport().count(endpoint::launch) >= 3);
    }
}

TEST_CASE("refusal memory: a poll's 404 (the execution is gone) is not remembered") {
    auto cl = make_client();
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, error_body(404, "not.found", "no such execution"))
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    CHECK_FALSE(cl.lookup(phone));
    CHECK(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::launch) == 2);
}

TEST_CASE("refusal memory: flow_then_direct with no such flow goes straight to the direct lookup") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::flow_then_direct;
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        switch (classify(r)) {
        case endpoint::token: return token_ok();
        case endpoint::launch: return error_body(404, "not.found", "The requested resource was not found.");
        default: return respond(200, R"({"contacts":[{"id":"8a7f","firstName":"Maria"}]})");
        }
    });
    for (int i = 0; i < 5; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE(r);
        CHECK(r->execution.source == "direct");
        CHECK(r->execution.fallback_reason.find("not_found") != std::string::npos);
        CHECK(r->execution.requests == (i == 0 ? 3 : 1));  // the token and the launch only the first time
    }
    CHECK(cl.transport().count(endpoint::launch) == 1);
    CHECK(cl.transport().count(endpoint::whitepages) == 5);
}

TEST_CASE("refusal memory: a data action's 404 is not remembered: it may be one number's answer") {
    auto c = config();
    c.strategy = gcx::lookup_strategy::data_action;
    c.flow_id.clear();
    c.action.action_id = "custom_-_5b8e1f3a-2c4d-4e6f-8a9b-0c1d2e3f4a5b";
    auto cl = make_client(c);
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return error_body(404, "not.found", "Remote record for customer Maria Lopez not found");
    });
    for (int i = 0; i < 3; ++i) {
        auto r = cl.lookup(phone);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == errc::not_found);
        CHECK(r.error().request == gcx::operation::data_action);
    }
    CHECK(cl.transport().count(endpoint::action) == 3);
}

TEST_CASE("refusal memory: what is handed on is the answer's status and code, never the server's message") {
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return error_body(404, "not.found", "no flow for caller Maria Lopez, (317) 555-012");
    });
    auto first = cl.lookup(phone);
    REQUIRE_FALSE(first);
    CHECK(first.error().message.find("Maria Lopez") != std::string::npos);  // the first lookup's own answer
    auto later = cl.lookup("+14155550000");
    REQUIRE_FALSE(later);
    CHECK(later.error().message.find("Maria") == std::string::npos);
    CHECK(later.error().message.find("555") == std::string::npos);
    CHECK(later.error().message.find("HTTP 404 (not.found)") != std::string::npos);
    CHECK(later.error().hint == first.error().hint);
    CHECK(later.error().kind == errc::not_found);
    CHECK(cl.transport().count(endpoint::launch) == 1);
}

TEST_CASE("refusal memory: a launch's 404 without an error code is not remembered") {
    // A proxy's or gateway's 404 page says nothing about the flow: remembered, it would fail every
    // lookup for the back-off without asking.
    auto cl = make_client();
    cl.transport().set_fallback([](const gcx::http::request& r) -> answer {
        if (classify(r) == endpoint::token) return token_ok();
        return respond(404, "<html>Not Found</html>");
    });
    for (int i = 0; i < 3; ++i) CHECK_FALSE(cl.lookup(phone));
    CHECK(cl.transport().count(endpoint::launch) == 3);
}

}  // namespace unit_refusal_memory
