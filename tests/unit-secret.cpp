// gcx::secret (gcx/secret.hpp): a string that never prints and compares in constant time.
#include <gcx/secret.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>

namespace {

const std::string client_secret = "S3cr3t-Do-Not-Print-7f1c";

template <class T>
std::string streamed(const T& v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

// The fastest of `runs` comparisons of a with b, in nanoseconds: the minimum is what the
// comparison costs, the rest is noise from a loaded machine.
long long fastest_compare_ns(const gcx::secret& a, const gcx::secret& b, int runs) {
    long long best = -1;
    volatile bool sink = false;
    for (int i = 0; i < runs; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        sink = (a == b);
        auto t1 = std::chrono::steady_clock::now();
        long long ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
        if (best < 0 || ns < best) best = ns;
    }
    (void)sink;
    return best;
}

} // namespace

TEST_CASE("secret: streams as [REDACTED], never as its text") {
    gcx::secret s(client_secret);
    std::string out = streamed(s);
    CHECK(out == "[REDACTED]");
    CHECK(out.find("S3cr3t") == std::string::npos);
    CHECK(streamed(gcx::secret()) == "[REDACTED]");  // an empty one does not say it is empty
}

TEST_CASE("secret: has no implicit way to become a string") {
    STATIC_REQUIRE_FALSE(std::is_convertible_v<gcx::secret, std::string>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<gcx::secret, std::string_view>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<gcx::secret, const char*>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<std::string, gcx::secret>);  // explicit construction only
    STATIC_REQUIRE(std::is_constructible_v<gcx::secret, std::string>);
}

TEST_CASE("secret: reveal() gives the text back, assignment replaces it") {
    gcx::secret s;
    CHECK(s.empty());
    CHECK(s.reveal().empty());
    s = client_secret;
    CHECK_FALSE(s.empty());
    CHECK(s.reveal() == client_secret);
    s = std::string();
    CHECK(s.empty());
}

TEST_CASE("secret: equal only when the texts are equal, wherever they first differ") {
    const gcx::secret a(client_secret);
    CHECK(a == gcx::secret(client_secret));
    CHECK_FALSE(a != gcx::secret(client_secret));
    for (std::size_t i = 0; i < client_secret.size(); ++i) {
        std::string other = client_secret;
        other[i] = static_cast<char>(other[i] ^ 0x01);
        CAPTURE(i);
        CHECK_FALSE(a == gcx::secret(other));
        CHECK(a != gcx::secret(other));
    }
    CHECK(a != gcx::secret(client_secret + "x"));             // a longer text with the same start
    CHECK(a != gcx::secret(client_secret.substr(0, 10)));     // a prefix
    CHECK(gcx::secret() == gcx::secret(std::string()));
    CHECK(gcx::secret() != a);
    // Bytes above 0x7f and NUL bytes compare as bytes.
    CHECK(gcx::secret(std::string("a\0b", 3)) != gcx::secret(std::string("a\0c", 3)));
    CHECK(gcx::secret("\xff\x80") == gcx::secret("\xff\x80"));
    CHECK(gcx::secret("\xff\x80") != gcx::secret("\xff\x81"));
}

TEST_CASE("secret: comparing takes as long when the first byte differs as when the last does") {
    // A comparison that stops at the first difference (std::string's) tells an attacker timing
    // it how many leading characters were right. With 1 MiB texts such a comparison is hundreds
    // of times faster when the first byte differs; a constant-time one takes about as long.
    const std::string text(std::size_t{1} << 20, 'k');
    std::string first = text, last = text;
    first.front() = 'x';
    last.back() = 'x';
    const gcx::secret s(text), differs_first(first), differs_last(last);
    const long long t_first = fastest_compare_ns(s, differs_first, 15);
    const long long t_last = fastest_compare_ns(s, differs_last, 15);
    CAPTURE(t_first, t_last);
    CHECK(t_last < 10 * std::max(t_first, 1LL));
}
