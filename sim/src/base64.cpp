// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "base64.hpp"

#include "text.hpp"

namespace gcx_sim::detail {

namespace {
int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

bool base64_decode(const std::string& in, std::string& out) {
  out.clear();
  std::string::size_type end = in.size();
  while (end > 0 && in[end - 1] == '=') --end;
  if (in.size() - end > 2) return false;
  unsigned buffer = 0;
  int bits = 0;
  for (std::string::size_type i = 0; i < end; ++i) {
    const int v = sextet(in[i]);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xffu);
    }
  }
  // A single leftover sextet cannot encode a byte; leftover bits must be zero padding.
  return bits < 6 && (buffer & ((1u << bits) - 1u)) == 0;
}

bool basic_credentials(const std::string& header, std::string& id, std::string& secret) {
  if (!starts_with_nocase(header, "Basic ")) return false;
  std::string decoded;
  if (!base64_decode(trim(header.substr(6)), decoded)) return false;
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  id = decoded.substr(0, colon);
  secret = decoded.substr(colon + 1);
  return true;
}

}  // namespace gcx_sim::detail
