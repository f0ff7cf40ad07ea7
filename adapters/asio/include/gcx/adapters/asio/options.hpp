// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_OPTIONS_HPP
#define GCX_ADAPTERS_ASIO_OPTIONS_HPP

// asio_options: the asio client's settings (transport_options; see gcx/adapters/asio.hpp).

#include <gcx/adapters/transport_options.hpp>
#include <gcx/version.hpp>

#include <cstddef>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// The asio client's settings: transport_options (verify_peer, verify_host, ca_file, ca_path,
/// max_response_bytes, max_header_bytes, connect_timeout, user_agent, allow_insecure_http,
/// max_idle_connections (idle per origin, or as many as operations in flight), post_max_idle),
/// and max_connections. `proxy` is not supported (see the top of gcx/adapters/asio.hpp).
struct asio_options : transport_options {
    /// Connections open at once per origin (scheme://host:port), idle or in use; 0: no limit.
    /// A request that finds none idle and no room waits for the next one free, within its own
    /// deadline, so any number of lookups in flight share at most this many connections (each
    /// holds a request only for its exchange; the rest of a lookup is waiting). Default: 64.
    std::size_t max_connections = 64;
};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
