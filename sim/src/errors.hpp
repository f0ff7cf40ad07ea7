// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
// The two error shapes of the platform: ErrorBody for /api/v2 (docs section 4.1, 9.7) and the
// OAuth error object for /oauth/token (section 2, 9.1).
#ifndef GCX_SIM_ERRORS_HPP
#define GCX_SIM_ERRORS_HPP

#include <string>

#include "json.hpp"

namespace gcx_sim::detail {

// ErrorBody: {message, code, status, [messageWithParams, messageParams,] contextId, details,
// errors}. messageWithParams/messageParams are only written when `params` is an object.
json error_body(int status, const std::string& code, const std::string& message,
                const std::string& context_id, json details = json::array(), json params = nullptr);

// The platform's messages of a 400 bad.request (a body it cannot read) and of a 404 not.found.
inline constexpr const char* malformed_message =
    "The request could not be understood by the server due to malformed syntax.";
inline constexpr const char* not_found_message = "The requested resource was not found.";

// One entry of ErrorBody.details.
json error_detail(const std::string& error_code, const std::string& field_name);

// {"error", "description", "error_description"}.
json oauth_error(const std::string& error, const std::string& description);

// The normalised 429 message: "Rate limit exceeded the maximum. Retry the request in [N] seconds".
std::string rate_limit_message(long seconds);

}  // namespace gcx_sim::detail

#endif
