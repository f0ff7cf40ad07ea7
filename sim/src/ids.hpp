// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Identifiers: random ones for executions, tokens and correlation ids, seeded ones for contacts.
#ifndef GCX_SIM_IDS_HPP
#define GCX_SIM_IDS_HPP

#include <cstdint>
#include <string>

namespace gcx_sim::detail {

// One step of SplitMix64: a tiny, well-mixed generator whose output is fully specified, so seeded
// data is identical with every standard library.
std::uint64_t splitmix64(std::uint64_t& state);

// Formats 128 bits as a version-4 UUID (the version and variant bits are overwritten).
std::string format_uuid(std::uint64_t hi, std::uint64_t lo);

// A fresh random UUID (not reproducible: execution ids, correlation ids).
std::string random_uuid();

// A fresh random opaque access token (URL-safe characters only).
std::string random_token();

}  // namespace gcx_sim::detail

#endif
