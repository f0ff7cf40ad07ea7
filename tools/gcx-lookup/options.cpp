// gcx-lookup: command-line parsing.
#include "options.hpp"

#include <cstdlib>
#include <string_view>

namespace gcx_lookup {

const char* usage() {
    return R"(usage: gcx-lookup [options] PHONE...
       gcx-lookup [options] < numbers.txt      (batch: one number per line)

Looks up the customer behind each phone number (E.164, e.g. +13175550123) in Genesys Cloud:
gets an OAuth token, launches the lookup workflow, waits for it, prints its outputs.
With no credentials in the environment and no --api-url it runs against a built-in simulator.

Configuration (environment, or the flag beside it):
  GENESYS_REGION         --region R          region name or domain (default mypurecloud.com)
  GENESYS_CLIENT_ID      --client-id ID      OAuth client (Client Credentials grant)
  GENESYS_CLIENT_SECRET  --client-secret-file F   the secret: environment or file only
  TARGET_FLOW_ID         --flow-id ID        the lookup workflow's id
  GCX_API_URL            --api-url URL       API base URL override (gateway, simulator)
  GCX_LOGIN_URL          --login-url URL     login base URL override (default: the API URL)
  GCX_CA_FILE            --ca-file F         PEM file of CA certificates to trust for HTTPS
                                             instead of the system store (a TLS-inspecting
                                             proxy's CA, a private gateway)

Options:
  --input-var NAME       the flow's input variable (default Flow.PhoneNumber)
  --timeout SECONDS      deadline per lookup (default 30)
  --concurrency N        lookups in flight at once in batch mode (default 1)
  --poll-ms MS           wait before the first poll (default 200; it grows from there)
  --strategy S           flow | direct | flow-then-direct (default flow)
  --direct               same as --strategy direct (External Contacts, no flow)
  --json                 one JSON object per number on stdout
  --line-buffered        write each result as soon as it is known even when stdout is not a
                         terminal (a pipe or a file gets whole blocks otherwise, as with grep)
  --transport T          curl | curl-threads | httplib (default curl). curl runs every lookup
                         on one thread through one libcurl multi handle; curl-threads and
                         httplib run one blocking thread per lookup in flight
  --simulator            use the built-in simulator even if credentials are set
  --quiet                no progress bar and no notices on stderr
  --help, --version

Exit status: 0 every number found; 1 at least one not found and no errors;
2 usage or configuration error (or an invalid number); 3 authentication or permission
error; 4 any other failure. With several numbers, the most severe outcome wins
(2 before 3 before 4 before 1).
)";
}

std::optional<options> parse(int argc, char** argv, std::string& error) {
    options o;
    auto need = [&](int& i, std::string_view flag) -> const char* {
        if (i + 1 >= argc) {
            error = std::string(flag) + " needs a value";
            return nullptr;
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        std::string value_holder;
        // --flag=value form
        if (a.size() > 2 && a.substr(0, 2) == "--") {
            auto eq = a.find('=');
            if (eq != std::string_view::npos) {
                value_holder = std::string(a.substr(eq + 1));
                a = a.substr(0, eq);
            }
        }
        auto value = [&](std::string_view flag) -> const char* {
            if (!value_holder.empty()) return value_holder.c_str();
            return need(i, flag);
        };
#define GCX_VALUE(flag, target)                 \
    if (a == flag) {                            \
        const char* v = value(flag);            \
        if (!v) return std::nullopt;            \
        target = v;                             \
        continue;                               \
    }
        GCX_VALUE("--region", o.region)
        GCX_VALUE("--flow-id", o.flow_id)
        GCX_VALUE("--api-url", o.api_url)
        GCX_VALUE("--login-url", o.login_url)
        GCX_VALUE("--client-id", o.client_id)
        GCX_VALUE("--client-secret-file", o.client_secret_file)
        GCX_VALUE("--input-var", o.input_var)
        GCX_VALUE("--transport", o.transport)
        GCX_VALUE("--ca-file", o.ca_file)
#undef GCX_VALUE
        if (a == "--timeout") {
            const char* v = value(a);
            if (!v) return std::nullopt;
            char* end = nullptr;
            o.timeout_seconds = std::strtod(v, &end);
            if (end == v || *end != '\0' || !(o.timeout_seconds > 0) || o.timeout_seconds > 86400) {
                error = "--timeout wants a number of seconds between 0 and 86400";
                return std::nullopt;
            }
        } else if (a == "--concurrency") {
            const char* v = value(a);
            if (!v) return std::nullopt;
            char* end = nullptr;
            long n = std::strtol(v, &end, 10);
            if (end == v || *end != '\0' || n < 1 || n > 256) {
                error = "--concurrency wants a whole number from 1 to 256";
                return std::nullopt;
            }
            o.concurrency = static_cast<int>(n);
        } else if (a == "--poll-ms") {
            const char* v = value(a);
            if (!v) return std::nullopt;
            char* end = nullptr;
            long n = std::strtol(v, &end, 10);
            if (end == v || *end != '\0' || n < 1 || n > 60000) {
                error = "--poll-ms wants a whole number of milliseconds from 1 to 60000";
                return std::nullopt;
            }
            o.poll_ms = static_cast<int>(n);
        } else if (a == "--strategy") {
            const char* v = value(a);
            if (!v) return std::nullopt;
            std::string_view s = v;
            if (s == "flow") o.strategy = gcx::lookup_strategy::flow;
            else if (s == "direct") o.strategy = gcx::lookup_strategy::direct;
            else if (s == "flow-then-direct") o.strategy = gcx::lookup_strategy::flow_then_direct;
            else {
                error = "--strategy is one of flow, direct, flow-then-direct";
                return std::nullopt;
            }
        } else if (a == "--direct") {
            o.strategy = gcx::lookup_strategy::direct;
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--line-buffered") {
            o.line_buffered = true;
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (a == "--simulator") {
            o.force_simulator = true;
        } else if (a == "--help" || a == "-h") {
            o.help = true;
        } else if (a == "--version") {
            o.version = true;
        } else if (a == "--client-secret" ) {
            error = "the client secret is read only from GENESYS_CLIENT_SECRET or --client-secret-file (command lines are visible to other users)";
            return std::nullopt;
        } else if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && a[1] == '+')) {
            error = "unknown option " + std::string(a);
            return std::nullopt;
        } else {
            o.phones.emplace_back(a);
        }
    }
    if (o.transport != "curl" && o.transport != "curl-threads" && o.transport != "httplib") {
        error = "--transport is curl, curl-threads or httplib";
        return std::nullopt;
    }
    return o;
}

} // namespace gcx_lookup
