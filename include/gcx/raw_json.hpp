// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_RAW_JSON_HPP
#define GCX_RAW_JSON_HPP

// gcx::raw_json: "keep this JSON as it is". A member of this type takes any JSON value (object,
// array, scalar, null) and stores its serialized text, so a model can carry an open-ended value
// (customFields, a flow output whose shape the flow author owns) without being a template over
// the JSON backend. Parse it later with the backend of your choice:
//
//     struct customer_lookup { std::optional<gcx::raw_json> CustomerProfile; ... };
//     auto v = lookup.CustomerProfile->parse<gcx::json::boost_json>();      // result<boost::json::value>
//     auto p = gcx::from_json_text<J, profile>(lookup.CustomerProfile->text); // straight into a struct
//
// When writing (to_json / write_inputs), the text is parsed and inserted as a JSON value.

#include <gcx/json/backend.hpp>

#include <cstddef>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN

/// Serialized JSON text of one value. An aggregate: `gcx::raw_json{R"({"a":1})"}`.
/// The default value is the JSON `null`.
struct raw_json {
    std::string text = "null";

    /// The value, parsed with backend J. Malformed text or nesting deeper than `max_depth`
    /// gives errc::protocol (never a throw).
    template <class J>
    result<typename J::value> parse(std::size_t max_depth = json::default_max_depth) const {
        return J::parse(text, max_depth);
    }

    /// The raw form of a backend value.
    template <class J>
    static raw_json from(const typename J::value& v) {
        return raw_json{J::serialize(v)};
    }

    // Comparison is textual. Values read by one backend serialize canonically (compact, same member
    // order), so two raw_json read from equal documents by the same backend compare equal. Texts
    // written by hand, or by different backends (nlohmann::json sorts object keys, Boost.JSON keeps
    // document order), may differ for equal values: compare parsed values in that case.
    friend bool operator==(const raw_json& a, const raw_json& b) noexcept { return a.text == b.text; }
    friend bool operator!=(const raw_json& a, const raw_json& b) noexcept { return a.text != b.text; }
    friend bool operator<(const raw_json& a, const raw_json& b) noexcept { return a.text < b.text; }
};

GCX_NAMESPACE_END

#endif
