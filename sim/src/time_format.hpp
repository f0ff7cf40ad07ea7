// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_TIME_FORMAT_HPP
#define GCX_SIM_TIME_FORMAT_HPP

#include <chrono>
#include <string>

namespace gcx_sim::detail {

// "2026-05-20T14:03:11.204Z": the ISO-8601 form (UTC, milliseconds) Genesys uses for dates.
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace gcx_sim::detail

#endif
