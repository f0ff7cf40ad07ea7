// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_E164_HPP
#define GCX_SIM_E164_HPP

#include <string>

namespace gcx_sim::detail {

// E.164 as the simulated flow accepts it: '+', then 7 to 15 digits, the first not 0.
inline bool is_e164(const std::string& s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  for (std::string::size_type i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace gcx_sim::detail

#endif
