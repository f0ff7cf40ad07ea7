// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// Small string helpers for header parsing.
#ifndef GCX_SIM_TEXT_HPP
#define GCX_SIM_TEXT_HPP

#include <cctype>
#include <string>

namespace gcx_sim::detail {

// True when `s` starts with `prefix`, ignoring ASCII case ("Bearer " vs "bearer ").
inline bool starts_with_nocase(const std::string& s, const std::string& prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::string::size_type i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

inline std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace gcx_sim::detail

#endif
