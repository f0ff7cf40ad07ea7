// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_JSON_HPP
#define GCX_SIM_JSON_HPP

#include <nlohmann/json.hpp>

namespace gcx_sim::detail {

// Insertion-ordered, so responses read like the documented examples (id first, selfUri last).
using json = nlohmann::ordered_json;

}  // namespace gcx_sim::detail

#endif
