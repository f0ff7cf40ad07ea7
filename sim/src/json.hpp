// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_JSON_HPP
#define GCX_SIM_JSON_HPP

#include <nlohmann/json.hpp>

#include <string>

namespace gcx_sim::detail {

// Insertion-ordered, so responses read like the documented examples (id first, selfUri last).
using json = nlohmann::ordered_json;

// How deep a request body may nest. nlohmann parses and destroys iteratively, but dump() and
// comparisons recurse once per level: a 64 KiB body of brackets would take a worker's stack.
// A Genesys request body nests a handful of levels.
constexpr int max_request_depth = 64;

// A request body parsed, or a discarded value when it is not JSON or nests deeper than
// max_request_depth (both answered as malformed).
inline json parse_request(const std::string& body) {
  bool too_deep = false;
  json v = json::parse(
      body,
      [&too_deep](int depth, json::parse_event_t event, json&) {
        // A container's start event comes at the depth of the one holding it: the top level's at
        // 0, so one at nesting level L at L - 1.
        const bool opens =
            event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
        if (opens && depth >= max_request_depth) too_deep = true;
        return !too_deep;
      },
      false);
  return too_deep ? json(json::value_t::discarded) : v;
}

}  // namespace gcx_sim::detail

#endif
