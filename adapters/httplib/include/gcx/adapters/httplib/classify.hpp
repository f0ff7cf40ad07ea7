// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_HTTPLIB_CLASSIFY_HPP
#define GCX_ADAPTERS_HTTPLIB_CLASSIFY_HPP

// A failed cpp-httplib exchange as a gcx::error: its code, errc, hint and whether the request
// was sent (delivery).

#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/error.hpp>
#include <gcx/version.hpp>

#include <httplib.h>

#include <chrono>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The error for an exchange httplib reported as failed with `err` (see "Was the request sent?"
/// in gcx/adapters/httplib.hpp). `too_large`: the body cap refused the answer; `headers_too_large`:
/// the header cap did; `late`: gcx abandoned it at its deadline.
inline error httplib_classify(httplib::Error err, bool too_large, bool headers_too_large, bool late,
                              std::chrono::milliseconds elapsed, std::chrono::milliseconds budget,
                              const std::string& where) {
    using std::chrono::milliseconds;
    if (headers_too_large) {
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response headers exceed max_header_bytes",
                               "a server (or something in between) sent headers without end");
    }
    if (too_large) {
        return transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                               where + ": response body exceeds max_response_bytes", hint_too_large());
    }
    // poll() sleeps at least the timeout; a few ms of slack absorbs clock granularity.
    const bool deadline_passed = late || elapsed + milliseconds(5) >= budget;
    // The answer did not come (whole) within the request's budget: a read that ran out of time,
    // or an exchange gcx abandoned at its deadline.
    const auto no_answer_in_time = [&] {
        return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                               where + ": no complete response within " + std::to_string(budget.count()) + " ms");
    };
    switch (err) {
    case httplib::Error::Success:  // httplib returned false without an error: name resolution
        return transport_error(errc::transport, std::string(codes::resolve), delivery::not_sent,
                               where + ": could not resolve the host name", hint_connect());
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + ": could not connect", hint_connect());
    case httplib::Error::ConnectionTimeout:
        if (deadline_passed) {
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::not_sent,
                                   where + ": timed out while connecting");
        }
        return transport_error(errc::transport, std::string(codes::connect), delivery::not_sent,
                               where + ": connect timed out", hint_connect());
    case httplib::Error::SSLConnection:
        return transport_error(errc::transport, std::string(codes::tls), delivery::not_sent,
                               where + ": TLS handshake failed", hint_tls());
    case httplib::Error::SSLServerVerification:
        return transport_error(errc::transport, std::string(codes::certificate), delivery::not_sent,
                               where + ": server certificate verification failed", hint_tls());
    case httplib::Error::SSLLoadingCerts:
        return transport_error(errc::config, std::string(codes::tls), delivery::not_sent,
                               where + ": could not load the CA certificates",
                               "check that ca_file / ca_path name readable PEM certificates");
    case httplib::Error::Read:
        if (deadline_passed) return no_answer_in_time();
        return transport_error(errc::transport, std::string(codes::recv), delivery::maybe,
                               where + ": connection closed or reset before a complete response");
    case httplib::Error::Write:
        if (deadline_passed) {
            return transport_error(errc::timeout, std::string(codes::timeout), delivery::maybe,
                                   where + ": timed out while sending the request");
        }
        return transport_error(errc::transport, std::string(codes::send), delivery::maybe,
                               where + ": failed to send the request");
    case httplib::Error::Canceled:
        if (late) return no_answer_in_time();
        return transport_error(errc::transport, std::string(codes::canceled), delivery::maybe,
                               where + ": request canceled");
    case httplib::Error::Compression:
        return transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                               where + ": could not decompress the response");
    default:
        return transport_error(errc::transport, std::string(codes::unknown), delivery::maybe,
                               where + ": request failed (" + httplib::to_string(err) + ")");
    }
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
