// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_CONNECTION_HPP
#define GCX_ADAPTERS_ASIO_CONNECTION_HPP

// asio_connection: one HTTP/1.1 connection of the asio client, plain TCP or TLS, and the bytes
// read past its last answer.

#include <gcx/version.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <chrono>
#include <functional>
#include <optional>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

namespace asio_ns = boost::asio;

/// One HTTP/1.1 connection, plain or TLS, and the bytes read past its last answer.
struct asio_connection {
    using tcp = asio_ns::ip::tcp;
    std::optional<tcp::socket> plain;
    std::optional<asio_ns::ssl::stream<tcp::socket>> tls;
    boost::beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since{};
    /// Called once when the connection is destroyed: frees its slot in the pool (asio_pool).
    std::function<void()> on_end;

    asio_connection(const asio_ns::any_io_executor& ex, asio_ns::ssl::context* ctx) {
        if (ctx) tls.emplace(ex, *ctx);
        else plain.emplace(ex);
    }
    asio_connection(const asio_connection&) = delete;
    asio_connection& operator=(const asio_connection&) = delete;
    ~asio_connection() {
        if (on_end) on_end();
    }
    tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
    void close() noexcept {
        boost::system::error_code ignored;
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
    }
    /// Calls f(stream) with the stream requests go on.
    template <class F>
    void with_stream(F&& f) {
        if (tls) f(*tls);
        else f(*plain);
    }
};

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
