// Must not compile: the transport's send returns std::optional<http::response> (no error to tell
// gcx whether a launch may be retried). Expect one short static_assert stating the signature.
// EXPECT: the request carries no Host or Content-Length header: the transport adds them
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <optional>

struct optional_transport {
    std::optional<gcx::http::response> send(const gcx::http::request&) { return std::nullopt; }
};

// As a program uses it: made, then every kind of lookup called (before, clang went on from the one
// static_assert into the members' bodies: 2 to 4 errors).
int main() {
    using client = gcx::basic_client<optional_transport, gcx::json::boost_json>;
    auto c = client::create(gcx::client_config{});
    if (!c) return 1;
    (void)c->lookup("+13175550123");
    (void)c->lookup<gcx::customer_lookup>("+13175550123");
    (void)c->find_contacts("+13175550123");
    (void)c->execute_action("+13175550123");
    (void)c->check();
    return 0;
}
