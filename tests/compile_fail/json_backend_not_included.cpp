// Must not compile: the program names gcx::json::nlohmann (declared by gcx, so the name is
// found) without its header, or with the single header without GCX_WITH_NLOHMANN. Expect one
// short static_assert naming the macro and the header, not "invalid use of incomplete type".
// EXPECT: #define GCX_WITH_NLOHMANN before #include <gcx/gcx.hpp>
#include <gcx/gcx.hpp>

struct null_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request&) { return gcx::http::response{}; }
};

// Instantiating the class is enough (however the program would construct it).
int main() { return sizeof(gcx::basic_client<null_transport, gcx::json::nlohmann>) > 0 ? 0 : 1; }
