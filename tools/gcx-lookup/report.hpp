// gcx-lookup: what one lookup ended with, and how it is printed.
#ifndef GCX_LOOKUP_REPORT_HPP
#define GCX_LOOKUP_REPORT_HPP

#include <gcx/json/boost_json.hpp>
#include <gcx/lookup.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gcx_lookup {

enum class status { found, not_found, error };

struct outcome {
    std::string phone;  ///< as given
    status st = status::error;
    std::optional<gcx::lookup_result<boost::json::value>> result;
    std::optional<gcx::error> err;
    bool resumed = false;  ///< answered in the --resume file: counted, not written again
    /// false for a line refused before any request (an invalid number, a malformed CSV row) and
    /// for one never started (the batch stopped on a rate limit): the summary counts these apart.
    bool looked_up = true;
    std::string row;  ///< --csv: what its output row starts with (the input row's original fields)
};

/// Classifies a lookup: found / not_found / error. Found is the `Found` output (`Flow.Found` wins
/// over a bare `Found`): JSON true is found, false or null not found, any other value an error
/// (mapping, code found_output, its path). Without a `Found` output: found when any output is non-null.
outcome classify(std::string phone, gcx::result<gcx::lookup_result<boost::json::value>> r);

/// The --json line: {"phone","status","executionId","source","outputs":{...},"error":{...}}; with
/// `index` (--unordered: the number's place in the input, from 0) {"index", "phone", ...}.
std::string to_json_line(const outcome& o, std::optional<std::size_t> index = std::nullopt);

/// The value at a dotted path into the outputs (--fields): the first name is an output's, with
/// or without "Flow." (Flow.X wins over X, as for the status); the next ones walk into objects by
/// key and into arrays by index ("externalContact.phoneNumbers.0"). nullptr when there is none.
const boost::json::value* output_at(const boost::json::value& outputs, std::string_view path);

/// The --csv output row: o.row, then the result cells: gcx_status (found, not_found, error, as
/// --json's status), gcx_error_kind, gcx_error_code, and one per path of `fields` (a string as
/// its text, null or a missing path as an empty cell, anything else as compact JSON), each made
/// safe with csv::cell(); then `line_end`.
std::string to_csv_row(const outcome& o, const std::vector<std::string>& fields, const std::string& line_end);

/// The human-readable block. Every text a server (or the input) controls is shown with its
/// control characters as spaces (see shown()).
std::string to_text(const outcome& o);

/// `v` for the text output: control characters (C0 and DEL) as spaces, as gcx::error::describe()
/// shows error texts (gcx::detail::clip), so that no CR/LF forges a result line and no escape
/// sequence reaches the terminal; cut after `n` bytes (then "...").
std::string shown(std::string_view v, std::size_t n = std::string::npos);

/// `v` with DEL and the C1 controls (U+0080 to U+009F, and lone bytes 0x80 to 0x9F outside a
/// UTF-8 sequence) as spaces: what shown() and csv::cell() do beyond the C0 controls.
std::string c1_controls_to_spaces(std::string_view v);

/// `s` with every byte that starts no valid UTF-8 character (a Latin-1 no-break space, binary
/// garbage) replaced by U+FFFD: what --json writes must be UTF-8 to be JSON.
std::string valid_utf8(std::string_view s);

/// What an error's result line echoes of the input line: at most echo_bytes (200) bytes, cut on a
/// UTF-8 character boundary ("..." added), control characters as spaces, invalid UTF-8 as U+FFFD.
std::string echo_of(const std::string& line);

/// How bad an outcome is: 0 found, 1 not found, 3 failed, 4 refused credentials or
/// permission, 5 bad input or configuration (also a launch answered 404 or 400 and a data action
/// answered 404: the flow or action id, or the flow's inputs). The worst one sets the exit status.
int severity(const outcome& o);

/// The exit status (see options.hpp) for the worst severity among a run's outcomes.
int exit_status_for(int worst);

/// The exit status for all outcomes: exit_status_for(the worst severity).
int exit_status(const std::vector<outcome>& all);

/// The progress bar's estimate of the seconds left: the `left` lines still to answer (those in
/// flight among them), at the requests per lookup the ended ones took (`requests_ended` over
/// `looked_up`: lines answered from a --resume file or refused before any request are not
/// lookups), less what those in flight have sent already (`requests_sent` in all, less the ended
/// ones'), sent at `pace` requests per minute, after `paused` seconds of a 429 pause still to
/// wait. Negative when there is nothing to estimate from (nothing looked up yet, nothing left, no
/// pace).
double eta_seconds(double paused, std::uint64_t requests_sent, std::uint64_t requests_ended, std::size_t looked_up,
                   std::size_t left, double pace);

}  // namespace gcx_lookup

#endif
