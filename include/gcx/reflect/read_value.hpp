// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_VALUE_HPP
#define GCX_REFLECT_READ_VALUE_HPP

// read_value: one JSON value into one C++ value, dispatched on the type's shape (traits.hpp) to the
// readers for scalars, containers and described structs. Rules in reflect.hpp.

#include <gcx/reflect/path.hpp>
#include <gcx/reflect/read_containers.hpp>
#include <gcx/reflect/read_members.hpp>
#include <gcx/reflect/read_scalars.hpp>
#include <gcx/reflect/traits.hpp>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
bool read_value(walk_state& st, const typename J::value& v, T& out) {
    constexpr shape s = shape_of<J, T>();
    const json::kind k = J::kind_of(v);
    if constexpr (s == shape::backend_value) {
        out = v;
        return true;
    } else if constexpr (s == shape::raw) {
        out.text = J::serialize(v);
        return true;
    } else if constexpr (s == shape::optional) {
        if (k == json::kind::null) {
            out.reset();
            return true;
        }
        if (!out) out.emplace();
        return read_value<J>(st, v, *out);
    } else if constexpr (s == shape::boolean) {
        if (k == json::kind::string) {  // Architect may hand a Boolean over as text, as it does an Integer
            const std::string_view t = J::get_string(v);
            if (t != "true" && t != "false")
                return st.fail("expected bool, got a string that is not \"true\" or \"false\"");
            out = t == "true";
            return true;
        }
        if (k != json::kind::boolean) return st.mismatch("bool", k);
        out = J::get_bool(v);
        return true;
    } else if constexpr (s == shape::integer) {
        return read_integer<J>(st, v, k, out);
    } else if constexpr (s == shape::floating) {
        return read_floating<J>(st, v, k, out);
    } else if constexpr (s == shape::string) {
        if (k != json::kind::string) return st.mismatch("string", k);
        out.assign(J::get_string(v));
        return true;
    } else if constexpr (s == shape::enumeration) {
        return read_enum<J>(st, v, k, out);
    } else if constexpr (s == shape::array) {
        return read_array<J>(st, v, out);
    } else if constexpr (s == shape::map) {
        return read_map<J>(st, v, out);
    } else if constexpr (s == shape::object) {
        return with_container<J>(st, v, json::kind::object, &read_nested_struct<J, T>, &out);
    } else {
        static_assert(always_false<T>, "gcx: unreachable, the public entry points check mappability first");
        return false;
    }
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
