// The JSON backend concept (gcx/json/backend.hpp), checked the same way on every backend:
// Boost.JSON, nlohmann::json and nlohmann::ordered_json.

#include <gcx/json/boost_json.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

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

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}
} // namespace

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
}

TEMPLATE_LIST_TEST_CASE("backends agree on the nesting limit", "[json]", backends) {
    using J = TestType;
    CHECK(J::parse(nested_arrays(5), 5).has_value());
    CHECK_FALSE(J::parse(nested_arrays(6), 5).has_value());
    CHECK(J::parse(R"({"a":{"b":[1]}})", 3).has_value());
    CHECK_FALSE(J::parse(R"({"a":{"b":[1]}})", 2).has_value());
    CHECK(J::parse("1", 0).has_value()); // scalars have no nesting

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
    CHECK(J::find(*J::find(v, "c"), "a") == nullptr); // not an object
    const std::string key = "abc";
    CHECK(J::find(v, std::string_view(key).substr(0, 1)) != nullptr); // a view that is not NUL-terminated

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
    // Boost.JSON writes 0.5 as 5E-1: compare doubles by value, not by text.
    CHECK_THAT(J::serialize(a), Catch::StartsWith("[true,-3,"));
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
    for (int i = 0; i < 500; ++i) big += (i ? "," : "") + std::string(R"({"key":"a string longer than any small-string buffer"})");
    big += "]";
    for (const std::string& text : {std::string(R"({"customerId":"CRM-1","openCases":2,"tags":["a","b"]})"), std::string("[]"),
                                   std::string("1.5"), std::string("\"s\""), big, std::string(""), std::string("{"),
                                   std::string("[1] trailing"), std::string("{\"a\" 1}"), nested_arrays(6)}) {
        INFO(text.substr(0, 60));
        CHECK(seen(text, 5) == expected(text, 5));
        CHECK(seen(text, gcx::json::default_max_depth) == expected(text, gcx::json::default_max_depth));
    }
    CHECK(seen(nested_arrays(100000), gcx::json::default_max_depth) ==
          expected(nested_arrays(100000), gcx::json::default_max_depth));
}

TEST_CASE("boost_json writes the same text as boost::json::serialize, except non-finite numbers", "[json]") {
    using J = gcx::json::boost_json;
    namespace bj = boost::json;
    // Every byte value inside a string: escapes (control characters, quote, backslash) are
    // Boost.JSON's own, everything else (DEL, UTF-8, invalid UTF-8) passes through.
    for (int c = 1; c < 256; ++c) {
        std::string s = "a";
        s += static_cast<char>(c);
        s += "b";
        const bj::value v(s);
        INFO("byte " << c);
        CHECK(J::serialize(v) == bj::serialize(v));
        std::string out = "x";
        J::serialize_to(out, std::string_view(s));
        CHECK(out == "x" + bj::serialize(v));
    }
    CHECK(J::serialize(bj::value(std::string("nul\0inside", 10))) == bj::serialize(bj::value(std::string("nul\0inside", 10))));
    const char* docs[] = {
        R"({})", R"([])", R"("")", R"(null)", R"(true)", R"(false)", R"(0)", R"(-0)", R"(0.5)", R"(-1.25e-300)",
        R"(1E400)", R"(9223372036854775807)", R"(-9223372036854775808)", R"(18446744073709551615)",
        R"({"a":{"b":[true,"c",{"d":[]},{}],"e":-7,"f":1.5},"g\n":"caf\u00e9 \u2603","h":[[[[null]]]]})",
        R"({"Flow.Found":true,"Flow.MatchCount":1,"Flow.Profile":"{\"x\":1}","Flow.Tags":["a","b"]})",
    };
    for (const char* d : docs) {
        INFO(d);
        const auto v = bj::parse(d);
        if (v.is_double() && !std::isfinite(v.get_double())) {
            CHECK(J::serialize(v) == "null");
            continue;
        }
        CHECK(J::serialize(v) == bj::serialize(v));
        std::string out = "[";
        J::serialize_to(out, v);
        CHECK(out == "[" + bj::serialize(v));
    }
    // Nested deeper than a parse allows (built in code): the same text, an infinity written as null.
    bj::value deep = bj::array{1.5};
    for (int i = 0; i < 200; ++i) deep = bj::array{deep, i};
    CHECK(J::serialize(deep) == bj::serialize(deep));
    deep = bj::array{deep, std::numeric_limits<double>::infinity()};
    bj::value expected = deep;
    expected.as_array().back() = nullptr;
    CHECK(J::serialize(deep) == bj::serialize(expected));
    bj::value deep_object = bj::object{{"x", std::numeric_limits<double>::infinity()}};
    for (int i = 0; i < 100; ++i) deep_object = bj::object{{"k", deep_object}};
    CHECK(J::serialize(deep_object).find("{\"x\":null}") != std::string::npos);
}
