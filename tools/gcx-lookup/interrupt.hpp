// gcx-lookup: SIGINT and SIGTERM during a batch.
#ifndef GCX_LOOKUP_INTERRUPT_HPP
#define GCX_LOOKUP_INTERRUPT_HPP

#include <chrono>

namespace gcx_lookup {

/// How long the lookups in flight may still run after the first SIGINT or SIGTERM. Those that end
/// within it are written as usual; the rest are written as errors (code "interrupted").
constexpr std::chrono::seconds interrupt_grace{5};

/// Installs the handlers: the first SIGINT or SIGTERM is remembered (interrupt_signal()) and says
/// on stderr that the batch is stopping; a second one ends the process at once with 128 + its
/// number (130 for SIGINT), as the default disposition would.
void install_interrupt_handlers();

/// The first SIGINT or SIGTERM received since install_interrupt_handlers(), or 0.
int interrupt_signal() noexcept;

}  // namespace gcx_lookup

#endif
