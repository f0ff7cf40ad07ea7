// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_JSON_NLOHMANN_HPP
#define GCX_JSON_NLOHMANN_HPP

// The nlohmann/json backend (header-only; CMake target gcx::nlohmann).
//
//   gcx::json::nlohmann          nlohmann::json          objects keep keys sorted
//   gcx::json::nlohmann_ordered  nlohmann::ordered_json  objects keep document order (like Boost.JSON)
//   gcx::json::basic_nlohmann<B> any nlohmann::basic_json specialisation
//
// Inside namespace gcx::json the name `nlohmann` is this traits type: the library is always
// spelled ::nlohmann here.

#include <gcx/json/backend.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace json {

namespace nlohmann_detail {
// Can a const object_t be searched with a string_view, without building a std::string?
// (std::map<..., std::less<>> can; older releases and ordered_map's const find cannot.)
template <class Object, class = void>
struct finds_string_view : std::false_type {};
template <class Object>
struct finds_string_view<Object,
                         std::void_t<decltype(std::declval<const Object&>().find(std::declval<std::string_view>()))>>
    : std::true_type {};
}  // namespace nlohmann_detail

template <class BasicJson>
struct basic_nlohmann {
    using value = BasicJson;

    /// Never throws on bad input: the non-throwing parse, with a parser callback that refuses
    /// containers nested deeper than max_depth and objects of more than json::max_object_members
    /// members. What it refuses is discarded as it is read, so a hostile document never becomes
    /// a deep tree (nlohmann's parser itself is iterative) nor a long ordered_map.
    static result<value> parse(std::string_view text, std::size_t max_depth = default_max_depth) {
        bool too_deep = false, too_many = false;
        std::vector<std::size_t> members;  // of the object open at each depth
        typename value::parser_callback_t limit = [&](int depth, typename value::parse_event_t event, value&) {
            const auto at = static_cast<std::size_t>(depth);
            if (event == value::parse_event_t::key) {
                if (at >= members.size() || ++members[at] <= max_object_members) return true;
                too_many = true;
                return false;
            }
            if (event != value::parse_event_t::object_start && event != value::parse_event_t::array_start) return true;
            // `depth` counts the enclosing containers: this one is at nesting level depth + 1.
            if (at >= max_depth) {
                too_deep = true;
                return false;
            }
            if (members.size() < at + 2) members.resize(at + 2);
            members[at + 1] = 0;  // its keys come at depth + 1
            return true;
        };
        // nlohmann reads a NUL byte as the end of the input and skips a UTF-8 byte-order mark:
        // "{}\0junk" and "\xEF\xBB\xBF{}" would parse. Neither is JSON (RFC 8259), and Boost.JSON
        // refuses both: refused here too, so both backends read the same texts.
        const bool not_json = text.find('\0') != std::string_view::npos || text.substr(0, 3) == "\xEF\xBB\xBF";
        value v = not_json ? value(value::value_t::discarded)
                           : value::parse(text.data(), text.data() + text.size(), limit, /*allow_exceptions=*/false);
        if (too_deep || too_many || v.is_discarded()) {
            error e = make_error(
                errc::protocol, too_deep ? "malformed JSON: nested deeper than " + std::to_string(max_depth) + " levels"
                                : too_many ? std::string("malformed JSON: an object with too many members")
                                           : std::string("malformed JSON: syntax error"));
            e.code = std::string(codes::json);
            return e;
        }
        return v;
    }

    /// JSON text of `v`, compact, as nlohmann/json writes it except for doubles: those are
    /// written by json::append_double, whose digits are always the shortest that read back
    /// (nlohmann's Grisu2 gives one or two digits more for about 1 double in 800), so both
    /// backends write the same text for the same number. Strings are written by
    /// json::append_string (invalid UTF-8 replaced by U+FFFD, as nlohmann's own `replace` handler
    /// does), the same text in both backends. The walk keeps its own stack.
    static std::string serialize(const value& v) {
        if constexpr (!std::is_same_v<typename value::number_float_t, double>) {
            return dump(v);  // a float or long double DOM: nlohmann's digits for its own type
        } else {
            std::string out;
            struct frame {
                typename value::const_iterator it, end;
                bool object;
                bool first;
            };
            std::vector<frame> open;  // the containers being written, innermost last
            // Writes a scalar or an empty container whole; opens any other container.
            const auto begin = [&](const value& x) {
                switch (x.type()) {
                case value::value_t::null: out += "null"; return;
                case value::value_t::boolean: out += x.template get<bool>() ? "true" : "false"; return;
                case value::value_t::number_integer:
                    return append_integer(out, *x.template get_ptr<const typename value::number_integer_t*>());
                case value::value_t::number_unsigned:
                    return append_integer(out, *x.template get_ptr<const typename value::number_unsigned_t*>());
                case value::value_t::number_float:
                    return append_double(
                        out, static_cast<double>(*x.template get_ptr<const typename value::number_float_t*>()));
                case value::value_t::string:
                    return append_string(out, *x.template get_ptr<const typename value::string_t*>());
                case value::value_t::array:
                case value::value_t::object:
                    if (x.empty()) break;
                    out += x.is_object() ? '{' : '[';
                    open.push_back({x.cbegin(), x.cend(), x.is_object(), true});
                    return;
                default: break;
                }
                out += dump(x);  // empty containers, binary
            };
            begin(v);
            while (!open.empty()) {
                frame& f = open.back();
                if (f.it == f.end) {
                    out += f.object ? '}' : ']';
                    open.pop_back();
                    continue;
                }
                const auto it = f.it++;
                if (!f.first) out += ',';
                f.first = false;
                if (f.object) {
                    append_string(out, it.key());
                    out += ':';
                }
                begin(*it);  // may push: f is not used after this
            }
            return out;
        }
    }

    static kind kind_of(const value& v) noexcept {
        using t = typename value::value_t;
        switch (v.type()) {
        case t::null: return kind::null;
        case t::boolean: return kind::boolean;
        case t::number_integer: return kind::integer;
        case t::number_unsigned:
            // nlohmann reads every non-negative integer as unsigned; the concept says integer
            // whenever the value fits std::int64_t.
            return *v.template get_ptr<const typename value::number_unsigned_t*>() <=
                           static_cast<std::uint64_t>(INT64_MAX)
                       ? kind::integer
                       : kind::uint;
        case t::number_float: return kind::number;
        case t::string: return kind::string;
        case t::array: return kind::array;
        case t::object: return kind::object;
        case t::binary:     // never produced by parsing JSON text; no JSON kind fits
        case t::discarded:  // only the result of a failed parse, which parse() turns into an error
            return kind::null;
        }
        return kind::null;
    }

    static const value* find(const value& object, std::string_view key) {
        const auto* o = object.template get_ptr<const typename value::object_t*>();
        if (!o) return nullptr;
        using object_t = typename value::object_t;
        typename object_t::const_iterator it;
        if constexpr (nlohmann_detail::finds_string_view<object_t>::value) it = o->find(key);
        else it = o->find(typename value::string_t(key));
        return it == o->end() ? nullptr : &it->second;
    }

    template <class F>
    static bool for_each_member(const value& object, F&& f) {
        if (const auto* o = object.template get_ptr<const typename value::object_t*>())
            for (const auto& kv : *o)
                if (!f(std::string_view(kv.first), kv.second)) return false;
        return true;
    }

    template <class F>
    static bool for_each_element(const value& array, F&& f) {
        if (const auto* a = array.template get_ptr<const typename value::array_t*>())
            for (const auto& e : *a)
                if (!f(e)) return false;
        return true;
    }

    static std::size_t size(const value& v) noexcept { return v.is_object() || v.is_array() ? v.size() : 0; }

    static bool get_bool(const value& v) noexcept { return *v.template get_ptr<const typename value::boolean_t*>(); }
    static std::int64_t get_int(const value& v) noexcept {
        if (const auto* i = v.template get_ptr<const typename value::number_integer_t*>()) return *i;
        return static_cast<std::int64_t>(*v.template get_ptr<const typename value::number_unsigned_t*>());
    }
    static std::uint64_t get_uint(const value& v) noexcept {
        if (const auto* u = v.template get_ptr<const typename value::number_unsigned_t*>()) return *u;
        return static_cast<std::uint64_t>(*v.template get_ptr<const typename value::number_integer_t*>());
    }
    static double get_double(const value& v) noexcept {
        return static_cast<double>(*v.template get_ptr<const typename value::number_float_t*>());
    }
    static std::string_view get_string(const value& v) noexcept {
        return *v.template get_ptr<const typename value::string_t*>();
    }

    static value make_null() noexcept { return value(nullptr); }
    static value make_bool(bool b) noexcept { return value(b); }
    static value make_int(std::int64_t i) noexcept { return value(static_cast<typename value::number_integer_t>(i)); }
    static value make_uint(std::uint64_t u) noexcept {
        return value(static_cast<typename value::number_unsigned_t>(u));
    }
    static value make_double(double d) noexcept { return value(static_cast<typename value::number_float_t>(d)); }
    static value make_string(std::string_view s) { return value(typename value::string_t(s)); }
    static value make_object() { return value::object(); }
    static value make_array() { return value::array(); }

    static void set(value& object, std::string_view key, value v) {
        object[typename value::string_t(key)] = std::move(v);
    }
    static void push_back(value& array, value v) { array.push_back(std::move(v)); }

private:
    static std::string dump(const value& v) { return v.dump(-1, ' ', false, value::error_handler_t::replace); }
};

// Structs rather than aliases, so that <gcx/fwd.hpp> can declare them.
struct nlohmann : basic_nlohmann<::nlohmann::json> {};
struct nlohmann_ordered : basic_nlohmann<::nlohmann::ordered_json> {};

}  // namespace json
GCX_NAMESPACE_END

#endif
