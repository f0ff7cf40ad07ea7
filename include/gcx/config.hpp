// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CONFIG_HPP
#define GCX_CONFIG_HPP

// Where gcx talks to and with which credentials. Regions, endpoint derivation
// (https://api.<domain> and https://login.<domain>), gateway overrides, and from_env().

#include <gcx/clock.hpp>
#include <gcx/events.hpp>
#include <gcx/governor.hpp>
#include <gcx/http.hpp>
#include <gcx/phone.hpp>
#include <gcx/retry.hpp>
#include <gcx/secret.hpp>

#include <array>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

GCX_NAMESPACE_BEGIN

/// A Genesys Cloud region: the SDKs' enum name and its domain.
struct region {
    std::string_view name;    ///< e.g. "us_east_1"
    std::string_view domain;  ///< e.g. "mypurecloud.com"
};

/// Every region the official SDKs know (2026-08). A domain not listed still works through
/// endpoints::from_domain or a base-URL override: the list grows faster than releases.
inline constexpr std::array<region, 18> regions{{
    {"us_east_1", "mypurecloud.com"},
    {"us_east_2", "use2.us-gov-pure.cloud"},
    {"us_west_2", "usw2.pure.cloud"},
    {"ca_central_1", "cac1.pure.cloud"},
    {"sa_east_1", "sae1.pure.cloud"},
    {"mx_central_1", "mxc1.pure.cloud"},
    {"eu_west_1", "mypurecloud.ie"},
    {"eu_west_2", "euw2.pure.cloud"},
    {"eu_central_1", "mypurecloud.de"},
    {"eu_central_2", "euc2.pure.cloud"},
    {"me_central_1", "mec1.pure.cloud"},
    {"ap_south_1", "aps1.pure.cloud"},
    {"ap_northeast_1", "mypurecloud.jp"},
    {"ap_northeast_2", "apne2.pure.cloud"},
    {"ap_northeast_3", "apne3.pure.cloud"},
    {"ap_southeast_1", "apse1.pure.cloud"},
    {"ap_southeast_2", "mypurecloud.com.au"},
    {"eusc_de_east_1", "edee1.eusc-pure.cloud"},
}};

/// The region with this SDK name ("eu_central_1", also "eu-central-1") or domain
/// ("mypurecloud.de"), or nullopt.
inline std::optional<region> find_region(std::string_view name_or_domain) noexcept {
    for (const auto& r : regions) {
        if (r.domain == name_or_domain) return r;
        if (r.name.size() != name_or_domain.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < r.name.size() && same; ++i) {
            char c = name_or_domain[i];
            if (c == '-') c = '_';
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            same = c == r.name[i];
        }
        if (same) return r;
    }
    return std::nullopt;
}

/// Base URLs: API calls go to `api`, the token request to `login` + "/oauth/token".
/// Both are "scheme://host[:port]" with an optional path prefix (for gateways), no trailing '/'.
struct endpoints {
    std::string api;
    std::string login;

    /// https://api.<domain> and https://login.<domain>. The domain must look like a host name.
    static result<endpoints> from_domain(std::string_view domain) {
        bool ok = !domain.empty() && domain.find('.') != std::string_view::npos;
        for (char c : domain)
            ok = ok &&
                 ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
        if (!ok)
            return make_error(errc::config, "invalid region '" + std::string(domain.substr(0, 64)) + "'",
                              "use a region name such as us_east_1 or a domain such as mypurecloud.com");
        return endpoints{"https://api." + std::string(domain), "https://login." + std::string(domain)};
    }

    /// A region by name or domain; an unknown value that looks like a domain is taken as one.
    static result<endpoints> from_region(std::string_view name_or_domain) {
        if (auto r = find_region(name_or_domain)) return from_domain(r->domain);
        return from_domain(name_or_domain);
    }

    /// Explicit base URLs (a gateway, a proxy, the simulator). `login` defaults to `api`:
    /// one server that serves both /oauth/token and /api/v2 (as gcx-sim does).
    static result<endpoints> from_urls(std::string_view api, std::string_view login = {}) {
        endpoints e{std::string(api), std::string(login.empty() ? api : login)};
        for (auto* u : {&e.api, &e.login}) {
            while (!u->empty() && u->back() == '/') u->pop_back();
            auto p = http::parse_url(*u);
            if (!p) return p.error();
        }
        return e;
    }
};

/// How basic_client::lookup finds the customer.
enum class lookup_strategy {
    flow,                   ///< launch the lookup workflow and poll it (the default)
    direct,                 ///< ask External Contacts directly (no flow; needs externalContacts:contact:view)
    flow_then_direct,       ///< the flow, and the direct lookup when the flow cannot be launched (an ErrorBody 403/404)
    data_action,            ///< execute a published data action: one request (needs integrations:action:execute)
    data_action_then_flow,  ///< the data action, and the flow when the action cannot run (action.fallback_statuses)
    data_action_then_direct,  ///< the data action, and the direct lookup when the action cannot run
};

/// The strategy's name as the command line writes it: "flow", "direct", "flow-then-direct",
/// "data-action", "data-action-then-flow", "data-action-then-direct".
inline const char* to_string(lookup_strategy s) noexcept {
    switch (s) {
    case lookup_strategy::flow: return "flow";
    case lookup_strategy::direct: return "direct";
    case lookup_strategy::flow_then_direct: return "flow-then-direct";
    case lookup_strategy::data_action: return "data-action";
    case lookup_strategy::data_action_then_flow: return "data-action-then-flow";
    case lookup_strategy::data_action_then_direct: return "data-action-then-direct";
    }
    return "unknown";
}

/// The strategy named `name` (to_string's names; '_' may stand for '-', as in the enumerators), or nullopt.
inline std::optional<lookup_strategy> parse_lookup_strategy(std::string_view name) noexcept {
    for (auto s : {lookup_strategy::flow, lookup_strategy::direct, lookup_strategy::flow_then_direct,
                   lookup_strategy::data_action, lookup_strategy::data_action_then_flow,
                   lookup_strategy::data_action_then_direct}) {
        const std::string_view n = to_string(s);
        if (n.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < n.size() && same; ++i) same = n[i] == (name[i] == '_' ? '-' : name[i]);
        if (same) return s;
    }
    return std::nullopt;
}

/// Whether a strategy launches the workflow (first or as a fallback): it needs a flow id.
inline bool uses_flow(lookup_strategy s) noexcept {
    return s == lookup_strategy::flow || s == lookup_strategy::flow_then_direct ||
           s == lookup_strategy::data_action_then_flow;
}
/// Whether a strategy executes a data action: it needs data_action_options::action_id.
inline bool uses_data_action(lookup_strategy s) noexcept {
    return s == lookup_strategy::data_action || s == lookup_strategy::data_action_then_flow ||
           s == lookup_strategy::data_action_then_direct;
}

/// Which External Contacts request a direct lookup makes.
enum class direct_method {
    reverse_whitepages,  ///< GET reversewhitepageslookup: every contact with the number (up to 25)
    identifier,          ///< POST identifierlookup/contacts: the one contact with that Phone identifier
};

struct direct_options {
    direct_method method = direct_method::reverse_whitepages;
    /// Comma-separated; the method's own values: "contacts.externalOrganization" / "externalOrganization".
    std::string expand;
    std::string division_id;  ///< reverse_whitepages: empty = the server's default, all divisions ("*")
};

/// How a data action is executed (lookup_strategy::data_action and its chains; docs/genesys-api.md 11.4).
///
/// Found or not found: when the answer has the key `found_key` (default "found"), JSON true is
/// found, false or null not found, and any other value an error (errc::mapping, code
/// found_output). When it has no such key (or found_key is empty): found when any output has a
/// value (not null, false, 0, "", [] or {}). The verdict is execution_info::found.
struct data_action_options {
    std::string action_id;                  ///< the published action's id (e.g. "custom_-_<uuid>"; GCX_ACTION_ID)
    std::string input_key = "phoneNumber";  ///< the action input that receives the number (E.164)
    bool flatten = false;                   ///< ?flatten=true: the answer flattened as Architect flattens it
    std::string found_key = "found";        ///< the output that says found / not found (see above)
    /// The action's inputs and outputs may hold personal data (Action.secure): no error of the
    /// lookup carries a value of either (the server's message of a failed execution is dropped,
    /// its code kept; input values are scrubbed).
    bool secure = false;
    /// The action only reads (a lookup): an execution that failed after it may have reached
    /// Genesys Cloud (502/503/504, a timeout after sending, an unreadable answer) is retried like a
    /// GET. Off: retried only when certainly not run (429, no connection, 503 with Retry-After), as
    /// a flow launch is.
    bool idempotent = false;
    /// The HTTP statuses of a failed execution on which a chain (data_action_then_flow,
    /// data_action_then_direct) takes its second path: the action cannot run (403: no permission;
    /// 404: no such action; not when the answer says the action ran: docs/genesys-api.md 11.4).
    /// Add a status the action's own failures come back with (502...) to fall back on those too.
    std::vector<int> fallback_statuses{403, 404};
};

/// Checks a data action id before any request: 1 to 256 characters, letters, digits, '-', '_',
/// '.' or '~' (what appears in a URL path segment unencoded; Genesys ids are "custom_-_<uuid>"-like).
inline result<void> validate_action_id(std::string_view id) {
    bool ok = !id.empty() && id.size() <= 256 && id != "." && id != "..";  // not a path step
    for (char c : id)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~');
    if (ok) return {};
    std::string shown(id.substr(0, 64));
    for (auto& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    error e =
        make_error(errc::invalid_input,
                   id.empty() ? std::string("the data action id is empty")
                              : "invalid data action id '" + shown + "': expected letters, digits, '-', '_', '.'",
                   "copy the action's id from Admin > Integrations > Actions, or GET /api/v2/integrations/actions");
    e.code = std::string(codes::action_id);
    return e;
}

/// One OAuth client (Client Credentials grant): its own token and its own request budget.
struct credential {
    std::string client_id;
    secret client_secret;
};

/// Everything a client needs. Defaults are documented next to each member.
struct client_config {
    std::string client_id;
    secret client_secret;
    /// More OAuth clients of the same org: each has its own token and budget, and lookups are
    /// spread over all of them. Org-wide limits still apply to their sum.
    std::vector<credential> extra_credentials;
    gcx::endpoints endpoints{"https://api.mypurecloud.com", "https://login.mypurecloud.com"};

    std::string flow_id;                              ///< the lookup workflow (a UUID)
    std::string flow_version;                         ///< empty: the latest published version
    std::string input_variable = "Flow.PhoneNumber";  ///< the flow's "Input to flow" variable for the number
    std::string execution_name = "gcx-lookup";        ///< prefix of each execution's name (a unique suffix is added)

    milliseconds lookup_timeout{30000};   ///< a lookup's bound from its first request (before: budget.queue_timeout)
    milliseconds request_timeout{16000};  ///< at most this per HTTP exchange (as the Go and JS SDKs)
    std::chrono::seconds token_refresh_window{60};  ///< a token this close to expiry is renewed first
    retry_policy retry;
    poll_policy poll;
    budget_policy budget;  ///< requests per minute per credential, pacing, 429 pauses
    /// After the token endpoint refused the credentials (invalid_client, ...), every lookup fails
    /// at once with that error, without a token request, for this long; then one tries again.
    milliseconds refused_credentials_backoff{60000};
    /// After a launch was answered 404 (the flow id names no flow in the org), every lookup fails
    /// at once with that answer, without a request, for this long (refusal_memory.hpp).
    milliseconds unknown_target_backoff{60000};

    lookup_strategy strategy = lookup_strategy::flow;
    direct_options direct;
    data_action_options action;  ///< lookup_strategy::data_action and its chains

    /// Send the bearer token over plain http:// to a non-loopback host. Off: such a
    /// configuration is refused. Turn on only behind a TLS-terminating proxy you trust.
    bool allow_insecure_http = false;

    /// Structured events (events.hpp): requests sent and answered, retries, tokens, budget waits,
    /// lookups finished; never a secret, a token, a number or an output value. Called on the thread
    /// that steps the lookup (thread-safe if the client is shared); empty (the default): no event is built.
    event_hook on_event;

    /// Checks what can be checked before any request: credentials present, URLs valid and
    /// https (or loopback), flow id a UUID when `need_flow` is set (by default: when the strategy
    /// launches the flow), the data action's id and input key when the strategy executes one.
    result<void> validate() const { return validate(uses_flow(strategy)); }
    /// errc::config unless flow_id is set and a UUID (what a flow lookup needs of the config).
    result<void> validate_flow() const {
        if (flow_id.empty())
            return make_error(errc::config, "TARGET_FLOW_ID is not set", "the id of the published lookup workflow");
        if (auto v = validate_flow_id(flow_id); !v) {
            auto e = v.error();
            e.kind = errc::config;
            return e;
        }
        return {};
    }
    result<void> validate(bool need_flow) const {
        if (client_id.empty())
            return make_error(errc::config, "GENESYS_CLIENT_ID is not set",
                              "create an OAuth client (Client Credentials grant) in Genesys Cloud Admin");
        if (client_secret.empty())
            return make_error(errc::config, "GENESYS_CLIENT_SECRET is not set",
                              "the secret is shown once when the OAuth client is created");
        for (std::size_t i = 0; i < extra_credentials.size(); ++i) {
            const auto& id = extra_credentials[i].client_id;
            if (id.empty() || extra_credentials[i].client_secret.empty())
                return make_error(errc::config, "an extra credential has an empty client id or secret");
            bool repeated = id == client_id;
            for (std::size_t k = 0; k < i; ++k) repeated = repeated || extra_credentials[k].client_id == id;
            if (repeated)
                return make_error(errc::config, "extra credential " + std::to_string(i + 1) + " repeats a client id",
                                  "each credential must be an OAuth client of its own (its own token and budget)");
        }
        for (const auto* u : {&endpoints.api, &endpoints.login}) {
            auto p = http::parse_url(*u);
            if (!p) return p.error();
            if (p->scheme == "http" && !http::is_loopback_host(p->host) && !allow_insecure_http)
                return make_error(errc::config, "refusing to send credentials over plain http to " + p->host,
                                  "use https, or set allow_insecure_http behind a trusted TLS-terminating proxy");
        }
        if (need_flow)
            if (auto v = validate_flow(); !v) return v;
        if (input_variable.empty()) return make_error(errc::config, "the flow input variable name is empty");
        if (uses_data_action(strategy)) {
            if (action.action_id.empty())
                return make_error(errc::config, "GCX_ACTION_ID is not set",
                                  "the id of the published data action (lookup strategy " +
                                      std::string(to_string(strategy)) + ")");
            if (auto v = validate_action_id(action.action_id); !v) {
                auto e = v.error();
                e.kind = errc::config;
                return e;
            }
            if (action.input_key.empty()) return make_error(errc::config, "the data action input key is empty");
            for (int st : action.fallback_statuses)
                if (st < 100 || st > 599)
                    return make_error(errc::config, "data action fallback statuses must be HTTP statuses (100-599)");
        }
        if (lookup_timeout.count() <= 0 || request_timeout.count() <= 0 || !usable_duration(lookup_timeout) ||
            !usable_duration(request_timeout) || !usable_duration(budget.queue_timeout))
            return make_error(errc::config, "timeouts must be positive, and at most a year");
        // Every other duration (usable_duration: none negative, none over a year).
        const std::string bad = !usable_duration(token_refresh_window)          ? "token_refresh_window"
                                : !usable_duration(refused_credentials_backoff) ? "refused_credentials_backoff"
                                : !usable_duration(unknown_target_backoff)      ? "unknown_target_backoff"
                                : retry.unusable_duration()  ? std::string("retry.") + retry.unusable_duration()
                                : poll.unusable_duration()   ? std::string("poll.") + poll.unusable_duration()
                                : budget.unusable_duration() ? std::string("budget.") + budget.unusable_duration()
                                                             : std::string();
        if (!bad.empty()) return make_error(errc::config, bad + " must be between 0 and a year");
        if (!(poll.factor >= 1.0 && poll.factor <= 100.0) || !(poll.target_polls >= 1.0 && poll.target_polls <= 100.0))
            return make_error(errc::config, "poll.factor and poll.target_polls must be between 1 and 100");
        if (poll.max_polls < 1)
            return make_error(errc::config, "poll.max_polls must be at least 1 (a launch needs a poll)");
        if (const char* why = budget.unusable()) return make_error(errc::config, why);
        return {};
    }

    using getenv_fn = std::function<const char*(const char*)>;

    /// Reads the tutorial's variables: GENESYS_REGION (default mypurecloud.com),
    /// GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, TARGET_FLOW_ID, GCX_ACTION_ID (the data action,
    /// for the data-action strategies), and the overrides GCX_API_URL / GCX_LOGIN_URL
    /// (GCX_LOGIN_URL defaults to GCX_API_URL when only that is set).
    /// A missing or malformed value is errc::config naming the variable; the secret's value is
    /// never part of any message. `getenv` is injectable for tests.
    static result<client_config> from_env(const getenv_fn& getenv = {}) {
        return from_env(lookup_strategy::flow, getenv);
    }
    /// The same for a strategy: TARGET_FLOW_ID is needed only by a strategy that launches the flow
    /// (uses_flow), GCX_ACTION_ID only by one that executes a data action (uses_data_action).
    static result<client_config> from_env(lookup_strategy strategy, const getenv_fn& getenv = {}) {
        auto get = [&](const char* name) -> std::string {
            const char* v = getenv ? getenv(name) : std::getenv(name);
            return v ? std::string(v) : std::string();
        };
        client_config c;
        c.strategy = strategy;
        auto named = [](error e, const char* var) {
            e.message = std::string(var) + ": " + e.message;
            e.kind = errc::config;
            return e;
        };
        std::string api = get("GCX_API_URL"), login = get("GCX_LOGIN_URL");
        if (!api.empty() || !login.empty()) {
            if (api.empty()) return make_error(errc::config, "GCX_LOGIN_URL is set but GCX_API_URL is not");
            auto e = endpoints::from_urls(api, login);
            if (!e) return named(e.error(), login.empty() ? "GCX_API_URL" : "GCX_API_URL/GCX_LOGIN_URL");
            c.endpoints = *e;
        } else {
            std::string reg = get("GENESYS_REGION");
            auto e = endpoints::from_region(reg.empty() ? "mypurecloud.com" : reg);
            if (!e) return named(e.error(), "GENESYS_REGION");
            c.endpoints = *e;
        }
        c.client_id = get("GENESYS_CLIENT_ID");
        if (c.client_id.empty())
            return make_error(errc::config, "GENESYS_CLIENT_ID is not set",
                              "export GENESYS_CLIENT_ID=<OAuth client id>");
        c.client_secret = secret(get("GENESYS_CLIENT_SECRET"));
        if (c.client_secret.empty())
            return make_error(errc::config, "GENESYS_CLIENT_SECRET is not set",
                              "export GENESYS_CLIENT_SECRET=<OAuth client secret>");
        c.flow_id = get("TARGET_FLOW_ID");
        if (c.flow_id.empty() && uses_flow(strategy))
            return make_error(errc::config, "TARGET_FLOW_ID is not set", "export TARGET_FLOW_ID=<workflow id>");
        if (!c.flow_id.empty())
            if (auto v = validate_flow_id(c.flow_id); !v) return named(v.error(), "TARGET_FLOW_ID");
        c.action.action_id = get("GCX_ACTION_ID");
        if (c.action.action_id.empty() && uses_data_action(strategy))
            return make_error(errc::config, "GCX_ACTION_ID is not set", "export GCX_ACTION_ID=<data action id>");
        if (!c.action.action_id.empty())
            if (auto v = validate_action_id(c.action.action_id); !v) return named(v.error(), "GCX_ACTION_ID");
        if (auto v = c.validate(); !v) return v.error();
        return c;
    }
};

GCX_NAMESPACE_END

#endif
