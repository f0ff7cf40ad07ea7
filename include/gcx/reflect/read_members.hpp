// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_MEMBERS_HPP
#define GCX_REFLECT_READ_MEMBERS_HPP

// The member walker: a JSON object into a described struct. The walk itself (binding keys to
// members, the order of reads, the errors for missing members) is not a template on the struct:
// each struct contributes only a table (its member names, one reader per member type, its members'
// addresses), so the walk is compiled once per JSON backend, and each distinct member type's
// reader once, however many structs use it. Rules in reflect.hpp.

#include <gcx/reflect/names.hpp>
#include <gcx/reflect/path.hpp>
#include <gcx/reflect/read_containers.hpp>  // read_value's declaration, with_container
#include <gcx/reflect/traits.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

GCX_NAMESPACE_BEGIN
namespace reflect_detail {

/// Reads one member through a type-erased pointer: `v` is the value it binds, or nullptr when the
/// object has no key for it. Absent: an optional is reset (true); any other member is missing (false,
/// nothing recorded: the walker reports it).
template <class J>
using member_reader = bool (*)(walk_state&, const typename J::value* v, void* member);

template <class J, class M>
bool read_member(walk_state& st, const typename J::value* v, void* member) {
    M& m = *static_cast<M*>(member);
    if (v) return read_value<J>(st, *v, m);
    if constexpr (is_optional<M>::value) {
        m.reset();  // an absent optional member (the common case in API models) never touches the path
        return true;
    } else {
        return false;
    }
}

/// One struct being read: its names, a reader and the address of each member, and the walker's
/// scratch space (on the caller's stack frame).
template <class J>
struct members_view {
    struct binding {
        const typename J::value* v;
        const char* key;
        std::size_t key_size;
    };
    const name_index& names;
    const member_reader<J>* read;
    void* const* member;
    bool* seen;      ///< cleared by the caller; bound[i] is valid where seen[i]
    binding* bound;  ///< the value member i binds, and a view of the object's own key for the path
};

inline bool fail_missing(walk_state& st, std::string_view name, bool top, bool prefixed, path_segment::kind_t segment) {
    if (!top) {
        path_scope at(st, {segment, name, 0});
        return st.fail("missing required member \"" + std::string(name) +
                       "\"; make the member std::optional if it may be absent");
    }
    std::string key;
    if (prefixed && !starts_with(name, st.opt.prefix)) key.assign(st.opt.prefix.data(), st.opt.prefix.size());
    key.append(name.data(), name.size());
    path_scope at(st, {segment, key, 0});
    std::string m = "missing required output variable \"" + key + "\"";
    if (key != name) m += " (nor \"" + std::string(name) + "\")";
    return st.fail(m + "; make the member std::optional if the flow may leave it out");
}

/// Reads a struct's members from `object` (with_container has counted its nesting level). One pass over the object's keys finds, through the
/// struct's name table, the value each member binds; a second pass over the members, in declaration
/// order, reads them (so the first error reported is the same whatever the keys' order) and
/// handles the absent ones.
template <class J>
bool read_members(walk_state& st, const typename J::value& object, const members_view<J>& m, bool top) {
    using value = typename J::value;
    const name_index& table = m.names;
    const std::string_view prefix = top ? st.opt.prefix : std::string_view();
    // At the top level "Flow.X" binds member X, unless X itself starts with the prefix: a name
    // that does binds only its exact key.
    const bool prefixed = top && !prefix.empty();
    const path_segment::kind_t segment = top ? path_segment::variable : path_segment::member;

    // Pass 1. The key a member binds is the first one found in its best form: "Flow.X" wins over
    // "X" (as J::find would find them, one member at a time). A key is known (strict mode) when it
    // names a member in either form, even one it does not bind ("Flow.Flow.X").
    auto bind = [&](std::size_t i, const value& v, std::string_view key) {
        m.seen[i] = true;
        m.bound[i] = {&v, key.data(), key.size()};
    };
    // Strict mode: the unknown key reported is the smallest, whatever order the backend keeps.
    bool unknown = false;
    std::string_view unknown_key;
    J::for_each_member(object, [&](std::string_view key, const value& v) {
        bool known = false;
        if (prefixed && starts_with(key, prefix)) {
            known = table.for_each_named(key.substr(prefix.size()), [&](std::size_t i) {
                const std::string_view name = table.name(i);
                if (starts_with(name, prefix)) return;  // binds its exact name only
                // A bare "X" already bound (its key is as long as the name) gives way.
                if (!m.seen[i] || m.bound[i].key_size == name.size()) bind(i, v, key);
            });
        }
        known |= table.for_each_named(key, [&](std::size_t i) {
            if (!m.seen[i]) bind(i, v, key);
        });
        if (!known && st.opt.strict && (!unknown || key < unknown_key)) {
            unknown = true;
            unknown_key = key;
        }
        return true;
    });
    if (unknown) {
        path_scope at(st, {segment, unknown_key, 0});
        return st.fail("unexpected key (strict mode: every key must name a member)");
    }

    // Pass 2.
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (m.seen[i]) {
            const auto& b = m.bound[i];
            path_scope at(st, {segment, {b.key, b.key_size}, 0});
            if (!m.read[i](st, b.v, m.member[i])) return false;
        } else if (!m.read[i](st, nullptr, m.member[i])) {
            return fail_missing(st, table.name(i), top, prefixed, segment);
        }
    }
    return true;
}

/// T's table for read_members: one pack expansion over its described members D...
template <class J, class T, template <class...> class L, class... D>
bool read_described(walk_state& st, const typename J::value& object, T& out, L<D...>, bool top) {
    constexpr std::size_t n = sizeof...(D);
    using member_types = member_type_of<T>;
    static constexpr member_reader<J> readers[n + 1] = {&read_member<J, typename member_types::template fn<D>>...,
                                                        nullptr};
    void* const members[n + 1] = {static_cast<void*>(std::addressof(out.*D::pointer))..., nullptr};
    std::array<bool, n> seen{};  // only the flags are cleared: bound[i] is read where seen[i] only
    std::array<typename members_view<J>::binding, n> bound;
    return read_members<J>(st, object, {member_names<T>::get(), readers, members, seen.data(), bound.data()}, top);
}

/// Reads a described struct from a JSON object; `top`: a flow's outputData (prefixed names).
template <class J, class T>
bool read_struct(walk_state& st, const typename J::value& object, T& out, bool top) {
    return read_described<J>(st, object, out, described_members<T>{}, top);
}

/// A nested struct, for with_container.
template <class J, class T>
bool read_nested_struct(walk_state& st, const typename J::value& object, void* out) {
    return read_struct<J>(st, object, *static_cast<T*>(out), false);
}

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
