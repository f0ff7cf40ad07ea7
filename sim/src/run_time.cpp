// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// run_time_sampler: lognormal execution run times from a seeded mt19937_64.
#include <algorithm>
#include <cmath>

#include "gcx_sim/simulator.hpp"

namespace gcx_sim {

namespace {

// A separate stream from the contact generator's and the fault injector's (same seed).
std::uint64_t run_time_stream(std::uint64_t seed) { return seed ^ 0x72756e74696d65ULL; }

// 53 random bits -> (0, 1]: never 0, so the logarithm below is finite.
double unit_open_below(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53;
}

}  // namespace

run_time_sampler::run_time_sampler(run_time_distribution dist, std::uint64_t seed)
    : dist_(dist), seed_(seed), rng_(run_time_stream(seed)) {}

void run_time_sampler::reset() { rng_.seed(run_time_stream(seed_)); }

std::chrono::milliseconds run_time_sampler::next() {
  // Box-Muller, one standard normal per draw (std::normal_distribution differs between standard
  // libraries; this does not).
  const double u1 = unit_open_below(rng_);
  const double u2 = unit_open_below(rng_);
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  // At most an hour (what executions keep to; a median near INT_MAX with sigma 5 would
  // otherwise overflow the milliseconds, then the nanoseconds an execution's dates are kept in).
  const double ms =
      std::min(static_cast<double>(dist_.median.count()) * std::exp(dist_.sigma * z), 3600000.0);
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(std::llround(ms)));
}

}  // namespace gcx_sim
