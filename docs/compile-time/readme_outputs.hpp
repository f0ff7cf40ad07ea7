// Compile-time measurement (docs/compile-time.md): the README's `outputs` struct ("Using the
// library in one screen"), which lookup_readme.cpp and mapping_only.cpp share: an optional bool,
// an optional gcx::external_contact, an optional gcx::raw_json.
#ifndef GCX_COMPILE_TIME_README_OUTPUTS_HPP
#define GCX_COMPILE_TIME_README_OUTPUTS_HPP

#include <optional>

struct outputs {
    std::optional<bool> Found;
    std::optional<gcx::external_contact> externalContact;
    std::optional<gcx::raw_json> CustomerProfile;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, externalContact, CustomerProfile))

#endif
