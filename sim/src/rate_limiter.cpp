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
  retry_after_seconds = seconds_until(events.front() + window - now);
  return false;
}

// Round up: a client that waits Retry-After seconds must find room.
long seconds_until(std::chrono::nanoseconds remaining) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(remaining).count();
  return ms <= 0 ? 1 : static_cast<long>((ms + 999) / 1000);
}

bool fixed_window_limiter::check(const std::string& key, clock::time_point now,
                                 long& retry_after_seconds) {
  if (limit_ == 0) return true;
  auto it = windows_.find(key);
  if (it == windows_.end() || now - it->second.start >= window_ || it->second.count < limit_) {
    return true;
  }
  retry_after_seconds = seconds_until(it->second.start + window_ - now);
  return false;
}

void fixed_window_limiter::record(const std::string& key, clock::time_point now) {
  if (limit_ == 0) return;
  if (++calls_ % 4096 == 0) sweep(now);
  key_window& w = windows_[key];
  if (w.count == 0 || now - w.start >= window_) {
    w.start = now;
    w.count = 0;
  }
  ++w.count;
}

// Forgets keys whose window has ended, so memory follows live keys only.
void fixed_window_limiter::sweep(clock::time_point now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start >= window_) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

namespace {
long long period_of(std::chrono::system_clock::time_point t, std::chrono::seconds period) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count() / period.count();
}
}  // namespace

bool daily_limiter::check(clock::time_point now, long& retry_after_seconds) {
  if (limit_ == 0) return true;
  const long long today = period_of(now, period_);
  if (today != day_ || count_ < limit_) return true;
  const clock::time_point midnight{
      std::chrono::duration_cast<clock::duration>(period_ * (today + 1))};
  retry_after_seconds = seconds_until(midnight - now);
  return false;
}

void daily_limiter::record(clock::time_point now) {
  if (limit_ == 0) return;
  const long long today = period_of(now, period_);
  if (today != day_) {
    day_ = today;
    count_ = 0;
  }
  ++count_;
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
