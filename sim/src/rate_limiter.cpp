// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "rate_limiter.hpp"

namespace gcx_sim::detail {

namespace {
constexpr std::chrono::seconds window{60};
}

bool sliding_window_limiter::try_acquire(const std::string& key, clock::time_point now,
                                         long& retry_after_seconds) {
  if (limit_ <= 0) return true;
  if (++calls_ % 4096 == 0) sweep(now);
  auto& events = windows_[key];
  while (!events.empty() && now - events.front() >= window) events.pop_front();
  if (events.size() < static_cast<std::size_t>(limit_)) {
    events.push_back(now);
    return true;
  }
  // Round up: a client that waits Retry-After seconds must find room.
  const auto wait = events.front() + window - now;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
  retry_after_seconds = ms <= 0 ? 1 : static_cast<long>((ms + 999) / 1000);
  return false;
}

// Forgets keys (tokens, clients) with no event in the window, so memory follows live keys only.
void sliding_window_limiter::sweep(clock::time_point now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (it->second.empty() || now - it->second.back() >= window) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace gcx_sim::detail
