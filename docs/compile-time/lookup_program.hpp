// Compile-time measurement (docs/compile-time.md): the program lookup_single.cpp, lookup_multi.cpp
// and lookup_readme.cpp compile, after each has included gcx with the Boost.JSON backend its own
// way and declared its `outputs` struct (with a `Found` member, a bool or an optional bool): one
// basic_client::lookup<outputs>. The transport is a stub (it never runs): the point is what
// including gcx and instantiating a typed lookup cost the compiler.
#ifndef GCX_COMPILE_TIME_LOOKUP_PROGRAM_HPP
#define GCX_COMPILE_TIME_LOOKUP_PROGRAM_HPP

struct stub_transport {
    gcx::result<gcx::http::response> send(const gcx::http::request&) const {
        return gcx::make_error(gcx::errc::transport, "stub");
    }
};

int main() {
    gcx::client_config cfg;
    auto client = gcx::basic_client<stub_transport, gcx::json::boost_json>::create(cfg).value();
    auto r = client.lookup<outputs>("+13175550123");
    return r && r->outputs.Found == true ? 0 : 1;
}

#endif
