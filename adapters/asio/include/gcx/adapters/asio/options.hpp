// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_OPTIONS_HPP
#define GCX_ADAPTERS_ASIO_OPTIONS_HPP

// asio_options: the asio client's settings (transport_options; see gcx/adapters/asio.hpp).

#include <gcx/adapters/transport_options.hpp>
#include <gcx/version.hpp>

GCX_NAMESPACE_BEGIN
namespace adapters {

/// The asio client's settings: transport_options (verify_peer, verify_host, ca_file, ca_path,
/// max_response_bytes, max_header_bytes, connect_timeout, user_agent, allow_insecure_http,
/// max_idle_connections (idle per origin, or as many as operations in flight), post_max_idle). `proxy` is not supported (see the top of
/// gcx/adapters/asio.hpp).
struct asio_options : transport_options {};

}  // namespace adapters
GCX_NAMESPACE_END

#endif
