// The reflection walker: C++ types <-> JSON, with exact member names (from_json / to_json).
// Every test runs on each JSON backend. Top-level flow variables: unit-reflect-outputs.cpp.

// BOOST_DESCRIBE_STRUCT(T, (), ...) passes zero variadic macro arguments: clang's -Wpedantic
// flags that before C++20 (boostorg/describe#43).
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-zero-variadic-macro-arguments"
#endif

#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx/reflect.hpp>
#if GCX_TEST_NLOHMANN
#include <gcx/json/nlohmann.hpp>
#endif

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/operators.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_reflect {

using backends = std::tuple<gcx::json::boost_json
#if GCX_TEST_NLOHMANN
                            ,
                            gcx::json::nlohmann
#endif
                            >;

namespace rt {

enum class tier { Bronze, Silver, Gold };
BOOST_DESCRIBE_ENUM(tier, Bronze, Silver, Gold)

// An enumerator whose JSON name is not an identifier: the rename hook works on enums too.
enum class channel { sms, voice_call };
BOOST_DESCRIBE_ENUM(channel, sms, voice_call)
inline std::string_view gcx_json_name(const channel*, std::string_view e) {
    return e == "voice_call" ? std::string_view("voice-call") : e;
}

struct address {
    std::string city;
    std::optional<std::string> postalCode;
};
BOOST_DESCRIBE_STRUCT(address, (), (city, postalCode))

struct everything {
    bool b = false;
    signed char i8 = 0;
    unsigned char u8 = 0;
    short i16 = 0;
    unsigned short u16 = 0;
    int i32 = 0;
    unsigned u32 = 0;
    long l = 0;
    unsigned long ul = 0;
    long long ll = 0;
    unsigned long long ull = 0;
    std::int64_t i64 = 0;
    std::uint64_t u64 = 0;
    float f = 0;
    double d = 0;
    std::string s;
    tier t = tier::Bronze;
    channel c = channel::sms;
    address addr;
    std::vector<int> ints;
    std::vector<address> addrs;
    std::vector<bool> flags;
    std::map<std::string, int> counts;
    std::unordered_map<std::string, address> places;
    std::optional<int> maybe;
    std::optional<address> maybe_addr;
    gcx::raw_json raw;
    std::vector<std::optional<std::string>> holes;
    std::map<std::string, std::vector<tier>> tiers_by_region;
};
BOOST_DESCRIBE_STRUCT(everything, (),
                      (b, i8, u8, i16, u16, i32, u32, l, ul, ll, ull, i64, u64, f, d, s, t, c, addr, ints, addrs, flags,
                       counts, places, maybe, maybe_addr, raw, holes, tiers_by_region))

using boost::describe::operators::operator==;

struct optionals {
    std::optional<std::string> name;
    std::optional<std::int64_t> count;
    std::optional<address> where;
    std::optional<std::vector<int>> list;
};
BOOST_DESCRIBE_STRUCT(optionals, (), (name, count, where, list))

struct person {
    std::string name;
    address home;
    std::vector<address> offices;
    std::map<std::string, address> places;
};
BOOST_DESCRIBE_STRUCT(person, (), (name, home, offices, places))

template <class I>
struct one {
    I value{};
    BOOST_DESCRIBE_CLASS(one, (), (value), (), ())
};

// Members whose JSON names are not C++ identifiers, renamed by a hidden friend.
struct renamed {
    std::string namespace_;
    int customer_tier = 0;
    std::string plain;
    friend std::string_view gcx_json_name(const renamed*, std::string_view m) {
        if (m == "namespace_") return "namespace";
        if (m == "customer_tier") return "customer-tier";
        return m;
    }
};
BOOST_DESCRIBE_STRUCT(renamed, (), (namespace_, customer_tier, plain))

// A base whose hook renames its member, and derived classes with and without a hook of their own.
struct hooked_base {
    std::string ns;
    friend std::string_view gcx_json_name(const hooked_base*, std::string_view m) {
        return m == "ns" ? "namespace" : m;
    }
};
BOOST_DESCRIBE_STRUCT(hooked_base, (), (ns))
struct hooked_derived : hooked_base {
    std::string klass;
    friend std::string_view gcx_json_name(const hooked_derived*, std::string_view m) {
        return m == "klass" ? "class" : m;
    }
};
BOOST_DESCRIBE_STRUCT(hooked_derived, (hooked_base), (klass))
struct plain_derived : hooked_base {
    int extra = 0;
};
BOOST_DESCRIBE_STRUCT(plain_derived, (hooked_base), (extra))
// A middle base without a hook of its own (it sees hooked_base's), whose member the most derived
// class's hook renames.
struct middle : hooked_base {
    std::string b_y;
};
BOOST_DESCRIBE_STRUCT(middle, (hooked_base), (b_y))
struct leaf : middle {
    std::string c_z;
    friend std::string_view gcx_json_name(const leaf*, std::string_view m) {
        return m == "b_y" ? "B-Y" : m == "c_z" ? "C-Z" : m;
    }
};
BOOST_DESCRIBE_STRUCT(leaf, (middle), (c_z))

template <class J>
struct with_value {
    std::string name;
    typename J::value extra;
    std::optional<typename J::value> maybe;
    BOOST_DESCRIBE_CLASS(with_value, (), (name, extra, maybe), (), ())
};

struct raws {
    gcx::raw_json any;
    std::optional<gcx::raw_json> maybe;
};
BOOST_DESCRIBE_STRUCT(raws, (), (any, maybe))

// A recursive model, like ErrorBody.errors.
struct node {
    std::optional<std::string> label;
    std::optional<std::vector<node>> children;
};
BOOST_DESCRIBE_STRUCT(node, (), (label, children))

// Inherited and private members are mapped too.
struct base_part {
    std::string id;
};
BOOST_DESCRIBE_STRUCT(base_part, (), (id))
class derived : public base_part {
public:
    int visible = 0;
    int secret() const { return hidden_; }

private:
    int hidden_ = 0;
    BOOST_DESCRIBE_CLASS(derived, (base_part), (visible), (), (hidden_))
};

// Two members with one JSON name (through the rename hook): each reads the key, as if alone.
struct twins {
    std::string first;
    std::optional<std::string> second;
    friend std::string_view gcx_json_name(const twins*, std::string_view m) {
        return m == "second" ? std::string_view("first") : m;
    }
};
BOOST_DESCRIBE_STRUCT(twins, (), (first, second))

// Names alike in length and in most bytes, so the walker's name table has collisions to resolve.
struct crowd {
    int v_00 = 0, v_01 = 0, v_02 = 0, v_03 = 0, v_04 = 0, v_05 = 0, v_06 = 0, v_07 = 0, v_08 = 0, v_09 = 0;
    int v_10 = 0, v_11 = 0, v_12 = 0, v_13 = 0, v_14 = 0, v_15 = 0, v_16 = 0, v_17 = 0, v_18 = 0, v_19 = 0;
    int v_20 = 0, v_21 = 0, v_22 = 0, v_23 = 0, v_24 = 0, v_25 = 0, v_26 = 0, v_27 = 0, v_28 = 0, v_29 = 0;
    std::optional<int> v = 0, v_ = 0, v_0 = 0, v_000 = 0, w_00 = 0;
};
BOOST_DESCRIBE_STRUCT(crowd, (),
                      (v_00, v_01, v_02, v_03, v_04, v_05, v_06, v_07, v_08, v_09, v_10, v_11, v_12, v_13, v_14, v_15,
                       v_16, v_17, v_18, v_19, v_20, v_21, v_22, v_23, v_24, v_25, v_26, v_27, v_28, v_29, v, v_, v_0,
                       v_000, w_00))

struct nothing {};
BOOST_DESCRIBE_STRUCT(nothing, (), ())

struct two_required {
    int a = 0;
    std::string b;
};
BOOST_DESCRIBE_STRUCT(two_required, (), (a, b))

}  // namespace rt

namespace {

template <class J>
typename J::value parse(std::string_view text, std::size_t max_depth = gcx::json::default_max_depth) {
    auto v = J::parse(text, max_depth);
    REQUIRE(v.has_value());
    return std::move(*v);
}

template <class J, class T>
gcx::error mapping_error(std::string_view text, const gcx::map_options& options = {}) {
    auto r = gcx::from_json<J, T>(parse<J>(text), options);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::mapping);
    return r.error();
}

constexpr const char* everything_json = R"({
    "b": true, "i8": -128, "u8": 255, "i16": -32768, "u16": 65535, "i32": -2147483648, "u32": 4294967295,
    "l": -5, "ul": 5, "ll": -9223372036854775808, "ull": 18446744073709551615,
    "i64": 9223372036854775807, "u64": 18446744073709551615,
    "f": 1.5, "d": -2.25e10, "s": "gr\u00fc\u00df dich \"quoted\"",
    "t": "Gold", "c": "voice-call",
    "addr": { "city": "Indianapolis", "postalCode": "46204" },
    "ints": [1, 2, 3],
    "addrs": [ { "city": "A" }, { "city": "B", "postalCode": null } ],
    "flags": [true, false, true],
    "counts": { "open": 2, "closed": 7 },
    "places": { "New York": { "city": "NYC" } },
    "maybe": 42,
    "maybe_addr": { "city": "Berlin" },
    "raw": { "nested": [1, {"x": null}], "s": "t" },
    "holes": ["a", null, "c"],
    "tiers_by_region": { "emea": ["Gold", "Bronze"], "apac": [] }
})";

}  // namespace

TEMPLATE_LIST_TEST_CASE("every supported type maps from JSON", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::everything>(parse<J>(everything_json));
    REQUIRE(r.has_value());
    const rt::everything& e = *r;
    CHECK(e.b);
    CHECK(e.i8 == -128);
    CHECK(e.u8 == 255);
    CHECK(e.i16 == -32768);
    CHECK(e.u16 == 65535);
    CHECK(e.i32 == std::numeric_limits<int>::min());
    CHECK(e.u32 == 4294967295u);
    CHECK(e.l == -5);
    CHECK(e.ul == 5u);
    CHECK(e.ll == std::numeric_limits<long long>::min());
    CHECK(e.ull == std::numeric_limits<unsigned long long>::max());
    CHECK(e.i64 == std::numeric_limits<std::int64_t>::max());
    CHECK(e.u64 == std::numeric_limits<std::uint64_t>::max());
    CHECK(e.f == 1.5f);
    CHECK(e.d == -2.25e10);
    CHECK(e.s == "gr\xc3\xbc\xc3\x9f dich \"quoted\"");
    CHECK(e.t == rt::tier::Gold);
    CHECK(e.c == rt::channel::voice_call);
    CHECK(e.addr.city == "Indianapolis");
    CHECK(e.addr.postalCode == "46204");
    CHECK(e.ints == std::vector<int>{1, 2, 3});
    REQUIRE(e.addrs.size() == 2);
    CHECK(e.addrs[1].city == "B");
    CHECK_FALSE(e.addrs[1].postalCode.has_value());
    CHECK(e.flags == std::vector<bool>{true, false, true});
    CHECK(e.counts == std::map<std::string, int>{{"closed", 7}, {"open", 2}});
    REQUIRE(e.places.count("New York") == 1);
    CHECK(e.places.at("New York").city == "NYC");
    CHECK(e.maybe == 42);
    REQUIRE(e.maybe_addr.has_value());
    CHECK(e.maybe_addr->city == "Berlin");
    auto raw = e.raw.parse<J>();
    REQUIRE(raw.has_value());
    CHECK(*raw == parse<J>(R"({ "nested": [1, {"x": null}], "s": "t" })"));
    CHECK(e.holes == std::vector<std::optional<std::string>>{"a", std::nullopt, "c"});
    CHECK(e.tiers_by_region.at("emea") == std::vector<rt::tier>{rt::tier::Gold, rt::tier::Bronze});
    CHECK(e.tiers_by_region.at("apac").empty());
}

TEMPLATE_LIST_TEST_CASE("a struct survives the round trip through JSON", "[reflect]", backends) {
    using J = TestType;
    auto first = gcx::from_json<J, rt::everything>(parse<J>(everything_json));
    REQUIRE(first.has_value());

    SECTION("through a JSON value") {
        auto again = gcx::from_json<J, rt::everything>(gcx::to_json<J>(*first));
        REQUIRE(again.has_value());
        CHECK(*again == *first);
    }
    SECTION("through JSON text") {
        const std::string text = gcx::to_json_text<J>(*first);
        auto again = gcx::from_json_text<J, rt::everything>(text);
        REQUIRE(again.has_value());
        CHECK(*again == *first);
        CHECK(gcx::to_json_text<J>(*again) == text);
    }
    SECTION("extreme values") {
        rt::everything e;
        e.i8 = -128;
        e.i64 = std::numeric_limits<std::int64_t>::min();
        e.u64 = std::numeric_limits<std::uint64_t>::max();
        e.s = std::string("nul\0inside", 10);
        auto again = gcx::from_json_text<J, rt::everything>(gcx::to_json_text<J>(e));
        REQUIRE(again.has_value());
        CHECK(*again == e);

        // Through a value, not text: Boost.JSON 1.81 does not parse every double exactly
        // (3.4028234663852886E38 comes back one ULP above FLT_MAX).
        e.f = std::numeric_limits<float>::max();
        e.d = std::numeric_limits<double>::lowest();
        auto through_value = gcx::from_json<J, rt::everything>(gcx::to_json<J>(e));
        REQUIRE(through_value.has_value());
        CHECK(*through_value == e);
    }
}

TEMPLATE_LIST_TEST_CASE("optional members accept a missing key and null", "[reflect]", backends) {
    using J = TestType;
    auto missing = gcx::from_json<J, rt::optionals>(parse<J>("{}"));
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->name.has_value());
    CHECK_FALSE(missing->count.has_value());
    CHECK_FALSE(missing->where.has_value());
    CHECK_FALSE(missing->list.has_value());

    auto nulls =
        gcx::from_json<J, rt::optionals>(parse<J>(R"({"name": null, "count": null, "where": null, "list": null})"));
    REQUIRE(nulls.has_value());
    CHECK_FALSE(nulls->name.has_value());
    CHECK_FALSE(nulls->where.has_value());

    auto present =
        gcx::from_json<J, rt::optionals>(parse<J>(R"({"name": "x", "count": 3, "where": {"city": "c"}, "list": []})"));
    REQUIRE(present.has_value());
    CHECK(present->name == "x");
    CHECK(present->count == 3);
    CHECK(present->where->city == "c");
    CHECK(present->list == std::vector<int>{});

    SECTION("mapping into an existing object resets what the document leaves out") {
        rt::optionals target = *present;
        REQUIRE(gcx::from_json<J>(parse<J>(R"({"count": 4})"), target).has_value());
        CHECK_FALSE(target.name.has_value());
        CHECK(target.count == 4);
        CHECK_FALSE(target.where.has_value());
    }
}

TEMPLATE_LIST_TEST_CASE("a missing required member is an error naming its path", "[reflect]", backends) {
    using J = TestType;
    auto e = mapping_error<J, rt::person>(R"({"name": "n", "home": {"postalCode": "1"}, "offices": [], "places": {}})");
    CHECK(e.path == "outputData.home.city");
    CHECK_THAT(e.message, Catch::Contains("missing required member \"city\""));
    CHECK_THAT(e.describe(), Catch::Contains("path outputData.home.city"));

    auto null_required =
        mapping_error<J, rt::person>(R"({"name": null, "home": {"city": "c"}, "offices": [], "places": {}})");
    CHECK(null_required.path == "outputData.name");
    CHECK_THAT(null_required.message, Catch::Contains("expected string, got null"));
}

TEMPLATE_LIST_TEST_CASE("a value of the wrong kind is an error naming both kinds", "[reflect]", backends) {
    using J = TestType;
    auto e = mapping_error<J, rt::person>(R"({"name": 7, "home": {"city": "c"}, "offices": [], "places": {}})");
    CHECK(e.path == "outputData.name");
    CHECK(e.message == "expected string, got integer");

    e = mapping_error<J, rt::person>(R"({"name": "n", "home": [], "offices": [], "places": {}})");
    CHECK(e.path == "outputData.home");
    CHECK(e.message == "expected object, got array");

    e = mapping_error<J, rt::person>(R"({"name": "n", "home": {"city": "c"}, "offices": {}, "places": {}})");
    CHECK(e.path == "outputData.offices");
    CHECK(e.message == "expected array, got object");

    e = mapping_error<J, rt::one<bool>>(R"({"value": "TRUE"})");
    CHECK(e.message == "expected bool, got a string that is not \"true\" or \"false\"");

    e = mapping_error<J, rt::one<double>>(R"({"value": false})");
    CHECK(e.message == "expected number, got bool");

    e = mapping_error<J, rt::one<int>>(R"({"value": 1.5})");
    CHECK_THAT(e.message, Catch::Contains("expected integer in [-2147483648, 2147483647]"));
    CHECK_THAT(e.message, Catch::Contains("fractional"));

    e = mapping_error<J, rt::one<rt::tier>>(R"({"value": 2})");
    CHECK(e.message == R"(expected one of "Bronze", "Silver", "Gold", got integer)");

    // The error never quotes the document's values back (they may be personal data).
    e = mapping_error<J, rt::one<int>>(R"({"value": "+13175550123"})");
    CHECK_THAT(e.describe(), !Catch::Contains("3175550123"));
}

TEMPLATE_LIST_TEST_CASE("integers out of range are refused, never narrowed", "[reflect]", backends) {
    using J = TestType;
    auto refused = [](auto tag, std::string_view value) {
        using I = typename decltype(tag)::type;
        auto r = gcx::from_json<J, rt::one<I>>(parse<J>("{\"value\": " + std::string(value) + "}"));
        INFO(value);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().kind == gcx::errc::mapping);
        CHECK(r.error().path == "outputData.value");
        CHECK_THAT(r.error().message, Catch::Contains("out of that range"));
    };
    refused(gcx::reflect_detail::type_identity<std::uint8_t>{}, "300");
    refused(gcx::reflect_detail::type_identity<std::uint8_t>{}, "256");
    refused(gcx::reflect_detail::type_identity<std::int8_t>{}, "-129");
    refused(gcx::reflect_detail::type_identity<std::int8_t>{}, "128");
    refused(gcx::reflect_detail::type_identity<unsigned>{}, "-1");
    refused(gcx::reflect_detail::type_identity<std::uint64_t>{}, "-1");
    refused(gcx::reflect_detail::type_identity<std::int16_t>{}, "40000");
    refused(gcx::reflect_detail::type_identity<int>{}, "2147483648");
    refused(gcx::reflect_detail::type_identity<std::int64_t>{}, "9223372036854775808");  // 2^63
    refused(gcx::reflect_detail::type_identity<std::int64_t>{}, "18446744073709551615");
    refused(gcx::reflect_detail::type_identity<std::int64_t>{}, "1e20");
    refused(gcx::reflect_detail::type_identity<std::uint64_t>{}, "1.8446744073709552e19");  // 2^64
    refused(gcx::reflect_detail::type_identity<std::uint8_t>{}, "-1.0");

    auto u8 = gcx::from_json<J, rt::one<std::uint8_t>>(parse<J>(R"({"value": 255})"));
    REQUIRE(u8.has_value());
    CHECK(u8->value == 255);
    auto big = gcx::from_json<J, rt::one<std::uint64_t>>(parse<J>(R"({"value": 9223372036854775808})"));
    REQUIRE(big.has_value());
    CHECK(big->value == 9223372036854775808ull);
}

TEMPLATE_LIST_TEST_CASE("a JSON number with zero fraction maps to an integer when exact", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::one<int>>(parse<J>(R"({"value": 3.0})"));
    REQUIRE(r.has_value());
    CHECK(r->value == 3);
    auto neg = gcx::from_json<J, rt::one<std::int64_t>>(parse<J>(R"({"value": -4e3})"));
    REQUIRE(neg.has_value());
    CHECK(neg->value == -4000);
    auto e = mapping_error<J, rt::one<int>>(R"({"value": 3.25})");
    CHECK_THAT(e.message, Catch::Contains("fractional part"));
    // From 2^52 on, a number read as a double may name another integer than its text: refused,
    // never narrowed (the first was once INT64_MIN, the second 9007199254740992).
    for (const char* text :
         {R"({"value": -9223372036854775809})", R"({"value": 9007199254740993.0})", R"({"value": 9007199254740991.0})",
          R"({"value": 4503599627370497.0})", R"({"value": 1e18})"}) {
        CAPTURE(text);
        auto x = mapping_error<J, rt::one<std::int64_t>>(text);
        CHECK_THAT(x.message, Catch::Contains("too large to be read exactly"));
    }
    auto exact = gcx::from_json<J, rt::one<std::int64_t>>(parse<J>(R"({"value": 1e15})"));
    REQUIRE(exact.has_value());  // below 2^52, an exponent or a zero fraction is read exactly
    CHECK(exact->value == 1000000000000000);
    auto plain = gcx::from_json<J, rt::one<std::int64_t>>(parse<J>(R"({"value": -9223372036854775808})"));
    REQUIRE(plain.has_value());  // plain integer text is read exactly
    CHECK(plain->value == std::numeric_limits<std::int64_t>::min());
}

TEMPLATE_LIST_TEST_CASE("floating point members accept integers and refuse overflow", "[reflect]", backends) {
    using J = TestType;
    auto d = gcx::from_json<J, rt::one<double>>(parse<J>(R"({"value": 12})"));
    REQUIRE(d.has_value());
    CHECK(d->value == 12.0);
    auto u = gcx::from_json<J, rt::one<double>>(parse<J>(R"({"value": 18446744073709551615})"));
    REQUIRE(u.has_value());
    CHECK(u->value == 18446744073709551615.0);
    auto f = gcx::from_json<J, rt::one<float>>(parse<J>(R"({"value": 0.1})"));
    REQUIRE(f.has_value());
    CHECK(f->value == 0.1f);

    auto e = mapping_error<J, rt::one<float>>(R"({"value": 1e300})");
    CHECK_THAT(e.message, Catch::Contains("float"));
    CHECK_THAT(e.message, Catch::Contains("out of that range"));

    // The shortest text of FLT_MAX (as JavaScript and nlohmann write it) is a little above it as a
    // double, and rounds to it: a float all the same. A double past the midpoint to the next power
    // of two would round to infinity: refused.
    for (const char* text : {"3.4028235e38", "-3.4028235e38", "3.4028234663852886e38"}) {
        CAPTURE(text);
        auto top = gcx::from_json<J, rt::one<float>>(parse<J>(std::string(R"({"value": )") + text + "}"));
        REQUIRE(top.has_value());
        CHECK(std::fabs(top->value) == std::numeric_limits<float>::max());
    }
    for (const char* text : {"3.4028236e38", "-3.4028236e38", "3.5e38"}) {
        CAPTURE(text);
        const auto refused = mapping_error<J, rt::one<float>>(std::string(R"({"value": )") + text + "}");
        CHECK_THAT(refused.message, Catch::Contains("out of that range"));
    }
}

TEMPLATE_LIST_TEST_CASE("numbers held in strings are read as numbers, as Architect sends Integer variables",
                        "[reflect]", backends) {
    using J = TestType;
    // Architect's archInteger: an integer, or "a string representation of an integral numeric value".
    auto i = gcx::from_json<J, rt::one<std::int64_t>>(parse<J>(R"({"value": "-999999999999999"})"));
    REQUIRE(i.has_value());
    CHECK(i->value == -999999999999999);
    auto zero = gcx::from_json<J, rt::one<int>>(parse<J>(R"({"value": "0"})"));
    REQUIRE(zero.has_value());
    CHECK(zero->value == 0);
    auto big = gcx::from_json<J, rt::one<std::uint64_t>>(parse<J>(R"({"value": "18446744073709551615"})"));
    REQUIRE(big.has_value());
    CHECK(big->value == 18446744073709551615u);
    auto list = gcx::from_json<J, rt::one<std::vector<int>>>(parse<J>(R"({"value": ["9600", "480"]})"));
    REQUIRE(list.has_value());
    CHECK(list->value == std::vector<int>{9600, 480});
    auto d = gcx::from_json<J, rt::one<double>>(parse<J>(R"({"value": "97.5"})"));
    REQUIRE(d.has_value());
    CHECK(d->value == 97.5);
    auto f = gcx::from_json<J, rt::one<float>>(parse<J>(R"({"value": "-1e-3"})"));
    REQUIRE(f.has_value());
    CHECK(f->value == -1e-3f);
    for (const char* zero_text : {"0e759", "-0.000e99999", "0.0"}) {  // Boost.JSON 1.81 alone reads "0e759" as NaN
        CAPTURE(zero_text);
        auto z = gcx::from_json<J, rt::one<double>>(parse<J>(std::string(R"({"value": ")") + zero_text + "\"}"));
        REQUIRE(z.has_value());
        CHECK(z->value == 0.0);
    }

    // The number's own rules still hold.
    using int_member = rt::one<int>;
    using byte_member = rt::one<std::uint8_t>;
    using double_member = rt::one<double>;
    // An integer member takes integer text only ("a string representation of an integral numeric
    // value"): a fraction or an exponent is refused, as is a value that would underflow to 0.
    for (const char* text : {"3.5", "3.0", "1e2", "1e-400", "7e-99999"}) {
        CAPTURE(text);
        CHECK_THAT((mapping_error<J, int_member>(std::string(R"({"value": ")") + text + "\"}").message),
                   Catch::Contains("got a string that is not an integer"));
    }
    CHECK_THAT((mapping_error<J, byte_member>(R"({"value": "300"})").message), Catch::Contains("out of that range"));
    CHECK_THAT((mapping_error<J, byte_member>(R"({"value": "-1"})").message), Catch::Contains("out of that range"));
    // Anything but a JSON number, exactly, is refused: no spaces, signs, leading zeros, hex or words.
    for (const char* text : {"", " 1", "1 ", "+1", "01", "-", "1.", ".5", "1e", "0x10", "1,000", "1_000", "NaN",
                             "Infinity", "true", "null", "[1]", "12abc"}) {
        CAPTURE(text);
        const std::string doc = std::string(R"({"value": ")") + text + "\"}";
        const auto e = mapping_error<J, rt::one<std::int64_t>>(doc);
        CHECK_THAT(e.message, Catch::Contains("got a string that is not an integer"));
        const auto g = mapping_error<J, rt::one<double>>(doc);
        CHECK_THAT(g.message, Catch::Contains("got a string that is not a number"));
        CHECK(e.path == "outputData.value");
    }
    // Too long to be a number anyone sends: refused before any parse.
    CHECK_THAT((mapping_error<J, double_member>(R"({"value": ")" + std::string(65, '1') + "\"}").message),
               Catch::Contains("got a string that is not a number"));
    // A bool reads the strings "true" and "false" (as an Integer arrives as text), nothing else.
    using bool_member = rt::one<bool>;
    for (const char* text : {"true", "false"}) {
        auto b = gcx::from_json<J, bool_member>(parse<J>(std::string(R"({"value": ")") + text + "\"}"));
        REQUIRE(b.has_value());
        CHECK(b->value == (std::string(text) == "true"));
    }
    for (const char* text : {"", "1", "True", "true ", "yes"})
        CHECK(mapping_error<J, bool_member>(std::string(R"({"value": ")") + text + "\"}").message ==
              "expected bool, got a string that is not \"true\" or \"false\"");
}

TEMPLATE_LIST_TEST_CASE("a base's rename hook names the base's members, whatever hook a derived class adds",
                        "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::hooked_derived>(parse<J>(R"({"namespace": "a", "class": "b"})"));
    REQUIRE(r.has_value());
    CHECK(r->ns == "a");
    CHECK(r->klass == "b");
    CHECK(parse<J>(gcx::to_json_text<J>(*r)) == parse<J>(R"({"namespace":"a","class":"b"})"));
    // A derived class without a hook of its own uses the base's for the base's members.
    auto plain = gcx::from_json<J, rt::plain_derived>(parse<J>(R"({"namespace": "a", "extra": 1})"));
    REQUIRE(plain.has_value());
    CHECK(plain->ns == "a");
    // A member the hooks of its own class leave alone is named by the most derived class's hook.
    auto l = gcx::from_json<J, rt::leaf>(parse<J>(R"({"namespace": "a", "B-Y": "b", "C-Z": "c"})"));
    REQUIRE(l.has_value());
    CHECK(l->ns == "a");
    CHECK(l->b_y == "b");
    CHECK(l->c_z == "c");
    CHECK(parse<J>(gcx::to_json_text<J>(*l)) == parse<J>(R"({"namespace": "a", "B-Y": "b", "C-Z": "c"})"));
}

TEMPLATE_LIST_TEST_CASE("enums map from their names, an unknown name is refused", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::one<rt::tier>>(parse<J>(R"({"value": "Silver"})"));
    REQUIRE(r.has_value());
    CHECK(r->value == rt::tier::Silver);

    auto e = mapping_error<J, rt::one<rt::tier>>(R"({"value": "Platinum"})");
    CHECK(e.path == "outputData.value");
    CHECK(e.message == R"(expected one of "Bronze", "Silver", "Gold", got a string that names none of them)");

    e = mapping_error<J, rt::one<rt::tier>>(R"({"value": "gold"})");
    CHECK_THAT(e.message, Catch::Contains("names none of them"));  // names are case-sensitive

    // Renamed enumerators: the JSON name maps, the C++ name does not.
    CHECK(gcx::from_json<J, rt::one<rt::channel>>(parse<J>(R"({"value": "voice-call"})")).has_value());
    e = mapping_error<J, rt::one<rt::channel>>(R"({"value": "voice_call"})");
    CHECK(e.message == R"(expected one of "sms", "voice-call", got a string that names none of them)");
    CHECK(J::serialize(gcx::to_json<J>(rt::channel::voice_call)) == R"("voice-call")");

    SECTION("a value outside the described enumerators is written as its number") {
        CHECK(J::serialize(gcx::to_json<J>(static_cast<rt::tier>(7))) == "7");
    }
}

TEMPLATE_LIST_TEST_CASE("unknown keys are ignored, and refused in strict mode", "[reflect]", backends) {
    using J = TestType;
    const auto doc = parse<J>(R"({"name": "n", "home": {"city": "c", "planet": "Earth"}, "offices": [],
                                   "places": {}, "age": 40})");
    auto lenient = gcx::from_json<J, rt::person>(doc);
    REQUIRE(lenient.has_value());
    CHECK(lenient->home.city == "c");

    gcx::map_options strict;
    strict.strict = true;
    auto r = gcx::from_json<J, rt::person>(doc, strict);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK_THAT(r.error().message, Catch::Contains("strict"));
    // The walk fails before reading a member: the struct's own unknown key, not the nested one.
    CHECK(r.error().path == "outputData.age");

    auto nested = gcx::from_json<J, rt::person>(
        parse<J>(R"({"name": "n", "home": {"city": "c", "planet": "Earth"}, "offices": [], "places": {}})"), strict);
    REQUIRE_FALSE(nested.has_value());
    CHECK(nested.error().path == "outputData.home.planet");

    // Map keys are data, not members: strict mode does not police them.
    auto maps = gcx::from_json<J, rt::person>(
        parse<J>(R"({"name": "n", "home": {"city": "c"}, "offices": [], "places": {"anything": {"city": "x"}}})"),
        strict);
    CHECK(maps.has_value());
}

TEMPLATE_LIST_TEST_CASE("the rename hook maps names that are not identifiers", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::renamed>(parse<J>(R"({"namespace": "ns", "customer-tier": 2, "plain": "p"})"));
    REQUIRE(r.has_value());
    CHECK(r->namespace_ == "ns");
    CHECK(r->customer_tier == 2);
    CHECK(r->plain == "p");

    auto e = mapping_error<J, rt::renamed>(R"({"namespace": "ns", "customer-tier": "high", "plain": "p"})");
    CHECK(e.path == R"(outputData["customer-tier"])");

    e = mapping_error<J, rt::renamed>(R"({"namespace_": "ns", "customer-tier": 1, "plain": "p"})");
    CHECK(e.path == "outputData.namespace");

    const auto v = gcx::to_json<J>(*r);
    CHECK(J::find(v, "namespace") != nullptr);
    CHECK(J::find(v, "customer-tier") != nullptr);
    CHECK(J::find(v, "namespace_") == nullptr);
}

TEMPLATE_LIST_TEST_CASE("raw members keep the JSON as it is", "[reflect]", backends) {
    using J = TestType;
    SECTION("the backend's own value type") {
        auto r = gcx::from_json<J, rt::with_value<J>>(parse<J>(R"({"name": "n", "extra": [1, "two", {"three": 3}]})"));
        REQUIRE(r.has_value());
        CHECK(r->extra == parse<J>(R"([1, "two", {"three": 3}])"));
        CHECK_FALSE(r->maybe.has_value());
        auto again = gcx::from_json<J, rt::with_value<J>>(gcx::to_json<J>(*r));
        REQUIRE(again.has_value());
        CHECK(again->extra == r->extra);
    }
    SECTION("gcx::raw_json, for models that are not templates") {
        auto r = gcx::from_json<J, rt::raws>(parse<J>(R"({"any": {"k": [true, null, 1.5]}, "maybe": "text"})"));
        REQUIRE(r.has_value());
        CHECK(r->any.text == J::serialize(parse<J>(R"({"k": [true, null, 1.5]})")));
        CHECK_THAT(r->any.text, Catch::StartsWith(R"({"k":[true,null,)"));  // compact
        REQUIRE(r->maybe.has_value());
        CHECK(r->maybe->text == R"("text")");
        // Written back, the raw text is inserted as a parsed value, not as a string.
        const auto v = gcx::to_json<J>(*r);
        CHECK(*J::find(v, "any") == parse<J>(R"({"k": [true, null, 1.5]})"));
    }
    SECTION("null: a value for a raw member, absence for an optional one") {
        auto r = gcx::from_json<J, rt::raws>(parse<J>(R"({"any": null, "maybe": null})"));
        REQUIRE(r.has_value());
        CHECK(r->any.text == "null");
        CHECK_FALSE(r->maybe.has_value());
        auto missing = mapping_error<J, rt::raws>("{}");
        CHECK(missing.path == "outputData.any");
    }
    SECTION("raw text that is not JSON is written as null") {
        rt::raws bad;
        bad.any.text = "{not json";
        CHECK(J::kind_of(*J::find(gcx::to_json<J>(bad), "any")) == gcx::json::kind::null);
    }
}

TEMPLATE_LIST_TEST_CASE("errors inside arrays and maps name the index and the key", "[reflect]", backends) {
    using J = TestType;
    auto e = mapping_error<J, rt::person>(R"({"name": "n", "home": {"city": "c"},
        "offices": [{"city": "a"}, {"city": "b"}, {"city": "c"}, {"city": 4}], "places": {}})");
    CHECK(e.path == "outputData.offices[3].city");
    CHECK(e.message == "expected string, got integer");

    e = mapping_error<J, rt::person>(R"({"name": "n", "home": {"city": "c"}, "offices": [],
        "places": {"New \"York\"": {"postalCode": "1"}}})");
    CHECK(e.path == R"(outputData.places["New \"York\""].city)");

    e = mapping_error<J, std::map<std::string, std::vector<std::optional<std::string>>>>(R"({"k": ["a", null, 1]})");
    CHECK(e.path == "outputData.k[2]");
}

TEMPLATE_LIST_TEST_CASE("the root of error paths is an option", "[reflect]", backends) {
    using J = TestType;
    gcx::map_options options;
    options.root = "body";
    auto e = mapping_error<J, rt::person>(R"({"name": 1})", options);
    CHECK(e.path == "body.name");
    options.root = "";
    e = mapping_error<J, rt::person>(R"({"name": 1})", options);
    CHECK(e.path == "name");
    e = mapping_error<J, std::vector<int>>(R"([1, "x"])", options);
    CHECK(e.path == "[1]");
}

TEMPLATE_LIST_TEST_CASE("non-struct types map at the top level too", "[reflect]", backends) {
    using J = TestType;
    auto v = gcx::from_json<J, std::vector<rt::address>>(parse<J>(R"([{"city": "a"}, {"city": "b"}])"));
    REQUIRE(v.has_value());
    CHECK(v->size() == 2);
    auto m = gcx::from_json<J, std::unordered_map<std::string, std::int64_t>>(parse<J>(R"({"a": 1, "b": -2})"));
    REQUIRE(m.has_value());
    CHECK(m->at("b") == -2);
    auto o = gcx::from_json<J, std::optional<std::string>>(parse<J>("null"));
    REQUIRE(o.has_value());
    CHECK_FALSE(o->has_value());
    CHECK(J::serialize(gcx::to_json<J>(std::vector<std::optional<int>>{1, std::nullopt})) == "[1,null]");
}

TEMPLATE_LIST_TEST_CASE("inherited and private described members are mapped", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::derived>(parse<J>(R"({"id": "x", "visible": 1, "hidden_": 2})"));
    REQUIRE(r.has_value());
    CHECK(r->id == "x");
    CHECK(r->visible == 1);
    CHECK(r->secret() == 2);
    CHECK(J::size(gcx::to_json<J>(*r)) == 3);
}

TEMPLATE_LIST_TEST_CASE("to_json leaves out empty optionals and writes enums by name", "[reflect]", backends) {
    using J = TestType;
    rt::optionals o;
    o.count = 5;
    CHECK(J::serialize(gcx::to_json<J>(o)) == R"({"count":5})");
    CHECK(J::serialize(gcx::to_json<J>(rt::optionals{})) == "{}");

    rt::one<rt::tier> t{rt::tier::Silver};
    CHECK(J::serialize(gcx::to_json<J>(t)) == R"({"value":"Silver"})");

    rt::one<double> nan{std::numeric_limits<double>::quiet_NaN()};
    CHECK(J::serialize(gcx::to_json<J>(nan)) == R"({"value":null})");

    rt::one<std::uint64_t> big{std::numeric_limits<std::uint64_t>::max()};
    const auto v = gcx::to_json<J>(big);
    CHECK(J::kind_of(*J::find(v, "value")) == gcx::json::kind::uint);
    rt::one<unsigned> small{7};
    CHECK(J::kind_of(*J::find(gcx::to_json<J>(small), "value")) == gcx::json::kind::integer);
}

TEMPLATE_LIST_TEST_CASE("from_json_text reports malformed text as a protocol error", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json_text<J, rt::person>(R"({"name": )");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::protocol);
    auto ok = gcx::from_json_text<J, rt::address>(R"({"city": "c"})");
    REQUIRE(ok.has_value());
    CHECK(ok->city == "c");
}

TEMPLATE_LIST_TEST_CASE("a recursive model is walked within the depth limit", "[reflect]", backends) {
    using J = TestType;
    auto shallow = gcx::from_json<J, rt::node>(parse<J>(R"({"label": "root", "children": [{"label": "a",
        "children": [{"label": "a1"}]}, {"label": "b"}]})"));
    REQUIRE(shallow.has_value());
    CHECK(shallow->children->at(0).children->at(0).label == "a1");

    // A document deeper than max_depth (parsed with a generous limit, so only the walker's
    // own limit can stop it) is refused with a mapping error, not a stack overflow.
    std::string deep;
    const int levels = 300;
    for (int i = 0; i < levels; ++i) deep += R"({"children": [)";
    deep += "{}";
    for (int i = 0; i < levels; ++i) deep += "]}";
    const auto doc = parse<J>(deep, 2 * levels + 10);
    auto r = gcx::from_json<J, rt::node>(doc);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == gcx::errc::mapping);
    CHECK_THAT(r.error().message, Catch::Contains("nesting deeper than the limit of 64"));
    CHECK_THAT(r.error().path, Catch::StartsWith("outputData.children[0].children[0]"));

    gcx::map_options generous;
    generous.max_depth = 2 * levels + 10;
    CHECK(gcx::from_json<J, rt::node>(doc, generous).has_value());
}

TEST_CASE("is_mappable_v tells mappable types apart", "[reflect]") {
    using J = gcx::json::boost_json;
    struct undescribed {
        int a;
    };
    enum class plain_enum { a };
    STATIC_REQUIRE(gcx::is_mappable_v<J, rt::everything>);
    STATIC_REQUIRE(gcx::is_mappable_v<J, rt::node>);  // recursive
    STATIC_REQUIRE(gcx::is_mappable_v<J, std::map<std::string, std::vector<std::optional<rt::address>>>>);
    STATIC_REQUIRE(gcx::is_mappable_v<J, boost::json::value>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, undescribed>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, plain_enum>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, char>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, long double>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, std::map<int, int>>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, std::vector<undescribed>>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, const char*>);
#if defined(__SIZEOF_INT128__)
    // Integral in GNU modes, but a JSON integer is read as 64 bits: refused, not a compile error inside.
    __extension__ typedef __int128 int128;
    __extension__ typedef unsigned __int128 uint128;
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, int128>);
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<J, uint128>);
#endif
#if GCX_TEST_NLOHMANN
    // A backend's value type is raw only for that backend.
    STATIC_REQUIRE_FALSE(gcx::is_mappable_v<gcx::json::nlohmann, rt::with_value<J>>);
#endif
}

TEMPLATE_LIST_TEST_CASE("every member finds its key among many alike", "[reflect]", backends) {
    using J = TestType;
    // Keys in reverse order, each value its member's number; v, v_, v_0, v_000 and w_00 are absent.
    std::string doc = "{";
    for (int i = 29; i >= 0; --i) {
        char member[32];
        std::snprintf(member, sizeof member, "\"v_%02d\": %d%s", i, i, i ? ", " : "");
        doc += member;
    }
    doc += ", \"v_0000\": 1, \"x_00\": 2, \"\": 3}";  // unknown keys, close to the names
    auto r = gcx::from_json<J, rt::crowd>(parse<J>(doc));
    REQUIRE(r.has_value());
    CHECK(r->v_00 == 0);
    CHECK(r->v_01 == 1);
    CHECK(r->v_10 == 10);
    CHECK(r->v_17 == 17);
    CHECK(r->v_20 == 20);
    CHECK(r->v_29 == 29);
    CHECK_FALSE(r->v.has_value());
    CHECK_FALSE(r->v_.has_value());
    CHECK_FALSE(r->v_0.has_value());
    CHECK_FALSE(r->v_000.has_value());
    CHECK_FALSE(r->w_00.has_value());

    gcx::map_options strict;
    strict.strict = true;
    auto e = mapping_error<J, rt::crowd>(doc, strict);
    CHECK_THAT(e.message, Catch::Contains("strict"));
    const bool named =
        e.path == R"(outputData.v_0000)" || e.path == R"(outputData.x_00)" || e.path == R"(outputData[""])";
    CHECK(named);

    e = mapping_error<J, rt::crowd>(R"({"v_00": 0, "v_01": 1})");
    CHECK(e.path == "outputData.v_02");
    CHECK_THAT(e.message, Catch::Contains("missing required member \"v_02\""));
}

TEMPLATE_LIST_TEST_CASE("members sharing a JSON name all read its key", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, rt::twins>(parse<J>(R"({"first": "x"})"));
    REQUIRE(r.has_value());
    CHECK(r->first == "x");
    CHECK(r->second == "x");

    gcx::map_options strict;
    strict.strict = true;
    CHECK(gcx::from_json<J, rt::twins>(parse<J>(R"({"first": "x"})"), strict).has_value());
    auto e = mapping_error<J, rt::twins>(R"({"second": "x"})");
    CHECK(e.path == "outputData.first");
}

TEMPLATE_LIST_TEST_CASE("a struct without described members reads any object", "[reflect]", backends) {
    using J = TestType;
    CHECK(gcx::from_json<J, rt::nothing>(parse<J>("{}")).has_value());
    CHECK(gcx::from_json<J, rt::nothing>(parse<J>(R"({"a": 1})")).has_value());
    gcx::map_options strict;
    strict.strict = true;
    auto e = mapping_error<J, rt::nothing>(R"({"a": 1})", strict);
    CHECK(e.path == "outputData.a");
    e = mapping_error<J, rt::nothing>("[]");
    CHECK(e.message == "expected object, got array");
}

TEMPLATE_LIST_TEST_CASE("the first error is the first member's, whatever the keys' order", "[reflect]", backends) {
    using J = TestType;
    // Members are read in declaration order, not in the document's.
    auto e = mapping_error<J, rt::two_required>(R"({"b": 1, "a": "one"})");
    CHECK(e.path == "outputData.a");
    CHECK(e.message == "expected integer in [-2147483648, 2147483647] (or a string holding one), got a string that "
                       "is not an integer");
    e = mapping_error<J, rt::two_required>(R"({"b": 1})");
    CHECK(e.path == "outputData.a");
    CHECK_THAT(e.message, Catch::Contains("missing required member \"a\""));
    e = mapping_error<J, rt::two_required>(R"({"b": 1, "a": 1})");
    CHECK(e.path == "outputData.b");

    // Strict mode looks at every key before any member is read.
    gcx::map_options strict;
    strict.strict = true;
    e = mapping_error<J, rt::two_required>(R"({"a": "one", "b": "two", "c": 3})", strict);
    CHECK(e.path == "outputData.c");
    // Of several unknown keys, and of several map entries that fail, the smallest key is named,
    // whether the backend keeps keys in document order (Boost.JSON) or sorted (nlohmann::json).
    e = mapping_error<J, rt::two_required>(R"({"a": 1, "b": "x", "zeta": 1, "alpha": 2})", strict);
    CHECK(e.path == "outputData.alpha");
    auto m = gcx::from_json<J, std::map<std::string, int>>(parse<J>(R"({"zeta": "x", "ok": 1, "alpha": "y"})"));
    REQUIRE_FALSE(m.has_value());
    CHECK(m.error().path == "outputData.alpha");
}

struct wide {  // about 50 KB: 16 contacts
    std::optional<gcx::external_contact> a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p;
};
BOOST_DESCRIBE_STRUCT(wide, (), (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p))

TEMPLATE_LIST_TEST_CASE("a long array of something else allocates nothing for the elements it refuses", "[reflect]",
                        backends) {
    using J = TestType;
    // A million zeros (2 MB): reserved up front, a million 50 KB structs, 50 GB (std::bad_alloc).
    std::string text = "[0";
    for (int i = 1; i < 1000000; ++i) text += ",0";
    text += "]";
    std::vector<wide> out;
    gcx::result<void> r;
    REQUIRE_NOTHROW(r = gcx::from_json<J>(parse<J>(text), out));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().path == "outputData[0]");
    CHECK(out.capacity() <= 16);
}

TEMPLATE_LIST_TEST_CASE("an integer is read into a float as the nearest float, rounded once", "[reflect]", backends) {
    using J = TestType;
    // 2^60 + 2^36 + 1: through a double it is 2^60 + 2^36 (a tie), then 2^60 as a float.
    const std::int64_t x = (std::int64_t{1} << 60) + (std::int64_t{1} << 36) + 1;
    const float nearest = std::ldexp(1.0f, 60) + std::ldexp(1.0f, 37);
    REQUIRE(static_cast<float>(x) == nearest);
    for (const std::string& text : {std::to_string(x), "\"" + std::to_string(x) + "\""}) {
        CAPTURE(text);
        auto r = gcx::from_json<J, rt::one<float>>(parse<J>(R"({"value": )" + text + "}"));
        REQUIRE(r.has_value());
        CHECK(r->value == nearest);
    }
}

TEMPLATE_LIST_TEST_CASE("a long key in an error path is clipped between characters, never inside one", "[reflect]",
                        backends) {
    using J = TestType;
    std::string key = "a";
    for (int i = 0; i < 60; ++i) key += "\xe2\x82\xac";  // U+20AC, three bytes: byte 120 is inside one
    gcx::map_options strict;
    strict.strict = true;
    const auto e = mapping_error<J, rt::two_required>(R"({"a": 1, "b": "x", ")" + key + R"(": 1})", strict);
    CHECK(e.path == R"(outputData[")" + key.substr(0, 118) + R"(..."])");
}

TEMPLATE_LIST_TEST_CASE("a member of a struct in an array is read in place", "[reflect]", backends) {
    using J = TestType;
    auto r = gcx::from_json<J, std::vector<rt::two_required>>(parse<J>(R"([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])"));
    REQUIRE(r.has_value());
    REQUIRE(r->size() == 2);
    CHECK((*r)[1].a == 2);
    CHECK((*r)[1].b == "y");

    // A failed element is not kept: the vector holds the elements read before it.
    std::vector<rt::two_required> out(5);
    auto bad = gcx::from_json<J>(parse<J>(R"([{"a": 1, "b": "x"}, {"a": "two", "b": "y"}])"), out);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().path == "outputData[1].a");
    CHECK(out.size() == 1);
}

}  // namespace unit_reflect
