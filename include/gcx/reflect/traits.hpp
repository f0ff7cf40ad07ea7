// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_TRAITS_HPP
#define GCX_REFLECT_TRAITS_HPP

// Compile-time half of the reflection walker: the options, the rename hook, which C++ types map
// to JSON and how, and the one readable static_assert for those that do not.

#include <gcx/json/backend.hpp>
#include <gcx/raw_json.hpp>

// The macros users describe their types with (BOOST_DESCRIBE_STRUCT, _CLASS, _ENUM) come with
// gcx: a program that includes <gcx/gcx.hpp> (or the single header) needs no Boost.Describe
// include of its own.
#include <boost/describe/bases.hpp>
#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN

/// How JSON is mapped into C++ (read_outputs, from_json, from_json_text).
struct map_options {
    /// Reject object keys that match no member (at every level). Off: unknown keys are ignored,
    /// so a flow (or the API) may grow new outputs without breaking old clients.
    bool strict = false;
    /// read_outputs: member `X` binds the key prefix + "X" first, then the bare "X".
    std::string_view prefix = "Flow.";
    /// First component of the JSON path in error messages: `outputData["Flow.X"].address.city`.
    std::string_view root = "outputData";
    /// Nesting limit, for the walk and for objects encoded in JSON strings.
    std::size_t max_depth = json::default_max_depth;
};

// ---- the rename hook -------------------------------------------------------------------------
//
// A member's JSON name is its C++ name. For names that are not C++ identifiers (a keyword such as
// `namespace`, an Architect variable `Customer-Tier`, ...) declare, in the namespace of your type
// (or as a hidden friend), a function found by argument-dependent lookup:
//
//     std::string_view gcx_json_name(const my_struct*, std::string_view member);
//
// It receives the C++ member name and returns the JSON name (return `member` itself for the
// others). The returned view must outlive the call: return string literals or `member`.
// It is only ever called with a null pointer; the pointer only selects the type. The same hook on
// a described enum renames its enumerators. At the top level of read_outputs / write_inputs the
// prefix is added to the renamed name, unless the renamed name already starts with the prefix.

namespace reflect_detail {

template <class T, class = void>
struct has_json_name_hook : std::false_type {};
template <class T>
struct has_json_name_hook<
    T, std::void_t<decltype(std::string_view(gcx_json_name(static_cast<const T*>(nullptr), std::string_view())))>>
    : std::true_type {};

/// The JSON name of member (or enumerator) `cpp_name` of T.
template <class T>
std::string_view json_name(std::string_view cpp_name) {
    if constexpr (has_json_name_hook<T>::value) {
        using R = decltype(gcx_json_name(static_cast<const T*>(nullptr), cpp_name));
        constexpr bool a_view = std::is_same_v<std::remove_cv_t<R>, std::string_view> ||
                                std::is_pointer_v<std::decay_t<R>> || std::is_lvalue_reference_v<R>;
        static_assert(a_view,
                      "gcx: gcx_json_name must return a std::string_view (or a const char*) of storage that outlives "
                      "the call, such as a string literal or its `member` argument: a returned std::string would be "
                      "destroyed before gcx reads the name");
        if constexpr (a_view) return std::string_view(gcx_json_name(static_cast<const T*>(nullptr), cpp_name));
        else return cpp_name;  // refused above: no second diagnostic for the dangling view
    } else {
        return cpp_name;
    }
}

/// The class a member pointer's member is declared in (a base, for an inherited member).
template <class P>
struct declaring_class;
template <class M, class C>
struct declaring_class<M C::*> {
    using type = C;
};

/// The JSON name of T's member D (a Boost.Describe descriptor). An inherited member is named by
/// the hook its declaring class sees (its own, or its nearest base's) when that hook renames it,
/// else by T's: a base's hook keeps naming the base's members whatever hook a derived class adds,
/// and a derived class's hook may name members of a base whose hooks leave them alone.
template <class T, class D>
std::string_view member_json_name() {
    using C = typename declaring_class<std::remove_cv_t<decltype(D::pointer)>>::type;
    if constexpr (!std::is_same_v<C, T> && has_json_name_hook<C>::value) {
        const std::string_view own = json_name<C>(D::name);
        if (own != std::string_view(D::name)) return own;
    }
    return json_name<T>(D::name);
}

/// Whether T has described bases: only then may a member be named by another class's hook (the
/// callers keep to json_name<T> otherwise, without a function per member).
template <class T>
inline constexpr bool has_described_bases =
    boost::mp11::mp_size<boost::describe::describe_bases<T, boost::describe::mod_any_access>>::value != 0;

// ---- type classification ---------------------------------------------------------------------

template <class T>
struct type_identity {
    using type = T;
};
template <class>
inline constexpr bool always_false = false;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class V, class C, class A>
struct is_string_map<std::map<std::string, V, C, A>> : std::true_type {};
template <class V, class H, class E, class A>
struct is_string_map<std::unordered_map<std::string, V, H, E, A>> : std::true_type {};

// Character types are integral, but a JSON number in a `char` is almost certainly a mistake.
// signed char / unsigned char stay integers: they are std::int8_t / std::uint8_t.
template <class T>
inline constexpr bool is_character_v = std::is_same_v<T, char> || std::is_same_v<T, wchar_t> ||
#if defined(__cpp_char8_t)
                                       std::is_same_v<T, char8_t> ||
#endif
                                       std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;

/// The described members a struct maps: all accesses, inherited ones included, no statics.
template <class T>
using described_members =
    boost::describe::describe_members<T, boost::describe::mod_any_access | boost::describe::mod_inherited>;

template <class T>
inline constexpr bool is_described_struct_v =
    std::is_class_v<T> && !std::is_union_v<T> && boost::describe::has_describe_members<T>::value;

template <class T>
inline constexpr bool is_described_enum_v = std::is_enum_v<T>&& boost::describe::has_describe_enumerators<T>::value;

enum class shape {
    backend_value,  ///< J::value: kept as is
    raw,            ///< gcx::raw_json: kept as serialized text
    optional,       ///< std::optional<T>
    boolean,
    integer,      ///< every integer type but bool and the character types, range-checked
    floating,     ///< float, double
    string,       ///< std::string
    enumeration,  ///< described enum <-> enumerator name
    array,        ///< std::vector<T>
    map,          ///< std::map / std::unordered_map with std::string keys
    object,       ///< described struct
    unsupported,
};

template <class J, class T>
constexpr shape shape_of() noexcept {
    if constexpr (std::is_same_v<T, typename J::value>) return shape::backend_value;
    else if constexpr (std::is_same_v<T, raw_json>) return shape::raw;
    else if constexpr (is_optional<T>::value) return shape::optional;
    else if constexpr (std::is_same_v<T, bool>) return shape::boolean;
    else if constexpr (std::is_integral_v<T> && !std::is_const_v<T> && !is_character_v<T> && sizeof(T) <= 8)
        return shape::integer;  // not __int128 (integral in GNU modes): JSON integers are read as 64 bits
    else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return shape::floating;
    else if constexpr (std::is_same_v<T, std::string>) return shape::string;
    else if constexpr (is_described_enum_v<T> && !std::is_const_v<T>) return shape::enumeration;
    else if constexpr (is_vector<T>::value) return shape::array;
    else if constexpr (is_string_map<T>::value) return shape::map;
    else if constexpr (is_described_struct_v<T> && !std::is_const_v<T> && std::is_default_constructible_v<T>)
        return shape::object;
    else return shape::unsupported;
}

// ---- the mappability check ------------------------------------------------------------------
//
// unmappable<J, T, Seen>::type walks T's type graph (members, element types, ...) and is the first
// type the walker cannot handle, or void. `Seen` holds the described structs being visited, so a
// recursive model (error_body holds std::vector<error_body>) terminates. Class templates and one
// pack expansion per struct: a member list is not peeled one member at a time (that instantiated
// a function per member with the rest of the list in its name).

template <class T>
struct member_type_of {
    template <class D>
    using fn = std::remove_reference_t<decltype(std::declval<T&>().*D::pointer)>;
};

template <class J, class T, class Seen, shape S = shape_of<J, T>()>
struct unmappable {
    using type = void;  // scalars, strings, enums, raw_json, J::value
};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::unsupported> {
    using type = T;
};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::optional> : unmappable<J, typename T::value_type, Seen> {};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::array> : unmappable<J, typename T::value_type, Seen> {};
template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::map> : unmappable<J, typename T::mapped_type, Seen> {};

/// The first of the member types Ms... (of a struct already in Seen) that cannot be mapped.
template <class J, class Seen, class... Ms>
struct first_unmappable_member {
    using bad = boost::mp11::mp_remove<boost::mp11::mp_list<typename unmappable<J, Ms, Seen>::type...>, void>;
    using type = boost::mp11::mp_eval_if<boost::mp11::mp_empty<bad>, void, boost::mp11::mp_front, bad>;
};

template <class J, class T, class Seen>
struct unmappable<J, T, Seen, shape::object> {
    template <class... Ms>
    using of_members = first_unmappable_member<J, boost::mp11::mp_push_back<Seen, T>, Ms...>;
    using member_types = boost::mp11::mp_transform_q<member_type_of<T>, described_members<T>>;
    using type = typename std::conditional_t<boost::mp11::mp_contains<Seen, T>::value, type_identity<void>,
                                             boost::mp11::mp_apply<of_members, member_types>>::type;
};

/// The first type in T's graph that the walker cannot map, or void.
template <class J, class T>
using first_unmappable_t = typename unmappable<J, T, boost::mp11::mp_list<>>::type;

/// Instantiated only for a type the walker cannot map: the compiler prints this class's
/// template argument (the offending type) next to the message.
template <class Unsupported>
struct cannot_map {
    static_assert(always_false<Unsupported>,
                  "gcx: cannot map this type; supported: bool, integers, float, double, std::string, "
                  "described enums, described structs (default-constructible, non-const members), "
                  "std::optional<T>, std::vector<T>, std::map/std::unordered_map<std::string, T>, "
                  "gcx::raw_json and the JSON backend's own value type; "
                  "describe your struct with BOOST_DESCRIBE_STRUCT (and enums with BOOST_DESCRIBE_ENUM)");
};

/// True when T maps with backend J; otherwise ONE static_assert names the offending type.
/// Callers guard the walker with `if constexpr (check_mappable<J, T>())` so a failed check is not
/// followed by pages of errors from the walker's own instantiation.
template <class J, class T>
constexpr bool check_mappable() {
    using bad = first_unmappable_t<J, T>;
    if constexpr (std::is_void_v<bad>) {
        return true;
    } else {
        // Naming the type cannot_map<bad>{} instantiates it, which fires its static_assert. The
        // result does not depend on the failed class (reading a member of it would make clang
        // report a second error and then instantiate the walker anyway).
        using report = decltype(cannot_map<bad>{});
        return std::is_void_v<report>;
    }
}

/// read_outputs / write_inputs bind struct members to flow variables: T must be a described struct.
template <class J, class T>
constexpr bool check_flow_variables() {
    if constexpr (!check_mappable<J, T>()) {
        return false;
    } else {
        static_assert(shape_of<J, T>() == shape::object,
                      "gcx: read_outputs/write_inputs need a described struct whose members name the flow "
                      "variables; describe it with BOOST_DESCRIBE_STRUCT (use from_json/to_json for other types)");
        return shape_of<J, T>() == shape::object;
    }
}

}  // namespace reflect_detail

/// True when T can be mapped to and from JSON with backend J (checked without a diagnostic).
template <class J, class T>
inline constexpr bool is_mappable_v = std::is_void_v<reflect_detail::first_unmappable_t<J, T>>;

GCX_NAMESPACE_END

#endif
