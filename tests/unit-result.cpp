// include/gcx/result.hpp: result<T> holds a T or an error, through copies, moves and assignments.
#include <gcx/result.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>

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

} // namespace

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
        CHECK(counted::live == 3); // v, v2 (moved from), v3
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
        r = other; // copy assignment, value over value
        REQUIRE(r);
        CHECK(r->text == "third");
        CHECK(counted::live == 2);

        const gcx::result<counted> failed = oops();
        r = failed; // copy assignment, error over value
        REQUIRE_FALSE(r);
        CHECK(counted::live == 1);

        auto& self = r;
        r = self; // self-assignment keeps the error
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
