// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_HPP
#define GCX_REFLECT_READ_HPP

// JSON -> C++: read_outputs (a flow's outputData, `Flow.`-prefixed keys at the top level),
// from_json (exact names everywhere, for API models) and from_json_text. Rules in reflect.hpp.

#include <gcx/reflect/names.hpp>
#include <gcx/reflect/path.hpp>
#include <gcx/reflect/traits.hpp>

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
bool read_value(walk_state& st, const typename J::value& v, T& out);
template <class J, class T>
bool read_members(walk_state& st, const typename J::value& object, T& out, bool top);

// ---- scalars ---------------------------------------------------------------------------------

template <class I>
std::string integer_expectation() {
    return "integer in [" + std::to_string(std::numeric_limits<I>::min()) + ", " +
           std::to_string(std::numeric_limits<I>::max()) + "]";
}

/// Integers are range-checked, never narrowed. A JSON number with a fractional part of zero
/// (`3.0`) is accepted when it is exactly an integer in range: some producers write every number
/// as a double; `3.5` or `1e20` into an int64 is refused.
template <class J, class I>
bool read_integer(walk_state& st, const typename J::value& v, json::kind k, I& out) {
    using lim = std::numeric_limits<I>;
    switch (k) {
    case json::kind::integer: {
        const std::int64_t x = J::get_int(v);
        bool fits;
        if constexpr (std::is_signed_v<I>)
            fits = x >= static_cast<std::int64_t>(lim::min()) && x <= static_cast<std::int64_t>(lim::max());
        else
            fits = x >= 0 && static_cast<std::uint64_t>(x) <= static_cast<std::uint64_t>(lim::max());
        if (!fits) return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
        out = static_cast<I>(x);
        return true;
    }
    case json::kind::uint: { // above INT64_MAX by the backend rule
        const std::uint64_t x = J::get_uint(v);
        if constexpr (std::is_signed_v<I>) {
            (void)x;
            return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
        } else {
            if (x > static_cast<std::uint64_t>(lim::max()))
                return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
            out = static_cast<I>(x);
            return true;
        }
    }
    case json::kind::number: {
        const double d = J::get_double(v);
        // Bounds as exact powers of two: [min, max + 1) holds every representable I.
        const double upper = std::ldexp(1.0, lim::digits);
        const double lower = std::is_signed_v<I> ? -upper : 0.0;
        if (!(std::isfinite(d) && std::trunc(d) == d))
            return st.fail("expected " + integer_expectation<I>() + ", got a number with a fractional part");
        if (!(d >= lower && d < upper))
            return st.fail("expected " + integer_expectation<I>() + ", got a number out of that range");
        if constexpr (std::is_signed_v<I>) out = static_cast<I>(static_cast<std::int64_t>(d));
        else out = static_cast<I>(static_cast<std::uint64_t>(d));
        return true;
    }
    default: return st.mismatch(integer_expectation<I>(), k);
    }
}

/// float/double accept every JSON number (integers included; a large integer may round).
/// A value beyond the target's range is refused rather than turned into infinity.
template <class J, class F>
bool read_floating(walk_state& st, const typename J::value& v, json::kind k, F& out) {
    double d;
    switch (k) {
    case json::kind::integer: d = static_cast<double>(J::get_int(v)); break;
    case json::kind::uint: d = static_cast<double>(J::get_uint(v)); break;
    case json::kind::number: d = J::get_double(v); break;
    default: return st.mismatch("number", k);
    }
    if (!std::isfinite(d) || std::fabs(d) > static_cast<double>(std::numeric_limits<F>::max()))
        return st.fail(std::string("expected number in the range of ") +
                       (std::is_same_v<F, float> ? "float" : "double") + ", got a number out of that range");
    out = static_cast<F>(d);
    return true;
}

template <class E>
std::string enum_expectation() {
    std::string names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        names += names.empty() ? "one of " : ", ";
        names += '"';
        names += json_name<E>(d.name);
        names += '"';
    });
    return names.empty() ? std::string("string naming an enumerator (the enum describes none)") : names;
}

/// Described enums are read from their enumerator names (exact, case-sensitive); numbers refused.
template <class J, class E>
bool read_enum(walk_state& st, const typename J::value& v, json::kind k, E& out) {
    if (k != json::kind::string) return st.mismatch(enum_expectation<E>(), k);
    const std::string_view s = J::get_string(v);
    bool found = false;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        if (!found && json_name<E>(d.name) == s) {
            out = d.value;
            found = true;
        }
    });
    if (!found) return st.fail("expected " + enum_expectation<E>() + ", got a string that names none of them");
    return true;
}

// ---- containers --------------------------------------------------------------------------------

/// Calls f(container) with `v` when it has kind `want` (object or array), or with the value a
/// JSON string holds: Architect flows often output objects as JSON-encoded strings. The string is
/// parsed with the same backend, limited to the nesting depth left.
template <class J, class F>
bool with_container(walk_state& st, const typename J::value& v, json::kind want, F&& f) {
    const json::kind k = J::kind_of(v);
    if (k == want) return f(v);
    const char* expected = json::to_string(want);
    if (k != json::kind::string) return st.mismatch(expected, k);

    const std::size_t left = st.opt.max_depth > st.depth ? st.opt.max_depth - st.depth : 0;
    if (left == 0) return depth_scope(st).fail();
    // The parsed value is needed only while it is mapped: a backend may keep it in scratch memory.
    return json::parse_temporary<J>(J::get_string(v), left, [&](const result<typename J::value>& parsed) -> bool {
        if (!parsed)
            return st.fail(std::string("expected ") + expected + ", got a string that does not hold usable JSON (" +
                           parsed.error().message + ")");
        const json::kind inner = J::kind_of(*parsed);
        if (inner != want)
            return st.fail(std::string("expected ") + expected + ", got a string holding JSON " +
                           json::to_string(inner));
        return f(*parsed);
    });
}

template <class J, class V>
bool read_array(walk_state& st, const typename J::value& v, V& out) {
    return with_container<J>(st, v, json::kind::array, [&](const typename J::value& array) {
        depth_scope depth(st);
        if (!depth.ok()) return depth.fail();
        out.clear();
        out.reserve(J::size(array));
        std::size_t i = 0;
        return J::for_each_element(array, [&](const typename J::value& element) {
            path_scope at(st, {path_segment::index, {}, i++});
            if constexpr (std::is_same_v<typename V::value_type, bool>) { // vector<bool> has no bool&
                bool item = false;
                if (!read_value<J>(st, element, item)) return false;
                out.push_back(item);
                return true;
            } else {
                // Read in place, not moved in (a struct of 23 optionals is not cheap to move);
                // a failed element is removed, so `out` ends as it did.
                if (read_value<J>(st, element, out.emplace_back())) return true;
                out.pop_back();
                return false;
            }
        });
    });
}

template <class J, class M>
bool read_map(walk_state& st, const typename J::value& v, M& out) {
    return with_container<J>(st, v, json::kind::object, [&](const typename J::value& object) {
        depth_scope depth(st);
        if (!depth.ok()) return depth.fail();
        out.clear();
        return J::for_each_member(object, [&](std::string_view key, const typename J::value& member) {
            path_scope at(st, {path_segment::member, key, 0});
            typename M::mapped_type item{};
            if (!read_value<J>(st, member, item)) return false;
            out.insert_or_assign(std::string(key), std::move(item));
            return true;
        });
    });
}

// ---- described structs -----------------------------------------------------------------------

/// Reads T's members from `object`. One pass over the object's keys finds, through T's name table,
/// the value each member binds; a second pass over the members, in declaration order, reads them
/// (so the first error reported is the same whatever the keys' order) and handles the absent ones.
template <class J, class T>
bool read_members(walk_state& st, const typename J::value& object, T& out, bool top) {
    using value = typename J::value;
    using names = member_names<T>;
    depth_scope depth(st);
    if (!depth.ok()) return depth.fail();
    const names& table = names::get();
    const std::string_view prefix = top ? st.opt.prefix : std::string_view();
    // At the top level "Flow.X" binds member X, unless X itself starts with the prefix: a name
    // that does binds only its exact key.
    const bool prefixed = top && !prefix.empty();
    const path_segment::kind_t segment = top ? path_segment::variable : path_segment::member;

    // Pass 1. The key a member binds is the first one found in its best form: "Flow.X" wins over
    // "X" (as J::find would find them, one member at a time). A key is known (strict mode) when it
    // names a member in either form, even one it does not bind ("Flow.Flow.X").
    // bound[i], valid where seen[i]: the value member i binds, and a view of the object's own key
    // for the path. Only the flags are cleared: this is on every struct's stack frame, and clearing
    // the whole array cost more than looking up the keys.
    struct binding {
        const value* v;
        const char* key;
        std::size_t key_size;
    };
    std::array<bool, names::count> seen{};
    std::array<binding, names::count> bound;
    auto bind = [&](std::size_t i, const value& v, std::string_view key) {
        seen[i] = true;
        bound[i] = {&v, key.data(), key.size()};
    };
    const bool all_known = J::for_each_member(object, [&](std::string_view key, const value& v) {
        bool known = false;
        if (prefixed && starts_with(key, prefix)) {
            known = table.for_each_named(key.substr(prefix.size()), [&](std::size_t i) {
                const std::string_view name = table.name(i);
                if (starts_with(name, prefix)) return; // binds its exact name only
                // A bare "X" already bound (its key is as long as the name) gives way.
                if (!seen[i] || bound[i].key_size == name.size()) bind(i, v, key);
            });
        }
        known |= table.for_each_named(key, [&](std::size_t i) {
            if (!seen[i]) bind(i, v, key);
        });
        if (known || !st.opt.strict) return true;
        path_scope at(st, {segment, key, 0});
        return st.fail("unexpected key (strict mode: every key must name a member)");
    });
    if (!all_known) return false;

    // Pass 2.
    bool ok = true;
    std::size_t i = 0;
    boost::mp11::mp_for_each<described_members<T>>([&](auto d) {
        const std::size_t at_i = i++;
        if (!ok) return;
        auto& member = out.*d.pointer;
        using member_type = std::remove_reference_t<decltype(member)>;
        if (seen[at_i]) {
            const binding& b = bound[at_i];
            path_scope at(st, {segment, {b.key, b.key_size}, 0});
            ok = read_value<J>(st, *b.v, member);
            return;
        }
        const std::string_view name = table.name(at_i);
        // An absent optional member (the common case in API models) never touches the path.
        if constexpr (is_optional<member_type>::value) {
            member.reset();
        } else if (top) {
            std::string key;
            if (prefixed && !starts_with(name, prefix)) key.assign(prefix.data(), prefix.size());
            key.append(name.data(), name.size());
            path_scope at(st, {segment, key, 0});
            std::string m = "missing required output variable \"" + key + "\"";
            if (key != name) m += " (nor \"" + std::string(name) + "\")";
            ok = st.fail(m + "; make the member std::optional if the flow may leave it out");
        } else {
            path_scope at(st, {segment, name, 0});
            ok = st.fail("missing required member \"" + std::string(name) +
                         "\"; make the member std::optional if it may be absent");
        }
    });
    return ok;
}

// ---- dispatch ----------------------------------------------------------------------------------

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
        return with_container<J>(st, v, json::kind::object,
                                 [&](const typename J::value& object) { return read_members<J>(st, object, out, false); });
    } else {
        static_assert(always_false<T>, "gcx: unreachable, the public entry points check mappability first");
        return false;
    }
}

inline std::string outputs_hint(std::string_view prefix) {
    return "compare the flow's \"Output from flow\" variables with your struct: each member binds \"" +
           std::string(prefix) + "<member>\"; a variable the flow may leave unset must be a std::optional member";
}

/// The walks behind the public entry points: false with st.err set on error.
template <class J, class T>
bool map_value(walk_state& st, const typename J::value& v, T& out) {
    return read_value<J>(st, v, out);
}

template <class J, class T>
bool map_outputs(walk_state& st, const typename J::value& outputData, T& out) {
    st.make_hint = &outputs_hint;
    auto members = [&](const typename J::value& object) { return read_members<J>(st, object, out, true); };
    if (J::kind_of(outputData) == json::kind::null) return members(J::make_object());
    return with_container<J>(st, outputData, json::kind::object, members);
}

/// A new T mapped inside its result, which is returned as is: one named return value (NRVO; the
/// public functions' other, discarded `return` would defeat it there), so the filled T is never
/// moved. A filled ExternalContact is 3 KB of optionals.
template <class J, class T, bool Outputs>
result<T> mapped(const typename J::value& v, const map_options& options) {
    result<T> out{T{}};
    walk_state st(options);
    bool ok;
    if constexpr (Outputs) ok = map_outputs<J>(st, v, *out);
    else ok = map_value<J>(st, v, *out);
    if (!ok) out = st.take_error();
    return out;
}

} // namespace reflect_detail

// ---- public API ------------------------------------------------------------------------------

/// Maps a JSON value into `out` with exact member names at every level.
/// On error `out` may be partly assigned. Errors: errc::mapping, with `path` set.
template <class J, class T>
result<void> from_json(const typename J::value& v, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) {
        reflect_detail::walk_state st(options);
        if (!reflect_detail::map_value<J>(st, v, out)) return st.take_error();
        return {};
    } else {
        return make_error(errc::mapping, "type cannot be mapped");
    }
}

/// Maps a JSON value into a new T (default-constructed first) with exact member names.
template <class J, class T>
result<T> from_json(const typename J::value& v, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) {
        return reflect_detail::mapped<J, T, false>(v, options);
    } else {
        return make_error(errc::mapping, "type cannot be mapped");
    }
}

/// Parses `text` (malformed or too deep: errc::protocol) and maps it with from_json.
/// Handy for a gcx::raw_json: `from_json_text<J, profile>(raw.text)`.
template <class J, class T>
result<T> from_json_text(std::string_view text, const map_options& options = {}) {
    if constexpr (reflect_detail::check_mappable<J, T>()) {
        auto v = J::parse(text, options.max_depth);
        if (!v) return std::move(v.error());
        return from_json<J, T>(*v, options);
    } else {
        return make_error(errc::mapping, "type cannot be mapped");
    }
}

/// Maps a flow's outputData into `out`: member `X` binds `"Flow.X"` (options.prefix), or the bare
/// `"X"` when the prefixed key is absent. Nested objects use exact names. A null outputData is
/// read as an empty object (a completed flow without outputs).
template <class J, class T>
result<void> read_outputs(const typename J::value& outputData, T& out, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>()) {
        reflect_detail::walk_state st(options);
        if (!reflect_detail::map_outputs<J>(st, outputData, out)) return st.take_error();
        return {};
    } else {
        return make_error(errc::mapping, "type cannot be mapped");
    }
}

/// Maps a flow's outputData into a new T; see the overload above.
template <class J, class T>
result<T> read_outputs(const typename J::value& outputData, const map_options& options = {}) {
    if constexpr (reflect_detail::check_flow_variables<J, T>()) {
        return reflect_detail::mapped<J, T, true>(outputData, options);
    } else {
        return make_error(errc::mapping, "type cannot be mapped");
    }
}

GCX_NAMESPACE_END

#endif
