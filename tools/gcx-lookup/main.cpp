// gcx-lookup: look up the customer behind phone numbers in Genesys Cloud, from the command line.
// The tutorial's "complete working example", grown into a tool: configuration from the
// environment or flags, one shared session (one token and one request budget per OAuth client,
// kept-alive connections) for a whole batch, and a built-in simulator when no org is configured.
#include "batch.hpp"
#include "check.hpp"
#include "csv.hpp"
#include "options.hpp"
#include "proxy.hpp"
#include "report.hpp"

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/config.hpp>
#include <gcx/session.hpp>
#include <gcx_sim/simulator.hpp>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace gcx_lookup;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

struct usage_error {
    std::string message;
};

/// The numbers: the arguments, or one per line on stdin, read as a stream (only the first number
/// line is read here: an input without one is a usage error before anything starts).
numbers_in read_numbers(const options& opt) {
    numbers_in in;
    if (opt.csv) {
        // The header is read here: a CSV without one, or without a phone column, is a usage
        // error before anything starts. An empty table (a header alone) is not.
        if (isatty(0)) throw usage_error{"--csv reads the CSV on stdin (gcx-lookup --csv < customers.csv)"};
        auto rows = std::make_unique<csv::rows>(0);
        std::string err;
        if (!rows->read_header(opt.column, err)) {
            if (rows->read_error()) throw std::runtime_error(err);
            throw usage_error{err};
        }
        in.preamble = rows->output_header(opt.fields);
        in.line_end = rows->line_end();
        in.reader = std::move(rows);
        return in;
    }
    if (!opt.phones.empty()) {
        in.args = opt.phones;
        return in;
    }
    if (isatty(0)) throw usage_error{"no phone number given (pass numbers as arguments, or one per line on stdin)"};
    auto lines = std::make_unique<line_reader>(0);
    in.first = lines->next();
    if (!in.first && lines->read_error())
        throw std::runtime_error(std::string("reading the numbers from standard input failed (") +
                                 std::strerror(lines->read_error()) + ")");
    in.reader = std::move(lines);
    if (!in.first) throw usage_error{"no phone number on stdin"};
    return in;
}

/// A CA file that cannot be read is a configuration error before any lookup, not a TLS failure
/// per number.
std::string ca_file_of(const options& opt) {
    const std::string ca_file = opt.ca_file ? *opt.ca_file : env("GCX_CA_FILE");
    std::error_code ec;
    if (!ca_file.empty() && (std::filesystem::is_directory(ca_file, ec) || !std::ifstream(ca_file)))
        throw usage_error{"cannot read the CA file " + ca_file + " (a PEM file of CA certificates)"};
    return ca_file;
}

/// The configuration of a real org: the environment, with the flags on top (read through
/// from_env, so the rules are one).
gcx::client_config org_config(const options& opt) {
    std::map<std::string, std::string> overlay;
    if (opt.region) overlay["GENESYS_REGION"] = *opt.region;
    if (opt.flow_id) overlay["TARGET_FLOW_ID"] = *opt.flow_id;
    if (opt.action_id) overlay["GCX_ACTION_ID"] = *opt.action_id;
    if (opt.api_url) overlay["GCX_API_URL"] = *opt.api_url;
    if (opt.login_url) overlay["GCX_LOGIN_URL"] = *opt.login_url;
    if (opt.client_id) overlay["GENESYS_CLIENT_ID"] = *opt.client_id;
    if (opt.client_secret_file) {
        std::string err;
        auto secret = read_secret_file(*opt.client_secret_file, err);
        if (!secret) throw usage_error{err};
        overlay["GENESYS_CLIENT_SECRET"] = std::move(*secret);
    }
    auto c = gcx::client_config::from_env(opt.strategy, [&overlay](const char* name) -> const char* {
        auto it = overlay.find(name);
        return it != overlay.end() ? it->second.c_str() : std::getenv(name);
    });
    if (!c) throw usage_error{c.error().describe()};
    return std::move(*c);
}

/// What names a real org in the environment or the flags, though no client id does: the built-in
/// simulator must never stand in for it (an empty GENESYS_CLIENT_ID from a failed secrets fetch
/// would otherwise give a batch the demo org's answers).
std::string org_settings_without_client(const options& opt) {
    std::string named;
    const auto add = [&named](const std::string& what) { named += (named.empty() ? "" : ", ") + what; };
    for (const char* v : {"GENESYS_CLIENT_ID", "GENESYS_CLIENT_SECRET", "GENESYS_REGION", "TARGET_FLOW_ID",
                          "GCX_ACTION_ID", "GCX_LOGIN_URL"})
        if (std::getenv(v)) add(v);
    if (opt.region) add("--region");
    if (opt.client_secret_file) add("--client-secret-file");
    if (opt.credentials_file) add("--credentials-file");
    if (opt.login_url) add("--login-url");
    return named;
}

/// The built-in simulator's configuration (its demo org), and the simulator, started.
gcx::client_config simulator_config(const options& opt, std::unique_ptr<gcx_sim::simulator>& sim) {
    sim = std::make_unique<gcx_sim::simulator>(gcx_sim::options{});
    if (!sim->start()) throw std::runtime_error("could not start the built-in simulator");
    gcx::client_config cfg;
    cfg.endpoints = *gcx::endpoints::from_urls(sim->base_url());
    cfg.client_id = sim->demo().client_id;
    cfg.client_secret = gcx::secret(sim->demo().client_secret);
    cfg.flow_id = opt.flow_id ? *opt.flow_id : sim->demo().lookup_flow_id;
    cfg.action.action_id = opt.action_id ? *opt.action_id : sim->demo().lookup_action_id;
    cfg.strategy = opt.strategy;
    if (!opt.quiet)
        std::cerr << "gcx-lookup: no Genesys Cloud credentials configured (GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET);\n"
                  << "gcx-lookup: using the built-in simulator at " << sim->base_url() << " (demo org; try "
                  << gcx_sim::simulator::found_number(123) << ")\n";
    return cfg;
}

/// What the flags say about timing, the budget and more credentials.
void apply_flags(const options& opt, gcx::client_config& cfg) {
    cfg.input_variable = opt.input_var;
    if (opt.action_input_key) cfg.action.input_key = *opt.action_input_key;
    if (opt.action_found_key) cfg.action.found_key = *opt.action_found_key;
    cfg.action.secure = cfg.action.secure || opt.action_secure;
    cfg.action.idempotent = cfg.action.idempotent || opt.action_read_only;
    cfg.lookup_timeout = gcx::milliseconds{static_cast<std::int64_t>(opt.timeout_seconds * 1000)};
    cfg.request_timeout = gcx::milliseconds{static_cast<std::int64_t>(opt.request_timeout_seconds * 1000)};
    cfg.budget.requests_per_minute = opt.rate;
    cfg.retry.retry_after_ceiling = std::chrono::seconds{opt.max_retry_after};
    // A batch waits out every 429 up to the ceiling, without charging it to --timeout (a lookup
    // whose flow runs too): --timeout bounds the work, not the org's limits. The lookups queued
    // behind such a pause wait as long (queue_timeout above the ceiling).
    // (Not --check: it runs within one --timeout, and reports a 429 rather than waiting it out.)
    cfg.retry.rate_limits_extend_deadline = !opt.check;
    if (!opt.check)
        cfg.budget.queue_timeout = std::max<gcx::milliseconds>(cfg.budget.queue_timeout,
                                                               cfg.retry.retry_after_ceiling + std::chrono::minutes{1});
    if (opt.poll_ms > 0) {
        cfg.poll.adaptive = false;
        cfg.poll.initial = gcx::milliseconds{opt.poll_ms};
        cfg.poll.max = std::max(cfg.poll.max, cfg.poll.initial);
    }
    if (opt.wait_rate_limit && !opt.check) {  // however long: a daily limit too
        cfg.retry.retry_after_ceiling = std::chrono::hours{48};
        cfg.budget.queue_timeout = std::chrono::hours{48};
    }
    if (opt.credentials_file) {
        std::string err;
        auto creds = read_credentials_file(*opt.credentials_file, {cfg.client_id, cfg.client_secret}, err);
        if (!creds) throw usage_error{err};
        for (auto& c : *creds) cfg.extra_credentials.push_back(std::move(c));
    }
}

/// Standard streams the caller closed (`gcx-lookup ... >&-`) are opened on /dev/null, each
/// keeping its number: else the first files the process opens take those numbers (libcurl's
/// socket pair, say), and the results or the trace would be written into them. Returns whether
/// standard output was closed.
bool keep_standard_streams() {
    bool stdout_closed = false;
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);  // the lowest free number: fd
        if (opened >= 0 && opened != fd) {
            ::dup2(opened, fd);
            ::close(opened);
        }
        stdout_closed = stdout_closed || fd == 1;
    }
    return stdout_closed;
}

}  // namespace

int main(int argc, char** argv) try {
    // A write to a closed pipe returns EPIPE instead of killing the process: results on stdout
    // handle it (the batch then ends as SIGPIPE would, status 141), and a --trace reader that
    // went away loses the trace, never the results. (The built-in simulator's server ignores
    // SIGPIPE too: the same behaviour against a real org.)
    std::signal(SIGPIPE, SIG_IGN);
    if (keep_standard_streams()) {
        // Said even with --quiet, as a full disk is: results written nowhere would look like a batch that ran.
        std::fputs("gcx-lookup: standard output is closed: the results would be lost\n", stderr);
        return gcx_lookup::exit_failure;
    }
    std::string perr;
    auto parsed = parse(argc, argv, perr);
    if (!parsed) throw usage_error{perr};
    const options& opt = *parsed;
    if (opt.help) return std::cout << usage(), 0;
    if (opt.version) return std::cout << "gcx-lookup " GCX_VERSION_STRING "\n", 0;

    if (opt.resume && !opt.json && !opt.csv)
        throw usage_error{
            "--resume reads an earlier run's --json (or --csv) output: pass --json (or --csv) as well, and append the results to that file"};
    const bool have_credentials = !env("GENESYS_CLIENT_ID").empty() || opt.client_id;
    const bool have_api = !env("GCX_API_URL").empty() || opt.api_url;
    const std::string ca_file = ca_file_of(opt);
    numbers_in numbers = opt.check ? numbers_in{} : read_numbers(opt);

    const bool use_simulator = opt.force_simulator || (!have_credentials && !have_api);
    if (use_simulator && !opt.force_simulator) {
        // The check answers "will my lookups work against my org?": a clean pass from the
        // built-in simulator (an `export` forgotten) would say yes to a question never asked.
        if (opt.check)
            throw usage_error{"--check checks a Genesys Cloud org, and none is configured (GENESYS_CLIENT_ID or "
                              "--client-id): set the org's settings, or pass --simulator to check the built-in "
                              "simulator"};
        if (const std::string named = org_settings_without_client(opt); !named.empty())
            throw usage_error{"no OAuth client id (GENESYS_CLIENT_ID or --client-id is unset or empty), though " +
                              named +
                              " name a Genesys Cloud org: set the client id, or unset those to use the built-in "
                              "simulator (--simulator uses it whatever is set)"};
    }
    std::unique_ptr<gcx_sim::simulator> sim;
    gcx::client_config cfg = use_simulator ? simulator_config(opt, sim) : org_config(opt);
    apply_flags(opt, cfg);
    cfg.on_event = make_trace_hook(opt.trace, 2, gcx::to_string(cfg.strategy));
    std::string proxy_error;
    const auto proxy = choose_proxy(
        opt.proxy, cfg.endpoints.api, cfg.endpoints.login, [](const char* n) -> const char* { return std::getenv(n); },
        proxy_error);
    if (!proxy) throw usage_error{proxy_error};
    if (opt.transport == "httplib" && !proxy->proxy.empty())
        for (const std::string* url : {&cfg.endpoints.api, &cfg.endpoints.login}) {
            auto u = gcx::http::parse_url(*url);
            if (u && u->scheme == "https" && !gcx::adapters::detail::proxy_bypassed(proxy->no_proxy, u->host))
                throw usage_error{"--transport httplib cannot reach https through a proxy (cpp-httplib 0.11 hangs "
                                  "when the proxy refuses the tunnel): use --transport curl (the default)"};
        }
    auto session = gcx::session::create(std::move(cfg));
    if (!session) throw usage_error{session.error().describe()};

    if (opt.check) return run_check(*session, check_settings{opt, ca_file, proxy->proxy, proxy->no_proxy});

    batch_settings settings{opt, ca_file, proxy->proxy, proxy->no_proxy};
    std::optional<resume_set> resume;
    if (opt.resume) {
        std::string err;
        resume = load_resume(*opt.resume, err, opt.csv, opt.column);
        if (!resume) throw usage_error{err};
        settings.resume = &*resume;
        // Appending to the earlier run's output: a CSV's header row is there already (and must be
        // this run's: other columns would misalign every row), and a line a killed run cut short
        // is cut off first (the new results would join it otherwise, inside an open quote too).
        if (stdout_appends_to(*opt.resume)) {
            if (resume->fragment_at && ::ftruncate(1, static_cast<off_t>(*resume->fragment_at)) != 0)
                throw std::runtime_error("cannot cut the unfinished last line of the resume file " + *opt.resume);
            if (opt.csv && resume->fragment_at != std::uint64_t{0}) {  // (a cut header: the file is empty now)
                std::string_view ours = numbers.preamble;
                if (ours.substr(0, 3) == "\xEF\xBB\xBF") ours.remove_prefix(3);
                while (!ours.empty() && (ours.back() == '\n' || ours.back() == '\r')) ours.remove_suffix(1);
                if (ours != resume->header)
                    throw usage_error{"the resume file " + *opt.resume +
                                      " has other columns than this run writes: resume with the same input "
                                      "columns and --fields (or start a new file)"};
                numbers.preamble.clear();
            }
        }
    }
    return run_batch(*session, std::move(numbers), settings);
} catch (const usage_error& e) {
    std::cerr << "gcx-lookup: " << e.message << "\n(see gcx-lookup --help)\n";
    return gcx_lookup::exit_usage;
} catch (const std::exception& e) {
    std::cerr << "gcx-lookup: " << e.what() << "\n";
    return gcx_lookup::exit_failure;
}
