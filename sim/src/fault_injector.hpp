// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_SIM_FAULT_INJECTOR_HPP
#define GCX_SIM_FAULT_INJECTOR_HPP

#include <cstdint>
#include <random>

#include "gcx_sim/simulator.hpp"

namespace gcx_sim::detail {

enum class fault {
  none,
  status_429,
  status_502,
  status_503,
  status_504,
  status_504_after,
  drop,
  slow,
  malformed
};

// Faults that replace the answer before the request is handled (nothing happened server-side).
inline bool is_pre_fault(fault f) {
  return f == fault::status_429 || f == fault::status_502 || f == fault::status_503 ||
         f == fault::status_504;
}

// `other`: the limits endpoints and any further read-only route; never faulted.
enum class endpoint_kind { token, launch, poll, lookup, action, other };

// Decides, request by request, which fault to inject. Reproducible: one PRNG draw per eligible
// request in arrival order. Not thread-safe.
class fault_injector {
public:
  fault_injector(const fault_spec& spec, std::uint64_t seed);

  fault decide(endpoint_kind kind);
  // Back to the initial state: PRNG re-seeded, skip and max re-armed.
  void reset();
  const fault_spec& spec() const { return spec_; }

private:
  bool eligible(endpoint_kind kind) const;

  fault_spec spec_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  std::uint64_t seen_ = 0;
  std::uint64_t injected_ = 0;
};

}  // namespace gcx_sim::detail

#endif
