// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_RATE_LIMITER_HPP
#define GCX_SIM_RATE_LIMITER_HPP

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace gcx_sim::detail {

// At most `limit` events per key in any sliding 60-second window. Not thread-safe.
class sliding_window_limiter {
public:
  using clock = std::chrono::steady_clock;

  explicit sliding_window_limiter(int limit_per_minute) : limit_(limit_per_minute) {}

  bool enabled() const { return limit_ > 0; }

  // Records an event for `key` and returns true, or returns false (recording nothing) and sets
  // `retry_after_seconds` to when the oldest event in the window leaves it (at least 1).
  bool try_acquire(const std::string& key, clock::time_point now, long& retry_after_seconds);

private:
  void sweep(clock::time_point now);

  int limit_;
  std::unordered_map<std::string, std::deque<clock::time_point>> windows_;
  std::uint64_t calls_ = 0;
};

}  // namespace gcx_sim::detail

#endif
