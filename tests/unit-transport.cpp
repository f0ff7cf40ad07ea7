// include/gcx/transport.hpp: what counts as a transport (gcx::is_transport, gcx::transport), and
// the contract its message states: requests reach the transport without Host or Content-Length.
#include "fakes.hpp"

#include <gcx/transport.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_transport {

namespace {
using gcx::http::request;
using gcx::http::response;

struct plain_transport {
    gcx::result<response> send(const request&) { return response{}; }
};
struct const_transport {
    gcx::result<response> send(const request&) const { return response{}; }
};
struct by_value_transport {  // takes a copy: still callable with a const request&
    gcx::result<response> send(request) { return response{}; }
};
struct template_transport {
    template <class R>
    gcx::result<response> send(const R&) {
        return response{};
    }
};
struct misnamed_transport {
    gcx::result<response> perform(const request&) { return response{}; }
};
struct optional_transport {
    std::optional<response> send(const request&) { return std::nullopt; }
};
struct bare_response_transport {
    response send(const request&) { return response{}; }
};
struct reference_transport {
    gcx::result<response>& send(const request&);
};
struct mutable_request_transport {  // would be handed gcx's request to modify
    gcx::result<response> send(request&) { return response{}; }
};
struct no_argument_transport {
    gcx::result<response> send() { return response{}; }
};
}  // namespace

static_assert(gcx::is_transport_v<plain_transport>);
static_assert(gcx::is_transport_v<const_transport>);
static_assert(gcx::is_transport_v<const const_transport>);
static_assert(gcx::is_transport_v<by_value_transport>);
static_assert(gcx::is_transport_v<template_transport>);
static_assert(gcx::is_transport_v<fakes::scripted_transport>);
static_assert(!gcx::is_transport_v<const plain_transport>, "a non-const send needs a non-const transport");
static_assert(!gcx::is_transport_v<misnamed_transport>);
static_assert(!gcx::is_transport_v<optional_transport>);
static_assert(!gcx::is_transport_v<bare_response_transport>);
static_assert(!gcx::is_transport_v<reference_transport>);
static_assert(!gcx::is_transport_v<mutable_request_transport>);
static_assert(!gcx::is_transport_v<no_argument_transport>);
static_assert(!gcx::is_transport_v<int>);
static_assert(gcx::is_transport<plain_transport>::value && !gcx::is_transport<optional_transport>::value);
static_assert(gcx::check_transport<plain_transport>());

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
static_assert(gcx::transport<plain_transport> && gcx::transport<fakes::scripted_transport>);
static_assert(!gcx::transport<misnamed_transport> && !gcx::transport<optional_transport>);
#endif

TEST_CASE("a lookup hands the transport requests without Host or Content-Length: the transport adds them",
          "[transport]") {
    auto cl = fakes::make_client();
    cl.transport()
        .then(fakes::endpoint::token, fakes::token_ok())
        .then(fakes::endpoint::launch, fakes::launched())
        .then(fakes::endpoint::poll, fakes::completed());
    const auto r = cl.lookup(fakes::phone);
    REQUIRE(r);
    const auto sent = cl.transport().log();
    REQUIRE(sent.size() == 3);
    for (const auto& req : sent) {
        CAPTURE(req.url);
        CHECK(req.header("Host") == nullptr);
        CHECK(req.header("Content-Length") == nullptr);
    }
    // Both POSTs (token, launch) have a body the transport must measure itself.
    CHECK_FALSE(sent[0].body.empty());
    CHECK_FALSE(sent[1].body.empty());
}

}  // namespace unit_transport
