// gcx-lookup: command-line parsing.
#include "options.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string_view>
#include <sys/stat.h>

namespace gcx_lookup {

const char* usage() {
    return R"(usage: gcx-lookup [options] PHONE...
       gcx-lookup [options] < numbers.txt      (batch: one number per line)
       gcx-lookup --csv [--column NAME] [--fields PATHS] < in.csv > out.csv
       gcx-lookup --check [--json]              (why doesn't my lookup work? before the first)

Looks up the customer behind each phone number (E.164, e.g. +13175550123) in Genesys Cloud:
gets an OAuth token, launches the lookup workflow, waits for it, prints its outputs.
With no credentials in the environment and no --api-url it runs against a built-in simulator.

Configuration (environment, or the flag beside it):
  GENESYS_REGION         --region R          region name or domain (default mypurecloud.com)
  GENESYS_CLIENT_ID      --client-id ID      OAuth client (Client Credentials grant)
  GENESYS_CLIENT_SECRET  --client-secret-file F   the secret: environment or file only (chmod 600)
  TARGET_FLOW_ID         --flow-id ID        the lookup workflow's id
  GCX_API_URL            --api-url URL       API base URL override (gateway, simulator)
  GCX_LOGIN_URL          --login-url URL     login base URL override (default: the API URL)
  GCX_CA_FILE            --ca-file F         PEM file of CA certificates to trust for HTTPS
                                             instead of the system store (a TLS-inspecting
                                             proxy's CA, a private gateway)
  https_proxy            --proxy URL         HTTP proxy, http://host:port or
  (or HTTPS_PROXY),                          http://user:password@host:port (HTTPS goes
  http_proxy                                 through it with CONNECT). --proxy is used for
                                             every URL, loopback too (a token over plain http
                                             only via a proxy on this machine); --proxy '' turns
                                             proxies off. Without it, as curl: https_proxy or
                                             HTTPS_PROXY for https URLs, http_proxy (lower case
                                             only) for http URLs; and loopback hosts (the
                                             built-in simulator) always go direct
  no_proxy (or NO_PROXY)                     hosts that go direct even with a proxy (also with
                                             --proxy): names (matching their subdomains), IP
                                             addresses or ranges (10.0.0.0/8), or * for all
  --credentials-file F   more OAuth clients of the same org, one "client_id secret" per line
                         (the file must not be readable by others; a line with
                         GENESYS_CLIENT_ID's client counts once); each has its own token
                         and request budget, and lookups are spread over all of them

Options:
  --input-var NAME       the flow's input variable (default Flow.PhoneNumber)
  --timeout SECONDS      deadline per lookup from its first request (default 30); waiting
                         for the request budget before that is not counted
  --request-timeout S    the longest wait for one request's answer (default 16; a data
                         action whose remote may take longer needs more)
  --concurrency N        lookups in flight at once in batch mode (default 1)
  --rate N               requests per minute per OAuth client (default 300, Genesys Cloud's
                         per-token limit; gcx paces at 95% of it); 0: no pacing; else >= 1
  --wait-rate-limit      wait out a 429 however long its Retry-After (a daily limit: hours);
                         by default one over 180 s stops the batch and reports the numbers
                         not looked up as rate_limited. A 429's wait is never charged to
                         --timeout: a lookup whose flow already runs waits it out too
  --max-retry-after S    the longest Retry-After waited for (default 180, as the Java and
                         .NET SDKs); --wait-rate-limit lifts it
  --poll-ms MS           poll on a fixed schedule from MS (growing by 1.5x) instead of the
                         learned one; never below 100 ms
  --strategy S           flow | direct | flow-then-direct | data-action |
                         data-action-then-flow | data-action-then-direct (default flow).
                         data-action: one request per number, POST
                         /api/v2/integrations/actions/{id}/execute (the action's own answer,
                         found by its "found" output, else any output with a value); the chains
                         take their second path when the action cannot run (403, 404)
  --direct               same as --strategy direct (External Contacts, no flow)
  --action-id ID         the data action (GCX_ACTION_ID); the built-in simulator has one
  --action-input-key K   the action input that receives the number (default phoneNumber)
  --action-found-key K   the action output that says found (default found; "" = any
                         output with a value)
  --action-secure        the action is secure (its inputs and outputs may hold personal
                         data): no server message about it reaches an error or a line
  --action-read-only     the action only reads: an execution that may have run is sent
                         again after a 502, 503, 504, a remote failure or a lost answer
  --json                 one JSON object per number on stdout
  --check                look nothing up: check the configuration against the org first
                         (credentials, OAuth client and org, the flow: exists, a workflow,
                         published, its input variable and the outputs gcx-lookup reads;
                         the permissions that can be probed without side effects, the
                         limits, the network). Never launches a flow. With --json one object
                         {"checks":[{"name","status","message","hint"}]}. Exit status 0
                         when nothing fails, 3 when the credentials or a permission the
                         lookups need fail, 2 when the configuration names a flow that
                         cannot be launched (none, deleted, not a workflow, never
                         published) or an input it lacks, 4 for any other failure
  --resume FILE          skip the lines whose result stands in FILE, an earlier run's --json
                         (or, with --csv, --csv) output: found or not found; an error does not
                         stand, and each result answers one line (a number given twice and
                         answered once is looked up again). Append this run's results to the same file to carry an
                         interrupted batch on (a CSV appended to its own resume file gets no
                         second header). A missing FILE is empty. On SIGINT or SIGTERM no new lookup starts,
                         those in flight get 5 s to finish, every known result is written,
                         and the exit status is 130 (SIGINT) or 143 (SIGTERM); a second
                         Ctrl-C quits at once
  --csv                  stdin is a CSV (RFC 4180) with a header row; stdout gets the same
                         rows, every original field byte for byte, with result columns
                         appended: gcx_status (found, not_found, error), gcx_error_kind,
                         gcx_error_code, then one per --fields path. Quoted fields, embedded
                         newlines, CRLF and a UTF-8 BOM are read; a malformed row (or one with
                         another field count than the header) keeps its text in its first
                         column, gets status error and code csv_malformed, is reported on
                         stderr with its line number, and the batch goes on. Blank lines and
                         empty rows (",,,") are skipped; a record over 64 KiB is malformed.
                         Result values starting with = @ + - TAB or CR (but not a number such
                         as +13175550123) get a leading ' against spreadsheet formulas
  --column NAME          the CSV's phone column, by its header (ASCII case and surrounding
                         spaces ignored; an exact match wins). Default: the first header with
                         phone, mobile, msisdn, e164 or telefon in it, or the word tel or cell
  --fields PATHS         with --csv: comma-separated dotted paths into the outputs, one
                         column each, e.g. Found,ContactId,externalContact.firstName (Flow.
                         optional; arrays by index); a missing path or null is an empty cell,
                         an object or array compact JSON
  --trace                every request, answer, retry, token, budget wait and finished lookup
                         on stderr, one line each with the seconds since the start (no
                         progress bar then); never a secret, a token or a phone number
  --trace-json           the same as JSON lines: {"t":0.412,"event":"request_answered",...}
  --line-buffered        write each result as soon as it is known even when stdout is not a
                         terminal (a pipe or a file gets whole blocks otherwise, as with grep)
  --unordered            write each result as soon as its lookup ends instead of in input
                         order (a slow number then holds back no line after it); with --json
                         each line carries "index", the number's place in the input from 0
                         (blank and # lines not counted)
  --transport T          curl | curl-threads | httplib (default curl). curl runs every lookup
                         on one thread through one libcurl multi handle; curl-threads and
                         httplib run one blocking thread per lookup in flight
  --simulator            use the built-in simulator even if credentials are set
  --quiet                no progress bar, notices or summary on stderr
  --help, --version

Exit status: 0 every number found; 1 at least one not found and no errors;
2 usage or configuration error (or an invalid number, or a malformed CSV row, or a flow or
data action id that names nothing in the org: a launch answered 404 or 400, an action 404);
3 authentication or permission error; 4 any other failure. With several numbers, the most
severe outcome wins (2 before 3 before 4 before 1).
)";
}

namespace {

bool to_number(const char* v, double lo, double hi, double& out) {
    char* end = nullptr;
    out = std::strtod(v, &end);
    return end != v && *end == '\0' && out >= lo && out <= hi;
}

/// One option that takes a value: how to store it, or the message when it is wrong.
struct valued {
    std::string_view flag;
    std::function<bool(options&, const char*)> set;
    const char* wrong;
};

const std::vector<valued>& valued_options() {
    auto str = [](std::optional<std::string> options::*m) {
        return [m](options& o, const char* v) { return (o.*m = v, true); };
    };
    auto whole = [](int options::*m, double lo, double hi) {
        return [m, lo, hi](options& o, const char* v) {
            double d = 0;
            if (!to_number(v, lo, hi, d) || d != static_cast<double>(static_cast<int>(d))) return false;
            o.*m = static_cast<int>(d);
            return true;
        };
    };
    static const std::vector<valued> table = {
        {"--region", str(&options::region), nullptr},
        {"--flow-id", str(&options::flow_id), nullptr},
        {"--api-url", str(&options::api_url), nullptr},
        {"--login-url", str(&options::login_url), nullptr},
        {"--client-id", str(&options::client_id), nullptr},
        {"--client-secret-file", str(&options::client_secret_file), nullptr},
        {"--credentials-file", str(&options::credentials_file), nullptr},
        {"--ca-file", str(&options::ca_file), nullptr},
        {"--proxy", str(&options::proxy), nullptr},
        {"--resume", str(&options::resume), nullptr},
        {"--column", str(&options::column), nullptr},
        {"--fields",
         [](options& o, const char* v) {
             o.fields.clear();
             std::string_view rest = v;
             for (;;) {
                 const auto comma = rest.find(',');
                 auto path = rest.substr(0, comma);
                 while (!path.empty() && (path.front() == ' ' || path.front() == '\t')) path.remove_prefix(1);
                 while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.remove_suffix(1);
                 if (path.empty() || path.front() == '.' || path.back() == '.' ||
                     path.find("..") != std::string_view::npos)
                     return false;
                 o.fields.emplace_back(path);
                 if (comma == std::string_view::npos) return true;
                 rest = rest.substr(comma + 1);
             }
         },
         "--fields wants comma-separated dotted paths into the outputs, e.g. Found,ContactId,externalContact.firstName"},
        {"--input-var", [](options& o, const char* v) { return (o.input_var = v, true); }, nullptr},
        {"--transport",
         [](options& o, const char* v) {
             o.transport = v;
             return o.transport == "curl" || o.transport == "curl-threads" || o.transport == "httplib";
         },
         "--transport is curl, curl-threads or httplib"},
        {"--timeout", [](options& o, const char* v) { return to_number(v, 0.001, 86400, o.timeout_seconds); },
         "--timeout wants a number of seconds between 0 and 86400"},
        {"--request-timeout", [](options& o, const char* v) { return to_number(v, 1, 600, o.request_timeout_seconds); },
         "--request-timeout wants a number of seconds from 1 to 600"},
        {"--rate",
         [](options& o, const char* v) {  // below 1 a minute is no pace anyone means: refused, not rounded to 0
             return to_number(v, 0, 1e6, o.rate) && (o.rate == 0 || o.rate >= 1);
         },
         "--rate wants requests per minute: 0 (no pacing), or from 1 to 1000000"},
        {"--max-retry-after", whole(&options::max_retry_after, 0, 86400),
         "--max-retry-after wants a whole number of seconds from 0 to 86400"},
        {"--concurrency", whole(&options::concurrency, 1, 256), "--concurrency wants a whole number from 1 to 256"},
        {"--poll-ms", whole(&options::poll_ms, 1, 60000),
         "--poll-ms wants a whole number of milliseconds from 1 to 60000"},
        {"--strategy",
         [](options& o, const char* v) {
             const auto s = gcx::parse_lookup_strategy(v);
             if (s) o.strategy = *s;
             return s.has_value();
         },
         "--strategy is one of flow, direct, flow-then-direct, data-action, data-action-then-flow, "
         "data-action-then-direct"},
        {"--action-id", str(&options::action_id), nullptr},
        {"--action-input-key", str(&options::action_input_key), nullptr},
        {"--action-found-key", str(&options::action_found_key), nullptr},
    };
    return table;
}

/// Flags without a value.
bool set_flag(options& o, std::string_view a) {
    if (a == "--direct") o.strategy = gcx::lookup_strategy::direct;
    else if (a == "--json") o.json = true;
    else if (a == "--check") o.check = true;
    else if (a == "--csv") o.csv = true;
    else if (a == "--line-buffered") o.line_buffered = true;
    else if (a == "--unordered") o.unordered = true;
    else if (a == "--quiet" || a == "-q") o.quiet = true;
    else if (a == "--trace") o.trace = trace_format::text;
    else if (a == "--trace-json") o.trace = trace_format::json;
    else if (a == "--simulator") o.force_simulator = true;
    else if (a == "--wait-rate-limit") o.wait_rate_limit = true;
    else if (a == "--action-secure") o.action_secure = true;
    else if (a == "--action-read-only") o.action_read_only = true;
    else if (a == "--help" || a == "-h") o.help = true;
    else if (a == "--version") o.version = true;
    else return false;
    return true;
}

}  // namespace

std::optional<options> parse(int argc, char** argv, std::string& error) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") {  // the end of the options: the rest are numbers, whatever they look like
            for (++i; i < argc; ++i) o.phones.emplace_back(argv[i]);
            break;
        }
        std::string inline_value;  // the --flag=value form
        bool has_inline = false;
        if (a.size() > 2 && a.substr(0, 2) == "--" && a.find('=') != std::string_view::npos) {
            inline_value = std::string(a.substr(a.find('=') + 1));
            a = a.substr(0, a.find('='));
            has_inline = true;
        }
        if (a == "--client-secret") {
            error =
                "the client secret is read only from GENESYS_CLIENT_SECRET or --client-secret-file (command lines are visible to other users)";
            return std::nullopt;
        }
        if (set_flag(o, a)) {
            if (has_inline) {  // "--json=no" would turn it on
                error = std::string(a) + " takes no value";
                return std::nullopt;
            }
            continue;
        }
        const auto& table = valued_options();
        auto it = std::find_if(table.begin(), table.end(), [a](const valued& v) { return v.flag == a; });
        if (it != table.end()) {
            if (!has_inline && i + 1 >= argc) {
                error = std::string(a) + " needs a value";
                return std::nullopt;
            }
            const char* v = has_inline ? inline_value.c_str() : argv[++i];
            if (!it->set(o, v)) {
                error = it->wrong ? it->wrong : std::string(a) + " has a bad value";
                return std::nullopt;
            }
            continue;
        }
        if (a.size() > 1 && a[0] == '-' && a[1] != '+') {
            error = "unknown option " + std::string(a);
            return std::nullopt;
        }
        o.phones.emplace_back(a);
    }
    if (o.help || o.version) return o;
    std::string wrong;
    if (o.csv && o.json) wrong = "--csv and --json: choose one output format";
    else if (o.csv && !o.phones.empty()) wrong = "--csv reads the CSV on stdin: no phone number as an argument";
    else if (!o.csv && o.column) wrong = "--column goes with --csv";
    else if (!o.csv && !o.fields.empty()) wrong = "--fields goes with --csv";
    else if (o.check && (o.csv || o.resume || !o.phones.empty()))
        wrong = "--check looks nothing up: no phone number, --csv or --resume with it";
    if (!wrong.empty()) {
        error = std::move(wrong);
        return std::nullopt;
    }
    return o;
}

namespace {
/// Whether `path` (given as `flag`) may hold a secret: it exists, and is not a regular file that
/// others may read (with `regular_only`, it must be a regular file). Sets `error` when not.
bool private_file(const std::string& path, const char* flag, bool regular_only, std::string& error) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || (regular_only && !S_ISREG(st.st_mode)) || S_ISDIR(st.st_mode)) {
        error = std::string("cannot read ") + flag + " " + path;
        return false;
    }
    if (S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
        error = std::string(flag) + " " + path + " may be read by others: chmod 600 it";
        return false;
    }
    return true;
}
}  // namespace

std::optional<std::string> read_secret_file(const std::string& path, std::string& error) {
    if (!private_file(path, "--client-secret-file", false, error)) return std::nullopt;
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    if (!f) {
        error = "cannot read --client-secret-file " + path;
        return std::nullopt;
    }
    std::string text = ss.str();
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // an editor's byte-order mark
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        error = "--client-secret-file " + path + " is empty: it should hold the OAuth client's secret";
        return std::nullopt;
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::vector<gcx::credential>> read_credentials_file(const std::string& path, const gcx::credential& main,
                                                                  std::string& error) {
    if (!private_file(path, "--credentials-file", true, error)) return std::nullopt;
    std::ifstream f(path);
    std::vector<gcx::credential> out;
    std::vector<int> lines;  // the line of each credential in out
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
        if (n == 0 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // an editor's byte-order mark
        ++n;
        std::istringstream words(line);
        std::string id, secret, extra;
        if (!(words >> id) || id[0] == '#') continue;
        if (!(words >> secret) || (words >> extra)) {
            error = "--credentials-file line " + std::to_string(n) + ": want \"client_id secret\"";
            return std::nullopt;
        }
        const std::string at = "--credentials-file line " + std::to_string(n);
        if (id == main.client_id) {  // the main client listed too (GENESYS_CLIENT_ID): counted once
            if (gcx::secret(secret) == main.client_secret) continue;
            error = at + ": GENESYS_CLIENT_ID's client id with another secret";
            return std::nullopt;
        }
        for (std::size_t k = 0; k < out.size(); ++k)
            if (out[k].client_id == id) {
                error = at + " repeats the client id of line " + std::to_string(lines[k]) +
                        ": each credential must be an OAuth client of its own";
                return std::nullopt;
            }
        out.push_back({id, gcx::secret(secret)});
        lines.push_back(n);
    }
    if (!f.eof()) {
        error = "cannot read --credentials-file " + path;
        return std::nullopt;
    }
    if (out.empty()) {
        error = "--credentials-file " + path + " holds no credential besides GENESYS_CLIENT_ID's";
        return std::nullopt;
    }
    return out;
}

}  // namespace gcx_lookup
