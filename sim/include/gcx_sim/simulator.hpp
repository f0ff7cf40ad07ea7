// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
//
// gcx-sim: a local stand-in for the parts of the Genesys Cloud Platform API that gcx uses, served
// over real HTTP (or HTTPS, given a certificate) on loopback with the real request and response shapes
// (see docs/genesys-api.md sections 1, 2, 4, 5 and 9). One port serves login and API paths:
//
//   POST /oauth/token                          client credentials -> bearer token
//   POST /api/v2/flows/executions              launch a flow       (architect:flow:launch)
//   GET  /api/v2/flows/executions/{id}         poll an execution   (architect:flowExecution:view)
//   GET  /api/v2/externalcontacts/reversewhitepageslookup    (externalContacts:contact:view)
//   POST /api/v2/externalcontacts/identifierlookup/contacts  (externalContacts:contact:view)
//   GET  /api/v2/organizations/limits/namespaces[/{namespace}] the limits (any live token)
//   GET  /api/v2/tokens/me                     the token's org and client (any live token)
//   GET  /api/v2/flows/{id}[/versions/{version}]   flow, version + schemas (architect:flow:view)
//   POST /api/v2/integrations/actions/{id}/execute  run a data action, synchronously
//                             (integrations:action:execute or bridge:actions:execute)
//   GET  /api/v2/integrations/actions/{id}     the Action, its contract [and config]
//                             (integrations:action:view or bridge:actions:view)
//   GET  /sim/stats, POST /sim/reset           the simulator's counters (never faulted or counted)
//   GET  /sim/executions                       every execution kept: [{id, name, dateLaunched,
//                                              dateCompleted, polls, pollsAtMs,
//                                              dateFirstSeenDone}]
//                                              (dateCompleted = dateLaunched + run time, also while
//                                              RUNNING; dateFirstSeenDone: the first poll answered
//                                              done, or null; never faulted or counted)
//
// The organisation is fixed (see demo()): five OAuth clients (two with all permissions), six
// flows, four data actions and a deterministic contact set (found_number / unknown_number).
// Executions stay RUNNING for their run time (options::run_time
// when set, else a draw from options::run_time_field) and then COMPLETE (lookup flow) or FAIL
// (failing flow). Data actions answer in one request: the lookup action (and its secure twin)
// after its action time (options::action_time, else a draw from options::action_time_field) with
// the contact found by its phoneNumber input; the failing action after its action time with 502
// (its remote failed); the timeout action after its timeoutSeconds (1) with 504. sim/README.md
// lists what is invented.
//
// Duplicate launches. stats::duplicate_launches counts executions created from a launch body that
// had already created an execution (bodies are compared as canonical JSON). A client that gives
// every lookup a unique "name" therefore sees duplicate_launches == 0 unless it re-sent a launch
// whose first copy did start a flow (for example after a `drop`, `slow` or `malformed` fault,
// which are applied after the execution was created). Re-sending after a 429/502/503/504 fault or
// a 401 is not a duplicate: those are answered before the flow is started.
//
// Fault specification (options::faults), comma-separated key=value, whitespace ignored:
//   429=P 502=P 503=P 504=P  answer with that status before the request is handled
//                            (429 and 503 carry "Retry-After: S", retry_after below)
//   504after=P               handle the request, then answer 504 request.timeout in its place
//                            (unless the handler refused it: its 4xx stands)
//                            (a gateway that gave up waiting: a launch did start its execution)
//   drop=P                   handle the request, then close the connection, no response byte sent
//   slow=P                   handle the request, then wait slow_ms before answering
//   malformed=P              handle the request, then answer 200 with a truncated JSON body
//   slow_ms=N                delay for `slow` in milliseconds (default 3000)
//   retry_after=S            Retry-After of the 429 and 503 faults in seconds (default 1); "none":
//                            the 503s without one (as a gateway's; the 429s keep 1 s)
//   on=SCOPE[+SCOPE...]      which requests may be faulted: api (launches, polls, lookups and
//                            action executions, the default), launch, poll, lookup, action,
//                            token; the other routes (limits, tokens/me, flows, GET action)
//                            are never faulted
//   token=1                  also fault POST /oauth/token (same as adding +token to on=)
//   skip=N                   never fault the first N eligible requests (default 0)
//   max=N                    inject at most N faults in total (default 0 = unlimited)
// P is a probability in [0,1]; the P's must add up to at most 1. Each eligible request, in arrival
// order, takes one draw from a PRNG seeded with options::seed, so the same seed and the same
// request order give the same faults. reset_stats() (POST /sim/reset) re-seeds the PRNG and
// re-arms skip/max. Examples: "503=0.05,drop=0.02,slow=0.01,slow_ms=2000", "drop=1,on=launch,max=1".
#ifndef GCX_SIM_SIMULATOR_HPP
#define GCX_SIM_SIMULATOR_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

namespace gcx_sim {

// How long executions run, as in the field: lognormal, ln(run time) ~ N(ln median, sigma^2).
// Workflows that call one external system were measured completing in 0.57, 0.71, 1.07, 1.27 and
// 1.36 s (a lognormal fit to those five alone: median 0.94 s, sigma 0.38). The defaults, median
// 800 ms and sigma 0.35, put 87% of runs between 0.5 and 1.5 s, 9% below 0.5 s, 4% above 1.5 s
// and about 1 in 800 above 2.3 s.
struct run_time_distribution {
  std::chrono::milliseconds median{800};
  double sigma = 0.35;  // 0 = always the median
};

// The run times the simulator gives its executions when options::run_time is empty: the n-th
// launch since start() or reset_stats() gets the n-th value of run_time_sampler(dist, seed). The
// same seed gives the same sequence on every platform (mt19937_64 and our own normal transform).
class run_time_sampler {
public:
  run_time_sampler(run_time_distribution dist, std::uint64_t seed);
  std::chrono::milliseconds next();
  void reset();  // back to the first value

private:
  run_time_distribution dist_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
};

struct options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = pick a free port
  // How long an execution stays RUNNING after its launch. Set ("fixed", e.g. 250 ms): every
  // execution runs exactly this long. Empty ("field", the default): each execution draws its run
  // time from run_time_field (see run_time_sampler).
  std::optional<std::chrono::milliseconds> run_time;
  run_time_distribution run_time_field;
  int token_ttl_seconds = 86400;  // expires_in of issued tokens (real wall clock)
  // Rate limits on /api/v2 requests (requests refused with 401 or 429 do not count). A 429 carries
  // Retry-After: the seconds to the end of the window that is full (at least 1).
  int rate_limit_per_minute = 300;           // per token, fixed 60 s windows; 0 = unlimited
  int org_rate_limit_per_minute = 0;         // all tokens together, fixed 60 s windows; 0 = off
  std::uint64_t daily_limit = 0;             // all tokens together per UTC day; 0 = off
  std::chrono::seconds daily_period{86400};  // the "day" of daily_limit (shorter for tests)
  int token_rate_limit_per_minute = 0;       // tokens issued per client per minute; 0 = unlimited
  std::string faults;                        // fault specification (see above); empty = none
  std::uint64_t seed = 1;                    // contact generation, fault and run-time PRNGs
  std::string contacts_file;  // JSON array of ExternalContact; replaces generated set
  int contact_count = 3000;   // generated contacts, at most 10000
  std::size_t threads = 64;   // server worker threads; an open keep-alive
                              // connection occupies one for its whole life
  std::string tls_cert_file;  // PEM certificate chain and private key: when both
  std::string tls_key_file;   // are set, serve HTTPS (base_url() is https://)
  // The data actions. lookup_action_id replaces the lookup action's id (empty: the default,
  // demo_config::lookup_action_id); 1-128 characters of A-Z a-z 0-9 . _ - and not another
  // action's id. How long an action's remote takes: action_time when set (fixed), else a draw
  // from action_time_field (the n-th execution since start or reset_stats() gets the n-th value
  // of run_time_sampler(action_time_field, seed ^ 0x616374696f6e)). A remote slower than the
  // action's timeoutSeconds is answered as a timeout (504) after timeoutSeconds.
  std::string lookup_action_id;
  std::optional<std::chrono::milliseconds> action_time;
  run_time_distribution action_time_field{std::chrono::milliseconds{150}, 0.35};
  // The network and the platform's own time, which loopback does not have: each request to
  // /oauth/token and /api/v2 waits half of `latency` before it is handled and the other half
  // before its answer goes (a round trip, as a client in another network sees one; 0: none).
  std::chrono::milliseconds latency{0};
  // How long after its dateCompleted an execution is still answered RUNNING (a platform whose
  // poll answers lag its executions; the field's lag is not known; 0: none).
  std::chrono::milliseconds visibility_lag{0};
};

// Requests of one OAuth client: token requests with its valid Basic credentials, /api/v2 requests
// with a live token issued to it.
struct client_stats {
  std::uint64_t requests = 0;  // all of the below
  std::uint64_t token_requests = 0;
  std::uint64_t launch_requests = 0;
  std::uint64_t polls = 0;
  std::uint64_t direct_lookups = 0;
  std::uint64_t action_requests = 0;
  std::uint64_t other_requests = 0;
  std::uint64_t answered_429 = 0;  // 429 answers (limits and 429 faults)
};

// Counters since start or the last reset_stats(). /sim/* requests are not counted anywhere
// except connections_accepted. The JSON of GET /sim/stats uses exactly these member names;
// `clients` is an object keyed by client id.
// Every counted request is of exactly one kind: requests_total == token_requests +
// launch_requests + polls + direct_lookups + action_requests + other_requests.
struct stats {
  std::uint64_t requests_total = 0;        // HTTP requests received (any path but /sim/*)
  std::uint64_t connections_accepted = 0;  // TCP connections accepted (exact: counted as the
                                           // server hands each accepted socket to a worker)
  std::uint64_t token_requests = 0;        // POST /oauth/token received
  std::uint64_t tokens_issued = 0;         // tokens created
  std::uint64_t token_failures = 0;        // token requests answered with an OAuth error
  std::uint64_t token_rate_limited = 0;    //   ... of which because of token_rate_limit_per_minute
  std::uint64_t launch_requests = 0;       // POST /api/v2/flows/executions received
  std::uint64_t launches = 0;              // executions created
  std::uint64_t duplicate_launches = 0;    // executions created from an already-launched body
  std::uint64_t polls = 0;                 // GET /api/v2/flows/executions/{id} received
  std::uint64_t direct_lookups = 0;        // external-contact lookups received
  std::uint64_t action_requests = 0;       // POST .../integrations/actions/{id}/execute received
  std::uint64_t actions_executed = 0;      // executions that reached the action's remote (answered
                                           // 200, or 502/504 by the remote's failure or timeout)
  std::uint64_t other_requests = 0;        // any other method and path (limits, tokens/me, flows,
                                           // GET action, unknown paths)
  std::uint64_t unauthorized = 0;          // 401 answers on /api/v2
  std::uint64_t forbidden = 0;             // 403 answers
  std::uint64_t rate_limited = 0;          // 429 answers from the per-token rate limit
  std::uint64_t org_rate_limited = 0;      // 429 answers from the org-wide per-minute limit
  std::uint64_t daily_limited = 0;         // 429 answers from the daily limit
  std::uint64_t answered_429 = 0;          // all 429 answers: the three limits and faults_429
  std::uint64_t faults_injected = 0;       // all injected faults, and per kind:
  std::uint64_t faults_429 = 0;
  std::uint64_t faults_502 = 0;
  std::uint64_t faults_503 = 0;
  std::uint64_t faults_504 = 0;  // 504 before the request took effect, and "504after"
  std::uint64_t faults_drop = 0;
  std::uint64_t faults_slow = 0;
  std::uint64_t faults_malformed = 0;
  std::map<std::string, client_stats> clients;  // by client id; clients with no request absent
};

// The fixed organisation every simulator serves.
struct demo_config {
  std::string client_id, client_secret;                      // all permissions
  std::string no_launch_client_id, no_launch_client_secret;  // lacks architect:flow:launch
                                                             // and architect:flow:view
  std::string lookup_flow_id;       // workflow "Customer Lookup": input Flow.PhoneNumber
  std::string failing_flow_id;      // workflow that always ends FAILED
  std::string unpublished_flow_id;  // workflow without a published version: launch -> 400
  std::string inboundcall_flow_id;  // inboundcall flow: not launchable -> 400
  std::string second_client_id, second_client_secret;  // a second client with all permissions
                                                       // (its tokens have their own budget)
  // Data actions (ids of the form Genesys gives custom actions: "custom_-_" + UUID). The
  // no-launch client may view them but not execute them (403).
  std::string lookup_action_id;   // "Lookup Contact By Phone": input phoneNumber (E.164),
                                  // timeoutSeconds 10 (options::lookup_action_id replaces it)
  std::string failing_action_id;  // same contract; its remote fails: 502
  std::string timeout_action_id;  // same contract, timeoutSeconds 1; its remote never answers: 504
  std::string secure_action_id;   // the lookup action with secure: true
  // Workflows whose outputs do not match the Customer Lookup's (for the preflight check).
  std::string renamed_flow_id;     // "Customer Lookup (Renamed Outputs)": Flow.CustomerFound,
                                   // Flow.Matches, Flow.CustomerId, Flow.Contact
  std::string no_outputs_flow_id;  // "Customer Lookup (No Outputs)": declares no outputs
  std::string no_flow_view_client_id, no_flow_view_client_secret;  // every permission but
                                                                   // architect:flow:view
  std::string launch_only_client_id, launch_only_client_secret;    // architect:flow:launch only
};

// Parsed fault specification.
struct fault_spec {
  double p429 = 0, p502 = 0, p503 = 0, p504 = 0;
  double drop = 0, slow = 0, malformed = 0;
  double p504_after = 0;  // "504after": the request takes effect, then its answer is a 504
  int slow_ms = 3000;
  int retry_after = 1;  // Retry-After (seconds) of the 429 and 503 faults; -1: none on the 503s
  bool on_launch = true, on_poll = true, on_lookup = true, on_action = true, on_token = false;
  std::uint64_t skip = 0;
  std::uint64_t max = 0;  // 0 = unlimited
  std::string client;     // only this OAuth client's requests (client=ID); empty: every client's

  bool any() const { return p429 + p502 + p503 + p504 + p504_after + drop + slow + malformed > 0; }
};

// Parses a fault specification; on failure returns false and sets `error`.
bool parse_faults(const std::string& spec, fault_spec& out, std::string& error);

class simulator {
public:
  explicit simulator(options opts = {});
  ~simulator();  // stops the server
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  // Loads the contacts, binds and serves on background threads. Returns once connections are
  // accepted, or false (see last_error()) for a bad option, an unreadable contacts file or a
  // failed bind.
  bool start();
  // Stops serving and joins the threads (idempotent). Interrupts pending `slow` faults.
  void stop();

  int port() const;  // the bound port, 0 before start()
  std::string
  base_url() const;  // "http://127.0.0.1:PORT" (https:// with TLS): login and API share it
  std::string last_error() const;

  stats snapshot() const;
  // Zeroes the counters, forgets launch bodies seen, re-seeds the fault PRNG.
  void reset_stats();

  // The organisation's fixed ids and credentials (lookup_action_id as options::lookup_action_id
  // set it).
  const demo_config& demo() const;

  // E.164 number of generated contact i (0 <= i < 10000): "+1317555" + i as 4 digits. Contact 123
  // is the documented Maria Schmidt (+13175550123). Her workPhone +13175550199 is also contact
  // 199's cellPhone, so found_number(199) matches two contacts (contact 199 first, then 123).
  // Throws std::out_of_range for other i.
  static std::string found_number(int i);
  // A number a contact of this simulator has, after start(): found_number(123) when a contact has
  // it (the generated set of 124 contacts or more), else the smallest e164 of the set ("" when no
  // contact has a phone: an empty --contacts file, --contact-count 0).
  std::string known_number() const;
  // A valid E.164 number no generated contact has: "+1415555" + i as 4 digits (0 <= i < 10000).
  static std::string unknown_number(int i);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace gcx_sim

#endif
