// Compile-time measurement (docs/compile-time.md): the README's "Using the library in one screen"
// program as far as the compiler is concerned: the single header with the Boost.JSON backend, the
// README's `outputs` struct (an optional bool, an optional gcx::external_contact, an optional
// gcx::raw_json) and one basic_client::lookup<outputs> (lookup_program.hpp: the transport is a
// stub that never runs).
#define GCX_WITH_BOOST_JSON
#include <gcx/gcx.hpp>

#include <optional>

struct outputs {
    std::optional<bool> Found;
    std::optional<gcx::external_contact> externalContact;
    std::optional<gcx::raw_json> CustomerProfile;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact, CustomerProfile))

#include "lookup_program.hpp"
