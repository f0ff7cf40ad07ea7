// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_TOKENS_HPP
#define GCX_SIM_TOKENS_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace gcx_sim::detail {

struct token_grant {
  std::string client_id;
  unsigned permissions = 0;
  std::chrono::steady_clock::time_point expires;
};

// Issued bearer tokens. Opaque random strings; they expire on the real (monotonic) clock.
// Not thread-safe.
class token_store {
public:
  using clock = std::chrono::steady_clock;

  std::string issue(const std::string& client_id, unsigned permissions, std::chrono::seconds ttl,
                    clock::time_point now);
  // The grant of a live token, or nullptr for an unknown or expired one.
  const token_grant* find(const std::string& token, clock::time_point now) const;

private:
  void sweep(clock::time_point now);

  std::unordered_map<std::string, token_grant> tokens_;
  std::uint64_t issued_ = 0;
};

}  // namespace gcx_sim::detail

#endif
