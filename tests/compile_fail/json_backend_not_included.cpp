// Must not compile: the program names gcx::json::nlohmann (declared by gcx, so the name is
// found) without its header, or with the single header without GCX_WITH_NLOHMANN. Expect one
// short static_assert naming the macro and the header, not "invalid use of incomplete type".
// EXPECT: #define GCX_WITH_NLOHMANN before #include <gcx/gcx.hpp>
#include <gcx/gcx.hpp>

struct null_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request&) { return gcx::http::response{}; }
};

// As a program uses it: made, then every kind of lookup called (before, clang went on from the one
// static_assert into the members' bodies: 2 to 4 errors).
int main() {
    using client = gcx::basic_client<null_transport, gcx::json::nlohmann>;
    auto c = client::create(gcx::client_config{});
    if (!c) return 1;
    (void)c->lookup("+13175550123");
    (void)c->lookup<gcx::customer_lookup>("+13175550123");
    (void)c->find_contacts("+13175550123");
    (void)c->execute_action("+13175550123");
    (void)c->check();
    return 0;
}
