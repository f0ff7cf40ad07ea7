// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_BASE64_HPP
#define GCX_SIM_BASE64_HPP

#include <string>

namespace gcx_sim::detail {

// Decodes standard base64 (RFC 4648 section 4, padding optional), as used by HTTP Basic auth.
// Returns false on any character outside the alphabet or a malformed tail.
bool base64_decode(const std::string& in, std::string& out);

// "Basic base64(id:secret)" (scheme case-insensitive) -> id, secret; false for anything else.
bool basic_credentials(const std::string& header, std::string& id, std::string& secret);

}  // namespace gcx_sim::detail

#endif
