// The request that launches a flow (include/gcx/launch_request.hpp), as a lookup sends it over a
// scripted transport, and as launch_request builds it.
#include "fakes.hpp"

#include <catch2/catch.hpp>

#include <set>

namespace unit_launch_request {

using namespace fakes;
using J = gcx::json::boost_json;

TEST_CASE("launch request: the launch body written directly equals the one the JSON backend builds") {
    auto c = config();
    c.flow_version = "7.0";
    auto cl = make_client(c);
    cl.transport().then(endpoint::token, token_ok());
    for (int i = 0; i < 2; ++i) cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));                         // no extra inputs: written directly
    REQUIRE(cl.lookup(phone, boost::json::object{}));  // extra inputs: built by the backend
    auto log = cl.transport().log();
    std::vector<std::string> bodies;
    for (const auto& r : log)
        if (r.url.size() > 10 && r.url.substr(r.url.size() - 10) == "executions") bodies.push_back(r.body);
    REQUIRE(bodies.size() == 2);
    auto direct = boost::json::parse(bodies[0]).as_object();
    auto built = boost::json::parse(bodies[1]).as_object();
    CHECK(direct.at("name") != built.at("name"));  // each launch its own name
    direct.erase("name");
    built.erase("name");
    CHECK(direct == built);
    CHECK_THAT(bodies[0], Catch::StartsWith(R"({"flowId":")" + flow_id + R"(","flowVersion":"7.0","name":")"));
    CHECK_THAT(bodies[0], Catch::EndsWith(R"(","inputData":{"Flow.PhoneNumber":")" + phone + R"("}})"));
}

TEST_CASE("launch request: a name prefix or version that needs escaping goes through the JSON backend") {
    auto c = config();
    c.execution_name = "caf\xc3\xa9 \"lookup\"\\";
    c.flow_version = "7.0\"";
    auto cl = make_client(c);
    cl.transport()
        .then(endpoint::token, token_ok())
        .then(endpoint::launch, launched())
        .then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    auto body = boost::json::parse(cl.transport().log()[1].body).as_object();
    CHECK_THAT(std::string(body.at("name").as_string()), Catch::StartsWith("caf\xc3\xa9 \"lookup\"\\-"));
    CHECK(body.at("flowVersion").as_string() == "7.0\"");
    CHECK(body.at("inputData").as_object().at("Flow.PhoneNumber").as_string() == phone);
}

TEST_CASE("launch request: each launch gets a distinct execution name") {
    auto cl = make_client();
    cl.transport().then(endpoint::token, token_ok());
    for (int i = 0; i < 2; ++i) cl.transport().then(endpoint::launch, launched()).then(endpoint::poll, completed());
    REQUIRE(cl.lookup(phone));
    REQUIRE(cl.lookup(phone));
    auto log = cl.transport().log();
    CHECK(boost::json::parse(log[1].body).at("name") != boost::json::parse(log[3].body).at("name"));
}

TEST_CASE("launch request: extra inputs go into inputData beside the number, which wins over an input of its name") {
    auto c = config();
    auto extra = boost::json::parse(R"({"Flow.Channel":"voice","Flow.PhoneNumber":"+19999999999"})");
    const auto r = gcx::launch_request<J>(c, phone, extra);
    CHECK(r.verb == gcx::http::method::post);
    CHECK(r.url == c.endpoints.api + "/api/v2/flows/executions");
    auto body = boost::json::parse(r.body).as_object();
    CHECK(body.at("flowId").as_string() == c.flow_id.c_str());
    CHECK_FALSE(body.contains("flowVersion"));  // not configured: the published version runs
    const auto& inputs = body.at("inputData").as_object();
    CHECK(inputs.at("Flow.Channel") == "voice");
    CHECK(inputs.at("Flow.PhoneNumber") == phone.c_str());
    CHECK(inputs.size() == 2);
    // Without extra inputs: only the number.
    auto plain = boost::json::parse(gcx::launch_request<J>(c, phone, nullptr).body).as_object();
    CHECK(plain.at("inputData").as_object().size() == 1);
}

TEST_CASE("launch request: names are unique across many launches and start with the configured prefix") {
    auto c = config();
    c.execution_name = "crm-sync";
    std::set<std::string> names;
    for (int i = 0; i < 1000; ++i) {
        auto body = boost::json::parse(gcx::launch_request<J>(c, phone, nullptr).body).as_object();
        const std::string name(body.at("name").as_string());
        CHECK(name.rfind("crm-sync-", 0) == 0);
        names.insert(name);
    }
    CHECK(names.size() == 1000);
}

}  // namespace unit_launch_request
