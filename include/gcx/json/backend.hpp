// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_JSON_BACKEND_HPP
#define GCX_JSON_BACKEND_HPP

// The JSON backend concept. gcx never names a JSON library outside include/gcx/json/<backend>.hpp:
// everything else is written against a *traits type* `J` with the static members below.
// A backend is ~250 lines; see boost_json.hpp and nlohmann.hpp.
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
// Numbers in serialized text: integers as integers; a double as json::append_double writes it
// (the shortest digits that read back as the same double, "97.5", "0.1", "1e+300", "-0.0", "3.0"),
// so every backend writes the same text for the same number, and raw_json texts compare equal.
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

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

/// How deep the text of a raw_json may nest and still be written as JSON (reflect/write.hpp):
/// deeper, it is written as null.
inline constexpr std::size_t max_written_raw_depth = 4096;

/// Members one object of a parsed text may have: far more than any Genesys answer holds, and few
/// enough that nlohmann::ordered_json, which inserts each key by a search through the ones before
/// it, parses a hostile object in milliseconds (60,000 keys took seconds). Every backend refuses
/// a text with a larger object, so that all of them read the same texts.
inline constexpr std::size_t max_object_members = 10000;

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

namespace number_detail {
/// The shortest decimal digits d1 d2 ... dk (no sign, no leading zero) and exponent e with
/// |x| = 0.d1d2...dk * 10^e, for finite, non-zero x. Returns k (at most 17).
inline int shortest_digits_printf(double x, char (&digits)[24], int& e) {
    // The first precision whose correctly rounded %e form reads back as x: the shortest digits,
    // and of those the closest to x. snprintf and strtod use the same locale, so its decimal
    // separator does not matter; only the digits and the exponent are kept.
    char buf[40];
    for (int precision = 0; precision <= 16; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision, x);
        if (std::strtod(buf, nullptr) == x || precision == 16) break;
    }
    int k = 0;
    const char* p = buf;
    for (; *p != 'e'; ++p)
        if (*p >= '0' && *p <= '9') digits[k++] = *p;
    e = std::atoi(p + 1) + 1;
    while (k > 1 && digits[k - 1] == '0') --k;  // "%.16e" may end in zeros
    return k;
}

inline int shortest_digits(double x, char (&digits)[24], int& e) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
    // Scientific form without a precision: the shortest round-trip digits ("9.75e+01").
    char buf[40];
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    int k = 0;
    const char* p = buf;
    for (; p != r.ptr && *p != 'e'; ++p)
        if (*p >= '0' && *p <= '9') digits[k++] = *p;
    int exponent = 0;
    std::from_chars(p + (p[1] == '+' ? 2 : 1), r.ptr, exponent);
    e = exponent + 1;
    return k;
#else
    return shortest_digits_printf(x, digits, e);
#endif
}
}  // namespace number_detail

/// Appends the integer `i` as JSON text (its decimal digits, std::to_chars).
template <class Int>
void append_integer(std::string& out, Int i) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

/// Appends `x` as JSON text: the shortest decimal digits that read back as exactly `x`, laid out
/// as nlohmann/json lays them out: plain decimals from 1e-4 to below 1e15, always with a '.'
/// ("97.5", "0.0001", "3.0", "-0.0"), otherwise one digit before an exponent of at least two
/// digits ("1e+300", "5e-324", "1.7976931348623157e+308", "1e-05"). NaN and infinities become
/// null, as in JSON.stringify: JSON has neither.
inline void append_double(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += "null";
        return;
    }
    if (std::signbit(x)) out += '-';
    if (x == 0) {
        out += "0.0";
        return;
    }
    char d[24];
    int n = 0;  // |x| = 0.d[0]d[1]...d[k-1] * 10^n: the decimal point sits after n digits
    const int k = number_detail::shortest_digits(std::fabs(x), d, n);
    const auto digits = [&](int from, int to) { out.append(d + from, static_cast<std::size_t>(to - from)); };
    constexpr int max_point = 15;  // std::numeric_limits<double>::digits10
    constexpr int min_point = -4;
    if (k <= n && n <= max_point) {  // 12300.0
        digits(0, k);
        out.append(static_cast<std::size_t>(n - k), '0');
        out += ".0";
    } else if (0 < n && n <= max_point) {  // 12.3
        digits(0, n);
        out += '.';
        digits(n, k);
    } else if (min_point < n && n <= 0) {  // 0.00123
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        digits(0, k);
    } else {  // 1.23e+20, 1e-05
        digits(0, 1);
        if (k > 1) {
            out += '.';
            digits(1, k);
        }
        int e = n - 1;
        out += e < 0 ? "e-" : "e+";
        if (e < 0) e = -e;
        if (e < 10) out += '0';
        char buf[8];
        const auto r = std::to_chars(buf, buf + sizeof buf, e);
        out.append(buf, static_cast<std::size_t>(r.ptr - buf));
    }
}

/// Appends `s` as a JSON string, as every backend writes it: '"' and '\\' escaped, \b \t \n
/// \f \r, other control characters as \u00xx, every other byte as it is, except bytes that are
/// not UTF-8 (a Latin-1 name, a cut character): each maximal ill-formed sequence becomes one
/// U+FFFD (Unicode's Table 3-7 and "substitution of maximal subparts", as nlohmann/json's
/// error_handler_t::replace does), so the text is always JSON that a parser takes.
inline void append_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet written
    const auto flush = [&](std::size_t to) { out.append(s.data() + run, to - run); };
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    for (std::size_t i = 0; i < s.size();) {
        const unsigned c = byte(i);
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                ++i;
                continue;
            }
            flush(i);
            run = ++i;
            out += '\\';
            switch (c) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '\b': out += 'b'; break;
            case '\t': out += 't'; break;
            case '\n': out += 'n'; break;
            case '\f': out += 'f'; break;
            case '\r': out += 'r'; break;
            default:
                out += "u00";
                out += "0123456789abcdef"[c >> 4];
                out += "0123456789abcdef"[c & 0xF];
            }
            continue;
        }
        // The length of the sequence `c` starts and the range of its second byte (Table 3-7).
        const std::size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
        const unsigned lo = c == 0xE0 ? 0xA0u : c == 0xF0 ? 0x90u : 0x80u;
        const unsigned hi = c == 0xED ? 0x9Fu : c == 0xF4 ? 0x8Fu : 0xBFu;
        std::size_t k = n == 0 ? 0 : 1;  // bytes of the sequence that are well-formed so far
        while (k > 0 && k < n && i + k < s.size() && byte(i + k) >= (k == 1 ? lo : 0x80u) &&
               byte(i + k) <= (k == 1 ? hi : 0xBFu))
            ++k;
        if (n != 0 && k == n) {
            i += n;
            continue;
        }
        flush(i);
        out += "\xEF\xBF\xBD";  // U+FFFD for the ill-formed prefix (at least the byte at i)
        i += k == 0 ? 1 : k;
        run = i;
    }
    flush(s.size());
    out += '"';
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
struct has_parse_temporary<J,
                           std::void_t<decltype(J::parse_temporary(std::string_view(), std::size_t(), parse_probe()))>>
    : std::true_type {};

template <class J, class = void>
struct is_defined : std::false_type {};
template <class J>
struct is_defined<J, std::void_t<decltype(sizeof(J))>> : std::true_type {};
}  // namespace backend_detail

/// Stops compilation with one message naming what to include when J is declared but not defined:
/// <gcx/fwd.hpp> declares gcx::json::boost_json and gcx::json::nlohmann, so a program that names
/// one without its header (or, with the single header, without its GCX_WITH_* macro) would
/// otherwise get "invalid use of incomplete type" at every use. True otherwise. json::value_of
/// checks with it; so can any template over a backend: `static_assert(json::check_backend<J>());`
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
    return true;  // false would add a second error to the one above
}

namespace backend_detail {
struct undefined_backend_value {};
template <class J, bool Defined = is_defined<J>::value>
struct checked_value {
    using type = typename J::value;
};
template <class J>
struct checked_value<J, false> {
    static_assert(check_backend<J>());
    using type = undefined_backend_value;  // keeps the one static_assert the only error
};
}  // namespace backend_detail

/// `typename J::value`, checked: when J is declared but not defined, compilation stops with
/// check_backend's one message instead of "invalid use of incomplete type" at every use
/// (basic_client declares its value_type with it).
template <class J>
using value_of = typename backend_detail::checked_value<J>::type;

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

}  // namespace json
GCX_NAMESPACE_END

#endif
