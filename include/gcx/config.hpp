// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CONFIG_HPP
#define GCX_CONFIG_HPP

// Where gcx talks to and with which credentials. Regions, endpoint derivation
// (https://api.<domain> and https://login.<domain>), gateway overrides, and from_env().

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
    flow,              ///< launch the lookup workflow and poll it (the default)
    direct,            ///< ask External Contacts directly (no flow; needs externalContacts:contact:view)
    flow_then_direct,  ///< the flow, and the direct lookup when the flow cannot be launched (403/404 on launch)
};

/// Which External Contacts request a direct lookup makes.
enum class direct_method {
    reverse_whitepages,  ///< GET reversewhitepageslookup: every contact with the number (up to 25)
    identifier,          ///< POST identifierlookup/contacts: the one contact with that Phone identifier
};

struct direct_options {
    direct_method method = direct_method::reverse_whitepages;
    std::string expand;  ///< reverse_whitepages: e.g. "contacts.externalOrganization" (comma-separated for several)
    std::string division_id;  ///< reverse_whitepages: empty = the server's default, all divisions ("*")
};

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

    milliseconds lookup_timeout{30000};             ///< one deadline for a whole lookup: token, launch, polls, waits
    milliseconds request_timeout{16000};            ///< at most this per HTTP exchange (as the Go and JS SDKs)
    std::chrono::seconds token_refresh_window{60};  ///< a token this close to expiry is renewed first
    retry_policy retry;
    poll_policy poll;
    budget_policy budget;  ///< requests per minute per credential, pacing, 429 pauses
    /// After the token endpoint refused the credentials (invalid_client, ...), every lookup fails
    /// at once with that error, without a token request, for this long; then one tries again.
    milliseconds refused_credentials_backoff{60000};

    lookup_strategy strategy = lookup_strategy::flow;
    direct_options direct;

    /// Send the bearer token over plain http:// to a non-loopback host. Off: such a
    /// configuration is refused. Turn on only behind a TLS-terminating proxy you trust.
    bool allow_insecure_http = false;

    /// Checks what can be checked before any request: credentials present, URLs valid and
    /// https (or loopback), flow id a UUID when `need_flow` is set.
    result<void> validate() const { return validate(strategy != lookup_strategy::direct); }
    result<void> validate(bool need_flow) const {
        if (client_id.empty())
            return make_error(errc::config, "GENESYS_CLIENT_ID is not set",
                              "create an OAuth client (Client Credentials grant) in Genesys Cloud Admin");
        if (client_secret.empty())
            return make_error(errc::config, "GENESYS_CLIENT_SECRET is not set",
                              "the secret is shown once when the OAuth client is created");
        for (const auto& c : extra_credentials)
            if (c.client_id.empty() || c.client_secret.empty())
                return make_error(errc::config, "an extra credential has an empty client id or secret");
        for (const auto* u : {&endpoints.api, &endpoints.login}) {
            auto p = http::parse_url(*u);
            if (!p) return p.error();
            if (p->scheme == "http" && !http::is_loopback_host(p->host) && !allow_insecure_http)
                return make_error(errc::config, "refusing to send credentials over plain http to " + p->host,
                                  "use https, or set allow_insecure_http behind a trusted TLS-terminating proxy");
        }
        if (need_flow) {
            if (flow_id.empty())
                return make_error(errc::config, "TARGET_FLOW_ID is not set", "the id of the published lookup workflow");
            if (auto v = validate_flow_id(flow_id); !v) {
                auto e = v.error();
                e.kind = errc::config;
                return e;
            }
        }
        if (input_variable.empty()) return make_error(errc::config, "the flow input variable name is empty");
        constexpr auto year = std::chrono::hours{24 * 366};
        if (lookup_timeout.count() <= 0 || request_timeout.count() <= 0 || budget.queue_timeout.count() < 0 ||
            lookup_timeout > year || request_timeout > year || budget.queue_timeout > year)
            return make_error(errc::config, "timeouts must be positive, and at most a year");
        if (!(poll.factor >= 1.0 && poll.factor <= 100.0) || !(poll.target_polls >= 1.0 && poll.target_polls <= 100.0))
            return make_error(errc::config, "poll.factor and poll.target_polls must be between 1 and 100");
        if (!(budget.requests_per_minute >= 0) || !(budget.token_requests_per_minute >= 0) || !(budget.headroom > 0))
            return make_error(errc::config, "the request budget must be a positive rate (0: no pacing)");
        return {};
    }

    using getenv_fn = std::function<const char*(const char*)>;

    /// Reads the tutorial's variables: GENESYS_REGION (default mypurecloud.com),
    /// GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, TARGET_FLOW_ID, and the overrides GCX_API_URL /
    /// GCX_LOGIN_URL (GCX_LOGIN_URL defaults to GCX_API_URL when only that is set).
    /// A missing or malformed value is errc::config naming the variable; the secret's value is
    /// never part of any message. `getenv` is injectable for tests.
    static result<client_config> from_env(const getenv_fn& getenv = {}) {
        return from_env(lookup_strategy::flow, getenv);
    }
    /// The same for a strategy: with lookup_strategy::direct, TARGET_FLOW_ID may be unset.
    static result<client_config> from_env(lookup_strategy strategy, const getenv_fn& getenv = {}) {
        auto get = [&](const char* name) -> std::string {
            const char* v = getenv ? getenv(name) : std::getenv(name);
            return v ? std::string(v) : std::string();
        };
        client_config c;
        c.strategy = strategy;
        auto named = [](error e, const char* var) {
            e.message = std::string(var) + ": " + e.message;
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
        if (c.flow_id.empty() && strategy != lookup_strategy::direct)
            return make_error(errc::config, "TARGET_FLOW_ID is not set", "export TARGET_FLOW_ID=<workflow id>");
        if (!c.flow_id.empty())
            if (auto v = validate_flow_id(c.flow_id); !v) {
                auto e = named(v.error(), "TARGET_FLOW_ID");
                e.kind = errc::config;
                return e;
            }
        if (auto v = c.validate(); !v) return v.error();
        return c;
    }
};

GCX_NAMESPACE_END

#endif
