// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_CONTAINERS_HPP
#define GCX_REFLECT_READ_CONTAINERS_HPP

// The walker's readers for JSON containers: std::vector (arrays), std::map / std::unordered_map
// with string keys (objects), and with_container, which also accepts an object or array that a
// flow encoded in a JSON string. Rules in reflect.hpp.

#include <gcx/reflect/path.hpp>
#include <gcx/reflect/traits.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

template <class J, class T>
bool read_value(walk_state& st, const typename J::value& v, T& out);

/// What with_container calls with the container: f(st, container, ctx).
template <class J>
using container_fn = bool (*)(walk_state&, const typename J::value&, void* ctx);

/// Calls f(st, container, ctx), one nesting level deeper (past map_options::max_depth: an error),
/// with `v` when it has kind `want` (object or array), or with the value a JSON string holds:
/// Architect flows often output objects as JSON-encoded strings. The string is parsed with the
/// same backend, limited to the nesting depth left. Not a template on the caller: it is compiled
/// once per backend, not once per struct or element type.
template <class J>
bool with_container(walk_state& st, const typename J::value& v, json::kind want, container_fn<J> f, void* ctx) {
    auto enter = [&](const typename J::value& container) {
        depth_scope depth(st);
        return depth.ok() ? f(st, container, ctx) : depth.fail();
    };
    const json::kind k = J::kind_of(v);
    if (k == want) return enter(v);
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
        return enter(*parsed);
    });
}

template <class J, class V>
bool read_array_elements(walk_state& st, const typename J::value& array, void* ctx) {
    V& out = *static_cast<V*>(ctx);
    out.clear();
    // Not J::size(array): a hostile array of a million one-byte numbers would reserve a million
    // elements, each perhaps kilobytes, before the first is refused. The vector grows as it reads.
    out.reserve(std::min<std::size_t>(J::size(array), 16));
    std::size_t i = 0;
    return J::for_each_element(array, [&](const typename J::value& element) {
        path_scope at(st, {path_segment::index, {}, i++});
        if constexpr (std::is_same_v<typename V::value_type, bool>) {  // vector<bool> has no bool&
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
}

template <class J, class M>
bool read_map_members(walk_state& st, const typename J::value& object, void* ctx) {
    M& out = *static_cast<M*>(ctx);
    out.clear();
    // The error reported is the one of the smallest key whose entry fails, whatever order the
    // backend keeps keys in (document order, or sorted): the same input, the same error path.
    bool failed = false;
    std::string_view failed_key;
    J::for_each_member(object, [&](std::string_view key, const typename J::value& member) {
        if (failed && key >= failed_key) return true;
        path_scope at(st, {path_segment::member, key, 0});
        typename M::mapped_type item{};
        if (!read_value<J>(st, member, item)) {
            failed = true;
            failed_key = key;
        } else if (!failed) {
            out.insert_or_assign(std::string(key), std::move(item));
        }
        return true;
    });
    return !failed;
}

template <class J, class V>
bool read_array(walk_state& st, const typename J::value& v, V& out) {
    return with_container<J>(st, v, json::kind::array, &read_array_elements<J, V>, &out);
}

template <class J, class M>
bool read_map(walk_state& st, const typename J::value& v, M& out) {
    return with_container<J>(st, v, json::kind::object, &read_map_members<J, M>, &out);
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
