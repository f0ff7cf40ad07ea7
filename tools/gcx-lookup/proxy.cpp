// gcx-lookup: the proxy rules (see proxy.hpp).
#include "proxy.hpp"

#include <gcx/adapters/common/preflight.hpp>
#include <gcx/http.hpp>

namespace gcx_lookup {
namespace {

std::string var(const std::function<const char*(const char*)>& getenv, const char* lower, const char* upper) {
    const char* v = getenv(lower);
    if ((v == nullptr || *v == '\0') && upper != nullptr) v = getenv(upper);
    return v ? std::string(v) : std::string();
}

/// `url` with http:// in front when it names no scheme (as curl reads "proxy:3128"), checked.
std::optional<std::string> usable(std::string url, const std::string& source, std::string& error) {
    if (url.find("://") == std::string::npos) url = "http://" + url;
    if (!gcx::adapters::detail::parse_proxy(url)) {
        error = source + " is not a usable proxy URL: expected http://host:port or http://user:password@host:port";
        return std::nullopt;
    }
    return url;
}

}  // namespace

std::optional<proxy_choice> choose_proxy(const std::optional<std::string>& flag, const std::string& api_url,
                                         const std::string& login_url,
                                         const std::function<const char*(const char*)>& getenv, std::string& error) {
    const std::string no_proxy = var(getenv, "no_proxy", "NO_PROXY");
    if (flag) {
        if (flag->empty()) return proxy_choice{};
        auto url = usable(*flag, "--proxy", error);
        if (!url) return std::nullopt;
        return proxy_choice{*url, no_proxy};
    }
    struct base {
        std::string host, proxy, source;
    };
    base bases[2];
    const std::string* urls[2] = {&api_url, &login_url};
    for (int i = 0; i < 2; ++i) {
        auto u = gcx::http::parse_url(*urls[i]);
        if (!u) continue;  // the session refuses it later, with its own message
        base& b = bases[i];
        b.host = u->host;
        if (gcx::http::is_loopback_host(u->host) || gcx::adapters::detail::proxy_bypassed(no_proxy, u->host)) continue;
        if (u->scheme == "https") {
            b.proxy = var(getenv, "https_proxy", "HTTPS_PROXY");
            b.source = getenv("https_proxy") && *getenv("https_proxy") ? "https_proxy" : "HTTPS_PROXY";
        } else {
            b.proxy = var(getenv, "http_proxy", nullptr);  // never HTTP_PROXY: httpoxy
            b.source = "http_proxy";
        }
        if (b.proxy.empty()) continue;
        auto url = usable(b.proxy, "the " + b.source + " environment variable", error);
        if (!url) return std::nullopt;
        b.proxy = *url;
    }
    const base& api = bases[0];
    const base& login = bases[1];
    if (api.proxy.empty() && login.proxy.empty()) return proxy_choice{};
    if (!api.proxy.empty() && !login.proxy.empty()) {
        if (api.proxy != login.proxy) {
            error = "the API and login URLs would go through two different proxies (" + api.source + " and " +
                    login.source + "); choose one with --proxy";
            return std::nullopt;
        }
        return proxy_choice{api.proxy, ""};
    }
    // One goes through the proxy, the other direct: the transport is told to skip the direct host.
    const base& through = api.proxy.empty() ? login : api;
    const base& direct = api.proxy.empty() ? api : login;
    if (gcx::adapters::detail::proxy_bypassed(direct.host, through.host)) {
        error = "cannot reach " + direct.host + " directly and " + through.host +
                " through the proxy (one is within the other's domain); choose with --proxy";
        return std::nullopt;
    }
    return proxy_choice{through.proxy, direct.host};
}

}  // namespace gcx_lookup
