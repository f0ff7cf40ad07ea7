// gcx-lookup --check: the preflight check (gcx::basic_client::check) with the outputs gcx-lookup
// itself reads, printed as a checklist or one JSON object.
#ifndef GCX_LOOKUP_CHECK_HPP
#define GCX_LOOKUP_CHECK_HPP

#include "options.hpp"

#include <gcx/check_report.hpp>
#include <gcx/reflect/schema.hpp>
#include <gcx/session.hpp>

#include <string>
#include <vector>

namespace gcx_lookup {

struct check_settings {
    const options& opt;
    std::string ca_file;   ///< "" = the system trust store
    std::string proxy;     ///< transport_options::proxy ("" = direct)
    std::string no_proxy;  ///< transport_options::no_proxy
};

/// The outputs gcx-lookup reads: Found (a boolean: whether the number was found) and
/// externalContact (an object: the name, email, phone and company lines of the text output).
std::vector<gcx::output_expectation> outputs_read();

/// What gcx-lookup reads from a data action's answer: its found key (data_action_options::found_key).
std::vector<gcx::output_expectation> action_outputs_read(const std::string& found_key);

/// Rewrites the report's output checks in gcx-lookup's terms: what it does when an output it
/// reads is missing or of another type.
void explain_outputs(gcx::check_report& r);

/// The exit status for a report: 0 nothing failed; 3 the credentials or a permission the lookups
/// need; 2 the configuration (the flow id, the input variable); 4 anything else.
int check_exit_status(const gcx::check_report& r);

/// "TLS trust store: ...; proxy: ...", the proxy without its user and password.
std::string network_description(const check_settings& s, const std::string& api_url);

/// Runs the check on the session, prints it (text, or JSON with --json) on stdout; returns the
/// exit status.
int run_check(const gcx::session& session, const check_settings& settings);

}  // namespace gcx_lookup

#endif
