// gcx-lookup --check. See check.hpp.
#include "check.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/adapters/httplib.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>

#include <iostream>
#include <string>
#include <utility>

namespace gcx_lookup {

namespace {
// An output the tool reads into a std::optional member: may be absent or null.
gcx::output_expectation optional_output(std::string member, std::string variable, std::string bare, unsigned types) {
    gcx::output_expectation x;
    x.member = std::move(member);
    x.variable = std::move(variable);
    x.bare = std::move(bare);
    x.types = types | gcx::json_types::null;
    x.optional = true;
    return x;
}
}  // namespace

std::vector<gcx::output_expectation> outputs_read() {
    namespace jt = gcx::json_types;
    return {optional_output("Found", "Flow.Found", "Found", jt::boolean),
            optional_output("externalContact", "Flow.externalContact", "externalContact", jt::object)};
}

std::vector<gcx::output_expectation> action_outputs_read(const std::string& found_key) {
    if (found_key.empty()) return {};
    return {optional_output(found_key, found_key, "", gcx::json_types::boolean)};
}

void explain_outputs(gcx::check_report& r) {
    using gcx::check_status;
    for (auto& item : r.items) {
        if (item.name.rfind("action output ", 0) != 0) continue;
        const std::string key = item.name.substr(14);
        if (item.status == check_status::warn) {
            item.message = "the action has no output " + key + ", which gcx-lookup reads to tell found from not found";
            item.hint = "gcx-lookup will count a lookup as found when any output has a value (not null, false, 0, "
                        "an empty string, array or object); name the action's boolean output with --action-found-key";
        } else if (item.status == check_status::fail) {
            item.hint = "gcx-lookup reports every lookup with a non-boolean " + key +
                        " as an error (code found_output): make the action's " + key +
                        " output a boolean, or name another output with --action-found-key";
        }
    }
    if (auto* u = r.find("action outputs not read"); u && u->status == check_status::warn) {
        u->status = check_status::ok;
        u->hint.clear();
        u->message += " (gcx-lookup prints them as they come)";
    }
    if (auto* f = r.find("output Found")) {
        if (f->status == check_status::warn) {
            f->message = "the flow has no output Flow.Found (nor Found), which gcx-lookup reads to tell found from "
                         "not found";
            f->hint = "gcx-lookup will count a lookup as found when any output is not null; add a Boolean "
                      "'Output from flow' variable Found to the flow to make it exact";
        } else if (f->status == check_status::fail) {
            f->hint = "gcx-lookup reports every lookup with a non-boolean Found as an error (code found_output): "
                      "make the flow's Found output variable a Boolean";
        }
    }
    if (auto* c = r.find("output externalContact")) {
        if (c->status == check_status::warn || c->status == check_status::fail) {
            c->status = check_status::warn;
            if (c->message.find("does not output") != std::string::npos)
                c->message = "the flow has no output Flow.externalContact (nor externalContact), which gcx-lookup "
                             "reads for the name, email, phone and company lines";
            c->hint = "gcx-lookup will print no name, email, phone or company lines, only the other outputs as they "
                      "come; output the contact as an object named externalContact to get them";
        }
    }
    if (auto* u = r.find("outputs not read"); u && u->status == check_status::warn) {
        u->status = check_status::ok;
        u->hint.clear();
        u->message += " (gcx-lookup prints them as they come)";
    }
}

int check_exit_status(const gcx::check_report& r) {
    if (r.failed(gcx::check_area::credentials) || r.failed(gcx::check_area::permission)) return exit_auth;
    if (r.failed(gcx::check_area::configuration)) return exit_usage;
    if (r.failed()) return exit_failure;
    return 0;
}

namespace {
/// The proxy URL without "user:password@": everything up to the last '@' goes (a password may
/// hold an '@', a '/' or a '?' unencoded: better to drop a path than to show a secret's tail).
std::string without_userinfo(const std::string& url) {
    const auto scheme = url.find("://");
    const std::size_t host = scheme == std::string::npos ? 0 : scheme + 3;
    const auto at = url.rfind('@');
    if (at == std::string::npos || at < host) return url;
    return url.substr(0, host) + url.substr(at + 1);
}

template <class Transport>
gcx::check_report check_with(const gcx::session& s, const check_settings& c, gcx::check_options o) {
    typename Transport::options t;
    t.ca_file = c.ca_file;
    t.proxy = c.proxy;
    t.no_proxy = c.no_proxy;
    gcx::basic_client<Transport, gcx::json::boost_json> client(s, Transport(t));
    return client.check(std::move(o));
}
}  // namespace

std::string network_description(const check_settings& s, const std::string& api_url) {
    std::string out = "transport " + s.opt.transport + "; ";
    if (api_url.rfind("http://", 0) == 0) out += "plain http (no TLS)";
    else if (s.ca_file.empty()) out += "TLS trust store: the system's";
    else out += "TLS trust store: the CA file " + s.ca_file;
    if (s.proxy.empty()) out += "; no proxy";
    else {
        out += "; proxy " + without_userinfo(s.proxy) + (s.opt.proxy ? " (--proxy)" : " (from the environment)");
        if (!s.no_proxy.empty()) out += ", no_proxy " + s.no_proxy;
    }
    return out;
}

int run_check(const gcx::session& session, const check_settings& settings) {
    gcx::check_options o;
    o.outputs = outputs_read();
    o.action_outputs = action_outputs_read(session.config().action.found_key);
    o.reader = "gcx-lookup";
    o.network = network_description(settings, session.config().endpoints.api);
    gcx::check_report r = settings.opt.transport == "httplib"
                              ? check_with<gcx::adapters::httplib_transport>(session, settings, std::move(o))
                              : check_with<gcx::adapters::curl_transport>(session, settings, std::move(o));
    explain_outputs(r);
    if (settings.opt.json) std::cout << gcx::to_json_text<gcx::json::boost_json>(r) << "\n";
    else std::cout << r.to_text();
    std::cout.flush();
    return check_exit_status(r);
}

}  // namespace gcx_lookup
