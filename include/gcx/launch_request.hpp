// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_LAUNCH_REQUEST_HPP
#define GCX_LAUNCH_REQUEST_HPP

// The request that starts a flow execution:
//
//   POST {api}/api/v2/flows/executions
//   {"flowId", "flowVersion"?, "name", "inputData": {"Flow.PhoneNumber": "+1...", extra inputs...}}
//
// `name` is unique per launch, so repeated launches are distinguishable. Without extra inputs and
// with plain text only (the usual case) the body is written directly, as the JSON backend would
// write it, without building a JSON value first.

#include <gcx/config.hpp>
#include <gcx/http.hpp>
#include <gcx/json/backend.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN

namespace detail {
/// A unique execution name per launch: repeated launches are distinguishable (and a server
/// can tell a retried request from a new lookup).
inline std::string execution_name(std::string_view prefix) {
    static const std::uint64_t seed =
        (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t n = seed + 0x9E3779B97F4A7C15ULL * ++counter;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(n));
    return std::string(prefix) + "-" + buf;
}

/// True when every string of a launch body is printable ASCII without a quote or a backslash:
/// written between quotes as it is, by any JSON writer.
template <class... S>
bool launch_body_plain(const S&... parts) noexcept {
    auto plain = [](std::string_view s) {
        for (char c : s)
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        return true;
    };
    return (plain(parts) && ...);
}

/// The launch body without extra inputs, written directly (launch_body_plain must hold): the
/// object a JSON backend would serialize, without building it first.
inline std::string launch_body_text(std::string_view flow_id, std::string_view flow_version, std::string_view name,
                                    std::string_view input_variable, std::string_view number) {
    std::string b;
    b.reserve(64 + flow_id.size() + flow_version.size() + name.size() + input_variable.size() + number.size());
    b.append("{\"flowId\":\"").append(flow_id);
    if (!flow_version.empty()) b.append("\",\"flowVersion\":\"").append(flow_version);
    b.append("\",\"name\":\"").append(name);
    b.append("\",\"inputData\":{\"").append(input_variable).append("\":\"").append(number).append("\"}}");
    return b;
}
}  // namespace detail

/// The launch of the configured flow for `number` (E.164, checked), with `extra_inputs` (a JSON
/// object of "Flow.<Var>" keys, or null) beside it in inputData.
template <class J>
http::request launch_request(const client_config& cfg, const std::string& number, typename J::value extra_inputs) {
    http::request r;
    r.verb = http::method::post;
    r.url = cfg.endpoints.api + "/api/v2/flows/executions";
    r.fields.push_back({"Content-Type", "application/json"});
    r.fields.push_back({"Accept", "application/json"});
    const std::string name = detail::execution_name(cfg.execution_name);
    if (J::kind_of(extra_inputs) == json::kind::null &&
        detail::launch_body_plain(cfg.flow_id, cfg.flow_version, name, cfg.input_variable, number)) {
        r.body = detail::launch_body_text(cfg.flow_id, cfg.flow_version, name, cfg.input_variable, number);
        return r;
    }
    typename J::value inputs =
        J::kind_of(extra_inputs) == json::kind::object ? std::move(extra_inputs) : J::make_object();
    J::set(inputs, cfg.input_variable, J::make_string(number));
    typename J::value body = J::make_object();
    J::set(body, "flowId", J::make_string(cfg.flow_id));
    if (!cfg.flow_version.empty()) J::set(body, "flowVersion", J::make_string(cfg.flow_version));
    J::set(body, "name", J::make_string(name));
    J::set(body, "inputData", std::move(inputs));
    r.body = J::serialize(body);
    return r;
}

GCX_NAMESPACE_END

#endif
