// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_JSON_BACKEND_HPP
#define GCX_JSON_BACKEND_HPP

// The JSON backend concept. gcx never names a JSON library outside include/gcx/json/<backend>.hpp:
// everything else is written against a *traits type* `J` with the static members below.
// A backend is ~150 lines; see boost_json.hpp and nlohmann.hpp.
//
//   typename J::value                                  the library's DOM value (regular type)
//   result<J::value> J::parse(std::string_view text, std::size_t max_depth)
//                                                      malformed text or nesting deeper than
//                                                      max_depth -> errc::protocol, never a throw
//   std::string J::serialize(const J::value&)
//   json::kind  J::kind_of(const J::value&)
//   const J::value* J::find(const J::value& object, std::string_view key)   nullptr if absent
//                                                      or `object` is not an object
//   bool J::for_each_member(const J::value& object, F f)   f(std::string_view key, const value&)
//                                                      returns bool: false stops the walk;
//                                                      the call returns false if stopped
//   bool J::for_each_element(const J::value& array, F f)   f(const value&) -> bool, likewise
//   std::size_t J::size(const J::value&)             members of an object / elements of an array
//   bool J::get_bool(const value&); std::int64_t J::get_int(const value&);
//   std::uint64_t J::get_uint(const value&); double J::get_double(const value&);
//   std::string_view J::get_string(const value&)     precondition: kind_of matches
//   J::value J::make_null(), make_bool(bool), make_int(std::int64_t), make_uint(std::uint64_t),
//            make_double(double), make_string(std::string_view), make_object(), make_array()
//   void J::set(J::value& object, std::string_view key, J::value v)   insert or replace
//   void J::push_back(J::value& array, J::value v)
//
// Optional member (json::parse_temporary below falls back to J::parse without it):
//   R J::parse_temporary(std::string_view text, std::size_t max_depth, F f)
//                                                      parses like J::parse and returns
//                                                      f(const result<J::value>&); the value lives
//                                                      only during the call, so the backend may
//                                                      keep it in scratch memory
//
// Integers: a backend reports kind::integer for values that fit std::int64_t and kind::uint only
// for non-negative values above INT64_MAX, so range checks see exact values.

#include <gcx/fwd.hpp>
#include <gcx/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace json {

enum class kind { null, boolean, integer, uint, number, string, array, object };

inline const char* to_string(kind k) noexcept {
    switch (k) {
    case kind::null: return "null";
    case kind::boolean: return "bool";
    case kind::integer: return "integer";
    case kind::uint: return "unsigned integer";
    case kind::number: return "number";
    case kind::string: return "string";
    case kind::array: return "array";
    case kind::object: return "object";
    }
    return "unknown";
}

/// Default nesting limit for parsing server answers: deep enough for any Genesys shape,
/// shallow enough that a hostile body cannot exhaust the stack.
inline constexpr std::size_t default_max_depth = 64;

// ---- small helpers written once against the concept ----------------------------------------

/// The string member `key` of `object`, or `fallback` when absent or not a string.
template <class J>
std::string get_string_or(const typename J::value& object, std::string_view key, std::string_view fallback = {}) {
    const auto* v = J::find(object, key);
    if (v && J::kind_of(*v) == kind::string) return std::string(J::get_string(*v));
    return std::string(fallback);
}

/// The integer member `key` of `object`, or `fallback` when absent or not an integral number.
template <class J>
std::int64_t get_int_or(const typename J::value& object, std::string_view key, std::int64_t fallback) {
    const auto* v = J::find(object, key);
    if (!v) return fallback;
    switch (J::kind_of(*v)) {
    case kind::integer: return J::get_int(*v);
    case kind::number: {
        double d = J::get_double(*v);
        if (d >= -9.2e18 && d <= 9.2e18 && static_cast<double>(static_cast<std::int64_t>(d)) == d)
            return static_cast<std::int64_t>(d);
        return fallback;
    }
    default: return fallback;
    }
}

namespace backend_detail {
struct parse_probe {
    template <class R>
    bool operator()(const R&) const noexcept {
        return true;
    }
};
template <class J, class = void>
struct has_parse_temporary : std::false_type {};
template <class J>
struct has_parse_temporary<J, std::void_t<decltype(J::parse_temporary(std::string_view(), std::size_t(),
                                                                         parse_probe()))>> : std::true_type {};
} // namespace backend_detail

namespace backend_detail {
template <class J, class = void>
struct is_defined : std::false_type {};
template <class J>
struct is_defined<J, std::void_t<decltype(sizeof(J))>> : std::true_type {};
} // namespace backend_detail

/// Stops compilation with one message naming what to include when J is declared but not defined:
/// <gcx/fwd.hpp> declares gcx::json::boost_json and gcx::json::nlohmann, so a program that names
/// one without its header (or, with the single header, without its GCX_WITH_* macro) would
/// otherwise get "invalid use of incomplete type". True otherwise. basic_client checks its Json
/// with it: `static_assert(gcx::json::check_backend<Json>());`
template <class J>
constexpr bool check_backend() {
    constexpr bool defined = backend_detail::is_defined<J>::value;
    static_assert(defined || !std::is_same_v<J, nlohmann>,
                  "gcx: gcx::json::nlohmann is declared but not defined: with the single header, "
                  "#define GCX_WITH_NLOHMANN before #include <gcx/gcx.hpp> (CMake: link gcx::nlohmann); "
                  "otherwise #include <gcx/json/nlohmann.hpp>");
    static_assert(defined || !std::is_same_v<J, boost_json>,
                  "gcx: gcx::json::boost_json is declared but not defined: with the single header, "
                  "#define GCX_WITH_BOOST_JSON before #include <gcx/gcx.hpp> (CMake: link gcx::boost_json); "
                  "otherwise #include <gcx/json/boost_json.hpp>");
    static_assert(defined || std::is_same_v<J, nlohmann> || std::is_same_v<J, boost_json>,
                  "gcx: the JSON backend type is declared but not defined: include the header that defines it");
    return true; // false would add a second error to the one above
}

namespace backend_detail {
struct undefined_backend_value {};
template <class J, bool Defined = is_defined<J>::value>
struct value_of {
    using type = typename J::value;
};
template <class J>
struct value_of<J, false> {
    static_assert(check_backend<J>());
    using type = undefined_backend_value; // keeps the one static_assert the only error
};
} // namespace backend_detail

/// `typename J::value`, checked: when J is declared but not defined, compilation stops with
/// check_backend's message instead of "invalid use of incomplete type" at every use.
template <class J>
using value_t = typename backend_detail::value_of<J>::type;

/// Parses `text` (as J::parse: malformed or deeper than max_depth -> errc::protocol) and returns
/// f(const result<J::value>&). The value must not outlive the call: that lets a backend with
/// J::parse_temporary parse into scratch memory (the reflection walker reads objects that flows
/// encode in JSON strings this way).
template <class J, class F>
decltype(auto) parse_temporary(std::string_view text, std::size_t max_depth, F&& f) {
    if constexpr (backend_detail::has_parse_temporary<J>::value) {
        return J::parse_temporary(text, max_depth, std::forward<F>(f));
    } else {
        const result<typename J::value> parsed = J::parse(text, max_depth);
        return std::forward<F>(f)(parsed);
    }
}

} // namespace json
GCX_NAMESPACE_END

#endif
