// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ADAPTERS_CURL_CLASSIFY_HPP
#define GCX_ADAPTERS_CURL_CLASSIFY_HPP

// A failed libcurl transfer as a gcx::error: its code, errc, hint and whether the request was
// sent (delivery).

#include <gcx/adapters/common/transport_error.hpp>
#include <gcx/adapters/curl/exchange.hpp>
#include <gcx/error.hpp>
#include <gcx/version.hpp>

#include <curl/curl.h>

#include <chrono>
#include <string>

GCX_NAMESPACE_BEGIN
namespace adapters {
namespace detail {

/// The error for a transfer that ended with `rc` (see "Was the request sent?" in gcx/adapters/curl.hpp).
inline error curl_classify(CURLcode rc, const detail::curl_exchange& ex, bool wrote, std::chrono::milliseconds elapsed,
                           std::chrono::milliseconds budget, const std::string& where, const char* errbuf) {
    // libcurl's error buffer says what happened in words ("Failed to connect to h port p",
    // "SSL certificate problem: ..."): it names hosts and ports, never headers or bodies.
    std::string detail_text = errbuf[0] != '\0' ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    const std::string msg = where + ": " + detail_text;
    // Failures that happen before the request is written are not_sent, unless libcurl wrote
    // bytes anyway (a dead reused connection retried on a fresh one).
    const delivery before = wrote ? delivery::maybe : delivery::not_sent;

    if (ex.headers_too_large) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": response headers exceed max_header_bytes",
                                       "a server (or something in between) sent headers without end");
    }
    if (ex.length_conflict) {
        return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe,
                                       where + ": the answer gave two different Content-Length values");
    }
    if (ex.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": response body exceeds max_response_bytes", detail::hint_too_large());
    }
    if (ex.replay_refused || rc == CURLE_SEND_FAIL_REWIND) {
        return detail::transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe,
                                       where + ": the connection closed without an answer after the request was sent "
                                               "(it was not sent again: the server may have acted on it)");
    }
    // libcurl refuses one header line over CURL_MAX_HTTP_HEADER (100 KiB in 7.88) with
    // CURLE_OUT_OF_MEMORY and no message, in the middle of a header block: the answer is too
    // large, not the process short of memory, and asking again gets the same.
    bool header_refused = rc == CURLE_OUT_OF_MEMORY && !ex.out_of_memory && !ex.between_blocks;
#if LIBCURL_VERSION_NUM >= 0x080600  // 8.6.0: its own code for it
    header_refused = header_refused || rc == CURLE_TOO_LARGE;
#endif
    if (header_refused) {
        return detail::transport_error(errc::transport, std::string(codes::too_large), delivery::maybe,
                                       where + ": a response header line exceeds libcurl's limit (100 KiB)",
                                       "a server (or something in between) sent headers without end");
    }
    if (ex.out_of_memory || rc == CURLE_OUT_OF_MEMORY) {
        return detail::transport_error(errc::transport, std::string(codes::out_of_memory),
                                       wrote ? delivery::maybe : delivery::not_sent, where + ": out of memory");
    }
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        // A connect timeout shorter than the request's budget is a connect failure the caller
        // may retry; otherwise the request's own deadline passed.
        if (!wrote && elapsed + std::chrono::milliseconds(20) < budget) {
            return detail::transport_error(errc::transport, std::string(codes::connect), delivery::not_sent, msg,
                                           detail::hint_connect());
        }
        return detail::transport_error(errc::timeout, std::string(codes::timeout), before, msg);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return detail::transport_error(errc::transport, std::string(codes::resolve), before, msg,
                                       detail::hint_connect());
    case CURLE_COULDNT_CONNECT:
    case CURLE_INTERFACE_FAILED:
        return detail::transport_error(errc::transport, std::string(codes::connect), before, msg,
                                       detail::hint_connect());
#if LIBCURL_VERSION_NUM >= 0x074900  // 7.73.0
    case CURLE_PROXY:
        return detail::transport_error(errc::transport, std::string(codes::proxy), before, msg, detail::hint_connect());
#endif
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        // The server's certificate was refused: the same request would be refused again.
        return detail::transport_error(errc::transport, std::string(codes::certificate), before, msg,
                                       detail::hint_tls());
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
        return detail::transport_error(errc::transport, std::string(codes::tls), before, msg, detail::hint_tls());
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
        // The local TLS setup is wrong (unreadable ca_file...): nothing was sent.
        return detail::transport_error(errc::config, std::string(codes::tls), before, msg,
                                       "check ca_file, ca_path and any client certificate set in configure");
    case CURLE_UNSUPPORTED_PROTOCOL:
        // After the request was written, the server's answer is what libcurl refused ("Received
        // HTTP/0.9", "Unsupported HTTP version"): not the configuration's fault, and a GET may
        // be sent again.
        if (wrote) return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe, msg);
        return detail::transport_error(errc::config, std::string(codes::bad_url), before, msg);
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION: return detail::transport_error(errc::config, std::string(codes::bad_url), before, msg);
    case CURLE_GOT_NOTHING:
        return detail::transport_error(errc::transport, std::string(codes::empty_reply), delivery::maybe, msg);
    case CURLE_SEND_ERROR:
        return detail::transport_error(errc::transport, std::string(codes::send), delivery::maybe, msg);
    case CURLE_RECV_ERROR:
        return detail::transport_error(errc::transport, std::string(codes::recv), delivery::maybe, msg);
    case CURLE_PARTIAL_FILE:
        return detail::transport_error(errc::transport, std::string(codes::partial), delivery::maybe, msg);
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return detail::transport_error(errc::transport, std::string(codes::protocol), delivery::maybe, msg);
    default:
        return detail::transport_error(errc::transport, "curl_" + std::to_string(static_cast<int>(rc)), delivery::maybe,
                                       msg);
    }
}

}  // namespace detail
}  // namespace adapters
GCX_NAMESPACE_END

#endif
