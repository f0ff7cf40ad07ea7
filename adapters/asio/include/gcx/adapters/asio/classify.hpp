// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_ASIO_CLASSIFY_HPP
#define GCX_ADAPTERS_ASIO_CLASSIFY_HPP

// A failed asio exchange as a gcx::error: where it was (asio_phase), its code, errc, hint and
// whether the request was sent (delivery).

#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/error.hpp>
#include <gcx/version.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

namespace asio_ns = boost::asio;
namespace beast_http = boost::beast::http;

/// Where a request was when it failed.
enum class asio_phase { queue, resolve, connect, handshake, write, read };

/// The gcx::error for an exchange that failed in `phase` with `ec` (see the top of gcx/adapters/asio.hpp).
/// `expired`: gcx's own timer stopped it; `connect_bound`: that timer was the connect timeout,
/// shorter than the request's; `written`: bytes of the request were written; `got_some`: bytes
/// of an answer were read.
inline error asio_classify(asio_phase phase, const boost::system::error_code& ec, bool expired, bool connect_bound,
                           bool written, bool got_some, bool verify_failed, std::chrono::milliseconds budget,
                           const std::string& where) {
    const std::string why = ec.message();
    switch (phase) {
    case asio_phase::queue:  // waiting for a connection (max_connections): nothing was sent
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                               where + ": timed out waiting for a free connection (all max_connections in use)",
                               "raise max_connections, or start fewer lookups at once");
    case asio_phase::resolve:
        return transport_error(errc::transport, std::string(codes::resolve), delivery::not_sent,
                               where + ": could not resolve the host name (" + why + ")", hint_connect());
    case asio_phase::connect:
        if (expired && !connect_bound)
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out while connecting");
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + (expired ? ": connect timed out" : ": could not connect (" + why + ")"),
                               hint_connect());
    case asio_phase::handshake:
        if (expired && !connect_bound)
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out during the TLS handshake");
        if (verify_failed)
            return transport_error(errc::transport, std::string(codes::certificate), delivery::not_sent,
                                   where + ": server certificate verification failed", hint_tls());
        return transport_error(errc::transport, std::string(codes::tls), delivery::not_sent,
                               where + (expired ? ": TLS handshake timed out" : ": TLS handshake failed (" + why + ")"),
                               hint_tls());
    case asio_phase::write: {
        const delivery d = written ? delivery::maybe : delivery::not_sent;
        if (expired)
            return transport_error(errc::timeout, std::string(codes::timeout), d,
                                   where + ": timed out while sending the request");
        return transport_error(errc::transport, std::string(codes::send), d,
                               where + ": failed to send the request (" + why + ")");
    }
    case asio_phase::read: break;
    }
    if (ec == beast_http::error::body_limit)
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response body exceeds max_response_bytes", hint_too_large());
    if (ec == beast_http::error::header_limit)
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response headers exceed max_header_bytes",
                               "a server (or something in between) sent headers without end");
    if (expired)
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                               where + ": no complete response within " + std::to_string(budget.count()) + " ms");
    const bool closed = ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message ||
                        ec == asio_ns::error::eof || ec == asio_ns::error::connection_reset ||
                        ec == asio_ns::ssl::error::stream_truncated || ec == asio_ns::error::broken_pipe;
    if (closed && !got_some)
        return transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe,
                               where + ": the connection closed without an answer after the request was sent "
                                       "(it was not sent again: the server may have acted on it)");
    if (closed)
        return transport_error(errc::transport, std::string(codes::partial), delivery::maybe,
                               where + ": the connection closed before the answer was complete");
    if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category())
        return transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                               where + ": the answer is not HTTP/1.1 (" + why + ")");
    return transport_error(errc::transport, std::string(codes::recv), delivery::maybe,
                           where + ": reading the answer failed (" + why + ")");
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
