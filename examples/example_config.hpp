// The examples' client configuration: what makes them run anywhere (and in CI) with no Genesys
// org, kept out of the programs themselves.
#ifndef GCX_EXAMPLES_EXAMPLE_CONFIG_HPP
#define GCX_EXAMPLES_EXAMPLE_CONFIG_HPP

#include <gcx/config.hpp>
#include <gcx_sim/simulator.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace examples {

/// A configuration for the started simulator `sim`: its address, its demo OAuth client and its
/// lookup flow.
inline gcx::client_config sim_config(const gcx_sim::simulator& sim) {
    gcx::client_config c;
    c.endpoints = gcx::endpoints::from_urls(sim.base_url()).value();
    c.client_id = sim.demo().client_id;
    c.client_secret = gcx::secret(sim.demo().client_secret);
    c.flow_id = sim.demo().lookup_flow_id;
    return c;
}

/// GENESYS_* / TARGET_FLOW_ID from the environment into `cfg` when GENESYS_CLIENT_ID is set,
/// otherwise an in-process gcx-sim, started into `sim` (keep it for as long as `cfg` is used).
/// 0 when `cfg` is set; else main's exit code: 1 when the simulator did not start, 2 when the
/// environment's configuration is refused (said on stderr).
inline int env_or_sim_config(std::unique_ptr<gcx_sim::simulator>& sim, gcx::client_config& cfg) {
    if (std::getenv("GENESYS_CLIENT_ID")) {
        auto env = gcx::client_config::from_env();
        if (!env) {
            std::cerr << env.error().describe() << "\n";
            return 2;
        }
        cfg = *env;
        return 0;
    }
    sim = std::make_unique<gcx_sim::simulator>();
    if (!sim->start()) return 1;
    cfg = sim_config(*sim);
    return 0;
}

}  // namespace examples

#endif
