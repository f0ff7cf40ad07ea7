// Compile-time measurement (docs/compile-time.md): the program lookup_single.cpp and
// lookup_multi.cpp both compile, after each has included gcx with the Boost.JSON backend its own
// way: one output struct and basic_client::lookup<T>. The transport is a stub (it never runs):
// the point is what including gcx and instantiating a typed lookup cost the compiler.
#ifndef GCX_COMPILE_TIME_LOOKUP_PROGRAM_HPP
#define GCX_COMPILE_TIME_LOOKUP_PROGRAM_HPP

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

#endif
