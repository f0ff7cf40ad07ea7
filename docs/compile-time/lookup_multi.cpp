// Compile-time measurement (docs/compile-time.md): lookup_single.cpp, through the multi-header
// tree (include/) instead of the single header.
#include <gcx/gcx.hpp>
#include <gcx/json/boost_json.hpp>

#include <optional>
#include <string>

struct outputs {
    bool Found = false;
    std::optional<std::string> ContactId;
};
BOOST_DESCRIBE_STRUCT(outputs, (), (Found, ContactId))

struct stub_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request&) const {
        return gcx::make_error(gcx::errc::transport, "stub");
    }
};

int main() {
    gcx::client_config cfg;
    auto client = gcx::basic_client<stub_transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup<outputs>("+13175550123");
    return r && r->outputs.Found ? 0 : 1;
}
