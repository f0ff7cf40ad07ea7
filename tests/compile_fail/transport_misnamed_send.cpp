// Must not compile: the transport's member is called `perform`, not `send`. Expect one short
// static_assert stating the signature basic_client needs, not errors from inside the client.
// EXPECT: gcx: Transport must have: gcx::result<gcx::http::response> send(const gcx::http::request&)
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

struct misnamed_transport {
    gcx::result<gcx::http::response> perform(const gcx::http::request&) { return gcx::http::response{}; }
};

// Instantiating the class is enough (however the program would construct it).
int main() { return sizeof(gcx::basic_client<misnamed_transport, gcx::json::boost_json>) > 0 ? 0 : 1; }
