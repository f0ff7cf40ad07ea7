// The JSON backend concept (gcx/json/backend.hpp), checked the same way on every backend:
// Boost.JSON, nlohmann::json and nlohmann::ordered_json.

#include <gcx/json/boost_json.hpp>
#include <gcx/raw_json.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_json_backends {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann, gcx::json::nlohmann_ordered
#endif
                            >;

using gcx::json::kind;

namespace {
template <class J>
typename J::value parse(std::string_view text) {
    auto v = J::parse(text, gcx::json::default_max_depth);
    REQUIRE(v.has_value());
    return std::move(*v);
}

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEMPLATE_LIST_TEST_CASE("backends report integers that fit int64 as integer, larger ones as uint", "[json]", backends) {
    using J = TestType;
    const auto v = parse<J>(R"([0, 1, -1, 9223372036854775807, -9223372036854775808, 9223372036854775808,
                                18446744073709551615, 1.5, 2.0])");
    std::vector<kind> kinds;
    J::for_each_element(v, [&](const typename J::value& e) {
        kinds.push_back(J::kind_of(e));
        return true;
    });
    CHECK(kinds == std::vector<kind>{kind::integer, kind::integer, kind::integer, kind::integer, kind::integer,
                                     kind::uint, kind::uint, kind::number, kind::number});

    CHECK(J::get_int(parse<J>("9223372036854775807")) == std::numeric_limits<std::int64_t>::max());
    CHECK(J::get_int(parse<J>("-9223372036854775808")) == std::numeric_limits<std::int64_t>::min());
    CHECK(J::get_uint(parse<J>("18446744073709551615")) == std::numeric_limits<std::uint64_t>::max());
    CHECK(J::get_uint(parse<J>("7")) == 7u);
    CHECK(J::get_double(parse<J>("2.5")) == 2.5);

    CHECK(J::kind_of(J::make_uint(5)) == kind::integer);
    CHECK(J::kind_of(J::make_uint(std::numeric_limits<std::uint64_t>::max())) == kind::uint);
    CHECK(J::kind_of(J::make_int(-5)) == kind::integer);
    CHECK(J::get_int(J::make_uint(5)) == 5);
}

TEMPLATE_LIST_TEST_CASE("backends parse without throwing and refuse malformed text", "[json]", backends) {
    using J = TestType;
    for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "[1] trailing", "{'a': 1}",
                            "// comment\n1", "\"\xff\xfe\""}) {
        INFO(bad);
        auto r = J::parse(bad, gcx::json::default_max_depth);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == gcx::errc::protocol);
        CHECK(r.error().code == "json");
    }
    // A NUL byte ends nlohmann's input, and it skips a byte-order mark: "{}" would have parsed.
    using namespace std::string_view_literals;
    for (std::string_view bad : {"{}\0garbage"sv, "\xEF\xBB\xBF{}"sv, "[1,\0 2]"sv}) {
        auto r = J::parse(bad, gcx::json::default_max_depth);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == gcx::errc::protocol);
    }
}

TEMPLATE_LIST_TEST_CASE("backends agree on the nesting limit", "[json]", backends) {
    using J = TestType;
    CHECK(J::parse(nested_arrays(5), 5).has_value());
    CHECK_FALSE(J::parse(nested_arrays(6), 5).has_value());
    CHECK(J::parse(R"({"a":{"b":[1]}})", 3).has_value());
    CHECK_FALSE(J::parse(R"({"a":{"b":[1]}})", 2).has_value());
    CHECK(J::parse("1", 0).has_value());  // scalars have no nesting

    auto hostile = J::parse(nested_arrays(100000), gcx::json::default_max_depth);
    REQUIRE_FALSE(hostile.has_value());
    CHECK(hostile.error().kind == gcx::errc::protocol);
}

TEMPLATE_LIST_TEST_CASE("backends find members and stop walks early", "[json]", backends) {
    using J = TestType;
    const auto v = parse<J>(R"({"a": 1, "b": "two", "c": [1, 2, 3], "d": null})");
    CHECK(J::kind_of(v) == kind::object);
    CHECK(J::size(v) == 4);
    REQUIRE(J::find(v, "b") != nullptr);
    CHECK(J::get_string(*J::find(v, "b")) == "two");
    CHECK(J::kind_of(*J::find(v, "d")) == kind::null);
    CHECK(J::find(v, "missing") == nullptr);
    CHECK(J::find(*J::find(v, "c"), "a") == nullptr);  // not an object
    const std::string key = "abc";
    CHECK(J::find(v, std::string_view(key).substr(0, 1)) != nullptr);  // a view that is not NUL-terminated

    int seen = 0;
    CHECK_FALSE(J::for_each_member(v, [&](std::string_view, const typename J::value&) { return ++seen < 2; }));
    CHECK(seen == 2);
    std::vector<std::int64_t> elements;
    CHECK(J::for_each_element(*J::find(v, "c"), [&](const typename J::value& e) {
        elements.push_back(J::get_int(e));
        return true;
    }));
    CHECK(elements == std::vector<std::int64_t>{1, 2, 3});
    CHECK(J::size(*J::find(v, "c")) == 3);
    CHECK(J::size(*J::find(v, "a")) == 0);
    // Walking a non-container visits nothing.
    CHECK(J::for_each_element(v, [](const typename J::value&) { return false; }));
}

TEMPLATE_LIST_TEST_CASE("backends build values and serialize them compactly", "[json]", backends) {
    using J = TestType;
    auto o = J::make_object();
    J::set(o, "s", J::make_string("h\"i\n"));
    J::set(o, "n", J::make_null());
    J::set(o, "s", J::make_string("replaced"));
    auto a = J::make_array();
    J::push_back(a, J::make_bool(true));
    J::push_back(a, J::make_int(-3));
    J::push_back(a, J::make_double(0.5));
    J::set(o, "a", a);
    const std::string text = J::serialize(o);
    CHECK(J::parse(text, gcx::json::default_max_depth).has_value());
    CHECK(parse<J>(text) == o);
    CHECK(J::size(o) == 3);
    CHECK(J::get_string(*J::find(o, "s")) == "replaced");
    CHECK(J::serialize(a) == "[true,-3,0.5]");
    CHECK(parse<J>(J::serialize(a)) == a);
    CHECK(J::serialize(J::make_string("h\"i\n")) == R"("h\"i\n")");
    CHECK(gcx::json::get_string_or<J>(o, "s") == "replaced");
    CHECK(gcx::json::get_int_or<J>(o, "missing", 9) == 9);
}

TEMPLATE_LIST_TEST_CASE("backends write non-finite numbers as null, at any depth", "[json]", backends) {
    using J = TestType;
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(J::serialize(J::make_double(inf)) == "null");
    CHECK(J::serialize(J::make_double(std::numeric_limits<double>::quiet_NaN())) == "null");

    auto inner = J::make_array();
    J::push_back(inner, J::make_double(-inf));
    J::push_back(inner, J::make_int(1));
    auto o = J::make_object();
    J::set(o, "flat", J::make_double(inf));
    J::set(o, "nested", inner);
    J::set(o, "s", J::make_string("x"));
    const auto back = parse<J>(J::serialize(o));
    CHECK(J::kind_of(*J::find(back, "flat")) == kind::null);
    CHECK(J::serialize(*J::find(back, "nested")) == "[null,1]");
    CHECK(J::get_string(*J::find(back, "s")) == "x");
    // The value itself is left as it was.
    CHECK(J::get_double(*J::find(o, "flat")) == inf);
    // Finite values, flat or nested, are written as they are.
    CHECK(J::serialize(parse<J>(R"({"a":{"b":[true,"c"]}})")) == R"({"a":{"b":[true,"c"]}})");
}

TEMPLATE_LIST_TEST_CASE("parse_temporary parses as J::parse does", "[json]", backends) {
    using J = TestType;
    // What f sees for `text`: the serialized value, or the error's kind, code and message.
    auto seen = [](std::string_view text, std::size_t depth) {
        return gcx::json::parse_temporary<J>(text, depth, [](const gcx::result<typename J::value>& r) {
            if (r) return "value " + J::serialize(*r);
            return "error " + std::string(gcx::to_string(r.error().kind)) + " " + r.error().code + " " +
                   r.error().message;
        });
    };
    auto expected = [](std::string_view text, std::size_t depth) {
        auto r = J::parse(text, depth);
        if (r) return "value " + J::serialize(*r);
        return "error " + std::string(gcx::to_string(r.error().kind)) + " " + r.error().code + " " + r.error().message;
    };
    // A document larger than the backend's scratch memory too.
    std::string big = "[";
    for (int i = 0; i < 500; ++i)
        big += (i ? "," : "") + std::string(R"({"key":"a string longer than any small-string buffer"})");
    big += "]";
    for (const std::string& text :
         {std::string(R"({"customerId":"CRM-1","openCases":2,"tags":["a","b"]})"), std::string("[]"),
          std::string("1.5"), std::string("\"s\""), big, std::string(""), std::string("{"), std::string("[1] trailing"),
          std::string("{\"a\" 1}"), nested_arrays(6)}) {
        INFO(text.substr(0, 60));
        CHECK(seen(text, 5) == expected(text, 5));
        CHECK(seen(text, gcx::json::default_max_depth) == expected(text, gcx::json::default_max_depth));
    }
    CHECK(seen(nested_arrays(100000), gcx::json::default_max_depth) ==
          expected(nested_arrays(100000), gcx::json::default_max_depth));
}

TEMPLATE_LIST_TEST_CASE("every backend refuses a number beyond a double's range, and reads 0e999", "[json]", backends) {
    using J = TestType;
    // Boost.JSON reads these as infinities, nlohmann/json refuses them ("number overflow"): a poll
    // answer holding one completed with one backend and was unreadable with the other.
    for (const char* text : {R"({"status":"COMPLETED","outputData":{"Flow.Score":1e400}})", "[1.7976931348623159e308]",
                             "[-1E999]", R"({"a":[{"b":[2e308]}]})"}) {
        INFO(text);
        const auto v = J::parse(text, gcx::json::default_max_depth);
        REQUIRE_FALSE(v.has_value());
        CHECK(v.error().kind == gcx::errc::protocol);
        CHECK(v.error().code == gcx::codes::json);
        CHECK(gcx::json::parse_temporary<J>(text, gcx::json::default_max_depth,
                                            [](const gcx::result<typename J::value>& r) { return !r.has_value(); }));
    }
    CHECK(J::parse("[1.7976931348623157e308, 0e999, 1e-400]", gcx::json::default_max_depth).has_value());
    // A zero with a huge exponent is a zero in every backend (Boost.JSON 1.81 reads a NaN; its
    // sign is lost there: "-0E999" is 0.0, -0.0 with nlohmann).
    for (const char* text : {"[0e999]", "[-0E999]", "[0.0e400]"}) {
        INFO(text);
        const auto v = J::parse(text, gcx::json::default_max_depth);
        REQUIRE(v.has_value());
        const std::string s = J::serialize(*v);
        CHECK((s == "[0.0]" || s == "[-0.0]"));  // before: "[null]" with Boost.JSON
    }
}

TEMPLATE_LIST_TEST_CASE("every backend refuses an object of more than max_object_members members", "[json]", backends) {
    using J = TestType;
    // nlohmann::ordered_json inserts each key by a search through the keys before it: an object of
    // 60,000 keys took seconds to parse. Every backend takes 10,000 and refuses one more.
    const auto object = [](std::size_t n) {
        std::string text = R"({"outer":[{)";
        for (std::size_t i = 0; i < n; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
        return text + "}]}";
    };
    CHECK(J::parse(object(gcx::json::max_object_members), gcx::json::default_max_depth).has_value());
    const auto v = J::parse(object(gcx::json::max_object_members + 1), gcx::json::default_max_depth);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message == "malformed JSON: an object with too many members");
    // Members of different objects, and elements of arrays, are not added up: two objects of
    // more than half the limit each (not three of the limit: the nlohmann backend's cost grows
    // with the square of an object's size, and this case was the suite's slowest under ASan).
    const std::string half = object(gcx::json::max_object_members / 2 + 1);
    CHECK(J::parse("[" + half + "," + half + "]", gcx::json::default_max_depth).has_value());
}

TEMPLATE_LIST_TEST_CASE("duplicate keys count toward an object's members as written, on every backend", "[json]",
                        backends) {
    using J = TestType;
    // Before: Boost.JSON counted the members it kept (one per key), nlohmann those it read.
    std::string text = "{";
    for (std::size_t i = 0; i <= gcx::json::max_object_members; ++i) text += i ? ",\"a\":1" : "\"a\":1";
    const auto v = J::parse(text + "}", gcx::json::default_max_depth);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().message == "malformed JSON: an object with too many members");
    CHECK(J::parse(R"({"a":1,"a":2})", gcx::json::default_max_depth).has_value());
}

TEMPLATE_LIST_TEST_CASE("a number with a fraction or an exponent is read as the nearest double, on every backend",
                        "[json]", backends) {
    using J = TestType;
    // Boost.JSON 1.81 converts some of them a unit in the last place off: 125551911333299.99 read as
    // the integral 125551911333300 (then mapped into an integer member), and a double's own
    // shortest text read back as another double. Each expected value is strtod's.
    for (const char* text : {"125551911333299.99", "4503599627370495.5", "1.0488098043372955e+15", "534040945631633.00",
                             "0.1", "2.2250738585072014e-308", "1.7976931348623157e308", "-9223372036854775809",
                             "18446744073709551616", "9007199254740993.0"}) {
        INFO(text);
        const auto v = J::parse(std::string("[") + text + "]", gcx::json::default_max_depth);
        REQUIRE(v.has_value());
        bool checked = false;
        J::for_each_element(*v, [&](const typename J::value& x) {
            REQUIRE(J::kind_of(x) == kind::number);
            CHECK(J::get_double(x) == std::strtod(text, nullptr));
            checked = true;
            return true;
        });
        CHECK(checked);
    }
    // 1.7976931348623158e308 rounds to the largest double (before, Boost.JSON: an infinity, refused).
    const auto max = J::parse("[1.7976931348623158e308]", gcx::json::default_max_depth);
    REQUIRE(max.has_value());
    // With duplicate keys the last one's number is kept, read exactly, and the others' too, as
    // nlohmann reads them (Boost.JSON keeps the first's place with the last's value).
    const auto dup =
        J::parse(R"({"a":0.5,"a":125551911333299.99,"b":[4503599627370495.5]})", gcx::json::default_max_depth);
    REQUIRE(dup.has_value());
    CHECK(J::get_double(*J::find(*dup, "a")) == 125551911333299.99);
    const auto close = J::parse(R"({"a":1.00000000001,"a":1.00000000002})", gcx::json::default_max_depth);
    REQUIRE(close.has_value());
    CHECK(J::get_double(*J::find(*close, "a")) == 1.00000000002);
    const auto moved =
        J::parse(R"({"a":1.5,"b":125551911333299.99,"a":2.5,"c":{"x":[1,"s",0.1]}})", gcx::json::default_max_depth);
    REQUIRE(moved.has_value());
    CHECK(J::get_double(*J::find(*moved, "a")) == 2.5);
    CHECK(J::get_double(*J::find(*moved, "b")) == 125551911333299.99);
    const auto nested =
        J::parse(R"({"s":"1.5\"2.5","a":{"q\"k":0.3,"y":[4503599627370495.5]},"a":{"y":[true,125551911333299.99]}})",
                 gcx::json::default_max_depth);
    REQUIRE(nested.has_value());
    std::vector<double> ys;
    J::for_each_element(*J::find(*J::find(*nested, "a"), "y"), [&](const typename J::value& x) {
        if (J::kind_of(x) == kind::number) ys.push_back(J::get_double(x));
        return true;
    });
    CHECK(ys == std::vector<double>{125551911333299.99});
    // A random sample: every double's shortest text reads back as that double (before, Boost.JSON:
    // about 1 in 8 of these did not).
    std::uint64_t state = 0x9e3779b97f4a7c15u;
    int off = 0;
    for (int i = 0; i < 2000; ++i) {
        state = state * 6364136223846793005u + 1442695040888963407u;
        const double x = static_cast<double>(state >> 12) / 1024.0;
        std::string out;
        gcx::json::append_double(out, x);
        const auto back = J::parse(out, gcx::json::default_max_depth);
        REQUIRE(back.has_value());
        if (J::kind_of(*back) != kind::number || J::get_double(*back) != x) ++off;
    }
    CHECK(off == 0);
}

TEMPLATE_LIST_TEST_CASE("a string that is not UTF-8 is written with U+FFFD, as text every backend reads back", "[json]",
                        backends) {
    using J = TestType;
    struct sample {
        const char* in;
        const char* out;
    } samples[] = {
        {"Jos\xe9", "\"Jos\xEF\xBF\xBD\""},                            // Latin-1
        {"\xe2\x82", "\"\xEF\xBF\xBD\""},                              // a cut character: one U+FFFD
        {"\xe2\x82x", "\"\xEF\xBF\xBDx\""},                            // the byte after it is read again
        {"\xc0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},                  // an overlong NUL: two
        {"\xed\xa0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},  // a surrogate: three
        {"\xf4\x90\x80\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},  // past U+10FFFF
        {"\xf0\x9f\x98\x80 caf\xc3\xa9", "\"\xf0\x9f\x98\x80 caf\xc3\xa9\""},          // well-formed: as it is
    };
    for (const auto& x : samples) {
        INFO(x.in);
        auto object = J::make_object();
        J::set(object, x.in, J::make_string(x.in));
        const std::string text = J::serialize(object);
        CHECK(text == "{" + std::string(x.out) + ":" + x.out + "}");
        CHECK(J::parse(text, gcx::json::default_max_depth).has_value());
    }
}

#if GCX_TEST_NLOHMANN
TEST_CASE("invalid UTF-8 is replaced exactly as nlohmann/json's replace handler replaces it", "[json]") {
    // Random byte strings biased towards UTF-8 lead and continuation bytes, against
    // nlohmann::json::dump with error_handler_t::replace itself.
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    const unsigned char pool[] = {'a',  '"',  '\\', 0x01, 0x1f, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                  0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff};
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        for (std::size_t n = next() % 9; n > 0; --n) s += static_cast<char>(pool[next() % sizeof pool]);
        const ::nlohmann::json v(s);
        const std::string expected = v.dump(-1, ' ', false, ::nlohmann::json::error_handler_t::replace);
        INFO("round " << round);
        REQUIRE(gcx::json::nlohmann::serialize(v) == expected);
        REQUIRE(gcx::json::boost_json::serialize(boost::json::value(s)) == expected);
    }
}
#endif

TEST_CASE("boost_json writes the same text as boost::json::serialize, except doubles", "[json]") {
    using J = gcx::json::boost_json;
    namespace bj = boost::json;
    // Every byte value inside a string: escapes (control characters, quote, backslash) are
    // Boost.JSON's own, DEL passes through; a lone byte from 0x80 up is not UTF-8, and is written
    // U+FFFD (Boost.JSON writes it as it is: text no parser takes).
    for (int c = 1; c < 256; ++c) {
        std::string s = "a";
        s += static_cast<char>(c);
        s += "b";
        const bj::value v(s);
        INFO("byte " << c);
        const std::string expected = c < 0x80 ? bj::serialize(v)
                                              : "\"a\xEF\xBF\xBD"
                                                "b\"";
        CHECK(J::serialize(v) == expected);
        std::string out = "x";
        J::serialize_to(out, std::string_view(s));
        CHECK(out == "x" + expected);
    }
    CHECK(J::serialize(bj::value(std::string("nul\0inside", 10))) ==
          bj::serialize(bj::value(std::string("nul\0inside", 10))));
    // Documents without doubles: byte for byte Boost.JSON's text.
    const char* docs[] = {
        R"({})",
        R"([])",
        R"("")",
        R"(null)",
        R"(true)",
        R"(false)",
        R"(0)",
        R"(-0)",
        R"(9223372036854775807)",
        R"(-9223372036854775808)",
        R"(18446744073709551615)",
        R"({"a":{"b":[true,"c",{"d":[]},{}],"e":-7,"f":15},"g\n":"caf\u00e9 \u2603","h":[[[[null]]]]})",
        R"({"Flow.Found":true,"Flow.MatchCount":1,"Flow.Profile":"{\"x\":1}","Flow.Tags":["a","b"]})",
    };
    for (const char* d : docs) {
        INFO(d);
        const auto v = bj::parse(d);
        CHECK(J::serialize(v) == bj::serialize(v));
        std::string out = "[";
        J::serialize_to(out, v);
        CHECK(out == "[" + bj::serialize(v));
    }
    // Doubles: where Boost.JSON 1.81 writes 5E-1, -1.25E-300 and 1.5E0, the shortest decimal form.
    const std::pair<const char*, const char*> with_doubles[] = {
        {R"(0.5)", "0.5"},
        {R"(-1.25e-300)", "-1.25e-300"},
        {R"(1E400)", "null"},
        {R"({"a":{"b":[true,"c",{"d":[]},{}],"e":-7,"f":1.5}})",
         R"({"a":{"b":[true,"c",{"d":[]},{}],"e":-7,"f":1.5}})"},
    };
    for (const auto& [d, text] : with_doubles) {
        INFO(d);
        const auto v = bj::parse(d);
        CHECK(J::serialize(v) == text);
        std::string out = "[";
        J::serialize_to(out, v);
        CHECK(out == "[" + std::string(text));
    }
    // Nested deeper than a parse allows (built in code): the same text, an infinity written as null.
    bj::value deep = bj::array{"x"};
    for (int i = 0; i < 200; ++i) deep = bj::array{deep, i};
    CHECK(J::serialize(deep) == bj::serialize(deep));
    deep = bj::array{deep, std::numeric_limits<double>::infinity()};
    bj::value expected = deep;
    expected.as_array().back() = nullptr;
    CHECK(J::serialize(deep) == bj::serialize(expected));
    bj::value deep_object = bj::object{{"x", std::numeric_limits<double>::infinity()}, {"y", 1.5}};
    for (int i = 0; i < 100; ++i) deep_object = bj::object{{"k", deep_object}, {"n", i}};
    const std::string deep_text = J::serialize(deep_object);
    CHECK(deep_text.find("{\"x\":null,\"y\":1.5}") != std::string::npos);
    CHECK(J::serialize(*J::parse(deep_text, 200)) == deep_text);
}

namespace {
/// Doubles whose shortest round-trip digits nlohmann/json's own Grisu2 misses by a digit
/// (it writes -3.5561693938148423e-26, 1.2381497353139133e+15, 5.0283511171145743e+132).
/// Chosen among those Boost.JSON 1.81 also *reads* exactly: its parser is not correctly rounded
/// (it reads 6.137688561080735e-109 one unit in the last place off), so a document with such a
/// number parses to different doubles in the two backends, whatever they write.
const double grisu_misses[] = {-3.556169393814842e-26, 1.2381497353139132e+15, 5.028351117114574e+132};
}  // namespace

TEMPLATE_LIST_TEST_CASE("backends write doubles as the shortest text that reads back, integers as integers", "[json]",
                        backends) {
    using J = TestType;
    const std::pair<double, const char*> cases[] = {
        {97.5, "97.5"},
        {0.1, "0.1"},
        {1e300, "1e+300"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-1.7976931348623157e308, "-1.7976931348623157e+308"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"},
        {3.0, "3.0"},
        {-42.0, "-42.0"},
        {123456789012345.0, "123456789012345.0"},
        {1e15, "1e+15"},
        {1e-4, "0.0001"},
        {1e-5, "1e-05"},
        {-2.5e-7, "-2.5e-07"},
        {0.30000000000000004, "0.30000000000000004"},
        {grisu_misses[0], "-3.556169393814842e-26"},
        {grisu_misses[1], "1.2381497353139132e+15"},
        {grisu_misses[2], "5.028351117114574e+132"},
    };
    for (const auto& [x, text] : cases) {
        INFO(text);
        CHECK(J::serialize(J::make_double(x)) == text);
        auto a = J::make_array();
        J::push_back(a, J::make_double(x));
        CHECK(J::serialize(a) == "[" + std::string(text) + "]");
        // The text reads back as the same double, and writes again as the same text.
        const auto back = parse<J>(text);
        REQUIRE(J::kind_of(back) == kind::number);
        CHECK(J::get_double(back) == x);
        CHECK(std::signbit(J::get_double(back)) == std::signbit(x));
        CHECK(gcx::raw_json::from<J>(back).text == text);
    }
    CHECK(J::serialize(J::make_int(42)) == "42");
    CHECK(J::serialize(J::make_int(INT64_MIN)) == "-9223372036854775808");
    CHECK(J::serialize(J::make_uint(UINT64_MAX)) == "18446744073709551615");
    const std::string ints = "[0,-1,42,9223372036854775807,-9223372036854775808,18446744073709551615]";
    CHECK(J::serialize(parse<J>(ints)) == ints);
    // raw_json keeps a flow output's number as the flow wrote it, when that was the short form.
    const std::string raw = gcx::raw_json::from<J>(parse<J>(R"({"balance":97.5,"visits":12,"score":9.75E1})")).text;
    CHECK(raw.find(R"("balance":97.5)") != std::string::npos);
    CHECK(raw.find(R"("visits":12)") != std::string::npos);
    CHECK(raw.find(R"("score":97.5)") != std::string::npos);
}

#if GCX_TEST_NLOHMANN
TEST_CASE("Boost.JSON and nlohmann backends write byte-identical text for the same documents", "[json]") {
    using B = gcx::json::boost_json;
    using N = gcx::json::nlohmann;
    using O = gcx::json::nlohmann_ordered;
    // Keys in sorted order, so that nlohmann::json (which sorts them) keeps the document's order.
    const std::string docs[] = {
        R"({"a":97.5,"b":0.1,"c":1e300,"d":-0.0,"e":5e-324,"f":1.7976931348623157e308,"g":3,"h":3.0})",
        R"([-3.556169393814842e-26,1.2381497353139132e+15,5.028351117114574e+132,1E-5,0.0001,-2.5e-07])",
        R"({"Flow.ContactId":"8a7f","Flow.Found":true,"Flow.MatchCount":1,"Flow.Profile":"{\"x\":1.5}"})",
        R"({"a":{"b":[true,false,null,"c",{"d":[]},{}],"e":-7,"f":[[[1.25e-300]]]},"g\n":"caf\u00e9 \u2603\u0001\"\\"})",
        R"([0,-1,9223372036854775807,-9223372036854775808,18446744073709551615,12345678901234567890.5])",
        R"("just a string")",
        R"(2.5)",
        R"([])",
        R"({})",
    };
    for (const auto& d : docs) {
        INFO(d);
        const std::string text = B::serialize(parse<B>(d));
        CHECK(N::serialize(parse<N>(d)) == text);
        CHECK(O::serialize(parse<O>(d)) == text);
        // The text is stable: parsing it back and writing it again gives the same bytes.
        CHECK(B::serialize(parse<B>(text)) == text);
        CHECK(N::serialize(parse<N>(text)) == text);
    }
    // Documents in any key order: nlohmann::ordered_json keeps it, like Boost.JSON.
    const std::string unordered = R"({"z":1.5,"y":{"b":2,"a":[0.1,"x"]},"x":-0.0})";
    CHECK(O::serialize(parse<O>(unordered)) == B::serialize(parse<B>(unordered)));
    CHECK(B::serialize(parse<B>(unordered)) == R"({"z":1.5,"y":{"b":2,"a":[0.1,"x"]},"x":-0.0})");

    // Doubles from every part of the range (bit patterns from a fixed generator): the same text
    // from both backends, and it reads back as the same double.
    std::uint64_t bits = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; ++i) {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        double x;
        std::memcpy(&x, &bits, sizeof x);
        const std::string text = B::serialize(B::make_double(x));
        INFO(text);
        REQUIRE(N::serialize(N::make_double(x)) == text);
        if (std::isfinite(x)) REQUIRE(std::strtod(text.c_str(), nullptr) == x);
        else REQUIRE(text == "null");
    }
}
#endif

#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
TEST_CASE("without std::to_chars for doubles, the snprintf search finds the same shortest digits", "[json]") {
    namespace nd = gcx::json::number_detail;
    std::uint64_t bits = 0x2545F4914F6CDD1Du;
    std::vector<double> values = {97.5, 0.1, 1e300, 5e-324, 1.7976931348623157e308, 3.0, 1e23, 9007199254740993.0};
    values.insert(values.end(), std::begin(grisu_misses), std::end(grisu_misses));
    for (int i = 0; i < 20000; ++i) {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        double x;
        std::memcpy(&x, &bits, sizeof x);
        if (std::isfinite(x) && x != 0) values.push_back(std::fabs(x));
    }
    for (double x : values) {
        char a[24], b[24];
        int ea = 0, eb = 0;
        const int ka = nd::shortest_digits(x, a, ea);
        const int kb = nd::shortest_digits_printf(x, b, eb);
        INFO(std::string(a, static_cast<std::size_t>(ka))
             << "e" << ea << " vs " << std::string(b, static_cast<std::size_t>(kb)) << "e" << eb);
        REQUIRE(ka == kb);
        REQUIRE(ea == eb);
        REQUIRE(std::string(a, static_cast<std::size_t>(ka)) == std::string(b, static_cast<std::size_t>(kb)));
    }
}
#endif

}  // namespace unit_json_backends
