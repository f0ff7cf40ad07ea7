// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_SCHEMA_HPP
#define GCX_REFLECT_SCHEMA_HPP

// What a described struct expects of a flow's outputs, known at compile time: for each member,
// the output variable read_outputs binds it to ("Flow.X", falling back to "X"; the rename hook
// and map_options::prefix apply, as in reflect.hpp), the JSON types it accepts, and whether it
// may be absent; for a member that is itself a described struct (or an optional or vector of
// one), the same of its own members, by their JSON names. The preflight check (check.hpp,
// check/schema_match.hpp) compares this with the output schema Genesys publishes for each flow
// version.
//
//     for (const gcx::output_expectation& x : gcx::output_expectations<J, customer_lookup>())
//         ... x.member, x.variable, x.types, x.optional
//
// JSON types follow JSON Schema's names: "string", "boolean", "integer", "number", "object",
// "array". A struct, map or vector member also accepts "string" (a JSON object or array encoded
// in a string, as Architect flows often output them); raw_json and J::value accept anything.

#include <gcx/reflect/names.hpp>
#include <gcx/reflect/traits.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

/// JSON Schema types, as bits (a member may accept several).
namespace json_types {
inline constexpr unsigned string = 1u << 0;
inline constexpr unsigned boolean = 1u << 1;
inline constexpr unsigned integer = 1u << 2;
inline constexpr unsigned number = 1u << 3;
inline constexpr unsigned object = 1u << 4;
inline constexpr unsigned array = 1u << 5;
inline constexpr unsigned null = 1u << 6;
inline constexpr unsigned any = string | boolean | integer | number | object | array | null;

/// The bit of a JSON Schema type name ("string", ...), 0 for a name it does not know.
inline unsigned from_name(std::string_view name) noexcept {
    if (name == "string") return string;
    if (name == "boolean") return boolean;
    if (name == "integer") return integer;
    if (name == "number") return number;
    if (name == "object") return object;
    if (name == "array") return array;
    if (name == "null") return null;
    return 0;
}

/// "string", "object or string", "any JSON value" (null left out unless it is alone).
inline std::string to_text(unsigned types) {
    if ((types & any) == any) return "any JSON value";
    static constexpr std::pair<unsigned, const char*> names[] = {
        {object, "object"}, {array, "array"},   {boolean, "boolean"}, {integer, "integer"},
        {number, "number"}, {string, "string"}, {null, "null"}};
    std::string out;
    for (const auto& [bit, name] : names) {
        if ((types & bit) == 0 || (bit == null && types != null)) continue;
        if (!out.empty()) out += " or ";
        out += name;
    }
    return out.empty() ? "nothing" : out;
}
}  // namespace json_types

/// What one member of a described struct reads from a flow's outputs.
struct output_expectation {
    std::string member;           ///< the C++ member name
    std::string variable;         ///< the output variable it binds first: prefix + JSON name ("Flow.Found")
    std::string bare;             ///< the name it binds when `variable` is absent ("Found"); empty: none
    unsigned types = 0;           ///< the JSON types it accepts (json_types bits)
    bool optional = false;        ///< std::optional: may be absent (or null)
    bool json_in_string = false;  ///< a struct, map or vector: a JSON string holding one is accepted too
    bool any_string = false;      ///< std::string: every JSON string maps (an enum or a struct's does not)
    /// A described struct, std::optional of one or std::vector of one: what its own members read
    /// (by JSON name, no prefix), as the schema's `properties` of this variable list them
    /// (`in_items`: `items.properties`, for a vector). Empty for other members, and below
    /// max_schema_depth levels.
    std::vector<output_expectation> members;
    bool in_items = false;  ///< `members` are those of each element of an array
};

/// How many levels of nested structs output_expectations lists (a recursive struct ends there).
inline constexpr int max_schema_depth = 8;

namespace reflect_detail {

/// The JSON types a member of type M accepts (after std::optional is unwrapped).
template <class J, class M>
constexpr unsigned accepted_json_types() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return accepted_json_types<J, typename M::value_type>() | json_types::null;
    else if constexpr (s == shape::backend_value || s == shape::raw) return json_types::any;
    else if constexpr (s == shape::boolean) return json_types::boolean;
    else if constexpr (s == shape::integer) return json_types::integer;
    else if constexpr (s == shape::floating) return json_types::integer | json_types::number;
    else if constexpr (s == shape::string || s == shape::enumeration) return json_types::string;
    else if constexpr (s == shape::array) return json_types::array | json_types::string;
    else if constexpr (s == shape::map || s == shape::object) return json_types::object | json_types::string;
    else return 0;
}

template <class J, class M>
constexpr bool any_string() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return any_string<J, typename M::value_type>();
    else return s == shape::string;
}

template <class J, class M>
constexpr bool json_in_string() noexcept {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) return json_in_string<J, typename M::value_type>();
    else return s == shape::array || s == shape::map || s == shape::object;
}

template <class J, class T, template <class...> class L, class... D>
std::vector<output_expectation> expectations_of(L<D...>, std::string_view prefix, int depth);

/// The described struct a member of type M holds (through std::optional, std::vector), if any.
template <class J, class M>
void add_nested(output_expectation& x, int depth) {
    constexpr shape s = shape_of<J, M>();
    if constexpr (s == shape::optional) {
        add_nested<J, typename M::value_type>(x, depth);
    } else if constexpr (s == shape::array) {
        using E = typename M::value_type;
        constexpr shape e = shape_of<J, E>();
        if constexpr (e == shape::object || e == shape::optional) {
            const bool was = x.in_items;
            if (was) return;  // a vector of vectors: its elements' members are not listed
            x.in_items = true;
            add_nested<J, E>(x, depth);
            if (x.members.empty()) x.in_items = false;
        }
    } else if constexpr (s == shape::object) {
        if (depth < max_schema_depth) x.members = expectations_of<J, M>(described_members<M>{}, {}, depth + 1);
    }
}

template <class J, class T, class D>
output_expectation expectation_of(std::string_view prefix, int depth) {
    using M = typename member_type_of<T>::template fn<D>;
    output_expectation x;
    x.member = D::name;
    std::string_view name;
    if constexpr (has_described_bases<T>) name = member_json_name<T, D>();
    else name = json_name<T>(D::name);
    // As read_members binds them: "Flow.X" first, then "X"; a name that starts with the prefix
    // binds only itself.
    if (!prefix.empty() && !starts_with(name, prefix)) {
        x.variable = std::string(prefix) + std::string(name);
        x.bare = std::string(name);
    } else {
        x.variable = std::string(name);
    }
    x.types = accepted_json_types<J, M>();
    x.optional = is_optional<M>::value;
    x.json_in_string = json_in_string<J, M>();
    x.any_string = any_string<J, M>();
    add_nested<J, M>(x, depth);
    return x;
}

template <class J, class T, template <class...> class L, class... D>
std::vector<output_expectation> expectations_of(L<D...>, std::string_view prefix, int depth) {
    return {expectation_of<J, T, D>(prefix, depth)...};
}

}  // namespace reflect_detail

/// What each described member of T reads from a flow's outputs, in declaration order; a struct
/// member (or optional or vector of one) lists its own members in `members`, recursively.
template <class J, class T>
std::vector<output_expectation> output_expectations(const map_options& opt = {}) {
    static_assert(reflect_detail::check_flow_variables<J, T>());
    return reflect_detail::expectations_of<J, T>(reflect_detail::described_members<T>{}, opt.prefix, 0);
}

GCX_NAMESPACE_END

#endif
