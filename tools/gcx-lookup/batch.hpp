// gcx-lookup: running a list of lookups (one or many) and printing their results in order.
#ifndef GCX_LOOKUP_BATCH_HPP
#define GCX_LOOKUP_BATCH_HPP

#include "input.hpp"
#include "options.hpp"
#include "resume.hpp"

#include <gcx/session.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gcx_lookup {

struct batch_settings {
    const options& opt;
    std::string ca_file;
    std::string proxy;             ///< transport_options::proxy ("" = direct)
    std::string no_proxy;          ///< transport_options::no_proxy
    resume_set* resume = nullptr;  ///< --resume: the lines not looked up again (taken as the batch reads)
};

/// The numbers of a batch: the arguments, or the lines of standard input (its first number line
/// already read, so that an empty input is a usage error before anything starts), or the rows
/// of a CSV (its header already read: `preamble` is the output's header row).
struct numbers_in {
    std::vector<std::string> args;
    std::unique_ptr<input_source> reader;
    std::optional<input_line> first;
    std::string preamble;         ///< written before the first result (--csv: the header row)
    std::string line_end = "\n";  ///< --csv: the end of every output row (the input header's)
};

/// How many results may wait, beyond those of the lookups in flight, for an earlier one to be
/// written: the reorder window is `concurrency + reorder_bound` numbers. When it is full (a slow
/// lookup at its head), no further line is read until the head ends.
constexpr std::size_t reorder_bound = 1024;

/// Looks up every number on the session with the chosen transport, `opt.concurrency` in flight,
/// printing each result in input order (with --unordered, as it ends); a progress bar (on a terminal) and a summary on stderr.
/// A stream: a line is read when a lookup can start, and memory is bounded by the concurrency
/// and the reorder window, not by the input. When a Retry-After beyond the ceiling stops the
/// budget, no further lookup is started and each remaining line is reported with that error.
/// On SIGINT or SIGTERM no further lookup starts; those in flight get interrupt_grace to end; every
/// known result is written (the rest in flight as errors, code "interrupted") and the summary
/// printed; the exit status is then 128 + the signal. Returns the exit status.
int run_batch(const gcx::session& session, numbers_in numbers, const batch_settings& settings);

}  // namespace gcx_lookup

#endif
