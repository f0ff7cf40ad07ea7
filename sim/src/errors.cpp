// gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
#include "errors.hpp"

namespace gcx_sim::detail {

json error_body(int status, const std::string& code, const std::string& message,
                const std::string& context_id, json details, json params) {
  json body = json::object();
  body["message"] = message;
  body["code"] = code;
  body["status"] = status;
  if (params.is_object()) {
    body["messageWithParams"] = message;
    body["messageParams"] = std::move(params);
  }
  body["contextId"] = context_id;
  body["details"] = std::move(details);
  body["errors"] = json::array();
  return body;
}

json error_detail(const std::string& error_code, const std::string& field_name) {
  return json{{"errorCode", error_code}, {"fieldName", field_name}};
}

json oauth_error(const std::string& error, const std::string& description) {
  return json{{"error", error}, {"description", description}, {"error_description", description}};
}

std::string rate_limit_message(long seconds) {
  return "Rate limit exceeded the maximum. Retry the request in [" + std::to_string(seconds) +
         "] seconds";
}

}  // namespace gcx_sim::detail
