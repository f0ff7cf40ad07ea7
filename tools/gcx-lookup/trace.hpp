// gcx-lookup: --trace and --trace-json, the client's events (gcx/events.hpp) on stderr.
#ifndef GCX_LOOKUP_TRACE_HPP
#define GCX_LOOKUP_TRACE_HPP

#include <gcx/events.hpp>

#include <string>

namespace gcx_lookup {

enum class trace_format { none, text, json };

/// A hook that writes each event to file descriptor `fd` as one line: the seconds since the hook
/// was made, then gcx::to_text's line (text), or gcx::to_json's object with "t" (seconds) first
/// (json). One write(2) per line under a mutex: lines of several threads never interleave.
/// An empty hook for trace_format::none.
/// `strategy` names the configured strategy (for the lines end_trace writes).
gcx::event_hook make_trace_hook(trace_format format, int fd = 2, std::string strategy = "flow");

/// The batch is ending with lookups still in flight (the grace after a signal is over): writes a
/// lookup_finished line for each lookup the trace has seen start and not finish (outcome error,
/// error_kind timeout, error_code interrupted, its requests and polls so far), so that every
/// lookup in the trace ends, then drops whatever comes later. Nothing without a trace.
void end_trace();

}  // namespace gcx_lookup

#endif
