// gcx-lookup: running a list of lookups (one or many) and printing their results in order.
#ifndef GCX_LOOKUP_BATCH_HPP
#define GCX_LOOKUP_BATCH_HPP

#include "options.hpp"

#include <gcx/session.hpp>

#include <string>
#include <vector>

namespace gcx_lookup {

struct batch_settings {
    const options& opt;
    std::string ca_file;
    std::string proxy;     ///< transport_options::proxy ("" = direct)
    std::string no_proxy;  ///< transport_options::no_proxy
};

/// Looks up every number on the session with the chosen transport, `opt.concurrency` in flight,
/// printing each result in input order; a progress bar (on a terminal) and a summary on stderr.
/// When a Retry-After beyond the ceiling stops the budget, no further lookup is started and each
/// remaining number is reported with that error. Returns the exit status.
int run_batch(const gcx::session& session, const std::vector<std::string>& phones, const batch_settings& settings);

}  // namespace gcx_lookup

#endif
