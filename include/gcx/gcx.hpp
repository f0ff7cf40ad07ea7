// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#ifndef GCX_GCX_HPP
#define GCX_GCX_HPP

// Everything but the JSON backends and the transport adapters, which name third-party
// libraries and are included on their own:
//   #include <gcx/json/boost_json.hpp>   or  <gcx/json/nlohmann.hpp>
//   #include <gcx/adapters/curl.hpp>     or  <gcx/adapters/httplib.hpp>

#include <gcx/version.hpp>
#include <gcx/error.hpp>
#include <gcx/error_codes.hpp>
#include <gcx/result.hpp>
#include <gcx/secret.hpp>
#include <gcx/http.hpp>
#include <gcx/transport.hpp>
#include <gcx/clock.hpp>
#include <gcx/phone.hpp>
#include <gcx/retry.hpp>
#include <gcx/governor.hpp>
#include <gcx/events.hpp>
#include <gcx/event_format.hpp>
#include <gcx/poll_schedule.hpp>
#include <gcx/config.hpp>
#include <gcx/json/backend.hpp>
#include <gcx/raw_json.hpp>
#include <gcx/reflect.hpp>
#include <gcx/models.hpp>
#include <gcx/api_error.hpp>
#include <gcx/auth.hpp>
#include <gcx/credential_scrub.hpp>
#include <gcx/operation.hpp>
#include <gcx/session.hpp>
#include <gcx/deadline.hpp>
#include <gcx/call.hpp>
#include <gcx/lookup_result.hpp>
#include <gcx/lookup.hpp>
#include <gcx/direct.hpp>
#include <gcx/data_action.hpp>
#include <gcx/strategy.hpp>
#include <gcx/check_report.hpp>
#include <gcx/check.hpp>
#include <gcx/client.hpp>

#endif
