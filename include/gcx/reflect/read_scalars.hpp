// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_REFLECT_READ_SCALARS_HPP
#define GCX_REFLECT_READ_SCALARS_HPP

// The walker's readers for JSON scalars that need more than a kind check: integers (range-checked),
// float/double, and described enums (by enumerator name). Rules in reflect.hpp.

#include <gcx/reflect/path.hpp>
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

template <class I>
std::string integer_expectation() {
    return "integer in [" + std::to_string(std::numeric_limits<I>::min()) + ", " +
           std::to_string(std::numeric_limits<I>::max()) + "]";
}

/// What a string holds when it is a JSON number as written, nothing around it (at most 64
/// characters): an integer -?(0|[1-9][0-9]*), or a number with a fraction or an exponent.
enum class number_text { none, integer, decimal };

inline number_text kind_of_number_text(std::string_view s) noexcept {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < s.size() && digit(s[i])) ++i;
        return i > from;
    };
    if (s.empty() || s.size() > 64) return number_text::none;
    if (s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return number_text::none;
    bool decimal = false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return number_text::none;
        decimal = true;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return number_text::none;
        decimal = true;
    }
    if (i != s.size()) return number_text::none;
    return decimal ? number_text::decimal : number_text::integer;
}

/// Architect sends Integer (and Decimal) variables as JSON strings ("157"): its output schemas'
/// archInteger is an integer or "a string representation of an integral numeric value". A string
/// holding such a number is read as that number, by `read` (read_integer or read_floating): for an
/// integer (`integral`), only integer text ("3.0" and "1e2" are refused); for a float, any JSON
/// number (a zero mantissa is read as zero whatever its exponent: Boost.JSON 1.81 reads "0e400"
/// as NaN). Any other string is refused.
template <class J, class Read>
bool read_number_text(walk_state& st, const typename J::value& v, const std::string& expected, bool integral,
                      Read&& read) {
    const std::string_view text = J::get_string(v);
    const number_text k = kind_of_number_text(text);
    if (k == number_text::none || (integral && k != number_text::integer))
        return st.fail("expected " + expected + " (or a string holding one), got a string that is not " +
                       (integral ? "an integer" : "a number"));
    std::string_view parsed = text;
    const std::string_view mantissa = text.substr(0, text.find_first_of("eE"));
    if (mantissa.find_first_not_of("-0.") == std::string_view::npos) parsed = text[0] == '-' ? "-0.0" : "0.0";
    return json::parse_temporary<J>(parsed, 1, [&](const result<typename J::value>& n) {
        if (!n) return st.fail("expected " + expected + ", got a string holding a number this backend cannot read");
        return read(*n, J::kind_of(*n));
    });
}

/// Integers are range-checked, never narrowed. A JSON number with a fractional part of zero
/// (`3.0`) is accepted when it is exactly an integer in range: some producers write every number
/// as a double; `3.5` or `1e20` into an int64 is refused. A string holding an integer is read as
/// the integer (read_number_text).
template <class J, class I>
bool read_integer(walk_state& st, const typename J::value& v, json::kind k, I& out) {
    using lim = std::numeric_limits<I>;
    switch (k) {
    case json::kind::integer: {
        const std::int64_t x = J::get_int(v);
        bool fits;
        if constexpr (std::is_signed_v<I>)
            fits = x >= static_cast<std::int64_t>(lim::min()) && x <= static_cast<std::int64_t>(lim::max());
        else fits = x >= 0 && static_cast<std::uint64_t>(x) <= static_cast<std::uint64_t>(lim::max());
        if (!fits) return st.fail("expected " + integer_expectation<I>() + ", got an integer out of that range");
        out = static_cast<I>(x);
        return true;
    }
    case json::kind::uint: {  // above INT64_MAX by the backend rule
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
        // From 2^52 on, a neighbouring double is another integer: the text may have named another
        // one than `d` (-9223372036854775809 or 9007199254740993.0 read as a neighbour, or a
        // parser one unit in the last place off, as Boost.JSON 1.81 is for some 17-digit texts).
        // Below, a neighbour has a fraction and is refused above. Plain integer text is read
        // exactly (json::kind::integer or uint); a fraction or an exponent up there is refused.
        // A fraction smaller than half the spacing of doubles at that magnitude is lost by the
        // parser itself, as every JSON number with a '.' is a double in both backends: from 2^50
        // that is a fraction below 0.125 (2^51 + 0.2 reads as 2^51), as 1.00000000000000001 reads
        // as 1.
        if (std::fabs(d) >= std::ldexp(1.0, 52))
            return st.fail("expected " + integer_expectation<I>() +
                           ", got a number with a fraction or an exponent too large to be read exactly");
        if constexpr (std::is_signed_v<I>) out = static_cast<I>(static_cast<std::int64_t>(d));
        else out = static_cast<I>(static_cast<std::uint64_t>(d));
        return true;
    }
    case json::kind::string:
        return read_number_text<J>(
            st, v, integer_expectation<I>(), true,
            [&](const typename J::value& n, json::kind nk) { return read_integer<J>(st, n, nk, out); });
    default: return st.mismatch(integer_expectation<I>(), k);
    }
}

/// float/double accept every JSON number (integers included; a large integer rounds to the
/// nearest F, once: not through a double first). A value beyond the target's range is refused
/// rather than turned into infinity. (A decimal number into a float is rounded twice, to the
/// double the parser made of it and then to float: the text is not kept.)
template <class J, class F>
bool read_floating(walk_state& st, const typename J::value& v, json::kind k, F& out) {
    double d;
    switch (k) {
    case json::kind::integer: out = static_cast<F>(J::get_int(v)); return true;  // in range of any F
    case json::kind::uint: out = static_cast<F>(J::get_uint(v)); return true;
    case json::kind::number: d = J::get_double(v); break;
    case json::kind::string:
        return read_number_text<J>(st, v, "number", false, [&](const typename J::value& n, json::kind nk) {
            return read_floating<J>(st, n, nk, out);
        });
    default: return st.mismatch("number", k);
    }
    // A double rounds to F's largest value up to half an ulp above it: 3.4028235e38, the shortest
    // text of FLT_MAX, is a little above it as a double and is a float all the same.
    using lim = std::numeric_limits<F>;
    const double max = static_cast<double>(lim::max());
    const double half_ulp = (max - static_cast<double>(std::nextafter(lim::max(), F{0}))) / 2;
    if (!std::isfinite(d) || (std::fabs(d) >= max + half_ulp && std::fabs(d) != max))
        return st.fail(std::string("expected number in the range of ") +
                       (std::is_same_v<F, float> ? "float" : "double") + ", got a number out of that range");
    out = std::fabs(d) <= max ? static_cast<F>(d) : d > 0 ? lim::max() : lim::lowest();
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

}  // namespace reflect_detail
GCX_NAMESPACE_END

#endif
