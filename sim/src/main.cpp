// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// gcx-sim: serves the simulated Genesys Cloud until SIGINT or SIGTERM.
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <string>
#include <utility>

#include "gcx_sim/simulator.hpp"

namespace {

const char* const usage =
    "usage: gcx-sim [options]\n"
    "  --host ADDR             address to listen on (default 127.0.0.1)\n"
    "  --port N                port (default 0: any free port)\n"
    "  --contacts FILE         JSON array of ExternalContact instead of generated contacts\n"
    "  --contact-count N       generated contacts, at most 10000 (default 3000)\n"
    "  --token-ttl S           token lifetime in seconds (default 86400)\n"
    "  --run-time MODE         how long executions stay RUNNING: field (each run drawn from a\n"
    "                          lognormal distribution, see --run-median-ms, --run-sigma) or\n"
    "                          fixed (--run-ms, 300 if not given) (default field)\n"
    "  --run-ms MS             every execution runs exactly MS milliseconds, at most 3600000\n"
    "                          (--run-time fixed)\n"
    "  --run-median-ms MS      median of the field run times (default 800, at most 3600000;\n"
    "                          each run time drawn is at most an hour)\n"
    "  --run-sigma S           sigma of ln(run time) (default 0.35: 87% of runs in 0.5-1.5 s)\n"
    "  --rate-limit N          API requests per token per minute, 0 = unlimited (default 300)\n"
    "  --org-rate-limit N      API requests per minute of all tokens together, 0 = off (default 0)\n"
    "  --daily-limit N         API requests per UTC day of all tokens together, 0 = off (default 0)\n"
    "  --daily-period S        the \"day\" of --daily-limit in seconds, from 1970-01-01T00:00Z\n"
    "                          (default 86400; shorter to see a daily limit lift in a test)\n"
    "  --token-rate-limit N    tokens per client per minute, 0 = unlimited (default 0)\n"
    "  --latency-ms MS         round trip added to every token and API request: half before it\n"
    "                          is handled, half before its answer (default 0)\n"
    "  --visibility-lag-ms MS  an execution is answered RUNNING until MS after its dateCompleted\n"
    "                          (default 0)\n"
    "  --action-id ID          id of the lookup data action (default\n"
    "                          custom_-_3f6c1a2e-8b4d-4c7e-9a15-6d2b8e4f0c71)\n"
    "  --action-ms MS          every data action's remote answers after exactly MS milliseconds\n"
    "                          (default: drawn, lognormal, median 150 ms, sigma 0.35)\n"
    "  --faults SPEC           fault injection, e.g. 503=0.05,drop=0.02,slow=0.01,slow_ms=2000\n"
    "                          keys: 429 502 503 504 504after drop slow malformed\n"
    "                          (probabilities; 504after: handled, then answered 504),\n"
    "                          slow_ms=N, retry_after=S (of 429 and 503, default 1; none: 503s without it),\n"
    "                          on=api|launch|poll|lookup|action|token[+...], token=1, skip=N,\n"
    "                          max=N, client=ID (only that OAuth client's requests)\n"
    "  --seed N                seed for contacts, faults and run times (default 1)\n"
    "  --threads N             server worker threads (default 64)\n"
    "  --tls-cert FILE         serve HTTPS with this PEM certificate (chain); needs --tls-key\n"
    "  --tls-key FILE          the PEM private key of --tls-cert\n"
    "  --help                  show this text\n"
    "Prints 'gcx-sim listening on URL', then the demo credentials, flow and action ids, one per\n"
    "line.\n";

bool parse_double(const std::string& text, double min, double max, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return errno == 0 && *end == '\0' && out >= min && out <= max;
}

bool parse_integer(const std::string& text, long long min, long long max, long long& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(text.c_str(), &end, 10);
  return errno == 0 && *end == '\0' && out >= min && out <= max;
}

/// The options member a flag whose value is kept as written sets, or nullptr.
std::string gcx_sim::options::*text_option(const std::string& flag) {
  static const std::pair<const char*, std::string gcx_sim::options::*> text_flags[] = {
      {"--host", &gcx_sim::options::host},
      {"--tls-cert", &gcx_sim::options::tls_cert_file},
      {"--tls-key", &gcx_sim::options::tls_key_file},
      {"--contacts", &gcx_sim::options::contacts_file},
      {"--action-id", &gcx_sim::options::lookup_action_id},
  };
  for (const auto& [name, member] : text_flags) {
    if (flag == name) return member;
  }
  return nullptr;
}

int bad_usage(const std::string& message) {
  std::cerr << "gcx-sim: " << message << "\n" << usage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  gcx_sim::options opts;
  std::string run_mode;  // "", "field" or "fixed"
  bool run_ms_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool has_value = false;
    if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);  // --flag=value
      flag.resize(eq);
      has_value = true;
    }
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      return 0;
    }
    if (!has_value) {
      if (i + 1 >= argc) return bad_usage("missing value for " + flag);
      value = argv[++i];
    }
    long long n = 0;
    double x = 0;
    constexpr long long int_max = std::numeric_limits<int>::max();
    if (std::string gcx_sim::options::*text = text_option(flag)) {
      opts.*text = value;
    } else if (flag == "--faults") {
      gcx_sim::fault_spec spec;
      std::string error;
      if (!gcx_sim::parse_faults(value, spec, error)) return bad_usage(error);
      opts.faults = value;
    } else if (flag == "--port" && parse_integer(value, 0, 65535, n)) {
      opts.port = static_cast<int>(n);
    } else if (flag == "--contact-count" && parse_integer(value, 0, 10000, n)) {
      opts.contact_count = static_cast<int>(n);
    } else if (flag == "--token-ttl" && parse_integer(value, 1, int_max, n)) {
      opts.token_ttl_seconds = static_cast<int>(n);
    } else if (flag == "--run-time" && (value == "field" || value == "fixed")) {
      run_mode = value;
    } else if (flag == "--run-ms" && parse_integer(value, 0, 3600000, n)) {
      opts.run_time = std::chrono::milliseconds(n);
      run_ms_given = true;
    } else if (flag == "--run-median-ms" && parse_integer(value, 0, 3600000, n)) {
      opts.run_time_field.median = std::chrono::milliseconds(n);
    } else if (flag == "--run-sigma" && parse_double(value, 0, 5, x)) {
      opts.run_time_field.sigma = x;
    } else if (flag == "--rate-limit" && parse_integer(value, 0, int_max, n)) {
      opts.rate_limit_per_minute = static_cast<int>(n);
    } else if (flag == "--org-rate-limit" && parse_integer(value, 0, int_max, n)) {
      opts.org_rate_limit_per_minute = static_cast<int>(n);
    } else if (flag == "--daily-limit" &&
               parse_integer(value, 0, std::numeric_limits<long long>::max(), n)) {
      opts.daily_limit = static_cast<std::uint64_t>(n);
    } else if (flag == "--daily-period" && parse_integer(value, 1, 400LL * 86400, n)) {
      opts.daily_period = std::chrono::seconds(n);
    } else if (flag == "--action-ms" && parse_integer(value, 0, int_max, n)) {
      opts.action_time = std::chrono::milliseconds(n);
    } else if (flag == "--latency-ms" && parse_integer(value, 0, 600000, n)) {
      opts.latency = std::chrono::milliseconds(n);
    } else if (flag == "--visibility-lag-ms" && parse_integer(value, 0, 600000, n)) {
      opts.visibility_lag = std::chrono::milliseconds(n);
    } else if (flag == "--token-rate-limit" && parse_integer(value, 0, int_max, n)) {
      opts.token_rate_limit_per_minute = static_cast<int>(n);
    } else if (flag == "--seed" &&
               parse_integer(value, 0, std::numeric_limits<long long>::max(), n)) {
      opts.seed = static_cast<std::uint64_t>(n);
    } else if (flag == "--threads" && parse_integer(value, 1, 4096, n)) {
      opts.threads = static_cast<std::size_t>(n);
    } else {
      return bad_usage("bad option or value: " + flag + " " + value);
    }
  }

  if (run_mode == "field" && run_ms_given) {
    return bad_usage("--run-ms fixes the run time: it cannot go with --run-time field");
  }
  if (run_mode == "field") opts.run_time.reset();
  if (run_mode == "fixed" && !run_ms_given) opts.run_time = std::chrono::milliseconds(300);

  // Block the stop signals before the server starts its threads (they inherit the mask), so
  // sigwait below is the only place they are delivered.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  gcx_sim::simulator sim(opts);
  if (!sim.start()) {
    std::cerr << "gcx-sim: " << sim.last_error() << "\n";
    return 1;
  }
  const gcx_sim::demo_config& demo = sim.demo();
  std::cout << "gcx-sim listening on " << sim.base_url() << std::endl;
  std::cout << "client_id=" << demo.client_id << "\n"
            << "client_secret=" << demo.client_secret << "\n"
            << "no_launch_client_id=" << demo.no_launch_client_id << "\n"
            << "no_launch_client_secret=" << demo.no_launch_client_secret << "\n"
            << "lookup_flow_id=" << demo.lookup_flow_id << "\n"
            << "failing_flow_id=" << demo.failing_flow_id << "\n"
            << "unpublished_flow_id=" << demo.unpublished_flow_id << "\n"
            << "inboundcall_flow_id=" << demo.inboundcall_flow_id << "\n"
            << "second_client_id=" << demo.second_client_id << "\n"
            << "second_client_secret=" << demo.second_client_secret << "\n"
            << "lookup_action_id=" << demo.lookup_action_id << "\n"
            << "failing_action_id=" << demo.failing_action_id << "\n"
            << "timeout_action_id=" << demo.timeout_action_id << "\n"
            << "secure_action_id=" << demo.secure_action_id << "\n"
            << "renamed_flow_id=" << demo.renamed_flow_id << "\n"
            << "no_outputs_flow_id=" << demo.no_outputs_flow_id << "\n"
            << "no_flow_view_client_id=" << demo.no_flow_view_client_id << "\n"
            << "no_flow_view_client_secret=" << demo.no_flow_view_client_secret << "\n"
            << "launch_only_client_id=" << demo.launch_only_client_id << "\n"
            << "launch_only_client_secret=" << demo.launch_only_client_secret << "\n"
            << "found_number=" << sim.known_number() << "\n"
            << "unknown_number=" << gcx_sim::simulator::unknown_number(0) << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  sim.stop();
  return 0;
}
