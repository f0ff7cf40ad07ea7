// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_ERROR_CODES_HPP
#define GCX_ERROR_CODES_HPP

// The `code` strings gcx itself puts in an error (beside the Genesys `code` or OAuth `error` a
// server sends, which are kept as they came). Compare against these names, not string literals;
// custom transports use the transport codes to get the same retry treatment as the shipped ones.
// The README's "Errors" section lists them with what each means.

#include <gcx/version.hpp>

#include <string_view>

GCX_NAMESPACE_BEGIN
namespace codes {

// Decided by the core, before or after a request.
inline constexpr std::string_view deadline = "deadline";  ///< the lookup's deadline passed
inline constexpr std::string_view queue_timeout =
    "queue_timeout";  ///< waited longer than queue_timeout for the request budget
inline constexpr std::string_view retry_ceiling =
    "retry_ceiling";                                        ///< the server asked to wait longer than the ceiling
inline constexpr std::string_view max_polls = "max_polls";  ///< the execution was still running after poll.max_polls
inline constexpr std::string_view phone = "phone";          ///< the phone number is not E.164
inline constexpr std::string_view flow_id = "flow_id";      ///< the flow id is not a UUID
inline constexpr std::string_view token_response = "token_response";    ///< a 2xx token answer that is not a token
inline constexpr std::string_view launch_response = "launch_response";  ///< a launch answer without an execution id
inline constexpr std::string_view execution_response =
    "execution_response";                         ///< a poll answer about another execution than the one polled
inline constexpr std::string_view json = "json";  ///< a body that is not (acceptable) JSON
inline constexpr std::string_view redirect =
    "redirect";  ///< errc::protocol: a 3xx answer (gcx never follows redirects): a wrong login or API URL
inline constexpr std::string_view found_output =
    "found_output";  ///< errc::mapping: a `Found` output (a data action's found_key) present but not a JSON boolean
inline constexpr std::string_view action_id = "action_id";  ///< the data action id is empty or malformed
inline constexpr std::string_view action_response =
    "action_response";  ///< a data action's 2xx answer that is not a JSON object

// Set by transports (errc::transport, errc::timeout or errc::config).
inline constexpr std::string_view connect = "connect";          ///< no connection (refused, unreachable); not sent
inline constexpr std::string_view resolve = "resolve";          ///< the host name did not resolve; not sent
inline constexpr std::string_view tls = "tls";                  ///< the TLS handshake failed (retried like connect)
inline constexpr std::string_view certificate = "certificate";  ///< the server's certificate was refused: never retried
inline constexpr std::string_view proxy = "proxy";              ///< the proxy could not be reached or failed; not sent
inline constexpr std::string_view proxy_refused =
    "proxy_refused";  ///< the proxy answered the CONNECT with a refusal (403, 407...): never retried
inline constexpr std::string_view send = "send";                    ///< writing the request failed
inline constexpr std::string_view recv = "recv";                    ///< reading the answer failed
inline constexpr std::string_view empty_reply = "empty_reply";      ///< the connection closed without an answer
inline constexpr std::string_view partial = "partial";              ///< the answer was cut short
inline constexpr std::string_view protocol = "protocol";            ///< the answer is not HTTP
inline constexpr std::string_view timeout = "timeout";              ///< the exchange took longer than its timeout
inline constexpr std::string_view too_large = "too_large";          ///< the answer is over the body cap: never retried
inline constexpr std::string_view canceled = "canceled";            ///< the transfer was cancelled
inline constexpr std::string_view out_of_memory = "out_of_memory";  ///< the transport could not allocate; not sent
inline constexpr std::string_view unknown = "unknown";              ///< a transport failure its library did not name
inline constexpr std::string_view bad_url = "bad_url";              ///< errc::config: the URL cannot be parsed
inline constexpr std::string_view bad_header = "bad_header";        ///< errc::invalid_input: a header with CR/LF
inline constexpr std::string_view bad_proxy = "bad_proxy";          ///< errc::config: the proxy option cannot be parsed
inline constexpr std::string_view proxy_tunnel =
    "proxy_tunnel";  ///< errc::config: this transport cannot reach https through a proxy (httplib)
inline constexpr std::string_view insecure_http =
    "insecure_http";  ///< errc::config: credentials over plain http refused

}  // namespace codes
GCX_NAMESPACE_END

#endif
