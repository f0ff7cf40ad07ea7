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

// At most `limit` requests per key in each fixed window. A key's window opens with its first
// request and lasts `window`; the first request after it opens the next one. Not thread-safe.
class fixed_window_limiter {
public:
  using clock = std::chrono::steady_clock;

  fixed_window_limiter(std::uint64_t limit, clock::duration length)
      : limit_(limit), window_(length) {}

  bool enabled() const { return limit_ > 0; }

  // True when `key` may make one more request at `now` (records nothing: see record()); else
  // false, with `retry_after_seconds` = the seconds to the end of the key's window, rounded up,
  // at least 1.
  bool check(const std::string& key, clock::time_point now, long& retry_after_seconds);
  void record(const std::string& key, clock::time_point now);

private:
  struct key_window {
    clock::time_point start;
    std::uint64_t count = 0;
  };
  void sweep(clock::time_point now);

  std::uint64_t limit_;
  clock::duration window_;
  std::unordered_map<std::string, key_window> windows_;
  std::uint64_t calls_ = 0;
};

// At most `limit` requests per UTC day (of the system clock). Not thread-safe. `period` shortens
// the "day" (periods counted from 1970-01-01T00:00Z), so a test can see it end.
class daily_limiter {
public:
  using clock = std::chrono::system_clock;

  explicit daily_limiter(std::uint64_t limit, std::chrono::seconds period = std::chrono::hours(24))
      : limit_(limit), period_(period.count() > 0 ? period : std::chrono::hours(24)) {}

  bool enabled() const { return limit_ > 0; }

  // As fixed_window_limiter::check: Retry-After is the seconds to the next UTC midnight (the end
  // of the period).
  bool check(clock::time_point now, long& retry_after_seconds);
  void record(clock::time_point now);

private:
  std::uint64_t limit_;
  std::chrono::seconds period_;
  long long day_ = -1;  // days since 1970-01-01 of `count_`
  std::uint64_t count_ = 0;
};

// `remaining` in whole seconds, rounded up, at least 1.
long seconds_until(std::chrono::nanoseconds remaining);

}  // namespace gcx_sim::detail

#endif
