// Must not compile: the transport's send returns std::optional<http::response> (no error to tell
// gcx whether a launch may be retried). Expect one short static_assert stating the signature.
// EXPECT: the request carries no Host or Content-Length header: the transport adds them
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <optional>

struct optional_transport {
    std::optional<gcx::http::response> send(const gcx::http::request&) { return std::nullopt; }
};

// Instantiating the class is enough (however the program would construct it).
int main() { return sizeof(gcx::basic_client<optional_transport, gcx::json::boost_json>) > 0 ? 0 : 1; }
