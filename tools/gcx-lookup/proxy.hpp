// gcx-lookup: which proxy the lookups go through, from --proxy or the environment.
#ifndef GCX_LOOKUP_PROXY_HPP
#define GCX_LOOKUP_PROXY_HPP

#include <functional>
#include <optional>
#include <string>

namespace gcx_lookup {

/// What the transports are given: transport_options::proxy and ::no_proxy.
struct proxy_choice {
    std::string proxy;     ///< "": every request goes direct
    std::string no_proxy;  ///< hosts reached directly although `proxy` is set
};

/// The proxy for the two base URLs the tool talks to (API and login), by these rules (also in
/// --help and the README):
/// - `--proxy URL` (flag = URL) is used for both, loopback included; `--proxy ''` turns every
///   proxy off. no_proxy / NO_PROXY still exempt the hosts they name, as curl does.
/// - Otherwise the environment, as curl reads it: https_proxy or HTTPS_PROXY for an https URL,
///   http_proxy (lower case only) for an http URL; a host named by no_proxy or NO_PROXY
///   (names matching their subdomains, IP addresses or ranges, or "*") goes direct; and a
///   loopback host (localhost, 127.0.0.0/8, ::1: the built-in simulator) always goes direct.
/// A proxy URL without a scheme is taken as http://. Returns nullopt with `error` set when the
/// proxy URL is not usable (the message names the flag or the variable, never the URL: it may
/// hold a password) or when the API and login URLs would need two different proxies.
std::optional<proxy_choice> choose_proxy(const std::optional<std::string>& flag, const std::string& api_url,
                                         const std::string& login_url,
                                         const std::function<const char*(const char*)>& getenv, std::string& error);

}  // namespace gcx_lookup

#endif
