// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "tokens.hpp"

#include "ids.hpp"

namespace gcx_sim::detail {

std::string token_store::issue(const std::string& client_id, unsigned permissions,
                               std::chrono::seconds ttl, clock::time_point now) {
  if (++issued_ % 1024 == 0) sweep(now);
  std::string token = random_token();
  tokens_[token] = token_grant{client_id, permissions, now + ttl};
  return token;
}

const token_grant* token_store::find(const std::string& token, clock::time_point now) const {
  auto it = tokens_.find(token);
  if (it == tokens_.end() || now >= it->second.expires) return nullptr;
  return &it->second;
}

void token_store::sweep(clock::time_point now) {
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    if (now >= it->second.expires) {
      it = tokens_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace gcx_sim::detail
