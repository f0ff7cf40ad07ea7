// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_JSON_BOOST_JSON_HPP
#define GCX_JSON_BOOST_JSON_HPP

// The Boost.JSON backend.
//
// Linking: this header uses Boost.JSON as a *compiled* library. Link `Boost::json`
// (CMake: target gcx::boost_json does it; by hand: -lboost_json). gcx never compiles
// boost/json/src.hpp for you, so no program can end up with two copies of Boost.JSON.
// If you prefer Boost.JSON header-only, compile <boost/json/src.hpp> in exactly ONE .cpp of
// your program yourself and skip -lboost_json; gcx does not care which.

#include <gcx/json/backend.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

GCX_NAMESPACE_BEGIN
namespace json {

struct boost_json {
    using value = boost::json::value;

    static result<value> parse(std::string_view text, std::size_t max_depth = default_max_depth) {
        // The parser's work stack starts in a buffer on this stack frame (a heap block only for a
        // deeply nested document); the value is built with the default memory resource.
        unsigned char work[512];
        boost::json::parse_options opt;
        opt.max_depth = max_depth;
        boost::system::error_code ec;
        boost::json::parser p({}, opt, work, sizeof work);
        p.write(text.data(), text.size(), ec);
        if (ec) return parse_error(ec);
        value v = p.release();
        if (const char* why = refused(v, text)) return refused_error(why);
        return v;
    }

    /// J::parse for a value needed only during f (see json::parse_temporary). The parser's work
    /// stack and the value start in buffers on this stack frame (the value in a monotonic arena),
    /// so a small document (a profile a flow encoded in a JSON string) is parsed without touching
    /// the heap, and freeing it is free; a larger one continues in heap blocks of growing size.
    /// 1.5 KB of stack per call: a string inside a string inside a string... doubles its escapes
    /// at every level, so such calls never nest deeply.
    template <class F>
    static decltype(auto) parse_temporary(std::string_view text, std::size_t max_depth, F&& f) {
        unsigned char scratch[1024];
        unsigned char work[512];
        boost::json::monotonic_resource arena(scratch, sizeof scratch);
        boost::json::parse_options opt;
        opt.max_depth = max_depth;
        boost::system::error_code ec;
        // Not the stream_parser of parse(): the text is complete, and the result is the same.
        boost::json::parser p(&arena, opt, work, sizeof work);
        p.reset(&arena);
        p.write(text.data(), text.size(), ec);
        if (ec) return std::forward<F>(f)(result<value>(parse_error(ec)));
        value v = p.release();
        if (const char* why = refused(v, text)) return std::forward<F>(f)(result<value>(refused_error(why)));
        return std::forward<F>(f)(result<value>(std::move(v)));
    }

    /// JSON text of `v`, compact. Numbers are written by gcx rather than Boost.JSON: integers as
    /// integers, doubles in json::append_double's shortest round-trip form ("97.5", where
    /// Boost.JSON 1.81 writes "9.75E1"), the same text the nlohmann backend writes. Non-finite
    /// numbers (a value built in code: parse refuses "1e999") become null, as in nlohmann/json
    /// and JSON.stringify.
    static std::string serialize(const value& v) {
        std::string out;
        serialize_to(out, v);
        return out;
    }

    /// Appends the JSON text of `v` to `out`: the text serialize(v) returns, without a string of
    /// its own (for a caller that writes many values into one line). Strings are escaped as
    /// Boost.JSON escapes them; the walk keeps its own stack, so a value built in code may be
    /// nested deeper than any parse limit.
    static void serialize_to(std::string& out, const value& v) {
        struct frame {
            const value* container;
            std::size_t next;
        };
        frame inline_frames[16];
        std::vector<frame> more;  // containers nested deeper than 16 levels
        std::size_t depth = 0;
        const auto push = [&](const value* c) {
            if (depth < 16) inline_frames[depth] = {c, 0};
            else more.push_back({c, 0});
            ++depth;
        };
        const auto top = [&]() -> frame& { return depth <= 16 ? inline_frames[depth - 1] : more.back(); };
        const auto pop = [&] {
            if (depth > 16) more.pop_back();
            --depth;
        };
        // Writes a scalar or an empty container whole; opens any other container.
        const auto begin = [&](const value& x) {
            switch (x.kind()) {
            case boost::json::kind::null: out += "null"; return;
            case boost::json::kind::bool_: out += x.get_bool() ? "true" : "false"; return;
            case boost::json::kind::int64: return append_integer(out, x.get_int64());
            case boost::json::kind::uint64: return append_integer(out, x.get_uint64());
            case boost::json::kind::double_: return append_double(out, x.get_double());
            case boost::json::kind::string: {
                const auto& str = x.get_string();
                return serialize_to(out, std::string_view(str.data(), str.size()));
            }
            case boost::json::kind::array:
            case boost::json::kind::object: {
                const bool array = x.is_array();
                if (array ? x.get_array().empty() : x.get_object().empty()) {
                    out += array ? "[]" : "{}";
                    return;
                }
                out += array ? '[' : '{';
                return push(&x);
            }
            }
        };
        begin(v);
        while (depth > 0) {
            frame& f = top();
            const std::size_t i = f.next++;
            if (const auto* o = f.container->if_object()) {
                if (i == o->size()) {
                    out += '}';
                    pop();
                    continue;
                }
                if (i > 0) out += ',';
                const auto& kv = o->begin()[i];
                serialize_to(out, std::string_view(kv.key().data(), kv.key().size()));
                out += ':';
                begin(kv.value());  // may push: f is not used after this
            } else {
                const auto& a = f.container->get_array();
                if (i == a.size()) {
                    out += ']';
                    pop();
                    continue;
                }
                if (i > 0) out += ',';
                begin(a[i]);
            }
        }
    }

    /// Appends `s` as a JSON string (json::append_string: invalid UTF-8 becomes U+FFFD, as the
    /// nlohmann backend writes it; Boost.JSON would write the bytes, and nothing could read them).
    static void serialize_to(std::string& out, std::string_view s) { append_string(out, s); }

    /// A table rather than a switch: small enough to be inlined in the walker, which asks for
    /// the kind of every value it reads.
    static kind kind_of(const value& v) noexcept {
        using bk = boost::json::kind;
        static_assert(static_cast<int>(bk::null) == 0 && static_cast<int>(bk::bool_) == 1 &&
                          static_cast<int>(bk::int64) == 2 && static_cast<int>(bk::uint64) == 3 &&
                          static_cast<int>(bk::double_) == 4 && static_cast<int>(bk::string) == 5 &&
                          static_cast<int>(bk::array) == 6 && static_cast<int>(bk::object) == 7,
                      "gcx: boost::json::kind has changed");
        constexpr kind table[] = {kind::null,   kind::boolean, kind::integer, kind::uint,
                                  kind::number, kind::string,  kind::array,   kind::object};
        const bk k = v.kind();
        if (k == bk::uint64)
            return v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX) ? kind::integer : kind::uint;
        return table[static_cast<unsigned char>(k)];
    }

    static const value* find(const value& object, std::string_view key) noexcept {
        const auto* o = object.if_object();
        return o ? o->if_contains(key) : nullptr;
    }

    template <class F>
    static bool for_each_member(const value& object, F&& f) {
        if (const auto* o = object.if_object())
            for (const auto& kv : *o)
                if (!f(std::string_view(kv.key()), kv.value())) return false;
        return true;
    }

    template <class F>
    static bool for_each_element(const value& array, F&& f) {
        if (const auto* a = array.if_array())
            for (const auto& e : *a)
                if (!f(e)) return false;
        return true;
    }

    static std::size_t size(const value& v) noexcept {
        if (const auto* o = v.if_object()) return o->size();
        if (const auto* a = v.if_array()) return a->size();
        return 0;
    }

    static bool get_bool(const value& v) noexcept { return v.get_bool(); }
    static std::int64_t get_int(const value& v) noexcept {
        return v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(v.get_uint64());
    }
    static std::uint64_t get_uint(const value& v) noexcept {
        return v.is_uint64() ? v.get_uint64() : static_cast<std::uint64_t>(v.get_int64());
    }
    static double get_double(const value& v) noexcept { return v.get_double(); }
    static std::string_view get_string(const value& v) noexcept { return v.get_string(); }

    static value make_null() noexcept { return nullptr; }
    static value make_bool(bool b) noexcept { return value(b); }
    static value make_int(std::int64_t i) noexcept { return value(i); }
    static value make_uint(std::uint64_t u) noexcept { return value(u); }
    static value make_double(double d) noexcept { return value(d); }
    static value make_string(std::string_view s) { return value(boost::json::string(s)); }
    static value make_object() { return value(boost::json::object()); }
    static value make_array() { return value(boost::json::array()); }

    static void set(value& object, std::string_view key, value v) { object.as_object()[key] = std::move(v); }
    static void push_back(value& array, value v) { array.as_array().push_back(std::move(v)); }

private:
    // What parse() changes or refuses in what Boost.JSON 1.81 read, so that both backends read the
    // same texts as the same values (`text`: what was parsed):
    // - a number Boost.JSON read as a double is read again from its text, exactly (reread_doubles):
    //   Boost.JSON 1.81's own conversion can be a unit in the last place off ("125551911333299.99"
    //   read as 125551911333300, an integer; gcx's own shortest text of a double read back as
    //   another), where nlohmann/json reads the nearest double;
    // - a number beyond a double's range is refused (Boost.JSON makes it an infinity; nlohmann:
    //   "number overflow"), and a NaN (Boost.JSON 1.81 reads "0e999" so) becomes the zero it is;
    // - an object with more than max_object_members members as written (duplicate keys counted,
    //   as nlohmann's parse counts them; Boost.JSON keeps the last of each) is refused.
    // nullptr when the value is read as it should be, else why it is refused. A text without a
    // double is walked once (no heap for a small one); one with a double is scanned once more.
    static const char* refused(value& v, std::string_view text) {
        bool doubles = false;
        if (const char* why = walk(v, doubles, false)) return why;
        // Each member takes 5 bytes at least ("":0,): a shorter text holds no object too large.
        if (text.size() > 5 * max_object_members && !members_within_limit(text))
            return "an object with too many members";
        if (!doubles) return nullptr;
        reread_doubles(v, text);
        return walk(v, doubles, true);
    }

    // One walk of `v` (its own stack): an object with more than max_object_members members is
    // refused; `doubles` says whether it holds a double; with `finish`, an infinite double is
    // refused and a NaN becomes 0.
    static const char* walk(value& v, bool& doubles, bool finish) {
        value* inline_stack[32];  // the containers to look into: no heap for a small answer
        std::vector<value*> more;
        std::size_t n = 0;
        const auto push = [&](value& x) {
            if (!x.is_structured() && !x.is_double()) return;
            if (n < 32) inline_stack[n] = &x;
            else more.push_back(&x);
            ++n;
        };
        push(v);
        while (n > 0) {
            value& x = n > 32 ? *more.back() : *inline_stack[n - 1];
            if (n-- > 32) more.pop_back();
            if (auto* d = x.if_double()) {
                doubles = true;
                if (!finish) continue;
                if (std::isinf(*d)) return "a number beyond the range of a double";
                if (std::isnan(*d)) *d = 0.0;  // (its sign is not known: the NaN's is not the text's)
            } else if (auto* a = x.if_array()) {
                for (auto& e : *a) push(e);
            } else if (auto* o = x.if_object()) {
                if (o->size() > max_object_members) return "an object with too many members";
                for (auto& kv : *o) push(kv.value());
            }
        }
        return nullptr;
    }

    // Whether every object of `text` (parsed by Boost.JSON, so well formed) has at most
    // max_object_members members as written.
    static bool members_within_limit(std::string_view text) {
        constexpr std::size_t array = static_cast<std::size_t>(-1);
        std::vector<std::size_t> members;  // of each open container (`array`: not an object)
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == '{' || c == '[') {
                members.push_back(c == '{' ? 0 : array);
                ++i;
            } else if (c == '}' || c == ']') {
                if (!members.empty()) members.pop_back();
                ++i;
            } else if (c == '"') {
                i = string_end(text, i);
                std::size_t j = i;
                while (j < text.size() && is_space(text[j])) ++j;
                if (j < text.size() && text[j] == ':' && !members.empty() && members.back() != array &&
                    ++members.back() > max_object_members)
                    return false;
            } else {
                ++i;
            }
        }
        return true;
    }

    static bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    // One past the closing quote of the string opening at text[i].
    static std::size_t string_end(std::string_view text, std::size_t i) noexcept {
        for (++i; i < text.size() && text[i] != '"'; ++i)
            if (text[i] == '\\') ++i;
        return i + 1;
    }

    // Reads `text` (parsed by Boost.JSON into `v`, so well formed) again, following it in `v` by
    // key and index, and sets each double of `v` to the nearest double of its number's text
    // (std::from_chars). Members are found by key, in text order, so with a duplicate key the last
    // one's number is the one kept, as Boost.JSON keeps its value; a key with an escape is not
    // followed (its value keeps Boost.JSON's reading). Without a floating-point std::from_chars
    // (libc++ before 17, libstdc++ before 11) nothing is changed.
    static void reread_doubles(value& v, std::string_view text) {
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
        struct frame {
            value* container;  // nullptr: this part of the text is not in `v` (a dropped duplicate)
            std::size_t index;
        };
        frame inline_frames[32];
        std::vector<frame> more;
        std::size_t depth = 0;
        const auto top = [&]() -> frame& { return depth <= 32 ? inline_frames[depth - 1] : more.back(); };
        std::string_view key;
        bool key_usable = false;
        const auto next_target = [&]() -> value* {  // the place of the value that follows
            if (depth == 0) return nullptr;
            frame& f = top();
            if (!f.container) return nullptr;
            if (auto* a = f.container->if_array()) return f.index < a->size() ? &(*a)[f.index++] : nullptr;
            if (auto* o = f.container->if_object()) return key_usable ? o->if_contains(key) : nullptr;
            return nullptr;
        };
        bool first = true;
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            if (c == '{' || c == '[') {
                value* at = first ? &v : next_target();
                first = false;
                if (at && !(c == '{' ? at->is_object() : at->is_array())) at = nullptr;
                if (depth < 32) inline_frames[depth] = {at, 0};
                else more.push_back({at, 0});
                ++depth;
                ++i;
            } else if (c == '}' || c == ']') {
                if (depth > 32) more.pop_back();
                if (depth > 0) --depth;
                ++i;
            } else if (c == '"') {
                const std::size_t end = string_end(text, i);
                std::size_t j = end;
                while (j < text.size() && is_space(text[j])) ++j;
                if (j < text.size() && text[j] == ':') {  // a key: the member that follows
                    key = text.substr(i + 1, end - i - 2);
                    key_usable = key.find('\\') == std::string_view::npos;
                } else if (!first) {
                    (void)next_target();  // a string value: its place in an array is taken
                }
                first = false;
                i = end;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                std::size_t j = i;
                while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '-' || text[j] == '+' ||
                                           text[j] == '.' || text[j] == 'e' || text[j] == 'E'))
                    ++j;
                value* at = first ? &v : next_target();
                first = false;
                if (double* d = at ? at->if_double() : nullptr) {
                    double x = 0;
                    const auto r = std::from_chars(text.data() + i, text.data() + j, x);
                    if (r.ec == std::errc() && r.ptr == text.data() + j) *d = x;  // out of range: Boost.JSON's
                }
                i = j;
            } else if (c == 't' || c == 'f' || c == 'n') {  // true, false, null
                if (!first) (void)next_target();
                first = false;
                while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
            } else {
                ++i;  // white space, ':', ','
            }
        }
#else
        (void)v;
        (void)text;
#endif
    }
    static error refused_error(const char* why) {
        error e = make_error(errc::protocol, std::string("malformed JSON: ") + why);
        e.code = std::string(codes::json);
        return e;
    }

    static error parse_error(const boost::system::error_code& ec) {
        error e = make_error(errc::protocol, "malformed JSON: " + ec.message());
        e.code = std::string(codes::json);
        return e;
    }
};

}  // namespace json
GCX_NAMESPACE_END

#endif
