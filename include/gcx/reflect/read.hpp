// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_HPP
#define GCX_REFLECT_READ_HPP

// JSON -> C++, the public entry points: read_outputs (a flow's outputData, `Flow.`-prefixed keys
// at the top level), from_json (exact names everywhere, for API models) and from_json_text. The
// walk itself: read_value.hpp (dispatch), read_members.hpp (described structs), read_scalars.hpp,
// read_containers.hpp. Rules in reflect.hpp.

#include <gcx/reflect/path.hpp>
#include <gcx/reflect/read_value.hpp>
#include <gcx/reflect/traits.hpp>

#include <string>
#include <string_view>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

inline std::string outputs_hint(std::string_view prefix) {
    return "compare the flow's \"Output from flow\" variables with your struct: each member binds \"" +
           std::string(prefix) + "<member>\"; a variable the flow may leave unset must be a std::optional member";
}

template <class J, class T>
bool read_top_struct(walk_state& st, const typename J::value& object, void* out) {
    return read_struct<J>(st, object, *static_cast<T*>(out), true);
}

/// The walks behind the public entry points: false with st.err set on error. Outputs: a flow's
/// outputData into a described struct (prefixed names at the top, null read as {}); otherwise any
/// value with exact names.
template <class J, bool Outputs, class T>
bool map(walk_state& st, const typename J::value& v, T& out) {
    if constexpr (Outputs) {
        st.make_hint = &outputs_hint;
        if (J::kind_of(v) == json::kind::null)
            return with_container<J>(st, J::make_object(), json::kind::object, &read_top_struct<J, T>, &out);
        return with_container<J>(st, v, json::kind::object, &read_top_struct<J, T>, &out);
    } else {
        return read_value<J>(st, v, out);
    }
}

/// Into an existing object, which may be partly assigned on error.
template <class J, bool Outputs, class T>
result<void> map_into(const typename J::value& v, T& out, const map_options& options) {
    walk_state st(options);
    if (!map<J, Outputs>(st, v, out)) return st.take_error();
    return {};
}

/// A new T mapped inside its result, which is returned as is: one named return value (NRVO; the
/// public functions' other, discarded `return` would defeat it there), so the filled T is never
/// moved. A filled ExternalContact is 3 KB of optionals.
template <class J, bool Outputs, class T>
result<T> mapped(const typename J::value& v, const map_options& options) {
    result<T> out{T{}};
    walk_state st(options);
    if (!map<J, Outputs>(st, v, *out)) out = st.take_error();
    return out;
}

/// What the public functions return after a failed check_mappable (its static_assert has fired).
inline error unmappable_error() { return make_error(errc::mapping, "type cannot be mapped"); }

}  // namespace reflect_detail

// ---- public API ------------------------------------------------------------------------------

/// Maps a JSON value into `out` with exact member names at every level.
/// On error `out` may be partly assigned. Errors: errc::mapping, with `path` set.
template <class J, class T>
result<void> from_json(const typename J::value& v, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::map_into<J, false>(v, out, options);
    else return reflect_detail::unmappable_error();
}

/// Maps a JSON value into a new T (default-constructed first) with exact member names.
template <class J, class T>
result<T> from_json(const typename J::value& v, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) return reflect_detail::mapped<J, false, T>(v, options);
    else return reflect_detail::unmappable_error();
}

/// Parses `text` (malformed or too deep: errc::protocol) and maps it with from_json.
/// Handy for a gcx::raw_json: `from_json_text<J, profile>(raw.text)`.
template <class J, class T>
result<T> from_json_text(std::string_view text, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) {
        auto v = J::parse(text, options.max_depth);
        if (!v) return std::move(v.error());
        return reflect_detail::mapped<J, false, T>(*v, options);
    } else {
        return reflect_detail::unmappable_error();
    }
}

/// Maps a flow's outputData into `out`: member `X` binds `"Flow.X"` (options.prefix), or the bare
/// `"X"` when the prefixed key is absent. Nested objects use exact names. A null outputData is
/// read as an empty object (a completed flow without outputs).
template <class J, class T>
result<void> read_outputs(const typename J::value& outputData, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>())
        return reflect_detail::map_into<J, true>(outputData, out, options);
    else return reflect_detail::unmappable_error();
}

/// Maps a flow's outputData into a new T; see the overload above.
template <class J, class T>
result<T> read_outputs(const typename J::value& outputData, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>())
        return reflect_detail::mapped<J, true, T>(outputData, options);
    else return reflect_detail::unmappable_error();
}

GCX_NAMESPACE_END

#endif
