// gcx-lookup: command-line options and configuration sources.
#ifndef GCX_LOOKUP_OPTIONS_HPP
#define GCX_LOOKUP_OPTIONS_HPP

#include <gcx/config.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gcx_lookup {

/// Exit codes (documented in --help and the README).
enum exit_code : int {
    exit_all_found = 0,
    exit_some_not_found = 1,
    exit_usage = 2,       ///< usage, configuration, or an invalid number
    exit_auth = 3,        ///< authentication or permission refused
    exit_failure = 4,     ///< anything else (flow failed, timeout, transport, server)
};

struct options {
    std::vector<std::string> phones;      ///< empty: read one per line from stdin
    std::optional<std::string> region, flow_id, api_url, login_url, client_id, client_secret_file;
    std::optional<std::string> ca_file;   ///< CA certificates (PEM) trusted instead of the system store
    std::string input_var = "Flow.PhoneNumber";
    double timeout_seconds = 30;
    int poll_ms = 0;                      ///< first poll wait; 0 = the library default (200 ms)
    int concurrency = 1;
    bool json = false;
    bool quiet = false;                   ///< no progress bar, no simulator notice
    bool line_buffered = false;           ///< flush stdout after every result, terminal or not
    std::string transport = "curl";
    bool force_simulator = false;
    gcx::lookup_strategy strategy = gcx::lookup_strategy::flow;
    bool help = false, version = false;
};

/// Parses argv. On a usage error returns nullopt and sets `error`.
std::optional<options> parse(int argc, char** argv, std::string& error);

/// The --help text.
const char* usage();

} // namespace gcx_lookup

#endif
