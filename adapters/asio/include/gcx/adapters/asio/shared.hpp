// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_SHARED_HPP
#define GCX_ADAPTERS_ASIO_SHARED_HPP

// asio_shared: what every operation of one asio client shares -- the session, the options, the
// TLS context (and the errors met setting it up), the keep-alive memory, the connection pool and
// the count of operations in flight.

#include <gcx/adapters/asio/options.hpp>
#include <gcx/adapters/asio/pool.hpp>
#include <gcx/adapters/common/keepalive.hpp>
#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/error.hpp>
#include <gcx/session.hpp>
#include <gcx/version.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

namespace asio_ns = boost::asio;

/// What every operation of one client shares.
struct asio_shared {
    asio_shared(asio_ns::any_io_executor e, gcx::session s, asio_options o)
        : ex(std::move(e)), session(std::move(s)), opts(std::move(o)), tls(asio_ns::ssl::context::tls_client),
          pool(opts.max_idle_connections, opts.max_connections) {
        if (!opts.proxy.empty()) {
            init_error = transport_error(errc::config, std::string(codes::bad_proxy), delivery::not_sent,
                                         "the asio adapter does not support a proxy",
                                         "leave the proxy option empty, or use the curl adapter");
            return;
        }
        boost::system::error_code ec;
        tls.set_options(asio_ns::ssl::context::default_workarounds | asio_ns::ssl::context::no_sslv2 |
                            asio_ns::ssl::context::no_sslv3 | asio_ns::ssl::context::no_tlsv1 |
                            asio_ns::ssl::context::no_tlsv1_1,
                        ec);
        if (!opts.ca_file.empty() || !opts.ca_path.empty()) {
            if (!opts.ca_file.empty()) tls.load_verify_file(opts.ca_file, ec);
            if (!ec && !opts.ca_path.empty()) tls.add_verify_path(opts.ca_path, ec);
        } else {
            tls.set_default_verify_paths(ec);
        }
        if (ec) {
            tls_error = transport_error(errc::config, std::string(codes::tls), delivery::not_sent,
                                        "could not load the CA certificates (" + ec.message() + ")",
                                        "check that ca_file / ca_path name readable PEM certificates");
        }
    }

    asio_ns::any_io_executor ex;
    gcx::session session;
    asio_options opts;
    asio_ns::ssl::context tls;
    std::optional<error> init_error;  // every request fails with it
    std::optional<error> tls_error;   // every https request fails with it
    keepalive_memory keepalive;
    asio_pool pool;
    std::atomic<std::size_t> in_flight{0};  // operations started and not completed
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
