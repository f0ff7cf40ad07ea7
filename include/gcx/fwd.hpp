// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_FWD_HPP
#define GCX_FWD_HPP

// Declarations only, for headers that name gcx types without using them (a member pointer to a
// client, a function taking a config by reference). Include <gcx/gcx.hpp> where they are used.

#include <gcx/version.hpp>

GCX_NAMESPACE_BEGIN

struct error;
template <class T>
class result;
class secret;
struct client_config;
struct endpoints;
struct retry_policy;
struct poll_policy;
struct steady_clock;
class token_cache;
struct execution_info;
template <class Outputs>
struct lookup_result;
template <class J>
class lookup_operation;
template <class J>
class direct_lookup_operation;
template <class J>
class data_action_operation;
struct data_action_options;
template <class Transport, class Json, class Clock>
class basic_client;
struct raw_json;

namespace http {
struct request;
struct response;
}  // namespace http

namespace json {
struct boost_json;
struct nlohmann;
}  // namespace json

GCX_NAMESPACE_END

#endif
