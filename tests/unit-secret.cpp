// gcx::secret (gcx/secret.hpp): a string that never prints and compares in constant time.
#include <gcx/secret.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>

// Everything of this file is in its own namespace: gcx-unit compiles the unit files together
// (unity build), so helpers of the same name in two files must not meet.
namespace unit_secret {

namespace {

const std::string client_secret = "S3cr3t-Do-Not-Print-7f1c";

template <class T>
std::string streamed(const T& v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

}  // namespace

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
    CHECK(a != gcx::secret(client_secret + "x"));          // a longer text with the same start
    CHECK(a != gcx::secret(client_secret.substr(0, 10)));  // a prefix
    CHECK(gcx::secret() == gcx::secret(std::string()));
    CHECK(gcx::secret() != a);
    // Bytes above 0x7f and NUL bytes compare as bytes.
    CHECK(gcx::secret(std::string("a\0b", 3)) != gcx::secret(std::string("a\0c", 3)));
    CHECK(gcx::secret("\xff\x80") == gcx::secret("\xff\x80"));
    CHECK(gcx::secret("\xff\x80") != gcx::secret("\xff\x81"));
}

}  // namespace unit_secret
