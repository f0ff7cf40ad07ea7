// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_CHECK_CREDENTIALS_HPP
#define GCX_CHECK_CREDENTIALS_HPP

// The preflight check's credentials item, one per credential (OAuth client): whether a token was
// obtained (POST /oauth/token) and what GET /api/v2/tokens/me says of it (the OAuth client and the
// org, by name and id; the token's scopes). The item names the credential by its client id,
// never by its secret; the token itself is never quoted.

#include <gcx/check/text.hpp>
#include <gcx/check_report.hpp>
#include <gcx/json/backend.hpp>

#include <optional>
#include <string>

GCX_NAMESPACE_BEGIN

/// What a credentials item said.
enum class token_check {
    working,      ///< a token that the API takes
    refused,      ///< no token, or one the API refused
    unreachable,  ///< the login URL or the API did not answer (see the network item)
};

/// How one credential's item is named and what its failure hint says.
struct credential_item {
    std::string name = "credentials";                                                    ///< the item's name
    std::string hint = "check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and the region";  ///< when refused
    /// `hint` wins over the OAuth error's own (which names the variables of the first credential).
    bool own_hint = false;
};

/// Adds the item of one credential from the outcome of GET /api/v2/tokens/me (`err`: nullptr when
/// it answered 2xx, with `body`, nullptr when not a JSON object). `answered`: the API answered (so
/// a token was obtained). The token's scopes are appended to `scopes` (for the launch permission),
/// and its organization's id is put in `org` (empty when not known).
template <class J>
token_check report_credential(check_report& report, const credential_item& it, const error* err, bool answered,
                              const typename J::value* body, std::string& scopes, std::string& org_id) {
    using value_type = typename J::value;
    if (err && !answered) {
        // The token request itself failed: what the OAuth server said, and what it means.
        const error& e = *err;
        if (check_detail::is_network(e)) {
            report.add(it.name, check_status::skipped, "no token: the login URL did not answer (see network)", {},
                       check_area::credentials);
            return token_check::unreachable;
        }
        const bool config = e.code == codes::redirect || e.code == codes::token_response || e.kind == errc::config ||
                            e.kind == errc::protocol;
        // Only a refusal is the credentials' fault; an outage (5xx) or a rate limit is not.
        const check_area area = config                 ? check_area::configuration
                                : e.kind == errc::auth ? check_area::credentials
                                                       : check_area::other;
        report.add(it.name, check_status::fail, "no token: " + check_detail::failure_text(e),
                   e.hint.empty() || (it.own_hint && e.kind == errc::auth) ? it.hint : e.hint, area);
        return token_check::refused;
    }
    if (err) {
        // A token, but GET tokens/me was refused: the token works for nothing else either when
        // that is a 401; otherwise say what is known.
        const bool refused = err->kind == errc::auth;
        if (err->http_status == 404 && err->code.empty()) {  // not Genesys's answer: a wrong API URL
            report.add(it.name, check_status::fail,
                       "a token was obtained, but the API answered GET /api/v2/tokens/me with HTTP 404 and no "
                       "Genesys Cloud error body",
                       check_detail::api_url_hint, check_area::configuration);
            return token_check::refused;
        }
        report.add(it.name, refused ? check_status::fail : check_status::ok,
                   refused ? "a token was obtained but refused: " + check_detail::failure_text(*err)
                           : "a token was obtained (GET /api/v2/tokens/me failed: " + check_detail::failure_text(*err) +
                                 ")",
                   refused ? err->hint : std::string(), check_area::credentials);
        if (refused) return token_check::refused;
        return check_detail::is_network(*err) ? token_check::unreachable : token_check::working;
    }
    std::string who = "a token was obtained";
    if (body) {
        const value_type* client = J::find(*body, "OAuthClient");
        const value_type* org = J::find(*body, "organization");
        if (client && J::kind_of(*client) == json::kind::object)
            who += " for OAuth client " + check_detail::quoted(json::get_string_or<J>(*client, "name")) + " (id " +
                   check_detail::quoted(json::get_string_or<J>(*client, "id")) + ")";
        if (org && J::kind_of(*org) == json::kind::object) {
            org_id = detail::clip(json::get_string_or<J>(*org, "id"), 100);
            who += " of organization " + check_detail::quoted(json::get_string_or<J>(*org, "name")) + " (id " +
                   check_detail::quoted(org_id) + ")";
        }
        if (const value_type* sc = J::find(*body, "authorizedScope"); sc && J::kind_of(*sc) == json::kind::array) {
            J::for_each_element(*sc, [&](const value_type& x) {
                if (J::kind_of(x) == json::kind::string) {
                    if (!scopes.empty()) scopes += ", ";
                    scopes += detail::clip(J::get_string(x), 100);
                }
                return true;
            });
        }
    }
    report.add(it.name, check_status::ok, who, {}, check_area::credentials);
    return token_check::working;
}

GCX_NAMESPACE_END

#endif
