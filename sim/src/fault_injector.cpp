// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "fault_injector.hpp"

namespace gcx_sim::detail {

namespace {
// A separate stream from the contact generator's, which uses the same seed.
std::uint64_t fault_stream(std::uint64_t seed) { return seed ^ 0x6661756c74735eedULL; }
}  // namespace

fault_injector::fault_injector(const fault_spec& spec, std::uint64_t seed)
    : spec_(spec), seed_(seed), rng_(fault_stream(seed)) {}

void fault_injector::reset() {
  rng_.seed(fault_stream(seed_));
  seen_ = 0;
  injected_ = 0;
}

bool fault_injector::eligible(endpoint_kind kind) const {
  switch (kind) {
  case endpoint_kind::token: return spec_.on_token;
  case endpoint_kind::launch: return spec_.on_launch;
  case endpoint_kind::poll: return spec_.on_poll;
  case endpoint_kind::lookup: return spec_.on_lookup;
  case endpoint_kind::action: return spec_.on_action;
  case endpoint_kind::other: return false;
  }
  return false;
}

fault fault_injector::decide(endpoint_kind kind) {
  if (!spec_.any() || !eligible(kind)) return fault::none;
  if (seen_++ < spec_.skip) return fault::none;
  if (spec_.max != 0 && injected_ >= spec_.max) return fault::none;
  // 53 random bits -> [0, 1). mt19937_64's output is specified by the standard, and this
  // conversion is ours (std::uniform_real_distribution's is not), so runs match everywhere.
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
  const struct {
    double p;
    fault f;
  } table[] = {{spec_.p429, fault::status_429},
               {spec_.p502, fault::status_502},
               {spec_.p503, fault::status_503},
               {spec_.p504, fault::status_504},
               {spec_.p504_after, fault::status_504_after},
               {spec_.drop, fault::drop},
               {spec_.slow, fault::slow},
               {spec_.malformed, fault::malformed}};
  double edge = 0;
  for (const auto& row : table) {
    edge += row.p;
    if (row.p > 0 && u < edge) {
      ++injected_;
      return row.f;
    }
  }
  return fault::none;
}

}  // namespace gcx_sim::detail
