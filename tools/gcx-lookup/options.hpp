// gcx-lookup: command-line options and configuration sources.
#ifndef GCX_LOOKUP_OPTIONS_HPP
#define GCX_LOOKUP_OPTIONS_HPP

#include "trace.hpp"

#include <gcx/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gcx_lookup {

/// Exit codes (documented in --help and the README).
enum exit_code : int {
    exit_all_found = 0,
    exit_some_not_found = 1,
    exit_usage = 2,    ///< usage, configuration, or an invalid number
    exit_auth = 3,     ///< authentication or permission refused
    exit_failure = 4,  ///< anything else (flow failed, timeout, transport, server)
};

struct options {
    std::vector<std::string> phones;  ///< empty: read one per line from stdin
    std::optional<std::string> region, flow_id, api_url, login_url, client_id, client_secret_file;
    std::optional<std::string> ca_file;  ///< CA certificates (PEM) trusted instead of the system store
    std::optional<std::string> proxy;    ///< --proxy: wins over the environment; "" = no proxy
    std::optional<std::string> resume;   ///< --resume: an earlier run's output; its answered numbers are skipped
    std::string input_var = "Flow.PhoneNumber";
    std::optional<std::string> action_id;         ///< --action-id (else GCX_ACTION_ID)
    std::optional<std::string> action_input_key;  ///< --action-input-key (default phoneNumber)
    std::optional<std::string> action_found_key;  ///< --action-found-key (default found; "" = any output)
    bool action_secure = false;                   ///< --action-secure: no server message of it in errors
    bool action_read_only = false;                ///< --action-read-only: executed again like a GET
    std::optional<std::string> credentials_file;  ///< more OAuth clients: "client_id secret" lines
    double timeout_seconds = 30;
    double request_timeout_seconds = 16;  ///< --request-timeout: one request's answer
    int poll_ms = 0;                      ///< fixed poll schedule from this wait; 0 = learned (the default)
    int concurrency = 1;
    double rate = 300;             ///< requests per minute per credential; 0 = no pacing
    bool wait_rate_limit = false;  ///< wait out any Retry-After instead of stopping the batch
    int max_retry_after = 180;     ///< seconds: a longer Retry-After stops the batch (unless wait_rate_limit)
    bool json = false;
    bool check = false;                 ///< --check: the preflight check instead of lookups
    bool csv = false;                   ///< --csv: a CSV with a header on stdin, the same rows enriched on stdout
    std::optional<std::string> column;  ///< --column: the phone column's header (default: the first phone-like one)
    std::vector<std::string> fields;    ///< --fields: dotted paths into the outputs, one result column each
    bool quiet = false;                 ///< no progress bar, no simulator notice
    trace_format trace = trace_format::none;  ///< --trace / --trace-json: the client's events on stderr
    bool line_buffered = false;               ///< flush stdout after every result, terminal or not
    bool unordered = false;                   ///< write each result when its lookup ends, not in input order
    std::string transport = "curl";
    bool force_simulator = false;
    gcx::lookup_strategy strategy = gcx::lookup_strategy::flow;
    bool help = false, version = false;
};

/// Reads a credentials file: one "client_id secret" per line ('#' comments, blank lines skipped).
/// Refused when others may read it (mode & 077), like ssh's keys. On error sets `error`.
std::optional<std::vector<gcx::credential>> read_credentials_file(const std::string& path, const gcx::credential& main,
                                                                  std::string& error);

/// Reads --client-secret-file: its text, trimmed (and without an editor's byte-order mark).
/// A regular file others may read (mode & 077) is refused, as a credentials file is; a pipe
/// (`--client-secret-file <(vault ...)`) is read as it is. On error sets `error`.
std::optional<std::string> read_secret_file(const std::string& path, std::string& error);

/// Parses argv. On a usage error returns nullopt and sets `error`.
std::optional<options> parse(int argc, char** argv, std::string& error);

/// The --help text.
const char* usage();

}  // namespace gcx_lookup

#endif
