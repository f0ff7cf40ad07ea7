// gcx::result<T> and gcx::exception (gcx/result.hpp): a value or a gcx::error, exceptions only on
// request.
#include <gcx/result.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_result {

namespace {

gcx::error refused() {
    gcx::error e = gcx::make_error(gcx::errc::permission, "flow launch refused", "assign architect:flow:launch");
    e.http_status = 403;
    e.code = "missing.any.permissions";
    return e;
}

gcx::result<int> parse_positive(int v) {
    if (v <= 0) return gcx::make_error(gcx::errc::invalid_input, "not positive");
    return v;
}

}  // namespace

TEST_CASE("result: holds a value, and says so") {
    gcx::result<std::string> r(std::string("found"));
    REQUIRE(r.has_value());
    REQUIRE(static_cast<bool>(r));
    CHECK(*r == "found");
    CHECK(r->size() == 5);
    CHECK(r.value() == "found");
    *r += "!";
    CHECK(r.value() == "found!");
}

TEST_CASE("result: holds an error, with every field kept") {
    gcx::result<std::string> r(refused());
    REQUIRE_FALSE(r.has_value());
    REQUIRE_FALSE(static_cast<bool>(r));
    CHECK(r.error().kind == gcx::errc::permission);
    CHECK(r.error().http_status == 403);
    CHECK(r.error().code == "missing.any.permissions");
    CHECK(r.error().hint == "assign architect:flow:launch");
}

TEST_CASE("result: functions return a value or an error by plain return") {
    auto ok = parse_positive(3);
    REQUIRE(ok);
    CHECK(*ok == 3);
    auto bad = parse_positive(-1);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == gcx::errc::invalid_input);
}

TEST_CASE("result: value() on an error throws gcx::exception carrying the error and describe()") {
    gcx::result<int> r(refused());
    try {
        (void)r.value();
        FAIL("value() did not throw");
    } catch (const gcx::exception& e) {
        CHECK(e.error().kind == gcx::errc::permission);
        CHECK(e.error().http_status == 403);
        CHECK(std::string(e.what()) == refused().describe());
    }
    // gcx::exception is a std::runtime_error, so generic handlers catch it too.
    CHECK_THROWS_AS(r.value(), std::runtime_error);
    const gcx::result<int>& cr = r;
    CHECK_THROWS_AS(cr.value(), gcx::exception);
    CHECK_THROWS_AS(std::move(r).value(), gcx::exception);
}

TEST_CASE("result: a move-only value can be taken out") {
    gcx::result<std::unique_ptr<int>> r(std::make_unique<int>(42));
    REQUIRE(r);
    std::unique_ptr<int> p = std::move(r).value();
    REQUIRE(p);
    CHECK(*p == 42);

    gcx::result<std::unique_ptr<int>> r2(std::make_unique<int>(7));
    std::unique_ptr<int> q = *std::move(r2);
    CHECK(*q == 7);
}

TEST_CASE("result: copies and moves keep the state") {
    gcx::result<std::vector<int>> a(std::vector<int>{1, 2, 3});
    auto b = a;
    CHECK(b->size() == 3);
    auto c = std::move(a);
    CHECK(c->size() == 3);
    gcx::result<std::vector<int>> e(refused());
    auto f = e;
    REQUIRE_FALSE(f);
    CHECK(f.error().code == "missing.any.permissions");
    f = b;
    REQUIRE(f);
    CHECK(f->at(2) == 3);
}

TEST_CASE("result<void>: success by default, or an error") {
    gcx::result<void> ok;
    CHECK(ok.has_value());
    CHECK(static_cast<bool>(ok));
    CHECK_NOTHROW(ok.value());

    gcx::result<void> bad(refused());
    CHECK_FALSE(bad.has_value());
    CHECK(bad.error().kind == gcx::errc::permission);
    CHECK_THROWS_AS(bad.value(), gcx::exception);
}

TEST_CASE("result: the error can be amended in place") {
    gcx::result<int> r(refused());
    r.error().execution_id = "c0a8012e";
    CHECK(r.error().execution_id == "c0a8012e");
    gcx::result<void> v(refused());
    v.error().hint.clear();
    CHECK(v.error().hint.empty());
}

TEST_CASE("result: converts from its value type and from gcx::error only") {
    STATIC_REQUIRE(std::is_constructible_v<gcx::result<int>, int>);
    STATIC_REQUIRE(std::is_constructible_v<gcx::result<int>, gcx::error>);
    STATIC_REQUIRE_FALSE(std::is_constructible_v<gcx::result<int>, std::string>);
    STATIC_REQUIRE(std::is_same_v<gcx::result<int>::value_type, int>);
}

// Lifetimes: a counter of live objects shows a leak or a double destroy.
namespace {

/// Counts the live objects of its kind, so a copy or assignment that leaks, or destroys twice,
/// shows as a count other than the objects the test holds.
struct counted {
    static int live;
    std::string text;
    explicit counted(std::string t) : text(std::move(t)) { ++live; }
    counted(const counted& o) : text(o.text) { ++live; }
    counted(counted&& o) noexcept : text(std::move(o.text)) { ++live; }
    counted& operator=(const counted&) = default;
    counted& operator=(counted&&) = default;
    ~counted() { --live; }
};
int counted::live = 0;

gcx::error oops() { return gcx::make_error(gcx::errc::protocol, "oops"); }

}  // namespace

TEST_CASE("result: a value and an error are told apart and read back") {
    gcx::result<std::string> v = std::string("abc");
    REQUIRE(v);
    CHECK(v.has_value());
    CHECK(*v == "abc");
    CHECK(v->size() == 3);
    CHECK(v.value() == "abc");

    gcx::result<std::string> e = oops();
    REQUIRE_FALSE(e);
    CHECK(e.error().kind == gcx::errc::protocol);
    CHECK(e.error().message == "oops");
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    CHECK_THROWS_AS(e.value(), gcx::exception);
#endif
}

TEST_CASE("result: copies and moves keep a value or an error") {
    counted::live = 0;
    {
        gcx::result<counted> v = counted("x");
        gcx::result<counted> e = oops();
        gcx::result<counted> v2 = v;
        gcx::result<counted> e2 = e;
        REQUIRE(v2);
        CHECK(v2->text == "x");
        CHECK(v->text == "x");
        REQUIRE_FALSE(e2);
        CHECK(e2.error().message == "oops");
        CHECK(counted::live == 2);

        gcx::result<counted> v3 = std::move(v2);
        REQUIRE(v3);
        CHECK(v3->text == "x");
        gcx::result<counted> e3 = std::move(e2);
        REQUIRE_FALSE(e3);
        CHECK(e3.error().message == "oops");
        CHECK(counted::live == 3);  // v, v2 (moved from), v3
    }
    CHECK(counted::live == 0);
}

TEST_CASE("result: assigning an error over a value and a value over an error switches what it holds") {
    counted::live = 0;
    {
        gcx::result<counted> r = counted("first");
        r = oops();
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "oops");
        CHECK(counted::live == 0);

        r = counted("second");
        REQUIRE(r);
        CHECK(r->text == "second");
        CHECK(counted::live == 1);

        const gcx::result<counted> other = counted("third");
        r = other;  // copy assignment, value over value
        REQUIRE(r);
        CHECK(r->text == "third");
        CHECK(counted::live == 2);

        const gcx::result<counted> failed = oops();
        r = failed;  // copy assignment, error over value
        REQUIRE_FALSE(r);
        CHECK(counted::live == 1);

        auto& self = r;
        r = self;  // self-assignment keeps the error
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "oops");
    }
    CHECK(counted::live == 0);
}

TEST_CASE("result: a move-only value moves in and out") {
    gcx::result<std::unique_ptr<int>> r = std::make_unique<int>(7);
    REQUIRE(r);
    std::unique_ptr<int> p = std::move(r).value();
    REQUIRE(p);
    CHECK(*p == 7);
    gcx::result<std::unique_ptr<int>> moved = std::move(r);
    CHECK(moved);
    moved = oops();
    CHECK_FALSE(moved);
}

namespace {
/// A value whose move throws (after the source was read): what a result must survive.
struct throws_on_move {
    std::string text = std::string(100, 'x');  // on the heap: a double free would show under ASan
    throws_on_move() = default;
    throws_on_move(const throws_on_move&) = default;
    throws_on_move(throws_on_move&&) { throw std::runtime_error("move"); }
    throws_on_move& operator=(const throws_on_move&) = default;
    throws_on_move& operator=(throws_on_move&&) = default;
};

/// Move-only, with a move that may throw (std::vector then has to move it anyway).
struct move_only {
    std::unique_ptr<int> p = std::make_unique<int>(7);
    move_only() = default;
    move_only(move_only&& o) noexcept(false) : p(std::move(o.p)) {}
    move_only& operator=(move_only&&) = default;
};
}  // namespace

TEST_CASE("result: an assignment whose value throws while built leaves an error, never a destroyed value") {
    const throws_on_move value;
    gcx::result<throws_on_move> a = gcx::make_error(gcx::errc::config, "first");
    gcx::result<throws_on_move> b{value};  // copied in: its move throws
    REQUIRE(b);
    CHECK_THROWS_AS(a = std::move(b), std::runtime_error);
    CHECK_FALSE(a.has_value());  // a default error: a valid object, destroyed once
    CHECK(a.error().message.empty());

    gcx::result<throws_on_move> c{value};
    CHECK_THROWS_AS(c = b, std::runtime_error);  // copy, then the move that throws
    CHECK_FALSE(c.has_value());
    CHECK(b.has_value());  // the source is untouched
}

TEST_CASE("result: copyable exactly when its value type is") {
    STATIC_REQUIRE(std::is_copy_constructible_v<gcx::result<std::string>>);
    STATIC_REQUIRE(std::is_copy_assignable_v<gcx::result<std::string>>);
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<gcx::result<std::unique_ptr<int>>>);
    STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<gcx::result<std::unique_ptr<int>>>);
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<gcx::result<std::string>>);
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<gcx::result<move_only>>);
    // So std::vector moves a move-only result with a throwing move (it would pick a copy otherwise).
    std::vector<gcx::result<move_only>> v;
    for (int i = 0; i < 10; ++i) v.push_back(move_only{});
    CHECK(*v.front()->p == 7);
    CHECK(*v.back()->p == 7);
}

}  // namespace unit_result
