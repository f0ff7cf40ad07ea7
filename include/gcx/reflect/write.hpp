// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_WRITE_HPP
#define GCX_REFLECT_WRITE_HPP

// C++ -> JSON: write_inputs (a flow's inputData, `Flow.`-prefixed keys at the top level),
// to_json (exact names everywhere) and to_json_text. Rules in reflect.hpp.

#include <gcx/reflect/traits.hpp>

#include <boost/mp11/algorithm.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
typename J::value write_value(const T& v);

template <class J, class T>
typename J::value write_members(const T& v, std::string_view prefix) {
    auto object = J::make_object();
    std::string key;
    boost::mp11::mp_for_each<described_members<T>>([&](auto d) {
        const auto& member = v.*d.pointer;
        using member_type = std::remove_cv_t<std::remove_reference_t<decltype(member)>>;
        if constexpr (is_optional<member_type>::value) {
            if (!member) return;  // an empty optional is left out, not written as null
        }
        std::string_view name;
        if constexpr (has_described_bases<T>) name = member_json_name<T, decltype(d)>();
        else name = json_name<T>(d.name);
        key.clear();
        if (!prefix.empty() && name.compare(0, prefix.size(), prefix) != 0) key.append(prefix.data(), prefix.size());
        key.append(name.data(), name.size());
        J::set(object, key, write_value<J>(member));
    });
    return object;
}

template <class J, class T>
typename J::value write_value(const T& v) {
    constexpr shape s = shape_of<J, T>();
    if constexpr (s == shape::backend_value) {
        return v;
    } else if constexpr (s == shape::raw) {
        // A raw_json holds text gcx wrote itself or the caller promised is JSON; text that does not
        // parse has no faithful JSON form and is written as null. Its depth is the caller's (read
        // with a map_options::max_depth of their choosing, or built in code): not the default
        // limit for server answers (64, which wrote a deeper raw_json as null), but a bound on
        // what a value's destruction may recurse through.
        auto parsed = J::parse(v.text, json::max_written_raw_depth);
        return parsed ? std::move(*parsed) : J::make_null();
    } else if constexpr (s == shape::optional) {
        return v ? write_value<J>(*v) : J::make_null();
    } else if constexpr (s == shape::boolean) {
        return J::make_bool(v);
    } else if constexpr (s == shape::integer) {
        if constexpr (std::is_signed_v<T>) {
            return J::make_int(static_cast<std::int64_t>(v));
        } else {
            const auto u = static_cast<std::uint64_t>(v);
            return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                       ? J::make_int(static_cast<std::int64_t>(u))
                       : J::make_uint(u);
        }
    } else if constexpr (s == shape::floating) {
        // JSON has no NaN or infinity: like JSON.stringify, write null.
        return std::isfinite(v) ? J::make_double(static_cast<double>(v)) : J::make_null();
    } else if constexpr (s == shape::string) {
        return J::make_string(v);
    } else if constexpr (s == shape::enumeration) {
        const char* name = nullptr;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto d) {
            if (!name && v == d.value) name = d.name;
        });
        if (name) return J::make_string(json_name<T>(name));
        // A value outside the described enumerators has no name: write the number, so nothing
        // is lost silently (reading it back is refused, which surfaces the problem).
        using wide = std::conditional_t<std::is_signed_v<std::underlying_type_t<T>>, std::int64_t, std::uint64_t>;
        return write_value<J>(static_cast<wide>(v));
    } else if constexpr (s == shape::array) {
        auto array = J::make_array();
        for (const auto& e : v) J::push_back(array, write_value<J>(static_cast<const typename T::value_type&>(e)));
        return array;
    } else if constexpr (s == shape::map) {
        auto object = J::make_object();
        for (const auto& kv : v) J::set(object, kv.first, write_value<J>(kv.second));
        return object;
    } else if constexpr (s == shape::object) {
        return write_members<J>(v, {});
    } else {
        static_assert(always_false<T>, "gcx: unreachable, the public entry points check mappability first");
        return J::make_null();
    }
}

}  // namespace reflect_detail

// ---- public API ------------------------------------------------------------------------------

/// Serializes `v` to a JSON value with exact member names at every level: empty optional members
/// are left out, enums become their names, raw members are inserted as parsed values.
template <class J, class T>
typename J::value to_json(const T& v) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::write_value<J>(v);
    else return J::make_null();
}

/// to_json, serialized.
template <class J, class T>
std::string to_json_text(const T& v) {
    return J::serialize(to_json<J>(v));
}

/// Builds a flow's inputData: member `X` becomes `"Flow.X"` (`prefix`; a renamed member that
/// already starts with the prefix is kept as is). Nested structs use exact names.
template <class J, class T>
typename J::value write_inputs(const T& inputs, std::string_view prefix = "Flow.") {
    if constexpr (reflect_detail::check_flow_variables<J, T>()) return reflect_detail::write_members<J>(inputs, prefix);
    else return J::make_null();
}

GCX_NAMESPACE_END

#endif
