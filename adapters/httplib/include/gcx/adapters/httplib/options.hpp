// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_OPTIONS_HPP
#define GCX_ADAPTERS_HTTPLIB_OPTIONS_HPP

// The cpp-httplib adapter's options (httplib_options).

#include <gcx/adapters/transport_options.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <functional>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// httplib_transport's options: the common ones, plus httplib specifics.
struct httplib_options : transport_options {
    /// Called once on every new client, after gcx has configured it (for https it is an
    /// httplib::SSLClient): for settings gcx does not model (client certificates via
    /// ssl_context(), set_interface, set_hostname_addr_map...). It must not turn off keep-alive
    /// or turn on redirects, and must not replace set_socket_options (gcx uses it to watch
    /// the connection). Default: empty.
    std::function<void(httplib::ClientImpl&)> configure;

    /// Block SIGPIPE in the sending thread during send() (see SIGPIPE in gcx/adapters/httplib.hpp).
    /// Default: on. Turn it off if the program already ignores SIGPIPE.
    bool suppress_sigpipe = true;
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
