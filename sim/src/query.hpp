// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Reading a request's query parameters.
#ifndef GCX_SIM_QUERY_HPP
#define GCX_SIM_QUERY_HPP

#include <httplib.h>

#include <cstddef>
#include <string>

namespace gcx_sim::detail {

// True when one of the (repeated or comma-separated) `expand` query values is `wanted`
// ("expand=contract", "expand=a,b&expand=c").
inline bool expands(const httplib::Request& req, const std::string& wanted) {
  const std::size_t count = req.get_param_value_count("expand");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string value = req.get_param_value("expand", i);
    std::string::size_type start = 0;
    for (;;) {
      const auto end = value.find(',', start);
      if (value.compare(start, end == std::string::npos ? std::string::npos : end - start,
                        wanted) == 0) {
        return true;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return false;
}

}  // namespace gcx_sim::detail

#endif  // GCX_SIM_QUERY_HPP
